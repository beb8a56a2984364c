"""Engagements naming files of other systems under `imports:`: safety, merging."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import attrs
import pytest
from importer_support import FAKE, READS

import outsourcekit as ok
from outsourcekit import io, plugins
from outsourcekit.config import read_config
from outsourcekit.model import CheckIn, Import, Side

pytestmark = pytest.mark.usefixtures("fake")

CHECK_INS = {
    "data": {
        "check_ins": [
            {"at": "2026-03-02T09:00+00:00", "by": "client"},
            {"at": "2026-03-09T09:00+00:00", "by": "vendor"},
        ]
    },
    "lines": [[["check_ins", 0], 4], [["check_ins", 1], 5]],
}


def load_error(path, **kwargs):
    with pytest.raises(ok.LoadError) as info:
        ok.load(path, **kwargs)
    return info.value


def located(error):
    return [(i.source, i.line, i.path, i.message) for i in error.issues]


class TestPathSafety:
    def test_parent_folder(self, write):
        """A path that leaves the file's folder through `..` is a located error."""
        write("secret.fake", CHECK_INS)
        path = write(
            "engagements/a.yaml", "id: a\nimports:\n  - path: ../secret.fake\n"
        )

        error = load_error(path)

        ((source, line, where, message),) = located(error)
        assert (os.fspath(path), 3, "imports[0].path") == (source, line, where)
        assert message.startswith("the import path '../secret.fake' leads outside ")
        assert ["a"] == [e.id for e in error.loaded]
        assert {} == READS

    def test_symbolic_link_out(self, write, tmp_path):
        """A symbolic link below the folder that leads out of it is refused."""
        outside = tmp_path / write("outside/log.fake", CHECK_INS)
        folder = tmp_path / "engagements"
        folder.mkdir()
        (folder / "log.fake").symlink_to(outside)
        path = write("engagements/a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        ((_, line, where, message),) = located(load_error(path))

        assert (3, "imports[0].path") == (line, where)
        assert f"(to {outside.resolve()})" in message

    def test_symbolic_link_inside(self, write, tmp_path):
        """A symbolic link to a file in the same folder tree is followed."""
        write("engagements/data/log.fake", CHECK_INS)
        (tmp_path / "engagements" / "log.fake").symlink_to("data/log.fake")
        path = write("engagements/a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        assert 2 == len(ok.load(path).check_ins)

    def test_dot_dot_that_stays_inside(self, write):
        """`..` that stays inside the folder is fine."""
        write("engagements/log.fake", CHECK_INS)
        write("engagements/sub/other.fake", CHECK_INS)
        path = write(
            "engagements/a.yaml", "id: a\nimports:\n  - path: sub/../log.fake\n"
        )

        assert 2 == len(ok.load(path).check_ins)

    @pytest.mark.parametrize(
        ("given", "reason"),
        [
            ("/etc/passwd", "an absolute path"),
            ("https://example.com/cal.ics", "a URL"),
            ("~/cal.fake", "a path from a home folder"),
        ],
    )
    def test_not_relative(self, write, given, reason):
        """Absolute paths, URLs and home folders are errors naming the value."""
        path = write("a.yaml", f"id: a\nimports:\n  - path: {given!r}\n")

        ((_, line, where, message),) = located(load_error(path))

        assert (3, "imports[0].path") == (line, where)
        assert message.startswith("expected a relative path inside the engagement")
        assert reason in message
        assert repr(given) in message

    def test_nul_character(self, write):
        """A path holding a NUL character, which no file name holds, is an error."""
        path = write("a.yaml", 'id: a\nimports:\n  - path: "log.fake\\0"\n')

        error = load_error(path)

        assert [
            (
                os.fspath(path),
                3,
                "imports[0].path",
                (
                    "expected a relative path inside the engagement file's folder, "
                    "like calendars/acme.ics (not a path with a NUL character, which "
                    "no file name holds), got 'log.fake\\x00'"
                ),
            )
        ] == located(error)
        assert ["a"] == [e.id for e in error.loaded]

    @pytest.mark.parametrize("given", ["", "  "])
    def test_empty_path(self, write, given):
        """An empty import path says so in plain words."""
        path = write("a.yaml", f"id: a\nimports: [{{path: {given!r}}}]\n")

        [issue] = load_error(path).issues

        assert (
            "imports[0].path",
            (
                "expected a relative path inside the engagement file's folder, like "
                f"calendars/acme.ics (not an empty path), got {given!r}"
            ),
        ) == (issue.path, issue.message)

    def test_bad_entry_leaves_the_rest(self, write):
        """An entry that is no relative path is left out; the engagement loads."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            "id: a\ntitle: T\nimports:\n  - path: /etc/x\n  - path: log.fake\n",
        )

        error = load_error(path)

        assert ["imports[0].path"] == [i.path for i in error.issues]
        (engagement,) = error.loaded
        assert (("log.fake",), 2) == (
            tuple(i.path for i in engagement.imports),
            len(engagement.check_ins),
        )

    def test_entries_after_a_bad_one_keep_their_place(self, write):
        """Problems of the entries after a refused one name their own index and line."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            "id: a\nimports:\n  - path: /etc/x\n  - path: log.fake\n"
            "  - path: nope.fake\n",
        )

        error = load_error(path)

        assert [
            ("a.yaml", 3, "imports[0].path"),
            ("a.yaml", 5, "imports[2].path"),
        ] == [(s, n, w) for s, n, w, _ in located(error)]
        assert "no such file: nope.fake" == error.issues[1].message
        (engagement,) = error.loaded
        assert 2 == len(engagement.check_ins)

    def test_missing_file(self, write):
        """A file that is not there is an error naming it."""
        path = write("a.yaml", "id: a\nimports:\n  - path: nope.fake\n")

        assert [("a.yaml", 3, "imports[0].path", "no such file: nope.fake")] == [
            (s, n, w, m) for s, n, w, m in located(load_error(path))
        ]

    @pytest.mark.parametrize(
        "given", ["a" * 300 + ".fake", "/".join(["d"] * 3000) + "/log.fake"]
    )
    def test_name_too_long(self, write, given):
        """A path longer than the system takes is a located error, not a crash."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml", f"id: a\nimports:\n  - path: {given}\n  - path: log.fake\n"
        )

        error = load_error(path)

        assert [
            (
                os.fspath(path),
                3,
                "imports[0].path",
                f"cannot follow the import path {given!r}: File name too long",
            )
        ] == located(error)
        assert [("a", 2)] == [(e.id, len(e.check_ins)) for e in error.loaded]

    def test_missing_folder_before_parent_step(self, write):
        """A path through a missing folder and `..` names that folder, not the file."""
        write("log.fake", CHECK_INS)
        path = write("a.yaml", "id: a\nimports:\n  - path: sub/../log.fake\n")

        assert [
            (
                "a.yaml",
                3,
                "imports[0].path",
                (
                    "no such file: sub/../log.fake: the folder sub, which `..` "
                    "leaves, does not exist"
                ),
            )
        ] == [(s, n, w, m) for s, n, w, m in located(load_error(path))]

    def test_too_large(self, write, monkeypatch):
        """An imported file over the size limit is refused before it is read."""
        write("log.fake", CHECK_INS)
        path = write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")
        monkeypatch.setattr(io, "MAX_FILE_BYTES", 100)

        ((_, _, _, message),) = located(load_error(path))

        assert message.startswith("log.fake: the file is too large")
        assert {} == READS

    def test_import_root_widens(self, write, tmp_path):
        """With an import root, files below it may be imported from elsewhere."""
        write("shared/log.fake", CHECK_INS)
        path = write(
            "engagements/a.yaml", "id: a\nimports:\n  - path: ../shared/log.fake\n"
        )

        engagement = ok.load(path, import_root=tmp_path)

        assert 2 == len(engagement.check_ins)

    def test_import_root_in_configuration(self, write):
        """`import-root` in a configuration is taken from the configuration's folder."""
        config = write("outsourcekit.toml", 'import-root = "shared"\n')

        assert Path("shared") == read_config(config).import_root

    def test_text_reads_below_working_directory(self, write):
        """Text's imports are taken from the working directory, and kept inside it."""
        write("log.fake", CHECK_INS)

        engagement = ok.loads("id: a\nimports:\n  - path: log.fake\n")
        with pytest.raises(ok.LoadError, match=r"leads outside"):
            ok.loads("id: a\nimports:\n  - path: ../log.fake\n")

        assert 2 == len(engagement.check_ins)


class TestMerging:
    def test_own_values_win(self, write):
        """The engagement's own values win; mappings merge; null counts as absent."""
        write(
            "facts.fake",
            {
                "data": {
                    "title": "Imported",
                    "owner": "Sam",
                    "status": "paused",
                    "communication": {"check_ins": "weekly", "response_time": "24h"},
                }
            },
        )
        path = write(
            "a.yaml",
            """
            id: a
            title: Own
            status: null
            communication: {check_ins: daily}
            imports: [{path: facts.fake}]
            """,
        )

        engagement = ok.load(path)

        assert ("Own", "Sam", "paused", "daily", "24h") == (
            engagement.title,
            engagement.owner,
            engagement.status.value,
            engagement.communication.check_ins.text,
            engagement.communication.response_time.text,
        )

    def test_log_lists_concatenated(self, write):
        """Check-ins are the own ones first, then the imported ones, each once."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            """
            id: a
            check_ins:
              - {at: "2026-03-09T10:00+01:00", by: vendor}
              - {at: "2026-02-23", by: client}
            imports: [{path: log.fake}]
            """,
        )

        engagement = ok.load(path)

        utc = dt.timezone.utc
        assert [
            CheckIn(
                at=dt.datetime(
                    2026, 3, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))
                ),
                by=Side.VENDOR,
            ),
            CheckIn(at=dt.date(2026, 2, 23), by=Side.CLIENT),
            CheckIn(at=dt.datetime(2026, 3, 2, 9, tzinfo=utc), by=Side.CLIENT),
        ] == list(engagement.check_ins)

    def test_times_without_offset_are_in_the_client_zone(self, write):
        """An own entry without offset is the imported one at that moment: kept once.

        Read in the client's zone, as the engagement reads it (London is UTC+1
        in July); the entry kept is the engagement's own, as written. Entries
        at one moment that differ otherwise (``by``) are both kept.
        """
        write(
            "log.fake",
            {
                "data": {
                    "check_ins": [
                        {"at": "2026-01-12T10:00+00:00", "by": "client"},
                        {"at": "2026-07-13T09:00+00:00", "by": "client"},
                        {"at": "2026-01-19T10:00+00:00", "by": "vendor"},
                        {"at": "2026-01-26T10:00+00:00", "by": "client"},
                    ]
                }
            },
        )
        path = write(
            "a.yaml",
            """
            id: a
            client: {timezone: Europe/London}
            check_ins:
              - {at: "2026-01-12T10:00", by: client}
              - {at: "2026-07-13T10:00", by: client}
              - {at: "2026-01-19T10:00", by: client}
              - {at: "2026-01-26T11:00", by: client}
            imports: [{path: log.fake}]
            """,
        )

        engagement = ok.load(path)

        utc = dt.timezone.utc
        assert [
            CheckIn(at=dt.datetime(2026, 1, 12, 10), by=Side.CLIENT),
            CheckIn(at=dt.datetime(2026, 7, 13, 10), by=Side.CLIENT),
            CheckIn(at=dt.datetime(2026, 1, 19, 10), by=Side.CLIENT),
            CheckIn(at=dt.datetime(2026, 1, 26, 11), by=Side.CLIENT),
            CheckIn(at=dt.datetime(2026, 1, 19, 10, tzinfo=utc), by=Side.VENDOR),
            CheckIn(at=dt.datetime(2026, 1, 26, 10, tzinfo=utc), by=Side.CLIENT),
        ] == list(engagement.check_ins)
        assert {dt.date(2026, 1, 12): 1} == engagement.check_ins_by_week(
            dt.date(2026, 1, 18)
        )

    def test_times_without_offset_in_utc_without_client_zone(self, write):
        """Without the client's zone, a time without offset is in UTC: kept once."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            """
            id: a
            check_ins: [{at: "2026-03-02T09:00", by: client}]
            imports: [{path: log.fake}]
            """,
        )

        engagement = ok.load(path)

        assert [
            CheckIn(at=dt.datetime(2026, 3, 2, 9), by=Side.CLIENT),
            CheckIn(
                at=dt.datetime(2026, 3, 9, 9, tzinfo=dt.timezone.utc), by=Side.VENDOR
            ),
        ] == list(engagement.check_ins)

    def test_measurement_without_offset_in_the_client_zone(self, write):
        """A KPI's measurement without offset is in the client's zone too."""
        write(
            "kpis.fake",
            {
                "data": {
                    "client": {"timezone": "Asia/Manila"},
                    "kpis": [
                        {
                            "name": "close-time",
                            "measurements": [
                                {"at": "2026-03-06T01:00+00:00", "value": 5},
                                {"at": "2026-03-06T09:00+00:00", "value": 5},
                            ],
                        }
                    ],
                }
            },
        )
        path = write(
            "a.yaml",
            """
            id: a
            kpis:
              - name: close-time
                measurements: [{at: "2026-03-06T09:00", value: 5}]
            imports: [{path: kpis.fake}]
            """,
        )

        engagement = ok.load(path)

        assert [
            dt.datetime(2026, 3, 6, 9),
            dt.datetime(2026, 3, 6, 9, tzinfo=dt.timezone.utc),
        ] == [m.at for m in engagement.kpis[0].measurements]

    def test_named_items_merged(self, write):
        """KPIs and milestones merge by name: their logs concatenated, others added."""
        write(
            "kpis.fake",
            {
                "data": {
                    "kpis": [
                        {
                            "name": "close-time",
                            "target": 9,
                            "measurements": [{"at": "2026-03-06", "value": 5}],
                        },
                        {
                            "name": "csat",
                            "measurements": [{"at": "2026-03-06", "value": 4.5}],
                        },
                    ],
                    "milestones": [
                        {
                            "name": "Q1",
                            "updates": [{"at": "2026-03-15", "note": "2 of 3"}],
                        }
                    ],
                    "tasks": [{"name": "Imported task"}],
                }
            },
        )
        path = write(
            "a.yaml",
            """
            id: a
            kpis:
              - name: close-time
                target: 5
                measurements: [{at: 2026-02-06, value: 6}]
            milestones: [{name: Q1, due: 2026-04-07}]
            tasks: [{name: Own task}]
            imports: [{path: kpis.fake}]
            """,
        )

        engagement = ok.load(path)

        close, csat = engagement.kpis
        assert (5, [6, 5], "csat") == (
            close.target,
            [m.value for m in close.measurements],
            csat.name,
        )
        assert ["2 of 3"] == [u.note for u in engagement.milestones[0].updates]
        assert ["Own task"] == [t.name for t in engagement.tasks]

    def test_namesakes_merge_only_when_unique(self, write):
        """An imported item merges by name only when one on each side has it.

        Two imported KPIs named like one of the engagement's cannot be told
        apart: both are added, none dropped; so are imported items whose name
        two of the engagement's have. A name unique on both sides still merges.
        """
        write(
            "kpis.fake",
            {
                "data": {
                    "kpis": [
                        {
                            "name": "csat",
                            "measurements": [{"at": "2026-01-06", "value": 4}],
                        },
                        {
                            "name": "csat",
                            "measurements": [{"at": "2026-02-06", "value": 5}],
                        },
                        {"name": "nps", "target": 40},
                        {"name": "close-time", "target": 9},
                    ],
                    "milestones": [{"name": "Payment", "due": "2026-05-01"}],
                }
            },
        )
        path = write(
            "a.yaml",
            """
            id: a
            kpis:
              - {name: csat, target: 4}
              - {name: nps}
              - {name: nps, unit: points}
              - {name: close-time, target: 5}
            milestones: [{name: Payment}, {name: Payment, due: 2026-03-01}]
            imports: [{path: kpis.fake}]
            """,
        )

        engagement = ok.load(path)

        assert [
            ("csat", 4, []),
            ("nps", None, []),
            ("nps", None, []),
            ("close-time", 5, []),
            ("csat", None, [4]),
            ("csat", None, [5]),
            ("nps", 40, []),
        ] == [
            (k.name, k.target, [m.value for m in k.measurements])
            for k in engagement.kpis
        ]
        assert [None, dt.date(2026, 3, 1), dt.date(2026, 5, 1)] == [
            m.due for m in engagement.milestones
        ]

    def test_namesakes_kept_once_when_loaded_again(self, write, tmp_path):
        """Imported namesakes added once are not added again by a dumped copy."""
        write(
            "ms.fake",
            {
                "data": {
                    "milestones": [
                        {"name": "Payment", "due": "2026-05-01"},
                        {"name": "Payment", "due": "2026-05-01"},
                        {"name": "Payment", "due": "2026-06-01"},
                    ]
                }
            },
        )
        path = write(
            "a.yaml",
            "id: a\nmilestones: [{name: Payment}]\nimports: [{path: ms.fake}]\n",
        )
        engagement = ok.load(path)
        again = tmp_path / "again.yaml"

        ok.dump(engagement, again)

        assert (4, engagement) == (len(engagement.milestones), ok.load(again))

    def test_several_imports_in_order(self, write):
        """Imports merge in the order written: the earlier one's values win."""
        write(
            "one.fake",
            {"data": {"owner": "First", "check_ins": [{"at": "2026-03-02"}]}},
        )
        write(
            "two.fake",
            {
                "data": {
                    "owner": "Second",
                    "title": "T",
                    "check_ins": [{"at": "2026-03-02"}, {"at": "2026-03-03"}],
                }
            },
        )
        path = write("a.yaml", "id: a\nimports: [{path: one.fake}, {path: two.fake}]\n")

        engagement = ok.load(path)

        assert ("First", "T", ["2026-03-02", "2026-03-03"]) == (
            engagement.owner,
            engagement.title,
            [c.at.isoformat() for c in engagement.check_ins],
        )

    def test_options_arrive_typed(self, write):
        """The importer gets every option, checked and typed, defaults filled in."""
        write("facts.fake", {"data": {}, "echo": True})
        path = write(
            "a.yaml",
            """
            id: a
            imports:
              - path: facts.fake
                importer: fake
                options: {who: "@a.com, @b.ph", strict: true}
            """,
        )

        engagement = ok.load(path)

        assert {"who": ("@a.com", "@b.ph"), "strict": True, "limit": 10} == (
            engagement.extensions["x-options"]
        )

    def test_file_read_once(self, write):
        """A file several engagements import with the same options is read once."""
        write("log.fake", CHECK_INS)
        path = write(
            "p.yaml",
            """
            defaults:
              imports: [{path: log.fake}]
            engagements: [{id: a}, {id: b}]
            """,
        )

        engagements = ok.load(path)

        assert ([2, 2], {"log.fake": 1}) == (
            [len(e.check_ins) for e in engagements],
            READS,
        )


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    def test_dump_keeps_imports(self, write, tmp_path, fmt):
        """dump(load(x)) keeps `imports:`, and loads back equal."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            """
            id: a
            check_ins: [{at: 2026-02-23, by: client}]
            kpis: [{name: k, measurements: [{at: 2026-02-06, value: 6}]}]
            imports:
              - path: log.fake
                importer: fake
                options: {who: ["@a.com"], limit: 3}
            """,
        )
        engagement = ok.load(path)
        again = tmp_path / f"again.{fmt}"

        ok.dump(engagement, again)

        assert (engagement, engagement.imports) == (
            ok.load(again),
            (
                Import(
                    path="log.fake",
                    importer="fake",
                    options={"who": ["@a.com"], "limit": 3},
                ),
            ),
        )

    def test_from_dict_reads_no_file(self):
        """from_dict keeps `imports:` as data: it reads no file."""
        engagement = ok.from_dict({"id": "a", "imports": [{"path": "log.fake"}]})

        assert ((Import(path="log.fake"),), ()) == (
            engagement.imports,
            engagement.check_ins,
        )


class TestErrors:
    def test_bad_values_located_in_imported_file(self, write):
        """A value that does not load is an error of the imported file, at its line."""
        data = {
            "data": {
                "check_ins": [{"at": "2026-03-02", "by": "us"}, {"at": "2026-03-09"}]
            },
            "lines": [[["check_ins", 0], 4], [["check_ins", 1], 9]],
            "where": [[["check_ins", 0], 'event "sync-1@x"']],
        }
        write("log.fake", data)
        path = write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        error = load_error(path)

        assert [
            (
                "log.fake",
                4,
                "imports[0]",
                (
                    'engagement a (a.yaml): event "sync-1@x": check_ins[0].by: '
                    "expected one of client | vendor, got 'us'"
                ),
            )
        ] == located(error)
        (engagement,) = error.loaded
        assert ["2026-03-09"] == [c.at.isoformat() for c in engagement.check_ins]

    def test_importer_problems(self, write):
        """The importer's problems are load errors of its file; its data still loads."""
        data = {
            **CHECK_INS,
            "problems": [
                {"message": "no start time", "line": 12, "where": 'event "b@x"'}
            ],
        }
        write("log.fake", data)
        path = write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        error = load_error(path)

        assert [
            (
                "log.fake",
                12,
                "imports[0]",
                'engagement a (a.yaml): event "b@x": no start time',
            )
        ] == located(error)
        assert 2 == len(error.loaded[0].check_ins)

    def test_unknown_importer(self, write):
        """An unknown importer name is located at its key, with a suggestion."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml", "id: a\nimports:\n  - path: log.fake\n    importer: fak\n"
        )

        ((_, line, where, message),) = located(load_error(path))

        assert (4, "imports[0].importer") == (line, where)
        assert message.startswith("unknown importer 'fak' (did you mean 'fake'?) (")

    def test_unknown_option(self, write):
        """An unknown option is located at its key, with a suggestion; nothing read."""
        write("log.fake", CHECK_INS)
        path = write(
            "a.yaml",
            "id: a\nimports:\n  - path: log.fake\n    options:\n      whom: x\n",
        )

        assert [
            (
                5,
                "imports[0].options.whom",
                (
                    "importer 'fake' has no option 'whom' (did you mean 'who'?) "
                    "(options: limit, strict, who)"
                ),
            )
        ] == [(n, w, m) for _, n, w, m in located(load_error(path))]
        assert {} == READS

    def test_no_importer_for_file(self, write):
        """A file no importer reads is an error saying to name one."""
        write("notes.txt", "hello")
        path = write("a.yaml", "id: a\nimports:\n  - path: notes.txt\n")

        ((_, _, where, message),) = located(load_error(path))

        assert (
            "imports[0].path",
            (
                "no importer reads notes.txt: name one with `importer:` "
                "(outsourcekit plugins lists them)"
            ),
        ) == (where, message)

    def test_one_whole_engagement_gives_its_facts(self, write):
        """A file of one whole engagement merges as facts, its own id dropped."""
        write(
            "one.fake",
            {"data": {"engagements": [{"id": "ocds-1-c1", "title": "Contract"}]}},
        )
        path = write("a.yaml", "id: a\nimports:\n  - path: one.fake\n")

        engagement = ok.load(path)

        assert ("a", "Contract") == (engagement.id, engagement.title)

    def test_several_whole_engagements_are_refused(self, write):
        """A file of several engagements is a load error saying how many."""
        write("two.fake", {"data": {"engagements": [{"id": "x"}, {"id": "y"}]}})
        path = write("a.yaml", "id: a\nimports:\n  - path: two.fake\n")

        error = load_error(path)

        assert "the file holds 2 engagements, not the facts of one" in (
            error.issues[0].message
        )

    def test_several_engagements_hint_names_no_option(self, write):
        """The hint for a file of several engagements claims no importer option."""
        write("two.fake", {"data": {"engagements": [{"id": "x"}, {"id": "y"}]}})
        path = write("a.yaml", "id: a\nimports:\n  - path: two.fake\n")

        ((_, _, _, message),) = located(load_error(path))

        assert (
            "engagement a (a.yaml): engagements: the file holds 2 engagements, not "
            "the facts of one: import a file of one engagement, or load this file "
            "on its own rather than under `imports:`"
        ) == message

    def test_problems_name_the_engagement_of_a_portfolio(self, write):
        """Two engagements importing one bad file each get the error, named."""
        write("none.fake", {"data": {"engagements": []}})
        path = write(
            "p.yaml",
            """\
            engagements:
              - id: a
                imports:
                  - path: none.fake
              - id: b
                imports:
                  - path: none.fake
            """,
        )

        error = load_error(path)

        assert [
            (
                "none.fake",
                "imports[0]",
                (
                    f"engagement {name} (p.yaml): engagements: the file holds no "
                    "engagement, so it gives no facts to merge"
                ),
            )
            for name in ("a", "b")
        ] == [(source, where, message) for source, _, where, message in located(error)]

    def test_problems_name_the_engagement_file(self, write):
        """Engagements of two files importing one bad file are told apart."""
        write("none.fake", {"data": {"engagements": []}})
        write("a.yaml", "id: a\nimports:\n  - path: none.fake\n")
        write("b.yaml", "id: b\nimports:\n  - path: none.fake\n")

        with pytest.raises(ok.LoadError) as info:
            ok.load_all(["a.yaml", "b.yaml"])

        assert ["engagement a (a.yaml): ", "engagement b (b.yaml): "] == [
            i.message[: len("engagement a (a.yaml): ")] for i in info.value.issues
        ]

    def test_problem_of_an_engagement_without_id(self, write):
        """An engagement without a usable id is named by its place in its file."""
        write("none.fake", {"data": {"engagements": []}})
        path = write("p.yaml", "engagements:\n  - imports:\n      - path: none.fake\n")

        messages = [i.message for i in load_error(path).issues]

        assert any(
            m.startswith("engagements[0] of p.yaml: engagements: the file holds no ")
            for m in messages
        ), messages

    def test_no_engagement_is_no_facts(self, write):
        """A file of no engagement (a process without a contract yet) says so.

        There is nothing to choose among, so no option is suggested.
        """
        write("none.fake", {"data": {"engagements": []}})
        path = write("a.yaml", "id: a\nimports:\n  - path: none.fake\n")

        error = load_error(path)

        assert [
            (
                "none.fake",
                None,
                "imports[0]",
                (
                    "engagement a (a.yaml): engagements: the file holds no "
                    "engagement, so it gives no facts to merge"
                ),
            )
        ] == located(error)
        assert ["a"] == [e.id for e in error.loaded]

    def test_failing_import_leaves_the_rest(self, write):
        """A failing import leaves the engagement and its other imports loaded."""
        write("log.fake", CHECK_INS)
        write("bad.fake", {"data": {"engagements": []}})
        path = write(
            "a.yaml",
            "id: a\ntitle: Own\nimports:\n  - path: bad.fake\n  - path: log.fake\n",
        )

        error = load_error(path)

        assert [("bad.fake", "imports[0]")] == [
            (i.source, i.path) for i in error.issues
        ]
        assert "the file holds no engagement, so it gives no facts to merge" in (
            error.issues[0].message
        )
        (engagement,) = error.loaded
        assert ("Own", 2) == (engagement.title, len(engagement.check_ins))

    @pytest.mark.parametrize(
        ("imports", "got"),
        [
            ("log.fake", "'log.fake'"),
            ("{path: log.fake}", "a mapping ({'path': 'log.fake'})"),
        ],
    )
    def test_imports_not_a_list_leaves_the_rest(self, write, imports, got):
        """`imports:` that is no list is an error, the engagement loaded without it."""
        write("log.fake", CHECK_INS)
        path = write("a.yaml", f"id: a\ntitle: Own\nimports: {imports}\n")

        error = load_error(path)

        assert [(3, "imports", f"expected a list, got {got}")] == [
            (i.line, i.path, i.message) for i in error.issues
        ]
        (engagement,) = error.loaded
        assert ("Own", 0) == (engagement.title, len(engagement.check_ins))

    def test_clash_with_own_facts(self, write):
        """Facts that do not fit the engagement's own are refused, naming the import."""
        write("dates.fake", {"data": {"end": "2026-01-31", "owner": "Sam"}})
        path = write(
            "a.yaml", "id: a\nstart: 2026-03-01\nimports:\n  - path: dates.fake\n"
        )

        error = load_error(path)

        ((_, line, where, message),) = located(error)
        assert (4, "imports[0]") == (line, where)
        assert message.startswith(
            "end: expected a date on or after `start` (2026-03-01)"
        )
        assert message.endswith("(with the facts of dates.fake, which are left out)")
        assert (None, None) == (error.loaded[0].end, error.loaded[0].owner)

    def test_other_system_id(self, write):
        """A whole engagement named by another system's id merges under the own id."""
        write("facts.fake", {"data": {"id": "b", "title": "B"}})
        path = write("a.yaml", "id: a\nimports:\n  - path: facts.fake\n")

        engagement = ok.load(path)

        assert ("a", "B") == (engagement.id, engagement.title)

    def test_own_errors_and_import_errors_together(self, write):
        """The engagement's own errors and its imports' are reported together."""
        write("log.fake", {"data": {"check_ins": [{"at": "soon"}]}})
        path = write("a.yaml", "id: a\nstatus: busy\nimports:\n  - path: log.fake\n")

        error = load_error(path)

        assert [("a.yaml", "status"), ("log.fake", "imports[0]")] == [
            (i.source, i.path) for i in error.issues
        ]
        assert [] == error.loaded

    def test_importer_raising_is_a_plugin_error(self, write):
        """An importer that raises is its plugin's error; the engagement loads."""
        write("log.fake", {"raise": "boom"})
        path = write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        with pytest.warns(
            plugins.OutsourcekitPluginWarning, match="raised RuntimeError: boom"
        ):
            engagement = ok.load(path)

        assert "a" == engagement.id
        assert [
            (
                "fake-plugin",
                "importer 'fake' raised RuntimeError: boom (reading log.fake)",
            )
        ] == [(e.plugin, e.message) for e in plugins.plugin_errors()]

    def test_missing_extra(self, write):
        """A package of the importer's extra that is missing is a load error."""
        write("log.fake", {"missing": "outsourcekit_not_installed"})
        path = write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        ((_, _, _, message),) = located(load_error(path))

        assert (
            "engagement a (a.yaml): importer 'fake' needs the packages of the "
            "`testing` extra of plugin 'fake-plugin' (No module named "
            "'outsourcekit_not_installed')"
        ) == message
        assert [] == list(plugins.plugin_errors())

    def test_missing_extra_of_outsourcekit(self):
        """For a built-in importer, the message names the pip command."""
        from outsourcekit._api import _missing_extra

        importer = attrs.evolve(FAKE, plugin=plugins.DEFAULT_PLUGINS[2])

        assert (
            "importer 'fake' needs the packages of the `testing` extra (No module "
            "named 'x'): pip install 'outsourcekit[testing]'"
        ) == _missing_extra(importer, ModuleNotFoundError("No module named 'x'"))


class TestFilesOfOtherSystems:
    def test_named_directly(self, write):
        """A file whose suffix an importer takes is read by it when named."""
        write(
            "p.fake",
            {
                "data": {"engagements": [{"id": "a"}, {"id": "b"}]},
                "lines": [[["engagements", 1], 7]],
            },
        )

        engagements = ok.load("p.fake")

        assert [("a", None), ("b", 7)] == [(e.id, e.origin.line) for e in engagements]

    def test_facts_named_directly(self, write):
        """Facts without an engagement, named directly, say where they belong."""
        write("log.fake", CHECK_INS)

        ((_, _, _, message),) = located(load_error("log.fake"))

        assert message.startswith(
            "importer 'fake' reads facts to merge into an engagement"
        )
        assert "`outsourcekit import log.fake` shows what it reads" in message

    def test_json_recognised_by_content(self, write):
        """A .json file an importer recognises is read by it, under imports: too."""
        write("board.json", {"board": ["Design", "Build"]})
        path = write("a.yaml", "id: a\nimports:\n  - path: board.json\n")

        assert ["Design", "Build"] == [t.name for t in ok.load(path).tasks]

    def test_json_engagement_not_claimed(self, write):
        """A .json engagement file no importer recognises is read as one."""
        write("a.json", {"id": "a", "title": "board"})

        assert "board" == ok.load("a.json").title

    def test_json_nobody_recognises(self, write):
        """Under imports:, a .json file no importer recognises is an error."""
        write("other.json", {"id": "x"})
        path = write("a.yaml", "id: a\nimports:\n  - path: other.json\n")

        ((_, _, _, message),) = located(load_error(path))

        assert message.startswith("no importer reads other.json")

    def test_passed_over_while_walking(self, write):
        """A folder's file an importer recognises is read where it is imported only."""
        write("team/board.json", {"id": "b-1", "board": ["Design"]})
        write("team/a.yaml", "id: a\nimports:\n  - path: board.json\n")

        (engagement,) = ok.load("team")

        assert ("a", ["Design"]) == (engagement.id, [t.name for t in engagement.tasks])
