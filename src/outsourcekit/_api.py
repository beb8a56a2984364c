"""The top-level facades: reading, checking and the catalogue, wired to the plugins.

The layers below know no plugins: :mod:`outsourcekit.io` reads what it is told
to, and :func:`outsourcekit.engine.check` runs the rules it is handed. These
functions gather from the plugin host what a user expects to be there (the
registered rules and importers, the load and report hooks) and hand it down.
"""

from __future__ import annotations

import contextvars
import datetime as dt  # noqa: TC003 - evaluated by the API docs
import os
import pathlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from . import engine, io, plugins
from ._discover import Walk
from ._gc import collector_paused
from ._shorten import raised_text, short_repr
from .config import with_waivers
from .engine import Config, Issue, Report, Rule  # noqa: TC001 - evaluated by the API docs
from .engine._check import require_config, require_engagements, require_errors
from .engine._display import RuleCatalogue
from .engine._errors import kind_of
from .engine._split import require_sink, require_stream_arguments
from .model import Engagement

if TYPE_CHECKING:
    import pandas as pd


__all__ = [
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
]

#: Set while an importer runs: the load hook then runs once, on its results.
_IMPORTING: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "outsourcekit_importing", default=False
)


class _Reader:
    """A registered importer as the loader uses it.

    What the importer raises (``OSError`` and ``SystemExit`` included) or
    returns instead of its data is recorded against its plugin, and the file
    gives nothing; a package its ``extra`` brings that is missing is the
    file's problem, naming the extra to install. A version 1 importer (a
    function of the path alone) is still run, with a deprecation warning.
    """

    __slots__ = ("importer",)

    def __init__(self, importer: plugins.Importer) -> None:
        self.importer = importer

    @property
    def name(self) -> str:
        return self.importer.name

    def prepare(
        self, options: Mapping[str, object]
    ) -> tuple[dict[str, Any], Sequence[tuple[str, str]]]:
        try:
            return self.importer.check_options(options), ()
        except plugins.ImporterOptionError as error:
            return {}, error.problems

    def takes(self, option: str) -> bool:
        return option in self.importer.options

    def read(
        self, path: pathlib.Path, options: Mapping[str, Any]
    ) -> plugins.Imported | list[Engagement] | None:
        importer = self.importer
        if importer.version == 1:
            plugins.warn_version_1(importer)
            return self._read_version_1(path)
        token = _IMPORTING.set(True)
        try:
            # What is read from a large file is many objects at once, none of
            # them garbage: the collector would only scan them over and over.
            with collector_paused():
                result: object = importer.func(path, options)  # type: ignore[call-arg]
        except KeyboardInterrupt:
            raise
        except ImportError as exc:
            if importer.extra is None:
                self.failed(path, f"raised {raised_text(exc)}")
                return None
            problem = plugins.ImportProblem(message=_missing_extra(importer, exc))
            return plugins.Imported(problems=(problem,))
        except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
            self.failed(path, f"raised {raised_text(exc)}")
            return None
        finally:
            _IMPORTING.reset(token)
        if not isinstance(result, plugins.Imported):
            self.failed(
                path,
                f"returned {short_repr(result)} ({kind_of(result)}) instead of "
                "outsourcekit.plugins.Imported",
            )
            return None
        return result

    def _read_version_1(self, path: pathlib.Path) -> list[Engagement] | None:
        """Run a version 1 importer: the engagements it returns, None if it failed.

        A :class:`~outsourcekit.io.LoadError` is the file's problem and passes
        on.
        """
        token = _IMPORTING.set(True)
        try:
            result: object = self.importer.func(path)  # type: ignore[call-arg]
            listed = isinstance(result, Iterable) and not isinstance(
                result, (str, bytes, Mapping, Engagement)
            )
            items = list(result) if listed else [result]  # type: ignore[call-overload]
        except (io.LoadError, KeyboardInterrupt):
            raise
        except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
            self.failed(path, f"raised {raised_text(exc)}")
            return None
        finally:
            _IMPORTING.reset(token)
        stray = next((i for i in items if not isinstance(i, Engagement)), None)
        if not listed or stray is not None:
            wrong = result if stray is None else stray
            self.failed(
                path,
                f"returned {short_repr(wrong)} ({kind_of(wrong)}) "
                "instead of a list of engagements",
            )
            return None
        return [i for i in items if isinstance(i, Engagement)]

    def failed(self, path: pathlib.Path, what: str) -> None:
        importer = self.importer
        plugin = importer.plugin or importer.name
        plugins.record_error(
            plugin, f"importer {importer.name!r} {what} (reading {path})"
        )


def _missing_extra(importer: plugins.Importer, error: ImportError) -> str:
    """Return the message for an importer whose extra's packages are missing."""
    extra = importer.extra
    need = f"importer {importer.name!r} needs the packages of the `{extra}` extra"
    if importer.plugin in plugins.DEFAULT_PLUGINS:
        return f"{need} ({error}): pip install 'outsourcekit[{extra}]'"
    found = [
        i.distribution
        for i in plugins.plugin_info()
        if i.name == importer.plugin and i.distribution
    ]
    if found:
        return f"{need} ({error}): pip install '{found[0]}[{extra}]'"
    return f"{need} of plugin {importer.plugin!r} ({error})"


class _Importers:
    """The registered importers, as the loader finds them: asked for once per load."""

    def __init__(self) -> None:
        self._all: list[plugins.Importer] | None = None
        self._sniffed: tuple[str, ...] | None = None

    def all(self) -> list[plugins.Importer]:
        if self._all is None:
            self._all = plugins.get_importers()
        return self._all

    def names(self) -> list[str]:
        return [i.name for i in self.all()]

    def named(self, name: str) -> _Reader | None:
        found = next((i for i in self.all() if i.name == name), None)
        return None if found is None else _Reader(found)

    def for_file(
        self, path: pathlib.Path, head: str | None, *, claimed_only: bool = False
    ) -> _Reader | None:
        found = plugins.importer_for(path, head)
        if found is None or (claimed_only and found.sniff is None):
            return None
        return _Reader(found)

    def sniffs(self, path: pathlib.Path) -> bool:
        if self._sniffed is None:
            self._sniffed = tuple(
                suffix
                for i in self.all()
                if i.sniff is not None
                for suffix in i.suffixes
            )
        return bool(self._sniffed) and os.fspath(path).lower().endswith(self._sniffed)


class _ImportedFile:
    """A file of another system read as the loader reads it, for ``reader_for``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, path: pathlib.Path) -> Sequence[Engagement]:
        return io.load_all([path], importers=_Importers())


def _reader_for(path: pathlib.Path) -> io.Reader | None:
    """Return what reads a file no built-in reader takes, the older way."""
    importer = plugins.importer_for(path)
    return None if importer is None else _ImportedFile(importer.name)


def _on_loaded(engagement: Engagement) -> Engagement:
    return plugins.engagement_loaded(engagement)


def _hook() -> io.OnLoaded | None:
    """Return the load hook, unless an importer is running or none implements it."""
    if _IMPORTING.get() or not plugins.implements("outsourcekit_engagement_loaded"):
        return None
    return _on_loaded


def _walk(config: Config | None) -> Walk | None:
    """Return what walking a folder passes over under *config*, as the CLI does.

    Its ``exclude`` globs, from its folder (or the working directory), and its
    own files: the configuration file and its waiver file.
    """
    require_config(config)
    if config is None:
        return None
    source = config.source
    return Walk(
        exclude=config.exclude,
        root=pathlib.Path(source).parent if source else pathlib.Path.cwd(),
        own_files=[p for p in (source, config.waivers) if p is not None],
    )


def load(
    path: str | os.PathLike[str],
    *,
    import_root: str | os.PathLike[str] | None = None,
    config: Config | None = None,
) -> Engagement | list[Engagement]:
    """Load an engagement file, a portfolio file or a directory.

    A file holding one engagement gives that :class:`~outsourcekit.model.Engagement`;
    a portfolio file (with ``engagements:``) or a directory gives a list, the
    directory's files read in sorted order. Files of other systems are read by
    the registered importers, whether named here or under an engagement's
    ``imports:`` (which may name files below the engagement file's folder, or
    below *import_root*), and every engagement passes through the plugins'
    ``outsourcekit_engagement_loaded`` hook.

    A directory is walked as ``outsourcekit check`` walks it: only engagement
    files are read (a file whose content is not one, such as
    ``pyproject.toml`` or a saved report, is passed over), and hidden
    folders, installed packages and links leading out of the folder are
    passed over. With *config* (say :func:`outsourcekit.config.find_config`'s),
    so are its ``exclude`` globs, the configuration file and its waiver file.

    Raises:
        LoadError: something did not load; every issue is listed, and the
            engagements that did load are in its ``loaded``.
        TypeError: *config* is no :class:`~outsourcekit.Config`.

    """
    return io.load(
        path,
        importers=_Importers(),
        import_root=import_root,
        on_loaded=_hook(),
        walk=_walk(config),
    )


def load_all(
    paths: Iterable[str | os.PathLike[str]],
    *,
    import_root: str | os.PathLike[str] | None = None,
    config: Config | None = None,
) -> list[Engagement]:
    """Load every engagement from files, directories or a mix, in the order given.

    Every file is read even when others have errors; importers, *import_root*,
    the load hook and *config* apply as for :func:`load`, and directories are
    walked as it walks them.

    Raises:
        LoadError: something did not load; every issue of every file is listed,
            and the engagements that did load are in its ``loaded``.
        TypeError: *config* is no :class:`~outsourcekit.Config`.

    """
    return io.load_all(
        paths,
        importers=_Importers(),
        import_root=import_root,
        on_loaded=_hook(),
        walk=_walk(config),
    )


def iter_load(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    import_root: str | os.PathLike[str] | None = None,
    part: tuple[int, int | None] | None = None,
    config: Config | None = None,
) -> io.EngagementStream:
    """Read engagements one at a time from files, directories or a mix.

    For portfolios larger than memory: the engagements are given as they are
    read, a JSON Lines file (``.jsonl``, ``.ndjson``) a line at a time and any
    other file whole, so that only the file being read is held. Ids are unique
    across the stream, as in :func:`load_all`. Nothing stops the stream: what
    does not load is collected in the stream's ``issues``, to read once it is
    consumed. Importers, *import_root*, the load hook and *config* apply as
    for :func:`load`, and directories are walked as it walks them; *part*,
    ``(start, stop)`` byte offsets (``stop`` None: to the end), reads the lines
    that start in that range of one JSON Lines file, for workers that share
    it::

        stream = ok.iter_load(["portfolio.jsonl", "engagements/"])
        for chunk in stream.chunks(1000):
            ...
        for issue in stream.issues:
            print(issue)
    """
    return io.iter_load(
        paths,
        importers=_Importers(),
        import_root=import_root,
        on_loaded=_hook(),
        part=part,
        walk=_walk(config),
    )


def loads(
    text: str,
    format: str = "yaml",  # noqa: A002 -- the public name
    *,
    source: str | None = None,
    import_root: str | os.PathLike[str] | None = None,
) -> Engagement | list[Engagement]:
    """Load engagements from *text* in *format*.

    *format* is ``yaml``, ``json``, ``toml`` or ``jsonl`` (JSON Lines: one
    engagement a line, read as a JSON Lines file is). Gives one
    :class:`~outsourcekit.model.Engagement`, or a list for a portfolio, which
    JSON Lines always is.
    *source* names where the text came from in errors and findings. Text is
    no file: the paths of its ``imports:`` are taken from the working
    directory, and must lead to files below it (or below *import_root*).

    Raises:
        LoadError: something did not load; every issue is listed.

    """
    return io.loads(
        text,
        format,
        source=source,
        on_loaded=_hook(),
        importers=_Importers(),
        import_root=import_root,
    )


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

    Raises:
        ConfigError: the configuration names an unknown rule, option or value.
        TypeError: an argument is not what it takes, before anything is
            checked: *engagements* no :class:`~outsourcekit.model.Engagement`
            objects (text, a path or a mapping included: :func:`load` reads
            files), *as_of* no date, *config* no :class:`~outsourcekit.Config`,
            *rules* no :class:`~outsourcekit.Rule` objects, or *errors* no
            load errors (each with ``to_dict()``, as
            :class:`~outsourcekit.LoadIssue`).
        ValueError: *as_of* lies outside 1900-01-01 to 2999-12-31, or two
            engagements share an id.

    """
    return checked(
        engagements, as_of=as_of, config=config, rules=rules, errors=errors, lines=True
    )


def checked(  # noqa: PLR0913 - check()'s, and whether lines are found
    engagements: Engagement | Iterable[Engagement],
    *,
    as_of: dt.date | str | None,
    config: Config | None,
    rules: Iterable[Rule] | None,
    errors: Iterable[Issue],
    lines: bool,
) -> Report:
    """Return :func:`check`'s report; its findings' lines only with *lines*.

    Lines are found only for the findings an output prints: the command line
    asks for none when nothing prints findings (``--quiet``) and no plugin
    sees the report.
    """
    require_engagements(engagements, "check")
    require_config(config)
    require_errors(errors)
    chosen = plugins.get_rules() if rules is None else rules
    if config is not None:
        config = with_waivers(config)
    if not isinstance(engagements, Engagement):
        engagements = tuple(engagements)
    report = engine.check(
        engagements, rules=chosen, as_of=as_of, config=config, errors=errors
    )
    if lines:
        report = io.locate_findings(report, engagements, in_place=True)
    return ready(report)


def check_stream(  # noqa: PLR0913
    engagements: Iterable[Engagement],
    *,
    sink: engine.ReportSink,
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    rules: Iterable[Rule] | None = None,
    errors: Iterable[Issue] = (),
    chunk_size: int = engine.CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
) -> Report:
    """Check engagements of any number with bounded memory, findings to a sink.

    For portfolios larger than memory: *engagements* (a list, a generator, or
    ``iter_load``'s stream) are checked in chunks of *chunk_size*, and each
    chunk's findings, their lines found, go to *sink* (an
    :class:`outsourcekit.engine.ReportSink`, e.g. a streaming exporter) before
    the next chunk is read. Portfolio rules decide at the end from the facts
    of every chunk, so findings, scores and summary are those of
    :func:`check`. Returns the report without findings (``report.streamed``
    counts them), which the sink's ``end`` receives too, after the
    ``outsourcekit_report_ready`` hook saw it.

    The other arguments are :func:`check`'s; the load errors of an
    ``iter_load`` stream are added to *errors* once it is consumed.
    *progress* is called after each chunk with the number of engagements
    checked so far.

    Raises:
        ConfigError: the configuration names an unknown rule, option or
            value (before anything is read).
        TypeError: an argument is not what it takes, before any engagement
            is read and before the sink begins: those of :func:`check`,
            *sink* without ``begin()``, ``findings()`` and ``end()``,
            *chunk_size* no whole number, or *progress* no function. An item
            of *engagements* that is no engagement is refused when read,
            before that chunk's findings are sent.
        ValueError: *chunk_size* is below 1, or as for :func:`check`.

    """
    return checked_stream(
        engagements,
        sink=sink,
        as_of=as_of,
        config=config,
        rules=rules,
        errors=errors,
        chunk_size=chunk_size,
        progress=progress,
        lines=True,
    )


def checked_stream(  # noqa: PLR0913 - check_stream()'s, and whether lines are found
    engagements: Iterable[Engagement],
    *,
    sink: engine.ReportSink,
    as_of: dt.date | str | None,
    config: Config | None,
    rules: Iterable[Rule] | None,
    errors: Iterable[Issue] = (),
    chunk_size: int = engine.CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
    lines: bool,
) -> Report:
    """Return :func:`check_stream`'s report; lines found only with *lines*."""
    require_stream_arguments(
        engagements,
        sink=sink,
        errors=errors,
        chunk_size=chunk_size,
        progress=progress,
    )
    require_config(config)
    chosen = plugins.get_rules() if rules is None else rules
    if config is not None:
        config = with_waivers(config)
    ready = ReadySink(sink)
    report = engine.check_stream(
        engagements,
        rules=chosen,
        sink=ready,
        as_of=as_of,
        config=config,
        errors=_errors_after(engagements, errors),
        chunk_size=chunk_size,
        progress=progress,
        locate=locate_lines if lines else None,
    )
    return ready.report or report


def _errors_after(
    engagements: Iterable[Engagement], errors: Iterable[Issue]
) -> Iterator[Issue]:
    """Yield *errors*, then a stream's load errors (read once it is consumed)."""
    yield from errors
    if isinstance(engagements, io.EngagementStream):
        yield from engagements.issues


@attrs.frozen
class _Batch:
    """Findings as :func:`outsourcekit.io.locate_findings` takes them."""

    findings: Sequence[engine.Finding]
    engagements: tuple[()] = ()


def locate_lines(
    findings: Sequence[engine.Finding], engagements: Sequence[Engagement]
) -> Sequence[engine.Finding]:
    """Return *findings* with their lines, found in their engagements' files.

    The findings are changed in place: the engine made them for this batch
    alone, and nothing else holds them yet.
    """
    return io.locate_findings(_Batch(findings), engagements, in_place=True).findings


def ready(report: Report) -> Report:
    """Return *report* naming the plugins that judged, once the report hook saw it.

    Plugins' failures so far, the hook's included, are added to it, by plugin
    name (each plugin's in the order they happened), so that the report does
    not depend on the order the plugins were registered in.
    """
    report = attrs.evolve(report, plugins=judges(report.rules))
    failures = (*plugins.plugin_errors(), *plugins.report_ready(report))
    if failures:
        ordered = tuple(sorted(failures, key=lambda e: e.plugin))
        report = attrs.evolve(report, plugin_errors=ordered)
    return report


class ReadySink:
    """A sink whose report, before it ends, has passed :func:`ready`."""

    def __init__(self, sink: engine.ReportSink) -> None:
        """Pass what the engine sends on to *sink*; TypeError if it is none."""
        require_sink(sink)
        self.sink = sink
        self.report: Report | None = None

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Begin the sink's report."""
        self.sink.begin(as_of, rules)

    def findings(self, batch: Sequence[engine.Finding]) -> None:
        """Hand a batch of findings on."""
        self.sink.findings(batch)

    def end(self, report: Report) -> None:
        """End the sink's report with the report :func:`ready` made."""
        self.report = ready(report)
        self.sink.end(self.report)


def judges(rules: Iterable[Rule]) -> tuple[engine.PluginVersion, ...]:
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
