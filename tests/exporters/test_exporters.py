"""Tests of the built-in report formats: content, escaping and standards."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import attrs
import jsonschema
import pytest
from export_support import (
    ALPHA,
    AS_OF,
    BETA,
    FORMULA,
    RULES,
    SCRIPT,
    mixed_report,
    one_finding,
)
from hypothesis import given
from hypothesis import strategies as st

import outsourcekit
from outsourcekit import plugins
from outsourcekit.builtin.exporters import builtin_exporters
from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import html as html_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import junit as junit_format
from outsourcekit.builtin.exporters import markdown as markdown_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.builtin.exporters import text as text_format
from outsourcekit.builtin.exporters._escape import visible
from outsourcekit.engine import CentralWaiver, Config, Report, SkippedFile
from outsourcekit.engine._report import SavedIssue
from outsourcekit.io import loads
from outsourcekit.model import Waiver
from outsourcekit.plugins import Exporter

DATA = Path(__file__).parent.parent / "data"
SARIF_SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
#: Semantic Versioning 2.0.0, as semver.org gives it.
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
NAMES = [
    "concise",
    "csv",
    "github",
    "gitlab",
    "html",
    "json",
    "jsonl",
    "junit",
    "markdown",
    "sarif",
    "text",
]


class TestRegistration:
    def test_builtins(self):
        """The eleven built-in formats are registered, sorted by name."""
        assert NAMES == [e.name for e in builtin_exporters()]

    def test_through_the_hook(self):
        """The built-in formats come from the public hook, as plugins' do."""
        found = plugins.get_exporters()

        assert NAMES == [e.name for e in found]
        assert {"outsourcekit.builtin.exporters"} == {e.plugin for e in found}

    def test_suffixes_distinct(self):
        """Every format has its own file suffix, so --output can tell them apart."""
        suffixes = [e.suffix for e in builtin_exporters()]

        assert len(suffixes) == len(set(suffixes))

    def test_call(self):
        """An exporter is called with the report."""
        exporter = Exporter("upper", ".up", lambda r: r.as_of.isoformat().upper())

        assert "2026-11-22" == exporter(mixed_report())

    @pytest.mark.parametrize("name", NAMES)
    def test_deterministic(self, name, mixed):
        """The same report gives the same output, byte for byte."""
        exporter = {e.name: e for e in builtin_exporters()}[name]

        assert exporter(mixed) == exporter(mixed_report())


class TestJSON:
    def test_is_the_document(self, mixed):
        """The JSON output is the report's document, keys in the documented order."""
        data = json.loads(json_format.export(mixed))

        assert mixed.to_dict() == data
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

    def test_indented(self, mixed):
        """The document is indented by two spaces and ends with a newline."""
        out = json_format.export(mixed)

        assert out.startswith('{\n  "outsourcekit": ')
        assert out.endswith("}\n")

    @pytest.mark.parametrize("which", ["mixed", "examples"])
    def test_valid(self, which, request):
        """The document validates against the JSON Schema shipped with the package."""
        report = request.getfixturevalue(which)

        jsonschema.validate(
            json.loads(json_format.export(report)),
            json_format.report_schema(),
            cls=jsonschema.Draft202012Validator,
        )

    def test_schema_is_strict(self, mixed):
        """The schema rejects a document with a key it does not know."""
        data = mixed.to_dict()
        data["findings"][0]["extra"] = 1

        with pytest.raises(jsonschema.ValidationError, match="extra"):
            jsonschema.validate(data, json_format.report_schema())

    def test_round_trip(self, mixed):
        """A saved JSON report reads back to the same document."""
        data = json.loads(json_format.export(mixed))

        assert data == Report.from_dict(data).to_dict()


class TestCSV:
    def rows(self, report):
        return list(csv.reader(io.StringIO(csv_format.export(report))))

    def test_header_and_rows(self, mixed):
        """A header row, then one row per finding, waived ones included."""
        rows = self.rows(mixed)

        assert list(csv_format.COLUMNS) == rows[0]
        assert len(mixed.findings) == len(rows) - 1

    def test_formula_neutralised(self, mixed):
        """A message beginning with =HYPERLINK( is prefixed with a quote."""
        messages = [r[csv_format.COLUMNS.index("message")] for r in self.rows(mixed)]

        assert f"'{FORMULA}" in messages
        assert FORMULA not in messages

    def test_fix_neutralised(self, mixed):
        """Every column is protected, not only the message: + and - are prefixed."""
        fixes = {r[csv_format.COLUMNS.index("fix")] for r in self.rows(mixed)[1:]}

        assert {"'+Check the vendor.", "'-"} <= fixes

    def test_cells(self, mixed):
        """Missing values are empty cells, evidence is JSON, waivers their reason."""
        rows = [dict(zip(csv_format.COLUMNS, r, strict=True)) for r in self.rows(mixed)]
        waived = next(r for r in rows[1:] if r["waived"])

        assert "Accepted for the pilot" == waived["waived"]
        assert "{}" == waived["evidence"]
        assert "4" == waived["line"]

    @pytest.mark.parametrize(
        ("start", "shown"),
        [
            ("=", "="),
            ("+", "+"),
            ("-", "-"),
            ("@", "@"),
            ("\t", "\\t"),
            ("\r", "\\r"),
            ("\uff1d", "\uff1d"),
        ],
    )
    def test_each_formula_start(self, start, shown):
        """Each character a spreadsheet reads as a formula start is neutralised."""
        assert f"'{shown}1+1" == csv_format.neutralise(f"{start}1+1")

    @given(st.text())
    def test_never_a_formula(self, text):
        """A cell never starts a formula: it is the text shown, maybe after a quote."""
        cell = csv_format.neutralise(text)

        assert not cell.startswith(csv_format.FORMULA_STARTS)
        assert cell in {visible(text), f"'{visible(text)}"}

    def test_line_endings(self, mixed):
        """Rows end with CRLF, as RFC 4180 has it."""
        out = csv_format.export(mixed)

        assert out.startswith(",".join(csv_format.COLUMNS) + "\r\n")


class TestMarkdown:
    def test_script_escaped(self, mixed):
        """A script tag in a message is shown as text, never as markup."""
        out = markdown_format.export(mixed)

        assert "<script>" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt; in alpha" in out

    def test_pipes_escaped(self, mixed):
        """Pipes are escaped and line breaks become <br>, keeping table rows whole."""
        out = markdown_format.export(mixed)

        assert "a \\| b \\| c<br>second line" in out

    def test_tables_keep_their_columns(self, mixed):
        """Every row of a table has as many cells as its header."""
        out = markdown_format.export(mixed)
        for block in out.split("\n\n"):
            lines = [line for line in block.splitlines() if line.startswith("|")]
            if not lines:
                continue
            widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}

            assert 1 == len(widths), block

    def test_summary(self, mixed):
        """The summary table counts findings by severity, waived and the score."""
        out = markdown_format.export(mixed)

        assert "| 2 | 4 | 2 | 1 | 1 | 1 | 81 |" in out

    def test_errors(self, mixed):
        """Load, rule and plugin errors have sections of their own."""
        out = markdown_format.export(mixed)

        assert "## Load errors" in out
        assert "| `TST004` | beta | ZeroDivisionError | division by zero |" in out
        assert "| acme | cannot be imported |" in out

    @given(st.text())
    def test_escape_is_one_cell(self, text):
        """Escaped text has no unescaped pipe, no line break and no markup but <br>."""
        escaped = markdown_format.escape(text)

        assert not re.search(r"(?<!\\)\|", escaped.replace("\\\\", ""))
        assert "\n" not in escaped
        assert "\r" not in escaped
        assert "<" not in escaped.replace("<br>", "")


class TestHTML:
    def test_self_contained(self, mixed):
        """The page loads nothing: no src, links only within it, a strict CSP."""
        out = html_format.export(mixed)

        assert not re.search(r"\ssrc=", out)
        assert all(h.startswith("#") for h in re.findall(r'\shref="([^"]*)"', out))
        assert html_format.CONTENT_SECURITY_POLICY in out
        assert "default-src 'none'" in html_format.CONTENT_SECURITY_POLICY

    def test_script_escaped(self, mixed):
        """The only script element is the page's own; messages are escaped text."""
        out = html_format.export(mixed)

        assert 1 == out.count("<script>")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; in beta" in out
        assert SCRIPT not in out.split("<script>")[0]

    def test_rows(self, mixed):
        """One row per finding, with its severity and category as data attributes."""
        out = html_format.export(mixed)
        rows = re.findall(r'<tr class="finding[^"]*" ([^>]*)>', out)
        severities = Counter(re.search(r'data-severity="(\w+)"', r)[1] for r in rows)

        assert len(mixed.findings) == len(rows)
        assert Counter(f.severity.value for f in mixed.findings) == severities
        assert all('data-category="' in r for r in rows)

    def test_filters(self, mixed):
        """Severity and category selects list the choices, with 'all' first."""
        out = html_format.export(mixed)
        category = re.search(r'<select id="filter-category">(.*?)</select>', out)[1]

        assert re.findall(r'value="([^"]*)"', category) == [
            "",
            "clarity",
            "partner",
            "performance",
        ]
        assert '<select id="filter-severity">' in out

    def test_waived_row(self, mixed):
        """A waived finding's row is marked and shows the waiver's reason."""
        out = html_format.export(mixed)

        assert 'class="finding waived"' in out
        assert "waived: Accepted for the pilot" in out

    def test_attribute_values_escaped(self):
        """Quotes cannot leave an attribute value."""
        assert "&quot;&gt;&lt;x" == html_format._e('"><x')

    def test_errors_listed(self, mixed):
        """Load, rule and plugin errors are listed, escaped."""
        out = html_format.export(mixed)

        assert "rule error: <code>TST004</code> on beta" in out
        assert "plugin error: acme: cannot be imported" in out
        assert "engagements/bad.yaml:3:8: start:" in out


class TestSARIF:
    @pytest.mark.parametrize("which", ["mixed", "examples"])
    def test_valid(self, which, request):
        """The log validates against the official SARIF 2.1.0 schema."""
        report = request.getfixturevalue(which)
        log = json.loads(sarif_format.export(report))

        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)

    def test_report_read_back(self, mixed):
        """A report read back from JSON has no rules; findings and errors name them."""
        report = Report.from_dict(mixed.to_dict())
        log = sarif_format.to_sarif(report)
        rules = log["runs"][0]["tool"]["driver"]["rules"]

        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
        assert ["TST001", "TST002", "TST003", "TST004"] == [r["id"] for r in rules]
        assert "name" not in rules[-1]

    def test_schema_is_the_official_one(self):
        """The vendored schema is SARIF 2.1.0's, as OASIS published it."""
        assert (
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
            "sarif-schema-2.1.0.json"
        ) == SARIF_SCHEMA["id"]

    def test_driver(self, mixed):
        """The driver names the tool and describes every rule of the run."""
        driver = sarif_format.to_sarif(mixed)["runs"][0]["tool"]["driver"]
        rule = driver["rules"][0]

        assert "outsourcekit" == driver["name"]
        assert ["TST001", "TST002", "TST003", "TST004"] == [
            r["id"] for r in driver["rules"]
        ]
        assert {
            "id": "TST001",
            "name": "script-message",
            "shortDescription": {"text": "A message with markup"},
            "level": "error",
            "category": "clarity",
        } == {
            "id": rule["id"],
            "name": rule["name"],
            "shortDescription": rule["shortDescription"],
            "level": rule["defaultConfiguration"]["level"],
            "category": rule["properties"]["category"],
        }
        assert rule["help"]["text"].startswith("Fires on every engagement")

    def test_results(self, mixed):
        """Each finding is a result with its level, message and location."""
        results = sarif_format.to_sarif(mixed)["runs"][0]["results"]
        pipe = next(r for r in results if r["ruleId"] == "TST003")

        assert len(mixed.findings) == len(results)
        assert "note" == pipe["level"]
        assert "a | b | c\nsecond line" == pipe["message"]["text"]
        assert {
            "artifactLocation": {"uri": "engagements/beta.yaml"},
            "region": {"startLine": 4},
        } == pipe["locations"][0]["physicalLocation"]

    def test_suppressions(self, mixed):
        """An engagement's own waiver is an inSource suppression, with its reason."""
        results = sarif_format.to_sarif(mixed)["runs"][0]["results"]
        suppressed = [r for r in results if "suppressions" in r]

        assert 1 == len(suppressed)
        assert [{"kind": "inSource", "justification": "Accepted for the pilot"}] == (
            suppressed[0]["suppressions"]
        )

    def test_suppressions_of_central_waivers(self):
        """A central waiver is an external suppression, an engagement's own inSource."""
        central = CentralWaiver(
            engagement="b*",
            waiver=Waiver(rule="formula-message", reason="Kept in the waiver file"),
        )
        report = outsourcekit.check(
            [
                loads(ALPHA, source="engagements/alpha.yaml"),
                loads(BETA, source="engagements/beta.yaml"),
            ],
            as_of=AS_OF,
            rules=RULES,
            config=Config(central_waivers=[central]),
        )
        log = sarif_format.to_sarif(report)

        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
        assert [
            (
                "TST002",
                "alpha",
                [{"kind": "inSource", "justification": "Accepted for the pilot"}],
            ),
            (
                "TST002",
                "beta",
                [{"kind": "external", "justification": "Kept in the waiver file"}],
            ),
        ] == [
            (r["ruleId"], r["properties"]["engagement"], r["suppressions"])
            for r in log["runs"][0]["results"]
            if "suppressions" in r
        ]

    def test_own_waiver_wins_over_a_central_one(self):
        """Where both name a finding, the engagement's own waiver is the suppression."""
        central = CentralWaiver(
            engagement="alpha",
            waiver=Waiver(rule="TST002", reason="Also in the waiver file"),
        )
        report = outsourcekit.check(
            loads(ALPHA, source="engagements/alpha.yaml"),
            as_of=AS_OF,
            rules=RULES,
            config=Config(central_waivers=[central]),
        )
        results = sarif_format.to_sarif(report)["runs"][0]["results"]

        assert [[{"kind": "inSource", "justification": "Accepted for the pilot"}]] == [
            r["suppressions"] for r in results if "suppressions" in r
        ]

    def test_suppressions_against_a_baseline(self, mixed):
        """Against a baseline, findings it has are unchanged, not suppressed."""
        marked = mixed.with_baseline(mixed)
        results = sarif_format.to_sarif(marked)["runs"][0]["results"]

        assert {"unchanged"} == {r["baselineState"] for r in results}
        assert [[{"kind": "inSource", "justification": "Accepted for the pilot"}]] == [
            r["suppressions"] for r in results if "suppressions" in r
        ]

    def test_suppression_of_a_report_read_back(self, mixed):
        """Read back from JSON, where a waiver was kept is not known: external."""
        report = Report.from_dict(mixed.to_dict())
        results = sarif_format.to_sarif(report)["runs"][0]["results"]

        assert [[{"kind": "external", "justification": "Accepted for the pilot"}]] == [
            r["suppressions"] for r in results if "suppressions" in r
        ]

    def test_levels(self):
        """Severities map to SARIF levels: info is a note."""
        assert {"error": "error", "warning": "warning", "info": "note"} == (
            sarif_format.LEVELS
        )

    def test_notifications(self, mixed):
        """Load, rule and plugin errors are notifications; the run did not succeed."""
        invocation = sarif_format.to_sarif(mixed)["runs"][0]["invocations"][0]
        texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]

        assert invocation["executionSuccessful"] is False
        assert 3 == len(texts)

    def test_braces_are_doubled(self):
        """Braces in messages are written doubled: a viewer reads no placeholder."""
        found = one_finding("Vendor Acme {0} Ltd {EU} has no recorded vetting")
        report = attrs.evolve(
            found,
            errors=(
                SavedIssue(source="b.json", line=2, path="{0}", message="unknown {1}"),
            ),
        )
        run = sarif_format.to_sarif(report)["runs"][0]
        message = run["results"][0]["message"]
        note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]

        assert {"text": "Vendor Acme {{0}} Ltd {{EU}} has no recorded vetting"} == (
            message
        )
        assert {"text": "{{0}}: unknown {{1}}"} == note

    def test_notification_without_a_path(self):
        """A load error with no path reads as its message, after no stray colon."""
        report = attrs.evolve(
            one_finding("No owner"),
            errors=(
                SavedIssue(source="gone.yaml", path="", message="no such file"),
                SavedIssue(source="b.yaml", line=3, path="id", message="missing"),
            ),
        )
        run = sarif_format.to_sarif(report)["runs"][0]
        notes = run["invocations"][0]["toolExecutionNotifications"]

        assert ["no such file", "id: missing"] == [n["message"]["text"] for n in notes]

    @pytest.mark.parametrize(
        ("version", "semantic"),
        [
            ("1.2.3", "1.2.3"),
            ("2.0", "2.0.0"),
            ("3", "3.0.0"),
            ("0.1.0.dev0", "0.1.0-dev.0"),
            ("1.0.0rc1", "1.0.0-rc.1"),
            ("1.4a2", "1.4.0-a.2"),
            ("1.0.post1", None),
            ("1.0+local.7", None),
            ("1.0.0a1.dev2", None),
            ("1.2.3.4", None),
            ("01.2.3", None),
        ],
    )
    def test_semantic_version(self, version, semantic):
        """The driver's semanticVersion is SemVer 2.0.0, or left out."""
        assert semantic == sarif_format.semantic_version(version)
        if semantic is not None:
            assert SEMVER.fullmatch(semantic)

    def test_driver_versions(self, mixed):
        """The driver names its version as the package does, and as SemVer."""
        driver = sarif_format.to_sarif(mixed)["runs"][0]["tool"]["driver"]

        assert outsourcekit.__version__ == driver["version"]
        assert sarif_format.semantic_version(outsourcekit.__version__) == (
            driver.get("semanticVersion")
        )
        assert "semanticVersion" not in driver or SEMVER.fullmatch(
            driver["semanticVersion"]
        )

    @pytest.mark.parametrize(
        ("source", "uri"),
        [
            ("a b/c.yaml", "a%20b/c.yaml"),
            ("/srv/x.yaml", "file:///srv/x.yaml"),
            ("plain.yaml", "plain.yaml"),
        ],
    )
    def test_uri(self, source, uri):
        """File names become URI references; absolute ones file URIs."""
        assert uri == sarif_format._uri(source)


class TestJUnit:
    def parse(self, report):
        return ET.fromstring(junit_format.export(report).encode())  # noqa: S314

    def test_parses(self, examples):
        """The output is well-formed XML with a testsuites root."""
        assert "testsuites" == self.parse(examples).tag

    def test_counts_match_the_report(self, examples):
        """One failure per unwaived error; one test case per engagement and rule."""
        root = self.parse(examples)
        suites = root.findall("testsuite")

        assert len(examples.engagements) == len(suites)
        assert examples.summary["by_severity"]["error"] == len(
            root.findall(".//failure")
        )
        assert len(examples.engagements) * len(examples.rules) == len(
            root.findall(".//testcase")
        )
        assert str(len(root.findall(".//testcase"))) == root.get("tests")

    def test_suite_attributes(self, examples):
        """Each suite's counts agree with its test cases."""
        for suite in self.parse(examples).findall("testsuite"):
            cases = suite.findall("testcase")
            failed = [c for c in cases if c.find("failure") is not None]

            assert (str(len(cases)), str(len(failed))) == (
                suite.get("tests"),
                suite.get("failures"),
            )

    def test_waived_skipped(self, mixed):
        """A rule whose findings are all waived is a skipped test case."""
        root = self.parse(mixed)
        case = root.find(
            ".//testcase[@classname='alpha'][@name='TST002 formula-message']"
        )

        assert "waived: Accepted for the pilot" == case.find("skipped").get("message")
        assert "1" == root.get("skipped")

    def test_failure_text(self, mixed):
        """A failure holds the message, where it is and the fix."""
        root = self.parse(attrs.evolve(mixed, fail_on="info"))
        failure = root.find(
            ".//testcase[@classname='beta'][@name='TST003 pipe-message']"
        )

        assert (
            "a | b | c\\nsecond line\nat kpis[first-response] "
            "(engagements/beta.yaml:4)\nfix: -"
        ) == failure.find("failure").text

    def test_errors(self, mixed):
        """Rule errors err in their test case; load and plugin errors in a suite."""
        root = self.parse(mixed)
        run = root.find("testsuite[@name='outsourcekit']")

        assert "ZeroDivisionError" == root.find(
            ".//testcase[@classname='beta'][@name='TST004 raises-on-beta']/error"
        ).get("type")
        assert ["load", "plugin"] == [e.get("type") for e in run.iter("error")]
        assert "3" == root.get("errors")

    def test_control_characters_shown(self):
        """Characters XML cannot hold are shown escaped, never breaking the file."""
        assert "a\\x00\\x1bb\\ufffe" == junit_format._text("a\x00\x1bb\ufffe")


class TestText:
    def test_grouped_by_engagement(self, mixed):
        """Engagements head their findings, with source and score."""
        out = text_format.export(mixed)

        assert "alpha  [score 85]\n  engagements/alpha.yaml\n  error    TST001" in out

    def test_finding(self, mixed):
        """A finding is three lines: what and the line it is on, message and fix."""
        out = text_format.export(mixed)

        assert (
            "  info     TST003 pipe-message at kpis[first-response] (line 4)\n"
            "           a | b | c\\nsecond line\n"
            "           fix: -\n"
        ) in out

    def test_waived(self, mixed):
        """A waived finding says so, with the reason, and shows no fix."""
        out = text_format.export(mixed)

        assert (
            "  waived   TST002 formula-message at vendor (line 4)\n"
            f"           {FORMULA}\n"
            "           waived: Accepted for the pilot\n"
        ) in out

    def test_summary(self, mixed):
        """The first line and, in a long report, the last sum up the run."""
        out = text_format.export(mixed)

        assert out.startswith(
            "2 engagements, 4 findings (2 errors, 1 warning, 1 info), 1 waived, "
            "portfolio score 81\n"
        )
        assert out.endswith(
            "2 engagements, 4 findings (2 errors, 1 warning, 1 info), 1 waived, "
            "portfolio score 81\n"
        )

    def test_quiet(self, mixed):
        """Quiet output is the summary line alone."""
        out = text_format.render(mixed, quiet=True)

        assert 1 == len(out.splitlines())

    def test_titles(self, mixed):
        """Titles, when given, follow the engagement's id."""
        out = text_format.render(mixed, titles={"beta": "Support desk"})

        assert "beta  Support desk  [score 77]" in out

    def test_problems(self, mixed):
        """Load, rule and plugin errors are listed unless left to the caller."""
        out = text_format.render(mixed)
        quiet = text_format.render(mixed, problems=False)

        assert "rule error: TST004 failed on beta: ZeroDivisionError" in out
        assert "load error: engagements/bad.yaml:3:8: start:" in out
        assert "rule error" not in quiet

    def test_baseline(self, mixed):
        """Against a baseline, new findings are marked and fixed ones listed."""
        data = mixed.to_dict()
        pipe = next(f for f in data["findings"] if f["rule"] == "TST003")
        data["findings"].remove(pipe)
        gone = {**pipe, "path": "start"}
        data["findings"].append(gone)

        out = text_format.render(mixed, diff=mixed.diff(data))

        assert 1 == out.count("[new]")
        assert "TST003 pipe-message at kpis[first-response] " in (
            next(line for line in out.splitlines() if "[new]" in line)
        )
        assert (
            "Fixed since the baseline (1):\n  TST003 pipe-message  beta  start\n"
        ) in out
        assert "\nAgainst the baseline: 1 new finding, 1 fixed\n" in out
        assert 3 == out.count("[unchanged]")

    def test_colour(self, mixed):
        """Colour is ANSI escapes, only when asked for."""
        assert "\x1b[1;31merror   \x1b[0m" in text_format.render(mixed, color=True)
        assert "\x1b[" not in text_format.render(mixed)

    def test_terminal_escapes_shown(self):
        """Control characters in data cannot drive the terminal."""
        assert "a\\x1b[2Jb" == text_format.escape("a\x1b[2Jb")

    def test_saved_load_error(self, mixed):
        """A load error read back from a saved report reads like the run's own."""
        out = text_format.render(Report.from_dict(mixed.to_dict()))

        assert (
            "load error: engagements/bad.yaml:3:8: start: expected a date like "
            "2026-01-05, got 'soon'\n"
        ) in out

    def test_no_engagements(self):
        """An empty report still has a summary."""
        report = Report.from_dict(
            {"format": 1, "as_of": "2026-11-22", "engagements": [], "findings": []}
        )

        assert (
            "0 engagements, 0 findings, 0 waived, no portfolio score\n"
            == text_format.export(report)
        )


class TestTextLayout:
    def test_scores_worst_first(self, examples):
        """The score table follows the summary, worst engagement first."""
        lines = text_format.export(examples).splitlines()
        table = lines[2 : 3 + len(examples.engagements)]
        scores = [int(line.split()[0]) for line in table[1:]]

        assert "score  errors  warnings  info  engagement" == table[0]
        assert sorted(scores) == scores

    def test_blocks_worst_first(self, examples):
        """Engagements with findings follow, worst first, each file named once."""
        out = text_format.export(examples)
        worst = min(examples.engagements, key=lambda e: (e.score, e.id))

        assert f"\n\n{worst.id}  [score {worst.score}]\n  {worst.source}\n" in out
        assert 1 == out.count(f"  {worst.source}\n")

    def test_wrapped(self, examples):
        """Messages wrap under the width, continued lines indented under the head."""
        out = text_format.render(examples, width=60)
        body = [line for line in out.splitlines() if line.startswith(" " * 11)]

        assert body
        assert all(len(line) <= 60 or " " not in line.strip() for line in body)

    def test_skipped_counted(self, mixed):
        """Paths skipped while walking are counted under the summary."""
        report = attrs.evolve(
            mixed,
            skipped=(
                SkippedFile(path="package.json", reason="not an engagement file"),
            ),
        )

        assert (
            "1 path skipped while walking directories"
            in (text_format.export(report).splitlines()[1])
        )
