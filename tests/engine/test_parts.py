"""Tests of checking in parts: portfolio facts, check_part, combine, check_stream."""

from __future__ import annotations

import pickle
import threading
from collections import Counter

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_for_tests import AS_OF, BASIC, bare, clean, many_findings, shared_title

from outsourcekit import engine
from outsourcekit.engine import (
    CentralWaiver,
    Config,
    ConfigError,
    FindingCounts,
    PortfolioFact,
    Report,
    Rule,
    check,
    check_part,
    check_stream,
    combine,
    rule,
    waiver_matches,
)
from outsourcekit.engine._report import SavedIssue
from outsourcekit.engine._split import sendable
from outsourcekit.model import Waiver
from outsourcekit.testing import run_rule
from sinks import Sink


def _title_fact(engagement, _ctx):
    """An engagement's title, or None without one."""
    return engagement.title


@rule(
    code="TST105",
    slug="shared-title-facts",
    title="Shared title",
    category="governance",
    severity="info",
    fix="Give each engagement its own title.",
    scope="portfolio",
    facts=_title_fact,
)
def shared_title_facts(facts, ctx):
    """Fires on every engagement whose title another engagement also has."""
    counts = Counter(title for _, title in facts)
    for engagement, title in facts:
        if counts[title] > 1:
            yield ctx.finding(
                f"The title {title!r} is shared",
                path="title",
                evidence={"others": counts[title] - 1},
                engagement=engagement,
            )


@rule(
    code="TST106",
    slug="unused-waiver-here",
    title="Unused waiver",
    category="governance",
    severity="info",
    fix="Delete it.",
    scope="findings",
)
def unused_waiver(engagement, ctx):
    """Fires on each waiver that matches no finding of the engagement."""
    for i, waiver in enumerate(engagement.waivers):
        if not any(waiver_matches(waiver, f) for f in ctx.findings):
            yield ctx.finding(
                f"The waiver of {waiver.rule} matches nothing",
                path=f"waivers[{i}]",
                unless=waiver,
            )


RULES = (*BASIC, shared_title_facts, unused_waiver)


def portfolio(size: int = 12):
    """Engagements where titles repeat across any split, with waivers."""
    out = []
    for i in range(size):
        fields = {"title": f"T{i % 4}" if i % 3 else f"own-{i}"}
        if i % 5 == 0:
            fields["waivers"] = (Waiver(rule="TST105", reason="Known"),)
        if i % 7 == 0:
            fields["waivers"] = (Waiver(rule="shared-title-facts", reason="Old"),)
        if i % 4 == 0:
            fields["waivers"] = (
                *fields.get("waivers", ()),
                Waiver(rule="TST001", reason="Owner being hired"),
            )
        out.append((clean if i % 2 else bare)(f"e{i:02}", **fields))
    return out


def split(engagements, *sizes):
    """Cut *engagements* into consecutive parts of *sizes* (the rest last)."""
    parts, start = [], 0
    for size in sizes:
        parts.append(engagements[start : start + size])
        start += size
    parts.append(engagements[start:])
    return parts


class TestPortfolioFacts:
    def test_rule_decides_from_facts_in_id_order(self):
        """The rule receives (id, value) pairs sorted by id, None facts left out."""
        seen = []

        @rule(
            code="TST110",
            slug="records-facts",
            title="Records",
            category="governance",
            severity="info",
            fix="None.",
            scope="portfolio",
            facts=_title_fact,
        )
        def records(facts, _ctx):
            seen.extend(facts)
            return ()

        check(
            [clean("c", title="C"), clean("a", title="A"), clean("b")],
            rules=[records],
            as_of=AS_OF,
        )

        assert [PortfolioFact("a", "A"), PortfolioFact("c", "C")] == seen
        assert ("a", "A") == tuple(seen[0])

    def test_findings_named_by_id_carry_the_source(self):
        """A finding named by id gets that engagement's file."""
        engs = [clean("a", title="T"), clean("b", title="T")]
        engs = [attrs.evolve(e, origin=engine_origin(f"{e.id}.yaml")) for e in engs]

        report = check(engs, rules=[shared_title_facts], as_of=AS_OF)

        assert ["a.yaml", "b.yaml"] == [f.source for f in report.findings]

    def test_facts_need_portfolio_scope(self):
        """Facts on a rule of another scope are refused, naming the rule."""
        with pytest.raises(ValueError, match="rule TST111 has facts but scope"):
            rule(
                code="TST111",
                slug="wrong-scope",
                title="Wrong",
                category="governance",
                severity="info",
                fix="None.",
                facts=_title_fact,
            )(lambda _e, _ctx: ())

    def test_facts_must_be_a_function(self):
        """Facts that are not callable are refused."""
        with pytest.raises(TypeError, match="facts must be a function"):
            rule(
                code="TST112",
                slug="not-callable",
                title="Wrong",
                category="governance",
                severity="info",
                fix="None.",
                scope="portfolio",
                facts="title",
            )(lambda _f, _ctx: ())

    def test_splits(self):
        """Only a portfolio rule without facts cannot be split."""
        assert [True, True, True, False] == [
            r.splits
            for r in (BASIC[0], shared_title_facts, many_findings, shared_title)
        ]

    def test_run_rule_gathers_facts(self):
        """Calling a facts rule with engagements gathers their facts first."""
        findings = run_rule(
            shared_title_facts,
            [clean("a", title="T"), clean("b", title="T"), clean("c", title="U")],
            as_of=AS_OF,
        )

        assert ["a", "b"] == [f.engagement for f in findings]

    def test_facts_error_is_recorded_and_stops_the_rule(self):
        """A facts function that raises is a rule error there; no finding is made."""

        def fragile_fact(engagement, _ctx):
            if engagement.id == "boom":
                raise ZeroDivisionError("no")
            return "T"

        fragile = attrs.evolve(shared_title_facts, facts=fragile_fact)
        engs = [clean("a"), clean("boom"), clean("c")]

        report = check(engs, rules=[fragile], as_of=AS_OF)
        combined = combine(
            [
                check_part(engs[:2], rules=[fragile], as_of=AS_OF),
                check_part(engs[2:], rules=[fragile], as_of=AS_OF),
            ],
            rules=[fragile],
        )

        assert () == report.findings
        assert [("TST105", "boom", "ZeroDivisionError")] == [
            (e.rule, e.engagement, e.type) for e in report.rule_errors
        ]
        assert report == combined
        assert 1 == combined.statistics["TST105"].errors

    def test_decision_error_is_a_portfolio_rule_error(self):
        """A rule that raises while deciding is recorded without an engagement."""

        def broken(_facts, ctx):
            yield ctx.finding("first", engagement="a")
            raise RuntimeError("bad")

        fragile = attrs.evolve(shared_title_facts, func=broken)
        engs = [clean("a", title="T"), clean("b", title="T")]

        report = check(engs, rules=[fragile], as_of=AS_OF)
        combined = combine(
            [check_part(engs, rules=[fragile], as_of=AS_OF)], rules=[fragile]
        )

        assert () == report.findings
        assert [("TST105", None, "bad")] == [
            (e.rule, e.engagement, e.message) for e in report.rule_errors
        ]
        assert report == combined

    def test_unknown_engagement_id(self):
        """A finding naming an id the check does not hold is a rule error."""

        def stray(_facts, ctx):
            yield ctx.finding("Stray", engagement="nope")

        fragile = attrs.evolve(shared_title_facts, func=stray)

        report = check([clean("a", title="T")], rules=[fragile], as_of=AS_OF)

        (error,) = report.rule_errors
        assert (
            "rule TST105 names engagement 'nope', which is not in this check"
        ) == error.message


def engine_origin(source):
    from outsourcekit.model import Origin

    return Origin(source=source)


class TestCombine:
    @pytest.mark.parametrize(
        "sizes", [(), (1,), (5,), (11,), (3, 3, 3), (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)]
    )
    def test_equals_the_whole_check(self, sizes):
        """However the portfolio is cut, combining the parts gives check()'s report."""
        engs = portfolio()
        whole = check(engs, rules=RULES, as_of=AS_OF)

        parts = [check_part(p, rules=RULES, as_of=AS_OF) for p in split(engs, *sizes)]
        combined = combine(parts, rules=RULES)

        assert whole == combined
        assert whole.summary == combined.summary
        assert [e.score for e in whole.engagements] == [
            e.score for e in combined.engagements
        ]
        assert whole.statistics.rules == tuple(
            attrs.evolve(s, seconds=w.seconds)
            for s, w in zip(
                combined.statistics.rules, whole.statistics.rules, strict=True
            )
        )

    @settings(max_examples=30, deadline=None)
    @given(data=st.data())
    def test_any_split_in_any_order(self, data):
        """Parts cut anywhere and combined in any order give check()'s report."""
        engs = data.draw(st.permutations(portfolio(10)))
        cuts = sorted(data.draw(st.sets(st.integers(0, len(engs)), max_size=4)))
        pieces = [
            engs[a:b] for a, b in zip([0, *cuts], [*cuts, len(engs)], strict=True)
        ]
        parts = [check_part(p, rules=RULES, as_of=AS_OF) for p in pieces]

        combined = combine(data.draw(st.permutations(parts)), rules=RULES)

        assert check(engs, rules=RULES, as_of=AS_OF) == combined

    def test_the_split_changes_what_parts_see(self):
        """No part alone holds both engagements of a shared title; the whole does."""
        engs = [clean("a", title="T"), clean("b", title="T")]

        alone = [check(e, rules=[shared_title_facts], as_of=AS_OF) for e in engs]
        parts = [check_part(e, rules=[shared_title_facts], as_of=AS_OF) for e in engs]

        assert [(), ()] == [r.findings for r in alone]
        assert ["a", "b"] == [
            f.engagement for f in combine(parts, rules=[shared_title_facts]).findings
        ]

    def test_parts_pickle(self):
        """A part survives pickling (as worker processes send it) unchanged."""
        engs = portfolio()
        part = check_part(engs, rules=RULES, as_of=AS_OF)

        copy = pickle.loads(pickle.dumps(part))  # noqa: S301 - our own data

        assert part.findings == copy.findings
        assert combine([part], rules=RULES) == combine([copy], rules=RULES)

    def test_waivers_apply_to_portfolio_findings(self):
        """Own and central waivers accept the findings decided at the end."""
        engs = [
            clean("a", title="T", waivers=(Waiver(rule="TST105", reason="Known"),)),
            clean("b", title="T"),
            clean("c", title="T"),
        ]
        config = Config(
            central_waivers=(
                CentralWaiver(
                    engagement="c", waiver=Waiver(rule="TST105", reason="Central")
                ),
            )
        )
        parts = [
            check_part([e], rules=[shared_title_facts], as_of=AS_OF, config=config)
            for e in engs
        ]

        report = combine(parts, rules=[shared_title_facts], config=config)

        assert ["Known", None, "Central"] == [f.waived for f in report.findings]
        assert [100, 98, 100] == [e.score for e in report.engagements]
        assert report == check(
            engs, rules=[shared_title_facts], as_of=AS_OF, config=config
        )

    def test_where_waivers_are_kept_survives_the_parts(self):
        """Pickled parts and findings decided at the end keep where a waiver is kept."""
        engs = [
            clean(
                "a",
                title="T",
                owner=None,
                waivers=(Waiver(rule="TST001", reason="Own"),),
            ),
            clean("b", title="T", waivers=(Waiver(rule="TST105", reason="Known"),)),
            clean("c", title="T", owner=None),
        ]
        config = Config(
            central_waivers=(
                CentralWaiver(engagement="c", waiver=Waiver(rule="TST001", reason="C")),
                CentralWaiver(
                    engagement="c", waiver=Waiver(rule="TST105", reason="Central")
                ),
            )
        )
        rules = [*BASIC, shared_title_facts]
        parts = [
            pickle.loads(  # noqa: S301 - our own data
                pickle.dumps(check_part([e], rules=rules, as_of=AS_OF, config=config))
            )
            for e in engs
        ]

        report = combine(parts, rules=rules, config=config)
        whole = check(engs, rules=rules, as_of=AS_OF, config=config)

        def kept(r):
            return [(f.engagement, f.rule, f.waived_in) for f in r.findings]

        assert [
            ("a", "TST001", "engagement"),
            ("a", "TST105", None),
            ("b", "TST105", "engagement"),
            ("c", "TST001", "central"),
            ("c", "TST105", "central"),
        ] == kept(report)
        assert kept(whole) == kept(report)

    def test_waiting_findings_settle_on_portfolio_findings(self):
        """A findings rule's unless= finding goes when a portfolio finding matches."""
        waiver = (Waiver(rule="TST105", reason="Known"),)
        engs = [
            clean("a", title="T", waivers=waiver),
            clean("b", title="T"),
            clean("c", title="U", waivers=waiver),
        ]
        rules = [shared_title_facts, unused_waiver]
        parts = [check_part([e], rules=rules, as_of=AS_OF) for e in engs]

        report = combine(parts, rules=rules)

        assert [("a", "TST105"), ("b", "TST105"), ("c", "TST106")] == [
            (f.engagement, f.rule) for f in report.findings
        ]
        assert report == check(engs, rules=rules, as_of=AS_OF)

    def test_findings_rules_see_portfolio_findings_in_a_whole_check_only(self):
        """Split, a findings rule sees the engagement's findings but the portfolio's."""
        engs = [clean("a", title="T", owner=None), clean("b", title="T")]
        rules = [*BASIC, shared_title_facts, many_findings]

        whole = check(engs, rules=rules, as_of=AS_OF)
        combined = combine([check_part(engs, rules=rules, as_of=AS_OF)], rules=rules)

        assert [("a", "TST006")] == [
            (f.engagement, f.rule) for f in whole.findings if f.rule == "TST006"
        ]
        assert [] == [f for f in combined.findings if f.rule == "TST006"]

    def test_unless_is_for_findings_rules(self):
        """An engagement rule giving unless= is a rule error naming the scope."""

        @rule(
            code="TST113",
            slug="early-unless",
            title="Early",
            category="governance",
            severity="info",
            fix="None.",
        )
        def early(_engagement, ctx):
            yield ctx.finding("x", unless=Waiver(rule="TST001", reason="r"))

        report = check([clean("a")], rules=[early], as_of=AS_OF)

        (error,) = report.rule_errors
        assert error.message.startswith(
            "rule TST113: only a rule of scope 'findings' makes a finding with unless="
        )

    def test_rule_without_facts_cannot_split(self):
        """A portfolio rule without facts is a rule error in a split check only."""
        engs = [clean("a", title="T"), clean("b", title="T")]
        rules = [shared_title, *BASIC]

        whole = check(engs, rules=rules, as_of=AS_OF)
        split_report = combine(
            [check_part([e], rules=rules, as_of=AS_OF) for e in engs], rules=rules
        )

        assert ["TST005", "TST005"] == [f.rule for f in whole.findings]
        assert () == whole.rule_errors
        assert () == split_report.findings
        (error,) = split_report.rule_errors
        assert ("TST005", None, "UnsplittableRuleError") == (
            error.rule,
            error.engagement,
            error.type,
        )
        assert "cannot run when the portfolio is checked in parts" in error.message

    def test_parts_of_other_dates_are_refused(self):
        """Parts made for different dates cannot be combined."""
        first = check_part([clean("a")], rules=BASIC, as_of="2026-01-01")
        second = check_part([clean("b")], rules=BASIC, as_of="2026-01-02")

        with pytest.raises(ValueError, match=r"same as_of \(got 2026-01-02 after"):
            combine([first, second], rules=BASIC)

    def test_parts_of_other_rules_are_refused(self):
        """A part made with other rules or severities is refused, naming both."""
        part = check_part([clean("a")], rules=BASIC[:1], as_of=AS_OF)

        with pytest.raises(ValueError, match=r"a part ran TST001 \(warning\)"):
            combine([part], rules=BASIC)

    def test_duplicate_ids_are_refused(self):
        """Two parts holding one id are refused as check() refuses them."""
        parts = [check_part([clean("a")], rules=BASIC, as_of=AS_OF)] * 2

        with pytest.raises(ValueError, match="got a more than once"):
            combine(parts, rules=BASIC)

    def test_no_parts(self):
        """Combining nothing gives an empty report for the date given."""
        report = combine([], rules=BASIC, as_of=AS_OF)

        assert (AS_OF, (), ()) == (report.as_of, report.findings, report.engagements)

    def test_without_drops_engagements(self):
        """A part without some ids combines as if they had never been in it."""
        engs = portfolio()
        part = check_part(engs, rules=RULES, as_of=AS_OF)

        smaller = part.without(["e00", "e03"])

        assert combine([smaller], rules=RULES) == check(
            [e for e in engs if e.id not in {"e00", "e03"}], rules=RULES, as_of=AS_OF
        )
        assert part is part.without(["nope"])

    def test_load_errors_are_carried(self):
        """The parts' load errors come first, then those given to combine."""
        x, y = SavedIssue(message="x"), SavedIssue(message="y")
        first = check_part([clean("a")], rules=BASIC, as_of=AS_OF, errors=[x])

        report = combine([first], rules=BASIC, errors=[y])

        assert (x, y) == report.errors


class TestCheckStream:
    def test_sink_sees_every_finding_once(self):
        """Engagements' findings in the order given, the portfolio's last."""
        engs = list(reversed(portfolio()))
        sink = Sink()

        report = check_stream(engs, rules=RULES, sink=sink, as_of=AS_OF, chunk_size=5)

        whole = check(engs, rules=RULES, as_of=AS_OF)
        assert list(whole.findings) == sink.found_sorted
        *chunks, last = sink.batches
        streamed = [f for batch in chunks for f in batch]
        place = {e.id: i for i, e in enumerate(engs)}
        assert streamed == sorted(
            streamed, key=lambda f: (place[f.engagement], f.sort_key())
        )
        assert last == sorted(last, key=lambda f: f.sort_key())
        assert {"TST105"} >= {f.rule for f in last} - {"TST106"}
        assert "begin" == sink.calls[0][0]
        assert ("end",) == sink.calls[-1]
        assert all(n for kind, *n in sink.calls if kind == "findings")
        assert report is sink.report

    def test_same_stream_however_chunked(self):
        """The findings, batch after batch, do not depend on the chunk size."""
        engs = portfolio()
        streams = []
        for size in (1, 3, 5, 100):
            sink = Sink()
            check_stream(engs, rules=RULES, sink=sink, as_of=AS_OF, chunk_size=size)
            streams.append([f for batch in sink.batches for f in batch])

        assert streams[0] == streams[1] == streams[2] == streams[3]

    def test_report_without_findings(self):
        """The streamed report holds scores and counts, not findings."""
        engs = portfolio()
        whole = check(engs, rules=RULES, as_of=AS_OF)

        report = check_stream(engs, rules=RULES, sink=Sink(), as_of=AS_OF, chunk_size=4)

        assert () == report.findings
        assert whole.summary == report.summary
        assert whole.counts == report.streamed
        assert [(e.id, e.score, dict(e.categories)) for e in whole.engagements] == [
            (e.id, e.score, dict(e.categories)) for e in report.engagements
        ]
        assert all(e.findings == () for e in report.engagements)
        assert whole.failed("info") is report.failed("info")
        assert report.failed("never") is False

    def test_streamed_report_shows_its_counts(self):
        """The repr and HTML of a streamed report count what went to the sink."""
        engs = portfolio()
        whole = check(engs, rules=RULES, as_of=AS_OF)
        report = check_stream(engs, rules=RULES, sink=Sink(), as_of=AS_OF, chunk_size=4)
        total = whole.summary["findings"]
        html = report._repr_html_()

        assert total > 0
        assert repr(whole).removesuffix(">") + ", findings streamed>" == repr(report)
        assert f"<p>{total} findings: " in html
        assert "went to a sink" in html
        assert '<th>engagement</th><th class="num">score</th><th>source</th>' in html
        assert "Findings by category" not in html

    def test_begin_names_the_rules(self):
        """begin() gets the date and the rules that run, by code."""
        sink = Sink()

        check_stream([], rules=[*BASIC], sink=sink, as_of=AS_OF)

        assert [
            ("begin", AS_OF, ("TST001", "TST002", "TST003")),
            ("end",),
        ] == sink.calls

    def test_configuration_error_comes_before_begin(self):
        """A bad configuration raises before the sink begins."""
        sink = Sink()

        with pytest.raises(ConfigError):
            check_stream([], rules=BASIC, sink=sink, config=Config(select=["NOPE"]))
        assert [] == sink.calls

    @pytest.mark.parametrize(
        ("size", "error", "message"),
        [
            (0, ValueError, r"chunk_size must be at least 1 \(got 0\)"),
            (1.5, TypeError, r"chunk_size must be a whole number \(got 1.5\)"),
            (True, TypeError, r"chunk_size must be a whole number \(got True\)"),
        ],
    )
    def test_chunk_size(self, size, error, message):
        """chunk_size is a whole number of at least 1."""
        with pytest.raises(error, match=message):
            check_stream([], rules=BASIC, sink=Sink(), chunk_size=size)

    def test_combine_arguments_before_any_part(self):
        """combine() refuses a sink, errors or locate it cannot use before any part."""
        taken = []

        def parts():
            taken.append(1)
            yield check_part([bare("a")], rules=BASIC, as_of=AS_OF)

        for arguments, message in [
            (
                {"sink": object()},
                (
                    r"^sink must have begin\(\), findings\(\) and end\(\) "
                    r"\(a ReportSink\); <object object at \w+> has no begin\(\)$"
                ),
            ),
            (
                {"errors": ["oops"]},
                (
                    r"^errors must be load errors, each with to_dict\(\) "
                    r"\(as outsourcekit\.LoadIssue\), got 'oops' \(text\) at index 0$"
                ),
            ),
            (
                {"locate": "yes"},
                (
                    r"^locate must be a function of a batch of findings and their "
                    r"engagements, or None, got 'yes' \(text\)$"
                ),
            ),
        ]:
            with pytest.raises(TypeError, match=message):
                combine(parts(), rules=BASIC, **arguments)
        assert [] == taken

    def test_holds_one_chunk(self):
        """Engagements are taken from the iterable a chunk at a time."""
        taken = []

        def engagements():
            for i in range(7):
                taken.append(i)
                yield bare(f"e{i}")

        sink = Sink()
        seen = []

        def progress(done):
            seen.append((done, len(taken)))

        check_stream(
            engagements(),
            rules=BASIC,
            sink=sink,
            as_of=AS_OF,
            chunk_size=3,
            progress=progress,
        )

        assert [(3, 3), (6, 6), (7, 7)] == seen
        assert [9, 9, 3] == [len(b) for b in sink.batches]

    def test_errors_are_read_at_the_end(self):
        """Load errors a reader collects while streaming reach the report."""
        issues = []

        def engagements():
            yield bare("a")
            issues.append(bad)

        bad = SavedIssue(source="p.jsonl", line=2, message="bad line")
        report = check_stream(
            engagements(), rules=BASIC, sink=Sink(), as_of=AS_OF, errors=issues
        )

        assert (bad,) == report.errors

    def test_duplicate_id_stops_before_its_chunk_is_sent(self):
        """An id seen in an earlier chunk raises before that chunk's findings go."""
        sink = Sink()

        with pytest.raises(ValueError, match="got a more than once"):
            check_stream(
                [bare("a"), bare("b"), bare("a")],
                rules=BASIC,
                sink=sink,
                as_of=AS_OF,
                chunk_size=2,
            )
        assert [6] == [len(b) for b in sink.batches]

    def test_stray_item(self):
        """Something that is not an engagement is refused, with its index."""
        with pytest.raises(TypeError, match="at index 0"):
            check_stream([{"id": "a"}], rules=BASIC, sink=Sink(), as_of=AS_OF)

    def test_locate_sees_each_batch_with_its_engagements(self):
        """locate gets each chunk's findings with that chunk's engagements."""
        engs = [clean("a", title="T"), clean("b", title="T"), bare("c")]
        calls = []

        def locate(findings, engagements):
            calls.append(
                (sorted({f.engagement for f in findings}), [e.id for e in engagements])
            )
            return [attrs.evolve(f, line=7) for f in findings]

        sink = Sink()
        check_stream(
            engs,
            rules=[*BASIC, shared_title_facts],
            sink=sink,
            as_of=AS_OF,
            chunk_size=2,
            locate=locate,
        )

        assert [(["c"], ["c"]), (["a", "b"], ["a", "b"])] == calls
        assert {7} == {f.line for f in sink.found}


class TestFindingCounts:
    def test_counts(self):
        """Unwaived findings count by severity; waived ones apart."""
        report = check(portfolio(), rules=RULES, as_of=AS_OF)
        counts = report.counts
        unwaived = [f for f in report.findings if f.waived is None]

        assert len(unwaived) == counts.unwaived
        assert len(report.findings) - len(unwaived) == counts.waived
        assert counts.error == sum(f.severity.value == "error" for f in unwaived)
        assert report.summary["by_severity"] == counts.by_severity()

    def test_add_and_thresholds(self):
        """Counts add up, and count at or above a level."""
        total = FindingCounts(error=1, info=2) + FindingCounts(warning=3, waived=1)

        assert FindingCounts(error=1, warning=3, info=2, waived=1) == total
        assert [1, 4, 6, 0] == [
            total.at_or_above(level) for level in ("error", "warning", "info", "never")
        ]
        assert {"error": 1, "warning": 3, "info": 2} == total.by_severity()

    @pytest.mark.parametrize(
        ("method", "args"),
        [("filter", ()), ("new_only", ()), ("diff", None), ("with_baseline", None)],
    )
    def test_streamed_report_refuses_what_needs_findings(self, method, args):
        """Filtering or comparing a streamed report says the findings went to a sink."""
        report = attrs.evolve(
            Report(as_of=AS_OF, findings=(), engagements=()),
            streamed=FindingCounts(),
            baseline={},
        )
        other = Report(as_of=AS_OF, findings=(), engagements=())

        with pytest.raises(ValueError, match=r"went to a sink \(check_stream\)"):
            getattr(report, method)(*(args if args is not None else (other,)))


class TestRuleType:
    def test_rules_pickle_by_name(self):
        """A rule made at a module's top level pickles as its name, plugin kept."""
        registered = shared_title_facts.with_plugin("acme")

        copy = pickle.loads(pickle.dumps(registered))  # noqa: S301 - our own data

        assert registered == copy
        assert "acme" == copy.plugin
        assert copy.func is shared_title_facts.func
        assert copy.facts is _title_fact
        assert len(pickle.dumps(registered)) < 200

    def test_changed_rules_pickle_whole(self):
        """A rule that differs from its module's (another severity) keeps its values."""
        louder = attrs.evolve(shared_title_facts, severity="error")

        copy = pickle.loads(pickle.dumps(louder))  # noqa: S301 - our own data

        assert "error" == copy.severity.value
        assert copy.func is shared_title_facts.func

    def test_rules_are_still_rules(self):
        """A facts rule is a Rule like any other."""
        assert isinstance(shared_title_facts, Rule)
        assert shared_title_facts.facts is _title_fact
        assert engine.UnsplittableRuleError.__name__ == "UnsplittableRuleError"


def _lambda_fact(_engagement, _ctx):
    """A fact that cannot be pickled: a function made here."""
    return lambda: 1


@rule(
    code="TST107",
    slug="unpicklable-facts",
    title="Unpicklable facts",
    category="governance",
    severity="info",
    fix="None.",
    scope="portfolio",
    facts=_lambda_fact,
)
def unpicklable_facts(facts, ctx):
    """Fires once per fact (if its facts ever arrive)."""
    for engagement, _ in facts:
        yield ctx.finding("Has a fact", engagement=engagement)


@rule(
    code="TST108",
    slug="unpicklable-evidence",
    title="Unpicklable evidence",
    category="governance",
    severity="warning",
    fix="None.",
)
def unpicklable_evidence(engagement, ctx):
    """Fires on every other engagement with evidence that cannot be pickled."""
    if engagement.id.endswith(("0", "2", "4", "6", "8")):
        yield ctx.finding("Holds a lock", evidence={"lock": threading.Lock()})


class TestUnsendable:
    """A part whose facts or evidence cannot be pickled: the rule's error alone."""

    def sent(self, part):
        """The part as a worker sends it: pickled, repaired if it must be."""
        with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
            pickle.dumps(part)
        return pickle.loads(pickle.dumps(sendable(part)))  # noqa: S301 - our own data

    def test_the_rules_are_named_and_the_rest_kept(self):
        """Each engagement's unsendable fact or evidence is its rule's error."""
        engagements = portfolio(6)
        rules = (*RULES, unpicklable_facts, unpicklable_evidence)
        parts = [
            check_part(chunk, rules=rules, as_of=AS_OF)
            for chunk in split(engagements, 3)
        ]

        report = combine(map(self.sent, parts), rules=rules, as_of=AS_OF)

        expected = check(engagements, rules=RULES, as_of=AS_OF)
        assert expected.findings == report.findings
        assert [(e.rule, e.engagement) for e in report.rule_errors] == [
            *(("TST107", e.id) for e in engagements),
            *(("TST108", e.id) for e in engagements if e.id[-1] in "02468"),
        ]
        facts, evidence = report.rule_errors[0], report.rule_errors[-1]
        assert facts.type == "AttributeError"
        assert "its facts cannot be pickled" in facts.message
        assert "must be plain picklable data" in facts.message
        assert "--jobs" in facts.message
        assert evidence.type == "TypeError"
        assert "its evidence cannot be pickled" in evidence.message
        assert "'_thread.lock'" in evidence.message
        by_rule = {s.rule: s for s in report.statistics.rules}
        assert by_rule["TST108"].findings == 0
        assert by_rule["TST108"].errors == 3
        assert by_rule["TST107"].errors == 6
        assert [e.score for e in expected.engagements] == [
            e.score for e in report.engagements
        ]

    def test_a_part_that_pickles_is_left_alone(self):
        """Nothing to drop: the same part."""
        part = check_part(portfolio(4), rules=RULES, as_of=AS_OF)

        assert sendable(part) is part
