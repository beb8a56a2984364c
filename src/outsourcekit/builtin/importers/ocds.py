"""Engagements from Open Contracting Data Standard (OCDS) data: one per contract.

OCDS publishes public contracting processes as JSON: *releases* (what changed at
one stage: tender, award, contract, implementation) and *records* (every release
of one process, often with a ``compiledRelease``, its current state). This
importer reads a release package (``releases``), a record package
(``records``), or a single release or record (``ocid`` at the top level), and
makes one engagement of each contract in it:

* ``id``: the process's ``ocid`` and the contract's ``id``, joined by ``-``
  (just the contract's ``id`` when it already starts with the ``ocid``), with
  every character an engagement id cannot hold replaced by ``-``; of contracts
  that would share an id, the first keeps it and each other one gets a short
  hash of its ``ocid`` and ``id`` after it (see ``_unique_ids``);
* ``title``, ``status`` (``pending`` is ``proposed``, ``active`` is
  ``active``, ``terminated`` and ``cancelled`` are ``ended``, and so is any
  OCDS 1.2 ``finalStatus``), ``start`` and ``end`` from the contract's
  ``period``;
* ``client`` from the buyer and ``vendor`` from the supplier of the
  contract's award (matched by ``awardID``), found among the ``parties`` by
  their ``id`` (OCDS 1.1 and later) or written in full in ``buyer`` and the
  award's ``suppliers`` (OCDS 1.0);
* an agreement of kind ``contract``: ``signed_on`` is the date of
  ``dateSigned`` as written, in the timestamp's own offset; ``effective`` and
  ``expires`` come from the ``period``; ``document`` is the URL of the
  signed contract (a document of type ``contractSigned``);
* milestones from ``implementation.milestones`` and the contract's
  ``milestones``: ``title`` is the ``name``, ``dueDate`` the ``due`` and
  ``dateMet`` the ``done_on`` date;
* what the file format has no key for (the contract's value, payments,
  amendments, the timestamps behind each date, every milestone and document as
  published) is
  kept under ``x-ocds-`` keys, so that nothing is lost.

Several releases of one process are merged as the OCDS merge routine does for a
compiled release: in order of their ``date``, a later value wins, ``null``
removes a value, objects merge key by key, and lists of objects that all have
an ``id`` merge item by item on that ``id``; other lists are replaced whole. A
record's ``compiledRelease`` is used as it is; without one, its embedded
releases are merged.

What cannot be read (a malformed date or one outside the file format's
range, an unknown status, a release without ``ocid``, a part that is not the
type OCDS says) is a problem located at its line and column in the file, with the
release, contract and milestone it belongs to; the rest of the contract, and
every other contract, is still read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import os  # noqa: TC003 - evaluated by the API docs
import re
from collections.abc import Mapping  # noqa: TC003 - evaluated by the API docs
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from outsourcekit.engine import Option
from outsourcekit.io import json_duplicates, json_error_text
from outsourcekit.plugins import (
    Imported,
    Importer,
    ImportProblem,
    did_you_mean,
    short_repr,
)

from ._json import (
    KeyTwiceError,
    long_number_at,
    max_digits,
    unique_keys,
    wide_encoding,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

__all__ = [
    "OCDS_IMPORTER",
    "import_ocds",
    "is_ocds",
    "read_ocds",
]

#: A path inside JSON data: object keys and list indices from its root.
_Path = tuple[str | int, ...]

#: How deep a value the importer keeps may be nested, from the file's root.
MAX_DEPTH: Final = 100

_STATUSES: Final[Mapping[str, str]] = {
    "pending": "proposed",
    "active": "active",
    "terminated": "ended",
    "cancelled": "ended",
}
_FINAL_STATUSES: Final = ("complete", "incomplete", "cancelled", "unsuccessful")
#: Lists the OCDS schema merges whole (``wholeListMerge``), though their items
#: may have an ``id``.
_WHOLE_LISTS: Final = frozenset(
    {
        "additionalClassifications",
        "additionalIdentifiers",
        "classifications",
        "deliveryAddresses",
        "deliveryLocations",
        "identifiers",
        "locations",
    }
)
#: The parts of a release the importer reads, and of the objects there (or of
#: the objects of the list there) the keys it reads; the rest is not merged.
_USED: Final[Mapping[str, frozenset[str] | None]] = {
    "ocid": None,
    "buyer": None,
    "tender": frozenset({"title"}),
    "parties": frozenset({"id", "name", "identifier", "roles", "address"}),
    "awards": frozenset({"id", "title", "suppliers"}),
    "contracts": frozenset(
        {
            "id",
            "awardID",
            "title",
            "description",
            "status",
            "finalStatus",
            "dateSigned",
            "period",
            "value",
            "documents",
            "milestones",
            "implementation",
            "amendments",
            "amendment",
        }
    ),
}
_SIGNED: Final = "contractSigned"
_ID_CHARACTERS: Final = re.compile(r"[^A-Za-z0-9._-]+")
_TIMESTAMP: Final = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[Tt ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>[Zz]|[+-](?P<oh>\d{2}):?(?P<om>\d{2}))?)?"
)
_TIMESTAMP_EXPECTED: Final = "an ISO 8601 date-time such as 2010-06-10T14:23:12Z"
#: The dates the file format holds: a date outside them is left out.
_FIRST_DAY: Final = dt.date(1900, 1, 1)
_LAST_DAY: Final = dt.date(2999, 12, 31)
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: How text decoded from UTF-8 can hold one: a JSON escape.
_ESCAPED_SURROGATE: Final = re.compile(r"\\u[dD][89a-fA-F]")
_WS: Final = re.compile(r"[ \t\n\r]*")
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_TOO_DEEP: Final = "not JSON that can be read: it is nested too deeply"


# -- Recognising OCDS -----------------------------------------------------------

#: Tokens of JSON text, enough to find an object's keys: a string, a bracket or a
#: separator, a bare word, or an unterminated string (the end of the text read).
_TOKEN: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+|"', re.DOTALL)
_OCDS_KEYS: Final = frozenset({'"releases"', '"records"', '"ocid"'})
#: The metadata of a release or record package, which comes before its
#: ``releases`` or ``records`` (a record package's ``packages`` may be long).
_PACKAGE_KEYS: Final = frozenset(
    {
        '"uri"',
        '"publishedDate"',
        '"publisher"',
        '"version"',
        '"packages"',
        '"extensions"',
        '"license"',
        '"publicationPolicy"',
    }
)
#: Of those, the ones only an OCDS package has, with the first token of their
#: value: ``publishedDate`` and ``publicationPolicy`` are text, ``packages`` a
#: list.
_PACKAGE_ONLY: Final[Mapping[str, str]] = {
    '"publishedDate"': '"',
    '"publicationPolicy"': '"',
    '"packages"': "[",
}


def is_ocds(head: str) -> bool:
    """Whether JSON text is OCDS data, from its first characters.

    *head* is the start of the file's text (the first 64 KiB will do). It is
    OCDS when it is a JSON object with a top-level key ``releases`` (a release
    package), ``records`` (a record package) or ``ocid`` (a release or a
    record). None of these is a key of an engagement file, so an engagement's
    ``.json`` file is never taken for OCDS.

    A package's ``releases`` or ``records`` may come after the first 64 KiB,
    after a long list of ``packages``, say. So *head* is OCDS too when the
    object does not end within it, every top-level key in it is a package's
    metadata (``uri``, ``publishedDate``, ``publisher``, ``version``,
    ``packages``, ``extensions``, ``license``, ``publicationPolicy``), and one
    of them is a key only an OCDS package has: ``publishedDate`` or
    ``publicationPolicy`` written as text, or ``packages`` as a list. An
    engagement file has none of these keys, and must have an ``id`` or
    ``engagements``, which is no package metadata.
    """
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith("{"):
        return False
    package = False  # whether a key only a package has was seen
    other = False  # whether a key no package has was seen
    for key, first in _top_level(text):
        if key in _OCDS_KEYS:
            return True
        if not key:
            return False  # the object ends within the text
        other = other or key not in _PACKAGE_KEYS
        package = package or first[:1] == _PACKAGE_ONLY.get(key)
    return package and not other


def _top_level(text: str) -> Iterator[tuple[str, str]]:
    """Yield the keys of the JSON object starting *text*, as written, with quotes.

    Each comes with the first token of its value (nothing where the text ends
    before it). The object's end, if the text holds it, is yielded as
    ``("", "}")``; a key cut off by the end of the text is not yielded.
    """
    depth = 0
    previous = ""
    key = ""  # the key whose value comes next
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if key and depth == 1:
            yield key, piece
            key = ""
        if piece in {"{", "["}:
            depth += 1
        elif piece in {"}", "]"}:
            depth -= 1
            if depth == 0:
                yield "", piece
                return
        elif piece == '"':
            break  # the text ends within a string
        elif piece == ":" and depth == 1:
            key = previous
        previous = piece
    if key:
        yield key, ""


# -- Reading JSON with the places of its values ---------------------------------

#: Where inside a release the scanner records the places of values: the
#: contracts and what the importer reads of them, the awards and the parties.
_IN_RELEASE: Final[tuple[_Path, ...]] = (
    (),
    ("buyer",),
    ("parties",),
    ("parties", 0),
    ("awards",),
    ("awards", 0),
    ("tender",),
    ("contracts",),
    ("contracts", 0),
    ("contracts", 0, "period"),
    ("contracts", 0, "documents"),
    ("contracts", 0, "documents", 0),
    ("contracts", 0, "milestones"),
    ("contracts", 0, "milestones", 0),
    ("contracts", 0, "implementation"),
    ("contracts", 0, "implementation", "milestones"),
    ("contracts", 0, "implementation", "milestones", 0),
    ("contracts", 0, "implementation", "transactions"),
    ("contracts", 0, "implementation", "transactions", 0),
)
#: Where releases are: in a release package, in a record (embedded or compiled),
#: or at the root of a single release or record.
_RELEASE_ROOTS: Final[tuple[_Path, ...]] = (
    ("releases", 0),
    ("records", 0, "compiledRelease"),
    ("records", 0, "releases", 0),
    ("compiledRelease",),
    (),
)
_FOLLOWED: Final = frozenset(
    {
        ("releases",),
        ("records",),
        ("records", 0),
        ("records", 0, "releases"),
        *(root + inner for root in _RELEASE_ROOTS for inner in _IN_RELEASE),
    }
)


class _JsonSyntaxError(Exception):
    """The text is not JSON as the scanner reads it."""


#: The decoder of the values the scanner reads whole, refusing keys written twice.
_UNIQUE: Final = json.JSONDecoder(object_pairs_hook=unique_keys)


#: A member's key as :func:`json.dumps` writes most (no escapes), with the colon
#: and the space around it; other keys are read by the decoder's own function.
_PLAIN_KEY: Final = re.compile(r'[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_COLON: Final = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
#: What follows a member or an item: a comma or the closing bracket.
_AFTER: Final = re.compile(r"[ \t\n\r]*([,}\]])[ \t\n\r]*")


class _Scanner:
    """Reads JSON text into data, recording where the values the importer uses start.

    The objects and lists on the way to contracts are read here, member by
    member, and each member's offset is recorded; every other value is read
    whole by the standard library's decoder, at its speed.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets: dict[_Path, int] = {}

    def document(self) -> Any:
        """Return the document's data; raise ``_JsonSyntaxError`` if it is not JSON.

        Raise :class:`KeyTwiceError` at the first key written twice.
        """
        text = self.text
        try:
            value, end = self.value(_WS.match(text).end(), (), ())  # type: ignore[union-attr]
        except KeyTwiceError:
            raise
        except (ValueError, IndexError) as error:
            raise _JsonSyntaxError from error
        if _WS.match(text, end).end() != len(text):  # type: ignore[union-attr]
            raise _JsonSyntaxError
        return value

    def value(self, at: int, path: _Path, shape: _Path) -> tuple[Any, int]:
        """Return the value starting at offset *at* and the offset after it.

        *shape* is *path* with each list index as 0, to compare with the
        patterns of what is followed.
        """
        self.offsets[path] = at
        first = self.text[at]
        if first == "{" and shape in _FOLLOWED:
            return self.members(at, path, shape)
        if first == "[" and shape in _FOLLOWED:
            return self.items(at, path, shape)
        return _UNIQUE.raw_decode(self.text, at)

    def members(self, at: int, path: _Path, shape: _Path) -> tuple[dict[str, Any], int]:
        """Return the object starting at *at*, recording its members' offsets."""
        text = self.text
        result: dict[str, Any] = {}
        at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
        if text[at] == "}":
            return result, at + 1
        while True:
            plain = _PLAIN_KEY.match(text, at)
            if plain is not None:
                key, at = plain.group(1), plain.end()
            else:
                at = _WS.match(text, at).end()  # type: ignore[union-attr]
                if text[at] != '"':
                    raise _JsonSyntaxError
                key, at = _scanstring(text, at + 1)
                colon = _COLON.match(text, at)
                if colon is None:
                    raise _JsonSyntaxError
                at = colon.end()
            if key in result:
                raise KeyTwiceError
            result[key], at = self.value(at, (*path, key), (*shape, key))
            after = _AFTER.match(text, at)
            if after is None or after.group(1) == "]":
                raise _JsonSyntaxError
            at = after.end()
            if after.group(1) == "}":
                return result, at

    def items(self, at: int, path: _Path, shape: _Path) -> tuple[list[Any], int]:
        """Return the list starting at *at*, recording its items' offsets."""
        text = self.text
        result: list[Any] = []
        at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
        if text[at] == "]":
            return result, at + 1
        inner = (*shape, 0)
        while True:
            item, at = self.value(at, (*path, len(result)), inner)
            result.append(item)
            after = _AFTER.match(text, at)
            if after is None or after.group(1) == "}":
                raise _JsonSyntaxError
            at = after.end()
            if after.group(1) == "]":
                return result, at


def _parse(text: str) -> tuple[Any, dict[_Path, int], tuple[ImportProblem, ...]]:
    """Return the data of JSON *text*, the offsets of its values, or the problems.

    Each key written twice is a problem; anything else wrong is one.
    """
    scanner = _Scanner(text)
    twice = False
    try:
        return scanner.document(), scanner.offsets, ()
    except RecursionError:
        return None, {}, (ImportProblem(message=_TOO_DEEP),)
    except KeyTwiceError:
        twice = True  # the rest of the text must be JSON too: read it all
    except _JsonSyntaxError:
        pass
    # The standard decoder says what is wrong, and where, as every JSON error reads.
    problem = None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"not JSON: {_json_lines(text, error) or json_error_text(error)}"
        problem = ImportProblem(message=message, line=error.lineno, column=error.colno)
    except RecursionError:
        problem = ImportProblem(message=_TOO_DEEP)
    except ValueError:  # a number beyond Python's limit of digits
        problem = _too_long(text)
    if problem is not None:
        return None, {}, (problem,)
    if twice:
        return None, {}, _keys_written_twice(text, data)
    return data, {}, ()  # pragma: no cover - the scanner reads all valid JSON


def _json_lines(text: str, error: json.JSONDecodeError) -> str | None:
    """Say what to do with JSON Lines, if *error* is the second line's object.

    Bulk OCDS data is often written one release or package a line, as OCDS
    Kit reads and writes it; the importer reads one package a file, and the
    command of OCDS Kit that makes one of such lines is named. Only when the
    first line alone is a JSON value: packages written on many lines one
    after another are no JSON Lines.
    """
    if error.msg != "Extra data" or (error.lineno, error.colno) != (2, 1):
        return None
    try:
        first = json.loads(text[: error.pos])
        second, _ = json.JSONDecoder().raw_decode(text, error.pos)
    except (ValueError, RecursionError):
        return None
    if not (
        isinstance(first, dict)
        and isinstance(second, dict)
        and any(key in second for key in ("releases", "records", "ocid"))
    ):
        return None
    if "records" in first:
        command = "combine-record-packages"
    elif "releases" in first:
        command = "combine-release-packages"
    else:
        command = "package-releases"
    return (
        "the file holds a JSON value on each line (JSON Lines), and the ocds "
        "importer reads one release or record package a file; make one package "
        f"of them first, as `ocdskit {command}` does, reading the lines on its "
        "standard input"
    )


def _keys_written_twice(text: str, data: object) -> tuple[ImportProblem, ...]:
    """Return the problems of the keys written twice in JSON *text* (read: *data*).

    Which of the two values was meant is unknown: as in an engagement file,
    each is an error where it is written again, naming where it is first.
    """
    return tuple(
        ImportProblem(
            message=issue.message,
            line=issue.line,
            column=issue.column,
            where=issue.path,
        )
        for issue in json_duplicates(text, data)
    )


def _too_long(text: str) -> ImportProblem:
    """Return the problem of a whole number with more digits than Python reads."""
    message = (
        f"not JSON that can be read: a number has more than {max_digits():,} digits"
    )
    at = long_number_at(text)
    if at is None:  # pragma: no cover - found where the decoder failed
        return ImportProblem(message=message)
    return ImportProblem(message=message, line=at[0], column=at[1])


def _too_deep(value: Any, depth: int) -> bool:
    """Whether *value* holds lists or objects nested more than *depth* levels."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level >= depth:
            return True
        stack.extend((child, level + 1) for child in children)
    return False


# -- Dates -----------------------------------------------------------------------


@attrs.frozen
class _Timestamp:
    """A date-time as written: its local date, and the instant to order by."""

    date: str
    instant: dt.datetime


def _timestamp(value: str) -> _Timestamp | None:
    """Read an ISO 8601 date or date-time; None if *value* is not one."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    parts = match.groupdict()
    hour, minute = int(parts["H"] or 0), int(parts["M"] or 0)
    second = min(int(parts["S"] or 0), 59)  # a leap second orders as :59
    offset = dt.timedelta(hours=int(parts["oh"] or 0), minutes=int(parts["om"] or 0))
    if (parts["tz"] or "+")[0] == "-":
        offset = -offset
    try:
        day = dt.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
        zone = dt.timezone(offset)
        instant = dt.datetime.combine(day, dt.time(hour, minute, second), zone)
    except ValueError:
        return None
    return _Timestamp(date=day.isoformat(), instant=instant)


# -- Merging releases -------------------------------------------------------------


def _describe(value: object) -> str:
    """Describe a value for a message, briefly, whatever it holds."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON writes it
    return "null" if value is None else f"{short_repr(value)}"


def _got(mapping: Mapping[str, Any], key: str) -> str:
    """Describe the value of *key* in *mapping*: ``none`` when there is no such key."""
    return _describe(mapping[key]) if key in mapping else "none"


def _identity(value: object) -> str:
    """Return what an item of a list is merged on: its ``id`` as written."""
    return value if isinstance(value, str) else "\0" + json.dumps(value, sort_keys=True)


def _by_id(items: object) -> bool:
    """Whether a list is merged item by item: all objects, each with an ``id``."""
    return isinstance(items, list) and all(
        isinstance(i, dict) and isinstance(i.get("id"), (str, int, float))
        for i in items
    )


@attrs.define
class _Compiled:
    """A compiled release, and where in the file each of its values was written.

    ``origin`` maps a path in ``data`` to the path in the file of the value
    that won there; a path inside a value taken whole is found from its
    nearest parent in ``origin``.
    """

    data: dict[str, Any] = attrs.Factory(dict)
    origin: dict[_Path, _Path] = attrs.Factory(dict)
    #: The lists of ``data`` merged item by item, by their paths: the list,
    #: and the place of each item by its ``id``, kept as releases merge in.
    merged: dict[_Path, tuple[list[Any], dict[str, int]]] = attrs.Factory(dict)

    def source(self, path: _Path) -> _Path:
        """Return the path in the file of the value at *path* in ``data``."""
        for size in range(len(path), -1, -1):
            found = self.origin.get(path[:size])
            if found is not None:
                return found + path[size:]
        return path

    def merge(
        self, into: dict[str, Any], release: Mapping[str, Any], at: _Path, source: _Path
    ) -> None:
        """Merge an object of a release into *into*, as the OCDS merge routine does."""
        self.origin[at] = source
        for key, value in release.items():
            here, there = (*at, key), (*source, key)
            if value is None:
                into.pop(key, None)
            elif isinstance(value, dict) and len(at) < MAX_DEPTH:
                current = into.get(key)
                if not isinstance(current, dict):
                    current = into[key] = {}
                self.merge(current, value, here, there)
            elif key not in _WHOLE_LISTS and _by_id(value) and len(at) < MAX_DEPTH:
                known = self.by_id(here, into.get(key))
                if not (value or known is not None):
                    into[key] = []  # an empty list replaces a list of values
                    self.origin[here] = there
                    continue
                if known is None:
                    known = self.merged[here] = ([], {})
                    into[key] = known[0]
                self.merge_items(*known, value, here, there)
            else:
                into[key] = value
                self.origin[here] = there

    def by_id(
        self, at: _Path, current: object
    ) -> tuple[list[Any], dict[str, int]] | None:
        """Return the list *current* at *at*, and the place of each item by its id.

        None when *current* is not a list merged item by item. A list that
        merged releases already is not looked through again: a process of
        thousands of releases, each adding an item, merges in linear time.
        """
        known = self.merged.get(at)
        if known is not None and known[0] is current:
            return known
        if not (isinstance(current, list) and _by_id(current)):
            return None
        positions = {_identity(item["id"]): n for n, item in enumerate(current)}
        known = self.merged[at] = (current, positions)
        return known

    def merge_items(
        self,
        into: list[Any],
        positions: dict[str, int],
        items: list[dict[str, Any]],
        at: _Path,
        source: _Path,
    ) -> None:
        """Merge a list of objects with ``id`` into *into*, item by item on ``id``.

        *positions* holds the place of each item of *into* by its id, and is
        kept up to date. Of items of one release that share an ``id``, the
        last is the one kept.
        """
        self.origin[at] = source
        last = {_identity(item["id"]): n for n, item in enumerate(items)}
        for n, item in enumerate(items):
            key = _identity(item["id"])
            if last[key] != n:
                continue
            if key not in positions:
                positions[key] = len(into)
                into.append({})
            self.merge(into[positions[key]], item, (*at, positions[key]), (*source, n))


# -- Building engagements --------------------------------------------------------


def _slug(text: str) -> str:
    return _ID_CHARACTERS.sub("-", text).strip("-")


def _engagement_id(ocid: str, contract_id: str) -> str:
    """Return the engagement id of a contract: its ``ocid`` and ``id``, slugged."""
    name = contract_id if contract_id.startswith(ocid) else f"{ocid}-{contract_id}"
    return _slug(name) or "contract"


def _text(value: object) -> str | None:
    """Return an identifier written as text or a whole number, as text."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _org_id(org: Mapping[str, Any]) -> str | None:
    """Return an organization's id, or ``SCHEME-ID`` from its identifier (OCDS 1.0)."""
    found = _text(org.get("id"))
    if found is not None:
        return found
    identifier = org.get("identifier")
    if isinstance(identifier, dict):
        scheme, number = _text(identifier.get("scheme")), _text(identifier.get("id"))
        if scheme is not None and number is not None:
            return f"{scheme}-{number}"
    return None


def _org_name(org: Mapping[str, Any]) -> str | None:
    """Return an organization's name, else its legal name."""
    name = org.get("name")
    if isinstance(name, str) and name.strip():
        return name
    identifier = org.get("identifier")
    if isinstance(identifier, dict):
        legal = identifier.get("legalName")
        if isinstance(legal, str) and legal.strip():
            return legal
    return None


@attrs.frozen
class _Party:
    """An organization of a contract, and where its name was read."""

    name: str | None
    id: str | None
    region: str | None
    path: _Path


@attrs.define
class _Reader:
    """Turns the compiled releases of one file into engagements, with their places."""

    offsets: Mapping[_Path, int]
    labels: dict[_Path, str] = attrs.Factory(dict)
    engagements: list[dict[str, Any]] = attrs.Factory(list)
    #: Where each value of the engagements comes from: its path in the file, and
    #: the importer's name of its item.
    places: dict[_Path, tuple[_Path, str]] = attrs.Factory(dict)
    #: What could not be read: the message, the path in the file (None for no
    #: place in it) and the importer's name of the item.
    problems: list[tuple[str, _Path | None, str]] = attrs.Factory(list)
    #: The ``ocid`` and the contract's ``id`` as published, of each engagement.
    contracts: list[tuple[str, object]] = attrs.Factory(list)
    #: The engagements left out: a contract read twice.
    dropped: set[int] = attrs.Factory(set)
    #: Whether the text may hold an infinite number or NaN, to look for.
    non_finite: bool = True

    def label(self, source: _Path) -> str:
        """Return the name of the release (or record) that *source* is in."""
        for size in range(len(source), -1, -1):
            found = self.labels.get(source[:size])
            if found is not None:
                return found
        return "document"

    def problem(self, message: str, source: _Path, where: str = "") -> None:
        """Record a problem with the value at *source* in the file."""
        self.problems.append((message, source, where or self.label(source)))


@attrs.define
class _Contract:
    """One contract of a compiled release, becoming one engagement."""

    reader: _Reader
    compiled: _Compiled
    at: _Path  # the contract's path in the compiled release
    name: str  # the importer's name of the contract: `contract "c1"`
    data: dict[str, Any] = attrs.Factory(dict)
    places: dict[_Path, tuple[_Path, str]] = attrs.Factory(dict)

    @property
    def contract(self) -> dict[str, Any]:
        """Return the contract's data, as compiled."""
        value: dict[str, Any] = self.compiled.data["contracts"][self.at[-1]]
        return value

    def where(self, source: _Path, item: str = "") -> str:
        """Return the importer's name of a value: its release, contract and item."""
        return " ".join(p for p in (self.reader.label(source), self.name, item) if p)

    def place(self, steps: _Path, at: _Path, item: str = "") -> None:
        """Locate the engagement's value at *steps*: it is read from *at*."""
        source = self.compiled.source(at)
        self.places[steps] = (source, self.where(source, item))

    def put(self, steps: _Path, value: Any, at: _Path, item: str = "") -> None:
        """Set the engagement's value at *steps*, read from *at* (compiled)."""
        _set(self.data, steps, value)
        self.place(steps, at, item)

    def problem(self, message: str, at: _Path, item: str = "") -> None:
        """Record a problem with the value at *at* in the compiled release."""
        source = self.compiled.source(at)
        self.reader.problem(message, source, self.where(source, item))

    def value(self, *steps: str | int, base: _Path | None = None) -> Any:
        """Return the compiled value at *steps* below the contract (or *base*)."""
        value: Any = self.compiled.data
        for step in (*(self.at if base is None else base), *steps):
            if isinstance(value, dict) and isinstance(step, str):
                value = value.get(step)
            elif (
                isinstance(value, list) and isinstance(step, int) and step < len(value)
            ):
                value = value[step]
            else:
                return None
        return value

    def date(self, at: _Path, field: str, item: str = "") -> _Timestamp | None:
        """Read the date-time at *at*; record a problem if it is not one."""
        value = self.value(base=at)
        if value is None:
            return None
        stamp = _timestamp(value) if isinstance(value, str) else None
        if stamp is None:
            message = f"{field}: expected {_TIMESTAMP_EXPECTED}, got {_describe(value)}"
            self.problem(message, at, item)
            return None
        if not _FIRST_DAY.isoformat() <= stamp.date <= _LAST_DAY.isoformat():
            # An open end is often written 9999-12-31: the file format has no
            # such date, and the engagement would not load with it.
            message = (
                f"{field}: expected a date from {_FIRST_DAY} to {_LAST_DAY}, "
                f"got {_describe(value)}"
            )
            self.problem(message, at, item)
            return None
        return stamp


def _set(data: dict[str, Any], steps: _Path, value: Any) -> None:
    """Set the value at *steps* in *data*, making the objects and lists on the way."""
    target: Any = data
    for step, following in itertools.pairwise(steps):
        if isinstance(target, list) and step == len(target):
            target.append([] if isinstance(following, int) else {})
        elif isinstance(target, dict) and step not in target:
            target[step] = [] if isinstance(following, int) else {}
        target = target[step]
    if isinstance(target, list) and steps[-1] == len(target):
        target.append(value)
    else:
        target[steps[-1]] = value


def _read_contract(item: _Contract, ocid: str) -> None:
    """Fill *item*'s engagement from its contract."""
    contract, at = item.contract, item.at
    contract_id = _text(contract.get("id")) or ""
    item.place((), at)
    item.put(("id",), _engagement_id(ocid, contract_id), (*at, "id"))
    title = _title(item)
    if title is not None:
        item.put(("title",), *title)
    _read_status(item)
    _check_shapes(item)
    period = (*at, "period")
    start = item.date((*period, "startDate"), "period.startDate")
    end = item.date((*period, "endDate"), "period.endDate")
    if start is not None:
        item.put(("start",), start.date, (*period, "startDate"))
    if end is not None:
        item.put(("end",), end.date, (*period, "endDate"))
    _read_parties(item)
    _read_agreement(item, start, end)
    _read_milestones(item)
    _keep(item, ("x-ocds-ocid",), ocid, ("ocid",))
    _keep(item, ("x-ocds-contract-id",), contract.get("id"), (*at, "id"))
    for key, name in (
        ("awardID", "x-ocds-award-id"),
        ("status", "x-ocds-status"),
        ("finalStatus", "x-ocds-final-status"),
        ("description", "x-ocds-description"),
        ("value", "x-ocds-value"),
        ("period", "x-ocds-period"),
        ("amendments", "x-ocds-amendments"),
        ("amendment", "x-ocds-amendment"),
    ):
        _keep(item, (name,), contract.get(key), (*at, key))
    implementation = contract.get("implementation")
    if isinstance(implementation, dict):
        transactions = (*at, "implementation", "transactions")
        _keep(
            item, ("x-ocds-payments",), implementation.get("transactions"), transactions
        )


#: The parts of a contract the importer reads that hold an object or a list.
_CONTRACT_SHAPES: Final = (
    (("period",), dict, "an object with `startDate` and `endDate`"),
    (("documents",), list, "a list of documents"),
    (("milestones",), list, "a list of milestones"),
    (("implementation",), dict, "an object with `milestones` and `transactions`"),
    (("implementation", "milestones"), list, "a list of milestones"),
    (("implementation", "transactions"), list, "a list of transactions"),
)


def _check_shapes(item: _Contract) -> None:
    """Record a problem for each part of the contract that is not what OCDS says."""
    contract = item.contract
    implementation = contract.get("implementation")
    for steps, kind, expected in _CONTRACT_SHAPES:
        if len(steps) == 1:
            value = contract.get(steps[0])
        elif isinstance(implementation, dict):
            value = implementation.get(steps[1])
        else:
            continue
        if value is not None and not isinstance(value, kind):
            where = ".".join(str(step) for step in steps)
            message = f"{where}: expected {expected}, got {_describe(value)}"
            item.problem(message, (*item.at, *steps))
    documents = contract.get("documents")
    for n, document in enumerate(documents if isinstance(documents, list) else ()):
        here = (*item.at, "documents", n)
        if not isinstance(document, dict):
            message = f"document: expected an object, got {_describe(document)}"
            item.problem(message, here, f"document #{n + 1}")
            continue
        url = document.get("url")
        if url is not None and not isinstance(url, str):
            label = _text(document.get("id"))
            name = (
                f"document #{n + 1}" if label is None else f"document {_quote(label)}"
            )
            message = f"url: expected the document's URL as text, got {_describe(url)}"
            item.problem(message, (*here, "url"), name)
    # A release of the contract or its implementation often does not restate
    # the awards: an award named is looked for only among awards published.
    award_id = contract.get("awardID")
    awards = item.compiled.data.get("awards")
    if award_id is not None and awards and _award(item) is None:
        known = sorted(
            {
                found
                for award in (awards if isinstance(awards, list) else ())
                if isinstance(award, dict)
                and (found := _text(award.get("id"))) is not None
            }
        )
        hint = did_you_mean(award_id, known) if isinstance(award_id, str) else ""
        message = (
            "awardID: expected the id of one of the process's awards "
            f"({', '.join(known) or 'none has an id'}), got "
            f"{_describe(award_id)}{hint}; the vendor is not read from an award"
        )
        item.problem(message, (*item.at, "awardID"))


def _check_process(reader: _Reader, compiled: _Compiled) -> None:
    """Record a problem for each part of a process that is not what OCDS says."""
    data = compiled.data
    for key, kind, expected, label in (
        ("buyer", dict, "an object naming an organization", ""),
        ("parties", list, "a list of organizations", "party"),
        ("awards", list, "a list of awards", "award"),
    ):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, kind):
            message = f"{key}: expected {expected}, got {_describe(value)}"
            reader.problem(message, compiled.source((key,)))
            continue
        for n, entry in enumerate(value if label else ()):
            if not isinstance(entry, dict):
                message = f"{label}: expected an object, got {_describe(entry)}"
                source = compiled.source((key, n))
                reader.problem(
                    message, source, f"{reader.label(source)} {label} #{n + 1}"
                )


def _keep(item: _Contract, steps: _Path, value: Any, at: _Path, name: str = "") -> None:
    """Keep a value as published under an ``x-ocds-`` key, unless absent or too deep."""
    if value is None or value in ({}, []):
        return
    if _too_deep(value, MAX_DEPTH - len(at)):
        message = (
            f"{at[-1] if at else 'value'}: nested more than {MAX_DEPTH} levels "
            f"deep; it is left out of {steps[-1]}"
        )
        item.problem(message, at, name)
        return
    found = _non_finite(value) if item.reader.non_finite else []
    if found:
        head = at[-1:] if at and isinstance(at[-1], str) else ()
        for inner, number in found:
            got = "NaN" if math.isnan(number) else "a number too large to hold"
            message = (
                f"{_dotted((*head, *inner)) or 'value'}: expected a finite number, "
                f"got {got}; a value that is not a finite number means nothing and "
                f"is left out of {steps[-1]}"
            )
            item.problem(message, (*at, *inner), name)
        value = _without(value, {inner for inner, _ in found})
        if value is None or value in ({}, []):
            return
    item.put(steps, value, at, name)


#: What a number read as infinite or NaN is written with: a large exponent, many
#: digits, or Python's own words (text may hold them too: then values are looked
#: through for nothing).
_MAYBE_NON_FINITE: Final = re.compile(r"[eE]\+?\d{3}|\d{309}|NaN|Infinity")


def _non_finite(value: Any) -> list[tuple[_Path, float]]:
    """Return where *value* holds an infinite number or NaN, which means no amount."""
    found: list[tuple[_Path, float]] = []
    stack: list[tuple[Any, _Path]] = [(value, ())]
    while stack:
        item, steps = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                found.append((steps, item))
        elif isinstance(item, dict):
            stack.extend((v, (*steps, k)) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((v, (*steps, n)) for n, v in reversed(list(enumerate(item))))
    return found


def _without(value: Any, paths: set[_Path], at: _Path = ()) -> Any:
    """Return a copy of *value* without the values at *paths* (None for the whole)."""
    if at in paths:
        return None
    if not any(path[: len(at)] == at for path in paths):
        return value
    if isinstance(value, dict):
        pairs = ((k, _without(v, paths, (*at, k))) for k, v in value.items())
        return {k: v for k, v in pairs if (*at, k) not in paths}
    if isinstance(value, list):
        items = ((n, _without(v, paths, (*at, n))) for n, v in enumerate(value))
        return [v for n, v in items if (*at, n) not in paths]
    return value  # pragma: no cover - only objects and lists hold others


def _dotted(steps: _Path) -> str:
    """Return a path in a value as a message names it: ``value.amount``, ``a[0]``."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text.lstrip(".")


def _title(item: _Contract) -> tuple[str, _Path] | None:
    """Return the contract's title, else its award's, else the tender's; and where."""
    award = _award(item)
    bases = [item.at, *(() if award is None else (award,)), ("tender",)]
    for base in bases:
        value = item.value("title", base=base)
        if isinstance(value, str):
            if value.strip():
                return value, (*base, "title")
        elif value is not None:
            message = f"title: expected text, got {_describe(value)}"
            item.problem(message, (*base, "title"))
    return None


def _read_status(item: _Contract) -> None:
    """Set the status: from ``finalStatus`` if there is one, else from ``status``."""
    at = item.at
    final = item.contract.get("finalStatus")
    status = item.contract.get("status")
    if final is not None:
        if final in _FINAL_STATUSES:
            item.put(("status",), "ended", (*at, "finalStatus"))
            return
        expected = ", ".join(_FINAL_STATUSES)
        message = f"finalStatus: expected one of {expected}, got {_describe(final)}"
        item.problem(message, (*at, "finalStatus"))
    if status is None:
        return
    if isinstance(status, str) and status in _STATUSES:
        item.put(("status",), _STATUSES[status], (*at, "status"))
        return
    hint = did_you_mean(status, _STATUSES) if isinstance(status, str) else ""
    expected = ", ".join(_STATUSES)
    message = f"status: expected one of {expected}, got {_describe(status)}{hint}"
    item.problem(message, (*at, "status"))


def _award(item: _Contract) -> _Path | None:
    """Return the path of the award the contract names by ``awardID``, if any."""
    award_id = _text(item.contract.get("awardID"))
    awards = item.compiled.data.get("awards")
    if award_id is None or not isinstance(awards, list):
        return None
    for n, award in enumerate(awards):
        if isinstance(award, dict) and _text(award.get("id")) == award_id:
            return ("awards", n)
    return None


def _parties(compiled: _Compiled) -> dict[str, _Path]:
    """Return the path of each party of a compiled release, by its id."""
    parties = compiled.data.get("parties")
    found: dict[str, _Path] = {}
    if isinstance(parties, list):
        for n, party in enumerate(parties):
            key = _text(party.get("id")) if isinstance(party, dict) else None
            if key is not None:
                found.setdefault(key, ("parties", n))
    return found


def _with_role(compiled: _Compiled, role: str) -> list[_Path]:
    """Return the paths of the parties that have *role*."""
    parties = compiled.data.get("parties")
    if not isinstance(parties, list):
        return []
    return [
        ("parties", n)
        for n, party in enumerate(parties)
        if isinstance(party, dict)
        and isinstance(party.get("roles"), list)
        and role in party["roles"]
    ]


def _party(item: _Contract, at: _Path) -> _Party | None:
    """Return the organization at *at*, or the party it refers to by ``id``."""
    org = item.value(base=at)
    if not isinstance(org, dict):
        return None
    key = _text(org.get("id"))
    party_at = at if key is None else _parties(item.compiled).get(key, at)
    party = item.value(base=party_at)
    if not isinstance(party, dict):
        party, party_at = org, at
    name = _org_name(party) or _org_name(org)
    address = party.get("address")
    country = address.get("country") if isinstance(address, dict) else None
    region = country.upper() if isinstance(country, str) and len(country) == 2 else None
    return _Party(
        name=name, id=_org_id(party) or _org_id(org), region=region, path=party_at
    )


def _read_parties(item: _Contract) -> None:
    """Set the client (the buyer) and the vendor (the supplier)."""
    compiled = item.compiled
    buyer: _Party | None = None
    if isinstance(compiled.data.get("buyer"), dict):
        buyer = _party(item, ("buyer",))
    else:
        buyers = _with_role(compiled, "buyer")
        if len(buyers) == 1:
            buyer = _party(item, buyers[0])
    if buyer is not None and buyer.name is not None:
        item.put(("client", "name"), buyer.name, _member(item, buyer.path, "name"))
        if buyer.region is not None:
            country = (*buyer.path, "address", "country")
            item.put(("client", "region"), buyer.region, country)
        if buyer.id is not None:
            item.put(("client", "x-ocds-id"), buyer.id, _member(item, buyer.path, "id"))
    suppliers = _suppliers(item)
    if not suppliers:
        return
    vendor = suppliers[0]
    if vendor.name is not None:
        item.put(("vendor", "name"), vendor.name, _member(item, vendor.path, "name"))
    if vendor.id is not None:
        item.put(("vendor", "id"), vendor.id, _member(item, vendor.path, "id"))
    if len(suppliers) > 1:
        listed = [{"id": s.id, "name": s.name} for s in suppliers]
        item.put(("x-ocds-suppliers",), listed, suppliers[0].path[:-1])


def _member(item: _Contract, at: _Path, key: str) -> _Path:
    """Return the path of the object at *at*'s member *key*, or *at* without one."""
    value = item.value(base=at)
    return (*at, key) if isinstance(value, dict) and key in value else at


def _suppliers(item: _Contract) -> list[_Party]:
    """Return the suppliers of the contract's award, else the one supplier party."""
    award = _award(item)
    if award is not None:
        refs = item.value("suppliers", base=award)
        if isinstance(refs, list) and refs:
            found = [_party(item, (*award, "suppliers", n)) for n in range(len(refs))]
            return [p for p in found if p is not None]
    suppliers = _with_role(item.compiled, "supplier")
    if len(suppliers) == 1:
        party = _party(item, suppliers[0])
        return [] if party is None else [party]
    return []


def _read_agreement(
    item: _Contract, start: _Timestamp | None, end: _Timestamp | None
) -> None:
    """Set the agreement of kind ``contract``: signed, in force, its document."""
    at = item.at
    steps: _Path = ("agreements", 0)
    item.place(steps, at)
    item.put((*steps, "kind"), "contract", at)
    signed = item.date((*at, "dateSigned"), "dateSigned")
    if signed is not None:
        item.put((*steps, "signed_on"), signed.date, (*at, "dateSigned"))
    written = item.contract.get("dateSigned")
    _keep(item, (*steps, "x-ocds-date-signed"), written, (*at, "dateSigned"))
    period = (*at, "period")
    if start is not None:
        item.put((*steps, "effective"), start.date, (*period, "startDate"))
    if end is not None:
        item.put((*steps, "expires"), end.date, (*period, "endDate"))
    documents = item.contract.get("documents")
    if not isinstance(documents, list):
        return
    for n, document in enumerate(documents):
        if not isinstance(document, dict) or document.get("documentType") != _SIGNED:
            continue
        url = document.get("url")
        if isinstance(url, str) and url.strip():
            item.put((*steps, "document"), url, (*at, "documents", n, "url"))
            break
    _keep(item, (*steps, "x-ocds-documents"), documents, (*at, "documents"))


def _read_milestones(item: _Contract) -> None:
    """Add the contract's implementation milestones, then its own milestones."""
    at = item.at
    count = 0
    for base in ((*at, "implementation", "milestones"), (*at, "milestones")):
        milestones = item.value(base=base)
        if not isinstance(milestones, list):
            continue
        for n, milestone in enumerate(milestones):
            here = (*base, n)
            label = _text(milestone.get("id")) if isinstance(milestone, dict) else None
            name = (
                f"milestone #{n + 1}" if label is None else f"milestone {_quote(label)}"
            )
            if not isinstance(milestone, dict):
                message = f"milestone: expected an object, got {_describe(milestone)}"
                item.problem(message, here, name)
                continue
            steps: _Path = ("milestones", count)
            item.place(steps, here, name)
            for key in ("title", "description"):
                text = milestone.get(key)
                if text is not None and not isinstance(text, str):
                    message = f"{key}: expected text, got {_describe(text)}"
                    item.problem(message, (*here, key), name)
            texts = (milestone.get(key) for key in ("title", "description"))
            fallback = f"milestone {label or n + 1}"
            title = next(
                (t for t in texts if isinstance(t, str) and t.strip()), fallback
            )
            item.put((*steps, "name"), title, here, name)
            for key, field in (("dueDate", "due"), ("dateMet", "done_on")):
                stamp = item.date((*here, key), key, name)
                if stamp is not None:
                    item.put((*steps, field), stamp.date, (*here, key), name)
            _keep(item, (*steps, "x-ocds-milestone"), milestone, here, name)
            count += 1


# -- The whole file ----------------------------------------------------------------


def _quote(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _number(source: _Path) -> str:
    """Return ``#N`` for the N-th item of a list at *source*, else nothing."""
    last = source[-1] if source else None
    return f"#{last + 1}" if isinstance(last, int) else ""


def _release_label(release: Mapping[str, Any], source: _Path) -> str:
    """Return the importer's name of a release: ``release "ID"``, else its number."""
    name = _text(release.get("id"))
    if name is not None:
        return f"release {_quote(name)}"
    return f"release {_number(source)}".rstrip()


def _used(release: Mapping[str, Any]) -> dict[str, Any]:
    """Return the parts of *release* the importer reads (see ``_USED``)."""
    used: dict[str, Any] = {}
    for key, read in _USED.items():
        if key not in release:
            continue
        value = release[key]
        if read is not None and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k in read}
        elif read is not None and isinstance(value, list):
            value = [
                {k: v for k, v in item.items() if k in read}
                if isinstance(item, dict)
                else item
                for item in value
            ]
        used[key] = value
    return used


def _compile(
    reader: _Reader, releases: Sequence[tuple[_Path, dict[str, Any]]]
) -> _Compiled:
    """Merge the releases of one process, oldest first, into a compiled release.

    Several releases are ordered by their ``date``; one without a date that
    reads is left out, with a problem, as its place in the order is unknown.
    """
    if len(releases) > 1:
        dated: list[tuple[dt.datetime, _Path, dict[str, Any]]] = []
        for source, release in releases:
            value = release.get("date")
            stamp = _timestamp(value) if isinstance(value, str) else None
            if stamp is None:
                reader.problem(
                    f"date: expected {_TIMESTAMP_EXPECTED}, to order the release "
                    f"among those of its process, got {_got(release, 'date')}; the "
                    "release is left out",
                    source if value is None else (*source, "date"),
                )
                continue
            dated.append((stamp.instant, source, release))
        dated.sort(key=lambda entry: entry[0])
        releases = [(source, release) for _, source, release in dated]
    compiled = _Compiled()
    for source, release in releases:
        compiled.merge(compiled.data, _used(release), (), source)
    return compiled


def _read_compiled(reader: _Reader, compiled: _Compiled, ocid: str) -> None:
    """Make an engagement of each contract of a compiled release."""
    contracts = compiled.data.get("contracts")
    if not isinstance(contracts, list):
        if contracts is not None:
            message = f"contracts: expected a list, got {_describe(contracts)}"
            reader.problem(message, compiled.source(("contracts",)))
        return
    if contracts:
        _check_process(reader, compiled)
    for n, contract in enumerate(contracts):
        at: _Path = ("contracts", n)
        contract_id = _text(contract.get("id")) if isinstance(contract, dict) else None
        if contract_id is None:
            written = contract.get("id") if isinstance(contract, dict) else None
            if written is None:
                message = (
                    f"contract #{n + 1}: expected an object with an `id`, got "
                    f"{_describe(contract)}"
                )
                reader.problem(message, compiled.source(at))
            else:
                message = (
                    f"contract #{n + 1}: id: expected text or a whole number, got "
                    f"{_describe(written)}"
                )
                reader.problem(message, compiled.source((*at, "id")))
            continue
        item = _Contract(reader, compiled, at, f"contract {_quote(contract_id)}")
        _read_contract(item, ocid)
        index = len(reader.engagements)
        reader.engagements.append(item.data)
        reader.contracts.append((ocid, contract["id"]))
        for steps, place in item.places.items():
            reader.places[("engagements", index, *steps)] = place


def _read_releases(reader: _Reader, releases: Iterable[tuple[_Path, object]]) -> None:
    """Read releases: grouped by ``ocid``, merged, then their contracts."""
    groups: dict[str, list[tuple[_Path, dict[str, Any]]]] = {}
    for source, release in releases:
        if not isinstance(release, dict):
            message = f"release: expected an object, got {_describe(release)}"
            reader.problem(message, source, f"release {_number(source)}".rstrip())
            continue
        reader.labels[source] = _release_label(release, source)
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid.strip():
            message = (
                "ocid: expected the id of the release's contracting process, "
                f"got {_got(release, 'ocid')}"
            )
            reader.problem(message, source if ocid is None else (*source, "ocid"))
            continue
        groups.setdefault(ocid, []).append((source, release))
    for ocid, group in groups.items():
        _read_compiled(reader, _compile(reader, group), ocid)


def _read_record(reader: _Reader, record: dict[str, Any], source: _Path) -> None:
    """Read a record: its compiled release, else its embedded releases merged."""
    ocid = record.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        message = (
            "ocid: expected the id of the record's contracting process, "
            f"got {_got(record, 'ocid')}"
        )
        reader.labels[source] = f"record {_number(source)}".rstrip()
        reader.problem(message, source if ocid is None else (*source, "ocid"))
        return
    reader.labels[source] = f"record {_quote(ocid)}"
    compiled_release = record.get("compiledRelease")
    if isinstance(compiled_release, dict):
        at = (*source, "compiledRelease")
        _read_compiled(reader, _compile(reader, [(at, compiled_release)]), ocid)
        return
    releases = record.get("releases")
    group = [
        ((*source, "releases", n), release)
        for n, release in enumerate(releases if isinstance(releases, list) else ())
        if isinstance(release, dict) and ("ocid" in release or "id" in release)
    ]
    if not group:
        reader.problem(
            "record: expected a `compiledRelease` or embedded releases, got "
            "neither (linked releases, which only give a `url`, are not read)",
            source,
        )
        return
    for at, release in group:
        reader.labels[at] = _release_label(release, at)
    _read_compiled(reader, _compile(reader, group), ocid)


def _read_records(reader: _Reader, records: object) -> str | None:
    """Read a record package's records; return why not, if they are no list."""
    if not isinstance(records, list):
        return f"records: expected a list of records, got {_describe(records)}"
    for n, record in enumerate(records):
        if isinstance(record, dict):
            _read_record(reader, record, ("records", n))
        else:
            message = f"record: expected an object, got {_describe(record)}"
            reader.problem(message, ("records", n), f"record #{n + 1}")
    return None


def _read_document(reader: _Reader, data: object) -> str | None:
    """Read OCDS data of any of its shapes; return why not, when it is none."""
    expected = (
        "a release package (`releases`), a record package (`records`), or a "
        "release or a record (`ocid`)"
    )
    if not isinstance(data, dict):
        return f"not OCDS data: expected {expected}, got {_describe(data)}"
    if "records" in data:
        return _read_records(reader, data["records"])
    if "ocid" in data:
        record_keys = ("compiledRelease", "versionedRelease", "releases")
        if any(key in data for key in record_keys):
            _read_record(reader, data, ())
        else:
            _read_releases(reader, [((), data)])
        return None
    if "releases" not in data:
        keys = ", ".join(f"`{key}`" for key in sorted(data)[:8]) or "none"
        return f"not OCDS data: expected {expected} at the top level, got keys {keys}"
    releases = data["releases"]
    if not isinstance(releases, list):
        return f"releases: expected a list of releases, got {_describe(releases)}"
    _read_releases(reader, ((("releases", n), r) for n, r in enumerate(releases)))
    return None


def _lines(text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Return the 1-based line of each offset, counting line breaks once."""
    lines: dict[int, int] = {}
    line, last = 1, 0
    for offset in sorted(set(offsets)):
        line += text.count("\n", last, offset)
        lines[offset] = line
        last = offset
    return lines


def _nearest(table: Mapping[_Path, Any], path: _Path) -> Any:
    """Return the entry of *table* for *path* or its nearest parent; None if none."""
    for size in range(len(path), -1, -1):
        found = table.get(path[:size])
        if found is not None:
            return found
    return None


def _unique_ids(reader: _Reader, text: str, offsets: Mapping[_Path, int]) -> None:
    """Give contracts that would share an engagement id ids of their own.

    The first contract of the file with an id keeps it; each later one gets
    ``-`` and the first 8 hexadecimal digits of the SHA-256 of its ``ocid``
    and contract ``id`` (as JSON: ``["ocds-a", "1/2"]``) after it. A contract
    with the ``ocid`` and ``id`` of one read before (two records of one
    process) is left out, with a problem naming where the first is.
    """
    engagements = reader.engagements
    taken = {engagement["id"] for engagement in engagements}
    first_id: set[str] = set()
    first: dict[tuple[str, str], int] = {}
    for n, (ocid, contract_id) in enumerate(reader.contracts):
        key = (ocid, _identity(contract_id))
        if key in first:
            source, where = reader.places[("engagements", first[key], "id")]
            offset = _nearest(offsets, source)
            if offset is not None:
                where += f", line {text.count(chr(10), 0, offset) + 1}"
            message = (
                f"id: the process {_quote(ocid)} has a contract "
                f"{_quote(str(contract_id))} already ({where}); a contract is "
                "read once, so this one is left out"
            )
            reader.problems.append((message, *reader.places[("engagements", n, "id")]))
            reader.dropped.add(n)
            continue
        first[key] = n
        engagement = engagements[n]
        base = engagement["id"]
        if base not in first_id:
            first_id.add(base)
            continue
        digest = hashlib.sha256(
            json.dumps([ocid, contract_id], ensure_ascii=False).encode(
                "utf-8", "surrogatepass"
            )
        ).hexdigest()
        for size in (8, 16, len(digest)):
            unique = f"{base}-{digest[:size]}"
            if unique not in taken:
                break
        engagement["id"] = unique
        taken.add(unique)
        first_id.add(unique)


def _select(reader: _Reader, ocid: str, contract: str) -> list[int] | str:
    """Return the engagements the options select, or why there are none."""
    engagements = reader.engagements
    chosen = [n for n in range(len(engagements)) if n not in reader.dropped]
    if ocid:
        chosen = [n for n in chosen if engagements[n].get("x-ocds-ocid") == ocid]
        if not chosen:
            known = sorted({str(e.get("x-ocds-ocid")) for e in engagements})
            return (
                f"option ocid: no contract of the process {ocid!r} in the file"
                f"{did_you_mean(ocid, known)}; its processes: "
                f"{', '.join(known) or 'none'}"
            )
    if contract:

        def names(n: int) -> set[str]:
            engagement = engagements[n]
            return {str(engagement.get("x-ocds-contract-id")), engagement["id"]}

        matching = [n for n in chosen if contract in names(n)]
        if not matching:
            known = sorted(
                {str(engagements[n].get("x-ocds-contract-id")) for n in chosen}
            )
            everything = {name for n in chosen for name in names(n)}
            return (
                f"option contract: no contract {contract!r} in the file"
                f"{did_you_mean(contract, everything)}; its contracts: "
                f"{', '.join(known) or 'none'}"
            )
        chosen = matching
    return chosen


def _surrogates(
    data: Any, places: Mapping[_Path, tuple[_Path, str]]
) -> list[tuple[str, _Path | None, str]]:
    """Replace half surrogate pairs, which no file can hold, in text; say where.

    Keys are text too: a key holding one is renamed, in its place among the
    object's keys (with another U+FFFD after it, should the new name be taken).
    """
    found: list[tuple[str, _Path | None, str]] = []

    def report(what: str, text: str, steps: _Path) -> None:
        source, where = _nearest(places, steps) or ((), "")
        message = (
            f"{what} holds half of a surrogate pair, which is no Unicode "
            f"character: {short_repr(text)}; it is replaced by U+FFFD"
        )
        found.append((message, source, where))

    stack: list[tuple[Any, _Path]] = [(data, ())]
    while stack:
        value, steps = stack.pop()
        items: Iterable[tuple[Any, Any]]
        if isinstance(value, dict):
            if any(_SURROGATE.search(key) for key in value):
                for key in _rename_keys(value):
                    report("a key", key, (*steps, key))
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for key, child in items:
            if isinstance(child, str) and _SURROGATE.search(child):
                value[key] = _SURROGATE.sub("\ufffd", child)
                report("text", child, (*steps, key))
            else:
                stack.append((child, (*steps, key)))
    return found


def _rename_keys(value: dict[str, Any]) -> list[str]:
    """Replace half surrogate pairs in the keys of *value*, keeping their order.

    Return the keys renamed, as they were.
    """
    renamed: dict[str, Any] = {}
    before: list[str] = []
    for key, child in value.items():
        name = _SURROGATE.sub("\ufffd", key)
        if name != key:
            before.append(key)
            while name in value or name in renamed:
                name += "\ufffd"
        renamed[name] = child
    value.clear()
    value.update(renamed)
    return before


def import_ocds(text: str, *, ocid: str = "", contract: str = "") -> Imported:
    """Read OCDS JSON *text* into engagements, one per contract.

    The data is one engagement when the text holds one contract (or *ocid* and
    *contract* select one), else a portfolio: ``{"engagements": [...]}``, empty
    when the text holds no contract yet (a tender, say). *ocid* keeps only the
    contracts of that contracting process, *contract* only the contract with
    that ``id`` (or that engagement id). Named under ``imports:``, the one
    contract selected gives its facts to the engagement naming the file.
    ``lines`` and ``where`` locate every value in the text; what cannot be
    read is in ``problems``, and the rest is still read. A key written twice in
    an object is a problem where it is written again, and the text gives no
    data: which value was meant is unknown.
    """
    text = text.removeprefix("\ufeff")
    data, offsets, failures = _parse(text)
    if failures:
        return Imported(problems=failures)
    reader = _Reader(offsets, non_finite=_MAYBE_NON_FINITE.search(text) is not None)
    refusal = _read_document(reader, data)
    if refusal is not None:
        return Imported(problems=(ImportProblem(message=refusal, line=1),))
    _unique_ids(reader, text, offsets)
    found = list(reader.problems)
    chosen = _select(reader, ocid, contract)
    if isinstance(chosen, str):
        found.append((chosen, None, ""))
        chosen = []
    result, places = _result(reader, chosen)
    if _ESCAPED_SURROGATE.search(text):
        found.extend(_surrogates(result, places))
    return _located(text, offsets, result, places, found)


def _result(
    reader: _Reader, chosen: Sequence[int]
) -> tuple[dict[str, Any], dict[_Path, tuple[_Path, str]]]:
    """Return the data of the *chosen* engagements, and where each value is from."""
    single = len(chosen) == 1
    renumber = {old: new for new, old in enumerate(chosen)}
    places: dict[_Path, tuple[_Path, str]] = {}
    for steps, place in reader.places.items():
        new = renumber.get(int(steps[1]))
        if new is not None:
            places[steps[2:] if single else ("engagements", new, *steps[2:])] = place
    engagements = [reader.engagements[n] for n in chosen]
    return engagements[0] if single else {"engagements": engagements}, places


def _located(
    text: str,
    offsets: Mapping[_Path, int],
    data: dict[str, Any],
    places: Mapping[_Path, tuple[_Path, str]],
    found: Sequence[tuple[str, _Path | None, str]],
) -> Imported:
    """Return *data* with the line and name of its values, and the problems *found*."""
    sources = [source for source, _ in places.values()]
    sources += [source for _, source, _ in found if source is not None]
    wanted = (_nearest(offsets, source) for source in sources)
    lines = _lines(text, (offset for offset in wanted if offset is not None))

    def problem(message: str, source: _Path | None, where: str) -> ImportProblem:
        offset = None if source is None else _nearest(offsets, source)
        if offset is None:
            return ImportProblem(message=message, where=where)
        column = offset - text.rfind("\n", 0, offset)
        return ImportProblem(
            message=message, line=lines[offset], column=column, where=where
        )

    located = {
        steps: lines[offset]
        for steps, (source, _) in places.items()
        if (offset := _nearest(offsets, source)) is not None
    }
    return Imported(
        data=data,
        lines=located,
        where={steps: where for steps, (_, where) in places.items()},
        problems=sorted(
            (problem(*entry) for entry in found),
            key=lambda p: (p.line is None, p.line or 0, p.column or 0),
        ),
    )


def read_ocds(path: str | os.PathLike[str], options: Mapping[str, Any]) -> Imported:
    """Read the OCDS file at *path* into engagements, one per contract.

    *options* may hold ``ocid`` and ``contract`` (see
    :func:`import_ocds`); pass ``{}`` for none. A file that cannot be read, or
    is not UTF-8 JSON, is one problem; nothing is raised for what it holds.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        return Imported(
            problems=(ImportProblem(message=f"cannot read the file: {error}"),)
        )
    wide = wide_encoding(raw)
    if wide is not None:
        message = (
            f"not UTF-8 text: the file is {wide} (it starts with the byte-order "
            f"mark of {wide}); save it as UTF-8, in which JSON files are exchanged"
        )
        return Imported(problems=(ImportProblem(message=message, line=1),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8 text: byte 0x{raw[error.start]:02x} cannot be decoded"
        return Imported(problems=(ImportProblem(message=message, line=line),))
    return import_ocds(
        text,
        ocid=str(options.get("ocid") or ""),
        contract=str(options.get("contract") or ""),
    )


#: The ``ocds`` importer: OCDS release and record packages, chosen by content.
OCDS_IMPORTER: Final = Importer(
    name="ocds",
    suffixes=(".json",),
    func=read_ocds,
    sniff=is_ocds,
    options={
        "ocid": Option(
            default="",
            help="read only the contracts of this contracting process (its ocid)",
        ),
        "contract": Option(
            default="",
            help="read only the contract with this id (or this engagement id)",
        ),
    },
    description="Open Contracting Data Standard (OCDS) release and record "
    "packages: one engagement per contract",
    extra=None,
)
