"""Performance rules: KPIs, their measurements and reviews of the relationship."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from outsourcekit.engine import Context, Finding, Option, rule
from outsourcekit.model import (
    KPI,
    Direction,
    Engagement,
    Measurement,
    ReviewOutcome,
)

from ._common import item_path, plural

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "RULES",
    "kpi_not_measured",
    "kpi_target_missed",
    "kpi_without_target",
    "no_kpis",
    "no_recent_review",
    "termination_ignored",
]

#: How far back OSK703 looks for gaps between planned measurements.
CADENCE_WINDOW = dt.timedelta(days=366)
#: OSK703's limit for a KPI without a usable measurement cadence, in days.
FALLBACK_MAX_DAYS = 60
_DAY = dt.timedelta(days=1)


def _kpi_label(kpi: KPI, path: str) -> str:
    """Return how a message names a KPI: by its name, else by its path."""
    return f'KPI "{kpi.name}"' if kpi.name is not None else f"The KPI at {path}"


def _at(measurement: Measurement) -> dt.date:
    """Return when a measurement was taken (a sort key)."""
    return measurement.at


def _known_measurements(
    kpi: KPI, engagement: Engagement, ctx: Context
) -> list[Measurement]:
    """Return the KPI's measurements known at as_of, oldest first (stable)."""
    as_of = ctx.as_of
    measurements = kpi.measurements
    if not any(isinstance(m.at, dt.datetime) for m in measurements):
        # Dates alone: 00:00 of each in the client's zone orders as the dates do.
        known = [m for m in measurements if m.at <= as_of]
        known.sort(key=_at)
        return known
    moments = [
        (engagement.moment(m.at), m)
        for m in measurements
        if engagement.is_known(m.at, as_of)
    ]
    moments.sort(key=lambda pair: pair[0])
    return [m for _, m in moments]


def _last_known(
    engagement: Engagement, values: list[dt.date], as_of: dt.date
) -> dt.date | None:
    """Return the latest local date of the dates and date-times known at *as_of*."""
    last = None
    for value in values:
        if isinstance(value, dt.datetime):
            if not engagement.is_known(value, as_of):
                continue
            day = engagement.local_date(value)
        elif value <= as_of:
            day = value
        else:
            continue
        if last is None or day > last:
            last = day
    return last


def _number(value: float) -> str:
    """Return a measured value as people write it: ``5`` rather than ``5.0``."""
    return f"{value:g}"


@rule(
    code="OSK701",
    slug="no-kpis",
    title="No KPIs",
    category="performance",
    severity="error",
    sources=("B7",),
    fix="Define the key performance indicators that show whether the engagement "
    "delivers, each with a target and which way is better.",
)
def no_kpis(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that defines no KPIs.

    ## What it checks
    That `kpis` has at least one entry. An absent key and an empty list both
    mean no KPIs.

    ## Why it matters
    Without performance indicators nobody can tell whether the relationship is
    worth its cost; measuring performance is the last of the seven common
    outsourcing mistakes, and the fix starts with defining KPIs such as
    turnaround time, output quality or savings (Source B, mistake 7).

    ## How to fix
    Add `kpis`: for each, a `name`, a `target`, a `direction` (`lower` or
    `higher` is better) and, ideally, how often it is `measured`.

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
    kpis:
      - name: close-time
        unit: business days
        target: 5
        direction: lower
    ```
    """
    if not engagement.kpis:
        yield ctx.finding("No KPIs are defined", path="kpis", evidence={"kpis": 0})


@rule(
    code="OSK702",
    slug="kpi-without-target",
    title="KPI without a target",
    category="performance",
    severity="warning",
    sources=("B7",),
    fix="Give the KPI a target value and say whether lower or higher is better.",
)
def kpi_without_target(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a KPI that has no target or no direction.

    ## What it checks
    Every entry of `kpis`: each needs a `target` and a `direction` (`lower` or
    `higher` is better). One finding per incomplete KPI, at
    `kpis[<name>].target` when the target is missing, else at
    `kpis[<name>].direction`.

    ## Why it matters
    A number without a goal measures nothing: only a target and the direction
    of improvement say whether a value is good, which is what makes a metric a
    performance standard (Source B, mistake 7). The target-missed rule (OSK704)
    cannot judge such a KPI either.

    ## How to fix
    Set `target` to the value the vendor must reach and `direction` to `lower`
    (e.g. turnaround time) or `higher` (e.g. accuracy).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    kpis:
      - name: close-time
        unit: business days
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    kpis:
      - name: close-time
        unit: business days
        target: 5
        direction: lower
    ```
    """
    kpis = engagement.kpis
    for i, kpi in enumerate(kpis):
        if kpi.target is not None and kpi.direction is not None:
            continue
        path = item_path("kpis", kpis, i)
        label = _kpi_label(kpi, path)
        if kpi.target is None and kpi.direction is None:
            message, field = f"{label} has neither a target nor a direction", "target"
        elif kpi.target is None:
            message, field = f"{label} has no target", "target"
        else:
            message, field = f"{label} has no direction (lower or higher)", "direction"
        yield ctx.finding(
            message,
            path=f"{path}.{field}",
            evidence={
                "kpi": kpi.name,
                "target": kpi.target,
                "direction": None if kpi.direction is None else kpi.direction.value,
            },
        )


#: Answers of `_derived_limit` by the cadence's text, the anchor's date and zone,
#: and as_of, emptied when it reaches ``_CACHE_LIMIT`` entries: a portfolio
#: repeats the same cadences, starts and zones many times over.
_LIMITS: dict[tuple[str, dt.date, str, dt.date], dt.timedelta | None] = {}
_CACHE_LIMIT = 1 << 14


def _derived_limit(
    kpi: KPI, engagement: Engagement, ctx: Context
) -> dt.timedelta | None:
    """Return twice the longest gap between planned measurements in 366 days.

    Exact, not rounded: an hourly cadence allows 2 hours, `every 18 hours` a
    day and a half. The gap is measured on the wall clock
    (:meth:`~outsourcekit.model.Cadence.max_gap`), so that a change of the
    clocks does not stretch it: weekly allows 14 days, monthly 62 and
    quarterly 184. None when the KPI has no cadence or the cadence has fewer
    than two occurrences in that window. The cadence starts at its anchor
    (:meth:`~outsourcekit.model.Engagement.cadence_anchor`: 00:00 of `start`, or
    of as_of, in the client's zone) and the window ends at 00:00 of as_of.
    """
    cadence = kpi.measured
    if cadence is None:
        return None
    as_of, start = ctx.as_of, engagement.start
    key = (
        cadence.text,
        as_of if start is None else start,
        engagement.local_timezone.name,
        as_of,
    )
    if key in _LIMITS:
        return _LIMITS[key]
    end = engagement.at_midnight(as_of)
    gap = cadence.max_gap(engagement.cadence_anchor(as_of), end - CADENCE_WINDOW, end)
    limit = None if gap is None else 2 * gap
    if len(_LIMITS) >= _CACHE_LIMIT:
        _LIMITS.clear()
    _LIMITS[key] = limit
    return limit


def _limit(
    kpi: KPI, engagement: Engagement, ctx: Context, configured: int | None
) -> tuple[dt.timedelta, bool]:
    """Return how old the KPI's latest measurement may be, and whether it is derived.

    `max-days` when configured, else twice the longest gap of the KPI's
    cadence (derived), else ``FALLBACK_MAX_DAYS``.
    """
    if configured is not None:
        # No date is further from another than the longest timedelta: a
        # larger limit is never reached, and decides as that one does.
        return dt.timedelta(days=min(configured, dt.timedelta.max.days)), False
    found = _derived_limit(kpi, engagement, ctx)
    if found is None:
        return dt.timedelta(days=FALLBACK_MAX_DAYS), False
    return found, True


def _latest_known(
    engagement: Engagement, values: list[dt.date], as_of: dt.date
) -> dt.date | None:
    """Return the latest of the dates and date-times known at *as_of*, as written.

    Latest by moment (a date is 00:00 of that day in the client's zone); the
    first written among equal moments.
    """
    if not any(isinstance(value, dt.datetime) for value in values):
        # Dates alone: 00:00 of each in the client's zone orders as the dates do.
        return max((value for value in values if value <= as_of), default=None)
    latest: tuple[dt.datetime, dt.date] | None = None
    for value in values:
        if engagement.is_known(value, as_of):
            moment = engagement.moment(value)
            if latest is None or moment > latest[0]:
                latest = (moment, value)
    return None if latest is None else latest[1]


def _age(engagement: Engagement, value: dt.date, as_of: dt.date) -> dt.timedelta:
    """Return the time from *value* to 00:00 of *as_of*, on the client's wall clock.

    On the wall clock, as the cadence's gaps are measured: a date is a whole
    number of days before as_of whatever the clocks did in between.
    """
    if not isinstance(value, dt.datetime):
        return as_of - value
    local = engagement.moment(value).astimezone(engagement.local_timezone.tzinfo)
    return dt.datetime.combine(as_of, dt.time()) - local.replace(tzinfo=None)


_HOUR = dt.timedelta(hours=1)
_MINUTE = dt.timedelta(minutes=1)
_SECOND = dt.timedelta(seconds=1)


def _days(span: dt.timedelta) -> float:
    """Return *span* in days: an int when it is whole days, else a float."""
    days, rest = divmod(span, _DAY)
    return span / _DAY if rest else days


def _span(span: dt.timedelta) -> str:
    """Return a duration as a message writes it, exactly.

    Whole days as ``1 day`` or ``62 days``; else in days or hours when that
    takes at most two decimals (``1.5 days``, ``2 hours``, ``1.5 hours``);
    else in parts (``2 days, 3 hours and 17 minutes``).
    """
    if not span % _DAY:
        return plural(span // _DAY, "day")
    for unit, word in ((_DAY, "day"), (_HOUR, "hour")):
        if span >= unit and not (span * 100) % unit:
            whole, rest = divmod(span, unit)
            if not rest:
                return plural(whole, word)
            # At most two decimals, which the float shows exactly at two.
            return f"{span / unit:.2f}".rstrip("0") + f" {word}s"
    parts = []
    rest = span
    for unit, word in ((_DAY, "day"), (_HOUR, "hour"), (_MINUTE, "minute")):
        count, rest = divmod(rest, unit)
        if count:
            parts.append(plural(count, word))
    if rest:
        seconds, fraction = divmod(rest, _SECOND)
        parts.append(
            f"{rest / _SECOND} seconds" if fraction else plural(seconds, "second")
        )
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


@rule(
    code="OSK703",
    slug="kpi-not-measured",
    title="KPI not measured",
    category="performance",
    severity="warning",
    sources=("B7",),
    fix="Record the KPI's measurements as planned, or plan a measurement cadence "
    "the team can keep.",
    options={
        "max-days": Option(
            default=None,
            type=int,
            minimum=0,
            help="days a KPI may go unmeasured; unset: exactly twice the longest gap "
            "of its `measured` cadence, else 60",
        ),
    },
)
def kpi_not_measured(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a KPI of an active engagement whose last measurement is too old.

    ## What it checks
    For an active engagement, each KPI's latest measurement dated on or before
    as_of (measurements after it are ignored), or the engagement's `start` when
    there is none. It fires when that measurement is more than `max-days` days
    before as_of (00:00 of that day in the client's time zone; a measurement
    given as a date counts from 00:00 of its day). Unless `max-days` is
    configured, the limit comes from the KPI's `measured` cadence: exactly
    twice the longest gap between two consecutive planned measurements in the
    366 days before as_of, measured on the client's wall clock so that a
    change of the clocks does not stretch it (weekly gives 14 days, monthly
    62, quarterly 184, `every 18 hours` a day and a half, hourly 2 hours: a
    measurement dated the day before as_of is then too old). A KPI without a
    cadence, or whose cadence occurs fewer than twice in that window, gets 60
    days. Exactly the limit does not fire. Without measurements and without
    `start` the rule cannot date anything and stays silent.

    The message and the evidence (`days`, `max_days`) count whole days
    between dates when the limit is whole days; a limit of part of a day is
    written as it is ("the 1.5 days allowed", "the 2 hours allowed"), and the
    age then exactly too.

    ## Why it matters
    A KPI only protects the client if someone looks at it regularly; metrics
    defined once and never measured again leave the relationship unjudged
    (Source B, mistake 7: review the metrics regularly).

    ## How to fix
    Add the latest results under the KPI's `measurements`, or set `measured`
    to a cadence that matches how often it is really measured.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    kpis:
      - name: close-time
        target: 5
        direction: lower
        measured: monthly
        measurements:
          - {at: 2026-08-06, value: 5}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    kpis:
      - name: close-time
        target: 5
        direction: lower
        measured: monthly
        measurements:
          - {at: 2026-08-06, value: 5}
          - {at: 2026-11-06, value: 4}
    ```
    """
    as_of = ctx.as_of
    if not engagement.kpis or not engagement.is_active(as_of):
        return
    configured: int | None = ctx.options["max-days"]
    kpis = engagement.kpis
    for i, kpi in enumerate(kpis):
        latest = _latest_known(engagement, [m.at for m in kpi.measurements], as_of)
        if latest is not None:
            when, since = latest, "measurement"
        elif engagement.start is not None:
            when, since = engagement.start, "start"
        else:
            continue
        age = _age(engagement, when, as_of)
        limit, derived = _limit(kpi, engagement, ctx, configured)
        if age <= limit:
            continue
        last = engagement.local_date(when)
        if limit % _DAY:
            # A limit of part of a day: the age is told as exactly.
            days: float = _days(age)
            before = _span(age)
        else:
            # Whole days: counted between dates, which decides alike (the age
            # is more than N days exactly when the dates are more than N apart).
            days = (as_of - last).days
            before = plural(days, "day")
        path = item_path("kpis", kpis, i)
        label = _kpi_label(kpi, path)
        what = (
            f"was last measured on {last.isoformat()}"
            if since == "measurement"
            else f"has not been measured since the start on {last.isoformat()}"
        )
        allowed = f"the {_span(limit)} allowed"
        if derived:
            allowed += f' (twice the longest gap of its "{kpi.measured}" cadence)'
        yield ctx.finding(
            f"{label} {what}, {before} before {as_of.isoformat()}, more than {allowed}",
            path=f"{path}.measurements",
            evidence={
                "kpi": kpi.name,
                "last": last,
                "since": since,
                "days": days,
                "max_days": _days(limit),
                "measured": None if kpi.measured is None else str(kpi.measured),
            },
        )


@rule(
    code="OSK704",
    slug="kpi-target-missed",
    title="KPI target missed repeatedly",
    category="performance",
    severity="warning",
    sources=("B7",),
    fix="Review the KPI with the vendor: agree on corrective action, adjust the "
    "target if it was unrealistic, or reconsider the engagement.",
    options={
        "streak": Option(
            default=3,
            minimum=1,
            help="how many latest measurements in a row must miss the target",
        ),
    },
)
def kpi_target_missed(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a KPI whose latest measurements all miss its target.

    ## What it checks
    For each KPI with a `target` and a `direction`, its measurements dated on or
    before as_of, in date order. It fires when each of the last `streak`
    (default 3) misses the target: above it when `lower` is better, below it
    when `higher` is better. A value equal to the target meets it, and a KPI
    with fewer than `streak` measurements never fires. KPIs without target or
    direction are left to OSK702.

    ## Why it matters
    A target missed once is noise; missed again and again it is a signal that
    the relationship is not delivering what was agreed. Measuring is only
    useful if the results lead to adjustments and, where needed, to ending a
    partnership that keeps falling short (Source B, mistake 7).

    ## How to fix
    Discuss the trend with the vendor and record the decision in `reviews`:
    agree on corrective action, change an unrealistic `target`, or end the
    engagement. The rule stops firing once a measurement meets the target.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    kpis:
      - name: close-time
        target: 5
        direction: lower
        measurements:
          - {at: 2026-09-04, value: 6}
          - {at: 2026-10-06, value: 7}
          - {at: 2026-11-05, value: 8}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    kpis:
      - name: close-time
        target: 5
        direction: lower
        measurements:
          - {at: 2026-09-04, value: 6}
          - {at: 2026-10-06, value: 7}
          - {at: 2026-11-05, value: 5}
    ```
    """
    streak: int = ctx.options["streak"]
    kpis = engagement.kpis
    for i, kpi in enumerate(kpis):
        target, direction = kpi.target, kpi.direction
        if target is None or direction is None or len(kpi.measurements) < streak:
            continue
        known = _known_measurements(kpi, engagement, ctx)
        if len(known) < streak:
            continue
        last = known[len(known) - streak :]
        lower = direction is Direction.LOWER
        if not all(m.value > target if lower else m.value < target for m in last):
            continue
        path = item_path("kpis", kpis, i)
        values = ", ".join(
            f"{_number(m.value)} on {engagement.local_date(m.at).isoformat()}"
            for m in last
        )
        better = "lower" if lower else "higher"
        yield ctx.finding(
            f"{_kpi_label(kpi, path)} missed its target of {_number(target)} "
            f"({better} is better) in each of its last "
            f"{plural(streak, 'measurement')}: {values}",
            path=f"{path}.measurements",
            evidence={
                "kpi": kpi.name,
                "target": target,
                "direction": direction.value,
                "streak": streak,
                "measurements": [{"at": m.at, "value": m.value} for m in last],
            },
        )


@rule(
    code="OSK705",
    slug="no-recent-review",
    title="No recent review",
    category="performance",
    severity="warning",
    sources=("E", "B7"),
    fix="Review the relationship with the vendor at least once a year and record "
    "the outcome under `reviews`.",
    options={
        "min-age-days": Option(
            default=365,
            minimum=0,
            help="days an engagement must have been active before a review is expected",
        ),
        "max-days": Option(
            default=365,
            minimum=0,
            help="days allowed between as_of and the latest review",
        ),
    },
)
def no_recent_review(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a long-running engagement whose relationship has not been reviewed lately.

    ## What it checks
    Engagements active for more than `min-age-days` (default 365) days since
    `start`. It fires when no review is dated on or before as_of, or when the
    latest such review is more than `max-days` (default 365) days before as_of.
    A review exactly `max-days` days old does not fire. Reviews dated after
    as_of are ignored; an engagement without `start` is never old enough.

    ## Why it matters
    Work that runs unexamined drifts: evaluating the work and what it brings
    the business, at least once a year, keeps time and money well spent
    (Source E). Regular reviews are where metrics turn into decisions to
    adjust or end a partnership (Source B, mistake 7).

    ## How to fix
    Hold a review with the vendor and add it to `reviews` with its date (`on`),
    its `outcome` (`continue`, `adjust` or `terminate`) and notes.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2025-01-06
    reviews:
      - {on: 2025-07-01, outcome: continue}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2025-01-06
    reviews:
      - {on: 2025-07-01, outcome: continue}
      - {on: 2026-07-01, outcome: adjust}
    ```
    """
    as_of = ctx.as_of
    min_age: int = ctx.options["min-age-days"]
    max_days: int = ctx.options["max-days"]
    if not engagement.active_for_more_than(min_age, as_of):
        return
    start = engagement.start
    if start is None:  # pragma: no cover - an engagement without start has no age
        return
    age = (as_of - start).days
    latest = _last_known(engagement, [r.on for r in engagement.reviews], as_of)
    if latest is None:
        yield ctx.finding(
            f"No review of the relationship is recorded in the "
            f"{plural(age, 'day')} since the start on {start.isoformat()}",
            path="reviews",
            evidence={
                "latest": None,
                "days": None,
                "max_days": max_days,
                "age_days": age,
            },
        )
        return
    days = (as_of - latest).days
    if days > max_days:
        yield ctx.finding(
            f"The latest review was on {latest.isoformat()}, {plural(days, 'day')} "
            f"before {as_of.isoformat()}, more than the {plural(max_days, 'day')} "
            "allowed",
            path="reviews",
            evidence={
                "latest": latest,
                "days": days,
                "max_days": max_days,
                "age_days": age,
            },
        )


@rule(
    code="OSK706",
    slug="termination-ignored",
    title="Termination decision ignored",
    category="performance",
    severity="warning",
    sources=("B7",),
    fix="Carry out the decision to terminate (set the status to `ended`), or "
    "record a new review that reverses it.",
    options={
        "grace-days": Option(
            default=30,
            minimum=0,
            help="days allowed between a review that decides to terminate and the end",
        ),
    },
)
def termination_ignored(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement still active long after a review decided to end it.

    ## What it checks
    The latest review dated on or before as_of (the last in file order among
    several on that date). It fires when its `outcome` is `terminate`, the
    engagement is active and as_of is more than `grace-days` (default 30) days
    after the review. A later review with another outcome lifts the decision.

    ## Why it matters
    Reviews only protect the business if their conclusions are carried out:
    being prepared to end a partnership that fails its expectations is part of
    measuring performance at all (Source B, mistake 7). A decision to
    terminate that is never executed keeps paying for work judged not good
    enough.

    ## How to fix
    End the engagement (`status: ended` and its `end` date), or, if the
    decision was reversed, record that in a newer review with outcome
    `continue` or `adjust`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    reviews:
      - {on: 2026-06-30, outcome: terminate, notes: Deadlines missed all spring}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: ended
    start: 2026-01-05
    end: 2026-07-31
    reviews:
      - {on: 2026-06-30, outcome: terminate, notes: Deadlines missed all spring}
    ```
    """
    reviews = engagement.reviews
    if not reviews:
        return
    as_of = ctx.as_of
    if not engagement.is_active(as_of):
        return
    latest: tuple[dt.date, int] | None = None
    for i, review in enumerate(reviews):
        if engagement.is_known(review.on, as_of):
            day = engagement.local_date(review.on)
            if latest is None or day >= latest[0]:
                latest = (day, i)
    if latest is None:
        return
    day, index = latest
    if reviews[index].outcome is not ReviewOutcome.TERMINATE:
        return
    grace: int = ctx.options["grace-days"]
    days = (as_of - day).days
    if days > grace:
        yield ctx.finding(
            f"The review on {day.isoformat()} decided to terminate, but the "
            f"engagement is still active {plural(days, 'day')} later, more than "
            f"the {plural(grace, 'day')} of grace",
            path=f"reviews[{index}].outcome",
            evidence={"review": day, "days": days, "grace_days": grace},
        )


#: The performance rules, in catalogue order.
RULES = (
    no_kpis,
    kpi_without_target,
    kpi_not_measured,
    kpi_target_missed,
    no_recent_review,
    termination_ignored,
)
