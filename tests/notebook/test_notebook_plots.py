"""Tests of the plots: figures without pyplot, their bars and lines, PNG output."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections import Counter

import attrs
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from outsourcekit import History, check, history, loads
from outsourcekit import notebook as nb
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import EngagementResult, Finding, Report, Severity
from outsourcekit.examples import examples_path
from outsourcekit.io import load_all
from outsourcekit.model import (
    KPI,
    Cadence,
    CheckIn,
    CommunicationPlan,
    Direction,
    Engagement,
    Measurement,
    Party,
    TimeZone,
)

AS_OF = dt.date(2026, 11, 22)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio, by id."""
    return {e.id: e for e in load_all([examples_path()])}


@pytest.fixture(scope="module")
def report(engagements):
    """The example portfolio checked by the built-in rules as of 2026-11-22."""
    return check(engagements.values(), as_of=AS_OF, rules=BUILTIN_RULES)


def png(figure):
    """Render *figure* as PNG with the Agg renderer and return the bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def heights(patches):
    return [p.get_height() for p in patches]


class TestPlotFindings:
    def test_bars(self, report):
        """Three stacked bars per category: errors, warnings, infos."""
        figure = nb.plot_findings(report)
        (ax,) = figure.axes
        categories = sorted({c for e in report.engagements for c in e.categories})
        counts = Counter(
            (f.category, f.severity.value) for f in report.findings if f.waived is None
        )

        assert isinstance(figure, Figure)
        assert 3 * len(categories) == len(ax.patches)
        assert [
            counts[c, s] for s in ("error", "warning", "info") for c in categories
        ] == heights(ax.patches)
        assert categories == [t.get_text() for t in ax.get_xticklabels()]

    def test_stacked(self, report):
        """Each severity's bars sit on top of the more serious ones."""
        (ax,) = nb.plot_findings(report).axes
        n = len(ax.patches) // 3
        errors, warnings, infos = (ax.patches[i * n : (i + 1) * n] for i in range(3))

        assert [e.get_height() for e in errors] == [w.get_y() for w in warnings]
        assert [
            e.get_height() + w.get_height()
            for e, w in zip(errors, warnings, strict=False)
        ] == [i.get_y() for i in infos]

    def test_png(self, report):
        """The figure renders to PNG."""
        assert png(nb.plot_findings(report)).startswith(PNG)

    def test_empty(self):
        """A report without engagements gives an empty chart, not an error."""
        (ax,) = nb.plot_findings(check([], as_of=AS_OF, rules=BUILTIN_RULES)).axes

        assert 0 == len(ax.patches)

    def test_streamed(self, report):
        """A report whose findings went to a sink is refused, not drawn empty."""
        streamed = attrs.evolve(report, findings=(), streamed=report.counts)

        with pytest.raises(ValueError, match=r"plot_findings\(\) needs the findings"):
            nb.plot_findings(streamed)
        with pytest.raises(ValueError, match=r"went to a sink \(check_stream\)"):
            nb.report_to_pandas(streamed)


class TestPlotScores:
    def test_bins(self, report):
        """Ten bars over 0..100 hold every engagement, one line marks the mean."""
        (ax,) = nb.plot_scores(report).axes
        scores = [e.score for e in report.engagements]
        expected = [
            sum(1 for s in scores if 10 * i <= s < 10 * (i + 1)) for i in range(10)
        ]
        expected[-1] += scores.count(100)

        assert expected == heights(ax.patches)
        assert 1 == len(ax.lines)
        assert [report.portfolio_score] * 2 == list(ax.lines[0].get_xdata())

    def test_other_bins(self, report):
        """The number of bins can change."""
        (ax,) = nb.plot_scores(report, bins=4).axes

        assert 4 == len(ax.patches)
        assert len(report.engagements) == sum(heights(ax.patches))

    def test_bad_bins(self, report):
        """Fewer than one bin is refused, naming the value."""
        with pytest.raises(ValueError, match=r"bins must be at least 1 \(got 0\)"):
            nb.plot_scores(report, bins=0)

    def test_png(self, report):
        """The figure renders to PNG."""
        assert png(nb.plot_scores(report)).startswith(PNG)


def kpi_engagement(target=5.0):
    return Engagement(
        id="a",
        client=Party(timezone=TimeZone.parse("Europe/London")),
        kpis=[
            KPI(
                name="close-time",
                unit="business days",
                target=target,
                direction=Direction.LOWER,
                measurements=[
                    Measurement(at=dt.date(2026, 3, 6), value=5),
                    Measurement(at=dt.date(2026, 2, 6), value=6),
                    Measurement(at=dt.datetime(2026, 4, 6, 9, 0), value=4),
                    Measurement(at=dt.date(2026, 12, 6), value=9),
                ],
            )
        ],
    )


class TestPlotKpi:
    def test_lines(self):
        """Measurements in date order are one line and the target another."""
        (ax,) = nb.plot_kpi(kpi_engagement(), "close-time").axes

        assert 2 == len(ax.lines)
        assert [6, 5, 4, 9] == list(ax.lines[0].get_ydata())
        assert [5.0, 5.0] == list(ax.lines[1].get_ydata())
        assert "business days" == ax.get_ylabel()

    def test_as_of(self):
        """Measurements after as_of are left out."""
        (ax,) = nb.plot_kpi(kpi_engagement(), "close-time", as_of=AS_OF).axes

        assert [6, 5, 4] == list(ax.lines[0].get_ydata())

    def test_as_of_as_text(self):
        """as_of may be given as text, as check() takes it."""
        (ax,) = nb.plot_kpi(kpi_engagement(), "close-time", as_of="2026-11-22").axes

        assert [6, 5, 4] == list(ax.lines[0].get_ydata())

    def test_as_of_is_midnight(self):
        """A measurement later on the as_of day is not yet known."""
        (ax,) = nb.plot_kpi(
            kpi_engagement(), "close-time", as_of=dt.date(2026, 4, 6)
        ).axes

        assert [6, 5] == list(ax.lines[0].get_ydata())

    def test_no_target(self):
        """Without a target only the measurements are drawn."""
        (ax,) = nb.plot_kpi(kpi_engagement(target=None), "close-time").axes

        assert 1 == len(ax.lines)

    def test_example(self, engagements):
        """The example KPI plots every measurement known at as_of."""
        engagement = engagements["cobblestone-hr-payroll"]
        kpi = next(k for k in engagement.kpis if k.name == "time-to-fill")

        (ax,) = nb.plot_kpi(engagement, "time-to-fill", as_of=AS_OF).axes

        assert [m.value for m in sorted(kpi.measurements, key=lambda m: m.at)] == list(
            ax.lines[0].get_ydata()
        )
        assert png(ax.figure).startswith(PNG)

    def test_one_measurement_ticked_at_its_date(self):
        """One measurement's date is the axis's one tick, not years around it."""
        engagement = Engagement(
            id="a",
            kpis=[
                KPI(
                    name="k",
                    measurements=[Measurement(at=dt.date(2026, 6, 15), value=3)],
                )
            ],
        )

        (ax,) = nb.plot_kpi(engagement, "k").axes
        png(ax.figure)

        assert ["2026-06-15"] == [t.get_text() for t in ax.get_xticklabels()]

    def test_dates_evenly_spaced(self, engagements):
        """A month of weekly measurements has a tick each week, none crowded.

        Ticks on the 1st, 5th, 9th... of each month put the 29th and the 1st
        two days apart, their dates drawn over each other.
        """
        engagement = engagements["wl-order-entry"]

        (ax,) = nb.plot_kpi(engagement, "order-entry-accuracy", as_of=AS_OF).axes
        png(ax.figure)

        assert 1 == len(set(np.diff(ax.get_xticks())))
        assert all(label.get_rotation() == 30 for label in ax.get_xticklabels())

    def test_unknown(self):
        """An unknown KPI name is a KeyError suggesting the closest one."""
        with pytest.raises(KeyError) as info:
            nb.plot_kpi(kpi_engagement(), "close-tim")

        assert (
            "engagement 'a' has no KPI named 'close-tim' (did you mean 'close-time'?); "
            "its KPIs: close-time"
        ) == info.value.args[0]

    def test_huge_numbers(self):
        """A target or measurement beyond a float is left out, and a note says so."""
        huge = 10**400
        engagement = Engagement(
            id="a",
            kpis=[
                KPI(
                    name="n",
                    target=huge,
                    measurements=[
                        Measurement(at=dt.date(2026, 1, 1), value=5),
                        Measurement(at=dt.date(2026, 2, 1), value=huge),
                        Measurement(at=dt.date(2026, 3, 1), value=6),
                    ],
                )
            ],
        )

        figure = nb.plot_kpi(engagement, "n")
        (ax,) = figure.axes

        assert png(figure).startswith(PNG)
        assert 1 == len(ax.lines)
        assert [5, 6] == list(ax.lines[0].get_ydata())
        assert ["measured"] == [t.get_text() for t in ax.get_legend().get_texts()]
        assert "too large to draw: target 1.000e+400 and 1 measurement" in [
            t.get_text() for t in ax.texts
        ]

    def test_huge_loaded_target(self):
        """A KPI read from a file with a very large target still draws."""
        engagement = loads(
            "id: k\nkpis:\n  - name: n\n    target: 1" + "0" * 400 + "\n",
            format="yaml",
        )

        figure = nb.plot_kpi(engagement, "n")

        assert png(figure).startswith(PNG)
        assert [
            "no measurements",
            "too large to draw: target 1.000e+400",
        ] == [t.get_text() for t in figure.axes[0].texts]

    def test_large_whole_target(self):
        """A whole target that a float holds is drawn, labelled as written."""
        figure = nb.plot_kpi(kpi_engagement(target=1_000_000), "close-time")
        (ax,) = figure.axes

        assert [1e6, 1e6] == list(ax.lines[1].get_ydata())
        assert (
            "target 1000000, lower is better"
            == ax.get_legend().get_texts()[1].get_text()
        )
        assert png(figure).startswith(PNG)


def check_ins(cadence, logged=(), start=dt.date(2026, 10, 5)):
    return Engagement(
        id="a",
        start=start,
        client=Party(timezone=TimeZone.parse("America/Chicago")),
        communication=CommunicationPlan(check_ins=Cadence.parse(cadence)),
        check_ins=[CheckIn(at=at) for at in logged],
    )


class TestPlotCheckIns:
    def test_as_of_as_text(self):
        """as_of may be given as text: the same bars as for the date."""
        engagement = check_ins("weekdays", [dt.date(2026, 11, 17)])
        dated = nb.plot_check_ins(engagement, AS_OF, weeks=4).axes[0]
        texted = nb.plot_check_ins(engagement, "2026-11-22", weeks=4).axes[0]

        assert heights(dated.patches) == heights(texted.patches)

    def test_bars(self):
        """Two bars a week: planned and logged; lines for the limit and as_of."""
        logged = [
            dt.date(2026, 11, 16),
            dt.date(2026, 11, 17),
            dt.datetime(2026, 11, 20, 9, 0),
            dt.date(2026, 11, 22),
            dt.date(2026, 11, 23),
        ]
        figure = nb.plot_check_ins(check_ins("weekdays", logged), AS_OF, weeks=4)
        (ax,) = figure.axes

        assert 8 == len(ax.patches)
        assert [5, 5, 5, 5] == heights(ax.patches[:4])
        assert [0, 0, 4, 0] == heights(ax.patches[4:])
        assert 2 == len(ax.lines)
        assert [5, 5] == list(ax.lines[0].get_ydata())
        assert ["2026-W45", "2026-W46", "2026-W47", "2026-W48"] == [
            t.get_text() for t in ax.get_xticklabels()
        ]

    def test_before_start(self):
        """Weeks before the start plan nothing; the start's week counts from it."""
        engagement = check_ins("daily", start=dt.date(2026, 11, 19))

        (ax,) = nb.plot_check_ins(engagement, AS_OF, weeks=4).axes

        assert [0, 0, 4, 7] == heights(ax.patches[:4])

    def test_limit(self):
        """The limit line is at max_per_week."""
        (ax,) = nb.plot_check_ins(check_ins("daily"), AS_OF, max_per_week=3).axes

        assert [3, 3] == list(ax.lines[0].get_ydata())
        assert 24 == len(ax.patches)

    def test_none_planned(self):
        """Without planned check-ins the planned bars are empty."""
        engagement = Engagement(id="a", check_ins=[CheckIn(at=dt.date(2026, 11, 18))])

        (ax,) = nb.plot_check_ins(engagement, AS_OF, weeks=2).axes

        assert [0, 0, 0, 1] == heights(ax.patches)

    def test_example(self, engagements):
        """The example's daily calls exceed the limit every week, planned and logged."""
        engagement = engagements["prairie-lane-va"]

        (ax,) = nb.plot_check_ins(engagement, AS_OF).axes

        assert [7] * 12 == heights(ax.patches[:12])
        assert png(ax.figure).startswith(PNG)

    def test_title(self):
        """The title names the engagement, what is drawn and the date."""
        (ax,) = nb.plot_check_ins(check_ins("daily"), "2026-11-22").axes

        assert "a: check-ins per ISO week, as of 2026-11-22" == ax.get_title()

    def test_bad_weeks(self):
        """Fewer than one week is refused, naming the value."""
        with pytest.raises(ValueError, match=r"weeks must be at least 1 \(got 0\)"):
            nb.plot_check_ins(check_ins("daily"), AS_OF, weeks=0)

    def test_weeks_not_whole(self):
        """A number of weeks that is no whole number is refused, naming the value."""
        with pytest.raises(TypeError) as info:
            nb.plot_check_ins(check_ins("daily"), AS_OF, weeks=2.5)

        assert "weeks must be a whole number (got 2.5 (a number))" == str(info.value)

    def test_negative_limit(self):
        """A limit below 0 is refused, as the rule's option refuses it."""
        with pytest.raises(
            ValueError, match=r"^max_per_week must be at least 0 \(got -1\)$"
        ):
            nb.plot_check_ins(check_ins("daily"), AS_OF, max_per_week=-1)

    @pytest.mark.parametrize(
        ("limit", "got"), [("5", "'5' (text)"), (None, "None"), (2.5, "2.5 (a number)")]
    )
    def test_limit_not_whole(self, limit, got):
        """A limit that is no whole number is refused, naming the value."""
        with pytest.raises(TypeError) as info:
            nb.plot_check_ins(check_ins("daily"), AS_OF, max_per_week=limit)

        assert f"max_per_week must be a whole number (got {got})" == str(info.value)


MATH = "cost $\\frac$ x"
SUBSCRIPT = "a_b $x_$"
DOLLARS = "Cost in $ per $1k revenue"


def drawn(figure):
    """Render *figure*, then return its texts, those of tick labels included."""
    assert png(figure).startswith(PNG)
    return [t for t in figure.findobj(Text) if t.get_text()]


def assert_literal(figure, *expected):
    """Every text of *figure* holding a dollar is drawn as written, not as math."""
    texts = drawn(figure)
    shown = [t.get_text() for t in texts]
    assert all(any(e in s for s in shown) for e in expected), shown
    assert [] == [
        t.get_text() for t in texts if "$" in t.get_text() and t.get_parse_math()
    ]


def hostile_report():
    """A report whose ids and categories read as math formulas."""
    findings = [
        Finding(
            rule="TST001",
            slug="x",
            category=SUBSCRIPT,
            severity=Severity.ERROR,
            engagement=MATH,
            path="",
            message="m",
            fix="f",
        )
    ]
    results = [
        EngagementResult(
            id=MATH,
            score=40,
            categories={SUBSCRIPT: 40, DOLLARS: 50},
            source=None,
            findings=tuple(findings),
        ),
        EngagementResult(
            id=DOLLARS, score=90, categories={DOLLARS: 90}, source=None, findings=()
        ),
    ]
    return Report(as_of=AS_OF, findings=findings, engagements=results)


class TestTextAsWritten:
    @pytest.mark.parametrize(
        ("name", "unit"), [(MATH, DOLLARS), (SUBSCRIPT, None), (DOLLARS, MATH)]
    )
    def test_kpi(self, name, unit):
        """A KPI's name and unit are drawn as written, dollars and all."""
        engagement = attrs.evolve(
            kpi_engagement(),
            kpis=[attrs.evolve(kpi_engagement().kpis[0], name=name, unit=unit)],
        )

        figure = nb.plot_kpi(engagement, name, as_of=AS_OF)
        (ax,) = figure.axes

        assert f"a: KPI {name}, as of 2026-11-22" == ax.get_title()
        assert (unit or name) == ax.get_ylabel()
        assert_literal(figure, name, unit or name)

    def test_findings(self):
        """Categories are drawn as written."""
        assert_literal(nb.plot_findings(hostile_report()), SUBSCRIPT)

    @pytest.mark.parametrize("plot", [nb.plot_heatmap, nb.plot_ranking])
    def test_portfolio(self, plot):
        """Engagement ids and categories are drawn as written."""
        figure = plot(hostile_report())

        assert_literal(figure, MATH, DOLLARS)

    def test_history(self):
        """The worst engagements' ids in a history's legend are drawn as written."""
        report = hostile_report()
        later = attrs.evolve(report, as_of=dt.date(2026, 12, 1))

        figure = nb.plot_history(History(reports=(report, later)), worst=2)

        assert_literal(figure, MATH, DOLLARS)


#: An engagement id too long to draw whole, and how the charts draw it.
LONG_ID = "wattle-and-loom-customer-care-and-returns-desk-bayanihan-2026-renewal"
LONG_SHOWN = "wattle-and-loom-cus…2026-renewal"


class TestLongIds:
    @pytest.fixture
    def engagements(self):
        """An engagement of a long id, one of a short id."""
        return [Engagement(id=LONG_ID), Engagement(id="b")]

    def test_history(self, engagements):
        """A long id is drawn shortened in the legend; the lines keep their room."""
        day = history(engagements, dates=["2026-01-01", "2026-02-01"])
        figure = day.plot()
        (ax,) = figure.axes

        png(figure)
        assert ["b", LONG_SHOWN] == sorted(
            t.get_text() for t in ax.get_legend().get_texts()[1:]
        )
        assert ax.get_position().width > 0.5

    @pytest.mark.parametrize(
        ("plot", "label"),
        [(nb.plot_ranking, LONG_SHOWN), (nb.plot_heatmap, f"{LONG_SHOWN} (0)")],
    )
    def test_portfolio(self, engagements, plot, label):
        """A long id is drawn shortened beside its row; the rows keep their room."""
        figure = plot(check(engagements, as_of=AS_OF))
        ax = figure.axes[0]

        png(figure)
        assert label in [t.get_text() for t in ax.get_yticklabels()]
        assert ax.get_position().width > 0.45

    @pytest.mark.parametrize("chart", ["ranking", "heatmap", "history"])
    def test_alike_when_shortened(self, chart):
        """Ids that would be drawn alike, shortened, are drawn whole, told apart."""
        twin = LONG_ID.replace("returns-desk", "billing-desk")
        engagements = [Engagement(id=LONG_ID), Engagement(id=twin), Engagement(id="b")]
        if chart == "history":
            ax = history(engagements, dates=[AS_OF]).plot(worst=3).axes[0]
            drawn = [t.get_text() for t in ax.get_legend().get_texts()[1:]]
        else:
            plot = nb.plot_ranking if chart == "ranking" else nb.plot_heatmap
            ax = plot(check(engagements, as_of=AS_OF)).axes[0]
            drawn = [t.get_text().split(" (")[0] for t in ax.get_yticklabels()]

        assert sorted(["b", LONG_ID, twin]) == sorted(drawn)

    def test_short_ids_whole(self):
        """An id of 32 characters or fewer is drawn whole."""
        whole = "brightside-pet-customer-support-"
        report = check([Engagement(id=whole)], as_of=AS_OF)

        assert [whole] == [
            t.get_text() for t in nb.plot_ranking(report).axes[0].get_yticklabels()
        ]


class TestFigures:
    @pytest.mark.parametrize(
        "chart",
        ["kpi", "history", "check-ins", "heatmap", "ranking", "findings", "scores"],
    )
    def test_layout_left_alone(self, report, engagements, chart, monkeypatch):
        """No chart moves its axes by hand: the constrained layout places them.

        matplotlib 3.8, which the extra allows, warns on every such move
        (``This figure was using a layout engine that is incompatible with
        subplots_adjust``).
        """
        engagement = engagements["wl-order-entry"]
        charts = {
            "kpi": lambda: nb.plot_kpi(engagement, "order-entry-accuracy", AS_OF),
            "history": lambda: nb.plot_history(History(reports=(report,))),
            "check-ins": lambda: nb.plot_check_ins(engagement, AS_OF),
            "heatmap": lambda: nb.plot_heatmap(report),
            "ranking": lambda: nb.plot_ranking(report),
            "findings": lambda: nb.plot_findings(report),
            "scores": lambda: nb.plot_scores(report),
        }
        moved = []
        monkeypatch.setattr(
            Figure, "subplots_adjust", lambda *_, **where: moved.append(where)
        )

        png(charts[chart]())

        assert [] == moved

    def test_png_repr(self, report):
        """Figures show themselves as PNG images in a notebook."""
        assert nb.plot_scores(report)._repr_png_().startswith(PNG)

    def test_own_figures(self, report):
        """Each call makes a new figure."""
        assert nb.plot_scores(report) is not nb.plot_scores(report)


class TestWithoutMatplotlib:
    @pytest.mark.parametrize(
        "name", ["plot_findings", "plot_scores", "plot_kpi", "plot_check_ins"]
    )
    def test_says_how_to_install(self, monkeypatch, report, name):
        """Each plot raises an ImportError that says how to install the extra."""
        arguments = {
            "plot_kpi": (kpi_engagement(), "close-time"),
            "plot_check_ins": (check_ins("daily"), AS_OF),
        }
        monkeypatch.setitem(sys.modules, "matplotlib", None)

        with pytest.raises(nb.MissingExtraError) as info:
            getattr(nb, name)(*arguments.get(name, (report,)))

        assert (
            f"{name}() needs matplotlib, which is not installed: install the notebook "
            'extra with pip install "outsourcekit[notebook]"'
        ) == str(info.value)


class TestPortfolioPlots:
    @pytest.fixture
    def portfolio(self, engagements):
        """The example portfolio checked as of 2026-11-22."""
        return check(list(engagements.values()), as_of=AS_OF)

    def png(self, figure):
        """The figure rendered to PNG bytes with the Agg backend."""
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def test_heatmap(self, portfolio):
        """The heatmap has one row per engagement and one column per category."""
        figure = nb.plot_heatmap(portfolio)
        ax = figure.axes[0]

        assert self.png(figure).startswith(PNG)
        assert len(portfolio.engagements) == len(ax.get_yticklabels())
        assert "as of 2026-11-22" in ax.get_title()
        worst = min(portfolio.engagements, key=lambda e: (e.score, e.id))
        assert ax.get_yticklabels()[0].get_text().startswith(worst.id)

    def test_ranking(self, portfolio):
        """The ranking has one named bar per engagement, the lowest score first."""
        figure = nb.plot_ranking(portfolio)
        ax = figure.axes[0]

        assert self.png(figure).startswith(PNG)
        widths = [p.get_width() for p in ax.patches]
        assert sorted(widths) == widths
        assert "as of 2026-11-22" in ax.get_title()
        assert 13 == len(ax.get_yticklabels())

    def test_ranking_limit(self, portfolio):
        """A limit keeps only the lowest scores; a limit below one is refused."""
        assert 3 == len(nb.plot_ranking(portfolio, limit=3).axes[0].patches)
        with pytest.raises(ValueError, match="at least 1"):
            nb.plot_ranking(portfolio, limit=0)

    @pytest.mark.parametrize("plot", [nb.plot_heatmap, nb.plot_ranking])
    def test_large_portfolio_shows_the_lowest(self, plot):
        """Of a large portfolio, the 50 lowest scores are drawn unless told."""
        many = check(
            [Engagement(id=f"e{i:03d}") for i in range(60)],
            as_of=AS_OF,
            rules=BUILTIN_RULES,
        )

        shown = plot(many).axes[0]
        every = plot(many, limit=None).axes[0]

        assert 50 == len(shown.get_yticklabels())
        assert "the 50 lowest of 60 engagements" in shown.get_title()
        assert 60 == len(every.get_yticklabels())
        assert "the " not in every.get_title().split("of")[0]
        with pytest.raises(ValueError, match="limit must be at least 1"):
            plot(many, limit=0)

    def test_history(self, engagements):
        """The trend has the portfolio line and one line per worst engagement."""
        year = ok_history(list(engagements.values()))
        figure = year.plot(worst=2)
        ax = figure.axes[0]

        assert self.png(figure).startswith(PNG)
        assert ["portfolio", *[i for i, _ in year.trend(2)[-1]["worst"]]] == [
            line.get_label() for line in ax.get_lines()
        ]
        assert "2026-01-01 to 2026-12-01" in ax.get_title()

    def test_history_of_one_date(self, engagements):
        """A history of one date is titled with that date alone."""
        day = history(list(engagements.values())[:2], dates=["2026-06-01"])

        assert "Portfolio health, 2026-06-01" == day.plot().axes[0].get_title()

    def test_history_of_one_date_ticked_at_it(self, engagements):
        """The one date is the axis's one tick: years around it read as other dates."""
        day = history(list(engagements.values())[:2], dates=["2026-06-15"])
        ax = day.plot().axes[0]
        png(ax.figure)

        assert ["2026-06-15"] == [t.get_text() for t in ax.get_xticklabels()]
        left, right = ax.get_xlim()
        assert left < ax.get_lines()[0].get_xdata(orig=False)[0] < right

    def test_history_scores_of_zero_shown(self, engagements):
        """A line at a score of 0 is drawn above the axis, not hidden under it."""
        year = ok_history(list(engagements.values()))
        ax = year.plot().axes[0]

        assert 0 == min(min(line.get_ydata()) for line in ax.get_lines())
        assert ax.get_ylim()[0] < 0

    def test_history_beyond_the_colours(self, engagements):
        """All the worst engagements asked for are drawn, each line distinct."""
        year = ok_history(list(engagements.values()))
        figure = year.plot(worst=8)
        ax = figure.axes[0]

        lines = ax.get_lines()
        assert ["portfolio", *[i for i, _ in year.trend(8)[-1]["worst"]]] == [
            line.get_label() for line in lines
        ]
        assert 9 == len(lines)
        assert 9 == len({(line.get_color(), line.get_linestyle()) for line in lines})
        assert ["-"] * 7 + ["--"] * 2 == [line.get_linestyle() for line in lines]
        assert lines[1].get_color() == lines[7].get_color()
        assert self.png(figure).startswith(PNG)

    @pytest.mark.parametrize(
        ("worst", "error", "got"),
        [
            (-1, ValueError, "at least 0 (got -1)"),
            (True, TypeError, "a whole number (got True)"),
            (2.0, TypeError, "a whole number (got 2.0 (a number))"),
        ],
    )
    def test_bad_worst(self, engagements, worst, error, got):
        """A negative or not whole number of worst engagements is refused."""
        year = ok_history(list(engagements.values())[:2])

        with pytest.raises(error) as info:
            nb.plot_history(year, worst=worst)

        assert f"worst must be {got}" == str(info.value)

    def test_no_worst(self, engagements):
        """With worst=0, only the portfolio's line is drawn."""
        year = ok_history(list(engagements.values())[:2])

        assert ["portfolio"] == [
            line.get_label() for line in year.plot(worst=0).axes[0].get_lines()
        ]

    @pytest.mark.parametrize(
        ("plot", "argument"),
        [
            (nb.plot_heatmap, "limit"),
            (nb.plot_ranking, "limit"),
            (nb.plot_scores, "bins"),
        ],
    )
    @pytest.mark.parametrize(
        ("value", "got"), [(True, "True"), (2.5, "2.5 (a number)"), ("3", "'3' (text)")]
    )
    def test_counts_not_whole(self, plot, argument, value, got):
        """A count that is no whole number is refused, naming the value."""
        with pytest.raises(TypeError) as info:
            plot(check([], as_of=AS_OF, rules=[]), **{argument: value})

        wanted = "a whole number or None" if argument == "limit" else "a whole number"
        assert f"{argument} must be {wanted} (got {got})" == str(info.value)

    @pytest.mark.parametrize(
        ("plot", "argument"),
        [
            (nb.plot_heatmap, "limit"),
            (nb.plot_ranking, "limit"),
            (nb.plot_scores, "bins"),
        ],
    )
    def test_numpy_counts(self, plot, argument, report):
        """A count of numpy's integer type draws as the same int does."""
        np = pytest.importorskip("numpy")

        drawn = plot(report, **{argument: np.int64(3)})

        assert png(drawn) == png(plot(report, **{argument: 3}))

    def test_empty(self):
        """An empty report still renders, saying there is nothing to show."""
        empty = check([], as_of=AS_OF, rules=[])

        assert self.png(nb.plot_heatmap(empty)).startswith(PNG)
        assert self.png(nb.plot_ranking(empty)).startswith(PNG)


def ok_history(engagements):
    """The engagements checked on the first of every month of 2026."""
    from outsourcekit import history

    return history(engagements, start="2026-01-01", end="2026-12-01")
