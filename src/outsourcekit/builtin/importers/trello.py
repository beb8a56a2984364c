"""Tasks and milestones from a Trello board's JSON export.

Trello writes a board's JSON export from the board's menu (*Print, export and
share* → *Export as JSON*); it holds the board's lists, cards, checklists and
its most recent actions, in the shapes of Trello's REST API. :func:`read_board`
reads one into an engagement fragment:

* each open card of an open list that is not a *done list* becomes a task:
  its name, its due date, its checklists' items as the task's ``checklist``
  and its description as the task's ``instructions``;
* each open card of a done list becomes a milestone: its name, its due date,
  ``done_on`` the day the card was moved to (or created in) that list, and
  its comments as the milestone's ``updates``;
* archived cards and the cards of archived lists are left out.

Trello keeps date-times in UTC; they become dates in the time zone of the
``timezone`` option (the client's, for the dates to mean what the engagement
file's dates mean). What Trello knows that the file format has no place for
is kept under ``x-trello-`` keys: the card's list, labels and link.

Each task and milestone is located at its card in the export (line and
column), with the card's name and id, so that a load error points at the card.
A card that cannot be read (a malformed due date, say) is a problem located
at that card; the other cards are still read. A card whose id an earlier card
of the file has is a problem located at its id, and is left out.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os  # noqa: TC003 - evaluated by the API docs
import re
import unicodedata
from collections.abc import Mapping  # noqa: TC003 - evaluated by the API docs
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from outsourcekit.engine import Option
from outsourcekit.io import MAX_FILE_BYTES, json_duplicates, json_error_text
from outsourcekit.model import TimeZone
from outsourcekit.plugins import (
    Imported,
    Importer,
    ImportProblem,
    did_you_mean,
    short_repr,
)

from ._json import (
    KeyTwiceError,
    long_number_at,
    max_digits,
    unique_keys,
    wide_encoding,
)
from ._zones import TimeZoneOption

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "DONE_LIST_NAMES",
    "OPTIONS",
    "TRELLO_IMPORTER",
    "is_board",
    "read_board",
]

#: The names of the lists taken for done lists when the ``done-lists`` option
#: names none, compared as words: case, emoji and punctuation aside, so that
#: ``✅ Done!`` and ``COMPLETED`` are done lists.
DONE_LIST_NAMES: Final = frozenset({"done", "complete", "completed", "finished"})


#: The importer's options, validated by the loader like rule options.
OPTIONS: Final[Mapping[str, Option]] = MappingProxyType(
    {
        "done-lists": Option(
            default=(),
            type=tuple,
            help="Lists whose cards are done and become milestones (default: "
            "lists named Done, Complete, Completed or Finished, in any case, "
            "emoji and punctuation aside).",
        ),
        "lists": Option(
            default=(),
            type=tuple,
            help="Lists whose open cards become tasks (default: every open list "
            "that is not a done list).",
        ),
        "labels": Option(
            default=(),
            type=tuple,
            help="Only cards with at least one of these labels are read "
            "(default: every card), for a board shared by several engagements.",
        ),
        "timezone": TimeZoneOption(
            default="UTC",
            help="The time zone in which Trello's UTC date-times become dates: "
            "the client's, such as Europe/London (under imports:, the "
            "engagement's client.timezone by default).",
        ),
    }
)

_Step = str | int
_DataPath = tuple[_Step, ...]

#: The top-level arrays of an export whose items are located in its text.
_LOCATED: Final = frozenset({"cards", "lists", "checklists", "actions"})
_SPACE: Final = re.compile(r"[ \t\r\n]*")
#: A key of an object, and what follows it up to its value.
_KEY: Final = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")[ \t\r\n]*:[ \t\r\n]*')
#: A key of an object with a plain value (text, a number, true, false, null),
#: and what follows it up to the next key, in text known to be JSON.
_PLAIN_MEMBER: Final = (
    r'"[^"\\]*(?:\\.[^"\\]*)*"[ \t\r\n]*:[ \t\r\n]*'
    r'(?:"[^"\\]*(?:\\.[^"\\]*)*"|-?[0-9][-+.0-9eE]*|-?Infinity|NaN|true|false|null)'
    r"[ \t\r\n]*,?[ \t\r\n]*"
)
_AFTER: Final = re.compile(r"[ \t\r\n]*(?:,[ \t\r\n]*)?")
_COLON: Final = re.compile(r"[ \t\r\n]*:[ \t\r\n]*")
_DECODER: Final = json.JSONDecoder()
#: Reads the items of an export, refusing a key written twice.
_CHECKED: Final = json.JSONDecoder(object_pairs_hook=unique_keys)
#: How many characters apart the text is marked, to find lines.
_MARK_EVERY: Final = 1024
#: How many steps the path of an item of a top-level array has.
_ITEM_DEPTH: Final = 2
#: Top-level keys of a board that other JSON documents hardly have together.
_BOARD_KEYS: Final = ("idOrganization", "labelNames", "prefs")
_HEAD_BOARD_KEY: Final = re.compile(r'"(?:idOrganization|labelNames)"\s*:')
_HEAD_ITEMS_KEY: Final = re.compile(r'"(?:cards|lists|actions)"\s*:\s*\[')
_LONE_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: Actions that put a card into a list, and where they name that list.
_ENTERING: Final = MappingProxyType(
    {
        "updateCard": "listAfter",
        "createCard": "list",
        "copyCard": "list",
        "moveCardToBoard": "list",
        "convertToCardFromCheckItem": "list",
        "emailCard": "list",
    }
)
_EXPECTED_BOARD: Final = (
    "a Trello board export: a JSON object with `cards` and `lists` "
    "(the board's menu: Print, export and share, then Export as JSON)"
)
_EXPECTED_TIME: Final = "a date-time like 2026-01-31T17:00:00.000Z"
#: The range of dates of the file format (format.md, "dates").
_FIRST_DAY: Final = dt.date(1900, 1, 1)
_LAST_DAY: Final = dt.date(2999, 12, 31)


# -- Recognising an export ---------------------------------------------------------


def is_board(head: str) -> bool:
    """Whether *head*, the start of a ``.json`` file, is a Trello board export.

    A whole board is a JSON object with ``cards`` and ``lists`` arrays and one
    of the keys only boards have together (``idOrganization``, ``labelNames``,
    ``prefs``). When *head* is only the start of a larger file, it is enough
    that it opens an object holding ``idOrganization`` or ``labelNames`` and
    an array of ``cards``, ``lists`` or ``actions`` (an export writes its
    actions before its cards, and they can fill the first 64 KiB).
    """
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return False
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return bool(_HEAD_BOARD_KEY.search(text) and _HEAD_ITEMS_KEY.search(text))
    return _looks_like_board(data)


def _looks_like_board(data: object) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("cards"), list)
        and isinstance(data.get("lists"), list)
        and any(key in data for key in _BOARD_KEYS)
    )


# -- Reading -----------------------------------------------------------------------


class _BadOptionsError(Exception):
    """Options a direct call gave that the loader would have refused."""


def read_board(path: str | os.PathLike[str], options: Mapping[str, Any]) -> Imported:
    """Read the Trello board export at *path* into an engagement fragment.

    *options* are the importer's (:data:`OPTIONS`; missing ones take their
    defaults): ``done-lists``, ``lists`` and ``labels`` (list names, label
    names) and ``timezone``. The fragment holds ``tasks`` and ``milestones``;
    see the module's documentation for what each card becomes.
    ``TRELLO_IMPORTER.read(path, options)`` checks the options first, as the
    loader does.

    Nothing is raised for what the file holds: a file that is not a board
    export is one problem and no data, a card that cannot be read is a problem
    located at the card while the other cards are still read. A key written
    twice in an object is a problem where it is written again, and no data.
    """
    try:
        settings = _Settings.of(options)
    except _BadOptionsError as error:
        return Imported(problems=tuple(ImportProblem(message=m) for m in error.args))
    source = Path(path)
    text = _read_text(source)
    if isinstance(text, ImportProblem):
        return Imported(problems=(text,))
    layout = _Layout(text)
    board = _parse(layout)
    if isinstance(board, ImportProblem):
        return Imported(problems=(board,))
    if isinstance(board, tuple):
        return Imported(problems=board)
    return _Board(board, layout, settings).read()


def _read_text(path: Path) -> str | ImportProblem:
    """Return the file's text, or the problem that keeps it from being read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return ImportProblem(
                message=f"the file is {size:,} bytes, more than the "
                f"{MAX_FILE_BYTES:,} bytes a file may have"
            )
        data = path.read_bytes()
    except OSError as error:
        return ImportProblem(message=f"cannot read the file: {error.strerror}")
    wide = wide_encoding(data)
    if wide is not None:
        return ImportProblem(
            message=f"expected UTF-8 text, got {wide} (the file starts with the "
            f"byte-order mark of {wide}): save the export as UTF-8, in which JSON "
            "files are exchanged",
            line=1,
            column=1,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return ImportProblem(
            message=f"expected UTF-8 text, got byte 0x{data[error.start]:02x}",
            line=line,
            column=column,
        )


def _parse(layout: _Layout) -> Any:
    """Return the board in the text of *layout*, or the problem that it is not one.

    Keys written twice are problems, one each (a tuple of them): which value
    was meant is unknown, as in an engagement file.
    """
    try:
        data = layout.read()
    except (ValueError, RecursionError):
        # Text that does not read at once is read whole, to say why.
        data = _decoded(layout.text)
    if isinstance(data, (ImportProblem, tuple)):
        return data
    if not isinstance(data, dict):
        return ImportProblem(
            message=f"expected {_EXPECTED_BOARD}, got {_kind(data)}", line=1
        )
    missing = [k for k in ("cards", "lists") if k not in data]
    if missing:
        names = " and ".join(f"`{k}`" for k in missing)
        return ImportProblem(
            message=f"expected {_EXPECTED_BOARD}; this object has no {names}",
            line=1,
        )
    return data


def _decoded(text: str) -> Any:
    """Return the data of JSON *text*, or its problem, or its keys written twice."""
    try:
        try:
            return json.loads(text, object_pairs_hook=unique_keys)
        except KeyTwiceError:
            # The rest of the text must be JSON too: read it all.
            data = json.loads(text)
    except json.JSONDecodeError as error:
        return ImportProblem(
            message=(
                f"invalid JSON: {json_error_text(error)}; expected {_EXPECTED_BOARD}"
            ),
            line=error.lineno,
            column=error.colno,
        )
    except RecursionError:
        return ImportProblem(message="invalid JSON: nested too deeply to be read")
    except ValueError:
        at = long_number_at(text)
        return ImportProblem(
            message=f"invalid JSON: a number has more than {max_digits():,} digits",
            line=None if at is None else at[0],
            column=None if at is None else at[1],
        )
    return tuple(
        ImportProblem(
            message=issue.message,
            line=issue.line,
            column=issue.column,
            where=issue.path,
        )
        for issue in json_duplicates(text, data)
    )


def _kind(value: object) -> str:
    """Name the JSON kind of *value* the way messages show it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({short_repr(value)})"
    if isinstance(value, list):
        return "an array"
    return "an object"


class _Settings:
    """The options of one read, checked and in the forms the reader uses."""

    def __init__(
        self,
        done_lists: tuple[str, ...],
        lists: tuple[str, ...],
        labels: tuple[str, ...],
        zone: dt.tzinfo,
    ) -> None:
        self.done_lists = done_lists
        self.lists = lists
        self.labels = labels
        self.zone = zone

    @classmethod
    def of(cls, options: Mapping[str, Any]) -> _Settings:
        """Read *options*, filling defaults; raise for unknown or wrong ones.

        Every problem of the options is in the error, one a line, in the
        order given.
        """
        problems: list[str] = []
        for name in options:
            if name not in OPTIONS:
                hint = did_you_mean(str(name), OPTIONS)
                problems.append(f"importer 'trello' has no option {name!r}{hint}")
        values = {
            name: _option_value(name, options.get(name, option.default), problems)
            for name, option in OPTIONS.items()
        }
        if problems:
            raise _BadOptionsError(*problems)
        zone = TimeZone.parse(values["timezone"]).tzinfo
        return cls(values["done-lists"], values["lists"], values["labels"], zone)


def _option_value(name: str, value: object, problems: list[str]) -> Any:
    """Return *value* checked by option *name*; else note the problem, give None."""
    try:
        return OPTIONS[name].validate(name, value)
    except ValueError as error:
        problems.append(str(error))
        return None


def _key(name: str) -> str:
    """Return *name* as list and label names are compared: words, case aside.

    Emoji and punctuation are left out (``✅ Done!`` is ``done``); a name of
    nothing but those is compared as written, case aside.
    """
    chars = (
        c if unicodedata.category(c)[0] in "LN" else " "
        for c in unicodedata.normalize("NFKC", name).casefold()
    )
    words = " ".join("".join(chars).split())
    return words or name.strip().casefold()


# -- Locations in the text ---------------------------------------------------------


class _UnreadError(ValueError):
    """Where the text stops being a JSON object, found while reading it."""


class _Layout:
    """The text of an export, read along with where its items are.

    :meth:`read` reads the top-level object key by key, and each item of
    ``cards``, ``lists``, ``checklists`` and ``actions`` by the JSON decoder on
    its own, noting where each top-level key and each such item starts and
    ends. Where a key of an item is written is found only when asked for, and
    mostly by the regular expression engine: an item's object and array
    values are found once, in the order of its data (the order of its text),
    and a key between two of them is found by passing over as many keys with
    a plain value (text, a number, true, false, null) as come before it. The
    items of most top-level arrays are never looked into (the actions of the
    cards that are not read), and an item written on one line (as Trello
    writes its exports) not even for a line.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.data: Any = None
        self.starts: dict[_DataPath, int] = {}
        self.ends: dict[_DataPath, int] = {}
        self.keys: dict[_DataPath, int] = {}
        self._nested: dict[_DataPath, list[tuple[int, int]]] = {}
        self._single: dict[_DataPath, int | None] = {}
        self._marks: list[tuple[int, int]] | None = None

    def read(self) -> Any:
        """Return the data of the text, noting where the located items are.

        Raise :class:`ValueError` (:class:`KeyTwiceError` for a key written
        twice) or :class:`RecursionError` for text that does not read, which
        is then read whole to say why.
        """
        text, scan = self.text, _CHECKED.raw_decode
        pos = _space(text, 0)
        if not text.startswith("{", pos):
            return json.loads(text, object_pairs_hook=unique_keys)
        pairs: list[tuple[str, Any]] = []
        pos = _space(text, pos + 1)
        more = not text.startswith("}", pos)
        while more:
            if not text.startswith('"', pos):
                raise _UnreadError(pos)
            start = pos
            key, pos = scan(text, pos)
            self.keys[(key,)] = start
            colon = _COLON.match(text, pos)
            if colon is None:
                raise _UnreadError(pos)
            pos = colon.end()
            value: Any
            if key in _LOCATED and text.startswith("[", pos):
                value, pos = self._items(pos, (key,))
            else:
                value, pos = scan(text, pos)
            pairs.append((key, value))
            pos = _space(text, pos)
            more = text.startswith(",", pos)
            if more:
                pos = _space(text, pos + 1)
            elif not text.startswith("}", pos):
                raise _UnreadError(pos)
        if _space(text, pos + 1) != len(text):
            raise _UnreadError(pos + 1)
        self.data = unique_keys(pairs)
        return self.data

    def _items(self, pos: int, path: _DataPath) -> tuple[list[Any], int]:
        """Read the array opening at *pos*, noting where each item is."""
        text, scan = self.text, _CHECKED.raw_decode
        starts, ends = self.starts, self.ends
        items: list[Any] = []
        pos = _space(text, pos + 1)
        if text.startswith("]", pos):
            return items, pos + 1
        while True:
            at = (*path, len(items))
            starts[at] = pos
            item, pos = scan(text, pos)
            ends[at] = pos
            items.append(item)
            pos = _space(text, pos)
            if text.startswith(",", pos):
                pos = _space(text, pos + 1)
            elif text.startswith("]", pos):
                return items, pos + 1
            else:
                raise _UnreadError(pos)

    def _value(self, path: _DataPath) -> Any:
        """Return the data at *path*, None if there is none."""
        value = self.data
        for step in path:
            if isinstance(value, dict) and isinstance(step, str):
                value = value.get(step)
            elif isinstance(value, list) and isinstance(step, int):
                value = value[step] if 0 <= step < len(value) else None
            else:
                return None
        return value

    def _key(self, path: _DataPath, key: str) -> int | None:
        """Return where *key* of the object at *path* is written; None if it has none.

        The object's values that are objects or arrays are found first, once;
        then the keys with a plain value before *key*, back to the last of
        those, are passed over in one match.
        """
        found = self.keys.get((*path, key))
        if found is not None or not path:
            return found
        item = self._value(path)
        if not isinstance(item, dict) or key not in item:
            return None
        nested = self._nested.get(path)
        if nested is None:
            nested = self._nested[path] = self._containers(path, item)
        if not nested:  # not found where the data says: the text is not walked
            return None
        index, pos = -1, nested[0][1]
        wanted = list(item).index(key)
        for at_index, after in nested[1:]:
            if at_index >= wanted:
                break
            index, pos = at_index, after
        found = _past_plain(self.text, pos, wanted - index - 1)
        if found is None or _key_at(self.text, found) != key:
            return None
        self.keys[(*path, key)] = found
        return found

    def _containers(
        self, path: _DataPath, item: dict[str, Any]
    ) -> list[tuple[int, int]]:
        """Find where the object and array values of *item* are, in its order.

        Return, first, the index -1 with where the object's first key is, then
        the index of each such value among the object's keys with where the
        text goes on after it; note where their keys are, and where the items
        of the arrays whose items are located start and end. Return nothing
        when the text is not what the data says.
        """
        text, start = self.text, self.starts.get(path)
        if start is None or not text.startswith("{", start):
            return []
        pos = _space(text, start + 1)
        found = [(-1, pos)]
        before = -1
        for index, (key, value) in enumerate(item.items()):
            if not isinstance(value, (dict, list)):
                continue
            at = _past_plain(text, pos, index - before - 1)
            named = None if at is None else _KEY.match(text, at)
            if at is None or named is None or _key_at(text, at) != key:
                return []
            self.keys[(*path, key)] = at
            inner = (*path, key)
            if isinstance(value, list) and _descends(inner):
                end = self._starts(named.end(), inner)
            else:
                end = _DECODER.raw_decode(text, named.end())[1]
            pos = _after(text, end)
            found.append((index, pos))
            before = index
        return found

    def _starts(self, pos: int, path: _DataPath) -> int:
        """Note where the items of the array opening at *pos* are; return its end."""
        text, skip = self.text, _DECODER.raw_decode
        pos = _space(text, pos + 1)
        index = 0
        while not text.startswith("]", pos):
            at = (*path, index)
            self.starts[at] = pos
            end = self.ends[at] = skip(text, pos)[1]
            pos = _after(text, end)
            index += 1
        return pos + 1

    def _start(self, path: _DataPath) -> int | None:
        """Return where the item at *path* starts: a checklist item's, once found."""
        if path not in self.starts and len(path) > _ITEM_DEPTH and _located(path):
            self._key(path[:_ITEM_DEPTH], "checkItems")
        return self.starts.get(path)

    def offset(self, path: _DataPath, key: str | None = None) -> int | None:
        """Return where the item at *path* is: its *key*, else its id, else it."""
        start = self._start(path)
        try:
            for name in (key, "id"):
                found = None if name is None else self._key(path, name)
                if found is not None:
                    return found
        except (ValueError, RecursionError):  # pragma: no cover - valid JSON
            pass
        return start

    def line(self, path: _DataPath, key: str | None = None) -> int | None:
        """Return the line of the item at *path*: of its *key*, else its id, else it.

        An item of a top-level array written on one line (as Trello writes
        its exports, each item is) is not looked into: what it holds is on
        that line.
        """
        line = self._single_line(path[:_ITEM_DEPTH])
        if line is not None:
            return line
        return self._line_at(self.offset(path, key))

    def _single_line(self, path: _DataPath) -> int | None:
        """Return the line of the item at *path* if it is written on one line."""
        if path in self._single:
            return self._single[path]
        start, end = self._start(path), self.ends.get(path)
        line = None
        if (
            start is not None
            and end is not None
            and self.text.find("\n", start, end) < 0
        ):
            line = self._line_at(start)
        self._single[path] = line
        return line

    def position(self, offset: int | None) -> tuple[int | None, int | None]:
        """Return the 1-based line and column of *offset*.

        The text is marked once every :data:`_MARK_EVERY` characters with the
        count of the line breaks before the mark and the place of the last
        one, so that each position counts the line breaks of a short stretch
        only, whether the export has many lines or one.
        """
        if offset is None:
            return None, None
        mark = offset // _MARK_EVERY
        _, last = self._mark(mark)
        last = max(last, self.text.rfind("\n", mark * _MARK_EVERY, offset))
        return self._line_at(offset), offset - last

    def _line_at(self, offset: int | None) -> int | None:
        """Return the 1-based line of *offset*."""
        if offset is None:
            return None
        mark = offset // _MARK_EVERY
        breaks, _ = self._mark(mark)
        return breaks + self.text.count("\n", mark * _MARK_EVERY, offset) + 1

    def _mark(self, mark: int) -> tuple[int, int]:
        """Return the line breaks before mark *mark* and the place of the last one."""
        marks = self._marks
        if marks is None:
            text = self.text
            marks = self._marks = []
            breaks, last, start = 0, -1, 0
            for end in range(0, len(text) + _MARK_EVERY, _MARK_EVERY):
                breaks += text.count("\n", start, end)
                last = max(last, text.rfind("\n", start, end))
                marks.append((breaks, last))
                start = end
        return marks[mark]


def _space(text: str, pos: int) -> int:
    """Return where the white space starting at *pos* in *text* ends."""
    match = _SPACE.match(text, pos)
    return pos if match is None else match.end()


def _after(text: str, end: int) -> int:
    """Return where the next item starts after a value ending at *end*.

    That is past white space and the comma that separates items, if any.
    """
    match = _AFTER.match(text, end)
    return end if match is None else match.end()


@functools.lru_cache(maxsize=256)
def _plain_members(count: int) -> re.Pattern[str]:
    """Return the expression of *count* keys of an object with a plain value each."""
    return re.compile(f"(?:{_PLAIN_MEMBER}){{{count}}}")


def _past_plain(text: str, pos: int, count: int) -> int | None:
    """Return where the text goes on after *count* keys with a plain value at *pos*."""
    match = _plain_members(count).match(text, pos)
    return None if match is None else match.end()


def _key_at(text: str, pos: int) -> str | None:
    """Return the key written at *pos*, None if no key is."""
    match = _KEY.match(text, pos)
    if match is None:
        return None
    raw = match.group(1)
    key: str = json.loads(raw) if "\\" in raw else raw[1:-1]
    return key


def _located(path: _DataPath) -> bool:
    """Whether *path* is an item whose place is known, or found when asked for.

    Those are the items of the top-level arrays, and each item of a top-level
    checklist's ``checkItems``.
    """
    depth = len(path)
    if depth == 2:
        return path[0] in _LOCATED
    return depth == 4 and path[0] == "checklists" and path[2] == "checkItems"


def _descends(path: _DataPath) -> bool:
    """Whether the array at *path* holds items whose places are recorded."""
    depth = len(path)
    if depth == 1:
        return path[0] in _LOCATED
    return depth == 3 and path[0] == "checklists" and path[2] == "checkItems"


# -- The board ---------------------------------------------------------------------

#: Where a value of the fragment was read: the export item's path, its key
#: (None for the item itself), and the importer's own name for it.
_Origin = tuple[_DataPath, str | None, str]


class _CardError(Exception):
    """A value of a card that cannot be read.

    *key* is the key of the item holding it, and *at* the path of that item
    when it is not the card (an action of the card, for instance).
    """

    def __init__(
        self, message: str, key: str | None = None, at: _DataPath | None = None
    ) -> None:
        super().__init__(message)
        self.key = key
        self.at = at


class _Board:
    """One export being read: its lists, cards, checklists and actions.

    Its problems are given in the order of the file, whatever the order the
    cards are read in (the board's).
    """

    def __init__(
        self, board: dict[str, Any], layout: _Layout, settings: _Settings
    ) -> None:
        self.board = board
        self.settings = settings
        self.zone: dt.tzinfo = settings.zone
        self.layout = layout
        self.check_text = bool(_LONE_SURROGATE_ESCAPE.search(layout.text))
        self.problems: list[ImportProblem] = []
        self.lines: dict[_DataPath, int] = {}
        self.where: dict[_DataPath, str] = {}
        self.lists: dict[str, _List] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.refused: set[str] = set()

    # -- problems and locations

    def problem(
        self,
        message: str,
        at: _DataPath | None,
        key: str | None = None,
        where: str = "",
    ) -> None:
        """Record a problem located at the item *at* (its *key*, if given)."""
        offset = None if at is None else self.layout.offset(at, key)
        line, column = self.layout.position(offset)
        self.problems.append(
            ImportProblem(message=message, line=line, column=column, where=where)
        )

    def locate(self, origins: Mapping[_DataPath, _Origin]) -> None:
        """Record the line and the name of each value of the fragment."""
        for path, (at, key, where) in origins.items():
            line = self.layout.line(at, key)
            if line is not None:
                self.lines[path] = line
            if where:
                self.where[path] = where

    def array(self, name: str) -> list[Any]:
        """Return the board's top-level array *name*; another value is a problem."""
        value = self.board.get(name, [])
        if isinstance(value, list):
            return value
        if name not in self.refused:
            self.refused.add(name)
            self.problem(f"`{name}`: expected an array, got {_kind(value)}", (), name)
        return []

    # -- reading

    def read(self) -> Imported:
        """Read the board into a fragment with its locations and problems."""
        self.read_lists()
        self.members = {
            m["id"]: m
            for m in self.array("members")
            if isinstance(m, dict) and isinstance(m.get("id"), str)
        }
        done, task_lists = self.chosen_lists()
        labels = self.chosen_labels()
        checklists = self.checklists_by_card()
        actions = self.actions_by_card()
        repeated = self.repeated_cards()
        found: dict[str, list[dict[str, Any]]] = {"tasks": [], "milestones": []}
        for index, card in self.cards_in_order():
            if index in repeated:
                continue
            lst = self.list_of(index, card)
            if lst is None or lst.closed:
                continue
            if not _labels_ok(card.get("labels")):
                self.problem(
                    f"labels: expected an array of labels, got "
                    f"{_shown(card['labels'])}",
                    ("cards", index),
                    "labels",
                    where=_card_where(card),
                )
                continue
            if not self.labelled(card, labels):
                continue
            if lst.id in done:
                kind = "milestones"
            elif lst.id in task_lists:
                kind = "tasks"
            else:
                continue
            card_id = card.get("id") if isinstance(card.get("id"), str) else None
            reader = _Card(self, card, ("cards", index), (kind, len(found[kind])), lst)
            try:
                if kind == "tasks":
                    item = reader.task(checklists.get(card_id or "", []))
                else:
                    item = reader.milestone(actions.get(card_id or "", []))
            except _CardError as error:
                at = ("cards", index) if error.at is None else error.at
                self.problem(str(error), at, error.key, where=reader.where)
                continue
            self.locate(reader.origins)
            found[kind].append(item)
        data = {kind: items for kind, items in found.items() if items}
        # In the order of the file: those of no place (the options') first.
        problems = sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0))
        return Imported(
            data=data, lines=self.lines, where=self.where, problems=problems
        )

    def read_lists(self) -> None:
        """Index the board's lists by id, with their position on the board."""
        for index, lst in enumerate(self.array("lists")):
            at: _DataPath = ("lists", index)
            if not isinstance(lst, dict):
                self.problem(f"list: expected an object, got {_kind(lst)}", at)
                continue
            list_id, name = lst.get("id"), lst.get("name")
            if not isinstance(list_id, str) or not isinstance(name, str):
                bad = "id" if not isinstance(list_id, str) else "name"
                self.problem(
                    f"list: expected text in `{bad}`, got {_kind(lst.get(bad))}",
                    at,
                    bad,
                    where=f"list {_quoted(name)}" if isinstance(name, str) else "",
                )
                continue
            closed = lst.get("closed")
            if closed is not None and not isinstance(closed, bool):
                self.problem(
                    f"list: expected true or false in `closed`, got {_shown(closed)}",
                    at,
                    "closed",
                    where=f"list {_quoted(name)}",
                )
                continue
            self.lists[list_id] = _List(
                id=list_id,
                name=name,
                closed=closed is True,
                order=(_position(lst.get("pos")), index),
            )

    def chosen_lists(self) -> tuple[set[str], set[str]]:
        """Return the ids of the done lists and of the lists whose cards are tasks."""
        if self.settings.done_lists:
            done = self.chosen("done-lists", self.settings.done_lists)
        else:
            done = {i for i, lst in self.lists.items() if lst.key in DONE_LIST_NAMES}
        if self.settings.lists:
            return done, self.chosen("lists", self.settings.lists) - done
        return done, set(self.lists) - done

    def repeated_cards(self) -> set[int]:
        """Return the indexes of the cards whose id an earlier card has.

        Each is a problem at its id, naming the first card of that id in the
        file, which is the one read; archived cards count, as they hold ids
        too. Which card the export's checklists and actions of that id belong
        to is unknown; they are read as the first card's.
        """
        first: dict[str, int] = {}
        repeated: set[int] = set()
        for index, card in enumerate(self.array("cards")):
            card_id = card.get("id") if isinstance(card, dict) else None
            if not isinstance(card_id, str):
                continue
            earlier = first.setdefault(card_id, index)
            if earlier == index:
                continue
            repeated.add(index)
            line, column = self.layout.position(
                self.layout.offset(("cards", earlier), "id")
            )
            self.problem(
                f"duplicate card id {card_id!r}: a card's id may appear once in "
                f"`cards`, it is first at line {line}, column {column} "
                f"({_card_where_named(self.board['cards'][earlier])}); this card "
                "is left out",
                ("cards", index),
                "id",
                where=_card_where(card),
            )
        return repeated

    def list_of(self, index: int, card: dict[str, Any]) -> _List | None:
        """Return the list of an open *card*; None for an archived card or a problem."""
        closed = card.get("closed")
        at: _DataPath = ("cards", index)
        if closed is True:
            return None
        if closed is not None and closed is not False:
            self.problem(
                f"closed: expected true or false, got {_shown(closed)}",
                at,
                "closed",
                where=_card_where(card),
            )
            return None
        list_id = card.get("idList")
        if not isinstance(list_id, str):
            self.problem(
                f"card has no list: expected text in `idList`, got {_kind(list_id)}",
                at,
                "idList",
                where=_card_where(card),
            )
            return None
        lst = self.lists.get(list_id)
        if lst is None:
            self.problem(
                f"card is in the list {list_id!r}, which the export does not hold",
                at,
                "idList",
                where=_card_where(card),
            )
        return lst

    def chosen(self, option: str, names: tuple[str, ...]) -> set[str]:
        """Return the ids of the lists *names* names; a name of none is a problem."""
        by_key: dict[str, set[str]] = {}
        for list_id, lst in self.lists.items():
            by_key.setdefault(lst.key, set()).add(list_id)
        chosen: set[str] = set()
        for name in names:
            found = by_key.get(_key(name))
            if found is None:
                known = sorted({lst.name for lst in self.lists.values()})
                self.problems.append(
                    ImportProblem(
                        message=f"option {option!r} names the list {name!r}, "
                        f"which the board does not have{did_you_mean(name, known)}; "
                        f"its lists are {_listing(known)}"
                    )
                )
                continue
            chosen |= found
        return chosen

    def chosen_labels(self) -> set[str]:
        """Return the keys of the labels ``labels`` names; unknown ones are problems."""
        if not self.settings.labels:
            return set()
        known: set[str] = set()
        for label in self.array("labels"):
            known.update(_label_names(label))
        for card in self.array("cards"):
            if isinstance(card, dict) and isinstance(card.get("labels"), list):
                for label in card["labels"]:
                    known.update(_label_names(label))
        known_keys = {_key(k) for k in known}
        chosen: set[str] = set()
        for name in self.settings.labels:
            if _key(name) not in known_keys:
                names = sorted(known)
                self.problems.append(
                    ImportProblem(
                        message=f"option 'labels' names the label {name!r}, "
                        f"which the board does not have{did_you_mean(name, names)}; "
                        f"its labels are {_listing(names)}"
                    )
                )
                continue
            chosen.add(_key(name))
        return chosen

    def labelled(self, card: dict[str, Any], labels: set[str]) -> bool:
        """Whether *card* has one of *labels*, or ``labels`` names none."""
        if not self.settings.labels:
            return True
        own = card.get("labels")
        if not isinstance(own, list):
            return False
        return any(_key(n) in labels for label in own for n in _label_names(label))

    def cards_in_order(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """Yield the cards as the board shows them: by list, then by position."""
        cards = []
        for index, card in enumerate(self.array("cards")):
            if not isinstance(card, dict):
                self.problem(
                    f"card: expected an object, got {_kind(card)}", ("cards", index)
                )
                continue
            list_id = card.get("idList")
            lst = self.lists.get(list_id) if isinstance(list_id, str) else None
            order = (math.inf, math.inf) if lst is None else lst.order
            cards.append((order, _position(card.get("pos")), index, card))
        cards.sort(key=lambda c: (c[0], c[1], c[2]))
        for _, _, index, card in cards:
            yield index, card

    def checklists_by_card(self) -> dict[str, list[tuple[_DataPath, dict[str, Any]]]]:
        """Return the board's checklists by card id, as the card shows them."""
        found: dict[str, list[tuple[float, int, dict[str, Any]]]] = {}
        for index, checklist in enumerate(self.array("checklists")):
            if not isinstance(checklist, dict):
                at: _DataPath = ("checklists", index)
                self.problem(
                    f"checklist: expected an object, got {_kind(checklist)}", at
                )
                continue
            if isinstance(checklist.get("idCard"), str):
                found.setdefault(checklist["idCard"], []).append(
                    (_position(checklist.get("pos")), index, checklist)
                )
        return {
            card: [(("checklists", i), c) for _, i, c in sorted(items, key=_first_two)]
            for card, items in found.items()
        }

    def actions_by_card(self) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        """Return the board's actions by the id of the card they are about."""
        found: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for index, action in enumerate(self.array("actions")):
            data = action.get("data") if isinstance(action, dict) else None
            card = data.get("card") if isinstance(data, dict) else None
            card_id = card.get("id") if isinstance(card, dict) else None
            if isinstance(card_id, str):
                found.setdefault(card_id, []).append((index, action))
        return found

    # -- values

    def text(self, value: str, key: str, at: _DataPath | None = None) -> str:
        """Return *value*; raise :class:`_CardError` if it is not Unicode text."""
        if self.check_text and _SURROGATE.search(value):
            msg = (
                f"{key}: holds half of a surrogate pair (a \\ud800-\\udfff "
                "escape), not a Unicode character"
            )
            raise _CardError(msg, key, at)
        return value

    def instant(
        self, value: object, key: str, at: _DataPath | None = None
    ) -> dt.datetime | dt.date:
        """Return Trello's date-time *value*: an aware date-time, or a date.

        Trello writes UTC date-times such as ``2026-01-31T17:00:00.000Z``;
        one without an offset is taken for UTC, a plain date for that date.
        Raise :class:`_CardError` naming *key* for anything else.
        """
        text = value.strip() if isinstance(value, str) else ""
        if text[-1:] in {"z", "Z"}:
            text = f"{text[:-1]}+00:00"
        found: dt.datetime | dt.date | None = None
        if _ISO_TIME.fullmatch(text):
            try:
                if len(text) == _DATE_LENGTH:
                    found = dt.date.fromisoformat(text)
                else:
                    found = dt.datetime.fromisoformat(text)
            except ValueError:  # a month 13, a 30 February
                pass
        if found is None:
            msg = f"{key}: expected {_EXPECTED_TIME}, got {_shown(value)}"
            raise _CardError(msg, key, at)
        day = found.date() if isinstance(found, dt.datetime) else found
        if not _FIRST_DAY <= day <= _LAST_DAY:
            # Refused here, in any zone: shown in the option's zone, a date
            # near year 1 or 9999 could fall outside the years Python counts.
            msg = (
                f"{key}: expected a date from {_FIRST_DAY} to {_LAST_DAY}, "
                f"got {_shown(value)}"
            )
            raise _CardError(msg, key, at)
        if isinstance(found, dt.datetime) and found.tzinfo is None:
            return found.replace(tzinfo=dt.timezone.utc)
        return found

    def date(self, moment: dt.datetime | dt.date) -> dt.date:
        """Return the date of *moment* in the time zone of the ``timezone`` option."""
        if isinstance(moment, dt.datetime):
            return moment.astimezone(self.zone).date()
        return moment

    def written(self, moment: dt.datetime | dt.date) -> str:
        """Return *moment* as the file format writes it, in the option's zone."""
        if isinstance(moment, dt.datetime):
            return moment.astimezone(self.zone).replace(microsecond=0).isoformat()
        return moment.isoformat()

    def sortable(self, moment: dt.datetime | dt.date) -> dt.datetime:
        """Return *moment* as an aware date-time (a date: its start, in the zone)."""
        if isinstance(moment, dt.datetime):
            return moment
        return dt.datetime.combine(moment, dt.time(), self.zone)

    def author(self, action: dict[str, Any]) -> str | None:
        """Return the name of who wrote *action*: full name, else user name."""
        creator = action.get("memberCreator")
        if not isinstance(creator, dict):
            creator = self.members.get(str(action.get("idMemberCreator")), {})
        for key in ("fullName", "username"):
            value = creator.get(key)
            if isinstance(value, str) and value.strip():
                return value
        return None


_DATE_LENGTH: Final = len("2026-01-31")
#: The date-times read, the same on every Python version: a date, or a date
#: and time with optional milliseconds or microseconds and offset.
_ISO_TIME: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{3}(?:[0-9]{3})?)?)?"
    r"(?:[+-][0-9]{2}:[0-9]{2})?)?"
)


@attrs.frozen
class _List:
    """A list of the board: its id, name, whether archived, and where it is."""

    id: str
    name: str
    closed: bool
    order: tuple[float, int]

    @property
    def key(self) -> str:
        """The name as names are compared."""
        return _key(self.name)


class _Card:
    """One card being read into a task or a milestone."""

    def __init__(
        self,
        board: _Board,
        card: dict[str, Any],
        at: _DataPath,
        path: _DataPath,
        lst: _List,
    ) -> None:
        self.board = board
        self.card = card
        self.at = at
        self.path = path
        self.list = lst
        self.where = _card_where(card)
        self.origins: dict[_DataPath, _Origin] = {path: (at, None, self.where)}

    def common(self) -> dict[str, Any]:
        """Return the name and due date every card has, and note where they are."""
        board, card, path = self.board, self.card, self.path
        name = card.get("name")
        if not isinstance(name, str) or not name.strip():
            msg = f"name: expected the card's name, got {_kind(name)}"
            raise _CardError(msg, "name")
        item: dict[str, Any] = {"name": board.text(name, "name")}
        self.origins[(*path, "name")] = (self.at, "name", "")
        desc = card.get("desc")
        if desc is not None and not isinstance(desc, str):
            msg = f"desc: expected the card's description as text, got {_kind(desc)}"
            raise _CardError(msg, "desc")
        due = card.get("due")
        if due is not None:
            item["due"] = board.date(board.instant(due, "due")).isoformat()
            self.origins[(*path, "due")] = (self.at, "due", "")
        return item

    def extras(self, item: dict[str, Any]) -> dict[str, Any]:
        """Add what Trello knows beyond the file format, under ``x-trello-`` keys."""
        board, card = self.board, self.card
        item["x-trello-list"] = board.text(self.list.name, "list")
        labels = card.get("labels")
        names = []
        for n, label in enumerate(labels if isinstance(labels, list) else []):
            if not isinstance(label, dict):
                msg = f"labels[{n}]: expected a label (an object), got {_kind(label)}"
                raise _CardError(msg, "labels")
            if _label_names(label):
                names.append(board.text(_label_names(label)[0], "labels"))
        if names:
            item["x-trello-labels"] = names
        url = card.get("shortUrl", card.get("url"))
        if isinstance(url, str) and url:
            item["x-trello-url"] = board.text(url, "shortUrl")
        return item

    def task(
        self, checklists: list[tuple[_DataPath, dict[str, Any]]]
    ) -> dict[str, Any]:
        """Return the task the card becomes: name, due, checklist, instructions."""
        item = self.common()
        desc = self.card.get("desc")
        if isinstance(desc, str) and desc.strip():
            item["instructions"] = self.board.text(desc, "desc")
            self.origins[(*self.path, "instructions")] = (self.at, "desc", "")
        steps = self.checklist(checklists)
        if steps:
            item["checklist"] = steps
        if self.card.get("dueComplete") is True:
            item["x-trello-due-complete"] = True
        return self.extras(item)

    def checklist(self, found: list[tuple[_DataPath, dict[str, Any]]]) -> list[str]:
        """Return the items of the card's checklists, in the order the card shows."""
        embedded = self.card.get("checklists")
        sources: list[tuple[_DataPath | None, dict[str, Any]]] = list(found)
        if not sources and embedded is not None:
            if not isinstance(embedded, list) or not all(
                isinstance(c, dict) for c in embedded
            ):
                msg = (
                    "checklists: expected an array of checklists (objects), got "
                    f"{_kind(embedded)}"
                )
                raise _CardError(msg, "checklists")
            sources = [(None, c) for c in embedded]
        steps: list[str] = []
        for checklist_at, checklist in sources:
            items = _check_items(checklist.get("checkItems"), checklist_at)
            ordered = sorted(
                ((_position(i.get("pos")), n, i) for n, i in enumerate(items)),
                key=_first_two,
            )
            for _, n, check_item in ordered:
                step = check_item.get("name")
                if not isinstance(step, str) or not step.strip():
                    continue
                item_at = (
                    None if checklist_at is None else (*checklist_at, "checkItems", n)
                )
                origin: _Origin = (
                    (self.at, "idChecklists", "")
                    if item_at is None
                    else (item_at, "name", "")
                )
                self.origins[(*self.path, "checklist", len(steps))] = origin
                steps.append(self.board.text(step, "checkItems", item_at))
        if steps:
            self.origins[(*self.path, "checklist")] = (self.at, "idChecklists", "")
        return steps

    def milestone(self, actions: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
        """Return the milestone the card becomes: name, due, done_on, updates."""
        item = self.common()
        self.done_on(item, actions)
        updates = self.comments(actions)
        if updates:
            item["updates"] = updates
        return self.extras(item)

    def done_on(
        self, item: dict[str, Any], actions: list[tuple[int, dict[str, Any]]]
    ) -> None:
        """Set ``done_on``: the day the card entered the done list it is in.

        That is the day of the latest action that moved the card into its list
        or created it there. Without one (an export holds only the board's
        latest actions), it is the day of the card's last activity, the latest
        day it can have been done, and ``x-trello-done-on-estimated`` says so.
        """
        board = self.board
        latest: tuple[dt.datetime, dt.datetime | dt.date, int, dict[str, Any]] | None
        latest = None
        for index, action in actions:
            key = _ENTERING.get(str(action.get("type")))
            target = action["data"].get(key) if key else None
            if not isinstance(target, dict) or target.get("id") != self.list.id:
                continue
            at: _DataPath = ("actions", index)
            try:
                moment = board.instant(action.get("date"), "date", at)
            except _CardError as error:
                board.problem(str(error), at, "date", where=_action_where(action))
                continue
            if latest is None or board.sortable(moment) > latest[0]:
                latest = (board.sortable(moment), moment, index, action)
        if latest is not None:
            _, moment, index, action = latest
            item["done_on"] = board.date(moment).isoformat()
            verb = "moved to" if action.get("type") == "updateCard" else "created in"
            self.origins[(*self.path, "done_on")] = (
                ("actions", index),
                "date",
                f"{_action_where(action)}: card {verb} list {_quoted(self.list.name)}",
            )
            return
        last = self.card.get("dateLastActivity")
        if last is not None:
            item["done_on"] = board.date(
                board.instant(last, "dateLastActivity")
            ).isoformat()
            item["x-trello-done-on-estimated"] = True
            self.origins[(*self.path, "done_on")] = (self.at, "dateLastActivity", "")

    def comments(
        self, actions: list[tuple[int, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """Return the card's comments as progress updates, oldest first."""
        board = self.board
        found = []
        for index, action in actions:
            note = action["data"].get("text")
            if action.get("type") != "commentCard" or not isinstance(note, str):
                continue
            if not note.strip():
                continue
            at: _DataPath = ("actions", index)
            try:
                moment = board.instant(action.get("date"), "date", at)
            except _CardError as error:
                board.problem(str(error), at, "date", where=_action_where(action))
                continue
            found.append((board.sortable(moment), index, moment, note, action))
        found.sort(key=_first_two)
        updates = []
        for n, (_, index, moment, note, action) in enumerate(found):
            at = ("actions", index)
            update: dict[str, Any] = {
                "at": board.written(moment),
                "note": board.text(note, "text", at),
            }
            author = board.author(action)
            if author:
                update["x-trello-author"] = board.text(author, "memberCreator", at)
            self.origins[(*self.path, "updates", n)] = (
                at,
                None,
                _comment_where(action, self.where),
            )
            updates.append(update)
        return updates


# -- Small helpers -----------------------------------------------------------------


def _check_items(items: object, at: _DataPath | None) -> list[dict[str, Any]]:
    """Return a checklist's ``checkItems``: objects whose ``name`` is text, if any.

    *at* is the checklist's path in the export (None for one inside a card).
    Raise :class:`_CardError` at what is of another kind.
    """
    if items is None:
        return []
    if not isinstance(items, list):
        msg = f"checkItems: expected an array of checklist items, got {_shown(items)}"
        raise _CardError(msg, "checkItems" if at else "checklists", at)
    for n, check_item in enumerate(items):
        item_at = None if at is None else (*at, "checkItems", n)
        if not isinstance(check_item, dict):
            msg = (
                f"checkItems[{n}]: expected a checklist item (an object), "
                f"got {_kind(check_item)}"
            )
            raise _CardError(msg, None if item_at else "checklists", item_at)
        name = check_item.get("name")
        if name is not None and not isinstance(name, str):
            msg = f"checkItems[{n}].name: expected text, got {_kind(name)}"
            raise _CardError(msg, "name" if item_at else "checklists", item_at)
    return items


def _first_two(item: tuple[Any, ...]) -> tuple[Any, Any]:
    return item[0], item[1]


def _position(value: object) -> float:
    """Return a list's, card's or checklist's ``pos``; unknown ones go last.

    A whole number too large for a float goes last, or first when negative.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, float):
        return value if math.isfinite(value) else math.inf
    return math.inf


def _label_names(label: object) -> list[str]:
    """Return the name a label shows: its name, else its colour; none if neither."""
    if not isinstance(label, dict):
        return []
    for key in ("name", "color"):
        value = label.get(key)
        if isinstance(value, str) and value.strip():
            return [value]
    return []


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _card_where(card: dict[str, Any]) -> str:
    """Return the card as the importer names it: ``card "Name" (id)``."""
    shown, card_id = _card_where_named(card), card.get("id")
    return f"{shown} ({card_id})" if isinstance(card_id, str) else shown


def _card_where_named(card: dict[str, Any]) -> str:
    """Return the card by its name alone, ``card "Name"``; ``card`` without one."""
    name = card.get("name")
    return f"card {_quoted(name)}" if isinstance(name, str) else "card"


def _action_where(action: dict[str, Any]) -> str:
    """Return the action as the importer names it: ``action <id> (type)``."""
    action_id, kind = action.get("id"), action.get("type")
    shown = f"action {action_id}" if isinstance(action_id, str) else "action"
    return f"{shown} ({kind})" if isinstance(kind, str) else shown


def _comment_where(action: dict[str, Any], card: str) -> str:
    """Return a comment as the importer names it: ``comment <id> on card ...``."""
    action_id = action.get("id")
    shown = f"comment {action_id}" if isinstance(action_id, str) else "comment"
    return f"{shown} on {card}"


def _shown(value: object) -> str:
    return short_repr(value) if isinstance(value, str) else _kind(value)


def _listing(names: Iterable[str]) -> str:
    shown = [repr(n) for n in names]
    if not shown:
        return "none"
    if len(shown) > _MAX_LISTED:
        shown = [*shown[:_MAX_LISTED], f"and {len(shown) - _MAX_LISTED} more"]
    return ", ".join(shown)


_MAX_LISTED: Final = 12


def _labels_ok(value: object) -> bool:
    """Whether a card's ``labels`` are absent or an array."""
    return value is None or isinstance(value, list)


#: The importer of Trello board exports, registered as a built-in importer.
TRELLO_IMPORTER: Final = Importer(
    name="trello",
    suffixes=(".json",),
    func=read_board,
    sniff=is_board,
    options=OPTIONS,
    description="Trello board exports (JSON): tasks from open cards, milestones "
    "from done lists, with checklists and comments",
    extra=None,
)
