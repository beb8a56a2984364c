"""The one did-you-mean: close-match suggestions for names users type."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["did_you_mean", "suggest"]

#: How alike a name and a suggestion must be (difflib's ratio) by default.
CUTOFF = 0.6


def suggest(name: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """Return the choice closest to *name*, or None when none is close enough.

    Case is ignored, so ``osk601`` suggests ``OSK601``; among choices that fold
    to the same text the first in sorted order wins. *cutoff* (0 to 1) is how
    alike they must be: long lists of similar names (time zones) want more.
    """
    by_folded: dict[str, str] = {}
    for choice in sorted(choices):
        by_folded.setdefault(choice.casefold(), choice)
    folded = name.casefold()
    if folded in by_folded:
        return by_folded[folded]
    close = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=cutoff)
    return by_folded[close[0]] if close else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string."""
    best = suggest(name, choices)
    return "" if best is None else f" (did you mean {best!r}?)"
