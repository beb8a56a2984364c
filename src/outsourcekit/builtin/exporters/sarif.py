"""The SARIF 2.1.0 format, for code-scanning dashboards."""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from outsourcekit import __version__
from outsourcekit.plugins import Exporter

from ._common import report_rules
from ._escape import json_text, scalar_text

if TYPE_CHECKING:
    from outsourcekit.engine import Finding, Report

__all__ = ["EXPORTER", "LEVELS", "export", "to_sarif"]

#: The SARIF schema this format follows.
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where the tool is documented (the driver's ``informationUri``).
INFORMATION_URI = "https://outsourcekit.readthedocs.io/"
#: SARIF levels by severity.
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(source: str) -> str:
    """Return a file name as a URI reference: relative stays relative.

    A lone surrogate, which no URI can name, becomes U+FFFD.
    """
    source = scalar_text(source)
    path = PurePath(source)
    if path.is_absolute():
        return Path(source).as_uri()
    return quote(posixpath.join(*path.parts) if path.parts else source)


def _fingerprint(f: Finding) -> str:
    key = "\x1f".join(f.key).encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()


def _result(report: Report, f: Finding, index: dict[str, int]) -> dict[str, Any]:
    logical = {
        "name": f.path or f.engagement,
        "fullyQualifiedName": f"{f.engagement}.{f.path}" if f.path else f.engagement,
        "kind": "object",
    }
    loc: dict[str, Any] = {"logicalLocations": [logical]}
    if f.source is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.source)}}
        if f.line is not None:
            physical["region"] = {"startLine": f.line}
        loc = {"physicalLocation": physical, **loc}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[f.severity.value],
        "message": {"text": f.message},
        "locations": [loc],
        "partialFingerprints": {"outsourcekitFinding/v1": _fingerprint(f)},
        "properties": {
            "engagement": f.engagement,
            "path": f.path,
            "category": f.category,
            "severity": f.severity.value,
            "fix": f.fix,
            "evidence": f.to_dict()["evidence"],
        },
    }
    state = report.baseline_state(f)
    if state is not None:
        result["baselineState"] = state
    if f.waived is not None:
        result["suppressions"] = [{"kind": "external", "justification": f.waived}]
    return result


def _notifications(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for issue in report.errors:
        data = issue.to_dict()
        note: dict[str, Any] = {
            "level": "error",
            "message": {"text": f"{data.get('path') or ''}: {data['message']}"},
        }
        if data.get("source"):
            physical: dict[str, Any] = {
                "artifactLocation": {"uri": _uri(data["source"])}
            }
            if data.get("line"):
                region = {"startLine": data["line"]}
                if data.get("column"):
                    region["startColumn"] = data["column"]
                physical["region"] = region
            note["locations"] = [{"physicalLocation": physical}]
        out.append(note)
    for e in report.rule_errors:
        where = "the portfolio" if e.engagement is None else e.engagement
        out.append(
            {
                "level": "error",
                "message": {"text": f"rule {e.rule} failed on {where}: {e.message}"},
                "associatedRule": {"id": e.rule},
                "exception": {"kind": e.type, "message": e.message},
            }
        )
    out += [
        {"level": "error", "message": {"text": f"plugin {e.plugin}: {e.message}"}}
        for e in report.plugin_errors
    ]
    return out


def to_sarif(report: Report) -> dict[str, Any]:
    """Return the report as a SARIF 2.1.0 log (plain data, one run)."""
    rules = report_rules(report)
    index = {r.code: i for i, r in enumerate(rules)}
    descriptors = []
    for r in rules:
        descriptor: dict[str, Any] = {"id": r.code}
        if r.slug:
            descriptor["name"] = r.slug
        descriptor |= {
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.summary or r.title},
            "defaultConfiguration": {"level": LEVELS[r.severity]},
        }
        if r.category:
            descriptor["properties"] = {"category": r.category, "tags": [r.category]}
        help_text = r.doc.strip() or r.fix
        if help_text:
            descriptor["help"] = {"text": help_text, "markdown": help_text}
        descriptors.append(descriptor)
    notifications = _notifications(report)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "outsourcekit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [_result(report, f, index) for f in report.findings],
                "properties": {
                    "as_of": report.as_of.isoformat(),
                    "summary": report.summary,
                },
            }
        ],
    }


def export(report: Report) -> str:
    """Return the report as a SARIF 2.1.0 JSON log."""
    return json_text(to_sarif(report), indent=2) + "\n"


#: The ``sarif`` format.
EXPORTER = Exporter(
    "sarif",
    ".sarif",
    export,
    "SARIF 2.1.0, for code-scanning dashboards such as GitHub's.",
)
