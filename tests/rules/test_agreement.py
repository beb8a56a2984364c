"""Tests for the agreement rules (OSK801-OSK810)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit.builtin.rules import agreement
from outsourcekit.model import (
    Agreement,
    AgreementKind,
    Cadence,
    Deliverable,
    Engagement,
    Party,
    ServiceLevel,
    Status,
    Task,
    Vendor,
    is_placeholder,
)
from outsourcekit.testing import run_rule

AS_OF = dt.date(2026, 11, 22)
START = dt.date(2026, 1, 5)
SIGNED = dt.date(2025, 12, 15)

NDA = AgreementKind.NDA
SOW = AgreementKind.SOW


def with_agreements(*agreements: Agreement, **kwargs) -> Engagement:
    """An active engagement started on START with the given agreements."""
    fields = {"id": "acme", "status": Status.ACTIVE, "start": START, **kwargs}
    return Engagement(agreements=list(agreements), **fields)


def signed(kind: AgreementKind, **kwargs) -> Agreement:
    return Agreement(kind=kind, signed_on=kwargs.pop("signed_on", SIGNED), **kwargs)


def days_after(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


class TestOSK801:
    def test_fires_with_only_an_nda(self):
        """An NDA is not a written agreement for the work."""
        eng = with_agreements(signed(NDA), Agreement(kind=AgreementKind.DPA))

        (f,) = run_rule(agreement.no_written_agreement, eng, as_of=AS_OF)

        assert ("OSK801", "agreements", "error") == (f.rule, f.path, f.severity.value)
        assert (
            "No contract, MSA or SOW is recorded among the 2 agreements (nda, dpa)"
            == (f.message)
        )
        assert {"kinds": ("nda", "dpa")} == f.evidence

    @pytest.mark.parametrize(
        ("only", "said"),
        [
            (signed(NDA), "is an NDA"),
            (Agreement(kind=AgreementKind.DPA), "is a DPA"),
            (Agreement(kind=AgreementKind.SLA), "is an SLA"),
            (Agreement(), "has no kind"),
        ],
    )
    def test_one_agreement_is_singular(self, only, said):
        """One agreement is not "the 1 agreements": the message names its kind."""
        (f,) = run_rule(
            agreement.no_written_agreement, with_agreements(only), as_of=AS_OF
        )

        assert f"No contract, MSA or SOW is recorded: the only agreement {said}" == (
            f.message
        )
        assert {"kinds": () if only.kind is None else (only.kind.value,)} == (
            f.evidence
        )

    def test_fires_without_agreements(self):
        """No agreements at all fires with a short message."""
        (f,) = run_rule(agreement.no_written_agreement, Engagement(id="x"), as_of=AS_OF)

        assert "No contract, MSA or SOW is recorded" == f.message
        assert {"kinds": ()} == f.evidence

    @pytest.mark.parametrize(
        "kind", [AgreementKind.CONTRACT, AgreementKind.MSA, AgreementKind.SOW]
    )
    def test_any_work_agreement_passes(self, kind):
        """A contract, an MSA or an SOW, even unsigned, is a written agreement."""
        eng = with_agreements(signed(NDA), Agreement(kind=kind))

        assert [] == run_rule(agreement.no_written_agreement, eng, as_of=AS_OF)


class TestOSK802:
    def test_fires_per_unsigned_agreement(self):
        """Each agreement without `signed_on` is reported at its signature."""
        eng = with_agreements(signed(NDA), Agreement(kind=SOW), Agreement())

        findings = run_rule(agreement.unsigned_agreement, eng, as_of=AS_OF)

        assert [
            ("agreements[1].signed_on", "The SOW at agreements[1] is not signed"),
            ("agreements[2].signed_on", "The agreement at agreements[2] is not signed"),
        ] == [(f.path, f.message) for f in findings]
        assert {"kind": "sow", "signed_on": None} == findings[0].evidence

    def test_signature_after_as_of_is_unknown(self):
        """A signature dated after as_of does not count yet."""
        eng = with_agreements(signed(SOW, signed_on=days_after(1)))

        (f,) = run_rule(agreement.unsigned_agreement, eng, as_of=AS_OF)

        assert (
            "The SOW at agreements[0] is not signed by 2026-11-22: its signature "
            "is dated 2026-11-23"
        ) == f.message
        assert [] == run_rule(agreement.unsigned_agreement, eng, as_of=days_after(1))

    def test_signed_agreements_pass(self):
        """Signing every agreement fixes it."""
        eng = with_agreements(signed(NDA), signed(SOW, signed_on=AS_OF))

        assert [] == run_rule(agreement.unsigned_agreement, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        ("fields", "fires"),
        [
            ({"status": Status.ACTIVE}, True),
            ({"status": Status.TRIAL}, True),
            ({"status": Status.PAUSED}, True),
            ({"status": None}, True),
            ({"status": Status.PROPOSED}, False),
            ({"status": Status.ENDED}, False),
            ({"status": None, "start": days_after(10)}, False),
        ],
    )
    def test_only_engagements_in_force(self, fields, fires):
        """A proposal's drafts and an ended engagement's papers are not judged."""
        eng = with_agreements(Agreement(kind=SOW), **fields)

        assert fires == bool(run_rule(agreement.unsigned_agreement, eng, as_of=AS_OF))


class TestOSK803:
    def test_fires_when_no_agreement_states_payment(self):
        """Agreements without payment terms fire once at `agreements`."""
        eng = with_agreements(signed(NDA), signed(SOW, payment_terms="  "))

        (f,) = run_rule(agreement.no_payment_terms, eng, as_of=AS_OF)

        assert ("OSK803", "agreements") == (f.rule, f.path)
        assert "None of the 2 agreements states payment terms" == f.message
        assert {"agreements": 2, "kinds": ("nda", "sow")} == f.evidence

    def test_message_for_a_single_agreement(self):
        """A single agreement is named by its kind."""
        (f,) = run_rule(
            agreement.no_payment_terms, with_agreements(signed(SOW)), as_of=AS_OF
        )

        assert "The only agreement (SOW) states no payment terms" == f.message

    def test_passes_with_payment_terms(self):
        """One agreement with payment terms is enough."""
        eng = with_agreements(signed(NDA), signed(SOW, payment_terms="Monthly, net 15"))

        assert [] == run_rule(agreement.no_payment_terms, eng, as_of=AS_OF)

    def test_silent_without_agreements(self):
        """Without any agreement the rule cannot judge (that is OSK801)."""
        assert [] == run_rule(
            agreement.no_payment_terms, Engagement(id="x"), as_of=AS_OF
        )

    def test_placeholder_terms_state_nothing(self):
        """Payment terms "TBD" are no payment terms, and the message says so."""
        eng = with_agreements(signed(NDA), signed(SOW, payment_terms="TBD"))

        (f,) = run_rule(agreement.no_payment_terms, eng, as_of=AS_OF)

        assert (
            "None of the 2 agreements states payment terms (agreements[1] has a "
            "placeholder (`TBD`))" == f.message
        )


class TestOSK804:
    def recurring(self, *agreements: Agreement, start: dt.date = START) -> Engagement:
        return with_agreements(
            *agreements,
            start=start,
            tasks=[Task(name="Reconcile bank feeds", due=Cadence.parse("weekly"))],
            deliverables=[
                Deliverable(name="Monthly P&L", due=Cadence.parse("monthly")),
                Deliverable(name="Year-end pack", due=dt.date(2026, 12, 31)),
            ],
        )

    def test_fires_on_recurring_work_without_service_levels(self):
        """Recurring work running more than 90 days without an SLA fires."""
        (f,) = run_rule(
            agreement.no_service_levels, self.recurring(signed(SOW)), as_of=AS_OF
        )

        assert ("OSK804", "agreements", "info") == (f.rule, f.path, f.severity.value)
        assert (
            'Recurring work (task "Reconcile bank feeds", deliverable "Monthly P&L") '
            "has run for 321 days, more than 90, without an SLA or service levels"
        ) == f.message
        assert {
            "recurring": ('task "Reconcile bank feeds"', 'deliverable "Monthly P&L"'),
            "age_days": 321,
            "min_days": 90,
        } == f.evidence

    def test_one_day_is_singular(self):
        """Active one day with `min-days` 0, the work "has run for 1 day"."""
        eng = self.recurring(signed(SOW), start=AS_OF - dt.timedelta(1))

        (f,) = run_rule(
            agreement.no_service_levels, eng, as_of=AS_OF, options={"min-days": 0}
        )

        assert "has run for 1 day, more than 0, without an SLA" in f.message

    @pytest.mark.parametrize(
        "terms",
        [
            Agreement(kind=AgreementKind.SLA),
            signed(SOW, service_levels=[ServiceLevel(name="response", target="24h")]),
        ],
    )
    def test_sla_or_service_levels_pass(self, terms):
        """An SLA, or service levels in any agreement, fix it."""
        eng = self.recurring(signed(SOW), terms)

        assert [] == run_rule(agreement.no_service_levels, eng, as_of=AS_OF)

    def test_one_off_work_passes(self):
        """Work with fixed due dates only is not recurring."""
        eng = with_agreements(
            tasks=[Task(name="Migrate ledger", due=dt.date(2026, 3, 1))],
        )

        assert [] == run_rule(agreement.no_service_levels, eng, as_of=AS_OF)

    def test_age_boundary(self):
        """Exactly 90 days active passes; 91 fires."""
        at_limit = self.recurring(start=AS_OF - dt.timedelta(days=90))
        over = self.recurring(start=AS_OF - dt.timedelta(days=91))

        assert [] == run_rule(agreement.no_service_levels, at_limit, as_of=AS_OF)
        assert 1 == len(run_rule(agreement.no_service_levels, over, as_of=AS_OF))

    def test_min_days_option(self):
        """`min-days` changes how long recurring work may run without service levels."""
        eng = self.recurring()

        assert [] == run_rule(
            agreement.no_service_levels, eng, as_of=AS_OF, options={"min-days": 321}
        )
        assert 1 == len(
            run_rule(
                agreement.no_service_levels, eng, as_of=AS_OF, options={"min-days": 320}
            )
        )

    def test_unnamed_items_are_named_by_path(self):
        """Recurring items without a name are named by their path."""
        eng = with_agreements(tasks=[Task(due=Cadence.parse("daily"))])

        (f,) = run_rule(agreement.no_service_levels, eng, as_of=AS_OF)

        assert ("tasks[0]",) == f.evidence["recurring"]


class TestOSK805:
    def test_fires_when_every_work_agreement_expired(self):
        """All contracts, MSAs and SOWs expired before as_of fire at the last one."""
        eng = with_agreements(
            signed(AgreementKind.MSA, expires=dt.date(2026, 9, 30)),
            signed(NDA, expires=dt.date(2027, 12, 1)),
            signed(SOW, expires=dt.date(2026, 6, 30)),
        )

        (f,) = run_rule(agreement.agreement_expired, eng, as_of=AS_OF)

        assert ("OSK805", "agreements[0].expires", "error") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "Both the MSA and the SOW have expired, the last on 2026-09-30, "
            "while the engagement is still in force"
        ) == f.message
        assert {
            "expired": (
                {"kind": "MSA", "expires": dt.date(2026, 9, 30)},
                {"kind": "SOW", "expires": dt.date(2026, 6, 30)},
            ),
            "last_expired": dt.date(2026, 9, 30),
        } == f.evidence

    def test_single_agreement_message(self):
        """A single expired work agreement is "the only" one, named by kind and path."""
        eng = with_agreements(signed(SOW, expires=dt.date(2026, 6, 30)))

        (f,) = run_rule(agreement.agreement_expired, eng, as_of=AS_OF)

        assert (
            "The only SOW (agreements[0]) expired on 2026-06-30 while the engagement "
            "is still in force"
        ) == f.message

    @pytest.mark.parametrize(
        ("kinds", "counted"),
        [
            ((SOW, SOW), "Both SOWs have"),
            ((SOW, SOW, SOW), "All three SOWs have"),
            (
                (AgreementKind.CONTRACT, AgreementKind.MSA, SOW),
                "All three agreements for the work (contract, MSA, SOW) have",
            ),
            ((SOW,) * 11, "All 11 SOWs have"),
        ],
    )
    def test_counts_in_words(self, kinds, counted):
        """The message counts the expired agreements in words, never "All 2"."""
        eng = with_agreements(
            *(signed(kind, expires=dt.date(2026, 6, 30)) for kind in kinds)
        )

        (f,) = run_rule(agreement.agreement_expired, eng, as_of=AS_OF)

        assert (
            f"{counted} expired, the last on 2026-06-30, while the engagement is "
            "still in force"
        ) == f.message

    def test_renewal_passes(self):
        """One current work agreement is enough, as is one without expiry."""
        for renewal in (signed(SOW, expires=days_after(200)), signed(SOW)):
            eng = with_agreements(signed(SOW, expires=dt.date(2026, 6, 30)), renewal)

            assert [] == run_rule(agreement.agreement_expired, eng, as_of=AS_OF)

    def test_expiry_boundary(self):
        """An agreement whose last day is as_of has not expired; the day before has."""
        eng = with_agreements(signed(SOW, expires=AS_OF))

        assert [] == run_rule(agreement.agreement_expired, eng, as_of=AS_OF)
        assert 1 == len(run_rule(agreement.agreement_expired, eng, as_of=days_after(1)))

    def test_paused_counts_ended_does_not(self):
        """A paused engagement is in force; an ended one is not."""
        expired = signed(SOW, expires=dt.date(2026, 6, 30))
        paused = with_agreements(expired, status=Status.PAUSED)
        ended = with_agreements(expired, status=Status.ENDED)

        assert 1 == len(run_rule(agreement.agreement_expired, paused, as_of=AS_OF))
        assert [] == run_rule(agreement.agreement_expired, ended, as_of=AS_OF)

    def test_silent_without_work_agreements(self):
        """An expired NDA alone is not this rule's concern (OSK801 reports)."""
        eng = with_agreements(signed(NDA, expires=dt.date(2026, 6, 30)))

        assert [] == run_rule(agreement.agreement_expired, eng, as_of=AS_OF)


class TestOSK806:
    def test_fires_when_no_agreement_states_termination(self):
        """Agreements without termination terms fire once at `agreements`."""
        eng = with_agreements(signed(NDA), signed(SOW))

        (f,) = run_rule(agreement.no_termination_terms, eng, as_of=AS_OF)

        assert ("OSK806", "agreements", "info") == (f.rule, f.path, f.severity.value)
        assert "None of the 2 agreements states termination terms" == f.message
        assert {"agreements": 2, "kinds": ("nda", "sow")} == f.evidence

    def test_passes_with_termination_terms(self):
        """Termination terms in any agreement fix it."""
        eng = with_agreements(signed(NDA), signed(SOW, termination="30 days notice"))

        assert [] == run_rule(agreement.no_termination_terms, eng, as_of=AS_OF)

    def test_silent_without_agreements(self):
        """Without any agreement the rule cannot judge (that is OSK801)."""
        assert [] == run_rule(
            agreement.no_termination_terms, Engagement(id="x"), as_of=AS_OF
        )

    def test_placeholder_terms_state_nothing(self):
        """Termination "n/a" is no termination terms, and the message says so."""
        eng = with_agreements(signed(SOW, termination="n/a"))

        (f,) = run_rule(agreement.no_termination_terms, eng, as_of=AS_OF)

        assert (
            "The only agreement (SOW) states no termination terms (agreements[0] has "
            "a placeholder (`n/a`))" == f.message
        )


class TestOSK807:
    def test_fires_when_work_started_before_signature(self):
        """A start before the earliest signed work agreement fires at `start`."""
        eng = with_agreements(
            signed(NDA, signed_on=dt.date(2025, 12, 1)),
            signed(SOW, signed_on=dt.date(2026, 3, 1)),
            signed(AgreementKind.MSA, signed_on=dt.date(2026, 2, 1)),
        )

        (f,) = run_rule(agreement.work_before_agreement, eng, as_of=AS_OF)

        assert ("OSK807", "start") == (f.rule, f.path)
        assert (
            "The engagement started on 2026-01-05, 27 days before its first MSA was "
            "signed on 2026-02-01"
        ) == f.message
        assert {
            "start": START,
            "first_signed": dt.date(2026, 2, 1),
            "kind": "MSA",
            "days": 27,
            "agreement": "agreements[2]",
        } == f.evidence

    def test_signature_on_the_start_day_passes(self):
        """Signing on the day work starts is in time."""
        eng = with_agreements(signed(SOW, signed_on=START))

        assert [] == run_rule(agreement.work_before_agreement, eng, as_of=AS_OF)

    def test_one_day_late(self):
        """Signing the day after the start fires with 1 day."""
        eng = with_agreements(signed(SOW, signed_on=START + dt.timedelta(days=1)))

        (f,) = run_rule(agreement.work_before_agreement, eng, as_of=AS_OF)

        assert "1 day before" in f.message

    def test_silent_without_signed_work_agreement_or_start(self):
        """Unsigned, future-signed or non-work agreements, or no start: silent."""
        cases = [
            with_agreements(Agreement(kind=SOW)),
            with_agreements(signed(SOW, signed_on=days_after(3))),
            with_agreements(signed(NDA, signed_on=dt.date(2026, 5, 1))),
            Engagement(id="x", agreements=[signed(SOW, signed_on=dt.date(2026, 5, 1))]),
        ]

        for eng in cases:
            assert [] == run_rule(agreement.work_before_agreement, eng, as_of=AS_OF)


class TestOSK808:
    def test_fires_on_an_agreement_expiring_soon(self):
        """An agreement expiring in 9 days fires at its `expires`."""
        eng = with_agreements(signed(SOW), signed(NDA, expires=dt.date(2026, 12, 1)))

        (f,) = run_rule(agreement.agreement_expiring, eng, as_of=AS_OF)

        assert ("OSK808", "agreements[1].expires", "info") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "The NDA at agreements[1] expires on 2026-12-01, in 9 days, within the "
            "30-day notice period"
        ) == f.message
        assert {
            "kind": "nda",
            "expires": dt.date(2026, 12, 1),
            "days": 9,
            "notice_days": 30,
        } == f.evidence

    def test_passes_when_renewed(self):
        """A later expiry date fixes it."""
        eng = with_agreements(signed(NDA, expires=dt.date(2027, 12, 1)))

        assert [] == run_rule(agreement.agreement_expiring, eng, as_of=AS_OF)

    def test_notice_boundary(self):
        """Expiry exactly 30 days after as_of passes; 29 days or on as_of fires."""

        def run(days: int) -> list:
            eng = with_agreements(signed(SOW, expires=days_after(days)))
            return run_rule(agreement.agreement_expiring, eng, as_of=AS_OF)

        assert [] == run(30)
        assert [29] == [f.evidence["days"] for f in run(29)]
        (today,) = run(0)
        assert "expires on 2026-11-22, today," in today.message
        assert [] == run(-1)

    def test_only_engagements_in_force(self):
        """Paused engagements are in force; proposed and ended ones are not."""
        soon = signed(SOW, expires=days_after(5))

        for status, expected in (
            (Status.PAUSED, 1),
            (Status.PROPOSED, 0),
            (Status.ENDED, 0),
        ):
            eng = with_agreements(soon, status=status)

            assert expected == len(
                run_rule(agreement.agreement_expiring, eng, as_of=AS_OF)
            )

    def test_notice_days_option(self):
        """`notice-days` changes how early expiry is reported."""
        eng = with_agreements(signed(SOW, expires=days_after(45)))

        assert 1 == len(
            run_rule(
                agreement.agreement_expiring,
                eng,
                as_of=AS_OF,
                options={"notice-days": 60},
            )
        )
        assert [] == run_rule(agreement.agreement_expiring, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        ("end", "fires"),
        [
            (None, True),
            (days_after(5), False),
            (days_after(9), False),
            (days_after(10), True),
        ],
    )
    def test_silent_when_the_work_ends_with_it(self, end, fires):
        """An agreement expiring when or after the work ends has nothing to renew."""
        eng = with_agreements(signed(SOW, expires=days_after(9)), end=end)

        assert fires == bool(run_rule(agreement.agreement_expiring, eng, as_of=AS_OF))

    @given(days=st.integers(min_value=-400, max_value=400), notice=st.integers(0, 120))
    def test_fires_exactly_within_the_notice_period(self, days, notice):
        """It fires iff expiry is on or after as_of and fewer than notice days later."""
        eng = with_agreements(signed(SOW, expires=days_after(days)))

        fired = run_rule(
            agreement.agreement_expiring,
            eng,
            as_of=AS_OF,
            options={"notice-days": notice},
        )

        assert (0 <= days < notice) == bool(fired)


class TestOSK809:
    def parties(self, *agreements: Agreement, **kwargs) -> Engagement:
        """Acme Ltd and LedgerPros (id `ledgerpros`) with the given agreements."""
        return with_agreements(
            *agreements,
            client=kwargs.pop("client", Party(name="Acme Ltd")),
            vendor=kwargs.pop("vendor", Vendor(id="ledgerpros", name="LedgerPros")),
            **kwargs,
        )

    def test_fires_when_only_the_vendor_signed(self):
        """Every signature from the vendor: the client's is missing."""
        eng = self.parties(signed(SOW, signed_by=["LedgerPros"]))

        (f,) = run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)

        assert ("OSK809", "agreements[0].signed_by", "warning") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "The SOW at agreements[0] is signed by the vendor only (LedgerPros): no "
            "signature of Acme Ltd, the client, is recorded" == f.message
        )
        assert {
            "kind": "sow",
            "signed_by": ("LedgerPros",),
            "party": "vendor",
            "missing": "client",
        } == f.evidence

    def test_fires_when_only_the_client_signed(self):
        """Names match ignoring case and blanks, even written twice."""
        eng = self.parties(signed(NDA, signed_by=["acme  LTD ", " Acme Ltd"]))

        (f,) = run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)

        assert (
            "The NDA at agreements[0] is signed by the client only (acme  LTD ,  Acme "
            "Ltd): no signature of LedgerPros, the vendor, is recorded" == f.message
        )

    def test_vendor_id_matches(self):
        """The vendor's id names the vendor too."""
        eng = self.parties(signed(SOW, signed_by=["LEDGERPROS"]))

        assert ["vendor"] == [
            f.evidence["party"]
            for f in run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)
        ]

    @pytest.mark.parametrize(
        "signed_by",
        [
            ["Acme Ltd", "LedgerPros"],
            ["acme ltd", "ledgerpros"],
            [],
            ["TBD"],
            ["Dana Reyes"],
            ["LedgerPros", "Dana Reyes"],
        ],
    )
    def test_silent(self, signed_by):
        """Both parties, no entries, or an entry matching neither party pass."""
        eng = self.parties(signed(SOW, signed_by=signed_by))

        assert [] == run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        "parties",
        [
            {"client": Party()},
            {"client": Party(name="TBD")},
            {"vendor": Vendor(id="ledgerpros")},
            {"client": None},
        ],
    )
    def test_silent_when_a_name_is_unknown(self, parties):
        """Without both parties' names the signatures cannot be told apart."""
        eng = self.parties(signed(SOW, signed_by=["LedgerPros"]), **parties)

        assert [] == run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)

    def test_only_signed_agreements(self):
        """An unsigned draft, or one signed after as_of, is not judged."""
        eng = self.parties(
            Agreement(kind=SOW, signed_by=["LedgerPros"]),
            signed(SOW, signed_on=days_after(1), signed_by=["LedgerPros"]),
        )

        assert [] == run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)
        assert ["agreements[1].signed_by"] == [
            f.path
            for f in run_rule(agreement.one_sided_signature, eng, as_of=days_after(1))
        ]


def _one_sided_reference(eng: Engagement, as_of: dt.date) -> list[tuple[int, str]]:
    """OSK809 as its documentation states it: (index, party) per finding."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    client, vendor = eng.client, eng.vendor
    if client is None or vendor is None or not eng.agreements:
        return []
    if client.name is None or is_placeholder(client.name):
        return []
    if vendor.name is None or is_placeholder(vendor.name):
        return []
    sides = {"client": {norm(client.name)}, "vendor": {norm(vendor.name)}}
    if vendor.id is not None and not is_placeholder(vendor.id):
        sides["vendor"].add(norm(vendor.id))
    if sides["client"] & sides["vendor"]:
        return []
    out = []
    for i, a in enumerate(eng.agreements):
        names = {norm(e) for e in a.signed_by if not is_placeholder(e)}
        if not names or not a.is_signed(as_of):
            continue
        out += [(i, side) for side, known in sides.items() if names <= known]
    return out


#: Names that differ only in case and blanks, placeholders that normalise like
#: names, and a name of neither party.
_SIGNATORIES = st.sampled_from(
    ["Acme Ltd", "acme  LTD ", "LedgerPros", "ledgerpros", "TBD", "to  do", "Dana"]
)


class TestOSK809Oracle:
    @given(
        client=st.sampled_from(["Acme Ltd", "to do", "To  Do", "TBD", "LedgerPros"]),
        vendor_name=st.sampled_from(["LedgerPros", "TBD", None]),
        vendor_id=st.sampled_from([None, "ledgerpros", "to do", "acme ltd"]),
        signed_by=st.lists(st.lists(_SIGNATORIES, max_size=3), max_size=3),
        signed_on=st.sampled_from([SIGNED, None, days_after(1)]),
    )
    def test_same_as_the_definition(
        self, client, vendor_name, vendor_id, signed_by, signed_on
    ):
        """The rule finds what its definition finds, placeholders included."""
        eng = with_agreements(
            *(Agreement(kind=SOW, signed_on=signed_on, signed_by=s) for s in signed_by),
            client=Party(name=client),
            vendor=Vendor(id=vendor_id, name=vendor_name),
        )

        found = run_rule(agreement.one_sided_signature, eng, as_of=AS_OF)

        assert _one_sided_reference(eng, AS_OF) == [
            (int(f.path.split("[")[1].split("]")[0]), f.evidence["party"])
            for f in found
        ]


class TestOSK810:
    def test_fires_on_a_signed_agreement_without_document(self):
        """A signed NDA without `document` fires at its document."""
        eng = with_agreements(signed(NDA, signed_on=dt.date(2025, 12, 1)))

        (f,) = run_rule(agreement.no_agreement_copy, eng, as_of=AS_OF)

        assert ("OSK810", "agreements[0].document", "info") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert (
            "The NDA at agreements[0] was signed on 2025-12-01 but where its signed "
            "copy is kept is not recorded" == f.message
        )
        assert {
            "kind": "nda",
            "signed_on": dt.date(2025, 12, 1),
            "document": None,
        } == f.evidence

    def test_placeholder_document(self):
        """A placeholder is no document, and the message says so."""
        eng = with_agreements(signed(SOW, document="TBD"))

        (f,) = run_rule(agreement.no_agreement_copy, eng, as_of=AS_OF)

        assert f.message.endswith(
            "is not recorded (`document` is a placeholder (`TBD`))"
        )

    @pytest.mark.parametrize(
        "kind",
        [
            AgreementKind.CONTRACT,
            AgreementKind.MSA,
            AgreementKind.SOW,
            AgreementKind.NDA,
            AgreementKind.DPA,
        ],
    )
    def test_kinds_judged(self, kind):
        """Contracts, MSAs, SOWs, NDAs and DPAs keep a copy."""
        eng = with_agreements(signed(kind))

        assert ["OSK810"] == [
            f.rule for f in run_rule(agreement.no_agreement_copy, eng, as_of=AS_OF)
        ]

    @pytest.mark.parametrize(
        "agreement_",
        [
            signed(SOW, document="contracts/sow.pdf"),
            signed(AgreementKind.SLA),
            Agreement(kind=SOW),
            signed(SOW, signed_on=days_after(1)),
            Agreement(signed_on=SIGNED),
        ],
    )
    def test_silent(self, agreement_):
        """A document, an SLA, an unsigned or untyped agreement pass."""
        eng = with_agreements(agreement_)

        assert [] == run_rule(agreement.no_agreement_copy, eng, as_of=AS_OF)
