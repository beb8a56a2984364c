"""Deprecated: the importer class is :class:`outsourcekit.plugins.Importer`.

Kept so that ``from outsourcekit.importers import Importer`` goes on working; the
built-in importers live in :mod:`outsourcekit.builtin.importers`.
"""

from __future__ import annotations

import warnings

from outsourcekit.plugins import Importer, importer_for

__all__ = ["Importer", "importer_for"]

warnings.warn(
    "outsourcekit.importers is deprecated: import Importer from outsourcekit or "
    "outsourcekit.plugins",
    DeprecationWarning,
    stacklevel=2,
)
