"""Partner rules: how the vendor was vetted, chosen and tried out."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from outsourcekit.engine import Option, Rule, rule
from outsourcekit.model import Experience, TrialStatus

from ._common import (
    explained,
    given,
    item_path,
    plural,
    says_nothing,
    stated,
    unstated_list,
    vendor_label,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from outsourcekit.engine import Context, Finding
    from outsourcekit.model import Engagement, Vendor

__all__ = [
    "RULES",
    "cost_only_selection",
    "critical_work_first",
    "failed_trial_continued",
    "no_trial_project",
    "region_inexperience",
    "single_quote",
    "unvetted_vendor",
]

#: Words that name price or cost; a selection criterion made only of these (and of
#: the qualifiers in ``_PRICE_QUALIFIERS``) is about price alone.
_PRICE_WORDS = frozenset(
    {
        "affordable",
        "affordability",
        "budget",
        "cheap",
        "cheaper",
        "cheapest",
        "cost",
        "costs",
        "fee",
        "fees",
        "inexpensive",
        "price",
        "prices",
        "pricing",
        "rate",
        "rates",
    }
)
#: Words that may stand beside a price word without adding another criterion
#: ("lowest price", "low hourly rate", "best price").
_PRICE_QUALIFIERS = frozenset(
    {
        "a",
        "best",
        "competitive",
        "daily",
        "hourly",
        "least",
        "low",
        "lower",
        "lowest",
        "monthly",
        "per",
        "hour",
        "the",
        "total",
    }
)
_WORD = re.compile(r"[^\W\d_]+")

_NOT_TRIED = frozenset({TrialStatus.NONE, TrialStatus.PLANNED, TrialStatus.RUNNING})
#: The statuses of a trial that has ended, on its `completed_on` if given.
_ENDED = frozenset({TrialStatus.COMPLETED, TrialStatus.FAILED})


@functools.lru_cache(maxsize=1024)
def _is_price_like(criterion: str) -> bool:
    """Return whether a selection criterion speaks of price and nothing else.

    It must contain at least one price word (cost, price, budget, rate, ...) and
    otherwise only qualifiers such as "lowest" or "hourly"; case does not matter.
    ``"cost"``, ``"Lowest price"`` and ``"low hourly rate"`` are price-like;
    ``"cost and quality"`` is not.
    """
    words = _WORD.findall(criterion.casefold())
    return any(w in _PRICE_WORDS for w in words) and all(
        w in _PRICE_WORDS or w in _PRICE_QUALIFIERS for w in words
    )


@functools.lru_cache(maxsize=1024)
def _serves(listed: tuple[str, ...], wanted: str) -> bool:
    """Return whether *listed* names *wanted*, ignoring case and surrounding blanks.

    Placeholders need not be left out of the comparison: whether a text is one
    depends only on its trimmed, case-folded form, so an entry equal to a
    *wanted* that is given is no placeholder either. Remembered for the lists
    and values compared last: vendors and regions recur across a portfolio.
    """
    folded = wanted.strip().casefold()
    return any(s.strip().casefold() == folded for s in listed)


def _trial_status(vendor: Vendor | None, as_of: dt.date) -> TrialStatus:
    """Return the trial's status at *as_of*; an absent trial or status is ``none``.

    A trial that ended (`completed` or `failed`) on a `completed_on` after
    as_of had not ended yet at as_of: it counts as ``running``.
    """
    if vendor is None or vendor.trial is None or vendor.trial.status is None:
        return TrialStatus.NONE
    status, completed_on = vendor.trial.status, vendor.trial.completed_on
    if status in _ENDED and completed_on is not None and completed_on > as_of:
        return TrialStatus.RUNNING
    return status


@rule(
    code="OSK201",
    slug="unvetted-vendor",
    title="Vendor not vetted",
    category="partner",
    severity="error",
    sources=("B2",),
    fix="Vet the vendor before relying on it: check references, and review "
    "testimonials and case studies of similar work.",
)
def unvetted_vendor(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a vendor whose vetting is unknown or shows no evidence of checks.

    ## What it checks
    `vendor.vetting`. The rule fires when it is absent (nobody recorded any
    vetting), or when it records none of the three kinds of evidence: no
    `references_checked: true`, no `testimonials` and no `case_studies` (zero
    counts as none). Years of experience and a security review alone do not
    make a vendor vetted.

    ## Why it matters
    Picking a partner without looking into its track record is one of the
    common outsourcing mistakes and leads to poor work (Source B, mistake 2).
    Relevant experience, testimonials from other clients and case studies are
    the evidence to look for.

    ## How to fix
    Call the vendor's references, read its testimonials and case studies, and
    record what you checked under `vendor.vetting`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      vetting:
        years_experience: 6
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      vetting:
        years_experience: 6
        references_checked: true
        testimonials: 3
        case_studies: 1
    ```
    """
    vendor = engagement.vendor
    vetting = vendor.vetting if vendor is not None else None
    if vetting is None:
        yield ctx.finding(
            f"{vendor_label(vendor)} has no recorded vetting",
            path="vendor.vetting",
            evidence={"vetting": None},
        )
        return
    if vetting.references_checked or vetting.testimonials or vetting.case_studies:
        return
    who = vendor_label(vendor)
    yield ctx.finding(
        f"{who} was not vetted: no references were checked and no testimonials or "
        "case studies were reviewed",
        path="vendor.vetting",
        evidence={
            "references_checked": vetting.references_checked,
            "testimonials": vetting.testimonials,
            "case_studies": vetting.case_studies,
        },
    )


@rule(
    code="OSK202",
    slug="no-trial-project",
    title="No trial project",
    category="partner",
    severity="warning",
    sources=("B2",),
    fix="Run a small trial project with the vendor and record its outcome in "
    "`vendor.trial`.",
    options={
        "max-days-without-trial": Option(
            default=90,
            help="Days an engagement may be active before a completed trial is "
            "expected.",
            minimum=0,
        )
    },
)
def no_trial_project(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement active for months without a completed trial project.

    ## What it checks
    An active engagement whose `start` lies more than `max-days-without-trial`
    days (default 90) before as_of, while `vendor.trial.status` is `none`,
    `planned` or `running`. An absent trial counts as `none`, and a trial
    `completed` or `failed` with a `completed_on` after as_of had not ended yet
    (it counts as `running`). Exactly the allowed number of days does not fire.
    A `failed` trial is left to `failed-trial-continued` (OSK206).

    Changed in catalogue 1.1: a completion or failure dated after as_of is not
    known yet.

    ## Why it matters
    A trial project shows what the vendor can do and how reliably, before the
    client commits to a long relationship (Source B, mistake 2). Months into the
    work with no trial finished, that commitment has been made blind.

    ## How to fix
    Give the vendor a small, bounded piece of work first, judge it, and record
    `vendor.trial.status: completed` with `completed_on`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    vendor:
      name: LedgerPros
      trial:
        status: planned
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    vendor:
      name: LedgerPros
      trial:
        status: completed
        completed_on: 2026-02-13
    ```
    """
    status = _trial_status(engagement.vendor, ctx.as_of)
    if status not in _NOT_TRIED or engagement.start is None:
        return
    limit: int = ctx.options["max-days-without-trial"]
    as_of = ctx.as_of
    if not engagement.active_for_more_than(limit, as_of):
        return
    days = (as_of - engagement.start).days
    yield ctx.finding(
        f"The engagement has been active for {plural(days, 'day')} since "
        f"{engagement.start} without a completed trial project "
        f"(trial: {status.value}), more than the {plural(limit, 'day')} allowed",
        path="vendor.trial",
        evidence={
            "start": engagement.start,
            "days_active": days,
            "trial": status.value,
            "max_days_without_trial": limit,
        },
    )


@rule(
    code="OSK203",
    slug="cost-only-selection",
    title="Vendor chosen on cost alone",
    category="partner",
    severity="warning",
    sources=("B2",),
    fix="Weigh more than price when choosing the vendor (experience, references, "
    "quality of work) and record those criteria.",
)
def cost_only_selection(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a vendor chosen on price and nothing else.

    ## What it checks
    `vendor.selection.criteria`: the rule fires when the list is not empty and
    every criterion speaks of price only, like `cost`, `price`, `cheapest`,
    `budget`, `rate`, `lowest price` or `low hourly rate` (case does not
    matter). A criterion such as `cost and quality` names something besides
    price and passes; an empty list says nothing and passes too. Placeholders
    (`TBD`, `n/a`, ...) are not criteria: `[cost, TBD]` is a choice on price
    alone, and a list of placeholders says nothing.

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Selecting a vendor solely on cost is one of the common ways to end up with
    the wrong partner: the cheapest offer is often not the one that does the
    job well (Source B, mistake 2).

    ## How to fix
    Balance price against quality and expertise: compare experience,
    references and samples of work, and record those criteria next to cost.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      selection:
        criteria: [cost]
        quotes_compared: 3
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      selection:
        criteria: [cost, experience, references]
        quotes_compared: 3
    ```
    """
    vendor = engagement.vendor
    if vendor is None or vendor.selection is None:
        return
    # Fires when some criterion is stated and every stated one is price-like:
    # the first stated criterion that is not settles it.
    priced = False
    for criterion in vendor.selection.criteria:
        if says_nothing(criterion):
            continue
        if not _is_price_like(criterion):
            return
        priced = True
    if not priced:
        return
    criteria = stated(vendor.selection.criteria)
    yield ctx.finding(
        f"{vendor_label(vendor)} was selected on price alone "
        f"(criteria: {', '.join(criteria)})",
        path="vendor.selection.criteria",
        evidence={"criteria": list(criteria)},
    )


@rule(
    code="OSK204",
    slug="critical-work-first",
    title="Critical work outsourced first",
    category="partner",
    severity="warning",
    sources=("B pro tips",),
    fix="Start with non-critical, non-core tasks until the vendor has completed a "
    "trial and the client has some outsourcing experience.",
)
def critical_work_first(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag core or critical tasks handed to an untried vendor or by a first-timer.

    ## What it checks
    Tasks marked `core: true` or `critical: true`, when either the client is
    outsourcing for the first time (`client.outsourcing_experience: first`) or
    the vendor's trial is not `completed` (an absent trial counts as `none`,
    and one completed or failed after as_of is still `running`). One finding
    per such task, at its path (`tasks[Payroll]`). An unknown experience is not
    taken to be `first`.

    Changed in catalogue 1.1: a completion or failure dated after as_of is not
    known yet.

    ## Why it matters
    Newcomers to outsourcing are advised to start small, with work that would
    not hurt the business if it went wrong, and to learn to delegate on that
    (Source B, pro tips). The same holds for a vendor who has not yet proven
    itself in a trial.

    ## How to fix
    Hand over non-critical, non-core work first. Move critical or core work
    once a trial has been completed (`vendor.trial.status: completed`) and the
    relationship has a track record.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    client:
      name: Acme Ltd
      outsourcing_experience: some
    vendor:
      name: LedgerPros
      trial:
        status: running
    tasks:
      - name: Payroll
        critical: true
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    client:
      name: Acme Ltd
      outsourcing_experience: some
    vendor:
      name: LedgerPros
      trial:
        status: completed
        completed_on: 2026-02-13
    tasks:
      - name: Payroll
        critical: true
    ```
    """
    tasks = engagement.tasks
    if not any(t.core or t.critical for t in tasks):
        return
    client = engagement.client
    experience = client.outsourcing_experience if client is not None else None
    first = experience is Experience.FIRST
    trial = _trial_status(engagement.vendor, ctx.as_of)
    untried = trial is not TrialStatus.COMPLETED
    if not (first or untried):
        return
    reasons = []
    if first:
        reasons.append("the client is outsourcing for the first time")
    if untried:
        reasons.append(f"the vendor's trial is not completed ({trial.value})")
    why = " and ".join(reasons)
    for i, task in enumerate(tasks):
        if not (task.core or task.critical):
            continue
        path = item_path("tasks", tasks, i)
        kind = " and ".join(
            word
            for word, flag in (("core", task.core), ("critical", task.critical))
            if flag
        )
        what = f'Task "{task.name}"' if task.name is not None else f"The task at {path}"
        yield ctx.finding(
            f"{what} is {kind}, but {why}",
            path=path,
            evidence={
                "task": task.name,
                "core": bool(task.core),
                "critical": bool(task.critical),
                "outsourcing_experience": None
                if experience is None
                else experience.value,
                "trial": trial.value,
            },
        )


@rule(
    code="OSK205",
    slug="region-inexperience",
    title="Vendor new to the client's region or industry",
    category="partner",
    severity="info",
    sources=("B5",),
    fix="Prefer a vendor that has worked with businesses in your region and "
    "industry, or plan extra onboarding for the differences.",
)
def region_inexperience(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a vendor that has not served the client's region or industry.

    ## What it checks
    When `vendor.regions_served` is given, that it contains `client.region`;
    when `vendor.industries_served` is given, that it contains
    `client.industry`. Comparison ignores case. A list that is absent, or a
    client region or industry that is unknown (absent or a placeholder such as
    `TBD`), cannot be compared and stays silent; placeholders in the lists are
    not regions or industries served, and when a list holds only
    placeholders the message says so. Region and industry are reported
    separately, at `vendor.regions_served` and `vendor.industries_served`.

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Cultural and time-zone differences cause real trouble with vendors abroad;
    a vendor that has already worked for clients of the same market and trade
    brings fewer of them (Source B, mistake 5).

    ## How to fix
    Choose a vendor experienced with your region and industry, or, if you keep
    this one, allow for a longer onboarding and spell out expectations on
    working hours and communication styles.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    client:
      name: Acme Ltd
      region: GB
      industry: retail
    vendor:
      name: LedgerPros
      regions_served: [US, AU]
      industries_served: [retail]
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    client:
      name: Acme Ltd
      region: GB
      industry: retail
    vendor:
      name: LedgerPros
      regions_served: [US, AU, GB]
      industries_served: [retail]
    ```
    """
    client = engagement.client
    vendor = engagement.vendor
    if client is None or vendor is None:
        return
    checks = (
        ("region", client.region, vendor.regions_served, "vendor.regions_served"),
        (
            "industry",
            client.industry,
            vendor.industries_served,
            "vendor.industries_served",
        ),
    )
    for what, wanted, listed, path in checks:
        if listed is None or not given(wanted) or _serves(listed, wanted):
            continue
        served = stated(listed)
        shown = ", ".join(served) if served else "none listed"
        who = vendor_label(vendor)
        yield ctx.finding(
            explained(
                f"{who} has not served the client's {what} {wanted.strip()} "
                f"(served: {shown})",
                unstated_list(f"`{path}`", listed),
            ),
            path=path,
            evidence={what: wanted, "served": list(served)},
        )


@rule(
    code="OSK206",
    slug="failed-trial-continued",
    title="Failed trial, engagement continued",
    category="partner",
    severity="error",
    sources=("B2", "B7"),
    fix="Act on the failed trial: end the engagement, or run a new trial and "
    "record its outcome before continuing.",
)
def failed_trial_continued(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that stays active although the vendor failed its trial.

    ## What it checks
    `vendor.trial.status: failed` on an engagement that is active as of the
    evaluation date (status `trial` or `active`, or no status with a `start` on
    or before as_of and no `end` before it). A failure whose `completed_on` is
    after as_of had not happened yet: the trial is still running then.

    Changed in catalogue 1.1: a failure dated after as_of is not known yet.

    ## Why it matters
    A trial exists to find out whether the vendor can do the work before the
    client commits (Source B, mistake 2); carrying on after a failed one throws
    that answer away. Partnerships that do not meet expectations should be
    ended (Source B, mistake 7).

    ## How to fix
    End the engagement (`status: ended` with an `end` date), or, if the reasons
    for the failure have been dealt with, run a new trial and record it.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    vendor:
      name: LedgerPros
      trial:
        status: failed
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: ended
    start: 2026-01-05
    end: 2026-02-27
    vendor:
      name: LedgerPros
      trial:
        status: failed
    ```
    """
    if _trial_status(engagement.vendor, ctx.as_of) is not TrialStatus.FAILED:
        return
    if not engagement.is_active(ctx.as_of):
        return
    status = engagement.status
    yield ctx.finding(
        f"{vendor_label(engagement.vendor)} failed its trial project but the "
        "engagement is still active",
        path="vendor.trial.status",
        evidence={
            "trial": TrialStatus.FAILED.value,
            "status": None if status is None else status.value,
        },
    )


@rule(
    code="OSK207",
    slug="single-quote",
    title="Vendor chosen without comparing quotes",
    category="partner",
    severity="info",
    sources=("B2",),
    fix="Ask several vendors for a quote on the same scope and compare them before "
    "choosing, and record how many in `vendor.selection.quotes_compared`.",
    options={
        "min-quotes": Option(
            default=2,
            help="The fewest quotes that should be compared before choosing a vendor.",
            minimum=0,
        )
    },
)
def single_quote(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a vendor chosen after comparing fewer quotes than expected.

    ## What it checks
    `vendor.selection.quotes_compared`, when it is given: the rule fires when
    fewer than `min-quotes` (default 2) quotes were compared. Exactly
    `min-quotes` passes. An absent count is unknown and stays silent: the
    rule judges what was recorded, not what was left out.

    New in catalogue 1.1.

    ## Why it matters
    Choosing the wrong partner is one of the common outsourcing mistakes, and
    the cure starts with evaluating several candidates: their experience, their
    references and what they offer for the price (Source B, mistake 2). With a
    single offer on the table there is nothing to weigh it against.

    ## How to fix
    Ask two or more vendors for a quote on the same scope, compare them on
    more than price, and record the number in
    `vendor.selection.quotes_compared`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      selection:
        criteria: [experience, references]
        quotes_compared: 1
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      selection:
        criteria: [experience, references]
        quotes_compared: 3
    ```
    """
    vendor = engagement.vendor
    selection = None if vendor is None else vendor.selection
    quotes = None if selection is None else selection.quotes_compared
    if quotes is None:
        return
    minimum: int = ctx.options["min-quotes"]
    if quotes >= minimum:
        return
    compared = "no quote was" if quotes == 0 else f"{plural(quotes, 'quote')} "
    if quotes:
        compared += "was" if quotes == 1 else "were"
    yield ctx.finding(
        f"{vendor_label(vendor)} was chosen after {compared} compared, fewer than "
        f"the {minimum} expected",
        path="vendor.selection.quotes_compared",
        evidence={"quotes_compared": quotes, "min_quotes": minimum},
    )


#: The partner rules, in catalogue order.
RULES: tuple[Rule, ...] = (
    unvetted_vendor,
    no_trial_project,
    cost_only_selection,
    critical_work_first,
    region_inexperience,
    failed_trial_continued,
    single_quote,
)
