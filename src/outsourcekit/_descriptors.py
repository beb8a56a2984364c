"""Writing files safely: those the process has open, and those replaced whole.

A path naming a file this process already has open (``/dev/stdout``), opened
anew, would empty the file behind it, or replace it, whatever the shell opened
it for (``>>``): the writers of engagement files and of reports write through
the open file instead. A regular file is replaced whole by a new one written
beside it first, under a hidden name the system takes (:func:`temporary_name`).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import secrets
import sys
from typing import Final

__all__ = ["flush_streams", "open_descriptor", "temporary_name"]

#: How many symbolic links :func:`open_descriptor` follows, as Linux does.
_MAX_LINKS: Final = 40


def open_descriptor(path: str | os.PathLike[str]) -> int | None:
    """Return the descriptor of this process that *path* names, if it names one.

    ``/dev/stdout``, ``/dev/fd/3`` and ``/proc/self/fd/3`` (or a link to
    them) name a file this process has open: opening them anew would empty
    it, whatever it was opened for (``>>``), or replace it.
    """
    own = re.compile(rf"/proc/{os.getpid()}(?:/task/[0-9]+)?/fd")
    name = os.path.abspath(path)  # noqa: PTH100 - lexically: links are followed here
    for _ in range(_MAX_LINKS):
        folder, base = os.path.split(name)
        folder = os.path.realpath(folder)
        if base.isascii() and base.isdigit() and own.fullmatch(folder):
            return int(base)
        try:
            link = pathlib.Path(name).readlink()
        except OSError:  # no link: the file itself, or none
            return None
        name = os.path.normpath(pathlib.Path(folder, link))
    return None


def flush_streams(descriptor: int) -> None:
    """Flush ``sys.stdout`` or ``sys.stderr`` when they write to *descriptor*.

    What the program printed before then comes before what is written there.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            if stream.fileno() == descriptor:
                stream.flush()


#: How long, in bytes, the name of a file may be on most systems.
_LONGEST_NAME: Final = 255


def temporary_name(name: str) -> str:
    """Return a new hidden name for the file to replace the file *name*.

    It is made of *name*, shortened as need be, so that the system takes it
    whenever it takes *name*.
    """
    token = f".{secrets.token_hex(4)}.part"
    kept = name
    while len(os.fsencode(f".{kept}{token}")) > _LONGEST_NAME:
        kept = kept[:-1]
    return f".{kept}{token}"
