"""``check`` in a repository: discovery, configuration, CI outputs, baselines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from glob import escape as glob_escape
from pathlib import Path

import pytest
from cli_support import AS_OF, BROKEN, CLEAN, GOOD, example, script

from outsourcekit import __version__
from outsourcekit._discover import discover, is_excluded
from outsourcekit._sources import ARTICLES, source_name
from outsourcekit.examples import examples_path
from outsourcekit.plugins import get_rules

#: A second bundled example, with findings, for the repository's other folder.
OTHER = "cobblestone-hr-payroll.toml"
WORKFLOW = """\
name: ci
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: outsourcekit check . --format github
"""
PACKAGE_JSON = '{"name": "site", "version": "1.0.0", "scripts": {"build": "x"}}\n'
PYPROJECT = """\
[project]
name = "ops"
version = "1"

[tool.outsourcekit]
fail-on = "error"
"""


def git(folder, *args):
    """Run git in *folder*, quietly."""
    subprocess.run(  # noqa: S603 - a fixed git command on a test folder
        ["git", *args],  # noqa: S607
        cwd=folder,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, run):
    """A git repository with project files, a report and engagements in two folders."""
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    (root / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "node_modules" / "x").mkdir(parents=True)
    (root / "node_modules" / "x" / "package.json").write_text(
        PACKAGE_JSON, encoding="utf-8"
    )
    for folder, name in (("support", CLEAN), ("people", OTHER)):
        (root / "engagements" / folder).mkdir(parents=True)
        shutil.copy(example(name), root / "engagements" / folder / name)
    (root / "reports").mkdir()
    earlier = run(
        "check", "engagements", "--as-of", AS_OF, "--format", "json", cwd=root
    )
    (root / "reports" / "earlier.json").write_text(earlier.stdout, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


class TestDoneWhen:
    def test_checks_exactly_the_engagement_files(self, repo, run):
        """`check .` reads the two engagement files and lists the others as skipped."""
        done = run("check", ".", "--as-of", AS_OF, "--format", "json", cwd=repo)
        report = json.loads(done.stdout)

        assert done.returncode in {0, 1}
        assert [
            f"engagements/people/{OTHER}",
            f"engagements/support/{CLEAN}",
        ] == sorted(e["source"] for e in report["engagements"])
        assert [] == report["errors"]
        assert {
            ".github": "hidden folder",
            "node_modules": "installed packages",
            "package.json": "not an engagement file: no key of the file format at "
            "the top",
            "pyproject.toml": "outsourcekit's own file (configuration, waivers or "
            "baseline)",
            "reports/earlier.json": "a report outsourcekit wrote",
        } == {s["path"]: s["reason"] for s in report["skipped"]}

    def test_schemas_written_beside_are_skipped(self, tmp_path, run):
        """The schemas `schema` writes, as `init` suggests, are no engagement files."""
        run("init", "acme.yaml", cwd=tmp_path)
        run("schema", "--output", "outsourcekit.schema.json", cwd=tmp_path)
        run("schema", "--report", "--output", "report.schema.json", cwd=tmp_path)

        done = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
        report = json.loads(done.stdout)

        assert done.returncode in {0, 1}, done.stderr
        assert [] == report["errors"]
        assert ["acme.yaml"] == [e["source"] for e in report["engagements"]]
        assert {
            "outsourcekit.schema.json": "a JSON Schema",
            "report.schema.json": "a JSON Schema",
        } == {s["path"]: s["reason"] for s in report["skipped"]}

    def test_text_counts_skipped(self, repo, run):
        """The text summary counts the skipped files and folders."""
        done = run("check", ".", "--as-of", AS_OF, cwd=repo)

        assert "5 paths skipped while walking directories" in done.stdout

    def test_baseline_of_the_same_run(self, repo, run, tmp_path):
        """Against a baseline of the same run: no JUnit failure, SARIF unchanged."""
        base = tmp_path / "base.json"
        junit, sarif = tmp_path / "out" / "r.xml", tmp_path / "out" / "r.sarif"
        run("check", ".", "--as-of", AS_OF, "--fail-on", "info", "-o", base, cwd=repo)

        done = run(
            "check",
            ".",
            "--as-of",
            AS_OF,
            "--fail-on",
            "info",
            "--baseline",
            base,
            "-o",
            junit,
            "-o",
            sarif,
            cwd=repo,
        )
        results = json.loads(sarif.read_text("utf-8"))["runs"][0]["results"]

        assert 0 == done.returncode
        assert "0" == ET.parse(junit).getroot().get("failures")  # noqa: S314
        assert results
        assert {"unchanged"} == {r["baselineState"] for r in results}

    def test_no_path_is_the_current_directory(self, repo, run):
        """With no PATH, check reads the current directory."""
        done = run("check", "--as-of", AS_OF, "--format", "json", cwd=repo)

        assert 2 == len(json.loads(done.stdout)["engagements"])

    def test_github_and_gitlab(self, repo, run):
        """The CI formats name the files relative to the repository."""
        github = run("check", ".", "--as-of", AS_OF, "-f", "github", cwd=repo)
        gitlab = run("check", ".", "--as-of", AS_OF, "-f", "gitlab", cwd=repo)

        assert github.stdout.startswith(f"::error file=engagements/people/{OTHER},")
        assert {f"engagements/people/{OTHER}"} == {
            i["location"]["path"] for i in json.loads(gitlab.stdout)
        }


#: What ``check`` says on stderr when it finds no engagement file in the cwd.
NOTHING_FOUND = (
    "No engagement files found in the current directory. Name files or "
    "folders, set `paths` in the configuration, or try the bundled examples: "
    "outsourcekit check --examples\n"
)


class TestNoPath:
    def test_nothing_found(self, invoke):
        """An empty folder says so on stderr, names --examples, and exits 0."""
        result = invoke("check")

        assert 0 == result.exit_code
        assert "" == result.stdout
        assert (
            "No engagement files found in the current directory. Name files or "
            "folders, set `paths` in the configuration, or try the bundled examples: "
            "outsourcekit check --examples\n"
        ) == result.stderr

    @pytest.mark.parametrize(
        ("fmt", "empty"),
        [
            ("json", lambda out: json.loads(out)["summary"]["engagements"] == 0),
            ("jsonl", lambda out: json.loads(out)["summary"]["engagements"] == 0),
            ("sarif", lambda out: json.loads(out)["runs"][0]["results"] == []),
            ("gitlab", lambda out: json.loads(out) == []),
            ("junit", lambda out: ET.fromstring(out).get("tests") == "0"),  # noqa: S314
        ],
    )
    def test_nothing_found_prints_the_empty_report(self, invoke, fmt, empty):
        """A machine format gets the empty report on stdout, besides the message."""
        result = invoke("check", "--format", fmt, "--as-of", AS_OF)

        assert (0, NOTHING_FOUND) == (result.exit_code, result.stderr)
        assert empty(result.stdout)

    def test_nothing_found_writes_every_output(self, invoke, tmp_path):
        """Each --output is written with the empty report, as in any run."""
        result = invoke(
            "check",
            "--as-of",
            AS_OF,
            "--output",
            "sarif:reports/outsourcekit.sarif",
            "--output",
            "gitlab:gl-code-quality.json",
            "--output",
            "report.txt",
            "--output",
            "report.json",
        )
        sarif = json.loads((tmp_path / "reports/outsourcekit.sarif").read_text("utf-8"))
        report = json.loads((tmp_path / "report.json").read_text("utf-8"))

        assert (0, "", NOTHING_FOUND) == (
            result.exit_code,
            result.stdout,
            result.stderr,
        )
        assert [] == sarif["runs"][0]["results"]
        assert [] == json.loads((tmp_path / "gl-code-quality.json").read_text("utf-8"))
        assert "0 engagements, 0 findings, 0 waived, no portfolio score\n" == (
            (tmp_path / "report.txt").read_text("utf-8")
        )
        assert ([], [], 0) == (
            report["engagements"],
            report["findings"],
            report["summary"]["engagements"],
        )

    def test_nothing_found_history(self, invoke):
        """--history in JSON gives one empty report per date."""
        result = invoke(
            "check", "--history", "2026-01-01..2026-03-01/month", "--format", "json"
        )

        assert (0, NOTHING_FOUND) == (result.exit_code, result.stderr)
        assert [0, 0, 0] == [
            r["summary"]["engagements"] for r in json.loads(result.stdout)["history"]
        ]

    def test_configured_paths(self, invoke, tmp_path):
        """The configuration's paths are read when no PATH is given."""
        (tmp_path / "ops").mkdir()
        (tmp_path / "ops" / "good.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "other.yaml").write_text("id: other\n", encoding="utf-8")
        (tmp_path / "outsourcekit.toml").write_text('paths = ["ops"]\n', "utf-8")

        result = invoke("check", "--as-of", AS_OF, "--format", "json")

        assert ["good"] == [e["id"] for e in json.loads(result.stdout)["engagements"]]

    def test_examples(self, invoke, tmp_path):
        """--examples checks the bundled portfolio, named relative to the package."""
        (tmp_path / "outsourcekit.toml").write_text('select = ["OSK108"]\n', "utf-8")

        result = invoke("check", "--examples", "--as-of", AS_OF, "--format", "json")
        report = json.loads(result.stdout)

        assert 1 == result.exit_code
        assert {"examples/"} == {e["source"][:9] for e in report["engagements"]}
        assert len({f["rule"] for f in report["findings"]}) > 1

    def test_examples_with_path(self, invoke):
        """--examples takes no PATH."""
        result = invoke("check", "--examples", ".")

        assert 2 == result.exit_code
        assert "--examples checks the bundled examples: give no PATH with it" in (
            result.stderr
        )

    def test_named_file_always_read(self, invoke, tmp_path):
        """A file named explicitly is read even if it is no engagement file."""
        (tmp_path / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")

        result = invoke("check", "package.json")

        assert 2 == result.exit_code


class TestOptions:
    def test_exclude(self, invoke, tmp_path):
        """--exclude and the configuration's exclude pass over files and folders."""
        for name in ("a", "b", "c"):
            (tmp_path / name).mkdir()
            (tmp_path / name / f"{name}.yaml").write_text(f"id: {name}\n", "utf-8")
        (tmp_path / "outsourcekit.toml").write_text('exclude = ["a"]\n', "utf-8")

        result = invoke("check", ".", "--exclude", "b/*.yaml", "--format", "json")
        report = json.loads(result.stdout)

        assert ["c"] == [e["id"] for e in report["engagements"]]
        assert {"a": "excluded by 'a'", "b/b.yaml": "excluded by 'b/*.yaml'"} == {
            s["path"]: s["reason"]
            for s in report["skipped"]
            if s["path"] != "outsourcekit.toml"
        }

    def test_extend_select(self, invoke):
        """--extend-select adds rules to the selection."""
        result = invoke(
            "check",
            "--examples",
            "--select",
            "OSK101",
            "--extend-select",
            "OSK108",
            "--format",
            "json",
        )

        assert {"OSK101", "OSK108"} == {
            f["rule"] for f in json.loads(result.stdout)["findings"]
        }

    def test_select_flag_wins_over_the_files_ignore(self, invoke, tmp_path):
        """--select runs the rules it names though the file's ignore names them."""
        (tmp_path / "e.yaml").write_text("id: e\n", "utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            'ignore = ["OSK101", "clarity"]\n', "utf-8"
        )

        result = invoke("check", "e.yaml", "--select", "OSK101", "--format", "json")

        assert 1 == result.exit_code
        assert {"OSK101"} == {f["rule"] for f in json.loads(result.stdout)["findings"]}

    def test_select_flag_is_the_whole_selection(self, invoke, tmp_path):
        """--select leaves out the file's extend-select, as ruff's does."""
        (tmp_path / "e.yaml").write_text("id: e\n", "utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            'extend-select = ["OSK108"]\n', "utf-8"
        )

        result = invoke("check", "e.yaml", "--select", "OSK101", "--format", "json")

        assert {"OSK101"} == {f["rule"] for f in json.loads(result.stdout)["findings"]}

    def test_extend_select_flag_wins_over_the_files_ignore(self, invoke, tmp_path):
        """--extend-select runs its rules though the file's ignore names them."""
        (tmp_path / "e.yaml").write_text("id: e\n", "utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            'select = ["OSK101"]\nignore = ["OSK108"]\n', "utf-8"
        )

        result = invoke(
            "check", "e.yaml", "--extend-select", "OSK108", "--format", "json"
        )

        assert {"OSK101", "OSK108"} == {
            f["rule"] for f in json.loads(result.stdout)["findings"]
        }

    def test_ignore_flag_wins_over_the_extend_select_flag(self, invoke, tmp_path):
        """--ignore leaves out a rule --extend-select names: ignore wins."""
        (tmp_path / "e.yaml").write_text("id: e\n", "utf-8")
        (tmp_path / "outsourcekit.toml").write_text('select = ["OSK101"]\n', "utf-8")

        result = invoke(
            "check",
            "e.yaml",
            "--extend-select",
            "OSK108",
            "--ignore",
            "OSK108",
            "--format",
            "json",
        )

        assert {"OSK101"} == {f["rule"] for f in json.loads(result.stdout)["findings"]}

    def test_extend_select_typo(self, invoke):
        """A typo in --extend-select is the flag's."""
        result = invoke("check", "--examples", "--extend-select", "OSK10X")

        assert 2 == result.exit_code
        assert result.stderr.startswith(
            "Error: --extend-select: no rule has the code, code prefix, category or "
            "slug 'OSK10X'"
        )

    def test_select_typo_is_the_flags(self, invoke, tmp_path):
        """A typo in --select is the flag's, not pyproject.toml's."""
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nselect = ["OSK1"]\n', encoding="utf-8"
        )

        result = invoke("check", example(), "--select", "confidentialty")

        assert 2 == result.exit_code
        assert result.stderr.startswith("Error: --select: no rule has")
        assert "pyproject.toml" not in result.stderr

    def test_exit_zero(self, invoke):
        """--exit-zero exits 0 with failing findings."""
        result = invoke("check", "--examples", "--quiet", "--exit-zero")

        assert 0 == result.exit_code

    def test_exit_zero_keeps_errors(self, invoke, mixed_dir):
        """--exit-zero still exits 2 on load errors."""
        assert 2 == invoke("check", mixed_dir, "--exit-zero").exit_code

    def test_new_only(self, invoke, tmp_path):
        """--new-only leaves out the findings the baseline has."""
        base = tmp_path / "base.json"
        invoke(
            "check", "--examples", "--as-of", AS_OF, "--ignore", "OSK101", "-o", base
        )

        result = invoke(
            "check",
            "--examples",
            "--as-of",
            AS_OF,
            "--baseline",
            base,
            "--new-only",
            "--format",
            "json",
        )
        findings = json.loads(result.stdout)["findings"]

        assert {"OSK101"} == {f["rule"] for f in findings}
        assert {"new"} == {f["baseline"] for f in findings}

    def test_new_only_needs_baseline(self, invoke):
        """--new-only without --baseline is a usage error."""
        result = invoke("check", "--examples", "--new-only")

        assert 2 == result.exit_code
        assert "--new-only needs --baseline FILE" in result.stderr

    def test_output_creates_folders(self, invoke, tmp_path):
        """--output creates missing parent folders."""
        target = tmp_path / "reports" / "ci" / "r.sarif"

        invoke("check", example(), "-o", target)

        assert target.is_file()

    def test_output_twice(self, invoke, tmp_path):
        """Naming the same file twice is a usage error, before the run."""
        result = invoke("check", "--examples", "-o", "r.json", "-o", "json:./r.json")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'json:./r.json': the file is already named by --output "
            "'r.json'; name each file once\n"
        ) == result.stderr
        assert not (tmp_path / "r.json").exists()

    def test_output_prefix_without_file(self, invoke):
        """A FORMAT: prefix with no file is a usage error."""
        result = invoke("check", "--examples", "-o", "sarif:")

        assert 2 == result.exit_code
        assert "--output 'sarif:': names no file; write FORMAT:FILE" in result.stderr

    def test_plugins_recorded(self, invoke):
        """The JSON report names the plugins whose rules ran."""
        result = invoke("check", example(), "--format", "json")

        assert ["outsourcekit.builtin.rules"] == [
            p["name"] for p in json.loads(result.stdout)["plugins"]
        ]

    def test_help_lists_formats(self, invoke):
        """check --help lists every format with its description."""
        result = invoke("check", "--help")

        assert "Formats:" in result.stdout
        assert "gitlab" in result.stdout


class TestColour:
    @pytest.mark.parametrize(
        ("args", "env", "coloured"),
        [
            ((), {}, False),
            (("--color", "always"), {}, True),
            ((), {"FORCE_COLOR": "1"}, True),
            (("--color", "never"), {"FORCE_COLOR": "1"}, False),
            ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ],
    )
    def test_choice(self, invoke, args, env, coloured):
        """--color, FORCE_COLOR and NO_COLOR decide, piped output plain by default."""
        result = invoke("check", example(OTHER), *args, env=env)

        assert coloured == ("\x1b[" in result.stdout)


class TestDiscover:
    def test_report_and_empty_files(self, tmp_path):
        """A saved report, an empty file and a list are passed over, with why."""
        (tmp_path / "r.json").write_text('{"findings": [], "summary": {}}', "utf-8")
        (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
        (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
        (tmp_path / "ok.yaml").write_text("title: only a title\n", encoding="utf-8")

        found = discover([tmp_path])

        assert [tmp_path / "ok.yaml"] == list(found.files)
        assert ["empty", "not an engagement file", "a report outsourcekit wrote"] == [
            s.reason.split(":")[0] for s in found.skipped
        ]

    def test_broken_file_read(self, tmp_path):
        """A file that does not parse is read, so that its error is reported."""
        (tmp_path / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")

        assert [tmp_path / "bad.yaml"] == list(discover([tmp_path]).files)

    def test_virtualenv(self, tmp_path):
        """A virtual environment is passed over."""
        (tmp_path / "env").mkdir()
        (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n", "utf-8")
        (tmp_path / "env" / "a.yaml").write_text("id: a\n", encoding="utf-8")

        found = discover([tmp_path])

        assert ([], ["virtual environment"]) == (
            list(found.files),
            [s.reason for s in found.skipped],
        )

    def test_examples_all_found(self):
        """Every bundled example is an engagement file by its content."""
        found = discover([examples_path()])
        files = sorted(p for p in examples_path().iterdir() if p.suffix != ".md")

        assert files == list(found.files)
        assert () == found.skipped

    @pytest.mark.parametrize(
        ("path", "glob", "matched"),
        [
            ("a/drafts", "drafts", True),
            ("a/b.draft.yaml", "*.draft.yaml", True),
            ("archive/2024/x.yaml", "archive/*/x.yaml", True),
            ("other/2024/x.yaml", "archive/*", False),
        ],
    )
    def test_globs(self, tmp_path, path, glob, matched):
        """Globs without / match names; with / the path from the root."""
        assert matched == (is_excluded(tmp_path / path, [glob], tmp_path) is not None)


OSK_PLUGIN = """\
from outsourcekit.engine import rule
from outsourcekit.hookspecs import hookimpl

@rule(code="OSK999", slug="sneaky", title="Sneaky", category="governance",
      severity="error", fix="None.")
def sneaky(engagement, ctx):
    yield ctx.finding("sneaky", path="")

@rule(code="ACME001", slug="acme-check", title="Acme", category="governance",
      severity="info", fix="None.")
def acme(engagement, ctx):
    return ()

@hookimpl
def outsourcekit_register_rules():
    return [sneaky, acme]
"""


class TestPlugins:
    def test_osk_reserved(self, run, site):
        """A plugin's OSK rule is not used and is the plugin's error (exit 3)."""
        env = site(acme=OSK_PLUGIN)

        done = run("check", example(), "--format", "json", env=env)
        report = json.loads(done.stdout)

        assert 3 == done.returncode
        assert "OSK999" not in {f["rule"] for f in report["findings"]}
        assert [
            {
                "plugin": "acme",
                "message": "registers rule OSK999 (sneaky), but the code prefix 'OSK' "
                "is reserved for outsourcekit's own rules; the rule is not used",
            }
        ] == report["plugin_errors"]

    def test_osk_reserved_listed(self, run, site):
        """plugins shows the reserved code as the plugin's error and exits 3."""
        env = site(acme=OSK_PLUGIN)
        message = (
            "registers rule OSK999 (sneaky), but the code prefix 'OSK' is reserved "
            "for outsourcekit's own rules; the rule is not used"
        )

        text = run("plugins", env=env)
        data = run("plugins", "--format", "json", env=env)

        assert (3, 3) == (text.returncode, data.returncode)
        assert f"  error: {message}\n" in text.stdout
        assert (
            message == {i["name"]: i for i in json.loads(data.stdout)}["acme"]["error"]
        )

    def test_plugins_recorded_with_versions(self, run, site):
        """The JSON report names each plugin whose rules ran, with its version."""
        env = site(acme=OSK_PLUGIN)

        done = run("check", example(), "--format", "json", env=env)

        assert [
            {"name": "acme", "version": "1.0"},
            {"name": "outsourcekit.builtin.rules", "version": __version__},
        ] == json.loads(done.stdout)["plugins"]


class TestSources:
    def test_explain_names_sources(self, invoke):
        """explain spells out each source: the article's title and the mistake."""
        result = invoke("explain", "OSK601")

        assert (
            "Sources:\n"
            "  Source B — *Common Outsourcing Mistakes and How to Avoid Them*, "
            "mistake 6\n"
        ) in result.stdout

    def test_every_builtin_source_known(self):
        """Every source code a built-in rule cites has a name."""
        codes = {code for r in get_rules() for code in r.sources}

        assert [] == sorted(c for c in codes if source_name(c) == c)

    @pytest.mark.parametrize(
        ("code", "name"),
        [
            ("A", f"Source A — *{ARTICLES['A']}*"),
            ("B pro tips", f"Source B — *{ARTICLES['B']}*, pro tips"),
            ("B6", f"Source B — *{ARTICLES['B']}*, mistake 6"),
            ("GDPR Art. 28", "GDPR Article 28, processors"),
            ("ACME-1", "ACME-1"),
        ],
    )
    def test_names(self, code, name):
        """Articles by letter and mistake, standards by name, others as given."""
        assert name == source_name(code)


class TestExamplesBelowCwd:
    def test_named_from_the_package(self, invoke, monkeypatch):
        """The examples are `examples/...` even when the package is below the cwd."""
        monkeypatch.chdir(examples_path().parent.parent)

        result = invoke("check", "--examples", "--format", "json")

        assert {"examples/"} == {
            e["source"][:9] for e in json.loads(result.stdout)["engagements"]
        }


class TestShownPaths:
    """Files are named as a path below the working directory names them."""

    @pytest.fixture
    def folder(self, tmp_path, monkeypatch):
        """A folder `engagements` holding a good file, a broken one and `sub/`."""
        (tmp_path / "engagements" / "sub").mkdir(parents=True)
        (tmp_path / "engagements" / "a.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "engagements" / "b.yaml").write_text(BROKEN, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return tmp_path

    def named(self, invoke, *paths):
        """Where the JSON report, concise output and SARIF log name the files."""
        result = invoke(
            "check",
            *paths,
            "--as-of",
            AS_OF,
            "-f",
            "json",
            "-o",
            "sarif:o.sarif",
            "-o",
            "concise:o.txt",
        )
        report = json.loads(result.stdout)
        sarif = json.loads(Path("o.sarif").read_text(encoding="utf-8"))
        (run,) = sarif["runs"]
        return (
            sorted({e["source"] for e in report["engagements"]}),
            sorted({e["source"] for e in report["errors"]}),
            sorted(
                {
                    line.split(":")[0]
                    for line in Path("o.txt").read_text("utf-8").splitlines()
                    if line.startswith("engagements")
                }
            ),
            sorted(
                {
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in run["results"]
                }
            ),
        )

    @pytest.mark.parametrize(
        "given",
        [
            "engagements/sub/..",
            "engagements/sub/../",
            "./engagements/./sub/..",
            "engagements/sub/../../engagements",
        ],
    )
    def test_parent_steps_are_taken_away(self, invoke, folder, given):
        """`engagements/sub/..` names its files as `./engagements` does."""
        expected = self.named(invoke, "engagements")

        assert (
            ["engagements/a.yaml"],
            ["engagements/b.yaml"],
            ["engagements/a.yaml", "engagements/b.yaml"],
            ["engagements/a.yaml"],
        ) == expected
        assert expected == self.named(invoke, given)
        assert expected == self.named(invoke, folder / given)
        assert expected == self.named(invoke, Path("..", folder.name, given))

    @pytest.mark.usefixtures("folder")
    def test_named_files_too(self, invoke):
        """A file named through `..` is named as below the working directory."""
        assert (["engagements/a.yaml"], ["engagements/b.yaml"]) == self.named(
            invoke, "engagements/sub/../a.yaml", "engagements/sub/../b.yaml"
        )[:2]

    @pytest.mark.skipif(sys.platform == "win32", reason="links need privileges there")
    def test_a_parent_step_after_a_link_is_kept(self, invoke, folder):
        """`link/..` is above where the link leads: not the folder holding it."""
        (folder / "elsewhere" / "deep").mkdir(parents=True)
        (folder / "elsewhere" / "c.yaml").write_text(GOOD.replace("good", "c"), "utf-8")
        (folder / "engagements" / "link").symlink_to("../elsewhere/deep")

        assert ["engagements/link/../c.yaml"] == self.named(
            invoke, "engagements/link/.."
        )[0]


#: A Kubernetes Secret kept beside the repository, not an engagement file.
K8S_OBJECT = "apiVersion: v1\nkind: Secret\ndata:\n  password: czNjcjN0LXBhc3N3b3Jk\n"


@pytest.mark.skipif(sys.platform == "win32", reason="links need privileges there")
class TestLinksWhileWalking:
    def test_link_outside_not_read(self, invoke, tmp_path, monkeypatch):
        """A link to a folder outside the one named is listed, its files never read."""
        (tmp_path / "secrets").mkdir()
        (tmp_path / "secrets" / "db-secret.yaml").write_text(K8S_OBJECT, "utf-8")
        (tmp_path / "repo" / "engagements").mkdir(parents=True)
        (tmp_path / "repo" / "engagements" / "a.yaml").write_text(GOOD, "utf-8")
        (tmp_path / "repo" / "engagements" / "vendor-docs").symlink_to("../../secrets")
        monkeypatch.chdir(tmp_path / "repo")

        result = invoke(
            "check",
            "engagements",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--output",
            "sarif:o.sarif",
        )
        report = json.loads(result.stdout)

        assert 1 == result.exit_code, result.stderr
        assert [] == report["errors"]
        assert [
            {
                "path": "engagements/vendor-docs",
                "reason": "a link to a folder outside engagements",
            }
        ] == report["skipped"]
        for text in (result.stdout, result.stderr, Path("o.sarif").read_text("utf-8")):
            assert "czNjcjN0" not in text
            assert "db-secret" not in text

    def test_links_to_the_folder_end(self, tmp_path):
        """Links that each double the walk no longer make it endless."""
        (tmp_path / "e").mkdir()
        (tmp_path / "e" / "a1.yaml").write_text("id: a1\n", encoding="utf-8")
        (tmp_path / "e" / "self").symlink_to(".")
        (tmp_path / "e" / "current").symlink_to(".")

        done = subprocess.run(  # noqa: S603 - our own console script
            [*script(), "check", "e", "--as-of", AS_OF, "--quiet"],
            cwd=tmp_path,
            env={**os.environ, "OUTSOURCEKIT_LOAD_PLUGINS": ""},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert (1, "") == (done.returncode, done.stderr)
        assert done.stdout.startswith("1 engagement, ")
        assert "2 paths skipped while walking directories" in done.stdout

    @pytest.mark.parametrize("named", ["engagements", "link"])
    def test_own_files_through_a_link(self, invoke, tmp_path, named):
        """The waiver file is passed over by any path: through a link to its folder."""
        (tmp_path / "engagements").mkdir()
        (tmp_path / "engagements" / "a1.yaml").write_text("id: a1\n", "utf-8")
        (tmp_path / "engagements" / "drafts").mkdir()
        (tmp_path / "engagements" / "drafts" / "d.yaml").write_text("id: d\n", "utf-8")
        (tmp_path / "engagements" / "waivers.yaml").write_text(
            "waivers: [{engagement: a1, rule: OSK101, reason: ok}]\n", "utf-8"
        )
        (tmp_path / "outsourcekit.toml").write_text(
            'waivers = "engagements/waivers.yaml"\n'
            'exclude = ["engagements/drafts"]\nselect = ["OSK101"]\n',
            "utf-8",
        )
        (tmp_path / "link").symlink_to(tmp_path / "engagements")

        result = invoke("check", named, "--as-of", AS_OF, "--format", "json")
        report = json.loads(result.stdout)

        assert (0, "") == (result.exit_code, result.stderr)
        assert ["a1"] == [e["id"] for e in report["engagements"]]
        assert [
            {"path": f"{named}/drafts", "reason": "excluded by 'engagements/drafts'"},
            {
                "path": f"{named}/waivers.yaml",
                "reason": (
                    "outsourcekit's own file (configuration, waivers or baseline)"
                ),
            },
        ] == report["skipped"]


class TestExcludeFromTheConfiguration:
    def test_slash_glob_matches_from_the_configurations_folder(self, invoke, tmp_path):
        """`drafts/*.yaml` passes over drafts/, not clients/drafts/."""
        (tmp_path / "outsourcekit.toml").write_text(
            'exclude = ["drafts/*.yaml"]\n', "utf-8"
        )
        for folder, name in (("drafts", "d1"), ("clients/drafts", "real")):
            (tmp_path / folder).mkdir(parents=True)
            (tmp_path / folder / f"{name}.yaml").write_text(f"id: {name}\n", "utf-8")

        result = invoke("check", "--as-of", AS_OF, "--format", "json")
        report = json.loads(result.stdout)

        assert ["real"] == [e["id"] for e in report["engagements"]]
        assert {"path": "drafts/d1.yaml", "reason": "excluded by 'drafts/*.yaml'"} in (
            report["skipped"]
        )


class TestEmptyReportFile:
    def test_report_redirected_into_the_folder(self, invoke, tmp_path):
        """The empty file a shell creates for `> gl-code-quality.json` is skipped."""
        (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "gl-code-quality.json").write_text("", encoding="utf-8")

        result = invoke("check", "--as-of", AS_OF, "--format", "gitlab")

        assert (1, "") == (result.exit_code, result.stderr)
        assert {"a.yaml"} == {i["location"]["path"] for i in json.loads(result.stdout)}

    def test_empty_json_named_is_an_error(self, invoke, tmp_path):
        """An empty JSON file named on the command line is read, and cannot be."""
        (tmp_path / "empty.json").write_text("", encoding="utf-8")

        result = invoke("check", "empty.json", "--as-of", AS_OF, "--quiet")

        assert 2 == result.exit_code
        assert "error: empty.json:1:1: invalid JSON: Expecting value" in result.stderr


#: A Taskfile (taskfile.dev): its top-level ``tasks`` is also an engagement's key.
TASKFILE = 'version: "3"\ntasks: {b: {cmds: [make]}}\n'


class TestConfigLikeFiles:
    def test_walked_file_gets_an_exclude_hint(self, invoke, tmp_path):
        """A walked file with no engagement's own key ends its errors with a hint."""
        (tmp_path / "Taskfile.yml").write_text(TASKFILE, encoding="utf-8")

        result = invoke("check", ".", "--as-of", AS_OF, "--quiet")

        assert 2 == result.exit_code
        lines = result.stderr.splitlines()
        assert lines[0].startswith("error: Taskfile.yml:1:1: version: unknown key")
        assert (
            "hint: if Taskfile.yml is not an engagement file, leave it out: add "
            '`exclude = ["Taskfile.yml"]` to the configuration (outsourcekit.toml) '
            "or run with `--exclude Taskfile.yml`"
        ) == lines[-1]
        assert 1 == result.stderr.count("hint:")

    def test_hint_names_the_configuration_found(self, invoke, tmp_path):
        """The hint names the configuration in use, and the glob from its folder."""
        (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "_config.yml").write_text(
            "title: My blog\ntheme: minima\n", encoding="utf-8"
        )

        result = invoke("check", "--as-of", AS_OF, "--quiet")

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            "hint: if site/_config.yml is not an engagement file, leave it out: "
            'add `exclude = ["site/_config.yml"]` to [tool.outsourcekit] in '
            "pyproject.toml or run with `--exclude site/_config.yml`\n"
        )

    def test_hinted_exclude_leaves_it_out(self, invoke, tmp_path):
        """The setting the hint shows does leave the file out."""
        (tmp_path / "Taskfile.yml").write_text(TASKFILE, encoding="utf-8")
        (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
        (tmp_path / "outsourcekit.toml").write_text(
            'exclude = ["Taskfile.yml"]\n', encoding="utf-8"
        )

        result = invoke("check", "--as-of", AS_OF, "--quiet", "--exit-zero")

        assert (0, "") == (result.exit_code, result.stderr)

    @pytest.mark.skipif(
        sys.platform in {"win32", "darwin"}, reason="file names must be text there"
    )
    @pytest.mark.parametrize(
        ("name", "setting", "flag"),
        [
            (b"caf\xe9.yml", '"caf?.yml"', "'caf?.yml'"),
            (b"t\x07.yml", '"t\\u0007.yml"', "$'t\\x07.yml'"),
        ],
    )
    def test_hint_for_a_name_no_terminal_shows(
        self, invoke, tmp_path, name, setting, flag
    ):
        """The hint's glob and flag name a file whose name is not shown as it is.

        A byte that is no UTF-8 has no text to write: the glob's `?` stands
        for it. A control character is escaped as the setting's format and the
        shell read it back.
        """
        (tmp_path / os.fsdecode(name)).write_text(TASKFILE, encoding="utf-8")
        (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")

        hinted = invoke("check", ".", "--as-of", AS_OF, "--quiet")
        (tmp_path / "outsourcekit.toml").write_text(
            f"exclude = [{setting}]\n", encoding="utf-8"
        )
        result = invoke("check", ".", "--as-of", AS_OF, "--quiet", "--exit-zero")

        assert hinted.stderr.endswith(
            f"add `exclude = [{setting}]` to the configuration (outsourcekit.toml) "
            f"or run with `--exclude {flag}`\n"
        )
        assert (0, "") == (result.exit_code, result.stderr)

    def test_configuration_beside_the_folder(self, invoke, tmp_path):
        """A configuration in a folder beside the one walked leaves it out with ../."""
        (tmp_path / "ci").mkdir()
        (tmp_path / "ci" / "outsourcekit.toml").write_text("", encoding="utf-8")
        (tmp_path / "eng" / "tools").mkdir(parents=True)
        (tmp_path / "eng" / "tools" / "Taskfile.yml").write_text(
            TASKFILE, encoding="utf-8"
        )
        (tmp_path / "eng" / "a.yaml").write_text(GOOD, encoding="utf-8")
        args = ["check", "eng", "--config", "ci/outsourcekit.toml", "--as-of", AS_OF]

        hinted = invoke(*args, "--quiet")
        (tmp_path / "ci" / "outsourcekit.toml").write_text(
            'exclude = ["../eng/tools/Taskfile.yml"]\n', encoding="utf-8"
        )
        result = invoke(*args, "--quiet", "--exit-zero")

        assert hinted.stderr.endswith(
            "hint: if eng/tools/Taskfile.yml is not an engagement file, leave it "
            'out: add `exclude = ["../eng/tools/Taskfile.yml"]` to '
            "ci/outsourcekit.toml or run with `--exclude ../eng/tools/Taskfile.yml`\n"
        )
        assert (0, "") == (result.exit_code, result.stderr)

    @pytest.mark.parametrize(
        "glob",
        ["../ci/tools/Taskfile.yml", "{tmp}/eng/../ci/tools/Taskfile.yml"],
    )
    def test_glob_leading_out_and_back_in(self, invoke, tmp_path, glob):
        """A glob out of the configuration's folder and back in leaves files out."""
        (tmp_path / "ci" / "tools").mkdir(parents=True)
        (tmp_path / "ci" / "tools" / "Taskfile.yml").write_text(
            TASKFILE, encoding="utf-8"
        )
        (tmp_path / "ci" / "a.yaml").write_text(GOOD, encoding="utf-8")
        written = glob.format(tmp=glob_escape(tmp_path.as_posix()))
        (tmp_path / "ci" / "outsourcekit.toml").write_text(
            f"exclude = [{json.dumps(written)}]\n", encoding="utf-8"
        )

        args = ["check", "ci", "--config", "ci/outsourcekit.toml", "--as-of", AS_OF]
        result = invoke(*args, "--format", "json", "--exit-zero")

        assert (0, "") == (result.exit_code, result.stderr)
        assert {
            "path": "ci/tools/Taskfile.yml",
            "reason": f"excluded by {written!r}",
        } in json.loads(result.stdout)["skipped"]

    @pytest.mark.parametrize(
        "text",
        [
            "id: broken\nstart: soon\n",
            "engagements: [{id: x, start: soon}]\n",
            "defaults: {start: soon}\nengagements: [{id: x}]\n",
            "outsourcekit: 1\ntitle: no id\n",
        ],
    )
    def test_no_hint_for_an_engagement_file(self, invoke, tmp_path, text):
        """A walked file with a key only engagement files have gets no hint."""
        (tmp_path / "a.yaml").write_text(text, encoding="utf-8")

        result = invoke("check", ".", "--as-of", AS_OF, "--quiet")

        assert 2 == result.exit_code
        assert "error: a.yaml:" in result.stderr
        assert "hint:" not in result.stderr

    def test_no_hint_for_a_file_named(self, invoke, tmp_path):
        """A file named on the command line is meant to be read: no hint."""
        (tmp_path / "Taskfile.yml").write_text(TASKFILE, encoding="utf-8")

        result = invoke("check", "Taskfile.yml", "--as-of", AS_OF, "--quiet")

        assert 2 == result.exit_code
        assert "hint:" not in result.stderr

    def test_glob_characters_escaped(self, invoke, tmp_path):
        """A name with glob characters is excluded by itself alone."""
        (tmp_path / "deno[1].json").write_text(
            '{"tasks": {"dev": "deno run main.ts"}}\n', encoding="utf-8"
        )

        result = invoke("check", "--as-of", AS_OF, "--quiet")

        assert result.stderr.endswith(
            "hint: if deno[1].json is not an engagement file, leave it out: add "
            '`exclude = ["deno[[]1].json"]` to the configuration (outsourcekit.toml)'
            " or run with `--exclude 'deno[[]1].json'`\n"
        )
        assert is_excluded(tmp_path / "deno[1].json", ["deno[[]1].json"], tmp_path)
        assert not is_excluded(tmp_path / "deno1.json", ["deno[[]1].json"], tmp_path)


class TestSkippedCount:
    def test_files_and_folders_counted_as_paths(self, repo, run):
        """The summary counts what was skipped as paths: files and folders alike."""
        done = run("check", ".", "--as-of", AS_OF, "--format", "json", cwd=repo)
        text = run("check", ".", "--as-of", AS_OF, cwd=repo)

        assert 5 == len(json.loads(done.stdout)["skipped"])
        assert "5 paths skipped while walking directories" in text.stdout

    def test_nothing_found_counts_paths(self, invoke, tmp_path):
        """With no engagement file, the message counts the paths skipped."""
        (tmp_path / "node_modules").mkdir()
        (tmp_path / "package.json").write_text(PACKAGE_JSON, encoding="utf-8")

        result = invoke("check")

        assert result.stderr.startswith(
            "No engagement files found in the current directory (2 paths skipped)."
        )


@pytest.mark.skipif(sys.platform in {"darwin", "win32"}, reason="names must be bytes")
class TestReportWithUndecodableNames:
    def test_report_skipped_on_the_next_walk(self, invoke, tmp_path):
        """A JSON report naming a file whose name is not UTF-8 is a report still."""
        name = os.fsdecode(b"a\xffb.yaml")
        (tmp_path / name).write_text(GOOD, encoding="utf-8")
        first = invoke("check", ".", "--as-of", AS_OF, "-q", "-o", "json:report.json")
        assert "\\udcff" in (tmp_path / "report.json").read_text(encoding="utf-8")

        again = invoke("check", ".", "--as-of", AS_OF, "--format", "json")

        assert (1, 1, "") == (first.exit_code, again.exit_code, again.stderr)
        skipped = json.loads(again.stdout)["skipped"]
        assert [{"path": "report.json", "reason": "a report outsourcekit wrote"}] == (
            skipped
        )
