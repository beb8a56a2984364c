"""The engine's overhead: check() against a hand-written loop over the same rules.

Thirty trivial rules run over 100,000 in-memory engagements, once through
``outsourcekit.check`` and once through a hand-written loop that calls the same
thirty functions with the same contexts and sorts the same Finding records. The
ratio of the medians is the engine's overhead (target: at most 1.5x). The same is
done for the PERFORMANCE.md workload: eight simple rules against one hand-written
function over the same objects (target: at most 2.5x).

Usage: python benchmarks/bench_engine.py [--engagements N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import time
import tracemalloc

from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import Context, Finding, check, rule
from outsourcekit.model import (
    KPI,
    Agreement,
    AgreementKind,
    CheckIn,
    DataHandling,
    Engagement,
    Objective,
    Party,
    Review,
    Status,
    TimeZone,
    Trial,
    TrialStatus,
    Vendor,
    Vetting,
)

AS_OF = dt.date(2026, 11, 22)
CATEGORIES = ("clarity", "partner", "oversight", "communication", "agreement")


def trivial_rules(count: int = 30):
    """*count* rules; rule i fires when hours_per_week % 10 == i % 10."""

    def make(i: int):
        remainder = i % 10

        @rule(
            code=f"BENCH{i:03}",
            slug=f"bench-{i}",
            title=f"Benchmark rule {i}",
            category=CATEGORIES[i % len(CATEGORIES)],
            severity=("error", "warning", "info")[i % 3],
            fix="Nothing to fix.",
        )
        def bench(engagement, ctx):
            hours = engagement.hours_per_week
            if hours is not None and hours % 10 == remainder:
                yield ctx.finding(f"Hours end in {remainder}", path="hours_per_week")

        return bench

    return [make(i) for i in range(count)]


def portfolio(n: int) -> list[Engagement]:
    """*n* engagements differing in the facts the rules look at."""
    gc.disable()
    try:
        return [
            Engagement(
                id=f"eng-{i:07d}",
                status=Status.ACTIVE,
                start=dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                hours_per_week=i % 40,
                owner=None if i % 7 == 0 else "Dana",
                objectives=() if i % 5 == 0 else (Objective(statement="Close books"),),
                data=DataHandling(confidential=i % 3 == 0),
                agreements=(
                    (Agreement(kind=AgreementKind.NDA, signed_on=dt.date(2025, 1, 1)),)
                    if i % 4 == 0
                    else (
                        Agreement(
                            kind=AgreementKind.SOW, signed_on=dt.date(2025, 1, 1)
                        ),
                    )
                    if i % 4 == 1
                    else ()
                ),
                kpis=() if i % 6 == 0 else (KPI(name="close-time"),),
                vendor=Vendor(
                    name="LedgerPros",
                    timezone=TimeZone.parse("+08:00" if i % 2 else "+00:00"),
                    vetting=Vetting(references_checked=i % 9 != 0),
                    trial=Trial(
                        status=TrialStatus.COMPLETED if i % 8 else TrialStatus.NONE
                    ),
                ),
                client=Party(timezone=TimeZone.parse("-05:00" if i % 3 else "+01:00")),
                check_ins=tuple(
                    CheckIn(at=dt.date(2026, 11, 16) + dt.timedelta(days=d % 5))
                    for d in range(i % 8)
                ),
                reviews=(Review(on=dt.date(2025, 6, 1)),) if i % 2 else (),
            )
            for i in range(n)
        ]
    finally:
        gc.enable()


def hand_written_loop(engagements, rules):
    """The same functions and contexts, in a plain loop, then the report's order."""
    pairs = [
        (r.func, Context(rule=r, as_of=AS_OF, portfolio=engagements)) for r in rules
    ]
    out: list[Finding] = []
    extend = out.extend
    for engagement in engagements:
        for func, ctx in pairs:
            ctx.engagement = engagement
            extend(func(engagement, ctx))
    out.sort(key=Finding.sort_key)
    return out


def timed_pair(first, second, repeat):
    """CPU-time medians and minima of two functions, run alternately.

    CPU time (not wall time) and alternation keep other processes on the machine
    from favouring either side; each side runs once first to warm up.
    """
    results = [first(), second()]
    times: list[list[float]] = [[], []]
    for _ in range(repeat):
        for i, func in enumerate((first, second)):
            results[i] = None
            gc.collect()
            start = time.process_time()
            results[i] = func()
            times[i].append(time.process_time() - start)
    return [(statistics.median(t), min(t)) for t in times], results


def memory_per_finding(func):
    """Bytes allocated and kept per finding by *func*, measured with tracemalloc."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    findings = func()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    count = len(getattr(findings, "findings", findings))
    return grown / max(1, count), findings


# -- the PERFORMANCE.md workload: eight simple rules -------------------------------


def eight_rules():  # noqa: C901 - eight small rules, defined together
    """No objectives, NDA missing, >5 check-ins a week, no KPIs, unvetted vendor,
    time-zone gap over 8h, no review in 365 days, no signed SOW/MSA."""

    @rule(
        code="EIGHT1",
        slug="e-no-objectives",
        title="t",
        category="clarity",
        severity="error",
        fix="f",
    )
    def no_objectives(e, ctx):
        if not e.objectives:
            yield ctx.finding("No objectives", path="objectives")

    @rule(
        code="EIGHT2",
        slug="e-missing-nda",
        title="t",
        category="confidentiality",
        severity="error",
        fix="f",
    )
    def missing_nda(e, ctx):
        if (
            e.data is not None
            and e.data.confidential
            and not any(
                a.kind is AgreementKind.NDA and a.signed_on is not None
                for a in e.agreements
            )
        ):
            yield ctx.finding("Confidential data but no NDA", path="agreements")

    @rule(
        code="EIGHT3",
        slug="e-micromanagement",
        title="t",
        category="oversight",
        severity="warning",
        fix="f",
    )
    def micromanagement(e, ctx):
        week = ctx.as_of.isocalendar()[:2]
        if sum(1 for c in e.check_ins if c.at.isocalendar()[:2] == week) > 5:
            yield ctx.finding("Too many check-ins", path="check_ins")

    @rule(
        code="EIGHT4",
        slug="e-no-kpis",
        title="t",
        category="performance",
        severity="error",
        fix="f",
    )
    def no_kpis(e, ctx):
        if not e.kpis:
            yield ctx.finding("No KPIs", path="kpis")

    @rule(
        code="EIGHT5",
        slug="e-unvetted",
        title="t",
        category="partner",
        severity="error",
        fix="f",
    )
    def unvetted(e, ctx):
        v = e.vendor
        vetted = (
            v is not None and v.vetting is not None and v.vetting.references_checked
        )
        trialled = (
            v is not None
            and v.trial is not None
            and (v.trial.status is TrialStatus.COMPLETED)
        )
        if not vetted and not trialled:
            yield ctx.finding("Vendor neither vetted nor trialled", path="vendor")

    @rule(
        code="EIGHT6",
        slug="e-tz-gap",
        title="t",
        category="time-zones",
        severity="warning",
        fix="f",
    )
    def tz_gap(e, ctx):
        if e.client is None or e.vendor is None:
            return
        a, b = e.client.timezone, e.vendor.timezone
        if a is None or b is None:
            return
        moment = dt.datetime(2026, 11, 22)
        gap = abs(
            a.tzinfo.utcoffset(moment).total_seconds()
            - b.tzinfo.utcoffset(moment).total_seconds()
        )
        if gap > 8 * 3600:
            yield ctx.finding("Time-zone gap over 8h", path="vendor.timezone")

    @rule(
        code="EIGHT7",
        slug="e-no-review",
        title="t",
        category="performance",
        severity="warning",
        fix="f",
    )
    def no_review(e, ctx):
        latest = max((r.on for r in e.reviews), default=None)
        if latest is None or (ctx.as_of - latest).days > 365:
            yield ctx.finding("No review in 365 days", path="reviews")

    @rule(
        code="EIGHT8",
        slug="e-no-agreement",
        title="t",
        category="agreement",
        severity="error",
        fix="f",
    )
    def no_agreement(e, ctx):
        if not any(
            a.kind in {AgreementKind.SOW, AgreementKind.MSA} and a.signed_on is not None
            for a in e.agreements
        ):
            yield ctx.finding("No signed SOW or MSA", path="agreements")

    return [
        no_objectives,
        missing_nda,
        micromanagement,
        no_kpis,
        unvetted,
        tz_gap,
        no_review,
        no_agreement,
    ]


def hand_written_eight(engagements):  # noqa: C901 - the point: one function
    """One function doing the eight checks directly, building the same findings."""
    rules = {r.code: r for r in eight_rules()}
    week = AS_OF.isocalendar()[:2]
    moment = dt.datetime(2026, 11, 22)
    out = []

    def found(code, e, message, path):
        r = rules[code]
        out.append(
            Finding(
                rule=code,
                slug=r.slug,
                category=r.category,
                severity=r.severity,
                engagement=e.id,
                path=path,
                message=message,
                fix=r.fix,
            )
        )

    for e in engagements:
        if not e.objectives:
            found("EIGHT1", e, "No objectives", "objectives")
        if (
            e.data is not None
            and e.data.confidential
            and not any(
                a.kind is AgreementKind.NDA and a.signed_on is not None
                for a in e.agreements
            )
        ):
            found("EIGHT2", e, "Confidential data but no NDA", "agreements")
        if sum(1 for c in e.check_ins if c.at.isocalendar()[:2] == week) > 5:
            found("EIGHT3", e, "Too many check-ins", "check_ins")
        if not e.kpis:
            found("EIGHT4", e, "No KPIs", "kpis")
        v = e.vendor
        vetted = (
            v is not None and v.vetting is not None and v.vetting.references_checked
        )
        trialled = (
            v is not None
            and v.trial is not None
            and (v.trial.status is TrialStatus.COMPLETED)
        )
        if not vetted and not trialled:
            found("EIGHT5", e, "Vendor neither vetted nor trialled", "vendor")
        if e.client is not None and v is not None:
            a, b = e.client.timezone, v.timezone
            if a is not None and b is not None:
                gap = abs(
                    a.tzinfo.utcoffset(moment).total_seconds()
                    - b.tzinfo.utcoffset(moment).total_seconds()
                )
                if gap > 8 * 3600:
                    found("EIGHT6", e, "Time-zone gap over 8h", "vendor.timezone")
        latest = max((r.on for r in e.reviews), default=None)
        if latest is None or (AS_OF - latest).days > 365:
            found("EIGHT7", e, "No review in 365 days", "reviews")
        if not any(
            a.kind in {AgreementKind.SOW, AgreementKind.MSA} and a.signed_on is not None
            for a in e.agreements
        ):
            found("EIGHT8", e, "No signed SOW or MSA", "agreements")
    out.sort(key=Finding.sort_key)
    return out


def with_results(report):
    """*report* with its engagements' results made (a check makes them when read)."""
    _ = report.engagements
    return report


def paused(func):
    """*func* run with the cyclic garbage collector paused, as check() runs rules."""

    def run():
        gc.disable()
        try:
            return func()
        finally:
            gc.enable()

    return run


def compare(name, engagements, engine, baseline, repeat, target):
    """Time both, check they agree, print medians and the ratio.

    The hand-written loop is timed as written and, for reference, with the
    garbage collector paused as check() pauses it.
    """
    ((base, base_min), (eng, eng_min)), (expected, report) = timed_pair(
        baseline, engine, repeat
    )
    ((quiet, quiet_min), _), _ = timed_pair(
        paused(baseline), engine, max(1, repeat // 2)
    )
    if list(report.findings) != expected:
        msg = f"{name}: the engine's findings differ from the hand-written loop's"
        raise SystemExit(msg)
    n = len(engagements)
    ratio = eng / base
    print(f"{name}: {n:,} engagements, {len(expected):,} findings, CPU seconds")
    rows = (
        ("hand-written", base, base_min),
        ("  gc paused", quiet, quiet_min),
        ("check()", eng, eng_min),
    )
    for label, median, least in rows:
        print(
            f"  {label:12}  median {median:7.3f} s  min {least:7.3f} s  "
            f"{median / n * 1e6:7.2f} µs/engagement"
        )
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"  ratio         {ratio:6.2f} x (medians; {eng / quiet:.2f} x against the "
        f"loop with gc paused) - target <= {target}x: {verdict}"
    )
    return ratio


def main() -> None:
    """Run both comparisons and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    engagements = portfolio(args.engagements)
    rules = trivial_rules(30)
    check(engagements[:10], as_of=AS_OF, rules=rules)  # load plugins once

    compare(
        "30 trivial rules",
        engagements,
        lambda: check(engagements, as_of=AS_OF, rules=rules),
        lambda: hand_written_loop(engagements, rules),
        args.repeat,
        1.5,
    )
    per_finding, findings = memory_per_finding(
        lambda: hand_written_loop(engagements, rules)
    )
    print(
        f"  memory        {per_finding:8.0f} B per finding "
        f"(tracemalloc, {len(findings):,} kept)"
    )
    del findings
    report_bytes, report = memory_per_finding(
        lambda: with_results(check(engagements, as_of=AS_OF, rules=rules))
    )
    print(
        f"  report        {report_bytes:8.0f} B per finding, "
        "scores and results included"
    )
    del report

    eight = eight_rules()
    compare(
        "PERFORMANCE.md 8-rule workload",
        engagements,
        lambda: check(engagements, as_of=AS_OF, rules=eight),
        lambda: hand_written_eight(engagements),
        args.repeat,
        2.5,
    )
    builtin_eight(engagements, max(1, args.repeat // 2))


#: The built-in rules behind the eight checks of PERFORMANCE.md.
BUILTIN_EIGHT = (
    "OSK101",
    "OSK601",
    "OSK301",
    "OSK701",
    "OSK201",
    "OSK501",
    "OSK705",
    "OSK801",
)


def builtin_eight(engagements, repeat):
    """Time the catalogue's own eight rules against the hand-written function.

    Their messages differ from the simplified ones, so only times are compared.
    """
    chosen = [r for r in BUILTIN_RULES if r.code in BUILTIN_EIGHT]
    ((base, _), (eng, _)), (_, report) = timed_pair(
        lambda: hand_written_eight(engagements),
        lambda: check(engagements, as_of=AS_OF, rules=chosen),
        repeat,
    )
    n = len(engagements)
    print(f"built-in {', '.join(BUILTIN_EIGHT)}: {len(report.findings):,} findings")
    print(f"  check()       median {eng:7.3f} s  {eng / n * 1e6:7.2f} µs/engagement")
    print(f"  ratio         {eng / base:6.2f} x the hand-written function")


if __name__ == "__main__":
    main()
