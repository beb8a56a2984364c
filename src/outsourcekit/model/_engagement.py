"""The engagement and its parts: immutable attrs classes mirroring the file format."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from attrs import validators as v

from outsourcekit._dates import DATE_RANGE, in_range
from outsourcekit._shorten import short_repr

from ._display import engagement_html, engagement_repr
from ._enums import (
    AgreementKind,
    Area,
    ChannelKind,
    Direction,
    Experience,
    ReviewOutcome,
    SecurityReview,
    Side,
    Status,
    TrialStatus,
    VendorKind,
)
from ._frozen import EMPTY, FrozenDict, freeze, frozen_mapping
from ._text import is_placeholder
from ._values import Cadence, Duration, TimeZone, WorkingHours, overlap

__all__ = [
    "KPI",
    "AccessGrant",
    "Agreement",
    "Channel",
    "CheckIn",
    "CommunicationPlan",
    "DataHandling",
    "Deliverable",
    "Engagement",
    "FileSharing",
    "Import",
    "Measurement",
    "Milestone",
    "Objective",
    "Origin",
    "Party",
    "PerformanceStandard",
    "ProgressUpdate",
    "QualityStandard",
    "Review",
    "Selection",
    "ServiceLevel",
    "Task",
    "Trial",
    "Vendor",
    "Vetting",
    "Waiver",
]


ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
#: Agreement kinds that count as a written agreement for the work (OSK801).
WORK_AGREEMENTS = frozenset(
    {AgreementKind.CONTRACT, AgreementKind.MSA, AgreementKind.SOW}
)


#: The zone of an engagement whose client's time zone is not given.
_UTC = TimeZone.parse("UTC")
_MIDNIGHT = dt.time()


#: Check-ins planned in an ISO week, by the cadence's text, the day its anchor is
#: 00:00 of, the zone's text (as written: the same text is always the same zone)
#: and the week's Monday (an ordinal): what decides the count, and what
#: portfolios repeat. Emptied when it reaches ``_PLANNED_LIMIT`` entries.
_PLANNED: dict[tuple[str, dt.date, str, int], int] = {}
_PLANNED_LIMIT = 1 << 14


#: Working-day overlaps by the parties' hours (texts), zones (names) and the date:
#: portfolios repeat the same hours and zones many times over. Emptied when it
#: reaches ``_OVERLAPS_LIMIT`` entries.
_OVERLAPS: dict[tuple[str, str, str, str, dt.date], dt.timedelta] = {}
_OVERLAPS_LIMIT = 1 << 14


def _overlap_on(
    a: WorkingHours, a_zone: TimeZone, b: WorkingHours, b_zone: TimeZone, on: dt.date
) -> dt.timedelta:
    """Return how long the working intervals of *on* of two parties overlap, cached.

    Keyed on the hours' texts and the zones' canonical names, which decide the
    intervals, rather than on the values, whose equality ignores case.
    """
    key = (a.text, a_zone.name, b.text, b_zone.name, on)
    found = _OVERLAPS.get(key)
    if found is None:
        if len(_OVERLAPS) >= _OVERLAPS_LIMIT:
            _OVERLAPS.clear()
        found = overlap(a.intervals(on, a_zone), b.intervals(on, b_zone))
        _OVERLAPS[key] = found
    return found


#: The kinds of value a field takes, in the words of an engagement file.
_KINDS: dict[type, str] = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dt.date: "a date",
    dt.datetime: "a date-time",
    dt.time: "a time of day",
    tuple: "a list",
    type(None): "null",
}


def _kind_of(tp: type) -> str:
    """Return what a value of type *tp* is called (``text``, ``a Vetting``)."""
    return _KINDS.get(tp) or f"a {tp.__name__}"


@attrs.frozen
class InstanceOf:
    """Validates that a value is one of *types*, saying so in plain words.

    attrs' own ``instance_of`` says ``must be (<class 'str'>,)``; this says
    ``must be text``. A class rather than a function so that the converter,
    whose hooks already return values of the field's types, can skip it.
    """

    type: tuple[type, ...]

    def __call__(
        self, _inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        """Raise TypeError for a value of none of the types."""
        if isinstance(value, self.type):
            return
        wanted = " or ".join(_kind_of(t) for t in self.type)
        msg = (
            f"'{attribute.name}' must be {wanted} "
            f"(got {short_repr(value)} that is {_kind_of(type(value))})."
        )
        raise FieldTypeError(msg, attribute, self.type, value)


def _opt(*types: type) -> Any:
    return v.optional(InstanceOf(types))


def _tuple_of(*types: type) -> Any:
    return v.deep_iterable(InstanceOf(types), InstanceOf((tuple,)))


def _as_tuple(value: Any) -> Any:
    """Return the items of an iterable as a tuple; text and mappings as they are.

    A string is iterable, but ``"GB"`` is no list of ``"G"`` and ``"B"``: it is
    left for the field's validator to refuse, as a mapping is.
    """
    if type(value) is tuple or isinstance(value, (str, bytes, Mapping)):
        return value
    try:
        return tuple(value)
    except TypeError:
        return value  # no iterable: the validator says what was expected


def _seq(*types: type) -> Any:
    """Keyword arguments for a tuple field of *types*, accepting any iterable."""
    return attrs.field(factory=tuple, converter=_as_tuple, validator=_tuple_of(*types))


class _Readable(Exception):  # noqa: N818 - a mixin of errors, not one itself
    """An error about a field that reads as its message.

    Its arguments are attrs' validators' (message, field, ...), for the
    converter to name the field; shown, it is the message alone, not a tuple.
    """

    def __str__(self) -> str:
        first = self.args[0] if self.args else None
        return first if isinstance(first, str) else super().__str__()


class FieldTypeError(_Readable, TypeError):
    """A field given a value of the wrong type: (message, field, types, value)."""


class FieldValueError(_Readable, ValueError):
    """A field given a value it refuses: (message, field, value)."""


class ConstraintError(FieldValueError):
    """A value of the right type that the model still refuses.

    Raised as attrs' validators raise ``ValueError`` (message, field, value), with
    ``expected``: what the field takes, in the words of an engagement file.
    """

    def __init__(
        self, message: str, field: object, value: object, expected: str
    ) -> None:
        """Record the *message* about *field*, the *value* and what was *expected*."""
        super().__init__(message, field, value)
        self.expected = expected


@attrs.frozen
class NumberValidator:
    """Validates a number (never a boolean) or None, at least *minimum* if set.

    A class rather than a function so that the converter, whose hooks already
    return numbers, can tell what is left to check.
    """

    minimum: float | None = None
    #: Whether the number must be whole (an int), as a count is.
    whole: bool = False

    def __call__(
        self, _inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        """Raise TypeError for a value that is no number, ValueError below *minimum*."""
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = _kind_of(type(value))
            wanted = "a whole number" if self.whole else "a number"
            msg = f"'{attribute.name}' must be {wanted} (got {value!r} that is {kind})."
            raise FieldTypeError(msg, attribute, (int, float), value)
        if self.whole and not isinstance(value, int):
            msg = (
                f"'{attribute.name}' must be a whole number "
                f"(got {value!r} that is a number with a fraction)."
            )
            raise FieldTypeError(msg, attribute, int, value)
        if isinstance(value, float) and not math.isfinite(value):
            msg = f"'{attribute.name}' must be a finite number (got {value!r})."
            raise ConstraintError(msg, attribute, value, "a finite number")
        if self.minimum is not None and value < self.minimum:
            least = "zero" if self.minimum == 0 else repr(self.minimum)
            msg = f"'{attribute.name}' must be {least} or more (got {value!r})."
            raise ConstraintError(msg, attribute, value, f"a number, {least} or more")


@attrs.frozen
class DateValidator:
    """Validates a date that is no date-time, or None, or else one of *also*.

    A date-time where a date belongs would not compare with the dates it is
    checked against, nor read back from a file. A date (or a date-time of
    *also*) lies from 1900-01-01 to 2999-12-31, as in a file.
    """

    also: tuple[type, ...] = ()

    def __call__(
        self, _inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        """Raise TypeError for anything but a date (or one of *also*) or None.

        Raise ValueError for a date outside the range of dates.
        """
        if value is None:
            return
        if isinstance(value, dt.date) and (
            not isinstance(value, dt.datetime) or isinstance(value, self.also)
        ):
            if not in_range(value):
                msg = (
                    f"'{attribute.name}' must be a date from {DATE_RANGE} "
                    f"(got {value.isoformat()})."
                )
                expected = f"a date from {DATE_RANGE}"
                raise ConstraintError(msg, attribute, value, expected)
            return
        if isinstance(value, self.also):
            return
        wanted = " or ".join(
            ["a date without a time", *(f"a {t.__name__}" for t in self.also)]
        )
        kind = _kind_of(type(value))
        msg = f"'{attribute.name}' must be {wanted} (got {value!r} that is {kind})."
        raise FieldTypeError(msg, attribute, (dt.date, *self.also), value)


_number = NumberValidator()
_non_negative = NumberValidator(minimum=0)
_count = NumberValidator(minimum=0, whole=True)


def _extensions() -> Any:
    return attrs.field(
        default=EMPTY,
        converter=_frozen_mapping,
        validator=_valid_extensions,
        repr=_repr_ext,
        hash=False,
    )


def _frozen_mapping(value: object) -> object:
    """Return a frozen copy of a mapping (see :mod:`._frozen`); else *value*."""
    return frozen_mapping(value) if isinstance(value, Mapping) else value


def _repr_ext(value: Mapping[str, Any]) -> str:
    return repr(dict(value))


def _valid_extensions(
    _inst: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if not isinstance(value, Mapping):
        msg = f"'{attribute.name}' must be a mapping of x- keys (got {value!r})."
        raise FieldTypeError(msg, attribute, Mapping, value)
    bad = sorted(
        str(k) for k in value if not (isinstance(k, str) and k.startswith("x-"))
    )
    if bad:
        msg = f"'{attribute.name}' keys must start with 'x-' (got {', '.join(bad)})."
        raise FieldValueError(msg, attribute, value)
    for key, item in value.items():
        problem = _plain_problem(item, key, kept=True)
        if problem is not None:
            # Named by its x- key, where a file has it: no field holds it.
            raise _plain_error("x- values", problem, key, value)


#: How deep ``x-`` values and import options nest at most: what every format
#: writes back (a YAML writer stops some hundreds of levels down).
MAX_NESTING = 100

_PLAIN_LEAVES = (str, int, float, bool, type(None))
#: What ``x-`` values hold besides: what TOML reads (no format reads a time of
#: day with an offset).
_KEPT_LEAVES = (dt.date, dt.time)


def _plain_problem(
    value: object, place: str, depth: int = 0, *, kept: bool = False
) -> tuple[str, object, str] | None:
    """Return what in *value* no file can hold: (where, what, why); None if all can.

    *value* is frozen (:func:`._frozen.freeze`): its lists are tuples, its
    mappings :class:`._frozen.FrozenDict`. Nesting is at most
    :data:`MAX_NESTING` deep, as files write them back. Numbers must be
    finite, unless *kept*: ``x-`` values are kept as a file has them, infinity,
    NaN, dates, date-times and times of day included (a format that cannot
    hold one refuses to write it, naming it).
    """
    if isinstance(value, _PLAIN_LEAVES) or (kept and isinstance(value, _KEPT_LEAVES)):
        return _leaf_problem(value, place, kept=kept)
    items: Iterable[tuple[object, object]]
    if type(value) is FrozenDict:
        items = value.items()
    elif type(value) is tuple:
        items = enumerate(value)
    else:
        return place, value, "plain-kept" if kept else "plain"
    if depth >= MAX_NESTING:
        return place, value, "deep"
    for key, item in items:
        if type(key) is int and type(value) is tuple:
            inner = f"{place}[{key}]"
        elif isinstance(key, str):
            inner = f"{place}.{key}"
        else:
            return f"{place}, key {key!r}", key, "plain-kept" if kept else "plain"
        found = _plain_problem(item, inner, depth + 1, kept=kept)
        if found is not None:
            return found
    return None


def _leaf_problem(
    value: object, place: str, *, kept: bool
) -> tuple[str, object, str] | None:
    """Return what no file can hold of *value*, a leaf of :func:`_plain_problem`."""
    if not kept and isinstance(value, float) and not math.isfinite(value):
        return place, value, "finite"
    if isinstance(value, dt.time) and value.tzinfo is not None:
        return place, value, "plain-kept"
    return None


def _plain_error(
    what: str, problem: tuple[str, object, str], field: object, value: object
) -> Exception:
    """Return the error saying that *what* holds *problem* (:func:`_plain_problem`)."""
    place, found, why = problem
    if why == "finite":
        msg = (
            f"{what} must be finite numbers, as a file writes them "
            f"(got {found!r} at {place})."
        )
        return FieldValueError(msg, field, value)
    if why == "deep":
        shown = place if len(place) <= 60 else f"{place[:60]}..."
        msg = f"{what} nest at most {MAX_NESTING} levels (deeper at {shown})."
        return FieldValueError(msg, field, value)
    leaves = "text, numbers, booleans, null"
    if why == "plain-kept":
        leaves += ", dates, date-times, times of day without an offset"
    kind = _kind_of(type(found))
    if isinstance(found, dt.time) and found.tzinfo is not None:
        kind += " with an offset"
    msg = (
        f"{what} must be plain data: {leaves}, lists and mappings with text keys "
        f"(got {found!r} that is {kind} at {place})."
    )
    return FieldTypeError(msg, field, value)


_DATE = DateValidator()
#: A date or a date-time that must be given.
_MOMENT = v.and_(InstanceOf((dt.date,)), DateValidator(also=(dt.datetime,)))
_STR = (str,)


@attrs.frozen(kw_only=True)
class Origin:
    """Where an engagement was read from, as plain facts: no text is kept.

    ``source`` is the file as it was given (None for text from no file);
    ``index`` is the engagement's position in the file's ``engagements:`` list
    (None for a file of one engagement); ``line`` is the line the whole
    engagement is written on, where the reader knows it without reading more
    (a row of a table), else None; ``row`` is the number (from 1) of the row of
    a table it was read from, else None. The lines of findings are found from
    these facts once the rules have run (``outsourcekit.io.locate_findings``);
    an engagement of a row is never looked for in a file (records have no
    line; ``source`` only names where they came from).

    Not part of an engagement's value: two engagements read from different files
    compare equal when their contents do.
    """

    source: str | None = None
    index: int | None = None
    line: int | None = None
    row: int | None = None


@attrs.frozen(kw_only=True)
class Party:
    """The client: the business handing the work out."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    timezone: TimeZone | None = attrs.field(default=None, validator=_opt(TimeZone))
    working_hours: WorkingHours | None = attrs.field(
        default=None, validator=_opt(WorkingHours)
    )
    region: str | None = attrs.field(default=None, validator=_opt(str))
    industry: str | None = attrs.field(default=None, validator=_opt(str))
    outsourcing_experience: Experience | None = attrs.field(
        default=None, validator=_opt(Experience)
    )
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Vetting:
    """What the client checked about the vendor before hiring it."""

    references_checked: bool | None = attrs.field(default=None, validator=_opt(bool))
    testimonials: int | None = attrs.field(default=None, validator=_count)
    case_studies: int | None = attrs.field(default=None, validator=_count)
    years_experience: float | None = attrs.field(default=None, validator=_non_negative)
    security_review: SecurityReview | None = attrs.field(
        default=None, validator=_opt(SecurityReview)
    )
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Selection:
    """Why this vendor was chosen."""

    criteria: tuple[str, ...] = _seq(str)
    quotes_compared: int | None = attrs.field(default=None, validator=_count)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Trial:
    """A small trial project run before committing to the vendor."""

    status: TrialStatus | None = attrs.field(default=None, validator=_opt(TrialStatus))
    completed_on: dt.date | None = attrs.field(default=None, validator=_DATE)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Vendor:
    """The outside partner doing the work."""

    id: str | None = attrs.field(default=None, validator=_opt(str))
    name: str | None = attrs.field(default=None, validator=_opt(str))
    kind: VendorKind | None = attrs.field(default=None, validator=_opt(VendorKind))
    timezone: TimeZone | None = attrs.field(default=None, validator=_opt(TimeZone))
    working_hours: WorkingHours | None = attrs.field(
        default=None, validator=_opt(WorkingHours)
    )
    regions_served: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_as_tuple),
        validator=v.optional(_tuple_of(str)),
    )
    industries_served: tuple[str, ...] | None = attrs.field(
        default=None,
        converter=attrs.converters.optional(_as_tuple),
        validator=v.optional(_tuple_of(str)),
    )
    vetting: Vetting | None = attrs.field(default=None, validator=_opt(Vetting))
    selection: Selection | None = attrs.field(default=None, validator=_opt(Selection))
    trial: Trial | None = attrs.field(default=None, validator=_opt(Trial))
    extensions: Mapping[str, Any] = _extensions()

    @property
    def key(self) -> str | None:
        """The vendor's identity across engagements: `id`, else the name case-folded.

        An `id` or a name that is a placeholder (:func:`is_placeholder`) says
        nothing; None when neither identifies the vendor. Either is taken in
        one Unicode normal form (NFC), so that a letter written composed in one
        file and decomposed in another (``é`` or ``e`` and ``◌́``) is one vendor.
        """
        if self.id is not None and not is_placeholder(self.id):
            return unicodedata.normalize("NFC", self.id)
        if self.name is not None and not is_placeholder(self.name):
            folded = unicodedata.normalize("NFD", self.name).casefold()
            return unicodedata.normalize("NFC", folded)
        return None


@attrs.frozen(kw_only=True)
class Task:
    """A piece of work handed to the vendor."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    area: Area | None = attrs.field(default=None, validator=_opt(Area))
    core: bool | None = attrs.field(default=None, validator=_opt(bool))
    critical: bool | None = attrs.field(default=None, validator=_opt(bool))
    instructions: str | None = attrs.field(default=None, validator=_opt(str))
    due: dt.date | Cadence | None = attrs.field(
        default=None, validator=DateValidator(also=(Cadence,))
    )
    checklist: tuple[str, ...] = _seq(str)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Objective:
    """What the engagement is meant to achieve."""

    statement: str | None = attrs.field(default=None, validator=_opt(str))
    kpi: str | None = attrs.field(default=None, validator=_opt(str))
    due: dt.date | None = attrs.field(default=None, validator=_DATE)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Deliverable:
    """The specification of something to be built or delivered."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    description: str | None = attrs.field(default=None, validator=_opt(str))
    format: str | None = attrs.field(default=None, validator=_opt(str))
    due: dt.date | Cadence | None = attrs.field(
        default=None, validator=DateValidator(also=(Cadence,))
    )
    acceptance: tuple[str, ...] = _seq(str)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class QualityStandard:
    """How delivered work is evaluated."""

    criteria: tuple[str, ...] = _seq(str)
    reviewer: str | None = attrs.field(default=None, validator=_opt(str))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class PerformanceStandard:
    """When and how work is delivered and reported."""

    delivery: str | None = attrs.field(default=None, validator=_opt(str))
    status_reports: Cadence | None = attrs.field(default=None, validator=_opt(Cadence))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class ServiceLevel:
    """A service-level term, such as a response time."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    target: str | float | None = attrs.field(
        default=None, validator=_opt(str, int, float)
    )
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Agreement:
    """A written agreement between the parties."""

    kind: AgreementKind | None = attrs.field(
        default=None, validator=_opt(AgreementKind)
    )
    signed_on: dt.date | None = attrs.field(default=None, validator=_DATE)
    signed_by: tuple[str, ...] = _seq(str)
    effective: dt.date | None = attrs.field(default=None, validator=_DATE)
    expires: dt.date | None = attrs.field(default=None, validator=_DATE)
    document: str | None = attrs.field(default=None, validator=_opt(str))
    payment_terms: str | None = attrs.field(default=None, validator=_opt(str))
    termination: str | None = attrs.field(default=None, validator=_opt(str))
    confidentiality: bool | None = attrs.field(default=None, validator=_opt(bool))
    service_levels: tuple[ServiceLevel, ...] = _seq(ServiceLevel)
    extensions: Mapping[str, Any] = _extensions()

    def is_signed(self, as_of: dt.date) -> bool:
        """Return whether the agreement was signed on or before *as_of*."""
        return self.signed_on is not None and self.signed_on <= as_of

    def is_expired(self, as_of: dt.date) -> bool:
        """Return whether the agreement's last day in force is before *as_of*."""
        return self.expires is not None and self.expires < as_of

    @property
    def counts_as_nda(self) -> bool:
        """Whether it binds confidentiality: an NDA, or an MSA/contract saying so."""
        kind = self.kind
        if kind is AgreementKind.NDA:
            return True
        # Compared by identity: hashing an enum member runs Python code.
        return (kind is AgreementKind.MSA or kind is AgreementKind.CONTRACT) and bool(
            self.confidentiality
        )


@attrs.frozen(kw_only=True)
class Channel:
    """A way the parties talk to each other."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    kind: ChannelKind | None = attrs.field(default=None, validator=_opt(ChannelKind))
    secure: bool | None = attrs.field(default=None, validator=_opt(bool))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class CommunicationPlan:
    """How and how often the parties communicate."""

    channels: tuple[Channel, ...] = _seq(Channel)
    response_time: Duration | None = attrs.field(default=None, validator=_opt(Duration))
    check_ins: Cadence | None = attrs.field(default=None, validator=_opt(Cadence))
    check_in_length: Duration | None = attrs.field(
        default=None, validator=_opt(Duration)
    )
    feedback: Cadence | None = attrs.field(default=None, validator=_opt(Cadence))
    escalation: str | None = attrs.field(default=None, validator=_opt(str))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class FileSharing:
    """A service used to share files with the vendor."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    secure: bool | None = attrs.field(default=None, validator=_opt(bool))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class DataHandling:
    """What information the vendor sees, and how it is shared."""

    confidential: bool | None = attrs.field(default=None, validator=_opt(bool))
    personal_data: bool | None = attrs.field(default=None, validator=_opt(bool))
    shared_since: dt.date | None = attrs.field(default=None, validator=_DATE)
    file_sharing: tuple[FileSharing, ...] = _seq(FileSharing)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class AccessGrant:
    """Access to one of the client's systems given to the vendor."""

    system: str | None = attrs.field(default=None, validator=_opt(str))
    granted_on: dt.date | None = attrs.field(default=None, validator=_DATE)
    revoked_on: dt.date | None = attrs.field(default=None, validator=_DATE)
    extensions: Mapping[str, Any] = _extensions()

    def __attrs_post_init__(self) -> None:
        if (
            self.granted_on is not None
            and self.revoked_on is not None
            and self.revoked_on < self.granted_on
        ):
            msg = (
                f"'revoked_on' must be on or after 'granted_on' {self.granted_on} "
                f"(got {self.revoked_on})."
            )
            expected = f"a date on or after `granted_on` ({self.granted_on})"
            raise ConstraintError(msg, "revoked_on", self.revoked_on, expected)


@attrs.frozen(kw_only=True)
class Measurement:
    """One measured value of a KPI."""

    at: dt.date | dt.datetime = attrs.field(validator=_MOMENT)
    value: float = attrs.field(validator=_number)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class KPI:
    """A key performance indicator with its target and measurements."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    unit: str | None = attrs.field(default=None, validator=_opt(str))
    target: float | None = attrs.field(default=None, validator=_number)
    direction: Direction | None = attrs.field(default=None, validator=_opt(Direction))
    measured: Cadence | None = attrs.field(default=None, validator=_opt(Cadence))
    measurements: tuple[Measurement, ...] = _seq(Measurement)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class ProgressUpdate:
    """A note on a milestone's progress."""

    at: dt.date | dt.datetime = attrs.field(validator=_MOMENT)
    note: str | None = attrs.field(default=None, validator=_opt(str))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Milestone:
    """A dated step of the work."""

    name: str | None = attrs.field(default=None, validator=_opt(str))
    due: dt.date | None = attrs.field(default=None, validator=_DATE)
    done_on: dt.date | None = attrs.field(default=None, validator=_DATE)
    updates: tuple[ProgressUpdate, ...] = _seq(ProgressUpdate)
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class CheckIn:
    """A check-in meeting that actually happened."""

    at: dt.date | dt.datetime = attrs.field(validator=_MOMENT)
    by: Side | None = attrs.field(default=None, validator=_opt(Side))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Review:
    """An evaluation of the relationship and the decision taken."""

    on: dt.date = attrs.field(validator=v.and_(InstanceOf((dt.date,)), _DATE))
    outcome: ReviewOutcome | None = attrs.field(
        default=None, validator=_opt(ReviewOutcome)
    )
    score: float | None = attrs.field(default=None, validator=_number)
    notes: str | None = attrs.field(default=None, validator=_opt(str))
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen(kw_only=True)
class Waiver:
    """An accepted finding: the rule, optionally the path, and why it is accepted."""

    rule: str = attrs.field(validator=InstanceOf((str,)))
    path: str | None = attrs.field(default=None, validator=_opt(str))
    reason: str | None = attrs.field(default=None, validator=_opt(str))
    until: dt.date | None = attrs.field(default=None, validator=_DATE)
    approved_by: str | None = attrs.field(default=None, validator=_opt(str))
    extensions: Mapping[str, Any] = _extensions()

    @property
    def has_reason(self) -> bool:
        """Whether the waiver states a reason (without one it never applies).

        A placeholder (``TBD``, ``n/a``, see :func:`is_placeholder`) states none.
        """
        return self.reason is not None and not is_placeholder(self.reason)

    def is_expired(self, as_of: dt.date) -> bool:
        """Return whether the waiver's `until` is before *as_of*."""
        return self.until is not None and self.until < as_of


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_DRIVE = re.compile(r"[A-Za-z]:")
_IMPORT_PATH = (
    "a relative path inside the engagement file's folder, like calendars/acme.ics"
)


def _import_path(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse what is no relative path: empty, absolute, ``~``, a drive, a URL, NUL."""
    if not isinstance(value, str):
        kind = _kind_of(type(value))
        msg = f"'{attribute.name}' must be text (got {value!r} that is {kind})."
        raise FieldTypeError(msg, attribute, str, value)
    reason = None
    if not value.strip():
        reason = "an empty path"
    elif _URL.match(value):
        reason = "a URL: imports read local files only, never the network"
    elif value.startswith(("/", "\\")) or _DRIVE.match(value):
        reason = "an absolute path"
    elif value.startswith("~"):
        reason = "a path from a home folder"
    elif "\0" in value:
        reason = "a path with a NUL character, which no file name holds"
    if reason is not None:
        msg = f"'{attribute.name}' must be a relative path (got {value!r}: {reason})."
        expected = f"{_IMPORT_PATH} (not {reason})"
        raise ConstraintError(msg, attribute.name, value, expected)


def _import_options(
    _inst: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        msg = f"'{attribute.name}' must be a mapping of option names (got {value!r})."
        raise FieldTypeError(msg, attribute, Mapping, value)
    for key, item in value.items():
        # Checked frozen; the options themselves stay plain, for the importer.
        problem = _plain_problem(freeze(item), key)
        if problem is not None:
            raise _plain_error(f"'{attribute.name}' values", problem, attribute, value)


def _plain_dict(value: Mapping[str, Any] | None) -> dict[str, Any]:
    return {} if value is None else dict(value)


@attrs.frozen(kw_only=True)
class Import:
    """A file of another system whose facts are merged into the engagement at load.

    ``path`` is relative to the engagement file and must stay inside its folder
    (or the configured ``import-root``); ``importer`` names the importer, else
    it is chosen by the file's suffix or content; ``options`` are the
    importer's own options, as plain data.
    """

    path: str = attrs.field(validator=_import_path)
    importer: str | None = attrs.field(default=None, validator=_opt(str))
    options: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_plain_dict, validator=_import_options, hash=False
    )
    extensions: Mapping[str, Any] = _extensions()


@attrs.frozen
class IdValidator:
    """Validates an id: text of letters, digits, ``.``, ``_`` or ``-`` only.

    A class rather than a function so that the converter, whose hook for ids
    returns text, can check the letters itself.
    """

    #: What an id matches in full.
    pattern: re.Pattern[str] = ID_PATTERN

    def __call__(
        self, _inst: object, attribute: attrs.Attribute[Any], value: object
    ) -> None:
        """Raise TypeError for a value that is no text, ValueError for other letters."""
        if not isinstance(value, str):
            kind = _kind_of(type(value))
            msg = f"'{attribute.name}' must be text (got {value!r} that is {kind})."
            raise FieldTypeError(msg, attribute, str, value)
        if not self.pattern.fullmatch(value):
            msg = (
                f"'{attribute.name}' must be letters, digits, '.', '_' or '-' "
                f"(got {value!r})."
            )
            expected = "an id of letters, digits, '.', '_' or '-'"
            raise ConstraintError(msg, attribute, value, expected)


@attrs.frozen(kw_only=True)
class Engagement:
    """One outsourcing engagement: who does what for whom, under which terms.

    Only `id` is required, so that a half-written engagement can be checked and the
    rules can say what is missing. Update with :func:`attrs.evolve`.
    """

    id: str = attrs.field(validator=IdValidator())
    title: str | None = attrs.field(default=None, validator=_opt(str))
    status: Status | None = attrs.field(default=None, validator=_opt(Status))
    start: dt.date | None = attrs.field(default=None, validator=_DATE)
    end: dt.date | None = attrs.field(default=None, validator=_DATE)
    vision: str | None = attrs.field(default=None, validator=_opt(str))
    owner: str | None = attrs.field(default=None, validator=_opt(str))
    hours_per_week: float | None = attrs.field(default=None, validator=_non_negative)
    exit_plan: str | None = attrs.field(default=None, validator=_opt(str))
    client: Party | None = attrs.field(default=None, validator=_opt(Party))
    vendor: Vendor | None = attrs.field(default=None, validator=_opt(Vendor))
    tasks: tuple[Task, ...] = _seq(Task)
    objectives: tuple[Objective, ...] = _seq(Objective)
    deliverables: tuple[Deliverable, ...] = _seq(Deliverable)
    quality: QualityStandard | None = attrs.field(
        default=None, validator=_opt(QualityStandard)
    )
    performance: PerformanceStandard | None = attrs.field(
        default=None, validator=_opt(PerformanceStandard)
    )
    agreements: tuple[Agreement, ...] = _seq(Agreement)
    communication: CommunicationPlan | None = attrs.field(
        default=None, validator=_opt(CommunicationPlan)
    )
    data: DataHandling | None = attrs.field(default=None, validator=_opt(DataHandling))
    access: tuple[AccessGrant, ...] = _seq(AccessGrant)
    kpis: tuple[KPI, ...] = _seq(KPI)
    milestones: tuple[Milestone, ...] = _seq(Milestone)
    check_ins: tuple[CheckIn, ...] = _seq(CheckIn)
    reviews: tuple[Review, ...] = _seq(Review)
    waivers: tuple[Waiver, ...] = _seq(Waiver)
    #: Files of other systems whose facts were merged in at load (format.md).
    imports: tuple[Import, ...] = _seq(Import)
    extensions: Mapping[str, Any] = _extensions()
    origin: Origin | None = attrs.field(
        default=None, eq=False, repr=False, validator=_opt(Origin)
    )

    def __attrs_post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            msg = f"'end' must be on or after 'start' {self.start} (got {self.end})."
            expected = f"a date on or after `start` ({self.start})"
            raise ConstraintError(msg, "end", self.end, expected)

    # -- lifecycle (rules.md) ---------------------------------------------------

    def is_active(self, as_of: dt.date) -> bool:
        """Return whether the engagement is active on *as_of*.

        Active means status `trial` or `active`; without a status, started on or
        before *as_of* and not ended before it.
        """
        status = self.status
        if status is not None:
            # Compared by identity: hashing an enum member runs Python code.
            return status is Status.ACTIVE or status is Status.TRIAL
        return (
            self.start is not None
            and self.start <= as_of
            and (self.end is None or self.end >= as_of)
        )

    def is_in_force(self, as_of: dt.date) -> bool:
        """Return whether the engagement is active or paused on *as_of*."""
        return self.status is Status.PAUSED or self.is_active(as_of)

    def is_ended(self, as_of: dt.date) -> bool:
        """Return whether the engagement has ended by *as_of*."""
        if self.status is not None:
            return self.status is Status.ENDED
        return self.end is not None and self.end < as_of

    def age(self, as_of: dt.date) -> dt.timedelta | None:
        """Return how long ago the engagement started, or None without a start."""
        return None if self.start is None else as_of - self.start

    def active_for_more_than(self, days: int, as_of: dt.date) -> bool:
        """Return whether it is active and `as_of - start` exceeds *days* days."""
        age = self.age(as_of)
        return self.is_active(as_of) and age is not None and age.days > days

    @property
    def timezone(self) -> TimeZone | None:
        """The client's time zone, in which dates without an offset are read."""
        return self.client.timezone if self.client is not None else None

    def working_overlap(self, on: dt.date) -> dt.timedelta | None:
        """Return how long the client's and the vendor's working hours overlap *on*.

        Each party's working intervals of that date, in its own time zone with
        the offset of that date (daylight saving applied), are compared in UTC.
        None when either party's working hours or time zone is not given.
        """
        client, vendor = self.client, self.vendor
        if client is None or vendor is None:
            return None
        client_hours, client_zone = client.working_hours, client.timezone
        vendor_hours, vendor_zone = vendor.working_hours, vendor.timezone
        if client_hours is None or client_zone is None:
            return None
        if vendor_hours is None or vendor_zone is None:
            return None
        return _overlap_on(client_hours, client_zone, vendor_hours, vendor_zone, on)

    def agreements_of(self, *kinds: AgreementKind) -> tuple[Agreement, ...]:
        """Return the agreements of the given kinds, in file order."""
        return tuple(a for a in self.agreements if a.kind in kinds)

    def signed_ndas(self, as_of: dt.date | None = None) -> tuple[Agreement, ...]:
        """Return the signed agreements that bind confidentiality, in file order.

        An NDA, or an MSA or contract with confidentiality terms, that has a
        ``signed_on`` date (on or before *as_of*, when given), expired or not.
        """
        found = []
        for a in self.agreements:
            signed_on = a.signed_on
            if (
                signed_on is not None
                and (as_of is None or signed_on <= as_of)
                and a.counts_as_nda
            ):
                found.append(a)
        return tuple(found)

    # -- time: dates are read in the client's time zone (rules.md) --------------

    @property
    def local_timezone(self) -> TimeZone:
        """The client's time zone, UTC when unknown: the zone of every date.

        Dates, date-times without an offset and ISO weeks of the engagement are
        read in it.
        """
        tz = self.timezone
        return _UTC if tz is None else tz

    def at_midnight(self, day: dt.date) -> dt.datetime:
        """Return 00:00 of *day* in the client's time zone."""
        return dt.datetime.combine(day, _MIDNIGHT, self.local_timezone.tzinfo)

    def moment(self, value: dt.date) -> dt.datetime:
        """Return a date or date-time of the engagement as an aware moment.

        A date is 00:00 of that day and a date-time without an offset is read, in
        the client's time zone.
        """
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=self.local_timezone.tzinfo)
            return value
        return self.at_midnight(value)

    def local_date(self, value: dt.date) -> dt.date:
        """Return the calendar date of a date or date-time in the client's time zone."""
        if isinstance(value, dt.datetime):
            return self.moment(value).astimezone(self.local_timezone.tzinfo).date()
        return value

    def is_known(self, value: dt.date, as_of: dt.date) -> bool:
        """Return whether a fact dated *value* is known at *as_of*.

        A date is known on or before *as_of*, a date-time when it is not after
        00:00 of *as_of* in the client's time zone; later facts are ignored, so
        that a check for a fixed *as_of* is reproducible.
        """
        if isinstance(value, dt.datetime):
            return self.moment(value) <= self.at_midnight(as_of)
        return value <= as_of

    def cadence_anchor(self, as_of: dt.date) -> dt.datetime:
        """Return where cadences without DTSTART start: 00:00 of start, else *as_of*."""
        return self.at_midnight(self.start if self.start is not None else as_of)

    # -- check-ins --------------------------------------------------------------

    @property
    def check_in_cadence(self) -> Cadence | None:
        """The planned check-ins, ``communication.check_ins``, or None."""
        comm = self.communication
        return None if comm is None else comm.check_ins

    def plan_start(self, as_of: dt.date) -> dt.date:
        """Return the day a plan is looked at from: *as_of*, or ``start`` if later.

        Planned check-ins are counted by ISO week from the week containing it.
        """
        start = self.start
        return start if start is not None and start > as_of else as_of

    def planned_check_ins(
        self, week_of: dt.date, *, as_of: dt.date | None = None
    ) -> int | None:
        """Return the check-ins planned in the ISO week containing *week_of*.

        The week is counted in full, Monday to Sunday in the client's time zone;
        the cadence starts at 00:00 of ``start``, else of *as_of*, else of
        *week_of*. None when no check-ins are planned.
        """
        # check_in_cadence and local_timezone, read without their calls: this
        # runs for every engagement of a check, and the count is usually known.
        comm = self.communication
        cadence = None if comm is None else comm.check_ins
        if cadence is None:
            return None
        start = self.start
        day = start if start is not None else week_of if as_of is None else as_of
        client = self.client
        zone = None if client is None else client.timezone
        if zone is None:
            zone = _UTC
        monday = week_of.toordinal() - week_of.weekday()
        key = (cadence.text, day, zone.text, monday)
        planned = _PLANNED.get(key)
        if planned is None:
            anchor = dt.datetime.combine(day, _MIDNIGHT, zone.tzinfo)
            planned = cadence.per_week(anchor, dt.date.fromordinal(monday))
            if len(_PLANNED) >= _PLANNED_LIMIT:
                _PLANNED.clear()
            _PLANNED[key] = planned
        return planned

    def check_ins_by_week(
        self, as_of: dt.date, *, client_only: bool = False
    ) -> dict[dt.date, int]:
        """Count the logged check-ins known at *as_of* by ISO week.

        Weeks run Monday to Sunday in the client's time zone; the keys are the
        Mondays of the weeks with any check-in, in date order. Check-ins after
        *as_of* (see :meth:`is_known`) are not counted; with *client_only*,
        neither are those the vendor called (``by: vendor``).
        """
        tz = self.local_timezone.tzinfo
        limit = dt.datetime.combine(as_of, _MIDNIGHT, tz)
        weeks: dict[int, int] = {}
        for entry in self.check_ins:
            if client_only and entry.by is Side.VENDOR:
                continue
            at = entry.at
            if isinstance(at, dt.datetime):
                if at.tzinfo is None:
                    moment = at.replace(tzinfo=tz)
                elif at.tzinfo is tz:
                    moment = at
                else:
                    moment = at.astimezone(tz)
                if moment > limit:
                    continue
                day = moment.date()
            elif at <= as_of:
                day = at
            else:
                continue
            # Day 1 of the proleptic calendar is a Monday: weeks are runs of 7.
            week = (day.toordinal() - 1) // 7
            weeks[week] = weeks.get(week, 0) + 1
        return {dt.date.fromordinal(w * 7 + 1): n for w, n in sorted(weeks.items())}

    @property
    def source(self) -> str | None:
        """The file the engagement was read from, if any."""
        return self.origin.source if self.origin is not None else None

    def _repr_html_(self) -> str:
        """Show the engagement's key facts as a table in Jupyter."""
        return engagement_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show one line where IPython shows text; ``repr()`` stays in full.

        A notebook keeps that text beside the HTML: the full ``repr()`` of an
        engagement of thousands of check-ins would put megabytes into it.
        """
        del cycle  # an engagement never holds itself
        printer.text(engagement_repr(self))


#: Return a copy of a model object with changes applied, validated again
#: (:func:`attrs.evolve`).
evolve = attrs.evolve
