"""Tests for the engagement entities: construction, validation and lifecycle."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from outsourcekit.io import to_dict
from outsourcekit.model import (
    KPI,
    AccessGrant,
    Agreement,
    AgreementKind,
    Cadence,
    Engagement,
    Measurement,
    Party,
    Status,
    Task,
    TimeZone,
    Vendor,
    Waiver,
    WorkingHours,
    evolve,
)
from outsourcekit.model._engagement import ConstraintError

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

    @pytest.mark.parametrize(
        "build",
        [
            lambda when: Engagement(id="acme", start=when),
            lambda when: Agreement(signed_on=when),
            lambda when: Task(due=when),
        ],
        ids=["start", "signed_on", "due"],
    )
    def test_date_time_is_no_date(self, build):
        """A date-time where a date belongs is refused: it compares with no date."""
        with pytest.raises(TypeError, match="must be a date without a time") as info:
            build(dt.datetime(2026, 1, 5, 10, 0))

        assert "that is a date-time" in str(info.value)

    def test_task_due_takes_a_cadence(self):
        """A task's due may be a date or a cadence, and says so when it is neither."""
        assert Cadence("monthly") == Task(due=Cadence("monthly")).due
        with pytest.raises(TypeError, match="a date without a time or a Cadence"):
            Task(due="monthly")  # type: ignore[arg-type]

    @pytest.mark.parametrize("number", [float("nan"), float("inf"), -float("inf")])
    def test_numbers_are_finite(self, number):
        """NaN and infinities are no numbers a file can hold."""
        with pytest.raises(ConstraintError, match="must be a finite number") as info:
            KPI(target=number)

        assert "a finite number" == info.value.expected

    @pytest.mark.parametrize(
        ("make", "kind", "message"),
        [
            (
                lambda: attrs.evolve(Engagement(id="a"), start="x"),
                TypeError,
                "'start' must be a date without a time (got 'x' that is text).",
            ),
            (
                lambda: Engagement(id="a b"),
                ValueError,
                "'id' must be letters, digits, '.', '_' or '-' (got 'a b').",
            ),
            (
                lambda: KPI(target=float("nan")),
                ValueError,
                "'target' must be a finite number (got nan).",
            ),
            (
                lambda: Engagement(id="a", extensions={"crm": 1}),
                ValueError,
                "'extensions' keys must start with 'x-' (got crm).",
            ),
        ],
    )
    def test_refusal_reads_as_its_message(self, make, kind, message):
        """A refused value's error reads as its message, not a tuple of parts."""
        with pytest.raises(kind) as info:
            make()

        assert message == str(info.value)
        assert message == info.value.args[0]

    def test_constraint_says_what_is_expected(self):
        """A refused value carries what the field takes, in a file's words."""
        with pytest.raises(ConstraintError) as info:
            Engagement(id="acme", start=D(2026, 2, 1), end=D(2026, 1, 1))

        assert ("a date on or after `start` (2026-02-01)", "end", D(2026, 1, 1)) == (
            info.value.expected,
            *info.value.args[1:],
        )

    @pytest.mark.parametrize(
        ("value", "where"),
        [
            (
                dt.time(8, 30, tzinfo=dt.timezone.utc),
                (
                    "datetime.time(8, 30, tzinfo=datetime.timezone.utc) that is a "
                    "time of day with an offset at x-a)"
                ),
            ),
            ({"b": (1, {2})}, "{2} that is a set at x-a.b[1])"),
            ([{1: "one"}], "1 that is a whole number at x-a[0], key 1)"),
            ({1, 2}, "{1, 2} that is a set at x-a)"),
        ],
    )
    def test_extensions_are_plain_data(self, value, where):
        """x- values are what a file can hold, so that they are written back."""
        with pytest.raises(TypeError, match="values must be plain data") as info:
            Engagement(id="acme", extensions={"x-a": value})

        assert str(info.value.args[0]).endswith(f"{where}.")

    def test_plain_extensions(self):
        """Nested lists and mappings of text, numbers, booleans and null are kept.

        Frozen, as the model is: lists are tuples, mappings read-only.
        """
        value = {"b": [1, 2.5, True, None, "c", {"d": []}]}

        engagement = Engagement(id="acme", extensions={"x-a": value})

        assert {"b": (1, 2.5, True, None, "c", {"d": ()})} == engagement.extensions[
            "x-a"
        ]
        assert value == to_dict(engagement)["x-a"]  # written back as it was given

    def test_extensions_keep_what_toml_holds(self):
        """x- values hold infinity, NaN, dates, date-times and times, as TOML does."""
        value = [
            float("inf"),
            float("nan"),
            D(2026, 1, 1),
            dt.datetime(2026, 1, 1, 9, tzinfo=dt.timezone.utc),
            dt.time(8, 30),
        ]

        engagement = Engagement(id="acme", extensions={"x-a": value})

        assert tuple(value[:1] + value[2:]) == (
            engagement.extensions["x-a"][:1] + engagement.extensions["x-a"][2:]
        )
        assert engagement == Engagement(id="acme", extensions={"x-a": list(value)})

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

    def test_vendor_key_ignores_placeholders(self):
        """An id or a name that is a placeholder does not identify a vendor."""
        assert "ledgerpros" == Vendor(id="TBD", name="LedgerPros").key
        assert "lp" == Vendor(id="lp", name="n/a").key
        assert Vendor(id=" ", name="tbd").key is None

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


class TestWorkingOverlap:
    LONDON_NEW_YORK = Engagement(
        id="acme",
        client=Party(
            timezone=TimeZone("Europe/London"),
            working_hours=WorkingHours.parse("Mon-Fri 09:00-17:00"),
        ),
        vendor=Vendor(
            timezone=TimeZone("America/New_York"),
            working_hours=WorkingHours.parse("Mon-Fri 09:00-17:00"),
        ),
    )

    @pytest.mark.parametrize(
        ("on", "hours"),
        [
            (D(2026, 3, 6), 3),
            (D(2026, 3, 9), 4),
            (D(2026, 3, 30), 3),
            (D(2026, 3, 7), 0),
        ],
        ids=["both-standard", "us-summer-time", "both-summer-time", "saturday"],
    )
    def test_daylight_saving(self, on, hours):
        """Each zone's offset of that date counts: the gap shrinks for three weeks."""
        assert dt.timedelta(hours=hours) == self.LONDON_NEW_YORK.working_overlap(on)

    def test_unknown_without_hours_or_zone(self):
        """Without both parties' hours and zones there is nothing to compare."""
        vendor = attrs.evolve(self.LONDON_NEW_YORK.vendor, timezone=None)

        assert (None, None) == (
            Engagement(id="acme").working_overlap(D(2026, 3, 6)),
            attrs.evolve(self.LONDON_NEW_YORK, vendor=vendor).working_overlap(
                D(2026, 3, 6)
            ),
        )
