"""Tests for the context rules run in: dates read in the client's time zone."""

from __future__ import annotations

import datetime as dt

from rules_for_tests import no_vision

from outsourcekit.engine import Context
from outsourcekit.model import Engagement, Party, TimeZone

SYDNEY = Engagement(id="a", client=Party(timezone=TimeZone.parse("Australia/Sydney")))


class TestLocalDate:
    def test_date_unchanged(self):
        """A date is already a calendar date."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))

        assert dt.date(2026, 3, 1) == ctx.local_date(dt.date(2026, 3, 1), SYDNEY)

    def test_moment_in_client_zone(self):
        """A date-time with an offset falls on the client's calendar date."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))
        at = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.timezone.utc)

        assert dt.date(2026, 3, 2) == ctx.local_date(at, SYDNEY)

    def test_naive_moment_is_client_time(self):
        """A date-time without an offset is already the client's time."""
        ctx = Context(rule=no_vision, as_of=dt.date(2026, 11, 22))

        assert dt.date(2026, 3, 1) == ctx.local_date(
            dt.datetime(2026, 3, 1, 23), SYDNEY
        )
