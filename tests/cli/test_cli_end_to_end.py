"""End-to-end tests: the installed ``outsourcekit`` command, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from cli_support import (
    AS_OF,
    FAILING_EXPORTER,
    FAILING_IMPORT,
    RAISING_RULE,
    example,
)

from outsourcekit import __version__, check
from outsourcekit._schema import schema
from outsourcekit.builtin.exporters.json import report_schema
from outsourcekit.engine import Config
from outsourcekit.examples import examples_path
from outsourcekit.io import load, load_all

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(
        "utf-8"
    )
)


def full_check(**config):
    """Check the bundled examples in this process, as the command does."""
    return check(load_all([examples_path()]), as_of=AS_OF, config=Config(**config))


COMMANDS = ["check", "rules", "explain", "init", "schema", "plugins"]


class TestEntryPoints:
    def test_version(self, run):
        """--version prints the tool's name and version."""
        done = run("--version")

        assert (0, f"outsourcekit {__version__}\n") == (done.returncode, done.stdout)

    def test_module(self):
        """python -m outsourcekit is the same command."""
        done = subprocess.run(
            [sys.executable, "-m", "outsourcekit", "--version"],
            capture_output=True,
            text=True,
            check=False,
        )

        assert (0, f"outsourcekit {__version__}\n") == (done.returncode, done.stdout)

    @pytest.mark.parametrize("command", COMMANDS)
    def test_help(self, run, command):
        """Every command has --help, which exits 0."""
        done = run(command, "--help")

        assert 0 == done.returncode
        assert f"Usage: outsourcekit {command}" in done.stdout

    @pytest.mark.parametrize("command", COMMANDS)
    def test_version_everywhere(self, run, command):
        """Every command has --version."""
        done = run(command, "--version")

        assert (0, f"outsourcekit {__version__}\n") == (done.returncode, done.stdout)


class TestConsoleEncoding:
    def test_text_the_console_cannot_hold_is_escaped(self, run, tmp_path):
        """On a Latin-1 console a CJK title is written escaped, not a traceback."""
        (tmp_path / "w.yaml").write_text(
            'id: wide\ntitle: "\u696d\u52d9 \U0001f600"\nstart: 2026-01-05\n',
            encoding="utf-8",
        )

        done = run(
            "check",
            "w.yaml",
            "--as-of",
            "2026-11-22",
            env={"PYTHONIOENCODING": "latin-1"},
        )

        assert 1 == done.returncode, done.stderr
        assert "Traceback" not in done.stderr
        assert "wide  \\u696d\\u52d9 \\U0001f600  [score" in done.stdout


class TestCheckStatus:
    def test_examples_fail(self, run):
        """With no path the bundled examples are checked; their errors give 1."""
        done = run("check", "--examples", "--as-of", AS_OF)

        assert 1 == done.returncode
        assert "13 engagements, 108 findings" in done.stdout.splitlines()[-1]
        assert "" == done.stderr

    def test_clean(self, run):
        """An engagement without findings exits 0."""
        done = run("check", example(), "--as-of", AS_OF)

        assert 0 == done.returncode
        assert "harbour-finch-bookkeeping" in done.stdout
        assert "no findings" in done.stdout

    def test_fail_on_never(self, run):
        """--fail-on never turns findings into a green run."""
        assert (
            0
            == run(
                "check", "--examples", "--as-of", AS_OF, "--fail-on", "never"
            ).returncode
        )

    def test_fail_on_info(self, run, tmp_path):
        """--fail-on info fails on an engagement with only info findings."""
        eng = tmp_path / "info.yaml"
        eng.write_text("id: only-info\n", encoding="utf-8")

        done = run("check", eng, "--as-of", AS_OF, "--select", "OSK108")
        low = run(
            "check", eng, "--as-of", AS_OF, "--select", "OSK108", "--fail-on", "info"
        )

        assert (0, 1) == (done.returncode, low.returncode)

    def test_usage_error(self, run):
        """An unknown option is a usage error: 2."""
        done = run("check", "--examples", "--no-such-option")

        assert 2 == done.returncode
        assert "No such option" in done.stderr
        assert "--no-such-option" in done.stderr

    def test_bad_date(self, run):
        """A date that is not ISO is a usage error naming what was expected."""
        done = run("check", "--examples", "--as-of", "22/11/2026")

        assert 2 == done.returncode
        assert "expected a date like 2026-11-22, got '22/11/2026'" in done.stderr

    def test_config_error(self, run, tmp_path):
        """A bad configuration file gives 2 with the key, and no traceback."""
        config = tmp_path / "outsourcekit.toml"
        config.write_text('fail-of = "warning"\n', encoding="utf-8")

        done = run("check", example(), "--as-of", AS_OF)

        assert 2 == done.returncode
        assert "unknown key 'fail-of' (did you mean 'fail-on'?)" in done.stderr
        assert "Traceback" not in done.stderr

    def test_config_error_debug(self, run, tmp_path):
        """--debug adds the traceback."""
        config = tmp_path / "settings.toml"
        config.write_text('select = ["OSK9999"]\n', encoding="utf-8")

        done = run(
            "check", "--examples", "--config", config, "--debug", "--as-of", AS_OF
        )

        assert 2 == done.returncode
        assert "Traceback" in done.stderr
        assert "OSK9999" in done.stderr

    def test_load_errors(self, run, mixed_dir):
        """A broken file is reported with file:line and 2; the good one is checked."""
        done = run("check", mixed_dir, "--as-of", AS_OF, "--format", "json")
        report = json.loads(done.stdout)
        bad = mixed_dir / "broken.yaml"

        assert 2 == done.returncode
        assert ["good"] == [e["id"] for e in report["engagements"]]
        assert report["findings"]
        assert [(str(bad.relative_to(Path.cwd())), 3, 8, "start")] == [
            (e["source"], e["line"], e["column"], e["path"]) for e in report["errors"]
        ]
        assert "" == done.stderr

    def test_load_errors_text(self, run, mixed_dir):
        """In text format the load error goes to stderr as file:line:column."""
        done = run("check", mixed_dir, "--as-of", AS_OF)

        assert 2 == done.returncode
        bad = (mixed_dir / "broken.yaml").relative_to(Path.cwd())
        assert done.stderr.startswith(f"error: {bad}:3:8: start:")
        assert "good  A half-written engagement" in done.stdout

    def test_missing_path(self, run, tmp_path):
        """A path that does not exist is a load error, and the others still load."""
        done = run("check", tmp_path / "nope.yaml", example(), "--as-of", AS_OF)

        assert 2 == done.returncode
        assert "nope.yaml: no such file or directory" in done.stderr
        assert "harbour-finch-bookkeeping" in done.stdout

    def test_rule_error(self, run, site):
        """A plugin rule that raises gives 3, and the report names it."""
        env = site(raising=RAISING_RULE)

        done = run("check", example(), "--as-of", AS_OF, "--format", "json", env=env)
        report = json.loads(done.stdout)

        assert 3 == done.returncode
        assert [
            {
                "rule": "TST901",
                "engagement": "harbour-finch-bookkeeping",
                "type": "ZeroDivisionError",
                "message": "the rule divided by zero",
            }
        ] == report["rule_errors"]

    def test_rule_error_text(self, run, site):
        """In text format the rule error is printed to stderr."""
        env = site(raising=RAISING_RULE)

        done = run("check", example(), "--as-of", AS_OF, env=env)

        assert 3 == done.returncode
        assert (
            "error: rule TST901 failed on engagement harbour-finch-bookkeeping: "
            "ZeroDivisionError: the rule divided by zero"
        ) in done.stderr

    def test_plugin_import_error(self, run, site):
        """A plugin that cannot be imported never yields a green run."""
        env = site(broken=FAILING_IMPORT)

        done = run("check", example(), "--as-of", AS_OF, env=env)

        assert 3 == done.returncode
        assert "error: plugin 'broken': cannot be imported" in done.stderr
        assert "needs the acme-sdk package" in done.stderr
        assert "Warning" not in done.stderr

    def test_exporter_error(self, run, site, tmp_path):
        """A format that raises gives 3; the other outputs are still written."""
        env = site(boom=FAILING_EXPORTER)
        out = tmp_path / "report.json"

        done = run(
            "check",
            example(),
            "--as-of",
            AS_OF,
            "--format",
            "boom",
            "--output",
            out,
            env=env,
        )

        assert 3 == done.returncode
        assert "format 'boom' (plugin boom) failed: RuntimeError" in done.stderr
        assert json.loads(out.read_text("utf-8"))["engagements"]

    def test_highest_wins(self, run, site, mixed_dir):
        """Load errors (2) and a rule error (3) together give 3."""
        env = site(raising=RAISING_RULE)

        assert 3 == run("check", mixed_dir, "--as-of", AS_OF, env=env).returncode


class TestCheckOutputs:
    def test_json_valid(self, run):
        """The JSON report validates against its schema and matches the API's."""
        done = run("check", "--examples", "--as-of", AS_OF, "--format", "json")
        data = json.loads(done.stdout)
        api = check(load_all([examples_path()]), as_of=AS_OF).to_dict()
        prefix = f"{examples_path()}/"
        for item in (*api["engagements"], *api["findings"]):
            item["source"] = "examples/" + item["source"].removeprefix(prefix)
        api["plugins"] = [
            {"name": "outsourcekit.builtin.rules", "version": __version__}
        ]

        jsonschema.validate(data, report_schema(), cls=jsonschema.Draft202012Validator)
        assert api == data

    def test_several_outputs(self, run, tmp_path):
        """One run writes several formats, chosen by prefix or by suffix."""
        sarif, page, junit = (tmp_path / n for n in ("out.sarif", "r.html", "j.xml"))

        done = run(
            "check",
            "--examples",
            "--as-of",
            AS_OF,
            "--quiet",
            "--output",
            f"sarif:{sarif}",
            "--output",
            page,
            "--output",
            f"junit:{junit}",
        )
        log = json.loads(sarif.read_text("utf-8"))

        assert 1 == done.returncode
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
        assert 108 == len(log["runs"][0]["results"])
        assert page.read_text("utf-8").startswith("<!DOCTYPE html>")
        failures = ET.parse(junit).getroot().findall(".//failure")  # noqa: S314
        errors = [r for r in log["runs"][0]["results"] if r["level"] == "error"]

        assert len(errors) == len(failures)

    def test_baseline(self, run, tmp_path):
        """With a baseline only new findings count; fixed ones are listed."""
        before = tmp_path / "before.json"
        run("check", "--examples", "--as-of", AS_OF, "--output", before)
        saved = json.loads(before.read_text("utf-8"))
        nda = next(f for f in saved["findings"] if f["rule"] == "OSK601")
        saved["findings"].append({**nda, "path": "data"})
        twice = tmp_path / "twice.json"
        twice.write_text(json.dumps(saved), encoding="utf-8")

        same = run("check", "--examples", "--as-of", AS_OF, "--baseline", before)
        gone = run("check", "--examples", "--as-of", AS_OF, "--baseline", twice)

        assert (0, 0) == (same.returncode, gone.returncode)
        assert "Against the baseline: 0 new findings, 0 fixed" in same.stdout
        assert "Fixed since the baseline" not in same.stdout
        assert "Against the baseline: 0 new findings, 1 fixed" in gone.stdout
        assert (
            "Fixed since the baseline (1):\n"
            f"  OSK601 missing-nda  {nda['engagement']}  data\n"
        ) in gone.stdout

    def test_baseline_of_rules_that_did_not_run(self, run, tmp_path):
        """Findings of rules that did not run are not fixed: nobody looked."""
        before = tmp_path / "before.json"
        run("check", "--examples", "--as-of", AS_OF, "--output", before)
        args = ["check", "--examples", "--as-of", AS_OF, "--baseline", before]

        selected = run(*args, "--select", "OSK601")
        ignored = run(*args, "--ignore", "OSK1,OSK7")
        no_nda = run(*args, "--ignore", "OSK601")

        assert [0, 0, 0] == [d.returncode for d in (selected, ignored, no_nda)]
        for done in (selected, ignored):
            assert "Against the baseline: 0 new findings, 0 fixed" in done.stdout
            assert "Fixed since the baseline" not in done.stdout
        assert "OSK601" not in no_nda.stdout

    def test_baseline_new(self, run, tmp_path):
        """A finding the baseline lacks fails the run."""
        before = tmp_path / "before.json"
        run(
            "check",
            "--examples",
            "--as-of",
            AS_OF,
            "--ignore",
            "OSK601",
            "--output",
            before,
        )

        done = run("check", "--examples", "--as-of", AS_OF, "--baseline", before)

        new = full_check().diff(full_check(ignore=["OSK601"])).new

        assert 1 == done.returncode
        assert f"Against the baseline: {len(new)} new findings, 0 fixed" in done.stdout
        assert "OSK601" in {f.rule for f in new}
        assert len(new) == done.stdout.count(" [new]\n")

    def test_bad_baseline(self, run, tmp_path):
        """A baseline that is not a report is a usage error."""
        bad = tmp_path / "b.json"
        bad.write_text("[]", encoding="utf-8")

        done = run("check", "--examples", "--baseline", bad)

        assert 2 == done.returncode
        assert "--baseline: " in done.stderr
        assert "b.json:1: a report must be a JSON object (got [])" in done.stderr


class TestOtherCommands:
    def test_rules(self, run):
        """rules lists the catalogue."""
        done = run("rules", "--format", "json")
        codes = [r["code"] for r in json.loads(done.stdout)]

        assert 0 == done.returncode
        assert 65 == len(codes)
        assert codes == sorted(codes)

    def test_rules_with_plugin(self, run, site):
        """Plugins' rules are listed with the plugin's name."""
        env = site(raising=RAISING_RULE)

        done = run("rules", env=env)

        assert 0 == done.returncode
        assert "TST901   always-raises" in done.stdout
        assert "(plugin raising)" in done.stdout

    def test_explain(self, run):
        """explain prints one rule's documentation, by code or by slug."""
        by_code = run("explain", "OSK601")
        by_slug = run("explain", "missing-nda")

        assert 0 == by_code.returncode
        assert by_code.stdout == by_slug.stdout
        assert by_code.stdout.startswith("OSK601 missing-nda: ")

    def test_explain_typo(self, run):
        """A typo exits 2 and suggests the closest rule."""
        done = run("explain", "mising-nda")

        assert 2 == done.returncode
        assert (
            "no rule has the code or slug 'mising-nda' (did you mean 'missing-nda'?)"
            in done.stderr
        )

    def test_init(self, run, tmp_path):
        """init writes a file that loads and whose findings say what to fill in."""
        done = run("init")
        written = tmp_path / "engagement.yaml"
        checked = run("check", written, "--as-of", AS_OF, "--format", "json")
        findings = json.loads(checked.stdout)["findings"]

        assert 0 == done.returncode
        assert "engagement" == load(written).id
        assert 1 == checked.returncode
        assert {"OSK101", "OSK401", "OSK701", "OSK801"} <= {f["rule"] for f in findings}
        assert all(f["fix"] for f in findings)

    def test_init_refuses_overwrite(self, run, tmp_path):
        """init does not overwrite a file unless forced."""
        target = tmp_path / "mine.yaml"
        target.write_text("id: mine\n", encoding="utf-8")

        refused = run("init", target)
        forced = run("init", target, "--force")

        assert 2 == refused.returncode
        assert "already exists; use --force" in refused.stderr
        assert 0 == forced.returncode
        assert "id: mine " in target.read_text("utf-8")

    def test_schema(self, run):
        """schema prints the file format's JSON Schema."""
        done = run("schema")

        assert 0 == done.returncode
        assert schema() == json.loads(done.stdout)

    def test_schema_to_stdout(self, run, tmp_path):
        """schema -o - prints, as check -o - does: it writes no file named "-"."""
        done = run("schema", "-o", "-", cwd=tmp_path)

        assert (0, schema(), []) == (
            done.returncode,
            json.loads(done.stdout),
            list(tmp_path.iterdir()),
        )

    def test_report_schema(self, run):
        """schema --report prints the JSON report's schema."""
        done = run("schema", "--report")

        assert report_schema() == json.loads(done.stdout)

    def test_plugins(self, run):
        """plugins lists the built-in plugins and what they register."""
        done = run("plugins", "--format", "json")
        infos = {i["name"]: i for i in json.loads(done.stdout)}

        assert 0 == done.returncode
        assert 65 == len(infos["outsourcekit.builtin.rules"]["rules"])
        assert [
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
        ] == (infos["outsourcekit.builtin.exporters"]["exporters"])

    def test_plugins_broken(self, run, site):
        """A plugin that failed to load is shown with its error, and exits 3."""
        env = site(broken=FAILING_IMPORT)

        done = run("plugins", env=env)

        assert 3 == done.returncode
        assert "broken version unknown (not loaded)" in done.stdout
        assert "error: cannot be imported (broken_plugin): ImportError" in done.stdout
