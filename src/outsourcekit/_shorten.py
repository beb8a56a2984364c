"""Values shown in messages: cut to a length, with a mark where they are cut.

And the kind of a value, as messages name it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "ELLIPSIS",
    "describe_value",
    "error_text",
    "kind_of",
    "plural",
    "raised_text",
    "short_repr",
]

#: What ends a value cut short.
ELLIPSIS = "…"


def short_repr(value: object, width: int = 60) -> str:
    """Return ``repr(value)``, at most *width* characters: cut, it ends with ``…``.

    The cut keeps the start of the text, so that the value stays recognisable:
    ``PosixPath('/work/long/path/to/the/exa…``. A value whose ``repr()``
    raises is shown by its type: ``<Odd object>``.
    """
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a plugin's object that cannot show itself
        text = f"<{type(value).__name__} object>"
    if len(text) <= width:
        return text
    return f"{text[: width - 1]}{ELLIPSIS}"


def kind_of(value: object) -> str:
    """Return the kind of *value* as an error message names it: ``an int``."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


#: How long a value :func:`describe_value` shows may be.
_MAX_SHOWN: Final = 60


def describe_value(value: Any) -> str:
    """Return *value* as an error message shows it, as written in a file.

    ``null``, ``true (a boolean)``, ``5 (a number)``, ``a list ([1, 2])``: the
    words of YAML, JSON and TOML, not Python's ``None`` and ``True``.
    """
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = f"{'true' if value else 'false'} (a boolean)"
    elif isinstance(value, float) and not math.isfinite(value):
        text = f"{value!r} (not a finite number)"
    elif isinstance(value, (int, float)):
        text = f"{value!r} (a number)"
    elif isinstance(value, dt.datetime):
        text = f"{value.isoformat()} (a date-time)"
    elif isinstance(value, dt.date):
        text = f"{value.isoformat()} (a date)"
    elif isinstance(value, (list, tuple)):
        text = f"a list ({_shorten(repr(list(value)))})"
    elif isinstance(value, Mapping):
        text = f"a mapping ({_shorten(repr(dict(value)))})"
    else:
        text = _shorten(repr(value))
    return text


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def error_text(exc: BaseException) -> str:
    """Return ``str(exc)``, the message of an exception a plugin raised.

    An exception whose ``str()`` raises (or returns no text) is not allowed to
    end the run that reports it: its message then says that it cannot be
    shown, and why.
    """
    try:
        text = str(exc)
    except Exception as error:  # noqa: BLE001 - any failure is told instead
        return (
            "(its message cannot be shown: str() raised "
            f"{type(error).__name__}: {_plain_text(error)})"
        )
    return text


def raised_text(exc: BaseException) -> str:
    """Return what was raised: ``ValueError: bad date``, as a traceback ends.

    The message is :func:`error_text`'s, whatever ``str()`` of *exc* does.
    """
    return f"{type(exc).__name__}: {error_text(exc)}"


def plural(count: int, word: str) -> str:
    """Return *count* and *word*, plural unless one: ``"1 rule"``, ``"2 rules"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _plain_text(exc: BaseException) -> str:
    """Return ``str(exc)``, or ``?`` when that raises too."""
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - nothing more to tell
        return "?"
