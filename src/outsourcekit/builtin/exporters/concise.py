"""The concise format: one line per finding, ``path:line: SEV CODE slug message``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._common import summary_text
from ._escape import text as escape
from ._stream import LineSink

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from outsourcekit.engine import Finding, Issue, Report

__all__ = ["EXPORTER", "ConciseSink", "export", "finding_line"]


def _where(finding: Finding) -> str:
    """Return ``source:line``, the source alone, or the engagement id."""
    if finding.source is None:
        return finding.engagement
    if finding.line is None:
        return finding.source
    return f"{finding.source}:{finding.line}"


def finding_line(report: Report, finding: Finding) -> str:
    """Return one finding's line.

    Against a baseline it ends in ``[new]`` or ``[unchanged]``.
    """
    line = (
        f"{escape(_where(finding))}: {finding.severity.value} {escape(finding.rule)} "
        f"{escape(finding.slug)} {escape(finding.message)}"
    )
    state = report.baseline_state(finding)
    return line if state is None else f"{line} [{state}]"


def _issue_line(issue: Issue) -> str:
    data = issue.to_dict()
    where = str(data.get("source") or "<string>")
    if data.get("line") is not None:
        where += f":{data['line']}"
    path = data.get("path")
    message = f"{path}: {data.get('message', '')}" if path else data.get("message", "")
    return f"{escape(where)}: error load-error {escape(message)}"


def _finding_lines(context: Report, findings: Iterable[Finding]) -> list[str]:
    return [finding_line(context, f) + "\n" for f in findings if f.waived is None]


def _closing_lines(report: Report) -> list[str]:
    lines = [_issue_line(issue) + "\n" for issue in report.errors]
    lines.append(summary_text(report) + "\n")
    return lines


def export(report: Report) -> str:
    """Return one line per unwaived finding, then per load error, then the summary.

    Waived findings are left out; so are rule and plugin errors, which the
    command line reports on stderr.
    """
    lines = _finding_lines(report, report.findings) + _closing_lines(report)
    return "".join(lines)


class ConciseSink(LineSink):
    """Writes the concise lines while the check runs: the same bytes as :func:`export`.

    The lines of each batch of findings are written and flushed as it comes;
    the load errors and the summary follow at the end. *context* answers for
    each finding against the baseline (see
    :class:`~outsourcekit.plugins.Exporter`).
    """

    def finding_lines(self, context: Report, batch: Sequence[Finding]) -> list[str]:
        """Return the lines of the unwaived findings of *batch*."""
        return _finding_lines(context, batch)

    def closing_lines(self, report: Report) -> list[str]:
        """Return the lines of the errors and the summary."""
        return _closing_lines(report)


#: The ``concise`` format.
EXPORTER = Exporter(
    "concise",
    ".log",
    export,
    "One line per finding: path:line: severity code slug message (like ruff's).",
    stream=ConciseSink,
)
