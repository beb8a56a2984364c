"""Command line against the Python API: checking 10,000 engagement files.

Writes 10,000 engagement files (the bundled examples with new ids, each in its
own format: YAML, JSON or TOML) to a temporary folder, then times

* the installed command, ``outsourcekit check DIR --format json --output
  /dev/null``, in a subprocess (its start-up included), and
* the same work in this process through the Python API: ``load_all`` +
  ``check`` (lines of findings included) + ``Report.to_dict`` + ``json.dumps``.

It prints the medians of wall-clock and of CPU time (the subprocess's user and
system time, this process's for the API) and their ratios; CPU time is what the
target, a ratio of at most 2, is judged on, as it does not depend on what else
the machine is doing.
"""

from __future__ import annotations

import argparse
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

import attrs

from outsourcekit import check, load_all
from outsourcekit.examples import examples_path
from outsourcekit.io import dumps, load

TARGET = 2.0
AS_OF = "2026-11-22"
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


def write_engagements(folder: Path, count: int) -> None:
    """Write *count* engagement files, copies of the examples with unique ids."""
    templates = []
    for path in sorted(examples_path().iterdir()):
        fmt = FORMATS.get(path.suffix)
        loaded = load(path) if fmt else None
        if loaded is not None and not isinstance(loaded, list):
            templates.append((loaded, fmt, path.suffix))
    for i in range(count):
        engagement, fmt, suffix = templates[i % len(templates)]
        copy = attrs.evolve(engagement, id=f"{engagement.id}-{i:05d}")
        (folder / f"{copy.id}{suffix}").write_text(
            dumps(copy, format=fmt), encoding="utf-8"
        )


def command() -> list[str]:
    found = shutil.which("outsourcekit")
    return [found] if found else [sys.executable, "-m", "outsourcekit"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_cli(folder: Path) -> tuple[float, float]:
    args = [
        *command(),
        "check",
        str(folder),
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--output",
        os.devnull,
    ]
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        msg = f"outsourcekit check exited with {done.returncode}"
        raise SystemExit(msg)
    return seconds, children_cpu() - cpu


def time_api(folder: Path) -> tuple[float, float]:
    cpu = time.process_time()
    start = time.perf_counter()
    report = check(load_all([folder]), as_of=AS_OF)
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    seconds = time.perf_counter() - start
    assert text
    return seconds, time.process_time() - cpu


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        statistics.median(wall for wall, _ in runs),
        statistics.median(cpu for _, cpu in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_engagements(folder, args.count)
        print(
            f"wrote {args.count} engagement files in "
            f"{time.perf_counter() - started:.1f} s"
        )
        api_wall, api_cpu = medians([time_api(folder) for _ in range(args.repeats)])
        cli_wall, cli_cpu = medians([time_cli(folder) for _ in range(args.repeats)])
    print(
        "Python API (load_all + check + to_dict + json.dumps): "
        f"{api_wall:.2f} s wall, {api_cpu:.2f} s CPU (medians)"
    )
    print(
        "outsourcekit check --format json --output /dev/null: "
        f"{cli_wall:.2f} s wall, {cli_cpu:.2f} s CPU (medians)"
    )
    ratio = cli_cpu / api_cpu
    verdict = "ok" if ratio <= TARGET else "over the target"
    print(
        f"ratio {ratio:.2f} in CPU time, {cli_wall / api_wall:.2f} in wall time "
        f"(target <= {TARGET}): {verdict}"
    )


if __name__ == "__main__":
    main()
