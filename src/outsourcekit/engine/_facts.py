"""Portfolio facts: what a portfolio rule needs of each engagement, to decide from."""

from __future__ import annotations

from collections.abc import Sequence  # noqa: TC003 - evaluated by the API docs
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from outsourcekit.model import Engagement

if TYPE_CHECKING:
    from ._context import Context
    from ._rule import Rule

__all__ = ["PortfolioFact", "gather_facts", "sort_facts"]


class PortfolioFact(NamedTuple):
    """One engagement's fact for a portfolio rule: the engagement's id and the value.

    The value is what the rule's ``facts`` function returned for the
    engagement: small and picklable, so that a portfolio checked in parts sends
    facts, not engagements. It unpacks as a pair:
    ``for engagement, value in facts: ...``.
    """

    engagement: str
    value: Any


_by_engagement = itemgetter(0)


def sort_facts(facts: list[PortfolioFact]) -> None:
    """Sort facts in place in engagement-id order, the order rules receive them."""
    facts.sort(key=_by_engagement)


def gather_facts(
    rule: Rule, target: Engagement | Sequence[Engagement], ctx: Context
) -> list[PortfolioFact]:
    """Return the facts of *target*'s engagements for *rule*, in engagement-id order.

    Engagements whose fact is None contribute nothing. An exception of the
    facts function propagates.
    """
    facts_of = rule.facts
    if facts_of is None:
        msg = f"rule {rule.code} declares no facts"
        raise TypeError(msg)
    engagements = (target,) if isinstance(target, Engagement) else target
    out: list[PortfolioFact] = []
    for engagement in engagements:
        ctx.engagement = engagement
        value = facts_of(engagement, ctx)
        if value is not None:
            out.append(PortfolioFact(engagement.id, value))
    ctx.engagement = None
    sort_facts(out)
    return out
