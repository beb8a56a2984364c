"""Helpers the built-in rules share: item paths, blank text, counted words."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Named", "blank", "item_path", "item_paths", "plural"]


class Named(Protocol):
    """A list item that may have a `name` (tasks, KPIs, channels, ...)."""

    @property
    def name(self) -> str | None:
        """The item's name, if it has one."""


def item_paths(key: str, items: Sequence[Named]) -> list[str]:
    """Return the paths of list items: ``key[name]`` when unique, else ``key[i]``."""
    counts = Counter(item.name for item in items)
    return [
        f"{key}[{item.name}]"
        if item.name is not None and counts[item.name] == 1
        else f"{key}[{i}]"
        for i, item in enumerate(items)
    ]


def item_path(key: str, items: Sequence[Named], index: int) -> str:
    """Return the path of ``items[index]``: ``key[name]`` if unique, else ``key[i]``."""
    name = items[index].name
    if name is not None and sum(1 for item in items if item.name == name) == 1:
        return f"{key}[{name}]"
    return f"{key}[{index}]"


def blank(text: str | None) -> bool:
    """Return whether a text field says nothing: absent, empty or only white space."""
    return text is None or not text.strip()


def plural(n: int, word: str) -> str:
    """Return ``1 word`` or ``n words``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
