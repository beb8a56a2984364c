"""The engine's fast ways to make findings and results give what the slow ways give."""

from __future__ import annotations

import copy
import gc
import pickle
import weakref

import attrs
import pytest
from rules_for_tests import AS_OF, BASIC, bare, clean

from outsourcekit.engine import Context, Finding, Report, Severity, check, rule
from outsourcekit.engine._finding import NO_EVIDENCE, new_finding
from outsourcekit.engine._report import LaterResults
from outsourcekit.model import Engagement, Origin

FIELDS = {
    "rule": "TST001",
    "slug": "no-owner-here",
    "category": "governance",
    "severity": Severity.WARNING,
    "engagement": "acme",
    "path": "owner",
    "message": "No owner is named",
    "fix": "Name an owner.",
    "evidence": NO_EVIDENCE,
    "source": "acme.yaml",
}


def made() -> Finding:
    """A finding made the engine's way, with FIELDS."""
    return new_finding(*FIELDS.values())


class TestNewFinding:
    def test_same_as_init(self):
        """new_finding gives a Finding equal, field by field, to Finding(...)."""
        fast, slow = made(), Finding(**FIELDS)

        assert type(fast) is Finding
        assert fast == slow
        assert attrs.asdict(fast) == attrs.asdict(slow)
        assert (fast.line, fast.waived) == (None, None)

    def test_frozen(self):
        """A finding made the fast way is as frozen as any."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            made().message = "changed"

    def test_evolve_copy_pickle_weakref(self):
        """Evolving, copying, pickling and weak references work as for any finding."""
        fast = made()

        assert attrs.evolve(fast, waived="ok") == Finding(**FIELDS, waived="ok")
        assert copy.copy(fast) == fast
        assert pickle.loads(pickle.dumps(fast)) == fast  # noqa: S301 - own data
        assert weakref.ref(fast)() is fast

    def test_unpickled_with_line_and_waiver(self):
        """A pickled finding with a line, a waiver and evidence comes back equal."""
        full = Finding(**{**FIELDS, "evidence": {"days": 3}}, line=12, waived="ok")
        back = pickle.loads(pickle.dumps(full))  # noqa: S301 - own data

        assert type(back) is Finding
        assert back == full
        assert (back.line, back.waived, dict(back.evidence)) == (12, "ok", {"days": 3})
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            back.line = 13

    def test_nothing_skipped(self):
        """Finding has no validator, converter or post-init step new_finding skips.

        Its converters, which freeze the evidence and read the severity,
        new_finding applies too.
        """
        converted = {f.name for f in attrs.fields(Finding) if f.converter is not None}
        assert all(f.validator is None for f in attrs.fields(Finding))
        assert {"evidence", "severity"} == converted
        named = {**FIELDS, "severity": "warning"}
        assert Finding(**FIELDS) == new_finding(*named.values()) == Finding(**named)
        assert Severity.WARNING is new_finding(*named.values()).severity
        assert not hasattr(Finding, "__attrs_post_init__")
        evidence = {"days": [1, 2], "where": {"a": ["b"]}}
        fast = new_finding(*{**FIELDS, "evidence": evidence}.values())
        slow = Finding(**{**FIELDS, "evidence": evidence})
        assert fast == slow
        assert type(fast.evidence) is type(slow.evidence)
        assert {"days": (1, 2), "where": {"a": ("b",)}} == fast.evidence
        assert hash(fast) == hash(slow)

    @pytest.mark.parametrize("named", ["none", "id", "engagement"])
    def test_context_finding(self, named):
        """ctx.finding makes the finding Finding(...) would, however it is named."""
        engagement = Engagement(id="acme", origin=Origin(source="acme.yaml"))
        ctx = Context(rule=BASIC[0], as_of=AS_OF, portfolio=[engagement])
        ctx.engagement = engagement
        which = {"none": None, "id": "acme", "engagement": engagement}[named]

        found = ctx.finding("No owner is named", path="owner", engagement=which)

        assert found == Finding(**FIELDS)

    def test_context_finding_fields(self):
        """ctx.finding's finding is a frozen Finding with every field of Finding(...).

        A severity the context was given by name is the Severity, and no
        evidence is the shared empty mapping.
        """
        engagement = Engagement(id="acme", origin=Origin(source="acme.yaml"))
        ctx = Context(rule=BASIC[0], as_of=AS_OF, severity="error")  # type: ignore[arg-type]
        ctx.engagement = engagement

        found = ctx.finding("No owner is named", path="owner")

        assert type(found) is Finding
        assert attrs.asdict(Finding(**{**FIELDS, "severity": "error"})) == (
            attrs.asdict(found)
        )
        assert found.severity is Severity.ERROR
        assert found.evidence is NO_EVIDENCE
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            found.path = "vision"


class TestCollector:
    def test_findings_skip_young_generations(self):
        """A check's thousands of findings go to the collector's oldest generation.

        The collector's next young collections then do not scan them again.
        """
        if gc.get_freeze_count():
            pytest.skip("objects frozen earlier in this process: checks leave them be")
        engagements = [bare(f"e{i:04}") for i in range(4000)]
        # From empty young generations: none of the check's findings would
        # reach the oldest through them in the collections the check causes.
        gc.collect()

        report = check(engagements, as_of=AS_OF, rules=BASIC)
        oldest = {id(obj) for obj in gc.get_objects(generation=2)}

        assert 12_000 == len(report.findings)
        assert id(report.findings[0]) in oldest
        assert id(report.findings[-1]) in oldest


class TestLaterResults:
    def test_made_when_read(self):
        """A check's results are computed when first read, then kept."""
        report = check([clean("a"), bare("b")], as_of=AS_OF, rules=BASIC)

        assert isinstance(report._engagements, LaterResults)
        first = report.engagements
        assert first is report.engagements
        assert [(e.id, e.score) for e in first] == [("a", 100), ("b", 77)]
        assert report.by_engagement["b"] is first[1]

    def test_equal_to_given_results(self):
        """A report with results to compute equals one given the same results."""
        report = check([clean("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        given = Report(
            as_of=report.as_of,
            findings=report.findings,
            engagements=check(
                [clean("a"), bare("b")], as_of=AS_OF, rules=BASIC
            ).engagements,
            rules=report.rules,
        )

        assert report == given
        assert given == report

    def test_copy_and_evolve(self):
        """Copied or evolved, the report has the same results."""
        report = check([clean("a"), bare("b")], as_of=AS_OF, rules=BASIC)

        assert copy.copy(report).engagements == report.engagements
        assert attrs.evolve(report, engagements=()).engagements == ()
        assert attrs.evolve(report, findings=()).engagements == report.engagements

    def test_pickled_as_results(self):
        """Results left for later pickle as the results themselves."""
        later = LaterResults(lambda: ())

        assert pickle.loads(pickle.dumps(later)) == ()  # noqa: S301 - own data

    def test_engagements_not_kept(self):
        """Until read, the results hold the engagements' ids, not the engagements."""
        engagements = [bare("b")]
        report = check(engagements, as_of=AS_OF, rules=BASIC)
        alive = weakref.ref(engagements[0])
        del engagements
        gc.collect()

        assert alive() is None
        assert report.score("b") == 77

    def test_engagements_freed_without_the_collector(self):
        """A finished check holds no reference cycle that keeps its engagements."""
        engagements = [bare("b"), clean("c")]
        alive = weakref.ref(engagements[0])
        gc.disable()
        try:
            report = check(engagements, as_of=AS_OF, rules=BASIC)
            del engagements
            assert alive() is None
        finally:
            gc.enable()
        assert report.score("b") == 77

    def test_portfolio_finding_of_unknown_id(self):
        """Results skip findings of ids no engagement has, as before."""

        @rule(
            code="TST090",
            slug="names-a-ghost",
            title="t",
            category="governance",
            severity="info",
            fix="f",
            scope="portfolio",
        )
        def ghost(_engagements, ctx):
            yield ctx.finding("ghost", engagement="a")

        report = check([clean("a"), clean("c")], as_of=AS_OF, rules=[ghost])

        assert [e.id for e in report.engagements] == ["a", "c"]
        assert [f.rule for f in report.by_engagement["a"].findings] == ["TST090"]
