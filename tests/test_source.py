"""Tests for reading engagement file text into plain data with locations."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import pickle
import re

import pytest
import tomli_w
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import outsourcekit as ok
from outsourcekit import _source
from outsourcekit._source import (
    Location,
    Parsed,
    SourceSyntaxError,
    SyntaxIssue,
    YamlDumper,
    count_keys,
    detect_format,
    format_path,
    format_position,
    item_labels,
    parse,
    parse_path,
)
from outsourcekit.examples import examples_path
from test_fuzz import mutants
from yaml_layouts import hand_written


def paths(data, prefix=()):
    """Yield the path of every value in *data*, the root first."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


def offset(text, location):
    """Return the character offset of a 1-based *location* in *text*."""
    lines = text.split("\n")
    return sum(len(line) + 1 for line in lines[: location.line - 1]) + (
        location.column - 1
    )


def with_char(value, char):
    """Return *value* with each ``{c}`` in its strings and keys replaced by *char*."""
    if isinstance(value, str):
        return value.replace("{c}", char)
    if isinstance(value, dict):
        return {with_char(k, char): with_char(v, char) for k, v in value.items()}
    return [with_char(item, char) for item in value]


def syntax_issue(text, fmt, source="bad"):
    """Return the issue parsing *text* raises."""
    with pytest.raises(SourceSyntaxError) as excinfo:
        parse(text, fmt, source=source)
    return excinfo.value.issue


def problems_of(text, fmt, source="bad"):
    """Return the keys written twice that parsing *text* with locations finds."""
    return parse(text, fmt, source=source).problems


ENGAGEMENT_YAML = """\
id: acme
vendor:
  name: LedgerPros
  vetting:
    security_review: passed
tasks:
  - name: Reconcile
    due: 2026-01-31
  - name: Payroll
    due: monthly
"""

ENGAGEMENT_JSON = """\
{
  "id": "acme",
  "vendor": {
    "name": "LedgerPros",
    "vetting": {"security_review": "passed"}
  },
  "tasks": [
    {"name": "Reconcile", "due": "2026-01-31"},
    {
      "name": "Payroll",
      "due": "monthly"
    }
  ]
}
"""

ENGAGEMENT_TOML = """\
id = "acme"

[vendor]
name = "LedgerPros"
vetting.security_review = "passed"

[[tasks]]
name = "Reconcile"
due = 2026-01-31

[[tasks]]
name = "Payroll"
  due = "monthly"
"""

ENGAGEMENT = {
    "id": "acme",
    "vendor": {"name": "LedgerPros", "vetting": {"security_review": "passed"}},
    "tasks": [
        {"name": "Reconcile", "due": "2026-01-31"},
        {"name": "Payroll", "due": "monthly"},
    ],
}


class TestDetectFormat:
    @pytest.mark.parametrize(
        ("filename", "expected"),
        [
            ("engagements/acme.yaml", "yaml"),
            ("acme.yml", "yaml"),
            ("ACME.YML", "yaml"),
            ("acme.json", "json"),
            ("acme.Json", "json"),
            ("acme.toml", "toml"),
            ("acme.txt", None),
            ("acme", None),
            ("yaml", None),
            ("acme.yaml.bak", None),
        ],
    )
    def test_suffix(self, filename, expected):
        """The suffix names the format, in any case; other suffixes name none."""
        assert expected == detect_format(filename)


class TestParse:
    @pytest.mark.parametrize(
        ("text", "fmt"),
        [
            (ENGAGEMENT_YAML, "yaml"),
            (ENGAGEMENT_JSON, "json"),
            (ENGAGEMENT_TOML, "toml"),
        ],
        ids=["yaml", "json", "toml"],
    )
    def test_same_data_in_every_format(self, text, fmt):
        """The same engagement reads as the same plain data in every format."""
        assert ENGAGEMENT == parse(text, fmt).data

    @pytest.mark.parametrize(
        ("text", "fmt"),
        [
            (ENGAGEMENT_YAML, "yaml"),
            (ENGAGEMENT_JSON, "json"),
            (ENGAGEMENT_TOML, "toml"),
        ],
        ids=["yaml", "json", "toml"],
    )
    def test_fast_path_same_data_no_locations(self, text, fmt):
        """Without locations, the data is the same and nothing is located."""
        parsed = parse(text, fmt, source="acme", locations=False)

        assert (ENGAGEMENT, "acme", {}, {}) == (
            parsed.data,
            parsed.source,
            parsed.locations,
            parsed.key_locations,
        )

    @pytest.mark.parametrize(
        ("text", "fmt", "expected"),
        [
            (
                ENGAGEMENT_YAML,
                "yaml",
                {
                    ("vendor", "vetting", "security_review"): Location(5, 22),
                    ("tasks", 1): Location(9, 5),
                    ("tasks", 1, "due"): Location(10, 10),
                    ("tasks", 0, "due"): Location(8, 10),
                },
            ),
            (
                ENGAGEMENT_JSON,
                "json",
                {
                    ("vendor", "vetting", "security_review"): Location(5, 36),
                    ("tasks", 1): Location(9, 5),
                    ("tasks", 1, "due"): Location(11, 14),
                    ("tasks", 0, "due"): Location(8, 34),
                },
            ),
            (
                ENGAGEMENT_TOML,
                "toml",
                {
                    ("vendor", "vetting", "security_review"): Location(5, 27),
                    ("tasks", 1): Location(11, 1),
                    ("tasks", 1, "due"): Location(13, 9),
                    ("tasks", 0, "due"): Location(9, 7),
                },
            ),
        ],
        ids=["yaml", "json", "toml"],
    )
    def test_value_locations(self, text, fmt, expected):
        """Nested values and list items are located where they start."""
        parsed = parse(text, fmt)

        assert expected == {path: parsed.locations[path] for path in expected}

    @pytest.mark.parametrize(
        ("text", "fmt", "expected"),
        [
            (
                ENGAGEMENT_YAML,
                "yaml",
                {
                    ("vendor", "vetting"): Location(4, 3),
                    ("tasks", 1, "due"): Location(10, 5),
                },
            ),
            (
                ENGAGEMENT_JSON,
                "json",
                {
                    ("vendor", "vetting"): Location(5, 5),
                    ("tasks", 1, "due"): Location(11, 7),
                },
            ),
            (
                ENGAGEMENT_TOML,
                "toml",
                {
                    ("vendor", "vetting"): Location(5, 1),
                    ("tasks", 1, "due"): Location(13, 3),
                },
            ),
        ],
        ids=["yaml", "json", "toml"],
    )
    def test_key_locations(self, text, fmt, expected):
        """Keys are located where they are written, dotted TOML keys included."""
        parsed = parse(text, fmt)

        assert expected == {path: parsed.key_locations[path] for path in expected}

    @pytest.mark.parametrize(
        ("text", "fmt"),
        [
            (ENGAGEMENT_YAML, "yaml"),
            (ENGAGEMENT_JSON, "json"),
            (ENGAGEMENT_TOML, "toml"),
        ],
        ids=["yaml", "json", "toml"],
    )
    def test_every_path_located(self, text, fmt):
        """Every value, at every nesting level, has a location."""
        parsed = parse(text, fmt)

        assert set(paths(ENGAGEMENT)) == set(parsed.locations)

    def test_byte_order_mark(self):
        """A leading byte-order mark is ignored and does not shift columns."""
        parsed = parse('\ufeff{"id": "acme"}', "json")

        assert ({"id": "acme"}, Location(1, 2)) == (
            parsed.data,
            parsed.key_locations[("id",)],
        )

    def test_unknown_format(self):
        """A format that is not one of the three is refused."""
        with pytest.raises(ValueError, match="format: expected one of"):
            parse("", "ini")  # type: ignore[arg-type]


class TestParseYaml:
    @pytest.mark.parametrize(
        "word", ["on", "off", "yes", "no", "NO", "No", "y", "n", "Y", "N", "Off"]
    )
    def test_norway(self, word):
        """YAML 1.1 booleans such as the country code NO stay strings."""
        assert {"region": word} == parse(f"region: {word}\n", "yaml").data

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("true", True),
            ("True", True),
            ("TRUE", True),
            ("false", False),
            ("False", False),
            ("FALSE", False),
            ("null", None),
            ("Null", None),
            ("NULL", None),
            ("~", None),
            ("", None),
            ("12", 12),
            ("-12", -12),
            ("+12", 12),
            ("012", 12),
            ("0x1F", 31),
            ("0o17", 15),
            ("1.5", 1.5),
            ("-.5", -0.5),
            ("1e3", 1000.0),
            ("1.5E-3", 0.0015),
            (".inf", math.inf),
            ("-.Inf", -math.inf),
            ("+.INF", math.inf),
            ("1_000", "1_000"),
            ("0b101", "0b101"),
            ("1:30", "1:30"),
            ("TrUe", "TrUe"),
            ("'true'", "true"),
            ('"12"', "12"),
            ("!!str 12", "12"),
            ("!!int '12'", 12),
            ("!!float 1", 1.0),
            ("!!bool 'true'", True),
            ("!!null ''", None),
        ],
    )
    def test_core_schema_scalars(self, text, expected):
        """Scalars resolve by the YAML 1.2 core schema, explicit core tags apply."""
        actual = parse(f"value: {text}\n", "yaml").data

        assert {"value": expected} == actual
        assert type(expected) is type(actual["value"])

    def test_nan(self):
        """.nan is a float NaN."""
        assert math.isnan(parse("value: .NaN\n", "yaml").data["value"])

    @pytest.mark.parametrize(
        "date",
        [
            "2026-03-01",
            "2026-13-45",
            "2026-03-01T09:00",
            "2026-03-01 09:00:00",
            "2026-03-01T09:00+08:00",
            "2026-03-01T09:00:00.5Z",
            "03/01/2026",
        ],
    )
    def test_dates_stay_strings(self, date):
        """Dates and date-times, valid or not, stay the strings written."""
        assert {"start": date} == parse(f"start: {date}\n", "yaml").data

    @pytest.mark.parametrize("locations", [False, True])
    def test_identifiers_as_written(self, locations):
        """Identifiers read as whole numbers are their text; other numbers are not."""
        text = (
            "engagements:\n"
            "  - id: 007\n"
            "    vendor: {id: 0x1F}\n"
            "    x-a: {id: 007}\n"
            "  - {id: +5, vendor: {id: 0o17}}\n"
            "defaults:\n"
            "  vendor:\n"
            '    "id": -08  # padded\n'
        )

        data = parse(text, "yaml", locations=locations).data

        assert {
            "engagements": [
                {"id": "007", "vendor": {"id": "0x1F"}, "x-a": {"id": 7}},
                {"id": "+5", "vendor": {"id": "0o17"}},
            ],
            "defaults": {"vendor": {"id": "-08"}},
        } == data

    def test_keys_as_written(self):
        """Mapping keys are strings as written, whatever they would resolve to."""
        text = "1: a\ntrue: b\nnull: c\non: d\n0x10: e\n"

        assert {"1": "a", "true": "b", "null": "c", "on": "d", "0x10": "e"} == parse(
            text, "yaml"
        ).data

    def test_anchors_aliases_and_merge_keys(self):
        """Aliases repeat their anchor; merge keys merge, written keys winning."""
        text = """\
base: &base {client: Acme, status: active}
other: &other {status: paused, owner: Dana}
a: *base
b:
  <<: [*base, *other]
  status: ended
"""
        expected = {
            "base": {"client": "Acme", "status": "active"},
            "other": {"status": "paused", "owner": "Dana"},
            "a": {"client": "Acme", "status": "active"},
            "b": {"client": "Acme", "status": "ended", "owner": "Dana"},
        }

        assert expected == parse(text, "yaml").data

    def test_aliases_located_at_anchor(self):
        """Values reached through an alias are located where the anchor writes them."""
        text = "base: &base\n  client: Acme\na: *base\nb:\n  <<: *base\n"
        parsed = parse(text, "yaml")

        assert [Location(2, 11)] * 3 == [
            parsed.locations[("base", "client")],
            parsed.locations[("a", "client")],
            parsed.locations[("b", "client")],
        ]

    def test_aliases_are_copies(self):
        """Each alias gets its own copy, so changing one changes no other."""
        data = parse("a: &a {x: [1]}\nb: *a\n", "yaml", locations=False).data
        data["b"]["x"].append(2)

        assert {"a": {"x": [1]}, "b": {"x": [1, 2]}} == data

    def test_alias_expansion_bounded(self, monkeypatch):
        """Aliases that would repeat an enormous number of values are refused."""
        monkeypatch.setattr(_source, "_MAX_REPEATED", 1000)
        lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [
            f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)
        ]
        issue = syntax_issue("\n".join(lines) + "\n", "yaml")

        assert "aliases repeat more than" in issue.message

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("a: &a {<<: *a}\n", "contains it"),
            ("a: {<<: [1]}\n", "merge key `<<` takes a mapping"),
        ],
    )
    def test_bad_merge_keys(self, text, message):
        """Merge keys that merge no mapping are located errors."""
        issue = syntax_issue(text, "yaml")

        assert (1, True) == (issue.line, message in issue.message)

    def test_pure_python_loader(self, monkeypatch):
        """Without libyaml, the same data, locations and errors come out."""
        with_libyaml = parse(ENGAGEMENT_YAML, "yaml")
        monkeypatch.setattr(_source, "_YAML_LOADER", _source._PyCoreLoader)
        pure = parse(ENGAGEMENT_YAML, "yaml")

        assert with_libyaml == pure
        assert (2, 1) == (
            problems_of("a: 1\na: 2\n", "yaml")[0].line,
            syntax_issue("a: !!python/none ''\n", "yaml").column - 3,
        )

    def test_crlf(self):
        """Windows line ends locate like Unix ones."""
        text = ENGAGEMENT_YAML.replace("\n", "\r\n")
        parsed = parse(text, "yaml")

        assert (ENGAGEMENT, Location(10, 10)) == (
            parsed.data,
            parsed.locations[("tasks", 1, "due")],
        )

    def test_empty_values_located(self):
        """An empty value is located on its key's line."""
        parsed = parse("id: acme\nend:\nstart: x\n", "yaml")

        assert (None, 2) == (parsed.data["end"], parsed.locations[("end",)].line)

    def test_empty_document(self):
        """An empty document is None, located nowhere."""
        parsed = parse("# nothing\n", "yaml", source="empty.yaml")

        assert (None, Location()) == (parsed.data, parsed.locate(("id",)))

    def test_non_ascii_columns(self):
        """Columns count characters, not bytes."""
        parsed = parse("title: Ärger über Ölpreise\nid: x\nnote: [é, ü]\n", "yaml")

        assert Location(3, 11) == parsed.locations[("note", 1)]

    def test_duplicate_keys(self):
        """A key written twice in one mapping is a problem at the second one."""
        text = "id: a\nvendor:\n  name: x\n  kind: agency\n  name: y\n"

        assert (
            SyntaxIssue(
                "e.yaml",
                5,
                3,
                "duplicate key `name`: a key may appear once in a mapping, "
                "it is first at line 3, column 3",
                ("vendor", "name"),
            ),
        ) == problems_of(text, "yaml", "e.yaml")

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [
            ("yaml", "a: 1\nb: {x: 1, x: 2}\na: 3\nc: 4\n"),
            ("yaml", "m: &m {x: 0}\nb: {<<: *m, x: 1, x: 2}\na: 1\na: 3\nc: 4\n"),
            ("json", '{"a": 1, "b": {"x": 1, "x": {"y": 2}}, "a": 3, "c": 4}'),
        ],
        ids=["yaml", "yaml-merge", "json"],
    )
    def test_every_duplicate_found_first_kept(self, fmt, text):
        """With locations, every key written twice is found; the first value stays."""
        parsed = parse(text, fmt)
        problems = [issue.message.split(":")[0] for issue in parsed.problems]

        assert ["duplicate key `x`", "duplicate key `a`"] == problems
        assert (1, 1, 4) == (
            parsed.data["a"],
            parsed.data["b"]["x"],
            parsed.data["c"],
        )

    @pytest.mark.parametrize(
        ("fmt", "text"),
        [("yaml", "a: 1\na: 2\n"), ("json", '{"a": 1, "a": 2}')],
    )
    def test_duplicates_recoverable(self, fmt, text):
        """Without locations, a key written twice is an error one can read past."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse(text, fmt, locations=False)

        assert excinfo.value.recoverable

    def test_duplicate_keys_fast_path(self):
        """Duplicate keys are found and located without locations asked for."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse("a: 1\nb: 2\na: 3\n", "yaml", locations=False)

        assert (3, 1) == (excinfo.value.issue.line, excinfo.value.issue.column)

    def test_duplicate_keys_as_written(self):
        """Keys that are equal as written strings are duplicates."""
        [issue] = problems_of("1: a\n'1': b\n", "yaml")

        assert (2, 1) == (issue.line, issue.column)

    def test_merged_keys_are_not_duplicates(self):
        """A written key that overrides a merged one is not a duplicate."""
        text = "x: &x {a: 1}\ny: {<<: *x, a: 2}\n"

        assert {"a": 2} == parse(text, "yaml").data["y"]

    @pytest.mark.parametrize(
        ("text", "line", "column", "tag"),
        [
            (
                "a: !!python/object/apply:os.system [ls]\n",
                1,
                4,
                "!!python/object/apply",
            ),
            ("id: x\nb: !!python/name:os.system ''\n", 2, 4, "!!python/name:os.system"),
            ("a:\n  b: !!timestamp 2026-01-01\n", 2, 6, "!!timestamp"),
            ("a: !!binary aGk=\n", 1, 4, "!!binary"),
            ("a: !!set {x, y}\n", 1, 4, "!!set"),
            ("a: !custom 1\n", 1, 4, "!custom"),
            ("? !!python/tuple [1, 2]\n: x\n", 1, 3, "!!python/tuple"),
        ],
    )
    def test_object_tags_refused(self, text, line, column, tag):
        """Tags that would build objects are located errors naming the tag."""
        issue = syntax_issue(text, "yaml")

        assert (line, column, True) == (issue.line, issue.column, tag in issue.message)

    @pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
    @pytest.mark.parametrize(
        ("written", "value"),
        [
            ('"x{c}y"', "x{c}y"),
            ("'x{c}y'", "x{c}y"),
            ("x{c}y", "x{c}y"),
            ("{c}x{c}", "{c}x{c}"),
            ("|\n  x{c}y\n  z{c}", "x{c}y\nz{c}\n"),
            (">-\n  x{c}\n  y", "x{c} y"),
            ("[x{c}y, {{k{c}: z}}]", ["x{c}y", {"k{c}": "z"}]),
            ('"x{c}\n  y"', "x{c} y"),
        ],
        ids=[
            "double",
            "single",
            "plain",
            "plain-ends",
            "literal",
            "folded",
            "flow",
            "lines",
        ],
    )
    def test_yaml_1_2_content_not_line_breaks(self, char, written, value):
        """NEL, U+2028 and U+2029 are content, as in YAML 1.2, and break no line."""
        text = f"id: a\ntitle: {written.format(c=char)}\nstatus: active\n"
        line = 3 + written.count("\n")
        expected = with_char(value, char)

        parsed = parse(text, "yaml")
        fast = parse(text, "yaml", locations=False)
        followed = _source.YamlText(text)

        assert (expected, expected) == (parsed.data["title"], fast.data["title"])
        assert (Location(line, 9), line) == (
            parsed.locations[("status",)],
            followed.line(("status",)),
        )
        assert (expected if isinstance(expected, str) else None) == followed.string(
            followed.child(followed.root, "title")
        )

    @pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
    def test_yaml_1_2_content_in_errors(self, char):
        """Errors after NEL, U+2028 or U+2029 are on their lines, quoting them."""
        twice = f"a{char}: 1\na{char}: 2\n"
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse(twice, "yaml", source="bad", locations=False)
        duplicate = (
            f"bad:2:1: duplicate key `a{char}`: a key may appear once in a "
            "mapping, it is first at line 1, column 1"
        )

        assert [
            ("bad:3:10: invalid YAML: mapping values are not allowed in this context"),
            duplicate,
            duplicate,
        ] == [
            str(syntax_issue(f"id: a\ntitle: x{char}y\nstatus: a: b\n", "yaml")),
            str(excinfo.value.issue),
            *map(str, problems_of(twice, "yaml")),
        ]

    def test_yaml_1_2_content_quoted_by_the_pure_python_loader(self, monkeypatch):
        """The pure-Python loader's messages quote the characters of the text."""
        monkeypatch.setattr(_source, "_YAML_LOADER", _source._PyCoreLoader)

        issue = syntax_issue('a: "x\\\u2028y"\n', "yaml")

        assert (
            "bad:1:7: invalid YAML: found unknown escape character '\\u2028' "
            "(while scanning a double-quoted scalar)"
        ) == str(issue)

    def test_yaml_1_2_content_beside_private_use_characters(self):
        """Characters of the private use area, written or escaped, stay as they are."""
        text = 'a: "\\ue000\\U0000E001\u2028"\nb: \ue002\u2028\ue003\n'

        assert {"a": "\ue000\ue001\u2028", "b": "\ue002\u2028\ue003"} == parse(
            text, "yaml"
        ).data

    @pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e"])
    @pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
    def test_control_characters_refused_on_their_line(self, char, end):
        """Characters YAML 1.2 does not print are refused, located by characters.

        Not by bytes of UTF-8, and on lines that end as the text's lines end.
        """
        text = f"id: a{end}title: Ärger über{char}{end}"

        issue = syntax_issue(text, "yaml")

        assert (
            f"bad:2:18: invalid YAML: character #x{ord(char):04x}: control "
            "characters are not allowed"
        ) == str(issue)

    def test_carriage_returns_alone_end_lines(self):
        """Lines ended by a carriage return alone (old Mac OS) are counted."""
        parsed = parse(ENGAGEMENT_YAML.replace("\n", "\r"), "yaml")

        assert (ENGAGEMENT, Location(10, 10)) == (
            parsed.data,
            parsed.locations[("tasks", 1, "due")],
        )

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("id: a\nvendor:\n  name: x\n   kind: y\n", 4),
            ("id: a\ntasks: [1, 2\nb: 3\n", 3),
            ("id: a\nb: 'open\n", 3),
            ("id: a\n\tb: 1\n", 2),
            ("id: a\nb: *missing\n", 2),
            ("id: a\n---\nid: b\n", 2),
            ("id: a\nb: \x07\n", 2),
            ("? [a]\n: 1\n", 1),
            ("a: &x [*x]\n", 1),
            ("a: !!int twelve\n", 1),
        ],
    )
    def test_invalid_one_located_issue(self, text, line):
        """Invalid YAML raises one issue, located at the line at fault."""
        issue = syntax_issue(text, "yaml", "engagements/bad.yaml")

        assert ("engagements/bad.yaml", line, True) == (
            issue.source,
            issue.line,
            issue.column is not None,
        )

    @pytest.mark.parametrize("locations", [False, True])
    def test_value_not_what_its_tag_says(self, locations):
        """A value that is not what its tag says is located, with its path."""
        text = "engagements:\n  - id: a\n    x-t: [!!bool yes]\n"

        with pytest.raises(SourceSyntaxError) as info:
            parse(text, "yaml", source="t.yaml", locations=locations)

        assert (
            SyntaxIssue(
                "t.yaml",
                3,
                11,
                "'yes' is not a valid !!bool value: expected true or false",
                ("engagements", 0, "x-t", 0),
                "true or false",
            )
            == info.value.issue
        )


class TestParseJson:
    def test_values(self):
        """JSON reads as json.loads reads it."""
        text = '{"a": [1, -2.5e3, true, false, null, "s\\u00e9"], "b": {}, "c": []}'

        assert json.loads(text) == parse(text, "json").data

    def test_dates_stay_strings(self):
        """Date strings, valid or not, stay strings."""
        assert {"due": "2026-13-45"} == parse('{"due": "2026-13-45"}', "json").data

    def test_duplicate_keys(self):
        """A key written twice in one object is a problem at the second one."""
        text = '{\n  "a": {"x": 1,\n        "x": 2}\n}'

        assert (
            SyntaxIssue(
                "e.json",
                3,
                9,
                "duplicate key `x`: a key may appear once in an object, "
                "it is first at line 2, column 9",
                ("a", "x"),
            ),
        ) == problems_of(text, "json", "e.json")

    def test_deep_values_located_at_an_ancestor(self):
        """Values nested deeper than any engagement are located at an ancestor."""
        deep = "[" * 150 + "1" + "]" * 150
        parsed = parse(f'{{"a": {{"b": {deep}}}}}', "json")

        assert parsed.locate(("a", "b", *[0] * 150)) == parsed.locate(
            ("a", "b", *[0] * 99)
        )
        assert 150 > max(len(path) for path in parsed.locations)

    def test_duplicate_keys_fast_path(self):
        """Duplicate keys are found and located without locations asked for."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse('[{"a": 1}, {"b": 1, "b": 2}]', "json", locations=False)

        assert (1, 21) == (excinfo.value.issue.line, excinfo.value.issue.column)

    @pytest.mark.parametrize(
        ("text", "line", "column"),
        [
            ('{\n  "id": "a",\n  "b": [1, 2 3]\n}', 3, 14),
            ('{\n  "id": "a"\n  "b": 1\n}', 3, 3),
            ("{\n  \"id\": 'a'\n}", 2, 9),
            ("", 1, 1),
            ('{"a": 1} x', 1, 10),
        ],
    )
    def test_invalid_one_located_issue(self, text, line, column):
        """Invalid JSON raises one issue at the line and column at fault."""
        issue = syntax_issue(text, "json", "engagements/bad.json")

        assert ("engagements/bad.json", line, column) == (
            issue.source,
            issue.line,
            issue.column,
        )

    def test_carriage_returns_alone_end_lines(self):
        """Lines ended by a carriage return alone (old Mac OS) are counted."""
        text = '{\r  "id": "a",\r  "tasks": [\r    {"name": "x"}\r  ]\r}\r'

        parsed = parse(text, "json", source="old.json")

        assert (Location(4, 5), Location(3, 3)) == (
            parsed.locations[("tasks", 0)],
            parsed.key_locations[("tasks",)],
        )

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                '{\r  "id": "a"\r  "b": 1\r}\r',
                "old.json:3:3: invalid JSON: Expecting ',' delimiter",
            ),
            (
                '{\r  "id": "a",\r  "b": ' + "[" * 100_000,
                "old.json:3:107: invalid JSON: nested too deeply to be read",
            ),
        ],
    )
    def test_carriage_returns_alone_locate_errors(self, text, message):
        """Errors in text of old Mac OS line ends are on their lines."""
        assert message == str(syntax_issue(text, "json", "old.json"))

    def test_carriage_returns_alone_locate_keys_written_twice(self):
        """A key written twice in text of old Mac OS line ends is on its lines."""
        text = '{\r  "a": {"x": 1,\r        "x": 2}\r}'

        assert [
            (
                "old.json:3:9: duplicate key `x`: a key may appear once in an "
                "object, it is first at line 2, column 9"
            )
        ] == [str(issue) for issue in problems_of(text, "json", "old.json")]

    def test_too_deep(self):
        """Nesting too deep for the parser is an issue, not a crash."""
        issue = syntax_issue("[" * 100_000, "json")

        assert "nested too deeply" in issue.message

    def test_too_deep_is_located(self):
        """The issue points at the bracket opening the 101st level, strings aside."""
        text = '{"a": "[[[[",\n "b": ' + "[" * 100_000 + "]" * 100_000 + "}"

        issue = syntax_issue(text, "json", "deep.json")

        assert ("deep.json", 2, 106) == (issue.source, issue.line, issue.column)
        assert "deep.json:2:106: invalid JSON: nested too deeply to be read" == str(
            issue
        )

    def test_too_deep_search_reads_an_open_string_once(self):
        """A string left open is read to the end once, not again from each quote.

        Read again from each of its 100,000 escaped quotes, this text would take
        minutes. The place is looked for only once the JSON reader gave up on
        the nesting, but the text after it may be anything.
        """
        text = "[" * 50 + '"' + '\\"' * 100_000 + "\\"

        nesting = _source._JSON_NESTING

        assert _source._too_deep(text, nesting) is None
        assert Location(1, 107) == _source._too_deep(
            "[" * 50 + '"\\"[",' + "[" * 51, nesting
        )


def unchecked(text):
    """Return *text* read as JSON without the check for keys written twice."""
    return parse(text, "json", locations=False, check_keys=False)


#: JSON keys, some with a quote and a colon in them, as text may have.
_KEYS = st.sampled_from(["a", "b", "id", ":", 'x":', " :", "x-y"])
#: JSON values as text: strings that look like keys or colons, and numbers.
_SCALARS = st.sampled_from(['":"', '"a\\":"', '"\\":1"', "1", "null", '" : "'])
#: White space around a colon, mostly none, as JSON writers put it.
_SPACE = st.sampled_from(["", "", "", " ", "\n "])


@st.composite
def _json_texts(draw, depth=2):
    """Return JSON text of an object, its keys maybe written twice, variously laid."""
    members = []
    for _ in range(draw(st.integers(0, 4))):
        key = json.dumps(draw(_KEYS))
        if depth > 0 and draw(st.booleans()):
            value = draw(_json_texts(depth - 1))
        else:
            value = draw(_SCALARS)
        members.append(f"{key}{draw(_SPACE)}:{draw(_SPACE)}{value}")
    return "{" + ",".join(members) + "}"


class TestJsonErrorText:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                '{"id": "a\x01b"}',
                (
                    "e.json:1:10: invalid JSON: control character U+0001 in a "
                    "string: JSON writes it escaped, as \\u0001"
                ),
            ),
            ('{"id": "ab', "e.json:1:8: invalid JSON: Unterminated string"),
            ('{"id": "a"', "e.json:1:11: invalid JSON: Expecting ',' delimiter"),
            (
                '\x00{"id": "a"}',
                (
                    "e.json:1:1: invalid JSON: Expecting value, found the control "
                    "character U+0000 (a zero byte), which JSON text does not hold"
                ),
            ),
            (
                '{"id": "a",\x1b "title": "t"}',
                (
                    "e.json:1:12: invalid JSON: Expecting property name enclosed in "
                    "double quotes, found the control character U+001B, which JSON "
                    "text does not hold"
                ),
            ),
        ],
    )
    def test_whole_sentences(self, text, message):
        """The reader's message is a whole sentence, a control character named."""
        with pytest.raises(SourceSyntaxError) as caught:
            parse(text, "json", source="e.json")

        assert message == str(caught.value)

    def test_public(self):
        """Importers of JSON files say it in the same words."""
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads('["\x1f"]')

        assert (
            "control character U+001F in a string: JSON writes it escaped, as \\u001f"
        ) == ok.io.json_error_text(caught.value)


class TestUncheckedJson:
    def test_same_data(self):
        """Text without keys written twice gives the data it gives checked."""
        text = '{"a": {"b": [1, {"c": "09:00"}]}, "d": "x: y", "e": "\\u00e9"}'
        parsed = unchecked(text)

        assert parse(text, "json").data == parsed.data
        assert count_keys(parsed.data) == parsed.unchecked_keys == 5

    @pytest.mark.parametrize("value", ['":x"', '"a\\":"'])
    def test_quote_colon_in_a_string_counts_more(self, value):
        """A string holding a quote before a colon counts more keys than there are."""
        parsed = unchecked(f'{{"d": {value}}}')

        assert (1, 2) == (count_keys(parsed.data), parsed.unchecked_keys)

    def test_key_written_twice_counts_more(self):
        """A key written twice leaves the data fewer keys than the count."""
        parsed = unchecked('{"a": {"x": 1, "x": 2}}')

        assert {"a": {"x": 2}} == parsed.data
        assert (2, 3) == (count_keys(parsed.data), parsed.unchecked_keys)

    def test_spaced_key_read_checked(self):
        """Text with a key spaced from its colon is checked as it is read."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            unchecked('{"a" : 1, "a" : 2}')

        assert excinfo.value.recoverable
        assert (1, 11) == (excinfo.value.issue.line, excinfo.value.issue.column)
        assert unchecked('{"a" : 1}').unchecked_keys is None

    @pytest.mark.parametrize(
        "text",
        [
            '{"a": "x", "a": "\\ud800"}',
            '{"a": "\\ud800", "a": "x"}',
            '{"a": "\\ud800"}',
        ],
    )
    def test_lone_surrogate_read_checked(self, text):
        """Text with a lone surrogate escape raises what it raises checked."""
        issues = []
        for read in (unchecked, lambda t: parse(t, "json", locations=False)):
            with pytest.raises(SourceSyntaxError) as excinfo:
                read(text)
            issues.append((excinfo.value.issue, excinfo.value.recoverable))

        assert issues[0] == issues[1]

    def test_invalid_json_same_issue(self):
        """Invalid text after a key written twice is the issue reported."""
        text = '{"a": 1, "a": 2, "b": }'
        with pytest.raises(SourceSyntaxError) as excinfo:
            unchecked(text)

        assert syntax_issue(text, "json", None) == excinfo.value.issue
        assert not excinfo.value.recoverable

    @pytest.mark.parametrize("fmt", ["yaml", "toml"])
    def test_other_formats_checked(self, fmt):
        """YAML and TOML are checked as they are read, whatever is asked."""
        parsed = parse("a = 1" if fmt == "toml" else "a: 1", fmt, check_keys=False)

        assert parsed.unchecked_keys is None

    def test_with_locations_checked(self):
        """Text read with locations is checked as it is read."""
        parsed = parse('{"a": 1, "a": 2}', "json", check_keys=False)

        assert parsed.unchecked_keys is None
        assert ["duplicate key `a`"] == [p.message[:17] for p in parsed.problems]

    @given(_json_texts())
    @settings(max_examples=300)
    def test_count_tells_keys_written_twice(self, text):
        """Data holding as many keys as counted has no key written twice."""
        try:
            parsed = unchecked(text)
        except SourceSyntaxError:
            parsed = None
        try:
            parse(text, "json", locations=False)
            twice = False
        except SourceSyntaxError:
            twice = True

        if parsed is not None and parsed.unchecked_keys is not None:
            assert count_keys(parsed.data) <= parsed.unchecked_keys
            if count_keys(parsed.data) == parsed.unchecked_keys:
                assert not twice
        if not twice:
            assert parse(text, "json").data == (parsed.data if parsed else None)


class TestCountKeys:
    def test_nested(self):
        """Keys of mappings inside mappings and lists all count."""
        assert 6 == count_keys({"a": [{"b": 1, "c": {}}, {"d": {"e": []}}], "f": 1})

    @pytest.mark.parametrize("data", [None, 1, "a", [], [[1], "x"]])
    def test_no_mapping(self, data):
        """Data without mappings has no keys."""
        assert 0 == count_keys(data)

    def test_deep(self):
        """Data nested deeper than Python's recursion limit is counted."""
        data: object = {}
        for _ in range(5000):
            data = [{"a": data}]

        assert 5000 == count_keys(data)


class TestParseToml:
    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ('id = "a"\nx-n = ' + "[" * 100_000 + "]" * 100_000, (2, 107)),
            ('id = "a"\nx-n = ' + "{a = " * 100_000 + "1" + "}" * 100_000, (2, 507)),
            (
                'id = "a" # [[[[\nx-s = """[[[\n]]"""\nx-t = \'[\'\nx-u = "[\\""\n'
                "x-n = " + "[" * 100_000 + "]" * 100_000,
                (6, 107),
            ),
        ],
    )
    def test_too_deep_is_located(self, text, where):
        """Nesting too deep is an issue at the bracket opening the 101st level.

        Brackets in comments and strings of every kind do not count.
        """
        issue = syntax_issue(text, "toml", "deep.toml")

        assert ("deep.toml", *where) == (issue.source, issue.line, issue.column)
        assert "invalid TOML: nested too deeply to be read" == issue.message

    def test_dates_become_iso_strings(self):
        """TOML dates, date-times and times become ISO 8601 strings."""
        text = (
            "start = 2026-01-05\n"
            "at = 2026-03-02T09:00:00+08:00\n"
            "utc = 1979-05-27 07:32:00Z\n"
            "local = 2026-03-02T09:00:00\n"
            "time = 07:32:00\n"
            "bad = '2026-13-45'\n"
            "list = [2026-01-05]\n"
        )

        assert {
            "start": "2026-01-05",
            "at": "2026-03-02T09:00:00+08:00",
            "utc": "1979-05-27T07:32:00+00:00",
            "local": "2026-03-02T09:00:00",
            "time": "07:32:00",
            "bad": "2026-13-45",
            "list": ["2026-01-05"],
        } == parse(text, "toml").data

    def test_dates_under_x_keys_stay_dates(self):
        """Under an x- key, at any depth, TOML dates are kept as TOML reads them."""
        text = (
            "x-at = 2026-03-02T09:00:00Z\n"
            "[vendor]\n"
            "start = 2026-01-05\n"
            "x-days = [2026-01-05, 07:32:00]\n"
            "[vendor.x-more]\n"
            "local = 2026-03-02T09:00:00\n"
        )

        assert {
            "x-at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc),
            "vendor": {
                "start": "2026-01-05",
                "x-days": [dt.date(2026, 1, 5), dt.time(7, 32)],
                "x-more": {"local": dt.datetime(2026, 3, 2, 9)},
            },
        } == parse(text, "toml").data

    def test_nested_arrays_of_tables(self):
        """Array-of-tables headers are counted per parent item."""
        text = """\
[[engagements]]
id = "a"
[[engagements.tasks]]
name = "a1"
[[engagements.tasks]]
name = "a2"

[[engagements]]
id = "b"
[engagements.vendor]
name = "v"
[[engagements.tasks]]
name = "b1"
"""
        parsed = parse(text, "toml")

        assert {
            ("engagements", 0, "tasks", 1, "name"): Location(6, 8),
            ("engagements", 1, "vendor"): Location(10, 1),
            ("engagements", 1, "tasks", 0): Location(12, 1),
            ("engagements", 1, "tasks", 0, "name"): Location(13, 8),
        } == {
            path: parsed.locations[path]
            for path in [
                ("engagements", 0, "tasks", 1, "name"),
                ("engagements", 1, "vendor"),
                ("engagements", 1, "tasks", 0),
                ("engagements", 1, "tasks", 0, "name"),
            ]
        }

    def test_inline_tables_arrays_and_strings(self):
        """Values inside inline tables, arrays and after long strings are located."""
        text = '''\
note = """a "quoted"
[not = a header]
"""
raw = \'\'\'x\'\'\'
"a.b" = 1
channels = [
  {name = "Slack", kind = "chat"},  # comment, with [brackets]
  { name = 'Zoom', meta.secure = true },
]
last = 2
'''
        parsed = parse(text, "toml")

        assert {
            ("a.b",): Location(5, 9),
            ("channels", 1): Location(8, 3),
            ("channels", 1, "meta", "secure"): Location(8, 34),
            ("last",): Location(10, 8),
        } == {
            path: parsed.locations[path]
            for path in [
                ("a.b",),
                ("channels", 1),
                ("channels", 1, "meta", "secure"),
                ("last",),
            ]
        }
        assert (
            Location(8, 25) == parsed.key_locations[("channels", 1, "meta", "secure")]
        )

    def test_crlf_and_comments(self):
        """Windows line ends, comments and blank lines do not shift locations."""
        text = '# head\r\n\r\nid = "a"  # the id\r\n[vendor]  # v\r\nname = "x"\r\n'
        parsed = parse(text, "toml")

        assert (Location(3, 6), Location(5, 8)) == (
            parsed.locations[("id",)],
            parsed.locations[("vendor", "name")],
        )

    def test_quoted_keys(self):
        """Quoted keys, escapes included, are located under their decoded names."""
        text = '"a\\u0042" = 1\n[ "x.y" . \'z\' ]\nw = 2\n'
        parsed = parse(text, "toml")

        assert ({"aB": 1, "x.y": {"z": {"w": 2}}}, Location(3, 5)) == (
            parsed.data,
            parsed.locations[("x.y", "z", "w")],
        )

    def test_super_table_defined_later(self):
        """A table implied by a header is located at its own header once it has one."""
        parsed = parse("[a.b]\nx = 1\n[a]\ny = 2\n", "toml")

        assert (Location(1, 1), Location(3, 1)) == (
            parsed.locations[("a", "b")],
            parsed.locations[("a",)],
        )

    def test_duplicate_keys(self):
        """A key written twice is a problem at the second one, with its path."""
        text = 'id = "a"\nname = "x"\nname = "y"\n'

        assert (
            SyntaxIssue(
                "e.toml",
                3,
                1,
                "a value is set twice: `name = ...` sets a key that is set "
                "already; a key may appear once in a table",
                ("name",),
            ),
        ) == problems_of(text, "toml", "e.toml")

    def test_every_key_set_twice_found_first_kept(self):
        """With locations, every key set twice is found; the first value stays."""
        text = (
            "[[e]]\na = 1\nb.x = 1\nb . 'x' = 2\na = 3\n"
            '[[e]]\nc = 4\n[e.d]\ny = 5\n"y" = 6\nz = 7\n'
        )

        parsed = parse(text, "toml")

        assert [
            (4, 1, ("e", 0, "b", "x")),
            (5, 1, ("e", 0, "a")),
            (10, 1, ("e", 1, "d", "y")),
        ] == [(i.line, i.column, i.path) for i in parsed.problems]
        assert {"e": [{"a": 1, "b": {"x": 1}}, {"c": 4, "d": {"y": 5, "z": 7}}]} == (
            parsed.data
        )
        assert (Location(7, 5), Location(11, 5)) == (
            parsed.locations[("e", 1, "c")],
            parsed.locations[("e", 1, "d", "z")],
        )

    def test_set_twice_recoverable(self):
        """Without locations, a key set twice is an error one can read past."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse("a = 1\nb = 2\n  a = 3\n", "toml", locations=False)

        assert (True, 3, 3) == (
            excinfo.value.recoverable,
            excinfo.value.issue.line,
            excinfo.value.issue.column,
        )

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ("".join(f"k{i} = 1\nk{i} = 2\n" for i in range(101)), 202),
            ('"\\u0000set aside 0" = 1\na = 1\na = 2\nb = 1\nb = 2\n', 3),
            ('a = 1\na = """\nb = 2"""\n', 3),
        ],
        ids=["past-the-most", "name-taken", "in-text"],
    )
    def test_set_twice_not_read_past(self, text, line):
        """Past 100 keys set twice, in a file that holds the name they are set
        aside under, or after text of several lines, a key set twice is refused
        on its own, like invalid TOML."""
        issue = syntax_issue(text, "toml")

        assert (line, "a value is set twice", False) == (
            issue.line,
            issue.message[:20],
            "set aside" in issue.message,
        )

    @pytest.mark.parametrize(
        ("text", "line", "column"),
        [
            ('id = "a"\nb = \n', 2, 5),
            ('id = "a"\n[vendor\nname = "x"\n', 2, 8),
            ('id = "a"\nb = [1,\n', 3, 1),
        ],
    )
    def test_invalid_one_located_issue(self, text, line, column):
        """Invalid TOML raises one issue at the line and column at fault."""
        issue = syntax_issue(text, "toml", "engagements/bad.toml")

        assert ("engagements/bad.toml", line, column) == (
            issue.source,
            issue.line,
            issue.column,
        )
        assert issue.message.startswith("invalid TOML: ")
        assert "(at " not in issue.message

    @pytest.mark.parametrize(
        ("text", "line", "column", "message"),
        [
            (
                'id = "a"\ntitle = "A"\ntitle = "B"\n',
                3,
                1,
                (
                    "a value is set twice: `title = ...` sets a key that is set "
                    "already; a key may appear once in a table"
                ),
            ),
            (
                'client.name = "x"\nid = "a"\n  client . "name" = 1\n',
                3,
                3,
                (
                    'a value is set twice: `client . "name" = ...` sets a key that '
                    "is set already; a key may appear once in a table"
                ),
            ),
            (
                '[client]\nname = "x"\n[client]\nregion = "GB"\n',
                3,
                1,
                "duplicate table `[client]`: a table may be declared once",
            ),
            (
                '["x-a.b"]\nc = 1\n ["x-a.b"]\n',
                3,
                2,
                'duplicate table `["x-a.b"]`: a table may be declared once',
            ),
        ],
        ids=["key", "dotted-key", "table", "quoted-table"],
    )
    def test_duplicate_named(self, text, line, column, message):
        """A key or table written twice is named, at the place it is again."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse(text, "toml", locations=False)
        issue = excinfo.value.issue

        assert (line, column, message) == (issue.line, issue.column, issue.message)


class TestSyntaxIssue:
    def test_str(self):
        """An issue reads file:line:column: message."""
        issue = SyntaxIssue("engagements/bad.yaml", 12, 8, "invalid YAML: oops")

        assert "engagements/bad.yaml:12:8: invalid YAML: oops" == str(issue)

    def test_error_carries_issue(self):
        """The error is a ValueError that carries the issue and reads like it."""
        issue = SyntaxIssue(None, 1, 2, "oops")
        error = SourceSyntaxError(issue)

        assert (True, "<string>:1:2: oops", issue) == (
            isinstance(error, ValueError),
            str(error),
            error.issue,
        )

    def test_error_pickles(self):
        """The error survives pickling, as between processes, with its issue."""
        error = SourceSyntaxError(SyntaxIssue("a.json", 1, 2, "oops"))
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 -- our own bytes

        assert (str(error), error.issue) == (str(copy), copy.issue)

    @pytest.mark.parametrize(
        ("source", "line", "column", "expected"),
        [
            ("a.yaml", 3, 4, "a.yaml:3:4"),
            ("a.yaml", 3, None, "a.yaml:3"),
            ("a.yaml", None, None, "a.yaml"),
            ("a.yaml", None, 4, "a.yaml"),
            (None, 3, 4, "<string>:3:4"),
        ],
    )
    def test_format_position(self, source, line, column, expected):
        """Unknown parts of a position are left out."""
        assert expected == format_position(source, line, column)


class TestParsed:
    def test_locate_nearest(self):
        """A path not located is located at its longest located prefix."""
        parsed = Parsed(
            data={},
            locations={(): Location(1, 1), ("vendor",): Location(3, 3)},
        )

        assert [Location(3, 3), Location(3, 3), Location(1, 1)] == [
            parsed.locate(("vendor",)),
            parsed.locate(("vendor", "vetting", "security_review")),
            parsed.locate(("tasks", 0)),
        ]

    def test_locate_nothing(self):
        """Without locations, every path is located nowhere."""
        assert Location() == Parsed(data={}).locate(("a",))

    def test_locate_key(self):
        """A key is located at the key, else where its value would be."""
        parsed = parse("vendor:\n  name: x\n", "yaml")

        assert [Location(2, 3), Location(2, 9), Location(2, 3)] == [
            parsed.locate_key(("vendor", "name")),
            parsed.locate(("vendor", "name")),
            parsed.locate_key(("vendor", "kind")),
        ]


KPIS = {
    "kpis": [
        {"name": "close-time", "target": 5},
        {"name": "accuracy"},
        {"name": "dup"},
        {"name": "dup"},
        {"target": 3},
        {"name": "3"},
        {"name": "a[b]"},
        "plain",
    ],
    "check_ins": [{"at": "2026-03-02"}] * 4,
    "engagements": [{"id": "a"}, {"id": "b", "start": "2026-01-01"}],
}


class TestFormatPath:
    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ((), ""),
            (
                ("vendor", "vetting", "security_review"),
                "vendor.vetting.security_review",
            ),
            (("kpis", 0, "target"), "kpis[close-time].target"),
            (("kpis", 0), "kpis[close-time]"),
            (("kpis", 1, "target"), "kpis[accuracy].target"),
            (("kpis", 2, "name"), "kpis[2].name"),
            (("kpis", 4, "target"), "kpis[4].target"),
            (("kpis", 5), "kpis[5]"),
            (("kpis", 6), "kpis[6]"),
            (("kpis", 7), "kpis[7]"),
            (("kpis", 99, "target"), "kpis[99].target"),
            (("check_ins", 3, "at"), "check_ins[3].at"),
            (("engagements", 1, "start"), "engagements[1].start"),
        ],
    )
    def test_with_data(self, path, expected):
        """Items with a unique, readable name are named, others indexed."""
        assert expected == format_path(path, KPIS)

    def test_without_data(self):
        """Without data, items are indexed."""
        assert "kpis[0].target" == format_path(("kpis", 0, "target"))


class TestItemLabels:
    def test_names_that_read_back_and_the_rest(self):
        """A unique, readable name is the label; anything else is the index."""
        names = ["close-time", "0", None, "", "a[b]", "x]", "dup", "dup", 3, "ok"]

        assert [
            "close-time",
            "1",
            "2",
            "3",
            "4",
            "5",
            "6",
            "7",
            "8",
            "ok",
        ] == item_labels(names)

    def test_digits_other_than_ascii_are_names(self):
        """Only ASCII digits make an index: other digits are names like any other."""
        assert ["\u0663", "\u00b2", "2", "3"] == item_labels(
            ["\u0663", "\u00b2", "07", "9"]
        )

    def test_public(self):
        """outsourcekit.io offers the labels beside format_path."""
        from outsourcekit import io

        assert (io.item_labels, io.format_path) == (item_labels, format_path)
        assert "item_labels" in io.__all__
        assert [] == item_labels([])

    @given(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(),
                st.text(max_size=4),
                st.sampled_from(["", "0", "12", "a[b]", "[", "]", "a", "a.b", " "]),
            ),
            max_size=8,
        )
    )
    def test_as_format_path_writes(self, names):
        """The labels are what format_path writes of the same items, and read back."""
        data = {"items": [{} if n is None else {"name": n} for n in names]}

        labels = item_labels(names)

        assert [format_path(("items", i), data) for i in range(len(names))] == [
            f"items[{label}]" for label in labels
        ]
        for i, label in enumerate(labels):
            assert ("items", i) == parse_path(f"items[{label}]", data)


class TestParsePath:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("", ()),
            (
                "vendor.vetting.security_review",
                ("vendor", "vetting", "security_review"),
            ),
            ("kpis[close-time].target", ("kpis", 0, "target")),
            ("kpis[2].name", ("kpis", 2, "name")),
            ("check_ins[3].at", ("check_ins", 3, "at")),
            ("engagements[1].start", ("engagements", 1, "start")),
        ],
    )
    def test_with_data(self, text, expected):
        """Names are looked up in the data, indices taken as written."""
        assert expected == parse_path(text, KPIS)

    def test_nested_lists(self):
        """Selectors can follow each other."""
        assert ("a", 0, 1, "b") == parse_path("a[0][1].b")

    @pytest.mark.parametrize(
        "text", ["kpis[dup]", "kpis[nope]", "kpis[close-time", ".a", "a..b", "a[0]b"]
    )
    def test_invalid(self, text):
        """Paths that do not read, or name no unique item, are refused."""
        with pytest.raises(ValueError, match="path: "):
            parse_path(text, KPIS)

    def test_names_need_data(self):
        """A name cannot be looked up without the data."""
        with pytest.raises(ValueError, match="without the data"):
            parse_path("kpis[close-time]")


class TestYamlDumper:
    @pytest.mark.parametrize(
        "value",
        ["0o17", "1e5", "09", "-.5", "1.5e3", "yes", "NO", "2026-01-01", "true", "~"],
    )
    def test_quotes_strings_either_schema_reads_otherwise(self, value):
        """Strings that YAML 1.1 or 1.2 would not read as strings are quoted."""
        text = yaml.dump({"v": value}, Dumper=YamlDumper)

        assert ({"v": value}, {"v": value}) == (
            parse(text, "yaml").data,
            yaml.safe_load(text),
        )


# -- Properties ---------------------------------------------------------------

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
)
JSON_DATA = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)

# What the YAML 1.2 core schema reads as a non-string (the spec's regular
# expressions): yaml.safe_dump quotes by YAML 1.1 and leaves some of these plain.
CORE_NON_STRING = re.compile(
    r"null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
SAFE_DUMP_DATA = st.recursive(
    SCALARS.filter(lambda v: not (isinstance(v, str) and CORE_NON_STRING.fullmatch(v))),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8).filter(lambda k: not CORE_NON_STRING.fullmatch(k)),
            children,
            max_size=4,
        )
    ),
    max_leaves=25,
)

TOML_SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
)
TOML_KEYS = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
TOML_DATA = st.dictionaries(
    TOML_KEYS,
    st.recursive(
        TOML_SCALARS,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(TOML_KEYS, children, max_size=4)
        ),
        max_leaves=25,
    ),
    max_size=5,
)


class TestProperties:
    @given(JSON_DATA)
    def test_json_round_trip(self, data):
        """Dumped JSON reads back equal, with every value located where it starts."""
        text = json.dumps(data, indent=2)
        parsed = parse(text, "json")
        decoder = json.JSONDecoder()

        assert data == parsed.data
        assert data == parse(text, "json", locations=False).data
        for path in paths(data):
            value = decoder.raw_decode(text, offset(text, parsed.locations[path]))[0]
            expected = data
            for step in path:
                expected = expected[step]

            assert expected == value

    @given(JSON_DATA)
    def test_yaml_round_trip(self, data):
        """YAML dumped by YamlDumper reads back equal, with every value located."""
        text = yaml.dump(data, Dumper=YamlDumper)
        parsed = parse(text, "yaml")

        assert data == parsed.data
        assert data == parse(text, "yaml", locations=False).data
        assert set(paths(data)) <= set(parsed.locations)

    @given(SAFE_DUMP_DATA)
    def test_yaml_safe_dump_round_trip(self, data):
        """yaml.safe_dump output reads back equal, with every value located."""
        text = yaml.safe_dump(data)
        parsed = parse(text, "yaml")

        assert data == parsed.data
        assert set(paths(data)) <= set(parsed.locations)

    @given(TOML_DATA)
    def test_toml_round_trip(self, data):
        """Dumped TOML reads back equal, with every value and key located."""
        text = tomli_w.dumps(data)
        parsed = parse(text, "toml")

        assert data == parsed.data
        assert set(paths(data)) == set(parsed.locations)
        for path, location in parsed.key_locations.items():
            key = path[-1]
            written = text[offset(text, location) :]

            assert written.startswith((key, '"', "'")) if key else True

    @given(JSON_DATA)
    def test_format_path_reads_back(self, data):
        """Every path of the data, written, reads back to itself."""
        for path in paths(data):
            if all(
                isinstance(step, int) or (step and not set(step) & set(".[]"))
                for step in path
            ):
                assert path == parse_path(format_path(path, data), data)


def read_fast(text):
    """Return the data the line-by-line YAML reader reads, None if it leaves *text*.

    Identifiers read as whole numbers are given their text, as :func:`parse`
    gives it after either reader.
    """
    try:
        reader = _source._FastYaml.of(text)
        data = reader.read()
    except _source._NotFast:
        return None
    _source._keep_id_text(data, reader.whole_ids)
    return data


def read_by_nodes(text):
    """Return the data the node-by-node YAML reader reads, or the error it raises."""
    try:
        return _source._parse_yaml_nodes(text, None, locate=False).data
    except SourceSyntaxError as error:
        return error


def same(expected, actual):
    """Return whether two plain values are equal, types and key order included."""
    if type(expected) is not type(actual):
        return False
    if isinstance(expected, dict):
        return list(expected) == list(actual) and all(
            same(value, actual[key]) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return len(expected) == len(actual) and all(
            same(a, b) for a, b in zip(expected, actual, strict=True)
        )
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(actual)
    return expected == actual


def agrees(text):
    """Return whether the fast reader, where it reads *text*, reads what nodes read."""
    text = text.removeprefix("\ufeff")
    if _source._SURROGATE.search(text):
        return True
    fast = read_fast(text)
    return fast is None or same(read_by_nodes(text), fast)


EXAMPLE_FILES = sorted(examples_path().glob("*.yaml"))


class TestFastYaml:
    """Block-style YAML is read line by line, as the node-by-node reader reads it."""

    @pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
    def test_bundled_examples(self, path):
        """Each bundled YAML example is read fast, to the data nodes give."""
        text = path.read_text(encoding="utf-8")

        assert (True, True) == (
            read_fast(text) is not None,
            same(read_by_nodes(text), read_fast(text)),
        )

    def test_dumped_portfolio(self):
        """A portfolio as outsourcekit writes it is read fast, to the nodes' data."""
        text = ok.dumps(ok.load(examples_path()), "yaml")

        assert (True, True) == (
            read_fast(text) is not None,
            same(read_by_nodes(text), read_fast(text)),
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("a: one\n  two\n\n  three\n", {"a": "one two\nthree"}),
            ("a: 1\n  2\n", {"a": "1 2"}),
            ("a:\n- x\n  y\n- z\n", {"a": ["x y", "z"]}),
            ("a: x # c\nb: y#z\n", {"a": "x", "b": "y#z"}),
            ("a: |\n  one\n   two\n\n  three\n", {"a": "one\n two\n\nthree\n"}),
            (
                "a: >-\n  one\n  two\n\n  three\n\nb: 1\n",
                {"a": "one two\nthree", "b": 1},
            ),
            ("a: |+\n  one\n\nb: 1\n", {"a": "one\n\n", "b": 1}),
            ("a: >\n  one\n    two\n  three\n", {"a": "one\n  two\nthree\n"}),
            ("a: 'it''s\n  two'\n", {"a": "it's two"}),
            ('a: "x\\u00e9\\n"\n', {"a": "xé\n"}),
            ('a: "one \\\n  two"\n', {"a": "one two"}),
            ("a: [1, 'b', {c: d}, []]\n", {"a": [1, "b", {"c": "d"}, []]}),
            (
                "---\n# c\na:\n- b: 1\n  c:\n  - 2\n-\n",
                {"a": [{"b": 1, "c": [2]}, None]},
            ),
            ("'on': yes\n\"x\": no\n1: 0o17\n", {"on": "yes", "x": "no", "1": 15}),
            ("a: 1\r\nb:\r\n  - x\r\n", {"a": 1, "b": ["x"]}),
            ("a: x\xa0y\nb: \u00e9\n", {"a": "x\xa0y", "b": "\u00e9"}),
            ("a:\n  -   b: 1\n      c: 2\n", {"a": [{"b": 1, "c": 2}]}),
            ("a: .inf\nb: -.5\nc: ~\nd:\ne: FALSE\nf: 2026-01-01\n", None),
            (
                (
                    "engagements:\n- id: 007\n  vendor: {id: 0x1F}\n- {id: 08}\n"
                    '- "id": 09 # c\n'
                ),
                {
                    "engagements": [
                        {"id": "007", "vendor": {"id": "0x1F"}},
                        {"id": "08"},
                        {"id": "09"},
                    ]
                },
            ),
        ],
    )
    def test_layouts(self, text, expected):
        """Plain, quoted, literal, folded and flow values read as nodes read them."""
        fast = read_fast(text)

        assert (fast is not None, True) == (True, same(read_by_nodes(text), fast))
        if expected is not None:
            assert expected == fast

    def test_values_that_recur(self):
        """Values written again and again, and more than are kept, read as nodes."""
        items = [
            f"- id: e{n}\n  start: 2026-01-0{1 + n % 9}\n  hours: {n % 7}\n"
            f"  done: {'true' if n % 2 else 'false'}\n  note: ~\n"
            f"  seen: [2026-02-0{1 + n % 3}, {n}]\n  ratio: {n}.5\n  tag: t{n % 5}\n"
            for n in range(_source._RESOLVED + 500)
        ]
        text = "engagements:\n" + "".join(items)
        fast = read_fast(text)

        assert (fast is not None, True) == (True, same(read_by_nodes(text), fast))
        first, again = fast["engagements"][0], fast["engagements"][9]
        assert (first["start"], again["start"], again["done"]) == (
            "2026-01-01",
            "2026-01-01",
            True,
        )
        assert fast["engagements"][-1]["ratio"] == _source._RESOLVED + 499.5

    @pytest.mark.parametrize(
        "text",
        [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "b: &b {x: 1}\na:\n  <<: *b\n",
            "a: 1\na: 2\n",
            "a: [1,\n  2]\n",
            "? a\n: 1\n",
            "a:\n\t- 1\n",
            "a: 1\n---\nb: 2\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: |2\n   x\n",
            "a: 'x\nb: y'\n",
            "- a\n",
            "a: b: c\n",
            "a: 1\n  b: 2\n",
            "a: \x85\n",
            "a: x\xa0y\nb: \x85\n",
            "a: [why?]\n",
            "a: " + "1" * 5000 + "\n",
            '"' + "k" * 1100 + '": 1\n',
        ],
        ids=[
            "alias",
            "tag",
            "merge",
            "duplicate",
            "flow-lines",
            "complex-key",
            "tab",
            "two-documents",
            "directive",
            "indentation-indicator",
            "quote-at-indent",
            "root-list",
            "value-key",
            "bad-indent",
            "next-line",
            "next-line-after-no-break-space",
            "flow-question",
            "long-number",
            "long-key",
        ],
    )
    def test_left_to_nodes(self, text):
        """What the line reader does not read as nodes read it, it leaves to them."""
        parsed = None
        with contextlib.suppress(SourceSyntaxError):
            parsed = parse(text, "yaml", locations=False).data

        assert (None, True) == (
            read_fast(text),
            same(read_by_nodes(text), parsed)
            or isinstance(read_by_nodes(text), SourceSyntaxError),
        )

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("true", True),
            ("FALSE", False),
            ("NULL", None),
            ("~", None),
            ("", None),
            ("-12", -12),
            ("0x1F", 31),
            ("0o17", 15),
            ("1e3", 1000.0),
            ("+.INF", math.inf),
            ("1_000", "1_000"),
            ("0b101", "0b101"),
            ("1:30", "1:30"),
            ("on", "on"),
            ("NO", "NO"),
            ("yes", "yes"),
            ("2026-03-01T09:00", "2026-03-01T09:00"),
        ],
    )
    def test_core_schema(self, text, expected):
        """Read fast, plain scalars resolve by the YAML 1.2 core schema."""
        actual = parse(f"value: {text}\n", "yaml", locations=False).data

        assert ({"value": expected}, type(expected)) == (actual, type(actual["value"]))

    def test_errors_as_before(self):
        """Text with a problem is read by nodes: the same located error as before."""
        with pytest.raises(SourceSyntaxError) as excinfo:
            parse("a: 1\nb: [x,\n", "yaml", source="bad.yaml", locations=False)

        assert ("bad.yaml", 3) == (excinfo.value.issue.source, excinfo.value.issue.line)

    @settings(max_examples=150, deadline=None)
    @given(
        JSON_DATA,
        st.fixed_dictionaries(
            {
                "default_flow_style": st.sampled_from([False, None, True]),
                "default_style": st.sampled_from([None, None, '"', "'", "|", ">"]),
                "indent": st.sampled_from([2, 4]),
                "width": st.sampled_from([10, 40, 80]),
                "allow_unicode": st.booleans(),
            }
        ),
    )
    def test_any_dump_agrees(self, data, style):
        """However PyYAML dumps data, what is read fast is what nodes read."""
        text = yaml.dump({"root": data}, Dumper=YamlDumper, **style)

        assert agrees(text)

    @settings(max_examples=300, deadline=None)
    @given(hand_written())
    def test_any_layout_agrees(self, text):
        """Hand-written layouts of every style read fast to what nodes read."""
        assert agrees(text)

    @pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_mutated_examples_agree(self, path, data):
        """Bundled examples edited at random read fast to what nodes read, or slowly."""
        text = data.draw(mutants(path.read_text(encoding="utf-8")))

        assert agrees(text)
