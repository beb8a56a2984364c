"""Governance rules: waivers, ownership, exit plans and the portfolio as a whole."""

from __future__ import annotations

import difflib
import sys
from fractions import Fraction
from typing import TYPE_CHECKING, TypeAlias

from outsourcekit.engine import (
    Context,
    Finding,
    Option,
    PortfolioFact,
    Rule,
    UnknownRuleError,
    find_rule,
    rule,
    rules_named,
    waiver_matches,
)
from outsourcekit.model import Engagement, Status, Task, Waiver

from ._common import (
    explained,
    given,
    missing,
    number_word,
    plural,
    unstated,
    unstated_note,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "RULES",
    "STALE_PROPOSAL_DAYS",
    "core_work_outsourced",
    "no_exit_plan",
    "no_owner",
    "stale_status",
    "unknown_waiver_rule",
    "unused_waiver",
    "vendor_concentration",
    "waiver_expired",
    "waiver_without_reason",
]

#: Days after its planned start that a `proposed` engagement is reported (OSK908).
STALE_PROPOSAL_DAYS = 30


#: Where a finding about a waiver is placed: None for the engagement's file,
#: else the file and line of the central waiver file's entry.
_Place: TypeAlias = tuple[str | None, int | None] | None


def _waivers(
    engagement: Engagement, ctx: Context
) -> Iterator[tuple[str, Waiver, _Place]]:
    """Yield the waivers concerning *engagement* with their paths and places.

    The engagement's own waivers come first and are at ``waivers[i]``, in its
    file; those of the central waiver file that follow them have no place in
    the engagement and are all at ``waivers``, placed at their entry in the
    central file (where the context knows the entries).
    """
    own = engagement.waivers
    every = ctx.waivers(engagement)
    count = len(own) if tuple(every[: len(own)]) == own else 0
    entries = ctx.central_waivers(engagement)
    central = every[count:]
    known = len(entries) == len(central) and all(
        e.waiver is w for e, w in zip(entries, central, strict=True)
    )
    for i, waiver in enumerate(every):
        if i < count:
            yield f"waivers[{i}]", waiver, None
        elif known:
            entry = entries[i - count]
            yield "waivers", waiver, (entry.source, entry.entry_line)
        else:
            yield "waivers", waiver, None


def _waiver_label(waiver: Waiver, path: str, engagement: Engagement) -> str:
    """Return how a message names a waiver: its rule, its path and where it is kept.

    A central waiver's finding is placed at its entry in the central file,
    which one entry (a glob) may place for many engagements: it names the
    engagement, so that no two such findings read alike.
    """
    text = f"The waiver of {waiver.rule}"
    if waiver.path is not None:
        text += f" at {waiver.path}"
    if path == "waivers":
        text += f" in the central waiver file for {engagement.id}"
    return text


def _waiver_evidence(waiver: Waiver, path: str) -> dict[str, object]:
    return {
        "rule": waiver.rule,
        "path": waiver.path,
        "until": waiver.until,
        "central": path == "waivers",
    }


def _task_label(task: Task, index: int) -> str:
    return f'"{task.name}"' if task.name is not None else f"tasks[{index}]"


@rule(
    code="OSK901",
    slug="waiver-expired",
    title="Expired waiver",
    category="governance",
    severity="warning",
    fix="Fix what the waiver accepted, or renew the waiver with a new `until` date "
    "if the reason still holds.",
)
def waiver_expired(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a waiver whose `until` date has passed.

    ## What it checks
    Every waiver that concerns the engagement, its own (`waivers`) and those of
    a central waiver file: each whose `until` is before as_of. A waiver is in
    force through its `until` date. An expired waiver no longer applies, so
    the findings it accepted are reported again, unwaived, beside this one.
    Own waivers are reported at `waivers[<i>]`, central ones at `waivers`,
    in the central waiver file at the line of their entry.

    ## Why it matters
    A waiver is a decision to accept a known gap for a while, not forever;
    when its time is up someone must decide again whether the gap is closed or
    still acceptable, and the engagement's score shows the finding once more
    until they do.

    ## How to fix
    Resolve what the waiver accepted and delete it, or, if the reason still
    holds, move `until` to a new date (and have it approved again).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: micromanagement
        reason: Daily calls during onboarding
        until: 2026-02-28
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: micromanagement
        reason: Daily calls during onboarding
        until: 2026-12-31
    ```
    """
    as_of = ctx.as_of
    for path, waiver, place in _waivers(engagement, ctx):
        if waiver.until is not None and waiver.is_expired(as_of):
            label = _waiver_label(waiver, path, engagement)
            yield ctx.finding(
                f"{label} expired on {waiver.until.isoformat()}, "
                f"so its findings are reported again",
                path=path,
                evidence=_waiver_evidence(waiver, path),
                at=place,
            )


@rule(
    code="OSK902",
    slug="waiver-without-reason",
    title="Waiver without a reason",
    category="governance",
    severity="error",
    fix="Write down why the finding is accepted in the waiver's `reason`.",
)
def waiver_without_reason(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a waiver that gives no reason.

    ## What it checks
    Every waiver that concerns the engagement, its own and those of a central
    waiver file: each whose `reason` is absent, empty or only white space.
    Such a waiver loads but never applies: the findings it names stay
    unwaived. A reason that is only a placeholder (`TBD`, `n/a`, `-`, ...)
    explains nothing either: it is reported and the waiver does not apply.
    Own waivers are reported at `waivers[<i>]`, central ones at `waivers`,
    in the central waiver file at the line of their entry.

    Changed in catalogue 1.1: a placeholder reason is reported, and its waiver
    does not apply.

    ## Why it matters
    Accepting a risk is a decision someone must be able to explain later; a
    waiver without a reason is indistinguishable from silencing a warning, so
    it is not honoured.

    ## How to fix
    Add a `reason` that says why the finding is acceptable (and, ideally,
    `until` and `approved_by`), or delete the waiver.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: no-pm-tool
        approved_by: COO
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: no-pm-tool
        reason: Work is tracked in the client's ticket system, not a shared tool
        approved_by: COO
    ```
    """
    for path, waiver, place in _waivers(engagement, ctx):
        if waiver.has_reason:
            continue
        label = _waiver_label(waiver, path, engagement)
        if (
            waiver.reason is not None
            and missing(waiver.reason)
            and waiver.reason.strip()
        ):
            message = (
                f"{label} gives no reason: its reason is "
                f"{unstated_note(waiver.reason)}, so it does not apply"
            )
        else:
            message = f"{label} gives no reason, so it does not apply"
        yield ctx.finding(
            message,
            path=path,
            evidence={**_waiver_evidence(waiver, path), "reason": waiver.reason},
            at=place,
        )


def _vendor_fact(
    engagement: Engagement, ctx: Context
) -> tuple[str | None, str | None, int] | None:
    """Return what OSK903 needs of an active engagement: its vendor and critical work.

    The vendor's key and name, and the count of critical tasks; None for an
    engagement that is not active, or that has neither vendor nor critical task.
    The key is the vendor's `id`, else its name case-folded; an id or a name
    that is a placeholder (`TBD`, `n/a`, ...) says nothing, so a vendor with
    neither has no key: its critical tasks count towards the total only.
    """
    if not engagement.is_active(ctx.as_of):
        return None
    critical = 0
    for task in engagement.tasks:
        if task.critical is True:
            critical += 1
    vendor = engagement.vendor
    key = None if vendor is None else vendor.key
    if vendor is None or key is None:
        return (None, None, critical) if critical else None
    name = vendor.name if given(vendor.name) else None
    # Interned: the facts of one vendor's engagements share one key.
    return (sys.intern(key), name, critical)


#: The most decimals OSK903's message gives a percentage.
_PLACES = 4


def _percentages(count: int, total: int, max_share: float) -> tuple[str, str]:
    """Return a vendor's share and the allowed share as OSK903's message shows them.

    The allowed share as written (``58%``, ``58.5%``; at most four decimals),
    and the vendor's with the fewest decimals that tell it from the allowed
    one (up to four), so that a message does not say that a share is more than
    itself:
    ``58.4%`` beside ``58%``.
    """
    allowed = Fraction(repr(max_share)) * 100
    places = next((n for n in range(_PLACES) if round(allowed, n) == allowed), _PLACES)
    shown = round(allowed, places)
    share = Fraction(100 * count, total)
    held = next((n for n in range(_PLACES) if round(share, n) != shown), _PLACES)
    return (
        f"{float(round(share, held)):.{held}f}%",
        f"{float(shown):.{places}f}%",
    )


@rule(
    code="OSK903",
    slug="vendor-concentration",
    title="Vendor concentration",
    category="governance",
    severity="info",
    sources=("ISO 37500",),
    fix="Spread critical work over more than one vendor, or prepare exit plans "
    "and alternatives for this vendor's critical tasks.",
    scope="portfolio",
    facts=_vendor_fact,
    options={
        "max-share": Option(
            default=0.5,
            minimum=0.0,
            maximum=1.0,
            help="the largest fraction of the portfolio's critical tasks one vendor "
            "may hold",
        ),
    },
)
def vendor_concentration(
    facts: Sequence[PortfolioFact], ctx: Context
) -> Iterator[Finding]:
    """Flag the engagements of a vendor holding most of the portfolio's critical work.

    ## What it checks
    Across the active engagements of the portfolio (everything checked in one
    run, also when the run is split among chunks or worker processes), counts
    the tasks marked `critical: true` per vendor, a vendor being known by its
    `vendor.id`, else its name case-folded. A vendor fires when it holds at
    least 3 critical tasks and more than `max-share` (default 0.5) of all the
    critical tasks; exactly that share does not fire (29 of 50 is exactly
    0.58, which `max-share: 0.58` allows). An `id` or a name that is a
    placeholder (`TBD`, `n/a`, ...) says nothing: a vendor known only by
    placeholders is no vendor of its own, so "TBD" in one engagement and
    "tbd" in another are not pooled into one. The critical tasks of
    engagements without a known vendor, placeholders included, count towards
    the total only: they are critical work of the portfolio all the same.
    Each active engagement of a vendor that fires gets one finding, at
    `vendor`; the message names the vendor as its first engagement by id
    names it (by its `id` when none gives it a name), and gives its share
    with as many decimals as tell it from `max-share` ("58.4%, more than the
    58% allowed").

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Outsourcing governance asks what happens if a supplier fails: when one
    vendor carries most of the work the business cannot do without, its
    trouble becomes the client's trouble everywhere at once (ISO 37500). The
    rule judges whatever is checked together, so check the whole portfolio in
    one run: a single engagement checked alone is its own portfolio.

    ## How to fix
    Move some critical work to another vendor or back in-house, or accept the
    dependency knowingly: write exit plans (`exit_plan`) and waive the finding
    with a reason.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    vendor:
      id: ledgerpros
      name: LedgerPros
    tasks:
      - {name: Reconcile bank feeds, critical: true}
      - {name: Run payroll, critical: true}
      - {name: File VAT returns, critical: true}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    vendor:
      id: ledgerpros
      name: LedgerPros
    tasks:
      - {name: Reconcile bank feeds, critical: true}
      - {name: Run payroll, critical: true}
      - {name: File VAT returns, critical: false}
    ```
    """
    max_share: float = ctx.options["max-share"]
    total = 0
    held: dict[str, int] = {}
    names: dict[str, str] = {}
    of_vendor: dict[str, list[str]] = {}
    for engagement, (key, name, critical) in facts:
        total += critical
        if key is None:
            continue
        group = of_vendor.get(key)
        if group is None:
            of_vendor[key] = [engagement]
            held[key] = critical
        else:
            group.append(engagement)
            held[key] += critical
        if name is not None and key not in names:
            names[key] = name
    for key in sorted(held):
        count = held[key]
        if count < 3:
            continue
        # count / total is the float nearest the share, as max_share is the
        # float nearest what was written: equal shares compare equal, so that
        # exactly the limit never fires (29 of 50 with 0.58, where
        # 0.58 * 50 is 28.999999999999996). No share is more than NaN.
        share = count / total
        if not share > max_share:
            continue
        group = of_vendor[key]
        name = names.get(key, key)
        percent, allowed = _percentages(count, total, max_share)
        for engagement in group:
            yield ctx.finding(
                f"Vendor {name} holds {count} of the portfolio's {total} critical "
                f"tasks ({percent}), more than the {allowed} allowed",
                path="vendor",
                evidence={
                    "vendor": key,
                    "critical_tasks": count,
                    "portfolio_critical_tasks": total,
                    "share": round(share, 4),
                    "max_share": max_share,
                    "engagements": len(group),
                },
                engagement=engagement,
            )


@rule(
    code="OSK904",
    slug="core-work-outsourced",
    title="Only core work outsourced",
    category="governance",
    severity="info",
    sources=("A", "B"),
    fix="Keep core work in-house and hand out the supporting work around it, or "
    "record why this core work must be outsourced.",
)
def core_work_outsourced(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement whose every task is part of the client's core business.

    ## What it checks
    That an engagement with tasks has at least one that is not marked
    `core: true`. A task with `core` absent counts as not core. Engagements
    without tasks are not judged.

    ## Why it matters
    The point of outsourcing is to free the business to concentrate on its
    core while others take the routine and supporting work (Source B); small
    and growing companies benefit most when they delegate their non-core tasks
    (Source A). An engagement made only of core work hands out exactly what
    the business should keep closest.

    ## How to fix
    Check whether the work is really core. If it is, consider keeping it and
    outsourcing the supporting tasks around it instead; if outsourcing it is a
    deliberate choice, waive the finding with the reason.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-product
    tasks:
      - {name: Design the pricing engine, core: true}
      - {name: Negotiate key accounts, core: true}
    ```
    Passes:
    ```yaml
    id: acme-product
    tasks:
      - {name: Design the pricing engine, core: true}
      - {name: Negotiate key accounts, core: true}
      - {name: Enter supplier invoices, core: false}
    ```
    """
    tasks = engagement.tasks
    if not tasks or not all(t.core is True for t in tasks):
        return
    names = [_task_label(t, i) for i, t in enumerate(tasks)]
    if len(tasks) == 1:
        message = f"The only task, {names[0]}, is core work of the client"
    else:
        count = "Both" if len(tasks) == 2 else f"All {number_word(len(tasks))}"
        message = f"{count} tasks ({', '.join(names)}) are core work of the client"
    yield ctx.finding(
        message,
        path="tasks",
        evidence={"tasks": [t.name for t in tasks], "core": len(tasks)},
    )


def _waiver_rule(finding: Finding) -> tuple[str] | None:
    """Return the rule an unused-waiver finding judged: the one its waiver names."""
    name = finding.evidence.get("rule")
    return (name,) if isinstance(name, str) else None


@rule(
    code="OSK905",
    slug="unused-waiver",
    title="Unused waiver",
    category="governance",
    severity="info",
    fix="Delete the waiver, or correct its rule or path so that it names the finding "
    "it is meant to accept.",
    scope="findings",
    inputs=_waiver_rule,
)
def unused_waiver(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a waiver that applies but matches no finding.

    ## What it checks
    After the other rules ran, every waiver concerning the engagement that
    applies in this run: it has a reason, has not expired and names (by code
    or slug) a rule selected in this run. It fires when none of the
    engagement's findings is of that rule and, if the waiver gives a `path`,
    at that path. Waivers of rules not selected are not judged, and neither
    are waivers of this rule itself. Own waivers are reported at
    `waivers[<i>]`, central ones at `waivers`, in the central waiver file at
    the line of their entry.

    ## Why it matters
    A waiver that matches nothing is either left over from a problem that has
    been fixed, or mistyped and failing to accept what it was written for.
    Either way it hides intent: stale exceptions make the list of accepted
    risks untrustworthy.

    ## How to fix
    Delete waivers for problems that are gone; correct the `rule` or `path`
    of one that was meant to match a finding.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    vision: docs/acme-vision.md
    waivers:
      - rule: no-written-vision
        reason: The vision is still being written
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    vision: docs/acme-vision.md
    ```
    """
    own = ctx.rule
    as_of = ctx.as_of
    findings = ctx.findings
    for path, waiver, place in _waivers(engagement, ctx):
        name = waiver.rule
        if (
            not waiver.has_reason
            or waiver.is_expired(as_of)
            or name in {own.code, own.slug}
            or name.upper() == own.code
            or not ctx.is_selected(name)
        ):
            continue
        if any(waiver_matches(waiver, f) for f in findings):
            continue
        # unless=: a portfolio rule's finding, decided after the parts of a
        # split check are in, may still match the waiver.
        label = _waiver_label(waiver, path, engagement)
        yield ctx.finding(
            f"{label} matches no finding of this engagement",
            path=path,
            evidence={**_waiver_evidence(waiver, path), "reason": waiver.reason},
            unless=waiver,
            at=place,
        )


@rule(
    code="OSK906",
    slug="no-owner",
    title="No owner",
    category="governance",
    severity="warning",
    sources=("COBIT APO10",),
    fix="Name the client's person accountable for the relationship in `owner`.",
)
def no_owner(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an active engagement without an accountable owner.

    ## What it checks
    That an active engagement names its `owner`: the person on the client's
    side accountable for the relationship with the vendor. A blank owner, or
    a placeholder such as `TBD` or `-`, counts as none.

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Managed vendor relationships need someone who answers for them: who
    watches performance, takes decisions and escalations, and notices when
    terms lapse (COBIT APO10, managed vendors). Without an owner every other
    finding risks being nobody's job.

    ## How to fix
    Set `owner` to the name (or role) of the person accountable for the
    engagement.

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
    owner: Dana Reyes
    ```
    """
    if missing(engagement.owner) and engagement.is_active(ctx.as_of):
        yield ctx.finding(
            explained(
                "No owner is named as accountable for this active engagement",
                unstated("the owner", engagement.owner),
            ),
            path="owner",
            evidence={"owner": engagement.owner},
        )


@rule(
    code="OSK907",
    slug="no-exit-plan",
    title="No exit plan",
    category="governance",
    severity="warning",
    sources=("ISO 37500", "EBA outsourcing guidelines"),
    fix="Write an exit plan: how critical work comes back in-house or moves to "
    "another vendor if this one fails or the engagement ends.",
)
def no_exit_plan(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag critical work outsourced without an exit plan.

    ## What it checks
    That an engagement with a task marked `critical: true` has an `exit_plan`
    (text or a reference to a document). A blank exit plan, or a placeholder
    such as `TODO` or `later`, counts as none.

    Changed in catalogue 1.1: a warning (it was info), as exit plans are
    mandatory for critical functions; placeholders count as absent.

    ## Why it matters
    Outsourcing governance and regulators' outsourcing guidelines expect an
    exit strategy for critical functions: if the vendor fails, raises prices
    or the relationship ends, the client must be able to take the work back
    or move it without stopping the business (ISO 37500, EBA outsourcing
    guidelines).

    ## How to fix
    Write down how the critical tasks would be brought back in-house or
    handed to another vendor (who, how long, which documents and data) and set
    `exit_plan` to it or to where it is kept.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    tasks:
      - {name: Run payroll, critical: true}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    exit_plan: docs/exit.md
    tasks:
      - {name: Run payroll, critical: true}
    ```
    """
    if not missing(engagement.exit_plan):
        return
    critical = [(i, t) for i, t in enumerate(engagement.tasks) if t.critical is True]
    if not critical:
        return
    labels = [_task_label(t, i) for i, t in critical]
    what = (
        f"Task {labels[0]} is critical"
        if len(labels) == 1
        else f"{len(labels)} tasks ({', '.join(labels)}) are critical"
    )
    yield ctx.finding(
        explained(
            f"{what} but no exit plan is written",
            unstated("the exit plan", engagement.exit_plan),
        ),
        path="exit_plan",
        evidence={"critical_tasks": [t.name for _, t in critical]},
    )


@rule(
    code="OSK908",
    slug="stale-status",
    title="Stale status",
    category="governance",
    severity="warning",
    sources=("ISO 37500",),
    fix="Update `status` to where the engagement really stands, or correct its "
    "`start` or `end` date.",
)
def stale_status(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a status that contradicts the engagement's dates.

    ## What it checks
    Two contradictions between `status` and the dates: status `active` or
    `trial` with an `end` before as_of (the engagement should have ended), and
    status `proposed` with a `start` more than 30 days before as_of (it
    started, or the proposal was dropped). Exactly 30 days does not fire.

    ## Why it matters
    Governance works from the record: a status that no longer matches reality
    makes every lifecycle-based check, report and score wrong, and hides
    engagements that run on without anyone deciding they should (ISO 37500).

    ## How to fix
    Set `status` to what is true now (`ended`, `active`, `trial`, ...), or
    correct the `start` or `end` date if the plan changed.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    end: 2026-10-31
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: ended
    start: 2026-01-05
    end: 2026-10-31
    ```
    """
    status = engagement.status
    if status is None:
        return
    as_of = ctx.as_of
    if status is Status.ACTIVE or status is Status.TRIAL:
        end = engagement.end
        if end is not None and end < as_of:
            yield ctx.finding(
                f"The status is {status.value} but the engagement ended on "
                f"{end.isoformat()}, {plural((as_of - end).days, 'day')} before "
                f"{as_of.isoformat()}",
                path="status",
                evidence={
                    "status": status.value,
                    "end": end,
                    "days": (as_of - end).days,
                },
            )
    elif status is Status.PROPOSED:
        start = engagement.start
        if start is not None and (as_of - start).days > STALE_PROPOSAL_DAYS:
            days = (as_of - start).days
            yield ctx.finding(
                f"The status is still proposed {days} days after the start on "
                f"{start.isoformat()}, more than the {STALE_PROPOSAL_DAYS} days "
                "allowed",
                path="status",
                evidence={
                    "status": status.value,
                    "start": start,
                    "days": days,
                    "max_days": STALE_PROPOSAL_DAYS,
                },
            )


@rule(
    code="OSK909",
    slug="unknown-waiver-rule",
    title="Waiver of an unknown rule",
    category="governance",
    severity="warning",
    fix="Correct the waiver's `rule` to the code or slug of an existing rule, or "
    "install the plugin that provides it, or delete the waiver.",
)
def unknown_waiver_rule(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement's waiver that names a rule no loaded rule has.

    ## What it checks
    Every waiver in the engagement's own `waivers`: its `rule` must be the
    code (in any case) or the slug of a rule of this check, whether selected
    or not. A waiver naming anything else would never match a finding, so it
    is reported at `waivers[<i>].rule`, and the message names the closest
    known code or slug: as "did you mean ...?" when it is close enough to be a
    likely typo, else as "the closest known rule is ..." (for `ACME001`, say,
    which resembles no rule). A category or a code prefix (`confidentiality`,
    `OSK6`) is said to be one, with its rules, as in a central waiver file. A
    rule of a plugin that is not installed here is unknown too: the
    engagement file may be shared with a team that
    has the plugin, so this is a finding rather than a load error. Waivers of
    a central waiver file, and rules named in configuration, are refused as
    configuration errors instead and are not judged here.

    New in catalogue 1.1.

    ## Why it matters
    A mistyped waiver (`no-kpi` for `no-kpis`) is silently ignored: the finding
    it was written for keeps counting against the engagement, and whoever
    reads the file believes a risk was knowingly accepted. Saying so turns a
    typo into a one-line fix.

    ## How to fix
    Write the rule's code or slug as `outsourcekit rules` lists it, install
    the plugin the waiver was written for, or delete the waiver.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: no-kpi
        reason: KPIs are agreed in the quarterly review, not yet written down
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    waivers:
      - rule: no-kpis
        reason: KPIs are agreed in the quarterly review, not yet written down
    ```
    """
    waivers = engagement.waivers
    if not waivers:
        return
    known = ctx.known_rules()
    if known is None:
        return
    for i, waiver in enumerate(waivers):
        unknown, suggestion, close = _unknown_rule(waiver.rule, known)
        if not unknown:
            continue
        several = rules_named(waiver.rule, known)
        tail = ""
        if several is not None:  # a category or a code prefix: its rules are meant
            hint, suggestion = "", None
            tail = f": it is {several}; name each rule by its code or slug"
        elif suggestion is None:  # no rule is known at all
            hint = ""
        elif close:
            hint = f" (did you mean {suggestion!r}?)"
        else:
            hint = f" (the closest known rule is {suggestion!r})"
        yield ctx.finding(
            f"The waiver at waivers[{i}] names {waiver.rule!r}, which is not the "
            f"code or slug of any loaded rule{hint}, so it waives nothing{tail}",
            path=f"waivers[{i}].rule",
            evidence={"rule": waiver.rule, "suggestion": suggestion},
        )


#: The names of the rules of recent checks, by the identity of their tuple (which
#: one check hands to every context), with the tuple itself to rule out reuse of
#: an identity, and the suggestions made for unknown names.
_KNOWN: dict[
    int, tuple[Sequence[Rule], frozenset[str], dict[str, tuple[str | None, bool]]]
] = {}
_KNOWN_LIMIT = 8


def _unknown_rule(name: str, known: Sequence[Rule]) -> tuple[bool, str | None, bool]:
    """Return whether no rule of *known* is named *name*, and the closest name.

    Codes match in any case, as :func:`outsourcekit.engine.find_rule` matches
    them. The closest name is the one :func:`~outsourcekit.engine.find_rule`
    suggests when it suggests one (a likely typo: the third value is True),
    else the most alike of all the codes and slugs, however little (False);
    None only without any rule. The names and the suggestions are remembered
    for the check.
    """
    entry = _KNOWN.get(id(known))
    if entry is None or entry[0] is not known:
        if len(_KNOWN) >= _KNOWN_LIMIT:
            _KNOWN.clear()
        names = frozenset(n for r in known for n in (r.code, r.slug))
        entry = _KNOWN[id(known)] = (known, names, {})
    _, names, suggestions = entry
    if name in names or name.upper() in names:
        return False, None, False
    if name not in suggestions:
        try:
            find_rule(name, known)
        except UnknownRuleError as exc:
            if exc.suggestion is not None:
                suggestions[name] = (exc.suggestion, True)
            else:
                suggestions[name] = (_closest(name, names), False)
        else:  # pragma: no cover - the names above are find_rule's
            return False, None, False
    suggestion, close = suggestions[name]
    return True, suggestion, close


def _closest(name: str, names: Iterable[str]) -> str | None:
    """Return the name of *names* most alike *name*, however little; None if none.

    Alike as the did-you-mean suggestions measure it (difflib's ratio, case
    ignored); the first in sorted order among equally alike names.
    """
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name.casefold())
    best: str | None = None
    best_ratio = -1.0
    for candidate in sorted(names):
        matcher.set_seq1(candidate.casefold())
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best


#: The governance rules, in catalogue order.
RULES = (
    waiver_expired,
    waiver_without_reason,
    vendor_concentration,
    core_work_outsourced,
    unused_waiver,
    no_owner,
    no_exit_plan,
    stale_status,
    unknown_waiver_rule,
)
