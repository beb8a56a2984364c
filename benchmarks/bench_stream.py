"""Large portfolios through the command line: CPU time and peak memory.

Writes realistic JSON Lines portfolios (``gen_portfolio.py``: the bundled
examples varied, about 5 KB and 9 findings each) of COUNT / 2 and COUNT
engagements, then runs the path users take on each, in a process of its own:

    outsourcekit check big.jsonl --as-of 2026-11-22 --format jsonl -o out.jsonl

and, for comparison, the load alone (``outsourcekit.iter_load`` consumed).
Prints the CPU seconds and peak resident memory of each process, the check's
CPU per 100,000 engagements against the target (at most 40 s; the cost of
starting, measured on a portfolio of one engagement, left out), its peak
memory against the target (at most 1.5 GB), the ratio of the full check to
the load, and how the peak grew from COUNT / 2 to COUNT engagements. Streamed,
it should hardly grow once both are over the chunk the check holds (2,000
engagements): memory holds a chunk and a few facts per engagement, not the
portfolio.

Usage: python benchmarks/bench_stream.py [--count N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from gen_portfolio import write_jsonl

CPU_TARGET = 40.0  # seconds per 100,000 engagements
MEMORY_TARGET = 1.5e9  # bytes
AS_OF = "2026-11-22"
LOAD_ONLY = "import sys, outsourcekit as ok; sum(1 for _ in ok.iter_load(sys.argv[1]))"


def measured(args: list[str], cwd: Path) -> tuple[float, int]:
    """Run *args* in *cwd*; return its CPU seconds and peak memory in bytes."""
    with Path(os.devnull).open("wb") as null:
        process = subprocess.Popen(args, cwd=cwd, stdout=null)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        msg = f"{args} exited with {process.returncode}"
        raise RuntimeError(msg)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def check(path: Path) -> tuple[float, int]:
    """Return the CPU seconds and peak memory of the command line on *path*."""
    command = [sys.executable, "-m", "outsourcekit", "check", path.name]
    command += ["--as-of", AS_OF, "--format", "jsonl", "-o", "out.jsonl"]
    return measured(command, path.parent)


def load(path: Path) -> tuple[float, int]:
    """Return the CPU seconds and peak memory of reading *path* alone."""
    return measured([sys.executable, "-c", LOAD_ONLY, path.name], path.parent)


def main() -> None:
    """Write the portfolios, run each, and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args, _ = parser.parse_known_args()
    counts = (args.count // 2, args.count)
    peaks = []
    with tempfile.TemporaryDirectory() as folder:
        one = write_jsonl(Path(folder) / "one.jsonl", 1)
        start_cpu, start_peak = check(one)
        start_load, _ = load(one)
        print(f"starting: {start_cpu:.1f} s CPU, {start_peak / 1e6:.0f} MB")
        for count in counts:
            path = write_jsonl(Path(folder) / f"big-{count}.jsonl", count)
            size = path.stat().st_size
            load_cpu, load_peak = load(path)
            check_cpu, check_peak = check(path)
            peaks.append(check_peak)
            per_100k = (check_cpu - start_cpu) * 100_000 / count
            ratio = (check_cpu - start_cpu) / max(load_cpu - start_load, 1e-9)
            print(f"{count:,} engagements, {size / 1e6:.0f} MB of JSON Lines:")
            for what, cpu, peak in (
                ("load alone", load_cpu, load_peak),
                ("check to jsonl", check_cpu, check_peak),
            ):
                print(f"  {what:<15} {cpu:6.1f} s CPU {peak / 1e6:7.0f} MB")
            cpu_verdict = "ok" if per_100k <= CPU_TARGET else "OVER TARGET"
            memory_verdict = "ok" if check_peak <= MEMORY_TARGET else "OVER TARGET"
            print(
                f"  per 100,000: {per_100k:.1f} s CPU (target <= {CPU_TARGET:.0f} s): "
                f"{cpu_verdict}; peak {check_peak / 1e9:.2f} GB "
                f"(target <= {MEMORY_TARGET / 1e9:.1f} GB): {memory_verdict}"
            )
            print(f"  check / load, starting left out: {ratio:.2f}x")
    growth = peaks[1] / peaks[0]
    print(
        f"peak memory at {counts[1]:,} / at {counts[0]:,} engagements: {growth:.2f}x "
        "(streamed: close to 1 above 4,000 engagements)"
    )


if __name__ == "__main__":
    main()
