"""Tests for the performance rules (OSK701-OSK706)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from outsourcekit.builtin.rules import performance
from outsourcekit.engine import Context
from outsourcekit.model import (
    KPI,
    Cadence,
    Direction,
    Engagement,
    Measurement,
    Party,
    Review,
    ReviewOutcome,
    Status,
    TimeZone,
)
from outsourcekit.testing import run_rule
from strategies import edge_days as edge_days_strategy

AS_OF = dt.date(2026, 11, 22)
START = dt.date(2026, 1, 5)


def active(**kwargs) -> Engagement:
    """An active engagement started on START, with *kwargs* set."""
    fields = {"id": "acme", "status": Status.ACTIVE, "start": START, **kwargs}
    return Engagement(**fields)


def kpi(*measurements: tuple[dt.date, float], **kwargs) -> KPI:
    """A KPI "close-time" (target 5, lower is better) with the given measurements."""
    fields = {"name": "close-time", "target": 5, "direction": Direction.LOWER, **kwargs}
    return KPI(
        measurements=[Measurement(at=at, value=value) for at, value in measurements],
        **fields,
    )


def days_before(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


class TestOSK701:
    def test_fires_without_kpis(self):
        """An engagement without KPIs gets one finding at `kpis`."""
        (f,) = run_rule(performance.no_kpis, Engagement(id="x"), as_of=AS_OF)

        assert ("OSK701", "kpis", "error") == (f.rule, f.path, f.severity.value)
        assert "No KPIs are defined" == f.message
        assert {"kpis": 0} == f.evidence

    def test_passes_with_a_kpi(self):
        """One KPI, even an incomplete one, is enough."""
        eng = Engagement(id="x", kpis=[KPI(name="close-time")])

        assert [] == run_rule(performance.no_kpis, eng, as_of=AS_OF)


class TestOSK702:
    def test_fires_without_target(self):
        """A KPI without a target is reported at its target."""
        eng = Engagement(
            id="x", kpis=[KPI(name="close-time", direction=Direction.LOWER)]
        )

        (f,) = run_rule(performance.kpi_without_target, eng, as_of=AS_OF)

        assert ("OSK702", "kpis[close-time].target") == (f.rule, f.path)
        assert 'KPI "close-time" has no target' == f.message
        assert {"kpi": "close-time", "target": None, "direction": "lower"} == f.evidence

    def test_fires_without_direction(self):
        """A KPI with a target but no direction is reported at its direction."""
        eng = Engagement(id="x", kpis=[KPI(name="accuracy", target=0.98)])

        (f,) = run_rule(performance.kpi_without_target, eng, as_of=AS_OF)

        assert "kpis[accuracy].direction" == f.path
        assert 'KPI "accuracy" has no direction (lower or higher)' == f.message
        assert {"kpi": "accuracy", "target": 0.98, "direction": None} == f.evidence

    def test_fires_without_either(self):
        """A KPI with neither is one finding naming both."""
        eng = Engagement(id="x", kpis=[KPI(name="a"), KPI()])

        findings = run_rule(performance.kpi_without_target, eng, as_of=AS_OF)

        assert [
            ("kpis[a].target", 'KPI "a" has neither a target nor a direction'),
            (
                "kpis[1].target",
                "The KPI at kpis[1] has neither a target nor a direction",
            ),
        ] == [(f.path, f.message) for f in findings]

    def test_duplicate_names_use_indexes(self):
        """KPIs whose names are not unique are addressed by index."""
        eng = Engagement(id="x", kpis=[KPI(name="a"), KPI(name="a")])

        findings = run_rule(performance.kpi_without_target, eng, as_of=AS_OF)

        assert ["kpis[0].target", "kpis[1].target"] == [f.path for f in findings]

    def test_passes_with_target_and_direction(self):
        """A target of zero and a direction make a complete KPI."""
        eng = Engagement(
            id="x", kpis=[KPI(name="defects", target=0, direction=Direction.LOWER)]
        )

        assert [] == run_rule(performance.kpi_without_target, eng, as_of=AS_OF)


class TestOSK703:
    def test_fires_on_a_stale_monthly_kpi(self):
        """A monthly KPI last measured 108 days ago exceeds its 62-day limit."""
        eng = active(
            kpis=[kpi((dt.date(2026, 8, 6), 5), measured=Cadence.parse("monthly"))]
        )

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert ("OSK703", "kpis[close-time].measurements") == (f.rule, f.path)
        assert (
            'KPI "close-time" was last measured on 2026-08-06, 108 days before '
            "2026-11-22, more than the 62 days allowed (twice the longest gap of its "
            '"monthly" cadence)'
        ) == f.message
        assert {
            "kpi": "close-time",
            "last": dt.date(2026, 8, 6),
            "since": "measurement",
            "days": 108,
            "max_days": 62,
            "measured": "monthly",
        } == f.evidence

    def test_passes_when_measured_recently(self):
        """Recording a recent measurement fixes it."""
        eng = active(
            kpis=[
                kpi(
                    (dt.date(2026, 8, 6), 5),
                    (dt.date(2026, 11, 6), 4),
                    measured=Cadence.parse("monthly"),
                )
            ]
        )

        assert [] == run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        ("cadence", "limit"),
        [("weekly", 14), ("monthly", 62), ("quarterly", 184), (None, 60)],
    )
    def test_limit_is_reached_but_not_exceeded(self, cadence, limit):
        """A measurement exactly at the derived limit passes; a day older fires."""
        measured = None if cadence is None else Cadence.parse(cadence)

        def run(days: int) -> list:
            eng = active(kpis=[kpi((days_before(days), 5), measured=measured)])
            return run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert [] == run(limit)
        assert [limit] == [f.evidence["max_days"] for f in run(limit + 1)]

    @pytest.mark.parametrize(
        "measured",
        [
            "monthly",
            "FREQ=MONTHLY",
            "DTSTART:20260131T000000Z\nRRULE:FREQ=MONTHLY",
            "DTSTART:20260131 RRULE:FREQ=MONTHLY",
            "DTSTART;TZID=Europe/London:20260131T090000 RRULE:FREQ=MONTHLY",
        ],
    )
    def test_month_end_anchor_allows_62_days(self, measured):
        """A monthly cadence from 31 January falls on each month's last day.

        Its longest gap is 31 days (to 31 March), so 62 days are allowed, from a
        DTSTART as from the engagement's start.
        """
        eng = active(
            start=dt.date(2026, 1, 31),
            kpis=[kpi((dt.date(2026, 2, 1), 4), measured=Cadence.parse(measured))],
        )

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=dt.date(2026, 5, 15))

        assert (
            'KPI "close-time" was last measured on 2026-02-01, 103 days before '
            "2026-05-15, more than the 62 days allowed (twice the longest gap of its "
            f'"{measured}" cadence)'
        ) == f.message

    def test_own_day_31_skips_short_months(self):
        """BYMONTHDAY=31 skips February and April: 31 January to 31 March, 118 days."""
        measured = Cadence.parse("FREQ=MONTHLY;BYMONTHDAY=31")
        eng = active(
            start=dt.date(2026, 1, 31),
            kpis=[kpi((dt.date(2026, 2, 1), 4), measured=measured)],
        )

        assert [] == run_rule(
            performance.kpi_not_measured, eng, as_of=dt.date(2026, 5, 15)
        )
        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=dt.date(2026, 5, 31))
        assert (119, 118) == (f.evidence["days"], f.evidence["max_days"])

    @pytest.mark.parametrize(
        ("measured", "limit"),
        [
            # the 1st and the 15th: 15 January to 1 February is 17 days
            ("twice a month", 34),
            ("2x monthly", 34),
            # the 1st, 8th, 15th and 22nd: 22 January to 1 February is 10 days
            ("4 times a month", 20),
        ],
    )
    def test_times_a_month_allows_twice_its_longest_gap(self, measured, limit):
        """N times a month is measured on its own days, not N times on one day."""
        measured_cadence = Cadence.parse(measured)

        def run(days: int) -> list:
            eng = active(kpis=[kpi((days_before(days), 5), measured=measured_cadence)])
            return run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert [] == run(limit)
        assert [limit] == [f.evidence["max_days"] for f in run(limit + 1)]

    def test_cadence_with_one_occurrence_falls_back(self):
        """A cadence that occurs less than twice in the last 366 days gets 60 days."""
        eng = active(
            kpis=[kpi((days_before(61), 5), measured=Cadence.parse("yearly"))],
            start=AS_OF - dt.timedelta(days=200),
        )

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert 60 == f.evidence["max_days"]
        assert f.message.endswith("more than the 60 days allowed")

    def test_never_measured_counts_from_start(self):
        """Without measurements the start date is the last known point."""
        eng = active(kpis=[kpi()])

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert (
            'KPI "close-time" has not been measured since the start on 2026-01-05, '
            "321 days before 2026-11-22, more than the 60 days allowed"
        ) == f.message
        assert ("start", START, 321) == (
            f.evidence["since"],
            f.evidence["last"],
            f.evidence["days"],
        )

    def test_silent_without_measurements_and_start(self):
        """Nothing can be dated without measurements and start: the rule is silent."""
        eng = Engagement(id="x", status=Status.ACTIVE, kpis=[kpi()])

        assert [] == run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

    def test_ignores_measurements_after_as_of(self):
        """A measurement dated after as_of is not known yet."""
        eng = active(
            kpis=[kpi((days_before(70), 5), (AS_OF + dt.timedelta(days=1), 5))]
        )

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert 70 == f.evidence["days"]

    def test_only_active_engagements(self):
        """An ended or proposed engagement is not expected to measure."""
        for status in (Status.ENDED, Status.PROPOSED, Status.PAUSED):
            eng = active(kpis=[kpi()], status=status)

            assert [] == run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

    def test_option_overrides_every_kpi(self):
        """A configured `max-days` replaces the limit derived from the cadence."""
        eng = active(
            kpis=[
                kpi((days_before(11), 5), measured=Cadence.parse("monthly")),
                kpi((days_before(10), 5), name="accuracy"),
            ]
        )

        findings = run_rule(
            performance.kpi_not_measured, eng, as_of=AS_OF, options={"max-days": 10}
        )

        assert [("kpis[close-time].measurements", 10)] == [
            (f.path, f.evidence["max_days"]) for f in findings
        ]
        assert findings[0].message.endswith("more than the 10 days allowed")

    @given(
        ages=st.lists(st.integers(min_value=-30, max_value=400), max_size=4),
        limit=st.integers(min_value=0, max_value=365),
    )
    def test_fires_exactly_when_the_latest_known_is_too_old(self, ages, limit):
        """With `max-days` set, it fires iff the latest known date is older than it."""
        eng = active(kpis=[kpi(*((days_before(n), 5) for n in ages))])

        fired = run_rule(
            performance.kpi_not_measured, eng, as_of=AS_OF, options={"max-days": limit}
        )

        known = [n for n in ages if n >= 0]
        days = min(known) if known else (AS_OF - START).days
        assert (days > limit) == bool(fired)

    def test_option_rejects_a_wrong_type(self):
        """`max-days` must be a whole number."""
        with pytest.raises(
            ValueError, match="option 'max-days' must be a whole number"
        ):
            run_rule(
                performance.kpi_not_measured,
                active(),
                as_of=AS_OF,
                options={"max-days": "60"},
            )

    def test_date_time_measured_in_client_time_zone(self):
        """A date-time measurement counts on its date in the client's time zone."""
        at = dt.datetime(2026, 9, 21, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
        eng = active(
            client=Party(timezone=TimeZone.parse("Europe/London")),
            kpis=[kpi((at, 5))],
        )

        # 2026-09-22 01:00 in London: 61 days before as_of.
        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert (dt.date(2026, 9, 22), 61) == (f.evidence["last"], f.evidence["days"])

    @pytest.mark.parametrize(
        ("cadence", "last", "allowed", "max_days"),
        [
            ("hourly", dt.date(2026, 11, 21), "2 hours", 2 / 24),
            ("every 18 hours", dt.date(2026, 11, 20), "1.5 days", 1.5),
            ("every 42 hours", dt.date(2026, 11, 18), "3.5 days", 3.5),
        ],
    )
    def test_limit_of_part_of_a_day_is_exact(self, cadence, last, allowed, max_days):
        """Twice the gap is not rounded to whole days: a day or so too old fires."""
        eng = active(kpis=[kpi((last, 5), measured=Cadence.parse(cadence))])

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        days = (AS_OF - last).days
        assert (
            f'KPI "close-time" was last measured on {last.isoformat()}, '
            f"{days} day{'s' if days > 1 else ''} before 2026-11-22, more than the "
            f'{allowed} allowed (twice the longest gap of its "{cadence}" cadence)'
        ) == f.message
        assert (days, max_days) == (f.evidence["days"], f.evidence["max_days"])
        assert isinstance(f.evidence["days"], int)

    @pytest.mark.parametrize(
        ("cadence", "fine", "late"),
        [
            ("hourly", dt.timedelta(hours=2), dt.timedelta(hours=2, seconds=1)),
            ("every 18 hours", dt.timedelta(hours=36), dt.timedelta(hours=37)),
            ("every 42 hours", dt.timedelta(hours=84), dt.timedelta(hours=85)),
        ],
    )
    def test_exactly_the_exact_limit_passes(self, cadence, fine, late):
        """A date-time exactly at twice the gap passes; a moment older fires."""
        midnight = dt.datetime.combine(AS_OF, dt.time())

        def run(age: dt.timedelta) -> list:
            at = midnight - age
            eng = active(kpis=[kpi((at, 5), measured=Cadence.parse(cadence))])
            return run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert [] == run(fine)
        assert [] == run(dt.timedelta(0))
        assert 1 == len(run(late))

    def test_age_of_a_date_time_is_told_exactly(self):
        """Under a limit of part of a day, a date-time's age is written as it is."""
        at = dt.datetime(2026, 11, 21, 20, 0)
        eng = active(kpis=[kpi((at, 5), measured=Cadence.parse("hourly"))])

        (f,) = run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

        assert (
            'KPI "close-time" was last measured on 2026-11-21, 4 hours before '
            "2026-11-22, more than the 2 hours allowed (twice the longest gap of "
            'its "hourly" cadence)'
        ) == f.message
        assert (4 / 24, 2 / 24) == (f.evidence["days"], f.evidence["max_days"])

    def test_one_day_is_singular(self):
        """A measurement one day old is "1 day" before as_of, not "1 days"."""
        eng = active(kpis=[kpi((days_before(1), 5))])

        (f,) = run_rule(
            performance.kpi_not_measured, eng, as_of=AS_OF, options={"max-days": 0}
        )

        assert (
            'KPI "close-time" was last measured on 2026-11-21, 1 day before '
            "2026-11-22, more than the 0 days allowed"
        ) == f.message
        (f,) = run_rule(
            performance.kpi_not_measured,
            active(kpis=[kpi((days_before(2), 5))]),
            as_of=AS_OF,
            options={"max-days": 1},
        )
        assert f.message.endswith(
            "2 days before 2026-11-22, more than the 1 day allowed"
        )

    @pytest.mark.parametrize(
        ("cadence", "limit"), [("weekly", 14), ("monthly", 62), ("quarterly", 184)]
    )
    def test_changes_of_the_clocks_do_not_stretch_the_limit(self, cadence, limit):
        """In a zone that changes its clocks the limits stay whole days, exactly."""
        for zone in ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe"):
            # Started 1 September: the gaps around the clocks' change in October
            # (Berlin, New York) or the start of summer time (Lord Howe, 30
            # minutes) are in the window.
            eng = active(
                start=dt.date(2026, 9, 1),
                client=Party(timezone=TimeZone.parse(zone)),
                kpis=[kpi((days_before(limit), 5), measured=Cadence.parse(cadence))],
            )
            if cadence == "quarterly":
                eng = attrs.evolve(eng, start=dt.date(2026, 2, 1))

            assert [] == run_rule(performance.kpi_not_measured, eng, as_of=AS_OF)

            late = attrs.evolve(
                eng,
                kpis=[
                    kpi((days_before(limit + 1), 5), measured=Cadence.parse(cadence))
                ],
            )
            (f,) = run_rule(performance.kpi_not_measured, late, as_of=AS_OF)

            assert f.message.endswith(
                f"more than the {limit} days allowed (twice the longest gap of its "
                f'"{cadence}" cadence)'
            )
            assert limit == f.evidence["max_days"]
            assert isinstance(f.evidence["max_days"], int)

    def test_a_configured_limit_still_counts_days_between_dates(self):
        """With `max-days` set, a date-time counts by its date, as documented."""
        at = dt.datetime(2026, 11, 11, 23, 0)  # 10 days and an hour before as_of
        eng = active(kpis=[kpi((at, 5), measured=Cadence.parse("hourly"))])

        (f,) = run_rule(
            performance.kpi_not_measured, eng, as_of=AS_OF, options={"max-days": 10}
        )

        assert (11, 10) == (f.evidence["days"], f.evidence["max_days"])
        assert f.message.endswith(
            "11 days before 2026-11-22, more than the 10 days allowed"
        )
        at = dt.datetime(2026, 11, 12, 0, 0)
        eng = active(kpis=[kpi((at, 5), measured=Cadence.parse("hourly"))])
        assert [] == run_rule(
            performance.kpi_not_measured, eng, as_of=AS_OF, options={"max-days": 10}
        )


def misses(values: list[float], target: float, direction: Direction) -> bool:
    if direction is Direction.LOWER:
        return all(v > target for v in values)
    return all(v < target for v in values)


class TestOSK704:
    def test_fires_on_three_misses(self):
        """Three measurements above a lower-is-better target in a row fire."""
        eng = Engagement(
            id="x",
            kpis=[
                kpi(
                    (dt.date(2026, 9, 4), 6),
                    (dt.date(2026, 10, 6), 7),
                    (dt.date(2026, 11, 5), 8.5),
                )
            ],
        )

        (f,) = run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

        assert ("OSK704", "kpis[close-time].measurements") == (f.rule, f.path)
        assert (
            'KPI "close-time" missed its target of 5 (lower is better) in each of its '
            "last 3 measurements: 6 on 2026-09-04, 7 on 2026-10-06, 8.5 on 2026-11-05"
        ) == f.message
        assert {
            "kpi": "close-time",
            "target": 5,
            "direction": "lower",
            "streak": 3,
            "measurements": (
                {"at": dt.date(2026, 9, 4), "value": 6},
                {"at": dt.date(2026, 10, 6), "value": 7},
                {"at": dt.date(2026, 11, 5), "value": 8.5},
            ),
        } == f.evidence

    def test_meeting_the_target_breaks_the_streak(self):
        """A value equal to the target meets it."""
        eng = Engagement(
            id="x",
            kpis=[
                kpi(
                    (dt.date(2026, 9, 4), 6),
                    (dt.date(2026, 10, 6), 7),
                    (dt.date(2026, 11, 5), 5),
                )
            ],
        )

        assert [] == run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

    def test_higher_is_better(self):
        """For a higher-is-better KPI, values below the target miss it."""
        eng = Engagement(
            id="x",
            kpis=[
                kpi(
                    (dt.date(2026, 9, 4), 0.9),
                    (dt.date(2026, 10, 6), 0.95),
                    (dt.date(2026, 11, 5), 0.97),
                    name="accuracy",
                    target=0.98,
                    direction=Direction.HIGHER,
                )
            ],
        )

        (f,) = run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

        assert "(higher is better)" in f.message

    def test_fewer_measurements_than_the_streak_never_fire(self):
        """Two misses are not a streak of three."""
        eng = Engagement(
            id="x", kpis=[kpi((dt.date(2026, 9, 4), 9), (dt.date(2026, 10, 6), 9))]
        )

        assert [] == run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

    def test_uses_date_order_and_ignores_the_future(self):
        """Measurements are taken in date order, and those after as_of are ignored."""
        eng = Engagement(
            id="x",
            kpis=[
                kpi(
                    (dt.date(2026, 11, 5), 8),
                    (dt.date(2026, 12, 5), 4),
                    (dt.date(2026, 9, 4), 6),
                    (dt.date(2026, 8, 4), 4),
                    (dt.date(2026, 10, 6), 7),
                )
            ],
        )

        (f,) = run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

        assert [dt.date(2026, 9, 4), dt.date(2026, 10, 6), dt.date(2026, 11, 5)] == [
            m["at"] for m in f.evidence["measurements"]
        ]

    def test_silent_without_target_or_direction(self):
        """A KPI without target or direction cannot be judged (that is OSK702)."""
        values = [(dt.date(2026, m, 1), 99) for m in (8, 9, 10)]
        eng = Engagement(
            id="x", kpis=[kpi(*values, target=None), kpi(*values, direction=None)]
        )

        assert [] == run_rule(performance.kpi_target_missed, eng, as_of=AS_OF)

    def test_streak_option(self):
        """`streak` changes how many misses in a row fire."""
        eng = Engagement(
            id="x",
            kpis=[kpi((dt.date(2026, 9, 4), 4), (dt.date(2026, 10, 6), 9))],
        )

        (f,) = run_rule(
            performance.kpi_target_missed, eng, as_of=AS_OF, options={"streak": 1}
        )

        assert "in each of its last 1 measurement: 9 on 2026-10-06" in f.message
        assert [] == run_rule(
            performance.kpi_target_missed, eng, as_of=AS_OF, options={"streak": 2}
        )

    def test_streak_must_be_positive(self):
        """A streak of zero is refused with the option's name."""
        with pytest.raises(ValueError, match="option 'streak' must be at least 1"):
            run_rule(
                performance.kpi_target_missed,
                Engagement(id="x"),
                as_of=AS_OF,
                options={"streak": 0},
            )

    @given(
        values=st.lists(st.integers(min_value=0, max_value=10), max_size=8),
        target=st.integers(min_value=0, max_value=10),
        direction=st.sampled_from(Direction),
        streak=st.integers(min_value=1, max_value=5),
    )
    def test_fires_exactly_when_the_last_streak_miss(
        self, values, target, direction, streak
    ):
        """It fires iff there are `streak` values or more and the last all miss."""
        measurements = [
            (dt.date(2026, 1, 1) + dt.timedelta(days=7 * i), v)
            for i, v in enumerate(values)
        ]
        eng = Engagement(
            id="x", kpis=[kpi(*measurements, target=target, direction=direction)]
        )

        fired = run_rule(
            performance.kpi_target_missed, eng, as_of=AS_OF, options={"streak": streak}
        )

        expected = len(values) >= streak and misses(values[-streak:], target, direction)
        assert expected == bool(fired)


def reviewed(*reviews: Review, start: dt.date = dt.date(2025, 1, 6), **kwargs):
    return active(start=start, reviews=list(reviews), **kwargs)


class TestOSK705:
    def test_fires_on_an_old_review(self):
        """The latest review more than 365 days ago fires at `reviews`."""
        eng = reviewed(Review(on=dt.date(2025, 7, 1), outcome=ReviewOutcome.CONTINUE))

        (f,) = run_rule(performance.no_recent_review, eng, as_of=AS_OF)

        assert ("OSK705", "reviews") == (f.rule, f.path)
        assert (
            "The latest review was on 2025-07-01, 509 days before 2026-11-22, "
            "more than the 365 days allowed"
        ) == f.message
        assert {
            "latest": dt.date(2025, 7, 1),
            "days": 509,
            "max_days": 365,
            "age_days": 685,
        } == f.evidence

    def test_passes_after_a_new_review(self):
        """Recording a recent review fixes it."""
        eng = reviewed(
            Review(on=dt.date(2025, 7, 1), outcome=ReviewOutcome.CONTINUE),
            Review(on=dt.date(2026, 7, 1), outcome=ReviewOutcome.ADJUST),
        )

        assert [] == run_rule(performance.no_recent_review, eng, as_of=AS_OF)

    def test_fires_without_reviews(self):
        """An old engagement never reviewed fires too."""
        (f,) = run_rule(performance.no_recent_review, reviewed(), as_of=AS_OF)

        assert (
            "No review of the relationship is recorded in the 685 days since the "
            "start on 2025-01-06"
        ) == f.message
        assert None is f.evidence["latest"]

    def test_review_boundary(self):
        """A review exactly 365 days old passes; 366 days old fires."""
        at_limit = reviewed(Review(on=days_before(365)))
        over = reviewed(Review(on=days_before(366)))

        assert [] == run_rule(performance.no_recent_review, at_limit, as_of=AS_OF)
        assert [366] == [
            f.evidence["days"]
            for f in run_rule(performance.no_recent_review, over, as_of=AS_OF)
        ]

    def test_age_boundary(self):
        """An engagement exactly 365 days old is not yet expected to be reviewed."""
        young = reviewed(start=days_before(365))
        old = reviewed(start=days_before(366))

        assert [] == run_rule(performance.no_recent_review, young, as_of=AS_OF)
        assert 1 == len(run_rule(performance.no_recent_review, old, as_of=AS_OF))

    def test_future_reviews_are_ignored(self):
        """A review dated after as_of does not count."""
        eng = reviewed(Review(on=AS_OF + dt.timedelta(days=3)))

        (f,) = run_rule(performance.no_recent_review, eng, as_of=AS_OF)

        assert None is f.evidence["latest"]

    def test_silent_unless_active_and_started(self):
        """Ended engagements and engagements without start are not judged."""
        ended = reviewed(status=Status.ENDED)
        no_start = attrs.evolve(reviewed(), start=None)

        assert [] == run_rule(performance.no_recent_review, ended, as_of=AS_OF)
        assert [] == run_rule(performance.no_recent_review, no_start, as_of=AS_OF)

    def test_options(self):
        """`min-age-days` and `max-days` change both thresholds."""
        eng = reviewed(Review(on=days_before(100)), start=days_before(200))
        options = {"min-age-days": 180, "max-days": 90}

        (f,) = run_rule(performance.no_recent_review, eng, as_of=AS_OF, options=options)

        assert f.message.endswith("more than the 90 days allowed")
        assert [] == run_rule(performance.no_recent_review, eng, as_of=AS_OF)

    def test_one_day_is_singular(self):
        """A review one day old past a limit of one day says "1 day", not "1 days"."""
        eng = active(
            start=dt.date(2025, 1, 6),
            reviews=[Review(on=days_before(2), outcome=ReviewOutcome.CONTINUE)],
        )

        (f,) = run_rule(
            performance.no_recent_review,
            eng,
            as_of=AS_OF,
            options={"max-days": 1},
        )

        assert (
            "The latest review was on 2026-11-20, 2 days before 2026-11-22, more "
            "than the 1 day allowed"
        ) == f.message

    def test_one_day_old_engagement(self):
        """An engagement one day old without a review is "1 day" since its start."""
        eng = active(start=days_before(1))

        (f,) = run_rule(
            performance.no_recent_review,
            eng,
            as_of=AS_OF,
            options={"min-age-days": 0},
        )

        assert (
            "No review of the relationship is recorded in the 1 day since the start "
            "on 2026-11-21"
        ) == f.message


class TestOSK706:
    def test_fires_when_termination_is_ignored(self):
        """An active engagement 145 days after a decision to terminate fires."""
        eng = active(
            reviews=[
                Review(on=dt.date(2026, 3, 31), outcome=ReviewOutcome.CONTINUE),
                Review(on=dt.date(2026, 6, 30), outcome=ReviewOutcome.TERMINATE),
            ]
        )

        (f,) = run_rule(performance.termination_ignored, eng, as_of=AS_OF)

        assert ("OSK706", "reviews[1].outcome") == (f.rule, f.path)
        assert (
            "The review on 2026-06-30 decided to terminate, but the engagement is "
            "still active 145 days later, more than the 30 days of grace"
        ) == f.message
        assert {"review": dt.date(2026, 6, 30), "days": 145, "grace_days": 30} == (
            f.evidence
        )

    def test_passes_once_ended(self):
        """Ending the engagement carries out the decision."""
        eng = active(
            status=Status.ENDED,
            end=dt.date(2026, 7, 31),
            reviews=[Review(on=dt.date(2026, 6, 30), outcome=ReviewOutcome.TERMINATE)],
        )

        assert [] == run_rule(performance.termination_ignored, eng, as_of=AS_OF)

    def test_grace_boundary(self):
        """Exactly 30 days after the review passes; 31 fires."""

        def run(days: int) -> list:
            eng = active(
                reviews=[Review(on=days_before(days), outcome=ReviewOutcome.TERMINATE)]
            )
            return run_rule(performance.termination_ignored, eng, as_of=AS_OF)

        assert [] == run(30)
        assert [31] == [f.evidence["days"] for f in run(31)]

    def test_a_later_review_lifts_the_decision(self):
        """Only the latest review counts; a later `continue` reverses a termination."""
        eng = active(
            reviews=[
                Review(on=dt.date(2026, 9, 1), outcome=ReviewOutcome.CONTINUE),
                Review(on=dt.date(2026, 6, 30), outcome=ReviewOutcome.TERMINATE),
            ]
        )

        assert [] == run_rule(performance.termination_ignored, eng, as_of=AS_OF)

    def test_future_reviews_are_ignored(self):
        """A review after as_of neither lifts nor makes a decision."""
        eng = active(
            reviews=[
                Review(on=dt.date(2026, 6, 30), outcome=ReviewOutcome.TERMINATE),
                Review(on=dt.date(2026, 12, 1), outcome=ReviewOutcome.CONTINUE),
            ]
        )

        (f,) = run_rule(performance.termination_ignored, eng, as_of=AS_OF)

        assert "reviews[0].outcome" == f.path

    def test_grace_days_option(self):
        """`grace-days` widens the grace period."""
        eng = active(
            reviews=[Review(on=dt.date(2026, 6, 30), outcome=ReviewOutcome.TERMINATE)]
        )

        assert [] == run_rule(
            performance.termination_ignored,
            eng,
            as_of=AS_OF,
            options={"grace-days": 145},
        )

    def test_one_day_is_singular(self):
        """A decision one day old past one day of grace says "1 day"."""
        eng = active(
            reviews=[Review(on=days_before(1), outcome=ReviewOutcome.TERMINATE)]
        )

        (f,) = run_rule(
            performance.termination_ignored,
            eng,
            as_of=AS_OF,
            options={"grace-days": 0},
        )

        assert f.message.endswith(
            "still active 1 day later, more than the 0 days of grace"
        )
        (f,) = run_rule(
            performance.termination_ignored,
            attrs.evolve(
                eng,
                reviews=[Review(on=days_before(2), outcome=ReviewOutcome.TERMINATE)],
            ),
            as_of=AS_OF,
            options={"grace-days": 1},
        )
        assert f.message.endswith(
            "still active 2 days later, more than the 1 day of grace"
        )


edge_days = edge_days_strategy()
zones = st.sampled_from(
    [None, "Europe/London", "America/New_York", "Australia/Sydney", "-03:30"]
)
#: 28 February, 31 March and 30 April 2025 at 06:30 in Tokyo (21:30 UTC the day
#: before): whether the 366 days before 1 March 2026 hold the first depends on
#: the client's zone, and with it the longest gap.
LAST_DAYS = (
    "DTSTART;TZID=Asia/Tokyo:20250228T063000 RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"
)
measured = st.sampled_from(
    [
        "weekly",
        "biweekly",
        "monthly",
        "quarterly",
        "yearly",
        "every 2 years",
        "every 100 weeks",
        "twice a month",
        "FREQ=MONTHLY;BYDAY=1TH;BYHOUR=16",
        "FREQ=WEEKLY;COUNT=3",
        LAST_DAYS,
    ]
)
#: Dates and date-times (naive: read in the client's zone, or with an offset).
moments = st.one_of(
    st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)),
    st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2027, 1, 1)),
    st.datetimes(
        dt.datetime(2025, 1, 1),
        dt.datetime(2027, 1, 1),
        timezones=st.sampled_from(
            [dt.timezone.utc, dt.timezone(dt.timedelta(hours=9))]
        ),
    ),
)


def zoned(zone: str | None, start: dt.date, **kwargs) -> Engagement:
    """An active engagement started on *start* whose client is in *zone*."""
    tz = None if zone is None else TimeZone.parse(zone)
    return active(start=start, client=Party(timezone=tz), **kwargs)


class TestRemembered:
    """The performance rules remember limits and skip steps: same answers."""

    @settings(max_examples=200, deadline=None)
    @given(
        measured,
        edge_days,
        st.lists(st.integers(0, 900), min_size=1, max_size=4),
        zones,
    )
    @example("FREQ=WEEKLY;COUNT=3", dt.date(2026, 1, 5), [100], None)
    @example("FREQ=WEEKLY;COUNT=3", dt.date(2020, 1, 6), [2291], None)  # same as_of
    @example(LAST_DAYS, dt.date(2025, 1, 1), [424], None)
    @example(LAST_DAYS, dt.date(2025, 1, 1), [424], "Australia/Sydney")
    def test_derived_limit(self, cadence, start, ages, zone):
        """OSK703's limit is twice the longest gap of the year before as_of."""
        eng = zoned(zone, start, kpis=[KPI(name="k", measured=Cadence(cadence))])
        for age in ages:
            as_of = min(dt.date(2999, 12, 31), start + dt.timedelta(days=age))
            end = eng.at_midnight(as_of)
            gap = Cadence(cadence).max_gap(
                eng.cadence_anchor(as_of), end - dt.timedelta(days=366), end
            )
            limit = dt.timedelta(60) if gap is None else 2 * gap

            findings = run_rule(performance.kpi_not_measured, eng, as_of=as_of)

            assert (as_of - start > limit) == bool(findings)
            if findings:
                assert limit / dt.timedelta(1) == findings[0].evidence["max_days"]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(moments, max_size=6), edge_days, zones)
    def test_last_known(self, ats, as_of, zone):
        """OSK703 and OSK705 take the latest local date of what is known at as_of."""
        eng = zoned(
            zone,
            dt.date(1900, 1, 1),
            kpis=[
                KPI(name="k", measurements=[Measurement(at=a, value=1) for a in ats])
            ],
        )
        known = [eng.local_date(a) for a in ats if eng.is_known(a, as_of)]

        assert (max(known) if known else None) == performance._last_known(
            eng, ats, as_of
        )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(moments, max_size=6), edge_days, zones)
    def test_known_in_order(self, ats, as_of, zone):
        """OSK704 orders the known measurements by moment, file order on ties."""
        values = [Measurement(at=a, value=float(i)) for i, a in enumerate(ats)]
        eng = zoned(zone, dt.date(1900, 1, 1))
        ctx_kpi = KPI(name="k", measurements=values)
        expected = sorted(
            (m for m in values if eng.is_known(m.at, as_of)),
            key=lambda m: eng.moment(m.at),
        )

        assert expected == performance._known_measurements(
            ctx_kpi, eng, Context(rule=performance.kpi_target_missed, as_of=as_of)
        )
