"""Engagement file text (YAML, JSON, TOML) to plain data, with where each value is."""

from __future__ import annotations

import ast
import bisect
import contextlib
import datetime as dt
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

__all__ = [
    "Format",
    "Location",
    "Parsed",
    "Path",
    "SourceSyntaxError",
    "SyntaxIssue",
    "YamlDumper",
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
    names: dict[str, int] = {}
    counts: dict[str, int] = {}
    for index, item in enumerate(items):
        if isinstance(item, Mapping):
            name = item.get("name")
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
            step = _resolve_selector(match[3], current, text)
        steps.append(step)
        current = _child(current, step)
        pos = match.end()
    return tuple(steps)


def _child(value: object, step: str | int) -> object:
    """Return the value at *step* in *value*, or None if there is none."""
    if isinstance(step, str):
        return value.get(step) if isinstance(value, Mapping) else None
    if isinstance(value, list) and 0 <= step < len(value):
        return value[step]
    return None


def _resolve_selector(selector: str, items: object, text: str) -> int:
    """Return the index a ``[selector]`` of the path *text* names in *items*."""
    if _INDEX.match(selector):
        return int(selector)
    if isinstance(items, list):
        for index, name in _item_labels(items).items():
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


def _parse_json(text: str, source: str | None, locate: bool) -> Parsed:
    """Read JSON *text*; see :func:`parse`."""
    try:
        try:
            data = json.loads(text, object_pairs_hook=_json_object)
        except _DuplicateKeyError:
            duplicate = True
            # The rest of the text must be valid JSON too: read it all.
            data = json.loads(text, object_pairs_hook=_first_wins)
        else:
            duplicate = False
    except json.JSONDecodeError as error:
        location = Location(error.lineno, error.colno)
        raise _issue(source, location, f"invalid JSON: {error.msg}") from None
    except RecursionError:
        raise _issue(source, None, f"invalid JSON: {_TOO_DEEP}") from None
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
    except RecursionError:
        raise _issue(source, None, f"invalid TOML: {_TOO_DEEP}") from None
    _toml_plain(data)
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
