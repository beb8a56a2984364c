"""The text format: findings grouped by engagement, for people at a terminal."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._common import location, plural, summary_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from outsourcekit.engine import EngagementResult, Finding, Report, ReportDiff

__all__ = ["EXPORTER", "export", "render"]

_RESET = "\x1b[0m"
_STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "cyan": "36",
}
_SEVERITY_STYLE = {
    "error": ("bold", "red"),
    "warning": ("bold", "yellow"),
    "info": ("bold", "blue"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INDENT = " " * 11


def _clean(text: str) -> str:
    """Show control characters, terminal escapes among them, as visible text."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class _Styler:
    """Adds ANSI colours and weights when asked to, else returns text unchanged."""

    def __init__(self, *, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        codes = ";".join(_STYLES[s] for s in styles)
        return f"\x1b[{codes}m{text}{_RESET}"

    def score(self, score: int) -> str:
        color = "green" if score >= 80 else "yellow" if score >= 50 else "red"
        return self(f"score {score}", "bold", color)


def _lines(text: str, indent: str) -> list[str]:
    """Return *text* cleaned, with continuation lines indented."""
    return [indent + line for line in _clean(text).splitlines() or [""]]


def _finding(f: Finding, style: _Styler, new: frozenset[tuple[str, str, str]]) -> str:
    waived = f.waived is not None
    label = "waived" if waived else f.severity.value
    head = (
        style(f"{label:<8}", "dim")
        if waived
        else style(f"{label:<8}", *_SEVERITY_STYLE[label])
    )
    parts = [style(f.rule, "bold"), f.slug, "at", _clean(f.path or "(engagement)")]
    where = location(f)
    if where is not None:
        parts.append(style(f"({_clean(where)})", "cyan"))
    if f.key in new and not waived:
        parts.append(style("[new]", "bold", "yellow"))
    lines = [f"  {head} {' '.join(parts)}"]
    body = _lines(f.message, _INDENT)
    if waived:
        reason = f.waived or "(no reason given)"
        body += _lines(f"waived: {reason}", _INDENT)
        body = [style(line, "dim") for line in body]
    elif f.fix:
        body += [style(line, "green") for line in _lines(f"fix: {f.fix}", _INDENT)]
    return "\n".join(lines + body)


def _engagement(
    result: EngagementResult,
    title: str | None,
    style: _Styler,
    new: frozenset[tuple[str, str, str]],
) -> str:
    head = style(_clean(result.id), "bold")
    if title:
        head += f"  {_clean(title)}"
    head += f"  [{style.score(result.score)}]"
    lines = [head]
    if result.source is not None:
        lines.append(style(f"  {_clean(result.source)}", "dim"))
    if not result.findings:
        lines.append(style("  no findings", "green"))
    lines += [_finding(f, style, new) for f in result.findings]
    return "\n".join(lines)


def _problems(report: Report) -> list[str]:
    lines = [f"load error: {_clean(str(issue))}" for issue in report.errors]
    for e in report.rule_errors:
        where = "the portfolio" if e.engagement is None else e.engagement
        lines.append(
            f"rule error: {e.rule} failed on {_clean(where)}: "
            f"{e.type}: {_clean(e.message)}"
        )
    lines += [
        f"plugin error: {_clean(e.plugin)}: {_clean(e.message)}"
        for e in report.plugin_errors
    ]
    return lines


def _baseline(diff: ReportDiff, style: _Styler) -> list[str]:
    lines = []
    if diff.fixed:
        lines.append(style(f"Fixed since the baseline ({len(diff.fixed)}):", "bold"))
        lines += [
            style(
                f"  {f.rule} {f.slug}  {_clean(f.engagement)}  "
                f"{_clean(f.path or '(engagement)')}",
                "green",
            )
            for f in diff.fixed
        ]
    return lines


def render(  # noqa: PLR0913 - each is a separate choice of the command line
    report: Report,
    *,
    color: bool = False,
    titles: Mapping[str, str] | None = None,
    diff: ReportDiff | None = None,
    quiet: bool = False,
    problems: bool = True,
) -> str:
    """Return the report as text.

    *color* adds ANSI colours; *titles* maps engagement ids to titles for the
    headings; *diff* (against a baseline) marks the findings the baseline
    lacks as new and lists the fixed ones; *quiet* gives the summary line
    alone; *problems* lists load, rule and plugin errors (the command line
    prints them apart).
    """
    style = _Styler(color=color)
    titles = titles or {}
    blocks: list[str] = []
    new: frozenset[tuple[str, str, str]] = frozenset()
    if diff is not None:
        new = frozenset(f.key for f in diff.new)
    if not quiet:
        blocks += [
            _engagement(result, titles.get(result.id), style, new)
            for result in report.engagements
        ]
        if diff is not None and diff.fixed:
            blocks.append("\n".join(_baseline(diff, style)))
        if problems:
            found = _problems(report)
            if found:
                blocks.append("\n".join(style(line, "red") for line in found))
    tail = [style(summary_text(report), "bold")]
    if diff is not None:
        tail.append(
            f"Against the baseline: {plural(len(diff.new), 'new finding')}, "
            f"{len(diff.fixed)} fixed"
        )
    blocks.append("\n".join(tail))
    return "\n\n".join(blocks) + "\n"


def export(report: Report) -> str:
    """Return the report as plain text, without colours."""
    return render(report)


#: The ``text`` format.
EXPORTER = Exporter(
    "text",
    ".txt",
    export,
    "Findings grouped by engagement, with fixes and a summary (the default).",
)
