"""The one reader of dates given as values: ``as_of``, ``--as-of`` and the like."""

from __future__ import annotations

import datetime as dt

__all__ = ["as_date"]


def as_date(value: object, *, example: str = "2026-11-22") -> dt.date:
    """Return *value* (a date, a date-time or ``YYYY-MM-DD`` text) as a date.

    A date-time gives its date. Text must be a calendar date written
    ``YYYY-MM-DD``, on every Python version (3.11 and later would also take
    ``20261122``). Raise :class:`ValueError` naming what was expected (like
    *example*) and what was given.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    msg = f"expected a date like {example}, got {value!r}"
    raise ValueError(msg)
