"""Reading and writing engagement files, with located errors for what does not load.

:func:`load` and :func:`load_all` read YAML, JSON, TOML and JSON Lines files and
directories, :func:`loads` and :func:`from_dict` text and plain data; :func:`dump`,
:func:`dumps` and :func:`to_dict` write engagements back. What does not load is
reported by a :class:`LoadError` listing every :class:`LoadIssue` with its file,
line, column and path. Once a check has run, :func:`locate_findings` finds the
line of each finding in its engagement's file.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import errno
import functools
import itertools
import json
import math
import os
import pathlib
import re
import shutil
import stat
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    Literal,
    Protocol,
    TypeGuard,
    TypeVar,
    overload,
)

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
    plain_constructor,
)
from ._descriptors import flush_streams, open_descriptor, temporary_name
from ._discover import Walk, content_reason, discover
from ._gc import collector_paused
from ._imports import (
    HEAD_CHARS,
    ImportContext,
    ImportedData,
    Importers,
    ImportReader,
    Problem,
    describe_where,
    explain,
    fragment_problems,
    imported_parsed,
    read_head,
    too_deep,
)
from ._imports import converter as _shared_converter
from ._jsonl import (
    MAX_LINE_BYTES,
    ByteCounter,
    Line,
    LineProblem,
    is_json_lines,
    read_lines,
)
from ._shorten import kind_of, short_repr
from ._source import (
    Format,
    JsonLayoutError,
    JsonText,
    Location,
    Parsed,
    SourceSyntaxError,
    SyntaxIssue,
    YamlBlockText,
    YamlDumper,
    YamlLayoutError,
    YamlText,
    count_keys,
    detect_format,
    first_surrogate,
    format_path,
    format_paths,
    format_position,
    item_labels,
    json_error_text,
    parse,
    parse_path,
    surrogate_path,
)
from ._source import json_duplicates as _json_duplicates
from .model import Engagement, Origin, file_fields
from .model._display import one_line

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    import cattrs

    from .plugins import Imported

__all__ = [
    "FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "EngagementStream",
    "LoadError",
    "LoadIssue",
    "OnLoaded",
    "Reader",
    "ReaderFor",
    "Walk",
    "check_imported",
    "dump",
    "dumps",
    "dumps_data",
    "format_path",
    "from_dict",
    "item_labels",
    "iter_load",
    "json_duplicates",
    "json_error_text",
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

#: How deeply the data an importer returns may nest (mappings and lists), and
#: how deeply an importer reads nested files of its own (JSON): deeper is a
#: load error. No engagement goes near it.
MAX_DEPTH: Final = 100

_FORMATS: Final = ("yaml", "json", "toml")
#: JSON Lines, one engagement a line, as :func:`loads`, :func:`dumps` and
#: :func:`dump` name it besides :data:`_FORMATS`.
_JSON_LINES: Final = "jsonl"
_VERSION_KEY: Final = "outsourcekit"
_IMPORTS_KEY: Final = "imports"
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
    # Whether this is the error of an id read before in another place, which
    # :func:`load_all` tells after every file's own errors (see
    # :func:`is_duplicate_id_issue`); not part of what the issue says.
    _read_before: bool = attrs.field(
        default=False, repr=False, eq=False, alias="_read_before"
    )

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
        r"""Render as ``file:line:column: path: message``, on one line.

        An empty file name (an empty path was given) is shown as ``""``.
        Control and bidirectional characters (of a name or key the file holds)
        are shown escaped (``\u202e``, ``\x1b``, ``\n``), as a finding's
        ``repr()`` shows them; ``path`` and ``message`` keep them as they are.
        """
        where = (
            '""'
            if self.source == ""
            else format_position(self.source, self.line, self.column)
        )
        if self.path:
            return one_line(f"{where}: {self.path}: {self.message}")
        return one_line(f"{where}: {self.message}")


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


def _converter(*, detailed: bool) -> cattrs.Converter:
    return _shared_converter(detailed=detailed)


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
        # An `id` in `defaults:` is refused, never merged: no value comes from it.
        if (
            _walk(item, steps) is not _ABSENT
            or defaults is None
            or steps[:1] == ("id",)
        ):
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


#: Makes an :class:`Origin` as its ``__init__`` does (it checks nothing), faster:
#: one is made for every engagement read.
_make_origin: Final = plain_constructor(Origin)


def _origin(
    source: str | None, index: int | None = None, line: int | None = None
) -> Origin:
    """Return ``Origin(source=source, index=index, line=line)``."""
    return _make_origin(source, index, line, None)


# -- Reading plain data ----------------------------------------------------------


class _Invalid(Exception):  # noqa: N818 -- internal signal, never raised to users
    """The fast path met something it leaves to the detailed one."""


class _Uncounted(Exception):  # noqa: N818 -- internal signal, never raised to users
    """Data read without looking for keys written twice holds too few keys.

    A key may be written twice in its text: it is read again, checked.
    """


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


#: The id a portfolio's ``defaults:`` are read with, checked on their own as an
#: engagement: `id` is the one key an engagement needs and defaults cannot have.
_DEFAULTS_ID: Final = "defaults"


def _as_engagement(defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Return a portfolio's *defaults* as an engagement's data, to check them alone.

    Each value of the defaults is checked as an engagement's own would be, once
    for the file: the engagements that override it would never show its faults.
    Only ``id`` is missing from a partial engagement (mappings deeper down have
    no key they need; items of lists, which replace rather than merge, are whole).
    """
    data = {k: v for k, v in defaults.items() if k != _VERSION_KEY}
    data["id"] = _DEFAULTS_ID
    return data


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
    if defaults:
        if _version_problem(defaults.get(_VERSION_KEY, FORMAT_VERSION)) is not None:
            raise _Invalid
        try:
            _engagement_hook(detailed=False)(_as_engagement(defaults), Engagement)
        except Exception as error:
            raise _Invalid from error
    return items, defaults, True


def _read_fast(
    data: object,
    source: str | None,
    imports: ImportContext | None = None,
    keys: int | None = None,
    *,
    single: bool = False,
) -> tuple[list[Engagement], bool]:
    """Read valid data quickly; raise on the first problem of any kind.

    *data* is the caller's own, parsed just now: each engagement's data is let go
    once it is read, so that its memory serves the next ones. *imports* reads
    what engagements import. *single* refuses a portfolio.

    *keys*, when given, is the ``unchecked_keys`` of data parsed without looking
    for keys written twice: the keys of the data are counted as it is read
    (merged data is not the file's: its parts are counted as parsed), and
    ``_Uncounted`` is raised when they are fewer.
    """
    items, defaults, portfolio = _split_fast(data)
    if single and portfolio:
        raise _Invalid
    structure = _engagement_hook(detailed=False)
    tally: list[int] | None = None
    if keys is not None:
        tally = []
        if portfolio and isinstance(data, dict):
            tally.append(len(data) + count_keys(defaults))
    result = []
    for index in range(len(items)):
        item, own = _prepared(items[index], defaults, tally)
        items[index] = None
        origin = _origin(source, index if portfolio else None)
        engagement = structure(item, Engagement, origin, own)
        if imports is not None and _IMPORTS_KEY in item:
            merged, problems = imports.apply(item, own_ok=True)
            if problems:
                raise _Invalid
            engagement = structure(merged, Engagement, origin)
        result.append(engagement)
        if tally is not None:
            tally[:] = [sum(tally)]  # bounded: one number per mapping is many
    if tally is not None and sum(tally) != keys:
        raise _Uncounted
    return result, portfolio


def _prepared(
    item: Any, defaults: dict[str, Any] | None, tally: list[int] | None
) -> tuple[Any, list[int] | None]:
    """Return an engagement's data as its hook reads it, and the tally it counts to.

    Its defaults are merged in and its format version taken out (checked).
    Merged data holds keys the file has elsewhere: the item's keys are then
    counted here, as parsed, and the tally returned is None.
    """
    own = tally
    if defaults:
        if type(item) is not dict:
            raise _Invalid
        if tally is not None:
            tally.append(count_keys(item))
            own = None
        item = _merge(defaults, item)
    if _VERSION_KEY in item:
        if own is not None:
            own.append(1)
        if _version_problem(item.pop(_VERSION_KEY)):
            raise _Invalid
    return item, own


def _load_fast(
    text: str,
    fmt: Format,
    source: str | None,
    imports: ImportContext | None = None,
    *,
    single: bool = False,
) -> tuple[list[Engagement], bool]:
    """Parse *text* and read its data quickly, as :func:`_read_fast` does.

    JSON is parsed without looking for keys written twice, its keys counted
    while they are read instead (``parse``'s *check_keys*); when the count
    cannot vouch for the text, it is parsed again, checked.

    Raises:
        SourceSyntaxError: the text does not parse (recoverable: a key is
            written twice).
        _Invalid: the data has a problem of any other kind.

    """
    parsed: Parsed | None
    parsed = parse(text, fmt, source=source, locations=False, check_keys=False)
    try:
        if parsed.unchecked_keys is not None:
            keys, data, parsed = parsed.unchecked_keys, parsed.data, None
            try:
                return _read_fast(data, source, imports, keys, single=single)
            except _Uncounted:
                data = None  # let go of it before reading again
            parsed = parse(text, fmt, source=source, locations=False)
        return _read_fast(parsed.data, source, imports, single=single)
    except SourceSyntaxError:
        raise
    except Exception as error:
        raise _Invalid from error


class _Reporter:
    """Collects the located issues of one file, once each."""

    def __init__(
        self, locator: _Locator, where: Callable[[Path], str] | None = None
    ) -> None:
        self.locator = locator
        self.where = where
        self.issues: dict[tuple[object, ...], LoadIssue] = {}

    def add(
        self,
        index: int | None,
        steps: Path,
        data: object,
        error: BaseException | str,
        *,
        at_key: bool = False,
    ) -> None:
        """Record *error* about *steps* of engagement *index*, whose data is *data*.

        A value that comes from ``defaults:`` is reported there.
        """
        path, in_defaults = self.locator.resolve(index, steps)
        if in_defaults:
            text = format_path(path, self.locator.parsed().data)
        else:
            text = format_path(steps, data)
        self._record(path, text, error, at_key=at_key)

    def add_problem(self, index: int | None, data: object, problem: Problem) -> None:
        """Record a *problem* of an import of engagement *index*, whose data is *data*.

        One about the ``imports:`` entry is located in this file; one about
        the imported file is located there already, and its message starts by
        naming the engagement that imports it (several may import one file).
        """
        if problem.own:
            error = FieldError(
                problem.message, expected=problem.expected, value=problem.value
            )
            self.add(index, problem.steps, data, error, at_key=problem.at_key)
            return
        importer = _importing(self.locator.source, index, data)
        named = attrs.evolve(problem, message=f"{importer}: {problem.message}")
        self._keep(_problem_issue(named))

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
        name = "" if self.where is None else self.where(path)
        if name:
            message = f"{name}: {message}"
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
            (issue.source, issue.line, issue.column, issue.path, issue.message), issue
        )


def _explain(error: BaseException | str) -> tuple[str, str | None, Any]:
    """Return an error's message, what was expected and the value found."""
    return explain(error)


_FILE_EXPECTED: Final = (
    "a mapping: one engagement (with `id`) or a portfolio (with `engagements`)"
)


def _read_detailed(
    locator: _Locator,
    imports: ImportContext | None = None,
    where: Callable[[Path], str] | None = None,
    *,
    top: tuple[str, ...] = _PORTFOLIO_KEYS,
    unloaded: list[Engagement] | None = None,
) -> tuple[list[Engagement], list[LoadIssue]]:
    """Read a file's data reporting every problem, located.

    An engagement with a key written twice is checked like the others, with the
    first value of that key, but not loaded. *imports* reads what engagements
    import; *where* names the items of an importer's data in messages. *top*
    are the keys the top of the data may hold besides an engagement's, which
    an unknown key there may be meant as. Each engagement that did not load
    but has an id that no engagement of the file before it has goes to
    *unloaded*, if given, as an engagement of that id alone, at its place:
    its id is still its own, for other files to tell a duplicate with it.
    """
    parsed = locator.parsed()
    data = parsed.data
    report = _Reporter(locator, where)
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
    ids: list[tuple[str | None, int, bool]] = []
    for index, raw in enumerate(items):
        if not isinstance(raw, dict):
            error = FieldError.expecting("a mapping: one engagement", raw)
            report.add_file(("engagements", index), error)
            continue
        item = _merge(defaults, raw) if defaults else raw
        engagement = _read_item(
            item,
            index if portfolio else None,
            report,
            imports,
            () if portfolio else top,
        )
        if engagement is not None and spoiled is not None and index not in spoiled:
            loaded.append(engagement)
            ids.append((engagement.id, index, True))
        else:
            ids.append((_readable_id(raw), index, False))
    if portfolio:
        _report_unloaded_duplicates(ids, items, report)
    if unloaded is not None:
        _first_unloaded(ids, locator.source, portfolio=portfolio, into=unloaded)
    source = locator.source
    return loaded, sorted(
        report.issues.values(),
        key=lambda issue: (issue.source != source, *_position(issue)),
    )


def _first_unloaded(
    ids: Sequence[tuple[str | None, int, bool]],
    source: str | None,
    *,
    portfolio: bool,
    into: list[Engagement],
) -> None:
    """Add to *into* the engagements of *ids* that did not load, first of their id.

    *ids* are as for :func:`_report_unloaded_duplicates`; each is added as an
    engagement of its id alone, at its place in *source*.
    """
    seen: set[str] = set()
    for eid, index, ok in ids:
        if eid is None or eid in seen:
            continue
        seen.add(eid)
        if not ok:
            origin = _origin(source, index if portfolio else None)
            into.append(Engagement(id=eid, origin=origin))


def _readable_id(item: Mapping[str, Any]) -> str | None:
    """Return the id of the data of an engagement that did not load, if it reads."""
    try:
        return _engagement_hook(detailed=False)({"id": item.get("id")}, Engagement).id
    except Exception:  # noqa: BLE001 -- an id that does not read is told already
        return None


def _report_unloaded_duplicates(
    ids: Sequence[tuple[str | None, int, bool]],
    items: Sequence[Any],
    report: _Reporter,
) -> None:
    """Report the duplicate ids of a portfolio where an engagement did not load.

    *ids* are each engagement's id (None when it does not read), index in
    *items* and whether it loaded. An engagement that did not load still has
    its id, so that a duplicate is told with its other problems; one between
    engagements that loaded is told later, with those of other files.
    """
    first: dict[str, int] = {}
    loaded: set[str] = set()
    for eid, index, ok in ids:
        if eid is None:
            continue
        seen = first.setdefault(eid, index)
        told_later = ok and eid in loaded  # both loaded: see _check_ids
        if ok:
            loaded.add(eid)
        if seen == index or told_later:
            continue
        there = report.locator.location(seen, ("id",))
        place = format_position(report.locator.source, there.line, there.column)
        # Told among the file's own problems, as what the file holds: not
        # as the id read before that loading all files tells after them.
        error = FieldError(
            f"duplicate id `{eid}`: ids must be unique, it is also at {place}",
            expected="an id no other engagement of the file has",
            value=eid,
        )
        report.add(index, ("id",), items[index], error)


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
    item: dict[str, Any],
    position: int | None,
    report: _Reporter,
    imports: ImportContext | None = None,
    top: tuple[str, ...] = (),
) -> Engagement | None:
    """Read one engagement's data, reporting every problem; None if it has any.

    The problems of what it imports are reported too, but leave it loaded,
    without the facts of the imports that have them. *top* are the keys of
    the data's top besides an engagement's (see :func:`_read_detailed`).
    """
    problem = _version_problem(item.get(_VERSION_KEY, FORMAT_VERSION))
    if problem is not None:
        # An engagement of another version is not read further.
        report.add(position, (_VERSION_KEY,), item, problem)
        return None
    item = {k: v for k, v in item.items() if k != _VERSION_KEY}
    structure = _engagement_hook(detailed=True)
    origin = _origin(report.locator.source, position)
    engagement: Engagement | None
    refused: frozenset[int] = frozenset()
    try:
        engagement = structure(item, Engagement, origin)
    except Exception as error:  # noqa: BLE001 -- every error becomes an issue
        errors = list(iter_errors(error))
        for steps, leaf in errors:
            unknown = isinstance(leaf, UnknownKeyError)
            report.add(position, steps, item, _at_top(steps, leaf, top), at_key=unknown)
        engagement, refused = _without_bad_imports(item, errors, origin)
    if imports is None or not isinstance(item.get(_IMPORTS_KEY), list):
        return engagement
    # Each entry is read at its own index, so that its problems name it.
    merged, problems = imports.apply(item, own_ok=engagement is not None, skip=refused)
    for found in problems:
        report.add_problem(position, item, found)
    if engagement is None:
        return None
    try:
        return structure(merged, Engagement, origin)
    except Exception as error:  # noqa: BLE001 -- every error becomes an issue
        for steps, leaf in iter_errors(error):
            report.add(position, steps, merged, leaf)
        return None


def _at_top(steps: Path, error: BaseException, top: tuple[str, ...]) -> BaseException:
    """Return *error* about *steps*, an unknown key at the top suggesting *top* too.

    At the top of a file, an unknown key may be meant as one of the file's own
    keys (``engagments`` as ``engagements``), not only as an engagement's.
    """
    if not top or len(steps) != 1 or not isinstance(error, UnknownKeyError):
        return error
    if error.key == "defaults" and "defaults" in top:
        return FieldError(
            "`defaults` are merged under the engagements of a portfolio: this file "
            "has no `engagements`",
            expected="`engagements:` beside `defaults:`, or no `defaults:`",
            value=error.key,
        )
    return UnknownKeyError(error.key, (*_ENGAGEMENT_KEYS, *top))


#: The keys of an engagement in a file.
_ENGAGEMENT_KEYS: Final = tuple(file_fields(Engagement))


def _without_bad_imports(
    item: dict[str, Any], errors: Sequence[tuple[Path, BaseException]], origin: Origin
) -> tuple[Engagement | None, frozenset[int]]:
    """Return *item*'s engagement without its bad ``imports:`` entries, and theirs.

    When the only *errors* are in entries of ``imports:`` (an absolute path, a
    URL), or in ``imports:`` itself (not a list), the engagement is loaded
    without them: a failing import leaves the rest of the engagement loaded.
    Otherwise it does not load. The indexes of the entries left out come with
    it (none when it does not load, or when ``imports:`` is left out whole).
    """
    bad = set()
    whole = False
    for steps, _ in errors:
        if steps == (_IMPORTS_KEY,):
            whole = True
            continue
        if len(steps) < 2 or steps[0] != _IMPORTS_KEY or not isinstance(steps[1], int):
            return None, frozenset()
        bad.add(steps[1])
    entries = item.get(_IMPORTS_KEY)
    if whole:
        kept = {k: v for k, v in item.items() if k != _IMPORTS_KEY}
    elif not bad or not isinstance(entries, list):
        return None, frozenset()
    else:
        left = [e for i, e in enumerate(entries) if i not in bad]
        kept = {**item, _IMPORTS_KEY: left}
    try:
        engagement = _engagement_hook(detailed=True)(kept, Engagement, origin)
    except Exception:  # noqa: BLE001 -- reported already, on the whole item
        return None, frozenset()
    return engagement, frozenset(bad)


def _position(issue: LoadIssue) -> tuple[int, int]:
    return (issue.line or 0, issue.column or 0)


def _check_portfolio(
    data: dict[str, Any], report: _Reporter
) -> tuple[list[Any], dict[str, Any] | None]:
    """Report what is wrong around a portfolio's engagements; return them, defaults."""
    for key in data:
        if key not in _PORTFOLIO_KEYS:
            report.add_file((key,), _not_of_a_portfolio(key), at_key=True)
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
    if defaults:
        _check_defaults(defaults, report)
    return items, defaults


def _not_of_a_portfolio(key: str) -> FieldError:
    """Return the error of *key*, at the top of a portfolio, where it is no key.

    A key of an engagement there is told where it belongs (an ``id`` mixes one
    engagement with a portfolio); another is unknown, with the closest key.
    """
    if key == "id":
        return FieldError(
            "`id` names one engagement, and this file is a portfolio (it has "
            "`engagements`): a file holds one engagement or a portfolio, not both; "
            "give each engagement its `id` in an item of `engagements`",
            expected="one engagement (with `id`) or a portfolio (with `engagements`)",
            value=key,
        )
    if key.startswith("x-"):
        return FieldError(
            f"`{key}` is not kept at the top of a portfolio: put it in "
            "`defaults:` or in an engagement",
            expected="a key of a portfolio",
            value=key,
        )
    if key in _ENGAGEMENT_KEYS:
        return FieldError(
            f"`{key}` is a key of an engagement, and this file is a portfolio (it "
            "has `engagements`): put it in `defaults` to give it to every "
            "engagement, or in one engagement",
            expected="a key of a portfolio: `engagements`, `defaults` or "
            "`outsourcekit`",
            value=key,
        )
    return UnknownKeyError(key, _PORTFOLIO_KEYS)


def _check_defaults(defaults: dict[str, Any], report: _Reporter) -> None:
    """Report what is wrong in a portfolio's *defaults*, read on their own.

    A fault is reported where it is written in ``defaults:``, once for the file,
    even where every engagement overrides it. An engagement that takes the
    faulty value reports it again at the same place, which is kept once; faults
    that only the merge makes (an engagement's ``start`` after the default
    ``end``) are the engagement's.
    """
    problem = _version_problem(defaults.get(_VERSION_KEY, FORMAT_VERSION))
    if problem is not None:
        report.add_file(("defaults", _VERSION_KEY), problem)
    try:
        _engagement_hook(detailed=True)(_as_engagement(defaults), Engagement)
    except Exception as error:  # noqa: BLE001 -- every error becomes an issue
        for steps, leaf in iter_errors(error):
            report.add_file(("defaults", *steps), leaf)


def _load_issue(issue: SyntaxIssue, path: str = "", data: object = None) -> LoadIssue:
    """Return the parser's *issue* as a load issue at the path *path*.

    Without *path*, the issue's own path, if it has one, is written inside its
    engagement (a YAML value that is not what its tag says), its items named
    in *data*, the file's data, where the parser gives it.
    """
    if not path and issue.path:
        steps = issue.path
        items = data.get("engagements") if isinstance(data, dict) else None
        if isinstance(items, list) and len(steps) >= 2 and steps[0] == "engagements":
            data = _walk(items, steps[1:2])
            steps = steps[2:]
        path = format_path(steps, data)
    return LoadIssue(
        source=issue.source,
        line=issue.line,
        column=issue.column,
        path=path,
        message=issue.message,
        expected=issue.expected,
    )


def _read_text(
    text: str,
    fmt: Format,
    source: str | None,
    imports: ImportContext | None = None,
    unloaded: list[Engagement] | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read one file's text: its engagements, issues and whether it is a portfolio.

    Valid text is read fast, without locations; only text with problems is read
    again with locations, to say where each problem is. *imports* reads the
    files engagements import; *unloaded* is as for :func:`_read_detailed`.
    """
    locator = _Locator(text, fmt, source)
    with collector_paused():
        try:
            engagements, portfolio = _load_fast(text, fmt, source, imports)
        except SourceSyntaxError as error:
            if not error.recoverable:
                return [], [_load_issue(error.issue, data=error.data)], False
        except _Invalid:  # the detailed path says what and where
            pass
        else:
            return engagements, [], portfolio
        try:
            root = locator.parsed().data
        except SourceSyntaxError as error:  # past a key written twice
            return [], [_load_issue(error.issue, data=error.data)], False
        portfolio = isinstance(root, dict) and "engagements" in root
        engagements, issues = _read_detailed(locator, imports, unloaded=unloaded)
        return engagements, issues, portfolio


class IdPlaces:
    """Where engagements have their ids written in their files, read once a file.

    Calling it with an engagement (only its ``origin`` matters) returns the
    :class:`~outsourcekit._source.Location` of its id, as :func:`_id_location`
    does. A file is read with locations the first time one of its
    engagements is asked about, and only where each of its engagements has
    its id is kept: a read with locations takes many times the memory of the
    file, and ids may come from any number of files. A line of JSON Lines or
    a row knows its line, and no file is read for it; nor for a record's row,
    which has none (its source only names where it came from).
    """

    def __init__(self) -> None:
        self._files: dict[str | None, dict[int | None, Location]] = {}

    def __call__(self, engagement: Engagement) -> Location:
        """Return where the id of *engagement* is written."""
        origin = engagement.origin
        if origin is None or origin.line is not None or origin.row is not None:
            return _id_location(engagement, {}, None)
        places = self._files.get(origin.source)
        if places is None:
            places = self._files[origin.source] = _id_places(origin.source)
        return places.get(origin.index, Location())

    def clear(self) -> None:
        """Forget the files read so far."""
        self._files.clear()


def _id_places(source: str | None) -> dict[int | None, Location]:
    """Return where each engagement of the file *source* has its id, by index."""
    document = None if source is None else _read_source(source)
    if document is None:
        return {}
    locator = _Locator(document.text, document.format, source)
    try:
        root, _ = locator.data()
        indexes = range(len(root)) if isinstance(root, list) else (None,)
        return {index: locator.location(index, ("id",)) for index in indexes}
    except SourceSyntaxError:
        return {}


def _read_before_issue(
    engagement: Engagement, first: Engagement, here: Location, there: Location
) -> LoadIssue:
    """Return the error of *engagement*, id at *here*, which *first* has at *there*.

    An engagement read from a record's row (no line) is named by its row.
    """
    position = format_position(first.source, there.line, there.column)
    row = _row_of(first)
    if row is not None:
        position = f"{position}, row {row}"
    row = _row_of(engagement)
    return LoadIssue(
        source=engagement.source,
        line=here.line,
        column=here.column,
        path="id" if row is None else f"row {row}, id",
        message=(
            f"duplicate id `{engagement.id}`: ids must be unique, it is "
            f"also at {position}"
        ),
        expected="an id no other engagement has",
        value=engagement.id,
        _read_before=True,
    )


def _row_of(engagement: Engagement) -> int | None:
    """Return the row of the record *engagement* was read from (None: no record's)."""
    origin = engagement.origin
    if origin is None or origin.line is not None:
        return None
    return origin.row


def duplicate_id_issue(
    engagement: Engagement, first: Engagement, places: IdPlaces | None = None
) -> LoadIssue:
    """Return the load error of *engagement*, whose id *first*, read before, has too.

    Both ids are located in their files (read again), as :func:`load_all`
    reports a duplicate id; the engagements need only their id and ``origin``.
    *places* keeps the files read for the next errors (a new one if None).
    """
    locate = IdPlaces() if places is None else places
    return _read_before_issue(engagement, first, locate(engagement), locate(first))


def is_duplicate_id_issue(issue: object) -> TypeGuard[LoadIssue]:
    """Whether *issue* is the load error of an id read before in another place.

    Such an error (:func:`duplicate_id_issue`) is told by :func:`load_all`
    after every file's own errors; an id a portfolio has twice beside an
    engagement that does not load is the file's own. Told by how the error
    was made, never by its wording.
    """
    return isinstance(issue, LoadIssue) and issue._read_before  # noqa: SLF001


def same_portfolio(here: Origin | None, there: Origin | None) -> bool:
    """Whether *here* and *there* are engagements of one file that is no JSON Lines.

    Such a file tells a duplicate id between one that did not load and
    another itself, among its own errors (see :func:`_read_detailed`). Rows
    of records are of no file, whatever their source is named.
    """
    return (
        here is not None
        and there is not None
        and there.line is None
        and there.row is None
        and here.source == there.source
    )


def record_unloaded(stream: EngagementStream) -> list[tuple[int, int, Engagement]]:
    """Have *stream* keep what does not load, instead of judging its ids.

    What did not load but has an id (a line of a JSON Lines file, the first
    engagement with its id in any other file) is added to the list returned as
    it is read, each as the number of engagements given before it, the
    number of load errors before it (its own included) and an engagement of
    its id alone, at its place. A part of a load read alone so leaves those
    ids to whoever sees every part, in order: an id read in an earlier part
    makes one a duplicate, and so does one of an earlier part to an
    engagement.
    """
    unloaded: list[tuple[int, int, Engagement]] = []
    stream._kept = unloaded  # noqa: SLF001 - the stream's own reader
    return unloaded


def _check_ids(
    engagements: list[Engagement],
    issues: list[LoadIssue],
    document: _Document | None = None,
    unloaded: Sequence[tuple[int, Engagement]] = (),
) -> list[Engagement]:
    """Drop engagements whose id was seen before, reporting both places.

    The places are found in *document*, the text the engagements were read
    from, if given; else in their files, read again. *unloaded* are what did
    not load but has an id (see :func:`_read_file`), each an engagement of
    that id alone, with the number of engagements read before it: its id is
    still its own. One whose id was read before, and an engagement whose id
    only those had before, are reported too (the engagement stays), except
    between engagements of one file that is no JSON Lines, which tells those
    itself. Each error names the first place the id was read.
    """
    if not unloaded and len({e.id for e in engagements}) == len(engagements):
        return list(engagements)  # the usual case, told at once
    first: dict[str, Engagement] = {}
    # The first place of each id that what did not load has.
    named: dict[str, Engagement] = {}
    unique = []
    locators: dict[str | None, _Locator | None] = {}

    def tell(engagement: Engagement, seen: Engagement) -> None:
        here = _id_location(engagement, locators, document)
        there = _id_location(seen, locators, document)
        issues.append(_read_before_issue(engagement, seen, here, there))

    rest = iter(unloaded)
    pending = next(rest, None)
    for at, engagement in enumerate([*engagements, None]):
        while pending is not None and (engagement is None or pending[0] <= at):
            bad = pending[1]
            seen = named.get(bad.id)
            if seen is None:
                seen = first.get(bad.id)
            if seen is None:
                named[bad.id] = bad
            else:
                named.setdefault(bad.id, seen)
                tell(bad, seen)
            pending = next(rest, None)
        if engagement is None:
            break
        seen = first.get(engagement.id)
        if seen is None:
            first[engagement.id] = engagement
            unique.append(engagement)
            earlier = named.get(engagement.id)
            if earlier is not None and not same_portfolio(
                engagement.origin, earlier.origin
            ):
                tell(engagement, earlier)  # only what did not load had it
            continue
        tell(engagement, named.get(engagement.id, seen))
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
    if origin.line is not None:  # a line of JSON Lines, a row of a table
        return Location(origin.line)
    if origin.row is not None:  # a record's row: in no file
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
#: Superseded by :class:`Importers`, which also reads ``imports:``.
ReaderFor = Callable[[pathlib.Path], "Reader | None"]


def _finish(
    engagements: list[Engagement],
    issues: list[LoadIssue],
    on_loaded: OnLoaded | None,
    document: _Document | None = None,
    *,
    unloaded: Sequence[tuple[int, Engagement]] = (),
) -> list[Engagement]:
    """Check ids, pass each engagement to *on_loaded* and raise for any issue.

    *document* is the text the engagements were read from, when not a file;
    *unloaded* the ids of what did not load (see :func:`_check_ids`).
    """
    engagements = _check_ids(engagements, issues, document, unloaded)
    if on_loaded is not None:
        engagements = [on_loaded(e) for e in engagements]
    if issues:
        raise LoadError(issues, engagements)
    return engagements


# -- Files -----------------------------------------------------------------------


def _walked(path: pathlib.Path, walk: Walk | None) -> tuple[pathlib.Path, ...]:
    """Return the engagement files found walking the folder *path*, in order.

    As ``outsourcekit check`` walks (format.md, "Files"): only engagement files
    are read; other files, hidden folders, installed packages, links that lead
    out, and what *walk* adds (``exclude`` globs, outsourcekit's own files)
    are passed over. Whether a file is an engagement file is told by reading
    it: :func:`_read_walked` reads each file once.
    """
    given = walk or Walk()
    return discover(
        [path],
        exclude=given.exclude,
        root=pathlib.Path.cwd() if given.root is None else given.root,
        own_files=given.own_files,
        content=False,
    ).files


def _read_walked(
    path: pathlib.Path,
    reader_for: ReaderFor | None,
    importers: Importers | None,
    import_root: pathlib.Path | None,
    unloaded: list[tuple[int, Engagement]] | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read *path*, found walking a folder, as :func:`_read_file` does.

    A file that does not load and is no engagement file by its content (a
    ``pyproject.toml``, a saved report, a JSON Schema) is passed over: nothing
    is read from it and it has no problem. So each file is read once, and only
    a file that fails is read again to tell why.
    """
    bad: list[tuple[int, Engagement]] = []
    found, problems, several = _read_file(
        path, reader_for, importers, import_root, walked=True, unloaded=bad
    )
    if problems and not found and content_reason(path) is not None:
        return [], [], False
    if unloaded is not None:
        unloaded.extend(bad)
    return found, problems, several


def _import_issue(source: str, message: str) -> LoadIssue:
    return LoadIssue(source=source, line=None, column=None, path="", message=message)


def _import_file(
    path: pathlib.Path,
    reader_for: ReaderFor | None,
    importers: Importers | None = None,
    reader: ImportReader | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read a file of another system through the importer registered for it.

    *reader* is the importer already found for it; else *importers* find one,
    else *reader_for* (the older way).
    """
    source = os.fspath(path)
    if reader is None and importers is not None:
        head = read_head(path) if importers.sniffs(path) else None
        reader = importers.for_file(path, head)
    if reader is not None:
        return _read_imported(path, reader)
    importer = None if reader_for is None else reader_for(path)
    if importer is None:
        message = (
            f"unknown file type {path.suffix or '(none)'!r}: expected .yaml, .yml, "
            ".json or .toml, or a file an importer reads (outsourcekit plugins)"
        )
        return [], [_import_issue(source, message)], False
    try:
        return list(importer(path)), [], True
    except LoadError as error:
        return list(error.loaded), list(error.issues), True
    except Exception as error:  # noqa: BLE001 - a plugin's failure is a load issue
        message = f"importer {importer.name!r} failed: {type(error).__name__}: {error}"
        return [], [_import_issue(source, message)], True


def _read_imported(
    path: pathlib.Path, reader: ImportReader
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read a file through *reader* and load the engagements it gives.

    The data is validated as a file's would be, each problem located by the
    lines the importer gave; facts without an engagement (no ``id``) are an
    error: they belong under ``imports:``.
    """
    source = os.fspath(path)
    values, option_problems = reader.prepare({})
    if option_problems:
        return [], [_import_issue(source, m) for _, m in option_problems], True
    try:
        result = reader.read(path, values)
    except LoadError as error:  # a version 1 importer's problems with the file
        return list(error.loaded), list(error.issues), True
    if result is None:  # the importer failed: recorded as its plugin's error
        return [], [], True
    if isinstance(result, Sequence):  # a version 1 importer's engagements
        return list(result), [], True
    engagements, issues = _load_result(result, source, reader.name)
    return engagements, issues, True


def _load_result(
    result: ImportedData, source: str, name: str
) -> tuple[list[Engagement], list[LoadIssue]]:
    """Load the engagements of what an importer read, with its problems."""
    issues = [
        LoadIssue(
            source=source,
            line=problem.line,
            column=problem.column,
            path="",
            message=f"{problem.where}: {problem.message}"
            if problem.where
            else problem.message,
        )
        for problem in result.problems
    ]
    data = result.data
    message = None
    if too_deep(data):
        message = (
            f"the data importer {name!r} read is nested deeper than {MAX_DEPTH} levels"
        )
    elif isinstance(data, dict) and "id" not in data and "engagements" not in data:
        if not data and issues:
            return [], issues
        message = (
            f"importer {name!r} reads facts to merge into an engagement, "
            "not engagements (no `id`): name the file under `imports:` of an "
            f"engagement; `outsourcekit import {source}` shows what it reads"
        )
    if message is not None:
        return [], [*issues, _import_issue(source, message)]
    engagements, found = _load_imported(result, source)
    return engagements, [*issues, *found]


def json_duplicates(
    text: str, data: object = None, *, source: str | None = None
) -> list[LoadIssue]:
    """Return a load error for every key written twice in an object of JSON *text*.

    *text* is valid JSON; *data* is what it reads as, to name list items in
    paths by their ``name`` (:func:`format_path`); *source* names the file.
    Each key is reported as in an engagement file: where it is written again,
    its message naming the key and where it is first, its ``path`` the key's.
    For importers of JSON files, which can tell at little cost whether there
    is any by reading with an ``object_pairs_hook`` that refuses them.
    """
    found = _json_duplicates(text, source)
    if found[0].line is None and not _has_duplicate_key(text):
        return []  # found unlocated, only to say that there is one: there is none
    paths = format_paths((issue.path for issue in found), data)
    return [
        LoadIssue(
            source=issue.source,
            line=issue.line,
            column=issue.column,
            path=path,
            message=issue.message,
        )
        for issue, path in zip(found, paths, strict=True)
    ]


class _DuplicateKey(Exception):  # noqa: N818 - a signal, never raised to users
    """A JSON object has a key twice."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> None:
    if len({key for key, _ in pairs}) != len(pairs):
        raise _DuplicateKey


def _has_duplicate_key(text: str) -> bool:
    """Return whether an object of the valid JSON *text* has a key twice."""
    try:
        json.loads(text, object_pairs_hook=_refuse_duplicates)
    except _DuplicateKey:
        return True
    return False


def check_imported(
    imported: Imported,
    source: str | os.PathLike[str],
    *,
    importer: str = "the importer",
) -> list[LoadIssue]:
    """Return what is wrong with what an importer read from *source*, as load errors.

    *imported* is what the importer returned. Its own problems
    come first, then what of its data would not load, located by its lines,
    as the loader reports them: a fragment (no ``id``) is checked as facts to
    merge into an engagement, engagements and portfolios as a file's. An
    empty list means the data loads. *importer* names the importer in
    messages; engagements that share an id are a load error, as in a file.
    For importer authors' tests, and ``outsourcekit import``.
    """
    return _imported_engagements(imported, os.fspath(source), importer)[1]


def _imported_engagements(
    imported: Imported, source: str, importer: str
) -> tuple[list[Engagement] | None, list[LoadIssue]]:
    """Return the engagements what an importer read loads as, and its load errors.

    The errors are those :func:`check_imported` returns. The engagements are
    those a file of that data loads, each knowing its item of a portfolio
    (``origin.index``): of engagements that share an id, the first. They are
    None for a fragment (no ``id``), facts to merge that are no engagement.
    """
    data = imported.data
    if isinstance(data, dict) and "id" not in data and "engagements" not in data:
        _, problems = fragment_problems(imported, source, importer)
        return None, [_problem_issue(problem) for problem in problems]
    engagements, issues = _load_result(imported, source, importer)
    return _check_ids(engagements, issues), issues


def _importing(source: str | None, index: int | None, data: object) -> str:
    """Name the engagement at *index* of *source* (data *data*) that imports a file.

    By its id and file (``engagement a (a.yaml)``), else by its place in the
    file (``engagements[1] of p.yaml``, ``the engagement of a.yaml``).
    """
    file = "<string>" if source is None else source
    own_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(own_id, str) and own_id.strip():
        return f"engagement {own_id} ({file})"
    if index is None:
        return f"the engagement of {file}"
    return f"engagements[{index}] of {file}"


def _problem_issue(problem: Problem) -> LoadIssue:
    return LoadIssue(
        source=problem.source,
        line=problem.line,
        column=problem.column,
        path=problem.path,
        message=problem.message,
        expected=problem.expected,
        value=problem.value,
    )


def _load_imported(
    result: ImportedData, source: str
) -> tuple[list[Engagement], list[LoadIssue]]:
    """Load an importer's engagements (or portfolio), located by its lines."""
    parsed = imported_parsed(result, source)
    data = parsed.data
    fast: object = data
    if isinstance(data, dict):  # the fast path lets go of what it read: a copy
        fast = dict(data)
        items = data.get("engagements")
        if isinstance(items, list):
            fast["engagements"] = [
                dict(i) if isinstance(i, dict) and _VERSION_KEY in i else i
                for i in items
            ]
    try:
        engagements, portfolio = _read_fast(fast, source)
        issues: list[LoadIssue] = []
    except Exception:  # noqa: BLE001 -- the detailed path says what and where
        locator = _Locator("", "json", source)
        locator._parsed = parsed  # noqa: SLF001 -- the data is parsed already
        where = describe_where(result.where)
        engagements, issues = _read_detailed(locator, None, where)
        portfolio = isinstance(data, dict) and "engagements" in data
    located = []
    for engagement in engagements:
        origin = engagement.origin
        index = None if origin is None else origin.index
        prefix: Path = () if index is None or not portfolio else ("engagements", index)
        line = parsed.locate(prefix).line
        if line is not None:
            origin = Origin(source=source, index=index, line=line)
            engagement = attrs.evolve(engagement, origin=origin)  # noqa: PLW2901
        located.append(engagement)
    return located, issues


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


def _read_file(  # noqa: PLR0913 - one parameter per way to read
    path: pathlib.Path,
    reader_for: ReaderFor | None,
    importers: Importers | None = None,
    import_root: pathlib.Path | None = None,
    *,
    walked: bool = False,
    unloaded: list[tuple[int, Engagement]] | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read one file: its engagements, issues and whether it holds several.

    A file found *walked* through a directory that an importer recognises as
    its own is passed over: it is read where an engagement imports it. The
    engagements that do not load but have an id go to *unloaded*, each with
    the number of those that loaded before it: the lines of a JSON Lines file
    (see :func:`_read_json_lines`), the first engagement of the file with
    each id otherwise (see :func:`_read_detailed`).
    """
    source = os.fspath(path)
    if is_json_lines(path):
        return _read_json_lines(path, importers, import_root, unloaded)
    try:
        refusal = file_refusal(path)
    except OSError as error:
        refusal = f"cannot read the file: {error.strerror or error}"
    if refusal is not None:
        issue = LoadIssue(
            source=source, line=None, column=None, path="", message=refusal
        )
        return [], [issue], False
    fmt = detect_format(path)
    if fmt is None:
        return _import_file(path, reader_for, importers)
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
            message=f"cannot read the file: {error.strerror or error}",
        )
    except UnicodeDecodeError as error:
        # Reading a whole file decodes all its bytes at once: the error's
        # offset is the file's.
        issue = _not_utf8(path.read_bytes(), error.start, source)
    else:
        bad: list[Engagement] = []
        found, issues, several = _read_engagement_file(
            path, text, fmt, importers, import_root, walked=walked, unloaded=bad
        )
        if bad and unloaded is not None:
            indexes = [_index(e) for e in found]  # in order
            unloaded.extend((bisect.bisect_left(indexes, _index(e)), e) for e in bad)
        return found, issues, several
    return [], [issue], False


def _index(engagement: Engagement) -> int:
    """Return the place of *engagement* in its portfolio (0 for a file of one)."""
    origin = engagement.origin
    return 0 if origin is None or origin.index is None else origin.index


def _read_engagement_file(  # noqa: PLR0913 - the file, and how to read it
    path: pathlib.Path,
    text: str,
    fmt: Format,
    importers: Importers | None,
    import_root: pathlib.Path | None,
    *,
    walked: bool = False,
    unloaded: list[Engagement] | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read a file with an engagement file's suffix: its text, or an importer's.

    A file an importer recognises by its content (an OCDS package is ``.json``
    too) is read by that importer, or passed over if found *walked*. Only a
    file that does not load as engagements at once is shown to the importers:
    one that does is an engagement file. *unloaded* is as for
    :func:`_read_detailed`.
    """
    source = os.fspath(path)
    context = ImportContext(
        importers, path.parent, root=import_root, refusal=file_refusal
    )
    if importers is None or not importers.sniffs(path):
        return _read_text(text, fmt, source, context, unloaded)
    with collector_paused():
        try:
            engagements, portfolio = _load_fast(text, fmt, source, context)
        except Exception:  # noqa: BLE001, S110 -- not an engagement file that loads
            pass
        else:
            return engagements, [], portfolio
    claimed = importers.for_file(
        path, text[:HEAD_CHARS].removeprefix("\ufeff"), claimed_only=True
    )
    if claimed is not None:
        return ([], [], False) if walked else _read_imported(path, claimed)
    return _read_text(text, fmt, source, context, unloaded)


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
    paths: Iterable[str | os.PathLike[str]],
    reader_for: ReaderFor | None,
    importers: Importers | None = None,
    import_root: str | os.PathLike[str] | None = None,
    walk: Walk | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool, list[tuple[int, Engagement]]]:
    """Read every file of *paths*; a file named twice (by any path) is read once.

    A folder is walked as :func:`_walked` says, with *walk*'s settings. Last
    come the lines of JSON Lines files that did not load, each with its id
    and its place among the engagements (see :func:`_check_ids`).
    """
    root = None if import_root is None else pathlib.Path(import_root)
    engagements: list[Engagement] = []
    issues: list[LoadIssue] = []
    unloaded: list[tuple[int, Engagement]] = []
    several = False

    def placed(bad: list[tuple[int, Engagement]]) -> None:
        start = len(engagements)
        unloaded.extend((start + at, engagement) for at, engagement in bad)

    seen: set[str] = set()

    def first_time(file: pathlib.Path) -> bool:
        real = os.path.realpath(file)
        if real in seen:
            return False
        seen.add(real)
        return True

    for given in paths:
        path = pathlib.Path(given)
        kind = _given_kind(given, path)
        if kind == "folder":
            several = True
            for file in _walked(path, walk):
                if not first_time(file):
                    continue
                bad: list[tuple[int, Engagement]] = []
                found, problems, _ = _read_walked(
                    file, reader_for, importers, root, bad
                )
                placed(bad)
                engagements.extend(found)
                issues.extend(problems)
        elif kind == "file":
            if not first_time(path):
                continue
            bad = []
            found, problems, portfolio = _read_file(
                path, reader_for, importers, root, unloaded=bad
            )
            placed(bad)
            several = several or portfolio
            engagements.extend(found)
            issues.extend(problems)
        else:
            issues.append(
                LoadIssue(
                    source=os.fspath(given) and os.fspath(path),
                    line=None,
                    column=None,
                    path="",
                    message=kind,
                )
            )
    return engagements, issues, several, unloaded


#: Why an empty path is read as no file: pathlib reads it as ``.``.
_EMPTY_PATH: Final = "an empty path names no file or folder"


def _given_kind(given: str | os.PathLike[str], path: pathlib.Path) -> str:
    """Return what :func:`_path_kind` says of *path*, the path *given* names.

    An empty path (an unset variable, say) names nothing, though pathlib reads
    it as the working directory.
    """
    return _EMPTY_PATH if os.fspath(given) == "" else _path_kind(path)


def _path_kind(path: pathlib.Path) -> str:  # noqa: PLR0911 - one answer per reason
    """Return ``folder`` or ``file`` for what *path* names, else why it names none.

    Why is the system's reason, such as ``no such file or directory`` or
    ``file name too long`` (a path longer than the system takes); for a link
    that cannot be followed, what it leads to (``a link to nothing: x.yaml``)
    or why not (a loop of links).
    """
    try:
        if path.is_dir():
            return "folder"
        if path.exists():
            return "file"
        if path.is_symlink():
            path.stat()  # raises why the link cannot be followed
    except OSError as error:
        reason = error.strerror or str(error)
        reason = reason[:1].lower() + reason[1:]
        if error.errno in {errno.ENOENT, errno.ENOTDIR}:
            with contextlib.suppress(OSError):  # no link: the reason stands
                return f"a link to nothing: {os.fspath(path.readlink())}"
        if error.errno == errno.ELOOP:
            return f"a link that cannot be followed: {reason}"
        if error.errno in {errno.EACCES, errno.EPERM} and path.suffix:
            # Worded as for a file whose folder lets it be seen, not read.
            return f"cannot read the file: {error.strerror or error}"
        return reason
    return "no such file or directory"


def load(  # noqa: PLR0913 - one parameter per way to read
    path: str | os.PathLike[str],
    *,
    reader_for: ReaderFor | None = None,
    on_loaded: OnLoaded | None = None,
    importers: Importers | None = None,
    import_root: str | os.PathLike[str] | None = None,
    walk: Walk | None = None,
) -> Engagement | list[Engagement]:
    """Load an engagement file, a portfolio file or a directory.

    A file holding one engagement gives that :class:`~outsourcekit.model.Engagement`;
    a portfolio file (with ``engagements:``) or a directory gives a list, the
    directory's engagement files read in sorted order. A directory is walked
    as ``outsourcekit check`` walks it (format.md, "Files"): a file is read
    only when its content makes it an engagement file, and hidden folders,
    installed packages and links leading out of it are passed over, as are
    the ``exclude`` globs and outsourcekit's own files that *walk* names.

    This is the reading layer, which knows no plugins: files of other systems,
    named directly or under an engagement's ``imports:``, are read by
    *importers* (or, for files named directly, by what the older *reader_for*
    finds for them), and each engagement passes through *on_loaded*.
    :func:`outsourcekit.load` fills them from the plugins. Imported files must
    be below the folder of the file naming them, or below *import_root*.

    Raises:
        LoadError: something did not load; every issue is listed, and the
            engagements that did load are in its ``loaded``.

    """
    engagements, issues, several, unloaded = _load_paths(
        [path], reader_for, importers, import_root, walk
    )
    loaded = _finish(engagements, issues, on_loaded, unloaded=unloaded)
    if several:
        return loaded
    return loaded[0]


def load_all(  # noqa: PLR0913 - one parameter per way to read
    paths: Iterable[str | os.PathLike[str]],
    *,
    reader_for: ReaderFor | None = None,
    on_loaded: OnLoaded | None = None,
    importers: Importers | None = None,
    import_root: str | os.PathLike[str] | None = None,
    walk: Walk | None = None,
) -> list[Engagement]:
    """Load every engagement from files, directories or a mix, in the order given.

    Every file is read even when others have errors. *reader_for*,
    *on_loaded*, *importers*, *import_root* and *walk* are as for :func:`load`.

    Raises:
        LoadError: something did not load; every issue of every file is listed,
            and the engagements that did load are in its ``loaded``.

    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    engagements, issues, _, unloaded = _load_paths(
        paths, reader_for, importers, import_root, walk
    )
    return _finish(engagements, issues, on_loaded, unloaded=unloaded)


def _check_format(fmt: str) -> Format:
    if fmt not in _FORMATS:
        msg = f"format: expected one of 'yaml', 'json', 'toml', got {fmt!r}"
        raise ValueError(msg)
    return fmt  # type: ignore[return-value]


def _check_engagement_format(fmt: str) -> Format | Literal["jsonl"]:
    """Return *fmt*, a format of engagements (JSON Lines too), or raise naming them."""
    if fmt == _JSON_LINES:
        return _JSON_LINES
    if fmt not in _FORMATS:
        msg = f"format: expected one of 'yaml', 'json', 'toml', 'jsonl', got {fmt!r}"
        raise ValueError(msg)
    return fmt  # type: ignore[return-value]


def loads(  # noqa: PLR0913 - one parameter per way to read text
    text: str,
    format: str = "yaml",  # noqa: A002 -- the public name
    *,
    source: str | None = None,
    on_loaded: OnLoaded | None = None,
    importers: Importers | None = None,
    import_root: str | os.PathLike[str] | None = None,
) -> Engagement | list[Engagement]:
    """Load engagements from *text* in *format*.

    *format* is ``yaml``, ``json``, ``toml`` or ``jsonl`` (JSON Lines: one
    engagement a line, read as a JSON Lines file is). Gives one
    :class:`~outsourcekit.model.Engagement`, or a list for a portfolio, which
    JSON Lines always is.
    *source* names where the text came from in errors and findings; each
    engagement passes through *on_loaded*. With a *source*, the text is kept
    while any of the engagements lives, to find the lines of their findings in
    (there is no file to read again); without one, findings have no place.

    Text is no file: the paths of its ``imports:`` are taken from the working
    directory, and must lead to files below it (or below *import_root*); they
    are read by *importers*.

    Raises:
        LoadError: something did not load; every issue is listed.
        TypeError: *text* is no ``str`` (bytes are decoded first).

    """
    given: object = text  # callers without type checks pass anything
    if not isinstance(given, str):
        hint = ": decode it first" if isinstance(given, (bytes, bytearray)) else ""
        shown = type(given).__name__ if hint else describe_value(given)
        msg = f"loads() takes text (str), got {shown}{hint}"
        raise TypeError(msg)
    fmt = _check_engagement_format(format)
    root = None if import_root is None else pathlib.Path(import_root)
    context = ImportContext(
        importers, pathlib.Path.cwd(), root=root, refusal=file_refusal
    )
    if fmt == _JSON_LINES:
        engagements, issues, unloaded = _text_lines(text, _LineReader(source, context))
        return _finish(engagements, issues, on_loaded, unloaded=unloaded)
    engagements, issues, portfolio = _read_text(text, fmt, source, context)
    document = _Document(text, fmt)
    if source is not None:
        _keep(engagements, document)
    loaded = _finish(engagements, issues, on_loaded, document)
    return loaded if portfolio else loaded[0]


def from_dict(
    mapping: Mapping[str, Any], *, on_loaded: OnLoaded | None = None
) -> Engagement:
    """Build one engagement from plain data, as read from a file.

    The engagement passes through *on_loaded*, if given. A portfolio's data
    (with ``engagements``) is refused, saying so: :func:`loads` and
    :func:`load` read portfolios.

    Raises:
        LoadError: the data does not make an engagement; every issue is listed
            (with paths, without lines).

    """
    given: object = mapping  # callers without type checks pass anything
    if type(given) is not dict and not isinstance(given, Mapping):
        msg = (
            "from_dict() takes a mapping of an engagement's keys, "
            f"got {describe_value(mapping)}"
        )
        raise TypeError(msg)
    data = dict(mapping)
    if "engagements" in data:
        raise LoadError([_plain_issue(("engagements",), data, _PORTFOLIO_GIVEN)])
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
    # One engagement: no id to check against another.
    return engagement if on_loaded is None else on_loaded(engagement)


#: What from_dict() says of a portfolio given to it.
_PORTFOLIO_GIVEN: Final = FieldError(
    "from_dict() takes one engagement (a mapping with `id`), not a portfolio (a "
    "mapping with `engagements`): read a portfolio with loads() or load(), or "
    "call from_dict() on each of its engagements",
    expected="one engagement: a mapping with `id`",
    value=None,
)


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
    those whose file no longer holds their engagement and those placed in
    another file than their engagement's (an entry of the central waiver file).

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
            if engagement is None or finding.source != engagement.source:
                continue
            group = todo[finding.engagement] = (engagement, [])
        elif finding.source != group[0].source:
            continue  # placed in another file, where the rule put it
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
        if origin.row is not None:  # a record's row: in no file, no line
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


class _FollowedYaml(Protocol):
    """What :class:`_YamlLines` needs of a way to follow paths through YAML text.

    :class:`~outsourcekit._source.YamlBlockText` and
    :class:`~outsourcekit._source.YamlText` are two; their nodes are their own.
    """

    @property
    def root(self) -> Any:
        """The document's node."""
        ...

    def child(self, node: Any, step: str | int) -> Any:
        """Return the node at *step* in *node*, or None if there is none."""
        ...

    def walk(self, node: Any, steps: Path) -> Any:
        """Return the node at *steps* from *node*, or None if there is none."""
        ...

    def steps(self, path: str, node: Any) -> Path:
        """Read *path* against *node*'s value; raise ``ValueError`` if it is none."""
        ...

    def place_from(self, node: Any, steps: Path) -> int:
        """Return where the value at *steps* from *node*, else its parent, is."""
        ...

    def place(self, node: Any, path: str) -> int:
        """Return where the value at *path* read against *node*, else its parent, is.

        Where *node* is when *path* is not a path or names an item not there.
        """
        ...

    def lines(self, places: Iterable[int]) -> dict[int, int]:
        """Return the line of each of *places*, which :meth:`place_from` gave."""
        ...

    def is_null(self, node: Any) -> bool:
        """Return whether *node* is absent or null."""
        ...

    def is_mapping(self, node: Any) -> bool:
        """Return whether *node* is a mapping."""
        ...

    def string(self, node: Any) -> str | None:
        """Return the string *node* holds, None if it holds no string."""
        ...

    def identifier(self, node: Any) -> str | None:
        """Return the id *node* holds, as the loader reads an engagement's id."""
        ...


def _followed_yaml(text: str) -> _FollowedYaml:
    """Return a way to follow paths through YAML *text*: by its text, else its nodes.

    Raises ``YamlLayoutError`` where neither follows it.
    """
    try:
        return YamlBlockText(text)
    except YamlLayoutError:
        return YamlText(text)


class _YamlLines:
    """Finds the lines of paths in the engagements of one YAML file.

    The same lines as :class:`_Locator` finds, with no data built. Text laid out
    in block style, as most files are, is searched for the paths alone
    (:class:`~outsourcekit._source.YamlBlockText`); other text is composed into
    nodes, which are followed along the paths
    (:class:`~outsourcekit._source.YamlText`). That raises ``YamlLayoutError``
    for text it does not follow either.
    """

    def __init__(self, text: str) -> None:
        self.yaml = _followed_yaml(text)
        followed = self.yaml
        root = followed.root
        items = followed.child(root, "engagements")
        self.items: Any = root if items is None else items
        self.portfolio = items is not None
        self.defaults: Any = None

    def lines(self, requests: Sequence[_Request]) -> list[list[int | None]]:
        """Return the line of each request's paths."""
        followed = self.yaml
        engagements = []
        for index, eid, _ in requests:
            item = self.items if index is None else followed.child(self.items, index)
            if (
                not followed.is_mapping(item)
                or followed.identifier(followed.child(item, "id")) != eid
            ):
                item = None
            engagements.append(item)
        if self.portfolio:  # after the engagements: their list is then skipped
            defaults = followed.child(followed.root, "defaults")
            self.defaults = None if followed.is_null(defaults) else defaults
        locate = followed.place if self.defaults is None else self._place
        found: list[list[int] | None] = []
        for item, (_, _, paths) in zip(engagements, requests, strict=True):
            if item is None:
                found.append(None)
                continue
            # An engagement's findings often share a path: find each once.
            places = {path: locate(item, path) for path in dict.fromkeys(paths)}
            found.append([places[path] for path in paths])
        lines = followed.lines(place for group in found if group for place in group)
        return [
            [None] * len(paths) if group is None else [lines[place] for place in group]
            for group, (_, _, paths) in zip(found, requests, strict=True)
        ]

    def _place(self, item: Any, path: str) -> int:
        """Return where *path* of the engagement *item* is, for ``lines``.

        A path written in the engagement is there; else one written in
        ``defaults:`` is there; else it is at its nearest written parent.
        """
        followed = self.yaml
        defaults = self.defaults
        if defaults is None:
            return followed.place(item, path)
        steps: Path = ()
        for node in (item, defaults):
            try:
                steps = followed.steps(path, node)
            except ValueError:
                continue
            break
        if (
            defaults is not None
            and followed.walk(item, steps) is None
            and followed.walk(defaults, steps) is not None
        ):
            return followed.place_from(defaults, steps)
        return followed.place_from(item, steps)


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
        offsets: list[list[int]] = []
        # By request: how many lines below its offset each path is (in defaults).
        below: dict[int, list[int]] = {}
        for index, eid, paths in requests:
            at, end, one_line = self._engagement(index, eid)
            defaults = None if index is None else self.defaults()
            if one_line and defaults is None:
                offsets.append([at] * len(paths))
                continue
            self.json.members(at, _first_keys(paths), end)
            if defaults is None:
                places = self.json.places(at, paths, end)
                offsets.append(list(map(places.__getitem__, paths)))
            else:
                located = [self._locate(at, end, path, defaults) for path in paths]
                offsets.append([offset for offset, _ in located])
                below[len(offsets) - 1] = [after for _, after in located]
        lines = self.json.lines(itertools.chain.from_iterable(offsets))
        found: list[list[int | None]] = []
        for position, group in enumerate(offsets):
            afters = below.get(position)
            if afters is None:
                found.append(list(map(lines.__getitem__, group)))
            else:
                pairs = zip(group, afters, strict=True)
                found.append([lines[offset] + after for offset, after in pairs])
        return found

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
            # Looked for from the end: as sure an answer, faster.
            if text.text.rfind(_DEFAULTS_KEY) >= 0:
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
    return [key for _, key in sorted(set(map(_first_key, paths)))]


@functools.lru_cache(maxsize=4096)
def _first_key(path: str) -> tuple[int, str]:
    """Return the key *path* starts with, after its place in :data:`_KEY_ORDER`."""
    key = path.partition(".")[0].partition("[")[0]
    return _KEY_ORDER.get(key, len(_KEY_ORDER)), key


# -- Writing -------------------------------------------------------------------------


def to_dict(engagement: Engagement) -> dict[str, Any]:
    """Return *engagement* as plain data, as it is written in a file.

    Keys follow the model's field order; values equal to their default are left
    out; dates are ISO 8601 text; ``x-`` keys follow the fields they sit with.
    """
    given: object = engagement  # callers without type checks pass anything
    if not isinstance(given, Engagement):
        msg = f"to_dict() takes an Engagement, got {describe_value(given)}"
        raise TypeError(msg)
    result: dict[str, Any] = _converter(detailed=False).unstructure(given)
    return result


_NO_ENGAGEMENTS: Final = "expected an Engagement or a sequence of engagements, got "


def _engagements_given(given: object) -> Iterable[Engagement]:
    """Return what *given* holds to write, checked: engagements one at a time.

    A sequence is checked whole at once; other iterables (engagements read
    one at a time) are checked as they are taken.

    Raises:
        TypeError: *given* holds something else than engagements, or is
            neither an engagement nor an iterable of them; it is named.

    """
    if isinstance(given, Engagement):
        return (given,)
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
        raise TypeError(_NO_ENGAGEMENTS + describe_value(given))
    if not isinstance(given, Sequence):
        return _each_engagement(given)
    if not all(isinstance(e, Engagement) for e in given):
        raise TypeError(_NO_ENGAGEMENTS + describe_value(list(given)))
    return given


def _each_engagement(items: Iterable[object]) -> Iterator[Engagement]:
    """Yield each of *items*, raising TypeError at the first that is no engagement."""
    for index, item in enumerate(items):
        if not isinstance(item, Engagement):
            msg = f"{_NO_ENGAGEMENTS}{describe_value(item)} at index {index}"
            raise TypeError(msg)
        yield item


def _document(
    engagements: Engagement | Iterable[Engagement], converter: cattrs.Converter
) -> dict[str, Any]:
    given: object = engagements  # callers without type checks pass anything
    if isinstance(given, Engagement):
        return {_VERSION_KEY: FORMAT_VERSION, **converter.unstructure(given)}
    return {
        _VERSION_KEY: FORMAT_VERSION,
        "engagements": [converter.unstructure(e) for e in _engagements_given(given)],
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


class _EngagementDumper(_Dumper):
    """Writes engagements: a date, date-time or time raises ``_Moment``.

    Their fields are written as text already; an ``x-`` value read from TOML
    may hold one, which YAML files, read with no dates, would read back as text.
    """


def _refuse_moment(_dumper: _EngagementDumper, _value: dt.date | dt.time) -> yaml.Node:
    raise _Moment


_EngagementDumper.add_representer(dt.date, _refuse_moment)
_EngagementDumper.add_representer(dt.datetime, _refuse_moment)
_EngagementDumper.add_multi_representer(dt.date, _refuse_moment)
_EngagementDumper.add_multi_representer(dt.time, _refuse_moment)


def _json_default(value: object) -> object:
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    msg = f"cannot write {value!r} as JSON"
    raise TypeError(msg)


class _Moment(Exception):  # noqa: N818 -- internal signal, never raised to users
    """A date, date-time or time is met where a format has none."""


def _no_moment(_value: object) -> object:
    """Refuse *value*, a date, date-time or time, as JSON of engagements has none.

    Their fields are written as text already: only ``x-`` values hold them.
    """
    raise _Moment


def _is_moment(value: object) -> bool:
    return isinstance(value, (dt.date, dt.time))


def _moment_shown(value: dt.date | dt.time) -> tuple[str, str]:
    """Return what *value* is called, in the singular and plural: ``date-time``."""
    if isinstance(value, dt.datetime):
        return "date-time", "date-times"
    if isinstance(value, dt.date):
        return "date", "dates"
    return "time", "times"


def _refuse_moments(documents: Sequence[dict[str, Any]], fmt: str, reason: str) -> None:
    """Raise naming the first date, date-time or time of *documents*' engagements.

    *fmt* has none (TOML has): an ``x-`` value that holds one, as TOML reads
    it, is refused rather than written as text that reads back as text;
    *reason* says why, with ``{kinds}`` for the plural of what it is.
    """
    for data in documents:
        steps = _first_where(data, _is_moment)
        if steps is None:
            continue
        value = _walk(data, steps)
        assert isinstance(value, (dt.date, dt.time))  # noqa: S101 -- as tested
        kind, kinds = _moment_shown(value)
        msg = (
            f"cannot write engagement {data.get('id')!r} as {fmt}: "
            f"{format_path(steps, data)} is the {kind} {value.isoformat()}, and "
            f"{reason.format(kinds=kinds)} (write it as TOML, or as text)"
        )
        raise ValueError(msg)


#: The values plain data is made of, mappings and lists aside.
_PLAIN: Final = (str, int, float, bool, type(None), dt.date, dt.time)


def _is_not_plain(value: object) -> bool:
    """Whether *value* is none of plain data's kinds (a mapping's keys text)."""
    if isinstance(value, dict):
        return not all(isinstance(key, str) for key in value)
    return not isinstance(value, (list, *_PLAIN))


def _is_no_json_number(value: object) -> bool:
    """Whether *value* is a float JSON has no number for: infinite, or NaN."""
    return isinstance(value, float) and not math.isfinite(value)


def _first_where(
    value: Any, test: Callable[[object], bool], steps: Path = ()
) -> Path | None:
    """Return the steps to the first value inside *value* passing *test*, if any."""
    if test(value):
        return steps
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _first_where(item, test, (*steps, key))
        if found is not None:
            return found
    return None


#: How far JSON files are indented a level.
_INDENT: Final = 2


#: How JSON text escapes a backslash and a quote, and what stands for them a while:
#: control characters, which JSON text never holds unescaped.
_ESCAPES: Final = (("\\\\", "\x01"), ('\\"', "\x02"))


class _Depths(dict[str, int]):
    """How much deeper each text between two JSON strings leaves what follows."""

    def __missing__(self, text: str) -> int:
        depth = text.count("{") + text.count("[") - text.count("}") - text.count("]")
        self[text] = depth
        return depth


class _Indented(dict[tuple[str, int], str]):
    """Each text between two JSON strings, at a depth, as indented JSON writes it.

    The text is one-line JSON's with ``,`` and ``: `` as separators: brackets,
    separators and numbers, ``true``, ``false`` and ``null``. A bracket that
    opens a list or mapping with items is followed by a line break, one that
    closes it preceded by one, and so is each item after the first, each line
    indented by :data:`_INDENT` spaces a level; ``[]`` and ``{}`` stay as they are.
    """

    def __missing__(self, key: tuple[str, int]) -> str:
        text, depth = key
        shown: list[str] = []
        at = 0
        while at < len(text):
            char = text[at]
            if text.startswith(("[]", "{}"), at):
                shown.append(text[at : at + 2])
                at += 2
                continue
            if char in "[{":
                depth += 1
                shown.append(char + "\n" + " " * (_INDENT * depth))
            elif char in "]}":
                depth -= 1
                shown.append("\n" + " " * (_INDENT * depth) + char)
            elif char == ",":
                shown.append(",\n" + " " * (_INDENT * depth))
            else:
                shown.append(char)
            at += 1
        indented = "".join(shown)
        self[key] = indented
        return indented


def _indented_json(data: object, default: Callable[[object], object]) -> str:
    """Return *data* as ``json.dumps(indent=2, ensure_ascii=False)`` does, faster.

    Python's JSON encoder written in C writes no indentation, and the one in
    Python is several times slower. Here the one in C writes the data on one
    line, which is then indented: between two of its strings (told apart by
    their quotes, once the escaped ones stand aside) is only what JSON writes
    around values, the same few texts again and again, each indented once
    for each depth it is met at. When the encoder fails (a number out of
    range, what *default* refuses, what JSON has no value for), ``json.dumps``
    writes the data instead, so that what is raised is its own.
    """
    try:
        text = json.JSONEncoder(
            ensure_ascii=False,
            allow_nan=False,
            default=default,
            separators=(",", ": "),
        ).encode(data)
    except Exception:  # noqa: BLE001 -- json.dumps raises it again, or writes it
        return json.dumps(
            data, indent=_INDENT, ensure_ascii=False, default=default, allow_nan=False
        )
    for escape, stand_in in _ESCAPES:
        text = text.replace(escape, stand_in)
    pieces = text.split('"')  # text outside the strings, then inside, by turns
    between = pieces[::2]
    depths = itertools.accumulate(map(_Depths().__getitem__, between), initial=0)
    # The depths are one more: the depth after the last text.
    pieces[::2] = map(_Indented().__getitem__, zip(between, depths, strict=False))
    text = '"'.join(pieces)
    for escape, stand_in in _ESCAPES:
        text = text.replace(stand_in, escape)
    return text


def _json_document(
    data: Any,
    parts: Callable[[], Iterable[tuple[str, Any]]],
    default: Callable[[object], object] = _json_default,
    *,
    indent: int | None = _INDENT,
    name: str = "JSON",
) -> str:
    """Return *data* as JSON and a line feed; ValueError naming a number JSON has not.

    *parts* gives, when one is to be named, the parts of *data* with what
    each is (``engagement 'acme'``), to look for it in. *default* writes
    what JSON has no value for (dates), or refuses it. *indent* None writes
    one line; *name* is the format as the error names it (``JSON Lines``).
    """
    try:
        if indent == _INDENT:
            text = _indented_json(data, default)
        else:
            text = json.dumps(
                data,
                indent=indent,
                ensure_ascii=False,
                default=default,
                allow_nan=False,
            )
    except ValueError:
        for what, part in parts():
            steps = _first_where(part, _is_no_json_number)
            if steps is not None:
                msg = (
                    f"cannot write {what} as {name}: {format_path(steps, part)} is "
                    f"{_walk(part, steps)!r}, which JSON has no number for (write "
                    "it as YAML or TOML)"
                )
                raise ValueError(msg) from None
        raise
    return text + "\n"


#: The whole numbers TOML holds: 64-bit.
_TOML_INTEGERS: Final = range(-(2**63), 2**63)


def _no_toml_value(value: object) -> bool:
    """Whether TOML cannot hold *value*: null, or a whole number beyond 64 bits."""
    return value is None or (type(value) is int and value not in _TOML_INTEGERS)


def _plain_numbers(value: Any) -> Any:
    """Return *value* with each number of a subclass of int or float as plain.

    TOML writes a number as its ``str()``, which a member of an enumeration
    of numbers (``Hours.FULL``) turns into no number.
    """
    if isinstance(value, dict):
        return {k: _plain_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(v) for v in value]
    kind = type(value)
    if kind is not int and kind is not bool and isinstance(value, int):
        return int.__int__(value)
    if kind is not float and isinstance(value, float):
        return float.__float__(value)
    return value


def _toml_refusal(steps: Path, data: Any, null_hint: str) -> str:
    """Return why the value at *steps* of *data* cannot be written as TOML.

    *null_hint* says what to do with a null instead.
    """
    where = format_path(steps, data)
    value = _walk(data, steps) if steps else data
    if value is None:
        return f"{where} is null, and TOML has no null ({null_hint})"
    return (
        f"{where} is {value}, a whole number TOML cannot hold (TOML's run from "
        f"{_TOML_INTEGERS.start} to {_TOML_INTEGERS.stop - 1}; write it as YAML "
        "or JSON)"
    )


def _refuse_for_toml(engagements: Sequence[dict[str, Any]]) -> None:
    """Raise naming the first value of an engagement that TOML cannot hold.

    TOML has no null, and its whole numbers are 64-bit.
    """
    for data in engagements:
        steps = _first_where(data, _no_toml_value)
        if steps is not None:
            why = _toml_refusal(
                steps, data, "write it as YAML or JSON, or leave the value out"
            )
            msg = f"cannot write engagement {data.get('id')!r} as TOML: {why}"
            raise ValueError(msg)


def dumps(
    engagements: Engagement | Iterable[Engagement],
    format: str = "yaml",  # noqa: A002
) -> str:
    r"""Return *engagements* in *format*: ``yaml``, ``json``, ``toml`` or ``jsonl``.

    One engagement is written as an engagement file, a sequence as a portfolio
    (``engagements:``); both start with ``outsourcekit: 1``. In ``jsonl``
    (JSON Lines) each engagement is written on a line of its own, one line
    of JSON opened by ``"outsourcekit": 1``, and ended by a line feed: one
    engagement is one line, and reads back as a portfolio of one.

    Raises:
        ValueError: a value cannot be written in *format*: in ``toml``, a null
            (in an ``x-`` value) or a whole number beyond 64 bits; in ``json``
            and ``jsonl``, an infinite number or NaN, or a date, date-time or
            time (``x-`` values read from TOML hold them); in ``yaml``, such a
            date, as YAML files are read with no dates; in any format, text
            holding half of a surrogate pair (``"\ud800"``). The message
            names the engagement and the path. Nothing is ever dropped.
        TypeError: *engagements* is neither an engagement nor engagements.

    """
    fmt = _check_engagement_format(format)
    if fmt == _JSON_LINES:
        return "".join(_lines_written(engagements))
    with collector_paused():  # the whole document is made at once
        return _document_text(engagements, fmt)


def _document_text(engagements: Engagement | Iterable[Engagement], fmt: Format) -> str:
    """Return *engagements* in *fmt*, one document (see :func:`dumps`)."""
    if fmt == "toml":
        document = _plain_numbers(_document(engagements, _toml_converter()))
        _refuse_for_toml(document.get("engagements") or [document])
        return _whole_characters(tomli_w.dumps(document), document)
    document = _document(engagements, _converter(detailed=False))
    documents = document.get("engagements") or [document]
    if fmt == "json":
        try:
            text = _json_document(
                document,
                lambda: (
                    (f"engagement {data.get('id')!r}", data) for data in documents
                ),
                _no_moment,
            )
        except _Moment:
            _refuse_moments(documents, "JSON", "JSON has no {kinds}")
            raise  # pragma: no cover -- refused above
        return _whole_characters(text, document)
    # YAML writes half a surrogate pair as an escape, which no reader takes back.
    _whole_characters(None, document)
    try:
        yaml_text: str = yaml.dump(
            document,
            Dumper=_EngagementDumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=88,
        )
    except _Moment:
        _refuse_moments(
            documents,
            "YAML",
            "YAML files are read with no {kinds}: it would read back as text",
        )
        raise  # pragma: no cover -- refused above
    return yaml_text


def _whole_characters(text: str | None, document: dict[str, Any]) -> str:
    r"""Return *text*; ValueError naming text of *document* with half a character.

    Half a surrogate pair (``"\ud800"``, which Python's text can hold) is no
    character: no file holds it, and no reader would read it back. *text*
    written from *document* is searched first, when there is one.
    """
    if text is not None and (text.isascii() or first_surrogate(text) is None):
        return text
    for data in document.get("engagements") or [document]:
        steps = surrogate_path(data)
        if steps is not None:
            value = _walk(data, steps) if steps else data
            msg = (
                f"cannot write engagement {data.get('id')!r}: "
                f"{format_path(steps, data) or 'a key'} holds "
                f"{short_repr(value, 40)}, with half of a surrogate pair, which is no "
                "character a file can hold"
            )
            raise ValueError(msg)
    return "" if text is None else text


def unwritable_data(data: object) -> str | None:
    """Return why *data* is written in no format, or None when it is plain data.

    Plain data is what a file holds: text, numbers, booleans, null, dates,
    lists and mappings with text keys, nested at most :data:`MAX_DEPTH`
    levels (data that holds itself nests without end). What a single
    format cannot hold (a null in TOML) is :func:`dumps_data`'s to say.
    """
    if too_deep(data, MAX_DEPTH):
        return f"it is nested deeper than {MAX_DEPTH} levels"
    steps = _first_where(data, _is_not_plain)
    if steps is None:
        return None
    value = _walk(data, steps)
    where = format_path(steps, data) if steps else "the data"
    return (
        f"{where} is {short_repr(value)} ({kind_of(value)}), which is no plain "
        "data (text, numbers, booleans, null, lists, mappings with text keys, dates)"
    )


def dumps_data(data: object, format: str = "yaml") -> str:  # noqa: A002
    """Return plain data (an engagement file's, or an importer's) in *format*.

    Written as :func:`dumps` writes engagements: YAML with text of several
    lines as blocks, JSON indented, TOML.

    Raises:
        ValueError: *format* is ``toml`` and the data holds a null or a
            whole number beyond 64 bits (naming its path), or is not a
            mapping; ``json`` and it holds an infinite number or NaN; the
            data holds a value that is no plain data (an object of a class of
            its own), naming its path, or nests deeper than
            :data:`MAX_DEPTH` levels (:func:`unwritable_data`).

    """
    fmt = _check_format(format)
    problem = unwritable_data(data)
    if problem is not None:
        msg = f"cannot write the data: {problem}"
        raise ValueError(msg)
    if fmt == "toml":
        if not isinstance(data, dict):
            msg = f"cannot write {describe_value(data)} as TOML: it is not a mapping"
            raise ValueError(msg)
        plain: dict[str, Any] = _plain_numbers(data)
        steps = _first_where(plain, _no_toml_value)
        if steps is not None:
            why = _toml_refusal(steps, plain, "write it as YAML or JSON")
            msg = f"cannot write the data as TOML: {why}"
            raise ValueError(msg)
        return tomli_w.dumps(plain)
    if fmt == "json":
        return _json_document(data, lambda: [("the data", data)])
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return text


def dump(
    engagements: Engagement | Iterable[Engagement],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,  # noqa: A002
) -> None:
    """Write *engagements* to the file *path*, in *format* or the one its suffix names.

    The formats are :func:`dumps`'; ``.jsonl`` and ``.ndjson`` name JSON
    Lines, which is written a line at a time, taking engagements given one at
    a time (:func:`~outsourcekit.iter_load`'s) as they come: a portfolio of
    any size is written in the memory of one engagement.

    A regular file is written to a new file beside *path* that then replaces
    it, so that a dump that fails part of the way (a value refused, the disk
    full, an interrupt) leaves *path* as it was and no new file behind; the
    file keeps its permissions. Through a symbolic link, the file it points
    to is replaced and the link kept. A file with other hard links is
    replaced too: *path* holds the engagements, its other names keep the
    former contents. A *path* naming a file the program has open
    (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/3``) is written through it,
    after what the program printed there, and at its end when the shell
    opened it with ``>>``; one that is no regular file (a named pipe,
    ``/dev/null``) is written to directly. A *path* that cannot be written,
    or whose folder cannot be, is refused (``PermissionError``); an error
    writing names *path*.

    Raises:
        ValueError: no *format* is given and the suffix names none, or a
            value cannot be written in the format (see :func:`dumps`).
        TypeError: *engagements* is neither an engagement nor engagements.

    """
    fmt = format or (_JSON_LINES if is_json_lines(path) else detect_format(path))
    if fmt is None:
        msg = (
            f"format: cannot tell from {os.fspath(path)!r}; expected a .yaml, .yml, "
            ".json, .toml, .jsonl or .ndjson file, or format='yaml', 'json', "
            "'toml' or 'jsonl'"
        )
        raise ValueError(msg)
    if _check_engagement_format(fmt) == _JSON_LINES:
        _write_text(_lines_written(engagements), path)
        return
    _write_text((dumps(engagements, fmt),), path)


def _lines_written(engagements: Engagement | Iterable[Engagement]) -> Iterator[str]:
    """Return the lines of *engagements* as JSON Lines, each with its line feed.

    A line is the JSON :func:`dumps` writes of one engagement, on one line.
    What is no engagement is refused at once, or, among engagements given one
    at a time, when it is met.
    """
    return _engagement_lines(_engagements_given(engagements))


def _engagement_lines(engagements: Iterable[Engagement]) -> Iterator[str]:
    converter = _converter(detailed=False)
    for engagement in engagements:
        data = {_VERSION_KEY: FORMAT_VERSION, **converter.unstructure(engagement)}
        parts = [(f"engagement {engagement.id!r}", data)]
        try:
            line = _json_document(
                data,
                parts.copy,  # the engagement, to name with its path
                _no_moment,
                indent=None,
                name="JSON Lines",
            )
        except _Moment:
            _refuse_moments([data], "JSON Lines", "JSON has no {kinds}")
            raise  # pragma: no cover -- refused above
        yield _whole_characters(line, data)


#: How :func:`_write_text` opens its new file: created, never one that exists.
_NEW_FILE: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _named(error: OSError, path: str | os.PathLike[str]) -> OSError:
    """Return *error*, naming *path* when it names no file (a failed write)."""
    if error.filename is not None:
        return error
    named = type(error)(error.errno, error.strerror, os.fspath(path))
    named.__traceback__ = error.__traceback__
    return named


def _write_text(parts: Iterable[str], path: str | os.PathLike[str]) -> None:
    """Write the text of *parts* to the file *path* as UTF-8, one part at a time.

    A regular file is written to a new file beside it, which replaces it once
    every part is written (a file it replaces keeps its permissions); when
    anything fails, the new file is removed and *path* left as it was. A
    link is followed: the file it points to is replaced. A file that cannot
    be written is refused, as writing it would be, though replacing it needs
    only its folder. A *path* naming a file this process has open
    (``/dev/stdout``, ``/dev/fd/3``) is written through it, where it stands
    (at its end when it was opened to append); one that is no regular file
    (a named pipe, ``/dev/null``) is written to directly. An error writing
    names *path*.
    """
    try:
        descriptor = open_descriptor(path)
        if descriptor is not None:
            flush_streams(descriptor)
            with open(  # noqa: PTH123 -- a descriptor
                os.dup(descriptor), "w", encoding="utf-8", newline=""
            ) as file:
                file.writelines(parts)
            return
        target = pathlib.Path(os.path.realpath(path))
        if target.exists() and not target.is_file():
            with pathlib.Path(path).open("w", encoding="utf-8", newline="") as file:
                file.writelines(parts)
            return
        _replace(parts, path, target)
    except OSError as error:
        raise _named(error, path) from None


def _replace(
    parts: Iterable[str], path: str | os.PathLike[str], target: pathlib.Path
) -> None:
    """Write *parts* to a new file beside *target*, then put it in its place.

    *target* is a regular file or none; *path* names it as given (see
    :func:`_write_text`).
    """
    replaced = target.is_file()
    if replaced and not os.access(target, os.W_OK):
        # Replacing it needs only its folder: refused, as writing it would be.
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
    while True:
        temporary = target.with_name(temporary_name(target.name))
        try:
            descriptor = os.open(temporary, _NEW_FILE, 0o666)
        except FileExistsError:
            continue
        except OSError as error:  # named as writing *path* itself would name it
            reason = error.strerror
            if replaced and isinstance(error, PermissionError):
                reason = (
                    f"{reason}: its folder cannot be written (the dump writes a new "
                    "file there, which replaces this one once written in full)"
                )
            raise OSError(error.errno, reason, os.fspath(path)) from None
        break
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as file:  # noqa: PTH123
            file.writelines(parts)
            file.flush()
            os.fsync(file.fileno())  # whole on the disk before it replaces *path*
        if replaced:
            shutil.copymode(target, temporary)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


# -- JSON Lines and streaming ------------------------------------------------------

_LINE_EXPECTED: Final = "a JSON object: one engagement, with `id`"
#: Where a message names a place in the text of one line.
_PLACE_AT: Final = re.compile(r"\bat line ([0-9]+), column ([0-9]+)")
#: Where the reader ends a line: a carriage return alone ends one too.
_LINE_ENDS: Final = re.compile("\r\n?|\n")


def _on_line(issue: LoadIssue, line: Line) -> LoadIssue:
    """Return *issue*, found in the text of *line* alone, located in the file.

    A message that names a place on that line (a key's first place) names it
    on the line of the file too.
    """
    number = line.number
    message = issue.message
    if " at line " in message:
        message = _PLACE_AT.sub(
            lambda at: (
                f"at line {number}, column {_column_on(line, int(at[1]), int(at[2]))}"
            ),
            message,
        )
    column = issue.column
    if issue.line is not None and issue.line > 1:
        column = _column_on(line, issue.line, column)
    if message == _EXTRA_DATA:
        message = _more_on_the_line(line, column)
    return attrs.evolve(issue, line=number, column=column, message=message)


#: What the JSON reader says of text after a whole value.
_EXTRA_DATA: Final = "invalid JSON: Extra data"


def _more_on_the_line(line: Line, column: int | None) -> str:
    """Say what is wrong with a *line* holding more than one value, from *column*.

    Most often two engagements ran together, a line feed lost between them
    (files joined, one not ending in a line feed); or the file's lines end
    in carriage returns alone, which end no line of JSON Lines.
    """
    at = (column or 1) - 1
    message = (
        "invalid JSON: more text after the engagement, where the line should "
        "end: a JSON Lines file holds one engagement a line"
    )
    if line.text.startswith("{", at):  # another engagement
        message += " (is a line feed missing?)"
    before = line.text[:at].rstrip(" \t")
    if before.endswith("\r"):
        message += (
            "; its lines end with a carriage return alone, which ends no line of "
            "JSON Lines: save the file with line feeds"
        )
    return message


def _column_on(line: Line, at: int, column: int | None) -> int | None:
    """Return the column on *line* of the place at line *at*, *column*, of its text.

    The line's text ends with its line feed, which JSON reads as white space:
    a place past it (text cut off, a value expected at the end) is the end of
    the line, just after its last character. A carriage return alone inside
    the line, which the reader counts as a line end, is white space of the
    line too.
    """
    if at == 1:
        return column
    text = line.text.removesuffix("\n").removesuffix("\r")
    end = len(text) + 1
    if "\r" in text and column is not None:
        starts = [0, *(found.end() for found in _LINE_ENDS.finditer(text))]
        if at <= len(starts):
            return min(starts[at - 1] + column, end)
    return end


def _on_its_line(engagement: Engagement, origin: Origin) -> Engagement:
    """Return *engagement*, just built from one line, with that line as its origin.

    Set in place: nothing holds the engagement yet, and building it again would
    cost as much as reading it.
    """
    # Frozen for its users; this engagement has none yet.
    object.__setattr__(engagement, "origin", origin)
    return engagement


class _LineReader:
    """Reads the lines of one JSON Lines file into engagements, as :func:`loads` does.

    The same two paths as for JSON text: valid data is built at once, anything
    else is read again with locations to say what and where. *source* names
    the file (None: text from no file); what engagements import is read with
    *imports*, relative to the file's folder (the working directory, for text).
    """

    def __init__(self, source: str | None, imports: ImportContext) -> None:
        self.source = source
        self.imports = imports

    def read(self, line: Line) -> tuple[Engagement | None, list[LoadIssue], str | None]:
        """Return the engagement of *line*, or None and its located issues.

        Last comes the id of an engagement that did not load, when it reads:
        it is still that engagement's, to tell a duplicate with its problems.
        """
        source = self.source
        origin = _origin(source, line=line.number)
        with collector_paused():
            try:
                [engagement], _ = _load_fast(
                    line.text, "json", source, self.imports, single=True
                )
            except SourceSyntaxError as error:
                if not error.recoverable:
                    issue = _on_line(_load_issue(error.issue, data=error.data), line)
                    return None, [issue], None
            except _Invalid:  # the detailed path says what
                pass
            else:
                return _on_its_line(engagement, origin), [], None
            return self._detailed(line, origin)

    def _detailed(
        self, line: Line, origin: Origin
    ) -> tuple[Engagement | None, list[LoadIssue], str | None]:
        """Read a line that did not load at once, reporting every problem, located."""
        source = self.source
        locator = _Locator(line.text, "json", source)
        try:
            parsed = locator.parsed()
        except SourceSyntaxError as error:
            issue = _on_line(_load_issue(error.issue, data=error.data), line)
            return None, [issue], None
        data = parsed.data
        if not isinstance(data, dict) or "engagements" in data:
            if isinstance(data, dict):
                where = parsed.locate_key(("engagements",))
                path = "engagements"
                message = (
                    "a line of a JSON Lines file holds one engagement, not a "
                    "portfolio: write each engagement on a line of its own"
                )
            else:
                where, path = parsed.locate(()), ""
                message = FieldError.expecting(_LINE_EXPECTED, data).message
            issue = LoadIssue(
                source=source,
                line=line.number,
                column=where.column,
                path=path,
                message=message,
                expected=_LINE_EXPECTED,
            )
            return None, [issue], None
        engagements, issues = _read_detailed(locator, self.imports, top=(_VERSION_KEY,))
        located = [
            _on_line(issue, line) if issue.source == source else issue
            for issue in issues
        ]
        if not engagements:
            return None, located, _readable_id(data)
        return _on_its_line(engagements[0], origin), located, None


def _lines_refusal(path: pathlib.Path) -> str | None:
    """Return why the JSON Lines file at *path* is not read, or None when it may be.

    Only a regular file is read; its size is not limited, as it is read a line
    at a time (each line is, by :data:`MAX_LINE_BYTES`).
    """
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read the file: {error.strerror or error}"
    if not stat.S_ISREG(mode):
        kind = next((k for test, k in _KINDS if test(mode)), "special")
        return f"cannot be read: it is not a regular file (it is {kind})"
    return None


def _json_lines(
    path: pathlib.Path,
    importers: Importers | None = None,
    import_root: pathlib.Path | None = None,
    counter: ByteCounter | None = None,
    part: tuple[int, int | None] | None = None,
) -> Iterator[tuple[Engagement | None, list[LoadIssue], Engagement | None]]:
    """Yield each engagement of a JSON Lines file with its issues, a line at a time.

    A line that does not load gives None and its issues, then, when its id
    reads, an engagement of that id alone, on that line (else None): its id is
    still its own, to tell a duplicate with its problems. The lines after it
    are read all the same. An engagement whose imports have problems is given
    with them. *part* limits the lines read (see :func:`iter_load`).
    """
    source = os.fspath(path)
    refusal = _lines_refusal(path)
    if refusal is not None:
        yield None, [_file_issue(source, refusal)], None
        return
    imports = ImportContext(
        importers, path.parent, root=import_root, refusal=file_refusal
    )
    reader = _LineReader(source, imports)
    try:
        with path.open("rb") as file:
            for item in read_lines(file, counter=counter, part=part):
                if isinstance(item, LineProblem):
                    issue = LoadIssue(
                        source=source,
                        line=item.number,
                        column=item.column,
                        path="",
                        message=item.message,
                    )
                    yield None, [issue], None
                else:
                    engagement, issues, eid = reader.read(item)
                    unloaded = None
                    if eid is not None:
                        origin = _origin(source, line=item.number)
                        unloaded = Engagement(id=eid, origin=origin)
                    yield engagement, issues, unloaded
    except OSError as error:
        yield (
            None,
            [_file_issue(source, f"cannot read the file: {error.strerror or error}")],
            None,
        )


def _text_lines(
    text: str, reader: _LineReader
) -> tuple[list[Engagement], list[LoadIssue], list[tuple[int, Engagement]]]:
    """Read each line of *text*, as of a JSON Lines file: its engagements and issues.

    As in a file, blank lines are skipped, a line ends at a line feed and a
    byte-order mark may open the text; the text is read already, so the
    length of a line is not limited. Last come the lines that did not load
    but have an id, as :func:`_read_json_lines` gives them.
    """
    engagements: list[Engagement] = []
    issues: list[LoadIssue] = []
    unloaded: list[tuple[int, Engagement]] = []
    pieces = text.removeprefix("\ufeff").split("\n")
    last = len(pieces)
    for number, piece in enumerate(pieces, 1):
        if not piece.strip(" \t\r"):
            continue
        line = Line(number, piece if number == last else piece + "\n")
        engagement, problems, eid = reader.read(line)
        if engagement is not None:
            engagements.append(engagement)
        elif eid is not None:
            origin = _origin(reader.source, line=number)
            unloaded.append((len(engagements), Engagement(id=eid, origin=origin)))
        issues.extend(problems)
    return engagements, issues, unloaded


def _file_issue(source: str, message: str) -> LoadIssue:
    return LoadIssue(source=source, line=None, column=None, path="", message=message)


def _read_json_lines(
    path: pathlib.Path,
    importers: Importers | None = None,
    import_root: pathlib.Path | None = None,
    unloaded: list[tuple[int, Engagement]] | None = None,
) -> tuple[list[Engagement], list[LoadIssue], bool]:
    """Read every line of a JSON Lines file: its engagements and issues.

    Each line that did not load but has an id goes to *unloaded*, if given:
    an engagement of that id alone, after as many engagements as loaded
    before it (see :func:`_check_ids`).
    """
    engagements: list[Engagement] = []
    issues: list[LoadIssue] = []
    for engagement, problems, bad in _json_lines(path, importers, import_root):
        if engagement is not None:
            engagements.append(engagement)
        elif bad is not None and unloaded is not None:
            unloaded.append((len(engagements), bad))
        issues.extend(problems)
    return engagements, issues, True


#: How a place an id was first read at is packed into one integer: the number
#: of its file in the load, shifted by this, and its line (or its index in
#: the file's ``engagements:``, plus one).
_FILE_SHIFT: Final = 34
_LINE_FLAG: Final = 1 << 33
_VALUE_MASK: Final = (1 << 33) - 1

_Stream = TypeVar("_Stream", bound="EngagementStream")


class EngagementStream:
    """Engagements read one at a time from files, directories and JSON Lines files.

    What :func:`iter_load` returns. Iterate over it once, engagement by
    engagement or with :meth:`chunks`; only the file being read is held (a
    line of it, for a JSON Lines file), so that memory does not grow with the
    portfolio. Ids are unique across the stream: only the ids seen so far are
    kept, each with where it was read (one integer), and an engagement whose
    id was seen before is not given but reported, naming both places.

    What does not load never stops the stream: it is recorded in
    :attr:`issues`, located like every load error, and the files and lines
    after it are read. Read :attr:`issues` once the stream is consumed, or
    call :meth:`raise_for_issues`.
    """

    def __init__(  # noqa: PLR0913 - those of iter_load()
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        reader_for: ReaderFor | None = None,
        on_loaded: OnLoaded | None = None,
        importers: Importers | None = None,
        import_root: str | os.PathLike[str] | None = None,
        part: tuple[int, int | None] | None = None,
        walk: Walk | None = None,
    ) -> None:
        """Prepare to read *paths*; nothing is read before the first engagement."""
        #: Each path as given, and as a path.
        self._paths = [(p, pathlib.Path(p)) for p in paths]
        self._walk = walk
        self._part = part
        self._reader_for = reader_for
        self._on_loaded = on_loaded
        self._importers = importers
        self._root = None if import_root is None else pathlib.Path(import_root)
        self._issues: list[LoadIssue] = []
        self._ids: dict[str, int] = {}
        #: Where the ids of the files read to place ids seen before are, by
        #: source and index: kept while one file is read, for all the ids it
        #: repeats (the files read with locations are not).
        self._places = IdPlaces()
        # The first place of each id that what did not load has.
        self._named: dict[str, int] = {}
        # When kept (see record_unloaded): what did not load, not judged here.
        self._kept: list[tuple[int, int, Engagement]] | None = None
        self._sources: list[str] = []
        self._counter = ByteCounter()
        self._total: int | None = None
        self._count = 0
        self._iterator: Generator[Engagement, None, None] = self._engagements()

    def __iter__(self) -> EngagementStream:
        """Return the stream itself: it is read once."""
        return self

    def __next__(self) -> Engagement:
        """Return the next engagement that loads."""
        return next(self._iterator)

    def __enter__(self: _Stream) -> _Stream:  # noqa: PYI019 - Self is 3.11+
        """Return the stream; leaving the ``with`` block closes it."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the stream, and the file it is reading."""
        self.close()

    def close(self) -> None:
        """Stop reading: the open file is closed, and no engagement follows."""
        self._iterator.close()

    def chunks(self, size: int = 1000) -> Iterator[list[Engagement]]:
        """Yield the engagements in lists of *size* (the last may be shorter).

        Raises:
            ValueError: *size* is not a positive whole number.

        """
        if type(size) is not int or size < 1:
            msg = f"size: expected a whole number of at least 1, got {size!r}"
            raise ValueError(msg)
        chunk: list[Engagement] = []
        for engagement in self:
            chunk.append(engagement)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    @property
    def issues(self) -> Sequence[LoadIssue]:
        """Every load error found so far, in the order found.

        A read-only view that grows as the stream is read: handed to
        :func:`outsourcekit.check_stream` as its ``errors`` (which it reads
        once the engagements are exhausted), it carries every load error into
        the report.
        """
        return _Issues(self._issues)

    @property
    def loaded(self) -> int:
        """How many engagements were given so far."""
        return self._count

    @property
    def bytes_read(self) -> int:
        """How many bytes of the files were read so far."""
        return self._counter.bytes

    @property
    def bytes_total(self) -> int | None:
        """The size of all the files to read, in bytes; None before reading starts."""
        return self._total

    def raise_for_issues(self) -> None:
        """Raise :class:`LoadError` listing every issue found, if any was.

        The error's ``loaded`` is empty: the engagements were given one by one.
        """
        if self._issues:
            raise LoadError(self._issues)

    # -- reading -------------------------------------------------------------------

    def _files(self) -> list[tuple[pathlib.Path, bool] | LoadIssue]:
        """Return the files to read, in order, or the issue of a path that is none.

        Each file comes with whether it was found walking a folder (as
        :func:`load` walks them) rather than named. A file named twice (by any
        path) is read once.
        """
        out: list[tuple[pathlib.Path, bool] | LoadIssue] = []
        seen: set[str] = set()
        for given, path in self._paths:
            kind = _given_kind(given, path)
            walked = kind == "folder"
            if walked:
                files: Sequence[pathlib.Path] = _walked(path, self._walk)
            elif kind == "file":
                files = [path]
            else:
                out.append(_file_issue(os.fspath(given) and os.fspath(path), kind))
                continue
            for file in files:
                real = os.path.realpath(file)
                if real not in seen:
                    seen.add(real)
                    out.append((file, walked))
        return out

    def _engagements(self) -> Generator[Engagement, None, None]:
        files = self._files()
        self._total = sum(_size(f[0]) for f in files if not isinstance(f, LoadIssue))
        if self._part is not None:
            start, stop = self._part
            end = self._total if stop is None else min(stop, self._total)
            self._total = max(end - max(start, 0), 0)
        for item in files:
            if isinstance(item, LoadIssue):
                self._issues.append(item)
                continue
            file, walked = item
            if is_json_lines(file):
                try:
                    yield from self._json_lines(file)
                finally:
                    self._places.clear()
            else:
                try:
                    yield from self._file(file, walked=walked)
                finally:
                    self._places.clear()

    def _file(self, file: pathlib.Path, *, walked: bool) -> Iterator[Engagement]:
        """Yield the engagements of a file read whole that load, in order."""
        read = _read_walked if walked else _read_file
        bad: list[tuple[int, Engagement]] = []
        found, issues, _ = read(
            file, self._reader_for, self._importers, self._root, unloaded=bad
        )
        self._counter.bytes += _size(file)
        self._issues.extend(issues)
        pending = iter(bad)
        unloaded = next(pending, None)
        for index in range(len(found)):
            while unloaded is not None and unloaded[0] <= index:
                self._unloaded(unloaded[1])
                unloaded = next(pending, None)
            kept = self._admit(found[index])
            found[index] = None  # type: ignore[call-overload] # let it go
            if kept is not None:
                yield kept
        while unloaded is not None:
            self._unloaded(unloaded[1])
            unloaded = next(pending, None)

    def _json_lines(self, file: pathlib.Path) -> Iterator[Engagement]:
        """Yield the engagements of a JSON Lines file that load, a line at a time."""
        lines = _json_lines(
            file, self._importers, self._root, self._counter, self._part
        )
        for engagement, issues, bad in lines:
            self._issues.extend(issues)
            if engagement is not None:
                kept = self._admit(engagement)
                if kept is not None:
                    yield kept
            elif bad is not None:
                self._unloaded(bad)

    def _unloaded(self, bad: Engagement) -> None:
        """Note the id of what did not load: a duplicate if read before.

        *bad* is an engagement of that id alone, at its place.
        """
        if self._kept is not None:
            self._kept.append((self._count, len(self._issues), bad))
            return
        eid = bad.id
        first = self._named.get(eid)
        if first is None:
            first = self._ids.get(eid)
        if first is None:
            self._named[eid] = self._place(bad)
            return
        self._named.setdefault(eid, first)
        self._issues.append(self._duplicate(bad, first))

    def _admit(self, engagement: Engagement) -> Engagement | None:
        """Return *engagement* as loaded, or None when its id was seen before.

        An id only a line that did not load had before is reported, and the
        engagement loaded. Where an id seen before is written is found in its
        files read with locations, once for all the ids the file being read
        repeats: where their ids are is kept until that file ends.
        """
        eid = engagement.id
        first = self._ids.get(eid)
        named = self._named.get(eid) if self._named else None
        if first is not None:
            there = first if named is None else named
            self._issues.append(self._duplicate(engagement, there))
            return None
        here = self._ids[eid] = self._place(engagement)
        if named is not None and not _same_portfolio(here, named):
            self._issues.append(self._duplicate(engagement, named))
        if self._on_loaded is not None:
            engagement = self._on_loaded(engagement)
        self._count += 1
        return engagement

    def _place(self, engagement: Engagement) -> int:
        """Return where *engagement* was read, packed into one integer."""
        origin = engagement.origin
        if origin is None:
            return 0
        sources = self._sources
        if not sources or sources[-1] != origin.source:
            sources.append(origin.source or "")
        packed = len(sources) << _FILE_SHIFT
        if origin.line is not None:
            return packed | _LINE_FLAG | origin.line
        return packed | (0 if origin.index is None else origin.index + 1)

    def _duplicate(self, engagement: Engagement, first: int) -> LoadIssue:
        """Return the issue of *engagement*, whose id was read before at *first*."""
        origin = None
        if first:
            source = self._sources[(first >> _FILE_SHIFT) - 1] or None
            value = first & _VALUE_MASK
            if first & _LINE_FLAG:
                origin = Origin(source=source, line=value)
            else:
                origin = Origin(source=source, index=value - 1 if value else None)
        return duplicate_id_issue(
            engagement, Engagement(id=engagement.id, origin=origin), self._places
        )


def _same_portfolio(here: int, there: int) -> bool:
    """Whether two places of a stream are items of one portfolio (not lines).

    The file tells a duplicate id between those itself, among its own errors.
    """
    return not there & _LINE_FLAG and here >> _FILE_SHIFT == there >> _FILE_SHIFT


class _Issues(Sequence[LoadIssue]):
    """A read-only view of a stream's load errors, as they are found."""

    __slots__ = ("_items",)

    def __init__(self, items: list[LoadIssue]) -> None:
        self._items = items

    @overload
    def __getitem__(self, index: int) -> LoadIssue: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[LoadIssue]: ...

    def __getitem__(self, index: int | slice) -> LoadIssue | Sequence[LoadIssue]:
        if isinstance(index, slice):
            return tuple(self._items[index])
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment] # a view of a list that changes

    def __repr__(self) -> str:
        return repr(tuple(self._items))


def _size(path: pathlib.Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _require_part(part: object) -> None:
    """Raise unless *part* is ``(start, stop)``: byte offsets, in order.

    TypeError for anything but two whole numbers (stop None: to the end),
    ValueError for a start below 0 or a stop before the start.
    """

    def whole(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    msg = (
        "part: expected (start, stop), byte offsets that are whole numbers from 0, "
        f"stop None (to the end) or not before start, got {part!r}"
    )
    if not (
        isinstance(part, (tuple, list))
        and len(part) == 2
        and whole(part[0])
        and (part[1] is None or whole(part[1]))
    ):
        raise TypeError(msg)
    start, stop = part
    if start < 0 or (stop is not None and stop < start):
        raise ValueError(msg)


def iter_load(  # noqa: PLR0913 - one parameter per way to read
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    reader_for: ReaderFor | None = None,
    on_loaded: OnLoaded | None = None,
    importers: Importers | None = None,
    import_root: str | os.PathLike[str] | None = None,
    part: tuple[int, int | None] | None = None,
    walk: Walk | None = None,
) -> EngagementStream:
    """Read engagements one at a time from files, directories or a mix.

    Like :func:`load_all`, but the engagements are given as they are read,
    never all held at once: a JSON Lines file (``.jsonl``, ``.ndjson``) is
    read a line at a time, any other file whole, one file after the other.
    Load errors do not stop the stream: they are collected in the returned
    :class:`EngagementStream`'s ``issues``. *reader_for*, *on_loaded*,
    *importers*, *import_root* and *walk* are as for :func:`load`.

    *part*, ``(start, stop)`` byte offsets (``stop`` None: to the end), reads
    one part of one JSON Lines file, for workers that share it: the lines
    that start in that range, numbered as in the whole file. Cut a file at any
    offsets (``size * i // n``) and its parts read each line exactly once.

    Raises:
        TypeError: *part* is not two whole numbers (the second may be None).
        ValueError: a *part* is asked of anything but one JSON Lines file, or
            its start is below 0 or its stop before its start.

    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if part is not None:
        _require_part(part)
        paths = list(paths)
        if len(paths) != 1 or not is_json_lines(paths[0]):
            msg = (
                "part: a part is read of one JSON Lines file (.jsonl, .ndjson), "
                f"got {[os.fspath(p) for p in paths]!r}"
            )
            raise ValueError(msg)
    return EngagementStream(
        paths,
        reader_for=reader_for,
        on_loaded=on_loaded,
        importers=importers,
        import_root=import_root,
        part=part,
        walk=walk,
    )
