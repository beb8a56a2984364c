"""The peer workload's outsourcekit entry: the same 8 rules as @rule functions.

The peer workload's dicts (gen.py) are mapped onto outsourcekit's own schema, the
closest fields the model has for each fact:

  objectives[str]                 -> objectives: [{statement}]
  agreements[{kind, signed}]      -> agreements: [{kind, signed_on} when signed]
  checkins_per_week N             -> communication.check_ins: the planned check-ins,
                                     N a week: "N times a week" where the format has
                                     the phrase (1..7, 14), else an RRULE picking the
                                     first N of the week's 21 slots (every day at 09,
                                     10 and 11: BYSETPOS=1..N); none when N is 0.
                                     R3 is OSK301's fact: check-ins planned in a week
  kpis[{name, target}]            -> kpis: [{name, target}]
  vendor.vetted                   -> vendor.vetting.references_checked
  vendor.trial_done               -> vendor.trial.status completed | none
  vendor.timezone_offset_h        -> vendor.timezone "+HH:00"
  client_timezone_offset_h        -> client.timezone "+HH:00"
  shares_confidential_data        -> data.confidential
  last_review_days_ago D          -> reviews: [{on: as_of - D days}]

as_of is fixed at 2026-11-22 (a Sunday). Every run returns, per engagement and in
input order, the list of fired rule ids (R1..R8 order), as the other adapters do.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from itertools import groupby
from operator import attrgetter

import outsourcekit as ok
from outsourcekit.engine import Context, check, rule
from outsourcekit.model import AgreementKind, TrialStatus

AS_OF = dt.date(2026, 11, 22)
#: The first full week of every cadence: anchored at as_of (no engagement has a
#: start), a Sunday, the week containing as_of holds only that Sunday's events.
NEXT_WEEK = AS_OF + dt.timedelta(days=7 - AS_OF.weekday())
MOMENT = dt.datetime(2026, 11, 22)
_NDA = AgreementKind.NDA
_SOW = AgreementKind.SOW
_MSA = AgreementKind.MSA
_COMPLETED = TrialStatus.COMPLETED
_rule_of = attrgetter("rule")
_engagement_of = attrgetter("engagement")


@cache
def _offset(h: int) -> str:
    return f"{'-' if h < 0 else '+'}{abs(h):02d}:00"


@cache
def _check_ins(per_week: int) -> str:
    """The cadence of *per_week* planned check-ins, as a user would write it."""
    if per_week <= 7 or per_week % 7 == 0:
        return f"{per_week} times a week"
    slots = ",".join(str(k) for k in range(1, per_week + 1))
    return f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR=9,10,11;BYSETPOS={slots}"


@cache
def _review_day(days: int) -> str:
    return (AS_OF - dt.timedelta(days=days)).isoformat()


def to_ok(d: dict) -> dict:
    """One peer-workload dict in outsourcekit's schema (plain data, as in a file)."""
    v = d["vendor"]
    per_week = d["checkins_per_week"]
    return {
        "id": d["id"],
        "objectives": [{"statement": s} for s in d["objectives"]],
        "agreements": [
            {"kind": a["kind"], "signed_on": "2025-01-15"}
            if a["signed"]
            else {"kind": a["kind"]}
            for a in d["agreements"]
        ],
        "kpis": [{"name": k["name"], "target": k["target"]} for k in d["kpis"]],
        "vendor": {
            "timezone": _offset(v["timezone_offset_h"]),
            "vetting": {"references_checked": v["vetted"]},
            "trial": {"status": "completed" if v["trial_done"] else "none"},
        },
        "client": {"timezone": _offset(d["client_timezone_offset_h"])},
        "data": {"confidential": d["shares_confidential_data"]},
        **({"communication": {"check_ins": _check_ins(per_week)}} if per_week else {}),
        "reviews": [{"on": _review_day(d["last_review_days_ago"])}],
    }


def portfolio_text(data: list[dict]) -> str:
    """The same engagements as one outsourcekit JSON portfolio."""
    return json.dumps(
        {"outsourcekit": 1, "engagements": [to_ok(d) for d in data]},
        separators=(",", ":"),
    )


# -- the eight rules ---------------------------------------------------------------


@rule(
    code="R1",
    slug="r1-no-objectives",
    title="No objectives",
    category="clarity",
    severity="error",
    fix="f",
)
def r1(e, ctx):
    if not e.objectives:
        yield ctx.finding("No objectives", path="objectives")


@rule(
    code="R2",
    slug="r2-no-nda",
    title="Confidential data, no signed NDA",
    category="confidentiality",
    severity="error",
    fix="f",
)
def r2(e, ctx):
    d = e.data
    if d is not None and d.confidential:
        for a in e.agreements:
            if a.kind is _NDA and a.signed_on is not None:
                return
        yield ctx.finding("Confidential data but no signed NDA", path="agreements")


@rule(
    code="R3",
    slug="r3-micromanagement",
    title="Micromanagement",
    category="oversight",
    severity="warning",
    fix="f",
)
def r3(e, ctx):
    planned = e.planned_check_ins(NEXT_WEEK, as_of=AS_OF)
    if planned is not None and planned > 5:
        yield ctx.finding(
            "More than 5 check-ins a week", path="communication.check_ins"
        )


@rule(
    code="R4",
    slug="r4-no-kpis",
    title="No KPIs",
    category="performance",
    severity="error",
    fix="f",
)
def r4(e, ctx):
    if not e.kpis:
        yield ctx.finding("No KPIs", path="kpis")


@rule(
    code="R5",
    slug="r5-unvetted",
    title="Vendor neither vetted nor trialled",
    category="partner",
    severity="error",
    fix="f",
)
def r5(e, ctx):
    v = e.vendor
    if v is None:
        yield ctx.finding("No vendor", path="vendor")
        return
    vetted = v.vetting is not None and v.vetting.references_checked
    trialled = v.trial is not None and v.trial.status is _COMPLETED
    if not vetted and not trialled:
        yield ctx.finding("Vendor neither vetted nor trialled", path="vendor")


@rule(
    code="R6",
    slug="r6-tz-gap",
    title="Time-zone gap over 8h",
    category="time-zones",
    severity="warning",
    fix="f",
)
def r6(e, ctx):
    c, v = e.client, e.vendor
    if c is None or v is None or c.timezone is None or v.timezone is None:
        return
    gap = abs(
        (
            c.timezone.tzinfo.utcoffset(MOMENT) - v.timezone.tzinfo.utcoffset(MOMENT)
        ).total_seconds()
    )
    if gap > 8 * 3600:
        yield ctx.finding("Time-zone gap over 8h", path="vendor.timezone")


@rule(
    code="R7",
    slug="r7-no-review",
    title="No review in 365 days",
    category="performance",
    severity="warning",
    fix="f",
)
def r7(e, ctx):
    as_of = ctx.as_of
    for review in e.reviews:
        if (as_of - review.on).days <= 365:
            return
    yield ctx.finding("No review in 365 days", path="reviews")


@rule(
    code="R8",
    slug="r8-no-sow-msa",
    title="No signed SOW or MSA",
    category="agreement",
    severity="error",
    fix="f",
)
def r8(e, ctx):
    for a in e.agreements:
        if (a.kind is _SOW or a.kind is _MSA) and a.signed_on is not None:
            return
    yield ctx.finding("No signed SOW or MSA", path="agreements")


RULES = (r1, r2, r3, r4, r5, r6, r7, r8)


def fired(engagements, report) -> list[list[str]]:
    """Per engagement, in input order, the codes that fired (R1..R8 order)."""
    # The report holds each engagement's findings together.
    by = {
        eid: sorted(map(_rule_of, findings))
        for eid, findings in groupby(report.findings, _engagement_of)
    }
    return [by.get(e.id, []) for e in engagements]


def structure(data: list[dict]):
    """Plain peer dicts -> outsourcekit Engagement objects (via ok.from_dict)."""
    fd = ok.from_dict
    return [fd(to_ok(d)) for d in data]


# -- adapters: make() -> run(input) -> list[list[str]] ----------------------------


def make_check():
    """(a) evaluation only: ok.check over already-loaded Engagements."""

    def run(engs):
        return fired(engs, check(engs, as_of=AS_OF, rules=RULES))

    return run


def make_rules_loop():
    """The same @rule functions called in a hand-written loop (no engine)."""

    def run(engs):
        ctxs = [
            (r.code, r.func, Context(rule=r, as_of=AS_OF, portfolio=engs))
            for r in RULES
        ]
        out = []
        for e in engs:
            codes = []
            for code, func, ctx in ctxs:
                ctx.engagement = e
                codes.extend(code for _ in func(e, ctx))
            out.append(codes)
        return out

    return run


def make_e2e_native():
    """(b) ok.loads of the outsourcekit-JSON portfolio text + check."""

    def run(text):
        engs = ok.loads(text, format="json")
        return fired(engs, check(engs, as_of=AS_OF, rules=RULES))

    return run


def make_e2e_peer_json():
    """(b') the peers' JSON text: json.loads + to_ok + ok.from_dict each + check."""

    def run(text):
        engs = structure(json.loads(text))
        return fired(engs, check(engs, as_of=AS_OF, rules=RULES))

    return run
