"""Tests for the governance rules (OSK901-OSK909)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit import check
from outsourcekit.builtin.rules import BUILTIN_RULES, governance
from outsourcekit.engine import Config, Context, Finding, Rule, Severity, rule
from outsourcekit.model import Engagement, Status, Task, Vendor, Waiver
from outsourcekit.testing import run_rule

AS_OF = dt.date(2026, 11, 22)
START = dt.date(2026, 1, 5)


def run_with(
    rule: Rule,
    engagement: Engagement,
    *,
    central: tuple[Waiver, ...] = (),
    selected: frozenset[str] | None = None,
    findings: tuple[Finding, ...] = (),
    known: tuple[Rule, ...] | None = None,
) -> list[Finding]:
    """Run *rule* as the engine does, with central waivers and a rule selection."""
    ctx = Context(
        rule=rule,
        as_of=AS_OF,
        portfolio=(engagement,),
        waivers=lambda e: (*e.waivers, *central),
        selected=None if selected is None else selected.__contains__,
        known=known,
    )
    ctx.engagement = engagement
    ctx.findings = findings
    return list(rule(engagement, ctx))


def finding(code: str, slug: str, path: str, engagement: str = "acme") -> Finding:
    """A finding of another rule, as the engine hands it to findings rules."""
    return Finding(
        rule=code,
        slug=slug,
        category="oversight",
        severity=Severity.WARNING,
        engagement=engagement,
        path=path,
        message="Something",
        fix="Fix it",
    )


def active(**kwargs) -> Engagement:
    """An active engagement started on START, with *kwargs* set."""
    fields = {"id": "acme", "status": Status.ACTIVE, "start": START, **kwargs}
    return Engagement(**fields)


def critical(*names: str) -> list[Task]:
    return [Task(name=n, critical=True) for n in names]


class TestOSK901:
    def test_fires_on_an_expired_waiver(self):
        """A waiver whose `until` is before as_of is reported at its index."""
        eng = Engagement(
            id="acme",
            waivers=[
                Waiver(rule="no-pm-tool", reason="Tickets"),
                Waiver(
                    rule="micromanagement",
                    path="communication.check_ins",
                    reason="Onboarding",
                    until=dt.date(2026, 2, 28),
                ),
            ],
        )

        (f,) = run_rule(governance.waiver_expired, eng, as_of=AS_OF)

        assert ("OSK901", "waivers[1]") == (f.rule, f.path)
        assert (
            "The waiver of micromanagement at communication.check_ins expired on "
            "2026-02-28, so its findings are reported again"
        ) == f.message
        assert {
            "rule": "micromanagement",
            "path": "communication.check_ins",
            "until": dt.date(2026, 2, 28),
            "central": False,
        } == f.evidence

    def test_until_boundary(self):
        """A waiver is in force through its `until` date and expired the day after."""
        today = Engagement(
            id="acme", waivers=[Waiver(rule="OSK301", reason="r", until=AS_OF)]
        )
        yesterday = Engagement(
            id="acme",
            waivers=[
                Waiver(rule="OSK301", reason="r", until=AS_OF - dt.timedelta(days=1))
            ],
        )

        assert [] == run_rule(governance.waiver_expired, today, as_of=AS_OF)
        assert 1 == len(run_rule(governance.waiver_expired, yesterday, as_of=AS_OF))

    def test_central_waivers_are_at_waivers(self):
        """An expired central waiver is reported at `waivers`, saying where it is."""
        eng = Engagement(id="acme", waivers=[Waiver(rule="OSK404", reason="r")])
        central = (Waiver(rule="OSK301", reason="r", until=dt.date(2026, 1, 1)),)

        (f,) = run_with(governance.waiver_expired, eng, central=central)

        assert "waivers" == f.path
        assert (
            "The waiver of OSK301 in the central waiver file for acme expired on "
            "2026-01-01, so its findings are reported again"
        ) == f.message
        assert f.evidence["central"] is True

    def test_waivers_without_until_never_expire(self):
        """No `until` means no expiry."""
        eng = Engagement(id="acme", waivers=[Waiver(rule="OSK301", reason="r")])

        assert [] == run_rule(governance.waiver_expired, eng, as_of=AS_OF)


class TestOSK902:
    @pytest.mark.parametrize("reason", [None, "", "   "])
    def test_fires_without_reason(self, reason):
        """An absent, empty or blank reason fires at the waiver's index."""
        eng = Engagement(id="acme", waivers=[Waiver(rule="no-pm-tool", reason=reason)])

        (f,) = run_rule(governance.waiver_without_reason, eng, as_of=AS_OF)

        assert ("OSK902", "waivers[0]", "error") == (f.rule, f.path, f.severity.value)
        assert "The waiver of no-pm-tool gives no reason, so it does not apply" == (
            f.message
        )
        assert {
            "rule": "no-pm-tool",
            "path": None,
            "until": None,
            "central": False,
            "reason": reason,
        } == f.evidence

    def test_passes_with_reason(self):
        """A reason fixes it."""
        eng = Engagement(
            id="acme", waivers=[Waiver(rule="no-pm-tool", reason="Tickets")]
        )

        assert [] == run_rule(governance.waiver_without_reason, eng, as_of=AS_OF)

    @pytest.mark.parametrize("reason", ["TBD", "n/a", "-"])
    def test_placeholder_reason(self, reason):
        """A reason that is a placeholder explains nothing: reported, not applied."""
        eng = Engagement(id="acme", waivers=[Waiver(rule="no-pm-tool", reason=reason)])

        (f,) = run_rule(governance.waiver_without_reason, eng, as_of=AS_OF)

        assert (
            "The waiver of no-pm-tool gives no reason: its reason is a placeholder "
            f"(`{reason}`), so it does not apply" == f.message
        )
        assert reason == f.evidence["reason"]

    def test_central_waiver_without_reason(self):
        """A central waiver without reason is reported at `waivers`."""
        (f,) = run_with(
            governance.waiver_without_reason,
            Engagement(id="acme"),
            central=(Waiver(rule="OSK404"),),
        )

        assert "waivers" == f.path
        assert (
            "The waiver of OSK404 in the central waiver file for acme gives no "
            "reason, so it does not apply"
        ) == f.message


def portfolio_engagement(ident: str, vendor: str | None, *tasks: Task, **kwargs):
    return active(
        id=ident,
        vendor=None if vendor is None else Vendor(name=vendor),
        tasks=list(tasks),
        **kwargs,
    )


class TestOSK903:
    def test_fires_on_each_engagement_of_the_dominant_vendor(self):
        """A vendor with 4 of 6 critical tasks is reported on each engagement."""
        engagements = [
            portfolio_engagement("a", "LedgerPros", *critical("t1", "t2")),
            portfolio_engagement("b", "ledgerpros", *critical("t3", "t4")),
            portfolio_engagement("c", "Other", *critical("t5")),
            portfolio_engagement("d", None, *critical("t6")),
        ]

        findings = run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

        assert [("a", "vendor"), ("b", "vendor")] == [
            (f.engagement, f.path) for f in findings
        ]
        assert (
            "Vendor LedgerPros holds 4 of the portfolio's 6 critical tasks (67%), "
            "more than the 50% allowed"
        ) == findings[0].message
        assert {
            "vendor": "ledgerpros",
            "critical_tasks": 4,
            "portfolio_critical_tasks": 6,
            "share": 0.6667,
            "max_share": 0.5,
            "engagements": 2,
        } == findings[0].evidence

    def test_share_boundary(self):
        """Exactly half of the critical tasks does not fire."""
        engagements = [
            portfolio_engagement("a", "LedgerPros", *critical("t1", "t2", "t3")),
            portfolio_engagement("b", "Other", *critical("t4", "t5", "t6")),
        ]

        assert [] == run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

    def test_needs_three_critical_tasks(self):
        """Two critical tasks, even all of them, are not a concentration."""
        engagements = [portfolio_engagement("a", "LedgerPros", *critical("t1", "t2"))]

        assert [] == run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

    def test_only_active_engagements_count(self):
        """Ended engagements neither count nor get findings."""
        engagements = [
            portfolio_engagement("a", "LedgerPros", *critical("t1", "t2", "t3")),
            portfolio_engagement(
                "b", "Other", *critical("t4", "t5", "t6", "t7"), status=Status.ENDED
            ),
            portfolio_engagement("c", "LedgerPros", status=Status.ENDED),
        ]

        findings = run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

        assert ["a"] == [f.engagement for f in findings]
        assert 3 == findings[0].evidence["portfolio_critical_tasks"]

    def test_vendor_id_wins_over_name(self):
        """Vendors are told apart by `vendor.id` when given."""
        engagements = [
            active(
                id="a", vendor=Vendor(id="v1", name="Same"), tasks=critical("1", "2")
            ),
            active(
                id="b", vendor=Vendor(id="v2", name="Same"), tasks=critical("3", "4")
            ),
        ]

        assert [] == run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

    @pytest.mark.parametrize("field", ["name", "id"])
    def test_unicode_normalisation_is_one_vendor(self, field):
        """A name or id written composed or decomposed (é or e + ◌́) is one vendor."""
        composed, decomposed = "Caf\u00e9 Conseil", "Cafe\u0301 Conseil"
        engagements = [
            active(
                id="a", vendor=Vendor(**{field: composed}), tasks=critical("1", "2")
            ),
            active(
                id="b", vendor=Vendor(**{field: decomposed}), tasks=critical("3", "4")
            ),
            active(id="c", vendor=Vendor(name="Other"), tasks=critical("5")),
        ]

        findings = run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

        assert [("a", 4), ("b", 4)] == [
            (f.engagement, f.evidence["critical_tasks"]) for f in findings
        ]

    def test_max_share_option(self):
        """`max-share` changes the allowed fraction."""
        engagements = [
            portfolio_engagement("a", "LedgerPros", *critical("t1", "t2", "t3")),
            portfolio_engagement("b", "Other", *critical("t4", "t5", "t6")),
        ]

        findings = run_rule(
            governance.vendor_concentration,
            engagements,
            as_of=AS_OF,
            options={"max-share": 0.4},
        )

        assert ["a", "b"] == [f.engagement for f in findings]
        assert findings[0].message.endswith("more than the 40% allowed")

    def test_max_share_is_a_fraction(self):
        """A share above 1 is refused with the option's name."""
        with pytest.raises(
            ValueError, match=r"option 'max-share' must be at most 1\.0"
        ):
            run_rule(
                governance.vendor_concentration,
                [],
                as_of=AS_OF,
                options={"max-share": 50},
            )

    def test_exactly_the_share_never_fires(self):
        """29 of 50 is exactly 0.58: not more, though 0.58 * 50 < 29 in floats."""
        engagements = [
            portfolio_engagement("a", "X", *critical(*(f"x{i}" for i in range(29)))),
            portfolio_engagement("b", "Y", *critical(*(f"y{i}" for i in range(21)))),
        ]
        options = {"max-share": 0.58}

        assert [] == run_rule(
            governance.vendor_concentration, engagements, as_of=AS_OF, options=options
        )

        engagements[1] = portfolio_engagement(
            "b", "Y", *critical(*(f"y{i}" for i in range(20)))
        )
        (f,) = run_rule(
            governance.vendor_concentration, engagements, as_of=AS_OF, options=options
        )

        assert (
            "Vendor X holds 29 of the portfolio's 49 critical tasks (59%), more than "
            "the 58% allowed"
        ) == f.message

    def test_share_shows_the_decimals_that_tell_it_from_the_limit(self):
        """73 of 125 is 58.4%: not written "58%, more than the 58% allowed"."""
        engagements = [
            portfolio_engagement("a", "X", *critical(*(f"x{i}" for i in range(73)))),
            portfolio_engagement("b", "Y", *critical(*(f"y{i}" for i in range(52)))),
        ]

        (f,) = run_rule(
            governance.vendor_concentration,
            engagements,
            as_of=AS_OF,
            options={"max-share": 0.58},
        )

        assert (
            "Vendor X holds 73 of the portfolio's 125 critical tasks (58.4%), more "
            "than the 58% allowed"
        ) == f.message
        assert (0.584, 0.58) == (f.evidence["share"], f.evidence["max_share"])

    def test_allowed_share_is_written_as_configured(self):
        """A limit of 58.5% is not rounded to 58% or 59% in the message."""
        engagements = [
            portfolio_engagement("a", "X", *critical(*(f"x{i}" for i in range(59)))),
            portfolio_engagement("b", "Y", *critical(*(f"y{i}" for i in range(41)))),
        ]

        (f,) = run_rule(
            governance.vendor_concentration,
            engagements,
            as_of=AS_OF,
            options={"max-share": 0.585},
        )

        assert f.message.endswith("critical tasks (59%), more than the 58.5% allowed")

    def test_placeholder_names_are_no_vendor(self):
        """`TBD` and `tbd` are not one vendor: their tasks count in the total only."""
        engagements = [
            portfolio_engagement("a", "TBD", *critical("t1", "t2")),
            portfolio_engagement("b", "tbd", *critical("t3", "t4")),
            portfolio_engagement("c", "Real", *critical("t5")),
        ]

        assert [] == run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

        engagements += [
            portfolio_engagement("d", "n/a", *critical("t6")),
            portfolio_engagement("e", "real", *critical("t7", "t8")),
        ]
        findings = run_rule(
            governance.vendor_concentration,
            engagements,
            as_of=AS_OF,
            options={"max-share": 0.35},
        )

        assert ["c", "e"] == [f.engagement for f in findings]
        assert (
            "Vendor Real holds 3 of the portfolio's 8 critical tasks (38%), more than "
            "the 35% allowed"
        ) == findings[0].message
        assert (3, 8) == (
            findings[0].evidence["critical_tasks"],
            findings[0].evidence["portfolio_critical_tasks"],
        )

    def test_a_real_id_counts_whatever_the_name(self):
        """A vendor with an id and a placeholder name is known, and named, by its id."""
        engagements = [
            active(
                id="a", vendor=Vendor(id="v9", name="TBD"), tasks=critical("1", "2")
            ),
            active(id="b", vendor=Vendor(id="v9", name="n/a"), tasks=critical("3")),
            active(id="c", vendor=Vendor(id="TBD", name="tbd"), tasks=critical("4")),
        ]

        findings = run_rule(governance.vendor_concentration, engagements, as_of=AS_OF)

        assert ["a", "b"] == [f.engagement for f in findings]
        assert (
            "Vendor v9 holds 3 of the portfolio's 4 critical tasks (75%), more than "
            "the 50% allowed"
        ) == findings[0].message
        assert "v9" == findings[0].evidence["vendor"]

    @given(
        counts=st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c", "TBD", "tbd", None]),
                st.integers(0, 40),
            ),
            max_size=6,
        ),
        max_share=st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.58, 0.7, 0.75]),
    )
    def test_fires_exactly_for_dominant_vendors(self, counts, max_share):
        """Findings go to engagements of vendors over both thresholds, only."""
        engagements = [
            portfolio_engagement(
                f"e{i}", vendor, *critical(*(f"t{j}" for j in range(n)))
            )
            for i, (vendor, n) in enumerate(counts)
        ]
        total = sum(n for _, n in counts)
        held: dict[str, int] = {}
        for vendor, n in counts:
            if vendor not in {None, "TBD", "tbd"}:
                held[vendor] = held.get(vendor, 0) + n
        limit = Fraction(str(max_share))
        dominant = {v for v, n in held.items() if n >= 3 and Fraction(n, total) > limit}

        findings = run_rule(
            governance.vendor_concentration,
            engagements,
            as_of=AS_OF,
            options={"max-share": max_share},
        )

        expected = sorted(
            f"e{i}" for i, (vendor, _) in enumerate(counts) if vendor in dominant
        )
        assert expected == sorted(f.engagement for f in findings)


class TestOSK904:
    def test_fires_when_every_task_is_core(self):
        """All tasks core fires at `tasks`."""
        eng = Engagement(
            id="x",
            tasks=[
                Task(name="Pricing", core=True),
                Task(name="Key accounts", core=True),
            ],
        )

        (f,) = run_rule(governance.core_work_outsourced, eng, as_of=AS_OF)

        assert ("OSK904", "tasks", "info") == (f.rule, f.path, f.severity.value)
        assert (
            'Both tasks ("Pricing", "Key accounts") are core work of the client'
            == f.message
        )
        assert {"tasks": ("Pricing", "Key accounts"), "core": 2} == f.evidence

    def test_counts_in_words(self):
        """Three core tasks are "all three", as the agreement rules count."""
        eng = Engagement(
            id="x", tasks=[Task(name=name, core=True) for name in ("A", "B", "C")]
        )

        (f,) = run_rule(governance.core_work_outsourced, eng, as_of=AS_OF)

        assert (
            'All three tasks ("A", "B", "C") are core work of the client' == f.message
        )

    def test_single_task(self):
        """A single core task is named alone."""
        eng = Engagement(id="x", tasks=[Task(core=True)])

        (f,) = run_rule(governance.core_work_outsourced, eng, as_of=AS_OF)

        assert "The only task, tasks[0], is core work of the client" == f.message

    @pytest.mark.parametrize("core", [False, None])
    def test_one_non_core_task_passes(self, core):
        """A task not marked core (false or absent) is enough."""
        eng = Engagement(
            id="x", tasks=[Task(name="Pricing", core=True), Task(core=core)]
        )

        assert [] == run_rule(governance.core_work_outsourced, eng, as_of=AS_OF)

    def test_silent_without_tasks(self):
        """An engagement without tasks is not judged."""
        assert [] == run_rule(
            governance.core_work_outsourced, Engagement(id="x"), as_of=AS_OF
        )


class TestOSK905:
    def test_fires_on_a_waiver_matching_nothing(self):
        """A usable waiver with no finding of its rule is reported."""
        eng = Engagement(
            id="acme",
            waivers=[
                Waiver(rule="micromanagement", reason="Onboarding"),
                Waiver(rule="no-written-vision", reason="Being written"),
            ],
        )
        found = (finding("OSK301", "micromanagement", "communication.check_ins"),)

        (f,) = run_rule(governance.unused_waiver, eng, as_of=AS_OF, findings=found)

        assert ("OSK905", "waivers[1]", "info") == (f.rule, f.path, f.severity.value)
        assert (
            "The waiver of no-written-vision matches no finding of this engagement"
            == f.message
        )
        assert {
            "rule": "no-written-vision",
            "path": None,
            "until": None,
            "central": False,
            "reason": "Being written",
        } == f.evidence

    def test_path_must_match(self):
        """A waiver with a path matches only the finding at that path."""
        eng = Engagement(
            id="acme",
            waivers=[Waiver(rule="OSK301", path="communication.feedback", reason="r")],
        )
        found = (finding("OSK301", "micromanagement", "communication.check_ins"),)

        (f,) = run_rule(governance.unused_waiver, eng, as_of=AS_OF, findings=found)

        assert (
            "The waiver of OSK301 at communication.feedback matches no finding of "
            "this engagement"
        ) == f.message

    @pytest.mark.parametrize(
        "waiver",
        [
            Waiver(rule="OSK301", reason="r"),
            Waiver(rule="osk301", reason="r"),
            Waiver(rule="micromanagement", path="communication.check_ins", reason="r"),
        ],
    )
    def test_code_or_slug_matches(self, waiver):
        """A waiver names its rule by code (any case) or slug."""
        eng = Engagement(id="acme", waivers=[waiver])
        found = (finding("OSK301", "micromanagement", "communication.check_ins"),)

        assert [] == run_rule(
            governance.unused_waiver, eng, as_of=AS_OF, findings=found
        )

    def test_findings_of_other_engagements_do_not_count(self):
        """Only the engagement's own findings can use its waivers."""
        eng = Engagement(id="acme", waivers=[Waiver(rule="OSK301", reason="r")])
        found = (finding("OSK301", "micromanagement", "x", engagement="other"),)

        assert 1 == len(
            run_rule(governance.unused_waiver, eng, as_of=AS_OF, findings=found)
        )

    def test_waivers_that_do_not_apply_are_skipped(self):
        """Reasonless, expired, unselected or self-naming waivers are not judged."""
        eng = Engagement(
            id="acme",
            waivers=[
                Waiver(rule="OSK301"),
                Waiver(rule="OSK302", reason="r", until=dt.date(2026, 1, 1)),
                Waiver(rule="OSK404", reason="r"),
                Waiver(rule="unused-waiver", reason="r"),
                Waiver(rule="OSK905", reason="r"),
            ],
        )

        findings = run_with(
            governance.unused_waiver,
            eng,
            selected=frozenset({"OSK301", "OSK302", "unused-waiver", "OSK905"}),
        )

        assert [] == findings

    def test_central_unused_waiver(self):
        """A central waiver matching nothing is reported at `waivers`."""
        (f,) = run_with(
            governance.unused_waiver,
            Engagement(id="acme"),
            central=(Waiver(rule="OSK404", reason="r"),),
        )

        assert "waivers" == f.path
        assert f.evidence["central"] is True

    @pytest.mark.parametrize(
        ("ignore", "fixed"),
        [
            ([], [("OSK905", "waivers[0]")]),
            (["OSK108"], [("OSK905", "waivers[0]")]),
            (["OSK601"], []),
            (["OSK601", "OSK905"], []),
        ],
    )
    def test_fixed_against_a_baseline_where_its_waiver_rule_ran(self, ignore, fixed):
        """An unused waiver that went away is fixed where the rule it names ran.

        OSK905 judges the waiver from the findings of the rule it names alone:
        leaving out another rule changes nothing, leaving out that one means
        the waiver was not judged.
        """
        nda = Waiver(rule="missing-nda", reason="Nothing confidential is shared")
        before = check([Engagement(id="acme", waivers=(nda,))], as_of=AS_OF)
        after = check(
            [Engagement(id="acme")], as_of=AS_OF, config=Config(ignore=ignore)
        )

        assert [("OSK905", "waivers[0]")] == [
            (f.rule, f.path) for f in before.findings if f.rule == "OSK905"
        ]
        assert fixed == [(f.rule, f.path) for f in after.diff(before).fixed]
        assert fixed == [(f.rule, f.path) for f in after.diff(before.to_dict()).fixed]

    def test_fixed_without_its_waiver_rule_only_where_every_rule_ran(self):
        """A baseline finding that does not name its waiver's rule needs them all."""
        nda = Waiver(rule="missing-nda", reason="Nothing confidential is shared")
        data = check([Engagement(id="acme", waivers=(nda,))], as_of=AS_OF).to_dict()
        for entry in data["findings"]:
            entry["evidence"].pop("rule", None)

        def fixed(ignore):
            after = check(
                [Engagement(id="acme")], as_of=AS_OF, config=Config(ignore=ignore)
            )
            return [(f.rule, f.path) for f in after.diff(data).fixed]

        assert ([("OSK905", "waivers[0]")], []) == (fixed([]), fixed(["OSK108"]))

    def test_fixed_only_where_its_waiver_rule_did_not_raise(self):
        """Where the rule a waiver names raised, OSK905 did not judge it."""

        @rule(
            code="ACME001",
            slug="always-fails",
            title="Always fails",
            category="governance",
            severity="warning",
            fix="Nothing.",
        )
        def always_fails(_engagement, _ctx):
            raise ZeroDivisionError

        rules = [*BUILTIN_RULES, always_fails]
        nda = Waiver(rule="missing-nda", reason="Nothing confidential is shared")
        acme = Waiver(rule="ACME001", reason="Accepted")
        before = check(
            [Engagement(id="acme", waivers=(nda, acme))], as_of=AS_OF, rules=rules
        )
        after = check([Engagement(id="acme")], as_of=AS_OF, rules=rules)

        assert ["waivers[0]", "waivers[1]"] == [
            f.path for f in before.findings if f.rule == "OSK905"
        ]
        assert [("OSK905", "waivers[0]")] == [
            (f.rule, f.path) for f in after.diff(before).fixed
        ]


class TestOSK906:
    def test_fires_without_owner(self):
        """An active engagement without owner fires at `owner`."""
        (f,) = run_rule(governance.no_owner, active(), as_of=AS_OF)

        assert ("OSK906", "owner", "warning") == (f.rule, f.path, f.severity.value)
        assert (
            "No owner is named as accountable for this active engagement" == f.message
        )
        assert {"owner": None} == f.evidence

    def test_blank_owner_is_none(self):
        """A blank owner counts as none."""
        assert 1 == len(run_rule(governance.no_owner, active(owner=" "), as_of=AS_OF))

    def test_placeholder_owner_is_none(self):
        """An owner "-" counts as none, and the message says so."""
        (f,) = run_rule(governance.no_owner, active(owner="-"), as_of=AS_OF)

        assert (
            "No owner is named as accountable for this active engagement: the owner "
            "is a placeholder (`-`)" == f.message
        )

    def test_passes_with_owner(self):
        """Naming an owner fixes it."""
        assert [] == run_rule(
            governance.no_owner, active(owner="Dana Reyes"), as_of=AS_OF
        )

    def test_only_active_engagements(self):
        """Proposed and ended engagements are not judged."""
        for status in (Status.PROPOSED, Status.ENDED, Status.PAUSED):
            assert [] == run_rule(
                governance.no_owner, active(status=status), as_of=AS_OF
            )


class TestOSK907:
    def test_fires_on_critical_work_without_exit_plan(self):
        """Critical tasks without an exit plan fire once at `exit_plan`."""
        eng = Engagement(
            id="x",
            tasks=[*critical("Payroll", "VAT"), Task(name="Filing", critical=False)],
        )

        (f,) = run_rule(governance.no_exit_plan, eng, as_of=AS_OF)

        assert ("OSK907", "exit_plan", "warning") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            '2 tasks ("Payroll", "VAT") are critical but no exit plan is written'
            == (f.message)
        )
        assert {"critical_tasks": ("Payroll", "VAT")} == f.evidence

    def test_single_critical_task(self):
        """One critical task is named alone."""
        eng = Engagement(id="x", exit_plan="", tasks=critical("Payroll"))

        (f,) = run_rule(governance.no_exit_plan, eng, as_of=AS_OF)

        assert 'Task "Payroll" is critical but no exit plan is written' == f.message

    def test_placeholder_exit_plan(self):
        """An exit plan "TODO" counts as none, and the message says so."""
        eng = Engagement(id="x", exit_plan="TODO", tasks=critical("Payroll"))

        (f,) = run_rule(governance.no_exit_plan, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" is critical but no exit plan is written: the exit plan is '
            "a placeholder (`TODO`)" == f.message
        )

    def test_passes_with_exit_plan(self):
        """An exit plan fixes it."""
        eng = Engagement(id="x", exit_plan="docs/exit.md", tasks=critical("Payroll"))

        assert [] == run_rule(governance.no_exit_plan, eng, as_of=AS_OF)

    def test_silent_without_critical_tasks(self):
        """Tasks not marked critical (false or absent) need no exit plan."""
        eng = Engagement(id="x", tasks=[Task(name="a", critical=False), Task(name="b")])

        assert [] == run_rule(governance.no_exit_plan, eng, as_of=AS_OF)


class TestOSK908:
    @pytest.mark.parametrize("status", [Status.ACTIVE, Status.TRIAL])
    def test_fires_on_active_after_end(self, status):
        """An active or trial status after the end date fires at `status`."""
        eng = active(status=status, end=dt.date(2026, 10, 31))

        (f,) = run_rule(governance.stale_status, eng, as_of=AS_OF)

        assert ("OSK908", "status", "warning") == (f.rule, f.path, f.severity.value)
        assert (
            f"The status is {status.value} but the engagement ended on 2026-10-31, "
            "22 days before 2026-11-22"
        ) == f.message
        assert {"status": status.value, "end": dt.date(2026, 10, 31), "days": 22} == (
            f.evidence
        )

    def test_one_day_is_singular(self):
        """Ended the day before as_of is "1 day before", not "1 days before"."""
        eng = active(end=dt.date(2026, 11, 21))

        (f,) = run_rule(governance.stale_status, eng, as_of=AS_OF)

        assert (
            "The status is active but the engagement ended on 2026-11-21, 1 day "
            "before 2026-11-22"
        ) == f.message
        assert 1 == f.evidence["days"]

    def test_passes_once_ended(self):
        """Setting the status to ended fixes it."""
        eng = active(status=Status.ENDED, end=dt.date(2026, 10, 31))

        assert [] == run_rule(governance.stale_status, eng, as_of=AS_OF)

    def test_end_boundary(self):
        """An engagement ending on as_of is still running that day."""
        assert [] == run_rule(governance.stale_status, active(end=AS_OF), as_of=AS_OF)

    def test_fires_on_a_stale_proposal(self):
        """A proposal whose start is more than 30 days past fires."""
        eng = active(status=Status.PROPOSED, start=dt.date(2026, 10, 1))

        (f,) = run_rule(governance.stale_status, eng, as_of=AS_OF)

        assert (
            "The status is still proposed 52 days after the start on 2026-10-01, "
            "more than the 30 days allowed"
        ) == f.message
        assert {
            "status": "proposed",
            "start": dt.date(2026, 10, 1),
            "days": 52,
            "max_days": 30,
        } == f.evidence

    def test_proposal_boundary(self):
        """Exactly 30 days past the start passes; 31 fires."""

        def run(days: int) -> list:
            eng = active(status=Status.PROPOSED, start=AS_OF - dt.timedelta(days=days))
            return run_rule(governance.stale_status, eng, as_of=AS_OF)

        assert [] == run(30)
        assert [31] == [f.evidence["days"] for f in run(31)]

    def test_silent_without_status_or_dates(self):
        """No status, or a status without the dates it is compared with, is silent."""
        cases = [
            Engagement(id="x", start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 1)),
            Engagement(id="x", status=Status.PROPOSED),
            Engagement(id="x", status=Status.ACTIVE),
            active(status=Status.PAUSED, end=dt.date(2026, 10, 31)),
        ]

        for eng in cases:
            assert [] == run_rule(governance.stale_status, eng, as_of=AS_OF)


class TestOSK909:
    def run(self, *names: str, known: tuple[Rule, ...] | None = BUILTIN_RULES):
        """Run OSK909 on an engagement whose waivers name *names*."""
        eng = Engagement(
            id="acme", waivers=[Waiver(rule=n, reason="Accepted") for n in names]
        )
        return run_with(governance.unknown_waiver_rule, eng, known=known)

    def test_fires_with_a_suggestion(self):
        """A mistyped slug is reported at the waiver's rule, with the closest name."""
        (f,) = self.run("no-pm-tool", "no-kpi")

        assert ("OSK909", "waivers[1].rule", "warning") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "The waiver at waivers[1] names 'no-kpi', which is not the code or slug "
            "of any loaded rule (did you mean 'no-kpis'?), so it waives nothing"
            == f.message
        )
        assert {"rule": "no-kpi", "suggestion": "no-kpis"} == f.evidence

    def test_mistyped_code(self):
        """A code that no rule has suggests the closest code."""
        (f,) = self.run("OSK6011")

        assert "OSK601" == f.evidence["suggestion"]

    @pytest.mark.parametrize(
        ("name", "closest"),
        [("ACME001-always-zebra", "unused-waiver"), ("ACME001", "OSK101")],
    )
    def test_nothing_close(self, name, closest):
        """A name like no rule's still gets the closest, not as a likely typo."""
        (f,) = self.run(name)

        assert (
            f"The waiver at waivers[0] names {name!r}, which is not the code or slug "
            f"of any loaded rule (the closest known rule is {closest!r}), so it "
            "waives nothing"
        ) == f.message
        assert {"rule": name, "suggestion": closest} == f.evidence

    def test_a_name_sharing_nothing_still_gets_one(self):
        """Even a name with no letter in common with any rule names a known one."""
        (f,) = self.run("zzzzzzzz")

        names = {n for r in BUILTIN_RULES for n in (r.code, r.slug)}
        assert f.evidence["suggestion"] in names
        assert (
            f"(the closest known rule is {f.evidence['suggestion']!r}), so it waives "
            "nothing"
        ) in f.message

    def test_a_category_names_its_rules(self):
        """A category is said to be one, with its rules, as a central waiver's is."""
        (f,) = self.run("confidentiality")

        assert (
            "The waiver at waivers[0] names 'confidentiality', which is not the "
            "code or slug of any loaded rule, so it waives nothing: it is a "
            "category, of OSK601, OSK602, OSK603, OSK604, OSK605, OSK606, OSK607 "
            "and OSK608; name each rule by its code or slug"
        ) == f.message
        assert {"rule": "confidentiality", "suggestion": None} == f.evidence

    def test_a_code_prefix_names_its_rules(self):
        """A code prefix (osk6, any case) names its rules, not one of its codes."""
        (f,) = self.run("osk6")

        assert f.message.endswith(
            "so it waives nothing: it is a code prefix, of OSK601, OSK602, OSK603, "
            "OSK604, OSK605, OSK606, OSK607 and OSK608; name each rule by its code "
            "or slug"
        )
        assert None is f.evidence["suggestion"]

    def test_no_rule_known_at_all(self):
        """Without any rule to name, the message suggests nothing."""
        (f,) = self.run("no-kpi", known=())

        assert (
            "The waiver at waivers[0] names 'no-kpi', which is not the code or slug "
            "of any loaded rule, so it waives nothing"
        ) == f.message
        assert {"rule": "no-kpi", "suggestion": None} == f.evidence

    def test_known_rules_pass(self):
        """Codes in any case and slugs of loaded rules pass, selected or not."""
        assert [] == self.run("OSK601", "osk404", "no-pm-tool", "unknown-waiver-rule")

    def test_silent_without_the_rules_of_the_check(self):
        """A context made without the check's rules cannot judge."""
        assert [] == self.run("no-kpi", known=None)

    def test_central_waivers_are_not_judged(self):
        """Only the engagement's own waivers are judged here."""
        eng = Engagement(id="acme")

        assert [] == run_with(
            governance.unknown_waiver_rule,
            eng,
            central=(Waiver(rule="no-kpi", reason="x"),),
            known=BUILTIN_RULES,
        )

    def test_engine_hands_in_every_rule(self):
        """In a check, rules handed in but not selected are known."""
        eng = Engagement(
            id="acme",
            waivers=[
                Waiver(rule="no-pm-tool", reason="Tickets in the client's tool"),
                Waiver(rule="no-kpi", reason="Agreed quarterly"),
            ],
        )

        report = check(
            [eng],
            as_of=AS_OF,
            rules=BUILTIN_RULES,
            config=Config(select=["OSK909"]),
        )

        assert [("OSK909", "waivers[1].rule")] == [
            (f.rule, f.path) for f in report.findings
        ]

    def test_plugin_rules_are_known(self):
        """A plugin's rule handed to the check is known like a built-in one."""

        @rule(
            code="ACME001",
            slug="acme-check",
            title="Acme check",
            category="governance",
            severity="info",
            fix="Fix it.",
        )
        def acme_check(engagement, ctx):
            """Flag nothing."""
            del engagement, ctx
            return iter(())

        eng = Engagement(id="acme", waivers=[Waiver(rule="acme-check", reason="x")])

        report = check(
            [eng],
            as_of=AS_OF,
            rules=[*BUILTIN_RULES, acme_check],
            config=Config(select=["OSK909"]),
        )

        assert [] == list(report.findings)
