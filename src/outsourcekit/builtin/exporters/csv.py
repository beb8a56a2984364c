"""The CSV format: one row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

if TYPE_CHECKING:
    from outsourcekit.engine import Finding, Report

__all__ = ["COLUMNS", "EXPORTER", "export", "neutralise"]

#: The header row: the finding's fields, in the JSON document's order.
COLUMNS = (
    "rule",
    "slug",
    "category",
    "severity",
    "engagement",
    "path",
    "source",
    "line",
    "message",
    "fix",
    "evidence",
    "waived",
)
#: Characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with ``'``."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _row(f: Finding) -> list[str]:
    data = f.to_dict()
    data["evidence"] = json.dumps(data["evidence"], ensure_ascii=False, sort_keys=True)
    return [neutralise("" if data[c] is None else str(data[c])) for c in COLUMNS]


def export(report: Report) -> str:
    """Return the findings (waived ones included) as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(f) for f in report.findings)
    return out.getvalue()


#: The ``csv`` format.
EXPORTER = Exporter(
    "csv", ".csv", export, "One row per finding, for spreadsheets and databases."
)
