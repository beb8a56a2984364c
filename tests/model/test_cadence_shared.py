"""Oracles for the shared answers of cadences: each equals the general computation.

Ranges past a periodic cadence's first period, and every range of a monthly or
yearly one, are answered from caches shared by every anchor with the same phase;
longest gaps of periodic cadences come from their cycle; monthly and yearly
phrases are placed in a period by arithmetic. These tests compare each with the
general path (dateutil, period by period) near daylight-saving changes, month
ends, leap days and the ends of the range of dates.
"""

import datetime as dt
import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from outsourcekit.model._values import (
    _MONTHLY,
    _YEARLY,
    Cadence,
    TimeZone,
    _phrase_period_events,
    _rule_period_events,
    _schedule,
)
from strategies import EDGE_DAYS

ZONES = [
    TimeZone("Europe/London"),
    TimeZone("America/New_York"),
    TimeZone("Australia/Sydney"),
    TimeZone("America/Santiago"),
    TimeZone("Pacific/Apia"),
    TimeZone("Asia/Manila"),
    TimeZone("+05:30"),
    TimeZone("-03:00"),
    TimeZone("UTC"),
]
LONDON = ZONES[0]

CADENCES = [
    "hourly",
    "daily",
    "weekdays",
    "weekly",
    "biweekly",
    "monthly",
    "quarterly",
    "yearly",
    "twice a day",
    "twice a month",
    "6 times a month",
    "28 times a month",
    "3 times a week",
    "14 times a week",
    "every 3 days",
    "every 5 hours",
    "every 2 months",
    "every 2 years",
    "every 9 weeks",
    "every 100 weeks",
    "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10",
    "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",
    "FREQ=DAILY;BYHOUR=1,13;BYMINUTE=30",
    "FREQ=HOURLY;INTERVAL=5;BYDAY=MO,FR",
    "FREQ=MINUTELY;INTERVAL=90",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU",
    "FREQ=MONTHLY;BYDAY=1TH;BYHOUR=16",
    "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16",
    "FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=8",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY",
    "FREQ=YEARLY;BYMONTH=2",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=DAILY;BYMONTH=1,7",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-1",
    # the first period differs from later ones when the start is mid-week
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,MO;BYSETPOS=1",
    "FREQ=DAILY;COUNT=40;BYHOUR=1,2",
    "FREQ=WEEKLY;UNTIL=20260601",
    "DTSTART:20250601T013000 RRULE:FREQ=DAILY",
    "DTSTART;TZID=Asia/Tokyo:20250601T090000 RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
    # a DTSTART after the 28th: each month's last day
    "DTSTART:20250131T093000 RRULE:FREQ=MONTHLY",
    "DTSTART;TZID=America/Santiago:20250830 RRULE:FREQ=MONTHLY;INTERVAL=3",
    "DTSTART:20250531T000000Z RRULE:FREQ=MONTHLY;UNTIL=20261231",
    "DTSTART:20240229 RRULE:FREQ=YEARLY",
]

#: Days where things happen: the shared edge days (daylight-saving changes,
#: month ends, leap days, the ends of the range of dates), and a few more.
SPECIAL_DAYS = sorted(
    {
        *EDGE_DAYS,
        dt.date(1900, 2, 28),
        dt.date(2011, 12, 29),  # Samoa skipped the 30th
        dt.date(2026, 1, 31),
        dt.date(2026, 11, 22),
        dt.date(2800, 2, 29),
    }
)

days = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
    st.builds(
        lambda day, shift: day + dt.timedelta(days=shift),
        st.sampled_from(SPECIAL_DAYS),
        st.integers(-3, 3),
    ),
)
#: Lengths of ranges the rules use (4 weeks, 366 days) and others, in hours.
lengths = st.one_of(
    st.sampled_from([28 * 24, 366 * 24, 365 * 24, 7 * 24]),
    st.integers(0, 800 * 24),
    st.integers(-48, 0),
)


def midnight(day: dt.date, zone: TimeZone) -> dt.datetime:
    """Return 00:00 of *day* in *zone*."""
    return dt.datetime.combine(day, dt.time(), zone.tzinfo)


def at(day: dt.date, hour: int = 0, zone: TimeZone = LONDON) -> dt.datetime:
    """Return *hour*:00 of *day* in *zone*."""
    return dt.datetime.combine(day, dt.time(hour), zone.tzinfo)


anchors = st.builds(at, days, st.sampled_from([0, 0, 0, 9, 23]), st.sampled_from(ZONES))


def general(schedule, start, end):
    """Every event in [start, end) by the general path: dateutil or period by period."""
    found = []
    schedule._collect(start, end, found)
    return found


def gap_of(events):
    """The longest wall-clock time between consecutive *events*, or None."""
    walls = [event.replace(tzinfo=None) for event in events]
    if len(walls) < 2:
        return None
    return max(later - earlier for earlier, later in itertools.pairwise(walls))


class TestSharedRanges:
    @settings(max_examples=400, deadline=None)
    @given(
        st.sampled_from(CADENCES),
        anchors,
        st.integers(-30, 3000),
        lengths,
        st.booleans(),
    )
    @example("weekly", at(dt.date(2025, 1, 6)), 320, 366 * 24, True)
    @example("monthly", at(dt.date(2024, 1, 31)), 300, 366 * 24, True)
    @example("yearly", at(dt.date(2024, 2, 29)), 400, 800 * 24, True)
    @example("monthly", at(dt.date(2998, 6, 30), zone=ZONES[1]), 400, 366 * 24, True)
    @example("biweekly", at(dt.date(1900, 1, 1), zone=ZONES[4]), 20, 28 * 24, True)
    @example(
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1",
        at(dt.date(2025, 1, 7)),  # a Tuesday: first Wednesday, then Mondays
        0,
        28 * 24,
        True,
    )
    @example(
        "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1",
        at(dt.date(2025, 1, 7)),
        0,
        8 * 24,  # Wednesday and Monday: 5 days apart
        True,
    )
    def test_same_as_general(self, text, anchor, since_days, hours, same_zone):
        """Events, counts and longest gaps equal the general path's, in any zone."""
        cadence = Cadence(text)
        range_zone = anchor.tzinfo if same_zone else LONDON.tzinfo
        day = anchor.date() + dt.timedelta(days=since_days)
        start = dt.datetime.combine(day, dt.time(), range_zone)
        end = start + dt.timedelta(hours=hours)
        schedule = _schedule(cadence._spec, anchor, anchor.tzinfo)
        events = general(schedule, start, end)

        assert events == schedule.events(start, end)
        assert len(events) == schedule.count(start, end)
        assert gap_of(events) == schedule.max_gap(start, end)
        assert gap_of(events) == cadence.max_gap(anchor, start, end)

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CADENCES), days, days, st.sampled_from(ZONES))
    def test_year_before_as_of(self, text, start_day, as_of, zone):
        """The 366 days before as_of, as OSK703 reads them, match the general path."""
        cadence = Cadence(text)
        anchor = midnight(min(start_day, as_of), zone)
        end = midnight(as_of, zone)
        start = end - dt.timedelta(days=366)
        schedule = _schedule(cadence._spec, anchor, anchor.tzinfo)

        assert gap_of(general(schedule, start, end)) == cadence.max_gap(
            anchor, start, end
        )

    def test_shared_answers_used(self):
        """Ranges past a periodic rule's first period, and a calendar rule's, share."""
        anchor = midnight(dt.date(2025, 3, 4), LONDON)
        start = midnight(dt.date(2026, 11, 22), LONDON)
        end = midnight(dt.date(2026, 12, 20), LONDON)
        weekly = _schedule(Cadence("weekly")._spec, anchor, anchor.tzinfo)
        monthly = _schedule(Cadence("monthly")._spec, anchor, anchor.tzinfo)
        early = midnight(dt.date(2025, 3, 5), LONDON)

        assert 4 == len(weekly.shared_walls(start, end) or ())
        assert 1 == len(monthly.shared_walls(start, end) or ())
        assert None is weekly.shared_walls(early, end)

    def test_other_zone_not_shared(self):
        """A range in another zone compares moments: the general path answers it."""
        anchor = midnight(dt.date(2025, 3, 4), LONDON)
        start = midnight(dt.date(2026, 11, 22), ZONES[1])
        schedule = _schedule(Cadence("weekly")._spec, anchor, anchor.tzinfo)

        assert None is schedule.shared_walls(start, start + dt.timedelta(days=28))

    def test_cycle_gap_wraps(self):
        """A cycle's longest gap includes the one from a period's last to the next's."""
        anchor = midnight(dt.date(2025, 3, 3), LONDON)  # a Monday
        end = midnight(dt.date(2026, 11, 22), LONDON)
        start = end - dt.timedelta(days=366)

        # Monday and Thursday: 3 days, then 4 back to Monday
        assert dt.timedelta(days=4) == Cadence("twice a week").max_gap(
            anchor, start, end
        )
        # Monday and Tuesday: 1 day, then 6 back to Monday
        assert dt.timedelta(days=6) == Cadence("FREQ=WEEKLY;BYDAY=MO,TU").max_gap(
            anchor, start, end
        )


class TestPhrasePeriods:
    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(
            [
                "monthly",
                "quarterly",
                "once a month",
                "every 2 months",
                "FREQ=MONTHLY",
                "DTSTART:20250131T093000 RRULE:FREQ=MONTHLY",
            ]
        ),
        days,
        st.sampled_from([dt.time(), dt.time(9), dt.time(23, 30, 15)]),
        days,
    )
    def test_monthly_as_dateutil(self, text, anchor_day, time, period_day):
        """A monthly phrase's occurrence in a month is dateutil's."""
        spec = Cadence(text)._spec
        anchor = dt.datetime.combine(anchor_day, time, LONDON.tzinfo)
        options = _schedule(spec, anchor, anchor.tzinfo).options
        year, month = period_day.year, period_day.month

        assert _rule_period_events(spec, options, year, month) == _phrase_period_events(
            _MONTHLY, options, year, month
        )

    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(
            [
                "yearly",
                "annually",
                "every 2 years",
                "DTSTART:20240229 RRULE:FREQ=YEARLY",
            ]
        ),
        days,
        st.sampled_from([dt.time(), dt.time(9), dt.time(23, 30, 15)]),
        st.integers(1900, 2998),
    )
    @example("yearly", dt.date(2024, 2, 29), dt.time(), 2025)
    @example("yearly", dt.date(2024, 2, 29), dt.time(), 2028)
    @example("yearly", dt.date(2025, 12, 31), dt.time(9), 1900)
    def test_yearly_as_dateutil(self, text, anchor_day, time, year):
        """A yearly phrase's occurrence in a year is dateutil's, 29 February too."""
        spec = Cadence(text)._spec
        anchor = dt.datetime.combine(anchor_day, time, LONDON.tzinfo)
        options = _schedule(spec, anchor, anchor.tzinfo).options

        assert _rule_period_events(spec, options, year, 1) == _phrase_period_events(
            _YEARLY, options, year, 1
        )

    def test_last_day(self):
        """A monthly phrase anchored after the 28th falls on each month's last day."""
        spec = Cadence("monthly")._spec
        anchor = midnight(dt.date(2026, 1, 31), LONDON)
        options = _schedule(spec, anchor, anchor.tzinfo).options

        assert [
            (dt.datetime(2028, 2, 29),),
            (dt.datetime(2027, 2, 28),),
            (dt.datetime(2027, 4, 30),),
        ] == [
            _phrase_period_events(_MONTHLY, options, 2028, 2),
            _phrase_period_events(_MONTHLY, options, 2027, 2),
            _phrase_period_events(_MONTHLY, options, 2027, 4),
        ]
