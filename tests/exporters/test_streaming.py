"""Tests for the streaming forms of the formats: the same bytes, bounded memory."""

from __future__ import annotations

import gc
import io
import json
import re
import shutil
import tracemalloc
import warnings
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest
from export_support import ALPHA, AS_OF, BETA, LOAD_ISSUE, RULES

import outsourcekit as ok
from outsourcekit import cli as cli_module
from outsourcekit import plugins
from outsourcekit.builtin.exporters import concise as concise_format
from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import github as github_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import jsonl as jsonl_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.engine import CentralWaiver, Config, Report, rule
from outsourcekit.io import loads
from outsourcekit.model import Waiver

#: The formats that stream, by name.
STREAMING = {
    "concise": concise_format,
    "csv": csv_format,
    "github": github_format,
    "json": json_format,
    "jsonl": jsonl_format,
    "sarif": sarif_format,
}


class Recorder:
    """A sink that keeps what it is given, to compare with the whole report."""

    def __init__(self):
        self.batches = []
        self.report = None

    def begin(self, as_of, rules):
        self.as_of = as_of
        self.rules = rules

    def findings(self, batch):
        self.batches.append(list(batch))

    def end(self, report):
        self.report = report

    @property
    def found(self):
        return [f for batch in self.batches for f in batch]


class Tee:
    """A sink handing everything to several sinks, in order."""

    def __init__(self, *sinks):
        self.sinks = sinks

    def begin(self, as_of, rules):
        for sink in self.sinks:
            sink.begin(as_of, rules)

    def findings(self, batch):
        for sink in self.sinks:
            sink.findings(batch)

    def end(self, report):
        for sink in self.sinks:
            sink.end(report)


def portfolio():
    """The bundled examples and two engagements whose findings carry hostile text."""
    return [
        *ok.load(ok.examples_path()),
        loads(ALPHA, source="engagements/alpha.yaml"),
        loads(BETA, source="engagements/beta.yaml"),
    ]


def all_rules():
    """The built-in rules and the test rules (markup, formulas, a failing rule)."""
    return [*plugins.get_rules(), *RULES]


def run(names, engagements, *, rules, context=None, chunk_size=4, **kwargs):
    """Check *engagements* streamed into the formats *names*; return what each wrote.

    Also returns the findings in the order the sinks got them, and the report.
    """
    context = context or Report(as_of=AS_OF, findings=(), engagements=())
    files = {name: io.StringIO(newline="") for name in names}
    sinks = [STREAMING[name].EXPORTER.stream(files[name], context) for name in names]
    recorder = Recorder()
    report = ok.check_stream(
        engagements,
        sink=Tee(*sinks, recorder),
        as_of=AS_OF,
        rules=rules,
        errors=[LOAD_ISSUE],
        chunk_size=chunk_size,
        **kwargs,
    )
    written = {name: file.getvalue() for name, file in files.items()}
    return written, recorder, report


def whole(engagements, *, rules, order):
    """The report of the same check, held whole, its findings in *order*."""
    report = ok.check(engagements, as_of=AS_OF, rules=rules, errors=[LOAD_ISSUE])
    assert sorted(report.findings, key=repr) == sorted(order, key=repr)
    return attrs.evolve(report, findings=tuple(order))


class TestSameBytes:
    @pytest.mark.parametrize("name", sorted(STREAMING))
    def test_streamed_equals_whole(self, name):
        """Streamed, each format writes the bytes of its whole-report form."""
        engagements = portfolio()
        written, recorder, _ = run([name], engagements, rules=all_rules())
        report = whole(engagements, rules=all_rules(), order=recorder.found)

        assert len(recorder.batches) > 2
        assert STREAMING[name].export(report) == written[name]

    @pytest.mark.parametrize("name", sorted(STREAMING))
    def test_against_a_baseline(self, name):
        """Marked against a baseline and with ``--fail-on warning``, still the same."""
        engagements = portfolio()
        _, recorder, _ = run([], engagements, rules=all_rules())
        report = whole(engagements, rules=all_rules(), order=recorder.found)
        base = attrs.evolve(report, findings=report.findings[::2])
        marked = attrs.evolve(report.with_baseline(base), fail_on="warning")
        context = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            baseline=marked.baseline,
            fail_on="warning",
        )

        written, _, _ = run([name], engagements, rules=all_rules(), context=context)

        assert STREAMING[name].export(marked) == written[name]

    def test_in_id_order_it_is_the_whole_report(self):
        """In id order, without portfolio rules: the very report of a check."""
        engagements = sorted(portfolio(), key=lambda e: e.id)
        rules = [r for r in all_rules() if r.scope == "engagement"]

        written, _, _ = run(sorted(STREAMING), engagements, rules=rules, chunk_size=3)
        report = ok.check(engagements, as_of=AS_OF, rules=rules, errors=[LOAD_ISSUE])

        assert {name: STREAMING[name].export(report) for name in STREAMING} == written

    def test_no_findings(self):
        """A check without findings writes what the whole form writes for it."""
        engagements = [ok.from_dict({"id": "quiet"})]

        written, recorder, _ = run(sorted(STREAMING), engagements, rules=[])
        held = ok.check(engagements, as_of=AS_OF, rules=[], errors=[LOAD_ISSUE])

        assert [] == recorder.batches
        assert {name: STREAMING[name].export(held) for name in STREAMING} == written
        assert "[]" in written["json"]

    def test_sarif_suppressions_of_central_waivers(self):
        """Streamed, a central waiver's suppression is external, an own one inSource."""
        engagements = [
            loads(ALPHA, source="engagements/alpha.yaml"),
            loads(BETA, source="engagements/beta.yaml"),
        ]
        config = Config(
            central_waivers=[
                CentralWaiver(
                    engagement="beta",
                    waiver=Waiver(rule="TST002", reason="Kept in the waiver file"),
                )
            ]
        )

        written, recorder, _ = run(
            ["sarif"], engagements, rules=RULES, config=config, chunk_size=1
        )
        held = ok.check(
            engagements, as_of=AS_OF, rules=RULES, config=config, errors=[LOAD_ISSUE]
        )

        results = json.loads(written["sarif"])["runs"][0]["results"]
        assert [
            (
                "alpha",
                [{"kind": "inSource", "justification": "Accepted for the pilot"}],
            ),
            (
                "beta",
                [{"kind": "external", "justification": "Kept in the waiver file"}],
            ),
        ] == [
            (r["properties"]["engagement"], r["suppressions"])
            for r in results
            if "suppressions" in r
        ]
        assert (
            sarif_format.export(attrs.evolve(held, findings=tuple(recorder.found)))
            == written["sarif"]
        )

    def test_sarif_rule_known_only_from_a_finding(self):
        """A finding of a rule that did not run renumbers the results at the end.

        A check leaves out a rule's findings of other rules; a sink may still
        be given one (a report's findings made elsewhere).
        """

        @rule(
            code="ZZZ001",
            slug="stray-code",
            title="Its findings pass for another rule's",
            category="clarity",
            severity="info",
            fix="-",
        )
        def stray(_engagement, ctx):
            """Makes a finding, passed on under a code that sorts first."""
            yield ctx.finding("stray", path="id")

        def renamed(finding):
            if finding.rule != "ZZZ001":
                return finding
            return attrs.evolve(finding, rule="AAA001")

        class Renaming(Tee):
            def findings(self, batch):
                super().findings([renamed(f) for f in batch])

        rules = [*all_rules(), stray]
        engagements = portfolio()
        file = io.StringIO(newline="")
        context = Report(as_of=AS_OF, findings=(), engagements=())
        recorder = Recorder()
        sarif = Renaming(STREAMING["sarif"].EXPORTER.stream(file, context))
        ok.check_stream(
            engagements,
            sink=Tee(sarif, recorder),
            as_of=AS_OF,
            rules=rules,
            errors=[LOAD_ISSUE],
            chunk_size=4,
        )
        report = whole(engagements, rules=rules, order=recorder.found)
        report = attrs.evolve(report, findings=tuple(map(renamed, report.findings)))

        log = json.loads(file.getvalue())
        driver = log["runs"][0]["tool"]["driver"]["rules"]
        assert "AAA001" == driver[0]["id"]
        assert all(
            driver[r["ruleIndex"]]["id"] == r["ruleId"]
            for r in log["runs"][0]["results"]
        )
        assert sarif_format.export(report) == file.getvalue()


class TestJsonLines:
    def test_one_object_per_line(self, examples):
        """Each finding, error and the summary is one JSON object on its own line."""
        lines = jsonl_format.export(examples).splitlines()
        objects = [json.loads(line) for line in lines]

        findings = [o for o in objects if "rule" in o]
        assert [examples.finding_dict(f) for f in examples.findings] == findings
        assert ["outsourcekit", "format", "as_of", "plugins", "skipped", "summary"] == (
            list(objects[-1])
        )
        assert examples.summary == objects[-1]["summary"]
        assert len(findings) + 1 == len(objects)

    def test_errors_after_the_findings(self, mixed):
        """Load, rule and plugin errors follow the findings, each on a line."""
        objects = [json.loads(line) for line in jsonl_format.export(mixed).splitlines()]

        assert [
            "finding",
            "finding",
            "finding",
            "finding",
            "finding",
            "error",
            "rule_error",
            "plugin_error",
            "summary",
        ] == [
            "finding" if "rule" in o else next(iter(o)) if len(o) == 1 else "summary"
            for o in objects
        ]
        assert LOAD_ISSUE.to_dict() == objects[5]["error"]

    def test_values_cannot_break_a_line(self, mixed):
        """Line breaks and unsafe characters in values are escaped: one line each."""
        text = jsonl_format.export(mixed)

        assert 9 == text.count("\n")
        assert "a | b | c\\nsecond line" in text
        assert "\u2028" not in jsonl_format.export(
            attrs.evolve(
                mixed,
                findings=(attrs.evolve(mixed.findings[0], message="x\u2028y\u202e"),),
            )
        )

    def test_baseline_field(self, mixed):
        """Against a baseline each finding line has ``baseline``."""
        base = attrs.evolve(mixed, findings=mixed.findings[:1])
        lines = jsonl_format.export(mixed.with_baseline(base)).splitlines()

        assert ["unchanged", "new"] == [
            json.loads(line)["baseline"] for line in lines[:2]
        ]

    def test_flushed_as_found(self):
        """Each batch is written and flushed before the next chunk is checked."""
        engagements = portfolio()

        class Watched(io.StringIO):
            flushed = ()

            def flush(self):
                self.flushed = (*self.flushed, self.getvalue().count("\n"))

        file = Watched()
        sink = jsonl_format.JsonLinesSink(
            file, Report(as_of=AS_OF, findings=(), engagements=())
        )
        ok.check_stream(
            engagements, sink=sink, as_of=AS_OF, rules=all_rules(), chunk_size=4
        )

        assert len(file.flushed) > 3
        assert list(file.flushed) == sorted(file.flushed)


class TestGivenUp:
    def test_json_sink_let_go_of_without_its_end(self):
        """A JSON document given up before its end leaves no open temporary file."""
        sink = json_format.JsonSink(
            io.StringIO(), Report(as_of=AS_OF, findings=(), engagements=())
        )
        report = ok.check(portfolio(), as_of=AS_OF, rules=all_rules())
        sink.findings(report.findings[:3])
        spool = sink.spool.file

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del sink
            gc.collect()

        assert (True, []) == (spool.closed, [str(w.message) for w in caught])


def generated(count):
    """Yield *count* small engagements with several findings each, made on the fly."""
    for number in range(count):
        yield ok.from_dict(
            {
                "id": f"engagement-{number:06d}",
                "title": f"Work package {number}",
                "status": "active",
                "start": "2026-01-05",
                "client": {"name": "Acme", "timezone": "Europe/London"},
                "vendor": {"name": f"Vendor {number % 50}", "timezone": "Asia/Manila"},
                "tasks": [{"name": "Bookkeeping", "area": "finance", "due": "weekly"}],
                "data": {"confidential": True, "shared_since": "2026-01-05"},
            }
        )


def peak_of_stream(count, tmp_path):
    """Return the peak memory of checking *count* engagements streamed to JSON Lines."""
    rules = plugins.get_rules()
    gc.collect()
    tracemalloc.start()
    try:
        with (tmp_path / f"out-{count}.jsonl").open("w", encoding="utf-8") as file:
            sink = jsonl_format.JsonLinesSink(
                file, Report(as_of=AS_OF, findings=(), engagements=())
            )
            report = ok.check_stream(
                generated(count), sink=sink, as_of=AS_OF, rules=rules, chunk_size=125
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == report.summary["engagements"]
    assert report.summary["findings"] > count
    return peak


class TestMemory:
    def test_peak_does_not_grow_with_the_portfolio(self, tmp_path):
        """More engagements, in chunks of the same size, keep a few facts each only.

        What the check keeps per engagement (its id, score and category
        scores) is far less than the engagement and its findings, which a
        streamed check holds for one chunk only: about 13 KB loaded.
        """
        ok.check(list(generated(2)), as_of=AS_OF)  # rules and converters built first

        peak_of_stream(250, tmp_path)  # caches of shared values filled first
        small = peak_of_stream(1000, tmp_path)
        large = peak_of_stream(2000, tmp_path)

        assert (large - small) / 1000 < 2_000


def invoke(*args):
    """Run the command line in this process; stdout and stderr apart."""
    from click.testing import CliRunner

    from outsourcekit.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


OUTPUTS = (
    "out.json",
    "out.sarif",
    "out.csv",
    "out.jsonl",
    "out.log",
    "github:out.github.log",
)


@pytest.fixture
def sorted_portfolio(tmp_path, monkeypatch):
    """Write the examples, in id order, as a JSON portfolio; return its path."""
    monkeypatch.chdir(tmp_path)
    items = sorted(
        (ok.to_dict(e) for e in ok.load(ok.examples_path())), key=lambda i: i["id"]
    )
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps({"engagements": items}, indent=2), encoding="utf-8")
    return path.name


def both_ways(monkeypatch, *args):
    """Run ``check`` with *args* streamed, then whole; return both results and files."""
    found = []
    for limit in (0, cli_module.STREAM_BYTES):
        monkeypatch.setattr(cli_module, "STREAM_BYTES", limit)
        result = invoke("check", *args)
        files = {
            name: Path(name.partition(":")[2] or name).read_bytes() for name in OUTPUTS
        }
        found.append((result.exit_code, result.stdout, files))
    return found


class TestCommandLine:
    def test_streamed_run_writes_what_a_whole_one_does(
        self, sorted_portfolio, monkeypatch
    ):
        """The same check, streamed or held whole, writes the same bytes everywhere."""
        outputs = [arg for name in OUTPUTS for arg in ("-o", name)]
        args = [sorted_portfolio, "--as-of", "2026-11-22", "--ignore", "OSK903,OSK905"]

        streamed, held = both_ways(monkeypatch, *args, "--format", "jsonl", *outputs)

        assert 1 == streamed[0]
        assert held == streamed

    def test_baseline_and_new_only(self, sorted_portfolio, monkeypatch):
        """Against a baseline, with --new-only and --quiet, streamed is whole too."""
        ignore = ["--ignore", "OSK903,OSK905"]
        invoke(
            "check",
            sorted_portfolio,
            "--as-of",
            "2026-03-01",
            *ignore,
            "-o",
            "base.json",
        )
        outputs = [arg for name in OUTPUTS for arg in ("-o", name)]
        args = [
            sorted_portfolio,
            "--as-of",
            "2026-11-22",
            *ignore,
            "--baseline",
            "base.json",
        ]

        for extra in ([], ["--new-only"]):
            streamed, held = both_ways(monkeypatch, *args, *extra, "--quiet", *outputs)

            assert held == streamed
            assert "Against the baseline: " in streamed[1]
            unchanged = '"baseline": "unchanged"' in streamed[2]["out.jsonl"].decode()
            assert unchanged is not bool(extra)

    def test_jsonl_input_streams(self, tmp_path, monkeypatch):
        """A JSON Lines portfolio is checked streamed: its errors after the findings."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        items = [ok.to_dict(e) for e in ok.load(ok.examples_path())][::-1]
        Path("p.jsonl").write_text(
            "".join(json.dumps(i) + "\n" for i in items) + "[]\n", encoding="utf-8"
        )

        result = invoke(
            "check", "p.jsonl", "--as-of", "2026-11-22", "--format", "jsonl"
        )

        lines = [json.loads(line) for line in result.stdout.splitlines()]
        engagements = {o["engagement"] for o in lines if "rule" in o}
        assert 2 == result.exit_code
        assert engagements <= {i["id"] for i in items}
        assert {"error"} == set(lines[-2])
        assert "summary" in lines[-1]
        assert ("p.jsonl", len(items) + 1) == (
            lines[-2]["error"]["source"],
            lines[-2]["error"]["line"],
        )
        assert "" == result.stderr

    def test_text_quiet_prints_the_summary(self, tmp_path, monkeypatch):
        """With --quiet, a streamed check prints the summary line at the end."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        Path("p.jsonl").write_text('{"id": "a"}\n{"id": "b"}\n', encoding="utf-8")

        result = invoke("check", "p.jsonl", "--quiet", "--as-of", "2026-11-22")

        assert 1 == result.exit_code
        assert [
            (
                "2 engagements, 26 findings (12 errors, 4 warnings, 10 info), 0 "
                "waived, portfolio score 0"
            )
        ] == result.stdout.splitlines()

    def test_a_failing_format_leaves_the_others(self, tmp_path, monkeypatch):
        """A streaming format that fails is reported and removed; the others stay."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        Path("p.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")

        class Broken:
            def __init__(self, file, _context):
                self.file = file

            def begin(self, _as_of, _rules):
                self.file.write("started\n")

            def findings(self, _batch):
                raise RuntimeError("disk on fire")

            def end(self, report):
                """Never reached."""

        class Plugin:
            @ok.hookimpl
            def outsourcekit_register_exporters(self):
                return [ok.Exporter("broken", ".broken", str, stream=Broken)]

        plugins.register(Plugin(), name="fire")

        result = invoke(
            "check", "p.jsonl", "--format", "csv", "-o", "x.broken", "-o", "out.jsonl"
        )

        assert 3 == result.exit_code
        assert (
            "error: format 'broken' (plugin fire) failed: RuntimeError: disk on fire"
            in result.stderr
        )
        assert not Path("x.broken").exists()
        assert '"summary"' in Path("out.jsonl").read_text(encoding="utf-8")
        assert result.stdout.startswith("rule,slug,")

    def test_an_output_that_cannot_be_written(self, tmp_path, monkeypatch):
        """An output that cannot be written is reported; the others are written."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        Path("p.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")
        Path("taken").write_text("a file where a folder is named\n", encoding="utf-8")

        result = invoke(
            "check", "p.jsonl", "-o", "taken/r.csv", "-o", "out.jsonl", "-q"
        )

        assert 2 == result.exit_code
        assert (
            "error: --output taken/r.csv: cannot be written: taken is a file, "
            "not a folder"
        ) in result.stderr
        assert '"summary"' in Path("out.jsonl").read_text(encoding="utf-8")


@pytest.fixture
def copied_examples(tmp_path, monkeypatch):
    """Copy the examples to ``engagements/`` and record ``base.json`` of them all."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ok.examples_path(), "engagements")
    recorded = invoke(
        "check", "engagements", "--as-of", "2026-11-22", "-o", "base.json"
    )
    assert 1 == recorded.exit_code
    return Path("engagements")


#: How a check runs: streamed in one process, in two, or held whole.
RUNS = (("streamed", 0, ()), ("two jobs", 0, ("--jobs", "2")), ("whole", None, ()))


def every_way(monkeypatch, *args):
    """Run ``check --quiet`` with *args* every way; return the status and stdout."""
    found = {}
    usual = cli_module.STREAM_BYTES
    for name, limit, extra in RUNS:
        monkeypatch.setattr(cli_module, "STREAM_BYTES", usual if limit is None else 0)
        result = invoke("check", *args, "--quiet", *extra)
        found[name] = (result.exit_code, result.stdout.splitlines()[1:])
    return found


class TestBaselineOfWhatRan:
    """Only findings the check could have found again are fixed, streamed or not."""

    @pytest.mark.parametrize(
        "options",
        [
            ("engagements", "--select", "OSK601"),
            ("engagements", "--select", "confidentiality,OSK1"),
            ("engagements", "--ignore", "OSK1,OSK7"),
            ("engagements/fernleaf-market-research.yaml",),
            ("engagements", "--ignore", "OSK6,OSK9"),
        ],
    )
    def test_nothing_fixed_that_was_not_looked_for(
        self, copied_examples, monkeypatch, options
    ):
        """Rules that did not run and engagements not checked fix nothing."""
        del copied_examples

        found = every_way(
            monkeypatch, *options, "--as-of", "2026-11-22", "--baseline", "base.json"
        )

        assert {
            name: (0, ["Against the baseline: 0 new findings, 0 fixed"])
            for name, _, _ in RUNS
        } == found

    def test_a_rule_that_ran_and_stopped_firing(self, copied_examples, monkeypatch):
        """A finding of a rule that ran and no longer fires is fixed, every way."""
        research = copied_examples / "fernleaf-market-research.yaml"
        text = research.read_text(encoding="utf-8")
        signed = "agreements:\n  - kind: nda\n    signed_on: 2026-03-01\n"
        research.write_text(text.replace("agreements:\n", signed, 1), "utf-8")
        args = ["--as-of", "2026-11-22", "--baseline", "base.json"]

        selected = every_way(monkeypatch, "engagements", "--select", "OSK601", *args)
        alone = every_way(monkeypatch, research, *args)
        listed = invoke("check", "engagements", "--select", "OSK601", *args)

        assert {
            name: (0, ["Against the baseline: 0 new findings, 1 fixed"])
            for name, _, _ in RUNS
        } == selected
        assert alone["whole"] == alone["streamed"] == alone["two jobs"], alone
        assert (
            "Fixed since the baseline (1):\n"
            "  OSK601 missing-nda  fernleaf-refill-research  agreements\n"
        ) in listed.stdout


class TestFailedCheck:
    def test_outputs_of_a_failed_check_are_removed(self, tmp_path, monkeypatch):
        """A check that fails (a bad --select) leaves no half-written output."""
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        Path("p.jsonl").write_text('{"id": "a"}\n', encoding="utf-8")

        result = invoke("check", "p.jsonl", "--select", "NOPE", "-o", "out.jsonl")

        assert 2 == result.exit_code
        assert "--select" in result.stderr
        assert "Traceback" not in result.stderr
        assert not Path("out.jsonl").exists()


class TestWhenToStream:
    def formats(self, *names):
        return [
            (e, f"out-{e.name}") for e in plugins.get_exporters() if e.name in names
        ]

    def test_large_inputs_stream(self, tmp_path, monkeypatch):
        """Inputs of STREAM_BYTES or more stream when every format can."""
        path = tmp_path / "p.jsonl"
        path.write_text('{"id": "a"}\n' * 10, encoding="utf-8")
        selection = SimpleNamespace(files=[path])
        jsonl, csv = (e for e, _ in self.formats("jsonl", "csv"))

        assert not cli_module._streams(jsonl, self.formats("csv"), selection)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", path.stat().st_size)
        assert cli_module._streams(jsonl, self.formats("csv"), selection)
        assert cli_module._streams(None, self.formats("jsonl"), selection)
        assert not cli_module._streams(jsonl, self.formats("html"), selection)
        assert not cli_module._streams(csv, self.formats("junit", "csv"), selection)


class TestProgress:
    class Stream:
        bytes_total = 1000
        bytes_read = 250

    def test_rate_and_time_left(self):
        """Progress says what was checked, how fast, and how long is left."""
        from outsourcekit.cli import _progress_text

        assert (
            "Checked 4,000 engagements (2,000/s), 25% read, about 6 s left"
            == _progress_text(4000, self.Stream(), 2.0)
        )

    def test_no_time_left_without_a_total(self):
        """Without the size of the input, only the count and the rate show."""
        from outsourcekit.cli import _progress_text

        stream = self.Stream()
        stream.bytes_total = None

        assert "Checked 10 engagements (5/s)" == _progress_text(10, stream, 2.0)

    @pytest.mark.parametrize("jobs", [1, 2])
    def test_time_left_with_jobs(self, tmp_path, monkeypatch, jobs):
        """With --jobs too, progress says how much is read and how long is left."""
        shown = []

        class Recording(cli_module._Progress):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.enabled, self.delay = True, 0

            def _write(self, text):
                shown.append(text)

        monkeypatch.setattr(cli_module, "_Progress", Recording)
        monkeypatch.setattr(cli_module, "STREAM_BYTES", 0)
        line = '{"id": "e%d-%d", "status": "active"}\n'
        for i in range(3):
            (tmp_path / f"f{i}.jsonl").write_text(
                "".join(line % (i, j) for j in range(20)), encoding="utf-8"
            )

        result = invoke(
            *("check", tmp_path, "--jobs", jobs, "--format", "jsonl", "--as-of", AS_OF)
        )

        assert 1 == result.exit_code, result.output
        checked = [text for text in shown if text.startswith("Checked")]
        assert re.fullmatch(
            r"Checked 60 engagements \(\d[\d,]*/s\), \d+% read, about \d+ s left",
            checked[-1],
        ), checked

    @pytest.mark.parametrize(
        ("seconds", "shown"),
        [(4.4, "4 s"), (75, "1 min 15 s"), (3_725, "1 h 02 min")],
    )
    def test_durations(self, seconds, shown):
        """Time left is in seconds, then minutes, then hours."""
        from outsourcekit.cli import _duration

        assert shown == _duration(seconds)


class TestExporterSink:
    def test_sink_with_the_default_context(self):
        """An exporter's sink writes its format, with no baseline by default."""
        jsonl = {e.name: e for e in plugins.get_exporters()}["jsonl"]
        out = io.StringIO()

        report = ok.check_stream(
            portfolio(), sink=jsonl.sink(out), as_of=AS_OF, rules=all_rules()
        )

        lines = out.getvalue().splitlines()
        assert report.summary == json.loads(lines[-1])["summary"]
        assert all("baseline" not in json.loads(line) for line in lines[:-1])

    def test_no_streaming_form(self):
        """A format without a streaming form says so when asked for a sink."""
        html = {e.name: e for e in plugins.get_exporters()}["html"]

        with pytest.raises(ValueError, match="format 'html' cannot be written while"):
            html.sink(io.StringIO())
