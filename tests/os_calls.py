"""Standing in for the system's calls in tests, where the code under test makes them.

Before Python 3.11, :mod:`pathlib` makes its calls (``stat``, ``open``,
``listdir``, ``scandir``) through an accessor that took them from :mod:`os`
and :mod:`io` when it was imported: replacing ``os.stat`` alone does not
reach ``Path.stat()`` there. :func:`replace_call` replaces both.
"""

from __future__ import annotations

import io
import os
import pathlib
from typing import Any

#: pathlib's accessor of system calls, before Python 3.11; None after.
_ACCESSOR = getattr(pathlib, "_normal_accessor", None)


def replace_call(monkeypatch: Any, name: str, call: Any) -> None:
    """Make *call* stand for ``os.<name>`` (``io.open`` for ``open``), pathlib's too."""
    monkeypatch.setattr(io if name == "open" else os, name, call)
    if _ACCESSOR is not None and hasattr(type(_ACCESSOR), name):
        monkeypatch.setattr(_ACCESSOR, name, call)
