"""The one cattrs converter between engagement files' plain data and the model."""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import types
import typing
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias, TypeVar, Union, cast

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ._dates import DATE_RANGE, in_range
from ._shorten import describe_value
from ._source import count_keys
from ._suggest import suggest
from .model import (
    Cadence,
    Duration,
    Engagement,
    TimeZone,
    ValueParseError,
    Vendor,
    WorkingHours,
    _enums,
)
from .model._engagement import (
    DateValidator,
    IdValidator,
    InstanceOf,
    NumberValidator,
)
from .model._fields import NOT_IN_FILE, file_fields, is_model_class
from .model._frozen import EMPTY, FrozenDict, frozen_mapping, thaw

__all__ = [
    "FieldError",
    "MissingKeyError",
    "Path",
    "UnknownKeyError",
    "configure_converter",
    "describe_value",
    "iter_errors",
    "make_converter",
    "plain_constructor",
]

Path: TypeAlias = tuple[str | int, ...]
"""Where a value lies inside an engagement's data: keys and list indices."""
_Hook: TypeAlias = Callable[..., Any]
"""A structure hook: takes a value and, optionally, the type to make of it."""


#: The value types of the model, each read from its text by ``parse``.
VALUE_TYPES: Final = (Cadence, Duration, TimeZone, WorkingHours)

#: Fields that hold identifiers: a YAML ``id: 2024`` is read as the text "2024".
IDENTIFIER_FIELDS: Final = frozenset({(Engagement, "id"), (Vendor, "id")})

#: Fields that are not part of the file: where an engagement was read from.

#: How often a value type's cache of parsed texts is cleared, at most.
_CACHE_SIZE: Final = 4096


# -- Errors ----------------------------------------------------------------------


class FieldError(ValueError):
    """A value in an engagement's data that does not fit its key.

    ``expected`` says what the key takes and ``value`` is what was found.
    """

    def __init__(self, message: str, *, expected: str | None, value: Any) -> None:
        """Record *message*, what was *expected* and the *value* found."""
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.value = value

    @classmethod
    def expecting(cls, expected: str, value: Any, detail: str = "") -> FieldError:
        """Return the error "expected *expected*, got *value*", plus *detail*."""
        message = f"expected {expected}, got {describe_value(value)}{detail}"
        return cls(message, expected=expected, value=value)


class UnknownKeyError(FieldError):
    """A key that the mapping it is in does not have; ``suggestion`` is the closest."""

    def __init__(self, key: str, known: tuple[str, ...]) -> None:
        """Record the unknown *key* and the closest of the *known* keys."""
        self.key = key
        self.suggestion = closest(key, known)
        if self.suggestion is not None:
            hint = f": did you mean `{self.suggestion}`?"
        else:
            hint = " (keys of your own must start with `x-`)"
        super().__init__(
            f"unknown key `{key}`{hint}", expected="a known key", value=key
        )


class MissingKeyError(FieldError):
    """A required key that is absent (or null)."""

    def __init__(self, key: str, expected: str) -> None:
        """Record the missing *key* and what it takes."""
        self.key = key
        super().__init__(
            f"missing required key `{key}` ({expected})", expected=expected, value=None
        )


def closest(name: str, known: tuple[str, ...]) -> str | None:
    """Return the known name closest to *name*, or None if none is close."""
    return suggest(name, known)


def iter_errors(
    error: BaseException, path: Path = ()
) -> Iterator[tuple[Path, BaseException]]:
    """Yield each leaf error of a cattrs validation error with the path it concerns.

    Class errors add the attribute (or unknown key) named by their
    :class:`~cattrs.errors.AttributeValidationNote`, list errors the index named by
    their :class:`~cattrs.errors.IterableValidationNote`.
    """
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        for sub in error.exceptions:
            step: str | int | None = None
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, AttributeValidationNote):
                    step = note.name
                    break
                if isinstance(note, IterableValidationNote):
                    step = note.index
                    break
            yield from iter_errors(sub, path if step is None else (*path, step))
    else:
        yield path, error


# -- Leaf hooks --------------------------------------------------------------------

_TEXT: Final = "text"
_DATE: Final = "a date in ISO 8601 form, like 2026-03-01"
_DATETIME: Final = (
    "a date-time in ISO 8601 form, like 2026-03-01T09:00 or 2026-03-01T09:00+08:00"
)
_DATE_OR_DATETIME: Final = (
    "a date or date-time in ISO 8601 form, like 2026-03-01 or 2026-03-01T09:00"
)
_DATE_OR_CADENCE: Final = (
    "a date in ISO 8601 form, like 2026-03-01, or a cadence, like `monthly`"
)
#: What a date or a date-time in the right form but outside the range needs.
_DATE_IN_RANGE: Final = f"a date from {DATE_RANGE}"
_DATETIME_IN_RANGE: Final = f"a date-time from {DATE_RANGE}"

_DATE_SHAPE: Final = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_DATETIME_SHAPE: Final = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]"
    r"([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)


def _text(value: Any, _: Any = None) -> str:
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    raise FieldError.expecting(_TEXT, value)


def _identifier(value: Any, _: Any = None) -> str:
    """Read an identifier: text, or a whole number as YAML reads ``id: 2024``."""
    if type(value) is str:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _bool(value: Any, _: Any = None) -> bool:
    if value is True or value is False:
        return value
    raise FieldError.expecting("true or false", value)


def _int(value: Any, _: Any = None) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is float and value.is_integer():
        return int(value)
    raise FieldError.expecting("a whole number", value)


def _float(value: Any, _: Any = None) -> float:
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return value  # type: ignore[no-any-return]
    raise FieldError.expecting("a number", value)


def _text_or_number(value: Any, _: Any = None) -> str | float:
    kind = type(value)
    if kind is str or kind is int or (kind is float and math.isfinite(value)):
        return value  # type: ignore[no-any-return]
    raise FieldError.expecting("text or a number", value)


#: Hooks whose common results can be looked up by value, with their tables: the
#: generated class hooks look there first and call the hook only on a miss.
_LOOKUPS: Final[weakref.WeakKeyDictionary[_Hook, Mapping[Any, Any]]] = (
    weakref.WeakKeyDictionary()
)


#: Hooks of lists of model objects, with the hook of one item: the generated class
#: hooks map the item hook over a list themselves.
_ITEMS: Final[weakref.WeakKeyDictionary[_Hook, _Hook]] = weakref.WeakKeyDictionary()

#: The generated hooks that count the keys of what they read (see
#: :func:`_fast_class_hook`).
_COUNTING: Final[weakref.WeakSet[_Hook]] = weakref.WeakSet()


def _caching(hook: _Hook) -> _Hook:
    """Return *hook* remembering what it made of each text, for quick lookups."""
    cache: dict[str, Any] = {}

    def structure(value: Any, _: Any = None) -> Any:
        if type(value) is str:
            found = cache.get(value)
            if found is not None:
                return found
            result = hook(value)
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[value] = result
            return result
        return hook(value)

    _LOOKUPS[structure] = cache
    return structure


_Day = TypeVar("_Day", bound=dt.date)


def _in_range(day: _Day, value: Any, expected: str) -> _Day:
    """Return *day*, read from *value*, if it lies in the range dates are read in."""
    if in_range(day):
        return day
    raise FieldError.expecting(expected, value)


def _parse_date(value: Any) -> dt.date:
    if type(value) is str:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return dt.date.fromisoformat(value)
            except ValueError as error:
                raise FieldError.expecting(_DATE, value, f" ({error})") from None
        raise FieldError.expecting(_DATE, value)
    if type(value) is dt.date:
        return value
    raise FieldError.expecting(_DATE, value)


def _read_date(value: Any, _: Any = None) -> dt.date:
    return _in_range(_parse_date(value), value, _DATE_IN_RANGE)


_date = _caching(_read_date)


def _read_datetime(value: Any, _: Any = None) -> dt.datetime:
    return _in_range(_parse_datetime(value), value, _DATETIME_IN_RANGE)


def _parse_datetime(value: Any) -> dt.datetime:
    if type(value) is str:
        match = _DATETIME_SHAPE.fullmatch(value)
        if match is None:
            raise FieldError.expecting(_DATETIME, value)
        day, time, offset = match.groups()
        if offset == "Z":
            offset = "+00:00"
        if "." in time:  # Python 3.10 reads 3 or 6 digits of fractions only
            whole, fraction = time.split(".")
            time = f"{whole}.{fraction.ljust(6, '0')}"
        try:
            return dt.datetime.fromisoformat(f"{day}T{time}{offset or ''}")
        except ValueError as error:
            raise FieldError.expecting(_DATETIME, value, f" ({error})") from None
    if type(value) is dt.datetime:
        return value
    raise FieldError.expecting(_DATETIME, value)


_datetime = _caching(_read_datetime)


def _read_date_or_datetime(value: Any, _: Any = None) -> dt.date:
    if (type(value) is str and len(value) > 10) or isinstance(value, dt.datetime):
        try:
            moment = _parse_datetime(value)
        except FieldError:
            raise FieldError.expecting(_DATE_OR_DATETIME, value) from None
        return _in_range(moment, value, _DATETIME_IN_RANGE)
    try:
        day = _parse_date(value)
    except FieldError as error:
        detail = "" if not isinstance(value, str) else _detail(error)
        raise FieldError.expecting(_DATE_OR_DATETIME, value, detail) from None
    return _in_range(day, value, _DATE_IN_RANGE)


_date_or_datetime = _caching(_read_date_or_datetime)


def _detail(error: FieldError) -> str:
    """Return the parenthesised detail at the end of *error*'s message, if any."""
    message = error.message
    start = message.rfind(" (")
    return message[start:] if start >= 0 and message.endswith(")") else ""


def _parser(cls: Any) -> _Hook:
    """Return a hook reading *cls*, a value type, from its text, caching by text."""
    parse = cls.parse
    cache: dict[str, Any] = {}

    def structure(value: Any, _: Any = None) -> Any:
        if type(value) is str:
            found = cache.get(value)
            if found is not None:
                return found
            try:
                parsed = parse(value)
            except ValueParseError as error:
                raise FieldError(
                    f"expected {error.expected}, got {describe_value(value)}"
                    + _parse_detail(error),
                    expected=error.expected,
                    value=value,
                ) from None
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[value] = parsed
            return parsed
        if isinstance(value, cls):
            return value
        raise FieldError.expecting(_EXPECTED_TEXT.get(cls, _TEXT), value)

    _LOOKUPS[structure] = cache
    return structure


def _parse_detail(error: ValueParseError) -> str:
    """Return what a value type's parser said beyond "expected X", if anything."""
    hint = getattr(error, "hint", None)
    return f" ({hint})" if isinstance(hint, str) and hint else ""


_EXPECTED_TEXT: Final[Mapping[Any, str]] = {
    Cadence: "a cadence, like `weekly` or `FREQ=WEEKLY;BYDAY=MO`",
    Duration: "a duration, like `24h`, `2 business days` or `PT4H`",
    TimeZone: "a time zone, like `Asia/Manila` or `+08:00`",
    WorkingHours: "working hours, like `09:00-17:30` or `Mon-Fri 09:00-17:30`",
}


def _date_or_cadence(cadence: _Hook) -> _Hook:
    def structure(value: Any, _: Any = None) -> Any:
        if type(value) is str and _DATE_SHAPE.fullmatch(value):
            return _date(value)
        if type(value) is dt.date:
            return _in_range(value, value, _DATE_IN_RANGE)
        if isinstance(value, Cadence):
            return value
        if type(value) is not str:
            raise FieldError.expecting(_DATE_OR_CADENCE, value)
        try:
            return cadence(value)
        except FieldError as error:
            detail = _detail(error)
            raise FieldError.expecting(_DATE_OR_CADENCE, value, detail) from None

    return _caching(structure)


def _enum(cls: type[enum.Enum]) -> _Hook:
    members = dict(cls._value2member_map_)
    choices = tuple(str(m.value) for m in cls)
    expected = "one of " + " | ".join(choices)

    def structure(value: Any, _: Any = None) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            pass
        if isinstance(value, cls):
            return value
        hint = ""
        if isinstance(value, str):
            best = closest(value.lower(), choices)
            if best is not None:
                hint = f" (did you mean `{best}`?)"
        raise FieldError.expecting(expected, value, hint) from None

    _LOOKUPS[structure] = members
    return structure


# -- Model classes -------------------------------------------------------------------


_EXPECTED: Final[Mapping[Any, str]] = {
    str: _TEXT,
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dt.date: _DATE,
    dt.datetime: _DATETIME,
    frozenset({dt.date, dt.datetime}): _DATE_OR_DATETIME,
    frozenset({dt.date, Cadence}): _DATE_OR_CADENCE,
    frozenset({str, float}): "text or a number",
}


def _expected_of(tp: Any) -> str:
    """Return what a field of type *tp* takes, in a file's words."""
    inner = _optional_of(tp)
    if inner is not None:
        tp = inner
    args = frozenset(a for a in typing.get_args(tp) if a is not type(None))
    key = args if _is_union(tp) else tp
    expected = _EXPECTED.get(key) or _EXPECTED_TEXT.get(tp)
    if expected is None:
        if _is_enum(tp):
            expected = "one of " + " | ".join(str(m.value) for m in tp)
        elif _is_tuple(tp):
            expected = "a list"
        else:
            expected = "a mapping"
    return expected


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in {Union, types.UnionType}


def _class_hook(cls: type, converter: cattrs.Converter) -> _Hook:
    """Return the hook that reads a model class from a mapping.

    Keys starting with ``x-`` go to ``extensions``; any other unknown key is an
    error naming the closest known one. A null value is the same as an absent key.
    """
    fields = file_fields(cls)
    hooks: dict[str, tuple[_Hook, Any]] = {}
    for name, tp in fields.items():
        inner = _optional_of(tp)
        if inner is not None:
            tp = inner  # noqa: PLW2901 -- null is read as the default by the class
        if (cls, name) in IDENTIFIER_FIELDS:
            hooks[name] = (_identifier, tp)
        else:
            hooks[name] = (converter.get_structure_hook(tp), tp)
    known = tuple(fields)
    if converter.detailed_validation or hasattr(cls, "__attrs_pre_init__"):
        return _generated_class_hook(cls, hooks, known, converter)
    return _fast_class_hook(cls, hooks, known)


_FACTORY_TYPE: Final[type[Any]] = type(attrs.Factory(dict))


def _fast_class_hook(
    cls: type, hooks: dict[str, tuple[_Hook, Any]], known: tuple[str, ...]
) -> _Hook:
    """Return a generated hook that reads valid data quickly.

    The object is built without its class's ``__init__``: each hook already
    returns exactly its field's type, so the type validators are skipped, while
    every other validator and ``__attrs_post_init__`` still run. This is what
    loading needs to keep near ``json.loads``; cattrs' generated functions call
    ``__init__``, which checks every type again.

    The fields are set on an object of the class's builder (see
    :func:`_builder`), which then becomes an object of the class itself, before
    any validator sees it. The keys read are counted, so that a mapping holding
    only fields is known without comparing its keys.

    Given a list as *tally*, the hook appends the number of keys of every
    mapping it reads, nested ones included, for a caller that checks the data
    holds as many keys as its text (see ``parse``'s *check_keys*). Mappings it
    cannot see into may go uncounted, which only makes that check fail; none is
    counted twice.
    """
    writer = _HookWriter(cls, known)
    for attribute in attrs.fields(cls):
        if attribute.name == "origin":
            writer.lines.append(f"    {writer.store('origin', 'origin')}")
        elif attribute.name != "extensions":
            writer.field(attribute, *hooks[attribute.name])
    structure = writer.finish()
    _COUNTING.add(structure)
    return structure


class _HookWriter:
    """Writes the code of the hook :func:`_fast_class_hook` returns."""

    def __init__(self, cls: type, known: tuple[str, ...]) -> None:
        self.cls = cls
        self.builder = _builder(cls)
        self.names: dict[str, Any] = {
            "_cls": cls,
            "_new": object.__new__,
            "_make": cls if self.builder is None else self.builder,
            "_known": known,
            "_fields": frozenset(known),
            "_extensions": _extensions_of,
            "_frozen": _frozen_extensions,
            "_no_extensions": EMPTY,
            "_mapping": _mapping,
            "_count_keys": count_keys,
        }
        self.lines = [
            "def structure(data, _=None, origin=None, tally=None):",
            "    if type(data) is not dict:",
            "        data = _mapping(data)",
            "    self = _new(_make)",
            "    n = 0",
        ]
        #: The validators left to run once every field is set.
        self.checks: list[str] = []

    def store(self, name: str, value: str) -> str:
        """Return the statement setting the field *name* to *value*."""
        if self.builder is None:
            self.names[f"_s_{name}"] = _setter(self.cls, name)
            return f"_s_{name}(self, {value})"
        return f"self.{name} = {value}"

    def field(self, attribute: attrs.Attribute[Any], hook: _Hook, tp: Any) -> None:
        """Write the lines reading the field of *attribute* with *hook*, as *tp*."""
        name = attribute.name
        names, lines = self.names, self.lines
        names[f"_h_{name}"] = hook
        names[f"_t_{name}"] = tp
        lines.append(f"    v = data.get({name!r})")
        if _uncounted(hook, tp):
            lines.extend(
                [
                    "    if tally is not None and v is not None:",
                    "        tally.append(_count_keys(v))",
                ]
            )
        lines.extend(_convert_lines(name, tp, hook, attribute.default, names))
        lines.append(f"    {self.store(name, 'v')}")
        for index, validator in enumerate(_needed(attribute.validator, tp)):
            key = f"{name}_{index}"
            names[f"_v_{key}"] = validator
            names[f"_a_{name}"] = attribute
            call = f"_v_{key}(self, _a_{name}, v_{name})"
            guard = _passes(validator, tp, f"v_{name}", names)
            if guard is None:
                self.checks.append(f"    {call}")
            else:
                self.checks.extend([f"    if not ({guard}):", f"        {call}"])
            if index == 0:
                lines.append(f"    v_{name} = v")

    def finish(self) -> _Hook:
        """Write the end of the hook: ``x-`` keys, checks; return the hook."""
        cls, names, lines = self.cls, self.names, self.lines
        checks = self.checks
        extensions = attrs.fields_dict(cls).get("extensions")
        if extensions is not None:
            # A mapping with as many keys as fields were read holds nothing else;
            # any other is sorted out: x- values from files are plain data, from
            # Python they are checked; another key is an error.
            names["_a_extensions"] = extensions
            names["_v_extensions"] = extensions.validator
            lines.extend(
                [
                    "    if len(data) == n:",
                    "        e = None",
                    f"        {self.store('extensions', '_no_extensions')}",
                    "    else:",
                    "        e = _extensions(data, _fields, _known)",
                    "        if tally is not None:",
                    "            tally.append(_count_keys(e) - len(e))",
                    "        e = _frozen(e)",
                    f"        {self.store('extensions', 'e')}",
                ]
            )
            checks = [
                "    if e is not None:",
                "        _v_extensions(self, _a_extensions, e)",
                *checks,
            ]
        if self.builder is not None:
            lines.append("    self.__class__ = _cls")
        lines.extend(checks)
        if hasattr(cls, "__attrs_post_init__"):
            lines.append("    self.__attrs_post_init__()")
        lines.extend(
            [
                "    if tally is not None:",
                "        tally.append(len(data))",
                "    return self",
            ]
        )
        code = "\n".join(lines)
        exec(compile(code, f"<structure {cls.__name__}>", "exec"), names)  # noqa: S102
        structure: _Hook = names["structure"]
        return structure


def _uncounted(hook: _Hook, tp: Any) -> bool:
    """Return whether a field's *hook* may take mappings it does not count.

    Such a field's value has its keys counted by the generated hook before it
    is read.
    """
    if hook in _COUNTING:
        return False
    if _is_tuple(tp):
        item = typing.get_args(tp)[0]
        return not (hook in _ITEMS and _ITEMS[hook] in _COUNTING) and not _leaf(item)
    return not _leaf(tp)


def _leaf(tp: Any) -> bool:
    """Return whether the hook for *tp* refuses every mapping and list of mappings."""
    if _is_union(tp):
        return all(_leaf(a) for a in typing.get_args(tp) if a is not type(None))
    return tp in _LEAVES or _is_enum(tp)


#: Types read from text, numbers or booleans only.
_LEAVES: Final = frozenset({str, int, float, bool, dt.date, dt.datetime, *VALUE_TYPES})


def _builder(cls: type) -> type | None:
    """Return a class laid out as *cls* whose objects take their fields by assignment.

    The model classes are frozen: their fields can only be set through each
    field's slot descriptor, a call that costs several times a plain assignment.
    The builder is a subclass adding nothing but the plain ``__setattr__``, so an
    object of it can be changed into an object of *cls* (same layout) once its
    fields are set. None when *cls* keeps a field elsewhere than in a slot of its
    own layout, or does not allow the change.
    """
    for attribute in attrs.fields(cls):
        owner = next((k for k in cls.__mro__ if attribute.name in k.__dict__), None)
        if owner is None or not isinstance(
            owner.__dict__[attribute.name], types.MemberDescriptorType
        ):
            return None
    namespace = {
        "__slots__": (),
        "__module__": cls.__module__,
        "__qualname__": f"{cls.__qualname__}.<being read>",
        # Both, so that the type's attribute setting is the plain one again.
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
    }
    builder = type(cls.__name__, (cls,), namespace)
    try:
        probe: Any = object.__new__(builder)
        probe.__class__ = cls
    except TypeError:  # pragma: no cover -- model classes are slotted attrs classes
        return None
    return builder


def plain_constructor(cls: type[_Built]) -> Callable[..., _Built]:
    """Return a function making *cls* objects from all their fields, in order.

    For a model class that checks and converts nothing, whose objects are made
    in bulk (an engagement's :class:`~outsourcekit.model.Origin`): the function
    builds what ``cls(**fields)`` builds, without the cost of ``__init__``.
    Every field must be given, by position or by name.

    Raises:
        TypeError: *cls* checks or converts a field, or runs code after
            ``__init__``: only ``__init__`` builds it.

    """
    fields = attrs.fields(cast("Any", cls))
    builder = _builder(cls)
    if (
        builder is None
        or hasattr(cls, "__attrs_post_init__")
        or any(a.validator is not None or a.converter is not None for a in fields)
    ):
        msg = f"{cls.__name__} is built by its __init__ only"
        raise TypeError(msg)
    names = [a.name for a in fields]
    code = "\n".join(
        [
            f"def make({', '.join(names)}):",
            "    self = _new(_builder)",
            *(f"    self.{name} = {name}" for name in names),
            "    self.__class__ = _cls",
            "    return self",
        ]
    )
    namespace: dict[str, Any] = {
        "_new": object.__new__,
        "_builder": builder,
        "_cls": cls,
    }
    exec(compile(code, f"<make {cls.__name__}>", "exec"), namespace)  # noqa: S102
    make: Callable[..., _Built] = namespace["make"]
    return make


_Built = TypeVar("_Built")


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """Return a function setting the field *name* of a new *cls* object."""
    slot = cls.__dict__.get(name)
    if isinstance(slot, types.MemberDescriptorType):
        return slot.__set__

    def set_field(obj: Any, value: Any) -> None:
        object.__setattr__(obj, name, value)

    return set_field


def _convert_lines(
    name: str, tp: Any, hook: _Hook, default: Any, names: dict[str, Any]
) -> list[str]:
    """Return the generated lines making ``v``, the value of *name*, its field's.

    A value that is not None counts as a key read, in ``n``.
    """
    convert = ["n += 1", *_check_lines(name, tp, hook, names)]
    if default is attrs.NOTHING:
        # None is no value: the hook refuses it.
        return [
            "    if v is not None:",
            "        n += 1",
            *(f"    {line}" for line in convert[1:]),
        ]
    if isinstance(default, _FACTORY_TYPE):
        factory = default.factory
        if factory is tuple:
            fallback = "()"
        else:
            names[f"_f_{name}"] = factory
            fallback = f"_f_{name}()"
    elif default is None:
        return ["    if v is not None:", *(f"        {line}" for line in convert)]
    else:
        names[f"_d_{name}"] = default
        fallback = f"_d_{name}"
    return [
        "    if v is None:",
        f"        v = {fallback}",
        "    else:",
        *(f"        {line}" for line in convert),
    ]


def _check_lines(name: str, tp: Any, hook: _Hook, names: dict[str, Any]) -> list[str]:
    """Return the generated lines reading ``v``, which is not None.

    Values whose type is already right are taken without calling the hook; values
    the hook has seen before are looked up in its table.
    """
    call = f"v = _h_{name}(v, _t_{name})"
    item = typing.get_args(tp)[0] if _is_tuple(tp) else None
    if item is str:
        convert = [
            "if type(v) is list:",
            "    for x in v:",
            "        if type(x) is not str:",
            f"            {call}",
            "            break",
            "    else:",
            "        v = tuple(v)",
            "else:",
            f"    {call}",
        ]
    elif item is not None and hook in _ITEMS:
        # A loop calls the item hook from Python, cheaper than map() from C.
        items = _ITEMS[hook]
        names[f"_i_{name}"] = items
        counted = ", None, None, tally" if items in _COUNTING else ""
        convert = [
            "if type(v) is list:",
            "    r = []",
            "    for x in v:",
            f"        r.append(_i_{name}(x{counted}))",
            "    v = tuple(r)",
            "else:",
            f"    {call}",
        ]
    elif tp is str:
        convert = ["if type(v) is not str:", f"    {call}"]
    elif tp is bool:
        convert = ["if v is not True and v is not False:", f"    {call}"]
    elif tp is float:
        # ``v - v`` is 0.0 for a finite float only (NaN for NaN and infinities).
        convert = [
            "if type(v) is not int and (type(v) is not float or v - v != 0.0):",
            f"    {call}",
        ]
    elif tp is int:
        convert = ["if type(v) is not int:", f"    {call}"]
    elif hook in _LOOKUPS:
        names[f"_l_{name}"] = _LOOKUPS[hook]
        convert = [
            "try:",
            f"    v = _l_{name}[v]",
            "except (KeyError, TypeError):",
            f"    {call}",
        ]
    elif hook in _COUNTING:
        convert = [f"v = _h_{name}(v, _t_{name}, None, tally)"]
    else:
        convert = [call]
    return convert


def _non_null(tp: Any) -> Any:
    """Return *tp* without None: ``X | Y`` for ``X | Y | None``."""
    if not _is_union(tp):
        return tp
    args = tuple(a for a in typing.get_args(tp) if a is not type(None))
    return args[0] if len(args) == 1 else Union[args]  # noqa: UP007 -- built from args


def _optional_of(tp: Any) -> Any:
    """Return ``X`` for ``X | None``, else None."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if _is_union(tp) and len(args) == 1:
        return args[0]
    return None


def _frozen_extensions(extensions: dict[str, Any]) -> FrozenDict[str, Any]:
    """Return the ``x-`` values read, frozen: copied, so that nothing else holds them.

    A portfolio's ``defaults:`` give the same values to each of its
    engagements, and a caller of ``from_dict`` keeps its own data.
    """
    return frozen_mapping(extensions)


def _extensions_of(
    data: Mapping[Any, Any], fields: frozenset[str], known: tuple[str, ...]
) -> dict[str, Any]:
    """Return the ``x-`` keys of *data*; raise for the first key that is no field."""
    extensions = {}
    for key, value in data.items():
        if key in fields:
            continue
        if isinstance(key, str) and key.startswith("x-"):
            extensions[key] = value
        else:
            raise UnknownKeyError(str(key), known)
    return extensions


def _produces(tp: Any) -> tuple[type, ...] | None:
    """Return the types the hook for *tp* returns, None if unknown."""
    if tp is float:
        return (int, float)
    if isinstance(tp, type) and typing.get_origin(tp) is None:
        return (tp,)
    if _is_union(tp):
        found: list[type] = []
        for arg in typing.get_args(tp):
            produced = (type(None),) if arg is type(None) else _produces(arg)
            if produced is None:
                return None
            found.extend(produced)
        return tuple(found)
    if _is_tuple(tp):
        return (tuple,)
    return None


_INSTANCE_OF: Final = type(attrs.validators.instance_of(int))
_OPTIONAL: Final = type(attrs.validators.optional(attrs.validators.instance_of(int)))
_DEEP: Final = type(attrs.validators.deep_iterable(attrs.validators.instance_of(int)))
_AND: Final = type(attrs.validators.and_(attrs.validators.instance_of(int)))


def _needed(validator: Any, tp: Any) -> list[Any]:
    """Return the parts of a field's *validator* its hook does not already ensure."""
    if validator is None:
        return []
    if type(validator) is _AND:
        parts = cast("Any", validator)._validators  # noqa: SLF001
        return [v for v in parts if not _guaranteed(v, tp)]
    return [] if _guaranteed(validator, tp) else [validator]


_NOT: Final = type(attrs.validators.not_(attrs.validators.instance_of(int)))
_NUMBERS: Final = (int, float)


def _passes(validator: Any, tp: Any, name: str, names: dict[str, Any]) -> str | None:
    """Return an expression of *name* that is true when *validator* passes for sure.

    The generated hooks call the validator only when the expression is false, so
    that it raises its own error; None means the validator always runs. What
    the expression uses is added to *names*.
    """
    if type(validator) is NumberValidator and _only(_NUMBERS, _produces(_non_null(tp))):
        return f"{name} is None or {name} >= {validator.minimum!r}"
    if type(validator) is IdValidator:
        names[f"_m_{name}"] = validator.pattern.fullmatch
        return f"type({name}) is str and _m_{name}({name}) is not None"
    return None


def _guaranteed(validator: Any, tp: Any) -> bool:
    """Return whether *validator* only checks types the hook for *tp* ensures."""
    kind = type(validator)
    if kind is _AND:
        return all(_guaranteed(v, tp) for v in validator._validators)  # noqa: SLF001
    if kind is _OPTIONAL:
        return _guaranteed(validator.validator, _non_null(tp))
    if kind is NumberValidator or kind is DateValidator:
        return _settled(validator, _produces(_non_null(tp)))
    if kind is _DEEP:
        seq = _non_null(tp)
        iterable = validator.iterable_validator
        return (
            _is_tuple(seq)
            and _guaranteed(validator.member_validator, typing.get_args(seq)[0])
            and (iterable is None or _guaranteed(iterable, seq))
        )
    if kind is _NOT and type(validator.validator) is _INSTANCE_OF:
        produced = _produces(tp)
        denied = cast("Any", validator.validator).type
        return produced is not None and not any(issubclass(p, denied) for p in produced)
    return (kind is _INSTANCE_OF or kind is InstanceOf) and _all_instances(
        tp, validator.type
    )


def _settled(
    validator: NumberValidator | DateValidator, produced: tuple[type, ...] | None
) -> bool:
    """Return whether values of the *produced* types always pass *validator*."""
    if isinstance(validator, NumberValidator):
        return validator.minimum is None and _only(_NUMBERS, produced)
    return produced is not None and all(
        p is dt.date or issubclass(p, validator.also) for p in produced
    )


def _only(allowed: tuple[type, ...], produced: tuple[type, ...] | None) -> bool:
    """Return whether every one of the *produced* types is an *allowed* type."""
    return produced is not None and all(issubclass(p, allowed) for p in produced)


def _all_instances(tp: Any, allowed: type | tuple[type, ...]) -> bool:
    """Return whether every value the hook for *tp* returns is an *allowed* type."""
    produced = _produces(tp)
    return (
        produced is not None
        and type(None) not in produced
        and all(issubclass(p, allowed) for p in produced)
    )


#: Where the generated hooks of cattrs find ``extensions`` and ``origin``: keys
#: starting with ``x-`` are taken out of the data first, so no key of a file is either.
_EXTENSIONS: Final = "x- extensions"
_ORIGIN: Final = "x- origin"


def _generated_class_hook(
    cls: type,
    hooks: dict[str, tuple[_Hook, Any]],
    known: tuple[str, ...],
    converter: cattrs.Converter,
) -> _Hook:
    """Return a hook building *cls* by cattrs' generated function and ``__init__``.

    With detailed validation every problem is collected: each field's hook runs the
    field's validator, so that each bad field is reported on its own, and the
    checks across fields still run on the fields that are fine. Without, it builds
    the classes the fast hook cannot: those with an ``__attrs_pre_init__``.
    """
    attributes = attrs.fields_dict(cls)
    overrides: dict[str, Any] = {
        name: override(struct_hook=_field_hook(hook, tp, attributes[name]))
        for name, (hook, tp) in hooks.items()
    }
    overrides["extensions"] = override(rename=_EXTENSIONS, struct_hook=_as_is)
    if "origin" in attributes:
        overrides["origin"] = override(rename=_ORIGIN, struct_hook=_as_is)
    fields = frozenset(known)
    generated: _Hook = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=True, **overrides
    )

    def structure(data: Any, _: Any = None, origin: Any = None) -> Any:
        given = _given(_mapping(data), origin, fields)
        try:
            return generated(given)
        except ForbiddenExtraKeysError as error:  # without detailed validation
            key = next(k for k in given if k in error.extra_fields)
            raise UnknownKeyError(str(key), known) from None
        except ClassValidationError as error:
            first = error.exceptions[0]  # the one error of __init__, if it ran
            extra = isinstance(first, ForbiddenExtraKeysError)
            init_ran = _step(first) is None and not extra
            # cattrs says "KeyError" and "extra keys" and lists by field; a file's
            # author reads its keys by name, in the order written.
            order = {key: index for index, key in enumerate(given)}
            errors = sorted(
                _explained(error.exceptions, given, known),
                key=lambda e: order.get(_step(e), len(order)),
            )
            if not init_ran:
                # Checks across fields still run, on the fields that are fine.
                failed = {_step(e) for e in errors}
                try:
                    generated({k: v for k, v in given.items() if k not in failed})
                except ClassValidationError as retry:
                    unnamed = [e for e in retry.exceptions if _step(e) is None]
                    errors.extend(_explained(unnamed, given, known))
            msg = f"While structuring {cls.__name__}"
            raise ClassValidationError(msg, errors, cls) from None

    return structure


def _given(
    data: Mapping[Any, Any], origin: Any, fields: frozenset[str]
) -> dict[Any, Any]:
    """Return *data* as the generated hooks take it.

    A null value of a field is no value; the ``x-`` keys are gathered into one
    mapping.
    """
    extensions = {
        k: v for k, v in data.items() if isinstance(k, str) and k.startswith("x-")
    }
    given = {
        k: v
        for k, v in data.items()
        if k not in extensions and (v is not None or k not in fields)
    }
    given[_EXTENSIONS] = extensions
    if origin is not None:
        given[_ORIGIN] = origin
    return given


def _field_hook(hook: _Hook, tp: Any, attribute: attrs.Attribute[Any]) -> _Hook:
    """Return *hook* reading a value of type *tp*, then checking it as *attribute* does.

    Each field is checked on its own, where ``__init__`` stops at the first field
    that fails.
    """
    validator = attribute.validator

    def structure(value: Any, _: Any = None) -> Any:
        result = hook(value, tp)
        if validator is not None:
            validator(None, attribute, result)
        return result

    return structure


def _as_is(value: Any, _: Any = None) -> Any:
    return value


def _explained(
    errors: Sequence[Exception], given: Mapping[Any, Any], known: tuple[str, ...]
) -> list[Exception]:
    """Return cattrs' *errors* in a file's words, each noted with its key."""
    result: list[Exception] = []
    for error in errors:
        note = _note_of(error)
        if isinstance(error, ForbiddenExtraKeysError):
            unknown = [k for k in given if k in error.extra_fields]
            result.extend(
                _note(UnknownKeyError(str(k), known), k, None) for k in unknown
            )
        elif note is None:
            # An error of __init__, about the field it names, if it names one.
            name = _attribute_named(error)
            result.append(error if name is None else _note(error, name, None))
        elif type(error) is KeyError and error.args == (note.name,):
            missing = MissingKeyError(note.name, _expected_of(note.type))
            result.append(_note(missing, note.name, note.type))
        else:
            result.append(error)
    return result


def _note_of(error: BaseException) -> AttributeValidationNote | None:
    notes = getattr(error, "__notes__", ())
    return next((n for n in notes if isinstance(n, AttributeValidationNote)), None)


def _step(error: BaseException) -> Any:
    """Return the key an error is noted with, None if none."""
    note = _note_of(error)
    return None if note is None else note.name


def _mapping(data: Any) -> Mapping[Any, Any]:
    if isinstance(data, Mapping):
        return data
    raise FieldError.expecting("a mapping", data)


def _note(error: Exception, name: Any, tp: Any) -> Exception:
    note = AttributeValidationNote(f"Structuring @ attribute {name}", name, tp)
    error.__notes__ = [*getattr(error, "__notes__", ()), note]
    return error


def _attribute_named(error: BaseException) -> str | None:
    """Return the field an attrs-style validator error names, if it names one."""
    for arg in error.args[1:2]:
        if isinstance(arg, attrs.Attribute):
            return arg.name
        if isinstance(arg, str):
            return arg
    return None


def _union_hook(tp: Any, converter: cattrs.Converter) -> _Hook:
    """Return the hook for the unions the model uses; null is handled by the class.

    ``X | None`` is left to cattrs.
    """
    kinds = {a for a in typing.get_args(tp) if a is not type(None)}
    if kinds == {dt.date, dt.datetime}:
        return _date_or_datetime
    if kinds == {dt.date, Cadence}:
        return _date_or_cadence(converter.get_structure_hook(Cadence))
    if kinds in ({str, float}, {str, int, float}):
        return _text_or_number
    msg = f"no structure hook for {tp!r}"
    raise cattrs.errors.StructureHandlerNotFoundError(msg, tp)


def _tuple_hook(tp: Any, converter: cattrs.Converter) -> _Hook:
    """Return the hook reading a list into a tuple; strings are no lists."""
    item_type = typing.get_args(tp)[0]
    items = list_structure_factory(tp, converter)

    def structure(value: Any, _: Any = None) -> tuple[Any, ...]:
        if isinstance(value, (list, tuple)):
            return tuple(items(value, tp))
        raise FieldError.expecting("a list", value)

    if is_model_class(item_type):
        _ITEMS[structure] = converter.get_structure_hook(item_type)
    return structure


def _is_tuple(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def _is_mapping(tp: Any) -> bool:
    return typing.get_origin(tp) is Mapping


def _options(value: Any, _: Any = None) -> dict[str, Any]:
    """Read a mapping of options: text keys, plain values (checked by the model)."""
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return dict(value)
    raise FieldError.expecting("a mapping of option names to values", value)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


# -- Unstructuring -------------------------------------------------------------------


def _word_of(value: enum.Enum) -> str:
    return str(value.value)


def _text_of(value: Any) -> str:
    return str(value.text)


def _iso_date(value: dt.date) -> str:
    return value.isoformat()


def _iso_datetime(value: dt.datetime) -> str:
    if value.second == 0 and value.microsecond == 0:
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _class_unhook(cls: type, converter: cattrs.Converter) -> Callable[[Any], Any]:
    """Return the hook writing a model object as a mapping in field order.

    Values equal to their default (None, empty lists) are left out; ``x-`` keys
    follow the fields. (cattrs writes fields without a default first: the model
    declares them first.)
    """
    fields = attrs.fields_dict(cls)
    omitted: dict[str, Any] = {
        n: override(omit=True) for n in NOT_IN_FILE if n in fields
    }
    unstructure: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls, converter, _cattrs_omit_if_default=True, **omitted
    )

    def unstructure_object(obj: Any) -> dict[str, Any]:
        result = unstructure(obj)
        if obj.extensions:
            # x- keys sit beside the fields, not under a key of their own; thawed
            # into plain lists and dicts, which the caller may change.
            result.update(thaw(obj.extensions))
        return result

    return unstructure_object


# -- The converter ---------------------------------------------------------------


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure *converter* for engagement files' plain data.

    * model classes read from mappings; ``x-`` keys go to ``extensions`` and come
      back on unstructuring; other unknown keys are errors that suggest the
      closest known key; null is the same as an absent key;
    * dates and date-times are ISO 8601 text (or date objects); enumerations
      their lower-case values; cadences, durations, time zones and working hours
      their text, parsed once per distinct text;
    * numbers, booleans and text are strict: ``"5"`` is no number, ``5`` no text,
      except identifiers (``id``), where a whole number is read as its digits;
    * lists become tuples, and strings are not lists;
    * unstructuring leaves out what equals its default, so dumps stay tidy.
    """
    conv = converter
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(dt.datetime, _datetime)
    for value_type in VALUE_TYPES:
        conv.register_structure_hook(value_type, _parser(value_type))
    conv.register_structure_hook_factory(_is_enum, _enum)
    # The file's enumerations are text too (``str`` is among their bases), and
    # the hooks of a class win over the factories: each gets its own, so that
    # a word is read as its member, and a member written as its plain word.
    for name in _enums.__all__:
        choice = getattr(_enums, name)
        conv.register_structure_hook(choice, _enum(choice))
        conv.register_unstructure_hook(choice, _word_of)
    conv.register_structure_hook_factory(
        lambda tp: _is_union(tp) and _optional_of(tp) is None,
        lambda tp: _union_hook(tp, converter),
    )
    conv.register_structure_hook_factory(
        _is_tuple, lambda tp: _tuple_hook(tp, converter)
    )
    conv.register_structure_hook_factory(_is_mapping, lambda _tp: _options)
    conv.register_structure_hook_factory(
        is_model_class, lambda cls: _class_hook(cls, converter)
    )

    conv.register_unstructure_hook(dt.date, _iso_date)
    conv.register_unstructure_hook(dt.datetime, _iso_datetime)
    for value_type in VALUE_TYPES:
        conv.register_unstructure_hook(value_type, _text_of)
    conv.register_unstructure_hook_factory(
        is_model_class, lambda cls: _class_unhook(cls, converter)
    )


def make_converter(*, detailed_validation: bool = False) -> cattrs.Converter:
    """Return a converter configured by :func:`configure_converter`.

    The default, without detailed validation, is the fast one: it stops at the
    first problem. With *detailed_validation* every problem is collected in a
    :class:`cattrs.ClassValidationError` tree; :func:`iter_errors` walks it.
    """
    converter = cattrs.Converter(
        detailed_validation=detailed_validation,
        forbid_extra_keys=True,
        omit_if_default=True,
    )
    configure_converter(converter)
    return converter
