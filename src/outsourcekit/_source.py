"""Engagement file text (YAML, JSON, TOML) to plain data, with where each value is."""

from __future__ import annotations

import ast
import bisect
import contextlib
import datetime as dt
import functools
import json
import math
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeAlias

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
    "YamlDumper",
    "YamlLayoutError",
    "YamlText",
    "detect_format",
    "format_path",
    "format_position",
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
    tags that would build objects and YAML mapping keys that are not scalars.
    """

    source: str | None
    line: int | None
    column: int | None
    message: str
    #: The path of the key written twice, for those issues; else ``()``.
    path: Path = ()

    def __str__(self) -> str:
        """Render as ``file:line:column: message``."""
        return f"{format_position(self.source, self.line, self.column)}: {self.message}"


class SourceSyntaxError(ValueError):
    """A file's text could not be read as plain data; ``issue`` says why and where.

    ``recoverable`` is true when the only trouble is keys written twice (in YAML
    or JSON): read with locations, the text then gives its data, the first value
    of each key kept, and every such key in :attr:`Parsed.problems`, so that the
    rest of the file can still be checked.
    """

    issue: SyntaxIssue

    def __init__(self, issue: SyntaxIssue, *, recoverable: bool = False) -> None:
        """Wrap *issue*; the message is ``file:line:column: message``."""
        super().__init__(issue)
        self.issue = issue
        self.recoverable = recoverable


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
    """

    data: object
    source: str | None = None
    locations: Mapping[Path, Location] = attrs.field(factory=dict)
    key_locations: Mapping[Path, Location] = attrs.field(factory=dict)
    problems: tuple[SyntaxIssue, ...] = ()

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


def parse(
    text: str,
    format: Format,  # noqa: A002 -- the public name; the builtin is not needed here
    *,
    source: str | None = None,
    locations: bool = True,
) -> Parsed:
    """Read *text* in *format* as plain data, with locations if *locations* is true.

    *source* names the file in locations and errors. Without *locations* no
    locations are recorded, which is close to the speed of the bare parser: the
    caller reads every file that way and reads a file again with locations only
    when it has errors to report.

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
      ``"1979-05-27T07:32:00+00:00"``.

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
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise _issue(
            source,
            _Lines(text).location(surrogate.start()),
            f"invalid text: U+{ord(surrogate.group()):04X} is half of a surrogate "
            "pair, not a Unicode character",
        )
    return reader(text, source, locations)


# -- Paths ---------------------------------------------------------------------


_BRACKETS: Final = frozenset("[]")
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
        and not _INDEX.match(name)
        and not _BRACKETS & set(name)
    }


def format_path(path: Path, data: object | None = None) -> str:
    """Write *path* the one way paths are written: ``kpis[close-time].target``.

    Keys are joined with dots. A list item is written ``list[name]`` when it is a
    mapping whose ``name`` is a string unique within the list (and not all
    digits, not empty and without brackets, so that it reads back as a name),
    else ``list[i]`` with its 0-based index. Names are looked up in *data*, the
    root the path starts from; without it, items are written by index. The root
    path ``()`` is ``""``.
    """
    parts: list[str] = []
    current: object = data
    for step in path:
        if isinstance(step, str):
            parts.append(f".{step}" if parts else step)
        elif isinstance(current, list):
            parts.append(f"[{_item_labels(current).get(step, step)}]")
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


class _Lines:
    """Turns character offsets into 1-based lines and columns."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(match.end() for match in re.finditer("\n", text))

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


def _surrogate_path(data: object, steps: Path = ()) -> Path | None:
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
        found = _surrogate_path(value, (*steps, key))
        if found is not None:
            return found
    return None


def _refuse_surrogates(data: object, text: str, source: str | None) -> None:
    """Raise when JSON escapes gave a lone surrogate: text is Unicode characters."""
    match = _LONE_SURROGATE.search(text)
    if match is None:
        return
    steps = _surrogate_path(data)
    if steps is None:  # pragma: no cover -- the escape made a surrogate somewhere
        return
    raise _issue(
        source,
        _Lines(text).location(match.start()),
        f"invalid text at {format_path(steps, data) or 'the top'}: "
        f"{match.group()} is half of a surrogate pair, not a Unicode character",
    )


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
    """


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

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message

    def issue(self, source: str | None, path: Path = ()) -> SyntaxIssue:
        """Return this error as the issue of *source*, about *path*."""
        where = _node_location(self.node)
        return SyntaxIssue(source, where.line, where.column, self.message, path)


class _YamlDuplicateError(_YamlError):
    """A key is written twice in one mapping."""


_MAX_REPEATED: Final = 1_000_000


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
        #: Keys written twice, collected when locating; raised at once otherwise.
        self.duplicates: list[tuple[Path, _YamlError]] = []
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
            return self._scalar(node)
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
            else:
                msg = f"{value!r} is not a valid {_show_tag(tag)} value"
            raise _YamlError(node, msg) from None

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
        return result

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


def _yaml_error_message(error: yaml.MarkedYAMLError) -> str:
    """Return the message of a YAML parser error, its context included."""
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


def _parse_yaml(text: str, source: str | None, locate: bool) -> Parsed:
    """Read YAML *text*; see :func:`parse`."""
    try:
        loader = _YAML_LOADER(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return Parsed(data=None, source=source)
        builder = _YamlBuilder(locate=locate)
        data = builder.build(node, ())
        duplicates = tuple(d.issue(source, where) for where, d in builder.duplicates)
    except yaml.reader.ReaderError as error:
        location = _Lines(text).location(error.position)
        message = f"invalid YAML: character #x{error.character:04x}: {error.reason}"
        raise _issue(source, location, message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(mark.line + 1, mark.column + 1) if mark else None
        raise _issue(source, where, _yaml_error_message(error)) from None
    except yaml.YAMLError as error:
        raise _issue(source, None, f"invalid YAML: {error}") from None
    except _YamlError as error:
        recoverable = isinstance(error, _YamlDuplicateError)
        raise SourceSyntaxError(error.issue(source), recoverable=recoverable) from None
    except RecursionError:
        raise _issue(source, None, f"invalid YAML: {_TOO_DEEP}") from None
    return Parsed(
        data=data,
        source=source,
        locations=builder.values,
        key_locations=builder.keys,
        problems=duplicates,
    )


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


def _json_data(text: str, source: str | None) -> tuple[object, bool]:
    """Return the data of JSON *text* and whether a key is written twice in it."""
    try:
        try:
            data = json.loads(text, object_pairs_hook=_json_object)
        except _DuplicateKeyError:
            # The rest of the text must be valid JSON too: read it all.
            return json.loads(text, object_pairs_hook=_first_wins), True
    except json.JSONDecodeError as error:
        location = Location(error.lineno, error.colno)
        raise _issue(source, location, f"invalid JSON: {error.msg}") from None
    except ValueError:
        raise _long_number(text, source, "JSON") from None
    except RecursionError:
        raise _issue(source, None, f"invalid JSON: {_TOO_DEEP}") from None
    return data, False


def _parse_json(text: str, source: str | None, locate: bool) -> Parsed:
    """Read JSON *text*; see :func:`parse`."""
    data, duplicate = _json_data(text, source)
    if "\\u" in text:
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


@functools.cache
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
    the text is not valid JSON after all.
    """

    def __init__(self, text: str) -> None:
        """Read nothing of *text* yet."""
        self.text = text
        #: Objects laid out a member per line: the line break before the first
        #: member, that break and the members' indentation, and the closing line.
        self._blocks: dict[int, tuple[int, str, int]] = {}
        self._members: dict[tuple[int, str], int | None] = {}
        #: Lists laid out an item per line: where each item starts, and where the
        #: closing line is.
        self._items: dict[int, tuple[list[int], int]] = {}

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
        if found < 0 and start != newline:
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
        items = laid_out[0]
        return items[index] if 0 <= index < len(items) else None

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
        count = self.text.count
        found: dict[int, int] = {}
        line, last = 1, 0
        for offset in sorted(set(offsets)):
            line += count("\n", last, offset)
            found[offset] = line
            last = offset
        return found

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
            steps = self._steps(at, written, end)
            if steps is None:
                return None, at, False
        deepest, whole = self.follow(at, steps, end)
        return steps, deepest, whole

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

    def _steps(
        self, at: int, written: tuple[_Written, ...], end: int | None
    ) -> Path | None:
        """Return the steps of a path written *written*, its names looked up."""
        steps: list[str | int] = []
        current: int | None = at
        for step in written:
            if isinstance(step, tuple):
                index = self._named(current, step[0])
                if index is None:
                    return None
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
            end = None
        return tuple(steps)

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
        if laid_out is not None:
            starts, end = laid_out
            block = self._blocks.get(starts[0]) or self._block(starts[0], None)
            if block is not None:
                needle = block[1] + '"name": ' + _key_token(name)
                found = text.find(needle, starts[0], end)
                if found >= 0 and text.find(needle, found + 1, end) < 0:
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

    def _list(self, at: int) -> tuple[list[int], int] | None:
        """Return where the items of the list at *at* start, and where it closes.

        None unless the list is laid out an item per line.
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
        items = [first]
        pattern = _items_pattern(indent)
        items.extend(match.end() - 1 for match in pattern.finditer(text, first, end))
        laid_out = self._items[at] = (items, end)
        return laid_out

    def _block(self, at: int, end: int | None) -> tuple[int, str, int] | None:
        """Return how the object at *at* is laid out, if a member per line."""
        text = self.text
        first = self._first(at, "{")
        if first is None:
            return None
        newline = text.rfind("\n", at, first)
        if newline < 0:
            return None
        indent = text[newline + 1 : first]
        if end is None:
            end = self._end_of(at, indent, first, "}")
        else:
            self._end_of(at, indent, first, "")
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
        text = text.removeprefix("\ufeff")
        loader = _LazyCoreLoader(text)
        try:
            root = loader.get_single_node()
        except yaml.YAMLError:
            raise YamlLayoutError from None
        finally:
            loader.dispose()
        if root is None:
            raise YamlLayoutError
        if _may_not_follow(text):
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
        return _read_path(path, node, cls.child, cls.labels)

    def line(self, path: Path) -> int:
        """Return the line of the value at *path*, else of its nearest parent."""
        node = self.root
        for step in path:
            found = self.child(node, step)
            if found is None:
                break
            node = found
        return node.start_mark.line + 1

    @staticmethod
    def is_null(node: yaml.Node | None) -> bool:
        """Return whether *node* is absent or null."""
        return node is None or (
            isinstance(node, yaml.ScalarNode) and _scalar_tag(node) == _NULL
        )

    @staticmethod
    def string(node: yaml.Node | None) -> str | None:
        """Return the string *node* holds, None if it holds no string."""
        return _node_str(node)


def _node_str(node: yaml.Node | None) -> str | None:
    """Return the string a scalar *node* reads as, None if it reads as none."""
    if isinstance(node, yaml.ScalarNode) and _scalar_tag(node) in _PLAIN_STR:
        return node.value  # type: ignore[no-any-return]
    return None


_NODE_INDICATORS: Final = re.compile(r"[!&*?\[{]")
_BREAKS: Final = "\r\n\x85\u2028\u2029"
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


# -- TOML ----------------------------------------------------------------------

_TOML_ERROR_AT: Final = re.compile(
    r"\s*\((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)\Z"
)


def _toml_plain(container: dict[str, object] | list[object]) -> None:
    """Replace every date, date-time and time in *container* by its ISO string."""
    if isinstance(container, dict):
        for key, value in container.items():
            if isinstance(value, (dict, list)):
                _toml_plain(value)
            elif isinstance(value, (dt.date, dt.time)):
                container[key] = value.isoformat()
    else:
        for index, value in enumerate(container):
            if isinstance(value, (dict, list)):
                _toml_plain(value)
            elif isinstance(value, (dt.date, dt.time)):
                container[index] = value.isoformat()


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
    """Read TOML *text*; see :func:`parse`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = getattr(error, "msg", None)
        if not isinstance(message, str):
            message = _TOML_ERROR_AT.sub("", str(error))
        location = _toml_error_location(error, text)
        message, location = _toml_duplicate(message, location, text)
        raise _issue(source, location, message) from None
    except ValueError:
        raise _long_number(text, source, "TOML") from None
    except RecursionError:
        raise _issue(source, None, f"invalid TOML: {_TOO_DEEP}") from None
    try:
        _toml_plain(data)
    except RecursionError:
        raise _issue(source, None, f"invalid TOML: {_TOO_DEEP}") from None
    if not locate:
        return Parsed(data=data, source=source)
    scanner = _TomlScanner(text, data)
    scanner.scan()
    lines = _Lines(text)
    return Parsed(
        data=data,
        source=source,
        locations=lines.locations(scanner.values),
        key_locations=lines.locations(scanner.keys),
    )


_TOML_KEY_AT: Final = re.compile(
    r"[ \t]*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*')"
    r"(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'))*)[ \t]*="
)
_TOML_TABLE_TWICE: Final = re.compile(r"Cannot declare (\(.*\)) twice")


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
                f"a value is set twice: `{key[1]} = ...` sets a key that is set "
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
