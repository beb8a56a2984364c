"""The JSON Schema of the engagement file format, generated from the model classes."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import typing
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ._convert import IDENTIFIER_FIELDS
from .model import (
    Cadence,
    Duration,
    Engagement,
    TimeZone,
    WorkingHours,
    file_fields,
    is_model_class,
)

__all__ = ["SCHEMA_ID", "schema"]

#: Where the schema is published; also its ``$id``.
SCHEMA_ID: Final = (
    "https://outsourcekit.readthedocs.io/en/latest/schema/engagement-1.json"
)

_DATE_PATTERN: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
    r"(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?$"
)
_ID_PATTERN: Final = r"^[A-Za-z0-9._-]+$"

_VALUE_TYPES: Final[dict[Any, dict[str, Any]]] = {
    Cadence: {
        "type": "string",
        "description": (
            "How often something happens: a phrase (hourly, daily, weekdays, weekly, "
            "biweekly, fortnightly, monthly, quarterly, yearly, 'twice a week', "
            "'3 times a month', '2x weekly', 'every 2 weeks') or an RFC 5545 RRULE."
        ),
        "examples": ["weekly", "twice a week", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10"],
    },
    Duration: {
        "type": "string",
        "description": (
            "A length of time: 24h, 90m, 2d, 1w, '2 business days', or ISO 8601 "
            "such as PT4H or P2D."
        ),
        "examples": ["24h", "30m", "2 business days", "PT4H"],
    },
    TimeZone: {
        "type": "string",
        "description": "An IANA time zone name or a fixed UTC offset.",
        "examples": ["Asia/Manila", "Europe/London", "+08:00"],
    },
    WorkingHours: {
        "type": "string",
        "description": (
            "Working hours in the party's own time zone, optionally with days "
            "(default Mon-Fri); several ranges joined by ';'."
        ),
        "examples": ["09:00-17:30", "Mon-Fri 09:00-17:30", "Sun-Thu 08:00-16:00"],
    },
}

_DATE: Final = {
    "type": "string",
    "format": "date",  # checked by validators that assert formats: no 2026-13-45
    "pattern": _DATE_PATTERN,
    "description": "A date in ISO 8601 form.",
    "examples": ["2026-03-01"],
}
_DATETIME: Final = {
    "type": "string",
    "pattern": _DATETIME_PATTERN,
    "description": (
        "A date-time in ISO 8601 form; without an offset it is in the client's "
        "time zone."
    ),
    "examples": ["2026-03-01T09:00", "2026-03-01T09:00+08:00"],
}


_SIMPLE: Final[dict[Any, dict[str, Any]]] = {
    **_VALUE_TYPES,
    dt.date: _DATE,
    dt.datetime: _DATETIME,
    str: {"type": "string"},
    bool: {"type": "boolean"},
}

_UNIONS: Final[dict[frozenset[Any], dict[str, Any]]] = {
    frozenset({dt.date, dt.datetime}): {"anyOf": [_DATE, _DATETIME]},
    frozenset({dt.date, Cadence}): {"anyOf": [_DATE, _VALUE_TYPES[Cadence]]},
    frozenset({str, float}): {"type": ["string", "number"]},
    frozenset({str, int, float}): {"type": ["string", "number"]},
}


def _summary(cls: type) -> str:
    """Return the first paragraph of a class's docstring, on one line."""
    doc = inspect.getdoc(cls) or cls.__name__
    return " ".join(doc.split("\n\n")[0].split())


class _Builder:
    """Builds the schema of each model class once, into ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        """Return a reference to the schema of *cls*, building it on first use."""
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}
            self.defs[name] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object_schema(self, cls: type) -> dict[str, Any]:
        """Return the schema of the mapping a model class is read from."""
        attributes = attrs.fields_dict(cls)
        properties: dict[str, Any] = {}
        required = []
        for name, tp in file_fields(cls).items():
            attribute = attributes[name]
            if (cls, name) in IDENTIFIER_FIELDS:
                value = self.identifier(cls)
            else:
                value = self.value(tp, attribute)
            if attribute.default is attrs.NOTHING:
                required.append(name)
            else:
                value = _nullable(value)
            properties[name] = value
        result: dict[str, Any] = {
            "type": "object",
            "description": _summary(cls),
            "properties": properties,
            "patternProperties": {"^x-": {"description": "Kept, never interpreted."}},
            "additionalProperties": False,
        }
        if required:
            result["required"] = required
        return result

    @staticmethod
    def identifier(owner: type) -> dict[str, Any]:
        """Return the schema of an identifier: text of the id characters, or digits."""
        if owner is Engagement:
            return {
                "description": "Unique in one load: letters, digits, '.', '_', '-'.",
                "anyOf": [
                    {"type": "string", "pattern": _ID_PATTERN},
                    {"type": "integer"},
                ],
            }
        return {"type": ["string", "integer"]}

    def value(self, tp: Any, attribute: attrs.Attribute[Any]) -> dict[str, Any]:
        """Return the schema of a value of the field type *tp*."""
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        result: dict[str, Any]
        if typing.get_origin(tp) is Mapping:
            result = {
                "type": "object",
                "description": "Options by name; what each takes is the importer's.",
            }
        elif typing.get_origin(tp) is tuple:
            result = {"type": "array", "items": self.value(args[0], attribute)}
        elif len(args) == 1:
            result = self.value(args[0], attribute)
        elif args:
            result = dict(_UNIONS[frozenset(args)])
        elif tp in _SIMPLE:
            result = dict(_SIMPLE[tp])
        elif tp in {int, float}:
            result = _number(tp, attribute)
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            result = {
                "enum": [member.value for member in tp],
                "description": _summary(tp),
            }
        elif is_model_class(tp):
            result = self.ref(tp)
        else:
            msg = f"no schema for the type {tp!r} of {attribute.name!r}"
            raise TypeError(msg)
        return result


def _number(tp: type, attribute: attrs.Attribute[Any]) -> dict[str, Any]:
    """Return the schema of a number; not negative where the model refuses -1."""
    result: dict[str, Any] = {"type": "integer" if tp is int else "number"}
    if _refuses(attribute, -1) and not _refuses(attribute, 0):
        result["minimum"] = 0
    return result


def _refuses(attribute: attrs.Attribute[Any], value: object) -> bool:
    """Return whether *attribute*'s validator refuses *value*."""
    if attribute.validator is None:
        return False
    try:
        attribute.validator(None, attribute, value)
    except (TypeError, ValueError):
        return True
    return False


def _nullable(value: dict[str, Any]) -> dict[str, Any]:
    """Allow null, which the loader reads as an absent key."""
    kind = value.get("type")
    if isinstance(kind, str):
        return {**value, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**value, "type": [*kind, "null"]}
    if "enum" in value:
        return {**value, "enum": [*value["enum"], None]}
    return {"anyOf": [value, {"type": "null"}]}


def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an engagement file.

    A file is one engagement (a mapping with ``id``) or a portfolio (a mapping
    with ``engagements`` and optional ``defaults``). The schema is generated from
    the model classes, so it always matches what the loader reads; what a schema
    cannot say (``end`` not before ``start``, unique ids, valid cadence phrases)
    the loader still checks.
    """
    builder = _Builder()
    engagement = builder.ref(Engagement)
    version = {
        "const": 1,
        "description": "The version of the file format.",
    }
    defs = builder.defs
    defs[Engagement.__name__]["properties"] = {
        "outsourcekit": version,
        **defs[Engagement.__name__]["properties"],
    }
    defaults = dict(defs[Engagement.__name__])
    defaults["description"] = (
        "A partial engagement merged under each engagement of the portfolio: "
        "mappings merge, lists and scalars in the engagement replace it."
    )
    defaults.pop("required", None)
    defaults["properties"] = {
        k: v for k, v in defaults["properties"].items() if k != "id"
    }
    defs["Defaults"] = defaults
    defs["Portfolio"] = {
        "type": "object",
        "description": "Several engagements in one file, with shared defaults.",
        "properties": {
            "outsourcekit": version,
            "defaults": {"$ref": "#/$defs/Defaults"},
            "engagements": {"type": "array", "items": engagement},
        },
        "required": ["engagements"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "outsourcekit engagement file",
        "description": (
            "One outsourcing engagement, or a portfolio of engagements, in the "
            "outsourcekit file format version 1."
        ),
        "oneOf": [engagement, {"$ref": "#/$defs/Portfolio"}],
        "$defs": dict(sorted(defs.items())),
    }
