"""Tests of ok.history: dates, reports equal to separate checks, frames and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import outsourcekit as ok
from outsourcekit import _dates
from outsourcekit._history import date_range, parse_range, trend_text
from outsourcekit.cli import cli
from outsourcekit.model import Engagement, Vendor

START = dt.date(2026, 1, 1)
MONTHLY = [dt.date(2026, m, 1) for m in range(1, 13)]
#: The columns of every portfolio frame, before those of the categories.
PORTFOLIO = [
    "as_of",
    "engagements",
    "score",
    "findings",
    "waived",
    "error",
    "warning",
    "info",
]


def one_date(category):
    """The history at one date of one engagement, a rule of *category* firing."""

    @ok.rule(
        code="TST950",
        slug="in-category",
        title="In a category",
        category=category,
        severity="warning",
        fix="Nothing to fix.",
    )
    def in_category(_engagement, ctx):
        yield ctx.finding("Found.", path="id")

    engagement = Engagement(id="a", vendor=Vendor(name="V"))
    return ok.history(engagement, dates=["2026-01-01"], rules=[in_category])


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio."""
    return ok.load(ok.examples_path())


@pytest.fixture(scope="module")
def yearly(engagements):
    """The examples checked on the first of every month of 2026."""
    return ok.history(engagements, start="2026-01-01", end="2026-12-01", every="month")


class TestDates:
    def test_month(self):
        """A monthly range holds the first of every month, both ends included."""
        assert MONTHLY == date_range("2026-01-01", "2026-12-01", "month")

    def test_month_end(self):
        """Months keep the start's day, or the month's last day where it is shorter."""
        expected = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
        assert expected == date_range("2026-01-31", "2026-03-31", "month")

    def test_week_and_quarter(self):
        """Weeks step by seven days, quarters by three months."""
        assert [START, dt.date(2026, 1, 8)] == date_range(START, "2026-01-14", "week")
        assert [START, dt.date(2026, 4, 1)] == date_range(
            START, "2026-06-30", "quarter"
        )

    def test_parse_range(self):
        """START..END/EVERY gives the range's dates; EVERY defaults to month."""
        assert MONTHLY == parse_range("2026-01-01..2026-12-01/month")
        assert MONTHLY[:2] == parse_range("2026-01-01..2026-02-01")

    @pytest.mark.parametrize(
        "value", ["2026-01-01", "2026-02-01..2026-01-01/month", "a..b/week", "x..y/day"]
    )
    def test_bad_range(self, value):
        """A text that is no range, a backwards range or an unknown step is refused."""
        with pytest.raises(ValueError, match=r"expected|before|every|date"):
            parse_range(value)

    @pytest.mark.parametrize("every", ["Month", "months", "monthly"])
    def test_step_suggested(self, every):
        """A step written otherwise than week, month or quarter names the closest."""
        with pytest.raises(
            ValueError,
            match=rf"^every must be one of week, month, quarter \(got '{every}'\) "
            r"\(did you mean 'month'\?\)$",
        ):
            date_range(START, "2026-12-31", every)

    @pytest.mark.parametrize("every", [1, None])
    def test_step_not_text(self, every):
        """A step that is no text is refused as one that is none of the steps."""
        with pytest.raises(
            ValueError,
            match=rf"^every must be one of week, month, quarter \(got {every}\)$",
        ):
            date_range(START, "2026-12-31", every)

    def test_too_many_dates(self, engagements, monkeypatch):
        """A range of more dates than a run checks is refused before any check."""

        def checked(*_args, **_kwargs):
            pytest.fail("a date was checked")

        monkeypatch.setattr("outsourcekit.engine.check", checked)

        with pytest.raises(
            ValueError,
            match=r"^the range 1900-01-01\.\.2999-12-31/week holds 57,396 dates, "
            r"more than the 1,000 one run checks: shorten the range$",
        ):
            ok.history(engagements, start="1900-01-01", end="2999-12-31", every="week")
        with pytest.raises(
            ValueError,
            match=r"^the range 2000-01-01\.\.2026-12-31/week holds 1,409 dates, "
            r"more than the 1,000 one run checks: shorten the range, or step by "
            r"month \(324 dates\) or quarter \(108 dates\)$",
        ):
            ok.history(engagements, start="2000-01-01", end="2026-12-31", every="week")

    def test_too_many_listed_dates(self, engagements, monkeypatch):
        """More dates listed than a run checks are refused; as many are checked."""
        monkeypatch.setattr(_dates, "HISTORY_DATES", 2)

        checked = ok.history(engagements, dates=MONTHLY[:2])

        assert 2 == len(checked)
        with pytest.raises(
            ValueError,
            match=r"^dates= holds 3 dates, more than the 2 one run checks: "
            r"give fewer$",
        ):
            ok.history(engagements, dates=MONTHLY[:3])

    def test_dates_or_range(self, engagements):
        """history() needs dates or a range, not both."""
        with pytest.raises(TypeError, match="either"):
            ok.history(engagements, dates=[START], start=START, end=START)
        with pytest.raises(TypeError, match="needs"):
            ok.history(engagements)

    @pytest.mark.parametrize("every", ["week", "month"])
    def test_every_with_dates(self, engagements, every):
        """every= steps a range: given with dates=, it is refused, not ignored."""
        with pytest.raises(
            TypeError,
            match=rf"^every= steps a range from start= to end=, not dates= "
            rf"\(got every='{every}' with dates=\): give start and end, or leave "
            r"every out$",
        ):
            ok.history(engagements, dates=[START, "2026-06-01"], every=every)

    def test_one_date_as_text(self, engagements):
        """A single date given as dates= says to give a list."""
        with pytest.raises(
            TypeError,
            match=r"^dates must be a list of dates, got '2026-01-01' "
            r"\(for one date, dates=\['2026-01-01'\]\)$",
        ):
            ok.history(engagements, dates="2026-01-01")

    def test_range_as_dates(self, engagements):
        """A range written as --history takes it, given as dates=, says how to ask."""
        with pytest.raises(
            TypeError,
            match=r"^dates must be a list of dates, got "
            r"'2026-01-01\.\.2026-12-01/week' \(for a range, start='2026-01-01', "
            r"end='2026-12-01', every='week'\)$",
        ):
            ok.history(engagements, dates="2026-01-01..2026-12-01/week")

    def test_dates_sorted_once(self, engagements):
        """Dates in any order, repeated or not, are checked once each, in order."""
        found = ok.history(engagements, dates=["2026-06-01", START, "2026-06-01"])

        assert [START, dt.date(2026, 6, 1)] == found.dates


class TestArguments:
    def test_one_rule(self, engagements):
        """One rule rather than a list is refused as check() refuses it."""
        rule = ok.rules()[0]

        with pytest.raises(
            TypeError,
            match=rf"^rules must be a list of Rule objects, got one rule "
            rf"\({rule.code}\): put it in a list$",
        ):
            ok.history(engagements, dates=[START], rules=rule)

    def test_rules_once(self, engagements):
        """Rules given as a generator judge every date."""
        rules = ok.rules()

        found = ok.history(engagements, dates=[START, "2026-06-01"], rules=iter(rules))

        assert [len(r.findings) for r in found] == [
            len(ok.check(engagements, as_of=day, rules=rules).findings)
            for day in found.dates
        ]

    @pytest.mark.parametrize("path", ["engagements/", Path("engagements")])
    def test_path(self, path):
        """A path is refused as check() refuses it, saying how to read files."""
        with pytest.raises(
            TypeError,
            match=r"^history\(\) expects Engagement objects \(one, or an iterable "
            r"of them\), got .*: read files with outsourcekit\.load\(\)$",
        ):
            ok.history(path, dates=[START])

    def test_errors_text(self, engagements):
        """errors= that is text is refused as check() refuses it."""
        with pytest.raises(TypeError, match=r"^errors must be a list of load errors"):
            ok.history(engagements, dates=[START], errors="bad.yaml")


class TestReports:
    def test_same_as_separate_checks(self, engagements, yearly):
        """Twelve monthly dates give the reports of twelve separate checks."""
        separate = [ok.check(engagements, as_of=day) for day in MONTHLY]

        assert MONTHLY == yearly.dates
        assert [r.findings for r in separate] == [r.findings for r in yearly]
        assert separate == list(yearly.reports)

    def test_plugins_named(self, engagements, yearly):
        """Each date's report names the plugins whose rules judged, as check's does."""
        separate = ok.check(engagements, as_of=MONTHLY[0])

        assert separate.plugins
        assert all(r.plugins == separate.plugins for r in yearly)
        assert all(
            r.to_dict()["plugins"] == separate.to_dict()["plugins"] for r in yearly
        )

    def test_made_of_saved_reports(self, engagements, yearly):
        """A history made of reports in any order holds them oldest first.

        As ``history()`` checks its dates: reports read back from files listed
        in any order make the same frames and trend.
        """
        shuffled = [yearly[5], yearly[0], yearly[11]]

        made = ok.History(reports=shuffled, engagements=tuple(engagements))

        assert [MONTHLY[0], MONTHLY[5], MONTHLY[11]] == made.dates
        assert made[0] is yearly[0]
        assert list(made.portfolio_frame()["as_of"].dt.date) == made.dates
        assert repr(made).endswith(
            f"score {yearly[0].portfolio_score:g} -> {yearly[11].portfolio_score:g}>"
        )

    def test_made_of_reports_alone(self, yearly):
        """Made of reports without the engagements, it counts the reports' ones."""
        made = ok.History(reports=[yearly[11], yearly[0]])

        assert repr(made).startswith(
            "<History 2 dates 2026-01-01 to 2026-12-01, 13 engagements, score "
        )
        assert "Health of 13 engagements at 2 dates" in made._repr_html_()

    def test_one_report_per_date(self, yearly):
        """Two reports of one date are refused: which one holds is not known."""
        with pytest.raises(ValueError, match="one report per date") as info:
            ok.History(reports=(yearly[3], yearly[0], yearly[3]))

        assert (
            "a history holds one report per date: reports 0 and 2 are both "
            "as of 2026-04-01"
        ) == str(info.value)

    def test_reports_only(self, engagements):
        """Anything but reports is refused, naming what was given."""
        with pytest.raises(TypeError) as info:
            ok.History(reports=engagements[:1])

        message = str(info.value)
        assert message.startswith(
            "History() takes reports (as outsourcekit.check() returns), got "
            "Engagement(id='brightside-pet-customer-support'"
        )
        assert message.endswith("(an Engagement) at index 0")

    def test_index(self, yearly):
        """A history is indexed by position or by date."""
        assert yearly.reports[2] is yearly[2]
        assert yearly.reports[5] is yearly["2026-06-01"]
        with pytest.raises(KeyError, match="no report of 2027-01-01"):
            yearly[dt.date(2027, 1, 1)]

    def test_index_of_numpy(self, yearly):
        """A numpy integer is a position, as pandas gives one."""
        assert yearly.reports[2] is yearly[np.int64(2)]
        assert yearly.reports[-1] is yearly[np.intp(-1)]

    @pytest.mark.parametrize("position", [12, -13])
    def test_position_out_of_range(self, yearly, position):
        """A position past the dates says how many there are."""
        with pytest.raises(
            IndexError,
            match=rf"^no report at position {position} of this history \(12 dates: "
            r"2026-01-01 to 2026-12-01\)$",
        ):
            yearly[position]

    def test_slice(self, yearly):
        """A slice of a history is the history of those dates."""
        part = yearly[1:3]

        assert isinstance(part, ok.History)
        assert MONTHLY[1:3] == part.dates
        assert yearly.reports[1:3] == part.reports
        assert repr(part).startswith("<History 2 dates 2026-02-01 to 2026-03-01, 13")

    @pytest.mark.parametrize(
        ("key", "message"),
        [
            (slice(None, None, -1), "a slice of a history steps forward"),
            (slice(5, 5), "the slice 5:5 holds no date of this history"),
            (slice(99, None), "the slice 99: holds no date of this history"),
        ],
    )
    def test_slice_oldest_first_and_not_empty(self, yearly, key, message):
        """A slice keeps the dates oldest first, and holds one at least."""
        with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
            yearly[key]

    def test_trend(self, yearly):
        """The trend has a row per date: the score, counts and worst engagements."""
        row = yearly.trend()[0]
        report = yearly[0]

        assert START == row["as_of"]
        assert report.portfolio_score == row["score"]
        assert report.summary["by_severity"].get("error", 0) == row["error"]
        assert 3 == len(row["worst"])
        assert min(e.score for e in report.engagements) == row["worst"][0][1]

    def test_trend_text(self, yearly):
        """The trend table has a header and one line per date."""
        lines = trend_text(yearly).splitlines()

        assert lines[0].startswith("as of")
        assert 13 == len(lines)
        assert lines[1].startswith("2026-01-01")

    def test_repr(self, yearly):
        """The one-line description names the dates and the score's way."""
        assert repr(yearly).startswith("<History 12 dates 2026-01-01 to 2026-12-01")

    def test_html(self, yearly):
        """The notebook table has one row per date, numbers right-aligned."""
        markup = yearly._repr_html_()

        assert 12 == markup.count("<tr>") - 1
        assert '<td class="num">' in markup

    def test_html_counts_errors(self, engagements, yearly):
        """With errors, the notebook table counts them at each date."""
        issue = ok.LoadIssue(
            source="b.yaml", line=1, column=1, path="id", message="bad id"
        )
        broken = ok.history(
            engagements[:1], dates=["2026-01-01", "2026-02-01"], errors=[issue]
        )

        markup = broken._repr_html_()

        assert '<th class="num">errors</th>' in markup
        assert 2 == markup.count('<td class="num">1</td></tr>')
        assert (
            "<p>Not everything was checked: the reports hold the errors of their "
            "dates (<code>history[date].errors</code>, <code>.rule_errors</code>, "
            "<code>.plugin_errors</code>).</p>"
        ) in markup
        assert "errors" not in yearly._repr_html_()

    def test_one_of_each(self, engagements):
        """One date and one engagement are named in the singular."""
        one = ok.history(engagements[:1], dates=[START])

        score = one.reports[0].portfolio_score
        assert f"<History 1 date 2026-01-01, 1 engagement, score {score:g}>" == repr(
            one
        )
        assert "Health of 1 engagement at 1 date, 2026-01-01" in one._repr_html_()

    @pytest.mark.parametrize("show", ["trend", "trend_text"])
    @pytest.mark.parametrize(
        ("worst", "error", "got"),
        [
            (-1, ValueError, "at least 0 (got -1)"),
            (True, TypeError, "a whole number (got True)"),
            ("2", TypeError, "a whole number (got '2' (text))"),
        ],
    )
    def test_bad_worst(self, yearly, show, worst, error, got):
        """A negative or not whole number of worst engagements is refused."""
        call = {
            "trend": lambda: yearly.trend(worst),
            "trend_text": lambda: trend_text(yearly, worst=worst),
        }[show]

        with pytest.raises(error) as info:
            call()

        assert f"worst must be {got}" == str(info.value)

    def test_no_worst(self, yearly):
        """worst=0 names no engagement; a number beyond them all names every one."""
        assert all([] == row["worst"] for row in yearly.trend(0))
        assert all(
            len(r.engagements) == len(row["worst"])
            for r, row in zip(yearly, yearly.trend(1000), strict=True)
        )

    def test_to_dict(self, yearly):
        """The JSON data holds one report document per date under history."""
        data = yearly.to_dict()

        assert ["2026-01-01", "2026-02-01"] == [r["as_of"] for r in data["history"][:2]]
        assert yearly[0].to_dict() == data["history"][0]


class TestFrames:
    def test_scores_frame(self, engagements, yearly):
        """One row per date and engagement with vendor, client and category scores."""
        frame = yearly.scores_frame()

        assert 12 * len(engagements) == len(frame)
        expected = ["as_of", "engagement", "vendor", "client", "score"]
        assert expected == list(frame.columns[:5])
        assert {"confidentiality", "clarity"} <= set(frame.columns)
        assert pd.Timestamp(START) == frame["as_of"].iloc[0]

    def test_portfolio_frame(self, yearly):
        """One row per date: the portfolio score and unwaived findings by severity."""
        frame = yearly.portfolio_frame()
        row = frame.iloc[0]
        summary = yearly[0].summary

        assert 12 == len(frame)
        assert summary["score"] == row["score"]
        assert summary["findings"] == row["findings"]
        assert summary["by_severity"]["warning"] == row["warning"]
        assert summary["findings"] == sum(row[c] for c in frame.columns[8:])

    @pytest.mark.parametrize(
        ("category", "column"),
        [
            ("engagement", "engagement (category)"),
            ("vendor", "vendor (category)"),
            ("client", "client (category)"),
            ("score", "score (category)"),
            ("error", "error"),
        ],
    )
    def test_scores_category_named_as_a_column(self, category, column):
        """A category named as a fixed column keeps both, its own marked."""
        scores = one_date(category).scores_frame()

        assert ["as_of", "engagement", "vendor", "client", "score", column] == list(
            scores.columns
        )
        assert ["a", "V", 94, 94] == list(
            scores.iloc[0][["engagement", "vendor", "score", column]]
        )

    @pytest.mark.parametrize(
        ("category", "column"),
        [
            ("engagements", "engagements (category)"),
            ("score", "score (category)"),
            ("findings", "findings (category)"),
            ("waived", "waived (category)"),
            ("error", "error (category)"),
            ("vendor", "vendor"),
        ],
    )
    def test_portfolio_category_named_as_a_column(self, category, column):
        """A category named as a fixed column keeps both, its own marked."""
        portfolio = one_date(category).portfolio_frame()

        assert [*PORTFOLIO, column] == list(portfolio.columns)
        assert [1, 94.0, 1, 0, 0, 1, 0, 1] == list(portfolio.iloc[0][1:])

    def test_findings_frame_as_the_reports_frames(self, engagements, yearly):
        """The findings frame is every date's findings frame, one after the other."""
        frames = [r.to_pandas(engagements) for r in yearly]
        every = sorted({c for f in frames for c in f["category"].cat.categories})
        for frame in frames:
            frame["category"] = frame["category"].cat.set_categories(every)

        pd.testing.assert_frame_equal(
            pd.concat(frames, ignore_index=True), yearly.findings_frame()
        )

    def test_findings_frame(self, yearly):
        """Every date's findings, with the engagement's facts, categories shared."""
        frame = yearly.findings_frame()

        assert sum(len(r.findings) for r in yearly) == len(frame)
        assert frame["vendor"].notna().all()
        assert frame["category"].cat.ordered


class TestCommandLine:
    def test_trend_table(self):
        """check --history prints one line per date of the trend table."""
        result = CliRunner().invoke(
            cli, ["check", "--examples", "--history", "2026-01-01..2026-12-01/month"]
        )

        lines = result.output.splitlines()
        assert lines[0].startswith("as of")
        assert [d.isoformat() for d in MONTHLY] == [line[:10] for line in lines[1:]]

    def test_json(self, yearly):
        """With --format json, one report per date under history."""
        result = CliRunner().invoke(
            cli,
            [
                "check",
                "--examples",
                "--history",
                "2026-01-01..2026-12-01/month",
                "--format",
                "json",
            ],
        )

        data = json.loads(result.output)
        assert [d.isoformat() for d in MONTHLY] == [r["as_of"] for r in data["history"]]
        assert [len(r.findings) for r in yearly] == [
            len(r["findings"]) for r in data["history"]
        ]

    def test_bad_range(self):
        """A bad range is a usage error naming the option."""
        result = CliRunner().invoke(
            cli, ["check", "--examples", "--history", "2026-01-01..2025-01-01"]
        )

        assert 2 == result.exit_code
        assert "--history" in result.output

    def test_with_as_of(self):
        """--history and --as-of together are a usage error."""
        result = CliRunner().invoke(
            cli,
            [
                "check",
                "--examples",
                "--history",
                "2026-01-01..2026-02-01",
                "--as-of",
                "2026-01-01",
            ],
        )

        assert 2 == result.exit_code
