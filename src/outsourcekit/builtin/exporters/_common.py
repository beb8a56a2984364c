"""What several formats share: rule descriptions, locations and counts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

    from outsourcekit.engine import Finding, Issue, Report, Rule

__all__ = [
    "RuleInfo",
    "finding_rule",
    "issue_text",
    "location",
    "report_rules",
    "repository_path",
    "summary_text",
]

#: Severity words, most serious first.
SEVERITIES = ("error", "warning", "info")
_PLURAL = {"error": "errors", "warning": "warnings", "info": "info"}


@attrs.frozen(kw_only=True)
class RuleInfo:
    """What a format says about one rule: from the rule itself, or from a finding.

    A report read back from JSON carries no rules, only findings; then the
    title is the slug and the documentation is empty.
    """

    code: str
    slug: str
    title: str
    category: str
    severity: str
    fix: str = ""
    doc: str = ""
    summary: str = ""


def _summary(rule: Rule) -> str:
    """Return the rule's "What it checks" section, else its first paragraph."""
    sections = rule.sections()
    text = sections.get("What it checks") or rule.doc.strip().split("\n\n")[0]
    return " ".join(text.split())


def report_rules(
    report: Report, findings: Iterable[Finding] | None = None
) -> list[RuleInfo]:
    """Return every rule of the report: the ones that ran, found or failed.

    Sorted by code. A rule known only from a finding or a rule error (in a report
    read back from JSON) is described by what those say. *findings* are the
    report's findings when they are not in it (they went to a sink), or those
    of them whose rule did not run.
    """
    out = {
        r.code: RuleInfo(
            code=r.code,
            slug=r.slug,
            title=r.title,
            category=r.category,
            severity=r.severity.value,
            fix=r.fix,
            doc=r.doc,
            summary=_summary(r),
        )
        for r in report.rules
    }
    for f in report.findings if findings is None else findings:
        if f.rule not in out:
            out[f.rule] = finding_rule(f)
    for e in report.rule_errors:
        if e.rule not in out:
            out[e.rule] = RuleInfo(
                code=e.rule, slug="", title=e.rule, category="", severity="error"
            )
    return [out[code] for code in sorted(out)]


def finding_rule(f: Finding) -> RuleInfo:
    """Return what a finding says about its rule, for a rule known only from it."""
    return RuleInfo(
        code=f.rule,
        slug=f.slug,
        title=f.slug.replace("-", " ").capitalize(),
        category=f.category,
        severity=f.severity.value,
        fix=f.fix,
    )


def location(finding: Finding) -> str | None:
    """Return ``source:line`` (or the source alone) where the finding is, if known."""
    if finding.source is None:
        return None
    if finding.line is None:
        return finding.source
    return f"{finding.source}:{finding.line}"


def issue_text(issue: Issue) -> str:
    """Return a load error as ``file:line:column: path: message``.

    Made from the issue's data, so an error read back from a saved report reads
    like one from this run; what is unknown is left out.
    """
    data = issue.to_dict()
    where = "<string>" if data.get("source") is None else str(data["source"])
    for part in ("line", "column"):
        if data.get(part) is None:
            break
        where += f":{data[part]}"
    path = data.get("path")
    message = data.get("message", "")
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def plural(count: int, word: str) -> str:
    """Return ``"1 finding"`` or ``"2 findings"``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def severity_counts(report: Report) -> str:
    """Return unwaived findings by severity, like ``"2 errors, 1 warning"``."""
    by = report.summary["by_severity"]
    parts = [
        f"{by[s]} {s if by[s] == 1 else _PLURAL[s]}" for s in SEVERITIES if s in by
    ]
    return ", ".join(parts)


def summary_text(report: Report) -> str:
    """Return the one-line summary: engagements, findings, waived and score."""
    summary = report.summary
    findings = plural(summary["findings"], "finding")
    counts = severity_counts(report)
    if counts:
        findings += f" ({counts})"
    score = summary["score"]
    scored = "no portfolio score" if score is None else f"portfolio score {score:g}"
    return (
        f"{plural(summary['engagements'], 'engagement')}, {findings}, "
        f"{summary['waived']} waived, {scored}"
    )


def repository_path(source: str, root_variable: str) -> str:
    """Return the file *source* named from the repository's root, as CI reads it.

    A CI service finds a file of an annotation or a code-quality issue from
    the repository's root, which its *root_variable* names
    (``GITHUB_WORKSPACE``, ``CI_PROJECT_DIR``), while a report names files
    from the working directory, a subfolder maybe. *source* below that root
    is named from it, with ``/``; without the variable, or outside the root,
    *source* is returned as it is.
    """
    root = os.environ.get(root_variable)
    if not root or not source:
        return source
    # As written, then with links resolved: the working directory is the
    # system's (links resolved), the variable may name the root through one.
    for resolve in (os.path.abspath, os.path.realpath):
        path, base = Path(resolve(source)), Path(resolve(root))
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return source  # outside the root
