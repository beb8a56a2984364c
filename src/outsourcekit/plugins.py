"""The plugin manager: built-in and installed plugins, and what they register.

Nothing loads at import: the manager is built on first use. Built-in rules and
exporters register through the same hooks as installed plugins, which are found
by their ``outsourcekit`` entry points; ``OUTSOURCEKIT_LOAD_PLUGINS`` (a comma
list of entry-point or distribution names) restricts which of those load.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import importlib
import importlib.metadata
import inspect
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
import pluggy

from . import hookspecs
from ._shorten import error_text, raised_text, short_repr
from ._suggest import did_you_mean, suggest
from ._version import __version__
from .engine import Option, Rule
from .engine._errors import kind_of
from .engine._report import PluginError
from .hookspecs import PROJECT_NAME
from .model import Engagement

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

    from .engine import Report, ReportSink

__all__ = [
    "DEFAULT_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "SNIFF_CHARS",
    "Exporter",
    "ImportFunction",
    "ImportProblem",
    "Imported",
    "Importer",
    "ImporterOptionError",
    "OutsourcekitPluginWarning",
    "PluginConflictError",
    "PluginInfo",
    "did_you_mean",
    "engagement_loaded",
    "find_importer",
    "get_exporters",
    "get_importers",
    "get_plugin_manager",
    "get_rules",
    "implements",
    "importer_for",
    "plugin_errors",
    "plugin_info",
    "record_error",
    "register",
    "report_ready",
    "reset",
    "rule_plugins",
    "short_repr",
    "warn_version_1",
]

#: The built-in plugins: modules registered through the same hooks as installed
#: plugins, by name. They are imported only when something asks for rules,
#: exporters or importers, so that loading an engagement imports no rule module.
DEFAULT_PLUGINS = (
    "outsourcekit.builtin.rules",
    "outsourcekit.builtin.exporters",
    "outsourcekit.builtin.importers",
)
#: The code prefix of outsourcekit's own rules, which no plugin may register.
RESERVED_PREFIX = "OSK"
#: The environment variable that restricts which installed plugins load.
ENV_LOAD_PLUGINS = "OUTSOURCEKIT_LOAD_PLUGINS"

_T = TypeVar("_T")


class OutsourcekitPluginWarning(UserWarning):
    """A plugin failed to load, register or answer a hook; the others go on."""


class PluginConflictError(ValueError):
    """Two registered things share a name that must be unique (a rule code or slug).

    ``kind`` says what clashed (``"rule code"``), ``name`` the shared name and
    ``plugins`` the two plugins that registered it, sorted.
    """

    def __init__(self, kind: str, name: str, plugins: tuple[str, str]) -> None:
        """Name the clash: what kind of name, the name, and the two plugins."""
        first, second = sorted(plugins)
        self.kind = kind
        self.name = name
        self.plugins = (first, second)
        super().__init__(
            f"{kind} {name!r} is registered twice: by plugin {first!r} and by "
            f"plugin {second!r}"
        )


def _suffixes(value: str | Iterable[str]) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(s.lower() if s.startswith(".") else f".{s.lower()}" for s in items)


@attrs.frozen
class Exporter:
    """A report format: its name (``--format``), file suffix and writing function.

    ``func`` turns a report into text or bytes; ``plugin`` is set to the name of
    the plugin that registered the exporter.

    ``stream``, if given, writes the format while the check runs, for
    portfolios too large to hold (:func:`outsourcekit.check_stream`): called
    with the text file to write to and the run's *context*, it returns the
    :class:`~outsourcekit.engine.ReportSink` that writes each batch of findings
    as it comes. The command line hands it a writer to all of the format's
    outputs, which leaves out an output that cannot be written: with one
    output, its other attributes (``isatty()``, ``name``) are that output's
    file's; with several, it has only ``write``, ``writelines`` and ``flush``,
    and any other attribute raises :class:`AttributeError` saying that the
    format is written to several outputs at once. The context is a report
    without findings that answers for
    every finding the sink is given as the whole report would:
    ``baseline_state()``, ``counts_as_failure()`` and ``finding_dict()``, with
    its ``fail_on`` and ``baseline``. A format whose streamed output equals
    ``func``'s output for the same findings (in the order the sink got them)
    lets the command line stream it on its own.

    ``other_suffixes`` are further file suffixes that name the format for
    ``--output``, such as SARIF's ``.sarif.json``: of every format's
    suffixes, the longest one a file's name ends with chooses its format.
    """

    name: str
    suffix: str
    func: Callable[[Report], str | bytes] = attrs.field(repr=False, eq=False)
    description: str = ""
    plugin: str | None = attrs.field(default=None, eq=False)
    stream: Callable[[TextIO, Report], ReportSink] | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True
    )
    other_suffixes: tuple[str, ...] = attrs.field(
        default=(), converter=_suffixes, kw_only=True
    )

    @property
    def suffixes(self) -> tuple[str, ...]:
        """Return every file suffix that names this format, ``suffix`` first."""
        return tuple(s for s in (self.suffix, *self.other_suffixes) if s)

    def __call__(self, report: Report) -> str | bytes:
        """Write *report* in this format."""
        return self.func(report)

    def sink(self, file: TextIO, context: Report | None = None) -> ReportSink:
        """Return the sink that writes this format to *file* while a check runs.

        For :func:`outsourcekit.check_stream`. *context* is the run's report
        without findings (see the class); by default there is no baseline and
        errors fail the run. Raise :class:`ValueError` when the format has no
        streaming form.
        """
        if self.stream is None:
            msg = (
                f"format {self.name!r} cannot be written while a check runs: "
                "its exporter has no streaming form"
            )
            raise ValueError(msg)
        if context is None:
            from .engine import Report  # noqa: PLC0415 - a run-time default

            context = Report(as_of=_today(), findings=(), engagements=())
        return self.stream(file, context)


def _today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - no date is read from it


#: A path inside an importer's data: mapping keys and list indices from its root.
DataPath = tuple[str | int, ...]


def _kind(value: object) -> str:
    """Return *value* as an importer's mistake shows it: ``'x' (a str)``."""
    return f"{short_repr(value)} ({kind_of(value)})"


def _is_line(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _text_field(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        msg = f"{type(inst).__name__}.{attribute.name} must be text, got {_kind(value)}"
        raise TypeError(msg)


def _line_field(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not _is_line(value):
        msg = (
            f"{type(inst).__name__}.{attribute.name} must be a whole number, 1 or "
            f"more, or None, got {short_repr(value)}"
        )
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class ImportProblem:
    """A problem an importer found in a file of another system.

    It becomes a load error of that file: ``message`` says what is wrong and what
    was expected, ``line`` and ``column`` locate it in the file where the importer
    knows them, and ``where`` is the importer's own path of the item (an event's
    UID or summary, a card's name), so that the user can find it.
    """

    message: str = attrs.field(validator=_text_field)
    line: int | None = attrs.field(default=None, validator=_line_field)
    column: int | None = attrs.field(default=None, validator=_line_field)
    where: str = attrs.field(default="", validator=_text_field)


def _frozen_mapping(value: Any) -> Any:
    return dict(value)


def _problems(value: Iterable[ImportProblem]) -> tuple[ImportProblem, ...]:
    return tuple(value)


def _paths_of(name: str, mapping: Mapping[Any, Any]) -> None:
    """Raise TypeError unless every key of *mapping* is a path inside data."""
    for path in mapping:
        if not isinstance(path, tuple) or not all(
            isinstance(step, (str, int)) and not isinstance(step, bool) for step in path
        ):
            msg = (
                f"Imported.{name}: a path is a tuple of keys and indexes, got "
                f"{_kind(path)}"
            )
            raise TypeError(msg)


def _entries(
    name: str,
    what: str,
    wanted: str,
    fits: Callable[[object], bool],
    error: type[Exception],
) -> Callable[[object, object, Mapping[Any, Any]], None]:
    """Return the validator of ``Imported.<name>``: paths, each with *what*."""

    def validate(_inst: object, _attribute: object, value: Mapping[Any, Any]) -> None:
        _paths_of(name, value)
        for path, entry in value.items():
            if not fits(entry):
                shown = _kind(entry) if error is TypeError else short_repr(entry)
                msg = (
                    f"Imported.{name}: the {what} of {short_repr(path)} must be "
                    f"{wanted}, got {shown}"
                )
                raise error(msg)

    return validate


_valid_lines = _entries(
    "lines", "line", "a whole number, 1 or more", _is_line, ValueError
)
_valid_where = _entries(
    "where", "name", "text", lambda v: isinstance(v, str), TypeError
)


def _valid_problems(
    _inst: object, _attribute: object, value: tuple[object, ...]
) -> None:
    for problem in value:
        if not isinstance(problem, ImportProblem):
            msg = f"Imported.problems holds ImportProblem objects, got {_kind(problem)}"
            raise TypeError(msg)


@attrs.frozen(kw_only=True)
class Imported:
    """What an importer read from one file, in the engagement file format's terms.

    ``data`` is plain data exactly as an engagement file would hold it (dicts,
    lists, strings, numbers, booleans and None; dates as ISO 8601 strings): one
    engagement (a mapping with ``id``), a portfolio (a mapping with
    ``engagements:`` and optional ``defaults:``), or a fragment of one engagement
    (a mapping without ``id``), to be merged under ``imports:``.

    ``lines`` maps paths inside ``data`` (keys and list indices from its root) to
    the 1-based line of the file the value was read from, and ``where`` maps
    paths to the importer's own name of the item (``event "sync@acme.co.uk"``);
    a value without an entry is located by its nearest parent that has one.
    ``problems`` are what could not be read: each becomes a load error, while the
    rest of ``data`` is still loaded. Lines are 1 or more; a path is a tuple of
    keys and indexes; anything else is refused here, where the importer builds
    its result (``TypeError`` or ``ValueError`` naming the field).
    """

    data: Any = attrs.field(factory=dict)
    lines: Mapping[DataPath, int] = attrs.field(
        factory=dict, converter=_frozen_mapping, validator=_valid_lines
    )
    where: Mapping[DataPath, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, validator=_valid_where
    )
    problems: tuple[ImportProblem, ...] = attrs.field(
        default=(), converter=_problems, validator=_valid_problems
    )


def _check_suffixes(
    inst: Importer, _attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    if not value:
        msg = (
            f"importer {inst.name!r} must name at least one file suffix, "
            "like '.csv' (got none)"
        )
        raise ValueError(msg)


#: What an importer's function takes: the file, and every option's value.
ImportFunction = Callable[[Path, Mapping[str, Any]], Imported]
#: How many characters of a file an importer's ``sniff`` is given (64 KiB).
SNIFF_CHARS = 64 * 1024


class ImporterOptionError(ValueError):
    """Options an importer does not take, or values it cannot use.

    ``importer`` is the importer's name; ``problems`` lists each problem as
    ``(option, message)``, the message naming the option, what it takes and,
    for an unknown option, the closest known one.
    """

    def __init__(self, importer: str, problems: Sequence[tuple[str, str]]) -> None:
        """Record the *problems* of *importer*'s options."""
        self.importer = importer
        self.problems = tuple(problems)
        super().__init__("; ".join(message for _, message in self.problems))


def _importer_options(value: Mapping[str, Any] | None) -> Mapping[str, Option]:
    return {
        name: option if isinstance(option, Option) else Option(default=option)
        for name, option in (value or {}).items()
    }


def _takes_options(func: Callable[..., Any]) -> bool:
    """Whether *func* takes ``(path, options)``: a second argument without default.

    A function of the path alone, like ``read(path)`` or ``read(path,
    encoding="utf-8")``, is a version 1 importer's.
    """
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # builtins without a signature
        return True
    positional = []
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return True
        if parameter.kind in _POSITIONAL:
            positional.append(parameter)
    return len(positional) >= 2 and positional[1].default is inspect.Parameter.empty


_POSITIONAL = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
)
_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _from_text(option: Option, text: str) -> object:
    """Read *text* given on the command line as a value of *option*'s type.

    Text that does not read as the type is returned as it is, so that the
    option's own check says what it takes.
    """
    kind = option.type
    word = text.strip()
    if kind is bool and word.casefold() in _TRUE_WORDS | _FALSE_WORDS:
        return word.casefold() in _TRUE_WORDS
    if kind is int and _INTEGER.fullmatch(word):
        return int(word)
    if kind is float:
        try:
            return float(word)
        except ValueError:
            return text
    return text


@attrs.frozen(kw_only=True)
class Importer:
    """Reads files of another system into engagement data: an importer plugin.

    ``name`` identifies it (``--importer``, ``importer:`` under ``imports:``,
    ``outsourcekit plugins``); ``suffixes`` are the file suffixes it reads
    (``".ics"``); ``sniff``, if given, is told the first
    :data:`SNIFF_CHARS` characters of a file and says whether the file is this
    importer's, for suffixes several systems share (an OCDS package and a
    Trello board are both ``.json``). ``options`` maps option names to
    :class:`~outsourcekit.Option` (or plain defaults); they are checked
    like rule options before ``func`` is called, which then gets every option,
    defaults filled in. ``extra`` names the pip extra whose packages ``func``
    imports (``"calendar"``), for the message when they are missing; ``plugin``
    is set to the registering plugin's name.

    ``func(path, options)`` returns an :class:`Imported`: plain data in the
    engagement file format's terms, with the lines it came from, and the
    problems of the file. It reads the local file it is given and nothing
    else, and it does not raise for bad content: an exception is the
    importer's own failure, reported as a plugin error.

    A version 1 importer, whose ``func`` takes the path alone and returns
    engagements, still works but is deprecated: using it warns with a
    :class:`DeprecationWarning`.
    """

    name: str
    suffixes: tuple[str, ...] = attrs.field(
        converter=_suffixes, validator=_check_suffixes
    )
    func: ImportFunction | Callable[[Path], Sequence[Engagement]] = attrs.field(
        repr=False, eq=False
    )
    sniff: Callable[[str], bool] | None = attrs.field(
        default=None, repr=False, eq=False
    )
    options: Mapping[str, Option] = attrs.field(
        factory=dict, converter=_importer_options, hash=False
    )
    description: str = ""
    extra: str | None = None
    plugin: str | None = attrs.field(default=None, eq=False)

    @property
    def version(self) -> int:
        """2 for ``func(path, options) -> Imported``; 1 for ``func(path)``."""
        return 2 if _takes_options(self.func) else 1

    def accepts(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file's suffix is one this importer reads (case ignored)."""
        name = Path(path).name.lower()
        return any(name.endswith(s) for s in self.suffixes)

    def recognises(self, head: str) -> bool:
        """Whether ``sniff`` says a file starting with *head* is this importer's.

        False for an importer without ``sniff``. What ``sniff`` raises passes on.
        """
        return self.sniff is not None and bool(self.sniff(head))

    def option_name(self, name: str) -> str | None:
        """Return the importer's own spelling of option *name*, or None.

        ``-`` and ``_`` are alike, as for rule options.
        """
        if name in self.options:
            return name
        wanted = name.replace("_", "-")
        for own in self.options:
            if own.replace("_", "-") == wanted:
                return own
        return None

    def check_options(
        self, given: Mapping[str, object] | None = None
    ) -> dict[str, Any]:
        """Return every option's value: *given* ones checked, defaults for the rest.

        Raises:
            ImporterOptionError: an option is unknown (the closest known one is
                suggested) or its value does not suit its type; every problem
                is listed.

        """
        values = {name: option.default for name, option in self.options.items()}
        problems: list[tuple[str, str]] = []
        for name, value in (given or {}).items():
            own = self.option_name(str(name))
            if own is None:
                known = sorted(self.options)
                listed = ", ".join(known) or "none"
                hint = did_you_mean(str(name), known)
                message = (
                    f"importer {self.name!r} has no option {name!r}{hint} "
                    f"(options: {listed})"
                )
                problems.append((str(name), message))
                continue
            try:
                values[own] = self.options[own].validate(own, value)
            except ValueError as error:
                problems.append((own, str(error)))
        if problems:
            raise ImporterOptionError(self.name, problems)
        return values

    def options_from_text(self, given: Mapping[str, str]) -> dict[str, object]:
        """Return options given as text (``--option key=value``) as their types' values.

        ``true``/``false`` (also ``yes``/``no``, ``1``/``0``) for true-or-false
        options, numbers for number options; a list option keeps its text,
        whose commas separate the items. Unknown options and text that does
        not read as its type are kept as they are, for :meth:`check_options`
        to report.
        """
        out: dict[str, object] = {}
        for name, text in given.items():
            own = self.option_name(name)
            out[name] = text if own is None else _from_text(self.options[own], text)
        return out

    def read(
        self, path: str | os.PathLike[str], options: Mapping[str, object] | None = None
    ) -> Imported:
        """Read the file at *path* with *options* and return what the importer found.

        The options are checked first (:meth:`check_options`). This calls the
        importer's function as the loader does, without validating the data
        it returns against the file format: :func:`outsourcekit.load` and
        ``outsourcekit import`` do that.

        Raises:
            ImporterOptionError: the options do not suit the importer.
            TypeError: the importer is a version 1 one (call it instead), or
                its function returned something other than :class:`Imported`.

        """
        if self.version == 1:
            msg = (
                f"importer {self.name!r} is a version 1 importer: it takes the "
                "path alone and returns engagements; call it instead"
            )
            raise TypeError(msg)
        values = self.check_options(options)
        func = cast("ImportFunction", self.func)
        result: object = func(Path(path), values)
        if not isinstance(result, Imported):
            msg = (
                f"importer {self.name!r} returned {short_repr(result)} "
                f"({kind_of(result)}) instead of outsourcekit.plugins.Imported"
            )
            raise TypeError(msg)
        return result

    def __call__(self, path: str | os.PathLike[str]) -> list[Engagement]:
        """Read the file at *path* with a version 1 importer; deprecated.

        A version 2 importer gives data, not engagements: :meth:`read` returns
        it, :func:`outsourcekit.load` loads the engagements of a file.
        """
        if self.version != 1:
            msg = (
                f"importer {self.name!r} gives engagement data, not engagements: "
                "importer.read(path) returns its data, outsourcekit.load(path) "
                "the engagements of a file"
            )
            raise TypeError(msg)
        warn_version_1(self)
        func = cast("Callable[[Path], Sequence[Engagement]]", self.func)
        return list(func(Path(path)))


def warn_version_1(importer: Importer) -> None:
    """Warn that *importer* is a version 1 importer, which is deprecated."""
    warnings.warn(
        f"importer {importer.name!r} (plugin {importer.plugin or 'unknown'}) takes "
        "the path alone and returns engagements, which is deprecated: take "
        "(path, options) and return outsourcekit.plugins.Imported data",
        DeprecationWarning,
        stacklevel=3,
    )


@attrs.frozen(kw_only=True)
class PluginInfo:
    """One plugin as ``outsourcekit plugins`` shows it.

    ``builtin`` plugins are outsourcekit's own modules; ``error`` says why a
    plugin failed to load, if it did.
    """

    name: str
    version: str | None
    builtin: bool
    distribution: str | None = None
    hooks: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    exporters: tuple[str, ...] = ()
    importers: tuple[str, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the information as plain data."""
        return {
            "name": self.name,
            "version": self.version,
            "builtin": self.builtin,
            "distribution": self.distribution,
            "hooks": list(self.hooks),
            "rules": list(self.rules),
            "exporters": list(self.exporters),
            "importers": list(self.importers),
            "error": self.error,
        }


class _Registry:
    """The plugin manager with what outsourcekit learnt loading it."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.errors: list[PluginError] = []
        self.dists: dict[str, tuple[str, str]] = {}
        self.failed: dict[str, str] = {}
        self.builtins = False

    def record(self, plugin: str, message: str) -> None:
        """Record (once) and warn about a plugin's failure.

        It is told to the :func:`collecting_errors` around it too, even when it
        was recorded before.
        """
        error = PluginError(plugin=plugin, message=message)
        collected = _COLLECTED.get()
        if collected is not None and error not in collected:
            collected.append(error)
        if error in self.errors:
            return
        self.errors.append(error)
        warnings.warn(
            f"outsourcekit plugin {plugin!r}: {message}",
            OutsourcekitPluginWarning,
            stacklevel=4,
        )

    def load_builtins(self) -> None:
        """Register the built-in plugins, once, on the first question they answer.

        What the registration hooks return is sorted by name, so the order in
        which pluggy calls plugins decides nothing.
        """
        if self.builtins:
            return
        self.builtins = True
        for module_name in DEFAULT_PLUGINS:
            module = importlib.import_module(module_name)
            self.pm.register(module, name=module_name)

    def load_entry_points(self) -> None:
        """Load the installed plugins that ``OUTSOURCEKIT_LOAD_PLUGINS`` selects.

        Names are compared normalised (PEP 503: case, ``-``, ``_`` and ``.``
        alike), entry-point names as distribution names; a named plugin that
        is not installed is reported as the variable spells it.
        """
        wanted = _wanted(os.environ.get(ENV_LOAD_PLUGINS))
        found: set[str] = set()
        points = importlib.metadata.entry_points(group=PROJECT_NAME)
        for ep in sorted(points, key=lambda p: (p.name, p.value)):
            dist = ep.dist
            dist_name = None if dist is None else dist.name
            if wanted is not None:
                names = {_norm(ep.name)}
                if dist_name is not None:
                    names.add(_norm(dist_name))
                if not names & wanted.keys():
                    continue
                found |= names & wanted.keys()
            self.load_entry_point(ep, dist_name, None if dist is None else dist.version)
        for key, named in sorted((wanted or {}).items()):
            if key in found:
                continue
            self.failed[named] = "not installed"
            self.record(named, f"is named in {ENV_LOAD_PLUGINS} but is not installed")

    def load_entry_point(
        self, ep: importlib.metadata.EntryPoint, dist: str | None, version: str | None
    ) -> None:
        name = ep.name
        if self.pm.get_plugin(name) is not None or name in self.failed:
            other = self.dists.get(name, ("another distribution", ""))[0]
            self.record(
                name, f"is declared twice, by {other} and by {dist}; the first won"
            )
            return
        try:
            plugin = ep.load()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - any import failure is the plugin's
            failure = raised_text(exc)
            message = f"cannot be imported ({ep.value}): {failure}"
            self.failed[name] = message
            self.record(name, message)
            return
        try:
            self.pm.register(plugin, name=name)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - e.g. pluggy.PluginValidationError
            message = f"cannot be registered: {raised_text(exc)}"
            self.failed[name] = message
            self.record(name, message)
            return
        if dist is not None:
            self.dists[name] = (dist, version or "")
        self.check_hooks(name, plugin)

    def check_hooks(self, name: str, plugin: object) -> None:
        """Record hook implementations that match no hook (a typo, most often)."""
        known = [n for n in dir(hookspecs) if n.startswith(f"{PROJECT_NAME}_")]
        for caller in self.pm.get_hookcallers(plugin) or ():
            if caller.spec is None:
                best = suggest(caller.name, known)
                hint = "" if best is None else f" (did you mean {best!r}?)"
                self.record(name, f"implements an unknown hook {caller.name!r}{hint}")

    def call_each(self, hook: str, **kwargs: object) -> Iterator[tuple[str, Any]]:
        """Call each plugin's implementation of *hook* in pluggy's order.

        A plugin that raises is recorded; the others are still called.
        """
        for impl in _impls(self.pm, hook):
            try:
                result = _invoke(impl, kwargs)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
                self.record(
                    impl.plugin_name,
                    f"{hook} raised {raised_text(exc)}",
                )
                continue
            yield impl.plugin_name, result

    def results(self, hook: str, what: str) -> Iterator[tuple[str, list[Any]]]:
        """Each plugin's items registered through *hook*, as a list.

        A plugin's hook may return any iterable, a generator included, which
        is read here: one that raises while it is read is recorded as its hook
        raising, and one that returns what cannot be read as a list of *what*
        is recorded too; the other plugins' items still count.
        """
        for plugin, result in self.call_each(hook):
            if result is None:
                continue
            if isinstance(result, (str, bytes, Mapping)):  # no list, read one
                self.record(
                    plugin,
                    f"{hook} returned {short_repr(result)} ({kind_of(result)}) "
                    f"instead of a list of {what}s",
                )
                continue
            try:
                iterator = iter(result)
            except TypeError:
                self.record(
                    plugin,
                    f"{hook} returned {short_repr(result)} instead of a list "
                    f"of {what}s",
                )
                continue
            try:
                items = list(iterator)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
                self.record(plugin, f"{hook} raised {raised_text(exc)}")
                continue
            yield plugin, items

    def registered(
        self, hook: str, kind: type[_T], what: str
    ) -> Iterator[tuple[str, _T]]:
        """Every item registered through *hook*, checked to be a *kind*."""
        for plugin, items in self.results(hook, what):
            for item in items:
                if isinstance(item, kind):
                    yield plugin, item
                else:
                    self.record(
                        plugin,
                        f"{hook} returned {short_repr(item)} ({kind_of(item)}) "
                        f"instead of {_article(kind.__name__)} {kind.__name__}",
                    )


def _article(word: str) -> str:
    """Return the article of *word*: ``an`` before a vowel, else ``a``."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _impls(pm: pluggy.PluginManager, hook: str) -> list[pluggy.HookImpl]:
    """Return the plain implementations of *hook*, in the order pluggy calls them.

    Registration hooks are called one plugin at a time, so that one plugin's
    failure hides nothing of the others'; wrappers have no part in that.
    """
    impls = getattr(pm.hook, hook).get_hookimpls()
    return [i for i in reversed(impls) if not (i.hookwrapper or i.wrapper)]


def _invoke(impl: pluggy.HookImpl, kwargs: dict[str, object]) -> Any:
    return impl.function(*[kwargs[name] for name in impl.argnames])


_lock = threading.Lock()
_registry: _Registry | None = None


def _get(*, builtins: bool = True) -> _Registry:
    """Return the registry, loading installed plugins on first use.

    With *builtins* the built-in plugins are registered too; the hooks that
    only installed plugins implement (``outsourcekit_engagement_loaded``) do
    without them.
    """
    global _registry  # noqa: PLW0603 - the one lazily built registry
    with _lock:
        if _registry is None:
            registry = _Registry()
            registry.load_entry_points()
            _registry = registry
        if builtins:
            _registry.load_builtins()
        return _registry


def _wanted(value: str | None) -> dict[str, str] | None:
    """Return the names in *value*, normalised, each with its spelling in *value*.

    None when *value* is None (every plugin loads).
    """
    if value is None:
        return None
    wanted: dict[str, str] = {}
    for name in value.split(","):
        if name.strip():
            wanted.setdefault(_norm(name), name.strip())
    return wanted


def _norm(name: str) -> str:
    """Return a distribution or entry-point name normalized as in PEP 503."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def get_plugin_manager() -> pluggy.PluginManager:
    """Return the plugin manager, built on first use with every plugin."""
    return _get().pm


def register(plugin: object, name: str | None = None) -> str:
    """Register a module or object with hook implementations; return its plugin name.

    Use it for plugins that are not installed, such as a notebook's own module.
    """
    registry = _get()
    registered = registry.pm.register(plugin, name=name)
    if registered is None:  # pragma: no cover - pluggy returns None only when blocked
        msg = f"plugin {name!r} is blocked"
        raise ValueError(msg)
    registry.check_hooks(registered, plugin)
    return registered


def reset() -> None:
    """Forget the plugin manager: the next use loads plugins afresh (for tests)."""
    global _registry  # noqa: PLW0603
    with _lock:
        _registry = None


def _unique(
    items: Iterable[tuple[str, _T]], keys: Callable[[_T], Iterable[tuple[str, str]]]
) -> list[_T]:
    owners: dict[tuple[str, str], str] = {}
    out = []
    for plugin, item in items:
        for kind, key in keys(item):
            if (kind, key) in owners:
                raise PluginConflictError(kind, key, (owners[kind, key], plugin))
            owners[kind, key] = plugin
        out.append(item)
    return out


def get_rules() -> list[Rule]:
    """Return every registered rule, built-in and plugins', sorted by code.

    Each rule records the plugin that registered it. Raise
    :class:`PluginConflictError` naming both plugins when two rules share a code
    or a slug.
    """
    registry = _get()
    found = (
        (plugin, r.with_plugin(plugin))
        for plugin, r in registry.registered(
            "outsourcekit_register_rules", Rule, "rule"
        )
        if _allowed(registry, plugin, r)
    )
    rules = _unique(found, lambda r: (("rule code", r.code), ("rule slug", r.slug)))
    return sorted(rules, key=lambda r: r.code)


def _allowed(registry: _Registry, plugin: str, r: Rule) -> bool:
    """Whether *plugin* may register *r*: the ``OSK`` prefix is outsourcekit's.

    A plugin's rule with that prefix is left out and recorded as the plugin's
    error, so that installing a plugin never silently changes a built-in verdict.
    """
    if plugin in DEFAULT_PLUGINS or not r.code.upper().startswith(RESERVED_PREFIX):
        return True
    registry.record(
        plugin,
        f"registers rule {r.code} ({r.slug}), but the code prefix "
        f"{RESERVED_PREFIX!r} is reserved for outsourcekit's own rules; "
        "the rule is not used",
    )
    return False


def rule_plugins(rules: Iterable[Rule]) -> list[tuple[str, str | None]]:
    """Return the name and version of each plugin that registered one of *rules*.

    outsourcekit's own rules count as the plugin ``outsourcekit.builtin.rules``
    at outsourcekit's version; rules handed in without a plugin are left out.
    Sorted by name.
    """
    registry = _get()
    names = {r.plugin for r in rules if r.plugin is not None}
    out: list[tuple[str, str | None]] = []
    for name in sorted(names):
        if name in DEFAULT_PLUGINS:
            out.append((name, __version__))
        else:
            version = registry.dists.get(name, (None, None))[1] or None
            out.append((name, version))
    return out


def get_exporters() -> list[Exporter]:
    """Return every registered exporter (report format), sorted by name.

    Raise :class:`PluginConflictError` when two share a name.
    """
    registry = _get()
    found = (
        (plugin, attrs.evolve(e, plugin=plugin))
        for plugin, e in registry.registered(
            "outsourcekit_register_exporters", Exporter, "exporter"
        )
    )
    return sorted(
        _unique(found, lambda e: (("exporter", e.name),)), key=lambda e: e.name
    )


def get_importers() -> list[Importer]:
    """Return every registered importer, sorted by name.

    Raise :class:`PluginConflictError` when two share a name.
    """
    registry = _get()
    found = (
        (plugin, attrs.evolve(i, plugin=plugin))
        for plugin, i in registry.registered(
            "outsourcekit_register_importers", Importer, "importer"
        )
    )
    return sorted(
        _unique(found, lambda i: (("importer", i.name),)), key=lambda i: i.name
    )


def importer_for(
    path: str | os.PathLike[str], head: str | None = None
) -> Importer | None:
    """Return the registered importer that reads files like *path*, or None.

    Importers are matched by the file's suffix, the one matching the longest
    end of the name first, then by name. Given *head*, the file's first
    characters (:data:`SNIFF_CHARS` of them), an importer with a ``sniff`` is
    chosen only when it recognises them, before any without; without *head*
    the suffix alone decides. A ``sniff`` that raises is recorded as its
    plugin's error and recognises nothing.
    """
    name = Path(path).name.lower()
    ranked: list[tuple[int, str, Importer]] = []
    for importer in get_importers():
        matched = [len(s) for s in importer.suffixes if name.endswith(s)]
        if matched:
            ranked.append((-max(matched), importer.name, importer))
    ranked.sort(key=lambda item: item[:2])
    if head is None:
        return ranked[0][2] if ranked else None
    for _, _, importer in ranked:
        if importer.sniff is not None and _recognises(importer, head, path):
            return importer
    return next((i for _, _, i in ranked if i.sniff is None), None)


def _recognises(importer: Importer, head: str, path: str | os.PathLike[str]) -> bool:
    try:
        return importer.recognises(head)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
        record_error(
            importer.plugin or importer.name,
            f"importer {importer.name!r}: sniff raised {type(exc).__name__}: "
            f"{error_text(exc)} "
            f"(reading {os.fspath(path)})",
        )
        return False


def find_importer(name: str) -> Importer | None:
    """Return the registered importer called *name*, or None if there is none."""
    return next((i for i in get_importers() if i.name == name), None)


def record_error(plugin: str, message: str) -> None:
    """Record a plugin's failure found while using what it registered.

    An importer that raises or returns something other than
    :class:`Imported` data is recorded here; the failure shows in
    :func:`plugin_errors` like any other.
    """
    _get().record(plugin, message)


#: The plugin errors :func:`collecting_errors` gathers in this context.
_COLLECTED: contextvars.ContextVar[list[PluginError] | None] = contextvars.ContextVar(
    "outsourcekit_plugin_errors", default=None
)


@contextlib.contextmanager
def collecting_errors() -> Iterator[list[PluginError]]:
    """Gather the plugin errors recorded in this thread while the block runs.

    The list holds each error once, also one recorded before the block (which
    :func:`plugin_errors` holds once): a worker of a cluster, which checks
    many partitions, sends each partition's back with it.
    """
    collected: list[PluginError] = []
    token = _COLLECTED.set(collected)
    try:
        yield collected
    finally:
        _COLLECTED.reset(token)


def plugin_errors() -> tuple[PluginError, ...]:
    """Return the plugins that failed so far: to import, register or register things."""
    return tuple(_get().errors)


def implements(hook: str) -> bool:
    """Whether any plugin registered so far implements *hook*.

    Asking registers no built-in plugin: none implements the hooks worth asking
    about (``outsourcekit_engagement_loaded``, ``outsourcekit_report_ready``).
    """
    return bool(getattr(_get(builtins=False).pm.hook, hook).get_hookimpls())


def reports_seen() -> bool:
    """Whether a plugin sees finished reports (``outsourcekit_report_ready``).

    Such a plugin may store or post the report: its findings then need their
    lines even when no output prints them.
    """
    return bool(_impls(_get().pm, "outsourcekit_report_ready"))


def report_ready(report: Report) -> tuple[PluginError, ...]:
    """Show a finished report to every plugin's ``outsourcekit_report_ready``.

    Return the failures (a plugin that raised) instead of raising them.
    """
    registry = _get()
    failures: list[PluginError] = []
    for impl in _impls(registry.pm, "outsourcekit_report_ready"):
        try:
            _invoke(impl, {"report": report})
        except KeyboardInterrupt:  # noqa: PERF203 - each plugin fails alone
            raise
        except BaseException as exc:  # noqa: BLE001 - each plugin fails alone
            failures.append(
                PluginError(
                    plugin=impl.plugin_name,
                    message=f"outsourcekit_report_ready raised {raised_text(exc)}",
                )
            )
    return tuple(failures)


def engagement_loaded(engagement: Engagement) -> Engagement:
    """Pass a just-loaded engagement through each ``outsourcekit_engagement_loaded``.

    Each implementation sees the previous one's result; None keeps the engagement
    as it is. A plugin that raises, returns something else, or changes the
    engagement's id is recorded and its result skipped.
    """
    registry = _get(builtins=False)
    hook = "outsourcekit_engagement_loaded"
    current = engagement
    for impl in _impls(registry.pm, hook):
        try:
            result = _invoke(impl, {"engagement": current})
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a plugin's failure is data
            registry.record(
                impl.plugin_name,
                f"{hook} raised {raised_text(exc)}",
            )
            continue
        if isinstance(result, Engagement) and result.id != current.id:
            # Ids are checked unique as files load, before this hook: one it
            # changed could clash with another engagement's, unseen.
            registry.record(
                impl.plugin_name,
                f"{hook} changed the id {current.id!r} to {result.id!r}; an "
                "engagement keeps its id (the change is not taken)",
            )
        elif isinstance(result, Engagement):
            current = result
        elif result is not None:
            registry.record(
                impl.plugin_name,
                f"{hook} returned {short_repr(result)} ({kind_of(result)}) "
                "instead of an Engagement or None",
            )
    return current


def plugin_info() -> list[PluginInfo]:
    """Every plugin, loaded or failed: name, version, what it registers, its error.

    Built-in plugins come first, then installed ones by name.
    """
    registry = _get()
    rules_by: dict[str, list[str]] = {}
    for owner, r in registry.registered("outsourcekit_register_rules", Rule, "rule"):
        rules_by.setdefault(owner, []).append(r.code)
    exporters_by = _names_by(registry, "outsourcekit_register_exporters", "exporter")
    importers_by = _names_by(registry, "outsourcekit_register_importers", "importer")
    infos = []
    for name, plugin in registry.pm.list_name_plugin():
        builtin = name in DEFAULT_PLUGINS
        dist, version = registry.dists.get(name, (None, None))
        infos.append(
            PluginInfo(
                name=name,
                version=__version__ if builtin else version,
                builtin=builtin,
                distribution="outsourcekit" if builtin else dist,
                hooks=tuple(
                    sorted(c.name for c in registry.pm.get_hookcallers(plugin) or ())
                ),
                rules=tuple(sorted(rules_by.get(name, ()))),
                exporters=tuple(sorted(exporters_by.get(name, ()))),
                importers=tuple(sorted(importers_by.get(name, ()))),
                error=_first_error(registry, name),
            )
        )
    infos.extend(
        PluginInfo(name=name, version=None, builtin=False, error=message)
        for name, message in registry.failed.items()
    )
    return sorted(infos, key=lambda i: (not i.builtin, i.name))


def _names_by(registry: _Registry, hook: str, what: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for plugin, items in registry.results(hook, what):
        for item in items:
            name = getattr(item, "name", None)
            if isinstance(name, str):
                out.setdefault(plugin, []).append(name)
    return out


def _first_error(registry: _Registry, name: str) -> str | None:
    for error in registry.errors:
        if error.plugin == name:
            return error.message
    return None
