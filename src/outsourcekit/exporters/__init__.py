"""Deprecated: the exporter class is :class:`outsourcekit.plugins.Exporter`.

Kept so that ``from outsourcekit.exporters import Exporter`` goes on working; the
built-in formats live in :mod:`outsourcekit.builtin.exporters`.
"""

from __future__ import annotations

import warnings

from outsourcekit.plugins import Exporter

__all__ = ["Exporter"]

warnings.warn(
    "outsourcekit.exporters is deprecated: import Exporter from outsourcekit or "
    "outsourcekit.plugins",
    DeprecationWarning,
    stacklevel=2,
)
