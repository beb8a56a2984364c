"""A run whose stdout its reader closes early (``| head``) stops, silent, with 141."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cli_support import AS_OF, example, script

from outsourcekit import _api, _jobs, cli, plugins, to_dict
from outsourcekit.examples import examples_path
from outsourcekit.io import load

#: The status of a command that SIGPIPE ended (128 + 13), as a shell reports it.
CLOSED = 141
#: How many engagements the portfolio holds, and how many a chunk of a
#: streamed check: a closed stdout stops the check within a few chunks.
COUNT = 400
CHUNK = 10
#: The formats a check writes streamed: a line at a time, or (JSON
#: documents) at the end, the findings kept aside until then.
LINES = ["jsonl", "csv", "concise", "github"]
DOCUMENTS = ["json", "sarif"]
STREAMED = [*LINES, *DOCUMENTS]
#: Some formats a check writes whole.
WHOLE = ["text", "junit", "markdown", "html", "gitlab"]

#: A rule that notes each engagement it checks, and the process checking it.
COUNTING_RULE = textwrap.dedent(
    """\
    import os

    from outsourcekit.engine import rule
    from outsourcekit.hookspecs import hookimpl

    @rule(code="TST970", slug="counted", title="t", category="governance",
          severity="info", fix="f")
    def counted(engagement, ctx):
        with open("checked.log", "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {engagement.id}\\n")
        return ()

    @hookimpl
    def outsourcekit_register_rules():
        return [counted]
    """
)
#: Makes every check of a process streamed, in small chunks.
STREAMING = textwrap.dedent(
    f"""\
    from outsourcekit import _api, _jobs, cli

    cli.STREAM_BYTES = 0
    _api.checked_stream.__kwdefaults__["chunk_size"] = {CHUNK}
    _jobs.check_files.__kwdefaults__["chunk_size"] = {CHUNK}
    """
)


@pytest.fixture
def portfolio(tmp_path):
    """COUNT engagements, the bundled examples' with other ids, one a line."""
    examples = [to_dict(e) for e in load(examples_path())]
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as file:
        for number in range(COUNT):
            item = examples[number % len(examples)]
            file.write(json.dumps({**item, "id": f"{item['id']}-{number}"}) + "\n")
    return path


@pytest.fixture
def counting(site):
    """The environment of a subprocess with the counting rule installed."""
    return site(counting=COUNTING_RULE)


@pytest.fixture
def streaming(tmp_path, counting):
    """The environment of a subprocess whose checks are streamed in small chunks."""
    folder = tmp_path / "streaming"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(STREAMING, encoding="utf-8")
    return {**counting, "PYTHONPATH": f"{folder}{os.pathsep}{counting['PYTHONPATH']}"}


@pytest.fixture
def small_chunks(monkeypatch):
    """Make every check of this process streamed, in small chunks."""
    monkeypatch.setattr(cli, "STREAM_BYTES", 0)
    monkeypatch.setitem(_api.checked_stream.__kwdefaults__, "chunk_size", CHUNK)
    monkeypatch.setitem(_jobs.check_files.__kwdefaults__, "chunk_size", CHUNK)


def checked(folder: Path) -> list[tuple[int, str]]:
    """The processes and engagements the counting rule checked, in *folder*."""
    log = folder / "checked.log"
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [(int(pid), eid) for pid, eid in (line.split(" ", 1) for line in lines)]


def environment(
    env: dict[str, str] | None, *, unbuffered: bool = False
) -> dict[str, str]:
    """The environment of a subprocess: no installed plugin, no colour settings.

    Its stdout is buffered, as by default; with *unbuffered*, it is not
    (``PYTHONUNBUFFERED``, as container images often set it).
    """
    merged = {**os.environ, plugins.ENV_LOAD_PLUGINS: "", **(env or {})}
    merged.pop("NO_COLOR", None)
    merged.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        merged["PYTHONUNBUFFERED"] = "1"
    return merged


def read_one_line(
    *args: object,
    cwd: Path,
    env: dict[str, str] | None = None,
    unbuffered: bool = False,
) -> tuple[int, bytes, str]:
    """Run the command, read a line of its stdout and close it, as ``| head -1``.

    Return the exit status, the line and stderr. With *unbuffered*, the
    command's stdout is unbuffered.
    """
    with (cwd / "stderr.txt").open("w+b") as errors:
        process = subprocess.Popen(  # noqa: S603 - our own console script
            [*script(), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=environment(env, unbuffered=unbuffered),
            cwd=cwd,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        process.stdout.close()
        status = process.wait(timeout=300)
        errors.seek(0)
        return status, line, errors.read().decode()


def closed_from_start(
    *args: object, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command with a stdout whose reader has already gone."""
    reading, writing = os.pipe()
    os.close(reading)
    try:
        return subprocess.run(  # noqa: S603 - our own console script
            [*script(), *map(str, args)],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(env),
            cwd=cwd,
            timeout=300,
            check=False,
        )
    finally:
        os.close(writing)


@pytest.fixture
def closed_stdout():
    """A text file on a pipe whose reader has already gone."""
    reading, writing = os.pipe()
    os.close(reading)
    stdout = io.TextIOWrapper(open(writing, "wb"), encoding="utf-8")  # noqa: PTH123, SIM115
    yield stdout
    with contextlib.suppress(BrokenPipeError):  # what it holds cannot be written
        stdout.close()


def run_here(stdout: io.TextIOWrapper, *args: object) -> int | str | None:
    """Run the command line in this process writing *stdout*; return its status."""
    saved, sys.stdout = sys.stdout, stdout
    try:
        with pytest.raises(SystemExit) as exited:
            cli.main([str(a) for a in args])
    finally:
        sys.stdout = saved
    return exited.value.code


class TestStreamedCheck:
    @pytest.mark.parametrize("fmt", LINES)
    def test_stops_at_once(self, portfolio, streaming, tmp_path, fmt):
        """The check stops where stdout closed, prints nothing more, exits 141."""
        status, line, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt,
            cwd=tmp_path, env=streaming,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert line
        assert 0 < len(checked(tmp_path)) < COUNT // 4

    @pytest.mark.parametrize("fmt", DOCUMENTS)
    def test_documents(self, portfolio, streaming, tmp_path, fmt):
        """A JSON document, written at the end, stops there silent with 141 too."""
        status, line, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt,
            cwd=tmp_path, env=streaming,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert b"{\n" == line

    @pytest.mark.parametrize("fmt", ["jsonl", "csv"])
    def test_workers_end(self, portfolio, streaming, tmp_path, fmt):
        """With --jobs 2 the workers are ended too: none checks on after the exit."""
        status, _, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt, "--jobs", 2,
            cwd=tmp_path, env=streaming,
        )  # fmt: skip
        workers = {pid for pid, _ in checked(tmp_path)}

        assert (CLOSED, "") == (status, errors)
        assert 0 < len(checked(tmp_path)) < COUNT // 2
        assert [] == [pid for pid in workers if _alive(pid)]

    def test_outputs_left_as_they_were(self, portfolio, streaming, tmp_path):
        """An --output file of a run whose stdout closed keeps the earlier report."""
        (tmp_path / "r.json").write_text("OLD", encoding="utf-8")

        status, _, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", "jsonl",
            "-o", "r.json", "-o", "jsonl:r.jsonl",
            cwd=tmp_path, env=streaming,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert "OLD" == (tmp_path / "r.json").read_text(encoding="utf-8")
        assert [] == sorted(p.name for p in tmp_path.glob("r.*") if p.suffix != ".json")
        assert [] == sorted(p.name for p in tmp_path.glob(".r.*"))

    @pytest.mark.parametrize("fmt", ["jsonl", "json"])
    def test_unbuffered(self, portfolio, streaming, tmp_path, fmt):
        """An unbuffered stdout closed early stops a streamed check with 141 too."""
        status, line, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt,
            cwd=tmp_path, env=streaming, unbuffered=True,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert line


class TestWholeCheck:
    @pytest.mark.parametrize("jobs", [1, 2])
    @pytest.mark.parametrize("fmt", ["text", "jsonl"])
    def test_exits_141(self, portfolio, counting, tmp_path, fmt, jobs):
        """A whole report whose stdout closes prints nothing more and exits 141."""
        status, line, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt, "--jobs", jobs,
            cwd=tmp_path, env=counting,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert line

    @pytest.mark.parametrize("fmt", [*WHOLE, *STREAMED])
    def test_every_format(self, tmp_path, fmt):
        """Every format exits 141 when stdout is already closed."""
        done = closed_from_start(
            "check", examples_path(), "--as-of", AS_OF, "--format", fmt, cwd=tmp_path
        )

        assert (CLOSED, "") == (done.returncode, done.stderr)

    @pytest.mark.parametrize("fmt", [*WHOLE, *STREAMED])
    def test_unbuffered(self, portfolio, tmp_path, fmt):
        """An unbuffered stdout (PYTHONUNBUFFERED) closed mid-report exits 141.

        The report, larger than a pipe holds, is written at once: its reader
        leaving cuts that write short, which is an error all the same.
        """
        status, line, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", fmt,
            cwd=tmp_path, unbuffered=True,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)
        assert line

    def test_unbuffered_exit_zero(self, portfolio, tmp_path):
        """--exit-zero leaves the status of a closed stdout 141."""
        status, _, errors = read_one_line(
            "check", portfolio, "--as-of", AS_OF, "--format", "jsonl", "--exit-zero",
            cwd=tmp_path, unbuffered=True,
        )  # fmt: skip

        assert (CLOSED, "") == (status, errors)


class TestOtherCommands:
    @pytest.mark.parametrize(
        "args",
        [
            ["rules"],
            ["rules", "--format", "json"],
            ["schema"],
            ["explain", "OSK101"],
            ["plugins"],
            ["import", Path(__file__).parents[1] / "data" / "trello" / "board.json"],
            ["--help"],
            ["check", "--help"],
            ["--version"],
        ],
        ids=lambda args: " ".join(str(a) for a in args if not isinstance(a, Path)),
    )
    def test_exit_141(self, tmp_path, args):
        """Every command writing to a closed stdout exits 141, printing nothing."""
        done = closed_from_start(*args, cwd=tmp_path)

        assert (CLOSED, "") == (done.returncode, done.stderr)


class TestUnbufferedImport:
    def test_exit_141(self, tmp_path):
        """An import printed to an unbuffered stdout closed early exits 141."""
        rows = "".join(f"e{n},Client {n},Vendor {n}\n" for n in range(3000))
        table = tmp_path / "engagements.csv"
        table.write_text(f"id,client,vendor\n{rows}", encoding="utf-8")

        status, line, errors = read_one_line(
            "import", table, cwd=tmp_path, unbuffered=True
        )

        assert (CLOSED, "") == (status, errors)
        assert b"engagements:\n" == line


class _ShortWrites(io.RawIOBase):
    """An unbuffered stdout that takes at most *most* bytes a write, as a pipe may.

    With *gone*, its reader leaves once it has some: the next write fails.
    """

    def __init__(self, most: int, *, gone: bool = False) -> None:
        self.most = most
        self.gone = gone
        self.taken = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.gone and self.taken:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")
        taken = bytes(data[: self.most])
        self.taken += taken
        return len(taken)


def unbuffered(raw: _ShortWrites) -> io.TextIOWrapper:
    """A text stdout writing straight to *raw*, as ``python -u`` makes it."""
    return io.TextIOWrapper(raw, encoding="utf-8", write_through=True)  # type: ignore[arg-type]


class TestShortWrites:
    @pytest.mark.parametrize("fmt", ["jsonl", "text"])
    def test_nothing_lost(self, capsys, fmt):
        """A report that stdout takes a piece at a time is written whole."""
        args = ["check", examples_path(), "--as-of", AS_OF, "--format", fmt]
        whole = io.BytesIO()
        run_here(io.TextIOWrapper(whole, encoding="utf-8", write_through=True), *args)
        raw = _ShortWrites(100)

        status = run_here(unbuffered(raw), *args)

        assert (1, "") == (status, capsys.readouterr().err)
        assert len(whole.getvalue()) > 10_000
        assert whole.getvalue().decode() == raw.taken.decode()

    def test_reader_gone(self, capsys):
        """A write cut short, then failing, as the reader left: 141."""
        raw = _ShortWrites(100, gone=True)

        status = run_here(unbuffered(raw), "check", examples_path(), "-f", "jsonl")

        assert (CLOSED, "") == (status, capsys.readouterr().err)
        assert 100 == len(raw.taken)


class TestInProcess:
    @pytest.mark.usefixtures("counting", "small_chunks")
    @pytest.mark.parametrize("jobs", [1, 2])
    def test_streamed(self, portfolio, closed_stdout, capsys, tmp_path, jobs):
        """A streamed check stops at the first chunk whose findings cannot go out."""
        status = run_here(
            closed_stdout,
            "check", portfolio, "--as-of", AS_OF, "--format", "jsonl", "--jobs", jobs,
        )  # fmt: skip

        assert (CLOSED, "") == (status, capsys.readouterr().err)
        assert 0 < len(checked(tmp_path)) < COUNT // 2

    @pytest.mark.parametrize("args", [["check", example()], ["rules"], ["--help"]])
    def test_whole(self, closed_stdout, capsys, args):
        """A report, a listing or the help written to a closed stdout exits 141."""
        status = run_here(closed_stdout, *args)

        assert (CLOSED, "") == (status, capsys.readouterr().err)

    def test_nothing_left_to_write(self, closed_stdout, capsys):
        """What stdout still holds goes nowhere: the exit reports no broken pipe."""
        run_here(closed_stdout, "check", example(), "--format", "jsonl")
        closed_stdout.write("more\n")
        closed_stdout.flush()

        assert "" == capsys.readouterr().err


def _alive(pid: int) -> bool:
    """Whether the process *pid* still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
class TestFullDisk:
    @pytest.mark.parametrize(
        "args",
        [
            ["check", example(), "--as-of", AS_OF],
            ["check", example(), "--as-of", AS_OF, "--format", "jsonl"],
            ["rules"],
            ["schema"],
        ],
        ids=lambda args: " ".join(str(a) for a in args if not isinstance(a, Path)),
    )
    def test_says_so(self, tmp_path, args):
        """Output that cannot be written (a full disk) is an error, no traceback."""
        with Path("/dev/full").open("wb") as full:
            done = subprocess.run(  # noqa: S603 - our own console script
                [*script(), *map(str, args)],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=environment(None),
                cwd=tmp_path,
                timeout=300,
                check=False,
            )

        assert (
            2,
            "Error: the output cannot be written: No space left on device\n",
        ) == (
            done.returncode,
            done.stderr,
        )

    @pytest.mark.parametrize(
        ("fmt", "jobs"),
        [*((fmt, 1) for fmt in STREAMED), ("jsonl", 2)],
    )
    def test_streamed(self, portfolio, streaming, tmp_path, fmt, jobs):
        """A streamed check says so too, and leaves its --output files as they were."""
        report = tmp_path / "out.json"
        report.write_text("earlier\n", encoding="utf-8")
        with Path("/dev/full").open("wb") as full:
            done = subprocess.run(  # noqa: S603 - our own console script
                [
                    *script(),
                    *map(str, ["check", portfolio, "--as-of", AS_OF, "-q"]),
                    *map(str, ["--format", fmt, "--jobs", jobs, "-o", report]),
                ],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env=environment(streaming),
                cwd=tmp_path,
                timeout=300,
                check=False,
            )

        assert (
            2,
            "Error: the output cannot be written: No space left on device\n",
            "earlier\n",
            [report],
        ) == (
            done.returncode,
            done.stderr,
            report.read_text(encoding="utf-8"),
            sorted(tmp_path.glob("*out.json*")),
        )

    @pytest.mark.usefixtures("small_chunks")
    def test_full_temporary_folder_is_the_formats(self, portfolio, capsys, monkeypatch):
        """A format whose temporary file cannot be written fails: stdout is fine."""
        from outsourcekit.builtin.exporters import _stream

        def full(*_args):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(_stream.Spool, "add", full)

        status = run_here(
            io.StringIO(), "check", portfolio, "--as-of", AS_OF, "--format", "json"
        )

        assert (
            3,
            (
                "error: format 'json' (plugin outsourcekit.builtin.exporters) failed: "
                "OSError: [Errno 28] No space left on device"
            ),
        ) == (status, capsys.readouterr().err.splitlines()[0])
