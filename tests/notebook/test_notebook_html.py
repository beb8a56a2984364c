"""Tests of the HTML shown in notebooks: engagements, findings, reports, rules."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit import history
from outsourcekit import notebook as nb
from outsourcekit.builtin.exporters import concise as concise_format
from outsourcekit.builtin.exporters import html as html_format
from outsourcekit.builtin.exporters import markdown as markdown_format
from outsourcekit.builtin.exporters import text as text_format
from outsourcekit.builtin.exporters._escape import UNSAFE, visible
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import (
    EngagementResult,
    Finding,
    FindingCounts,
    PluginError,
    Report,
    ReportDiff,
    RuleError,
    Severity,
    check,
    check_stream,
    rule,
)
from outsourcekit.engine._report import SavedIssue
from outsourcekit.examples import examples_path
from outsourcekit.io import load_all, loads
from outsourcekit.model import (
    KPI,
    Agreement,
    AgreementKind,
    CheckIn,
    Engagement,
    Measurement,
    Party,
    Status,
    Task,
    Vendor,
    VendorKind,
)
from outsourcekit.model._display import _UNSAFE

AS_OF = dt.date(2026, 11, 22)
DAY = dt.timedelta(days=1)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio."""
    return load_all([examples_path()])


@pytest.fixture(scope="module")
def report(engagements):
    """The example portfolio checked by the built-in rules as of 2026-11-22."""
    return check(engagements, as_of=AS_OF, rules=BUILTIN_RULES)


@rule(
    code="TST901",
    slug="echo-title",
    title=f"Echo {SCRIPT}",
    category="clarity",
    severity="warning",
    fix=f"Fix {SCRIPT}",
)
def echo_title(engagement, ctx):
    """Fires on every engagement, repeating its title."""
    yield ctx.finding(
        f"Title is {engagement.title}",
        path="title",
        evidence={"title": engagement.title},
    )


def hostile():
    """An engagement whose every text is markup."""
    return Engagement(
        id="x-1",
        title=SCRIPT,
        owner=f'"><img src=x onerror=alert(1)> {SCRIPT}',
        client=Party(name=SCRIPT),
        vendor=Vendor(name=SCRIPT, kind=VendorKind.AGENCY),
        kpis=[KPI(name=SCRIPT, target=1.0)],
        agreements=[Agreement(kind=AgreementKind.NDA, signed_on=dt.date(2026, 1, 1))],
    )


class _Text(HTMLParser):
    """Collects the tags and the text of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.style: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data):
        if self.tags and self.tags[-1] == "style" and not self.style:
            self.style.append(data)
        else:
            self.text.append(data)


def parse(markup):
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return parser


def rows(markup, table):
    """The rows of the *table*-th table's body, each a list of cell texts."""
    bodies = re.findall(r"<tbody>(.*?)</tbody>", markup, flags=re.DOTALL)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", r)
        ]
        for r in re.findall(r"<tr[^>]*>(.*?)</tr>", bodies[table], flags=re.DOTALL)
    ]


class TestEscaping:
    @pytest.fixture
    def outputs(self):
        """Every HTML function's output where every value is markup."""
        engagement = hostile()
        report = check([engagement], as_of=AS_OF, rules=[echo_title])
        return {
            "engagement": nb.engagement_html(engagement),
            "engagement with report": nb.engagement_html(engagement, report),
            "finding": nb.finding_html(report.findings[0]),
            "report": nb.report_html(report),
            "diff": nb.diff_html(
                ReportDiff(
                    new=report.findings,
                    fixed=report.findings,
                    unchanged=report.findings,
                    as_of=AS_OF,
                    baseline_as_of=AS_OF,
                )
            ),
            "rules": nb.rules_html([echo_title]),
        }

    def test_no_script(self, outputs):
        """A <script> in any value is shown as text, never as a tag."""
        for name, markup in outputs.items():
            tags = set(parse(markup).tags)

            assert "script" not in tags, name
            assert "img" not in tags, name
            assert SCRIPT not in markup, name

    def test_shown_as_text(self, outputs):
        """The markup in values reads as text in what is displayed."""
        for name, markup in outputs.items():
            assert SCRIPT in "".join(parse(markup).text), name

    def test_no_external_resources(self, outputs):
        """Nothing refers to a file or a site: no links, sources or URLs."""
        for name, markup in outputs.items():
            parsed = parse(markup)

            assert {"link", "script", "img", "iframe"}.isdisjoint(parsed.tags), name
            assert {"class"} == parsed.attributes, name
            assert "url(" not in "".join(parsed.style), name
            assert "@import" not in "".join(parsed.style), name

    @given(st.text(min_size=1))
    def test_any_title(self, title):
        """Any title is shown exactly, as escaped text."""
        engagement = Engagement(id="a", title=title)

        markup = nb.engagement_html(engagement)

        shown = UNSAFE.sub(lambda m: m[0] if m[0] in "\t\n\r" else visible(m[0]), title)
        assert html.escape(shown, quote=True) in markup
        assert markup.encode("utf-8")
        assert not _UNSAFE.search(markup)
        assert {"div", "style", "strong", "table", "tbody", "tr", "th", "td"} >= set(
            parse(markup).tags
        )

    def test_controls_shown_escaped(self):
        """Control and bidirectional characters show escaped, as in HTML reports.

        A right-to-left override would reverse the text after it on screen, and
        a lone surrogate cannot be sent to the notebook nor saved in it.
        """
        engagement = Engagement(
            id="a",
            title="Payroll \u202eexe.gnp",
            vendor=Vendor(name="Acme\x1b[2J", kind=VendorKind.AGENCY),
            owner="Ann\ud800",
        )
        report = check([engagement], as_of=AS_OF, rules=[echo_title])

        for markup in (
            nb.engagement_html(engagement, report),
            nb.finding_html(report.findings[0]),
            nb.report_html(report),
        ):
            assert not _UNSAFE.search(markup)
            assert "Payroll \\u202eexe.gnp" in markup
        assert "Acme\\x1b[2J (agency)" in nb.engagement_html(engagement)
        assert "Ann\\ud800" in nb.engagement_html(engagement)

    def test_lines_kept(self):
        """A text written over lines keeps them: HTML shows each as a space."""
        markup = nb.engagement_html(Engagement(id="a", title="Line one\nline two\n"))

        assert "Line one\nline two\n</div>" in markup

    def test_the_characters_of_html_reports(self):
        """The characters shown escaped are those of the command line's HTML.

        Tab, line feed and carriage return aside, which HTML shows as spaces.
        """
        every = [chr(c) for c in range(0x10000)]
        html_report = {c for c in every if UNSAFE.match(c)} - set("\t\n\r")

        assert html_report == {c for c in every if _UNSAFE.match(c)}


class TestReportHtml:
    def test_headline(self, report):
        """The report names its date, its size and the portfolio score."""
        markup = nb.report_html(report)

        assert (
            f"as of 2026-11-22: {len(report.engagements)} engagements, portfolio "
            f"score {report.portfolio_score}"
        ) in markup

    def test_categories(self, report):
        """Counts by category and severity are those of the unwaived findings."""
        counts = Counter(
            (f.category, f.severity.value) for f in report.findings if f.waived is None
        )
        categories = sorted({c for e in report.engagements for c in e.categories})
        expected = [
            [
                c,
                *(str(counts[c, s]) for s in ("error", "warning", "info")),
                str(sum(counts[c, s] for s in ("error", "warning", "info"))),
            ]
            for c in categories
        ]

        table = rows(nb.report_html(report), 0)

        assert expected == table[:-1]
        assert [
            "all",
            *(
                str(report.summary["by_severity"].get(s, 0))
                for s in ("error", "warning", "info")
            ),
            str(report.summary["findings"]),
        ] == table[-1]

    def test_engagements(self, report):
        """Each engagement is listed with its score, in the report's order."""
        table = rows(nb.report_html(report), 1)

        assert [(e.id, str(e.score)) for e in report.engagements] == [
            (r[0], r[1]) for r in table
        ]

    def test_findings(self, report):
        """Every finding is a row of the findings table, in the report's order."""
        table = rows(nb.report_html(report, max_rows=None), 2)

        assert [
            (f.engagement, f"{f.rule} {f.slug}", f"{f.message}Fix: {f.fix}")
            for f in report.findings
        ] == [(r[0], r[2], r[5]) for r in table]

    def test_baseline_column(self, engagements, report):
        """Against a baseline, a last column says whether each finding is new."""
        older = check(
            engagements, as_of=AS_OF - dt.timedelta(days=60), rules=BUILTIN_RULES
        )
        compared = report.with_baseline(older)

        table = rows(nb.report_html(compared, max_rows=None), 2)

        states = [compared.baseline_state(f) for f in compared.findings]
        assert states == [r[8] for r in table]
        assert {"new", "unchanged"} == set(states)
        assert all(len(r) == 8 for r in rows(nb.report_html(report), 2))

    def test_max_rows(self, report):
        """At most max_rows findings are listed, and the rest are counted."""
        markup = nb.report_html(report, max_rows=5)

        assert 5 == len(rows(markup, 2))
        assert f"{len(report.findings) - 5} more findings not shown" in markup

    def test_engagements_capped(self):
        """Of more than 50 engagements, the first 50 are listed, the rest counted."""
        many = check(
            [Engagement(id=f"e{i:03d}") for i in range(60)], as_of=AS_OF, rules=[]
        )

        shown = nb.report_html(many)

        assert [f"e{i:03d}" for i in range(50)] == [r[0] for r in rows(shown, 1)]
        assert (
            '<p class="osk-muted">10 more engagements not shown; '
            "<code>scores_frame(report)</code> has them all, and "
            "<code>report_html(report, max_engagements=None)</code> lists them "
            "all here.</p>"
        ) in shown
        assert shown == many._repr_html_()

    def test_max_engagements(self):
        """max_engagements lists that many engagements; None lists them all."""
        many = check(
            [Engagement(id=f"e{i:03d}") for i in range(60)], as_of=AS_OF, rules=[]
        )

        five = nb.report_html(many, max_engagements=5)
        every = nb.report_html(many, max_engagements=None)

        assert ["e000", "e001", "e002", "e003", "e004"] == [r[0] for r in rows(five, 1)]
        assert "55 more engagements not shown" in five
        assert [f"e{i:03d}" for i in range(60)] == [r[0] for r in rows(every, 1)]
        assert "more engagements not shown" not in every

    def test_bad_max_engagements(self, report):
        """A negative number of engagements is refused, naming the value."""
        with pytest.raises(ValueError, match="max_engagements") as info:
            nb.report_html(report, max_engagements=-1)

        assert "max_engagements must be at least 0 (got -1)" == str(info.value)

    def test_one_of_each(self):
        """One engagement, finding or finding left out is named in the singular."""
        findings = [finding(), finding(rule="OSK108")]
        report = Report(
            as_of=AS_OF, findings=findings, engagements=[result("a", 83, findings)]
        )

        markup = nb.report_html(report, max_rows=1)

        assert "as of 2026-11-22: 1 engagement, portfolio score 83" in markup
        assert "<p>2 findings: " in markup
        assert (
            '<p class="osk-muted">1 more finding not shown; '
            "<code>report_to_pandas(report)</code> has them all.</p>"
        ) in markup
        assert "<p>1 finding: " in nb.report_html(
            Report(as_of=AS_OF, findings=findings[:1], engagements=())
        )

    @pytest.mark.parametrize("streamed", [None, FindingCounts(error=3, waived=1)])
    def test_large_report_stays_small(self, streamed):
        """A report of 20,000 engagements shows 50 of them, held or streamed."""
        results = tuple(result(f"e{i:05d}", i % 101) for i in range(20_000))
        large = attrs.evolve(
            Report(as_of=AS_OF, findings=(), engagements=results), streamed=streamed
        )

        markup = large._repr_html_()

        table = rows(markup, 0 if streamed else 1)
        assert [(f"e{i:05d}", str(i % 101)) for i in range(50)] == [
            (r[0], r[1]) for r in table
        ]
        assert "19950 more engagements not shown" in markup
        assert len(markup) < 12_000

    def test_no_findings(self):
        """A report without findings says so."""
        report = check([Engagement(id="a")], as_of=AS_OF, rules=[])

        assert "<p>No findings.</p>" in nb.report_html(report)

    def test_errors(self):
        """Load, rule and plugin errors are listed after the findings."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=[
                SavedIssue(source="a.yaml", line=3, path="start", message="bad <date>")
            ],
            rule_errors=[
                RuleError(
                    rule="X1", engagement="e", type="ZeroDivisionError", message="boom"
                )
            ],
        )

        markup = nb.report_html(report)

        assert "a.yaml:3: start: bad &lt;date&gt;" in markup
        assert ["X1", "e", "ZeroDivisionError", "boom"] in rows(markup, 2)
        assert "portfolio score n/a" in markup

    @pytest.mark.parametrize("streamed", [None, FindingCounts()])
    def test_errors_in_the_summary(self, streamed):
        """The summary counts the errors listed at the end: not all was checked."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=[SavedIssue(message="bad")],
            plugin_errors=[
                PluginError(plugin="p", message="cannot be imported"),
                PluginError(plugin="q", message="cannot be imported"),
            ],
            streamed=streamed,
        )
        with_rule_error = attrs.evolve(
            report,
            rule_errors=[
                RuleError(rule="X1", engagement="e", type="KeyError", message="k")
            ],
        )

        assert (
            "<p>0 findings: none; 0 waived. Not everything was checked: "
            "1 load error and 2 plugin errors, listed below.</p>"
        ) in nb.report_html(report)
        assert (
            "Not everything was checked: 1 load error, 1 rule error and 2 plugin "
            "errors, listed below.</p>"
        ) in nb.report_html(with_rule_error)

    def test_no_errors_in_the_summary(self, report):
        """A report without errors says nothing of them."""
        assert "Not everything was checked" not in nb.report_html(report)

    def test_errors_capped(self):
        """Of many load, rule and plugin errors, the first 50 of each are listed."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=tuple(
                SavedIssue(source=f"f{i:06d}.yaml", line=1, message="not a mapping")
                for i in range(100_000)
            ),
            rule_errors=tuple(
                RuleError(
                    rule="X1", engagement=f"e{i:03d}", type="KeyError", message="k"
                )
                for i in range(120)
            ),
            plugin_errors=tuple(
                PluginError(plugin=f"p{i:02d}", message="cannot be imported")
                for i in range(51)
            ),
        )

        markup = report._repr_html_()

        assert [f"f{i:06d}.yaml:1: not a mapping" for i in range(50)] == [
            html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", markup)
        ]
        assert [f"e{i:03d}" for i in range(50)] == [r[1] for r in rows(markup, 2)]
        assert [f"p{i:02d}" for i in range(50)] == [r[0] for r in rows(markup, 3)]
        assert (
            '<p class="osk-muted">99950 more load errors not shown; '
            "<code>report.errors</code> has them all.</p>"
        ) in markup
        assert (
            '<p class="osk-muted">70 more rule errors not shown; '
            "<code>report.rule_errors</code> has them all.</p>"
        ) in markup
        assert (
            '<p class="osk-muted">1 more plugin error not shown; '
            "<code>report.plugin_errors</code> has them all.</p>"
        ) in markup
        assert len(markup) < 20_000

    def test_errors_capped_when_streamed(self):
        """A streamed report's errors are capped as a held report's are."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=tuple(SavedIssue(message=f"bad {i}") for i in range(60)),
            streamed=FindingCounts(),
        )

        markup = nb.report_html(report, max_rows=None, max_engagements=None)

        assert 50 == markup.count("<li>")
        assert "10 more load errors not shown" in markup

    def test_few_errors_all_listed(self):
        """Fifty errors of a kind are all listed, with no note."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=tuple(SavedIssue(message=f"bad {i}") for i in range(50)),
        )

        markup = nb.report_html(report)

        assert 50 == markup.count("<li>")
        assert "not shown" not in markup


def result(engagement, score, findings=()):
    return EngagementResult(
        id=engagement,
        score=score,
        categories={"clarity": score},
        source=None,
        findings=tuple(findings),
    )


def finding(**changes):
    values = {
        "rule": "OSK101",
        "slug": "no-objectives",
        "category": "clarity",
        "severity": Severity.ERROR,
        "engagement": "a",
        "path": "objectives",
        "message": "No objectives are stated",
        "fix": "Write them down.",
    }
    values.update(changes)
    return Finding(**values)


def compared(new=(), fixed=(), unchanged=()):
    """A comparison of a check as of 2026-11-22 with one of 2026-06-01."""
    return ReportDiff(
        new=tuple(new),
        fixed=tuple(fixed),
        unchanged=tuple(unchanged),
        as_of=AS_OF,
        baseline_as_of=dt.date(2026, 6, 1),
    )


class TestDiffHtml:
    def test_headline(self):
        """The comparison names both dates, its counts and the new by severity."""
        diff = compared(
            new=[finding(), finding(engagement="b", severity=Severity.INFO)],
            fixed=[finding(engagement="c")],
            unchanged=[finding(engagement="d")] * 3,
        )

        markup = diff._repr_html_()

        assert (
            "outsourcekit comparison as of 2026-11-22 against the baseline of "
            "2026-06-01: 2 new, 1 fixed, 3 unchanged"
        ) in markup
        assert "3 findings unchanged, not listed" in markup
        assert markup == nb.diff_html(diff)

    def test_tables(self):
        """The new findings are the first table, the fixed ones the second."""
        diff = compared(
            new=[finding(), finding(engagement="b")],
            fixed=[finding(engagement="c", rule="OSK108")],
            unchanged=[finding(engagement="d")],
        )

        markup = nb.diff_html(diff)

        assert [("a", "OSK101 no-objectives"), ("b", "OSK101 no-objectives")] == [
            (r[0], r[2]) for r in rows(markup, 0)
        ]
        assert [("c", "OSK108 no-objectives")] == [
            (r[0], r[2]) for r in rows(markup, 1)
        ]
        assert 2 == len(re.findall("<tbody>", markup))

    def test_nothing_changed(self):
        """A comparison without new or fixed findings says so."""
        markup = nb.diff_html(ReportDiff(new=(), fixed=(), unchanged=()))

        assert "outsourcekit comparison: 0 new, 0 fixed, 0 unchanged" in markup
        assert "<p>No new findings.</p>" in markup
        assert "<p>No fixed findings.</p>" in markup

    def test_capped(self):
        """At most max_rows findings of each kind are listed, the rest counted."""
        many = [finding(engagement=f"e{i:04d}") for i in range(5_000)]
        diff = compared(new=many, fixed=many[:250], unchanged=many)

        markup = diff._repr_html_()
        five = nb.diff_html(diff, max_rows=5)
        every = nb.diff_html(diff, max_rows=None)

        assert [200, 200] == [len(rows(markup, i)) for i in (0, 1)]
        assert (
            '<p class="osk-muted">4800 more findings not shown; '
            "<code>diff.new</code> has them all.</p>"
        ) in markup
        assert (
            '<p class="osk-muted">50 more findings not shown; '
            "<code>diff.fixed</code> has them all.</p>"
        ) in markup
        assert [5, 5] == [len(rows(five, i)) for i in (0, 1)]
        assert [5_000, 250] == [len(rows(every, i)) for i in (0, 1)]
        assert len(markup) < 120_000


class TestReportRepr:
    def test_counts(self):
        """The one-line form gives date, size, score, counts and waived."""
        findings = [
            finding(),
            finding(severity=Severity.INFO, rule="OSK108"),
            finding(severity=Severity.INFO, rule="OSK406", waived="Later"),
        ]
        report = Report(
            as_of=AS_OF, findings=findings, engagements=[result("a", 83, findings)]
        )

        assert (
            "<Report as of 2026-11-22: 1 engagement, score 83, 2 findings "
            "(1 error, 1 info), 1 waived>"
        ) == nb.report_repr(report)

    def test_empty(self):
        """An empty report has no score and no counts."""
        report = Report(as_of=AS_OF, findings=(), engagements=())

        assert (
            "<Report as of 2026-11-22: 0 engagements, score n/a, 0 findings, 0 waived>"
        ) == nb.report_repr(report)

    @pytest.mark.parametrize("streamed", [None, FindingCounts()])
    def test_errors(self, streamed):
        """Load, rule and plugin errors are counted: not all was checked."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            errors=[SavedIssue(message="bad"), SavedIssue(message="worse")],
            rule_errors=[
                RuleError(rule="X1", engagement="e", type="KeyError", message="k")
            ],
            plugin_errors=[PluginError(plugin="p", message="cannot be imported")],
            streamed=streamed,
        )
        streaming = "" if streamed is None else ", findings streamed"

        assert (
            "<Report as of 2026-11-22: 0 engagements, score n/a, 0 findings, "
            f"0 waived, 2 load errors, 1 rule error, 1 plugin error{streaming}>"
        ) == nb.report_repr(report)

    def test_one_kind_of_error(self):
        """Only the kinds of errors the report has are counted."""
        report = Report(
            as_of=AS_OF,
            findings=(),
            engagements=(),
            rule_errors=[
                RuleError(rule="X1", engagement="e", type="KeyError", message="k")
            ],
        )

        assert nb.report_repr(report).endswith(", 0 waived, 1 rule error>")


class TestEngagementResult:
    def test_repr(self):
        """An engagement's result is one line: id, score, counts and waived."""
        findings = [
            finding(),
            finding(severity=Severity.INFO, rule="OSK108"),
            finding(severity=Severity.INFO, rule="OSK406", waived="Later"),
        ]

        assert (
            "<EngagementResult a: score 83, 2 findings (1 error, 1 info), 1 waived>"
        ) == repr(result("a", 83, findings))

    def test_repr_of_many_findings(self):
        """The one line does not grow with the findings: 5,000 are counted."""
        findings = [finding(path=f"kpis[k{i}]") for i in range(5_000)]

        assert (
            "<EngagementResult a: score 0, 5000 findings (5000 error), 0 waived>"
        ) == repr(result("a", 0, findings))

    def test_html(self, report):
        """In a notebook: the score, the category scores and the findings."""
        shown = max(report.engagements, key=lambda e: len(e.findings))

        markup = shown._repr_html_()

        assert f"<strong>{shown.id}</strong>: score {shown.score}" in markup
        assert [[str(v) for v in shown.categories.values()]] == rows(markup, 0)
        assert len(shown.findings) == len(rows(markup, 1))
        assert {"script", "img"}.isdisjoint(parse(markup).tags)

    def test_html_capped(self):
        """Of 5,000 findings the first 200 are listed, the rest counted."""
        findings = [finding(path=f"kpis[k{i}]") for i in range(5_000)]

        markup = result("a", 0, findings)._repr_html_()

        assert 200 == len(rows(markup, 1))
        assert (
            '<p class="osk-muted">4800 more findings not shown; '
            "<code>result.findings</code> has them all.</p>"
        ) in markup
        assert len(markup) < 120_000

    def test_streamed(self, engagements):
        """Of a report whose findings went to a sink, the result says so.

        It counts no findings it does not hold: zero would read as none found.
        """
        streamed = check_stream(
            engagements, sink=Discard(), as_of=AS_OF, rules=BUILTIN_RULES
        )
        held = check(engagements, as_of=AS_OF, rules=BUILTIN_RULES)
        shown = streamed.by_engagement["cobblestone-hr-payroll"]

        markup = shown._repr_html_()

        assert held.by_engagement[shown.id].findings
        assert (
            f"<EngagementResult cobblestone-hr-payroll: score {shown.score}, "
            "findings streamed>"
        ) == repr(shown)
        assert "Findings: none" not in markup
        assert (
            "<p>The findings went to a sink (<code>check_stream</code>): this "
            "report holds the engagement's score, not its findings.</p>"
        ) in markup
        assert [[str(v) for v in shown.categories.values()]] == rows(markup, 0)

    def test_held_with_no_findings(self, report):
        """A result of a check that holds its findings counts them, none too."""
        shown = min(report.engagements, key=lambda e: len(e.findings))
        markup = result(shown.id, 100)._repr_html_()

        assert f"<EngagementResult {shown.id}: score 100, 0 findings, 0 waived>" == (
            repr(result(shown.id, 100))
        )
        assert "Findings: none; 0 waived." in markup
        assert "sink" not in markup

    def test_html_escaped(self):
        """Every value of a result read back from a document is escaped."""
        shown = result(SCRIPT, 50, [finding(engagement=SCRIPT, path=SCRIPT)])

        parsed = parse(shown._repr_html_())

        assert "script" not in parsed.tags
        assert SCRIPT in "".join(parsed.text)


class TestEngagementHtml:
    def test_facts(self, engagements):
        """Key facts are shown: status, parties, agreements, check-ins, KPIs."""
        engagement = next(e for e in engagements if e.id == "cobblestone-hr-payroll")

        text = "".join(parse(nb.engagement_html(engagement)).text)

        assert engagement.title in text
        assert f"status{engagement.status}" in text
        assert engagement.vendor.name in text
        assert str(engagement.communication.check_ins) in text
        assert all(k.name in text for k in engagement.kpis)
        assert all(
            f"{a.kind} signed {a.signed_on}" in text for a in engagement.agreements
        )

    def test_many_agreements_and_kpis(self):
        """Of many agreements and KPIs the first 50 show, the rest counted."""
        engagement = Engagement(
            id="big",
            kpis=tuple(KPI(name=f"kpi {i}", target=1) for i in range(3000)),
            agreements=tuple(
                Agreement(
                    kind=AgreementKind.NDA, signed_on=dt.date(2026, 1, i % 28 + 1)
                )
                for i in range(60)
            ),
        )

        markup = nb.engagement_html(engagement)
        text = "".join(parse(markup).text)

        assert "kpi 49 (target 1); 2950 more KPIs not shown (engagement.kpis " in text
        assert "kpi 50 " not in text
        assert (
            "nda signed 2026-01-22; 10 more agreements not shown "
            "(engagement.agreements has them all)"
        ) in text
        assert len(markup) < 10_000

    def test_unknown_facts_left_out(self):
        """An engagement with only an id shows only its id."""
        markup = nb.engagement_html(Engagement(id="bare"))

        assert [] == rows(markup, 0)
        assert "<strong>bare</strong>" in markup

    def test_with_report(self, engagements, report):
        """With a report, the score, category scores and findings follow."""
        engagement = next(e for e in engagements if e.id == "fernleaf-refill-research")
        result = report.by_engagement[engagement.id]

        markup = nb.engagement_html(engagement, report)

        assert f"Score <strong>{result.score}</strong> as of 2026-11-22" in markup
        assert [[str(v) for v in result.categories.values()]] == rows(markup, 1)
        assert [(f.severity.value, f"{f.rule} {f.slug}") for f in result.findings] == [
            (r[0], r[1]) for r in rows(markup, 2)
        ]

    def test_not_in_report(self, report):
        """An engagement the report lacks is said to be missing from it."""
        markup = nb.engagement_html(Engagement(id="elsewhere"), report)

        assert "Not in the report as of 2026-11-22." in markup

    def test_streamed_report(self, engagements):
        """Of a report whose findings went to a sink, the display says so."""
        engagement = next(e for e in engagements if e.id == "prairie-lane-va")
        streamed = check_stream(
            engagements, sink=Discard(), as_of=AS_OF, rules=BUILTIN_RULES
        )
        score = streamed.by_engagement[engagement.id].score

        markup = nb.engagement_html(engagement, streamed)

        assert (
            f"<p>Score <strong>{score}</strong> as of 2026-11-22.</p>"
            "<p>The findings went to a sink (<code>check_stream</code>): this "
            "report holds the engagement's score, not its findings.</p>"
        ) in markup
        assert "findings: none" not in markup
        assert 2 == markup.count("<table")

    def test_whole_numbers(self):
        """Whole numbers show exactly, however large; fractions as written."""
        huge = 10**400
        engagement = Engagement(
            id="a",
            hours_per_week=huge,
            kpis=[
                KPI(
                    name="n",
                    target=huge,
                    measurements=[Measurement(at=dt.date(2026, 3, 1), value=huge)],
                ),
                KPI(name="m", target=1_000_000),
                KPI(name="f", target=2.5),
            ],
        )

        text = "".join(parse(nb.engagement_html(engagement)).text)

        assert f"hours per week{huge}" in text
        assert f"n (target {huge}, latest {huge} on 2026-03-01)" in text
        assert "m (target 1000000)" in text
        assert "f (target 2.5)" in text
        assert nb.engagement_html(engagement) == engagement._repr_html_()

    def test_whole_number_beyond_text(self):
        """A whole number of more digits than Python writes shows rounded."""
        engagement = Engagement(id="a", hours_per_week=10**5000 + 7)

        text = "".join(parse(engagement._repr_html_()).text)

        assert "hours per week1.000000e+5000" in text

    def test_loaded_whole_number(self):
        """A very large whole number read from a file shows in full."""
        engagement = loads(
            "id: k\nkpis:\n  - name: n\n    target: 1" + "0" * 400 + "\n",
            format="yaml",
        )

        assert f"n (target {10**400})" in "".join(parse(engagement._repr_html_()).text)

    def test_latest_measurement(self):
        """A KPI shows its target, direction and latest measurement."""
        engagement = Engagement(
            id="a",
            kpis=[
                KPI(
                    name="csat",
                    target=4.5,
                    measurements=[
                        Measurement(at=dt.date(2026, 3, 1), value=4.8),
                        Measurement(at=dt.date(2026, 1, 1), value=4.1),
                    ],
                )
            ],
        )

        assert "csat (target 4.5, latest 4.8 on 2026-03-01)" in nb.engagement_html(
            engagement
        )

    def test_latest_measurement_known_at_report_date(self):
        """With a report, a KPI's latest measurement is the latest known at its as_of.

        A measurement dated after it is not known yet, as for the rules; the
        engagement alone shows the latest the file holds.
        """
        engagement = loads(
            "id: a\nstatus: active\nstart: 2026-01-05\n"
            "kpis:\n  - name: close-time\n    target: 5\n    direction: lower\n"
            "    measurements:\n"
            "      - {at: 2026-10-06, value: 7}\n"
            "      - {at: 2026-11-05, value: 6}\n"
            "      - {at: 2026-12-05, value: 3}\n",
            format="yaml",
        )
        report = check(engagement, as_of=AS_OF, rules=BUILTIN_RULES)

        shown = "".join(parse(nb.engagement_html(engagement, report)).text)
        alone = "".join(parse(nb.engagement_html(engagement)).text)

        assert "close-time (target 5, lower is better, latest 6 on 2026-11-05)" in shown
        assert "2026-12-05" not in shown
        assert "latest 3 on 2026-12-05" in alone

    def test_latest_measurement_time_known_at_report_date(self):
        """Date-times are known and ordered as the rules take them.

        One taken after 00:00 of the report's as_of in the client's time zone
        is not known yet; of the others, the latest moment wins, whatever the
        offsets written.
        """
        engagement = loads(
            "id: a\nclient: {timezone: Europe/London}\n"
            "kpis:\n  - name: csat\n"
            "    measurements:\n"
            "      - {at: '2026-11-05T23:00:00-05:00', value: 4.1}\n"
            "      - {at: '2026-11-06T01:00:00+00:00', value: 4.2}\n"
            "      - {at: '2026-11-22T09:00:00', value: 4.9}\n",
            format="yaml",
        )
        report = check(engagement, as_of=AS_OF, rules=BUILTIN_RULES)

        shown = "".join(parse(nb.engagement_html(engagement, report)).text)

        assert "csat (latest 4.1 on 2026-11-05 23:00:00-05:00)" in shown


class TestFindingHtml:
    def test_fields(self):
        """A finding shows its rule, where it is, message, fix, evidence and waiver."""
        markup = nb.finding_html(
            finding(
                source="a.yaml",
                line=4,
                evidence={"since": dt.date(2026, 1, 5), "ids": ["b", "a"]},
                waived="Accepted until March",
            )
        )

        assert [
            ["a"],
            ["objectives"],
            ["a.yaml:4"],
            ["No objectives are stated"],
            ["Write them down."],
            ["since: 2026-01-05; ids: b, a"],
            ["Accepted until March"],
        ] == rows(markup, 0)
        assert '<span class="osk-error">error</span> OSK101 no-objectives' in markup

    def test_nested_evidence(self):
        """Nested evidence shows as the JSON output writes it: nothing is lost.

        A list of lists is no longer joined into one list, nor a mapping
        shown with Python's tuples and frozensets.
        """
        markup = nb.finding_html(
            finding(
                evidence={
                    "grid": [[1, 2], [3]],
                    "flat": [1, 2, 3],
                    "per": {"b": {"x", "y"}, "c": [dt.date(2026, 1, 5), None]},
                    "names": ["Smith, J.", "Lee"],
                }
            )
        )

        assert (
            "grid: [[1, 2], [3]]; flat: 1, 2, 3; "
            'per: {"b": ["x", "y"], "c": ["2026-01-05", null]}; '
            'names: ["Smith, J.", "Lee"]'
        ) == rows(markup, 0)[-1][0]

    def test_lists_that_read_ambiguously_joined(self):
        """An empty list, and a list holding blanks, nulls or yes-and-no, show as JSON.

        Joined with commas, an empty list and a list of one empty text would
        both show as nothing, and a null among the values as Python's None.
        """
        markup = nb.finding_html(
            finding(
                evidence={
                    "checklist": [],
                    "blank": ["", "a"],
                    "maybe": [None, 1],
                    "flags": (True, False),
                    "days": [dt.date(2026, 1, 5), dt.date(2026, 2, 5)],
                }
            )
        )

        assert (
            'checklist: []; blank: ["", "a"]; maybe: [null, 1]; '
            "flags: [true, false]; days: 2026-01-05, 2026-02-05"
        ) == rows(markup, 0)[-1][0]


class TestWhatIsNoFinding:
    def test_findings(self, report):
        """The findings of a report are refused, saying to show one."""
        with pytest.raises(TypeError) as info:
            nb.finding_html(report.findings)

        assert str(info.value).startswith(
            "finding_html() expects a Finding, got (Finding(rule="
        )
        assert str(info.value).endswith(
            "(a list): show one finding (report.findings[0]), or them all with "
            "report_html(report)"
        )

    def test_report(self, report):
        """A report is no comparison: diff_html() says how to make one."""
        with pytest.raises(TypeError) as info:
            nb.diff_html(report)

        assert str(info.value).startswith(
            "diff_html() expects a ReportDiff, got <Report as of 2026-11-22"
        )
        assert str(info.value).endswith(
            "(a Report): compare with a baseline, report.diff(baseline)"
        )


class TestRules:
    def test_table(self):
        """One row per rule: code, slug, title, category, severity, options."""
        markup = nb.rules_html(BUILTIN_RULES)
        table = rows(markup, 0)

        assert [(r.code, r.slug, r.severity.value) for r in BUILTIN_RULES] == [
            (t[0], t[1], t[4]) for t in table
        ]
        assert f"{len(BUILTIN_RULES)} rules" in markup
        assert "1 rule</div>" in nb.rules_html(BUILTIN_RULES[:1])

    def test_options(self):
        """A rule's options are shown with their defaults."""
        micromanagement = next(r for r in BUILTIN_RULES if r.code == "OSK301")

        (row,) = rows(nb.rules_html([micromanagement]), 0)

        assert "max-per-week=5" == row[5]

    def test_duration_option(self):
        """A duration option's default is shown as configuration writes it."""
        overlap = next(r for r in BUILTIN_RULES if r.code == "OSK501")

        (row,) = rows(nb.rules_html([overlap]), 0)

        assert "min-overlap=2h" == row[5]

    def test_derived_option(self):
        """A default the rule works out is shown as explain shows it, not as None."""
        measured = next(r for r in BUILTIN_RULES if r.code == "OSK703")

        (row,) = rows(nb.rules_html([measured]), 0)

        assert "max-days=(derived)" == row[5]

    def test_catalogue(self):
        """A RuleCatalogue is a list that shows as the rules' table."""
        catalogue = nb.RuleCatalogue(BUILTIN_RULES)

        assert list(BUILTIN_RULES) == catalogue
        assert nb.rules_html(BUILTIN_RULES) == catalogue._repr_html_()

    def test_catalogue_slice(self):
        """A slice of the catalogue is a catalogue; one item of it a rule."""
        catalogue = nb.RuleCatalogue(BUILTIN_RULES)

        first = catalogue[:5]

        assert (nb.RuleCatalogue, list(BUILTIN_RULES[:5])) == (type(first), first)
        assert nb.rules_html(BUILTIN_RULES[:5]) == first._repr_html_()
        assert (BUILTIN_RULES[0], BUILTIN_RULES[-1]) == (catalogue[0], catalogue[-1])
        assert nb.RuleCatalogue is type(catalogue[::-1])


def kept_text(value):
    """The text Jupyter keeps of a shown *value* beside its HTML (``text/plain``)."""
    formatters = pytest.importorskip("IPython.core.formatters")
    data, _ = formatters.DisplayFormatter().format(value)
    return data["text/plain"]


class TestKeptText:
    def test_engagement(self):
        """A shown engagement keeps one line of text, however much it holds.

        Its HTML shows the facts; ``repr()`` stays in full.
        """
        engagement = Engagement(
            id="big",
            status=Status.ACTIVE,
            start=dt.date(2024, 1, 1),
            end=dt.date(2026, 12, 31),
            tasks=tuple(Task(name=f"task {i}") for i in range(2000)),
            check_ins=tuple(
                CheckIn(at=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + i * DAY)
                for i in range(2000)
            ),
        )

        assert (
            "<Engagement big: active, 2024-01-01 to 2026-12-31, 2000 tasks, "
            "2000 check-ins>"
        ) == kept_text(engagement)
        assert repr(engagement).startswith("Engagement(id='big', title=None,")
        assert len(repr(engagement)) > 100_000

    def test_engagement_dates(self):
        """An engagement of one date or none says what it knows."""
        assert ["<Engagement a>", "<Engagement b: from 2026-01-05>"] == [
            kept_text(Engagement(id="a")),
            kept_text(Engagement(id="b", start=dt.date(2026, 1, 5))),
        ]
        assert "<Engagement c: proposed, until 2026-12-31>" == kept_text(
            Engagement(id="c", status=Status.PROPOSED, end=dt.date(2026, 12, 31))
        )

    def test_engagements(self, engagements):
        """A shown list of engagements keeps a line of text per engagement."""
        text = kept_text(engagements)

        assert len(engagements) == text.count("<Engagement ")
        assert len(text) < 200 * len(engagements)

    def test_catalogue(self):
        """The shown rule catalogue keeps one line; ``repr()`` lists the rules."""
        catalogue = nb.RuleCatalogue(BUILTIN_RULES)
        categories = len({r.category for r in BUILTIN_RULES})

        assert (
            f"<RuleCatalogue: {len(BUILTIN_RULES)} rules in {categories} categories>"
            == kept_text(catalogue)
        )
        assert "<RuleCatalogue: 1 rule in 1 category>" == kept_text(
            nb.RuleCatalogue(BUILTIN_RULES[:1])
        )
        assert repr(list(BUILTIN_RULES)) == repr(catalogue)

    def test_rules(self):
        """A shown list of rules keeps a line per rule; ``repr()`` of one is in full."""
        rules = list(BUILTIN_RULES)
        first = rules[0]

        text = kept_text(rules)

        assert (
            f"[<Rule {first.code} {first.slug}: {first.category}, {first.severity}>,"
            == text.splitlines()[0]
        )
        assert len(rules) == text.count("<Rule ")
        assert len(text) < 80 * len(rules)
        assert repr(first).startswith(f"Rule(code='{first.code}', slug=")

    def test_by_engagement(self):
        """The shown results by id keep at most 1,000 lines, as a shown dict does.

        ``repr()`` holds them all.
        """
        many = check(
            [Engagement(id=f"e{i:04d}") for i in range(1100)],
            as_of=AS_OF,
            rules=BUILTIN_RULES,
        )

        text = kept_text(many.by_engagement)

        assert 1000 == text.count("<EngagementResult ")
        assert text.startswith("{'e0000': <EngagementResult e0000: score ")
        assert text.endswith(", ...}")
        assert 1100 == repr(many.by_engagement).count("<EngagementResult ")

    def test_few_items(self):
        """A shown mapping of few items keeps its ``repr()``, long numbers rounded."""
        evidence = finding(evidence={"n": 10**5000, "few": [2]}).evidence

        assert "{'n': 1.000000e+5000, 'few': (2,)}" == kept_text(evidence)
        assert repr(evidence) == kept_text(evidence)

    def test_finding(self):
        """A shown finding keeps one line, its evidence left to ``repr()``.

        Line breaks and control characters of the message show escaped.
        """
        shown = finding(
            message="Two\nlines \x1b[31mred\u202e",
            evidence={"days": tuple(range(1000))},
        )
        waived = finding(waived="accepted until March")

        assert (
            "<Finding OSK101 no-objectives (error) a objectives: "
            "Two\\nlines \\x1b[31mred\\u202e>"
        ) == kept_text(shown)
        assert (
            "<Finding OSK101 no-objectives (error, waived) a objectives: "
            "No objectives are stated>"
        ) == kept_text(waived)
        assert "evidence={'days': (0, 1, 2," in repr(shown)

    def test_read_back_escaped(self):
        """Of a report read back, every text of the one line shows escaped.

        A document names any text as a rule, a slug or an engagement's id: a
        line break or a terminal's escape there is shown, never acted on.
        """
        doc = report_of_one().to_dict()
        doc["engagements"][0]["id"] = "a\n\x1b[2Jb"
        for entry in doc["findings"]:
            entry.update(engagement="a\n\x1b[2Jb", rule="OSK\n1", slug="x\ry")
        back = Report.from_dict(doc)

        assert (
            "<Finding OSK\\n1 x\\ry (error) a\\n\\x1b[2Jb objectives: "
            "No objectives are stated>"
        ) == kept_text(back.findings[0])
        assert (
            "<EngagementResult a\\n\\x1b[2Jb: score 83, 2 findings (2 error), 0 waived>"
        ) == repr(back.engagements[0])

    def test_findings(self, report):
        """A shown list of findings keeps a line per finding."""
        text = kept_text(report.findings)

        assert len(report.findings) == text.count("<Finding ")
        assert len(text) < 250 * len(report.findings)

    def test_report(self, report):
        """A shown report, result or comparison keeps its one-line ``repr()``."""
        result = report.engagements[0]
        diff = report.diff(report)

        assert [repr(report), repr(result), repr(diff)] == [
            kept_text(v) for v in (report, result, diff)
        ]


class Discard:
    """A report sink that keeps nothing."""

    def begin(self, as_of, rules):
        """Start of the check."""

    def findings(self, batch):
        """A chunk's findings, dropped."""

    def end(self, report):
        """End of the check."""


def report_of_one():
    findings = [finding(), finding(rule="OSK108")]
    return Report(
        as_of=AS_OF, findings=findings, engagements=[result("a", 83, findings)]
    )


SHOWS = {
    "report_html": lambda count: nb.report_html(report_of_one(), max_rows=count),
    "report_html engagements": lambda count: nb.report_html(
        report_of_one(), max_engagements=count
    ),
    "engagement_html": lambda count: nb.engagement_html(
        Engagement(id="a"), report_of_one(), max_rows=count
    ),
    "diff_html": lambda count: nb.diff_html(compared(new=[finding()]), max_rows=count),
}


class TestCounts:
    @pytest.mark.parametrize("show", list(SHOWS))
    @pytest.mark.parametrize("count", [-1, -3])
    def test_negative(self, show, count):
        """A negative number of rows is refused, not read as a slice."""
        name = "max_engagements" if "engagements" in show else "max_rows"

        with pytest.raises(ValueError, match="must be at least 0") as info:
            SHOWS[show](count)

        assert f"{name} must be at least 0 (got {count})" == str(info.value)

    @pytest.mark.parametrize("show", list(SHOWS))
    @pytest.mark.parametrize(
        ("count", "got"),
        [(True, "True"), (2.0, "2.0 (a number)"), ("2", "'2' (text)")],
    )
    def test_not_whole(self, show, count, got):
        """A number of rows that is no whole number is refused, naming the value."""
        name = "max_engagements" if "engagements" in show else "max_rows"

        with pytest.raises(TypeError) as info:
            SHOWS[show](count)

        assert f"{name} must be a whole number or None (got {got})" == str(info.value)

    @pytest.mark.parametrize("show", list(SHOWS))
    def test_integer_types(self, show):
        """Any integer type is a whole number: numpy's, or one with __index__."""
        np = pytest.importorskip("numpy")

        class Index:
            def __index__(self):
                return 1

        assert SHOWS[show](np.int64(1)) == SHOWS[show](1) == SHOWS[show](Index())

    @pytest.mark.parametrize("show", list(SHOWS))
    def test_zero_and_none(self, show):
        """Zero rows and None (all of them) are taken."""
        assert SHOWS[show](0).startswith("<div")
        assert SHOWS[show](None).startswith("<div")

    def test_diff_counts_in_the_singular(self):
        """One unchanged finding is named in the singular."""
        markup = nb.diff_html(compared(new=[finding()], unchanged=[finding()]))

        assert "1 finding unchanged, not listed" in markup


class TestPortfolioScoreShown:
    """The portfolio score shows as the engagements' scores do, whole if it is."""

    @pytest.fixture(params=[([94, 94], "94"), ([93, 94], "93.5")])
    def scored(self, request):
        """A report whose portfolio score is 94.0 or 93.5, and how it shows."""
        scores, shown = request.param
        results = [result(f"e{i}", s) for i, s in enumerate(scores)]
        return Report(as_of=AS_OF, findings=(), engagements=results), shown

    def test_repr_and_html(self, scored):
        """The report's repr and display."""
        report, shown = scored

        assert f"score {shown}, 0 findings" in nb.report_repr(report)
        assert f"portfolio score {shown}</div>" in nb.report_html(report)

    @pytest.mark.parametrize("name", ["text", "concise", "markdown", "html"])
    def test_formats(self, scored, name):
        """The formats for people, whose summaries name it."""
        report, shown = scored
        exporter = {
            "text": text_format,
            "concise": concise_format,
            "markdown": markdown_format,
            "html": html_format,
        }[name].EXPORTER

        written = exporter(report)

        expected = {
            "text": f"portfolio score {shown}\n",
            "concise": f"portfolio score {shown}\n",
            "markdown": f"| 0 | {shown} |",
            "html": f"<b>{shown}</b>portfolio score",
        }[name]
        assert expected in written
        assert "94.0" not in written

    def test_charts(self, scored):
        """The charts' label of the portfolio's mean."""
        report, shown = scored
        labels = [
            label
            for chart in (nb.plot_scores, nb.plot_ranking)
            for label in chart(report).axes[0].get_legend_handles_labels()[1]
        ]

        assert f"portfolio {shown}" in labels

    def test_history(self):
        """The history's trend table in a notebook, as on the command line."""
        engagement = Engagement(id="a")
        days = [AS_OF]
        made = history([engagement], dates=days, rules=[])

        assert '<td class="num">100</td>' in made._repr_html_()
