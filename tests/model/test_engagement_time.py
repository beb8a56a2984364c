"""Tests for the engagement's time methods: dates in the client's zone, check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit.engine import Context, rule
from outsourcekit.model import (
    Agreement,
    AgreementKind,
    Cadence,
    CheckIn,
    CommunicationPlan,
    Engagement,
    Party,
    Side,
    TimeZone,
)

AS_OF = dt.date(2026, 11, 22)
SYDNEY = TimeZone.parse("Australia/Sydney")
ZONES = ["UTC", "Australia/Sydney", "America/New_York", "Asia/Manila", "-03:30"]


@rule(
    code="TST001",
    slug="nothing",
    title="Nothing",
    category="clarity",
    severity="info",
    fix="Nothing to fix.",
)
def nothing(engagement, ctx):
    """Find nothing: a rule to build a context with."""
    del engagement, ctx
    yield from ()


def engagement(tz=None, *, start=None, check_ins=None, logged=()):
    """An engagement with the client's zone, a start, planned and logged check-ins."""
    return Engagement(
        id="a",
        start=start,
        client=None if tz is None else Party(timezone=TimeZone.parse(tz)),
        communication=None
        if check_ins is None
        else CommunicationPlan(check_ins=Cadence.parse(check_ins)),
        check_ins=[CheckIn(at=at) for at in logged],
    )


def moments():
    """Dates, naive date-times and date-times with an offset, around AS_OF."""
    days = st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    naive = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 31))
    aware = st.datetimes(
        dt.datetime(2026, 1, 1),
        dt.datetime(2027, 12, 31),
        timezones=st.sampled_from([dt.timezone.utc, SYDNEY.tzinfo]),
    )
    return st.one_of(days, naive, aware)


class TestZone:
    def test_utc_when_unknown(self):
        """Without a client's time zone, dates are read in UTC."""
        assert "UTC" == engagement().local_timezone.name

    def test_client_zone(self):
        """With one, the client's time zone reads every date."""
        assert SYDNEY == engagement("Australia/Sydney").local_timezone

    def test_at_midnight(self):
        """00:00 of a day is in the client's zone."""
        expected = dt.datetime(2026, 3, 1, tzinfo=SYDNEY.tzinfo)

        assert expected == engagement("Australia/Sydney").at_midnight(
            dt.date(2026, 3, 1)
        )

    def test_local_date(self):
        """A date-time with an offset falls on the client's calendar date."""
        at = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.timezone.utc)

        assert dt.date(2026, 3, 2) == engagement("Australia/Sydney").local_date(at)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (dt.date(2026, 11, 22), True),
            (dt.date(2026, 11, 23), False),
            (dt.datetime(2026, 11, 22, 0, 0), True),
            (dt.datetime(2026, 11, 22, 0, 1), False),
            (dt.datetime(2026, 11, 21, 13, 0, tzinfo=dt.timezone.utc), True),
            (dt.datetime(2026, 11, 21, 13, 1, tzinfo=dt.timezone.utc), False),
        ],
    )
    def test_is_known(self, value, expected):
        """A fact is known on as_of, or up to its 00:00 in the client's zone."""
        assert expected == engagement("Australia/Sydney").is_known(value, AS_OF)

    def test_cadence_anchor(self):
        """Cadences start at 00:00 of start, else of as_of."""
        started = engagement("UTC", start=dt.date(2026, 1, 5))

        assert (dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), AS_OF) == (
            started.cadence_anchor(AS_OF),
            engagement("UTC").cadence_anchor(AS_OF).date(),
        )


class TestSameAsContext:
    @given(tz=st.sampled_from([None, *ZONES]), value=moments())
    def test_helpers(self, tz, value):
        """The model reads dates as the context rules run in does."""
        eng = engagement(tz, start=dt.date(2026, 2, 3))
        ctx = Context(rule=nothing, as_of=AS_OF)

        assert (
            ctx.timezone(eng),
            ctx.moment(value, eng),
            ctx.local_date(value, eng),
            ctx.happened(value, eng),
            ctx.anchor(eng),
            ctx.as_of_datetime(eng),
        ) == (
            eng.local_timezone,
            eng.moment(value),
            eng.local_date(value),
            eng.is_known(value, AS_OF),
            eng.cadence_anchor(AS_OF),
            eng.at_midnight(AS_OF),
        )


class TestPlannedCheckIns:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [("daily", 7), ("weekdays", 5), ("twice a week", 2), ("weekly", 1)],
    )
    def test_full_week(self, text, expected):
        """A week after the start counts the cadence's events of that ISO week."""
        eng = engagement("Asia/Manila", start=dt.date(2026, 11, 2), check_ins=text)

        assert expected == eng.planned_check_ins(dt.date(2026, 11, 18), as_of=AS_OF)

    def test_from_start(self):
        """Events before the start do not exist: a week counts from the start on."""
        eng = engagement(start=dt.date(2026, 11, 19), check_ins="daily")

        assert 4 == eng.planned_check_ins(dt.date(2026, 11, 16))

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "daily",
                        "DAILY",
                        "weekdays",
                        "3 times a week",
                        "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",
                        "every 2 weeks",
                    ]
                ),
                st.sampled_from([None, *ZONES]),
                st.none() | st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
                st.dates(dt.date(2026, 10, 1), dt.date(2027, 1, 31)),
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_remembered_counts_are_each_engagements_own(self, cases):
        """Counts remembered for one engagement never answer for another.

        Each is what the cadence gives at the engagement's own anchor, whatever
        was asked before: engagements that share a cadence's events but not its
        start, zone, week or text get their own count.
        """
        for text, tz, start, week_of in cases:
            eng = engagement(tz, start=start, check_ins=text)
            anchor = eng.cadence_anchor(AS_OF)
            expected = Cadence.parse(text).per_week(anchor, week_of)

            assert expected == eng.planned_check_ins(week_of, as_of=AS_OF)

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["daily", "weekdays", "FREQ=DAILY;BYHOUR=23"]),
                st.sampled_from(
                    [None, "Asia/Manila", "asia/manila", "+08:00", "Pacific/Kiritimati"]
                ),
                st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
                st.dates(dt.date(2026, 10, 1), dt.date(2027, 1, 31)),
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_remembered_counts_follow_as_of_and_zone(self, cases):
        """A remembered count answers only for the same as_of, week and zone text.

        Without a start the cadence starts at as_of, so each as_of has its own
        count; zones written differently (``asia/manila``, ``+08:00``) are
        remembered apart, and each count is the one computed afresh.
        """
        for text, tz, as_of, week_of in cases:
            eng = engagement(tz, check_ins=text)
            anchor = eng.cadence_anchor(as_of)
            expected = Cadence.parse(text).per_week(anchor, week_of)

            assert expected == eng.planned_check_ins(week_of, as_of=as_of)

    def test_remembered_counts_are_bounded(self, monkeypatch):
        """The remembered counts are let go once there are too many."""
        from outsourcekit.model import _engagement

        monkeypatch.setattr(_engagement, "_PLANNED_LIMIT", 8)
        monkeypatch.setattr(_engagement, "_PLANNED", {})
        eng = engagement(check_ins="daily", start=dt.date(2026, 1, 5))
        weeks = [dt.date(2026, 1, 5) + dt.timedelta(weeks=k) for k in range(20)]

        assert [7] * 20 == [eng.planned_check_ins(week) for week in weeks]
        assert 0 < len(_engagement._PLANNED) <= 8

    def test_none_planned(self):
        """Without planned check-ins the count is None."""
        assert engagement(start=dt.date(2026, 1, 5)).planned_check_ins(AS_OF) is None

    def test_cadence(self):
        """check_in_cadence is communication.check_ins."""
        assert (
            Cadence.parse("weekly") == engagement(check_ins="weekly").check_in_cadence
        )

    @pytest.mark.parametrize(
        ("start", "expected"),
        [(None, AS_OF), (dt.date(2026, 1, 5), AS_OF), (dt.date(2026, 12, 2), None)],
    )
    def test_plan_start(self, start, expected):
        """A plan is looked at from as_of, or from a later start."""
        assert (expected or start) == engagement(start=start).plan_start(AS_OF)


class TestCheckInsByWeek:
    def test_weeks(self):
        """Logged check-ins count by ISO week, keyed by the week's Monday."""
        logged = [
            dt.date(2026, 11, 9),
            dt.datetime(2026, 11, 13, 9),
            dt.datetime(2026, 11, 16, 9),
        ]

        assert {dt.date(2026, 11, 9): 2, dt.date(2026, 11, 16): 1} == engagement(
            "UTC", logged=logged
        ).check_ins_by_week(AS_OF)

    def test_client_zone(self):
        """A Sunday evening in UTC is Monday in Sydney: the next week."""
        at = dt.datetime(2026, 11, 15, 20, tzinfo=dt.timezone.utc)

        assert {dt.date(2026, 11, 16): 1} == engagement(
            "Australia/Sydney", logged=[at]
        ).check_ins_by_week(AS_OF)

    def test_client_only(self):
        """Only check-ins the client called count when asked: by client, or no by."""
        eng = Engagement(
            id="a",
            check_ins=[
                CheckIn(at=dt.date(2026, 11, 9), by=Side.CLIENT),
                CheckIn(at=dt.date(2026, 11, 10), by=Side.VENDOR),
                CheckIn(at=dt.date(2026, 11, 11)),
            ],
        )

        assert ({dt.date(2026, 11, 9): 3}, {dt.date(2026, 11, 9): 2}) == (
            eng.check_ins_by_week(AS_OF),
            eng.check_ins_by_week(AS_OF, client_only=True),
        )

    def test_later_left_out(self):
        """Check-ins after as_of are not known yet."""
        logged = [dt.date(2026, 11, 23), dt.datetime(2026, 11, 22, 9)]

        assert {} == engagement("UTC", logged=logged).check_ins_by_week(AS_OF)

    @given(tz=st.sampled_from([None, *ZONES]), logged=st.lists(moments(), max_size=8))
    def test_as_known_in_local_weeks(self, tz, logged):
        """Each known check-in counts in the week of its date in the client's zone."""
        eng = engagement(tz, logged=logged)
        expected: dict[dt.date, int] = {}
        for at in logged:
            if eng.is_known(at, AS_OF):
                day = eng.local_date(at)
                monday = day - dt.timedelta(days=day.weekday())
                expected[monday] = expected.get(monday, 0) + 1

        assert sorted(expected.items()) == list(eng.check_ins_by_week(AS_OF).items())


class TestSignedNdas:
    @pytest.mark.parametrize(
        ("agreement", "as_of", "expected"),
        [
            (Agreement(kind=AgreementKind.NDA, signed_on=AS_OF), None, True),
            (Agreement(kind=AgreementKind.NDA, signed_on=AS_OF), AS_OF, True),
            (
                Agreement(kind=AgreementKind.NDA, signed_on=dt.date(2026, 12, 1)),
                AS_OF,
                False,
            ),
            (Agreement(kind=AgreementKind.NDA), None, False),
            (
                Agreement(
                    kind=AgreementKind.MSA, signed_on=AS_OF, confidentiality=True
                ),
                AS_OF,
                True,
            ),
            (Agreement(kind=AgreementKind.MSA, signed_on=AS_OF), AS_OF, False),
        ],
    )
    def test_signed(self, agreement, as_of, expected):
        """An NDA, or an MSA or contract with confidentiality terms, once signed."""
        eng = Engagement(id="a", agreements=[agreement])

        assert ((agreement,) if expected else ()) == eng.signed_ndas(as_of)
