"""Free text that says nothing: the one definition of a placeholder."""

from __future__ import annotations

import string
import unicodedata

__all__ = ["PLACEHOLDERS", "is_placeholder"]

#: Texts that say nothing (compared ignoring case, after trimming blanks and
#: trailing punctuation): a field holding one of them counts as absent.
PLACEHOLDERS = frozenset(
    {
        "tbd",
        "tba",
        "todo",
        "to do",
        "n/a",
        "na",
        "none",
        "-",
        "--",
        "?",
        "xxx",
        "placeholder",
        "later",
    }
)


def _is_punctuation(char: str) -> bool:
    return char in string.punctuation or unicodedata.category(char).startswith("P")


def _trimmed(text: str) -> str:
    """Return *text* without surrounding blanks and without trailing punctuation."""
    out = text.strip()
    while out and _is_punctuation(out[-1]):
        out = out[:-1].rstrip()
    return out


def is_placeholder(text: str) -> bool:
    """Return whether a text that is present says nothing.

    It says nothing when it is empty, only blanks, or, after trimming blanks and
    trailing punctuation and ignoring case, one of :data:`PLACEHOLDERS`
    (``TBD``, ``n/a``, ``-``, ``TODO.``, ...). A text made only of punctuation
    trims to nothing and says nothing too. Rules treat such a text as absent,
    and a waiver whose reason is one does not apply.
    """
    bare = text.strip().casefold()
    if bare in PLACEHOLDERS:
        return True
    trimmed = _trimmed(bare)
    return not trimmed or trimmed in PLACEHOLDERS
