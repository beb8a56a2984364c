"""The report of one check: findings, scores, errors, statistics and comparisons."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from outsourcekit._version import __version__

from ._finding import Finding
from ._names import did_you_mean
from ._rule import Rule, Severity
from ._scoring import portfolio_score

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

__all__ = [
    "REPORT_FORMAT",
    "CategoryStatistics",
    "EngagementResult",
    "Issue",
    "PluginError",
    "Report",
    "ReportDiff",
    "RuleError",
    "RuleStatistics",
    "SavedIssue",
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


@attrs.frozen(kw_only=True)
class EngagementResult:
    """One engagement's verdict: its score, per-category scores and findings."""

    id: str
    score: int
    categories: Mapping[str, int]
    source: str | None
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the result as the JSON document's engagement entry."""
        return {
            "id": self.id,
            "score": self.score,
            "source": self.source,
            "categories": dict(self.categories),
        }


@attrs.frozen(kw_only=True)
class ReportDiff:
    """A report compared with a baseline, by (rule, engagement, path).

    ``new`` are current unwaived findings the baseline lacks, ``fixed`` baseline
    findings now gone, ``unchanged`` current findings the baseline also had.
    """

    new: tuple[Finding, ...]
    fixed: tuple[Finding, ...]
    unchanged: tuple[Finding, ...]

    def failed(self, fail_on: str | Severity) -> bool:
        """Whether a new finding is at or above *fail_on* (``"never"``: never)."""
        return _any_at_or_above(self.new, fail_on)


def _threshold(fail_on: str | Severity) -> Severity | None:
    if fail_on == "never":
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError:
        msg = f"fail_on must be one of info, warning, error, never (got {fail_on!r})"
        raise ValueError(msg) from None


def _any_at_or_above(findings: Iterable[Finding], fail_on: str | Severity) -> bool:
    level = _threshold(fail_on)
    if level is None:
        return False
    rank = level.rank
    return any(f.waived is None and f.severity.rank >= rank for f in findings)


def _names(value: str | Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset((value,) if isinstance(value, str) else value)


def _ids(report: Report) -> list[str]:
    return [e.id for e in report.engagements]


@attrs.frozen(kw_only=True, repr=False)
class Report:
    """The outcome of one check: immutable, deterministic, JSON-ready.

    ``findings`` include waived ones, ordered by engagement, severity (errors
    first), rule code, path and message; ``engagements`` hold each engagement's
    score and findings, ordered by id; ``errors`` are load errors, ``rule_errors``
    rules that raised, ``plugin_errors`` plugins that failed; ``rules`` are the
    rules that ran, by code; ``statistics`` (not compared) counts and times them.
    """

    as_of: dt.date
    findings: tuple[Finding, ...]
    engagements: tuple[EngagementResult, ...]
    errors: tuple[Issue, ...] = ()
    rule_errors: tuple[RuleError, ...] = ()
    plugin_errors: tuple[PluginError, ...] = ()
    statistics: Statistics = attrs.field(factory=Statistics, eq=False, repr=False)
    rules: tuple[Rule, ...] = attrs.field(default=(), repr=False)
    by_engagement: Mapping[str, EngagementResult] = attrs.field(
        init=False, eq=False, repr=False
    )

    @by_engagement.default
    def _index(self) -> Mapping[str, EngagementResult]:
        return MappingProxyType({e.id: e for e in self.engagements})

    # -- reading ----------------------------------------------------------------

    def score(self, engagement: str) -> int:
        """Return the health score (0..100) of the engagement with this id."""
        return self._result(engagement).score

    def _result(self, engagement: str) -> EngagementResult:
        try:
            return self.by_engagement[engagement]
        except KeyError:
            hint = did_you_mean(engagement, self.by_engagement)
            msg = f"no engagement {engagement!r} in this report{hint}"
            raise KeyError(msg) from None

    @property
    def portfolio_score(self) -> float | None:
        """The mean of the engagements' scores to one decimal (None without any)."""
        return portfolio_score([e.score for e in self.engagements])

    @property
    def summary(self) -> dict[str, Any]:
        """Counts of engagements, unwaived and waived findings, score and severities.

        ``by_severity`` counts unwaived findings, errors first, leaving out
        severities without any.
        """
        counts = dict.fromkeys((Severity.ERROR, Severity.WARNING, Severity.INFO), 0)
        waived = 0
        for f in self.findings:
            if f.waived is None:
                counts[f.severity] += 1
            else:
                waived += 1
        return {
            "engagements": len(self.engagements),
            "findings": sum(counts.values()),
            "waived": waived,
            "score": self.portfolio_score,
            "by_severity": {s.value: n for s, n in counts.items() if n},
        }

    def failed(self, fail_on: str | Severity) -> bool:
        """Return whether an unwaived finding at or above *fail_on* remains.

        ``"never"`` never fails.
        """
        return _any_at_or_above(self.findings, fail_on)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as the interface's JSON document (keys in its order)."""
        return {
            "outsourcekit": __version__,
            "format": REPORT_FORMAT,
            "as_of": self.as_of.isoformat(),
            "engagements": [e.to_dict() for e in self.engagements],
            "findings": [f.to_dict() for f in self.findings],
            "errors": [dict(e.to_dict()) for e in self.errors],
            "rule_errors": [e.to_dict() for e in self.rule_errors],
            "plugin_errors": [e.to_dict() for e in self.plugin_errors],
            "summary": self.summary,
        }

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per finding as a pandas DataFrame (``notebook`` extra).

        See ``outsourcekit.notebook.report_to_pandas``.
        """
        from outsourcekit.notebook import report_to_pandas  # noqa: PLC0415

        return report_to_pandas(self)

    def scores_frame(self) -> pd.DataFrame:
        """Return one row per engagement with its scores (``notebook`` extra).

        See ``outsourcekit.notebook.scores_frame``.
        """
        from outsourcekit.notebook import scores_frame  # noqa: PLC0415

        return scores_frame(self)

    def __repr__(self) -> str:
        """Describe the report in one line: date, size, score and counts."""
        from outsourcekit.notebook import report_repr  # noqa: PLC0415

        return report_repr(self)

    def _repr_html_(self) -> str:
        from outsourcekit.notebook import report_html  # noqa: PLC0415

        return report_html(self)

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
        (codes or slugs) keep findings of those; *engagement* (ids or globs) keeps
        those engagements; *waived* keeps only waived (True) or unwaived (False)
        findings. Scores stay those of the full check.
        """
        level = None if severity is None else Severity.parse(severity)
        categories = _names(category)
        rules = _names(rule)
        patterns = _names(engagement)

        def wanted_engagement(eng: str) -> bool:
            return patterns is None or any(
                fnmatch.fnmatchcase(eng, p) for p in patterns
            )

        def wanted(f: Finding) -> bool:
            return (
                (level is None or f.severity >= level)
                and (categories is None or f.category in categories)
                and (rules is None or f.rule in rules or f.slug in rules)
                and (waived is None or (f.waived is not None) == waived)
                and wanted_engagement(f.engagement)
            )

        results = tuple(
            attrs.evolve(e, findings=tuple(f for f in e.findings if wanted(f)))
            for e in self.engagements
            if wanted_engagement(e.id)
        )
        return attrs.evolve(
            self,
            findings=tuple(f for f in self.findings if wanted(f)),
            engagements=results,
            rule_errors=tuple(
                e
                for e in self.rule_errors
                if e.engagement is None or wanted_engagement(e.engagement)
            ),
        )

    def diff(
        self, baseline: Report | Mapping[str, Any] | str | os.PathLike[str]
    ) -> ReportDiff:
        """Compare unwaived findings with a baseline's by (rule, engagement, path).

        *baseline* is a report, its ``to_dict()`` data, or the path of a saved
        JSON report.
        """
        if isinstance(baseline, (str, os.PathLike)):
            base = Report.load(baseline)
        elif isinstance(baseline, Mapping):
            base = Report.from_dict(baseline)
        else:
            base = baseline
        before = [f for f in base.findings if f.waived is None]
        now = [f for f in self.findings if f.waived is None]
        old_keys = {f.key for f in before}
        new_keys = {f.key for f in now}
        return ReportDiff(
            new=tuple(f for f in now if f.key not in old_keys),
            fixed=tuple(f for f in before if f.key not in new_keys),
            unchanged=tuple(f for f in now if f.key in old_keys),
        )

    # -- reading back -----------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Report:
        """Read a report saved as JSON (``outsourcekit check --format json``)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            msg = f"{path}: not a JSON report: {exc}"
            raise ValueError(msg) from exc
        if not isinstance(data, Mapping):
            msg = f"{path}: a report must be a JSON object (got {type(data).__name__})"
            raise ValueError(msg)  # noqa: TRY004 - the file's content is wrong, not a type
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from its JSON document (as :meth:`to_dict` gives it).

        Statistics and rule metadata are not part of the document and come back
        empty.
        """
        if data.get("format") != REPORT_FORMAT:
            msg = f"report format must be {REPORT_FORMAT} (got {data.get('format')!r})"
            raise ValueError(msg)
        try:
            findings = tuple(_finding(d) for d in data.get("findings", ()))
            grouped: dict[str, list[Finding]] = {}
            for f in findings:
                grouped.setdefault(f.engagement, []).append(f)
            engagements = tuple(
                EngagementResult(
                    id=e["id"],
                    score=int(e["score"]),
                    categories=dict(e.get("categories", {})),
                    source=e.get("source"),
                    findings=tuple(grouped.get(e["id"], ())),
                )
                for e in data.get("engagements", ())
            )
            return cls(
                as_of=dt.date.fromisoformat(data["as_of"]),
                findings=findings,
                engagements=engagements,
                errors=tuple(SavedIssue(**e) for e in data.get("errors", ())),
                rule_errors=tuple(RuleError(**e) for e in data.get("rule_errors", ())),
                plugin_errors=tuple(
                    PluginError(**e) for e in data.get("plugin_errors", ())
                ),
            )
        except (KeyError, TypeError) as exc:
            msg = f"not a valid report document: {type(exc).__name__}: {exc}"
            raise ValueError(msg) from exc


def _finding(d: Mapping[str, Any]) -> Finding:
    return Finding(
        rule=d["rule"],
        slug=d["slug"],
        category=d["category"],
        severity=Severity.parse(d["severity"]),
        engagement=d["engagement"],
        path=d["path"],
        message=d["message"],
        fix=d.get("fix", ""),
        evidence=d.get("evidence") or {},
        source=d.get("source"),
        line=d.get("line"),
        waived=d.get("waived"),
    )
