"""Reports with every kind of content, for the exporters' tests."""

from __future__ import annotations

import datetime as dt
import textwrap

import attrs

from outsourcekit.engine import PluginError, Report, rule
from outsourcekit.engine._check import run_check
from outsourcekit.examples import examples_path
from outsourcekit.io import LoadIssue, load_all, loads

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
    report = run_check(engagements, as_of=AS_OF, rules=RULES, errors=[LOAD_ISSUE])
    return attrs.evolve(
        report,
        plugin_errors=(PluginError(plugin="acme", message="cannot be imported"),),
    )


def examples_report() -> Report:
    """The bundled example portfolio, checked with the built-in rules."""
    from outsourcekit.builtin.rules import BUILTIN_RULES

    return run_check(load_all([examples_path()]), as_of=AS_OF, rules=BUILTIN_RULES)
