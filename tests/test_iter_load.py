"""Tests for reading engagements one at a time: ``outsourcekit.iter_load``."""

from __future__ import annotations

import gc
import itertools
import json
import pathlib
import tracemalloc
import weakref

import pytest

import outsourcekit as ok
from outsourcekit import io
from outsourcekit.io import LoadError, is_duplicate_id_issue


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Return a function writing a file in a temporary working directory."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> pathlib.Path:
        path = pathlib.Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def jsonl(*items: dict) -> str:
    """Return *items* as JSON Lines text."""
    return "".join(json.dumps(item) + "\n" for item in items)


class TestStream:
    def test_gives_engagements_in_order(self, folder):
        """Files, directories and JSON Lines files are read in the order given."""
        folder("one.yaml", "id: one")
        folder("dir/b.yaml", "id: b")
        folder("dir/a.jsonl", jsonl({"id": "a1"}, {"id": "a2"}))
        folder("last.jsonl", jsonl({"id": "z"}))

        stream = ok.iter_load(["one.yaml", "dir", "last.jsonl"])

        assert ["one", "a1", "a2", "b", "z"] == [e.id for e in stream]
        assert 5 == stream.loaded
        assert [] == list(stream.issues)

    def test_one_path(self, folder):
        """A single path may be given as it is."""
        folder("p.jsonl", jsonl({"id": "a"}))

        assert ["a"] == [e.id for e in ok.iter_load("p.jsonl")]

    def test_reads_lazily(self, folder):
        """Nothing is read before the first engagement, and a line at a time after."""
        folder("p.jsonl", jsonl(*({"id": f"e{i}"} for i in range(100))))

        stream = ok.iter_load("p.jsonl")
        assert (0, None) == (stream.bytes_read, stream.bytes_total)

        first = next(stream)

        assert "e0" == first.id
        assert stream.bytes_total == pathlib.Path("p.jsonl").stat().st_size
        assert 0 < stream.bytes_read < stream.bytes_total
        stream.close()

    def test_counts_bytes_to_the_end(self, folder):
        """Once consumed, every byte of every file has been counted."""
        folder("a.yaml", "id: a\n")
        folder("b.jsonl", jsonl({"id": "b"}) + "\n\n")

        stream = ok.iter_load(["a.yaml", "b.jsonl"])
        list(stream)

        assert stream.bytes_total == stream.bytes_read

    def test_chunks(self, folder):
        """Chunks hold the given number of engagements, the last the rest."""
        folder("p.jsonl", jsonl(*({"id": f"e{i}"} for i in range(7))))

        sizes = [len(chunk) for chunk in ok.iter_load("p.jsonl").chunks(3)]

        assert [3, 3, 1] == sizes

    @pytest.mark.parametrize("size", [0, -1, 1.5, True])
    def test_chunk_size_must_be_positive(self, folder, size):
        """A chunk size that is not a whole number of at least 1 is refused."""
        folder("p.jsonl", jsonl({"id": "a"}))

        with pytest.raises(
            ValueError, match="size: expected a whole number of at least 1"
        ):
            next(ok.iter_load("p.jsonl").chunks(size))

    def test_close_ends_the_stream(self, folder):
        """A closed stream gives no more engagements, and its file is closed."""
        folder("p.jsonl", jsonl({"id": "a"}, {"id": "b"}))

        with ok.iter_load("p.jsonl") as stream:
            assert "a" == next(stream).id

        assert [] == list(stream)

    def test_a_file_named_twice_is_read_once(self, folder):
        """A file named directly and through its folder is read once."""
        folder("dir/p.jsonl", jsonl({"id": "a"}))

        stream = ok.iter_load(["dir/p.jsonl", "dir"])

        assert ["a"] == [e.id for e in stream]
        assert [] == list(stream.issues)


class TestIssues:
    def test_bad_input_does_not_stop_the_stream(self, folder):
        """Bad lines and bad files are recorded; everything after them is read."""
        folder("a.jsonl", jsonl({"id": "a"}) + "{broken\n" + jsonl({"id": "b"}))
        folder("bad.yaml", "id: [unclosed\n")
        folder("c.yaml", "id: c")

        stream = ok.iter_load(["a.jsonl", "missing.yaml", "bad.yaml", "c.yaml"])

        assert ["a", "b", "c"] == [e.id for e in stream]
        assert [
            ("a.jsonl", 2),
            ("missing.yaml", None),
            ("bad.yaml", 2),
        ] == [(i.source, i.line) for i in stream.issues]
        assert "no such file or directory" == stream.issues[1].message

    def test_empty_path(self, folder):
        """An empty path is an issue, not the working directory; the stream goes on."""
        folder("c.yaml", "id: c")

        stream = ok.iter_load(["", "c.yaml"])

        assert ["c"] == [e.id for e in stream]
        assert ['"": an empty path names no file or folder'] == [
            str(i) for i in stream.issues
        ]

    def test_name_too_long(self, folder):
        """A path longer than the system takes is an issue; the stream goes on."""
        folder("c.yaml", "id: c")
        long = "x" * 300 + ".yaml"

        stream = ok.iter_load([long, "c.yaml"])

        assert ["c"] == [e.id for e in stream]
        assert [(long, "file name too long")] == [
            (i.source, i.message) for i in stream.issues
        ]

    def test_issues_grow_as_the_stream_is_read(self, folder):
        """The issues are a live view: handed in early, they hold every later one."""
        folder("p.jsonl", jsonl({"id": "a"}) + "[]\n")

        stream = ok.iter_load("p.jsonl")
        issues = stream.issues
        assert 0 == len(issues)

        list(stream)

        assert 1 == len(issues)
        assert issues == list(stream.issues)
        assert "p.jsonl" == issues[0].source

    def test_raise_for_issues(self, folder):
        """raise_for_issues raises a LoadError listing every issue, if any."""
        folder("good.jsonl", jsonl({"id": "a"}))
        folder("bad.jsonl", jsonl({"id": "b", "status": "x"}))

        good = ok.iter_load("good.jsonl")
        list(good)
        good.raise_for_issues()
        bad = ok.iter_load("bad.jsonl")
        list(bad)

        with pytest.raises(LoadError) as info:
            bad.raise_for_issues()
        assert [("bad.jsonl", 1, "status")] == [
            (i.source, i.line, i.path) for i in info.value.issues
        ]

    def test_duplicate_ids_across_files(self, folder):
        """An id seen before is reported with both places and not given again."""
        folder("a.yaml", "outsourcekit: 1\nid: x\n")
        folder("p.jsonl", jsonl({"id": "y"}, {"id": "x"}))
        folder("q.jsonl", jsonl({"id": "y"}))

        stream = ok.iter_load(["a.yaml", "p.jsonl", "q.jsonl"])

        assert ["x", "y"] == [e.id for e in stream]
        assert [
            (
                "p.jsonl:2: id: duplicate id `x`: ids must be unique, it is also at "
                "a.yaml:2:5"
            ),
            (
                "q.jsonl:1: id: duplicate id `y`: ids must be unique, it is also at "
                "p.jsonl:1"
            ),
        ] == [str(i) for i in stream.issues]

    def test_duplicate_ids_beside_lines_that_do_not_load(self, folder):
        """A line that does not load keeps its id, in the file and after it.

        Its id read before makes it a duplicate, and so does the id of the
        first engagement that only such lines had before (it is still given);
        each names the first place the id was read. As load_all, in the order
        read.
        """
        folder("a.yaml", "outsourcekit: 1\nid: x\n")
        folder("p.jsonl", jsonl({"id": "x", "end": 1}, {"id": "y", "end": 1}))
        folder("q.jsonl", jsonl({"id": "y"}, {"id": "y", "end": 1}))

        stream = ok.iter_load(["a.yaml", "p.jsonl", "q.jsonl"])

        assert ["x", "y"] == [e.id for e in stream]
        end = "end: expected a date in ISO 8601 form, like 2026-03-01, got 1"
        also = "ids must be unique, it is also at"
        assert [
            f"p.jsonl:1:20: {end} (a number)",
            f"p.jsonl:1: id: duplicate id `x`: {also} a.yaml:2:5",
            f"p.jsonl:2:20: {end} (a number)",
            f"q.jsonl:1: id: duplicate id `y`: {also} p.jsonl:2",
            f"q.jsonl:2:20: {end} (a number)",
            f"q.jsonl:2: id: duplicate id `y`: {also} p.jsonl:2",
        ] == [str(i) for i in stream.issues]
        with pytest.raises(LoadError) as info:
            ok.load_all(["a.yaml", "p.jsonl", "q.jsonl"])
        assert sorted(stream.issues, key=is_duplicate_id_issue) == list(
            info.value.issues
        )

    def test_duplicate_ids_in_portfolios(self, folder):
        """A duplicate inside a YAML portfolio names the line of each id."""
        folder(
            "p.yaml",
            "engagements:\n  - id: a\n  - id: b\n",
        )
        folder("q.yaml", "engagements:\n  - id: c\n  - id: b\n")

        stream = ok.iter_load(["p.yaml", "q.yaml"])

        assert ["a", "b", "c"] == [e.id for e in stream]
        assert [
            (
                "q.yaml:3:9: id: duplicate id `b`: ids must be unique, it is also at "
                "p.yaml:3:9"
            )
        ] == [str(i) for i in stream.issues]

    def test_many_duplicates_read_each_file_once(self, folder, located_reads):
        """Many ids seen before cost one located read of each file, not one each.

        Each duplicate used to read its file, and the file of the id seen
        first, in full with locations: two portfolios with the same 2,000
        engagements took minutes.
        """
        items = "".join(f"  - id: e{i}\n    title: t\n" for i in range(40))
        folder("p.yaml", f"engagements:\n{items}")
        folder("q.yaml", f"engagements:\n{items}")
        folder("r.yaml", f"engagements:\n{items}")
        stream = ok.iter_load(["p.yaml", "q.yaml", "r.yaml"])

        assert 40 == len(list(stream))
        assert 80 == len(stream.issues)
        assert (
            "r.yaml:80:9: id: duplicate id `e39`: ids must be unique, it is also "
            "at p.yaml:80:9"
        ) == str(stream.issues[-1])
        # q.yaml and r.yaml once each, p.yaml once for each of them.
        assert ["p.yaml", "p.yaml", "q.yaml", "r.yaml"] == sorted(located_reads)

    def test_many_duplicates_in_json_lines_read_the_first_file_once(
        self, folder, located_reads
    ):
        """Lines of JSON Lines repeating a portfolio's ids read it once in all."""
        items = "".join(f"  - id: e{i}\n" for i in range(30))
        folder("p.yaml", f"engagements:\n{items}")
        folder("q.jsonl", jsonl(*({"id": f"e{i}"} for i in range(30))))
        stream = ok.iter_load(["p.yaml", "q.jsonl"])

        assert 30 == len(list(stream))
        assert (
            "q.jsonl:30: id: duplicate id `e29`: ids must be unique, it is also "
            "at p.yaml:31:9"
        ) == str(stream.issues[-1])
        assert ["p.yaml"] == located_reads

    def test_files_read_with_locations_are_not_all_kept(self, folder, monkeypatch):
        """Where a file's ids are is kept, not the file read with locations.

        A read with locations takes many times the file's memory: lines of
        JSON Lines repeating the ids of several portfolios, in any order,
        read each portfolio once and hold one such read at a time.
        """
        for name in "pqr":
            items = "".join(f"  - id: {name}{i}\n" for i in range(10))
            folder(f"{name}.yaml", f"engagements:\n{items}")
        again = ({"id": f"{name}{i}"} for i in range(10) for name in "pqr")
        folder("all.jsonl", jsonl(*again))
        reads: list[weakref.ref[object]] = []
        most: list[int] = []
        real = io.parse

        def counted(text, fmt, *args, **kwargs):
            parsed = real(text, fmt, *args, **kwargs)
            if kwargs.get("locations"):
                gc.collect()
                most.append(sum(read() is not None for read in reads))
                reads.append(weakref.ref(parsed))
            return parsed

        monkeypatch.setattr(io, "parse", counted)
        stream = ok.iter_load(["p.yaml", "q.yaml", "r.yaml", "all.jsonl"])

        assert 30 == len(list(stream))
        assert (
            "all.jsonl:30: id: duplicate id `r9`: ids must be unique, it is also "
            "at r.yaml:11:9"
        ) == str(stream.issues[-1])
        assert ([0, 0, 0], 3) == (most, len(reads))

    def test_same_as_load_all(self, folder):
        """The stream gives what load_all gives, with the same issues."""
        folder("dir/a.yaml", "id: a\nstatus: actve\n")
        folder("dir/b.jsonl", jsonl({"id": "b"}, {"id": "c", "start": "soon"}))

        with pytest.raises(LoadError) as info:
            ok.load_all(["dir"])
        stream = ok.iter_load(["dir"])

        assert info.value.loaded == list(stream)
        assert sorted(map(str, info.value.issues)) == sorted(map(str, stream.issues))


class TestHook:
    def test_on_loaded_sees_each_engagement(self, folder):
        """Each engagement given has passed through the load hook."""
        folder("p.jsonl", jsonl({"id": "a"}, {"id": "b"}))

        seen = []

        def hook(engagement):
            seen.append(engagement.id)
            return ok.evolve(engagement, title=engagement.id.upper())

        stream = io.iter_load("p.jsonl", on_loaded=hook)

        assert ["A", "B"] == [e.title for e in stream]
        assert ["a", "b"] == seen


def realistic_lines(count: int):
    """Yield *count* engagements as JSON lines: the bundled examples, ids varied."""
    examples = [ok.to_dict(e) for e in ok.load(ok.examples_path())]
    for number in range(count):
        item = dict(examples[number % len(examples)])
        item["id"] = f"{item['id']}-{number:06d}"
        yield json.dumps(item) + "\n"


def peak_while_streaming(path: pathlib.Path, chunk: int) -> int:
    """Return the peak memory of reading *path* in chunks of *chunk*, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        count = 0
        for part in ok.iter_load(path).chunks(chunk):
            count += len(part)
            del part
            # What Python's allocator keeps for reuse is not the stream's.
            gc.collect()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count > 0
    return peak


class TestMemory:
    def test_peak_does_not_grow_with_the_portfolio(self, tmp_path):
        """Reading four times as many engagements in the same chunks peaks alike."""
        small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
        small.write_text("".join(realistic_lines(150)), encoding="utf-8")
        large.write_text("".join(realistic_lines(600)), encoding="utf-8")
        ok.load(ok.examples_path())  # converters built before measuring

        ratio = peak_while_streaming(large, 60) / peak_while_streaming(small, 60)

        assert ratio < 1.3


class TestParts:
    def test_parts_read_each_line_once(self, folder):
        """Cut at any offsets, a file's parts give every line once, numbered alike."""
        text = jsonl(*({"id": f"e{i}", "title": "x" * (i % 7)} for i in range(40)))
        path = folder("p.jsonl", "\n" + text.replace('{"id": "e9"', '\n{"id": "e9"'))
        size = path.stat().st_size
        whole = [(e.id, e.origin.line) for e in ok.iter_load(path)]

        for count in (2, 3, 7, size):
            cuts = [size * i // count for i in range(count + 1)]
            parts = [
                [(e.id, e.origin.line) for e in ok.iter_load(path, part=(a, b))]
                for a, b in itertools.pairwise(cuts)
            ]

            assert whole == [item for part in parts for item in part]

    def test_parts_in_any_order(self, folder):
        """Parts read out of order, again and again, are numbered as in the file."""
        text = jsonl(*({"id": f"e{i}", "title": "y" * (i % 5)} for i in range(30)))
        path = folder("q.jsonl", text)
        size = path.stat().st_size
        whole = {e.id: e.origin.line for e in ok.iter_load(path)}
        cuts = [size * i // 6 for i in range(7)]
        order = [4, 1, 5, 0, 3, 2, 4, 0]

        for i in order:
            part = ok.iter_load(path, part=(cuts[i], cuts[i + 1]))

            assert all(whole[e.id] == e.origin.line for e in part)

    def test_a_changed_file_is_counted_afresh(self, folder):
        """A file rewritten between two reads of a part gives the new numbers."""
        path = folder("r.jsonl", jsonl({"id": "a"}, {"id": "b"}, {"id": "c"}))
        start = len(jsonl({"id": "a"}))
        first = [(e.id, e.origin.line) for e in ok.iter_load(path, part=(start, None))]
        path.write_text("\n\n" + jsonl({"id": "a"}, {"id": "b"}), encoding="utf-8")

        again = [(e.id, e.origin.line) for e in ok.iter_load(path, part=(start, None))]

        assert first == [("b", 2), ("c", 3)]
        assert again == [("b", 4)]

    def test_part_to_the_end(self, folder):
        """A part without an end reads to the end of the file."""
        path = folder("p.jsonl", jsonl({"id": "a"}, {"id": "b"}, {"id": "c"}))
        start = len(jsonl({"id": "a"})) + 3

        stream = ok.iter_load(path, part=(start, None))

        assert [("c", 3)] == [(e.id, e.origin.line) for e in stream]
        assert stream.bytes_total == path.stat().st_size - start

    def test_errors_name_the_line_of_the_whole_file(self, folder):
        """A line that does not load in a part is located in the whole file."""
        path = folder("p.jsonl", jsonl({"id": "a"}, {"id": "b"}) + "[]\n")

        stream = ok.iter_load(path, part=(5, None))
        ids = [e.id for e in stream]

        assert ["b"] == ids
        assert [("p.jsonl", 3)] == [(i.source, i.line) for i in stream.issues]

    @pytest.mark.parametrize(
        ("part", "error", "got"),
        [
            ((1.5, None), TypeError, "(1.5, None)"),
            (("0", "10"), TypeError, "('0', '10')"),
            ((True, None), TypeError, "(True, None)"),
            ((0,), TypeError, "(0,)"),
            (5, TypeError, "5"),
            ((-5, None), ValueError, "(-5, None)"),
            ((50, 10), ValueError, "(50, 10)"),
        ],
    )
    def test_offsets_that_are_no_part(self, folder, part, error, got):
        """A part that is not two byte offsets, in order, is refused naming it.

        A negative start read the whole file, an end before the start nothing,
        and other values failed with Python's own messages.
        """
        path = folder("p.jsonl", jsonl({"id": "a"}))
        expected = (
            "part: expected (start, stop), byte offsets that are whole numbers "
            "from 0, stop None (to the end) or not before start, got "
        )

        with pytest.raises(error) as caught:
            ok.iter_load(path, part=part)

        assert expected + got == str(caught.value)

    @pytest.mark.parametrize("paths", [["a.yaml"], ["p.jsonl", "q.jsonl"]])
    @pytest.mark.usefixtures("folder")
    def test_only_of_one_json_lines_file(self, paths):
        """A part is read of one JSON Lines file only."""
        with pytest.raises(ValueError, match="part: a part is read of one JSON Lines"):
            ok.iter_load(paths, part=(0, 10))
