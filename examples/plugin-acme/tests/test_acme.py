"""Tests of Acme's plugin, written with outsourcekit.testing."""

from __future__ import annotations

import datetime as dt

from outsourcekit_acme import missing_cost_center

from outsourcekit.testing import assert_documented, check_one

AS_OF = dt.date(2026, 11, 22)
ACTIVE = {"id": "acme-bookkeeping", "status": "active", "start": "2026-01-05"}


class TestMissingCostCenter:
    def test_fires_without_cost_center(self):
        """An active engagement without the key gets one finding at that key."""
        findings = check_one(missing_cost_center, ACTIVE, as_of=AS_OF)

        assert [f.path for f in findings] == ["x-acme-cost-center"]

    def test_silent_with_cost_center(self):
        """A cost center satisfies the rule."""
        data = {**ACTIVE, "x-acme-cost-center": "CC-4711"}

        assert check_one(missing_cost_center, data, as_of=AS_OF) == []

    def test_silent_when_ended(self):
        """Ended engagements are no longer booked."""
        data = {**ACTIVE, "status": "ended"}

        assert check_one(missing_cost_center, data, as_of=AS_OF) == []

    def test_key_option(self):
        """The option `key` names another extension key."""
        data = {**ACTIVE, "x-acme-cost-center": "CC-4711"}

        findings = check_one(
            missing_cost_center, data, as_of=AS_OF, options={"key": "x-acme-budget"}
        )

        assert [f.path for f in findings] == ["x-acme-budget"]

    def test_documented(self):
        """The rule's documentation has every section."""
        assert_documented(missing_cost_center)
