"""Tests of the tabular importer: CSV files and records into engagements."""

from __future__ import annotations

import concurrent.futures
import csv
import datetime as dt
import inspect
import io
import math
import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import outsourcekit
from outsourcekit import plugins
from outsourcekit.builtin import importers as builtin_importers
from outsourcekit.builtin.importers.tabular import (
    CSV_IMPORTER,
    DEFAULT_MAPPING,
    from_records,
    read_csv,
)
from outsourcekit.io import LoadError
from outsourcekit.model import (
    AgreementKind,
    Cadence,
    Direction,
    Engagement,
    SecurityReview,
    Status,
    TimeZone,
    VendorKind,
)
from outsourcekit.plugins import importer_for

DOCS = Path(__file__).parents[1] / "docs" / "importing.md"

HEADER = (
    "id,title,status,start,owner,client,client_timezone,vendor,vendor_kind,"
    "vendor_timezone,nda_signed_on,msa_signed_on,check_ins,kpis,confidential"
)


def write(tmp_path, text, name="portfolio.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def portfolio(rows):
    """A CSV text with the default header and one line per row of cells."""
    return "\n".join([HEADER, *(",".join(r) for r in rows)]) + "\n"


def row(id_, **cells):
    values = dict.fromkeys(HEADER.split(","), "")
    values.update(id=id_, title=f"Work {id_}", status="active", start="2026-01-05")
    values.update(cells)
    return [values[c] for c in HEADER.split(",")]


def load_error(call, *args, **kwargs):
    with pytest.raises(LoadError) as info:
        call(*args, **kwargs)
    return info.value


class TestAcceptance:
    def test_bad_date_in_row_7(self, tmp_path):
        """A bad date in row 7 names the file, row 7 and the column; the rest load."""
        rows = [row(f"e{n}", nda_signed_on="2025-12-01") for n in range(2, 9)]
        rows[5] = row("e7", nda_signed_on="2026-31-04")
        path = write(tmp_path, portfolio(rows))

        error = load_error(read_csv, path)

        (issue,) = error.issues
        assert (str(path), 7, "row 7, column nda_signed_on") == (
            issue.source,
            issue.line,
            issue.path,
        )
        assert (
            f"{path}:7: row 7, column nda_signed_on: expected a date in ISO 8601 "
            "form, like 2026-03-01, got '2026-31-04' (month must be in 1..12)"
        ) == str(issue)
        assert ("a date in ISO 8601 form, like 2026-03-01", "2026-31-04") == (
            issue.expected,
            issue.value,
        )
        assert ["e2", "e3", "e4", "e5", "e6", "e8"] == [e.id for e in error.loaded]

    def test_documented_sample(self, tmp_path, monkeypatch):
        """The sample of docs/importing.md loads; broken in row 7, the page's error."""
        text = DOCS.read_text(encoding="utf-8")
        blocks = re.findall(r"```text\n(.*?)```", text, flags=re.DOTALL)
        (sample,) = re.findall(
            r"<!-- file: portfolio.csv -->\n```text\n(.*?)```", text, flags=re.DOTALL
        )
        expected = next(b for b in blocks if b.startswith("portfolio.csv:7:"))
        monkeypatch.chdir(tmp_path)
        write(tmp_path, sample)

        assert 7 == len(read_csv("portfolio.csv"))

        write(
            tmp_path, sample.replace("2026-04-28,2026-04-28", "2026-31-04,2026-04-28")
        )
        error = load_error(read_csv, "portfolio.csv")

        assert expected.strip() == str(error)
        assert 6 == len(error.loaded)


class TestValues:
    @pytest.fixture
    def engagement(self, tmp_path):
        """One row with every default column that takes text filled in."""
        cells = row(
            "acme-books",
            owner="Dana Reyes",
            client="Acme Ltd",
            client_timezone="Europe/London",
            vendor="LedgerPros",
            vendor_kind="agency",
            vendor_timezone="Asia/Manila",
            nda_signed_on="2025-12-01",
            msa_signed_on="2025-12-15",
            check_ins="twice a week",
            kpis="close-time<=5; csat >= 4.5 ;;first-contact",
            confidential="TRUE",
        )
        (engagement,) = read_csv(write(tmp_path, portfolio([cells])))
        return engagement

    def test_fields(self, engagement):
        """Cells land where the default mapping says, read as a file reads them."""
        assert ("acme-books", "Work acme-books", Status.ACTIVE) == (
            engagement.id,
            engagement.title,
            engagement.status,
        )
        assert dt.date(2026, 1, 5) == engagement.start
        assert ("Acme Ltd", TimeZone.parse("Europe/London")) == (
            engagement.client.name,
            engagement.client.timezone,
        )
        assert ("LedgerPros", VendorKind.AGENCY) == (
            engagement.vendor.name,
            engagement.vendor.kind,
        )
        assert Cadence.parse("twice a week") == engagement.communication.check_ins
        assert engagement.data.confidential is True

    def test_agreements(self, engagement):
        """Each agreement column fills the agreement of its kind."""
        assert [
            (AgreementKind.NDA, dt.date(2025, 12, 1)),
            (AgreementKind.MSA, dt.date(2025, 12, 15)),
        ] == [(a.kind, a.signed_on) for a in engagement.agreements]

    def test_kpis(self, engagement):
        """KPIs read `name<=target` as lower-is-better and `name>=target` as higher."""
        assert [
            ("close-time", 5, Direction.LOWER),
            ("csat", 4.5, Direction.HIGHER),
            ("first-contact", None, None),
        ] == [(k.name, k.target, k.direction) for k in engagement.kpis]

    def test_empty_cells(self, tmp_path):
        """Empty cells say nothing: no agreement, no data, no client."""
        (engagement,) = read_csv(write(tmp_path, portfolio([row("a")])))

        assert ((), None, None, None) == (
            engagement.agreements,
            engagement.data,
            engagement.client,
            engagement.communication,
        )

    def test_origin(self, tmp_path):
        """Engagements remember the file, and every path is on the row's line."""
        path = write(tmp_path, portfolio([row("a"), row("b")]))

        engagements = read_csv(path)

        assert [str(path)] * 2 == [e.source for e in engagements]
        assert [2, 3] == [e.origin.line for e in engagements]

    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("true", True),
            ("Yes", True),
            ("1", True),
            ("FALSE", False),
            ("no", False),
            ("0", False),
        ],
    )
    def test_booleans(self, tmp_path, cell, expected):
        """Yes-or-no cells take true/false, yes/no and 1/0 in any case."""
        (engagement,) = read_csv(
            write(tmp_path, portfolio([row("a", confidential=cell)]))
        )

        assert expected is engagement.data.confidential

    def test_numbers(self, tmp_path):
        """Numeric keys read whole and decimal numbers."""
        path = write(tmp_path, "id,hours_per_week\na,20\nb, 12.5 \n")

        assert [20, 12.5] == [e.hours_per_week for e in read_csv(path)]

    def test_lists_and_names(self, tmp_path):
        """Lists are split on `;`; lists of named items become items by name."""
        path = write(tmp_path, "id,Regions,Tasks\na,GB; US,Payroll;Recruiting\n")

        (engagement,) = read_csv(
            path, mapping={"Regions": "vendor.regions_served", "Tasks": "tasks"}
        )

        assert ("GB", "US") == engagement.vendor.regions_served
        assert ["Payroll", "Recruiting"] == [t.name for t in engagement.tasks]

    def test_extensions(self, tmp_path):
        """`x-` columns are kept under their key, at the top or where mapped."""
        path = write(tmp_path, "id,x-crm-id,Tier\na,48213,gold\n")

        (engagement,) = read_csv(path, mapping={"Tier": "vendor.x-tier"})

        assert {"x-crm-id": "48213"} == dict(engagement.extensions)
        assert {"x-tier": "gold"} == dict(engagement.vendor.extensions)

    def test_nested(self, tmp_path):
        """Dotted targets reach nested keys."""
        path = write(tmp_path, "id,security_review,trial\na,passed,completed\n")

        (engagement,) = read_csv(path)

        assert SecurityReview.PASSED == engagement.vendor.vetting.security_review
        assert "completed" == str(engagement.vendor.trial.status)

    def test_agreement_keys(self, tmp_path):
        """Columns of one agreement kind fill one agreement, any of its keys."""
        path = write(
            tmp_path, "id,SOW,Terms,Parties\na,2026-01-02,Net 15,Acme; Ledger\n"
        )
        mapping = {
            "SOW": "agreements[sow].signed_on",
            "Terms": "agreements[sow].payment_terms",
            "Parties": "agreements[sow].signed_by",
        }

        (engagement,) = read_csv(path, mapping=mapping)

        (agreement,) = engagement.agreements
        assert (
            AgreementKind.SOW,
            dt.date(2026, 1, 2),
            "Net 15",
            ("Acme", "Ledger"),
        ) == (
            agreement.kind,
            agreement.signed_on,
            agreement.payment_terms,
            agreement.signed_by,
        )


class TestFile:
    def test_multiline_cells(self, tmp_path):
        """A quoted cell over several lines; later rows keep their line numbers."""
        text = 'id,title,status\na,"Line one\nline two",active\nb,Second,activ\n'

        error = load_error(read_csv, write(tmp_path, text))

        assert "Line one\nline two" == error.loaded[0].title
        assert [(4, "row 4, column status")] == [(i.line, i.path) for i in error.issues]

    def test_blank_lines(self, tmp_path):
        """Blank lines are skipped and do not shift row numbers."""
        text = "id,status\n\na,active\n\n,\nb,unknown\n"

        error = load_error(read_csv, write(tmp_path, text))

        assert ["a"] == [e.id for e in error.loaded]
        assert [6] == [i.line for i in error.issues]

    def test_byte_order_mark(self, tmp_path):
        """A byte-order mark before the header is ignored."""
        path = write(tmp_path, "id,title\na,A\n", encoding="utf-8-sig")

        assert ["a"] == [e.id for e in read_csv(path)]

    def test_delimiter(self, tmp_path):
        """Another delimiter can be given."""
        path = write(tmp_path, "id;title\na;A, with a comma\n")

        assert ["A, with a comma"] == [e.title for e in read_csv(path, delimiter=";")]

    def test_missing_file(self, tmp_path):
        """A missing file is a load error naming it."""
        path = tmp_path / "nowhere.csv"

        error = load_error(read_csv, path)

        assert f"{path}: no such file or directory" == str(error)

    def test_empty_file(self, tmp_path):
        """A file without a header is a load error saying so."""
        path = write(tmp_path, "\n\n")

        error = load_error(read_csv, path)

        assert (
            f"{path}: the file is empty: expected a header row naming the columns"
        ) == str(error)

    def test_header_only(self, tmp_path):
        """A header without rows gives no engagements."""
        assert [] == read_csv(write(tmp_path, "id,title\n"))

    def test_windows_1252(self, tmp_path):
        """A file that is not UTF-8 is read as Windows-1252, as Excel saves CSV."""
        path = tmp_path / "latin.csv"
        text = "id,title\na,Caf\xe9 \u2013 r\xe9sum\xe9\n"
        path.write_bytes(text.encode("cp1252"))

        assert ["Caf\xe9 \u2013 r\xe9sum\xe9"] == [e.title for e in read_csv(path)]
        assert ["Caf\xe9 \u2013 r\xe9sum\xe9"] == [
            e.title for e in outsourcekit.load(path)
        ]

    def test_not_in_the_given_encoding(self, tmp_path):
        """A file not in the encoding given is a load error at its first bad line."""
        path = tmp_path / "latin.csv"
        path.write_bytes("id,title\na,A\nb,Caf\xe9\n".encode("latin-1"))

        error = load_error(read_csv, path, encoding="ascii")

        assert [
            (3, "line 3 is not ascii text (byte 0xe9): give the file's encoding")
        ] == [(i.line, i.message) for i in error.issues]

    def test_quote_never_closed(self, tmp_path):
        """A quote left open is an error at its row, not rows read into one cell."""
        path = write(tmp_path, 'id,title\na,A\nb,"B\nc,C\nd,D\n')
        message = (
            'a quoted cell of this row is never closed (a " is missing): the rest '
            "of the file cannot be read"
        )

        error = load_error(read_csv, path)
        imported = CSV_IMPORTER.read(path)

        assert [(3, "row 3", message)] == [
            (i.line, i.path, i.message) for i in error.issues
        ]
        assert ["a"] == [e.id for e in error.loaded]
        assert [(3, message)] == [(p.line, p.message) for p in imported.problems]
        assert ["a"] == [e["id"] for e in imported.data["engagements"]]

    @pytest.mark.parametrize("header", ["id,title,", "id,title,,"])
    def test_trailing_columns_without_names(self, tmp_path, header):
        """Empty columns after the last named one, as Excel writes, are no columns."""
        extra = "," * header.count(",", len("id,title"))
        path = write(tmp_path, f"{header}\na,A{extra}\nb,B{extra}\n")

        assert ["a", "b"] == [e.id for e in read_csv(path)]
        assert ["a", "b"] == [e.id for e in outsourcekit.load(path)]

    def test_value_under_no_name(self, tmp_path):
        """A value in a trailing column without a name is a cell too many."""
        error = load_error(read_csv, write(tmp_path, "id,title,\na,A,x\nb,B,\n"))

        assert ["row 2: the row has 3 cells but the header names 2 columns"] == [
            f"{i.path}: {i.message}" for i in error.issues
        ]
        assert ["b"] == [e.id for e in error.loaded]


class TestProblems:
    def test_unknown_column(self, tmp_path):
        """An unknown column is named on row 1 with a suggestion; rows still load."""
        path = write(tmp_path, "id,nda_signed,Notes\na,2026-01-01,hello\n")

        error = load_error(read_csv, path)

        assert [
            (
                1,
                "row 1, column nda_signed",
                (
                    "unknown column (did you mean 'nda_signed_on'?): map it with "
                    "mapping={'nda_signed': 'a.target'}, or to None to ignore it"
                ),
            ),
            (
                1,
                "row 1, column Notes",
                (
                    "unknown column: map it with mapping={'Notes': 'a.target'}, or to "
                    "None to ignore it"
                ),
            ),
        ] == [(i.line, i.path, i.message) for i in error.issues]
        assert ["a"] == [e.id for e in error.loaded]

    def test_ignored_column(self, tmp_path):
        """A column mapped to None is ignored."""
        path = write(tmp_path, "id,Notes\na,hello\n")

        assert ["a"] == [e.id for e in read_csv(path, mapping={"Notes": None})]

    def test_no_id_column(self, tmp_path):
        """Without an id column nothing loads, and the error says how to map one."""
        path = write(tmp_path, "title\nA\n")

        error = load_error(read_csv, path)

        assert [
            (
                "row 1: no column gives the engagement's id: expected an `id` column, "
                "or a mapping such as {'Engagement ID': 'id'}"
            )
        ] == [f"{i.path}: {i.message}" for i in error.issues]
        assert [] == error.loaded

    def test_missing_id(self, tmp_path):
        """A row with an empty id is an error on its id column."""
        error = load_error(read_csv, write(tmp_path, "id,title\n,A\nb,B\n"))

        assert ["row 2, column id"] == [i.path for i in error.issues]
        assert ["b"] == [e.id for e in error.loaded]

    def test_duplicate_id(self, tmp_path):
        """A repeated id is an error on the later row, naming the first."""
        path = write(tmp_path, "id,title\na,A\nb,B\na,C\n")

        error = load_error(read_csv, path)

        assert [
            (
                4,
                "row 4, column id",
                "duplicate id `a`: ids must be unique, it is also in row 2",
            )
        ] == [(i.line, i.path, i.message) for i in error.issues]
        assert ["A", "B"] == [e.title for e in error.loaded]

    def test_duplicate_id_of_a_row_that_does_not_load(self, tmp_path):
        """A row that does not load keeps its id, as in a file read by `load`."""
        text = "id,title,status\na,A,nope\na,B,active\nb,C,active\na,D,x\na,E,active\n"
        path = write(tmp_path, text)
        duplicate = "column id: duplicate id `a`: ids must be unique, it is also in row"

        error = load_error(read_csv, path)

        assert [
            (2, "row 2, column status"),
            (3, f"row 3, {duplicate} 2"),
            (5, "row 5, column status"),
            (5, f"row 5, {duplicate} 2"),
            (6, f"row 6, {duplicate} 3"),
        ] == [
            (i.line, f"{i.path}: {i.message}" if "duplicate" in i.message else i.path)
            for i in error.issues
        ]
        assert ["B", "C"] == [e.title for e in error.loaded]

    def test_duplicate_id_of_records_that_do_not_load(self):
        """from_records tells an id of a record that did not load, repeated, too."""
        records = [{"id": "a", "status": "nope"}, {"id": "a", "status": "active"}]

        error = load_error(from_records, records)

        duplicate = "duplicate id `a`: ids must be unique, it is also in row 1"
        assert [
            "row 1, column status",
            f"row 2, column id: {duplicate}",
        ] == [
            f"{i.path}: {i.message}" if "duplicate" in i.message else i.path
            for i in error.issues
        ]
        assert ["a"] == [e.id for e in error.loaded]

    def test_duplicate_column(self, tmp_path):
        """A column named twice is an error: it is unclear which to read."""
        error = load_error(read_csv, write(tmp_path, "id,title,title\na,A,B\n"))

        assert ["row 1, column title: the column appears more than once"] == [
            f"{i.path}: {i.message}" for i in error.issues
        ]
        assert [] == error.loaded

    def test_unnamed_column(self, tmp_path):
        """A header cell without a name is an error."""
        error = load_error(read_csv, write(tmp_path, "id,,title\na,x,A\n"))

        assert ["row 1: column 2 has no name in the header row"] == [
            f"{i.path}: {i.message}" for i in error.issues
        ]

    def test_too_many_cells(self, tmp_path):
        """A row with more cells than columns is skipped with an error."""
        error = load_error(read_csv, write(tmp_path, "id,title\na,A,extra\nb,B,,\n"))

        assert ["row 2: the row has 3 cells but the header names 2 columns"] == [
            f"{i.path}: {i.message}" for i in error.issues
        ]
        assert ["b"] == [e.id for e in error.loaded]

    def test_short_rows(self, tmp_path):
        """Missing cells at the end of a row are empty cells."""
        (engagement,) = read_csv(write(tmp_path, "id,title,status\na\n"))

        assert (None, None) == (engagement.title, engagement.status)

    def test_every_problem_of_a_row(self, tmp_path):
        """All problems of one row are reported, each with its column."""
        path = write(
            tmp_path, "id,status,hours_per_week,confidential\na,activ,lots,maybe\n"
        )

        error = load_error(read_csv, path)

        assert {
            ("row 2, column status", "activ"),
            ("row 2, column hours_per_week", "lots"),
            ("row 2, column confidential", "maybe"),
        } == {(i.path, i.value) for i in error.issues}
        assert 3 == len(error.issues)

    def test_bad_kpis(self, tmp_path):
        """A KPI cell in another syntax is an error saying the syntax."""
        error = load_error(
            read_csv, write(tmp_path, "id,kpis\na,csat=4.5\nb,csat>=high\n")
        )

        assert [
            (
                "row 2, column kpis",
                (
                    "expected KPIs like `name`, `name<=target` or `name>=target`, got "
                    "'csat=4.5'"
                ),
            ),
            ("row 3, column kpis", "expected a number, got 'high'"),
        ] == [(i.path, i.message) for i in error.issues]

    def test_agreement_column(self, tmp_path):
        """A bad cell of the second agreement names that column."""
        path = write(tmp_path, "id,nda_signed_on,msa_signed_on\na,2026-01-01,soon\n")

        error = load_error(read_csv, path)

        assert ["row 2, column msa_signed_on"] == [i.path for i in error.issues]


class TestMapping:
    def test_override(self, tmp_path):
        """A mapping adds columns and the default columns still work."""
        path = write(tmp_path, "Engagement,Vendor Name,vendor_kind\na,LedgerPros,bpo\n")

        (engagement,) = read_csv(
            path, mapping={"Engagement": "id", "Vendor Name": "vendor.name"}
        )

        assert ("a", "LedgerPros", VendorKind.BPO) == (
            engagement.id,
            engagement.vendor.name,
            engagement.vendor.kind,
        )

    def test_error_names_mapped_column(self, tmp_path):
        """Errors name the sheet's own column."""
        path = write(tmp_path, "id,Start Date\na,05/01/2026\n")

        error = load_error(read_csv, path, mapping={"Start Date": "start"})

        assert ["row 2, column Start Date"] == [i.path for i in error.issues]

    @pytest.mark.parametrize(
        ("target", "message"),
        [
            ("vendor.nmae", "Vendor has no key 'nmae' (did you mean 'name'?)"),
            ("titel", "an engagement has no key 'titel' (did you mean 'title'?)"),
            ("vendor", "'vendor' holds keys: name one of them, like vendor.name"),
            ("title.name", "expected a dotted path of keys"),
            ("agreements[bogus].signed_on", "expected an agreement kind, one of"),
            (
                "agreements[nda].signed",
                "agreements have no key 'signed' (did you mean 'signed_on'?)",
            ),
            ("agreements[nda].kind", "the agreement's kind is the one in brackets"),
            (
                "agreements[nda].service_levels",
                "'service_levels' cannot be read from one cell",
            ),
            ("x-a.b", "an `x-` key holds a value, not keys"),
            ("vendor.vetting.", "expected a dotted path of keys"),
        ],
    )
    def test_bad_target(self, target, message):
        """A target naming no place in an engagement is refused before any row."""
        with pytest.raises(ValueError, match=re.escape(message)) as info:
            from_records([{"id": "a", "X": "1"}], mapping={"X": target})

        assert str(info.value).startswith(f"mapping: column 'X' -> {target!r}: ")

    def test_target_type(self):
        """A target must be text or None."""
        with pytest.raises(TypeError, match="mapping: column 'X': expected a target"):
            from_records([{"id": "a", "X": "1"}], mapping={"X": 3})

    def test_two_ids(self):
        """Two columns giving the id are refused."""
        with pytest.raises(ValueError, match="columns 'id' and 'Key' both give"):
            from_records([{"id": "a", "Key": "b"}], mapping={"Key": "id"})

    def test_defaults(self):
        """Defaults are merged under every row; the row's own cells win."""
        engagements = from_records(
            [{"id": "a"}, {"id": "b", "client": "Other Ltd"}],
            defaults={"client": {"name": "Acme Ltd", "region": "GB"}},
        )

        assert [("Acme Ltd", "GB"), ("Other Ltd", "GB")] == [
            (e.client.name, e.client.region) for e in engagements
        ]

    def test_defaults_without_id(self):
        """Defaults cannot give an id."""
        with pytest.raises(ValueError, match="`id` cannot have a default"):
            from_records([{"id": "a"}], defaults={"id": "x"})

    def test_documented_defaults(self):
        """The documented column table is the default mapping."""
        text = DOCS.read_text(encoding="utf-8")

        table = dict(
            re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|$", text, flags=re.MULTILINE)
        )

        assert dict(DEFAULT_MAPPING) == table


class TestFromRecords:
    def test_row_numbers(self):
        """Records are numbered from 1; issues have no line."""
        error = load_error(from_records, [{"id": "a"}, {"id": "b", "status": "x"}])

        assert [(None, "row 2, column status", None)] == [
            (i.line, i.path, i.source) for i in error.issues
        ]

    def test_source(self):
        """A source names where the records came from, in issues and engagements."""
        error = load_error(
            from_records, [{"id": "a"}, {"id": "b", "status": "x"}], source="sheet.xlsx"
        )

        assert ["sheet.xlsx"] == [i.source for i in error.issues]
        assert ["sheet.xlsx"] == [e.source for e in error.loaded]
        assert error.loaded[0].origin.line is None

    def test_source_named_like_a_file_is_not_read(self, tmp_path, monkeypatch):
        """Findings of records whose source names a file get no line from it.

        The rows know where they are (their numbers); a file of that name,
        an engagement of the same id in it, is no part of them.
        """
        monkeypatch.chdir(tmp_path)
        (tmp_path / "crm.yaml").write_text(
            "id: a\ntitle: Something else\nagreements: []\n", encoding="utf-8"
        )
        engagements = from_records([{"id": "a", "status": "active"}], source="crm.yaml")

        report = outsourcekit.check(engagements, as_of=dt.date(2026, 11, 22))

        assert report.findings
        assert {("crm.yaml", None)} == {(f.source, f.line) for f in report.findings}
        assert (1, None, None) == (
            engagements[0].origin.row,
            engagements[0].origin.line,
            engagements[0].origin.index,
        )

    def test_python_values(self):
        """Numbers, booleans, dates and missing values are understood."""
        (engagement,) = from_records(
            [
                {
                    "id": 2024,
                    "title": None,
                    "start": dt.date(2026, 1, 5),
                    "end": dt.datetime(2026, 12, 31),
                    "hours_per_week": 20,
                    "owner": math.nan,
                    "confidential": True,
                    "personal_data": 0,
                    "kpis": "csat>=4.5",
                }
            ]
        )

        assert ("2024", None, dt.date(2026, 1, 5), dt.date(2026, 12, 31), 20) == (
            engagement.id,
            engagement.title,
            engagement.start,
            engagement.end,
            engagement.hours_per_week,
        )
        assert (True, False) == (
            engagement.data.confidential,
            engagement.data.personal_data,
        )

    def test_pandas_records(self):
        """A DataFrame's records load, its missing values left out."""
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(
            {
                "id": ["a", "b"],
                "start": pd.to_datetime(["2026-01-05", None]),
                "hours_per_week": [20.0, None],
                "title": pd.array(["A", None], dtype="string"),
            }
        )

        engagements = from_records(frame.to_dict("records"))

        assert [("a", dt.date(2026, 1, 5), 20, "A"), ("b", None, None, None)] == [
            (e.id, e.start, e.hours_per_week, e.title) for e in engagements
        ]

    def test_no_records(self):
        """No records give no engagements."""
        assert [] == from_records([])

    def test_cells_past_the_header(self):
        """csv.DictReader's cells past the header are a problem of their row."""
        rows = csv.DictReader(io.StringIO("id,title\na,x,extra\nb,y\nc,z,\n"))

        error = load_error(from_records, rows)

        assert [
            (
                "row 1",
                (
                    "the row has 3 cells but the header names 2 columns: expected a "
                    "column name (text) for every cell"
                ),
            )
        ] == [(i.path, i.message) for i in error.issues]
        assert ["b", "c"] == [e.id for e in error.loaded]

    def test_cell_named_none(self):
        """A cell named None is a problem of its row, unless it is empty."""
        error = load_error(
            from_records, [{"id": "a", None: "x"}, {"id": "b", None: math.nan}]
        )

        assert [
            (
                "row 1",
                (
                    "a cell has no column name: expected a column name (text) for "
                    "every cell, got None"
                ),
            )
        ] == [(i.path, i.message) for i in error.issues]
        assert ["b"] == [e.id for e in error.loaded]

    def test_column_names_not_text(self):
        """Columns named by numbers are problems of the columns, told once."""
        pd = pytest.importorskip("pandas")
        frame = pd.read_csv(io.StringIO("a,x\nb,y\n"), header=None)

        error = load_error(from_records, frame.to_dict("records"))

        assert [
            (
                "row 1, column 0",
                (
                    "expected a column name (text), got 0 (a number): name the "
                    "columns, or map this one with mapping={0: 'a.target'}, or to "
                    "None to ignore it"
                ),
            ),
            (
                "row 1, column 1",
                (
                    "expected a column name (text), got 1 (a number): name the "
                    "columns, or map this one with mapping={1: 'a.target'}, or to "
                    "None to ignore it"
                ),
            ),
            (
                "row 1",
                (
                    "no column gives the engagement's id: expected an `id` column, "
                    "or a mapping such as {'Engagement ID': 'id'}"
                ),
            ),
        ] == [(i.path, i.message) for i in error.issues]

    def test_column_name_not_text_among_others(self):
        """The other columns of the rows are read."""
        error = load_error(from_records, [{"id": "a", 7: "x"}, {"id": "b"}])

        assert ["row 1, column 7"] == [i.path for i in error.issues]
        assert ["a", "b"] == [e.id for e in error.loaded]

    def test_column_names_not_text_mapped(self):
        """Columns named by numbers that the mapping names are read."""
        pd = pytest.importorskip("pandas")
        frame = pd.read_csv(io.StringIO("a,x\nb,y\n"), header=None)

        engagements = from_records(
            frame.to_dict("records"), mapping={0: "id", 1: "title"}
        )

        assert [("a", "x"), ("b", "y")] == [(e.id, e.title) for e in engagements]

    def test_kpi_cell_not_text(self):
        """A KPI cell that is not text is an error saying the syntax."""
        error = load_error(from_records, [{"id": "a", "kpis": 5}])

        assert ["row 1, column kpis"] == [i.path for i in error.issues]


titles = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    min_size=1,
).filter(lambda t: t.strip() == t and t)


class TestProperties:
    @given(st.lists(titles, min_size=1, max_size=8))
    def test_rows_and_lines(self, values):
        """Any titles written by a CSV writer read back, each row on its own line."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["id", "title"])
        lines = [2]
        for n, title in enumerate(values):
            before = buffer.tell()
            writer.writerow([f"e{n}", title])
            lines.append(lines[-1] + buffer.getvalue()[before:].count("\n"))
        path = Path(self.tmp) / "p.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")

        engagements = read_csv(path)

        assert values == [e.title for e in engagements]
        assert lines[:-1] == [e.origin.line for e in engagements]

    @pytest.fixture(autouse=True)
    def _tmp(self, tmp_path_factory):
        self.tmp = tmp_path_factory.mktemp("csv")


class TestImporter:
    def test_hook(self):
        """The module registers the CSV importer through the importers hook."""
        assert CSV_IMPORTER in builtin_importers.outsourcekit_register_importers()

    def test_importer(self, tmp_path):
        """The importer reads .csv files (any case) into a portfolio, row by row."""
        path = write(tmp_path, "id,vendor\na,LedgerPros\n", name="P.CSV")

        imported = CSV_IMPORTER.read(path)

        assert ("csv", True, False, 2) == (
            CSV_IMPORTER.name,
            CSV_IMPORTER.accepts(path),
            CSV_IMPORTER.accepts("p.yaml"),
            CSV_IMPORTER.version,
        )
        assert {"engagements": [{"id": "a", "vendor": {"name": "LedgerPros"}}]} == (
            imported.data
        )
        assert ({("engagements", 0): 2}, "row 2, column vendor") == (
            imported.lines,
            imported.where["engagements", 0, "vendor", "name"],
        )

    def test_loaded(self, tmp_path):
        """Loading a .csv file gives its rows' engagements, each at its line."""
        path = write(tmp_path, "id,vendor\na,LedgerPros\n\nb,HelpHive\n")

        engagements = outsourcekit.load(path)

        assert [("a", 2), ("b", 4)] == [(e.id, e.origin.line) for e in engagements]

    def test_errors_name_row_and_column(self, tmp_path):
        """A bad cell is a load error at its row, naming the row and column."""
        path = write(tmp_path, "id,nda_signed_on\na,2025-12-01\nb,2026-31-04\n")

        with pytest.raises(LoadError) as info:
            outsourcekit.load(path)

        assert [
            (
                f"{path}:3: agreements[0].signed_on: row 3, column nda_signed_on: "
                "expected a date in ISO 8601 form, like 2026-03-01, got '2026-31-04' "
                "(month must be in 1..12)"
            )
        ] == [str(i) for i in info.value.issues]
        assert ["a"] == [e.id for e in info.value.loaded]

    def test_rows_are_read_as_written(self, tmp_path):
        """The importer reads every row; the loader tells which do not load."""
        path = write(tmp_path, "id,start,vendor\ngood,2026-01-01,V\nbad,2026-31-01,W\n")

        imported = CSV_IMPORTER.read(path)

        assert (
            {
                "engagements": [
                    {"id": "good", "start": "2026-01-01", "vendor": {"name": "V"}},
                    {"id": "bad", "start": "2026-31-01", "vendor": {"name": "W"}},
                ]
            },
            (),
        ) == (imported.data, imported.problems)
        assert ({("engagements", 0): 2, ("engagements", 1): 3}, "row 3") == (
            imported.lines,
            imported.where["engagements", 1],
        )

    def test_problem_of_a_nested_key(self, tmp_path):
        """A problem of a key inside another names the column it came from."""
        path = write(tmp_path, "id,vendor_kind\na,agency\nb,bureau\n")

        error = load_error(outsourcekit.load, path)

        assert [
            (
                f"{path}:3: vendor.kind: row 3, column vendor_kind: expected one of "
                "freelancer | agency | bpo, got 'bureau'"
            )
        ] == [str(i) for i in error.issues]
        assert ["a"] == [e.id for e in error.loaded]

    def test_duplicate_id(self, tmp_path):
        """A row with the id of a row before is an error naming it; the first loads."""
        path = write(tmp_path, "id,title\nacme,A\nacme,B\n")

        error = load_error(outsourcekit.load, path)

        assert [
            (
                f"{path}:3: id: duplicate id `acme`: ids must be unique, it is also "
                f"at {path}:2"
            )
        ] == [str(i) for i in error.issues]
        assert [("acme", "A", 2)] == [
            (e.id, e.title, e.origin.line) for e in error.loaded
        ]

    def test_each_row_structured_once(self, tmp_path, monkeypatch):
        """Loading a CSV file makes each row's engagement once, not twice."""
        made = []
        hook = outsourcekit.io._engagement_hook

        def counted(*, detailed):
            structure = hook(detailed=detailed)

            def count(data, *args):
                made.append(data["id"])
                return structure(data, *args)

            return count

        monkeypatch.setattr(outsourcekit.io, "_engagement_hook", counted)
        rows = "".join(f"e{n},2026-01-01\n" for n in range(5))
        path = write(tmp_path, f"id,start\n{rows}")

        engagements = outsourcekit.load(path)

        assert [f"e{n}" for n in range(5)] == made == [e.id for e in engagements]

    def test_import_prints_what_loads(self, tmp_path, monkeypatch):
        """`outsourcekit import` prints the rows that load, the others' problems."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id,start\ngood,2026-01-01\nbad,2026-31-01\n", "p.csv")

        result = run_cli("import", "p.csv")

        assert (2, "engagements:\n- id: good\n  start: 2026-01-01\n") == (
            result.exit_code,
            result.stdout,
        )
        assert (
            "error: p.csv:3: start: row 3, column start: expected a date in ISO 8601 "
            "form, like 2026-03-01, got '2026-31-01' (month must be in 1..12)\n"
        ) == result.stderr

    def test_import_prints_the_first_of_an_id(self, tmp_path, monkeypatch):
        """Of rows sharing an id, `import` prints the first, which `check` loads."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id,title\nacme,A\nacme,B\nzeta,Z\n", "p.csv")

        result = run_cli("import", "p.csv")

        assert (
            2,
            "engagements:\n- id: acme\n  title: A\n- id: zeta\n  title: Z\n",
            (
                "error: p.csv:3: id: duplicate id `acme`: ids must be unique, it is "
                "also at p.csv:2\n"
            ),
        ) == (result.exit_code, result.stdout, result.stderr)

    def test_import_prints_nothing_when_no_row_loads(self, tmp_path, monkeypatch):
        """When no row loads, `import` prints only the problems."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id,start\nbad,2026-31-01\n", "p.csv")

        result = run_cli("import", "p.csv")

        assert (2, "") == (result.exit_code, result.stdout)
        assert result.stderr.startswith("error: p.csv:2: start: row 2, column start:")

    def test_header_problems(self, tmp_path):
        """Unknown and repeated columns are problems of row 1, with a suggestion."""
        path = write(tmp_path, "id,vendr,id\na,LedgerPros,a\n")

        problems = CSV_IMPORTER.read(path).problems

        assert [("column id", "the column appears more than once", 1)] == [
            (p.where, p.message, p.line) for p in problems
        ]
        unknown = CSV_IMPORTER.read(write(tmp_path, "id,vendr\na,x\n")).problems
        assert ["unknown column (did you mean 'vendor'?)"] == [
            p.message.split(":")[0] for p in unknown
        ]

    def test_delimiter_option(self, tmp_path):
        """The `delimiter` option reads sheets saved with semicolons."""
        path = write(tmp_path, "id;vendor\na;LedgerPros\n")

        imported = CSV_IMPORTER.read(path, {"delimiter": ";"})

        assert [{"id": "a", "vendor": {"name": "LedgerPros"}}] == (
            imported.data["engagements"]
        )

    def test_not_callable(self, tmp_path):
        """Calling it as a version 1 importer says to read it or to load the file."""
        with pytest.raises(TypeError, match=r"importer.read\(path\) returns its data"):
            CSV_IMPORTER(write(tmp_path, "id\na\n"))

    def test_registered(self, monkeypatch):
        """A built-in plugin, it is the importer for .csv files."""
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
        plugins.reset()
        try:
            assert CSV_IMPORTER == importer_for("portfolio.csv")
            assert "outsourcekit.builtin.importers" == importer_for("a.csv").plugin
        finally:
            plugins.reset()


def test_engagement_type(tmp_path):
    """read_csv returns engagements."""
    engagements = read_csv(write(tmp_path, "id\na\n"))

    assert all(isinstance(e, Engagement) for e in engagements)


class TestLongCells:
    """A cell longer than the csv module reads by default is read all the same."""

    LONG = "x" * 200_000

    @pytest.fixture
    def path(self, tmp_path):
        return write(tmp_path, f"id,title\na,ok\nb,{self.LONG}\nc,ok\n")

    def test_read_csv(self, path):
        """Every row is read, the long cell whole."""
        assert [("a", "ok"), ("b", self.LONG), ("c", "ok")] == [
            (e.id, e.title) for e in read_csv(path)
        ]

    def test_importer(self, path):
        """The importer reads every row; `check` and `load` load them."""
        imported = CSV_IMPORTER.read(path)

        assert ((), ["a", "b", "c"]) == (
            imported.problems,
            [e["id"] for e in imported.data["engagements"]],
        )
        assert [("a", 2), ("b", 3), ("c", 4)] == [
            (e.id, e.origin.line) for e in outsourcekit.load(path)
        ]

    def test_quoted_over_lines(self, tmp_path):
        """A long quoted cell over several lines is read too, rows after it also."""
        cell = "\n".join([self.LONG] * 3)
        path = write(tmp_path, f'id,title\na,"{cell}"\nb,ok\n')

        assert [("a", cell, 2), ("b", "ok", 5)] == [
            (e.id, e.title, e.origin.line) for e in read_csv(path)
        ]

    def test_limit_put_back(self, path):
        """The csv module's limit is as it was after a read, and after a failed one."""
        before = csv.field_size_limit()
        read_csv(path)
        CSV_IMPORTER.read(path)
        with pytest.raises(LoadError):
            read_csv(write(path.parent, f'id,title\na,"{self.LONG}', "open.csv"))

        assert before == csv.field_size_limit()
        with pytest.raises(csv.Error, match="field larger than field limit"):
            list(csv.reader(io.StringIO(self.LONG)))

    def test_threads(self, path):
        """Reads in several threads at once each read the long cell."""
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            titles = list(pool.map(lambda _: read_csv(path)[1].title, range(16)))

        assert [self.LONG] * 16 == titles


def run_cli(*args):
    """Run the command line in this process; stderr apart from stdout."""
    from click.testing import CliRunner

    from outsourcekit.cli import cli

    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        runner = CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    else:
        runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=False)


#: UTF-8 text with one byte that is no UTF-8, on line 3, column 10.
MIXED = (
    b"id,title,owner\r\n"
    b"acme-a,Caf\xc3\xa9,J\xc3\xbcrgen\r\n"
    b"acme-b,x \x81 y,Zo\xc3\xab\r\n"
)
NOT_UTF8 = (
    "byte 0x81 is not UTF-8, and the file is UTF-8 ({}): expected UTF-8 text: "
    "correct the character, or save the file as UTF-8 again"
)


class TestWideHeader:
    """A header of very many columns is read in time linear in their number."""

    def test_many_columns_one_named_twice(self, tmp_path):
        """40,000 columns, one named twice, read in seconds with that problem."""
        names = [f"x-c{i}" for i in range(40_000)]
        cells = ",".join(["a", *["v"] * len(names), "w"])
        path = write(tmp_path, f"id,{','.join(names)},x-c7\n{cells}\n")
        started = time.perf_counter()

        imported = CSV_IMPORTER.read(path)
        error = load_error(read_csv, path)

        elapsed = time.perf_counter() - started
        assert (True, ["column x-c7"], ["row 1, column x-c7"]) == (
            elapsed < 10,
            [p.where for p in imported.problems],
            [i.path for i in error.issues],
        )


class TestEncoding:
    def test_bad_byte_in_utf8(self, tmp_path):
        """A byte that is no UTF-8 in UTF-8 text is an error at its line and column.

        The rest of the file is not read as Windows-1252, which would turn
        every accented letter into two others.
        """
        path = tmp_path / "mixed.csv"
        path.write_bytes(MIXED)
        message = NOT_UTF8.format("as its 'é' on line 2 is")

        error = load_error(read_csv, path)
        imported = CSV_IMPORTER.read(path)

        assert [(3, 10, "", message)] == [
            (i.line, i.column, i.path, i.message) for i in error.issues
        ]
        assert [(3, 10, message)] == [
            (p.line, p.column, p.message) for p in imported.problems
        ]
        assert {} == imported.data

    def test_bad_byte_after_byte_order_mark(self, tmp_path):
        """A byte-order mark says UTF-8: a bad byte after it is the same error."""
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbfid,title\r\nacme-b,x \x81 y\r\n")
        message = NOT_UTF8.format("as its byte-order mark says")

        error = load_error(read_csv, path)
        imported = CSV_IMPORTER.read(path)

        assert [(2, 10, message)] == [
            (i.line, i.column, i.message) for i in error.issues
        ]
        assert [(2, 10, message)] == [
            (p.line, p.column, p.message) for p in imported.problems
        ]

    def test_column_after_byte_order_mark(self, tmp_path):
        """On line 1 the byte-order mark is no column."""
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbfid,ti\xfftle\r\nacme-b,x\r\n")

        (problem,) = CSV_IMPORTER.read(path).problems

        assert (1, 6) == (problem.line, problem.column)

    def test_byte_order_mark_with_windows_1252_bytes(self, tmp_path):
        """A byte-order mark is never read as Windows-1252 (`ï»¿id`)."""
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbfid,title\r\na,Caf\xe9\r\n")

        (problem,) = CSV_IMPORTER.read(path).problems

        assert problem.message.startswith("byte 0xe9 is not UTF-8")
        assert (2, 6) == (problem.line, problem.column)

    def test_windows_1252_still_read(self, tmp_path):
        """A file with no sign of UTF-8 is Windows-1252, as Excel saves it."""
        path = tmp_path / "latin.csv"
        path.write_bytes("id,owner\r\na,J\xfcrgen \u2013 Zo\xeb\r\n".encode("cp1252"))

        imported = CSV_IMPORTER.read(path)

        assert ([], "J\xfcrgen \u2013 Zo\xeb") == (
            list(imported.problems),
            imported.data["engagements"][0]["owner"],
        )

    def test_neither_utf8_nor_windows_1252(self, tmp_path):
        """A byte Windows-1252 leaves undefined is an error, not a replacement mark."""
        path = tmp_path / "odd.csv"
        path.write_bytes(b"id,title\r\nacme-a,x \x81 y\r\n")
        message = (
            "byte 0x81 is neither UTF-8 nor Windows-1252 text: expected text; save "
            "the file as UTF-8"
        )

        error = load_error(read_csv, path)

        assert [(2, 10, message)] == [
            (i.line, i.column, i.message) for i in error.issues
        ]

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
    def test_utf16_and_utf32_with_byte_order_mark(self, tmp_path, encoding):
        """A file whose byte-order mark says UTF-16 or UTF-32 is read in it.

        Excel's "Unicode Text" and many reporting tools save CSV so.
        """
        path = tmp_path / "unicode.csv"
        text = "id\ttitle\r\nacme-a\tCaf\xe9, \u2013 Zo\xeb\r\n"
        bom = "\ufeff" if encoding.endswith("-be") else ""
        path.write_bytes((bom + text).encode(encoding))

        imported = CSV_IMPORTER.read(path, {"delimiter": "\t"})

        assert ([], [{"id": "acme-a", "title": "Caf\xe9, \u2013 Zo\xeb"}]) == (
            list(imported.problems),
            imported.data["engagements"],
        )
        assert ["acme-a"] == [e.id for e in read_csv(path, delimiter="\t")]

    def test_bad_utf16(self, tmp_path):
        """A UTF-16 file cut inside a character is an error at its line."""
        path = tmp_path / "unicode.csv"
        path.write_bytes("id,title\r\nacme-a,x".encode("utf-16") + b"\x00")

        (problem,) = CSV_IMPORTER.read(path).problems

        assert (
            2,
            (
                "line 2 is not utf-16 text, as its byte-order mark says (it ends "
                "inside a character): save the file as UTF-8 again"
            ),
        ) == (problem.line, problem.message)

    @pytest.mark.parametrize(
        ("raw", "line", "column", "expected"),
        [
            (
                b"PK\x03\x04\x14\x00\x06\x00rest",
                1,
                None,
                (
                    "the file is a zip archive, such as an Excel workbook, not CSV "
                    "text: save it as CSV UTF-8"
                ),
            ),
            (
                b"id,title\r\nacme-a,x\x00\x00\x00\r\n",
                2,
                9,
                (
                    "byte 0x00 is no character of text: expected CSV text, not the "
                    "bytes of another kind of file: save it as CSV UTF-8"
                ),
            ),
        ],
    )
    def test_not_text(self, tmp_path, raw, line, column, expected):
        """A file of bytes that are no text is an error saying so, not columns."""
        path = tmp_path / "book.csv"
        path.write_bytes(raw)

        imported = CSV_IMPORTER.read(path)
        error = load_error(read_csv, path)

        assert [(line, column, expected)] == [
            (p.line, p.column, p.message) for p in imported.problems
        ]
        assert [(line, column, expected)] == [
            (i.line, i.column, i.message) for i in error.issues
        ]

    def test_command_line(self, tmp_path, monkeypatch):
        """`outsourcekit import` prints the error at line and column, exit 2."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "m.csv").write_bytes(MIXED)

        result = run_cli("import", "m.csv")

        assert 2 == result.exit_code
        assert "Ã" not in result.stdout
        assert (
            "error: m.csv:3:10: " + NOT_UTF8.format("as its 'é' on line 2 is") + "\n"
        ) == result.stderr


class TestDelimiterOption:
    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("\\t", "\t"),
            ("tab", "\t"),
            ("TAB", "\t"),
            ("\t", "\t"),
            (";", ";"),
            ("|", "|"),
        ],
    )
    def test_values(self, given, expected):
        """One character; a tab is also written `\\t` or `tab`."""
        assert expected == CSV_IMPORTER.check_options({"delimiter": given})["delimiter"]

    @pytest.mark.parametrize("given", [";;", "", "ab", '"', "\n", "\r"])
    def test_refused(self, given):
        """Anything but one character (or a quote, a line break) is an option error."""
        with pytest.raises(plugins.ImporterOptionError) as info:
            CSV_IMPORTER.check_options({"delimiter": given})

        assert [
            (
                "delimiter",
                (
                    "option 'delimiter' must be one character other than a quote "
                    "or a line break, such as ; or a tab (written \\t or tab) "
                    f"(got {given!r})"
                ),
            )
        ] == list(info.value.problems)

    def test_type(self):
        """A value of another type says what it is, in the model's words."""
        with pytest.raises(plugins.ImporterOptionError) as info:
            CSV_IMPORTER.check_options({"delimiter": 5})

        assert (
            "option 'delimiter' must be text (got 5 that is a whole number)"
        ) == str(info.value)

    def test_tab(self, tmp_path):
        """A sheet saved with tabs reads with `delimiter=\\t`."""
        path = write(tmp_path, "id\tvendor\na\tLedgerPros, Inc\n")

        imported = CSV_IMPORTER.read(path, {"delimiter": "\\t"})

        assert [{"id": "a", "vendor": {"name": "LedgerPros, Inc"}}] == (
            imported.data["engagements"]
        )

    @pytest.mark.parametrize("given", ["\\t", "tab", "\t"])
    def test_command_line_tab(self, tmp_path, monkeypatch, given):
        """On the command line a tab is `\\t` or `tab` (or a literal tab)."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id\ttitle\na\tA, B\n")

        result = run_cli("import", "portfolio.csv", "--option", f"delimiter={given}")

        assert (0, "", "engagements:\n- id: a\n  title: A, B\n") == (
            result.exit_code,
            result.stderr,
            result.stdout,
        )

    @pytest.mark.parametrize("given", [";;", ""])
    def test_command_line_refused(self, tmp_path, monkeypatch, given):
        """A bad delimiter is an error of `--option delimiter`, exit 2, no crash."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id,title\na,A\n")

        result = run_cli("import", "portfolio.csv", "--option", f"delimiter={given}")

        assert 2 == result.exit_code
        assert result.stderr.startswith(
            "Error: --option delimiter: option 'delimiter' must be one character"
        )
        assert "raised" not in result.stderr

    def test_under_imports(self, tmp_path):
        """Under `imports:` a bad delimiter is a load error at its line."""
        write(tmp_path, "id,title\nacme-x,A\n")
        path = write(
            tmp_path,
            "id: acme-x\nimports:\n  - path: portfolio.csv\n"
            '    options: {delimiter: "ab"}\n',
            name="acme.yaml",
        )

        error = load_error(outsourcekit.load, path)

        assert [
            (
                4,
                "imports[0].options.delimiter",
                (
                    "option 'delimiter' must be one character other than a quote "
                    "or a line break, such as ; or a tab (written \\t or tab) "
                    "(got 'ab')"
                ),
            )
        ] == [(i.line, i.path, i.message) for i in error.issues]

    def test_read_csv(self, tmp_path):
        """read_csv takes the same delimiters, and refuses others with a ValueError."""
        path = write(tmp_path, "id\ttitle\na\tA\n")

        assert ["A"] == [e.title for e in read_csv(path, delimiter="tab")]
        with pytest.raises(ValueError, match=r"^delimiter: expected one character"):
            read_csv(path, delimiter=";;")


class TestSeparatorLine:
    def test_sep_line(self, tmp_path):
        """Excel's first line `sep=;` names the delimiter and is no row."""
        path = write(tmp_path, "sep=;\r\nid;title\r\na;A, B\r\nb;B\r\n")

        engagements = read_csv(path)
        imported = CSV_IMPORTER.read(path)

        assert [("a", "A, B", 3), ("b", "B", 4)] == [
            (e.id, e.title, e.origin.line) for e in engagements
        ]
        assert ([], {("engagements", 0): 3, ("engagements", 1): 4}) == (
            list(imported.problems),
            imported.lines,
        )

    def test_sep_line_loaded(self, tmp_path):
        """`check` and `ok.load` read a semicolon sheet that says `sep=;`."""
        path = write(tmp_path, "sep=;\nid;title;start\na;A;2026-01-05\n")

        assert [("a", dt.date(2026, 1, 5))] == [
            (e.id, e.start) for e in outsourcekit.load(path)
        ]

    def test_sep_line_tab(self, tmp_path):
        """`sep=` and a tab: a tab-separated sheet."""
        path = write(tmp_path, "sep=\t\nid\ttitle\na\tA\n")

        assert ["A"] == [e.title for e in read_csv(path)]

    def test_header_problems_at_its_line(self, tmp_path):
        """After `sep=;`, the header is line 2: its problems are located there."""
        path = write(tmp_path, "sep=;\nid;vendr\na;x\n")

        (problem,) = CSV_IMPORTER.read(path).problems
        error = load_error(read_csv, path)

        assert (2, "column vendr") == (problem.line, problem.where)
        assert [(2, "row 2, column vendr")] == [(i.line, i.path) for i in error.issues]

    def test_bad_sep_line(self, tmp_path):
        """A first line `sep=` naming no one character is an error at line 1."""
        path = write(tmp_path, "sep=;;\nid;title\na;A\n")
        message = (
            "the first line names no delimiter: expected `sep=` and one character, "
            "such as sep=; (got 'sep=;;')"
        )

        (problem,) = CSV_IMPORTER.read(path).problems
        error = load_error(read_csv, path)

        assert (1, message) == (problem.line, problem.message)
        assert [(1, message)] == [(i.line, i.message) for i in error.issues]


class TestSeparatedHint:
    def test_semicolons(self, tmp_path):
        """A header of one column holding `;` says how to name the delimiter."""
        path = write(tmp_path, "id;title;start\na;A;2026-01-05\n")

        problems = CSV_IMPORTER.read(path).problems

        assert [
            (
                1,
                "column id;title;start",
                (
                    "unknown column: the header looks separated by `;`, not `,`: "
                    'say so with a first line `sep=;`, with `options: {delimiter: ";"}`'
                    " under `imports:`, or with `outsourcekit import --option "
                    '"delimiter=;"`'
                ),
            )
        ] == [(p.line, p.where, p.message) for p in problems]

    def test_tabs(self, tmp_path):
        """A tab-separated header says `tab`, which a command line can hold."""
        path = write(tmp_path, "id\ttitle\na\tA\n")

        (problem,) = CSV_IMPORTER.read(path).problems

        assert problem.message.endswith(
            "the header looks separated by tabs, not `,`: say so with a first line "
            "`sep=` and a tab, with `options: {delimiter: tab}` under `imports:`, "
            "or with `outsourcekit import --option delimiter=tab`"
        )

    def test_read_csv(self, tmp_path):
        """read_csv names its own argument."""
        path = write(tmp_path, "id;title\na;A\n")

        error = load_error(read_csv, path)

        assert [
            (
                "row 1, column id;title",
                (
                    "unknown column: the header looks separated by `;`, not `,`: "
                    "say so with a first line `sep=;`, or with read_csv(..., "
                    "delimiter=';')"
                ),
            )
        ] == [(i.path, i.message) for i in error.issues]

    def test_check(self, tmp_path, monkeypatch):
        """`outsourcekit check` of a semicolon sheet says what to do, exit 2."""
        monkeypatch.chdir(tmp_path)
        write(tmp_path, "id;title;start\na;A;2026-01-05\n", name="semi.csv")

        result = run_cli("check", "semi.csv")

        assert 2 == result.exit_code
        assert "the header looks separated by `;`" in result.stderr
        assert "no column gives the engagement's id" not in result.stderr

    def test_several_columns(self, tmp_path):
        """A header of several columns gets the usual message."""
        path = write(tmp_path, "id,a;b\nx,y\n")

        (problem,) = CSV_IMPORTER.read(path).problems

        assert problem.message.startswith("unknown column: the columns are those")
