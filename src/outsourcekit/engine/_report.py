"""The report of one check: findings, scores, errors, statistics and comparisons."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - evaluated by the API docs
import fnmatch
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import attrs

from outsourcekit._dates import DATE_RANGE, DateRangeError, as_date
from outsourcekit._shorten import plural
from outsourcekit._version import __version__
from outsourcekit.model import Engagement  # noqa: TC001 - evaluated by the API docs
from outsourcekit.model._frozen import FrozenDict

from . import _deprecated, _display, _frames
from ._config import fail_on_meant
from ._errors import shown
from ._finding import Finding, frozen_evidence
from ._names import did_you_mean
from ._rule import Rule, Severity, rules_named
from ._scoring import MAX_SCORE, portfolio_score

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

__all__ = [
    "REPORT_FORMAT",
    "CategoryStatistics",
    "EngagementResult",
    "FindingCounts",
    "Issue",
    "PluginError",
    "PluginVersion",
    "Report",
    "ReportDiff",
    "RuleError",
    "RuleStatistics",
    "SavedIssue",
    "SkippedFile",
    "Statistics",
]

#: The version of the JSON report document (its ``format`` key).
REPORT_FORMAT = 1


class Issue(Protocol):
    """A load error carried into a report: anything that turns itself into JSON data.

    ``to_dict()`` gives ``source``, ``line``, ``column``, ``path`` and ``message``.
    """

    def to_dict(self) -> Mapping[str, Any]:
        """Return the issue as the JSON document's plain data."""
        ...


@attrs.frozen(kw_only=True)
class SavedIssue:
    """A load error as read back from a saved JSON report."""

    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as the JSON document's plain data."""
        return {
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


@attrs.frozen(kw_only=True)
class RuleError:
    """A rule that raised: which rule, on which engagement, and the exception.

    ``engagement`` is None for a portfolio rule; ``traceback`` (not part of the
    JSON document) helps debugging.
    """

    rule: str
    engagement: str | None
    type: str
    message: str
    traceback: str | None = attrs.field(default=None, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the error as the JSON document's plain data."""
        return {
            "rule": self.rule,
            "engagement": self.engagement,
            "type": self.type,
            "message": self.message,
        }


@attrs.frozen(kw_only=True)
class PluginError:
    """A plugin that failed: to import, to register, or in a hook."""

    plugin: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the error as the JSON document's plain data."""
        return {"plugin": self.plugin, "message": self.message}


@attrs.frozen(kw_only=True)
class PluginVersion:
    """A plugin that contributed rules to a check: its name and version."""

    name: str
    version: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as in the ``plugins`` list of the JSON output."""
        return {"name": self.name, "version": self.version}


@attrs.frozen(kw_only=True)
class SkippedFile:
    """A file or folder passed over while walking a directory, and why."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as in the ``skipped`` list of the JSON output."""
        return {"path": self.path, "reason": self.reason}


#: A finding's state against a baseline: the baseline had it, or it is new.
UNCHANGED = "unchanged"
NEW = "new"


@attrs.frozen(kw_only=True)
class RuleStatistics:
    """What one rule did in one run: findings (unwaived and waived), errors, time."""

    rule: str
    slug: str
    category: str
    findings: int = 0
    waived: int = 0
    errors: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as plain data."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class CategoryStatistics:
    """What the rules of one category did in one run, added up."""

    category: str
    rules: int = 0
    findings: int = 0
    waived: int = 0
    errors: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as plain data."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Statistics:
    """Per-rule counts and times of one run, and the run's total time."""

    rules: tuple[RuleStatistics, ...] = ()
    seconds: float = 0.0

    def __getitem__(self, code: str) -> RuleStatistics:
        """Return the statistics of the rule with this code."""
        for stats in self.rules:
            if stats.rule == code:
                return stats
        raise KeyError(code)

    def by_category(self) -> dict[str, CategoryStatistics]:
        """Return the statistics added up per category, sorted by category."""
        out: dict[str, CategoryStatistics] = {}
        for s in self.rules:
            c = out.get(s.category) or CategoryStatistics(category=s.category)
            out[s.category] = CategoryStatistics(
                category=s.category,
                rules=c.rules + 1,
                findings=c.findings + s.findings,
                waived=c.waived + s.waived,
                errors=c.errors + s.errors,
                seconds=c.seconds + s.seconds,
            )
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as plain data: per rule, per category and in total."""
        return {
            "seconds": self.seconds,
            "rules": [s.to_dict() for s in self.rules],
            "categories": [c.to_dict() for c in self.by_category().values()],
        }


_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@attrs.frozen(kw_only=True)
class FindingCounts:
    """How many findings a check made: unwaived ones by severity, and waived ones."""

    error: int = 0
    warning: int = 0
    info: int = 0
    waived: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> FindingCounts:
        """Count *findings*."""
        counts = dict.fromkeys(_SEVERITIES, 0)
        waived = 0
        for f in findings:
            if f.waived is None:
                counts[f.severity] += 1
            else:
                waived += 1
        return cls(
            error=counts[Severity.ERROR],
            warning=counts[Severity.WARNING],
            info=counts[Severity.INFO],
            waived=waived,
        )

    def __add__(self, other: FindingCounts) -> FindingCounts:
        """Return the counts of both."""
        if not isinstance(other, FindingCounts):
            return NotImplemented
        return FindingCounts(
            error=self.error + other.error,
            warning=self.warning + other.warning,
            info=self.info + other.info,
            waived=self.waived + other.waived,
        )

    @property
    def unwaived(self) -> int:
        """The unwaived findings, of every severity."""
        return self.error + self.warning + self.info

    def by_severity(self) -> dict[str, int]:
        """Return the unwaived counts by severity, errors first, zeros left out."""
        counts = {"error": self.error, "warning": self.warning, "info": self.info}
        return {name: n for name, n in counts.items() if n}

    def at_or_above(self, fail_on: str | Severity) -> int:
        """Return how many unwaived findings are at or above *fail_on* (never: 0)."""
        level = _threshold(fail_on)
        if level is None:
            return 0
        counts = {
            Severity.ERROR: self.error,
            Severity.WARNING: self.warning,
            Severity.INFO: self.info,
        }
        return sum(n for s, n in counts.items() if s >= level)


@attrs.frozen(kw_only=True, repr=False)
class EngagementResult:
    """One engagement's verdict: its score, per-category scores and findings.

    ``repr()`` is one line of its score and counts; a notebook shows it as
    tables of its category scores and findings. ``streamed`` is True for a
    result of a report whose findings went to a sink (``check_stream``):
    ``findings`` is then empty, and the displays say so rather than count none.
    """

    id: str
    score: int
    categories: Mapping[str, int]
    source: str | None
    findings: tuple[Finding, ...]
    streamed: bool = attrs.field(default=False, eq=False, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as the JSON document's engagement entry."""
        return {
            "id": self.id,
            "score": self.score,
            "source": self.source,
            "categories": dict(self.categories),
        }

    def __repr__(self) -> str:
        """Describe the result in one line: id, score and counts of findings."""
        return _display.result_repr(self)

    def _repr_html_(self) -> str:
        return _display.result_html(self)


def _matched(
    findings: Iterable[Finding], others: Counter[tuple[str, str, str]]
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Split *findings* into those matched by one of *others*' keys, and the rest.

    Each of *others* matches at most one finding, the first of its key in
    *findings*' order: two findings of one key against one of the other side
    are one matched, the first, and one not.
    """
    left = Counter(others)
    matched: list[Finding] = []
    rest: list[Finding] = []
    for finding in findings:
        key = finding.key
        if left[key] > 0:
            left[key] -= 1
            matched.append(finding)
        else:
            rest.append(finding)
    return tuple(matched), tuple(rest)


def comparable(report: Report, findings: Iterable[Finding]) -> list[Finding]:
    """Return those of a baseline's *findings* that *report*'s check could find again.

    A finding is compared when its engagement was checked (it is among the
    report's engagements, or has findings in it) and its rule ran there: the
    rule is among those that ran (``rules``, ``statistics.rules``) and raised
    neither on that engagement nor on the whole portfolio. A rule that judges
    the other rules' findings (scope ``"findings"``, as OSK905) judges
    something else where some of them did not run: its finding is compared
    only where the rules it judged (its ``inputs``) all ran, and without
    ``inputs`` only when the check left no rule out (``left_out`` is empty)
    and no rule raised on that engagement or on the whole portfolio.

    A report that names no rule and has no statistics, as :meth:`Report.from_dict`
    reads one back, does not say which rules ran: those with a finding or an
    error in it did, and the findings of the others are not compared. Nor
    does it say which rules judge the others' findings: theirs are compared
    as any rule's. A check that ran none names none and has its statistics
    all the same.
    """
    checked = {e.id for e in report.engagements}
    checked.update(f.engagement for f in report.findings)
    named = {r.code for r in report.rules}
    named.update(s.rule for s in report.statistics.rules)
    if not named and report.statistics == Statistics():
        named = {f.rule for f in report.findings}
        named.update(e.rule for e in report.rule_errors)
    raised = _raised(report)
    judging = _Judging(report, named, raised)
    return [
        f
        for f in findings
        if f.engagement in checked
        and f.rule in named
        and (f.rule, f.engagement) not in raised
        and (f.rule, None) not in raised
        and judging.saw_all(f)
    ]


def _raised(report: Report) -> set[tuple[str, str | None]]:
    """Return the (rule, engagement) of the rule errors of *report*'s check.

    Those of the whole check, for a report :meth:`Report.filter` made too.
    """
    kept = report._kept  # noqa: SLF001 - the report's own module
    raised = None if kept is None else kept.rules_raised()
    if raised is None:
        return {(e.rule, e.engagement) for e in report.rule_errors}
    return set(raised)


class _Judging:
    """What the findings rules of a check saw: whether they judged all they judge."""

    def __init__(
        self,
        report: Report,
        ran: set[str],
        raised: set[tuple[str, str | None]],
    ) -> None:
        self.rules = {r.code: r for r in report.rules if r.scope == "findings"}
        self.codes = {n: r.code for r in report.rules for n in (r.code, r.slug)}
        self.whole = report.left_out is not None and not report.left_out
        self.ran = ran
        self.raised = raised
        self.raised_on = {e for _, e in raised}

    def saw_all(self, finding: Finding) -> bool:
        """Whether *finding*'s rule, if a findings rule, saw what it judges now.

        True for a finding of any other rule.
        """
        rule = self.rules.get(finding.rule)
        if rule is None:
            return True
        names = self._inputs(rule, finding)
        eng = finding.engagement
        if names is None:
            raised_on = self.raised_on
            return self.whole and None not in raised_on and eng not in raised_on
        for name in names:
            code = self.codes.get(name) or self.codes.get(name.upper())
            if (
                code is None
                or code not in self.ran
                or (code, eng) in self.raised
                or (code, None) in self.raised
            ):
                return False
        return True

    @staticmethod
    def _inputs(rule: Rule, finding: Finding) -> list[str] | None:
        """Return the names of the rules *finding* was judged from; None: all."""
        inputs = rule.inputs
        if inputs is None:
            return None
        try:
            names = inputs(finding)
            if names is None:
                return None
            out = [names] if isinstance(names, str) else list(names)
        except Exception:  # noqa: BLE001 - a plugin's function: then every rule
            return None
        return out if all(isinstance(n, str) for n in out) else None


@attrs.frozen(kw_only=True, repr=False)
class ReportDiff:
    """A report compared with a baseline, by (rule, engagement, path).

    ``new`` are current unwaived findings the baseline lacks, ``fixed`` baseline
    findings the check looked for and did not find again, ``unchanged``
    current findings the baseline also had. Only what the check could find
    again can be fixed: a baseline finding of an engagement the check did not
    see, or of a rule that did not run there (left out with ``select`` or
    ``ignore``, or raised), is neither fixed nor unchanged, just not compared.
    Findings are counted: each of the baseline's accounts for one current
    finding of its key at most, so that two findings of one key against one
    in the baseline are one unchanged (the first in the report's order) and
    one new.
    ``as_of`` is the date of the report compared and ``baseline_as_of`` the
    baseline's (not compared). In a notebook, a diff shows as its counts and
    tables of its findings.
    """

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]
    as_of: dt.date | None = attrs.field(default=None, eq=False)
    baseline_as_of: dt.date | None = attrs.field(default=None, eq=False)

    def failed(self, fail_on: str | Severity) -> bool:
        """Whether a new finding is at or above *fail_on* (``"never"``: never)."""
        return _any_at_or_above(self.new, fail_on)

    def __repr__(self) -> str:
        """Describe the comparison in one line: its dates and counts."""
        return _display.diff_repr(self)

    def _repr_html_(self) -> str:
        return _display.diff_html(self)


def _threshold(fail_on: str | Severity) -> Severity | None:
    if fail_on == "never":
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError:
        meant = fail_on_meant(fail_on)
        msg = (
            f"fail_on must be one of info, warning, error, never (got {fail_on!r})"
            + ("" if meant is None else f" (did you mean {meant!r}?)")
        )
        raise ValueError(msg) from None


def _any_at_or_above(findings: Iterable[Finding], fail_on: str | Severity) -> bool:
    level = _threshold(fail_on)
    if level is None:
        return False
    rank = level.rank
    return any(f.waived is None and f.severity.rank >= rank for f in findings)


class LaterResults:
    """A check's engagement results, computed the first time a report's are read.

    Findings are what most callers read first (or only); each engagement's
    score and result are made on demand, once, from what *make* holds. Pickled
    or copied, it is the results themselves.
    """

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], tuple[EngagementResult, ...]]) -> None:
        self._make = make
        self._value: tuple[EngagementResult, ...] | None = None

    def __call__(self) -> tuple[EngagementResult, ...]:
        """Return the results, computing them the first time."""
        value = self._value
        if value is None:
            value = self._value = self._make()
        return value

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle (and copy) the results themselves."""
        return (tuple, (self(),))


def _baseline_report(baseline: object, what: str, *, paths: bool) -> Report:
    """Return the report *baseline* is: a report, or its ``to_dict()`` data.

    Raise TypeError naming *what* for anything else (a path, unless *paths*
    are taken, with where to read it), and ValueError for a report whose
    findings went to a sink.
    """
    if isinstance(baseline, Mapping):
        baseline = Report.from_dict(baseline)
    if not isinstance(baseline, Report):
        hint = ""
        if not paths and isinstance(baseline, (str, os.PathLike)):
            hint = ": read a saved report with outsourcekit.config.read_report()"
        msg = (
            f"{what} compares with a Report or its to_dict() data, "
            f"got {shown(baseline)}{hint}"
        )
        raise TypeError(msg)
    baseline._holding(f"the baseline of {what}")  # noqa: SLF001 - the same class
    return baseline


def _results_now(
    value: tuple[EngagementResult, ...] | LaterResults,
) -> tuple[EngagementResult, ...]:
    """Return a report's results, computed if they were left for later."""
    return value() if isinstance(value, LaterResults) else value


def _names(value: str | Iterable[str] | None, name: str) -> frozenset[str] | None:
    """Return the texts *value* gives (one, or an iterable); TypeError naming *name*."""
    if value is None:
        return None
    given: object = value  # callers without type checks pass anything
    if isinstance(given, str):
        return frozenset((given,))
    if isinstance(given, Iterable) and not isinstance(given, (bytes, Mapping)):
        names = tuple(given)
        strays = [n for n in names if not isinstance(n, str)]
        if not strays:
            return frozenset(names)
        given = strays[0]
    msg = f"filter(): {name} must be text or a list of texts, got {shown(given)}"
    raise TypeError(msg)


def _known(
    given: frozenset[str] | None,
    known: set[str],
    what: str,
    rules: Sequence[Rule] = (),
) -> None:
    """Raise ValueError naming a name of *given* not in *known* (a code in any case).

    The closest known name is suggested: a typo would otherwise keep no
    finding, as if there were none. A rule's name asked for among *rules*
    that is a code prefix or a category names its rules instead, as the
    closest code would mislead.
    """
    for name in sorted(given or ()):
        if name not in known and name.upper() not in known:
            problem = f"filter(): no rule of this report has {what} {name!r}"
            several = rules_named(name, rules) if rules else None
            if several is None:
                msg = problem + did_you_mean(name, sorted(known))
            elif several.startswith("a category"):
                msg = f"{problem}: it is {several}; filter by category= for it"
            else:
                msg = f"{problem}: it is {several}; name each rule by its code or slug"
            raise ValueError(msg)


def _require_finding(finding: object, what: str) -> None:
    """Raise TypeError naming *what* unless *finding* is a finding."""
    if not isinstance(finding, Finding):
        msg = (
            f"{what} takes a finding (outsourcekit.engine.Finding), "
            f"got {shown(finding)}"
        )
        raise TypeError(msg)


def _ids(report: Report) -> list[str]:
    return [e.id for e in report.engagements]


@attrs.frozen(kw_only=True)
class _Kept:
    """Which findings :meth:`Report.filter` keeps: what it was given, read.

    A class rather than a closure, so that a filtered report pickles. A
    report filtered again keeps what both filters keep (*before*).
    :meth:`Report.new_only` keeps the findings of no key of *unchanged*.
    *raised* are the (rule, engagement) of the filtered report's rule errors,
    which a comparison needs whatever the filter kept of them.
    """

    level: Severity | None = None
    categories: frozenset[str] | None = None
    codes: frozenset[str] | None = None
    waived: bool | None = None
    patterns: frozenset[str] | None = None
    unchanged: frozenset[tuple[str, str, str]] | None = None
    raised: frozenset[tuple[str, str | None]] | None = None
    before: _Kept | None = None

    def rules_raised(self) -> frozenset[tuple[str, str | None]] | None:
        """Return *raised* of the first filter that has it, None if none."""
        kept: _Kept | None = self
        while kept is not None:
            if kept.raised is not None:
                return kept.raised
            kept = kept.before
        return None

    def engagement(self, eng: str) -> bool:
        """Whether findings of the engagement with id *eng* are kept."""
        return (self.before is None or self.before.engagement(eng)) and (
            self.patterns is None
            or any(fnmatch.fnmatchcase(eng, p) for p in self.patterns)
        )

    def finding(self, f: Finding) -> bool:
        """Whether the finding *f* is kept."""
        level, categories, codes, waived = (
            self.level,
            self.categories,
            self.codes,
            self.waived,
        )
        return (
            (self.before is None or self.before.finding(f))
            and (level is None or f.severity >= level)
            and (categories is None or f.category in categories)
            and (codes is None or f.rule in codes or f.slug in codes)
            and (waived is None or (f.waived is not None) == waived)
            and (self.unchanged is None or f.key not in self.unchanged)
            and self.engagement(f.engagement)
        )


class _NoEngagementError(KeyError):
    """An id a report's results lack: its message suggests the closest id.

    ``args[0]`` is the id, as a dict's KeyError has it. The closest id is
    looked for when the message is first shown, not when the error is raised:
    a lookup caught as a dict's compares no id, which among many takes long.
    """

    def __init__(self, key: object, ids: Iterable[str] = ()) -> None:
        super().__init__(key)
        self._ids = ids
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            key = self.args[0] if self.args else None
            hint = did_you_mean(key, self._ids) if isinstance(key, str) else ""
            self._text = f"no engagement {key!r} in this report{hint}"
        return self._text


class _Results(FrozenDict[str, EngagementResult]):
    """The results of a report by id: an id it lacks is a KeyError naming the closest.

    As :meth:`Report.score` words it; ``get()`` and ``in`` are a dict's.
    """

    __slots__ = ()

    def __missing__(self, key: object) -> NoReturn:
        raise _NoEngagementError(key, self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Results, (dict(self),))


def _keeping(report: Report, kept: _Kept | None) -> Report:
    """Return *report*, just made of a filtered one, keeping what *kept* keeps.

    Set once made, as the report's other computed fields: which findings a
    :meth:`Report.filter` keeps is no argument of a report.
    """
    if kept is not None:
        object.__setattr__(report, "_kept", kept)
    return report


@attrs.frozen(kw_only=True, repr=False)
class Report:
    """The outcome of one check: immutable, deterministic, JSON-ready.

    ``findings`` include waived ones, ordered by engagement, severity (errors
    first), rule code, path and message; ``engagements`` hold each engagement's
    score and findings, ordered by id; ``errors`` are load errors, ``rule_errors``
    rules that raised, ``plugin_errors`` plugins that failed; ``rules`` are the
    rules that ran, by code, and ``left_out`` (not compared) the codes of those
    the check was handed and left out; ``statistics`` (not compared) counts and
    times them.
    """

    as_of: dt.date
    findings: tuple[Finding, ...]
    #: Read as ``engagements``; a check hands in results to compute when first
    #: read (:class:`LaterResults`).
    _engagements: tuple[EngagementResult, ...] | LaterResults = attrs.field(
        alias="engagements", eq=_results_now
    )
    errors: tuple[Issue, ...] = ()
    rule_errors: tuple[RuleError, ...] = ()
    plugin_errors: tuple[PluginError, ...] = ()
    statistics: Statistics = attrs.field(factory=Statistics, eq=False, repr=False)
    rules: tuple[Rule, ...] = attrs.field(default=(), repr=False)
    #: The plugins whose rules ran (the built-in rules included).
    plugins: tuple[PluginVersion, ...] = attrs.field(default=(), eq=False, repr=False)
    #: The files and folders passed over while walking directories.
    skipped: tuple[SkippedFile, ...] = attrs.field(default=(), eq=False, repr=False)
    #: Against a baseline (:meth:`with_baseline`): each finding's state by its
    #: key, ``"new"`` or ``"unchanged"``; None without a baseline.
    baseline: Mapping[tuple[str, str, str], str] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    #: The codes of the rules the check was handed and did not run (left out
    #: by ``select`` or ``ignore``), so that a comparison knows whether a rule
    #: judging the others' findings saw them all; None when not known (a
    #: report read back from its document, or made by hand).
    left_out: tuple[str, ...] | None = attrs.field(default=None, eq=False, repr=False)
    #: The lowest severity that fails the run (``"never"``: none), which the
    #: formats that count failures (JUnit, GitHub annotations) follow.
    fail_on: str = attrs.field(default="error", eq=False, repr=False)
    #: For a report whose findings went to a sink instead
    #: (:func:`outsourcekit.engine.check_stream`): their counts, which
    #: :attr:`summary` and :meth:`failed` then use; ``findings`` is empty and so
    #: are the engagements' ``findings``. None when ``findings`` holds them all.
    streamed: FindingCounts | None = attrs.field(default=None, eq=False, repr=False)
    _by_engagement: Mapping[str, EngagementResult] | None = attrs.field(
        init=False, default=None, eq=False, repr=False
    )
    #: For a report :meth:`filter` made: which findings it keeps, so that
    #: :meth:`diff` compares the baseline's that the same filter keeps.
    _kept: _Kept | None = attrs.field(init=False, default=None, eq=False, repr=False)

    @property
    def engagements(self) -> tuple[EngagementResult, ...]:
        """Each engagement's score, category scores and findings, ordered by id."""
        value = self._engagements
        if isinstance(value, LaterResults):
            value = value()
            object.__setattr__(self, "_engagements", value)
        return value

    @property
    def by_engagement(self) -> Mapping[str, EngagementResult]:
        """The engagements' results by id (read-only)."""
        index = self._by_engagement
        if index is None:
            index = _Results({e.id: e for e in self.engagements})
            object.__setattr__(self, "_by_engagement", index)
        return index

    # -- reading ----------------------------------------------------------------

    def score(self, engagement: str) -> int:
        """Return the health score (0..100) of the engagement with this id.

        Raises:
            KeyError: no engagement of the report has this id; the message
                suggests the closest.
            TypeError: *engagement* is no id (text).

        """
        return self._result(engagement, "score()").score

    def _result(self, engagement: str, what: str) -> EngagementResult:
        given: object = engagement  # callers without type checks pass anything
        if not isinstance(given, str):
            msg = f"{what} takes the id of an engagement (text), got {shown(given)}"
            raise TypeError(msg)
        return self.by_engagement[engagement]

    @property
    def portfolio_score(self) -> float | None:
        """The mean of the engagements' scores to one decimal (None without any)."""
        return portfolio_score([e.score for e in self.engagements])

    @property
    def counts(self) -> FindingCounts:
        """How many findings the check made, unwaived by severity and waived.

        Counted from ``findings``, or for a streamed report (``streamed``) as
        they went to the sink.
        """
        if self.streamed is not None:
            return self.streamed
        return FindingCounts.of(self.findings)

    @property
    def summary(self) -> dict[str, Any]:
        """Counts of engagements, unwaived and waived findings, score and severities.

        ``by_severity`` counts unwaived findings, errors first, leaving out
        severities without any. A streamed report counts the findings that went
        to its sink.
        """
        counts = self.counts
        return {
            "engagements": len(self.engagements),
            "findings": counts.unwaived,
            "waived": counts.waived,
            "score": self.portfolio_score,
            "by_severity": counts.by_severity(),
        }

    def failed(self, fail_on: str | Severity) -> bool:
        """Return whether an unwaived finding at or above *fail_on* remains.

        ``"never"`` never fails. A streamed report answers from its counts.
        """
        if self.streamed is not None:
            return self.streamed.at_or_above(fail_on) > 0
        return _any_at_or_above(self.findings, fail_on)

    def _holding(self, what: str) -> None:
        """Raise ValueError when the findings went to a sink (*what* needs them)."""
        if self.streamed is not None:
            msg = (
                f"{what} needs the findings, and this report's went to a sink "
                "(check_stream): work on them in the sink, or check with "
                "check() to hold them"
            )
            raise ValueError(msg)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as the interface's JSON document (keys in its order).

        Against a baseline, each finding also has ``baseline`` (``"new"`` or
        ``"unchanged"``). A streamed report's document lists no findings, its
        ``summary`` counting those that went to the sink: :meth:`from_dict`
        refuses it, so that it cannot pass for a report without findings.
        """
        return {
            "outsourcekit": __version__,
            "format": REPORT_FORMAT,
            "as_of": self.as_of.isoformat(),
            "engagements": [e.to_dict() for e in self.engagements],
            "findings": [self.finding_dict(f) for f in self.findings],
            "errors": [dict(e.to_dict()) for e in self.errors],
            "rule_errors": [e.to_dict() for e in self.rule_errors],
            "plugin_errors": [e.to_dict() for e in self.plugin_errors],
            "plugins": [p.to_dict() for p in self.plugins],
            "skipped": [s.to_dict() for s in self.skipped],
            "summary": self.summary,
        }

    def finding_dict(self, finding: Finding) -> dict[str, Any]:
        """Return a finding's plain data, with ``baseline`` against a baseline."""
        data = finding.to_dict()
        if self.baseline is not None:
            data["baseline"] = self.baseline_state(finding)
        return data

    # -- against a baseline -------------------------------------------------------

    def with_baseline(self, baseline: Report | Mapping[str, Any]) -> Report:
        """Return this report with each finding marked against *baseline*.

        *baseline* is a report or its ``to_dict()`` data, as for :meth:`diff`;
        :func:`outsourcekit.config.read_report` reads a saved JSON report. An
        unwaived finding is ``"unchanged"`` when the baseline has an unwaived
        finding with the same (rule, engagement, path), else ``"new"`` (as
        :meth:`diff` decides); a waived one is ``"unchanged"`` when the baseline
        has it at all.

        Raises:
            TypeError: *baseline* is neither a report nor its data (a path
                included: read it with ``read_report``).
            ValueError: this report's or the baseline's findings went to a
                sink (``check_stream``), or the data is no report document
                (as :meth:`from_dict`).

        """
        self._holding("Report.with_baseline()")
        baseline = _baseline_report(baseline, "with_baseline()", paths=False)
        diff = self.diff(baseline)
        new = {f.key for f in diff.new}
        known = {f.key for f in baseline.findings}
        states: dict[tuple[str, str, str], str] = {}
        for f in self.findings:
            if f.waived is None:
                states[f.key] = NEW if f.key in new else UNCHANGED
            else:
                states.setdefault(f.key, UNCHANGED if f.key in known else NEW)
        return _keeping(attrs.evolve(self, baseline=FrozenDict(states)), self._kept)

    def baseline_state(self, finding: Finding) -> str | None:
        """Return ``"new"`` or ``"unchanged"`` against the baseline, else None.

        Raises:
            TypeError: *finding* is no :class:`Finding`.

        """
        _require_finding(finding, "baseline_state()")
        if self.baseline is None:
            return None
        return self.baseline.get(finding.key, NEW)

    def counts_as_failure(self, finding: Finding) -> bool:
        """Whether *finding* fails the run: unwaived, new, at or above ``fail_on``.

        Raises:
            TypeError: *finding* is no :class:`Finding`.

        """
        _require_finding(finding, "counts_as_failure()")
        return (
            finding.waived is None
            and self.baseline_state(finding) != UNCHANGED
            and _any_at_or_above((finding,), self.fail_on)
        )

    def new_only(self) -> Report:
        """Return the report without the findings the baseline already had.

        Scores stay those of the full check. Its :meth:`diff` compares what
        it keeps, as a filtered report's does: the baseline's findings of a
        (rule, engagement, path) marked unchanged are not compared.

        Raises:
            ValueError: the report's findings went to a sink (``check_stream``).

        """
        self._holding("Report.new_only()")
        if self.baseline is None:
            return self
        unchanged = frozenset(k for k, s in self.baseline.items() if s == UNCHANGED)

        def wanted(f: Finding) -> bool:
            return f.key not in unchanged

        kept = attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if wanted(f)),
            engagements=tuple(
                attrs.evolve(e, findings=tuple(f for f in e.findings if wanted(f)))
                for e in self.engagements
            ),
        )
        return _keeping(kept, _Kept(unchanged=unchanged, before=self._kept))

    def to_pandas(
        self, engagements: Engagement | Iterable[Engagement] | None = None
    ) -> pd.DataFrame:
        """Return one row per finding as a pandas DataFrame (``notebook`` extra).

        With the checked *engagements* (or the one engagement), each row also
        has the engagement's title, vendor, client and status. See
        ``outsourcekit.notebook.report_to_pandas``.
        """
        return _frames.report_to_pandas(self, engagements)

    def scores_frame(self) -> pd.DataFrame:
        """Return one row per engagement with its scores (``notebook`` extra).

        See ``outsourcekit.notebook.scores_frame``.
        """
        return _frames.scores_frame(self)

    def __repr__(self) -> str:
        """Describe the report in one line: date, size, score and counts."""
        return _display.report_repr(self)

    def _repr_html_(self) -> str:
        return _display.report_html(self)

    # -- deriving ---------------------------------------------------------------

    def filter(
        self,
        *,
        severity: str | Severity | None = None,
        category: str | Iterable[str] | None = None,
        rule: str | Iterable[str] | None = None,
        engagement: str | Iterable[str] | None = None,
        waived: bool | None = None,
    ) -> Report:
        """Return a report with only the findings that match every criterion given.

        *severity* keeps findings at or above that level; *category* and *rule*
        (codes in any case, or slugs) keep findings of those; *engagement* (ids
        or globs) keeps those engagements; *waived* keeps only waived (True) or
        unwaived (False) findings. Scores stay those of the full check; its
        :meth:`diff` compares what the same filter keeps of the baseline.

        ``rule_errors`` keep the errors of the rules, categories and
        engagements kept (a portfolio rule's error, of no engagement, under
        any engagement), whatever *severity* and *waived* say. A report read
        back (:meth:`from_dict`) knows a rule's slug and category from its
        findings only: the error of a rule without findings there is matched
        by its code only (not its slug), and kept under any category.

        Raises:
            TypeError: *category*, *rule* or *engagement* is neither text nor
                an iterable of texts, or *waived* is not True, False or None.
            ValueError: *severity* is no severity (a lower-case word, as for
                ``--fail-on``), no rule of the report has a category, code or
                slug given (the message suggests the closest; a report read
                back, which does not know its rules, takes any), or the
                findings went to a sink (``check_stream``).

        """
        self._holding("Report.filter()")
        try:
            level = None if severity is None else Severity.parse(severity)
        except ValueError as error:
            msg = f"filter(): {error}"
            raise ValueError(msg) from None
        categories = _names(category, "category")
        rules = _names(rule, "rule")
        if self.rules:  # a report read back does not know its rules
            _known(categories, {r.category for r in self.rules}, "the category")
            names = {n for r in self.rules for n in (r.code, r.slug)}
            _known(rules, names, "the code or slug", self.rules)
        # Codes in any case, as configuration and waivers take them.
        codes = None if rules is None else rules | {r.upper() for r in rules}
        patterns = _names(engagement, "engagement")
        given: object = waived  # callers without type checks pass anything
        if given is not None and not isinstance(given, bool):
            msg = f"filter(): waived must be True, False or None, got {shown(given)}"
            raise TypeError(msg)

        before = self._kept
        raised = None if before is None else before.rules_raised()
        kept = _Kept(
            level=level,
            categories=categories,
            codes=codes,
            waived=waived,
            patterns=patterns,
            raised=(
                frozenset((e.rule, e.engagement) for e in self.rule_errors)
                if raised is None
                else None
            ),
            before=before,
        )
        wanted = kept.finding
        wanted_engagement = kept.engagement

        results = tuple(
            attrs.evolve(e, findings=tuple(f for f in e.findings if wanted(f)))
            for e in self.engagements
            if wanted_engagement(e.id)
        )
        described = self._described() if self.rule_errors else {}

        def wanted_error(e: RuleError) -> bool:
            slug, cat = described.get(e.rule, (None, None))
            return (
                (codes is None or e.rule in codes or slug in codes)
                and (categories is None or cat is None or cat in categories)
                and (e.engagement is None or wanted_engagement(e.engagement))
            )

        filtered = attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if wanted(f)),
            engagements=results,
            rule_errors=tuple(e for e in self.rule_errors if wanted_error(e)),
        )
        return _keeping(filtered, kept)

    def _described(self) -> dict[str, tuple[str, str]]:
        """Return the (slug, category) of each rule the report tells of, by code."""
        out = {f.rule: (f.slug, f.category) for f in self.findings}
        out.update((s.rule, (s.slug, s.category)) for s in self.statistics.rules)
        out.update((r.code, (r.slug, r.category)) for r in self.rules)
        return out

    def diff(
        self, baseline: Report | Mapping[str, Any] | str | os.PathLike[str]
    ) -> ReportDiff:
        """Compare unwaived findings with a baseline's by (rule, engagement, path).

        *baseline* is a report or its ``to_dict()`` data;
        :func:`outsourcekit.config.read_report` reads a saved JSON report. The
        path of one is still taken, deprecated.

        A baseline finding is fixed only when this check could have found it
        again: its engagement is among this report's, and its rule ran (is
        among ``rules`` or ``statistics.rules``) and did not raise there; of a
        report :meth:`filter` made, only the baseline's findings the same
        filter keeps are compared. A rule that judges the other rules'
        findings judges something else when some of them did not run: its
        finding is compared only where the rules it judged (its ``inputs``:
        for OSK905, the rule its waiver names) ran and did not raise, and
        without ``inputs`` only when the check left no rule out and no rule
        raised on that engagement.
        The others, of rules left out or engagements not checked, are not
        compared. A report read back with :meth:`from_dict` does not say
        which rules ran: a rule with a finding or a rule error in it did, and
        the baseline's findings of the others are not compared.

        Raises:
            TypeError: *baseline* is none of these.
            ValueError: this report's or the baseline's findings went to a
                sink (``check_stream``), or the data is no report document
                (as :meth:`from_dict`).

        """
        self._holding("Report.diff()")
        if isinstance(baseline, (str, os.PathLike)):
            base = _deprecated.load_report(baseline, "Report.diff(path)")
        else:
            base = _baseline_report(baseline, "diff()", paths=True)
        kept = self._kept
        before = [
            f
            for f in base.findings
            if f.waived is None and (kept is None or kept.finding(f))
        ]
        now = [f for f in self.findings if f.waived is None]
        unchanged, new = _matched(now, Counter(f.key for f in before))
        fixed = _matched(comparable(self, before), Counter(f.key for f in now))[1]
        return ReportDiff(
            new=new,
            fixed=fixed,
            unchanged=unchanged,
            as_of=self.as_of,
            baseline_as_of=base.as_of,
        )

    # -- reading back -----------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Report:
        """Read a report saved as JSON (deprecated).

        Deprecated: use :func:`outsourcekit.config.read_report`, which this calls.
        """
        return _deprecated.load_report(path, "Report.load()")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from its JSON document (as :meth:`to_dict` gives it).

        Statistics and rule metadata are not part of the document and come back
        empty, and so does which rules ran (``left_out`` is None: compared as
        the newer side, the report counts as run only the rules that show in
        it, see :meth:`diff`); keys the document does not define are ignored.
        The findings' ``baseline`` marks, where the report was marked against a
        baseline, come back as its ``baseline``.

        Raises:
            ValueError: *data* is not a report document of this format, or
                it is a streamed report's (no findings listed, some counted in
                its ``summary``); the error names the path
                (``findings[3].slug``), what was expected and what was found.

        """
        doc = _Doc(data, ())
        version = doc.get("format")
        if version is _MISSING:
            _not_a_history(data)
            raise doc.fail("format", f"the report format, {REPORT_FORMAT}", version)
        if type(version) is not int or version != REPORT_FORMAT:
            msg = f"report format must be {REPORT_FORMAT} (got {_shown(version)})"
            raise ReportDataError(msg, path=("format",))
        entries = doc.items("findings")
        findings = tuple(_finding(d) for d in entries)
        if not findings:
            _not_streamed(doc)
        marks = _baseline_marks(entries, findings)
        grouped: dict[str, list[Finding]] = {}
        for f in findings:
            grouped.setdefault(f.engagement, []).append(f)
        engagements = []
        listed: dict[str, int] = {}
        for i, e in enumerate(doc.items("engagements")):
            eid = e.text("id")
            if eid in listed:
                where = _doc_path((*doc.path, "engagements", listed[eid]))
                raise e.fail("id", "an id listed once", eid, f"listed at {where} too")
            listed[eid] = i
            engagements.append(
                EngagementResult(
                    id=eid,
                    score=e.score("score"),
                    categories=e.scores("categories"),
                    source=e.text_or_none("source"),
                    findings=tuple(grouped.get(eid, ())),
                )
            )
        return cls(
            as_of=doc.date("as_of"),
            findings=findings,
            engagements=tuple(engagements),
            errors=tuple(_saved_issue(e) for e in doc.items("errors")),
            rule_errors=tuple(
                RuleError(
                    rule=e.text("rule"),
                    engagement=e.text_or_none("engagement"),
                    type=e.text("type"),
                    message=e.text("message"),
                )
                for e in doc.items("rule_errors")
            ),
            plugin_errors=tuple(
                PluginError(plugin=e.text("plugin"), message=e.text("message"))
                for e in doc.items("plugin_errors")
            ),
            plugins=tuple(
                PluginVersion(name=e.text("name"), version=e.text_or_none("version"))
                for e in doc.items("plugins")
            ),
            skipped=tuple(
                SkippedFile(path=e.text("path"), reason=e.text("reason"))
                for e in doc.items("skipped")
            ),
            baseline=marks,
        )


# -- reading a report document back --------------------------------------------------

_DocPath = tuple[str | int, ...]


def _not_a_history(data: Mapping[str, Any]) -> None:
    """Raise ReportDataError when *data* is a history's document, not a report's.

    ``check --history`` saves one report per date under ``history``: which
    one to read is the user's to say.
    """
    reports = data.get("history")
    if isinstance(reports, list) and "dates" in data:
        dates = data["dates"]
        shown = ""
        if isinstance(dates, list) and dates:
            shown = (
                f" ({dates[0]})" if len(dates) == 1 else f" ({dates[0]} to {dates[-1]})"
            )
        msg = (
            f"the document is a history of {plural(len(reports), 'report')}{shown}, as "
            "`check --history` saves it, not one report: save the report of "
            "one date with `check --as-of DATE --output json:FILE` (each item "
            "of its `history` list is one)"
        )
        raise ReportDataError(msg, path=("history",))


class ReportDataError(ValueError):
    """Data that is not a report document: why (``problem``) and where.

    ``path`` is where in the document, as keys and list indices; ``source``,
    ``line`` and ``column`` locate it in a file when the data was read from one
    (see :func:`outsourcekit.config.read_report`). The message reads
    ``baseline.json:12: findings[3].slug: must be text (got 5)``.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: _DocPath = (),
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.source = source
        self.line = line
        self.column = column
        where = _doc_path(path)
        text = f"{where}: {problem}" if where else problem
        if source is not None:
            position = source if line is None else f"{source}:{line}"
            text = f"{position}: {text}"
        super().__init__(text)


def _doc_path(path: _DocPath) -> str:
    """Write *path* as messages do: ``findings[3].slug``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def _shown(value: object) -> str:
    """Show a JSON value as its JSON text, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


_MISSING = object()
#: What a score of a report document is.
_SCORE = f"a whole number from 0 to {MAX_SCORE}"


def _is_score(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_SCORE


class _Doc:
    """One JSON object of a report document, read key by key with located errors."""

    __slots__ = ("data", "path")

    def __init__(self, data: object, path: _DocPath) -> None:
        if not isinstance(data, Mapping):
            what = "a report" if not path else "an entry"
            msg = f"{what} must be a JSON object (got {_shown(data)})"
            raise ReportDataError(msg, path=path)
        self.data: Mapping[str, Any] = data
        self.path = path

    def get(self, key: str) -> object:
        return self.data.get(key, _MISSING)

    def fail(
        self, key: str, expected: str, value: object, note: str = ""
    ) -> ReportDataError:
        if value is _MISSING:
            msg = f"missing required key {key!r} ({expected})"
            return ReportDataError(msg, path=self.path)
        got = f"{_shown(value)}, {note}" if note else _shown(value)
        msg = f"must be {expected} (got {got})"
        return ReportDataError(msg, path=(*self.path, key))

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            raise self.fail(key, "text", value)
        return value

    def text_or_none(self, key: str) -> str | None:
        value = self.get(key)
        if value is _MISSING or value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(key, "text or null", value)
        return value

    def place_or_none(self, key: str) -> int | None:
        """Return a line or column: a whole number from 1, or None."""
        value = self.get(key)
        if value is _MISSING or value is None:
            return None
        if type(value) is not int or value < 1:
            raise self.fail(key, "a whole number from 1 or null", value)
        return value

    def date(self, key: str) -> dt.date:
        """Return a date written ``YYYY-MM-DD`` in the range every date lies in."""
        value = self.get(key)
        if isinstance(value, str):
            try:
                return as_date(value)
            except DateRangeError:
                raise self.fail(key, f"a date from {DATE_RANGE}", value) from None
            except ValueError:
                pass
        raise self.fail(key, "a date like 2026-11-22", value)

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self.get(key)
        if value is _MISSING or value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(key, "a JSON object", value)
        return value

    def score(self, key: str) -> int:
        """Return a health score: a whole number from 0 to 100."""
        value = self.get(key)
        if type(value) is int and _is_score(value):
            return value
        raise self.fail(key, _SCORE, value)

    def scores(self, key: str) -> dict[str, int]:
        table = self.mapping(key)
        for name, score in table.items():
            if not _is_score(score):
                msg = f"must be {_SCORE} (got {_shown(score)})"
                raise ReportDataError(msg, path=(*self.path, key, name))
        return dict(table)

    def items(self, key: str) -> list[_Doc]:
        value = self.get(key)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.fail(key, "a list of JSON objects", value)
        return [_Doc(item, (*self.path, key, i)) for i, item in enumerate(value)]


def _not_streamed(doc: _Doc) -> None:
    """Refuse the document of a streamed report: its findings are not in it.

    A document that lists no findings while its ``summary`` counts some is
    that of a report whose findings went to a sink (``check_stream``); read
    as a report, it would be one without findings.
    """
    summary = doc.get("summary")
    if not isinstance(summary, Mapping):
        return
    counted = [summary.get(key) for key in ("findings", "waived")]
    if not any(type(n) is int and n > 0 for n in counted):
        return
    unwaived, waived = (n if type(n) is int else 0 for n in counted)
    msg = (
        f"lists no findings, and its summary counts {unwaived} findings and "
        f"{waived} waived: the document of a report whose findings went to a "
        "sink (check_stream); save the report of check(), or the json format "
        "written by its sink"
    )
    raise ReportDataError(msg, path=(*doc.path, "findings"))


def _finding(d: _Doc) -> Finding:
    rule, slug, category = d.text("rule"), d.text("slug"), d.text("category")
    severity = d.text("severity")
    try:
        level = Severity.parse(severity)
    except ValueError:
        raise d.fail("severity", "one of error, warning, info", severity) from None
    evidence = d.mapping("evidence")
    try:
        evidence = frozen_evidence(dict(evidence) if evidence else None, rule)
    except ValueError as exc:
        # Too deep or holding itself: no output could write it back.
        raise ReportDataError(str(exc), path=(*d.path, "evidence")) from None
    return Finding(
        rule=rule,
        slug=slug,
        category=category,
        severity=level,
        engagement=d.text("engagement"),
        path=d.text("path"),
        message=d.text("message"),
        fix=d.text_or_none("fix") or "",
        evidence=evidence,
        source=d.text_or_none("source"),
        line=d.place_or_none("line"),
        waived=d.text_or_none("waived"),
    )


def _baseline_marks(
    entries: list[_Doc], findings: tuple[Finding, ...]
) -> FrozenDict[tuple[str, str, str], str] | None:
    """Return the states of a document's findings against its baseline, if marked.

    A report marked against a baseline (:meth:`Report.with_baseline`) gives
    each finding ``baseline``, ``"new"`` or ``"unchanged"``; a mark belongs to
    the finding's (rule, engagement, path), new where any of them is new.
    None when no finding is marked.
    """
    states: dict[tuple[str, str, str], str] = {}
    for entry, finding in zip(entries, findings, strict=True):
        state = entry.get("baseline")
        if state is _MISSING or state is None:
            continue
        if state not in {NEW, UNCHANGED}:
            raise entry.fail("baseline", f"{NEW} or {UNCHANGED}", state)
        if states.get(finding.key) != NEW:
            states[finding.key] = NEW if state == NEW else UNCHANGED
    return FrozenDict(states) if states else None


def _saved_issue(d: _Doc) -> SavedIssue:
    return SavedIssue(
        source=d.text_or_none("source"),
        line=d.place_or_none("line"),
        column=d.place_or_none("column"),
        path=d.text_or_none("path"),
        message=d.text("message"),
    )
