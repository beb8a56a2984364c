"""Tests of check's --output files: what they may name, and what they hold."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_support import AS_OF, GOOD, example

from outsourcekit import cli as cli_module

#: Two engagements, one a line, as a large portfolio keeps them.
PORTFOLIO = '{"id": "alpha", "title": "First"}\n{"id": "beta", "title": "Second"}\n'


@pytest.fixture
def portfolio(tmp_path):
    """A JSON Lines portfolio in the working folder; its text is kept."""
    path = tmp_path / "big.jsonl"
    path.write_text(PORTFOLIO, encoding="utf-8")
    return path


class TestOutputIsAnInput:
    def test_streamed(self, invoke, portfolio, monkeypatch):
        """A streamed check writing over its input is refused before it reads."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)

        result = invoke("check", "big.jsonl", "-q", "-o", "big.jsonl")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'big.jsonl': would overwrite big.jsonl, one of the "
            "files checked; write the report to another file\n"
        ) == result.stderr
        assert "" == result.stdout
        assert PORTFOLIO == portfolio.read_text(encoding="utf-8")

    def test_whole(self, invoke, portfolio):
        """A check of the whole report refuses it too, before writing anything."""
        result = invoke("check", "big.jsonl", "-o", "text:big.jsonl", "-o", "r.json")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'text:big.jsonl': would overwrite big.jsonl, one of "
            "the files checked; write the report to another file\n"
        ) == result.stderr
        assert PORTFOLIO == portfolio.read_text(encoding="utf-8")
        assert not (portfolio.parent / "r.json").exists()

    def test_found_in_a_folder(self, invoke, tmp_path):
        """A file found walking a folder is an input as a named one is."""
        folder = tmp_path / "engagements"
        folder.mkdir()
        (folder / "good.yaml").write_text(GOOD, encoding="utf-8")

        result = invoke("check", "engagements", "-o", "text:./engagements/good.yaml")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'text:./engagements/good.yaml': would overwrite "
            "engagements/good.yaml, one of the files checked; write the report to "
            "another file\n"
        ) == result.stderr
        assert GOOD == (folder / "good.yaml").read_text(encoding="utf-8")

    def test_through_a_link(self, invoke, portfolio):
        """A link to an input is the input."""
        (portfolio.parent / "link.txt").symlink_to(portfolio)

        result = invoke("check", "big.jsonl", "-o", "link.txt")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'link.txt': would overwrite big.jsonl, one of the "
            "files checked; write the report to another file\n"
        ) == result.stderr
        assert PORTFOLIO == portfolio.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("output", "what"),
        [
            ("json:outsourcekit.toml", "the configuration file"),
            ("text:./waivers.yaml", "the central waiver file"),
        ],
    )
    def test_configuration_files(self, invoke, tmp_path, output, what):
        """The configuration and its waiver file are inputs too: never overwritten."""
        config = 'waivers = "waivers.yaml"\n'
        waivers = "- engagement: good\n  rule: OSK101\n  reason: Kept\n"
        (tmp_path / "outsourcekit.toml").write_text(config, encoding="utf-8")
        (tmp_path / "waivers.yaml").write_text(waivers, encoding="utf-8")
        (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")

        result = invoke("check", "good.yaml", "-o", output)

        assert 2 == result.exit_code
        name = output.partition(":")[2].removeprefix("./")
        assert (
            f"Error: --output {output!r}: would overwrite {name}, {what}; write "
            "the report to another file\n"
        ) == result.stderr
        assert (config, waivers) == (
            (tmp_path / "outsourcekit.toml").read_text(encoding="utf-8"),
            (tmp_path / "waivers.yaml").read_text(encoding="utf-8"),
        )

    def test_reports_beside_the_inputs(self, invoke, tmp_path):
        """Reports written into the folder checked are not inputs the next time."""
        folder = tmp_path / "engagements"
        folder.mkdir()
        (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
        outputs = ["-o", "engagements/r.json", "-o", "engagements/r.txt"]

        first = invoke("check", "engagements", "-q", *outputs)
        again = invoke("check", "engagements", "-q", *outputs)

        assert (1, 1) == (first.exit_code, again.exit_code)


class TestStdoutNamedTwice:
    def test_dash_in_the_format_of_stdout(self, invoke):
        """-o - in the --format writes the same document again: a usage error."""
        result = invoke("check", example(), "-f", "json", "-o", "-")

        assert 2 == result.exit_code
        assert (
            "Error: --output '-': stdout already gets the json report (--format "
            "json); name each output once\n"
        ) == result.stderr
        assert "" == result.stdout

    def test_dash_twice(self, invoke):
        """Two outputs to stdout are a usage error, as two of one file are."""
        result = invoke("check", example(), "-q", "-o", "csv:-", "-o", "csv:-")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'csv:-': stdout is already named by --output 'csv:-'; "
            "name each output once\n"
        ) == result.stderr

    def test_another_format_on_stdout(self, invoke):
        """-o FORMAT:- in another format than --format still adds it to stdout."""
        result = invoke("check", example(), "-f", "json", "-o", "csv:-")

        assert 0 == result.exit_code
        assert result.stdout.startswith("{")
        assert "\nrule,slug,category" in result.stdout

    def test_same_file_through_a_link(self, invoke, tmp_path):
        """Two names of one file (a link) are the same file named twice."""
        (tmp_path / "r.json").write_text("{}", encoding="utf-8")
        (tmp_path / "link.json").symlink_to(tmp_path / "r.json")

        result = invoke("check", example(), "-o", "r.json", "-o", "link.json")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'link.json': the file is already named by --output "
            "'r.json'; name each file once\n"
        ) == result.stderr
        assert "{}" == (tmp_path / "r.json").read_text(encoding="utf-8")

    def test_through_a_linked_folder(self, invoke, tmp_path):
        """A file not written yet, named through a link to its folder, is caught."""
        (tmp_path / "out").mkdir()
        (tmp_path / "alias").symlink_to(tmp_path / "out")

        result = invoke("check", example(), "-o", "out/r.json", "-o", "alias/r.json")

        assert 2 == result.exit_code
        assert (
            "Error: --output 'alias/r.json': the file is already named by "
            "--output 'out/r.json'; name each file once\n"
        ) == result.stderr


class TestTextFile:
    def test_is_the_report_on_stdout(self, invoke, tmp_path):
        """A .txt output holds the report stdout shows: titles and all."""
        result = invoke("check", "--examples", "--as-of", AS_OF, "-o", "r.txt")

        written = (tmp_path / "r.txt").read_text(encoding="utf-8")
        assert result.stdout == written
        assert "Managed IT support for Lakeview Family Dental" in written

    def test_with_a_baseline(self, invoke, tmp_path):
        """Against a baseline, the file has the verdict and the fixed findings."""
        invoke("check", "--examples", "--as-of", AS_OF, "-q", "-o", "base.json")
        saved = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))
        saved["findings"].append({**saved["findings"][0], "path": "gone"})
        (tmp_path / "base.json").write_text(json.dumps(saved), encoding="utf-8")
        args = ["check", "--examples", "--as-of", AS_OF, "--baseline", "base.json"]

        result = invoke(*args, "-o", "text:r.log")

        written = (tmp_path / "r.log").read_text(encoding="utf-8")
        assert result.stdout == written
        assert "\nAgainst the baseline: 0 new findings, 1 fixed\n" in written
        assert "\nFixed since the baseline (1):\n" in written

    @pytest.mark.parametrize(
        "how", [[], ["--jobs", "2"], ["--streamed"]], ids=["whole", "jobs", "streamed"]
    )
    def test_baseline_of_a_rule_left_out(self, invoke, monkeypatch, how):
        """An unused waiver of a rule left out is not fixed, however the check runs.

        OSK905 judges waivers of the rules that ran: without OSK601, it does
        not look at the waiver of missing-nda it found unused in the baseline.
        """
        invoke("check", "--examples", "--as-of", AS_OF, "-q", "-o", "base.json")
        if how == ["--streamed"]:
            monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
            how = []
        args = ["check", "--examples", "--as-of", AS_OF, "--baseline", "base.json"]

        result = invoke(*args, "--ignore", "OSK601", "-q", *how)

        assert 0 == result.exit_code, result.output
        assert "\nAgainst the baseline: 0 new findings, 0 fixed\n" in result.stdout

    def test_never_coloured(self, invoke, tmp_path):
        """Colour is the terminal's: the file is plain text even with --color always."""
        result = invoke(
            "check", example(), "--as-of", AS_OF, "--color", "always", "-o", "r.txt"
        )

        assert "\x1b[" in result.stdout
        assert "\x1b[" not in (tmp_path / "r.txt").read_text(encoding="utf-8")

    def test_keeps_the_load_errors(self, invoke, mixed_dir, tmp_path):
        """The errors stdout leaves to stderr are in the file, which has no stderr."""
        result = invoke("check", mixed_dir, "--as-of", AS_OF, "-o", "r.txt")

        written = (tmp_path / "r.txt").read_text(encoding="utf-8")
        assert written.startswith(result.stdout)
        assert "\n\nload error: engagements/broken.yaml:3:8: start: " in written


class TestJsonFileAsBaseline:
    @pytest.mark.parametrize(
        "how", [[], ["--jobs", "2"], ["--streamed"]], ids=["whole", "jobs", "streamed"]
    )
    def test_file_name_not_utf8(self, invoke, tmp_path, monkeypatch, how):
        """A report of a file whose name is not UTF-8 is a baseline of that file."""
        name = b"caf\xe9.yaml"
        try:
            (tmp_path / os.fsdecode(name)).write_text(GOOD, encoding="utf-8")
        except (OSError, UnicodeError):  # pragma: no cover - such names refused
            pytest.skip("the file system takes only names that are Unicode text")
        if how == ["--streamed"]:
            monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
            how = []
        invoke("check", ".", "--as-of", AS_OF, "-q", "-o", "base.json", *how)

        result = invoke(
            "check", ".", "--as-of", AS_OF, "-q", "--baseline", "base.json", *how
        )

        assert 0 == result.exit_code, result.output
        assert "\nAgainst the baseline: 0 new findings, 0 fixed\n" in result.stdout


class TestFileInTheWay:
    @pytest.fixture(autouse=True)
    def file_named_f(self, tmp_path):
        (tmp_path / "f").write_text("a file, not a folder", encoding="utf-8")

    @pytest.mark.parametrize("force", [[], ["--force"]])
    def test_init(self, invoke, force):
        """init says that the folder to write in is a file."""
        result = invoke("init", "f/x.yaml", *force)

        assert 2 == result.exit_code
        assert (
            "Error: f/x.yaml: cannot be written: f is a file, not a folder\n"
            == result.stderr
        )

    def test_schema(self, invoke):
        """schema --output says so too."""
        result = invoke("schema", "--output", "f/s.json")

        assert (
            "Error: f/s.json: cannot be written: f is a file, not a folder\n"
            == result.stderr
        )

    def test_check_output(self, invoke):
        """check -o says so, however deep below the file the output is named."""
        result = invoke("check", example(), "-q", "-o", "f/g/r.json")

        assert 2 == result.exit_code
        assert (
            "error: --output f/g/r.json: cannot be written: f is a file, not a folder"
            in result.stderr
        )

    def test_check_output_streamed(self, invoke, portfolio, monkeypatch):
        """A streamed check says so too."""
        del portfolio
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)

        result = invoke("check", "big.jsonl", "-q", "-o", "f/r.jsonl")

        assert 2 == result.exit_code
        assert (
            "error: --output f/r.jsonl: cannot be written: f is a file, not a folder"
            in result.stderr
        )


class TestNameTooLong:
    @pytest.mark.parametrize("force", [[], ["--force"]])
    def test_init(self, invoke, force):
        """init says that a name too long cannot be written."""
        long = too_long_name(".yaml")

        result = invoke("init", long, *force)

        assert 2 == result.exit_code
        assert f"Error: {long}: cannot be written: File name too long\n" == (
            result.stderr
        )

    @pytest.mark.parametrize("suffix", [".json", "/s.json"])
    def test_schema(self, invoke, suffix):
        """schema --output says so too, of the file or of its folder."""
        long = too_long_name(suffix)

        result = invoke("schema", "--output", long)

        assert 2 == result.exit_code
        assert f"Error: {long}: cannot be written: File name too long\n" == (
            result.stderr
        )


class TestFolderNamed:
    @pytest.mark.parametrize("value", ["json:out/", "out/", "json:existing"])
    def test_check_output(self, invoke, tmp_path, value):
        """check -o naming a folder is a usage error before the run, nothing written."""
        (tmp_path / "existing").mkdir()

        result = invoke("check", example(), "-q", "-o", value)

        assert (2, "") == (result.exit_code, result.stdout)
        assert (
            f"Error: --output {value!r}: names a folder; name a file in it\n"
        ) == result.stderr
        assert ["existing"] == [p.name for p in tmp_path.iterdir()]

    def test_schema_output(self, invoke, tmp_path):
        """schema --output naming a folder (ending in a slash) names a file to give."""
        result = invoke("schema", "--output", "editor/")

        assert (2, "") == (result.exit_code, result.stdout)
        assert (
            "Error: --output 'editor/': names a folder; name a file in it, such as "
            f"{Path('editor', 'outsourcekit.schema.json')}\n"
        ) == result.stderr
        assert [] == list(tmp_path.iterdir())


class TestFormatFromSuffix:
    @pytest.mark.parametrize(
        ("name", "fmt"),
        [
            ("out.sarif.json", "sarif"),
            ("OUT.SARIF.JSON", "sarif"),
            ("out.sarif", "sarif"),
            ("x.gitlab.json", "gitlab"),
            ("gl-code-quality-report.json", "json"),
            ("out.json", "json"),
        ],
    )
    def test_longest_suffix_wins(self, invoke, tmp_path, name, fmt):
        """A double suffix of a format (.sarif.json) names it, not the last one."""
        result = invoke("check", example(), "-q", "-o", name)

        assert 0 == result.exit_code, result.stderr
        data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        written = {
            "sarif": lambda d: "2.1.0" == d["version"],
            "gitlab": lambda d: isinstance(d, list),
            "json": lambda d: "summary" in d,
        }
        assert written[fmt](data)

    def test_long_option(self, invoke, tmp_path):
        """--output out.sarif.json writes SARIF, as -o does."""
        result = invoke("check", example(), "-q", "--output", "out.sarif.json")

        assert 0 == result.exit_code, result.stderr
        data = json.loads((tmp_path / "out.sarif.json").read_text(encoding="utf-8"))
        assert "2.1.0" == data["version"]


class TestFormatPrefix:
    def test_upper_case_is_unknown(self, invoke, tmp_path):
        """JSON:x.json names an unknown format, as --format JSON does."""
        result = invoke("check", example(), "-o", "JSON:x.json")

        assert 2 == result.exit_code
        assert result.stderr.startswith(
            "Error: --output 'JSON:x.json': unknown format 'JSON' (did you mean "
            "'json'?) (formats: "
        )
        assert [] == [p.name for p in tmp_path.iterdir()]

    def test_as_format_does(self, invoke):
        """--format takes the name in lower case only, as --output does."""
        assert invoke("check", example(), "-f", "JSON").stderr.startswith(
            "Error: --format: unknown format 'JSON' (did you mean 'json'?)"
        )

    def test_upper_case_with_no_file(self, invoke):
        """JSON: with no file names no file."""
        result = invoke("check", example(), "-o", "JSON:")

        assert 2 == result.exit_code
        assert "Error: --output 'JSON:': names no file; write FORMAT:FILE\n" == (
            result.stderr
        )

    def test_empty_format(self, invoke, tmp_path):
        """:x.json names no format before the colon: a usage error, no file."""
        result = invoke("check", example(), "-o", ":x.json")

        assert 2 == result.exit_code
        assert (
            "Error: --output ':x.json': names no format before ':'; write "
            "FORMAT:FILE, or ./:x.json for a file of that name\n"
        ) == result.stderr
        assert [] == [p.name for p in tmp_path.iterdir()]

    def test_colon_alone(self, invoke, tmp_path):
        """A colon alone names neither a format nor a file."""
        result = invoke("check", example(), "-o", ":")

        assert 2 == result.exit_code
        assert (
            "Error: --output ':': names no format and no file; write FORMAT:FILE\n"
        ) == result.stderr
        assert [] == [p.name for p in tmp_path.iterdir()]

    def test_colon_in_a_folder(self, invoke, tmp_path):
        """./:x.json names a file whose name starts with a colon, by its suffix."""
        result = invoke("check", example(), "-q", "-o", "./:x.json")

        assert 0 == result.exit_code, result.stderr
        data = json.loads((tmp_path / ":x.json").read_text(encoding="utf-8"))
        assert "summary" in data


#: A plugin with two formats that fail: ``boom`` (whole reports) and ``fizz``
#: (streamed; it writes a line, then fails when ``FIZZ`` says: ``start``,
#: ``begin`` or ``findings``), and ``peek``, which streams and notes what
#: out/r.peek holds while the check runs.
FAILING_FORMATS = textwrap.dedent(
    """\
    import os
    from pathlib import Path

    from outsourcekit.plugins import Exporter
    from outsourcekit.hookspecs import hookimpl

    def boom(report):
        raise RuntimeError("the printer caught fire")

    class Fizz:
        def __init__(self, file, context):
            if os.environ.get("FIZZ") == "start":
                raise RuntimeError("no paper")
            self.file = file

        def begin(self, as_of, rules):
            self.file.write("partial\\n")
            self.file.flush()
            if os.environ.get("FIZZ") == "begin":
                raise RuntimeError("paper jam")

        def findings(self, batch):
            raise RuntimeError("paper jam")

        def end(self, report):
            self.file.write("done\\n")

    class Peek:
        def __init__(self, file, context):
            self.file = file

        def begin(self, as_of, rules):
            self.file.write("new\\n")
            self.file.flush()

        def findings(self, batch):
            pass

        def end(self, report):
            seen = Path("out/r.peek").read_text(encoding="utf-8")
            Path("peeked.txt").write_text(seen, encoding="utf-8")

    @hookimpl
    def outsourcekit_register_exporters():
        return [
            Exporter("boom", ".boom", boom),
            Exporter("fizz", ".fizz", str, stream=Fizz),
            Exporter("peek", ".peek", str, stream=Peek),
        ]
    """
)


INTERRUPTING_RULE = textwrap.dedent(
    """\
    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST960", slug="stops", title="t", category="governance",
          severity="info", fix="f")
    def stops(engagement, ctx):
        raise KeyboardInterrupt
        yield

    @hookimpl
    def outsourcekit_register_rules():
        return [stops]
    """
)


def _leftovers(folder):
    """The files in *folder* besides the report files themselves."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def old(tmp_path):
    """out/ holding the reports of an earlier run, each saying OLD."""
    folder = tmp_path / "out"
    folder.mkdir()
    for name in ("r.boom", "r.fizz", "r.json", "r.jsonl", "r.peek"):
        (folder / name).write_text("OLD\n", encoding="utf-8")
    return folder


class TestFailedFormat:
    """A format that fails leaves no file: neither a part nor an earlier run's."""

    def test_whole_report_removes_the_earlier_file(self, invoke, site, old):
        """The exporter raised: the earlier run's file would pass for this one's."""
        site(boom=FAILING_FORMATS)

        result = invoke(
            "check", example(), "--as-of", AS_OF, "-q", "-o", "boom:out/r.boom"
        )

        assert 3 == result.exit_code
        assert "format 'boom' (plugin boom) failed: RuntimeError" in result.stderr
        assert not (old / "r.boom").exists()
        assert [] == _leftovers(old)

    def test_whole_report_others_are_written(self, invoke, site, old):
        """The formats that do not fail replace their files."""
        site(boom=FAILING_FORMATS)

        result = invoke(
            "check",
            example(),
            "--as-of",
            AS_OF,
            "-q",
            "-o",
            "out/r.boom",
            "-o",
            "out/r.json",
        )

        assert 3 == result.exit_code
        assert not (old / "r.boom").exists()
        assert '"summary"' in (old / "r.json").read_text(encoding="utf-8")
        assert [] == _leftovers(old)

    def test_whole_report_unwritable_leaves_no_part(self, invoke, old, monkeypatch):
        """A file that cannot be put in place leaves nothing half-written beside it."""

        def refused(_self, target):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))

        monkeypatch.setattr(Path, "replace", refused)

        result = invoke("check", example(), "--as-of", AS_OF, "-q", "-o", "out/r.json")

        assert 2 == result.exit_code
        assert (
            "error: --output out/r.json: cannot be written: Permission denied"
            in result.stderr
        )
        assert not (old / "r.json").exists()
        assert [] == _leftovers(old)

    @pytest.mark.parametrize("when", ["start", "begin", "findings"])
    @pytest.mark.usefixtures("portfolio")
    def test_streamed_removes_the_earlier_file(
        self, invoke, site, old, monkeypatch, when
    ):
        """Streamed, a format failing before or after writing leaves no file."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        monkeypatch.setenv("FIZZ", when)
        site(fizz=FAILING_FORMATS)

        result = invoke(
            "check", "big.jsonl", "-q", "-o", "out/r.fizz", "-o", "out/r.json"
        )

        assert 3 == result.exit_code
        assert "format 'fizz' (plugin fizz) failed: RuntimeError" in result.stderr
        assert not (old / "r.fizz").exists()
        assert '"summary"' in (old / "r.json").read_text(encoding="utf-8")
        assert [] == _leftovers(old)

    def test_streamed_replaces_the_file_when_complete(
        self, invoke, site, old, portfolio, monkeypatch
    ):
        """While a streamed check runs, the file still holds the earlier report."""
        del portfolio
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        site(peek=FAILING_FORMATS)

        result = invoke("check", "big.jsonl", "-q", "-o", "out/r.peek")

        assert 1 == result.exit_code
        assert "OLD\n" == Path("peeked.txt").read_text(encoding="utf-8")
        assert "new\n" == (old / "r.peek").read_text(encoding="utf-8")
        assert [] == _leftovers(old)

    def test_failed_check_keeps_the_earlier_file(self, invoke, old, portfolio):
        """A check that stops before any report (a bad --select) writes nothing."""
        del portfolio

        result = invoke("check", "big.jsonl", "--select", "NOPE", "-o", "out/r.json")

        assert 2 == result.exit_code
        assert "OLD\n" == (old / "r.json").read_text(encoding="utf-8")
        assert [] == _leftovers(old)

    @pytest.mark.usefixtures("portfolio")
    def test_interrupted_streamed_check_keeps_the_earlier_file(
        self, invoke, site, old, monkeypatch
    ):
        """Streamed, a check stopped midway removes what it began to write only."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        site(stop=INTERRUPTING_RULE)

        result = invoke("check", "big.jsonl", "-q", "-o", "out/r.jsonl")

        assert 130 == result.exit_code
        assert "OLD\n" == (old / "r.jsonl").read_text(encoding="utf-8")
        assert [] == _leftovers(old)

    def test_through_a_link(self, invoke, tmp_path):
        """A link is written through, as before: the link stays a link."""
        (tmp_path / "real.json").write_text("OLD\n", encoding="utf-8")
        (tmp_path / "link.json").symlink_to(tmp_path / "real.json")

        result = invoke("check", example(), "--as-of", AS_OF, "-q", "-o", "link.json")

        assert 0 == result.exit_code
        assert (tmp_path / "link.json").is_symlink()
        assert '"summary"' in (tmp_path / "real.json").read_text(encoding="utf-8")


@pytest.fixture(params=["whole", "streamed", "streamed, 2 jobs"])
def how(request, monkeypatch):
    """How the check runs: on the whole report, or streamed in one or two processes.

    Returns the options that say so on the command line.
    """
    if request.param == "whole":
        return ()
    monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
    return ("--jobs", "2") if request.param.endswith("2 jobs") else ()


@pytest.fixture
def clean(invoke, portfolio):
    """The check's JSON Lines and CSV reports of the portfolio, by format."""
    del portfolio
    reports = {}
    for fmt in ("jsonl", "csv"):
        result = invoke("check", "big.jsonl", "--as-of", AS_OF, "-f", fmt)
        assert 1 == result.exit_code
        reports[fmt] = result.stdout_bytes.decode()
    return reports


needs_dev_full = pytest.mark.skipif(
    not Path("/dev/full").exists(), reason="no /dev/full to fail on write"
)


def too_long_name(suffix: str) -> str:
    """Return a file name longer than the working folder's file system takes."""
    try:
        longest = os.pathconf(".", "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # pragma: no cover - no limit told
        pytest.skip("the file system tells no longest name")
    return "r" * (longest + 1) + suffix


class TestUnwritableFile:
    """A file that cannot be written is left out alone, streamed or not (status 2)."""

    def test_name_too_long(self, invoke, clean, how):
        """A name longer than the file system takes is a file that cannot be made."""
        long = too_long_name(".jsonl")

        result = invoke(
            "check", "big.jsonl", "--as-of", AS_OF, "-f", "jsonl", "-o", long,
            "-o", "r.jsonl", *how,
        )  # fmt: skip

        assert 2 == result.exit_code
        assert (
            f"error: --output {long}: cannot be written: File name too long\n"
            == result.stderr
        )
        assert clean["jsonl"] == result.stdout_bytes.decode()
        assert clean["jsonl"] == Path("r.jsonl").read_text(encoding="utf-8")
        assert [] == _leftovers(Path())

    @pytest.mark.usefixtures("portfolio")
    def test_folder_name_too_long(self, invoke):
        """So is a file in a folder whose name is too long."""
        long = f"{too_long_name('')}/r.jsonl"

        result = invoke("check", "big.jsonl", "--as-of", AS_OF, "-q", "-o", long)

        assert 2 == result.exit_code
        assert (
            f"error: --output {long}: cannot be written: File name too long\n"
            == result.stderr
        )

    @needs_dev_full
    def test_fails_on_write_sharing_stdout(self, invoke, clean, how):
        """The format's other targets, stdout and a file, are written whole."""
        result = invoke(
            "check",
            "big.jsonl",
            "--as-of",
            AS_OF,
            "-f",
            "jsonl",
            "-o",
            "/dev/full",
            "-o",
            "r.jsonl",
            "-o",
            "r.csv",
            *how,
        )

        assert 2 == result.exit_code
        assert (
            "error: --output /dev/full: cannot be written: No space left on device\n"
            == result.stderr
        )
        assert clean["jsonl"] == result.stdout_bytes.decode()
        assert clean["jsonl"] == Path("r.jsonl").read_text(encoding="utf-8")
        assert clean["csv"] == Path("r.csv").read_bytes().decode()
        assert [] == _leftovers(Path())

    @needs_dev_full
    def test_fails_on_write_quiet(self, invoke, clean, how):
        """With --quiet, the summary follows; the format's other file is whole."""
        result = invoke(
            "check",
            "big.jsonl",
            "--as-of",
            AS_OF,
            "-q",
            "-o",
            "csv:/dev/full",
            "-o",
            "r.csv",
            "-o",
            "r.jsonl",
            *how,
        )

        assert 2 == result.exit_code
        assert (
            "error: --output /dev/full: cannot be written: No space left on device\n"
            == result.stderr
        )
        assert (
            "2 engagements, 26 findings (12 errors, 4 warnings, 10 info), 0 waived, "
            "portfolio score 0\n" == result.stdout
        )
        assert clean["csv"] == Path("r.csv").read_bytes().decode()
        assert clean["jsonl"] == Path("r.jsonl").read_text(encoding="utf-8")

    def test_fails_on_open(self, invoke, clean, how):
        """A file that cannot be made: the others of its format are written."""
        Path("f").write_text("", encoding="utf-8")

        result = invoke(
            "check",
            "big.jsonl",
            "--as-of",
            AS_OF,
            "-f",
            "jsonl",
            "-o",
            "f/r.jsonl",
            "-o",
            "r.jsonl",
            *how,
        )

        assert 2 == result.exit_code
        assert (
            "error: --output f/r.jsonl: cannot be written: f is a file, not a "
            "folder\n" == result.stderr
        )
        assert clean["jsonl"] == result.stdout_bytes.decode()
        assert clean["jsonl"] == Path("r.jsonl").read_text(encoding="utf-8")
        assert [] == _leftovers(Path())


#: A plugin whose streamed format ``probe`` asks its file whether it is a
#: terminal, as an exporter choosing colours would, and writes a line a finding.
PROBING_FORMAT = textwrap.dedent(
    """\
    from outsourcekit.plugins import Exporter
    from outsourcekit.hookspecs import hookimpl

    class Probe:
        def __init__(self, file, context):
            self.file = file
            self.tty = file.isatty()

        def begin(self, as_of, rules):
            self.file.write(f"tty {self.tty}\\n")

        def findings(self, batch):
            self.file.writelines(f"{f.engagement} {f.rule}\\n" for f in batch)
            self.file.flush()

        def end(self, report):
            self.file.write("end\\n")

    @hookimpl
    def outsourcekit_register_exporters():
        return [Exporter("probe", ".probe", str, stream=Probe)]
    """
)


@pytest.mark.usefixtures("portfolio")
class TestStreamedFileAttributes:
    """A streamed format's file is its one output's file, besides write errors."""

    def test_one_output(self, invoke, site, monkeypatch):
        """The exporter may ask its one file anything, as it asks any open file."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        site(probe=PROBING_FORMAT)

        result = invoke(
            "check", "big.jsonl", "--as-of", AS_OF, "-q", "-o", "probe:p.out"
        )

        assert 1 == result.exit_code
        assert "" == result.stderr
        lines = Path("p.out").read_text(encoding="utf-8").splitlines()
        assert ["tty False", "end"] == [lines[0], lines[-1]]
        assert 28 == len(lines)
        assert "alpha OSK101" == lines[1]
        assert [] == _leftovers(Path())

    @needs_dev_full
    def test_one_output_unwritable(self, invoke, site, monkeypatch):
        """Its write errors are still caught: the file alone is left out."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        site(probe=PROBING_FORMAT)

        result = invoke("check", "big.jsonl", "-q", "-o", "probe:/dev/full")

        assert 2 == result.exit_code
        assert (
            "error: --output /dev/full: cannot be written: No space left on device\n"
            == result.stderr
        )

    def test_several_outputs(self, invoke, site, monkeypatch):
        """Written to two files at once, the format's file has no one answer."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        site(probe=PROBING_FORMAT)

        result = invoke(
            "check", "big.jsonl", "-q", "-o", "probe:p.out", "-o", "probe:q.out"
        )

        assert 3 == result.exit_code
        assert (
            "error: format 'probe' (plugin probe) failed: AttributeError: format "
            "'probe' is written to several outputs at once: its file has only "
            "write, writelines and flush, not 'isatty'\n" == result.stderr
        )
        assert not Path("p.out").exists()
        assert not Path("q.out").exists()
        assert [] == _leftovers(Path())


class TestLinesOnlyWhenShown:
    """Findings' lines are found only when an output prints the findings."""

    @pytest.fixture
    def located(self, tmp_path, monkeypatch):
        """Two engagements with findings; return the calls finding their lines."""
        from outsourcekit import io

        (tmp_path / "p.yaml").write_text(
            "engagements:\n  - id: a\n  - id: b\n", encoding="utf-8"
        )
        calls: list[int] = []
        real = io.locate_findings

        def counted(report, *args, **kwargs):
            calls.append(len(report.findings))
            return real(report, *args, **kwargs)

        monkeypatch.setattr(io, "locate_findings", counted)
        return calls

    @pytest.fixture(params=[False, True], ids=["whole", "streamed"])
    def streamed(self, request, monkeypatch):
        """Check whole, then streamed."""
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0 if request.param else 1 << 40)

    @pytest.mark.usefixtures("streamed")
    @pytest.mark.parametrize(
        ("args", "found"),
        [
            ([], True),
            (["--quiet"], False),
            (["--quiet", "--format", "json"], True),
            (["--quiet", "-o", "concise:r.txt"], True),
        ],
    )
    def test_found_for_what_prints_them(self, invoke, located, args, found):
        result = invoke("check", "p.yaml", "--as-of", AS_OF, *args)

        assert 1 == result.exit_code
        assert found == (sum(located) > 0)
        if "--quiet" in args and "--format" not in args:
            assert result.stdout.startswith("2 engagements, ")
        if "-o" in args:
            assert "p.yaml:2: " in Path("r.txt").read_text(encoding="utf-8")

    @pytest.mark.usefixtures("located")
    def test_found_for_a_plugin_that_sees_the_report(self, invoke):
        """A plugin seeing the report gets it with its lines, --quiet or not."""
        from outsourcekit import hookimpl, plugins

        seen = []

        class Keeper:
            @hookimpl
            def outsourcekit_report_ready(self, report):
                seen.extend(f.line for f in report.findings)

        plugins.register(Keeper(), name="keeper")

        result = invoke("check", "p.yaml", "--as-of", AS_OF, "--quiet")

        assert 1 == result.exit_code
        assert seen
        assert None not in seen


class TestOutputThroughStdout:
    """``--output FORMAT:/dev/stdout`` writes where standard output stands."""

    def test_appended_to_what_stdout_appends_to(self, tmp_path):
        """A shell's ``>>`` keeps the file's earlier lines and the printed report."""
        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
        log = tmp_path / "log.txt"
        log.write_text("earlier run\n", encoding="utf-8")
        command = [sys.executable, "-m", "outsourcekit", "check", "a.yaml"]
        options = ["--as-of", AS_OF, "-f", "concise", "-o", "json:/dev/stdout"]
        with log.open("a", encoding="utf-8") as out:
            done = subprocess.run(  # noqa: S603 - this Python, our own command
                [*command, *options],
                stdout=out,
                stderr=subprocess.PIPE,
                cwd=tmp_path,
                env={**os.environ, "NO_COLOR": "1"},
                check=False,
                text=True,
            )

        assert (1, "") == (done.returncode, done.stderr)
        text = log.read_text(encoding="utf-8")
        assert text.startswith("earlier run\n")
        report = json.loads(text[text.index("\n{") + 1 :])
        concise = text[len("earlier run\n") : text.index("\n{")].splitlines()
        rules = [line.split()[2] for line in concise if line.startswith("a.yaml:")]
        assert rules
        assert rules == [f["rule"] for f in report["findings"]]


class TestLongestName:
    """An --output file whose name is as long as the system takes is written."""

    def test_longest_name_written(self, invoke, tmp_path):
        """The file written beside it first takes a name the system takes too."""
        name = "r" * (255 - len(".json")) + ".json"

        result = invoke("check", example(), "--as-of", AS_OF, "-q", "-o", name)

        assert (0, "") == (result.exit_code, result.stderr)
        assert "findings" in json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert [] == _leftovers(tmp_path)
