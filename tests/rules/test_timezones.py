"""Tests for the time-zone rules (OSK501-OSK503)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from outsourcekit.builtin.rules.timezones import (
    meeting_outside_hours,
    no_working_overlap,
    unknown_working_hours,
)
from outsourcekit.model import (
    Cadence,
    CommunicationPlan,
    Duration,
    Engagement,
    Party,
    Status,
    TimeZone,
    Vendor,
    WorkingHours,
    overlap,
)
from outsourcekit.testing import run_rule
from strategies import edge_days as edge_days_strategy

AS_OF = dt.date(2026, 11, 22)  # a Sunday
LONDON = TimeZone.parse("Europe/London")


def client(
    hours: str | None = "09:00-17:30", tz: str | None = "Europe/London"
) -> Party:
    return Party(
        name="Acme Ltd",
        timezone=None if tz is None else TimeZone.parse(tz),
        working_hours=None if hours is None else WorkingHours.parse(hours),
    )


def vendor(hours: str | None = "08:00-17:00", tz: str | None = "Asia/Manila") -> Vendor:
    return Vendor(
        name="LedgerPros",
        timezone=None if tz is None else TimeZone.parse(tz),
        working_hours=None if hours is None else WorkingHours.parse(hours),
    )


def engagement(**kwargs: object) -> Engagement:
    """An active engagement of Acme Ltd with LedgerPros, with *kwargs* set."""
    base: dict[str, object] = {
        "id": "acme-bookkeeping",
        "status": Status.ACTIVE,
        "client": client(),
        "vendor": vendor(),
    }
    base.update(kwargs)
    return Engagement(**base)


def overlap_hours(eng: Engagement, as_of: dt.date) -> float:
    """The overlap OSK501 measures, read from a finding forced by a huge minimum."""
    (f,) = run_rule(
        no_working_overlap, eng, as_of=as_of, options={"min-overlap": "24h"}
    )
    return f.evidence["overlap_hours"]


def _as_of(block: str) -> dt.date:
    m = re.match(r"# as_of: (\d{4}-\d{2}-\d{2})", block)
    return dt.date.fromisoformat(m.group(1)) if m else AS_OF


class TestOSK501:
    def test_london_manila(self):
        """London office hours and Manila office hours do not overlap at all."""
        (f,) = run_rule(no_working_overlap, engagement(), as_of=AS_OF)

        assert ("OSK501", "vendor.working_hours") == (f.rule, f.path)
        assert (
            "Vendor LedgerPros works 08:00-17:00 Asia/Manila; overlap with Acme Ltd "
            "(09:00-17:30 Europe/London) on 2026-11-23 is 0h, below the 2h minimum"
            == f.message
        )
        assert {
            "date": dt.date(2026, 11, 23),
            "overlap_hours": 0.0,
            "min_overlap_hours": 2.0,
            "client_working_hours": "09:00-17:30",
            "client_timezone": "Europe/London",
            "vendor_working_hours": "08:00-17:00",
            "vendor_timezone": "Asia/Manila",
        } == f.evidence

    def test_shifted_vendor_passes(self):
        """A vendor working a late shift in Manila overlaps London by 6h."""
        eng = engagement(vendor=vendor("14:00-23:00"))

        assert [] == run_rule(no_working_overlap, eng, as_of=AS_OF)
        assert 6.0 == overlap_hours(eng, AS_OF)

    def test_boundary(self):
        """Exactly 2h of overlap does not fire; one minute less does."""
        at_limit = engagement(vendor=vendor("08:00-19:00"))
        below = engagement(vendor=vendor("08:00-18:59"))

        assert [] == run_rule(no_working_overlap, at_limit, as_of=AS_OF)
        (f,) = run_rule(no_working_overlap, below, as_of=AS_OF)
        assert "is 1h59m, below the 2h minimum" in f.message

    def test_daylight_saving_changes_the_verdict(self):
        """London's summer time moves it an hour closer to Manila, which has none."""
        eng = engagement(vendor=vendor("08:00-18:00"))
        january = dt.date(2026, 1, 12)
        july = dt.date(2026, 7, 13)

        (f,) = run_rule(no_working_overlap, eng, as_of=january)
        assert (1.0, january) == (f.evidence["overlap_hours"], f.evidence["date"])
        assert [] == run_rule(no_working_overlap, eng, as_of=july)
        assert 2.0 == overlap_hours(eng, july)

    def test_london_new_york(self):
        """London and New York overlap 3h30m in January and July, 4h30m in mid-March."""
        eng = engagement(vendor=vendor("09:00-17:00", "America/New_York"))

        assert (3.5, 3.5, 4.5) == (
            overlap_hours(eng, dt.date(2026, 1, 12)),
            overlap_hours(eng, dt.date(2026, 7, 13)),
            overlap_hours(eng, dt.date(2026, 3, 16)),
        )
        assert [] == run_rule(no_working_overlap, eng, as_of=dt.date(2026, 1, 12))

    @pytest.mark.parametrize("minimum", ["4h", "240m", "PT4H", "3h31m", "4 hours"])
    def test_option(self, minimum):
        """min-overlap is a duration; a longer one makes New York fire."""
        eng = engagement(vendor=vendor("09:00-17:00", "America/New_York"))

        (f,) = run_rule(
            no_working_overlap,
            eng,
            as_of=dt.date(2026, 1, 12),
            options={"min-overlap": minimum},
        )

        wanted = 3.0 + 31 / 60 if minimum == "3h31m" else 4.0
        shown = "3h31m" if minimum == "3h31m" else "4h"
        assert f.message.endswith(f"is 3h30m, below the {shown} minimum")
        assert wanted == f.evidence["min_overlap_hours"]

    @pytest.mark.parametrize(
        ("minimum", "shown"),
        [
            ("3h30m1s", "3h30m01s"),
            ("PT3H30M0.5S", "3h30m00.5s"),
            ("12631s", "3h30m31s"),
        ],
    )
    def test_minimum_with_seconds(self, minimum, shown):
        """A minimum a few seconds above the overlap is shown with its seconds."""
        eng = engagement(vendor=vendor("09:00-17:00", "America/New_York"))

        (f,) = run_rule(
            no_working_overlap,
            eng,
            as_of=dt.date(2026, 1, 12),
            options={"min-overlap": minimum},
        )

        assert f.message.endswith(f"is 3h30m, below the {shown} minimum")

    @pytest.mark.parametrize(
        "minimum", ["3h30m", "210m", "PT3H30M", "3.5h", dt.timedelta(hours=3.5)]
    )
    def test_option_reached(self, minimum):
        """An overlap of exactly min-overlap, however it is written, does not fire."""
        eng = engagement(vendor=vendor("09:00-17:00", "America/New_York"))

        assert [] == run_rule(
            no_working_overlap,
            eng,
            as_of=dt.date(2026, 1, 12),
            options={"min-overlap": minimum},
        )

    def test_default_is_two_hours(self):
        """The default minimum is 2h, a duration, shown as configuration writes it."""
        option = no_working_overlap.options["min-overlap"]

        assert dt.timedelta(hours=2) == option.default
        assert '\n  min-overlap = "2h"  (' in no_working_overlap.explain()

    @pytest.mark.parametrize(
        ("value", "problem"),
        [
            (2, "got 2 that is a whole number; a number needs a unit"),
            (1.5, "got 1.5 that is a number; a number needs a unit"),
            ("2", "got '2'; a number needs a unit"),
            (
                "2 business days",
                (
                    "got '2 business days'; business days are no fixed length of "
                    "time: use hours, days or weeks"
                ),
            ),
            ("soon", "got 'soon'"),
        ],
    )
    def test_option_not_a_duration(self, value, problem):
        """A number, business days or other text is no min-overlap."""
        with pytest.raises(ValueError, match=r"^option 'min-overlap' must be ") as info:
            run_rule(
                no_working_overlap,
                engagement(),
                as_of=AS_OF,
                options={"min-overlap": value},
            )

        assert (
            "option 'min-overlap' must be a duration such as 2h, 90m or PT1H30M "
            f"({problem})"
        ) == str(info.value)

    def test_option_not_negative(self):
        """A negative timedelta given from Python is refused."""
        with pytest.raises(ValueError, match=r"^option 'min-overlap' must be ") as info:
            run_rule(
                no_working_overlap,
                engagement(),
                as_of=AS_OF,
                options={"min-overlap": dt.timedelta(minutes=-30)},
            )

        assert "option 'min-overlap' must be at least 0h (got -30m)" == str(info.value)

    def test_first_common_working_day(self):
        """The day judged is the first on or after as_of on which both parties work."""
        eng = engagement(
            client=client("Sun-Thu 09:00-17:30"), vendor=vendor("Fri-Sat 08:00-17:00")
        )
        friday = engagement(vendor=vendor("Thu,Fri 08:00-17:00"))

        (f,) = run_rule(no_working_overlap, friday, as_of=AS_OF)
        assert dt.date(2026, 11, 26) == f.evidence["date"]
        (g,) = run_rule(no_working_overlap, eng, as_of=AS_OF)
        assert None is g.evidence["date"]
        assert g.message.endswith(
            "is 0h, as no day in the 14 days from 2026-11-22 is a working day for "
            "both, below the 2h minimum"
        )

    def test_as_of_on_a_working_day(self):
        """When as_of itself is a working day for both, that day is judged."""
        (f,) = run_rule(no_working_overlap, engagement(), as_of=dt.date(2026, 11, 25))

        assert dt.date(2026, 11, 25) == f.evidence["date"]

    @pytest.mark.parametrize(
        "eng",
        [
            engagement(vendor=vendor(hours=None)),
            engagement(vendor=vendor(tz=None)),
            engagement(client=client(hours=None)),
            engagement(client=client(tz=None)),
            engagement(vendor=None),
            engagement(client=None),
        ],
    )
    def test_unknown_facts(self, eng):
        """Without both parties' hours and zones the rule is silent."""
        assert [] == run_rule(no_working_overlap, eng, as_of=AS_OF)

    def test_ended(self):
        """An ended engagement has no working days ahead to judge."""
        eng = engagement(status=Status.ENDED)

        assert [] == run_rule(no_working_overlap, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Status.PAUSED},
            {"status": Status.PROPOSED},
            {"status": None, "start": dt.date(2026, 12, 1)},
        ],
    )
    def test_only_active_engagements(self, fields):
        """Paused, proposed and not yet started engagements are not judged."""
        assert [] == run_rule(no_working_overlap, engagement(**fields), as_of=AS_OF)

    def test_active_without_status(self):
        """Without a status, an engagement started by as_of is active and judged."""
        eng = engagement(status=None, start=dt.date(2026, 1, 5))

        assert ["OSK501"] == [
            f.rule for f in run_rule(no_working_overlap, eng, as_of=AS_OF)
        ]

    def test_unnamed_parties(self):
        """Parties without names are called the vendor and the client."""
        eng = engagement(
            client=Party(
                timezone=TimeZone.parse("Europe/London"),
                working_hours=WorkingHours.parse("09:00-17:30"),
            ),
            vendor=Vendor(
                timezone=TimeZone.parse("Asia/Manila"),
                working_hours=WorkingHours.parse("08:00-17:00"),
            ),
        )

        (f,) = run_rule(no_working_overlap, eng, as_of=AS_OF)

        assert f.message.startswith(
            "The vendor works 08:00-17:00 Asia/Manila; overlap with the client "
        )

    @given(
        start=st.integers(0, 23),
        length=st.integers(1, 12),
        minimum=st.integers(0, 9),
    )
    def test_fires_iff_below_minimum(self, start, length, minimum):
        """Against a client working all day in UTC the overlap is the vendor shift."""
        eng = engagement(
            client=client("00:00-23:59", "UTC"),
            vendor=vendor(f"{start:02d}:00-{(start + length) % 24:02d}:00", "UTC"),
        )
        shared = min(length * 60, 23 * 60 + 59 - start * 60) / 60

        fired = run_rule(
            no_working_overlap, eng, as_of=AS_OF, options={"min-overlap": f"{minimum}h"}
        )

        assert (shared < minimum) == bool(fired)


class TestOSK502:
    def test_vendor_hours_unknown_across_zones(self):
        """Unknown vendor hours fire when the parties' offsets differ."""
        (f,) = run_rule(
            unknown_working_hours, engagement(vendor=vendor(hours=None)), as_of=AS_OF
        )

        assert ("OSK502", "vendor.working_hours") == (f.rule, f.path)
        assert (
            "The working hours of LedgerPros are unknown, and LedgerPros is at "
            "UTC+08:00 (Asia/Manila) while Acme Ltd is at UTC+00:00 (Europe/London) "
            "on 2026-11-22" == f.message
        )
        assert {
            "parties": ("vendor",),
            "client_timezone": "Europe/London",
            "vendor_timezone": "Asia/Manila",
            "client_utc_offset": "UTC+00:00",
            "vendor_utc_offset": "UTC+08:00",
        } == f.evidence

    def test_both_unknown(self):
        """One finding names both parties, at the client's working hours."""
        eng = engagement(client=client(hours=None), vendor=vendor(hours=None))

        (f,) = run_rule(unknown_working_hours, eng, as_of=AS_OF)

        assert "client.working_hours" == f.path
        assert f.message.startswith(
            "The working hours of Acme Ltd and of LedgerPros are unknown, and "
        )
        assert ("client", "vendor") == f.evidence["parties"]

    def test_client_unknown(self):
        """Only the client's hours unknown: the finding is at the client's."""
        eng = engagement(client=client(hours=None))

        (f,) = run_rule(unknown_working_hours, eng, as_of=AS_OF)

        assert ("client.working_hours", ("client",)) == (f.path, f.evidence["parties"])

    @pytest.mark.parametrize("status", [Status.ENDED, Status.PROPOSED, Status.PAUSED])
    def test_holds_whatever_the_lifecycle(self, status):
        """The rule is not one of the time-based rules: any status is judged."""
        eng = engagement(status=status, vendor=vendor(hours=None))

        assert ["OSK502"] == [
            f.rule for f in run_rule(unknown_working_hours, eng, as_of=AS_OF)
        ]

    def test_unknown_time_zone(self):
        """An unknown time zone makes unknown hours a finding too."""
        eng = engagement(vendor=vendor(hours=None, tz=None))

        (f,) = run_rule(unknown_working_hours, eng, as_of=AS_OF)

        assert (
            "The working hours of LedgerPros are unknown, and so is the time zone of "
            "LedgerPros" == f.message
        )
        assert {
            "parties": ("vendor",),
            "client_timezone": "Europe/London",
            "vendor_timezone": None,
        } == f.evidence

    def test_bare_engagement(self):
        """An engagement without parties is missing both hours and both zones."""
        findings = run_rule(unknown_working_hours, Engagement(id="x"), as_of=AS_OF)

        assert [
            (
                "The working hours of the client and of the vendor are unknown, and "
                "so is the time zone of the client and of the vendor"
            )
        ] == [f.message for f in findings]

    def test_same_offset(self):
        """Parties on the same clock need no working hours to meet."""
        eng = engagement(vendor=vendor(hours=None, tz="Europe/Lisbon"))

        assert [] == run_rule(unknown_working_hours, eng, as_of=AS_OF)

    def test_daylight_saving(self):
        """A fixed +00:00 vendor shares London's clock in winter but not in summer."""
        eng = engagement(vendor=vendor(hours=None, tz="+00:00"))

        assert [] == run_rule(unknown_working_hours, eng, as_of=dt.date(2026, 1, 12))
        (f,) = run_rule(unknown_working_hours, eng, as_of=dt.date(2026, 7, 13))
        assert ("UTC+01:00", "UTC+00:00") == (
            f.evidence["client_utc_offset"],
            f.evidence["vendor_utc_offset"],
        )

    def test_hours_known(self):
        """Known hours on both sides pass, whatever the zones."""
        for eng in (engagement(), engagement(client=client(tz=None))):
            assert [] == run_rule(unknown_working_hours, eng, as_of=AS_OF)


def checking_in(rule: str, length: str | None = None, **kwargs: object) -> Engagement:
    plan = CommunicationPlan(
        check_ins=Cadence.parse(rule),
        check_in_length=None if length is None else Duration.parse(length),
    )
    base: dict[str, object] = {"vendor": vendor("12:00-21:00"), "communication": plan}
    base.update(kwargs)
    return engagement(**base)


class TestOSK503:
    def test_after_the_vendors_day(self):
        """A 15:00 London check-in is 23:00 in Manila, after the vendor's day."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=15")

        (f,) = run_rule(meeting_outside_hours, eng, as_of=AS_OF)

        assert ("OSK503", "communication.check_ins") == (f.rule, f.path)
        assert (
            "The check-in of 2026-11-23 15:00 Europe/London (30m) falls outside the "
            "working hours of LedgerPros (12:00-21:00 Asia/Manila); 4 of the 4 "
            "check-ins in the 28 days from 2026-11-22 do" == f.message
        )
        assert {
            "first": dt.datetime(2026, 11, 23, 15, 0, tzinfo=LONDON.tzinfo),
            "outside": 4,
            "occurrences": 4,
            "parties": ("vendor",),
            "length_minutes": 30,
        } == f.evidence

    @pytest.mark.parametrize(
        ("length", "shown"),
        [("PT30M30S", "30m30s"), ("45s", "45s"), ("PT1H0.25S", "1h00m00.25s")],
    )
    def test_length_with_seconds(self, length, shown):
        """A check-in length with seconds is shown with them."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=15", length)

        (f,) = run_rule(meeting_outside_hours, eng, as_of=AS_OF)

        assert f"The check-in of 2026-11-23 15:00 Europe/London ({shown}) " in f.message

    def test_inside_both(self):
        """10:00 in London is 18:00 in Manila: inside both working days."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=10")

        assert [] == run_rule(meeting_outside_hours, eng, as_of=AS_OF)

    def test_before_the_clients_day(self):
        """An 08:00 check-in is before the client's day."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=TU;BYHOUR=8")

        (f,) = run_rule(meeting_outside_hours, eng, as_of=AS_OF)

        assert ("client",) == f.evidence["parties"]
        assert "outside the working hours of Acme Ltd (09:00-17:30 Europe/London);" in (
            f.message
        )

    def test_weekend_is_outside_both(self):
        """Working days count: a Saturday check-in is outside both parties' week."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO,SA;BYHOUR=10")

        (f,) = run_rule(meeting_outside_hours, eng, as_of=AS_OF)

        assert (dt.date(2026, 11, 28), ("client", "vendor"), 4, 8) == (
            f.evidence["first"].date(),
            f.evidence["parties"],
            f.evidence["outside"],
            f.evidence["occurrences"],
        )
        assert (
            "outside the working hours of Acme Ltd (09:00-17:30 Europe/London) and "
            "of LedgerPros (12:00-21:00 Asia/Manila); 4 of the 8" in f.message
        )

    def test_length_boundary(self):
        """A check-in ending exactly at the vendor's 21:00 fits; a longer one not."""
        fits = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=12", "60m")
        overruns = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=12", "61m")

        assert [] == run_rule(meeting_outside_hours, fits, as_of=AS_OF)
        (f,) = run_rule(meeting_outside_hours, overruns, as_of=AS_OF)
        assert 61 == f.evidence["length_minutes"]

    def test_default_length(self):
        """Without a length a check-in lasts 30 minutes."""
        fits = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=30")
        overruns = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=31")

        assert [] == run_rule(meeting_outside_hours, fits, as_of=AS_OF)
        assert 1 == len(run_rule(meeting_outside_hours, overruns, as_of=AS_OF))

    def test_window(self):
        """Only check-ins in the 28 days from as_of count."""
        eng = checking_in(
            "FREQ=MONTHLY;BYMONTHDAY=18;BYHOUR=15", start=dt.date(2026, 1, 5)
        )

        (f,) = run_rule(meeting_outside_hours, eng, as_of=AS_OF)
        assert dt.date(2026, 12, 18) == f.evidence["first"].date()
        assert [] == run_rule(meeting_outside_hours, eng, as_of=dt.date(2026, 12, 19))

    def test_meeting_across_a_clock_change(self):
        """A meeting spanning New York's spring-forward ends an hour later there."""
        eng = checking_in(
            "FREQ=WEEKLY;BYDAY=SU;BYHOUR=6;BYMINUTE=30",
            "60m",
            client=client("Sun 06:00-12:00"),
            vendor=vendor("Sun 00:00-03:00", "America/New_York"),
        )

        (f,) = run_rule(meeting_outside_hours, eng, as_of=dt.date(2026, 3, 1))

        assert (dt.date(2026, 3, 8), 3, 4) == (
            f.evidence["first"].date(),
            f.evidence["outside"],
            f.evidence["occurrences"],
        )

    def test_without_time_of_day(self):
        """A cadence without BYHOUR has no time to judge."""
        eng = checking_in("weekly")

        assert [] == run_rule(meeting_outside_hours, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        "parties",
        [
            {"vendor": vendor(hours=None)},
            {"vendor": vendor(tz=None)},
            {"client": client(hours=None)},
            {"client": client(tz=None)},
        ],
    )
    def test_unknown_facts(self, parties):
        """Without both parties' hours and zones the rule is silent."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=15", **parties)

        assert [] == run_rule(meeting_outside_hours, eng, as_of=AS_OF)

    def test_no_check_ins(self):
        """Without planned check-ins there is nothing to judge."""
        assert [] == run_rule(meeting_outside_hours, engagement(), as_of=AS_OF)

    def test_ended(self):
        """An ended engagement has no meetings ahead."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=15", status=Status.ENDED)

        assert [] == run_rule(meeting_outside_hours, eng, as_of=AS_OF)

    @pytest.mark.parametrize("status", [Status.PAUSED, Status.PROPOSED])
    def test_only_active_engagements(self, status):
        """A paused or proposed engagement holds no meetings to judge."""
        eng = checking_in("FREQ=WEEKLY;BYDAY=MO;BYHOUR=15", status=status)

        assert [] == run_rule(meeting_outside_hours, eng, as_of=AS_OF)

    @given(
        as_of=st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        meeting=st.tuples(
            st.integers(0, 23),
            st.sampled_from(["MO", "MO,WE,FR", "MO,TU,WE,TH,FR,SA,SU", "SU"]),
            st.integers(1, 240),
        ),
        party=st.tuples(
            st.sampled_from(["08:00-17:00", "Sun-Thu 22:00-06:00", "00:00-02:00"]),
            st.sampled_from(["America/New_York", "Australia/Sydney", "+05:30"]),
        ),
    )
    def test_counts_what_covers_rejects(self, as_of, meeting, party):
        """The count is that of occurrences either party's hours do not cover."""
        hour, days, minutes = meeting
        eng = checking_in(
            f"FREQ=WEEKLY;BYDAY={days};BYHOUR={hour}",
            f"{minutes}m",
            vendor=vendor(*party),
        )
        start = dt.datetime.combine(as_of, dt.time(), LONDON.tzinfo)
        end = dt.datetime.combine(as_of + dt.timedelta(28), dt.time(), LONDON.tzinfo)
        anchor = start
        length = dt.timedelta(minutes=minutes)
        parties = [eng.client, eng.vendor]
        expected = [
            b
            for b in eng.communication.check_ins.occurrences(anchor, start, end)
            if not all(
                p.working_hours.covers(b, b + length, p.timezone) for p in parties
            )
        ]

        findings = run_rule(meeting_outside_hours, eng, as_of=as_of)

        assert len(expected) == sum(f.evidence["outside"] for f in findings)
        if expected:
            assert expected[0] == findings[0].evidence["first"]


edge_days = edge_days_strategy(dt.date(2999, 12, 3))
zone_texts = st.sampled_from(
    [
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "America/Santiago",
        "Asia/Manila",
        "Asia/Kolkata",
        "+05:45",
        "UTC",
    ]
)
hours_texts = st.sampled_from(
    [
        "09:00-17:30",
        "Mon-Fri 08:00-17:00",
        "Mon-Sat 18:30-03:30",
        "Sun-Thu 22:00-06:00",
        "Mon-Fri 07:00-19:00; Sat 09:00-15:00",
        "00:00-02:00",
        "Sat 01:00-03:00",
        "Mon-Fri 09:00-12:00; 12:00-17:00",
    ]
)
parties = st.tuples(hours_texts, zone_texts, hours_texts, zone_texts)


def scheduled(party_texts: tuple[str, str, str, str], **kwargs: object) -> Engagement:
    """An engagement whose parties work (hours, zone) as *party_texts* say."""
    client_hours, client_zone, vendor_hours, vendor_zone = party_texts
    return engagement(
        client=client(client_hours, client_zone),
        vendor=vendor(vendor_hours, vendor_zone),
        **kwargs,
    )


def outside_hours(
    eng: Engagement, as_of: dt.date, length: str | None
) -> list[tuple[object, ...]]:
    """OSK503's first check-in outside hours, their count, the total and who misses."""
    span = dt.timedelta(minutes=30) if length is None else Duration(length).timedelta
    start = eng.at_midnight(as_of)
    end = eng.at_midnight(as_of + dt.timedelta(days=28))
    anchor = eng.cadence_anchor(as_of)
    occurrences = eng.communication.check_ins.occurrences(anchor, start, end)
    outside = [
        (
            begin,
            [
                side
                for side, party in (("client", eng.client), ("vendor", eng.vendor))
                if not party.working_hours.covers(begin, begin + span, party.timezone)
            ],
        )
        for begin in occurrences
    ]
    outside = [(begin, missed) for begin, missed in outside if missed]
    if not outside:
        return []
    first, missed = outside[0]
    return [(first, len(outside), len(occurrences), tuple(missed))]


class TestRemembered:
    """The time-zone rules remember answers: each equals its plain computation."""

    @settings(max_examples=300, deadline=None)
    @given(parties, edge_days)
    def test_overlap(self, party_texts, as_of):
        """OSK501's day and overlap are those of the first day both parties work."""
        eng = scheduled(party_texts)
        a, b = eng.client, eng.vendor
        days = (as_of + dt.timedelta(days=k) for k in range(14))
        day = next(
            (
                d
                for d in days
                if a.working_hours.is_working_day(d)
                and b.working_hours.is_working_day(d)
            ),
            None,
        )
        shared = (
            dt.timedelta(0)
            if day is None
            else overlap(
                a.working_hours.intervals(day, a.timezone),
                b.working_hours.intervals(day, b.timezone),
            )
        )

        (finding,) = run_rule(
            no_working_overlap, eng, as_of=as_of, options={"min-overlap": "48h"}
        )

        assert (day, shared.total_seconds() / 3600) == (
            finding.evidence["date"],
            finding.evidence["overlap_hours"],
        )
        assert shared == (eng.working_overlap(day) if day else dt.timedelta(0))

    @settings(max_examples=300, deadline=None)
    @given(
        parties,
        edge_days,
        st.integers(-400, 40),
        st.sampled_from(
            [
                "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10",
                "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=1;BYMINUTE=30",
                "FREQ=DAILY;BYHOUR=2",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;BYHOUR=23",
                "FREQ=MONTHLY;BYDAY=1TH;BYHOUR=16",
                "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9",
            ]
        ),
        st.lists(st.sampled_from([None, "30m", "45m", "3h", "1d"]), min_size=1),
    )
    @example(  # a start past the last date a file may hold is held to it
        ("09:00-17:30", "Europe/London", "09:00-17:30", "Europe/London"),
        dt.date(2999, 12, 3),
        29,
        "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10",
        [None],
    )
    def test_meetings(self, party_texts, as_of, since, rule, lengths):
        """OSK503 counts the check-ins either party's hours do not cover."""
        start = as_of + dt.timedelta(days=since)
        start = min(max(dt.date(1900, 1, 1), start), dt.date(2999, 12, 31))
        for length in lengths:  # the same plan with check-ins of other lengths
            eng = scheduled(
                party_texts,
                start=start,
                communication=CommunicationPlan(
                    check_ins=Cadence.parse(rule),
                    check_in_length=None if length is None else Duration.parse(length),
                ),
            )
            expected = outside_hours(eng, as_of, length)

            findings = run_rule(meeting_outside_hours, eng, as_of=as_of)

            assert expected == [
                tuple(
                    f.evidence[k]
                    for k in ("first", "outside", "occurrences", "parties")
                )
                for f in findings
            ]

    @settings(max_examples=200, deadline=None)
    @given(zone_texts, zone_texts, edge_days)
    def test_offsets(self, client_zone, vendor_zone, as_of):
        """OSK502 compares the offsets at 00:00 of as_of in the client's zone."""
        eng = engagement(
            client=client("09:00-17:00", client_zone), vendor=vendor(None, vendor_zone)
        )
        moment = eng.at_midnight(as_of)
        offsets = [
            moment.astimezone(TimeZone(zone).tzinfo).utcoffset()
            for zone in (client_zone, vendor_zone)
        ]

        findings = run_rule(unknown_working_hours, eng, as_of=as_of)

        assert (offsets[0] != offsets[1]) == bool(findings)
