"""The peer workload: outsourcekit against a hand-written function and peer engines.

Eight simple rules (no objectives, confidential data without a signed NDA, more
than 5 check-ins a week, no KPIs, vendor neither vetted nor trialled, time-zone
gap over 8h, no review in 365 days, no signed SOW/MSA) over N synthetic
engagements. Every entry returns, per engagement, the codes that fired, and every
entry's output is asserted equal to the hand-written function's before its time
is shown.

* evaluation: ``outsourcekit.engine.check`` over loaded engagements against the
  hand-written function over dicts (target: at most 2.5x), and zen-engine's batch
  evaluation when it is installed;
* end to end from JSON text: ``outsourcekit.loads`` of the portfolio and the
  check, against ``json.loads`` and each peer (target: faster than every peer).

The generator and the peers' adapters are the peer harness's (``--harness``,
default ``../shared/bench/peers`` beside the checkout); without it the benchmark
says so and stops. Peers are optional: install ``zen-engine`` and
``business-rules`` to include them.

Usage: python benchmarks/bench_peers.py [--engagements N] [--repeat R] [--harness DIR]
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_EVAL = 2.5


def median_time(run, arg, repeat: int) -> tuple[float, object]:
    """Return the median seconds of *repeat* calls of run(arg), and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        began = time.process_time()
        result = run(arg)
        times.append(time.process_time() - began)
    return statistics.median(times), result


def optional(module: str, attr: str):
    """Return the peer adapter's factory, or None when the peer is not installed."""
    try:
        return getattr(importlib.import_module(module), attr)
    except ImportError:
        return None


def main() -> int:
    """Time every entry, check outputs are identical and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--harness", type=Path, default=ROOT.parent / "shared" / "bench" / "peers"
    )
    args = parser.parse_args()
    if not (args.harness / "gen.py").is_file():
        print(f"peer workload: skipped, no peer harness at {args.harness}")
        return 0
    # This folder first: its peer_outsourcekit is the one measured (the harness
    # has a copy of its own); the generator and the peers come from the harness.
    sys.path[:0] = [str(Path(__file__).resolve().parent), str(args.harness)]
    import gen  # noqa: PLC0415 - the harness is found at run time
    import peer_outsourcekit as ours  # noqa: PLC0415
    import rules_plain  # noqa: PLC0415

    data = gen.generate(args.engagements)
    doc = gen.to_json_document(data)
    ok_text = ours.portfolio_text(data)
    engagements = ours.structure(data)
    plain = rules_plain.make_plain_dict()
    want, _ = None, None
    base, want = median_time(plain, data, args.repeat)

    n = args.engagements
    print(f"peer workload: 8 rules, {n:,} engagements, medians of {args.repeat}")
    print(f"  hand-written function over dicts   {base / n * 1e6:8.2f} µs  1.00x")

    def show(name: str, seconds: float, result: object, baseline: float) -> float:
        if result != want:
            print(f"  {name}: OUTPUT DIFFERS from the hand-written function")
            raise SystemExit(1)
        ratio = seconds / baseline
        print(f"  {name:<35}{seconds / n * 1e6:8.2f} µs  {ratio:5.2f}x")
        return ratio

    seconds, result = median_time(ours.make_check(), engagements, args.repeat)
    ratio = show("outsourcekit check", seconds, result, base)
    met = "met" if ratio <= TARGET_EVAL else "NOT met"
    print(f"    target: at most {TARGET_EVAL}x -> {met}")
    peers = {
        "zen-engine, batch": optional("peer_zen", "make_table_batch"),
        "business-rules": optional("peer_business_rules", "make"),
    }
    for name, factory in peers.items():
        if factory is None:
            print(f"  {name:<35}  (not installed)")
            continue
        seconds, result = median_time(factory(), data, args.repeat)
        show(name, seconds, result, base)

    print("  end to end from JSON text:")
    e2e_base, result = median_time(lambda t: plain(json.loads(t)), doc, args.repeat)
    show("json.loads + hand-written", e2e_base, result, e2e_base)
    ok_e2e, result = median_time(ours.make_e2e_native(), ok_text, args.repeat)
    show("outsourcekit loads + check", ok_e2e, result, e2e_base)
    slower = []
    for name, factory in peers.items():
        if factory is None:
            continue
        run = factory()
        seconds, result = median_time(
            lambda t, r=run: r(json.loads(t)), doc, args.repeat
        )
        show(f"json.loads + {name}", seconds, result, e2e_base)
        if seconds < ok_e2e:
            slower.append(name)
    verdict = "NOT met (slower than " + ", ".join(slower) + ")" if slower else "met"
    print(f"    target: faster end to end than every peer -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
