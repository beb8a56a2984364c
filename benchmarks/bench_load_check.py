"""Lines of findings: a check that finds them against the same check without.

Builds realistic portfolios on disk from the bundled examples (their ids varied,
about 9 findings each): COUNT engagements as one JSON portfolio indented as
``json.dumps(indent=2)`` writes it, the same with one engagement per line, the
same on a single line, and COUNT / 10 as a YAML portfolio. Each file is loaded
with :func:`outsourcekit.load`, then, interleaved and with the garbage collector
paused and in CPU time:

* the check without lines: :func:`outsourcekit.engine.check` with the
  registered rules, whose findings name their file but no line;
* the check with lines: :func:`outsourcekit.check`, the same check and then the
  line of every finding, found in its file after the rules ran.

The target is at most 1.3 times the check without lines. Then the memory an
engagement keeps once loaded (tracemalloc), against the same engagements built
from the same data with no origin at all (target: at most 1.5 times), and what
it keeps once its findings have their lines.

Usage: python benchmarks/bench_load_check.py [--count N] [--repeats R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

import outsourcekit as ok
from outsourcekit import engine, io, plugins
from outsourcekit.examples import examples_path
from outsourcekit.model import Engagement

AS_OF = dt.date(2026, 11, 22)
LINES_TARGET = 1.3
MEMORY_TARGET = 1.5


def engagement_data(count: int) -> list[dict]:
    """Return *count* engagements as plain data: the bundled examples, ids varied."""
    examples = [ok.to_dict(e) for e in ok.load(examples_path())]
    items = []
    for i in range(count):
        item = dict(examples[i % len(examples)])
        item["id"] = f"{item['id']}-{i:06d}"
        items.append(item)
    return items


def write_portfolios(folder: Path, count: int, yaml_count: int) -> dict[str, Path]:
    """Write the portfolios this benchmark reads; return them by layout."""
    items = engagement_data(count)
    document = {"outsourcekit": 1, "engagements": items}
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    texts = {
        "JSON, indented": json.dumps(document, indent=2, ensure_ascii=False),
        "JSON, an engagement per line": (
            '{"outsourcekit": 1, "engagements": [\n' + lines + "\n]}\n"
        ),
        "JSON, one line": json.dumps(document, ensure_ascii=False),
    }
    paths = {}
    for number, (layout, text) in enumerate(texts.items()):
        paths[layout] = folder / f"portfolio-{number}.json"
        paths[layout].write_text(text, encoding="utf-8")
    yaml_document = {"outsourcekit": 1, "engagements": items[:yaml_count]}
    paths["YAML"] = folder / "portfolio.yaml"
    paths["YAML"].write_text(
        ok.dumps(io.loads(json.dumps(yaml_document), "json"), "yaml"),
        encoding="utf-8",
    )
    return paths


def timed(function):
    """Return the CPU seconds one call of *function* takes, the collector paused.

    CPU time, not wall time: other processes on the machine weigh less on it.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = function()
        elapsed = time.process_time() - start
    finally:
        gc.enable()
    del result
    return elapsed


def kept(function):
    """Return what *function* returns and the bytes it allocated and kept."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        result = function()
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return result, sum(s.size_diff for s in after.compare_to(before, "filename"))


def unlocated(path: Path) -> list[Engagement]:
    """Return the engagements of *path* built from its data with no origin."""
    structure = io._engagement_hook(detailed=False)  # noqa: SLF001 - the baseline
    data = json.loads(path.read_text(encoding="utf-8"))
    return [structure(item, Engagement) for item in data["engagements"]]


def compare(layout: str, path: Path, repeats: int) -> float:
    """Time loading *path* and checking it without and with lines; return the ratio."""
    rules = plugins.get_rules()
    load_seconds = statistics.median(timed(lambda: ok.load(path)) for _ in range(3))
    engagements = ok.load(path)
    runs = {
        "without lines": lambda: engine.check(engagements, as_of=AS_OF, rules=rules),
        "with lines": lambda: ok.check(engagements, as_of=AS_OF),
    }
    report = runs["with lines"]()
    count, findings = len(engagements), len(report.findings)
    located = sum(f.line is not None for f in report.findings)
    del report
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(timed(run))
    without, with_lines = (statistics.median(times[name]) for name in runs)
    ratio = with_lines / without
    verdict = "ok" if ratio <= LINES_TARGET else "OVER TARGET"
    print(
        f"{layout}: {count:,} engagements, {path.stat().st_size / 1e6:.1f} MB, "
        f"{findings:,} findings ({located:,} with a line), medians of {repeats}"
    )
    print(f"  load                 {load_seconds * 1e3:8.0f} ms")
    print(f"  check without lines  {without * 1e3:8.0f} ms")
    print(
        f"  check with lines     {with_lines * 1e3:8.0f} ms  "
        f"{(with_lines - without) / max(findings, 1) * 1e6:5.1f} µs per finding"
    )
    print(
        f"  with lines / without: {ratio:.2f}x (target <= {LINES_TARGET}x): {verdict}"
    )
    whole = (load_seconds + with_lines) / (load_seconds + without)
    print(f"  load and check, with lines / without: {whole:.2f}x")
    return ratio


def memory(path: Path) -> float:
    """Print the memory a loaded engagement keeps; return the ratio to no origin."""
    baseline, baseline_bytes = kept(lambda: unlocated(path))
    count = len(baseline)
    del baseline
    engagements, loaded_bytes = kept(lambda: ok.load(path))
    _, after_check = kept(lambda: ok.check(engagements, as_of=AS_OF) and None)
    ratio = loaded_bytes / baseline_bytes
    verdict = "ok" if ratio <= MEMORY_TARGET else "OVER TARGET"
    print(f"memory kept per engagement ({count:,}, tracemalloc):")
    print(f"  built with no origin        {baseline_bytes / count:8.0f} B")
    print(f"  loaded from the file        {loaded_bytes / count:8.0f} B")
    print(f"  kept by a check with lines  {after_check / count:8.0f} B")
    print(f"  loaded / no origin: {ratio:.2f}x (target <= {MEMORY_TARGET}x): {verdict}")
    return ratio


def main() -> None:
    """Write the portfolios, then time and measure each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--yaml-count", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args, _ = parser.parse_known_args()
    yaml_count = args.yaml_count or max(1, args.count // 10)
    ok.check(ok.from_dict({"id": "warm-up"}), as_of=AS_OF)  # load the plugins
    with tempfile.TemporaryDirectory() as folder:
        paths = write_portfolios(Path(folder), args.count, yaml_count)
        ratios = {
            layout: compare(layout, path, args.repeats)
            for layout, path in paths.items()
        }
        memory(paths["JSON, indented"])
    summary = ", ".join(f"{layout} {ratio:.2f}x" for layout, ratio in ratios.items())
    print(f"with lines / without: {summary}")


if __name__ == "__main__":
    main()
