"""Loading speed: structuring a JSON portfolio against ``json.loads`` of its text.

Builds 10,000 engagements of realistic size (like the bundled examples, each with
tasks, agreements, channels, KPIs with measurements, milestones and reviews) as
one JSON portfolio, then times, interleaved and with the garbage collector paused
as :func:`outsourcekit.io.loads` pauses it:

* :func:`json.loads` of the text: the baseline;
* parsing as ``loads`` parses: ``json.loads``, and the count of the keys the
  text has, which tells a key written twice once the data's keys are counted;
* structuring: the parsed data made into model objects, their keys counted, as
  ``loads`` does for valid input. The target is at most 3 times the baseline;
* :func:`outsourcekit.from_dict` of each engagement's parsed data: the same
  target;
* the whole of ``loads``: parsing, structuring and checking ids.

Then the whole of ``loads`` on five times as many engagements: the cost of one
engagement should stay the same.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time

from outsourcekit._source import parse
from outsourcekit.io import _read_fast, from_dict, loads

TARGET = 3.0

AREAS = ["finance", "admin", "it", "software", "customer-support", "marketing"]
CADENCES = ["weekly", "monthly", "daily", "quarterly", "twice a week", "biweekly"]
ZONES = ["Europe/London", "Asia/Manila", "America/New_York", "Europe/Lisbon"]


def engagement(i: int) -> dict:
    """Return one engagement of realistic size, varied by *i*."""
    day = 1 + i % 28
    return {
        "outsourcekit": 1,
        "id": f"engagement-{i:06d}",
        "title": f"Outsourced work package number {i}",
        "status": ["active", "trial", "paused", "ended", "proposed"][i % 5],
        "start": f"2025-{1 + i % 12:02d}-{day:02d}",
        "vision": "docs/vision.md",
        "owner": "Dana Reyes",
        "hours_per_week": 10 + i % 30,
        "exit_plan": "docs/exit.md",
        "client": {
            "name": f"Client {i % 97} Ltd",
            "timezone": ZONES[i % len(ZONES)],
            "working_hours": "Mon-Fri 09:00-17:30",
            "region": "GB",
            "industry": "retail",
            "outsourcing_experience": "some",
        },
        "vendor": {
            "id": f"vendor-{i % 211}",
            "name": f"Vendor {i % 211}",
            "kind": ["agency", "freelancer", "bpo"][i % 3],
            "timezone": ZONES[(i + 1) % len(ZONES)],
            "working_hours": "08:00-17:00",
            "regions_served": ["GB", "US", "PH"],
            "industries_served": ["retail", "finance"],
            "vetting": {
                "references_checked": True,
                "testimonials": 3,
                "case_studies": 1,
                "years_experience": 6,
                "security_review": "passed",
            },
            "selection": {
                "criteria": ["cost", "experience", "references"],
                "quotes_compared": 3,
            },
            "trial": {"status": "completed", "completed_on": "2024-12-20"},
        },
        "tasks": [
            {
                "name": f"Task {t} of engagement {i}",
                "area": AREAS[(i + t) % len(AREAS)],
                "core": False,
                "critical": t == 0,
                "instructions": "docs/manual.md",
                "due": CADENCES[(i + t) % len(CADENCES)],
                "checklist": ["Prepare", "Check", "Deliver"],
            }
            for t in range(3)
        ],
        "objectives": [
            {
                "statement": "Close the books by the 5th business day",
                "kpi": "close-time",
            },
            {"statement": "Answer customers within a day", "due": "2026-03-31"},
        ],
        "deliverables": [
            {
                "name": "Monthly report",
                "description": "Profit and loss in the client's template",
                "format": "xlsx",
                "due": "monthly",
                "acceptance": ["Ties to bank balances", "Variance notes over 5%"],
            }
        ],
        "quality": {"criteria": ["No unreconciled items"], "reviewer": "Finance lead"},
        "performance": {"delivery": "Shared drive", "status_reports": "weekly"},
        "agreements": [
            {
                "kind": "nda",
                "signed_on": "2024-12-01",
                "signed_by": ["Client", "Vendor"],
                "expires": "2027-12-01",
                "document": "contracts/nda.pdf",
            },
            {
                "kind": "msa",
                "signed_on": "2024-12-15",
                "confidentiality": True,
                "payment_terms": "Monthly, net 15",
                "termination": "30 days notice",
                "service_levels": [{"name": "response-time", "target": "24h"}],
            },
        ],
        "communication": {
            "channels": [
                {"name": "Slack", "kind": "chat", "secure": True},
                {"name": "Zoom", "kind": "video"},
                {"name": "Asana", "kind": "pm-tool"},
            ],
            "response_time": "24h",
            "check_ins": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10",
            "check_in_length": "30m",
            "feedback": "monthly",
            "escalation": "Finance lead, then COO",
        },
        "data": {
            "confidential": True,
            "personal_data": False,
            "file_sharing": [{"name": "Google Drive", "secure": True}],
        },
        "access": [{"system": "Xero", "granted_on": "2025-01-05"}],
        "kpis": [
            {
                "name": "close-time",
                "unit": "business days",
                "target": 5,
                "direction": "lower",
                "measured": "monthly",
                "measurements": [
                    {"at": f"2025-{m:02d}-06", "value": 4 + (i + m) % 4}
                    for m in range(2, 8)
                ],
            }
        ],
        "milestones": [
            {
                "name": "First quarter closed",
                "due": "2025-04-07",
                "done_on": "2025-04-06",
                "updates": [{"at": "2025-03-15", "note": "Two of three months closed"}],
            }
        ],
        "check_ins": [
            {"at": f"2025-06-{d:02d}T10:00", "by": "client"} for d in (2, 9, 16)
        ],
        "reviews": [{"on": "2025-06-30", "outcome": "continue", "score": 4}],
        "x-crm-id": str(48213 + i),
    }


def portfolio_text(count: int) -> str:
    """Return a JSON portfolio of *count* engagements."""
    return json.dumps(
        {"outsourcekit": 1, "engagements": [engagement(i) for i in range(count)]}
    )


def timed(function, setup=None):
    """Return the time one run of *function* takes, with the collector paused.

    *setup*, if given, runs first, untimed, and its result is *function*'s argument.
    """
    argument = setup() if setup is not None else None
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = function() if setup is None else function(argument)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    del result, argument
    return elapsed


def structure():
    """Return a function reading parsed portfolio data as ``loads`` reads it."""
    return lambda parsed: _read_fast(parsed.data, None, None, parsed.unchecked_keys)


def each_from_dict(items):
    """Return the engagements ``from_dict`` makes of each of *items*."""
    return [from_dict(item) for item in items]


def report(name, median, count, baseline=None):
    """Print one median, per engagement and as a ratio to *baseline*."""
    ratio = "" if baseline is None else f"  {median / baseline:5.2f}x json.loads"
    print(
        f"{name + ':':26s}{median * 1e3:8.1f} ms {median * 1e6 / count:7.1f} µs each"
        + ratio
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    text = portfolio_text(args.count)
    loaded = loads(text, format="json")
    assert len(loaded) == args.count
    del loaded
    read = structure()
    fresh = lambda: parse(text, "json", locations=False, check_keys=False)  # noqa: E731
    items = lambda: json.loads(text)["engagements"]  # noqa: E731
    runs = {
        "json.loads": lambda: timed(lambda: json.loads(text)),
        "parsing": lambda: timed(fresh),
        "structuring": lambda: timed(read, setup=fresh),
        "from_dict, each": lambda: timed(each_from_dict, setup=items),
        "the whole of loads": lambda: timed(lambda: loads(text, format="json")),
    }
    # Interleaved, so that a busy moment of the machine weighs on all alike.
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            times[name].append(run())
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians.pop("json.loads")
    print(
        f"{args.count} engagements, {len(text) / 1e6:.1f} MB of JSON, "
        f"medians of {args.repeats} runs, collector paused"
    )
    report("json.loads", baseline, args.count)
    for name, median in medians.items():
        report(name, median, args.count, baseline)
    for name in ("structuring", "from_dict, each"):
        ratio = medians[name] / baseline
        verdict = "ok" if ratio <= TARGET else "OVER TARGET"
        print(f"{name}: {ratio:.2f}x json.loads (target <= {TARGET:.0f}x): {verdict}")

    # Linear cost: json.loads and the whole of loads on COUNT and 5 x COUNT
    # engagements, interleaved, per engagement. A larger heap slows both a
    # little; loads should not slow more than json.loads does.
    sizes = {args.count: text, 5 * args.count: portfolio_text(5 * args.count)}
    readers = {
        "json.loads": json.loads,
        "loads": lambda sized: loads(sized, format="json"),
    }
    per: dict[tuple[str, int], list[float]] = {}
    for _ in range(3):
        for size, sized in sizes.items():
            for name, reader in readers.items():
                elapsed = timed(lambda: reader(sized))  # noqa: B023
                per.setdefault((name, size), []).append(elapsed / size)
    growth = {}
    for name in readers:
        small, large = (statistics.median(per[name, size]) for size in sizes)
        growth[name] = large / small
        print(
            f"{name} per engagement: {small * 1e6:.1f} µs at {args.count}, "
            f"{large * 1e6:.1f} µs at {5 * args.count} ({growth[name]:.2f}x)"
        )
    excess = growth["loads"] / growth["json.loads"]
    verdict = "linear" if excess <= 1.15 else "NOT LINEAR"
    print(f"loads grows {excess:.2f}x as fast as json.loads: {verdict}")


if __name__ == "__main__":
    main()
