"""Check-ins from calendars: the ``ics`` importer, for iCalendar (``.ics``) files.

A calendar exported from Outlook, Exchange, Google Calendar, Apple Calendar or
Thunderbird says when the client and the vendor meet. The importer reads the
events both parties take part in and returns an engagement fragment in the file
format's own terms:

* ``communication.check_ins``: the recurring series as one cadence, an RRULE
  with its DTSTART (``DTSTART;TZID=Europe/London:20260105T100000
  RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=0``) that has exactly the
  occurrences the calendar's rule has, DST changes included. Several series
  become one rule only where one rule has exactly their occurrences together;
  the others are listed under ``communication.x-ics-series``. A change of
  "this and following" meetings (RANGE=THISANDFUTURE) splits its series
  there: from the change on, the rule moves as the changed meeting did.
* ``communication.check_in_length``: the length of that series' meetings.
* ``communication.channels``: the video services the events link to (Zoom,
  Microsoft Teams, Google Meet, Webex, BlueJeans, ...), of kind ``video``.
* ``communication.x-ics-exceptions``: the occurrences of the planned series
  that the calendar deletes (EXDATE), cancels or moves.
* ``check_ins``: every occurrence that took place up to the moment the file was
  exported (its newest DTSTAMP or LAST-MODIFIED), by the party of its
  organizer; cancelled ones are left out, moved ones are at their new time.

Which events are the relationship's is told by the ``client`` and ``vendor``
options (addresses, or ``@domains``): an event is taken when its organizer and
attendees include people of both. ``all-events`` takes every event, for a
calendar kept for one relationship alone. Time zones are read as the calendar
app meant them: IANA names, Windows names (``W. Europe Standard Time``),
Outlook's display names (``(UTC+10:00) Canberra, Melbourne, Sydney``), custom
VTIMEZONE definitions (matched to the IANA zone that behaves the same),
deprecated names (``US/Central`` is ``America/Chicago``) and Google's
``X-WR-TIMEZONE``.

A broken event is a problem that names it and its line; the other events are
still read. What the importer does not read (alarms, to-dos, journal entries,
free/busy times, the calendar's own properties) is left out before the file is
parsed, so that a fault there is no problem; a time zone definition that
cannot be read is one only for the events in its zone. The ``calendar`` extra
(``pip install 'outsourcekit[calendar]'``) provides icalendar,
recurring-ical-events and x-wr-timezone, imported when a calendar is read.
"""

from __future__ import annotations

import bisect
import codecs
import collections
import contextlib
import datetime as dt
import functools
import importlib.resources
import itertools
import re
import warnings
import zoneinfo
from calendar import isleap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from outsourcekit.engine import Option
from outsourcekit.io import MAX_DEPTH
from outsourcekit.model import Cadence, TimeZone, ValueParseError
from outsourcekit.plugins import Imported, Importer, ImportProblem, did_you_mean

from ._zones import TimeZoneOption

if TYPE_CHECKING:
    import os

    from dateutil.rrule import rrule
    from icalendar import Calendar, Component

__all__ = [
    "EXTRA",
    "ICS_IMPORTER",
    "MAX_LOGGED_PER_SERIES",
    "OPTIONS",
    "VIDEO_SERVICES",
    "read_calendar",
]

#: The pip extra whose packages read calendars.
EXTRA: Final = "calendar"
_INSTALL: Final = "pip install 'outsourcekit[calendar]'"
#: Occurrences of one series logged at most; a denser series is a problem.
MAX_LOGGED_PER_SERIES: Final = 10_000
#: How far past the last start or end of the series a cadence is checked.
_CHECK_SPAN: Final = dt.timedelta(days=400)
#: The most occurrences compared when checking that a cadence is exact.
_MAX_CHECKED: Final = 50_000
#: The most moments a cadence joining several series is expanded to while
#: checked: its weekdays times its times of day, in every period of the window.
#: Series whose joined cadence would take more are kept apart.
_MAX_JOIN_CHECKED: Final = 300_000
#: The most series that are tried in vain to join the planned ones; the
#: series after them are kept apart untried.
_MAX_JOIN_FAILURES: Final = 32
#: How far after the last start a join is tried first: the week after it, which
#: ``BYSETPOS`` is read from, and a week more.
_NEAR: Final = dt.timedelta(weeks=3)
_UTC: Final = dt.timezone.utc
#: The range of dates of the file format (format.md, "dates"): an event outside
#: it could give no fact an engagement may hold.
_FIRST_DAY: Final = dt.date(1900, 1, 1)
_LAST_DAY: Final = dt.date(2999, 12, 31)
_DAY: Final = dt.timedelta(days=1)
_WEEK: Final = dt.timedelta(weeks=1)
_YEAR: Final = dt.timedelta(days=365)
_MICROSECOND: Final = dt.timedelta(microseconds=1)
_MAX_OFFSET: Final = dt.timedelta(days=1)
#: The most changes of offset read from one rule of a VTIMEZONE.
_MAX_ZONE_CHANGES: Final = 1_000
#: How far occurrences are worked out, on the wall clock: no fact lies after the
#: range of dates, and a cadence is checked a while past its last start.
_HORIZON: Final = dt.datetime.combine(_LAST_DAY + _DAY + _CHECK_SPAN, dt.time())
#: Whether a rule occurs at all is probed from here, as late as leaves time for
#: every kind of year (14: leap or not, starting on each weekday) before 9999.
_PROBE_START: Final = dt.datetime(9970, 1, 1)  # noqa: DTZ001 - wall clock
#: The last year dateutil searches whole: it stops at the end of year 9999.
_LAST_WHOLE_YEAR: Final = 9998
#: What dateutil says when its search runs past the year 9999.
_PAST_9999: Final = re.compile(r"year -?\d+ is out of range")
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_PROPERTY_NAME: Final = re.compile(r"[A-Za-z0-9-]+")
#: The property that ties a component handed to recurring-ical-events to its event.
_MARK: Final = "X-OUTSOURCEKIT-EVENT"
_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TIME_PARTS: Final = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
#: Rule parts that fix days by the calendar, which a change of zone cannot move.
_DATED: Final = frozenset(
    {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYMONTH"}
)
#: The properties an event's copy has read anew: times zoned, rules repaired,
#: a SEQUENCE that is no whole number left out.
_REWRITTEN: Final = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "RECURRENCE-ID",
        "EXDATE",
        "RDATE",
        "RRULE",
        "UID",
        "SEQUENCE",
    }
)
#: The order in which a cadence's RRULE names its parts.
_PART_ORDER: Final = (
    "FREQ",
    "INTERVAL",
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
    "BYSETPOS",
    "WKST",
    "UNTIL",
    "COUNT",
)
#: The frequencies, the longest first.
_FREQ_ORDER: Final = (
    "YEARLY",
    "MONTHLY",
    "WEEKLY",
    "DAILY",
    "HOURLY",
    "MINUTELY",
    "SECONDLY",
)
#: Rule parts without which a rule takes its day from its start.
_START_DAY_PARTS: Final = frozenset(
    {"BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYEASTER"}
)
#: The last day of the month every month has: a monthly or yearly cadence that
#: takes a later day from its DTSTART falls on the last day of shorter months.
_LAST_COMMON_DAY: Final = 28
#: Frequencies whose occurrences get their time of day from DTSTART.
_DAY_FREQS: Final = frozenset({"YEARLY", "MONTHLY", "WEEKLY", "DAILY"})
#: Properties that may carry a link to a video meeting.
_LINK_PROPERTIES: Final = (
    "LOCATION",
    "CONFERENCE",
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "URL",
    "DESCRIPTION",
    "X-ALT-DESC",
)
_HOST: Final = r"(?<![a-z0-9-])(?:[a-z0-9-]+\.)*"
#: Video services by the host names of their meeting links.
VIDEO_SERVICES: Final = (
    ("Zoom", re.compile(_HOST + r"zoom(?:gov)?\.(?:us|com)\b")),
    ("Microsoft Teams", re.compile(r"\bteams\.(?:microsoft|live)\.com\b")),
    ("Google Meet", re.compile(r"\b(?:meet|hangouts)\.google\.com\b")),
    ("Webex", re.compile(_HOST + r"webex\.com\b")),
    ("BlueJeans", re.compile(_HOST + r"bluejeans\.com\b")),
    ("Skype", re.compile(r"\b(?:join\.skype\.com|meet\.lync\.com)\b")),
    ("GoTo Meeting", re.compile(r"\b(?:gotomeeting\.com|meet\.goto\.com)\b")),
    ("Jitsi Meet", re.compile(r"\bmeet\.jit\.si\b")),
    ("Whereby", re.compile(_HOST + r"whereby\.com\b")),
)
#: Addresses of calendars and rooms rather than people (Google's group calendars).
_NOT_PEOPLE: Final = re.compile(r"@(?:group|resource|import)\.calendar\.google\.com$")
_ADDRESS_TYPES_NOT_PEOPLE: Final = frozenset({"ROOM", "RESOURCE"})
#: Outlook's display names of zones that name no city.
_DISPLAY_NAMES: Final = {
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "atlantic time (canada)": "America/Halifax",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix",
    "indiana (east)": "America/Indiana/Indianapolis",
    "coordinated universal time": "UTC",
    "utc": "UTC",
}
_DISPLAY_PREFIX: Final = re.compile(
    r"^\(?\s*(?:utc|gmt)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?\s*", re.IGNORECASE
)
_DISPLAY_SEPARATORS: Final = re.compile(r"\s*(?:[,;/&:]|\band\b)\s*", re.IGNORECASE)
#: Names in the zone folder that are no zone of their own.
_NOT_ZONES: Final = frozenset({"localtime", "posixrules", "factory"})
_UTC_NAMES: Final = frozenset(
    {"utc", "z", "gmt", "etc/utc", "etc/gmt", "zulu", "universal", "uct", "etc/uct"}
)


# -- Options -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _MomentOption(Option):
    """The ``until`` option: an ISO date or date-time, or nothing.

    Text that is neither is the option's problem, located at the option and
    reported with the other options' problems, before the calendar is read.
    """

    def validate(self, name: str, value: object) -> object:
        """Return *value* if empty or an ISO date or date-time; raise ValueError."""
        text = super().validate(name, value)
        try:
            _read_until(str(text).strip(), None, name)
        except _OptionError as error:
            raise ValueError(str(error)) from None
        return text


#: The importer's options, validated by the loader like rule options.
OPTIONS: Final[Mapping[str, Option]] = MappingProxyType(
    {
        "client": Option(
            default=(),
            type=tuple,
            help="Whose people are the client's: addresses (dana@acme.co.uk) or "
            "@domains (@acme.co.uk, subdomains included).",
        ),
        "vendor": Option(
            default=(),
            type=tuple,
            help="Whose people are the vendor's: addresses or @domains. Given one "
            "side alone, everyone else counts as the other side.",
        ),
        "all-events": Option(
            default=False,
            help="Take every event, for a calendar kept for this relationship alone.",
        ),
        "timezone": TimeZoneOption(
            blank=True,
            default="",
            help="The client's time zone (IANA name or UTC offset): floating times "
            "are read in it, and times and the cadence are written in it where that "
            "is exact. Default: under imports:, the engagement's client.timezone; "
            "else each event's own zone.",
        ),
        "until": _MomentOption(
            default="",
            help="Log the occurrences up to this ISO date or date-time. Default: the "
            "moment of the file's newest DTSTAMP or LAST-MODIFIED, when it was "
            "exported.",
        ),
    }
)


class _OptionError(ValueError):
    """Options the importer cannot use: every problem, one an argument."""


def _words(value: object) -> tuple[str, ...]:
    """Return the items of a list option: a list, or text separated by commas."""
    items: Iterable[object] = ()
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, Iterable):
        items = value
    words: list[str] = []
    for item in items:
        words.extend(w.strip().casefold() for w in str(item).split(","))
    return tuple(w for w in words if w)


@attrs.frozen
class _Party:
    """The people of one party: full addresses and domains (without ``@``)."""

    addresses: frozenset[str]
    domains: tuple[str, ...]

    @classmethod
    def of(cls, words: Sequence[str]) -> _Party:
        """Read addresses and ``@domains`` (a bare domain too)."""
        addresses = frozenset(w.removeprefix("mailto:") for w in words if "@" in w[1:])
        domains = tuple(
            w.lstrip("@") for w in words if "@" not in w[1:] and w.lstrip("@")
        )
        return cls(addresses, domains)

    def __bool__(self) -> bool:
        """Whether any address or domain is given."""
        return bool(self.addresses or self.domains)

    def score(self, address: str) -> int:
        """Return how well *address* matches: 0 not at all; addresses beat domains."""
        if address in self.addresses:
            return 10_000
        domain = address.rpartition("@")[2]
        best = 0
        for wanted in self.domains:
            if domain == wanted or domain.endswith(f".{wanted}"):
                best = max(best, len(wanted))
        return best

    def describe(self) -> str:
        """Return the party as the options wrote it."""
        return ", ".join([*sorted(self.addresses), *(f"@{d}" for d in self.domains)])


@attrs.frozen
class _Settings:
    """The options, read."""

    client: _Party
    vendor: _Party
    all_events: bool
    zone: dt.tzinfo | None
    until: dt.datetime | None

    @classmethod
    def read(cls, options: Mapping[str, Any]) -> _Settings:
        """Read *options*, filling defaults; raise _OptionError for unknown or bad ones.

        Every problem of the options is in the error, one an argument, in the
        order given, as the loader's check of the options reports them.
        """
        problems: list[str] = []
        for name in options:
            if name not in OPTIONS:
                hint = did_you_mean(str(name), OPTIONS)
                problems.append(f"importer 'ics' has no option {name!r}{hint}")
        values = {
            name: _option_value(name, options.get(name, option.default), problems)
            for name, option in OPTIONS.items()
        }
        if problems:
            raise _OptionError(*problems)
        zone: dt.tzinfo | None = None
        text = str(values["timezone"]).strip()
        if text:
            zone = _zone_of_name(TimeZone.parse(text).name)
        return cls(
            client=_Party.of(_words(values["client"])),
            vendor=_Party.of(_words(values["vendor"])),
            all_events=bool(values["all-events"]),
            zone=zone,
            until=_read_until(str(values["until"]).strip(), zone),
        )


def _option_value(name: str, value: object, problems: list[str]) -> Any:
    """Return *value* checked by option *name*; else note the problem, give None."""
    try:
        return OPTIONS[name].validate(name, value)
    except ValueError as error:
        problems.append(str(error))
        return None


def _read_until(
    text: str, zone: dt.tzinfo | None, name: str = "until"
) -> dt.datetime | None:
    """Return the moment after which nothing is logged, from the ``until`` option.

    Raise _OptionError, naming the option *name*, for text that is no ISO date
    or date-time.
    """
    if not text:
        return None
    written = text[:-1] + "+00:00" if text.upper().endswith("Z") else text
    try:
        if "T" in written.upper() or " " in written:
            moment = dt.datetime.fromisoformat(written)
            limit = _later(moment, _MICROSECOND)
        else:
            day = dt.date.fromisoformat(written)
            limit = _later(dt.datetime.combine(day, dt.time()), _DAY)
    except ValueError:
        raise _OptionError(
            f"option {name!r}: expected an ISO date or date-time such as 2026-03-01 "
            f"or 2026-03-01T12:00+00:00, got {text!r}"
        ) from None
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=zone or _UTC)
    return limit


# -- Time zones ----------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _zone_names() -> Mapping[str, str]:
    """Every IANA zone name, by its case-folded form."""
    return {
        name.casefold(): name
        for name in zoneinfo.available_timezones()
        if name.casefold() not in _NOT_ZONES
    }


@functools.lru_cache(maxsize=1)
def _deprecated() -> Mapping[str, str]:
    """Map deprecated zone names (``US/Central``) to the zones they link to.

    A link of the time zone database is deprecated when no country's list of
    zones names it (``Europe/Oslo`` is a link too, but Norway's own name).
    """
    try:
        root = importlib.resources.files("tzdata").joinpath("zoneinfo")
        data = root.joinpath("tzdata.zi").read_text(encoding="utf-8")
        listed = {
            line.split("\t")[2]
            for table in ("zone.tab", "zone1970.tab")
            for line in root.joinpath(table).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#") and line.count("\t") >= 2
        }
    except (OSError, ModuleNotFoundError):  # pragma: no cover - tzdata ships them
        return {}
    links = {}
    for line in data.splitlines():
        if line.startswith("L "):
            _, target, name = line.split()[:3]
            if name not in listed:
                links[name] = target
    return links


def _canonical(name: str) -> str:
    """Return the zone's current name: deprecated names and UTC's aliases mapped."""
    if name.casefold() in _UTC_NAMES:
        return "UTC"
    target = _deprecated().get(name, name)
    return "UTC" if target.casefold() in _UTC_NAMES else target


@functools.lru_cache(maxsize=1)
def _cities() -> Mapping[str, str]:
    """Map city names (``canberra``, ``new york``) to their zones' current names."""
    cities: dict[str, str] = {}
    for name in sorted(_zone_names().values()):
        if "/" not in name or name.startswith("Etc/"):
            continue
        city = name.rpartition("/")[2].replace("_", " ").casefold()
        cities.setdefault(city, _canonical(name))
    return cities


@functools.lru_cache(maxsize=1)
def _windows_names() -> Mapping[str, str]:
    """Map Windows zone names (``W. Europe Standard Time``) to IANA names."""
    from icalendar.timezone.windows_to_olson import (  # noqa: PLC0415 - the extra loads when a calendar is read
        WINDOWS_TO_OLSON,
    )

    return {k.casefold(): _canonical(v) for k, v in WINDOWS_TO_OLSON.items()}


@functools.lru_cache(maxsize=1)
def _preferred_zones() -> tuple[str, ...]:
    """Every current zone name, those Windows maps to first (each sorted)."""
    windows = sorted(set(_windows_names().values()))
    rest = sorted(
        {_canonical(n) for n in _zone_names().values() if not n.startswith("Etc/")}
        - set(windows)
    )
    return (*windows, *rest)


def _zone_of_name(name: str) -> dt.tzinfo:
    """Return the tzinfo of a name the model accepts: UTC, an offset or an IANA name."""
    if name == "UTC":
        return _UTC
    return TimeZone.parse(name).tzinfo


def _zone_name(zone: dt.tzinfo | None) -> str | None:
    """Return the IANA name (or ``UTC``) of a zone this module made, else None."""
    if zone is None:
        return None
    if zone is _UTC or (isinstance(zone, dt.timezone) and not zone.utcoffset(None)):
        return "UTC"
    if isinstance(zone, zoneinfo.ZoneInfo):
        return zone.key
    return None


def _names_for(tzid: str) -> Iterator[str]:
    """Yield the current IANA names (or UTC offsets) a TZID may mean, best first."""
    clean = tzid.strip().strip('"').strip()
    yield from _database_names(clean)
    try:
        offset = TimeZone.parse(clean).name
    except ValueParseError:
        pass
    else:
        if not offset[:1].isalpha():  # a UTC offset such as "UTC+11" or "+05:30"
            yield offset
    yield from _display_names(clean)


def _database_names(clean: str) -> Iterator[str]:
    """Yield the zone a TZID names as the database or Windows spells it."""
    names = _zone_names()
    parts = clean.strip("/").split("/")
    for start in range(len(parts)):  # "/freeassociation.sourceforge.net/Europe/Berlin"
        found = names.get("/".join(parts[start:]).casefold())
        if found is not None:
            yield _canonical(found)
    if clean.casefold() in _UTC_NAMES:
        yield "UTC"
    windows = _windows_names().get(clean.casefold())
    if windows is not None:
        yield windows


def _display_names(clean: str) -> Iterator[str]:
    """Yield the zones of an Outlook display name, by its words or its cities.

    ``(UTC+10:00) Canberra, Melbourne, Sydney`` names Australia/Sydney.
    """
    rest = _DISPLAY_PREFIX.sub("", clean).strip()
    display = _DISPLAY_NAMES.get(rest.casefold())
    if display is not None:
        yield display
    for word in _DISPLAY_SEPARATORS.split(rest):
        city = _cities().get(" ".join(word.split()).casefold())
        if city is not None:
            yield city


def _offset(zone: dt.tzinfo, moment: dt.datetime) -> dt.timedelta | None:
    return moment.astimezone(zone).utcoffset()


@attrs.frozen
class _Definition:
    """A VTIMEZONE's changes of offset through some years, as moments in UTC.

    Worked out from its STANDARD and DAYLIGHT parts (their DTSTART, RRULE and
    RDATE), so that it compares with the zones of the database quickly.
    """

    changes: tuple[tuple[dt.datetime, dt.timedelta, dt.timedelta], ...]
    years: tuple[int, int]

    @classmethod
    def read(cls, component: Component, years: tuple[int, int]) -> _Definition | None:
        """Return the definition's changes in *years* (and a year either side)."""
        low = dt.datetime(years[0] - 1, 1, 1)  # noqa: DTZ001 - wall clock
        high = dt.datetime(years[1] + 2, 1, 1)  # noqa: DTZ001 - wall clock
        changes: list[tuple[dt.datetime, dt.timedelta, dt.timedelta]] = []
        try:
            for part in component.subcomponents:
                if part.name not in {"STANDARD", "DAYLIGHT"}:
                    continue
                start = _value(part, "DTSTART").dt.replace(tzinfo=None)
                before = _value(part, "TZOFFSETFROM").td
                after = _value(part, "TZOFFSETTO").td
                walls = [start]
                for recur in _all(part, "RRULE"):
                    text, until = _split_until(_repair_rule(_rule_text_of(recur)))
                    first = start
                    if "COUNT" not in text and start < low:
                        first = start.replace(year=low.year)  # the same yearly rule
                    if not _never(text, first):
                        changes_of_rule = _walk(text, first, until, high)
                        walls.extend(
                            itertools.islice(changes_of_rule, _MAX_ZONE_CHANGES)
                        )
                walls.extend(
                    d.dt.replace(tzinfo=None)
                    for value in _all(part, "RDATE")
                    for d in value.dts
                    if isinstance(d.dt, dt.datetime)
                )
                changes.extend(
                    ((w - before).replace(tzinfo=_UTC), before, after)
                    for w in walls
                    if w < high
                )
        except Exception:  # noqa: BLE001 - a definition that cannot be read is none
            return None
        changes.sort()
        earlier = [c for c in changes if c[0] < low.replace(tzinfo=_UTC)]
        kept = [c for c in changes if c[0] >= low.replace(tzinfo=_UTC)]
        if earlier:  # the change in force when the years begin
            kept.insert(0, earlier[-1])
        return cls(tuple(kept), years) if kept else None

    def offset(self, moment: dt.datetime) -> dt.timedelta:
        """Return the offset the definition gives at *moment* (aware)."""
        index = bisect.bisect_right(self.changes, (moment, _MAX_OFFSET, _MAX_OFFSET))
        if index == 0:
            return self.changes[0][1]
        return self.changes[index - 1][2]

    @functools.cached_property
    def samples(self) -> tuple[tuple[dt.datetime, dt.timedelta], ...]:
        """Moments every six hours through the years, with the offset at each."""
        start = dt.datetime(self.years[0], 1, 1, tzinfo=_UTC)
        end = dt.datetime(self.years[1] + 1, 1, 1, tzinfo=_UTC)
        step = dt.timedelta(hours=6)
        moments = [start + k * step for k in range((end - start) // step)]
        return tuple((m, self.offset(m)) for m in moments)

    def matches(self, zone: dt.tzinfo) -> bool:
        """Whether *zone* has the definition's offsets through the years.

        Compared every six hours, and a minute either side of each change, so
        that the moment of a change must match too.
        """
        samples = self.samples
        quick = samples[:: max(1, len(samples) // 8)]
        if any(_offset(zone, m) != o for m, o in quick):
            return False
        if any(_offset(zone, m) != o for m, o in samples):
            return False
        minute = dt.timedelta(minutes=1)
        first, last = samples[0][0], samples[-1][0]
        return all(
            _offset(zone, moment - minute) == before
            and _offset(zone, moment + minute) == after
            for moment, before, after in self.changes
            if first <= moment <= last and before != after
        )

    def closest(self) -> dt.tzinfo:
        """Return the first zone with the definition's offsets in mid-winter and summer.

        For a definition no zone follows exactly; else its offset in January.
        """
        year = self.years[0]
        moments = [dt.datetime(year, month, 15, tzinfo=_UTC) for month in (1, 7)]
        for name in _preferred_zones():
            zone = _zone_of_name(name)
            if all(_offset(zone, m) == self.offset(m) for m in moments):
                return zone
        return dt.timezone(self.offset(moments[0]))

    def fixed(self) -> dt.timedelta | None:
        """Return the one offset of a definition without changes, else None."""
        offsets = {o for change in self.changes for o in change[1:]}
        return offsets.pop() if len(offsets) == 1 else None


def _split_until(text: str) -> tuple[str, dt.datetime | None]:
    """Return RRULE text without its UNTIL, and the UNTIL as a wall clock."""
    from icalendar.prop import vDDDTypes  # noqa: PLC0415 - the extra loads when a calendar is read

    parts, until = [], None
    for part in text.split(";"):
        name, _, value = part.partition("=")
        if name != "UNTIL":
            parts.append(part)
            continue
        moment = vDDDTypes.from_ical(value)  # type: ignore[no-untyped-call]
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time())
        until = moment.replace(tzinfo=None)
    return ";".join(parts), until


def _rule_text_of(recur: Any) -> str:
    text = recur.to_ical() if hasattr(recur, "to_ical") else str(recur)
    return text.decode() if isinstance(text, bytes) else str(text)


class _Zones:
    """The time zones a calendar names, read the way its calendar app meant them.

    A TZID is looked up as an IANA name, a Windows name, a UTC offset or an
    Outlook display name; when the file defines it in a VTIMEZONE, the
    definition decides: the first named zone that behaves the same through the
    calendar's years wins, else the first zone of the database that does (those
    Windows maps to first), else a fixed offset when the definition has one,
    else the named zone, else the zone closest to the definition.
    """

    def __init__(
        self,
        definitions: Mapping[str, Component],
        years: tuple[int, int],
        broken: Sequence[_BrokenZone] = (),
        problems: _Problems | None = None,
    ) -> None:
        """Remember the file's VTIMEZONE *definitions* and the *years* it spans.

        *broken* are the definitions that could not be parsed, left out of the
        calendar: the first time one is used (an event taken names it), it is
        a problem at its line, recorded in *problems*.
        """
        self._definitions: dict[str, Component] = {}
        self._broken: dict[str, _BrokenZone] = {}
        # A TZID is its definition's when written alike; else that of the first
        # definition named alike but for case (files hold both ``Europe/Lisbon``
        # and ``Europe/lisbon``, defined apart).
        self._folded: dict[str, str] = {}
        for tzid, definition in definitions.items():
            key = _tzid_key(tzid, exact=True)
            self._definitions.setdefault(key, definition)
            self._folded.setdefault(_tzid_key(key), key)
        for zone in broken:
            key = _tzid_key(zone.tzid, exact=True)
            self._broken.setdefault(key, zone)
            self._folded.setdefault(_tzid_key(key), key)
        self._years = years
        self._problems = problems if problems is not None else _Problems()
        self._resolved: dict[str, dt.tzinfo | None] = {}

    def resolve(self, tzid: str) -> dt.tzinfo | None:
        """Return the zone *tzid* names, or None when it names none."""
        key = self._key(tzid)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(tzid)
        return self._resolved[key]

    def defines(self, tzid: str) -> bool:
        """Whether the file has a VTIMEZONE of *tzid*, readable or not."""
        key = self._key(tzid)
        return key in self._definitions or key in self._broken

    def _key(self, tzid: str) -> str:
        """Return the key of *tzid*'s definition: written alike, else but for case."""
        exact = _tzid_key(tzid, exact=True)
        if exact in self._definitions or exact in self._broken:
            return exact
        folded = _tzid_key(tzid)
        return self._folded.get(folded, folded)

    def _resolve(self, tzid: str) -> dt.tzinfo | None:
        names = list(dict.fromkeys(_names_for(tzid)))
        key = self._key(tzid)
        if key not in self._definitions and key in self._broken:
            return self._without_definition(self._broken[key], names)
        component = self._definitions.get(key)
        definition = (
            None if component is None else _Definition.read(component, self._years)
        )
        if definition is None:
            return _zone_of_name(names[0]) if names else None
        for name in (*names, *_preferred_zones()):
            zone = _zone_of_name(name)
            if definition.matches(zone):
                return zone
        offset = definition.fixed()
        if offset is not None:
            return _UTC if not offset else dt.timezone(offset)
        if names:
            return _zone_of_name(names[0])
        return definition.closest()

    def _without_definition(
        self, broken: _BrokenZone, names: Sequence[str]
    ) -> dt.tzinfo | None:
        """Return the zone of a TZID whose VTIMEZONE is broken: its name's, if any.

        Said once, at the definition's line, with what becomes of its times.
        """
        zone = _zone_of_name(names[0]) if names else None
        if zone is None:
            outcome = "its name names no zone, and the events in it are left out"
        else:
            shown = _zone_name(zone) or names[0]
            outcome = f"the times in it are read in {shown}, the zone its name names"
        self._problems.add(
            f"{broken.reason}, so the definition is left out; {outcome}",
            line=broken.line,
            where=f'VTIMEZONE "{broken.tzid}"',
        )
        return zone


def _tzid_key(tzid: str, *, exact: bool = False) -> str:
    """Return *tzid* without blanks and quotes around, casefolded unless *exact*."""
    key = tzid.strip().strip('"').strip()
    return key if exact else key.casefold()


# -- The file's text -----------------------------------------------------------------


@attrs.frozen
class _Block:
    """Where one VEVENT is written: its BEGIN line and its properties' first lines."""

    line: int
    props: Mapping[str, int]
    uid: str | None


def _decode(raw: bytes) -> tuple[str, tuple[int, int] | None]:
    """Return the file's text, and the line and value of its first byte not read.

    UTF-8 (a byte-order mark ignored), as RFC 5545 has it, else Windows-1252 for
    a file that shows no sign of UTF-8 (no UTF-8 sequence of several bytes, no
    byte-order mark). A UTF-8 file with a byte that is not UTF-8 is read as
    UTF-8 all the same, that byte as U+FFFD, rather than every other letter
    turned into Windows-1252's: the line and value of the first such byte
    are returned, for a problem. UTF-16 and UTF-32 are read by their
    byte-order marks. A line folded inside a character of several bytes (RFC
    5545, 3.1) has that character's first bytes moved after the fold, so that
    each line decodes and the unfolded text is the same; a character folded
    more than once (up to three times, between each of its four bytes) has
    them moved after each fold in turn.
    """
    for mark, encoding in _MARKED_ENCODINGS:
        if raw.startswith(mark):
            return raw[len(mark) :].decode(encoding, errors="replace"), None
    for _ in range(3):  # each pass joins one more fold of a character: 3 at most
        raw, moved = _SPLIT_CHARACTER.subn(rb"\2\1", raw)
        if not moved:
            break
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[skip:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        bad = skip + error.start
    if not skip and _UTF8_SEQUENCE.search(raw) is None:
        return raw.decode("cp1252", errors="replace"), None
    text = raw[skip:].decode("utf-8", errors="replace")
    return text, (raw.count(b"\n", 0, bad) + 1, raw[bad])


#: The first bytes of a UTF-8 character, then a fold, then the character's rest.
_SPLIT_CHARACTER: Final = re.compile(
    rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r\n[ \t]|\r[ \t]|\n[ \t])(?=[\x80-\xbf])"
)
#: A character of UTF-8 written in several bytes: the sign of a UTF-8 file.
_UTF8_SEQUENCE: Final = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


#: Byte-order marks and their encodings, those of UTF-32 first (UTF-32-LE's
#: begins with UTF-16-LE's).
_MARKED_ENCODINGS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _first_line(text: str) -> tuple[int, str]:
    """Return the number and text of the first line that is not blank."""
    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        if line.strip():
            return number, line.strip()
    return 1, ""


def _blocks(text: str, numbers: Sequence[int] | None = None) -> list[_Block]:
    """Find every VEVENT of *text*: where it begins and where its properties are.

    Lines that begin with a space or a tab continue the line before (RFC 5545
    folding); properties of components inside an event (alarms) are not its own.
    *numbers* are the lines' numbers in the file, when *text* is not the file's.
    """
    scanner = _Scanner()
    for index, physical in enumerate(_LINE_BREAK.split(text)):
        scanner.line(index + 1 if numbers is None else numbers[index], physical)
    return sorted(scanner.blocks, key=lambda b: b.line)


#: The components a calendar holds: one that begins closes what is open in it.
_CALENDAR_PARTS: Final = frozenset(
    {"VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"}
)
#: Every component of RFC 5545 and its extensions (RFC 7953, RFC 9073).
_COMPONENTS: Final = _CALENDAR_PARTS | {
    "VCALENDAR",
    "STANDARD",
    "DAYLIGHT",
    "VALARM",
    "AVAILABLE",
    "VLOCATION",
    "VRESOURCE",
    "PARTICIPANT",
}


class _TooDeepError(Exception):
    """A component is nested deeper than data may be: its name and line."""

    def __init__(self, component: str, line: int) -> None:
        super().__init__(component, line)
        self.component = component
        self.line = line


class _Closer:
    """Closes the components a file leaves open, and leaves out stray ENDs.

    icalendar reads no calendar at all from a file with one component never
    closed (a file cut short, an event without END:VEVENT), and fails on an
    END that closes nothing. Each such place is a problem at its line; the
    text is repaired for the parser, each of its lines numbered as in the file.
    An END of no component (``END:VTOOD``) closes the innermost, as icalendar
    reads it.
    """

    def __init__(self, problems: _Problems) -> None:
        self.problems = problems
        self.lines: list[str] = []
        self.numbers: list[int] = []
        self.open: list[tuple[str, int]] = []
        self.repaired = False

    def close(self, text: str) -> tuple[str, list[int] | None]:
        """Return the repaired text and its lines' numbers (None when unchanged)."""
        number = 0
        for number, line in enumerate(_LINE_BREAK.split(text), 1):
            self.line(number, line)
        if self.open:
            last = max(
                (n for n, line in zip(self.numbers, self.lines, strict=True) if line),
                default=number,
            )
            one = len(self.open) == 1
            self.problems.add(
                f"the file ends inside {self._named(self.open[::-1])}, without "
                + ("its END line; it is" if one else "their END lines; they are")
                + " read as closed at its end",
                line=last,
            )
            self._end_all(0, last)
        if not self.repaired:
            return text, None
        return "\r\n".join(self.lines), self.numbers

    def line(self, number: int, line: str) -> None:
        """Read one physical line, closing or leaving out what it needs.

        Raise :class:`_TooDeepError` at a component nested deeper than
        :data:`~outsourcekit.io.MAX_DEPTH`.
        """
        name, _, value = line.partition(":")
        name = name.strip().upper() if line[:1] not in {" ", "\t"} else ""
        component = value.strip().upper()
        if name == "BEGIN":
            if len(self.open) >= MAX_DEPTH:
                raise _TooDeepError(component, number)
            self._begin(number, line, component)
            return
        if name == "END":
            names = [c for c, _ in self.open]
            if component not in _COMPONENTS and component not in names and names:
                component = names[-1]  # a misspelt END closes the innermost
            if component not in names:
                self.problems.add(
                    f"END:{component} closes nothing: no BEGIN:{component} is open "
                    "there; the line is left out",
                    line=number,
                )
                self.repaired = True
                return
            depth = len(names) - names[::-1].index(component)
            self._closed_before(depth, f"END:{component}", number)
            self.open.pop()
        self._keep(number, line)

    def _begin(self, number: int, line: str, component: str) -> None:
        if component == "VCALENDAR":
            self._closed_before(0, f"BEGIN:{component}", number)
        elif component in _CALENDAR_PARTS:
            names = [c for c, _ in self.open]
            if "VCALENDAR" in names:
                depth = len(names) - names[::-1].index("VCALENDAR")
                self._closed_before(depth, f"BEGIN:{component}", number)
        self.open.append((component, number))
        self._keep(number, line)

    def _closed_before(self, depth: int, what: str, number: int) -> None:
        """Close what is open above *depth* before the line *number*, said so."""
        left = self.open[depth:]
        if not left:
            return
        self.problems.add(
            f"{self._named(left[::-1])} "
            f"{'has no END line' if len(left) == 1 else 'have no END lines'} before "
            f"{what}; {'it is' if len(left) == 1 else 'they are'} read as closed there",
            line=number,
        )
        self._end_all(depth, number)

    def _end_all(self, depth: int, number: int) -> None:
        while len(self.open) > depth:
            component, _ = self.open.pop()
            self._keep(number, f"END:{component}")
            self.repaired = True

    def _keep(self, number: int, line: str) -> None:
        self.lines.append(line)
        self.numbers.append(number)

    @staticmethod
    def _named(components: Sequence[tuple[str, int]]) -> str:
        """Name components left open: ``BEGIN:VEVENT of line 12 and ...``."""
        named = [f"BEGIN:{c} of line {n}" for c, n in components]
        return " and ".join([", ".join(named[:-1]), named[-1]] if named[:-1] else named)


@attrs.frozen
class _BrokenZone:
    """A VTIMEZONE that cannot be parsed: its TZID, the line at fault and why."""

    tzid: str
    line: int
    #: What cannot be read: ``DTSTART '1601010xT030000' cannot be read (...)``.
    reason: str


#: The components the importer reads, with the components each may be in (None:
#: none, the file's top). Any other component, and what it holds, is left out
#: before the calendar is parsed: alarms, to-dos, journal entries, free/busy
#: times, availability, and the parts of an event.
_READ_PARTS: Final[Mapping[str, frozenset[str | None]]] = {
    "VCALENDAR": frozenset({None}),
    "VEVENT": frozenset({None, "VCALENDAR"}),
    "VTIMEZONE": frozenset({None, "VCALENDAR"}),
    "STANDARD": frozenset({"VTIMEZONE"}),
    "DAYLIGHT": frozenset({"VTIMEZONE"}),
}
#: The calendar's own properties the importer reads; the others are left out.
_CALENDAR_PROPERTIES: Final = frozenset({"X-WR-TIMEZONE"})
#: The start of a line that gives a property: its name, then parameters or value.
_PROPERTY: Final = re.compile(r"[A-Za-z0-9-]+[;:]")


@attrs.define
class _Part:
    """A component open while pruning: its name, and whether it is kept."""

    name: str
    kept: bool


class _Pruner:
    """Leaves out of a calendar's text what the importer does not read.

    icalendar rejects a whole calendar for one property it cannot parse
    outside an event (an alarm's ``TRIGGER:-15M``, a to-do's DUE), though
    the importer reads none of them. The text it is given holds the
    calendar's events and time zone definitions alone (the components of
    ``_READ_PARTS``, and the calendar's ``_CALENDAR_PROPERTIES``); a
    VTIMEZONE that icalendar cannot parse is left out too, and kept as a
    ``_BrokenZone``, a problem only if an event taken names it. Each line
    kept keeps its number in the file.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.numbers: list[int] = []
        self.broken: list[_BrokenZone] = []
        self.open: list[_Part] = []
        #: Whether the last line that is no continuation was kept.
        self.keeping = False
        #: Where the VTIMEZONE being read begins among the lines kept, and its
        #: properties: the component each is in and its first and last line.
        self.zone_start: int | None = None
        self.zone_properties: list[tuple[str, int, int]] = []

    def prune(self, text: str, numbers: Sequence[int] | None) -> tuple[str, list[int]]:
        """Return the text kept, its lines ended by CRLF, and their numbers.

        *numbers* are the numbers of *text*'s lines in the file (None: its own).
        Lines end as RFC 5545 has them, so that the parser reads them as this
        module counts them, a line ended by CR alone too.
        """
        lines = _LINE_BREAK.split(text)
        for index, line in enumerate(lines):
            self.line(index + 1 if numbers is None else numbers[index], line)
        return "\r\n".join(self.lines), self.numbers

    def line(self, number: int, line: str) -> None:
        """Read one physical line: keep it or leave it out."""
        if line[:1] in {" ", "\t"}:  # the line before continues
            self._keep_if(self.keeping, number, line)
            if self.keeping and self.zone_properties and self.zone_start is not None:
                part, first, _ = self.zone_properties[-1]
                self.zone_properties[-1] = (part, first, len(self.lines) - 1)
            return
        name = _name_of(line)
        if name == "BEGIN":
            self._begin(number, line)
        elif name == "END":
            self._end(number, line)
        else:
            inner = self.open[-1] if self.open else None
            kept = inner is not None and inner.kept
            if kept and inner is not None and inner.name == "VCALENDAR":
                # A line that is no property at all stays, for the parser to
                # say that the file is broken.
                kept = name in _CALENDAR_PROPERTIES or not _PROPERTY.match(line)
            self._keep_if(kept, number, line)
            if kept and inner is not None and self.zone_start is not None:
                at = len(self.lines) - 1
                self.zone_properties.append((inner.name, at, at))

    def _begin(self, number: int, line: str) -> None:
        component = line.partition(":")[2].strip().upper()
        parent = self.open[-1] if self.open else None
        kept = (parent is None or parent.kept) and (
            (parent.name if parent is not None else None)
            in _READ_PARTS.get(component, ())
        )
        self.open.append(_Part(component, kept))
        if kept and component == "VTIMEZONE":
            self.zone_start, self.zone_properties = len(self.lines), []
        self._keep_if(kept, number, line)

    def _end(self, number: int, line: str) -> None:
        # The innermost component ends, whatever the END names, as icalendar
        # reads it; the text is closed already (see _Closer).
        part = self.open.pop() if self.open else None
        kept = part is not None and part.kept
        self._keep_if(kept, number, line)
        if kept and part is not None and part.name == "VTIMEZONE":
            self._check_zone()

    def _keep_if(self, kept: bool, number: int, line: str) -> None:
        self.keeping = kept
        if kept:
            self.lines.append(line)
            self.numbers.append(number)

    def _check_zone(self) -> None:
        """Leave out the VTIMEZONE just read if icalendar cannot parse it."""
        start, properties = self.zone_start, self.zone_properties
        self.zone_start, self.zone_properties = None, []
        if start is None:  # pragma: no cover - a VTIMEZONE kept has begun
            return
        error = _parse_error(self.lines[start:])
        if error is None:
            return
        written = {
            first: "".join(
                [self.lines[first], *(t[1:] for t in self.lines[first + 1 : last + 1])]
            )
            for _, first, last in properties
        }
        tzid = next(
            (
                written[first].partition(":")[2].strip()
                for part, first, _ in properties
                if part == "VTIMEZONE" and _name_of(written[first]) == "TZID"
            ),
            "",
        )
        line, reason = self.numbers[start], f"it cannot be read ({error})"
        for _, first, last in properties:
            # Alone in a part of a zone, which takes any property and, unlike
            # a VTIMEZONE, needs none of its own.
            fault = _parse_error(
                ["BEGIN:STANDARD", *self.lines[first : last + 1], "END:STANDARD"]
            )
            if fault is not None:
                text, name = written[first], _name_of(written[first])
                shown = f"{name} {text.partition(':')[2]!r}" if name else f"{text!r}"
                line, reason = self.numbers[first], f"{shown} cannot be read ({fault})"
                break
        del self.lines[start:], self.numbers[start:]
        if tzid:
            self.broken.append(_BrokenZone(tzid, line, reason))


def _name_of(line: str) -> str:
    """Return the name of the property a content line gives, upper-case, or ''."""
    match = _PROPERTY_NAME.match(line)
    return match.group().upper() if match else ""


def _parse_error(lines: Sequence[str]) -> str | None:
    """Return why icalendar cannot parse the component of *lines*, or None."""
    import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            icalendar.Component.from_ical("\r\n".join(lines), multiple=True)
    except Exception as e:  # noqa: BLE001 - any parser failure is the text's
        return str(e).strip() or type(e).__name__
    return None


class _Scanner:
    """Reads a calendar's lines for where its events and their properties are."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.open: list[tuple[int, dict[str, int], list[str]]] = []
        self.blocks: list[_Block] = []
        self.in_uid = False

    def line(self, number: int, physical: str) -> None:
        """Read one physical line."""
        if physical[:1] in {" ", "\t"}:
            if self.in_uid and self.open:
                self.open[-1][2].append(physical[1:])
            return
        self.in_uid = False
        match = _PROPERTY_NAME.match(physical)
        name = match.group().upper() if match else ""
        value = physical.partition(":")[2].strip().upper()
        if name == "BEGIN":
            self.stack.append(value)
            if value == "VEVENT":
                self.open.append((number, {}, []))
        elif name == "END":
            self.end(value)
        elif name and self.stack and self.stack[-1] == "VEVENT" and self.open:
            props = self.open[-1][1]
            props.setdefault(name, number)
            if name == "UID" and not self.open[-1][2]:
                self.open[-1][2].append(physical.partition(":")[2])
                self.in_uid = True

    def end(self, component: str) -> None:
        """Close the innermost *component* (and what it left open)."""
        if component in self.stack:
            while self.stack.pop() != component:
                pass
        if component == "VEVENT" and self.open:
            line, props, uid = self.open.pop()
            self.blocks.append(_Block(line, props, "".join(uid).strip() or None))


# -- Events ----------------------------------------------------------------------------


@attrs.define(eq=False)
class _Source:
    """One VEVENT of the file as parsed, and where it is written."""

    index: int
    component: Component
    block: _Block | None
    uid: str | None
    summary: str
    #: Among the events of its UID without RECURRENCE-ID, which this one is:
    #: a calendar that gives one UID to two series still has two.
    twin: int = 0

    @property
    def where(self) -> str:
        """The event as the user finds it: ``event "uid" (summary)``."""
        if self.uid:
            return f'event "{self.uid}"' + (
                f" ({self.summary})" if self.summary else ""
            )
        if self.summary:
            return f"event ({self.summary})"
        return f"event {self.index + 1}"

    @property
    def key(self) -> str:
        """The series the event belongs to: its UID, or the event alone."""
        if not self.uid:
            return f"event:{self.index}"
        return f"uid:{self.uid}" if not self.twin else f"uid:{self.uid}#{self.twin}"

    def line(self, *names: str) -> int | None:
        """Return the line of the first of the properties *names*, else BEGIN's."""
        if self.block is None:
            return None
        for name in names:
            if name in self.block.props:
                return self.block.props[name]
        return self.block.line


@attrs.frozen
class _Rule:
    """One RRULE of a series: its parts (without UNTIL) and its end."""

    parts: Mapping[str, str]
    until: dt.datetime | None

    @property
    def text(self) -> str:
        """The rule's parts as RRULE text, UNTIL left out."""
        return ";".join(f"{k}={v}" for k, v in self.parts.items())

    def walk(self, start: dt.datetime, horizon: dt.datetime) -> Iterator[dt.datetime]:
        """Yield the occurrences from *start* (aware), in order, as :func:`_walk`.

        The last one yielded is at or after the wall-clock *horizon* when the
        rule has one there, so that a rule cut short there is told from one
        that ends.
        """
        wall, text, until = start.replace(tzinfo=None), self.text, self.until
        if until is not None:
            until = until.astimezone(start.tzinfo).replace(tzinfo=None)
        if _never(text, wall) or _first(text, wall, until, horizon) is None:
            return
        yield from _walk(text, wall, until, horizon, start.tzinfo)


def _walk(
    text: str,
    start: dt.datetime,
    until: dt.datetime | None,
    horizon: dt.datetime,
    zone: dt.tzinfo | None = None,
) -> Iterator[dt.datetime]:
    """Yield the wall-clock occurrences of rule *text* from *start* up to *horizon*.

    dateutil searches for each next occurrence as far as the year 9999, which
    takes seconds for a rule that occurs no more, and ends only there. So the
    rule is run whole years later, where the calendar is the same (the same
    leap years, each year beginning on the same weekday) and its year 9999 comes
    soon after the horizon; its occurrences are moved back. The first one at or
    after the horizon is the last yielded. *until* ends the rule as its UNTIL;
    the occurrences are given *zone*.
    """
    from dateutil.rrule import rrulestr  # noqa: PLC0415 - the extra loads when a calendar is read

    if start >= horizon or (until is not None and until < start):
        return
    # Easter falls on other days in years of the same calendar.
    years = (max(start.year - 1, dt.MINYEAR), horizon.year + 1)
    shift = 0 if "BYEASTER" in text else _same_years(*years)
    rule: rrule = rrulestr(text, dtstart=_years_later(start, shift))  # type: ignore[assignment]
    if until is not None and until < horizon:
        rule = rule.replace(until=_years_later(until, shift))
    stop = _years_later(horizon, shift)
    try:
        for moved in rule:
            yield moved.replace(year=moved.year - shift, tzinfo=zone)
            if moved >= stop:
                return
    except (ValueError, OverflowError) as e:
        if isinstance(e, ValueError) and not _PAST_9999.fullmatch(str(e)):
            raise  # the rule's own error, not the end of the search


@functools.lru_cache(maxsize=1024)
def _first(
    text: str, start: dt.datetime, until: dt.datetime | None, horizon: dt.datetime
) -> dt.datetime | None:
    """Return the first occurrence :func:`_walk` yields, once for every search."""
    return next(_walk(text, start, until, horizon), None)


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    return moment.replace(year=moment.year + years)


@functools.lru_cache(maxsize=64)
def _same_years(first: int, last: int) -> int:
    """Return how many years later the years *first* to *last* are the same again.

    As many as keep *last* before the year 9999: the same leap years, each
    year beginning on the same weekday. Whole 400-year cycles always are.
    """
    weekday = dt.date(first, 1, 1).weekday()
    for shift in range(max(0, _LAST_WHOLE_YEAR - last), 0, -1):
        if dt.date(first + shift, 1, 1).weekday() == weekday and all(
            isleap(year) == isleap(year + shift) for year in range(first, last + 1)
        ):
            return shift
    return 0


@functools.lru_cache(maxsize=1024)
def _never(text: str, start: dt.datetime) -> bool:
    """Whether rule *text* (UNTIL left out) from wall-clock *start* never occurs.

    Its days depend on the kind of year alone when what it takes from the start
    (its day, month, weekday, time of day) is made explicit and INTERVAL is 1
    (any INTERVAL keeps fewer occurrences): so it is probed from the 9970s,
    where 30 years hold every kind of year and dateutil stops at 9999, instead
    of searching from the start to there.
    """
    from dateutil.rrule import rrulestr  # noqa: PLC0415 - the extra loads when a calendar is read

    rule: rrule = rrulestr(text, dtstart=start)  # type: ignore[assignment]
    parts = dict(part.partition("=")[::2] for part in text.split(";"))
    if _positions_missed(parts):
        return True
    probe = rule.replace(
        dtstart=_PROBE_START,
        interval=1,
        count=None,
        until=None,
        **_taken_from_start(parts, start),
    )
    first = None
    with contextlib.suppress(ValueError, OverflowError):  # ran past the year 9999
        first = next(iter(probe), None)
    return first is None


#: Of the frequencies shorter than a day, the rule parts that hold the moments
#: of each period: a second holds one, a minute one for each BYSECOND.
_PERIOD_PARTS: Final = {
    "SECONDLY": (),
    "MINUTELY": ("BYSECOND",),
    "HOURLY": ("BYMINUTE", "BYSECOND"),
}


def _positions_missed(parts: Mapping[str, str]) -> bool:
    """Whether the rule's BYSETPOS asks for moments no period of it holds.

    A rule of seconds with ``BYSETPOS=2`` never occurs, and dateutil finds
    that out second by second to the year 9999.
    """
    inside = _PERIOD_PARTS.get(parts.get("FREQ", ""))
    if inside is None or "BYSETPOS" not in parts:
        return False
    size = 1
    for name in inside:
        if name in parts:
            size *= len(set(parts[name].split(",")))
    with contextlib.suppress(ValueError):
        return all(not 1 <= abs(int(p)) <= size for p in parts["BYSETPOS"].split(","))
    return False


def _taken_from_start(parts: Mapping[str, str], start: dt.datetime) -> dict[str, Any]:
    """Return what dateutil takes from a rule's start, as its options."""
    freq = parts.get("FREQ", "")
    taken: dict[str, Any] = {}
    if not parts.keys() & _START_DAY_PARTS:
        if freq == "YEARLY":
            taken["bymonthday"] = start.day
            if "BYMONTH" not in parts:
                taken["bymonth"] = start.month
        elif freq == "MONTHLY":
            taken["bymonthday"] = start.day
        elif freq == "WEEKLY":
            taken["byweekday"] = start.weekday()
    order = _FREQ_ORDER.index(freq) if freq in _FREQ_ORDER else 0
    for name, unit, value in (
        ("BYHOUR", "HOURLY", start.hour),
        ("BYMINUTE", "MINUTELY", start.minute),
        ("BYSECOND", "SECONDLY", start.second),
    ):
        if name not in parts and order < _FREQ_ORDER.index(unit):
            taken[name.lower()] = value
    return taken


@attrs.frozen(eq=False)
class _Event:
    """The facts of one event, its times in their zones."""

    source: _Source
    #: The cleaned component, as recurring-ical-events is given it.
    component: Component
    start: dt.datetime
    end: dt.datetime | None
    floating: bool
    rules: tuple[_Rule, ...]
    recurrence_id: dt.datetime | None
    cancelled: bool
    exdates: tuple[dt.datetime, ...]
    #: The days an EXDATE that is a date deletes (RFC 5545, 3.8.5.1).
    exdays: tuple[dt.date, ...]

    @property
    def length(self) -> dt.timedelta | None:
        """How long the event lasts, when it says."""
        if self.end is None or self.end <= self.start:
            return None
        return self.end - self.start


def _value(component: Component, name: str) -> Any:
    """Return a property's value (a list when it is given several times), or None."""
    return component.get(name)


def _one(component: Component, name: str) -> tuple[Any, str | None]:
    """Return a property given at most once, or a problem when it is given more."""
    value = _value(component, name)
    if isinstance(value, list):
        return None, f"{name} is given {len(value)} times; an event has one"
    return value, None


def _all(component: Component, name: str) -> list[Any]:
    value = _value(component, name)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _broken(value: object) -> bool:
    return type(value).__name__ == "vBroken"


def _address(value: object) -> str | None:
    """Return the e-mail address of a CAL-ADDRESS value, lower-case, or None."""
    text = str(value).strip().casefold()
    text = text.removeprefix("mailto:").strip()
    return text if "@" in text else None


def _repair_rule(text: str) -> str:
    """Return RRULE text without the blanks and empty parts some exporters write."""
    parts = [p for p in re.sub(r"\s+", "", text).split(";") if p]
    return ";".join(p.upper() for p in parts)


def _rule_parts(recur: Any) -> dict[str, str]:
    """Return the parts of an icalendar recurrence, UNTIL left out, as RRULE text."""
    text = recur.to_ical()
    text = text.decode() if isinstance(text, bytes) else str(text)
    parts: dict[str, str] = {}
    for part in _repair_rule(text).split(";"):
        name, _, value = part.partition("=")
        if name != "UNTIL":
            parts[name] = value
    return parts


def _until(recur: Any, zone: dt.tzinfo | None) -> dt.datetime | None:
    """Return the UNTIL of an icalendar recurrence as an aware moment, or None.

    A time without zone is in the series'. A date (which RFC 5545 allows only
    for all-day series) means 00:00 UTC of that day, as recurring-ical-events
    reads it.
    """
    values = recur.get("UNTIL") or []
    if not values:
        return None
    value = values[0]
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), _UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or _UTC)
    return value


# -- Reading -----------------------------------------------------------------------


class _Problems:
    """The problems found so far, each naming its event and line."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, message: str, *, line: int | None = None, where: str = "") -> None:
        """Record a problem of the file, at *line*, of the item *where*."""
        self.items.append(ImportProblem(message=message, line=line, where=where))

    def of(self, source: _Source, message: str, *names: str) -> None:
        """Record a problem of an event, at the line of its first property *names*."""
        self.add(message, line=source.line(*names), where=source.where)

    def sorted(self) -> tuple[ImportProblem, ...]:
        """Return the problems in the order of their lines."""
        return tuple(
            sorted(self.items, key=lambda p: (p.line is None, p.line or 0, p.message))
        )


def read_calendar(
    path: str | os.PathLike[str], options: Mapping[str, Any] | None
) -> Imported:
    """Read an iCalendar file into an engagement fragment: check-ins, cadence, channels.

    *options* are the importer's (:data:`OPTIONS`); those not given take their
    defaults, and each unknown or bad one is a problem, the file left unread
    (``ICS_IMPORTER.read(path, options)`` checks them first, as the loader
    does). The result's ``data`` holds ``communication.check_ins`` (the
    recurring series as a cadence), ``communication.check_in_length``,
    ``communication.channels`` (video services) and the ``check_ins`` log;
    ``problems`` name each event that could not be read, with its line. A file
    that is no calendar gives one problem and no data; nothing is raised for
    what a file holds.
    """
    try:
        settings = _Settings.read(options or {})
    except _OptionError as error:
        return Imported(problems=tuple(ImportProblem(message=m) for m in error.args))
    try:
        import icalendar  # noqa: F401, PLC0415 - the extra loads when a calendar is read
        import recurring_ical_events  # noqa: F401, PLC0415
        import x_wr_timezone  # noqa: F401, PLC0415
    except ImportError as e:
        message = (
            f"reading calendars needs the `{EXTRA}` extra ({e.name} is not "
            f"installed): {_INSTALL}"
        )
        return Imported(problems=(ImportProblem(message=message),))
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as e:
        return Imported(
            problems=(
                ImportProblem(message=f"cannot read the file: {e.strerror or e}"),
            )
        )
    text, bad = _decode(raw)
    reader = _Reader(text, settings)
    if bad is not None:
        line, byte = bad
        reader.problems.add(
            f"byte 0x{byte:02x} is not UTF-8, which the file is written in: read "
            "as \N{REPLACEMENT CHARACTER} (U+FFFD); save the calendar as UTF-8 again",
            line=line,
        )
    return reader.read()


class _Reader:
    """Reads one calendar's text with the importer's settings."""

    def __init__(self, text: str, settings: _Settings) -> None:
        self.text = text
        self.settings = settings
        self.problems = _Problems()
        self.data: dict[str, Any] = {}
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.where: dict[tuple[str | int, ...], str] = {}
        #: The text given to the parser, and its lines' numbers in the file
        #: (None before it is parsed; see :class:`_Closer` and :class:`_Pruner`).
        self.parsed = text
        self.numbers: list[int] | None = None
        #: The VTIMEZONEs left out of the text parsed: icalendar cannot parse them.
        self.broken_zones: tuple[_BrokenZone, ...] = ()

    def result(self) -> Imported:
        """Return what was read so far."""
        return Imported(
            data=self.data,
            lines=self.lines,
            where=self.where,
            problems=self.problems.sorted(),
        )

    def read(self) -> Imported:
        """Read the calendar; see :func:`read_calendar`."""
        calendars = self._parse()
        if calendars is None:
            return self.result()
        sources = self._sources(calendars)
        settings = self.settings
        if not settings.all_events and not (settings.client or settings.vendor):
            self.problems.add(
                "say whose people are whose: name the calendar under `imports:` of "
                "an engagement with the `client` and `vendor` options (addresses or "
                "@domains, such as client: ['@acme.co.uk']), or `all-events: true` "
                "when the whole calendar is this relationship's; `outsourcekit "
                "import` takes them as --option client=@acme.co.uk",
            )
            return self.result()
        groups: dict[str, list[_Source]] = {}
        masters: dict[str, int] = {}
        newest = _newest_versions(sources)
        for source in sources:
            if source.uid and "RECURRENCE-ID" not in source.component:
                if _sequence(source.component) < newest[source.uid]:
                    continue  # an older version of the event (RFC 5545, 3.8.7.4)
                source.twin = masters.get(source.uid, -1) + 1
                masters[source.uid] = source.twin
            groups.setdefault(source.key, []).append(source)
        taken = {
            key: group
            for key, group in groups.items()
            if settings.all_events or any(self._both(s.component) for s in group)
        }
        if sources and not taken:
            self.problems.add(self._nothing_taken(len(sources)))
            return self.result()
        zones = _Zones(
            _definitions(calendars),
            _years(sources),
            self.broken_zones,
            self.problems,
        )
        xwr = self._calendar_zone(calendars, zones)
        events = self._events(taken, zones, xwr)
        _Builder(self, events, sources).build()
        return self.result()

    # -- parsing -------------------------------------------------------------------

    def _parse(self) -> list[Calendar] | None:
        """Parse the text; a problem and None when it is no calendar."""
        import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read

        number, first = _first_line(self.text)
        if not first.upper().startswith("BEGIN:VCALENDAR"):
            shown = first if len(first) <= 40 else f"{first[:40]}..."
            self.problems.add(
                "not an iCalendar file: expected BEGIN:VCALENDAR at the start, got "
                f"{shown!r}",
                line=number,
            )
            return None
        closing = _Problems()  # said only when the file reads once closed
        try:
            text, numbers = _Closer(closing).close(self.text)
        except _TooDeepError as e:
            self.problems.add(
                f"BEGIN:{e.component} is nested more than {MAX_DEPTH} components "
                "deep: expected components nested a few deep (an alarm in an event "
                "in a calendar); the file is not read",
                line=e.line,
            )
            return None
        pruner = _Pruner()
        text, self.numbers = pruner.prune(text, numbers)
        self.broken_zones = tuple(pruner.broken)
        self.parsed = text
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found = icalendar.Calendar.from_ical(text, multiple=True)
        except Exception as e:  # noqa: BLE001 - any parser failure is the file's
            self.problems.add(
                f"not a valid iCalendar file: {e}", line=self._line_of_error(str(e))
            )
            return None
        self.problems.items.extend(closing.items)
        calendars: list[Calendar] = list(found)
        if not calendars:
            self.problems.add("not an iCalendar file: it holds no calendar", line=1)
            return None
        return calendars

    def _line_of_error(self, message: str) -> int | None:
        """Return the line an icalendar error message quotes, if it quotes one."""
        quoted = re.search(r"'([^']{3,})'", message)
        if quoted is None:
            return None
        for number, line in enumerate(_LINE_BREAK.split(self.text), 1):
            if quoted.group(1) in line:
                return number
        return None

    def _sources(self, calendars: Sequence[Calendar]) -> list[_Source]:
        """Return every VEVENT with where it is written."""
        components = [e for c in calendars for e in c.walk("VEVENT")]
        blocks = _blocks(self.parsed, self.numbers)
        paired: list[_Block | None]
        if len(blocks) == len(components):
            paired = list(blocks)
        else:  # match by UID, in order, where the counts differ
            paired = []
            remaining = list(blocks)
            for component in components:
                uid = str(_value(component, "UID") or "").strip()
                found = next((b for b in remaining if b.uid == uid), None)
                if found is not None:
                    remaining.remove(found)
                paired.append(found)
        sources = []
        for index, (component, block) in enumerate(
            zip(components, paired, strict=True)
        ):
            uid = _value(component, "UID")
            summary = _value(component, "SUMMARY")
            sources.append(
                _Source(
                    index=index,
                    component=component,
                    block=block,
                    uid=_text(uid) or None,
                    summary=" ".join(_text(summary).split()),
                )
            )
        return sources

    # -- parties -------------------------------------------------------------------

    def side(self, address: str) -> str | None:
        """Return ``client`` or ``vendor`` for an address, or None."""
        client = self.settings.client.score(address)
        vendor = self.settings.vendor.score(address)
        if client or vendor:
            return (
                "client" if client > vendor else "vendor" if vendor > client else None
            )
        if _NOT_PEOPLE.search(address):
            return None
        if self.settings.client and not self.settings.vendor:
            return "vendor"
        if self.settings.vendor and not self.settings.client:
            return "client"
        return None

    def _people(self, component: Component) -> list[str]:
        people = []
        organizer = _value(component, "ORGANIZER")
        for value in [*_listed(organizer), *_all(component, "ATTENDEE")]:
            params = getattr(value, "params", {})
            if str(params.get("CUTYPE", "")).upper() in _ADDRESS_TYPES_NOT_PEOPLE:
                continue
            address = _address(value)
            if address is not None:
                people.append(address)
        return people

    def _both(self, component: Component) -> bool:
        """Whether people of both parties organise or attend the event."""
        sides = {self.side(a) for a in self._people(component)}
        return {"client", "vendor"} <= sides

    def _nothing_taken(self, count: int) -> str:
        settings = self.settings
        wanted = []
        if settings.client:
            wanted.append(f"the client's ({settings.client.describe()})")
        if settings.vendor:
            wanted.append(f"the vendor's ({settings.vendor.describe()})")
        if len(wanted) == 1:
            wanted.append("anyone else's")
        events = (
            "the calendar's only event does not have"
            if count == 1
            else f"none of the {count} events has"
        )
        return (
            f"no event was taken: {events} people of both parties among its "
            f"organizer and attendees, {' and '.join(wanted)}; check the `client` "
            "and `vendor` options, or give `all-events: true` when the whole "
            "calendar is this relationship's"
        )

    # -- zones and events ------------------------------------------------------------

    def _calendar_zone(
        self, calendars: Sequence[Calendar], zones: _Zones
    ) -> dt.tzinfo | None:
        """Return the zone of Google's X-WR-TIMEZONE, when the calendar names one."""
        for calendar in calendars:
            name = _value(calendar, "X-WR-TIMEZONE")
            if name is not None and _text(name):
                zone = zones.resolve(_text(name))
                if zone is None:
                    self.problems.add(
                        f"X-WR-TIMEZONE {_text(name)!r} names no time zone; times in "
                        "UTC are read as they are",
                        line=self._line_of_property("X-WR-TIMEZONE"),
                    )
                return zone
        return None

    def _line_of_property(self, name: str) -> int | None:
        for number, line in enumerate(_LINE_BREAK.split(self.text), 1):
            if line.upper().startswith(name):
                return number
        return None

    def _events(
        self,
        groups: Mapping[str, list[_Source]],
        zones: _Zones,
        xwr: dt.tzinfo | None,
    ) -> dict[str, list[_Event]]:
        """Return the facts of every event taken, by series, its times zoned.

        Times without zone are read in X-WR-TIMEZONE, else the ``timezone``
        option, else as floating times (kept for UTC); times in UTC move to
        X-WR-TIMEZONE's zone, as Google means them. A series whose main event
        cannot be read is left out whole.
        """
        import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read
        import x_wr_timezone  # noqa: PLC0415

        floating_zone = xwr or self.settings.zone
        default = floating_zone or _UTC
        cleaned = icalendar.Calendar()
        floating: set[int] = set()
        by_index: dict[int, _Source] = {}
        for group in groups.values():
            kept: list[tuple[_Source, Component]] = []
            series: dt.tzinfo | None = None
            first: dt.date | None = None
            # The series' own event first: its changes are in its zone.
            for source in sorted(group, key=lambda s: "RECURRENCE-ID" in s.component):
                cleaner = _Cleaner(
                    self, source, zones, default, series=series, first=first
                )
                component = cleaner.clean()
                if component is None:
                    if "RECURRENCE-ID" not in source.component:
                        kept = []
                        break  # the series' own event: the series is left out
                    continue
                if "RECURRENCE-ID" not in source.component:
                    series, first = cleaner.local, _in_xwr(cleaner.start, xwr)
                kept.append((source, component))
            kept.sort(key=lambda k: k[0].index)
            for source, component in kept:
                cleaned.add_component(component)
                by_index[source.index] = source
                if floating_zone is None and _has_floating(source.component):
                    floating.add(source.index)
        if xwr is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cleaned = x_wr_timezone.to_standard(cleaned, timezone=xwr)
        events: dict[str, list[_Event]] = {}
        for component in cleaned.walk("VEVENT"):
            source = by_index[int(str(_value(component, _MARK)))]
            event = _facts(source, component, floating=source.index in floating)
            events.setdefault(source.key, []).append(event)
        return {
            key: _newest_changes(group, self.problems) for key, group in events.items()
        }


def _in_xwr(start: dt.date | None, xwr: dt.tzinfo | None) -> dt.date | None:
    """Return a series' DTSTART as its changes are read: in X-WR-TIMEZONE's zone.

    A DTSTART in UTC moves to that zone (as Google means it), so that a
    RECURRENCE-ID that is a date takes the series' time of day there, where
    its occurrences keep it across a change of the clocks.
    """
    if (
        xwr is None
        or not isinstance(start, dt.datetime)
        or start.tzinfo is None
        or start.utcoffset() != dt.timedelta(0)
        or start.tzname() != "UTC"
    ):
        return start
    return start.astimezone(xwr)


def _sequence(component: Component) -> int:
    """Return the event's SEQUENCE, its version: 0 when it has none to read.

    A SEQUENCE given twice, or that is no whole number, is none to read.
    """
    value, twice = _one(component, "SEQUENCE")
    if twice or value is None or _broken(value) or not isinstance(value, int):
        return 0
    return int(value)


def _newest_versions(sources: Sequence[_Source]) -> dict[str, int]:
    """Return the highest SEQUENCE of the events of each UID without RECURRENCE-ID."""
    newest: dict[str, int] = {}
    for source in sources:
        if source.uid and "RECURRENCE-ID" not in source.component:
            sequence = _sequence(source.component)
            newest[source.uid] = max(newest.get(source.uid, sequence), sequence)
    return newest


def _newest_changes(events: list[_Event], problems: _Problems) -> list[_Event]:
    """Return *events* without the changes of an occurrence that a newer one replaces.

    Of two changes of one RECURRENCE-ID, the higher SEQUENCE is the change; of
    two as new, the first in the file (as the log takes it), the other a
    problem.
    """
    chosen: dict[dt.date, _Event] = {}
    for event in events:
        moment = event.recurrence_id
        if moment is None:
            continue
        kept = chosen.get(moment)
        if kept is None or _sequence(event.source.component) > _sequence(
            kept.source.component
        ):
            chosen[moment] = event
    for event in events:
        moment = event.recurrence_id
        if moment is None or chosen[moment] is event:
            continue
        kept = chosen[moment]
        sequence = _sequence(event.source.component)
        if sequence == _sequence(kept.source.component):
            problems.of(
                event.source,
                f"RECURRENCE-ID {moment.isoformat()} names the occurrence the "
                f"event of line {kept.source.line('RECURRENCE-ID')} changes, and "
                f"SEQUENCE {sequence} is not newer; this change is left out",
                "RECURRENCE-ID",
            )
    return [
        event
        for event in events
        if event.recurrence_id is None or chosen[event.recurrence_id] is event
    ]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return str(value).strip()


def _written(value: object) -> str:
    """Return a property's value as the calendar writes it (``-PT30M``)."""
    try:
        return bytes(value.to_ical()).decode()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a value that cannot say it is shown as it is
        return _text(value)


def _listed(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _has_floating(component: Component) -> bool:
    value = _value(component, "DTSTART")
    moment = getattr(value, "dt", None) if not _broken(value) else None
    params = getattr(value, "params", {})
    return (
        isinstance(moment, dt.datetime)
        and moment.tzinfo is None
        and "TZID" not in params
    )


def _definitions(calendars: Sequence[Calendar]) -> dict[str, Component]:
    found: dict[str, Component] = {}
    for calendar in calendars:
        for definition in calendar.walk("VTIMEZONE"):
            tzid = _text(_value(definition, "TZID"))
            if tzid:
                found.setdefault(tzid, definition)
    return found


def _years(sources: Sequence[_Source]) -> tuple[int, int]:
    """Return the first and last year the events start in (at most 12 years)."""
    years = set()
    for source in sources:
        value = _value(source.component, "DTSTART")
        moment = None if _broken(value) else getattr(value, "dt", None)
        if isinstance(moment, dt.date):
            years.add(moment.year)
    if not years:
        return (2020, 2021)
    last = max(min(max(years), 2100), 1971)
    first = max(min(years), last - 11, 1971)
    return (first, last)


class _Cleaner:
    """Makes a copy of one event fit to expand: times zoned, rules repaired.

    What cannot be read becomes a problem naming the event: without a readable
    DTSTART, RECURRENCE-ID, RRULE or time zone the event is left out (None); a
    broken DTEND, DURATION, EXDATE or RDATE is left out of the copy.

    A time without zone is in *default*'s, for DTSTART; the event's other times
    without zone are in the zone its DTSTART names, as its UNTIL is, and a
    RECURRENCE-ID in the zone of its *series*' DTSTART. A RECURRENCE-ID that
    is a date, of a series whose DTSTART (*first*) is a date-time, is that
    day's occurrence: at the time of day of *first*.
    """

    def __init__(  # noqa: PLR0913 - the event and what it is read with
        self,
        reader: _Reader,
        source: _Source,
        zones: _Zones,
        default: dt.tzinfo,
        *,
        series: dt.tzinfo | None = None,
        first: dt.date | None = None,
    ) -> None:
        self.reader = reader
        self.source = source
        self.zones = zones
        self.default = default
        #: The zone of the event's other times without zone: DTSTART's.
        self.local = default
        self.series = series
        self.first = first
        #: The event's DTSTART, once read.
        self.start: dt.date | None = None
        self.failed = False

    def problem(self, message: str, *names: str) -> None:
        self.reader.problems.of(self.source, message, *names)

    def clean(self) -> Component | None:
        """Return the copy, or None when the event cannot be read."""
        import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read

        original = self.source.component
        start = self._start()
        if start is None:
            return None
        self.start = start
        params = getattr(_value(original, "DTSTART"), "params", {})
        if isinstance(start, dt.datetime) and params.get("TZID"):
            self.local = start.tzinfo or self.default
        if _text(original.get("X-MICROSOFT-CDO-ALLDAYEVENT")).upper() == "TRUE":
            return None  # Outlook's all-day event, midnight to midnight: no meeting
        copy = icalendar.Event()
        for name, value in original.items():
            if name.upper() not in _REWRITTEN:
                copy[name] = value
        copy.add("UID", self.source.uid or f"outsourcekit-event-{self.source.index}")
        copy.add(_MARK, str(self.source.index))
        self._sequence(copy)
        copy.add("DTSTART", start)
        if "RECURRENCE-ID" in original:
            if not self._changed(copy, start):
                return None
        elif not isinstance(start, dt.datetime):
            return None  # an all-day event is no meeting
        if isinstance(start, dt.datetime) and not self._timed(copy, start):
            return None
        return copy

    def _sequence(self, copy: Component) -> None:
        """Add the event's SEQUENCE, when it is one whole number, as RFC 5545 has it.

        Else it is a problem and left out: the event is version 0, as without one.
        """
        value, twice = _one(self.source.component, "SEQUENCE")
        if twice:
            self.problem(f"{twice}; it is left out", "SEQUENCE")
        elif value is not None and (_broken(value) or not isinstance(value, int)):
            self.problem(
                f"SEQUENCE {_text(value)!r} is not a whole number such as 2, as "
                "RFC 5545 has it; it is left out",
                "SEQUENCE",
            )
        elif value is not None:
            copy["SEQUENCE"] = value

    def _changed(self, copy: Component, start: dt.date) -> bool:
        """Add the RECURRENCE-ID of a changed occurrence; False to leave it out."""
        moment = self._moment("RECURRENCE-ID", required=True)
        if moment is None:
            return False
        if not isinstance(moment, dt.datetime) and not isinstance(start, dt.datetime):
            return False  # a changed day of an all-day series: no meeting either
        if not isinstance(moment, dt.datetime) and isinstance(self.first, dt.datetime):
            # The day of a timed series: its occurrence that day, as for EXDATE.
            moment = dt.datetime.combine(moment, self.first.timetz())
        copy.add("RECURRENCE-ID", moment)
        if _range(self.source.component) is not None:
            # RANGE=THISANDFUTURE: the change is of this and the following ones.
            copy["RECURRENCE-ID"].params["RANGE"] = "THISANDFUTURE"
        return True

    def _timed(self, copy: Component, start: dt.datetime) -> bool:
        """Add the end, the rules and their dates; False when a rule is broken."""
        self._end(copy, start)
        for rule in self._rules(start):
            copy.add("RRULE", rule)
        if self.failed:
            return False
        for name in ("EXDATE", "RDATE"):
            for value in self._dates(name):
                copy.add(name, value)
        return True

    def _start(self) -> dt.date | None:
        value, twice = _one(self.source.component, "DTSTART")
        if twice:
            self.problem(f"{twice}; the event is left out", "DTSTART")
            return None
        if value is None:
            self.problem(
                "has no DTSTART, so it is not known when it happens; the event is "
                "left out"
            )
            return None
        moment = self._moment("DTSTART", required=True)
        if moment is None:
            return None
        day = moment.date() if isinstance(moment, dt.datetime) else moment
        if not _FIRST_DAY <= day <= _LAST_DAY:
            self.problem(
                f"DTSTART {moment.isoformat()} is outside the range of dates, "
                f"{_FIRST_DAY} to {_LAST_DAY}; the event is left out",
                "DTSTART",
            )
            return None
        return moment

    def _moment(self, name: str, *, required: bool) -> dt.date | None:
        """Return the zoned value of a date or date-time property, or None."""
        value, twice = _one(self.source.component, name)
        if twice:
            self.problem(f"{twice}; it is left out", name)
            return None
        if value is None:
            return None
        left_out = "the event is left out" if required else "it is left out"
        if self._unquoted(name, value, left_out):
            return None
        moment = None if _broken(value) else getattr(value, "dt", None)
        if not isinstance(moment, dt.date):
            self.problem(
                f"{name} {_text(value)!r} is not a date or date-time such as "
                f"20260105T100000; {left_out}",
                name,
            )
            return None
        return self._zoned(moment, getattr(value, "params", {}), name, left_out)

    def _unquoted(self, name: str, value: object, left_out: str) -> bool:
        """Whether property *name*'s TZID holds a comma unquoted: a problem if so.

        RFC 5545 (3.2) quotes a parameter value holding a comma, a semicolon
        or a colon; unquoted, a comma separates values, and the time zone
        named is neither of them.
        """
        tzid = (getattr(value, "params", None) or {}).get("TZID")
        if not isinstance(tzid, (list, tuple)):
            return False
        written = ",".join(str(part) for part in tzid)
        self.problem(
            f"{name}'s TZID parameter {written!r} holds a comma but is not quoted: "
            "RFC 5545 quotes a parameter value holding a comma, semicolon or "
            f'colon, as in TZID="{written}"; {left_out}',
            name,
        )
        return True

    def _zoned(
        self, moment: dt.date, params: Mapping[str, Any], name: str, left_out: str
    ) -> dt.date | None:
        if not isinstance(moment, dt.datetime):
            return moment
        tzid = params.get("TZID")
        if tzid:
            zone = self.zones.resolve(str(tzid))
            if zone is None:
                defined = (
                    "whose VTIMEZONE cannot be read"
                    if self.zones.defines(str(tzid))
                    else "which no VTIMEZONE of the file defines"
                )
                self.problem(
                    f"{name} is in time zone {str(tzid)!r}, which is no IANA, Windows "
                    f"or Outlook zone name and {defined}; {left_out}",
                    name,
                )
                return None
            return moment.replace(tzinfo=zone)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self._zone_without_zone(name))
        return moment

    def _zone_without_zone(self, name: str) -> dt.tzinfo:
        """Return the zone of property *name*'s times written without zone."""
        if name == "DTSTART":
            return self.default
        if name == "RECURRENCE-ID":
            return self.series or self.local
        return self.local

    def _end(self, copy: Component, start: dt.datetime) -> None:
        original = self.source.component
        if "DTEND" in original:
            end = self._moment("DTEND", required=False)
            if isinstance(end, dt.datetime) and end < start:
                self.problem(
                    f"DTEND {end.isoformat()} is before DTSTART {start.isoformat()}; "
                    "the length is not known",
                    "DTEND",
                )
            elif isinstance(end, dt.datetime):
                copy.add("DTEND", end)
            elif end is not None:
                self.problem(
                    f"DTEND {end.isoformat()} is a date but DTSTART a date-time; "
                    "the length is not known",
                    "DTEND",
                )
        elif "DURATION" in original:
            value, twice = _one(original, "DURATION")
            length = None if _broken(value) or twice else getattr(value, "dt", None)
            if not isinstance(length, dt.timedelta):
                self.problem(
                    f"DURATION {_text(value)!r} is not a length such as PT30M; the "
                    "length is not known",
                    "DURATION",
                )
            elif length < dt.timedelta(0):
                self.problem(
                    f"DURATION {_written(value)!r} is negative; the length is not "
                    "known",
                    "DURATION",
                )
            elif _overflows(start, length):
                self.problem(
                    f"DURATION {_written(value)!r} ends after the year 9999; the "
                    "length is not known",
                    "DURATION",
                )
            else:
                copy["DURATION"] = value

    def _rules(self, start: dt.datetime) -> list[Any]:
        """Return the event's recurrence rules, repaired where blanks broke them."""
        from icalendar.prop import vRecur  # noqa: PLC0415 - the extra loads when a calendar is read

        rules = []
        for value in _all(self.source.component, "RRULE"):
            read = isinstance(value, vRecur)
            text = _rule_text_of(value) if read else _text(value)
            try:
                recur = value if read else vRecur.from_ical(_repair_rule(text))
                parts = _rule_parts(recur)
                _check_rule(parts, recur)
                rule = _Rule(parts, _until(recur, start.tzinfo))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    next(rule.walk(start, _HORIZON), None)
            except Exception as e:  # noqa: BLE001 - any failure is the rule's
                reason = str(e).strip() or type(e).__name__
                self.problem(
                    f"RRULE {text!r} is not a recurrence rule such as "
                    f"FREQ=WEEKLY;BYDAY=MO,TH ({reason}); the event is left out",
                    "RRULE",
                )
                self.failed = True
                continue
            until = (recur.get("UNTIL") or [None])[0]
            if (
                isinstance(until, dt.datetime)
                and until.tzinfo is None
                and start.tzinfo is not None
                and rule.until is not None
            ):
                # RFC 5545 writes it in UTC when DTSTART has a zone; written
                # without one, it is the series' time, as the cadence reads it.
                recur = vRecur(recur)
                recur["UNTIL"] = [rule.until.astimezone(_UTC)]
            rules.append(recur)
        return rules

    def _dates(self, name: str) -> list[Any]:
        found = []
        for value in _all(self.source.component, name):
            if self._unquoted(name, value, "it is left out"):
                continue
            dates = None if _broken(value) else getattr(value, "dts", None)
            if dates is None:
                self.problem(
                    f"{name} {_text(value)!r} is not a list of dates or date-times; "
                    "it is left out",
                    name,
                )
                continue
            for item in dates:
                moment = getattr(item, "dt", None)
                params = getattr(item, "params", None) or getattr(value, "params", {})
                if isinstance(moment, tuple):  # a PERIOD of RDATE: its start
                    moment = moment[0]
                if isinstance(moment, dt.date):
                    zoned = self._zoned(moment, params, name, "it is left out")
                    if zoned is not None:
                        found.append(zoned)
        return found


def _check_rule(parts: Mapping[str, str], recur: Any) -> None:
    """Raise ValueError for what RFC 5545 (3.3.10) forbids but dateutil takes.

    INTERVAL below 1 makes dateutil search to the year 9999 or fail half-way;
    COUNT with UNTIL gives two ends; without FREQ, dateutil names its own
    argument.
    """
    if "FREQ" not in parts:
        msg = "FREQ is missing: a rule names how often it repeats, such as FREQ=WEEKLY"
        raise ValueError(msg)
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        msg = f"INTERVAL must be a positive whole number, got {interval}"
        raise ValueError(msg)
    if "COUNT" in parts and recur.get("UNTIL"):
        msg = "COUNT and UNTIL exclude each other"
        raise ValueError(msg)


def _range(component: Component) -> str | None:
    """Return the RANGE of the event's RECURRENCE-ID (``THISANDFUTURE``), if any."""
    value = component.get("RECURRENCE-ID")
    params = getattr(value, "params", None) or {}
    extent = str(params.get("RANGE", "")).upper()
    return extent if extent == "THISANDFUTURE" else None


def _overflows(start: dt.datetime, length: dt.timedelta) -> bool:
    """Whether *start* plus *length* lies beyond the last year Python counts."""
    try:
        start + length  # computed for the error it may raise
    except OverflowError:
        return True
    return False


def _facts(source: _Source, component: Component, *, floating: bool) -> _Event:
    """Return the facts of a cleaned event."""
    start = _value(component, "DTSTART").dt
    end = None
    if "DTEND" in component:
        end = _value(component, "DTEND").dt
    elif "DURATION" in component and isinstance(start, dt.datetime):
        end = start + _value(component, "DURATION").dt
    zone = start.tzinfo if isinstance(start, dt.datetime) else None
    rules = tuple(
        _Rule(_rule_parts(r), _until(r, zone)) for r in _all(component, "RRULE")
    )
    rid = _value(component, "RECURRENCE-ID")
    excluded = [d.dt for value in _all(component, "EXDATE") for d in value.dts]
    exdates = tuple(d for d in excluded if isinstance(d, dt.datetime))
    return _Event(
        source=source,
        component=component,
        start=start,
        end=end if isinstance(end, dt.datetime) else None,
        floating=floating,
        rules=rules,
        recurrence_id=None if rid is None else rid.dt,
        cancelled=_text(_value(component, "STATUS")).upper() == "CANCELLED",
        exdates=exdates,
        exdays=tuple(d for d in excluded if not isinstance(d, dt.datetime)),
    )


# -- What the events say ---------------------------------------------------------------


@attrs.frozen
class _Ref:
    """The zone a cadence is written in: an IANA name, UTC, or floating."""

    zone: dt.tzinfo
    name: str | None

    @property
    def floating(self) -> bool:
        return self.name is None

    def wall(self, moment: dt.datetime) -> dt.datetime:
        """Return *moment* on this zone's wall clock."""
        return moment if self.floating else moment.astimezone(self.zone)

    def dtstart(self, moment: dt.datetime) -> str:
        wall = f"{self.wall(moment):%Y%m%dT%H%M%S}"
        if self.floating:
            return f"DTSTART:{wall}"
        if self.name == "UTC":
            return f"DTSTART:{wall}Z"
        return f"DTSTART;TZID={self.name}:{wall}"

    def until(self, moment: dt.datetime) -> str:
        if self.floating:
            return f"{moment:%Y%m%dT%H%M%S}"
        return f"{moment.astimezone(_UTC):%Y%m%dT%H%M%S}Z"


@attrs.frozen
class _Stretch:
    """The part of a series a change of "this and following" sets apart.

    The occurrences of the series' *rule*, from its *master*'s start, in
    [*since*, *before*) (None: unbounded), each moved by *move*: the change's
    new start less the occurrence it changes (RFC 5545, RANGE=THISANDFUTURE).
    """

    master: _Event
    rule: _Rule
    since: dt.datetime | None
    before: dt.datetime | None
    move: dt.timedelta


@attrs.define(eq=False)
class _Series:
    """One recurrence rule of a series the importer took, with its exceptions.

    A series changed "this and following" is taken as several, one for each
    *stretch* of it, each with its own rule and start: its event is the
    change's (the master's, for the stretch before the first change).
    """

    event: _Event
    rule: _Rule
    #: (regular time, ``deleted`` | ``cancelled`` | ``moved``, new time, event)
    exceptions: list[tuple[dt.datetime, str, dt.datetime | None, _Source]]
    stretch: _Stretch | None = None
    _last: tuple[dt.datetime | None] | None = None
    #: Whether the rule is bounded but occurs past the horizon.
    _endless: bool = False
    #: The occurrences worked out so far, in order, and the rest to come: every
    #: comparison of a plan reads them again, from the start.
    _known: list[dt.datetime] = attrs.field(factory=list)
    _rest: Iterator[dt.datetime] | None = None
    #: The same in UTC, as far as they were asked for in UTC.
    _known_utc: list[dt.datetime] = attrs.field(factory=list)

    @property
    def start(self) -> dt.datetime:
        """The first occurrence: the event's start, or where a change moves it.

        A change of "this and following" moves the following occurrences on
        the wall clock of the series' zone, whatever zone its own start is in.
        """
        stretch = self.stretch
        if stretch is None or stretch.since is None:
            return self.event.start
        return stretch.since + stretch.move

    def last(self) -> dt.datetime | None:
        """Return the last occurrence of a bounded rule, else None.

        A rule with more occurrences than are ever compared, or occurring past
        the horizon, counts as unbounded.
        """
        if self._last is None:
            last = None
            if "COUNT" in self.rule.parts or self.rule.until is not None:
                count = 0
                for count, moment in enumerate(self.moments(), 1):  # noqa: B007
                    last = moment
                if last is not None and last.replace(tzinfo=None) >= _HORIZON:
                    self._endless = True
                if count > _MAX_CHECKED or self._endless:
                    last = None
            self._last = (last,)
        return self._last[0]

    def first(self) -> dt.datetime | None:
        """Return the first occurrence, else None (the rule never occurs)."""
        known = self._known
        if not known:
            if self._rest is None:
                self._rest = self.moments()
            moment = next(self._rest, None)
            if moment is None:
                return None
            known.append(moment)
        return known[0]

    @property
    def endless(self) -> bool:
        """Whether the rule has COUNT or UNTIL but occurs past the range of dates."""
        self.last()
        return self._endless

    @property
    def master(self) -> _Event:
        """The event whose rule the series' occurrences come from."""
        return self.event if self.stretch is None else self.stretch.master

    @property
    def move(self) -> dt.timedelta:
        """How far the series' occurrences lie from those of its master's rule."""
        return dt.timedelta(0) if self.stretch is None else self.stretch.move

    def moments(self) -> Iterator[dt.datetime]:
        """Yield the occurrences in order, at most one more than are ever compared.

        They are worked out up to the horizon (see :meth:`_Rule.walk`); iteration
        stops quietly where dateutil fails on the rule.
        """
        move = self.move
        if not move:
            yield from self.origins()
            return
        for moment in self.origins():
            yield moment + move

    def origins(self) -> Iterator[dt.datetime]:
        """Yield the occurrences of the master's rule the series' are, unmoved."""
        stretch = self.stretch
        with contextlib.suppress(ValueError, OverflowError):
            if stretch is None:
                walked = self.rule.walk(self.start, _HORIZON)
            else:
                since, before = stretch.since, stretch.before
                walked = stretch.rule.walk(stretch.master.start, _HORIZON)
                if since is not None:
                    walked = itertools.dropwhile(lambda m: m < since, walked)
                if before is not None:
                    walked = itertools.takewhile(lambda m: m < before, walked)
            yield from itertools.islice(walked, _MAX_CHECKED + 1)

    def between(
        self, start: dt.datetime, end: dt.datetime, cap: int
    ) -> list[dt.datetime]:
        """Return at most *cap* occurrences in [start, end), in order."""
        known = self._known
        if self._rest is None:
            self._rest = self.moments()
        while not known or known[-1] < end:
            moment = next(self._rest, None)
            if moment is None:
                break
            known.append(moment)
        first = bisect.bisect_left(known, start)
        last = min(bisect.bisect_left(known, end), first + cap)
        return known[first:last]

    def between_utc(
        self, start: dt.datetime, end: dt.datetime, cap: int
    ) -> list[dt.datetime]:
        """Return :meth:`between` in UTC."""
        found = self.between(start, end, cap)
        if not found:
            return found
        known, utc = self._known, self._known_utc
        first = bisect.bisect_left(known, found[0])
        last = first + len(found)
        if len(utc) < last:
            utc.extend(m.astimezone(_UTC) for m in known[len(utc) : last])
        return utc[first:last]

    def dominance(
        self, cut: dt.datetime | None
    ) -> tuple[bool, float, dt.datetime, int]:
        """Sort key: active series first, then the densest, the earliest, the first."""
        last = self.last()
        active = last is None or cut is None or last >= cut
        span = _YEAR if last is None else min(_YEAR, last - self.start + _DAY)
        end = _later(self.start, span)
        count = len(self.between(self.start, end, _MAX_CHECKED))
        rate = count / max(span / _WEEK, 1.0)
        return (not active, -rate, self.start, self.event.source.index)


@attrs.frozen
class _Plan:
    """The cadence of the series taken together, and the series left beside it."""

    text: str
    series: tuple[_Series, ...]
    others: tuple[tuple[_Series, str | None], ...]


class _Builder:
    """Turns the events taken into the engagement fragment."""

    def __init__(
        self,
        reader: _Reader,
        groups: Mapping[str, list[_Event]],
        sources: list[_Source],
    ) -> None:
        self.reader = reader
        self.settings = reader.settings
        self.groups = groups
        self.sources = sources
        self.by_index = {e.source.index: e for g in groups.values() for e in g}
        self.reason: str | None = None
        #: The series too dense to log, by their event: why, for the problem;
        #: those said so with the plan's problem.
        self.unlogged: dict[int, str] = {}
        self.said: dict[int, str] = {}

    def build(self) -> None:
        cut = self._cut()
        log = self._log(cut)
        plan = self._plan(self._series(), cut)
        for index, why in self.unlogged.items():
            self.reader.problems.of(
                self.by_index[index].source, f"{why}; none are logged", "RRULE"
            )
        channels = self._channels()
        self._write(plan, log, channels)

    # -- display ---------------------------------------------------------------------

    def iso(self, moment: dt.date, *, floating: bool) -> str:
        """Write a moment in ISO 8601: in the ``timezone`` option's zone if given.

        A floating time stays floating (no offset), so the engagement reads it in
        its client's zone; a date (an all-day event) is written as the date.
        """
        if not isinstance(moment, dt.datetime):
            return moment.isoformat()
        zone = self.settings.zone
        if floating and zone is None:
            shown = moment.replace(tzinfo=None)
        elif zone is not None:
            shown = moment.astimezone(zone)
        else:
            shown = moment
        spec = "seconds" if shown.second else "minutes"
        return shown.isoformat(timespec=spec)

    # -- the log ----------------------------------------------------------------------

    def _cut(self) -> dt.datetime | None:
        """Return the moment the log stops at (exclusive).

        The ``until`` option, else the file's newest DTSTAMP or LAST-MODIFIED
        (when it was exported or last changed), else its last start or end.
        """
        if self.settings.until is not None:
            return self.settings.until
        stamps = self._stamps()
        if stamps:
            return _later(max(stamps), _MICROSECOND)
        ends = []
        for events in self.groups.values():
            for event in filter(_timed, events):
                ends.append(event.start)
                for rule in event.rules:
                    last = _Series(event, rule, []).last()
                    if last is not None:
                        ends.append(last)
        return _later(max(ends), _MICROSECOND) if ends else None

    def _stamps(self) -> list[dt.datetime]:
        """Return the DTSTAMP and LAST-MODIFIED moments in the range of dates."""
        stamps = []
        for source in self.sources:
            for name in ("DTSTAMP", "LAST-MODIFIED"):
                value = _value(source.component, name)
                moment = None if _broken(value) else getattr(value, "dt", None)
                if not isinstance(moment, dt.datetime):
                    continue
                if not _FIRST_DAY <= moment.date() <= _LAST_DAY:
                    self.reader.problems.of(
                        source,
                        f"{name} {moment.isoformat()} is outside the range of dates, "
                        f"{_FIRST_DAY} to {_LAST_DAY}; it is not taken for when the "
                        "calendar was exported",
                        name,
                    )
                    continue
                stamps.append(moment if moment.tzinfo else moment.replace(tzinfo=_UTC))
        return stamps

    def _log(
        self, cut: dt.datetime | None
    ) -> list[tuple[dt.datetime, _Event, str | None]]:
        """Return the occurrences before *cut*: (time, event, organizer's side)."""
        if cut is None:
            return []
        found = []
        for events in self.groups.values():
            master = next((e for e in events if e.recurrence_id is None), None)
            if master is not None and (master.cancelled or not _timed(master)):
                continue
            occurring = None if master is None else self._occurring(master, cut)
            if master is not None and occurring is None:
                continue
            starts = [e.start for e in events if _timed(e)]
            if not starts:
                continue  # a changed occurrence made an all-day event: no meeting
            first = _later(min(starts), -_DAY)
            if first < cut:
                found.extend(self._logged(events, master, occurring, (first, cut)))
        found.sort(key=lambda f: (f[0].astimezone(_UTC), f[1].source.index))
        return found

    def _logged(
        self,
        events: Sequence[_Event],
        master: _Event | None,
        occurring: Sequence[bool] | None,
        span: tuple[dt.datetime, dt.datetime],
    ) -> list[tuple[dt.datetime, _Event, str | None]]:
        """Return the occurrences of one series in *span*, as :meth:`_log`.

        *occurring* says which of the master's rules occur in it: only those
        are given to recurring-ical-events.
        """
        import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read
        import recurring_ical_events  # noqa: PLC0415

        first, cut = span
        calendar = icalendar.Calendar()
        for event in events:
            component = event.component
            if event is master and occurring is not None:
                component = _with_rules(component, occurring)
            calendar.add_component(component)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                occurrences = recurring_ical_events.of(
                    calendar, components=[_logged_events()]
                ).between(first, cut)
        except Exception as e:  # noqa: BLE001 - any failure is the series'
            self.reader.problems.of(
                (master or events[0]).source,
                f"its occurrences cannot be worked out ({type(e).__name__}: {e}); "
                "none are logged",
            )
            return []
        found = []
        for occurrence in occurrences:
            start = _value(occurrence, "DTSTART").dt
            event = self.by_index[int(str(_value(occurrence, _MARK)))]
            cancelled = _text(_value(occurrence, "STATUS")).upper() == "CANCELLED"
            if cancelled or not isinstance(start, dt.datetime) or start >= cut:
                continue
            organizer = _listed(_value(occurrence, "ORGANIZER"))
            address = _address(organizer[0]) if organizer else None
            side = None if address is None else self.reader.side(address)
            found.append((start, event, side))
        return found

    def _occurring(self, master: _Event, cut: dt.datetime) -> list[bool] | None:
        """Return whether each rule of the series occurs before *cut*.

        None when one has too many occurrences to log them.
        """
        occurring = []
        for rule in master.rules:
            series = _Series(master, rule, [])
            found = series.between(master.start, cut, MAX_LOGGED_PER_SERIES + 1)
            if len(found) > MAX_LOGGED_PER_SERIES:
                # The problem is told with the plan's, which may be of it too.
                self.unlogged[master.source.index] = (
                    f"the series has more than {MAX_LOGGED_PER_SERIES:,} occurrences "
                    f"before {self.iso(cut, floating=False)}"
                )
                return None
            occurring.append(bool(found))
        return occurring

    # -- the plan ---------------------------------------------------------------------

    def _series(self) -> list[_Series]:
        """Return every recurrence rule of the series taken, with its exceptions."""
        found = []
        for events in self.groups.values():
            master = next((e for e in events if e.recurrence_id is None), None)
            if master is None or master.cancelled or not _timed(master):
                continue
            onward = _changes_onward(master, events)
            for rule in master.rules:
                for series in _stretches(master, rule, onward):
                    series.exceptions = _exceptions(series, events)
                    found.append(series)
        return found

    def _plan(self, series: list[_Series], cut: dt.datetime | None) -> _Plan | None:
        """Combine the series into one cadence where that is exact; keep the rest."""
        written: list[tuple[_Series, str]] = []
        for one in series:
            text = self._express([one], cut)
            if text is None:
                self._not_planned(one)
                continue
            written.append((one, text))
        if not written:
            return None
        written.sort(key=lambda w: w[0].dominance(cut))
        combined = [written[0][0]]
        text = written[0][1]
        others: list[tuple[_Series, str | None]] = []
        failed = 0
        for one, own in written[1:]:
            # Each join tried costs more as the rule grows: after so many
            # failures, the others are kept apart untried.
            joined = (
                self._express([*combined, one], cut)
                if failed < _MAX_JOIN_FAILURES
                else None
            )
            if joined is None:
                failed += 1
                others.append((one, own))
            else:
                combined.append(one)
                text = joined
        return _Plan(text, tuple(combined), tuple(others))

    def _not_planned(self, one: _Series) -> None:
        """Say that *one* cannot be planned, and, if so, that it is not logged."""
        source = one.event.source
        message = "its RRULE cannot be written as a cadence"
        if one.stretch is not None and one.stretch.since is not None:
            message = (
                "its RRULE, as this change moves it from this occurrence on, cannot "
                "be written as a cadence"
            )
        if self.reason:
            message += f" ({self.reason})"
        unlogged = self.unlogged.pop(source.index, None) or self.said.get(source.index)
        if unlogged is None:
            message += "; the series is logged but not planned"
        else:
            self.said[source.index] = unlogged
            message += f", and {unlogged}; it is neither planned nor logged"
        self.reader.problems.of(source, message, "RRULE", "RECURRENCE-ID")

    def _refs(self, series: Sequence[_Series]) -> list[_Ref]:
        """Return the zones to try writing *series* in, the client's first."""
        if any(s.event.floating for s in series):
            if all(s.event.floating for s in series):
                return [_Ref(series[0].start.tzinfo or _UTC, None)]
            return []
        refs = []
        zone = self.settings.zone
        if zone is not None and _zone_name(zone) is not None:
            refs.append(_Ref(zone, _zone_name(zone)))
        for one in series:
            name = _zone_name(one.start.tzinfo)
            if name is not None and one.start.tzinfo is not None:
                refs.append(_Ref(one.start.tzinfo, name))
        refs.append(_Ref(_UTC, "UTC"))
        unique: dict[str | None, _Ref] = {}
        for ref in refs:
            unique.setdefault(ref.name, ref)
        return list(unique.values())

    def _express(
        self, series: Sequence[_Series], cut: dt.datetime | None
    ) -> str | None:
        """Return a cadence with exactly the occurrences of *series*, or None."""
        self.reason = None
        if any(s.endless for s in series):
            self.reason = (
                f"it ends after the range of dates, {_FIRST_DAY} to {_LAST_DAY}"
            )
            return None
        truth = _truth(series, _window(series, cut))
        if truth is None:
            self.reason = "it never occurs"
            return None
        window = truth[1]
        # A join is tried on the weeks around the last start first: most fail
        # there, without expanding a cadence over decades.
        near = (window[0], min(window[1], _later(max(s.start for s in series), _NEAR)))
        near_truth = [m for m in truth[0] if m < near[1]]
        for ref in self._refs(series):
            text = _candidate(series, ref)
            if text is None:
                continue
            if len(series) > 1 and _moments_to_check(text, window) > _MAX_JOIN_CHECKED:
                self.reason = "joining them would be checked at too many moments"
                continue
            got = self._occurrences(text, ref, near)
            if got is None:
                continue
            if got == near_truth and self._occurrences(text, ref, window) == truth[0]:
                return text
            refined = _by_position(text, series, ref, got, near_truth)
            if (
                refined is not None
                and self._occurrences(refined, ref, near) == near_truth
                and self._occurrences(refined, ref, window) == truth[0]
            ):
                return refined
        return None

    def _occurrences(
        self, text: str, ref: _Ref, window: tuple[dt.datetime, dt.datetime]
    ) -> list[dt.datetime] | None:
        """Return the cadence's occurrences in *window* (UTC, sorted), or None."""
        try:
            cadence = Cadence.parse(text)
        except ValueParseError as e:
            self.reason = e.hint or str(e)
            return None
        start, end = window
        anchor = start.astimezone(ref.zone)
        found = cadence.occurrences(anchor, start, end)
        return sorted(m.astimezone(_UTC) for m in found)

    # -- channels ---------------------------------------------------------------------

    def _channels(self) -> list[tuple[str, _Source, str]]:
        """Return the video services linked to: (name, first event, property)."""
        counts: collections.Counter[str] = collections.Counter()
        first: dict[str, tuple[int, _Source, str]] = {}
        for events in self.groups.values():
            seen: set[str] = set()
            for event in events:
                for name, prop in _services(event.source.component):
                    if name in seen:
                        continue
                    seen.add(name)
                    line = event.source.line(prop) or 0
                    if name not in first or line < first[name][0]:
                        first[name] = (line, event.source, prop)
            counts.update(seen)
        order = sorted(counts, key=lambda n: (-counts[n], first[n][0], n))
        return [(name, first[name][1], first[name][2]) for name in order]

    # -- the fragment -----------------------------------------------------------------

    def _place(self, path: tuple[str | int, ...], source: _Source, *names: str) -> None:
        """Locate the value at *path*: the line of the first property *names* given."""
        line = source.line(*names)
        if line is not None:
            self.reader.lines[path] = line
        self.reader.where[path] = source.where

    def _write(
        self,
        plan: _Plan | None,
        log: list[tuple[dt.datetime, _Event, str | None]],
        channels: list[tuple[str, _Source, str]],
    ) -> None:
        """Write the fragment: ``communication`` and the ``check_ins`` log."""
        communication: dict[str, Any] = {}
        if plan is not None:
            self._write_plan(communication, plan)
        else:
            lengths = collections.Counter(
                e.length for _, e, _ in log if e.length is not None
            )
            if lengths:
                length = min(lengths, key=lambda d: (-lengths[d], d))
                communication["check_in_length"] = _length_text(length)
        if channels:
            communication["channels"] = []
            for i, (name, source, prop) in enumerate(channels):
                communication["channels"].append({"name": name, "kind": "video"})
                self._place(("communication", "channels", i), source, prop)
        if plan is not None:
            self._write_beside(communication, plan)
        if communication:
            self.reader.data["communication"] = communication
        if log:
            self._write_log(log)

    def _write_plan(self, communication: dict[str, Any], plan: _Plan) -> None:
        """Write the cadence and the length of its series' meetings."""
        lead = plan.series[0].event
        communication["check_ins"] = plan.text
        self._place(
            ("communication", "check_ins"), lead.source, "RRULE", "RECURRENCE-ID"
        )
        length = lead.length or next(
            (s.event.length for s in plan.series if s.event.length), None
        )
        if length is not None:
            communication["check_in_length"] = _length_text(length)
            path = ("communication", "check_in_length")
            self._place(path, lead.source, "DTEND", "DURATION")

    def _write_beside(self, communication: dict[str, Any], plan: _Plan) -> None:
        """Write what the cadence cannot say: exceptions, and the other series."""
        exceptions = sorted(
            (x for s in plan.series for x in s.exceptions),
            key=lambda x: x[0].astimezone(_UTC),
        )
        if exceptions:
            communication["x-ics-exceptions"] = [self._exception(x) for x in exceptions]
            for i, exception in enumerate(exceptions):
                path = ("communication", "x-ics-exceptions", i)
                self._place(path, exception[3], "RECURRENCE-ID", "EXDATE")
        if plan.others:
            communication["x-ics-series"] = [
                self._other(one, text) for one, text in plan.others
            ]
            for i, (one, _) in enumerate(plan.others):
                path = ("communication", "x-ics-series", i)
                self._place(path, one.event.source, "RRULE", "RECURRENCE-ID")

    def _write_log(self, log: list[tuple[dt.datetime, _Event, str | None]]) -> None:
        """Write the check-ins that took place; one moment and party once.

        A moment is the same in any zone (11:00 in London is 19:00 in Manila);
        a floating time is the same wall clock only.
        """
        entries: list[dict[str, Any]] = []
        seen: set[tuple[dt.datetime, bool, str | None]] = set()
        for moment, event, side in log:
            same = moment.replace(tzinfo=None) if event.floating else moment
            if (same, event.floating, side) in seen:
                continue
            seen.add((same, event.floating, side))
            entry: dict[str, Any] = {"at": self.iso(moment, floating=event.floating)}
            if side is not None:
                entry["by"] = side
            self._place(("check_ins", len(entries)), event.source)
            entries.append(entry)
        self.reader.data["check_ins"] = entries

    def _exception(
        self, exception: tuple[dt.datetime, str, dt.datetime | None, _Source]
    ) -> dict[str, Any]:
        moment, status, moved_to, source = exception
        floating = self.by_index[source.index].floating
        entry: dict[str, Any] = {
            "at": self.iso(moment, floating=floating),
            "status": status,
        }
        if moved_to is not None:
            entry["moved_to"] = self.iso(moved_to, floating=floating)
        return entry

    def _other(self, series: _Series, text: str | None) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        source = series.event.source
        if source.summary:
            entry["summary"] = source.summary
        if source.uid:
            entry["uid"] = source.uid
        if text is not None:
            entry["check_ins"] = text
        if series.event.length is not None:
            entry["check_in_length"] = _length_text(series.event.length)
        if series.exceptions:
            entry["exceptions"] = [self._exception(x) for x in series.exceptions]
        return entry


def _timed(event: _Event) -> bool:
    return isinstance(event.start, dt.datetime)


def _with_rules(component: Component, occurring: Sequence[bool]) -> Component:
    """Return the event with only the RRULEs that occur before the log's end.

    The others add nothing to the log, and recurring-ical-events would search
    them to the year 9999 for an occurrence.
    """
    import icalendar  # noqa: PLC0415 - the extra loads when a calendar is read

    if all(occurring):
        return component
    kept = icalendar.Event()
    for name, value in component.items():
        if name.upper() != "RRULE":
            kept[name] = value
    for rule, occurs in zip(_all(component, "RRULE"), occurring, strict=True):
        if occurs:
            kept.add("RRULE", rule)
    return kept


def _exceptions(
    series: _Series, events: Sequence[_Event]
) -> list[tuple[dt.datetime, str, dt.datetime | None, _Source]]:
    """Return the occurrences of *series* the calendar deletes, cancels or moves.

    Each at its time in the series' zone: an EXDATE in another zone deletes the
    occurrence at that moment, and an EXDATE that is a date those of that day.
    """
    zone, move, master = series.start.tzinfo, series.move, series.master
    changed = [e for e in events if isinstance(e.recurrence_id, dt.datetime)]
    ids = [e.recurrence_id for e in changed if e.recurrence_id is not None]
    exdates, exdays = master.exdates, master.exdays
    # The calendar names occurrences as its rule has them; a series a change of
    # "this and following" moved has them later or earlier by as much.
    regular = _occurring(series, [*exdates, *ids], exdays)
    deleted = {
        moment for moment in regular if moment in exdates or moment.date() in exdays
    }
    # A change of an occurrence deleted by its day is in the log, as moved.
    deleted -= {moment for moment in ids if moment not in exdates}
    found: list[tuple[dt.datetime, str, dt.datetime | None, _Source]] = [
        ((moment + move).astimezone(zone), "deleted", None, master.source)
        for moment in deleted
    ]
    for event in changed:
        moment = event.recurrence_id
        if moment is None or moment not in regular or moment in exdates:
            continue  # a change of an occurrence deleted is deleted, as logged
        planned = (moment + move).astimezone(zone)
        if event.cancelled:
            found.append((planned, "cancelled", None, event.source))
        elif event.start != moment + move:
            found.append((planned, "moved", event.start, event.source))
    return sorted(found, key=lambda x: x[0].astimezone(_UTC))


def _changes_onward(
    master: _Event, events: Sequence[_Event]
) -> list[tuple[dt.datetime, _Event]]:
    """Return the changes of "this and following" occurrences of *master*'s series.

    Each with the occurrence it changes, in order: those of RANGE=THISANDFUTURE
    that move it, or cancel it, and with it the following ones. A change of an
    occurrence the series does not have, or deletes, changes that one alone.
    """
    changes = {
        event.recurrence_id: event
        for event in events
        if isinstance(event.recurrence_id, dt.datetime)
        and _range(event.component) is not None
        and (event.cancelled or event.start != event.recurrence_id)
        and event.recurrence_id not in master.exdates
    }
    if not changes:
        return []
    regular: set[dt.datetime] = set()
    for rule in master.rules:
        regular |= _occurring(_Series(master, rule, []), list(changes))
    return sorted(
        ((moment, event) for moment, event in changes.items() if moment in regular),
        key=lambda change: change[0].astimezone(_UTC),
    )


def _stretches(
    master: _Event, rule: _Rule, onward: Sequence[tuple[dt.datetime, _Event]]
) -> list[_Series]:
    """Return the series of *master*'s *rule*, one for each stretch *onward* sets.

    Before the first change, the rule's occurrences; from each change that
    moves them, the next ones moved as it moves its own, with the change's
    length, until the next change: a rule with its days and time of day moved
    too. A cancelled change cancels them. When a rule cannot be moved (by days,
    a rule of other than weekly or daily meetings, or of days of the month;
    by a time of day, a rule of its own times), the series is the rule's own,
    with the moved occurrences in its exceptions. A stretch without occurrences
    is left out.
    """
    whole = [_Series(master, rule, [])]
    if not onward:
        return whole
    bounds = [moment for moment, _ in onward]
    nothing = dt.timedelta(0)
    found = [
        _Series(
            master,
            _Rule(rule.parts, _earlier(rule.until, bounds[0] - _MICROSECOND)),
            [],
            _Stretch(master, rule, None, bounds[0], nothing),
        )
    ]
    for n, (moment, change) in enumerate(onward):
        if change.cancelled:
            continue
        move = change.start - moment
        before = bounds[n + 1] if n + 1 < len(bounds) else None
        parts = _moved_on(rule.parts, moment, moment + move)
        if parts is None:
            return whole
        until = rule.until
        if before is not None:
            until = _earlier(until, before - _MICROSECOND)
        moved = None if until is None else until + move
        found.append(
            _Series(
                change,
                _Rule(parts, moved),
                [],
                _Stretch(master, rule, moment, before, move),
            )
        )
    return [series for series in found if series.first() is not None]


def _earlier(one: dt.datetime | None, other: dt.datetime) -> dt.datetime:
    """Return the earlier of two moments, *one* being none at all when None."""
    return other if one is None else min(one, other)


def _moved_on(
    parts: Mapping[str, str], moment: dt.datetime, moved: dt.datetime
) -> dict[str, str] | None:
    """Return a rule's *parts* for its occurrences moved as *moment* is, to *moved*.

    Its weekdays move with the day (only in a weekly or daily rule without
    days of the month, as in a move to another zone); its time of day is the
    new start's, unless the rule names its own. None when it cannot move.
    """
    found = dict(parts)
    days = (moved.date() - moment.date()).days
    if moved.time() != moment.time() and found.keys() & _TIME_PARTS:
        return None
    if days and (found["FREQ"] not in {"WEEKLY", "DAILY"} or found.keys() & _DATED):
        return None
    if days and "BYDAY" in found:
        shifted = _shift_days(found["BYDAY"], days)
        if shifted is None:
            return None
        found["BYDAY"] = shifted
    return found


def _occurring(
    series: _Series, moments: Sequence[dt.datetime], days: Sequence[dt.date] = ()
) -> set[dt.datetime]:
    """Return those of *moments* that are occurrences of *series*' rule.

    And its occurrences on *days*, by the wall clock of its zone. The rule is
    run once, up to the last of them (at most as far as the occurrences
    compared elsewhere). Occurrences are the rule's own, before a change of
    "this and following" moves them, as the calendar names them.
    """
    if not moments and not days:
        return set()
    wanted = set(moments)
    ends = list(moments)
    zone = series.start.tzinfo
    ends.extend(dt.datetime.combine(day, dt.time.max, zone) for day in days)
    last = max(ends)
    found = set()
    for moment in series.origins():
        if moment > last:
            break
        if moment in wanted or moment.date() in days:
            found.add(moment)
    return found


def _window(
    series: Sequence[_Series], cut: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    """Return where a cadence for *series* is compared with them.

    From the first start to a while after every start, first occurrence, end
    and the log's cut, so that a rule that ends or begins later is seen doing
    so (a rule of leap days may first occur years after its start); at most up
    to the horizon.
    """
    start = min(s.start for s in series)
    ends = [s.start for s in series]
    ends.extend(first for s in series if (first := s.first()) is not None)
    ends.extend(last for s in series if (last := s.last()) is not None)
    if cut is not None:
        ends.append(cut)
    # Occurrences are worked out up to the horizon, a wall clock: a day before
    # it, in UTC, every zone's are.
    horizon = (_HORIZON - _DAY).replace(tzinfo=_UTC)
    return start, min(_later(max(ends), _CHECK_SPAN), horizon)


def _later(moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """Return *moment* + *delta*, or the first or last moment there is."""
    try:
        return moment + delta
    except OverflowError:
        if delta > dt.timedelta(0):
            return dt.datetime.max.replace(tzinfo=moment.tzinfo)
        return dt.datetime.min.replace(tzinfo=moment.tzinfo)


def _truth(
    series: Sequence[_Series], window: tuple[dt.datetime, dt.datetime]
) -> tuple[list[dt.datetime], tuple[dt.datetime, dt.datetime]] | None:
    """Return the occurrences of *series* in *window* (UTC, sorted), or None if empty.

    A window holding more than can be compared is cut short after the
    occurrences that can; the shorter window is returned with them.
    """
    start, end = window
    each: list[list[dt.datetime]] = []
    for one in series:
        moments = one.between_utc(start, end, _MAX_CHECKED)
        if len(moments) == _MAX_CHECKED:
            end = min(end, moments[-1])
        each.append(moments)
    # Each series' occurrences come in the order of their local times: in UTC
    # that order holds but where a clock goes back within a series' interval,
    # so each one is compared with the end.
    found: set[dt.datetime] = set()
    for moments in each:
        found.update(m for m in moments if m < end)
    if not found:
        return None
    return sorted(found), (start, end)


def _shift_days(days: str, shift: int) -> str | None:
    """Return BYDAY moved by *shift* days, or None when it holds numbered days."""
    moved = []
    for day in days.split(","):
        if day not in _DAYS:
            return None
        moved.append(_DAYS[(_DAYS.index(day) + shift) % 7])
    return ",".join(sorted(set(moved), key=_DAYS.index))


def _candidate(series: Sequence[_Series], ref: _Ref) -> str | None:
    """Return one RRULE (with DTSTART) for *series* written in *ref*'s zone.

    Each rule is moved to the zone (its weekdays and time of day); then their
    days and times of day are joined. Whether the result is exact is for the
    caller to check.
    """
    rules = []
    for one in series:
        parts = _moved_rule(one, ref)
        if parts is None:
            return None
        rules.append(parts)
    joined = _join(rules)
    if joined is None:
        return None
    lasts = [s.last() for s in series]
    bounded = any("COUNT" in s.rule.parts or s.rule.until is not None for s in series)
    if bounded and all(last is not None for last in lasts):
        joined["UNTIL"] = ref.until(max(last for last in lasts if last is not None))
    first = min(series, key=lambda s: s.start.astimezone(_UTC)).start
    return f"{ref.dtstart(first)} RRULE:{_rule_text(joined)}"


def _moved_rule(one: _Series, ref: _Ref) -> dict[str, str] | None:
    """Return the parts of *one*'s rule in *ref*'s zone, with its time of day.

    A rule moves to another zone only when its days are weekdays, which move
    with the day its start falls on there; None when it cannot move.
    """
    parts = {k: v for k, v in one.rule.parts.items() if k != "COUNT"}
    wall = ref.wall(one.start)
    if not ref.floating and _zone_name(one.start.tzinfo) != ref.name:
        if parts.keys() & _TIME_PARTS:
            return None
        shift = (wall.date() - one.start.date()).days
        if shift and (
            parts["FREQ"] not in {"WEEKLY", "DAILY"} or parts.keys() & _DATED
        ):
            return None
        if shift and "BYDAY" in parts:
            days = _shift_days(parts["BYDAY"], shift)
            if days is None:
                return None
            parts["BYDAY"] = days
    if parts["FREQ"] == "WEEKLY" and "BYDAY" not in parts:
        parts["BYDAY"] = _DAYS[wall.weekday()]
    _name_late_day(parts, wall)
    if parts["FREQ"] in _DAY_FREQS and not parts.keys() & _TIME_PARTS:
        parts["BYHOUR"] = str(wall.hour)
        parts["BYMINUTE"] = str(wall.minute)
        if wall.second:
            parts["BYSECOND"] = str(wall.second)
    parts.setdefault("INTERVAL", "1")
    parts.setdefault("WKST", "MO")
    return parts


def _name_late_day(parts: dict[str, str], wall: dt.datetime) -> None:
    """Name the day of a monthly or yearly rule started after the 28th.

    The calendar skips the months (or years) without the start's day; a cadence
    taking its day from its DTSTART would fall on their last day instead.
    """
    if (
        parts["FREQ"] in {"MONTHLY", "YEARLY"}
        and not parts.keys() & _START_DAY_PARTS
        and wall.day > _LAST_COMMON_DAY
    ):
        parts["BYMONTHDAY"] = str(wall.day)
        if parts["FREQ"] == "YEARLY":
            parts.setdefault("BYMONTH", str(wall.month))


def _join(rules: Sequence[dict[str, str]]) -> dict[str, str] | None:
    """Join rules that differ only in weekdays and times of day, else None."""
    lists = {"BYDAY", *_TIME_PARTS}
    first = rules[0]
    for other in rules[1:]:
        if {k: v for k, v in other.items() if k not in lists} != {
            k: v for k, v in first.items() if k not in lists
        }:
            return None
        if {k for k in other if k in lists} != {k for k in first if k in lists}:
            return None
    joined = dict(first)
    for name in lists & first.keys():
        values = {v for r in rules for v in r[name].split(",")}
        if name == "BYDAY":
            ordered = sorted(values, key=lambda d: (_DAYS.index(d[-2:]), d))
        else:
            ordered = sorted(values, key=int)
        joined[name] = ",".join(ordered)
    return joined


def _moments_to_check(text: str, window: tuple[dt.datetime, dt.datetime]) -> int:
    """Return about how many moments checking cadence *text* over *window* takes.

    Its weekdays times its times of day, once per period: the moments the
    cadence is expanded to before ``BYSETPOS`` keeps some.
    """
    parts = dict(p.split("=", 1) for p in text.partition(" RRULE:")[2].split(";"))
    per_period = 1
    for name in ("BYDAY", *_TIME_PARTS):
        if name in parts:
            per_period *= parts[name].count(",") + 1
    days = _PERIOD_DAYS.get(parts["FREQ"], 1) * int(parts.get("INTERVAL", "1"))
    periods = (window[1] - window[0]).days // days + 1
    return per_period * periods


#: The days of each frequency's period, about, for :func:`_moments_to_check`.
_PERIOD_DAYS: Final = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}


def _rule_text(parts: Mapping[str, str]) -> str:
    """Write RRULE parts in the usual order, leaving out what changes nothing."""
    shown = dict(parts)
    if shown.get("INTERVAL") == "1":
        del shown["INTERVAL"]
    weekly_sets = shown.get("FREQ") == "WEEKLY" and (
        "INTERVAL" in shown or "BYSETPOS" in shown
    )
    if shown.get("WKST") == "MO" or not (weekly_sets or "BYWEEKNO" in shown):
        shown.pop("WKST", None)
    order = {name: i for i, name in enumerate(_PART_ORDER)}
    return ";".join(
        f"{k}={v}"
        for k, v in sorted(shown.items(), key=lambda kv: order.get(kv[0], 99))
    )


def _by_position(
    text: str,
    series: Sequence[_Series],
    ref: _Ref,
    got: list[dt.datetime],
    truth: list[dt.datetime],
) -> str | None:
    """Return *text* with BYSETPOS choosing, in each week, the series' occurrences.

    Joining Monday 10:00 and Thursday 15:00 gives both times on both days;
    BYSETPOS=1,4 keeps the first and the fourth of each week's four.
    """
    if "FREQ=WEEKLY" not in text or "BYSETPOS" in text or "WKST=" in text:
        return None
    wanted = set(truth)
    if not wanted <= set(got):
        return None
    latest = ref.wall(max(s.start for s in series))
    monday = _later(latest, _WEEK).replace(hour=0, minute=0, second=0, microsecond=0)
    monday -= dt.timedelta(days=monday.weekday())
    first, after = monday.replace(tzinfo=None), (monday + _WEEK).replace(tzinfo=None)
    # *got* is sorted in UTC: the week's wall-clock days lie within a day of
    # their UTC span, whatever the zone's offset.
    lo = bisect.bisect_left(got, _later(monday, -2 * _DAY))
    hi = bisect.bisect_right(got, _later(monday, _WEEK + 2 * _DAY))
    week = [m for m in got[lo:hi] if first <= ref.wall(m).replace(tzinfo=None) < after]
    positions = [str(i) for i, m in enumerate(week, 1) if m in wanted]
    if not positions or len(positions) == len(week):
        return None
    head, _, rule = text.partition(" RRULE:")
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    parts["BYSETPOS"] = ",".join(positions)
    return f"{head} RRULE:{_rule_text(parts)}"


@attrs.frozen
class _At:
    """A DTSTART as the log reads it: its moment alone."""

    dt: dt.date


@functools.lru_cache(maxsize=1)
def _logged_events() -> Any:
    """Select the events of a calendar as the log reads their occurrences.

    Each occurrence is the start and the few properties the log reads
    (:data:`_LOGGED`), not a copy of the whole event: copying is most of the
    cost of a series logged over decades.
    """
    from recurring_ical_events import (  # noqa: PLC0415 - the extra loads when a calendar is read
        ComponentsWithName,
        EventAdapter,
    )

    # The extra is untyped: its classes are Any to the type checker.
    class LoggedEvent(EventAdapter):  # type: ignore[misc]
        def __init__(self, component: Component) -> None:
            super().__init__(component)
            self.event = component

        def as_component(
            self,
            start: dt.date | None = None,
            stop: dt.date | None = None,  # noqa: ARG002 -- the log reads no end
            keep_recurrence_attributes: bool = True,  # noqa: ARG002
        ) -> dict[str, Any]:
            logged = {name: self.event.get(name) for name in _LOGGED}
            logged["DTSTART"] = _At(self.start if start is None else start)
            return logged

    return ComponentsWithName("VEVENT", adapter=LoggedEvent)


#: The properties the log reads of an occurrence, beside its start.
_LOGGED: Final = (_MARK, "STATUS", "ORGANIZER")


def _services(component: Component) -> Iterator[tuple[str, str]]:
    """Yield the video services an event links to, with the property naming each."""
    for prop in _LINK_PROPERTIES:
        for value in _all(component, prop):
            text = _text(value).casefold()
            for name, pattern in VIDEO_SERVICES:
                if pattern.search(text):
                    yield name, prop


def _length_text(length: dt.timedelta) -> str:
    """Write a length as the file format does: ``30m``, ``1h``, ``90m``, ``2d``."""
    minutes = round(length.total_seconds() / 60)
    if minutes and minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)}d"
    if minutes and minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{max(minutes, 1)}m"


#: The importer of iCalendar files, registered as ``ics``.
ICS_IMPORTER: Final = Importer(
    name="ics",
    suffixes=(".ics", ".ical", ".icalendar"),
    func=read_calendar,
    options=OPTIONS,
    description="Calendars (iCalendar .ics): check-ins, their cadence and video links",
    extra=EXTRA,
)
