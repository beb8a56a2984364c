"""The JUnit XML format: engagements as test suites, rules as test cases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from outsourcekit.plugins import Exporter

from ._common import issue_text, location, report_rules
from ._escape import xml as _text

if TYPE_CHECKING:
    from outsourcekit.engine import EngagementResult, Finding, Report, RuleError

    from ._common import RuleInfo

__all__ = ["EXPORTER", "export"]

#: The suite that holds what belongs to no one engagement: load, portfolio-rule
#: and plugin errors.
RUN_SUITE = "outsourcekit"


def _failure_text(f: Finding) -> str:
    """Return the message, where the finding is and the fix, one line each."""
    lines = [_text(f.message)]
    where = location(f)
    at = f"at {f.path or '(engagement)'}" + (f" ({where})" if where else "")
    lines.append(_text(at))
    if f.fix:
        lines.append(_text(f"fix: {f.fix}"))
    return "\n".join(lines)


def _case(  # noqa: PLR0913, PLR0917 - the report decides what fails
    report: Report,
    suite: ET.Element,
    result: EngagementResult,
    rule: RuleInfo,
    findings: list[Finding],
    errors: list[RuleError],
) -> tuple[int, int, int]:
    """Add the test case of one engagement and one rule.

    Return whether it failed, was skipped and errored, as 0 or 1 each.
    """
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _text(result.id),
            "name": _text(f"{rule.code} {rule.slug}".strip()),
            "time": "0",
        },
    )
    if result.source is not None:
        case.set("file", _text(result.source))
    unwaived = [f for f in findings if report.counts_as_failure(f)]
    passed = [
        f for f in findings if f.waived is None and not report.counts_as_failure(f)
    ]
    waived = [f for f in findings if f.waived is not None]
    for e in errors:
        node = ET.SubElement(
            case, "error", {"message": _text(e.message), "type": _text(e.type)}
        )
        node.text = _text(f"{e.type}: {e.message}")
    for f in unwaived:
        node = ET.SubElement(
            case,
            "failure",
            {"message": _text(f.message), "type": f.severity.value},
        )
        node.text = _failure_text(f)
    reasons = "; ".join(_text(f.waived) for f in waived)
    out = [_passed_text(report, f) for f in passed]
    if waived and not unwaived and not errors and not passed:
        ET.SubElement(case, "skipped", {"message": f"waived: {reasons}"})
    elif waived:
        out.append(f"also waived: {reasons}")
    if out:
        ET.SubElement(case, "system-out").text = "\n".join(out)
    return (
        int(bool(unwaived) and not errors),
        int(bool(waived) and not unwaived and not errors),
        int(bool(errors)),
    )


def _passed_text(report: Report, f: Finding) -> str:
    """Return a finding that does not fail the run, as the case's output."""
    why = (
        "in the baseline"
        if report.baseline_state(f) == "unchanged"
        else f"below --fail-on {report.fail_on}"
    )
    return _text(f"{f.severity.value} ({why}): {f.message}")


def _suite(
    report: Report,
    root: ET.Element,
    result: EngagementResult,
    rules: list[RuleInfo],
    errors: list[RuleError],
) -> tuple[int, int, int, int]:
    suite = ET.SubElement(root, "testsuite", {"name": _text(result.id)})
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", {"name": "score", "value": str(result.score)})
    if result.source is not None:
        ET.SubElement(
            props, "property", {"name": "source", "value": _text(result.source)}
        )
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_rule[f.rule].append(f)
    errors_by_rule: dict[str, list[RuleError]] = defaultdict(list)
    for e in errors:
        errors_by_rule[e.rule].append(e)
    totals = [0, 0, 0]
    for rule in rules:
        counts = _case(
            report, suite, result, rule, by_rule[rule.code], errors_by_rule[rule.code]
        )
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    failures, skipped, errored = totals
    _count(suite, len(rules), failures, skipped, errored)
    return len(rules), failures, skipped, errored


def _count(
    node: ET.Element, tests: int, failures: int, skipped: int, errors: int
) -> None:
    node.set("tests", str(tests))
    node.set("failures", str(failures))
    node.set("errors", str(errors))
    node.set("skipped", str(skipped))
    node.set("time", "0")


def _run_suite(root: ET.Element, report: Report) -> int:
    """Add a suite for what belongs to no engagement; return its error count."""
    cases: list[tuple[str, str, str]] = []
    for issue in report.errors:
        d = issue.to_dict()
        where = _text(":".join(str(p) for p in (d.get("source"), d.get("line")) if p))
        cases.append(("load", where or "(text)", _text(issue_text(issue))))
    cases += [
        ("rule", _text(e.rule), _text(f"{e.type}: {e.message}"))
        for e in report.rule_errors
        if e.engagement is None
    ]
    cases += [
        ("plugin", _text(e.plugin), _text(e.message)) for e in report.plugin_errors
    ]
    if not cases:
        return 0
    suite = ET.SubElement(root, "testsuite", {"name": RUN_SUITE})
    for kind, name, message in cases:
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": f"{RUN_SUITE}.{kind}", "name": name, "time": "0"},
        )
        node = ET.SubElement(case, "error", {"message": message, "type": kind})
        node.text = message
    _count(suite, len(cases), 0, 0, len(cases))
    return len(cases)


def export(report: Report) -> str:
    """Return the report as JUnit XML.

    Each engagement is a test suite with one test case per rule that ran: it
    fails with one ``failure`` per finding that fails the run (unwaived, new
    against the baseline, at or above the report's ``fail_on``), is ``skipped``
    when all its findings are waived, and errs when the rule raised on it.
    Findings that do not fail the run are listed in the case's output.
    """
    rules = report_rules(report)
    root = ET.Element("testsuites", {"name": "outsourcekit"})
    rule_errors: dict[str, list[RuleError]] = defaultdict(list)
    for e in report.rule_errors:
        if e.engagement is not None:
            rule_errors[e.engagement].append(e)
    totals = [0, 0, 0, 0]
    for result in report.engagements:
        counts = _suite(report, root, result, rules, rule_errors[result.id])
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    run_errors = _run_suite(root, report)
    tests, failures, skipped, errors = totals
    _count(root, tests + run_errors, failures, skipped, errors + run_errors)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


#: The ``junit`` format.
EXPORTER = Exporter(
    "junit",
    ".xml",
    export,
    "JUnit XML: a test suite per engagement, a test case per rule, for CI.",
)
