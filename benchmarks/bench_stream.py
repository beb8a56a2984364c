"""Large portfolios through the command line: CPU time and peak memory.

Writes realistic JSON Lines portfolios (``gen_portfolio.py``: the bundled
examples varied, about 5 KB and 9 findings each) of COUNT / 2 and COUNT
engagements, then runs the path users take on each, in a process of its own:

    outsourcekit check big.jsonl --as-of 2026-11-22 --format jsonl -o out.jsonl

and, for comparison, the load alone (``outsourcekit.iter_load`` consumed).
Prints the CPU seconds and peak resident memory of each process, the check's
CPU per 100,000 engagements against the target (at most 40 s; the cost of
starting, measured on a portfolio of one engagement, left out), its peak
memory against the target (at most 1.5 GB), the ratio of the whole command to
the load alone, and how the peak grew from COUNT / 2 to COUNT engagements.
Streamed, it should hardly grow once both are over the chunk the check holds
(2,000 engagements): memory holds a chunk and a few facts per engagement, not
the portfolio.

Then the full check against the load, each a step of its own as an
application takes them: in one process, ``outsourcekit.load`` of the COUNT
portfolio, then ``outsourcekit.check`` of what it read (the whole catalogue,
lines of findings included). Each of REPEATS fresh processes times both once,
so that nothing either step remembers carries over to the next run; the
median of their ratios is judged against the target (at most 2).

Usage: python benchmarks/bench_stream.py [--count N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from gen_portfolio import write_jsonl

CPU_TARGET = 40.0  # seconds per 100,000 engagements
MEMORY_TARGET = 1.5e9  # bytes
CHECK_TARGET = 2.0  # the full check / the load
AS_OF = "2026-11-22"
LOAD_ONLY = "import sys, outsourcekit as ok; sum(1 for _ in ok.iter_load(sys.argv[1]))"
#: Prints the CPU seconds of loading the portfolio, then of checking it.
LOAD_THEN_CHECK = """
import sys, time, outsourcekit as ok
began = time.process_time()
engagements = ok.load(sys.argv[1])
loaded = time.process_time()
report = ok.check(engagements, as_of=sys.argv[2])
print(loaded - began, time.process_time() - loaded, len(report.findings))
"""


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


def steps(path: Path, repeats: int) -> tuple[float, float, float, int]:
    """Return the median CPU seconds of the load, of the check, their ratio's median.

    And the number of findings. Each of *repeats* fresh processes loads *path*
    and checks what it read, timing each step.
    """
    command = [sys.executable, "-c", LOAD_THEN_CHECK, path.name, AS_OF]
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            command, cwd=path.parent, capture_output=True, text=True, check=True
        )
        loaded, checked, findings = out.stdout.split()
        runs.append((float(loaded), float(checked), int(findings)))
    load_cpu = statistics.median(r[0] for r in runs)
    check_cpu = statistics.median(r[1] for r in runs)
    ratio = statistics.median(r[1] / r[0] for r in runs)
    return load_cpu, check_cpu, ratio, runs[0][2]


def main() -> None:
    """Write the portfolios, run each, and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
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
            print(f"  the command / the load alone, starting left out: {ratio:.2f}x")
        growth = peaks[1] / peaks[0]
        print(
            f"peak memory at {counts[1]:,} / at {counts[0]:,} engagements: "
            f"{growth:.2f}x (streamed: close to 1 above 4,000 engagements)"
        )
        load_cpu, check_cpu, ratio, findings = steps(path, args.repeats)
        verdict = "ok" if ratio <= CHECK_TARGET else "OVER TARGET"
        print(
            f"{counts[1]:,} engagements loaded, then checked, in one process "
            f"(medians of {args.repeats} processes):"
        )
        print(f"  ok.load                {load_cpu:6.1f} s CPU")
        print(
            f"  ok.check, all rules    {check_cpu:6.1f} s CPU  ({findings:,} findings)"
        )
        print(
            f"  the full check / the load: {ratio:.2f}x "
            f"(target <= {CHECK_TARGET:.0f}x): {verdict}"
        )


if __name__ == "__main__":
    main()
