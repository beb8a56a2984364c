"""Lines of findings: found in the engagements' files once the rules have run."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import json
import pickle
import time

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import outsourcekit as ok
from outsourcekit import _source, engine, io
from outsourcekit._source import YamlBlockText, YamlLayoutError, YamlText, format_path
from outsourcekit.engine import rule
from outsourcekit.examples import examples_path
from outsourcekit.model import Origin
from strategies import portfolios
from yaml_layouts import dumped_portfolios, hand_written_portfolios

AS_OF = dt.date(2026, 11, 22)


def at_paths(*paths, pause=0.0):
    """Return a rule reporting each of *paths* on every engagement."""

    @rule(
        code="TST901",
        slug="at-paths",
        title="At the paths given",
        category="clarity",
        severity="info",
        fix="Nothing to fix.",
    )
    def reported(_engagement, ctx):
        """Reports each path it was given."""
        time.sleep(pause)
        for path in paths:
            yield ctx.finding(f"at {path}", path=path)

    return reported


def lines_of(engagements, *paths):
    """Return the line of each (engagement, path) in a check reporting *paths*."""
    report = ok.check(engagements, as_of=AS_OF, rules=[at_paths(*paths)])
    return {(f.engagement, f.path): f.line for f in report.findings}


def exact_lines(text, fmt, requests):
    """Return the lines the full located reading of *text* gives *requests*."""
    locator = io._Locator(text, fmt, "p")
    return [[locator.line(i, path) for path in paths] for i, _, paths in requests]


PORTFOLIO = """
{
  "outsourcekit": 1,
  "defaults": {
    "client": {"timezone": "Europe/London"},
    "vision": "docs/vision.md"
  },
  "engagements": [
    {
      "id": "a",
      "vision": "docs/a.md"
    },
    {
      "id": "b",
      "kpis": [
        {
          "name": "close-time",
          "target": 5
        }
      ],
      "x-notes": {
        "agreements": "see the drive"
      }
    }
  ]
}
"""


class TestJson:
    def test_indented_portfolio(self, write):
        """Each path is on the line it is written on, else in defaults, else above."""
        engagements = ok.load(write("p.json", PORTFOLIO))

        found = lines_of(
            engagements,
            "id",
            "vision",
            "client.timezone",
            "kpis[close-time].target",
            "kpis[0]",
            "agreements",
            "not a [path",
        )

        assert {
            ("a", "id"): 9,
            ("a", "vision"): 10,
            ("a", "client.timezone"): 4,
            ("a", "kpis[close-time].target"): 8,
            ("a", "kpis[0]"): 8,
            ("a", "agreements"): 8,
            ("a", "not a [path"): 8,
            ("b", "id"): 13,
            ("b", "vision"): 5,
            ("b", "client.timezone"): 4,
            ("b", "kpis[close-time].target"): 17,
            ("b", "kpis[0]"): 15,
            ("b", "agreements"): 12,
            ("b", "not a [path"): 12,
        } == found

    def test_engagement_per_line(self, write):
        """An engagement written on a line of its own has every path there."""
        write(
            "p.json",
            """
            {"outsourcekit": 1, "engagements": [
            {"id": "a", "kpis": [{"name": "k", "target": 1}]},
            {"id": "b"}
            ]}
            """,
        )

        found = lines_of(ok.load("p.json"), "kpis[k].target", "vendor")

        assert {
            ("a", "kpis[k].target"): 2,
            ("a", "vendor"): 2,
            ("b", "kpis[k].target"): 3,
            ("b", "vendor"): 3,
        } == found

    def test_engagement_per_line_with_defaults(self, write):
        """What an engagement on one line does not write is found in defaults."""
        write(
            "p.json",
            """
            {"outsourcekit": 1,
            "defaults": {
              "vendor": {"name": "Acme"}
            },
            "engagements": [
            {"id": "a", "title": "A"}
            ]}
            """,
        )

        found = lines_of(ok.load("p.json"), "title", "vendor.name")

        assert {("a", "title"): 6, ("a", "vendor.name"): 3} == found

    def test_carriage_returns_alone(self, write):
        """Lines ended by a carriage return alone (old Mac OS) are counted."""
        path = write("p.json", PORTFOLIO)
        with_line_feeds = lines_of(ok.load(path), "vision", "kpis[close-time].target")
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))

        found = lines_of(ok.load(path), "vision", "kpis[close-time].target")

        assert (10, 17) == (found["a", "vision"], found["b", "kpis[close-time].target"])
        assert with_line_feeds == found

    def test_minified(self, write):
        """A document on one line has every path on line 1."""
        write("p.json", json.dumps(json.loads(PORTFOLIO)))

        found = lines_of(ok.load("p.json"), "kpis[close-time].target", "vision")

        assert {1} == set(found.values())

    def test_single_engagement(self, write):
        """A file of one engagement is searched from its root."""
        write(
            "a.json",
            """
            {
              "outsourcekit": 1,
              "id": "a",
              "vendor": {
                "name": "Acme",
                "vetting": {"testimonials": 2}
              }
            }
            """,
        )

        found = lines_of(ok.load("a.json"), "vendor.vetting.testimonials", "kpis")

        assert {("a", "vendor.vetting.testimonials"): 6, ("a", "kpis"): 1} == found

    @pytest.mark.parametrize(
        "layout",
        [
            {"indent": 2, "ensure_ascii": False},
            {"indent": 4},
            {"indent": "\t", "ensure_ascii": False},
            {"indent": 0},
            {"indent": 2, "separators": (",", " : ")},
            {"separators": (",", ":")},
        ],
    )
    @pytest.mark.parametrize("defaults", [False, True])
    def test_layouts_agree_with_full_reading(self, layout, defaults):
        """However the JSON is laid out, the lines are those of a full reading."""
        data = json.loads(ok.dumps(ok.load(examples_path()), "json"))
        items = data["engagements"]
        if defaults:
            data["defaults"] = {"client": items[0]["client"], "vision": "docs/v.md"}
            for item in items[::2]:
                item.pop("client", None)
                item.pop("vision", None)
        text = json.dumps(data, **layout)
        requests = [
            (index, item["id"], [*_written_paths(item), *MISSING])
            for index, item in enumerate(items)
        ]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found

    def test_engagement_per_line_agrees_with_full_reading(self):
        """A portfolio of one engagement per line gives the lines of a full reading."""
        data = json.loads(ok.dumps(ok.load(examples_path()), "json"))
        items = data["engagements"]
        text = (
            '{"outsourcekit": 1, "engagements": [\n'
            + ",\n".join(json.dumps(item) for item in items)
            + "\n]}\n"
        )
        requests = [
            (index, item["id"], [*_written_paths(item), *MISSING])
            for index, item in enumerate(items)
        ]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found

    @settings(max_examples=60)
    @given(
        portfolios(max_size=3),
        st.sampled_from([None, 0, 1, 2, "\t"]),
        st.booleans(),
    )
    def test_any_portfolio_agrees_with_full_reading(self, engagements, indent, escape):
        """Any portfolio, in any indentation, gives the lines of a full reading."""
        data = json.loads(ok.dumps(engagements, "json"))
        text = json.dumps(data, indent=indent, ensure_ascii=escape)
        requests = [
            (index, item["id"], [*_written_paths(item), *MISSING])
            for index, item in enumerate(data["engagements"])
        ]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found

    @pytest.mark.parametrize(
        "layout",
        [
            {"indent": 2, "ensure_ascii": False},
            {"indent": 2},
            {"indent": "\t", "ensure_ascii": False},
            {"indent": 2, "separators": (",", " : ")},
        ],
    )
    @pytest.mark.parametrize("crlf", [False, True])
    @pytest.mark.parametrize("reverse", [False, True])
    @pytest.mark.parametrize("defaults", [False, True])
    def test_lists_and_keys_agree_with_full_reading(
        self, layout, crlf, reverse, defaults
    ):
        """Items by index or name, and keys however written, are where they are."""
        data = {"outsourcekit": 1, "engagements": [LISTS_AND_KEYS, {"id": "e2"}]}
        if reverse:  # the keys in another order than the model's
            data["engagements"][0] = dict(reversed(LISTS_AND_KEYS.items()))
        if defaults:
            data["defaults"] = {"vendor": {"name": "V"}, "x-notes": {"a": [1]}}
        text = json.dumps(data, **layout)
        if crlf:
            text = text.replace("\n", "\r\n")
        paths = [*_written_paths(LISTS_AND_KEYS), *MISSING, *LISTS_AND_KEYS_PATHS]
        requests = [
            (0, "e1", [*paths, *reversed(paths)]),
            (1, "e2", [*paths, *LISTS_AND_KEYS_PATHS]),
        ]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found

    @pytest.mark.parametrize("defaults", [False, True])
    def test_members_on_opening_lines_agree_with_full_reading(self, defaults):
        """Objects and lists with a first member on their opening line are read."""
        text = ONE_LINE_OPENINGS.replace(
            '"outsourcekit": 1,',
            '"outsourcekit": 1, "defaults": {"vendor": {"kind": "bpo"}},'
            if defaults
            else '"outsourcekit": 1,',
        )
        paths = [
            *_written_paths(json.loads(text)["engagements"][0]),
            *MISSING,
            *LISTS_AND_KEYS_PATHS,
            "vendor.kind",
        ]
        requests = [(0, "a", paths), (1, "b", [*reversed(paths)])]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found


#: An engagement with lists of every kind and keys escaped in every way.
LISTS_AND_KEYS = {
    "id": "e1",
    "title": "tasks",
    "x-notes": {
        'q"uote': 1,
        "back\\slash": {"é": [1, 2]},
        "tasks": "not these",
        "ünï\u2028": {"name": "a"},
    },
    "tasks": [
        {"name": "a", "x": 1, "checklist": ["x", "name", "checklist"]},
        {"x": 2, "name": "b"},
        {"name": "dup", "x": 3},
        {"name": "dup", "x": 4},
        "tasks",
        {"name": "é z", "x": [{"y": 1}, {"name": "a"}]},
        [{"name": "c"}],
        {},
        {"name": "last", "x": {}},
    ],
    "kpis": [],
    "vendor": {},
    "agreements": [[1, 2], {"expires": "2026-01-01", "name": "b"}],
}

#: Paths through the items of :data:`LISTS_AND_KEYS`, by index and by name.
LISTS_AND_KEYS_PATHS = (
    "tasks[a].x",
    "tasks[b].x",
    "tasks[dup].x",
    "tasks[é z].x[0].y",
    "tasks[é z].x[a]",
    "tasks[c]",
    "tasks[last].x.y",
    "tasks[last]",
    "tasks[8].x",
    "tasks[9]",
    "tasks[7].name",
    "tasks[4]",
    "tasks[a].checklist[2]",
    "tasks[a].checklist[3]",
    "agreements[1].expires",
    "agreements[b].expires",
    "agreements[0][1]",
    "agreements[0][2]",
    "kpis[0]",
    "kpis[a]",
    'x-notes.q"uote',
    "x-notes.back\\slash.é[1]",
    "x-notes.ünï\u2028.name",
    "x-notes.tasks",
)

#: A portfolio whose containers start their first member on their opening line.
ONE_LINE_OPENINGS = """{
  "outsourcekit": 1,
  "engagements": [
    {"id": "a",
     "tasks": [{"name": "a", "x": 1},
               {"name": "b",
                "x": 2}],
     "vendor": {"vetting": {"security_review": "passed"},
                "name": "V"},
     "agreements": [
       [1,
        2], {"expires": "2026-01-01"}]
    },
    {
      "id": "b", "title": "T",
      "tasks": [
        {"name": "a", "x": 1}, {"name": "dup", "x": 2},
        {"name": "dup",
         "x": 3}
      ],
      "vendor": {
        "name": "V"}
    }
  ]
}
"""


#: Paths that are not written in the engagements of the tests above.
MISSING = (
    "",
    "objectives[0].statement",
    "vendor.vetting.security_review",
    "tasks[99]",
    "kpis[no such kpi].target",
    "not a [path",
    "client",
)


def _written_paths(data, steps=()):
    """Yield the path of every value written in *data*."""
    yield format_path(steps, data)
    value = data
    for step in steps:
        value = value[step]
    if isinstance(value, dict):
        for key in value:
            yield from _written_paths(data, (*steps, key))
    elif isinstance(value, list):
        for index in range(len(value)):
            yield from _written_paths(data, (*steps, index))


def _yaml_requests(text):
    """Return a request for every written path, and some not, of each engagement."""
    data = io.parse(text, "yaml", locations=False).data
    if "engagements" not in data:
        return [(None, data["id"], [*_written_paths(data), *MISSING])]
    return [
        (i, item["id"], [*_written_paths(item), *MISSING])
        for i, item in enumerate(data["engagements"])
    ]


def _with_defaults(data):
    """Return portfolio *data* with what its first engagement writes in defaults."""
    items = data["engagements"]
    if items:
        data["defaults"] = {
            key: copy.deepcopy(value)
            for key, value in items[0].items()
            if key not in {"id", "name"}
        }
        for item in items[::2]:
            for key in ("client", "vendor", "vision", "kpis"):
                item.pop(key, None)
    return data


needs_libyaml = pytest.mark.skipif(
    not yaml.__with_libyaml__, reason="the YAML nodes are followed with libyaml"
)


@needs_libyaml
class TestYamlNodes:
    """YAML is followed node by node, with the lines of a full located reading."""

    @pytest.mark.parametrize(
        "path",
        sorted(examples_path().glob("*.yaml")),
        ids=lambda path: path.name,
    )
    def test_bundled_examples(self, path):
        """Each bundled YAML example gives the lines of a full reading."""
        text = path.read_text(encoding="utf-8")
        requests = _yaml_requests(text)

        found = io._YamlLines(text).lines(requests)

        assert exact_lines(text, "yaml", requests) == found

    @pytest.mark.parametrize("defaults", [False, True])
    @pytest.mark.parametrize("flow", [False, None])
    def test_bundled_portfolio(self, defaults, flow):
        """The bundled examples as one portfolio give the lines of a full reading."""
        data = json.loads(ok.dumps(ok.load(examples_path()), "json"))
        if defaults:
            data = _with_defaults(data)
        text = yaml.dump(data, Dumper=ok_dumper(), default_flow_style=flow)
        requests = _yaml_requests(text)

        found = io._document_lines(io._Document(text, "yaml"), "p", requests)

        assert (exact_lines(text, "yaml", requests), True) == (
            found,
            io._YamlLines(text).lines(requests) == found,
        )

    @settings(max_examples=60, deadline=None)
    @given(
        portfolios(max_size=3),
        st.fixed_dictionaries(
            {
                "default_flow_style": st.sampled_from([False, None, True]),
                "default_style": st.sampled_from([None, '"', "'"]),
                "indent": st.sampled_from([2, 4]),
                "allow_unicode": st.booleans(),
            }
        ),
        st.booleans(),
    )
    def test_any_portfolio(self, engagements, style, defaults):
        """Any portfolio, in any style, quoted keys too, gives full reading lines."""
        data = json.loads(ok.dumps(engagements, "json"))
        if defaults:
            data = _with_defaults(data)
        text = yaml.dump(data, Dumper=ok_dumper(), width=60, **style)
        requests = _yaml_requests(text)

        found = io._YamlLines(text).lines(requests)

        assert exact_lines(text, "yaml", requests) == found

    def test_single_engagement(self):
        """A file of one engagement is followed from its root."""
        text = "id: a\nvendor:\n  name: Acme\nkpis:\n- name: k\n  target: 1\n"
        requests = [(None, "a", ["vendor.name", "kpis[k].target", "kpis[1]", "x.y"])]

        found = io._YamlLines(text).lines(requests)

        assert ([[3, 6, 5, 1]], exact_lines(text, "yaml", requests)) == (found, found)

    def test_duplicate_key(self):
        """A key written twice is at its first value, as a full reading keeps it."""
        text = (
            "engagements:\n"
            "  - id: a\n"
            "    vendor: {name: Acme}\n"
            "    vendor:\n"
            "      name: Other\n"
            "      vetting: {testimonials: 1}\n"
        )
        requests = [(0, "a", ["vendor.name", "vendor.vetting", "vendor"])]

        found = io._YamlLines(text).lines(requests)

        assert ([[3, 3, 3]], exact_lines(text, "yaml", requests)) == (found, found)

    def test_changed_file(self):
        """An engagement the file no longer holds where it did gets no line."""
        text = "engagements:\n  - id: a\n  - id: b\n"

        found = io._YamlLines(text).lines([(0, "b", ["id"]), (5, "a", ["id"])])

        assert [[None], [None]] == found

    @pytest.mark.parametrize(
        "text",
        [
            "base: &base\n  x: 1\nengagements:\n  - <<: *base\n    id: a\n",
            "engagements:\n  - &a {id: a}\n  - *a\n",
            "engagements:\n  - id: a\n    title: !!int twelve\n",
            "engagements:\n  - id: a\n    when: !!timestamp 2026-01-01\n",
            "engagements:\n  - id: a\n    ? [x]\n    : 1\n",
            "engagements:\n  - id: a\n    {x: 1}: 1\n",
            "engagements:\n  - id: a\n---\nid: b\n",
            "engagements:\n  - id: a\n"
            + "".join(f"{' ' * depth}x:\n" for depth in range(4, 120)),
            "engagements: [",
            "",
        ],
        ids=[
            "merge-key",
            "alias",
            "invalid-int",
            "object-tag",
            "complex-key",
            "flow-key",
            "two-documents",
            "deep",
            "invalid",
            "empty",
        ],
    )
    def test_falls_back(self, text):
        """What the nodes do not show as a full reading does is read in full."""
        requests = [(0, "a", ["id", "x", "title", "when"])]

        with pytest.raises(YamlLayoutError):
            YamlText(text)
        assert full_lines(text, requests) == io._document_lines(
            io._Document(text, "yaml"), "p", requests
        )

    def test_merge_key_falls_back(self, monkeypatch):
        """A document with a merge key gets the lines of the full located reading."""
        text = (
            "defaults: &d\n"
            "  vision: docs/v.md\n"
            "engagements:\n"
            "  - <<: *d\n"
            "    id: a\n"
            "    title: A\n"
        )
        read = []
        parse = io.parse

        def counting(*args, **kwargs):
            read.append(args[1])
            return parse(*args, **kwargs)

        monkeypatch.setattr(io, "parse", counting)

        found = io._document_lines(
            io._Document(text, "yaml"), "p", [(0, "a", ["title", "vision", "id"])]
        )

        assert ([[6, 2, 5]], ["yaml"]) == (found, read)

    @pytest.mark.parametrize(
        "text",
        [
            "engagements:\n  - id: a\n    title: R & D, 5 * 3\n",
            "engagements:\n  - id: a\n    title: why? not!\n",
            "engagements:\n  - id: a\n    title: 'see [1] and {x}'\n",
            "engagements:\n  - id: a\n    title: !!str 12\n",
            "engagements:\n  - {id: a, title: [x, {y: 1}]}\n",
        ],
    )
    def test_plain_text_is_followed(self, text):
        """Indicator characters inside scalars do not stop the nodes being followed."""
        requests = [(0, "a", ["title", "id"])]

        assert exact_lines(text, "yaml", requests) == (
            io._YamlLines(text).lines(requests)
        )


def ok_dumper():
    """Return the dumper engagement files are written with."""
    return io._Dumper


def full_lines(text, requests):
    """Return the lines a full located reading of YAML *text* gives *requests*."""

    def refused(_text):
        raise YamlLayoutError

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(io, "_YamlLines", refused)
        return io._document_lines(io._Document(text, "yaml"), "p", requests)


class TestYamlAndToml:
    def test_yaml_portfolio(self, write):
        """YAML paths are found where written, in defaults, or at their parent."""
        write(
            "p.yaml",
            """
            defaults:
              client: {timezone: Europe/London}
            engagements:
              - id: a
              - id: b
                kpis:
                  - name: close-time
                    target: 5
            """,
        )

        found = lines_of(
            ok.load("p.yaml"),
            "kpis[close-time].target",
            "kpis[0]",
            "client.timezone",
            "agreements",
            "not a [path",
        )

        assert [8, 7, 2, 5, 5] == [
            found["b", path]
            for path in (
                "kpis[close-time].target",
                "kpis[0]",
                "client.timezone",
                "agreements",
                "not a [path",
            )
        ]

    @pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
    def test_yaml_12_line_breaks_are_text(self, write, char):
        """NEL, U+2028 and U+2029 end no line: the lines after them are as written."""
        write(
            "p.yaml",
            f"""
            engagements:
              - id: a
                title: "x{char}y"
                vision: x{char}y
                exit_plan: |
                  x{char}y
                kpis:
                  - name: close-time
                    target: 5
            """,
        )

        found = lines_of(ok.load("p.yaml"), "kpis[close-time].target", "exit_plan")

        assert {
            ("a", "kpis[close-time].target"): 9,
            ("a", "exit_plan"): 5,
        } == found

    @pytest.mark.parametrize(
        "text",
        [
            "engagements:\n  - id: 007\n    kpis: []\n  - id: 0x1F\n    kpis: []\n",
            "engagements:\n- {id: 007,\n   kpis: []}\n- id: 0x1F\n  kpis: []\n",
        ],
        ids=["block", "nodes"],
    )
    def test_ids_written_as_whole_numbers(self, write, text):
        """Engagements whose ids YAML reads as numbers have the lines of findings."""
        write("p.yaml", text)

        found = lines_of(ok.load("p.yaml"), "kpis")

        assert {("007", "kpis"): 3, ("0x1F", "kpis"): 5} == found

    def test_ids_written_as_whole_numbers_in_flow(self, write):
        """An engagement written in flow style, its id a number, has its line."""
        write("p.yaml", "engagements: [{id: 007}, {id: 7}]\n")

        found = lines_of(ok.load("p.yaml"), "kpis")

        assert {("007", "kpis"): 1, ("7", "kpis"): 1} == found

    def test_toml(self, write):
        """TOML paths are found at their keys and tables."""
        write(
            "a.toml",
            """
            outsourcekit = 1
            id = "a"

            [vendor]
            name = "Acme"
            """,
        )

        found = lines_of(ok.load("a.toml"), "vendor.name", "vendor", "title")

        assert {
            ("a", "vendor.name"): 5,
            ("a", "vendor"): 4,
            ("a", "title"): 1,
        } == found

    def test_bundled_examples(self):
        """Every finding on the bundled examples has its file's line."""
        engagements = ok.load(examples_path())

        report = ok.check(engagements, as_of=AS_OF)

        assert [] == [f for f in report.findings if f.line is None]


class TestText:
    def test_named_text(self):
        """Text read with a source keeps its lines, with no file to read again."""
        engagement = ok.loads('{\n  "id": "a",\n  "title": "A"\n}', "json", source="x")

        assert {("a", "title"): 3} == lines_of(engagement, "title")

    def test_unnamed_text(self):
        """Findings on text read without a source have neither source nor line."""
        engagement = ok.loads("id: a\ntitle: A\n")

        report = ok.check(engagement, as_of=AS_OF, rules=[at_paths("title")])

        assert [(None, None)] == [(f.source, f.line) for f in report.findings]

    def test_text_kept_while_engagements_live(self):
        """The text is let go with the last engagement read from it."""
        gc.collect()  # what earlier tests left behind is not counted
        before = len(io._KEPT)
        engagements = ok.loads(
            "engagements:\n  - id: a\n  - id: b\n", source="inline.yaml"
        )
        during = len(io._KEPT)
        del engagements
        gc.collect()

        assert (before + 2, before) == (during, len(io._KEPT))

    def test_changed_copy_keeps_lines(self):
        """An engagement changed with evolve still finds its lines in its text."""
        engagement = ok.loads("id: a\ntitle: A\n", source="a.yaml")

        changed = ok.evolve(engagement, title="B")

        assert {("a", "title"): 2} == lines_of(changed, "title")


class TestModel:
    def test_origin_is_plain_facts(self, write):
        """An origin records the file, the place in its list and nothing else."""
        _, b = ok.load(write("p.json", PORTFOLIO))

        assert {"source": "p.json", "index": 1, "line": None, "row": None} == (
            attrs.asdict(b.origin)
        )

    def test_origin_pickles_small(self, write):
        """An origin holds no text: it pickles in a few dozen bytes."""
        engagements = ok.load(write("p.json", PORTFOLIO))

        sizes = [len(pickle.dumps(e.origin)) for e in engagements]

        assert max(sizes) < 200

    def test_engagement_pickles_without_its_file(self, write):
        """An engagement carries no copy of the file it was read from."""
        padding = "x" * 100_000
        text = f"engagements:\n  - id: a\n  - id: b\n    x-padding: {padding}\n"
        a, _ = ok.load(write("p.yaml", text))

        assert len(pickle.dumps(a)) < 2_000


class TestBatch:
    def test_each_file_read_once(self, write, monkeypatch):
        """A check reads each file once, however many findings it has."""
        write("a.json", PORTFOLIO)
        write("b.yaml", "engagements:\n  - id: c\n  - id: d\n")
        engagements = ok.load_all(["a.json", "b.yaml"])
        reads = []
        read = io._read_source

        def counting(source):
            reads.append(source)
            return read(source)

        monkeypatch.setattr(io, "_read_source", counting)

        lines_of(engagements, "id", "vision", "kpis[0]", "agreements")

        assert ["a.json", "b.yaml"] == sorted(reads)

    def test_rules_read_nothing(self, write, monkeypatch):
        """The engine alone reads no file: its findings have no line."""
        engagements = ok.load(write("p.json", PORTFOLIO))

        def refuse(source):
            raise AssertionError(source)

        monkeypatch.setattr(io, "_read_source", refuse)

        report = engine.check(engagements, as_of=AS_OF, rules=[at_paths("id")])

        assert [("p.json", None)] * 2 == [(f.source, f.line) for f in report.findings]

    def test_rule_time_is_rule_time(self, write, monkeypatch):
        """A rule's time in the statistics leaves out finding lines."""
        engagements = ok.load(write("p.json", PORTFOLIO))
        read = io._read_source

        def slow(source):
            time.sleep(0.5)
            return read(source)

        monkeypatch.setattr(io, "_read_source", slow)
        started = time.perf_counter()

        report = ok.check(engagements, as_of=AS_OF, rules=[at_paths("id")])

        elapsed = time.perf_counter() - started
        (rule_time,) = [s.seconds for s in report.statistics.rules]
        assert (True, True, [9, 13]) == (
            elapsed >= 0.5,
            rule_time < 0.5,
            [f.line for f in report.findings],
        )

    def test_results_carry_the_same_findings(self, write):
        """Each engagement's result holds the very findings of the report."""
        engagements = ok.load(write("p.json", PORTFOLIO))

        report = ok.check(engagements, as_of=AS_OF, rules=[at_paths("id")])

        own = [f for result in report.engagements for f in result.findings]
        assert [True, True] == [
            a is b for a, b in zip(report.findings, own, strict=True)
        ]

    def test_changed_file(self, write):
        """An engagement its file no longer holds where it did gets no line."""
        engagements = ok.load(write("p.json", PORTFOLIO))
        write("p.json", PORTFOLIO.replace('"id": "a"', '"id": "z"'))

        found = lines_of(engagements, "id")

        assert {("a", "id"): None, ("b", "id"): 13} == found

    def test_missing_file(self, write):
        """An engagement whose file is gone gets no line."""
        path = write("p.json", PORTFOLIO)
        engagements = ok.load(path)
        path.unlink()

        assert {None} == set(lines_of(engagements, "id").values())

    def test_lines_given_are_kept(self, write):
        """A finding that has a line already keeps it."""
        engagements = ok.load(write("p.json", PORTFOLIO))
        report = engine.check(engagements, as_of=AS_OF, rules=[at_paths("id")])
        given_line = attrs.evolve(
            report, findings=tuple(attrs.evolve(f, line=99) for f in report.findings)
        )

        located = io.locate_findings(given_line, engagements)

        assert [99, 99] == [f.line for f in located.findings]

    def test_table_rows(self, write, monkeypatch):
        """A row of a table knows its line: its file is not read again."""
        write("p.csv", "id,title\na,A\nb,B\n")
        engagements = ok.load("p.csv")

        def refuse(source):
            raise AssertionError(source)

        monkeypatch.setattr(io, "_read_source", refuse)

        assert {("a", "title"): 2, ("b", "title"): 3} == lines_of(engagements, "title")

    def test_origin_of_built_engagements(self):
        """An engagement built in Python has no origin, and its findings no place."""
        engagement = ok.from_dict({"id": "a"})

        report = ok.check(engagement, as_of=AS_OF, rules=[at_paths("id")])

        assert (None, [(None, None)]) == (
            engagement.origin,
            [(f.source, f.line) for f in report.findings],
        )

    def test_origin_of_a_file_of_one(self, write):
        """A file of one engagement records no place in a list."""
        engagement = ok.load(write("a.yaml", "id: a\n"))

        assert Origin(source="a.yaml") == engagement.origin


def block_lines(text, requests):
    """Return the lines the block-style text search finds, checking it is used."""
    assert isinstance(io._followed_yaml(text), YamlBlockText)
    return io._YamlLines(text).lines(requests)


def _more_paths(data, steps=()):
    """Yield paths just past what *data* writes: a key it lacks, an item too far."""
    value = data
    for step in steps:
        value = value[step]
    if isinstance(value, dict):
        yield format_path((*steps, "no-such-key"), data)
        for key in value:
            yield from _more_paths(data, (*steps, key))
    elif isinstance(value, list):
        yield format_path((*steps, len(value)), data)
        for index in range(len(value)):
            yield from _more_paths(data, (*steps, index))


def _all_requests(text):
    """Return requests for every path written, and some not, in each engagement."""
    data = io.parse(text, "yaml", locations=False).data
    items = data.get("engagements")
    defaults = data.get("defaults")
    extra = []
    if isinstance(defaults, dict):
        extra = [*_written_paths(defaults), *_more_paths(defaults)]
    return [
        (i, item["id"], [*_written_paths(item), *_more_paths(item), *MISSING, *extra])
        for i, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]


class TestYamlBlockText:
    """Block-style YAML is searched by its text, with the lines of a full reading."""

    @pytest.mark.parametrize(
        "path",
        sorted(examples_path().glob("*.yaml")),
        ids=lambda path: path.name,
    )
    def test_bundled_examples(self, path):
        """Each bundled YAML example, searched by its text, gives full reading lines."""
        text = path.read_text(encoding="utf-8")
        requests = _yaml_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    @pytest.mark.parametrize("defaults", [False, True])
    def test_written_portfolio(self, defaults):
        """A portfolio as outsourcekit writes it gives the lines of a full reading."""
        data = json.loads(ok.dumps(ok.load(examples_path()), "json"))
        if defaults:
            data = _with_defaults(data)
        text = ok.dumps(io.loads(json.dumps(data), "json"), "yaml")
        if defaults:
            text = yaml.dump(data, Dumper=ok_dumper(), sort_keys=False, width=88)
        requests = _all_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    def test_quoted_keys(self):
        """Keys written in quotes are found as written plain."""
        text = (
            "engagements:\n"
            "- id: a\n"
            "  reviews:\n"
            "  - 'on': 2026-01-01\n"
            '    "outcome": continue\n'
            "  'x-a': {b: 1}\n"
        )
        requests = [(0, "a", ["reviews[0].on", "reviews[0].outcome", "x-a.b", "on"])]

        found = block_lines(text, requests)

        assert ([[4, 5, 6, 2]], exact_lines(text, "yaml", requests)) == (found, found)

    def test_text_read_in_no_load(self):
        """Text never loaded is read once to be searched, with the same lines."""
        text = "id: a\nvendor:\n  name: Acme\nkpis:\n- name: k\n  target: 1\n"
        _source._BLOCK_LAYOUTS.pop(hash(text), None)
        requests = [(None, "a", ["vendor.name", "kpis[k].target", "kpis[1]", "x.y"])]

        assert ([[3, 6, 5, 1]], True) == (
            block_lines(text, requests),
            hash(text) in _source._BLOCK_LAYOUTS,
        )

    def test_defaults_after_the_engagements(self):
        """Defaults written after the engagements are found there, as in full."""
        text = (
            "outsourcekit: 1\n"
            "engagements:\n"
            "- id: a\n"
            "  vendor:\n"
            "    name: Acme\n"
            "# between\n"
            "- id: b\n"
            "  kpis:\n"
            "  - name: k\n"
            "    target: 1\n"
            "defaults:\n"
            "  vendor:\n"
            "    vetting: {testimonials: 2}\n"
            "  vision: docs/v.md\n"
        )
        requests = [
            (0, "a", ["vendor.name", "vendor.vetting.testimonials", "vision"]),
            (1, "b", ["kpis[k].target", "vendor.vetting", "vision", "title"]),
        ]

        found = block_lines(text, requests)

        assert (
            [[5, 13, 14], [10, 13, 14, 7]],
            exact_lines(text, "yaml", requests),
        ) == (
            found,
            found,
        )

    @pytest.mark.parametrize(
        "text",
        [
            (
                "engagements:\n  - id: a\n    tasks:\n    - name: t\n"
                "#c\n  - id: b\n    vision: v\nx-after: [1]\n"
                "defaults:\n  vision: d\n  tasks:\n  - name: t\n    due: weekly\n"
            ),
            "engagements:\n- id: a\n  vision: x\n'defaults':\n  client: {region: US}\n",
            (
                "engagements:\n- id: a\n  kpis:\n  - name: k\n  - name: l\n"
                "x-notes:\n- defaults: no\n- defaults:\n    vision: no\n"
                "defaults:\n  vision: d\n"
            ),
            (
                "outsourcekit: 1\r\nengagements:\r\n- id: a\r\n  tasks:\r\n"
                "  - name: t\r\n    due: weekly\r\ndefaults:\r\n  vision: d\r\n"
            ),
            "engagements:\n- id: a\n  tasks:\n  - name: t\n  -   name: u\n  - x: 1",
            (
                "engagements:\n- id: a\n  tasks:\n    - name: t\n      x: 1\n"
                "    -\n      name: u\n  vision: v\n- id: b\n"
            ),
        ],
        ids=[
            "indented-list",
            "quoted-defaults",
            "lists-at-the-root",
            "crlf",
            "no-last-line-break",
            "list-deeper-than-its-key",
        ],
    )
    def test_around_lists(self, text):
        """Lists, and root keys after them, are found as a full reading finds them."""
        requests = _all_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    def test_file_of_one_engagement(self):
        """Keys of a file of one engagement after its lists are found, as in full."""
        text = "id: a\nkpis:\n- name: k\n  target: 1\n# c\nvendor:\n  name: A\n"
        requests = [
            (None, "a", ["kpis[k].target", "vendor.name", "kpis[1]", "x", "vendor"])
        ]

        found = block_lines(text, requests)

        assert ([[4, 7, 3, 1, 7]], exact_lines(text, "yaml", requests)) == (
            found,
            found,
        )

    @pytest.mark.parametrize(
        "text",
        [
            "base: &b {x: 1}\nengagements:\n- <<: *b\n  id: a\n",
            "engagements:\n- id: a\n  title: [x,\n    y]\n",
            'engagements:\n- id: a\n  "t\\x69tle": x\n',
            "engagements:\n- id: a\n  title: x\n  title: y\n",
        ],
        ids=["merge-key", "flow-lines", "escaped-key", "duplicate"],
    )
    def test_other_text_followed_by_nodes(self, text):
        """Text the fast reader leaves is followed by its nodes, same lines."""
        requests = [(0, "a", ["title", "x", "id"])]

        with pytest.raises(YamlLayoutError):
            YamlBlockText(text)
        assert full_lines(text, requests) == io._document_lines(
            io._Document(text, "yaml"), "p", requests
        )

    @settings(max_examples=150, deadline=None)
    @given(dumped_portfolios())
    def test_any_dumped_portfolio(self, text):
        """Any portfolio PyYAML dumps, comments added, gives full reading lines."""
        try:
            YamlBlockText(text)
        except YamlLayoutError:
            return
        requests = _all_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    @settings(max_examples=150, deadline=None)
    @given(hand_written_portfolios())
    def test_any_hand_written_portfolio(self, text):
        """Any portfolio written by hand, in every style, gives full reading lines."""
        try:
            YamlBlockText(text)
        except YamlLayoutError:
            return
        requests = _all_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    def test_quoted_keys_after_a_list(self):
        """Keys quoted because of their first character are found after a list."""
        text = 'id: a\nkpis:\n- name: k\n"-x": 1\n\'#x\': {a: 1}\n" x": 3\n'
        requests = [(None, "a", ["kpis[k]", "-x", "#x.a", " x", "-y"])]

        found = block_lines(text, requests)

        assert ([[3, 4, 5, 6, 1]], exact_lines(text, "yaml", requests)) == (
            found,
            found,
        )

    @settings(max_examples=100, deadline=None)
    @given(dumped_portfolios())
    def test_any_portfolio_with_defaults_last(self, text):
        """Defaults moved after the engagements give full reading lines."""
        head, found, rest = text.partition("\ndefaults:\n")
        if found:
            defaults, _, engagements = rest.partition("engagements:\n")
            text = f"{head}\nengagements:\n{engagements}defaults:\n{defaults}"
        try:
            YamlBlockText(text)
        except YamlLayoutError:
            return
        requests = _all_requests(text)

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)


#: Ways to write the ``name`` of a list item in YAML, each a function of the name.
NAME_STYLES = (
    lambda name: f"- name: {name}\n  x: 1\n",
    lambda name: f"- name: '{name}'\n  x: 1\n",
    lambda name: f'- name: "{name}"\n  x: 1\n',
    lambda name: f"- x: 1\n  name: {name}\n",
    lambda name: f"-   name: {name}\n    x: 1\n",
    lambda name: f"- name: {name} # a comment\n  x: 1\n",
    lambda name: f"- name:\n    {name}\n  x: 1\n",
    lambda name: f"- name: {name}\n   more\n  x: 1\n",
    lambda name: f"- name: {name}\n  x: 1\n  y: [1, 2]\n",
    lambda _name: "- 12\n",
    lambda _name: "- name: 12\n  x: 1\n",
    lambda _name: "- name:\n  x: 1\n",
)


class TestItemNames:
    """Items named in paths are found as a full reading finds them, however written."""

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "c d", "é", "no", "x-1"]),
                st.integers(0, len(NAME_STYLES) - 1),
            ),
            min_size=1,
            max_size=6,
        ),
        st.booleans(),
    )
    def test_yaml_names(self, items, index_first):
        """Names plain, quoted, later, folded, repeated or absent give full lines."""
        text = "engagements:\n- id: e\n  tasks:\n" + "".join(
            "  " + NAME_STYLES[style](name).replace("\n", "\n  ").rstrip(" ")
            for name, style in items
        )
        try:
            YamlBlockText(text)
        except YamlLayoutError:
            return
        names = sorted({name for name, _ in items})
        paths = [
            path
            for name in names
            for path in (f"tasks[{name}]", f"tasks[{name}].x", f"tasks[{name}].name")
        ]
        if index_first:  # items made before their list is labelled
            paths = ["tasks[0].x", f"tasks[{len(items) - 1}].name", *paths]
        requests = [(0, "e", [*paths, "tasks[zz].x", "tasks"])]

        assert exact_lines(text, "yaml", requests) == block_lines(text, requests)

    def test_yaml_name_on_its_line(self):
        """A name on its item's line labels the item; a repeated name labels none."""
        text = (
            "engagements:\n- id: e\n  tasks:\n"
            "  - name: a\n    x: 1\n"
            "  - name: 'b'\n    x: 2\n"
            "  - name: a\n    x: 3\n"
            "  - x: 4\n    name: c\n"
        )
        requests = [(0, "e", ["tasks[a].x", "tasks[b].x", "tasks[c].x", "tasks[2].x"])]

        found = block_lines(text, requests)

        assert ([[2, 7, 10, 9]], exact_lines(text, "yaml", requests)) == (found, found)

    @pytest.mark.parametrize("defaults", [False, True])
    def test_json_paths_repeated_and_named(self, defaults):
        """A path asked twice, or through named items, gets a full reading's line."""
        data = json.loads(ok.dumps(ok.load(examples_path()), "json"))
        if defaults:
            data = _with_defaults(data)
        text = json.dumps(data, indent=2)
        requests = []
        for index, item in enumerate(data["engagements"]):
            paths = [*_written_paths(item), *MISSING]
            requests.append((index, item["id"], [*paths, *reversed(paths)]))

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert exact_lines(text, "json", requests) == found


class TestJsonNames:
    def test_empty_name_names_no_item(self):
        """A path naming an item ``[]`` names none: it is at the list, as in full."""
        text = json.dumps(
            {"outsourcekit": 1, "engagements": [{"id": "e", "a": [{"name": ""}]}]},
            indent=1,
        )
        requests = [(0, "e", ["a[]", "a[].x", "a[0].name"])]

        found = io._document_lines(io._Document(text, "json"), "p", requests)

        assert [[4, 4, 8]] == found
        assert exact_lines(text, "json", requests) == found
