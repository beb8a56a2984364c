"""Tests of the health score."""

from __future__ import annotations

import pytest
from rules_for_tests import AS_OF, BASIC, bare, clean, no_owner, shared_title, waiver

from outsourcekit import check
from outsourcekit.engine import Config, Finding, Severity, rule
from outsourcekit.engine._scoring import (
    category_scores,
    engagement_score,
    penalties,
    portfolio_score,
)


def finding(
    code="X1", severity=Severity.ERROR, category="clarity", path="", waived=None
):
    return Finding(
        rule=code,
        slug=code.lower(),
        category=category,
        severity=severity,
        engagement="e",
        path=path,
        message="m",
        fix="f",
        waived=waived,
    )


def many(count):
    """*count* rules with two findings each, at every severity in turn."""

    def make(i):
        @rule(
            code=f"MANY{i:03}",
            slug=f"many-{i}",
            title="t",
            category="clarity",
            severity="error",
            fix="f",
        )
        def r(_engagement, ctx):
            yield ctx.finding("one", path="a")
            yield ctx.finding("two", path="b")

        return r

    return [make(i) for i in range(count)]


class TestFormula:
    def test_penalties_by_severity(self):
        """Error costs 15, warning 6, info 2: 100 - 23 = 77."""
        findings = [
            finding("A1", Severity.ERROR),
            finding("B1", Severity.WARNING),
            finding("C1", Severity.INFO),
        ]

        assert 77 == engagement_score(findings)

    def test_each_rule_once(self):
        """A rule that fired three times costs once."""
        findings = [finding("A1", path=p) for p in ("a", "b", "c")]

        assert 85 == engagement_score(findings)

    def test_highest_severity_of_a_rule(self):
        """A rule whose findings differ in severity costs its highest."""
        findings = [
            finding("A1", Severity.INFO),
            finding("A1", Severity.WARNING, path="x"),
        ]

        assert {"A1": ("clarity", 6)} == penalties(findings)

    def test_waived_cost_nothing(self):
        """Waived findings do not lower the score."""
        assert 100 == engagement_score([finding(waived="accepted")])

    def test_floor(self):
        """The score never drops below zero."""
        findings = [finding(f"A{i}") for i in range(10)]

        assert 0 == engagement_score(findings)

    def test_categories(self):
        """Each category is scored alone; untouched categories score 100."""
        findings = [
            finding("A1", Severity.ERROR, "clarity"),
            finding("B1", Severity.INFO, "partner"),
        ]

        assert {"agreement": 100, "clarity": 85, "partner": 98} == category_scores(
            findings, ["agreement", "partner"]
        )

    @pytest.mark.parametrize(
        ("scores", "expected"),
        [
            ([], None),
            ([100], 100.0),
            ([82, 83], 82.5),
            ([82, 82, 83, 82], 82.3),
            ([0, 0, 1], 0.3),
        ],
    )
    def test_portfolio(self, scores, expected):
        """The portfolio score is the mean to one decimal, halves up."""
        assert expected == portfolio_score(scores)


class TestInReports:
    def test_scores_follow_findings(self):
        """An error, a warning and an info make 77; a clean engagement scores 100."""
        report = check([bare("a"), clean("b")], as_of=AS_OF, rules=BASIC)

        assert (77, 100, 88.5) == (
            report.score("a"),
            report.score("b"),
            report.portfolio_score,
        )

    def test_severity_override_changes_penalty(self):
        """An overridden severity is what the score charges."""
        config = Config(severity={"TST001": "error"})

        report = check(bare("a"), as_of=AS_OF, config=config, rules=[no_owner])

        assert 85 == report.score("a")

    def test_waived_findings_do_not_count(self):
        """A waived finding leaves the score untouched."""
        report = check(
            bare("a", waivers=[waiver("TST001")]), as_of=AS_OF, rules=[no_owner]
        )

        assert 100 == report.score("a")

    def test_category_scores_in_results(self):
        """Each result scores every category of the rules run."""
        report = check(bare("a"), as_of=AS_OF, rules=BASIC)

        assert {"clarity": 83, "governance": 94} == dict(
            report.by_engagement["a"].categories
        )

    def test_floor_in_reports(self):
        """Eight failing error rules floor the score at zero."""
        report = check(bare("a"), as_of=AS_OF, rules=many(8))

        assert (0, {"clarity": 0}) == (
            report.score("a"),
            dict(report.by_engagement["a"].categories),
        )

    def test_portfolio_rule_counts_on_each_engagement(self):
        """A portfolio rule's finding costs each engagement it is attached to."""
        engs = [clean("a", title="T"), clean("b", title="T"), clean("c")]

        report = check(engs, as_of=AS_OF, rules=[shared_title])

        assert [98, 98, 100] == [e.score for e in report.engagements]

    def test_unknown_engagement(self):
        """Asking for an engagement the report lacks suggests the closest id."""
        report = check(clean("acme-books"), as_of=AS_OF, rules=BASIC)

        with pytest.raises(KeyError, match="did you mean 'acme-books'"):
            report.score("acme-book")
