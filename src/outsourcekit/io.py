"""Reading and writing engagement files, with located errors for what does not load.

:func:`load` and :func:`load_all` read YAML, JSON and TOML files and directories,
:func:`loads` and :func:`from_dict` text and plain data; :func:`dump`,
:func:`dumps` and :func:`to_dict` write engagements back. What does not load is
reported by a :class:`LoadError` listing every :class:`LoadIssue` with its file,
line, column and path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import os
import pathlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol

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
from ._source import (
    Format,
    Location,
    Parsed,
    SourceSyntaxError,
    SyntaxIssue,
    YamlDumper,
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
    "LoadError",
    "LoadIssue",
    "OnLoaded",
    "Reader",
    "ReaderFor",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "load_all",
    "loads",
    "to_dict",
]

#: The version of the engagement file format this library reads and writes.
FORMAT_VERSION: Final = 1

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


#: How many new objects make a load large enough to skip the young generations.
_MANY_OBJECTS: Final = 100_000


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many long-lived objects are made.

    The collector would rescan every new object again and again while a large
    portfolio is built. After a large load, what was made joins the oldest
    generation directly (``gc.freeze()`` then ``gc.unfreeze()``) instead of being
    scanned by the young generations' next collections; this is skipped when the
    program keeps objects frozen itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > _MANY_OBJECTS and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


# -- Locations -----------------------------------------------------------------------


class _Locator:
    """Finds where paths of one file's engagements are, reading it again when asked.

    The text is read with locations only on the first question, once for all the
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


class _Lines:
    """Finds the lines of paths in one engagement of a file."""

    __slots__ = ("file", "index")

    def __init__(self, file: _Locator, index: int | None) -> None:
        self.file = file
        self.index = index

    def __call__(self, path: str) -> int | None:
        """Return the line of *path*, in the path syntax, in the engagement."""
        return self.file.line(self.index, path)


def _origin(locator: _Locator, index: int | None) -> Origin:
    return Origin(source=locator.source, locator=_Lines(locator, index))


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


def _read_fast(data: object, locator: _Locator) -> tuple[list[Engagement], bool]:
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
        origin = _origin(locator, index if portfolio else None)
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
        engagement = structure(item, Engagement, _origin(report.locator, position))
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
    with _gc_paused():
        try:
            data = parse(text, fmt, source=source, locations=False).data
        except SourceSyntaxError as error:
            if not error.recoverable:
                return [], [_load_issue(error.issue)], False
        else:
            try:
                engagements, portfolio = _read_fast(data, locator)
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
    engagements: list[Engagement], issues: list[LoadIssue]
) -> list[Engagement]:
    """Drop engagements whose id was seen before, reporting both places."""
    first: dict[str, Engagement] = {}
    unique = []
    for engagement in engagements:
        seen = first.get(engagement.id)
        if seen is None:
            first[engagement.id] = engagement
            unique.append(engagement)
            continue
        here = _id_location(engagement)
        there = _id_location(seen)
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


def _id_location(engagement: Engagement) -> Location:
    lines = getattr(engagement.origin, "locator", None)
    if isinstance(lines, _Lines):
        return lines.file.location(lines.index, ("id",))
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
) -> list[Engagement]:
    """Check ids, pass each engagement to *on_loaded* and raise for any issue."""
    engagements = _check_ids(engagements, issues)
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


def _read_file(
    path: pathlib.Path, reader_for: ReaderFor | None
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    source = os.fspath(path)
    fmt = detect_format(path)
    if fmt is None:
        return _import_file(path, reader_for)
    try:
        text = path.read_text(encoding="utf-8")
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
    engagements: list[Engagement] = []
    issues: list[LoadIssue] = []
    several = False
    for given in paths:
        path = pathlib.Path(given)
        if path.is_dir():
            several = True
            for file in _files(path):
                found, problems, _ = _read_file(file, reader_for)
                engagements.extend(found)
                issues.extend(problems)
        elif path.exists():
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
    engagement passes through *on_loaded*.

    Raises:
        LoadError: something did not load; every issue is listed.

    """
    fmt = _check_format(format)
    engagements, issues, portfolio = _read_text(text, fmt, source)
    loaded = _finish(engagements, issues, on_loaded)
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
        with _gc_paused():
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
        """Write text with line breaks as a literal block, other text as usual."""
        if "\n" in data and not _LINE_BREAKS & set(data):
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


def _without_none(value: Any) -> Any:
    """Drop None from mappings and lists: TOML has no null."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


def dumps(
    engagements: Engagement | Sequence[Engagement],
    format: str = "yaml",  # noqa: A002
) -> str:
    """Return *engagements* written in *format*: ``yaml``, ``json`` or ``toml``.

    One engagement is written as an engagement file, a sequence as a portfolio
    (``engagements:``); both start with ``outsourcekit: 1``. TOML has no null, so
    null values inside ``x-`` keys are left out there.
    """
    fmt = _check_format(format)
    if fmt == "toml":
        document = _document(engagements, _toml_converter())
        return tomli_w.dumps(_without_none(document))
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
