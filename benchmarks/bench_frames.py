"""The findings frame: ``Report.to_pandas()`` against pandas building the same rows.

A realistic portfolio of COUNT engagements (``gen_portfolio.py``: the bundled
examples varied, about 9 findings each) is written as JSON Lines, loaded with
:func:`outsourcekit.load` (so that findings name their file and line) and
checked as of 2026-11-22. Then, interleaved, in CPU time and with the garbage
collector paused:

* the baseline: ``pandas.DataFrame(rows)`` of the findings' rows made
  beforehand as plain dicts of the same values (the evidence a dict), the frame
  a hand-written conversion would give, with ``object`` columns;
* ``report.to_pandas()``: the same rows with the documented dtypes (``string``,
  ordered categoricals, ``Int64``, ``datetime64``) and a copy of each evidence;
* ``report.to_pandas(engagements)``: the same, with the engagements' title,
  vendor, client and status.

The target is at most 3 times the baseline for ``report.to_pandas()``, which
does more: it types every column and copies every evidence.

Usage: python benchmarks/bench_frames.py [--count N] [--repeats R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
from pathlib import Path

import pandas as pd
from bench_load_check import timed
from gen_portfolio import write_jsonl

import outsourcekit as ok

AS_OF = dt.date(2026, 11, 22)
TARGET = 3.0


def plain_rows(report):
    """Return the report's findings as plain dicts, the frame's values by column."""
    return [
        {
            "engagement": f.engagement,
            "rule": f.rule,
            "slug": f.slug,
            "category": f.category,
            "severity": f.severity.value,
            "path": f.path,
            "message": f.message,
            "fix": f.fix,
            "source": f.source,
            "line": f.line,
            "waived": f.waived,
            "evidence": dict(f.evidence),
            "as_of": report.as_of,
        }
        for f in report.findings
    ]


def main() -> None:
    """Build, load and check the portfolio, then time the frames."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args, _ = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_jsonl(Path(folder) / "portfolio.jsonl", args.count)
        engagements = ok.load(path)
    report = ok.check(engagements, as_of=AS_OF)
    rows = plain_rows(report)
    report.to_pandas()  # import pandas' modules before timing
    runs = {
        "pandas.DataFrame(rows)": lambda: pd.DataFrame(rows),
        "report.to_pandas()": report.to_pandas,
        "report.to_pandas(engagements)": lambda: report.to_pandas(engagements),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            times[name].append(timed(run))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["pandas.DataFrame(rows)"]
    print(
        f"findings frame: {len(engagements):,} engagements, "
        f"{len(report.findings):,} findings, medians of {args.repeats}"
    )
    for name, seconds in medians.items():
        print(f"  {name:30} {seconds * 1e3:8.0f} ms  {seconds / baseline:5.2f}x")
    ratio = medians["report.to_pandas()"] / baseline
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(
        f"  to_pandas / DataFrame(rows): {ratio:.2f}x (target <= {TARGET}x): {verdict}"
    )


if __name__ == "__main__":
    main()
