"""Tests of the report: its JSON document, summary, filters, failure and diffs."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
import sys

import attrs
import pytest
from rules_for_tests import (
    AS_OF,
    BASIC,
    bare,
    clean,
    fragile,
    many_findings,
    waiver,
)

from outsourcekit import __version__, check
from outsourcekit.config import read_report
from outsourcekit.engine import (
    Config,
    Finding,
    FindingCounts,
    PluginVersion,
    Report,
    ReportDiff,
    Severity,
    SkippedFile,
    check_stream,
    rule,
)
from outsourcekit.engine._report import PluginError, SavedIssue
from sinks import Sink


@pytest.fixture
def report():
    """Two engagements: 'a' with three findings (one waived), 'b' clean."""
    engs = [bare("a", waivers=[waiver("TST003", "Low risk")]), clean("b")]
    return check(engs, as_of=AS_OF, rules=BASIC)


#: What a streamed report's document is refused with.
STREAMED_DOCUMENT = (
    "findings: lists no findings, and its summary counts 2 findings and 1 "
    "waived: the document of a report whose findings went to a sink "
    "(check_stream); save the report of check(), or the json format written "
    "by its sink"
)


@pytest.fixture
def streamed():
    """The report fixture's check, its findings sent to a sink."""
    engs = [bare("a", waivers=[waiver("TST003", "Low risk")]), clean("b")]
    return check_stream(engs, as_of=AS_OF, rules=BASIC, sink=Sink())


class TestToDict:
    def test_document(self, report):
        """The JSON document has exactly the interface's keys, in its order."""
        data = report.to_dict()

        assert [
            "outsourcekit",
            "format",
            "as_of",
            "engagements",
            "findings",
            "errors",
            "rule_errors",
            "plugin_errors",
            "plugins",
            "skipped",
            "summary",
        ] == list(data)
        assert (__version__, 1, "2026-11-22") == (
            data["outsourcekit"],
            data["format"],
            data["as_of"],
        )

    def test_engagements(self, report):
        """Engagement entries carry id, score, source and category scores."""
        assert [
            {
                "id": "a",
                "score": 79,
                "source": None,
                "categories": {"clarity": 85, "governance": 94},
            },
            {
                "id": "b",
                "score": 100,
                "source": None,
                "categories": {"clarity": 100, "governance": 100},
            },
        ] == report.to_dict()["engagements"]

    def test_findings(self, report):
        """Findings are the findings' own documents, waived ones included."""
        findings = report.to_dict()["findings"]

        assert [
            ("TST002", None),
            ("TST001", None),
            ("TST003", "Low risk"),
        ] == [(f["rule"], f["waived"]) for f in findings]
        assert list(findings[0]) == [
            "rule",
            "slug",
            "category",
            "severity",
            "engagement",
            "path",
            "source",
            "line",
            "message",
            "fix",
            "evidence",
            "waived",
        ]

    def test_summary(self, report):
        """The summary counts unwaived findings by severity and waived ones apart."""
        assert {
            "engagements": 2,
            "findings": 2,
            "waived": 1,
            "score": 89.5,
            "by_severity": {"error": 1, "warning": 1},
        } == report.to_dict()["summary"]

    def test_errors(self):
        """Load, rule and plugin errors appear as plain data."""
        issue = SavedIssue(
            source="x.yaml", line=3, column=1, path="start", message="bad date"
        )
        report = check([bare("boom")], as_of=AS_OF, rules=[fragile], errors=[issue])

        data = report.to_dict()

        assert (
            [
                {
                    "source": "x.yaml",
                    "line": 3,
                    "column": 1,
                    "path": "start",
                    "message": "bad date",
                }
            ],
            [
                {
                    "rule": "TST004",
                    "engagement": "boom",
                    "type": "ZeroDivisionError",
                    "message": "division by zero",
                }
            ],
        ) == (data["errors"], data["rule_errors"])

    def test_json_serializable(self, report):
        """The document is JSON as it is."""
        assert report.to_dict() == json.loads(json.dumps(report.to_dict()))

    def test_empty(self):
        """A check of nothing has no portfolio score."""
        assert None is check([], as_of=AS_OF, rules=BASIC).to_dict()["summary"]["score"]


class TestFromDict:
    def test_round_trip(self, report):
        """A report read back from its document gives the same document."""
        assert report.to_dict() == Report.from_dict(report.to_dict()).to_dict()

    def test_round_trip_keeps_plugins_and_skipped(self, report):
        """The plugins that judged and the files passed over come back."""
        full = attrs.evolve(
            report,
            plugins=(
                PluginVersion(name="outsourcekit.builtin.rules", version="1.0.0"),
                PluginVersion(name="acme-rules", version=None),
            ),
            skipped=(SkippedFile(path="notes/readme.md", reason="not an engagement"),),
        )

        back = Report.from_dict(full.to_dict())

        assert (full.plugins, full.skipped) == (back.plugins, back.skipped)
        assert full.to_dict() == back.to_dict()

    def test_round_trip_keeps_errors(self):
        """Errors of every kind come back."""
        issue = SavedIssue(
            source="x.yaml", line=3, column=1, path="start", message="bad"
        )
        original = check([bare("boom")], as_of=AS_OF, rules=[fragile], errors=[issue])
        data = original.to_dict()
        data["plugin_errors"] = [{"plugin": "acme", "message": "broken"}]

        back = Report.from_dict(data)

        assert (
            original.rule_errors,
            (issue,),
            (PluginError(plugin="acme", message="broken"),),
        ) == (
            back.rule_errors,
            back.errors,
            back.plugin_errors,
        )

    def test_round_trip_keeps_baseline(self):
        """A report marked against a baseline reads back with its marks."""
        before = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        marked = check([bare("a")], as_of=AS_OF, rules=BASIC).with_baseline(before)

        back = Report.from_dict(marked.to_dict())

        assert marked.to_dict() == back.to_dict()
        assert ["unchanged", "new", "unchanged"] == [
            back.baseline_state(f) for f in back.findings
        ]
        assert ["TST001"] == [f.rule for f in back.new_only().findings]

    def test_round_trip_without_baseline(self, report):
        """A report checked without a baseline reads back without one."""
        assert None is Report.from_dict(report.to_dict()).baseline

    def test_load_is_deprecated(self, report, tmp_path):
        """Report.load still reads a saved JSON report, naming its new place."""
        path = tmp_path / "report.json"
        path.write_text(json.dumps(report.to_dict()), encoding="utf-8")

        with pytest.warns(DeprecationWarning, match=r"config\.read_report\(\)"):
            loaded = Report.load(path)

        assert report.findings == loaded.findings

    def test_wrong_format(self, report):
        """Another document version is refused, naming the version."""
        data = {**report.to_dict(), "format": 2}

        with pytest.raises(ValueError, match="report format must be 1 \\(got 2\\)"):
            Report.from_dict(data)

    def test_not_a_report(self):
        """A document missing required keys is refused, naming the key."""
        with pytest.raises(
            ValueError,
            match=r"^missing required key 'as_of' \(a date like 2026-11-22\)$",
        ):
            Report.from_dict({"format": 1})

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"format": True}, "format: report format must be 1 (got true)"),
            ({"format": "1"}, 'format: report format must be 1 (got "1")'),
            ({"as_of": "soon"}, 'as_of: must be a date like 2026-11-22 (got "soon")'),
            (
                {"as_of": "20261122"},
                'as_of: must be a date like 2026-11-22 (got "20261122")',
            ),
            (
                {"as_of": "2026-W47-7"},
                'as_of: must be a date like 2026-11-22 (got "2026-W47-7")',
            ),
            (
                {"as_of": "0001-01-01"},
                (
                    "as_of: must be a date from 1900-01-01 to 2999-12-31 "
                    '(got "0001-01-01")'
                ),
            ),
            ({"findings": {}}, "findings: must be a list of JSON objects (got {})"),
            (
                {"findings": ["x"]},
                'findings[0]: an entry must be a JSON object (got "x")',
            ),
            (
                {"engagements": [{"id": "a"}]},
                "engagements[0]: missing required key 'score'",
            ),
            (
                {"engagements": [{"id": "a", "score": 9, "categories": {"x": "high"}}]},
                (
                    "engagements[0].categories.x: must be a whole number from 0 to 100 "
                    '(got "high")'
                ),
            ),
            (
                {"engagements": [{"id": "a", "score": 101}]},
                "engagements[0].score: must be a whole number from 0 to 100 (got 101)",
            ),
            (
                {"engagements": [{"id": "a", "score": 9, "categories": {"x": -1}}]},
                (
                    "engagements[0].categories.x: must be a whole number from 0 to 100 "
                    "(got -1)"
                ),
            ),
            (
                {"engagements": [{"id": "a", "score": 9}, {"id": "a", "score": 8}]},
                (
                    "engagements[1].id: must be an id listed once "
                    '(got "a", listed at engagements[0] too)'
                ),
            ),
            ({"errors": [{"line": 1}]}, "errors[0]: missing required key 'message'"),
            (
                {"rule_errors": [{"rule": "X", "type": "E", "message": 5}]},
                "rule_errors[0].message: must be text (got 5)",
            ),
        ],
    )
    def test_wrong_shape(self, report, change, message):
        """Each value of the wrong shape is named by its path, expected and found."""
        data = {**report.to_dict(), **change}

        with pytest.raises(ValueError, match="^" + re.escape(message)):
            Report.from_dict(data)

    @pytest.mark.parametrize(
        ("key", "value", "message"),
        [
            ("slug", None, "findings[0]: missing required key 'slug' (text)"),
            (
                "severity",
                "fatal",
                (
                    "findings[0].severity: must be one of error, warning, info "
                    '(got "fatal")'
                ),
            ),
            (
                "line",
                "12",
                'findings[0].line: must be a whole number from 1 or null (got "12")',
            ),
            (
                "line",
                0,
                "findings[0].line: must be a whole number from 1 or null (got 0)",
            ),
            (
                "line",
                -4,
                "findings[0].line: must be a whole number from 1 or null (got -4)",
            ),
            ("evidence", [1], "findings[0].evidence: must be a JSON object (got [1])"),
            (
                "baseline",
                "old",
                'findings[0].baseline: must be new or unchanged (got "old")',
            ),
        ],
    )
    def test_wrong_finding(self, report, key, value, message):
        """A finding of the wrong shape is named by its index and key."""
        data = report.to_dict()
        finding = data["findings"][0]
        if value is None:
            del finding[key]
        else:
            finding[key] = value

        with pytest.raises(ValueError, match="^" + re.escape(message)):
            Report.from_dict(data)

    def test_streamed_document_refused(self, streamed):
        """A streamed report's document, its findings in the sink, is refused."""
        data = streamed.to_dict()

        with pytest.raises(ValueError, match=re.escape(STREAMED_DOCUMENT)) as info:
            Report.from_dict(data)

        assert ([], 2, 1) == (
            data["findings"],
            data["summary"]["findings"],
            data["summary"]["waived"],
        )
        assert STREAMED_DOCUMENT == str(info.value)

    def test_streamed_baseline_refused(self, streamed, report, tmp_path):
        """Saved as a baseline, a streamed report is refused, not read as clean."""
        path = tmp_path / "baseline.json"
        path.write_text(json.dumps(streamed.to_dict(), indent=2), encoding="utf-8")
        line = path.read_text(encoding="utf-8").splitlines().index('  "findings": [],')

        with pytest.raises(ValueError, match=re.escape(STREAMED_DOCUMENT)) as read:
            read_report(path)
        with pytest.raises(ValueError, match=re.escape(STREAMED_DOCUMENT)) as compared:
            report.diff(streamed.to_dict())

        assert f"{path}:{line + 1}: {STREAMED_DOCUMENT}" == str(read.value)
        assert STREAMED_DOCUMENT == str(compared.value)

    def test_document_without_findings(self):
        """A clean report's document, nothing listed nor counted, reads back."""
        clean_report = check([clean("b")], as_of=AS_OF, rules=BASIC)

        back = Report.from_dict(clean_report.to_dict())

        assert ((), False) == (back.findings, back.failed("info"))
        assert clean_report.to_dict() == back.to_dict()

    def test_unknown_keys_are_ignored(self, report):
        """Keys a later document may add are passed over."""
        data = report.to_dict()
        data["plugins"] = []
        data["findings"][0]["baseline"] = "new"

        assert report.findings == Report.from_dict(data).findings


class TestFailed:
    @pytest.mark.parametrize(
        ("level", "expected"),
        [("error", True), ("warning", True), ("info", True), ("never", False)],
    )
    def test_levels(self, report, level, expected):
        """An unwaived error fails every level but never."""
        assert expected is report.failed(level)

    def test_waived_do_not_fail(self):
        """Only unwaived findings count."""
        eng = bare(
            "a", owner="x", objectives=clean().objectives, waivers=[waiver("TST003")]
        )

        report = check(eng, as_of=AS_OF, rules=BASIC)

        assert False is report.failed("info")

    def test_below_level(self):
        """An info finding does not fail a warning threshold."""
        report = check(
            bare("a", owner="x", objectives=clean().objectives),
            as_of=AS_OF,
            rules=BASIC,
        )

        assert (False, True) == (report.failed("warning"), report.failed("info"))

    def test_bad_level(self, report):
        """An unknown level names the choices."""
        with pytest.raises(
            ValueError, match="fail_on must be one of info, warning, error, never"
        ):
            report.failed("fatal")

    def test_level_in_another_case(self, report):
        """A level in another case is refused, naming the one it means."""
        with pytest.raises(
            ValueError,
            match=r"^fail_on must be one of info, warning, error, never "
            r"\(got 'WARNING'\) \(did you mean 'warning'\?\)$",
        ):
            report.failed("WARNING")


class TestFilter:
    def test_severity_at_or_above(self, report):
        """severity= keeps findings at or above the level."""
        assert ["TST002", "TST001"] == [
            f.rule for f in report.filter(severity="warning").findings
        ]

    def test_rule_by_slug_or_code(self, report):
        """rule= takes codes or slugs."""
        kept = report.filter(rule=["TST002", "no-owner-here"])

        assert ["TST002", "TST001"] == [f.rule for f in kept.findings]

    def test_code_in_lower_case(self, report):
        """A code in lower case names the rule, as in configuration and waivers."""
        kept = report.filter(rule=["tst002", "no-owner-here"])

        assert ["TST002", "TST001"] == [f.rule for f in kept.findings]

    def test_category_and_waived(self, report):
        """category= and waived= combine."""
        kept = report.filter(category="clarity", waived=True)

        assert ["TST003"] == [f.rule for f in kept.findings]

    def test_engagement_glob(self, report):
        """engagement= keeps the engagements matching ids or globs with scores."""
        kept = report.filter(engagement="b*")

        assert ((), ["b"], 100) == (
            kept.findings,
            [e.id for e in kept.engagements],
            kept.score("b"),
        )

    def test_results_filtered_too(self, report):
        """Each engagement's findings are filtered like the report's."""
        kept = report.filter(severity="error")

        assert ["TST002"] == [f.rule for f in kept.by_engagement["a"].findings]

    @pytest.mark.parametrize("severity", ["WARNING", "Warning"])
    def test_severity_in_another_case(self, report, severity):
        """A severity is a lower-case word, as for --fail-on and configuration.

        Another case is refused, naming the severities and the one it means.
        """
        with pytest.raises(
            ValueError,
            match=r"^filter\(\): severity must be one of info, warning, error "
            rf"\(got '{severity}'\) \(did you mean 'warning'\?\)$",
        ):
            report.filter(severity=severity)

    def test_unknown_severity(self, report):
        """A word no severity is close to names the severities only."""
        with pytest.raises(
            ValueError,
            match=r"^filter\(\): severity must be one of info, warning, error "
            r"\(got 'fatal'\)$",
        ):
            report.filter(severity="fatal")

    @pytest.mark.parametrize(
        ("criteria", "message"),
        [
            (
                {"category": "clarty"},
                (
                    "filter(): no rule of this report has the category 'clarty' "
                    "(did you mean 'clarity'?)"
                ),
            ),
            (
                {"rule": ["TST002", "no-owner-her"]},
                (
                    "filter(): no rule of this report has the code or slug "
                    "'no-owner-her' (did you mean 'no-owner-here'?)"
                ),
            ),
            (
                {"rule": "TST009"},
                (
                    "filter(): no rule of this report has the code or slug 'TST009' "
                    "(did you mean 'TST003'?)"
                ),
            ),
            (
                {"rule": "tst00"},
                (
                    "filter(): no rule of this report has the code or slug 'tst00': "
                    "it is a code prefix, of TST001, TST002 and TST003; name each "
                    "rule by its code or slug"
                ),
            ),
            (
                {"rule": "Clarity"},
                (
                    "filter(): no rule of this report has the code or slug "
                    "'Clarity': it is a category, of TST002 and TST003; filter "
                    "by category= for it"
                ),
            ),
        ],
    )
    def test_unknown_name(self, report, criteria, message):
        """A category or rule no rule of the check has is refused, not matched by none.

        A typo would otherwise keep no finding, as if there were none.
        """
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            report.filter(**criteria)

    def test_known_name_without_findings(self, report):
        """A category or rule of the check with no finding keeps none."""
        assert ((), ()) == (
            report.filter(category="governance", severity="error").findings,
            report.filter(rule="tst001", waived=True).findings,
        )

    def test_read_back_takes_any_name(self, report):
        """Read back, a report does not know its rules: any name keeps its findings."""
        back = Report.from_dict(report.to_dict())

        assert ((), ()) == (
            back.filter(category="elsewhere").findings,
            back.filter(rule="TST009").findings,
        )


@rule(
    code="TST009",
    slug="always-broken",
    title="Always broken",
    category="governance",
    severity="warning",
    fix="None.",
)
def always_broken(engagement, ctx):
    """Raises on every engagement."""
    del ctx  # it never gets as far as a finding
    msg = f"broken on {engagement.id}"
    raise RuntimeError(msg)


@pytest.fixture
def broken():
    """'fragile' (clarity) raising on 'boom', 'always-broken' (governance) on both."""
    engs = [bare("a"), bare("boom")]
    return check(engs, as_of=AS_OF, rules=[*BASIC, fragile, always_broken])


def _errors(report):
    return [(e.rule, e.engagement) for e in report.rule_errors]


class TestFilterRuleErrors:
    @pytest.mark.parametrize(
        ("criteria", "expected"),
        [
            ({"rule": "TST002"}, []),
            ({"rule": "fragile"}, [("TST004", "boom")]),
            ({"rule": "tst009"}, [("TST009", "a"), ("TST009", "boom")]),
            ({"category": "governance"}, [("TST009", "a"), ("TST009", "boom")]),
            ({"category": "clarity"}, [("TST004", "boom")]),
            ({"engagement": "a"}, [("TST009", "a")]),
            ({"category": "clarity", "engagement": "a"}, []),
            (
                {"severity": "error", "waived": False},
                [("TST004", "boom"), ("TST009", "a"), ("TST009", "boom")],
            ),
        ],
    )
    def test_errors_of_what_is_kept(self, broken, criteria, expected):
        """A filtered report holds the rule errors of the rules etc. it keeps."""
        assert sorted(expected) == sorted(_errors(broken.filter(**criteria)))

    def test_read_back(self, broken):
        """Read back, an error of a rule no finding places in a category is kept."""
        back = Report.from_dict(broken.to_dict())

        assert (
            [("TST004", "boom")],
            [("TST004", "boom"), ("TST009", "a"), ("TST009", "boom")],
        ) == (
            _errors(back.filter(rule="fragile")),
            sorted(_errors(back.filter(category="clarity"))),
        )


class TestDiff:
    def test_new_fixed_unchanged(self):
        """Findings are compared by rule, engagement and path."""
        before = check([bare("a", owner="x"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a"), bare("b", vision="v")], as_of=AS_OF, rules=BASIC)

        diff = after.diff(before)

        assert (
            [("a", "TST001")],
            [("b", "TST003")],
            [("a", "TST002"), ("a", "TST003"), ("b", "TST002"), ("b", "TST001")],
        ) == tuple(
            [(f.engagement, f.rule) for f in part]
            for part in (diff.new, diff.fixed, diff.unchanged)
        )

    def test_findings_are_counted(self):
        """Each baseline finding accounts for one finding of its key at most."""

        def found(*messages):
            findings = tuple(
                Finding(
                    rule="OSK905",
                    slug="unused-waiver",
                    category="governance",
                    severity=Severity.INFO,
                    engagement="acme",
                    path="waivers",
                    message=message,
                    fix="",
                )
                for message in messages
            )
            return Report(as_of=AS_OF, findings=findings, engagements=())

        one, two = found("first"), found("first", "second")

        assert [
            [["second"], [], ["first"]],
            [[], ["second"], ["first"]],
            [[], [], ["first", "second"]],
        ] == [
            [[f.message for f in part] for part in (d.new, d.fixed, d.unchanged)]
            for d in (two.diff(one), one.diff(two), two.diff(two))
        ]

    def test_baseline_that_is_no_report(self):
        """A baseline that is no report, document or file is a TypeError."""
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)

        with pytest.raises(
            TypeError,
            match=r"^diff\(\) compares with a Report or its to_dict\(\) data, "
            r"got 123 \(a whole number\)$",
        ):
            after.diff(123)

    def test_baseline_forms(self, tmp_path):
        """The baseline may be a report, its document or (deprecated) a saved file."""
        before = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)
        path = tmp_path / "baseline.json"
        path.write_text(json.dumps(before.to_dict()), encoding="utf-8")

        diffs = [after.diff(b) for b in (before, before.to_dict())]
        for saved in (path, str(path)):
            with pytest.warns(DeprecationWarning, match=r"Report\.diff\(path\)"):
                diffs.append(after.diff(saved))

        assert [["TST001"]] * 4 == [[f.rule for f in d.new] for d in diffs]

    def test_failed_counts_only_new(self):
        """A diff fails only on new findings at or above the level."""
        before = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)

        diff = after.diff(before)

        assert (True, False) == (diff.failed("warning"), diff.failed("error"))

    def test_waived_are_not_new(self):
        """A finding waived now is not new, nor unchanged."""
        before = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a", waivers=[waiver("TST001")])], as_of=AS_OF, rules=BASIC)

        assert ReportDiff(
            new=(), fixed=(), unchanged=after.findings[:1] + after.findings[2:]
        ) == after.diff(before)

    def test_dates(self):
        """A diff knows the dates of the report and of its baseline."""
        before = check([bare("a", owner="x")], as_of="2026-06-01", rules=BASIC)
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)

        diff = after.diff(before)
        saved = after.diff(before.to_dict())

        assert (AS_OF, dt.date(2026, 6, 1)) == (diff.as_of, diff.baseline_as_of)
        assert (AS_OF, dt.date(2026, 6, 1)) == (saved.as_of, saved.baseline_as_of)

    def test_repr(self):
        """A diff describes itself in one line: its dates and counts."""
        before = check(
            [bare("a", owner="x"), bare("c")], as_of="2026-06-01", rules=BASIC
        )
        after = check([bare("a"), clean("c")], as_of=AS_OF, rules=BASIC)

        assert (
            "<ReportDiff as of 2026-11-22 against 2026-06-01: 1 new, 3 fixed, "
            "2 unchanged>"
        ) == repr(after.diff(before))
        assert "<ReportDiff: 0 new, 0 fixed, 0 unchanged>" == repr(
            ReportDiff(new=(), fixed=(), unchanged=())
        )

    def test_repr_of_a_large_diff(self):
        """The one line does not grow with the findings."""
        before = check(
            [bare(f"e{i:04d}", owner="x") for i in range(5_000)],
            as_of="2026-06-01",
            rules=BASIC,
        )
        after = check(
            [bare(f"e{i:04d}") for i in range(5_000)], as_of=AS_OF, rules=BASIC
        )

        assert (
            "<ReportDiff as of 2026-11-22 against 2026-06-01: 5000 new, 0 fixed, "
            "10000 unchanged>"
        ) == repr(after.diff(before))

    def test_fixed_only_of_rules_that_ran(self):
        """A baseline finding of a rule the check did not run is not fixed."""
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check(
            [bare("a"), bare("b", owner="x")],
            as_of=AS_OF,
            rules=BASIC,
            config=Config(select=["TST001"]),
        )

        diff = after.diff(before)

        assert ([], [("b", "TST001")], [("a", "TST001")]) == _parts(diff)

    @pytest.mark.parametrize(
        "kept",
        [
            {"rule": "TST001"},
            {"category": "governance"},
            {"severity": "warning"},
            {"engagement": "a"},
            {"waived": False},
        ],
    )
    def test_fixed_only_of_what_a_filtered_report_keeps(self, kept):
        """A filtered report is compared with what its filter keeps of the baseline.

        The findings filtered out are not fixed; a finding the filter keeps,
        and that is gone, is.
        """
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a", owner="x"), bare("b")], as_of=AS_OF, rules=BASIC)

        filtered = after.filter(**kept)
        again = pickle.loads(pickle.dumps(filtered))  # noqa: S301 - own data

        assert [("a", "TST001")] == _parts(filtered.diff(before))[1]
        assert [("a", "TST001")] == _parts(again.diff(before))[1]
        assert [("a", "TST001")] == _parts(filtered.filter(rule="TST001").diff(before))[
            1
        ]
        assert [] == _parts(filtered.filter(rule="TST002").diff(before))[1]

    def test_fixed_only_of_rules_not_ignored(self):
        """Ignored rules did not run: their baseline findings are not fixed."""
        before = check([bare("a")], as_of=AS_OF, rules=BASIC)
        after = check(
            [bare("a", owner="x")],
            as_of=AS_OF,
            rules=BASIC,
            config=Config(ignore=["TST002", "TST003"]),
        )

        assert ([], [("a", "TST001")], []) == _parts(after.diff(before))

    def test_fixed_only_of_engagements_checked(self):
        """A baseline finding of an engagement the check did not see is not fixed."""
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check([clean("a")], as_of=AS_OF, rules=BASIC)

        diff = after.diff(before)

        assert ([], [("a", "TST002"), ("a", "TST001"), ("a", "TST003")], []) == (
            _parts(diff)
        )

    def test_nothing_fixed_when_no_rule_ran(self):
        """A check that ran no rule could find nothing again: nothing is fixed."""
        before = check([bare("a")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a")], as_of=AS_OF, rules=BASIC, config=Config(select=[]))

        assert ([], [], []) == _parts(after.diff(before))

    def test_not_fixed_where_the_rule_raised(self):
        """Where a rule raised, it did not finish looking: nothing there is fixed."""

        def found(engagement):
            return Finding(
                rule="TST004",
                slug="fragile",
                category="clarity",
                severity=Severity.WARNING,
                engagement=engagement,
                path="scope",
                message="Fragile looked at the scope",
                fix="None.",
            )

        before = Report(
            as_of=AS_OF, findings=(found("boom"), found("calm")), engagements=()
        )
        after = check([bare("boom"), bare("calm")], as_of=AS_OF, rules=[fragile])

        assert ["boom"] == [e.engagement for e in after.rule_errors]
        assert [("calm", "TST004")] == _parts(after.diff(before))[1]

    def test_findings_rule_fixed_only_when_every_rule_ran(self):
        """A rule judging other rules' findings is fixed only where all of them ran.

        Left without some of its inputs, it judges something else: its
        baseline findings are not compared, as those of a rule left out.
        """
        rules = [*BASIC, many_findings]
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=rules)
        owned = bare("a", owner="x", vision="v")

        whole = check([owned], as_of=AS_OF, rules=rules)
        fewer = check(
            [owned], as_of=AS_OF, rules=rules, config=Config(ignore=["TST003"])
        )
        without = check(
            [bare("a")], as_of=AS_OF, rules=rules, config=Config(select=["TST006"])
        )

        assert [("a", "TST001"), ("a", "TST003"), ("a", "TST006")] == (
            _parts(whole.diff(before))[1]
        )
        assert [("a", "TST001")] == _parts(fewer.diff(before))[1]
        assert [] == _parts(without.diff(before))[1]
        assert [] == _parts(Report.from_dict(fewer.to_dict()).diff(before))[1]

    @pytest.mark.parametrize(
        ("inputs", "apart"),
        [
            (lambda _finding: ["no-vision-here"], ["TST003", "TST016"]),
            (lambda _finding: "tst003", ["TST003", "TST016"]),
            (lambda _finding: None, ["TST003"]),
            (lambda finding: finding.evidence["missing"], ["TST003"]),
        ],
        ids=["list", "text", "none", "raises"],
    )
    def test_findings_rule_fixed_where_its_inputs_ran(self, inputs, apart):
        """A findings rule naming its inputs is fixed where those rules ran.

        An inputs function that cannot tell (None) or fails names every rule.
        """

        @rule(
            code="TST016",
            slug="no-vision-either",
            title="No vision either",
            category="clarity",
            severity="info",
            fix="Write the vision down.",
            scope="findings",
            inputs=inputs,
        )
        def no_vision_either(_engagement, ctx):
            if any(f.rule == "TST003" for f in ctx.findings):
                yield ctx.finding("No vision either", path="vision")

        rules = [*BASIC, no_vision_either]
        before = check([bare("a")], as_of=AS_OF, rules=rules)

        def fixed(**config):
            after = check(
                [bare("a", vision="v")],
                as_of=AS_OF,
                rules=rules,
                config=Config(**config),
            )
            return [f.rule for f in after.diff(before).fixed]

        assert (["TST003", "TST016"], apart, []) == (
            fixed(),
            fixed(ignore=["TST001"]),
            fixed(ignore=["TST003"]),
        )

    @pytest.mark.parametrize(
        ("options", "error", "message"),
        [
            (
                {"inputs": lambda _f: ()},
                ValueError,
                (
                    "rule TST017 has inputs but scope 'engagement': only a "
                    "findings rule judges other rules' findings (give "
                    "scope='findings')"
                ),
            ),
            (
                {"inputs": "TST001", "scope": "findings"},
                TypeError,
                "rule TST017: inputs must be a function of one finding (got 'TST001')",
            ),
        ],
    )
    def test_inputs_of_a_findings_rule_only(self, options, error, message):
        """Inputs belong to findings rules, and are a function."""
        with pytest.raises(error, match=f"^{re.escape(message)}$"):
            rule(
                code="TST017",
                slug="wrong-inputs",
                title="Wrong",
                category="governance",
                severity="info",
                fix="None.",
                **options,
            )(lambda _e, _ctx: ())

    def test_findings_rule_not_fixed_where_a_rule_raised(self):
        """Where any rule raised, a rule judging the findings saw only some."""
        rules = [*BASIC, fragile, many_findings]
        before = check([bare("boom"), bare("calm")], as_of=AS_OF, rules=rules)
        after = check(
            [bare("boom", owner="x", vision="v"), clean("calm")],
            as_of=AS_OF,
            rules=rules,
        )

        assert ["boom"] == [e.engagement for e in after.rule_errors]
        assert [
            ("boom", "TST001"),
            ("boom", "TST003"),
            ("calm", "TST001"),
            ("calm", "TST002"),
            ("calm", "TST003"),
            ("calm", "TST006"),
        ] == sorted(_parts(after.diff(before))[1])
        # Filtered to the findings rule, the report still knows what raised.
        kept = after.filter(rule="TST006")
        again = kept.filter(engagement="*")
        assert [("calm", "TST006")] == _parts(kept.diff(before))[1]
        assert [("calm", "TST006")] == _parts(again.diff(before))[1]

    def test_read_back_report_ran_the_rules_it_shows(self):
        """A report read back names no rule: those it shows ran, the others may not.

        Its document does not say which rules ran; a rule with a finding or
        an error in it did, and a baseline finding of any other is not
        compared (the check may have left it out).
        """
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        fewer = check(
            [bare("a", owner="x")],
            as_of=AS_OF,
            rules=BASIC,
            config=Config(ignore=["TST002"]),
        )
        fixed = check([bare("a", owner="x", vision="v")], as_of=AS_OF, rules=BASIC)

        diff = Report.from_dict(after.to_dict()).diff(before)

        assert ([], [], [("a", "TST002"), ("a", "TST003")]) == _parts(diff)
        assert ([], [], [("a", "TST003")]) == _parts(
            Report.from_dict(fewer.to_dict()).diff(before)
        )
        assert ([], [], [("a", "TST002")]) == _parts(
            Report.from_dict(fixed.to_dict()).diff(before)
        )

    def test_html(self):
        """A diff shows as HTML in a notebook, as the notebook's diff_html."""
        from outsourcekit import notebook as nb

        before = check([bare("a", owner="x")], as_of="2026-06-01", rules=BASIC)
        diff = check([bare("a")], as_of=AS_OF, rules=BASIC).diff(before)

        assert nb.diff_html(diff) == diff._repr_html_()
        assert "1 new, 0 fixed, 2 unchanged" in diff._repr_html_()


def _parts(diff):
    """Return the (engagement, rule) of a diff's new, fixed and unchanged findings."""
    return tuple(
        [(f.engagement, f.rule) for f in part]
        for part in (diff.new, diff.fixed, diff.unchanged)
    )


class TestWithBaseline:
    def test_baseline_forms(self):
        """The baseline is a report or its document, as for diff()."""
        before = check([bare("a", owner="x")], as_of=AS_OF, rules=BASIC)
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)

        marked = [after.with_baseline(b) for b in (before, before.to_dict())]

        assert [["unchanged", "new", "unchanged"]] * 2 == [
            [m.baseline_state(f) for f in m.findings] for m in marked
        ]
        assert marked[0].to_dict() == marked[1].to_dict()

    @pytest.mark.parametrize(
        ("baseline", "got"),
        [
            (None, "None"),
            (123, r"123 \(a whole number\)"),
            (
                "baseline.json",
                (
                    r"'baseline\.json' \(text\): read a saved report with "
                    r"outsourcekit\.config\.read_report\(\)"
                ),
            ),
        ],
    )
    def test_baseline_that_is_no_report(self, baseline, got):
        """Anything but a report or its document is a TypeError naming the call.

        A path too, without the deprecated reading diff() still does.
        """
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)

        with pytest.raises(
            TypeError,
            match=r"^with_baseline\(\) compares with a Report or its to_dict\(\) "
            rf"data, got {got}$",
        ):
            after.with_baseline(baseline)

    def test_marks_of_a_check_of_some_rules(self):
        """Checking fewer rules and engagements marks the findings found alone."""
        before = check([bare("a"), bare("b")], as_of=AS_OF, rules=BASIC)
        after = check(
            [bare("a"), bare("c")],
            as_of=AS_OF,
            rules=BASIC,
            config=Config(select=["TST001"]),
        )

        marked = after.with_baseline(before)

        assert [("a", "unchanged"), ("c", "new")] == [
            (f.engagement, marked.baseline_state(f)) for f in marked.findings
        ]

    def test_path_object(self, tmp_path):
        """A path object is no baseline either, and says how to read one."""
        after = check([bare("a")], as_of=AS_OF, rules=BASIC)
        path = tmp_path / "baseline.json"
        path.write_text(json.dumps(after.to_dict()), encoding="utf-8")

        with pytest.raises(TypeError, match=r"read_report\(\)$"):
            after.with_baseline(path)
        assert ["unchanged"] * 3 == [
            read_report(path).with_baseline(read_report(path)).baseline_state(f)
            for f in after.findings
        ]

    def test_new_only_compares_what_it_keeps(self):
        """A report new_only() made lists no unchanged finding: none is fixed for it.

        The baseline's findings of what it left out are not compared, as for
        a filtered report; its new ones and its fixed ones stay those of the
        whole report.
        """
        before = check(
            [bare("a", owner="x"), bare("b"), bare("c")], as_of=AS_OF, rules=BASIC
        )
        marked = check(
            [bare("a"), bare("b", vision="v"), bare("c")], as_of=AS_OF, rules=BASIC
        ).with_baseline(before)

        fresh = marked.new_only()
        again = pickle.loads(pickle.dumps(fresh))  # noqa: S301 - own data

        assert ([("a", "TST001")], [("b", "TST003")], []) == _parts(fresh.diff(before))
        assert _parts(fresh.diff(before)) == _parts(again.diff(before))
        assert _parts(fresh.filter(rule="TST001").diff(before)) == (
            [("a", "TST001")],
            [],
            [],
        )
        assert [("b", "TST003")] == _parts(
            marked.filter(engagement="b").new_only().diff(before)
        )[1]

    @pytest.mark.parametrize("method", ["diff", "with_baseline"])
    def test_streamed_baseline_refused(self, method, report, streamed):
        """A streamed report holds no findings: as a baseline it would hide all."""
        with pytest.raises(
            ValueError,
            match=rf"^the baseline of {method}\(\) needs the findings, and this "
            r"report's went to a sink \(check_stream\): work on them in the sink, "
            r"or check with check\(\) to hold them$",
        ):
            getattr(report, method)(streamed)


class TestArguments:
    def test_score_of_no_id(self, report):
        """score() takes an id: anything else is a TypeError, not a crash."""
        with pytest.raises(
            TypeError,
            match=r"^score\(\) takes the id of an engagement \(text\), "
            r"got 3 \(a whole number\)$",
        ):
            report.score(3)
        with pytest.raises(KeyError, match=r"no engagement 'c' in this report"):
            report.score("c")

    def test_by_engagement_of_no_id(self, report):
        """An id the results lack is a KeyError suggesting the closest, as score().

        So is it of a report pickled (sent to or from a worker) and read back.
        """
        again = pickle.loads(pickle.dumps(report))  # noqa: S301 - own data
        messages = []
        for results in (report.by_engagement, again.by_engagement):
            with pytest.raises(KeyError) as raised:
                results["bb"]
            messages.append(str(raised.value))

        assert ["no engagement 'bb' in this report (did you mean 'b'?)"] * 2 == messages
        assert "bb" == raised.value.args[0]
        assert (None, False) == (
            report.by_engagement.get("bb"),
            "bb" in report.by_engagement,
        )

    def test_missing_id_suggests_only_when_shown(self, report, monkeypatch):
        """The closest id is looked for when the error is shown, once, not raised.

        A lookup caught as a dict's (``try: ... except KeyError``) compares no
        id, which takes long among many.
        """
        from outsourcekit.engine import _report

        asked = []

        def counted(name, _choices):
            asked.append(name)
            return " (did you mean 'b'?)"

        monkeypatch.setattr(_report, "did_you_mean", counted)
        with pytest.raises(KeyError) as raised:
            report.by_engagement["bb"]
        assert [] == asked
        with pytest.raises(KeyError) as shown_once:
            report.score("bb")

        assert "no engagement 'bb' in this report (did you mean 'b'?)" == str(
            shown_once.value
        )
        assert str(raised.value) == str(shown_once.value)
        assert ["bb", "bb"] == asked

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (
                {"category": 3},
                (
                    r"^filter\(\): category must be text or a list of texts, "
                    r"got 3 \(a whole number\)$"
                ),
            ),
            (
                {"rule": ["TST001", None]},
                r"^filter\(\): rule must be text or a list of texts, got None$",
            ),
            (
                {"engagement": {"a": 1}},
                (
                    r"^filter\(\): engagement must be text or a list of texts, "
                    r"got \{'a': 1\} \(a mapping\)$"
                ),
            ),
            (
                {"waived": "yes"},
                r"^filter\(\): waived must be True, False or None, got 'yes' \(text\)$",
            ),
        ],
    )
    def test_filter_arguments(self, report, arguments, message):
        """filter() refuses criteria it cannot apply, instead of keeping nothing."""
        with pytest.raises(TypeError, match=message):
            report.filter(**arguments)

    @pytest.mark.parametrize("method", ["counts_as_failure", "baseline_state"])
    def test_no_finding(self, report, method):
        """A finding's state against the baseline takes a finding, nothing else."""
        marked = report.with_baseline(report)

        with pytest.raises(
            TypeError,
            match=rf"^{method}\(\) takes a finding \(outsourcekit\.engine\.Finding\), "
            r"got 'x' \(text\)$",
        ):
            getattr(marked, method)("x")


class TestStreamed:
    def test_new_only_refused_without_baseline(self, streamed):
        """new_only() of a streamed report says where the findings went."""
        with pytest.raises(ValueError, match=r"went to a sink") as info:
            streamed.new_only()

        assert (
            "Report.new_only() needs the findings, and this report's went to a "
            "sink (check_stream): work on them in the sink, or check with check() "
            "to hold them"
        ) == str(info.value)
        assert FindingCounts(error=1, warning=1, waived=1) == streamed.streamed


class TestNotebook:
    def test_needs_pandas(self, report, monkeypatch):
        """Without pandas the error says which extra to install."""
        monkeypatch.setitem(sys.modules, "pandas", None)

        with pytest.raises(ImportError, match="install the notebook extra"):
            report.to_pandas()

    def test_rows(self, report):
        """With pandas there is one row per finding, in the report's order."""
        pytest.importorskip("pandas")

        assert ["TST002", "TST001", "TST003"] == list(report.to_pandas()["rule"])

    @pytest.mark.parametrize(
        ("engagements", "got"),
        [
            (
                "engagements/",
                r"got 'engagements/' \(text\): read files with outsourcekit\.load\(\)",
            ),
            ({"id": "a"}, r"got \{'id': 'a'\} \(a mapping\): make an engagement"),
            ([bare("a"), "b"], r"got 'b' \(text\) at index 1"),
        ],
    )
    def test_rows_of_no_engagements(self, report, engagements, got):
        """Engagements that are none are refused, saying what to give instead."""
        pytest.importorskip("pandas")

        with pytest.raises(
            TypeError,
            match=r"^to_pandas\(\) expects Engagement objects \(one, or an iterable "
            rf"of them\), {got}",
        ):
            report.to_pandas(engagements)

    def test_repr(self, report):
        """A report describes itself in one line."""
        assert (
            "<Report as of 2026-11-22: 2 engagements, score 89.5, 2 findings "
            "(1 error, 1 warning), 1 waived>"
        ) == repr(report)

    def test_html(self, report):
        """Reports and findings show as HTML in a notebook."""
        assert report._repr_html_().startswith("<")
        assert report.findings[0].message in report.findings[0]._repr_html_()
