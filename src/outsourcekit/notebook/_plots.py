"""matplotlib figures of reports and engagements, made without pyplot."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter
from typing import TYPE_CHECKING, Any, Final, cast

from outsourcekit._dates import as_date
from outsourcekit._shorten import plural
from outsourcekit._suggest import did_you_mean
from outsourcekit.engine import Report  # noqa: TC001 - evaluated by the API docs
from outsourcekit.engine._display import check_count
from outsourcekit.engine._frames import (
    SEVERITY_ORDER,
    categories,
    held_findings,
    require,
    require_engagement,
    require_report,
)
from outsourcekit.model import KPI, Engagement  # noqa: TC001 - evaluated by the API docs
from outsourcekit.model._display import number

from ._frames import require_history

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

    from outsourcekit._history import History
    from outsourcekit.engine import EngagementResult

__all__ = [
    "PALETTE",
    "plot_check_ins",
    "plot_findings",
    "plot_heatmap",
    "plot_history",
    "plot_kpi",
    "plot_ranking",
    "plot_scores",
]

_SEVERITIES_DOWN: Final = tuple(reversed(SEVERITY_ORDER))
_COLOURS: Final = {"error": "#c62828", "warning": "#ef8f00", "info": "#1e88e5"}
_WEEK: Final = dt.timedelta(weeks=1)


def _figure(feature: str, width: float = 8.0, height: float = 4.5) -> Figure:
    """Return a new figure, shown as an image in notebooks, without pyplot."""
    require("matplotlib", feature)
    from ._figure import NotebookFigure  # noqa: PLC0415 - the notebook extra

    return NotebookFigure(figsize=(width, height), layout="constrained")


def _whole_numbers(ax: Axes) -> None:
    """Put ticks of the y axis on whole numbers only: the axis counts things."""
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - the notebook extra

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _slanted_dates(ax: Axes, drawn: Sequence[dt.date]) -> None:
    """Tick the dates of the x axis evenly, slanted as ``Figure.autofmt_xdate`` does.

    Ticks are evenly spaced from the first date (weekly, monthly...), not on
    the 1st, 5th, 9th... of each month, which put the 29th and the 1st two days
    apart, their dates drawn over each other. Of one date *drawn*, the axis
    spans a week either side and its one tick is that date: matplotlib would
    span years, ticked by year, so that 2026-11-22 sat by the tick "2027". The
    axes are not moved: the constrained layout makes room, and matplotlib 3.8
    warns on every figure whose axes are moved under it.
    """
    from matplotlib.dates import (  # noqa: PLC0415 - the extra
        AutoDateLocator,
        DateFormatter,
    )

    if len(set(drawn)) == 1:
        day: Any = drawn[0]  # matplotlib converts dates; its stubs know numbers
        ax.set_xlim(day - _WEEK, day + _WEEK)
        ax.set_xticks([day])
        formatter = DateFormatter("%Y-%m-%d")  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(formatter)
    else:
        locator = AutoDateLocator(  # type: ignore[no-untyped-call]
            minticks=3, maxticks=8, interval_multiples=False
        )
        ax.xaxis.set_major_locator(locator)
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")


def _nothing(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


# Ids, names, units and categories are free text: every text drawn is given
# parse_math=False, else matplotlib reads text between two dollar signs as a
# formula (drawn garbled, or an error when the figure is drawn).


def _legend(ax: Axes, **kwargs: Any) -> Legend:
    """Return the legend of *ax*, its labels drawn as written (not as formulas)."""
    legend = ax.legend(**kwargs)
    for label in legend.get_texts():
        label.set_parse_math(False)
    return legend


#: The most characters of an id a chart draws: a longer one would squeeze the
#: bars, cells or lines into a sliver of the figure.
_ID_WIDTH: Final = 32
#: How many of its last characters a shortened id keeps: ``2026-renewal``.
_ID_END: Final = 12


def _id(text: str) -> str:
    """Return an id as a chart draws it: whole, or its start and end around ``…``.

    Ids of a portfolio often differ only at their end (a year, a renewal), so
    both ends are kept.
    """
    if len(text) <= _ID_WIDTH:
        return text
    return f"{text[: _ID_WIDTH - 1 - _ID_END]}\u2026{text[-_ID_END:]}"


def _ids(ids: Sequence[str]) -> list[str]:
    """Return *ids* as a chart draws them (:func:`_id`), no two drawn alike.

    Ids that would be drawn alike shortened (the same start and end, told
    apart in the middle) are drawn whole: a chart naming two rows or lines
    alike would not say which is which.
    """
    drawn = [_id(i) for i in ids]
    counts = Counter(drawn)
    return [d if counts[d] == 1 else i for i, d in zip(ids, drawn, strict=True)]


def _drawable(value: float) -> bool:
    """Whether matplotlib can draw *value*: a whole number may exceed a float."""
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _short(value: float) -> str:
    """Return *value* as a chart's label writes it: exact, or ``1.000e+400``."""
    written = number(value)
    if len(written) <= 12 or not isinstance(value, int):
        return written
    return f"{decimal.Decimal(value):.3e}"


def plot_findings(report: Report) -> Figure:
    """Return a figure of unwaived findings per category, stacked by severity.

    One bar per category of the report and severity (errors at the bottom, then
    warnings, then infos), so ``ax.patches`` holds three bars per category.

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *report* is no report (engagements not yet checked).
        ValueError: the report's findings went to a sink (``check_stream``).

    """
    require_report(report, "plot_findings")
    findings = held_findings(report, "plot_findings()")
    fig = _figure("plot_findings()")
    ax = fig.add_subplot()
    names = categories(report)
    counts = {c: Counter[str]() for c in names}
    for f in findings:
        if f.waived is None:
            counts[f.category][f.severity.value] += 1
    positions = list(range(len(names)))
    bottom = [0] * len(names)
    for severity in _SEVERITIES_DOWN:
        heights = [counts[c][severity] for c in names]
        ax.bar(
            positions,
            heights,
            bottom=bottom,
            label=severity,
            color=_COLOURS[severity],
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=False)]
    ax.set_xticks(positions, names, rotation=30, ha="right", parse_math=False)
    ax.set_ylabel("unwaived findings")
    ax.set_title(f"Findings by category and severity, as of {report.as_of}")
    if names:
        _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        _nothing(ax, "no categories in this report")
    _whole_numbers(ax)
    return fig


def plot_scores(report: Report, *, bins: int = 10) -> Figure:
    """Return a histogram of the engagements' scores, with the portfolio's mean.

    The range 0..100 is cut into *bins* equal bins (one bar each, 100 in the
    last); a vertical line marks the portfolio score.

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *report* is no report (engagements not yet checked), or
            *bins* is no whole number.
        ValueError: *bins* is less than 1.

    """
    require_report(report, "plot_scores")
    bins = check_count("bins", bins, least=1, optional=False)
    fig = _figure("plot_scores()")
    ax = fig.add_subplot()
    scores = [e.score for e in report.engagements]
    edges = [100 * i / bins for i in range(bins + 1)]
    ax.hist(scores, bins=edges, color="#5c6bc0", edgecolor="white")
    mean = report.portfolio_score
    if mean is not None:
        ax.axvline(mean, color="#c62828", linestyle="--", label=f"portfolio {mean:g}")
        _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        _nothing(ax, "no engagements in this report")
    ax.set_xlim(0, 100)
    ax.set_xlabel("health score")
    ax.set_ylabel("engagements")
    ax.set_title(
        f"Health scores of {plural(len(scores), 'engagement')}, as of {report.as_of}"
    )
    _whole_numbers(ax)
    return fig


def _find_kpi(engagement: Engagement, name: str) -> KPI:
    for kpi in engagement.kpis:
        if kpi.name == name:
            return kpi
    names = [k.name for k in engagement.kpis if k.name is not None]
    hint = did_you_mean(name, names)
    known = ", ".join(names) if names else "none"
    msg = (
        f"engagement {engagement.id!r} has no KPI named {name!r}{hint}; "
        f"its KPIs: {known}"
    )
    raise KeyError(msg)


def _wall_clock(engagement: Engagement, value: dt.date) -> dt.datetime:
    """Return a date or date-time as a naive wall-clock time in the client's zone."""
    tz = engagement.local_timezone.tzinfo
    return engagement.moment(value).astimezone(tz).replace(tzinfo=None)


def plot_kpi(
    engagement: Engagement, kpi_name: str, as_of: dt.date | str | None = None
) -> Figure:
    """Return a figure of a KPI's measurements over time against its target.

    Measurements after *as_of* (a date or ``YYYY-MM-DD`` text) are left out,
    as the rules ignore them. The measurements are one line (with markers) and
    the target, when set, a second, horizontal one. A whole number too large
    for the chart's floating-point axis (above about 1.8e308; a file may hold
    one) is not drawn: a note at the bottom of the chart names the target or
    counts the measurements left out. The KPI's name and unit are drawn as
    written, dollar signs included.

    Raises:
        KeyError: the engagement has no KPI named *kpi_name* (the message
            suggests the closest name).
        MissingExtraError: matplotlib is not installed.
        ValueError: *as_of* is not a date.

    """
    require_engagement(engagement, "plot_kpi")
    day = None if as_of is None else as_date(as_of)
    kpi = _find_kpi(engagement, kpi_name)
    fig = _figure("plot_kpi()")
    ax = fig.add_subplot()
    known = [
        (_wall_clock(engagement, m.at), m.value)
        for m in kpi.measurements
        if day is None or engagement.is_known(m.at, day)
    ]
    points = sorted((at, float(v)) for at, v in known if _drawable(v))
    too_large = []
    if points:
        ax.plot(
            # matplotlib converts dates itself; its stubs know only numbers
            cast("Any", [p[0] for p in points]),
            [p[1] for p in points],
            marker="o",
            color="#3949ab",
            label="measured",
        )
    else:
        _nothing(ax, "no measurements")
    target = kpi.target
    if target is not None and _drawable(target):
        better = f", {kpi.direction} is better" if kpi.direction is not None else ""
        ax.axhline(
            float(target),
            color="#2e7d32",
            linestyle="--",
            label=f"target {_short(target)}{better}",
        )
    elif target is not None:
        too_large.append(f"target {_short(target)}")
    if len(points) < len(known):
        too_large.append(plural(len(known) - len(points), "measurement"))
    if too_large:
        ax.text(
            0.01,
            0.01,
            f"too large to draw: {' and '.join(too_large)}",
            transform=ax.transAxes,
            fontsize=8,
            color="#616161",
            parse_math=False,
        )
    if ax.lines:
        _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_ylabel(kpi.unit or kpi_name, parse_math=False)
    when = f", as of {day}" if day is not None else ""
    ax.set_title(f"{engagement.id}: KPI {kpi_name}{when}", parse_math=False)
    _slanted_dates(ax, [p[0] for p in points])
    return fig


def plot_check_ins(
    engagement: Engagement,
    as_of: dt.date | str,
    *,
    weeks: int = 12,
    max_per_week: int = 5,
) -> Figure:
    """Return a figure of check-ins per ISO week against the micromanagement limit.

    The figure spans *weeks* ISO weeks, the week containing *as_of* in the
    middle (``weeks // 2`` weeks before it). Each week has two bars, planned
    check-ins (from ``communication.check_ins``, counted in full as the rules
    count them) and logged ones known at *as_of* that the client called (not
    ``by: vendor``, as ``micromanagement-in-practice`` counts them), so
    ``ax.patches`` holds ``2 * weeks`` bars; a horizontal line marks
    *max_per_week* and a vertical one the week of *as_of*. Weeks are Monday to
    Sunday in the client's time zone. *as_of* may be ``YYYY-MM-DD`` text.

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *weeks* or *max_per_week* is no whole number.
        ValueError: *weeks* is less than 1, *max_per_week* less than 0 (as
            the rule's option), or *as_of* is not a date.

    """
    require_engagement(engagement, "plot_check_ins")
    weeks = check_count("weeks", weeks, least=1, optional=False)
    max_per_week = check_count("max_per_week", max_per_week, optional=False)
    as_of = as_date(as_of)
    fig = _figure("plot_check_ins()")
    ax = fig.add_subplot()
    current = as_of - dt.timedelta(days=as_of.weekday())
    first = current - (weeks // 2) * _WEEK
    mondays = [first + k * _WEEK for k in range(weeks)]
    cadence = engagement.check_in_cadence
    planned = [engagement.planned_check_ins(m, as_of=as_of) or 0 for m in mondays]
    # measured against the micromanagement limit, so counted as OSK302 counts them
    logged_by_week = engagement.check_ins_by_week(as_of, client_only=True)
    logged = [logged_by_week.get(m, 0) for m in mondays]
    positions = list(range(weeks))
    width = 0.4
    ax.bar(
        [p - width / 2 for p in positions],
        planned,
        width=width,
        color="#3949ab",
        label=f"planned ({_wrapped(str(cadence))})"
        if cadence is not None
        else "planned (none)",
    )
    ax.bar(
        [p + width / 2 for p in positions],
        logged,
        width=width,
        color="#90a4ae",
        label="logged (called by the client)",
    )
    ax.axhline(
        max_per_week,
        color="#c62828",
        linestyle="--",
        label=f"limit {max_per_week} a week",
    )
    ax.axvline(weeks // 2, color="#616161", linestyle=":", label=f"as of {as_of}")
    labels = [f"{m.isocalendar()[0]}-W{m.isocalendar()[1]:02d}" for m in mondays]
    ax.set_xticks(positions, labels, rotation=45, ha="right")
    ax.set_ylabel("check-ins per week")
    ax.set_title(
        f"{engagement.id}: check-ins per ISO week, as of {as_of}", parse_math=False
    )
    _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _whole_numbers(ax)
    return fig


def _wrapped(text: str, width: int = 36) -> str:
    """Return *text* on lines of about *width* characters, broken at spaces and ``;``.

    A cadence with its DTSTART (as imported from a calendar) is long for a
    legend: broken into lines, it leaves the chart its room.
    """
    lines = [""]
    for i, word in enumerate(text.split()):
        parts = word.split(";")
        for j, part in enumerate(parts):
            piece = part + (";" if j < len(parts) - 1 else "")
            glue = " " if i and not j else ""
            if lines[-1] and len(lines[-1]) + len(glue) + len(piece) > width:
                lines.append(piece)
            else:
                lines[-1] += (glue if lines[-1] else "") + piece
    return "\n".join(lines)


#: The package's colours: severities, the primary series and a healthy score.
PALETTE: Final = {**_COLOURS, "primary": "#5c6bc0", "good": "#2e7d32"}
_SERIES: Final = ("#c62828", "#ef8f00", "#8e24aa", "#00897b", "#6d4c41", "#1e88e5")
#: The line styles of the engagements' lines, one for each round of the colours.
_STYLES: Final = ("-", "--", ":", "-.")


def _score_colours() -> Any:
    """Return the colour map of scores: error red at 0, amber at 50, green at 100."""
    from matplotlib.colors import LinearSegmentedColormap  # noqa: PLC0415

    return LinearSegmentedColormap.from_list(
        "outsourcekit", [PALETTE["error"], PALETTE["warning"], PALETTE["good"]]
    )


#: How many engagements the portfolio charts draw unless told otherwise: the
#: lowest scores, where attention is needed; a row per engagement of a large
#: portfolio would make a figure of thousands of inches.
LIMIT: Final = 50


def _lowest(report: Report, limit: int | None) -> tuple[list[EngagementResult], str]:
    """Return the *limit* lowest-scored engagements of *report* (None: all).

    By score, then id; and how a title says which were shown.
    """
    limit = check_count("limit", limit, least=1)
    results = sorted(report.engagements, key=lambda e: (e.score, e.id))
    if limit is None or len(results) <= limit:
        return results, ""
    return results[:limit], f"the {limit} lowest of "


def plot_heatmap(report: Report, *, limit: int | None = LIMIT) -> Figure:
    """Return a heatmap of the engagements' category scores, worst engagement on top.

    One row per engagement (by score, then id), one column per category scored
    (sorted); each cell holds the score, coloured from red (0) through amber to
    green (100); a category not scored for an engagement is left blank. Of a
    portfolio of more than *limit* engagements, the *limit* lowest scores are
    drawn (None: all of them).

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *report* is no report (engagements not yet checked), or
            *limit* is neither a whole number nor None.
        ValueError: *limit* is less than 1.

    """
    require_report(report, "plot_heatmap")
    results, shown = _lowest(report, limit)
    names = sorted({c for e in results for c in e.categories})
    fig = _figure(
        "plot_heatmap()",
        width=max(6.0, 1.2 + 0.9 * len(names) + 2.5),
        height=max(3.0, 1.6 + 0.35 * len(results)),
    )
    ax = fig.add_subplot()
    ax.set_title(
        f"Category scores of {shown}{plural(len(report.engagements), 'engagement')}, "
        f"as of {report.as_of}",
        parse_math=False,
    )
    if not results or not names:
        _nothing(ax, "no scores in this report")
        return fig
    import numpy as np  # noqa: PLC0415 - installed with matplotlib

    grid = np.full((len(results), len(names)), np.nan)
    for i, e in enumerate(results):
        for j, c in enumerate(names):
            if c in e.categories:
                grid[i, j] = e.categories[c]
    image = ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=_score_colours(),
        vmin=0,
        vmax=100,
        aspect="auto",
    )
    for i in range(len(results)):
        for j in range(len(names)):
            if not np.isnan(grid[i, j]):
                ax.text(
                    j,
                    i,
                    f"{grid[i, j]:.0f}",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                )
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", parse_math=False)
    ax.set_yticks(
        range(len(results)),
        [
            f"{drawn} ({e.score})"
            for drawn, e in zip(_ids([e.id for e in results]), results, strict=True)
        ],
        parse_math=False,
    )
    fig.colorbar(image, ax=ax, label="score")
    return fig


def plot_ranking(report: Report, *, limit: int | None = LIMIT) -> Figure:
    """Return a bar chart of the engagements' scores, sorted, each bar named.

    The lowest score is on top; of a portfolio of more than *limit*
    engagements, only the *limit* lowest are shown (None: all of them). Bars
    are coloured as the heatmap's cells; a dashed line marks the portfolio
    score.

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *report* is no report (engagements not yet checked), or
            *limit* is neither a whole number nor None.
        ValueError: *limit* is less than 1.

    """
    require_report(report, "plot_ranking")
    results, shown = _lowest(report, limit)
    fig = _figure("plot_ranking()", height=max(3.0, 1.4 + 0.32 * len(results)))
    ax = fig.add_subplot()
    ax.set_title(
        f"Health scores of {shown}{plural(len(report.engagements), 'engagement')}, "
        f"as of {report.as_of}",
        parse_math=False,
    )
    if not results:
        _nothing(ax, "no engagements in this report")
        return fig
    colours = _score_colours()
    positions = list(range(len(results)))
    scores = [e.score for e in results]
    ax.barh(positions, scores, color=[colours(s / 100) for s in scores])
    ax.set_yticks(positions, _ids([e.id for e in results]), parse_math=False)
    ax.invert_yaxis()
    for y, s in zip(positions, scores, strict=True):
        ax.text(s + 1, y, str(s), va="center", fontsize=8)
    mean = report.portfolio_score
    if mean is not None:
        ax.axvline(
            mean, color=PALETTE["primary"], linestyle="--", label=f"portfolio {mean:g}"
        )
        _legend(ax, loc="lower right")
    ax.set_xlim(0, 105)
    ax.set_xlabel("health score")
    return fig


def plot_history(history: History, *, worst: int = 3) -> Figure:
    """Return the portfolio score and the *worst* engagements' scores over time.

    The portfolio score is the thick line; the engagements with the lowest
    score at the last date follow as thin lines, labelled with their ids: all
    *worst* of them (0: none), the colours repeated with another line style
    after six.

    Raises:
        MissingExtraError: matplotlib is not installed.
        TypeError: *worst* is no whole number.
        ValueError: *worst* is negative.

    """
    require_history(history, "plot_history")
    worst = check_count("worst", worst, optional=False)
    fig = _figure("History.plot()")
    ax = fig.add_subplot()
    reports = list(history)
    days: Any = [r.as_of for r in reports]
    if len(days) > 1:
        span = f"{days[0]} to {days[-1]}"
    else:
        span = str(days[0]) if days else "no dates"
    ax.set_title(f"Portfolio health, {span}")
    if not reports:
        _nothing(ax, "no dates in this history")
        return fig
    portfolio = [r.portfolio_score for r in reports]
    ax.plot(
        days,
        [float("nan") if p is None else p for p in portfolio],
        color=PALETTE["primary"],
        linewidth=3,
        marker="o",
        label="portfolio",
    )
    last = sorted(reports[-1].engagements, key=lambda e: (e.score, e.id))[:worst]
    labels = _ids([e.id for e in last])
    for i, (result, label) in enumerate(zip(last, labels, strict=True)):
        series = [
            r.by_engagement[result.id].score
            if result.id in r.by_engagement
            else float("nan")
            for r in reports
        ]
        ax.plot(
            days,
            series,
            color=_SERIES[i % len(_SERIES)],
            linestyle=_STYLES[i // len(_SERIES) % len(_STYLES)],
            linewidth=1.2,
            marker=".",
            label=label,
        )
    # Below 0, so that the lines of engagements scoring 0 show above the axis.
    ax.set_ylim(-3, 105)
    ax.set_ylabel("health score")
    ax.set_xlabel("as of")
    _legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _slanted_dates(ax, days)
    return fig
