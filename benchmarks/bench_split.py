"""A portfolio checked in two worker processes and on Dask, against one process.

Writes a realistic portfolio (``gen_portfolio.py``: the bundled examples
varied, about 5 KB of JSON and 9 findings each) as JSON Lines files of
``--per-file`` engagements, then times, wall clock, median of ``--repeat``
runs:

* ``outsourcekit check DIR --format jsonl --output FILE --quiet`` (the format
  for large portfolios, written as the findings come) with ``--jobs 1`` (the
  baseline) and ``--jobs 2``, in subprocesses, and checks that both write the
  same findings, byte for byte; CPU time is that of every process;
* in this process, ``load_all`` + ``check`` (the baseline) against
  ``outsourcekit.dask.check`` of a bag of the files on a ``LocalCluster`` of
  two worker processes (its start-up not included), and checks that both give
  the same report.

It prints the ratios (baseline time / split time) and the targets: ``--jobs 2``
at least 1.7 times as fast, Dask at least 1.6 times, on two cores.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gen_portfolio import portfolio

import outsourcekit as ok

AS_OF = "2026-11-22"
JOBS_TARGET = 1.7
DASK_TARGET = 1.6


def write_files(folder: Path, count: int, per_file: int) -> list[Path]:
    """Write *count* engagements as JSON Lines files of *per_file* each."""
    files: list[Path] = []
    handle = None
    for number, item in enumerate(portfolio(count)):
        if number % per_file == 0:
            if handle is not None:
                handle.close()
            path = folder / f"part-{number // per_file:04d}.jsonl"
            files.append(path)
            handle = path.open("w", encoding="utf-8")
        handle.write(json.dumps(item) + "\n")
    if handle is not None:
        handle.close()
    return files


def command() -> list[str]:
    found = shutil.which("outsourcekit")
    return [found] if found else [sys.executable, "-m", "outsourcekit"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(folder: Path, jobs: int, output: Path) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one run (workers' CPU included)."""
    args = [
        *command(),
        "check",
        str(folder),
        "--as-of",
        AS_OF,
        "--format",
        "jsonl",
        "--output",
        str(output),
        "--quiet",
        "--jobs",
        str(jobs),
    ]
    cpu = children_cpu()
    began = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False)
    seconds = time.perf_counter() - began
    if done.returncode not in {0, 1}:
        sys.exit(f"outsourcekit check --jobs {jobs} failed:\n{done.stderr.decode()}")
    return seconds, children_cpu() - cpu


def median_of(repeat: int, run) -> float:
    return statistics.median(run() for _ in range(repeat))


def bench_jobs(folder: Path, repeat: int) -> float:
    one, two = folder.parent / "one.jsonl", folder.parent / "two.jsonl"
    runs = [time_cli(folder, 1, one) for _ in range(repeat)]
    base, base_cpu = (statistics.median(x) for x in zip(*runs, strict=True))
    runs = [time_cli(folder, 2, two) for _ in range(repeat)]
    split, split_cpu = (statistics.median(x) for x in zip(*runs, strict=True))
    same = filecmp.cmp(one, two, shallow=False)
    ratio = base / split
    print(f"check, 1 process:        {base:8.2f} s  (CPU {base_cpu:.2f} s)")
    print(
        f"check --jobs 2:          {split:8.2f} s  (CPU {split_cpu:.2f} s, all "
        f"processes; {ratio:.2f}x, target >= {JOBS_TARGET}x; same report: {same})"
    )
    if not same:
        sys.exit("--jobs 2 wrote another report than one process")
    return ratio


def bench_dask(files: list[Path], repeat: int) -> float | None:
    try:
        import dask.bag as db  # noqa: PLC0415 - the optional dask extra
        from distributed import Client, LocalCluster  # noqa: PLC0415 - likewise
    except ImportError:
        print("dask: not installed (pip install 'outsourcekit[dask]'), skipped")
        return None
    from outsourcekit.dask import check as dask_check  # noqa: PLC0415 - needs dask

    def one_process():
        return ok.check(ok.load_all(files), as_of=AS_OF)

    expected = one_process()
    base = median_of(repeat, lambda: timed(one_process)[0])
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        bag = db.from_sequence([str(f) for f in files], npartitions=len(files))
        report = dask_check(bag, as_of=AS_OF)
        split = median_of(
            repeat, lambda: timed(lambda: dask_check(bag, as_of=AS_OF))[0]
        )
    same = report == expected
    ratio = base / split
    print(f"load_all + check:        {base:8.2f} s")
    print(
        f"dask, 2 workers:         {split:8.2f} s  ({ratio:.2f}x, target >= "
        f"{DASK_TARGET}x; same report: {same})"
    )
    if not same:
        sys.exit("Dask gave another report than one process")
    return ratio


def timed(run):
    began = time.perf_counter()
    result = run()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args, _ = parser.parse_known_args()
    print(
        f"bench_split: {args.count} engagements in files of {args.per_file}, "
        f"{os.cpu_count()} cores, median of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "portfolio"
        folder.mkdir()
        files = write_files(folder, args.count, args.per_file)
        bench_jobs(folder, args.repeat)
        bench_dask(files, args.repeat)


if __name__ == "__main__":
    main()
