"""Tests for the engagement entities: construction, validation and lifecycle."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from outsourcekit.model import (
    AccessGrant,
    Agreement,
    AgreementKind,
    Engagement,
    Measurement,
    Status,
    Task,
    Vendor,
    Waiver,
    evolve,
)

D = dt.date


class TestConstruction:
    def test_only_id_required(self):
        """A half-written engagement with only an id can be built."""
        eng = Engagement(id="acme")

        assert ("acme", (), None) == (eng.id, eng.tasks, eng.vendor)

    def test_lists_become_tuples(self):
        """Lists given for repeated parts are stored as tuples."""
        eng = Engagement(id="acme", tasks=[Task(name="Books")])

        assert (Task(name="Books"),) == eng.tasks

    def test_frozen(self):
        """Engagements cannot be changed in place."""
        eng = Engagement(id="acme")

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            eng.id = "other"  # type: ignore[misc]

    def test_evolve_validates(self):
        """evolve() returns a changed copy and validates it again."""
        eng = Engagement(id="acme", start=D(2026, 1, 5))

        assert D(2026, 12, 31) == evolve(eng, end=D(2026, 12, 31)).end
        with pytest.raises(ValueError, match="'end' must be on or after 'start'"):
            evolve(eng, end=D(2025, 1, 1))

    def test_dicts_are_not_silently_accepted(self):
        """Nested parts must be model objects; plain dicts go through the converter."""
        with pytest.raises(TypeError, match="'vendor' must be"):
            Engagement(id="acme", vendor={"name": "LedgerPros"})  # type: ignore[arg-type]

    def test_bad_id(self):
        """An id with spaces is rejected with the allowed characters named."""
        with pytest.raises(ValueError, match="letters, digits") as ei:
            Engagement(id="acme books")

        assert "'acme books'" in str(ei.value)

    def test_number_fields_reject_bool(self):
        """A boolean where a number is expected is an error naming the field."""
        with pytest.raises(TypeError, match="'value' must be a number"):
            Measurement(at=D(2026, 1, 1), value=True)

    def test_negative_hours(self):
        """Contracted hours cannot be negative."""
        with pytest.raises(ValueError, match="'hours_per_week' must be zero or more"):
            Engagement(id="acme", hours_per_week=-1)

    def test_extensions_must_be_x_keys(self):
        """Extension keys must start with x-."""
        with pytest.raises(ValueError, match="keys must start with 'x-'"):
            Engagement(id="acme", extensions={"crm": 1})

    def test_revoked_before_granted(self):
        """Access cannot be revoked before it was granted."""
        with pytest.raises(ValueError, match="'revoked_on' must be on or after"):
            AccessGrant(
                system="Xero", granted_on=D(2026, 2, 1), revoked_on=D(2026, 1, 1)
            )

    def test_origin_not_part_of_equality(self):
        """Where an engagement was read from does not change what it is."""
        from outsourcekit.model import Origin

        a = Engagement(id="acme", origin=Origin(source="a.yaml"))
        b = Engagement(id="acme", origin=Origin(source="b.yaml"))

        assert a == b
        assert "a.yaml" == a.source


class TestLifecycle:
    AS_OF = D(2026, 11, 22)

    @pytest.mark.parametrize(
        ("status", "active", "in_force", "ended"),
        [
            (Status.PROPOSED, False, False, False),
            (Status.TRIAL, True, True, False),
            (Status.ACTIVE, True, True, False),
            (Status.PAUSED, False, True, False),
            (Status.ENDED, False, False, True),
        ],
    )
    def test_by_status(self, status, active, in_force, ended):
        """A stated status decides the lifecycle words."""
        eng = Engagement(id="x", status=status)

        assert (active, in_force, ended) == (
            eng.is_active(self.AS_OF),
            eng.is_in_force(self.AS_OF),
            eng.is_ended(self.AS_OF),
        )

    def test_by_dates_without_status(self):
        """Without a status, dates decide: started and not ended is active."""
        running = Engagement(id="x", start=D(2026, 1, 1))
        future = Engagement(id="x", start=D(2027, 1, 1))
        over = Engagement(id="x", start=D(2025, 1, 1), end=D(2026, 11, 21))
        last_day = Engagement(id="x", start=D(2025, 1, 1), end=self.AS_OF)

        assert [True, False, False, True] == [
            e.is_active(self.AS_OF) for e in (running, future, over, last_day)
        ]
        assert [False, False, True, False] == [
            e.is_ended(self.AS_OF) for e in (running, future, over, last_day)
        ]

    def test_active_for_more_than(self):
        """'Active for more than N days' is strict: exactly N days is not more."""
        eng = Engagement(
            id="x", status=Status.ACTIVE, start=self.AS_OF - dt.timedelta(90)
        )

        assert not eng.active_for_more_than(90, self.AS_OF)
        assert eng.active_for_more_than(89, self.AS_OF)


class TestParts:
    def test_vendor_key(self):
        """A vendor is known by its id, else by its name case-folded."""
        assert "lp" == Vendor(id="lp", name="LedgerPros").key
        assert "ledgerpros" == Vendor(name="LedgerPros").key
        assert Vendor().key is None

    def test_agreement_signed_and_expired(self):
        """Signed means signed on or before as_of; expired means expires before it."""
        a = Agreement(
            kind=AgreementKind.NDA, signed_on=D(2026, 1, 1), expires=D(2026, 6, 30)
        )

        assert (True, False) == (
            a.is_signed(D(2026, 1, 1)),
            a.is_signed(D(2025, 12, 31)),
        )
        assert (False, True) == (
            a.is_expired(D(2026, 6, 30)),
            a.is_expired(D(2026, 7, 1)),
        )

    def test_confidentiality_bearing_agreements(self):
        """An MSA or contract with confidentiality counts as an NDA; an SOW does not."""
        kinds = [
            Agreement(kind=AgreementKind.NDA),
            Agreement(kind=AgreementKind.MSA, confidentiality=True),
            Agreement(kind=AgreementKind.CONTRACT, confidentiality=True),
            Agreement(kind=AgreementKind.SOW, confidentiality=True),
            Agreement(kind=AgreementKind.MSA),
        ]

        assert [True, True, True, False, False] == [a.counts_as_nda for a in kinds]

    def test_waiver_reason_and_expiry(self):
        """A blank reason is no reason; a waiver expires after its until date."""
        w = Waiver(rule="OSK601", reason="  ", until=D(2026, 2, 28))

        assert not w.has_reason
        assert (False, True) == (
            w.is_expired(D(2026, 2, 28)),
            w.is_expired(D(2026, 3, 1)),
        )
