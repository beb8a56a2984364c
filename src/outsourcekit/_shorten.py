"""Values shown in messages: cut to a length, with a mark where they are cut.

And the kind of a value, as messages name it.
"""

from __future__ import annotations

__all__ = ["ELLIPSIS", "kind_of", "short_repr"]

#: What ends a value cut short.
ELLIPSIS = "…"


def short_repr(value: object, width: int = 60) -> str:
    """Return ``repr(value)``, at most *width* characters: cut, it ends with ``…``.

    The cut keeps the start of the text, so that the value stays recognisable:
    ``PosixPath('/work/long/path/to/the/exa…``.
    """
    text = repr(value)
    if len(text) <= width:
        return text
    return f"{text[: width - 1]}{ELLIPSIS}"


def kind_of(value: object) -> str:
    """Return the kind of *value* as an error message names it: ``an int``."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
