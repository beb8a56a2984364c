"""The bundled example portfolio: engagements to try the library and its rules on."""

from __future__ import annotations

import importlib.resources
import pathlib

__all__ = ["examples_path"]


def examples_path() -> pathlib.Path:
    """Return the directory of the bundled example engagements.

    Load them all with ``outsourcekit.load(examples_path())``.

    Raises:
        FileNotFoundError: the package is installed without its files on disk
            (from a zip archive, say).

    """
    root = importlib.resources.files("outsourcekit") / "data" / "examples"
    if not isinstance(root, pathlib.Path) or not root.is_dir():
        msg = f"the bundled examples are not a directory on disk: {root}"
        raise FileNotFoundError(msg)
    return root
