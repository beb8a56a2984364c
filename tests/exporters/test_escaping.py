"""Tests of how the formats write hostile values: controls, bidi, formulas, lines."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest
from export_support import (
    AS_OF,
    HOSTILE_SLOTS,
    hostile_report,
    one_finding,
)
from hypothesis import given
from hypothesis import strategies as st

import outsourcekit
from outsourcekit.builtin.exporters import _escape
from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import html as html_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import junit as junit_format
from outsourcekit.builtin.exporters import markdown as markdown_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.builtin.exporters import text as text_format
from outsourcekit.engine import rule
from outsourcekit.io import loads

#: What no format may write raw from a value: every control character but line
#: feed (which the formats' own lines use), line and paragraph separators, the
#: bidirectional controls, lone surrogates and U+FFFE, U+FFFF.
FORBIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
#: Characters that attack one format or another.
ATTACK_CHARACTERS = (
    "\x00\x07\x08\t\n\x0b\x0c\r\x1b\x1c\x1e\x7f\x85\x9b\u061c\u200b\u200e\u200f"
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    "\ufffe\uffff\ud800\udbff\udc00\udfff"
    " \xa0\u3000\"'`|\\*_[]#!<>&=+-@;,:~\uff1d"
)
#: Whole attacks, to be met more often than chance would.
ATTACKS = (
    "\n  error    OSK999 forged-finding at tasks",
    "\r\n| forged | row |",
    "\n## forged heading",
    "=1+1",
    '=HYPERLINK("http://example.invalid","x")',
    "\x1b]0;owned\x07",
    "\x1b[2J",
    "</td></tr><script>alert(1)</script>",
    "]]><!--",
    "```",
)
hostile_piece = st.text(
    st.one_of(st.sampled_from(ATTACK_CHARACTERS), st.characters(exclude_categories=())),
    max_size=6,
)
hostile_text = st.one_of(
    hostile_piece,
    st.tuples(hostile_piece, st.sampled_from(ATTACKS), hostile_piece).map("".join),
)
#: Values for :func:`hostile_report`. The engagement id and the file name, which
#: the text format writes at the start of a line by design, have no spaces: an
#: id cannot, and a file name so named is out of scope of the line check.
hostile_values = st.lists(
    hostile_text, min_size=HOSTILE_SLOTS, max_size=HOSTILE_SLOTS
).map(lambda v: [v[0].replace(" ", ""), v[1].replace(" ", ""), *v[2:]])
PLAIN = re.compile(r"[A-Za-z0-9-]*")
FINDING_HEAD = re.compile(r"^  (error|warning|info|waived) ")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: What a spreadsheet may pass over before it sees a formula.
LEADING = " \t\r\n\"'"


def twin(values):
    """Return *values* with each distinct one made plain: same shape, no attack.

    Empty values stay empty and plain ones stay as they are, so that values
    equal to each other or to the report's own words stay so.
    """
    plain = {
        v: v if PLAIN.fullmatch(v) else f"plain-{i}-value"
        for i, v in enumerate(dict.fromkeys(values))
    }
    return [plain[v] for v in values]


def forbidden(out, allowed=""):
    """Return the forbidden characters in *out*, but those *allowed*."""
    return [c for c in FORBIDDEN.findall(out) if c not in allowed]


def same_as_json(data):
    """Return *data* as JSON reads it back: two surrogates in a row make one character.

    Text is kept exactly otherwise, lone surrogates included.
    """
    return json.loads(json.dumps(data))


def pipes(line):
    """Return how many table-cell pipes a Markdown line has (escaped ones not)."""
    return len(re.findall(r"(?<!\\)\|", line.replace("\\\\", "")))


class TestEscapeFunctions:
    def test_visible(self):
        """Controls, separators, bidi controls and surrogates are shown escaped."""
        assert "a\\tb\\nc\\rd\\x00\\x1b\\x7f\\x85\\u2028\\u202e\\u2066\\ud800" == (
            _escape.visible(
                "a\tb\nc\rd\x00\x1b\x7f\x85\u2028\u202e\u2066\ud800",
            )
        )

    def test_visible_keeps_the_rest(self):
        """Other text, non-ASCII and zero-width joiners included, is kept as is."""
        assert "Café ✓ 𝄞 a\u200db \\" == _escape.visible("Café ✓ 𝄞 a\u200db \\")

    def test_none_is_empty(self):
        """A missing value is the empty string in every format."""
        assert [""] * 6 == [
            _escape.text(None),
            _escape.markdown(None),
            _escape.markdown_code(None),
            _escape.html(None),
            _escape.xml(None),
            _escape.csv_cell(None),
        ]

    def test_markdown(self):
        """Markup is text, active characters escaped, line breaks <br>, ESC shown."""
        assert "&lt;b&gt; \\*x\\* \\| a<br>b<br>c \\\\ \\~ \\x1b" == (
            _escape.markdown("<b> *x* | a\r\nb\nc \\ ~ \x1b")
        )

    @pytest.mark.parametrize(
        ("value", "span"),
        [
            ("TST001", "`TST001`"),
            ("a`b", "``a`b``"),
            ("`x", "`` `x ``"),
            ("a|b\n", "a\\|b<br>"),
            ("a\x1b", "`a\\x1b`"),
            ("", ""),
        ],
    )
    def test_markdown_code(self, value, span):
        """A code span is fenced longer than any backtick run; a pipe makes it text."""
        assert span == _escape.markdown_code(value)

    def test_html(self):
        """HTML escapes markup and quotes and shows controls."""
        assert "&lt;x a=&quot;1&#x27;&gt;\\x00\\x0b\\x0c\\x7f\\u202e" == (
            _escape.html("<x a=\"1'>\x00\x0b\x0c\x7f\u202e")
        )

    @pytest.mark.parametrize(
        ("value", "cell"),
        [
            ("=1+1", "'=1+1"),
            (" =1+1", "' =1+1"),
            ('"=1+1', "'\"=1+1"),
            ("'=1+1", "''=1+1"),
            ("\n=1+1", "'\\n=1+1"),
            ("\r\n\t @SUM(A1)", "'\\r\\n\\t @SUM(A1)"),
            ("\u202e\u200b-2", "'\\u202e\u200b-2"),
            ("\xa0+1", "'\xa0+1"),
            ("\tplain", "'\\tplain"),
            ("1-2", "1-2"),
            ("a =1", "a =1"),
            ("", ""),
        ],
    )
    def test_csv_cell(self, value, cell):
        """A formula is neutralised after any leading blanks, quotes or line breaks."""
        assert cell == _escape.csv_cell(value)

    def test_json_text(self):
        """JSON escapes what it may not hold raw, and reads back the same text."""
        value = "a\x00\x7f\x85\u2028\u202e\ud800é"
        dumped = _escape.json_text({"v": value})

        assert '{"v": "a\\u0000\\u007f\\u0085\\u2028\\u202e\\ud800é"}' == dumped
        assert {"v": value} == json.loads(dumped)

    def test_json_text_escapes_delete_in_ascii_text(self):
        """DEL is ASCII, yet no format writes it raw: text of ASCII alone too."""
        assert '{"v": "a\\u007fb"}' == _escape.json_text({"v": "a\x7fb"})
        assert '{"v":"\\u007f"}' == _escape.json_safe('{"v":"\x7f"}')

    @given(st.text())
    def test_visible_is_one_line(self, text):
        """Whatever the text, its visible form holds nothing forbidden, no break."""
        shown = _escape.visible(text)

        assert [] == forbidden(shown)
        assert [shown] == (shown.splitlines() or [""])


class TestRegressions:
    """One test per hostile value that once reached an output raw."""

    @pytest.mark.parametrize(
        ("message", "row"),
        [
            (" =1+1", "' =1+1"),
            ('"=1+1', '"\'""=1+1"'),
            ("\n=1+1", "'\\n=1+1"),
        ],
    )
    def test_csv_formula_after_blanks_quotes_line_breaks(self, message, row):
        """A formula behind a blank, a quote or a line break is neutralised."""
        assert (
            "rule,slug,category,severity,engagement,path,source,line,message,fix,"
            "evidence,waived\r\n"
            f"TST001,script-message,clarity,error,alpha,title,a.yaml,2,{row},"
            "Say it plainly.,{},\r\n"
        ) == csv_format.export(one_finding(message))

    def test_markdown_terminal_controls(self):
        """ESC, BEL and NUL in Markdown are shown: `cat` cannot retitle a terminal."""
        out = markdown_format.export(one_finding("\x1b]0;owned\x07\x00\x1b[2J"))

        assert (
            "| error | `TST001` script-message | clarity | title | a.yaml:2 | "
            "\\x1b\\]0;owned\\x07\\x00\\x1b\\[2J | Say it plainly. |"
        ) in out.splitlines()

    def test_html_controls(self):
        """NUL, VT, FF and DEL never reach the page: they are shown escaped."""
        out = html_format.export(one_finding("a\x00b\x0bc\x0cd\x7fe"))

        assert '<td class="message">a\\x00b\\x0bc\\x0cd\\x7fe</td>' in out
        assert [] == forbidden(out)

    def test_csv_controls(self):
        """NUL, VT, FF and DEL in a CSV cell are shown escaped."""
        out = csv_format.export(one_finding("a\x00b\x0bc\x0cd\x7fe"))

        assert (
            "TST001,script-message,clarity,error,alpha,title,a.yaml,2,"
            "a\\x00b\\x0bc\\x0cd\\x7fe,Say it plainly.,{},\r\n"
        ) == out.split("\r\n", 1)[1]

    def test_text_cannot_forge_a_finding(self):
        """A task name with a line break cannot add a finding line to the text."""

        @rule(
            code="TST005",
            slug="task-without-due",
            title="A task without a due date",
            category="clarity",
            severity="warning",
            fix="Give it a due date.",
        )
        def task_without_due(engagement, ctx):
            """Fires on each task without a due date."""
            for task in engagement.tasks:
                yield ctx.finding(
                    f"Task {task.name} has no due date", path=f"tasks[{task.name}]"
                )

        engagement = loads(
            textwrap.dedent(
                """\
                id: gamma
                title: "Ops\\n  error    OSK999 forged-title"
                tasks:
                  - name: "ship\\n  error    OSK999 forged-finding at tasks"
                """
            ),
            source="engagements/gamma.yaml",
        )
        report = outsourcekit.check(
            [engagement], as_of=AS_OF, rules=(task_without_due,)
        )
        score = report.engagements[0].score

        out = text_format.render(report, titles={"gamma": engagement.title})

        assert (
            f"1 engagement, 1 finding (1 warning), 0 waived, portfolio score "
            f"{score}\n"
            "\n"
            f"gamma  Ops\\n  error    OSK999 forged-title  [score {score}]\n"
            "  engagements/gamma.yaml\n"
            "  warning  TST005 task-without-due at tasks[ship\\n  error    OSK999 "
            "forged-finding at tasks] (line 4)\n"
            "           Task ship\\n  error    OSK999 forged-finding at tasks has no "
            "due date\n"
            "           fix: Give it a due date.\n"
        ) == out

    def test_text_forged_lines_from_a_report(self):
        """Every value of a finding stays on its line: three lines, one head."""
        forged = "x\n  error    OSK999 forged-finding at tasks"
        report = one_finding(forged, path=forged, fix=forged)

        assert (
            "1 engagement, 1 finding (1 error), 0 waived, portfolio score 85\n"
            "\n"
            "alpha  [score 85]\n"
            "  a.yaml\n"
            "  error    TST001 script-message at x\\n  error    OSK999 forged-finding "
            "at tasks (line 2)\n"
            "           x\\n  error    OSK999 forged-finding at tasks\n"
            "           fix: x\\n  error    OSK999 forged-finding at tasks\n"
        ) == text_format.export(report)

    def test_markdown_cannot_forge_a_row_or_heading(self):
        """Line breaks in a value become <br>: no new table row, no new heading."""
        out = markdown_format.export(one_finding("a\n| forged | row |\r\n## forged"))

        assert (
            "| error | `TST001` script-message | clarity | title | a.yaml:2 | "
            "a<br>\\| forged \\| row \\|<br>\\#\\# forged | Say it plainly. |"
        ) in out.splitlines()
        assert not any(line.startswith("## forged") for line in out.splitlines())

    @pytest.mark.parametrize(
        ("name", "written"),
        [
            ("text", "           abc\\u202edcba\n"),
            ("markdown", "| abc\\u202edcba |"),
            ("html", '<td class="message">abc\\u202edcba</td>'),
            ("csv", ",abc\\u202edcba,"),
            ("junit", 'message="abc\\u202edcba"'),
            ("json", '"message": "abc\\u202edcba"'),
            ("sarif", '"text": "abc\\u202edcba"'),
        ],
    )
    def test_bidi_override(self, name, written):
        """U+202E is written escaped in every format, so it reorders nothing."""
        exporter = {
            "text": text_format.export,
            "markdown": markdown_format.export,
            "html": html_format.export,
            "csv": csv_format.export,
            "junit": junit_format.export,
            "json": json_format.export,
            "sarif": sarif_format.export,
        }[name]

        out = exporter(one_finding("abc\u202edcba"))

        assert written in out
        assert "\u202e" not in out

    @pytest.mark.parametrize(
        "exporter",
        [
            text_format.export,
            markdown_format.export,
            html_format.export,
            csv_format.export,
            junit_format.export,
            json_format.export,
            sarif_format.export,
        ],
    )
    def test_lone_surrogate(self, exporter):
        """A lone surrogate in any value is written escaped, never raising on encode."""
        report = hostile_report(["\ud800"] * HOSTILE_SLOTS)

        assert "\ud800" not in exporter(report)
        exporter(report).encode("utf-8")

    def test_json_keeps_a_lone_surrogate(self):
        """The JSON document reads back the very text, a lone surrogate included."""
        report = one_finding("a\ud800b")

        assert (
            "a\ud800b"
            == json.loads(json_format.export(report))["findings"][0]["message"]
        )


class TestHostileValues:
    """Arbitrary text in every value of a report, through every format."""

    @given(hostile_values)
    def test_text(self, values):
        """Text keeps its lines: values add none, show no control, forge no finding."""
        title = values[-1]
        # Unwrapped, so that a value's length cannot change the count of lines.
        wide = 10**9
        out = text_format.render(
            hostile_report(values), titles={values[0]: title}, width=wide
        )
        plain = text_format.render(hostile_report(twin(values)), titles={}, width=wide)

        assert [] == forbidden(out, "\n")
        assert len(plain.split("\n")) == len(out.split("\n"))
        assert out.splitlines() == out.split("\n")[:-1]
        assert 2 == sum(1 for line in out.split("\n") if FINDING_HEAD.match(line))

    @given(hostile_values)
    def test_markdown(self, values):
        """Markdown keeps its rows, headings and columns, and shows no control."""
        out = markdown_format.export(hostile_report(values))
        plain = markdown_format.export(hostile_report(twin(values)))
        lines = out.split("\n")

        assert [] == forbidden(out, "\n")
        assert len(plain.split("\n")) == len(lines)
        assert out.splitlines() == lines[:-1]
        assert [line[:2] for line in plain.split("\n")] == [line[:2] for line in lines]
        for block in out.split("\n\n"):
            rows = [line for line in block.split("\n") if line.startswith("|")]
            assert len({pipes(line) for line in rows}) <= 1, block

    @given(hostile_values)
    def test_html(self, values):
        """HTML adds no element, attribute or line for a value, and shows no control."""
        out = html_format.export(hostile_report(values))
        plain = html_format.export(hostile_report(twin(values)))

        assert [] == forbidden(out, "\n")
        assert (plain.count("\n"), plain.count("<"), plain.count('"')) == (
            out.count("\n"),
            out.count("<"),
            out.count('"'),
        )

    @given(hostile_values)
    def test_csv(self, values):
        """CSV has a row per finding, no control and no cell a spreadsheet would run."""
        out = csv_format.export(hostile_report(values))
        rows = list(csv.reader(io.StringIO(out, newline="")))

        assert [] == forbidden(out.replace("\r\n", "\n"), "\n")
        assert 3 == out.count("\r\n") == out.count("\n") == len(rows)
        for cell in (c for row in rows for c in row):
            assert cell.startswith("'") or not cell.lstrip(LEADING).startswith(FORMULA)

    @given(hostile_values)
    def test_junit(self, values):
        """JUnit is well-formed XML 1.0 with as many lines as without the attack."""
        out = junit_format.export(hostile_report(values))
        plain = junit_format.export(hostile_report(twin(values)))
        root = ET.fromstring(out.encode("utf-8"))  # noqa: S314 - our own output

        assert [] == forbidden(out, "\n")
        assert plain.count("\n") == out.count("\n")
        assert 1 == len(root.findall(".//failure"))

    @given(hostile_values)
    def test_json(self, values):
        """The JSON document is UTF-8 and reads back what JSON itself would."""
        report = hostile_report(values)
        out = json_format.export(report)

        assert [] == forbidden(out, "\n")
        assert same_as_json(report.to_dict()) == json.loads(out.encode("utf-8"))

    @given(hostile_values)
    def test_sarif(self, values):
        """The SARIF log is UTF-8 and carries each message, its braces doubled."""
        report = hostile_report(values)
        log = json.loads(sarif_format.export(report).encode("utf-8"))
        texts = [r["message"]["text"] for r in log["runs"][0]["results"]]

        assert same_as_json([f.message for f in report.findings]) == [
            text.replace("{{", "{").replace("}}", "}") for text in texts
        ]
        assert not any(
            "{" in t.replace("{{", "") or "}" in t.replace("}}", "") for t in texts
        )
