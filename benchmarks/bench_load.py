"""Loading speed: ``outsourcekit.loads`` of a JSON portfolio against ``json.loads``.

Builds 10,000 engagements of realistic size (like the bundled examples, each with
tasks, agreements, channels, KPIs with measurements, milestones and reviews) as
one JSON portfolio, then times :func:`json.loads` of the text and
:func:`outsourcekit.io.loads` of the same text. Both run with the garbage collector
as the library leaves it; the target is a ratio of at most 3.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time

from outsourcekit._source import parse
from outsourcekit.io import loads

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


def timed(function, *, gc_paused: bool) -> float:
    """Return the time one run of *function* takes.

    With *gc_paused* the garbage collector is off while it runs, as
    :func:`outsourcekit.io.loads` itself arranges.
    """
    gc.collect()
    if gc_paused:
        gc.disable()
    try:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    del result
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    text = portfolio_text(args.count)
    loaded = loads(text, format="json")
    assert len(loaded) == args.count
    del loaded
    runs = {
        "json.loads, gc paused": lambda: timed(
            lambda: json.loads(text), gc_paused=True
        ),
        "json.loads, gc as is": lambda: timed(
            lambda: json.loads(text), gc_paused=False
        ),
        "outsourcekit loads": lambda: timed(
            lambda: loads(text, format="json"), gc_paused=False
        ),
        "of which parsing": lambda: timed(
            lambda: parse(text, "json", locations=False), gc_paused=True
        ),
    }
    # Interleaved, so that a busy moment of the machine weighs on all alike.
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, run in runs.items():
            times[name].append(run())
    medians = {name: statistics.median(values) for name, values in times.items()}
    per = 1e6 / args.count
    print(f"engagements: {args.count}, JSON text: {len(text) / 1e6:.1f} MB")
    for name, median in medians.items():
        print(f"{name + ':':24s}{median * 1e3:8.1f} ms ({median * per:6.1f} µs each)")
    ours = medians["outsourcekit loads"]
    strict = medians["json.loads, gc paused"]
    ratio = ours / strict
    status = "ok" if ratio <= TARGET else "over target"
    print(
        f"ratio to json.loads with gc paused: {ratio:.2f}x "
        f"(target <= {TARGET:.0f}x: {status})"
    )
    plain = medians["json.loads, gc as is"]
    print(f"ratio to json.loads with gc as is:  {ours / plain:.2f}x")
    parsing = medians["of which parsing"]
    print(
        f"parsing with duplicate-key checks {parsing / strict:.2f}x, "
        f"structuring {(ours - parsing) / strict:.2f}x"
    )


if __name__ == "__main__":
    main()
