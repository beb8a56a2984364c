"""Helpers the built-in rules share: placeholders, item paths, names, weeks and words.

Every rule that asks whether a text is given asks :func:`missing` (or
:func:`stated` for a list of texts), so that one list decides what a placeholder
is (:func:`outsourcekit.model.is_placeholder`, which waivers use too);
:func:`unstated`, :func:`unstated_list` and :func:`explained` say in a message
when a placeholder was the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Protocol, TypeGuard

from outsourcekit.io import item_labels
from outsourcekit.model import PLACEHOLDERS, is_placeholder

if TYPE_CHECKING:
    from collections.abc import Sequence

    from outsourcekit.model import Party, Vendor

__all__ = [
    "MICROSECOND",
    "PLACEHOLDERS",
    "Named",
    "any_stated",
    "client_name",
    "explained",
    "given",
    "is_placeholder",
    "item_path",
    "item_paths",
    "missing",
    "monday",
    "number_word",
    "placeholders_note",
    "plural",
    "says_nothing",
    "stated",
    "unstated",
    "unstated_list",
    "unstated_note",
    "vendor_label",
    "vendor_name",
]

#: The smallest step of a duration: lengths are compared in it, not rounded.
MICROSECOND = dt.timedelta(microseconds=1)

_NUMBER_WORDS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


class Named(Protocol):
    """A list item that may have a `name` (tasks, KPIs, channels, ...)."""

    @property
    def name(self) -> str | None:
        """The item's name, if it has one."""


# -- placeholders ----------------------------------------------------------------------


#: How many texts :func:`says_nothing` remembers: enough for every text the rules
#: ask about in one block of engagements the engine checks together.
_PLACEHOLDER_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=_PLACEHOLDER_CACHE_SIZE)
def says_nothing(text: str) -> bool:
    """Return :func:`is_placeholder` of *text*, remembered for recently asked texts.

    Rules ask about the same texts many times (each party's name, each checklist
    entry, by several rules per engagement, and the same names across a
    portfolio); a text is immutable and its answer depends on nothing else, so
    the answer is kept for the 8192 texts asked about last.
    """
    return is_placeholder(text)


def missing(text: str | None) -> bool:
    """Return whether a text field is not given: absent, blank or a placeholder."""
    return text is None or says_nothing(text)


def given(text: str | None) -> TypeGuard[str]:
    """Return whether a text field says something: the opposite of :func:`missing`."""
    return text is not None and not says_nothing(text)


def stated(texts: Sequence[str] | None) -> tuple[str, ...]:
    """Return the entries of a list of texts that say something, in order.

    Placeholders count as absent, so a list of placeholders is empty.
    """
    if not texts:
        return ()
    return tuple(t for t in texts if not says_nothing(t))


def any_stated(texts: Sequence[str] | None) -> bool:
    """Return whether a list of texts states anything: ``bool(stated(texts))``.

    It stops at the first entry that says something.
    """
    if texts:
        for text in texts:
            if not says_nothing(text):
                return True
    return False


def _shown(text: str) -> str:
    return f"`{text.strip()}`"


def unstated_note(text: str | None) -> str | None:
    """Say that a present text counts as absent because it is a placeholder.

    ``"a placeholder (`TBD`)"``; None when the text is absent, blank (nothing
    to show) or says something.
    """
    if text is None or not text.strip() or not says_nothing(text):
        return None
    return f"a placeholder ({_shown(text)})"


def placeholders_note(texts: Sequence[str] | None) -> str | None:
    """Say that a list of texts counts as empty because it holds only placeholders.

    ``"only placeholders (`TBD`, `n/a`)"``; None when the list is absent, empty,
    only blank or states something.
    """
    if not texts or any_stated(texts):
        return None
    shown = [_shown(t) for t in texts if t.strip()]
    if not shown:
        return None
    word = "only a placeholder" if len(shown) == 1 else "only placeholders"
    return f"{word} ({', '.join(shown)})"


def unstated(what: str, text: str | None, verb: str = "is") -> str | None:
    """Say that *what* counts as absent because it is a placeholder, or None.

    ``unstated("the vision", "TBD")`` is ``"the vision is a placeholder (`TBD`)"``;
    None when the text is absent, blank or says something.
    """
    note = unstated_note(text)
    return None if note is None else f"{what} {verb} {note}"


def unstated_list(what: str, texts: Sequence[str] | None) -> str | None:
    """Say that the list *what* counts as empty because it holds only placeholders."""
    note = placeholders_note(texts)
    return None if note is None else f"{what} lists {note}"


def explained(message: str, *notes: str | None) -> str:
    """Return *message* followed by the notes that are not None, after a colon."""
    given = [n for n in notes if n is not None]
    return message if not given else f"{message}: {' and '.join(given)}"


# -- item paths ------------------------------------------------------------------------


def item_paths(key: str, items: Sequence[Named]) -> list[str]:
    """Return the paths of list items, as :func:`outsourcekit.io.format_path` does.

    ``key[name]`` when the name is unique and reads back as a name, else
    ``key[i]`` (:func:`outsourcekit.io.item_labels`).
    """
    return [f"{key}[{label}]" for label in item_labels([i.name for i in items])]


def item_path(key: str, items: Sequence[Named], index: int) -> str:
    """Return the path of ``items[index]``, as :func:`item_paths` writes it."""
    return f"{key}[{item_labels([item.name for item in items])[index]}]"


# -- the parties -----------------------------------------------------------------------


def client_name(client: Party | None) -> str:
    """Return how messages name the client: its name, else ``the client``."""
    if client is not None and given(client.name):
        return client.name
    return "the client"


def vendor_name(vendor: Vendor | None) -> str:
    """Return how messages name the vendor: its name, its id, or ``the vendor``."""
    if vendor is not None:
        if given(vendor.name):
            return vendor.name
        if given(vendor.id):
            return vendor.id
    return "the vendor"


def vendor_label(vendor: Vendor | None) -> str:
    """Return the vendor to start a sentence: ``Vendor <name>`` or ``The vendor``."""
    name = vendor_name(vendor)
    return "The vendor" if name == "the vendor" else f"Vendor {name}"


# -- weeks and words -------------------------------------------------------------------


def monday(day: dt.date) -> dt.date:
    """Return the Monday of *day*'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def plural(n: int, word: str, many: str | None = None) -> str:
    """Return ``1 word`` or ``n words`` (*many* when the plural is irregular)."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many if many is not None else word + 's'}"


def number_word(n: int) -> str:
    """Return a small count in words (``two``, ``ten``), a larger one in digits."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
