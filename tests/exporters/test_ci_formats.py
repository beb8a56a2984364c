"""The formats for CI (concise, github, gitlab) and the baseline in every format."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import attrs
import jsonschema
import pytest
from export_support import mixed_report

from outsourcekit.builtin.exporters import concise as concise_format
from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import github as github_format
from outsourcekit.builtin.exporters import gitlab as gitlab_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import junit as junit_format
from outsourcekit.builtin.exporters import markdown as markdown_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.builtin.exporters import text as text_format
from outsourcekit.builtin.exporters._escape import github_data, github_property
from outsourcekit.engine import Finding, Severity

#: A workflow command as GitHub's runner reads it.
COMMAND = re.compile(r"::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)")
#: The fields of a GitLab code-quality issue that GitLab reads.
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": [
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
        ],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def unescape(text: str) -> str:
    """Undo GitHub's escaping of data and properties, as its runner does."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ",")):
        text = text.replace(code, char)
    return text.replace("%25", "%")


def commands(output: str) -> list[tuple[str, dict[str, str], str]]:
    """Parse the workflow commands of *output*: name, properties and message."""
    found = []
    for line in output.splitlines():
        m = COMMAND.fullmatch(line)
        if m is None:
            continue
        props = {}
        for item in (m.group("props") or "").split(","):
            if item:
                key, _, value = item.partition("=")
                props[key] = unescape(value)
        found.append((m.group("name"), props, unescape(m.group("data"))))
    return found


def against_itself():
    """The mixed report against a baseline of itself, but for beta's TST003."""
    report = mixed_report()
    base = attrs.evolve(
        report, findings=tuple(f for f in report.findings if f.rule != "TST003")
    )
    return report.with_baseline(base)


class TestConcise:
    def test_one_line_per_finding(self):
        """Each unwaived finding is one line, then each load error, then the summary."""
        lines = concise_format.export(mixed_report()).splitlines()

        formula = '=HYPERLINK("http://example.invalid","click")'
        load = "start: expected a date like 2026-01-05, got 'soon'"
        script = "<script>alert(1)</script>"
        summary = "2 engagements, 4 findings (2 errors, 1 warning, 1 info), 1 waived"

        assert [
            f"engagements/alpha.yaml:2: error TST001 script-message {script} in alpha",
            f"engagements/beta.yaml:2: error TST001 script-message {script} in beta",
            f"engagements/beta.yaml:1: warning TST002 formula-message {formula}",
            "engagements/beta.yaml:4: info TST003 pipe-message a | b | c\\nsecond line",
            f"engagements/bad.yaml:3: error load-error {load}",
            f"{summary}, portfolio score 81",
        ] == lines

    def test_baseline_marks(self):
        """Against a baseline each line ends in [new] or [unchanged]."""
        lines = concise_format.export(against_itself()).splitlines()

        assert lines[0].endswith("[unchanged]")
        assert lines[3].endswith("pipe-message a | b | c\\nsecond line [new]")


class TestGitHub:
    def test_commands(self):
        """Findings are annotations with file, line and title; errors fail the run."""
        found = commands(github_format.export(mixed_report()))

        assert [
            ("error", "engagements/alpha.yaml", "TST001 script-message"),
            ("error", "engagements/beta.yaml", "TST001 script-message"),
            ("warning", "engagements/beta.yaml", "TST002 formula-message"),
            ("notice", "engagements/beta.yaml", "TST003 pipe-message"),
            ("error", "engagements/bad.yaml", "outsourcekit load error"),
            ("error", None, None),
            ("error", None, None),
        ] == [(name, p.get("file"), p.get("title")) for name, p, _ in found]
        assert ("4", "a | b | c\\nsecond line\nfix: -") == (
            found[3][1]["line"],
            found[3][2],
        )

    def test_rule_error_names_the_engagement(self):
        """A rule error's annotation says on which engagement the rule failed."""
        report = mixed_report()
        portfolio = attrs.evolve(
            report.rule_errors[0], engagement=None, message="no facts"
        )
        report = attrs.evolve(
            report, rule_errors=(*report.rule_errors, portfolio), plugin_errors=()
        )

        found = [c for c in commands(github_format.export(report)) if not c[1]]

        assert [
            "rule TST004 failed on beta: ZeroDivisionError: division by zero",
            "rule TST004 failed on the portfolio: ZeroDivisionError: no facts",
        ] == [data for _, _, data in found]

    def test_fail_on(self):
        """--fail-on info makes every unwaived finding an error annotation."""
        report = attrs.evolve(mixed_report(), fail_on="info")
        found = commands(github_format.export(report))

        assert ["error"] * 7 == [name for name, _, _ in found]

    def test_baseline(self):
        """A finding in the baseline never fails: a warning, titled as such."""
        found = commands(github_format.export(against_itself()))

        assert ("warning", "TST001 script-message (in the baseline)") == (
            found[0][0],
            found[0][1]["title"],
        )
        assert "notice" == found[3][0]

    def test_escaping(self):
        """Values cannot forge a command: %, line breaks, : and , are escaped."""
        value = "50%\r\n::error::forged, a: b\x1b[31m"

        assert "50%25\\r\\n::error::forged, a: b\\x1b[31m" == github_data(value)
        assert "50%25\\r\\n%3A%3Aerror%3A%3Aforged%2C a%3A b\\x1b[31m" == (
            github_property(value)
        )

    def test_hostile_file_name(self):
        """A file name with , and : stays one property."""
        finding = Finding(
            rule="TST001",
            slug="script-message",
            category="clarity",
            severity=Severity.ERROR,
            engagement="alpha",
            path="title",
            message="m",
            fix="",
            source="a,title=x:y.yaml",
            line=2,
        )
        report = attrs.evolve(mixed_report(), findings=(finding,), errors=())
        found = commands(github_format.export(report))

        assert {
            "file": "a,title=x:y.yaml",
            "line": "2",
            "title": "TST001 script-message",
        } == (found[0][1])

    def test_paths_from_the_workspace(self, tmp_path, monkeypatch):
        """Run from a subfolder in a workflow, files are named from the workspace.

        GitHub finds an annotation's file from the repository's root; a file
        outside the workspace is named as it is.
        """
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path / "sub")
        monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
        report = mixed_report()
        outside = attrs.evolve(report.findings[0], source="/elsewhere/x.yaml")
        report = attrs.evolve(report, findings=(*report.findings, outside))

        found = commands(github_format.export(report))

        assert [
            "sub/engagements/alpha.yaml",
            "sub/engagements/beta.yaml",
            "sub/engagements/beta.yaml",
            "sub/engagements/beta.yaml",
            "/elsewhere/x.yaml",
            "sub/engagements/bad.yaml",
        ] == [p["file"] for _, p, _ in found if "file" in p]

    def test_workspace_named_through_a_link(self, tmp_path, monkeypatch):
        """A workspace named through a link holds the files found through it."""
        (tmp_path / "work" / "sub").mkdir(parents=True)
        (tmp_path / "link").symlink_to(tmp_path / "work")
        monkeypatch.chdir(tmp_path / "work" / "sub")
        monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "link"))

        found = commands(github_format.export(mixed_report()))

        assert "sub/engagements/alpha.yaml" == found[0][1]["file"]


class TestSarif:
    def test_paths_from_the_workspace(self, tmp_path, monkeypatch):
        """Run from a subfolder in a workflow, URIs are from the workspace.

        Code scanning reads a relative URI from the repository's root.
        """
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path / "sub")
        monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))

        data = sarif_format.to_sarif(mixed_report())

        run = data["runs"][0]
        uris = [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in run["results"]
        ]
        assert {"sub/engagements/alpha.yaml", "sub/engagements/beta.yaml"} == set(uris)
        notice = run["invocations"][0]["toolExecutionNotifications"][0]
        assert (
            "sub/engagements/bad.yaml"
            == (notice["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        )


class TestGitLab:
    def test_schema(self):
        """The output has the fields GitLab's code-quality report reads."""
        data = json.loads(gitlab_format.export(mixed_report()))

        jsonschema.validate(data, GITLAB_SCHEMA)
        assert 5 == len(data)

    def test_issue(self):
        """A finding names its check, severity, file and line."""
        data = gitlab_format.to_gitlab(mixed_report())

        assert {
            "check_name": "TST003 pipe-message",
            "severity": "info",
            "location": {"path": "engagements/beta.yaml", "lines": {"begin": 4}},
        } == {k: data[4][k] for k in ("check_name", "severity", "location")}

    def test_paths_from_the_project_dir(self, tmp_path, monkeypatch):
        """Run from a subfolder in a pipeline, paths are from CI_PROJECT_DIR.

        GitLab reads ``location.path`` from the repository's root; the
        findings' fingerprints stay those of a run from anywhere else.
        """
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path / "sub")
        before = gitlab_format.to_gitlab(mixed_report())
        monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))

        data = gitlab_format.to_gitlab(mixed_report())

        assert [
            "sub/engagements/bad.yaml",
            "sub/engagements/alpha.yaml",
            "sub/engagements/beta.yaml",
            "sub/engagements/beta.yaml",
            "sub/engagements/beta.yaml",
        ] == [i["location"]["path"] for i in data]
        assert [i["fingerprint"] for i in before[1:]] == [
            i["fingerprint"] for i in data[1:]
        ]

    def test_fingerprints_unique_and_stable(self):
        """Fingerprints are unique within a report and the same on every run."""
        first = [i["fingerprint"] for i in gitlab_format.to_gitlab(mixed_report())]
        second = [i["fingerprint"] for i in gitlab_format.to_gitlab(mixed_report())]

        assert first == second
        assert len(set(first)) == len(first)

    @pytest.mark.parametrize(
        ("severity", "level"), list(gitlab_format.SEVERITIES.items())
    )
    def test_severities(self, severity, level):
        """Each severity maps to one of GitLab's levels."""
        assert level in {"info", "minor", "major", "critical", "blocker"}
        assert severity in {"error", "warning", "info"}


class TestBaseline:
    def test_sarif(self):
        """Every SARIF result carries its baselineState."""
        log = sarif_format.to_sarif(against_itself())

        assert ["unchanged", "unchanged", "unchanged", "unchanged", "new"] == [
            r["baselineState"] for r in log["runs"][0]["results"]
        ]

    def test_sarif_without(self):
        """Without a baseline no result has a baselineState."""
        log = sarif_format.to_sarif(mixed_report())

        assert not any("baselineState" in r for r in log["runs"][0]["results"])

    def test_json(self):
        """Each JSON finding has a baseline field."""
        data = json.loads(json_format.export(against_itself()))

        assert ["unchanged"] * 4 + ["new"] == [f["baseline"] for f in data["findings"]]

    def test_csv(self):
        """CSV gets a baseline column."""
        rows = list(csv.DictReader(io.StringIO(csv_format.export(against_itself()))))

        assert ["unchanged"] * 4 + ["new"] == [r["baseline"] for r in rows]

    def test_markdown(self):
        """Markdown's findings tables get a baseline column."""
        out = markdown_format.export(against_itself())

        assert "| message | fix | baseline |" in out
        assert out.count("| new |") == 1

    def test_junit(self):
        """JUnit fails only on new findings at or above fail-on."""
        report = attrs.evolve(against_itself(), fail_on="info")
        root = ET.fromstring(junit_format.export(report).encode())  # noqa: S314

        assert ["a | b | c\\nsecond line"] == [
            f.get("message") for f in root.iter("failure")
        ]
        assert "1" == root.get("failures")

    def test_text(self):
        """Text marks each finding new or unchanged."""
        report = against_itself()
        out = text_format.render(report, diff=report.diff(mixed_report()))

        assert "[new]" in out
        assert "[unchanged]" in out

    def test_new_only(self):
        """new_only leaves out what the baseline had; scores stay."""
        report = against_itself()
        fresh = report.new_only()

        assert ["TST003"] == [f.rule for f in fresh.findings if f.waived is None]
        assert [e.score for e in report.engagements] == [
            e.score for e in fresh.engagements
        ]
