"""What the importers of JSON files share: reading objects that hold each key once.

A key written twice is refused while the text is read (:func:`unique_keys`, a
cheap ``object_pairs_hook``); only then is :func:`outsourcekit.io.json_duplicates`
asked where each one is.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Final

__all__ = [
    "KeyTwiceError",
    "long_number_at",
    "max_digits",
    "unique_keys",
    "wide_encoding",
]

#: A JSON string or number, to find a number outside strings.
_STRING_OR_NUMBER: Final = re.compile(
    r'"(?:[^"\\]|\\.)*"|-?(\d+)(\.\d+)?([eE][+-]?\d+)?', re.DOTALL
)


class KeyTwiceError(ValueError):
    """An object of the text has a key twice."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key written twice."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise KeyTwiceError
    return result


def max_digits() -> int:
    """Return how many digits a whole number Python reads may have, at most."""
    limit: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
    return limit


def long_number_at(text: str) -> tuple[int, int] | None:
    """Return the line and column of a whole number too long for Python to read."""
    limit = max_digits()
    for match in _STRING_OR_NUMBER.finditer(text):
        digits = match.group(1)
        if digits is not None and match.lastindex == 1 and len(digits) > limit:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            return line, offset - text.rfind("\n", 0, offset)
    return None


#: The byte-order marks of UTF-32 and UTF-16, and the encoding each names
#: (UTF-32's first: UTF-16's little-endian mark starts UTF-32's).
_WIDE_MARKS: Final = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """Return UTF-16 or UTF-32 when *data* starts with its byte-order mark, else None.

    JSON is exchanged in UTF-8 (RFC 8259); a file saved as "Unicode" by some
    editors is one of these, which the importers name rather than read.
    """
    for mark, name in _WIDE_MARKS:
        if data.startswith(mark):
            return name
    return None
