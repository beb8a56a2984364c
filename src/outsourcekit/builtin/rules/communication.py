"""Communication rules (OSK4xx): channels, response times, milestones, escalation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.engine import Context, Finding, Option, rule
from outsourcekit.model import Channel, ChannelKind, Engagement, Milestone

from ._common import explained, item_path, missing, plural, unstated

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence

__all__ = [
    "RULES",
    "email_only",
    "no_communication_plan",
    "no_escalation_path",
    "no_milestones",
    "no_pm_tool",
    "no_response_time",
    "silent_milestone",
]


def _channels(engagement: Engagement) -> tuple[Channel, ...]:
    plan = engagement.communication
    return () if plan is None else plan.channels


def _channel_names(channels: Sequence[Channel]) -> list[str]:
    return [c.name if c.name is not None else f"#{i}" for i, c in enumerate(channels)]


@rule(
    code="OSK401",
    slug="no-communication-plan",
    title="No communication plan",
    category="communication",
    severity="error",
    sources=("B4", "E"),
    fix="List the channels the parties use to talk (chat, video, a project "
    "tool, email).",
)
def no_communication_plan(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that names no communication channel.

    ## What it checks
    Fires when `communication.channels` is absent or empty.

    ## Why it matters
    Poor communication channels breed misunderstandings, delays and frustration on
    both sides, and agreeing how the parties will talk is the first thing to settle
    with an assistant (Source B, mistake 4; Source E, "Communicate!").

    ## How to fix
    Add the channels you actually use under `communication.channels`, each with a
    `kind` (`email`, `chat`, `video`, `phone`, `pm-tool` or `other`).

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
      channels:
        - {name: Slack, kind: chat}
    ```
    """
    if not _channels(engagement):
        yield ctx.finding(
            "No communication channels are listed",
            path="communication.channels",
            evidence={"channels": 0},
        )


@rule(
    code="OSK402",
    slug="no-response-time",
    title="No response time",
    category="communication",
    severity="warning",
    sources=("B4",),
    fix="Agree how quickly messages are answered and record it as "
    "`communication.response_time`.",
)
def no_response_time(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag channels that come without an agreed response time.

    ## What it checks
    Fires when `communication.channels` lists at least one channel but
    `communication.response_time` is absent. Without channels OSK401 fires instead.

    ## Why it matters
    A communication protocol names both where the parties talk and how soon they
    answer; without an agreed response time, silence cannot be told apart from
    neglect (Source B, mistake 4).

    ## How to fix
    Set `communication.response_time` to a duration such as `24h` or
    `1 business days`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
      response_time: 24h
    ```
    """
    plan = engagement.communication
    if plan is None or not plan.channels or plan.response_time is not None:
        return
    names = _channel_names(plan.channels)
    yield ctx.finding(
        f"{plural(len(names), 'channel')} ({', '.join(names)}) "
        f"{'is' if len(names) == 1 else 'are'} listed but no response time is agreed",
        path="communication.response_time",
        evidence={"channels": names},
    )


@rule(
    code="OSK403",
    slug="email-only",
    title="Email is the only channel",
    category="communication",
    severity="info",
    sources=("C",),
    fix="Add a more immediate channel next to email, such as chat, video calls "
    "or a project tool.",
)
def email_only(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a communication plan in which every channel is email.

    ## What it checks
    Fires when `communication.channels` is not empty and every channel has
    `kind: email`. A channel of unknown kind is not email.

    ## Why it matters
    Email matters, but questions and progress need a faster way to travel too; an
    online project tool or chat keeps communication open and steady (Source C).

    ## How to fix
    Add a channel of another kind: `chat`, `video`, `phone` or `pm-tool`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Mail, kind: email}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Mail, kind: email}
        - {name: Slack, kind: chat}
    ```
    """
    channels = _channels(engagement)
    if channels and all(c.kind is ChannelKind.EMAIL for c in channels):
        names = _channel_names(channels)
        yield ctx.finding(
            f"Every channel is email ({', '.join(names)})",
            path="communication.channels",
            evidence={"channels": names},
        )


@rule(
    code="OSK404",
    slug="no-pm-tool",
    title="No project-management tool",
    category="communication",
    severity="info",
    sources=("B pro tips", "C"),
    fix="Track the work in a shared project-management tool and list it as a "
    "channel of kind `pm-tool`.",
)
def no_pm_tool(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement whose channels include no project-management tool.

    ## What it checks
    Fires when no entry of `communication.channels` has `kind: pm-tool`, including
    when there are no channels at all.

    ## Why it matters
    A shared project-management tool (Trello, Asana, Basecamp) streamlines task
    management and lets the client follow progress without chasing people
    (Source B, pro tips; Source C).

    ## How to fix
    Add the tool the parties share to `communication.channels` with
    `kind: pm-tool`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
        - {name: Asana, kind: pm-tool}
    ```
    """
    channels = _channels(engagement)
    if any(c.kind is ChannelKind.PM_TOOL for c in channels):
        return
    names = _channel_names(channels)
    if not names:
        message = "No project-management tool is listed as a channel"
    elif len(names) == 1:
        message = f"The only channel ({names[0]}) is not a project-management tool"
    else:
        message = (
            f"None of the {len(names)} channels ({', '.join(names)}) "
            "is a project-management tool"
        )
    yield ctx.finding(
        message, path="communication.channels", evidence={"channels": names}
    )


def _last_update(
    milestone: Milestone, engagement: Engagement, ctx: Context
) -> dt.date | None:
    """Return the date of the milestone's latest update known at as_of, if any."""
    as_of = ctx.as_of
    days = [
        engagement.local_date(u.at)
        for u in milestone.updates
        if engagement.is_known(u.at, as_of)
    ]
    return max(days, default=None)


@rule(
    code="OSK405",
    slug="silent-milestone",
    title="Overdue milestone without updates",
    category="communication",
    severity="warning",
    sources=("C",),
    fix="Ask for a progress update on the overdue milestone, record it, or mark"
    " the milestone done.",
    options={
        "max-days-silent": Option(
            default=14,
            help="Days an overdue milestone may go without a progress update.",
            minimum=0,
        )
    },
)
def silent_milestone(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an overdue milestone that nobody has reported on lately.

    ## What it checks
    For an active engagement, fires for each milestone whose `due` date is before
    as_of, that has no `done_on` on or before as_of, and whose latest update (on
    or before as_of) is more than `max-days-silent` (default 14) days before
    as_of, or that has no update at all. One finding per milestone, at its `due`.

    ## Why it matters
    Progress should be reported as each milestone is reached, not only at the
    end, so that work heading the wrong way is caught early (Source C). An
    overdue milestone with no recent word is the clearest sign that this is not
    happening.

    ## How to fix
    Get a status update from the vendor and add it to the milestone's `updates`,
    or record `done_on` if it was reached.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    milestones:
      - name: Year-end close
        due: 2026-11-01
        updates:
          - {at: 2026-10-15, note: Started}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    milestones:
      - name: Year-end close
        due: 2026-11-01
        updates:
          - {at: 2026-10-15, note: Started}
          - {at: 2026-11-20, note: Waiting for the bank statements}
    ```
    """
    milestones = engagement.milestones
    if not milestones or not engagement.is_active(ctx.as_of):
        return
    as_of = ctx.as_of
    max_days: int = ctx.options["max-days-silent"]
    for index, milestone in enumerate(milestones):
        due = milestone.due
        if due is None or due >= as_of:
            continue
        if milestone.done_on is not None and milestone.done_on <= as_of:
            continue
        last = _last_update(milestone, engagement, ctx)
        if last is not None and (as_of - last).days <= max_days:
            continue
        label = milestone.name if milestone.name is not None else f"#{index}"
        overdue = (as_of - due).days
        since = (
            "has no progress update"
            if last is None
            else f"was last updated {plural((as_of - last).days, 'day')} ago on "
            f"{last.isoformat()}, more than the {plural(max_days, 'day')} allowed"
        )
        yield ctx.finding(
            f"Milestone {label} was due on {due.isoformat()} "
            f"({plural(overdue, 'day')} ago), is not done and {since}",
            path=f"{item_path('milestones', milestones, index)}.due",
            evidence={
                "milestone": label,
                "due": due,
                "days_overdue": overdue,
                "last_update": last,
                "days_silent": None if last is None else (as_of - last).days,
                "max_days_silent": max_days,
            },
        )


@rule(
    code="OSK406",
    slug="no-escalation-path",
    title="No escalation path",
    category="communication",
    severity="info",
    sources=("ISO 37500",),
    fix="Name who issues go to when the usual contacts cannot settle them, in order.",
)
def no_escalation_path(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that names no escalation path.

    ## What it checks
    Fires when `communication.escalation` is absent, blank or a placeholder
    (`TBD`, `n/a`, `-`, ...).

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Outsourcing governance (ISO 37500) expects a defined route for disputes and
    problems that day-to-day contacts cannot resolve; without one, issues stall
    or go to whoever happens to answer.

    ## How to fix
    Set `communication.escalation` to the people or roles issues go to, in
    order, such as `Finance lead, then COO`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    communication:
      channels:
        - {name: Slack, kind: chat}
      escalation: Finance lead, then COO
    ```
    """
    plan = engagement.communication
    escalation = None if plan is None else plan.escalation
    if missing(escalation):
        yield ctx.finding(
            explained(
                "No escalation path is defined",
                unstated("the escalation", escalation),
            ),
            path="communication.escalation",
            evidence={"escalation": escalation},
        )


@rule(
    code="OSK407",
    slug="no-milestones",
    title="No milestones",
    category="communication",
    severity="info",
    sources=("C",),
    fix="Split the work into dated milestones on which the vendor reports progress.",
    options={
        "min-days": Option(
            default=60,
            help="Length in days (start to end, or to as_of when open-ended) "
            "beyond which an engagement needs milestones.",
            minimum=0,
        )
    },
)
def no_milestones(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a long active engagement without milestones.

    ## What it checks
    Fires when the engagement is active, lasts more than `min-days` (default 60)
    days, from `start` to `end` or, when it has no end, from `start` to as_of, and
    `milestones` is empty. Without a `start` the length is unknown and the rule is
    silent.

    ## Why it matters
    Milestones give the vendor natural points to report progress, so the client
    knows where the work stands long before it is finished (Source C).

    ## How to fix
    Add `milestones`, each with a `name` and a `due` date.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    end: 2026-12-31
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    end: 2026-12-31
    milestones:
      - {name: First quarter closed, due: 2026-04-07}
    ```
    """
    start = engagement.start
    if engagement.milestones or start is None or not engagement.is_active(ctx.as_of):
        return
    min_days: int = ctx.options["min-days"]
    until = engagement.end if engagement.end is not None else ctx.as_of
    days = (until - start).days
    if days <= min_days:
        return
    span = (
        f"runs from {start.isoformat()} to {until.isoformat()}"
        if engagement.end is not None
        else f"has run since {start.isoformat()}"
    )
    yield ctx.finding(
        f"The engagement {span} ({plural(days, 'day')}, more than {min_days}) "
        "without milestones",
        path="milestones",
        evidence={
            "start": start,
            "end": engagement.end,
            "days": days,
            "min_days": min_days,
        },
    )


#: The communication rules, in catalogue order.
RULES = (
    no_communication_plan,
    no_response_time,
    email_only,
    no_pm_tool,
    silent_milestone,
    no_escalation_path,
    no_milestones,
)
