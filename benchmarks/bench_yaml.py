"""YAML against JSON: loading a portfolio, and finding the lines of its findings.

Builds a realistic portfolio from the bundled examples (their ids varied, about
9 findings each) and writes the same COUNT engagements twice: as YAML, the way
:func:`outsourcekit.dump` writes it, and as JSON indented as ``json.dumps(indent=2)``
writes it. Then, interleaved, with the garbage collector paused and in CPU
time, medians of REPEATS runs:

* loading: :func:`outsourcekit.load` of the YAML file against the same of the
  JSON file. The target is at most 3 times;
* the lines of findings, for each format: :func:`outsourcekit.check` (the check
  and then the line of every finding, found in its file) against
  :func:`outsourcekit.engine.check` with the same rules (no lines). The target is
  at most 1.3 times.

Usage: python benchmarks/bench_yaml.py [--count N] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from bench_load_check import AS_OF, engagement_data, timed

import outsourcekit as ok
from outsourcekit import engine, plugins

LOAD_TARGET = 3.0
LINES_TARGET = 1.3


def write_portfolios(folder: Path, count: int) -> dict[str, Path]:
    """Write the same portfolio as YAML and as JSON; return the files by format."""
    document = {"outsourcekit": 1, "engagements": engagement_data(count)}
    engagements = ok.loads(json.dumps(document), "json")
    paths = {"YAML": folder / "portfolio.yaml", "JSON": folder / "portfolio.json"}
    ok.dump(engagements, paths["YAML"])
    paths["JSON"].write_text(
        json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return paths


def medians(runs: dict[str, object], repeats: int) -> dict[str, float]:
    """Return the median CPU seconds of each of *runs*, run interleaved."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(timed(run))
    return {name: statistics.median(values) for name, values in times.items()}


def verdict(ratio: float, target: float) -> str:
    """Return whether *ratio* is within *target*."""
    return "ok" if ratio <= target else "OVER TARGET"


def compare_loads(paths: dict[str, Path], repeats: int) -> float:
    """Print the load of each format; return YAML's over JSON's."""
    found = medians(
        {name: lambda p=p: ok.load(p) for name, p in paths.items()}, repeats
    )
    count = len(ok.load(paths["JSON"]))
    for name, seconds in found.items():
        size = paths[name].stat().st_size / 1e6
        print(
            f"  load {name:4s} {size:5.1f} MB {seconds * 1e3:8.0f} ms "
            f"{seconds * 1e6 / count:7.1f} µs each"
        )
    ratio = found["YAML"] / found["JSON"]
    print(
        f"  YAML load / JSON load: {ratio:.2f}x (target <= {LOAD_TARGET:.0f}x): "
        f"{verdict(ratio, LOAD_TARGET)}"
    )
    return ratio


def compare_lines(name: str, path: Path, repeats: int) -> float:
    """Print a check with and without lines for *path*; return the ratio."""
    rules = plugins.get_rules()
    engagements = ok.load(path)
    runs = {
        "without lines": lambda: engine.check(engagements, as_of=AS_OF, rules=rules),
        "with lines": lambda: ok.check(engagements, as_of=AS_OF),
    }
    report = ok.check(engagements, as_of=AS_OF)
    findings = len(report.findings)
    located = sum(f.line is not None for f in report.findings)
    del report
    found = medians(runs, repeats)
    without, with_lines = found["without lines"], found["with lines"]
    ratio = with_lines / without
    print(
        f"  {name}: {findings:,} findings ({located:,} with a line); check "
        f"{without * 1e3:.0f} ms without lines, {with_lines * 1e3:.0f} ms with: "
        f"{ratio:.2f}x (target <= {LINES_TARGET}x): {verdict(ratio, LINES_TARGET)}"
    )
    return ratio


def main() -> None:
    """Write the portfolios, then time loading and checking them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    args, _ = parser.parse_known_args()
    ok.check(ok.from_dict({"id": "warm-up"}), as_of=AS_OF)  # load the plugins
    with tempfile.TemporaryDirectory() as folder:
        paths = write_portfolios(Path(folder), args.count)
        print(
            f"{args.count:,} engagements, medians of {args.repeats} runs, "
            "CPU time, collector paused"
        )
        load = compare_loads(paths, args.repeats)
        lines = {
            name: compare_lines(name, path, args.repeats)
            for name, path in paths.items()
        }
    print(
        f"YAML load / JSON load {load:.2f}x; with lines / without: "
        + ", ".join(f"{name} {ratio:.2f}x" for name, ratio in lines.items())
    )


if __name__ == "__main__":
    main()
