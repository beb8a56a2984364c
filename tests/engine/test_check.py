"""Tests of check(): running rules, recording failures, ordering, statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
import pytest
from rules_for_tests import (
    AS_OF,
    BASIC,
    bare,
    clean,
    fragile,
    many_findings,
    no_owner,
    no_vision,
    shared_title,
)

import outsourcekit
from outsourcekit import check, engine, plugins
from outsourcekit.engine import Config, ConfigError, Finding, Option, Severity, rule
from outsourcekit.engine._check import BLOCK, run_check
from outsourcekit.hookspecs import hookimpl
from outsourcekit.io import LoadError, LoadIssue
from outsourcekit.model import Waiver
from outsourcekit.testing import run_rule
from sinks import Sink


def keys(report):
    return [(f.engagement, f.rule, f.path) for f in report.findings]


class TestScopes:
    def test_engagement_rules_run_on_every_engagement(self):
        """Each engagement rule sees each engagement once."""
        report = check([bare("b"), clean("c"), bare("a")], as_of=AS_OF, rules=BASIC)

        assert [
            ("a", "TST002", "objectives"),
            ("a", "TST001", "owner"),
            ("a", "TST003", "vision"),
            ("b", "TST002", "objectives"),
            ("b", "TST001", "owner"),
            ("b", "TST003", "vision"),
        ] == keys(report)

    def test_single_engagement(self):
        """A single engagement may be passed without a list."""
        report = check(bare("x"), as_of=AS_OF, rules=[no_owner])

        assert [("x", "TST001", "owner")] == keys(report)

    def test_portfolio_rule_runs_once_over_all(self):
        """A portfolio rule sees every engagement at once and picks their findings."""
        engs = [clean("a", title="T"), clean("b", title="T"), clean("c", title="U")]

        report = check(engs, as_of=AS_OF, rules=[shared_title])

        assert [("a", "TST005", "title"), ("b", "TST005", "title")] == keys(report)

    def test_findings_rule_sees_that_engagements_raw_findings(self):
        """A findings rule gets the other rules' findings of its engagement only."""
        engs = [bare("a"), clean("b", owner=None)]

        report = check(engs, as_of=AS_OF, rules=[*BASIC, many_findings])

        found = [f for f in report.findings if f.rule == "TST006"]
        assert [("a", {"count": 3})] == [(f.engagement, f.evidence) for f in found]

    def test_explicit_rules_replace_the_registry(self):
        """rules= runs exactly the rules given, and report.rules lists them by code."""
        report = check(bare(), as_of=AS_OF, rules=[no_vision, no_owner])

        assert ["TST001", "TST003"] == [r.code for r in report.rules]

    def test_registry_is_used_without_rules(self, monkeypatch):
        """Without rules= the registered rules run, plugins' included."""

        class Plugin:
            @hookimpl
            def outsourcekit_register_rules(self):
                return [no_owner]

        monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", ())
        plugins.register(Plugin(), name="mine")

        report = check(bare(), as_of=AS_OF)

        assert [("TST001", "mine")] == [(r.code, r.plugin) for r in report.rules]


class TestRuleErrors:
    def test_raising_rule_is_recorded_and_others_continue(self):
        """A ZeroDivisionError on one engagement leaves every other finding intact."""
        engs = [bare("a"), bare("boom"), bare("c")]

        with_fragile = check(engs, as_of=AS_OF, rules=[*BASIC, fragile])
        without = check(engs, as_of=AS_OF, rules=BASIC)

        others = [f for f in with_fragile.findings if f.rule != "TST004"]
        assert list(without.findings) == others
        assert [("TST004", "boom", "ZeroDivisionError", "division by zero")] == [
            (e.rule, e.engagement, e.type, e.message) for e in with_fragile.rule_errors
        ]

    def test_system_exit_is_recorded(self):
        """A rule raising SystemExit is recorded like any exception."""

        @rule(
            code="TST091",
            slug="exits",
            title="t",
            category="governance",
            severity="info",
            fix="f",
        )
        def exits(engagement, _ctx):
            raise SystemExit(engagement.id)
            yield

        report = check([bare("a")], as_of=AS_OF, rules=[exits, no_owner])

        assert (
            [("a", "TST001", "owner")],
            [("TST091", "a", "SystemExit", "a")],
        ) == (
            keys(report),
            [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors],
        )

    def test_failing_calls_findings_are_dropped(self):
        """What the rule yielded before raising on an engagement is discarded."""
        report = check([bare("a"), bare("boom")], as_of=AS_OF, rules=[fragile])

        assert [("a", "TST004", "title")] == keys(report)

    def test_traceback_is_kept(self):
        """The rule error keeps the traceback for debugging."""
        report = check(bare("boom"), as_of=AS_OF, rules=[fragile])

        assert "ZeroDivisionError" in report.rule_errors[0].traceback

    def test_portfolio_rule_error_has_no_engagement(self):
        """A portfolio rule that raises is recorded without an engagement."""

        @rule(
            code="TST090",
            slug="broken-portfolio",
            title="t",
            category="governance",
            severity="info",
            fix="f",
            scope="portfolio",
        )
        def broken(engagements, ctx):
            yield ctx.finding("x", engagement=engagements[0])
            raise KeyError("vendor")

        report = check([bare("a")], as_of=AS_OF, rules=[broken, no_owner])

        assert [("a", "TST001", "owner")] == keys(report)
        assert [("TST090", None, "KeyError")] == [
            (e.rule, e.engagement, e.type) for e in report.rule_errors
        ]

    def test_yielding_something_else_is_a_rule_error(self):
        """A rule that yields a non-finding is recorded; its real findings stay."""

        @rule(
            code="TST091",
            slug="sloppy",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def sloppy(_engagement, ctx):
            yield "not a finding"
            yield ctx.finding("real", path="x")

        report = check(bare("a"), as_of=AS_OF, rules=[sloppy])

        assert [("a", "TST091", "x")] == keys(report)
        assert ["TypeError"] == [e.type for e in report.rule_errors]
        assert "yielded 'not a finding' (a str) instead of a Finding" in (
            report.rule_errors[0].message
        )

    def test_yielding_a_number_names_its_kind_with_its_article(self):
        """The kind of what a rule yielded reads as English: an int."""

        @rule(
            code="TST097",
            slug="yields-a-number",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def numbers(_engagement, _ctx):
            yield 5

        report = check(bare("a"), as_of=AS_OF, rules=[numbers])

        assert "yielded 5 (an int) instead of a Finding" in (
            report.rule_errors[0].message
        )

    def test_yielding_something_else_names_each_engagement(self):
        """Each engagement on which a rule yielded a non-finding has its error."""

        @rule(
            code="TST094",
            slug="sloppy-sometimes",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def sloppy_sometimes(engagement, ctx):
            if engagement.id in {"b", "d"}:
                yield None
            yield ctx.finding("real", path="x")

        engagements = [bare(eid) for eid in "abcde"]
        whole = check(engagements, as_of=AS_OF, rules=[sloppy_sometimes])
        parts = [
            check(engagements[:2], as_of=AS_OF, rules=[sloppy_sometimes]),
            check(engagements[2:], as_of=AS_OF, rules=[sloppy_sometimes]),
        ]

        assert [("TST094", "b"), ("TST094", "d")] == [
            (e.rule, e.engagement) for e in whole.rule_errors
        ]
        assert whole.rule_errors == tuple(e for p in parts for e in p.rule_errors)
        assert 5 == len(whole.findings)

    @pytest.mark.parametrize(
        ("scope", "returned", "shown"),
        [
            ("engagement", 5, "5 (a whole number)"),
            ("engagement", None, "None"),
            ("findings", 5, "5 (a whole number)"),
            ("portfolio", 5.5, "5.5 (a number)"),
            ("portfolio with facts", 5, "5 (a whole number)"),
        ],
    )
    def test_returning_no_findings_at_all(self, scope, returned, shown):
        """A rule returning what holds no findings is a rule error saying so."""
        facts = None
        if scope == "portfolio with facts":
            scope, facts = "portfolio", lambda engagement, _ctx: engagement.id

        @rule(
            code="TST095",
            slug="returns-no-findings",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
            scope=scope,
            facts=facts,
        )
        def returns(_target, _ctx):
            return returned

        report = check(bare("a"), as_of=AS_OF, rules=[returns, no_owner])

        assert [("a", "TST001", "owner")] == keys(report)
        assert [
            (
                "TST095",
                None if scope == "portfolio" else "a",
                "TypeError",
                (
                    f"rule TST095 returned {shown} instead of findings; a rule "
                    "yields findings built with ctx.finding()"
                ),
            )
        ] == [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors]

    def test_type_error_of_the_rule_itself_stays(self):
        """A TypeError the rule's own code raises is recorded as it is."""

        @rule(
            code="TST096",
            slug="adds-text",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def adds_text(_engagement, ctx):
            yield ctx.finding("x" + 1, path="x")  # type: ignore[operator]

        report = check(bare("a"), as_of=AS_OF, rules=[adds_text])

        assert [("TypeError", 'can only concatenate str (not "int") to str')] == [
            (e.type, e.message) for e in report.rule_errors
        ]

    @pytest.mark.parametrize("scope", ["engagement", "portfolio"])
    def test_error_whose_message_cannot_be_read(self, scope):
        """An exception whose str() raises is a rule error; the check goes on."""

        class UnprintableError(Exception):
            def __str__(self):
                raise RuntimeError("no message")

        @rule(
            code="TST098",
            slug="unprintable",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
            scope=scope,
        )
        def unprintable(_target, _ctx):
            raise UnprintableError
            yield

        engs = [bare("a"), bare("b")]
        report = check(engs, as_of=AS_OF, rules=[unprintable, no_owner])

        engagements = [None] if scope == "portfolio" else ["a", "b"]
        assert [("a", "TST001", "owner"), ("b", "TST001", "owner")] == keys(report)
        assert [
            (
                "TST098",
                eid,
                "UnprintableError",
                "(its message cannot be shown: str() raised RuntimeError: no message)",
            )
            for eid in engagements
        ] == [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors]

    def test_yielding_what_cannot_show_itself(self):
        """A yielded non-finding whose repr() raises is named by its type."""

        class Odd:
            def __repr__(self):
                raise RuntimeError("no repr")

        @rule(
            code="TST098",
            slug="odd",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def odd(_engagement, _ctx):
            yield Odd()

        report = check(bare("a"), as_of=AS_OF, rules=[odd, no_owner])

        assert [("a", "TST001", "owner")] == keys(report)
        assert [
            (
                "TST098",
                "a",
                (
                    "rule TST098 yielded <Odd object> (an Odd) instead of a "
                    "Finding; build findings with ctx.finding()"
                ),
            )
        ] == [(e.rule, e.engagement, e.message) for e in report.rule_errors]

    def test_findings_rule_yielding_something_else_names_each_engagement(self):
        """A findings rule's non-finding is an error of its engagement, split or not."""

        @rule(
            code="TST093",
            slug="sloppy-late",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
            scope="findings",
        )
        def sloppy_late(engagement, ctx):
            if engagement.id in {"b", "d"}:
                yield None
            yield ctx.finding("real", path="x")

        engagements = [bare(eid) for eid in "abcde"]
        whole = check(engagements, as_of=AS_OF, rules=[sloppy_late])
        streamed = outsourcekit.check_stream(
            engagements, sink=Sink(), as_of=AS_OF, rules=[sloppy_late], chunk_size=2
        )

        expected = [
            (
                "TST093",
                eid,
                (
                    "rule TST093 yielded None (a NoneType) instead of a Finding; "
                    "build findings with ctx.finding()"
                ),
            )
            for eid in "bd"
        ]
        assert expected == [
            (e.rule, e.engagement, e.message) for e in whole.rule_errors
        ]
        assert whole.rule_errors == streamed.rule_errors
        assert 5 == len(whole.findings)

    @pytest.mark.parametrize("scope", ["engagement", "findings", "portfolio"])
    def test_finding_of_another_rule_is_a_rule_error(self, scope):
        """A rule yielding another rule's finding is recorded, the finding left out."""

        @rule(
            code="TST099",
            slug="forger",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
            scope=scope,
        )
        def forger(target, ctx):
            eng = target[0] if scope == "portfolio" else target
            real = ctx.finding("real", path="x", engagement=eng)
            yield real
            yield attrs.evolve(real, rule="OSK601", slug="missing-nda")

        report = check(bare("a"), as_of=AS_OF, rules=[forger])

        assert [("a", "TST099", "x")] == keys(report)
        assert [
            (
                "TST099",
                None if scope == "portfolio" else "a",
                "ValueError",
                (
                    "rule TST099 yielded a finding of rule OSK601; a rule yields "
                    "only its own findings, built with ctx.finding()"
                ),
            )
        ] == [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors]

    def test_reraise_for_tests(self):
        """run_check(reraise=True) lets the exception through."""
        with pytest.raises(ZeroDivisionError):
            run_check([bare("boom")], as_of=AS_OF, rules=[fragile], reraise=True)

    def test_errors_counted_in_statistics(self):
        """The statistics count each rule's errors."""
        report = check([bare("boom")], as_of=AS_OF, rules=[fragile])

        assert 1 == report.statistics["TST004"].errors


class TestInputs:
    def test_a_rule_given_twice_runs_once(self):
        """The same rule named twice in ``rules=`` runs once, its findings once."""
        once = check(bare(), as_of=AS_OF, rules=[no_owner])
        twice = check(bare(), as_of=AS_OF, rules=[no_owner, no_vision, no_owner])

        assert 1 == len(once.findings)
        assert once.findings == tuple(
            f for f in twice.findings if f.rule == no_owner.code
        )
        assert [no_owner.code, no_vision.code] == [r.code for r in twice.rules]

    def test_as_of_defaults_to_today(self):
        """Without as_of the check is for the machine's local date."""
        assert dt.date.today() == check([], rules=[]).as_of

    def test_as_of_from_text_and_datetime(self):
        """An ISO date text or a date-time is taken as its date."""
        from_text = check([], as_of="2026-01-31", rules=[]).as_of
        from_datetime = check([], as_of=dt.datetime(2026, 1, 31, 9), rules=[]).as_of

        assert (dt.date(2026, 1, 31), dt.date(2026, 1, 31)) == (
            from_text,
            from_datetime,
        )

    def test_bad_as_of(self):
        """An as_of that is no date names what it got."""
        with pytest.raises(
            TypeError,
            match=r"as_of must be a date like 2026-11-22 \(got '31/01/2026'\)",
        ):
            check([], as_of="31/01/2026", rules=[])

    def test_config_that_is_no_config(self):
        """A mapping given as the configuration says how to make one."""
        for run in (
            lambda: check([], as_of=AS_OF, rules=[], config={"select": ["OSK6"]}),
            lambda: engine.check_stream(
                [], rules=[], sink=_NullSink(), as_of=AS_OF, config={"select": []}
            ),
        ):
            with pytest.raises(
                TypeError,
                match=r"^config must be an outsourcekit\.Config "
                r"\(Config\.from_mapping\(\) reads a mapping\), got a dict$",
            ):
                run()

    def test_sink_that_is_no_sink(self):
        """check_stream() names what its sink lacks."""
        with pytest.raises(
            TypeError,
            match=r"^sink must have begin\(\), findings\(\) and end\(\) "
            r"\(a ReportSink\); None has no begin\(\)$",
        ):
            engine.check_stream([], rules=[], sink=None, as_of=AS_OF)
        with pytest.raises(TypeError, match=r"; <object object at \w+> has no begin"):
            outsourcekit.check_stream([], rules=[], sink=object(), as_of=AS_OF)

    def test_rule_named_by_no_text(self):
        """A rule is named by its code or slug, as text."""
        with pytest.raises(
            TypeError,
            match=r"^a rule is named by its code or slug \(text\), got 601 \(an int\)$",
        ):
            engine.find_rule(601, BASIC)

    def test_not_an_engagement(self):
        """Passing raw data instead of engagements says how to load it."""
        with pytest.raises(
            TypeError, match=r"got \{'id': 'x'\} that is a dict, at index 1"
        ):
            check([bare(), {"id": "x"}], as_of=AS_OF, rules=[])

    def test_duplicate_ids(self):
        """Two engagements with one id cannot be told apart in a report."""
        with pytest.raises(ValueError, match="got a, b more than once"):
            check([bare("a"), bare("b"), bare("a"), bare("b")], as_of=AS_OF, rules=[])

    def test_not_a_rule(self):
        """rules= must hold rules."""
        with pytest.raises(
            TypeError, match="rules must be Rule objects made with @rule"
        ):
            check([], as_of=AS_OF, rules=[len])

    def test_load_errors_are_carried(self):
        """errors= are put into the report unchanged."""

        @attrs.frozen
        class Issue:
            message: str

            def to_dict(self):
                return {
                    "source": "x.yaml",
                    "line": 1,
                    "column": 2,
                    "path": "id",
                    "message": self.message,
                }

        issue = Issue("broken")

        assert (issue,) == check([], as_of=AS_OF, rules=[], errors=[issue]).errors


#: What errors= takes, as its errors say.
LOAD_ERRORS = r"load errors, each with to_dict\(\) \(as outsourcekit\.LoadIssue\)"
#: The ways to check: the facades and the engine's, whole and streamed.
HOW = ("check", "engine.check", "check_stream", "engine.check_stream")


def _run(how, engagements, **arguments):
    """Check *engagements* the way *how* names; a streamed check sends to ``sink``."""
    arguments = {"rules": BASIC, **arguments}
    if how == "check":
        arguments.pop("sink")
        return outsourcekit.check(engagements, **arguments)
    if how == "engine.check":
        arguments.pop("sink")
        return engine.check(engagements, **arguments)
    stream = outsourcekit.check_stream if how == "check_stream" else engine.check_stream
    return stream(engagements, **arguments)


def _reading(engagements, read):
    """Yield *engagements*, noting each in *read* as it is taken."""
    for eng in engagements:
        read.append(eng.id)
        yield eng


class TestArguments:
    """An argument that is not what it takes is a TypeError, before any work."""

    @pytest.mark.parametrize("how", HOW)
    @pytest.mark.parametrize(
        ("errors", "message"),
        [
            (
                ["oops"],
                rf"^errors must be {LOAD_ERRORS}, got 'oops' \(text\) at index 0$",
            ),
            ("oops", rf"^errors must be a list of {LOAD_ERRORS}, got 'oops' \(text\)$"),
            (3, rf"^errors must be a list of {LOAD_ERRORS}, got 3 \(a whole number\)$"),
            (
                [
                    LoadError(
                        [
                            LoadIssue(
                                source="a.yaml",
                                line=1,
                                column=1,
                                path="id",
                                message="bad",
                            )
                        ]
                    )
                ],
                (
                    rf"^errors must be {LOAD_ERRORS}, got LoadError\(.* "
                    r"\(a LoadError\) at index 0; the load errors of a LoadError are "
                    r"its issues$"
                ),
            ),
        ],
    )
    def test_errors_that_are_no_load_errors(self, how, errors, message):
        """errors= takes load errors: anything else fails at once, not in to_dict()."""
        read, sink = [], Sink()

        with pytest.raises(TypeError, match=message):
            _run(
                how, _reading([bare("a")], read), sink=sink, as_of=AS_OF, errors=errors
            )
        assert ([], []) == (read, sink.calls)

    @pytest.mark.parametrize("how", ["check_stream", "engine.check_stream"])
    def test_errors_read_late_are_checked_before_the_end(self, how):
        """Load errors an iterator gives are checked as it is read: before end()."""
        sink = Sink()

        def errors():
            yield LoadIssue(source="a.yaml", line=1, column=1, path="id", message="bad")
            yield "oops"

        with pytest.raises(
            TypeError,
            match=rf"^errors must be {LOAD_ERRORS}, got 'oops' \(text\) at index 1$",
        ):
            _run(how, [bare("a")], sink=sink, as_of=AS_OF, errors=errors())
        assert ["begin", "findings"] == [call[0] for call in sink.calls]

    @pytest.mark.parametrize("how", ["check_stream", "engine.check_stream"])
    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (
                {"progress": "yes"},
                (
                    r"^progress must be a function of the number of engagements "
                    r"checked so far, or None, got 'yes' \(text\)$"
                ),
            ),
            ({"chunk_size": "4"}, r"^chunk_size must be a whole number \(got '4'\)$"),
            (
                {"sink": None},
                (
                    r"^sink must have begin\(\), findings\(\) and end\(\) "
                    r"\(a ReportSink\); None has no begin\(\)$"
                ),
            ),
        ],
    )
    def test_stream_arguments_before_reading(self, how, arguments, message):
        """A bad argument of a streamed check fails before anything is read or sent."""
        read, sink = [], Sink()

        with pytest.raises(TypeError, match=message):
            _run(
                how,
                _reading([bare("a"), bare("b")], read),
                as_of=AS_OF,
                **{"sink": sink, "chunk_size": 1, **arguments},
            )
        assert ([], []) == (read, sink.calls)

    def test_locate_that_is_no_function(self):
        """The engine's locate= is a function, refused before anything is read."""
        read, sink = [], Sink()

        with pytest.raises(
            TypeError,
            match=r"^locate must be a function of a batch of findings and their "
            r"engagements, or None, got 3 \(a whole number\)$",
        ):
            engine.check_stream(
                _reading([bare("a")], read), rules=BASIC, sink=sink, locate=3
            )
        assert ([], []) == (read, sink.calls)

    @pytest.mark.parametrize("how", HOW)
    @pytest.mark.parametrize(
        ("engagements", "got"),
        [
            (
                "engagements/",
                r"'engagements/' \(text\): read files with outsourcekit\.",
            ),
            (
                {"id": "a"},
                (
                    r"\{'id': 'a'\} \(a mapping\): make an engagement of data with "
                    r"outsourcekit\.from_dict\(\)$"
                ),
            ),
            (None, "None$"),
        ],
    )
    def test_engagements_that_are_none(self, how, engagements, got):
        """Text, a mapping or None are no engagements, and say how to read them."""
        sink = Sink()
        what = how.removeprefix("engine.")

        with pytest.raises(
            TypeError,
            match=rf"^{what}\(\) expects Engagement objects \(one, or an iterable "
            rf"of them\), got {got}",
        ) as raised:
            _run(how, engagements, sink=sink, as_of=AS_OF)
        assert [] == sink.calls
        if isinstance(engagements, str):
            reader = "iter_load" if what == "check_stream" else "load"
            assert str(raised.value).endswith(f"outsourcekit.{reader}()")

    @pytest.mark.parametrize("how", HOW)
    def test_rules_that_are_no_list(self, how):
        """rules= is a list of rules: one rule, or a code, says so."""
        sink = Sink()

        with pytest.raises(
            TypeError,
            match=r"^rules must be a list of Rule objects, got one rule \(TST001\): "
            r"put it in a list$",
        ):
            _run(how, [bare("a")], sink=sink, as_of=AS_OF, rules=no_owner)
        with pytest.raises(
            TypeError,
            match=r"^rules must be a list of Rule objects made with @rule, "
            r"got 'TST001' \(text\)$",
        ):
            _run(how, [bare("a")], sink=sink, as_of=AS_OF, rules="TST001")
        assert [] == sink.calls


class TestConfiguration:
    def test_select_and_ignore(self):
        """Only selected rules that are not ignored run."""
        config = Config(select=["clarity"], ignore=["TST003"])

        report = check(bare(), as_of=AS_OF, config=config, rules=BASIC)

        assert ["TST002"] == [r.code for r in report.rules]

    def test_severity_override(self):
        """An overridden severity is the findings' severity and report.rules'."""
        config = Config(severity={"no-owner-here": "error"})

        report = check(bare(), as_of=AS_OF, config=config, rules=[no_owner])

        assert (Severity.ERROR, Severity.ERROR) == (
            report.findings[0].severity,
            report.rules[0].severity,
        )

    @pytest.mark.parametrize("configured", ["warning", "info"])
    def test_severity_override_of_escalated_findings(self, configured):
        """A configured severity holds even where it is the rule's own default."""

        @rule(
            code="TST093",
            slug="escalates",
            title="t",
            category="clarity",
            severity="warning",
            fix="f",
        )
        def escalates(_engagement, ctx):
            found = ctx.finding("m", path="title")
            yield attrs.evolve(found, severity=Severity.ERROR)

        default = check(bare(), as_of=AS_OF, rules=[escalates])
        config = Config(severity={"escalates": configured})
        report = check(bare(), as_of=AS_OF, config=config, rules=[escalates])

        assert Severity.ERROR == default.findings[0].severity
        assert Severity(configured) == report.findings[0].severity
        assert report.engagements[0].score > default.engagements[0].score

    def test_options_changed_by_a_rule_are_its_runs_own(self):
        """A rule changing its options changes them for that check only."""

        @rule(
            code="TST095",
            slug="greedy",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
            options={"names": Option(default=["a"], type=list)},
        )
        def greedy(_engagement, ctx):
            ctx.options["names"].append("more")
            yield ctx.finding(",".join(ctx.options["names"]), path="title")

        config = Config(rules={"greedy": {"names": ["b"]}})
        first = check(bare(), as_of=AS_OF, rules=[greedy])
        second = check(bare(), as_of=AS_OF, rules=[greedy])
        configured = [
            check(bare(), as_of=AS_OF, rules=[greedy], config=config) for _ in "12"
        ]

        assert ["a,more", "a,more"] == [r.findings[0].message for r in (first, second)]
        assert ["b,more", "b,more"] == [r.findings[0].message for r in configured]

    def test_severity_override_of_hand_made_findings(self):
        """Findings a rule builds itself still get the configured severity."""

        @rule(
            code="TST092",
            slug="by-hand",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def by_hand(engagement, _ctx):
            yield Finding(
                rule="TST092",
                slug="by-hand",
                category="clarity",
                severity=Severity.INFO,
                engagement=engagement.id,
                path="",
                message="m",
                fix="f",
            )

        config = Config(severity={"TST092": "warning"})
        report = check(bare(), as_of=AS_OF, config=config, rules=[by_hand])

        assert Severity.WARNING == report.findings[0].severity

    def test_hand_made_finding_with_severity_as_text(self):
        """A finding a rule builds with a severity's name reports as any other."""

        @rule(
            code="TST093",
            slug="by-hand-named",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def by_hand(engagement, _ctx):
            yield Finding(
                rule="TST093",
                slug="by-hand-named",
                category="clarity",
                severity="error",
                engagement=engagement.id,
                path="",
                message="m",
                fix="f",
            )

        report = check(bare(), as_of=AS_OF, rules=[by_hand])

        assert Severity.ERROR is report.findings[0].severity
        assert "error" == report.to_dict()["findings"][0]["severity"]
        assert report.failed("error")

    def test_finding_with_unknown_severity(self):
        """A finding with a severity no level has is refused, naming the choices."""
        with pytest.raises(
            ValueError,
            match=r"^severity must be one of info, warning, error \(got 'fatal'\)$",
        ):
            Finding(
                rule="TST093",
                slug="by-hand-named",
                category="clarity",
                severity="fatal",
                engagement="a",
                path="",
                message="m",
                fix="f",
            )

    def test_options_reach_the_rule(self):
        """A configured option replaces the default in ctx.options."""
        config = Config(rules={"no-vision-here": {"min-length": 100}})

        report = check(clean(), as_of=AS_OF, config=config, rules=BASIC)

        assert [("clean", "TST003", "vision")] == keys(report)

    def test_unknown_rule_in_config(self):
        """An unknown name fails the check with a suggestion."""
        config = Config(select=["no-owner-her"])

        with pytest.raises(ConfigError, match="did you mean 'no-owner-here'"):
            check(bare(), as_of=AS_OF, config=config, rules=BASIC)

    def test_context_knows_selection_and_waivers(self):
        """ctx.is_selected and ctx.waivers answer for this run."""
        seen = {}

        @rule(
            code="TST093",
            slug="spy",
            title="t",
            category="governance",
            severity="info",
            fix="f",
        )
        def spy(engagement, ctx):
            seen["selected"] = (
                ctx.is_selected("TST001"),
                ctx.is_selected("no-vision-here"),
            )
            seen["waivers"] = [w.rule for w in ctx.waivers(engagement)]
            return ()

        from rules_for_tests import waiver

        eng = bare(waivers=[waiver("TST001")])
        check(eng, as_of=AS_OF, config=Config(ignore=["TST003"]), rules=[*BASIC, spy])

        assert {"selected": (True, False), "waivers": ["TST001"]} == seen


class TestOrderAndResults:
    def test_findings_order(self):
        """Findings are ordered by engagement, severity (errors first), code, path."""
        report = check([bare("b"), bare("a")], as_of=AS_OF, rules=BASIC)

        assert [f.sort_key() for f in report.findings] == sorted(
            f.sort_key() for f in report.findings
        )
        assert ["error", "warning", "info"] == [
            f.severity.value for f in report.findings[:3]
        ]

    def test_order_does_not_depend_on_input_order(self):
        """Shuffled engagements and rules give an equal report."""
        engs = [bare("a"), clean("b"), bare("c", owner="x")]

        one = check(engs, as_of=AS_OF, rules=BASIC)
        two = check(engs[::-1], as_of=AS_OF, rules=BASIC[::-1])

        assert one == two

    def test_many_blocks(self):
        """Engagements beyond one block come out as a plain loop would sort them."""
        engs = [
            bare(f"e{i:04}") if i % 3 else clean(f"e{i:04}")
            for i in range(BLOCK * 3 + 7)
        ]
        rules = [*BASIC, fragile, shared_title]

        report = check(engs[::-1], as_of=AS_OF, rules=rules)

        expected = [f for r in rules for f in run_rule(r, engs, as_of=AS_OF)]
        assert sorted(expected, key=Finding.sort_key) == list(report.findings)

    def test_engagement_results(self):
        """Each engagement has a result, by id, with its findings and categories."""
        report = check([clean("z"), bare("a")], as_of=AS_OF, rules=BASIC)

        assert ["a", "z"] == [e.id for e in report.engagements]
        assert {"clarity": 100, "governance": 100} == dict(
            report.by_engagement["z"].categories
        )
        assert 3 == len(report.by_engagement["a"].findings)

    def test_finding_of_an_engagement_outside_the_run(self):
        """A finding about an unknown engagement is kept but scores no one."""

        @rule(
            code="TST094",
            slug="stray",
            title="t",
            category="governance",
            severity="error",
            fix="f",
            scope="portfolio",
        )
        def stray(_engagements, ctx):
            yield ctx.finding("elsewhere", engagement=bare("b-outside"))

        report = check([bare("a"), bare("c")], as_of=AS_OF, rules=[stray, no_owner])

        assert [("a", "TST001"), ("b-outside", "TST094"), ("c", "TST001")] == [
            (f.engagement, f.rule) for f in report.findings
        ]
        assert [("a", 94, 1), ("c", 94, 1)] == [
            (e.id, e.score, len(e.findings)) for e in report.engagements
        ]

    def test_statistics(self):
        """Statistics count each rule's findings and time it."""
        report = check([bare("a"), bare("b"), clean("c")], as_of=AS_OF, rules=BASIC)

        stats = report.statistics["TST001"]
        assert (2, 0, 0) == (stats.findings, stats.waived, stats.errors)
        assert stats.seconds >= 0.0
        assert {"clarity": 4, "governance": 2} == {
            c: s.findings for c, s in report.statistics.by_category().items()
        }

    def test_statistics_count_the_findings_kept(self):
        """Each rule's count is of its findings the report holds, waived or not.

        Findings of a call that raised, yielded non-findings, another rule's
        findings and findings dropped by ``unless=`` are not counted; severity
        overrides and waivers do not change the count.
        """

        @rule(
            code="TST095",
            slug="odd-yields",
            title="Odd yields",
            category="clarity",
            severity="warning",
            fix="f",
        )
        def odd_yields(_engagement, ctx):
            yield ctx.finding("kept", path="a")
            yield "not a finding"
            yield Finding(**{**attrs.asdict(ctx.finding("x")), "rule": "TST001"})
            yield ctx.finding("kept too", path="b")

        @rule(
            code="TST096",
            slug="unless-vision",
            title="Unless vision",
            category="clarity",
            severity="info",
            fix="f",
            scope="findings",
        )
        def unless_vision(_engagement, ctx):
            yield ctx.finding("dropped", unless=Waiver(rule="TST003", reason="r"))
            yield ctx.finding("kept", path="c")

        engagements = [
            bare("a", waivers=(Waiver(rule="TST001", reason="Known"),)),
            bare("boom"),
            clean("c"),
        ]
        config = Config(severity={"TST004": "error"})

        report = check(
            engagements,
            as_of=AS_OF,
            rules=[*BASIC, fragile, shared_title, odd_yields, unless_vision],
            config=config,
        )

        held = Counter(f.rule for f in report.findings)
        counted = {
            s.rule: s.findings + s.waived
            for s in report.statistics.rules
            if s.findings + s.waived
        }
        assert held == counted
        assert (1, 1) == (
            report.statistics["TST001"].waived,
            report.statistics["TST004"].errors,
        )
        assert {
            "TST001": 2,
            "TST002": 2,
            "TST003": 2,
            "TST004": 2,
            "TST095": 6,
            "TST096": 4,
        } == counted


class TestReportReadyHook:
    def test_hook_sees_report(self):
        """Every plugin's report_ready sees the finished report."""
        seen = []

        class Plugin:
            @hookimpl
            def outsourcekit_report_ready(self, report):
                seen.append(report.summary["findings"])

        plugins.register(Plugin(), name="spy")
        check(bare(), as_of=AS_OF, rules=BASIC)

        assert [3] == seen

    def test_hook_failure_is_a_plugin_error(self):
        """A report_ready hook that raises is a plugin error; the others still run."""
        seen = []

        class Broken:
            @hookimpl
            def outsourcekit_report_ready(self):
                raise RuntimeError("cannot post")

        class Fine:
            @hookimpl
            def outsourcekit_report_ready(self, report):
                seen.append(report.as_of)

        plugins.register(Broken(), name="broken")
        plugins.register(Fine(), name="fine")

        report = check(bare(), as_of=AS_OF, rules=BASIC)

        assert [AS_OF] == seen
        assert [
            ("broken", "outsourcekit_report_ready raised RuntimeError: cannot post")
        ] == [(e.plugin, e.message) for e in report.plugin_errors]

    @pytest.mark.parametrize("first", ["alpha", "beta"])
    def test_plugin_errors_in_plugin_order(self, first):
        """Plugin errors are listed by plugin, whichever was registered first."""

        def broken(name):
            def outsourcekit_report_ready(_self):
                raise RuntimeError(f"{name} cannot post")

            return type(
                name,
                (),
                {"outsourcekit_report_ready": hookimpl(outsourcekit_report_ready)},
            )()

        names = ["alpha", "beta"] if first == "alpha" else ["beta", "alpha"]
        for name in names:
            plugins.register(broken(name), name=name)

        report = check(bare(), as_of=AS_OF, rules=BASIC)
        yearly = outsourcekit.history(bare(), dates=[AS_OF], rules=BASIC)

        expected = [
            (
                "alpha",
                "outsourcekit_report_ready raised RuntimeError: alpha cannot post",
            ),
            ("beta", "outsourcekit_report_ready raised RuntimeError: beta cannot post"),
        ]
        assert [expected] * 2 == [
            [(e.plugin, e.message) for e in r.plugin_errors]
            for r in (report, yearly[0])
        ]

    def test_engine_calls_no_plugin(self):
        """The engine's own check runs the rules it is handed and calls no hook."""
        seen = []

        class Plugin:
            @hookimpl
            def outsourcekit_report_ready(self, report):
                seen.append(report)

        plugins.register(Plugin(), name="spy")
        engine.check([bare()], as_of=AS_OF, rules=BASIC)

        assert [] == seen


class _NullSink:
    """A sink that keeps nothing."""

    def begin(self, as_of, rules):
        pass

    def findings(self, batch):
        pass

    def end(self, report):
        pass
