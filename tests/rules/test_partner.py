"""Tests for the partner rules (OSK201-OSK207)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import outsourcekit as ok
from outsourcekit.builtin.rules import partner
from outsourcekit.model import (
    Engagement,
    Experience,
    Party,
    Selection,
    Status,
    Task,
    Trial,
    TrialStatus,
    Vendor,
    Vetting,
    is_placeholder,
)
from outsourcekit.testing import run_rule

AS_OF = dt.date(2026, 11, 22)


def engagement(**kwargs) -> Engagement:
    """An engagement with id `x` and the given fields."""
    return Engagement(id="x", **kwargs)


def vendor(**kwargs) -> Vendor:
    """A vendor named LedgerPros with the given fields."""
    return Vendor(name="LedgerPros", **kwargs)


class TestOSK201:
    @pytest.mark.parametrize(
        ("eng", "message"),
        [
            (engagement(), "The vendor has no recorded vetting"),
            (engagement(vendor=vendor()), "Vendor LedgerPros has no recorded vetting"),
        ],
    )
    def test_fires_when_vetting_unknown(self, eng, message):
        """No vendor or no vetting record is unvetted."""
        (f,) = run_rule(partner.unvetted_vendor, eng, as_of=AS_OF)

        assert ("OSK201", "vendor.vetting", message) == (f.rule, f.path, f.message)
        assert {"vetting": None} == f.evidence

    def test_fires_without_evidence(self):
        """Vetting that records no references, testimonials or case studies fires."""
        eng = engagement(
            vendor=vendor(
                vetting=Vetting(
                    references_checked=False, testimonials=0, years_experience=6
                )
            )
        )

        (f,) = run_rule(partner.unvetted_vendor, eng, as_of=AS_OF)

        assert (
            "Vendor LedgerPros was not vetted: no references were checked and no "
            "testimonials or case studies were reviewed" == f.message
        )
        assert {
            "references_checked": False,
            "testimonials": 0,
            "case_studies": None,
        } == f.evidence

    @pytest.mark.parametrize(
        "vetting",
        [
            Vetting(references_checked=True),
            Vetting(testimonials=1),
            Vetting(case_studies=2),
        ],
    )
    def test_any_evidence_is_enough(self, vetting):
        """References, one testimonial or one case study each count as vetting."""
        eng = engagement(vendor=vendor(vetting=vetting))

        assert [] == run_rule(partner.unvetted_vendor, eng, as_of=AS_OF)


class TestOSK202:
    def active(self, start: dt.date, trial: Trial | None) -> Engagement:
        """An active engagement started on *start* with the given trial."""
        return engagement(status=Status.ACTIVE, start=start, vendor=vendor(trial=trial))

    def test_one_day_in_words(self):
        """One day active, over a limit of none, reads "1 day" and "0 days"."""
        eng = self.active(AS_OF - dt.timedelta(days=1), None)

        (f,) = run_rule(
            partner.no_trial_project,
            eng,
            as_of=AS_OF,
            options={"max-days-without-trial": 0},
        )

        assert (
            "The engagement has been active for 1 day since 2026-11-21 without a "
            "completed trial project (trial: none), more than the 0 days allowed"
            == f.message
        )

    def test_fires_after_limit_without_trial(self):
        """Active for more than 90 days with no trial fires at `vendor.trial`."""
        eng = self.active(dt.date(2026, 1, 5), None)

        (f,) = run_rule(partner.no_trial_project, eng, as_of=AS_OF)

        assert ("OSK202", "vendor.trial") == (f.rule, f.path)
        assert (
            "The engagement has been active for 321 days since 2026-01-05 without a "
            "completed trial project (trial: none), more than the 90 days allowed"
            == f.message
        )
        assert {
            "start": dt.date(2026, 1, 5),
            "days_active": 321,
            "trial": "none",
            "max_days_without_trial": 90,
        } == f.evidence

    def test_boundary(self):
        """Exactly 90 days does not fire; 91 days does."""
        at_limit = self.active(
            AS_OF - dt.timedelta(days=90), Trial(status=TrialStatus.RUNNING)
        )
        over = self.active(
            AS_OF - dt.timedelta(days=91), Trial(status=TrialStatus.RUNNING)
        )

        assert [] == run_rule(partner.no_trial_project, at_limit, as_of=AS_OF)
        assert ["OSK202"] == [
            f.rule for f in run_rule(partner.no_trial_project, over, as_of=AS_OF)
        ]

    @pytest.mark.parametrize("status", [TrialStatus.COMPLETED, TrialStatus.FAILED])
    def test_completed_or_failed_trial_passes(self, status):
        """A completed trial fixes it; a failed one is OSK206's concern."""
        eng = self.active(dt.date(2026, 1, 5), Trial(status=status))

        assert [] == run_rule(partner.no_trial_project, eng, as_of=AS_OF)

    def test_trial_completed_after_as_of_is_not_yet_completed(self):
        """A completion dated after as_of is not known yet: the trial still runs."""
        trial = Trial(status=TrialStatus.COMPLETED, completed_on=dt.date(2026, 12, 1))
        eng = self.active(dt.date(2026, 1, 5), trial)

        (f,) = run_rule(partner.no_trial_project, eng, as_of=AS_OF)

        assert "running" == f.evidence["trial"]
        assert [] == run_rule(partner.no_trial_project, eng, as_of=dt.date(2026, 12, 1))

    def test_trial_failed_after_as_of_is_still_running(self):
        """A failure dated after as_of had not happened yet: the trial still runs."""
        trial = Trial(status=TrialStatus.FAILED, completed_on=dt.date(2026, 12, 1))
        eng = self.active(dt.date(2026, 1, 5), trial)

        (f,) = run_rule(partner.no_trial_project, eng, as_of=AS_OF)

        assert ("OSK202", "vendor.trial") == (f.rule, f.path)
        assert (
            "The engagement has been active for 321 days since 2026-01-05 without a "
            "completed trial project (trial: running), more than the 90 days allowed"
            == f.message
        )
        assert "running" == f.evidence["trial"]
        assert [] == run_rule(partner.no_trial_project, eng, as_of=dt.date(2026, 12, 1))

    def test_not_active_is_silent(self):
        """A proposed engagement is not active, so no trial is due yet."""
        eng = engagement(status=Status.PROPOSED, start=dt.date(2026, 1, 5))

        assert [] == run_rule(partner.no_trial_project, eng, as_of=AS_OF)

    def test_option(self):
        """`max-days-without-trial` moves the limit."""
        eng = self.active(dt.date(2026, 1, 5), Trial(status=TrialStatus.PLANNED))

        (f,) = run_rule(
            partner.no_trial_project,
            eng,
            as_of=AS_OF,
            options={"max-days-without-trial": 300},
        )
        assert 300 == f.evidence["max_days_without_trial"]
        assert [] == run_rule(
            partner.no_trial_project,
            eng,
            as_of=AS_OF,
            options={"max-days-without-trial": 321},
        )


class TestOSK203:
    @pytest.mark.parametrize(
        "criteria",
        [
            ["cost"],
            ["Price"],
            ["cheapest", "budget"],
            ["Lowest price"],
            ["low hourly rate"],
        ],
    )
    def test_fires_on_price_only(self, criteria):
        """Criteria made only of price-like words fire at the criteria path."""
        eng = engagement(vendor=vendor(selection=Selection(criteria=criteria)))

        (f,) = run_rule(partner.cost_only_selection, eng, as_of=AS_OF)

        assert ("OSK203", "vendor.selection.criteria") == (f.rule, f.path)
        assert (
            f"Vendor LedgerPros was selected on price alone (criteria: "
            f"{', '.join(criteria)})" == f.message
        )
        assert {"criteria": tuple(criteria)} == f.evidence

    @pytest.mark.parametrize(
        "criteria", [[], ["cost", "experience"], ["cost and quality"], ["references"]]
    )
    def test_other_criteria_pass(self, criteria):
        """Any criterion besides price, or no criteria at all, passes."""
        eng = engagement(vendor=vendor(selection=Selection(criteria=criteria)))

        assert [] == run_rule(partner.cost_only_selection, eng, as_of=AS_OF)

    def test_placeholders_are_no_criteria(self):
        """`[cost, TBD]` is a choice on price alone; the placeholder is not shown."""
        eng = engagement(vendor=vendor(selection=Selection(criteria=["cost", "TBD"])))

        (f,) = run_rule(partner.cost_only_selection, eng, as_of=AS_OF)

        assert "Vendor LedgerPros was selected on price alone (criteria: cost)" == (
            f.message
        )

    def test_only_placeholders_say_nothing(self):
        """A list of placeholders is empty: nothing to judge."""
        eng = engagement(vendor=vendor(selection=Selection(criteria=["tbd", "n/a"])))

        assert [] == run_rule(partner.cost_only_selection, eng, as_of=AS_OF)

    @given(st.lists(st.sampled_from(sorted(partner._PRICE_WORDS)), min_size=1))
    def test_price_words_in_any_case(self, words):
        """Any mix of price words, in any case, is price-like."""
        assert partner._is_price_like(" ".join(words).upper())

    @given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=20))
    def test_price_like_needs_a_price_word(self, text):
        """A criterion without any price word is never price-like."""
        assume(not set(text.split()) & partner._PRICE_WORDS)

        assert not partner._is_price_like(text)

    @given(
        st.lists(
            st.sampled_from(["cost", "Lowest price", "TBD", " n/a.", "", "references"]),
            max_size=4,
        )
    )
    def test_same_as_the_definition(self, criteria):
        """It fires when some criterion is stated and every stated one is price-like."""
        eng = engagement(vendor=vendor(selection=Selection(criteria=criteria)))
        kept = [c for c in criteria if not is_placeholder(c)]

        fires = bool(kept) and all(partner._is_price_like(c) for c in kept)

        assert [tuple(kept)] * fires == [
            f.evidence["criteria"]
            for f in run_rule(partner.cost_only_selection, eng, as_of=AS_OF)
        ]


class TestOSK204:
    def test_fires_per_critical_task_of_a_first_timer(self):
        """A first-time client's core or critical tasks each fire at their path."""
        eng = engagement(
            client=Party(outsourcing_experience=Experience.FIRST),
            vendor=vendor(trial=Trial(status=TrialStatus.COMPLETED)),
            tasks=[
                Task(name="Data entry"),
                Task(name="Payroll", critical=True),
                Task(name="Pricing", core=True, critical=True),
            ],
        )

        findings = run_rule(partner.critical_work_first, eng, as_of=AS_OF)

        assert [
            (
                "tasks[Payroll]",
                (
                    'Task "Payroll" is critical, but the client is outsourcing for the '
                    "first time"
                ),
            ),
            (
                "tasks[Pricing]",
                (
                    'Task "Pricing" is core and critical, but the client is '
                    "outsourcing for the first time"
                ),
            ),
        ] == [(f.path, f.message) for f in findings]
        assert {
            "task": "Payroll",
            "core": False,
            "critical": True,
            "outsourcing_experience": "first",
            "trial": "completed",
        } == findings[0].evidence

    def test_fires_without_completed_trial(self):
        """Unknown experience but no completed trial (absent: none) still fires."""
        eng = engagement(tasks=[Task(name="Payroll", core=True)])

        (f,) = run_rule(partner.critical_work_first, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" is core, but the vendor\'s trial is not completed (none)'
            == f.message
        )

    def test_both_reasons(self):
        """Both reasons are named when both hold."""
        eng = engagement(
            client=Party(outsourcing_experience=Experience.FIRST),
            vendor=vendor(trial=Trial(status=TrialStatus.FAILED)),
            tasks=[Task(name="Payroll", critical=True)],
        )

        (f,) = run_rule(partner.critical_work_first, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" is critical, but the client is outsourcing for the first '
            "time and the vendor's trial is not completed (failed)" == f.message
        )

    def test_tried_vendor_and_experienced_client_pass(self):
        """A completed trial with an experienced client passes."""
        eng = engagement(
            client=Party(outsourcing_experience=Experience.SOME),
            vendor=vendor(trial=Trial(status=TrialStatus.COMPLETED)),
            tasks=[Task(name="Payroll", critical=True)],
        )

        assert [] == run_rule(partner.critical_work_first, eng, as_of=AS_OF)

    def test_trial_completed_after_as_of(self):
        """A trial completed on a date after as_of is still running at as_of."""
        trial = Trial(status=TrialStatus.COMPLETED, completed_on=dt.date(2026, 11, 30))
        eng = engagement(
            client=Party(outsourcing_experience=Experience.SOME),
            vendor=vendor(trial=trial),
            tasks=[Task(name="Payroll", critical=True)],
        )

        (f,) = run_rule(partner.critical_work_first, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" is critical, but the vendor\'s trial is not completed '
            "(running)" == f.message
        )
        assert [] == run_rule(
            partner.critical_work_first, eng, as_of=dt.date(2026, 11, 30)
        )

    def test_trial_failed_after_as_of(self):
        """A trial failed on a date after as_of is still running at as_of."""
        trial = Trial(status=TrialStatus.FAILED, completed_on=dt.date(2026, 11, 30))
        eng = engagement(
            client=Party(outsourcing_experience=Experience.SOME),
            vendor=vendor(trial=trial),
            tasks=[Task(name="Payroll", critical=True)],
        )

        (f,) = run_rule(partner.critical_work_first, eng, as_of=AS_OF)
        (later,) = run_rule(
            partner.critical_work_first, eng, as_of=dt.date(2026, 11, 30)
        )

        assert (
            'Task "Payroll" is critical, but the vendor\'s trial is not completed '
            "(running)" == f.message
        )
        assert "running" == f.evidence["trial"]
        assert "failed" == later.evidence["trial"]

    def test_path_of_a_name_that_reads_as_an_index(self):
        """A task named `0` that is not the first is at its own index."""
        eng = engagement(
            client=Party(outsourcing_experience=Experience.FIRST),
            tasks=[Task(name="Filing"), Task(name="0", core=True)],
        )

        (f,) = run_rule(partner.critical_work_first, eng, as_of=AS_OF)

        assert ("tasks[1]", "0") == (f.path, f.evidence["task"])
        assert f.message.startswith('Task "0" is core, but')

    def test_non_critical_work_passes(self):
        """A first-timer with only non-critical, non-core tasks passes."""
        eng = engagement(
            client=Party(outsourcing_experience=Experience.FIRST),
            tasks=[Task(name="Data entry", core=False, critical=False)],
        )

        assert [] == run_rule(partner.critical_work_first, eng, as_of=AS_OF)


class TestOSK205:
    def test_fires_on_region_and_industry(self):
        """Region and industry are each reported at their own path."""
        eng = engagement(
            client=Party(region="GB", industry="Retail"),
            vendor=vendor(regions_served=["US"], industries_served=["health"]),
        )

        findings = run_rule(partner.region_inexperience, eng, as_of=AS_OF)

        assert [
            (
                "vendor.regions_served",
                "Vendor LedgerPros has not served the client's region GB (served: US)",
            ),
            (
                "vendor.industries_served",
                (
                    "Vendor LedgerPros has not served the client's industry Retail "
                    "(served: health)"
                ),
            ),
        ] == [(f.path, f.message) for f in findings]
        assert {"region": "GB", "served": ("US",)} == findings[0].evidence

    def test_known_empty_list_fires(self):
        """An empty, known list lacks the client's region."""
        eng = engagement(client=Party(region="GB"), vendor=vendor(regions_served=[]))

        (f,) = run_rule(partner.region_inexperience, eng, as_of=AS_OF)

        assert (
            "Vendor LedgerPros has not served the client's region GB (served: none "
            "listed)" == f.message
        )

    def test_case_insensitive(self):
        """Region and industry compare without regard to case."""
        eng = engagement(
            client=Party(region="gb", industry="RETAIL"),
            vendor=vendor(regions_served=["GB"], industries_served=["retail"]),
        )

        assert [] == run_rule(partner.region_inexperience, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        "eng",
        [
            engagement(client=Party(region="GB"), vendor=vendor()),
            engagement(client=Party(), vendor=vendor(regions_served=["US"])),
            engagement(vendor=vendor(regions_served=["US"], industries_served=["x"])),
        ],
    )
    def test_unknown_is_silent(self, eng):
        """Without the client's value and the vendor's list nothing is compared."""
        assert [] == run_rule(partner.region_inexperience, eng, as_of=AS_OF)

    def test_placeholder_region_is_unknown(self):
        """A client region that is a placeholder cannot be compared."""
        eng = engagement(
            client=Party(region="TBD"), vendor=vendor(regions_served=["US"])
        )

        assert [] == run_rule(partner.region_inexperience, eng, as_of=AS_OF)

    def test_placeholders_are_not_served(self):
        """Placeholders in the vendor's list are not regions it served."""
        eng = engagement(
            client=Party(region="GB"), vendor=vendor(regions_served=["US", "n/a"])
        )

        (f,) = run_rule(partner.region_inexperience, eng, as_of=AS_OF)

        assert (
            "Vendor LedgerPros has not served the client's region GB (served: US)"
            == (f.message)
        )

    def test_a_list_of_placeholders_is_named_as_the_reason(self):
        """When the vendor's list holds only placeholders, the message says so."""
        eng = engagement(
            client=Party(region="GB", industry="retail"),
            vendor=vendor(regions_served=["TBD", "-"], industries_served=["n/a"]),
        )

        findings = run_rule(partner.region_inexperience, eng, as_of=AS_OF)

        assert [
            (
                "Vendor LedgerPros has not served the client's region GB (served: "
                "none listed): `vendor.regions_served` lists only placeholders "
                "(`TBD`, `-`)"
            ),
            (
                "Vendor LedgerPros has not served the client's industry retail "
                "(served: none listed): `vendor.industries_served` lists only a "
                "placeholder (`n/a`)"
            ),
        ] == [f.message for f in findings]

    @given(
        wanted=st.sampled_from(["GB", " gb ", "to do", "to  do", "TBD", "ß", "SS"]),
        served=st.lists(
            st.sampled_from(["GB", "gb", "TO  DO", "to do", "tbd", "ss", " US"]),
            max_size=3,
        ),
    )
    def test_same_as_the_definition(self, wanted, served):
        """It fires when no stated entry equals the region, ignoring case and blanks."""
        eng = engagement(
            client=Party(region=wanted), vendor=vendor(regions_served=served)
        )
        kept = [s for s in served if not is_placeholder(s)]
        folded = wanted.strip().casefold()

        fires = not is_placeholder(wanted) and folded not in {
            s.strip().casefold() for s in kept
        }

        assert [tuple(kept)] * fires == [
            f.evidence["served"]
            for f in run_rule(partner.region_inexperience, eng, as_of=AS_OF)
        ]


class TestOSK206:
    def test_fires_on_active_engagement(self):
        """A failed trial on an active engagement fires at the trial status."""
        eng = engagement(
            status=Status.ACTIVE,
            start=dt.date(2026, 1, 5),
            vendor=vendor(trial=Trial(status=TrialStatus.FAILED)),
        )

        (f,) = run_rule(partner.failed_trial_continued, eng, as_of=AS_OF)

        assert ("OSK206", "vendor.trial.status") == (f.rule, f.path)
        assert (
            "Vendor LedgerPros failed its trial project but the engagement is still "
            "active" == f.message
        )
        assert {"trial": "failed", "status": "active"} == f.evidence

    def test_active_without_status(self):
        """Without a status, a started and not ended engagement is active."""
        eng = engagement(
            start=dt.date(2026, 1, 5),
            vendor=vendor(trial=Trial(status=TrialStatus.FAILED)),
        )

        (f,) = run_rule(partner.failed_trial_continued, eng, as_of=AS_OF)

        assert {"trial": "failed", "status": None} == f.evidence

    def test_failure_after_as_of_is_not_known_yet(self):
        """A trial failed on a date after as_of had not failed at as_of."""
        trial = Trial(status=TrialStatus.FAILED, completed_on=dt.date(2026, 11, 23))
        eng = engagement(
            status=Status.ACTIVE, start=dt.date(2026, 1, 5), vendor=vendor(trial=trial)
        )

        later = run_rule(
            partner.failed_trial_continued, eng, as_of=dt.date(2026, 11, 23)
        )

        assert [] == run_rule(partner.failed_trial_continued, eng, as_of=AS_OF)
        assert [("OSK206", "vendor.trial.status")] == [(f.rule, f.path) for f in later]

    @pytest.mark.parametrize(
        "eng",
        [
            engagement(
                status=Status.ENDED,
                vendor=vendor(trial=Trial(status=TrialStatus.FAILED)),
            ),
            engagement(
                start=dt.date(2026, 1, 5),
                end=dt.date(2026, 2, 27),
                vendor=vendor(trial=Trial(status=TrialStatus.FAILED)),
            ),
            engagement(
                status=Status.ACTIVE,
                vendor=vendor(trial=Trial(status=TrialStatus.COMPLETED)),
            ),
        ],
    )
    def test_passes(self, eng):
        """An ended engagement, or one whose trial did not fail, passes."""
        assert [] == run_rule(partner.failed_trial_continued, eng, as_of=AS_OF)


class TestOSK207:
    def selected(self, quotes: int | None) -> Engagement:
        """An engagement whose vendor was chosen after *quotes* quotes."""
        return engagement(
            vendor=vendor(
                selection=Selection(criteria=["experience"], quotes_compared=quotes)
            )
        )

    def test_fires_on_a_single_quote(self):
        """One quote compared is fewer than two: info at the count."""
        (f,) = run_rule(partner.single_quote, self.selected(1), as_of=AS_OF)

        assert ("OSK207", "vendor.selection.quotes_compared", "info") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "Vendor LedgerPros was chosen after 1 quote was compared, fewer than the "
            "2 expected" == f.message
        )
        assert {"quotes_compared": 1, "min_quotes": 2} == f.evidence

    def test_no_quote_at_all(self):
        """Zero quotes compared fires too."""
        (f,) = run_rule(partner.single_quote, self.selected(0), as_of=AS_OF)

        assert (
            "Vendor LedgerPros was chosen after no quote was compared, fewer than the "
            "2 expected" == f.message
        )

    def test_boundary(self):
        """Exactly `min-quotes` quotes passes."""
        assert [] == run_rule(partner.single_quote, self.selected(2), as_of=AS_OF)

    @pytest.mark.parametrize(
        "eng",
        [
            engagement(),
            engagement(vendor=vendor()),
            engagement(vendor=vendor(selection=Selection(criteria=["cost"]))),
        ],
    )
    def test_unknown_count_is_silent(self, eng):
        """Without `quotes_compared` the rule has nothing to judge."""
        assert [] == run_rule(partner.single_quote, eng, as_of=AS_OF)

    def test_option(self):
        """`min-quotes` moves the limit."""
        eng = self.selected(2)

        (f,) = run_rule(
            partner.single_quote, eng, as_of=AS_OF, options={"min-quotes": 3}
        )

        assert (
            "Vendor LedgerPros was chosen after 2 quotes were compared, fewer than "
            "the 3 expected" == f.message
        )
        assert [] == run_rule(
            partner.single_quote, eng, as_of=AS_OF, options={"min-quotes": 2}
        )


def test_trial_ended_after_as_of_reads_as_running():
    """Completed or failed after as_of, a trial is judged the same: still running."""

    def findings(status: str) -> list[tuple[str, str, str]]:
        data = {
            "id": "x",
            "status": "active",
            "start": "2026-01-05",
            "vendor": {
                "vetting": {"testimonials": 1},
                "trial": {"status": status, "completed_on": "2026-06-01"},
            },
            "tasks": [{"name": "P", "critical": True}],
        }
        config = ok.Config(select=["OSK202", "OSK204", "OSK206"])
        report = ok.check(ok.from_dict(data), as_of="2026-05-01", config=config)
        return [(f.rule, f.path, f.message) for f in report.findings]

    assert [
        (
            "OSK202",
            "vendor.trial",
            (
                "The engagement has been active for 116 days since 2026-01-05 "
                "without a completed trial project (trial: running), more than the "
                "90 days allowed"
            ),
        ),
        (
            "OSK204",
            "tasks[P]",
            'Task "P" is critical, but the vendor\'s trial is not completed (running)',
        ),
    ] == findings("failed")
    assert findings("completed") == findings("failed")
