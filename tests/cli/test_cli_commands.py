"""Tests of the command line's details, run in this process with click's runner."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import (
    AS_OF,
    COUNTING_EXPORTER,
    FAILING_EXPORTER,
    RAISING_RULE,
    example,
)
from click.testing import CliRunner

from outsourcekit import _dates, check, engine
from outsourcekit import cli as cli_module
from outsourcekit.builtin.exporters import builtin_exporters
from outsourcekit.cli import (
    STARTER,
    STARTER_SCHEMA,
    CliError,
    ExitStatus,
    starter,
    statistics_text,
)
from outsourcekit.engine import RuleStatistics, Statistics
from outsourcekit.io import loads

#: A rule that fails on dates before February 2026, and only then.
FAILS_EARLY = """\
import datetime as dt

from outsourcekit.engine import rule
from outsourcekit.hookspecs import hookimpl

@rule(code="TST902", slug="fails-early", title="Fails early", category="governance",
      severity="warning", fix="Nothing to fix.")
def fails_early(engagement, ctx):
    if ctx.as_of < dt.date(2026, 2, 1):
        raise ZeroDivisionError("the rule divided by zero")
    return ()

@hookimpl
def outsourcekit_register_rules():
    return [fails_early]
"""
EXPORTERS = {e.name: e for e in builtin_exporters()}
ANSI = re.compile(r"\x1b\[")


class TestExitStatus:
    def test_values(self):
        """The statuses are those of the documented contract."""
        assert [0, 1, 2, 3] == [int(s) for s in ExitStatus]

    def test_error_carries_status(self):
        """A CLI error exits with its status."""
        assert 3 == CliError("x", ExitStatus.FAILURE).exit_code


class TestEmptyPath:
    @pytest.mark.parametrize(
        ("args", "name"),
        [
            (["check", ""], "'[PATHS]...'"),
            (["check", "--config", ""], "'--config'"),
            (["check", "--baseline", ""], "'--baseline'"),
            (["init", ""], "'[PATH]'"),
            (["schema", "--output", ""], "'-o' / '--output'"),
            (["import", ""], "'FILE'"),
        ],
    )
    def test_names_nothing(self, invoke, tmp_path, args, name):
        """An empty path (an unset shell variable) is refused, not read as `.`."""
        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")

        result = invoke(*args)

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            f"Error: Invalid value for {name}: an empty path names no file or folder\n"
        )
        assert ["a.yaml"] == sorted(p.name for p in tmp_path.iterdir())


class TestOutputOption:
    @pytest.mark.parametrize(
        ("value", "name", "target"),
        [
            ("sarif:out.sarif", "sarif", "out.sarif"),
            ("html:report.txt", "html", "report.txt"),
            ("report.SARIF", "sarif", "report.SARIF"),
            ("out/report.md", "markdown", "out/report.md"),
            ("results.xml", "junit", "results.xml"),
            ("json:-", "json", "-"),
            ("C:report.json", "json", "C:report.json"),
            ("/dev/null", "text", "/dev/null"),
            ("-", "text", "-"),
        ],
    )
    def test_parse(self, value, name, target):
        """The format comes from the prefix, else the suffix, else the --format."""
        exporter, file = cli_module._output(value, EXPORTERS, EXPORTERS["text"])

        assert (name, target) == (exporter.name, file)

    def test_unknown_suffix(self):
        """A file name that names no format is an error listing the suffixes."""
        with pytest.raises(CliError, match=r"cannot tell the format from the file"):
            cli_module._output("report.pdf", EXPORTERS, EXPORTERS["text"])

    def test_unknown_prefix(self):
        """An unknown format prefix suggests the closest."""
        with pytest.raises(CliError, match=r"unknown format 'sarf' \(did you mean"):
            cli_module._output("sarf:out.sarif", EXPORTERS, EXPORTERS["text"])


class TestCheck:
    def test_select_and_ignore(self, invoke):
        """--select and --ignore take comma lists and may repeat."""
        result = invoke(
            "check",
            "--examples",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--select",
            "OSK1,confidentiality",
            "--select",
            "no-kpis",
            "--ignore",
            "OSK108",
        )
        rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}

        assert rules
        assert all(r.startswith(("OSK1", "OSK6")) or r == "OSK701" for r in rules)
        assert "OSK108" not in rules

    def test_unknown_select(self, invoke):
        """A --select naming no rule is a configuration error with a suggestion."""
        result = invoke("check", "--examples", "--select", "confidentialty")

        assert 2 == result.exit_code
        assert "did you mean 'confidentiality'?" in result.stderr

    def test_quiet(self, invoke):
        """--quiet prints the summary line only."""
        result = invoke("check", "--examples", "--as-of", AS_OF, "--quiet")

        summary = (
            "13 engagements, 108 findings (23 errors, 43 warnings, 42 info), "
            "0 waived, portfolio score 57.1"
        )

        assert [summary] == result.stdout.splitlines()

    def test_quiet_keeps_other_formats_whole(self, invoke):
        """--quiet shortens the text report only, as its help says."""
        quiet = invoke(
            "check", "--examples", "--as-of", AS_OF, "--quiet", "--format", "jsonl"
        )
        loud = invoke("check", "--examples", "--as-of", AS_OF, "--format", "jsonl")
        helped = invoke("check", "--help")

        records = [json.loads(line) for line in quiet.stdout.splitlines()]

        assert 108 == sum("rule" in record for record in records)
        assert loud.stdout == quiet.stdout
        assert "of the text report only the summary line" in " ".join(
            helped.stdout.split()
        )

    def test_statistics(self, invoke):
        """--statistics prints counts per rule and per category, with times."""
        result = invoke(
            "check", "--examples", "--as-of", AS_OF, "--quiet", "--statistics"
        )
        lines = result.stdout.splitlines()

        row = r"^OSK601 +missing-nda +confidentiality +2 +0 +0 +\d"

        assert re.search(row, result.stdout, re.MULTILINE)
        assert any(
            re.match(r"confidentiality +8 +\d+ +0 +0 +\d", line) for line in lines
        )
        assert lines[-1].startswith("65 rules, 108 findings, 0 waived, 0 errors;")

    def test_statistics_beside_json(self, invoke):
        """With a machine format the statistics go to stderr, not into the document."""
        result = invoke("check", "--examples", "--format", "json", "--statistics")

        assert json.loads(result.stdout)["summary"]
        assert "OSK101" in result.stderr

    def test_no_colour_when_piped(self, invoke):
        """Output that is not a terminal has no colour codes."""
        result = invoke("check", "--examples", "--as-of", AS_OF)

        assert not ANSI.search(result.stdout)

    def test_titles(self, invoke):
        """Engagements are headed by id, title and score."""
        result = invoke("check", example(), "--as-of", AS_OF)

        assert (
            "\n\nharbour-finch-bookkeeping  Bookkeeping, month-end close and VAT "
            "returns for Harbour & Finch Books  [score 100]\n"
        ) in result.stdout

    def test_config_discovered(self, invoke, tmp_path):
        """outsourcekit.toml in the working directory is read."""
        (tmp_path / "outsourcekit.toml").write_text(
            'select = ["OSK108"]\n', encoding="utf-8"
        )

        result = invoke("check", example().parent, "--as-of", AS_OF, "--format", "json")

        assert {"OSK108"} == {f["rule"] for f in json.loads(result.stdout)["findings"]}

    def test_flags_win(self, invoke, tmp_path):
        """Command-line flags win over the configuration file."""
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nselect = ["OSK108"]\nfail-on = "info"\n',
            encoding="utf-8",
        )

        result = invoke("check", "--examples", "--as-of", AS_OF, "--select", "OSK101")
        never = invoke(
            "check",
            "--examples",
            "--as-of",
            AS_OF,
            "--select",
            "OSK108",
            "--fail-on",
            "never",
        )

        assert "OSK101 no-objectives" in result.stdout
        assert "OSK108" not in result.stdout
        assert 1 == result.exit_code
        assert 0 == never.exit_code

    def test_config_option(self, invoke):
        """--config names the file, which must exist, as the flag's problem."""
        result = invoke("check", "--examples", "--config", "missing.toml")

        assert (
            2,
            "Error: --config missing.toml: cannot be read: No such file or directory\n",
        ) == (result.exit_code, result.stderr)

    def test_import_errors_name_each_engagement(self, invoke, tmp_path):
        """Two engagements importing one bad file each get its error, named."""
        (tmp_path / "two.csv").write_text("id,title\nx,X\ny,Y\n", encoding="utf-8")
        for name in ("a", "b"):
            (tmp_path / f"{name}.yaml").write_text(
                f"id: {name}\nimports:\n  - path: two.csv\n", encoding="utf-8"
            )

        result = invoke("check", "a.yaml", "b.yaml", "--as-of", AS_OF, "-q")
        report = invoke("check", "a.yaml", "b.yaml", "-q", "--format", "json")

        messages = [
            f"engagement {name} ({name}.yaml): engagements: the file holds 2 "
            "engagements, not the facts of one: import a file of one engagement, "
            "or load this file on its own rather than under `imports:`"
            for name in ("a", "b")
        ]
        assert 2 == result.exit_code
        assert [f"error: two.csv: imports[0]: {m}" for m in messages] == (
            result.stderr.splitlines()
        )
        assert [
            {
                "source": "two.csv",
                "line": None,
                "column": None,
                "path": "imports[0]",
                "message": m,
            }
            for m in messages
        ] == json.loads(report.stdout)["errors"]

    def test_flags_that_leave_no_rule(self, invoke):
        """A --select that --ignore empties is a usage error naming both flags."""
        result = invoke(
            "check", example(), "--select", "OSK101", "--ignore", "OSK1,OSK101"
        )

        assert (
            2,
            "",
            (
                "Error: no rule is left to run by --select OSK101 and --ignore "
                "OSK1,OSK101: select more rules or ignore fewer\n"
            ),
        ) == (result.exit_code, result.stdout, result.stderr)

    def test_settings_that_leave_no_rule(self, invoke, tmp_path):
        """A configuration whose selection runs no rule names its settings' lines."""
        (tmp_path / "outsourcekit.toml").write_text(
            'select = ["OSK101"]\nignore = ["OSK101"]\n', encoding="utf-8"
        )

        result = invoke("check", example(), "--as-of", AS_OF)

        assert (
            2,
            (
                "Error: no rule is left to run by select (outsourcekit.toml:1) and "
                "ignore (outsourcekit.toml:2): select more rules or ignore fewer\n"
            ),
        ) == (result.exit_code, result.stderr)

    def test_flag_overrides_settings_that_leave_no_rule(self, invoke, tmp_path):
        """A --select that brings rules back makes the file's empty selection fine."""
        (tmp_path / "outsourcekit.toml").write_text("select = []\n", encoding="utf-8")

        empty = invoke("check", example(), "--as-of", AS_OF)
        flagged = invoke("check", example(), "--as-of", AS_OF, "--select", "OSK101")

        assert (
            "Error: no rule is left to run by select (outsourcekit.toml:1): select "
            "more rules or ignore fewer\n"
        ) == empty.stderr
        assert 2 == empty.exit_code
        assert (0, "") == (flagged.exit_code, flagged.stderr)

    def test_unwritable_output(self, invoke, tmp_path):
        """An --output that cannot be written is reported and exits 2."""
        (tmp_path / "no").write_text("a file, not a folder", encoding="utf-8")
        target = tmp_path / "no" / "such" / "dir" / "r.json"

        result = invoke("check", example(), "--as-of", AS_OF, "--output", target)

        assert 2 == result.exit_code
        assert f"--output {target}: cannot be written" in result.stderr

    def test_output_to_stdout(self, invoke):
        """--output FORMAT:- writes to stdout, after the --format output."""
        result = invoke(
            "check", example(), "--as-of", AS_OF, "--quiet", "--output", "csv:-"
        )

        assert result.stdout.splitlines()[1].startswith("rule,slug,category")

    def test_empty_directory(self, invoke, tmp_path):
        """A folder without engagement files warns and exits 0."""
        (tmp_path / "empty").mkdir()

        result = invoke("check", tmp_path / "empty")

        assert 0 == result.exit_code
        assert "No engagement files found in" in result.stderr
        assert "outsourcekit check --examples" in result.stderr

    def test_rule_error_debug(self, invoke, site):
        """--debug prints a failing rule's traceback."""
        site(raising=RAISING_RULE)

        result = invoke("check", example(), "--as-of", AS_OF, "--debug")

        assert 3 == result.exit_code
        assert "Traceback (most recent call last)" in result.stderr
        assert 'raise ZeroDivisionError("the rule divided by zero")' in result.stderr

    def test_plugin_format(self, invoke, site):
        """A plugin's format is a --format choice like the built-in ones."""
        site(boom=FAILING_EXPORTER)

        result = invoke("check", example(), "--as-of", AS_OF, "--format", "boom")

        assert 3 == result.exit_code
        assert "the printer caught fire" in result.stderr

    def test_rendered_once(self, invoke, site, tmp_path):
        """A format written to several places is rendered once."""
        site(count=COUNTING_EXPORTER)

        result = invoke(
            "check",
            example(),
            "--as-of",
            AS_OF,
            "--format",
            "count",
            "--output",
            "count:a.txt",
            "--output",
            "b.cnt",
        )

        assert 0 == result.exit_code
        assert "counted\n" == result.stdout
        assert ["counted\n"] * 2 == [
            (tmp_path / n).read_text("utf-8") for n in ("a.txt", "b.cnt")
        ]
        assert "called\n" == (tmp_path / "calls.log").read_text("utf-8")

    def test_unknown_format(self, invoke):
        """An unknown format is the flag's error, listing the known ones."""
        result = invoke("check", "--examples", "--format", "pdf")

        assert 2 == result.exit_code
        assert (
            "Error: --format: unknown format 'pdf' (formats: concise, csv, github, "
            "gitlab, html, json, jsonl, junit, markdown, sarif, text)\n"
        ) == result.stderr


class TestChoices:
    @pytest.mark.parametrize(
        ("args", "flag", "given", "meant"),
        [
            (
                ["check", "--examples", "--fail-on", "ERROR"],
                "--fail-on",
                "ERROR",
                "error",
            ),
            (
                ["check", "--examples", "--fail-on", "no"],
                "--fail-on",
                "no",
                "never",
            ),
            (
                ["check", "--examples", "--color", "allways"],
                "--color",
                "allways",
                "always",
            ),
            (["rules", "--format", "JSON"], "-f' / '--format", "JSON", "json"),
            (["plugins", "--format", "txt"], "-f' / '--format", "txt", "text"),
        ],
    )
    def test_closest_suggested(self, invoke, args, flag, given, meant):
        """A flag's value not among its choices names the closest, as --format does."""
        result = invoke(*args)

        assert 2 == result.exit_code
        assert f"Error: Invalid value for '{flag}': {given!r} is not one of " in (
            result.stderr
        )
        assert result.stderr.endswith(f" (did you mean {meant!r}?)\n")

    def test_nothing_close(self, invoke):
        """A value close to no choice lists the choices only."""
        result = invoke("rules", "--format", "pdf")

        assert result.stderr.endswith(
            "Error: Invalid value for '-f' / '--format': 'pdf' is not one of 'text', "
            "'json', 'markdown'.\n"
        )


class TestColour:
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    def test_terminal(self):
        """A terminal gets colour."""
        assert cli_module._colored(self.Terminal()) is True

    def test_no_color(self, monkeypatch):
        """NO_COLOR turns colour off even on a terminal."""
        monkeypatch.setenv("NO_COLOR", "1")

        assert cli_module._colored(self.Terminal()) is False

    def test_pipe(self):
        """A pipe or file gets none."""
        assert cli_module._colored(io.StringIO()) is False

    def test_progress_on_terminal(self, monkeypatch):
        """On a terminal the progress line shows once the delay is over, then clears."""
        stream = self.Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        progress = cli_module._Progress(delay=0)

        progress.show("Checking 1000 engagements...")
        progress.done()

        assert "\r\x1b[KChecking 1000 engagements...\r\x1b[K" == stream.getvalue()

    def test_short_run_shows_nothing(self, monkeypatch):
        """A run that ends within the delay shows no progress at all."""
        stream = self.Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        progress = cli_module._Progress()

        progress.show("Checking 10 engagements...")
        progress.update("Checked 10 engagements")
        progress.done()

        assert "" == stream.getvalue()

    def test_step_shows_when_the_delay_is_over(self, monkeypatch):
        """A step still under way when the delay is over is shown then."""
        stream = self.Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        progress = cli_module._Progress(delay=0.01)

        progress.show("Loading 3 files...")
        progress.timer.join()
        shown = stream.getvalue()
        progress.done()

        assert "\r\x1b[KLoading 3 files..." == shown

    def test_updates_after_the_delay(self, monkeypatch):
        """Updates show once the run has lasted longer than the delay."""
        stream = self.Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        progress = cli_module._Progress()
        progress.clock = lambda: progress.started + 2.0

        progress.update("Checked 2,000 engagements")

        assert "\r\x1b[KChecked 2,000 engagements" == stream.getvalue()

    def test_progress_kept_within_the_terminal_width(self, monkeypatch):
        """A line wider than the terminal is cut: a wrapped line is not cleared."""
        stream = self.Terminal()
        monkeypatch.setattr("sys.stderr", stream)
        monkeypatch.setattr(
            "shutil.get_terminal_size", lambda *_a, **_k: os.terminal_size((30, 24))
        )
        progress = cli_module._Progress(delay=0)

        progress.show("Checked 4,000 engagements (1,767/s), 19% read, about 9 s left")

        assert "\r\x1b[KChecked 4,000 engagements ..." == stream.getvalue()

    def test_no_progress_among_findings_streamed_to_the_terminal(
        self, monkeypatch, tmp_path
    ):
        """Findings streamed to a terminal stand for the progress line."""
        asked = []

        class Recording(cli_module._Progress):
            def __init__(self, *, quiet=False, **kwargs):
                asked.append(quiet)
                super().__init__(quiet=True, **kwargs)

        monkeypatch.setattr(cli_module, "_Progress", Recording)
        monkeypatch.setattr(cli_module, "_is_tty", lambda _stream: True)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        big = tmp_path / "big.jsonl"
        big.write_text('{"id": "a"}\n{"id": "b"}\n', encoding="utf-8")

        result = CliRunner().invoke(
            cli_module.cli,
            ["check", str(big), "--format", "concise", "--as-of", "2026-11-22"],
        )

        assert 1 == result.exit_code
        assert [True] == asked

    @pytest.mark.parametrize("quiet", [True, False])
    def test_no_progress_when_piped_or_quiet(self, monkeypatch, quiet):
        """Nothing is written with --quiet, or when stderr is not a terminal."""
        stream = self.Terminal() if quiet else io.StringIO()
        monkeypatch.setattr("sys.stderr", stream)
        progress = cli_module._Progress(quiet=quiet, delay=0)

        progress.show("Checking 1000 engagements...")
        progress.update("Checked 1000 engagements")
        progress.done()

        assert "" == stream.getvalue()


class TestStatisticsText:
    def test_layout(self):
        """Rules, then categories, then the totals."""
        stats = Statistics(
            rules=(
                RuleStatistics(
                    rule="OSK101",
                    slug="no-objectives",
                    category="clarity",
                    findings=2,
                    waived=1,
                    errors=0,
                    seconds=0.0015,
                ),
            ),
            seconds=0.25,
        )

        assert (
            "rule     slug                           category         "
            "findings waived errors        ms\n"
            "OSK101   no-objectives                  clarity                 "
            "2      1      0      1.50\n"
            "\n"
            "category         rules findings waived errors        ms\n"
            "clarity              1        2      1      0      1.50\n"
            "\n"
            "1 rule, 2 findings, 1 waived, 0 errors; the check took 250.0 ms\n"
        ) == statistics_text(stats)

    def test_long_names_widen_columns(self):
        """A plugin rule's long code, slug and category widen their columns."""
        stats = Statistics(
            rules=(
                RuleStatistics(
                    rule="ACMECORP1001",
                    slug="no-steering-committee-for-strategic-work",
                    category="vendor-relationship-management",
                    findings=2,
                    waived=0,
                    errors=0,
                    seconds=0.0015,
                ),
                RuleStatistics(
                    rule="OSK101",
                    slug="no-objectives",
                    category="clarity",
                    findings=1,
                    waived=1,
                    errors=0,
                    seconds=0.0005,
                ),
            ),
            seconds=0.25,
        )

        lines = statistics_text(stats).splitlines()

        assert [
            (
                "rule         slug                                     category"
                "                       findings waived errors        ms"
            ),
            (
                "ACMECORP1001 no-steering-committee-for-strategic-work "
                "vendor-relationship-management        2      0      0      1.50"
            ),
            (
                "OSK101       no-objectives                            clarity"
                "                               1      1      0      0.50"
            ),
            "",
            "category                       rules findings waived errors        ms",
            "clarity                            1        1      1      0      0.50",
            "vendor-relationship-management     1        2      0      0      1.50",
        ] == lines[:7]


class TestRulesCommand:
    def test_text(self, invoke):
        """The text catalogue is a table with a header and a closing hint."""
        result = invoke("rules")
        lines = result.stdout.splitlines()

        assert lines[0].split() == ["code", "slug", "severity", "category", "title"]
        assert lines[1].split()[:4] == ["OSK101", "no-objectives", "error", "clarity"]
        assert "65 rules; `outsourcekit explain CODE` tells more." == lines[-1]

    def test_text_columns_fit_plugin_rules(self, invoke):
        """A plugin rule's long code and category widen their columns for every row."""
        from outsourcekit import plugins

        register_acme_rule(
            code="ACMECORP1001",
            slug="no-steering-committee",
            title="No steering committee",
            category="vendor-relationship-management",
            severity="warning",
        )

        result = invoke("rules")
        header, *rows = result.stdout.splitlines()[:-2]
        titles = [r.title for r in plugins.get_rules()]

        assert 0 == result.exit_code
        assert ["ACMECORP1001", "no-steering-committee", "warning"] == (
            rows[0].split()[:3]
        )
        assert "vendor-relationship-management No steering committee" in rows[0]
        assert [header.index("title")] * len(rows) == [
            row.index(title) for row, title in zip(rows, titles, strict=True)
        ]
        assert [row.split()[3] for row in rows] == [
            row[header.index("category") :].split()[0] for row in rows
        ]

    def test_text_title_one_line(self, invoke):
        """A plugin rule's title with a line break or ESC stays on its row, escaped."""
        register_acme_rule(
            code="ACME001",
            slug="two-lines",
            title="First\nsecond \x1b[31mred",
            category="governance",
            severity="info",
        )

        result = invoke("rules")

        assert (
            "ACME001  two-lines                   info     governance       "
            "First\\nsecond \\x1b[31mred  (plugin acme)"
        ) == result.stdout.splitlines()[1]
        assert 69 == len(result.stdout.splitlines())

    def test_markdown(self, invoke):
        """The Markdown catalogue is one table row per rule."""
        result = invoke("rules", "--format", "markdown")

        assert 67 == len(result.stdout.splitlines())
        assert "| `OSK601` | `missing-nda` | error | confidentiality |" in result.stdout

    def test_json(self, invoke):
        """The JSON catalogue gives each rule's metadata and options."""
        result = invoke("rules", "--format", "json")
        by_code = {r["code"]: r for r in json.loads(result.stdout)}

        assert {"max-per-week": 5} == by_code["OSK301"]["options"]
        assert "outsourcekit.builtin.rules" == by_code["OSK301"]["plugin"]

    def test_json_duration(self, invoke):
        """A duration option's default is its text, as configuration writes it."""
        result = invoke("rules", "--format", "json")
        by_code = {r["code"]: r for r in json.loads(result.stdout)}

        assert 0 == result.exit_code
        assert {"min-overlap": "2h"} == by_code["OSK501"]["options"]

    def test_explain_duration(self, invoke):
        """explain shows a duration option's default as TOML writes it."""
        result = invoke("explain", "OSK501")

        assert (
            "Options:\n"
            '  min-overlap = "2h"  (How long the parties\' working days must '
            "overlap, a duration such as 2h, 90m or 1h30m.)\n"
        ) in result.stdout

    def test_explain_derived_default(self, invoke):
        """An option the rule derives when unset shows no value one could write."""
        result = invoke("explain", "kpi-not-measured")

        assert 0 == result.exit_code
        assert (
            "Options:\n"
            "  max-days = (derived)  (days a KPI may go unmeasured; unset: exactly "
            "twice the longest gap of its `measured` cadence, else 60)\n"
        ) in result.stdout
        assert "None" not in result.stdout

    def test_json_derived_default(self, invoke):
        """In JSON, an option the rule derives when unset is null."""
        result = invoke("rules", "--format", "json")
        by_code = {r["code"]: r for r in json.loads(result.stdout)}

        assert {"max-days": None} == by_code["OSK703"]["options"]


class TestInit:
    def test_starter_loads(self):
        """The starter file loads as it is, with the id filled in."""
        eng = loads(
            STARTER.format(id="my-work", file="x.yaml", schema=STARTER_SCHEMA),
            source="x.yaml",
        )

        assert ("my-work", "proposed") == (eng.id, eng.status.value)

    def test_id_from_file_name(self, invoke, tmp_path):
        """The id is the file's name, made safe."""
        result = invoke("init", "Acme Books (2026).yml")

        assert 0 == result.exit_code
        assert (
            "Acme-Books-2026"
            == loads((tmp_path / "Acme Books (2026).yml").read_text("utf-8")).id
        )

    @pytest.mark.parametrize("name", ["true", "null", "1e3", "1.5", "2026", "0o17"])
    def test_id_read_back_as_text(self, invoke, tmp_path, name):
        """A file name YAML would read as a boolean, null or number gives a text id."""
        result = invoke("init", f"{name}.yaml")
        checked = invoke("check", f"{name}.yaml", "--quiet")

        assert 0 == result.exit_code
        assert name == loads((tmp_path / f"{name}.yaml").read_text("utf-8")).id
        assert (1, "") == (checked.exit_code, checked.stderr)

    def test_yaml_only(self, invoke):
        """init writes YAML and says so when asked for another suffix."""
        result = invoke("init", "engagement.json")

        assert 2 == result.exit_code
        assert "PATH must end in .yaml or .yml (got 'engagement.json')" in (
            result.stderr
        )

    @pytest.mark.parametrize("name", [".yaml", "clients/.YML"])
    def test_suffix_alone(self, invoke, tmp_path, name):
        """A PATH that is a suffix alone is told it needs a name before it."""
        (tmp_path / "clients").mkdir()

        result = invoke("init", name)

        given = Path(name)
        such = str(given.with_name(f"engagement{given.name}"))
        assert (
            2,
            (
                f"Error: init writes YAML: PATH {str(given)!r} has no name before the "
                f"suffix; give one, such as {such!r}\n"
            ),
        ) == (result.exit_code, result.stderr)
        assert [] == list(tmp_path.rglob("*.y*ml"))

    def test_into_a_folder(self, invoke, tmp_path):
        """A folder as PATH gets engagement.yaml inside it."""
        (tmp_path / "clients").mkdir()

        result = invoke("init", "clients")

        written = Path("clients", "engagement.yaml")
        assert (0, "") == (result.exit_code, result.stderr)
        assert result.stdout.startswith(
            f"Wrote {written}. Next: outsourcekit check {written}\n"
        )
        assert (
            "engagement"
            == loads((tmp_path / "clients" / "engagement.yaml").read_text("utf-8")).id
        )

    def test_into_a_new_folder(self, invoke, tmp_path):
        """A PATH ending in a slash is a folder, made, with engagement.yaml inside."""
        result = invoke("init", "new/")
        again = invoke("init", "new")

        assert 0 == result.exit_code
        assert (tmp_path / "new" / "engagement.yaml").is_file()
        assert 2 == again.exit_code
        assert (
            f"Error: {Path('new', 'engagement.yaml')} already exists; use --force "
            "to overwrite it\n"
        ) == again.stderr

    @pytest.mark.skipif(
        sys.platform in {"win32", "darwin"}, reason="file names must be text there"
    )
    def test_file_name_not_utf8(self, run, tmp_path):
        """A file name of bytes that are no UTF-8 is written, escaped in comments."""
        name = os.fsdecode(b"caf\xe9.yaml")

        result = run("init", name)
        text = (tmp_path / name).read_text("utf-8")

        assert (0, "") == (result.returncode, result.stderr)
        assert result.stdout.startswith(
            "Wrote caf\\udce9.yaml. Next: outsourcekit check $'caf\\xe9.yaml'\n"
        )
        assert "outsourcekit check $'caf\\xe9.yaml'" in text
        assert "caf" == loads(text).id

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell quoting")
    @pytest.mark.parametrize(
        ("name", "shown", "word"),
        [
            (b"a\tb.yaml", "a\\tb.yaml", "$'a\\x09b.yaml'"),
            (b"x\x1b[31m.yaml", "x\\x1b[31m.yaml", "$'x\\x1b[31m.yaml'"),
            (b"it's\xe9.yaml", "it's\\udce9.yaml", "$'it\\'s\\xe9.yaml'"),
        ],
    )
    def test_next_step_names_what_no_terminal_shows(
        self, invoke, tmp_path, name, shown, word
    ):
        """A name with a control character or bytes that are no UTF-8 is named
        so that the shell reads it back: `$'...'` with each such byte escaped.

        Printed as it is, a control character would drive the terminal (or be
        dropped from the output), and no quoting names bytes that are no text.
        """
        given = os.fsdecode(name)

        result = invoke("init", given)

        assert 0 == result.exit_code, result.stderr
        assert result.stdout.startswith(
            f"Wrote {shown}. Next: outsourcekit check {word}\n"
        )
        assert (tmp_path / given).is_file()
        bash = shutil.which("bash")
        if bash is not None:  # the word reads back as the name, byte for byte
            echoed = subprocess.run(  # noqa: S603 - a shell reading a word we wrote
                [bash, "-c", f"printf %s {word}"], capture_output=True, check=True
            )
            assert name == echoed.stdout

    def test_next_step(self, invoke):
        """init says what to run next."""
        result = invoke("init")

        assert (
            "Wrote engagement.yaml. Next: outsourcekit check engagement.yaml\n"
            "For completion in your editor: outsourcekit schema --output "
            "outsourcekit.schema.json\n"
        ) == result.stdout

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell quoting")
    @pytest.mark.parametrize(
        ("given", "check", "schema"),
        [
            (
                "sub dir/Ünï cödé.yaml",
                "'sub dir/Ünï cödé.yaml'",
                "'sub dir/outsourcekit.schema.json'",
            ),
            ("a'b.yaml", "'a'\"'\"'b.yaml'", "outsourcekit.schema.json"),
            ("$HOME/x.yaml", "'$HOME/x.yaml'", "'$HOME/outsourcekit.schema.json'"),
        ],
    )
    def test_next_step_quotes_paths(self, invoke, tmp_path, given, check, schema):
        """The commands init prints work pasted into a shell, whatever the path."""
        result = invoke("init", given)

        assert 0 == result.exit_code, result.stderr
        assert (
            f"Wrote {given}. Next: outsourcekit check {check}\n"
            f"For completion in your editor: outsourcekit schema --output {schema}\n"
        ) == result.stdout
        written = (tmp_path / given).read_text("utf-8")
        assert f"# Only `id` is required: run `outsourcekit check {check}` now" in (
            written
        )
        words = shlex.split(result.stdout.splitlines()[0].split("Next: ")[1])
        assert ["outsourcekit", "check", given] == words

    def test_schema_command_in_the_file(self, invoke, tmp_path):
        """The file's comment names the schema command init prints, folder and all."""
        result = invoke("init", "ops/acme.yaml")
        written = (tmp_path / "ops" / "acme.yaml").read_text("utf-8")

        printed = result.stdout.splitlines()[1].split(": ", 1)[1]
        assert "outsourcekit schema --output ops/outsourcekit.schema.json" == printed
        assert f"# `{printed}`." in written.splitlines()
        first = written.splitlines()[0]
        assert "# yaml-language-server: $schema=outsourcekit.schema.json" == first

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell quoting")
    def test_next_step_path_like_an_option(self, invoke, tmp_path):
        """A path starting with a dash is printed so that it reads as no option."""
        result = invoke("init", "--", "-x.yaml")

        assert 0 == result.exit_code, result.stderr
        assert (
            "Wrote -x.yaml. Next: outsourcekit check ./-x.yaml\n"
            "For completion in your editor: outsourcekit schema --output "
            "outsourcekit.schema.json\n"
        ) == result.stdout
        assert (tmp_path / "-x.yaml").is_file()

    def test_next_step_quotes_for_windows(self, monkeypatch):
        """On Windows, a path is quoted as its command line reads it."""
        monkeypatch.setattr(cli_module.sys, "platform", "win32")

        assert '"sub dir\\Ünï cödé.yaml"' == cli_module._command_word(
            "sub dir\\Ünï cödé.yaml"
        )
        assert "e.yaml" == cli_module._command_word("e.yaml")


class TestStarter:
    #: A commented-out key or list item of the starter (not a sentence).
    KEY = re.compile(r"^# (?=\s*(?:[a-z_]+:|- ))")

    def filled_in(self) -> str:
        """The starter with every key uncommented, for an engagement under way.

        The example waiver is left out: a waiver belongs to a finding to accept.
        """
        text = STARTER.format(id="demo", file="e.yaml", schema=STARTER_SCHEMA)
        lines = [self.KEY.sub("", line) for line in text.splitlines()]
        filled = "\n".join(lines).replace("status: proposed", "status: active")
        return filled.split("\nwaivers:")[0] + "\n"

    def test_filled_in_gives_no_finding(self):
        """Every key a rule checks is in the starter: filled in, nothing is found."""
        report = check(loads(self.filled_in(), source="e.yaml"), as_of="2026-02-20")

        assert [] == [f"{f.rule} {f.message}" for f in report.findings]

    def uncommented(self, text: str) -> str:
        """*text* with every key uncommented, as the starter's comment says."""
        return "\n".join(self.KEY.sub("", line) for line in text.splitlines()) + "\n"

    def test_written_and_filled_in_gives_no_finding(self, invoke, tmp_path):
        """`init`'s file, every key uncommented, gives no finding on its day."""
        before = dt.date.today()
        result = invoke("init", "acme.yaml")
        after = dt.date.today()
        filled = self.uncommented((tmp_path / "acme.yaml").read_text("utf-8"))
        engagement = loads(filled, source="acme.yaml")

        assert 0 == result.exit_code
        assert before <= engagement.start <= after
        assert "proposed" == engagement.status.value
        report = check(engagement, as_of=engagement.start)
        assert [] == [f"{f.rule} {f.message}" for f in report.findings]

    @pytest.mark.parametrize(
        "day",
        [
            "2024-02-29",
            "2026-03-29",
            "2026-06-30",
            "2026-10-25",
            "2026-12-31",
            "2027-01-01",
            "2030-07-13",
        ],
    )
    def test_filled_in_on_any_day(self, day):
        """Written on any day and filled in, the starter gives no finding that day."""
        written = dt.date.fromisoformat(day)
        engagement = loads(
            self.uncommented(starter("demo", "e.yaml", written)), source="e.yaml"
        )

        assert written == engagement.start
        report = check(engagement, as_of=written)
        assert [] == [f"{f.rule} {f.message}" for f in report.findings]

    def test_dates_count_from_the_day(self):
        """Every date moves with the day written, the start being that day."""
        text = starter("demo", "e.yaml", dt.date(2027, 3, 1))

        assert ("# start: 2027-03-01", "# end: 2028-02-24") == tuple(
            line for line in text.splitlines() if line.startswith(("# start", "# end"))
        )
        assert "{at: 2027-03-30T10:00, by: client}" in text
        assert "2026-" not in text

    def test_schema_line(self):
        """The first line points editors at the schema file."""
        first = STARTER.format(id="a", file="a.yaml", schema=STARTER_SCHEMA).split(
            "\n"
        )[0]

        assert "# yaml-language-server: $schema=outsourcekit.schema.json" == first

    def test_init_creates_folders(self, invoke, tmp_path):
        """init creates missing parent folders."""
        result = invoke("init", "ops/new/acme.yaml")

        assert 0 == result.exit_code
        assert "acme" == loads((tmp_path / "ops/new/acme.yaml").read_text("utf-8")).id


class TestSchemaOutput:
    def test_writes_file(self, invoke, tmp_path):
        """schema --output writes the schema, creating folders."""
        result = invoke("schema", "--output", "editor/outsourcekit.schema.json")
        written = json.loads(
            (tmp_path / "editor/outsourcekit.schema.json").read_text("utf-8")
        )

        assert 0 == result.exit_code
        assert "Wrote editor/outsourcekit.schema.json.\n" == result.stdout
        assert json.loads(invoke("schema").stdout) == written

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("outsourcekit.toml", 'select = ["OSK6"]\n'),
            ("acme.yaml", "id: acme\n"),
            ("acme.json", '{"id": "acme"}\n'),
            ("notes.json", "not json\n"),
            (
                "biome.json",
                '{"$schema": "https://biomejs.dev/schemas/1.9.4/schema.json"}\n',
            ),
            ("edited.json", '{"$schema": "outsourcekit.schema.json", "id": "a"}\n'),
        ],
    )
    def test_keeps_other_files(self, invoke, tmp_path, name, text):
        """A file that holds something else than a JSON Schema is not overwritten."""
        (tmp_path / name).write_text(text, encoding="utf-8")

        result = invoke("schema", "--output", name)

        assert 2 == result.exit_code
        assert (
            f"Error: {name} already exists and holds no JSON Schema: write the "
            "schema to another file, or remove this one first\n"
        ) == result.stderr
        assert text == (tmp_path / name).read_text(encoding="utf-8")

    def test_keeps_a_large_file_unread(self, invoke, tmp_path, monkeypatch):
        """A file far larger than a schema is kept without reading it all."""
        big = tmp_path / "portfolio.jsonl"
        with big.open("wb") as file:
            file.truncate(cli_module.SCHEMA_BYTES + 1)
        read_bytes = Path.read_bytes

        def refuse_big(path):
            assert path.name != big.name, "the whole file was read"
            return read_bytes(path)

        monkeypatch.setattr(Path, "read_bytes", refuse_big)

        result = invoke("schema", "--output", "portfolio.jsonl")

        assert 2 == result.exit_code
        assert (
            "Error: portfolio.jsonl already exists and holds no JSON Schema: write "
            "the schema to another file, or remove this one first\n"
        ) == result.stderr
        assert cli_module.SCHEMA_BYTES + 1 == big.stat().st_size

    @pytest.mark.parametrize(
        "text",
        [
            "",
            '{"$schema": "https://json-schema.org/draft/2020-12/schema"}',
            '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}',
        ],
    )
    def test_replaces_a_schema(self, invoke, tmp_path, text):
        """An earlier schema, or an empty file, is replaced by the schema."""
        (tmp_path / "s.json").write_text(text, encoding="utf-8")

        result = invoke("schema", "--output", "s.json", "--report")

        assert 0 == result.exit_code, result.stderr
        assert json.loads(invoke("schema", "--report").stdout) == json.loads(
            (tmp_path / "s.json").read_text(encoding="utf-8")
        )


class TestExplain:
    def test_code_case(self, invoke):
        """Codes are matched ignoring case."""
        result = invoke("explain", "osk601")

        assert result.stdout.startswith("OSK601 missing-nda")

    def test_spaces_around(self, invoke):
        """A name pasted with spaces around it (`explain " OSK601 "`) is found."""
        result = invoke("explain", " OSK601 ")

        assert 0 == result.exit_code
        assert result.stdout.startswith("OSK601 missing-nda")

    @pytest.mark.parametrize(
        ("name", "what"),
        [
            ("OSK60", "a code prefix"),
            ("osk6", "a code prefix"),
            ("confidentiality", "a category"),
        ],
    )
    def test_several_rules_named(self, invoke, name, what):
        """A code prefix or a category names its rules, not one close code."""
        result = invoke("explain", name)

        assert 2 == result.exit_code
        assert (
            f"Error: no rule has the code or slug {name!r}: it is {what}, of "
            "OSK601, OSK602, OSK603, OSK604, OSK605, OSK606, OSK607 and OSK608; "
            "explain one of them\n"
        ) == result.stderr

    def test_many_rules_named(self, invoke):
        """A prefix of many rules says how many, and where they are listed."""
        result = invoke("explain", "OSK")

        assert (
            "Error: no rule has the code or slug 'OSK': it is a code prefix, of 65 "
            "rules (outsourcekit rules lists them); explain one of them\n"
        ) == result.stderr

    def test_plugin_rule(self, invoke, site):
        """A plugin's rule is explained too."""
        site(raising=RAISING_RULE)

        result = invoke("explain", "always-raises")

        assert 0 == result.exit_code
        assert "Plugin: raising" in result.stdout


class TestImports:
    def test_cli_not_imported_by_package(self):
        """import outsourcekit loads neither the command line nor click."""
        import subprocess
        import sys

        code = (
            "import sys, outsourcekit, outsourcekit.engine, outsourcekit.plugins; "
            "print([m for m in ('click', 'outsourcekit.cli') if m in sys.modules])"
        )
        done = subprocess.run(  # noqa: S603 - this interpreter
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )

        assert "[]" == done.stdout.strip()


class TestCrashes:
    def test_check_failure(self, invoke, monkeypatch):
        """A check that fails unexpectedly exits 3, never 1."""

        def broken(*_args, **_kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr("outsourcekit.engine.check", broken)

        result = invoke("check", example())

        assert 3 == result.exit_code
        assert "the check failed: RuntimeError: disk on fire" in result.stderr

    def test_main_unexpected(self, monkeypatch, capsys):
        """main() turns an unexpected exception into a traceback and status 3."""

        def broken():
            raise RuntimeError("schema lost")

        monkeypatch.setattr("outsourcekit._schema.schema", broken)

        with pytest.raises(SystemExit) as exc:
            cli_module.main(["schema"])

        assert 3 == exc.value.code
        assert "RuntimeError: schema lost" in capsys.readouterr().err

    def test_main_status(self, capsys):
        """main() exits with the command's status."""
        with pytest.raises(SystemExit) as exc:
            cli_module.main(["explain", "no-such-rule"])

        assert 2 == exc.value.code
        assert "no rule has the code or slug 'no-such-rule'" in capsys.readouterr().err


class TestHistory:
    RANGE = ("--history", "2026-01-01..2026-03-01/month")

    def test_exit_zero(self, invoke):
        """--exit-zero exits 0 where the history's findings would exit 1."""
        failing = invoke("check", "--examples", *self.RANGE)

        result = invoke("check", "--examples", *self.RANGE, "--exit-zero")

        assert (1, 0) == (failing.exit_code, result.exit_code)
        assert failing.stdout == result.stdout

    def test_exit_zero_keeps_errors(self, invoke, mixed_dir):
        """--exit-zero with --history still exits 2 on load errors."""
        result = invoke("check", mixed_dir, *self.RANGE, "--exit-zero")

        assert 2 == result.exit_code

    def test_outputs(self, invoke, tmp_path):
        """-o writes the trend table (text) or the reports a date (json)."""
        text = invoke("check", "--examples", *self.RANGE)
        data = invoke("check", "--examples", *self.RANGE, "-f", "json")

        result = invoke(
            "check", "--examples", *self.RANGE, "-o", "h.json", "-o", "out/h.txt"
        )

        assert 1 == result.exit_code
        assert text.stdout == result.stdout
        assert data.stdout == (tmp_path / "h.json").read_text(encoding="utf-8")
        assert text.stdout == (tmp_path / "out" / "h.txt").read_text(encoding="utf-8")
        assert 3 == len(json.loads(data.stdout)["history"])

    def test_json_output_beside_json(self, invoke, tmp_path):
        """With --format json too, stdout and the file hold the same document."""
        result = invoke(
            "check", "--examples", *self.RANGE, "-f", "json", "-o", "text:h.txt"
        )

        assert 3 == len(json.loads(result.stdout)["history"])
        assert (tmp_path / "h.txt").read_text(encoding="utf-8").startswith("as of")

    def test_output_of_another_format(self, invoke, tmp_path):
        """An --output in a format the history is not written in is a usage error."""
        result = invoke("check", "--examples", *self.RANGE, "-o", "h.sarif")

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            "Error: --output 'h.sarif': --history writes the text or json format, "
            "not 'sarif'\n"
        )
        assert "" == result.stdout
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize(
        ("options", "named"),
        [
            (["--statistics"], "--statistics"),
            (["--baseline", "base.json"], "--baseline"),
            (["--baseline", "base.json", "--new-only"], "--baseline or --new-only"),
            (["--jobs", "2"], "--jobs"),
            (["-j", "0", "--statistics"], "--statistics or --jobs"),
        ],
    )
    def test_options_it_cannot_honour(self, invoke, tmp_path, options, named):
        """Options --history does not apply are a usage error naming them."""
        (tmp_path / "base.json").write_text("{}", encoding="utf-8")

        result = invoke("check", "--examples", *self.RANGE, *options)

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            f"Error: --history cannot be given with {named}\n"
        )
        assert "" == result.stdout

    def test_too_many_dates(self, invoke):
        """A range of more dates than a run checks is a usage error saying how many."""
        result = invoke(
            "check", "--examples", "--history", "1900-01-01..2999-12-31/week"
        )

        fewer = invoke(
            "check", "--examples", "--history", "2000-01-01..2026-12-31/week"
        )

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            "Error: Invalid value for '--history': '1900-01-01..2999-12-31/week' holds "
            "57,396 dates, more than the 1,000 one run checks: shorten the range\n"
        )
        assert "" == result.stdout
        assert fewer.stderr.endswith(
            "'2000-01-01..2026-12-31/week' holds 1,409 dates, more than the 1,000 one "
            "run checks: shorten the range, or step by month (324 dates) or quarter "
            "(108 dates)\n"
        )

    def test_step_suggested(self, invoke):
        """A step in capitals, or otherwise mistyped, names the closest step."""
        result = invoke(
            "check", "--examples", "--history", "2026-01-01..2026-12-31/Month"
        )

        assert 2 == result.exit_code
        assert result.stderr.endswith(
            "Error: Invalid value for '--history': every must be one of week, "
            "month, quarter (got 'Month') (did you mean 'month'?)\n"
        )

    def test_most_dates(self, invoke, monkeypatch):
        """As many dates as a run checks are checked; one more is refused."""
        monkeypatch.setattr(_dates, "HISTORY_DATES", 3)

        checked = invoke("check", "--examples", *self.RANGE, "--exit-zero")
        longer = invoke("check", "--examples", "--history", "2026-01-01..2026-04-01")

        assert 0 == checked.exit_code
        assert 4 == len(checked.stdout.splitlines())
        assert 2 == longer.exit_code
        assert longer.stderr.endswith(
            "'2026-01-01..2026-04-01' holds 4 dates, more than the 3 one run "
            "checks: shorten the range, or step by quarter (2 dates)\n"
        )

    def test_too_many_quarters(self, invoke, monkeypatch):
        """Quarters, the longest step, leave the range to shorten."""
        monkeypatch.setattr(_dates, "HISTORY_DATES", 3)

        result = invoke(
            "check", "--examples", "--history", "2026-01-01..2026-12-31/quarter"
        )

        assert result.stderr.endswith(
            "'2026-01-01..2026-12-31/quarter' holds 4 dates, more than the 3 one "
            "run checks: shorten the range\n"
        )

    @pytest.fixture
    def shown(self, monkeypatch):
        """Return what the progress line shows, as on a terminal, at once."""
        lines = []

        class Recording(cli_module._Progress):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.enabled, self.delay = True, 0

            def _write(self, text):
                lines.append(text)

        monkeypatch.setattr(cli_module, "_Progress", Recording)
        return lines

    def test_progress(self, invoke, shown):
        """On a terminal, a long history says how many dates are checked so far."""
        result = invoke("check", "--examples", *self.RANGE)

        assert 1 == result.exit_code
        assert re.fullmatch(
            r"Checked 1 of 3 dates \(2026-01-01\), about \d+ s left", shown[-3]
        )
        assert shown[-1].startswith("Checked 3 of 3 dates (2026-03-01)")

    def test_progress_of_one_date(self, invoke, shown):
        """One file, one date and one engagement are counted in the singular."""
        invoke("check", example(), "--history", "2026-01-01..2026-01-01")

        assert ["Loading 1 file...", "Checking 1 engagement at 1 date..."] == (
            shown[-3:-1]
        )
        assert shown[-1].startswith("Checked 1 of 1 date (2026-01-01), about ")

    def test_unknown_rule_selected(self, invoke):
        """A --select naming no rule is the flag's usage error, without traceback."""
        result = invoke("check", "--examples", *self.RANGE, "--select", "OSK999")

        assert 2 == result.exit_code
        assert (
            "Error: --select: no rule has the code, code prefix, category or slug "
            "'OSK999' (did you mean 'OSK909'?)\n"
        ) == result.stderr
        assert "" == result.stdout

    def test_check_failure(self, invoke, monkeypatch):
        """A history whose check fails unexpectedly exits 3, never 1."""

        def broken(*_args, **_kwargs):
            raise RuntimeError("disk on fire")

        monkeypatch.setattr("outsourcekit.engine.check", broken)

        result = invoke("check", example(), *self.RANGE)

        assert 3 == result.exit_code
        assert "Error: the check failed: RuntimeError: disk on fire\n" == (
            result.stderr
        )

    def test_interrupted_clears_the_progress(self, invoke, monkeypatch):
        """Ctrl-C during a history clears its progress line before saying so."""

        class Shown(cli_module._Progress):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.enabled, self.delay = True, 0

        dates = []
        checking = engine.check

        def interrupted(*args, **kwargs):
            dates.append(kwargs.get("as_of"))
            if len(dates) == 2:
                raise KeyboardInterrupt
            return checking(*args, **kwargs)

        monkeypatch.setattr(cli_module, "_Progress", Shown)
        monkeypatch.setattr("outsourcekit.engine.check", interrupted)

        result = invoke("check", example(), *self.RANGE)

        assert 130 == result.exit_code
        assert re.search(
            r"\r\x1b\[KChecked 1 of 3 dates \(2026-01-01\), about \d+ s left"
            r"\r\x1b\[Kinterrupted\n\Z",
            result.stderr,
        ), result.stderr

    def test_import_root(self, invoke, tmp_path):
        """The configuration's import-root applies at every date, as for one."""
        (tmp_path / "outsourcekit.toml").write_text(
            'import-root = "."\n', encoding="utf-8"
        )
        (tmp_path / "shared").mkdir()
        board = {
            "id": "b1",
            "name": "Acme",
            "lists": [{"id": "l1", "name": "To do", "closed": False}],
            "cards": [
                {"id": "c1", "name": "Reconcile", "idList": "l1", "closed": False}
            ],
        }
        (tmp_path / "shared" / "board.json").write_text(
            json.dumps(board), encoding="utf-8"
        )
        (tmp_path / "engagements").mkdir()
        (tmp_path / "engagements" / "a.yaml").write_text(
            "id: a\nimports:\n  - {path: ../shared/board.json, importer: trello}\n",
            encoding="utf-8",
        )
        one = invoke("check", "engagements", "-f", "json", "--as-of", "2026-01-01")

        result = invoke("check", "engagements", *self.RANGE, "-f", "json")

        assert ("", "") == (one.stderr, result.stderr)
        assert json.loads(one.stdout) == json.loads(result.stdout)["history"][0]

    def test_reports_as_check_writes_them(self, invoke, mixed_dir):
        """Each date's JSON report is the one of check --as-of, skipped files too."""
        (mixed_dir / "notes.yaml").write_text("colour: blue\n", encoding="utf-8")
        one = invoke("check", mixed_dir, "-f", "json", "--as-of", "2026-02-01")

        result = invoke("check", mixed_dir, *self.RANGE, "-f", "json")

        assert "notes.yaml" in one.stdout
        assert json.loads(one.stdout) == json.loads(result.stdout)["history"][1]

    def test_examples_named_as_check_names_them(self, invoke):
        """The bundled examples' files are named examples/... at every date."""
        one = invoke("check", "--examples", "-f", "json", "--as-of", "2026-03-01")

        result = invoke("check", "--examples", *self.RANGE, "-f", "json")

        assert json.loads(one.stdout) == json.loads(result.stdout)["history"][2]

    def test_rule_failing_at_one_date(self, invoke, site):
        """A rule that fails at an earlier date only is named with that date."""
        site(early=FAILS_EARLY)

        result = invoke("check", example(), *self.RANGE, "--exit-zero")

        assert 3 == result.exit_code
        assert (
            "error: rule TST902 failed on engagement harbour-finch-bookkeeping as of "
            "2026-01-01: ZeroDivisionError: the rule divided by zero\n"
        ) == result.stderr


def register_acme_rule(**fields):
    """Register the plugin ``acme`` with one rule of *fields* that finds nothing."""
    from outsourcekit import hookimpl, plugins, rule

    @rule(fix="Nothing to fix.", **fields)
    def finds_nothing(_engagement, _ctx):
        return ()

    class Acme:
        @hookimpl
        def outsourcekit_register_rules(self):
            return [finds_nothing]

    plugins.register(Acme(), name="acme")
