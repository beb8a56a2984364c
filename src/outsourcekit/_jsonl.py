"""JSON Lines portfolios: one engagement, a JSON object, on each line of a file.

A ``.jsonl`` or ``.ndjson`` file is read a line at a time, never whole, so that
a portfolio of any size is read in the memory of its longest line. This module
splits a file into its lines, with their numbers, and says what is wrong with a
line that cannot even be read as text (too long, not UTF-8); turning a line's
text into an engagement is the reading layer's (:mod:`outsourcekit.io`), with
the same converter as every other file.

Blank lines (nothing but spaces, tabs and line breaks) are allowed anywhere and
skipped. A line ends at a line feed; a carriage return before it (Windows line
endings) is JSON white space, and so is left to the JSON reader.
"""

from __future__ import annotations

import bisect
import json
import os
import threading
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "EMPTY",
    "MAX_LINE_BYTES",
    "SUFFIXES",
    "UNREADABLE",
    "ByteCounter",
    "Line",
    "LineProblem",
    "first_value",
    "is_json_lines",
    "read_lines",
]

#: The file suffixes of JSON Lines portfolios, in any case.
SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})

#: The longest line read, in bytes (16 MiB), its line feed left out; a longer
#: line is a load error of that line, and the lines after it are still read.
MAX_LINE_BYTES: Final = 16 * 1024 * 1024

_BOM: Final = b"\xef\xbb\xbf"
_BLANK: Final = b" \t\r\n"
#: How much of a line too long is skipped at a time, looking for its end.
_SKIP: Final = 1024 * 1024


def is_json_lines(path: str | os.PathLike[str]) -> bool:
    """Whether the file name's suffix is one of a JSON Lines portfolio's."""
    return PurePath(path).suffix.lower() in SUFFIXES


@attrs.frozen
class Line:
    """One line of text of a JSON Lines file: its 1-based number and its text."""

    number: int
    text: str


@attrs.frozen
class LineProblem:
    """A line that could not be read as text, and why; ``column`` is 1-based."""

    number: int
    message: str
    column: int | None = None


def _not_utf8(raw: bytes, bad: int) -> tuple[int, str]:
    """Return the column of byte *bad* of the line *raw*, and the message."""
    column = len(raw[:bad].decode("utf-8", errors="replace")) + 1
    message = (
        f"the line is not UTF-8 text: byte 0x{raw[bad]:02x} cannot be read; "
        "save the file as UTF-8"
    )
    return column, message


#: The byte-order marks of UTF-32 and UTF-16, and the encoding each names
#: (UTF-32's first: UTF-16's little-endian mark starts UTF-32's).
_WIDE_MARKS: Final = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
#: Which of a file's first four bytes are zero, in UTF-32 and UTF-16 without a
#: byte-order mark (RFC 4627): JSON text holds no zero byte of its own.
_WIDE_ZEROS: Final[dict[tuple[bool, ...], tuple[str, str]]] = {
    (True, True, True, False): ("UTF-32", "three zero bytes beside each character"),
    (False, True, True, True): ("UTF-32", "three zero bytes beside each character"),
    (True, False, True, False): ("UTF-16", "a zero byte beside each character"),
    (False, True, False, True): ("UTF-16", "a zero byte beside each character"),
}


#: The first bytes of compressed files, and the name of each compression.
_COMPRESSED: Final = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
)
#: How many bytes of a file's start tell whether it is text of JSON Lines.
_HEAD: Final = 6


def _not_text(head: bytes) -> str | None:
    """Return what is wrong with a file starting with *head*: no UTF-8 text.

    None when it may be UTF-8 text. A file in UTF-16 or UTF-32 (saved as
    "Unicode" by some editors and shells), or compressed, is one problem, not
    one a line.
    """
    for magic, compression in _COMPRESSED:
        if head.startswith(magic):
            return (
                f"the file is not text: it is compressed with {compression}; "
                "decompress it first"
            )
    for mark, name in _WIDE_MARKS:
        if head.startswith(mark):
            how = f"it starts with the byte-order mark of {name}"
            break
    else:
        found = _WIDE_ZEROS.get(tuple(byte == 0 for byte in head[:4]))
        if found is None:
            return None
        name, how = found
    return f"the file is not UTF-8 text: it is {name} ({how}); save the file as UTF-8"


def _too_long(size: int, limit: int) -> str:
    return (
        f"the line is too long: {size:,} bytes, over the limit of "
        f"{limit:,} bytes for one engagement of a JSON Lines file"
    )


class ByteCounter:
    """The bytes read so far, for progress."""

    __slots__ = ("bytes",)

    def __init__(self) -> None:
        self.bytes = 0


def read_lines(
    file: IO[bytes],
    *,
    limit: int | None = None,
    counter: ByteCounter | None = None,
    part: tuple[int, int | None] | None = None,
) -> Iterator[Line | LineProblem]:
    """Yield each line of *file* that is not blank, or the problem that stops it.

    *file* is read a line at a time, opened in binary mode; a byte-order mark at
    its start is passed over. A line longer than *limit* bytes (default:
    :data:`MAX_LINE_BYTES`) is not kept in memory beyond its first *limit*
    bytes: it is skipped to its end and reported. *counter*, if given, counts
    the bytes read as they are. A file in UTF-16 or UTF-32, or compressed, is
    one problem, at its first line, and nothing more is read of it.

    *part*, ``(start, stop)`` byte offsets (``stop`` None: to the end), reads
    only the lines that start in that range, numbered as in the whole file:
    the parts of a file cut at any offsets read each line exactly once.
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    stop = None if part is None else part[1]
    start = _start(file, part)
    if start is None:
        return
    position, number = start
    while stop is None or position < stop:
        raw = file.readline(limit + 1)
        if not raw:
            return
        number += 1
        read = len(raw)
        if counter is not None:
            counter.bytes += read
        if position == 0:
            problem = _not_text(_head(file, raw))
            if problem is not None:
                yield LineProblem(number, problem, 1)
                return
            raw = raw.removeprefix(_BOM)
        if len(raw) > limit and not raw.endswith(b"\n"):
            skipped = _skip_line(file, counter)
            position += read + skipped + 1
            yield LineProblem(number, _too_long(len(raw) + skipped, limit))
            continue
        position += read
        if not raw.strip(_BLANK):
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            column, message = _not_utf8(raw, error.start)
            yield LineProblem(number, message, column)
            continue
        yield Line(number, text)


def _start(
    file: IO[bytes], part: tuple[int, int | None] | None
) -> tuple[int, int] | None:
    """Go to the first line of *part* of *file* (all of it when None).

    Return its offset and the number of the line before it; None for a part
    after the first of a file that is no UTF-8 text (UTF-16, compressed),
    which its first part reports as one problem.
    """
    if part is None:
        return 0, 0
    if part[0] > 0 and _not_text(_head(file)) is not None:
        return None
    return _first_line(file, part[0])


def _head(file: IO[bytes], read: bytes = b"") -> bytes:
    """Return the first bytes of *file*, which tell whether it is text.

    *read* is what was read of the file from its start (its first line), and
    the file is left where it was. One process and every part of a file
    (``--jobs``) so judge the same bytes, however short the first line: a
    blank one does not hide UTF-16. A file that cannot go back (a pipe) is
    judged on what was read.
    """
    if len(read) >= _HEAD or not file.seekable():
        return read[:_HEAD]
    at = file.tell()
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(at)
    return head


def _first_line(file: IO[bytes], start: int) -> tuple[int, int]:
    """Go to the first line that starts at or after byte *start* of *file*.

    Return its offset and the number of the line before it: the line feeds
    before it are counted, reading the file in large blocks from the nearest
    line start already counted in this process (see :class:`_LineCounts`),
    else from the start. A process reading a file's parts in order so reads
    the file once, not once per part.
    """
    if start <= 0:
        file.seek(0)
        return 0, 0
    file.seek(start - 1)
    at = start
    if file.read(1) != b"\n":  # *start* is inside a line: it is the part before's
        at += _skip_line(file, None) + 1
    known = _LINE_COUNTS.of(file)
    offset, lines = (0, 0) if known is None else known.before(at)
    file.seek(offset)
    left = at - offset
    while left > 0 and (block := file.read(min(left, _SKIP))):
        lines += block.count(b"\n")
        left -= len(block)
    if known is not None and left == 0:
        known.add(at, lines)
    file.seek(at)
    return at, lines


class _Counted:
    """The line starts of one file whose preceding lines were counted."""

    __slots__ = ("_lock", "lines", "offsets")

    def __init__(self) -> None:
        self.offsets: list[int] = [0]
        self.lines: list[int] = [0]
        self._lock = threading.Lock()

    def before(self, at: int) -> tuple[int, int]:
        """Return the counted line start nearest at or before *at*, and its count."""
        with self._lock:
            i = bisect.bisect_right(self.offsets, at) - 1
            return self.offsets[i], self.lines[i]

    def add(self, at: int, lines: int) -> None:
        """Remember that *lines* lines come before the line starting at *at*."""
        with self._lock:
            i = bisect.bisect_left(self.offsets, at)
            if i < len(self.offsets) and self.offsets[i] == at:
                return
            if len(self.offsets) < _MAX_COUNTED:
                self.offsets.insert(i, at)
                self.lines.insert(i, lines)


class _LineCounts:
    """How many lines come before line starts of recently read files.

    Kept per file for a few files, each known by its device, inode, size and
    time of change, so that a changed file is counted afresh.
    """

    def __init__(self) -> None:
        self._files: dict[tuple[int, int, int, int], _Counted] = {}
        self._lock = threading.Lock()

    def of(self, file: IO[bytes]) -> _Counted | None:
        """Return what is known of *file*, or None when it cannot be told apart."""
        try:
            status = os.fstat(file.fileno())
        except (AttributeError, OSError, ValueError):
            return None
        key = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
        with self._lock:
            counted = self._files.pop(key, None) or _Counted()
            self._files[key] = counted  # the most recently used last
            while len(self._files) > _MAX_FILES:
                del self._files[next(iter(self._files))]
        return counted


#: How many files, and how many line starts of each, are remembered.
_MAX_FILES: Final = 8
_MAX_COUNTED: Final = 65_536
_LINE_COUNTS: Final = _LineCounts()


def _skip_line(file: IO[bytes], counter: ByteCounter | None) -> int:
    """Read *file* to the end of the current line; return the bytes passed over.

    The line feed is not counted.
    """
    skipped = 0
    while True:
        part = file.readline(_SKIP)
        if counter is not None:
            counter.bytes += len(part)
        if not part:
            return skipped
        if part.endswith(b"\n"):
            return skipped + len(part) - 1
        skipped += len(part)


class _Mark:
    """A value :func:`first_value` gives instead of the JSON of a line."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: The file or its first line cannot be read, or is not JSON.
UNREADABLE: Final = _Mark("UNREADABLE")
#: The file holds blank lines only, or nothing.
EMPTY: Final = _Mark("EMPTY")


def first_value(path: str | os.PathLike[str]) -> object:
    """Return the JSON value on the first line that is not blank of *path*.

    :data:`EMPTY` when every line is blank (or there is none); :data:`UNREADABLE`
    when the file or that line cannot be read or is not JSON, so that loading
    it reports why. Only the lines up to the first that is not blank are read.
    """
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - a path or a PathLike
            for item in read_lines(file):
                if isinstance(item, LineProblem):
                    return UNREADABLE
                return json.loads(item.text)
    except (OSError, ValueError, RecursionError):
        return UNREADABLE
    return EMPTY
