"""Tests for the context rules run in: dates read in the client's time zone."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

import attrs
import pytest
from rules_for_tests import AS_OF, no_vision

from outsourcekit.engine import (
    Context,
    check,
    check_part,
    check_stream,
    combine,
    rule,
)
from outsourcekit.model import Engagement, Origin, Party, TimeZone
from sinks import Sink

SYDNEY = Engagement(id="a", client=Party(timezone=TimeZone.parse("Australia/Sydney")))


class TestLocalDate:
    def test_date_unchanged(self):
        """A date is already a calendar date."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))

        assert dt.date(2026, 3, 1) == ctx.local_date(dt.date(2026, 3, 1), SYDNEY)

    def test_moment_in_client_zone(self):
        """A date-time with an offset falls on the client's calendar date."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))
        at = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.timezone.utc)

        assert dt.date(2026, 3, 2) == ctx.local_date(at, SYDNEY)

    def test_naive_moment_is_client_time(self):
        """A date-time without an offset is already the client's time."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))

        assert dt.date(2026, 3, 1) == ctx.local_date(
            dt.datetime(2026, 3, 1, 23), SYDNEY
        )


@rule(
    code="TST070",
    slug="reports-on-nurse",
    title="Reports on the nurse",
    category="governance",
    severity="info",
    fix="f",
)
def reports_on_nurse(_engagement, ctx):
    """Reports on engagement nurse-1 whichever engagement it checks."""
    yield ctx.finding("About the nurse", path="id", engagement="nurse-1")


@rule(
    code="TST071",
    slug="reports-on-itself",
    title="Reports on itself",
    category="governance",
    severity="info",
    fix="f",
)
def reports_on_itself(engagement, ctx):
    """Names the engagement it checks, by id and as itself."""
    yield ctx.finding("By id", path="id", engagement=engagement.id)
    yield ctx.finding("As itself", path="title", engagement=engagement)


ENGAGEMENTS = [
    Engagement(id=eid, origin=Origin(source=f"{eid}.yaml"))
    for eid in ("alpha", "beta", "nurse-1", "zeta")
]


def _results(report):
    return (
        [(f.engagement, f.rule, f.source) for f in report.findings],
        [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors],
    )


class TestFindingOfAnotherEngagement:
    """A rule of an engagement reports only on it, however the check is split."""

    def test_a_rule_error_in_one_process(self):
        """Naming another engagement is a rule error naming rule and engagement."""
        report = check(ENGAGEMENTS, rules=[reports_on_nurse], as_of=AS_OF)

        findings, errors = _results(report)
        assert [("nurse-1", "TST070", "nurse-1.yaml")] == findings
        assert ["alpha", "beta", "zeta"] == [e[1] for e in errors]
        assert {("TST070", "ValueError")} == {(e[0], e[2]) for e in errors}
        assert (
            "rule TST070 (scope 'engagement') names engagement 'nurse-1' while "
            "checking engagement 'alpha': a rule of this scope reports only on the "
            "engagement it checks; a rule about several engagements is a portfolio "
            "rule (scope='portfolio' with facts=)"
        ) == errors[0][3]

    @pytest.mark.parametrize("chunk_size", [1, 2, 3])
    def test_the_same_streamed_in_chunks(self, chunk_size):
        """Checked in chunks, the results are the whole's."""
        whole = check(ENGAGEMENTS, rules=[reports_on_nurse], as_of=AS_OF)
        sink = Sink()

        report = check_stream(
            ENGAGEMENTS,
            sink=sink,
            rules=[reports_on_nurse],
            as_of=AS_OF,
            chunk_size=chunk_size,
        )

        assert _results(whole)[0] == [
            (f.engagement, f.rule, f.source) for f in sink.found
        ]
        assert _results(whole)[1] == _results(report)[1]

    @pytest.mark.parametrize("rules", [[reports_on_itself], [reports_on_nurse]])
    def test_the_same_in_parts(self, rules):
        """Checked in parts and combined, the results are the whole's."""
        whole = check(ENGAGEMENTS, rules=rules, as_of=AS_OF)
        parts = [
            check_part(ENGAGEMENTS[:1], rules=rules, as_of=AS_OF),
            check_part(ENGAGEMENTS[1:], rules=rules, as_of=AS_OF),
        ]

        assert _results(whole) == _results(combine(parts, rules=rules, as_of=AS_OF))

    def test_naming_itself_is_allowed(self):
        """Naming the engagement checked, by id or as itself, makes its finding."""
        report = check(ENGAGEMENTS[:2], rules=[reports_on_itself], as_of=AS_OF)

        assert (
            [
                ("alpha", "TST071", "alpha.yaml"),
                ("alpha", "TST071", "alpha.yaml"),
                ("beta", "TST071", "beta.yaml"),
                ("beta", "TST071", "beta.yaml"),
            ],
            [],
        ) == _results(report)

    def test_findings_scope_too(self):
        """A rule of scope findings reports only on the engagement it checks."""
        rule_ = attrs.evolve(reports_on_nurse, scope="findings")
        ctx = Context(rule=rule_, as_of=AS_OF, portfolio=ENGAGEMENTS)
        ctx.engagement = ENGAGEMENTS[0]

        with pytest.raises(ValueError, match=r"scope 'findings'.*a portfolio rule"):
            ctx.finding("About the nurse", engagement=ENGAGEMENTS[2])
        assert "alpha" == ctx.finding("x", engagement="alpha").engagement

    def test_portfolio_rule_names_any(self):
        """A portfolio rule names any engagement of the check."""
        rule_ = attrs.evolve(reports_on_nurse, scope="portfolio")
        ctx = Context(rule=rule_, as_of=AS_OF, portfolio=ENGAGEMENTS)

        found = ctx.finding("About the nurse", engagement="nurse-1")

        assert ("nurse-1", "nurse-1.yaml") == (found.engagement, found.source)


def _making(code: str, scope: str = "engagement", **arguments):
    """A rule that makes one finding with *arguments* on each engagement."""

    @rule(
        code=code,
        slug=f"makes-{code.lower()}",
        title="t",
        category="governance",
        severity="info",
        fix="f",
        scope=scope,
    )
    def makes(_engagement, ctx):
        yield ctx.finding(**arguments)

    return makes


class TestWhatAFindingTakes:
    """ctx.finding() refuses what no report can show, inside the rule that gave it."""

    @pytest.mark.parametrize(
        ("arguments", "expected"),
        [
            (
                {"message": 42, "path": "id"},
                "ctx.finding() takes the message as text, got 42 (a whole number)",
            ),
            (
                {"message": b"42", "path": "id"},
                "ctx.finding() takes the message as text, got b'42' (bytes)",
            ),
            (
                {"message": None},
                "ctx.finding() takes the message as text, got None",
            ),
            (
                {"message": "m", "path": 3},
                "ctx.finding() takes path= as text, got 3 (a whole number)",
            ),
            (
                {"message": "m", "evidence": [1, 2]},
                (
                    "ctx.finding() takes evidence= as a mapping of names to "
                    "values, got [1, 2] (a list)"
                ),
            ),
            (
                {"message": "m", "evidence": ""},
                (
                    "ctx.finding() takes evidence= as a mapping of names to "
                    "values, got '' (text)"
                ),
            ),
        ],
    )
    def test_a_rule_error_naming_the_rule(self, arguments, expected):
        """Each engagement has the rule's error; the other rules' findings stay."""
        bad = _making("TST072", **arguments)
        engagements = [Engagement(id="a"), Engagement(id="b")]

        report = check(engagements, rules=[bad, no_vision], as_of=AS_OF)

        assert [("a", "TST003"), ("b", "TST003")] == [
            (f.engagement, f.rule) for f in report.findings
        ]
        assert [
            ("TST072", "a", "TypeError", f"rule TST072: {expected}"),
            ("TST072", "b", "TypeError", f"rule TST072: {expected}"),
        ] == [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors]

    def test_kinds_of_text_and_mapping(self):
        """Text of a kind of str and any mapping make a finding as usual."""

        class Text(str):
            __slots__ = ()

        ctx = Context(rule=no_vision, as_of=AS_OF)
        ctx.engagement = Engagement(id="a")

        found = ctx.finding(
            Text("m"), path=Text("id"), evidence=MappingProxyType({"n": 1})
        )

        assert ("m", "id", {"n": 1}) == (found.message, found.path, found.evidence)

    def test_unless_takes_a_waiver(self):
        """unless= given text is a rule error of that rule, whole or in parts."""
        bad = _making("TST073", scope="findings", message="m", unless="TST001")
        engagements = [Engagement(id="a"), Engagement(id="b")]
        rules = [bad, no_vision]

        whole = check(engagements, rules=rules, as_of=AS_OF)
        parts = combine(
            [check_part([e], rules=rules, as_of=AS_OF) for e in engagements],
            rules=rules,
        )

        expected = (
            "rule TST073: unless= takes a waiver (outsourcekit.model.Waiver), "
            "got 'TST001' (text)"
        )
        assert [
            ("TST073", "a", "TypeError", expected),
            ("TST073", "b", "TypeError", expected),
        ] == [(e.rule, e.engagement, e.type, e.message) for e in whole.rule_errors]
        assert ["TST003", "TST003"] == [f.rule for f in whole.findings]
        assert _results(whole) == _results(parts)
