"""Mutated files of other systems: each built-in importer answers with problems.

Each example mutates a real file an importer reads (calendars of Google and
Outlook, a Trello board, OCDS releases, a CSV sheet) at random, as
``test_fuzz`` mutates engagement files: characters replaced, inserted or
deleted, lines doubled or dropped, numbers made huge, dates (ISO ones, and the
compact ones of calendars) moved to the ends of the range of dates and beyond.
Whatever the text, the importer returns what it read with its problems, and
the loader turns that into engagements or load errors: neither raises.

The JSON files (a Trello board, OCDS releases and records) are also mutated as
data: values anywhere in them replaced by values of any kind, numbers too
large for a float, dates at and past the ends of the range among them.

Bounded to run in seconds; ``OUTSOURCEKIT_FUZZ_EXAMPLES`` sets the examples per
file (12 by default), as for ``test_fuzz``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcekit.builtin.importers.ics import ICS_IMPORTER
from outsourcekit.builtin.importers.ocds import OCDS_IMPORTER
from outsourcekit.builtin.importers.tabular import CSV_IMPORTER
from outsourcekit.builtin.importers.trello import TRELLO_IMPORTER
from outsourcekit.io import check_imported
from outsourcekit.plugins import Imported
from test_fuzz import mutants

DATA = Path(__file__).parents[1] / "data"
RUNS = int(os.environ.get("OUTSOURCEKIT_FUZZ_EXAMPLES", "12"))
SETTINGS = settings(
    max_examples=RUNS,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

SHEET = (
    "id,title,status,start,client,client_timezone,vendor,vendor_timezone,"
    "nda_signed_on,check_ins,kpis\n"
    'acme-books,"Bookkeeping, monthly",active,2026-01-05,Acme Ltd,Europe/London,'
    "Ledger Pros,Asia/Manila,2025-12-01,weekly,close-time\n"
    "acme-it,IT support,trial,2026-03-02,Acme Ltd,Europe/London,"
    'Kookaburra,Australia/Sydney,,"FREQ=WEEKLY;BYDAY=MO,TH",\n'
)

#: (importer, file, its text, options): a file of each system as it is exported.
CASES = [
    (
        ICS_IMPORTER,
        "google.ics",
        (DATA / "ics" / "acme-ledgerpros-google.ics").read_text("utf-8"),
        {"client": ("@acme.co.uk",), "vendor": ("@ledgerpros.ph",)},
    ),
    (
        ICS_IMPORTER,
        "outlook.ics",
        (DATA / "ics" / "acme-kookaburra-outlook.ics").read_text("utf-8"),
        {"client": ("@acme.co.uk",), "vendor": ("@kookaburra.com.au",)},
    ),
    (
        TRELLO_IMPORTER,
        "board.json",
        (DATA / "trello" / "board.json").read_text("utf-8"),
        {"timezone": "Asia/Tokyo"},
    ),
    (
        OCDS_IMPORTER,
        "releases.json",
        (DATA / "ocds" / "fictional-1.1-releases.json").read_text("utf-8"),
        {},
    ),
    (CSV_IMPORTER, "sheet.csv", SHEET, {}),
]

#: A calendar's compact date-times and dates, and what they become.
_COMPACT = re.compile(r"\b[0-9]{8}(?:T[0-9]{6}Z?)?\b")
_COMPACT_EDGES = st.sampled_from(
    [
        "00010101T000000Z",
        "18991231",
        "19000101T000000",
        "29991231T230000Z",
        "30000101",
        "99991231T235959Z",
        "20260229T100000",
    ]
)


@st.composite
def calendar_mutants(draw: st.DrawFn, text: str) -> str:
    """Return *text* mutated, and maybe one compact date moved to an edge."""
    text = draw(mutants(text))
    found = list(_COMPACT.finditer(text))
    if found and draw(st.booleans()):
        match = found[draw(st.integers(0, len(found) - 1))]
        text = text[: match.start()] + draw(_COMPACT_EDGES) + text[match.end() :]
    return text


@pytest.mark.parametrize("case", CASES, ids=[case[1] for case in CASES])
@SETTINGS
@given(data=st.data())
def test_mutants_are_read_or_refused(case, data, tmp_path):
    """A mutated file gives what the importer read and problems; nothing raises."""
    importer, name, text, options = case
    strategy = calendar_mutants(text) if name.endswith(".ics") else mutants(text)
    path = tmp_path / name
    path.write_bytes(data.draw(strategy, label="text").encode("utf-8", "replace"))

    imported = importer.read(path, options)
    issues = check_imported(imported, path, importer=importer.name)

    assert isinstance(imported, Imported)
    assert all(issue.message for issue in issues)


#: (importer, file, options): JSON files of each system whose values are mutated.
JSON_CASES = [
    (TRELLO_IMPORTER, DATA / "trello" / "board.json", {"timezone": "Asia/Tokyo"}),
    (TRELLO_IMPORTER, DATA / "trello" / "rest-board.json", {}),
    (OCDS_IMPORTER, DATA / "ocds" / "fictional-1.1-releases.json", {}),
    (OCDS_IMPORTER, DATA / "ocds" / "fictional-1.0-record.json", {}),
]

_EDGE_TEXTS = st.sampled_from(
    [
        "",
        " ",
        "0001-01-01",
        "1899-12-31T23:59:59Z",
        "2026-01-31T17:00:00.000Z",
        "2026-02-30",
        "2026-01-31T17:00:00+14:00",
        "2999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59.999Z",
        "Done",
        "active",
        "\x00",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    _EDGE_TEXTS,
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=8), inner, max_size=3),
    ),
    max_leaves=6,
)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Return the path of every value in JSON data, *value*'s own first."""
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


@st.composite
def data_mutants(draw: st.DrawFn, data: Any) -> Any:
    """Return a copy of *data* with one to three of its values replaced."""
    data = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        new = draw(_VALUES)
        if not path:
            data = new
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = new
    return data


@pytest.mark.parametrize("case", JSON_CASES, ids=[case[1].name for case in JSON_CASES])
@SETTINGS
@given(data=st.data())
def test_values_of_any_kind_are_read_or_refused(case, data, tmp_path):
    """Values of any kind anywhere in a JSON file give problems; nothing raises."""
    importer, source, options = case
    mutant = data.draw(data_mutants(json.loads(source.read_text("utf-8"))))
    path = tmp_path / source.name
    path.write_text(json.dumps(mutant, indent=1), encoding="utf-8")

    imported = importer.read(path, options)
    issues = check_imported(imported, path, importer=importer.name)

    assert isinstance(imported, Imported)
    assert all(issue.message for issue in issues)
