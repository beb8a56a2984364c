"""The SARIF 2.1.0 format, for code-scanning dashboards.

Its streaming form (:class:`SarifSink`) writes the same log: the results go
to a temporary file as they come, and the log is written around them at the
end, since the run's invocations (which say whether anything failed) come
before its results.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

import attrs

from outsourcekit import __version__
from outsourcekit.plugins import Exporter

from ._common import RuleInfo, report_rules, repository_path
from ._escape import json_text, scalar_text
from ._stream import Spool, placeholder, write_document

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from outsourcekit.engine import Finding, Report, Rule

__all__ = [
    "EXPORTER",
    "LEVELS",
    "SarifSink",
    "export",
    "semantic_version",
    "to_sarif",
]

#: The SARIF schema this format follows.
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where the tool is documented (the driver's ``informationUri``).
INFORMATION_URI = "https://outsourcekit.readthedocs.io/"
#: SARIF levels by severity.
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


#: A version as PEP 440 writes it, in the forms SemVer can say: a release of
#: one to three numbers, then a pre-release (a, b, rc) or a development release.
_PEP440 = re.compile(
    r"(?P<release>(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*)){0,2})"
    r"(?:(?P<pre>a|b|rc)(?P<pre_n>\d+)|\.dev(?P<dev>\d+))?"
)


def semantic_version(version: str) -> str | None:
    """Return *version* (PEP 440) as Semantic Versioning 2.0.0, or None.

    SARIF's ``semanticVersion`` must be SemVer: ``0.1.0.dev0`` is written
    ``0.1.0-dev.0``, ``1.0rc1`` ``1.0.0-rc.1``. A version SemVer cannot order as
    PEP 440 does (a post-release, a local version, a development release of a
    pre-release) gives None: the log then names the version only as it is.
    """
    match = _PEP440.fullmatch(version)
    if match is None:
        return None
    numbers = match["release"].split(".")
    release = ".".join(numbers + ["0"] * (3 - len(numbers)))
    if match["pre"] is not None:
        return f"{release}-{match['pre']}.{int(match['pre_n'])}"
    if match["dev"] is not None:
        return f"{release}-dev.{int(match['dev'])}"
    return release


def _text(message: str) -> dict[str, str]:
    """Return a SARIF message of plain text *message*.

    Braces are written doubled: in SARIF, ``{0}`` is a placeholder for an
    argument, and a literal brace is ``{{`` or ``}}`` (SARIF 2.1.0, 3.11.5).
    """
    if "{" in message or "}" in message:
        message = message.replace("{", "{{").replace("}", "}}")
    return {"text": message}


def _uri(source: str) -> str:
    """Return a file name as a URI reference: relative stays relative.

    In a GitHub workflow, a file below the workspace is named from it, as
    code scanning reads a relative URI from the repository's root. A lone
    surrogate, which no URI can name, becomes U+FFFD.
    """
    source = scalar_text(repository_path(source, "GITHUB_WORKSPACE"))
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
        "message": _text(f.message),
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
        result["suppressions"] = [_suppression(f)]
    return result


def _suppression(f: Finding) -> dict[str, Any]:
    """Return the suppression of waived *f*: where its waiver is, and its reason.

    A waiver in the engagement's own ``waivers:`` is written in the checked
    file: ``inSource``. One kept elsewhere (a central waiver file), or one whose
    place is not known (a finding read back from a saved report), is
    ``external``.
    """
    kind = "inSource" if f.waived_in == "engagement" else "external"
    return {"kind": kind, "justification": f.waived}


def _notifications(report: Report) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for issue in report.errors:
        data = issue.to_dict()
        note: dict[str, Any] = {
            "level": "error",
            "message": _text(
                f"{data['path']}: {data['message']}"
                if data.get("path")
                else data["message"]
            ),
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
                "message": _text(f"rule {e.rule} failed on {where}: {e.message}"),
                "associatedRule": {"id": e.rule},
                "exception": {"kind": e.type, "message": e.message},
            }
        )
    out += [
        {"level": "error", "message": _text(f"plugin {e.plugin}: {e.message}")}
        for e in report.plugin_errors
    ]
    return out


def _descriptors(rules: Sequence[RuleInfo]) -> list[dict[str, Any]]:
    """Return the driver's description of each rule."""
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
    return descriptors


def to_sarif(report: Report) -> dict[str, Any]:
    """Return the report as a SARIF 2.1.0 log (plain data, one run)."""
    rules = report_rules(report)
    index = {r.code: i for i, r in enumerate(rules)}
    return _log(report, rules, [_result(report, f, index) for f in report.findings])


def _driver(rules: Sequence[RuleInfo]) -> dict[str, Any]:
    """Return the run's tool driver: outsourcekit, its version and its rules."""
    driver: dict[str, Any] = {"name": "outsourcekit", "version": __version__}
    semantic = semantic_version(__version__)
    if semantic is not None:
        driver["semanticVersion"] = semantic
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = _descriptors(rules)
    return driver


def _log(report: Report, rules: Sequence[RuleInfo], results: Any) -> dict[str, Any]:
    """Return the log of *report*, made by *rules*, with *results* as its results."""
    notifications = _notifications(report)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": _driver(rules)},
                "invocations": [
                    {
                        "executionSuccessful": not notifications,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
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


#: A result's ``ruleIndex`` as :class:`SarifSink` keeps it: alone on its line.
_RULE_INDEX = re.compile(r'^( {10}"ruleIndex": )(\d+)(,\n)$')


class SarifSink:
    """Writes the SARIF log while the check runs: the same bytes as :func:`export`.

    The results are kept in a temporary file, in their final form, until the
    log is written at the end; memory holds no finding. A finding of a rule
    that did not run (which only a rule making another rule's findings gives)
    adds that rule to the driver at the end, and the results' rule indices are
    set again. *context* answers for each finding against the baseline (see
    :class:`~outsourcekit.plugins.Exporter`).
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, marking findings as *context* says."""
        self.file = file
        self.context = context
        self.spool = Spool(depth=4)
        self.codes: list[str] = []
        self.index: dict[str, int] = {}
        self.unknown: list[Finding] = []

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Give each rule that runs its index in the log's driver.

        The log's date is the report's, written at the end.
        """
        del as_of
        self.codes = sorted(r.code for r in rules)
        self.index = {code: i for i, code in enumerate(self.codes)}

    def findings(self, batch: Sequence[Finding]) -> None:
        """Keep the results of *batch*, written as the log will hold them."""
        index = self.index
        for f in batch:
            if f.rule not in index:
                self.unknown.append(f)
                index[f.rule] = len(index)
            self.spool.add(_result(self.context, f, index))

    def end(self, report: Report) -> None:
        """Write the log, with the results kept, and let them go."""
        try:
            rules = report_rules(report, self.unknown)
            fix = self._reindex(rules)
            results = placeholder()
            data = _log(attrs.evolve(report, findings=()), rules, results)
            data["runs"][0]["properties"]["summary"] = report.summary

            def write_results(out: IO[str]) -> None:
                self.spool.write(out, fix)

            write_document(self.file, data, {results: write_results})
            self.file.flush()
        finally:
            self.spool.close()

    def _reindex(self, rules: Sequence[RuleInfo]) -> Any:
        """Return what sets the kept results' rule indices to those of *rules*.

        None when they are right already.
        """
        final = {r.code: i for i, r in enumerate(rules)}
        moved = {i: final[code] for code, i in self.index.items() if final[code] != i}
        if not moved:
            return None

        def fix(line: str) -> str:
            match = _RULE_INDEX.match(line)
            if match is None:
                return line
            number = int(match.group(2))
            return f"{match.group(1)}{moved.get(number, number)}{match.group(3)}"

        return fix


#: The ``sarif`` format.
EXPORTER = Exporter(
    "sarif",
    ".sarif",
    export,
    "SARIF 2.1.0, for code-scanning dashboards such as GitHub's.",
    stream=SarifSink,
    other_suffixes=(".sarif.json",),
)
