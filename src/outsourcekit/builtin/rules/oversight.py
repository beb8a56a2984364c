"""Autonomy and oversight rules: check-ins, status reports, feedback, meeting load."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import TYPE_CHECKING

from outsourcekit.engine import Option, Rule, rule

from ._common import MICROSECOND, monday, plural

if TYPE_CHECKING:
    from collections.abc import Iterator

    from outsourcekit.engine import Context, Finding
    from outsourcekit.model import Cadence, Engagement

__all__ = [
    "RULES",
    "infrequent_check_ins",
    "meeting_load",
    "micromanagement",
    "micromanagement_in_practice",
    "no_check_ins",
    "no_feedback",
]

#: How many ISO weeks of planned check-ins OSK301 and OSK306 look at.
_PLANNED_WEEKS = 4
#: The length of a check-in when `communication.check_in_length` is not given,
#: as written and in microseconds.
_DEFAULT_LENGTH = ("30m", 30 * 60 * 1_000_000)
_WEEK = dt.timedelta(weeks=1)
#: The busiest planned week of `_busiest_week` and the planned counts of `_count`,
#: by texts, zone names and dates (strings and dates keep or quickly make their
#: hashes), emptied when they reach ``_CACHE_LIMIT`` entries.
_BUSIEST: dict[tuple[str, dt.date, str, dt.date], tuple[dt.date, int]] = {}
_COUNTS: dict[tuple[str, dt.date, str, dt.date], int] = {}
_CACHE_LIMIT = 1 << 14
#: The largest number of seconds of meetings OSK306 allows a week, by the
#: `max-share` option and the contracted hours.
_MEETING_LIMITS: dict[tuple[object, ...], tuple[Fraction, int]] = {}


def _a_year_after(day: dt.date) -> dt.date:
    """Return the same date a year later, the end (excluded) of the year from *day*.

    29 February becomes 1 March, so that the year from a leap day takes in 28
    February, the last day before its anniversary, as every other year does.
    """
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 3, 1)


def _week_number(day: dt.date) -> int:
    """Return the number of *day*'s ISO week counted from 1 January of year 1.

    Day 1 of the proleptic calendar is a Monday, so weeks are runs of 7 ordinals.
    """
    return (day.toordinal() - 1) // 7


def _status_reports(engagement: Engagement) -> Cadence | None:
    """Return the status-report cadence, or None."""
    perf = engagement.performance
    return None if perf is None else perf.status_reports


def _busiest_week(
    engagement: Engagement, cadence: Cadence, as_of: dt.date
) -> tuple[dt.date, int]:
    """Return the busiest of the ISO weeks OSK301 and OSK306 look at, and its count.

    *cadence* is the engagement's planned check-ins. The weeks are the four
    starting with the one containing as_of, or `start` if that is later
    (:meth:`~outsourcekit.model.Engagement.plan_start`); each is counted in
    full, Monday to Sunday in the client's time zone, by
    :meth:`~outsourcekit.model.Engagement.planned_check_ins`. Returns the week's
    Monday and its count; the earliest week on a tie.

    The answer is remembered: a portfolio repeats cadences, starts and zones. It
    depends only on the cadence, its anchor
    (:meth:`~outsourcekit.model.Engagement.cadence_anchor`: 00:00 of `start`, or
    of as_of, in the client's zone) and the first Monday.
    """
    start = engagement.start
    first_monday = monday(engagement.plan_start(as_of))
    key = (
        cadence.text,
        as_of if start is None else start,
        engagement.local_timezone.name,
        first_monday,
    )
    busiest = _BUSIEST.get(key)
    if busiest is None:
        weeks = [
            (week, engagement.planned_check_ins(week, as_of=as_of) or 0)
            for week in (first_monday + k * _WEEK for k in range(_PLANNED_WEEKS))
        ]
        if len(_BUSIEST) >= _CACHE_LIMIT:
            _BUSIEST.clear()
        busiest = _BUSIEST[key] = _worst(weeks)
    return busiest


def _count(engagement: Engagement, cadence: Cadence, as_of: dt.date) -> int:
    """Return the events of *cadence* in the 12 months from as_of.

    From 00:00 of as_of to 00:00 a year later, in the client's zone. The cadence
    starts at its anchor
    (:meth:`~outsourcekit.model.Engagement.cadence_anchor`). Remembered by the
    cadence's text, the anchor's date and zone, and as_of, which decide the
    answer.
    """
    start = engagement.start
    key = (
        cadence.text,
        as_of if start is None else start,
        engagement.local_timezone.name,
        as_of,
    )
    count = _COUNTS.get(key)
    if count is None:
        count = cadence.count(
            engagement.cadence_anchor(as_of),
            engagement.at_midnight(as_of),
            engagement.at_midnight(_a_year_after(as_of)),
        )
        if len(_COUNTS) >= _CACHE_LIMIT:
            _COUNTS.clear()
        _COUNTS[key] = count
    return count


def _meeting_limit(share: float, hours_per_week: float) -> tuple[Fraction, int]:
    """Return the seconds of meetings allowed a week, exactly, and in whole µs.

    *share* of *hours_per_week*, both read as the decimals they are written as.
    A whole number of microseconds (what a duration holds) is within the limit
    exactly when it is within the whole microseconds. Remembered by the numbers
    and their types (``True`` is 1 but is no decimal).
    """
    key = (type(share), share, type(hours_per_week), hours_per_week)
    found = _MEETING_LIMITS.get(key)
    if found is None:
        limit = Fraction(str(share)) * Fraction(str(hours_per_week)) * 3600
        if len(_MEETING_LIMITS) >= _CACHE_LIMIT:
            _MEETING_LIMITS.clear()
        found = _MEETING_LIMITS[key] = (limit, math.floor(limit * 1_000_000))
    return found


def _logged_weeks(
    engagement: Engagement, ctx: Context, first_week: int
) -> dict[dt.date, int]:
    """Count logged check-ins the client called, known at as_of, per ISO week.

    The counts are :meth:`~outsourcekit.model.Engagement.check_ins_by_week`'s
    with ``client_only``: a check-in without `by` counts as the client's; the
    vendor's own check-ins are reporting, not oversight. Only weeks from
    *first_week* on are kept, numbered as by `_week_number`; the keys are the
    weeks' Mondays, latest first.
    """
    # the Monday of week number w is ordinal 7w + 1; a window reaching back
    # before year 1 keeps every week
    first = dt.date.fromordinal(first_week * 7 + 1) if first_week > 0 else dt.date.min
    weeks = engagement.check_ins_by_week(ctx.as_of, client_only=True)
    kept: dict[dt.date, int] = {}
    for week in reversed(weeks):  # the weeks are in date order: stop at the window
        if week < first:
            break
        kept[week] = weeks[week]
    return kept


def _worst(counts: list[tuple[dt.date, int]]) -> tuple[dt.date, int]:
    """Return the week with the most events; the earliest one on a tie."""
    return min(counts, key=lambda wc: (-wc[1], wc[0]))


def _hours(value: float | Fraction, places: int = 2) -> str:
    """Write a number of hours briefly: ``2h``, ``3.5h``, ``0.75h``."""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return f"{text}h"


#: The most decimals OSK306's message gives the hours of meetings.
_MOST_PLACES = 6


def _hours_over(hours: Fraction, limit: Fraction) -> tuple[str, str]:
    """Write *hours* and the *limit* below it with as many decimals as tell them apart.

    Two at least (``2.5h`` over ``2h``), up to six (``2.0002h`` over ``2h``).
    """
    places = 2
    while places < _MOST_PLACES and _hours(hours, places) == _hours(limit, places):
        places += 1
    return _hours(hours, places), _hours(limit, places)


def _check_ins_were(count: int, verb: str, called: str = "") -> str:
    """Return ``1 check-in is`` or ``2 check-ins are`` (*verb*: ``is`` or ``was``).

    *called* goes between the noun and the verb (``called by the client``).
    """
    if count != 1:
        verb = "are" if verb == "is" else "were"
    middle = f" {called}" if called else ""
    return f"{plural(count, 'check-in')}{middle} {verb}"


def _percent(share: float) -> str:
    """Write a fraction as a percentage: ``0.1`` is ``10%``, ``0.125`` is ``12.5%``."""
    return f"{round(share * 100, 6):g}%"


@rule(
    code="OSK301",
    slug="micromanagement",
    title="Micromanagement",
    category="oversight",
    severity="warning",
    sources=("A", "B3", "E"),
    fix="Plan fewer check-ins: a short stand-up on working days at most, with "
    "written status reports for the rest.",
    options={
        "max-per-week": Option(
            default=5,
            help="The most planned check-ins allowed in one ISO week.",
            minimum=0,
        )
    },
)
def micromanagement(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a check-in plan so dense that it amounts to micromanagement.

    ## What it checks
    The cadence in `communication.check_ins`, counted over four ISO weeks
    (Monday to Sunday, in the client's time zone): the week containing as_of, or
    the week containing `start` if the engagement starts later, and the three
    after it. Each week is counted in full, also the days before as_of. The rule
    fires when some week has more than `max-per-week` (default 5) planned
    check-ins; exactly `max-per-week` is allowed. One finding names the busiest
    week (the earliest, on a tie). Only active engagements are checked (status
    `trial` or `active`, or no status with a `start` on or before as_of and no
    `end` before it).

    Only meetings count. Written status reports (`performance.status_reports`)
    are updates, not check-ins, and never count here: daily written reporting
    is good practice (Source C). The phrase matters: `weekdays` (a stand-up on
    working days) is 5 check-ins a week and stays within the default, whereas
    `daily` also meets on Saturdays and Sundays, 7 a week, and fires.

    Changed in catalogue 1.1: only active engagements are judged (paused and
    proposed ones were judged too).

    ## Why it matters
    Checking in keeps the client informed, but follow-ups that come too often
    erode the trust the relationship is built on (Source A). Micromanaging
    outsourced work defeats the point of delegating it and eats the client's own
    time (Source B, mistake 3); once a task is handed over, let go of it
    (Source E).

    ## How to fix
    Meet less often: `weekdays` or fewer, or a few check-ins a week, and ask for
    written status reports (`performance.status_reports: daily`) in between.
    If a dense phase is deliberate, such as onboarding, waive the finding with
    a reason and an `until` date.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    communication:
      check_ins: daily
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    communication:
      check_ins: weekdays
    performance:
      status_reports: daily
    ```
    """
    cadence = engagement.check_in_cadence
    if cadence is None or not engagement.is_active(ctx.as_of):
        return
    limit: int = ctx.options["max-per-week"]
    week, count = _busiest_week(engagement, cadence, ctx.as_of)
    if count <= limit:
        return
    yield ctx.finding(
        f"{_check_ins_were(count, 'is')} planned in the week of {week}, more than "
        f"the {limit} a week allowed",
        path="communication.check_ins",
        evidence={
            "week": week,
            "check_ins": count,
            "max_per_week": limit,
            "cadence": str(cadence),
        },
    )


@rule(
    code="OSK302",
    slug="micromanagement-in-practice",
    title="Micromanagement in practice",
    category="oversight",
    severity="warning",
    sources=("A", "B3", "E"),
    fix="Hold fewer check-ins and rely on written status reports and the agreed "
    "results between them.",
    options={
        "max-per-week": Option(
            default=5,
            help="The most logged check-ins allowed in one ISO week.",
            minimum=0,
        ),
        "window-weeks": Option(
            default=4,
            help="How many ISO weeks, ending with the week of as_of, are looked at.",
            minimum=1,
        ),
    },
)
def micromanagement_in_practice(
    engagement: Engagement, ctx: Context
) -> Iterator[Finding]:
    """Flag weeks in which check-ins that actually happened were too many.

    ## What it checks
    The log of check-ins that took place (`check_ins:`), counting only entries
    dated on or before as_of and called by the client: `by: client`, or no
    `by`. Check-ins the vendor called itself (`by: vendor`) are the vendor
    reporting, not the client overseeing, and never count. The entries are
    grouped by ISO week in the client's time zone, over the `window-weeks`
    weeks (default 4) that end with the week containing as_of. The rule fires
    when some week has more than its own `max-per-week` (default 5) entries;
    exactly `max-per-week` is allowed. One finding names the busiest week (the
    earliest, on a tie). Only active engagements are checked.

    Changed in catalogue 1.1: only check-ins called by the client count, and
    only active engagements are judged.

    This is the practice counterpart of `micromanagement` (OSK301), which looks
    at the plan. As there, written status reports are not check-ins.

    ## Why it matters
    Whatever the plan says, a log full of meetings shows a client who has not
    let go: too frequent follow-ups damage trust (Source A), take the client's
    time and defeat delegation (Source B, mistake 3; Source E).

    ## How to fix
    Keep to the planned check-ins, judge the vendor by results, and move
    day-to-day questions to written updates or the chat channel.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    check_ins:
      - {at: 2026-11-09T09:00}
      - {at: 2026-11-10T09:00}
      - {at: 2026-11-11T09:00}
      - {at: 2026-11-12T09:00}
      - {at: 2026-11-13T09:00}
      - {at: 2026-11-13T16:00}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    check_ins:
      - {at: 2026-11-09T09:00}
      - {at: 2026-11-11T09:00}
      - {at: 2026-11-13T09:00}
    ```
    """
    logged = engagement.check_ins
    if not logged or not engagement.is_active(ctx.as_of):
        return
    limit: int = ctx.options["max-per-week"]
    window: int = ctx.options["window-weeks"]
    counts = _logged_weeks(engagement, ctx, _week_number(ctx.as_of) - window + 1)
    if not counts:
        return
    week, count = _worst(list(counts.items()))
    if count <= limit:
        return
    yield ctx.finding(
        f"{_check_ins_were(count, 'was', 'called by the client')} held in the week "
        f"of {week}, more than "
        f"the {limit} a week allowed",
        path="check_ins",
        evidence={
            "week": week,
            "check_ins": count,
            "max_per_week": limit,
            "window_weeks": window,
        },
    )


@rule(
    code="OSK303",
    slug="no-check-ins",
    title="No check-ins",
    category="oversight",
    severity="warning",
    sources=("C", "B3"),
    fix="Plan regular check-ins (for example weekly) or written status reports, "
    "or both.",
)
def no_check_ins(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an active engagement with neither check-ins nor status reports planned.

    ## What it checks
    An active engagement (status `trial` or `active`, or no status with a
    `start` on or before as_of and no `end` before it) that has no
    `communication.check_ins` cadence and no `performance.status_reports`
    cadence.

    ## Why it matters
    Outsourced work still needs supervision: a fixed time to report progress
    and raise questions keeps everybody on the same page (Source C). Autonomy
    works with periodic check-ins to make sure the work stays aligned, not
    without them (Source B, mistake 3).

    ## How to fix
    Set `communication.check_ins` (such as `weekly` or
    `FREQ=WEEKLY;BYDAY=MO;BYHOUR=10`) or `performance.status_reports` (such as
    `daily`).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    communication:
      check_ins: weekly
    ```
    """
    if (
        engagement.check_in_cadence is not None
        or _status_reports(engagement) is not None
    ):
        return
    if not engagement.is_active(ctx.as_of):
        return
    yield ctx.finding(
        "Neither check-ins nor status reports are planned for this active engagement",
        path="communication.check_ins",
        evidence={"check_ins": None, "status_reports": None},
    )


@rule(
    code="OSK304",
    slug="infrequent-check-ins",
    title="Infrequent check-ins",
    category="oversight",
    severity="info",
    sources=("C",),
    fix="Plan check-ins or status reports at least monthly.",
    options={
        "min-per-month": Option(
            default=1,
            help="The fewest check-ins and status reports together expected per "
            "month, on average over the next 12 months.",
            minimum=0,
        )
    },
)
def infrequent_check_ins(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag check-ins and status reports planned too rarely to keep track of work.

    ## What it checks
    The planned check-ins (`communication.check_ins`) and status reports
    (`performance.status_reports`) in the 12 months from as_of (as_of included,
    the same date a year later excluded), counted together. The rule fires when
    they number fewer than 12 times `min-per-month` (default 1, so 12). A cadence
    that is absent counts 0; when both are absent the rule is silent, as that
    is `no-check-ins` (OSK303). Only active engagements are checked.

    The finding is at `performance.status_reports` when status reports are all
    that is planned, else at `communication.check_ins` (also when both are
    planned), and its message names what is planned ("Only 4 status reports
    are planned ...", "Only 4 check-ins and status reports are planned ...").
    A cadence whose occurrences are all past plans nothing; when nothing at
    all is planned, the finding is at what is written.

    Changed in catalogue 1.1: only active engagements are judged (paused and
    proposed ones were judged too).

    ## Why it matters
    Progress reports and meetings are how a client knows where the outsourced
    work stands and can steer it back in time (Source C). A quarterly touch
    point leaves months in which nobody looks.

    ## How to fix
    Plan check-ins or status reports at least monthly, for example
    `communication.check_ins: monthly` or `performance.status_reports: weekly`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    communication:
      check_ins: quarterly
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    communication:
      check_ins: monthly
    ```
    """
    check_ins = engagement.check_in_cadence
    reports = _status_reports(engagement)
    if check_ins is None and reports is None:
        return
    if not engagement.is_active(ctx.as_of):
        return
    minimum = 12 * ctx.options["min-per-month"]
    planned_check_ins = (
        0 if check_ins is None else _count(engagement, check_ins, ctx.as_of)
    )
    planned_reports = 0 if reports is None else _count(engagement, reports, ctx.as_of)
    total = planned_check_ins + planned_reports
    if total >= minimum:
        return
    until = _a_year_after(ctx.as_of)
    # The finding is where the planned facts are: the status reports when they
    # are all that is planned, else the check-ins. When nothing is planned,
    # where the cadences are written.
    if total:
        reports_only, check_ins_only = planned_check_ins == 0, planned_reports == 0
    else:
        reports_only, check_ins_only = check_ins is None, reports is None
    if reports_only:
        none, one, many = "No status reports are", "status report", "status reports"
        path = "performance.status_reports"
    elif check_ins_only:
        none, one, many = "No check-ins are", "check-in", "check-ins"
        path = "communication.check_ins"
    else:
        none = "No check-ins or status reports are"
        one, many = "check-in or status report", "check-ins and status reports"
        path = "communication.check_ins"
    if total == 0:
        what = none
    elif total == 1:
        what = f"Only 1 {one} is"
    else:
        what = f"Only {total} {many} are"
    yield ctx.finding(
        f"{what} planned in the 12 months from {ctx.as_of}, fewer than the "
        f"{minimum} expected",
        path=path,
        evidence={
            "check_ins": planned_check_ins,
            "status_reports": planned_reports,
            "total": total,
            "minimum": minimum,
            "from": ctx.as_of,
            "until": until,
        },
    )


@rule(
    code="OSK305",
    slug="no-feedback",
    title="No feedback cadence",
    category="oversight",
    severity="info",
    sources=("B4", "C"),
    fix="Plan regular feedback to the vendor, for example monthly.",
)
def no_feedback(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that plans no regular feedback to the vendor.

    ## What it checks
    That `communication.feedback` gives a cadence for feedback to the vendor.

    ## Why it matters
    Feedback given on the client's own initiative is how a vendor learns what
    good looks like and improves towards it (Source B, mistake 4). Reviewing the
    work and telling the team about it also shows that it is being looked after
    (Source C).

    ## How to fix
    Set `communication.feedback` to a cadence such as `monthly` or `biweekly`,
    and hold to it.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    communication:
      check_ins: weekly
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    communication:
      check_ins: weekly
      feedback: monthly
    ```
    """
    comm = engagement.communication
    if comm is not None and comm.feedback is not None:
        return
    yield ctx.finding(
        "No regular feedback to the vendor is planned",
        path="communication.feedback",
        evidence={"feedback": None},
    )


@rule(
    code="OSK306",
    slug="meeting-load",
    title="Meeting load",
    category="oversight",
    severity="warning",
    sources=("A", "B3"),
    fix="Shorten or thin out the check-ins so that meetings take a small share of "
    "the contracted hours.",
    options={
        "max-share": Option(
            default=0.1,
            type=float,
            help="The largest fraction of the contracted weekly hours that planned "
            "check-ins may take (0.1 is 10%).",
            minimum=0,
            maximum=1,
        )
    },
)
def meeting_load(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag check-ins that take too large a share of the vendor's contracted hours.

    ## What it checks
    For each of the four ISO weeks `micromanagement` (OSK301) looks at, the
    planned check-ins times their length (`communication.check_in_length`, 30
    minutes when not given) against `max-share` (default 0.1, i.e. 10%) of the
    contracted `hours_per_week`. The rule fires when some week's meeting hours
    exceed that share; exactly the share is allowed. One finding names the
    busiest week (the earliest, on a tie). Without `hours_per_week` or a
    check-in cadence there is nothing to compare and the rule is silent; only
    active engagements are checked.

    Changed in catalogue 1.1: only active engagements are judged (paused and
    proposed ones were judged too).

    ## Why it matters
    Time the vendor spends in meetings is time not spent on the work the client
    pays for. Frequent follow-ups strain trust (Source A), and constant
    oversight defeats the point of delegating (Source B, mistake 3); on a
    part-time contract a few long calls can take a large bite of the week.

    ## How to fix
    Meet less often or keep check-ins short (`check_in_length: 15m`), or, if
    the hours were under-estimated, contract more `hours_per_week`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    hours_per_week: 10
    communication:
      check_ins: twice a week
      check_in_length: 1h
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    hours_per_week: 10
    communication:
      check_ins: twice a week
      check_in_length: 30m
    ```
    """
    hours_per_week = engagement.hours_per_week
    comm = engagement.communication
    if hours_per_week is None or comm is None or comm.check_ins is None:
        return
    if not engagement.is_active(ctx.as_of):
        return
    share: float = ctx.options["max-share"]
    if comm.check_in_length is None:
        length, length_micros = _DEFAULT_LENGTH
    else:
        length = str(comm.check_in_length)
        length_micros = comm.check_in_length.timedelta // MICROSECOND
    limit_seconds, whole_micros = _meeting_limit(share, hours_per_week)
    week, count = _busiest_week(engagement, comm.check_ins, ctx.as_of)
    if count * length_micros <= whole_micros:
        return
    hours = Fraction(count * length_micros, 3600 * 1_000_000)
    limit_hours = limit_seconds / 3600
    taken, allowed = _hours_over(hours, limit_hours)
    yield ctx.finding(
        f"Check-ins planned in the week of {week} take {taken} "
        f"({plural(count, 'check-in')} of {length}), more than {_percent(share)} "
        f"of the {_hours(hours_per_week)} contracted a week ({allowed})",
        path="communication.check_ins",
        evidence={
            "week": week,
            "check_ins": count,
            "check_in_length": length,
            "hours": float(hours),
            "hours_per_week": hours_per_week,
            "max_share": share,
            "limit_hours": float(limit_hours),
        },
    )


#: The oversight rules, in catalogue order.
RULES: tuple[Rule, ...] = (
    micromanagement,
    micromanagement_in_practice,
    no_check_ins,
    infrequent_check_ins,
    no_feedback,
    meeting_load,
)
