"""Confidentiality rules (OSK6xx): NDAs, secure sharing, DPAs and access."""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING

import attrs

from outsourcekit.engine import Context, Finding, Option, Severity, rule
from outsourcekit.model import Agreement, AgreementKind, Engagement, SecurityReview

from ._common import item_path, plural, vendor_name

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

__all__ = [
    "RULES",
    "access_not_revoked",
    "data_handling_unknown",
    "insecure_sharing",
    "missing_dpa",
    "missing_nda",
    "nda_after_sharing",
    "nda_expired",
    "no_security_review",
]


def _is_sensitive(engagement: Engagement) -> bool:
    """Whether sensitive data is shared: confidential, or personal data.

    Personal data of customers or staff is sensitive whatever `confidential`
    says.
    """
    data = engagement.data
    return data is not None and (
        data.confidential is True or data.personal_data is True
    )


def _has_personal_data(engagement: Engagement) -> bool:
    data = engagement.data
    return data is not None and data.personal_data is True


def _sensitive_data(engagement: Engagement) -> str:
    """How a message names the sensitive data: ``Confidential data``, ..."""
    data = engagement.data
    confidential = data is not None and data.confidential is True
    personal = data is not None and data.personal_data is True
    if confidential and personal:
        return "Confidential and personal data"
    return "Personal data" if personal else "Confidential data"


def _vendor_name(engagement: Engagement) -> str:
    return vendor_name(engagement.vendor)


#: Sort keys of signed agreements (signed_ndas has only signed ones; all those
#: OSK603 compares have expired, so have an `expires` date).
_signed_on = operator.attrgetter("signed_on")
_expires = operator.attrgetter("expires")


def _index_of(engagement: Engagement, agreement: Agreement) -> int:
    """Return where in `agreements` *agreement* (this very object) is, for a path."""
    return next(i for i, a in enumerate(engagement.agreements) if a is agreement)


def _describe(agreement: Agreement) -> str:
    """How a message names a confidentiality agreement: "NDA", "MSA with ..."."""
    if agreement.kind is AgreementKind.NDA:
        return "NDA"
    kind = "MSA" if agreement.kind is AgreementKind.MSA else "contract"
    return f"{kind} with confidentiality terms"


def _sharing_since(engagement: Engagement) -> dt.date | None:
    """When sharing began: `data.shared_since`, else `start`."""
    data = engagement.data
    if data is not None and data.shared_since is not None:
        return data.shared_since
    return engagement.start


@rule(
    code="OSK601",
    slug="missing-nda",
    title="Sensitive data without an NDA",
    category="confidentiality",
    severity="error",
    sources=("B6",),
    fix="Have the vendor sign a non-disclosure agreement before any "
    "confidential or personal data is shared.",
)
def missing_nda(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag sensitive data shared without any signed NDA.

    ## What it checks
    Fires when sensitive data is shared and no agreement of kind `nda` has a
    `signed_on` on or before as_of, whether or not it has since expired (OSK603
    covers expiry). A signed `msa` or `contract` with `confidentiality: true`
    counts as an NDA. Sensitive data means `data.confidential: true` or
    `data.personal_data: true`: personal data of customers or staff is
    sensitive whatever `confidential` says.

    Changed in catalogue 1.1: personal data makes the rule apply too.

    ## Why it matters
    Sensitive business information handed to an outside party without a
    non-disclosure agreement invites leaks and theft of intellectual property;
    the NDA comes before the sharing (Source B, mistake 6).

    ## How to fix
    Sign an NDA (or a contract with confidentiality clauses) and record it under
    `agreements` with its `signed_on` date.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    data:
      confidential: true
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    data:
      confidential: true
    agreements:
      - {kind: nda, signed_on: 2025-12-01}
    ```
    """
    if not _is_sensitive(engagement) or engagement.signed_ndas(ctx.as_of):
        return
    since = _sharing_since(engagement)
    what = _sensitive_data(engagement)
    if since is None:
        shared = f"{what} is shared"
    elif since > ctx.as_of:
        shared = f"{what} is to be shared from {since.isoformat()}"
    else:
        shared = f"{what} is shared since {since.isoformat()}"
    yield ctx.finding(
        f"{shared} but no NDA is signed",
        path="agreements",
        evidence={"shared_since": since, "signed_ndas": 0},
    )


@rule(
    code="OSK602",
    slug="nda-after-sharing",
    title="NDA signed after sharing began",
    category="confidentiality",
    severity="warning",
    sources=("B6",),
    fix="Sign the NDA before sharing starts; for data already shared, have the "
    "NDA cover it explicitly.",
)
def nda_after_sharing(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an NDA that was signed only after data sharing began.

    ## What it checks
    Takes the earliest `signed_on` (on or before as_of) among agreements that
    bind confidentiality (an `nda`, or an `msa`/`contract` with
    `confidentiality: true`) and fires when it is after `data.shared_since`, or
    after `start` when `shared_since` is absent. Silent without a signed NDA
    (OSK601's case) and without either date. What `data` says about sensitive
    data does not matter: the NDA itself says that something worth protecting
    is shared, and whatever was shared before its signature was not protected,
    so `data.confidential: false` does not silence the rule.

    ## Why it matters
    The practice is to have the partner sign the NDA before proprietary
    information changes hands (Source B, mistake 6); whatever was shared before
    the signature was shared unprotected.

    ## How to fix
    Sign NDAs before sharing starts. If sharing has already begun, make sure the
    NDA explicitly covers information disclosed before its date, and correct
    `data.shared_since` if it is wrong.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    data:
      confidential: true
      shared_since: 2026-01-05
    agreements:
      - {kind: nda, signed_on: 2026-02-01}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    data:
      confidential: true
      shared_since: 2026-01-05
    agreements:
      - {kind: nda, signed_on: 2025-12-01}
    ```
    """
    since = _sharing_since(engagement)
    if since is None:
        return
    ndas = engagement.signed_ndas(ctx.as_of)
    if not ndas:
        return
    # the earliest signature; ties go to the first in the file (min keeps the first)
    first = min(ndas, key=_signed_on)
    signed = first.signed_on
    if signed is None or signed <= since:
        return
    index = _index_of(engagement, first)
    days = (signed - since).days
    yield ctx.finding(
        f"The first {_describe(first)} was signed on {signed.isoformat()}, "
        f"{plural(days, 'day')} after data sharing began on "
        f"{since.isoformat()}",
        path=f"agreements[{index}].signed_on",
        evidence={"signed_on": signed, "shared_since": since, "days_late": days},
    )


@rule(
    code="OSK603",
    slug="nda-expired",
    title="Every NDA has expired",
    category="confidentiality",
    severity="error",
    sources=("B6",),
    fix="Renew the NDA (or extend its term) for as long as confidential or "
    "personal data is shared.",
)
def nda_expired(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement in force whose every signed NDA has expired.

    ## What it checks
    Fires when sensitive data is shared (`data.confidential: true` or
    `data.personal_data: true`), the engagement is in force (active or
    paused), at least one agreement binding confidentiality is signed on or
    before as_of, and every such agreement has an `expires` date before as_of.
    The finding points at the expiry of the one that lasted longest.

    Changed in catalogue 1.1: personal data makes the rule apply too.

    ## Why it matters
    An NDA protects only while it is in force; once it lapses, confidential data
    still flowing to the vendor is as exposed as if none had been signed
    (Source B, mistake 6).

    ## How to fix
    Renew or extend the NDA and record the new agreement or its new `expires`
    date.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2025-01-06
    data:
      confidential: true
    agreements:
      - {kind: nda, signed_on: 2025-01-02, expires: 2026-06-30}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2025-01-06
    data:
      confidential: true
    agreements:
      - {kind: nda, signed_on: 2025-01-02, expires: 2027-06-30}
    ```
    """
    as_of = ctx.as_of
    if not _is_sensitive(engagement) or not engagement.is_in_force(as_of):
        return
    ndas = engagement.signed_ndas(as_of)
    if not ndas or not all(a.is_expired(as_of) for a in ndas):
        return
    # the latest expiry; ties go to the last in the file (max keeps the first seen)
    last = max(reversed(ndas), key=_expires)
    expired_on = last.expires
    if expired_on is None:  # pragma: no cover - an expired agreement has a date
        return
    index = _index_of(engagement, last)
    count = len(ndas)
    if count == 1:
        expired = f"The only {_describe(last)} expired on {expired_on.isoformat()}"
    else:
        kinds = (
            "NDAs"
            if all(a.kind is AgreementKind.NDA for a in ndas)
            else "confidentiality agreements"
        )
        expired = (
            f"Every one of the {count} {kinds} expired, "
            f"the last on {expired_on.isoformat()},"
        )
    yield ctx.finding(
        f"{expired} while {_sensitive_data(engagement).lower()} is still shared",
        path=f"agreements[{index}].expires",
        evidence={"expired_on": expired_on, "signed_ndas": count},
    )


@rule(
    code="OSK604",
    slug="insecure-sharing",
    title="Sensitive data over an insecure service",
    category="confidentiality",
    severity="warning",
    sources=("B6", "GDPR Art. 32"),
    fix="Move confidential and personal data to file-sharing services and channels "
    "secured for it, or stop using the insecure one.",
)
def insecure_sharing(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an insecure service or channel while sensitive data is shared.

    ## What it checks
    When sensitive data is shared (`data.confidential: true` or
    `data.personal_data: true`), fires once for each entry of
    `data.file_sharing` and of `communication.channels` marked `secure: false`.
    An absent `secure` means unknown and does not fire. The rule is a warning;
    its findings are errors when `data.personal_data` is `true`. A severity set
    for the rule in configuration applies to all of its findings.

    Changed in catalogue 1.1: personal data makes the rule apply, and makes
    its findings errors.

    ## Why it matters
    Whatever carries sensitive information to the vendor, a file store or a
    way of talking, has to be protected (Source B, mistake 6); one insecure
    service is enough for a leak. For personal data, data-protection law asks for
    security appropriate to the risk (GDPR Article 32), so an insecure service
    is more than a weakness.

    ## How to fix
    Replace the service with a secure one, or, if it was wrongly recorded, set
    `secure: true` once it has been checked.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    data:
      confidential: true
      file_sharing:
        - {name: Public FTP, secure: false}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    data:
      confidential: true
      file_sharing:
        - {name: Google Drive, secure: true}
    ```
    """
    data = engagement.data
    if data is None or not _is_sensitive(engagement):
        return
    shares = data.file_sharing
    plan = engagement.communication
    channels = () if plan is None else plan.channels
    if all(s.secure is not False for s in shares) and all(
        c.secure is not False for c in channels
    ):
        return
    what = _sensitive_data(engagement)
    personal = _has_personal_data(engagement)
    extra = {"personal_data": True} if personal else {}
    found: list[Finding] = []
    for index, share in enumerate(shares):
        if share.secure is False:
            label = share.name if share.name is not None else f"#{index}"
            found.append(
                ctx.finding(
                    f"{what} is shared while file-sharing service {label} "
                    "is not secure",
                    path=f"{item_path('data.file_sharing', shares, index)}.secure",
                    evidence={"file_sharing": label, "secure": False, **extra},
                )
            )
    for index, channel in enumerate(channels):
        if channel.secure is False:
            label = channel.name if channel.name is not None else f"#{index}"
            found.append(
                ctx.finding(
                    f"{what} is shared while channel {label} is not secure",
                    path=f"{item_path('communication.channels', channels, index)}"
                    ".secure",
                    evidence={"channel": label, "secure": False, **extra},
                )
            )
    if personal:
        found = [attrs.evolve(f, severity=Severity.ERROR) for f in found]
    yield from found


@rule(
    code="OSK605",
    slug="no-security-review",
    title="Vendor security not reviewed",
    category="confidentiality",
    severity="warning",
    sources=("B6",),
    fix="Review the vendor's data-security measures and record the passed review.",
)
def no_security_review(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag sensitive data shared with a vendor whose security review has not passed.

    ## What it checks
    Fires when sensitive data is shared (`data.confidential: true` or
    `data.personal_data: true`) and `vendor.vetting.security_review` is not
    `passed`: `none`, `failed`, or absent (an absent review counts as not
    passed).

    Changed in catalogue 1.1: personal data makes the rule apply too.

    ## Why it matters
    Before trusting a vendor with sensitive data, vet it for robust data security
    measures (Source B, mistake 6).

    ## How to fix
    Review the vendor's security practices; when they pass, set
    `vendor.vetting.security_review: passed`. A failed review calls for fixes, or
    for keeping confidential data away from the vendor.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
    data:
      confidential: true
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    vendor:
      name: LedgerPros
      vetting:
        security_review: passed
    data:
      confidential: true
    ```
    """
    if not _is_sensitive(engagement):
        return
    vendor = engagement.vendor
    vetting = None if vendor is None else vendor.vetting
    review = None if vetting is None else vetting.security_review
    if review is SecurityReview.PASSED:
        return
    state = {
        None: "has no recorded security review",
        SecurityReview.NONE: "has had no security review",
        SecurityReview.FAILED: "failed its security review",
    }[review]
    yield ctx.finding(
        f"{_sensitive_data(engagement)} is shared with {_vendor_name(engagement)}, "
        f"which {state}",
        path="vendor.vetting.security_review",
        evidence={"security_review": None if review is None else review.value},
    )


@rule(
    code="OSK606",
    slug="missing-dpa",
    title="Personal data without a DPA",
    category="confidentiality",
    severity="error",
    sources=("GDPR Art. 28",),
    fix="Sign a data processing agreement with the vendor before it processes "
    "personal data.",
)
def missing_dpa(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag personal data processed by the vendor without a signed DPA.

    ## What it checks
    Fires when `data.personal_data` is `true` and no agreement of kind `dpa` has a
    `signed_on` on or before as_of.

    ## Why it matters
    Under GDPR Article 28 a processor handles personal data on the controller's
    behalf only under a binding contract that sets out the subject, duration,
    purpose and safeguards of the processing: the data processing agreement.

    ## How to fix
    Sign a DPA with the vendor and add it to `agreements` with `kind: dpa` and
    its `signed_on` date.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    data:
      personal_data: true
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    data:
      personal_data: true
    agreements:
      - {kind: dpa, signed_on: 2025-12-01}
    ```
    """
    data = engagement.data
    if data is None or data.personal_data is not True:
        return
    as_of = ctx.as_of
    if any(a.is_signed(as_of) for a in engagement.agreements_of(AgreementKind.DPA)):
        return
    yield ctx.finding(
        f"Personal data is processed by {_vendor_name(engagement)} "
        "but no DPA is signed",
        path="agreements",
        evidence={"personal_data": True, "signed_dpas": 0},
    )


@rule(
    code="OSK607",
    slug="access-not-revoked",
    title="Access not revoked after the end",
    category="confidentiality",
    severity="error",
    sources=("NIST PS-7",),
    fix="Revoke every access the vendor was given as soon as the engagement "
    "ends, and record the date.",
    options={
        "max-days": Option(
            default=1,
            help="Days after the end within which access must be revoked.",
            minimum=0,
        )
    },
)
def access_not_revoked(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag vendor access left open, or closed late, after the engagement ended.

    ## What it checks
    For an ended engagement (status `ended`, or no status and an `end` before
    as_of), fires once for each entry of `access` that has no `revoked_on` on or
    before as_of, or whose `revoked_on` is more than `max-days` (default 1) days
    after `end`. Without an `end` date only a missing revocation fires. A grant
    dated after as_of (`granted_on`) is not known yet and is not judged.

    Changed in catalogue 1.1: access granted after as_of is ignored.

    ## Why it matters
    Security practice for external personnel (NIST SP 800-53 PS-7) requires that
    their access to systems and information ends promptly when their work does;
    a forgotten account is an open door.

    ## How to fix
    Revoke the access in the system and record `revoked_on` on the grant.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: ended
    start: 2026-01-05
    end: 2026-10-30
    access:
      - {system: Xero, granted_on: 2026-01-05}
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: ended
    start: 2026-01-05
    end: 2026-10-30
    access:
      - {system: Xero, granted_on: 2026-01-05, revoked_on: 2026-10-30}
    ```
    """
    grants = engagement.access
    as_of = ctx.as_of
    if not grants or not engagement.is_ended(as_of):
        return
    max_days: int = ctx.options["max-days"]
    end = engagement.end
    ended = "has ended" if end is None else f"ended on {end.isoformat()}"
    for index, grant in enumerate(grants):
        if grant.granted_on is not None and grant.granted_on > as_of:
            continue
        system = grant.system if grant.system is not None else f"#{index}"
        revoked = grant.revoked_on
        if revoked is not None and revoked > as_of:
            revoked = None  # a revocation after as_of is not known yet
        if revoked is None:
            yield ctx.finding(
                f"Access to {system} is not revoked although the engagement {ended}",
                path=f"access[{index}]",
                evidence={"system": system, "end": end, "revoked_on": None},
            )
            continue
        if end is None:
            continue
        late = (revoked - end).days
        if late > max_days:
            yield ctx.finding(
                f"Access to {system} was revoked on {revoked.isoformat()}, "
                f"{plural(late, 'day')} after the engagement ended on "
                f"{end.isoformat()}, "
                f"more than the {plural(max_days, 'day')} allowed",
                path=f"access[{index}]",
                evidence={
                    "system": system,
                    "end": end,
                    "revoked_on": revoked,
                    "days_after_end": late,
                    "max_days": max_days,
                },
            )


@rule(
    code="OSK608",
    slug="data-handling-unknown",
    title="Data handling unknown",
    category="confidentiality",
    severity="info",
    sources=("B6",),
    fix="Record whether confidential information is shared with the vendor "
    "(`data.confidential`).",
)
def data_handling_unknown(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an active engagement that does not say whether confidential data is shared.

    ## What it checks
    Fires when the engagement is active, `data.confidential` is absent and
    `data.personal_data` is not `true`. An explicit `false` is an answer and
    does not fire; neither does `personal_data: true`, as personal data is
    sensitive whatever `confidential` says, so the confidentiality rules
    already judge the engagement.

    Changed in catalogue 1.1: silent when personal data is shared.

    ## Why it matters
    The confidentiality rules (NDA, secure sharing, security review) judge only
    engagements that say they share sensitive data; while nobody has said so
    either way, a missing NDA stays invisible (Source B, mistake 6).

    ## How to fix
    Set `data.confidential` to `true` or `false`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    data:
      confidential: false
    ```
    """
    data = engagement.data
    if (
        (data is None or data.confidential is None)
        and not _has_personal_data(engagement)
        and engagement.is_active(ctx.as_of)
    ):
        yield ctx.finding(
            f"It is not recorded whether confidential data is shared with "
            f"{_vendor_name(engagement)}",
            path="data.confidential",
            evidence={"confidential": None},
        )


#: The confidentiality rules, in catalogue order.
RULES = (
    missing_nda,
    nda_after_sharing,
    nda_expired,
    insecure_sharing,
    no_security_review,
    missing_dpa,
    access_not_revoked,
    data_handling_unknown,
)
