"""Tests of the HTML report's layout: summary, engagements, rules, large portfolios."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from outsourcekit.builtin.exporters import html as html_format
from outsourcekit.engine import EngagementResult, PluginError, Report, RuleError
from outsourcekit.engine._report import SavedIssue


class TestLayout:
    def test_summary_first(self, examples):
        """The summary (score, worst engagements, categories) comes before the rest."""
        out = html_format.export(examples)

        order = [out.index(f'id="{part}"') for part in ("summary", "engagements")]
        assert sorted(order) == order
        assert 'id="worst-table"' in out
        assert 'id="category-table"' in out

    def test_worst_engagements(self, examples):
        """The worst engagements are the five lowest scores, lowest first."""
        out = html_format.export(examples)
        worst = re.search(r'id="worst-table">(.*?)</table>', out, re.DOTALL)[1]
        ranked = sorted(examples.engagements, key=lambda e: (e.score, e.id))[:5]

        assert [e.id for e in ranked] == re.findall(r'data-open="([^"]+)"', worst)

    def test_one_group_per_engagement(self, examples):
        """Each engagement has its row and the findings it opens to."""
        out = html_format.export(examples)
        groups = re.findall(r'<tbody class="eng" data-engagement="([^"]+)"', out)

        assert [e.id for e in examples.engagements] == groups
        assert len(examples.findings) == out.count('<tr class="finding')

    def test_rules_explained(self, examples):
        """Every rule with a finding is explained once, in the page."""
        out = html_format.export(examples)

        assert sorted({f.rule for f in examples.findings}) == re.findall(
            r'<details class="rule-doc" id="rule-([^"]+)"', out
        )
        assert "<h4>Why it matters</h4>" in out

    def test_short_paths(self, examples):
        """Bundled examples' paths are shown short, the full path on hover."""
        out = html_format.export(examples)

        assert ">examples/" in out
        assert "site-packages" not in re.sub(r'title="[^"]*"', "", out)

    def test_no_baseline_column(self, examples):
        """Without a baseline there is no baseline column."""
        assert "<th>baseline</th>" not in html_format.export(examples)

    def test_baseline_column(self, examples, mixed):
        """Compared with a baseline, each finding says whether it is new."""
        if not hasattr(examples, "with_baseline"):
            pytest.skip("reports cannot be compared with a baseline yet")
        out = html_format.export(examples.with_baseline(mixed))

        assert "<th>baseline</th>" in out
        assert len(examples.findings) == out.count('<td class="baseline">new</td>')


class TestLarge:
    @pytest.fixture
    def small_limit(self, monkeypatch):
        """A limit of 20 findings, so the example portfolio counts as large."""
        monkeypatch.setattr(html_format, "LARGE", 20)
        monkeypatch.setattr(html_format, "TOP", 2)
        monkeypatch.setattr(html_format, "TOP_ENGAGEMENTS", 4)

    @pytest.mark.usefixtures("small_limit")
    def test_summary_page(self, examples):
        """A large portfolio gets the top findings per rule, not every finding."""
        out = html_format.export(examples)
        rules = {f.rule for f in examples.findings if f.waived is None}

        assert 'id="top-findings"' in out
        assert len(rules) == out.count('<div class="rule-top">')
        assert out.count('<td class="message">') <= 2 * len(rules)
        assert 0 == out.count('<tr class="finding')

    @pytest.mark.usefixtures("small_limit")
    def test_says_how_to_get_all(self, examples):
        """The page says how to get every finding."""
        out = html_format.export(examples)

        assert "--format jsonl" in out
        assert f"has {len(examples.findings)} findings" in out

    @pytest.mark.usefixtures("small_limit")
    def test_worst_engagements_only(self, examples):
        """Only the lowest-scoring engagements are listed."""
        out = html_format.export(examples)
        ranked = sorted(examples.engagements, key=lambda e: (e.score, e.id))[:4]

        assert [e.id for e in ranked] == re.findall(
            r'<tbody class="eng" data-engagement="([^"]+)"', out
        )

    def test_many_engagements_few_findings(self):
        """A portfolio of many engagements is a summary page however few findings.

        Each engagement's row and its opening part cost about 1 kB: 100,000
        healthy engagements made a page of 120 MB.
        """
        count = html_format.LARGE_ENGAGEMENTS + 1
        report = Report(
            as_of=dt.date(2026, 11, 22),
            findings=(),
            engagements=tuple(
                EngagementResult(
                    id=f"e{i:05}",
                    score=100,
                    categories={"clarity": 100},
                    source=None,
                    findings=(),
                )
                for i in range(count)
            ),
        )

        out = html_format.export(report)
        groups = re.findall(r'<tbody class="eng" data-engagement="([^"]+)"', out)

        assert html_format.TOP_ENGAGEMENTS == len(groups)
        assert f"This portfolio has {count} engagements and 0 findings" in out
        assert "--format jsonl" in out
        assert len(out) < 200_000
        # It searches what it lists: engagements, not rules or messages.
        assert 'id="filter-text" placeholder="engagement">' in out


class TestErrors:
    def test_all_listed(self, mixed):
        """A few errors are all listed, each kind after the other."""
        out = html_format.export(mixed)
        problems = re.search(r'<section id="problems">(.*?)</section>', out)[1]
        expected = len(mixed.errors) + len(mixed.rule_errors) + len(mixed.plugin_errors)

        assert expected == problems.count("<li>")
        assert "not listed" not in problems

    def test_summary_says_not_all_checked(self):
        """The summary says that errors left things unchecked, before its score.

        A rule failing on every engagement left a score of 100 at the top of
        the page, its errors listed at the bottom only.
        """
        report = Report(
            as_of=dt.date(2026, 11, 22),
            findings=(),
            engagements=(
                EngagementResult(
                    id="a", score=100, categories={}, source=None, findings=()
                ),
            ),
            errors=(SavedIssue(message="bad"), SavedIssue(message="worse")),
            rule_errors=(
                RuleError(rule="X1", engagement="a", type="KeyError", message="k"),
            ),
            plugin_errors=(PluginError(plugin="p", message="cannot be imported"),),
        )

        out = html_format.export(report)
        header = re.search(r"<header>(.*?)</header>", out, re.DOTALL)[1]

        assert (
            '<p class="note">Not everything was checked: 2 load errors, 1 rule '
            'error and 1 plugin error, <a href="#problems">listed below</a>.</p>'
        ) in header
        assert out.index(header) < out.index('id="summary"')

    def test_summary_quiet_without_errors(self, examples):
        """Without errors the summary says nothing of them."""
        assert "Not everything was checked" not in html_format.export(examples)

    def test_capped(self):
        """Of thousands of errors of a kind, the first 200 are listed, the rest counted.

        A rule failing on each of 26,000 engagements made a page of 4.4 MB of
        the same line.
        """
        report = Report(
            as_of=dt.date(2026, 11, 22),
            findings=(),
            engagements=(),
            errors=tuple(SavedIssue(message=f"bad {i}") for i in range(201)),
            rule_errors=tuple(
                RuleError(rule="X1", engagement=f"e{i}", type="KeyError", message="k")
                for i in range(26_000)
            ),
            plugin_errors=(PluginError(plugin="p", message="cannot be imported"),),
        )

        out = html_format.export(report)
        problems = re.search(r'<section id="problems">(.*?)</section>', out)[1]

        assert 200 + 200 + 1 == problems.count("<li>")
        assert (
            '<li class="muted">1 more load error not listed; '
            "<code>--format json</code> lists them all.</li>"
        ) in problems
        assert (
            '<li class="muted">25800 more rule errors not listed; '
            "<code>--format json</code> lists them all.</li>"
        ) in problems
        assert len(out) < 200_000
