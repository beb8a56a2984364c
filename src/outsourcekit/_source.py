"""Engagement file text (YAML, JSON, TOML) to plain data, with where each value is."""

from __future__ import annotations

import ast
import bisect
import collections
import contextlib
import datetime as dt
import functools
import itertools
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, TypeAlias

import attrs
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Iterator

__all__ = [
    "Format",
    "JsonLayoutError",
    "JsonText",
    "Location",
    "Parsed",
    "Path",
    "SourceSyntaxError",
    "SyntaxIssue",
    "YamlBlockText",
    "YamlDumper",
    "YamlLayoutError",
    "YamlText",
    "count_keys",
    "detect_format",
    "format_path",
    "format_paths",
    "format_position",
    "item_labels",
    "json_duplicates",
    "parse",
    "parse_path",
]

Path: TypeAlias = tuple[str | int, ...]
"""Where a value lies inside the data: mapping keys and list indices, from the root."""

Format: TypeAlias = Literal["yaml", "json", "toml"]
"""The file formats an engagement can be written in."""


@attrs.frozen
class Location:
    """A 1-based line and column in a file; None where it is not known."""

    line: int | None = None
    column: int | None = None


@attrs.frozen
class SyntaxIssue:
    """Why a file's text could not be read as plain data, and where.

    Covers text that is not valid YAML, JSON or TOML at all, duplicate keys, YAML
    tags that would build objects, YAML values that are not what their tag
    says (``!!bool yes``) and YAML mapping keys that are not scalars.
    """

    source: str | None
    line: int | None
    column: int | None
    message: str
    #: The path of the key written twice, or of the YAML value that is not what
    #: its tag says, for those issues; else ``()``.
    path: Path = ()
    #: What the YAML value that is not what its tag says should be, for those.
    expected: str | None = None

    def __str__(self) -> str:
        """Render as ``file:line:column: message``."""
        return f"{format_position(self.source, self.line, self.column)}: {self.message}"


class SourceSyntaxError(ValueError):
    """A file's text could not be read as plain data; ``issue`` says why and where.

    ``recoverable`` is true when the only trouble is keys written twice (in YAML
    or JSON): read with locations, the text then gives its data, the first value
    of each key kept, and every such key in :attr:`Parsed.problems`, so that the
    rest of the file can still be checked.

    ``data`` is the text's data where the text was read in full all the same
    (a YAML value that is not what its tag says is there as written), for
    naming the items of the issue's path; else None.
    """

    issue: SyntaxIssue

    def __init__(
        self, issue: SyntaxIssue, *, recoverable: bool = False, data: object = None
    ) -> None:
        """Wrap *issue*; the message is ``file:line:column: message``."""
        super().__init__(issue)
        self.issue = issue
        self.recoverable = recoverable
        self.data = data


@attrs.frozen(kw_only=True)
class Parsed:
    """Plain data read from one file, with the location of every value and key.

    ``data`` holds only dicts (with string keys), lists, strings, ints, floats,
    bools and None; dates and date-times are strings as written (TOML's are
    normalised to ISO 8601, see :func:`parse`).

    ``locations`` maps the path of every value (the root is ``()``) to where the
    value starts; ``key_locations`` maps the path of every value that is held in a
    mapping to where its key is written. Both are empty when :func:`parse` was
    asked for no locations.

    ``problems`` lists the keys written twice, found when reading with
    locations; ``data`` then holds the first value of each.

    ``unchecked_keys`` is None when the text was searched for keys written
    twice while it was read. Otherwise it was not (see :func:`parse`'s
    *check_keys*): ``data`` holds at most that many keys in all its mappings
    (:func:`count_keys`), exactly that many only if no key is written twice, and
    the last value of a key written twice.
    """

    data: object
    source: str | None = None
    locations: Mapping[Path, Location] = attrs.field(factory=dict)
    key_locations: Mapping[Path, Location] = attrs.field(factory=dict)
    problems: tuple[SyntaxIssue, ...] = ()
    unchecked_keys: int | None = None

    def locate(self, path: Path) -> Location:
        """Return where the value at *path* is, else where its nearest known parent is.

        A path that does not exist in the data (a missing key, say) is located at
        its longest existing prefix: the mapping the key is missing from.
        """
        locations = self.locations
        for end in range(len(path), -1, -1):
            location = locations.get(path[:end])
            if location is not None:
                return location
        return Location()

    def locate_key(self, path: Path) -> Location:
        """Return where the key naming the value at *path* is, else :meth:`locate`.

        This is where to point at for an unknown or misspelt key.
        """
        location = self.key_locations.get(path)
        if location is not None:
            return location
        return self.locate(path)


def format_position(
    source: str | None, line: int | None = None, column: int | None = None
) -> str:
    """Return ``file:line:column``, leaving out what is unknown.

    A *source* of None (text that came from no file) is written ``<string>``.
    """
    position = "<string>" if source is None else source
    if line is not None:
        position += f":{line}"
        if column is not None:
            position += f":{column}"
    return position


_SUFFIXES: Final[Mapping[str, Format]] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".toml": "toml",
}


def detect_format(filename: str | os.PathLike[str]) -> Format | None:
    """Return the format a file name's suffix names, or None if it names none.

    ``.yaml`` and ``.yml`` are YAML, ``.json`` JSON and ``.toml`` TOML, in any case.
    """
    return _SUFFIXES.get(PurePath(filename).suffix.lower())


def parse(  # noqa: PLR0913 - one keyword per way to read text
    text: str,
    format: Format,  # noqa: A002 -- the public name; the builtin is not needed here
    *,
    source: str | None = None,
    locations: bool = True,
    check_keys: bool = True,
    surrogates: bool = False,
) -> Parsed:
    """Read *text* in *format* as plain data, with locations if *locations* is true.

    *source* names the file in locations and errors. Without *locations* no
    locations are recorded, which is close to the speed of the bare parser: the
    caller reads every file that way and reads a file again with locations only
    when it has errors to report.

    Without *check_keys* (and without *locations*), JSON may be read without
    looking for keys written twice, at the bare parser's speed: the result's
    ``unchecked_keys`` then says how many keys the data must hold for the text
    to have none (see :class:`Parsed`); a caller that finds fewer reads the text
    again with *check_keys*. Other formats, and text the count cannot vouch for,
    are checked as usual.

    With *surrogates*, a JSON escape of half a surrogate pair (U+D800 to
    U+DFFF) gives that half, as Python holds each byte of a file name that is not
    UTF-8: a report outsourcekit saved names such files so. Without it, such
    an escape is an error, as text is Unicode characters.

    All three formats give the same data for the same content:

    * YAML is read with the YAML 1.2 core schema: only ``true``/``false`` (also
      ``True``, ``TRUE``...) are booleans, so ``yes``, ``no``, ``on``, ``off`` and
      ``NO`` are strings; ``null``, ``~`` and nothing are None; ints include
      ``0x`` and ``0o`` forms; floats include ``.inf`` and ``.nan``; dates and
      date-times are strings as written. Anchors, aliases and ``<<`` merge keys
      work. Mapping keys are strings as written (``1: x`` has the key ``"1"``).
      Explicit tags other than the core ones (``!!str``, ``!!int``, ``!!float``,
      ``!!bool``, ``!!null``, ``!!map``, ``!!seq``) are refused: they would build
      objects.
    * JSON is read as by :func:`json.loads` (which accepts ``NaN`` and
      ``Infinity``).
    * TOML dates, date-times and times become their ISO 8601 strings
      (``date.isoformat()`` and the like): ``1979-05-27 07:32:00Z`` becomes
      ``"1979-05-27T07:32:00+00:00"``; except under a key that starts with
      ``x-``, at any depth, where they stay :class:`datetime.date`,
      :class:`datetime.datetime` and :class:`datetime.time` objects: those
      values are kept untouched, to be written back as TOML has them.

    A key written twice in one mapping is an error in every format. In YAML and
    JSON it is recoverable (``SourceSyntaxError.recoverable``): read with
    locations, the text gives its data, the first value of each such key kept,
    and every such key in ``Parsed.problems``. A leading byte-order mark is
    ignored.

    Locations are exact for YAML and JSON. YAML values reached through an alias
    are located at their anchor, where they are written. TOML locations come from
    scanning the text: they are exact for keys and values, and a table is located
    at its header, or where a dotted key or header first implies it.

    Raises:
        SourceSyntaxError: the text is not valid in *format*, or breaks one of the
            rules above; its ``issue`` is located whether or not *locations* was
            asked for.

    """
    text = text.removeprefix("\ufeff")
    reader = _READERS.get(format)
    if reader is None:
        msg = f"format: expected one of 'yaml', 'json', 'toml', got {format!r}"
        raise ValueError(msg)
    # ASCII text holds no surrogate, and says so without being scanned; other
    # text is encoded, which stops at the first (faster than a search for one).
    surrogate = None if text.isascii() else first_surrogate(text)
    if surrogate is not None:
        raise _issue(
            source,
            _Lines(text).location(surrogate),
            f"invalid text: U+{ord(text[surrogate]):04X} is half of a surrogate "
            "pair, not a Unicode character",
        )
    if surrogates and format == "json":
        return _parse_json(text, source, locations, surrogates=True)
    if not check_keys and not locations and format == "json":
        return _parse_json_unchecked(text, source)
    return reader(text, source, locations)


def first_surrogate(text: str) -> int | None:
    """Return the offset of the first surrogate code point in *text*, if any.

    UTF-8 encodes every other code point: a strict encoding fails exactly there.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def count_keys(data: object) -> int:
    """Return how many keys the mappings in *data* hold, nested ones included."""
    count = 0
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            count += len(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count


# -- Paths ---------------------------------------------------------------------


_INDEX: Final = re.compile(r"[0-9]+\Z")


def _item_labels(items: list[object]) -> dict[int, str]:
    """Return the label of each item of *items* that is written by its name.

    An item is written by its name when it is a mapping whose ``name`` is a string
    that no other item of the list has and that reads back unambiguously: not
    empty, not all digits (``[3]`` is an index) and without brackets.
    """
    return _unique_labels(
        (index, item.get("name"))
        for index, item in enumerate(items)
        if isinstance(item, Mapping)
    )


def _unique_labels(named: Iterable[tuple[int, object]]) -> dict[int, str]:
    """Return the labels of the items whose ``name`` is given in *named*.

    *named* holds the index and the ``name`` of each item that is a mapping; see
    :func:`_item_labels`.
    """
    names: dict[str, int] = {}
    counts: dict[str, int] = {}
    for index, name in named:
        if isinstance(name, str):
            counts[name] = counts.get(name, 0) + 1
            names[name] = index
    return {
        index: name
        for name, index in names.items()
        if counts[name] == 1
        and name
        and not (name.isdigit() and name.isascii())  # [3] is an index
        and "[" not in name
        and "]" not in name
    }


def item_labels(names: Iterable[object]) -> list[str]:
    """Return how :func:`format_path` writes each item of a list, inside its brackets.

    *names* holds each item's ``name`` in order (None, or anything that is not a
    string, for an item without one). An item is written by its name when no
    other item has it and it reads back as a name (not empty, not all digits,
    without brackets), else by its 0-based index: ``item_labels(["close-time",
    "0", None])`` is ``["close-time", "1", "2"]``. It gives the labels of items
    held in other objects than plain mappings, such as the model's tasks.
    """
    named = list(names)
    labels = _unique_labels(enumerate(named))
    return [labels.get(index, str(index)) for index in range(len(named))]


def format_path(path: Path, data: object | None = None) -> str:
    """Write *path* the one way paths are written: ``kpis[close-time].target``.

    Keys are joined with dots. A list item is written ``list[name]`` when it is a
    mapping whose ``name`` is a string unique within the list (and not all
    digits, not empty and without brackets, so that it reads back as a name),
    else ``list[i]`` with its 0-based index (:func:`item_labels` gives these
    labels for items that are not plain data). Names are looked up in *data*, the
    root the path starts from; without it, items are written by index. The root
    path ``()`` is ``""``.
    """
    return _format_path(path, data, _item_labels)


def format_paths(paths: Iterable[Path], data: object | None = None) -> list[str]:
    """Write each of *paths* as :func:`format_path` does, each list labelled once.

    For many paths into the same *data*: the labels of a list's items are
    worked out the first time a path goes through it, not for every path.
    """
    known: dict[int, dict[int, str]] = {}  # by the list's identity: data holds it

    def labels(items: list[object]) -> dict[int, str]:
        found = known.get(id(items))
        if found is None:
            found = known[id(items)] = _item_labels(items)
        return found

    return [_format_path(path, data, labels) for path in paths]


def _format_path(
    path: Path, data: object, labels: Callable[[list[object]], dict[int, str]]
) -> str:
    """Write *path* as :func:`format_path` does, *labels* naming a list's items."""
    parts: list[str] = []
    current: object = data
    for step in path:
        if isinstance(step, str):
            parts.append(f".{step}" if parts else step)
        elif isinstance(current, list):
            parts.append(f"[{labels(current).get(step, step)}]")
        else:
            parts.append(f"[{step}]")
        current = _child(current, step)
    return "".join(parts)


_PATH_TOKEN: Final = re.compile(r"(\.?)([^.\[\]]+)|\[([^\[\]]*)\]")


def parse_path(text: str, data: object | None = None) -> Path:
    """Read a path written by :func:`format_path` back into its keys and indices.

    ``list[name]`` is looked up in *data* (the root the path starts from), which
    is then required; ``list[3]`` is always the index 3. Keys that are empty or
    contain dots or brackets cannot be read back.

    Raises:
        ValueError: *text* is not a path, or names an item *data* does not have.

    """
    return _read_path(text, data, _child, _list_labels)


def _list_labels(value: object) -> dict[int, str] | None:
    """Return the labels of *value*'s items if it is a list, else None."""
    return _item_labels(value) if isinstance(value, list) else None


def _read_path(
    text: str,
    data: object,
    child: Callable[[object, str | int], object],
    labels: Callable[[object], dict[int, str] | None],
) -> Path:
    """Read the path *text* against *data*, as :func:`parse_path` does.

    *child* returns the value at a step of a value (None if there is none) and
    *labels* the labels of a list's items (None if the value is no list), so that
    the path can be read against other forms of the same data.
    """
    steps: list[str | int] = []
    current: object = data
    pos = 0
    while pos < len(text):
        match = _PATH_TOKEN.match(text, pos)
        if match is None or (match[2] is not None and bool(match[1]) != (pos > 0)):
            msg = f"path: expected keys and [selectors] joined by dots, got {text!r}"
            raise ValueError(msg)
        step: str | int
        if match[2] is not None:
            step = match[2]
        else:
            step = _resolve_selector(match[3], current, text, labels)
        steps.append(step)
        current = child(current, step)
        pos = match.end()
    return tuple(steps)


def _child(value: object, step: str | int) -> object:
    """Return the value at *step* in *value*, or None if there is none."""
    if isinstance(step, str):
        return value.get(step) if isinstance(value, Mapping) else None
    if isinstance(value, list) and 0 <= step < len(value):
        return value[step]
    return None


def _resolve_selector(
    selector: str,
    items: object,
    text: str,
    labels: Callable[[object], dict[int, str] | None],
) -> int:
    """Return the index a ``[selector]`` of the path *text* names in *items*."""
    if _INDEX.match(selector):
        return int(selector)
    found = labels(items)
    if found is not None:
        for index, name in found.items():
            if name == selector:
                return index
        msg = f"path: no item named {selector!r} at {text!r}"
        raise ValueError(msg)
    msg = f"path: cannot look up [{selector}] in {text!r} without the data it names"
    raise ValueError(msg)


# -- Positions -----------------------------------------------------------------


#: A line feed: where a line ends in most text.
_LINE_FEED: Final = re.compile("\n")
#: Where a line ends: at a line feed, a carriage return and line feed, or a
#: carriage return alone (old Mac OS text), as YAML and editors count lines.
_LINE_END: Final = re.compile("\r\n?|\n")


def _has_lone_cr(text: str) -> bool:
    """Return whether *text* has a carriage return that no line feed follows.

    Such a carriage return ends a line, as in the text of old Mac OS.
    """
    return "\r" in text and text.count("\r") != text.count("\r\n")


class _Lines:
    """Turns character offsets into 1-based lines and columns.

    A line ends at a line feed, a carriage return and line feed, or a carriage
    return alone.
    """

    def __init__(self, text: str) -> None:
        ends = _LINE_END if _has_lone_cr(text) else _LINE_FEED
        self._starts = [0]
        self._starts.extend(match.end() for match in ends.finditer(text))

    def location(self, offset: int) -> Location:
        """Return the line and column of *offset*."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return Location(index + 1, offset - self._starts[index] + 1)

    def locations(self, offsets: Mapping[Path, int]) -> dict[Path, Location]:
        """Return the locations of all *offsets*."""
        return {path: self.location(offset) for path, offset in offsets.items()}


def _issue(
    source: str | None, location: Location | None, message: str
) -> SourceSyntaxError:
    """Return the error for *message* at *location* of *source*."""
    location = location or Location()
    return SourceSyntaxError(
        SyntaxIssue(source, location.line, location.column, message)
    )


_TOO_DEEP: Final = "nested too deeply to be read"
#: How deep JSON or TOML text may nest before a reader that gave up on it is said
#: to have given up there: no engagement nests a tenth as deep.
_DEEPEST: Final = 100
#: A JSON string, or a bracket outside one. A string left open runs to the end of
#: the text, so that no text is read again from each quote inside it.
_JSON_NESTING: Final = re.compile(r'"(?:[^"\\]|\\[\s\S]?)*(?:"|\Z)|[\[\]{}]')
#: A TOML comment or string (multi-line ones first), or a bracket outside them;
#: strings left open run to the end of their line, or of the text.
_TOML_NESTING: Final = re.compile(
    r'#[^\n]*|"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)'
    r'|"(?:[^"\\\n]|\\[^\n]?)*(?:"|$)|\'[^\'\n]*(?:\'|$)|[\[\]{}]',
    re.MULTILINE,
)


def _too_deep(text: str, nesting: re.Pattern[str]) -> Location | None:
    """Return where *text* opens its first container deeper than allowed.

    That is where a reader that gave up on the nesting is sent. *nesting*
    matches the format's brackets and what may hold brackets that are not
    (strings, comments). None when the text never nests deeper than
    :data:`_DEEPEST`.
    """
    depth = 0
    for match in nesting.finditer(text):
        bracket = match[0]
        if bracket in "[{":
            depth += 1
            if depth > _DEEPEST:
                return _Lines(text).location(match.start())
        elif bracket in "]}":
            depth -= 1
    return None


#: A whole number longer than Python reads (4,300 digits by default).
_LONG_NUMBER: Final = re.compile(r"[0-9][0-9_]{4299,}")
#: A JSON escape of a surrogate that is not half of a pair.
_LONE_SURROGATE: Final = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _long_number(text: str, source: str | None, fmt: str) -> SourceSyntaxError:
    """Return the error of a number too long to read, located where it is."""
    match = _LONG_NUMBER.search(text)
    location = None if match is None else _Lines(text).location(match.start())
    return _issue(
        source,
        location,
        f"invalid {fmt}: a number has more than 4,300 digits, more than any "
        "value of the format means",
    )


def surrogate_path(data: object, steps: Path = ()) -> Path | None:
    """Return the path of the first text in *data* holding a surrogate, if any."""
    if isinstance(data, str):
        return steps if _SURROGATE.search(data) else None
    items: Iterable[tuple[str | int, object]]
    if isinstance(data, dict):
        for key in data:
            if _SURROGATE.search(key):
                return (*steps, key)
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = surrogate_path(value, (*steps, key))
        if found is not None:
            return found
    return None


def _refuse_surrogates(data: object, text: str, source: str | None) -> None:
    """Raise when JSON escapes gave a lone surrogate: text is Unicode characters.

    The issue's path is the text's (or key's) that holds it, and the error
    carries *data*, to name the path's items (and its engagement's, in a
    portfolio) as every load error does.
    """
    match = _LONE_SURROGATE.search(text)
    if match is None:
        return
    steps = surrogate_path(data)
    if steps is None:  # pragma: no cover -- the escape made a surrogate somewhere
        return
    where = _Lines(text).location(match.start())
    issue = SyntaxIssue(
        source,
        where.line,
        where.column,
        f"invalid text: {match.group()} is half of a surrogate pair, not a "
        "Unicode character",
        steps,
    )
    raise SourceSyntaxError(issue, data=data)


# -- YAML ----------------------------------------------------------------------

_TAG: Final = "tag:yaml.org,2002:"
_STR: Final = _TAG + "str"
_INT: Final = _TAG + "int"
_FLOAT: Final = _TAG + "float"
_BOOL: Final = _TAG + "bool"
_NULL: Final = _TAG + "null"
_MAP: Final = _TAG + "map"
_SEQ: Final = _TAG + "seq"
_MERGE: Final = _TAG + "merge"

_TRUE: Final = frozenset({"true", "True", "TRUE"})
_FALSE: Final = frozenset({"false", "False", "FALSE"})
_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})


def _install_core_schema(loader: type[yaml.resolver.BaseResolver]) -> None:
    """Make *loader* resolve plain scalars by the YAML 1.2 core schema.

    Timestamps are not resolved: dates stay strings. ``<<`` is still a merge key.
    """
    loader.yaml_implicit_resolvers = {}
    loader.add_implicit_resolver(
        _NULL, re.compile(r"(?:~|null|Null|NULL|)\Z"), ["~", "n", "N", ""]
    )
    loader.add_implicit_resolver(
        _BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), list("tTfF")
    )
    loader.add_implicit_resolver(
        _INT,
        re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"),
        list("-+0123456789"),
    )
    loader.add_implicit_resolver(
        _FLOAT,
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
        ),
        list("-+0123456789."),
    )
    loader.add_implicit_resolver(_MERGE, re.compile(r"<<\Z"), ["<"])


class _PyCoreLoader(yaml.SafeLoader):
    """The pure-Python safe loader, resolving by the YAML 1.2 core schema."""


_install_core_schema(_PyCoreLoader)


class _NodeSource(Protocol):
    """What the YAML reader needs of a loader: one document's node graph."""

    def get_single_node(self) -> yaml.Node | None:
        """Return the node graph of the only document, or None if there is none."""

    def dispose(self) -> None:
        """Release the parser."""


_YAML_LOADER: Callable[[str], _NodeSource] = _PyCoreLoader
if yaml.__with_libyaml__:

    class _CCoreLoader(yaml.CSafeLoader):
        """The libyaml safe loader, resolving by the YAML 1.2 core schema."""

    _install_core_schema(_CCoreLoader)
    _YAML_LOADER = _CCoreLoader


class YamlDumper(yaml.SafeDumper):
    """A safe dumper whose output reads back equal under both YAML 1.1 and 1.2.

    :func:`yaml.safe_dump` quotes strings that YAML 1.1 would read as something
    else (``yes``, ``2026-01-01``) but not those only the YAML 1.2 core schema
    reads so (``0o17``, ``1e5``); this dumper quotes both. Use it as
    ``yaml.dump(data, Dumper=YamlDumper)``.

    Text of a :class:`str` subclass (an enumeration member such as
    ``Status.ACTIVE``, which is the word it stands for) is written as the plain
    text it holds (``active``), as JSON and TOML write it; so is a number of a
    subclass of :class:`int` or :class:`float` (a member of an
    :class:`~enum.IntEnum`) as the plain number it holds.
    """

    def represent_str_subclass(self, data: str) -> yaml.Node:
        """Write *data*, of a subclass of :class:`str`, as the plain text it holds."""
        return self.represent_str(str.__str__(data))

    def represent_int_subclass(self, data: int) -> yaml.Node:
        """Write *data*, of a subclass of :class:`int`, as the plain number it holds."""
        return self.represent_int(int.__int__(data))

    def represent_float_subclass(self, data: float) -> yaml.Node:
        """Write *data*, of a subclass of :class:`float`, as the plain number."""
        return self.represent_float(float.__float__(data))


def _install_both_schemas(dumper: type[yaml.SafeDumper]) -> None:
    """Make *dumper* quote strings either YAML 1.1 or 1.2 would read otherwise."""
    resolvers = {
        first: list(pairs)
        for first, pairs in yaml.SafeDumper.yaml_implicit_resolvers.items()
    }
    for first, pairs in _PyCoreLoader.yaml_implicit_resolvers.items():
        resolvers.setdefault(first, []).extend(pairs)
    dumper.yaml_implicit_resolvers = resolvers


_install_both_schemas(YamlDumper)
YamlDumper.add_multi_representer(str, YamlDumper.represent_str_subclass)
YamlDumper.add_multi_representer(int, YamlDumper.represent_int_subclass)
YamlDumper.add_multi_representer(float, YamlDumper.represent_float_subclass)


def _core_int(value: str) -> int:
    """Read a YAML 1.2 core int: decimal, ``0x`` hexadecimal or ``0o`` octal."""
    if value[:2] in {"0x", "0o"}:
        return int(value, 0)
    return int(value, 10)


def _core_float(value: str) -> float:
    """Read a YAML 1.2 core float, including ``.inf`` and ``.nan``."""
    lowered = value.lower()
    if lowered in {".inf", "+.inf"}:
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    return float(value)


def _core_bool(value: str) -> bool:
    """Read a YAML 1.2 core bool."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(value)


def _core_null(value: str) -> None:
    """Read a YAML 1.2 core null."""
    if value not in _NULLS:
        raise ValueError(value)


_SCALARS: Final[Mapping[str, Callable[[str], object]]] = {
    _INT: _core_int,
    _FLOAT: _core_float,
    _BOOL: _core_bool,
    _NULL: _core_null,
}

#: What a value tagged with each core tag must be.
_CORE_EXPECTED: Final[Mapping[str, str]] = {
    _INT: "a whole number, like 12, 0x1F or 0o17",
    _FLOAT: "a number, like 1.5, 1e3, .inf or .nan",
    _BOOL: "true or false",
    _NULL: "null, ~ or nothing",
}

_OBJECT_TAGS: Final[Mapping[str, str]] = {
    _TAG + "timestamp": "a date-time object",
    _TAG + "binary": "bytes",
    _TAG + "set": "a set",
    _TAG + "omap": "an ordered map",
    _TAG + "pairs": "a list of pairs",
}


def _show_tag(tag: str) -> str:
    """Return *tag* in the short form it is usually written in."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _node_location(node: yaml.Node) -> Location:
    """Return where *node* starts."""
    mark = node.start_mark
    if mark is None:  # pragma: no cover -- both parsers mark every node
        return Location()
    return Location(mark.line + 1, mark.column + 1)


class _YamlError(Exception):
    """A rule of reading YAML as plain data is broken at *node*."""

    def __init__(
        self, node: yaml.Node, message: str, expected: str | None = None
    ) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        #: What the value should be, for a value that is not what its tag says.
        self.expected = expected
        #: Where that value is, once known.
        self.path: Path | None = None

    def issue(self, source: str | None, path: Path = ()) -> SyntaxIssue:
        """Return this error as the issue of *source*, about *path* (else its own)."""
        where = _node_location(self.node)
        return SyntaxIssue(
            source,
            where.line,
            where.column,
            self.message,
            path or self.path or (),
            self.expected,
        )


class _YamlDuplicateError(_YamlError):
    """A key is written twice in one mapping."""


_MAX_REPEATED: Final = 1_000_000

#: Mappings whose ``id`` reads as a whole number, each with the id's text.
_WholeIds: TypeAlias = "list[tuple[dict[str, object], str]]"


def _keep_id_text(data: object, whole_ids: _WholeIds) -> None:
    """Give back their text to the identifiers in *data* written as whole numbers.

    YAML reads ``id: 007`` as the number 7: an identifier (the ``id`` of an
    engagement and of its vendor, in a file of one engagement or in a
    portfolio's ``engagements`` and ``defaults``) is the text as written,
    ``"007"``, and ``0x1F`` is ``"0x1F"``. *whole_ids* are the mappings whose
    ``id`` was read as a whole number, with its text. Any other ``id`` (in an
    ``x-`` value, say) stays a number, as YAML reads it.
    """
    if not whole_ids or not isinstance(data, dict):
        return
    texts = {id(mapping): text for mapping, text in whole_ids}
    engagements = data.get("engagements")
    owners = (
        [*engagements, data.get("defaults")]
        if isinstance(engagements, list)
        else [data]
    )
    for owner in owners:
        if isinstance(owner, dict):
            for mapping in (owner, owner.get("vendor")):
                if isinstance(mapping, dict) and type(mapping.get("id")) is int:
                    text = texts.get(id(mapping))
                    if text is not None:
                        mapping["id"] = text


class _YamlBuilder:
    """Builds plain data from a YAML node graph, recording locations if asked.

    Every alias gets its own copy of its anchor's value, so that changing one
    changes no other. The number of values aliases repeat is bounded, so that a
    small file cannot expand to an enormous one.
    """

    def __init__(self, *, locate: bool) -> None:
        self.locate = locate
        self.values: dict[Path, Location] = {}
        self.keys: dict[Path, Location] = {}
        #: Values that are not what their tag says, collected when locating (as
        #: written, in the data); raised at once otherwise.
        self.invalid: list[_YamlError] = []
        #: Keys written twice, collected when locating; raised at once otherwise.
        self.duplicates: list[tuple[Path, _YamlError]] = []
        #: The mappings whose ``id`` reads as a whole number, with its text.
        self.whole_ids: _WholeIds = []
        self._seen: set[int] = set()
        self._active: set[int] = set()
        self._repeated = 0

    def _repeat(self, node: yaml.Node) -> None:
        """Count the values of *node*, a collection built once already."""
        self._repeated += len(node.value) + 1
        if self._repeated > _MAX_REPEATED:
            msg = (
                f"aliases repeat more than {_MAX_REPEATED} values: "
                "write them out, or alias less"
            )
            raise _YamlError(node, msg)

    def build(self, node: yaml.Node, path: Path) -> object:
        """Return the plain value of *node*, found at *path*."""
        if self.locate:
            self.values[path] = _node_location(node)
        if isinstance(node, yaml.ScalarNode):
            if not self.locate:
                return self._scalar(node)
            try:
                return self._scalar(node)
            except _YamlError as error:
                if error.expected is None:
                    raise
                error.path = path
                self.invalid.append(error)
                return node.value
        node_id = id(node)
        if node_id in self._active:
            msg = "an alias refers to a value that contains it: it would never end"
            raise _YamlError(node, msg)
        if node_id in self._seen:
            self._repeat(node)
        else:
            self._seen.add(node_id)
        self._active.add(node_id)
        try:
            if isinstance(node, yaml.MappingNode):
                value: object = self._mapping(node, path)
            elif isinstance(node, yaml.SequenceNode):
                value = self._sequence(node, path)
            else:  # pragma: no cover -- the composer makes no other nodes
                raise _YamlError(node, f"unexpected node {node!r}")
        finally:
            self._active.discard(node_id)
        return value

    def _scalar(self, node: yaml.ScalarNode) -> object:
        tag = node.tag
        value: str = node.value
        if tag in {_STR, _MERGE}:
            return value
        construct = _SCALARS.get(tag)
        if construct is None:
            raise _YamlError(node, _refused(tag))
        try:
            return construct(value)
        except ValueError:
            if _LONG_NUMBER.match(value):
                msg = "a number has more than 4,300 digits, more than any value means"
                raise _YamlError(node, msg) from None
            expected = _CORE_EXPECTED[tag]
            msg = (
                f"{value!r} is not a valid {_show_tag(tag)} value: expected {expected}"
            )
            raise _YamlError(node, msg, expected) from None

    def _sequence(self, node: yaml.SequenceNode, path: Path) -> list[object]:
        if node.tag != _SEQ:
            raise _YamlError(node, _refused(node.tag))
        if self.locate:
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        build = self.build
        return [build(item, path) for item in node.value]

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        if node.tag != _MAP:
            raise _YamlError(node, _refused(node.tag))
        build = self.build
        result: dict[str, object] = {}
        pairs = node.value
        if self.locate:
            for key_node, value_node in pairs:
                key = self._key(key_node)
                if key is None:
                    return self._merged(node, path)
                if key in result:
                    self._twice(pairs, key_node, key, path)
                    continue
                key_path = (*path, key)
                self.keys[key_path] = _node_location(key_node)
                result[key] = build(value_node, key_path)
        else:
            for key_node, value_node in pairs:
                key = self._key(key_node)
                if key is None:
                    return self._merged(node, path)
                if key in result:
                    raise self._duplicate(pairs, key_node, key)
                result[key] = build(value_node, path)
        if "id" in result:
            self._whole_id(result, pairs)
        return result

    def _whole_id(
        self, result: dict[str, object], pairs: list[tuple[yaml.Node, yaml.Node]]
    ) -> None:
        """Remember the text of the ``id`` of *result*, if read as a whole number."""
        if type(result["id"]) is not int:
            return
        for key_node, value_node in pairs:
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                self.whole_ids.append((result, value_node.value))
                return

    def _key(self, node: yaml.Node) -> str | None:
        """Return *node* as a mapping key: as written; None for a merge key."""
        if isinstance(node, yaml.ScalarNode):
            tag = node.tag
            if tag == _STR:
                return node.value  # type: ignore[no-any-return]
            if tag == _MERGE:
                return None
            self._scalar(node)  # refuses object tags and invalid core values
            return node.value  # type: ignore[no-any-return]
        if node.tag not in {_MAP, _SEQ}:
            raise _YamlError(node, _refused(node.tag))
        kind = "mapping" if node.tag == _MAP else "list"
        msg = f"a mapping key must be a string, got a {kind}"
        raise _YamlError(node, msg)

    def _twice(
        self,
        pairs: list[tuple[yaml.Node, yaml.Node]],
        again: yaml.Node,
        key: str,
        path: Path,
    ) -> None:
        """Record *key* of the mapping at *path*, written again at *again*.

        Raises it instead when not locating: the caller reads the text again.
        """
        duplicate = self._duplicate(pairs, again, key)
        if not self.locate:
            raise duplicate
        self.duplicates.append(((*path, key), duplicate))

    @staticmethod
    def _duplicate(
        pairs: list[tuple[yaml.Node, yaml.Node]], again: yaml.Node, key: str
    ) -> _YamlError:
        """Return the error for *key*, written again at *again*."""
        first = next((k for k, _ in pairs if k.tag != _MERGE and k.value == key), again)
        where = _node_location(first)
        msg = (
            f"duplicate key `{key}`: a key may appear once in a mapping, "
            f"it is first at line {where.line}, column {where.column}"
        )
        return _YamlDuplicateError(again, msg)

    def _merged(self, node: yaml.MappingNode, path: Path) -> dict[str, object]:
        """Build a mapping that has ``<<`` merge keys.

        Keys written in the mapping win over merged ones; of the mappings merged,
        the first that has a key wins, as in YAML 1.1's merge key type.
        """
        pairs = self._effective_pairs(node, path)
        result: dict[str, object] = {}
        for key, (key_node, value_node) in pairs.items():
            key_path = (*path, key)
            if self.locate:
                self.keys[key_path] = _node_location(key_node)
            result[key] = self.build(value_node, key_path if self.locate else path)
        if "id" in result:
            self._whole_id(result, list(pairs.values()))
        return result

    def _effective_pairs(
        self, node: yaml.MappingNode, path: Path = ()
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Return the key and value nodes of *node*, merge keys applied."""
        if node.tag != _MAP:
            raise _YamlError(node, _refused(node.tag))
        own: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        sources: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                sources.extend(self._merge_sources(value_node))
            elif key in own:
                self._twice(node.value, key_node, key, path)
            else:
                own[key] = (key_node, value_node)
        merged: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for source in sources:
            source_id = id(source)
            if source_id in self._active:
                msg = "a merge key refers to a mapping that contains it"
                raise _YamlError(source, msg)
            self._repeat(source)
            self._active.add(source_id)
            try:
                for key, pair in self._effective_pairs(source, path).items():
                    merged.setdefault(key, pair)
            finally:
                self._active.discard(source_id)
        merged.update(own)
        return merged

    @staticmethod
    def _merge_sources(node: yaml.Node) -> list[yaml.MappingNode]:
        """Return the mappings a ``<<`` merge key's value names."""
        if isinstance(node, yaml.MappingNode):
            return [node]
        if isinstance(node, yaml.SequenceNode) and all(
            isinstance(item, yaml.MappingNode) for item in node.value
        ):
            return list(node.value)
        msg = "a merge key `<<` takes a mapping or a list of mappings"
        raise _YamlError(node, msg)


def _refused(tag: str) -> str:
    """Return why a node with *tag* cannot be read."""
    what = _OBJECT_TAGS.get(tag, "an object")
    return (
        f"tag `{_show_tag(tag)}` is not allowed: it would build {what}; "
        "only plain data (mappings, lists, strings, numbers, booleans, null) is read"
    )


#: What the YAML parser says of a second document in a file.
_YAML_SECOND_DOCUMENT: Final = "but found another document"


def _yaml_error_message(error: yaml.MarkedYAMLError) -> str:
    """Return the message of a YAML parser error, its context included."""
    if error.problem == _YAML_SECOND_DOCUMENT:
        return (
            "invalid YAML: a second document starts here: a file holds one "
            "document, an engagement or a portfolio (with `engagements:`)"
        )
    message = "invalid YAML: " + (error.problem or error.context or "cannot be read")
    context_mark = error.context_mark
    if error.problem and error.context:
        message += f" ({error.context}"
        problem_mark = error.problem_mark
        if context_mark is not None and (
            problem_mark is None or context_mark.line != problem_mark.line
        ):
            message += f" started at line {context_mark.line + 1}"
        message += ")"
    return message


#: A character YAML does not read: not printable, neither white space nor a
#: line break.
_YAML_UNPRINTABLE: Final = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _parse_yaml(text: str, source: str | None, locate: bool) -> Parsed:
    """Read YAML *text*; see :func:`parse`.

    Without locations, text laid out in block style is read fast, line by line
    (:class:`_FastYaml`); other text, and all text when locations are asked
    for, is composed into nodes by libyaml (or PyYAML) and built from them.
    """
    if not locate:
        try:
            reader = _FastYaml.of(text)
            data = reader.read()
        except _NotFast:
            pass
        else:
            if not reader.odd_keys:
                _remember_block_layout(text, reader.quoted_keys)
            _keep_id_text(data, reader.whole_ids)
            return Parsed(data=data, source=source)
    return _parse_yaml_nodes(text, source, locate)


def _parse_yaml_nodes(text: str, source: str | None, locate: bool) -> Parsed:
    """Read YAML *text* by its nodes; see :func:`parse`."""
    stand_ins = _StandIns(text)
    try:
        node = stand_ins.compose(_YAML_LOADER)
        if node is None:
            return Parsed(data=None, source=source)
        builder = _YamlBuilder(locate=locate)
        data = builder.build(node, ())
        _keep_id_text(data, builder.whole_ids)
        duplicates = tuple(d.issue(source, where) for where, d in builder.duplicates)
    except yaml.reader.ReaderError as error:
        # The error's position counts bytes of UTF-8 under libyaml: the
        # character it stopped at is the first that YAML does not print.
        unprintable = _YAML_UNPRINTABLE.search(text)
        location = (
            None if unprintable is None else _Lines(text).location(unprintable.start())
        )
        message = f"invalid YAML: character #x{error.character:04x}: {error.reason}"
        raise _issue(source, location, message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(mark.line + 1, mark.column + 1) if mark else None
        message = stand_ins.restore(_yaml_error_message(error))
        raise _issue(source, where, message) from None
    except yaml.YAMLError as error:
        message = stand_ins.restore(f"invalid YAML: {error}")
        raise _issue(source, None, message) from None
    except _YamlError as error:
        if error.expected is not None and not locate:
            # A value that is not what its tag says: read again to say where.
            return _parse_yaml_nodes(text, source, locate=True)
        recoverable = isinstance(error, _YamlDuplicateError)
        issue = stand_ins.restore_issue(error.issue(source))
        raise SourceSyntaxError(issue, recoverable=recoverable) from None
    except RecursionError:
        raise _issue(source, None, f"invalid YAML: {_TOO_DEEP}") from None
    if builder.invalid:
        # Read in full all the same, to name the items on the way to the first.
        issue = stand_ins.restore_issue(builder.invalid[0].issue(source))
        raise SourceSyntaxError(issue, data=data)
    return Parsed(
        data=data,
        source=source,
        locations=builder.values,
        key_locations=builder.keys,
        problems=tuple(stand_ins.restore_issue(issue) for issue in duplicates),
    )


# -- YAML 1.2's content that YAML 1.1 breaks lines at ----------------------------
#
# PyYAML and libyaml read YAML 1.1, where NEL (U+0085), LINE SEPARATOR (U+2028)
# and PARAGRAPH SEPARATOR (U+2029) break lines; in YAML 1.2, which the file
# format is, they are characters like any other, and lines end at line feeds
# and carriage returns only. Text holding them is read with a stand-in for
# each: a character of Unicode's private use areas, which YAML prints and
# reads as content, as YAML 1.2 reads the character it stands for.

#: The characters YAML 1.1 breaks lines at and YAML 1.2 does not.
_CONTENT_BREAKS: Final = ("\x85", "\u2028", "\u2029")
#: Where their stand-ins are taken from: Unicode's private use areas.
_PRIVATE_USE: Final = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE))


class _StandIns:
    r"""Text to read as YAML, its NEL, U+2028 and U+2029 stood in for.

    Each of them is replaced by a character of a private use area that the text
    neither holds nor writes as an escape (U+E000, escaped ``\ue000``), one
    character for one, so that the offsets, lines and columns of the text are
    those of the text read; what is read from it gets the characters back
    (:meth:`restore`, :meth:`restore_nodes`). ``text`` is the text to read;
    ``pairs`` the stand-ins and the characters they stand for, empty when the
    text holds none of them, as nearly every text does, and then the same
    escaped as messages quote them (``'\ue000'``).
    """

    __slots__ = ("pairs", "text")

    def __init__(self, text: str) -> None:
        """Find stand-ins for the characters *text* holds."""
        self.text = text
        self.pairs: tuple[tuple[str, str], ...] = ()
        if text.isascii():
            return
        held = [char for char in _CONTENT_BREAKS if char in text]
        if not held:
            return
        lowered = text.lower()
        free = (
            chr(code)
            for block in _PRIVATE_USE
            for code in block
            if chr(code) not in text and f"{code:04x}" not in lowered
        )
        pairs = tuple(zip(free, held, strict=False))
        if len(pairs) < len(held):  # pragma: no cover -- 70,000 characters held
            return
        for stand_in, char in pairs:
            text = text.replace(char, stand_in)
        self.text = text
        self.pairs = pairs + tuple(
            (repr(stand_in)[1:-1], repr(char)[1:-1]) for stand_in, char in pairs
        )

    def restore(self, value: str) -> str:
        """Return *value*, read from the text, with the characters stood in for."""
        for stand_in, char in self.pairs:
            if stand_in in value:
                value = value.replace(stand_in, char)
        return value

    def restore_issue(self, issue: SyntaxIssue) -> SyntaxIssue:
        """Return *issue* with the characters stood in for in its message."""
        if not self.pairs:
            return issue
        return attrs.evolve(issue, message=self.restore(issue.message))

    def compose(self, loader: Callable[[str], _NodeSource]) -> yaml.Node | None:
        """Return the node of the text's one document, read by *loader*, if any.

        Its scalars and tags hold the characters stood in for.
        """
        reader = loader(self.text)
        try:
            node = reader.get_single_node()
        finally:
            reader.dispose()
        if node is not None and self.pairs:
            self.restore_nodes(node)
        return node

    def restore_nodes(self, root: yaml.Node) -> None:
        """Put the characters stood in for back in the scalars and tags of *root*."""
        seen: set[int] = set()
        pending = [root]
        restore = self.restore
        while pending:
            node = pending.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            node.tag = restore(node.tag)
            if isinstance(node, yaml.ScalarNode):
                node.value = restore(node.value)
            elif isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    pending.append(key)
                    pending.append(value)
            else:
                pending.extend(node.value)


# -- YAML, read fast ---------------------------------------------------------------
#
# Most engagement files are laid out in block style: a key or a dash per line,
# plain values on their key's line. Such text is read here line by line, with
# string methods, faster than libyaml's events can be turned into Python
# objects. Anything else (anchors, tags, merge keys, keys written twice, flow
# collections or double-quoted text over several lines, odd indentation,
# invalid text...) raises ``_NotFast``, and the text is read by the full reader
# above, which says where any problem is. Read here, a text gives the data the
# full reader gives it; the tests hold the two to that.


class _NotFast(Exception):  # noqa: N818 -- internal signal, never raised to users
    """The text has something the fast YAML reader leaves to the full one."""


#: Characters the fast reader leaves to the full one: tabs, carriage returns
#: not followed by a line feed, the characters read with stand-ins (NEL, U+2028
#: and U+2029, see :class:`_StandIns`), byte-order marks and everything libyaml
#: refuses as not printable.
_FAST_REFUSED: Final = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
#: The core schema's resolvers by first character, as :func:`_scalar_tag` uses them.
_RESOLVERS: Final = _PyCoreLoader.yaml_implicit_resolvers
#: Any plain scalar that resolves to something other than a string.
_NOT_STR: Final = re.compile(
    "|".join(
        dict.fromkeys(
            f"(?:{pattern.pattern})"
            for pairs in _RESOLVERS.values()
            for _, pattern in pairs
        )
    )
)
#: The longest key read fast: libyaml reads no longer key on one line.
_LONGEST_KEY: Final = 1000
#: A plain key read fast: a word character first, no colon, no trailing space.
_PLAIN_KEY: Final = re.compile(r"\w(?:[\w\-./ ]{0,998}[\w\-./])?")
_KEY_AT: Final = re.compile(r"(\w(?:[\w\-./ ]{0,998}[\w\-./])?):(?: +|\Z)")
_QUOTED_KEY_AT: Final = re.compile(r"""('(?:[^']|'')*'|"(?:[^"\\]|\\.)*"):(?: +|\Z)""")
#: What may follow a value on its line: spaces, and a comment after a space.
_AFTER_VALUE: Final = re.compile(r"(?: +#.*| *)\Z")
#: A plain scalar on one line, up to a comment or trailing spaces.
_PLAIN_TEXT: Final = re.compile(r"[^ ]*(?: +(?=[^ #])[^ ]*)*")
#: The characters that start something other than a plain scalar, in block context.
_INDICATORS: Final = frozenset("-?:,[]{}#&*!|>'\"%@`")
_SINGLE_BODY: Final = re.compile(r"(?:[^']|'')*")
_DOUBLE_BODY: Final = re.compile(r'(?:[^"\\]|\\.)*')
_ESCAPE: Final = re.compile(
    r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))"
)
_ESCAPES: Final[Mapping[str, str]] = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
#: A block scalar's header: style, chomping, comment. Indentation indicators
#: are left to the full reader.
_BLOCK_HEADER: Final = re.compile(r"([|>])([-+]?)(?: +#.*| *)\Z")
_FLOW_PLAIN: Final = re.compile(
    r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-(?=[^\s,\[\]{}]))"
    r"(?:[^\s,\[\]{}:?]|:(?=[^\s,\[\]{}])| +(?=[^\s,\[\]{}:?#]|:[^\s,\[\]{}]))*"
)
_FLOW_SPACE: Final = re.compile(" *")
#: How many resolved plain values the fast reader keeps for reuse at most.
_RESOLVED: Final = 4096
#: Not read yet (a resolved value may be None).
_UNREAD: Final = object()
#: How deep the fast reader follows nesting, in block and in flow style.
_MAX_FAST_DEPTH: Final = 100


def _fast_plain(value: str) -> object:
    """Return the plain scalar *value* resolved by the core schema."""
    for tag, pattern in _RESOLVERS.get(value[:1], ()):
        if pattern.match(value):
            if tag == _MERGE:
                return value
            try:
                return _SCALARS[tag](value)
            except ValueError:
                raise _NotFast from None
    return value


def _fast_key(key: str) -> bool:
    """Return whether the plain *key* is read fast; raise if it is invalid."""
    if _PLAIN_KEY.fullmatch(key) is None:
        return False
    for tag, pattern in _RESOLVERS.get(key[:1], ()):
        if pattern.match(key):
            if tag == _MERGE:
                raise _NotFast
            try:
                _SCALARS[tag](key)
            except ValueError:
                raise _NotFast from None
            break
    return True


def _unescape(match: re.Match[str]) -> str:
    """Return the character a double-quoted scalar's escape stands for."""
    code = match[1] or match[2] or match[3]
    if code is None:
        try:
            return _ESCAPES[match[4]]
        except KeyError:
            raise _NotFast from None
    number = int(code, 16)
    if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
        raise _NotFast
    return chr(number)


def _double_quoted(body: str) -> str:
    """Return the text of a double-quoted scalar whose quotes hold *body*."""
    return _ESCAPE.sub(_unescape, body) if "\\" in body else body


@functools.lru_cache(maxsize=1024)
def _quoted_forms(key: str) -> tuple[str, str]:
    """Return *key* in single and in double quotes, escaped only where it must be."""
    double = key.replace("\\", "\\\\").replace('"', '\\"')
    return "'" + key.replace("'", "''") + "'", '"' + double + '"'


def _is_item(line: str, col: int) -> bool:
    """Return whether *line* has a list item's dash at *col*."""
    return line[col : col + 1] == "-" and line[col + 1 : col + 2] in {"", " "}


#: A plain value that later lines may continue: the collection holding it, its
#: key or index, its text so far and the collection's column.
_Continued: TypeAlias = "tuple[dict[str, object] | list[object], str | int, str, int]"


class _FastYaml:
    """Reads YAML text laid out in block style as plain data, line by line.

    Raises ``_NotFast`` for anything it leaves to the full reader. Once read,
    ``quoted_keys`` holds the keys of block mappings written in quotes,
    ``odd_keys`` tells whether one is written otherwise than
    :func:`_quoted_forms` writes it, and ``whole_ids`` holds the mappings
    whose ``id`` reads as a whole number, with its text (see
    :func:`_keep_id_text`).
    """

    def __init__(self, lines: list[str]) -> None:
        """Prepare to read *lines*, the text split at its line feeds."""
        self.lines = lines
        self.count = len(lines)
        self.quoted_keys: set[str] = set()
        self.odd_keys = False
        self.whole_ids: _WholeIds = []

    @classmethod
    def of(cls, text: str) -> _FastYaml:
        """Return a reader of *text*; raise ``_NotFast`` for characters it leaves."""
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        # Every refused character is one Python calls unprintable: text whose
        # lines are all printable (nearly every file) needs no search.
        if not "".join(lines).isprintable() and _FAST_REFUSED.search(text):
            raise _NotFast
        return cls(lines)

    def read(self) -> dict[str, object]:  # noqa: C901, PLR0912, PLR0915 -- one loop, for speed
        """Return the text's data: a mapping, as engagement files hold."""
        lines = self.lines
        count = self.count
        resolvers = _RESOLVERS
        not_str = _NOT_STR.match
        indicators = _INDICATORS
        keys: dict[str, bool] = {}  # the plain keys seen, and whether read here
        # Plain values that may be other than text, resolved: dates, numbers and
        # flags recur from engagement to engagement.
        resolved: dict[str, object] = {}
        i = self._start()
        root: dict[str, object] = {}
        stack: list[tuple[int, dict[str, object] | list[object]]] = [(0, root)]
        indent = 0  # the column of the innermost collection
        container: dict[str, object] | list[object] = root
        pending = False  # the last key or item waits for its value below
        slot: str | int = ""  # that key or item
        last: _Continued | None = None
        breaks = 0  # blank lines since the last line read
        while i < count:
            line = lines[i]
            body = line.lstrip(" ")
            if not body:
                breaks += 1
                i += 1
                continue
            first = body[0]
            if first == "#":
                last = None
                i += 1
                continue
            col = len(line) - len(body)
            dash = first == "-" and (len(body) == 1 or body[1] == " ")
            if dash:
                body = body[1:].lstrip(" ")
            key: str | None = None
            value = body
            value_at = -1  # where a value the line loop does not read starts
            comment = False
            if body:
                name, colon, after = body.partition(": ")
                if colon:
                    key = name
                    value = after.lstrip(" ")
                elif body[-1] == ":":
                    key = body[:-1]
                    value = ""
                if key is not None:
                    known = keys.get(key)
                    if known is None:
                        known = keys[key] = _fast_key(key)
                    if not known:
                        value = ""
                        col, dash, key, value_at = self._structure(line)
                if value:
                    first = value[0]
                    if first == "#":
                        value = ""
                        comment = True
                    elif first in indicators and (
                        first not in "-?:" or len(value) == 1 or value[1] == " "
                    ):
                        value = ""
                        col, dash, key, value_at = self._structure(line)
                    else:
                        if " #" in value:
                            value = value.partition(" #")[0].rstrip(" ")
                            comment = True
                        elif value[-1] == " ":
                            value = value.rstrip(" ")
                        if value[-1] == ":" or ": " in value:
                            raise _NotFast
            if key is None and not dash and value_at < 0:
                # A line that continues the plain value before it.
                if last is None or col <= last[3]:
                    raise _NotFast
                owner, at, text, owner_indent = last
                text += "\n" * breaks if breaks else " "
                text += value
                owner[at] = _fast_plain(text)  # type: ignore[index]
                last = None if comment else (owner, at, text, owner_indent)
                breaks = 0
                i += 1
                continue
            last = None
            breaks = 0
            # The collection the line belongs to: a new one below a key or item
            # waiting for its value, else the innermost one at the line's column.
            if pending:
                pending = False
                if col > indent or (col == indent and dash and type(container) is dict):
                    if len(stack) > _MAX_FAST_DEPTH:
                        raise _NotFast
                    new: dict[str, object] | list[object] = [] if dash else {}
                    container[slot] = new  # type: ignore[index]
                    stack.append((col, new))
                    indent, container = col, new
            if col != indent:
                while col < indent:
                    stack.pop()
                    if not stack:
                        raise _NotFast
                    indent, container = stack[-1]
                if col != indent:
                    raise _NotFast
            if not dash and type(container) is list:  # a list below a key ends
                stack.pop()
                indent, container = stack[-1]
                if col != indent or type(container) is list:
                    raise _NotFast
            # The line's value, resolved: text mostly, once for each that recurs.
            entry: object = value
            if value and value[0] in resolvers:
                entry = resolved.get(value, _UNREAD)
                if entry is _UNREAD:
                    if len(resolved) >= _RESOLVED:
                        resolved.clear()
                    entry = resolved[value] = (
                        _fast_plain(value) if not_str(value) else value
                    )
            # The line's entry.
            if type(container) is list:
                if not dash:
                    raise _NotFast
                if key is None:
                    if value:
                        if not comment:
                            last = (container, len(container), value, indent)
                        container.append(entry)
                        i += 1
                    elif value_at < 0:
                        slot = len(container)
                        container.append(None)
                        pending = True
                        i += 1
                    else:
                        item, i, plain = self._value_at(line, value_at, i, indent)
                        if plain is not None:
                            last = (container, len(container), plain, indent)
                        container.append(item)
                    continue
                # A mapping that starts on the item's line.
                if len(stack) > _MAX_FAST_DEPTH:
                    raise _NotFast
                new = {}
                container.append(new)
                indent = len(line) - len(body)
                stack.append((indent, new))
                container = new
            elif dash or key is None:
                raise _NotFast
            if key in container:
                raise _NotFast
            if value:
                if not comment:
                    last = (container, key, value, indent)
                container[key] = entry  # type: ignore[call-overload]
                if key == "id" and type(entry) is int:
                    self.whole_ids.append((container, value))  # type: ignore[arg-type]
                i += 1
            elif value_at < 0:
                container[key] = None  # type: ignore[call-overload]
                slot = key
                pending = True
                i += 1
            else:
                entry, i, plain = self._value_at(line, value_at, i, indent)
                container[key] = entry  # type: ignore[call-overload]
                if plain is not None:
                    last = (container, key, plain, indent)
                if key == "id" and type(entry) is int:
                    rest = line[value_at:]
                    written = rest[: _end(_PLAIN_TEXT, rest, 0)]
                    self.whole_ids.append((container, written))  # type: ignore[arg-type]
        return root

    def _start(self) -> int:
        """Return the index of the line the root mapping starts on."""
        i, col = self._next(0)
        if i < self.count and self.lines[i].startswith("---"):
            if not _AFTER_VALUE.match(self.lines[i], 3):
                raise _NotFast
            i, col = self._next(i + 1)
        if col != 0 or _is_item(self.lines[i], 0):
            raise _NotFast
        return i

    def _next(self, i: int) -> tuple[int, int]:
        """Return the index and column of the first line from *i* on with a node.

        The index is the number of lines, and the column -1, if there is none.
        """
        lines = self.lines
        while i < self.count:
            line = lines[i]
            body = line.lstrip(" ")
            if body and body[0] != "#":
                return i, len(line) - len(body)
            i += 1
        return i, -1

    def _structure(self, line: str) -> tuple[int, bool, str | None, int]:
        """Return what a line the line loop does not read starts with.

        That is its column, whether it has a dash, its key (None if none) and
        where its value starts (-1 if nothing is written after the key or dash).
        """
        body = line.lstrip(" ")
        col = len(line) - len(body)
        at = col
        dash = _is_item(line, col)
        if dash:
            at = len(line) - len(body[1:].lstrip(" "))
            if _is_item(line, at):
                raise _NotFast  # a list in a list
        key = None
        match = _KEY_AT.match(line, at)
        if match is not None:
            key = match[1]
            if not _fast_key(key):  # pragma: no cover -- the line loop read it
                raise _NotFast
            at = match.end()
        else:
            match = _QUOTED_KEY_AT.match(line, at)
            if match is not None:
                key = self._quoted_key(match[1])
                at = match.end()
        rest = line[at:].lstrip(" ")
        value_at = -1 if not rest or rest[0] == "#" else len(line) - len(rest)
        return col, dash, key, value_at

    def _quoted_key(self, quoted: str) -> str:
        """Return the key written *quoted*, in its quotes."""
        if len(quoted) > _LONGEST_KEY:
            raise _NotFast
        body = quoted[1:-1]
        key = body.replace("''", "'") if quoted[0] == "'" else _double_quoted(body)
        self.quoted_keys.add(key)
        if quoted not in _quoted_forms(key):
            self.odd_keys = True
        return key

    def _value_at(
        self, line: str, at: int, i: int, indent: int
    ) -> tuple[object, int, str | None]:
        """Read the value written from *at* of *line*, line *i*, on.

        *indent* is the column of the collection holding it. Return the value,
        the index of the line after it and, for a plain value that later lines
        may continue, its text.
        """
        rest = line[at:]
        first = rest[0]
        if first in _INDICATORS:
            if first == "'":
                single, i = self._single(rest, i, indent)
                return single, i, None
            if first == '"':
                double, i = self._double(rest, i, indent)
                return double, i, None
            if first in "[{":
                flow, end = self._flow(rest, 0, 0)
                if not _AFTER_VALUE.match(rest, end):
                    raise _NotFast
                return flow, i + 1, None
            if first in "|>":
                block, i = self._block(rest, i, indent)
                return block, i, None
            if first not in "-?:" or len(rest) == 1 or rest[1] == " ":
                raise _NotFast
        end = _end(_PLAIN_TEXT, rest, 0)
        text = rest[:end]
        if ": " in text or text[-1] == ":" or not _AFTER_VALUE.match(rest, end):
            raise _NotFast
        return _fast_plain(text), i + 1, (None if "#" in rest[end:] else text)

    def value(self, i: int, at: int, indent: int) -> object:
        """Return the value written from column *at* of line *i* on, in read text.

        *indent* is the column of the collection holding it. A plain value is
        continued by the lines after it, as :meth:`read` continues it: the
        text must be one :meth:`read` reads.
        """
        lines = self.lines
        value, j, text = self._value_at(lines[i], at, i, indent)
        if text is None:
            return value
        breaks = 0
        while j < self.count:
            line = lines[j]
            body = line.lstrip(" ")
            j += 1
            if not body:
                breaks += 1
                continue
            if body[0] == "#" or len(line) - len(body) <= indent:
                break
            piece, comment, _ = body.partition(" #")
            text += ("\n" * breaks if breaks else " ") + piece.rstrip(" ")
            value = _fast_plain(text)
            if comment:
                break
            breaks = 0
        return value

    def _single(self, rest: str, i: int, indent: int) -> tuple[str, int]:
        """Read a single-quoted scalar that starts *rest*, on line *i*."""
        end = _end(_SINGLE_BODY, rest, 1)
        if end < len(rest):
            if not _AFTER_VALUE.match(rest, end + 1):
                raise _NotFast
            return rest[1:end].replace("''", "'"), i + 1
        lines = self.lines
        last = self.count - 1
        parts = [rest[1:].rstrip(" ")]
        breaks = 0
        j = i + 1
        while j <= last:
            line = lines[j]
            body = line.lstrip(" ")
            if not body:
                breaks += 1
                j += 1
                continue
            if len(line) - len(body) <= indent:
                raise _NotFast
            parts.append("\n" * breaks if breaks else " ")
            breaks = 0
            end = _end(_SINGLE_BODY, body, 0)
            if end < len(body):
                if not _AFTER_VALUE.match(body, end + 1):
                    raise _NotFast
                parts.append(body[:end])
                return "".join(parts).replace("''", "'"), j + 1
            parts.append(body.rstrip(" "))
            j += 1
        raise _NotFast

    def _double(self, rest: str, i: int, indent: int) -> tuple[str, int]:
        """Read a double-quoted scalar that starts *rest*, on line *i*.

        Its lines after the first must be indented more than *indent*.
        """
        lines = self.lines
        parts: list[str] = []
        body = rest[1:]
        j = i
        while True:
            end = _end(_DOUBLE_BODY, body, 0)
            if body[end : end + 1] == '"':
                if not _AFTER_VALUE.match(body, end + 1):
                    raise _NotFast
                parts.append(_double_quoted(body[:end]))
                return "".join(parts), j + 1
            escaped = end == len(body) - 1  # a backslash ends the line
            if not escaped:
                if end < len(body):
                    raise _NotFast  # pragma: no cover -- the body ends at a quote
                kept = body.rstrip(" ")
                # A space after an odd number of backslashes is written escaped.
                if len(kept) < len(body) and (len(kept) - len(kept.rstrip("\\"))) % 2:
                    kept += " "
                body = kept
            parts.append(_double_quoted(body[:end] if escaped else body))
            breaks = 0
            j += 1
            while j < self.count and not lines[j].strip(" "):
                breaks += 1
                j += 1
            if j == self.count:
                raise _NotFast
            line = lines[j]
            body = line.lstrip(" ")
            if len(line) - len(body) <= indent:
                raise _NotFast
            parts.append("\n" * breaks if breaks or escaped else " ")

    def _block(  # noqa: C901, PLR0912, PLR0915 -- libyaml's steps, kept in order
        self, rest: str, i: int, indent: int
    ) -> tuple[str, int]:
        """Read a literal or folded block scalar whose header *rest* is on line *i*."""
        header = _BLOCK_HEADER.match(rest)
        if header is None:
            raise _NotFast
        folded = header[1] == ">"
        chomping = header[2]
        lines = self.lines
        last = self.count - 1
        if i == last:
            raise _NotFast
        k = i + 1
        breaks = 0
        most = 0
        while True:
            line = lines[k]
            body = line.lstrip(" ")
            col = len(line) - len(body)
            most = max(most, col)
            if body or k == last:
                break
            breaks += 1
            k += 1
        block_indent = max(most, indent + 1)
        if not body or col != block_indent:
            raise _NotFast
        chunks = ["\n"] * breaks
        line_break = ""
        while True:
            content = lines[k][block_indent:]
            leading_non_space = content[0] != " "
            chunks.append(content)
            if k == last:  # the end of the text, with no line break
                return "".join(chunks), k + 1
            line_break = "\n"
            k += 1
            breaks = 0
            while True:
                line = lines[k]
                if len(line) <= block_indent and not line.strip(" ") and k < last:
                    breaks += 1
                    k += 1
                    continue
                break
            if len(line) > block_indent and not line[:block_indent].strip(" "):
                if folded and leading_non_space and line[block_indent] != " ":
                    if not breaks:
                        chunks.append(" ")
                else:
                    chunks.append(line_break)
                chunks.append("\n" * breaks)
            else:
                break
        if chomping != "-":
            chunks.append(line_break)
        if chomping == "+":
            chunks.append("\n" * breaks)
        line = lines[k]
        body = line.lstrip(" ")
        if body and body[0] != "#" and len(line) - len(body) > indent:
            raise _NotFast
        return "".join(chunks), k

    def _flow(self, text: str, pos: int, depth: int) -> tuple[object, int]:
        """Read the flow collection at *pos* of *text*; return it and its end."""
        if depth > _MAX_FAST_DEPTH:
            raise _NotFast
        closing = "]" if text[pos] == "[" else "}"
        items: list[object] = []
        mapping: dict[str, object] = {}
        pos = _end(_FLOW_SPACE, text, pos + 1)
        if text[pos : pos + 1] == closing:
            return (items if closing == "]" else mapping), pos + 1
        while True:
            if closing == "}":
                start = pos
                key, pos = self._flow_key(text, pos)
                if (
                    text[pos : pos + 2] != ": "
                    or key in mapping
                    or pos - start > _LONGEST_KEY
                ):
                    raise _NotFast
                pos = _end(_FLOW_SPACE, text, pos + 2)
                value_at = pos
                mapping[key], pos = self._flow_node(text, pos, depth)
                if key == "id" and type(mapping[key]) is int:
                    self.whole_ids.append((mapping, text[value_at:pos]))
            else:
                value, pos = self._flow_node(text, pos, depth)
                items.append(value)
            pos = _end(_FLOW_SPACE, text, pos)
            char = text[pos : pos + 1]
            if char == closing:
                return (items if closing == "]" else mapping), pos + 1
            if char != ",":
                raise _NotFast
            pos = _end(_FLOW_SPACE, text, pos + 1)
            if text[pos : pos + 1] in {closing, ",", ""}:
                raise _NotFast

    def _flow_node(self, text: str, pos: int, depth: int) -> tuple[object, int]:
        """Read the flow collection or scalar at *pos* of *text*; return its end too."""
        if text[pos : pos + 1] in {"[", "{"}:
            return self._flow(text, pos, depth + 1)
        return self._flow_scalar(text, pos)

    def _flow_key(self, text: str, pos: int) -> tuple[str, int]:
        """Read the key of a flow mapping at *pos* of *text*; return its end too."""
        if text[pos : pos + 1] in {"'", '"'}:
            key, end = self._flow_scalar(text, pos)
            return str(key), end
        match = _FLOW_PLAIN.match(text, pos)
        if match is None or not _fast_key(match.group()):
            raise _NotFast
        return match.group(), match.end()

    @staticmethod
    def _flow_scalar(text: str, pos: int) -> tuple[object, int]:
        """Read the scalar at *pos* of *text*, in a flow collection; return its end."""
        first = text[pos : pos + 1]
        if first == "'":
            end = _end(_SINGLE_BODY, text, pos + 1)
            if end == len(text):
                raise _NotFast
            return text[pos + 1 : end].replace("''", "'"), end + 1
        if first == '"':
            end = _end(_DOUBLE_BODY, text, pos + 1)
            if text[end : end + 1] != '"':
                raise _NotFast
            return _double_quoted(text[pos + 1 : end]), end + 1
        match = _FLOW_PLAIN.match(text, pos)
        if match is None:
            raise _NotFast
        return _fast_plain(match.group()), match.end()


# -- JSON ----------------------------------------------------------------------


class _DuplicateKeyError(ValueError):
    """A JSON object has a key twice."""


def _json_object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """Build a JSON object, refusing duplicate keys."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKeyError
    return result


def _first_wins(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """Build a JSON object keeping the first value of a key written twice."""
    result: dict[str, object] = {}
    for key, value in pairs:
        result.setdefault(key, value)
    return result


_JSON_WS: Final = re.compile(r"[ \t\n\r]*")
_JSON_SCALAR: Final = re.compile(
    r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null|NaN"
    r"|-?Infinity"
)


class _ScanError(Exception):
    """The text is not what the location scanner expects."""


@attrs.frozen
class _JsonDuplicate:
    """A JSON object has the key ending *path* at *offset*, and at *first* already."""

    path: Path
    offset: int
    first: int


@attrs.define
class _JsonFrame:
    """An object or array being scanned."""

    path: Path
    keys: dict[str, int] | None  # the keys seen so far; None for an array
    index: int = 0
    #: Inside the value of a key written twice: its data is not kept, so what
    #: is in it is neither located nor reported.
    discarded: bool = False


_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


#: How deep the JSON scanner locates values; no engagement file goes near it.
_DEEPEST_LOCATED: Final = 100
_JSON_DECODER: Final = json.JSONDecoder()


class _JsonScanner:
    """Finds the offsets of every value and every key of valid JSON text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.values: dict[Path, int] = {}
        self.keys: dict[Path, int] = {}
        self.duplicates: list[_JsonDuplicate] = []
        self._stack: list[_JsonFrame] = []
        self._discarding = False  # whether the value being scanned is discarded

    def scan(self) -> None:
        """Record every value and key; the text must be valid JSON.

        A key written twice in an object is recorded in ``duplicates``; the
        locations of its first value are kept.

        Raises:
            _ScanError: the text is not valid JSON after all.

        """
        text = self.text
        path: Path | None = ()
        pos = _end(_JSON_WS, text, 0)
        while path is not None:
            self.values.setdefault(path, pos)
            char = text[pos]
            if char in "{[" and len(self._stack) >= _DEEPEST_LOCATED:
                # Deeper values are located at this one: paths would grow long.
                pos = _JSON_DECODER.raw_decode(text, pos)[1]
            elif char in "{[":
                inner = _end(_JSON_WS, text, pos + 1)
                if text[inner] not in "}]":
                    keys: dict[str, int] | None = {} if char == "{" else None
                    frame = _JsonFrame(path, keys, discarded=self._discarding)
                    self._stack.append(frame)
                    path, pos = self._first(frame, inner)
                    continue
                pos = inner + 1
            elif char == '"':
                pos = _scanstring(text, pos + 1)[1]
            else:
                match = _JSON_SCALAR.match(text, pos)
                if match is None:
                    raise _ScanError
                pos = match.end()
            path, pos = self._next(pos)

    def _first(self, frame: _JsonFrame, pos: int) -> tuple[Path, int]:
        """Return the path and offset of the first value in *frame*."""
        if frame.keys is None:
            self._discarding = frame.discarded
            return (*frame.path, 0), pos
        return self._key(frame, pos)

    def _next(self, pos: int) -> tuple[Path | None, int]:
        """Return the path and offset of the value after the one ending at *pos*.

        The path is None at the end of the document.
        """
        text = self.text
        stack = self._stack
        while stack:
            frame = stack[-1]
            pos = _end(_JSON_WS, text, pos)
            char = text[pos]
            if char == ",":
                pos = _end(_JSON_WS, text, pos + 1)
                if frame.keys is None:
                    frame.index += 1
                    self._discarding = frame.discarded
                    return (*frame.path, frame.index), pos
                return self._key(frame, pos)
            if char not in "}]":
                raise _ScanError
            stack.pop()
            pos += 1
        return None, pos

    def _key(self, frame: _JsonFrame, pos: int) -> tuple[Path, int]:
        """Read the key at *pos* in *frame*; return its value's path and offset."""
        text = self.text
        seen = frame.keys
        if seen is None or text[pos] != '"':
            raise _ScanError
        key, end = _scanstring(text, pos + 1)
        self._discarding = frame.discarded or key in seen
        if key not in seen:
            seen[key] = pos
        elif not frame.discarded:
            duplicate = _JsonDuplicate((*frame.path, key), pos, seen[key])
            self.duplicates.append(duplicate)
        path = (*frame.path, key)
        self.keys.setdefault(path, pos)
        end = _end(_JSON_WS, text, end)
        if text[end] != ":":
            raise _ScanError
        return path, _end(_JSON_WS, text, end + 1)


def json_error_text(error: json.JSONDecodeError) -> str:
    """Return what *error* says is wrong with JSON text, as a whole sentence.

    Python's messages end in ``at`` (the position it gives apart): ``Invalid
    control character at``. A control character is named, with how JSON
    writes it in a string; outside strings (a zero byte where a value
    should be), with what JSON expected there.
    """
    message = error.msg
    if message.startswith("Invalid control character"):
        at = error.doc[error.pos : error.pos + 1]
        if at:
            code = ord(at)
            return (
                f"control character U+{code:04X} in a string: JSON writes it "
                f"escaped, as \\u{code:04x}"
            )
    for tail in (" starting at", " at"):
        if message.endswith(tail):
            message = message[: -len(tail)]
            break
    at = error.doc[error.pos : error.pos + 1]
    if (
        message.startswith("Expecting")
        and at
        and ord(at) < 0x20
        and at not in " \t\n\r"
    ):
        zero = " (a zero byte)" if at == "\x00" else ""
        message += (
            f", found the control character U+{ord(at):04X}{zero}, which JSON "
            "text does not hold"
        )
    return message


def _json_data(
    text: str, source: str | None, *, check_keys: bool = True
) -> tuple[object, bool]:
    """Return the data of JSON *text* and whether a key is written twice in it.

    Without *check_keys* keys written twice are not looked for: the last value
    of each is kept, and the answer is False.
    """
    try:
        try:
            if not check_keys:
                return json.loads(text), False
            data = json.loads(text, object_pairs_hook=_json_object)
        except _DuplicateKeyError:
            # The rest of the text must be valid JSON too: read it all.
            return json.loads(text, object_pairs_hook=_first_wins), True
    except json.JSONDecodeError as error:
        # The JSON reader counts line feeds only.
        location = (
            _Lines(text).location(error.pos)
            if _has_lone_cr(text)
            else Location(error.lineno, error.colno)
        )
        raise _issue(
            source, location, f"invalid JSON: {json_error_text(error)}"
        ) from None
    except ValueError:
        raise _long_number(text, source, "JSON") from None
    except RecursionError:
        where = _too_deep(text, _JSON_NESTING)
        raise _issue(source, where, f"invalid JSON: {_TOO_DEEP}") from None
    return data, False


#: A colon after white space: where a key spaced from its colon may be, which
#: the count of ``":`` in the text would miss (or text inside a string). Sought
#: from the colon, rarer than the quote.
_SPACED_COLON: Final = re.compile(r":(?<=[ \t\n\r]:)")


def _parse_json_unchecked(text: str, source: str | None) -> Parsed:
    """Read JSON *text* without looking for keys written twice, if it can be told.

    ``json.loads`` builds each object itself, several times faster than a hook
    refusing keys written twice can. Whether a key was written twice is told
    afterwards from a count: in valid JSON, a ``"`` directly followed by ``:``
    closes a key or sits inside a string, so when no key has white space
    before its colon, the text holds at most as many keys as ``":`` pairs, and
    the data holds fewer keys than the text when a key is written twice (its
    first value is dropped). So data holding as many keys as the text has
    ``":`` pairs has no key written twice. The caller counts the keys, as it
    reads every mapping anyway.

    Text with a key spaced from its colon, or with a lone surrogate escape
    (refused from the data the checked reader keeps), is read checked.
    """
    if _SPACED_COLON.search(text) is not None or (
        "\\u" in text and _LONE_SURROGATE.search(text) is not None
    ):
        return _parse_json(text, source, locate=False)
    data, _ = _json_data(text, source, check_keys=False)
    return Parsed(data=data, source=source, unchecked_keys=text.count('":'))


def json_duplicates(text: str, source: str | None = None) -> tuple[SyntaxIssue, ...]:
    """Return every key written twice in the objects of the valid JSON *text*.

    Each is an issue as :func:`parse` reports it: located where the key is
    written again, naming where it is first, its ``path`` the key's. (Whether
    there is any is told at little cost by reading the text with an
    ``object_pairs_hook`` that refuses them.)
    """
    lines = _Lines(text)
    scanner = _JsonScanner(text)
    # The text is valid JSON: a scan error would only lose locations.
    with contextlib.suppress(_ScanError, IndexError, ValueError):
        scanner.scan()
    found = tuple(_json_duplicate(d, lines, source) for d in scanner.duplicates)
    # Deeper than the scanner locates, a key written twice is found unlocated.
    return found or (SyntaxIssue(source, None, None, "duplicate key in an object"),)


def _parse_json(
    text: str, source: str | None, locate: bool, *, surrogates: bool = False
) -> Parsed:
    """Read JSON *text*; see :func:`parse`."""
    data, duplicate = _json_data(text, source)
    if "\\u" in text and not surrogates:
        _refuse_surrogates(data, text, source)
    if not duplicate and not locate:
        return Parsed(data=data, source=source)
    lines = _Lines(text)
    scanner = _JsonScanner(text)
    # The text is valid JSON: a scan error would only lose locations, not data.
    with contextlib.suppress(_ScanError, IndexError, ValueError):
        scanner.scan()
    problems = tuple(_json_duplicate(d, lines, source) for d in scanner.duplicates)
    if duplicate:
        if not problems:  # pragma: no cover -- the scanner finds every duplicate
            raise _issue(source, None, "duplicate key in an object")
        if not locate:
            raise SourceSyntaxError(problems[0], recoverable=True)
    return Parsed(
        data=data,
        source=source,
        locations=lines.locations(scanner.values),
        key_locations=lines.locations(scanner.keys),
        problems=problems,
    )


def _json_duplicate(
    duplicate: _JsonDuplicate, lines: _Lines, source: str | None
) -> SyntaxIssue:
    """Return the issue of a key written twice in a JSON object."""
    first = lines.location(duplicate.first)
    where = lines.location(duplicate.offset)
    message = (
        f"duplicate key `{duplicate.path[-1]}`: a key may appear once in an "
        f"object, it is first at line {first.line}, column {first.column}"
    )
    return SyntaxIssue(source, where.line, where.column, message, duplicate.path)


# -- Finding values in JSON text -------------------------------------------------


class JsonLayoutError(ValueError):
    """The JSON text is not what :class:`JsonText` took it for: read it in full."""


_json_value: Callable[[str, int], tuple[object, int]] = _JSON_DECODER.scan_once  # type: ignore[attr-defined]
_INDENT: Final = re.compile(r"[ \t]*")
_SPACE: Final = frozenset(" \t\n\r")

#: A step of a path as written: a key, an index, or the name of an item.
_Written: TypeAlias = "str | int | tuple[str]"


@functools.cache
def _items_pattern(indent: str) -> re.Pattern[str]:
    """Return the pattern of a line starting an item of a list indented *indent*."""
    return re.compile("\n" + re.escape(indent) + r"[^\s\]}]")


@functools.cache
def _key_token(key: str) -> str:
    """Return *key* as JSON writes it: quoted, escaped only where it must be."""
    return json.dumps(key, ensure_ascii=False)


@functools.cache
def _ascii_token(key: str) -> str | None:
    """Return *key* as JSON writes it in ASCII, if that differs from its token."""
    token = json.dumps(key)
    return None if token == _key_token(key) else token


@functools.lru_cache(maxsize=8192)
def _path_steps(path: str) -> tuple[Path | None, tuple[_Written, ...]] | None:
    """Return what *path* is made of; None if it is not a path.

    That is, its steps when it names no item by name, and its steps as written,
    each name of an item (``[name]``) in a 1-tuple.
    """
    written: list[_Written] = []
    pos = 0
    while pos < len(path):
        match = _PATH_TOKEN.match(path, pos)
        if match is None or (match[2] is not None and bool(match[1]) != (pos > 0)):
            return None
        if match[2] is not None:
            written.append(match[2])
        elif _INDEX.match(match[3]):
            written.append(int(match[3]))
        else:
            written.append((match[3],))
        pos = match.end()
    steps = [step for step in written if not isinstance(step, tuple)]
    return (tuple(steps) if len(steps) == len(written) else None), tuple(written)


class _Followed(Protocol):
    """What :func:`_deepest` needs of :class:`YamlText` or :class:`YamlBlockText`."""

    def child(self, node: Any, step: str | int) -> Any:
        """Return the node at *step* in *node*, or None if there is none."""
        ...

    def labels(self, node: object) -> dict[int, str] | None:
        """Return the labels of a list's items; None if *node* is not a list."""
        ...


def _deepest(followed: _Followed, node: Any, path: str) -> Any:
    """Return the deepest node written along *path* from *node*, read against it.

    What ``place_from(node, steps(path, node))`` finds, in one walk instead of
    two: *node* itself when *path* is not a path, or names an item that is not
    where it says.
    """
    parts = _path_steps(path)
    if parts is None:
        return node
    child, labels = followed.child, followed.labels
    deepest = current = node
    for written in parts[1]:
        step: str | int
        if isinstance(written, tuple):
            named = labels(current) or {}
            index = next((i for i, name in named.items() if name == written[0]), None)
            if index is None:
                return node
            step = index
        elif current is None:
            continue
        else:
            step = written
        current = child(current, step)
        if current is not None:
            deepest = current
    return deepest


def lines_of_offsets(text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Return the 1-based line of *text* each of *offsets* is on, in one pass.

    *text* has no carriage return alone: its lines end at line feeds.
    """
    ordered = sorted(set(offsets))
    # The lines between each offset and the one before, counted in one C loop.
    breaks = map(text.count, itertools.repeat("\n"), [0, *ordered], ordered)
    lines = itertools.accumulate(breaks, initial=1)
    next(lines)  # the line the text starts on
    return dict(zip(ordered, lines, strict=True))


class JsonText:
    """Finds where values are in valid JSON text, reading only what leads to them.

    JSON as writers and formatters lay it out puts each member of an object and
    each item of a list on a line of its own, indented alike, and the closing
    bracket at the indentation of the line that opened it. Such a container is
    searched by that indentation, at the speed of :meth:`str.find`, without
    reading what lies between. A container whose first member shares its
    opening line is read member by member with the JSON decoder. A member
    indented unlike the first one, or a key escaped otherwise than by
    :func:`json.dumps`, is not found.

    Positions are offsets into the text where values start; :meth:`lines` turns
    them into line numbers. Each method raises :class:`JsonLayoutError` where
    the text is not valid JSON after all. Text whose lines end at a carriage
    return alone (old Mac OS) is not laid out by lines of line feeds: making
    one raises :class:`JsonLayoutError`.
    """

    def __init__(self, text: str) -> None:
        """Read nothing of *text* yet, but that its lines end at line feeds."""
        if _has_lone_cr(text):
            raise JsonLayoutError
        self.text = text
        #: Objects laid out a member per line: the line break before the first
        #: member, that break and the members' indentation, and the closing line.
        self._blocks: dict[int, tuple[int, str, int]] = {}
        self._members: dict[tuple[int, str], int | None] = {}
        #: Lists laid out an item per line: where their items start, as far as
        #: looked for yet, where the closing line is, and the pattern of the
        #: lines that start items.
        self._items: dict[int, tuple[list[int], int, re.Pattern[str]]] = {}

    def root(self) -> int:
        """Return where the document's value starts, after any byte-order mark."""
        start = _end(_JSON_WS, self.text, 1 if self.text.startswith("\ufeff") else 0)
        if start >= len(self.text):
            raise JsonLayoutError
        return start

    def single_line(self) -> bool:
        """Return whether the whole document is on its first line."""
        return "\n" not in self.text.rstrip()

    def member(self, at: int, key: str, end: int | None = None) -> int | None:
        """Return where the value of *key* starts in the object at *at*, if anywhere.

        None when *at* holds no object or the object has no such member. *end*,
        when known, is an offset past the object's last member (where the next
        item of its list starts, say).
        """
        found = self._members.get((at, key), -1)
        if found != -1:
            return found
        block = self._blocks.get(at) or self._block(at, end)
        if block is None:
            first = self._first(at, "{")
            return None if first is None else self._read_member(first, key)
        return self._search(at, block, key, block[0])[0]

    def members(self, at: int, keys: Iterable[str], end: int | None = None) -> None:
        """Look up *keys* in the object at *at*, for :meth:`member` to answer.

        Given in the order they are written, the keys are found in one pass over
        the object's text; in another order they are found all the same.
        """
        block = self._blocks.get(at) or self._block(at, end)
        if block is None:
            return
        start = block[0]
        known = self._members
        for key in keys:
            if (at, key) not in known:
                found, after = self._search(at, block, key, start)
                if found is not None:
                    start = after

    def _search(
        self, at: int, block: tuple[int, str, int], key: str, start: int
    ) -> tuple[int | None, int]:
        """Find *key* in the object at *at* laid out as *block*, from *start* on.

        Return where its value starts (None if nowhere) and where its line
        starts; keys before *start* are looked for afterwards.
        """
        text = self.text
        newline, indent, end = block
        needle = indent + _key_token(key)
        found = text.find(needle, start, end)
        # Searching backwards is the faster way to find that a key is not there.
        if found < 0 and start != newline and text.rfind(needle, newline, start) >= 0:
            found = text.find(needle, newline, start)
        if found < 0 and (ascii_token := _ascii_token(key)) is not None:
            needle = indent + ascii_token
            found = text.find(needle, newline, end)
        value = None
        while found >= 0:
            after = found + len(needle)
            if text[after] == ":":
                value = after + 2 if text[after + 1] == " " else after + 1
                if text[value] in _SPACE:
                    value = _end(_JSON_WS, text, value)
                break
            colon = _end(_JSON_WS, text, after)
            if text[colon] == ":":
                value = _end(_JSON_WS, text, colon + 1)
                break
            found = text.find(needle, after, end)
        self._members[at, key] = value
        return value, found

    def item(self, at: int, index: int) -> int | None:
        """Return where item *index* starts in the list at *at*, if anywhere."""
        laid_out = self._items.get(at) or self._list(at)
        if laid_out is None:
            first = self._first(at, "[")
            return None if first is None else self._read_items(first, index)
        items, end, pattern = laid_out
        if index < 0:
            return None
        while len(items) <= index:
            match = pattern.search(self.text, items[-1], end)
            if match is None:
                return None
            items.append(match.end() - 1)
        return items[index]

    def objects(self, at: int) -> Iterator[int]:
        """Yield where each item of the list of objects at *at* starts, in order.

        The end of a list laid out a line per item is not looked for: after its
        last item come the starts of any later lines indented alike that open an
        object.
        """
        text = self.text
        start = self._first(at, "[")
        if start is None:
            return
        newline = text.rfind("\n", at, start)
        if newline >= 0:
            # The opening of the first item, through its first member's quote,
            # is a longer needle than "{" alone, and so a faster one.
            first = _end(_JSON_WS, text, start + 1)
            opening = text[start : first + 1] if text[first] == '"' else "{"
            needle = "\n" + text[newline + 1 : start] + opening
            while start >= 0:
                yield start
                start = text.find(needle, start)
                if start >= 0:
                    start += len(needle) - len(opening)
            return
        item: int | None = start
        while item is not None:
            yield item
            item = self._read_items(item, 1)

    def value(self, at: int) -> tuple[object, int]:
        """Return the value that starts at *at*, and where it ends."""
        try:
            return _json_value(self.text, at)
        except (StopIteration, ValueError, RecursionError):
            raise JsonLayoutError from None

    def one_line(self, at: int, end: int | None) -> bool:
        """Return whether the list item at *at* ends on the line it starts on.

        The list is laid out a line per item; *end* is where the next item
        starts, None after the last one.
        """
        text = self.text
        newline = text.find("\n", at, end)
        if newline < 0:
            return True
        if end is not None:
            return text.find("\n", newline + 1, end) < 0
        after = _end(_JSON_WS, text, newline)
        return text[after : after + 1] == "]"

    def lines(self, offsets: Iterable[int]) -> dict[int, int]:
        """Return the 1-based line of each offset."""
        return lines_of_offsets(self.text, offsets)

    def find(
        self, at: int, path: str, end: int | None = None
    ) -> tuple[Path | None, int, bool]:
        """Follow *path* (format.md's path syntax) from the value at *at*.

        Return the path's steps, where the deepest value along it that is
        written starts, and whether all of it is written. The steps are None when
        *path* is not a path, or when a ``[name]`` in it names no item, as
        :func:`parse_path` given the data would decide. *end* is as for
        :meth:`member`, about the value at *at*.
        """
        parts = _path_steps(path)
        if parts is None:
            return None, at, False
        steps, written = parts
        if steps is None:
            return self._named_steps(at, written, end)
        deepest, whole = self.follow(at, steps, end)
        return steps, deepest, whole

    def places(
        self, at: int, paths: Iterable[str], end: int | None = None
    ) -> dict[str, int]:
        """Return where the deepest written value along each of *paths* starts.

        What :meth:`find` returns second for each path from the value at *at*,
        each path followed once: a check's findings often share their paths.
        """
        places = dict.fromkeys(paths, at)
        members, member, item = self._members, self.member, self.item
        for path in places:
            parts = _path_steps(path)
            if parts is None:
                continue
            steps = parts[0]
            if steps is None:
                places[path] = self._named_steps(at, parts[1], end)[1]
                continue
            # What follow() does, written out: this runs for every path.
            current, limit = at, end
            for step in steps:
                if isinstance(step, str):
                    found = members.get((current, step), -1)
                    if found == -1:
                        found = member(current, step, limit)
                else:
                    found = item(current, step)
                if found is None:
                    break
                current, limit = found, None
            places[path] = current
        return places

    def follow(self, at: int, steps: Path, end: int | None = None) -> tuple[int, bool]:
        """Return where the deepest written value along *steps* from *at* starts.

        And whether all of *steps* is written; *end* is as for :meth:`find`.
        """
        members = self._members
        for step in steps:
            if isinstance(step, str):
                found = members.get((at, step), -1)
                if found == -1:
                    found = self.member(at, step, end)
            else:
                found = self.item(at, step)
            if found is None:
                return at, False
            at = found
            end = None
        return at, True

    # -- reading ------------------------------------------------------------------

    def _named_steps(
        self, at: int, written: tuple[_Written, ...], end: int | None
    ) -> tuple[Path | None, int, bool]:
        """Return what :meth:`find` does for a path written *written*, naming items.

        Its names are looked up as the path is followed, in the one walk that
        finds the deepest written value too.
        """
        steps: list[str | int] = []
        current: int | None = at
        deepest = at
        for step in written:
            if isinstance(step, tuple):
                index = self._named(current, step[0])
                if index is None:
                    return None, at, False
                steps.append(index)
                current = self.item(current, index) if current is not None else None
            else:
                steps.append(step)
                if current is not None:
                    current = (
                        self.member(current, step, end)
                        if isinstance(step, str)
                        else self.item(current, step)
                    )
            if current is not None:
                deepest = current
            end = None
        return tuple(steps), deepest, current is not None

    def _named(self, at: int | None, name: str) -> int | None:
        """Return the index of the item labelled *name* in the list at *at*.

        An item's label is its ``name`` (see :func:`format_path`): the one item
        whose ``name`` member is written as *name* is looked for by its text
        first, and the list is read only when that is not conclusive.
        """
        text = self.text
        if at is None or text[at : at + 1] != "[":
            return None
        laid_out = self._items.get(at) or self._list(at)
        if laid_out is not None and name:  # an empty name labels no item
            starts, end, pattern = laid_out
            block = self._blocks.get(starts[0]) or self._block(starts[0], None)
            if block is not None:
                needle = block[1] + '"name": ' + _key_token(name)
                found = text.find(needle, starts[0], end)
                # No other: searched backwards, as sure an answer, faster.
                if found >= 0 and text.rfind(needle, found + 1, end) < 0:
                    while starts[-1] <= found:
                        match = pattern.search(text, starts[-1], end)
                        if match is None:
                            break
                        starts.append(match.end() - 1)
                    return bisect.bisect_right(starts, found) - 1
        items, _ = self.value(at)
        if not isinstance(items, list):  # pragma: no cover -- "[" starts a list
            return None
        for index, label in _item_labels(items).items():
            if label == name:
                return index
        return None

    def _first(self, at: int, opening: str) -> int | None:
        """Return where the first member or item of the container at *at* starts."""
        text = self.text
        if text[at : at + 1] != opening:
            return None
        first = _end(_JSON_WS, text, at + 1)
        if first >= len(text):
            raise JsonLayoutError
        return None if text[first] in "]}" else first

    def _list(self, at: int) -> tuple[list[int], int, re.Pattern[str]] | None:
        """Return where the first item of the list at *at* starts, and where it closes.

        And the pattern of the line starting each item, for :meth:`item` and
        :meth:`_named` to find the others as far as they need: the first item
        in a list, and only it, is found here. None unless the list is laid out
        an item per line.
        """
        text = self.text
        first = self._first(at, "[")
        if first is None:
            return None
        newline = text.rfind("\n", at, first)
        if newline < 0:
            return None
        indent = text[newline + 1 : first]
        end = self._end_of(at, indent, first, "]")
        laid_out = self._items[at] = ([first], end, _items_pattern(indent))
        return laid_out

    def _block(self, at: int, end: int | None) -> tuple[int, str, int] | None:
        """Return how the object at *at* is laid out, if a member per line."""
        # What _first and _end_of do, written out: this runs for every object
        # a path goes through.
        text = self.text
        if text[at : at + 1] != "{":
            return None
        first = _end(_JSON_WS, text, at + 1)
        if first >= len(text):
            raise JsonLayoutError
        if text[first] in "]}":
            return None
        newline = text.rfind("\n", at, first)
        if newline < 0:
            return None
        indent = text[newline + 1 : first]
        start = text.rfind("\n", 0, at) + 1
        outer = text[start : _end(_INDENT, text, start)]
        if len(indent) <= len(outer) or not indent.startswith(outer):
            raise JsonLayoutError
        if end is None:
            end = text.find("\n" + outer + "}", first)
            if end < 0:
                raise JsonLayoutError
        block = self._blocks[at] = (newline, "\n" + indent, end)
        return block

    def _end_of(self, at: int, inner: str, first: int, closing: str) -> int:
        """Return where the container at *at*, laid out a line per member, closes.

        Its members are indented *inner*, which must be deeper than the line
        that opens it, and the first one starts at *first*. With no *closing*
        bracket to look for, only the indentation is checked.
        """
        text = self.text
        start = text.rfind("\n", 0, at) + 1
        indent = text[start : _end(_INDENT, text, start)]
        if len(inner) <= len(indent) or not inner.startswith(indent):
            raise JsonLayoutError
        if not closing:
            return first
        end = text.find("\n" + indent + closing, first)
        if end < 0:
            raise JsonLayoutError
        return end

    def _key(self, start: int) -> tuple[str, int]:
        """Return the key whose text starts at *start*, after its quote, and its end."""
        try:
            return _scanstring(self.text, start)
        except ValueError:
            raise JsonLayoutError from None

    def _next(self, at: int, closing: str) -> int | None:
        """Return where the member or item after the value at *at* starts."""
        text = self.text
        after = _end(_JSON_WS, text, self.value(at)[1])
        if text[after : after + 1] == ",":
            return _end(_JSON_WS, text, after + 1)
        if text[after : after + 1] != closing:
            raise JsonLayoutError
        return None

    def _read_member(self, start: int | None, key: str) -> int | None:
        """Read the members from *start* on, one by one, until *key*."""
        text = self.text
        while start is not None:
            if text[start : start + 1] != '"':
                raise JsonLayoutError
            name, after = self._key(start + 1)
            colon = _end(_JSON_WS, text, after)
            if text[colon : colon + 1] != ":":
                raise JsonLayoutError
            value = _end(_JSON_WS, text, colon + 1)
            if name == key:
                return value
            start = self._next(value, "}")
        return None

    def _read_items(self, start: int | None, index: int) -> int | None:
        """Read the items from *start* on, one by one, to the *index*-th after it."""
        for _ in range(index):
            if start is None:
                return None
            start = self._next(start, "]")
        return start


# -- YAML, located by its nodes ----------------------------------------------------


class YamlLayoutError(ValueError):
    """The YAML text has what :class:`YamlText` does not follow: read it in full."""


#: The tag :class:`YamlText` gives plain scalars, resolved only when looked at.
_PLAIN: Final = "plain"


class _LazyCoreLoader(_YAML_LOADER):  # type: ignore[misc,valid-type]
    """The libyaml loader, leaving the tags of plain scalars to be resolved later.

    Resolving each scalar as it is composed is a good part of composing; a plain
    scalar gets the tag ``_PLAIN`` instead (see :func:`_scalar_tag`), other
    scalars and collections the tags the core loader gives them.
    """

    def resolve(
        self,
        kind: type[yaml.Node],
        value: str | None,  # noqa: ARG002 -- the resolver's signature
        implicit: tuple[bool, bool],
    ) -> str:
        """Return the tag of a node written without one, plain scalars left."""
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


def _scalar_tag(node: yaml.ScalarNode) -> str:
    """Return the tag of *node* as the core loader resolves it."""
    tag: str = node.tag
    if tag != _PLAIN:
        return tag
    value: str = node.value
    for core_tag, pattern in _PyCoreLoader.yaml_implicit_resolvers.get(value[:1], ()):
        if pattern.match(value):
            return core_tag  # type: ignore[no-any-return]
    return _STR


#: How deep :class:`YamlText` follows nesting; deeper text is read in full.
_MAX_DEPTH: Final = 100
_PLAIN_STR: Final = frozenset({_STR, _MERGE})
#: Scalar tags every value of which reads: a plain scalar is resolved to a
#: core tag only if it is a valid value of it.
_FOLLOWED_SCALARS: Final = frozenset({_STR, _MERGE, _PLAIN})
_COLLECTION_TAGS: Final[Mapping[type[yaml.Node], str]] = {
    yaml.MappingNode: _MAP,
    yaml.SequenceNode: _SEQ,
}


class YamlText:
    """Finds where values are in YAML text by following its nodes, building no data.

    The text is composed into nodes by libyaml, with the tags of the YAML 1.2 core
    schema; a path is followed over the nodes, and a value is where its node
    starts, as :func:`parse` locates it. A key written twice is followed to its
    first value, the one :func:`parse` keeps. Raises :class:`YamlLayoutError` for
    text that :func:`parse` would refuse or read otherwise than node by node:
    text that is not one valid YAML document, tags other than the core ones,
    anchors and aliases, ``<<`` merge keys, keys that are not scalars, and
    nesting deeper than a hundred levels; and when libyaml is not installed.
    """

    def __init__(self, text: str) -> None:
        """Compose *text*; raise :class:`YamlLayoutError` unless it can be followed."""
        if not yaml.__with_libyaml__:
            raise YamlLayoutError
        stand_ins = _StandIns(text.removeprefix("\ufeff"))
        try:
            root = stand_ins.compose(_LazyCoreLoader)
        except yaml.YAMLError:
            raise YamlLayoutError from None
        if root is None:
            raise YamlLayoutError
        if _may_not_follow(stand_ins.text):
            _check_followable(root)
        self.root: yaml.Node = root

    @staticmethod
    def child(node: object, step: str | int) -> yaml.Node | None:
        """Return the node at *step* in *node*, or None if there is none."""
        if isinstance(step, str):
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == step:
                        return value  # type: ignore[no-any-return]
            return None
        if isinstance(node, yaml.SequenceNode) and 0 <= step < len(node.value):
            return node.value[step]  # type: ignore[no-any-return]
        return None

    @classmethod
    def walk(cls, node: yaml.Node | None, steps: Path) -> yaml.Node | None:
        """Return the node at *steps* from *node*, or None if there is none."""
        for step in steps:
            if node is None:
                return None
            node = cls.child(node, step)
        return node

    @classmethod
    def labels(cls, node: object) -> dict[int, str] | None:
        """Return the labels of a list's items, as :func:`format_path` writes them.

        None if *node* is not a list.
        """
        if not isinstance(node, yaml.SequenceNode):
            return None
        return _unique_labels(
            (index, _node_str(cls.child(item, "name")))
            for index, item in enumerate(node.value)
            if isinstance(item, yaml.MappingNode)
        )

    @classmethod
    def steps(cls, path: str, node: yaml.Node | None) -> Path:
        """Read *path* against the value of *node*, as :func:`parse_path` does.

        Raises:
            ValueError: *path* is not a path, or names an item *node* does not have.

        """
        parts = _path_steps(path)
        if parts is not None and parts[0] is not None:
            return parts[0]
        return _read_path(path, node, cls.child, cls.labels)

    def line(self, path: Path) -> int:
        """Return the line of the value at *path*, else of its nearest parent."""
        return self.line_from(self.root, path)

    @classmethod
    def line_from(cls, node: yaml.Node, steps: Path) -> int:
        """Return the line of the value at *steps* from *node*, else of its parent."""
        for step in steps:
            found = cls.child(node, step)
            if found is None:
                break
            node = found
        return node.start_mark.line + 1

    place_from = line_from

    def place(self, node: yaml.Node, path: str) -> int:
        """Return the line of the value at *path* read against *node*, else its parent.

        *node*'s own line when *path* is not a path or names an item not there.
        """
        found: yaml.Node = _deepest(self, node, path)
        return found.start_mark.line + 1

    @staticmethod
    def lines(places: Iterable[int]) -> dict[int, int]:
        """Return the line of each of *places*: :meth:`place_from` gives lines."""
        return {place: place for place in places}

    @staticmethod
    def is_null(node: yaml.Node | None) -> bool:
        """Return whether *node* is absent or null."""
        return node is None or (
            isinstance(node, yaml.ScalarNode) and _scalar_tag(node) == _NULL
        )

    @staticmethod
    def is_mapping(node: yaml.Node | None) -> bool:
        """Return whether *node* is a mapping."""
        return isinstance(node, yaml.MappingNode)

    @staticmethod
    def string(node: yaml.Node | None) -> str | None:
        """Return the string *node* holds, None if it holds no string."""
        return _node_str(node)

    @staticmethod
    def identifier(node: yaml.Node | None) -> str | None:
        """Return the id *node* holds as :func:`parse` reads an engagement's id.

        That is its string, or the text of a whole number as written (see
        :func:`_keep_id_text`); None if it holds neither.
        """
        if isinstance(node, yaml.ScalarNode) and _scalar_tag(node) == _INT:
            return node.value  # type: ignore[no-any-return]
        return _node_str(node)


def _node_str(node: yaml.Node | None) -> str | None:
    """Return the string a scalar *node* reads as, None if it reads as none."""
    if isinstance(node, yaml.ScalarNode) and _scalar_tag(node) in _PLAIN_STR:
        return node.value  # type: ignore[no-any-return]
    return None


_NODE_INDICATORS: Final = re.compile(r"[!&*?\[{]")
#: Line breaks, in text read as YAML 1.2 (see :class:`_StandIns`).
_BREAKS: Final = "\r\n"
_BEFORE_NODE: Final = frozenset(" \t,[{:" + _BREAKS)
_NOT_IN_NAME: Final = frozenset(" \t,[]{}" + _BREAKS)
_DEEP: Final = re.compile(f"[{_BREAKS}][ \t-]{{90}}")


def _may_not_follow(text: str) -> bool:
    """Return whether *text* may have what :func:`_check_followable` refuses.

    Without a tag (``!``), an anchor or alias (``&name``, ``*name``), a complex
    key (``? ``), a flow collection (``[``, ``{``) or a merge key (``<<``), all
    keys are scalars, all tags core ones and no node is reached twice; and
    without lines indented 90 columns or more, block nesting is not that deep.
    A false True costs a walk over the nodes, no more.
    """
    if "<<" in text or _DEEP.search("\n" + text[:100]) or _DEEP.search(text):
        return True
    for match in _NODE_INDICATORS.finditer(text):
        at = match.start()
        if at and text[at - 1] not in _BEFORE_NODE:
            continue
        char, after = match[0], text[at + 1 : at + 2]
        if char in "&*" and (not after or after in _NOT_IN_NAME):
            continue
        if char == "?" and after and not after.isspace():
            continue
        return True
    return False


def _valid_scalar(tag: str, value: str) -> bool:
    """Return whether a scalar of the core *tag* is a valid *value* of it."""
    construct = _SCALARS.get(tag)
    if construct is None:
        return False
    try:
        construct(value)
    except ValueError:
        return False
    return True


def _check_followable(root: yaml.Node) -> None:
    """Raise :class:`YamlLayoutError` unless *root* can be followed node by node.

    That is, unless :func:`parse` would build every node as it is written: no
    node is reached twice (an alias), every tag is a core one with a valid
    value, keys are scalars and none is ``<<``, and nesting is not too deep.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    pop, push = stack.pop, stack.append
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    while stack:
        node, depth = pop()
        if id(node) in seen or depth > _MAX_DEPTH:
            raise YamlLayoutError
        seen.add(id(node))
        tag = node.tag
        kind = type(node)
        if kind is scalar:
            if tag not in _FOLLOWED_SCALARS and not _valid_scalar(tag, node.value):
                raise YamlLayoutError
            continue
        if tag != _COLLECTION_TAGS.get(kind):
            raise YamlLayoutError
        depth += 1
        if kind is mapping:
            for key, value in node.value:
                if type(key) is not scalar or _scalar_tag(key) == _MERGE:
                    raise YamlLayoutError
                push((key, depth))
                push((value, depth))
        else:
            stack.extend((item, depth) for item in node.value)


# -- YAML, located by its text -------------------------------------------------------

#: Texts :class:`_FastYaml` read, by their hash, the oldest first, and the keys
#: quoted in them: :class:`YamlBlockText` follows them without reading them
#: again.
_BLOCK_LAYOUTS: collections.OrderedDict[int, frozenset[str]] = collections.OrderedDict()
#: How many such texts are remembered.
_BLOCK_LAYOUTS_KEPT: Final = 20_000


def _remember_block_layout(text: str, quoted_keys: Iterable[str]) -> None:
    """Remember that :class:`_FastYaml` read *text*, and the keys quoted in it."""
    layouts = _BLOCK_LAYOUTS
    key = hash(text)
    if key in layouts:
        return
    layouts[key] = frozenset(quoted_keys)
    if len(layouts) > _BLOCK_LAYOUTS_KEPT:
        with contextlib.suppress(KeyError):
            layouts.popitem(last=False)


def _block_layout(text: str) -> frozenset[str] | None:
    """Return the keys quoted in *text*, None if :class:`_FastYaml` reads it not.

    Or reads it with a key quoted otherwise than :func:`_quoted_forms` writes
    it. A text read before is known by its hash; another is read now.
    """
    quoted = _BLOCK_LAYOUTS.get(hash(text))
    if quoted is not None:
        return quoted
    try:
        reader = _FastYaml.of(text)
        reader.read()
    except _NotFast:
        return None
    if reader.odd_keys:
        return None
    _remember_block_layout(text, reader.quoted_keys)
    return frozenset(reader.quoted_keys)


#: A key at the start of a line's content, as :class:`_FastYaml` reads keys.
_KEY_WRITTEN: Final = r"\w(?:[\w\-./ ]{0,998}[\w\-./])?"
_QUOTED_WRITTEN: Final = r"'(?:[^'\n]|'')*'" + r'|"(?:[^"\\\n]|\\.)*"'
_TEXT_KEY: Final = re.compile(f"({_KEY_WRITTEN}):(?=[ \\n]|\\Z)")
_TEXT_QUOTED_KEY: Final = re.compile(f"({_QUOTED_WRITTEN}):(?=[ \\n]|\\Z)")
#: What follows the colon after a key.
_KEY_END: Final = frozenset({" ", "\n", ""})
#: The kinds of :class:`_BlockNode` of block collections.
_BLOCKS: Final = frozenset({"list", "map"})
#: What no key of the root that ends its block collections starts with.
_NOT_ROOT_KEY: Final = frozenset(" \t#-")
#: What a value's line holds when the value is on the lines below, or empty.
_NO_VALUE: Final = frozenset({"", "\n", "#"})
#: The start of the next line with a node, and its indentation.
_NEXT_NODE: Final = re.compile(r"\n( *)[^ \n#]")


def _spaces_end(text: str, pos: int) -> int:
    """Return where the spaces from *pos* on in *text* end (*pos* if none)."""
    if text[pos : pos + 1] != " ":
        return pos
    if text[pos + 1 : pos + 2] != " ":  # most often one space
        return pos + 1
    return _FLOW_SPACE.match(text, pos).end()  # type: ignore[union-attr]


@functools.cache
def _dedent(col: int) -> re.Pattern[str]:
    """Return the pattern of the line break before a line with a node before *col*."""
    return re.compile(f"\\n {{0,{col - 1}}}[^ \\n#]")


@functools.cache
def _list_end(col: int) -> re.Pattern[str]:
    """Return the pattern of the line break before the line ending a list at *col*.

    That is the first line with a node before *col*, or at *col* but no item.
    """
    ends = f" {{0,{col - 1}}}[^ \\n#]|" if col else ""
    return re.compile(f"\\n(?:{ends} {{{col}}}[^ \\n#-])")


@functools.cache
def _list_lines(col: int) -> re.Pattern[str]:
    """Return the pattern of the line break before an item of a list at *col*.

    Or before the line ending that list (see :func:`_list_end`): an item's
    match has a first group, the end's does not.
    """
    # Written without repeats such as `` {0}``, which make the search slow.
    indent = " " * col
    shorter = f"{_shorter(col)}[^ \\n#]|" if col else ""
    return re.compile(f"\\n(?:({indent}-)(?=[ \\n]|\\Z)|{shorter}{indent}[^ \\n#-])")


def _shorter(col: int) -> str:
    """Return the pattern of an indentation shorter than *col* columns."""
    return "" if col == 1 else f" {{0,{col - 1}}}"


@functools.cache
def _item_starts(col: int) -> re.Pattern[str]:
    """Return the pattern of the line break before a list item at *col*."""
    return re.compile(f"\\n {{{col}}}-(?=[ \\n]|\\Z)")


@functools.cache
def _key_lines(col: int, *, quoted: bool) -> re.Pattern[str]:
    """Return the pattern of the line break before a key at *col*, and the key."""
    written = f"{_KEY_WRITTEN}|{_QUOTED_WRITTEN}" if quoted else _KEY_WRITTEN
    return re.compile(f"\\n {{{col}}}({written}):(?=[ \\n]|\\Z)")


def _written_key(written: str) -> str:
    """Return the key *written* so, plain or in quotes."""
    if written[0] == "'":
        return written[1:-1].replace("''", "'")
    if written[0] == '"':
        return _double_quoted(written[1:-1])
    return written


class _BlockNode:
    """A node of text :class:`YamlBlockText` follows.

    A block mapping (``kind`` ``"map"``) or list (``"list"``) whose first line
    starts at offset ``at``, its keys or dashes at column ``col``, and which
    ends where a line starts at offset ``end`` (the end of the text if none);
    an ``end`` of -1 is not known yet: the node ends before the first line with
    a node at column ``owner`` or less. Or a value on the line starting at
    ``at``: not read yet (``"inline"``), written from offset ``start`` on in a
    collection whose column is ``col``; or read (``"value"``), its plain data
    in ``data`` (None for a value left empty).
    """

    __slots__ = ("at", "col", "data", "end", "kind", "owner", "start")

    def __init__(  # noqa: PLR0913 -- the fields, each of one kind of node
        self,
        kind: str,
        at: int,
        col: int = 0,
        end: int = -1,
        owner: int = 0,
        *,
        data: object = None,
        start: int = 0,
    ) -> None:
        """Make the node; see the class."""
        self.kind = kind
        self.at = at
        self.col = col
        self.end = end
        self.owner = owner
        self.data = data
        self.start = start


#: What :class:`YamlBlockText` has not looked for yet.
_UNSEEN: Final = _BlockNode("value", -1)


class YamlBlockText:
    """Finds where values are in YAML text laid out in block style, by its text.

    The text must be one ``parse(..., locations=False)`` reads line by line
    (block mappings and lists, flow collections on one line...): paths are then
    followed by searching the text for the keys and dashes where they must be,
    at their indentation, reading only the values looked at. The nodes and
    lines are those :class:`YamlText` finds. Raises :class:`YamlLayoutError`
    for other text.
    """

    def __init__(self, text: str) -> None:
        """Check that *text* is laid out so; raise :class:`YamlLayoutError` if not."""
        text = text.removeprefix("\ufeff")
        quoted = _block_layout(text)
        if quoted is None:
            raise YamlLayoutError
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        self.text = text
        #: The keys written in quotes somewhere.
        self._quoted = quoted
        self._members: dict[tuple[int, str], _BlockNode | None] = {}
        self._items: dict[int, list[int]] = {}
        self._item_nodes: dict[int, _BlockNode] = {}
        self._labels: dict[int, dict[int, str]] = {}
        self._label_index: dict[int, dict[str, int]] = {}
        #: The values of the root's keys that are block collections.
        self._root_values: list[_BlockNode] = []
        match = _NEXT_NODE.search("\n" + text)
        at = 0 if match is None else match.start()
        if text.startswith("---", at):
            match = _NEXT_NODE.search(text, at)
            at = len(text) if match is None else match.start() + 1
        self.root = _BlockNode("map", at, 0, len(text))

    # -- the interface of YamlText ---------------------------------------------------

    def child(self, node: _BlockNode | None, step: str | int) -> _BlockNode | None:
        """Return the node at *step* in *node*, or None if there is none."""
        if node is None:
            return None
        kind = node.kind
        if kind == "inline":
            kind = self._read(node)
        if kind == "value":
            data = _child(node.data, step)
            if data is None and not _has(node.data, step):
                return None
            return _BlockNode("value", node.at, data=data)
        if isinstance(step, str):
            return self._known_member(node, step) if kind == "map" else None
        if kind != "list" or step < 0:
            return None
        items = self._item_list(node)
        return self._item(node, items, step) if step < len(items) else None

    def walk(self, node: _BlockNode | None, steps: Path) -> _BlockNode | None:
        """Return the node at *steps* from *node*, or None if there is none."""
        for step in steps:
            node = self.child(node, step)
            if node is None:
                return None
        return node

    def labels(self, node: object) -> dict[int, str] | None:
        """Return the labels of a list's items, as :func:`format_path` writes them.

        None if *node* is not a list.
        """
        if not isinstance(node, _BlockNode):
            return None
        if node.kind == "inline":
            self._read(node)
        if node.kind == "value":
            return _item_labels(node.data) if isinstance(node.data, list) else None
        if node.kind != "list":
            return None
        labels = self._labels.get(node.at)
        if labels is None:
            items = self._item_list(node)
            named = [(i, self._name(node, items, i)) for i in range(len(items))]
            labels = self._labels[node.at] = _unique_labels(named)
        return labels

    def _named(self, node: _BlockNode, name: str) -> int | None:
        """Return the index of the item of the list *node* labelled *name*, if any."""
        labels = self.labels(node)
        if not labels:
            return None
        if node.kind != "list":
            return next((i for i, label in labels.items() if label == name), None)
        index = self._label_index.get(node.at)
        if index is None:
            # Labels are unique: each names one item.
            index = self._label_index[node.at] = {v: i for i, v in labels.items()}
        return index.get(name)

    def _name(self, node: _BlockNode, starts: list[int], index: int) -> str | None:
        """Return the ``name`` of item *index* of the block list *node*, if a string.

        None if the item is no mapping or has no such name. An item is usually
        a mapping that starts with its name (``- name: ...``): that name is read
        from its line, making no node; the nodes the general way below makes
        are those :meth:`child` makes of the item when asked.
        """
        start = starts[index]
        text = self.text
        value = _spaces_end(text, start + node.col + 1)
        if (
            text.startswith("name:", value)
            and text[value + 5 : value + 6] in _KEY_END
            and start not in self._item_nodes
        ):
            after = _spaces_end(text, value + 5)
            if text[after : after + 1] not in _NO_VALUE:
                simple = self._simple_at(after, value - start)
                if simple is not None:
                    name = _fast_plain(simple)
                    return name if isinstance(name, str) else None
        item = self._item(node, starts, index)
        return self.string(self.child(item, "name")) if self.is_mapping(item) else None

    def steps(self, path: str, node: _BlockNode | None) -> Path:
        """Read *path* against the value of *node*, as :func:`parse_path` does.

        Raises:
            ValueError: *path* is not a path, or names an item *node* does not have.

        """
        parts = _path_steps(path)
        if parts is not None and parts[0] is not None:
            return parts[0]
        return _read_path(path, node, self.child, self.labels)  # type: ignore[arg-type]

    def line(self, path: Path) -> int:
        """Return the line of the value at *path*, else of its nearest parent."""
        return self.line_from(self.root, path)

    def line_from(self, node: _BlockNode, steps: Path) -> int:
        """Return the line of the value at *steps* from *node*, else of its parent."""
        place = self.place_from(node, steps)
        return self.text.count("\n", 0, place) + 1

    def place_from(self, node: _BlockNode, steps: Path) -> int:
        """Return where the value at *steps* from *node*, else its parent, is.

        :meth:`lines` tells the lines of such places: the starts of lines.
        """
        for step in steps:
            found = self.child(node, step)
            if found is None:
                break
            node = found
        return node.at

    def place(self, node: _BlockNode, path: str) -> int:
        """Return where the value at *path* read against *node*, else its parent, is.

        Where *node* is when *path* is not a path or names an item not there:
        what :func:`_deepest` finds, in a walk of its own for the step nearly
        every path takes, a key of a block mapping.
        """
        parts = _path_steps(path)
        if parts is None:
            return node.at
        members = self._members
        deepest = node
        current: _BlockNode | None = node
        for written in parts[1]:
            if isinstance(written, tuple):
                index = None if current is None else self._named(current, written[0])
                if index is None:
                    return node.at
                current = self.child(current, index)
            elif current is None:
                continue
            elif current.kind == "map" and isinstance(written, str):
                found = members.get((current.at, written), _UNSEEN)
                current = self._member(current, written) if found is _UNSEEN else found
            else:
                current = self.child(current, written)
            if current is not None:
                deepest = current
        return deepest.at

    def lines(self, places: Iterable[int]) -> dict[int, int]:
        """Return the 1-based line of each of *places*, the starts of lines."""
        return lines_of_offsets(self.text, places)

    def is_null(self, node: _BlockNode | None) -> bool:
        """Return whether *node* is absent or null."""
        return node is None or (self._read(node) == "value" and node.data is None)

    def is_mapping(self, node: _BlockNode | None) -> bool:
        """Return whether *node* is a mapping."""
        if node is None:
            return False
        kind = self._read(node)
        return kind == "map" or (kind == "value" and isinstance(node.data, dict))

    def string(self, node: _BlockNode | None) -> str | None:
        """Return the string *node* holds, None if it holds no string."""
        if node is not None and self._read(node) == "value":
            data = node.data
            return data if isinstance(data, str) else None
        return None

    def identifier(self, node: _BlockNode | None) -> str | None:
        """Return the id *node* holds as :func:`parse` reads an engagement's id.

        That is its string, or the text of a whole number as written (see
        :func:`_keep_id_text`); None if it holds neither. Raises
        :class:`YamlLayoutError` for a whole number not written on its key's
        line, whose text is not looked for.
        """
        if node is None:
            return None
        if node.start:  # a value written on its key's line
            simple = self._simple(node)
            if simple is not None:
                if node.kind == "inline":  # read as :meth:`_read` reads it
                    node.data = _fast_plain(simple)
                    node.kind = "value"
                if type(node.data) is int:
                    return simple
        text = self.string(node)
        if text is None and type(node.data) is int:
            raise YamlLayoutError
        return text

    # -- reading ---------------------------------------------------------------------

    def _known_member(self, node: _BlockNode, key: str) -> _BlockNode | None:
        """Return the value node of *key* in the block mapping *node*, if any."""
        found = self._members.get((node.at, key), _UNSEEN)
        return self._member(node, key) if found is _UNSEEN else found

    def _member(self, node: _BlockNode, key: str) -> _BlockNode | None:
        """Return the value node of *key* in the block mapping *node*, if any.

        Looked for once: the callers look in ``_members`` first.
        """
        spot = self._key_line(node, key + ":")
        if spot is None and key in self._quoted:
            for written in _quoted_forms(key):
                spot = self._key_line(node, written + ":")
                if spot is not None:
                    break
        if spot is None:
            found = None
        else:  # most values are on their key's line: made here, for speed
            line, after = spot
            text = self.text
            after = _spaces_end(text, after)
            if text[after : after + 1] not in _NO_VALUE:
                found = _BlockNode("inline", line, node.col, start=after)
            else:
                found = self._value(line, after, node.col, -1, mapping=True)
        self._members[node.at, key] = found
        if node is self.root and found is not None and found.kind in _BLOCKS:
            self._root_values.append(found)
        return found

    def _key_line(self, node: _BlockNode, written: str) -> tuple[int, int] | None:
        """Return where the line of the key *written* of mapping *node* starts.

        And where its value may start; None if the mapping has no such key.
        *written* is the key as written, with its colon.
        """
        text = self.text
        col = node.col
        at = node.at
        after = at + col + len(written)
        if text.startswith(written, at + col) and text[after : after + 1] in _KEY_END:
            return at, after
        needle = "\n" + " " * col + written
        size = len(needle)
        end = node.end
        if end < 0:
            end = self._end(node)
        spans = self._spans(written, end) if node is self.root else ((at, end),)
        for start, stop in spans:
            line = text.find(needle, start, stop)
            while line >= 0:
                if text[line + size : line + size + 1] in _KEY_END:
                    return line + 1, line + size
                line = text.find(needle, line + 1, stop)
        return None

    def _spans(self, written: str, end: int) -> list[tuple[int, int]]:
        """Return where to look for the key *written* of the root, in order.

        From the root's start to *end*, less what the root's values found so
        far that are block collections hold: a line starting with a key of
        the root, as *written* starts, ends each of them. Most of a portfolio
        is its list of engagements, which this skips when looking for
        ``defaults:``.
        """
        start = self.root.at
        if written[0] in _NOT_ROOT_KEY or "\n" in written:
            return [(start, end)]
        spans = []
        for value in sorted(self._root_values, key=lambda value: value.at):
            if value.end >= 0:
                spans.append((start, value.at))
                start = max(start, value.end - 1)
        spans.append((start, end))
        return spans

    def _end(self, node: _BlockNode) -> int:
        """Return where the block collection *node* ends: a line's start, or the end."""
        end = node.end
        if end < 0:
            text = self.text
            newline = text.find("\n", node.at)
            if node.kind == "list":
                pattern = _list_end(node.col)
            else:
                pattern = _dedent(node.owner + 1)
            match = None if newline < 0 else pattern.search(text, newline)
            end = node.end = len(text) if match is None else match.start() + 1
        return end

    def _item_list(self, node: _BlockNode) -> list[int]:
        """Return where the lines of the items of the block list *node* start."""
        starts = self._items.get(node.at)
        if starts is None:
            text = self.text
            starts = [node.at]
            if node.end < 0:  # its items and its end, in one search
                end = len(text)
                newline = text.find("\n", node.at)
                found = (
                    () if newline < 0 else _list_lines(node.col).finditer(text, newline)
                )
                for match in found:
                    if match.lastindex is None:
                        end = match.start() + 1
                        break
                    starts.append(match.start() + 1)
                node.end = end
            else:
                found = _item_starts(node.col).finditer(text, node.at, node.end)
                starts.extend(match.start() + 1 for match in found)
            self._items[node.at] = starts
        return starts

    def _item(self, node: _BlockNode, starts: list[int], index: int) -> _BlockNode:
        """Return the node of item *index* of the block list *node*, at *starts*."""
        start = starts[index]
        item = self._item_nodes.get(start)
        if item is None:
            index += 1
            end = starts[index] if index < len(starts) else self._end(node)
            text = self.text
            value = _spaces_end(text, start + node.col + 1)
            if _TEXT_KEY.match(text, value) or (
                self._quoted and _TEXT_QUOTED_KEY.match(text, value)
            ):
                item = _BlockNode("map", start, value - start, end)
            else:
                item = self._value(start, value, node.col, end, mapping=False)
            self._item_nodes[start] = item
        return item

    def _value(
        self, start: int, at: int, col: int, end: int, *, mapping: bool
    ) -> _BlockNode:
        """Return the node written from *at* on, after the key or dash of line *start*.

        *col* is the column of the collection holding it, a mapping if
        *mapping*. The node ends where a line starts at *end*, if known (not
        -1): else before the next line with a node at column *col* or less.
        """
        text = self.text
        at = _spaces_end(text, at)
        if text[at : at + 1] not in _NO_VALUE:
            return _BlockNode("inline", start, col, start=at)
        match = (
            _NEXT_NODE.search(text, at) if end < 0 else _NEXT_NODE.search(text, at, end)
        )
        if match is not None:
            below = match.start() + 1
            column = len(match[1])
            item = text[below + column + 1 : below + column + 2] in _KEY_END and (
                text[below + column] == "-"
            )
            if column > col:
                return _BlockNode("list" if item else "map", below, column, end, col)
            if column == col and mapping and item:
                return _BlockNode("list", below, column, end, col)
        return _BlockNode("value", start)

    def _simple(self, node: _BlockNode) -> str | None:
        """Return the text of *node*'s value if a plain scalar on one line, else None.

        The value of *node*, which is not read yet, is such a scalar when it
        starts as one, is all that is on its line, and the line after it
        continues no value.
        """
        return self._simple_at(node.start, node.col)

    def _simple_at(self, start: int, col: int) -> str | None:
        """Return what :meth:`_simple` does for a value at *start* in column *col*."""
        text = self.text
        end = text.find("\n", start)
        value = text[start:] if end < 0 else text[start:end]
        first = value[0]
        if (
            (first in _INDICATORS and (first not in "-?:" or value[1:2] in {"", " "}))
            or " #" in value
            or ": " in value
        ):
            return None
        value = value.rstrip(" ")
        if value[-1] == ":":  # pragma: no cover -- not in text the fast reader read
            return None
        if end >= 0:
            after = _spaces_end(text, end + 1)
            if text[after : after + 1] in {"", "\n"} or (
                after - end - 1 > col and text[after] != "#"
            ):
                return None
        return value

    def _read(self, node: _BlockNode) -> str:
        """Read the value of *node* if not read yet; return the node's kind."""
        if node.kind == "inline":
            text = self.text
            simple = self._simple(node)
            if simple is not None:
                node.data = _fast_plain(simple)
                node.kind = "value"
                return "value"
            match = _dedent(node.col + 1).search(text, node.start)
            end = len(text) if match is None else match.start() + 1
            reader = _FastYaml(text[node.at : end].split("\n"))
            node.data = reader.value(0, node.start - node.at, node.col)
            node.kind = "value"
        return node.kind


def _has(data: object, step: str | int) -> bool:
    """Return whether *data* has a value at *step*."""
    if isinstance(step, str):
        return isinstance(data, dict) and step in data
    return isinstance(data, list) and 0 <= step < len(data)


# -- TOML ----------------------------------------------------------------------

_TOML_ERROR_AT: Final = re.compile(
    r"\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)\Z"
)


def _toml_plain(
    container: dict[str, object] | list[object], kept: bool = False
) -> None:
    """Replace every date, date-time and time in *container* by its ISO string.

    Except under a key that starts with ``x-``, at any depth: those values are
    kept as TOML has them (*kept*), dates too.
    """
    items: Iterable[tuple[Any, object]] = (
        container.items() if isinstance(container, dict) else enumerate(container)
    )
    for key, value in items:
        if isinstance(value, (dict, list)):
            inner = kept or (type(key) is str and key.startswith("x-"))
            _toml_plain(value, inner)
        elif (
            isinstance(value, (dt.date, dt.time))
            and not kept
            and not (type(key) is str and key.startswith("x-"))
        ):
            container[key] = value.isoformat()


def _toml_error_location(error: tomllib.TOMLDecodeError, text: str) -> Location:
    """Return where a TOML decoding error is, from its attributes or its message."""
    line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return Location(line, column)
    match = _TOML_ERROR_AT.search(str(error))
    if match is None:
        return Location()
    if match["line"] is not None:
        return Location(int(match["line"]), int(match["column"]))
    last = text.rsplit("\n", 1)[-1]
    return Location(text.count("\n") + 1, len(last) + 1)


def _parse_toml(text: str, source: str | None, locate: bool) -> Parsed:
    """Read TOML *text*; see :func:`parse`.

    A key set twice is set aside (renamed to a key no file holds) and the text
    read again, so that the rest of the file is read: the first value of each
    such key is kept, and each is one of the ``problems``.
    """
    data, read, twice = _toml_data(text, source)
    try:
        _toml_plain(data)
    except RecursionError:
        where = _too_deep(text, _TOML_NESTING)
        raise _issue(source, where, f"invalid TOML: {_TOO_DEEP}") from None
    if not locate and not twice:
        return Parsed(data=data, source=source)
    scanner = _TomlScanner(read, data)
    if locate:  # while the data holds the keys set aside, as the text read does
        scanner.scan()
    problems = tuple(
        SyntaxIssue(source, where.line, where.column, message, path)
        for path, (_, where, message) in zip(
            _take_aside(data, [key for key, _, _ in twice]), twice, strict=True
        )
    )
    if not locate:
        raise SourceSyntaxError(problems[0], recoverable=True)
    lines = _Lines(read)  # where keys were set aside, lines are as long as read
    return Parsed(
        data=data,
        source=source,
        locations=lines.locations(_not_aside(scanner.values)),
        key_locations=lines.locations(_not_aside(scanner.keys)),
        problems=problems,
    )


def _toml_data(
    text: str, source: str | None
) -> tuple[dict[str, Any], str, list[tuple[str, Location, str]]]:
    """Return the data of TOML *text*, the text read, and the keys set aside.

    Each key set twice is set aside (see :func:`_set_aside`) with where it is
    and the message saying so.
    """
    read = text
    twice: list[tuple[str, Location, str]] = []
    most = 0 if _TOML_ASIDE_WRITTEN.search(text) else _TOML_ASIDE_MAX
    while True:
        try:
            return tomllib.loads(read), read, twice
        except tomllib.TOMLDecodeError as error:  # noqa: PERF203 -- a rare retry
            message = getattr(error, "msg", None)
            if not isinstance(message, str):
                message = _TOML_ERROR_AT.sub("", str(error))
            location = _toml_error_location(error, read)
            message, location = _toml_duplicate(message, location, read)
            again = [t for t in twice if t[1].line == location.line]
            if again:  # the key set aside is in a value: the statement is before
                _, location, message = again[0]
            aside = None
            if len(twice) < most and not again:
                aside = _set_aside(read, message, location, len(twice))
            if aside is None:
                raise _issue(source, location, message) from None
            read, key = aside
            twice.append((key, location, message))
        except ValueError:
            raise _long_number(text, source, "TOML") from None
        except RecursionError:
            where = _too_deep(text, _TOML_NESTING)
            raise _issue(source, where, f"invalid TOML: {_TOO_DEEP}") from None


#: How many keys set twice one TOML text may have set aside to be read; the
#: one after is refused on its own, with nothing else of the file read. None
#: is set aside in a text that holds the name they are set aside under.
_TOML_ASIDE_MAX: Final = 100
#: What a key set twice is renamed to, with its number, to read the rest of the
#: text: a key TOML text holds only written with an escape (``"\u0000set aside
#: 0"``), and then no key is set aside.
_TOML_ASIDE: Final = "\x00set aside "
_TOML_ASIDE_WRITTEN: Final = re.compile(r"\\(?:u0000|U00000000)set aside")


def _set_aside(
    text: str, message: str, location: Location, count: int
) -> tuple[str, str] | None:
    """Return *text* with the key *message* says is set twice renamed, and the key.

    The key at *location* is renamed to the *count*-th key set aside. None
    when *message* is about anything else.
    """
    number = location.line
    if not number:
        return None
    lines = text.split("\n")
    line = lines[number - 1]
    key = _TOML_KEY_AT.match(line)
    if key is None or not message.startswith(_TOML_SET_TWICE):
        return None
    lines[number - 1] = (
        f'{line[: key.start(1)]}"\\u0000set aside {count}"{line[key.end(1) :]}'
    )
    return "\n".join(lines), key[1]


def _take_aside(data: dict[str, object], keys: Sequence[str]) -> list[Path]:
    """Remove the keys set aside from *data*; return the path each key was set at.

    *keys* are the keys set twice as written, in the order they were set aside.
    """
    found: dict[int, Path] = {}
    pending: list[tuple[Path, object]] = [((), data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, list):
            pending.extend(((*path, i), item) for i, item in enumerate(value))
        elif isinstance(value, dict):
            for name in [k for k in value if k.startswith(_TOML_ASIDE)]:
                found[int(name.removeprefix(_TOML_ASIDE))] = path
                del value[name]
            pending.extend(((*path, k), item) for k, item in value.items())
    return [(*found.get(i, ()), *_key_parts(key)) for i, key in enumerate(keys)]


def _key_parts(key: str) -> Path:
    """Return the parts of a TOML key as written, dotted or quoted (``a."b.c"``)."""
    parts: list[str | int] = []
    value: object = tomllib.loads(f"{key} = 0")
    while isinstance(value, dict) and len(value) == 1:
        [(name, value)] = value.items()
        parts.append(name)
    return tuple(parts)


def _not_aside(places: Mapping[Path, int]) -> dict[Path, int]:
    """Return *places* without those of the keys set aside, or inside them."""
    return {
        path: at
        for path, at in places.items()
        if not any(isinstance(p, str) and p.startswith(_TOML_ASIDE) for p in path)
    }


_TOML_KEY_AT: Final = re.compile(
    r"[ \t]*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')"
    r"(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'))*)[ \t]*="
)
_TOML_TABLE_TWICE: Final = re.compile(r"Cannot declare (\(.*\)) twice")
_TOML_SET_TWICE: Final = "a value is set twice:"


def _toml_duplicate(
    message: str, location: Location, text: str
) -> tuple[str, Location]:
    """Return the message of a TOML error, naming the key of a duplicate.

    The TOML reader says "Cannot overwrite a value" at the end of a statement
    setting a key that is set already, and "Cannot declare ('a',) twice" of a
    table: both are said in the file's words, located at the line's key or
    table header.
    """
    line = text.split("\n")[location.line - 1] if location.line else ""
    table = _TOML_TABLE_TWICE.fullmatch(message)
    if table is not None:
        with contextlib.suppress(ValueError, SyntaxError):
            parts = ast.literal_eval(table[1])
            name = ".".join(
                p if _TOML_BARE_KEY.fullmatch(p) else json.dumps(p) for p in parts
            )
            if line:
                location = Location(location.line, line.find("[") + 1)
            return f"duplicate table `[{name}]`: a table may be declared once", location
    if message == "Cannot overwrite a value":
        key = _TOML_KEY_AT.match(line)
        if key is not None:
            message = (
                f"{_TOML_SET_TWICE} `{key[1]} = ...` sets a key that is set "
                "already; a key may appear once in a table"
            )
            return message, Location(location.line, key.start(1) + 1)
    return f"invalid TOML: {message}", location


_TOML_SKIP: Final = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_TOML_BLANK: Final = re.compile(r"[ \t]*")
_TOML_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_-]+")
_TOML_STRINGS: Final[Mapping[str, re.Pattern[str]]] = {
    '"""': re.compile(r'"""(?:[^"\\]+|\\.|"{1,2}(?!"))*"{3,5}', re.DOTALL),
    "'''": re.compile(r"'''(?:[^']+|'{1,2}(?!'))*'{3,5}"),
    '"': re.compile(r'"(?:[^"\\\n]+|\\.)*"'),
    "'": re.compile(r"'[^'\n]*'"),
}
_TOML_SCALAR: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[^\s,\]}#]*|[^\s,\]}#]+"
)


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Return where *pattern*, which may match nothing, ends when matched at *pos*."""
    match = pattern.match(text, pos)
    return pos if match is None else match.end()


def _table_child(value: object, step: str | int) -> object:
    """Return the value at *step* in *value*, which the path must have."""
    if isinstance(value, dict) and isinstance(step, str):
        return value[step]
    if isinstance(value, list) and isinstance(step, int):
        return value[step]
    raise _ScanError


class _TomlScanner:
    """Finds the offsets of the values and keys of valid TOML text.

    The data tomllib read from the same text resolves array-of-tables headers
    to list indices. Scanning stops quietly at anything unexpected, keeping what
    it found so far: locations are then approximate (a path's nearest located
    parent).
    """

    def __init__(self, text: str, data: dict[str, object]) -> None:
        self.text = text
        self.data = data
        self.pos = 0
        self.values: dict[Path, int] = {(): 0}
        self.keys: dict[Path, int] = {}
        self._implied: set[Path] = set()
        self._tables_seen: dict[Path, int] = {}

    def scan(self) -> None:
        """Record every value and key, as far as the text reads as expected."""
        try:
            self._document()
        except (_ScanError, IndexError, KeyError, TypeError, RecursionError):
            return

    def _skip(self) -> str:
        """Skip whitespace, newlines and comments; return the next character."""
        self.pos = _end(_TOML_SKIP, self.text, self.pos)
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _expect(self, token: str) -> None:
        self.pos = _end(_TOML_BLANK, self.text, self.pos)
        if not self.text.startswith(token, self.pos):
            raise _ScanError
        self.pos += len(token)

    def _mark(self, path: Path, offset: int, *, implied: bool = False) -> None:
        """Record that the value at *path* is at *offset*.

        A table implied by a dotted key or a header is located where it is first
        implied, unless it is later defined by its own header.
        """
        if implied:
            if path not in self.values:
                self.values[path] = offset
                self._implied.add(path)
        elif path not in self.values or path in self._implied:
            self.values[path] = offset
            self._implied.discard(path)

    def _document(self) -> None:
        table: Path = ()
        while self._skip():
            start = self.pos
            if self.text.startswith("[[", start):
                self.pos += 2
                table = self._header(self._key(), start, array=True)
                self._expect("]]")
            elif self.text[start] == "[":
                self.pos += 1
                table = self._header(self._key(), start, array=False)
                self._expect("]")
            else:
                self._key_value(table)

    def _header(self, key: list[tuple[str, int]], start: int, *, array: bool) -> Path:
        """Record a table header at *start*; return the path of its table."""
        path: Path = ()
        current: object = self.data
        last = len(key) - 1
        for i, (name, offset) in enumerate(key):
            path = (*path, name)
            current = _table_child(current, name)
            self.keys.setdefault(path, offset)
            if isinstance(current, list):
                if i == last and array:
                    self._mark(path, start, implied=True)
                    index = self._tables_seen.get(path, 0)
                    self._tables_seen[path] = index + 1
                    path = (*path, index)
                    self._mark(path, start)
                else:
                    path = (*path, self._tables_seen.get(path, len(current)) - 1)
                current = _table_child(current, path[-1])
            elif i == last:
                self._mark(path, start)
                self.keys[path] = offset
            else:
                self._mark(path, start, implied=True)
        return path

    def _key(self) -> list[tuple[str, int]]:
        """Read a possibly dotted key: its parts and their offsets."""
        text = self.text
        parts: list[tuple[str, int]] = []
        while True:
            self.pos = _end(_TOML_BLANK, text, self.pos)
            start = self.pos
            char = text[start]
            if char in "\"'":
                match = _TOML_STRINGS[char].match(text, start)
                if match is None:
                    raise _ScanError
                quoted = match.group()
                name = (
                    quoted[1:-1] if char == "'" else tomllib.loads(f"k={quoted}")["k"]
                )
                self.pos = match.end()
            else:
                match = _TOML_BARE_KEY.match(text, start)
                if match is None:
                    raise _ScanError
                name = match.group()
                self.pos = match.end()
            parts.append((name, start))
            self.pos = _end(_TOML_BLANK, text, self.pos)
            if not text.startswith(".", self.pos):
                return parts
            self.pos += 1

    def _key_value(self, table: Path) -> None:
        """Read ``key = value`` in *table*."""
        key = self._key()
        path = table
        for name, offset in key[:-1]:
            path = (*path, name)
            self._mark(path, offset, implied=True)
            self.keys.setdefault(path, offset)
        name, offset = key[-1]
        path = (*path, name)
        self.keys[path] = offset
        self._expect("=")
        self.pos = _end(_TOML_BLANK, self.text, self.pos)
        self._value(path)

    def _value(self, path: Path) -> None:
        """Read the value at the current position, which is at *path*."""
        text = self.text
        start = self.pos
        self._mark(path, start)
        char = text[start]
        if char == "[":
            self.pos += 1
            index = 0
            while self._skip() != "]":
                self._value((*path, index))
                index += 1
                if self._skip() == ",":
                    self.pos += 1
            self.pos += 1
        elif char == "{":
            self.pos += 1
            while self._skip() != "}":
                self._key_value(path)
                if self._skip() == ",":
                    self.pos += 1
            self.pos += 1
        else:
            pattern = _TOML_STRINGS.get(text[start : start + 3]) or _TOML_STRINGS.get(
                char, _TOML_SCALAR
            )
            match = pattern.match(text, start)
            if match is None:
                raise _ScanError
            self.pos = match.end()


_READERS: Final[Mapping[str, Callable[[str, str | None, bool], Parsed]]] = {
    "yaml": _parse_yaml,
    "json": _parse_json,
    "toml": _parse_toml,
}
