"""Agreement rules: written, signed and current terms for the work."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from outsourcekit.engine import Context, Finding, Option, rule
from outsourcekit.model import (
    WORK_AGREEMENTS,
    Agreement,
    AgreementKind,
    Cadence,
    Engagement,
)

from ._common import (
    client_name,
    given,
    number_word,
    plural,
    says_nothing,
    unstated_note,
    vendor_name,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence

    from outsourcekit.model import Party

__all__ = [
    "RULES",
    "agreement_expired",
    "agreement_expiring",
    "no_agreement_copy",
    "no_payment_terms",
    "no_service_levels",
    "no_termination_terms",
    "no_written_agreement",
    "one_sided_signature",
    "unsigned_agreement",
    "work_before_agreement",
]

_KIND_WORDS = {
    AgreementKind.CONTRACT: "contract",
    AgreementKind.MSA: "MSA",
    AgreementKind.SOW: "SOW",
    AgreementKind.SLA: "SLA",
    AgreementKind.NDA: "NDA",
    AgreementKind.DPA: "DPA",
}

#: The kinds with their article, as a sentence says "the only agreement is an NDA".
_A_KIND = {
    AgreementKind.CONTRACT: "a contract",
    AgreementKind.MSA: "an MSA",
    AgreementKind.SOW: "an SOW",
    AgreementKind.SLA: "an SLA",
    AgreementKind.NDA: "an NDA",
    AgreementKind.DPA: "a DPA",
}


#: The kinds in WORK_AGREEMENTS as a tuple: membership in a short tuple compares
#: the members by identity, where a set hashes them (which runs Python code).
_WORK_KINDS = tuple(WORK_AGREEMENTS)


def _kind_word(agreement: Agreement) -> str:
    """Return the agreement's kind as a message writes it (``SOW``, ``contract``)."""
    return "agreement" if agreement.kind is None else _KIND_WORDS[agreement.kind]


def _describe(agreement: Agreement, index: int) -> str:
    """Return how a message names an agreement: its kind and its path."""
    return f"The {_kind_word(agreement)} at agreements[{index}]"


def _kinds(agreements: Sequence[Agreement]) -> list[str]:
    """Return the kinds of *agreements* as file words, in file order."""
    return [a.kind.value for a in agreements if a.kind is not None]


def _none_states(
    agreements: Sequence[Agreement], what: str, texts: Sequence[str | None]
) -> str:
    """Return a sentence saying that no agreement of *agreements* states *what*.

    *texts* are the agreements' values of the field; when some are placeholders
    the sentence says so.
    """
    if len(agreements) == 1:
        message = f"The only agreement ({_kind_word(agreements[0])}) states no {what}"
    else:
        message = f"None of the {len(agreements)} agreements states {what}"
    notes = [
        f"agreements[{i}] has {note}"
        for i, text in enumerate(texts)
        if (note := unstated_note(text)) is not None
    ]
    if notes:
        message += f" ({', '.join(notes)})"
    return message


def _term_stated_nowhere(
    engagement: Engagement, ctx: Context, what: str, texts: Sequence[str | None]
) -> Finding:
    """Return the finding that no agreement states *what* (*texts*: each one's value).

    The caller has made sure that there are agreements and that none states it.
    """
    agreements = engagement.agreements
    return ctx.finding(
        _none_states(agreements, what, texts),
        path="agreements",
        evidence={"agreements": len(agreements), "kinds": _kinds(agreements)},
    )


def _days(n: int) -> str:
    return plural(n, "day")


@rule(
    code="OSK801",
    slug="no-written-agreement",
    title="No written agreement",
    category="agreement",
    severity="error",
    sources=("E", "C"),
    fix="Put the work under a written contract, MSA or SOW that both parties sign.",
)
def no_written_agreement(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement without a contract, MSA or SOW.

    ## What it checks
    That `agreements` holds at least one agreement of kind `contract`, `msa` or
    `sow`. Other kinds (`nda`, `dpa`, `sla`) protect data or set service levels
    but do not say what work is bought on which terms. Whether the agreement is
    signed is OSK802's question.

    ## Why it matters
    A written agreement, treated as the business document it is, settles what
    was agreed before anyone disagrees about tasks or payment (Source E). Clear
    written terms about the work and its payment are also what makes a remote
    crew's relationship work (Source C).

    ## How to fix
    Write the terms of the work down as a `contract`, or an `msa` with a `sow`
    per piece of work, and list it under `agreements`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: nda
        signed_on: 2025-12-01
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: nda
        signed_on: 2025-12-01
      - kind: sow
        signed_on: 2025-12-15
        payment_terms: Monthly, net 15
    ```
    """
    agreements = engagement.agreements
    if any(a.kind in _WORK_KINDS for a in agreements):
        return
    kinds = _kinds(agreements)
    message = "No contract, MSA or SOW is recorded"
    if len(agreements) == 1:
        only = agreements[0]
        message += (
            ": the only agreement has no kind"
            if only.kind is None
            else f": the only agreement is {_A_KIND[only.kind]}"
        )
    elif agreements:
        message += f" among the {plural(len(agreements), 'agreement')}"
        if kinds:
            message += f" ({', '.join(kinds)})"
    yield ctx.finding(message, path="agreements", evidence={"kinds": kinds})


@rule(
    code="OSK802",
    slug="unsigned-agreement",
    title="Unsigned agreement",
    category="agreement",
    severity="error",
    sources=("E",),
    fix="Have both parties sign the agreement and record the date in `signed_on`.",
)
def unsigned_agreement(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an agreement of an engagement in force that is not signed.

    ## What it checks
    For an engagement in force (active or paused), every entry of
    `agreements`: each must have a `signed_on` date on or before as_of. A
    signature dated after as_of is not known yet, so the agreement counts as
    unsigned. One finding per unsigned agreement, at
    `agreements[<i>].signed_on`. A `proposed` engagement's agreements are
    drafts as a matter of course, and an ended engagement's are history, so
    neither is judged.

    Changed in catalogue 1.1: only engagements in force are judged.

    ## Why it matters
    A draft binds nobody: keeping a signed and dated copy is what makes the
    agreement useful when tasks or payment are later disputed (Source E).

    ## How to fix
    Get the agreement signed by both parties and set `signed_on` (and
    `signed_by`); drop drafts that were abandoned.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: sow
        payment_terms: Monthly, net 15
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        signed_by: [Acme Ltd, LedgerPros]
        payment_terms: Monthly, net 15
    ```
    """
    as_of = ctx.as_of
    if not engagement.agreements or not engagement.is_in_force(as_of):
        return
    for i, agreement in enumerate(engagement.agreements):
        if agreement.is_signed(as_of):
            continue
        signed_on = agreement.signed_on
        if signed_on is None:
            message = f"{_describe(agreement, i)} is not signed"
        else:
            message = (
                f"{_describe(agreement, i)} is not signed by {as_of.isoformat()}: "
                f"its signature is dated {signed_on.isoformat()}"
            )
        yield ctx.finding(
            message,
            path=f"agreements[{i}].signed_on",
            evidence={
                "kind": None if agreement.kind is None else agreement.kind.value,
                "signed_on": signed_on,
            },
        )


@rule(
    code="OSK803",
    slug="no-payment-terms",
    title="No payment terms",
    category="agreement",
    severity="warning",
    sources=("C", "E"),
    fix="State in the agreement how much, when and how the vendor is paid.",
)
def no_payment_terms(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag agreements of which none states payment terms.

    ## What it checks
    That at least one entry of `agreements` states `payment_terms`; blank
    terms and placeholders (`TBD`, `n/a`, ...) state nothing. An engagement
    without agreements is left to OSK801: this rule needs at least one
    agreement to judge.

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Payment is where outsourcing relationships most often sour: being clear
    and fair about how and when the crew is paid keeps good people (Source C),
    and settling payment up front avoids disputes later (Source E).

    ## How to fix
    Add `payment_terms` to the agreement that governs the work (the contract,
    MSA or SOW): the amount or rate, the schedule and the payment term.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: sow
        signed_on: 2025-12-15
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        payment_terms: Monthly, net 15
    ```
    """
    agreements = engagement.agreements
    if not agreements or any(given(a.payment_terms) for a in agreements):
        return
    yield _term_stated_nowhere(
        engagement, ctx, "payment terms", [a.payment_terms for a in agreements]
    )


@rule(
    code="OSK804",
    slug="no-service-levels",
    title="No service levels",
    category="agreement",
    severity="info",
    sources=("B1",),
    fix="Agree on service levels for the recurring work: an SLA, or `service_levels` "
    "in the contract.",
    options={
        "min-days": Option(
            default=90,
            minimum=0,
            help="days an engagement may be active before service levels are expected",
        ),
    },
)
def no_service_levels(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag long-running recurring work without agreed service levels.

    ## What it checks
    Engagements active for more than `min-days` (default 90) days since
    `start` that have recurring work: a task or deliverable whose `due` is a
    cadence (`monthly`, `weekdays`, ...). It fires when no agreement is of kind
    `sla` and none lists `service_levels`.

    ## Why it matters
    Ongoing work needs a standing definition of the expected service, not only
    of the first delivery: a contract or service-level agreement makes the
    expectations explicit for both parties (Source B, mistake 1).

    ## How to fix
    Add an `sla` agreement, or `service_levels` (name and target, e.g.
    `{name: response-time, target: 24h}`) to the contract or MSA.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    deliverables:
      - name: Monthly P&L
        due: monthly
    agreements:
      - kind: sow
        signed_on: 2025-12-15
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    deliverables:
      - name: Monthly P&L
        due: monthly
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        service_levels:
          - {name: delivery, target: 5th business day}
    ```
    """
    agreements = engagement.agreements
    if any(a.kind is AgreementKind.SLA or a.service_levels for a in agreements):
        return
    min_days: int = ctx.options["min-days"]
    if not engagement.active_for_more_than(min_days, ctx.as_of):
        return
    recurring = [
        f'task "{t.name}"' if t.name is not None else f"tasks[{i}]"
        for i, t in enumerate(engagement.tasks)
        if isinstance(t.due, Cadence)
    ] + [
        f'deliverable "{d.name}"' if d.name is not None else f"deliverables[{i}]"
        for i, d in enumerate(engagement.deliverables)
        if isinstance(d.due, Cadence)
    ]
    if not recurring:
        return
    start = engagement.start
    age = 0 if start is None else (ctx.as_of - start).days
    yield ctx.finding(
        f"Recurring work ({', '.join(recurring)}) has run for {plural(age, 'day')}, "
        f"more than {min_days}, without an SLA or service levels",
        path="agreements",
        evidence={"recurring": recurring, "age_days": age, "min_days": min_days},
    )


@rule(
    code="OSK805",
    slug="agreement-expired",
    title="Agreement expired",
    category="agreement",
    severity="error",
    sources=("E",),
    fix="Renew the contract, MSA or SOW (or sign a new one), or end the engagement.",
)
def agreement_expired(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement in force whose every contract, MSA and SOW has expired.

    ## What it checks
    For an engagement in force (active or paused), its agreements of kind
    `contract`, `msa` and `sow`. It fires when there is at least one and every
    one expired before as_of (`expires` < as_of; an agreement without
    `expires` never expires). The finding points at the agreement that expired
    last, and its message counts the agreements in words ("The only SOW",
    "Both SOWs", "All three agreements for the work"). Without any such
    agreement OSK801 reports instead.

    Changed in catalogue 1.1: only engagements in force are judged, and the
    message counts the agreements in words.

    ## Why it matters
    Work that continues after its agreement ran out continues on no agreed
    terms: the protection a signed agreement gives when tasks or payment are
    questioned is gone (Source E).

    ## How to fix
    Sign a renewal or a new agreement and add it to `agreements` (or extend
    `expires`), or end the engagement.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        expires: 2026-06-30
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        expires: 2026-06-30
      - kind: sow
        signed_on: 2026-06-20
        effective: 2026-07-01
        expires: 2027-06-30
    ```
    """
    agreements = engagement.agreements
    if not agreements:
        return
    as_of = ctx.as_of
    work: list[tuple[dt.date, int]] = []
    for i, agreement in enumerate(agreements):
        if agreement.kind in _WORK_KINDS:
            if agreement.expires is None or not agreement.is_expired(as_of):
                return
            work.append((agreement.expires, i))
    if not work or not engagement.is_in_force(as_of):
        return
    last, index = max(work)
    kinds = [_kind_word(agreements[i]) for _, i in sorted(work, key=lambda w: w[1])]
    if len(work) == 1:
        message = (
            f"The only {kinds[0]} (agreements[{index}]) expired on "
            f"{last.isoformat()} while the engagement is still in force"
        )
    else:
        if len(set(kinds)) == 1:
            what = f"{kinds[0]}s"
        elif len(kinds) == 2:
            what = f"the {kinds[0]} and the {kinds[1]}"
        else:
            what = f"agreements for the work ({', '.join(kinds)})"
        count = "Both" if len(kinds) == 2 else f"All {number_word(len(kinds))}"
        message = (
            f"{count} {what} have expired, the last on {last.isoformat()}, "
            "while the engagement is still in force"
        )
    yield ctx.finding(
        message,
        path=f"agreements[{index}].expires",
        evidence={
            "expired": [
                {"kind": _kind_word(agreements[i]), "expires": day} for day, i in work
            ],
            "last_expired": last,
        },
    )


@rule(
    code="OSK806",
    slug="no-termination-terms",
    title="No termination terms",
    category="agreement",
    severity="info",
    sources=("B7",),
    fix="State in the agreement how either party can end it: notice period and "
    "what happens to work in progress.",
)
def no_termination_terms(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag agreements of which none states how the engagement can be ended.

    ## What it checks
    That at least one entry of `agreements` states `termination` terms; blank
    terms and placeholders (`TBD`, `n/a`, ...) state nothing. An engagement
    without agreements is left to OSK801: this rule needs at least one
    agreement to judge.

    Changed in catalogue 1.1: placeholders count as absent.

    ## Why it matters
    Being ready to end a partnership that falls short of its expectations is
    part of managing performance (Source B, mistake 7); without agreed
    termination terms, ending it is a negotiation held at the worst moment.

    ## How to fix
    Add `termination` to the governing agreement: the notice period, the
    grounds, and how work and data are handed back.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: sow
        signed_on: 2025-12-15
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        termination: 30 days notice by either party
    ```
    """
    agreements = engagement.agreements
    if not agreements or any(given(a.termination) for a in agreements):
        return
    yield _term_stated_nowhere(
        engagement, ctx, "termination terms", [a.termination for a in agreements]
    )


@rule(
    code="OSK807",
    slug="work-before-agreement",
    title="Work before agreement",
    category="agreement",
    severity="warning",
    sources=("E", "C"),
    fix="Sign the agreement before work starts; for work already under way, sign "
    "it now and make it cover the work done so far.",
)
def work_before_agreement(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that started before its first contract, MSA or SOW was signed.

    ## What it checks
    When at least one `contract`, `msa` or `sow` is signed (on or before
    as_of), that the engagement's `start` is not before the earliest such
    signature. Without a signed one (OSK801/OSK802 report that) or without
    `start` the rule stays silent.

    ## Why it matters
    Work done before the terms are signed is work done on assumptions: what the
    vendor delivers, and what it is paid, should be agreed in writing before it
    begins (Source E), and a crew works best when the terms are clear from the
    outset (Source C).

    ## How to fix
    Sign the agreement before the start date. If the work really started
    earlier, correct `start`, or make the agreement cover the period from the
    start (its `effective` date) when it is signed.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    agreements:
      - kind: sow
        signed_on: 2026-02-01
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    start: 2026-02-02
    agreements:
      - kind: sow
        signed_on: 2026-02-01
    ```
    """
    start = engagement.start
    if start is None or not engagement.agreements:
        return
    as_of = ctx.as_of
    first: tuple[dt.date, int] | None = None
    for i, agreement in enumerate(engagement.agreements):
        signed_on = agreement.signed_on
        if (
            agreement.kind in _WORK_KINDS
            and signed_on is not None
            and signed_on <= as_of
            and (first is None or signed_on < first[0])
        ):
            first = (signed_on, i)
    if first is None or start >= first[0]:
        return
    signed_on, index = first
    kind = _kind_word(engagement.agreements[index])
    days = (signed_on - start).days
    yield ctx.finding(
        f"The engagement started on {start.isoformat()}, {_days(days)} before its "
        f"first {kind} was signed on {signed_on.isoformat()}",
        path="start",
        evidence={
            "start": start,
            "first_signed": signed_on,
            "kind": kind,
            "days": days,
            "agreement": f"agreements[{index}]",
        },
    )


@rule(
    code="OSK808",
    slug="agreement-expiring",
    title="Agreement expiring soon",
    category="agreement",
    severity="info",
    sources=("E",),
    fix="Decide now whether to renew the agreement, and sign the renewal before it "
    "expires.",
    options={
        "notice-days": Option(
            default=30,
            minimum=0,
            help="days before an agreement expires from which it is reported",
        ),
    },
)
def agreement_expiring(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an agreement of an engagement in force that expires soon.

    ## What it checks
    For an engagement in force (active or paused), each agreement whose
    `expires` date is on or after as_of and fewer than `notice-days` (default
    30) days after it. An agreement expiring exactly `notice-days` days after
    as_of still leaves the full notice period and does not fire; one expiring
    on as_of itself (its last day in force) does. One finding per agreement.
    An agreement that ends with the work is not reported: when the
    engagement's `end` is on or before the agreement's `expires`, there is
    nothing to renew.

    Changed in catalogue 1.1: only engagements in force are judged, and the
    rule is silent when the engagement ends on or before the agreement expires.

    ## Why it matters
    An agreement that lapses unnoticed leaves the work, the data and the
    payments without signed terms (Source E); renewing takes time, so the
    decision belongs before the last weeks.

    ## How to fix
    Renew or replace the agreement and record the new one (or the new
    `expires` date); if the engagement is ending with it, set its `end`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: nda
        signed_on: 2025-12-01
        expires: 2026-12-01
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    agreements:
      - kind: nda
        signed_on: 2025-12-01
        expires: 2027-12-01
    ```
    """
    if not engagement.agreements or not engagement.is_in_force(ctx.as_of):
        return
    as_of = ctx.as_of
    notice: int = ctx.options["notice-days"]
    end = engagement.end
    for i, agreement in enumerate(engagement.agreements):
        expires = agreement.expires
        if expires is None or expires < as_of:
            continue
        if end is not None and end <= expires:
            continue
        days = (expires - as_of).days
        if days >= notice:
            continue
        when = "today" if days == 0 else f"in {_days(days)}"
        yield ctx.finding(
            f"{_describe(agreement, i)} expires on {expires.isoformat()}, {when}, "
            f"within the {notice}-day notice period",
            path=f"agreements[{i}].expires",
            evidence={
                "kind": None if agreement.kind is None else agreement.kind.value,
                "expires": expires,
                "days": days,
                "notice_days": notice,
            },
        )


@functools.lru_cache(maxsize=4096)
def _normalised(text: str) -> str:
    """Return a name as OSK809 compares it: case ignored, runs of blanks as one.

    Remembered for the names normalised last: the same parties sign many
    agreements.
    """
    return " ".join(text.split()).casefold()


@functools.lru_cache(maxsize=1024)
def _signatories(signed_by: tuple[str, ...]) -> frozenset[str]:
    """Return the names a `signed_by` list states, as OSK809 compares them.

    Placeholders are left out. Remembered for the lists seen last: the same
    parties sign many agreements.
    """
    return frozenset(_normalised(e) for e in signed_by if not says_nothing(e))


@functools.lru_cache(maxsize=1024)
def _vendor_names(name: str | None, vendor_id: str | None) -> frozenset[str] | None:
    """Return the names that identify the vendor, as OSK809 compares them.

    Its name and its id; None when its name is unknown. Remembered for the
    vendors seen last: one vendor serves many engagements.
    """
    if not given(name):
        return None
    if not given(vendor_id):
        return frozenset((_normalised(name),))
    return frozenset((_normalised(name), _normalised(vendor_id)))


def _signed_by_one(
    names: frozenset[str], client: Party, vendor_names: frozenset[str]
) -> str | None:
    """Return the party (``client``, ``vendor``) that alone signed as *names*.

    None when the names are not all one party's, when the client's name is
    unknown, or when a name identifies both parties.
    """
    # The client has one name and the vendor at most two (name and id), so
    # several names can only be the vendor's: the usual list, naming both
    # parties, is passed over before the client's name is looked at.
    if len(names) > 1 and not names <= vendor_names:
        return None
    if not given(client.name):
        return None
    client_names = frozenset((_normalised(client.name),))
    if client_names & vendor_names:
        return None  # the parties cannot be told apart
    if names <= client_names:
        return "client"
    return "vendor" if names <= vendor_names else None


@rule(
    code="OSK809",
    slug="one-sided-signature",
    title="Agreement signed by one party only",
    category="agreement",
    severity="warning",
    sources=("E",),
    fix="Have both parties sign the agreement and list both signatures in `signed_by`.",
)
def one_sided_signature(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a signed agreement whose recorded signatures all come from one party.

    ## What it checks
    Every agreement signed on or before as_of that lists `signed_by`. Each
    entry is matched against the parties: the client by `client.name`, the
    vendor by `vendor.name` or `vendor.id`, ignoring case, leading and
    trailing blanks and repeated inner blanks (`ACME  ltd` is `Acme Ltd`). The
    rule fires when every entry matches one and the same party, so the other
    party's signature is not recorded. One finding per such agreement, at
    `agreements[<i>].signed_by`.

    It stays silent when `signed_by` is absent or lists only placeholders,
    when an entry matches neither party (a signatory's own name, such as
    `Dana Reyes`, cannot be told apart), and when either party's name is
    unknown.

    New in catalogue 1.1.

    ## Why it matters
    An agreement protects both sides only when both have agreed to it: the
    advice is to put the terms in writing, have them signed and dated by both
    parties, and keep the copy for when tasks or payment are questioned
    (Source E). A contract the vendor signed and the client never did (or the
    other way round) is a draft with one signature.

    ## How to fix
    Get the missing signature and add the party to `signed_by`; if both did
    sign, correct the record.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    client: {name: Acme Ltd}
    vendor: {name: LedgerPros}
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        signed_by: [LedgerPros]
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    client: {name: Acme Ltd}
    vendor: {name: LedgerPros}
    agreements:
      - kind: sow
        signed_on: 2025-12-15
        signed_by: [Acme Ltd, LedgerPros]
    ```
    """
    agreements = engagement.agreements
    client, vendor = engagement.client, engagement.vendor
    if not agreements or client is None or vendor is None:
        return
    as_of = ctx.as_of
    vendor_names = None
    for i, agreement in enumerate(agreements):
        if not agreement.signed_by or not agreement.is_signed(as_of):
            continue
        names = _signatories(agreement.signed_by)
        if not names:
            continue
        if vendor_names is None:
            vendor_names = _vendor_names(vendor.name, vendor.id)
            if vendor_names is None:
                return
        side = _signed_by_one(names, client, vendor_names)
        if side is None:
            continue
        other = "vendor" if side == "client" else "client"
        entries = [e for e in agreement.signed_by if not says_nothing(e)]
        missing_party = (
            vendor_name(vendor) if other == "vendor" else client_name(client)
        )
        yield ctx.finding(
            f"{_describe(agreement, i)} is signed by the {side} only "
            f"({', '.join(entries)}): no signature of {missing_party}, the "
            f"{other}, is recorded",
            path=f"agreements[{i}].signed_by",
            evidence={
                "kind": None if agreement.kind is None else agreement.kind.value,
                "signed_by": list(agreement.signed_by),
                "party": side,
                "missing": other,
            },
        )


#: The kinds of agreement whose signed copy OSK810 expects to be kept.
COPY_KINDS = frozenset(
    {
        AgreementKind.CONTRACT,
        AgreementKind.MSA,
        AgreementKind.SOW,
        AgreementKind.NDA,
        AgreementKind.DPA,
    }
)
#: COPY_KINDS as a tuple, compared by identity (see ``_WORK_KINDS``).
_COPY_KINDS = tuple(COPY_KINDS)


@rule(
    code="OSK810",
    slug="no-agreement-copy",
    title="No copy of the signed agreement",
    category="agreement",
    severity="info",
    sources=("E",),
    fix="Keep the signed and dated copy of the agreement and say where it is in "
    "`document`.",
)
def no_agreement_copy(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a signed agreement without a record of where its signed copy is kept.

    ## What it checks
    Every `contract`, `msa`, `sow`, `nda` and `dpa` signed on or before as_of:
    each must have a `document`, the file or place where the signed copy is
    kept. An absent, blank or placeholder value (`TBD`, `n/a`, ...) fires. One
    finding per agreement, at `agreements[<i>].document`. Unsigned agreements
    are OSK802's; an `sla` is not judged.

    New in catalogue 1.1.

    ## Why it matters
    The point of a written agreement is to have it when the deal, the tasks or
    the payments are disputed; that takes a signed and dated copy filed for
    the record (Source E). A signature nobody can find later protects little.

    ## How to fix
    File the signed copy (a contract folder, a document system) and set the
    agreement's `document` to its path or link.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: nda
        signed_on: 2025-12-01
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    agreements:
      - kind: nda
        signed_on: 2025-12-01
        document: contracts/nda.pdf
    ```
    """
    as_of = ctx.as_of
    for i, agreement in enumerate(engagement.agreements):
        kind, signed_on, document = (
            agreement.kind,
            agreement.signed_on,
            agreement.document,
        )
        if signed_on is None or signed_on > as_of or kind not in _COPY_KINDS:
            continue
        if given(document):
            continue
        message = (
            f"{_describe(agreement, i)} was signed on {signed_on.isoformat()} but "
            "where its signed copy is kept is not recorded"
        )
        note = unstated_note(document)
        if note is not None:
            message += f" (`document` is {note})"
        yield ctx.finding(
            message,
            path=f"agreements[{i}].document",
            evidence={
                "kind": kind.value,
                "signed_on": signed_on,
                "document": document,
            },
        )


#: The agreement rules, in catalogue order.
RULES = (
    no_written_agreement,
    unsigned_agreement,
    no_payment_terms,
    no_service_levels,
    agreement_expired,
    no_termination_terms,
    work_before_agreement,
    agreement_expiring,
    one_sided_signature,
    no_agreement_copy,
)
