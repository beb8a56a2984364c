"""The command line reports problems of its own files by file and line, exit 2."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from cli_support import AS_OF, CLEAN, example


def _fails_cleanly(result, message):
    """Assert exit 2, *message* on stderr and no traceback."""
    assert 2 == result.exit_code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


class TestConfigurationErrors:
    def test_bad_value_names_file_and_line(self, invoke, tmp_path):
        """A bad value in outsourcekit.toml names the file and its line."""
        (tmp_path / "outsourcekit.toml").write_text(
            'select = ["OSK1"]\nfail-on = "eror"\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(
            result,
            "outsourcekit.toml:2: fail-on: must be one of info, warning, error, never "
            "(got 'eror') (did you mean 'error'?)",
        )

    def test_found_file_is_named_as_written_below(self, invoke, tmp_path):
        """A file found below the working directory is named relative to it."""
        (tmp_path / "pyproject.toml").write_text(
            "[tool.outsourcekit]\nselect = 5\n", encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        assert 2 == result.exit_code
        message = (
            "Error: pyproject.toml:2: tool.outsourcekit.select: must be a list of "
            "rule codes, prefixes, categories or slugs (got 5 (a number))"
        )
        assert [message] == result.stderr.splitlines()

    def test_unknown_rule_names_its_line(self, invoke, tmp_path):
        """A rule no rule has is located at its list item."""
        (tmp_path / "outsourcekit.toml").write_text(
            'select = [\n  "OSK1",\n  "confidentialty",\n]\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(
            result,
            "outsourcekit.toml:3: select: no rule has the code, code prefix, category "
            "or slug 'confidentialty' (did you mean 'confidentiality'?)",
        )

    def test_flag_problem_is_the_flags(self, invoke, tmp_path):
        """A --select naming no rule is reported as the flag's."""
        (tmp_path / "outsourcekit.toml").write_text(
            'ignore = ["OSK108"]\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--select", "confidentialty")

        _fails_cleanly(
            result,
            "Error: --select: no rule has the code, code prefix, category or slug "
            "'confidentialty' (did you mean 'confidentiality'?)",
        )

    @pytest.mark.parametrize(
        ("flag", "value", "named"),
        [
            ("--select", "", "rule codes, code prefixes, categories or slugs"),
            ("--ignore", " , ", "rule codes, code prefixes, categories or slugs"),
            ("--extend-select", ",", "rule codes, code prefixes, categories or slugs"),
            ("--exclude", "", "globs"),
        ],
    )
    def test_flag_naming_nothing(self, invoke, tmp_path, flag, value, named):
        """A flag whose value names nothing is an error, not a flag not given."""
        (tmp_path / "outsourcekit.toml").write_text(
            'select = ["OSK6"]\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), flag, value)

        assert (
            f"Error: {flag}: {value!r} names nothing; give {named}, separated by "
            "commas\n"
        ) == result.stderr
        assert 2 == result.exit_code

    def test_invalid_utf8(self, invoke, tmp_path):
        """A configuration file that is not UTF-8 is a located error."""
        (tmp_path / "outsourcekit.toml").write_bytes(b'select = ["OSK1"]\n# \xfe\n')

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(
            result, "outsourcekit.toml:2: the file is not UTF-8 text: byte 0xfe"
        )

    def test_config_option_file(self, invoke, tmp_path):
        """A --config file's problems name that file and line."""
        config = tmp_path / "checks.yaml"
        config.write_text("select: [OSK1]\nselct: []\n", encoding="utf-8")

        result = invoke("check", example(CLEAN), "--config", config)

        _fails_cleanly(
            result, "checks.yaml:2: selct: unknown key 'selct' (did you mean 'select'?)"
        )


class TestWaiverFileErrors:
    @pytest.fixture
    def configured(self, tmp_path):
        (tmp_path / "outsourcekit.toml").write_text(
            'waivers = "waivers.yaml"\n', encoding="utf-8"
        )
        return tmp_path / "waivers.yaml"

    def test_reason_no_is_text(self, invoke, configured):
        """`reason: no` in a central waiver file is the reason "no"."""
        configured.write_text(
            "- engagement: harbour-finch-bookkeeping\n  rule: OSK601\n  reason: no\n",
            encoding="utf-8",
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        assert 0 == result.exit_code

    def test_bad_waiver_names_file_and_line(self, invoke, configured):
        """A bad value in a waiver file names that file, the line and the key."""
        configured.write_text(
            "- engagement: a\n  rule: OSK601\n  until: soon\n", encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(
            result,
            "waivers.yaml:3: waivers[0].until: expected a date in ISO 8601 form",
        )

    def test_invalid_bytes(self, invoke, configured):
        """A waiver file with bytes that are not UTF-8 is exit 2, located."""
        configured.write_bytes(b"- engagement: a\n  rule: OSK601\n  reason: \xff\n")

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(result, "waivers.yaml:3: the file is not UTF-8 text")

    def test_unknown_rule(self, invoke, configured):
        """A central waiver naming no rule is an error with a suggestion."""
        configured.write_text(
            "- engagement: a\n  rule: OSK601\n  reason: r\n"
            "- engagement: b\n  rule: no-kpi\n  reason: r\n",
            encoding="utf-8",
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        _fails_cleanly(
            result,
            "waivers.yaml:5: waivers[1].rule: no rule has the code or slug 'no-kpi' "
            "(did you mean 'no-kpis'?)",
        )

    def test_missing_file_names_the_setting(self, invoke, configured):
        """A waiver file that is not there is the configuration's error, at its line."""
        del configured

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        assert 2 == result.exit_code
        assert (
            "Error: outsourcekit.toml:1: waivers: waivers.yaml: cannot be read: "
            "No such file or directory\n"
        ) == result.stderr

    def test_folder_names_the_setting(self, invoke, configured):
        """A waiver file that is a folder is the configuration's error too."""
        configured.mkdir()

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        assert (
            "Error: outsourcekit.toml:1: waivers: waivers.yaml: cannot be read: it "
            "is not a regular file\n"
        ) == result.stderr

    def test_missing_file_of_config_option(self, invoke, tmp_path):
        """With --config, the file is named as given, the waivers from its folder."""
        (tmp_path / "conf").mkdir()
        (tmp_path / "conf" / "ok.toml").write_text(
            'fail-on = "error"\nwaivers = "w/nowhere.yaml"\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--config", "conf/ok.toml")

        assert (
            "Error: conf/ok.toml:2: waivers: w/nowhere.yaml: cannot be read: No such "
            "file or directory\n"
        ) == result.stderr


class TestConfiguredPaths:
    def test_missing_path(self, invoke, tmp_path):
        """A configured path that is not there names the file, its line and key."""
        (tmp_path / "engagements").mkdir()
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "error"\npaths = [\n  "engagements",\n  "nothere",\n]\n',
            encoding="utf-8",
        )

        result = invoke("check")

        assert 2 == result.exit_code
        assert (
            "Error: outsourcekit.toml:4: paths[1]: nothere: no such file or directory\n"
        ) == result.stderr
        assert "" == result.stdout

    @pytest.mark.parametrize(
        ("written", "key"),
        [('["engagements", "a\\u0000b"]', "paths[1]"), ('"a\\u0000b"', "paths")],
    )
    def test_path_with_nul(self, invoke, tmp_path, written, key):
        """A configured path holding a NUL character is refused, not a traceback."""
        (tmp_path / "engagements").mkdir()
        (tmp_path / "outsourcekit.toml").write_text(
            f"paths = {written}\n", encoding="utf-8"
        )

        result = invoke("check")

        assert 2 == result.exit_code
        assert (
            f"Error: outsourcekit.toml:1: {key}: must be a file or folder, which "
            "holds no NUL character (got 'a\\x00b')\n"
        ) == result.stderr

    @pytest.mark.parametrize(
        ("root", "problem"),
        [("nothere", "no such folder"), ("e.yaml", "not a folder")],
    )
    def test_import_root_not_a_folder(self, invoke, tmp_path, root, problem):
        """An import-root that is no folder names the file, its line and key."""
        (tmp_path / "e.yaml").write_text("id: e\n", encoding="utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            f'fail-on = "error"\nimport-root = "{root}"\n', encoding="utf-8"
        )

        result = invoke("check", "e.yaml")

        assert 2 == result.exit_code
        assert (
            f"Error: outsourcekit.toml:2: import-root: {root}: {problem}\n"
        ) == result.stderr

    @pytest.mark.parametrize(
        ("key", "value"), [("import-root", '"{}"'), ("paths", '["{}"]')]
    )
    def test_name_too_long(self, invoke, tmp_path, key, value):
        """A folder whose name is too long is the setting's error, saying so."""
        long = "r" * (os.pathconf(tmp_path, "PC_NAME_MAX") + 1)
        (tmp_path / "e.yaml").write_text("id: e\n", encoding="utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            f"{key} = {value.format(long)}\n", encoding="utf-8"
        )

        result = invoke("check", *(["e.yaml"] if key == "import-root" else []))

        assert 2 == result.exit_code
        where = key if key == "import-root" else f"{key}[0]"
        assert (
            f"Error: outsourcekit.toml:1: {where}: {long}: file name too long\n"
        ) == result.stderr

    def test_missing_path_in_pyproject(self, invoke, tmp_path):
        """In pyproject.toml, the key is named with its table."""
        (tmp_path / "pyproject.toml").write_text(
            '[project]\nname = "x"\n\n[tool.outsourcekit]\npaths = "nothere"\n',
            encoding="utf-8",
        )

        result = invoke("check")

        assert (
            "Error: pyproject.toml:5: tool.outsourcekit.paths: nothere: no such file "
            "or directory\n"
        ) == result.stderr

    def test_paths_given_win(self, invoke, tmp_path):
        """PATHs on the command line replace the configured ones, missing or not."""
        (tmp_path / "outsourcekit.toml").write_text(
            'paths = ["nothere"]\n', encoding="utf-8"
        )

        result = invoke("check", example(CLEAN), "--as-of", AS_OF)

        assert 0 == result.exit_code


def unreadable(monkeypatch, name: str) -> None:
    """Make the file *name* one this user may not read, as without permission."""
    real_access, real_open = os.access, Path.open

    def access(path, mode, *args, **kwargs):
        if Path(path).name == name and mode & os.R_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    def open_(self, *args, **kwargs):
        if self.name == name:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(Path, "open", open_)


class TestUnreadableFlagFiles:
    def test_baseline(self, invoke, tmp_path, monkeypatch):
        """An unreadable --baseline is told as every other file problem is."""
        (tmp_path / "x.json").write_text("{}", encoding="utf-8")
        unreadable(monkeypatch, "x.json")

        result = invoke("check", example(CLEAN), "--baseline", "x.json")

        assert (
            2,
            "Error: --baseline x.json: cannot be read: Permission denied\n",
        ) == (result.exit_code, result.stderr)

    def test_config(self, invoke, tmp_path, monkeypatch):
        """An unreadable --config is told as every other file problem is."""
        (tmp_path / "x.toml").write_text("", encoding="utf-8")
        unreadable(monkeypatch, "x.toml")

        result = invoke("check", example(CLEAN), "--config", "x.toml")

        assert (
            2,
            "Error: --config x.toml: cannot be read: Permission denied\n",
        ) == (result.exit_code, result.stderr)

    @pytest.mark.parametrize("flag", ["--baseline", "--config"])
    def test_folder(self, invoke, tmp_path, flag):
        """A folder named by --baseline or --config is told as a FIFO is."""
        (tmp_path / "d").mkdir()

        result = invoke("check", example(CLEAN), flag, "d")

        assert (
            2,
            f"Error: {flag} d: cannot be read: it is not a regular file\n",
        ) == (result.exit_code, result.stderr)


class TestBaselineErrors:
    def test_deeply_nested(self, invoke, tmp_path):
        """A baseline nested deeper than any reader goes is a clear error."""
        base = tmp_path / "b.json"
        base.write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")

        result = invoke("check", example(CLEAN), "--baseline", base)

        _fails_cleanly(result, "b.json:1: invalid JSON: nested too deeply to be read")

    def test_wrong_shape(self, invoke, tmp_path):
        """A baseline of the wrong shape names the file, line and path."""
        base = tmp_path / "b.json"
        document = {"format": 1, "as_of": AS_OF, "findings": [{"rule": "OSK601"}]}
        base.write_text(json.dumps(document, indent=1), encoding="utf-8")

        result = invoke("check", example(CLEAN), "--baseline", base)

        _fails_cleanly(
            result, "b.json:5: findings[0]: missing required key 'slug' (text)"
        )

    @pytest.mark.parametrize("version", ["true", '"1"', "2"])
    def test_format_must_be_one(self, invoke, tmp_path, version):
        """Only format 1 is a report document; true is not 1."""
        base = tmp_path / "b.json"
        base.write_text(f'{{"format": {version}}}', encoding="utf-8")

        result = invoke("check", example(CLEAN), "--baseline", base)

        _fails_cleanly(result, f"format: report format must be 1 (got {version})")


#: London and a late shift in Manila: 6h of shared working hours.
SIX_HOURS_SHARED = """\
id: acme-bookkeeping
status: active
start: 2026-01-05
client:
  name: Acme Ltd
  timezone: Europe/London
  working_hours: "09:00-17:30"
vendor:
  name: LedgerPros
  timezone: Asia/Manila
  working_hours: "14:00-23:00"
"""


class TestDurationOptions:
    @pytest.fixture
    def engagement(self, tmp_path):
        path = tmp_path / "acme.yaml"
        path.write_text(SIX_HOURS_SHARED, encoding="utf-8")
        return path

    def overlap_findings(self, invoke, engagement, *flags):
        result = invoke(
            "check",
            engagement,
            *("--as-of", AS_OF, "--select", "OSK501", "--format", "json", *flags),
        )
        assert ("", 0) == (result.stderr, result.exit_code)
        return [
            (f["message"].rpartition(", ")[2], f["evidence"]["min_overlap_hours"])
            for f in json.loads(result.stdout)["findings"]
        ]

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            (
                "pyproject.toml",
                '[tool.outsourcekit.rules.no-working-overlap]\nmin-overlap = "6h30m"\n',
            ),
            ("outsourcekit.toml", '[rules.OSK501]\nmin-overlap = "PT6H30M"\n'),
        ],
    )
    def test_toml(self, invoke, tmp_path, engagement, name, text):
        """min-overlap is written as the file format writes durations."""
        (tmp_path / name).write_text(text, encoding="utf-8")

        assert [("below the 6h30m minimum", 6.5)] == self.overlap_findings(
            invoke, engagement
        )

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("checks.yaml", "rules:\n  no-working-overlap:\n    min-overlap: 390m\n"),
            ("checks.json", '{"rules": {"OSK501": {"min-overlap": "6.5h"}}}\n'),
        ],
    )
    def test_config_flag(self, invoke, tmp_path, engagement, name, text):
        """A --config file in YAML or JSON takes durations too."""
        (tmp_path / name).write_text(text, encoding="utf-8")

        assert [("below the 6h30m minimum", 6.5)] == self.overlap_findings(
            invoke, engagement, "--config", tmp_path / name
        )

    def test_reached(self, invoke, tmp_path, engagement):
        """An overlap of exactly min-overlap does not fire."""
        (tmp_path / "outsourcekit.toml").write_text(
            '[rules.no-working-overlap]\nmin-overlap = "6h"\n', encoding="utf-8"
        )

        assert [] == self.overlap_findings(invoke, engagement)

    @pytest.mark.parametrize(
        "case",
        [
            (
                "outsourcekit.toml",
                "[rules.no-working-overlap]\n\nmin-overlap = 2\n",
                "outsourcekit.toml:3: rules.no-working-overlap.min-overlap",
                "got 2 that is a whole number; a number needs a unit",
            ),
            (
                "checks.yaml",
                "rules:\n  OSK501:\n    min-overlap: 2 business days\n",
                "checks.yaml:3: rules.OSK501.min-overlap",
                (
                    "got '2 business days'; business days are no fixed length of "
                    "time: use hours, days or weeks"
                ),
            ),
            (
                "checks.json",
                '{"rules": {\n  "OSK501": {\n    "min-overlap": "2 months"}}}\n',
                "checks.json:3: rules.OSK501.min-overlap",
                "got '2 months'; months and years vary in length: use days or weeks",
            ),
        ],
    )
    def test_not_a_duration(self, invoke, engagement, case):
        """What is no fixed duration is refused at its file and line, exit 2."""
        name, text, where, problem = case
        config = engagement.parent / name
        config.write_text(text, encoding="utf-8")

        result = invoke("check", engagement, "--as-of", AS_OF, "--config", config)

        message = (
            f"Error: {where}: option 'min-overlap' must be a duration such as 2h, "
            f"90m or PT1H30M ({problem})"
        )
        assert (2, [message]) == (result.exit_code, result.stderr.splitlines())


class TestCentralWaiverFindings:
    @pytest.fixture
    def setup(self, tmp_path):
        """An engagement with a waiver of its own, one without, and central waivers."""
        (tmp_path / "eng").mkdir()
        (tmp_path / "eng" / "a.yaml").write_text(
            "id: acme\nclient: {name: Acme}\ntitle: Books\n"
            "waivers: [{rule: no-kpis, reason: agreed later}]\n",
            encoding="utf-8",
        )
        (tmp_path / "eng" / "b.yaml").write_text("id: beta\n", encoding="utf-8")
        (tmp_path / "waivers.yaml").write_text(
            "- {engagement: acme, rule: no-exit-plan, reason: no critical tasks}\n"
            "- {engagement: beta, rule: no-owner}\n",
            encoding="utf-8",
        )
        (tmp_path / "outsourcekit.toml").write_text(
            'waivers = "waivers.yaml"\nselect = ["governance", "OSK701"]\n'
            'fail-on = "info"\n',
            encoding="utf-8",
        )
        return tmp_path / "waivers.yaml"

    @pytest.mark.parametrize("jobs", ["1", "2"])
    def test_concise_names_the_waiver_file(self, invoke, setup, jobs):
        """A finding about a central waiver is at its entry, not in the engagement."""
        del setup

        result = invoke(
            "check", "eng", "--as-of", AS_OF, "--format", "concise", "--jobs", jobs
        )

        assert (
            "waivers.yaml:1: info OSK905 unused-waiver The waiver of no-exit-plan in "
            "the central waiver file for acme matches no finding of this engagement\n"
            "eng/b.yaml:1: error OSK701 no-kpis No KPIs are defined\n"
            "waivers.yaml:2: error OSK902 waiver-without-reason The waiver of "
            "no-owner in the central waiver file for beta gives no reason, so it "
            "does not apply\n"
        ) in result.stdout

    @pytest.mark.parametrize("fmt", ["concise", "github"])
    def test_glob_entry_names_each_engagement(self, invoke, setup, fmt):
        """One glob entry's findings, all at its line, say whose each is."""
        setup.write_text(
            '- {engagement: "*", rule: no-owner, reason: r, until: 2026-01-01}\n',
            encoding="utf-8",
        )

        result = invoke("check", "eng", "--as-of", AS_OF, "--format", fmt)

        expired = [
            line for line in result.stdout.splitlines() if "waiver-expired" in line
        ]
        assert 2 == len(expired)
        assert "for acme expired on 2026-01-01" in expired[0]
        assert "for beta expired on 2026-01-01" in expired[1]

    def test_sarif_names_the_waiver_file(self, invoke, setup):
        """SARIF places the finding in the waiver file, at the entry's line."""
        del setup

        result = invoke("check", "eng", "--as-of", AS_OF, "--format", "sarif")
        (run,) = json.loads(result.stdout)["runs"]

        assert [
            ("OSK905", "waivers.yaml", 1),
            ("OSK701", "eng/b.yaml", 1),
            ("OSK902", "waivers.yaml", 2),
        ] == [
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in run["results"]
            if "suppressions" not in r
        ]

    @pytest.mark.parametrize("fmt", ["text", "jsonl"])
    def test_second_finding_of_one_key_is_new(self, invoke, setup, fmt):
        """One finding in the baseline accounts for one finding of its key, no more."""
        setup.write_text(
            "- {engagement: acme, rule: no-exit-plan, reason: no critical tasks}\n",
            encoding="utf-8",
        )
        recorded = invoke("check", "eng", "--as-of", AS_OF, "--output", "base.json")
        assert 1 == recorded.exit_code
        with setup.open("a", encoding="utf-8") as file:
            file.write("- {engagement: acme, rule: stale-status, reason: kept}\n")

        result = invoke(
            "check", "eng", "--as-of", AS_OF, "--baseline", "base.json", "--format", fmt
        )

        assert 1 == result.exit_code
        if fmt == "text":
            assert "Against the baseline: 1 new finding, 0 fixed" in result.stdout


class TestBaselineInJsonLines:
    @pytest.mark.parametrize(
        "recorded",
        [[], ["--ignore", "OSK601"], ["--as-of", "2026-01-05"]],
        ids=["same", "new", "new-and-fixed"],
    )
    def test_same_verdict_as_json(self, invoke, tmp_path, recorded):
        """A jsonl report of a run is the same baseline as its json report."""
        args = ["check", "--examples", "--as-of", AS_OF, "--exit-zero", *recorded]
        invoke(*args, "-q", "-o", "base.jsonl", "-o", "base.json")

        results = {
            name: invoke(
                "check",
                "--examples",
                "--as-of",
                AS_OF,
                "--baseline",
                name,
                "-o",
                f"json:now-{name}",
            )
            for name in ("base.json", "base.jsonl")
        }

        by_json, by_jsonl = results.values()
        assert "" == by_jsonl.stderr
        assert (by_json.exit_code, by_json.stdout) == (
            by_jsonl.exit_code,
            by_jsonl.stdout,
        )
        assert "Against the baseline: " in by_jsonl.stdout
        assert (tmp_path / "now-base.json").read_text("utf-8") == (
            tmp_path / "now-base.jsonl"
        ).read_text("utf-8")

    def test_any_suffix(self, invoke):
        """A jsonl report is told by its lines, whatever the file's name."""
        engagement = example("lakeview-dental-it-support.json")
        invoke("check", engagement, "-q", "--exit-zero", "-o", "jsonl:base.out")

        result = invoke("check", engagement, "--baseline", "base.out")

        assert "" == result.stderr
        assert "Against the baseline: 0 new findings, 0 fixed" in result.stdout

    def test_unfinished(self, invoke, tmp_path):
        """A jsonl report without its summary line is from a run that did not end."""
        engagement = example("lakeview-dental-it-support.json")
        invoke("check", engagement, "-q", "--exit-zero", "-o", "base.jsonl")
        path = tmp_path / "base.jsonl"
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-1]), encoding="utf-8")

        result = invoke("check", engagement, "-q", "--baseline", "base.jsonl")

        assert (
            f"Error: --baseline: base.jsonl:{len(lines) - 1}: summary: missing from "
            "the last line; a JSON Lines report ends with a line of the report's "
            "own keys (outsourcekit, format, as_of, summary): this one is from a "
            "run that did not finish\n"
        ) == result.stderr
        assert 2 == result.exit_code

    def test_bad_finding_is_located(self, invoke, tmp_path):
        """A finding's wrong value is named at its line, by its key."""
        engagement = example("lakeview-dental-it-support.json")
        invoke("check", engagement, "-q", "--exit-zero", "-o", "base.jsonl")
        path = tmp_path / "base.jsonl"
        lines = path.read_text("utf-8").splitlines(keepends=True)
        lines[1] = json.dumps({**json.loads(lines[1]), "slug": 5}) + "\n"
        path.write_text("".join(lines), encoding="utf-8")

        result = invoke("check", engagement, "-q", "--baseline", "base.jsonl")

        assert (
            "Error: --baseline: base.jsonl:2: slug: must be text (got 5)\n"
        ) == result.stderr
        assert 2 == result.exit_code


class TestBaselineOfAnotherFormat:
    @pytest.mark.parametrize(
        ("fmt", "problem"),
        [
            (
                "sarif",
                "base.out:1: missing required key 'format' (the report format, 1)",
            ),
            ("csv", "base.out:1: invalid JSON: Expecting value"),
        ],
    )
    def test_says_which_format_it_reads(self, invoke, fmt, problem):
        """A report saved in another format is refused, naming the one it reads."""
        engagement = example("lakeview-dental-it-support.json")
        invoke("check", engagement, "-q", "--exit-zero", "-o", f"{fmt}:base.out")

        result = invoke("check", engagement, "-q", "--baseline", "base.out")

        assert (
            f"Error: --baseline: {problem}; --baseline reads a report saved in the "
            "json or jsonl format (--output baseline.json)\n"
        ) == result.stderr
        assert 2 == result.exit_code

    def test_history_says_which_report_to_save(self, invoke):
        """A history saved by --history is told apart from a report, at its key."""
        engagement = example("lakeview-dental-it-support.json")
        invoke(
            "check",
            engagement,
            "-q",
            "--exit-zero",
            "--history",
            "2026-09-01..2026-11-01/month",
            "-o",
            "json:history.json",
        )

        result = invoke("check", engagement, "-q", "--baseline", "history.json")

        assert (
            "Error: --baseline: history.json:8: history: the document is a history "
            "of 3 reports (2026-09-01 to 2026-11-01), as `check --history` saves "
            "it, not one report: save the report of one date with `check --as-of "
            "DATE --output json:FILE` (each item of its `history` list is one)\n"
        ) == result.stderr
        assert 2 == result.exit_code

    def test_unreadable_file_has_no_hint(self, invoke, tmp_path):
        """A file that cannot be read is told so, whatever it holds."""
        os.mkfifo(tmp_path / "base.json")

        result = invoke("check", example(), "-q", "--baseline", "base.json")

        assert (
            "Error: --baseline base.json: cannot be read: it is not a regular file\n"
        ) == result.stderr

    def test_deep_problem_has_no_hint(self, invoke, tmp_path):
        """A report whose one value is wrong is told as it is, at its line."""
        engagement = example("lakeview-dental-it-support.json")
        invoke("check", engagement, "-q", "--exit-zero", "-o", "base.json")
        path = tmp_path / "base.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data["as_of"] = "soon"
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

        result = invoke("check", engagement, "-q", "--baseline", "base.json")

        assert (
            "Error: --baseline: base.json:4: as_of: must be a date like 2026-11-22 "
            '(got "soon")\n'
        ) == result.stderr
