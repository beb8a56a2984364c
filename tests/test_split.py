"""A portfolio checked whole, streamed, in worker processes or on Dask: one report."""

from __future__ import annotations

import collections
import datetime as dt
import gc
import json
import os
import pathlib
import pickle
import subprocess
import sys
import textwrap
import types

import attrs
import pytest

import outsourcekit as ok
from outsourcekit import _jobs as jobs
from outsourcekit import plugins
from outsourcekit._gc import FULL_COLLECTION_EVERY, rare_full_collections
from outsourcekit._jobs import Unique, check_files, worker_count
from outsourcekit.engine import check_part
from sinks import Sink

AS_OF = dt.date(2026, 11, 22)

#: Vendor XCo has one critical task in each of four files: 4 of the
#: portfolio's 7, so OSK903 fires on the whole, but never within one file.
#: YCo holds 3 of the 4 critical tasks of the first file alone: OSK903 would
#: fire there, and use the waiver that the whole leaves unused (OSK905).
FILES = {
    "f1.yaml": """\
        engagements:
          - id: x1
            title: Payroll
            status: active
            vendor: {id: xco, name: XCo}
            tasks:
              - {name: Run payroll, critical: true}
          - id: y1
            title: Bookkeeping
            status: active
            vendor: {id: yco, name: YCo}
            tasks:
              - {name: Reconcile, critical: true}
              - {name: Close the month, critical: true}
              - {name: File VAT, critical: true}
            waivers:
              - {rule: vendor-concentration, reason: YCo is being replaced}
        """,
    "f2.yaml": """\
        id: x2
        title: Support desk
        status: active
        vendor:
          id: xco
          name: XCo
        tasks:
          - {name: Answer tickets, critical: true}
        waivers:
          - rule: OSK903
            reason: Accepted for this year
        """,
    "f3.json": json.dumps(
        {
            "id": "x3",
            "title": "Logistics",
            "status": "active",
            "vendor": {"id": "xco", "name": "XCo"},
            "tasks": [{"name": "Ship orders", "critical": True}],
        },
        indent=2,
    ),
    "f4.jsonl": "\n".join(
        json.dumps(item)
        for item in (
            {
                "id": "x4",
                "status": "active",
                "vendor": {"id": "xco"},
                "tasks": [{"name": "Invoice", "critical": True}],
            },
            {"id": "z1", "status": "active", "vendor": {"id": "zco"}},
        )
    )
    + "\n",
}


#: Engagements that do not load, each the first of its id in its file, and
#: the same ids in other files (and lines).
UNLOADED_FIRST = {
    "a.yaml": (
        "engagements:\n  - {id: x, end: 1}\n  - {id: x}\n  - {id: y, end: 1}\n"
        "  - {id: y, end: 2}\n"
    ),
    "b.yaml": "engagements:\n  - {id: x}\n  - {id: y, stauts: 1}\n  - {id: z}\n",
    "c.jsonl": '{"id": "z", "end": 1}\n{"id": "y"}\n{"id": "x"}\n',
}


@pytest.fixture(autouse=True)
def hermetic(monkeypatch):
    """Load no installed plugin, here and in the processes started."""
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def folder(tmp_path):
    """Write the portfolio's files; return their folder."""
    root = tmp_path / "portfolio"
    root.mkdir()
    for name, text in FILES.items():
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def files(folder):
    """The portfolio's files, in the order a walk reads them."""
    return sorted(folder.iterdir())


def whole(files):
    """The report of one process over every file."""
    return ok.check(ok.load_all(files), as_of=AS_OF)


def concentration(report):
    """The OSK903 and OSK905 findings: (rule, engagement, waived)."""
    return [
        (f.rule, f.engagement, f.waived)
        for f in report.findings
        if f.rule in {"OSK903", "OSK905"}
    ]


def run(*args, cwd, env=None):
    """Run the command line in a new process."""
    environment = {**os.environ, plugins.ENV_LOAD_PLUGINS: "", **(env or {})}
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "outsourcekit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=300,
        check=False,
    )


def plugin_site(tmp_path, name, source, **more):
    """Install a plugin module *name* in a folder; return the environment using it.

    The environment puts the folder on PYTHONPATH and loads that plugin alone,
    in this process's children; *more* adds variables.
    """
    site = tmp_path / "site"
    info = site / f"outsourcekit_{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: outsourcekit-{name}\nVersion: 1.0\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(
        f"[outsourcekit]\n{name} = {name}_plugin\n", encoding="utf-8"
    )
    (site / f"{name}_plugin.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return {
        "PYTHONPATH": os.pathsep.join(
            [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        plugins.ENV_LOAD_PLUGINS: name,
        **more,
    }


class TestThePortfolio:
    def test_the_whole_is_judged_as_a_whole(self, files):
        """XCo is concentrated across files; YCo's waiver goes unused."""
        assert [
            ("OSK903", "x1", None),
            ("OSK903", "x2", "Accepted for this year"),
            ("OSK903", "x3", None),
            ("OSK903", "x4", None),
            ("OSK905", "y1", None),
        ] == concentration(whole(files))

    def test_each_file_alone_would_be_judged_otherwise(self, files):
        """Checked file by file, XCo never fires and YCo does."""
        alone = [f for path in files for f in concentration(whole([path]))]

        assert [
            ("OSK903", "y1", "YCo is being replaced"),
            ("OSK905", "x2", None),
        ] == alone


class TestCheckStream:
    @pytest.mark.parametrize("chunk_size", [1, 2, 1000])
    def test_same_findings_and_scores(self, files, chunk_size):
        """Streamed in chunks of any size, the findings and scores are the whole's."""
        expected = whole(files)
        sink = Sink()

        report = ok.check_stream(
            ok.iter_load(files), sink=sink, as_of=AS_OF, chunk_size=chunk_size
        )

        assert list(expected.findings) == sorted(sink.found, key=lambda f: f.sort_key())
        assert expected.summary == report.summary
        assert [(e.id, e.score) for e in expected.engagements] == [
            (e.id, e.score) for e in report.engagements
        ]
        assert expected.plugins == report.plugins
        assert sink.report is report

    @pytest.mark.parametrize("chunk_size", [1, 2, 1000])
    def test_vendor_concentration_in_chunks(self, chunk_size):
        """Placeholder vendors and a share exactly at the limit, judged in chunks.

        `TBD` and `tbd` are no vendor: their 4 critical tasks count in the total
        only, even with a limit that 4 would pass. RCo holds 29 of the 50,
        exactly 0.58: no finding; with one more it fires, in chunks as whole.
        """

        def engagement(ident, vendor, critical):
            return ok.from_dict(
                {
                    "id": ident,
                    "status": "active",
                    "vendor": vendor,
                    "tasks": [
                        {"name": f"t{i}", "critical": True} for i in range(critical)
                    ],
                }
            )

        def findings(engagements, max_share):
            config = ok.Config(
                select=["OSK903"],
                rules={"vendor-concentration": {"max-share": max_share}},
            )
            sink = Sink()
            ok.check_stream(
                engagements,
                sink=sink,
                as_of=AS_OF,
                config=config,
                chunk_size=chunk_size,
            )
            whole = ok.check(engagements, as_of=AS_OF, config=config)
            found = [(f.engagement, f.message) for f in whole.findings]
            assert found == sorted((f.engagement, f.message) for f in sink.found)
            return found

        portfolio = [
            engagement("p1", {"name": "TBD"}, 2),
            engagement("r1", {"name": "RCo"}, 20),
            engagement("p2", {"name": "tbd"}, 2),
            engagement("r2", {"name": "rco"}, 9),
            engagement("s1", {"id": "sco", "name": "n/a"}, 17),
        ]

        assert [] == findings(portfolio, 0.58)
        assert ["r1", "r2", "s1"] == [e for e, _ in findings(portfolio, 0.05)]

        more = [*portfolio, engagement("r3", {"name": "RCO"}, 1)]
        message = (
            "Vendor RCo holds 30 of the portfolio's 51 critical tasks (59%), more "
            "than the 58% allowed"
        )

        assert [("r1", message), ("r2", message), ("r3", message)] == findings(
            more, 0.58
        )

    def test_lines_are_found(self, files):
        """Every streamed finding from a file has its line, portfolio ones too."""
        sink = Sink()

        ok.check_stream(ok.iter_load(files), sink=sink, as_of=AS_OF, chunk_size=1)

        lines = {(f.rule, f.engagement): f.line for f in sink.found}
        assert 5 == lines["OSK903", "x1"]
        assert 5 == lines["OSK903", "x2"]
        assert 1 == lines["OSK903", "x4"]
        assert all(f.line is not None for f in sink.found)
        assert [f.line for f in whole(files).findings] == [
            f.line for f in sorted(sink.found, key=lambda f: f.sort_key())
        ]

    def test_load_errors_of_the_stream(self, folder, files):
        """What the stream could not load is in the report, once consumed."""
        (folder / "f5.yaml").write_text("id: bad\nstart: soon\n", encoding="utf-8")

        report = ok.check_stream(
            ok.iter_load([*files, folder / "f5.yaml"]), sink=Sink(), as_of=AS_OF
        )

        assert ["f5.yaml"] == [
            pathlib.Path(e.to_dict()["source"]).name for e in report.errors
        ]


#: A plugin that imports in the main process only: its workers refuse it.
GPU_PLUGIN = """\
import multiprocessing

if multiprocessing.parent_process() is not None:
    raise ImportError("no GPU here")

from outsourcekit.engine import rule
from outsourcekit.hookspecs import hookimpl

@rule(code="GPU001", slug="gpu", title="GPU", category="governance",
      severity="warning", fix="None.")
def gpu(engagement, ctx):
    yield ctx.finding("checked on the GPU")

@hookimpl
def outsourcekit_register_rules():
    return [gpu]
"""


def _load_errors_of_one_and_two_jobs(folder, monkeypatch):
    """Check *folder* with ``--jobs 1`` and ``--jobs 2``; return the load errors.

    Both runs must end with status 2 and write the same JSON Lines report.
    """
    from click.testing import CliRunner

    from outsourcekit import cli

    monkeypatch.chdir(folder)
    args = ["check", ".", "--as-of", str(AS_OF), "-f", "jsonl", "-o"]
    outputs = [
        CliRunner().invoke(cli.cli, [*args, f"jsonl:{n}.out", "--jobs", n])
        for n in ("1", "2")
    ]

    assert [2, 2] == [o.exit_code for o in outputs]
    one, two = ((folder / f"{n}.out").read_text() for n in ("1", "2"))
    assert one == two
    return [
        json.loads(line)["error"]
        for line in one.splitlines()
        if line.startswith('{"error"')
    ]


class TestJobs:
    @pytest.mark.parametrize("fmt", ["json", "concise", "sarif"])
    def test_same_output_as_one_process(self, folder, fmt):
        """--jobs 2 and --jobs 0 write what one process writes, byte for byte."""
        outputs = [
            run("check", ".", "--as-of", AS_OF, "-f", fmt, "--jobs", n, cwd=folder)
            for n in (1, 2, 0)
        ]

        assert [1, 1, 1] == [o.returncode for o in outputs]
        assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout
        assert "f3.json" in outputs[0].stdout

    def test_sarif_suppressions_as_one_process(self, folder):
        """--jobs 2 tells own waivers (inSource) from a central file's (external)."""
        (folder / "outsourcekit.toml").write_text(
            'waivers = "waivers.yaml"\n', encoding="utf-8"
        )
        (folder / "waivers.yaml").write_text(
            textwrap.dedent(
                """\
                - {engagement: x3, rule: OSK903, reason: Logistics moves in May}
                - {engagement: x4, rule: no-kpis, reason: Measured by the client}
                """
            ),
            encoding="utf-8",
        )
        outputs = [
            run("check", ".", "--as-of", AS_OF, "-f", "sarif", "--jobs", n, cwd=folder)
            for n in (1, 2)
        ]
        results = json.loads(outputs[1].stdout)["runs"][0]["results"]

        assert outputs[0].stdout == outputs[1].stdout
        assert [
            ("x2", "OSK903", "inSource", "Accepted for this year"),
            ("x3", "OSK903", "external", "Logistics moves in May"),
            ("x4", "OSK701", "external", "Measured by the client"),
        ] == [
            (
                r["properties"]["engagement"],
                r["ruleId"],
                r["suppressions"][0]["kind"],
                r["suppressions"][0]["justification"],
            )
            for r in results
            if "suppressions" in r
        ]

    @pytest.mark.parametrize("fmt", ["jsonl", "json"])
    def test_same_stream_as_one_process(self, folder, monkeypatch, fmt):
        """Streamed (a large input), --jobs 2 writes what one process writes."""
        from click.testing import CliRunner

        from outsourcekit import cli

        monkeypatch.setattr(cli, "STREAM_BYTES", 0)
        monkeypatch.chdir(folder)
        args = ["check", ".", "--as-of", str(AS_OF), "-f", fmt, "-o"]
        outputs = [
            CliRunner().invoke(cli.cli, [*args, f"{fmt}:{n}.out", "--jobs", n])
            for n in ("1", "2")
        ]

        assert [1, 1] == [o.exit_code for o in outputs]
        one, two = ((folder / f"{n}.out").read_text() for n in ("1", "2"))
        assert one == two
        assert one.index('"x4"') < one.index('"OSK903"')  # portfolio rules last

    def test_same_report_in_process(self, files):
        """check_files gives the report of one process, titles too."""
        checked = check_files(files, jobs=2, as_of=AS_OF, chunk_size=1, titles=True)

        assert whole(files) == checked.report
        assert {"x1": "Payroll", "x2": "Support desk"}.items() <= checked.titles.items()

    def test_many_duplicates_read_each_file_once(self, tmp_path, located_reads):
        """Ids read before are placed reading each file with locations once.

        Each used to read both its files again: two portfolios with the same
        2,000 engagements took many minutes with ``--jobs 2``.
        """

        items = "".join(f"  - id: e{i}\n" for i in range(30))
        files = [tmp_path / "p.yaml", tmp_path / "q.yaml", tmp_path / "r.jsonl"]
        files[0].write_text(f"engagements:\n{items}", encoding="utf-8")
        files[1].write_text(f"engagements:\n{items}", encoding="utf-8")
        files[2].write_text(
            "".join(f'{{"id": "e{i}"}}\n' for i in range(30)), encoding="utf-8"
        )
        checked = check_files(files, jobs=2, as_of=AS_OF)

        assert 60 == len(checked.report.errors)
        assert (
            f"{files[2]}:30: id: duplicate id `e29`: ids must be unique, it is also "
            f"at {files[0]}:31:9"
        ) == str(checked.report.errors[-1])
        assert ["p.yaml", "q.yaml"] == sorted(located_reads)

    def test_lines_only_when_asked(self, files):
        """Without lines (nothing prints the findings), workers find none."""
        with_lines = check_files(files, jobs=2, as_of=AS_OF).report
        without = check_files(files, jobs=2, as_of=AS_OF, lines=False).report

        assert with_lines.findings
        assert all(f.line is not None for f in with_lines.findings)
        assert {None} == {f.line for f in without.findings}
        assert [attrs.evolve(f, line=None) for f in with_lines.findings] == list(
            without.findings
        )

    def test_streams_as_one_process_streams(self, files):
        """Streamed to a sink, workers send the findings one process sends."""
        alone, shared = Sink(), Sink()
        ok.check_stream(ok.iter_load(files), sink=alone, as_of=AS_OF, chunk_size=3)

        checked = check_files(files, jobs=2, as_of=AS_OF, sink=shared, chunk_size=1)

        assert alone.found == shared.found
        assert () == checked.report.findings
        assert alone.report.summary == checked.report.summary
        assert shared.report is checked.report

    @pytest.mark.parametrize("fails", ["sink", "progress"])
    def test_a_sink_that_raises_stops_the_workers_at_once(self, tmp_path, fails):
        """The sink's (or progress's) error comes at once, the workers ended.

        Workers busy sending parts nobody reads any more were each given 5 s
        to stop by themselves, one after another.
        """
        import time

        line = '{"id": "e%d-%d", "status": "active"}\n'
        files = []
        for i in range(6):
            files.append(tmp_path / f"f{i}.jsonl")
            files[-1].write_text("".join(line % (i, j) for j in range(60)))

        raised = []

        def full(*_args):
            raised.append(time.monotonic())
            raise OSError(28, "No space left on device")

        class Full(Sink):
            def findings(self, batch):
                full(batch)

        sink = Full() if fails == "sink" else Sink()
        with pytest.raises(OSError, match="No space left on device"):
            check_files(
                files,
                jobs=2,
                as_of=AS_OF,
                sink=sink,
                chunk_size=1,
                progress=full if fails == "progress" else None,
            )

        assert time.monotonic() - raised[0] < 3

    def test_one_json_lines_file_is_shared(self, tmp_path, monkeypatch):
        """A large JSON Lines file is read in parts by several workers, as one."""
        lines = [
            json.dumps(
                {
                    "id": f"e{i:02}",
                    "status": "active",
                    "vendor": {"id": "xco" if i % 3 else f"v{i}"},
                    "tasks": [{"name": "Run", "critical": True}],
                }
            )
            for i in range(30)
        ]
        lines[17] = lines[4]  # an id twice, in two parts
        lines[9] = "{not json"
        path = tmp_path / "big.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        monkeypatch.setattr(jobs, "PART_BYTES", 400)
        stream = ok.iter_load(path)
        expected = ok.check(list(stream), as_of=AS_OF, errors=stream.issues)

        checked = check_files([path], jobs=2, as_of=AS_OF, chunk_size=2)

        assert len(jobs._tasks([path], 400)) > 4
        assert expected == checked.report
        assert ["OSK903"] == sorted(
            {f.rule for f in checked.report.findings} & {"OSK903"}
        )
        assert [10, 18] == [e.line for e in checked.report.errors]

    def test_reading_counts_the_bytes_checked(self, tmp_path, monkeypatch):
        """A Reading grows, as files and their parts are checked, to their size."""
        big = tmp_path / "big.jsonl"
        big.write_text(
            "".join(f'{{"id": "e{i:02}", "status": "active"}}\n' for i in range(30)),
            encoding="utf-8",
        )
        small = tmp_path / "small.yaml"
        small.write_text("id: s\nstatus: active\n", encoding="utf-8")
        monkeypatch.setattr(jobs, "PART_BYTES", 200)
        reading = jobs.Reading()
        seen = []

        check_files(
            [big, small],
            jobs=2,
            as_of=AS_OF,
            chunk_size=2,
            progress=lambda _done: seen.append(reading.bytes_read),
            reading=reading,
        )

        size = big.stat().st_size + small.stat().st_size
        assert (size, size) == (reading.bytes_total, reading.bytes_read)
        assert seen == sorted(seen)
        assert 0 < seen[-1] <= size

    def test_duplicate_ids_across_files(self, folder):
        """An id two files share is a load error, as in one process."""
        (folder / "f5.yaml").write_text("id: x1\n", encoding="utf-8")

        outputs = [
            run("check", ".", "--as-of", AS_OF, "-f", "json", "--jobs", n, cwd=folder)
            for n in (1, 2)
        ]

        assert [2, 2] == [o.returncode for o in outputs]
        assert outputs[0].stdout == outputs[1].stdout
        (error,) = json.loads(outputs[1].stdout)["errors"]
        assert error["message"].startswith("duplicate id `x1`")

    @pytest.mark.parametrize("first", ["First title", None])
    def test_titles_of_the_engagements_kept(self, tmp_path, first):
        """An id written again: the text format shows the first one's title.

        The title came from whichever file a worker finished last, the
        engagement dropped as a duplicate included.
        """
        (tmp_path / "a.yaml").write_text(
            "id: zeta\nstatus: active\n" + (f"title: {first}\n" if first else ""),
            encoding="utf-8",
        )
        (tmp_path / "b.yaml").write_text(
            "id: zeta\ntitle: Second title\nstatus: active\n", encoding="utf-8"
        )
        files = sorted(tmp_path.iterdir())

        checked = check_files(files, jobs=2, as_of=AS_OF, titles=True)

        assert ({"zeta": first} if first else {}) == checked.titles

    @pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "junit"])
    def test_duplicate_ids_in_the_order_of_one_process(self, tmp_path, fmt):
        """Ids two files share are reported in file order, then line, as alone."""
        text = "engagements:\n  - id: zeta\n  - id: alpha\n"
        for name in ("a.yaml", "b.yaml"):
            (tmp_path / name).write_text(text, encoding="utf-8")

        outputs = [
            run("check", ".", "--as-of", AS_OF, "-f", fmt, "-j", n, cwd=tmp_path)
            for n in (1, 2)
        ]

        assert [2, 2] == [o.returncode for o in outputs]
        assert outputs[0].stdout == outputs[1].stdout
        assert outputs[0].stderr == outputs[1].stderr
        if fmt == "text":
            assert (
                "error: b.yaml:2:9: id: duplicate id `zeta`: ids must be unique, "
                "it is also at a.yaml:2:9\n"
                "error: b.yaml:3:9: id: duplicate id `alpha`: ids must be unique, "
                "it is also at a.yaml:3:9\n"
            ) == outputs[1].stderr

    @pytest.mark.parametrize("fmt", ["text", "json"])
    def test_ids_beside_engagements_that_do_not_load(self, tmp_path, fmt):
        """An id a file has twice, one of them not loading, is among its errors."""
        (tmp_path / "p.yaml").write_text(
            "engagements:\n"
            "  - id: alpha\n    status: active\n"
            "  - id: alpha\n    status: bogus\n"
            "  - id: beta\n    start: notadate\n"
            "  - id: beta\n    status: active\n",
            encoding="utf-8",
        )

        outputs = [
            run("check", ".", "--as-of", AS_OF, "-f", fmt, "-j", n, cwd=tmp_path)
            for n in (1, 2)
        ]

        assert outputs[0].stdout == outputs[1].stdout
        assert outputs[0].stderr == outputs[1].stderr
        if fmt == "text":
            assert [4, 5, 7, 8] == [
                int(line.split(":")[2])
                for line in outputs[1].stderr.splitlines()
                if line.startswith("error: p.yaml:")
            ]

    @pytest.mark.parametrize("part_bytes", [jobs.PART_BYTES, 40])
    @pytest.mark.parametrize("streamed", [False, True])
    def test_load_errors_in_the_order_of_one_process(
        self, tmp_path, monkeypatch, streamed, part_bytes
    ):
        """Duplicate ids among a file's own errors come where one process puts them.

        Whole, as ``load_all`` puts them: every file's errors, then each id
        written again, in the files' order; streamed, as ``iter_load`` reads
        them: each where it is read. JSON Lines files shared in parts too.
        """

        from outsourcekit import cli

        def jsonl(*ids):
            return "".join(
                f'{{"id": "e{i}"}}\n' if i >= 0 else "{not json\n" for i in ids
            )

        (tmp_path / "a.jsonl").write_text(jsonl(*range(8)), encoding="utf-8")
        (tmp_path / "b.jsonl").write_text(jsonl(5, 1, -1, 3, 7, 8, 1), encoding="utf-8")
        (tmp_path / "c.yaml").write_text(
            "engagements:\n  - id: zeta\n  - id: e2\n  - id: zeta\n"
            "  - id: beta\n    bogus: 1\n  - id: e8\n",
            encoding="utf-8",
        )
        monkeypatch.setattr(cli, "STREAM_BYTES", 0 if streamed else 1 << 40)
        monkeypatch.setattr(jobs, "PART_BYTES", part_bytes)
        errors = _load_errors_of_one_and_two_jobs(tmp_path, monkeypatch)
        bad = [("b.jsonl", 3), ("c.yaml", 6)]
        again = [("b.jsonl", n) for n in (1, 2, 4, 5, 7)]
        again += [("c.yaml", n) for n in (3, 4, 7)]
        if streamed:
            expected = [*again[:2], bad[0], *again[2:5], bad[1], *again[5:]]
        else:
            expected = [*bad, *again]
        assert expected == [(e["source"], e["line"]) for e in errors]
        assert [
            "duplicate id `e1`: ids must be unique, it is also at a.jsonl:2",
            "duplicate id `e8`: ids must be unique, it is also at b.jsonl:6",
        ] == [e["message"] for e in errors if e["line"] == 7]

    @pytest.mark.parametrize("part_bytes", [jobs.PART_BYTES, 40])
    @pytest.mark.parametrize("streamed", [False, True])
    def test_ids_of_lines_that_do_not_load(
        self, tmp_path, monkeypatch, streamed, part_bytes
    ):
        """A line that does not load keeps its id, as in one process, in any part.

        A line whose id was read before is a duplicate, and so is the first
        engagement whose id only such a line had before (it stays loaded);
        each names the first place the id was read.
        """

        from outsourcekit import cli

        def jsonl(*items):
            return "".join(
                json.dumps({"id": eid, **({"status": 0} if bad else {})}) + "\n"
                for eid, bad in items
            )

        (tmp_path / "a.jsonl").write_text(
            jsonl(("e0", 0), ("e1", 1), ("e1", 0), ("e2", 1), ("e2", 1), ("e0", 1)),
            encoding="utf-8",
        )
        (tmp_path / "b.jsonl").write_text(
            jsonl(("e2", 0), ("e1", 1), ("e1", 0), ("e3", 1)), encoding="utf-8"
        )
        (tmp_path / "c.yaml").write_text("id: e3\n", encoding="utf-8")
        monkeypatch.setattr(cli, "STREAM_BYTES", 0 if streamed else 1 << 40)
        monkeypatch.setattr(jobs, "PART_BYTES", part_bytes)
        errors = _load_errors_of_one_and_two_jobs(tmp_path, monkeypatch)
        bad = [("a.jsonl", n) for n in (2, 4, 5, 6)] + [("b.jsonl", 2), ("b.jsonl", 4)]
        again = [
            ("a.jsonl", 3, "e1", "a.jsonl:2"),
            ("a.jsonl", 5, "e2", "a.jsonl:4"),
            ("a.jsonl", 6, "e0", "a.jsonl:1"),
            ("b.jsonl", 1, "e2", "a.jsonl:4"),
            ("b.jsonl", 2, "e1", "a.jsonl:2"),
            ("b.jsonl", 3, "e1", "a.jsonl:2"),
            ("c.yaml", 1, "e3", "b.jsonl:4"),
        ]
        assert [
            (
                source,
                line,
                f"duplicate id `{eid}`: ids must be unique, it is also at {at}",
            )
            for source, line, eid, at in again
        ] == [
            (e["source"], e["line"], e["message"])
            for e in errors
            if e["message"].startswith("duplicate id")
        ]
        places = [(e["source"], e["line"]) for e in errors]
        if streamed:
            a, b = ("a.jsonl", "b.jsonl")
            assert [
                *[(a, 2), (a, 3), (a, 4), (a, 5), (a, 5), (a, 6), (a, 6)],
                *[(b, 1), (b, 2), (b, 2), (b, 3), (b, 4), ("c.yaml", 1)],
            ] == places
        else:
            assert [*bad, *[(source, line) for source, line, *_ in again]] == places

    @pytest.mark.parametrize("streamed", [False, True])
    def test_a_file_not_utf8_in_parts(self, tmp_path, monkeypatch, streamed):
        """A file in UTF-16 whose first line is blank is one error in parts too.

        Its first line is too short to tell the encoding by; every part
        judges the file's start, as one process does.
        """

        from outsourcekit import cli

        lines = "".join(f'{{"id": "w{n}"}}\n' for n in range(30))
        (tmp_path / "a.jsonl").write_bytes(f"\n{lines}".encode("utf-16-le"))
        (tmp_path / "b.jsonl").write_text('{"id": "b", "end": 1}\n', encoding="utf-8")
        monkeypatch.setattr(cli, "STREAM_BYTES", 0 if streamed else 1 << 40)
        monkeypatch.setattr(jobs, "PART_BYTES", 100)
        errors = _load_errors_of_one_and_two_jobs(tmp_path, monkeypatch)

        assert [
            (
                "a.jsonl",
                1,
                (
                    "the file is not UTF-8 text: it is UTF-16 (a zero byte beside "
                    "each character); save the file as UTF-8"
                ),
            ),
            (
                "b.jsonl",
                1,
                "expected a date in ISO 8601 form, like 2026-03-01, got 1 (a number)",
            ),
        ] == [(e["source"], e["line"], e["message"]) for e in errors]

    @pytest.mark.parametrize("streamed", [False, True])
    def test_ids_of_engagements_that_do_not_load(self, tmp_path, monkeypatch, streamed):
        """An engagement of a portfolio that does not load keeps its id, as alone."""

        from outsourcekit import cli

        for name, text in UNLOADED_FIRST.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        monkeypatch.setattr(cli, "STREAM_BYTES", 0 if streamed else 1 << 40)
        errors = _load_errors_of_one_and_two_jobs(tmp_path, monkeypatch)
        also = "ids must be unique, it is also at"
        assert [
            ("a.yaml", 3, f"duplicate id `x`: {also} a.yaml:2:10"),
            ("a.yaml", 5, f"duplicate id `y`: {also} a.yaml:4:10"),
            ("b.yaml", 2, f"duplicate id `x`: {also} a.yaml:2:10"),
            ("b.yaml", 3, f"duplicate id `y`: {also} a.yaml:4:10"),
            ("c.jsonl", 1, f"duplicate id `z`: {also} b.yaml:4:10"),
            ("c.jsonl", 2, f"duplicate id `y`: {also} a.yaml:4:10"),
            ("c.jsonl", 3, f"duplicate id `x`: {also} a.yaml:2:10"),
        ] == sorted(
            (e["source"], e["line"], e["message"])
            for e in errors
            if e["message"].startswith("duplicate id")
        )

    def test_bad_configuration_fails_first(self, folder):
        """A configuration error is reported as without --jobs."""
        output = run("check", ".", "--select", "NOPE", "--jobs", "2", cwd=folder)

        assert 2 == output.returncode
        assert "--select" in output.stderr
        assert "Traceback" not in output.stderr

    @pytest.mark.parametrize(
        ("crash", "file", "lost"),
        [
            ("x3", "f3.json", {"x3"}),
            # The first file a worker is given: it dies before any answer,
            # and is still not taken for a worker that cannot start.
            ("x1", "f1.yaml", {"x1", "y1"}),
        ],
    )
    def test_a_worker_that_dies_is_reported(self, folder, tmp_path, crash, file, lost):
        """A worker killed on one file: that file is reported, the others checked.

        The check failed there (in one process, the run would have stopped):
        status 3, as for a rule that fails, not 2, as for a file that does not
        load.
        """
        source = """\
        import os

        from outsourcekit.engine import rule
        from outsourcekit.hookspecs import hookimpl

        @rule(code="CRA001", slug="crashes", title="Crashes",
              category="governance", severity="info", fix="None.")
        def crashes(engagement, ctx):
            if engagement.id == os.environ["CRASH_ON"]:
                os._exit(70)
            return ()

        @hookimpl
        def outsourcekit_register_rules():
            return [crashes]
        """
        env = plugin_site(tmp_path, "crash", source, CRASH_ON=crash)

        output = run(
            "check", ".", "--as-of", AS_OF, "-f", "json", "-j", "2", cwd=folder, env=env
        )

        assert 3 == output.returncode
        report = json.loads(output.stdout)
        (error,) = report["errors"]
        assert error["source"].endswith(file)
        assert error["message"] == (
            "not checked: its worker process stopped twice (exit status 70)"
        )
        checked = {e["id"] for e in report["engagements"]}
        assert not lost & checked
        assert {"x1", "x2", "x3", "x4", "y1", "z1"} - lost <= checked

    @pytest.mark.parametrize("streamed", [False, True])
    def test_a_check_failing_in_a_worker_fails_the_run_as_in_one_process(
        self, folder, tmp_path, streamed
    ):
        """What stops a check in one process (status 3) is status 3 with --jobs too.

        The workers still name the file they could not check, and check the
        others; whole or streamed, the status is the same.
        """
        source = """\
        from outsourcekit import io

        def _broken(findings, engagements, **kwargs):
            if any(e.id == "x3" for e in engagements):
                raise RuntimeError("lines cannot be found")
            return _found(findings, engagements, **kwargs)

        _found, io.locate_findings = io.locate_findings, _broken
        """
        env = plugin_site(tmp_path, "lines", source)
        if streamed:  # every check streamed, however small its files
            (tmp_path / "site" / "sitecustomize.py").write_text(
                "import outsourcekit.cli\noutsourcekit.cli.STREAM_BYTES = 0\n",
                encoding="utf-8",
            )
        args = ("check", ".", "--as-of", AS_OF, "-f", "json")

        alone, split = (
            run(*args, "--jobs", n, cwd=folder, env=env) for n in ("1", "2")
        )

        assert [3, 3] == [alone.returncode, split.returncode], split.stderr
        assert "the check failed: RuntimeError: lines cannot be found" in alone.stderr
        report = json.loads(split.stdout)
        assert [
            {
                "source": "f3.json",
                "line": None,
                "column": None,
                "path": "",
                "message": "not checked: checking it failed: RuntimeError: lines "
                "cannot be found",
            }
        ] == report["errors"]
        assert {"x1", "x2", "x4", "y1", "z1"} == {
            e["id"] for e in report["engagements"]
        }
        assert "Traceback" not in split.stderr

    def test_an_interrupt_raised_in_a_worker_is_one_in_one_process(
        self, folder, tmp_path
    ):
        """A rule raising KeyboardInterrupt stops the run, as in one process (130).

        The worker neither prints a traceback nor is given the file again.
        """
        source = """\
        from outsourcekit.engine import rule
        from outsourcekit.hookspecs import hookimpl

        @rule(code="INT001", slug="interrupts", title="Interrupts",
              category="governance", severity="info", fix="None.")
        def interrupts(engagement, ctx):
            if engagement.id == "x3":
                raise KeyboardInterrupt
            return ()

        @hookimpl
        def outsourcekit_register_rules():
            return [interrupts]
        """
        env = plugin_site(tmp_path, "interrupts", source)
        args = ("check", ".", "--as-of", AS_OF, "-f", "json")

        alone, split = (
            run(*args, "--jobs", n, cwd=folder, env=env) for n in ("1", "2")
        )

        assert [130, 130] == [alone.returncode, split.returncode]
        assert "interrupted\n" == alone.stderr == split.stderr
        assert "" == alone.stdout == split.stdout

    def test_a_plugin_failing_in_a_worker_fails_the_run(self, folder, tmp_path):
        """A hook failing in a worker is the run's plugin error, as in one process."""
        source = """\
        from outsourcekit.hookspecs import hookimpl

        @hookimpl
        def outsourcekit_engagement_loaded(engagement):
            if engagement.id == "x3":
                raise RuntimeError("cannot stamp x3")
        """
        env = plugin_site(tmp_path, "fragile", source)

        outputs = [
            run(
                "check",
                ".",
                "--as-of",
                AS_OF,
                "-f",
                "json",
                "-j",
                n,
                cwd=folder,
                env=env,
            )
            for n in ("1", "2")
        ]

        assert [3, 3] == [o.returncode for o in outputs]
        errors = [json.loads(o.stdout)["plugin_errors"] for o in outputs]
        assert errors[0] == errors[1]
        assert "cannot stamp x3" in errors[0][0]["message"]
        assert "Warning" not in outputs[1].stderr

    def test_facts_and_evidence_that_do_not_pickle_are_rule_errors(
        self, folder, tmp_path
    ):
        """Such a rule's error names it; the other rules' findings stay."""
        source = """\
        import threading

        from outsourcekit.engine import rule
        from outsourcekit.hookspecs import hookimpl

        def _f(engagement, ctx):
            return lambda: 1

        @rule(code="EVL902", slug="lambda-facts", title="Lambda facts",
              category="governance", severity="info", fix="None.",
              scope="portfolio", facts=_f)
        def lambda_facts(facts, ctx):
            return ()

        @rule(code="EVL901", slug="lock-evidence", title="Lock evidence",
              category="governance", severity="warning", fix="None.")
        def lock_evidence(engagement, ctx):
            if engagement.id == "x3":
                yield ctx.finding("x", evidence={"x": threading.Lock()})

        @hookimpl
        def outsourcekit_register_rules():
            return [lambda_facts, lock_evidence]
        """
        env = plugin_site(tmp_path, "evil", source)
        args = ("check", ".", "--as-of", AS_OF, "-f", "json")

        alone, split = (
            run(*args, "--jobs", n, cwd=folder, env=env) for n in ("1", "2")
        )

        assert 1 == alone.returncode
        assert 3 == split.returncode, split.stderr
        one, report = json.loads(alone.stdout), json.loads(split.stdout)
        assert [] == report["errors"]
        assert [
            (e["rule"], e["engagement"], e["type"]) for e in report["rule_errors"]
        ] == [
            ("EVL901", "x3", "TypeError"),
            *(
                ("EVL902", eid, "AttributeError")
                for eid in ("x1", "x2", "x3", "x4", "y1", "z1")
            ),
        ]
        lock, facts = report["rule_errors"][0], report["rule_errors"][1]
        assert "its evidence cannot be pickled" in lock["message"]
        assert "'_thread.lock'" in lock["message"]
        assert "its facts cannot be pickled" in facts["message"]
        assert "local object '_f.<locals>.<lambda>'" in facts["message"]
        assert "must be plain picklable data" in facts["message"]
        assert "--jobs" in facts["message"]
        others = [f for f in one["findings"] if not f["rule"].startswith("EVL")]
        assert others
        assert others == report["findings"]
        assert "error: rule EVL901 failed on engagement x3" in split.stderr

    def test_a_plugin_failing_to_import_in_the_workers_alone(self, folder, tmp_path):
        """It is a plugin error of the report; the other rules' findings stay."""
        env = plugin_site(tmp_path, "gpu", GPU_PLUGIN)
        args = ("check", ".", "--as-of", AS_OF, "-f", "json")

        alone = run(*args, "--jobs", "1", cwd=folder)
        split = run(*args, "--jobs", "2", cwd=folder, env=env)

        assert 3 == split.returncode, split.stderr
        report = json.loads(split.stdout)
        assert report["plugin_errors"] == [
            {
                "plugin": "gpu",
                "message": "cannot be imported in a worker process (gpu_plugin): "
                "ImportError: no GPU here; its rules (GPU001) did not run: "
                "check without --jobs to run them",
            }
        ]
        assert [] == report["errors"]
        assert json.loads(alone.stdout)["findings"] == report["findings"]
        assert "Warning" not in split.stderr

    def test_a_plugin_failing_to_import_in_the_workers_whose_rules_are_needed(
        self, folder, tmp_path
    ):
        """--select names its rules: the run fails, naming the plugin."""
        env = plugin_site(tmp_path, "gpu", GPU_PLUGIN)

        output = run("check", ".", "--select", "GPU", "-j", "2", cwd=folder, env=env)

        assert 3 == output.returncode
        assert (
            "plugin 'gpu' cannot be imported in a worker process (gpu_plugin): "
            "ImportError: no GPU here"
        ) in output.stderr
        assert "check without --jobs" in output.stderr
        assert "not checked" not in output.stderr
        assert "Traceback" not in output.stderr

    def test_worker_count(self):
        """0 means one worker per usable core; negative numbers are refused."""
        assert 3 == worker_count(3)
        assert worker_count(0) >= 1
        with pytest.raises(ValueError, match=r"--jobs must be 0 \(one per core\)"):
            worker_count(-1)


class _Given:
    """A stand-in for a worker process: records the files it is given."""

    def __init__(self):
        self.tasks = collections.deque()

    def give(self, task):
        self.tasks.append(task)


class TestWorkerPlumbing:
    def test_an_interrupt_is_the_parents_alone(self):
        """Ctrl-C reaches the command, not its workers, which end at once after."""
        import signal
        import time

        setup = jobs._Setup(as_of=AS_OF, config=None, chunk_size=10, titles=False)
        pool = jobs._Pool(setup, [], size=1)
        worker = jobs._Worker(setup)
        pool.workers = [worker]
        assert ("ready", None) == worker.connection.recv()[:2]  # started

        os.kill(worker.process.pid, signal.SIGINT)
        time.sleep(0.3)
        still = worker.process.is_alive()
        began = time.monotonic()
        pool.abort()
        pool.close()

        assert still
        assert not worker.process.is_alive()
        assert time.monotonic() - began < 3  # not the 5 s a lingering one is given

    def test_each_worker_holds_its_next_file(self, files):
        """A worker is given a second file while it checks one, never idle between."""
        tasks = [jobs._Task(index=i, path=str(files[i % len(files)])) for i in range(9)]
        setup = jobs._Setup(as_of=AS_OF, config=None, chunk_size=10, titles=False)
        pool = jobs._Pool(setup, tasks, size=2)
        pool.workers = [_Given(), _Given()]

        pool.fill()

        assert [[0, 1], [2, 3]] == [[t.index for t in w.tasks] for w in pool.workers]
        pool.workers[0].tasks.popleft()  # its first file done...
        pool.fill()
        assert [1, 4] == [t.index for t in pool.workers[0].tasks]
        pool.workers[1].tasks.clear()
        pool.fill()
        # No file goes further than AHEAD per worker past the oldest one not
        # yet written out (here the first).
        assert [5] == [t.index for t in pool.workers[1].tasks]
        assert 2 * jobs.AHEAD == pool.todo[0].index

    def test_a_worker_dead_before_its_next_file_is_replaced(self, monkeypatch):
        """Giving a file to a worker killed since: its files go to a fresh one.

        The pipe to a killed worker is broken; the send failed the whole run
        (BrokenPipeError) instead of replacing the worker.
        """

        class Killed(_Given):
            def __init__(self):
                super().__init__()
                self.dead, self.heard = False, True
                self.process = types.SimpleNamespace(join=lambda: None, exitcode=-9)
                self.connection = types.SimpleNamespace(close=lambda: None)

            def give(self, task):
                self.tasks.append(task)
                raise BrokenPipeError(32, "Broken pipe")

        fresh = _Given()
        monkeypatch.setattr(jobs, "_Worker", lambda _setup: fresh)
        tasks = [jobs._Task(index=i, path=f"f{i}.yaml") for i in range(4)]
        setup = jobs._Setup(as_of=AS_OF, config=None, chunk_size=10, titles=False)
        pool = jobs._Pool(setup, tasks, size=2)
        killed, alive = Killed(), _Given()
        pool.workers = [killed, alive]

        pool.fill()

        assert [alive, fresh] == pool.workers
        assert killed.dead
        assert [0] == [t.index for t in fresh.tasks]  # given once more
        assert [1, 2] == [t.index for t in alive.tasks]
        assert {0: 1} == pool.tries

    def test_sends_in_order_without_waiting_for_the_reader(self):
        """Parts queue up while the parent is busy; they arrive whole and in order."""
        import multiprocessing
        import threading

        here, there = multiprocessing.Pipe()
        sender = jobs._Sender(there)
        big = "x" * (4 * 1024 * 1024)  # far more than a pipe holds
        messages = [("part", n, big) for n in range(jobs.QUEUED + 1)]

        def send_all():
            for message in messages:
                sender.send(message)

        sending = threading.Thread(target=send_all, daemon=True)
        sending.start()
        sending.join(timeout=10)
        assert not sending.is_alive()  # nothing read yet: the sends did not wait

        assert messages == [here.recv() for _ in messages]
        sender.close()

    def test_a_parent_gone_fails_the_next_send(self):
        """Once a send fails, the worker's next send raises instead of queueing."""
        import multiprocessing
        import time

        here, there = multiprocessing.Pipe()
        sender = jobs._Sender(there)
        here.close()
        # The failure comes from the sending thread, after some sends.
        with pytest.raises((BrokenPipeError, ConnectionResetError)):  # noqa: PT012
            for _ in range(200):
                sender.send(("part", 0, "x" * 1024))
                time.sleep(0.01)
        sender.close()
        del sender
        gc.collect()  # nothing left that Python refuses to free (3.13 would say)


class TestUnique:
    def test_later_duplicates_are_dropped_and_reported(self, files):
        """The first engagement of an id stays; the later one is a load error."""
        rules = plugins.get_rules()
        first = check_part(ok.load(files[1]), rules=rules, as_of=AS_OF)
        again = check_part(ok.load(files[1]), rules=rules, as_of=AS_OF)
        unique = Unique()

        kept = list(unique.parts([first, again]))

        assert [("x2",), ()] == [p.ids for p in kept]
        (issue,) = unique.issues
        assert issue.message.startswith("duplicate id `x2`: ids must be unique")


class TestLoadErrorOrder:
    def test_an_id_read_before_is_told_by_how_it_was_made(self, tmp_path, monkeypatch):
        """Its error comes after the files' own, however worded; no other does."""
        (tmp_path / "a.yaml").write_text(
            "engagements:\n  - id: x\n  - {id: y, status: bogus}\n", encoding="utf-8"
        )
        (tmp_path / "b.yaml").write_text("id: x\n", encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        stream = ok.iter_load(["a.yaml", "b.yaml"])
        assert ["x"] == [e.id for e in stream]
        bogus, again = stream.issues
        # Reworded, and sent between processes as a worker sends it.
        reworded = attrs.evolve(again, message="the id `x` is taken", expected="new")
        reworded = pickle.loads(pickle.dumps(reworded))  # noqa: S301 - our own data
        # A file's own error, worded as the error of an id read before.
        lookalike = attrs.evolve(bogus, expected=again.expected)

        whole = list(jobs.in_one_order([[reworded, lookalike]], streamed=False))
        streamed = list(jobs.in_one_order([[reworded, lookalike]], streamed=True))

        assert [
            (
                "a.yaml:3:21: status: expected one of proposed | trial | active "
                "| paused | ended, got 'bogus'"
            ),
            "b.yaml:1:5: id: the id `x` is taken",
        ] == [str(issue) for issue in whole]
        assert [reworded, lookalike] == streamed


try:
    import distributed
except ImportError:  # pragma: no cover - the dask extra is installed in CI
    distributed = None

needs_dask = pytest.mark.skipif(
    distributed is None,
    reason="the dask extra is not installed (pip install 'outsourcekit[dask]')",
)


@pytest.fixture(scope="module")
def cluster():
    """A local cluster of two worker processes, with no installed plugin."""
    before = os.environ.get(plugins.ENV_LOAD_PLUGINS)
    os.environ[plugins.ENV_LOAD_PLUGINS] = ""
    try:
        with (
            distributed.LocalCluster(
                n_workers=2,
                processes=True,
                threads_per_worker=1,
                dashboard_address=":0",
            ) as local,
            distributed.Client(local) as client,
        ):
            yield client
    finally:
        if before is None:
            os.environ.pop(plugins.ENV_LOAD_PLUGINS, None)
        else:
            os.environ[plugins.ENV_LOAD_PLUGINS] = before


def _places(sizes, noun):
    """Return how the items (or rows) of partitions of *sizes* are named.

    The place of the *number*-th (from 1) in the whole collection, and its
    id if given.
    """

    def at(number, eid=None):
        for partition, size in enumerate(sizes):
            if number <= size:
                place = f"partition {partition}, {noun} {number}"
                return place if eid is None else f"{place} (id `{eid}`)"
            number -= size
        raise AssertionError(number)

    return at


@needs_dask
@pytest.mark.usefixtures("cluster")
class TestDask:
    def test_bag_of_paths(self, files):
        """A bag of paths, read by the workers, gives the whole's report."""
        import dask.bag as db

        from outsourcekit.dask import check

        report = check(db.from_sequence(map(str, files), npartitions=3), as_of=AS_OF)

        assert whole(files) == report
        assert [
            ("OSK903", "x1", None),
            ("OSK903", "x2", "Accepted for this year"),
            ("OSK903", "x3", None),
            ("OSK903", "x4", None),
            ("OSK905", "y1", None),
        ] == concentration(report)

    def test_bag_of_dicts(self, files):
        """A bag of engagement dicts gives the report of those engagements."""
        import dask.bag as db

        from outsourcekit.dask import check

        dicts = [ok.to_dict(e) for e in ok.load_all(files)]
        expected = ok.check([ok.from_dict(d) for d in dicts], as_of=AS_OF)

        report = check(db.from_sequence(dicts, npartitions=4), as_of=AS_OF)

        assert expected == report
        assert concentration(whole(files)) == concentration(report)

    @pytest.mark.parametrize("npartitions", [1, 2, 3])
    def test_load_errors_in_the_order_of_load_all(self, tmp_path, npartitions):
        """Ids read again come after the files' own errors, as read: as load_all."""
        import dask.bag as db

        from outsourcekit.dask import check

        texts = {
            "a.yaml": (
                "engagements:\n  - id: zeta\n  - id: alpha\n  - id: zeta\n"
                "  - id: beta\n    bogus: 1\n"
            ),
            "b.yaml": (
                "engagements:\n  - id: gamma\n  - id: gamma\n  - id: alpha\n"
                "  - id: q\n    title: [1]\n"
            ),
            "c.jsonl": '{"id": "gamma"}\n{not json\n{"id": "zeta"}\n{"id": "gamma"}\n',
        }
        paths = []
        for name, text in texts.items():
            paths.append(tmp_path / name)
            paths[-1].write_text(text, encoding="utf-8")
        with pytest.raises(ok.LoadError) as caught:
            ok.load_all(paths)
        also = "ids must be unique, it is also at"

        report = check(
            db.from_sequence(list(map(str, paths)), npartitions=npartitions),
            as_of=AS_OF,
        )

        assert (
            [
                (
                    "a.yaml:6:5: bogus: unknown key `bogus` (keys of your own must "
                    "start with `x-`)"
                ),
                "b.yaml:6:12: title: expected text, got a list ([1])",
                (
                    "c.jsonl:2:2: invalid JSON: Expecting property name enclosed in "
                    "double quotes"
                ),
                f"a.yaml:4:9: id: duplicate id `zeta`: {also} a.yaml:2:9",
                f"b.yaml:3:9: id: duplicate id `gamma`: {also} b.yaml:2:9",
                f"b.yaml:4:9: id: duplicate id `alpha`: {also} a.yaml:3:9",
                f"c.jsonl:1: id: duplicate id `gamma`: {also} b.yaml:2:9",
                f"c.jsonl:3: id: duplicate id `zeta`: {also} a.yaml:2:9",
                f"c.jsonl:4: id: duplicate id `gamma`: {also} b.yaml:2:9",
            ]
            == [str(e).replace(f"{tmp_path}{os.sep}", "") for e in report.errors]
            == [str(e).replace(f"{tmp_path}{os.sep}", "") for e in caught.value.issues]
        )

    @pytest.mark.parametrize("npartitions", [1, 2, 3, 4])
    def test_ids_of_lines_that_do_not_load(self, tmp_path, npartitions):
        """A line that does not load keeps its id, as load_all reads it.

        Named twice, a file's lines are read once: no id of theirs is told
        against itself.
        """
        import dask.bag as db

        from outsourcekit.dask import check

        texts = {
            "a.jsonl": '{"id": "e0"}\n{"id": "e1", "status": 0}\n{"id": "e1"}\n',
            "b.jsonl": '{"id": "e1", "status": 0}\n{"id": "e0", "status": 0}\n',
            "c.yaml": "id: e2\n",
        }
        paths = []
        for name, text in texts.items():
            paths.append(str(tmp_path / name))
            pathlib.Path(paths[-1]).write_text(text, encoding="utf-8")
        paths.insert(2, paths[0])
        with pytest.raises(ok.LoadError) as caught:
            ok.load_all(paths)
        bad = "status: expected one of proposed | trial | active | paused | ended"
        also = "ids must be unique, it is also at"

        report = check(db.from_sequence(paths, npartitions=npartitions), as_of=AS_OF)

        assert [
            f"a.jsonl:2:24: {bad}, got 0 (a number)",
            f"b.jsonl:1:24: {bad}, got 0 (a number)",
            f"b.jsonl:2:24: {bad}, got 0 (a number)",
            f"a.jsonl:3: id: duplicate id `e1`: {also} a.jsonl:2",
            f"b.jsonl:1: id: duplicate id `e1`: {also} a.jsonl:2",
            f"b.jsonl:2: id: duplicate id `e0`: {also} a.jsonl:1",
        ] == [str(e).replace(f"{tmp_path}{os.sep}", "") for e in report.errors]
        assert list(caught.value.issues) == list(report.errors)

    @pytest.mark.parametrize("npartitions", [1, 2, 3])
    def test_ids_of_engagements_that_do_not_load(self, tmp_path, npartitions):
        """An engagement of a portfolio that does not load keeps its id, as alone."""
        import dask.bag as db

        from outsourcekit.dask import check

        paths = []
        for name, text in UNLOADED_FIRST.items():
            paths.append(str(tmp_path / name))
            pathlib.Path(paths[-1]).write_text(text, encoding="utf-8")
        with pytest.raises(ok.LoadError) as caught:
            ok.load_all(paths)

        report = check(db.from_sequence(paths, npartitions=npartitions), as_of=AS_OF)

        assert 12 == len(report.errors)
        assert list(caught.value.issues) == list(report.errors)

    @pytest.mark.parametrize("npartitions", [1, 2, 3, 4])
    def test_a_file_named_twice_is_read_once(self, folder, files, npartitions):
        """Paths naming one file twice (or a folder and a file in it): read once.

        As ``load_all`` reads them. Each engagement of the file was reported
        as a duplicate of itself, and the file's own load errors twice; an id
        that another file has too, and a path that is no file, still are.
        """
        import dask.bag as db

        from outsourcekit.dask import check

        (folder / "f5.yaml").write_text(
            "engagements:\n  - id: q1\n  - id: q2\n    bogus: 1\n  - id: q1\n",
            encoding="utf-8",
        )
        other = folder.parent / "g.yaml"
        other.write_text("id: x1\n", encoding="utf-8")
        again = os.path.join(str(folder), "..", folder.name, "f5.yaml")  # noqa: PTH118
        missing = str(folder / "missing.yaml")
        paths = [
            *map(str, (files[0], folder / "f5.yaml")),
            *(again, missing, str(folder), again, str(other), missing),
        ]
        with pytest.raises(ok.LoadError) as caught:
            ok.load_all(paths)
        loaded, issues = caught.value.loaded, caught.value.issues
        expected = ok.check(loaded, as_of=AS_OF, errors=issues)

        report = check(db.from_sequence(paths, npartitions=npartitions), as_of=AS_OF)

        assert expected == report
        assert [
            ("f5.yaml", 4, "unknown key `bogus`"),
            ("missing.yaml", None, "no such file or directory"),
            ("missing.yaml", None, "no such file or directory"),
            ("f5.yaml", 5, "duplicate id `q1`"),
            ("g.yaml", 1, "duplicate id `x1`"),
        ] == [
            (
                os.path.basename(e.source),  # noqa: PTH119
                e.line,
                e.message.split(":")[0].split(" (")[0],
            )
            for e in report.errors
        ]

    def test_ids_read_again_in_a_later_partition_name_the_first(self):
        """An id a partition has twice, another partition first: both name that one."""
        import dask.bag as db

        from outsourcekit.dask import check

        dicts = [{"id": i} for i in ("a", "b", "c", "b", "a", "a")]

        report = check(db.from_sequence(dicts, npartitions=2), as_of=AS_OF)

        also = "ids must be unique, it is also at partition 0"
        assert [
            (
                "partition 1, item 1 (id `b`), id",
                f"duplicate id `b`: {also}, item 2 (id `b`)",
            ),
            (
                "partition 1, item 2 (id `a`), id",
                f"duplicate id `a`: {also}, item 1 (id `a`)",
            ),
            (
                "partition 1, item 3 (id `a`), id",
                f"duplicate id `a`: {also}, item 1 (id `a`)",
            ),
        ] == [(e.path, e.message) for e in report.errors]

    def test_streams_to_a_sink(self, files):
        """With a sink, every finding goes to it and the report holds none."""
        import dask.bag as db

        from outsourcekit.dask import check

        sink = Sink()
        report = check(
            db.from_sequence(map(str, files), npartitions=2), as_of=AS_OF, sink=sink
        )

        expected = whole(files)
        assert list(expected.findings) == sorted(sink.found, key=lambda f: f.sort_key())
        assert expected.summary == report.summary

    def test_the_setup_goes_into_the_graph_once(self, files, monkeypatch):
        """Rules are pickled as often for 12 partitions as for 2, not per partition."""
        import dask
        import dask.bag as db

        from outsourcekit import dask as ok_dask
        from outsourcekit.engine import Rule

        pickled = collections.Counter()
        reduce = Rule.__reduce_ex__

        def counting(rule, protocol):
            pickled[rule.code] += 1
            return reduce(rule, protocol)

        monkeypatch.setattr(Rule, "__reduce_ex__", counting)
        rules = plugins.get_rules()
        setup = ok_dask._Setup(
            rules=rules, as_of=AS_OF, config=None, chunk_size=10,
            mapping=None, defaults=None, source=None,
        )  # fmt: skip
        counts = []
        for partitions in (2, 12):
            pickled.clear()
            paths = [str(files[i % len(files)]) for i in range(partitions)]
            bag = db.from_sequence(paths, npartitions=partitions)
            dask.base.tokenize(*ok_dask._tasks(dask, bag, setup))
            counts.append(pickled["OSK101"])

        assert counts[0] == counts[1] > 0

    def test_the_parts_are_combined_with_rare_full_collections(self, files):
        """The client piling up every finding does not rescan them all, often."""
        import dask
        import dask.bag as db

        from outsourcekit.dask import check

        class Watching(Sink):
            def findings(self, batch):
                super().findings(batch)
                self.thresholds = gc.get_threshold()

        sink = Watching()
        before = gc.get_threshold()
        with dask.config.set(scheduler="synchronous"):
            check(db.from_sequence(map(str, files), npartitions=2), sink=sink)

        assert FULL_COLLECTION_EVERY <= sink.thresholds[2]
        assert before == gc.get_threshold()

    def test_dataframe_of_rows(self):
        """Rows of a dataframe are engagements, as the tabular importer reads them."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.builtin.importers.tabular import from_records
        from outsourcekit.dask import check

        rows = [
            {"id": f"e{i}", "title": f"T{i}", "status": "active", "vendor": "V"}
            for i in range(9)
        ]
        rows[4]["start"] = "soon"
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=3)
        with pytest.raises(ok.LoadError) as caught:
            from_records(rows, source="crm")
        expected = ok.check(caught.value.loaded, as_of=AS_OF)

        report = check(frame, as_of=AS_OF, source="crm")

        assert expected.findings == report.findings
        assert ["partition 1, row 2, column start"] == [e.path for e in report.errors]

    def test_rows_read_again_in_a_later_partition_name_the_first(self):
        """An id a later partition's row has again names both rows, as dicts do."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [{"id": i, "status": "active"} for i in ("a", "b", "c", "b", "a")]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=2)

        report = check(frame, as_of=AS_OF, source="crm")

        also = "ids must be unique, it is also at partition 0"
        assert [
            (
                "crm",
                "partition 1, row 1 (id `b`), id",
                f"duplicate id `b`: {also}, row 2 (id `b`)",
            ),
            (
                "crm",
                "partition 1, row 2 (id `a`), id",
                f"duplicate id `a`: {also}, row 1 (id `a`)",
            ),
        ] == [(e.source, e.path, e.message) for e in report.errors]
        assert 3 == report.summary["engagements"]

    @pytest.mark.parametrize("npartitions", [1, 2, 3, 7])
    def test_rows_with_an_id_twice_the_same_however_partitioned(self, npartitions):
        """An id two rows that load share is told alike in one partition or many.

        Each row with an id read before names its place and the first row's,
        after every row's own errors, in the order of the rows (as ids read
        again are told); the first row with the id is checked.
        """
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [
            {"id": i, "status": s}
            for i, s in [
                ("a", "active"),
                ("b", "active"),
                ("c", "active"),
                ("b", "active"),
                ("x", "nope"),
                ("a", "active"),
                ("x", "active"),
            ]
        ]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=npartitions)
        at = _places(list(frame.map_partitions(len).compute()), "row")
        bad = "status: expected one of proposed | trial | active | paused | ended"
        also = "ids must be unique, it is also at"

        report = check(frame, as_of=AS_OF, source="crm")

        assert [
            f"crm: {at(5)}, column {bad}, got 'nope'",
            f"crm: {at(4, 'b')}, id: duplicate id `b`: {also} {at(2, 'b')}",
            f"crm: {at(6, 'a')}, id: duplicate id `a`: {also} {at(1, 'a')}",
            f"crm: {at(7, 'x')}, id: duplicate id `x`: {also} {at(5, 'x')}",
        ] == [str(e) for e in report.errors]
        assert ["a", "b", "c", "x"] == sorted(e.id for e in report.engagements)

    def test_rows_from_a_source_named_like_a_file_read_no_file(self, tmp_path):
        """Rows whose source names a file are placed by their rows, never in it.

        Neither a repeated id nor a finding takes a line from that file.
        """
        import dask.bag as db
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.builtin.importers.tabular import from_records
        from outsourcekit.dask import check

        crm = tmp_path / "crm.yaml"
        crm.write_text(
            "id: b\ntitle: Something else\nagreements: []\n", encoding="utf-8"
        )
        rows = [{"id": i, "status": "active"} for i in ("a", "b", "c", "b", "a")]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=2)
        also = "ids must be unique, it is also at partition 0"

        report = check(frame, as_of=AS_OF, source=str(crm))

        assert [
            (
                f"{crm}: partition 1, row 1 (id `b`), id: duplicate id `b`: {also}, "
                "row 2 (id `b`)"
            ),
            (
                f"{crm}: partition 1, row 2 (id `a`), id: duplicate id `a`: {also}, "
                "row 1 (id `a`)"
            ),
        ] == [str(e) for e in report.errors]
        assert report.findings
        assert {(str(crm), None)} == {(f.source, f.line) for f in report.findings}

        # Engagements read from rows, given as they are: placed by their rows.
        engagements = [
            *from_records(rows[:2], source=str(crm)),
            *from_records(rows[1:2], source=str(crm)),
        ]

        report = check(db.from_sequence(engagements, npartitions=2), as_of=AS_OF)

        assert [
            (
                f"{crm}: row 1, id: duplicate id `b`: ids must be unique, it is also "
                f"at {crm}, row 2"
            )
        ] == [str(e) for e in report.errors]

    @pytest.mark.parametrize(
        ("npartitions", "second"),
        [(1, "partition 0, row 2"), (2, "partition 1, row 1")],
    )
    def test_rows_that_do_not_load_the_same_however_partitioned(
        self, npartitions, second
    ):
        """A row that does not load, then one with its id: the same errors in one
        partition as in two, the id told naming both rows (it was told in
        neither).
        """
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [{"id": "a", "status": "nope"}, {"id": "a", "status": "active"}]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=npartitions)

        report = check(frame, as_of=AS_OF)

        assert [
            ("partition 0, row 1, column status", None),
            (
                f"{second} (id `a`), id",
                (
                    "duplicate id `a`: ids must be unique, it is also at "
                    "partition 0, row 1 (id `a`)"
                ),
            ),
        ] == [
            (e.path, e.message if "duplicate" in e.message else None)
            for e in report.errors
        ]
        assert 1 == report.summary["engagements"]

    @pytest.mark.parametrize("npartitions", [1, 2, 3, 7])
    def test_ids_of_dicts_that_do_not_load(self, npartitions):
        """A dict that does not load keeps its id, as a file's engagement does.

        A dict with its id, before or after it, in its partition or another,
        is told naming both items, however the bag is partitioned (it was
        told in none); the first dict with the id to load is checked.
        """
        import dask.bag as db

        from outsourcekit.dask import check

        dicts = [
            {"id": "a", "status": "nope"},
            {"id": "b"},
            {"id": "a"},
            {"id": "b", "status": "nope"},
            {"id": "c", "status": "x"},
            {"id": "c", "status": "y"},
            {"id": "a"},
        ]
        bag = db.from_sequence(dicts, npartitions=npartitions)
        at = _places(bag.map_partitions(lambda items: [len(items)]).compute(), "item")
        bad = "status: expected one of proposed | trial | active | paused | ended"
        also = "ids must be unique, it is also at"

        report = check(bag, as_of=AS_OF)

        assert [
            f"<string>: {at(1, 'a')}, {bad}, got 'nope'",
            f"<string>: {at(4, 'b')}, {bad}, got 'nope'",
            f"<string>: {at(5, 'c')}, {bad}, got 'x'",
            f"<string>: {at(6, 'c')}, {bad}, got 'y'",
            f"<string>: {at(3, 'a')}, id: duplicate id `a`: {also} {at(1, 'a')}",
            f"<string>: {at(4, 'b')}, id: duplicate id `b`: {also} {at(2, 'b')}",
            f"<string>: {at(6, 'c')}, id: duplicate id `c`: {also} {at(5, 'c')}",
            f"<string>: {at(7, 'a')}, id: duplicate id `a`: {also} {at(1, 'a')}",
        ] == [str(e) for e in report.errors]
        assert ["a", "b"] == sorted(e.id for e in report.engagements)

    @pytest.mark.parametrize("npartitions", [1, 2, 3, 6])
    def test_ids_of_dicts_that_do_not_load_beside_files(self, tmp_path, npartitions):
        """An id a dict that does not load shares with a file's line names both."""
        import dask.bag as db

        from outsourcekit.dask import check

        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
        (tmp_path / "b.jsonl").write_text(
            '{"id": "b", "status": "nope"}\n{"id": "c"}\n', encoding="utf-8"
        )
        items = [
            {"id": "c", "status": "nope"},
            str(tmp_path / "a.yaml"),
            {"id": "a", "status": "nope"},
            str(tmp_path / "b.jsonl"),
            {"id": "b"},
        ]
        bag = db.from_sequence(items, npartitions=npartitions)
        at = _places(bag.map_partitions(lambda items: [len(items)]).compute(), "item")
        also = "ids must be unique, it is also at"

        report = check(bag, as_of=AS_OF)

        assert [
            f"{at(3, 'a')}, id: duplicate id `a`: {also} a.yaml:1:5",
            f"b.jsonl:2: id: duplicate id `c`: {also} {at(1, 'c')}",
            f"{at(5, 'b')}, id: duplicate id `b`: {also} b.jsonl:1",
        ] == [
            str(e).replace(f"{tmp_path}{os.sep}", "").replace("<string>: ", "")
            for e in report.errors
            if "duplicate" in e.message
        ]
        assert ["a", "b", "c"] == sorted(e.id for e in report.engagements)

    @pytest.mark.parametrize("npartitions", [1, 2, 3])
    def test_ids_of_rows_that_do_not_load(self, npartitions):
        """A row that does not load keeps its id, as from_records reads it.

        A row with its id, before or after it, in its partition or another,
        is told naming both rows, however the frame is partitioned.
        """
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.builtin.importers.tabular import from_records
        from outsourcekit.dask import check

        rows = [
            {"id": "a", "status": "nope"},
            {"id": "b", "status": "active"},
            {"id": "a", "status": "active"},
            {"id": "b", "status": "nope"},
            {"id": "c", "status": "x"},
            {"id": "c", "status": "y"},
        ]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=npartitions)
        at = _places(list(frame.map_partitions(len).compute()), "row")
        with pytest.raises(ok.LoadError) as caught:
            from_records(rows, source="crm")
        bad = "status: expected one of proposed | trial | active | paused | ended"
        also = "ids must be unique, it is also at"

        report = check(frame, as_of=AS_OF, source="crm")

        assert [
            f"crm: {at(1)}, column {bad}, got 'nope'",
            f"crm: {at(4)}, column {bad}, got 'nope'",
            f"crm: {at(5)}, column {bad}, got 'x'",
            f"crm: {at(6)}, column {bad}, got 'y'",
            f"crm: {at(3, 'a')}, id: duplicate id `a`: {also} {at(1, 'a')}",
            f"crm: {at(4, 'b')}, id: duplicate id `b`: {also} {at(2, 'b')}",
            f"crm: {at(6, 'c')}, id: duplicate id `c`: {also} {at(5, 'c')}",
        ] == [str(e) for e in report.errors]
        assert [("row 3", "a"), ("row 4", "b"), ("row 6", "c")] == [
            (i.path.split(",")[0], i.value)
            for i in caught.value.issues
            if "duplicate" in i.message
        ]
        assert ["a", "b"] == sorted(e.id for e in report.engagements)

    def test_column_problems_are_told_once(self):
        """A column every partition has is named once, without a partition."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [{"id": f"e{i}", "vendr": "V"} for i in range(4)]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=2)

        report = check(frame, as_of=AS_OF)

        (error,) = report.errors
        assert ("row 1, column vendr", "unknown column (did you mean 'vendor'?)") == (
            error.path,
            error.message.split(":")[0],
        )

    def test_columns_named_by_numbers(self):
        """Columns named by numbers are told once, as from_records tells them."""
        import io

        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.builtin.importers.tabular import from_records
        from outsourcekit.dask import check

        sheet = pd.read_csv(io.StringIO("a,x\nb,y\nc,z\nd,w\n"), header=None)
        frame = dd.from_pandas(sheet, npartitions=2)
        with pytest.raises(ok.LoadError) as caught:
            from_records(sheet.to_dict("records"))

        report = check(frame, as_of=AS_OF)

        assert (
            [
                (
                    "<string>: row 1, column 0: expected a column name (text), got 0 "
                    "(a number): name the columns, or map this one with "
                    "mapping={0: 'a.target'}, or to None to ignore it"
                ),
                (
                    "<string>: row 1, column 1: expected a column name (text), got 1 "
                    "(a number): name the columns, or map this one with "
                    "mapping={1: 'a.target'}, or to None to ignore it"
                ),
                (
                    "<string>: row 1: no column gives the engagement's id: expected an "
                    "`id` column, or a mapping such as {'Engagement ID': 'id'}"
                ),
            ]
            == [str(e) for e in report.errors]
            == [str(i) for i in caught.value.issues]
        )
        mapped = check(frame, as_of=AS_OF, mapping={0: "id", 1: "title"})
        assert (4, ()) == (mapped.summary["engagements"], mapped.errors)

    def test_other_collections_are_refused(self):
        """Something that is no bag or dataframe is refused, naming both."""
        from outsourcekit.dask import check

        with pytest.raises(TypeError, match=r"takes a dask\.bag\.Bag .*\(got a list\)"):
            check([1, 2], as_of=AS_OF)

    def test_every_row_error_names_its_partition(self):
        """Rows alike in two partitions are two errors, each naming its partition."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [
            {"id": f"row-{i:03d}", "status": "active", "start": "2026-01-05"}
            for i in range(60)
        ]
        rows[3]["start"] = rows[33]["start"] = "2026-31-04"
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=2)

        report = check(frame, as_of=AS_OF)

        assert [
            (
                "<string>: partition 0, row 4, column start: expected a date in ISO "
                "8601 form, like 2026-03-01, got '2026-31-04' (month must be in 1..12)"
            ),
            (
                "<string>: partition 1, row 4, column start: expected a date in ISO "
                "8601 form, like 2026-03-01, got '2026-31-04' (month must be in 1..12)"
            ),
        ] == [str(e) for e in report.errors]
        assert 58 == report.summary["engagements"]

    def test_column_problems_are_told_once_beside_row_errors(self):
        """A column problem is told once, even with an empty partition; rows apart."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        rows = [{"id": f"e{i}", "vendr": "V", "start": "2026-01-05"} for i in range(6)]
        rows[3]["start"] = rows[5]["start"] = "soon"
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=3)
        frame = frame[~frame["id"].isin(["e0", "e1"])]  # partition 0: no row

        report = check(frame, as_of=AS_OF)

        assert [
            "row 1, column vendr",
            "partition 1, row 2, column start",
            "partition 2, row 2, column start",
        ] == [e.path for e in report.errors]

    def test_errors_of_dicts_name_the_item(self):
        """A dict's load error names its partition, its place in it and its id."""
        import dask.bag as db

        from outsourcekit.dask import check

        dicts = [
            {"id": "a", "status": "actv"},
            {"id": "b"},
            {"id": "c"},
            {"status": "active"},
        ]

        report = check(db.from_sequence(dicts, npartitions=2), as_of=AS_OF)

        assert [
            (
                "<string>: partition 0, item 1 (id `a`), status: expected one of "
                "proposed | trial | active | paused | ended, got 'actv' "
                "(did you mean `active`?)"
            ),
            "<string>: partition 1, item 2, id: missing required key `id` (text)",
        ] == [str(e) for e in report.errors]
        assert 2 == report.summary["engagements"]

    def test_items_neither_paths_nor_dicts_are_load_errors(self, files):
        """An item of another kind is a load error naming it; the others are checked.

        It raised TypeError on its worker, which failed the whole check
        without saying which item it was.
        """
        import dask.bag as db

        from outsourcekit.dask import check

        items = [{"id": "a"}, None, str(files[1]), 3, {"id": "b"}]

        report = check(db.from_sequence(items, npartitions=2), as_of=AS_OF)

        expected = "expected a file path or an engagement dict"
        assert [
            f"<string>: partition 0, item 2: {expected}, got None",
            f"<string>: partition 1, item 1: {expected}, got 3 (a whole number)",
        ] == [str(e) for e in report.errors]
        assert {"a", "b", "x2"} == {e.id for e in report.engagements}

    def test_ids_twice_among_dicts_name_both_items(self):
        """An id two dicts share names where each is, in one partition or two."""
        import dask.bag as db

        from outsourcekit.dask import check

        dicts = [{"id": "a"}, {"id": "b"}, {"id": "a"}, {"id": "c"}, {"id": "b"}]

        report = check(db.from_sequence(dicts, npartitions=2), as_of=AS_OF)

        assert [
            (
                "partition 0, item 3 (id `a`), id",
                (
                    "duplicate id `a`: ids must be unique, it is also at "
                    "partition 0, item 1 (id `a`)"
                ),
            ),
            (
                "partition 1, item 2 (id `b`), id",
                (
                    "duplicate id `b`: ids must be unique, it is also at "
                    "partition 0, item 2 (id `b`)"
                ),
            ),
        ] == [(e.path, e.message) for e in report.errors]
        assert 3 == report.summary["engagements"]


#: How long, in seconds, the tests wait for a stopped worker to start again.
RESTART = 60


def with_two_workers(client):
    """Return once the cluster of *client* has its two workers up.

    A worker stopped by a test starts again (its nanny restarts it) in a
    second or so; on a busy machine its start may time out, and the nanny
    then gives up on it: after RESTART seconds, new workers replace those.
    """
    import time

    try:
        client.wait_for_workers(2, timeout=RESTART)
    except TimeoutError:
        local = client.cluster
        local.scale(0)
        end = time.monotonic() + RESTART
        while local.workers and time.monotonic() < end:
            time.sleep(0.1)
        local.scale(2)
        client.wait_for_workers(2, timeout=RESTART)


def checked_until_workers_stay(client, run):
    """Return *run*'s report, run again once if the cluster lost every worker.

    A partition that stops its worker is tried again alone and stops the
    other worker too; on a busy machine the two may not be back before the
    cluster's no-workers timeout, and the partitions left waiting are then
    not checked (``NoWorkerError``), as the check documents. That is the
    machine's doing, not the check's: the check runs once more, the two
    workers back up.
    """
    report = run()
    if any("NoWorkerError" in str(e) for e in report.errors):
        with_two_workers(client)
        report = run()
    return report


@pytest.fixture(scope="module")
def frail_cluster():
    """A local cluster of two worker processes, whose scheduler retries no task.

    A task whose worker dies is not tried on another worker (the default tries
    it four times, a worker restarting each time), nor is a task that was
    only waiting on that worker. A worker that fails to restart (slow to
    start on a busy machine) could leave the cluster with none, where Dask
    waits for one forever: a task waiting that long fails instead.
    """
    import dask

    before = os.environ.get(plugins.ENV_LOAD_PLUGINS)
    os.environ[plugins.ENV_LOAD_PLUGINS] = ""
    try:
        with (
            dask.config.set(
                {
                    "distributed.scheduler.allowed-failures": 0,
                    "distributed.scheduler.no-workers-timeout": f"{RESTART}s",
                }
            ),
            distributed.LocalCluster(
                n_workers=2,
                processes=True,
                threads_per_worker=1,
                dashboard_address=":0",
            ) as local,
            distributed.Client(local, set_as_default=False) as client,
        ):
            yield client
    finally:
        if before is None:
            os.environ.pop(plugins.ENV_LOAD_PLUGINS, None)
        else:
            os.environ[plugins.ENV_LOAD_PLUGINS] = before


def stopping(eid, how):
    """Return the rules with one that stops its process on engagement *eid*.

    *how*: ``"exit"`` ends the process at once (as a crash or a kill does);
    otherwise the exception class the rule raises.
    """
    from outsourcekit.engine import rule

    @rule(
        code="STP901",
        slug="stops",
        title="Stops",
        category="governance",
        severity="info",
        fix="None.",
    )
    def stops(engagement, ctx):  # noqa: ARG001 - a rule's signature
        if engagement.id == eid:
            if how == "exit":
                os._exit(70)
            raise how
        return ()

    return [*plugins.get_rules(), stops]


@needs_dask
class TestDaskLostPartitions:
    """A partition that stops its worker is reported; every other one is checked."""

    DIED = (
        "not checked: its Dask worker died on each try (KilledWorker; see the "
        "workers' logs)"
    )

    @pytest.fixture(autouse=True)
    def current(self, frail_cluster):
        """Check on the cluster that retries nothing, its two workers back up.

        A worker stopped by the test before may still be restarting (see
        :func:`with_two_workers`).
        """
        with_two_workers(frail_cluster)
        with frail_cluster.as_current():
            yield

    @staticmethod
    def paths_checked(client, files, rules):
        """Return the check of *files* in four partitions of paths, on *client*."""
        import dask.bag as db

        from outsourcekit.dask import check

        return checked_until_workers_stay(
            client,
            lambda: check(
                db.from_sequence(map(str, files), npartitions=4),
                rules=rules,
                as_of=AS_OF,
            ),
        )

    def test_a_path_whose_worker_dies(self, files, frail_cluster):
        """The paths of the partition are not checked; the others' report is whole.

        The portfolio rules decide from the partitions checked, as one process
        over those files.
        """
        rules = stopping("x3", "exit")
        kept = [f for f in files if f.name != "f3.json"]
        expected = ok.check(ok.load_all(kept), rules=rules, as_of=AS_OF)

        report = self.paths_checked(frail_cluster, files, rules)

        assert [f"{files[2]}: {self.DIED}"] == [str(e) for e in report.errors]
        assert [jobs.NotChecked] == [type(e) for e in report.errors]
        assert expected.findings == report.findings
        assert expected.engagements == report.engagements
        # XCo holds 3 of the 6 critical tasks checked: no concentration, and
        # both waivers of it are unused.
        assert [("OSK905", "x2", None), ("OSK905", "y1", None)] == concentration(report)

    def test_a_partition_waiting_on_a_worker_that_died_is_checked(
        self, files, frail_cluster
    ):
        """A partition only waiting on the worker another one stopped is checked.

        The scheduler gives up on both; the first is tried again, alone.
        """
        rules = stopping("x1", "exit")

        report = self.paths_checked(frail_cluster, files, rules)

        assert [f"{files[0]}: {self.DIED}"] == [str(e) for e in report.errors]
        assert ["x2", "x3", "x4", "z1"] == [e.id for e in report.engagements]

    def test_dicts_whose_worker_dies(self, files, frail_cluster):
        """Each dict of the partition is named, with its place and its id."""
        import dask.bag as db

        from outsourcekit.dask import check

        rules = stopping("x3", "exit")
        dicts = [ok.to_dict(e) for e in ok.load_all(files)]
        kept = [ok.from_dict(d) for d in dicts if d["id"] not in {"x2", "x3"}]
        expected = ok.check(kept, rules=rules, as_of=AS_OF)

        report = checked_until_workers_stay(
            frail_cluster,
            lambda: check(
                db.from_sequence(dicts, npartitions=3), rules=rules, as_of=AS_OF
            ),
        )

        assert [
            f"<string>: partition 1, item 1 (id `x2`): {self.DIED}",
            f"<string>: partition 1, item 2 (id `x3`): {self.DIED}",
        ] == [str(e) for e in report.errors]
        assert expected.findings == report.findings
        assert expected.engagements == report.engagements

    def test_rows_whose_worker_dies(self, frail_cluster):
        """The rows of the partition are named once, by their partition."""
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.builtin.importers.tabular import from_records
        from outsourcekit.dask import check

        rules = stopping("e4", "exit")
        rows = [
            {"id": f"e{i}", "title": f"T{i}", "status": "active", "vendor": "V"}
            for i in range(9)
        ]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=3)
        kept = from_records(rows[:3] + rows[6:])
        expected = ok.check(kept, rules=rules, as_of=AS_OF)

        report = checked_until_workers_stay(
            frail_cluster, lambda: check(frame, rules=rules, as_of=AS_OF)
        )

        assert [f"<string>: partition 1, rows 1 to 3: {self.DIED}"] == [
            str(e) for e in report.errors
        ]
        assert expected.findings == report.findings

    def test_a_rule_raising_keyboard_interrupt(self, files):
        """A rule raising KeyboardInterrupt loses its partition alone, saying so.

        The worker is not stopped (as it would be), nor the partition tried
        again on another.
        """
        import dask.bag as db

        from outsourcekit.dask import check

        rules = stopping("x3", KeyboardInterrupt)
        expected = ok.check(ok.load_all(files[:2]), rules=rules, as_of=AS_OF)

        report = check(
            db.from_sequence(map(str, files), npartitions=2), rules=rules, as_of=AS_OF
        )

        told = "not checked: checking it failed: KeyboardInterrupt"
        assert [f"{files[2]}: {told}", f"{files[3]}: {told}"] == [
            str(e) for e in report.errors
        ]
        assert expected.findings == report.findings
        assert expected.engagements == report.engagements

    def test_an_item_raising_system_exit(self):
        """Reading an item that raises SystemExit loses its partition alone."""
        from collections.abc import Mapping

        import dask.bag as db

        from outsourcekit.dask import check

        class Exits(Mapping):
            def __getitem__(self, key):
                if key == "id":
                    return "q"
                raise KeyError(key)

            def __iter__(self):
                raise SystemExit(3)

            def __len__(self):
                return 1

        items = [{"id": "a"}, {"id": "b"}, Exits(), {"id": "c"}]

        report = check(db.from_sequence(items, npartitions=2), as_of=AS_OF)

        told = "not checked: checking it failed: SystemExit: 3"
        assert [
            f"<string>: partition 1, item 1 (id `q`): {told}",
            f"<string>: partition 1, item 2 (id `c`): {told}",
        ] == [str(e) for e in report.errors]
        assert ["a", "b"] == [e.id for e in report.engagements]

    def test_an_interrupt_in_the_client_stops_the_check(self, files):
        """Ctrl-C where the check runs (here: in its sink) stops it, as ever."""
        import dask.bag as db

        from outsourcekit.dask import check

        class Interrupted(Sink):
            def findings(self, batch):  # noqa: ARG002 - a sink's signature
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            check(
                db.from_sequence(map(str, files), npartitions=4),
                as_of=AS_OF,
                sink=Interrupted(),
            )


@needs_dask
def test_dask_cluster_left_without_workers():
    """A cluster with no worker is waited on only as long as Dask is told.

    With ``distributed.scheduler.no-workers-timeout``, each partition waiting
    that long is named not checked, and the check ends.
    """
    import dask
    import dask.bag as db

    from outsourcekit.dask import check

    dicts = [{"id": f"e{i}", "title": "T"} for i in range(4)]
    with (
        dask.config.set({"distributed.scheduler.no-workers-timeout": "0.5s"}),
        distributed.LocalCluster(
            n_workers=0, processes=False, dashboard_address=":0"
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
        client.as_current(),
    ):
        report = check(db.from_sequence(dicts, npartitions=2), as_of=AS_OF)

    told = "not checked: checking it failed: distributed.scheduler.NoWorkerError: "
    assert [("partition 0", told), ("partition 1", told)] == [
        (e.path, e.message[: len(told)]) for e in report.errors
    ]
    assert all("without any running workers" in e.message for e in report.errors)
    assert () == report.engagements


@needs_dask
class TestDaskNamingLostItems:
    """The items of a partition not checked are named, even by a shaken cluster."""

    class Cluster:
        """Runs what it is given at once, failing the first *failures* times."""

        def __init__(self, failures):
            self.failures = failures

        def delayed(self, function, pure):
            assert pure
            return lambda *args: (function, args)

        def compute(self, task):
            if self.failures:
                self.failures -= 1
                raise OSError("the worker is starting again")
            function, args = task
            return (function(*args),)

    @pytest.mark.parametrize(
        ("failures", "named"),
        [
            (0, "partition 1, rows 1 to 3"),
            (2, "partition 1, rows 1 to 3"),
            (3, "partition 1"),
        ],
    )
    def test_tried_again_before_naming_the_partition_alone(self, failures, named):
        from outsourcekit import dask as okdask

        lost = okdask._Result(index=1, parts=[], issues=[], failed="it died")
        [result] = okdask._named(
            self.Cluster(failures), [None, [1, 2, 3]], [lost], rows=True
        )

        assert [(None, named, "not checked: it died")] == [
            (i.source, i.path, i.message) for i in result.issues
        ]


class TestDaskArguments:
    """Arguments are refused as outsourcekit.check refuses them, before any work."""

    @pytest.fixture(autouse=True)
    def nothing_is_scheduled(self, monkeypatch):
        """Fail the test if the partitions' tasks are made."""
        from outsourcekit import dask as okd

        def scheduled(*_args):
            msg = "work was scheduled"
            raise AssertionError(msg)

        monkeypatch.setattr(okd, "_tasks", scheduled)

    @pytest.fixture
    def bag(self, files):
        import dask.bag as db

        return db.from_sequence(map(str, files), npartitions=2)

    @pytest.mark.parametrize(
        ("chunk_size", "error", "message"),
        [
            (0, ValueError, "chunk_size must be at least 1 (got 0)"),
            (-1, ValueError, "chunk_size must be at least 1 (got -1)"),
            ("5", TypeError, "chunk_size must be a whole number (got '5')"),
            (True, TypeError, "chunk_size must be a whole number (got True)"),
        ],
    )
    def test_chunk_size(self, bag, files, chunk_size, error, message):
        from outsourcekit.dask import check

        with pytest.raises(error) as streamed:
            ok.check_stream(
                ok.load_all(files), sink=Sink(), as_of=AS_OF, chunk_size=chunk_size
            )
        with pytest.raises(error) as caught:
            check(bag, as_of=AS_OF, chunk_size=chunk_size)

        assert message == str(caught.value) == str(streamed.value)

    @pytest.mark.parametrize(
        ("given", "error", "message"),
        [
            (
                {"config": {"select": ["OSK1"]}},
                TypeError,
                (
                    "config must be an outsourcekit.Config (Config.from_mapping() "
                    "reads a mapping), got a dict"
                ),
            ),
            (
                {"rules": "OSK1"},
                TypeError,
                (
                    "rules must be a list of Rule objects made with @rule, got "
                    "'OSK1' (text)"
                ),
            ),
            (
                {"as_of": "tomorrow"},
                TypeError,
                "as_of must be a date like 2026-11-22 (got 'tomorrow')",
            ),
            (
                {"as_of": "1800-01-01"},
                ValueError,
                "as_of must be a date from 1900-01-01 to 2999-12-31 (got '1800-01-01')",
            ),
        ],
    )
    def test_as_check_refuses_them(self, bag, files, given, error, message):
        from outsourcekit.dask import check

        given = {"as_of": AS_OF, **given}
        with pytest.raises(error) as whole_check:
            ok.check(ok.load_all(files), **given)
        with pytest.raises(error) as caught:
            check(bag, **given)

        assert message == str(caught.value) == str(whole_check.value)

    def test_sink_without_its_methods(self, bag, files):
        from outsourcekit.dask import check

        class Half:
            def begin(self, as_of, rules):
                pass

            def __repr__(self):
                return "Half()"

        message = (
            "sink must have begin(), findings() and end() (a ReportSink); "
            "Half() has no findings()"
        )
        with pytest.raises(TypeError) as streamed:
            ok.check_stream(ok.load_all(files), sink=Half(), as_of=AS_OF)
        with pytest.raises(TypeError) as caught:
            check(bag, as_of=AS_OF, sink=Half())

        assert message == str(caught.value) == str(streamed.value)

    @pytest.mark.parametrize(
        ("given", "error", "message"),
        [
            (
                {"mapping": ["id"]},
                TypeError,
                (
                    "mapping: expected a mapping of column to target, such as "
                    "{'Engagement ID': 'id'}, got ['id']"
                ),
            ),
            (
                {"mapping": {"title": "titel"}},
                ValueError,
                (
                    "mapping: column 'title' -> 'titel': an engagement has no key "
                    "'titel' (did you mean 'title'?)"
                ),
            ),
            (
                {"defaults": ["x"]},
                TypeError,
                "defaults: expected a mapping (a partial engagement), got ['x']",
            ),
            (
                {"defaults": {"id": "x"}},
                ValueError,
                "defaults: `id` cannot have a default: each row has its own",
            ),
            (
                {"source": 5},
                TypeError,
                (
                    "source: expected text naming where the rows come from, such as "
                    "'crm', got 5"
                ),
            ),
        ],
    )
    def test_options_of_rows(self, given, error, message):
        import dask.dataframe as dd
        import pandas as pd

        from outsourcekit.dask import check

        frame = dd.from_pandas(
            pd.DataFrame([{"id": "a", "title": "A"}, {"id": "b", "title": "B"}]),
            npartitions=2,
        )

        with pytest.raises(error) as caught:
            check(frame, as_of=AS_OF, **given)

        assert message == str(caught.value)

    @pytest.mark.parametrize("name", ["mapping", "defaults", "source"])
    def test_options_of_rows_are_refused_for_a_bag(self, bag, name):
        from outsourcekit.dask import check

        with pytest.raises(TypeError) as caught:
            check(bag, as_of=AS_OF, **{name: {"a": "b"}})

        assert (
            f"{name} is for the rows of a dask.dataframe.DataFrame: a bag's "
            "items are read as they are"
        ) == str(caught.value)


class TestRareFullCollections:
    def test_raised_while_checking_then_restored(self):
        """Full collections wait for many middle ones inside, as before after."""
        before = gc.get_threshold()
        with rare_full_collections():
            inside = gc.get_threshold()

        assert FULL_COLLECTION_EVERY <= inside[2]
        assert before[:2] == inside[:2]
        assert before == gc.get_threshold()

    def test_nested_uses_restore_once_at_the_end(self):
        """An inner use ending (even by an error) leaves the outer one's setting."""
        before = gc.get_threshold()
        with rare_full_collections():
            with pytest.raises(ValueError, match="inner"), rare_full_collections():
                raise ValueError("inner")
            still = gc.get_threshold()

        assert FULL_COLLECTION_EVERY <= still[2]
        assert before == gc.get_threshold()

    def test_combining_parts_raises_them_then_restores(self, files):
        """engine.combine holds every finding: its full collections are rare."""
        from outsourcekit import engine

        class Watching(Sink):
            def findings(self, batch):
                super().findings(batch)
                self.thresholds = gc.get_threshold()

        rules = plugins.get_rules()
        parts = [check_part(ok.load(f), rules=rules, as_of=AS_OF) for f in files]
        sink = Watching()
        before = gc.get_threshold()
        engine.combine(parts, rules=rules, as_of=AS_OF, sink=sink)

        assert FULL_COLLECTION_EVERY <= sink.thresholds[2]
        assert before == gc.get_threshold()

    def test_a_streamed_check_restores_them(self):
        """check_stream leaves the collector's thresholds as it found them."""
        before = gc.get_threshold()
        ok.check_stream(ok.load(ok.examples_path()), sink=Sink(), as_of=AS_OF)

        assert before == gc.get_threshold()


@needs_dask
def test_dask_parts_that_do_not_pickle_name_the_rule(files):
    """A partition's parts travel back without the evidence that cannot."""
    import threading

    from outsourcekit import dask as okd
    from outsourcekit.engine import rule

    @rule(
        code="EVL901",
        slug="lock-evidence",
        title="Lock evidence",
        category="governance",
        severity="warning",
        fix="None.",
    )
    def lock_evidence(engagement, ctx):
        if engagement.id == "x1":
            yield ctx.finding("x", evidence={"x": threading.Lock()})

    rules = [*plugins.get_rules(), lock_evidence]
    parts = okd._Parts([check_part(ok.load_all(files), rules=rules, as_of=AS_OF)])

    (part,) = pickle.loads(pickle.dumps(parts))  # noqa: S301 - our own data

    ((error),) = part.rule_errors
    assert ("EVL901", "x1", "TypeError") == (error.rule, error.engagement, error.type)
    assert "its evidence cannot be pickled" in error.message
    assert [f for f in parts[0].findings if f.rule != "EVL901"] == list(part.findings)


BROKEN_LOAD_HOOK = """\
from outsourcekit.hookspecs import hookimpl

@hookimpl
def outsourcekit_engagement_loaded(engagement):
    raise ValueError("the hook broke")
"""
#: Checks the files named on its command line with Dask's process scheduler,
#: and prints the report's plugin errors.
IN_DASK_PROCESSES = """\
import json
import sys


def main():
    import dask
    import dask.bag as db

    from outsourcekit.dask import check

    paths = sys.argv[1:]
    with dask.config.set(scheduler="processes", num_workers=2):
        report = check(db.from_sequence(paths, npartitions=2), as_of="2026-11-22")
    print(json.dumps([[e.plugin, e.message] for e in report.plugin_errors]))


if __name__ == "__main__":
    main()
"""


@needs_dask
def test_dask_reports_the_plugin_errors_of_its_workers(tmp_path, files):
    """A hook failing where the partitions are read is a plugin error of the report."""
    env = plugin_site(tmp_path, "hooked", BROKEN_LOAD_HOOK)
    script = tmp_path / "in_dask.py"
    script.write_text(IN_DASK_PROCESSES, encoding="utf-8")

    done = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(script), *map(str, files)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )

    assert 0 == done.returncode, done.stderr
    assert [
        ["hooked", "outsourcekit_engagement_loaded raised ValueError: the hook broke"]
    ] == json.loads(done.stdout)


@needs_dask
def test_dask_names_a_rule_that_cannot_be_sent(files):
    """A rule that does not pickle is refused before the check, by its code."""
    import threading

    import dask
    import dask.bag as db

    from outsourcekit import dask as okd
    from outsourcekit.engine import rule

    lock = threading.Lock()

    @rule(
        code="CLO901",
        slug="holds-a-lock",
        title="Holds a lock",
        category="governance",
        severity="info",
        fix="None.",
    )
    def holds_a_lock(engagement, ctx):
        with lock:
            yield ctx.finding(engagement.id)

    bag = db.from_sequence(list(map(str, files)), npartitions=2)
    rules = [*plugins.get_rules(), holds_a_lock]
    with (
        dask.config.set(scheduler="processes"),
        pytest.raises(TypeError) as caught,
    ):
        okd.check(bag, as_of=AS_OF, rules=rules)

    assert (
        "rule CLO901 cannot be sent to the Dask workers: TypeError: cannot pickle "
        "'_thread.lock' object; a rule checked on a cluster must pickle (its "
        "function and what that refers to)"
    ) == str(caught.value)
