"""Tests of reading configuration, central waiver and saved report files."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import pytest

import outsourcekit as ok
from outsourcekit import config
from outsourcekit.config import (
    apply_flags,
    find_config,
    read_config,
    read_report,
    read_waivers,
    with_waivers,
)
from outsourcekit.engine import CentralWaiver, Config, ConfigError, Severity, rule
from outsourcekit.model import Engagement, Waiver
from outsourcekit.testing import check_one
from sinks import Sink

AS_OF = dt.date(2026, 11, 22)


@rule(
    code="CFG001",
    slug="no-owner-named",
    title="No owner",
    category="governance",
    severity="warning",
    fix="Name an owner.",
)
def no_owner(engagement, ctx):
    """Fires without an owner."""
    if engagement.owner is None:
        yield ctx.finding("No owner is named", path="owner")


def waived(report):
    return [(f.engagement, f.waived) for f in report.findings]


def error_of(call, *args):
    """Return the ConfigError that *call* raises with *args*."""
    with pytest.raises(ConfigError) as info:
        call(*args)
    return info.value


class TestReadConfig:
    def test_outsourcekit_toml(self, write):
        """outsourcekit.toml holds the keys at top level."""
        path = write("outsourcekit.toml", 'select = ["clarity"]\nfail-on = "info"\n')

        config = read_config(path)

        assert (("clarity",), "info", "outsourcekit.toml") == (
            config.select,
            config.fail_on,
            config.source,
        )

    def test_pyproject(self, write):
        """pyproject.toml is read from [tool.outsourcekit]."""
        path = write(
            "pyproject.toml",
            """
            [project]
            name = "x"
            [tool.outsourcekit]
            ignore = ["OSK108"]
            [tool.outsourcekit.rules.micromanagement]
            max-per-week = 3
            """,
        )

        config = read_config(path)

        assert (("OSK108",), {"micromanagement": {"max-per-week": 3}}) == (
            config.ignore,
            config.rules,
        )

    def test_pyproject_without_table(self, write):
        """A pyproject.toml given explicitly must have the table."""
        path = write("pyproject.toml", '[project]\nname = "x"\n')

        error = error_of(read_config, path)

        assert "pyproject.toml: has no [tool.outsourcekit] table" == str(error)

    def test_pyproject_table_of_wrong_kind(self, write):
        """[tool.outsourcekit] must be a table, and is located."""
        path = write("pyproject.toml", '[project]\nname = "x"\n[[tool.outsourcekit]]\n')

        error = error_of(read_config, path)

        assert str(error).startswith(
            "pyproject.toml:3: tool.outsourcekit: must be a table (got a list"
        )

    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("checks.yaml", "select: [clarity]\n"),
            ("checks.yml", "select:\n  - clarity\n"),
            ("checks.json", '{"select": ["clarity"]}'),
            ("checks.toml", 'select = ["clarity"]\n'),
        ],
    )
    def test_formats(self, write, name, text):
        """A configuration file may be TOML, YAML or JSON."""
        assert ("clarity",) == read_config(write(name, text)).select

    def test_empty_file(self, write):
        """An empty file is the default configuration."""
        assert Config() == read_config(write("outsourcekit.toml", ""))

    def test_yaml_1_2(self, write):
        """A YAML configuration is read with the YAML 1.2 core schema."""
        path = write("checks.yaml", "select: [no, on]\n")

        assert ("no", "on") == read_config(path).select

    def test_not_a_table(self, write):
        """The file holds a table of settings."""
        error = error_of(read_config, write("checks.yaml", "- clarity\n"))

        assert str(error).startswith(
            "checks.yaml:1: must be a table of settings (got a list"
        )

    @pytest.mark.parametrize(
        ("name", "text", "line"),
        [
            ("outsourcekit.toml", 'fail-on = "info"\n[tool.outsourcekit]\n', 2),
            ("checks.yaml", "tool:\n  outsourcekit:\n    select: [OSK1]\n", 1),
        ],
    )
    def test_pyproject_table_in_another_file(self, write, name, text, line):
        """Settings under [tool.outsourcekit] outside pyproject.toml are told where."""
        error = error_of(read_config, write(name, text))

        assert (
            f"{name}:{line}: tool: unknown key 'tool': this file holds the settings "
            "at its top level; [tool.outsourcekit] is pyproject.toml's table"
        ) == str(error)

    def test_unknown_key_names_file_and_line(self, write):
        """An unknown key names the file, the line, the key and the closest key."""
        path = write("outsourcekit.toml", 'select = ["OSK1"]\nfail_on = "error"\n')

        error = error_of(read_config, path)

        assert (
            "outsourcekit.toml:2: fail_on: unknown key 'fail_on' "
            "(did you mean 'fail-on'?)"
        ) == str(error)
        assert ("outsourcekit.toml", 2, "fail_on", "fail-on") == (
            error.source,
            error.line,
            error.key,
            error.suggestion,
        )

    def test_bad_value_in_pyproject(self, write):
        """A bad value is located in pyproject.toml with its table's prefix."""
        path = write(
            "pyproject.toml",
            """
            [tool.outsourcekit]
            select = ["OSK1"]

            [tool.outsourcekit.severity]
            no-pm-tool = "warn"
            """,
        )

        error = error_of(read_config, path)

        assert str(error).startswith(
            "pyproject.toml:5: tool.outsourcekit.severity.no-pm-tool: must be one of "
            "error, warning, info (got 'warn')"
        )

    def test_nested_key_in_yaml(self, write):
        """A value inside a YAML table is located at its own line."""
        path = write(
            "checks.yaml",
            """
            select: [OSK1]
            rules:
              micromanagement: 5
            """,
        )

        error = error_of(read_config, path)

        assert str(error).startswith(
            "checks.yaml:3: rules.micromanagement: must be a table of options "
            "(got 5 (a number))"
        )

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            (
                "c.toml",
                "select = true\n",
                (
                    "c.toml:1: select: must be a list of rule codes, prefixes, "
                    "categories or slugs (got true (a boolean))"
                ),
            ),
            (
                "c.yaml",
                "rules:\n  OSK301:\n",
                "c.yaml:2: rules.OSK301: must be a table of options (got null)",
            ),
            (
                "c.toml",
                "[severity]\nOSK301 = false\n",
                (
                    "c.toml:2: severity.OSK301: must be one of error, warning, info "
                    "(got false (a boolean))"
                ),
            ),
            (
                "c.json",
                '{"paths": {"a": null}}',
                (
                    "c.json:1: paths: must be a list of files or folders "
                    "(got a mapping ({'a': None}))"
                ),
            ),
            (
                "c.yaml",
                "waivers: 1\n",
                (
                    "c.yaml:1: waivers: must be the path of a waiver file "
                    "(got 1 (a number))"
                ),
            ),
            (
                "c.yaml",
                "fail-on: null\n",
                (
                    "c.yaml:1: fail-on: must be one of info, warning, error, never "
                    "(got null)"
                ),
            ),
        ],
    )
    def test_wrong_value_as_the_file_writes_it(self, write, name, text, message):
        """A wrong value is shown as the file writes it: null, true, not None, True."""
        path = write(name, text)

        assert message == str(error_of(read_config, path))

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                'select = [\n  "OSK601",\n  3,\n]\n',
                (
                    "c.toml:3: select[1]: must be a rule code, code prefix, "
                    "category or slug (got 3 (a number))"
                ),
            ),
            (
                'ignore = ["OSK601", ["OSK602"]]\n',
                (
                    "c.toml:1: ignore[1]: must be a rule code, code prefix, "
                    "category or slug (got a list (['OSK602']))"
                ),
            ),
            (
                'exclude = ["drafts", ""]\n',
                (
                    'c.toml:1: exclude[1]: must be a glob, like "drafts" or '
                    "\"archive/*.yaml\" (got '')"
                ),
            ),
            (
                'paths = ["engagements", true]\n',
                "c.toml:1: paths[1]: must be a file or folder (got true (a boolean))",
            ),
        ],
    )
    def test_wrong_item_of_a_list_is_named(self, write, text, message):
        """A wrong item of a list setting is named at its index, not the whole list."""
        path = write("c.toml", text)

        assert message == str(error_of(read_config, path))

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            (
                "c.yaml",
                "rules:\n  OSK607:\n    max-days: null\n",
                (
                    "c.yaml:3: rules.OSK607.max-days: option 'max-days' must be a "
                    "whole number (got null)"
                ),
            ),
            (
                "c.toml",
                "[rules.access-not-revoked]\nmax-days = true\n",
                (
                    "c.toml:2: rules.access-not-revoked.max-days: option 'max-days' "
                    "must be a whole number (got true (a boolean))"
                ),
            ),
            (
                "c.json",
                '{"rules": {"OSK501": {"min-overlap": false}}}',
                (
                    "c.json:1: rules.OSK501.min-overlap: option 'min-overlap' must "
                    "be a duration such as 2h, 90m or PT1H30M (got false (a boolean))"
                ),
            ),
        ],
    )
    def test_wrong_option_as_the_file_writes_it(self, write, name, text, message):
        """A rule option's wrong null or boolean is shown as the file writes it."""
        config = read_config(write(name, text))

        error = error_of(lambda: ok.check([], as_of=AS_OF, config=config))

        assert message == str(error)

    def test_resolving_names_the_line(self, write):
        """A rule no rule has, found when checking, is located in the file."""
        path = write("outsourcekit.toml", 'select = [\n  "CFG001",\n  "no-ownr"\n]\n')
        config = read_config(path)

        error = error_of(
            lambda: ok.check([], as_of=AS_OF, config=config, rules=[no_owner])
        )

        assert (
            "outsourcekit.toml:3: select: no rule has the code, code prefix, "
            "category or slug 'no-ownr' (did you mean 'no-owner-named'?)"
        ) == str(error)

    def test_option_names_the_line(self, write):
        """An unknown option of a rule is located at its key."""
        path = write(
            "outsourcekit.toml",
            """
            [rules.CFG001]

            max-days = 3
            """,
        )
        config = read_config(path)

        error = error_of(lambda: config.resolve([no_owner]))

        assert str(error).startswith(
            "outsourcekit.toml:3: rules.CFG001.max-days: rule CFG001 (no-owner-named) "
            "has no option 'max-days'"
        )

    def test_invalid_toml(self, write):
        """A file that does not parse names the file, the line and the problem."""
        error = error_of(read_config, write("outsourcekit.toml", "select = [\n"))

        assert "outsourcekit.toml:2: invalid TOML: Invalid value" == str(error)

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            (
                "checks.json",
                '{"select": ["OSK1\\ud800"]}',
                (
                    "checks.json:1: select[0]: invalid text: \\ud800 is half of a "
                    "surrogate pair, not a Unicode character"
                ),
            ),
            (
                "checks.yaml",
                "fail-on: info\nselect: !!bool yes\n",
                (
                    "checks.yaml:2: select: 'yes' is not a valid !!bool value: "
                    "expected true or false"
                ),
            ),
        ],
    )
    def test_unreadable_value_names_its_key(self, write, name, text, message):
        """A value the reader refuses names its key, as in an engagement file."""
        error = error_of(read_config, write(name, text))

        assert message == str(error)
        assert message.split(": ")[1] == error.key

    @pytest.mark.parametrize(
        ("key", "expected"),
        [("import-root", "a folder"), ("waivers", "a waiver file")],
    )
    def test_path_with_nul_character(self, write, key, expected):
        """A path holding a NUL character, which no file name holds, is refused."""
        error = error_of(read_config, write("checks.toml", f'{key} = "a\\u0000b"\n'))

        assert (
            f"checks.toml:1: {key}: must be the path of {expected}, which holds no "
            "NUL character (got 'a\\x00b')"
        ) == str(error)

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            (
                "checks.yaml",
                "fail-on: info\nfail-on: error\n",
                "checks.yaml:2: fail-on: duplicate key `fail-on`",
            ),
            (
                "checks.yaml",
                "rules:\n  OSK607:\n    max-days: 1\n    max-days: 2\n",
                "checks.yaml:4: rules.OSK607.max-days: duplicate key `max-days`",
            ),
            (
                "pyproject.toml",
                '[tool.outsourcekit]\nselect = ["OSK1"]\nselect = ["OSK6"]\n',
                "pyproject.toml:3: tool.outsourcekit.select: a value is set twice",
            ),
        ],
    )
    def test_key_twice(self, write, name, text, message):
        """A key written twice is an error naming the key, as in an engagement file."""
        path = write(name, text)

        error = error_of(read_config, path)

        assert str(error).startswith(message)

    def test_invalid_utf8(self, write):
        """Bytes that are not UTF-8 are a located error, not a traceback."""
        path = write("outsourcekit.toml", "")
        path.write_bytes(b'select = ["OSK1"]\n# caf\xe9\n')

        error = error_of(read_config, path)

        assert (
            "outsourcekit.toml:2: the file is not UTF-8 text: byte 0xe9 cannot be "
            "read; save the file as UTF-8"
        ) == str(error)
        assert (2, 6) == (error.line, error.column)

    def test_byte_order_mark(self, write):
        """A leading byte-order mark is passed over."""
        path = write("outsourcekit.toml", "")
        path.write_bytes(b'\xef\xbb\xbffail-on = "never"\n')

        assert "never" == read_config(path).fail_on

    def test_deep_toml_table(self, write):
        """A table header nested a thousand levels is a clear error."""
        header = ".".join(["a"] * 1000)
        path = write("outsourcekit.toml", f"[{header}]\nx = 1\n")

        error = error_of(read_config, path)

        assert "nested too deeply to be read" in str(error)

    def test_missing_file(self, write):
        """A file that does not exist names itself."""
        del write

        error = error_of(read_config, "missing.toml")

        assert "missing.toml: cannot be read: No such file or directory" == str(error)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_not_a_regular_file(self, write):
        """A FIFO is refused by its type rather than read forever."""
        del write
        os.mkfifo("outsourcekit.toml")

        error = error_of(read_config, "outsourcekit.toml")

        assert "outsourcekit.toml: cannot be read: it is not a regular file" == str(
            error
        )

    def test_size_limit(self, write, monkeypatch):
        """A configuration file over the size limit is refused naming the limit."""
        write("outsourcekit.toml", "# " + "x" * 100 + "\n")
        monkeypatch.setattr(config, "MAX_FILE_BYTES", 64)

        error = error_of(read_config, "outsourcekit.toml")

        assert (
            "outsourcekit.toml: the file is too large: over the limit of 64 bytes"
            == str(error)
        )

    def test_other_suffix(self, tmp_path):
        """Only TOML, YAML and JSON files are configuration."""
        error = error_of(read_config, tmp_path / "setup.cfg")

        assert str(error).endswith(
            "must be a .toml, .yaml, .yml or .json file (got 'setup.cfg')"
        )


class TestFindConfig:
    def test_upward(self, tmp_path):
        """The nearest outsourcekit.toml above the start folder wins."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "warning"\n', encoding="utf-8"
        )
        deep = tmp_path / "a" / "b"
        deep.mkdir(parents=True)

        config = find_config(deep)

        assert ("warning", str(tmp_path.resolve() / "outsourcekit.toml")) == (
            config.fail_on,
            config.source,
        )

    def test_outsourcekit_toml_before_pyproject(self, tmp_path):
        """In one folder, outsourcekit.toml wins over pyproject.toml."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "info"\n', encoding="utf-8"
        )
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nfail-on = "warning"\n', encoding="utf-8"
        )

        assert "info" == find_config(tmp_path).fail_on

    def test_pyproject_without_table_is_skipped(self, tmp_path):
        """A pyproject.toml without the table does not stop the search."""
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nfail-on = "never"\n', encoding="utf-8"
        )
        inner = tmp_path / "inner"
        inner.mkdir()
        (inner / "pyproject.toml").write_text(
            '[project]\nname = "x"\n', encoding="utf-8"
        )

        assert "never" == find_config(inner).fail_on

    def test_pyproject_keys_are_located(self, tmp_path):
        """A discovered pyproject.toml's errors name its line."""
        (tmp_path / "pyproject.toml").write_text(
            '[project]\nname = "x"\n\n[tool.outsourcekit]\nfail-on = "sometimes"\n',
            encoding="utf-8",
        )

        error = error_of(find_config, tmp_path)

        assert (
            str(error)
            .replace(str(tmp_path.resolve()), "")
            .startswith("/pyproject.toml:5: tool.outsourcekit.fail-on: must be one of")
        )

    @pytest.mark.parametrize("name", ["outsourcekit.toml", "pyproject.toml"])
    def test_broken_link_is_an_error(self, tmp_path, name):
        """A configuration file that is a link to nothing is not passed over."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "never"\n', encoding="utf-8"
        )
        inner = tmp_path / "inner"
        inner.mkdir()
        (inner / name).symlink_to(tmp_path / "shared" / name)

        error = error_of(find_config, inner)

        assert (
            f"{inner.resolve() / name}: cannot be read: No such file or directory"
            == str(error)
        )

    def test_nothing_found(self, tmp_path, monkeypatch):
        """Without any configuration file the default configuration applies."""
        monkeypatch.setattr(type(tmp_path), "is_file", lambda _self: False)

        assert Config() == find_config(tmp_path)

    def test_working_directory(self, tmp_path, monkeypatch):
        """Without a start folder the search starts in the working directory."""
        (tmp_path / "outsourcekit.toml").write_text(
            'ignore = ["x"]\n', encoding="utf-8"
        )
        monkeypatch.chdir(tmp_path)

        assert ("x",) == find_config().ignore

    def test_relative_waivers(self, tmp_path):
        """A discovered file's waiver file is relative to that file, and read."""
        (tmp_path / "outsourcekit.toml").write_text(
            'waivers = "w.yaml"\n', encoding="utf-8"
        )
        (tmp_path / "w.yaml").write_text(
            "- {engagement: a, rule: CFG001, reason: r}\n", encoding="utf-8"
        )
        deep = tmp_path / "a"
        deep.mkdir()

        config = find_config(deep)

        assert (tmp_path.resolve() / "w.yaml", ("a",)) == (
            config.waivers,
            tuple(w.engagement for w in config.central_waivers or ()),
        )


class TestApplyFlags:
    def test_flags_win(self, write):
        """Flags replace the file's settings; None leaves them."""
        path = write("outsourcekit.toml", 'select = ["clarity"]\nfail-on = "info"\n')

        config = apply_flags(read_config(path), select=["CFG001"], fail_on=None)

        assert (("CFG001",), "info") == (config.select, config.fail_on)

    def test_flag_problem_is_the_flags(self, write):
        """A rule no rule has in --select is the flag's problem, not the file's."""
        path = write("outsourcekit.toml", 'ignore = ["CFG001"]\n')
        config = apply_flags(read_config(path), select=["no-ownr"])

        error = error_of(lambda: config.resolve([no_owner]))

        assert (
            "--select: no rule has the code, code prefix, category or slug "
            "'no-ownr' (did you mean 'no-owner-named'?)"
        ) == str(error)

    def test_file_problem_stays_the_files(self, write):
        """With a flag given, a problem of another setting is still the file's."""
        path = write("outsourcekit.toml", '# checks\nignore = ["no-ownr"]\n')
        config = apply_flags(read_config(path), select=["CFG001"])

        error = error_of(lambda: config.resolve([no_owner]))

        assert str(error).startswith("outsourcekit.toml:2: ignore: no rule has")


class TestReadWaivers:
    @pytest.mark.parametrize("top", ["", "waivers:\n"])
    def test_many_entries_labelled_once(self, write, monkeypatch, top):
        """The list of a file of many waivers is looked through once, not per entry.

        Naming each entry's rule (``waivers[2].rule``) looked through the
        whole list for every entry: 20,000 waivers took minutes to read.
        """
        from outsourcekit import _source

        labelled: list[int] = []
        labels = _source._item_labels

        def counted(items):
            labelled.append(len(items))
            return labels(items)

        monkeypatch.setattr(_source, "_item_labels", counted)
        indent = "  " if top else ""
        entries = "".join(
            f"{indent}- {{engagement: e{i}, rule: CFG001, reason: r}}\n"
            for i in range(50)
        )
        path = write("waivers.yaml", top + entries)

        read = read_waivers(path)

        assert "waivers[49].rule" == read[49].key
        assert [50] == labelled

    def test_reason_no_is_text(self, write):
        """`reason: no` is the text "no", as in an engagement file."""
        path = write(
            "waivers.yaml",
            """
            - engagement: acme-*
              rule: CFG001
              reason: no
              approved_by: off
            """,
        )

        (entry,) = read_waivers(path)

        assert ("no", "off") == (entry.waiver.reason, entry.waiver.approved_by)

    def test_entries(self, write):
        """Each entry is a waiver plus whose it is, and knows where its rule is."""
        path = write(
            "waivers.yaml",
            """
            waivers:
              - engagement: a
                rule: CFG001
                path: owner
                reason: Owner joins in May
                until: 2026-12-31
                x-ticket: OPS-1
            """,
        )

        (entry,) = read_waivers(path)

        assert (
            CentralWaiver(
                engagement="a",
                waiver=Waiver(
                    rule="CFG001",
                    path="owner",
                    reason="Owner joins in May",
                    until=dt.date(2026, 12, 31),
                    extensions={"x-ticket": "OPS-1"},
                ),
            ),
            ("waivers.yaml", "waivers[0].rule", 3),
        ) == (entry, (entry.source, entry.key, entry.line))

    def test_toml(self, write):
        """A TOML file holds its waivers in a `waivers` array of tables."""
        path = write(
            "waivers.toml",
            '[[waivers]]\nengagement = "a"\nrule = "CFG001"\nreason = "ok"\n'
            "until = 2026-12-31\n",
        )

        assert (
            CentralWaiver(
                engagement="a",
                waiver=Waiver(rule="CFG001", reason="ok", until=dt.date(2026, 12, 31)),
            ),
        ) == read_waivers(path)

    @pytest.mark.parametrize("glob", ["acme-*", "[!x]?.v2_*", "a.b", "*"])
    def test_globs_of_ids(self, write, glob):
        """An id, or a glob of what ids hold, is an engagement a waiver names."""
        path = write("w.json", json.dumps([{"engagement": glob, "rule": "CFG001"}]))

        assert (glob,) == tuple(w.engagement for w in read_waivers(path))

    def test_json(self, write):
        """A JSON file may hold the list itself."""
        path = write("w.json", json.dumps([{"engagement": 2024, "rule": "CFG001"}]))

        assert ("2024",) == tuple(w.engagement for w in read_waivers(path))

    @pytest.mark.parametrize("text", ["", "waivers:\n", "waivers: []\n"])
    def test_empty(self, write, text):
        """An empty file, or an empty list, holds no waivers."""
        assert () == read_waivers(write("w.yaml", text))

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "- engagement: a\n  rule: CFG001\n  reson: r\n",
                (
                    "w.yaml:3: waivers[0].reson: unknown key 'reson' in a waiver "
                    "(did you mean 'reason'?)"
                ),
            ),
            (
                "- {engagement: a, rule: CFG001}\n- rule: CFG001\n",
                (
                    "w.yaml:2: waivers[1]: missing required key 'engagement' "
                    "(an engagement id or a glob of ids, like acme-*)"
                ),
            ),
            (
                "- engagement: [a]\n  rule: CFG001\n",
                (
                    "w.yaml:1: waivers[0].engagement: expected an engagement id or "
                    "a glob of ids, like acme-*, got a list (['a'])"
                ),
            ),
            (
                "- engagement: Acme bookkeeping\n  rule: CFG001\n",
                (
                    "w.yaml:1: waivers[0].engagement: expected an engagement id or "
                    "a glob of ids, like acme-*, got 'Acme bookkeeping': an id holds "
                    "only letters, digits, '.', '_' and '-', so it matches none"
                ),
            ),
            (
                "- engagement: a\n  rule: CFG001\n  until: soon\n",
                (
                    "w.yaml:3: waivers[0].until: expected a date in ISO 8601 form, "
                    "like 2026-03-01, got 'soon'"
                ),
            ),
            (
                "- engagement: a\n  rule: CFG001\n  reason: false\n",
                "w.yaml:3: waivers[0].reason: expected text, got false (a boolean)",
            ),
            (
                "- engagement: a\n  reason: r\n",
                "w.yaml:1: waivers[0].rule: missing required key `rule` (text)",
            ),
            (
                "waivers: all\n",
                "w.yaml:1: waivers: must hold a list of waivers (got 'all')",
            ),
            (
                "waiver: []\n",
                (
                    "w.yaml:1: waiver: unknown key 'waiver' in a waiver file (expected "
                    "'waivers') (did you mean 'waivers'?)"
                ),
            ),
            ("- just text\n", "w.yaml:1: waivers[0]: a waiver must be a mapping"),
            (
                "waivers: []\noutsourcekit: 2\n",
                (
                    "w.yaml:2: outsourcekit: unknown format version 2: this "
                    "outsourcekit reads version 1"
                ),
            ),
            (
                "outsourcekit: banana\nwaivers: []\n",
                "w.yaml:1: outsourcekit: expected the format version 1, got 'banana'",
            ),
            (
                "outsourcekit: '1'\nwaivers: []\n",
                "w.yaml:1: outsourcekit: expected the format version 1, got '1'",
            ),
            ("- [unclosed\n", "w.yaml:2: invalid YAML:"),
        ],
    )
    def test_errors_name_file_line_and_key(self, write, text, message):
        """Every problem of a waiver file names the file, the line and the key."""
        error = error_of(read_waivers, write("w.yaml", text))

        assert str(error).startswith(message)

    def test_format_version(self, write):
        """`outsourcekit: 1` names the format version, as in an engagement file."""
        path = write("w.yaml", "outsourcekit: 1\nwaivers: [{engagement: a, rule: r}]\n")

        assert ("a",) == tuple(w.engagement for w in read_waivers(path))

    @pytest.mark.parametrize("name", [".", "waivers", "dir.yaml"])
    def test_folder_is_not_a_regular_file(self, write, name):
        """A folder is no waiver file, whatever its name says."""
        write("dir.yaml/a.yaml", "")
        write("waivers/a.yaml", "")
        path = write("outsourcekit.toml", f'waivers = "{name}"\n')

        error = error_of(read_config, path)

        assert (
            f"outsourcekit.toml:1: waivers: {name}: cannot be read: it is not a "
            "regular file"
        ) == str(error)

    def test_entry_knows_its_line(self, write):
        """Each entry knows the line it starts on, and the line of its rule."""
        path = write(
            "w.yaml",
            """
            waivers:
              - {engagement: a, rule: CFG001, reason: r}
              - engagement: b
                rule: CFG001
            """,
        )

        assert [(2, 2), (3, 4)] == [(w.entry_line, w.line) for w in read_waivers(path)]

    def test_invalid_bytes(self, write):
        """A waiver file that is not UTF-8 is a located configuration error."""
        path = write("w.yaml", "")
        path.write_bytes(b"- engagement: a\n  rule: CFG001\n  reason: \xff\n")

        error = error_of(read_waivers, path)

        assert ("w.yaml", 3, 11) == (error.source, error.line, error.column)
        assert "byte 0xff cannot be read" in str(error)

    def test_missing_file(self, write):
        """A missing waiver file names itself."""
        del write

        error = error_of(read_waivers, "missing.yaml")

        assert "missing.yaml: cannot be read: No such file or directory" == str(error)

    def test_config_reads_its_waivers(self, write):
        """read_config reads the waiver file it names, relative to itself."""
        write("conf/w.yaml", "- {engagement: a, rule: CFG001, reason: r}\n")
        path = write("conf/outsourcekit.toml", 'waivers = "w.yaml"\n')

        config = read_config(path)
        report = ok.check(
            Engagement(id="a"), as_of=AS_OF, config=config, rules=[no_owner]
        )

        assert [("a", "r")] == waived(report)

    def test_bad_waiver_file_through_config(self, write):
        """A waiver file's problem is that file's, with its line."""
        write("w.yaml", "- engagement: a\n  rule: CFG001\n  until: soon\n")
        path = write("outsourcekit.toml", 'waivers = "w.yaml"\n')

        error = error_of(read_config, path)

        assert str(error).startswith("w.yaml:3: waivers[0].until: expected a date")

    @pytest.mark.parametrize(
        ("name", "text", "message"),
        [
            (
                "w.yaml",
                "- engagement: a\n  rule: CFG001\n  reason: r\n  reason: s\n",
                "w.yaml:4: waivers[0].reason: duplicate key `reason`",
            ),
            (
                "w.json",
                '[{"engagement": "a", "rule": "CFG001", "rule": "CFG002"}]',
                "w.json:1: waivers[0].rule: duplicate key `rule`",
            ),
            (
                "w.yaml",
                "waivers:\n- engagement: a\n  rule: CFG001\n  rule: CFG002\n",
                "w.yaml:4: waivers[0].rule: duplicate key `rule`",
            ),
            (
                "w.yaml",
                "- engagement: a\n  rule: CFG001\n  until: !!bool yes\n",
                "w.yaml:3: waivers[0].until: 'yes' is not a valid !!bool value",
            ),
        ],
    )
    @pytest.mark.parametrize("through", ["read_waivers", "read_config"])
    def test_unreadable_entry_named_as_the_others(
        self, write, name, text, message, through
    ):
        """A key twice or a wrong tag in an entry names it as `waivers[0].key`."""
        path = write(name, text)
        if through == "read_config":
            path = write("outsourcekit.toml", f'waivers = "{name}"\n')

        error = error_of(
            read_config if through == "read_config" else read_waivers, path
        )

        assert str(error).startswith(message)

    def test_unknown_rule(self, write):
        """A central waiver naming no rule is a configuration error with a hint."""
        write(
            "w.yaml",
            """
            - engagement: a
              rule: CFG001
              reason: known
            - engagement: b
              rule: no-ownr
              reason: misspelt
            """,
        )
        config = read_config(write("outsourcekit.toml", 'waivers = "w.yaml"\n'))

        error = error_of(
            lambda: ok.check([], as_of=AS_OF, config=config, rules=[no_owner])
        )

        assert (
            "w.yaml:5: waivers[1].rule: no rule has the code or slug 'no-ownr' "
            "(did you mean 'no-owner-named'?)"
        ) == str(error)

    def test_category_as_rule(self, write):
        """A central waiver of a category says so: a waiver accepts one rule."""
        write("w.yaml", "- {engagement: a, rule: governance, reason: all of it}\n")
        config = read_config(write("outsourcekit.toml", 'waivers = "w.yaml"\n'))

        error = error_of(
            lambda: ok.check([], as_of=AS_OF, config=config, rules=[no_owner])
        )

        assert (
            "w.yaml:1: waivers[0].rule: no rule has the code or slug 'governance': "
            "it is a category, of CFG001; name each rule by its code or slug"
        ) == str(error)

    def test_with_waivers(self, write):
        """with_waivers reads the file a configuration names, once."""
        path = write("w.yaml", "- {engagement: a, rule: CFG001, reason: r}\n")

        config = with_waivers(Config(waivers=path))

        assert ("a",) == tuple(w.engagement for w in config.central_waivers or ())
        assert config is with_waivers(config)
        assert Config() is not None
        assert with_waivers(Config()) == Config()

    def test_check_reads_the_file(self, write):
        """ok.check reads the waiver file a Config names."""
        path = write("w.yaml", "- {engagement: a, rule: CFG001, reason: no}\n")

        report = ok.check(
            Engagement(id="a"),
            as_of=AS_OF,
            config=ok.Config(waivers=path),
            rules=[no_owner],
        )

        assert [("a", "no")] == waived(report)

    def test_check_one_reads_the_file(self, write):
        """testing.check_one reads the waiver file it is given."""
        write("w.yaml", "- {engagement: a, rule: CFG001, reason: r}\n")

        findings = check_one(
            no_owner, Engagement(id="a"), as_of=AS_OF, waivers="w.yaml"
        )

        assert ["r"] == [f.waived for f in findings]

    def test_old_name_is_deprecated(self, write):
        """outsourcekit.engine.load_waiver_file is read_waivers, with a warning."""
        path = write("w.yaml", "- {engagement: a, rule: CFG001}\n")

        with pytest.warns(DeprecationWarning, match=r"outsourcekit\.config\.read"):
            from outsourcekit.engine import load_waiver_file

        assert read_waivers(path) == load_waiver_file(path)


class TestReadReport:
    @pytest.fixture
    def report(self):
        engagement = Engagement(id="a")
        return ok.check(engagement, as_of=AS_OF, rules=[no_owner])

    def test_round_trip(self, report, write):
        """A saved report reads back with the same findings."""
        path = write("report.json", json.dumps(report.to_dict(), indent=2))

        assert report.findings == read_report(path).findings

    def test_located_only_when_wrong(self, report, write, monkeypatch):
        """A good report is read at the parser's speed, with no locations.

        A baseline of a large portfolio is tens of megabytes: read with
        locations, it took seven times as long. Only a report with an error
        is read again, located, to name the error's line.
        """
        from outsourcekit import config

        asked: list[bool] = []
        parse = config.parse_text

        def recorded(*args, **kwargs):
            asked.append(kwargs.get("locations", True))
            return parse(*args, **kwargs)

        monkeypatch.setattr(config, "parse_text", recorded)
        good = write("good.json", json.dumps(report.to_dict(), indent=2))
        data = report.to_dict()
        data["findings"][0]["severity"] = "fatal"
        bad = write("bad.json", json.dumps(data, indent=2))

        line = 1 + bad.read_text("utf-8").splitlines().index(
            '      "severity": "fatal",'
        )

        read_report(good)
        assert [False] == asked
        with pytest.raises(ValueError, match=rf"^bad\.json:{line}: findings\[0\]\."):
            read_report(bad)
        assert [False, False, True] == asked

    def test_file_name_not_utf8(self, write):
        """A report naming a file whose name is not UTF-8 reads back as written.

        Python holds such a name with half a surrogate pair for each byte
        that is not UTF-8 (``caf\\udce9.yaml``), which the JSON report writes
        as an escape.
        """
        source = os.fsdecode(b"caf\xe9.yaml")
        engagements = ok.loads("id: a\n", format="yaml", source=source)
        report = ok.check(engagements, as_of=AS_OF, rules=[no_owner])
        path = write("report.json", json.dumps(report.to_dict(), indent=2))

        back = read_report(path)

        assert report.findings == back.findings
        assert [source] == [e.source for e in back.engagements]

    def test_json_lines(self, write):
        """A report saved as JSON Lines reads back with its findings and errors."""
        from outsourcekit.builtin.exporters import jsonl

        engagements = [Engagement(id="a"), Engagement(id="b")]
        report = ok.check(engagements, as_of=AS_OF, rules=[no_owner])
        path = write("report.jsonl", jsonl.export(report))

        back = read_report(path)

        assert 3 == len(path.read_text("utf-8").splitlines())
        assert report.findings == back.findings
        assert report.as_of == back.as_of

    def test_any_suffix(self, report, write):
        """A saved report is JSON whatever its name."""
        path = write("baseline", json.dumps(report.to_dict()))

        assert report.findings == read_report(path).findings

    def test_wrong_shape_is_located(self, report, write):
        """A value of the wrong shape names the file, its line and its path."""
        data = report.to_dict()
        data["findings"][0]["severity"] = "fatal"
        path = write("b.json", json.dumps(data, indent=2))
        line = 1 + path.read_text("utf-8").splitlines().index(
            '      "severity": "fatal",'
        )

        with pytest.raises(ValueError, match="severity") as info:
            read_report(path)

        assert (
            f"b.json:{line}: findings[0].severity: must be one of error, warning, "
            'info (got "fatal")'
        ) == str(info.value)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[]", "b.json:1: a report must be a JSON object (got [])"),
            (
                '{"format": true}',
                "b.json:1: format: report format must be 1 (got true)",
            ),
            (
                '{"format": 1, "as_of": "2026-11-22", "findings": "none"}',
                'b.json:1: findings: must be a list of JSON objects (got "none")',
            ),
            (
                '{"format": 1,\n "as_of": "2026-11-22",\n "findings": [{"rule": 1}]}',
                "b.json:3: findings[0].rule: must be text (got 1)",
            ),
            ("{", "b.json:1: invalid JSON: Expecting property name"),
        ],
    )
    def test_not_a_report(self, write, text, message):
        """A file that is not a report says why, where."""
        with pytest.raises(ValueError, match=r"b\.json") as info:
            read_report(write("b.json", text))

        assert str(info.value).startswith(message)

    def test_deeply_nested(self, write):
        """A document nested deeper than any reader goes is a clear error."""
        path = write("b.json", "[" * 100_000 + "]" * 100_000)

        with pytest.raises(ValueError, match="nested too deeply to be read"):
            read_report(path)

    def test_deep_evidence(self, report, write):
        """Evidence too deep to write is a located error, not a RecursionError."""
        data = report.to_dict()
        deep: dict[str, object] = {}
        for _ in range(min(800, sys.getrecursionlimit() - 200)):
            deep = {"x": deep}
        data["findings"][0]["evidence"] = deep
        path = write("b.json", json.dumps(data))

        with pytest.raises(
            ValueError, match=r"^b\.json:1: findings\[0\]\.evidence: "
        ) as e:
            read_report(path)
        assert "evidence values nest at most 100 levels" in str(e.value)

    def test_not_utf8(self, write):
        """A report that is not UTF-8 is a located error."""
        path = write("b.json", "")
        path.write_bytes(b'{"format": 1,\n "as_of": "\xff"}')

        with pytest.raises(ValueError, match=r"^b\.json:2: the file is not UTF-8"):
            read_report(path)

    def test_missing_file(self, write):
        """A file that cannot be read is an OSError."""
        del write

        with pytest.raises(FileNotFoundError):
            read_report("missing.json")


class TestSeverities:
    def test_severity_table_is_read(self, write):
        """Severity overrides come back as severities."""
        path = write("outsourcekit.toml", '[severity]\nno-owner-named = "error"\n')

        assert {"no-owner-named": Severity.ERROR} == read_config(path).severity


class TestFindingsOfCentralWaivers:
    @pytest.fixture
    def setup(self, write):
        """Two engagements, one with a waiver of its own, and a central waiver file."""
        write(
            "eng/a.yaml",
            """
            id: acme
            client: {name: Acme}
            waivers:
              - rule: no-kpis
                reason: KPIs are agreed in the quarterly review
            """,
        )
        write("eng/b.yaml", "id: beta\n")
        write(
            "waivers.yaml",
            """
            - {engagement: acme, rule: no-exit-plan, reason: no critical tasks}
            - engagement: beta
              rule: no-owner
              reason: ""
            - engagement: "*"
              rule: stale-status
              reason: status kept current
              until: 2026-01-01
            """,
        )
        return write(
            "outsourcekit.toml",
            'waivers = "waivers.yaml"\nselect = ["governance", "OSK701"]\n',
        )

    def test_placed_at_their_entry(self, setup):
        """OSK901, OSK902 and OSK905 of a central waiver name its file and line."""
        config = read_config(setup)

        report = ok.check(ok.load("eng"), as_of=AS_OF, config=config)

        assert [
            ("OSK701", "acme", "eng/a.yaml", 1),
            ("OSK901", "acme", "waivers.yaml", 5),
            ("OSK905", "acme", "waivers.yaml", 1),
            ("OSK701", "beta", "eng/b.yaml", 1),
            ("OSK902", "beta", "waivers.yaml", 2),
            ("OSK901", "beta", "waivers.yaml", 5),
        ] == [(f.rule, f.engagement, f.source, f.line) for f in report.findings]

    def test_streamed_check_places_them_alike(self, setup):
        """A check in parts places them as a check of the whole does."""
        config = read_config(setup)
        engagements = ok.load("eng")
        sink = Sink()

        whole = ok.check(engagements, as_of=AS_OF, config=config)
        ok.check_stream(
            engagements, as_of=AS_OF, config=config, sink=sink, chunk_size=1
        )

        def places(findings):
            return sorted((f.rule, f.engagement, f.source, f.line) for f in findings)

        assert places(whole.findings) == places(sink.found)

    def test_entry_made_in_code_is_in_no_file(self, write):
        """A central waiver made in Python has no file: its finding names none."""
        write("eng/a.yaml", "id: acme\nclient: {name: Acme}\n")
        entry = CentralWaiver(
            engagement="acme", waiver=Waiver(rule="no-exit-plan", reason="ok")
        )
        config = Config(
            select=["unused-waiver", "no-exit-plan"], central_waivers=[entry]
        )

        report = ok.check(ok.load("eng/a.yaml"), as_of=AS_OF, config=config)
        (finding,) = report.findings

        assert ("OSK905", "waivers", None, None) == (
            finding.rule,
            finding.path,
            finding.source,
            finding.line,
        )
