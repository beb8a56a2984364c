"""The health score: 100 minus a penalty per unwaived rule that fired, floored at 0.

Each engagement's score is ``max(0, 100 - sum of penalties)``, where every rule
with at least one unwaived finding on the engagement costs once, by its severity
(after configuration's overrides): error 15, warning 6, info 2. Several findings
of one rule cost no more than one. A portfolio rule's finding costs on each
engagement it is attached to. The same sum restricted to one category gives the
category's score. The portfolio's score is the mean of the engagements' scores,
rounded to one decimal (halves up).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING

from outsourcekit.model._frozen import FrozenDict

from ._rule import Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ._finding import Finding

__all__ = [
    "MAX_SCORE",
    "PENALTIES",
    "Scorer",
    "category_scores",
    "engagement_score",
    "penalties",
    "portfolio_score",
]

#: A perfect score: no unwaived finding.
MAX_SCORE = 100
#: What one rule that fired costs an engagement, by severity.
PENALTIES: Mapping[Severity, int] = {
    Severity.ERROR: 15,
    Severity.WARNING: 6,
    Severity.INFO: 2,
}


def _penalty(severity: Severity) -> int:
    # Identity tests: cheaper than hashing the enum for every finding.
    if severity is Severity.ERROR:
        return PENALTIES[Severity.ERROR]
    if severity is Severity.WARNING:
        return PENALTIES[Severity.WARNING]
    return PENALTIES[Severity.INFO]


def penalties(findings: Iterable[Finding]) -> dict[str, tuple[str, int]]:
    """Return each rule's category and penalty, from one engagement's findings.

    Waived findings cost nothing; a rule that fired several times costs once, at
    the highest severity among its findings.
    """
    out: dict[str, tuple[str, int]] = {}
    for finding in findings:
        if finding.waived is None:
            cost = _penalty(finding.severity)
            seen = out.get(finding.rule)
            if seen is None or seen[1] < cost:
                out[finding.rule] = (finding.category, cost)
    return out


def engagement_score(findings: Iterable[Finding]) -> int:
    """Return the health score (0..100) of one engagement from its findings."""
    return Scorer(()).score(findings)[0]


def category_scores(
    findings: Iterable[Finding], categories: Iterable[str]
) -> dict[str, int]:
    """Return the score of each of *categories* (sorted) from one engagement's findings.

    A category in which nothing fired scores 100; a category that only appears
    in the findings is scored as well.
    """
    return dict(Scorer(categories).score(findings)[1])


def portfolio_score(values: Sequence[int]) -> float | None:
    """Return the mean of the engagements' scores to one decimal, or None for none.

    Halves round up (a mean of 82.25 is 82.3), computed exactly.
    """
    if not values:
        return None
    tenths = math.floor(Fraction(sum(values) * 10, len(values)) + Fraction(1, 2))
    return tenths / 10


#: What decides a verdict: each rule that costs, with its category and penalty.
Verdict = tuple[tuple[str, tuple[str, int]], ...]


class Scorer:
    """Scores the engagements of one run, sharing the work between equal verdicts.

    Engagements whose unwaived findings cost the same rules the same penalties
    get the same score and one shared, read-only mapping of category scores.
    """

    __slots__ = ("_categories", "_seen")

    def __init__(self, categories: Iterable[str]) -> None:
        """Score over *categories* (every category of the rules that run)."""
        self._categories = sorted(set(categories))
        self._seen: dict[Verdict, tuple[int, Mapping[str, int]]] = {}

    @property
    def perfect(self) -> Mapping[str, int]:
        """The category scores of an engagement without findings."""
        return self.score(())[1]

    def score(self, findings: Iterable[Finding]) -> tuple[int, Mapping[str, int]]:
        """Return the score and category scores of one engagement's findings."""
        return self.score_verdict(tuple(penalties(findings).items()))

    def score_verdict(self, key: Verdict) -> tuple[int, Mapping[str, int]]:
        """Return the score and category scores of a verdict (see :func:`penalties`)."""
        verdict = self._seen.get(key)
        if verdict is None:
            lost = dict.fromkeys(self._categories, 0)
            for category, penalty in (cost for _, cost in key):
                lost[category] = lost.get(category, 0) + penalty
            total = sum(penalty for _, (_, penalty) in key)
            by_category = {c: max(0, MAX_SCORE - lost[c]) for c in sorted(lost)}
            verdict = (max(0, MAX_SCORE - total), FrozenDict(by_category))
            self._seen[key] = verdict
        return verdict
