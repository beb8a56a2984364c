"""Checking a portfolio in parts: parts, combining them, and streaming to a sink.

A portfolio too large for one process is checked in parts (chunks of a stream,
worker processes, Dask partitions). Each part runs the engagement and findings
rules, applies waivers and gathers the portfolio rules' facts
(:func:`check_part`); :func:`combine` then decides the portfolio rules from the
facts of every part, scores and merges. The report is the one
``outsourcekit.engine.check`` gives for the whole portfolio, however it
was split. :func:`check_stream` does both over an iterable of any size,
holding a bounded number of engagements, and sends findings to a
:class:`ReportSink` as they are found.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - evaluated by the API docs
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from operator import attrgetter
from time import perf_counter
from typing import Any, Literal, Protocol

import attrs

from outsourcekit._gc import collector_paused, rare_full_collections
from outsourcekit._shorten import short_repr
from outsourcekit.model import Engagement, Origin, Waiver

from ._check import (
    UnsplittableRuleError,
    _as_of,
    _effective,
    _engagements,
    _explicit,
    _Run,
    left_out,
    load_errors,
    plan_of,
    require_engagements,
    require_errors,
    require_function,
)
from ._config import Config, Plan  # noqa: TC001 - evaluated by the API docs
from ._facts import PortfolioFact, sort_facts
from ._finding import NO_EVIDENCE, Finding, new_finding, sort_findings
from ._report import (
    EngagementResult,
    FindingCounts,
    Issue,
    Report,
    RuleError,
    RuleStatistics,
    Statistics,
)
from ._rule import Rule, Severity
from ._scoring import MAX_SCORE, Scorer, Verdict, penalties
from ._waivers import WaiverIndex, apply_waivers, waiver_matches

__all__ = [
    "CHUNK_SIZE",
    "Locate",
    "Part",
    "ReportSink",
    "check_part",
    "check_stream",
    "combine",
]

#: How many engagements :func:`check_stream` holds at once, by default.
CHUNK_SIZE = 2000
#: What a sink of :func:`check_stream` must have (see :class:`ReportSink`).
_SINK_METHODS = ("begin", "findings", "end")

#: What prepares a batch of findings before a sink sees it: given the findings
#: and the engagements they are about, returns them (with their lines, say).
#: The engagements of the last batch (portfolio rules' findings) carry only
#: their id and origin.
Locate = Callable[[Sequence[Finding], Sequence[Engagement]], Sequence[Finding]]

_engagement_of = attrgetter("engagement")


class ReportSink(Protocol):
    """Where :func:`check_stream` sends a report while it is being made.

    A streaming exporter implements these three methods; they are called in
    this order, on one thread:

    1. :meth:`begin` once, before any finding;
    2. :meth:`findings` once per checked chunk that has findings (an empty
       batch is never sent), then once more at the end with the findings that
       need the whole portfolio (the portfolio rules', and those of findings
       rules that waited on them), if any;
    3. :meth:`end` once, with the report without its findings.

    If anything raises meanwhile (the engagements' iterable, a rule's
    configuration, the sink itself) the exception propagates and :meth:`end`
    is not called.
    """

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Start a report for *as_of*, made by *rules*.

        *rules* are the rules that run, by code, with their severities after
        configuration (as ``report.rules``).
        """
        ...

    def findings(self, batch: Sequence[Finding]) -> None:
        """Take a batch of findings, waivers applied.

        Findings come by engagement, in the order the engagements were
        given, and each engagement's in the report's order (severity, code,
        path, message); the portfolio rules' findings come last, in the
        report's order. So the findings, batch after batch, are the same
        however the portfolio was cut into chunks or shared among workers.
        Every finding comes exactly once; waived ones are included
        (``waived`` set). Lines are set where the caller located them
        (:func:`outsourcekit.check_stream` does).
        """
        ...

    def end(self, report: Report) -> None:
        """Finish with *report*, which holds everything but the findings.

        ``report.findings`` is empty and so is each engagement's ``findings``;
        ``report.engagements`` (scores and category scores, by id),
        ``errors``, ``rule_errors``, ``statistics`` and ``summary`` (from
        ``report.streamed``, the counts of what went to :meth:`findings`) are
        complete, and ``report.failed(level)`` answers.
        """
        ...


#: One engagement of a part: its id, where it was read from, and its verdict
#: (the rules that cost it points, with their categories and penalties).
_Entry = tuple[str, Origin | None, Verdict]


@attrs.frozen(kw_only=True, eq=False)
class Part:
    """What checking one part of a portfolio gives: to :func:`combine` with the rest.

    Picklable and compact, so that worker processes send parts instead of
    engagements. ``findings`` are those of the engagement and findings rules,
    waivers applied, by engagement in the order the engagements were given,
    each engagement's in the report's order; ``facts`` the portfolio rules'
    facts by rule code, in engagement-id order; ``rule_errors`` the rules that
    raised; ``errors`` the load errors handed in; ``statistics`` what each rule
    did in this part. The other fields hold what :func:`combine` needs to score
    and to settle findings that wait on the portfolio rules.
    """

    as_of: dt.date
    findings: tuple[Finding, ...]
    facts: Mapping[str, tuple[PortfolioFact, ...]]
    rule_errors: tuple[RuleError, ...] = ()
    errors: tuple[Issue, ...] = ()
    statistics: Statistics = attrs.field(factory=Statistics)
    #: Each engagement, in the order checked: (id, origin, verdict).
    entries: tuple[_Entry, ...] = ()
    #: Findings made with ``unless=`` whose waiver names a portfolio rule.
    pending: tuple[tuple[Finding, Waiver], ...] = ()
    #: The engagements' own waivers that name a portfolio rule, by id.
    waivers: Mapping[str, tuple[Waiver, ...]] = attrs.field(factory=dict)
    #: The portfolio rules whose facts function raised in this part.
    unfit: frozenset[str] = frozenset()
    #: The rules that ran, as (code, severity), to check parts agree.
    plan: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        """Return how many engagements the part checked."""
        return len(self.entries)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the part compactly: findings as rows sharing their rules' texts.

        Worker processes send parts; a part's findings are most of it, and
        rows of plain values pickle and unpickle several times faster than
        objects one by one.
        """
        packer = _Packer()
        findings = packer.pack(self.findings)
        pending = packer.pack([f for f, _ in self.pending])
        return (
            _unpickle_part,
            (
                (
                    self.as_of,
                    tuple(packer.rules),
                    findings,
                    self.facts,
                    self.rule_errors,
                    self.errors,
                    self.statistics,
                    self.entries,
                    pending,
                    tuple(w for _, w in self.pending),
                    self.waivers,
                    self.unfit,
                    self.plan,
                ),
            ),
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the engagements the part checked, in order."""
        return tuple(entry[0] for entry in self.entries)

    def without(self, ids: Collection[str]) -> Part:
        """Return the part as if the engagements with these ids were not in it.

        Their findings, facts, rule errors and counts go; for an engagement
        whose id another part already has (a duplicate, reported as a load
        error).
        """
        drop = frozenset(ids)
        if drop.isdisjoint(self.ids):
            return self
        gone = [f for f in self.findings if f.engagement in drop]
        errors = tuple(e for e in self.rule_errors if e.engagement not in drop)
        found = Counter(f.rule for f in gone)
        waived = Counter(f.rule for f in gone if f.waived is not None)
        failed = Counter(e.rule for e in self.rule_errors if e.engagement in drop)
        stats = self.statistics
        return attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if f.engagement not in drop),
            facts={
                code: tuple(f for f in facts if f.engagement not in drop)
                for code, facts in self.facts.items()
            },
            rule_errors=errors,
            statistics=attrs.evolve(
                stats,
                rules=tuple(
                    attrs.evolve(
                        r,
                        findings=r.findings - (found[r.rule] - waived[r.rule]),
                        waived=r.waived - waived[r.rule],
                        errors=r.errors - failed[r.rule],
                    )
                    for r in stats.rules
                ),
            ),
            entries=tuple(e for e in self.entries if e[0] not in drop),
            pending=tuple((f, w) for f, w in self.pending if f.engagement not in drop),
            waivers={k: v for k, v in self.waivers.items() if k not in drop},
            unfit=frozenset(c for c in self.unfit if any(e.rule == c for e in errors)),
        )


#: A finding as a row: index of its rule's texts, severity, engagement, path,
#: message, evidence (None: none), source, line, waived, waived_in.
_Row = tuple[
    int,
    Severity,
    str,
    str,
    str,
    Mapping[str, Any] | None,
    str | None,
    int | None,
    str | None,
    Literal["engagement", "central"] | None,
]


class _Packer:
    """Turns findings into rows, collecting the texts each rule shares."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, str, str, str]] = []
        self._index: dict[tuple[str, str, str, str], int] = {}

    def pack(self, findings: Iterable[Finding]) -> tuple[_Row, ...]:
        index = self._index
        rules = self.rules
        rows: list[_Row] = []
        append = rows.append
        for f in findings:
            key = (f.rule, f.slug, f.category, f.fix)
            number = index.get(key)
            if number is None:
                number = index[key] = len(rules)
                rules.append(key)
            evidence = f.evidence
            append(
                (
                    number,
                    f.severity,
                    f.engagement,
                    f.path,
                    f.message,
                    None if evidence is NO_EVIDENCE else evidence,
                    f.source,
                    f.line,
                    f.waived,
                    f.waived_in,
                )
            )
        return tuple(rows)


#: What a rule error of a part's unsendable facts or evidence adds.
_PICKLABLE = (
    "must be plain picklable data for a check split among processes "
    "(--jobs, parts made with check_part and pickled, Dask)"
)


def sendable(part: Part, dumps: Callable[[object], bytes] | None = None) -> Part:
    """Return *part* without the facts and evidence that cannot be pickled.

    For a part that failed to pickle (asked only then: the normal path pickles
    once). A portfolio rule whose facts cannot be pickled is a rule error of
    each engagement whose fact cannot, and does not decide, as when its facts
    function raises; an engagement or findings rule whose evidence cannot be
    pickled is a rule error of each engagement it has such a finding on, and
    its findings there go, as when the rule raises there. Everything else
    stays. What cannot be pickled for another reason still cannot. *dumps*
    pickles (default: :func:`pickle.dumps`; Dask's ``cloudpickle.dumps`` sends
    more).
    """
    dumps = _dumps if dumps is None else dumps
    errors: list[RuleError] = []
    facts = dict(part.facts)
    unfit = set(part.unfit)
    for code, values in part.facts.items():
        if _pickling_error(values, dumps) is None:
            continue
        before = len(errors)
        for fact in values:
            exc = _pickling_error(fact.value, dumps)
            if exc is not None:
                errors.append(_unsendable(code, fact.engagement, exc, "facts"))
        if len(errors) == before:  # pragma: no cover - only the whole fails
            exc = _pickling_error(values, dumps)
            errors.append(_unsendable(code, None, exc, "facts"))
        facts[code] = ()
        unfit.add(code)
    pending = [f for f, _ in part.pending]
    dropped = _unsendable_evidence([*part.findings, *pending], errors, dumps)
    if not errors:
        return part
    gone = [f for f in part.findings if (f.rule, f.engagement) in dropped]
    findings = tuple(f for f in part.findings if (f.rule, f.engagement) not in dropped)
    found = Counter(f.rule for f in gone if f.waived is None)
    waived = Counter(f.rule for f in gone if f.waived is not None)
    failed = Counter(e.rule for e in errors)
    touched = {engagement for _, engagement in dropped}
    entries = tuple(
        (eid, origin, _verdict(findings, eid) if eid in touched else verdict)
        for eid, origin, verdict in part.entries
    )
    stats = part.statistics
    return attrs.evolve(
        part,
        findings=findings,
        facts=facts,
        rule_errors=tuple(
            sorted(
                (*part.rule_errors, *errors),
                key=lambda e: (e.rule, e.engagement or ""),
            )
        ),
        statistics=attrs.evolve(
            stats,
            rules=tuple(
                attrs.evolve(
                    r,
                    findings=r.findings - found[r.rule],
                    waived=r.waived - waived[r.rule],
                    errors=r.errors + failed[r.rule],
                )
                for r in stats.rules
            ),
        ),
        entries=entries,
        pending=tuple(
            (f, w) for f, w in part.pending if (f.rule, f.engagement) not in dropped
        ),
        unfit=frozenset(unfit),
    )


def _unsendable_evidence(
    findings: Sequence[Finding],
    errors: list[RuleError],
    dumps: Callable[[object], bytes],
) -> set[tuple[str, str]]:
    """Return (rule, engagement) of each unpicklable evidence; record each once."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        if f.evidence is not NO_EVIDENCE:
            by_rule.setdefault(f.rule, []).append(f)
    dropped: set[tuple[str, str]] = set()
    for code, found in by_rule.items():
        if _pickling_error([f.evidence for f in found], dumps) is None:
            continue
        for f in found:
            key = (code, f.engagement)
            if key in dropped:
                continue
            exc = _pickling_error(f.evidence, dumps)
            if exc is not None:
                dropped.add(key)
                errors.append(_unsendable(code, f.engagement, exc, "evidence"))
    return dropped


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _pickling_error(
    value: object, dumps: Callable[[object], bytes]
) -> Exception | None:
    """Return the exception pickling *value* raises, or None if it pickles."""
    try:
        dumps(value)
    except Exception as exc:  # noqa: BLE001 - whatever pickling raises is the answer
        return exc
    return None


def _unsendable(
    code: str, engagement: str | None, exc: Exception | None, what: str
) -> RuleError:
    """Return the rule error of a rule's facts or evidence that cannot be pickled."""
    whose = "a portfolio rule's facts" if what == "facts" else "a finding's evidence"
    return RuleError(
        rule=code,
        engagement=engagement,
        type=type(exc).__name__,
        message=(
            f"its {what} cannot be pickled ({exc}) to be sent to the process "
            f"making the report; {whose} {_PICKLABLE}"
        ),
    )


def _verdict(findings: Iterable[Finding], engagement: str) -> Verdict:
    """Return the verdict of *engagement* from its *findings* among others."""
    return tuple(penalties(f for f in findings if f.engagement == engagement).items())


def _unpack(
    rules: Sequence[tuple[str, str, str, str]], rows: Iterable[_Row]
) -> tuple[Finding, ...]:
    """Return the findings of *rows* (see :class:`_Packer`)."""
    # The fast way, as the engine makes findings: the parent of a split check
    # unpacks every finding of every part.
    return tuple(
        new_finding(
            *rules[number][:3],
            severity,
            engagement,
            path,
            message,
            rules[number][3],
            NO_EVIDENCE if evidence is None else evidence,
            source,
            line,
            waived,
            waived_in,
        )
        for (
            number,
            severity,
            engagement,
            path,
            message,
            evidence,
            source,
            line,
            waived,
            waived_in,
        ) in rows
    )


def _unpickle_part(state: tuple[Any, ...]) -> Part:
    """Rebuild a pickled part (see ``Part.__reduce__``)."""
    (
        as_of,
        rules,
        findings,
        facts,
        rule_errors,
        errors,
        statistics,
        entries,
        pending,
        pending_waivers,
        waivers,
        unfit,
        plan,
    ) = state
    return Part(
        as_of=as_of,
        findings=_unpack(rules, findings),
        facts=facts,
        rule_errors=rule_errors,
        errors=errors,
        statistics=statistics,
        entries=entries,
        pending=tuple(zip(_unpack(rules, pending), pending_waivers, strict=True)),
        waivers=waivers,
        unfit=unfit,
        plan=plan,
    )


def check_part(
    engagements: Engagement | Iterable[Engagement],
    *,
    rules: Iterable[Rule],
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    errors: Iterable[Issue] = (),
) -> Part:
    """Check one part of a portfolio, to :func:`combine` with the other parts.

    Runs the engagement and findings rules with waivers applied, and gathers
    the facts of the portfolio rules (which decide in :func:`combine`). The
    arguments are those of ``outsourcekit.engine.check``; every part of
    one check must be made with the same rules, *config* and *as_of* (pass a
    fixed date: the default, today, might change between parts).

    Raise :class:`~outsourcekit.ConfigError` when the configuration names an
    unknown rule, option or value; TypeError or ValueError for engagements
    that are not :class:`~outsourcekit.model.Engagement` objects or share an
    id, and TypeError for other arguments that are not what they take (as
    ``outsourcekit.engine.check``).
    """
    require_engagements(engagements, "check_part")
    day = _as_of(as_of)
    available = _explicit(rules)
    plan = plan_of(config, available)
    issues = load_errors(errors)
    return _check_part(
        _engagements(engagements), plan=plan, known=available, day=day, errors=issues
    )


def require_sink(sink: object) -> None:
    """Raise TypeError naming what *sink* lacks of a :class:`ReportSink`."""
    missing = next(
        (m for m in _SINK_METHODS if not callable(getattr(sink, m, None))), None
    )
    if missing is not None:
        msg = (
            "sink must have begin(), findings() and end() (a ReportSink); "
            f"{short_repr(sink)} has no {missing}()"
        )
        raise TypeError(msg)


def require_chunk_size(chunk_size: object) -> None:
    """Raise TypeError unless *chunk_size* is a whole number, ValueError below 1."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        msg = f"chunk_size must be a whole number (got {chunk_size!r})"
        raise TypeError(msg)
    if chunk_size < 1:
        msg = f"chunk_size must be at least 1 (got {chunk_size})"
        raise ValueError(msg)


def combine(  # noqa: PLR0913
    parts: Iterable[Part],
    *,
    rules: Iterable[Rule],
    config: Config | None = None,
    as_of: dt.date | str | None = None,
    errors: Iterable[Issue] = (),
    sink: ReportSink | None = None,
    locate: Locate | None = None,
) -> Report:
    """Combine the parts of a portfolio into the report of the whole.

    Decides the portfolio rules over the facts of every part, applies the
    waivers to their findings, settles the findings that waited on them,
    scores each engagement and merges errors and statistics.
    ``combine([check_part(a), check_part(b)])`` equals ``check(a + b)``
    (findings, scores, summary, errors), however the portfolio was split and
    in whatever order the parts come. *rules* and *config* must be those the
    parts were made with; *as_of* defaults to the parts' date; *errors* are
    load errors to add to the parts' own.

    With a *sink*, each part's findings go to the sink as the part is taken
    (*parts* may be a lazy iterable: a part's findings are then dropped once
    sent), the portfolio rules' findings at the end, and the report holds no
    findings (see :class:`ReportSink`). *locate* prepares the findings of the
    portfolio rules before they are added (given engagements that carry only
    an id and origin), as it does in :func:`check_stream`.

    Raise ValueError when parts disagree (date, rules) or two parts hold the
    same engagement id; :class:`~outsourcekit.ConfigError` for a bad
    configuration; TypeError, before any part is taken, for arguments that
    are not what they take (a *sink* without the methods of a
    :class:`ReportSink`, *errors* that are no load errors, a *locate* that is
    no function), and for *errors* that are none once read.
    """
    if sink is not None:
        require_sink(sink)
    require_errors(errors)
    require_function(locate, "locate", _LOCATE_TAKES)
    available = _explicit(rules)
    plan = plan_of(config, available)
    fixed = None if as_of is None else _as_of(as_of)
    combiner = _Combiner(plan, available, sink=sink, as_of=fixed)
    # The parts' findings pile up (or stream past): full collections would
    # scan everything held again and again.
    with rare_full_collections():
        for part in parts:
            combiner.add(part)
        return combiner.finish(errors, locate=locate)


def check_stream(  # noqa: PLR0913
    engagements: Iterable[Engagement],
    *,
    rules: Iterable[Rule],
    sink: ReportSink,
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    errors: Iterable[Issue] = (),
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], object] | None = None,
    locate: Locate | None = None,
) -> Report:
    """Check engagements of any number, holding at most *chunk_size* at once.

    Takes *engagements* (any iterable, e.g. a generator reading a file) in
    chunks; each chunk is checked as a part (:func:`check_part`) and its
    findings go to *sink* before the next chunk is read (see
    :class:`ReportSink`); the portfolio rules decide at the end from the facts
    of every chunk, and their findings go last. Returns the report without
    findings (``report.streamed`` counts them); every finding went to the
    sink. Findings, scores and summary are those of
    ``outsourcekit.engine.check`` over the same engagements.

    Memory holds one chunk, plus per engagement its id, origin and verdict and
    the portfolio rules' facts. *errors* (load errors) are read once the
    engagements are exhausted, so a list a reader fills while it streams may
    be given. *progress* is called after each chunk with the number of
    engagements checked so far. *locate* prepares each batch of findings
    before the sink sees it, given the chunk's engagements
    (:func:`outsourcekit.check_stream` finds their lines there). *as_of*
    defaults to today, fixed once for the whole stream.

    Raises:
        ConfigError: the configuration is bad (before any engagement is
            read).
        TypeError: an argument is not what it takes, before any engagement
            is read and before the sink begins: *engagements* no iterable of
            engagements (text, a path or a mapping included), *sink* without
            the methods of a :class:`ReportSink`, *rules*, *as_of*, *config*
            or *errors* (a collection's items) as for
            ``outsourcekit.engine.check``, *chunk_size* no whole number, or
            *progress* or *locate* no function. Once read, an item of
            *engagements* that is no engagement (before that chunk's
            findings are sent), or of *errors* that is no load error (before
            the sink ends).
        ValueError: *chunk_size* is below 1, *as_of* is out of range (before
            anything is read), or an engagement's id was seen before (before
            that chunk's findings are sent).

    """
    require_stream_arguments(
        engagements,
        sink=sink,
        errors=errors,
        chunk_size=chunk_size,
        progress=progress,
        locate=locate,
    )
    day = _as_of(as_of)
    available = _explicit(rules)
    plan = plan_of(config, available)
    combiner = _Combiner(plan, available, sink=sink, as_of=day)
    combiner.start()
    done = 0
    with rare_full_collections():  # each chunk ages through every generation
        for chunk in _chunks(engagements, chunk_size):
            part = _check_part(
                _engagements(chunk), plan=plan, known=available, day=day, errors=()
            )
            combiner.admit(part)
            if locate is not None:
                part = _located(part, chunk, locate)
            del chunk
            combiner.add(part)
            done += len(part)
            if progress is not None:
                progress(done)
        return combiner.finish(errors, locate=locate)


def require_stream_arguments(  # noqa: PLR0913
    engagements: object,
    *,
    sink: object,
    errors: object,
    chunk_size: object,
    progress: object,
    locate: object = None,
) -> None:
    """Raise as :func:`check_stream` does for these arguments, before reading any.

    The items of *engagements*, and of *errors* unless it is a collection, are
    checked as they are read.
    """
    require_chunk_size(chunk_size)
    require_sink(sink)
    require_engagements(engagements, "check_stream")
    require_errors(errors)
    require_function(progress, "progress", _PROGRESS_TAKES)
    require_function(locate, "locate", _LOCATE_TAKES)


#: What *progress* of :func:`check_stream` is called with, as its error says.
_PROGRESS_TAKES = "the number of engagements checked so far"
#: What *locate* is called with, as its error says.
_LOCATE_TAKES = "a batch of findings and their engagements"


def _chunks(engagements: Iterable[Engagement], size: int) -> Iterator[list[Engagement]]:
    items = iter((engagements,) if isinstance(engagements, Engagement) else engagements)
    while chunk := list(islice(items, size)):
        yield chunk


def _located(part: Part, engagements: Sequence[Engagement], locate: Locate) -> Part:
    """Return *part* with its findings (pending ones too) prepared by *locate*."""
    pending = part.pending
    batch = [*part.findings, *(f for f, _ in pending)]
    if not batch:
        return part
    done = list(locate(batch, engagements))
    count = len(part.findings)
    if len(done) != len(batch):
        msg = f"locate returned {len(done)} findings for {len(batch)}"
        raise ValueError(msg)
    return attrs.evolve(
        part,
        findings=tuple(done[:count]),
        pending=tuple((f, w) for f, (_, w) in zip(done[count:], pending, strict=True)),
    )


def _plan_key(plan: Plan) -> tuple[tuple[str, str], ...]:
    return tuple((p.rule.code, p.severity.value) for p in plan.rules)


def _check_part(
    engagements: tuple[Engagement, ...],
    *,
    plan: Plan,
    known: tuple[Rule, ...],
    day: dt.date,
    errors: Iterable[Issue],
) -> Part:
    """Check *engagements* as one part of a split check, with a resolved plan."""
    started = perf_counter()
    index = WaiverIndex(engagements, plan.waivers, as_of=day)
    with collector_paused():
        run = _Run(
            plan, engagements, day, index, reraise=False, known=known, split=True
        )
        findings = apply_waivers(run.run(), index)
        _sort_as_given(findings, engagements)
        pending: list[tuple[Finding, Waiver]] = []
        if run.pending:
            waived = apply_waivers([f for f, _ in run.pending], index)
            pending = [(f, w) for f, (_, w) in zip(waived, run.pending, strict=True)]
        return Part(
            as_of=day,
            findings=tuple(findings),
            facts={code: tuple(facts) for code, facts in run.facts.items()},
            rule_errors=run.rule_errors,
            errors=tuple(errors),
            statistics=run.statistics(findings, perf_counter() - started),
            entries=_entries(run, findings),
            pending=tuple(pending),
            waivers=_portfolio_waivers(run),
            unfit=frozenset(run.unfit),
            plan=_plan_key(plan),
        )


def _sort_as_given(findings: list[Finding], engagements: Sequence[Engagement]) -> None:
    """Sort *findings* by their engagement's place in *engagements*, then as reports do.

    Batches of a stream in this order make the same stream however the
    portfolio is cut into chunks or shared among workers.
    """
    sort_findings(findings)
    if len(engagements) > 1:
        place = {e.id: i for i, e in enumerate(engagements)}
        last = len(engagements)
        findings.sort(key=lambda f: place.get(f.engagement, last))


def _entries(run: _Run, findings: list[Finding]) -> tuple[_Entry, ...]:
    """Each engagement's id, origin and verdict, in the order checked.

    Each engagement's *findings* are contiguous. Equal verdicts are one shared
    object, so a part pickles small. In the engagements' order, an id a later
    part has again is told where it comes in its file.
    """
    spans: dict[str, tuple[int, int]] = {}
    first = 0
    for i in range(1, len(findings) + 1):
        if i == len(findings) or findings[i].engagement != findings[first].engagement:
            spans[findings[first].engagement] = (first, i)
            first = i
    shared: dict[Verdict, Verdict] = {}
    out: list[_Entry] = []
    for eng in run.engagements:
        span = spans.get(eng.id)
        verdict: Verdict = ()
        if span is not None:
            key = tuple(penalties(findings[span[0] : span[1]]).items())
            verdict = shared.setdefault(key, key)
        out.append((eng.id, eng.origin, verdict))
    return tuple(out)


def _portfolio_waivers(run: _Run) -> dict[str, tuple[Waiver, ...]]:
    """Each engagement's own waivers that name a portfolio rule of the check."""
    out: dict[str, tuple[Waiver, ...]] = {}
    for eng in run.engagements:
        if eng.waivers:
            named = tuple(w for w in eng.waivers if run.names_later(w))
            if named:
                out[eng.id] = named
    return out


class _Combiner:
    """Takes parts one at a time and makes the report of the whole."""

    def __init__(
        self,
        plan: Plan,
        known: tuple[Rule, ...],
        *,
        sink: ReportSink | None,
        as_of: dt.date | None,
    ) -> None:
        self.plan = plan
        self.known = known
        self.sink = sink
        self.as_of = as_of
        self.key = _plan_key(plan)
        self.started = perf_counter()
        self.begun = False
        self.findings: list[Finding] = []
        self.entries: list[_Entry] = []
        self.ids: set[str] = set()
        self.facts: dict[str, list[PortfolioFact]] = {}
        self.unfit: set[str] = set()
        self.pending: list[tuple[Finding, Waiver]] = []
        self.waivers: dict[str, tuple[Waiver, ...]] = {}
        self.rule_errors: list[RuleError] = []
        self.errors: list[Issue] = []
        self.found: Counter[str] = Counter()
        self.waived: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.part_seconds = 0.0
        self.counts = FindingCounts()

    def start(self) -> None:
        """Begin the sink's report, once the date is known."""
        if self.begun:
            return
        self.begun = True
        if self.as_of is None:
            self.as_of = _as_of(None)
        if self.sink is not None:
            self.sink.begin(self.as_of, self.rules())

    def rules(self) -> tuple[Rule, ...]:
        return tuple(_effective(p) for p in self.plan.rules)

    def admit(self, part: Part) -> None:
        """Check that *part* belongs to this check: same date, rules, new ids."""
        if self.as_of is None:
            self.as_of = part.as_of
        elif part.as_of != self.as_of:
            msg = (
                "every part of one check must be made for the same as_of "
                f"(got {part.as_of.isoformat()} after {self.as_of.isoformat()})"
            )
            raise ValueError(msg)
        if part.plan != self.key:
            msg = (
                "every part of one check must be made with the rules and "
                "configuration it is combined with (a part ran "
                f"{_plan_text(part.plan)}; the combination runs "
                f"{_plan_text(self.key)})"
            )
            raise ValueError(msg)
        ids = self.ids
        twice = sorted({eid for eid, _, _ in part.entries if eid in ids})
        if twice:
            msg = (
                "engagement ids must be unique in one check "
                f"(got {', '.join(twice)} more than once)"
            )
            raise ValueError(msg)

    def add(self, part: Part) -> None:
        """Take one part: send or keep its findings, keep what combining needs."""
        self.admit(part)
        self.start()
        self.ids.update(eid for eid, _, _ in part.entries)
        self.entries.extend(part.entries)
        for code, facts in part.facts.items():
            self.facts.setdefault(code, []).extend(facts)
        self.unfit |= part.unfit
        self.pending.extend(part.pending)
        self.waivers.update(part.waivers)
        self.rule_errors.extend(part.rule_errors)
        self.errors.extend(part.errors)
        for stats in part.statistics.rules:
            self.found[stats.rule] += stats.findings + stats.waived
            self.waived[stats.rule] += stats.waived
            self.failures[stats.rule] += stats.errors
            self.seconds[stats.rule] += stats.seconds
        self.part_seconds += part.statistics.seconds
        if self.sink is None:
            self.findings.extend(part.findings)
        elif part.findings:
            self.counts += FindingCounts.of(part.findings)
            self.sink.findings(part.findings)

    def finish(self, errors: Iterable[Issue], *, locate: Locate | None) -> Report:
        """Decide the portfolio rules, settle, score and return the report."""
        self.start()
        day = self.as_of
        if day is None:  # pragma: no cover - start() fixed it
            raise AssertionError
        began = perf_counter()
        self.errors.extend(load_errors(errors))
        self.entries.sort(key=_first)
        index = WaiverIndex.from_own(self.waivers, self.plan.waivers, as_of=day)
        run = _Run(self.plan, (), day, index, reraise=False, known=self.known)
        origins = {eid: origin for eid, origin, _ in self.entries}
        run.source_of = lambda eid: _source(origins[eid])
        decided: list[Finding] = []
        for plan in self.plan.rules:
            rule = plan.rule
            if rule.scope != "portfolio":
                continue
            if rule.facts is None:
                run.record(rule, None, UnsplittableRuleError(rule))
                continue
            facts = self.facts.get(rule.code, [])
            sort_facts(facts)
            run.unfit = self.unfit
            run.decide(plan, facts, decided)
        late = self._settled(decided)
        late = apply_waivers(late, index)
        sort_findings(late)
        if locate is not None and late:
            stubs = [Engagement(id=eid, origin=origins[eid]) for eid in _ids(late)]
            late = list(locate(late, stubs))
        for f in late:
            self.found[f.rule] += 1
            if f.waived is not None:
                self.waived[f.rule] += 1
        for code, seconds in run.seconds.items():
            self.seconds[code] += seconds
        for error in run.errors:
            self.failures[error.rule] += 1
        self.rule_errors.extend(run.errors)
        return self._report(day, late, started=began)

    def _settled(self, decided: list[Finding]) -> list[Finding]:
        """Return the portfolio rules' findings and the pending ones that stand."""
        by_engagement: dict[str, list[Finding]] = {}
        for f in decided:
            by_engagement.setdefault(f.engagement, []).append(f)
        late = list(decided)
        for finding, waiver in self.pending:
            rivals = by_engagement.get(finding.engagement, ())
            if not any(waiver_matches(waiver, f) for f in rivals):
                late.append(finding)
        return late

    def _report(self, day: dt.date, late: list[Finding], *, started: float) -> Report:
        scorer = Scorer(p.rule.category for p in self.plan.rules)
        extra: dict[str, list[Finding]] = {}
        for f in late:
            extra.setdefault(f.engagement, []).append(f)
        held = self.sink is None
        if held:
            findings = self.findings
            findings.extend(late)
            sort_findings(findings)
        else:
            findings = []
            self.counts += FindingCounts.of(late)
            if late and self.sink is not None:
                self.sink.findings(late)
        grouped = _grouped(findings) if held else {}
        perfect = scorer.perfect
        results: list[EngagementResult] = []
        previous: str | None = None
        for eid, origin, verdict in self.entries:
            if eid == previous:  # pragma: no cover - admit() refuses duplicates
                continue
            previous = eid
            more = extra.get(eid)
            if more:
                key = _merged(verdict, penalties(more))
                score, categories = scorer.score_verdict(key)
            elif verdict:
                score, categories = scorer.score_verdict(verdict)
            else:
                score, categories = MAX_SCORE, perfect
            results.append(
                EngagementResult(
                    id=eid,
                    score=score,
                    categories=categories,
                    source=_source(origin),
                    findings=grouped.get(eid, ()),
                    streamed=not held,
                )
            )
        statistics = Statistics(
            rules=tuple(
                RuleStatistics(
                    rule=p.rule.code,
                    slug=p.rule.slug,
                    category=p.rule.category,
                    findings=self.found[p.rule.code] - self.waived[p.rule.code],
                    waived=self.waived[p.rule.code],
                    errors=self.failures[p.rule.code],
                    seconds=self.seconds[p.rule.code],
                )
                for p in self.plan.rules
            ),
            seconds=self.part_seconds + (perf_counter() - started),
        )
        report = Report(
            as_of=day,
            findings=tuple(findings),
            engagements=tuple(results),
            errors=tuple(self.errors),
            rule_errors=tuple(
                sorted(self.rule_errors, key=lambda e: (e.rule, e.engagement or ""))
            ),
            statistics=statistics,
            rules=self.rules(),
            left_out=left_out(self.plan, self.known),
            streamed=None if held else self.counts,
        )
        if self.sink is not None:
            self.sink.end(report)
        return report


def _first(entry: _Entry) -> str:
    return entry[0]


def _source(origin: Origin | None) -> str | None:
    return None if origin is None else origin.source


def _ids(findings: Iterable[Finding]) -> list[str]:
    return list(dict.fromkeys(map(_engagement_of, findings)))


def _grouped(findings: Sequence[Finding]) -> dict[str, tuple[Finding, ...]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.engagement, []).append(f)
    return {k: tuple(v) for k, v in out.items()}


def _merged(verdict: Verdict, more: Mapping[str, tuple[str, int]]) -> Verdict:
    """Return *verdict* with the penalties of *more*, each rule costing its highest."""
    out = dict(verdict)
    for rule, cost in more.items():
        seen = out.get(rule)
        if seen is None or seen[1] < cost[1]:
            out[rule] = cost
    return tuple(out.items())


def _plan_text(key: tuple[tuple[str, str], ...]) -> str:
    shown = ", ".join(f"{code} ({severity})" for code, severity in key[:6])
    more = len(key) - 6
    return f"{shown}, and {more} more" if more > 0 else shown or "no rules"
