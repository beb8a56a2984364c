"""outsourcekit: lint outsourcing engagements.

Load engagements with :func:`load`, check them with :func:`check`, and read the
:class:`Report`. Model classes live in :mod:`outsourcekit.model`; the rule engine in
:mod:`outsourcekit.engine`; plugin hooks in :mod:`outsourcekit.hookspecs`.

``import outsourcekit`` is cheap: each name below is imported on first use.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

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
        check,
        rule,
    )
    from .examples import examples_path
    from .exporters import Exporter
    from .hookspecs import hookimpl, hookspec
    from .importers import Importer
    from .io import (
        LoadError,
        LoadIssue,
        dump,
        dumps,
        from_dict,
        load,
        load_all,
        loads,
        to_dict,
    )
    from .model import Engagement, evolve
    from .plugins import exporters, importers, plugin_errors, rules

__all__ = [
    "Config",
    "ConfigError",
    "Context",
    "Engagement",
    "Exporter",
    "Finding",
    "Importer",
    "LoadError",
    "LoadIssue",
    "Option",
    "Report",
    "Rule",
    "Severity",
    "__version__",
    "check",
    "dump",
    "dumps",
    "evolve",
    "examples_path",
    "explain",
    "exporters",
    "from_dict",
    "hookimpl",
    "hookspec",
    "importers",
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
        ("LoadError", "LoadIssue", "dump", "dumps", "from_dict", "load", "load_all"),
        "io",
    ),
    **dict.fromkeys(("loads", "to_dict"), "io"),
    **dict.fromkeys(
        ("Config", "ConfigError", "Context", "Finding", "Option", "Report"), "engine"
    ),
    **dict.fromkeys(("Rule", "Severity", "check", "rule"), "engine"),
    **dict.fromkeys(("Engagement", "evolve"), "model"),
    **dict.fromkeys(("exporters", "importers", "plugin_errors", "rules"), "plugins"),
    **dict.fromkeys(("hookimpl", "hookspec"), "hookspecs"),
    "schema": "_schema",
    "examples_path": "examples",
    "Exporter": "exporters",
    "Importer": "importers",
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


def explain(name: str) -> str:
    """Return the documentation of the rule named *name* (a code or a slug)."""
    from .plugins import explain as _explain  # noqa: PLC0415 - loads plugins

    return _explain(name)


def to_pandas(engagements: Iterable[Engagement], **kwargs: Any) -> pd.DataFrame:
    """Return one row per engagement with the facts analysts filter on.

    Needs the ``notebook`` extra (pandas); see
    :func:`outsourcekit.notebook.engagements_to_pandas` for the columns.
    """
    from .notebook import engagements_to_pandas  # noqa: PLC0415 - heavy, lazy

    return engagements_to_pandas(engagements, **kwargs)


#: Public functions named like a subpackage (the built-ins of that kind).
_FUNCTIONS = frozenset({"rules", "exporters", "importers"})


class _Package(types.ModuleType):
    """The package: ``outsourcekit.rules`` and its kin stay functions.

    Importing the subpackage of built-in rules (exporters, importers) would
    otherwise replace the attribute; the subpackages stay reachable with
    ``from outsourcekit.rules import ...``.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _FUNCTIONS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
