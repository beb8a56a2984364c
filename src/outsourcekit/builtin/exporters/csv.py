"""The CSV format: one row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._escape import FORMULA_STARTS, csv_cell, json_text

if TYPE_CHECKING:
    from outsourcekit.engine import Finding, Report

__all__ = ["COLUMNS", "EXPORTER", "FORMULA_STARTS", "export", "neutralise"]

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
#: A value as a cell: a formula neutralised, controls shown escaped.
neutralise = csv_cell


def _row(report: Report, f: Finding, columns: tuple[str, ...]) -> list[str]:
    data = report.finding_dict(f)
    data["evidence"] = json_text(data["evidence"], sort_keys=True)
    return [csv_cell(data[c]) for c in columns]


def export(report: Report) -> str:
    """Return the findings (waived ones included) as CSV with a header row.

    Cells are quoted as RFC 4180 has it (those with a comma or a double quote).
    Against a baseline, a last column ``baseline`` says ``new`` or ``unchanged``.
    """
    columns = COLUMNS if report.baseline is None else (*COLUMNS, "baseline")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(_row(report, f, columns) for f in report.findings)
    return out.getvalue()


#: The ``csv`` format.
EXPORTER = Exporter(
    "csv", ".csv", export, "One row per finding, for spreadsheets and databases."
)
