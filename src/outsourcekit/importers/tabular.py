"""Deprecated: the CSV importer is :mod:`outsourcekit.builtin.importers.tabular`."""

from __future__ import annotations

import warnings

from outsourcekit.builtin.importers.tabular import (
    CSV_IMPORTER,
    DEFAULT_MAPPING,
    from_records,
    read_csv,
)

__all__ = ["CSV_IMPORTER", "DEFAULT_MAPPING", "from_records", "read_csv"]

warnings.warn(
    "outsourcekit.importers.tabular is deprecated: import read_csv and "
    "from_records from outsourcekit.builtin.importers.tabular",
    DeprecationWarning,
    stacklevel=2,
)
