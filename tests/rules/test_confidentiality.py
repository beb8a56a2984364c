"""Tests for the confidentiality rules (OSK601-OSK608)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit import check
from outsourcekit.builtin.rules.confidentiality import (
    access_not_revoked,
    data_handling_unknown,
    insecure_sharing,
    missing_dpa,
    missing_nda,
    nda_after_sharing,
    nda_expired,
    no_security_review,
)
from outsourcekit.model import (
    AccessGrant,
    Agreement,
    AgreementKind,
    Channel,
    ChannelKind,
    CommunicationPlan,
    DataHandling,
    Engagement,
    FileSharing,
    SecurityReview,
    Status,
    Vendor,
    Vetting,
)
from outsourcekit.testing import check_one, make_engagement, run_rule

AS_OF = dt.date(2026, 11, 22)
START = dt.date(2026, 1, 5)


def engagement(**kwargs: object) -> Engagement:
    base: dict[str, object] = {
        "id": "acme-bookkeeping",
        "status": Status.ACTIVE,
        "start": START,
        "vendor": Vendor(name="LedgerPros"),
    }
    base.update(kwargs)
    return Engagement(**base)


def confidential(**kwargs: object) -> DataHandling:
    return DataHandling(confidential=True, **kwargs)


def personal(**kwargs: object) -> DataHandling:
    """Personal data of customers or staff, with `confidential: false` by default."""
    return DataHandling(
        personal_data=True, confidential=kwargs.pop("confidential", False), **kwargs
    )


def nda(signed_on: dt.date | None, **kwargs: object) -> Agreement:
    return Agreement(kind=AgreementKind.NDA, signed_on=signed_on, **kwargs)


def _as_of(block: str) -> dt.date:
    m = re.match(r"# as_of: (\d{4}-\d{2}-\d{2})", block)
    return dt.date.fromisoformat(m.group(1)) if m else AS_OF


class TestOSK601:
    def test_confidential_without_nda(self):
        """Confidential data without any agreement fires, naming the sharing date."""
        eng = engagement(data=confidential(shared_since=dt.date(2026, 1, 12)))

        (f,) = run_rule(missing_nda, eng, as_of=AS_OF)

        assert ("OSK601", "agreements") == (f.rule, f.path)
        assert "Confidential data is shared since 2026-01-12 but no NDA is signed" == (
            f.message
        )
        assert {"shared_since": dt.date(2026, 1, 12), "signed_ndas": 0} == f.evidence

    def test_sharing_defaults_to_start(self):
        """Without shared_since, sharing is taken to begin at the start."""
        (f,) = run_rule(missing_nda, engagement(data=confidential()), as_of=AS_OF)

        assert "Confidential data is shared since 2026-01-05 but no NDA is signed" == (
            f.message
        )

    def test_sharing_not_begun(self):
        """Sharing that begins after as_of is told as to come, not as under way."""
        eng = engagement(data=confidential(shared_since=dt.date(2027, 1, 4)))

        (f,) = run_rule(missing_nda, eng, as_of=AS_OF)

        assert (
            "Confidential data is to be shared from 2027-01-04 but no NDA is signed"
            == f.message
        )

    def test_no_dates_at_all(self):
        """Without any date the message says only that data is shared."""
        eng = Engagement(id="x", data=confidential())

        (f,) = run_rule(missing_nda, eng, as_of=AS_OF)

        assert "Confidential data is shared but no NDA is signed" == f.message

    def test_signed_nda_passes(self):
        """A signed NDA passes, even an expired one."""
        eng = engagement(
            data=confidential(),
            agreements=[nda(dt.date(2025, 1, 1), expires=dt.date(2025, 12, 31))],
        )

        assert [] == run_rule(missing_nda, eng, as_of=AS_OF)

    def test_msa_with_confidentiality_counts(self):
        """A signed MSA or contract with confidentiality terms counts as an NDA."""
        for kind in (AgreementKind.MSA, AgreementKind.CONTRACT):
            eng = engagement(
                data=confidential(),
                agreements=[
                    Agreement(kind=kind, signed_on=START, confidentiality=True)
                ],
            )

            assert [] == run_rule(missing_nda, eng, as_of=AS_OF)

    def test_other_agreements_do_not_count(self):
        """An SOW, or an MSA without confidentiality terms, is no NDA."""
        eng = engagement(
            data=confidential(),
            agreements=[
                Agreement(
                    kind=AgreementKind.SOW, signed_on=START, confidentiality=True
                ),
                Agreement(kind=AgreementKind.MSA, signed_on=START),
            ],
        )

        assert 1 == len(run_rule(missing_nda, eng, as_of=AS_OF))

    def test_unsigned_or_future_nda_does_not_count(self):
        """An NDA without a signature date, or signed after as_of, is not signed."""
        eng = engagement(
            data=confidential(), agreements=[nda(None), nda(dt.date(2026, 11, 23))]
        )

        assert 1 == len(run_rule(missing_nda, eng, as_of=AS_OF))

    def test_not_confidential(self):
        """Without sensitive data (false or unknown) the rule is silent."""
        for data in (
            None,
            DataHandling(),
            DataHandling(confidential=False),
            DataHandling(confidential=False, personal_data=False),
        ):
            assert [] == run_rule(missing_nda, engagement(data=data), as_of=AS_OF)

    @pytest.mark.parametrize(
        ("data", "what"),
        [
            (personal(), "Personal data"),
            (personal(confidential=None), "Personal data"),
            (personal(confidential=True), "Confidential and personal data"),
        ],
    )
    def test_personal_data_is_sensitive(self, data, what):
        """Personal data needs an NDA whatever `confidential` says."""
        (f,) = run_rule(missing_nda, engagement(data=data), as_of=AS_OF)

        assert f"{what} is shared since 2026-01-05 but no NDA is signed" == f.message

    def test_personal_data_with_nda_passes(self):
        """A signed NDA covers personal data too."""
        eng = engagement(data=personal(), agreements=[nda(dt.date(2025, 12, 1))])

        assert [] == run_rule(missing_nda, eng, as_of=AS_OF)


class TestOSK602:
    def test_nda_after_sharing(self):
        """An NDA signed after sharing began fires at its signature."""
        eng = engagement(
            data=confidential(shared_since=dt.date(2026, 1, 5)),
            agreements=[
                Agreement(kind=AgreementKind.SOW, signed_on=dt.date(2025, 12, 1)),
                nda(dt.date(2026, 2, 1)),
            ],
        )

        (f,) = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert ("OSK602", "agreements[1].signed_on") == (f.rule, f.path)
        assert (
            "The first NDA was signed on 2026-02-01, 27 days after data sharing "
            "began on 2026-01-05" == f.message
        )
        assert {
            "signed_on": dt.date(2026, 2, 1),
            "shared_since": dt.date(2026, 1, 5),
            "days_late": 27,
        } == f.evidence

    def test_earliest_signature_counts(self):
        """An earlier confidentiality agreement anywhere in the list passes."""
        eng = engagement(
            data=confidential(),
            agreements=[
                nda(dt.date(2026, 2, 1)),
                Agreement(
                    kind=AgreementKind.MSA,
                    signed_on=dt.date(2025, 12, 15),
                    confidentiality=True,
                ),
            ],
        )

        assert [] == run_rule(nda_after_sharing, eng, as_of=AS_OF)

    def test_msa_is_named(self):
        """A late MSA with confidentiality terms is named as such."""
        eng = engagement(
            data=confidential(),
            agreements=[
                Agreement(
                    kind=AgreementKind.MSA,
                    signed_on=dt.date(2026, 1, 6),
                    confidentiality=True,
                )
            ],
        )

        (f,) = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert (
            "The first MSA with confidentiality terms was signed on 2026-01-06, "
            "1 day after data sharing began on 2026-01-05" == f.message
        )

    def test_same_day_passes(self):
        """An NDA signed the day sharing began is in time."""
        eng = engagement(data=confidential(), agreements=[nda(START)])

        assert [] == run_rule(nda_after_sharing, eng, as_of=AS_OF)

    def test_sharing_defaults_to_start(self):
        """Without shared_since, the start date is compared."""
        eng = engagement(data=None, agreements=[nda(dt.date(2026, 1, 6))])

        (f,) = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert dt.date(2026, 1, 5) == f.evidence["shared_since"]

    def test_needs_an_nda(self):
        """Without a signed NDA the rule is silent (that is OSK601's finding)."""
        eng = engagement(data=confidential(), agreements=[nda(dt.date(2026, 12, 1))])

        assert [] == run_rule(nda_after_sharing, eng, as_of=AS_OF)

    def test_needs_a_date(self):
        """Without shared_since or start there is nothing to compare."""
        eng = Engagement(id="x", data=confidential(), agreements=[nda(START)])

        assert [] == run_rule(nda_after_sharing, eng, as_of=AS_OF)

    @pytest.mark.parametrize(
        "data",
        [
            DataHandling(confidential=False),
            DataHandling(confidential=False, personal_data=False),
            DataHandling(),
            None,
        ],
    )
    def test_does_not_depend_on_sensitive_data(self, data):
        """A late NDA fires whatever `data` says: `confidential: false` included."""
        eng = engagement(data=data, agreements=[nda(dt.date(2026, 2, 1))])

        (f,) = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert ("OSK602", "agreements[0].signed_on") == (f.rule, f.path)
        assert (
            "The first NDA was signed on 2026-02-01, 27 days after data sharing began "
            "on 2026-01-05" == f.message
        )
        assert {
            "signed_on": dt.date(2026, 2, 1),
            "shared_since": dt.date(2026, 1, 5),
            "days_late": 27,
        } == f.evidence

    def test_not_confidential_in_time_passes(self):
        """With `confidential: false`, an NDA signed before the start passes."""
        eng = engagement(
            data=DataHandling(confidential=False), agreements=[nda(dt.date(2026, 1, 5))]
        )

        assert [] == run_rule(nda_after_sharing, eng, as_of=AS_OF)

    def test_personal_data_is_sensitive(self):
        """Personal data shared before the NDA fires even with `confidential: false`."""
        eng = engagement(data=personal(), agreements=[nda(dt.date(2026, 2, 1))])

        (f,) = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert (
            "The first NDA was signed on 2026-02-01, 27 days after data sharing began "
            "on 2026-01-05" == f.message
        )

    @given(
        signed=st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)), max_size=4),
        since=st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)),
    )
    def test_fires_iff_earliest_known_signature_is_late(self, signed, since):
        """The rule fires exactly when the earliest signature known at as_of is late."""
        eng = engagement(
            data=confidential(shared_since=since), agreements=[nda(d) for d in signed]
        )
        known = [d for d in signed if d <= AS_OF]

        fired = run_rule(nda_after_sharing, eng, as_of=AS_OF)

        assert (bool(known) and min(known) > since) == bool(fired)


class TestOSK603:
    def test_every_nda_expired(self):
        """Two signed NDAs that both expired fire at the one that lasted longest."""
        eng = engagement(
            data=confidential(),
            agreements=[
                nda(dt.date(2024, 1, 2), expires=dt.date(2025, 6, 30)),
                nda(dt.date(2025, 1, 2), expires=dt.date(2026, 6, 30)),
            ],
        )

        (f,) = run_rule(nda_expired, eng, as_of=AS_OF)

        assert ("OSK603", "agreements[1].expires") == (f.rule, f.path)
        assert (
            "Every one of the 2 NDAs expired, the last on 2026-06-30, while "
            "confidential data is still shared" == f.message
        )
        assert {"expired_on": dt.date(2026, 6, 30), "signed_ndas": 2} == f.evidence

    def test_single_nda(self):
        """A single expired NDA is named alone."""
        eng = engagement(
            data=confidential(),
            agreements=[nda(dt.date(2025, 1, 2), expires=dt.date(2026, 6, 30))],
        )

        (f,) = run_rule(nda_expired, eng, as_of=AS_OF)

        assert (
            "The only NDA expired on 2026-06-30 while confidential data is still shared"
            == f.message
        )

    def test_mixed_agreements(self):
        """An expired NDA and an expired MSA with confidentiality are named alike."""
        eng = engagement(
            data=confidential(),
            agreements=[
                nda(dt.date(2024, 1, 2), expires=dt.date(2025, 6, 30)),
                Agreement(
                    kind=AgreementKind.MSA,
                    signed_on=dt.date(2024, 1, 2),
                    expires=dt.date(2025, 12, 31),
                    confidentiality=True,
                ),
            ],
        )

        (f,) = run_rule(nda_expired, eng, as_of=AS_OF)

        assert "agreements[1].expires" == f.path
        assert f.message.startswith(
            "Every one of the 2 confidentiality agreements expired, the last on "
            "2025-12-31"
        )

    def test_one_valid_nda_passes(self):
        """One NDA still in force (or without an expiry) passes."""
        for expires in (dt.date(2027, 6, 30), None):
            eng = engagement(
                data=confidential(),
                agreements=[
                    nda(dt.date(2024, 1, 2), expires=dt.date(2025, 6, 30)),
                    nda(dt.date(2025, 1, 2), expires=expires),
                ],
            )

            assert [] == run_rule(nda_expired, eng, as_of=AS_OF)

    def test_boundary(self):
        """An NDA whose last day is as_of is still in force; the day before is not."""
        on_day = engagement(data=confidential(), agreements=[nda(START, expires=AS_OF)])
        before = engagement(
            data=confidential(),
            agreements=[nda(START, expires=AS_OF - dt.timedelta(days=1))],
        )

        assert [] == run_rule(nda_expired, on_day, as_of=AS_OF)
        assert 1 == len(run_rule(nda_expired, before, as_of=AS_OF))

    def test_needs_a_signed_nda(self):
        """Without a signed NDA the rule is silent (that is OSK601's finding)."""
        eng = engagement(
            data=confidential(), agreements=[nda(None, expires=dt.date(2026, 1, 1))]
        )

        assert [] == run_rule(nda_expired, eng, as_of=AS_OF)

    def test_in_force_only(self):
        """A paused engagement is judged; an ended or proposed one is not."""
        agreements = [nda(START, expires=dt.date(2026, 6, 30))]
        verdicts = {
            status: bool(
                run_rule(
                    nda_expired,
                    engagement(
                        status=status, data=confidential(), agreements=agreements
                    ),
                    as_of=AS_OF,
                )
            )
            for status in Status
        }

        assert {
            Status.PROPOSED: False,
            Status.TRIAL: True,
            Status.ACTIVE: True,
            Status.PAUSED: True,
            Status.ENDED: False,
        } == verdicts

    def test_not_confidential(self):
        """Without confidential data an expired NDA does not matter."""
        eng = engagement(agreements=[nda(START, expires=dt.date(2026, 6, 30))])

        assert [] == run_rule(nda_expired, eng, as_of=AS_OF)

    def test_personal_data_is_sensitive(self):
        """An expired NDA fires while personal data is still shared."""
        eng = engagement(
            data=personal(), agreements=[nda(START, expires=dt.date(2026, 6, 30))]
        )

        (f,) = run_rule(nda_expired, eng, as_of=AS_OF)

        assert (
            "The only NDA expired on 2026-06-30 while personal data is still shared"
            == f.message
        )


class TestOSK604:
    def test_insecure_file_sharing_and_channel(self):
        """Each insecure service and channel fires at its secure flag."""
        eng = engagement(
            data=confidential(
                file_sharing=[
                    FileSharing(name="Google Drive", secure=True),
                    FileSharing(name="Public FTP", secure=False),
                ]
            ),
            communication=CommunicationPlan(
                channels=[
                    Channel(name="WhatsApp", kind=ChannelKind.CHAT, secure=False),
                    Channel(name="Zoom", kind=ChannelKind.VIDEO),
                ]
            ),
        )

        findings = run_rule(insecure_sharing, eng, as_of=AS_OF)

        assert [
            (
                "data.file_sharing[Public FTP].secure",
                (
                    "Confidential data is shared while file-sharing service "
                    "Public FTP is not secure"
                ),
                {"file_sharing": "Public FTP", "secure": False},
            ),
            (
                "communication.channels[WhatsApp].secure",
                "Confidential data is shared while channel WhatsApp is not secure",
                {"channel": "WhatsApp", "secure": False},
            ),
        ] == [(f.path, f.message, f.evidence) for f in findings]
        assert {"OSK604"} == {f.rule for f in findings}

    def test_unknown_security_passes(self):
        """An absent secure flag is unknown, not insecure."""
        eng = engagement(
            data=confidential(file_sharing=[FileSharing(name="Dropbox")]),
            communication=CommunicationPlan(channels=[Channel(name="Email")]),
        )

        assert [] == run_rule(insecure_sharing, eng, as_of=AS_OF)

    def test_duplicate_names_use_index(self):
        """Unnamed or same-named items are addressed by index."""
        eng = engagement(
            data=confidential(
                file_sharing=[FileSharing(secure=False), FileSharing(secure=False)]
            )
        )

        assert ["data.file_sharing[0].secure", "data.file_sharing[1].secure"] == [
            f.path for f in run_rule(insecure_sharing, eng, as_of=AS_OF)
        ]

    def test_not_confidential(self):
        """Insecure services are not flagged when no sensitive data is shared."""
        for flag in (False, None):
            eng = engagement(
                data=DataHandling(
                    confidential=flag,
                    personal_data=False,
                    file_sharing=[FileSharing(name="Public FTP", secure=False)],
                )
            )

            assert [] == run_rule(insecure_sharing, eng, as_of=AS_OF)

    @pytest.mark.parametrize("flag", [False, None, True])
    def test_personal_data_makes_it_an_error(self, flag):
        """With personal data the finding is an error, whatever `confidential` says."""
        eng = engagement(
            data=personal(
                confidential=flag,
                file_sharing=[FileSharing(name="WeTransfer", secure=False)],
            ),
            communication=CommunicationPlan(
                channels=[Channel(name="WhatsApp", kind=ChannelKind.CHAT, secure=False)]
            ),
        )

        findings = run_rule(insecure_sharing, eng, as_of=AS_OF)

        what = "Confidential and personal data" if flag else "Personal data"
        assert [
            (
                "error",
                f"{what} is shared while file-sharing service WeTransfer is not secure",
                {"file_sharing": "WeTransfer", "secure": False, "personal_data": True},
            ),
            (
                "error",
                f"{what} is shared while channel WhatsApp is not secure",
                {"channel": "WhatsApp", "secure": False, "personal_data": True},
            ),
        ] == [(f.severity.value, f.message, f.evidence) for f in findings]

    def test_confidential_only_stays_a_warning(self):
        """Without personal data the finding keeps the rule's severity, a warning."""
        eng = engagement(
            data=confidential(file_sharing=[FileSharing(name="FTP", secure=False)])
        )

        assert ["warning"] == [
            f.severity.value for f in run_rule(insecure_sharing, eng, as_of=AS_OF)
        ]

    def test_error_counts_in_the_score(self):
        """Checked by the engine, the error costs the engagement 15 points."""
        data = {
            "id": "x",
            "data": {
                "personal_data": True,
                "file_sharing": [{"name": "FTP", "secure": False}],
            },
        }

        findings = check_one(insecure_sharing, data, as_of=AS_OF)
        report = check([make_engagement(data)], as_of=AS_OF, rules=[insecure_sharing])

        assert (["error"], 85) == (
            [f.severity.value for f in findings],
            report.score("x"),
        )

    def test_configured_severity_wins(self):
        """A severity set in configuration applies to every finding of the rule."""
        data = {
            "id": "x",
            "data": {
                "personal_data": True,
                "file_sharing": [{"name": "FTP", "secure": False}],
            },
        }

        findings = check_one(insecure_sharing, data, as_of=AS_OF, severity="info")

        assert ["info"] == [f.severity.value for f in findings]


class TestOSK605:
    @pytest.mark.parametrize(
        ("review", "text"),
        [
            (None, "has no recorded security review"),
            (SecurityReview.NONE, "has had no security review"),
            (SecurityReview.FAILED, "failed its security review"),
        ],
    )
    def test_review_not_passed(self, review, text):
        """A missing, absent or failed review fires."""
        eng = engagement(
            vendor=Vendor(name="LedgerPros", vetting=Vetting(security_review=review)),
            data=confidential(),
        )

        (f,) = run_rule(no_security_review, eng, as_of=AS_OF)

        assert ("OSK605", "vendor.vetting.security_review") == (f.rule, f.path)
        assert f"Confidential data is shared with LedgerPros, which {text}" == (
            f.message
        )
        assert {"security_review": None if review is None else review.value} == (
            f.evidence
        )

    def test_no_vendor(self):
        """An engagement without a vendor names the vendor generically."""
        eng = Engagement(id="x", data=confidential())

        (f,) = run_rule(no_security_review, eng, as_of=AS_OF)

        assert (
            "Confidential data is shared with the vendor, which has no recorded "
            "security review" == f.message
        )

    def test_passed(self):
        """A passed review passes."""
        eng = engagement(
            vendor=Vendor(
                id="ledgerpros", vetting=Vetting(security_review=SecurityReview.PASSED)
            ),
            data=confidential(),
        )

        assert [] == run_rule(no_security_review, eng, as_of=AS_OF)

    def test_not_confidential(self):
        """Without confidential data the review is not required."""
        assert [] == run_rule(
            no_security_review,
            engagement(data=DataHandling(confidential=False)),
            as_of=AS_OF,
        )

    def test_personal_data_is_sensitive(self):
        """Personal data needs a passed security review whatever `confidential` says."""
        (f,) = run_rule(no_security_review, engagement(data=personal()), as_of=AS_OF)

        assert (
            "Personal data is shared with LedgerPros, which has no recorded security "
            "review" == f.message
        )


class TestOSK606:
    def test_personal_data_without_dpa(self):
        """Personal data without a signed DPA fires."""
        eng = engagement(
            data=DataHandling(personal_data=True),
            agreements=[nda(START), Agreement(kind=AgreementKind.DPA)],
        )

        (f,) = run_rule(missing_dpa, eng, as_of=AS_OF)

        assert ("OSK606", "agreements") == (f.rule, f.path)
        assert "Personal data is processed by LedgerPros but no DPA is signed" == (
            f.message
        )
        assert {"personal_data": True, "signed_dpas": 0} == f.evidence

    def test_signed_dpa_passes(self):
        """A DPA signed on or before as_of passes; one signed later does not."""
        signed = engagement(
            data=DataHandling(personal_data=True),
            agreements=[Agreement(kind=AgreementKind.DPA, signed_on=AS_OF)],
        )
        later = engagement(
            data=DataHandling(personal_data=True),
            agreements=[
                Agreement(kind=AgreementKind.DPA, signed_on=AS_OF + dt.timedelta(1))
            ],
        )

        assert [] == run_rule(missing_dpa, signed, as_of=AS_OF)
        assert 1 == len(run_rule(missing_dpa, later, as_of=AS_OF))

    def test_no_personal_data(self):
        """Without personal data (false or unknown) no DPA is required."""
        for data in (None, DataHandling(personal_data=False), confidential()):
            assert [] == run_rule(missing_dpa, engagement(data=data), as_of=AS_OF)


END = dt.date(2026, 10, 30)


def ended(*grants: AccessGrant, **kwargs: object) -> Engagement:
    base: dict[str, object] = {"status": Status.ENDED, "end": END, "access": grants}
    base.update(kwargs)
    return engagement(**base)


class TestOSK607:
    def test_not_revoked(self):
        """A grant never revoked after the end fires at the grant."""
        eng = ended(
            AccessGrant(system="Xero", granted_on=START, revoked_on=END),
            AccessGrant(system="Drive", granted_on=START),
        )

        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF)

        assert ("OSK607", "access[1]") == (f.rule, f.path)
        assert (
            "Access to Drive is not revoked although the engagement ended on "
            "2026-10-30" == f.message
        )
        assert {"system": "Drive", "end": END, "revoked_on": None} == f.evidence

    def test_revoked_late(self):
        """A revocation more than a day after the end fires with the delay."""
        eng = ended(AccessGrant(system="Xero", revoked_on=dt.date(2026, 11, 8)))

        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF)

        assert "access[0]" == f.path
        assert (
            "Access to Xero was revoked on 2026-11-08, 9 days after the engagement "
            "ended on 2026-10-30, more than the 1 day allowed" == f.message
        )
        assert {
            "system": "Xero",
            "end": END,
            "revoked_on": dt.date(2026, 11, 8),
            "days_after_end": 9,
            "max_days": 1,
        } == f.evidence

    def test_one_day_late_is_singular(self):
        """With `max-days` 0, a revocation a day after the end is "1 day after"."""
        eng = ended(AccessGrant(system="Xero", revoked_on=END + dt.timedelta(1)))

        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF, options={"max-days": 0})

        assert (
            "Access to Xero was revoked on 2026-10-31, 1 day after the engagement "
            "ended on 2026-10-30, more than the 0 days allowed" == f.message
        )

    def test_boundary(self):
        """Revoked one day after the end is in time; two days is late."""
        in_time = ended(AccessGrant(system="Xero", revoked_on=END + dt.timedelta(1)))
        late = ended(AccessGrant(system="Xero", revoked_on=END + dt.timedelta(2)))

        assert [] == run_rule(access_not_revoked, in_time, as_of=AS_OF)
        assert 1 == len(run_rule(access_not_revoked, late, as_of=AS_OF))

    def test_revoked_before_end_passes(self):
        """Access revoked before the end passes."""
        eng = ended(AccessGrant(system="Xero", revoked_on=dt.date(2026, 9, 1)))

        assert [] == run_rule(access_not_revoked, eng, as_of=AS_OF)

    def test_future_grant_is_unknown(self):
        """A grant dated after as_of is not known yet and not judged."""
        eng = ended(
            AccessGrant(system="Xero", granted_on=dt.date(2026, 12, 1)),
            AccessGrant(system="Drive", granted_on=START),
        )

        assert ["access[1]"] == [
            f.path for f in run_rule(access_not_revoked, eng, as_of=AS_OF)
        ]

    def test_future_revocation_is_unknown(self):
        """A revocation dated after as_of is not known yet: the grant is still open."""
        eng = ended(AccessGrant(system="Xero", revoked_on=dt.date(2026, 12, 1)))

        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF)

        assert None is f.evidence["revoked_on"]

    def test_unknown_end(self):
        """Without an end date only a missing revocation fires."""
        eng = ended(
            AccessGrant(system="Xero", revoked_on=dt.date(2026, 11, 8)),
            AccessGrant(granted_on=START),
            end=None,
        )

        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF)

        assert "access[1]" == f.path
        assert "Access to #1 is not revoked although the engagement has ended" == (
            f.message
        )

    def test_ended_by_date(self):
        """Without a status, an end before as_of means ended; an end on it does not."""
        grant = AccessGrant(system="Xero")
        past = engagement(status=None, end=dt.date(2026, 11, 21), access=[grant])
        today = engagement(status=None, end=AS_OF, access=[grant])

        assert 1 == len(run_rule(access_not_revoked, past, as_of=AS_OF))
        assert [] == run_rule(access_not_revoked, today, as_of=AS_OF)

    def test_not_ended(self):
        """Open access of a running engagement is expected."""
        for status in (Status.ACTIVE, Status.PAUSED, Status.PROPOSED, Status.TRIAL):
            eng = ended(AccessGrant(system="Xero"), status=status)

            assert [] == run_rule(access_not_revoked, eng, as_of=AS_OF)

    def test_option(self):
        """max-days changes how late a revocation may come."""
        eng = ended(AccessGrant(system="Xero", revoked_on=dt.date(2026, 11, 8)))

        assert [] == run_rule(
            access_not_revoked, eng, as_of=AS_OF, options={"max-days": 9}
        )
        (f,) = run_rule(access_not_revoked, eng, as_of=AS_OF, options={"max-days": 8})
        assert 8 == f.evidence["max_days"]

    def test_option_is_validated(self):
        """A negative max-days is rejected with the value received."""
        with pytest.raises(
            ValueError, match=r"'max-days' must be at least 0 \(got -1\)"
        ):
            run_rule(access_not_revoked, ended(), as_of=AS_OF, options={"max-days": -1})

    @given(
        revoked=st.none() | st.dates(dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        max_days=st.integers(0, 30),
    )
    def test_fires_iff_open_or_late(self, revoked, max_days):
        """The rule fires exactly when the grant is open at as_of or closed late."""
        eng = ended(AccessGrant(system="Xero", revoked_on=revoked))
        known = revoked if revoked is not None and revoked <= AS_OF else None

        fired = run_rule(
            access_not_revoked, eng, as_of=AS_OF, options={"max-days": max_days}
        )

        assert (known is None or (known - END).days > max_days) == bool(fired)


class TestOSK608:
    def test_unknown(self):
        """An active engagement that does not say whether data is confidential fires."""
        (f,) = run_rule(data_handling_unknown, engagement(), as_of=AS_OF)

        assert ("OSK608", "data.confidential") == (f.rule, f.path)
        assert (
            "It is not recorded whether confidential data is shared with LedgerPros"
            == f.message
        )
        assert {"confidential": None} == f.evidence

    def test_data_without_flag(self):
        """A data section without the confidential flag is still unknown."""
        eng = engagement(data=DataHandling(personal_data=False))

        assert 1 == len(run_rule(data_handling_unknown, eng, as_of=AS_OF))

    def test_personal_data_is_an_answer(self):
        """Personal data is sensitive whatever `confidential` says: nothing unknown."""
        eng = engagement(data=DataHandling(personal_data=True))

        assert [] == run_rule(data_handling_unknown, eng, as_of=AS_OF)

    def test_answered(self):
        """Both true and false are answers."""
        for flag in (True, False):
            eng = engagement(data=DataHandling(confidential=flag))

            assert [] == run_rule(data_handling_unknown, eng, as_of=AS_OF)

    def test_not_active(self):
        """Only active engagements are asked."""
        for status in (Status.PROPOSED, Status.PAUSED, Status.ENDED):
            eng = engagement(status=status)

            assert [] == run_rule(data_handling_unknown, eng, as_of=AS_OF)
