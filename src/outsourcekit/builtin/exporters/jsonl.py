"""The JSON Lines format: one finding per line, written as the check finds them.

For very large portfolios: each line is one JSON object, so a reader (``jq``,
a log shipper, ``pandas.read_json(lines=True)``) takes the file a line at a
time, and a check streamed to it (:func:`outsourcekit.check_stream`) writes
each finding as soon as its chunk of engagements is checked.

The lines are, in order:

* every finding, waived ones included: the object of the JSON report's
  ``findings`` list (with ``baseline`` against a baseline);
* every load error as ``{"error": {...}}``, every rule error as
  ``{"rule_error": {...}}`` and every plugin error as
  ``{"plugin_error": {...}}``, each the object of the JSON report's list;
* last, the report's own keys: ``outsourcekit``, ``format``, ``as_of``,
  ``plugins``, ``skipped`` and ``summary``, as in the JSON report.

Only the last line has ``summary``, and it is always written: a file without
it is from a run that did not finish. Engagements' scores are not written
(the ``json`` format has them).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from outsourcekit.engine import Report
from outsourcekit.plugins import Exporter

from ._escape import json_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator, Sequence

    from outsourcekit.engine import Finding, Rule

__all__ = ["EXPORTER", "JsonLinesSink", "export"]

_HEAD_KEYS = ("outsourcekit", "format", "as_of")


def _finding_lines(context: Report, findings: Iterable[Finding]) -> Iterator[str]:
    for f in findings:
        yield json_text(context.finding_dict(f)) + "\n"


def _closing_lines(report: Report) -> Iterator[str]:
    """Yield the lines after the findings: errors, then the report's own keys."""
    for issue in report.errors:
        yield json_text({"error": dict(issue.to_dict())}) + "\n"
    for error in report.rule_errors:
        yield json_text({"rule_error": error.to_dict()}) + "\n"
    for plugin_error in report.plugin_errors:
        yield json_text({"plugin_error": plugin_error.to_dict()}) + "\n"
    empty = Report(as_of=report.as_of, findings=(), engagements=()).to_dict()
    last: dict[str, Any] = {key: empty[key] for key in _HEAD_KEYS}
    last["plugins"] = [p.to_dict() for p in report.plugins]
    last["skipped"] = [s.to_dict() for s in report.skipped]
    last["summary"] = report.summary
    yield json_text(last) + "\n"


def export(report: Report) -> str:
    """Return the report as JSON Lines: findings, errors, then the summary line."""
    lines = [*_finding_lines(report, report.findings), *_closing_lines(report)]
    return "".join(lines)


class JsonLinesSink:
    """Writes the JSON Lines format to a file while the check runs.

    Each batch of findings is written and flushed as it comes, so that a
    reader following the file sees the findings as they are found; the
    errors and the summary line follow at the end. *context* answers for each
    finding against the baseline (see :class:`~outsourcekit.plugins.Exporter`).
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, marking findings as *context* says."""
        self.file = file
        self.context = context

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Start the report: nothing is written before the first finding."""

    def findings(self, batch: Sequence[Finding]) -> None:
        """Write one line per finding of *batch*, and flush them."""
        self.file.writelines(_finding_lines(self.context, batch))
        self.file.flush()

    def end(self, report: Report) -> None:
        """Write the errors and the summary line."""
        self.file.writelines(_closing_lines(report))
        self.file.flush()


#: The ``jsonl`` format.
EXPORTER = Exporter(
    "jsonl",
    ".jsonl",
    export,
    "One finding per line, written as found; errors and the summary last "
    "(for very large portfolios).",
    stream=JsonLinesSink,
)
