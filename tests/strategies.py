"""Hypothesis strategies building valid engagements and their parts, for any test.

``engagements()`` draws arbitrary valid :class:`~outsourcekit.model.Engagement`
objects: every field of every model class may be present or absent, values come
from the smaller strategies below (``dates()``, ``cadences()``, ``durations()``...)
and constraints checked at construction (``end`` not before ``start``, numbers
that must not be negative) are respected. Fields are found from the model classes
themselves, so a field added to the model is drawn without a change here.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from outsourcekit.model import (
    Cadence,
    Duration,
    Engagement,
    TimeZone,
    Vendor,
    WorkingHours,
    file_fields,
    is_model_class,
)

if typing.TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "cadence_texts",
    "cadences",
    "dates",
    "datetimes",
    "duration_texts",
    "durations",
    "edge_days",
    "engagements",
    "extension_values",
    "extensions",
    "ids",
    "model_objects",
    "portfolios",
    "texts",
    "time_zone_texts",
    "time_zones",
    "working_hours",
    "working_hours_texts",
]

MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def dates() -> st.SearchStrategy[dt.date]:
    """Dates as engagement files hold them (1990 to 2100)."""
    return st.dates(MIN_DATE, MAX_DATE)


#: Days near daylight-saving changes (London, New York, Sydney, Santiago), month
#: ends, leap days and the ends of the range of dates engagements may hold.
EDGE_DAYS = (
    dt.date(1900, 1, 1),
    dt.date(2000, 2, 29),
    dt.date(2024, 2, 29),
    dt.date(2026, 3, 8),
    dt.date(2026, 3, 29),
    dt.date(2026, 4, 5),
    dt.date(2026, 9, 6),
    dt.date(2026, 10, 4),
    dt.date(2026, 10, 25),
    dt.date(2026, 11, 1),
    dt.date(2026, 12, 31),
    dt.date(2999, 12, 31),
)
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def edge_days(last: dt.date = LAST_DAY) -> st.SearchStrategy[dt.date]:
    """Days from 1900-01-01 to *last*, often a few days from one of EDGE_DAYS.

    *last* leaves room for the days a test counts after the one drawn.
    """

    def near(day: dt.date, shift: int) -> dt.date:
        return min(last, max(FIRST_DAY, day + dt.timedelta(days=shift)))

    return st.one_of(
        st.builds(near, st.sampled_from(EDGE_DAYS), st.integers(-20, 10)),
        st.dates(FIRST_DAY, last),
    )


def _offsets() -> st.SearchStrategy[dt.timezone]:
    quarter_hours = st.integers(-14 * 4, 14 * 4)
    return quarter_hours.map(lambda q: dt.timezone(dt.timedelta(minutes=15 * q)))


def datetimes() -> st.SearchStrategy[dt.datetime]:
    """Date-times: naive (in the client's zone) or with a fixed UTC offset."""
    naive = st.datetimes(
        dt.datetime.combine(MIN_DATE, dt.time()),
        dt.datetime.combine(MAX_DATE, dt.time()),
    )
    whole_minutes = naive.map(lambda d: d.replace(second=0, microsecond=0))
    plain = st.one_of(whole_minutes, naive)
    with_offset = st.builds(lambda d, tz: d.replace(tzinfo=tz), plain, _offsets())
    return st.one_of(plain, with_offset)


_LETTERS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"),
    exclude_characters="\x85\u2028\u2029\ufeff",
)


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Free text as people write it: any letters, marks and symbols, some lines."""
    line = st.text(_LETTERS, max_size=max_size)
    lines = st.lists(line, min_size=2, max_size=3).map("\n".join)
    return st.one_of(line, line, line, lines)


def ids() -> st.SearchStrategy[str]:
    """Identifiers: letters, digits, ``.``, ``_`` and ``-``."""
    return st.from_regex(r"[A-Za-z0-9._-]{1,24}", fullmatch=True)


_UNITS = ("day", "week", "month")


def cadence_texts() -> st.SearchStrategy[str]:
    """Texts of cadences: the phrases of the file format and RRULEs."""
    words = st.sampled_from(
        [
            "hourly",
            "daily",
            "weekdays",
            "weekly",
            "biweekly",
            "fortnightly",
            "monthly",
            "quarterly",
            "yearly",
        ]
    )
    small = st.integers(1, 7)
    unit = st.sampled_from(_UNITS)
    times = st.one_of(
        st.builds(lambda u: f"once a {u}", unit),
        st.builds(lambda u: f"twice a {u}", unit),
        st.builds(lambda n, u: f"{n} times a {u}", st.integers(3, 7), unit),
        st.builds(
            lambda n, u: f"{n}x {u}",
            small,
            st.sampled_from(("daily", "weekly", "monthly")),
        ),
        st.builds(
            lambda n, u: f"every {n} {u}",
            st.integers(2, 12),
            st.sampled_from(("days", "weeks", "months")),
        ),
    )
    days = st.lists(
        st.sampled_from(("MO", "TU", "WE", "TH", "FR", "SA", "SU")),
        min_size=1,
        max_size=3,
        unique=True,
    )
    rrule = st.builds(
        lambda d, h: f"FREQ=WEEKLY;BYDAY={','.join(d)};BYHOUR={h}",
        days,
        st.integers(0, 23),
    )
    monthly = st.builds(lambda n: f"FREQ=MONTHLY;BYMONTHDAY={n}", st.integers(1, 28))
    return st.one_of(words, times, rrule, monthly)


def cadences() -> st.SearchStrategy[Cadence]:
    """Cadences, parsed from :func:`cadence_texts`."""
    return cadence_texts().map(Cadence.parse)


def duration_texts() -> st.SearchStrategy[str]:
    """Texts of durations: ``24h``, ``90m``, ``2 business days``, ``PT4H``..."""
    n = st.integers(1, 96)
    return st.one_of(
        st.builds(lambda k, u: f"{k}{u}", n, st.sampled_from(("m", "h", "d", "w"))),
        st.builds(lambda k: f"{k} business days", st.integers(2, 20)),
        st.builds(lambda k: f"PT{k}H", n),
        st.builds(lambda k: f"P{k}D", n),
    )


def durations() -> st.SearchStrategy[Duration]:
    """Durations, parsed from :func:`duration_texts`."""
    return duration_texts().map(Duration.parse)


_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Asia/Manila",
    "Asia/Kolkata",
    "America/New_York",
    "America/Bogota",
    "Australia/Sydney",
    "Africa/Lagos",
)


def time_zone_texts() -> st.SearchStrategy[str]:
    """Texts of time zones: IANA names and fixed offsets like ``+08:00``."""
    offset = st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
        st.sampled_from("+-"),
        st.integers(0, 13),
        st.sampled_from((0, 30, 45)),
    )
    return st.one_of(st.sampled_from(_ZONES), offset)


def time_zones() -> st.SearchStrategy[TimeZone]:
    """Time zones, parsed from :func:`time_zone_texts`."""
    return time_zone_texts().map(TimeZone.parse)


def working_hours_texts() -> st.SearchStrategy[str]:
    """Texts of working hours: ranges, optionally with days, several joined by ``;``."""
    clock = st.builds(
        lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from((0, 30))
    )
    span = st.builds(lambda a, b: f"{a}-{b}", clock, clock).filter(
        lambda s: s[:5] != s[6:]
    )
    days = st.sampled_from(("", "Mon-Fri ", "Sun-Thu ", "Mon,Wed ", "Sat "))
    ranged = st.builds(lambda d, s: f"{d}{s}", days, span)
    return st.lists(ranged, min_size=1, max_size=2).map("; ".join)


def working_hours() -> st.SearchStrategy[WorkingHours]:
    """Working hours, parsed from :func:`working_hours_texts`."""
    return working_hours_texts().map(WorkingHours.parse)


_KEY = st.text(
    st.characters(categories=("L", "N"), include_characters="-_ "), max_size=12
)


@functools.cache
def extension_values(*, nulls: bool = True) -> st.SearchStrategy[Any]:
    """Plain data as ``x-`` keys hold it; without *nulls*, no null anywhere (TOML)."""
    scalars = st.one_of(
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        texts(),
        *([st.none()] if nulls else []),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(_KEY, inner, max_size=3)
        ),
        max_leaves=6,
    )


@functools.cache
def extensions(*, nulls: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """The ``x-`` keys of one mapping, with their values."""
    key = _KEY.map(lambda k: f"x-{k}")
    return st.dictionaries(key, extension_values(nulls=nulls), max_size=2)


def _rejects(attribute: attrs.Attribute[Any], value: object) -> bool:
    """Return whether *attribute*'s validator refuses *value*."""
    if attribute.validator is None:
        return False
    try:
        attribute.validator(None, attribute, value)
    except (TypeError, ValueError):
        return True
    return False


def _numbers(attribute: attrs.Attribute[Any], kind: type) -> st.SearchStrategy[Any]:
    """Numbers the field accepts: not negative where its validator says so."""
    low = 0 if _rejects(attribute, -1) else -(10**6)
    ints = st.integers(low, 10**6)
    if kind is int:
        return ints
    floats = st.floats(low, 10**6, allow_nan=False, allow_infinity=False)
    return st.one_of(ints, floats)


def _for_type(
    tp: Any, attribute: attrs.Attribute[Any], nulls: bool
) -> st.SearchStrategy[Any]:
    """Return a strategy for values of the field type *tp*."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in {typing.Union, types.UnionType}:
        return st.one_of(*(_for_type(a, attribute, nulls) for a in args))
    if typing.get_origin(tp) is tuple:
        item = _for_type(typing.get_args(tp)[0], attribute, nulls)
        return st.lists(item, max_size=2).map(tuple)
    simple: Mapping[Any, Callable[[], st.SearchStrategy[Any]]] = {
        str: texts,
        bool: st.booleans,
        dt.date: dates,
        dt.datetime: datetimes,
        Cadence: cadences,
        Duration: durations,
        TimeZone: time_zones,
        WorkingHours: working_hours,
    }
    if tp in simple:
        return simple[tp]()
    if tp in {int, float}:
        return _numbers(attribute, tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if is_model_class(tp):
        return model_objects(tp, nulls=nulls)
    msg = f"no strategy for {tp!r}"
    raise TypeError(msg)


_OVERRIDES: Mapping[tuple[type, str], Callable[[], st.SearchStrategy[Any]]] = {
    (Engagement, "id"): ids,
    (Vendor, "id"): ids,
    # Imports are read when a file loads: generated engagements name no files.
    (Engagement, "imports"): lambda: st.just(()),
}


@functools.cache
def _field_strategies(cls: type, nulls: bool) -> dict[str, st.SearchStrategy[Any]]:
    """Return a strategy for each key of *cls*, built once."""
    attributes = attrs.fields_dict(cls)
    strategies = {}
    for name, tp in file_fields(cls).items():
        override = _OVERRIDES.get((cls, name))
        strategies[name] = (
            override() if override else _for_type(tp, attributes[name], nulls)
        )
    return strategies


@st.composite
def _objects(draw: st.DrawFn, cls: type, nulls: bool) -> Any:
    """Draw an object of *cls*, leaving out fields its checks across fields refuse."""
    kwargs: dict[str, Any] = {}
    attributes = attrs.fields_dict(cls)
    for name, values in _field_strategies(cls, nulls).items():
        required = attributes[name].default is attrs.NOTHING
        if required or draw(st.booleans()):
            kwargs[name] = draw(values)
    if "extensions" in attributes and draw(st.booleans()):
        kwargs["extensions"] = draw(extensions(nulls=nulls))
    while True:
        problem = _refusal(cls, kwargs)
        if problem is None:
            return cls(**kwargs)
        if problem not in kwargs or attributes[problem].default is attrs.NOTHING:
            cls(**kwargs)  # raises: a check this strategy cannot satisfy
        del kwargs[problem]


def _refusal(cls: type, kwargs: dict[str, Any]) -> str | None:
    """Return the field a check across fields of *cls* refuses, if any."""
    try:
        cls(**kwargs)
    except ValueError as error:
        name = error.args[1] if len(error.args) > 1 else None
        return str(getattr(name, "name", name))
    return None


@functools.cache
def model_objects(cls: type, *, nulls: bool = True) -> st.SearchStrategy[Any]:
    """Valid objects of a model class, e.g. ``model_objects(KPI)``."""
    return st.deferred(lambda: _objects(cls, nulls))


def engagements(*, nulls: bool = True) -> st.SearchStrategy[Engagement]:
    """Arbitrary valid engagements; without *nulls*, no null in ``x-`` values (TOML)."""
    return model_objects(Engagement, nulls=nulls)


def portfolios(
    *, nulls: bool = True, max_size: int = 4
) -> st.SearchStrategy[list[Engagement]]:
    """Lists of engagements with unique ids, as one load gives them."""
    return st.lists(
        engagements(nulls=nulls), max_size=max_size, unique_by=lambda e: e.id
    )
