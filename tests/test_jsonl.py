"""Tests for JSON Lines portfolios: one engagement on each line of a file."""

from __future__ import annotations

import datetime as dt
import io as stdio
import itertools
import json
import os
import pathlib
import sys

import pytest

import outsourcekit as ok
from outsourcekit import _jsonl, io
from outsourcekit._discover import discover
from outsourcekit.io import LoadError


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
