"""Tests for the autonomy and oversight rules (OSK301-OSK306)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from outsourcekit import Config, check, loads
from outsourcekit.builtin.rules import oversight
from outsourcekit.model import (
    Cadence,
    CheckIn,
    CommunicationPlan,
    Duration,
    Engagement,
    Party,
    PerformanceStandard,
    Side,
    Status,
    TimeZone,
)
from outsourcekit.testing import run_rule
from strategies import edge_days as edge_days_strategy

if TYPE_CHECKING:
    from outsourcekit.engine import Rule

AS_OF = dt.date(2026, 11, 22)  # a Sunday: its ISO week starts on 2026-11-16
START = dt.date(2026, 1, 5)


def planned(
    check_ins: str | None = None,
    *,
    reports: str | None = None,
    length: str | None = None,
    **kwargs,
) -> Engagement:
    """An active engagement started on START with the given plan."""
    fields = {"status": Status.ACTIVE, "start": START, **kwargs}
    return Engagement(
        id="x",
        communication=CommunicationPlan(
            check_ins=None if check_ins is None else Cadence.parse(check_ins),
            check_in_length=None if length is None else Duration.parse(length),
        ),
        performance=(
            None
            if reports is None
            else PerformanceStandard(status_reports=Cadence.parse(reports))
        ),
        **fields,
    )


def logged(*moments: dt.date, **kwargs) -> Engagement:
    """An active engagement started on START with check-ins logged at *moments*."""
    fields = {"status": Status.ACTIVE, "start": START, **kwargs}
    return Engagement(id="x", check_ins=[CheckIn(at=m) for m in moments], **fields)


def times_a_week(n: int) -> str:
    """The cadence phrase for *n* check-ins a week."""
    return {1: "once a week", 2: "twice a week"}.get(n, f"{n} times a week")


def codes(rule: Rule, eng: Engagement, **kwargs) -> list[str]:
    """The codes of the findings of *rule* on *eng* as of AS_OF."""
    return [
        f.rule for f in run_rule(rule, eng, as_of=kwargs.pop("as_of", AS_OF), **kwargs)
    ]


class TestOSK301:
    def test_documentation_explains_daily_and_reports(self):
        """OSK301's documentation says status reports never count and daily fires."""
        checks = oversight.micromanagement.sections()["What it checks"]

        assert "status_reports" in checks
        assert "`weekdays`" in checks
        assert "`daily`" in checks
        assert "7 a week" in checks

    def test_daily_fires(self):
        """`daily` plans 7 check-ins a week, more than 5: one finding, busiest week."""
        (f,) = run_rule(oversight.micromanagement, planned("daily"), as_of=AS_OF)

        assert ("OSK301", "communication.check_ins") == (f.rule, f.path)
        assert (
            "7 check-ins are planned in the week of 2026-11-16, more than the 5 a "
            "week allowed" == f.message
        )
        assert {
            "week": dt.date(2026, 11, 16),
            "check_ins": 7,
            "max_per_week": 5,
            "cadence": str(Cadence.parse("daily")),
        } == f.evidence

    def test_weekdays_passes(self):
        """`weekdays` plans 5 check-ins a week, which is allowed."""
        assert [] == codes(oversight.micromanagement, planned("weekdays"))

    def test_boundary(self):
        """Exactly 5 a week does not fire; 6 a week (Monday to Saturday) does."""
        six = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"

        assert [] == codes(oversight.micromanagement, planned("5 times a week"))
        assert ["OSK301"] == codes(oversight.micromanagement, planned(six))

    def test_status_reports_never_count(self):
        """Daily written status reports are not check-ins."""
        eng = planned("weekdays", reports="daily")

        assert [] == codes(oversight.micromanagement, eng)

    def test_week_counted_in_full(self):
        """The days of as_of's week before as_of count too."""
        eng = planned("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA")

        (f,) = run_rule(oversight.micromanagement, eng, as_of=dt.date(2026, 11, 21))

        assert (dt.date(2026, 11, 16), 6) == (
            f.evidence["week"],
            f.evidence["check_ins"],
        )

    def test_weeks_start_at_a_later_start(self):
        """A later start moves the four weeks: a partial first week may pass."""
        start = dt.date(2027, 1, 6)  # a Wednesday: 5 days of its week remain
        eng = planned("daily", status=Status.ACTIVE, start=start)

        (f,) = run_rule(oversight.micromanagement, eng, as_of=AS_OF)

        assert (dt.date(2027, 1, 11), 7) == (
            f.evidence["week"],
            f.evidence["check_ins"],
        )

    def test_only_four_weeks_are_looked_at(self):
        """Check-ins beyond the fourth week do not count."""
        january = planned("FREQ=DAILY;BYMONTH=1")

        assert [] == codes(oversight.micromanagement, january)
        assert [] == codes(
            oversight.micromanagement, january, as_of=dt.date(2026, 12, 7)
        )
        (f,) = run_rule(oversight.micromanagement, january, as_of=dt.date(2026, 12, 14))
        assert (dt.date(2027, 1, 4), 7) == (f.evidence["week"], f.evidence["check_ins"])

    def test_option(self):
        """`max-per-week` changes the limit."""
        eng = planned("daily")

        assert [] == codes(oversight.micromanagement, eng, options={"max-per-week": 7})
        (f,) = run_rule(
            oversight.micromanagement, eng, as_of=AS_OF, options={"max-per-week": 6}
        )
        assert (
            "7 check-ins are planned in the week of 2026-11-16, more than the 6 a "
            "week allowed" == f.message
        )

    def test_singular_message(self):
        """One check-in over a limit of 0 is written in the singular."""
        (f,) = run_rule(
            oversight.micromanagement,
            planned("weekly"),
            as_of=AS_OF,
            options={"max-per-week": 0},
        )

        assert (
            "1 check-in is planned in the week of 2026-11-16, more than the 0 a week "
            "allowed" == f.message
        )

    def test_unknown_or_ended_is_silent(self):
        """No planned cadence, or an ended engagement, gives no finding."""
        assert [] == codes(oversight.micromanagement, planned())
        assert [] == codes(oversight.micromanagement, Engagement(id="x"))
        assert [] == codes(
            oversight.micromanagement, planned("daily", status=Status.ENDED)
        )

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Status.PAUSED},
            {"status": Status.PROPOSED},
            {"status": None, "start": dt.date(2026, 12, 1)},
        ],
    )
    def test_only_active_engagements(self, fields):
        """Paused, proposed or not yet started engagements hold no meetings."""
        assert [] == codes(oversight.micromanagement, planned("daily", **fields))

    def test_times_a_month_on_their_own_days(self):
        """`6 times a month` falls on the 1st, 5th, 10th, 15th, 19th and 24th.

        The week of 29 June 2026 holds 1 and 5 July, two check-ins, not all six
        of the month on one day.
        """
        eng = planned("6 times a month")
        as_of = dt.date(2026, 7, 1)

        assert [] == codes(oversight.micromanagement, eng, as_of=as_of)
        (f,) = run_rule(
            oversight.micromanagement, eng, as_of=as_of, options={"max-per-week": 0}
        )
        assert (dt.date(2026, 6, 29), 2) == (
            f.evidence["week"],
            f.evidence["check_ins"],
        )

    def test_28_times_a_month_fills_a_week(self):
        """`28 times a month` meets daily from the 1st to the 28th: 7 a full week."""
        (f,) = run_rule(
            oversight.micromanagement,
            planned("28 times a month"),
            as_of=dt.date(2026, 7, 1),
        )

        assert (
            "7 check-ins are planned in the week of 2026-07-06, more than the 5 a "
            "week allowed" == f.message
        )

    @given(st.integers(min_value=1, max_value=7), st.integers(min_value=0, max_value=8))
    def test_fires_exactly_above_the_limit(self, per_week, limit):
        """`N times a week` fires exactly when N exceeds `max-per-week`."""
        eng = planned(times_a_week(per_week))

        found = codes(oversight.micromanagement, eng, options={"max-per-week": limit})

        assert (per_week > limit) == bool(found)


class TestOSK302:
    def week_of(self, monday: dt.date, count: int) -> list[dt.datetime]:
        """*count* check-ins at 09:00 on consecutive days from *monday*, wrapping."""
        return [
            dt.datetime.combine(monday + dt.timedelta(days=i % 7), dt.time(9 + i // 7))
            for i in range(count)
        ]

    def test_fires_on_a_busy_week(self):
        """Six check-ins held in one week fire at `check_ins`."""
        eng = logged(*self.week_of(dt.date(2026, 11, 9), 6))

        (f,) = run_rule(oversight.micromanagement_in_practice, eng, as_of=AS_OF)

        assert ("OSK302", "check_ins") == (f.rule, f.path)
        assert (
            "6 check-ins called by the client were held in the week of 2026-11-09, "
            "more than the 5 a week allowed" == f.message
        )
        assert {
            "week": dt.date(2026, 11, 9),
            "check_ins": 6,
            "max_per_week": 5,
            "window_weeks": 4,
        } == f.evidence

    def test_boundary(self):
        """Exactly 5 in a week does not fire."""
        eng = logged(*self.week_of(dt.date(2026, 11, 9), 5))

        assert [] == codes(oversight.micromanagement_in_practice, eng)

    def test_busiest_week_is_named(self):
        """The busiest week of the window is reported, the earliest on a tie."""
        eng = logged(
            *self.week_of(dt.date(2026, 10, 26), 6),
            *self.week_of(dt.date(2026, 11, 2), 8),
            *self.week_of(dt.date(2026, 11, 16), 8),
        )

        (f,) = run_rule(oversight.micromanagement_in_practice, eng, as_of=AS_OF)

        assert (dt.date(2026, 11, 2), 8) == (
            f.evidence["week"],
            f.evidence["check_ins"],
        )

    def test_window(self):
        """Weeks before the window are ignored unless `window-weeks` reaches them."""
        eng = logged(*self.week_of(dt.date(2026, 10, 19), 6))

        assert [] == codes(oversight.micromanagement_in_practice, eng)
        assert ["OSK302"] == codes(
            oversight.micromanagement_in_practice, eng, options={"window-weeks": 5}
        )

    def test_facts_after_as_of_are_ignored(self):
        """Check-ins after as_of 00:00 do not count; ones dated as_of do."""
        monday = dt.date(2026, 11, 16)
        past = self.week_of(monday, 5)
        later_today = dt.datetime(2026, 11, 22, 9, 0)

        assert [] == codes(
            oversight.micromanagement_in_practice, logged(*past, later_today)
        )
        assert ["OSK302"] == codes(
            oversight.micromanagement_in_practice, logged(*past, AS_OF)
        )

    def test_weeks_in_the_client_time_zone(self):
        """A check-in is placed in the ISO week of its date in the client's zone."""
        sunday_utc = dt.datetime(2026, 11, 15, 20, 0, tzinfo=dt.timezone.utc)
        manila = Party(timezone=TimeZone.parse("Asia/Manila"))
        eng = logged(*self.week_of(dt.date(2026, 11, 16), 5), sunday_utc, client=manila)

        (f,) = run_rule(oversight.micromanagement_in_practice, eng, as_of=AS_OF)

        assert (dt.date(2026, 11, 16), 6) == (
            f.evidence["week"],
            f.evidence["check_ins"],
        )
        in_utc = logged(*self.week_of(dt.date(2026, 11, 16), 5), sunday_utc)
        assert [] == codes(oversight.micromanagement_in_practice, in_utc)

    def test_option(self):
        """`max-per-week` changes the limit."""
        eng = logged(*self.week_of(dt.date(2026, 11, 9), 6))

        assert [] == codes(
            oversight.micromanagement_in_practice, eng, options={"max-per-week": 6}
        )
        assert ["OSK302"] == codes(
            oversight.micromanagement_in_practice, eng, options={"max-per-week": 2}
        )

    def test_no_log_or_ended_is_silent(self):
        """No logged check-ins, or an ended engagement, give no finding."""
        busy = self.week_of(dt.date(2026, 11, 9), 6)

        assert [] == codes(oversight.micromanagement_in_practice, logged())
        assert [] == codes(
            oversight.micromanagement_in_practice, logged(*busy, status=Status.ENDED)
        )

    def test_paused_is_silent(self):
        """Only active engagements are checked: a paused one is not."""
        busy = self.week_of(dt.date(2026, 11, 9), 6)

        assert [] == codes(
            oversight.micromanagement_in_practice, logged(*busy, status=Status.PAUSED)
        )

    def test_vendor_check_ins_are_reporting(self):
        """Check-ins the vendor called itself do not count; no `by` is the client."""
        busy = self.week_of(dt.date(2026, 11, 9), 6)
        by_vendor = [CheckIn(at=m, by=Side.VENDOR) for m in busy]
        by_client = [CheckIn(at=m, by=Side.CLIENT) for m in busy]
        mixed = [
            CheckIn(at=m, by=Side.VENDOR if i % 2 else None) for i, m in enumerate(busy)
        ]

        def fired(entries: list[CheckIn]) -> list[str]:
            eng = Engagement(
                id="x", status=Status.ACTIVE, start=START, check_ins=entries
            )
            return codes(oversight.micromanagement_in_practice, eng)

        assert ([], ["OSK302"], []) == (
            fired(by_vendor),
            fired(by_client),
            fired(mixed),
        )

    def test_boundary_counts_client_check_ins_only(self):
        """Five client check-ins and any number of vendor ones stay within five."""
        monday = dt.date(2026, 11, 9)
        entries = [
            *(CheckIn(at=m, by=Side.CLIENT) for m in self.week_of(monday, 5)),
            *(
                CheckIn(at=dt.datetime.combine(monday, dt.time(15, i)), by=Side.VENDOR)
                for i in range(10)
            ),
        ]
        eng = Engagement(id="x", status=Status.ACTIVE, start=START, check_ins=entries)

        assert [] == codes(oversight.micromanagement_in_practice, eng)


class TestOSK303:
    def test_fires_without_any_plan(self):
        """An active engagement without check-ins or status reports fires."""
        eng = Engagement(id="x", status=Status.ACTIVE, start=START)

        (f,) = run_rule(oversight.no_check_ins, eng, as_of=AS_OF)

        assert ("OSK303", "communication.check_ins") == (f.rule, f.path)
        assert (
            "Neither check-ins nor status reports are planned for this active "
            "engagement" == f.message
        )
        assert {"check_ins": None, "status_reports": None} == f.evidence

    @pytest.mark.parametrize(
        "eng",
        [planned("weekly"), planned(reports="daily")],
        ids=["check-ins", "reports"],
    )
    def test_either_plan_passes(self, eng):
        """Check-ins or status reports are enough."""
        assert [] == codes(oversight.no_check_ins, eng)

    @pytest.mark.parametrize(
        "eng",
        [
            Engagement(id="x", status=Status.PROPOSED, start=START),
            Engagement(id="x", start=START, end=dt.date(2026, 6, 30)),
            Engagement(id="x"),
        ],
    )
    def test_not_active_is_silent(self, eng):
        """Engagements that are not active are not checked."""
        assert [] == codes(oversight.no_check_ins, eng)


class TestOSK304:
    def test_quarterly_fires(self):
        """Four quarterly check-ins in the next 12 months are fewer than 12."""
        (f,) = run_rule(
            oversight.infrequent_check_ins, planned("quarterly"), as_of=AS_OF
        )

        assert ("OSK304", "communication.check_ins") == (f.rule, f.path)
        assert (
            "Only 4 check-ins are planned in the 12 months from "
            "2026-11-22, fewer than the 12 expected" == f.message
        )
        assert {
            "check_ins": 4,
            "status_reports": 0,
            "total": 4,
            "minimum": 12,
            "from": AS_OF,
            "until": dt.date(2027, 11, 22),
        } == f.evidence

    def test_boundary(self):
        """Exactly 12 (monthly) does not fire; 11 does."""
        eleven = "FREQ=MONTHLY;COUNT=22"  # Jan 2026 to Oct 2027: 11 from as_of on

        assert [] == codes(oversight.infrequent_check_ins, planned("monthly"))
        (f,) = run_rule(oversight.infrequent_check_ins, planned(eleven), as_of=AS_OF)
        assert 11 == f.evidence["total"]

    def test_reports_and_check_ins_add_up(self):
        """Status reports count with check-ins; an absent one counts 0."""
        eng = planned("every 2 months", reports="every 2 months")

        assert [] == codes(oversight.infrequent_check_ins, eng)
        (f,) = run_rule(
            oversight.infrequent_check_ins, planned(reports="yearly"), as_of=AS_OF
        )
        assert (
            "Only 1 status report is planned in the 12 months from "
            "2026-11-22, fewer than the 12 expected" == f.message
        )

    def test_leap_day(self):
        """From 29 February the twelve months take in 28 February a year later.

        They end before the day that stands for 29 February in a common year,
        1 March, as from any other day they end before its anniversary.
        """
        (f,) = run_rule(
            oversight.infrequent_check_ins,
            planned("quarterly"),
            as_of=dt.date(2028, 2, 29),
        )

        assert (dt.date(2028, 2, 29), dt.date(2029, 3, 1)) == (
            f.evidence["from"],
            f.evidence["until"],
        )

    @pytest.mark.parametrize("day", [28, 29])
    def test_monthly_on_the_28th_from_a_leap_day(self, day):
        """A monthly plan is twelve in the year after 28 or 29 February."""
        eng = planned("monthly", start=dt.date(2027, 1, 28))

        assert [] == codes(
            oversight.infrequent_check_ins, eng, as_of=dt.date(2028, 2, day)
        )

    @pytest.mark.parametrize(
        ("start", "count"),
        [
            # the 1st and the 15th of each of the 12 months
            (START, 24),
            # from 15 December 2026 to 15 November 2027: not 1 December
            (dt.date(2026, 12, 10), 23),
        ],
    )
    def test_twice_a_month_counts_its_days(self, start, count):
        """`twice a month` counts the 1st and the 15th in the 12 months from as_of."""
        (f,) = run_rule(
            oversight.infrequent_check_ins,
            planned("twice a month", start=start),
            as_of=AS_OF,
            options={"min-per-month": 3},
        )

        assert (
            f"Only {count} check-ins are planned in the 12 months "
            "from 2026-11-22, fewer than the 36 expected" == f.message
        )

    def test_both_absent_is_left_to_osk303(self):
        """Without check-ins and status reports the rule is silent."""
        assert [] == codes(oversight.infrequent_check_ins, planned())

    @pytest.mark.parametrize(
        ("check_ins", "reports", "path", "message"),
        [
            (
                None,
                "quarterly",
                "performance.status_reports",
                "Only 4 status reports are",
            ),
            (None, "yearly", "performance.status_reports", "Only 1 status report is"),
            (
                None,
                "FREQ=YEARLY;COUNT=1",
                "performance.status_reports",
                "No status reports are",
            ),
            ("quarterly", None, "communication.check_ins", "Only 4 check-ins are"),
            ("yearly", None, "communication.check_ins", "Only 1 check-in is"),
            (
                "FREQ=YEARLY;COUNT=1",
                None,
                "communication.check_ins",
                "No check-ins are",
            ),
            (
                "yearly",
                "quarterly",
                "communication.check_ins",
                "Only 5 check-ins and status reports are",
            ),
            # status reports written but none planned: the check-ins are all
            (
                "yearly",
                "FREQ=YEARLY;COUNT=1",
                "communication.check_ins",
                "Only 1 check-in is",
            ),
            # check-ins written but none planned: the status reports are all
            (
                "FREQ=YEARLY;COUNT=1",
                "quarterly",
                "performance.status_reports",
                "Only 4 status reports are",
            ),
            (
                "FREQ=YEARLY;COUNT=1",
                "FREQ=YEARLY;COUNT=1",
                "communication.check_ins",
                "No check-ins or status reports are",
            ),
        ],
    )
    def test_path_and_message_name_what_is_planned(
        self, check_ins, reports, path, message
    ):
        """The finding is at the planned facts, and its message names them.

        Status reports alone put it at `performance.status_reports`; check-ins,
        alone or with status reports, at `communication.check_ins`. What is
        planned decides, not what is written: a cadence whose occurrences are
        all past plans nothing.
        """
        (f,) = run_rule(
            oversight.infrequent_check_ins,
            planned(check_ins, reports=reports),
            as_of=AS_OF,
        )

        expected = (
            f"{message} planned in the 12 months from 2026-11-22, "
            "fewer than the 12 expected"
        )
        assert (path, expected) == (f.path, f.message)

    def test_waiver_of_the_status_reports_applies(self):
        """A waiver at `performance.status_reports` accepts the finding there."""
        text = (
            "id: a\n"
            "status: active\n"
            "start: 2026-01-05\n"
            "performance:\n"
            "  status_reports: quarterly\n"
            "waivers:\n"
            "  - {rule: OSK304, path: performance.status_reports, reason: board pack}\n"
        )
        report = check(
            loads(text, source="sr.yaml"),
            as_of="2026-03-02",
            config=Config(select=["OSK304", "OSK905"]),
        )

        assert [("OSK304", "performance.status_reports", 5, "board pack")] == [
            (f.rule, f.path, f.line, f.waived) for f in report.findings
        ]

    def test_option(self):
        """`min-per-month` scales the minimum."""
        eng = planned("monthly")

        (f,) = run_rule(
            oversight.infrequent_check_ins,
            eng,
            as_of=AS_OF,
            options={"min-per-month": 2},
        )
        assert 24 == f.evidence["minimum"]
        assert [] == codes(
            oversight.infrequent_check_ins,
            planned("quarterly"),
            options={"min-per-month": 0},
        )

    def test_ended_is_silent(self):
        """Ended engagements are not checked."""
        assert [] == codes(
            oversight.infrequent_check_ins, planned("quarterly", status=Status.ENDED)
        )

    @pytest.mark.parametrize("status", [Status.PAUSED, Status.PROPOSED])
    def test_only_active_engagements(self, status):
        """Paused and proposed engagements are not active, so not checked."""
        assert [] == codes(
            oversight.infrequent_check_ins, planned("quarterly", status=status)
        )


class TestOSK305:
    def test_fires_without_feedback(self):
        """No feedback cadence fires at `communication.feedback`."""
        (f,) = run_rule(oversight.no_feedback, planned("weekly"), as_of=AS_OF)

        assert ("OSK305", "communication.feedback") == (f.rule, f.path)
        assert "No regular feedback to the vendor is planned" == f.message
        assert {"feedback": None} == f.evidence

    def test_fires_without_communication(self):
        """An engagement without a communication plan has no feedback either."""
        assert ["OSK305"] == codes(oversight.no_feedback, Engagement(id="x"))

    def test_passes_with_feedback(self):
        """A feedback cadence passes."""
        eng = Engagement(
            id="x", communication=CommunicationPlan(feedback=Cadence.parse("monthly"))
        )

        assert [] == codes(oversight.no_feedback, eng)


class TestOSK306:
    def test_fires_over_the_share(self):
        """Two 1h check-ins a week are more than 10% of 10 contracted hours."""
        eng = planned("twice a week", length="1h", hours_per_week=10)

        (f,) = run_rule(oversight.meeting_load, eng, as_of=AS_OF)

        assert ("OSK306", "communication.check_ins") == (f.rule, f.path)
        assert (
            f"Check-ins planned in the week of 2026-11-16 take 2h (2 check-ins of "
            f"{Duration.parse('1h')}), more than 10% of the 10h contracted a week (1h)"
            == f.message
        )
        assert {
            "week": dt.date(2026, 11, 16),
            "check_ins": 2,
            "check_in_length": str(Duration.parse("1h")),
            "hours": 2.0,
            "hours_per_week": 10,
            "max_share": 0.1,
            "limit_hours": 1.0,
        } == f.evidence

    def test_boundary(self):
        """Exactly the share does not fire; one more check-in does."""
        at_limit = planned("twice a week", length="30m", hours_per_week=10)
        over = planned("3 times a week", length="30m", hours_per_week=10)

        assert [] == codes(oversight.meeting_load, at_limit)
        assert ["OSK306"] == codes(oversight.meeting_load, over)

    @pytest.mark.parametrize("length", ["120.01m", "PT7200.5S", "2.0001h"])
    def test_a_fraction_of_a_second_over_the_share_fires(self, length):
        """A check-in longer than the share by less than a second still exceeds it."""
        eng = planned("weekly", length=length, hours_per_week=20)

        (f,) = run_rule(oversight.meeting_load, eng, as_of=AS_OF)

        assert f"(1 check-in of {length}), more than 10%" in f.message
        assert 2.0 < f.evidence["hours"]

    def test_hours_shown_apart_from_the_limit(self):
        """The hours are shown with as many decimals as tell them from the limit."""
        eng = planned("weekly", length="120.01m", hours_per_week=20)

        (f,) = run_rule(oversight.meeting_load, eng, as_of=AS_OF)

        assert (
            "Check-ins planned in the week of 2026-11-16 take 2.0002h (1 check-in of "
            "120.01m), more than 10% of the 20h contracted a week (2h)" == f.message
        )

    def test_limit_shown_as_precisely_as_the_hours(self):
        """The limit is shown with the decimals that tell the hours from it."""
        eng = planned("weekly", length="400.2m", hours_per_week=20)

        (f,) = run_rule(
            oversight.meeting_load, eng, as_of=AS_OF, options={"max-share": 0.3333}
        )

        assert "take 6.67h (1 check-in of 400.2m), more than 33.33% of the 20h " in (
            f.message
        )
        assert f.message.endswith("contracted a week (6.666h)")

    def test_a_fraction_of_a_second_within_the_share_passes(self):
        """A length with a fraction of a second that stays within the share passes."""
        eng = planned("weekly", length="PT7199.5S", hours_per_week=20)

        assert [] == codes(oversight.meeting_load, eng)

    def test_default_length_is_30_minutes(self):
        """Without `check_in_length` a check-in takes 30 minutes."""
        assert [] == codes(
            oversight.meeting_load, planned("twice a week", hours_per_week=10)
        )
        assert ["OSK306"] == codes(
            oversight.meeting_load, planned("3 times a week", hours_per_week=10)
        )

    def test_one_long_check_in(self):
        """A single check-in longer than the share fires, named in the singular."""
        eng = planned("weekly", length="2h", hours_per_week=10)

        (f,) = run_rule(oversight.meeting_load, eng, as_of=AS_OF)

        assert "take 2h (1 check-in of 2h), more than 10%" in f.message

    def test_needs_hours_per_week(self):
        """Without contracted hours the rule is silent."""
        assert [] == codes(oversight.meeting_load, planned("daily", length="2h"))

    @pytest.mark.parametrize("status", [Status.PAUSED, Status.PROPOSED, Status.ENDED])
    def test_only_active_engagements(self, status):
        """Only active engagements hold meetings to weigh."""
        eng = planned("daily", length="2h", hours_per_week=10, status=status)

        assert ([], ["OSK306"]) == (
            codes(oversight.meeting_load, eng),
            codes(
                oversight.meeting_load,
                planned("daily", length="2h", hours_per_week=10),
            ),
        )

    def test_option(self):
        """`max-share` changes the allowed fraction."""
        eng = planned("twice a week", length="1h", hours_per_week=10)

        assert [] == codes(oversight.meeting_load, eng, options={"max-share": 0.2})
        (f,) = run_rule(
            oversight.meeting_load, eng, as_of=AS_OF, options={"max-share": 0.125}
        )
        assert 1.25 == f.evidence["limit_hours"]
        assert "more than 12.5% of the 10h contracted a week (1.25h)" in f.message

    @given(
        st.integers(min_value=1, max_value=7),
        st.integers(min_value=1, max_value=120),
        st.integers(min_value=1, max_value=60),
    )
    def test_fires_exactly_above_the_share(self, per_week, minutes, hours):
        """Meeting minutes a week above a tenth of the hours fire, never at it."""
        eng = planned(
            times_a_week(per_week), length=f"{minutes}m", hours_per_week=hours
        )

        found = codes(oversight.meeting_load, eng)

        assert (per_week * minutes * 10 > hours * 60) == bool(found)


edge_days = edge_days_strategy(dt.date(2998, 11, 30))
#: Sunday 1 June 2025 to Tuesday 3 June at 06:30 in Tokyo: the day before in
#: UTC, so that which ISO week holds the most depends on the client's zone.
TOKYO_DAYS = "DTSTART;TZID=Asia/Tokyo:20250601T063000 RRULE:FREQ=DAILY;COUNT=3"
plans = st.sampled_from(
    [
        "daily",
        "weekdays",
        "weekly",
        "biweekly",
        "monthly",
        "quarterly",
        "twice a day",
        "every 3 days",
        "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10",
        "FREQ=MONTHLY;BYDAY=1TH;BYHOUR=16",
        "FREQ=DAILY;COUNT=10",
        "FREQ=WEEKLY;UNTIL=20270101",
        # weeks in the client's zone, check-ins in Tokyo's
        TOKYO_DAYS,
    ]
)
zones = st.sampled_from(
    [None, "Europe/London", "America/New_York", "Australia/Sydney", "+05:30"]
)


def zoned(check_ins: str, start: dt.date, zone: str | None, **kwargs) -> Engagement:
    """An engagement planned as :func:`planned`, started on *start*, in *zone*."""
    tz = None if zone is None else TimeZone.parse(zone)
    return planned(check_ins, start=start, client=Party(timezone=tz), **kwargs)


class TestRemembered:
    """The oversight rules remember counts: each equals its plain computation."""

    @settings(max_examples=200, deadline=None)
    @given(plans, edge_days, st.lists(st.integers(-60, 800), min_size=1), zones)
    @example(TOKYO_DAYS, dt.date(2025, 5, 20), [5], None)
    @example(TOKYO_DAYS, dt.date(2025, 5, 20), [5], "Australia/Sydney")
    def test_busiest_week(self, check_ins, start, ages, zone):
        """OSK301 reports the busiest of four weeks, counted one by one."""
        start = max(dt.date(1900, 1, 1), start)
        eng = zoned(check_ins, start, zone)
        for age in ages:
            # Within the dates a check takes (from 1900-01-01).
            day = start + dt.timedelta(days=age)
            as_of = min(dt.date(2998, 12, 1), max(dt.date(1900, 1, 1), day))
            first = max(start, as_of)
            first -= dt.timedelta(days=first.weekday())
            weeks = [first + dt.timedelta(weeks=k) for k in range(4)]
            counts = [(w, eng.planned_check_ins(w, as_of=as_of) or 0) for w in weeks]
            week, count = min(counts, key=lambda wc: (-wc[1], wc[0]))

            (f,) = run_rule(
                oversight.micromanagement,
                eng,
                as_of=as_of,
                options={"max-per-week": 0},
            ) or [None]

            if count == 0:
                assert f is None
            else:
                assert (week, count) == (f.evidence["week"], f.evidence["check_ins"])

    @settings(max_examples=300, deadline=None)
    @given(plans, plans, edge_days, st.integers(-60, 800), zones)
    @example(TOKYO_DAYS, "weekly", dt.date(2025, 6, 1), 10, None)
    @example(TOKYO_DAYS, "weekly", dt.date(2025, 6, 1), 10, "Australia/Sydney")
    def test_year_counts(self, check_ins, reports, as_of, age, zone):
        """OSK304 counts the year from as_of as the cadences themselves do."""
        start = max(dt.date(1900, 1, 1), as_of - dt.timedelta(days=age))
        eng = zoned(check_ins, start, zone, reports=reports)
        anchor = eng.cadence_anchor(as_of)
        begin = eng.at_midnight(as_of)
        end = eng.at_midnight(oversight._a_year_after(as_of))
        expected = [
            Cadence(text).count(anchor, begin, end) for text in (check_ins, reports)
        ]

        (f,) = run_rule(
            oversight.infrequent_check_ins,
            eng,
            as_of=as_of,
            options={"min-per-month": 10**6},
        )

        assert expected == [f.evidence["check_ins"], f.evidence["status_reports"]]

    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from([0.0, 0.05, 0.1, 0.125, 0.3333, 1.0, 1, 0]),
        st.one_of(
            st.integers(0, 80),
            st.floats(0, 80, allow_nan=False),
            st.sampled_from([7.5, 37.5, 0.1, 1e-9]),
        ),
        st.integers(1, 20),
        st.sampled_from(["1m", "7m", "30m", "45m", "1h", "90m"]),
    )
    @example(0.5, 0.23305555555555557, 1, "1m")  # 420s over a limit of 419.5s
    @example(0.5, 0.23333333333333334, 1, "1m")  # 420s at a limit of 420s
    def test_meeting_limit(self, share, hours_per_week, per_day, length):
        """OSK306 fires when the seconds exceed the exact share of the hours."""
        eng = planned(
            f"{per_day * 7} times a week",  # every day
            length=length,
            hours_per_week=hours_per_week,
        )
        seconds = 7 * per_day * int(Duration(length).timedelta.total_seconds())
        limit = Fraction(str(share)) * Fraction(str(hours_per_week)) * 3600

        findings = run_rule(
            oversight.meeting_load, eng, as_of=AS_OF, options={"max-share": share}
        )

        assert (seconds > limit) == bool(findings)
