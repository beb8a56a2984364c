"""The one reader of dates given as values, and the range of dates outsourcekit reads.

Every date of an engagement file, every ``as_of`` and every ``--as-of`` lies in
:data:`FIRST_DATE` to :data:`LAST_DATE`. Engagements are business records, and
the rules look some years back and ahead of the dates they are given: a range
well inside Python's years 1 to 9999 lets every rule compute with every date it
is given, a long cadence or duration added, and catches a year mistyped by a
digit or a placeholder such as 9999-12-31.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

__all__ = [
    "DATE_RANGE",
    "FIRST_DATE",
    "HISTORY_DATES",
    "LAST_DATE",
    "DateRangeError",
    "as_date",
    "check_range",
    "in_range",
]

#: The first date outsourcekit reads.
FIRST_DATE: Final = dt.date(1900, 1, 1)
#: The last date outsourcekit reads.
LAST_DATE: Final = dt.date(2999, 12, 31)
#: The range as messages and documentation write it.
DATE_RANGE: Final = f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
#: The most dates one history checks (``history()`` and ``check --history``):
#: every week of 19 years, every month of 83. Each date is a whole check whose
#: report is held to the end.
HISTORY_DATES = 1_000


class DateRangeError(ValueError):
    """A calendar date outside :data:`FIRST_DATE` to :data:`LAST_DATE`.

    ``value`` is what was given, ``first`` and ``last`` the ends of the range.
    """

    def __init__(self, message: str, value: object) -> None:
        """Record the *message* and the *value* outside the range."""
        super().__init__(message)
        self.value = value
        self.first = FIRST_DATE
        self.last = LAST_DATE


def in_range(value: dt.date) -> bool:
    """Return whether *value*, a date or a date-time, lies in the range.

    A date-time counts by the date written, whatever its offset from UTC.
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    return FIRST_DATE <= day <= LAST_DATE


def check_range(value: dt.date, *, what: str = "a date", shown: object = None) -> None:
    """Raise :class:`DateRangeError` if *value* lies outside the range.

    The message says "expected *what* from 1900-01-01 to 2999-12-31, got ..."
    with *shown* (default: *value*) as given.
    """
    if not in_range(value):
        given = value if shown is None else shown
        msg = f"expected {what} from {DATE_RANGE}, got {given!r}"
        raise DateRangeError(msg, given)


def as_date(value: object, *, example: str = "2026-11-22") -> dt.date:
    """Return *value* (a date, a date-time or ``YYYY-MM-DD`` text) as a date.

    A date-time gives its date, and so do pandas' ``Timestamp`` (a date-time)
    and numpy's ``datetime64``, as a frame's column holds them. Text must be a
    calendar date written ``YYYY-MM-DD``, on every Python version (3.11 and
    later would also take ``20261122``). Raise :class:`ValueError` naming what
    was expected (like *example*) and what was given, and
    :class:`DateRangeError` (a ValueError) for a date outside
    :data:`FIRST_DATE` to :data:`LAST_DATE`.
    """
    day: dt.date | None = None
    why = ""  # why text written YYYY-MM-DD is no date: not on the calendar
    if isinstance(value, dt.datetime):
        # pandas' NaT is a datetime equal to nothing, itself included: no date.
        day = value.date() if value == value else None  # noqa: PLR0124
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as error:  # not on the calendar: 2027-02-29
            digits = value[:4] + value[5:7] + value[8:]
            why = f" ({error})" if digits.isascii() and digits.isdigit() else ""
    elif _is_datetime64(value):
        day = _datetime64_date(value)
    if day is None:
        msg = f"expected a date like {example}, got {value!r}{why}"
        raise ValueError(msg)
    check_range(day, shown=value if isinstance(value, str) else day.isoformat())
    return day


def _is_datetime64(value: object) -> bool:
    """Return whether *value* is a numpy ``datetime64`` (numpy is not imported)."""
    kind = type(value)
    return kind.__name__ == "datetime64" and kind.__module__ == "numpy"


def _datetime64_date(value: Any) -> dt.date | None:
    """Return the date of the numpy ``datetime64`` *value*; None for NaT.

    A date numpy holds outside Python's dates (years before 1 or after
    9999) is None too, so that it is refused as not a date.
    """
    try:
        day = value.astype("datetime64[D]").item()
    except (TypeError, ValueError, OverflowError):  # pragma: no cover - numpy's own
        return None
    return day if isinstance(day, dt.date) else None
