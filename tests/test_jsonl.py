"""Tests for JSON Lines portfolios: one engagement on each line of a file."""

from __future__ import annotations

import datetime as dt
import gc
import io as stdio
import itertools
import json
import math
import os
import pathlib
import stat
import sys
import threading
import weakref

import pytest
from hypothesis import given, settings

import outsourcekit as ok
from outsourcekit import _jsonl, io
from outsourcekit._discover import discover
from outsourcekit.io import LoadError
from outsourcekit.model import Engagement, Vendor
from strategies import engagements, portfolios

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture
def lines(tmp_path, monkeypatch):
    """Return a function writing lines of text to a file in a temporary folder.

    The working directory is that folder, so sources are short.
    """
    monkeypatch.chdir(tmp_path)

    def write_lines(name: str, *items: str, end: str = "\n") -> pathlib.Path:
        path = pathlib.Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(end.join(items).encode("utf-8") + end.encode())
        return path

    return write_lines


def issues_of(path):
    """Return the issues of loading *path*, each as its text."""
    with pytest.raises(LoadError) as info:
        io.load(path)
    return [str(issue) for issue in info.value.issues]


class TestLoad:
    def test_one_engagement_per_line(self, lines):
        """Each line is an engagement, and the file a portfolio, in line order."""
        path = lines("p.jsonl", '{"id": "a", "title": "A"}', '{"id": "b"}')

        loaded = io.load(path)

        assert ["a", "b"] == [e.id for e in loaded]
        assert "A" == loaded[0].title

    def test_one_line_is_a_portfolio(self, lines):
        """A file of one line still loads as a list, as a portfolio file does."""
        path = lines("p.jsonl", '{"id": "a"}')

        assert ["a"] == [e.id for e in io.load(path)]

    def test_origin_is_the_line(self, lines):
        """Each engagement knows its file and line, which its findings get."""
        path = lines("p.jsonl", "", '{"id": "a"}', "  ", '{"id": "b"}')

        loaded = io.load(path)

        assert [("p.jsonl", 2), ("p.jsonl", 4)] == [
            (e.origin.source, e.origin.line) for e in loaded
        ]

    def test_blank_lines_and_line_endings(self, lines):
        """Blank lines anywhere, CRLF endings and no final line feed are fine."""
        path = pathlib.Path("p.ndjson")
        lines("keep.txt", "")
        path.write_bytes(b'\r\n{"id": "a"}\r\n\t \r\n\n{"id": "b"}')

        assert ["a", "b"] == [e.id for e in io.load(path)]

    def test_suffixes(self, lines):
        """Both .jsonl and .ndjson are read, in any case."""
        for name in ("a.jsonl", "b.NDJSON", "c.JsonL"):
            lines(name, json.dumps({"id": name.partition(".")[0]}))

        loaded = io.load_all(["a.jsonl", "b.NDJSON", "c.JsonL"])

        assert ["a", "b", "c"] == [e.id for e in loaded]

    def test_byte_order_mark(self, lines):
        """A byte-order mark at the start of the file is passed over."""
        path = pathlib.Path("p.jsonl")
        lines("keep.txt", "")
        path.write_bytes(b'\xef\xbb\xbf{"id": "a"}\n')

        assert ["a"] == [e.id for e in io.load(path)]

    def test_version_key(self, lines):
        """``outsourcekit: 1`` may open each engagement; another version is an error."""
        path = lines(
            "p.jsonl",
            '{"outsourcekit": 1, "id": "a"}',
            '{"outsourcekit": 2, "id": "b"}',
        )

        assert [
            (
                "p.jsonl:2:18: outsourcekit: unknown format version 2: this "
                "outsourcekit reads version 1"
            )
        ] == issues_of(path)

    def test_empty_file(self, lines):
        """A file of blank lines is a portfolio of no engagement."""
        path = lines("p.jsonl", "", " ")

        assert [] == io.load(path)

    def test_same_engagements_as_json(self, lines):
        """A line holds exactly what a JSON engagement file would."""
        examples = ok.load(ok.examples_path())
        path = lines("p.jsonl", *(json.dumps(ok.to_dict(e)) for e in examples))

        assert examples == io.load(path)

    def test_directory(self, lines):
        """A directory's JSON Lines files are read with its other files."""
        lines("folder/a.yaml", "id: a")
        lines("folder/b.jsonl", '{"id": "b"}', '{"id": "c"}')

        assert ["a", "b", "c"] == [e.id for e in io.load("folder")]


class TestErrors:
    def test_value_error_names_file_line_column_and_path(self, lines):
        """A wrong value is located on its line, at its column, with its path."""
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b", "status": "actve"}')

        assert [
            (
                "p.jsonl:2:23: status: expected one of proposed | trial | active | "
                "paused | ended, got 'actve' (did you mean `active`?)"
            )
        ] == issues_of(path)

    def test_bad_lines_do_not_stop_the_others(self, lines):
        """Every line that loads is loaded; every one that does not is reported."""
        path = lines(
            "p.jsonl",
            '{"id": "a"}',
            "not json",
            '{"id": "b", "tasks": [{"nme": "x"}]}',
            '{"id": "c"}',
        )

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["a", "c"] == [e.id for e in info.value.loaded]
        assert [
            "p.jsonl:2:1: invalid JSON: Expecting value",
            "p.jsonl:3:24: tasks[0].nme: unknown key `nme`: did you mean `name`?",
        ] == [str(i) for i in info.value.issues]

    @pytest.mark.parametrize("end", ["\n", "\r\n"])
    def test_line_cut_off_is_located_on_itself(self, lines, end):
        """A line cut off is reported on its own line, at its end, not the next."""
        path = lines(
            "p.jsonl",
            '{"id": "a", "title": "x"}',
            '{"id": "t", "title": ',
            '{"id": "b", "title": "y"}',
            end=end,
        )

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["a", "b"] == [e.id for e in info.value.loaded]
        assert ["p.jsonl:2:22: invalid JSON: Expecting value"] == [
            str(i) for i in info.value.issues
        ]

    def test_last_line_cut_off_is_within_the_file(self, lines):
        """A last line cut off is reported at its end, not past the end of the file."""
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b", "tasks": [')

        assert ["p.jsonl:2:23: invalid JSON: Expecting value"] == issues_of(path)

    def test_line_cut_off_streamed(self, lines):
        """Read one engagement at a time, a line cut off is on its line too."""
        lines("p.jsonl", '{"id": "a", "status": ', '{"id": "b"}')

        stream = ok.iter_load("p.jsonl")

        assert ["b"] == [e.id for e in stream]
        assert ["p.jsonl:1:23: invalid JSON: Expecting value"] == [
            str(i) for i in stream.issues
        ]

    def test_carriage_return_alone_inside_a_line(self, lines):
        """A carriage return alone inside a line is white space of that line."""
        path = lines(
            "p.jsonl",
            '{"id": "a",\r"status": "x"}',
            '{"id": "b",\r"title": \r}',
            '{"id": "c", "x-a": {\r"k": 1,\r "k": 2}}',
        )

        assert [
            (
                "p.jsonl:1:23: status: expected one of proposed | trial | active | "
                "paused | ended, got 'x'"
            ),
            "p.jsonl:2:23: invalid JSON: Expecting value",
            (
                "p.jsonl:3:31: x-a.k: duplicate key `k`: a key may appear once in "
                "an object, it is first at line 3, column 22"
            ),
        ] == issues_of(path)

    def test_two_engagements_on_one_line(self, lines):
        """A line holding two values (a line feed lost) says what a line holds."""
        path = lines(
            "p.jsonl",
            '{"id": "a"}{"id": "b"}',
            '{"id": "c"} {"id": "d"}',
            '{"id": "e"}',
            '{"id": "f"} x',
        )

        with pytest.raises(LoadError) as info:
            io.load(path)

        said = (
            "invalid JSON: more text after the engagement, where the line should "
            "end: a JSON Lines file holds one engagement a line (is a line feed "
            "missing?)"
        )
        assert (
            [
                f"p.jsonl:1:12: {said}",
                f"p.jsonl:2:13: {said}",
                "p.jsonl:4:13: " + said.removesuffix(" (is a line feed missing?)"),
            ],
            ["e"],
        ) == ([str(i) for i in info.value.issues], [e.id for e in info.value.loaded])

    def test_carriage_returns_alone_end_no_line(self, lines):
        """A file whose lines end in a carriage return alone says so."""
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b"}', end="\r")

        assert [
            (
                "p.jsonl:1:13: invalid JSON: more text after the engagement, where "
                "the line should end: a JSON Lines file holds one engagement a line "
                "(is a line feed missing?); its lines end with a carriage return "
                "alone, which ends no line of JSON Lines: save the file with line "
                "feeds"
            )
        ] == issues_of(path)

    @pytest.mark.usefixtures("lines")
    def test_zero_bytes_are_named(self):
        """A zero byte between values, not in a string, is named where it is."""
        path = pathlib.Path("p.jsonl")
        path.write_bytes(b'\x00\x00\n{"id": "a",\x00"title": "t"}\n{"id": "b"}\n')

        with pytest.raises(LoadError) as info:
            io.load(path)

        found = (
            "the control character U+0000 (a zero byte), which JSON text does not hold"
        )
        assert (
            [
                f"p.jsonl:1:1: invalid JSON: Expecting value, found {found}",
                (
                    "p.jsonl:2:12: invalid JSON: Expecting property name enclosed "
                    f"in double quotes, found {found}"
                ),
            ],
            ["b"],
        ) == ([str(i) for i in info.value.issues], [e.id for e in info.value.loaded])

    def test_not_an_object(self, lines):
        """A line that is not a JSON object says what a line must hold."""
        path = lines("p.jsonl", "[1, 2]", '"a"')

        assert [
            (
                "p.jsonl:1:1: expected a JSON object: one engagement, with `id`, got a "
                "list ([1, 2])"
            ),
            "p.jsonl:2:1: expected a JSON object: one engagement, with `id`, got 'a'",
        ] == issues_of(path)

    def test_no_portfolio_on_a_line(self, lines):
        """A line holds one engagement: ``engagements`` is refused, at its key."""
        path = lines("p.jsonl", '{"engagements": [{"id": "a"}]}')

        assert [
            (
                "p.jsonl:1:2: engagements: a line of a JSON Lines file holds one "
                "engagement, not a portfolio: write each engagement on a line of "
                "its own"
            )
        ] == issues_of(path)

    def test_missing_id(self, lines):
        """An engagement without an id is reported at its line."""
        path = lines("p.jsonl", '{"title": "no id"}')

        [issue] = issues_of(path)

        assert issue.startswith("p.jsonl:1:")
        assert "`id`" in issue

    def test_key_written_twice_is_located_on_its_line(self, lines):
        """A key written twice names both places on the file's line."""
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b", "id": "c"}')

        assert [
            (
                "p.jsonl:2:13: id: duplicate key `id`: a key may appear once in an "
                "object, it is first at line 2, column 2"
            )
        ] == issues_of(path)

    def test_key_written_twice_in_a_free_value(self, lines):
        """A key written twice inside an ``x-`` value is found too."""
        path = lines("p.jsonl", '{"id": "a", "x-a": {"k": 1, "k": 2}}', '{"id": "b"}')

        assert [
            (
                "p.jsonl:1:29: x-a.k: duplicate key `k`: a key may appear once in an "
                "object, it is first at line 1, column 21"
            )
        ] == issues_of(path)

    def test_duplicate_id_names_both_lines(self, lines):
        """Ids are unique across the file; the second is reported with the first."""
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b"}', '{"id": "a"}')

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["a", "b"] == [e.id for e in info.value.loaded]
        assert [
            (
                "p.jsonl:3: id: duplicate id `a`: ids must be unique, it is also at "
                "p.jsonl:1"
            )
        ] == [str(i) for i in info.value.issues]

    def test_duplicate_id_beside_a_line_that_does_not_load(self, lines):
        """A line that does not load keeps its id: a duplicate is told with it."""
        path = lines(
            "p.jsonl",
            '{"id": "a", "status": "bogus"}',
            '{"id": "a"}',
            '{"id": "b"}',
            '{"id": "b", "end": 1}',
            '{"id": "a", "stauts": "active"}',
            "{not json",
        )

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["a", "b"] == [e.id for e in info.value.loaded]
        also = "ids must be unique, it is also at"
        assert [
            (
                "p.jsonl:1:23: status: expected one of proposed | trial | active "
                "| paused | ended, got 'bogus'"
            ),
            (
                "p.jsonl:4:20: end: expected a date in ISO 8601 form, like "
                "2026-03-01, got 1 (a number)"
            ),
            "p.jsonl:5:13: stauts: unknown key `stauts`: did you mean `status`?",
            (
                "p.jsonl:6:2: invalid JSON: Expecting property name enclosed in "
                "double quotes"
            ),
            f"p.jsonl:2: id: duplicate id `a`: {also} p.jsonl:1",
            f"p.jsonl:4: id: duplicate id `b`: {also} p.jsonl:3",
            f"p.jsonl:5: id: duplicate id `a`: {also} p.jsonl:1",
        ] == [str(i) for i in info.value.issues]

    def test_duplicate_id_beside_a_line_of_text_that_does_not_load(self):
        """Text read as JSON Lines tells a duplicate beside a bad line, as a file."""
        text = '{"id": "a", "status": "bogus"}\n{"id": "a"}\n{"id": "b"}\n'

        with pytest.raises(LoadError) as info:
            ok.loads(text, format="jsonl", source="p.jsonl")

        assert ["a", "b"] == [e.id for e in info.value.loaded]
        assert [
            (
                "p.jsonl:1:23: status: expected one of proposed | trial | active "
                "| paused | ended, got 'bogus'"
            ),
            (
                "p.jsonl:2: id: duplicate id `a`: ids must be unique, it is also at "
                "p.jsonl:1"
            ),
        ] == [str(i) for i in info.value.issues]

    def test_not_utf8(self, lines):
        """A line that is not UTF-8 is located at its byte; the next still loads."""
        path = pathlib.Path("p.jsonl")
        lines("keep.txt", "")
        path.write_bytes(b'{"id": "a", "title": "caf\xe9"}\n{"id": "b"}\n')

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["b"] == [e.id for e in info.value.loaded]
        assert [
            (
                "p.jsonl:1:26: the line is not UTF-8 text: byte 0xe9 cannot be read; "
                "save the file as UTF-8"
            )
        ] == [str(i) for i in info.value.issues]

    @pytest.mark.parametrize(
        ("encoding", "name", "how"),
        [
            ("utf-16", "UTF-16", "it starts with the byte-order mark of UTF-16"),
            ("utf-32", "UTF-32", "it starts with the byte-order mark of UTF-32"),
            ("utf-16-le", "UTF-16", "a zero byte beside each character"),
            ("utf-16-be", "UTF-16", "a zero byte beside each character"),
            ("utf-32-le", "UTF-32", "three zero bytes beside each character"),
        ],
    )
    @pytest.mark.usefixtures("lines")
    def test_wide_encoding_is_one_problem(self, encoding, name, how):
        """A file saved as UTF-16 or UTF-32 is named so once, not an error a line."""
        path = pathlib.Path("p.jsonl")
        text = "".join(f'{{"id": "e{n}", "title": "T"}}\n' for n in range(50))
        path.write_bytes(text.encode(encoding))

        assert [
            (
                f"p.jsonl:1:1: the file is not UTF-8 text: it is {name} ({how}); "
                "save the file as UTF-8"
            )
        ] == issues_of(path)

    @pytest.mark.parametrize(
        ("compress", "name"), [("gzip", "gzip"), ("bz2", "bzip2"), ("lzma", "xz")]
    )
    @pytest.mark.usefixtures("lines")
    def test_compressed_file_is_one_problem(self, compress, name):
        """A compressed file is named so once, not an error for each of its lines."""
        path = pathlib.Path("p.jsonl")
        text = "".join(f'{{"id": "e{n}", "title": "T{n * n}"}}\n' for n in range(500))
        data = __import__(compress).compress(text.encode())
        path.write_bytes(data)

        assert [
            (
                f"p.jsonl:1:1: the file is not text: it is compressed with {name}; "
                "decompress it first"
            )
        ] == issues_of(path)

    @pytest.mark.usefixtures("lines")
    def test_wide_encoding_in_parts(self):
        """Read in parts (--jobs), the file is named so once, by its first part."""
        path = pathlib.Path("p.jsonl")
        text = "".join(f'{{"id": "e{n}", "title": "T"}}\n' for n in range(50))
        path.write_bytes(text.encode("utf-16"))
        size = path.stat().st_size

        with path.open("rb") as file:
            found = [
                item
                for start, stop in (
                    (0, size // 3),
                    (size // 3, size // 2),
                    (size // 2, None),
                )
                for item in _jsonl.read_lines(file, part=(start, stop))
            ]

        assert [
            _jsonl.LineProblem(
                1,
                "the file is not UTF-8 text: it is UTF-16 (it starts with the "
                "byte-order mark of UTF-16); save the file as UTF-8",
                1,
            )
        ] == found

    @pytest.mark.parametrize(
        ("encoding", "name", "how"),
        [
            ("utf-16-le", "UTF-16", "a zero byte beside each character"),
            ("utf-16-be", "UTF-16", "a zero byte beside each character"),
            ("utf-32-le", "UTF-32", "three zero bytes beside each character"),
            ("utf-32-be", "UTF-32", "three zero bytes beside each character"),
        ],
    )
    @pytest.mark.usefixtures("lines")
    def test_wide_encoding_after_a_blank_line(self, encoding, name, how):
        """A first line too short to tell the encoding: the file's start tells it."""
        path = pathlib.Path("p.jsonl")
        text = "\n" + "".join(f'{{"id": "e{n}"}}\n' for n in range(20))
        path.write_bytes(text.encode(encoding))

        assert [
            (
                f"p.jsonl:1:1: the file is not UTF-8 text: it is {name} ({how}); "
                "save the file as UTF-8"
            )
        ] == issues_of(path)

    @pytest.mark.parametrize(
        "data",
        [
            ("\n" + "".join(f'{{"id": "e{n}"}}\n' for n in range(6))).encode(
                "utf-16-le"
            ),
            ("\r\n" + "".join(f'{{"id": "e{n}"}}\n' for n in range(6))).encode(
                "utf-16-be"
            ),
            b"\x00\n\x00" + b"".join(b'{"id": "e%d"}\n' % n for n in range(6)),
            b"\x00\n" + b"".join(b'{"id": "e%d"}\n' % n for n in range(6)),
            b"\x1f\n\x8b" + b"".join(b'{"id": "e%d"}\n' % n for n in range(6)),
            b"B\nZh" + b"".join(b'{"id": "e%d"}\n' % n for n in range(6)),
        ],
        ids=["utf-16-le", "utf-16-be", "zeros", "zero", "gzip-cut", "bz2-cut"],
    )
    def test_parts_read_as_the_whole(self, data):
        """However the file is cut in parts (--jobs), they read what the whole does."""
        whole = list(_jsonl.read_lines(stdio.BytesIO(data)))

        for cut in range(1, len(data)):
            file = stdio.BytesIO(data)
            parts = [
                *_jsonl.read_lines(file, part=(0, cut)),
                *_jsonl.read_lines(file, part=(cut, None)),
            ]
            assert (cut, whole) == (cut, parts)

    def test_line_too_long(self, lines, monkeypatch):
        """A line over the limit is reported and skipped; the lines after it load."""
        monkeypatch.setattr(_jsonl, "MAX_LINE_BYTES", 64)
        title = "x" * 100
        path = lines(
            "p.jsonl",
            '{"id": "a"}',
            json.dumps({"id": "b", "title": title}),
            '{"id": "c"}',
        )

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["a", "c"] == [e.id for e in info.value.loaded]
        assert [
            (
                "p.jsonl:2: the line is too long: 124 bytes, over the limit of 64 "
                "bytes for one engagement of a JSON Lines file"
            )
        ] == [str(i) for i in info.value.issues]

    def test_no_file_size_limit(self, lines, monkeypatch):
        """The file size limit does not apply: the file is read a line at a time."""
        monkeypatch.setattr(io, "MAX_FILE_BYTES", 16)
        path = lines("p.jsonl", '{"id": "a"}', '{"id": "b"}')

        assert ["a", "b"] == [e.id for e in io.load(path)]

    def test_nested_too_deep(self, lines):
        """A line nested too deep is a load error of its line, never a crash."""
        deep = '{"id": "a", "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
        path = lines("p.jsonl", deep, '{"id": "b"}')

        with pytest.raises(LoadError) as info:
            io.load(path)

        assert ["b"] == [e.id for e in info.value.loaded]
        [issue] = info.value.issues
        assert ("p.jsonl", 1, 122) == (issue.source, issue.line, issue.column)
        assert "nested too deeply" in issue.message

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
    @pytest.mark.usefixtures("lines")
    def test_fifo_is_refused(self):
        """A FIFO named .jsonl is refused by its type, never opened."""
        os.mkfifo("p.jsonl")

        assert [
            "p.jsonl: cannot be read: it is not a regular file (it is a FIFO)"
        ] == issues_of("p.jsonl")


class TestFindings:
    def test_findings_are_on_their_engagement_line(self, lines):
        """Each finding of an engagement is on its line, found without reading again."""
        path = lines(
            "p.jsonl",
            '{"id": "a", "status": "active"}',
            "",
            '{"id": "b", "status": "active", "start": "2026-01-05"}',
        )

        report = ok.check(io.load(path), as_of=dt.date(2026, 11, 22))

        assert report.findings
        expected = {"a": 1, "b": 3}
        assert all(f.line == expected[f.engagement] for f in report.findings)
        assert {"p.jsonl"} == {f.source for f in report.findings}


class TestReadLines:
    def test_counts_bytes(self):
        """The byte counter counts every byte read, blank lines included."""
        data = b'{"id": "a"}\n\n{"id": "b"}\n'
        counter = _jsonl.ByteCounter()

        found = list(_jsonl.read_lines(stdio.BytesIO(data), counter=counter))

        assert [1, 3] == [item.number for item in found]
        assert len(data) == counter.bytes

    def test_skips_a_long_line_without_keeping_it(self):
        """A line over the limit is passed over in parts, and its size reported."""
        data = b"x" * 50 + b"\n" + b'{"id": "a"}\n'

        found = list(_jsonl.read_lines(stdio.BytesIO(data), limit=20))

        assert [
            _jsonl.LineProblem(
                1,
                "the line is too long: 50 bytes, over the limit of 20 bytes for "
                "one engagement of a JSON Lines file",
            ),
            _jsonl.Line(2, '{"id": "a"}\n'),
        ] == found


class TestDiscovery:
    def test_walk_reads_a_portfolio(self, lines):
        """A .jsonl whose first line is an engagement is read while walking."""
        lines("folder/p.jsonl", "", '{"id": "a"}')

        found = discover(["folder"])

        assert [pathlib.Path("folder/p.jsonl")] == list(found.files)

    def test_walk_skips_what_is_no_portfolio(self, lines):
        """Reports, other data and empty files are skipped, each with its reason."""
        finding = {"rule": "OSK601", "engagement": "a", "message": "m"}
        lines("folder/findings.jsonl", json.dumps(finding))
        lines("folder/summary.jsonl", json.dumps({"summary": {}}))
        lines("folder/events.jsonl", '{"event": "click"}')
        lines("folder/numbers.jsonl", "[1, 2]")
        lines("folder/empty.ndjson", "")

        found = discover(["folder"])

        assert [] == list(found.files)
        assert {
            ("folder/empty.ndjson", "empty"),
            (
                "folder/events.jsonl",
                "not an engagement file: no key of the file format on its first line",
            ),
            ("folder/findings.jsonl", "a report outsourcekit wrote"),
            (
                "folder/numbers.jsonl",
                "not an engagement file: its first line is not a JSON object",
            ),
            ("folder/summary.jsonl", "a report outsourcekit wrote"),
        } == {(pathlib.Path(s.path).as_posix(), s.reason) for s in found.skipped}

    def test_walk_reads_what_it_cannot_tell(self, lines):
        """A file whose first line is not JSON is read, so that its error shows."""
        lines("folder/broken.jsonl", "{not json")

        assert [pathlib.Path("folder/broken.jsonl")] == list(discover(["folder"]).files)

    def test_sniffing_reads_only_the_first_line(self, lines):
        """Discovery stops at the first line that is not blank."""
        path = lines("p.jsonl", "", '{"id": "a"}', "{broken")

        assert {"id": "a"} == _jsonl.first_value(path)
        assert _jsonl.EMPTY is _jsonl.first_value(lines("e.jsonl", ""))
        assert _jsonl.UNREADABLE is _jsonl.first_value("missing.jsonl")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")
class TestCommandLine:
    def test_check_reads_jsonl(self, lines):
        """``outsourcekit check`` reads a JSON Lines portfolio, errors by line."""
        from click.testing import CliRunner

        from outsourcekit.cli import cli

        lines(
            "p.jsonl", '{"id": "a", "status": "active"}', '{"id": "b", "status": "x"}'
        )

        result = CliRunner().invoke(
            cli, ["check", "p.jsonl", "--format", "concise", "--as-of", "2026-11-22"]
        )

        assert 2 == result.exit_code
        assert "p.jsonl:2: error load-error status: expected one of" in result.output
        assert "p.jsonl:1: " in result.output


def example_files():
    """Return the repository's example engagement files, sorted."""
    folder = ROOT / "examples" / "engagements"
    suffixes = {".yaml", ".yml", ".json", ".toml"}
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes)


class TestDump:
    @pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".JSONL"])
    def test_dump_by_suffix(self, tmp_path, suffix):
        """``dump`` writes one engagement per line, which loads back equal."""
        examples = ok.load(ok.examples_path())
        path = tmp_path / f"p{suffix}"

        ok.dump(examples, path)

        text = path.read_text(encoding="utf-8")
        assert [{"outsourcekit": 1, **ok.to_dict(e)} for e in examples] == [
            json.loads(line) for line in text.splitlines()
        ]
        assert text.endswith("}\n")
        assert examples == ok.load(path)

    def test_dumps(self, tmp_path):
        """``dumps`` in ``jsonl`` gives the text ``dump`` writes."""
        examples = ok.load(ok.examples_path())
        path = tmp_path / "p.jsonl"

        ok.dump(examples, path)

        assert path.read_text(encoding="utf-8") == ok.dumps(examples, "jsonl")

    def test_one_engagement_is_one_line(self):
        """An engagement is written as one line, its version first, x- keys kept."""
        eng = Engagement(
            id="a",
            title="Zürich\u2028bookkeeping",
            vendor=Vendor(name="V", extensions={"x-crm": {"owner": None}}),
        )

        text = ok.dumps(eng, format="jsonl")

        assert (
            '{"outsourcekit": 1, "id": "a", "title": "Zürich\u2028bookkeeping", '
            '"vendor": {"name": "V", "x-crm": {"owner": null}}}\n'
        ) == text

    def test_format_given(self, tmp_path):
        """The format given wins over the suffix."""
        path = tmp_path / "out.txt"

        ok.dump([Engagement(id="a"), Engagement(id="b")], path, format="jsonl")

        assert '{"outsourcekit": 1, "id": "a"}\n{"outsourcekit": 1, "id": "b"}\n' == (
            path.read_text(encoding="utf-8")
        )

    def test_written_as_utf8(self, tmp_path):
        """The file is UTF-8, whatever the machine's encoding, with line feeds."""
        path = tmp_path / "p.jsonl"

        ok.dump([Engagement(id="a", title="Ωmega")], path)

        assert b'{"outsourcekit": 1, "id": "a", "title": "\xce\xa9mega"}\n' == (
            path.read_bytes()
        )

    def test_no_engagement(self, tmp_path):
        """No engagement is an empty file, read back as an empty portfolio."""
        path = tmp_path / "p.jsonl"

        ok.dump([], path)

        assert ("", []) == (path.read_text(encoding="utf-8"), ok.load(path))

    def test_engagements_given_one_at_a_time(self, tmp_path):
        """Engagements read one at a time are written as they come."""
        folder = tmp_path / "folder"
        folder.mkdir()
        for name in "abc":
            (folder / f"{name}.yaml").write_text(f"id: {name}\n", encoding="utf-8")
        path = tmp_path / "p.jsonl"

        ok.dump(ok.iter_load(folder), path)

        assert ["a", "b", "c"] == [e.id for e in ok.load(path)]

    def test_engagements_given_one_at_a_time_are_let_go(self, tmp_path):
        """Each engagement given one at a time is let go once written: none piles up."""
        given: list[weakref.ref[Engagement]] = []
        held: list[int] = []

        def engagements():
            for number in range(5):
                gc.collect()
                held.append(sum(engagement() is not None for engagement in given))
                engagement = Engagement(id=f"e{number}")
                given.append(weakref.ref(engagement))
                yield engagement
                del engagement

        ok.dump(engagements(), tmp_path / "p.jsonl")

        assert [0, 1, 1, 1, 1] == held


class TestDumpErrors:
    def test_refuses_what_is_no_engagement_one_at_a_time(self, tmp_path):
        """Something else among engagements given one at a time is refused too."""
        target = tmp_path / "out.jsonl"
        given = (e for e in [Engagement(id="a"), "b"])

        with pytest.raises(TypeError) as caught:
            io.dump(given, target)

        assert (
            "expected an Engagement or a sequence of engagements, got 'b' at index 1"
        ) == str(caught.value)
        assert [] == list(tmp_path.iterdir())

    def test_unknown_format(self):
        """An unknown format is refused, naming the formats there are."""
        with pytest.raises(ValueError, match=r"^(format|cannot write)") as caught:
            ok.dumps(Engagement(id="a"), format="ndjson")

        assert (
            "format: expected one of 'yaml', 'json', 'toml', 'jsonl', got 'ndjson'"
        ) == str(caught.value)

    def test_unknown_suffix(self, tmp_path):
        """Without a format, a suffix naming none is refused, naming the suffixes."""
        with pytest.raises(ValueError, match=r"^(format|cannot write)") as caught:
            ok.dump(Engagement(id="a"), tmp_path / "out.txt")

        assert str(caught.value).endswith(
            "'; expected a .yaml, .yml, .json, .toml, .jsonl or .ndjson file, or "
            "format='yaml', 'json', 'toml' or 'jsonl'"
        )

    def test_infinity_refused(self):
        """JSON has no number for infinity: refused, naming the engagement and path."""
        engs = [Engagement(id="a"), Engagement(id="b", extensions={"x-a": [math.inf]})]

        with pytest.raises(ValueError, match=r"^(format|cannot write)") as caught:
            ok.dumps(engs, "jsonl")

        assert (
            "cannot write engagement 'b' as JSON Lines: x-a[0] is inf, which JSON "
            "has no number for (write it as YAML or TOML)"
        ) == str(caught.value)

    def test_dates_in_x_values_refused(self):
        """JSON has no dates: one in an x- value (read from TOML) is refused."""
        eng = Engagement(
            id="a", vendor=Vendor(extensions={"x-meet": ["Mon", dt.time(8, 30)]})
        )

        with pytest.raises(ValueError, match=r"^(format|cannot write)") as caught:
            ok.dumps([eng], "jsonl")

        assert (
            "cannot write engagement 'a' as JSON Lines: vendor.x-meet[1] is the "
            "time 08:30:00, and JSON has no times (write it as TOML, or as text)"
        ) == str(caught.value)

    def test_half_a_character_refused(self):
        """Half a surrogate pair is no character: refused, naming the path."""
        with pytest.raises(ValueError, match=r"^(format|cannot write)") as caught:
            ok.dumps(Engagement(id="a", title="x\ud800y"), "jsonl")

        assert (
            "cannot write engagement 'a': title holds 'x\\ud800y', with half of a "
            "surrogate pair, which is no character a file can hold"
        ) == str(caught.value)

    def test_failed_dump_leaves_the_file_as_it_was(self, tmp_path):
        """A dump that fails part of the way leaves no file, or the old one whole."""
        path = tmp_path / "p.jsonl"
        engs = [Engagement(id="a"), Engagement(id="b", extensions={"x-n": math.nan})]

        with pytest.raises(ValueError, match="x-n is nan"):
            ok.dump(engs, path)
        assert [] == list(tmp_path.iterdir())

        path.write_text('{"id": "old"}\n', encoding="utf-8")
        with pytest.raises(ValueError, match="x-n is nan"):
            ok.dump(engs, path)
        assert ([path], '{"id": "old"}\n') == (
            list(tmp_path.iterdir()),
            path.read_text(encoding="utf-8"),
        )

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and links")
    def test_file_replaced_keeps_its_permissions_and_links(self, tmp_path):
        """A file written over keeps its permissions; a link to it stays a link."""
        path = tmp_path / "p.jsonl"
        path.write_text("", encoding="utf-8")
        path.chmod(0o640)
        link = tmp_path / "link.jsonl"
        link.symlink_to(path.name)

        ok.dump([Engagement(id="a")], link)

        assert (0o640, True) == (path.stat().st_mode & 0o777, link.is_symlink())
        assert ["a"] == [e.id for e in ok.load(path)]
        assert {"p.jsonl", "link.jsonl"} == {p.name for p in tmp_path.iterdir()}

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
    def test_no_regular_file_written_in_place(self, tmp_path):
        """What is no regular file, such as a named pipe, is written to as it is."""
        pipe = tmp_path / "pipe.jsonl"
        os.mkfifo(pipe)
        read = []
        reader = threading.Thread(target=lambda: read.append(pipe.read_bytes()))
        reader.start()

        ok.dump([Engagement(id="a")], pipe)

        reader.join(10)
        assert [b'{"outsourcekit": 1, "id": "a"}\n'] == read
        assert stat.S_ISFIFO(pipe.stat().st_mode)

    def test_read_only_file_kept(self, tmp_path, monkeypatch):
        """A file that cannot be written is refused, as writing it would be."""
        path = tmp_path / "p.jsonl"
        path.write_text('{"id": "old"}\n', encoding="utf-8")
        access = os.access
        monkeypatch.setattr(
            os,
            "access",
            lambda name, mode, **kw: (
                False if pathlib.Path(name) == path else access(name, mode, **kw)
            ),
        )

        with pytest.raises(PermissionError) as caught:
            ok.dump([Engagement(id="a")], path)

        assert str(path) == caught.value.filename
        assert ([path], '{"id": "old"}\n') == (
            list(tmp_path.iterdir()),
            path.read_text(encoding="utf-8"),
        )

    def test_file_in_read_only_folder(self, tmp_path, monkeypatch):
        """A file whose folder refuses the new file is kept; the error says why."""
        path = tmp_path / "p.jsonl"
        path.write_text('{"id": "old"}\n', encoding="utf-8")
        opened = os.open

        def refuse_new_files(name, flags, *args):
            if str(name).endswith(".part"):
                raise PermissionError(13, "Permission denied", name)
            return opened(name, flags, *args)

        monkeypatch.setattr(os, "open", refuse_new_files)

        with pytest.raises(PermissionError) as caught:
            ok.dump([Engagement(id="a")], path)

        assert (
            "[Errno 13] Permission denied: its folder cannot be written (the dump "
            "writes a new file there, which replaces this one once written in "
            f"full): {str(path)!r}"
        ) == str(caught.value)
        assert '{"id": "old"}\n' == path.read_text(encoding="utf-8")

    def test_missing_folder(self, tmp_path):
        """A folder that does not exist is the error writing the file gives."""
        path = tmp_path / "no" / "p.jsonl"

        with pytest.raises(FileNotFoundError) as caught:
            ok.dump([Engagement(id="a")], path)

        assert str(path) == caught.value.filename


class TestRoundTrip:
    @settings(max_examples=30)
    @given(portfolios())
    def test_portfolio(self, tmp_path_factory, engagements):
        """A portfolio dumped as JSON Lines and loaded is the same list."""
        path = tmp_path_factory.mktemp("dump") / "p.jsonl"

        ok.dump(engagements, path)

        assert engagements == ok.load(path)

    @given(engagements())
    def test_text(self, engagement):
        """An engagement dumped as JSON Lines text loads back, as a portfolio."""
        assert [engagement] == io.loads(io.dumps(engagement, "jsonl"), "jsonl")

    @pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
    def test_examples(self, path, tmp_path):
        """Every example file dumps as JSON Lines and loads back equal."""
        loaded = io.load(path)
        portfolio = loaded if isinstance(loaded, list) else [loaded]
        target = tmp_path / "p.ndjson"

        io.dump(loaded, target)

        assert portfolio == io.load(target)


class TestLoads:
    def test_lines_of_text(self):
        """Text in ``jsonl`` is read a line at a time, as a JSON Lines file."""
        text = '{"id": "a"}\n\n{"outsourcekit": 1, "id": "b"}'

        assert ["a", "b"] == [e.id for e in ok.loads(text, "jsonl")]

    def test_errors_name_the_line(self):
        """A load error names the source and the line of its engagement."""
        text = '{"id": "a"}\n{"id": "b", "status": "actve"}\n{"id": "a"}\n'

        with pytest.raises(LoadError) as caught:
            ok.loads(text, "jsonl", source="crm")

        assert [
            (
                "crm:2:23: status: expected one of proposed | trial | active | "
                "paused | ended, got 'actve' (did you mean `active`?)"
            ),
            "crm:3: id: duplicate id `a`: ids must be unique, it is also at crm:1",
        ] == [str(issue) for issue in caught.value.issues]
        assert ["a"] == [e.id for e in caught.value.loaded]

    def test_findings_are_on_their_engagement_line(self):
        """A finding of an engagement read from text is on its line of the text."""
        examples = ok.load(ok.examples_path())

        loaded = ok.loads(ok.dumps(examples, "jsonl"), "jsonl", source="crm")
        report = ok.check(loaded, as_of="2026-11-22")

        lines = {e.id: number for number, e in enumerate(examples, 1)}
        assert report.findings
        assert [("crm", lines[f.engagement]) for f in report.findings] == [
            (f.source, f.line) for f in report.findings
        ]

    def test_unknown_format(self):
        """An unknown format is refused, naming the formats there are."""
        with pytest.raises(ValueError, match=r"^format") as caught:
            ok.loads('{"id": "a"}', "ndjson")

        assert (
            "format: expected one of 'yaml', 'json', 'toml', 'jsonl', got 'ndjson'"
        ) == str(caught.value)


class _CountingFile(stdio.FileIO):
    """A file that counts the bytes read from it (its readline reads with read)."""

    read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data


class TestPartsCountedOnce:
    def test_later_parts_count_from_the_last_part(self, tmp_path):
        """Parts read in order count the lines before each from the part before."""
        path = tmp_path / "big.jsonl"
        data = b"".join(b'{"id": "e%d"}\n' % i for i in range(20_000))
        path.write_bytes(data)
        size = len(data)
        cuts = [size * i // 10 for i in range(11)]
        counted = []
        numbers = []
        for start, stop in itertools.pairwise(cuts):
            with _CountingFile(path) as file:
                lines = list(_jsonl.read_lines(file, part=(start, stop)))
                counted.append(file.read_bytes)
                numbers.append(lines[0].number)

        starts = [0 if c == 0 else data.index(b"\n", c - 1) + 1 for c in cuts[:-1]]
        assert numbers == [data.count(b"\n", 0, at) + 1 for at in starts]
        # Each part reads itself and the part before it, not the file up to it.
        assert max(counted) < 3 * size // 10
