"""Tests for loading and dumping engagement files, and for their load errors."""

from __future__ import annotations

import datetime as dt
import enum
import errno
import gc
import json
import math
import os
import pathlib
import re
import signal
import subprocess
import sys
import threading

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from outsourcekit import _source, io
from outsourcekit.engine import Severity
from outsourcekit.examples import examples_path
from outsourcekit.io import LoadError, LoadIssue
from outsourcekit.model import (
    KPI,
    Cadence,
    Engagement,
    Measurement,
    Party,
    Status,
    Task,
    TimeZone,
    Vendor,
)
from strategies import engagements, portfolios

ROOT = pathlib.Path(__file__).parent.parent


class _Level(enum.IntEnum):
    HIGH = 3


class _Flag(enum.IntFlag):
    READ = 1


class _Hours(float, enum.Enum):
    FULL = 40.0


def example_files():
    """Return the repository's example engagement files, sorted."""
    suffixes = {".yaml", ".yml", ".json", ".toml"}
    folder = ROOT / "examples" / "engagements"
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes)


def issues_of(call, *args, **kwargs):
    """Return the issues of the LoadError that calling *call* raises."""
    with pytest.raises(LoadError) as info:
        call(*args, **kwargs)
    return info.value.issues


def lines_of(call, *args, **kwargs):
    """Return the issues of the LoadError *call* raises, each as its text."""
    return [str(issue) for issue in issues_of(call, *args, **kwargs)]


class TestAcceptance:
    def test_five_mistakes(self, write):
        """Five different mistakes in one file are all reported, located."""
        write(
            "acme.yaml",
            """
            id: acme-bookkeeping
            title: Monthly bookkeeping
            status: actve
            start: 2026-13-45
            objectvies:
              - statement: Close the books by the 5th business day
            communication:
              check_ins: every blue moon
            tasks:
              - name: Reconcile bank feeds
                checklist: [Import feeds, 42]
            """,
        )

        issues = issues_of(io.load, "acme.yaml")

        assert [
            (
                "acme.yaml:3:9: status: expected one of proposed | trial | active | "
                "paused | ended, got 'actve' (did you mean `active`?)"
            ),
            (
                "acme.yaml:4:8: start: expected a date in ISO 8601 form, like "
                "2026-03-01, got '2026-13-45' (month must be in 1..12)"
            ),
            (
                "acme.yaml:5:1: objectvies: unknown key `objectvies`: did you mean "
                "`objectives`?"
            ),
            (
                "acme.yaml:8:14: communication.check_ins: expected a cadence such as "
                '"weekly", "twice a week", "every 2 weeks" or an RRULE such as '
                "\"FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10\", got 'every blue moon'"
            ),
            (
                "acme.yaml:11:31: tasks[Reconcile bank feeds].checklist[1]: expected "
                "text, got 42 (a number)"
            ),
        ] == [str(issue) for issue in issues]
        assert ["actve", "2026-13-45", "objectvies", "every blue moon", 42] == [
            issue.value for issue in issues
        ]
        assert "one of proposed | trial | active | paused | ended" == issues[0].expected

    def test_error_lists_every_issue(self, write):
        """The error's text has one line per issue."""
        write("a.yaml", "id: a\nstatus: 3\nstart: soon\n")

        with pytest.raises(LoadError) as info:
            io.load("a.yaml")

        assert 2 == len(str(info.value).splitlines())


class TestLoad:
    def test_one_engagement(self, write):
        """A file with one engagement gives that engagement."""
        write("a.yaml", "id: a\nstatus: active\nstart: 2026-01-05\n")

        eng = io.load("a.yaml")

        assert (
            Engagement(id="a", status=Status.ACTIVE, start=dt.date(2026, 1, 5)) == eng
        )

    def test_portfolio(self, write):
        """A portfolio file gives a list, even of one engagement."""
        write("p.yaml", "engagements:\n  - id: a\n")

        assert [Engagement(id="a")] == io.load("p.yaml")

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("a.yaml", "id: a\ntitle: T\n"),
            ("a.yml", "id: a\ntitle: T\n"),
            ("a.json", '{"id": "a", "title": "T"}'),
            ("a.toml", 'id = "a"\ntitle = "T"\n'),
        ],
    )
    def test_formats(self, write, name, text):
        """YAML, JSON and TOML files carry the same structure."""
        write(name, text)

        assert Engagement(id="a", title="T") == io.load(name)

    def test_directory(self, write):
        """A directory gives every engagement file below it, in sorted order."""
        write("d/b.yaml", "id: b\n")
        write("d/a/z.json", '{"id": "z"}')
        write("d/a.toml", 'id = "a"\n')
        write("d/notes.md", "# not an engagement\n")

        loaded = io.load("d")

        assert [("z", "d/a/z.json"), ("a", "d/a.toml"), ("b", "d/b.yaml")] == [
            (e.id, e.source.replace("\\", "/")) for e in loaded
        ]

    def test_directory_skips_hidden(self, write):
        """Hidden files and directories below a directory are left out."""
        write("d/a.yaml", "id: a\n")
        write("d/.github/workflows/ci.yaml", "on: push\n")
        write("d/.draft.yaml", "id: draft\n")

        assert ["a"] == [e.id for e in io.load("d")]

    def test_empty_directory(self, write):
        """A directory without engagement files gives an empty list."""
        write("d/notes.md", "nothing here\n")

        assert [] == io.load("d")

    def test_load_all_mix(self, write):
        """``load_all`` takes files and directories and always gives a list."""
        write("one.yaml", "id: one\n")
        write("more/two.yaml", "id: two\n")

        loaded = io.load_all(["one.yaml", pathlib.Path("more")])

        assert ["one", "two"] == [e.id for e in loaded]

    def test_load_all_one_path(self, write):
        """``load_all`` of a single path is a list too."""
        write("one.yaml", "id: one\n")

        assert ["one"] == [e.id for e in io.load_all("one.yaml")]

    def test_bad_files_do_not_stop_others(self, write):
        """Every file is read; what loaded is kept on the error."""
        write("a.yaml", "id: a\n")
        write("b.yaml", "id: b\nstatus: nope\n")
        write("c.yaml", "id: c\n")

        with pytest.raises(LoadError) as info:
            io.load_all(["a.yaml", "b.yaml", "missing.yaml", "c.yaml"])

        assert ["a", "c"] == [e.id for e in info.value.loaded]
        assert ["b.yaml", "missing.yaml"] == [i.source for i in info.value.issues]

    def test_not_utf8(self, tmp_path):
        """A file in another encoding is located at its first unreadable byte."""
        path = tmp_path / "latin.yaml"
        path.write_bytes("id: a\ntitle: Café books\n".encode("latin-1"))

        message = "the file is not UTF-8 text: byte 0xe9 cannot be read"

        assert [f"{path}:2:11: {message}; save the file as UTF-8"] == lines_of(
            io.load, path
        )

    def test_not_utf8_after_bom(self, tmp_path):
        """A byte-order mark does not count in the column of an unreadable byte."""
        path = tmp_path / "bom.yaml"
        path.write_bytes(b"\xef\xbb\xbfid: caf\xe9\n")

        [issue] = issues_of(io.load, path)

        assert (1, 8) == (issue.line, issue.column)

    @pytest.mark.parametrize("end", ["\r", "\r\n"])
    def test_old_line_ends(self, tmp_path, end):
        """Files whose lines end in CR or CR LF read as any other."""
        path = tmp_path / "mac.toml"
        path.write_bytes(f'id = "a"{end}title = "t"{end}status = 1{end}'.encode())

        [issue] = issues_of(io.load, path)

        assert (3, "status") == (issue.line, issue.path)

    def test_missing_file(self):
        """A path that does not exist is an issue of its own."""
        assert ["nowhere.yaml: no such file or directory"] == lines_of(
            io.load, "nowhere.yaml"
        )

    def test_empty_path(self, write):
        """An empty path names nothing: not the working directory pathlib reads.

        The other paths load.
        """
        write("a.yaml", "id: a\n")

        with pytest.raises(LoadError) as info:
            io.load_all(["", "a.yaml"])

        assert ['"": an empty path names no file or folder'] == [
            str(i) for i in info.value.issues
        ]
        assert "" == info.value.issues[0].source
        assert ["a"] == [e.id for e in info.value.loaded]
        assert ['"": an empty path names no file or folder'] == lines_of(io.load, "")

    def test_name_too_long(self, write):
        """A path longer than the system takes is an issue of its own; others load."""
        write("a.yaml", "id: a\n")
        long = "x" * 300 + ".yaml"

        with pytest.raises(LoadError) as info:
            io.load_all([long, "a.yaml"])

        assert [f"{long}: file name too long"] == [str(i) for i in info.value.issues]
        assert ["a"] == [e.id for e in info.value.loaded]

    def test_unknown_suffix(self, write):
        """A file given by name must be YAML, JSON, TOML or one an importer reads."""
        write("a.txt", "id: a\n")

        expected = (
            "a.txt: unknown file type '.txt': expected .yaml, .yml, .json or .toml, "
            "or a file an importer reads (outsourcekit plugins)"
        )

        assert [expected] == lines_of(io.load, "a.txt")

    def test_syntax_error(self, write):
        """Text that is not valid in its format is one located issue."""
        write("a.json", '{"id": "a",\n "title": }')

        (issue,) = issues_of(io.load, "a.json")

        assert ("a.json", 2, 11, "") == (
            issue.source,
            issue.line,
            issue.column,
            issue.path,
        )
        assert issue.message.startswith("invalid JSON")

    @pytest.mark.parametrize(
        "text",
        ["id: a\n---\nid: b\n", "---\nid: a\n...\n---\nid: b\n", "id: a\n---\n"],
    )
    def test_second_yaml_document(self, write, text):
        """A second YAML document is refused where it starts, saying what files hold."""
        write("a.yaml", text)
        line = text.split("\n").index("---", 1) + 1

        assert [
            (
                f"a.yaml:{line}:1: invalid YAML: a second document starts here: a "
                "file holds one document, an engagement or a portfolio (with "
                "`engagements:`)"
            )
        ] == lines_of(io.load, "a.yaml")

    def test_empty_file(self, write):
        """An empty file holds no engagement."""
        write("a.yaml", "")

        assert [
            (
                "a.yaml: the file is empty: expected a mapping: one engagement (with "
                "`id`) or a portfolio (with `engagements`)"
            )
        ] == lines_of(io.load, "a.yaml")

    def test_not_a_mapping(self, write):
        """A file must hold a mapping."""
        write("a.yaml", "- id: a\n")

        assert [
            (
                "a.yaml:1:1: expected a mapping: one engagement (with `id`) or a "
                "portfolio (with `engagements`), got a list ([{'id': 'a'}])"
            )
        ] == lines_of(io.load, "a.yaml")

    def test_missing_id(self, write):
        """An engagement without an id is located at its mapping."""
        write("a.yaml", "title: T\n")

        assert ["a.yaml:1:1: id: missing required key `id` (text)"] == lines_of(
            io.load, "a.yaml"
        )

    @pytest.mark.parametrize(
        ("value", "shown"), [(None, "null"), (["x"], "a list (['x'])")]
    )
    def test_from_dict_takes_a_mapping(self, value, shown):
        """from_dict() of something other than a mapping says what it takes."""
        with pytest.raises(TypeError) as info:
            io.from_dict(value)

        assert (
            f"from_dict() takes a mapping of an engagement's keys, got {shown}"
            == str(info.value)
        )

    @pytest.mark.parametrize(
        "data",
        [
            {"engagements": [{"id": "a"}]},
            {"outsourcekit": 1, "defaults": {}, "engagements": []},
        ],
    )
    def test_from_dict_refuses_a_portfolio(self, data):
        """from_dict() given a portfolio says what it takes, and what takes that."""
        [issue] = issues_of(io.from_dict, data)

        assert (
            "engagements",
            (
                "from_dict() takes one engagement (a mapping with `id`), not a "
                "portfolio (a mapping with `engagements`): read a portfolio with "
                "loads() or load(), or call from_dict() on each of its engagements"
            ),
            "one engagement: a mapping with `id`",
        ) == (issue.path, issue.message, issue.expected)

    def test_from_dict_extensions_plain(self):
        """x- values given in Python are held to what a file can hold."""
        import decimal

        [issue] = issues_of(io.from_dict, {"id": "a", "x-n": decimal.Decimal("1.5")})

        assert "got Decimal('1.5') that is a Decimal at x-n" in issue.message

    def test_refused_values_say_what_is_expected(self):
        """Values of the right type that a field refuses say what it takes."""
        [issue] = issues_of(io.loads, "id: a\nhours_per_week: -3\n")

        assert (
            "a number, zero or more",
            -3,
            "expected a number, zero or more, got -3 (a number)",
        ) == (issue.expected, issue.value, issue.message)

    def test_date_or_cadence_named_both(self):
        """A due that is neither a date nor a cadence is told it may be either."""
        text = "id: a\ntasks:\n  - due: 03/01/2026\n"
        [issue] = issues_of(io.loads, text)

        assert (
            "expected a date in ISO 8601 form, like 2026-03-01, or a cadence, like "
            "`monthly`, got '03/01/2026'"
        ) == issue.message

    def test_constructor_checks_located(self, write):
        """A check across fields is reported on its field, with its line."""
        write("a.yaml", "id: a\nstart: 2026-02-01\nend: 2026-01-01\n")

        assert [
            (
                "a.yaml:3:6: end: expected a date on or after `start` (2026-02-01), "
                "got 2026-01-01 (a date)"
            )
        ] == lines_of(io.load, "a.yaml")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "id: a\nx-t: !!bool yes\n",
                (
                    "t.yaml:2:6: x-t: 'yes' is not a valid !!bool value: expected true "
                    "or false"
                ),
            ),
            (
                "engagements:\n  - id: a\n    hours_per_week: !!int twelve\n",
                (
                    "t.yaml:3:21: hours_per_week: 'twelve' is not a valid !!int value: "
                    "expected a whole number, like 12, 0x1F or 0o17"
                ),
            ),
            (
                "id: a\ntasks:\n  - name: t\n    x-f: [!!float half]\n",
                (
                    "t.yaml:4:11: tasks[t].x-f[0]: 'half' is not a valid !!float "
                    "value: expected a number, like 1.5, 1e3, .inf or .nan"
                ),
            ),
            (
                "defaults:\n  x-n: !!null none\nengagements: []\n",
                (
                    "t.yaml:2:8: defaults.x-n: 'none' is not a valid !!null value: "
                    "expected null, ~ or nothing"
                ),
            ),
        ],
    )
    def test_value_not_what_its_tag_says(self, write, text, expected):
        """A YAML value that is not what its tag says names its path and its kind."""
        write("t.yaml", text)

        [issue] = issues_of(io.load, "t.yaml")

        assert expected == str(issue)
        assert expected.rsplit(": expected ", 1)[1] == issue.expected

    def test_yaml_12_booleans(self, write):
        """``no`` is text in YAML files, not false."""
        write("a.yaml", "id: a\nclient: {region: NO}\ndata: {confidential: no}\n")

        assert [
            "a.yaml:3:22: data.confidential: expected true or false, got 'no'"
        ] == lines_of(io.load, "a.yaml")

    @pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
    @pytest.mark.parametrize("written", ['"x{c}y"', "x{c}y", "|-\n    x{c}y"])
    def test_yaml_12_line_breaks_are_text(self, write, char, written):
        """NEL, U+2028 and U+2029 are text in YAML 1.2: kept, ending no line."""
        title = f"title: {written.format(c=char)}\n"
        write("a.yaml", f"engagements:\n- id: a\n  {title}- id: b\n  {title}")
        write("b.yaml", f"id: c\n{title}status: bogus\n")
        line = 3 + written.count("\n")

        with pytest.raises(LoadError) as info:
            io.load_all(["a.yaml", "b.yaml"])

        assert [f"x{char}y"] * 2 == [e.title for e in info.value.loaded]
        assert [
            (
                f"b.yaml:{line}:9: status: expected one of proposed | trial | "
                "active | paused | ended, got 'bogus'"
            )
        ] == [str(issue) for issue in info.value.issues]

    @pytest.mark.parametrize("end", ["\r", "\r\n"])
    def test_old_line_ends_json(self, tmp_path, end):
        """JSON whose lines end in CR or CR LF reads as any other."""
        path = tmp_path / "mac.json"
        path.write_bytes(f'{{{end}"id": "a",{end}"status": 1{end}}}{end}'.encode())

        [issue] = issues_of(io.load, path)

        assert (3, 11, "status") == (issue.line, issue.column, issue.path)

    def test_toml_dates(self, write):
        """TOML's own dates and date-times load like ISO text."""
        write(
            "a.toml",
            """
            id = "a"
            start = 2026-01-05
            [[check_ins]]
            at = 2026-03-02T09:00:00+08:00
            """,
        )

        eng = io.load("a.toml")

        offset = dt.timezone(dt.timedelta(hours=8))
        assert (dt.date(2026, 1, 5), dt.datetime(2026, 3, 2, 9, tzinfo=offset)) == (
            eng.start,
            eng.check_ins[0].at,
        )

    def test_gc_restored(self, write):
        """The garbage collector is paused while loading and restored after."""
        write("a.yaml", "id: a\n")
        was = gc.isenabled()
        try:
            gc.disable()
            io.load("a.yaml")
            paused = gc.isenabled()
            gc.enable()
            io.load("a.yaml")
            running = gc.isenabled()
        finally:
            if was:
                gc.enable()
            else:
                gc.disable()

        assert (False, True) == (paused, running)

    def test_large_load_skips_young_generations(self):
        """After a large load the new objects are not left to the young generation."""
        if gc.get_freeze_count():
            pytest.skip("objects frozen earlier in this process: loads leave them be")
        tasks = [{"name": f"t{i}", "checklist": ["a"]} for i in range(10)]
        text = json.dumps(
            {"engagements": [{"id": f"e{i}", "tasks": tasks} for i in range(5000)]}
        )

        loaded = io.loads(text, "json")
        oldest = {id(obj) for obj in gc.get_objects(generation=2)}

        assert (5000, True) == (len(loaded), id(loaded[-1]) in oldest)

    def test_frozen_objects_stay_frozen(self, write):
        """Objects the program keeps frozen for the collector stay frozen."""
        write("a.yaml", "id: a\n")
        gc.freeze()
        try:
            frozen = gc.get_freeze_count()
            io.load("a.yaml")
            after = gc.get_freeze_count()
        finally:
            gc.unfreeze()

        assert frozen == after


class TestPortfolio:
    def test_defaults_merge(self, write):
        """Defaults merge under each engagement: mappings deeply, lists replaced."""
        write(
            "p.yaml",
            """
            defaults:
              client: {name: Acme, timezone: Europe/London}
              tasks: [{name: Default task}]
            engagements:
              - id: a
                client: {timezone: Asia/Manila}
              - id: b
                tasks: [{name: Own task}]
            """,
        )

        a, b = io.load("p.yaml")

        assert Party(name="Acme", timezone=TimeZone.parse("Asia/Manila")) == a.client
        assert (Task(name="Default task"),) == a.tasks
        assert (Task(name="Own task"),) == b.tasks
        assert "Europe/London" == b.client.timezone.text

    def test_scalar_replaces_mapping(self, write):
        """A null in the engagement replaces a default mapping."""
        write(
            "p.yaml",
            "defaults:\n  client: {name: Acme}\n"
            "engagements:\n  - id: a\n    client: null\n",
        )

        assert [Engagement(id="a")] == io.load("p.yaml")

    def test_defaults_errors_reported_once(self, write):
        """A bad default is reported once, where it is written."""
        write(
            "p.yaml",
            """
            defaults:
              client: {timezone: Mars/Base}
            engagements:
              - id: a
              - id: b
            """,
        )

        (issue,) = issues_of(io.load, "p.yaml")

        assert ("p.yaml", 2, 22, "defaults.client.timezone") == (
            issue.source,
            issue.line,
            issue.column,
            issue.path,
        )

    def test_duplicate_key_hides_nothing(self):
        """A key written twice is reported with the file's other problems."""
        text = "id: a\nstatus: activ\nvendor:\n  name: x\n  name: y\nstart: 03/01\n"

        issues = issues_of(io.loads, text)

        assert [(2, "status"), (5, "vendor.name"), (6, "start")] == [
            (i.line, i.path) for i in issues
        ]
        assert issues[1].message.startswith("duplicate key `name`: a key may appear")

    def test_toml_key_set_twice_hides_nothing(self):
        """In TOML too, a key set twice spoils its engagement and hides nothing."""
        text = (
            '[[engagements]]\nid = "a"\ntitle = "x"\ntitle = "y"\n'
            '[[engagements]]\nid = "b"\nstauts = "x"\n'
            '[[engagements]]\nid = "c"\n[engagements.client]\nname = "n"\n'
            '[[engagements]]\nid = "d"\n'
        )

        with pytest.raises(LoadError) as info:
            io.loads(text, "toml", source="p.toml")

        assert [
            (
                "p.toml:4:1: title: a value is set twice: `title = ...` sets a key "
                "that is set already; a key may appear once in a table"
            ),
            "p.toml:7:1: stauts: unknown key `stauts`: did you mean `status`?",
        ] == [str(i) for i in info.value.issues]
        assert ["c", "d"] == [e.id for e in info.value.loaded]

    @pytest.mark.parametrize(
        ("text", "loaded"),
        [
            (
                '{"engagements": [{"id": "a", "id": "c"}, {"id": "b"}]}',
                ["b"],
            ),
            (
                (
                    '{"defaults": {"title": "A", "title": "B"},'
                    ' "engagements": [{"id": "a"}]}'
                ),
                [],
            ),
        ],
        ids=["in-an-engagement", "in-defaults"],
    )
    def test_duplicate_key_spoils_its_engagement(self, text, loaded):
        """The engagement holding a key written twice does not load; the others do."""
        with pytest.raises(LoadError) as info:
            io.loads(text, "json")

        assert loaded == [e.id for e in info.value.loaded]
        assert [("duplicate key", 1, 30 if loaded else 29)] == [
            (i.message[:13], i.line, i.column) for i in info.value.issues
        ]

    @pytest.mark.parametrize(
        ("text", "fmt", "message"),
        [
            ("id: a\nid: b\ntitle: !!python/object:os.system x\n", "yaml", "tag"),
            ('{"id": "a", "id": "b"} x', "json", "invalid JSON: Extra data"),
            (
                '[{"id": "a", "id": "b"}, ' + "[" * 100_000 + "]" * 100_000 + "]",
                "json",
                "invalid JSON: nested",
            ),
        ],
        ids=["yaml-tag", "json-extra-data", "json-too-deep"],
    )
    def test_duplicate_key_then_unreadable(self, text, fmt, message):
        """Past a key written twice, text that cannot be read is the file's error."""
        [issue] = issues_of(io.loads, text, fmt)

        assert issue.message.startswith(message)

    def test_duplicate_inside_a_discarded_value(self):
        """What is in the value of a key written twice is not kept, nor reported."""
        text = (
            '{"engagements": [{"id": "a"}],'
            ' "engagements": [{"id": "b"}, {"id": "c", "id": "d"}]}'
        )

        assert [(1, 32, "engagements")] == [
            (i.line, i.column, i.path) for i in issues_of(io.loads, text, "json")
        ]

    def test_duplicate_in_a_merged_mapping(self):
        """A key written twice where it is merged in spoils the engagements using it."""
        text = (
            "engagements:\n  - &base\n    id: a\n    title: x\n    title: y\n"
            "  - <<: *base\n    id: b\n  - id: c\n    <<: {owner: x, owner: y}\n"
            "  - id: d\n"
        )

        with pytest.raises(LoadError) as info:
            io.loads(text)

        assert ["d"] == [e.id for e in info.value.loaded]
        assert [(5, "title"), (9, "owner")] == [
            (i.line, i.path) for i in info.value.issues
        ]

    def test_late_bad_engagement_json(self):
        """A problem after many good engagements is located; the good ones load."""
        good = [{"id": f"e{i}", "start": "2026-01-05"} for i in range(50)]
        bad = {"id": "late", "start": "2026-01-05", "hours_per_week": -1}
        text = json.dumps({"engagements": [*good, bad, {"id": "after"}]}, indent=1)

        with pytest.raises(LoadError) as info:
            io.loads(text, "json", source="p.json")

        assert [*(e["id"] for e in good), "after"] == [e.id for e in info.value.loaded]
        [issue] = info.value.issues
        line = text.splitlines().index('   "hours_per_week": -1') + 1
        assert (line, "hours_per_week") == (issue.line, issue.path)
        assert "expected a number, zero or more, got -1 (a number)" == issue.message

    def test_one_bad_engagement(self, write):
        """One bad engagement does not hide the others' errors nor stop them loading."""
        write(
            "p.yaml",
            """
            engagements:
              - id: a
                status: nope
              - id: b
              - id: c
                start: yesterday
            """,
        )

        with pytest.raises(LoadError) as info:
            io.load("p.yaml")

        assert ["b"] == [e.id for e in info.value.loaded]
        assert [(3, "status"), (6, "start")] == [
            (i.line, i.path) for i in info.value.issues
        ]

    def test_paths_by_name(self, write):
        """Paths inside an engagement name list items by their unique name."""
        write(
            "p.yaml",
            """
            engagements:
              - id: a
                kpis:
                  - name: close-time
                    target: five
            """,
        )

        assert [
            "p.yaml:5:17: kpis[close-time].target: expected a number, got 'five'"
        ] == (lines_of(io.load, "p.yaml"))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "engagements: []\nfoo: 1\n",
                (
                    "p.yaml:2:1: foo: unknown key `foo` (keys of your own must start "
                    "with `x-`)"
                ),
            ),
            (
                "engagements: []\ndefault: {}\n",
                "p.yaml:2:1: default: unknown key `default`: did you mean `defaults`?",
            ),
            (
                "engagements: []\nx-note: hi\n",
                (
                    "p.yaml:2:1: x-note: `x-note` is not kept at the top of a "
                    "portfolio: "
                    "put it in `defaults:` or in an engagement"
                ),
            ),
            (
                "engagements: {id: a}\n",
                (
                    "p.yaml:1:14: engagements: expected a list of engagements, got a "
                    "mapping ({'id': 'a'})"
                ),
            ),
            (
                "engagements: [a]\n",
                (
                    "p.yaml:1:15: engagements[0]: expected a mapping: one engagement, "
                    "got 'a'"
                ),
            ),
            (
                "defaults: [1]\nengagements: []\n",
                (
                    "p.yaml:1:11: defaults: expected a mapping (a partial engagement), "
                    "got a list ([1])"
                ),
            ),
            (
                "defaults: {id: x}\nengagements: []\n",
                (
                    "p.yaml:1:16: defaults.id: `id` cannot have a default: each "
                    "engagement has its own"
                ),
            ),
        ],
    )
    def test_shape_errors(self, write, text, expected):
        """Mistakes in a portfolio's own keys are located and explained."""
        write("p.yaml", text)

        assert [expected] == lines_of(io.load, "p.yaml")

    def test_id_in_defaults_leaves_missing_ids_to_their_engagements(self, write):
        """An engagement without an id is told so where it is, not at the default."""
        write(
            "p.yaml",
            "defaults:\n  id: x\nengagements:\n  - id: a\n  - title: no id here\n",
        )

        assert [
            (
                "p.yaml:2:7: defaults.id: `id` cannot have a default: each "
                "engagement has its own"
            ),
            "p.yaml:5:5: id: missing required key `id` (text)",
        ] == lines_of(io.load, "p.yaml")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "id: a\nengagements:\n  - id: b\n",
                (
                    "p.yaml:1:1: id: `id` names one engagement, and this file is a "
                    "portfolio (it has `engagements`): a file holds one engagement or "
                    "a portfolio, not both; give each engagement its `id` in an item "
                    "of `engagements`"
                ),
            ),
            (
                "engagements:\n  - id: b\nclient: {name: Acme}\n",
                (
                    "p.yaml:3:1: client: `client` is a key of an engagement, and this "
                    "file is a portfolio (it has `engagements`): put it in "
                    "`defaults` to give it to every engagement, or in one engagement"
                ),
            ),
        ],
    )
    def test_engagement_keys_at_the_top_of_a_portfolio(self, write, text, expected):
        """An engagement's key beside `engagements` is told where it belongs."""
        write("p.yaml", text)

        with pytest.raises(LoadError) as info:
            io.load("p.yaml")

        assert [expected] == [str(i) for i in info.value.issues]
        assert ["b"] == [e.id for e in info.value.loaded]


class TestDefaultsOnTheirOwn:
    """``defaults:`` are checked on their own, once per file (format.md)."""

    STATUS = (
        "expected one of proposed | trial | active | paused | ended, got 'actve' "
        "(did you mean `active`?)"
    )
    UNKNOWN = "unknown key `objectivs`: did you mean `objectives`?"
    REVIEW = "missing required key `on` (a date in ISO 8601 form, like 2026-03-01)"

    @pytest.mark.parametrize(
        ("name", "text", "expected", "loaded"),
        [
            (
                "p.yaml",
                """
                defaults:
                  status: actve
                engagements:
                  - id: a
                    status: active
                """,
                f"p.yaml:2:11: defaults.status: {STATUS}",
                ["a"],
            ),
            (
                "p.json",
                """
                {
                  "defaults": {"status": "actve"},
                  "engagements": [{"id": "a", "status": "active"}]
                }
                """,
                f"p.json:2:26: defaults.status: {STATUS}",
                ["a"],
            ),
            (
                "p.yaml",
                """
                defaults:
                  objectivs: []
                engagements: []
                """,
                f"p.yaml:2:3: defaults.objectivs: {UNKNOWN}",
                [],
            ),
            (
                "p.json",
                """
                {
                  "defaults": {"objectivs": []},
                  "engagements": []
                }
                """,
                f"p.json:2:16: defaults.objectivs: {UNKNOWN}",
                [],
            ),
            (
                "p.toml",
                """
                engagements = []

                [defaults]
                objectivs = []
                """,
                f"p.toml:4:1: defaults.objectivs: {UNKNOWN}",
                [],
            ),
            (
                "p.yaml",
                """
                defaults:
                  reviews:
                    - outcome: continue
                engagements:
                  - id: a
                    reviews: []
                  - id: b
                    reviews: [{on: 2026-03-01, outcome: continue}]
                """,
                f"p.yaml:3:7: defaults.reviews[0].on: {REVIEW}",
                ["a", "b"],
            ),
            (
                "p.json",
                """
                {
                  "defaults": {"reviews": [{"outcome": "continue"}]},
                  "engagements": [
                    {"id": "a", "reviews": []},
                    {"id": "b", "reviews": [{"on": "2026-03-01"}]}
                  ]
                }
                """,
                f"p.json:2:28: defaults.reviews[0].on: {REVIEW}",
                ["a", "b"],
            ),
        ],
        ids=[
            "overridden-yaml",
            "overridden-json",
            "no-engagements-yaml",
            "no-engagements-json",
            "no-engagements-toml",
            "list-replaced-yaml",
            "list-replaced-json",
        ],
    )
    def test_fault_is_reported_where_written(self, write, name, text, expected, loaded):
        """A fault in defaults is the file's, though no engagement takes the value.

        The engagements that override it load and are checked as before.
        """
        write(name, text)

        with pytest.raises(LoadError) as info:
            io.load(name)

        assert [expected] == [str(issue) for issue in info.value.issues]
        assert loaded == [e.id for e in info.value.loaded]

    def test_fault_in_text(self):
        """Text read by ``loads`` has its defaults checked too."""
        text = "defaults: {status: actve}\nengagements: [{id: a, status: active}]\n"

        with pytest.raises(LoadError) as info:
            io.loads(text, source="p.yaml")

        assert [f"p.yaml:1:20: defaults.status: {self.STATUS}"] == [
            str(issue) for issue in info.value.issues
        ]
        assert ["a"] == [e.id for e in info.value.loaded]

    def test_fault_not_overridden_is_reported_once(self, write):
        """Engagements that take a faulty default report it once, at the default."""
        write(
            "p.yaml",
            """
            defaults:
              status: actve
            engagements:
              - id: a
              - id: b
              - id: c
                status: active
            """,
        )

        with pytest.raises(LoadError) as info:
            io.load("p.yaml")

        assert [f"p.yaml:2:11: defaults.status: {self.STATUS}"] == [
            str(issue) for issue in info.value.issues
        ]
        assert ["c"] == [e.id for e in info.value.loaded]

    def test_contradicting_defaults(self, write):
        """Defaults that contradict themselves are a fault, whoever overrides them."""
        write(
            "p.yaml",
            """
            defaults:
              start: 2026-05-01
              end: 2026-01-01
            engagements:
              - id: a
                start: 2025-09-01
            """,
        )

        with pytest.raises(LoadError) as info:
            io.load("p.yaml")

        assert [
            (
                "p.yaml:3:8: defaults.end: expected a date on or after `start` "
                "(2026-05-01), got 2026-01-01 (a date)"
            )
        ] == [str(issue) for issue in info.value.issues]
        assert ["a"] == [e.id for e in info.value.loaded]

    def test_version_in_defaults(self, write):
        """An unknown format version in defaults is refused, though overridden."""
        write(
            "p.yaml",
            "defaults: {outsourcekit: 2}\nengagements: [{id: a, outsourcekit: 1}]\n",
        )

        assert [
            (
                "p.yaml:1:26: defaults.outsourcekit: unknown format version 2: this "
                "outsourcekit reads version 1"
            )
        ] == lines_of(io.load, "p.yaml")

    def test_faults_only_of_the_merge_stay_the_engagements(self, write):
        """Good defaults an engagement contradicts are that engagement's fault."""
        write(
            "p.yaml",
            """
            defaults:
              start: 2026-05-01
            engagements:
              - id: a
                end: 2026-01-01
              - id: b
            """,
        )

        with pytest.raises(LoadError) as info:
            io.load("p.yaml")

        assert [
            (
                "p.yaml:5:10: end: expected a date on or after `start` (2026-05-01), "
                "got 2026-01-01 (a date)"
            )
        ] == [str(issue) for issue in info.value.issues]
        assert ["b"] == [e.id for e in info.value.loaded]

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_valid_defaults_unchanged(self, fmt):
        """Valid defaults load as the same engagements written out in full."""
        defaults = {
            "status": "active",
            "client": {"name": "Acme", "timezone": "Europe/London"},
            "reviews": [{"on": "2026-03-01", "outcome": "continue"}],
            "objectives": [{"statement": "Close the books by the 5th"}],
            "x-team": "finance",
        }
        items = [{"id": "a", "client": {"timezone": "Asia/Manila"}}, {"id": "b"}]
        full = [
            {
                **defaults,
                **items[0],
                "client": {"name": "Acme", "timezone": "Asia/Manila"},
            },
            {**defaults, **items[1]},
        ]
        with_defaults = {"defaults": defaults, "engagements": items}

        loaded = io.loads(io.dumps_data(with_defaults, fmt), fmt)

        assert io.loads(io.dumps_data({"engagements": full}, fmt), fmt) == loaded

    def test_defaults_without_engagements(self, write):
        """Defaults in a file without ``engagements`` say what they lack."""
        write("a.yaml", "id: a\ndefaults: {status: active}\n")

        assert [
            (
                "a.yaml:2:1: defaults: `defaults` are merged under the engagements "
                "of a portfolio: this file has no `engagements`"
            )
        ] == lines_of(io.load, "a.yaml")

    def test_no_defaults_in_json_lines(self, write):
        """A line of JSON Lines is one engagement: ``defaults`` is no key of it."""
        write("p.jsonl", '{"id": "a", "defaults": {"status": "actve"}}\n')

        assert [
            (
                "p.jsonl:1:13: defaults: unknown key `defaults` (keys of your own must "
                "start with `x-`)"
            )
        ] == lines_of(io.load, "p.jsonl")


class TestUnknownTopKeys:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "engagments:\n  - id: a\n",
                (
                    "a.yaml:1:1: engagments: unknown key `engagments`: did you mean "
                    "`engagements`?"
                ),
            ),
            (
                "id: a\noutsorcekit: 1\n",
                (
                    "a.yaml:2:1: outsorcekit: unknown key `outsorcekit`: did you mean "
                    "`outsourcekit`?"
                ),
            ),
            (
                "id: a\ndefualts: {}\n",
                (
                    "a.yaml:2:1: defualts: unknown key `defualts`: did you mean "
                    "`defaults`?"
                ),
            ),
            (
                "id: a\nimport: []\n",
                "a.yaml:2:1: import: unknown key `import`: did you mean `imports`?",
            ),
            (
                "id: a\nagreement: []\n",
                (
                    "a.yaml:2:1: agreement: unknown key `agreement`: did you mean "
                    "`agreements`?"
                ),
            ),
            (
                "engagements:\n  - id: a\n    engagments: []\n",
                (
                    "a.yaml:3:5: engagments: unknown key `engagments`: did you mean "
                    "`agreements`?"
                ),
            ),
        ],
    )
    def test_file_keys_suggested_at_the_top(self, write, text, expected):
        """At the top of a file, the file's own keys are suggested too."""
        write("a.yaml", text)

        assert expected == lines_of(io.load, "a.yaml")[0]

    def test_json_lines_suggest_no_portfolio_keys(self, write):
        """A line of JSON Lines holds an engagement, never a portfolio's keys."""
        write("p.jsonl", '{"id": "a", "engagments": []}\n{"id": "b", "outsorcekit": 1}')

        assert [
            (
                "p.jsonl:1:13: engagments: unknown key `engagments`: did you mean "
                "`agreements`?"
            ),
            (
                "p.jsonl:2:13: outsorcekit: unknown key `outsorcekit`: did you mean "
                "`outsourcekit`?"
            ),
        ] == lines_of(io.load, "p.jsonl")


class TestVersion:
    def test_version_accepted(self, write):
        """``outsourcekit: 1`` may head the file and each engagement."""
        write(
            "p.yaml",
            "outsourcekit: 1\nengagements:\n  - outsourcekit: 1\n    id: a\n",
        )

        assert [Engagement(id="a")] == io.load("p.yaml")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "outsourcekit: 2\nid: a\n",
                (
                    "a.yaml:1:15: outsourcekit: unknown format version 2: this "
                    "outsourcekit reads version 1"
                ),
            ),
            (
                "outsourcekit: '1'\nid: a\n",
                "a.yaml:1:15: outsourcekit: expected the format version 1, got '1'",
            ),
            (
                "outsourcekit: 2\nengagements: [{id: a}]\n",
                (
                    "a.yaml:1:15: outsourcekit: unknown format version 2: this "
                    "outsourcekit reads version 1"
                ),
            ),
            (
                "engagements: [{id: a, outsourcekit: true}]\n",
                (
                    "a.yaml:1:37: outsourcekit: expected the format version 1, "
                    "got true "
                    "(a boolean)"
                ),
            ),
        ],
    )
    def test_unknown_version(self, write, text, expected):
        """Another version, or a version that is no number, is an error."""
        write("a.yaml", text)

        with pytest.raises(LoadError) as info:
            io.load("a.yaml")

        assert ([expected], []) == (
            [str(i) for i in info.value.issues],
            info.value.loaded,
        )


class TestDuplicateIds:
    def test_across_files(self, write):
        """A duplicate id names both places; the first engagement still loads."""
        write("a.yaml", "title: First\nid: same\n")
        write("b.json", '{"engagements": [{"id": "other"}, {"id": "same"}]}')

        with pytest.raises(LoadError) as info:
            io.load_all(["a.yaml", "b.json"])

        assert [
            (
                "b.json:1:42: id: duplicate id `same`: ids must be unique, "
                "it is also at "
                "a.yaml:2:5"
            )
        ] == [str(i) for i in info.value.issues]
        assert [("same", "First"), ("other", None)] == [
            (e.id, e.title) for e in info.value.loaded
        ]

    def test_within_a_file(self, write):
        """Ids are unique within one portfolio too."""
        write("p.yaml", "engagements:\n  - id: a\n  - id: a\n")

        assert [
            (
                "p.yaml:3:9: id: duplicate id `a`: ids must be unique, it is also at "
                "p.yaml:2:9"
            )
        ] == lines_of(io.load, "p.yaml")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                "engagements:\n  - {id: a, stauts: x}\n  - {id: a}\n",
                [
                    (
                        "p.yaml:2:13: stauts: unknown key `stauts`: did you mean "
                        "`status`?"
                    ),
                    (
                        "p.yaml:3:10: id: duplicate id `a`: ids must be unique, it is "
                        "also at p.yaml:2:10"
                    ),
                ],
            ),
            (
                "engagements:\n  - {id: a}\n  - {id: a, start: 2026-02-30}\n",
                [
                    (
                        "p.yaml:3:10: id: duplicate id `a`: ids must be unique, it is "
                        "also at p.yaml:2:10"
                    ),
                    (
                        "p.yaml:3:20: start: expected a date in ISO 8601 form, like "
                        "2026-03-01, got '2026-02-30' (day is out of range for month)"
                    ),
                ],
            ),
            (
                (
                    "engagements:\n  - {id: 007, outsourcekit: 2}\n  - {id: 007}\n"
                    "  - {id: 7}\n"
                ),
                [
                    (
                        "p.yaml:2:29: outsourcekit: unknown format version 2: this "
                        "outsourcekit reads version 1"
                    ),
                    (
                        "p.yaml:3:10: id: duplicate id `007`: ids must be unique, "
                        "it is also at p.yaml:2:10"
                    ),
                ],
            ),
            (
                '{"engagements": [{"id": "a", "end": 1}, {"id": "a"}, {"id": "a"}]}',
                [
                    (
                        "p.json:1:37: end: expected a date in ISO 8601 form, like "
                        "2026-03-01, got 1 (a number)"
                    ),
                    (
                        "p.json:1:48: id: duplicate id `a`: ids must be unique, it is "
                        "also at p.json:1:25"
                    ),
                    (
                        "p.json:1:61: id: duplicate id `a`: ids must be unique, it is "
                        "also at p.json:1:25"
                    ),
                ],
            ),
        ],
        ids=["first-bad", "second-bad", "as-written", "then-two-good"],
    )
    def test_beside_a_bad_engagement(self, write, text, expected):
        """An engagement that does not load still has its id: a duplicate is told."""
        name = "p.json" if text.startswith("{") else "p.yaml"
        write(name, text)

        assert expected == lines_of(io.load, name)

    def test_beside_a_bad_engagement_of_another_file(self, write):
        """An engagement that does not load keeps its id in the rest of the load.

        Its id read before makes it a duplicate, and so does the id of the
        first engagement of another file that only it had before (which
        loads); each names the first place the id was read. The file tells
        its own.
        """
        write(
            "a.yaml",
            "engagements:\n  - {id: x, end: 1}\n  - {id: x}\n  - {id: y}\n",
        )
        write("b.yaml", "engagements:\n  - {id: x}\n  - {id: y, end: 1}\n")
        write("c.yaml", "id: z\nend: 1\n")
        write("d.json", '{"id": "z"}')

        with pytest.raises(LoadError) as info:
            io.load_all(["a.yaml", "b.yaml", "c.yaml", "d.json"])

        assert ["x", "y", "z"] == [e.id for e in info.value.loaded]
        end = "end: expected a date in ISO 8601 form, like 2026-03-01, got 1 (a number)"
        also = "ids must be unique, it is also at"
        assert [
            f"a.yaml:2:18: {end}",
            f"a.yaml:3:10: id: duplicate id `x`: {also} a.yaml:2:10",
            f"b.yaml:3:18: {end}",
            f"c.yaml:2:6: {end}",
            f"b.yaml:2:10: id: duplicate id `x`: {also} a.yaml:2:10",
            f"b.yaml:3:10: id: duplicate id `y`: {also} a.yaml:4:10",
            f"d.json:1:8: id: duplicate id `z`: {also} c.yaml:1:5",
        ] == [str(issue) for issue in info.value.issues]
        stream = io.iter_load(["a.yaml", "b.yaml", "c.yaml", "d.json"])
        assert ["x", "y", "z"] == [e.id for e in stream]
        assert sorted(info.value.issues, key=str) == sorted(stream.issues, key=str)


class TestWholeNumberIds:
    @pytest.mark.parametrize(
        "text",
        [
            "engagements: [{id: 007}, {id: 7}, {id: 0x1F, vendor: {id: 0042}}]\n",
            (
                "engagements:\n  - id: 007\n  - id: 7\n  - id: 0x1F  # hex\n"
                "    vendor:\n      id: 0042\n"
            ),
            (
                "engagements:\n  - id: 007\n  - id: 7\n  - &e {id: 0x1F}\n"
                "defaults:\n  vendor: {id: 0042}\n"
            ),
        ],
        ids=["flow", "block", "nodes"],
    )
    def test_digits_kept_as_written(self, write, text):
        """An id YAML reads as a whole number is its text as written."""
        write("p.yaml", text)

        loaded = io.load("p.yaml")

        assert [("007", None), ("7", None), ("0x1F", "0042")] == [
            (e.id, None if e.vendor is None or e.id != "0x1F" else e.vendor.id)
            for e in loaded
        ]

    def test_zero_padded_ids_are_not_duplicates(self, write):
        """``007`` and ``7`` are two ids; ``007`` twice is one, named as written."""
        write("p.yaml", "engagements:\n  - id: 007\n  - id: 7\n  - id: 007\n")

        assert [
            (
                "p.yaml:4:9: id: duplicate id `007`: ids must be unique, it is "
                "also at p.yaml:2:9"
            )
        ] == lines_of(io.load, "p.yaml")

    def test_sign_kept(self, write):
        """A sign is kept too: ``+5`` is no id, ``-5`` is one."""
        write("a.yaml", "id: -5\n")
        write("b.yaml", "id: +5\n")

        assert "-5" == io.load("a.yaml").id
        assert [
            (
                "b.yaml:1:5: id: expected an id of letters, digits, '.', '_' or "
                "'-', got '+5'"
            )
        ] == lines_of(io.load, "b.yaml")

    def test_other_ids_stay_numbers(self):
        """An ``id`` in an ``x-`` value is a number, as YAML reads it."""
        loaded = io.loads("id: 007\nx-crm: {id: 007}\n", "yaml")

        assert ("007", {"id": 7}) == (loaded.id, loaded.extensions["x-crm"])

    def test_json_ids(self):
        """JSON writes no ``007``: a whole number is its digits."""
        assert "7" == io.loads('{"id": 7}', "json").id


class TestOrigin:
    def test_source_as_given(self, write):
        """The source is the path as given, relative if given relative."""
        write("sub/a.yaml", "id: a\n")

        eng = io.load(pathlib.Path("sub") / "a.yaml")

        assert str(pathlib.Path("sub/a.yaml")) == eng.source

    def test_place_in_the_file(self, write):
        """The origin records the file and the engagement's place in its list."""
        write("p.yaml", "engagements:\n  - id: a\n  - id: b\n")

        a, b = io.load("p.yaml")

        assert [("p.yaml", 0, None), ("p.yaml", 1, None)] == [
            (e.origin.source, e.origin.index, e.origin.line) for e in (a, b)
        ]

    def test_read_once(self, write, monkeypatch):
        """A valid file is read without locations, and kept nowhere."""
        write("p.yaml", "engagements:\n  - id: a\n  - id: b\n")
        calls = []
        parse = io.parse

        def counting(*args, **kwargs):
            calls.append(kwargs["locations"])
            return parse(*args, **kwargs)

        monkeypatch.setattr(io, "parse", counting)

        io.load("p.yaml")

        assert [False] == calls

    def test_text_has_no_file(self):
        """Engagements from text name the source given, if any."""
        eng = io.loads('{"id": "a"}', "json", source="inline")

        assert ("inline", None) == (eng.source, eng.origin.index)


class TestLoads:
    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (b"id: a", "loads() takes text (str), got bytes: decode it first"),
            (None, "loads() takes text (str), got null"),
            (["id: a"], "loads() takes text (str), got a list (['id: a'])"),
        ],
    )
    def test_refuses_what_is_no_text(self, value, message):
        """Text is a str: bytes and other values are a TypeError saying so."""
        with pytest.raises(TypeError) as caught:
            io.loads(value)

        assert str(caught.value).startswith(message)

    def test_default_yaml(self):
        """Text is YAML unless told otherwise."""
        assert Engagement(id="a") == io.loads("id: a\n")

    def test_portfolio(self):
        """A portfolio's text gives a list."""
        assert [Engagement(id="a")] == io.loads(
            '{"engagements": [{"id": "a"}]}', "json"
        )

    def test_errors_without_source(self):
        """Errors of text from no file are located in ``<string>``."""
        assert [
            (
                "<string>:1:5: id: expected an id of letters, digits, '.', '_' or "
                "'-', got 'a b'"
            )
        ] == lines_of(io.loads, "id: a b\n")

    def test_unknown_format(self):
        """An unknown format is refused, naming the known ones."""
        with pytest.raises(ValueError, match=re.escape("got 'xml'")):
            io.loads("<id/>", "xml")


def _with_twice(data, draw_index):
    """Return JSON text of *data*, the member *draw_index* picks written twice.

    Members are numbered in the order written; the copy comes right after the
    member, with the value of the member before it when there is one.
    """
    count = 0

    def write(value):
        nonlocal count
        if isinstance(value, dict):
            members = []
            previous = None
            for key, item in value.items():
                members.append(f"{json.dumps(key)}: {write(item)}")
                if count == draw_index:
                    again = item if previous is None else previous
                    members.append(f"{json.dumps(key)}: {json.dumps(again)}")
                count += 1
                previous = item
            return "{" + ", ".join(members) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(write(item) for item in value) + "]"
        return json.dumps(value)

    return write(data)


def outcome(read, *args):
    """Return what *read* gives for *args*: the engagements, or the issues raised."""
    try:
        return read(*args)
    except LoadError as error:
        return [str(issue) for issue in error.issues]


class TestKeysCounted:
    """JSON read without the check for keys written twice, its keys counted."""

    @settings(max_examples=60)
    @given(portfolios(), st.integers(0, 60))
    def test_same_as_checked(self, engagements, twice):
        """Loading gives what reading every key with the check gives."""
        data = {"engagements": [io.to_dict(e) for e in engagements]}
        text = _with_twice(data, twice)

        counted = outcome(io.loads, text, "json")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_source, "_parse_json_unchecked", checked_json)
            checked = outcome(io.loads, text, "json")

        assert checked == counted

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ('{"id": "a", "x-a": {"k": 1, "k": 2}}', "x-a.k"),
            ('{"id": "a", "x-a": [{"k": {"j": 1, "j": 1}}]}', "x-a[0].k.j"),
            (
                (
                    '{"engagements": [{"id": "a"}], "defaults": {"title": "t", '
                    '"title": "u"}}'
                ),
                "defaults.title",
            ),
            (
                (
                    '{"id": "a", "imports": [{"path": "f.csv", "options": '
                    '{"k": 1, "k": 2}}]}'
                ),
                "imports[0].options.k",
            ),
            ('{"id": "a", "client": {"name": "n"}, "client": {}}', "client"),
        ],
    )
    def test_twice_anywhere(self, text, path):
        """A key written twice is reported wherever it is, even in free values."""
        issues = outcome(io.loads, text, "json")

        assert [path] == [i.split(": ")[1] for i in issues if "duplicate" in i]

    @pytest.mark.parametrize(
        "value", ['":"', '"he said \\": no"', '" : "', '"x" ', '"\\u003a"']
    )
    def test_strings_that_look_like_keys(self, value):
        """Text the count cannot vouch for loads all the same, checked."""
        text = f'{{"id": "a", "title": {value}, "x-b": {{"c": {value}}}}}'
        data = json.loads(text)

        assert io.from_dict(data) == io.loads(text, "json")

    def test_versions_in_a_portfolio(self):
        """Each engagement's own format version is a key of the text too."""
        text = json.dumps(
            {"outsourcekit": 1, "engagements": [{"outsourcekit": 1, "id": "a"}]}
        )

        assert [Engagement(id="a")] == io.loads(text, "json")


def checked_json(text, source):
    """Read JSON *text* checking keys as read, as text with spaced keys is."""
    return _source._parse_json(text, source, locate=False)


class TestDicts:
    def test_round_trip(self):
        """``to_dict`` gives the plain data ``from_dict`` reads back."""
        eng = Engagement(id="a", vendor=Vendor(name="V"), tasks=[Task(name="t")])

        assert eng == io.from_dict(io.to_dict(eng))

    def test_version_key(self):
        """``from_dict`` accepts the version key."""
        assert Engagement(id="a") == io.from_dict({"outsourcekit": 1, "id": "a"})

    def test_errors_have_paths(self):
        """Errors in plain data have paths but no file or line."""
        issues = issues_of(
            io.from_dict, {"outsourcekit": 3, "id": "a", "tasks": [{"name": 1}]}
        )

        assert [
            (None, None, "outsourcekit"),
            (None, None, "tasks[0].name"),
        ] == [(i.source, i.line, i.path) for i in issues]

    def test_error_path_shown_escaped(self):
        """A name's bidirectional control shows escaped; the issue's path keeps it.

        U+202E in a task's name would otherwise reverse what a terminal shows
        after it, as findings' texts never let it.
        """
        with pytest.raises(io.LoadError) as raised:
            io.from_dict(
                {"id": "a", "tasks": [{"name": "pay\u202eroll", "critical": "maybe"}]}
            )

        (issue,) = raised.value.issues
        assert "tasks[pay\u202eroll].critical" == issue.path
        expected = (
            "<string>: tasks[pay\\u202eroll].critical: "
            "expected true or false, got 'maybe'"
        )
        assert (expected, expected) == (str(issue), str(raised.value))

    def test_error_key_shown_escaped(self):
        """An unknown key's control characters show escaped, in path and message."""
        with pytest.raises(io.LoadError) as raised:
            io.from_dict({"id": "a", "tasks": [{"name": "t", "due\u202e\x1b": 1}]})

        (issue,) = raised.value.issues
        assert "tasks[t].due\u202e\x1b" == issue.path
        assert (
            "<string>: tasks[t].due\\u202e\\x1b: unknown key `due\\u202e\\x1b`: "
            "did you mean `due`?"
        ) == str(issue)

    def test_does_not_change_input(self):
        """``from_dict`` leaves the mapping it reads as it was."""
        data = {"outsourcekit": 1, "id": "a"}

        io.from_dict(data)

        assert {"outsourcekit": 1, "id": "a"} == data


class TestIssue:
    def test_to_dict(self):
        """An issue is written for the JSON output with five keys."""
        issue = LoadIssue(
            source="a.yaml", line=3, column=8, path="start", message="m", value=1
        )

        assert {
            "source": "a.yaml",
            "line": 3,
            "column": 8,
            "path": "start",
            "message": "m",
        } == issue.to_dict()

    @pytest.mark.parametrize(
        ("issue", "text"),
        [
            (
                LoadIssue(source="a", line=1, column=2, path="p", message="m"),
                "a:1:2: p: m",
            ),
            (
                LoadIssue(source="a", line=None, column=None, path="", message="m"),
                "a: m",
            ),
            (
                LoadIssue(source=None, line=4, column=None, path="p", message="m"),
                "<string>:4: p: m",
            ),
        ],
    )
    def test_str(self, issue, text):
        """An issue reads ``file:line:column: path: message``, without the unknown."""
        assert text == str(issue)


class TestDump:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            ({"id": "a", "title": "t"}, "a mapping ({'id': 'a', 'title': 't'})"),
            ("hello", "'hello'"),
            (None, "null"),
            ([Engagement(id="a"), {"id": "b"}], "a list"),
        ],
    )
    @pytest.mark.parametrize(
        ("fmt", "name"), [("json", "out.yaml"), ("jsonl", "out.jsonl")]
    )
    def test_refuses_what_is_no_engagement(self, value, shown, fmt, name, tmp_path):
        """Only engagements are written: anything else is a TypeError, no file."""
        target = tmp_path / name

        for write in (
            lambda: io.dumps(value, fmt),
            lambda: io.dump(value, target),
        ):
            with pytest.raises(TypeError) as caught:
                write()
            assert str(caught.value).startswith(
                "expected an Engagement or a sequence of engagements, got "
            )
            assert shown in str(caught.value)
        assert [] == list(tmp_path.iterdir())

    @pytest.mark.parametrize("value", ["x", None, {"id": "a"}])
    def test_to_dict_refuses_what_is_no_engagement(self, value):
        """to_dict() takes one engagement."""
        with pytest.raises(TypeError, match=r"^to_dict\(\) takes an Engagement, got "):
            io.to_dict(value)

    def test_yaml(self):
        """YAML dumps keep the model's order and write dates bare."""
        eng = Engagement(
            id="a",
            status=Status.ACTIVE,
            start=dt.date(2026, 1, 5),
            tasks=[Task(name="t", due=Cadence.parse("monthly"))],
            vision="Line one\nLine two\n",
            extensions={"x-crm": "48213"},
        )

        assert (
            "outsourcekit: 1\n"
            "id: a\n"
            "status: active\n"
            "start: 2026-01-05\n"
            "vision: |\n"
            "  Line one\n"
            "  Line two\n"
            "tasks:\n"
            "- name: t\n"
            "  due: monthly\n"
            "x-crm: '48213'\n"
        ) == io.dumps(eng)

    def test_json_portfolio(self):
        """A list dumps as a portfolio."""
        text = io.dumps([Engagement(id="a"), Engagement(id="b")], "json")

        assert {
            "outsourcekit": 1,
            "engagements": [{"id": "a"}, {"id": "b"}],
        } == json.loads(text)

    @pytest.mark.parametrize(
        ("extensions", "path"),
        [({"x-a": None}, "x-a"), ({"x-b": [1, None]}, r"x-b\[1\]")],
    )
    def test_toml_refuses_null(self, extensions, path):
        """TOML cannot hold null: dumping refuses, naming the path, drops nothing."""
        eng = Engagement(id="a", extensions=extensions)

        with pytest.raises(
            ValueError, match=rf"engagement 'a' as TOML: {path} is null"
        ):
            io.dumps(eng, "toml")

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    @pytest.mark.parametrize(
        ("data", "where", "shown"),
        [
            ({"a": [1, object()]}, r"a\[1\]", "an object"),
            ({"a": {"b": {1: "x"}}}, r"a\.b", "a dict"),
        ],
    )
    def test_data_refuses_what_is_no_plain_data(self, fmt, data, where, shown):
        """An importer's data holding an object is refused, naming its path."""
        with pytest.raises(
            ValueError, match=rf"^cannot write the data: {where} is .* \({shown}\), "
        ):
            io.dumps_data(data, fmt)

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_data_refuses_what_holds_itself(self, fmt):
        """Data holding itself nests without end: refused, never a RecursionError."""
        data: dict[str, object] = {}
        data["x-self"] = data

        with pytest.raises(
            ValueError, match=r"^cannot write the data: it is nested deeper than 100"
        ):
            io.dumps_data(data, fmt)

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    @pytest.mark.parametrize(
        ("engagement", "where"),
        [
            (Engagement(id="a", title="x\ud800y"), "title holds 'x\\ud800y'"),
            (
                Engagement(id="a", vendor=Vendor(extensions={"x-n": ["ok", "\udc00"]})),
                "vendor.x-n[1] holds '\\udc00'",
            ),
        ],
    )
    def test_half_a_character_is_refused(self, fmt, engagement, where):
        """Half a surrogate pair is no character: no format writes it back."""
        with pytest.raises(
            ValueError,
            match=rf"^cannot write engagement 'a': {re.escape(where)}, with half of "
            r"a surrogate pair, which is no character a file can hold$",
        ):
            io.dumps(engagement, fmt)

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("yaml", "id: a\nx-limit: .inf\nx-b: {amount: [1.5, -.inf, .nan]}\n"),
            ("toml", 'id = "a"\nx-limit = inf\nx-b = {amount = [1.5, -inf, nan]}\n'),
            (
                "json",
                (
                    '{"id": "a", "x-limit": Infinity, '
                    '"x-b": {"amount": [1.5, -Infinity, NaN]}}'
                ),
            ),
        ],
    )
    def test_infinity_and_nan_kept(self, fmt, text):
        """x- values holding infinity or NaN load untouched; YAML, TOML write them."""
        eng = io.loads(text, fmt)

        amounts = eng.extensions["x-b"]["amount"]
        assert (math.inf, 1.5, -math.inf, True) == (
            eng.extensions["x-limit"],
            amounts[0],
            amounts[1],
            math.isnan(amounts[2]),
        )
        assert eng == io.loads(text, fmt)
        assert eng == io.loads(io.dumps(eng, "yaml"), "yaml")
        assert eng == io.loads(io.dumps(eng, "toml"), "toml")
        assert eng == io.from_dict(io.to_dict(eng))

    def test_infinity_and_nan_built_in_python(self):
        """An engagement built in Python holds infinity and NaN in x- values too."""
        eng = Engagement(id="a", extensions={"x-a": float("inf"), "x-b": float("nan")})

        assert eng == Engagement(
            id="a", extensions={"x-a": math.inf, "x-b": float("nan")}
        )
        assert "x-a: .inf\nx-b: .nan\n" in io.dumps(eng, "yaml")
        assert "x-a = inf\nx-b = nan\n" in io.dumps(eng, "toml")

    @pytest.mark.parametrize(
        ("engagement", "line"),
        [
            (Engagement(id="a", extensions={"x-s": Status.ACTIVE}), "x-s: active\n"),
            (Engagement(id="a", title=Status.ACTIVE), "title: active\n"),
            (
                Engagement(id="a", extensions={"x-s": {Status.PAUSED: [Status.ENDED]}}),
                "x-s:\n  paused:\n  - ended\n",
            ),
        ],
    )
    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_enumeration_members_written_as_their_words(self, engagement, line, fmt):
        """A member of an enumeration is its word: every format writes and reads it."""
        text = io.dumps(engagement, fmt)

        assert engagement == io.loads(text, fmt)
        if fmt == "yaml":
            assert text == f"outsourcekit: 1\nid: a\n{line}"

    @pytest.mark.parametrize(
        "engagement",
        [
            Engagement(id="a", hours_per_week=_Hours.FULL),
            Engagement(id="a", kpis=[KPI(name="k", target=_Level.HIGH)]),
            Engagement(id="a", extensions={"x-a": [_Level.HIGH, _Hours.FULL]}),
            Engagement(id="a", extensions={"x-a": {"b": _Flag.READ, "c": True}}),
        ],
        ids=["float-member", "int-member", "x-values", "flag"],
    )
    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_numbers_of_number_classes(self, engagement, fmt):
        """A number of a class of its own (an enumeration's member) is its number."""
        assert engagement == io.loads(io.dumps(engagement, fmt), fmt)

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_data_numbers_of_number_classes(self, fmt):
        """Plain data holding a member of a number enumeration is written too."""
        text = io.dumps_data({"a": _Level.HIGH, "b": [_Hours.FULL]}, fmt)

        assert {"a": 3, "b": [40.0]} == _source.parse(text, fmt).data

    def test_data_with_a_severity_written_as_its_word(self):
        """dumps_data writes a Severity, and other text of a str subclass, as text."""

        class Word(str):
            __slots__ = ()

        text = io.dumps_data(
            {"s": Severity.ERROR, Word("w"): Word("two\nlines"), "t": Status.TRIAL},
            "yaml",
        )

        assert text == "s: error\nw: |-\n  two\n  lines\nt: trial\n"
        assert {"s": "error", "w": "two\nlines", "t": "trial"} == yaml.safe_load(text)

    @pytest.mark.parametrize(
        ("extensions", "path", "shown"),
        [
            ({"x-a": float("inf")}, "x-a", "inf"),
            ({"x-b": {"amount": [1.5, float("nan")]}}, "x-b.amount[1]", "nan"),
        ],
    )
    def test_json_refuses_infinity_and_nan(self, extensions, path, shown):
        """JSON has no number for infinity or NaN: dumping refuses, naming the path."""
        eng = Engagement(id="a", extensions=extensions)

        with pytest.raises(ValueError, match=r"^cannot write ") as info:
            io.dumps(eng, "json")

        assert (
            f"cannot write engagement 'a' as JSON: {path} is {shown}, which JSON has "
            "no number for (write it as YAML or TOML)"
        ) == str(info.value)

    @pytest.mark.parametrize(
        ("engagement", "path", "number"),
        [
            (
                Engagement(
                    id="a",
                    kpis=[
                        KPI(
                            name="k",
                            measurements=[
                                Measurement(
                                    at=dt.date(2026, 1, 5),
                                    value=123456789012345678901234567890,
                                )
                            ],
                        )
                    ],
                ),
                "kpis[k].measurements[0].value",
                "123456789012345678901234567890",
            ),
            (
                Engagement(id="a", extensions={"x-n": [1, -(2**63) - 1]}),
                "x-n[1]",
                "-9223372036854775809",
            ),
            (
                Engagement(id="a", vendor=Vendor(extensions={"x-n": {"m": 2**63}})),
                "vendor.x-n.m",
                "9223372036854775808",
            ),
        ],
    )
    def test_toml_refuses_large_whole_numbers(self, engagement, path, number):
        """TOML's whole numbers are 64-bit: a larger one is refused, naming its path."""
        with pytest.raises(ValueError, match=r"^cannot write ") as info:
            io.dumps(engagement, "toml")

        assert (
            f"cannot write engagement 'a' as TOML: {path} is {number}, a whole number "
            "TOML cannot hold (TOML's run from -9223372036854775808 to "
            "9223372036854775807; write it as YAML or JSON)"
        ) == str(info.value)
        for fmt in ("yaml", "json"):
            assert engagement == io.loads(io.dumps(engagement, fmt), fmt)

    def test_toml_largest_whole_numbers(self):
        """The largest and smallest 64-bit whole numbers are written as TOML."""
        eng = Engagement(id="a", extensions={"x-n": [2**63 - 1, -(2**63)]})

        assert eng == io.loads(io.dumps(eng, "toml"), "toml")

    def test_data_toml_refuses_large_whole_numbers(self):
        """Plain data written as TOML is held to 64-bit whole numbers too."""
        with pytest.raises(ValueError, match=r"^cannot write ") as info:
            io.dumps_data({"a": {"b": [2**64]}}, "toml")

        assert (
            "cannot write the data as TOML: a.b[0] is 18446744073709551616, a whole "
            "number TOML cannot hold (TOML's run from -9223372036854775808 to "
            "9223372036854775807; write it as YAML or JSON)"
        ) == str(info.value)

    def test_toml_dates_in_x_values_kept(self):
        """TOML dates, date-times and times under x- keys are kept, and written back."""
        text = (
            'id = "a"\n'
            "x-synced = 2026-03-01T10:00:00Z\n"
            "[vendor]\n"
            "x-meet = [08:30:00, 2026-03-02, 2026-03-02T09:15:00]\n"
        )

        eng = io.loads(text, "toml")

        assert (
            {"x-synced": dt.datetime(2026, 3, 1, 10, tzinfo=dt.timezone.utc)},
            {
                "x-meet": (
                    dt.time(8, 30),
                    dt.date(2026, 3, 2),
                    dt.datetime(2026, 3, 2, 9, 15),
                )
            },
        ) == (eng.extensions, eng.vendor.extensions)
        written = io.dumps(eng, "toml")
        assert "x-synced = 2026-03-01 10:00:00+00:00\n" in written
        assert "x-meet = [\n    08:30:00,\n    2026-03-02,\n" in written
        assert eng == io.loads(written, "toml")
        assert eng == io.from_dict(io.to_dict(eng))

    @pytest.mark.parametrize(
        ("fmt", "why"),
        [
            ("json", "JSON has no times"),
            ("yaml", "YAML files are read with no times: it would read back as text"),
        ],
    )
    def test_dates_in_x_values_refused_where_not_held(self, fmt, why):
        """JSON and YAML (read with no dates) refuse a date value, naming its path."""
        eng = Engagement(
            id="a", vendor=Vendor(extensions={"x-meet": ["Mon", dt.time(8, 30)]})
        )

        with pytest.raises(ValueError, match=r"^cannot write ") as info:
            io.dumps([Engagement(id="b"), eng], fmt)

        assert (
            f"cannot write engagement 'a' as {fmt.upper()}: vendor.x-meet[1] is the "
            f"time 08:30:00, and {why} (write it as TOML, or as text)"
        ) == str(info.value)

    @pytest.mark.parametrize(
        ("value", "kind"),
        [
            (dt.date(2026, 3, 2), "date 2026-03-02"),
            (
                dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc),
                "date-time 2026-03-02T09:00:00+00:00",
            ),
        ],
    )
    def test_json_refuses_dates_in_x_values(self, value, kind):
        """JSON writes no date: one in an x- value is refused, not turned into text."""
        eng = Engagement(id="a", extensions={"x-d": value})

        with pytest.raises(ValueError, match=r"^cannot write ") as info:
            io.dumps(eng, "json")

        plural = kind.split()[0] + "s"
        assert (
            f"cannot write engagement 'a' as JSON: x-d is the {kind}, and JSON has "
            f"no {plural} (write it as TOML, or as text)"
        ) == str(info.value)

    def test_offset_times_are_no_plain_data(self):
        """A time of day with an offset is held by no format: it is refused."""
        with pytest.raises(TypeError) as info:
            Engagement(
                id="a", extensions={"x-t": dt.time(8, 30, tzinfo=dt.timezone.utc)}
            )

        assert str(info.value).startswith(
            "x- values must be plain data: text, numbers, booleans, null, dates, "
            "date-times, times of day without an offset, lists and mappings with "
            "text keys (got datetime.time(8, 30, tzinfo=datetime.timezone.utc) "
        )
        assert str(info.value).endswith(" at x-t).")

    @pytest.mark.parametrize(
        "text", ["x\x85y", "a\u2028b", "c\u2029d", "e\rf", "g\r\nh"]
    )
    def test_yaml_keeps_line_breaks(self, text):
        """Line breaks YAML would fold (NEL, U+2028, CR) survive a YAML dump."""
        eng = Engagement(id="a", title=text)

        assert text == io.loads(io.dumps(eng, "yaml"), "yaml").title

    def test_toml_dates_bare(self):
        """TOML dumps write dates as TOML dates."""
        text = io.dumps(Engagement(id="a", start=dt.date(2026, 1, 5)), "toml")

        assert 'outsourcekit = 1\nid = "a"\nstart = 2026-01-05\n' == text

    @pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".toml"])
    def test_dump_by_suffix(self, tmp_path, suffix):
        """``dump`` writes in the format the file's suffix names."""
        path = tmp_path / f"out{suffix}"
        eng = Engagement(id="a", title="T")

        io.dump(eng, path)

        assert eng == io.load(path)

    def test_dump_format_given(self, tmp_path):
        """A format given wins over the suffix."""
        path = tmp_path / "out.txt"

        io.dump(Engagement(id="a"), path, format="json")

        assert {"outsourcekit": 1, "id": "a"} == json.loads(path.read_text())

    def test_dump_unknown_suffix(self, tmp_path):
        """Without a format, an unknown suffix is an error."""
        with pytest.raises(ValueError, match="cannot tell from"):
            io.dump(Engagement(id="a"), tmp_path / "out.txt")

    def test_tricky_text(self):
        """Text that looks like another type is quoted, so it reads back as text."""
        titles = ["yes", "no", "1e3", "0o17", "null", "2026-01-05", "12:30", "~", ""]
        engs = [Engagement(id=f"e{i}", title=t) for i, t in enumerate(titles)]

        assert engs == io.loads(io.dumps(engs))


class TestRoundTrip:
    @given(engagements())
    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_text(self, fmt, engagement):
        """Dumping then loading gives back an equal engagement."""
        assert engagement == io.loads(io.dumps(engagement, fmt), fmt)

    @given(engagements(nulls=False))
    def test_toml(self, engagement):
        """TOML round trips too, where x- values hold no null."""
        assert engagement == io.loads(io.dumps(engagement, "toml"), "toml")

    @settings(max_examples=30)
    @given(portfolios())
    def test_portfolio(self, engagements):
        """A portfolio dumped and loaded is the same list."""
        assert engagements == io.loads(io.dumps(engagements, "yaml"), "yaml")

    @given(engagements())
    def test_dicts(self, engagement):
        """Plain data round trips through ``to_dict`` and ``from_dict``."""
        assert engagement == io.from_dict(io.to_dict(engagement))

    @given(engagements())
    def test_hash(self, engagement):
        """Engagements can be set members: one read back hashes as the original."""
        again = io.from_dict(io.to_dict(engagement))

        assert (hash(engagement), 1) == (hash(again), len({engagement, again}))

    @pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_examples(self, path, fmt):
        """Every example file loads, and dumps back equal in every format."""
        loaded = io.load(path)

        assert loaded == io.loads(io.dumps(loaded, fmt), fmt)


class TestExamples:
    def test_bundled(self):
        """The bundled example portfolio loads, at least eight engagements."""
        loaded = io.load(examples_path())

        assert len(loaded) >= 8

    def test_examples_exist(self):
        """The repository's example files are found."""
        assert len(example_files()) >= 8

    def test_bundled_copy_matches_repository(self):
        """The package ships the repository's examples unchanged."""
        folder = ROOT / "examples" / "engagements"
        shipped = {
            p.relative_to(examples_path()): p.read_bytes()
            for p in examples_path().rglob("*")
            if p.is_file()
        }
        repository = {
            p.relative_to(folder): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }

        assert repository == shipped


def _doc_blocks():
    """Return the YAML blocks of docs/format.md that are full engagements."""
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    full = []
    for block in blocks:
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError:
            continue
        if isinstance(data, dict) and ("id" in data or "engagements" in data):
            full.append(block)
    return full


class TestDocs:
    def test_blocks_found(self):
        """The format page shows full engagements and portfolios."""
        assert len(_doc_blocks()) >= 3

    @pytest.mark.parametrize("block", _doc_blocks())
    def test_blocks_load(self, block):
        """Every full engagement shown in the docs loads."""
        loaded = io.loads(block)

        assert loaded


class TestSpecialFiles:
    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_fifo_refused_by_type(self, write):
        """A FIFO named like an engagement file is refused, never opened."""
        del write
        os.mkfifo("pipe.yaml")

        assert [
            (
                "pipe.yaml",
                "cannot be read: it is not a regular file (it is a FIFO)",
            )
        ] == [(i.source, i.message) for i in issues_of(io.load_all, ["pipe.yaml"])]

    @pytest.mark.skipif(not pathlib.Path("/dev/zero").exists(), reason="no /dev/zero")
    def test_device_behind_symlink_refused(self, write):
        """A symlink to /dev/zero named z.yaml is refused at once."""
        del write
        pathlib.Path("z.yaml").symlink_to("/dev/zero")

        assert [
            ("z.yaml", "cannot be read: it is not a regular file (it is a device)")
        ] == [(i.source, i.message) for i in issues_of(io.load_all, ["z.yaml"])]

    def test_size_limit(self, write, monkeypatch):
        """A file over the size limit is a load error naming the file and the limit."""
        write("big.yaml", "id: big\ntitle: " + "x" * 100 + "\n")
        monkeypatch.setattr(io, "MAX_FILE_BYTES", 64)

        assert [
            ("big.yaml", "the file is too large: 116 bytes, over the limit of 64 bytes")
        ] == [(i.source, i.message) for i in issues_of(io.load_all, ["big.yaml"])]

    def test_size_limit_is_documented(self):
        """The limit is 256 MiB."""
        assert 256 * 1024 * 1024 == io.MAX_FILE_BYTES


class TestSameFileTwice:
    def test_read_once(self, write):
        """A file named twice, or through a folder and a link, is read once."""
        write("team/a.yaml", "id: a\n")
        pathlib.Path("link.yaml").symlink_to("team/a.yaml")

        loaded = io.load_all(
            ["team/a.yaml", "team/a.yaml", "team/../team/a.yaml", "team", "link.yaml"]
        )

        assert ["a"] == [e.id for e in loaded]


class TestMachineZone:
    def test_localtime_is_a_load_error(self):
        """`timezone: localtime` is a load error naming the path."""
        issues = issues_of(io.loads, "id: a\nclient: {name: A, timezone: localtime}\n")

        assert [("client.timezone", "localtime")] == [(i.path, i.value) for i in issues]


class TestCadenceCost:
    def test_below_a_minute(self):
        """A cadence of seconds is a load error naming the path and the limit."""
        text = 'id: a\ncommunication: {check_ins: "FREQ=SECONDLY;BYHOUR=10"}\n'

        assert [
            (
                "communication.check_ins",
                (
                    "occurrences less than a minute apart are not supported: "
                    "FREQ=SECONDLY needs an INTERVAL of at least 60"
                ),
            )
        ] == [
            (i.path, i.message.rpartition(" (")[2][:-1])
            for i in issues_of(io.loads, text)
        ]

    def test_too_many_a_year(self):
        """A cadence over the yearly limit of occurrences is a load error."""
        text = (
            "id: a\nkpis:\n  - {name: k, target: 1, direction: lower,"
            " measured: FREQ=MINUTELY}\n"
        )

        assert [
            (
                "kpis[k].measured",
                "the rule may occur 527,040 times a year, over the limit of 50,000",
            )
        ] == [
            (i.path, i.message.rpartition(" (")[2][:-1])
            for i in issues_of(io.loads, text)
        ]


class TestHostileValues:
    @pytest.mark.parametrize(
        ("fmt", "text", "where"),
        [
            ("json", '{"id": "a", "hours_per_week": %s}', "1:31"),
            ("toml", 'id = "a"\nhours_per_week = %s\n', "2:18"),
            ("yaml", "id: a\nhours_per_week: %s\n", "2:17"),
        ],
    )
    def test_number_too_long(self, fmt, text, where):
        """A number of 5,000 digits is a short, located load error, not a traceback."""
        with pytest.raises(io.LoadError) as caught:
            io.loads(text % ("9" * 5000), fmt, source="big")

        message = str(caught.value)
        assert message.startswith(f"big:{where}: ")
        assert "a number has more than 4,300 digits" in message
        assert len(message) < 200

    def test_lone_surrogate(self):
        """A JSON escape of half a surrogate pair is a load error naming the path."""
        with pytest.raises(io.LoadError) as caught:
            io.loads('{"id": "a", "title": "x\\ud800"}', "json", source="s.json")

        assert (
            "s.json:1:24: title: invalid text: \\ud800 is half of a surrogate "
            "pair, not a Unicode character"
        ) == str(caught.value)
        (issue,) = caught.value.issues
        assert "title" == issue.path

    @pytest.mark.parametrize(
        ("text", "where", "path"),
        [
            ('{"id": "a", "tags": ["ok", "\\udc00"]}', "1:29", "tags[1]"),
            (
                '{"id": "a", "kpis": [{"name": "k", "unit": "\\ud800"}]}',
                "1:45",
                "kpis[k].unit",
            ),
            (
                (
                    '{"engagements": [{"id": "b"}, {"id": "a", "vendor": '
                    '{"name": "x\\udfff"}}]}'
                ),
                "1:64",
                "vendor.name",
            ),
            ('{"id": "a", "x-k": {"\\ud800": 1}}', "1:22", "x-k.\ud800"),
            ('"\\ud800"', "1:2", ""),
        ],
    )
    def test_lone_surrogate_nested(self, text, where, path):
        """In a list, a named item, a portfolio or a key: the engagement's path."""
        with pytest.raises(io.LoadError) as caught:
            io.loads(text, "json", source="s.json")

        (issue,) = caught.value.issues
        assert (f"s.json:{where}", path) == (
            f"{issue.source}:{issue.line}:{issue.column}",
            issue.path,
        )
        assert issue.message.startswith("invalid text: \\u")
        assert issue.message.endswith(
            " is half of a surrogate pair, not a Unicode character"
        )

    def test_lone_surrogate_in_json_lines(self, tmp_path):
        """A line of a JSON Lines file names the path, its items by name too."""
        path = tmp_path / "s.jsonl"
        path.write_text(
            '{"id": "a"}\n{"id": "b", "kpis": [{"name": "k", "unit": "\\ud800"}]}\n',
            encoding="utf-8",
        )

        with pytest.raises(io.LoadError) as caught:
            io.load_all([path])

        assert [
            (
                2,
                45,
                "kpis[k].unit",
                (
                    "invalid text: \\ud800 is half of a surrogate pair, not a "
                    "Unicode character"
                ),
            )
        ] == [(i.line, i.column, i.path, i.message) for i in caught.value.issues]

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_raw_surrogate(self, fmt):
        """Text given from Python with a raw surrogate is refused, located."""
        with pytest.raises(io.LoadError) as caught:
            io.loads("\ud800", fmt, source="s")

        assert (
            "s:1:1: invalid text: U+D800 is half of a surrogate pair, not a Unicode "
            "character"
        ) == str(caught.value)

    def test_surrogate_pair_is_a_character(self):
        """An escaped surrogate pair is one character and loads."""
        eng = io.loads('{"id": "a", "title": "\\ud83d\\ude00"}', "json")

        assert "\U0001f600" == eng.title

    def test_toml_nested_too_deeply(self):
        """A TOML table header 1,000 levels deep is a load error, not RecursionError."""
        text = 'id = "a"\n[' + ".".join(["t"] * 1000) + "]\nx = 1\n"

        with pytest.raises(io.LoadError, match="nested too deeply to be read"):
            io.loads(text, "toml")


class TestJsonDuplicates:
    """``io.json_duplicates``: keys written twice, as engagement files report them."""

    def test_located_and_named_by_item(self):
        """Each repeat is where it is written again, its path naming items by name."""
        text = '{"tasks": [{"name": "a", "due": 1, "due": 2}]}'

        (issue,) = io.json_duplicates(text, json.loads(text), source="x.json")

        assert (
            "x.json:1:36: tasks[a].due: duplicate key `due`: a key may appear "
            "once in an object, it is first at line 1, column 26"
        ) == str(issue)

    def test_without_data_items_by_index(self):
        """Without the data, items are named by their index."""
        text = '{"tasks": [{"name": "a", "due": 1, "due": 2}]}'

        assert ["tasks[0].due"] == [i.path for i in io.json_duplicates(text)]

    @pytest.mark.parametrize("text", ['{"a": 1}', '{"a": {"b": [1, {"c": 2}]}}', "[]"])
    def test_none(self, text):
        """Text with no key written twice has no issue."""
        assert [] == io.json_duplicates(text)

    def test_each_list_labelled_once(self, monkeypatch):
        """Many repeats in one list name its items once, not once per repeat."""
        items = ", ".join(f'{{"name": "t{i}", "due": 1, "due": 2}}' for i in range(50))
        text = f'{{"tasks": [{items}]}}'
        calls = []
        labels = _source._item_labels

        def counted(values):
            calls.append(len(values))
            return labels(values)

        monkeypatch.setattr(_source, "_item_labels", counted)

        issues = io.json_duplicates(text, json.loads(text))

        assert [f"tasks[t{i}].due" for i in range(50)] == [i.path for i in issues]
        assert [50] == calls

    def test_deeper_than_located(self):
        """A repeat nested deeper than located is still reported, unlocated."""
        text = '{"x":' * 120 + '{"a": 1, "a": 2}' + "}" * 120

        (issue,) = io.json_duplicates(text)

        assert (None, "duplicate key in an object") == (issue.line, issue.message)


#: Each format dump writes, with the suffix that names it.
_DUMP_FORMATS = [
    ("yaml", ".yaml"),
    ("json", ".json"),
    ("toml", ".toml"),
    ("jsonl", ".jsonl"),
]
_OWN_DESCRIPTORS = pathlib.Path(f"/proc/{os.getpid()}/fd")


class TestDumpTargets:
    @pytest.mark.skipif(not _OWN_DESCRIPTORS.is_dir(), reason="needs /proc")
    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    @pytest.mark.parametrize("folder", ["/dev/fd", "/proc/self/fd"])
    def test_open_descriptor_written_where_it_stands(
        self, tmp_path, fmt, suffix, folder
    ):
        """A path naming an open file (``/dev/fd/3``) is written through it: appended
        to when it was opened to append, never emptied nor replaced."""
        path = tmp_path / f"log{suffix}"
        path.write_text("before\n", encoding="utf-8")
        node = path.stat().st_ino
        eng = Engagement(id="a")
        with path.open("a", encoding="utf-8") as log:
            io.dump(eng, f"{folder}/{log.fileno()}", format=fmt)

        assert ("before\n" + io.dumps(eng, fmt), node) == (
            path.read_text(encoding="utf-8"),
            path.stat().st_ino,
        )
        assert [path] == list(tmp_path.iterdir())

    @pytest.mark.skipif(not _OWN_DESCRIPTORS.is_dir(), reason="needs /proc")
    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    def test_stdout_appended_to(self, tmp_path, fmt, suffix):
        """``/dev/stdout`` opened by the shell with ``>>`` is appended to, after
        what the program printed before, and before what it prints after."""
        path = tmp_path / f"log{suffix}"
        path.write_text("earlier\n", encoding="utf-8")
        program = (
            "import outsourcekit as ok\n"
            "print('before')\n"
            f"ok.dump(ok.Engagement(id='a'), '/dev/stdout', format={fmt!r})\n"
            "print('after')\n"
        )
        with path.open("ab") as log:
            subprocess.run(  # noqa: S603 -- this Python, a fixed program
                [sys.executable, "-c", program], stdout=log, check=True, env=_env()
            )

        assert (
            "earlier\nbefore\n" + io.dumps(Engagement(id="a"), fmt) + "after\n"
        ) == path.read_text(encoding="utf-8")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    def test_named_pipe_written_to(self, tmp_path, fmt, suffix):
        """A named pipe is written to as it is, in every format."""
        pipe = tmp_path / f"pipe{suffix}"
        os.mkfifo(pipe)
        read = []
        reader = threading.Thread(target=lambda: read.append(pipe.read_text("utf-8")))
        reader.start()

        io.dump(Engagement(id="a"), pipe)

        reader.join(10)
        assert [io.dumps(Engagement(id="a"), fmt)] == read
        assert [pipe] == list(tmp_path.iterdir())

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions and links")
    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    def test_link_followed(self, tmp_path, fmt, suffix):
        """Through a symbolic link, the file it points to is replaced, keeping its
        permissions; the link stays a link."""
        real = tmp_path / f"real{suffix}"
        real.write_text("old\n", encoding="utf-8")
        real.chmod(0o640)
        link = tmp_path / f"link{suffix}"
        link.symlink_to(real.name)

        io.dump(Engagement(id="a"), link)

        assert (io.dumps(Engagement(id="a"), fmt), 0o640, True) == (
            real.read_text(encoding="utf-8"),
            real.stat().st_mode & 0o777,
            link.is_symlink(),
        )
        assert {real, link} == set(tmp_path.iterdir())

    @pytest.mark.skipif(sys.platform == "win32", reason="POSIX hard links")
    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    def test_file_replaced_whole(self, tmp_path, fmt, suffix):
        """A regular file is replaced by a whole new one: whoever has the old file
        open, or another hard link to it, keeps the old contents."""
        path = tmp_path / f"p{suffix}"
        path.write_text("old\n", encoding="utf-8")
        other = tmp_path / "other"
        other.hardlink_to(path)

        io.dump(Engagement(id="a"), path)

        assert (io.dumps(Engagement(id="a"), fmt), "old\n") == (
            path.read_text(encoding="utf-8"),
            other.read_text(encoding="utf-8"),
        )
        assert {path, other} == set(tmp_path.iterdir())

    @pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs file size limits")
    @pytest.mark.parametrize("suffix", [suffix for _, suffix in _DUMP_FORMATS])
    def test_failed_write_leaves_the_file_as_it_was(self, tmp_path, suffix):
        """A write that fails part of the way (the disk is full) leaves the file as
        it was, and no new file beside it."""
        path = tmp_path / f"p{suffix}"
        path.write_text("old\n", encoding="utf-8")
        program = (
            "import resource, signal, sys\n"
            "import outsourcekit as ok\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
            "engs = [ok.Engagement(id=f'e{n}', title='t' * 100) for n in range(100)]\n"
            "try:\n"
            "    ok.dump(engs, sys.argv[1])\n"
            "except OSError as error:\n"
            "    print(error.errno, error.filename)\n"
        )
        done = subprocess.run(  # noqa: S603 -- this Python, a fixed program
            [sys.executable, "-c", program, str(path)],
            capture_output=True,
            text=True,
            check=True,
            env=_env(),
        )

        assert (f"{errno.EFBIG} {path}\n", "old\n") == (
            done.stdout,
            path.read_text(encoding="utf-8"),
        )
        assert [path] == list(tmp_path.iterdir())

    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    def test_folder_refused_by_the_name_given(self, tmp_path, monkeypatch, fmt, suffix):
        """A folder is refused, named as given, and left as it was."""
        monkeypatch.chdir(tmp_path)
        pathlib.Path(f"out{suffix}").mkdir()

        with pytest.raises(IsADirectoryError) as caught:
            io.dump(Engagement(id="a"), f"out{suffix}", format=fmt)

        assert f"out{suffix}" == caught.value.filename
        assert [tmp_path / f"out{suffix}"] == list(tmp_path.iterdir())

    @pytest.mark.parametrize(("fmt", "suffix"), _DUMP_FORMATS)
    @pytest.mark.parametrize("letter", ["a", "ü"])
    def test_longest_name_written(self, tmp_path, fmt, suffix, letter):
        """A file whose name is as long as the system allows is written over."""
        room = 255 - len(suffix.encode())
        path = tmp_path / (letter * (room // len(letter.encode())) + suffix)
        path.write_text("old\n", encoding="utf-8")

        io.dump(Engagement(id="a"), path)

        assert io.dumps(Engagement(id="a"), fmt) == path.read_text(encoding="utf-8")
        assert [path] == list(tmp_path.iterdir())

    def test_missing_folder_named(self, tmp_path):
        """A file in a folder that does not exist is refused, naming the file."""
        path = tmp_path / "no" / "p.yaml"

        with pytest.raises(FileNotFoundError) as caught:
            io.dump(Engagement(id="a"), path)

        assert str(path) == caught.value.filename


def _env():
    """Return the environment a program that imports these sources runs in."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


_JSON_DATA = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


def _indented(data):
    """Return *data* as ``json.dumps`` writes it indented, with a line feed."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class TestJsonText:
    def test_examples_as_json_dumps_writes_them(self):
        """The bundled examples, and each of them alone, are written as
        ``json.dumps(indent=2)`` writes them."""
        examples = io.load(examples_path())
        texts = [(io.dumps(examples, "json"), io.dumps(examples[0], "json"))]
        expected = [
            (
                _indented(
                    {
                        "outsourcekit": 1,
                        "engagements": [io.to_dict(e) for e in examples],
                    }
                ),
                _indented({"outsourcekit": 1, **io.to_dict(examples[0])}),
            )
        ]

        assert expected == texts

    @pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
    def test_example_files_as_json_dumps_writes_them(self, path):
        """Each example file's data is written as ``json.dumps(indent=2)`` writes it."""
        loaded = io.load(path)
        engagements = loaded if isinstance(loaded, list) else [loaded]
        data = {"outsourcekit": 1, "engagements": [io.to_dict(e) for e in engagements]}

        assert _indented(data) == io.dumps(engagements, "json")

    @given(_JSON_DATA)
    @settings(max_examples=300, deadline=None)
    def test_any_data_as_json_dumps_writes_it(self, data):
        """Any plain data is written as ``json.dumps(indent=2)`` writes it."""
        assert _indented(data) == io.dumps_data(data, "json")

    @pytest.mark.parametrize(
        "data",
        [
            {'a\\"b': ["\\", '"', "{[,]}: ", '\\\\"', "\\u0022", "x\ny\x01"]},
            [[], {}, [[]], [{}], {"a": {}, "b": []}, [[[1]]], ""],
            {"1.5e+16": [1.5e16, -0.0, 10**30, True, False, None]},
            {1: "a", 2.5: "b", None: "c", False: "d"},
            "a string",
            [],
            7,
        ],
    )
    def test_tricky_data_as_json_dumps_writes_it(self, data):
        """Quotes, backslashes and brackets in text, empty lists and mappings,
        numbers and keys that are no text are written as ``json.dumps`` does."""
        assert _indented(data) == io._json_document(data, list)

    def test_first_refused_value_named(self):
        """Of a NaN and a date, the one met first is named, as before."""
        nan = Engagement(id="a", extensions={"x-n": {"v": [math.nan]}})
        date = Engagement(id="b", extensions={"x-d": [{"on": dt.date(2026, 1, 5)}]})

        with pytest.raises(ValueError, match=r"^cannot write") as nan_first:
            io.dumps([nan, date], "json")
        with pytest.raises(ValueError, match=r"^cannot write") as date_first:
            io.dumps([date, nan], "json")

        assert (
            "cannot write engagement 'a' as JSON: x-n.v[0] is nan, which JSON has no "
            "number for (write it as YAML or TOML)"
        ) == str(nan_first.value)
        assert (
            "cannot write engagement 'b' as JSON: x-d[0].on is the date 2026-01-05, "
            "and JSON has no dates (write it as TOML, or as text)"
        ) == str(date_first.value)

    def test_written_by_the_fast_encoder(self, monkeypatch):
        """Indented JSON is written without Python's pure-Python JSON encoder,
        several times slower than the one it has in C."""

        def refuse(*_args, **_kwargs):
            raise AssertionError("pure-Python JSON encoder used")

        monkeypatch.setattr(json.encoder, "_make_iterencode", refuse)
        examples = io.load(examples_path())

        assert io.dumps(examples, "json").startswith('{\n  "outsourcekit": 1,\n')
