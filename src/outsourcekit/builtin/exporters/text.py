"""The text format: findings grouped by engagement, for people at a terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._common import issue_text, location, plural, summary_text
from ._escape import text as escape

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from outsourcekit.engine import EngagementResult, Finding, Report, ReportDiff

__all__ = ["EXPORTER", "WIDTH", "export", "render", "summary"]

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
_INDENT = " " * 11


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


#: The width text is wrapped to when the terminal's is not known.
WIDTH = 88


def _wrap(text: str, width: int) -> list[str]:
    """Return *text* escaped, wrapped under *width*, indented under the head.

    The value is escaped before it is wrapped, so no value adds a line of its
    own: only wrapping does, always indented.
    """
    lines = textwrap.wrap(
        escape(text),
        width=max(width - len(_INDENT), 20),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [_INDENT + line for line in lines or [""]]


def _where(f: Finding, result: EngagementResult) -> str | None:
    """Return where a finding is: ``line 4`` in the engagement's file, else more."""
    if f.source is not None and f.source == result.source:
        return None if f.line is None else f"line {f.line}"
    return location(f)


def _finding(
    f: Finding,
    result: EngagementResult,
    style: _Styler,
    state: str | None,
    width: int,
) -> str:
    waived = f.waived is not None
    label = "waived" if waived else f.severity.value
    head = (
        style(f"{label:<8}", "dim")
        if waived
        else style(f"{label:<8}", *_SEVERITY_STYLE[label])
    )
    parts = [
        style(escape(f.rule), "bold"),
        escape(f.slug),
        "at",
        escape(f.path or "(engagement)"),
    ]
    where = _where(f, result)
    if where is not None:
        parts.append(style(f"({escape(where)})", "cyan"))
    if state == "new" and not waived:
        parts.append(style("[new]", "bold", "yellow"))
    elif state == "unchanged" and not waived:
        parts.append(style("[unchanged]", "dim"))
    lines = [f"  {head} {' '.join(parts)}"]
    body = _wrap(f.message, width)
    if waived:
        reason = f.waived or "(no reason given)"
        body += _wrap(f"waived: {reason}", width)
        body = [style(line, "dim") for line in body]
    elif f.fix:
        body += [style(line, "green") for line in _wrap(f"fix: {f.fix}", width)]
    return "\n".join(lines + body)


def _states(report: Report, diff: ReportDiff | None) -> Callable[[Finding], str | None]:
    """Return each finding's state against the baseline, from the report or *diff*."""
    if report.baseline is not None:
        return report.baseline_state
    if diff is None:
        return lambda _f: None
    new = frozenset(f.key for f in diff.new)
    return lambda f: "new" if f.key in new else "unchanged"


def _engagement(
    result: EngagementResult,
    title: str | None,
    style: _Styler,
    state: Callable[[Finding], str | None],
    width: int,
) -> str:
    head = style(escape(result.id), "bold")
    if title:
        head += f"  {escape(title)}"
    head += f"  [{style.score(result.score)}]"
    lines = [head]
    if result.source is not None:
        lines.append(style(f"  {escape(result.source)}", "dim"))
    if not result.findings:
        lines.append(style("  no findings", "green"))
    lines += [_finding(f, result, style, state(f), width) for f in result.findings]
    return "\n".join(lines)


def _scores(report: Report, titles: Mapping[str, str], width: int) -> str:
    """Return the score table, worst engagement first."""
    rows = sorted(report.engagements, key=lambda e: (e.score, e.id))
    lines = [f"{'score':>5}  {'errors':>6}  {'warnings':>8}  {'info':>4}  engagement"]
    for e in rows:
        counts = dict.fromkeys(("error", "warning", "info"), 0)
        for f in e.findings:
            if f.waived is None:
                counts[f.severity.value] += 1
        name = escape(e.id)
        title = titles.get(e.id)
        if title:
            name += f"  {escape(title)}"
        line = (
            f"{e.score:>5}  {counts['error']:>6}  {counts['warning']:>8}  "
            f"{counts['info']:>4}  {name}"
        )
        lines.append(line if len(line) <= width else line[: width - 3] + "...")
    return "\n".join(lines)


def _problems(report: Report) -> list[str]:
    lines = [f"load error: {escape(issue_text(issue))}" for issue in report.errors]
    for e in report.rule_errors:
        where = "the portfolio" if e.engagement is None else e.engagement
        lines.append(
            f"rule error: {escape(e.rule)} failed on {escape(where)}: "
            f"{escape(e.type)}: {escape(e.message)}"
        )
    lines += [
        f"plugin error: {escape(e.plugin)}: {escape(e.message)}"
        for e in report.plugin_errors
    ]
    return lines


def _baseline(diff: ReportDiff, style: _Styler) -> list[str]:
    lines = []
    if diff.fixed:
        lines.append(style(f"Fixed since the baseline ({len(diff.fixed)}):", "bold"))
        lines += [
            style(
                f"  {escape(f.rule)} {escape(f.slug)}  {escape(f.engagement)}  "
                f"{escape(f.path or '(engagement)')}",
                "green",
            )
            for f in diff.fixed
        ]
    return lines


def _head(report: Report, against: tuple[int, int] | None, style: _Styler) -> list[str]:
    """Return the summary lines: counts, the baseline's verdict, skipped paths.

    *against* is how many findings are new and how many fixed, against a
    baseline. What was skipped while walking is counted as paths: files and
    folders alike, as the JSON report's ``skipped`` lists them.
    """
    lines = [style(summary_text(report), "bold")]
    if against is not None:
        new, fixed = against
        lines.append(
            f"Against the baseline: {plural(new, 'new finding')}, {fixed} fixed"
        )
    if report.skipped:
        lines.append(
            f"{plural(len(report.skipped), 'path')} skipped while walking "
            "directories (--format json lists them)"
        )
    return lines


def render(  # noqa: PLR0913 - each is a separate choice of the command line
    report: Report,
    *,
    color: bool = False,
    titles: Mapping[str, str] | None = None,
    diff: ReportDiff | None = None,
    quiet: bool = False,
    problems: bool = True,
    width: int = WIDTH,
) -> str:
    """Return the report as text a person can scan.

    First the summary (and, with several engagements, their scores, worst
    first); then each engagement with findings, worst first: its file once,
    then its findings with the line they are on, messages wrapped under
    *width*. *color* adds ANSI colours; *titles* maps engagement ids to
    titles; *diff* (against a baseline) marks findings new or unchanged and
    lists the fixed ones; *quiet* gives the summary alone; *problems* lists
    load, rule and plugin errors (the command line prints them apart). A long
    report ends with the summary line again.
    """
    style = _Styler(color=color)
    titles = titles or {}
    against = None if diff is None else (len(diff.new), len(diff.fixed))
    head = _head(report, against, style)
    if quiet:
        return "\n".join(head) + "\n"
    blocks = ["\n".join(head)]
    if len(report.engagements) > 1:
        blocks.append(_scores(report, titles, width))
    state = _states(report, diff)
    shown = [
        e
        for e in sorted(report.engagements, key=lambda e: (e.score, e.id))
        if e.findings or len(report.engagements) == 1
    ]
    blocks += [
        _engagement(result, titles.get(result.id), style, state, width)
        for result in shown
    ]
    if diff is not None and diff.fixed:
        blocks.append("\n".join(_baseline(diff, style)))
    if problems:
        found = _problems(report)
        if found:
            blocks.append("\n".join(style(line, "red") for line in found))
    if len(blocks) > 2:
        blocks.append(style(summary_text(report), "bold"))
    return "\n\n".join(blocks) + "\n"


def summary(
    report: Report, *, color: bool = False, against: tuple[int, int] | None = None
) -> str:
    """Return the summary lines alone, as :func:`render` gives them with *quiet*.

    For a report whose findings went elsewhere (a streamed check): *against*
    is how many findings are new and how many fixed, against a baseline.
    """
    return "\n".join(_head(report, against, _Styler(color=color))) + "\n"


def export(report: Report) -> str:
    """Return the report as plain text, without colours."""
    return render(report)


#: The ``text`` format.
EXPORTER = Exporter(
    "text",
    ".txt",
    export,
    "The summary and scores, then findings by engagement, worst first (default).",
)
