"""The command line: `outsourcekit import`, importers in `plugins`, and `check`."""

from __future__ import annotations

import datetime as dt
import gc
import inspect
import json

import pytest
from click.testing import CliRunner

from outsourcekit.cli import _importer_data, _importer_lines, cli
from outsourcekit.engine import Option
from outsourcekit.plugins import Imported, Importer

pytestmark = pytest.mark.usefixtures("fake")

FACTS = {
    "data": {
        "communication": {"check_ins": "FREQ=WEEKLY;BYDAY=MO"},
        "check_ins": [{"at": "2026-03-02T09:00+00:00", "by": "client"}],
    },
    "lines": [[["check_ins", 0], 3]],
}


def invoke(*args: str):
    """Run the command line in this process; stderr apart from stdout."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        runner = CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    else:
        runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=False)


class TestImport:
    def test_yaml(self, write):
        """The facts print as YAML, dates as written; no problem, exit 0."""
        write("log.fake", FACTS)

        result = invoke("import", "log.fake")

        assert (0, "") == (result.exit_code, result.stderr)
        assert (
            "communication:\n"
            "  check_ins: FREQ=WEEKLY;BYDAY=MO\n"
            "check_ins:\n"
            "- at: 2026-03-02T09:00+00:00\n"
            "  by: client\n"
        ) == result.stdout

    @pytest.mark.parametrize(
        ("fmt", "expected"),
        [
            ("json", '"at": "2026-03-02T09:00+00:00"'),
            (
                "toml",
                'check_ins = [\n    { at = "2026-03-02T09:00+00:00", by = "client" },',
            ),
        ],
    )
    def test_other_formats(self, write, fmt, expected):
        """--format json and toml print the same facts."""
        write("log.fake", FACTS)

        result = invoke("import", "log.fake", "--format", fmt)

        assert 0 == result.exit_code
        assert expected in result.stdout

    def test_toml_refuses_null(self, write):
        """TOML cannot hold a null: the command says where it is."""
        write("log.fake", {"data": {"x-crm": {"owner": None}}})

        result = invoke("import", "log.fake", "--format", "toml")

        assert 2 == result.exit_code
        assert "x-crm.owner is null, and TOML has no null" in result.stderr

    def test_json_refuses_infinity(self, write):
        """JSON cannot hold an infinite number: the command says where it is."""
        write("log.fake", {"data": {"x-ocds-value": {"amount": 1e999}}})

        result = invoke("import", "log.fake", "--format", "json")

        assert 2 == result.exit_code
        assert (
            "x-ocds-value.amount is inf, which JSON has no number for"
        ) in result.stderr

    def test_options(self, write):
        """--option KEY=VALUE gives options; a list option takes commas."""
        write("log.fake", {"data": {}, "echo": True})

        result = invoke(
            "import",
            "log.fake",
            "--option",
            "who=@a.com,@b.ph",
            "--option",
            "strict=true",
            "--format",
            "json",
        )

        assert {"who": ["@a.com", "@b.ph"], "strict": True, "limit": 10} == (
            json.loads(result.stdout)["x-options"]
        )

    def test_problems_are_load_errors(self, write):
        """Problems print on stderr as load errors, exit 2; the rest still prints."""
        write(
            "log.fake",
            {
                **FACTS,
                "problems": [{"message": "no start", "line": 9, "where": 'event "b"'}],
            },
        )

        result = invoke("import", "log.fake")

        assert 2 == result.exit_code
        assert 'error: log.fake:9: event "b": no start\n' == result.stderr
        assert "check_ins:" in result.stdout

    def test_bad_values_are_load_errors(self, write):
        """Values that would not load are load errors at their line."""
        data = {
            "data": {"check_ins": [{"at": "soon"}]},
            "lines": [[["check_ins", 0], 5]],
        }
        write("log.fake", data)

        result = invoke("import", "log.fake")

        assert 2 == result.exit_code
        assert result.stderr.startswith(
            "error: log.fake:5: check_ins[0].at: expected a date or date-time"
        )
        assert "check_ins:\n- at: soon\n" == result.stdout

    def test_engagements_that_do_not_load_are_left_out(self, write):
        """Of a portfolio, only the engagements that load print, with the defaults."""
        data = {
            "defaults": {"title": "Books"},
            "engagements": [{"id": "a"}, {"id": "b", "status": "busy"}, {"id": "c"}],
        }
        lines = [[["engagements", i], i + 2] for i in range(3)]
        write("p.fake", {"data": data, "lines": lines})

        result = invoke("import", "p.fake")

        assert (
            2,
            "defaults:\n  title: Books\nengagements:\n- id: a\n- id: c\n",
            (
                "error: p.fake:3: status: expected one of proposed | trial | active | "
                "paused | ended, got 'busy'\n"
            ),
        ) == (result.exit_code, result.stdout, result.stderr)

    @pytest.mark.parametrize("key", ["bogus", "x-meta"])
    def test_portfolio_keys_check_refuses_are_left_out(self, write, key):
        """A portfolio's keys that do not load are not printed, only their problem."""
        data = {"outsourcekit": 1, "engagements": [{"id": "a"}], key: 1}
        write("p.fake", {"data": data, "lines": [[["engagements", 0], 2]]})

        result = invoke("import", "p.fake")

        assert (2, "outsourcekit: 1\nengagements:\n- id: a\n") == (
            result.exit_code,
            result.stdout,
        )
        assert f"{key}:" in result.stderr

    def test_engagement_that_does_not_load(self, write):
        """One engagement that does not load prints nothing but its problem."""
        write("e.fake", {"data": {"id": "a", "status": "busy"}})

        result = invoke("import", "e.fake")

        assert (2, "") == (result.exit_code, result.stdout)
        assert result.stderr.startswith("error: e.fake: status: expected one of")

    def test_duplicate_ids_are_load_errors(self, write):
        """Engagements read with one id are a load error, as check reports them.

        The first prints, which `check` loads.
        """
        data = {"engagements": [{"id": "acme"}, {"id": "acme"}]}
        lines = [[["engagements", 0], 2], [["engagements", 1], 3]]
        write("p.fake", {"data": data, "lines": lines})

        result = invoke("import", "p.fake")

        assert 2 == result.exit_code
        assert (
            "error: p.fake:3: id: duplicate id `acme`: ids must be unique, it is "
            "also at p.fake:2\n"
        ) == result.stderr
        assert "engagements:\n- id: acme\n" == result.stdout

    def test_unknown_importer(self, write):
        """An unknown --importer is a usage error with a suggestion."""
        write("log.fake", FACTS)

        result = invoke("import", "log.fake", "--importer", "fak")

        assert 2 == result.exit_code
        assert (
            "Error: --importer: unknown importer 'fak' (did you mean 'fake'?) "
            "(board, csv,"
        ) in result.stderr

    def test_list_option_repeated(self, write):
        """A list option given twice takes the items of both, none dropped."""
        write("log.fake", {"data": {}, "echo": True})

        result = invoke(
            "import",
            "log.fake",
            "--option",
            "who=@a.com",
            "--option",
            "who=@b.ph,@c.ph",
            "--format",
            "json",
        )

        options = json.loads(result.stdout)["x-options"]
        assert ["@a.com", "@b.ph", "@c.ph"] == options["who"]

    def test_option_repeated(self, write):
        """An option of one value given twice is a usage error naming both values."""
        write("log.fake", FACTS)

        result = invoke(
            "import", "log.fake", "--option", "limit=5", "--option", "limit=6"
        )

        assert 2 == result.exit_code
        assert (
            "Error: --option limit: given twice ('5' and '6'): expected one value\n"
        ) == result.stderr

    def test_unknown_option_repeated(self, write):
        """An unknown option given twice is told unknown, not given twice."""
        write("log.fake", FACTS)

        result = invoke(
            "import", "log.fake", "--option", "whom=x", "--option", "whom=y"
        )

        assert 2 == result.exit_code
        assert (
            "Error: --option whom: importer 'fake' has no option 'whom' (did you "
            "mean 'who'?) (options: limit, strict, who)\n"
        ) == result.stderr

    def test_unknown_option(self, write):
        """An unknown --option is a usage error with a suggestion."""
        write("log.fake", FACTS)

        result = invoke("import", "log.fake", "--option", "whom=x")

        assert 2 == result.exit_code
        assert (
            "Error: --option whom: importer 'fake' has no option 'whom' (did you "
            "mean 'who'?) (options: limit, strict, who)\n"
        ) == result.stderr

    def test_option_without_value(self, write):
        """--option needs KEY=VALUE."""
        write("log.fake", FACTS)

        result = invoke("import", "log.fake", "--option", "who")

        assert 2 == result.exit_code
        assert "--option 'who': expected KEY=VALUE" in result.stderr

    def test_option_given_twice(self, write):
        """A true-or-false option given twice is a usage error too."""
        write("log.fake", FACTS)

        result = invoke(
            "import", "log.fake", "--option", "strict=true", "--option", "strict=no"
        )

        expected = (
            "Error: --option strict: given twice ('true' and 'no'): expected one "
            "value\n"
        )
        assert (2, expected) == (result.exit_code, result.stderr)

    def test_no_importer_for_file(self, write):
        """A file no importer reads is a usage error saying to name one."""
        write("notes.txt", "hello")

        result = invoke("import", "notes.txt")

        assert 2 == result.exit_code
        assert "notes.txt: no importer reads this file: name one with --importer" in (
            result.stderr
        )

    def test_missing_file(self):
        """A file that is not there is an error naming it."""
        result = invoke("import", "nope.fake")

        assert (2, "Error: nope.fake: no such file\n") == (
            result.exit_code,
            result.stderr,
        )

    @pytest.mark.parametrize("suffix", [".fake", ".csv"])
    def test_name_too_long(self, suffix):
        """A name longer than the system takes is an error naming the file."""
        name = "x" * 300 + suffix

        result = invoke("import", name)

        assert (2, f"Error: {name}: cannot read the file: File name too long\n") == (
            result.exit_code,
            result.stderr,
        )

    @pytest.mark.parametrize("name", ["nope.txt", "nope"])
    def test_missing_file_no_importer_reads(self, name):
        """A missing file is named as missing, whatever its suffix."""
        result = invoke("import", name)

        assert (2, f"Error: {name}: no such file\n") == (
            result.exit_code,
            result.stderr,
        )

    def test_folder(self, tmp_path):
        """A folder is named as no file, not as a file no importer reads."""
        (tmp_path / "exports").mkdir()

        result = invoke("import", "exports")

        assert 2 == result.exit_code
        assert (
            "Error: exports: cannot be read: it is not a regular file (it is a "
            "directory)\n"
        ) == result.stderr

    def test_importer_failure(self, write):
        """An importer that raises is a plugin error: exit 3."""
        write("log.fake", {"raise": "boom"})

        result = invoke("import", "log.fake")

        assert 3 == result.exit_code
        assert (
            "error: plugin 'fake-plugin': importer 'fake' raised RuntimeError: boom "
            "(reading log.fake)"
        ) in result.stderr

    def test_missing_extra(self, write):
        """A missing package of the importer's extra is a load error naming it."""
        write("log.fake", {"missing": "outsourcekit_not_installed"})

        result = invoke("import", "log.fake")

        assert 2 == result.exit_code
        assert "needs the packages of the `testing` extra" in result.stderr

    def test_collector_paused_while_reading(self, write):
        """The cyclic garbage collector waits while the importer reads, then runs.

        What an importer reads from a large file is many objects made at once,
        none of them garbage: the collector would only scan them over and over.
        """
        write("log.fake", {"collector": True})

        result = invoke("import", "log.fake")

        assert (0, "x-collector: false\n") == (result.exit_code, result.stdout)
        assert gc.isenabled()

    def test_by_content(self, write):
        """A .json file is read by the importer that recognises it."""
        write("board.json", {"board": ["Design"]})

        result = invoke("import", "board.json")

        assert (0, "tasks:\n- name: Design\n") == (result.exit_code, result.stdout)


class TestPlugins:
    def test_importers_with_options(self):
        """`plugins` lists each importer with its suffixes, extra and options."""
        result = invoke("plugins")

        assert (
            "  importers (2): board, fake\n"
            "    board (.json): Fake boards\n"
            "    fake (.fake; extra testing): Test data, as the file says\n"
            "      --option limit=...: At most this many. (default: 10)\n"
            "      --option strict=...: Refuse more. (default: False)\n"
            "      --option who=...: Whose they are.\n"
        ) in result.stdout

    def test_json(self):
        """`plugins --format json` gives each importer's options."""
        result = invoke("plugins", "--format", "json")

        (mine,) = [p for p in json.loads(result.stdout) if p["name"] == "fake-plugin"]
        fake = mine["importer_details"][1]
        assert ("fake", [".fake"], "testing") == (
            fake["name"],
            fake["suffixes"],
            fake["extra"],
        )
        assert {"default": [], "type": "tuple", "help": "Whose they are."} == (
            fake["options"]["who"]
        )


class TestDurationOption:
    """An importer's duration option is shown and read as durations are written."""

    IMPORTER = Importer(
        name="spans",
        suffixes=(".spans",),
        func=lambda _path, _options: Imported(data={}),
        options={"window": Option(default=dt.timedelta(weeks=4), help="How far.")},
    )

    def test_listed(self):
        """`plugins` shows the default as its text, in text and in JSON."""
        assert [
            "    spans (.spans)",
            "      --option window=...: How far. (default: '28d')",
        ] == list(_importer_lines(self.IMPORTER))
        assert {"default": "28d", "type": "timedelta", "help": "How far."} == (
            json.loads(json.dumps(_importer_data(self.IMPORTER)))["options"]["window"]
        )

    def test_given_as_text(self):
        """`--option window=2w` gives the importer a timedelta."""
        given = self.IMPORTER.options_from_text({"window": "2w"})

        assert {"window": dt.timedelta(weeks=2)} == self.IMPORTER.check_options(given)


class TestCheck:
    def test_imports_are_checked(self, write):
        """`check` loads the imported facts: the rules see them."""
        write("log.fake", FACTS)
        write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        result = invoke("check", "a.yaml", "--format", "json", "--as-of", "2026-03-10")

        assert [] == json.loads(result.stdout)["errors"]

    def test_import_error_is_exit_2(self, write):
        """An import's problem is a load error of `check`: exit 2."""
        write("a.yaml", "id: a\nimports:\n  - path: ../log.fake\n")

        result = invoke("check", "a.yaml", "--as-of", "2026-03-10", "--exit-zero")

        assert 2 == result.exit_code
        assert "a.yaml:3:11: imports[0].path: the import path '../log.fake'" in (
            result.stderr
        )

    def test_name_too_long_leaves_the_rest(self, write):
        """A named file whose name the system refuses is a load error; others load."""
        write("a.yaml", "id: a\n")
        name = "x" * 300 + ".yaml"

        result = invoke("check", name, "a.yaml", "--format", "json", "--exit-zero")

        report = json.loads(result.stdout)
        assert (2, ["a"], [(name, "file name too long")]) == (
            result.exit_code,
            [e["id"] for e in report["engagements"]],
            [(e["source"], e["message"]) for e in report["errors"]],
        )

    def test_import_failure_is_exit_3(self, write):
        """An importer that raises fails `check`: exit 3."""
        write("log.fake", {"raise": "boom"})
        write("a.yaml", "id: a\nimports:\n  - path: log.fake\n")

        result = invoke("check", "a.yaml", "--as-of", "2026-03-10", "--exit-zero")

        assert 3 == result.exit_code
        assert "importer 'fake' raised RuntimeError: boom" in result.stderr

    def test_import_root(self, write):
        """`import-root` in the configuration lets files import from above them."""
        write("outsourcekit.toml", 'import-root = "."\n')
        write("shared/log.fake", FACTS)
        write("engagements/a.yaml", "id: a\nimports:\n  - path: ../shared/log.fake\n")

        result = invoke("check", "engagements", "--as-of", "2026-03-10", "--exit-zero")

        assert (0, "") == (result.exit_code, result.stderr)

    def test_walking_passes_over_imported_files(self, write):
        """A board found while walking is skipped: its engagement imports it."""
        write("team/board.json", {"id": "b-1", "board": ["Design"]})
        write("team/a.yaml", "id: a\nimports:\n  - path: board.json\n")

        result = invoke("check", "team", "--format", "json", "--as-of", "2026-03-10")

        report = json.loads(result.stdout)
        assert ([], ["a"]) == (
            report["errors"],
            [e["id"] for e in report["engagements"]],
        )
        assert [
            {
                "path": "team/board.json",
                "reason": "a file of another system (importer board): read where "
                "imports: name it",
            }
        ] == report["skipped"]
