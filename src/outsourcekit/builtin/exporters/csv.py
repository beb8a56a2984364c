"""The CSV format: one row per finding, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import IO, TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._escape import FORMULA_STARTS, csv_cell, json_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from outsourcekit.engine import Finding, Report, Rule

__all__ = ["COLUMNS", "EXPORTER", "FORMULA_STARTS", "CsvSink", "export", "neutralise"]

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


def _columns(report: Report) -> tuple[str, ...]:
    return COLUMNS if report.baseline is None else (*COLUMNS, "baseline")


def export(report: Report) -> str:
    """Return the findings (waived ones included) as CSV with a header row.

    Cells are quoted as RFC 4180 has it (those with a comma or a double quote).
    Against a baseline, a last column ``baseline`` says ``new`` or ``unchanged``.
    """
    columns = _columns(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(_row(report, f, columns) for f in report.findings)
    return out.getvalue()


class CsvSink:
    """Writes the CSV rows while the check runs: the same bytes as :func:`export`.

    The header row first, then the rows of each batch of findings as it comes.
    *file* must be opened with ``newline=""``, as the rows end in CR LF.
    *context* answers for each finding against the baseline (see
    :class:`~outsourcekit.plugins.Exporter`).
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, marking findings as *context* says."""
        self.file = file
        self.context = context
        self.columns = _columns(context)
        self.writer = csv.writer(file, lineterminator="\r\n")

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Write the header row."""
        del as_of, rules
        self.writer.writerow(self.columns)

    def findings(self, batch: Sequence[Finding]) -> None:
        """Write one row per finding of *batch*, and flush them."""
        context, columns = self.context, self.columns
        self.writer.writerows(_row(context, f, columns) for f in batch)
        self.file.flush()

    def end(self, report: Report) -> None:
        """Finish: the rows are all written."""
        del report
        self.file.flush()


#: The ``csv`` format.
EXPORTER = Exporter(
    "csv",
    ".csv",
    export,
    "One row per finding, for spreadsheets and databases.",
    stream=CsvSink,
)
