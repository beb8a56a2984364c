"""Helpers for testing rules, for outsourcekit's own tests and plugin authors'."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .engine import Context, Finding, Rule
from .model import Engagement

__all__ = ["run_rule"]


def run_rule(
    rule: Rule,
    engagement: Engagement | Sequence[Engagement],
    *,
    as_of: dt.date,
    options: Mapping[str, Any] | None = None,
    findings: Sequence[Finding] = (),
) -> list[Finding]:
    """Run one rule on one engagement (or, for a portfolio rule, several).

    *options* override the rule's defaults (validated like configuration);
    *findings* are what the other rules found, for rules of scope ``"findings"``.
    Waivers are not applied: the rule's own findings are returned as it made them.
    """
    resolved = rule.defaults
    for name, value in (options or {}).items():
        if name not in rule.options:
            known = ", ".join(sorted(rule.options)) or "none"
            msg = f"rule {rule.code} has no option {name!r} (options: {known})"
            raise ValueError(msg)
        resolved[name] = rule.options[name].validate(name, value)
    if isinstance(engagement, Engagement):
        portfolio: Sequence[Engagement] = (engagement,)
    else:
        portfolio = tuple(engagement)
    ctx = Context(rule=rule, as_of=as_of, options=resolved, portfolio=portfolio)
    if rule.scope == "portfolio":
        return list(rule(portfolio, ctx))
    out: list[Finding] = []
    for eng in portfolio:
        ctx.engagement = eng
        ctx.findings = tuple(f for f in findings if f.engagement == eng.id)
        out.extend(rule(eng, ctx))
    return out
