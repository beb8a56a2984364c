"""outsourcekit: lint outsourcing engagements.

Load engagements with :func:`load`, check them with :func:`check`, and read the
:class:`Report`. Model classes live in :mod:`outsourcekit.model`; the rule engine in
:mod:`outsourcekit.engine`; plugin hooks in :mod:`outsourcekit.hookspecs`.

``import outsourcekit`` is cheap: each name below is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._api import (
        check,
        check_stream,
        explain,
        from_dict,
        iter_load,
        load,
        load_all,
        loads,
        rules,
        to_pandas,
    )
    from ._history import History, history
    from ._schema import schema
    from .engine import (
        Config,
        ConfigError,
        Context,
        Finding,
        Option,
        Report,
        Rule,
        Severity,
        rule,
    )
    from .examples import examples_path
    from .hookspecs import hookimpl, hookspec
    from .io import EngagementStream, LoadError, LoadIssue, dump, dumps, to_dict
    from .model import Engagement, evolve
    from .plugins import Exporter, Importer, plugin_errors

__all__ = [
    "Config",
    "ConfigError",
    "Context",
    "Engagement",
    "EngagementStream",
    "Exporter",
    "Finding",
    "History",
    "Importer",
    "LoadError",
    "LoadIssue",
    "Option",
    "Report",
    "Rule",
    "Severity",
    "__version__",
    "check",
    "check_stream",
    "dump",
    "dumps",
    "evolve",
    "examples_path",
    "explain",
    "from_dict",
    "history",
    "hookimpl",
    "hookspec",
    "iter_load",
    "load",
    "load_all",
    "loads",
    "plugin_errors",
    "rule",
    "rules",
    "schema",
    "to_dict",
    "to_pandas",
]

#: Where each public name lives; imported on first access.
_LAZY = {
    **dict.fromkeys(
        ("EngagementStream", "LoadError", "LoadIssue", "dump", "dumps", "to_dict"),
        "io",
    ),
    **dict.fromkeys(
        (
            "check",
            "check_stream",
            "explain",
            "from_dict",
            "iter_load",
            "load",
            "load_all",
            "loads",
            "rules",
            "to_pandas",
        ),
        "_api",
    ),
    **dict.fromkeys(
        ("Config", "ConfigError", "Context", "Finding", "Option", "Report"), "engine"
    ),
    **dict.fromkeys(("Rule", "Severity", "rule"), "engine"),
    **dict.fromkeys(("Engagement", "evolve"), "model"),
    **dict.fromkeys(("Exporter", "Importer", "plugin_errors"), "plugins"),
    **dict.fromkeys(("hookimpl", "hookspec"), "hookspecs"),
    "schema": "_schema",
    **dict.fromkeys(("History", "history"), "_history"),
    "examples_path": "examples",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'outsourcekit' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
