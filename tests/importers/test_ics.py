"""Tests of the iCalendar importer: check-ins, their cadence and video channels."""

from __future__ import annotations

import codecs
import collections
import datetime as dt
import inspect
import itertools
import json
import textwrap
import time
import warnings
import zoneinfo
from pathlib import Path

import pytest
from click.testing import CliRunner

import outsourcekit as ok
from outsourcekit import plugins
from outsourcekit.builtin.importers.ics import (
    ICS_IMPORTER,
    MAX_LOGGED_PER_SERIES,
    OPTIONS,
    read_calendar,
)
from outsourcekit.io import MAX_DEPTH, LoadError
from outsourcekit.model import Cadence
from outsourcekit.plugins import ImporterOptionError, ImportProblem

icalendar = pytest.importorskip("icalendar")
recurring_ical_events = pytest.importorskip("recurring_ical_events")

DATA = Path(__file__).parents[1] / "data" / "ics"
GOOGLE = DATA / "acme-ledgerpros-google.ics"
OUTLOOK = DATA / "acme-kookaburra-outlook.ics"
LONDON = zoneinfo.ZoneInfo("Europe/London")
PARTIES = {"client": ("@acme.co.uk",), "vendor": ("@ledgerpros.ph",)}
OUTLOOK_PARTIES = {"client": ("@acme.co.uk",), "vendor": ("@kookaburra.com.au",)}
WEEKLY_SYNC = "5q1sbd0mc1k7v0ejm1q2hp3f6c@google.com"
REVIEW = "0ke7rj2a9c5v8bq3d1n4m6s7tu@google.com"
STANDUP = (
    "040000008200E00074C5B7101A82E0080000000050BDF20E6B8BDC0100000000000000001000"
    "00001D6E0A6B1FB5B04FB8C36D8C2E1E2C5B"
)


def read(path: Path, **options):
    """Read *path* as the loader does: options checked, defaults filled in."""
    return ICS_IMPORTER.read(path, options)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first *needle* in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def write(tmp_path: Path, text: str, name: str = "team.ics") -> Path:
    """Write a calendar, its lines ended by CRLF as calendar apps write them."""
    path = tmp_path / name
    path.write_bytes(textwrap.dedent(text).lstrip().replace("\n", "\r\n").encode())
    return path


def event(uid: str, *lines: str, stamp: str = "20260301T090000Z") -> str:
    """One VEVENT of the client's Dana and the vendor's Maria, with *lines*."""
    body = "\n".join(lines)
    return (
        f"BEGIN:VEVENT\nUID:{uid}\nDTSTAMP:{stamp}\n"
        "ORGANIZER:mailto:dana@acme.co.uk\nATTENDEE:mailto:maria@ledgerpros.ph\n"
        f"{body}\nEND:VEVENT\n"
    )


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n"
        + "".join(events)
        + ("END:VCALENDAR\n")
    )


def engagement(data: dict, zone: str = "Europe/London", **more) -> ok.Engagement:
    """An engagement of *zone*'s client holding what the importer read."""
    return ok.from_dict({"id": "acme", "client": {"timezone": zone}, **more, **data})


def mondays(first: dt.date, last: dt.date) -> list[dt.date]:
    start = first - dt.timedelta(days=first.weekday())
    return [start + dt.timedelta(weeks=k) for k in range((last - start).days // 7 + 1)]


def calendar_weeks(
    path: Path, uids: set[str], zone: str, *, rule_only: bool = False
) -> collections.Counter[dt.date]:
    """Count recurring-ical-events' occurrences of the series *uids* by ISO week.

    With *rule_only*, the series' exceptions (EXDATE, RDATE and the moved or
    cancelled occurrences) are left out: what the rules alone say. Events at
    the same moment count once, as one meeting.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # icalendar's notes on odd zone names
        parsed = icalendar.Calendar.from_ical(
            # recurring-ical-events reads no blanks in BYDAY, as Exchange writes
            path.read_bytes().replace(b"MO, TU, WE, TH, FR", b"MO,TU,WE,TH,FR")
        )
    kept = icalendar.Calendar()
    for component in parsed.subcomponents:
        if component.name == "VEVENT":
            if str(component.get("UID")) not in uids:
                continue
            if rule_only:
                if "RECURRENCE-ID" in component or "RRULE" not in component:
                    continue
                plain = component.copy()
                for name in ("EXDATE", "RDATE"):
                    plain.pop(name, None)
                kept.add_component(plain)
                continue
        kept.add_component(component)
    tz = zoneinfo.ZoneInfo(zone)
    moments = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        occurrences = recurring_ical_events.of(kept).between(
            dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc),
            dt.datetime(2031, 1, 1, tzinfo=dt.timezone.utc),
        )
    for found in occurrences:
        if str(found.get("STATUS", "")).upper() != "CANCELLED":
            moments.add(found.start.astimezone(tz))
    counts: collections.Counter[dt.date] = collections.Counter()
    for moment in moments:
        day = moment.date()
        counts[day - dt.timedelta(days=day.weekday())] += 1
    return counts


class TestImporter:
    """The importer is registered like every other and says what it needs."""

    def test_registered(self):
        """``ics`` is a built-in importer of calendar files, in the extra `calendar`."""
        plugins.reset()
        found = {i.name: i for i in plugins.get_importers()}
        importer = found["ics"]
        assert importer == ICS_IMPORTER
        assert importer.plugin == "outsourcekit.builtin.importers"
        assert importer.suffixes == (".ics", ".ical", ".icalendar")
        assert importer.version == 2
        assert importer.extra == "calendar"
        assert set(importer.options) == {
            "client",
            "vendor",
            "all-events",
            "timezone",
            "until",
        }

    def test_options_are_documented(self):
        """Every option has help text for ``outsourcekit plugins`` and the docs."""
        assert all(option.help for option in OPTIONS.values())

    def test_signature(self):
        """The function takes the path and the options, as version 2 importers do."""
        assert list(inspect.signature(read_calendar).parameters) == ["path", "options"]

    def test_fragment_loads(self):
        """What it reads loads as part of an engagement, facts intact."""
        data = read(GOOGLE, **PARTIES).data
        loaded = engagement(data)
        assert loaded.communication.check_in_length == ok.model.Duration("30m")
        assert loaded.check_ins[0].at == dt.datetime(
            2025, 12, 15, 14, tzinfo=dt.timezone.utc
        )
        assert loaded.check_ins[0].by is ok.model.Side.CLIENT


class TestWhoseEvents:
    """The ``client`` and ``vendor`` options pick the relationship's events."""

    def test_events_of_both_parties(self):
        """Events with people of both parties are taken; the internal one is not."""
        data = read(GOOGLE, **PARTIES).data
        times = [c["at"] for c in data["check_ins"]]
        assert "2026-01-07T09:30+00:00" not in times  # the internal stand-up
        assert len(times) == 15

    def test_by_is_the_organizers_party(self):
        """A check-in is by the party of the event's organizer."""
        by = {c["at"]: c["by"] for c in read(GOOGLE, **PARTIES).data["check_ins"]}
        assert by["2026-01-05T10:00+00:00"] == "client"
        assert by["2026-01-08T15:00+00:00"] == "vendor"

    def test_subdomains_belong_to_the_domain(self):
        """``@acme.co.uk`` takes ``sam.ortiz@finance.acme.co.uk`` as the client's."""
        data = read(GOOGLE, client=("@acme.co.uk",), vendor=("maria@ledgerpros.ph",))
        assert "2026-01-08T15:00+00:00" in {c["at"] for c in data.data["check_ins"]}

    def test_address_beats_domain(self, tmp_path):
        """A named address is its party's even inside the other party's domain."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "DTSTART:20260105T100000Z",
                    "ATTENDEE:mailto:freelancer@acme.co.uk",
                ).replace("ATTENDEE:mailto:maria@ledgerpros.ph\n", "")
            ),
        )
        data = read(
            path, client=("@acme.co.uk",), vendor=("freelancer@acme.co.uk",)
        ).data
        assert data["check_ins"] == [{"at": "2026-01-05T10:00+00:00", "by": "client"}]

    def test_one_side_given(self):
        """Given the client alone, everyone else counts as the vendor."""
        data = read(GOOGLE, client=("@acme.co.uk",)).data
        assert len(data["check_ins"]) == 15
        assert data["check_ins"][2]["by"] == "vendor"

    def test_rooms_are_no_party(self):
        """A room attending with the client alone makes no relationship event."""
        data = read(GOOGLE, vendor=("@ledgerpros.ph",)).data
        # the internal stand-up has no vendor and no outsider: it stays out
        assert "2026-01-07T09:30+00:00" not in {c["at"] for c in data["check_ins"]}

    def test_all_events(self):
        """``all-events`` takes every timed event, the internal one too."""
        data = read(GOOGLE, **{"all-events": True}).data
        times = {c["at"] for c in data["check_ins"]}
        assert "2026-01-07T09:30+00:00" in times
        assert "by" not in data["check_ins"][0]

    def test_no_party_given(self):
        """Without options the importer says how to name the parties."""
        result = read(GOOGLE)
        assert result.data == {}
        (problem,) = result.problems
        assert problem.message == (
            "say whose people are whose: name the calendar under `imports:` of an "
            "engagement with the `client` and `vendor` options (addresses or "
            "@domains, such as client: ['@acme.co.uk']), or `all-events: true` when "
            "the whole calendar is this relationship's; `outsourcekit import` takes "
            "them as --option client=@acme.co.uk"
        )

    def test_nothing_taken(self):
        """A calendar without the parties' events is a problem naming the options."""
        result = read(GOOGLE, client=("@acme.co.uk",), vendor=("@elsewhere.example",))
        assert result.data == {}
        (problem,) = result.problems
        assert problem.message == (
            "no event was taken: none of the 7 events has people of both parties "
            "among its organizer and attendees, the client's (@acme.co.uk) and the "
            "vendor's (@elsewhere.example); check the `client` and `vendor` "
            "options, or give `all-events: true` when the whole calendar is this "
            "relationship's"
        )

    def test_comma_separated_text(self):
        """A list option given as text separates its items by commas."""
        data = read_calendar(
            GOOGLE, {"client": "@acme.co.uk", "vendor": "x@y.z, @ledgerpros.ph"}
        ).data
        assert len(data["check_ins"]) == 15


class TestCadence:
    """Recurring series become ``communication.check_ins``, exact to the week."""

    def test_two_series_become_one_rule(self):
        """Monday 10:00 and Thursday 15:00 join into one rule: each week's two."""
        data = read(GOOGLE, **PARTIES).data
        assert data["communication"]["check_ins"] == (
            "DTSTART;TZID=Europe/London:20260105T100000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10,15;BYMINUTE=0;BYSETPOS=1,4"
        )
        assert "x-ics-series" not in data["communication"]

    def test_weeks_match_the_calendar(self):
        """Every week the model plans as many check-ins as the calendar's rules hold."""
        data = read(GOOGLE, **PARTIES).data
        loaded = engagement(data, start="2026-01-05")
        truth = calendar_weeks(
            GOOGLE, {WEEKLY_SYNC, REVIEW}, "Europe/London", rule_only=True
        )
        weeks = mondays(dt.date(2025, 12, 1), dt.date(2027, 12, 31))
        assert [truth[m] for m in weeks] == [loaded.planned_check_ins(m) for m in weeks]
        assert truth[dt.date(2026, 1, 5)] == 2

    def test_log_matches_the_calendar(self):
        """The log has, week by week, what the calendar holds, exceptions honoured."""
        data = read(GOOGLE, **PARTIES).data
        loaded = engagement(data)
        logged = loaded.check_ins_by_week(dt.date(2026, 3, 2))
        truth = calendar_weeks(GOOGLE, {WEEKLY_SYNC, REVIEW}, "Europe/London")
        weeks = mondays(dt.date(2026, 1, 5), dt.date(2026, 2, 23))
        assert [truth[m] for m in weeks] == [logged.get(m, 0) for m in weeks]
        # the cancelled review and the deleted sync leave one check-in each
        assert logged[dt.date(2026, 2, 2)] == 1
        assert logged[dt.date(2026, 2, 16)] == 1

    def test_across_dst(self, tmp_path):
        """A 10:00 London meeting stays at 10:00 after the clocks change."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260302T100000",
                    "DTEND;TZID=Europe/London:20260302T103000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO",
                    stamp="20260501T000000Z",
                )
            ),
        )
        data = read(path, **PARTIES).data
        assert [c["at"] for c in data["check_ins"]][3:6] == [
            "2026-03-23T10:00+00:00",
            "2026-03-30T10:00+01:00",
            "2026-04-06T10:00+01:00",
        ]
        loaded = engagement(data)
        week = dt.date(2026, 3, 30)
        (found,) = loaded.check_in_cadence.occurrences(
            loaded.at_midnight(week),
            loaded.at_midnight(week),
            loaded.at_midnight(week + dt.timedelta(days=7)),
        )
        assert found == dt.datetime(2026, 3, 30, 10, tzinfo=LONDON)

    def test_client_zone_when_exact(self, tmp_path):
        """With ``timezone``, a Berlin series is written in London, an hour earlier."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/Berlin:20260105T100000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
                )
            ),
        )
        data = read(path, timezone="Europe/London", **PARTIES).data
        assert data["communication"]["check_ins"] == (
            "DTSTART;TZID=Europe/London:20260105T090000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=9;BYMINUTE=0"
        )
        assert data["check_ins"][0]["at"] == "2026-01-05T09:00+00:00"

    def test_own_zone_when_the_client_zone_is_not_exact(self, tmp_path):
        """A Manila series keeps its zone: London's clock changes, Manila's does not."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Asia/Manila:20260105T170000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO",
                )
            ),
        )
        data = read(path, timezone="Europe/London", **PARTIES).data
        assert data["communication"]["check_ins"] == (
            "DTSTART;TZID=Asia/Manila:20260105T170000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=17;BYMINUTE=0"
        )
        assert data["check_ins"][0]["at"] == "2026-01-05T09:00+00:00"

    def test_day_moves_with_the_zone(self, tmp_path):
        """Monday 08:00 in Tokyo is Sunday 23:00 in London: the weekday moves too."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Asia/Tokyo:20260105T080000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO,WE",
                )
            ),
        )
        data = read(path, timezone="UTC", **PARTIES).data
        assert data["communication"]["check_ins"] == (
            "DTSTART:20260104T230000Z RRULE:FREQ=WEEKLY;BYDAY=TU,SU;BYHOUR=23;"
            "BYMINUTE=0"
        )

    def test_series_that_do_not_join(self, tmp_path):
        """A weekly and a monthly series: the denser plans, the other is listed."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "weekly",
                    "SUMMARY:Weekly sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "DTEND;TZID=Europe/London:20260105T103000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO",
                ),
                event(
                    "monthly",
                    "SUMMARY:Service review",
                    "DTSTART;TZID=Europe/London:20260106T140000",
                    "DTEND;TZID=Europe/London:20260106T150000",
                    "RRULE:FREQ=MONTHLY;BYDAY=1TU",
                ),
            ),
        )
        result = read(path, **PARTIES)
        communication = result.data["communication"]
        assert communication["check_ins"] == (
            "DTSTART;TZID=Europe/London:20260105T100000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0"
        )
        assert communication["x-ics-series"] == [
            {
                "summary": "Service review",
                "uid": "monthly",
                "check_ins": "DTSTART;TZID=Europe/London:20260106T140000 "
                "RRULE:FREQ=MONTHLY;BYDAY=1TU;BYHOUR=14;BYMINUTE=0",
                "check_in_length": "1h",
            }
        ]
        assert result.lines[("communication", "x-ics-series", 0)] == line_of(
            path, "RRULE:FREQ=MONTHLY"
        )

    def test_active_series_wins(self, tmp_path):
        """A series that ended before the export gives way to the running one."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "old",
                    "DTSTART;TZID=Europe/London:20250106T100000",
                    "RRULE:FREQ=DAILY;UNTIL=20250301T000000Z",
                ),
                event(
                    "new",
                    "DTSTART;TZID=Europe/London:20250303T100000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO",
                ),
            ),
        )
        communication = read(path, **PARTIES).data["communication"]
        assert communication["check_ins"].startswith(
            "DTSTART;TZID=Europe/London:20250303T100000 "
        )
        assert communication["x-ics-series"][0]["uid"] == "old"

    def test_count_becomes_until(self):
        """COUNT=6 is written as the UTC moment of the sixth occurrence."""
        communication = read(OUTLOOK, **OUTLOOK_PARTIES).data["communication"]
        (review,) = communication["x-ics-series"]
        assert review["check_ins"] == (
            "DTSTART;TZID=Europe/London:20260106T140000 "
            "RRULE:FREQ=MONTHLY;BYDAY=1TU;BYHOUR=14;BYMINUTE=0;UNTIL=20260602T130000Z"
        )

    @pytest.mark.parametrize(
        ("start", "rule", "check_ins", "dates"),
        [
            (
                "20260131T100000",
                "FREQ=MONTHLY",
                (
                    "DTSTART;TZID=Europe/London:20260131T100000 "
                    "RRULE:FREQ=MONTHLY;BYMONTHDAY=31;BYHOUR=10;BYMINUTE=0"
                ),
                ["2026-01-31", "2026-03-31", "2026-05-31"],
            ),
            (
                "20240229T100000",
                "FREQ=YEARLY",
                (
                    "DTSTART;TZID=Europe/London:20240229T100000 "
                    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=10;BYMINUTE=0"
                ),
                ["2024-02-29", "2028-02-29"],
            ),
            (
                "20260115T100000",
                "FREQ=MONTHLY",
                (
                    "DTSTART;TZID=Europe/London:20260115T100000 "
                    "RRULE:FREQ=MONTHLY;BYHOUR=10;BYMINUTE=0"
                ),
                ["2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15", "2026-05-15"],
            ),
        ],
    )
    def test_day_after_the_28th_is_named(self, tmp_path, start, rule, check_ins, dates):
        """A series on the 29th to 31st names its day, as the calendar skips months.

        A cadence taking such a day from its DTSTART would fall on each month's
        last day instead.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "review",
                    f"DTSTART;TZID=Europe/London:{start}",
                    f"DTEND;TZID=Europe/London:{start[:-6]}110000",
                    f"RRULE:{rule}",
                )
            ),
        )
        communication = read(path, **PARTIES).data["communication"]
        anchor = dt.datetime(2024, 1, 1, tzinfo=LONDON)
        events = Cadence(communication["check_ins"]).occurrences(
            anchor, anchor, dt.datetime(2028, 3, 1, tzinfo=LONDON)
        )

        assert check_ins == communication["check_ins"]
        assert dates == [event.date().isoformat() for event in events[: len(dates)]]

    def test_floating_series(self, tmp_path):
        """A series without zone stays floating: the client's zone applies."""
        path = write(
            tmp_path,
            calendar(
                event("sync", "DTSTART:20260109T100000", "RRULE:FREQ=WEEKLY;BYDAY=FR")
            ),
        )
        data = read(path, **PARTIES).data
        assert data["communication"]["check_ins"] == (
            "DTSTART:20260109T100000 RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=10;BYMINUTE=0"
        )
        assert data["check_ins"][0]["at"] == "2026-01-09T10:00"
        loaded = engagement(data, zone="Asia/Manila")
        assert loaded.check_ins[0].at == dt.datetime(2026, 1, 9, 10)

    def test_floating_series_in_the_client_zone(self, tmp_path):
        """With ``timezone``, floating times are read in that zone."""
        path = write(
            tmp_path,
            calendar(
                event("sync", "DTSTART:20260109T100000", "RRULE:FREQ=WEEKLY;BYDAY=FR")
            ),
        )
        data = read(path, timezone="Asia/Manila", **PARTIES).data
        assert data["communication"]["check_ins"].startswith(
            "DTSTART;TZID=Asia/Manila:20260109T100000 "
        )
        assert data["check_ins"][0]["at"] == "2026-01-09T10:00+08:00"

    def test_length_of_the_series(self):
        """The length is the series' own: a shortened moved meeting changes nothing."""
        data = read(GOOGLE, **PARTIES).data
        assert data["communication"]["check_in_length"] == "30m"

    def test_length_without_series(self, tmp_path):
        """Without a series, the length is the most common one of the meetings."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z", "DURATION:PT45M"),
                event("b", "DTSTART:20260112T100000Z", "DURATION:PT45M"),
                event("c", "DTSTART:20260119T100000Z", "DURATION:PT1H30M"),
            ),
        )
        data = read(path, **PARTIES).data
        assert data["communication"] == {"check_in_length": "45m"}

    def test_change_of_weekday_to_this_and_following(self, tmp_path):
        """Meetings moved to Wednesdays from one on are planned on Wednesdays from it.

        The Mondays before the change are a series of their own, which ended.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "DURATION:PT30M",
                    "RRULE:FREQ=WEEKLY",
                ),
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260121T100000",
                    "DURATION:PT45M",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260119T100000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert {
            "check_ins": "DTSTART;TZID=Europe/London:20260121T100000 "
            "RRULE:FREQ=WEEKLY;BYDAY=WE;BYHOUR=10;BYMINUTE=0",
            "check_in_length": "45m",
            "x-ics-series": [
                {
                    "summary": "Sync",
                    "uid": "a",
                    "check_ins": "DTSTART;TZID=Europe/London:20260105T100000 "
                    "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0;"
                    "UNTIL=20260112T100000Z",
                    "check_in_length": "30m",
                }
            ],
        } == result.data["communication"]
        assert (
            line_of(path, "RECURRENCE-ID")
            == result.lines[("communication", "check_ins")]
        )
        cadence = Cadence.parse(result.data["communication"]["check_ins"])
        anchor = dt.datetime(2026, 1, 21, tzinfo=LONDON)
        logged = [
            dt.datetime.fromisoformat(c["at"])
            for c in result.data["check_ins"]
            if c["at"] >= "2026-01-21"
        ]
        assert logged == cadence.occurrences(
            anchor, anchor, logged[-1] + dt.timedelta(1)
        )
        assert () == result.problems

    def test_changes_of_this_and_following_each_planned(self, tmp_path):
        """Each change of "this and following" starts a series; together, the log.

        The occurrences the planned series and those beside it have, with
        their exceptions, are the meetings the log holds.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
                    "EXDATE;TZID=Europe/London:20260216T100000",
                ),
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260120T100000",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260119T100000",
                ),
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260203T150000",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260202T100000",
                ),
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260220T160000",
                    "RECURRENCE-ID;TZID=Europe/London:20260219T100000",
                ),
            ),
        )

        result = read(path, until="2026-04-01", **PARTIES)

        communication = result.data["communication"]
        assert [
            (
                "DTSTART;TZID=Europe/London:20260203T150000 "
                "RRULE:FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=15;BYMINUTE=0"
            ),
            (
                "DTSTART;TZID=Europe/London:20260105T100000 "
                "RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=0;"
                "UNTIL=20260115T100000Z"
            ),
            (
                "DTSTART;TZID=Europe/London:20260120T100000 "
                "RRULE:FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=10;BYMINUTE=0;"
                "UNTIL=20260130T100000Z"
            ),
        ] == [
            communication["check_ins"],
            *(s["check_ins"] for s in communication["x-ics-series"]),
        ]
        assert [
            {"at": "2026-02-17T15:00+00:00", "status": "deleted"},
            {
                "at": "2026-02-20T15:00+00:00",
                "status": "moved",
                "moved_to": "2026-02-20T16:00+00:00",
            },
        ] == communication["x-ics-exceptions"]
        start = dt.datetime(2026, 1, 1, tzinfo=LONDON)
        end = dt.datetime(2026, 4, 1, tzinfo=LONDON)
        planned = {
            moment
            for series in (communication, *communication["x-ics-series"])
            for moment in Cadence.parse(series["check_ins"]).occurrences(
                start, start, end
            )
        }
        for exception in communication["x-ics-exceptions"]:
            planned.discard(dt.datetime.fromisoformat(exception["at"]))
            if "moved_to" in exception:
                planned.add(dt.datetime.fromisoformat(exception["moved_to"]))
        logged = {dt.datetime.fromisoformat(c["at"]) for c in result.data["check_ins"]}
        assert sorted(logged) == sorted(planned)
        assert () == result.problems

    def test_cancelled_this_and_following(self, tmp_path):
        """Cancelling "this and following" meetings ends the planned series."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY",
                ),
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260119T100000",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260119T100000",
                    "STATUS:CANCELLED",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert {
            "check_ins": "DTSTART;TZID=Europe/London:20260105T100000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0;UNTIL=20260112T100000Z"
        } == result.data["communication"]
        assert ["2026-01-05T10:00+00:00", "2026-01-12T10:00+00:00"] == [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_monthly_change_of_this_and_following(self, tmp_path):
        """A monthly rule moved to other days is planned as it was, the move beside.

        Its days cannot move with the meetings (the first Monday two days
        later is not always the first Wednesday): the change is an exception.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=MONTHLY;BYDAY=1MO",
                ),
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260204T100000",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260202T100000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert {
            "check_ins": "DTSTART;TZID=Europe/London:20260105T100000 "
            "RRULE:FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;BYMINUTE=0",
            "x-ics-exceptions": [
                {
                    "at": "2026-02-02T10:00+00:00",
                    "status": "moved",
                    "moved_to": "2026-02-04T10:00+00:00",
                }
            ],
        } == result.data["communication"]


class TestExceptions:
    """Deleted, cancelled and moved occurrences are honoured."""

    def test_listed(self):
        """The planned series' exceptions are listed under ``x-ics-exceptions``."""
        communication = read(GOOGLE, **PARTIES).data["communication"]
        assert communication["x-ics-exceptions"] == [
            {
                "at": "2026-01-26T10:00+00:00",
                "status": "moved",
                "moved_to": "2026-01-27T11:00+00:00",
            },
            {"at": "2026-02-05T15:00+00:00", "status": "cancelled"},
            {"at": "2026-02-16T10:00+00:00", "status": "deleted"},
        ]

    def test_log(self):
        """The log leaves cancelled and deleted ones out and has moved ones moved."""
        times = {c["at"] for c in read(GOOGLE, **PARTIES).data["check_ins"]}
        assert "2026-01-27T11:00+00:00" in times
        assert "2026-01-26T10:00+00:00" not in times
        assert "2026-02-05T15:00+00:00" not in times
        assert "2026-02-16T10:00+00:00" not in times

    def test_deleted_by_date(self, tmp_path):
        """An EXDATE that is a date deletes that day's meeting, listed as such."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=3",
                    "EXDATE;VALUE=DATE:20260112",
                )
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [{"at": "2026-01-12T10:00+00:00", "status": "deleted"}] == (
            result.data["communication"]["x-ics-exceptions"]
        )
        assert ["2026-01-05T10:00+00:00", "2026-01-19T10:00+00:00"] == [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_changed_by_date(self, tmp_path):
        """A RECURRENCE-ID that is a date changes that day's meeting, not another."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=3",
                ),
                event(
                    "sync",
                    "RECURRENCE-ID;VALUE=DATE:20260112",
                    "DTSTART;TZID=Europe/London:20260113T110000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [
            {
                "at": "2026-01-12T10:00+00:00",
                "status": "moved",
                "moved_to": "2026-01-13T11:00+00:00",
            }
        ] == result.data["communication"]["x-ics-exceptions"]
        assert [
            "2026-01-05T10:00+00:00",
            "2026-01-13T11:00+00:00",
            "2026-01-19T10:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]

    def test_changed_by_date_in_x_wr_timezone_after_the_clocks_change(self, tmp_path):
        """A date RECURRENCE-ID of a UTC series read in X-WR-TIMEZONE's zone.

        The series meets at 10:00 in London, GMT then BST; the change of
        30 March is of its 10:00 BST meeting, not of 11:00 BST (10:00 UTC).
        """
        text = calendar(
            event("sync", "DTSTART:20260302T100000Z", "RRULE:FREQ=WEEKLY;COUNT=6"),
            event(
                "sync",
                "RECURRENCE-ID;VALUE=DATE:20260330",
                "DTSTART:20260331T110000Z",
            ),
        ).replace(
            "PRODID:-//test//EN\n", "PRODID:-//test//EN\nX-WR-TIMEZONE:Europe/London\n"
        )
        path = write(tmp_path, text)

        result = read(path, until="2026-05-01", **PARTIES)

        assert () == result.problems
        assert [
            {
                "at": "2026-03-30T10:00+01:00",
                "status": "moved",
                "moved_to": "2026-03-31T12:00+01:00",
            }
        ] == result.data["communication"]["x-ics-exceptions"]
        assert "2026-03-30T10:00+01:00" not in [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_changed_twice_alike(self, tmp_path):
        """Two changes of one occurrence, as new as each other: the first is taken.

        The other is a problem; the occurrence is listed once, as the log has it.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=3",
                ),
                event(
                    "sync",
                    "RECURRENCE-ID;TZID=Europe/London:20260112T100000",
                    "DTSTART;TZID=Europe/London:20260113T100000",
                ),
                event(
                    "sync",
                    "RECURRENCE-ID;TZID=Europe/London:20260112T100000",
                    "DTSTART;TZID=Europe/London:20260114T100000",
                ),
            ),
        )
        first = line_of(path, "RECURRENCE-ID")

        result = read(path, **PARTIES)

        assert [
            ImportProblem(
                message=(
                    "RECURRENCE-ID 2026-01-12T10:00:00+00:00 names the occurrence "
                    f"the event of line {first} changes, and SEQUENCE 0 is not "
                    "newer; this change is left out"
                ),
                line=first + 8,
                where='event "sync"',
            )
        ] == list(result.problems)
        assert [
            {
                "at": "2026-01-12T10:00+00:00",
                "status": "moved",
                "moved_to": "2026-01-13T10:00+00:00",
            }
        ] == result.data["communication"]["x-ics-exceptions"]
        assert [
            "2026-01-05T10:00+00:00",
            "2026-01-13T10:00+00:00",
            "2026-01-19T10:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]

    def test_changed_and_deleted(self, tmp_path):
        """A change of an occurrence an EXDATE deletes is not listed as moved too."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=3",
                    "EXDATE;TZID=Europe/London:20260112T100000",
                ),
                event(
                    "sync",
                    "RECURRENCE-ID;TZID=Europe/London:20260112T100000",
                    "DTSTART;TZID=Europe/London:20260113T100000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert [{"at": "2026-01-12T10:00+00:00", "status": "deleted"}] == (
            result.data["communication"]["x-ics-exceptions"]
        )
        assert ["2026-01-05T10:00+00:00", "2026-01-19T10:00+00:00"] == [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_times_without_zone_are_the_series(self, tmp_path):
        """An EXDATE or RECURRENCE-ID without zone is in the zone of the series.

        Manila's 10:00, as its DTSTART, not 10:00 UTC; an EXDATE in another
        zone is listed in the series' zone.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Asia/Manila:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=4",
                    "EXDATE:20260112T100000",
                    "EXDATE;TZID=Europe/London:20260126T020000",
                ),
                event(
                    "sync",
                    "RECURRENCE-ID:20260119T100000",
                    "DTSTART;TZID=Asia/Manila:20260119T150000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [
            {"at": "2026-01-12T10:00+08:00", "status": "deleted"},
            {
                "at": "2026-01-19T10:00+08:00",
                "status": "moved",
                "moved_to": "2026-01-19T15:00+08:00",
            },
            {"at": "2026-01-26T10:00+08:00", "status": "deleted"},
        ] == result.data["communication"]["x-ics-exceptions"]
        assert ["2026-01-05T10:00+08:00", "2026-01-19T15:00+08:00"] == [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_cancelled_series(self, tmp_path):
        """A cancelled series is neither planned nor logged."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "STATUS:CANCELLED",
                    "DTSTART:20260105T100000Z",
                    "RRULE:FREQ=DAILY",
                )
            ),
        )
        assert read(path, **PARTIES).data == {}

    def test_all_day_events_are_no_meetings(self, tmp_path):
        """All-day events (deadlines, holidays) are not check-ins."""
        path = write(
            tmp_path,
            calendar(event("close", "DTSTART;VALUE=DATE:20260130", "RRULE:FREQ=DAILY")),
        )
        assert read(path, **PARTIES).data == {}

    def test_outlook_all_day_events_are_no_meetings(self, tmp_path):
        """Outlook writes all-day events from midnight to midnight, marked as such."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "holiday",
                    "DTSTART;TZID=Europe/Berlin:20260105T000000",
                    "DTEND;TZID=Europe/Berlin:20260106T000000",
                    "RRULE:FREQ=WEEKLY;COUNT=4",
                    "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE",
                ),
                event("sync", "DTSTART:20260106T100000Z"),
            ),
        )

        data = read(path, **PARTIES).data

        assert [{"at": "2026-01-06T10:00+00:00", "by": "client"}] == data["check_ins"]
        assert "check_ins" not in data.get("communication", {})

    @pytest.mark.parametrize("stamp", ["20260301T090000Z", "20260301"])
    def test_all_day_occurrence_without_its_series(self, tmp_path, stamp):
        """One changed day of someone else's all-day series is no meeting either.

        Google exports such an occurrence alone (RECURRENCE-ID and DTSTART both
        dates, no event with the series' rule), with a DTSTAMP or, here too,
        without one that is a date-time.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                    stamp=stamp,
                ),
                event(
                    "close",
                    "SUMMARY:Month-end close",
                    "RECURRENCE-ID;VALUE=DATE:20260130",
                    "DTSTART;VALUE=DATE:20260130",
                    "DTEND;VALUE=DATE:20260131",
                    stamp=stamp,
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [
            {"at": "2026-01-05T10:00+00:00", "by": "client"},
            {"at": "2026-01-12T10:00+00:00", "by": "client"},
        ] == result.data["check_ins"]

    def test_only_an_all_day_occurrence(self, tmp_path):
        """A calendar holding nothing but such an occurrence gives nothing."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "close",
                    "RECURRENCE-ID;TZID=Europe/London:20260130T090000",
                    "DTSTART;VALUE=DATE:20260130",
                    stamp="20260301",
                )
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert {} == result.data


class TestLog:
    """Past occurrences become the ``check_ins`` log, up to the export."""

    def test_up_to_the_export(self):
        """The log stops at the newest DTSTAMP: later occurrences are only planned."""
        times = [c["at"] for c in read(GOOGLE, **PARTIES).data["check_ins"]]
        assert times[-1] == "2026-02-26T15:00+00:00"

    def test_until(self):
        """``until`` moves the end of the log: a date means the end of that day."""
        times = [
            c["at"]
            for c in read(GOOGLE, until="2026-01-08", **PARTIES).data["check_ins"]
        ]
        assert times[-1] == "2026-01-08T15:00+00:00"
        times = [
            c["at"]
            for c in read(GOOGLE, until="2026-01-08T14:00Z", **PARTIES).data[
                "check_ins"
            ]
        ]
        assert times[-1] == "2026-01-05T10:00+00:00"

    def test_stamp_outside_the_range_of_dates(self, tmp_path):
        """A DTSTAMP in the year 9999 is a problem, not when the file was exported."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z", stamp="99991231T235959Z"),
                event("b", "DTSTART:20260112T100000Z"),
            ),
        )

        result = read(path, **PARTIES)

        message = (
            "DTSTAMP 9999-12-31T23:59:59+00:00 is outside the range of dates, "
            "1900-01-01 to 2999-12-31; it is not taken for when the calendar was "
            "exported"
        )
        assert [message] == [p.message for p in result.problems]
        assert 2 == len(result.data["check_ins"])

    @pytest.mark.parametrize(
        ("start", "options"),
        [
            ("DTSTART;TZID=America/New_York:20260106T100000", {}),
            ("DTSTART:20260106T100000", {"timezone": "America/New_York"}),
        ],
    )
    def test_until_without_zone(self, tmp_path, start, options):
        """An UNTIL without zone is the series' time: its last meeting is logged."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    start,
                    "DURATION:PT30M",
                    "RRULE:FREQ=WEEKLY;UNTIL=20260127T100000",
                )
            ),
        )

        data = read(path, **options, **PARTIES).data

        assert [
            "2026-01-06T10:00-05:00",
            "2026-01-13T10:00-05:00",
            "2026-01-20T10:00-05:00",
            "2026-01-27T10:00-05:00",
        ] == [c["at"] for c in data["check_ins"]]

    def test_one_moment_in_two_zones(self, tmp_path):
        """Two events at one moment, in two zones, are one check-in in the log.

        11:00 in London is 19:00 in Manila: the first event's entry is kept.
        """
        path = write(
            tmp_path,
            calendar(
                event("london", "DTSTART;TZID=Europe/London:20260223T110000"),
                event("manila", "DTSTART;TZID=Asia/Manila:20260223T190000"),
                event("later", "DTSTART;TZID=Asia/Manila:20260223T200000"),
            ),
        )

        result = read(path, **PARTIES)

        assert [
            {"at": "2026-02-23T11:00+00:00", "by": "client"},
            {"at": "2026-02-23T20:00+08:00", "by": "client"},
        ] == result.data["check_ins"]
        assert 'event "london"' == result.where[("check_ins", 0)]

    def test_two_series_with_one_uid(self, tmp_path):
        """Two events with one UID and no RECURRENCE-ID are two series, both read."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260106T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                ),
                event(
                    "a",
                    "DTSTART;TZID=Europe/London:20260107T110000",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert [
            "2026-01-06T10:00+00:00",
            "2026-01-07T11:00+00:00",
            "2026-01-13T10:00+00:00",
            "2026-01-14T11:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]

    def test_newer_version_of_a_series(self, tmp_path):
        """Of two versions of one event, the higher SEQUENCE is the event.

        RFC 5545 (3.8.7.4): a series moved from Mondays 10:00 to Tuesdays
        14:00 and exported with both versions meets on Tuesdays alone.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "SEQUENCE:0",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "DURATION:PT30M",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO",
                ),
                event(
                    "sync",
                    "SEQUENCE:1",
                    "DTSTART;TZID=Europe/London:20260106T140000",
                    "DURATION:PT30M",
                    "RRULE:FREQ=WEEKLY;BYDAY=TU",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert result.data["communication"]["check_ins"] == (
            "DTSTART;TZID=Europe/London:20260106T140000 "
            "RRULE:FREQ=WEEKLY;BYDAY=TU;BYHOUR=14;BYMINUTE=0"
        )
        assert [f"2026-{day}T14:00+00:00" for day in ("01-06", "01-13")] == [
            c["at"] for c in result.data["check_ins"][:2]
        ]
        assert 8 == len(result.data["check_ins"])
        assert 'event "sync"' == result.where[("check_ins", 0)]
        assert line_of(path, "BYDAY=TU") == result.lines[("communication", "check_ins")]

    def test_newer_change_of_an_occurrence(self, tmp_path):
        """Of two changes of one occurrence, the higher SEQUENCE is the change."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=3",
                ),
                event(
                    "sync",
                    "SEQUENCE:2",
                    "RECURRENCE-ID;TZID=Europe/London:20260112T100000",
                    "DTSTART;TZID=Europe/London:20260112T120000",
                ),
                event(
                    "sync",
                    "SEQUENCE:1",
                    "RECURRENCE-ID;TZID=Europe/London:20260112T100000",
                    "DTSTART;TZID=Europe/London:20260112T110000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [
            {
                "at": "2026-01-12T10:00+00:00",
                "status": "moved",
                "moved_to": "2026-01-12T12:00+00:00",
            }
        ] == result.data["communication"]["x-ics-exceptions"]
        assert [
            "2026-01-05T10:00+00:00",
            "2026-01-12T12:00+00:00",
            "2026-01-19T10:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]

    def test_change_to_this_and_following(self, tmp_path):
        """A change of this and the following meetings moves all of them in the log."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260106T100000",
                    "DURATION:PT30M",
                    "RRULE:FREQ=WEEKLY;COUNT=5",
                ),
                event(
                    "a",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260120T140000",
                    "DURATION:PT30M",
                    "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/London:"
                    "20260120T100000",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert [
            "2026-01-06T10:00+00:00",
            "2026-01-13T10:00+00:00",
            "2026-01-20T14:00+00:00",
            "2026-01-27T14:00+00:00",
            "2026-02-03T14:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]
        assert () == result.problems

    def test_bad_until(self):
        """An ``until`` that is no date is the option check's problem, said whole."""
        with pytest.raises(ImporterOptionError) as raised:
            ICS_IMPORTER.check_options({"until": "next week", **PARTIES})
        assert raised.value.problems == (
            (
                "until",
                (
                    "option 'until': expected an ISO date or date-time such as "
                    "2026-03-01 or 2026-03-01T12:00+00:00, got 'next week'"
                ),
            ),
        )

    def test_client_zone(self):
        """With ``timezone``, times are written in it."""
        data = read(GOOGLE, timezone="Asia/Manila", **PARTIES).data
        assert data["check_ins"][1]["at"] == "2026-01-05T18:00+08:00"

    def test_bad_timezone(self):
        """A ``timezone`` naming no zone is the option check's, with a suggestion."""
        with pytest.raises(ImporterOptionError) as raised:
            ICS_IMPORTER.check_options({"timezone": "Europe/Londn", **PARTIES})
        assert raised.value.problems == (
            (
                "timezone",
                (
                    "option 'timezone': expected an IANA time zone name such as "
                    '"Asia/Manila" or a UTC offset such as "+08:00", got '
                    "'Europe/Londn' (did you mean 'Europe/London'?)"
                ),
            ),
        )

    def test_bad_options_called_directly(self):
        """Called directly, every problem of the options is one, and nothing is read."""
        result = read_calendar(
            GOOGLE,
            {
                "timezone": "Europe/Londn",
                "until": "next week",
                "clients": "@acme.co.uk",
            },
        )
        assert result.data == {}
        assert result.problems == (
            ImportProblem(
                message="importer 'ics' has no option 'clients' (did you mean "
                "'client'?)"
            ),
            ImportProblem(
                message="option 'timezone': expected an IANA time zone name such as "
                '"Asia/Manila" or a UTC offset such as "+08:00", got \'Europe/Londn\' '
                "(did you mean 'Europe/London'?)"
            ),
            ImportProblem(
                message="option 'until': expected an ISO date or date-time such as "
                "2026-03-01 or 2026-03-01T12:00+00:00, got 'next week'"
            ),
        )

    def test_without_stamps(self):
        """Without DTSTAMP the log reaches the file's last event (here its only one)."""
        data = read(DATA / "outlook-brasilia-display-name.ics", **{"all-events": True})
        assert data.data["check_ins"] == [{"at": "2017-05-11T13:30-03:00"}]

    def test_dense_series(self, tmp_path):
        """A series too dense to log is a problem; it is still planned."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "every-hour",
                    "DTSTART:20200101T000000Z",
                    "RRULE:FREQ=HOURLY",
                    stamp="20260101T000000Z",
                )
            ),
        )
        result = read(path, **PARTIES)
        (problem,) = result.problems
        assert problem.message == (
            f"the series has more than {MAX_LOGGED_PER_SERIES:,} occurrences before "
            "2026-01-01T00:00+00:00; none are logged"
        )
        assert problem.line == line_of(path, "RRULE")
        assert "check_ins" not in result.data
        assert result.data["communication"]["check_ins"] == (
            "DTSTART:20200101T000000Z RRULE:FREQ=HOURLY"
        )


class TestChannels:
    """Links to video meetings become channels of kind ``video``."""

    def test_google(self):
        """Zoom and Google Meet links, the service of more series first."""
        result = read(GOOGLE, **PARTIES)
        assert result.data["communication"]["channels"] == [
            {"name": "Zoom", "kind": "video"},
            {"name": "Google Meet", "kind": "video"},
        ]
        assert result.lines[("communication", "channels", 1)] == line_of(
            GOOGLE, "X-GOOGLE-CONFERENCE"
        )

    def test_outlook(self):
        """Teams in Microsoft's own property, Webex in the location."""
        channels = read(OUTLOOK, **OUTLOOK_PARTIES).data["communication"]["channels"]
        assert [c["name"] for c in channels] == ["Microsoft Teams", "Webex"]

    @pytest.mark.parametrize(
        ("line", "name"),
        [
            ("LOCATION:https://acme.zoom.us/j/123", "Zoom"),
            ("DESCRIPTION:Join: https://meet.google.com/abc-defg-hij", "Google Meet"),
            ("CONFERENCE;VALUE=URI:https://teams.live.com/meet/93", "Microsoft Teams"),
            ("URL:https://acme.webex.com/meet/dana", "Webex"),
            ("LOCATION:https://bluejeans.com/123456789", "BlueJeans"),
        ],
    )
    def test_services(self, tmp_path, line, name):
        """Each service is found in the properties that carry links."""
        path = write(tmp_path, calendar(event("a", "DTSTART:20260105T100000Z", line)))
        data = read(path, **PARTIES).data
        assert data["communication"]["channels"] == [{"name": name, "kind": "video"}]

    def test_other_links(self, tmp_path):
        """A link to no video service makes no channel."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z", "LOCATION:https://zoom.example")
            ),
        )
        assert "channels" not in read(path, **PARTIES).data.get("communication", {})


class TestZones:
    """Time zones are read as the calendar app meant them."""

    def test_outlook_display_name(self):
        """``(UTC+10:00) Canberra, Melbourne, Sydney`` is Australia/Sydney."""
        communication = read(OUTLOOK, **OUTLOOK_PARTIES).data["communication"]
        assert communication["check_ins"] == (
            "DTSTART;TZID=Australia/Sydney:20260105T090000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0;"
            "UNTIL=20260625T230000Z"
        )

    def test_weeks_of_the_display_name_zone(self):
        """The Sydney stand-up's weeks are the calendar's, in Sydney and in London."""
        data = read(OUTLOOK, **OUTLOOK_PARTIES).data
        for zone in ("Australia/Sydney", "Europe/London"):
            loaded = engagement(data, zone=zone, start="2026-01-05")
            truth = calendar_weeks(OUTLOOK, {STANDUP}, zone, rule_only=True)
            weeks = mondays(dt.date(2025, 12, 29), dt.date(2026, 7, 6))
            assert [truth[m] for m in weeks] == [
                loaded.planned_check_ins(m) for m in weeks
            ]

    def test_other_outlook_zones(self):
        """A Windows name, a customized zone, a deprecated name and a floating time."""
        data = read(OUTLOOK, timezone="Europe/London", **OUTLOOK_PARTIES).data
        times = [c["at"] for c in data["check_ins"]]
        assert "2026-01-06T14:00+00:00" in times  # GMT Standard Time
        assert "2026-02-10T14:00+00:00" in times  # US/Central, 08:00 in Chicago
        assert "2026-02-17T15:00+00:00" in times  # Customized Time Zone: Berlin's
        assert "2026-02-24T09:00+00:00" in times  # floating: the client's zone

    def test_exchange_definition_only(self):
        """A zone only its VTIMEZONE defines, and BYDAY written with blanks."""
        result = read(DATA / "exchange-cdo-daily-standup.ics", **{"all-events": True})
        assert result.problems == ()
        assert result.data["communication"]["check_ins"] == (
            "DTSTART;TZID=Europe/Berlin:20150703T100000 "
            "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=10;BYMINUTE=0;"
            "UNTIL=20150722T080000Z"
        )

    @pytest.mark.parametrize(
        ("name", "until", "at"),
        [
            (
                "exchange-2010-eastern-standard-time.ics",
                "2025",
                "2024-10-28T17:00-04:00",
            ),
            (
                "exchange-2010-pacific-standard-time.ics",
                "2018",
                "2017-02-24T12:00-08:00",
            ),
            ("utc-plus-11.ics", "2018", "2017-02-28T23:00+11:00"),
            ("outlook-brasilia-display-name.ics", "2018", "2017-05-11T13:30-03:00"),
            ("google-utc-x-wr-timezone.ics", "2025", "2024-10-04T19:15+01:00"),
        ],
    )
    def test_real_exports(self, name, until, at):
        """Windows names, offsets, display names and X-WR-TIMEZONE, as exported."""
        result = read(DATA / name, until=f"{until}-01-01", **{"all-events": True})
        assert result.problems == ()
        assert result.data["check_ins"] == [{"at": at}]

    def test_zones_are_named_as_today(self):
        """``US/Eastern`` is written as America/New_York, its 2006 rules followed."""
        data = read(DATA / "rfc7265-us-eastern.ics", **{"all-events": True}).data
        assert data["communication"]["check_ins"] == (
            "DTSTART;TZID=America/New_York:20060102T120000 "
            "RRULE:FREQ=DAILY;BYHOUR=12;BYMINUTE=0;UNTIL=20060106T170000Z"
        )
        # COUNT=5, the RDATE period, and the occurrence moved from 12:00 to 14:00
        assert [c["at"] for c in data["check_ins"]] == [
            "2006-01-02T12:00-05:00",
            "2006-01-02T15:00-05:00",
            "2006-01-03T12:00-05:00",
            "2006-01-04T14:00-05:00",
            "2006-01-05T12:00-05:00",
            "2006-01-06T12:00-05:00",
        ]

    def test_google_calendar_zone(self):
        """A Google series in X-WR-TIMEZONE's zone is planned there."""
        data = read(DATA / "google-weekdays-x-wr-timezone.ics", **{"all-events": True})
        assert data.data["communication"]["check_ins"] == (
            "DTSTART;TZID=Europe/Zurich:20161028T140000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=14;BYMINUTE=0"
        )

    @pytest.mark.parametrize(
        ("tzid", "name"),
        [
            ("W. Europe Standard Time", "Europe/Berlin"),
            ("GMT Standard Time", "Europe/London"),
            ('"(UTC+10:00) Canberra, Melbourne, Sydney"', "Australia/Sydney"),
            ('"(GMT+10:00) Canberra, Melbourne, Sydney"', "Australia/Sydney"),
            ('"Canberra, Melbourne, Sydney"', "Australia/Sydney"),
            ('"(UTC-05:00) Eastern Time (US & Canada)"', "America/New_York"),
            ("US/Central", "America/Chicago"),
            ("Asia/Calcutta", "Asia/Kolkata"),
            ("europe/london", "Europe/London"),
            ("/freeassociation.sourceforge.net/Tzfile/Europe/Madrid", "Europe/Madrid"),
            ("Europe/Oslo", "Europe/Oslo"),
        ],
    )
    def test_names_without_definition(self, tmp_path, tzid, name):
        """Zone names that need no VTIMEZONE are written with today's IANA name."""
        path = write(
            tmp_path,
            calendar(
                event("a", f"DTSTART;TZID={tzid}:20260105T100000", "RRULE:FREQ=DAILY")
            ),
        )
        result = read(path, **PARTIES)
        assert result.problems == ()
        assert result.data["communication"]["check_ins"].startswith(
            f"DTSTART;TZID={name}:20260105T100000 "
        )

    def test_same_custom_name_in_two_files(self, tmp_path):
        """Each file's own definition of a zone name counts, not another file's."""
        text = calendar(
            "BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\n"
            "DTSTART:16010101T000000\nTZOFFSETFROM:{0}\nTZOFFSETTO:{0}\n"
            "END:STANDARD\nEND:VTIMEZONE\n",
            event("a", "DTSTART;TZID=Customized Time Zone:20260105T100000"),
        )
        first = write(tmp_path, text.replace("{0}", "+0100"), "first.ics")
        second = write(tmp_path, text.replace("{0}", "+0500"), "second.ics")
        assert read(first, **PARTIES).data["check_ins"][0]["at"] == (
            "2026-01-05T10:00+01:00"
        )
        assert read(second, **PARTIES).data["check_ins"][0]["at"] == (
            "2026-01-05T10:00+05:00"
        )

    def test_definitions_whose_names_differ_in_case(self, tmp_path):
        """Of two VTIMEZONEs named alike but for case, each event takes its own.

        Google exports hold such pairs (``Europe/Lisbon`` and ``Europe/lisbon``,
        defined with other offsets); a name matching no definition exactly
        still finds one that differs in case alone.
        """
        zone = (
            "BEGIN:VTIMEZONE\nTZID:{tzid}\nBEGIN:STANDARD\n"
            "DTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\n"
            "TZOFFSETFROM:{summer}\nTZOFFSETTO:{winter}\nEND:STANDARD\n"
            "BEGIN:DAYLIGHT\nDTSTART:19700329T020000\n"
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\n"
            "TZOFFSETFROM:{winter}\nTZOFFSETTO:{summer}\nEND:DAYLIGHT\n"
            "END:VTIMEZONE\n"
        )
        path = write(
            tmp_path,
            calendar(
                zone.format(tzid="Europe/Lisbon", winter="+0000", summer="+0100"),
                zone.format(tzid="Europe/lisbon", winter="+0100", summer="+0200"),
                event("a", "DTSTART;TZID=Europe/Lisbon:20200601T180000"),
                event("b", "DTSTART;TZID=Europe/lisbon:20200602T180000"),
                event("c", "DTSTART;TZID=EUROPE/LISBON:20200603T180000"),
                event("d", "DTSTART;TZID=europe/lisbon:20200604T180000"),
            ),
        )
        result = read(path, **PARTIES)
        assert result.problems == ()
        assert [c["at"] for c in result.data["check_ins"]] == [
            "2020-06-01T18:00+01:00",
            "2020-06-02T18:00+02:00",
            "2020-06-03T18:00+01:00",
            "2020-06-04T18:00+01:00",
        ]


class TestBrokenEvents:
    """A broken event is a problem naming it and its line; the others still import."""

    def test_outlook(self):
        """A broken DTSTART and an unknown zone, each at its line; the rest is read."""
        result = read(OUTLOOK, **OUTLOOK_PARTIES)
        escalation = (
            'event "040000008200E00074C5B7101A82E00800000000B1A2C3D4E5F6A7B8C9D0E1F2A3'
            'B4C5D6" (Escalation call)'
        )
        mars = (
            'event "040000008200E00074C5B7101A82E00800000000F1A2B3C4D5E6F7A8B9C0D1E2F3'
            'A4B5C6" (Call from the Mars office)'
        )
        assert result.problems == (
            ImportProblem(
                message="DTSTART '2026013xT100000' is not a date or date-time such as "
                "20260105T100000; the event is left out",
                line=line_of(OUTLOOK, "2026013xT100000"),
                where=escalation,
            ),
            ImportProblem(
                message="DTSTART is in time zone 'Olympus Mons Standard Time', which "
                "is no IANA, Windows or Outlook zone name and which no VTIMEZONE of "
                "the file defines; the event is left out",
                line=line_of(OUTLOOK, "DTSTART;TZID=Olympus"),
                where=mars,
            ),
        )
        assert len(result.data["check_ins"]) == 45

    @pytest.mark.parametrize(
        ("name", "message", "needle"),
        [
            (
                "broken-dtstart.ics",
                (
                    "DTSTART 'INVALID-DATE' is not a date or date-time such as "
                    "20260105T100000; the event is left out"
                ),
                "DTSTART",
            ),
            (
                "two-dtstarts.ics",
                "DTSTART is given 2 times; an event has one; the event is left out",
                "DTSTART;TZID=custom_Pacific/Fiji",
            ),
            (
                "no-dtstart.ics",
                (
                    "has no DTSTART, so it is not known when it happens; the event "
                    "is left out"
                ),
                "BEGIN:VEVENT",
            ),
        ],
    )
    def test_real_broken_events(self, name, message, needle):
        """Broken events of real files are problems at their lines."""
        path = DATA / name
        (problem,) = read(path, **{"all-events": True}).problems
        assert problem.message == message
        assert problem.line == line_of(path, needle)

    @pytest.mark.parametrize(
        "part",
        [
            pytest.param(
                "BEGIN:VEVENT\nUID:dentist\nDTSTART:20260110T090000Z\nSUMMARY:Dentist\n"
                "BEGIN:VALARM\nACTION:DISPLAY\nTRIGGER:-15M\nEND:VALARM\nEND:VEVENT\n",
                id="alarm-of-a-private-appointment",
            ),
            pytest.param(
                "BEGIN:VTODO\nUID:todo\nDUE:next week\nEND:VTODO\n", id="to-do"
            ),
            pytest.param(
                "BEGIN:VJOURNAL\nUID:note\nDTSTART:yesterday\nEND:VJOURNAL\n",
                id="journal-entry",
            ),
            pytest.param(
                "BEGIN:VFREEBUSY\nUID:busy\nFREEBUSY:mornings\nEND:VFREEBUSY\n",
                id="free-busy",
            ),
            pytest.param(
                "BEGIN:VAVAILABILITY\nUID:away\nDTSTART:soon\n"
                "BEGIN:AVAILABLE\nDTSTART:later\nEND:AVAILABLE\nEND:VAVAILABILITY\n",
                id="availability",
            ),
            pytest.param(
                "BEGIN:X-APP-NOTES\nLAST-MODIFIED:today\nEND:X-APP-NOTES\n",
                id="component-of-an-app",
            ),
            pytest.param(
                "BEGIN:VTIMEZONE\nTZID:Unused\nBEGIN:STANDARD\n"
                "DTSTART:1601010xT030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                "END:STANDARD\nEND:VTIMEZONE\n",
                id="zone-no-event-names",
            ),
            pytest.param("LAST-MODIFIED:today\n", id="property-of-the-calendar"),
        ],
    )
    def test_broken_parts_the_import_does_not_read(self, tmp_path, part):
        """A fault in what the import does not read is no problem; events are read."""
        path = write(
            tmp_path,
            calendar(
                part,
                event(
                    "weekly",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "DTEND;TZID=Europe/London:20260105T103000",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                ),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [
            {"at": "2026-01-05T10:00+00:00", "by": "client"},
            {"at": "2026-01-12T10:00+00:00", "by": "client"},
        ] == result.data["check_ins"]

    def test_broken_alarm_of_a_meeting(self, tmp_path):
        """An alarm the import does not read is no problem in a meeting it reads."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "weekly",
                    "DTSTART:20260105T100000Z",
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    "TRIGGER:-15M",
                    "END:VALARM",
                    "SUMMARY:Sync",
                )
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [{"at": "2026-01-05T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]

    def test_broken_zone_that_names_no_zone(self, tmp_path):
        """A broken VTIMEZONE an event names: at its line; its events are left out."""
        path = write(
            tmp_path,
            calendar(
                "BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\n"
                "DTSTART:1601010xT030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                "END:STANDARD\nEND:VTIMEZONE\n",
                event("custom", "DTSTART;TZID=Customized Time Zone:20260105T100000"),
                event("other", "DTSTART:20260106T100000Z"),
            ),
        )

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="DTSTART '1601010xT030000' cannot be read (Wrong datetime "
                "format: 1601010xT030000), so the definition is left out; its name "
                "names no zone, and the events in it are left out",
                line=line_of(path, "1601010xT030000"),
                where='VTIMEZONE "Customized Time Zone"',
            ),
            ImportProblem(
                message="DTSTART is in time zone 'Customized Time Zone', which is no "
                "IANA, Windows or Outlook zone name and whose VTIMEZONE cannot be "
                "read; the event is left out",
                line=line_of(path, "DTSTART;TZID=Customized"),
                where='event "custom"',
            ),
        ) == result.problems
        assert [{"at": "2026-01-06T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]

    def test_broken_zone_of_a_known_name(self, tmp_path):
        """A broken VTIMEZONE of a zone's name: at its line; its events read in it."""
        path = write(
            tmp_path,
            calendar(
                "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\n"
                "DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                "RRULE:FREQ=YEARLY;BYDAY=-1XX;BYMONTH=10\nEND:STANDARD\n"
                "END:VTIMEZONE\n",
                event("a", "DTSTART;TZID=W. Europe Standard Time:20260105T100000"),
                event("b", "DTSTART;TZID=W. Europe Standard Time:20260106T100000"),
            ),
        )

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="RRULE 'FREQ=YEARLY;BYDAY=-1XX;BYMONTH=10' cannot be read "
                "(Expected weekday abbreviation, got: -1XX), so the definition is "
                "left out; the times in it are read in Europe/Berlin, the zone its "
                "name names",
                line=line_of(path, "BYDAY=-1XX"),
                where='VTIMEZONE "W. Europe Standard Time"',
            ),
        ) == result.problems
        assert [
            {"at": "2026-01-05T10:00+01:00", "by": "client"},
            {"at": "2026-01-06T10:00+01:00", "by": "client"},
        ] == result.data["check_ins"]

    def test_unreadable_rule(self, tmp_path):
        """An RRULE that is no rule leaves its event out; the others import."""
        path = write(
            tmp_path,
            calendar(
                event(
                    "bad",
                    "SUMMARY:Sync",
                    "DTSTART:20260105T100000Z",
                    "RRULE:FREQ=OFTEN",
                ),
                event("good", "DTSTART:20260106T100000Z"),
            ),
        )
        result = read(path, **PARTIES)
        (problem,) = result.problems
        assert problem.where == 'event "bad" (Sync)'
        assert problem.line == line_of(path, "RRULE")
        assert problem.message.startswith(
            "RRULE 'FREQ=OFTEN' is not a recurrence rule such as "
            "FREQ=WEEKLY;BYDAY=MO,TH"
        )
        assert result.data["check_ins"] == [
            {"at": "2026-01-06T10:00+00:00", "by": "client"}
        ]

    @pytest.mark.parametrize(
        ("rule", "written", "reason"),
        [
            (
                "FREQ=WEEKLY;INTERVAL=0;BYDAY=MO",
                "FREQ=WEEKLY;INTERVAL=0;BYDAY=MO",
                "INTERVAL must be a positive whole number, got 0",
            ),
            (
                "FREQ=WEEKLY;INTERVAL=-1;BYDAY=MO",
                "FREQ=WEEKLY;INTERVAL=-1;BYDAY=MO",
                "INTERVAL must be a positive whole number, got -1",
            ),
            (
                "FREQ=WEEKLY;COUNT=3;UNTIL=20260301T000000Z",
                "FREQ=WEEKLY;UNTIL=20260301T000000Z;COUNT=3",
                "COUNT and UNTIL exclude each other",
            ),
            (
                "BYDAY=MO,TH;COUNT=3",
                "COUNT=3;BYDAY=MO,TH",
                (
                    "FREQ is missing: a rule names how often it repeats, such as "
                    "FREQ=WEEKLY"
                ),
            ),
        ],
    )
    def test_rule_against_rfc_5545(self, tmp_path, rule, written, reason):
        """INTERVAL below 1, COUNT with UNTIL, no FREQ (RFC 5545, 3.3.10): no rule.

        One problem each, as for any RRULE that is no rule; the others import.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "bad",
                    "SUMMARY:Sync",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    f"RRULE:{rule}",
                ),
                event("good", "DTSTART:20260106T100000Z"),
            ),
        )

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message=f"RRULE {written!r} is not a recurrence rule such as "
                f"FREQ=WEEKLY;BYDAY=MO,TH ({reason}); the event is left out",
                line=line_of(path, "RRULE"),
                where='event "bad" (Sync)',
            ),
        ) == result.problems
        assert [{"at": "2026-01-06T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]

    @pytest.mark.parametrize(
        ("lines", "name", "left_out", "logged"),
        [
            (
                ("DTSTART;TZID=America/New_York, Inc:20260105T100000",),
                "DTSTART",
                "the event is left out",
                [],
            ),
            (
                (
                    "DTSTART;TZID=America/New_York:20260105T100000",
                    "DTEND;TZID=America/New_York, Inc:20260105T103000",
                ),
                "DTEND",
                "it is left out",
                ["2026-01-05T10:00-05:00"],
            ),
            (
                (
                    "DTSTART;TZID=America/New_York:20260105T100000",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                    "EXDATE;TZID=America/New_York, Inc:20260112T100000",
                ),
                "EXDATE",
                "it is left out",
                ["2026-01-05T10:00-05:00", "2026-01-12T10:00-05:00"],
            ),
        ],
    )
    def test_unquoted_comma_in_zone(self, tmp_path, lines, name, left_out, logged):
        """A TZID holding a comma unquoted is named as the problem, at its line."""
        path = write(tmp_path, calendar(event("a", *lines, "SUMMARY:Sync")))
        result = read(path, **PARTIES)
        assert (
            ImportProblem(
                message=f"{name}'s TZID parameter 'America/New_York, Inc' holds a "
                "comma but is not quoted: RFC 5545 quotes a parameter value "
                "holding a comma, semicolon or colon, as in "
                f'TZID="America/New_York, Inc"; {left_out}',
                line=line_of(path, f"{name};TZID"),
                where='event "a" (Sync)',
            ),
        ) == result.problems
        assert logged == [c["at"] for c in result.data.get("check_ins", [])]

    def test_broken_end(self, tmp_path):
        """A broken DTEND is a problem; the meeting is still logged."""
        path = write(
            tmp_path,
            calendar(event("a", "DTSTART:20260105T100000Z", "DTEND:tomorrow")),
        )
        result = read(path, **PARTIES)
        (problem,) = result.problems
        assert problem.message == (
            "DTEND 'tomorrow' is not a date or date-time such as 20260105T100000; "
            "it is left out"
        )
        assert result.data == {
            "check_ins": [{"at": "2026-01-05T10:00+00:00", "by": "client"}]
        }

    @pytest.mark.parametrize(
        ("lines", "message"),
        [
            (
                ("SEQUENCE:abc",),
                (
                    "SEQUENCE 'abc' is not a whole number such as 2, as RFC 5545 "
                    "has it; it is left out"
                ),
            ),
            (
                ("SEQUENCE:1", "SEQUENCE:2"),
                "SEQUENCE is given 2 times; an event has one; it is left out",
            ),
        ],
    )
    def test_broken_sequence(self, tmp_path, lines, message):
        """A SEQUENCE that is not one whole number is a problem; the event is read.

        It is left out, as a broken DTEND is: the event is version 0, as without
        one, and a version with a SEQUENCE of its own replaces it.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "bad",
                    "SUMMARY:Sync",
                    "DTSTART:20260105T100000Z",
                    "RRULE:FREQ=WEEKLY;COUNT=2",
                    *lines,
                ),
                event("moved", "DTSTART:20260106T100000Z", *lines),
                event("moved", "DTSTART:20260107T100000Z", "SEQUENCE:1"),
            ),
        )

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message=message,
                line=line_of(path, "SEQUENCE"),
                where='event "bad" (Sync)',
            ),
        ) == result.problems
        assert [
            "2026-01-05T10:00+00:00",
            "2026-01-07T10:00+00:00",
            "2026-01-12T10:00+00:00",
        ] == [c["at"] for c in result.data["check_ins"]]

    @pytest.mark.parametrize(
        ("lines", "message"),
        [
            (
                ("DTSTART:20260105T100000Z", "DURATION:-PT30M"),
                "DURATION '-PT30M' is negative; the length is not known",
            ),
            (
                ("DTSTART:20260105T100000Z", "DTEND:20260105T093000Z"),
                (
                    "DTEND 2026-01-05T09:30:00+00:00 is before DTSTART "
                    "2026-01-05T10:00:00+00:00; the length is not known"
                ),
            ),
            (
                ("DTSTART:20260105T100000Z", "DURATION:P3000000D"),
                (
                    "DURATION 'P3000000D' ends after the year 9999; the length is "
                    "not known"
                ),
            ),
        ],
    )
    def test_impossible_length(self, tmp_path, lines, message):
        """An end before the start is a problem; the meeting is logged at its start."""
        path = write(tmp_path, calendar(event("a", *lines)))

        result = read(path, **PARTIES)

        assert [message] == [p.message for p in result.problems]
        assert result.problems[0].line == line_of(path, lines[1])
        assert result.data == {
            "check_ins": [{"at": "2026-01-05T10:00+00:00", "by": "client"}]
        }

    @pytest.mark.parametrize(
        ("start", "zone", "shown"),
        [
            ("00010101T000000Z", "America/New_York", "0001-01-01T00:00:00+00:00"),
            ("99991231T230000Z", "Asia/Tokyo", "9999-12-31T23:00:00+00:00"),
            ("18991231T120000", "UTC", "1899-12-31T12:00:00+00:00"),
        ],
    )
    def test_start_outside_the_range_of_dates(self, tmp_path, start, zone, shown):
        """An event outside the file format's dates is left out, named; not a crash."""
        path = write(
            tmp_path,
            calendar(
                event("far", f"DTSTART:{start}", "DURATION:PT2H", "RRULE:FREQ=WEEKLY"),
                event("near", "DTSTART:20260106T100000Z"),
            ),
        )

        result = read(path, timezone=zone, **PARTIES)

        message = (
            f"DTSTART {shown} is outside the range of dates, 1900-01-01 to "
            "2999-12-31; the event is left out"
        )
        assert [message] == [p.message for p in result.problems]
        assert 1 == len(result.data["check_ins"])

    def test_folded_uid(self):
        """An Outlook UID folded over two lines names the event in full."""
        result = read(OUTLOOK, **OUTLOOK_PARTIES)
        assert result.where[("communication", "check_ins")] == (
            f'event "{STANDUP}" (Support stand-up)'
        )
        assert result.lines[("communication", "check_ins")] == line_of(
            OUTLOOK, "RRULE:FREQ=WEEKLY"
        )


class TestCostlyInput:
    """Rules that never occur or occur too often are problems, read quickly."""

    def test_many_series(self, tmp_path):
        """Hundreds of series that one rule cannot join are read in seconds.

        Each join tried costs more as the planned rule grows: after
        ``_MAX_JOIN_FAILURES`` series fail to join, the others are kept apart
        untried.
        """
        starts = [
            dt.datetime(2026, 1 + n // 28 % 12, 1 + n % 28, 8 + n % 10, n % 60)
            for n in range(400)
        ]
        series = [
            event(
                f"s{n}",
                f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
                "RRULE:FREQ=WEEKLY;COUNT=10",
            )
            for n, start in enumerate(starts)
        ]
        exported = dt.datetime(2026, 3, 1, 9)  # the events' DTSTAMP
        held = {
            start + dt.timedelta(weeks=k)
            for start in starts
            for k in range(10)
            if start + dt.timedelta(weeks=k) <= exported
        }
        path = write(tmp_path, calendar(*series))
        start = time.perf_counter()
        result = read(path, **PARTIES)
        assert time.perf_counter() - start < 8
        assert result.problems == ()
        communication = result.data["communication"]
        assert len(communication["x-ics-series"]) + 8 == 400
        assert communication["check_ins"].startswith(
            "DTSTART:20260101T080000Z RRULE:FREQ=WEEKLY;BYDAY=TH,FR,SA,SU;"
        )
        assert [c["at"] for c in result.data["check_ins"]] == [
            f"{at:%Y-%m-%dT%H:%M}+00:00" for at in sorted(held)
        ]

    @pytest.mark.parametrize("component", ["VALARM", "X-FOO"])
    def test_components_nested_deeply(self, tmp_path, component):
        """Components nested deeper than data may be are one problem, read quickly."""
        depth = 30_000
        nested = f"BEGIN:{component}\n" * depth + f"END:{component}\n" * depth
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z"),
                event("b", "DTSTART:20260106T100000Z", nested.rstrip("\n")),
            ),
        )
        start = time.perf_counter()
        result = read(path, **PARTIES)
        assert time.perf_counter() - start < 5
        assert result.problems == (
            ImportProblem(
                message=(
                    f"BEGIN:{component} is nested more than {MAX_DEPTH} components "
                    "deep: expected components nested a few deep (an alarm in an "
                    "event in a calendar); the file is not read"
                ),
                line=line_of(path, f"BEGIN:{component}") + MAX_DEPTH - 2,
            ),
        )
        assert result.data == {}

    def test_costly_rules(self, tmp_path):
        """A rule that never occurs, one every minute and a huge COUNT: problems."""
        path = write(
            tmp_path,
            calendar(
                "BEGIN:VTIMEZONE\nTZID:Fast\nBEGIN:STANDARD\n"
                "DTSTART:16010101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
                "RRULE:FREQ=SECONDLY\nEND:STANDARD\nEND:VTIMEZONE\n",
                event(
                    "never",
                    "DTSTART;TZID=Fast:20250105T100000",
                    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
                ),
                event("minutely", "DTSTART:20250105T100000Z", "RRULE:FREQ=MINUTELY"),
                event(
                    "count",
                    "DTSTART:20250105T100000Z",
                    "RRULE:FREQ=YEARLY;COUNT=2000000000",
                ),
            ),
        )
        result = read(path, **PARTIES)
        messages = collections.defaultdict(list)
        for problem in result.problems:
            messages[problem.where].append(problem.message)
        never = (
            "its RRULE cannot be written as a cadence (it never occurs); the series "
            "is logged but not planned"
        )
        dense = (
            "its RRULE cannot be written as a cadence (the rule may occur 527,040 "
            "times a year, over the limit of 50,000), and the series has more than "
            "10,000 occurrences before 2026-03-01T09:00+00:00; it is neither "
            "planned nor logged"
        )
        assert messages['event "never"'] == [never]
        assert messages['event "minutely"'] == [dense]
        assert len(messages['event "count"']) == 1
        engagement(result.data)

    @pytest.mark.parametrize(
        ("start", "problem"),
        [
            (
                "DTSTART;TZID=Europe/London:20000105T100000",
                (
                    "its RRULE cannot be written as a cadence, and the series has "
                    "more than 10,000 occurrences before 2026-03-01T09:00+00:00; it "
                    "is neither planned nor logged"
                ),
            ),
            (
                "DTSTART:20000105T100000Z",
                (
                    "the series has more than 10,000 occurrences before "
                    "2026-03-01T09:00+00:00; none are logged"
                ),
            ),
        ],
    )
    def test_dense_series_is_one_problem(self, tmp_path, start, problem):
        """An hourly series since 2000 is one problem that says what is left out.

        In UTC it is planned, not logged. In London its occurrences by the
        wall clock, around the changes of the clocks, are no cadence's: it is
        neither, said once, where two problems said it was logged and not.
        """
        path = write(
            tmp_path,
            calendar(event("hourly", start, "DURATION:PT30M", "RRULE:FREQ=HOURLY")),
        )

        result = read(path, **PARTIES)

        assert [problem] == [p.message for p in result.problems]
        assert "check_ins" not in result.data
        assert ("check_ins" in result.data.get("communication", {})) == (
            "none are logged" in problem
        )

    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=SECONDLY;INTERVAL=7;BYDAY=SU,FR;BYHOUR=21,0,18;BYSETPOS=2,366",
            "FREQ=MINUTELY;BYHOUR=9,10;BYSETPOS=2",
            "FREQ=MINUTELY;BYSECOND=0,30;BYSETPOS=3,-3",
        ],
    )
    def test_positions_a_period_never_has(self, tmp_path, rule):
        """A BYSETPOS past what each second or minute holds: never, said at once."""
        path = write(
            tmp_path,
            calendar(event("never", "DTSTART:19000604T155900Z", f"RRULE:{rule}")),
        )
        start = time.perf_counter()
        result = read(path, **PARTIES)
        assert time.perf_counter() - start < 10
        never = (
            "its RRULE cannot be written as a cadence (it never occurs); the series "
            "is logged but not planned"
        )
        assert [p.message for p in result.problems] == [never]

    @pytest.fixture
    def searched(self, monkeypatch):
        """Count the months (or years) dateutil searches for occurrences."""
        from dateutil import rrule

        months = []
        rebuild = rrule._iterinfo.rebuild

        def counted(info, year, month):
            months.append((year, month))
            return rebuild(info, year, month)

        monkeypatch.setattr(rrule._iterinfo, "rebuild", counted)
        return months

    @pytest.mark.parametrize(
        "rule",
        [
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
            "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
            "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20270101T000000Z",
        ],
    )
    @pytest.mark.parametrize("stamp", ["20260301T090000Z", "20260301"])
    def test_rules_that_never_occur(self, tmp_path, searched, rule, stamp):
        """A rule that never occurs is one problem, found without searching to 9999.

        Each took dateutil 4 to 8 seconds a search, to the year 9999, and was
        searched four times or more; its event is logged at its DTSTART, and
        the months searched are now a few hundred. Without a DTSTAMP that is a
        date-time, the log's end is worked out from the rules too.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "never",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "DURATION:PT30M",
                    f"RRULE:{rule}",
                    stamp=stamp,
                )
            ),
        )

        result = read(path, **PARTIES)

        assert [
            ImportProblem(
                message="its RRULE cannot be written as a cadence (it never "
                "occurs); the series is logged but not planned",
                line=line_of(path, "RRULE"),
                where='event "never"',
            )
        ] == list(result.problems)
        assert [{"at": "2026-01-05T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]
        assert len(searched) < 2_000

    def test_rule_that_never_meets_its_days(self, tmp_path, searched):
        """A rule whose days its INTERVAL never reaches is searched a while only.

        Every seventh day from a Monday is never a Tuesday: the search ends a
        while after the range of dates instead of at the year 9999, once for
        every use, some 14,000 months where it took more than 380,000.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "never",
                    "DTSTART;TZID=Europe/London:20260105T100000",
                    "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU",
                )
            ),
        )

        result = read(path, **PARTIES)

        never = (
            "its RRULE cannot be written as a cadence (it never occurs); the series "
            "is logged but not planned"
        )
        assert [never] == [p.message for p in result.problems]
        assert [{"at": "2026-01-05T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]
        assert len(searched) < 20_000

    def test_rule_first_occurring_years_after_its_start(self, tmp_path):
        """A rule of leap days, started in 2026, is planned: it occurs in 2028.

        Its occurrences were looked for in the 400 days after its start alone,
        and it was said never to occur.
        """
        path = write(
            tmp_path,
            calendar(
                event(
                    "leap",
                    "DTSTART:20260105T100000Z",
                    "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
                )
            ),
        )

        result = read(path, **PARTIES)

        assert () == tuple(result.problems)
        assert (
            "DTSTART:20260105T100000Z "
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=10;BYMINUTE=0"
        ) == result.data["communication"]["check_ins"]

    def test_zone_rule_that_never_occurs(self, tmp_path, searched):
        """A VTIMEZONE rule that never occurs changes nothing, found quickly."""
        path = write(
            tmp_path,
            calendar(
                "BEGIN:VTIMEZONE\nTZID:Odd\nBEGIN:STANDARD\n"
                "DTSTART:16010102T000000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
                "END:STANDARD\nBEGIN:DAYLIGHT\n"
                "DTSTART:16010101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
                "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\nEND:DAYLIGHT\n"
                "END:VTIMEZONE\n",
                event("sync", "DTSTART;TZID=Odd:20260105T100000"),
            ),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert [{"at": "2026-01-05T10:00+01:00", "by": "client"}] == result.data[
            "check_ins"
        ]
        assert len(searched) < 2_000

    @staticmethod
    def old_series(count: int, year: int) -> str:
        """*count* weekly series of one party's meetings since *year*, at odd times."""
        days = ("MO", "TU", "WE", "TH", "FR")
        events = []
        for k in range(count):
            hour, minute = 8 + k // 5, (k * 7) % 60
            start = f"{year}0105T{hour:02d}{minute:02d}00"
            events.append(
                event(
                    f"s{k}",
                    f"SUMMARY:Sync {k}",
                    f"DTSTART;TZID=Europe/London:{start}",
                    f"DTEND;TZID=Europe/London:{start}",
                    f"RRULE:FREQ=WEEKLY;BYDAY={days[k % 5]}",
                )
            )
        return calendar(*events)

    def test_joining_old_series_expands_little(self, tmp_path, monkeypatch):
        """Series running for decades are joined without expanding each try.

        Each join is tried on the weeks around the last start first; only one
        that holds there is checked over the decades. The cadences expanded
        while planning hold a few times the calendar's own occurrences: every
        try over the whole window held a hundred times as many.
        """
        path = write(tmp_path, self.old_series(12, 1990))
        expanded = []
        occurrences = Cadence.occurrences

        def counted(cadence, *args, **kwargs):
            found = occurrences(cadence, *args, **kwargs)
            expanded.append(len(found))
            return found

        monkeypatch.setattr(Cadence, "occurrences", counted)
        result = read(path, **PARTIES)
        communication = result.data["communication"]
        planned = len(communication.get("x-ics-series", ()))
        weeks = (dt.date(2026, 3, 1) - dt.date(1990, 1, 5)).days // 7 + 58
        assert planned < 12
        assert sum(expanded) < 10 * 12 * weeks
        loaded = engagement(result.data, start="1990-01-01")
        assert loaded.planned_check_ins(dt.date(1995, 3, 6)) == 12 - planned

    def test_joins_checked_at_too_many_moments_are_kept_apart(self, tmp_path):
        """A join whose check would take more than 300,000 moments is not made.

        Four weekly series since 1900, each on a day and at a time of its own:
        three join into a rule of three days, three hours and three minutes a
        week (27 moments, 180,000 in 6,600 weeks); the fourth would make it 64
        a week, 425,000 in all, and is listed beside it.
        """
        times = {"MO": "0900", "TU": "1010", "WE": "1120", "TH": "1230"}
        events = [
            event(
                day.lower(),
                f"SUMMARY:{day} sync",
                f"DTSTART;TZID=Europe/London:190001{number:02d}T{at}00",
                f"DTEND;TZID=Europe/London:190001{number:02d}T{at}00",
                f"RRULE:FREQ=WEEKLY;BYDAY={day}",
            )
            for number, (day, at) in enumerate(times.items(), 1)
        ]
        communication = read(write(tmp_path, calendar(*events)), **PARTIES).data[
            "communication"
        ]
        assert communication["check_ins"] == (
            "DTSTART;TZID=Europe/London:19000101T090000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE;BYHOUR=9,10,11;BYMINUTE=0,10,20;"
            "BYSETPOS=1,14,27"
        )
        assert [s["uid"] for s in communication["x-ics-series"]] == ["th"]


class TestNotACalendar:
    """A file that is no calendar is one problem, never an exception."""

    def test_web_page(self):
        """A sign-in page saved as ``.ics`` says what it is instead."""
        result = read(DATA / "not-a-calendar.ics", **PARTIES)
        assert result.data == {}
        assert result.problems == (
            ImportProblem(
                message="not an iCalendar file: expected BEGIN:VCALENDAR at the start, "
                "got '<!DOCTYPE html>'",
                line=1,
            ),
        )

    @pytest.mark.parametrize(
        "content",
        [b"", b"\x00\x01\x02\xff", b'{"id": "acme"}', b"BEGIN:VCALENDAR\nhello\n"],
    )
    def test_other_content(self, tmp_path, content):
        """Empty, binary, JSON or broken content: one problem, no data."""
        path = tmp_path / "team.ics"
        path.write_bytes(content)
        result = read(path, **PARTIES)
        assert result.data == {}
        (problem,) = result.problems
        assert problem.message.startswith("not ")

    def test_unreadable(self, tmp_path):
        """A file that cannot be read is a problem saying why."""
        (problem,) = read(tmp_path / "missing.ics", **PARTIES).problems
        assert problem.message == "cannot read the file: No such file or directory"

    def test_cut_short(self, tmp_path):
        """A file that ends before END:VCALENDAR is read, with one problem."""
        text = calendar(
            event("a", "DTSTART:20260105T100000Z"),
            event("b", "DTSTART:20260106T100000Z"),
        ).removesuffix("END:VCALENDAR\n")
        path = write(tmp_path, text)

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="the file ends inside BEGIN:VCALENDAR of line 1, without "
                "its END line; it is read as closed at its end",
                line=len(text.splitlines()),
            ),
        ) == result.problems
        assert ["2026-01-05T10:00+00:00", "2026-01-06T10:00+00:00"] == [
            c["at"] for c in result.data["check_ins"]
        ]

    def test_cut_inside_an_event(self, tmp_path):
        """A file that ends inside an event closes the event and the calendar."""
        text = calendar(
            event("a", "DTSTART:20260105T100000Z"),
            event("b", "DTSTART:20260106T100000Z"),
        ).removesuffix("END:VEVENT\nEND:VCALENDAR\n")
        path = write(tmp_path, text)

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="the file ends inside BEGIN:VEVENT of line "
                f"{line_of(path, 'UID:b') - 1} and BEGIN:VCALENDAR of line 1, "
                "without their END lines; they are read as closed at its end",
                line=len(text.splitlines()),
            ),
        ) == result.problems
        assert 2 == len(result.data["check_ins"])
        assert 'event "b"' == result.where[("check_ins", 1)]
        assert line_of(path, "UID:b") - 1 == result.lines[("check_ins", 1)]

    def test_event_not_closed(self, tmp_path):
        """An event without END:VEVENT ends where the next one begins."""
        text = calendar(
            event("a", "DTSTART:20260105T100000Z").removesuffix("END:VEVENT\n"),
            event("b", "DTSTART:20260106T100000Z"),
        )
        path = write(tmp_path, text)

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="BEGIN:VEVENT of line 4 has no END line before BEGIN:VEVENT; "
                "it is read as closed there",
                line=line_of(path, "UID:b") - 1,
            ),
        ) == result.problems
        assert ['event "a"', 'event "b"'] == [
            result.where[("check_ins", i)] for i in range(2)
        ]
        assert [4, line_of(path, "UID:b") - 1] == [
            result.lines[("check_ins", i)] for i in range(2)
        ]

    def test_alarm_not_closed(self, tmp_path):
        """An alarm without END:VALARM ends with its event."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z", "BEGIN:VALARM", "ACTION:AUDIO"),
                event("b", "DTSTART:20260106T100000Z"),
            ),
        )

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message=f"BEGIN:VALARM of line {line_of(path, 'BEGIN:VALARM')} has no "
                "END line before END:VEVENT; it is read as closed there",
                line=line_of(path, "ACTION:AUDIO") + 1,
            ),
        ) == result.problems
        assert 2 == len(result.data["check_ins"])

    def test_end_of_nothing(self, tmp_path):
        """An END that closes nothing is left out, at its line; the rest is read."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z"),
                "END:VEVENT\n",
                event("b", "DTSTART:20260106T100000Z"),
            ),
        )

        result = read(path, **PARTIES)

        stray = line_of(path, "UID:b") - 2
        assert (
            ImportProblem(
                message="END:VEVENT closes nothing: no BEGIN:VEVENT is open there; "
                "the line is left out",
                line=stray,
            ),
        ) == result.problems
        assert 2 == len(result.data["check_ins"])

    def test_misspelt_end(self, tmp_path):
        """An END of no component closes the innermost one, as icalendar reads it."""
        path = write(
            tmp_path,
            calendar(
                event("a", "DTSTART:20260105T100000Z").replace(
                    "END:VEVENT", "END:VEVNT"
                ),
                event("b", "DTSTART:20260106T100000Z"),
            ).replace("END:VCALENDAR", "END:VCALENDARD"),
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert 2 == len(result.data["check_ins"])

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
    def test_utf_16(self, tmp_path, encoding):
        """UTF-16 with a byte-order mark, as some Windows tools save text, is read."""
        text = calendar(event("a", "SUMMARY:Caf\xe9", "DTSTART:20260105T100000Z"))
        path = tmp_path / "team.ics"
        data = text.replace("\n", "\r\n").encode(encoding)
        if encoding != "utf-16":  # "utf-16" writes the mark itself
            data = "\ufeff".encode(encoding) + data
        path.write_bytes(data)

        result = read(path, **PARTIES)

        assert () == result.problems
        assert 'event "a" (Caf\xe9)' == result.where[("check_ins", 0)]

    def test_lines_ended_by_cr(self, tmp_path):
        """Lines ended by CR alone, as old Mac apps wrote them, are read as lines."""
        path = tmp_path / "team.ics"
        text = calendar(
            event("a", "DTSTART:20260105T100000Z"), event("b", "DTSTART:soon")
        )
        path.write_bytes(text.replace("\n", "\r").encode())

        result = read(path, **PARTIES)

        assert (
            ImportProblem(
                message="DTSTART 'soon' is not a date or date-time such as "
                "20260105T100000; the event is left out",
                line=16,
                where='event "b"',
            ),
        ) == result.problems
        assert [{"at": "2026-01-05T10:00+00:00", "by": "client"}] == result.data[
            "check_ins"
        ]

    def test_windows_1252(self, tmp_path):
        """Text that is not UTF-8 is read as Windows-1252, as old Outlook wrote it."""
        path = tmp_path / "team.ics"
        path.write_bytes(
            calendar(event("a", "SUMMARY:Caf\xe9", "DTSTART:20260105T100000Z"))
            .replace("\n", "\r\n")
            .encode("cp1252")
        )
        result = read(path, **PARTIES)
        assert result.problems == ()
        assert result.where[("check_ins", 0)] == 'event "a" (Caf\xe9)'

    @pytest.mark.parametrize("fold", [b"\r\n ", b"\r\n\t", b"\n "])
    def test_fold_inside_a_character(self, tmp_path, fold):
        """A line folded inside a UTF-8 character is unfolded to that character."""
        text = calendar(
            event("a", "SUMMARY:Caf\xe9 Z\xfcrich", "DTSTART:20260105T100000Z")
        ).replace("\n", "\r\n")
        data = text.encode("utf-8")
        middle = data.index("\xfc".encode()) + 1
        path = tmp_path / "team.ics"
        path.write_bytes(data[:middle] + fold + data[middle:])

        result = read(path, **PARTIES)

        assert () == result.problems
        assert 'event "a" (Caf\xe9 Z\xfcrich)' == result.where[("check_ins", 0)]

    @pytest.mark.parametrize(
        ("character", "cuts"),
        [
            ("\U0001f600", (1, 3)),
            ("\U0001f600", (1, 2, 3)),
            ("\U0001f600", (2, 3)),
            ("\u20ac", (1, 2)),
        ],
    )
    @pytest.mark.parametrize("before", ["", "Caf\xe9 "])
    def test_folds_inside_a_character(self, tmp_path, character, cuts, before):
        """A character folded more than once is unfolded to that character.

        Alone, or beside other UTF-8 text: the file is read as UTF-8 either way.
        """
        summary = f"{before}{character}"
        text = calendar(
            event("a", f"SUMMARY:{summary}", "DTSTART:20260105T100000Z")
        ).replace("\n", "\r\n")
        data = text.encode("utf-8")
        start = data.index(character.encode())
        pieces = [start, *(start + cut for cut in cuts), len(data)]
        path = tmp_path / "team.ics"
        path.write_bytes(
            data[:start]
            + b"\r\n ".join(data[a:b] for a, b in itertools.pairwise(pieces))
        )

        result = read(path, **PARTIES)

        assert () == result.problems
        assert f'event "a" ({summary})' == result.where[("check_ins", 0)]

    @pytest.mark.parametrize("mark", [b"", codecs.BOM_UTF8])
    def test_utf_8_with_a_bad_byte(self, tmp_path, mark):
        """One byte that is not UTF-8 in a UTF-8 calendar spoils that byte alone."""
        text = calendar(
            event("a", "SUMMARY:Caf\xe9", "DTSTART:20260105T100000Z"),
            event("b", "SUMMARY:Z\xfcrich BAD", "DTSTART:20260106T100000Z"),
        ).replace("\n", "\r\n")
        data = mark + text.encode("utf-8").replace(b"BAD", b"x\x81y")
        path = tmp_path / "team.ics"
        path.write_bytes(data)
        line = text[: text.index("BAD")].count("\n") + 1

        result = read(path, **PARTIES)

        assert [(p.line, p.message) for p in result.problems] == [
            (
                line,
                (
                    "byte 0x81 is not UTF-8, which the file is written in: read as "
                    "\ufffd (U+FFFD); save the calendar as UTF-8 again"
                ),
            )
        ]
        assert [result.where[("check_ins", i)] for i in range(2)] == [
            'event "a" (Caf\xe9)',
            'event "b" (Z\xfcrich x\ufffdy)',
        ]


def _package_calendars() -> list[Path]:
    """Every calendar of icalendar's and recurring-ical-events' own test suites."""
    found = []
    for package, pattern in (
        (icalendar, "tests/**/*.ics"),
        (recurring_ical_events, "test/calendars/*.ics"),
    ):
        found.extend(sorted(Path(package.__file__).parent.glob(pattern)))
    return found


PACKAGE_CALENDARS = _package_calendars()


def _series(path: Path) -> dict[str, str]:
    """The UIDs of the timed recurring series of a calendar, with their RRULEs."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = icalendar.Calendar.from_ical(path.read_bytes(), multiple=True)
    except ValueError:
        return {}
    return {
        str(c.get("UID")): str(c.get("RRULE"))
        for cal in parsed
        for c in cal.walk("VEVENT")
        if "RRULE" in c
        and "RECURRENCE-ID" not in c
        and isinstance(getattr(c.get("DTSTART"), "dt", None), dt.datetime)
    }


@pytest.mark.skipif(not PACKAGE_CALENDARS, reason="the packages ship no test calendars")
class TestPackageCalendars:
    """The calendars the calendar libraries test themselves with."""

    @pytest.mark.parametrize("path", PACKAGE_CALENDARS, ids=lambda p: p.name)
    def test_reads(self, path):
        """Every calendar reads without an exception into data that loads."""
        result = read(path, **{"all-events": True})
        engagement(result.data)
        assert all(isinstance(p, ImportProblem) for p in result.problems)

    @pytest.mark.parametrize(
        "path",
        [p for p in PACKAGE_CALENDARS if p.parent.name == "calendars" and _series(p)],
        ids=lambda p: p.name,
    )
    def test_weeks_match(self, path):
        """Where one cadence plans the series, its weeks are the calendar's rules'."""
        result = read(path, **{"all-events": True})
        communication = result.data.get("communication", {})
        if "check_ins" not in communication:
            pytest.skip("no series is planned")
        others = {s.get("uid") for s in communication.get("x-ics-series", [])}
        uids = set(_series(path)) - others
        if not uids:
            # Another RRULE of the planned series' event, or its stretch before
            # a change of "this and following", is beside it under its UID.
            pytest.skip("the planned series shares its UID with one beside it")
        loaded = engagement(result.data, zone="UTC")
        truth = calendar_weeks(path, uids, "UTC", rule_only=True)
        if not truth:
            pytest.skip("recurring-ical-events finds no occurrence")
        # recurring-ical-events is asked up to 2031: compare the weeks before
        last = min(max(truth) + dt.timedelta(weeks=8), dt.date(2030, 12, 1))
        weeks = mondays(min(truth), last)
        assert [truth[m] for m in weeks] == [loaded.planned_check_ins(m) for m in weeks]


ENGAGEMENT = textwrap.dedent(
    """\
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client: {name: Acme Ltd, timezone: Europe/London}
    vendor: {name: LedgerPros, timezone: Asia/Manila}
    check_ins:
      - {at: 2025-12-01T10:00+00:00, by: client}
    imports:
      - path: calendars/team.ics
        options:
          client: ["@acme.co.uk"]
          vendor: ["@ledgerpros.ph", "maria@gmail.com"]
    """
)

#: A stand-up every working day and Saturdays too: six a week.
DAILY = calendar(
    event(
        "standup@google.com",
        "SUMMARY:Daily stand-up",
        "DTSTART;TZID=Europe/London:20260105T093000",
        "DTEND;TZID=Europe/London:20260105T094500",
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA",
        "X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij",
    )
)


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every click version."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with an engagement importing a calendar of daily stand-ups."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    (tmp_path / "calendars").mkdir()
    write(tmp_path / "calendars", DAILY)
    (tmp_path / "acme.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    yield tmp_path
    plugins.reset()


class TestEndToEnd:
    """Through ``imports:``, ``outsourcekit import`` and ``outsourcekit check``."""

    @pytest.mark.usefixtures("project")
    def test_load(self):
        """An engagement importing a calendar has its cadence, channels and log."""
        loaded = ok.load("acme.yaml")
        communication = loaded.communication
        assert str(communication.check_ins) == (
            "DTSTART;TZID=Europe/London:20260105T093000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA;BYHOUR=9;BYMINUTE=30"
        )
        assert str(communication.check_in_length) == "15m"
        assert [c.name for c in communication.channels] == ["Google Meet"]
        # the file's own entry first, then the calendar's
        assert loaded.check_ins[0].at == dt.datetime(
            2025, 12, 1, 10, tzinfo=dt.timezone.utc
        )
        assert len(loaded.check_ins) == 1 + 48
        assert loaded.planned_check_ins(dt.date(2026, 3, 2)) == 6

    def test_cadence_in_the_client_zone(self, project):
        """Without a ``timezone`` option, the cadence is in the client's zone."""
        berlin = DAILY.replace(
            "TZID=Europe/London:20260105T09", "TZID=Europe/Berlin:20260105T10"
        )
        write(project / "calendars", berlin)
        loaded = ok.load("acme.yaml")
        assert str(loaded.communication.check_ins) == (
            "DTSTART;TZID=Europe/London:20260105T093000 "
            "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA;BYHOUR=9;BYMINUTE=30"
        )

    @pytest.mark.usefixtures("project")
    def test_check(self):
        """The micromanagement rule fires for the calendar's six stand-ups a week."""
        report = ok.check(ok.load("acme.yaml"), as_of=dt.date(2026, 3, 2))
        (finding,) = [f for f in report.findings if f.slug == "micromanagement"]
        assert finding.message == (
            "6 check-ins are planned in the week of 2026-03-02, more than the 5 a "
            "week allowed"
        )

    def test_problem_is_a_load_error(self, project):
        """A broken event is a load error naming the calendar, its line, the event."""
        text = DAILY.replace(
            "DTSTART;TZID=Europe/London:20260105T093000", "DTSTART:soon"
        )
        path = write(project / "calendars", text)
        with pytest.raises(LoadError) as raised:
            ok.load("acme.yaml")
        message = str(raised.value)
        assert f"team.ics:{line_of(path, 'DTSTART:soon')}" in message
        assert "DTSTART 'soon' is not a date or date-time" in message
        assert 'event "standup@google.com" (Daily stand-up)' in message

    @pytest.mark.usefixtures("project")
    def test_cli_import(self):
        """``outsourcekit import`` prints what the calendar says, in the format."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli,
            [
                "import",
                "calendars/team.ics",
                "--option",
                "client=@acme.co.uk",
                "--option",
                "vendor=@ledgerpros.ph,maria@gmail.com",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["communication"]["check_in_length"] == "15m"
        assert data["check_ins"][0] == {"at": "2026-01-05T09:30+00:00", "by": "client"}

    @pytest.mark.usefixtures("project")
    def test_cli_check(self):
        """``outsourcekit check`` shows the micromanagement finding of the calendar."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli, ["check", "acme.yaml", "--as-of", "2026-03-02", "--format", "json"]
        )
        report = json.loads(result.stdout)
        assert report["errors"] == []
        assert "micromanagement" in {f["slug"] for f in report["findings"]}

    def test_own_check_in_without_offset_kept_once(self, project):
        """The file's check-in without offset is the calendar's at that moment."""
        write(
            project / "calendars",
            calendar(event("sync", "DTSTART:20260112T100000Z", "SUMMARY:Sync")),
        )
        (project / "acme.yaml").write_text(
            ENGAGEMENT.replace("2025-12-01T10:00+00:00", "2026-01-12T10:00"),
            encoding="utf-8",
        )

        loaded = ok.load("acme.yaml")

        assert [dt.datetime(2026, 1, 12, 10)] == [c.at for c in loaded.check_ins]
        assert {dt.date(2026, 1, 12): 1} == loaded.check_ins_by_week(
            dt.date(2026, 1, 19)
        )

    def test_bad_options_are_located_at_the_options(self, project):
        """Bad options are load errors at each option of the engagement file."""
        (project / "acme.yaml").write_text(
            ENGAGEMENT.replace(
                '      client: ["@acme.co.uk"]\n',
                '      client: ["@acme.co.uk"]\n'
                "      timezone: Europe/Londn\n"
                "      until: tomorrow\n",
            ),
            encoding="utf-8",
        )
        with pytest.raises(LoadError) as raised:
            ok.load("acme.yaml")
        assert str(raised.value) == (
            "acme.yaml:12:7: imports[0].options.timezone: option 'timezone': "
            'expected an IANA time zone name such as "Asia/Manila" or a UTC offset '
            "such as \"+08:00\", got 'Europe/Londn' (did you mean 'Europe/London'?)\n"
            "acme.yaml:13:7: imports[0].options.until: option 'until': expected an "
            "ISO date or date-time such as 2026-03-01 or 2026-03-01T12:00+00:00, got "
            "'tomorrow'"
        )

    @pytest.mark.usefixtures("project")
    def test_cli_import_bad_options(self):
        """Bad options of ``outsourcekit import`` are the ``--option`` flag's errors."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli,
            [
                "import",
                "calendars/team.ics",
                "--option",
                "client=@acme.co.uk",
                "--option",
                "timezone=Europe/Londn",
                "--option",
                "until=tomorrow",
            ],
        )
        assert result.exit_code == 2
        assert result.stderr == (
            "Error: --option timezone: option 'timezone': expected an IANA time zone "
            'name such as "Asia/Manila" or a UTC offset such as "+08:00", got '
            "'Europe/Londn' (did you mean 'Europe/London'?)\n"
            "--option until: option 'until': expected an ISO date or date-time such "
            "as 2026-03-01 or 2026-03-01T12:00+00:00, got 'tomorrow'\n"
        )

    @pytest.mark.usefixtures("project")
    def test_cli_import_without_parties(self):
        """Without options, ``outsourcekit import`` says how to name the parties."""
        from outsourcekit.cli import cli

        result = _runner().invoke(cli, ["import", "calendars/team.ics"])
        assert result.exit_code == 2
        assert "say whose people are whose" in result.stderr
