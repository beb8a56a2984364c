"""Reports with every kind of content, for the exporters' tests."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import TYPE_CHECKING

import attrs

import outsourcekit
from outsourcekit.engine import (
    EngagementResult,
    Finding,
    PluginError,
    Report,
    RuleError,
    Severity,
    rule,
)
from outsourcekit.engine._report import SavedIssue
from outsourcekit.examples import examples_path
from outsourcekit.io import LoadIssue, load_all, loads

if TYPE_CHECKING:
    from collections.abc import Sequence

AS_OF = dt.date(2026, 11, 22)
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.invalid","click")'

ALPHA = textwrap.dedent(
    """\
    id: alpha
    title: Bookkeeping
    vendor:
      name: LedgerPros
    waivers:
      - rule: TST002
        reason: Accepted for the pilot
    """
)
BETA = textwrap.dedent(
    """\
    id: beta
    title: Support desk
    kpis:
      - name: first-response
        target: 4
    """
)


@rule(
    code="TST001",
    slug="script-message",
    title="A message with markup",
    category="clarity",
    severity="error",
    fix="Say it <b>plainly</b> | without pipes.",
)
def script_message(engagement, ctx):
    """Fires on every engagement with a message holding a script tag."""
    yield ctx.finding(f"{SCRIPT} in {engagement.id}", path="title")


@rule(
    code="TST002",
    slug="formula-message",
    title="A message like a formula",
    category="partner",
    severity="warning",
    fix="+Check the vendor.",
)
def formula_message(_engagement, ctx):
    """Fires on every engagement with a message a spreadsheet would run."""
    yield ctx.finding(FORMULA, path="vendor")


@rule(
    code="TST003",
    slug="pipe-message",
    title="A message with pipes",
    category="performance",
    severity="info",
    fix="-",
)
def pipe_message(engagement, ctx):
    """Fires on beta with pipes and a line break in its message."""
    if engagement.id == "beta":
        yield ctx.finding("a | b | c\nsecond line", path="kpis[first-response]")


@rule(
    code="TST004",
    slug="raises-on-beta",
    title="A rule that fails",
    category="governance",
    severity="warning",
    fix="Nothing.",
)
def raises_on_beta(engagement, _ctx):
    """Raises on beta."""
    if engagement.id == "beta":
        raise ZeroDivisionError("division by zero")
    return ()


RULES = (script_message, formula_message, pipe_message, raises_on_beta)
LOAD_ISSUE = LoadIssue(
    source="engagements/bad.yaml",
    line=3,
    column=8,
    path="start",
    message="expected a date like 2026-01-05, got 'soon'",
)


def mixed_report() -> Report:
    """A report with errors, warnings, info, a waiver, and every kind of error."""
    engagements = [
        loads(ALPHA, source="engagements/alpha.yaml"),
        loads(BETA, source="engagements/beta.yaml"),
    ]
    report = outsourcekit.check(
        engagements, as_of=AS_OF, rules=RULES, errors=[LOAD_ISSUE]
    )
    return attrs.evolve(
        report,
        plugin_errors=(PluginError(plugin="acme", message="cannot be imported"),),
    )


def examples_report() -> Report:
    """The bundled example portfolio, checked with the built-in rules."""
    from outsourcekit.builtin.rules import BUILTIN_RULES

    return outsourcekit.check(
        load_all([examples_path()]), as_of=AS_OF, rules=BUILTIN_RULES
    )


#: How many values :func:`hostile_report` takes, one for each place it puts one.
HOSTILE_SLOTS = 16


def hostile_report(values: Sequence[str]) -> Report:
    """A report with one of *values* in every text it carries, in this order.

    Engagement id, source, rule code, slug, category, a task name (in the
    finding's path and message), fix, waiver reason, evidence, load error source,
    path and message, rule error type and message, plugin name and message.
    """
    (
        eid,
        source,
        code,
        slug,
        category,
        task,
        fix,
        reason,
        evidence,
        bad_source,
        bad_path,
        bad_message,
        kind,
        raised,
        plugin,
        failed,
    ) = values
    found = Finding(
        rule=code,
        slug=slug,
        category=category,
        severity=Severity.ERROR,
        engagement=eid,
        path=f"tasks[{task}]",
        message=f"Task {task} has no due date",
        fix=fix,
        evidence={"task": task, "value": evidence},
        source=source,
        line=3,
    )
    waived = Finding(
        rule="TST002",
        slug="formula-message",
        category="partner",
        severity=Severity.WARNING,
        engagement=eid,
        path="vendor",
        message=f"Vendor {task} is not vetted",
        fix="",
        source=source,
        waived=reason,
    )
    result = EngagementResult(
        id=eid,
        score=80,
        categories={category: 80},
        source=source,
        findings=(found, waived),
    )
    return Report(
        as_of=AS_OF,
        findings=(found, waived),
        engagements=(result,),
        errors=(
            SavedIssue(source=bad_source, line=2, path=bad_path, message=bad_message),
        ),
        rule_errors=(
            RuleError(rule=code, engagement=eid, type=kind, message=raised),
            RuleError(rule="TST004", engagement=None, type=kind, message=raised),
        ),
        plugin_errors=(PluginError(plugin=plugin, message=failed),),
    )


def one_finding(message: str, **fields: str) -> Report:
    """A report of one engagement with one error finding saying *message*."""
    data = {
        "rule": "TST001",
        "slug": "script-message",
        "category": "clarity",
        "engagement": "alpha",
        "path": "title",
        "fix": "Say it plainly.",
        **fields,
    }
    found = Finding(
        severity=Severity.ERROR,
        message=message,
        source="a.yaml",
        line=2,
        **data,
    )
    result = EngagementResult(
        id=found.engagement,
        score=85,
        categories={"clarity": 85},
        source="a.yaml",
        findings=(found,),
    )
    return Report(as_of=AS_OF, findings=(found,), engagements=(result,))
