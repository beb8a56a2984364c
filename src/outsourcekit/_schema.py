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
from ._dates import DATE_RANGE
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

#: Text made of ASCII characters only. The loader reads text with Python's
#: Unicode-aware parsing (``int("٣")`` is 3, ``casefold`` makes the Kelvin sign a
#: ``k``); patterns that mirror its ASCII forms let anything with a non-ASCII
#: character pass, so that the schema never refuses a value the loader reads.
_NON_ASCII: Final = "[^\\x00-\\x7F]"
#: What Python's ``str.split()`` and ``str.strip()`` take for space, in ASCII.
_SPACE: Final = "[\\t-\\r\\x1c-\\x20]"

_YEAR: Final = "(?:19|2[0-9])[0-9]{2}"  # 1900 to 2999, the range dates are read in
_DAY: Final = rf"{_YEAR}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME: Final = (
    r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
    # Midnight at the end of a day: Python 3.10 to 3.13 refuse it, later ones
    # may read it; the schema lets it pass rather than refuse a readable file.
    r"|24:00(?::00(?:\.0{1,6})?)?)"
)
#: A UTC offset as ``datetime.fromisoformat`` reads it: strictly within 24 hours
#: (minutes past 59 carry over, so ``+05:60`` is ``+06:00``).
_OFFSET: Final = r"(?:Z|[+-](?:[01][0-9]|2[0-2]):[0-9]{2}|[+-]23:[0-5][0-9])"
#: The end of the text. ECMA-262's ``$`` means it; Python's ``re``, which
#: Python validators use, also matches before a final line end (``"a\n"``).
_END: Final = r"$(?!\n)"
_DATE_PATTERN: Final = rf"^{_DAY}{_END}"
_DATETIME_PATTERN: Final = rf"^{_DAY}[T ]{_TIME}{_OFFSET}?{_END}"
_ID_PATTERN: Final = rf"^[A-Za-z0-9._-]+{_END}"

#: Patterns every value of a value type the loader reads matches (or holds a
#: non-ASCII character); what they let pass the loader may still refuse.
_CADENCE_PATTERN: Final = (
    # A phrase starts with a word or a number and then x or times (``2x weekly``,
    # ``3 times a week``); an RRULE with FREQ=, RRULE: or DTSTART.
    rf"^{_SPACE}*(?:[A-Za-z]|[0-9]+{_SPACE}*[XxTt])|{_NON_ASCII}"
)
_DURATION_PATTERN: Final = (
    # A number and a unit (or P and T): a digit and a letter, in any order.
    rf"^(?=[^0-9]*[0-9])(?=[^A-Za-z]*[A-Za-z])|{_NON_ASCII}"
)
_ZONE_PATTERN: Final = (
    # IANA names start with a letter; offsets with a sign, UTC or GMT.
    rf"^{_SPACE}*[A-Za-z+-]|{_NON_ASCII}"
)
_HOURS_SEGMENT: Final = (
    rf"[^;]*[0-9]{{1,2}}:[0-9]{{2}}{_SPACE}*-{_SPACE}*[0-9]{{1,2}}:[0-9]{{2}}{_SPACE}*"
)
_HOURS_PATTERN: Final = (
    # Each range, split at ';', ends in HH:MM-HH:MM after optional days.
    rf"^{_HOURS_SEGMENT}(?:;{_HOURS_SEGMENT})*$|{_NON_ASCII}"
)
#: What the loader refuses as an import path: blank, a URL, absolute (``/``,
#: ``\``, a drive such as ``C:``) or from a home folder (``~``).
_NOT_IMPORT_PATH: Final = (
    rf"^(?:{_SPACE}*$|[A-Za-z][A-Za-z0-9+.-]*://|[/\\~]|[A-Za-z]:)"
)


def _text_type(pattern: str, description: str, examples: list[str]) -> dict[str, Any]:
    """Return the schema of a value type read from text matching *pattern*."""
    return {
        "type": "string",
        "minLength": 1,
        "pattern": pattern,
        "description": description,
        "examples": examples,
    }


_VALUE_TYPES: Final[dict[Any, dict[str, Any]]] = {
    Cadence: _text_type(
        _CADENCE_PATTERN,
        "How often: a phrase (hourly, daily, weekdays, weekly, biweekly, "
        "fortnightly, monthly, quarterly, yearly, 'twice a week', "
        "'3 times a month', '2x weekly', 'every 2 weeks') or an RFC 5545 RRULE.",
        [
            "weekly",
            "daily",
            "weekdays",
            "twice a week",
            "every 2 weeks",
            "monthly",
            "quarterly",
            "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10",
        ],
    ),
    Duration: _text_type(
        _DURATION_PATTERN,
        "A length of time: 24h, 90m, 2d, 1w, '2 business days', or ISO 8601 "
        "such as PT4H or P2D (no months or years: their length varies).",
        ["24h", "30m", "2d", "1w", "2 business days", "PT4H"],
    ),
    TimeZone: _text_type(
        _ZONE_PATTERN,
        "An IANA time zone name or a fixed UTC offset.",
        [
            "Europe/London",
            "America/New_York",
            "Asia/Manila",
            "Asia/Kolkata",
            "Australia/Sydney",
            "UTC",
            "+08:00",
        ],
    ),
    WorkingHours: _text_type(
        _HOURS_PATTERN,
        "Working hours in the party's own time zone, HH:MM-HH:MM, optionally "
        "after days (default Mon-Fri); several ranges joined by ';'; an end at "
        "or before the start is on the next day.",
        [
            "09:00-17:30",
            "Mon-Fri 09:00-17:30",
            "Sun-Thu 08:00-16:00",
            "Mon-Fri 09:00-12:00; 13:00-17:00",
        ],
    ),
}

_DATE: Final = {
    "type": "string",
    "format": "date",  # checked by validators that assert formats: no 2026-02-30
    "pattern": _DATE_PATTERN,
    "description": f"A date, YYYY-MM-DD, from {DATE_RANGE}.",
    "examples": ["2026-03-01"],
}
_DATETIME: Final = {
    "type": "string",
    "pattern": _DATETIME_PATTERN,
    "description": (
        "A date-time, YYYY-MM-DDTHH:MM[:SS[.ffffff]] with an optional offset "
        f"(Z or +HH:MM), dated from {DATE_RANGE}; without an offset it is in "
        "the client's time zone."
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
    frozenset({dt.date, dt.datetime}): {
        "anyOf": [_DATE, _DATETIME],
        "description": (
            f"A date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:MM, optionally "
            f"with an offset), from {DATE_RANGE}."
        ),
    },
    frozenset({dt.date, Cadence}): {
        "anyOf": [_DATE, _VALUE_TYPES[Cadence]],
        "description": (
            "A date (YYYY-MM-DD) for a one-off, or a cadence such as 'monthly' "
            "for recurring work."
        ),
    },
    frozenset({str, float}): {"type": ["string", "number"]},
    frozenset({str, int, float}): {"type": ["string", "number"]},
}

#: The title of each ``$defs`` entry, shown as the heading of editor hovers.
_TITLES: Final = {
    "AccessGrant": "Access grant",
    "Agreement": "Agreement",
    "Channel": "Communication channel",
    "CheckIn": "Check-in",
    "CommunicationPlan": "Communication plan",
    "DataHandling": "Data handling",
    "Defaults": "Portfolio defaults",
    "Deliverable": "Deliverable",
    "Engagement": "Engagement",
    "FileSharing": "File sharing service",
    "Import": "Import",
    "KPI": "KPI",
    "Measurement": "KPI measurement",
    "Milestone": "Milestone",
    "Objective": "Objective",
    "Party": "Client",
    "PerformanceStandard": "Performance standard",
    "Portfolio": "Portfolio",
    "ProgressUpdate": "Milestone update",
    "QualityStandard": "Quality standard",
    "Review": "Review",
    "Selection": "Vendor selection",
    "ServiceLevel": "Service level",
    "Task": "Task",
    "Trial": "Trial project",
    "Vendor": "Vendor",
    "Vetting": "Vendor vetting",
    "Waiver": "Waiver",
}

_TEXT_OR_REFERENCE: Final = "Text, or a reference such as a path or a link."

#: What each key of the file means, by model class and field: the hover text of
#: the key. A value type's or a date's own description follows it.
_FIELDS: Final[dict[str, dict[str, str]]] = {
    "Engagement": {
        "id": (
            "Identifies the engagement, unique across one load: letters, "
            "digits, '.', '_' and '-'."
        ),
        "title": "A short title of the engagement.",
        "status": "Where it stands: proposed, trial, active, paused or ended.",
        "start": "The day the engagement starts.",
        "end": "The day the engagement ends, if it is planned to end.",
        "vision": (
            "A written summary of the business vision shared with the vendor. "
            + _TEXT_OR_REFERENCE
        ),
        "owner": "The client's person accountable for the relationship.",
        "hours_per_week": "The vendor hours contracted per week.",
        "exit_plan": (
            "How the work comes back in-house or moves to another vendor. "
            + _TEXT_OR_REFERENCE
        ),
        "client": "The client: the business handing the work out.",
        "vendor": "The vendor: the outside partner doing the work.",
        "tasks": "The pieces of work handed to the vendor.",
        "objectives": "What the engagement is meant to achieve.",
        "deliverables": "Specifications of what is to be built or delivered.",
        "quality": "The quality standard: how delivered work is evaluated.",
        "performance": "The performance standard: when and how work is delivered.",
        "agreements": (
            "Written agreements between the parties; absent or [] means none."
        ),
        "communication": "How and how often the parties communicate.",
        "data": "What information the vendor sees and how it is shared.",
        "access": "The client's systems the vendor was given access to.",
        "kpis": "Key performance indicators, with targets and measurements.",
        "milestones": "Dated steps of the work.",
        "check_ins": "The log of check-ins that actually happened.",
        "reviews": "Evaluations of the relationship and the decisions taken.",
        "waivers": "Accepted findings, each with the reason it is accepted.",
        "imports": (
            "Files of other systems whose facts are merged into the engagement "
            "when it is loaded."
        ),
    },
    "Party": {
        "name": "The client's name.",
        "timezone": "The client's time zone; dates without an offset are in it.",
        "working_hours": "When the client works, in its own time zone.",
        "region": "Where the client is, such as a country code (GB).",
        "industry": "The client's industry.",
        "outsourcing_experience": (
            "How much outsourcing the client has done before: first, some or "
            "experienced."
        ),
    },
    "Vendor": {
        "id": (
            "A stable id of the vendor across engagements (default: its name, "
            "case-folded)."
        ),
        "name": "The vendor's name.",
        "kind": "What kind of vendor: freelancer, agency or bpo.",
        "timezone": "The vendor's time zone.",
        "working_hours": "When the vendor works, in its own time zone.",
        "regions_served": "Regions the vendor has worked with.",
        "industries_served": "Industries the vendor has worked with.",
        "vetting": "What the client checked about the vendor before hiring it.",
        "selection": "Why this vendor was chosen.",
        "trial": "A small trial project run before committing to the vendor.",
    },
    "Vetting": {
        "references_checked": "Whether the vendor's references were checked.",
        "testimonials": "How many testimonials were reviewed.",
        "case_studies": "How many case studies were reviewed.",
        "years_experience": "The vendor's years of experience.",
        "security_review": (
            "The outcome of a review of the vendor's security practices: none, "
            "passed or failed."
        ),
    },
    "Selection": {
        "criteria": "Why this vendor was chosen, such as cost or references.",
        "quotes_compared": "How many vendors' quotes were compared.",
    },
    "Trial": {
        "status": "The trial's state: none, planned, running, completed or failed.",
        "completed_on": "The day the trial was completed.",
    },
    "Task": {
        "name": "The task's name.",
        "area": "The area of work the task belongs to.",
        "core": "Whether the task is part of the client's core business.",
        "critical": "Whether a failure of the task would hurt the business badly.",
        "instructions": (
            "The written manual or explicit instructions for the task. "
            + _TEXT_OR_REFERENCE
        ),
        "due": "When the task is due: a date, or a cadence for recurring tasks.",
        "checklist": "The steps of the task.",
    },
    "Objective": {
        "statement": "What is to be achieved.",
        "kpi": "The name of the KPI that measures the objective.",
        "due": "The day by which the objective is to be met.",
    },
    "Deliverable": {
        "name": "The deliverable's name.",
        "description": "What is to be delivered.",
        "format": "The form it is delivered in, such as xlsx.",
        "due": "When it is due: a date, or a cadence for recurring deliverables.",
        "acceptance": "The criteria the deliverable is accepted by.",
    },
    "QualityStandard": {
        "criteria": "The criteria delivered work is evaluated by.",
        "reviewer": "Who evaluates delivered work.",
    },
    "PerformanceStandard": {
        "delivery": "How and where work is delivered.",
        "status_reports": "How often the vendor sends written status reports.",
    },
    "Agreement": {
        "kind": "The kind of agreement: contract, msa, sow, sla, nda or dpa.",
        "signed_on": (
            "The day it was signed; signed from that day on, absent means not signed."
        ),
        "signed_by": "The parties who signed it.",
        "effective": "The first day the agreement is in force.",
        "expires": (
            "The last day the agreement is in force: it has expired once this "
            "day is past."
        ),
        "document": "Where the signed document is, such as a path or a link.",
        "payment_terms": "The payment terms, such as 'Monthly, net 15'.",
        "termination": "How the agreement can be ended, such as '30 days notice'.",
        "confidentiality": (
            "Whether it has confidentiality clauses; if so it counts as an NDA."
        ),
        "service_levels": "Service-level terms, such as a response time.",
    },
    "ServiceLevel": {
        "name": "The name of the term, such as response-time.",
        "target": "The level promised, such as 24h or 99.5.",
    },
    "CommunicationPlan": {
        "channels": "The ways the parties talk to each other.",
        "response_time": "How quickly messages are to be answered.",
        "check_ins": (
            "How often check-in meetings are planned; times of day are in the "
            "client's time zone."
        ),
        "check_in_length": "How long a check-in meeting is planned to last.",
        "feedback": "How often the client gives the vendor feedback.",
        "escalation": "Who problems go to, in order.",
    },
    "Channel": {
        "name": "The channel's name, such as Slack.",
        "kind": "The kind of channel: email, chat, video, phone, pm-tool or other.",
        "secure": (
            "Whether the channel is secure; absent means unknown, only false is "
            "insecure."
        ),
    },
    "DataHandling": {
        "confidential": (
            "Whether proprietary or sensitive information is shared; false is "
            "not the same as absent (unknown)."
        ),
        "personal_data": (
            "Whether the vendor processes personal data of customers or employees."
        ),
        "shared_since": "The day sharing began (default: the engagement's start).",
        "file_sharing": "The services used to share files with the vendor.",
    },
    "FileSharing": {
        "name": "The service's name, such as Google Drive.",
        "secure": (
            "Whether the service is secure; absent means unknown, only false is "
            "insecure."
        ),
    },
    "AccessGrant": {
        "system": "The client's system the vendor was given access to.",
        "granted_on": "The day access was granted.",
        "revoked_on": "The day access was revoked; absent or null means not revoked.",
    },
    "KPI": {
        "name": "The KPI's name, as objectives refer to it.",
        "unit": "The unit of its values, such as 'business days'.",
        "target": "The value aimed for.",
        "direction": "Which way is better: lower or higher.",
        "measured": "How often the KPI is planned to be measured.",
        "measurements": "The values measured.",
    },
    "Measurement": {
        "at": "When the value was measured.",
        "value": "The value measured.",
    },
    "Milestone": {
        "name": "The milestone's name.",
        "due": "The day the milestone is due.",
        "done_on": "The day the milestone was reached.",
        "updates": "Notes on the milestone's progress.",
    },
    "ProgressUpdate": {
        "at": "When the note was written.",
        "note": "What progress was made.",
    },
    "CheckIn": {
        "at": "When the check-in took place.",
        "by": "Which party held it: client or vendor.",
    },
    "Review": {
        "on": "The day of the review.",
        "outcome": "The decision taken: continue, adjust or terminate.",
        "score": "A score of the relationship, such as 4.",
        "notes": "Notes of the review.",
    },
    "Waiver": {
        "rule": "The code or slug of the rule whose finding is accepted.",
        "path": (
            "Only the finding at this path, such as communication.check_ins; "
            "absent means every finding of the rule."
        ),
        "reason": "Why the finding is accepted.",
        "until": (
            "The last day the waiver applies; an expired waiver is reported and "
            "no longer applies."
        ),
        "approved_by": "Who accepted the finding.",
    },
    "Import": {
        "path": (
            "The file to read, relative to this file and inside its folder: not "
            "absolute, not from a home folder (~), not a URL."
        ),
        "importer": (
            "The importer that reads the file, such as ics or ocds; by default "
            "chosen by the file's suffix or content."
        ),
        "options": "The importer's own options by name, as the importer reads them.",
    },
}

#: Schemas of single fields that say more than their type.
_FIELD_SCHEMAS: Final[dict[tuple[str, str], dict[str, Any]]] = {
    ("Import", "path"): {
        "type": "string",
        "minLength": 1,
        "not": {"pattern": _NOT_IMPORT_PATH},
        "examples": ["calendars/acme.ics"],
    },
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
        descriptions = _FIELDS.get(cls.__name__, {})
        properties: dict[str, Any] = {}
        required = []
        for name, tp in file_fields(cls).items():
            attribute = attributes[name]
            if (cls.__name__, name) in _FIELD_SCHEMAS:
                value = dict(_FIELD_SCHEMAS[cls.__name__, name])
            elif (cls, name) in IDENTIFIER_FIELDS:
                value = self.identifier(cls)
            else:
                value = self.value(tp, attribute)
            if attribute.default is attrs.NOTHING:
                required.append(name)
            else:
                value = _nullable(value)
            properties[name] = _described(value, descriptions.get(name))
        result: dict[str, Any] = {
            "title": _TITLES.get(cls.__name__, cls.__name__),
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


#: Descriptions of how a value is written, which follow what a key means.
_FORMS: Final = frozenset(
    schema["description"]
    for schema in (*_VALUE_TYPES.values(), *_UNIONS.values(), _DATE, _DATETIME)
    if "description" in schema
)


def _described(value: dict[str, Any], meaning: str | None) -> dict[str, Any]:
    """Return *value* described by what its key means, then how it is written.

    A description of the form (a date, a duration) follows the meaning; any
    other (an enumeration's summary) gives way to it.
    """
    if meaning is None:
        return value
    inner = value.get("anyOf", [{}])[0] if "description" not in value else value
    form = inner.get("description")
    text = f"{meaning} {form}" if form in _FORMS else meaning
    return {**value, "description": text}


def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an engagement file.

    A file is one engagement (a mapping with ``id``) or a portfolio (a mapping
    with ``engagements`` and optional ``defaults``); as for the loader, a
    mapping holding ``engagements`` is a portfolio. The schema is generated from
    the model classes, so it always matches what the loader reads; what a schema
    cannot say (``end`` not before ``start``, unique ids, valid cadence phrases)
    the loader still checks.
    """
    builder = _Builder()
    engagement = builder.ref(Engagement)
    version = {
        "const": 1,
        "description": "The version of the file format: 1.",
    }
    defs = builder.defs
    defs[Engagement.__name__]["properties"] = {
        "outsourcekit": version,
        **defs[Engagement.__name__]["properties"],
    }
    defaults = dict(defs[Engagement.__name__])
    defaults["title"] = _TITLES["Defaults"]
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
        "title": _TITLES["Portfolio"],
        "type": "object",
        "description": "Several engagements in one file, with shared defaults.",
        "properties": {
            "outsourcekit": version,
            "defaults": {
                **_nullable({"$ref": "#/$defs/Defaults"}),
                "description": (
                    "What every engagement of the file has unless it says "
                    "otherwise; empty or null means none."
                ),
            },
            "engagements": {
                "type": "array",
                "items": engagement,
                "description": "The engagements of the file.",
            },
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
        # A mapping with `engagements` is a portfolio, anything else one
        # engagement, as the loader reads them: errors then name the key at
        # fault, where a oneOf would only say that neither alternative fits.
        "if": {"type": "object", "required": ["engagements"]},
        "then": {"$ref": "#/$defs/Portfolio"},
        "else": engagement,
        "$defs": dict(sorted(defs.items())),
    }
