"""Importers: readers of other systems' files (spreadsheets, calendars)."""

from __future__ import annotations

import os  # noqa: TC003 - evaluated by the API docs
from collections.abc import Callable, Iterable, Sequence  # noqa: TC003 - evaluated by the API docs
from pathlib import Path

import attrs

from outsourcekit.model import Engagement  # noqa: TC001 - at run time, so the API docs resolve it

__all__ = ["Importer", "importer_for"]


def _suffixes(value: str | Iterable[str]) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(s.lower() if s.startswith(".") else f".{s.lower()}" for s in items)


def _check_suffixes(
    inst: Importer, _attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    if not value:
        msg = (
            f"importer {inst.name!r} must name at least one file suffix, "
            "like '.csv' (got none)"
        )
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class Importer:
    """Reads files of another system into engagements.

    ``name`` identifies it (``--importer`` style choices, ``outsourcekit
    plugins``), ``suffixes`` are the file suffixes it reads (``".ics"``),
    ``func`` takes a path and returns the engagements found in it, and
    ``plugin`` is set to the registering plugin's name.
    """

    name: str
    suffixes: tuple[str, ...] = attrs.field(
        converter=_suffixes, validator=_check_suffixes
    )
    func: Callable[[Path], Sequence[Engagement]] = attrs.field(repr=False, eq=False)
    description: str = ""
    plugin: str | None = attrs.field(default=None, eq=False)

    def accepts(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file's suffix is one this importer reads (case ignored)."""
        name = Path(path).name.lower()
        return any(name.endswith(s) for s in self.suffixes)

    def __call__(self, path: str | os.PathLike[str]) -> list[Engagement]:
        """Read the file at *path* and return its engagements."""
        return list(self.func(Path(path)))


def importer_for(path: str | os.PathLike[str]) -> Importer | None:
    """Return the registered importer that reads files like *path*, or None.

    When several do, the one whose suffix matches the longest part of the name
    wins, then the first by name.
    """
    from outsourcekit.plugins import get_importers  # noqa: PLC0415 - the registry loads on first use

    name = Path(path).name.lower()
    best: tuple[int, Importer] | None = None
    for importer in get_importers():
        for suffix in importer.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), importer)
    return None if best is None else best[1]
