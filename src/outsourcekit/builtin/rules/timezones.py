"""Time-zone rules (OSK5xx): working-hour overlap and meetings outside hours."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from outsourcekit.engine import Context, Finding, Option, rule

from ._common import MICROSECOND, client_name, vendor_label, vendor_name

if TYPE_CHECKING:
    from collections.abc import Iterator

    from outsourcekit.model import Cadence, Engagement, TimeZone, WorkingHours

__all__ = [
    "RULES",
    "meeting_outside_hours",
    "no_working_overlap",
    "unknown_working_hours",
]

#: How many days OSK501 looks ahead for a day both parties work.
SEARCH_DAYS = 14
#: How many days of planned check-ins OSK503 looks at.
MEETING_WINDOW_DAYS = 28
#: The check-in length assumed when `communication.check_in_length` is absent.
DEFAULT_CHECK_IN_LENGTH = dt.timedelta(minutes=30)


def _hours(value: dt.timedelta) -> str:
    """Format a duration as hours and minutes: ``0h``, ``2h``, ``1h30m``, ``45m``.

    Seconds are shown when there are any, so that a duration is never written
    as another: ``2h00m01s``, ``30m30s``, ``45s``, ``1h00m00.25s``.
    """
    minutes, micros = divmod(value // MICROSECOND, 60_000_000)
    hours, rest = divmod(minutes, 60)
    if micros:
        seconds, fraction = divmod(micros, 1_000_000)
        text = f"{seconds:02d}" if minutes else str(seconds)
        if fraction:
            text += f".{fraction:06d}".rstrip("0")
        if hours:
            return f"{hours}h{rest:02d}m{text}s"
        return f"{rest}m{text}s" if rest else f"{text}s"
    if rest == 0:
        return f"{hours}h"
    if hours == 0:
        return f"{rest}m"
    return f"{hours}h{rest:02d}m"


def _utc(offset: dt.timedelta | None) -> str:
    """Format a UTC offset as ``UTC+08:00``."""
    if offset is None:
        return "UTC"
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(round(offset.total_seconds() / 60))
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _schedule(
    engagement: Engagement,
) -> tuple[WorkingHours, TimeZone, WorkingHours, TimeZone] | None:
    """Both parties' working hours and time zones, or None when any is unknown."""
    client, vendor = engagement.client, engagement.vendor
    if client is None or vendor is None:
        return None
    if (
        client.working_hours is None
        or client.timezone is None
        or vendor.working_hours is None
        or vendor.timezone is None
    ):
        return None
    return client.working_hours, client.timezone, vendor.working_hours, vendor.timezone


#: Parties a meeting falls outside of, first days both parties work, what OSK503
#: finds and UTC offsets, shared by every run and emptied when they reach
#: ``_CACHE_LIMIT`` entries: portfolios repeat the same hours, zones, plans and
#: meeting times many times over. Keys hold texts and zone names rather than the
#: values: strings keep their hashes, and the texts decide the values.
_COVERS: dict[tuple[object, ...], tuple[str, ...]] = {}
_FIRST_DAYS: dict[tuple[str, str, dt.date], dt.date | None] = {}
_VERDICTS: dict[tuple[object, ...], _Verdict | None] = {}
_OFFSETS: dict[
    tuple[str, str, dt.date], tuple[dt.timedelta | None, dt.timedelta | None]
] = {}
_CACHE_LIMIT = 1 << 16


def _missed(
    schedule: tuple[WorkingHours, TimeZone, WorkingHours, TimeZone],
    texts: tuple[str, str, str, str],
    begin: dt.datetime,
    end: dt.datetime,
) -> tuple[str, ...]:
    """Return the parties (``client``, ``vendor``) not working all of [begin, end].

    Remembered by *texts* (the hours' texts and the zones' names of the
    *schedule*) and the two moments: the answer depends on the moments alone,
    not on the zone they are written in, and aware datetimes hash and compare as
    moments.
    """
    key = (texts, begin, end)
    missed = _COVERS.get(key)
    if missed is None:
        client_hours, client_tz, vendor_hours, vendor_tz = schedule
        missed = tuple(
            side
            for side, hours, tz in (
                ("client", client_hours, client_tz),
                ("vendor", vendor_hours, vendor_tz),
            )
            if not hours.covers(begin, end, tz)
        )
        if len(_COVERS) >= _CACHE_LIMIT:
            _COVERS.clear()
        _COVERS[key] = missed
    return missed


#: What OSK503 finds: the first check-in outside working hours (in the
#: client's zone), how many are, of how many, and whose hours the first misses.
_Verdict = tuple[dt.datetime, int, int, tuple[str, ...]]


def _meetings_outside(
    engagement: Engagement,
    cadence: Cadence,
    schedule: tuple[WorkingHours, TimeZone, WorkingHours, TimeZone],
    length: dt.timedelta,
    as_of: dt.date,
) -> _Verdict | None:
    """Return what OSK503 finds about the check-ins, or None when all are inside.

    Remembered by what decides it: the cadence's text, the anchor's date
    (:meth:`~outsourcekit.model.Engagement.cadence_anchor`, in the client's
    zone), as_of, both parties' hours and zones, and the length.
    """
    client_hours, client_tz, vendor_hours, vendor_tz = schedule
    texts = (client_hours.text, client_tz.name, vendor_hours.text, vendor_tz.name)
    start = engagement.start
    key = (cadence.text, as_of if start is None else start, as_of, texts, length)
    if key in _VERDICTS:
        return _VERDICTS[key]
    occurrences = cadence.occurrences(
        engagement.cadence_anchor(as_of),
        engagement.at_midnight(as_of),
        engagement.at_midnight(as_of + dt.timedelta(days=MEETING_WINDOW_DAYS)),
    )
    outside: list[tuple[dt.datetime, tuple[str, ...]]] = []
    for begin in occurrences:
        missed = _missed(schedule, texts, begin, begin + length)
        if missed:
            outside.append((begin, missed))
    verdict = None
    if outside:
        first, missed = outside[0]
        local = first.astimezone(client_tz.tzinfo)
        verdict = (local, len(outside), len(occurrences), missed)
    if len(_VERDICTS) >= _CACHE_LIMIT:
        _VERDICTS.clear()
    _VERDICTS[key] = verdict
    return verdict


def _first_shared_day(
    client_hours: WorkingHours, vendor_hours: WorkingHours, as_of: dt.date
) -> dt.date | None:
    """Return the first of the SEARCH_DAYS days from *as_of* both parties work.

    Remembered by the hours' texts and *as_of*.
    """
    key = (client_hours.text, vendor_hours.text, as_of)
    if key in _FIRST_DAYS:
        return _FIRST_DAYS[key]
    day = None
    for offset in range(SEARCH_DAYS):
        candidate = as_of + dt.timedelta(days=offset)
        if client_hours.is_working_day(candidate) and vendor_hours.is_working_day(
            candidate
        ):
            day = candidate
            break
    if len(_FIRST_DAYS) >= _CACHE_LIMIT:
        _FIRST_DAYS.clear()
    _FIRST_DAYS[key] = day
    return day


def _offsets(
    engagement: Engagement, client_tz: TimeZone, vendor_tz: TimeZone, as_of: dt.date
) -> tuple[dt.timedelta | None, dt.timedelta | None]:
    """Return both parties' UTC offsets at 00:00 of *as_of* in the client's zone."""
    key = (client_tz.name, vendor_tz.name, as_of)
    found = _OFFSETS.get(key)
    if found is None:
        moment = engagement.at_midnight(as_of)
        found = (
            moment.astimezone(client_tz.tzinfo).utcoffset(),
            moment.astimezone(vendor_tz.tzinfo).utcoffset(),
        )
        if len(_OFFSETS) >= _CACHE_LIMIT:
            _OFFSETS.clear()
        _OFFSETS[key] = found
    return found


@rule(
    code="OSK501",
    slug="no-working-overlap",
    title="Too little working-hour overlap",
    category="time-zones",
    severity="warning",
    sources=("B5",),
    fix="Agree on shared hours: shift one party's working hours, or add a "
    "shift, until the overlap reaches the minimum.",
    options={
        "min-overlap": Option(
            default=dt.timedelta(hours=2),
            help="How long the parties' working days must overlap, a duration "
            "such as 2h, 90m or 1h30m.",
            minimum=dt.timedelta(0),
        )
    },
)
def no_working_overlap(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag parties whose working hours overlap by less than the minimum.

    ## What it checks
    Takes the first day on or after as_of (looking at most 14 days ahead) that
    is a working day for both parties, each party's working days read on the
    same calendar date. It places the client's and the vendor's working
    intervals of that date in UTC, each with its own zone's offset on that date,
    and fires when they overlap by less than `min-overlap` (default 2h).
    When no day in those 14 days is a working day for both, the overlap is 0h
    and the rule fires too.

    `min-overlap` is a duration written as the file format writes one
    (`min-overlap = "90m"`, `"1h30m"` or `"PT1H30M"`); a bare number is refused,
    as it has no unit. The finding's evidence gives the overlap and the minimum
    in hours (`overlap_hours`, `min_overlap_hours`).

    The rule needs both parties' `working_hours` and `timezone`; without them it
    is silent (OSK502 reports unknown working hours). Only active engagements
    are checked. Because offsets are taken on the day itself, the same pair of
    parties can pass in winter and fail in summer when only one of them
    observes daylight saving time: as_of decides which day is judged.

    Changed in catalogue 1.1: only active engagements are judged (paused and
    proposed ones were judged too).

    ## Why it matters
    Time-zone gaps that nobody planned for are a common source of trouble with
    international vendors; expectations about working hours should be settled
    explicitly (Source B, mistake 5). With no shared hours, every question waits
    a day for its answer.

    ## How to fix
    Agree on hours both parties are reachable: move one party's working hours,
    or add a shifted range (`"08:00-17:00; 21:00-23:00"`), and record the result
    in `client.working_hours` and `vendor.working_hours`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
      working_hours: "08:00-17:00"
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
      working_hours: "14:00-23:00"
    ```
    """
    schedule = _schedule(engagement)
    if schedule is None or not engagement.is_active(ctx.as_of):
        return
    client_hours, client_tz, vendor_hours, vendor_tz = schedule
    minimum: dt.timedelta = ctx.options["min-overlap"]
    day = _first_shared_day(client_hours, vendor_hours, ctx.as_of)
    if day is None:
        shared = dt.timedelta(0)
    else:
        shared = engagement.working_overlap(day) or dt.timedelta(0)
    if shared >= minimum:
        return
    who = vendor_label(engagement.vendor)
    client = client_name(engagement.client)
    when = (
        f"on {day.isoformat()} is {_hours(shared)}"
        if day is not None
        else f"is 0h, as no day in the {SEARCH_DAYS} days from "
        f"{ctx.as_of.isoformat()} is a working day for both"
    )
    yield ctx.finding(
        f"{who} works {vendor_hours} {vendor_tz}; overlap with {client} "
        f"({client_hours} {client_tz}) {when}, below the "
        f"{_hours(minimum)} minimum",
        path="vendor.working_hours",
        evidence={
            "date": day,
            "overlap_hours": shared.total_seconds() / 3600,
            "min_overlap_hours": minimum.total_seconds() / 3600,
            "client_working_hours": str(client_hours),
            "client_timezone": str(client_tz),
            "vendor_working_hours": str(vendor_hours),
            "vendor_timezone": str(vendor_tz),
        },
    )


@rule(
    code="OSK502",
    slug="unknown-working-hours",
    title="Working hours unknown across time zones",
    category="time-zones",
    severity="info",
    sources=("B5",),
    fix="Record both parties' time zones and working hours.",
)
def unknown_working_hours(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag unknown working hours where the parties may not share a clock.

    ## What it checks
    Fires when either party's `working_hours` is absent and either the two
    parties' UTC offsets differ at as_of (00:00 in the client's time zone) or
    either party's `timezone` is unknown. One finding per engagement names
    each party whose working hours are unknown; it is at that party's
    `working_hours`, or at `client.working_hours` when both are unknown.
    Whatever the engagement's status, the rule holds.

    Changed in catalogue 1.1: one finding per engagement instead of one per
    party.

    ## Why it matters
    Time-zone differences become trouble when nobody has said when each side
    works (Source B, mistake 5). Without working hours OSK501 and OSK503 cannot
    judge the overlap or the meeting times, so this rule says what is missing
    instead of staying silent.

    ## How to fix
    Set `working_hours` (and `timezone`) for both `client` and `vendor`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
      working_hours: "14:00-23:00"
    ```
    """
    client, vendor = engagement.client, engagement.vendor
    client_unknown = client is None or client.working_hours is None
    vendor_unknown = vendor is None or vendor.working_hours is None
    if not client_unknown and not vendor_unknown:
        return
    client_tz = None if client is None else client.timezone
    vendor_tz = None if vendor is None else vendor.timezone
    offsets = None
    if client_tz is not None and vendor_tz is not None:
        offsets = _offsets(engagement, client_tz, vendor_tz, ctx.as_of)
        if offsets[0] == offsets[1]:
            return
    client_called, vendor_called = client_name(client), vendor_name(vendor)
    unknown = [
        (side, name)
        for side, name, missing in (
            ("client", client_called, client_unknown),
            ("vendor", vendor_called, vendor_unknown),
        )
        if missing
    ]
    evidence: dict[str, object]
    if offsets is None or client_tz is None or vendor_tz is None:
        zones = [
            name
            for name, tz in ((client_called, client_tz), (vendor_called, vendor_tz))
            if tz is None
        ]
        reason = f"so is the time zone of {' and of '.join(zones)}"
        evidence = {
            "client_timezone": None if client_tz is None else str(client_tz),
            "vendor_timezone": None if vendor_tz is None else str(vendor_tz),
        }
    else:
        client_offset, vendor_offset = offsets
        reason = (
            f"{vendor_called} is at {_utc(vendor_offset)} ({vendor_tz}) while "
            f"{client_called} is at {_utc(client_offset)} ({client_tz}) on "
            f"{ctx.as_of.isoformat()}"
        )
        evidence = {
            "client_timezone": str(client_tz),
            "vendor_timezone": str(vendor_tz),
            "client_utc_offset": _utc(client_offset),
            "vendor_utc_offset": _utc(vendor_offset),
        }
    names = " and of ".join(name for _, name in unknown)
    yield ctx.finding(
        f"The working hours of {names} are unknown, and {reason}",
        path=f"{unknown[0][0]}.working_hours",
        evidence={"parties": [side for side, _ in unknown], **evidence},
    )


@rule(
    code="OSK503",
    slug="meeting-outside-hours",
    title="Check-ins outside working hours",
    category="time-zones",
    severity="warning",
    sources=("B5",),
    fix="Move the check-ins to a time inside both parties' working hours.",
)
def meeting_outside_hours(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag planned check-ins that fall outside either party's working hours.

    ## What it checks
    When `communication.check_ins` has a time of day (an RRULE with `BYHOUR`),
    takes its occurrences from as_of (00:00 in the client's time zone) up to 28
    days later, each lasting `communication.check_in_length` (default 30m), and
    fires when one of them is not entirely inside the working intervals of both
    parties, working days included. One finding per engagement names the first
    such check-in and how many there are.

    Check-in times are in the client's time zone. The rule needs both parties'
    `working_hours` and `timezone` (OSK502 reports unknown working hours), is
    silent for cadences without a time of day and checks only active
    engagements.

    Changed in catalogue 1.1: only active engagements are judged (paused and
    proposed ones were judged too).

    ## Why it matters
    Meetings scheduled outside someone's working day are missed, held by tired
    people or quietly resented; work hours are an expectation to settle
    explicitly with an international vendor (Source B, mistake 5).

    ## How to fix
    Move `communication.check_ins` to an hour inside both parties' working
    hours, or agree on working hours that include it.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
      working_hours: "12:00-21:00"
    communication:
      check_ins: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=15"
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client:
      name: Acme Ltd
      timezone: Europe/London
      working_hours: "09:00-17:30"
    vendor:
      name: LedgerPros
      timezone: Asia/Manila
      working_hours: "12:00-21:00"
    communication:
      check_ins: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10"
    ```
    """
    plan = engagement.communication
    if plan is None or plan.check_ins is None or not plan.check_ins.has_time_of_day:
        return
    schedule = _schedule(engagement)
    if schedule is None or not engagement.is_active(ctx.as_of):
        return
    client_hours, client_tz, vendor_hours, vendor_tz = schedule
    length = (
        DEFAULT_CHECK_IN_LENGTH
        if plan.check_in_length is None
        else plan.check_in_length.timedelta
    )
    verdict = _meetings_outside(engagement, plan.check_ins, schedule, length, ctx.as_of)
    if verdict is None:
        return
    local, count, total, missed = verdict
    names = {
        "client": f"{client_name(engagement.client)} ({client_hours} {client_tz})",
        "vendor": f"{vendor_name(engagement.vendor)} ({vendor_hours} {vendor_tz})",
    }
    where = " and of ".join(names[m] for m in missed)
    yield ctx.finding(
        f"The check-in of {local:%Y-%m-%d %H:%M} {client_tz} ({_hours(length)}) "
        f"falls outside the working hours of {where}; {count} of the {total} "
        f"check-ins in the {MEETING_WINDOW_DAYS} days from {ctx.as_of.isoformat()} do",
        path="communication.check_ins",
        evidence={
            "first": local,
            "outside": count,
            "occurrences": total,
            "parties": list(missed),
            "length_minutes": round(length.total_seconds() / 60),
        },
    )


#: The time-zone rules, in catalogue order.
RULES = (no_working_overlap, unknown_working_hours, meeting_outside_hours)
