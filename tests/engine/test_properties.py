"""Property tests of check(): deterministic, order-independent, scores in range."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_for_tests import BASIC, many_findings, shared_title

from outsourcekit import check
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import Config, Finding, Severity, rule
from outsourcekit.engine._check import BLOCK
from outsourcekit.engine._finding import sort_findings
from outsourcekit.model import Engagement, Objective, Waiver

RULES = (*BASIC, shared_title, many_findings)
NAMES = ("TST001", "no-objectives-here", "TST003", "TST005", "TST006", "OSK999")

waivers = st.builds(
    Waiver,
    rule=st.sampled_from(NAMES),
    path=st.sampled_from([None, "owner", "title", "vision"]),
    reason=st.sampled_from([None, "", "accepted"]),
    until=st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
)


@st.composite
def portfolios(draw):
    """A few engagements with unique ids, some parts missing, some waivers."""
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
            max_size=6,
            unique=True,
        )
    )
    return [
        Engagement(
            id=eng_id,
            title=draw(st.sampled_from([None, "Books", "Support"])),
            owner=draw(st.none() | st.just("Dana")),
            vision=draw(st.none() | st.text(max_size=3)),
            objectives=draw(
                st.lists(st.builds(Objective, statement=st.just("x")), max_size=1)
            ),
            waivers=draw(st.lists(waivers, max_size=3)),
        )
        for eng_id in ids
    ]


as_ofs = st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31))


class TestCheckProperties:
    @settings(max_examples=60, deadline=None)
    @given(engagements=portfolios(), as_of=as_ofs)
    def test_deterministic(self, engagements, as_of):
        """Checking the same input twice gives the same report and document."""
        one = check(engagements, as_of=as_of, rules=RULES)
        two = check(engagements, as_of=as_of, rules=RULES)

        assert (one, one.to_dict()) == (two, two.to_dict())

    @settings(max_examples=60, deadline=None)
    @given(engagements=portfolios(), as_of=as_ofs, data=st.data())
    def test_input_order_does_not_matter(self, engagements, as_of, data):
        """Permuting engagements and rules does not change the report."""
        shuffled = data.draw(st.permutations(engagements))
        rules = data.draw(st.permutations(RULES))

        assert check(engagements, as_of=as_of, rules=RULES) == check(
            shuffled, as_of=as_of, rules=rules
        )

    @settings(max_examples=60, deadline=None)
    @given(engagements=portfolios(), as_of=as_ofs)
    def test_scores_in_range(self, engagements, as_of):
        """Every score, per engagement and per category, lies in 0..100."""
        report = check(engagements, as_of=as_of, rules=RULES)

        scores = [e.score for e in report.engagements]
        scores += [s for e in report.engagements for s in e.categories.values()]
        assert all(0 <= s <= 100 for s in scores)
        portfolio = report.portfolio_score
        assert portfolio is None or 0 <= portfolio <= 100

    @settings(max_examples=60, deadline=None)
    @given(engagements=portfolios(), as_of=as_ofs)
    def test_waivers_only_mark(self, engagements, as_of):
        """Waivers change `waived` and scores, never which findings exist."""
        bare = [attrs.evolve(e, waivers=()) for e in engagements]

        with_waivers = check(engagements, as_of=as_of, rules=RULES)
        without = check(bare, as_of=as_of, rules=RULES)

        assert [f.key for f in without.findings] == [
            f.key for f in with_waivers.findings
        ]
        assert all(
            a.score >= b.score
            for a, b in zip(with_waivers.engagements, without.engagements, strict=True)
        )


def _shared_strategies():
    """tests/strategies.py, whichever folder pytest put on sys.path."""
    if "strategies" in sys.modules:
        return sys.modules["strategies"]
    path = Path(__file__).parent.parent / "strategies.py"
    spec = importlib.util.spec_from_file_location("strategies", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["strategies"] = module
    spec.loader.exec_module(module)
    return module


class TestCatalogueProperties:
    """The built-in catalogue over arbitrary valid engagements."""

    @settings(max_examples=40, deadline=None)
    @given(data=st.data(), as_of=as_ofs)
    def test_deterministic_and_in_range(self, data, as_of):
        """No rule raises, two checks agree, and every score lies in 0..100."""
        engagements = data.draw(_shared_strategies().portfolios())

        one = check(engagements, as_of=as_of, rules=BUILTIN_RULES)
        two = check(engagements, as_of=as_of, rules=BUILTIN_RULES)

        assert () == tuple(one.rule_errors)
        assert (one, one.to_dict()) == (two, two.to_dict())
        assert all(0 <= e.score <= 100 for e in one.engagements)
        assert all(
            0 <= s <= 100 for e in one.engagements for s in e.categories.values()
        )


findings_strategy = st.builds(
    Finding,
    rule=st.sampled_from(["A1", "B2", "C3"]),
    slug=st.just("s"),
    category=st.just("clarity"),
    severity=st.sampled_from(list(Severity)),
    engagement=st.sampled_from(["a", "b", "c"]),
    path=st.sampled_from(["", "x", "y"]),
    message=st.sampled_from(["m", "n"]),
    fix=st.just("f"),
)


class TestSortFindings:
    @given(st.lists(findings_strategy, max_size=40))
    def test_same_as_sort_key(self, findings):
        """The fast sort orders exactly as Finding.sort_key does."""
        fast = list(findings)
        sort_findings(fast)

        assert sorted(findings, key=Finding.sort_key) == fast


@rule(
    code="ORD1",
    slug="each-objective",
    title="Each objective",
    category="clarity",
    severity="warning",
    fix="f",
)
def each_objective(engagement, ctx):
    """One finding per objective, last first: paths and messages out of order."""
    count = len(engagement.objectives)
    for i, objective in enumerate(reversed(engagement.objectives)):
        yield ctx.finding(objective.statement, path=f"objectives[{count - 1 - i}]")


@rule(
    code="ORD2",
    slug="titled",
    title="Titled",
    category="governance",
    severity="error",
    fix="f",
)
def titled(engagement, ctx):
    """A finding on each engagement with a title."""
    if engagement.title:
        yield ctx.finding("Titled", path="title")


@rule(
    code="ORD3",
    slug="own-severity",
    title="Own severity",
    category="clarity",
    severity="info",
    fix="f",
)
def own_severity(engagement, ctx):
    """A finding whose severity the rule sets itself, from the engagement."""
    if engagement.owner:
        severity = Severity.ERROR if engagement.vision else Severity.INFO
        yield attrs.evolve(ctx.finding("Owned", path="owner"), severity=severity)


ORDER_RULES = (each_objective, titled, own_severity, shared_title, many_findings)


@st.composite
def ordered_portfolios(draw):
    """Engagements whose rules make several findings each, in any id order."""
    count = draw(st.integers(0, 2 * BLOCK))
    in_order = [f"e{i:03d}" for i in range(count)]
    ids = draw(st.just(in_order) | st.permutations(in_order))
    statements = st.sampled_from(["b", "a", "c", "a"])
    return [
        Engagement(
            id=eng_id,
            title=draw(st.sampled_from([None, "Books", "Support"])),
            owner=draw(st.none() | st.just("Dana")),
            vision=draw(st.none() | st.just("Done")),
            objectives=draw(
                st.lists(st.builds(Objective, statement=statements), max_size=3)
            ),
        )
        for eng_id in ids
    ]


class TestReportOrder:
    """The report's findings are in Finding.sort_key order, however they were made."""

    @settings(max_examples=30, deadline=None)
    @given(
        engagements=ordered_portfolios(),
        rules=st.lists(
            st.sampled_from(ORDER_RULES), min_size=1, unique_by=lambda r: r.code
        ),
        severities=st.dictionaries(
            st.sampled_from(["ORD1", "ORD2", "ORD3"]), st.sampled_from(list(Severity))
        ),
    )
    def test_in_sort_key_order(self, engagements, rules, severities):
        codes = {r.code for r in rules}
        configured = {k: v for k, v in severities.items() if k in codes}

        report = check(
            engagements,
            as_of="2026-11-22",
            rules=rules,
            config=Config(severity=configured),
        )

        findings = list(report.findings)
        assert sorted(findings, key=Finding.sort_key) == findings
        assert [f.engagement for f in findings] == sorted(
            f.engagement for f in findings
        )

    def test_several_findings_of_one_rule_sorted_by_path_then_message(self):
        engagements = [
            Engagement(
                id=eng_id,
                objectives=[Objective(statement=s) for s in ("b", "a", "a")],
            )
            for eng_id in ("z", "y")
        ]

        report = check(engagements, as_of="2026-11-22", rules=[each_objective])

        assert [(f.engagement, f.path, f.message) for f in report.findings] == [
            ("y", "objectives[0]", "b"),
            ("y", "objectives[1]", "a"),
            ("y", "objectives[2]", "a"),
            ("z", "objectives[0]", "b"),
            ("z", "objectives[1]", "a"),
            ("z", "objectives[2]", "a"),
        ]

    def test_findings_of_other_engagements_an_engagement_rule_yielded(self):
        """Findings a rule moved to another engagement are still put in order.

        One is moved to an engagement checked later in the same block, before
        a finding of that engagement with a path sorted first; another to an
        engagement of a later block, which a rule run earlier fires on.
        """
        engagements = [Engagement(id=f"e{i:03d}") for i in range(2 * BLOCK)]
        far = engagements[BLOCK + 10].id

        @rule(
            code="MOV1",
            slug="moved",
            title="Moved",
            category="clarity",
            severity="error",
            fix="f",
        )
        def moved(engagement, ctx):
            if engagement.id == "e000":
                yield attrs.evolve(ctx.finding("m", path="zz"), engagement="e001")
                yield attrs.evolve(ctx.finding("m"), engagement=far)
            if engagement.id == "e001":
                yield ctx.finding("m", path="a")

        @rule(
            code="MOV0",
            slug="own",
            title="Own",
            category="clarity",
            severity="error",
            fix="f",
        )
        def own(engagement, ctx):
            if engagement.id == far:
                yield ctx.finding("m")

        report = check(engagements, as_of="2026-11-22", rules=[moved, own])

        assert [(f.engagement, f.rule, f.path) for f in report.findings] == [
            ("e001", "MOV1", "a"),
            ("e001", "MOV1", "zz"),
            (far, "MOV0", ""),
            (far, "MOV1", ""),
        ]

    @pytest.mark.parametrize("order", ["ascending", "descending", "shuffled"])
    def test_blocks_of_engagements_in_any_id_order(self, order):
        """Engagements in several blocks, in or out of id order, come out by id."""
        count = 3 * BLOCK + 5
        engagements = [
            Engagement(
                id=f"e{i:04d}",
                title="Books",
                objectives=[Objective(statement="x")] * (i % 2),
            )
            for i in range(count)
        ]
        if order == "descending":
            engagements.reverse()
        elif order == "shuffled":
            # 389 engagements, a prime count: stepping by 97 visits each once.
            engagements.sort(key=lambda e: int(e.id[1:]) * 97 % count)

        report = check(engagements, as_of="2026-11-22", rules=[each_objective, titled])

        findings = list(report.findings)
        assert len(findings) == count + count // 2
        assert sorted(findings, key=Finding.sort_key) == findings
