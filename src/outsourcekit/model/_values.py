"""Value types of the file format: time zones, durations, cadences, working hours."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import itertools
import math
import re
import zoneinfo
from typing import TYPE_CHECKING, Any, Final

import attrs

from outsourcekit._dates import DATE_RANGE, in_range
from outsourcekit._suggest import suggest

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from dateutil.rrule import rrule

__all__ = [
    "Cadence",
    "Duration",
    "TimeZone",
    "ValueParseError",
    "WorkingHours",
    "overlap",
]


class ValueParseError(ValueError):
    """A value's text is not written the way the file format expects.

    The message says what was expected, with examples, then what was received;
    the parts are also kept as data: *text* is the input, *expected* the short
    phrase naming what was expected, and *hint* what exactly is wrong, when known.
    """

    def __init__(self, text: str, expected: str, hint: str | None = None) -> None:
        """Describe *text*, which is not *expected*, with an optional *hint*."""
        message = f"expected {expected}, got {text!r}"
        if hint:
            message = f"{message} ({hint})"
        super().__init__(message)
        self.text = text
        self.expected = expected
        self.hint = hint

    def __reduce__(self) -> tuple[type[ValueParseError], tuple[str, str, str | None]]:
        """Pickle by the parts, so the error crosses process boundaries intact."""
        return type(self), (self.text, self.expected, self.hint)


def _key(text: str) -> str:
    """Return the canonical form of a phrase: case and runs of spaces do not matter."""
    return " ".join(text.split()).casefold()


_STR = attrs.validators.instance_of(str)
_ZERO: Final = dt.timedelta(0)
_WEEK: Final = dt.timedelta(days=7)
_MIDNIGHT: Final = dt.time()
_UTC: Final = dt.timezone.utc

# -- time zones ------------------------------------------------------------------

_ZONE_EXPECTED: Final = (
    'an IANA time zone name such as "Asia/Manila" or a UTC offset such as "+08:00"'
)
_OFFSET_RE: Final = re.compile(
    r"(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
    re.IGNORECASE,
)
_MAX_OFFSET: Final = dt.timedelta(hours=14)
#: Names in the zone folder that are no zone of their own: the machine's zone
#: (``localtime``), a compiler's default and a placeholder. Results must not
#: depend on the machine they are computed on.
_NOT_ZONES: Final = frozenset({"localtime", "posixrules", "factory"})
_NOT_ZONE_HINT: Final = "it names no IANA zone but depends on the machine"


@functools.lru_cache(maxsize=1)
def _zone_names() -> Mapping[str, str]:
    """Every IANA name this machine knows, by its case-folded form."""
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


@functools.lru_cache(maxsize=1024)
def _parse_zone(text: str) -> tuple[str, dt.tzinfo]:
    """Return the canonical name and the tzinfo of the zone written *text*."""
    name = text.strip()
    if name.upper() in {"UTC", "Z"}:
        return "UTC", _UTC
    match = _OFFSET_RE.fullmatch(name)
    if match is not None:
        return _fixed_offset(text, match)
    if not name or any(c.isspace() for c in name):
        raise ValueParseError(text, _ZONE_EXPECTED)
    if name.casefold() in _NOT_ZONES:
        raise ValueParseError(text, _ZONE_EXPECTED, _NOT_ZONE_HINT)
    names = _zone_names()
    # Only the zones of the database, never another file of its folder.
    key = names.get(name.casefold())
    try:
        zone = None if key is None else zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zone = None
    if key is None or zone is None:
        hint = _did_you_mean(name.casefold(), names)
        raise ValueParseError(text, _ZONE_EXPECTED, hint)
    return key, zone


def _fixed_offset(text: str, match: re.Match[str]) -> tuple[str, dt.tzinfo]:
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    offset = dt.timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset > _MAX_OFFSET:
        raise ValueParseError(
            text, _ZONE_EXPECTED, "offsets range from -14:00 to +14:00"
        )
    if not offset:
        return "UTC", _UTC
    if match["sign"] == "-":
        offset = -offset
    return f"{match['sign']}{hours:02d}:{minutes:02d}", dt.timezone(offset)


def _did_you_mean(word: str, choices: Mapping[str, str]) -> str | None:
    """Return a hint naming the choice closest to *word* (keys: case-folded forms)."""
    close = suggest(word, choices, cutoff=0.75)
    return f"did you mean {choices[close]!r}?" if close is not None else None


@attrs.frozen(slots=True)
class TimeZone:
    """A time zone as written in an engagement file: an IANA name or a UTC offset.

    Names are looked up without regard to case (``asia/manila`` is
    ``Asia/Manila``); ``UTC``, ``Z`` and ``+00:00`` are all UTC. Two zones are
    equal when they name the same zone the same way.
    """

    text: str = attrs.field(eq=False, validator=_STR)
    _key: str = attrs.field(init=False, repr=False)
    #: The zone as a :class:`datetime.tzinfo` (a ZoneInfo or a fixed offset).
    #: An attribute, not a property: every date of every check is read in it.
    tzinfo: dt.tzinfo = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Parse the text; raise ValueParseError if it names no zone."""
        key, tzinfo = _parse_zone(self.text)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "tzinfo", tzinfo)

    @classmethod
    def parse(cls, text: str) -> TimeZone:
        """Return the zone written *text*, e.g. ``"Asia/Manila"`` or ``"+08:00"``."""
        return cls(text)

    @property
    def name(self) -> str:
        """The canonical name: the IANA name as the database spells it, or an offset."""
        return self._key

    def utcoffset(self, on: dt.date) -> dt.timedelta:
        """Return the offset from UTC at 12:00 local time on *on*, DST applied."""
        offset = dt.datetime.combine(on, dt.time(12), self.tzinfo).utcoffset()
        return _ZERO if offset is None else offset

    def __str__(self) -> str:
        """Return the zone as written."""
        return self.text

    def __reduce__(self) -> tuple[type[TimeZone], tuple[str]]:
        """Pickle by the text alone."""
        return type(self), (self.text,)


# -- durations -------------------------------------------------------------------

_DURATION_EXPECTED: Final = (
    'a duration such as "24h", "90m", "2d", "2 business days", "1w" or "PT4H"'
)
_UNITS: Final = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("d", "day", "days"), 86400),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 604800),
}
_NUMBER: Final = r"\d+(?:[.,]\d+)?"
_PART_RE: Final = re.compile(
    rf"\s*(?:(?<=\S)\s*(?:,|and)\s*)?(?P<number>{_NUMBER})\s*(?P<unit>[a-z]+)"
)
_BUSINESS_RE: Final = re.compile(r"(?P<days>\d+)\s*(?:business|working|work) ?days?")
_ISO_RE: Final = re.compile(
    rf"p(?:(?P<w>{_NUMBER})w)?(?:(?P<d>{_NUMBER})d)?"
    rf"(?:t(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?)?"
)
_ISO_UNITS: Final = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_VAGUE_HINT: Final = "months and years vary in length: use days or weeks"
#: The longest duration (about 273 years), so that one added to any date of the
#: range of dates read is still a date.
MAX_DURATION: Final = dt.timedelta(days=100_000)
_VAGUE_RE: Final = re.compile(
    r"\d\s*(?:mo|mos|month|months|y|yr|yrs|year|years)\b|^p[^t]*\d[ym]"
)


def _micros(number: str, unit_seconds: int) -> int:
    """Return *number* (decimal text) times *unit_seconds* in whole microseconds."""
    whole, _, fraction = number.replace(",", ".").partition(".")
    scale: int = 10 ** len(fraction)
    return int(whole + fraction) * unit_seconds * 1_000_000 // scale


@functools.lru_cache(maxsize=1024)
def _parse_duration(text: str) -> tuple[dt.timedelta, int | None]:
    """Return the length and, for ``N business days``, N, of the duration *text*."""
    key = _key(text)
    business = _BUSINESS_RE.fullmatch(key)
    if business is not None:
        days = int(business["days"])
        return _timedelta(text, days * 86400 * 1_000_000), days
    iso = _ISO_RE.fullmatch(key) if key.startswith("p") else None
    if iso is not None and any(iso.groups()) and not key.endswith("t"):
        micros = sum(
            _micros(value, _ISO_UNITS[unit])
            for unit, value in iso.groupdict().items()
            if value is not None
        )
        return _timedelta(text, micros), None
    micros, position = 0, 0
    for part in _PART_RE.finditer(key):
        unit = _UNITS.get(part["unit"])
        if part.start() != position or unit is None:
            break
        micros += _micros(part["number"], unit)
        position = part.end()
    if position and position == len(key):
        return _timedelta(text, micros), None
    hint = _VAGUE_HINT if _VAGUE_RE.search(key) else None
    if hint is None and key.replace(".", "", 1).isdigit():
        hint = "a number needs a unit"
    raise ValueParseError(text, _DURATION_EXPECTED, hint)


def _timedelta(text: str, micros: int) -> dt.timedelta:
    if micros > MAX_DURATION // _MICROSECOND:
        hint = f"over the limit of {MAX_DURATION.days:,} days"
        raise ValueParseError(text, _DURATION_EXPECTED, hint)
    return dt.timedelta(microseconds=micros)


@attrs.frozen(slots=True)
class Duration:
    """A length of time as written in an engagement file.

    ``24h``, ``90m``, ``2d``, ``1w``, ``30 minutes``, ``1 hour``, combinations such
    as ``1h30m``, ISO 8601 ``PT4H``/``P2D``, and ``N business days``. Months and
    years are refused: their length varies. Two durations are equal when their
    texts are, case and spacing aside (``24h`` is not ``1d``).
    """

    text: str = attrs.field(eq=False, validator=_STR)
    _key: str = attrs.field(init=False, repr=False)
    _timedelta: dt.timedelta = attrs.field(init=False, repr=False, eq=False)
    _business_days: int | None = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Parse the text; raise ValueParseError if it is no duration."""
        delta, business_days = _parse_duration(self.text)
        object.__setattr__(self, "_key", _key(self.text))
        object.__setattr__(self, "_timedelta", delta)
        object.__setattr__(self, "_business_days", business_days)

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Return the duration written *text*, e.g. ``"24h"`` or ``"2 days"``."""
        return cls(text)

    @property
    def timedelta(self) -> dt.timedelta:
        """The length; business days count as calendar days (2 business days: 2d)."""
        return self._timedelta

    @property
    def business_days(self) -> int | None:
        """N for ``N business days``, else None."""
        return self._business_days

    def __str__(self) -> str:
        """Return the duration as written."""
        return self.text

    def __reduce__(self) -> tuple[type[Duration], tuple[str]]:
        """Pickle by the text alone."""
        return type(self), (self.text,)


# -- cadences --------------------------------------------------------------------

_CADENCE_EXPECTED: Final = (
    'a cadence such as "weekly", "twice a week", "every 2 weeks" or an RRULE'
    ' such as "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10"'
)
_RRULE_EXPECTED: Final = (
    'an RFC 5545 RRULE such as "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",'
    " optionally after a DTSTART line"
)
# dateutil.rrule's frequency constants, named here so importing this module does
# not import dateutil.
_YEARLY, _MONTHLY, _WEEKLY, _DAILY, _HOURLY, _MINUTELY, _SECONDLY = range(7)
_FREQS: Final = {
    "YEARLY": _YEARLY,
    "MONTHLY": _MONTHLY,
    "WEEKLY": _WEEKLY,
    "DAILY": _DAILY,
    "HOURLY": _HOURLY,
    "MINUTELY": _MINUTELY,
    "SECONDLY": _SECONDLY,
}
_UNIT_SECONDS: Final = {
    _WEEKLY: 604800,
    _DAILY: 86400,
    _HOURLY: 3600,
    _MINUTELY: 60,
    _SECONDLY: 1,
}
#: The natural cycle of each filter that may repeat with a fixed period.
_FILTER_CYCLES: Final = {
    "BYSECOND": 60,
    "BYMINUTE": 3600,
    "BYHOUR": 86400,
    "BYDAY": 604800,
}
_PERIODIC_FILTERS: Final = frozenset({*_FILTER_CYCLES, "BYSETPOS"})
_DAY_FILTERS: Final = frozenset({"BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"})
_RRULE_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Integer ranges of the numeric RRULE parts: (lowest, highest, negatives allowed).
_RRULE_RANGES: Final = {
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 59, False),
}
_RRULE_PARTS: Final = frozenset(
    {*_RRULE_RANGES, "FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYDAY"}
)
_BYDAY_RE: Final = re.compile(r"(?P<n>[+-]?\d{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)")
_DTSTART_RE: Final = re.compile(
    r"DTSTART(?P<params>(?:;[^:;]*)*):(?P<value>\S+)", re.IGNORECASE
)
#: Where templates start before they are anchored; a Monday.
_TEMPLATE_START: Final = dt.datetime(2000, 1, 3)  # noqa: DTZ001 - wall clock
#: Rules are probed for occurrences from here: iteration ends soon at year 9999.
_PROBE_START: Final = dt.datetime(9970, 1, 1)  # noqa: DTZ001 - wall clock
#: Cycles are worked out from a start in this year: three periods of at most eight
#: years (see ``_period``) end before year 9999, where a rule that never occurs stops.
_CYCLE_YEAR: Final = 9970
_MAX_CYCLE_EVENTS: Final = 5000
#: The largest INTERVAL of an RRULE, and N of ``every N weeks``.
_MAX_INTERVAL: Final = 10**6
#: The most occurrences a cadence may have in a year (every 15 minutes is 35,136).
MAX_OCCURRENCES_PER_YEAR: Final = 50_000
#: The least time between two occurrences of a cadence, in seconds.
_MIN_STEP_SECONDS: Final = 60
#: More than any change of a zone's UTC offset (Samoa skipped a whole day).
_MARGIN: Final = dt.timedelta(hours=27)
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_DAY_MICROS: Final = 86_400_000_000

_PHRASE_RULES: Final = {
    "hourly": (_HOURLY, 1),
    "every hour": (_HOURLY, 1),
    "daily": (_DAILY, 1),
    "every day": (_DAILY, 1),
    "every other day": (_DAILY, 2),
    "weekly": (_WEEKLY, 1),
    "every week": (_WEEKLY, 1),
    "biweekly": (_WEEKLY, 2),
    "fortnightly": (_WEEKLY, 2),
    "every other week": (_WEEKLY, 2),
    "monthly": (_MONTHLY, 1),
    "every month": (_MONTHLY, 1),
    "every other month": (_MONTHLY, 2),
    "quarterly": (_MONTHLY, 3),
    "yearly": (_YEARLY, 1),
    "annually": (_YEARLY, 1),
    "every year": (_YEARLY, 1),
}
_WEEKDAY_PHRASES: Final = frozenset({"weekdays", "every weekday"})
_UNIT_FREQS: Final = {
    "hour": _HOURLY,
    "day": _DAILY,
    "week": _WEEKLY,
    "month": _MONTHLY,
    "year": _YEARLY,
}
_ADVERB_UNITS: Final = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "yearly": "year",
    "annually": "year",
}
_NUMBER_WORDS: Final = {
    "once": 1,
    "twice": 2,
    "thrice": 3,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_WORDS: Final = "|".join(_NUMBER_WORDS)
_TIMES_RE: Final = re.compile(
    rf"(?:(?P<word>once|twice|thrice)|(?P<n>\d+|{_WORDS}) ?(?:x|times?))"
    r"(?: ?/ ?| (?:a|an|per|each|every) )(?P<unit>day|week|month|year)"
)
_TIMES_ADVERB_RE: Final = re.compile(
    rf"(?:(?P<word>once|twice|thrice)|(?P<n>\d+|{_WORDS}) ?(?:x|times?))"
    r" (?P<adverb>daily|weekly|monthly|yearly|annually)"
)
_EVERY_RE: Final = re.compile(
    rf"every (?P<n>\d+|other|{_WORDS}) (?P<unit>hour|day|week|month|year)s?"
)
#: The fixed days of ``N times a week``.
_TIMES_A_WEEK: Final = {
    1: (0,),
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
}
#: The most ``N times a month`` may be: the days of the shortest month.
_MAX_TIMES_A_MONTH: Final = 28
#: The most ``N times a year`` may be: the months of a year.
_MAX_TIMES_A_YEAR: Final = 12


def _times_a_month(times: int) -> tuple[int, ...]:
    """Return the fixed days of the month of ``<times> times a month``.

    Spread evenly over the first 28 days, which every month has: day
    1 + floor(28k / times) for k = 0 to times - 1 (twice: the 1st and the 15th).
    """
    return tuple(1 + _MAX_TIMES_A_MONTH * k // times for k in range(times))


def _times_a_year(times: int) -> tuple[int, ...]:
    """Return the fixed months of ``<times> times a year``, each on its 1st.

    Spread evenly over the year: month 1 + floor(12k / times) for k = 0 to
    times - 1 (twice: January and July; 4 times: the quarters).
    """
    return tuple(1 + _MAX_TIMES_A_YEAR * k // times for k in range(times))


@attrs.frozen(eq=False)
class _Spec:
    """A parsed cadence, before it is anchored at a moment."""

    freq: int
    interval: int
    #: The rule from _TEMPLATE_START, without COUNT and UNTIL.
    template: rrule
    per_occurrence: int = 1
    has_time_of_day: bool = False
    #: Monthly and yearly phrases, and rules of theirs without a day of their
    #: own, take their day (and month) from the start: their DTSTART, else the
    #: anchor.
    anchored_day: bool = False
    #: The RRULE parts written (for phrases, those they imply), e.g. {"BYDAY"}.
    given: frozenset[str] = frozenset()
    dtstart: dt.datetime | None = None
    until: dt.datetime | None = None
    count: int | None = None
    #: When the occurrences repeat every `period` of wall-clock time, that period.
    period: dt.timedelta | None = None
    #: Whether weeks may be counted from the cycle alone (periodic, no limits).
    by_cycle: bool = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        """Note whether whole weeks may be counted from the cycle alone."""
        simple = self.dtstart is None and self.until is None and self.count is None
        object.__setattr__(self, "by_cycle", simple and self.period is not None)


@functools.lru_cache(maxsize=1024)
def _parse_cadence(text: str) -> _Spec:
    """Parse the cadence *text* (a phrase or an RRULE) once per distinct text."""
    words = text.split()
    first = words[0].upper() if words else ""
    if first.startswith(("FREQ=", "RRULE:", "DTSTART")):
        return _parse_rrule(text, words)
    return _parse_phrase(text)


def _rrule_module() -> Any:
    """Return dateutil.rrule, imported on first use."""
    from dateutil import rrule as module  # noqa: PLC0415 - keeps imports light

    return module


def _phrase_spec(  # noqa: PLR0913 - the rule parts a phrase may fix
    freq: int,
    interval: int = 1,
    *,
    days: tuple[int, ...] | None = None,
    month_days: tuple[int, ...] | None = None,
    months: tuple[int, ...] | None = None,
    per_occurrence: int = 1,
) -> _Spec:
    """Return the spec of a phrase: *freq* every *interval*, on *days* of the week.

    Or on *month_days*, fixed days of the month (of fixed *months*, if given);
    without them a monthly or yearly phrase takes its day (and month) from the
    anchor.
    """
    template = _rrule_module().rrule(
        freq,
        dtstart=_TEMPLATE_START,
        interval=interval,
        byweekday=days,
        bymonthday=month_days,
        bymonth=months,
    )
    given = frozenset({"BYDAY"}) if days is not None else frozenset()
    if month_days is not None:
        given = frozenset({"BYMONTHDAY", "BYMONTH"} if months else {"BYMONTHDAY"})
    anchored = freq in {_MONTHLY, _YEARLY} and month_days is None
    if anchored:  # the day (and month) come from the anchor
        given = frozenset(
            {"BYMONTHDAY", "BYMONTH"} if freq == _YEARLY else {"BYMONTHDAY"}
        )
    return _Spec(
        freq=freq,
        interval=interval,
        template=template,
        per_occurrence=per_occurrence,
        anchored_day=anchored,
        given=given,
        period=None if anchored else _period(freq, interval, given),
    )


def _parse_phrase(text: str) -> _Spec:
    key = _key(text)
    if key in _PHRASE_RULES:
        return _phrase_spec(*_PHRASE_RULES[key])
    if key in _WEEKDAY_PHRASES:
        return _phrase_spec(_WEEKLY, days=_TIMES_A_WEEK[5])
    match = _TIMES_RE.fullmatch(key) or _TIMES_ADVERB_RE.fullmatch(key)
    if match is not None:
        number = match["word"] or match["n"]
        unit = match["unit"] if "unit" in match.groupdict() else None
        unit = unit or _ADVERB_UNITS[match["adverb"]]
        return _times_per(text, _number(number), unit)
    match = _EVERY_RE.fullmatch(key)
    if match is not None:
        interval = _number(match["n"])
        if interval < 1:
            raise ValueParseError(text, _CADENCE_EXPECTED, "every 0 is never")
        if interval > _MAX_INTERVAL:
            hint = f"every N goes up to {_MAX_INTERVAL:,}, got {interval:,}"
            raise ValueParseError(text, _CADENCE_EXPECTED, hint)
        return _phrase_spec(_UNIT_FREQS[match["unit"]], interval)
    raise ValueParseError(text, _CADENCE_EXPECTED, _phrase_hint(key))


def _number(word: str) -> int:
    if word == "other":
        return 2
    return _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)


def _phrase_hint(key: str) -> str | None:
    known = [*_PHRASE_RULES, *_WEEKDAY_PHRASES]
    return _did_you_mean(key, {phrase: phrase for phrase in known})


def _times_per(text: str, times: int, unit: str) -> _Spec:
    """Return the spec of ``<times> times a <unit>``."""
    if times < 1:
        raise ValueParseError(text, _CADENCE_EXPECTED, "0 times is never")
    if unit == "week":
        if times in _TIMES_A_WEEK:
            return _phrase_spec(_WEEKLY, days=_TIMES_A_WEEK[times])
        if times % 7:
            raise ValueParseError(
                text,
                _CADENCE_EXPECTED,
                "more than 7 times a week must be a multiple of 7, such as"
                ' "14 times a week"; or say "N times a day"',
            )
        return _phrase_spec(_DAILY, per_occurrence=times // 7)
    if unit == "month" and times > 1:
        if times > _MAX_TIMES_A_MONTH:
            raise ValueParseError(
                text,
                _CADENCE_EXPECTED,
                f"N times a month goes up to {_MAX_TIMES_A_MONTH}, the days of the"
                f' shortest month, got {times}; for more, say "daily", "N times a'
                ' week" or "N times a day"',
            )
        return _phrase_spec(_MONTHLY, month_days=_times_a_month(times))
    if unit == "year" and times > 1:
        if times > _MAX_TIMES_A_YEAR:
            raise ValueParseError(
                text,
                _CADENCE_EXPECTED,
                f"N times a year goes up to {_MAX_TIMES_A_YEAR}, the months of a"
                f' year, got {times}; for more, say "N times a month" or "N times'
                ' a week"',
            )
        return _phrase_spec(_YEARLY, month_days=(1,), months=_times_a_year(times))
    return _phrase_spec(_UNIT_FREQS[unit], per_occurrence=times)


def _period(freq: int, interval: int, given: frozenset[str]) -> dt.timedelta | None:
    """Return the wall-clock period after which occurrences repeat, if there is one.

    Rules of a fixed-length frequency whose filters are only days of the week and
    times of day repeat; month and year lengths vary, so other rules do not.
    """
    if freq not in _UNIT_SECONDS or not given <= _PERIODIC_FILTERS:
        return None
    unit = _UNIT_SECONDS[freq]
    seconds = interval * unit
    for name, cycle in _FILTER_CYCLES.items():
        if name in given and cycle > unit:
            seconds = math.lcm(seconds, cycle)
    if seconds // (interval * unit) > _MAX_CYCLE_EVENTS or seconds > 8 * 365 * 86400:
        return None
    return dt.timedelta(seconds=seconds)


def _parse_rrule(text: str, words: list[str]) -> _Spec:
    """Parse RFC 5545 text: one RRULE, optionally with a DTSTART line."""
    dtstart: dt.datetime | None = None
    line: str | None = None
    for word in words:
        upper = word.upper()
        if upper.startswith("DTSTART"):
            if dtstart is not None:
                raise ValueParseError(text, _RRULE_EXPECTED, "DTSTART is given twice")
            dtstart = _parse_dtstart(text, word)
        elif upper.startswith("RRULE:") or (
            upper.startswith("FREQ=") and ":" not in upper
        ):
            if line is not None:
                raise ValueParseError(
                    text, _RRULE_EXPECTED, "only one RRULE is allowed"
                )
            line = upper.removeprefix("RRULE:")
        else:
            hint = f"unexpected {word!r}: only a DTSTART and one RRULE are allowed"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)
    if line is None:
        raise ValueParseError(text, _RRULE_EXPECTED, "RRULE is missing")
    parts = _rrule_parts(text, line)
    return _rrule_spec(text, parts, dtstart)


def _rrule_parts(text: str, line: str) -> dict[str, str]:
    """Return the parts of an RRULE line by name, checked against RFC 5545."""
    parts: dict[str, str] = {}
    for part in line.split(";"):
        name, equals, value = part.partition("=")
        if not equals or not value:
            raise ValueParseError(text, _RRULE_EXPECTED, f"{part!r} is not NAME=VALUE")
        if name not in _RRULE_PARTS:
            raise ValueParseError(text, _RRULE_EXPECTED, f"unknown part {name!r}")
        if name in parts:
            raise ValueParseError(text, _RRULE_EXPECTED, f"{name} is given twice")
        parts[name] = value
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        hint = "FREQ is missing" if freq is None else f"unknown FREQ {freq!r}"
        raise ValueParseError(text, _RRULE_EXPECTED, hint)
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueParseError(
            text, _RRULE_EXPECTED, "COUNT and UNTIL exclude each other"
        )
    _check_values(text, parts)
    return parts


def _check_values(text: str, parts: dict[str, str]) -> None:
    """Raise ValueParseError for a value out of its RFC 5545 range."""
    for name, (low, high, negative) in _RRULE_RANGES.items():
        if name in parts:
            _check_numbers(text, name, parts[name], low, high, negative=negative)
    for name in ("INTERVAL", "COUNT"):
        if name in parts:
            _check_numbers(
                text, name, parts[name], 1, _MAX_INTERVAL, negative=False, one=True
            )
    if "BYDAY" in parts:
        _check_byday(text, parts["BYDAY"], _FREQS[parts["FREQ"]])
    if "WKST" in parts and parts["WKST"] not in _RRULE_DAYS:
        raise ValueParseError(text, _RRULE_EXPECTED, "WKST must be a day such as MO")


def _check_numbers(  # noqa: PLR0913 - one RRULE part and its bounds
    text: str,
    name: str,
    value: str,
    low: int,
    high: int,
    *,
    negative: bool,
    one: bool = False,
) -> None:
    items = [value] if one else value.split(",")
    for item in items:
        digits = item[1:] if item[:1] in "+-" and negative else item
        if not digits.isdigit() or not low <= int(digits) <= high:
            sign = f" or -{high} to -{low}" if negative else ""
            hint = f"{name} must be from {low} to {high}{sign}, got {item!r}"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)


def _check_byday(text: str, value: str, freq: int) -> None:
    limit = {_MONTHLY: 5, _YEARLY: 53}.get(freq)
    for item in value.split(","):
        match = _BYDAY_RE.fullmatch(item)
        if match is None:
            hint = f"BYDAY takes days such as MO,TH or 1MO, got {item!r}"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)
        if match["n"] is None:
            continue
        number = abs(int(match["n"]))
        if limit is None:
            hint = f"BYDAY numbers such as {item!r} need FREQ=MONTHLY or FREQ=YEARLY"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)
        if not 1 <= number <= limit:
            hint = f"BYDAY number {item!r} must be from 1 to {limit} or -{limit} to -1"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)


def _check_cost(text: str, freq: int, interval: int, rule: dict[str, str]) -> None:
    """Raise ValueParseError for a rule too costly to expand.

    Occurrences are at least a minute apart, and a year holds at most
    :data:`MAX_OCCURRENCES_PER_YEAR` of them, by an upper bound read from the
    rule's parts (the frequency, INTERVAL and the BY parts that add occurrences).
    """
    if freq == _SECONDLY and interval < _MIN_STEP_SECONDS:
        hint = (
            "occurrences less than a minute apart are not supported: "
            f"FREQ=SECONDLY needs an INTERVAL of at least {_MIN_STEP_SECONDS}"
        )
        raise ValueParseError(text, _RRULE_EXPECTED, hint)
    per_year = _days_per_year(freq, interval, rule) * _per_day(freq, interval, rule)
    if per_year > MAX_OCCURRENCES_PER_YEAR:
        hint = (
            f"the rule may occur {per_year:,} times a year, over the limit of "
            f"{MAX_OCCURRENCES_PER_YEAR:,}"
        )
        raise ValueParseError(text, _RRULE_EXPECTED, hint)


def _many(rule: dict[str, str], name: str, default: int) -> int:
    """Return how many values the rule's part *name* lists, or *default*."""
    return len(rule[name].split(",")) if name in rule else default


def _days_per_year(freq: int, interval: int, rule: dict[str, str]) -> int:
    """Return at most how many days of a year hold occurrences of the rule."""
    if freq >= _HOURLY:
        return 366
    if freq == _DAILY:
        return _ceil_int(366, interval)
    if freq == _WEEKLY:
        return min(366, _ceil_int(53, interval) * _many(rule, "BYDAY", 1))
    days = 31 if _DAY_FILTERS & rule.keys() else 1
    if freq == _MONTHLY:
        return min(366, _ceil_int(12, interval) * days)
    return 366 if days > 1 else _many(rule, "BYMONTH", 1)


def _per_day(freq: int, interval: int, rule: dict[str, str]) -> int:
    """Return at most how many occurrences of the rule fall on one day."""
    hours = _many(rule, "BYHOUR", 24 if freq >= _HOURLY else 1)
    minutes = _many(rule, "BYMINUTE", 60 if freq >= _MINUTELY else 1)
    seconds = _many(rule, "BYSECOND", 60 if freq >= _SECONDLY else 1)
    combined = hours * minutes * seconds
    if freq <= _DAILY:
        return combined
    steps = _ceil_int(86400, _UNIT_SECONDS[freq] * interval)
    return (
        min(steps, combined)
        if freq == _SECONDLY
        else min(steps * (minutes if freq == _HOURLY else 1) * seconds, combined)
    )


def _rrule_spec(text: str, parts: dict[str, str], dtstart: dt.datetime | None) -> _Spec:
    """Build the spec of a checked RRULE: the template, limits and time of day."""
    freq = _FREQS[parts["FREQ"]]
    given = frozenset(name for name in parts if name.startswith("BY"))
    # Without a time given, occurrences keep the start's time; once an hour or a
    # minute is given, the smaller units not given are 0.
    rule = {
        name: value for name, value in parts.items() if name not in {"COUNT", "UNTIL"}
    }
    if given & {"BYHOUR", "BYMINUTE"}:
        if freq <= _HOURLY and "BYMINUTE" not in given:
            rule["BYMINUTE"] = "0"
        if freq <= _MINUTELY and "BYSECOND" not in given:
            rule["BYSECOND"] = "0"
    given = frozenset(name for name in rule if name.startswith("BY"))
    _check_cost(text, freq, int(parts.get("INTERVAL", "1")), rule)
    module = _rrule_module()
    try:
        template = module.rrulestr(
            ";".join(f"{name}={value}" for name, value in rule.items()),
            dtstart=_TEMPLATE_START,
        )
        probe = template.replace(dtstart=_PROBE_START, interval=1)
        first = None
        with contextlib.suppress(ValueError, OverflowError):  # ran past year 9999
            first = next(iter(probe), None)
    except (ValueError, TypeError, IndexError, KeyError) as e:
        raise ValueParseError(text, _RRULE_EXPECTED, str(e) or None) from None
    if first is None:
        raise ValueParseError(text, _RRULE_EXPECTED, "the rule never occurs")
    interval = int(parts.get("INTERVAL", "1"))
    # Without a day of its own, a monthly or yearly rule takes its day (and
    # month) from its DTSTART, else from the anchor, as its phrase does: after
    # the 28th, the month's last day (format.md, cadences), where RFC 5545 would
    # skip months.
    anchored = not given & (_DAY_FILTERS | {"BYSETPOS"}) and (
        freq == _MONTHLY or (freq == _YEARLY and "BYMONTH" not in given)
    )
    if anchored:
        given |= {"BYMONTHDAY", "BYMONTH"} if freq == _YEARLY else {"BYMONTHDAY"}
    return _Spec(
        freq=freq,
        interval=interval,
        template=template,
        has_time_of_day="BYHOUR" in parts,
        anchored_day=anchored,
        given=given,
        dtstart=dtstart,
        until=_parse_until(text, parts["UNTIL"]) if "UNTIL" in parts else None,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
        period=None if anchored else _period(freq, interval, given),
    )


def _parse_datetime(text: str, value: str, what: str) -> dt.datetime:
    from dateutil.parser import isoparse  # noqa: PLC0415 - keeps imports light

    try:
        return isoparse(value)
    except (ValueError, OverflowError):
        hint = f"{what} {value!r} is not a date-time such as 20260105T100000"
        raise ValueParseError(text, _RRULE_EXPECTED, hint) from None


def _parse_dtstart(text: str, word: str) -> dt.datetime:
    match = _DTSTART_RE.fullmatch(word)
    if match is None:
        hint = f"{word!r} is not DTSTART:<date-time>"
        raise ValueParseError(text, _RRULE_EXPECTED, hint)
    start = _parse_datetime(text, match["value"], "DTSTART")
    _check_in_range(text, "DTSTART", start)
    for param in filter(None, match["params"].split(";")):
        name, _, value = param.partition("=")
        if name.upper() == "TZID" and start.tzinfo is None:
            try:
                start = start.replace(tzinfo=TimeZone.parse(value).tzinfo)
            except ValueParseError as e:
                hint = f"unknown TZID {value!r}" + (f"; {e.hint}" if e.hint else "")
                raise ValueParseError(text, _RRULE_EXPECTED, hint) from None
        elif name.upper() != "VALUE":
            hint = f"DTSTART takes TZID or VALUE, got {param!r}"
            raise ValueParseError(text, _RRULE_EXPECTED, hint)
    return start


def _parse_until(text: str, value: str) -> dt.datetime:
    until = _parse_datetime(text, value, "UNTIL")
    _check_in_range(text, "UNTIL", until)
    if "T" not in value.upper():  # a date: up to the end of that day
        until = until.replace(hour=23, minute=59, second=59)
    return until


def _check_in_range(text: str, name: str, value: dt.datetime) -> None:
    """Raise ValueParseError for a DTSTART or UNTIL outside the range of dates."""
    if not in_range(value):
        hint = f"{name} {value.date()} is outside the range of dates, {DATE_RANGE}"
        raise ValueParseError(text, _RRULE_EXPECTED, hint)


def _require_aware(name: str, value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name!r} must be an aware datetime (got {value!r})."
        raise ValueError(msg)


def _ceil_div(a: dt.timedelta, b: dt.timedelta) -> int:
    return -((-a) // b)


@attrs.frozen(eq=False)
class _Cycle:
    """Offsets of the occurrences in the first and in every later period."""

    period: dt.timedelta
    first: tuple[dt.timedelta, ...]
    repeat: tuple[dt.timedelta, ...]
    period_micros: int = attrs.field(init=False)
    #: The longest time between consecutive repeated occurrences, the gap from
    #: the last of one period to the first of the next included; None without
    #: repeated occurrences.
    max_gap: dt.timedelta | None = attrs.field(init=False)
    #: Occurrences in a whole week, by the week's phase (microseconds) in the period.
    week_counts: dict[int, int] = attrs.field(factory=dict)

    def week_count(self, phase: int) -> int:
        """Return the occurrences in the week starting *phase* µs into a period."""
        count = self.week_counts.get(phase)
        if count is None:
            start = phase * _MICROSECOND
            end, period = start + _WEEK, self.period
            count = sum(
                start <= k * period + offset < end
                for k in range(_ceil_div(end, period) + 1)
                for offset in self.repeat
            )
            self.week_counts[phase] = count
        return count

    def __attrs_post_init__(self) -> None:
        """Keep the period in microseconds too, and the longest gap."""
        object.__setattr__(self, "period_micros", self.period // _MICROSECOND)
        repeat = self.repeat
        gap = None
        if repeat:
            # offsets are sorted and within one period: the wrap-around gap
            # closes the circle
            wrap = repeat[0] + self.period - repeat[-1]
            gap = max((b - a for a, b in itertools.pairwise(repeat)), default=wrap)
            gap = max(gap, wrap)
        object.__setattr__(self, "max_gap", gap)


@functools.lru_cache(maxsize=1024)
def _cycle(spec: _Spec, weekday: int, time: dt.time) -> _Cycle | None:
    """Return the cycle of a periodic spec started on *weekday* at *time*, if any.

    Only the start's weekday and time of day matter, so the cycle is worked out
    from a start in the 9970s with that weekday and time: a rule that never
    occurs from there stops at year 9999 instead of running on.
    """
    period = spec.period
    if period is None:
        return None
    day = dt.date(_CYCLE_YEAR, 1, 1)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    start = dt.datetime.combine(day, time)
    stop = start + 3 * period
    buckets: list[list[dt.timedelta]] = [[], [], []]
    with contextlib.suppress(ValueError, OverflowError):  # ran past year 9999
        for event in spec.template.replace(dtstart=start):
            if event >= stop:
                break
            k = (event - start) // period
            buckets[k].append(event - start - k * period)
    if buckets[1] != buckets[2]:
        return None
    return _Cycle(period, tuple(buckets[0]), tuple(buckets[1]))


_Options = tuple[tuple[str, Any], ...]


@functools.lru_cache(maxsize=1024)
def _never(spec: _Spec, options: _Options) -> bool:
    """Return whether the rule, with the filters *options*, can never occur.

    Probed with interval 1 from year 9970: a calendar pattern repeats within 28
    years there, and a probe that finds nothing stops at year 9999.
    """
    probe = spec.template.replace(dtstart=_PROBE_START, interval=1, **dict(options))
    first = None
    with contextlib.suppress(ValueError, OverflowError):  # ran past year 9999
        first = next(iter(probe), None)
    return first is None


#: The options of monthly and yearly phrases: the day (and month) and the time.
_PHRASE_OPTIONS: Final = {
    _MONTHLY: frozenset({"bymonthday", "byhour", "byminute", "bysecond"}),
    _YEARLY: frozenset({"bymonth", "bymonthday", "byhour", "byminute", "bysecond"}),
}


@functools.lru_cache(maxsize=8192)
def _period_events(
    spec: _Spec, options: _Options, year: int, month: int
) -> tuple[dt.datetime, ...]:
    """Return the wall-clock occurrences in one month (or year) of a calendar rule.

    *options* fix everything dateutil would take from the start, so the period's
    occurrences do not depend on where the rule started.
    """
    names = frozenset(name for name, _ in options)
    if spec.anchored_day and names == _PHRASE_OPTIONS.get(spec.freq):
        return _phrase_period_events(spec.freq, options, year, month)
    return _rule_period_events(spec, options, year, month)


def _phrase_period_events(
    freq: int, options: _Options, year: int, month: int
) -> tuple[dt.datetime, ...]:
    """Return the one occurrence of a monthly or yearly phrase in a month or year.

    The options of such a phrase fix its day of the month (-1: the last), for a
    yearly one its month, and its time of day: dateutil would find that one
    moment in the period, which is made here directly.
    """
    fixed = dict(options)
    if freq == _YEARLY:
        month = fixed["bymonth"]
    day = fixed["bymonthday"]
    if day < 0:
        day += calendar.monthrange(year, month)[1] + 1
    moment = dt.datetime(  # noqa: DTZ001 - wall clock
        year, month, day, fixed["byhour"], fixed["byminute"], fixed["bysecond"]
    )
    return (moment,)


def _rule_period_events(
    spec: _Spec, options: _Options, year: int, month: int
) -> tuple[dt.datetime, ...]:
    """Return :func:`_period_events` by running dateutil over the period."""
    start = dt.datetime(year, month, 1)  # noqa: DTZ001 - wall clock
    if spec.freq == _MONTHLY:
        stop = dt.datetime(year + month // 12, month % 12 + 1, 1)  # noqa: DTZ001
    else:
        stop = dt.datetime(year + 1, 1, 1)  # noqa: DTZ001
    events = []
    # Interval 1: this period is one the rule occurs in, and the next with an
    # occurrence (past the stop) is near.
    rule = spec.template.replace(dtstart=start, interval=1, **dict(options))
    with contextlib.suppress(ValueError, OverflowError):  # ran past year 9999
        for event in rule:
            if event >= stop:
                break
            events.append(event)
    return tuple(events)


#: The most occurrences :func:`_steady_walls` and :func:`_kept_calendar_walls`
#: keep for one range; longer ranges take the general path.
_MAX_KEPT_WALLS: Final = 512


@functools.lru_cache(maxsize=2048)
def _steady_walls(  # noqa: PLR0913, PLR0917 - the cache key
    spec: _Spec,
    weekday: int,
    time: dt.time,
    origin: dt.datetime,
    low: dt.datetime,
    high: dt.datetime,
) -> tuple[dt.datetime, ...] | None:
    """Return the wall-clock occurrences in [low, high) of a periodic rule.

    The rule started on *weekday* at *time* (which give its cycle) and *origin*,
    at or before *low*, begins one of its repeated periods. None when the range
    holds more than :data:`_MAX_KEPT_WALLS` occurrences or reaches past year
    9999: the general path answers.
    """
    cycle = _cycle(spec, weekday, time)
    if cycle is None:  # pragma: no cover - the caller's schedule has this cycle
        return None
    period, repeat = cycle.period, cycle.repeat
    periods = _ceil_div(high - origin, period)
    if periods * len(repeat) > 4 * _MAX_KEPT_WALLS:
        return None
    walls: list[dt.datetime] = []
    try:
        for k in range(periods):
            begin = origin + k * period
            walls.extend(
                wall for offset in repeat if low <= (wall := begin + offset) < high
            )
    except OverflowError:
        return None
    if len(walls) > _MAX_KEPT_WALLS:
        return None
    return tuple(walls)


@functools.lru_cache(maxsize=2048)
def _steady_count(  # noqa: PLR0913, PLR0917 - the cache key
    spec: _Spec,
    weekday: int,
    time: dt.time,
    origin: dt.datetime,
    low: dt.datetime,
    high: dt.datetime,
) -> int:
    """Return how many of :func:`_steady_walls` there are, by arithmetic alone.

    Each repeated offset occurs once a period from *origin* on: count the periods
    in which it falls in [low, high).
    """
    cycle = _cycle(spec, weekday, time)
    if cycle is None:  # pragma: no cover - the caller's schedule has this cycle
        return 0
    period, total = cycle.period, 0
    for offset in cycle.repeat:
        first = max(0, _ceil_div(low - origin - offset, period))
        last = _ceil_div(high - origin - offset, period) - 1
        total += max(0, last - first + 1)
    return total


def _calendar_walls(
    spec: _Spec, options: _Options, month: int, low: dt.datetime, high: dt.datetime
) -> Iterator[dt.datetime]:
    """Yield the wall-clock occurrences in [low, high) of a monthly or yearly rule.

    *month* (year * 12 + month - 1) is a period the rule occurs in; it counts
    every INTERVAL periods from there.
    """
    monthly = spec.freq == _MONTHLY
    step = spec.interval if monthly else 12 * spec.interval
    first = low.year * 12 + (low.month - 1 if monthly else 0)
    first = month + _ceil_int(first - month, step) * step
    last = high.year * 12 + high.month - 1
    for period in range(first, last + 1, step):
        for wall in _period_events(spec, options, period // 12, period % 12 + 1):
            if wall < low:
                continue
            if wall >= high:
                break
            yield wall


@functools.lru_cache(maxsize=2048)
def _kept_calendar_walls(
    spec: _Spec, options: _Options, phase: int, low: dt.datetime, high: dt.datetime
) -> tuple[dt.datetime, ...] | None:
    """Return :func:`_calendar_walls` as a tuple, kept for every start sharing it.

    *phase* is the start's period modulo the interval: only it matters. None when
    the range holds more than :data:`_MAX_KEPT_WALLS` occurrences.
    """
    walls = tuple(
        itertools.islice(
            _calendar_walls(spec, options, phase, low, high), _MAX_KEPT_WALLS + 1
        )
    )
    return None if len(walls) > _MAX_KEPT_WALLS else walls


class _Schedule:
    """A spec anchored at a start: counts and lists its occurrences quickly.

    Occurrences are wall-clock times in the start's zone (as dateutil makes them).
    Rules that repeat with a fixed period are counted by arithmetic on their
    cycle; monthly and yearly rules are read month by month (or year by year)
    from a cache shared by every start with the same day and time; the others
    run dateutil from a start moved forward by whole periods.
    """

    __slots__ = (
        "_options",
        "_rule",
        "_shifted",
        "base",
        "cycle",
        "dtstart",
        "spec",
        "tz",
        "until",
    )

    def __init__(self, spec: _Spec, anchor: dt.datetime) -> None:
        start = spec.dtstart
        if start is None:
            start = anchor
        elif start.tzinfo is None:
            start = start.replace(tzinfo=anchor.tzinfo)
        start = start.replace(microsecond=0)  # as dateutil does
        self.spec = spec
        self.dtstart = start
        self.tz = start.tzinfo
        self.base = base = start.replace(tzinfo=None)
        until = spec.until
        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=self.tz)
        self.until = until
        self.cycle = None
        if spec.period is not None:
            self.cycle = _cycle(spec, base.weekday(), base.time())
        self._rule: rrule | None = None
        self._options: _Options | None = None
        self._shifted: dict[int, rrule] = {}

    @property
    def rule(self) -> rrule:
        """The dateutil rule from the start."""
        if self._rule is None:
            spec = self.spec
            self._rule = spec.template.replace(
                dtstart=self.dtstart,
                until=self.until,
                count=spec.count,
                **self._anchored_options(),
            )
        return self._rule

    def _anchored_options(self) -> dict[str, Any]:
        """Return the day (and month) monthly and yearly phrases take from the start."""
        if not self.spec.anchored_day:
            return {}
        day, month = self.base.day, self.base.month
        if self.spec.freq == _MONTHLY:
            return {"bymonthday": day if day <= 28 else -1}
        leap_day = month == 2 and day == 29
        return {"bymonth": month, "bymonthday": -1 if leap_day else day}

    @property
    def options(self) -> _Options:
        """Every filter dateutil would take from the start, made explicit.

        With them the rule may start anywhere in phase and still occur at the
        same times.
        """
        if self._options is None:
            spec, base, given = self.spec, self.base, self.spec.given
            options = self._anchored_options()
            if not spec.anchored_day and not given & _DAY_FILTERS:
                if spec.freq == _YEARLY:
                    options["bymonthday"] = base.day
                    if "BYMONTH" not in given:
                        options["bymonth"] = base.month
                elif spec.freq == _MONTHLY:
                    options["bymonthday"] = base.day
                elif spec.freq == _WEEKLY:
                    options["byweekday"] = base.weekday()
            for name, freq, value in _time_defaults(base):
                if spec.freq < freq and name.upper() not in given:
                    options[name] = value
            self._options = tuple(sorted(options.items()))
        return self._options

    def _wall(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is not self.tz:
            moment = moment.astimezone(self.tz)
        return moment.replace(tzinfo=None)

    def _margin(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Return how far wall-clock order may stray from the order of moments.

        Occurrences compare with moments in the same zone by wall clock, and a
        fixed offset keeps both orders the same; otherwise allow for a change of
        offset.
        """
        tz, until = self.tz, self.until
        if isinstance(tz, dt.timezone) or (
            start.tzinfo is tz
            and end.tzinfo is tz
            and (until is None or until.tzinfo is tz)
        ):
            return _ZERO
        return _MARGIN

    def _admits(self, event: dt.datetime, start: dt.datetime, end: dt.datetime) -> bool:
        return start <= event < end and (self.until is None or event <= self.until)

    def count(self, start: dt.datetime, end: dt.datetime) -> int:
        """Return the number of distinct occurrence times in [start, end)."""
        cycle = self.cycle
        if cycle is None:
            walls = self.shared_walls(start, end)
            if walls is not None:
                return len(walls)
        elif self.until is None and self.spec.count is None:
            origin = self._steady_origin(cycle, start, end)
            if origin is not None:
                base = self.base
                return _steady_count(
                    self.spec,
                    base.weekday(),
                    base.time(),
                    origin,
                    self._wall(start),
                    self._wall(end),
                )
        return self._collect(start, end, None)

    def events(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Return the distinct occurrence times in [start, end), in order."""
        walls = self.shared_walls(start, end)
        if walls is not None:
            tz = self.tz
            return [wall.replace(tzinfo=tz) for wall in walls]
        found: list[dt.datetime] = []
        self._collect(start, end, found)
        return found

    def max_gap(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta | None:
        """Return the longest wall-clock time between consecutive events in range.

        None when fewer than two events fall in [start, end).
        """
        cycle = self.cycle
        if (
            cycle is not None
            and cycle.max_gap is not None
            and self.until is None
            and self.spec.count is None
            and self._steady_origin(cycle, start, end) is not None
            # Past the first period, a range of two periods or more holds every
            # gap of the cycle (each is at most a period long) and only those:
            # the longest is the cycle's.
            and self._wall(end) - self._wall(start) >= 2 * cycle.period
        ):
            return cycle.max_gap
        walls: Sequence[dt.datetime] | None = self.shared_walls(start, end)
        if walls is None:
            walls = self._cycle_walls(start, end)
        if walls is None:
            events = self.events(start, end)
            walls = tuple(event.replace(tzinfo=None) for event in events)
        if len(walls) < 2:
            return None
        return max(later - earlier for earlier, later in itertools.pairwise(walls))

    def _cycle_walls(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[dt.datetime] | None:
        """Return the wall clocks of a periodic rule's events in [start, end).

        What :meth:`_periodic` finds, without making aware datetimes, for ranges
        compared by wall clock (see :meth:`_margin`) of rules without COUNT and
        UNTIL; None for others.
        """
        cycle = self.cycle
        if (
            cycle is None
            or self.until is not None
            or self.spec.count is not None
            or self._margin(start, end)
        ):
            return None
        base, period = self.base, cycle.period
        low, high = self._wall(start), self._wall(end)
        walls = [
            wall for offset in cycle.first if low <= (wall := base + offset) < high
        ]
        last = _ceil_div(high - base, period) - 1
        for k in range(max(1, (low - base) // period), last + 1):
            origin = base + k * period
            walls.extend(
                wall
                for offset in cycle.repeat
                if low <= (wall := origin + offset) < high
            )
        return walls

    def _collect(
        self, start: dt.datetime, end: dt.datetime, found: list[dt.datetime] | None
    ) -> int:
        """Count the occurrences in [start, end), collecting them into *found*."""
        spec = self.spec
        if self.cycle is not None:
            return self._periodic(self.cycle, start, end, found)
        if not spec.anchored_day and _never(spec, self.options):
            return 0
        if spec.count is None and spec.freq in {_MONTHLY, _YEARLY}:
            return self._by_calendar(start, end, found)
        events = self._by_rule(start, end)
        if found is not None:
            found.extend(events)
        return len(events)

    def per_week(self, monday: dt.date, tz: dt.tzinfo | None) -> int:
        """Return the distinct occurrences in the week from *monday* 00:00 in *tz*."""
        start = dt.datetime.combine(monday, _MIDNIGHT, tz)
        end = dt.datetime.combine(monday + _WEEK, _MIDNIGHT, tz)
        return self.count(start, end)

    def _periodic(
        self,
        cycle: _Cycle,
        start: dt.datetime,
        end: dt.datetime,
        found: list[dt.datetime] | None,
    ) -> int:
        """Count (and collect into *found*) the occurrences in [start, end).

        Whole periods well inside the range count by arithmetic; only those near
        its ends are checked occurrence by occurrence.
        """
        base, period, limit = self.base, cycle.period, self.spec.count
        margin = self._margin(start, end)
        low, high = self._wall(start), self._wall(end)
        if self.until is not None:
            high = min(high, self._wall(self.until) + _MICROSECOND)
        total = self._check(base, cycle.first, 0, start, end, found)
        n_first, n_repeat = len(cycle.first), len(cycle.repeat)
        if not n_repeat or (limit is not None and limit <= n_first):
            return total
        k_low = max(1, (low - margin - base) // period)
        k_high = _ceil_div(high + margin - base, period) - 1
        if limit is not None:
            k_high = min(k_high, (limit - n_first - 1) // n_repeat + 1)
        periods: Iterable[int] = range(k_low, k_high + 1)
        if found is None:
            full_low = max(k_low, _ceil_div(low + margin - base, period))
            full_high = min(k_high, (high - margin - base) // period - 1)
            if limit is not None:
                full_high = min(full_high, (limit - n_first) // n_repeat)
            if full_low <= full_high:
                total += (full_high - full_low + 1) * n_repeat
                periods = itertools.chain(
                    range(k_low, full_low), range(full_high + 1, k_high + 1)
                )
        for k in periods:
            first_index = n_first + (k - 1) * n_repeat
            origin = base + k * period
            total += self._check(origin, cycle.repeat, first_index, start, end, found)
        return total

    def _check(  # noqa: PLR0913, PLR0917 - one period of the cycle and the range
        self,
        origin: dt.datetime,
        offsets: tuple[dt.timedelta, ...],
        first_index: int,
        start: dt.datetime,
        end: dt.datetime,
        found: list[dt.datetime] | None,
    ) -> int:
        """Count (and collect) the occurrences *offsets* after *origin* in range.

        *first_index* is the position of the first among all occurrences, for
        COUNT.
        """
        tz, limit, total = self.tz, self.spec.count, 0
        for index, offset in enumerate(offsets, first_index):
            if limit is not None and index >= limit:
                break
            event = (origin + offset).replace(tzinfo=tz)
            if self._admits(event, start, end):
                total += 1
                if found is not None:
                    found.append(event)
        return total

    def _by_calendar(
        self, start: dt.datetime, end: dt.datetime, found: list[dt.datetime] | None
    ) -> int:
        """Count (and collect) the occurrences in [start, end) of a calendar rule.

        Monthly and yearly rules read their occurrences period by period from a
        cache shared by every start with the same filters.
        """
        spec, base, tz, options = self.spec, self.base, self.tz, self.options
        margin = self._margin(start, end)
        # Without a margin or UNTIL, wall-clock order decides alone.
        exact = not margin and self.until is None
        low = max(base, self._wall(start) - margin)
        high = self._wall(end) + margin
        total = 0
        for wall in _calendar_walls(spec, options, self._month, low, high):
            if exact:
                total += 1
                if found is not None:
                    found.append(wall.replace(tzinfo=tz))
                continue
            event = wall.replace(tzinfo=tz)
            if self._admits(event, start, end):
                total += 1
                if found is not None:
                    found.append(event)
        return total

    @property
    def _month(self) -> int:
        """The start's period of a calendar rule: its month, or its year's January."""
        base = self.base
        return base.year * 12 + (base.month - 1 if self.spec.freq == _MONTHLY else 0)

    def shared_walls(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[dt.datetime, ...] | None:
        """Return the wall-clock occurrence times in [start, end) from a shared cache.

        The same as the wall clocks of :meth:`events`, but only for ranges whose
        occurrences do not depend on the exact start: ranges compared by wall
        clock (see :meth:`_margin`) of rules without COUNT and UNTIL that lie past
        the first period of a periodic rule, or anywhere for a calendar rule.
        Then they depend only on the rule, the start's phase and the range, and
        are kept once for every start that shares them. None for other ranges.
        """
        spec, base, cycle = self.spec, self.base, self.cycle
        if self.until is not None or spec.count is not None or self._margin(start, end):
            return None
        low, high = self._wall(start), self._wall(end)
        if cycle is not None:
            origin = self._steady_origin(cycle, start, end)
            if origin is None:
                return None
            return _steady_walls(spec, base.weekday(), base.time(), origin, low, high)
        if spec.period is not None or spec.freq not in {_MONTHLY, _YEARLY}:
            return None
        if not spec.anchored_day and _never(spec, self.options):
            return ()
        # Only the start's period modulo the interval sets which periods count.
        monthly = spec.freq == _MONTHLY
        step = spec.interval if monthly else 12 * spec.interval
        return _kept_calendar_walls(
            spec, self.options, self._month % step, max(base, low), high
        )

    def _steady_origin(
        self, cycle: _Cycle, start: dt.datetime, end: dt.datetime
    ) -> dt.datetime | None:
        """Return where a repeated period begins, at or before the range, if past one.

        For ranges compared by wall clock (see :meth:`_margin`) that begin after
        the first period of a periodic rule with repeated occurrences: the
        occurrences in them are those of the repeated periods from there on,
        whichever period it is. None for other ranges.
        """
        if not cycle.repeat or self._margin(start, end):
            return None
        base, period, low = self.base, cycle.period, self._wall(start)
        if low - base < period:
            return None
        return low - (low - base) % period

    def _by_rule(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Return the occurrences in [start, end), running dateutil from near there."""
        margin = self._margin(start, end)
        rule = self.rule
        if self.spec.count is None:
            rule = self._moved(self._wall(start) - margin)
        stop = self._wall(end) + margin
        found = []
        for event in rule:
            if event.replace(tzinfo=None) >= stop:
                break
            if self._admits(event, start, end):
                found.append(event)
        return found

    def _moved(self, limit: dt.datetime) -> rrule:
        """Return the rule started whole periods later, not after wall-clock *limit*.

        Moving the start by whole periods keeps every later occurrence.
        """
        step = dt.timedelta(seconds=self.spec.interval * _UNIT_SECONDS[self.spec.freq])
        k = (limit - self.base) // step
        if k <= 0:
            return self.rule
        rule = self._shifted.get(k)
        if rule is None:
            if len(self._shifted) > 64:
                self._shifted.clear()
            moved = (self.base + k * step).replace(tzinfo=self.tz)
            rule = self.rule.replace(dtstart=moved, **dict(self.options))
            self._shifted[k] = rule
        return rule


def _time_defaults(base: dt.datetime) -> tuple[tuple[str, int, int], ...]:
    """Return dateutil's time defaults: (option, coarser frequencies, value)."""
    return (
        ("byhour", _HOURLY, base.hour),
        ("byminute", _MINUTELY, base.minute),
        ("bysecond", _SECONDLY, base.second),
    )


def _ceil_int(a: int, b: int) -> int:
    return -((-a) // b)


@functools.lru_cache(maxsize=4096)
def _schedule(spec: _Spec, anchor: dt.datetime, tz: dt.tzinfo | None) -> _Schedule:
    """Return the schedule of *spec* at *anchor* (*tz* is part of the cache key).

    Aware datetimes in different zones are equal when they are the same moment,
    but cadences run on wall-clock time, so the zone must tell them apart.
    """
    del tz
    return _Schedule(spec, anchor)


@attrs.frozen(slots=True)
class Cadence:
    """How often something happens: a phrase or an RFC 5545 RRULE.

    Phrases: ``hourly``, ``daily``, ``weekdays``, ``weekly``, ``biweekly`` or
    ``fortnightly``, ``monthly``, ``quarterly``, ``yearly`` or ``annually``,
    ``once|twice|thrice|N times a day|week|month|year``, ``Nx daily|weekly|monthly``
    and ``every N hours|days|weeks|months|years`` (also ``every week``, ``every
    other week``). ``N times a week`` falls on fixed days (1: MO; 2: MO,TH; 3:
    MO,WE,FR; 4: MO,TU,TH,FR; 5: MO-FR; 6: MO-SA; 7: every day; a multiple of 7:
    several a day). ``N times a month`` (N from 2 to 28) falls on fixed days of the
    month, day 1 + 28k/N rounded down for k from 0 to N - 1 (twice: the 1st and
    the 15th); ``once a month`` is ``monthly``. ``N times a year`` (N from 2 to
    12) falls on the 1st of fixed months, month 1 + 12k/N rounded down (twice:
    January and July); ``once a year`` is ``yearly``. RRULEs such as
    ``FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10`` may start with ``RRULE:`` and follow a
    ``DTSTART`` line; once BYHOUR or BYMINUTE is given, the smaller units not
    given are 0. Monthly phrases, and monthly RRULEs without a day of their own,
    anchored (or with a DTSTART) after the 28th use the month's last day; yearly
    ones on 29 February use 28 February in common years. An RRULE naming its day
    (``BYMONTHDAY=31``) skips the months without it, as RFC 5545 says.

    A cadence becomes a schedule only at an anchor, an aware datetime (00:00 of
    the engagement's start in the client's zone): phrases without a time of day
    occur at the anchor's time, ``weekly`` on its weekday, and a DTSTART in the
    text wins over the anchor. Occurrences are wall-clock times in the anchor's
    zone (a DTSTART with its own zone keeps it), so a 10:00 meeting stays at 10:00
    across DST changes. Two cadences are equal when their texts are, case and
    spacing aside.
    """

    text: str = attrs.field(eq=False, validator=_STR)
    _key: str = attrs.field(init=False, repr=False)
    _spec: _Spec = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Parse the text; raise ValueParseError if it is no cadence."""
        object.__setattr__(self, "_key", _key(self.text))
        object.__setattr__(self, "_spec", _parse_cadence(self.text))

    @classmethod
    def parse(cls, text: str) -> Cadence:
        """Return the cadence written *text*, e.g. ``"twice a week"`` or an RRULE."""
        return cls(text)

    @property
    def has_time_of_day(self) -> bool:
        """Whether occurrences have a set time of day (an RRULE with BYHOUR)."""
        return self._spec.has_time_of_day

    @property
    def per_occurrence(self) -> int:
        """Events per occurrence of the rule: 2 for ``twice a day``, else mostly 1."""
        return self._spec.per_occurrence

    def rrule(self, anchor: dt.datetime) -> rrule:
        """Return the dateutil rule of this cadence anchored at *anchor* (aware).

        Events repeated within an occurrence (``twice a day``) are not in the
        rule: see :attr:`per_occurrence`.
        """
        _require_aware("anchor", anchor)
        return _schedule(self._spec, anchor, anchor.tzinfo).rule

    def occurrences(
        self, anchor: dt.datetime, start: dt.datetime, end: dt.datetime
    ) -> list[dt.datetime]:
        """Return every event in [start, end), in order; ``twice a day`` twice each."""
        schedule = self._schedule(anchor, start, end)
        events = schedule.events(start, end)
        times = self._spec.per_occurrence
        if times == 1:
            return events
        return [event for event in events for _ in range(times)]

    def count(self, anchor: dt.datetime, start: dt.datetime, end: dt.datetime) -> int:
        """Return the number of events in [start, end), faster than occurrences()."""
        schedule = self._schedule(anchor, start, end)
        return schedule.count(start, end) * self._spec.per_occurrence

    def per_week(self, anchor: dt.datetime, week_of: dt.date) -> int:
        """Return the number of events in the ISO week containing *week_of*, in full.

        The week runs from Monday 00:00 to the next Monday 00:00 in the anchor's
        zone; events before the anchor do not exist.
        """
        tz = anchor.tzinfo
        if tz is None:
            _require_aware("anchor", anchor)
        spec = self._spec
        monday = week_of.toordinal() - week_of.weekday()
        if spec.by_cycle and not anchor.microsecond:
            # The usual case, kept quick: the week and the occurrences share the
            # anchor's zone, so they compare by wall clock, and a week after the
            # first period holds what its phase within the period does.
            cycle = _cycle(spec, anchor.weekday(), anchor.time())
            if cycle is not None:
                since = (monday - anchor.toordinal()) * _DAY_MICROS - (
                    anchor.hour * 3600 + anchor.minute * 60 + anchor.second
                ) * 1_000_000
                if since >= cycle.period_micros:
                    phase = since % cycle.period_micros
                    return cycle.week_count(phase) * spec.per_occurrence
        schedule = _schedule(spec, anchor, tz)
        monday_date = dt.date.fromordinal(monday)
        return schedule.per_week(monday_date, tz) * spec.per_occurrence

    def max_gap(
        self, anchor: dt.datetime, start: dt.datetime, end: dt.datetime
    ) -> dt.timedelta | None:
        """Return the longest time between consecutive events in [start, end).

        Measured on the wall clock, so that DST changes do not stretch a weekly
        gap to 7 days and an hour: weekly gives 7 days, monthly at most 31 and
        quarterly at most 92. None when fewer than two events fall in the range.
        """
        return self._schedule(anchor, start, end).max_gap(start, end)

    def _schedule(
        self, anchor: dt.datetime, start: dt.datetime, end: dt.datetime
    ) -> _Schedule:
        _require_aware("anchor", anchor)
        _require_aware("start", start)
        _require_aware("end", end)
        return _schedule(self._spec, anchor, anchor.tzinfo)

    def __str__(self) -> str:
        """Return the cadence as written."""
        return self.text

    def __reduce__(self) -> tuple[type[Cadence], tuple[str]]:
        """Pickle by the text alone."""
        return type(self), (self.text,)


# -- working hours ---------------------------------------------------------------

_HOURS_EXPECTED: Final = (
    'working hours such as "09:00-17:30", "Mon-Fri 09:00-17:30"'
    ' or "Mon-Fri 09:00-12:00; 13:00-17:00"'
)
_DASH: Final = r"\s*[-\u2013\u2014]\s*"
_SEGMENT_RE: Final = re.compile(
    rf"(?:(?P<days>.*?)[\s:]+)??(?P<start>\d{{1,2}}:\d{{2}}){_DASH}(?P<end>\d{{1,2}}:\d{{2}})"
)
_DAY_RANGE_RE: Final = re.compile(rf"(?P<first>[a-z]+)(?:{_DASH}(?P<last>[a-z]+))?")
_DAY_NAMES: Final = {
    **dict.fromkeys(("mo", "mon", "monday"), 0),
    **dict.fromkeys(("tu", "tue", "tues", "tuesday"), 1),
    **dict.fromkeys(("we", "wed", "wednesday"), 2),
    **dict.fromkeys(("th", "thu", "thur", "thurs", "thursday"), 3),
    **dict.fromkeys(("fr", "fri", "friday"), 4),
    **dict.fromkeys(("sa", "sat", "saturday"), 5),
    **dict.fromkeys(("su", "sun", "sunday"), 6),
}
_WORKWEEK: Final = frozenset(range(5))
_DAY_GROUPS: Final = {
    "weekdays": _WORKWEEK,
    "weekends": frozenset({5, 6}),
    "daily": frozenset(range(7)),
    "every day": frozenset(range(7)),
}


@attrs.frozen
class _Segment:
    """One range of working hours: its days and its minutes from midnight."""

    days: frozenset[int]
    start: int
    end: int  # after start; past 1440 when the range ends the next day


@functools.lru_cache(maxsize=1024)
def _parse_hours(text: str) -> tuple[_Segment, ...]:
    segments: list[_Segment] = []
    days = _WORKWEEK
    for raw in text.split(";"):
        match = _SEGMENT_RE.fullmatch(raw.strip())
        if match is None:
            hint = f"{raw.strip()!r} is not [days] HH:MM-HH:MM" if raw.strip() else None
            raise ValueParseError(text, _HOURS_EXPECTED, hint or "a range is empty")
        if match["days"]:
            days = _parse_days(text, match["days"])
        start = _minutes(text, match["start"], end=False)
        end = _minutes(text, match["end"], end=True)
        if end <= start:
            end += 1440
        segments.append(_Segment(days, start, end))
    return tuple(segments)


def _parse_days(text: str, written: str) -> frozenset[int]:
    days: set[int] = set()
    for item in written.casefold().split(","):
        if " ".join(item.split()) in _DAY_GROUPS:
            days.update(_DAY_GROUPS[" ".join(item.split())])
            continue
        match = _DAY_RANGE_RE.fullmatch(item.strip())
        if match is None:
            hint = f"{item.strip()!r} is not a day or a range of days such as Mon-Fri"
            raise ValueParseError(text, _HOURS_EXPECTED, hint)
        first = _day(text, match["first"])
        last = first if match["last"] is None else _day(text, match["last"])
        days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
    return frozenset(days)


def _day(text: str, name: str) -> int:
    day = _DAY_NAMES.get(name)
    if day is None:
        raise ValueParseError(text, _HOURS_EXPECTED, f"unknown day {name!r}")
    return day


def _minutes(text: str, written: str, *, end: bool) -> int:
    hours, minutes = map(int, written.split(":"))
    total = hours * 60 + minutes
    if minutes > 59 or total > 1440 or (total == 1440 and not end):
        latest = "24:00" if end else "23:59"
        hint = f"{written} is not a time from 00:00 to {latest}"
        raise ValueParseError(text, _HOURS_EXPECTED, hint)
    return total


def _at(day: dt.date, minutes: int, tzinfo: dt.tzinfo, *, end: bool) -> dt.datetime:
    """Return *minutes* after midnight of *day* (past 1440: the next day) in *tzinfo*.

    An end on a wall-clock time that comes twice is its second occurrence; other
    times, including those the clocks skip, read with the offset before a change.
    """
    day += dt.timedelta(days=minutes // 1440)
    minutes %= 1440
    moment = dt.datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tzinfo
    )
    if end:
        second = moment.replace(fold=1)
        offset, later = moment.utcoffset(), second.utcoffset()
        if offset is not None and later is not None and later < offset:
            return second
    return moment


def _merged(
    intervals: Iterable[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Return the union of *intervals* in UTC: sorted, disjoint, touching joined."""
    spans = sorted(
        (start.astimezone(_UTC), end.astimezone(_UTC)) for start, end in intervals
    )
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@attrs.frozen(slots=True)
class WorkingHours:
    """When a party works, in its own time zone: ``"Mon-Fri 09:00-17:30"``.

    Days are optional (default Mon-Fri) and written as names (``Mon``,
    ``Monday``, ``MO``), lists (``Mon,Wed``) and ranges that may wrap
    (``Sun-Thu``, ``Fri-Mon``). Ranges joined by ``;`` make split shifts; a range
    without days has the days of the range before it. An end at or before the
    start is on the next day (``22:00-06:00``); ``24:00`` ends at midnight. Two
    values are equal when their texts are, case and spacing aside.

    On days when clocks change, a wall-clock time that comes twice is its first
    occurrence for a start and its second for an end; a time the clocks skip
    reads with the offset before the change; a range the change swallows is left
    out.
    """

    text: str = attrs.field(eq=False, validator=_STR)
    _key: str = attrs.field(init=False, repr=False)
    _segments: tuple[_Segment, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        """Parse the text; raise ValueParseError if it is no working hours."""
        object.__setattr__(self, "_key", _key(self.text))
        object.__setattr__(self, "_segments", _parse_hours(self.text))

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Return the working hours written *text*, e.g. ``"Mon-Fri 09:00-17:30"``."""
        return cls(text)

    @property
    def days(self) -> frozenset[int]:
        """The weekdays (Monday 0 to Sunday 6) on which some range starts."""
        return frozenset().union(*(segment.days for segment in self._segments))

    def is_working_day(self, day: dt.date) -> bool:
        """Whether some range of working hours starts on *day*."""
        weekday = day.weekday()
        return any(weekday in segment.days for segment in self._segments)

    def intervals(
        self, day: dt.date, tz: TimeZone
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """Return the working intervals starting on local *day* in *tz*, DST applied.

        Aware (start, end) pairs in *tz*, sorted by start; an overnight range ends
        on the next day.
        """
        weekday, tzinfo = day.weekday(), tz.tzinfo
        found = []
        for segment in self._segments:
            if weekday not in segment.days:
                continue
            start = _at(day, segment.start, tzinfo, end=False)
            end = _at(day, segment.end, tzinfo, end=True)
            if end.astimezone(_UTC) > start.astimezone(_UTC):
                found.append((start, end))
        found.sort(key=lambda interval: interval[0].astimezone(_UTC))
        return found

    def covers(self, start: dt.datetime, end: dt.datetime, tz: TimeZone) -> bool:
        """Whether [start, end] lies within working hours in *tz*.

        Ranges that touch (``09:00-12:00; 12:00-17:00``) count as one; the
        intervals of the local day before, of and after *start* are considered.
        """
        _require_aware("start", start)
        _require_aware("end", end)
        local = start.astimezone(tz.tzinfo).date()
        candidates = [
            interval
            for offset in (-1, 0, 1)
            for interval in self.intervals(local + dt.timedelta(days=offset), tz)
        ]
        first, last = start.astimezone(_UTC), end.astimezone(_UTC)
        return any(a <= first and last <= b for a, b in _merged(candidates))

    def __str__(self) -> str:
        """Return the working hours as written."""
        return self.text

    def __reduce__(self) -> tuple[type[WorkingHours], tuple[str]]:
        """Pickle by the text alone."""
        return type(self), (self.text,)


def overlap(
    a: Iterable[tuple[dt.datetime, dt.datetime]],
    b: Iterable[tuple[dt.datetime, dt.datetime]],
) -> dt.timedelta:
    """Return the total time both sets of aware intervals cover, compared in UTC.

    Overlapping intervals within one set count once.
    """
    left, right = _merged(a), _merged(b)
    total = _ZERO
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if end > start:
            total += end - start
        if left[i][1] <= right[j][1]:
            i += 1
        else:
            j += 1
    return total
