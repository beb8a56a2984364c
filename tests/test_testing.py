"""Tests of outsourcekit.testing, the helpers for plugin authors' tests."""

from __future__ import annotations

import datetime as dt

import pytest

from outsourcekit.engine import ConfigError, Option, Severity, rule
from outsourcekit.model import Engagement, Status, Waiver
from outsourcekit.testing import (
    assert_documented,
    check_one,
    documentation_problems,
    make_engagement,
    run_rule,
)

AS_OF = dt.date(2026, 11, 22)


@rule(
    code="HELP001",
    slug="no-owner-named",
    title="No owner",
    category="governance",
    severity="warning",
    fix="Name an owner.",
    options={"max-length": Option(default=40, help="longest name")},
)
def no_owner(engagement, ctx):
    """Fires without an owner, or with one longer than `max-length`.

    ## What it checks
    The owner.

    ## Why it matters
    Someone answers for the engagement.

    ## How to fix
    Name one.

    ## Example
    `owner: Dana Reyes`
    """
    if engagement.owner is None:
        yield ctx.finding("No owner is named", path="owner")
    elif len(engagement.owner) > ctx.options["max-length"]:
        yield ctx.finding("The owner's name is too long", path="owner")


@rule(
    code="HELP002",
    slug="explodes",
    title="Explodes",
    category="governance",
    severity="info",
    fix="f",
)
def explodes(_engagement, _ctx):
    """Raises."""
    raise RuntimeError("rule bug")


@rule(
    code="HELP003",
    slug="counts-others",
    title="Counts",
    category="governance",
    severity="info",
    fix="f",
    scope="findings",
)
def counts_others(_engagement, ctx):
    """Reports how many findings the other rules made."""
    yield ctx.finding(f"{len(ctx.findings)} findings", path="")


@rule(
    code="HELP004",
    slug="days-since-start",
    title="Days since start",
    category="governance",
    severity="info",
    fix="f",
)
def measures_from_as_of(engagement, ctx):
    """Reports how long ago the engagement started, measured from as_of."""
    if engagement.start is not None:
        days = (ctx.as_of - engagement.start).days
        yield ctx.finding(f"{days} days since the start", path="start")


@rule(
    code="HELP005",
    slug="returns-number",
    title="Returns a number",
    category="governance",
    severity="info",
    fix="f",
)
def returns_number(_engagement, _ctx):
    """Returns a number instead of findings."""
    return 5


class TestRunRule:
    def test_findings_as_made(self):
        """run_rule returns what the rule yielded."""
        findings = run_rule(no_owner, Engagement(id="a"), as_of=AS_OF)

        assert [("HELP001", "a", "owner", Severity.WARNING)] == [
            (f.rule, f.engagement, f.path, f.severity) for f in findings
        ]

    def test_options(self):
        """Options in either spelling replace the defaults."""
        eng = Engagement(id="a", owner="Dana Reyes")

        findings = run_rule(no_owner, eng, as_of=AS_OF, options={"max_length": 4})

        assert ["The owner's name is too long"] == [f.message for f in findings]

    def test_unknown_option(self):
        """An unknown option names the rule's options."""
        with pytest.raises(
            ValueError,
            match=r"rule HELP001 has no option 'max' \(options: max-length\)",
        ):
            run_rule(no_owner, Engagement(id="a"), as_of=AS_OF, options={"max": 1})

    def test_findings_scope(self):
        """findings= feeds a findings rule the other rules' findings."""
        other = run_rule(
            no_owner, [Engagement(id="a"), Engagement(id="b")], as_of=AS_OF
        )

        findings = run_rule(
            counts_others, Engagement(id="a"), as_of=AS_OF, findings=other
        )

        assert ["1 findings"] == [f.message for f in findings]

    def test_waivers_not_applied(self):
        """run_rule ignores waivers."""
        eng = Engagement(id="a", waivers=[Waiver(rule="HELP001", reason="ok")])

        assert [None] == [f.waived for f in run_rule(no_owner, eng, as_of=AS_OF)]

    def test_as_of_as_text(self):
        """as_of may be written as text, as for check_one: the rule gets a date."""
        eng = Engagement(id="a", start=dt.date(2026, 1, 5), status=Status.ACTIVE)

        findings = run_rule(measures_from_as_of, eng, as_of="2026-11-22")

        assert ["321 days since the start"] == [f.message for f in findings]

    @pytest.mark.parametrize(
        ("as_of", "error", "message"),
        [
            ("yesterday", TypeError, "as_of must be a date like 2026-11-22"),
            ("20261122", TypeError, "as_of must be a date like 2026-11-22"),
            ("0001-01-01", ValueError, "as_of must be a date from 1900-01-01"),
        ],
    )
    def test_bad_as_of(self, as_of, error, message):
        """A bad as_of is refused before the rule runs, as check_one refuses it."""
        for helper in (run_rule, check_one):
            with pytest.raises(error, match=f"^{message}"):
                helper(measures_from_as_of, Engagement(id="a"), as_of=as_of)

    def test_data(self):
        """File-format data is loaded, with a default id, as for check_one."""
        data = [{"id": "b"}, {"status": "active"}]

        assert [["b", "example"]] * 2 == [
            [f.engagement for f in helper(no_owner, data, as_of=AS_OF)]
            for helper in (run_rule, check_one)
        ]
        assert ["example"] == [
            f.engagement for f in run_rule(no_owner, {"status": "active"}, as_of=AS_OF)
        ]
        assert ["b"] == [
            f.engagement
            for f in check_one(no_owner, (d for d in data[:1]), as_of=AS_OF)
        ]

    @pytest.mark.parametrize(
        ("helper", "name"), [(run_rule, "engagement"), (check_one, "data")]
    )
    def test_text_is_no_data(self, helper, name):
        """A file name is neither an engagement nor its data: read it first."""
        with pytest.raises(
            TypeError,
            match=rf"^{name} must be an Engagement, file-format data \(a mapping\) "
            r"or a list of either, got 'acme\.yaml' \(text\): read a file with "
            r"outsourcekit\.load\(\)$",
        ):
            helper(no_owner, "acme.yaml", as_of=AS_OF)

    def test_item_is_no_data(self):
        """An item of the list that is neither is named by its index."""
        with pytest.raises(
            TypeError,
            match=r"^engagement must be an Engagement, file-format data \(a mapping\) "
            r"or a list of either, got 3 \(a whole number\) at index 1$",
        ):
            run_rule(no_owner, [{"id": "a"}, 3], as_of=AS_OF)

    @pytest.mark.parametrize(
        "helper",
        [
            lambda r: run_rule(r, Engagement(id="a"), as_of=AS_OF),
            lambda r: check_one(r, Engagement(id="a"), as_of=AS_OF),
            documentation_problems,
            assert_documented,
        ],
    )
    def test_not_a_rule(self, helper):
        """A plain function or a rule's code is refused, saying what a rule is."""
        with pytest.raises(
            TypeError,
            match=r"^rule must be a Rule made with @rule, got <function .*$",
        ):
            helper(lambda _e, _c: [])
        with pytest.raises(
            TypeError,
            match=r"^rule must be a Rule made with @rule, got 'HELP001' \(text\)$",
        ):
            helper("HELP001")

    def test_returns_no_findings(self):
        """A rule returning a number is named, as a check names it."""
        with pytest.raises(
            TypeError,
            match=r"^rule HELP005 returned 5 \(a whole number\) instead of findings",
        ):
            run_rule(returns_number, Engagement(id="a"), as_of=AS_OF)


class TestCheckOne:
    def test_engagement(self):
        """An engagement is checked with the one rule."""
        findings = check_one(no_owner, Engagement(id="a"), as_of=AS_OF)

        assert [("HELP001", "a")] == [(f.rule, f.engagement) for f in findings]

    def test_waivers_apply(self):
        """The engagement's waivers apply as in a real check."""
        eng = Engagement(id="a", waivers=[Waiver(rule="no-owner-named", reason="ok")])

        assert ["ok"] == [f.waived for f in check_one(no_owner, eng, as_of=AS_OF)]

    def test_options_and_severity_through_configuration(self):
        """Options and severity go through configuration, validated."""
        eng = Engagement(id="a", owner="Dana Reyes")

        findings = check_one(
            no_owner, eng, as_of=AS_OF, options={"max-length": 3}, severity="error"
        )

        assert [Severity.ERROR] == [f.severity for f in findings]

    def test_bad_option_value(self):
        """A wrong option value fails like configuration does."""
        with pytest.raises(
            ConfigError, match="option 'max-length' must be a whole number"
        ):
            check_one(
                no_owner, Engagement(id="a"), as_of=AS_OF, options={"max-length": "3"}
            )

    def test_exception_is_raised(self):
        """A rule's exception reaches the test instead of becoming a rule error."""
        with pytest.raises(RuntimeError, match="rule bug"):
            check_one(explodes, Engagement(id="a"), as_of=AS_OF)

    def test_several_in_report_order(self):
        """A list of engagements comes back in the report's order."""
        findings = check_one(
            no_owner, [Engagement(id="b"), Engagement(id="a")], as_of=AS_OF
        )

        assert ["a", "b"] == [f.engagement for f in findings]

    def test_central_waivers(self, tmp_path):
        """waivers= names a central waiver file."""
        path = tmp_path / "waivers.yaml"
        path.write_text(
            "- {engagement: '*', rule: HELP001, reason: pool}\n", encoding="utf-8"
        )

        findings = check_one(
            no_owner, Engagement(id="a"), as_of=AS_OF, waivers=str(path)
        )

        assert ["pool"] == [f.waived for f in findings]

    def test_data(self):
        """File-format data is loaded, with a default id."""
        findings = check_one(no_owner, {"status": "active"}, as_of=AS_OF)

        assert ["example"] == [f.engagement for f in findings]


class TestMakeEngagement:
    def test_from_data(self):
        """Data is read as a file would be, fields win over data."""
        eng = make_engagement({"status": "active", "owner": "Dana"}, owner="Lee")

        assert ("example", Status.ACTIVE, "Lee") == (eng.id, eng.status, eng.owner)


class TestDocumentation:
    def test_complete(self):
        """A rule with every section has no problem."""
        assert [] == documentation_problems(no_owner)

    def test_missing_sections(self):
        """Each missing section is named."""
        assert [
            "HELP002 documentation lacks the section 'What it checks'",
            "HELP002 documentation lacks the section 'Why it matters'",
            "HELP002 documentation lacks the section 'How to fix'",
            "HELP002 documentation lacks the section 'Example'",
        ] == documentation_problems(explodes)

    def test_assert(self):
        """assert_documented fails listing the problems."""
        assert_documented(no_owner)

        with pytest.raises(
            AssertionError, match="HELP002 documentation lacks the section 'Example'"
        ):
            assert_documented(explodes)
