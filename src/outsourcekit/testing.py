"""Helpers for testing rules, for outsourcekit's own tests and plugin authors'."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

from .config import with_waivers
from .engine import Config, Context, Finding, Rule, Severity
from .engine._check import _UNSET, _as_of, _returned, run_check
from .engine._errors import shown
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

#: What :func:`run_rule` and :func:`check_one` take as engagements: an
#: engagement, file-format data, or a list of either.
EngagementData: TypeAlias = (
    Engagement | Mapping[str, Any] | Sequence[Engagement | Mapping[str, Any]]
)


def run_rule(
    rule: Rule,
    engagement: EngagementData,
    *,
    as_of: dt.date | str,
    options: Mapping[str, Any] | None = None,
    findings: Sequence[Finding] = (),
) -> list[Finding]:
    """Run one rule on one engagement (or, for a portfolio rule, several).

    *engagement* is an engagement, file-format data (see :func:`make_engagement`)
    or a list of either, as for :func:`check_one`; *as_of* a date or its text
    (``2026-11-22``). *options* override the rule's defaults (validated like
    configuration); *findings* are what the other rules found, for rules of
    scope ``"findings"``. Waivers are not applied: the rule's own findings are
    returned as it made them.

    Raises:
        TypeError: *rule* is no rule, *engagement* none of the above, *as_of*
            no date, or the rule returns something that holds no findings.
        ValueError: an option is unknown or its value wrong, or *as_of* lies
            outside 1900-01-01 to 2999-12-31.

    """
    _require_rule(rule)
    portfolio = _engagements(engagement, "engagement")
    day = _as_of(as_of)
    resolved = rule.defaults
    for name, value in (options or {}).items():
        own = rule.option_name(name)
        if own is None:
            known = ", ".join(sorted(rule.options)) or "none"
            msg = f"rule {rule.code} has no option {name!r} (options: {known})"
            raise ValueError(msg)
        resolved[own] = rule.options[own].validate(name, value)
    ctx = Context(rule=rule, as_of=day, options=resolved, portfolio=portfolio)
    if rule.scope == "portfolio":
        return _made(rule, portfolio, ctx)
    out: list[Finding] = []
    for eng in portfolio:
        ctx.engagement = eng
        ctx.findings = tuple(f for f in findings if f.engagement == eng.id)
        out.extend(_made(rule, eng, ctx))
    return out


def _require_rule(rule: object) -> None:
    """Raise TypeError unless *rule* is a rule."""
    if not isinstance(rule, Rule):
        msg = f"rule must be a Rule made with @rule, got {shown(rule)}"
        raise TypeError(msg)


def _made(
    rule: Rule, target: Engagement | Sequence[Engagement], ctx: Context
) -> list[Finding]:
    """Return what *rule* makes of *target*, naming a result that holds no findings."""
    result: object = _UNSET
    try:
        result = rule(target, ctx)
        return list(result)
    except TypeError as exc:
        error = _returned(rule, result, exc)
        if error is exc:
            raise
        raise error from exc


def _engagements(data: EngagementData, name: str) -> tuple[Engagement, ...]:
    """Return *data* as engagements: an engagement, its data, or a list of either.

    TypeError for anything else, naming the argument *name*.
    """
    given: object = data  # callers without type checks pass anything
    if isinstance(given, (Engagement, Mapping)):
        given = (given,)
    elif not isinstance(given, Iterable) or isinstance(given, (str, bytes)):
        hint = ""
        if isinstance(given, (str, bytes, os.PathLike)):
            hint = ": read a file with outsourcekit.load()"
        raise _not_data(name, given, hint)
    out = []
    for i, item in enumerate(given):
        if isinstance(item, Engagement):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(make_engagement(item))
        else:
            raise _not_data(name, item, f" at index {i}")
    return tuple(out)


def _not_data(name: str, value: object, hint: str) -> TypeError:
    msg = (
        f"{name} must be an Engagement, file-format data (a mapping) or a "
        f"list of either, got {shown(value)}{hint}"
    )
    return TypeError(msg)


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
    data: EngagementData,
    *,
    as_of: dt.date | str,
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
    _require_rule(rule)
    engagements = _engagements(data, "data")
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
    _require_rule(rule)
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
