"""Helpers for testing rules, for outsourcekit's own tests and plugin authors'."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .config import with_waivers
from .engine import Config, Context, Finding, Rule, Severity
from .engine._check import run_check
from .engine._rule import DOC_SECTIONS
from .model import Engagement

if TYPE_CHECKING:
    import datetime as dt

__all__ = [
    "assert_documented",
    "check_one",
    "documentation_problems",
    "make_engagement",
    "run_rule",
]

#: The id :func:`make_engagement` gives an engagement whose data has none.
DEFAULT_ID = "example"


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
        own = rule.option_name(name)
        if own is None:
            known = ", ".join(sorted(rule.options)) or "none"
            msg = f"rule {rule.code} has no option {name!r} (options: {known})"
            raise ValueError(msg)
        resolved[own] = rule.options[own].validate(name, value)
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


def make_engagement(
    data: Mapping[str, Any] | None = None, /, **fields: object
) -> Engagement:
    """Build an engagement from file-format data, as a file would give it.

    *data* and *fields* are merged (fields win); ``id`` defaults to
    ``"example"``, so a test names only what it is about::

        make_engagement({"data": {"confidential": True}})
    """
    from .io import from_dict  # noqa: PLC0415 - the loader is only needed here

    merged = {"id": DEFAULT_ID, **(data or {}), **fields}
    return from_dict(merged)


def check_one(  # noqa: PLR0913
    rule: Rule,
    data: Engagement | Mapping[str, Any] | Sequence[Engagement | Mapping[str, Any]],
    *,
    as_of: dt.date,
    options: Mapping[str, Any] | None = None,
    severity: str | Severity | None = None,
    waivers: str | None = None,
) -> list[Finding]:
    """Check engagements with one rule as the engine would, and return its findings.

    *data* is an engagement, file-format data (see :func:`make_engagement`) or a
    list of either. Unlike :func:`run_rule`, options and *severity* go through
    configuration, the engagements' waivers apply (*waivers* may name a central
    waiver file) and findings come back in the report's order. An exception in
    the rule is raised, not recorded, so that the test shows it.
    """
    if isinstance(data, (Engagement, Mapping)):
        items: Sequence[Engagement | Mapping[str, Any]] = (data,)
    else:
        items = data
    engagements = [
        e if isinstance(e, Engagement) else make_engagement(e) for e in items
    ]
    config = with_waivers(
        Config(
            rules={rule.code: dict(options)} if options else {},
            severity={rule.code: severity} if severity is not None else {},
            waivers=waivers,
        )
    )
    report = run_check(
        engagements, as_of=as_of, config=config, rules=[rule], reraise=True
    )
    return list(report.findings)


def documentation_problems(rule: Rule) -> list[str]:
    """Return what is missing from a rule's documentation (empty when complete).

    A rule needs a title, a fix and a docstring with the sections *What it
    checks*, *Why it matters*, *How to fix* and *Example*.
    """
    problems = []
    if not rule.title.strip():
        problems.append(f"{rule.code} has no title")
    if not rule.fix.strip():
        problems.append(f"{rule.code} has no fix")
    sections = rule.sections()
    problems.extend(
        f"{rule.code} documentation lacks the section {title!r}"
        for title in DOC_SECTIONS
        if not sections.get(title, "").strip()
    )
    return problems


def assert_documented(rule: Rule) -> None:
    """Fail (AssertionError) listing what a rule's documentation lacks."""
    problems = documentation_problems(rule)
    if problems:
        raise AssertionError("; ".join(problems))
