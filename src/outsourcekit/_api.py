"""The top-level facades: reading, checking and the catalogue, wired to the plugins.

The layers below know no plugins: :mod:`outsourcekit.io` reads what it is told
to, and :func:`outsourcekit.engine.check` runs the rules it is handed. These
functions gather from the plugin host what a user expects to be there (the
registered rules and importers, the load and report hooks) and hand it down.
"""

from __future__ import annotations

import contextvars
import datetime as dt  # noqa: TC003 - evaluated by the API docs
import os  # noqa: TC003 - evaluated by the API docs
import pathlib  # noqa: TC003 - evaluated by the API docs
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from . import engine, io, plugins
from .config import with_waivers
from .engine import Config, Issue, Report, Rule  # noqa: TC001 - evaluated by the API docs
from .engine._display import RuleCatalogue
from .model import Engagement

if TYPE_CHECKING:
    import pandas as pd


__all__ = [
    "check",
    "explain",
    "from_dict",
    "load",
    "load_all",
    "loads",
    "rules",
    "to_pandas",
]

#: Set while an importer runs: the load hook then runs once, on its results.
_IMPORTING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "outsourcekit_importing", default=False
)


class _Importing:
    """An importer run so that loads inside it skip the load hook."""

    __slots__ = ("importer",)

    def __init__(self, importer: plugins.Importer) -> None:
        self.importer = importer

    @property
    def name(self) -> str:
        return self.importer.name

    def __call__(self, path: pathlib.Path) -> Sequence[Engagement]:
        """Run the importer; its failure or bad result is a plugin error.

        A :class:`~outsourcekit.io.LoadError` is the file's problem and passes
        on; anything else the importer raises (``OSError`` and ``SystemExit``
        included) or returns instead of engagements is recorded against its
        plugin, and the file gives no engagement.
        """
        importer = self.importer
        token = _IMPORTING.set(True)
        try:
            result: object = importer.func(path)
            listed = isinstance(result, Iterable) and not isinstance(
                result, (str, bytes, Mapping, Engagement)
            )
            items = list(result) if listed else [result]  # type: ignore[call-overload]
        except (io.LoadError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
            self.failed(path, f"raised {type(exc).__name__}: {exc}")
            return []
        finally:
            _IMPORTING.reset(token)
        stray = next((i for i in items if not isinstance(i, Engagement)), None)
        if not listed or stray is not None:
            wrong = result if stray is None else stray
            self.failed(
                path,
                f"returned {wrong!r:.60} (a {type(wrong).__name__}) "
                "instead of a list of engagements",
            )
            return []
        return [i for i in items if isinstance(i, Engagement)]

    def failed(self, path: pathlib.Path, what: str) -> None:
        importer = self.importer
        plugin = importer.plugin or importer.name
        plugins.record_error(
            plugin, f"importer {importer.name!r} {what} (reading {path})"
        )


def _reader_for(path: pathlib.Path) -> io.Reader | None:
    importer = plugins.importer_for(path)
    return None if importer is None else _Importing(importer)


def _on_loaded(engagement: Engagement) -> Engagement:
    return plugins.engagement_loaded(engagement)


def _hook() -> io.OnLoaded | None:
    """Return the load hook, unless an importer is running or none implements it."""
    if _IMPORTING.get() or not plugins.implements("outsourcekit_engagement_loaded"):
        return None
    return _on_loaded


def load(path: str | os.PathLike[str]) -> Engagement | list[Engagement]:
    """Load an engagement file, a portfolio file or a directory.

    A file holding one engagement gives that :class:`~outsourcekit.model.Engagement`;
    a portfolio file (with ``engagements:``) or a directory gives a list, the
    directory's files read in sorted order. Files of other systems are read by
    the registered importers, and every engagement passes through the plugins'
    ``outsourcekit_engagement_loaded`` hook.

    Raises:
        LoadError: something did not load; every issue is listed, and the
            engagements that did load are in its ``loaded``.

    """
    return io.load(path, reader_for=_reader_for, on_loaded=_hook())


def load_all(paths: Iterable[str | os.PathLike[str]]) -> list[Engagement]:
    """Load every engagement from files, directories or a mix, in the order given.

    Every file is read even when others have errors; importers and the load
    hook apply as for :func:`load`.

    Raises:
        LoadError: something did not load; every issue of every file is listed,
            and the engagements that did load are in its ``loaded``.

    """
    return io.load_all(paths, reader_for=_reader_for, on_loaded=_hook())


def loads(
    text: str,
    format: str = "yaml",  # noqa: A002 -- the public name
    *,
    source: str | None = None,
) -> Engagement | list[Engagement]:
    """Load engagements from *text* in *format* (``yaml``, ``json`` or ``toml``).

    Gives one :class:`~outsourcekit.model.Engagement`, or a list for a portfolio.
    *source* names where the text came from in errors and findings.

    Raises:
        LoadError: something did not load; every issue is listed.

    """
    return io.loads(text, format, source=source, on_loaded=_hook())


def from_dict(mapping: Mapping[str, Any]) -> Engagement:
    """Build one engagement from plain data, as read from a file.

    Raises:
        LoadError: the data does not make an engagement; every issue is listed
            (with paths, without lines).

    """
    return io.from_dict(mapping, on_loaded=_hook())


def check(
    engagements: Engagement | Iterable[Engagement],
    *,
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    rules: Iterable[Rule] | None = None,
    errors: Iterable[Issue] = (),
) -> Report:
    """Check engagements and return the report.

    *as_of* is the date the check is made for (default: today, the machine's local
    date), so a fixed *as_of* reproduces a run. *config* selects rules, overrides
    severities and sets options; *rules* replaces the registered rules (built-in
    and plugins') with an explicit list; *errors* are load errors to carry into
    the report. A rule that raises is recorded in ``report.rule_errors`` and the
    other rules still run. Once the rules have run, the line of each finding is
    found in its engagement's file (``outsourcekit.io.locate_findings``);
    ``report.plugins`` names every plugin whose rules judged; then every
    plugin's ``outsourcekit_report_ready`` hook sees the report.

    Raise :class:`~outsourcekit.ConfigError` when the configuration names
    an unknown rule, option or value.
    """
    chosen = plugins.get_rules() if rules is None else rules
    if config is not None:
        config = with_waivers(config)
    if not isinstance(engagements, Engagement):
        engagements = tuple(engagements)
    report = engine.check(
        engagements, rules=chosen, as_of=as_of, config=config, errors=errors
    )
    report = io.locate_findings(report, engagements, in_place=True)
    report = attrs.evolve(report, plugins=_judges(report.rules))
    failures = (*plugins.plugin_errors(), *plugins.report_ready(report))
    if failures:
        report = attrs.evolve(report, plugin_errors=failures)
    return report


def _judges(rules: Iterable[Rule]) -> tuple[engine.PluginVersion, ...]:
    """Return the name and version of each plugin whose rules judged."""
    return tuple(
        engine.PluginVersion(name=name, version=version)
        for name, version in plugins.rule_plugins(rules)
    )


def rules() -> RuleCatalogue:
    """Every registered rule, built-in and plugins', sorted by code.

    The list shows as a table in a notebook and has ``to_pandas()``.
    """
    return RuleCatalogue(plugins.get_rules())


def explain(name: str) -> str:
    """Return the documentation of the rule with this code or slug, as text.

    Raise :class:`~outsourcekit.engine.UnknownRuleError`, suggesting the closest
    name, when no rule has it.
    """
    return engine.find_rule(name, plugins.get_rules()).explain()


def to_pandas(engagements: Iterable[Engagement], **kwargs: Any) -> pd.DataFrame:
    """Return one row per engagement with the facts analysts filter on.

    Needs the ``notebook`` extra (pandas); see
    :func:`outsourcekit.notebook.engagements_to_pandas` for the columns.
    """
    from .notebook import engagements_to_pandas  # noqa: PLC0415 - heavy, lazy

    return engagements_to_pandas(engagements, **kwargs)
