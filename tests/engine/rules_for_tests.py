"""Small rules and engagements the engine's tests share."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from outsourcekit.engine import Option, rule
from outsourcekit.model import Engagement, Objective, Waiver

AS_OF = dt.date(2026, 11, 22)


@rule(
    code="TST001",
    slug="no-owner-here",
    title="No owner",
    category="governance",
    severity="warning",
    fix="Name an owner.",
)
def no_owner(engagement, ctx):
    """Fires without an owner."""
    if engagement.owner is None:
        yield ctx.finding("No owner is named", path="owner")


@rule(
    code="TST002",
    slug="no-objectives-here",
    title="No objectives",
    category="clarity",
    severity="error",
    fix="Write objectives.",
)
def no_objectives(engagement, ctx):
    """Fires without objectives."""
    if not engagement.objectives:
        yield ctx.finding("No objectives are written", path="objectives")


@rule(
    code="TST003",
    slug="no-vision-here",
    title="No vision",
    category="clarity",
    severity="info",
    fix="Write the vision down.",
    options={"min-length": Option(default=1, help="shortest useful vision")},
)
def no_vision(engagement, ctx):
    """Fires without a vision at least `min-length` long."""
    if engagement.vision is None or len(engagement.vision) < ctx.options["min-length"]:
        yield ctx.finding("No vision is written", path="vision")


@rule(
    code="TST004",
    slug="fragile",
    title="Fragile",
    category="clarity",
    severity="warning",
    fix="None.",
)
def fragile(engagement, ctx):
    """Divides by zero on the engagement 'boom', after yielding once."""
    if engagement.id == "boom":
        yield ctx.finding("Half-way", path="title")
        _ = 1 / 0
    yield ctx.finding("Fragile looked here", path="title")


@rule(
    code="TST005",
    slug="shared-title",
    title="Shared title",
    category="governance",
    severity="info",
    fix="Give each engagement its own title.",
    scope="portfolio",
)
def shared_title(engagements, ctx):
    """Fires on every engagement whose title another engagement also has."""
    counts = Counter(e.title for e in engagements if e.title)
    for e in engagements:
        if e.title and counts[e.title] > 1:
            yield ctx.finding("The title is shared", path="title", engagement=e)


@rule(
    code="TST006",
    slug="many-findings",
    title="Many findings",
    category="governance",
    severity="info",
    fix="Fix the others.",
    scope="findings",
)
def many_findings(_engagement, ctx):
    """Fires when the other rules found two or more things."""
    if len(ctx.findings) >= 2:
        yield ctx.finding(
            "Several findings", path="", evidence={"count": len(ctx.findings)}
        )


BASIC = (no_owner, no_objectives, no_vision)


def clean(eng_id: str = "clean", **fields) -> Engagement:
    """An engagement none of the BASIC rules fires on."""
    base = {
        "owner": "Dana",
        "objectives": (Objective(statement="Close the books"),),
        "vision": "Books closed on time",
    }
    return Engagement(id=eng_id, **{**base, **fields})


def bare(eng_id: str = "bare", **fields) -> Engagement:
    """An engagement every BASIC rule fires on."""
    return Engagement(id=eng_id, **fields)


def waiver(rule_name: str, reason: str | None = "Accepted", **fields) -> Waiver:
    """A waiver of *rule_name*."""
    return Waiver(rule=rule_name, reason=reason, **fields)
