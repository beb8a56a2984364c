"""The github format: GitHub Actions workflow commands, shown as annotations.

Each unwaived finding becomes ``::error``, ``::warning`` or ``::notice`` with
its file, line and a title; GitHub shows it on the file in a pull request.
Only a finding that fails the run (unwaived, new against the baseline, at or
above ``--fail-on``) is an ``error``: the annotations agree with the exit
status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._common import repository_path, summary_text
from ._escape import github_data, github_property
from ._stream import LineSink

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from outsourcekit.engine import Finding, Issue, Report

__all__ = ["EXPORTER", "GitHubSink", "command", "export", "level"]

#: The variable naming the repository's root in a workflow.
_WORKSPACE = "GITHUB_WORKSPACE"
#: The command of a finding that does not fail the run, by severity.
_QUIET_LEVELS = {"error": "warning", "warning": "warning", "info": "notice"}


def command(name: str, message: str | Sequence[str], **properties: object) -> str:
    """Return one workflow command, ``::name k=v,...::message``, escaped.

    *message* is one line or several (shown as lines in the annotation); a
    line break inside a value is shown, never followed. Properties that are
    None are left out.
    """
    props = ",".join(
        f"{key}={github_property(value)}"
        for key, value in properties.items()
        if value is not None
    )
    head = f"::{name} {props}" if props else f"::{name}"
    lines = [message] if isinstance(message, str) else message
    return f"{head}::{'%0A'.join(github_data(line) for line in lines)}"


def level(report: Report, finding: Finding) -> str:
    """Return ``error`` for a finding that fails the run, else by its severity."""
    if report.counts_as_failure(finding):
        return "error"
    return _QUIET_LEVELS[finding.severity.value]


def _finding(report: Report, f: Finding) -> str:
    title = f"{f.rule} {f.slug}"
    if report.baseline_state(f) == "unchanged":
        title += " (in the baseline)"
    message = [f.message, f"fix: {f.fix}"] if f.fix else [f.message]
    return command(
        level(report, f),
        message,
        file=repository_path(f.source, _WORKSPACE) if f.source else f.source,
        line=f.line if f.source is not None else None,
        title=title,
    )


def _issue(issue: Issue) -> str:
    data = issue.to_dict()
    path = data.get("path")
    message = str(data.get("message", ""))
    source = data.get("source")
    return command(
        "error",
        f"{path}: {message}" if path else message,
        file=repository_path(str(source), _WORKSPACE) if source else source,
        line=data.get("line"),
        col=data.get("column"),
        title="outsourcekit load error",
    )


def _finding_lines(context: Report, findings: Iterable[Finding]) -> list[str]:
    return [_finding(context, f) + "\n" for f in findings if f.waived is None]


def _closing_lines(report: Report) -> list[str]:
    lines = [_issue(issue) for issue in report.errors]
    lines += [
        command(
            "error",
            f"rule {e.rule} failed on {e.engagement or 'the portfolio'}: "
            f"{e.type}: {e.message}",
        )
        for e in report.rule_errors
    ]
    lines += [
        command("error", f"plugin {e.plugin}: {e.message}")
        for e in report.plugin_errors
    ]
    lines.append(github_data(summary_text(report)))
    return [line + "\n" for line in lines]


def export(report: Report) -> str:
    """Return the workflow commands of the report, and its summary line.

    The findings' annotations come first, then the load, rule and plugin
    errors', then the summary.
    """
    return "".join(_finding_lines(report, report.findings) + _closing_lines(report))


class GitHubSink(LineSink):
    """Writes the workflow commands while the check runs: the bytes of :func:`export`.

    The annotations of each batch of findings are written and flushed as it
    comes; the errors' and the summary follow at the end. *context* answers
    for each finding against the baseline and ``fail_on`` (see
    :class:`~outsourcekit.plugins.Exporter`).
    """

    def finding_lines(self, context: Report, batch: Sequence[Finding]) -> list[str]:
        """Return the lines of the unwaived findings of *batch*."""
        return _finding_lines(context, batch)

    def closing_lines(self, report: Report) -> list[str]:
        """Return the lines of the errors and the summary."""
        return _closing_lines(report)


#: The ``github`` format.
EXPORTER = Exporter(
    "github",
    ".github.log",
    export,
    "GitHub Actions workflow commands: annotations on the files of a pull request.",
    stream=GitHubSink,
)
