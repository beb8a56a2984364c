import copy
import datetime as dt
import itertools
import pickle

import attrs
import pytest
from dateutil.rrule import rrule
from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcekit.model._values import (
    Cadence,
    Duration,
    TimeZone,
    ValueParseError,
    WorkingHours,
    overlap,
)

LONDON = TimeZone("Europe/London")
UTC = TimeZone("UTC")
NEW_YORK = TimeZone("America/New_York")
MANILA = TimeZone("Asia/Manila")
ZONES = [
    LONDON,
    NEW_YORK,
    MANILA,
    TimeZone("Australia/Sydney"),
    TimeZone("America/Santiago"),
    TimeZone("+05:30"),
    TimeZone("UTC"),
]

CADENCE_EXPECTED = (
    'expected a cadence such as "weekly", "twice a week", "every 2 weeks" or an'
    ' RRULE such as "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10"'
)
RRULE_EXPECTED = (
    'expected an RFC 5545 RRULE such as "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",'
    " optionally after a DTSTART line"
)
DURATION_EXPECTED = (
    'expected a duration such as "24h", "90m", "2d", "2 business days", "1w" or "PT4H"'
)
ZONE_EXPECTED = (
    'expected an IANA time zone name such as "Asia/Manila" or a UTC offset such'
    ' as "+08:00"'
)
HOURS_EXPECTED = (
    'expected working hours such as "09:00-17:30", "Mon-Fri 09:00-17:30" or'
    ' "Mon-Fri 09:00-12:00; 13:00-17:00"'
)


def at(day, hour=0, minute=0, tz=LONDON):
    """Return *day* (ISO text) at *hour*:*minute* in *tz*."""
    date = dt.date.fromisoformat(day)
    return dt.datetime.combine(date, dt.time(hour, minute), tz.tzinfo)


def pickled(value):
    """Return *value* after a trip through pickle."""
    return pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes


def hours(value):
    return dt.timedelta(hours=value)


def brute_force(cadence, anchor, start, end):
    """Every event in [start, end), by running dateutil from the anchor."""
    stop = end.astimezone(dt.timezone.utc) + dt.timedelta(days=3)
    found = []
    for event in cadence.rrule(anchor):
        if event > stop:
            break
        if start <= event < end:
            found.extend([event] * cadence.per_occurrence)
    return found


class TestValueParseError:
    def test_message(self):
        """The message names what was expected, then what was received."""
        e = ValueParseError("often", "a cadence")

        assert "expected a cadence, got 'often'" == str(e)

    def test_hint(self):
        """A hint follows in parentheses."""
        e = ValueParseError("weekley", "a cadence", "did you mean 'weekly'?")

        assert "expected a cadence, got 'weekley' (did you mean 'weekly'?)" == str(e)

    def test_parts(self):
        """The parts are kept as data."""
        e = ValueParseError("often", "a cadence", "never heard of it")

        assert ("often", "a cadence", "never heard of it") == (
            e.text,
            e.expected,
            e.hint,
        )
        assert isinstance(e, ValueError)

    def test_pickle(self):
        """The error survives pickling with its parts."""
        e = pickled(ValueParseError("often", "a cadence", "h"))

        assert ("often", "a cadence", "h", "expected a cadence, got 'often' (h)") == (
            e.text,
            e.expected,
            e.hint,
            str(e),
        )


class TestTimeZone:
    def test_iana(self):
        """IANA names become ZoneInfo zones and keep their text."""
        tz = TimeZone.parse("Asia/Manila")

        assert "Asia/Manila" == str(tz)
        assert "Asia/Manila" == tz.name
        assert hours(8) == tz.utcoffset(dt.date(2026, 1, 15))

    @pytest.mark.parametrize(
        ("text", "name", "offset"),
        [
            ("+08:00", "+08:00", hours(8)),
            ("+0800", "+08:00", hours(8)),
            ("+08", "+08:00", hours(8)),
            ("-05:30", "-05:30", -hours(5.5)),
            ("UTC+8", "+08:00", hours(8)),
            ("+14:00", "+14:00", hours(14)),
            ("UTC", "UTC", hours(0)),
            ("Z", "UTC", hours(0)),
            ("utc", "UTC", hours(0)),
            ("+00:00", "UTC", hours(0)),
        ],
    )
    def test_offsets(self, text, name, offset):
        """Fixed offsets are read in the usual spellings."""
        tz = TimeZone.parse(text)

        assert (name, offset) == (tz.name, tz.utcoffset(dt.date(2026, 7, 1)))
        assert text == str(tz)

    def test_dst(self):
        """The offset is the one in force on that date."""
        assert (hours(0), hours(1)) == (
            LONDON.utcoffset(dt.date(2026, 1, 15)),
            LONDON.utcoffset(dt.date(2026, 7, 15)),
        )

    def test_offset_at_noon(self):
        """The offset of a day of change is taken at 12:00 local time."""
        assert (hours(1), hours(-4)) == (
            LONDON.utcoffset(dt.date(2026, 3, 29)),
            NEW_YORK.utcoffset(dt.date(2026, 3, 8)),
        )

    def test_case_insensitive(self):
        """Names are found whatever their case and compare equal to the proper one."""
        tz = TimeZone("europe/london")

        assert "Europe/London" == tz.name
        assert "europe/london" == str(tz)
        assert LONDON == tz
        assert hash(LONDON) == hash(tz)
        assert LONDON.tzinfo is tz.tzinfo

    def test_tzinfo_is_read_only(self):
        """A zone's tzinfo is read, not set, and a copied zone has the same."""
        tz = TimeZone("+08:00")

        with pytest.raises(AttributeError):
            tz.tzinfo = dt.timezone.utc  # type: ignore[misc]
        assert hours(8) == tz.tzinfo.utcoffset(None)
        assert tz.tzinfo == copy.deepcopy(tz).tzinfo
        assert "tzinfo" not in repr(tz)

    def test_equality(self):
        """Zones are equal when they are the same zone written the same way."""
        assert TimeZone("Z") == TimeZone("UTC")
        assert TimeZone("+08:00") == TimeZone("+0800")
        assert TimeZone("+08:00") != MANILA

    def test_unknown_name(self):
        """An unknown name fails, suggesting the closest known one."""
        with pytest.raises(ValueParseError) as e:
            TimeZone.parse("Asia/Manilla")

        assert (
            f"{ZONE_EXPECTED}, got 'Asia/Manilla' (did you mean 'Asia/Manila'?)"
            == str(e.value)
        )
        assert "Asia/Manilla" == e.value.text

    @pytest.mark.parametrize("text", ["", "Mars/Olympus", "Asia Manila", "../etc"])
    def test_no_zone(self, text):
        """Text that names no zone fails."""
        with pytest.raises(ValueParseError, match=r"^expected an IANA time zone"):
            TimeZone(text)

    @pytest.mark.parametrize("text", ["localtime", "posixrules", "Factory"])
    def test_machine_zone_names_refused(self, text):
        """Names that stand for the machine's zone, not an IANA zone, fail."""
        with pytest.raises(ValueParseError) as e:
            TimeZone(text)

        assert (
            f"{ZONE_EXPECTED}, got {text!r} "
            "(it names no IANA zone but depends on the machine)"
        ) == str(e.value)

    def test_only_database_zones(self):
        """A file of the zone folder that is no zone of the database fails."""
        with pytest.raises(ValueParseError) as e:
            TimeZone("posix/Europe/Paris")

        assert (
            f"{ZONE_EXPECTED}, got 'posix/Europe/Paris' (did you mean 'Europe/Paris'?)"
        ) == str(e.value)

    def test_offset_out_of_range(self):
        """Offsets beyond +-14:00 fail."""
        with pytest.raises(ValueParseError) as e:
            TimeZone("+25:00")

        assert (
            f"{ZONE_EXPECTED}, got '+25:00' (offsets range from -14:00 to +14:00)"
            == str(e.value)
        )

    def test_not_text(self):
        """Direct construction with something other than text fails like attrs."""
        with pytest.raises(TypeError, match="'text' must be <class 'str'>"):
            TimeZone(8)

    def test_repr_and_pickle(self):
        """The repr shows the text and pickling keeps the zone."""
        assert "TimeZone(text='Asia/Manila')" == repr(MANILA)
        assert MANILA == pickled(MANILA)

    @given(
        st.sampled_from(["+", "-"]),
        st.integers(0, 13),
        st.sampled_from([0, 15, 30, 45]),
    )
    def test_offset_round_trip(self, sign, hour, minute):
        """Any offset parses back from its text, at the offset written."""
        tz = TimeZone(f"{sign}{hour:02d}:{minute:02d}")
        offset = dt.timedelta(hours=hour, minutes=minute)

        assert TimeZone.parse(str(tz)) == tz
        assert (offset if sign == "+" else -offset) == tz.utcoffset(dt.date.today())


class TestDuration:
    @pytest.mark.parametrize(
        ("text", "delta"),
        [
            ("24h", hours(24)),
            ("90m", dt.timedelta(minutes=90)),
            ("2d", dt.timedelta(days=2)),
            ("1w", dt.timedelta(weeks=1)),
            ("PT4H", hours(4)),
            ("P2D", dt.timedelta(days=2)),
            ("P1W", dt.timedelta(weeks=1)),
            ("P1DT12H", hours(36)),
            ("PT1H30M", dt.timedelta(minutes=90)),
            ("pt45s", dt.timedelta(seconds=45)),
            ("30 minutes", dt.timedelta(minutes=30)),
            ("1 hour", hours(1)),
            ("3 days", dt.timedelta(days=3)),
            ("2 weeks", dt.timedelta(weeks=2)),
            ("1h30m", dt.timedelta(minutes=90)),
            ("1 hour 30 minutes", dt.timedelta(minutes=90)),
            ("1 hour and 30 minutes", dt.timedelta(minutes=90)),
            ("1.5h", dt.timedelta(minutes=90)),
            ("0.1h", dt.timedelta(minutes=6)),
            (" 24H ", hours(24)),
            ("0m", dt.timedelta(0)),
        ],
    )
    def test_forms(self, text, delta):
        """Every documented spelling gives its length; business_days stays None."""
        duration = Duration.parse(text)

        assert (delta, None) == (duration.timedelta, duration.business_days)
        assert text == str(duration)

    @pytest.mark.parametrize(
        ("text", "days"),
        [("2 business days", 2), ("1 business day", 1), ("5 working days", 5)],
    )
    def test_business_days(self, text, days):
        """N business days keeps N and counts as N calendar days."""
        duration = Duration(text)

        assert (days, dt.timedelta(days=days)) == (
            duration.business_days,
            duration.timedelta,
        )

    @pytest.mark.parametrize(
        ("text", "hint"),
        [
            ("1 month", " (months and years vary in length: use days or weeks)"),
            ("P1M", " (months and years vary in length: use days or weeks)"),
            ("P1Y2D", " (months and years vary in length: use days or weeks)"),
            ("24", " (a number needs a unit)"),
            ("soon", ""),
            ("", ""),
            ("PT", ""),
            ("h24", ""),
            ("1 fortnight", ""),
            ("-2h", ""),
            ("2 business hours", ""),
        ],
    )
    def test_invalid(self, text, hint):
        """Text that is no duration fails, saying what was expected."""
        with pytest.raises(ValueParseError) as e:
            Duration(text)

        assert f"{DURATION_EXPECTED}, got {text!r}{hint}" == str(e.value)

    def test_equality(self):
        """Durations are equal when their texts are, case and spacing aside."""
        assert Duration("24H") == Duration(" 24h")
        assert hash(Duration("24H")) == hash(Duration("24h"))
        assert Duration("24h") != Duration("1d")

    def test_evolve_validates(self):
        """A changed text is parsed again."""
        with pytest.raises(ValueParseError):
            attrs.evolve(Duration("1h"), text="1 month")

    def test_repr_and_pickle(self):
        """The repr shows the text and pickling keeps the value."""
        duration = Duration("2 business days")

        assert "Duration(text='2 business days')" == repr(duration)
        assert duration == pickled(duration)
        assert 2 == pickled(duration).business_days

    @given(
        st.integers(0, 10_000),
        st.sampled_from(
            [("m", 60), ("h", 3600), ("d", 86400), ("w", 604800), (" minutes", 60)]
        ),
    )
    def test_round_trip(self, number, unit):
        """N units last N times the unit and parse back from their text."""
        suffix, seconds = unit
        duration = Duration(f"{number}{suffix}")

        assert dt.timedelta(seconds=number * seconds) == duration.timedelta
        assert Duration.parse(str(duration)) == duration


PHRASES = [
    # text, events in a whole week after the anchor, per occurrence
    ("hourly", 168, 1),
    ("every hour", 168, 1),
    ("daily", 7, 1),
    ("every day", 7, 1),
    ("weekdays", 5, 1),
    ("every weekday", 5, 1),
    ("weekly", 1, 1),
    ("every week", 1, 1),
    ("once a day", 7, 1),
    ("twice a day", 14, 2),
    ("thrice a day", 21, 3),
    ("4 times a day", 28, 4),
    ("2x daily", 14, 2),
    ("twice daily", 14, 2),
    ("once a week", 1, 1),
    ("twice a week", 2, 1),
    ("thrice a week", 3, 1),
    ("3 times per week", 3, 1),
    ("three times a week", 3, 1),
    ("2x weekly", 2, 1),
    ("3x/week", 3, 1),
    ("7 times a week", 7, 1),
    ("14 times a week", 14, 2),
    ("every 7 days", 1, 1),
    ("Every 1 Week", 1, 1),
]


class TestCadencePhrases:
    @pytest.mark.parametrize(("text", "per_week", "per_occurrence"), PHRASES)
    def test_weekly_phrases(self, text, per_week, per_occurrence):
        """Phrases occur as often per whole week as they say."""
        cadence = Cadence.parse(text)
        anchor = at("2025-11-05")

        assert (per_week, per_occurrence) == (
            cadence.per_week(anchor, dt.date(2026, 3, 4)),
            cadence.per_occurrence,
        )
        assert not cadence.has_time_of_day
        assert text == str(cadence)

    @pytest.mark.parametrize(
        "text", ["biweekly", "fortnightly", "every other week", "every 2 weeks"]
    )
    def test_every_other_week(self, text):
        """Fortnightly cadences occur in every other week, on the anchor's weekday."""
        anchor = at("2026-01-07")  # a Wednesday
        weeks = [
            Cadence(text).per_week(anchor, anchor.date() + dt.timedelta(weeks=w))
            for w in range(6)
        ]
        events = Cadence(text).occurrences(anchor, anchor, at("2026-02-05"))

        assert [1, 0, 1, 0, 1, 0] == weeks
        assert [at("2026-01-07"), at("2026-01-21"), at("2026-02-04")] == events

    def test_weekly_on_anchor_weekday(self):
        """Weekly occurs on the anchor's weekday, at its time."""
        anchor = at("2026-01-08", 9, 30)  # a Thursday

        assert [at("2026-01-08", 9, 30), at("2026-01-15", 9, 30)] == Cadence(
            "weekly"
        ).occurrences(anchor, anchor, at("2026-01-20"))

    @pytest.mark.parametrize(
        ("times", "weekdays"),
        [
            (1, ["Mon"]),
            (2, ["Mon", "Thu"]),
            (3, ["Mon", "Wed", "Fri"]),
            (4, ["Mon", "Tue", "Thu", "Fri"]),
            (5, ["Mon", "Tue", "Wed", "Thu", "Fri"]),
            (6, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
            (7, ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
        ],
    )
    def test_times_a_week_fixed_days(self, times, weekdays):
        """N times a week falls on fixed days, whatever the anchor's weekday."""
        anchor = at("2026-01-01")  # a Thursday
        events = Cadence(f"{times} times a week").occurrences(
            anchor, at("2026-01-12"), at("2026-01-19")
        )

        assert weekdays == [event.strftime("%a") for event in events]

    @pytest.mark.parametrize(
        ("text", "dates"),
        [
            ("monthly", ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
            ("every month", ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]),
            ("quarterly", ["2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31"]),
            ("every 2 months", ["2026-01-31", "2026-03-31", "2026-05-31"]),
            ("every other month", ["2026-01-31", "2026-03-31", "2026-05-31"]),
            ("yearly", ["2026-01-31", "2027-01-31"]),
            ("annually", ["2026-01-31", "2027-01-31"]),
        ],
    )
    def test_month_end(self, text, dates):
        """Monthly anchors after the 28th use the month's last day."""
        anchor = at("2026-01-31")
        events = Cadence(text).occurrences(anchor, anchor, at(dates[-1], 1))

        assert [at(day) for day in dates] == events

    @pytest.mark.parametrize(
        ("rule", "phrase", "anchor", "until"),
        [
            ("FREQ=MONTHLY", "monthly", "2026-01-31", "2026-06-01"),
            ("FREQ=MONTHLY;INTERVAL=3", "quarterly", "2026-01-30", "2027-01-01"),
            ("FREQ=YEARLY", "yearly", "2028-02-29", "2033-01-01"),
        ],
    )
    def test_rules_anchored_like_phrases(self, rule, phrase, anchor, until):
        """A rule without DTSTART or a day of its own is anchored as its phrase is."""
        start = at(anchor)
        rule_events = Cadence(rule).occurrences(start, start, at(until))

        assert Cadence(phrase).occurrences(start, start, at(until)) == rule_events

    def test_rule_anchored_with_its_time(self):
        """Anchored after the 28th, a monthly rule keeps its time of day."""
        start = at("2026-01-31")
        events = Cadence("FREQ=MONTHLY;BYHOUR=10").occurrences(
            start, start, at("2026-04-01")
        )

        assert [at("2026-01-31", 10), at("2026-02-28", 10), at("2026-03-31", 10)] == (
            events
        )

    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "DTSTART:20260131T000000 RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
        ],
    )
    def test_rules_with_their_own_day_skip_short_months(self, rule):
        """A rule naming its own day skips the months without it (RFC 5545)."""
        start = at("2026-01-31")
        events = Cadence(rule).occurrences(start, start, at("2026-06-01"))

        assert ["2026-01-31", "2026-03-31", "2026-05-31"] == [
            event.date().isoformat() for event in events
        ]

    @pytest.mark.parametrize(
        ("rule", "tz", "time"),
        [
            ("DTSTART:20260131T000000Z\nRRULE:FREQ=MONTHLY", UTC, (0, 0)),
            ("DTSTART:20260131T093000 RRULE:FREQ=MONTHLY", LONDON, (9, 30)),
            ("DTSTART:20260131 RRULE:FREQ=MONTHLY", LONDON, (0, 0)),
            ("DTSTART;VALUE=DATE:20260131 RRULE:FREQ=MONTHLY", LONDON, (0, 0)),
            (
                "DTSTART;TZID=Asia/Manila:20260131T090000 RRULE:FREQ=MONTHLY",
                MANILA,
                (9, 0),
            ),
            (
                "DTSTART:20260131T080000 RRULE:FREQ=MONTHLY;BYHOUR=9;COUNT=6",
                LONDON,
                (9, 0),
            ),
            (
                "DTSTART:20260131T093000 RRULE:FREQ=MONTHLY;UNTIL=20260630",
                LONDON,
                (9, 30),
            ),
        ],
    )
    def test_dtstart_after_the_28th(self, rule, tz, time):
        """A DTSTART after the 28th anchors a rule as the engagement's start would.

        Without a day of its own the rule falls on each month's last day, where
        RFC 5545 would skip February, April and June; its count, per-week count
        and longest gap follow.
        """
        cadence = Cadence(rule)
        anchor = at("2025-06-01")
        end = at("2026-07-01")
        events = cadence.occurrences(anchor, anchor, end)

        assert [
            at(day, *time, tz=tz)
            for day in (
                "2026-01-31",
                "2026-02-28",
                "2026-03-31",
                "2026-04-30",
                "2026-05-31",
                "2026-06-30",
            )
        ] == events
        assert 6 == cadence.count(anchor, anchor, end)
        assert 1 == cadence.per_week(anchor, dt.date(2026, 2, 26))
        assert dt.timedelta(days=31) == cadence.max_gap(anchor, anchor, end)

    def test_dtstart_every_other_month_after_the_28th(self):
        """Every other month from 31 January falls on 31 March, 31 May, 31 July."""
        cadence = Cadence("DTSTART:20260131 RRULE:FREQ=MONTHLY;INTERVAL=2")
        anchor = at("2026-01-01")

        assert Cadence("every 2 months").occurrences(
            at("2026-01-31"), anchor, at("2027-01-01")
        ) == cadence.occurrences(anchor, anchor, at("2027-01-01"))

    @pytest.mark.parametrize(
        ("rule", "dates"),
        [
            (
                "DTSTART:20240229 RRULE:FREQ=YEARLY",
                ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
            ),
            # a month of its own: RFC 5545, as without DTSTART
            (
                "DTSTART:20240229 RRULE:FREQ=YEARLY;BYMONTH=2",
                ["2024-02-29", "2028-02-29"],
            ),
            (
                "DTSTART:20240229 RRULE:FREQ=YEARLY;BYMONTHDAY=29;BYMONTH=2",
                ["2024-02-29", "2028-02-29"],
            ),
        ],
    )
    def test_dtstart_on_a_leap_day(self, rule, dates):
        """A yearly DTSTART on 29 February falls on 28 February in common years."""
        anchor = at("2020-01-01")
        events = Cadence(rule).occurrences(anchor, anchor, at("2029-01-01"))

        assert dates == [event.date().isoformat() for event in events]

    def test_monthly_leap_year(self):
        """Monthly anchored on January 31st falls on February 29th in leap years."""
        anchor = at("2028-01-31")
        events = Cadence("monthly").occurrences(anchor, anchor, at("2028-03-01"))

        assert [at("2028-01-31"), at("2028-02-29")] == events

    def test_monthly_after_the_28th(self):
        """An anchor on the 29th also moves to the month's last day."""
        anchor = at("2026-01-29")
        events = Cadence("monthly").occurrences(anchor, anchor, at("2026-04-01"))

        assert [at("2026-01-31"), at("2026-02-28"), at("2026-03-31")] == events

    def test_monthly_mid_month(self):
        """Other anchors keep their day."""
        anchor = at("2026-01-15", 10)
        events = Cadence("monthly").occurrences(anchor, anchor, at("2026-04-01"))

        assert [at("2026-01-15", 10), at("2026-02-15", 10), at("2026-03-15", 10)] == (
            events
        )

    def test_yearly_leap_day(self):
        """Yearly anchored on February 29th falls on the 28th in other years."""
        anchor = at("2028-02-29")
        events = Cadence("yearly").occurrences(anchor, anchor, at("2033-01-01"))

        assert [
            "2028-02-29",
            "2029-02-28",
            "2030-02-28",
            "2031-02-28",
            "2032-02-29",
        ] == [event.date().isoformat() for event in events]

    @pytest.mark.parametrize(
        ("text", "per_occurrence", "count"),
        [
            ("twice a month", 1, 24),
            ("2x monthly", 1, 24),
            ("3 times a month", 1, 36),
            ("once a month", 1, 12),
            ("twice a year", 1, 2),
        ],
    )
    def test_times_a_month(self, text, per_occurrence, count):
        """N times a month is N a month on days of their own; a year repeats them."""
        anchor = at("2026-01-05")
        cadence = Cadence(text)

        assert (per_occurrence, count) == (
            cadence.per_occurrence,
            cadence.count(anchor, anchor, at("2027-01-05")),
        )

    @pytest.mark.parametrize(
        ("text", "days"),
        [
            ("twice a month", [1, 15]),
            ("2x monthly", [1, 15]),
            ("thrice a month", [1, 10, 19]),
            ("3 times per month", [1, 10, 19]),
            ("4 times a month", [1, 8, 15, 22]),
            ("five times a month", [1, 6, 12, 17, 23]),
            ("6 times a month", [1, 5, 10, 15, 19, 24]),
            ("10x monthly", [1, 3, 6, 9, 12, 15, 17, 20, 23, 26]),
            ("28 times a month", list(range(1, 29))),
        ],
    )
    def test_times_a_month_fixed_days(self, text, days):
        """N times a month falls on fixed days, 1 + 28k/N, whatever the anchor's day.

        Each once, at the anchor's time, in February as in other months.
        """
        cadence = Cadence(text)
        anchor = at("2026-01-20", 9, 30)
        for month in ("2026-02", "2026-03"):
            first = at(f"{month}-01")
            last = first + dt.timedelta(days=31)
            events = cadence.occurrences(anchor, first, last.replace(day=1))

            assert [at(f"{month}-{day:02}", 9, 30) for day in days] == events
        assert 1 == cadence.per_occurrence

    def test_times_a_month_after_the_anchor(self):
        """Days of the month before the anchor's do not occur in its month."""
        events = Cadence("twice a month").occurrences(
            at("2026-01-10"), at("2026-01-01"), at("2026-03-01")
        )

        assert [at("2026-01-15"), at("2026-02-01"), at("2026-02-15")] == events

    @pytest.mark.parametrize(
        ("text", "per_week"),
        [
            # 1 July 2026 (Wednesday) and 5 July (Sunday)
            ("6 times a month", [2, 1, 2, 1, 1]),
            # 1 July, 15 July and 1 August
            ("twice a month", [1, 0, 1, 0, 1]),
        ],
    )
    def test_times_a_month_per_week(self, text, per_week):
        """Each ISO week holds the fixed days of the month that fall in it."""
        cadence = Cadence(text)
        anchor = at("2026-01-05")
        mondays = [dt.date(2026, 6, 29) + dt.timedelta(weeks=k) for k in range(5)]

        assert per_week == [cadence.per_week(anchor, monday) for monday in mondays]

    @pytest.mark.parametrize(
        ("text", "gap"),
        [
            # 15 January to 1 February
            ("twice a month", 17),
            # 22 January to 1 February
            ("4 times a month", 10),
            ("once a month", 31),
        ],
    )
    def test_times_a_month_longest_gap(self, text, gap):
        """The longest gap runs from the last fixed day to the next month's first."""
        anchor = at("2026-01-05")

        assert dt.timedelta(days=gap) == Cadence(text).max_gap(
            anchor, anchor, at("2027-01-05")
        )

    @pytest.mark.parametrize(
        ("text", "months"),
        [
            ("twice a year", [1, 7]),
            ("2x yearly", [1, 7]),
            ("3 times a year", [1, 5, 9]),
            ("4 times a year", [1, 4, 7, 10]),
            ("5 times a year", [1, 3, 5, 8, 10]),
            ("6 times a year", [1, 3, 5, 7, 9, 11]),
            ("12 times a year", list(range(1, 13))),
        ],
    )
    def test_times_a_year_fixed_months(self, text, months):
        """N times a year falls on the 1st of fixed months, whatever the anchor."""
        cadence = Cadence(text)
        anchor = at("2025-11-20", 9, 30)
        events = cadence.occurrences(anchor, at("2026-01-01"), at("2027-01-01"))

        assert [at(f"2026-{month:02}-01", 9, 30) for month in months] == events
        assert 1 == cadence.per_occurrence

    def test_times_a_year_longest_gap_and_weeks(self):
        """Twice a year is half a year apart, one event in a week at the most."""
        cadence = Cadence("twice a year")
        anchor = at("2026-01-05")

        assert dt.timedelta(days=184) == cadence.max_gap(
            anchor, anchor, at("2028-01-05")
        )
        assert [1, 0] == [
            cadence.per_week(anchor, monday)
            for monday in (dt.date(2026, 6, 29), dt.date(2026, 7, 6))
        ]

    def test_once_a_year_is_yearly(self):
        """Once a year is yearly: on the anchor's day."""
        anchor = at("2026-03-10")

        assert Cadence("yearly").occurrences(
            anchor, anchor, at("2030-01-01")
        ) == Cadence("once a year").occurrences(anchor, anchor, at("2030-01-01"))

    @pytest.mark.parametrize("text", ["once a month", "1x monthly", "1 time a month"])
    def test_once_a_month_is_monthly(self, text):
        """Once a month is monthly: on the anchor's day, the month's last after 28."""
        anchor = at("2026-01-31")

        assert Cadence("monthly").occurrences(
            anchor, anchor, at("2026-06-01")
        ) == Cadence(text).occurrences(anchor, anchor, at("2026-06-01"))

    def test_hourly(self):
        """Hourly occurs every hour of the wall clock from the anchor's minute."""
        anchor = at("2026-01-05", 9, 15)
        events = Cadence("hourly").occurrences(
            anchor, at("2026-01-05", 10), at("2026-01-05", 13)
        )

        assert [at("2026-01-05", h, 15) for h in (10, 11, 12)] == events

    def test_every_n_hours_and_days(self):
        """Every N hours and every N days count from the anchor."""
        anchor = at("2026-01-05")

        assert (4, 2) == (
            Cadence("every 6 hours").count(anchor, anchor, at("2026-01-06")),
            Cadence("every 3 days").count(anchor, anchor, at("2026-01-10")),
        )

    @pytest.mark.parametrize(
        ("text", "hint"),
        [
            ("weekley", " (did you mean 'weekly'?)"),
            ("fortnighly", " (did you mean 'fortnightly'?)"),
            ("every blue moon", ""),
            ("often", ""),
            ("", ""),
            ("0 times a week", " (0 times is never)"),
            ("every 0 days", " (every 0 is never)"),
            ("twice a fortnight", ""),
            (
                "29 times a month",
                (
                    " (N times a month goes up to 28, the days of the shortest month,"
                    ' got 29; for more, say "daily", "N times a week" or "N times a'
                    ' day")'
                ),
            ),
            (
                "13 times a year",
                (
                    " (N times a year goes up to 12, the months of a year, got 13;"
                    ' for more, say "N times a month" or "N times a week")'
                ),
            ),
            (
                "9 times a week",
                (
                    ' (more than 7 times a week must be a multiple of 7, such as "14'
                    ' times a week"; or say "N times a day")'
                ),
            ),
        ],
    )
    def test_invalid(self, text, hint):
        """Unknown phrases fail, saying what was expected and what was received."""
        with pytest.raises(ValueParseError) as e:
            Cadence(text)

        assert f"{CADENCE_EXPECTED}, got {text!r}{hint}" == str(e.value)
        assert text == e.value.text


class TestCadenceRRule:
    def test_rrule_text(self):
        """An RRULE occurs as written, at its BYHOUR in the anchor's zone."""
        cadence = Cadence("FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10")
        anchor = at("2026-01-01")
        events = cadence.occurrences(anchor, at("2026-01-05"), at("2026-01-12"))

        assert [at("2026-01-05", 10), at("2026-01-08", 10)] == events
        assert cadence.has_time_of_day

    def test_six_days(self):
        """BYDAY=MO,TU,WE,TH,FR,SA counts 6 per week."""
        cadence = Cadence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA")

        assert 6 == cadence.per_week(at("2026-01-01"), dt.date(2026, 2, 11))

    def test_prefix_and_case(self):
        """An RRULE: prefix and lower case are accepted and compare equal."""
        assert Cadence("RRULE:FREQ=WEEKLY;BYDAY=MO") != Cadence("FREQ=WEEKLY;BYDAY=MO")
        assert Cadence("freq=weekly;byday=mo") == Cadence("FREQ=WEEKLY;BYDAY=MO")
        assert 1 == Cadence("rrule:freq=weekly;byday=mo").per_week(
            at("2026-01-01"), dt.date(2026, 1, 14)
        )

    def test_minutes_default_to_zero(self):
        """BYMINUTE and BYSECOND not given are 0 once BYHOUR is given."""
        cadence = Cadence("DTSTART:20260105T093015\nRRULE:FREQ=WEEKLY;BYHOUR=10")
        events = cadence.occurrences(
            at("2020-01-01"), at("2026-01-05"), at("2026-01-13")
        )

        assert [at("2026-01-05", 10), at("2026-01-12", 10)] == events

    def test_dtstart_wins(self):
        """DTSTART in the text wins over the anchor, read in the anchor's zone."""
        cadence = Cadence("DTSTART:20260107T093000 RRULE:FREQ=WEEKLY")
        events = cadence.occurrences(
            at("2026-01-01"), at("2026-01-01"), at("2026-01-20")
        )

        assert [at("2026-01-07", 9, 30), at("2026-01-14", 9, 30)] == events
        assert not cadence.has_time_of_day

    def test_dtstart_with_zone(self):
        """A DTSTART with its own zone keeps it."""
        cadence = Cadence("DTSTART;TZID=Asia/Manila:20260105T090000\nRRULE:FREQ=DAILY")
        events = cadence.occurrences(
            at("2026-01-01"), at("2026-01-05"), at("2026-01-07")
        )

        assert [
            at("2026-01-05", 9, tz=MANILA),
            at("2026-01-06", 9, tz=MANILA),
        ] == events
        assert [MANILA.tzinfo] * 2 == [event.tzinfo for event in events]

    def test_dtstart_utc(self):
        """A DTSTART in UTC keeps UTC."""
        cadence = Cadence("DTSTART:20260105T090000Z RRULE:FREQ=DAILY;COUNT=2")

        assert [dt.datetime(2026, 1, d, 9, tzinfo=dt.timezone.utc) for d in (5, 6)] == (
            cadence.occurrences(at("2020-01-01"), at("2026-01-01"), at("2027-01-01"))
        )

    def test_count(self):
        """COUNT limits the occurrences from the start."""
        cadence = Cadence("FREQ=DAILY;COUNT=10")
        anchor = at("2026-01-05")

        assert (10, 3, 0) == (
            cadence.count(anchor, anchor, at("2027-01-01")),
            cadence.count(anchor, at("2026-01-12"), at("2027-01-01")),
            cadence.per_week(anchor, dt.date(2026, 1, 19)),
        )

    def test_until(self):
        """UNTIL ends the rule; a date includes that whole day."""
        cadence = Cadence("FREQ=DAILY;BYHOUR=17;UNTIL=20260110")
        anchor = at("2026-01-05")
        events = cadence.occurrences(anchor, at("2026-01-09"), at("2027-01-01"))

        assert [at("2026-01-09", 17), at("2026-01-10", 17)] == events

    def test_until_utc(self):
        """UNTIL in UTC compares as a moment: 09:00 in London summer is 08:00 UTC."""
        cadence = Cadence("FREQ=DAILY;UNTIL=20260710T080000Z;BYHOUR=9")
        anchor = at("2026-07-01")

        assert (
            at("2026-07-10", 9)
            == cadence.occurrences(anchor, anchor, at("2026-08-01"))[-1]
        )

    def test_monthly_rrule(self):
        """Monthly RRULEs such as the first Monday work like dateutil's."""
        cadence = Cadence("FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9")
        anchor = at("2026-01-01")

        assert [at("2026-01-05", 9), at("2026-02-02", 9), at("2026-03-02", 9)] == (
            cadence.occurrences(anchor, anchor, at("2026-04-01"))
        )

    def test_rrule_of_anchor(self):
        """rrule() is the dateutil rule anchored at the anchor."""
        rule = Cadence("FREQ=WEEKLY;BYDAY=MO;BYHOUR=10").rrule(at("2026-01-01"))

        assert isinstance(rule, rrule)
        assert [at("2026-01-05", 10), at("2026-01-12", 10)] == list(rule[:2])

    @pytest.mark.parametrize(
        ("text", "hint"),
        [
            ("FREQ=WEEKLIE", "unknown FREQ 'WEEKLIE'"),
            ("FREQ=WEEKLY;BYFOO=1", "unknown part 'BYFOO'"),
            ("FREQ=WEEKLY;BYHOUR=25", "BYHOUR must be from 0 to 23, got '25'"),
            ("FREQ=WEEKLY;BYDAY=XX", "BYDAY takes days such as MO,TH or 1MO, got 'XX'"),
            (
                "FREQ=WEEKLY;BYDAY=1MO",
                "BYDAY numbers such as '1MO' need FREQ=MONTHLY or FREQ=YEARLY",
            ),
            (
                "FREQ=MONTHLY;BYDAY=6MO",
                "BYDAY number '6MO' must be from 1 to 5 or -5 to -1",
            ),
            (
                "FREQ=MONTHLY;BYMONTHDAY=40",
                "BYMONTHDAY must be from 1 to 31 or -31 to -1, got '40'",
            ),
            ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be from 1 to 1000000, got '0'"),
            (
                "FREQ=WEEKLY;COUNT=2;UNTIL=20260101",
                "COUNT and UNTIL exclude each other",
            ),
            ("FREQ=WEEKLY;FREQ=DAILY", "FREQ is given twice"),
            ("FREQ=WEEKLY;BYDAY", "'BYDAY' is not NAME=VALUE"),
            ("FREQ=WEEKLY;WKST=XX", "WKST must be a day such as MO"),
            ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "the rule never occurs"),
            ("FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2", "the rule never occurs"),
            (
                "FREQ=WEEKLY;UNTIL=soon",
                "UNTIL 'SOON' is not a date-time such as 20260105T100000",
            ),
            ("DTSTART:20260105T090000", "RRULE is missing"),
            (
                "DTSTART:20260105 DTSTART:20260106 RRULE:FREQ=DAILY",
                "DTSTART is given twice",
            ),
            (
                "FREQ=DAILY EXDATE:20260105",
                (
                    "unexpected 'EXDATE:20260105': only a DTSTART and one RRULE are"
                    " allowed"
                ),
            ),
            (
                "DTSTART;TZID=Mars/Olympus:20260105T090000 RRULE:FREQ=DAILY",
                "unknown TZID 'Mars/Olympus'",
            ),
            (
                "DTSTART;TZID=Asia/Manilla:20260105T090000 RRULE:FREQ=DAILY",
                "unknown TZID 'Asia/Manilla'; did you mean 'Asia/Manila'?",
            ),
        ],
    )
    def test_invalid(self, text, hint):
        """Invalid RRULEs fail, saying what was wrong."""
        with pytest.raises(ValueParseError) as e:
            Cadence(text)

        assert f"{RRULE_EXPECTED}, got {text!r} ({hint})" == str(e.value)


class TestCadenceCounting:
    def test_daily_and_weekdays(self):
        """Daily counts 7 per ISO week, weekdays 5, across DST changes too."""
        anchor = at("2026-01-01")
        weeks = [dt.date(2026, 3, 25), dt.date(2026, 10, 28), dt.date(2026, 6, 3)]

        assert [7, 7, 7] == [Cadence("daily").per_week(anchor, w) for w in weeks]
        assert [5, 5, 5] == [Cadence("weekdays").per_week(anchor, w) for w in weeks]

    def test_week_counted_in_full(self):
        """per_week counts the whole ISO week containing the date, not from it."""
        anchor = at("2026-01-05")  # a Monday

        assert 5 == Cadence("weekdays").per_week(anchor, dt.date(2026, 1, 9))

    def test_week_of_anchor(self):
        """In the anchor's week, events before the anchor do not exist."""
        anchor = at("2026-01-07")  # a Wednesday

        assert (3, 5) == (
            Cadence("weekdays").per_week(anchor, dt.date(2026, 1, 7)),
            Cadence("daily").per_week(anchor, dt.date(2026, 1, 5)),
        )

    def test_before_anchor(self):
        """Nothing occurs before the anchor."""
        anchor = at("2026-01-07")

        assert (0, 0, []) == (
            Cadence("daily").per_week(anchor, dt.date(2025, 12, 29)),
            Cadence("monthly").count(anchor, at("2025-01-01"), anchor),
            Cadence("hourly").occurrences(anchor, at("2025-01-01"), anchor),
        )

    def test_weekly_time_keeps_wall_clock(self):
        """A 10:00 meeting stays at 10:00 local time when the clocks change."""
        cadence = Cadence("FREQ=WEEKLY;BYDAY=MO;BYHOUR=10")
        events = cadence.occurrences(
            at("2026-01-01"), at("2026-03-23"), at("2026-04-01")
        )

        assert [
            dt.datetime(2026, 3, 23, 10, tzinfo=dt.timezone.utc),
            dt.datetime(2026, 3, 30, 9, tzinfo=dt.timezone.utc),
        ] == events

    def test_zone_of_anchor(self):
        """Anchors at the same moment in different zones give different schedules."""
        cadence = Cadence("daily")
        london = at("2026-01-05", 8)
        manila = london.astimezone(MANILA.tzinfo)  # 16:00 in Manila

        assert [at("2026-01-06", 8)] == cadence.occurrences(
            london, at("2026-01-06"), at("2026-01-07")
        )
        assert [at("2026-01-06", 16, tz=MANILA)] == cadence.occurrences(
            manila, at("2026-01-06", tz=MANILA), at("2026-01-07", tz=MANILA)
        )

    def test_other_zone_range(self):
        """Ranges in another zone are compared as moments."""
        cadence = Cadence("FREQ=DAILY;BYHOUR=9")
        anchor = at("2026-01-01")
        start, end = at("2026-01-05", tz=MANILA), at("2026-01-06", tz=MANILA)

        assert [at("2026-01-05", 9)] == cadence.occurrences(anchor, start, end)
        assert 1 == cadence.count(anchor, start, end)

    def test_long_ago_hourly(self):
        """An hourly cadence anchored years ago counts a far week exactly."""
        anchor = at("2015-03-01", 0, 30)

        assert (168, 8760) == (
            Cadence("hourly").per_week(anchor, dt.date(2026, 3, 30)),
            Cadence("hourly").count(anchor, at("2025-01-01"), at("2026-01-01")),
        )

    def test_count_repeats(self):
        """count and occurrences count each event of twice a day twice."""
        anchor = at("2026-01-05")
        cadence = Cadence("twice a day")
        events = cadence.occurrences(anchor, anchor, at("2026-01-07"))

        assert [at("2026-01-05")] * 2 + [at("2026-01-06")] * 2 == events
        assert 4 == cadence.count(anchor, anchor, at("2026-01-07"))

    @pytest.mark.parametrize(
        ("text", "gap"),
        [("weekly", 7), ("biweekly", 14), ("monthly", 31), ("quarterly", 92)],
    )
    def test_max_gap(self, text, gap):
        """The longest gap over the 366 days before a date is the cadence's."""
        anchor = at("2024-01-15")
        end = at("2026-03-01")
        start = end - dt.timedelta(days=366)

        assert dt.timedelta(days=gap) == Cadence(text).max_gap(anchor, start, end)

    def test_max_gap_wall_clock(self):
        """Gaps are measured on the wall clock: a weekly gap stays 7 days over DST."""
        anchor = at("2026-10-19", 10)

        assert dt.timedelta(days=7) == Cadence("weekly").max_gap(
            anchor, anchor, at("2026-11-01")
        )

    def test_max_gap_too_few(self):
        """With fewer than two events there is no gap."""
        anchor = at("2026-01-15")

        assert None is Cadence("monthly").max_gap(anchor, anchor, at("2026-02-01"))

    def test_naive_anchor(self):
        """Anchors and ranges must be aware."""
        with pytest.raises(ValueError, match="'anchor' must be an aware datetime"):
            Cadence("daily").per_week(dt.datetime(2026, 1, 5), dt.date(2026, 1, 5))
        with pytest.raises(ValueError, match="'start' must be an aware datetime"):
            Cadence("daily").count(
                at("2026-01-05"), dt.datetime(2026, 1, 5), at("2026-02-01")
            )

    def test_equality(self):
        """Cadences are equal when their texts are, case and spacing aside."""
        assert Cadence(" Twice  a week") == Cadence("twice a week")
        assert hash(Cadence("WEEKLY")) == hash(Cadence("weekly"))
        assert Cadence("biweekly") != Cadence("fortnightly")

    def test_repr_and_pickle(self):
        """The repr shows the text and pickling keeps the cadence."""
        cadence = Cadence("FREQ=WEEKLY;BYDAY=MO;BYHOUR=10")

        assert "Cadence(text='FREQ=WEEKLY;BYDAY=MO;BYHOUR=10')" == repr(cadence)
        assert cadence == pickled(cadence)


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
    "3 times a week",
    "14 times a week",
    "twice a month",
    "6 times a month",
    "every 3 days",
    "every 5 hours",
    "every 2 months",
    "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",
    "FREQ=DAILY;BYHOUR=1,13;BYMINUTE=30",
    "FREQ=HOURLY;INTERVAL=5;BYDAY=MO,FR",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=SU",
    "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16",
    "FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=8",
    "FREQ=MONTHLY",
    "FREQ=YEARLY;BYMONTH=2",
    "FREQ=DAILY;BYMONTH=1,7",
    "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=-1",
    "FREQ=DAILY;COUNT=40;BYHOUR=1,2",
    "FREQ=MONTHLY;COUNT=5",
    "FREQ=WEEKLY;UNTIL=20260601",
    "FREQ=DAILY;UNTIL=20260301T120000Z",
    "DTSTART:20250601T013000 RRULE:FREQ=DAILY",
    "DTSTART;TZID=Asia/Tokyo:20250601T090000 RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
    "DTSTART;VALUE=DATE:20250601 RRULE:FREQ=MONTHLY;INTERVAL=2",
    "DTSTART:20250131T093000 RRULE:FREQ=MONTHLY",
    "DTSTART;TZID=Asia/Tokyo:20250530T090000 RRULE:FREQ=MONTHLY;COUNT=9",
    "DTSTART:20240229 RRULE:FREQ=YEARLY",
]

anchors = st.builds(
    lambda day, hour, tz: dt.datetime.combine(day, dt.time(hour), tz.tzinfo),
    st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
    st.sampled_from([0, 0, 0, 1, 2, 9, 23]),
    st.sampled_from(ZONES),
)


class TestCadenceProperties:
    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(CADENCES),
        anchors,
        st.integers(-30 * 24, 700 * 24),
        st.integers(1, 60 * 24),
        st.sampled_from(ZONES),
    )
    def test_matches_dateutil(self, text, anchor, since, length, zone):
        """count and occurrences agree with running dateutil from the anchor."""
        cadence = Cadence(text)
        start = (anchor + dt.timedelta(hours=since)).astimezone(zone.tzinfo)
        end = start + dt.timedelta(hours=length)
        expected = brute_force(cadence, anchor, start, end)

        assert expected == cadence.occurrences(anchor, start, end)
        assert len(expected) == cadence.count(anchor, start, end)

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CADENCES), anchors, st.integers(-2, 150))
    def test_per_week_is_count(self, text, anchor, weeks):
        """per_week counts Monday 00:00 to Monday 00:00 in the anchor's zone."""
        cadence = Cadence(text)
        day = anchor.date() + dt.timedelta(weeks=weeks)
        monday = day - dt.timedelta(days=day.weekday())
        start = dt.datetime.combine(monday, dt.time(), anchor.tzinfo)
        end = dt.datetime.combine(monday + dt.timedelta(7), dt.time(), anchor.tzinfo)

        assert len(brute_force(cadence, anchor, start, end)) == cadence.per_week(
            anchor, day
        )

    @given(st.integers(1, 7), anchors, st.integers(1, 400))
    def test_times_a_week(self, times, anchor, weeks):
        """N times a week occurs N times in any week after the anchor's."""
        day = anchor.date() + dt.timedelta(weeks=weeks)

        assert times == Cadence(f"{times} times a week").per_week(anchor, day)

    @settings(deadline=None)
    @given(
        st.sampled_from(CADENCES),
        anchors,
        st.lists(st.integers(0, 90 * 24), min_size=2, max_size=5),
    )
    def test_count_is_additive(self, text, anchor, cuts):
        """Counts over consecutive ranges add up to the count over their union."""
        cadence = Cadence(text)
        moments = [anchor + dt.timedelta(hours=h) for h in sorted(cuts)]
        parts = sum(cadence.count(anchor, a, b) for a, b in itertools.pairwise(moments))

        assert cadence.count(anchor, moments[0], moments[-1]) == parts

    @given(st.sampled_from([*CADENCES, *(text for text, _, _ in PHRASES)]))
    def test_round_trip(self, text):
        """A cadence parses back from its text to an equal cadence."""
        cadence = Cadence(text)

        assert Cadence.parse(str(cadence)) == cadence

    @given(st.sampled_from(CADENCES), anchors)
    def test_count_is_length(self, text, anchor):
        """count is the length of occurrences."""
        cadence = Cadence(text)
        end = anchor + dt.timedelta(days=40)

        assert len(cadence.occurrences(anchor, anchor, end)) == cadence.count(
            anchor, anchor, end
        )


class TestWorkingHours:
    def test_default_days(self):
        """Without days, working hours are Monday to Friday."""
        hours_ = WorkingHours.parse("09:00-17:30")

        assert (frozenset(range(5)), True, False) == (
            hours_.days,
            hours_.is_working_day(dt.date(2026, 1, 9)),
            hours_.is_working_day(dt.date(2026, 1, 10)),
        )

    @pytest.mark.parametrize(
        ("text", "days"),
        [
            ("Mon-Fri 09:00-17:30", {0, 1, 2, 3, 4}),
            ("Sun-Thu 08:00-16:00", {6, 0, 1, 2, 3}),
            ("Fri-Mon 10:00-14:00", {4, 5, 6, 0}),
            ("Mon,Wed 09:00-13:00", {0, 2}),
            ("Mon, Wed, Fri-Sat 09:00-13:00", {0, 2, 4, 5}),
            ("monday-wednesday 09:00-13:00", {0, 1, 2}),
            ("MO-TH 09:00-13:00", {0, 1, 2, 3}),
            ("Tue 9:00-13:00", {1}),
            ("Sat 10:00-12:00; 13:00-15:00", {5}),
            ("Mon-Sun 00:00-24:00", set(range(7))),
            ("Weekends 10:00-14:00", {5, 6}),
            ("Daily 10:00-14:00", set(range(7))),
            ("weekdays 10:00-14:00", {0, 1, 2, 3, 4}),
        ],
    )
    def test_days(self, text, days):
        """Days are names, lists and ranges that may wrap around the week."""
        assert frozenset(days) == WorkingHours(text).days

    def test_intervals_dst(self):
        """Intervals are local: 09:00 London is 09:00 UTC in winter, 08:00 in summer."""
        london = WorkingHours("09:00-17:30")
        utc = dt.timezone.utc

        assert [
            (
                dt.datetime(2026, 1, 14, 9, tzinfo=utc),
                dt.datetime(2026, 1, 14, 17, 30, tzinfo=utc),
            )
        ] == london.intervals(dt.date(2026, 1, 14), LONDON)
        assert [
            (
                dt.datetime(2026, 7, 15, 8, tzinfo=utc),
                dt.datetime(2026, 7, 15, 16, 30, tzinfo=utc),
            )
        ] == london.intervals(dt.date(2026, 7, 15), LONDON)

    def test_no_intervals_on_days_off(self):
        """Days off have no intervals."""
        assert [] == WorkingHours("09:00-17:30").intervals(dt.date(2026, 1, 10), LONDON)

    def test_overnight(self):
        """An end at or before the start is on the next day."""
        night = WorkingHours("Mon-Fri 22:00-06:00")

        assert [(at("2026-01-09", 22), at("2026-01-10", 6))] == night.intervals(
            dt.date(2026, 1, 9), LONDON
        )
        assert not night.is_working_day(dt.date(2026, 1, 10))

    def test_whole_day(self):
        """24:00 ends at the next midnight, and an equal start and end mean 24 hours."""
        for text in ("00:00-24:00", "08:00-08:00"):
            ((start, end),) = WorkingHours(text).intervals(dt.date(2026, 1, 5), LONDON)

            assert hours(24) == end - start

    def test_split_shift(self):
        """Ranges joined by ';' are separate intervals; later ones inherit days."""
        split = WorkingHours("Mon-Fri 09:00-12:00; 13:00-17:00")

        assert [
            (at("2026-01-05", 9), at("2026-01-05", 12)),
            (at("2026-01-05", 13), at("2026-01-05", 17)),
        ] == split.intervals(dt.date(2026, 1, 5), LONDON)
        assert [] == split.intervals(dt.date(2026, 1, 4), LONDON)

    def test_segment_days(self):
        """Each range may have its own days."""
        week = WorkingHours("Mon-Thu 09:00-17:00; Fri 09:00-13:00")

        assert [(at("2026-01-09", 9), at("2026-01-09", 13))] == week.intervals(
            dt.date(2026, 1, 9), LONDON
        )

    def test_spring_forward(self):
        """On the day clocks go forward, an overnight shift is an hour shorter."""
        ((start, end),) = WorkingHours("Sat 22:00-06:00").intervals(
            dt.date(2026, 3, 28), LONDON
        )

        assert hours(7) == end.astimezone(dt.timezone.utc) - start.astimezone(
            dt.timezone.utc
        )

    def test_fall_back_ambiguous_end(self):
        """An end in the repeated hour is its second occurrence."""
        ((start, end),) = WorkingHours("Sat 23:00-01:30").intervals(
            dt.date(2026, 10, 24), LONDON
        )

        assert (
            dt.datetime(2026, 10, 24, 22, tzinfo=dt.timezone.utc),
            dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.timezone.utc),
        ) == (start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc))

    @pytest.mark.parametrize(
        ("start", "end", "covered"),
        [
            (at("2026-01-05", 10), at("2026-01-05", 10, 30), True),
            (at("2026-01-05", 9), at("2026-01-05", 17, 30), True),
            (at("2026-01-05", 8, 30), at("2026-01-05", 9, 30), False),
            (at("2026-01-05", 17), at("2026-01-05", 18), False),
            (at("2026-01-10", 10), at("2026-01-10", 10, 30), False),
            (at("2026-01-05", 1, tz=NEW_YORK), at("2026-01-05", 2, tz=NEW_YORK), False),
            (at("2026-01-05", 5, tz=NEW_YORK), at("2026-01-05", 6, tz=NEW_YORK), True),
        ],
    )
    def test_covers(self, start, end, covered):
        """covers is true when the whole range lies in one working interval."""
        assert covered == WorkingHours("09:00-17:30").covers(start, end, LONDON)

    def test_covers_split_shift(self):
        """A meeting over a split shift's break is not covered; touching ranges join."""
        split = WorkingHours("09:00-12:00; 13:00-17:00")
        touching = WorkingHours("09:00-12:00; 12:00-17:00")
        start, end = at("2026-01-05", 11, 30), at("2026-01-05", 12, 30)

        assert (False, True) == (
            split.covers(start, end, LONDON),
            touching.covers(start, end, LONDON),
        )

    def test_covers_overnight(self):
        """After midnight, the previous day's overnight shift covers."""
        night = WorkingHours("Mon-Fri 22:00-06:00")

        assert night.covers(at("2026-01-10", 2), at("2026-01-10", 3), LONDON)
        assert night.covers(at("2026-01-09", 23, 30), at("2026-01-10", 0, 30), LONDON)
        assert not night.covers(at("2026-01-11", 2), at("2026-01-11", 3), LONDON)

    @pytest.mark.parametrize(
        ("text", "hint"),
        [
            ("Mon-Fry 09:00-17:00", "unknown day 'fry'"),
            ("09:00-25:00", "25:00 is not a time from 00:00 to 24:00"),
            ("24:00-08:00", "24:00 is not a time from 00:00 to 23:59"),
            ("09:60-17:00", "09:60 is not a time from 00:00 to 23:59"),
            ("nine to five", "'nine to five' is not [days] HH:MM-HH:MM"),
            ("09:00-17:00;", "a range is empty"),
            (
                "Mon/Wed 09:00-17:00",
                "'mon/wed' is not a day or a range of days such as Mon-Fri",
            ),
        ],
    )
    def test_invalid(self, text, hint):
        """Invalid working hours fail, saying what was wrong."""
        with pytest.raises(ValueParseError) as e:
            WorkingHours(text)

        assert f"{HOURS_EXPECTED}, got {text!r} ({hint})" == str(e.value)

    def test_equality_and_pickle(self):
        """Working hours are equal when their texts are, case and spacing aside."""
        assert WorkingHours("mon-fri 09:00-17:00") == WorkingHours(
            "Mon-Fri  09:00-17:00"
        )
        assert WorkingHours("09:00-17:00") != WorkingHours("Mon-Fri 09:00-17:00")
        hours_ = WorkingHours("Sun-Thu 08:00-16:00")
        assert hours_ == pickled(hours_)
        assert "Sun-Thu 08:00-16:00" == str(hours_)

    @given(st.integers(0, 1439), st.integers(1, 1440), st.sampled_from(ZONES))
    def test_length(self, start, length, zone):
        """On a day without clock changes an interval lasts from start to end."""
        end = (start + length) % 1440
        text = f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        day = dt.date(2026, 5, 13)
        ((a, b),) = WorkingHours(text).intervals(day, zone)

        assert WorkingHours.parse(str(WorkingHours(text))) == WorkingHours(text)
        assert dt.timedelta(minutes=length) == b.astimezone(
            dt.timezone.utc
        ) - a.astimezone(dt.timezone.utc)


def day_overlap(client, client_tz, vendor, vendor_tz, day):
    return overlap(
        WorkingHours(client).intervals(day, client_tz),
        WorkingHours(vendor).intervals(day, vendor_tz),
    )


class TestOverlap:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [(dt.date(2026, 1, 14), hours(0)), (dt.date(2026, 7, 15), hours(1))],
    )
    def test_london_manila(self, day, expected):
        """London 09:00-17:30 and Manila 08:00-17:00 overlap only in British summer."""
        assert expected == day_overlap(
            "09:00-17:30", LONDON, "08:00-17:00", MANILA, day
        )

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2026, 1, 14), 3.5),
            (dt.date(2026, 3, 6), 3.5),
            (dt.date(2026, 3, 9), 4.5),  # New York has moved its clocks, London not
            (dt.date(2026, 3, 27), 4.5),
            (dt.date(2026, 3, 30), 3.5),
            (dt.date(2026, 7, 15), 3.5),
            (dt.date(2026, 10, 23), 3.5),
            (
                dt.date(2026, 10, 26),
                4.5,
            ),  # London has moved its clocks back, New York not
            (dt.date(2026, 10, 30), 4.5),
            (dt.date(2026, 11, 2), 3.5),
        ],
    )
    def test_london_new_york(self, day, expected):
        """London and New York overlap an hour longer while their DST dates differ."""
        assert hours(expected) == day_overlap(
            "09:00-17:30", LONDON, "09:00-17:00", NEW_YORK, day
        )

    def test_split_and_overnight(self):
        """Split shifts and overnight shifts overlap where they really meet."""
        assert hours(4) == day_overlap(
            "09:00-12:00; 13:00-17:00",
            LONDON,
            "Mon-Fri 20:00-04:00",
            MANILA,
            dt.date(2026, 1, 14),
        )

    def test_within_one_set(self):
        """Overlapping intervals within one set count once."""
        a = [
            (at("2026-01-05", 9), at("2026-01-05", 12)),
            (at("2026-01-05", 11), at("2026-01-05", 14)),
        ]
        b = [(at("2026-01-05", 8), at("2026-01-05", 18))]

        assert hours(5) == overlap(a, b)

    def test_empty(self):
        """Nothing overlaps with nothing."""
        assert hours(0) == overlap([], [(at("2026-01-05", 9), at("2026-01-05", 12))])

    @given(
        st.lists(st.tuples(st.integers(0, 48), st.integers(1, 12)), max_size=4),
        st.lists(st.tuples(st.integers(0, 48), st.integers(1, 12)), max_size=4),
    )
    def test_symmetric(self, a, b):
        """Overlap is symmetric and never longer than either set."""
        origin = at("2026-01-05")

        def intervals(spans):
            return [(origin + hours(s), origin + hours(s + n)) for s, n in spans]

        total = overlap(intervals(a), intervals(b))

        assert overlap(intervals(b), intervals(a)) == total
        assert total <= overlap(intervals(a), intervals(a))
