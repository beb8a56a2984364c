"""Engagements from tables: spreadsheet rows and CSV files, one engagement a row.

Each column is mapped to a place in the engagement file format by a *target*
(:data:`DEFAULT_MAPPING` holds the mapping used when none is given):

* a dotted path of keys: ``title``, ``vendor.name``, ``client.timezone``,
  ``vendor.vetting.security_review``, ``data.confidential``; a last key may
  be an ``x-`` key kept for integrators (``x-crm-id``, ``vendor.x-tier``);
* ``agreements[KIND].KEY``: a key of the row's agreement of that kind (``nda``,
  ``msa``, ``sow``, ``sla``, ``dpa``, ``contract``), such as
  ``agreements[nda].signed_on``; columns naming the same kind fill one
  agreement;
* ``kpis``: KPIs separated by ``;``, each ``name``, ``name<=target`` (lower is
  better) or ``name>=target`` (higher is better): ``close-time<=5;csat>=4.5``;
* any other list of named items (``tasks``, ``deliverables``, ``milestones``):
  their names separated by ``;``.

Cells are text as a spreadsheet writes it. Empty cells are left out, so the
engagement says nothing there. Numbers are read for numeric keys, ``true`` /
``false`` / ``yes`` / ``no`` / ``1`` / ``0`` (any case) for yes-or-no keys, and
lists of text (``vendor.regions_served``) are split on ``;``. Everything else
is read by :func:`outsourcekit.io.from_dict` exactly as from an engagement file.

Rows are numbered as a spreadsheet numbers them: in a CSV file, a row's number
is the line it starts on, the header being row 1. Errors name the file, the row
and the column, and the rows without errors still load.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import math
import os
import re
import threading
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import attrs

from outsourcekit.engine import Option
from outsourcekit.io import LoadError, LoadIssue, format_path, from_dict
from outsourcekit.model import (
    AgreementKind,
    Engagement,
    Origin,
    file_fields,
    is_model_class,
)
from outsourcekit.plugins import Imported, Importer, ImportProblem, did_you_mean

__all__ = [
    "CSV_IMPORTER",
    "DEFAULT_MAPPING",
    "from_records",
    "read_csv",
]

#: The column mapping used when none is given, from column name to target.
DEFAULT_MAPPING: Final[Mapping[str, str]] = MappingProxyType(
    {
        "id": "id",
        "title": "title",
        "status": "status",
        "start": "start",
        "end": "end",
        "owner": "owner",
        "vision": "vision",
        "hours_per_week": "hours_per_week",
        "exit_plan": "exit_plan",
        "client": "client.name",
        "client_timezone": "client.timezone",
        "client_working_hours": "client.working_hours",
        "client_region": "client.region",
        "client_industry": "client.industry",
        "outsourcing_experience": "client.outsourcing_experience",
        "vendor": "vendor.name",
        "vendor_id": "vendor.id",
        "vendor_kind": "vendor.kind",
        "vendor_timezone": "vendor.timezone",
        "vendor_working_hours": "vendor.working_hours",
        "security_review": "vendor.vetting.security_review",
        "trial": "vendor.trial.status",
        "contract_signed_on": "agreements[contract].signed_on",
        "msa_signed_on": "agreements[msa].signed_on",
        "sow_signed_on": "agreements[sow].signed_on",
        "nda_signed_on": "agreements[nda].signed_on",
        "nda_expires": "agreements[nda].expires",
        "dpa_signed_on": "agreements[dpa].signed_on",
        "check_ins": "communication.check_ins",
        "check_in_length": "communication.check_in_length",
        "response_time": "communication.response_time",
        "feedback": "communication.feedback",
        "escalation": "communication.escalation",
        "status_reports": "performance.status_reports",
        "kpis": "kpis",
        "confidential": "data.confidential",
        "personal_data": "data.personal_data",
        "shared_since": "data.shared_since",
    }
)

_SEPARATOR: Final = ";"
_TRUE: Final = frozenset({"true", "yes", "1"})
_FALSE: Final = frozenset({"false", "no", "0"})
_AGREEMENT: Final = re.compile(r"agreements\[(?P<kind>[^\]]*)\]\.(?P<key>[^.\[\]]+)")
_KPI: Final = re.compile(r"(?P<name>[^<>=]+?)\s*(?:(?P<op><=|>=)\s*(?P<target>.*))?")
_KPI_EXPECTED: Final = "KPIs like `name`, `name<=target` or `name>=target`"
_FORMS: Final = (
    "a dotted path of keys (`vendor.name`), `agreements[KIND].KEY`, `kpis`, "
    "or a list of named items such as `tasks`"
)
_BLANK_TYPES: Final = frozenset({"NAType", "NaTType"})
#: What names a column.
_COLUMN_NAME: Final = "a column name (text)"


# -- Targets -----------------------------------------------------------------------


@attrs.frozen
class _Target:
    """Where one column's cells go: the path of keys and how a cell is read.

    ``kind`` is ``text`` (as written), ``number``, ``bool``, ``list`` (split on
    ``;``), ``names`` (split on ``;``, each a named item), ``kpis``, or
    ``agreement`` (``steps`` then are the agreement kind and its key).
    """

    column: str
    steps: tuple[str, ...]
    kind: str


def _unwrap(tp: Any) -> tuple[Any, ...]:
    """Return the types of a hint, without None: ``int | None`` is ``(int,)``."""
    if typing.get_origin(tp) in {typing.Union, types.UnionType}:
        return tuple(t for t in typing.get_args(tp) if t is not type(None))
    return (tp,)


def _kind_of(tp: Any) -> str:
    """Return how a cell is read for a key of type *tp*."""
    options = _unwrap(tp)
    if options == (bool,):
        return "bool"
    if options and all(t in {int, float} for t in options):
        return "number"
    if len(options) == 1 and typing.get_origin(options[0]) is tuple:
        (item,) = typing.get_args(options[0])[:1]
        if item is str:
            return "list"
        if is_model_class(item) and "name" in file_fields(item):
            return "names"
    return "text"


def _model_of(tp: Any) -> type | None:
    options = _unwrap(tp)
    if len(options) == 1 and is_model_class(options[0]):
        model: type = options[0]
        return model
    return None


def _bad(column: str, target: str, reason: str) -> ValueError:
    return ValueError(f"mapping: column {column!r} -> {target!r}: {reason}")


def _target(column: str, target: object) -> _Target:
    """Read a column's *target*; raise ValueError saying what is wrong with it."""
    if not isinstance(target, str):
        msg = (
            f"mapping: column {column!r}: expected a target such as 'vendor.name' "
            f"or None, got {target!r}"
        )
        raise TypeError(msg)
    match = _AGREEMENT.fullmatch(target)
    if match is not None:
        return _agreement_target(column, target, match["kind"], match["key"])
    if target == "kpis":
        return _Target(column, ("kpis",), "kpis")
    return _path_target(column, target)


def _agreement_target(column: str, target: str, kind: str, key: str) -> _Target:
    """Read ``agreements[KIND].KEY``: the steps are the kind, key and cell kind."""
    if kind not in AgreementKind.choices():
        choices = " | ".join(AgreementKind.choices())
        reason = f"expected an agreement kind, one of {choices}, got {kind!r}"
        raise _bad(column, target, reason)
    if key == "kind":
        raise _bad(column, target, "the agreement's kind is the one in brackets")
    fields = file_fields(_agreement_class())
    if key.startswith("x-"):
        return _Target(column, (kind, key, "text"), "agreement")
    if key not in fields:
        reason = f"agreements have no key {key!r}{did_you_mean(key, fields)}"
        raise _bad(column, target, reason)
    item_kind = _kind_of(fields[key])
    if item_kind == "names":
        raise _bad(column, target, f"{key!r} cannot be read from one cell")
    return _Target(column, (kind, key, item_kind), "agreement")


def _path_target(column: str, target: str) -> _Target:
    """Read a dotted path of keys, checking each against the model."""
    steps = tuple(target.split("."))
    model: type | None = Engagement
    tp: Any = None
    for index, step in enumerate(steps):
        if model is None or not step:
            raise _bad(column, target, f"expected {_FORMS}")
        if step.startswith("x-"):
            if index != len(steps) - 1:
                raise _bad(column, target, "an `x-` key holds a value, not keys")
            return _Target(column, steps, "text")
        fields = file_fields(model)
        if step not in fields:
            where = "an engagement" if model is Engagement else model.__name__
            reason = f"{where} has no key {step!r}{did_you_mean(step, fields)}"
            raise _bad(column, target, reason)
        tp = fields[step]
        model = _model_of(tp)
    if model is not None:
        last = steps[-1]
        reason = f"{last!r} holds keys: name one of them, like {last}.name"
        raise _bad(column, target, reason)
    kind = _kind_of(tp)
    if kind == "names" and len(steps) > 1:
        raise _bad(column, target, f"expected {_FORMS}")
    return _Target(column, steps, kind)


def _agreement_class() -> type:
    from outsourcekit.model import Agreement  # noqa: PLC0415 - one place

    return Agreement


#: A column's name: text, but from Python any key of a row.
_Name = typing.TypeVar("_Name")


def _plan(
    columns: Sequence[_Name], mapping: Mapping[str, str | None] | None
) -> tuple[list[_Target], list[_Name]]:
    """Return the targets of *columns* and the columns no target names.

    The mapping given is laid over :data:`DEFAULT_MAPPING`; a column mapped to
    None is ignored, and a column named ``x-...`` is kept under that key. A
    column named None is no column: ``csv.DictReader`` names so the cells past
    the last column of a row, a problem of that row.
    """
    merged: dict[str, str | None] = dict(DEFAULT_MAPPING)
    if mapping is not None:
        merged.update(mapping)
    targets = []
    unknown: list[_Name] = []
    for column in columns:
        if column in merged:
            target = merged[column]
            if target is not None:
                # A mapping may name columns that are no text (pandas numbers
                # the columns of a sheet read without its header): as given.
                targets.append(_target(column, target))
        elif isinstance(column, str) and column.startswith("x-"):
            targets.append(_target(column, column))
        elif column is not None:
            unknown.append(column)
    ids = [t.column for t in targets if t.steps == ("id",)]
    if len(ids) > 1:
        msg = (
            f"mapping: columns {ids[0]!r} and {ids[1]!r} both give the engagement's id"
        )
        raise ValueError(msg)
    return targets, unknown


# -- Cells -------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    """Whether a cell is empty: None, blank text, NaN or pandas' missing values."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in _BLANK_TYPES


def _number(value: object) -> object:
    """Read a number from text; anything else is left for the loader to refuse."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return value
    return number if math.isfinite(number) else value


def _bool(value: object) -> object:
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in {0, 1}:
        return bool(value)
    return value


def _plain_text(value: object) -> object:
    """Text as written; numbers from a data frame become their text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return value


def _split(value: object) -> list[str] | object:
    if not isinstance(value, str):
        return value
    return [part.strip() for part in value.split(_SEPARATOR) if part.strip()]


def _iso(value: dt.date) -> str:
    """Return a date or date-time (also pandas') as ISO text; naive midnight a date."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()


def _read(kind: str, value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
    elif isinstance(value, dt.date):
        value = _iso(value)
    if kind == "number":
        return _number(value)
    if kind == "bool":
        return _bool(value)
    if kind == "list":
        return _split(value)
    if kind == "names":
        parts = _split(value)
        if isinstance(parts, list):
            return [{"name": name} for name in parts]
        return parts
    return _plain_text(value)


class _CellError(ValueError):
    """A cell that cannot be read; ``expected`` says what it should hold."""

    def __init__(self, expected: str, value: object) -> None:
        super().__init__(f"expected {expected}, got {value!r}")
        self.expected = expected
        self.value = value


def _kpis(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, str):
        raise _CellError(_KPI_EXPECTED, value)
    kpis = []
    for part in value.split(_SEPARATOR):
        item = part.strip()
        if not item:
            continue
        match = _KPI.fullmatch(item)
        if match is None:
            raise _CellError(_KPI_EXPECTED, item)
        kpi: dict[str, Any] = {"name": match["name"].strip()}
        if match["op"] is not None:
            kpi["target"] = _number(match["target"])
            kpi["direction"] = "lower" if match["op"] == "<=" else "higher"
        kpis.append(kpi)
    return kpis


# -- Rows --------------------------------------------------------------------------

_Steps = tuple[str | int, ...]


def _put(data: dict[str, Any], steps: Sequence[str], value: object) -> None:
    node = data
    for step in steps[:-1]:
        child = node.get(step)
        if not isinstance(child, dict):
            child = node[step] = {}
        node = child
    node[steps[-1]] = value


def _agreement(data: dict[str, Any], kind: str) -> int:
    """Return the index of the row's agreement of *kind*, adding it if new."""
    agreements: list[dict[str, Any]] = data.setdefault("agreements", [])
    for index, item in enumerate(agreements):
        if item.get("kind") == kind:
            return index
    agreements.append({"kind": kind})
    return len(agreements) - 1


def _merge(defaults: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Merge *item* over *defaults*: mappings recursively, anything else replaced."""
    result = dict(defaults)
    for key, value in item.items():
        default = result.get(key)
        if isinstance(value, dict) and isinstance(default, Mapping):
            result[key] = _merge(default, value)
        else:
            result[key] = value
    return result


@attrs.define
class _Row:
    """One row on its way to an engagement: its data and where each column went."""

    number: int
    line: int | None
    data: dict[str, Any] = attrs.field(factory=dict)
    places: list[tuple[_Steps, str]] = attrs.field(factory=list)
    problems: list[tuple[str, str, object]] = attrs.field(factory=list)


def _fill(row: _Row, targets: Sequence[_Target], cells: Mapping[str, object]) -> None:
    """Put the row's cells where their targets say, noting each column's place."""
    for target in targets:
        value = cells.get(target.column)
        if target.kind == "agreement":
            if _is_blank(value):
                continue
            kind, key, item_kind = target.steps
            index = _agreement(row.data, kind)
            row.data["agreements"][index][key] = _read(item_kind, value)
            row.places.append((("agreements", index, key), target.column))
            continue
        row.places.append((target.steps, target.column))
        if _is_blank(value):
            continue
        if target.kind == "kpis":
            try:
                row.data["kpis"] = _kpis(value)
            except _CellError as error:
                row.problems.append((target.column, str(error), error.value))
            continue
        _put(row.data, target.steps, _read(target.kind, value))


def _column_of(path: str, row: _Row) -> str | None:
    """Return the column whose place holds *path* (the longest such place)."""
    best: tuple[int, str] | None = None
    for steps, column in row.places:
        place = format_path(steps, row.data)
        inside = path == place or path.startswith((f"{place}.", f"{place}["))
        if inside and (best is None or len(place) > best[0]):
            best = (len(place), column)
    return None if best is None else best[1]


def _where(row: _Row, column: str | None) -> str:
    if column is None:
        return f"row {row.number}"
    return f"row {row.number}, column {column}"


class _Reader:
    """Turns rows into engagements, collecting located issues."""

    def __init__(
        self,
        targets: Sequence[_Target],
        source: str | None,
        defaults: Mapping[str, Any] | None,
        *,
        lines: bool,
        kept: list[tuple[int, int, int, str]] | None = None,
    ) -> None:
        self.targets = targets
        #: Where the rows that did not load but have an id, and those that
        #: loaded with an id read before, go, instead of having their ids
        #: judged (see :func:`_read_records`); None: judged.
        self.kept = kept
        self.source = source
        self.defaults = defaults
        self.lines = lines
        self.issues: list[LoadIssue] = []
        self.loaded: list[Engagement] = []
        #: The row (from 1) each engagement of :attr:`loaded` was read from.
        self.rows: list[int] = []
        self.seen: dict[str, int] = {}
        #: The row of each id first read from a row that did not load: the id
        #: is still that row's, as an engagement's that does not load in a file.
        self.unloaded: dict[str, int] = {}
        #: The line of the header row (after blank lines, or Excel's ``sep=``).
        self.header_line = 1
        #: The delimiter the file is read with.
        self.delimiter = ","
        #: Another delimiter a header of one column seems to be separated by.
        self.separated_by: str | None = None
        self.id_column = next((t.column for t in targets if t.steps == ("id",)), None)

    def issue(  # noqa: PLR0913
        self,
        row: _Row,
        column: str | None,
        message: str,
        *,
        expected: str | None = None,
        value: object = None,
        path: str | None = None,
    ) -> None:
        where = _where(row, column)
        if column is None and path:
            where += f", {path}"
        self.issues.append(
            LoadIssue(
                source=self.source,
                line=row.line,
                column=None,
                path=where,
                message=message,
                expected=expected,
                value=value,
            )
        )

    def add(self, row: _Row, cells: Mapping[str, object]) -> None:
        """Read one row; keep its engagement, or record why it does not load."""
        _fill(row, self.targets, cells)
        for column, message, value in row.problems:
            self.issue(row, column, message, expected=_KPI_EXPECTED, value=value)
        if row.problems:
            self._not_loaded(row)
            return
        data = _merge(self.defaults, row.data) if self.defaults else row.data
        try:
            engagement = from_dict(data)
        except LoadError as error:
            for found in error.issues:
                self.issue(
                    row,
                    _column_of(found.path, row),
                    found.message,
                    expected=found.expected,
                    value=found.value,
                    path=found.path,
                )
            self._not_loaded(row)
            return
        first = self.seen.get(engagement.id)
        if first is not None:
            if self.kept is not None:  # judged with the other rows' ids
                self.kept.append(
                    (len(self.loaded), len(self.issues), row.number, engagement.id)
                )
            else:
                self._duplicate(row, engagement.id, first)
            return
        before = self.unloaded.get(engagement.id)
        if before is not None:  # told, yet the first of its id to load: it loads
            self._duplicate(row, engagement.id, before)
        self.seen[engagement.id] = row.number
        if self.source is not None or self.lines:
            # Every path of a row's engagement is on the row's line; a
            # record's row has none, and is never looked for in a file.
            origin = Origin(source=self.source, line=row.line, row=row.number)
            engagement = attrs.evolve(engagement, origin=origin)
        self.loaded.append(engagement)
        self.rows.append(row.number)

    def _not_loaded(self, row: _Row) -> None:
        """Keep the id of *row*, which did not load; a duplicate names its first row."""
        eid = _row_id(row)
        if eid is None:
            return
        if self.kept is not None:
            self.kept.append((len(self.loaded), len(self.issues), row.number, eid))
            return
        rows = [r for r in (self.seen.get(eid), self.unloaded.get(eid)) if r]
        if rows:
            self._duplicate(row, eid, min(rows))
        else:
            self.unloaded[eid] = row.number

    def _duplicate(self, row: _Row, eid: str, first: int) -> None:
        self.issue(
            row,
            self.id_column,
            f"duplicate id `{eid}`: ids must be unique, it is also in row {first}",
            expected="an id no other row has",
            value=eid,
        )

    def header_issue(self, message: str, *, column: str | None = None) -> None:
        """Record a problem with the columns, located at the header row."""
        number = self.header_line
        row = _Row(number=number, line=number if self.lines else None)
        self.issue(row, column, message)

    def finish(self) -> list[Engagement]:
        if self.issues:
            raise LoadError(self.issues, self.loaded)
        return self.loaded


def _row_id(row: _Row) -> str | None:
    """Return the id of *row*'s engagement, None when it has none that reads."""
    value = row.data.get("id")
    if value is None:
        return None
    try:
        return from_dict({"id": value}).id
    except LoadError:  # told with the row's other problems
        return None


def _check_defaults(defaults: object) -> None:
    if defaults is None:
        return
    if not isinstance(defaults, Mapping):
        msg = f"defaults: expected a mapping (a partial engagement), got {defaults!r}"
        raise TypeError(msg)
    if "id" in defaults:
        msg = "defaults: `id` cannot have a default: each row has its own"
        raise ValueError(msg)


def _unknown_issues(reader: _Reader, unknown: Iterable[object]) -> None:
    # A mapping may name columns that are no text: no suggestion, those.
    columns: list[object] = [*DEFAULT_MAPPING, *(t.column for t in reader.targets)]
    known = [name for name in columns if isinstance(name, str)]
    for column in unknown:
        if not isinstance(column, str):
            reader.header_issue(
                f"expected {_COLUMN_NAME}, got {_not_text(column)}: name the "
                f"columns, or map this one with mapping={{{column!r}: 'a.target'}}, "
                "or to None to ignore it",
                column=str(column),
            )
            continue
        if reader.separated_by is not None:
            other = reader.separated_by
            reader.header_issue(
                f"unknown column: {_looks_separated(other, reader.delimiter)}: say "
                f"so with {_sep_line(other)}, or with read_csv(..., "
                f"delimiter={other!r})",
                column=column,
            )
            continue
        hint = did_you_mean(column, known)
        reader.header_issue(
            f"unknown column{hint}: map it with mapping={{{column!r}: 'a.target'}}, "
            f"or to None to ignore it",
            column=column,
        )


def _not_text(name: object) -> str:
    """Show a column name that is no text, as messages show values."""
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        return f"{name!r} (a number)"
    return repr(name)


def _unnamed_cells(reader: _Reader, row: _Row, record: Mapping[Any, object]) -> bool:
    """Record the problem of cells named None, unless empty; return whether any.

    ``csv.DictReader`` names so the cells of a row past the header's columns,
    a list of them.
    """
    cells = record[None]
    several = isinstance(cells, (list, tuple))
    values: Sequence[object] = cells if isinstance(cells, (list, tuple)) else (cells,)
    if all(_is_blank(c) for c in values):
        return False
    if several:
        named = len(record) - 1
        reader.issue(
            row,
            None,
            f"the row has {named + len(values)} cells but the header names "
            f"{named} columns: expected {_COLUMN_NAME} for every cell",
            expected=f"at most {named} cells",
            value=named + len(values),
        )
    else:
        reader.issue(
            row,
            None,
            f"a cell has no column name: expected {_COLUMN_NAME} for every cell, "
            "got None",
            expected=_COLUMN_NAME,
            value=None,
        )
    return True


def _id_missing(reader: _Reader) -> bool:
    if reader.id_column is None and reader.separated_by is not None:
        return True  # the header is one column: said with the unknown column
    if reader.id_column is None:
        reader.header_issue(
            "no column gives the engagement's id: expected an `id` column, or a "
            "mapping such as {'Engagement ID': 'id'}"
        )
        return True
    return False


def from_records(
    rows: Iterable[Mapping[str, object]],
    mapping: Mapping[str, str | None] | None = None,
    *,
    source: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> list[Engagement]:
    """Build engagements from records, one engagement per record.

    *rows* are mappings from column name to cell, such as
    ``csv.DictReader`` rows or ``DataFrame.to_dict("records")``. *mapping*
    (column -> target, see the module's documentation) is laid over
    :data:`DEFAULT_MAPPING`; None as a target ignores a column. *defaults* is a
    partial engagement merged under every row, as a portfolio's ``defaults:``.
    *source* names where the rows came from in errors and findings. Rows are
    numbered from 1 in the order given.

    Column names are text. The cells ``csv.DictReader`` puts under None, past
    the header's columns, are an error of their row (unless empty), which does
    not load; a column named otherwise, such as the numbers pandas gives the
    columns of a sheet read without its header, is an error of the columns
    unless *mapping* names it, and the rows load without it.

    Raises:
        outsourcekit.LoadError: a column or row did not load; each issue names
            the row and the column, and ``loaded`` holds the rows that did load.
        ValueError: *mapping* has a target that names no place in an engagement,
            or *defaults* has an ``id``.

    """
    return _read_records(rows, mapping, source=source, defaults=defaults).finish()


def _read_records(
    rows: Iterable[Mapping[str, object]],
    mapping: Mapping[str, str | None] | None = None,
    *,
    source: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    unloaded: list[tuple[int, int, int, str]] | None = None,
) -> _Reader:
    """Read records as :func:`from_records` does; return what was read.

    The reader's ``loaded`` are the engagements, its ``rows`` the row of each,
    and its ``issues`` the load errors, which :func:`from_records` raises.
    With an *unloaded* list, no id is judged (an id two rows have is no
    duplicate here): each row that does not load but has an id that reads,
    and each row that loads with an id a row before it loaded with (that row
    alone loads), goes to the list instead, as the number of engagements
    loaded before it, the number of load errors before it (its own
    included), its row number and its id, for whoever reads other rows too
    to judge.
    """
    _check_defaults(defaults)
    # Column names are text by type, yet not always: csv.DictReader names the
    # cells past the header None, pandas numbers the columns of a headless sheet.
    records: list[dict[Any, object]] = [dict(r) for r in rows]
    if not records:
        return _Reader([], source, defaults, lines=False, kept=unloaded)
    columns: dict[object, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    targets, unknown = _plan(list(columns), mapping)
    reader = _Reader(targets, source, defaults, lines=False, kept=unloaded)
    _unknown_issues(reader, unknown)
    if _id_missing(reader):
        return reader
    for number, record in enumerate(records, start=1):
        row = _Row(number=number, line=None)
        if None in record and _unnamed_cells(reader, row, record):
            continue
        reader.add(row, record)
    return reader


#: The encoding CSV files are read in unless another is given: UTF-8, a
#: byte-order mark (as spreadsheets write) ignored.
_UTF8: Final = "utf-8-sig"
#: The byte-order mark spreadsheets write at the start of a UTF-8 file.
_BOM: Final = b"\xef\xbb\xbf"
#: The byte-order marks of UTF-32 and UTF-16, and the encoding each says the
#: file is in (UTF-32's first: UTF-16's little-endian mark starts it).
_WIDE_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
#: How a zip archive starts, as an Excel workbook (``.xlsx``) does.
_ZIP: Final = b"PK\x03\x04"
#: Save the file as what the importer reads.
_SAVE_AS_CSV: Final = "save it as CSV UTF-8"
#: A character of two to four bytes in UTF-8: bytes that only UTF-8 text holds.
_UTF8_SEQUENCE: Final = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
#: Excel's first line naming the delimiter, ``sep=;``; it is no record.
_SEP_LINE: Final = re.compile(
    r"(?P<line>sep=(?P<sep>[^\r\n]*))(?:\r\n|\n|\r|\Z)", re.IGNORECASE
)
#: How a tab may be written, where a literal one is hard to type.
_TAB_WORDS: Final = frozenset({"\\t", "tab"})
#: Characters that cannot separate cells: they quote cells or end rows.
_NO_DELIMITERS: Final = frozenset({'"', "\r", "\n"})
#: The delimiters a header of one column is looked at for.
_DELIMITERS: Final = (";", "\t", ",")
#: What a delimiter is.
_DELIMITER_EXPECTED: Final = (
    "one character other than a quote or a line break, such as ; or a tab "
    "(written \\t or tab)"
)
#: The message of a file without a header.
_EMPTY: Final = "the file is empty: expected a header row naming the columns"
#: The message of a record whose quoted cell the file never closes.
_UNCLOSED: Final = (
    'a quoted cell of this row is never closed (a " is missing): the rest of '
    "the file cannot be read"
)


class _NotText(Exception):  # noqa: N818 - a problem of the file, reported as one
    """A line of a CSV file that is not text in its encoding, or a bad ``sep=``."""

    def __init__(self, line: int, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def _csv_text(raw: bytes, encoding: str) -> str:
    """Return the text of a CSV file's bytes, read in *encoding*.

    UTF-8, the default, falls back to Windows-1252, in which Excel on Windows
    saves CSV, but only for a file that shows no sign of UTF-8: one that starts
    with a UTF-8 byte-order mark, or holds UTF-8 sequences of several bytes, is
    UTF-8, and a byte that is not raises :class:`_NotText` at its line and
    column rather than turning the rest of the text into Windows-1252's
    letters. A file that starts with the byte-order mark of UTF-16 or UTF-32
    is in that encoding. A zip archive (an Excel workbook) or a file holding a
    NUL byte is no text, and raises :class:`_NotText` saying so. Another
    encoding that does not read raises :class:`_NotText` naming the first line
    that is not.
    """
    if encoding != _UTF8:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            message = (
                f"line {line} is not {encoding} text (byte "
                f"0x{raw[error.start]:02x}): give the file's encoding"
            )
            raise _NotText(line, message) from None
    for bom, wide in _WIDE_BOMS:
        if raw.startswith(bom):
            return _wide_text(raw, wide)
    if raw.startswith(_ZIP):
        message = (
            "the file is a zip archive, such as an Excel workbook, not CSV text: "
            + _SAVE_AS_CSV
        )
        raise _NotText(1, message)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _position(raw, nul, "utf-8")
        message = (
            "byte 0x00 is no character of text: expected CSV text, not the bytes "
            f"of another kind of file: {_SAVE_AS_CSV}"
        )
        raise _NotText(line, message, column)
    skip = len(_BOM) if raw.startswith(_BOM) else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        bad = skip + error.start
    if skip:
        sign = "as its byte-order mark says"
    else:
        sequence = _UTF8_SEQUENCE.search(raw)
        if sequence is None:
            return _windows_1252(raw)
        line, _ = _position(raw, sequence.start(), "utf-8")
        shown = sequence.group().decode("utf-8")
        sign = f"as its {shown!r} on line {line} is"
    line, column = _position(raw, bad, "utf-8")
    message = (
        f"byte 0x{raw[bad]:02x} is not UTF-8, and the file is UTF-8 ({sign}): "
        "expected UTF-8 text: correct the character, or save the file as UTF-8 again"
    )
    raise _NotText(line, message, column)


def _wide_text(raw: bytes, encoding: str) -> str:
    """Return the text of a file in UTF-16 or UTF-32; raise :class:`_NotText` if not."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode(encoding)
        line = before.count("\n") + 1
        column = len(before) - before.rfind("\n")
        reason = (
            "it ends inside a character"
            if error.end >= len(raw)
            else "it holds bytes that are no character"
        )
        message = (
            f"line {line} is not {encoding} text, as its byte-order mark says "
            f"({reason}): save the file as UTF-8 again"
        )
        raise _NotText(line, message, column) from None


def _windows_1252(raw: bytes) -> str:
    """Return the text of a file in Windows-1252; raise :class:`_NotText` if not."""
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start, "cp1252")
        message = (
            f"byte 0x{raw[error.start]:02x} is neither UTF-8 nor Windows-1252 "
            "text: expected text; save the file as UTF-8"
        )
        raise _NotText(line, message, column) from None


def _position(raw: bytes, at: int, encoding: str) -> tuple[int, int]:
    """Return the line and column of byte *at*, reading the line in *encoding*."""
    line = raw.count(b"\n", 0, at) + 1
    start = raw.rfind(b"\n", 0, at) + 1
    before = raw[start:at]
    if start == 0 and before.startswith(_BOM):
        before = before[len(_BOM) :]
    return line, len(before.decode(encoding, errors="replace")) + 1


def _delimiter(text: str) -> str | None:
    r"""Return the delimiter *text* names (``\t`` or ``tab`` a tab), or None."""
    if text.casefold() in _TAB_WORDS:
        return "\t"
    if len(text) != 1 or text in _NO_DELIMITERS:
        return None
    return text


@attrs.frozen(kw_only=True)
class _DelimiterOption(Option):
    r"""The ``delimiter`` option: one character, ``\t`` or ``tab`` for a tab."""

    def validate(self, name: str, value: object) -> object:
        """Return the delimiter *value* names; raise ValueError naming *name*."""
        text = super().validate(name, value)
        named = _delimiter(text) if isinstance(text, str) else None
        if named is None:
            msg = f"option {name!r} must be {_DELIMITER_EXPECTED} (got {value!r})"
            raise ValueError(msg)
        return named


def _csv_records(
    text: str, delimiter: str
) -> tuple[list[tuple[int, list[str]]], int | None, str]:
    """Return the records of CSV *text*, each with the line it starts on.

    And the line of the record whose quoted cell is never closed, if one is:
    the records before it are returned, none after (they are inside its cell);
    and the delimiter read with: *delimiter*, unless a first line ``sep=X``, as
    Excel reads and writes, names another (that line is no record). Raise
    :class:`_NotText` for a first line ``sep=`` that names no delimiter.
    """
    first = 1
    sep = _SEP_LINE.match(text)
    if sep is not None:
        named = _delimiter(sep["sep"])
        if named is None:
            message = (
                "the first line names no delimiter: expected `sep=` and one "
                f"character, such as sep=; (got {sep['line']!r})"
            )
            raise _NotText(1, message)
        delimiter, text, first = named, text[sep.end() :], 2
    records = []
    with _LONG_CELLS:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, strict=True
        )
        start = first
        try:
            for record in reader:
                records.append((start, record))
                start = reader.line_num + first
        except csv.Error as error:
            if str(error) == "unexpected end of data":
                return records, start, delimiter
            # Strict about nothing else: a stray quote within a cell is text.
            lenient = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            records, start = [], first
            for record in lenient:
                records.append((start, record))
                start = lenient.line_num + first
    return records, None, delimiter


class _CellLimit:
    """Lets the csv module read cells of any length, while CSV text is read.

    Its limit (131,072 characters by default) is the whole process's: it is
    raised while any read is under way, in any thread, and put back as it was
    when the last one ends. The limit raised to is the largest every platform
    takes, more characters than a file of :data:`~outsourcekit.io.MAX_FILE_BYTES`
    holds.
    """

    #: The largest limit the csv module takes everywhere (a C ``long`` of 32 bits).
    LIMIT: Final = 2**31 - 1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reads = 0
        self._before = 0

    def __enter__(self) -> None:
        with self._lock:
            if not self._reads:
                self._before = csv.field_size_limit(self.LIMIT)
            self._reads += 1

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self._reads -= 1
            if not self._reads:
                csv.field_size_limit(self._before)


_LONG_CELLS: Final = _CellLimit()


def _separated_by(names: Sequence[str], delimiter: str) -> str | None:
    """Return the delimiter a header of one column seems separated by, if any."""
    if len(names) != 1:
        return None
    counts = {c: names[0].count(c) for c in _DELIMITERS if c != delimiter}
    most = max(counts, key=counts.__getitem__)
    return most if counts[most] else None


def _looks_separated(other: str, delimiter: str) -> str:
    def said(d: str) -> str:
        return "tabs" if d == "\t" else f"`{d}`"

    return f"the header looks separated by {said(other)}, not {said(delimiter)}"


def _sep_line(delimiter: str) -> str:
    if delimiter == "\t":
        return "a first line `sep=` and a tab"
    return f"a first line `sep={delimiter}`"


def _header_names(header: Sequence[str]) -> list[str]:
    """Return the column names of a header row, without trailing unnamed ones.

    Spreadsheets often save empty columns after the last one with a name.
    """
    names = [c.strip() for c in header]
    while names and not names[-1]:
        names.pop()
    return names


def _file_issue(source: str, message: str) -> LoadError:
    return LoadError(
        [LoadIssue(source=source, line=None, column=None, path="", message=message)]
    )


def read_csv(
    path: str | os.PathLike[str],
    mapping: Mapping[str, str | None] | None = None,
    *,
    defaults: Mapping[str, Any] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> list[Engagement]:
    r"""Read a CSV file of engagements: a header row, then one engagement per row.

    Columns are mapped as by :func:`from_records`. Rows are numbered by the line
    they start on (the header is row 1, or 2 after a ``sep=`` line); blank
    rows are skipped. Engagements remember the file and their row, so findings
    point at the row. A UTF-8 byte-order mark, as spreadsheets write, is
    ignored; a file that shows no sign of UTF-8 (no byte-order mark, no UTF-8
    character of several bytes) and is not UTF-8 is read as Windows-1252, in
    which Excel on Windows saves CSV, unless *encoding* names another, while a
    byte that is not UTF-8 in a UTF-8 file is an error at its line and column.
    *delimiter* is one character (a tab is ``"\t"`` or ``"tab"``); a first
    line ``sep=X``, as Excel writes, names another and is no row. Columns
    without a name after the last named one, which spreadsheets often save,
    are no columns. A quoted cell that the file never closes is an error at its
    row; the rows before it load. Cells may be of any length.

    Raises:
        outsourcekit.LoadError: the file or some rows did not load; each issue
            names the file, the row (``line``) and the column (``path`` reads
            ``row 7, column nda_signed_on``), and ``loaded`` holds the rows that
            did load.
        ValueError: *mapping* has a target that names no place in an engagement,
            or *delimiter* is not one character.

    """
    _check_defaults(defaults)
    given: object = delimiter  # typed str, but called from untyped code too
    named = _delimiter(given) if isinstance(given, str) else None
    if named is None:
        msg = f"delimiter: expected {_DELIMITER_EXPECTED}, got {delimiter!r}"
        raise ValueError(msg)
    source = os.fspath(path)
    records, unclosed, delimiter = _read_file(Path(path), source, encoding, named)
    reader = _Reader([], source, defaults, lines=True)
    reader.delimiter = delimiter
    if unclosed is not None:
        row = _Row(number=unclosed, line=unclosed)
        reader.issue(row, None, _UNCLOSED, expected='a closing "', value=None)
    if not records:
        if unclosed is not None:
            return reader.finish()
        raise _file_issue(source, _EMPTY)
    (reader.header_line, header), body = records[0], records[1:]
    names = _header_names(header)
    if _header_problems(reader, names):
        return reader.finish()
    targets, unknown = _plan(names, mapping)
    if unknown:
        reader.separated_by = _separated_by(names, delimiter)
    reader.targets = targets
    reader.id_column = next((t.column for t in targets if t.steps == ("id",)), None)
    _unknown_issues(reader, unknown)
    if _id_missing(reader):
        return reader.finish()
    for line, cells in body:
        _read_record(reader, names, line, cells)
    return reader.finish()


def _read_file(
    path: Path, source: str, encoding: str, delimiter: str
) -> tuple[list[tuple[int, list[str]]], int | None, str]:
    """Return the records of the CSV file at *path* that hold a cell, and more.

    As :func:`_csv_records`: the line of a quoted cell never closed, if any,
    and the delimiter read with. Raise :class:`LoadError` when the file cannot
    be read.
    """
    try:
        text = _csv_text(path.read_bytes(), encoding)
        records, unclosed, delimiter = _csv_records(text, delimiter)
    except FileNotFoundError:
        raise _file_issue(source, "no such file or directory") from None
    except (OSError, LookupError) as error:
        raise _file_issue(source, f"cannot read the file: {error}") from None
    except _NotText as error:
        issue = LoadIssue(
            source=source,
            line=error.line,
            column=error.column,
            path="",
            message=error.message,
        )
        raise LoadError([issue]) from None
    except csv.Error as error:
        raise _file_issue(source, f"not a valid CSV file: {error}") from None
    kept = [(n, r) for n, r in records if any(c.strip() for c in r)]
    return kept, unclosed, delimiter


def _named_twice(names: Sequence[str]) -> list[str]:
    """Return the column names a header row holds more than once, sorted."""
    counts = collections.Counter(names)
    return sorted(c for c, n in counts.items() if n > 1 and c)


def _header_problems(reader: _Reader, names: Sequence[str]) -> bool:
    """Record columns named twice or not at all; return whether there are any."""
    before = len(reader.issues)
    twice = _named_twice(names)
    for column in twice:
        reader.header_issue("the column appears more than once", column=column)
    if "" in names:
        reader.header_issue(
            f"column {names.index('') + 1} has no name in the header row"
        )
    return len(reader.issues) > before


def _read_record(
    reader: _Reader, names: Sequence[str], line: int, cells: Sequence[str]
) -> None:
    """Read one CSV record, unless it has more cells than the header names."""
    row = _Row(number=line, line=line)
    if any(c.strip() for c in cells[len(names) :]):
        reader.issue(
            row,
            None,
            f"the row has {len(cells)} cells but the header names {len(names)} columns",
            expected=f"at most {len(names)} cells",
            value=len(cells),
        )
        return
    reader.add(row, dict(zip(names, cells, strict=False)))


def _import_csv(path: Path, options: Mapping[str, Any]) -> Imported:
    """Read a CSV file as the ``csv`` importer: a portfolio, one engagement a row.

    Columns are mapped by :data:`DEFAULT_MAPPING` (and ``x-`` columns kept);
    the loader validates the rows, each located at its line and named
    ``row N, column C``.
    """
    problems: list[ImportProblem] = []
    read = _import_records(path, options["delimiter"])
    if isinstance(read, Imported):
        return read
    records, unclosed, delimiter = read
    if unclosed is not None:
        problems.append(
            ImportProblem(message=_UNCLOSED, line=unclosed, where=f"row {unclosed}")
        )
    records = [(n, r) for n, r in records if any(c.strip() for c in r)]
    if not records:
        return Imported(problems=problems) if problems else _unreadable(_EMPTY)
    line, header_row = records[0]
    names = _header_names(header_row)
    body = records[1:]
    header = _header_import_problems(names, line)
    if header:
        return Imported(problems=[*header, *problems])
    targets, unknown = _plan(names, None)
    other = _separated_by(names, delimiter) if unknown else None
    problems.extend(
        ImportProblem(
            message=_unknown_import_column(column, delimiter, other),
            line=line,
            where=f"column {column}",
        )
        for column in unknown
    )
    if not any(t.steps == ("id",) for t in targets):
        if other is None:
            message = "no column gives the engagement's id: expected an `id` column"
            problems.append(
                ImportProblem(message=message, line=line, where=f"row {line}")
            )
        return Imported(problems=problems)
    return _rows_data(targets, names, body, problems)


def _import_records(
    path: Path, delimiter: str
) -> tuple[list[tuple[int, list[str]]], int | None, str] | Imported:
    """Return what :func:`_csv_records` returns, or the file's problem."""
    try:
        return _csv_records(_csv_text(path.read_bytes(), _UTF8), delimiter)
    except OSError as error:
        return _unreadable(f"cannot read the file: {error}")
    except _NotText as error:
        problem = ImportProblem(
            message=error.message, line=error.line, column=error.column
        )
        return Imported(problems=[problem])
    except csv.Error as error:
        return _unreadable(f"not a valid CSV file: {error}")


def _unknown_import_column(column: str, delimiter: str, other: str | None) -> str:
    """Return the message of an unknown column; *other*, a delimiter it seems cut by."""
    if other is None:
        hint = did_you_mean(column, list(DEFAULT_MAPPING))
        return (
            f"unknown column{hint}: the columns are those of the default mapping, "
            "and `x-` columns are kept as they are"
        )
    if other == "\t":
        value, option = "tab", "--option delimiter=tab"
    else:
        value, option = f'"{other}"', f'--option "delimiter={other}"'
    return (
        f"unknown column: {_looks_separated(other, delimiter)}: say so with "
        f"{_sep_line(other)}, with `options: {{delimiter: {value}}}` under "
        f"`imports:`, or with `outsourcekit import {option}`"
    )


def _header_import_problems(names: Sequence[str], line: int) -> list[ImportProblem]:
    """Return the problems of columns named twice or not at all (header at *line*)."""
    twice = _named_twice(names)
    problems = [
        ImportProblem(
            message="the column appears more than once", line=line, where=f"column {c}"
        )
        for c in twice
    ]
    if "" in names:
        message = f"column {names.index('') + 1} has no name in the header row"
        problems.append(ImportProblem(message=message, line=line, where=f"row {line}"))
    return problems


def _rows_data(
    targets: Sequence[_Target],
    names: Sequence[str],
    body: Sequence[tuple[int, list[str]]],
    problems: list[ImportProblem],
) -> Imported:
    """Return the rows of a CSV file as a portfolio, located by row and column."""
    rows: list[dict[str, Any]] = []
    lines: dict[tuple[str | int, ...], int] = {}
    where: dict[tuple[str | int, ...], str] = {}
    for line, cells in body:
        if any(c.strip() for c in cells[len(names) :]):
            problems.append(
                ImportProblem(
                    message=f"the row has {len(cells)} cells but the header names "
                    f"{len(names)} columns",
                    line=line,
                    where=f"row {line}",
                )
            )
            continue
        row = _Row(number=line, line=line)
        _fill(row, targets, dict(zip(names, cells, strict=False)))
        problems.extend(
            ImportProblem(message=message, line=line, where=f"row {line}, column {c}")
            for c, message, _ in row.problems
        )
        if row.problems:
            continue
        at = ("engagements", len(rows))
        rows.append(row.data)
        lines[at] = line
        where[at] = f"row {line}"
        for steps, column in row.places:
            where[(*at, *steps)] = f"row {line}, column {column}"
    return Imported(
        data={"engagements": rows}, lines=lines, where=where, problems=problems
    )


def _unreadable(message: str) -> Imported:
    return Imported(problems=[ImportProblem(message=message)])


#: The built-in importer of CSV files with the default column mapping.
CSV_IMPORTER: Final = Importer(
    name="csv",
    suffixes=(".csv",),
    func=_import_csv,
    options={
        "delimiter": _DelimiterOption(
            default=",",
            help="The character between cells, such as ; or a tab (written \\t or "
            "tab); a first line sep=X in the file names it too.",
        )
    },
    description="Spreadsheet rows as engagements, one a row, by the default columns",
)
