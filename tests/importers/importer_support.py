"""A fake importer plugin for the importer tests, whose files say what to give.

A ``.fake`` file is JSON telling the fake importer what to return: ``data``,
``lines`` and ``where`` (lists of ``[path, value]`` pairs, paths as lists),
``problems`` (keyword arguments of ``ImportProblem``), or ``raise`` (a message
to raise) and ``missing`` (a module to import, that is not installed). The
options it was given are returned under ``x-options`` (with ``echo``), and
whether the cyclic garbage collector ran while it read under ``x-collector``
(with ``collector``).
"""

from __future__ import annotations

import gc
import json
from typing import TYPE_CHECKING

from outsourcekit import hookimpl
from outsourcekit.engine import Option
from outsourcekit.plugins import Imported, Importer, ImportProblem

if TYPE_CHECKING:
    from pathlib import Path

#: How often the fake importer read each file, by name.
READS: dict[str, int] = {}


def read_fake(path: Path, options):
    """Return what the ``.fake`` file at *path* asks for."""
    READS[path.name] = READS.get(path.name, 0) + 1
    spec = json.loads(path.read_text(encoding="utf-8"))
    if "raise" in spec:
        raise RuntimeError(spec["raise"])
    if "missing" in spec:
        __import__(spec["missing"])
    data = spec.get("data", {})
    if spec.get("echo") and isinstance(data, dict):
        data = {
            **data,
            "x-options": {
                k: list(v) if isinstance(v, tuple) else v for k, v in options.items()
            },
        }
    if spec.get("collector") and isinstance(data, dict):
        data = {**data, "x-collector": gc.isenabled()}
    return Imported(
        data=data,
        lines={tuple(p): n for p, n in spec.get("lines", [])},
        where={tuple(p): w for p, w in spec.get("where", [])},
        problems=[ImportProblem(**p) for p in spec.get("problems", [])],
    )


def sniff_board(head: str) -> bool:
    """Recognise the fake boards: JSON with a top-level ``"board"`` key."""
    return '"board":' in head


def read_board(path: Path, options):
    """Give the tasks of a fake board: one per name in ``board``."""
    del options
    spec = json.loads(path.read_text(encoding="utf-8"))
    return Imported(data={"tasks": [{"name": n} for n in spec["board"]]})


FAKE = Importer(
    name="fake",
    suffixes=(".fake",),
    func=read_fake,
    options={
        "who": Option(default=(), type=tuple, help="Whose they are."),
        "strict": Option(default=False, help="Refuse more."),
        "limit": Option(default=10, help="At most this many."),
    },
    description="Test data, as the file says",
    extra="testing",
)
BOARD = Importer(
    name="board",
    suffixes=(".json",),
    func=read_board,
    sniff=sniff_board,
    description="Fake boards",
)


class FakePlugin:
    """Registers the fake importers."""

    @hookimpl
    def outsourcekit_register_importers(self):
        return [FAKE, BOARD]
