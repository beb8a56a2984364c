"""Checking: run the selected rules over engagements and build the report."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from itertools import groupby
from operator import attrgetter, itemgetter, le, lt
from time import perf_counter

import attrs

from outsourcekit._dates import DATE_RANGE, DateRangeError, as_date
from outsourcekit._gc import collector_paused
from outsourcekit._shorten import error_text, short_repr
from outsourcekit.model import Engagement, Origin, Waiver

from ._compile import Twin, twin_for
from ._config import Config, Plan, RulePlan
from ._context import Context
from ._errors import kind_of, shown
from ._facts import PortfolioFact, sort_facts
from ._finding import Finding, sort_findings
from ._report import (
    EngagementResult,
    Issue,
    LaterResults,
    Report,
    RuleError,
    RuleStatistics,
    Statistics,
)
from ._rule import Rule
from ._scoring import MAX_SCORE, Scorer
from ._waivers import WaiverIndex, apply_waivers, waiver_matches

__all__ = [
    "UnsplittableRuleError",
    "check",
    "load_errors",
    "require_config",
    "require_engagements",
    "require_errors",
    "require_function",
    "run_check",
]

#: How many engagements every rule sees before the next block: a block's objects
#: stay in the processor's cache while all rules read them.
BLOCK = 128

_engagement_of = attrgetter("engagement")
_id_of = attrgetter("id")
_rule_of = attrgetter("rule")
_severity_of = attrgetter("severity")
_first = itemgetter(0)


class UnsplittableRuleError(Exception):
    """A portfolio rule without facts, in a check of a portfolio split into parts.

    Such a rule needs every engagement at once, which a split check never
    holds; it is recorded as a rule error and the other rules run.
    """

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        super().__init__(
            f"portfolio rule {rule.code} decides from every engagement at once, "
            "so it cannot run when the portfolio is checked in parts "
            "(check_stream, --jobs, Dask); check in one run, or give the rule "
            "facts= (see Plugins: portfolio rules)"
        )


def check(
    engagements: Engagement | Iterable[Engagement],
    *,
    rules: Iterable[Rule],
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    errors: Iterable[Issue] = (),
) -> Report:
    """Check engagements with *rules* and return the report.

    This is the engine itself: it runs exactly the rules it is handed and calls
    no plugin. :func:`outsourcekit.check` is the same with the registered rules
    (built-in and plugins') and the ``outsourcekit_report_ready`` hook.

    *as_of* is the date the check is made for (default: today, the machine's local
    date), so a fixed *as_of* reproduces a run; like every date outsourcekit
    reads, it lies from 1900-01-01 to 2999-12-31. *config* selects rules,
    overrides severities and sets options; *errors* are load errors to carry
    into the report. A rule that raises is recorded in ``report.rule_errors`` and
    the other rules still run.

    Raises:
        ConfigError: the configuration names an unknown rule, option or value.
        TypeError: an argument is not what it takes, before any rule runs:
            *engagements* no :class:`~outsourcekit.model.Engagement` objects
            (text, a path or a mapping included), *rules* no :class:`Rule`
            objects, *as_of* no date, *config* no :class:`Config`, or
            *errors* no load errors (each with ``to_dict()``, as
            :class:`outsourcekit.LoadIssue`).
        ValueError: *as_of* lies outside the range, or two engagements share
            an id.

    """
    return run_check(
        engagements, as_of=as_of, config=config, rules=rules, errors=errors
    )


def run_check(  # noqa: PLR0913
    engagements: Engagement | Iterable[Engagement],
    *,
    rules: Iterable[Rule],
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    errors: Iterable[Issue] = (),
    reraise: bool = False,
) -> Report:
    """Run a check as :func:`check` does.

    With ``reraise=True`` a rule's exception propagates instead of becoming a
    rule error (for tests).
    """
    started = perf_counter()
    require_engagements(engagements, "check")
    day = _as_of(as_of)
    available = _explicit(rules)
    plan = plan_of(config, available)
    issues = load_errors(errors)
    engs = _engagements(engagements)
    index = WaiverIndex(engs, plan.waivers, as_of=day)
    with collector_paused():
        run = _Run(plan, engs, day, index, reraise=reraise, known=available)
        findings = run.run()
        findings = apply_waivers(findings, index)
        if not run.in_report_order():
            sort_findings(findings)
        elif not run.ascending:
            findings.sort(key=_engagement_of)
        found = tuple(findings)
        return Report(
            as_of=day,
            findings=found,
            engagements=_later_results(run, found),
            errors=issues,
            rule_errors=run.rule_errors,
            statistics=run.statistics(findings, perf_counter() - started),
            rules=tuple(_effective(p) for p in plan.rules),
            left_out=left_out(plan, available),
        )


def plan_of(config: Config | None, rules: tuple[Rule, ...]) -> Plan:
    """Return what *config* (None: the defaults) makes of *rules*.

    Raise TypeError when *config* is no :class:`Config`, and
    :class:`ConfigError` when it names an unknown rule, option or value.
    """
    require_config(config)
    return (config or Config()).resolve(rules)


def require_config(config: object) -> None:
    """Raise TypeError when *config* is neither None nor a :class:`Config`."""
    if config is not None and not isinstance(config, Config):
        hint = " (Config.from_mapping() reads a mapping)"
        msg = f"config must be an outsourcekit.Config{hint}, got {kind_of(config)}"
        raise TypeError(msg)


def require_engagements(engagements: object, what: str) -> None:
    """Raise TypeError unless *engagements* is an engagement or an iterable.

    Text, a path and a mapping are refused, saying how to read them: iterated,
    they would give characters or keys. The items are checked as they are
    read. *what* names the function called.
    """
    if isinstance(engagements, Engagement):
        return
    hint = ""
    if isinstance(engagements, (str, bytes, os.PathLike)):
        reader = "iter_load" if what == "check_stream" else "load"
        hint = f": read files with outsourcekit.{reader}()"
    elif isinstance(engagements, Mapping):
        hint = ": make an engagement of data with outsourcekit.from_dict()"
    elif isinstance(engagements, Iterable):
        return
    msg = (
        f"{what}() expects Engagement objects (one, or an iterable of them), "
        f"got {shown(engagements)}{hint}"
    )
    raise TypeError(msg)


#: What ``errors=`` takes, as its errors say.
_ERRORS = "load errors, each with to_dict() (as outsourcekit.LoadIssue)"


def require_errors(errors: object) -> None:
    """Raise TypeError unless *errors* is an iterable of load errors.

    The items of a collection (a list, a tuple) are checked now; those of an
    iterator, or added to a list later, by :func:`load_errors` when read.
    """
    _errors_iterable(errors)
    if isinstance(errors, Collection):
        _check_issues(errors)


def load_errors(errors: Iterable[Issue]) -> tuple[Issue, ...]:
    """Return *errors* as a tuple; TypeError unless each is a load error."""
    _errors_iterable(errors)
    issues = tuple(errors)
    _check_issues(issues)
    return issues


def _errors_iterable(errors: object) -> None:
    if isinstance(errors, (str, bytes, Mapping)) or not isinstance(errors, Iterable):
        msg = f"errors must be a list of {_ERRORS}, got {shown(errors)}"
        raise TypeError(msg + _issues_hint(errors))


def _check_issues(errors: Iterable[object]) -> None:
    for i, error in enumerate(errors):
        if not callable(getattr(error, "to_dict", None)):
            msg = f"errors must be {_ERRORS}, got {shown(error)} at index {i}"
            raise TypeError(msg + _issues_hint(error))


def _issues_hint(value: object) -> str:
    """Return how to pass a LoadError's issues, when *value* seems to be one."""
    if isinstance(getattr(value, "issues", None), Sequence):
        return "; the load errors of a LoadError are its issues"
    return ""


def require_function(value: object, name: str, takes: str) -> None:
    """Raise TypeError when *value* is neither None nor callable.

    *name* is the argument's, *takes* what it is called with.
    """
    if value is not None and not callable(value):
        msg = f"{name} must be a function of {takes}, or None, got {shown(value)}"
        raise TypeError(msg)


def _engagements(value: Engagement | Iterable[Engagement]) -> tuple[Engagement, ...]:
    engs = (value,) if isinstance(value, Engagement) else tuple(value)
    stray = _first_stray(engs, Engagement)
    if stray is not None:
        i, e = stray
        msg = (
            f"check() expects Engagement objects (got {short_repr(e)} that is a "
            f"{type(e).__name__}, at index {i}); read files with "
            "outsourcekit.load() or data with outsourcekit.from_dict()"
        )
        raise TypeError(msg)
    ids = [e.id for e in engs]
    if len(set(ids)) != len(ids):
        twice = sorted(i for i, n in Counter(ids).items() if n > 1)
        msg = (
            "engagement ids must be unique in one check "
            f"(got {', '.join(twice)} more than once)"
        )
        raise ValueError(msg)
    return engs


def _as_of(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()  # noqa: DTZ011 - as_of is the machine's local date
    try:
        return as_date(value)
    except DateRangeError:
        msg = f"as_of must be a date from {DATE_RANGE} (got {value!r})"
        raise ValueError(msg) from None
    except ValueError:
        msg = f"as_of must be a date like 2026-11-22 (got {value!r})"
        raise TypeError(msg) from None


def _explicit(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Return the *rules* given, each once: a rule named twice runs once."""
    given: object = rules  # callers without type checks pass anything
    if isinstance(given, Rule):
        msg = f"rules must be a list of Rule objects, got one rule ({given.code})"
        raise TypeError(msg + ": put it in a list")
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
        msg = (
            f"rules must be a list of Rule objects made with @rule, got {shown(given)}"
        )
        raise TypeError(msg)
    out = tuple(rules)
    stray = _first_stray(out, Rule)
    if stray is not None:
        r = stray[1]
        msg = (
            "rules must be Rule objects made with @rule "
            f"(got {short_repr(r)} that is {kind_of(r)})"
        )
        raise TypeError(msg)
    if len({id(r) for r in out}) != len(out):
        out = tuple({id(r): r for r in out}.values())
    return out


def _first_stray(items: Sequence[object], kind: type) -> tuple[int, object] | None:
    """Return the index and value of the first item that is not a *kind*, if any."""
    if set(map(type, items)) <= {kind}:
        return None
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            return i, item
    return None


def _effective(plan: RulePlan) -> Rule:
    """Return the rule as it ran: with its severity after configuration's override."""
    if plan.severity is plan.rule.severity:
        return plan.rule
    return attrs.evolve(plan.rule, severity=plan.severity)


def left_out(plan: Plan, known: Iterable[Rule]) -> tuple[str, ...]:
    """Return the codes of the *known* rules that *plan* does not run, sorted."""
    running = {p.rule.code for p in plan.rules}
    return tuple(sorted({r.code for r in known} - running))


def _sources_of(
    engagements: tuple[Engagement, ...],
) -> Callable[[str], str | None]:
    """Return a function giving the file of the engagement with an id.

    The mapping is built on the first call; an unknown id raises KeyError.
    """
    sources: dict[str, str | None] = {}

    def source_of(engagement: str) -> str | None:
        if not sources:
            sources.update(
                (e.id, None if e.origin is None else e.origin.source)
                for e in engagements
            )
        return sources[engagement]

    return source_of


class _Run:
    """One run of the selected rules over the engagements, collecting findings."""

    def __init__(  # noqa: PLR0913
        self,
        plan: Plan,
        engagements: tuple[Engagement, ...],
        as_of: dt.date,
        index: WaiverIndex,
        *,
        reraise: bool,
        known: tuple[Rule, ...] = (),
        split: bool = False,
    ) -> None:
        self.plan = plan
        #: Every rule handed to the check, selected or not (for OSK909).
        self.known = known
        self.engagements = engagements
        self.as_of = as_of
        self.index = index
        self.reraise = reraise
        self.errors: list[RuleError] = []
        self.seconds: dict[str, float] = {}
        self.failures: Counter[str] = Counter()
        #: How many findings each rule made, as :meth:`tidy` left them.
        self.found: Counter[str] = Counter()
        #: Whether every finding has its rule's (configured) severity, so that
        #: the rules that fired decide an engagement's score.
        self.uniform = True
        #: Whether each engagement's findings were made in the report's order
        #: (see :meth:`in_report_order`): then sorting by engagement alone,
        #: stably, puts the findings in that order.
        self.grouped = True
        #: Whether the engagements came in the order of their ids: then the
        #: findings of engagement rules, each block put in that order, come
        #: in that order too.
        self.ascending = False
        #: Whether this run is one part of a split check: portfolio rules then
        #: only gather facts, and are decided once every part is in.
        self.split = split
        #: Each portfolio rule's facts, by code (rules with facts only).
        self.facts: dict[str, list[PortfolioFact]] = {}
        #: The portfolio rules whose facts function raised: they do not decide.
        self.unfit: set[str] = set()
        #: Findings made with ``unless=`` whose waiver names a portfolio rule,
        #: held (in a split run) until the portfolio rules have decided.
        self.pending: list[tuple[Finding, Waiver]] = []
        portfolio = [p.rule for p in plan.rules if p.rule.scope == "portfolio"]
        self._later_codes = frozenset(r.code for r in portfolio)
        self._later_names = self._later_codes | {r.slug for r in portfolio}
        #: The file of each engagement by id, for findings named by id. A
        #: closure over the engagements, not a bound method: the run must not
        #: refer to itself, so that a chunk of a streamed check is freed as
        #: soon as it is done, without waiting for the cyclic collector.
        self.source_of: Callable[[str], str | None] = _sources_of(engagements)

    @property
    def rule_errors(self) -> tuple[RuleError, ...]:
        """The recorded rule errors, by rule and engagement."""
        return tuple(sorted(self.errors, key=lambda e: (e.rule, e.engagement or "")))

    def context(
        self, plan: RulePlan, portfolio: Sequence[Engagement] | None = None
    ) -> Context:
        return Context(
            rule=plan.rule,
            as_of=self.as_of,
            options=plan.options,
            portfolio=self.engagements if portfolio is None else portfolio,
            severity=plan.severity,
            waivers=self.index,
            selected=self.plan.is_selected,
            known=self.known,
            source_of=self.source_of,
        )

    def run(self) -> list[Finding]:
        """Run every selected rule by scope; return the findings before waivers.

        In a split run portfolio rules only gather their facts (see
        :meth:`gather`); rules without facts do not run there.
        """
        out: list[Finding] = []
        plans = self.plan.rules
        self.each_engagement([p for p in plans if p.rule.scope == "engagement"], out)
        made = len(out)
        for plan in plans:
            if plan.rule.scope != "portfolio":
                continue
            if plan.rule.facts is not None:
                self.gather(plan)
                if not self.split:
                    self.decide(plan, self.facts[plan.rule.code], out)
            elif not self.split:
                self.portfolio(plan, out)
        late = [p for p in plans if p.rule.scope == "findings"]
        if late:
            grouped: dict[str, list[Finding]] = {}
            for f in out:
                grouped.setdefault(f.engagement, []).append(f)
            frozen = {k: tuple(v) for k, v in grouped.items()}
            extra: list[Finding] = []
            self.each_late(late, extra, frozen)
            out += extra
        if len(out) != made:
            self.grouped = False
        return out

    def in_report_order(self) -> bool:
        """Whether a stable sort by engagement puts the findings in report order.

        Engagement rules run in the report's order of severity and code over
        each engagement, so their findings of one engagement are made in
        report order when each has its rule's severity and a rule's findings
        of one engagement come in the order of their paths and messages. The
        findings of portfolio and findings rules come later, in any order.
        """
        return self.grouped and self.uniform

    def each_engagement(self, plans: list[RulePlan], out: list[Finding]) -> None:
        """Run engagement rules on each engagement.

        Engagements are taken in blocks small enough to stay in the processor's
        cache while every rule runs over the block; each rule is timed per block.
        A rule whose function has a plain-function twin (see
        :mod:`._compile`) runs as that: the same code, appending its findings
        to *out* instead of yielding them.
        """
        # Errors first, then by code: with each block put in engagement order
        # afterwards, the findings come out nearly in the report's order.
        ordered = sorted(plans, key=lambda p: (-p.severity.rank, p.rule.code))
        engagements = self.engagements
        count = len(engagements)
        runs = [(p, self.context(p), twin_for(p.rule.func, count)) for p in ordered]
        seconds = dict.fromkeys((p.rule.code for p in plans), 0.0)
        ids = list(map(_id_of, engagements))
        self.ascending = all(map(lt, ids, ids[1:]))
        for first in range(0, count, BLOCK):
            block = engagements[first : first + BLOCK]
            block_start = len(out)
            # Where each engagement is in the block, while the order may hold.
            places = (
                dict(zip(ids[first : first + BLOCK], range(BLOCK), strict=False))
                if self.grouped
                else {}
            )
            for plan, ctx, twin in runs:
                start = len(out)
                began = perf_counter()
                if twin is None:
                    self.generate(plan.rule, ctx, block, out)
                else:
                    self.call(plan.rule, twin, ctx, block, out)
                seconds[plan.rule.code] += perf_counter() - began
                self.tidy(plan, out, start, (ctx, block))
                if self.grouped and len(out) > start:
                    self.grouped = _places_ordered(out, start, places)
            if len(out) - block_start > 1:
                out[block_start:] = sorted(out[block_start:], key=_engagement_of)
        self.seconds.update(seconds)

    def generate(
        self, rule: Rule, ctx: Context, block: Sequence[Engagement], out: list[Finding]
    ) -> None:
        """Run *rule*'s generator on each engagement of *block*, into *out*."""
        func = rule.func
        extend = out.extend
        start = len(out)
        for eng in block:
            ctx.engagement = eng
            try:
                found = func(eng, ctx)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a rule's failure is data
                self.failed(rule, eng, exc, out, start)
                continue
            try:
                extend(found)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a rule's failure is data
                self.failed(rule, eng, _returned(rule, found, exc), out, start)

    def call(
        self,
        rule: Rule,
        twin: Twin,
        ctx: Context,
        block: Sequence[Engagement],
        out: list[Finding],
    ) -> None:
        """Run *rule*'s twin on each engagement of *block*: as :meth:`generate`."""
        append = out.append
        start = len(out)
        for eng in block:
            ctx.engagement = eng
            try:
                twin(eng, ctx, append)
            except KeyboardInterrupt:
                raise
            except StopIteration as stop:
                # What a generator makes of a StopIteration raised in its body.
                error = RuntimeError("generator raised StopIteration")
                error.__cause__ = stop
                self.failed(rule, eng, error, out, start)
            except BaseException as exc:  # noqa: BLE001 - a rule's failure is data
                self.failed(rule, eng, exc, out, start)

    def each_late(
        self,
        plans: list[RulePlan],
        out: list[Finding],
        findings: dict[str, tuple[Finding, ...]],
    ) -> None:
        """Run findings rules on each engagement, with what the others found on it.

        A finding made with ``unless=`` is dropped when a finding in
        ``ctx.findings`` matches its waiver; in a split run one whose waiver
        names a portfolio rule is held in :attr:`pending` instead.
        """
        for plan in sorted(plans, key=lambda p: (-p.severity.rank, p.rule.code)):
            rule, func, ctx = plan.rule, plan.rule.func, self.context(plan)
            start = len(out)
            began = perf_counter()
            for eng in self.engagements:
                ctx.engagement = eng
                seen = ctx.findings = findings.get(eng.id, ())
                mark = len(out)
                found: object = _UNSET
                try:
                    found = func(eng, ctx)
                    out.extend(found)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # noqa: BLE001 - a rule's failure is data
                    ctx.take_unless()
                    self.failed(rule, eng, _returned(rule, found, exc), out, mark)
                    continue
                stray = _first_stray(out[mark:], Finding)
                if stray is not None:
                    made_here: list[object] = list(out[mark:])
                    out[mark:] = [f for f in made_here if isinstance(f, Finding)]
                    error = _stray_error(rule, stray[1])
                    if self.reraise:
                        raise error
                    self.record(rule, eng.id, error)
                made = ctx.take_unless()
                if made:
                    self.settle(plan, made, seen, out, mark)
            self.seconds[rule.code] = perf_counter() - began
            self.tidy(plan, out, start)
        if len(out) > 1:
            out.sort(key=_engagement_of)

    def settle(
        self,
        plan: RulePlan,
        made: Mapping[int, tuple[Finding, Waiver]],
        seen: Sequence[Finding],
        out: list[Finding],
        mark: int,
    ) -> None:
        """Keep, drop or hold the findings made with ``unless=`` in ``out[mark:]``."""
        kept: list[Finding] = []
        for finding in out[mark:]:
            entry = made.get(id(finding))
            if entry is None or entry[0] is not finding:
                kept.append(finding)
                continue
            waiver = entry[1]
            if any(waiver_matches(waiver, f) for f in seen):
                continue
            if self.split and self.names_later(waiver):
                if finding.severity is not plan.severity:
                    finding = attrs.evolve(finding, severity=plan.severity)  # noqa: PLW2901
                self.pending.append((finding, waiver))
                continue
            kept.append(finding)
        out[mark:] = kept

    def names_later(self, waiver: Waiver) -> bool:
        """Whether *waiver* names a portfolio rule of this check (code or slug)."""
        name = waiver.rule
        return name in self._later_names or name.upper() in self._later_codes

    def gather(self, plan: RulePlan) -> None:
        """Gather a portfolio rule's facts from every engagement of the run.

        A facts function that raises is recorded as a rule error on that
        engagement, and the rule then does not decide (its verdict would rest on
        an incomplete portfolio).
        """
        rule = plan.rule
        facts_of = rule.facts
        if facts_of is None:  # pragma: no cover - only rules with facts gather
            return
        ctx = self.context(plan, ())
        facts: list[PortfolioFact] = []
        append = facts.append
        began = perf_counter()
        for eng in self.engagements:
            ctx.engagement = eng
            try:
                value = facts_of(eng, ctx)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:
                if self.reraise:
                    raise
                self.record(rule, eng.id, exc)
                self.unfit.add(rule.code)
                continue
            if value is not None:
                append(PortfolioFact(eng.id, value))
        sort_facts(facts)
        self.facts[rule.code] = facts
        self.seconds[rule.code] = perf_counter() - began

    def decide(
        self, plan: RulePlan, facts: Sequence[PortfolioFact], out: list[Finding]
    ) -> None:
        """Run a portfolio rule with facts once, over the facts of every engagement."""
        rule = plan.rule
        if rule.code in self.unfit:
            return
        ctx = self.context(plan, ())
        start = len(out)
        began = perf_counter()
        found: object = _UNSET
        try:
            found = rule.func(facts, ctx)
            out.extend(found)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if self.reraise:
                raise
            del out[start:]
            self.record(rule, None, _returned(rule, found, exc))
        self.seconds[rule.code] = (
            self.seconds.get(rule.code, 0.0) + perf_counter() - began
        )
        self.tidy(plan, out, start)

    def portfolio(self, plan: RulePlan, out: list[Finding]) -> None:
        """Run a portfolio rule once over every engagement."""
        rule = plan.rule
        ctx = self.context(plan)
        start = len(out)
        began = perf_counter()
        found: object = _UNSET
        try:
            found = rule.func(self.engagements, ctx)
            out.extend(found)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            if self.reraise:
                raise
            del out[start:]
            self.record(rule, None, _returned(rule, found, exc))
        self.seconds[rule.code] = perf_counter() - began
        self.tidy(plan, out, start)

    def failed(
        self,
        rule: Rule,
        eng: Engagement,
        exc: BaseException,
        out: list[Finding],
        start: int,
    ) -> None:
        """Record a rule's failure on one engagement and drop that call's findings."""
        if self.reraise:
            raise exc
        while len(out) > start and getattr(out[-1], "engagement", eng.id) == eng.id:
            out.pop()
        self.record(rule, eng.id, exc)

    def record(self, rule: Rule, engagement: str | None, exc: BaseException) -> None:
        self.failures[rule.code] += 1
        self.errors.append(
            RuleError(
                rule=rule.code,
                engagement=engagement,
                type=type(exc).__name__,
                message=error_text(exc),
                traceback="".join(traceback.format_exception(exc)),
            )
        )

    def tidy(
        self,
        plan: RulePlan,
        out: list[Finding],
        start: int,
        ran: tuple[Context, Sequence[Engagement]] | None = None,
    ) -> None:
        """Check what the rule yielded: findings only, at the configured severity.

        *ran* is the context and the engagements an engagement rule ran on:
        what else it yielded is then a rule error of each engagement it
        yielded it on, else one of the rule.
        """
        stray = _first_stray(out[start:], Finding)
        if stray is not None:
            rule = plan.rule
            found: list[object] = list(out[start:])
            out[start:] = [f for f in found if isinstance(f, Finding)]
            strays: list[tuple[str | None, object]] = []
            if ran is not None:
                strays.extend(_strays(rule, *ran))
            for engagement, bad in strays or [(None, stray[1])]:
                exc = _stray_error(rule, bad)
                if self.reraise:
                    raise exc
                self.record(rule, engagement, exc)
        if not set(map(_rule_of, out[start:])) <= {plan.rule.code}:
            self.foreign(plan.rule, out, start)
        severity = plan.severity
        if plan.configured:
            out[start:] = [
                f if f.severity is severity else attrs.evolve(f, severity=severity)
                for f in out[start:]
            ]
        elif not set(map(_severity_of, out[start:])) <= {severity}:
            self.uniform = False
        self.found[plan.rule.code] += len(out) - start

    def foreign(self, rule: Rule, out: list[Finding], start: int) -> None:
        """Leave out the findings of other rules that *rule* yielded in ``out[start:]``.

        Each is a rule error of *rule* on the finding's engagement (none for a
        portfolio rule), once per engagement and rule named: such a finding
        would escape the selection, severities and statistics of its rule.
        """
        code = rule.code
        found = out[start:]
        out[start:] = [f for f in found if f.rule == code]
        seen: set[tuple[str | None, str]] = set()
        for finding in found:
            if finding.rule == code:
                continue
            eid = None if rule.scope == "portfolio" else finding.engagement
            if (eid, finding.rule) in seen:
                continue
            seen.add((eid, finding.rule))
            other = finding.rule
            named = other if type(other) is str else short_repr(other)
            exc = ValueError(
                f"rule {code} yielded a finding of rule {named}; "
                "a rule yields only its own findings, built with ctx.finding()"
            )
            if self.reraise:
                raise exc
            self.record(rule, eid, exc)

    def statistics(self, findings: Sequence[Finding], seconds: float) -> Statistics:
        """Per-rule counts and times, counted after waivers were applied.

        *findings* are those the run made (:attr:`found` counts them by rule),
        waivers applied.
        """
        found = self.found
        waived: Counter[str] = Counter()
        if self.index.may_apply():
            waived.update(f.rule for f in findings if f.waived is not None)
        rules = tuple(
            RuleStatistics(
                rule=p.rule.code,
                slug=p.rule.slug,
                category=p.rule.category,
                findings=found[p.rule.code] - waived[p.rule.code],
                waived=waived[p.rule.code],
                errors=self.failures[p.rule.code],
                seconds=self.seconds.get(p.rule.code, 0.0),
            )
            for p in self.plan.rules
        )
        return Statistics(rules=rules, seconds=seconds)


def _places_ordered(out: list[Finding], start: int, places: Mapping[str, int]) -> bool:
    """Whether one rule's findings ``out[start:]`` of a block are in report order.

    *places* are the block's engagements' ids and their places in it. The
    findings are when each is of an engagement of the block, in the block's
    order (a rule that yields a finding of another engagement may not keep
    it), and the rule made at most one finding of each engagement (the usual
    case, told apart at C speed) or its findings of one engagement come in the
    order of their paths, then messages.
    """
    made = out[start:]
    try:
        at = list(map(places.__getitem__, map(_engagement_of, made)))
    except KeyError:
        return False
    later = at[1:]
    if all(map(lt, at, later)):
        return True
    if not all(map(le, at, later)):
        return False
    previous = made[0]
    for finding in made[1:]:
        if finding.engagement == previous.engagement and (
            finding.path,
            finding.message,
        ) < (previous.path, previous.message):
            return False
        previous = finding
    return True


def _stray_error(rule: Rule, bad: object) -> TypeError:
    """Return the error of *rule* yielding *bad*, which is no finding."""
    return TypeError(
        f"rule {rule.code} yielded {short_repr(bad)} ({kind_of(bad)}) "
        "instead of a Finding; build findings with ctx.finding()"
    )


#: What a rule's function returned before it returned anything.
_UNSET = object()


def _returned(rule: Rule, result: object, exc: BaseException) -> BaseException:
    """Return the error to record for *rule*, whose run ended with *exc*.

    When *exc* is the TypeError of reading *result*, the rule's function
    returned something that holds no findings at all (a number, None): the
    error says so, as one of a rule yielding a non-finding does. Otherwise
    *exc* is the rule's own error, returned as it is (also when the function
    raised before it returned: *result* is then ``_UNSET``).
    """
    if result is _UNSET or not isinstance(exc, TypeError):
        return exc
    if exc.__traceback__ is None:  # pragma: no cover - a caught error has one
        return exc
    if exc.__traceback__.tb_next is not None:
        return exc  # raised inside the rule's code, while its findings were read
    try:
        iter(result)  # type: ignore[call-overload]
    except TypeError:
        error = TypeError(
            f"rule {rule.code} returned {shown(result)} instead of findings; a "
            "rule yields findings built with ctx.finding()"
        )
        error.__cause__ = exc
        return error
    return exc


def _strays(
    rule: Rule, ctx: Context, engagements: Sequence[Engagement]
) -> list[tuple[str, object]]:
    """Return each engagement on which *rule* yields a non-finding, with the first.

    Asked only once a rule yielded one over *engagements*: each is run again
    on its own (rules are functions of the engagement and the context).
    """
    strays: list[tuple[str, object]] = []
    for engagement in engagements:
        ctx.engagement = engagement
        try:
            yielded = list(rule.func(engagement, ctx))
        except Exception:  # noqa: BLE001, S112 - recorded as it ran the first time
            continue
        bad = _first_stray(yielded, Finding)
        if bad is not None:
            strays.append((engagement.id, bad[1]))
    return strays


def _later_results(run: _Run, findings: tuple[Finding, ...]) -> LaterResults:
    """Return the results of *run*, to be computed when the report's are first read.

    What they need is taken now: each engagement's id and origin (not the
    engagement, which the report does not keep), the categories, whether
    severities are uniform, and the waivers.
    """
    places = sorted([(e.id, e.origin) for e in run.engagements], key=_first)
    categories = [p.rule.category for p in run.plan.rules]
    return LaterResults(
        partial(_results, places, findings, categories, run.index, run.uniform)
    )


def _results(
    places: Sequence[tuple[str, Origin | None]],
    findings: Sequence[Finding],
    categories: Iterable[str],
    index: WaiverIndex,
    uniform: bool,
) -> tuple[EngagementResult, ...]:
    """Each engagement's score, category scores and findings, ordered by id.

    *places* are the engagements' ids and origins, ordered by id; *findings*
    are in the report's order, so each engagement's are contiguous. When every
    finding has its rule's severity (*uniform*) and no waiver concerns the
    engagement, the codes of the rules that fired decide the score, and
    engagements with the same codes share one verdict.
    """
    scorer = Scorer(categories)
    perfect = scorer.perfect
    groups = groupby(findings, key=_engagement_of)
    group = next(groups, None)
    waivers = index.may_apply()
    by_codes: dict[tuple[str, ...], tuple[int, Mapping[str, int]]] = {}
    out: list[EngagementResult] = []
    append = out.append
    for eid, origin in places:
        while group is not None and group[0] < eid:  # a portfolio rule's stray id
            group = next(groups, None)
        own: tuple[Finding, ...] = ()
        if group is not None and group[0] == eid:
            own = tuple(group[1])
            group = next(groups, None)
        if not own:
            score, by_category = MAX_SCORE, perfect
        elif uniform and not (waivers and index.usable(eid)):
            codes = tuple(map(_rule_of, own))
            verdict = by_codes.get(codes)
            if verdict is None:
                verdict = by_codes[codes] = scorer.score(own)
            score, by_category = verdict
        else:
            score, by_category = scorer.score(own)
        append(
            EngagementResult(
                id=eid,
                score=score,
                categories=by_category,
                source=None if origin is None else origin.source,
                findings=own,
            )
        )
    return tuple(out)
