"""The Markdown format: a summary table and a findings table per engagement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit import __version__
from outsourcekit.plugins import Exporter

from ._common import SEVERITIES, location
from ._escape import markdown as escape
from ._escape import markdown_code as _code

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from outsourcekit.engine import EngagementResult, Report

__all__ = ["EXPORTER", "escape", "export"]


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str) -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _summary(report: Report) -> str:
    summary = report.summary
    by = summary["by_severity"]
    score = summary["score"]
    row = [
        str(summary["engagements"]),
        str(summary["findings"]),
        *(str(by.get(s, 0)) for s in SEVERITIES),
        str(summary["waived"]),
        "" if score is None else f"{score:g}",
    ]
    header = ["engagements", "findings", *SEVERITIES, "waived", "portfolio score"]
    return _table(header, [row], "rrrrrrr")


def _overview(report: Report) -> str:
    rows = [
        [
            escape(e.id),
            str(e.score),
            str(sum(1 for f in e.findings if f.waived is None)),
            escape(e.source),
        ]
        for e in report.engagements
    ]
    return _table(["engagement", "score", "findings", "source"], rows, "lrrl")


def _engagement(report: Report, result: EngagementResult) -> str:
    parts = [f"## {escape(result.id)}: score {result.score}"]
    if result.source is not None:
        parts.append(f"Source: {escape(result.source)}")
    if not result.findings:
        parts.append("No findings.")
        return "\n\n".join(parts)
    rows = [
        [
            "waived" if f.waived is not None else f.severity.value,
            f"{_code(f.rule)} {escape(f.slug)}",
            escape(f.category),
            escape(f.path),
            escape(location(f)),
            escape(f.message),
            escape(f"waived: {f.waived}" if f.waived is not None else f.fix),
        ]
        for f in result.findings
    ]
    header = ["severity", "rule", "category", "path", "location", "message", "fix"]
    if report.baseline is not None:
        header.append("baseline")
        for f, row in zip(result.findings, rows, strict=True):
            row.append(escape(report.baseline_state(f)))
    parts.append(_table(header, rows, "l" * len(header)))
    return "\n\n".join(parts)


def _problems(report: Report) -> list[str]:
    parts = []
    if report.errors:
        rows = [
            [
                escape(d.get("source")),
                escape(d.get("line")),
                escape(d.get("column")),
                escape(d.get("path")),
                escape(d.get("message")),
            ]
            for d in (e.to_dict() for e in report.errors)
        ]
        table = _table(["source", "line", "column", "path", "message"], rows, "lrrll")
        parts.append(f"## Load errors\n\n{table}")
    if report.rule_errors:
        rows = [
            [
                _code(e.rule),
                escape(e.engagement or "(portfolio)"),
                escape(e.type),
                escape(e.message),
            ]
            for e in report.rule_errors
        ]
        table = _table(["rule", "engagement", "exception", "message"], rows, "llll")
        parts.append(f"## Rule errors\n\n{table}")
    if report.plugin_errors:
        rows = [[escape(e.plugin), escape(e.message)] for e in report.plugin_errors]
        table = _table(["plugin", "message"], rows, "ll")
        parts.append(f"## Plugin errors\n\n{table}")
    return parts


def export(report: Report) -> str:
    """Return the report as Markdown (GitHub-flavoured tables)."""
    parts = [
        "# outsourcekit report",
        f"As of {report.as_of.isoformat()}, outsourcekit {__version__}.",
        _summary(report),
    ]
    if report.engagements:
        parts.append(_overview(report))
    parts += [_engagement(report, e) for e in report.engagements]
    parts += _problems(report)
    return "\n\n".join(parts) + "\n"


#: The ``markdown`` format.
EXPORTER = Exporter(
    "markdown",
    ".md",
    export,
    "A summary table and a findings table per engagement, for pull requests.",
)
