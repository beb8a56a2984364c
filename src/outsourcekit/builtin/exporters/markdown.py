"""The Markdown format: a summary table and a findings table per engagement."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from outsourcekit._version import __version__
from outsourcekit.plugins import Exporter

from ._common import SEVERITIES, location

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from outsourcekit.engine import EngagementResult, Report

__all__ = ["EXPORTER", "escape", "export"]

_ACTIVE = re.compile(r"([\\`*_\[\]|#!])")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def escape(value: object) -> str:
    """Return *value* as Markdown text that renders literally, also in a table cell.

    HTML is escaped (``<script>`` shows as text), Markdown's active characters
    and pipes are backslash-escaped, and line breaks become ``<br>``.
    """
    if value is None:
        return ""
    text = html.escape(str(value), quote=False)
    text = _ACTIVE.sub(r"\\\1", text)
    return _NEWLINES.sub("<br>", text)


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
        "" if score is None else str(score),
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


def _engagement(result: EngagementResult) -> str:
    parts = [f"## {escape(result.id)}: score {result.score}"]
    if result.source is not None:
        parts.append(f"Source: {escape(result.source)}")
    if not result.findings:
        parts.append("No findings.")
        return "\n\n".join(parts)
    rows = [
        [
            "waived" if f.waived is not None else f.severity.value,
            f"`{f.rule}` {escape(f.slug)}",
            escape(f.category),
            escape(f.path),
            escape(location(f)),
            escape(f.message),
            escape(f"waived: {f.waived}" if f.waived is not None else f.fix),
        ]
        for f in result.findings
    ]
    header = ["severity", "rule", "category", "path", "location", "message", "fix"]
    parts.append(_table(header, rows, "lllllll"))
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
                f"`{e.rule}`",
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
    parts += [_engagement(e) for e in report.engagements]
    parts += _problems(report)
    return "\n\n".join(parts) + "\n"


#: The ``markdown`` format.
EXPORTER = Exporter(
    "markdown",
    ".md",
    export,
    "A summary table and a findings table per engagement, for pull requests.",
)
