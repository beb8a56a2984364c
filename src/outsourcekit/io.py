"""Reading and writing engagement files, with located errors for what does not load.

:func:`load` and :func:`load_all` read YAML, JSON and TOML files and directories,
:func:`loads` and :func:`from_dict` text and plain data; :func:`dump`,
:func:`dumps` and :func:`to_dict` write engagements back. What does not load is
reported by a :class:`LoadError` listing every :class:`LoadIssue` with its file,
line, column and path. Once a check has run, :func:`locate_findings` finds the
line of each finding in its engagement's file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import pathlib
import stat
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

import attrs
import tomli_w
import yaml

from ._convert import (
    FieldError,
    Path,
    UnknownKeyError,
    describe_value,
    iter_errors,
    make_converter,
)
from ._gc import collector_paused
from ._source import (
    Format,
    JsonLayoutError,
    JsonText,
    Location,
    Parsed,
    SourceSyntaxError,
    SyntaxIssue,
    YamlDumper,
    YamlLayoutError,
    YamlText,
    detect_format,
    format_path,
    format_position,
    parse,
    parse_path,
)
from .model import Engagement, Origin
from .model._engagement import ConstraintError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import cattrs

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "LoadError",
    "LoadIssue",
    "OnLoaded",
    "Reader",
    "ReaderFor",
    "dump",
    "dumps",
    "format_path",
    "from_dict",
    "load",
    "load_all",
    "loads",
    "locate_findings",
    "to_dict",
]

#: The version of the engagement file format this library reads and writes.
FORMAT_VERSION: Final = 1

#: The largest file read, in bytes (256 MiB); a larger one is a load error.
MAX_FILE_BYTES: Final = 256 * 1024 * 1024

_FORMATS: Final = ("yaml", "json", "toml")
_SUFFIXES: Final = frozenset({".yaml", ".yml", ".json", ".toml"})
_VERSION_KEY: Final = "outsourcekit"
_PORTFOLIO_KEYS: Final = (_VERSION_KEY, "engagements", "defaults")


# -- Errors ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LoadIssue:
    """One reason an engagement file, or part of it, did not load.

    ``source`` is the file as it was given (None for text that came from no file),
    ``line`` and ``column`` are 1-based where known, ``path`` is where in the
    engagement the problem is, in the file format's path syntax
    (``kpis[close-time].target``; empty for the whole file), ``expected`` is what
    was expected there and ``value`` what was found.
    """

    source: str | None
    line: int | None
    column: int | None
    path: str
    message: str
    expected: str | None = None
    value: Any = attrs.field(default=None, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as in the ``errors`` list of the JSON output."""
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        """Render as ``file:line:column: path: message``."""
        where = format_position(self.source, self.line, self.column)
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class LoadError(Exception):
    """Engagement files that did not load, with every issue found in them.

    ``issues`` lists each problem, located; ``loaded`` holds the engagements that
    did load, so that they can still be checked.
    """

    def __init__(
        self, issues: Iterable[LoadIssue], loaded: Iterable[Engagement] = ()
    ) -> None:
        """Record *issues* and the engagements that were *loaded* all the same."""
        self.issues: tuple[LoadIssue, ...] = tuple(issues)
        self.loaded: list[Engagement] = list(loaded)
        super().__init__(self.issues, self.loaded)

    def __str__(self) -> str:
        """List every issue on a line of its own."""
        return "\n".join(str(issue) for issue in self.issues)


# -- Converters --------------------------------------------------------------------


@functools.cache
def _converter(*, detailed: bool) -> cattrs.Converter:
    return make_converter(detailed_validation=detailed)


@functools.cache
def _toml_converter() -> cattrs.Converter:
    """Return a converter that leaves dates as dates: TOML writes them bare."""
    converter = make_converter()
    converter.register_unstructure_hook(dt.date, _same)
    converter.register_unstructure_hook(dt.datetime, _same)
    return converter


def _same(value: object) -> object:
    return value


def _engagement_hook(*, detailed: bool) -> Callable[..., Engagement]:
    hook: Callable[..., Engagement] = _converter(detailed=detailed).get_structure_hook(
        Engagement
    )
    return hook


# -- Locations -----------------------------------------------------------------------


class _Locator:
    """Finds where paths of one file's engagements are, reading its text in full.

    The text is read with locations on the first question, once for all the
    engagements of the file.
    """

    def __init__(self, text: str, fmt: Format, source: str | None) -> None:
        self.text = text
        self.format = fmt
        self.source = source
        self._parsed: Parsed | None = None

    def parsed(self) -> Parsed:
        """Return the file's data with the location of every value."""
        if self._parsed is None:
            self._parsed = parse(
                self.text, self.format, source=self.source, locations=True
            )
        return self._parsed

    def data(self) -> tuple[object, object]:
        """Return the file's engagement data root and its defaults, if any."""
        data = self.parsed().data
        if isinstance(data, dict) and "engagements" in data:
            return data.get("engagements"), data.get("defaults")
        return data, None

    def resolve(self, index: int | None, steps: Path) -> tuple[Path, bool]:
        """Return the file path of *steps* in engagement *index*, and if in defaults.

        A value written in the engagement is there; else a value written in
        ``defaults:`` is there; else the path is in the engagement (where its
        nearest written parent is located).
        """
        root, defaults = self.data()
        prefix: Path = () if index is None else ("engagements", index)
        item = root if index is None else _walk(root, (index,))
        if _walk(item, steps) is not _ABSENT or defaults is None:
            return (*prefix, *steps), False
        if _walk(defaults, steps) is not _ABSENT:
            return ("defaults", *steps), True
        return (*prefix, *steps), False

    def location(
        self, index: int | None, steps: Path, *, key: bool = False
    ) -> Location:
        """Return where *steps* of engagement *index* are (their key, if *key*)."""
        parsed = self.parsed()
        path, _ = self.resolve(index, steps)
        return parsed.locate_key(path) if key else parsed.locate(path)

    def line(self, index: int | None, path: str) -> int | None:
        """Return the line of *path*, in path syntax, in engagement *index*."""
        try:
            root, defaults = self.data()
        except SourceSyntaxError:
            return None
        item = root if index is None else _walk(root, (index,))
        for data in (item, defaults):
            try:
                steps = parse_path(path, data)
            except ValueError:
                continue
            return self.location(index, steps).line
        return self.location(index, ()).line


class _Absent:
    """Marks a path that leads nowhere in the data."""


_ABSENT: Final = _Absent()


def _walk(data: object, steps: Path) -> object:
    """Return the value at *steps* in *data*, or ``_ABSENT``."""
    for step in steps:
        if isinstance(data, dict):
            if step not in data:
                return _ABSENT
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return _ABSENT
    return data


def _origin(source: str | None, index: int | None) -> Origin:
    return Origin(source=source, index=index)


# -- Reading plain data ----------------------------------------------------------


class _Invalid(Exception):  # noqa: N818 -- internal signal, never raised to users
    """The fast path met something it leaves to the detailed one."""


def _merge(defaults: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Merge *item* over *defaults*: mappings recursively, anything else replaced."""
    result = dict(defaults)
    for key, value in item.items():
        default = result.get(key)
        if isinstance(value, dict) and isinstance(default, dict):
            result[key] = _merge(default, value)
        else:
            result[key] = value
    return result


def _version_problem(value: object) -> str | None:
    """Return what is wrong with a format version, or None if it is this one."""
    if type(value) is int and value == FORMAT_VERSION:
        return None
    if type(value) is int:
        return (
            f"unknown format version {value}: this outsourcekit reads version "
            f"{FORMAT_VERSION}"
        )
    return f"expected the format version {FORMAT_VERSION}, got {describe_value(value)}"


def _split_fast(
    data: object,
) -> tuple[list[Any], dict[str, Any] | None, bool]:
    """Return a file's engagements, its defaults and whether it is a portfolio.

    Raises ``_Invalid`` for anything the detailed path must report.
    """
    if type(data) is not dict:
        raise _Invalid
    if "engagements" not in data:
        return [data], None, False
    version = data.get(_VERSION_KEY, FORMAT_VERSION)
    items = data["engagements"]
    defaults = data.get("defaults")
    if (
        _version_problem(version) is not None
        or not data.keys() <= set(_PORTFOLIO_KEYS)
        or type(items) is not list
        or not (defaults is None or type(defaults) is dict)
        or (defaults is not None and "id" in defaults)
    ):
        raise _Invalid
    return items, defaults, True


def _read_fast(data: object, source: str | None) -> tuple[list[Engagement], bool]:
    """Read valid data quickly; raise on the first problem of any kind.

    *data* is the caller's own, parsed just now: each engagement's data is let go
    once it is read, so that its memory serves the next ones.
    """
    items, defaults, portfolio = _split_fast(data)
    structure = _engagement_hook(detailed=False)
    result = []
    for index in range(len(items)):
        item = items[index]
        items[index] = None
        if defaults:
            if type(item) is not dict:
                raise _Invalid
            item = _merge(defaults, item)
        if _VERSION_KEY in item and _version_problem(item.pop(_VERSION_KEY)):
            raise _Invalid
        origin = _origin(source, index if portfolio else None)
        result.append(structure(item, Engagement, origin))
    return result, portfolio


class _Reporter:
    """Collects the located issues of one file, once each."""

    def __init__(self, locator: _Locator) -> None:
        self.locator = locator
        self.issues: dict[tuple[object, ...], LoadIssue] = {}

    def add(
        self, index: int | None, steps: Path, data: object, error: BaseException | str
    ) -> None:
        """Record *error* about *steps* of engagement *index*, whose data is *data*.

        A value that comes from ``defaults:`` is reported there.
        """
        path, in_defaults = self.locator.resolve(index, steps)
        if in_defaults:
            text = format_path(path, self.locator.parsed().data)
        else:
            text = format_path(steps, data)
        self._record(path, text, error, at_key=False)

    def add_file(
        self, steps: Path, error: BaseException | str, *, at_key: bool = False
    ) -> None:
        """Record *error* about *steps* of the file itself (its key, if *at_key*)."""
        text = format_path(steps, self.locator.parsed().data)
        self._record(steps, text, error, at_key=at_key)

    def add_syntax(self, problem: SyntaxIssue, text: str) -> None:
        """Record *problem*, found by the parser where it says, at the path *text*."""
        self._keep(_load_issue(problem, text))

    def _record(
        self, path: Path, text: str, error: BaseException | str, *, at_key: bool
    ) -> None:
        parsed = self.locator.parsed()
        key = at_key or isinstance(error, UnknownKeyError)
        location = parsed.locate_key(path) if key else parsed.locate(path)
        message, expected, value = _explain(error)
        issue = LoadIssue(
            source=self.locator.source,
            line=location.line,
            column=location.column,
            path=text,
            message=message,
            expected=expected,
            value=value,
        )
        self._keep(issue)

    def _keep(self, issue: LoadIssue) -> None:
        """Record *issue* unless the same one is recorded already."""
        self.issues.setdefault(
            (issue.line, issue.column, issue.path, issue.message), issue
        )


def _explain(error: BaseException | str) -> tuple[str, str | None, Any]:
    """Return an error's message, what was expected and the value found."""
    if isinstance(error, str):
        return error, None, None
    if isinstance(error, FieldError):
        return error.message, error.expected, error.value
    args = error.args
    message = str(args[0]) if args else type(error).__name__
    value = args[-1] if len(args) >= 3 else None
    if isinstance(error, ConstraintError):
        expected = error.expected
        return f"expected {expected}, got {describe_value(value)}", expected, value
    return message, None, value


_FILE_EXPECTED: Final = (
    "a mapping: one engagement (with `id`) or a portfolio (with `engagements`)"
)


def _read_detailed(locator: _Locator) -> tuple[list[Engagement], list[LoadIssue]]:
    """Read a file's data reporting every problem, located.

    An engagement with a key written twice is checked like the others, with the
    first value of that key, but not loaded.
    """
    parsed = locator.parsed()
    data = parsed.data
    report = _Reporter(locator)
    spoiled = _report_duplicates(parsed, report)
    if not isinstance(data, dict):
        error = FieldError.expecting(_FILE_EXPECTED, data)
        if data is None:
            message = f"the file is empty: expected {_FILE_EXPECTED}"
            error = FieldError(message, expected=_FILE_EXPECTED, value=None)
        report.add_file((), error)
        return [], list(report.issues.values())
    portfolio = "engagements" in data
    items: list[Any] = [data]
    defaults: dict[str, Any] | None = None
    if portfolio:
        items, defaults = _check_portfolio(data, report)
    loaded = []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            error = FieldError.expecting("a mapping: one engagement", raw)
            report.add_file(("engagements", index), error)
            continue
        item = _merge(defaults, raw) if defaults else raw
        engagement = _read_item(item, index if portfolio else None, report)
        if engagement is not None and spoiled is not None and index not in spoiled:
            loaded.append(engagement)
    return loaded, sorted(report.issues.values(), key=_position)


def _report_duplicates(parsed: Parsed, report: _Reporter) -> set[int] | None:
    """Report the keys written twice; return the engagements they spoil, None: all.

    A key written twice inside an engagement of a portfolio spoils that one; any
    other (in a single engagement, in ``defaults:``) spoils every engagement.
    """
    root = parsed.data
    items = root.get("engagements") if isinstance(root, dict) else None
    spoiled: set[int] | None = set()
    for problem in parsed.problems:
        path = problem.path
        index = path[1] if len(path) >= 2 and path[0] == "engagements" else None
        if isinstance(items, list) and isinstance(index, int):
            text = format_path(path[2:], items[index])
            if spoiled is not None:
                spoiled.add(index)
        else:
            text = format_path(path, root)
            spoiled = None
        report.add_syntax(problem, text)
    return spoiled


def _read_item(
    item: dict[str, Any], position: int | None, report: _Reporter
) -> Engagement | None:
    """Read one engagement's data, reporting every problem; None if it has any."""
    problem = _version_problem(item.get(_VERSION_KEY, FORMAT_VERSION))
    if problem is not None:
        # An engagement of another version is not read further.
        report.add(position, (_VERSION_KEY,), item, problem)
        return None
    item = {k: v for k, v in item.items() if k != _VERSION_KEY}
    structure = _engagement_hook(detailed=True)
    try:
        origin = _origin(report.locator.source, position)
        engagement = structure(item, Engagement, origin)
    except Exception as error:  # noqa: BLE001 -- every error becomes an issue
        for steps, leaf in iter_errors(error):
            report.add(position, steps, item, leaf)
        return None
    return engagement


def _position(issue: LoadIssue) -> tuple[int, int]:
    return (issue.line or 0, issue.column or 0)


def _check_portfolio(
    data: dict[str, Any], report: _Reporter
) -> tuple[list[Any], dict[str, Any] | None]:
    """Report what is wrong around a portfolio's engagements; return them, defaults."""
    for key in data:
        if key not in _PORTFOLIO_KEYS:
            error: FieldError = UnknownKeyError(key, _PORTFOLIO_KEYS)
            if key.startswith("x-"):
                error = FieldError(
                    f"`{key}` is not kept at the top of a portfolio: put it in "
                    "`defaults:` or in an engagement",
                    expected="a key of a portfolio",
                    value=key,
                )
            report.add_file((key,), error, at_key=True)
    problem = _version_problem(data.get(_VERSION_KEY, FORMAT_VERSION))
    if problem is not None:
        # A file of another version is not read further: its keys may mean else.
        report.add_file((_VERSION_KEY,), problem)
        return [], None
    items = data["engagements"]
    if not isinstance(items, list):
        error = FieldError.expecting("a list of engagements", items)
        report.add_file(("engagements",), error)
        items = []
    defaults = data.get("defaults")
    if defaults is not None and not isinstance(defaults, dict):
        error = FieldError.expecting("a mapping (a partial engagement)", defaults)
        report.add_file(("defaults",), error)
        defaults = None
    if defaults is not None and "id" in defaults:
        error = FieldError(
            "`id` cannot have a default: each engagement has its own",
            expected="no `id`",
            value=defaults["id"],
        )
        report.add_file(("defaults", "id"), error)
        defaults = {k: v for k, v in defaults.items() if k != "id"}
    return items, defaults


def _load_issue(issue: SyntaxIssue, path: str = "") -> LoadIssue:
    """Return the parser's *issue* as a load issue at the path *path*."""
    return LoadIssue(
        source=issue.source,
        line=issue.line,
        column=issue.column,
        path=path,
        message=issue.message,
    )


def _read_text(
    text: str, fmt: Format, source: str | None
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read one file's text: its engagements, issues and whether it is a portfolio.

    Valid text is read fast, without locations; only text with problems is read
    again with locations, to say where each problem is.
    """
    locator = _Locator(text, fmt, source)
    with collector_paused():
        try:
            data = parse(text, fmt, source=source, locations=False).data
        except SourceSyntaxError as error:
            if not error.recoverable:
                return [], [_load_issue(error.issue)], False
        else:
            try:
                engagements, portfolio = _read_fast(data, source)
            except Exception:  # noqa: BLE001 -- the detailed path says what and where
                del data
            else:
                return engagements, [], portfolio
        try:
            root = locator.parsed().data
        except SourceSyntaxError as error:  # past a key written twice
            return [], [_load_issue(error.issue)], False
        portfolio = isinstance(root, dict) and "engagements" in root
        engagements, issues = _read_detailed(locator)
        return engagements, issues, portfolio


def _check_ids(
    engagements: list[Engagement],
    issues: list[LoadIssue],
    document: _Document | None = None,
) -> list[Engagement]:
    """Drop engagements whose id was seen before, reporting both places.

    The places are found in *document*, the text the engagements were read
    from, if given; else in their files, read again.
    """
    first: dict[str, Engagement] = {}
    unique = []
    locators: dict[str | None, _Locator | None] = {}
    for engagement in engagements:
        seen = first.get(engagement.id)
        if seen is None:
            first[engagement.id] = engagement
            unique.append(engagement)
            continue
        here = _id_location(engagement, locators, document)
        there = _id_location(seen, locators, document)
        issues.append(
            LoadIssue(
                source=engagement.source,
                line=here.line,
                column=here.column,
                path="id",
                message=(
                    f"duplicate id `{engagement.id}`: ids must be unique, it is "
                    f"also at {format_position(seen.source, there.line, there.column)}"
                ),
                expected="an id no other engagement has",
                value=engagement.id,
            )
        )
    return unique


def _id_location(
    engagement: Engagement,
    locators: dict[str | None, _Locator | None],
    document: _Document | None,
) -> Location:
    """Return where the id of *engagement* is written; *locators* are the files'."""
    origin = engagement.origin
    if origin is None:
        return Location()
    source = origin.source
    if source not in locators:
        if document is None and source is not None:
            document = _read_source(source)
        locators[source] = (
            None
            if document is None
            else _Locator(document.text, document.format, source)
        )
    locator = locators[source]
    if locator is None:
        return Location()
    try:
        return locator.location(origin.index, ("id",))
    except SourceSyntaxError:
        return Location()


#: Runs on each engagement just loaded and returns it, changed or not.
OnLoaded = Callable[[Engagement], Engagement]


class Reader(Protocol):
    """What the loader needs of an importer: a name, and a call from path to data."""

    @property
    def name(self) -> str:
        """The importer's name, for error messages."""
        ...

    def __call__(self, path: pathlib.Path) -> Sequence[Engagement]:
        """Read the file at *path* and return its engagements."""
        ...


#: Finds the importer for a file no built-in reader takes, or says there is none.
ReaderFor = Callable[[pathlib.Path], "Reader | None"]


def _finish(
    engagements: list[Engagement],
    issues: list[LoadIssue],
    on_loaded: OnLoaded | None,
    document: _Document | None = None,
) -> list[Engagement]:
    """Check ids, pass each engagement to *on_loaded* and raise for any issue.

    *document* is the text the engagements were read from, when not a file.
    """
    engagements = _check_ids(engagements, issues, document)
    if on_loaded is not None:
        engagements = [on_loaded(e) for e in engagements]
    if issues:
        raise LoadError(issues, engagements)
    return engagements


# -- Files -----------------------------------------------------------------------


def _files(path: pathlib.Path) -> list[pathlib.Path]:
    """Return the engagement files below a directory, in sorted order.

    Hidden files and directories (whose names start with a dot) are left out.
    """
    found = []
    for file in path.rglob("*"):
        parts = file.relative_to(path).parts
        if (
            file.suffix.lower() in _SUFFIXES
            and not any(part.startswith(".") for part in parts)
            and file.is_file()
        ):
            found.append((parts, file))
    return [file for _, file in sorted(found)]


def _import_file(
    path: pathlib.Path, reader_for: ReaderFor | None
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read a file of another system through the importer registered for it."""
    source = os.fspath(path)
    importer = None if reader_for is None else reader_for(path)
    if importer is None:
        message = (
            f"unknown file type {path.suffix or '(none)'!r}: expected .yaml, .yml, "
            ".json or .toml, or a file an importer reads (outsourcekit plugins)"
        )
        issue = LoadIssue(
            source=source, line=None, column=None, path="", message=message
        )
        return [], [issue], False
    try:
        return list(importer(path)), [], True
    except LoadError as error:
        return list(error.loaded), list(error.issues), True
    except Exception as error:  # noqa: BLE001 - a plugin's failure is a load issue
        message = f"importer {importer.name!r} failed: {type(error).__name__}: {error}"
        issue = LoadIssue(
            source=source, line=None, column=None, path="", message=message
        )
        return [], [issue], True


_KINDS: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_large(size: int) -> str:
    return (
        f"the file is too large: {size:,} bytes, over the limit of "
        f"{MAX_FILE_BYTES:,} bytes"
    )


def file_refusal(path: pathlib.Path) -> str | None:
    """Return why the file at *path* is not read, or None when it may be.

    Only regular files (a symbolic link is followed) of at most
    :data:`MAX_FILE_BYTES` are read: a FIFO, a device or a socket would never
    end. The file is looked at, never opened. Raise :class:`OSError` when it
    cannot be looked at.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = next((k for test, k in _KINDS if test(info.st_mode)), "special")
        return f"cannot be read: it is not a regular file (it is {kind})"
    if info.st_size > MAX_FILE_BYTES:
        return _too_large(info.st_size)
    return None


def _read_file(
    path: pathlib.Path, reader_for: ReaderFor | None
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    source = os.fspath(path)
    try:
        refusal = file_refusal(path)
    except OSError as error:
        refusal = f"cannot read the file: {error}"
    if refusal is not None:
        issue = LoadIssue(
            source=source, line=None, column=None, path="", message=refusal
        )
        return [], [issue], False
    fmt = detect_format(path)
    if fmt is None:
        return _import_file(path, reader_for)
    try:
        with path.open(encoding="utf-8") as file:
            text = file.read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:  # the file grew since it was looked at
            issue = LoadIssue(
                source=source,
                line=None,
                column=None,
                path="",
                message=_too_large(len(text)),
            )
            return [], [issue], False
    except OSError as error:
        issue = LoadIssue(
            source=source,
            line=None,
            column=None,
            path="",
            message=f"cannot read the file: {error}",
        )
    except UnicodeDecodeError as error:
        # Reading a whole file decodes all its bytes at once: the error's
        # offset is the file's.
        issue = _not_utf8(path.read_bytes(), error.start, source)
    else:
        return _read_text(text, fmt, source)
    return [], [issue], False


def _not_utf8(raw: bytes, bad: int, source: str) -> LoadIssue:
    """Return the issue of a file whose byte at offset *bad* is not UTF-8.

    Located like a parser's error: the line, and the character in it.
    """
    before = raw[:bad].removeprefix(b"\xef\xbb\xbf")
    start = before.rfind(b"\n") + 1
    return LoadIssue(
        source=source,
        line=before.count(b"\n") + 1,
        column=len(before[start:].decode("utf-8", errors="replace")) + 1,
        path="",
        message=(
            f"the file is not UTF-8 text: byte 0x{raw[bad]:02x} cannot be read; "
            "save the file as UTF-8"
        ),
    )


def _load_paths(
    paths: Iterable[str | os.PathLike[str]], reader_for: ReaderFor | None
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read every file of *paths*; a file named twice (by any path) is read once."""
    engagements: list[Engagement] = []
    issues: list[LoadIssue] = []
    several = False
    seen: set[str] = set()

    def first_time(file: pathlib.Path) -> bool:
        real = os.path.realpath(file)
        if real in seen:
            return False
        seen.add(real)
        return True

    for given in paths:
        path = pathlib.Path(given)
        if path.is_dir():
            several = True
            for file in _files(path):
                if not first_time(file):
                    continue
                found, problems, _ = _read_file(file, reader_for)
                engagements.extend(found)
                issues.extend(problems)
        elif path.exists():
            if not first_time(path):
                continue
            found, problems, portfolio = _read_file(path, reader_for)
            several = several or portfolio
            engagements.extend(found)
            issues.extend(problems)
        else:
            issues.append(
                LoadIssue(
                    source=os.fspath(path),
                    line=None,
                    column=None,
                    path="",
                    message="no such file or directory",
                )
            )
    return engagements, issues, several


def load(
    path: str | os.PathLike[str],
    *,
    reader_for: ReaderFor | None = None,
    on_loaded: OnLoaded | None = None,
) -> Engagement | list[Engagement]:
    """Load an engagement file, a portfolio file or a directory.

    A file holding one engagement gives that :class:`~outsourcekit.model.Engagement`;
    a portfolio file (with ``engagements:``) or a directory gives a list, the
    directory's files read in sorted order.

    This is the reading layer, which knows no plugins: files of other systems
    are read by what *reader_for* finds for them, and each engagement passes
    through *on_loaded*. :func:`outsourcekit.load` fills both from the plugins.

    Raises:
        LoadError: something did not load; every issue is listed, and the
            engagements that did load are in its ``loaded``.

    """
    engagements, issues, several = _load_paths([path], reader_for)
    loaded = _finish(engagements, issues, on_loaded)
    if several:
        return loaded
    return loaded[0]


def load_all(
    paths: Iterable[str | os.PathLike[str]],
    *,
    reader_for: ReaderFor | None = None,
    on_loaded: OnLoaded | None = None,
) -> list[Engagement]:
    """Load every engagement from files, directories or a mix, in the order given.

    Every file is read even when others have errors. *reader_for* and
    *on_loaded* are as for :func:`load`.

    Raises:
        LoadError: something did not load; every issue of every file is listed,
            and the engagements that did load are in its ``loaded``.

    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    engagements, issues, _ = _load_paths(paths, reader_for)
    return _finish(engagements, issues, on_loaded)


def _check_format(fmt: str) -> Format:
    if fmt not in _FORMATS:
        msg = f"format: expected one of 'yaml', 'json', 'toml', got {fmt!r}"
        raise ValueError(msg)
    return fmt  # type: ignore[return-value]


def loads(
    text: str,
    format: str = "yaml",  # noqa: A002 -- the public name
    *,
    source: str | None = None,
    on_loaded: OnLoaded | None = None,
) -> Engagement | list[Engagement]:
    """Load engagements from *text* in *format* (``yaml``, ``json`` or ``toml``).

    Gives one :class:`~outsourcekit.model.Engagement`, or a list for a portfolio.
    *source* names where the text came from in errors and findings; each
    engagement passes through *on_loaded*. With a *source*, the text is kept
    while any of the engagements lives, to find the lines of their findings in
    (there is no file to read again); without one, findings have no place.

    Raises:
        LoadError: something did not load; every issue is listed.

    """
    fmt = _check_format(format)
    engagements, issues, portfolio = _read_text(text, fmt, source)
    document = _Document(text, fmt)
    if source is not None:
        _keep(engagements, document)
    loaded = _finish(engagements, issues, on_loaded, document)
    return loaded if portfolio else loaded[0]


def from_dict(
    mapping: Mapping[str, Any], *, on_loaded: OnLoaded | None = None
) -> Engagement:
    """Build one engagement from plain data, as read from a file.

    The engagement passes through *on_loaded*, if given.

    Raises:
        LoadError: the data does not make an engagement; every issue is listed
            (with paths, without lines).

    """
    given: object = mapping  # callers without type checks pass anything
    if not isinstance(given, Mapping):
        msg = (
            "from_dict() takes a mapping of an engagement's keys, "
            f"got {describe_value(mapping)}"
        )
        raise TypeError(msg)
    data = dict(mapping)
    issues: list[LoadIssue] = []
    if _VERSION_KEY in data:
        problem = _version_problem(data.pop(_VERSION_KEY))
        if problem is not None:
            issues.append(_plain_issue((_VERSION_KEY,), data, problem))
    try:
        with collector_paused():
            engagement = _engagement_hook(detailed=False)(data, Engagement)
    except Exception:  # noqa: BLE001 -- the detailed converter says what and where
        try:
            engagement = _engagement_hook(detailed=True)(data, Engagement)
        except Exception as error:  # noqa: BLE001 -- every error becomes an issue
            issues.extend(_plain_issue(p, data, e) for p, e in iter_errors(error))
    if issues:
        raise LoadError(issues)
    return _finish([engagement], issues, on_loaded)[0]


def _plain_issue(steps: Path, data: object, error: BaseException | str) -> LoadIssue:
    message, expected, value = _explain(error)
    return LoadIssue(
        source=None,
        line=None,
        column=None,
        path=format_path(steps, data),
        message=message,
        expected=expected,
        value=value,
    )


# -- Lines of findings -------------------------------------------------------------


@attrs.frozen
class _Document:
    """The text engagements were read from, and its format."""

    text: str
    format: Format


class _Kept(weakref.ref[Origin]):
    """A weak reference to an origin, with the text its engagement was read from."""

    __slots__ = ("document", "key")

    document: _Document
    key: int


#: The texts of engagements read from text, not from a file, by ``id()`` of their
#: origin: each is dropped with the origin, so that nothing outlives them.
_KEPT: dict[int, _Kept] = {}


def _forget(kept: _Kept) -> None:
    if _KEPT.get(kept.key) is kept:
        del _KEPT[kept.key]


def _keep(engagements: Iterable[Engagement], document: _Document) -> None:
    """Keep *document* for the lines of *engagements*' findings, while they live."""
    for engagement in engagements:
        origin = engagement.origin
        if origin is not None:
            kept = _Kept(origin, _forget)
            kept.document = document
            kept.key = id(origin)
            _KEPT[kept.key] = kept


def _kept(origin: Origin) -> _Document | None:
    """Return the text kept for the engagement of *origin*, if any."""
    kept = _KEPT.get(id(origin))
    if kept is None or kept() is not origin:
        return None
    return kept.document


def _read_source(source: str) -> _Document | None:
    """Read the engagement file *source* again; None if it cannot be read."""
    fmt = detect_format(source)
    if fmt is None:
        return None
    try:
        text = pathlib.Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return _Document(text, fmt)


class _Located(Protocol):
    """What :func:`locate_findings` needs of a finding."""

    @property
    def engagement(self) -> str:
        """The id of the engagement the finding is about."""
        ...

    @property
    def path(self) -> str:
        """Where in the engagement the finding is."""
        ...

    @property
    def source(self) -> str | None:
        """The file the engagement was read from, if any."""
        ...

    @property
    def line(self) -> int | None:
        """The line of the path in that file, if known."""
        ...


class _Verdict(Protocol):
    """What :func:`locate_findings` needs of an engagement's result."""

    @property
    def findings(self) -> Sequence[_Located]:
        """The engagement's findings."""
        ...


class _Checked(Protocol):
    """What :func:`locate_findings` needs of a report."""

    @property
    def findings(self) -> Sequence[_Located]:
        """Every finding."""
        ...

    @property
    def engagements(self) -> Sequence[_Verdict]:
        """Each engagement's result, with its findings."""
        ...


_Report = TypeVar("_Report", bound=_Checked)

#: :func:`attrs.evolve`, for the report's classes, which this layer does not know.
_evolve: Callable[..., Any] = attrs.evolve


def locate_findings(
    report: _Report,
    engagements: Engagement | Iterable[Engagement],
    *,
    in_place: bool = False,
) -> _Report:
    """Return *report* with each finding's line in its engagement's file.

    *report* is what ``outsourcekit.engine.check`` returned for
    *engagements*; :func:`outsourcekit.check` calls this before handing the
    report on. Each file is read once, after the rules have run, and only as
    far as the findings' paths need: a path not written in the engagement is
    found in ``defaults:`` if written there, else at its nearest written parent.
    Engagements read from text are looked up in that text, engagements
    that know their line (a row of a table) are not looked up at all. Findings
    without a source, or with a line already, are left as they are, and so are
    those whose file no longer holds their engagement.

    With *in_place* the lines are written into the findings themselves and
    *report* is returned: only for a report that nothing else holds yet, as
    :func:`outsourcekit.check` does with the one the engine just made. Making a
    new finding for each line would cost more than finding the lines.
    """
    engs = (engagements,) if isinstance(engagements, Engagement) else engagements
    by_id = {engagement.id: engagement for engagement in engs}
    todo: dict[str, tuple[Engagement, list[_Located]]] = {}
    for finding in report.findings:
        if finding.source is None or finding.line is not None:
            continue
        group = todo.get(finding.engagement)
        if group is None:
            engagement = by_id.get(finding.engagement)
            if engagement is None:
                continue
            group = todo[finding.engagement] = (engagement, [])
        group[1].append(finding)
    with collector_paused():
        return _relocated(report, list(todo.values()), in_place=in_place)


def _relocated(
    report: _Report,
    todo: Sequence[tuple[Engagement, Sequence[_Located]]],
    *,
    in_place: bool,
) -> _Report:
    """Return *report* with the lines of the findings of *todo*, by engagement."""
    found = _lines_of([(e, [finding.path for finding in fs]) for e, fs in todo])
    if in_place:
        for (_, findings), lines in zip(todo, found, strict=True):
            for finding, line in zip(findings, lines, strict=True):
                if line is not None:
                    # Frozen for its users; this report has none yet.
                    object.__setattr__(finding, "line", line)
        return report
    located = {}
    for (_, findings), lines in zip(todo, found, strict=True):
        for finding, line in zip(findings, lines, strict=True):
            if line is not None:
                located[id(finding)] = _evolve(finding, line=line)
    if not located:
        return report

    def relocated(findings: Sequence[_Located]) -> tuple[_Located, ...]:
        return tuple(located.get(id(finding), finding) for finding in findings)

    results = tuple(
        _evolve(result, findings=relocated(result.findings))
        if any(id(finding) in located for finding in result.findings)
        else result
        for result in report.engagements
    )
    located_report: _Report = _evolve(
        report, findings=relocated(report.findings), engagements=results
    )
    return located_report


def _lines_of(
    wanted: Sequence[tuple[Engagement, Sequence[str]]],
) -> list[list[int | None]]:
    """Return the line of each path of each engagement, reading each file once."""
    lines: list[list[int | None]] = [[None] * len(paths) for _, paths in wanted]
    documents: dict[_Document | str, list[int]] = {}
    for position, (engagement, paths) in enumerate(wanted):
        origin = engagement.origin
        if origin is None or origin.source is None:
            continue
        if origin.line is not None:
            lines[position] = [origin.line] * len(paths)
            continue
        key = _kept(origin) or origin.source
        documents.setdefault(key, []).append(position)
    for key, positions in documents.items():
        document = key if isinstance(key, _Document) else _read_source(key)
        if document is None:
            continue
        requests = []
        for position in positions:
            engagement, paths = wanted[position]
            index = None if engagement.origin is None else engagement.origin.index
            requests.append((index, engagement.id, paths))
        source = wanted[positions[0]][0].source
        found = _document_lines(document, source, requests)
        for position, group in zip(positions, found, strict=True):
            lines[position] = group
    return lines


#: Which engagement (its index in the file's list, None for a file of one, and
#: its id) and which paths in it.
_Request = tuple[int | None, str, Sequence[str]]


def _document_lines(
    document: _Document, source: str | None, requests: Sequence[_Request]
) -> list[list[int | None]]:
    """Return the line of each request's paths in *document*.

    JSON is searched for the paths alone (:class:`_JsonLines`); YAML is
    composed into nodes, which are followed along the paths alone
    (:class:`_YamlLines`); TOML, and JSON or YAML that those ways do not
    follow, are read in full with locations. An engagement whose id is not
    where the file had it gets None.
    """
    if document.format == "json":
        with contextlib.suppress(ValueError, IndexError, RecursionError):
            return _JsonLines(document.text).lines(requests)
    elif document.format == "yaml":
        with contextlib.suppress(YamlLayoutError):
            return _YamlLines(document.text).lines(requests)
    locator = _Locator(document.text, document.format, source)
    try:
        root, _ = locator.data()
    except SourceSyntaxError:
        return [[None] * len(paths) for _, _, paths in requests]
    lines: list[list[int | None]] = []
    for index, eid, paths in requests:
        item = root if index is None else _walk(root, (index,))
        if isinstance(item, dict) and item.get("id") == eid:
            lines.append([locator.line(index, path) for path in paths])
        else:
            lines.append([None] * len(paths))
    return lines


class _YamlLines:
    """Finds the lines of paths in the engagements of one YAML file, by its nodes.

    The same lines as :class:`_Locator` finds, with no data built: the paths are
    followed over the file's nodes (:class:`~outsourcekit._source.YamlText`),
    which raises ``YamlLayoutError`` for text it does not follow.
    """

    def __init__(self, text: str) -> None:
        self.yaml = YamlText(text)
        root = self.yaml.root
        items = YamlText.child(root, "engagements")
        if items is None:
            self.items: yaml.Node | None = root
            self.defaults: yaml.Node | None = None
        else:
            self.items = items
            defaults = YamlText.child(root, "defaults")
            self.defaults = None if YamlText.is_null(defaults) else defaults

    def lines(self, requests: Sequence[_Request]) -> list[list[int | None]]:
        """Return the line of each request's paths."""
        found: list[list[int | None]] = []
        for index, eid, paths in requests:
            item = self.items if index is None else YamlText.child(self.items, index)
            if (
                not isinstance(item, yaml.MappingNode)
                or YamlText.string(YamlText.child(item, "id")) != eid
            ):
                found.append([None] * len(paths))
                continue
            prefix: Path = () if index is None else ("engagements", index)
            found.append([self._line(prefix, item, path) for path in paths])
        return found

    def _line(self, prefix: Path, item: yaml.Node, path: str) -> int:
        """Return the line of *path* in the engagement *item*, at *prefix*.

        A path written in the engagement is there; else one written in
        ``defaults:`` is there; else it is at its nearest written parent.
        """
        defaults = self.defaults
        steps: Path = ()
        for node in (item, defaults):
            try:
                steps = YamlText.steps(path, node)
            except ValueError:
                continue
            break
        if (
            defaults is not None
            and YamlText.walk(item, steps) is None
            and YamlText.walk(defaults, steps) is not None
        ):
            return self.yaml.line(("defaults", *steps))
        return self.yaml.line((*prefix, *steps))


class _JsonDefaults:
    """A JSON portfolio's ``defaults:``, read in full with locations: it is small."""

    def __init__(self, text: JsonText, at: int) -> None:
        self.at = at
        self.data, end = text.value(at)
        self.parsed = parse(text.text[at:end], "json", locations=True)

    def steps(self, path: str) -> Path | None:
        """Return the steps of *path* read against the defaults, or None."""
        try:
            return parse_path(path, self.data)
        except ValueError:
            return None

    def locate(self, steps: Path) -> tuple[int, int] | None:
        """Return where *steps* are as (the defaults' offset, lines after it)."""
        if _walk(self.data, steps) is _ABSENT:
            return None
        line = self.parsed.locate(steps).line
        return None if line is None else (self.at, line - 1)


class _JsonLines:
    """Finds the lines of paths in the engagements of one JSON file, quickly.

    The file is searched only for the engagements and paths asked about
    (:class:`~outsourcekit._source.JsonText`); an engagement written on a line
    of its own has every path on that line. Raises ``ValueError`` where the text
    is not laid out as expected, or the file does not hold an engagement where
    it did: the caller then reads it in full.
    """

    def __init__(self, text: str) -> None:
        self.json = JsonText(text)
        self.root = self.json.root()
        self._items: Iterator[int] | None = None
        self._starts: list[int] = []
        self._defaults: _JsonDefaults | _Absent | None = _ABSENT
        self._engagements: dict[int | None, tuple[int, int | None, bool]] = {}

    def lines(self, requests: Sequence[_Request]) -> list[list[int | None]]:
        """Return the line of each request's paths."""
        if self.json.single_line():
            return [[1] * len(paths) for _, _, paths in requests]
        found: list[list[tuple[int, int]]] = []
        for index, eid, paths in requests:
            at, end, one_line = self._engagement(index, eid)
            defaults = None if index is None else self.defaults()
            if one_line and defaults is None:
                found.append([(at, 0)] * len(paths))
                continue
            self.json.members(at, _first_keys(paths), end)
            found.append([self._locate(at, end, path, defaults) for path in paths])
        lines = self.json.lines(offset for group in found for offset, _ in group)
        return [[lines[offset] + after for offset, after in group] for group in found]

    def _locate(
        self, at: int, end: int | None, path: str, defaults: _JsonDefaults | None
    ) -> tuple[int, int]:
        """Return where *path* of the engagement at *at* is: an offset, lines after."""
        value = self.json.member(at, path, end) if path.isidentifier() else None
        if value is not None:  # a key of the engagement itself, written there
            return value, 0
        steps, deepest, written = self.json.find(at, path, end)
        if steps is None and defaults is not None:
            steps = defaults.steps(path)
            if steps is not None:
                deepest, written = self.json.follow(at, steps, end)
        if steps is None or written or defaults is None:
            return deepest, 0
        return defaults.locate(steps) or (deepest, 0)

    def _engagement(self, index: int | None, eid: str) -> tuple[int, int | None, bool]:
        """Return where engagement *index* starts, and where the next one does.

        And whether it is on a line of its own. Raises ``ValueError`` unless its
        id is *eid*.
        """
        known = self._engagements.get(index)
        if known is not None:
            return known
        end: int | None
        if index is None:
            at, end = self.root, len(self.json.text)
        else:
            at, end = self._item(index)
        id_at = self.json.member(at, "id", end)
        if id_at is None or self.json.value(id_at)[0] != eid:
            raise JsonLayoutError
        one_line = index is not None and self.json.one_line(at, end)
        known = self._engagements[index] = (at, end, one_line)
        return known

    def _item(self, index: int) -> tuple[int, int | None]:
        """Return where item *index* of ``engagements:`` starts, and the next one."""
        if self._items is None:
            text = self.json
            array = text.member(self.root, "engagements", len(text.text))
            if array is None:
                raise JsonLayoutError
            self._items = text.objects(array)
        starts = self._starts
        if len(starts) <= index + 1:
            for start in self._items:
                starts.append(start)
                if len(starts) > index + 1:
                    break
        if index >= len(starts):
            raise JsonLayoutError
        return starts[index], starts[index + 1] if index + 1 < len(starts) else None

    def defaults(self) -> _JsonDefaults | None:
        """Return the portfolio's ``defaults:``, None if it has none."""
        if isinstance(self._defaults, _Absent):
            text = self.json
            at = None
            if _DEFAULTS_KEY in text.text:
                at = text.member(self.root, "defaults", len(text.text))
            self._defaults = (
                None if at is None or text.text[at] != "{" else _JsonDefaults(text, at)
            )
        return self._defaults


_DEFAULTS_KEY: Final = '"defaults"'

#: The keys of an engagement in the order the model, and so :func:`dump`,
#: writes them.
_KEY_ORDER: Final = {name: i for i, name in enumerate(attrs.fields_dict(Engagement))}


def _first_keys(paths: Iterable[str]) -> list[str]:
    """Return the keys *paths* start with, in the order they are usually written."""
    keys = {path.partition(".")[0].partition("[")[0] for path in paths}
    return sorted(keys, key=lambda key: _KEY_ORDER.get(key, len(_KEY_ORDER)))


# -- Writing -------------------------------------------------------------------------


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """Return *engagement* as plain data, as it is written in a file.

    Keys follow the model's field order; values equal to their default are left
    out; dates are ISO 8601 text; ``x-`` keys follow the fields they sit with.
    """
    result: dict[str, Any] = _converter(detailed=False).unstructure(engagement)
    return result


def _document(
    engagements: Engagement | Sequence[Engagement], converter: cattrs.Converter
) -> dict[str, Any]:
    if isinstance(engagements, Engagement):
        return {_VERSION_KEY: FORMAT_VERSION, **converter.unstructure(engagements)}
    return {
        _VERSION_KEY: FORMAT_VERSION,
        "engagements": [converter.unstructure(e) for e in engagements],
    }


_LINE_BREAKS: Final = frozenset("\r\x85\u2028\u2029")


class _Dumper(YamlDumper):
    """Writes engagement files: dates bare, text of several lines as ``|`` blocks.

    Dates need no quotes because the loader reads them as text anyway.
    """

    def represent_str(self, data: str) -> yaml.ScalarNode:
        """Write text with line breaks as a literal block, other text as usual.

        Text holding a line break YAML would fold or normalise (CR, NEL, U+2028,
        U+2029) is written double-quoted, where it is escaped and reads back
        as it was.
        """
        if _LINE_BREAKS & set(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style='"')
        if "\n" in data:
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        return super().represent_str(data)


_Dumper.yaml_implicit_resolvers = {
    first: [pair for pair in pairs if pair[0] != "tag:yaml.org,2002:timestamp"]
    for first, pairs in YamlDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_representer(str, _Dumper.represent_str)


def _json_default(value: object) -> object:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    msg = f"cannot write {value!r} as JSON"
    raise TypeError(msg)


def _first_null(value: Any, steps: Path = ()) -> Path | None:
    """Return the steps to the first null inside *value*, or None if it has none."""
    if value is None:
        return steps
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _first_null(item, (*steps, key))
        if found is not None:
            return found
    return None


def _refuse_nulls(engagements: Sequence[dict[str, Any]]) -> None:
    """Raise naming the first null of an engagement: TOML cannot hold one."""
    for data in engagements:
        steps = _first_null(data)
        if steps is not None:
            msg = (
                f"cannot write engagement {data.get('id')!r} as TOML: "
                f"{format_path(steps, data)} is null, and TOML has no null "
                "(write it as YAML or JSON, or leave the value out)"
            )
            raise ValueError(msg)


def dumps(
    engagements: Engagement | Sequence[Engagement],
    format: str = "yaml",  # noqa: A002
) -> str:
    """Return *engagements* written in *format*: ``yaml``, ``json`` or ``toml``.

    One engagement is written as an engagement file, a sequence as a portfolio
    (``engagements:``); both start with ``outsourcekit: 1``.

    Raises:
        ValueError: *format* is ``toml`` and an ``x-`` value holds a null,
            which TOML cannot write; the message names the engagement and the
            path. Nothing is ever dropped.

    """
    fmt = _check_format(format)
    if fmt == "toml":
        document = _document(engagements, _toml_converter())
        _refuse_nulls(document.get("engagements") or [document])
        return tomli_w.dumps(document)
    document = _document(engagements, _converter(detailed=False))
    if fmt == "json":
        return (
            json.dumps(document, indent=2, ensure_ascii=False, default=_json_default)
            + "\n"
        )
    text: str = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return text


def dump(
    engagements: Engagement | Sequence[Engagement],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,  # noqa: A002
) -> None:
    """Write *engagements* to the file *path*, in *format* or the one its suffix names.

    Raises:
        ValueError: no *format* is given and the suffix names none.

    """
    fmt = format or detect_format(path)
    if fmt is None:
        msg = (
            f"format: cannot tell from {os.fspath(path)!r}; expected a .yaml, .yml, "
            ".json or .toml file, or format='yaml', 'json' or 'toml'"
        )
        raise ValueError(msg)
    text = dumps(engagements, fmt)
    pathlib.Path(path).write_text(text, encoding="utf-8")
