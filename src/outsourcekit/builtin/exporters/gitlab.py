"""The gitlab format: a GitLab code-quality report (Code Climate JSON subset).

A JSON array with one issue per unwaived finding and per load error:
``description``, ``check_name``, ``fingerprint``, ``severity`` and
``location`` (``path`` and ``lines.begin``), the fields GitLab reads.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from outsourcekit.plugins import Exporter

from ._common import repository_path
from ._escape import json_text, scalar_text

if TYPE_CHECKING:
    from outsourcekit.engine import Finding, Issue, Report

__all__ = ["EXPORTER", "SEVERITIES", "export", "to_gitlab"]

#: The variable naming the repository's root in a pipeline.
_PROJECT_DIR = "CI_PROJECT_DIR"
#: GitLab's severity (info, minor, major, critical, blocker) by outsourcekit's.
SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def _fingerprint(parts: tuple[str, ...], seen: dict[str, int]) -> str:
    """Return a stable fingerprint of *parts*, unique within the report."""
    key = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    digest = hashlib.sha256(key).hexdigest()
    count = seen.get(digest, 0)
    seen[digest] = count + 1
    if count:
        again = f"{digest}\x1f{count}".encode()
        return hashlib.sha256(again).hexdigest()
    return digest


def _finding(f: Finding, seen: dict[str, int]) -> dict[str, Any]:
    description = f"{f.message} (at {f.path or 'the engagement'})"
    return {
        "type": "issue",
        "description": scalar_text(description),
        "check_name": f"{f.rule} {f.slug}",
        "categories": ["Style"],
        "fingerprint": _fingerprint(f.key, seen),
        "severity": SEVERITIES[f.severity.value],
        "location": {
            "path": scalar_text(
                repository_path(f.source, _PROJECT_DIR) if f.source else f.engagement
            ),
            "lines": {"begin": f.line or 1},
        },
    }


def _issue(issue: Issue, seen: dict[str, int]) -> dict[str, Any]:
    data = issue.to_dict()
    path = data.get("path")
    message = str(data.get("message", ""))
    given = data.get("source")
    source = repository_path(str(given), _PROJECT_DIR) if given else "<string>"
    return {
        "type": "issue",
        "description": scalar_text(f"{path}: {message}" if path else message),
        "check_name": "load-error",
        "categories": ["Bug Risk"],
        "fingerprint": _fingerprint(("load-error", source, str(path), message), seen),
        "severity": "blocker",
        "location": {
            "path": scalar_text(source),
            "lines": {"begin": data.get("line") or 1},
        },
    }


def to_gitlab(report: Report) -> list[dict[str, Any]]:
    """Return the code-quality issues of the report (plain data)."""
    seen: dict[str, int] = {}
    issues = [_issue(issue, seen) for issue in report.errors]
    issues += [_finding(f, seen) for f in report.findings if f.waived is None]
    return issues


def export(report: Report) -> str:
    """Return the report as GitLab code-quality JSON."""
    return json_text(to_gitlab(report), indent=2) + "\n"


#: The ``gitlab`` format.
EXPORTER = Exporter(
    "gitlab",
    ".gitlab.json",
    export,
    "GitLab code quality JSON, for merge request widgets.",
)
