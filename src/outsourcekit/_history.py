"""A portfolio's health over time: the same engagements checked at several dates.

:func:`history` checks the engagements once per date and keeps the reports in a
:class:`History`, which gives pandas frames (the ``notebook`` extra), a plot of
the trend, a trend table as plain data and a table in notebooks. What does not
depend on the date is prepared once: the engagements, the registered rules, the
configuration with its central waivers, and the lines of the findings in their
files (a finding found again at a later date keeps the line found first).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import operator
import re
from collections.abc import (  # noqa: TC003 - evaluated by the API docs
    Callable,
    Iterable,
    Iterator,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Final, overload

import attrs

from . import _dates, engine, io, plugins
from ._api import ready
from ._dates import as_date
from ._shorten import plural
from ._suggest import did_you_mean
from ._version import __version__
from .config import with_waivers
from .engine import (
    Config,
    Finding,
    Issue,
    Report,
    Rule,
)
from .engine._check import (
    _explicit,
    load_errors,
    require_config,
    require_engagements,
)
from .engine._display import check_count
from .engine._errors import shown as _shown
from .engine._frames import SEVERITY_ORDER
from .model import Engagement
from .model._display import table, text, title, wrap

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


__all__ = [
    "EVERY",
    "History",
    "checked_at",
    "date_range",
    "history",
    "parse_range",
    "range_dates",
    "range_parts",
    "trend_text",
]

#: The steps :func:`history` and ``--history`` accept for a range of dates.
EVERY: Final = ("week", "month", "quarter")
#: How many of the worst engagements the trend table names per date.
WORST: Final = 3

_RANGE: Final = re.compile(r"(?P<start>[^.]+)\.\.(?P<end>[^/]+)(?:/(?P<every>\w+))?")
_SEVERITIES_DOWN: Final = tuple(reversed(SEVERITY_ORDER))


def _add_months(start: dt.date, months: int) -> dt.date:
    """Return *start* moved by *months*, on its day or the month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def date_range(
    start: dt.date | str, end: dt.date | str, every: str = "month"
) -> list[dt.date]:
    """Return the dates from *start* to *end*, both included, every *every*.

    *every* is ``"week"``, ``"month"`` or ``"quarter"``.

    Months and quarters keep *start*'s day of the month (the month's last day
    where it has fewer days).

    Raises:
        ValueError: a date is not a date, *end* comes before *start*, or *every*
            is not one of :data:`EVERY`.

    """
    first, last = as_date(start), as_date(end)
    if every not in EVERY:
        msg = (
            f"every must be one of {', '.join(EVERY)} (got {every!r})"
            f"{did_you_mean(str(every), EVERY)}"
        )
        raise ValueError(msg)
    if last < first:
        msg = f"the range ends ({last}) before it starts ({first})"
        raise ValueError(msg)
    out: list[dt.date] = []
    step = 0
    while True:
        if every == "week":
            day = first + dt.timedelta(weeks=step)
        else:
            day = _add_months(first, step * (1 if every == "month" else 3))
        if day > last:
            return out
        out.append(day)
        step += 1


def range_dates(
    start: dt.date | str,
    end: dt.date | str,
    every: str = "month",
    *,
    written: str | None = None,
) -> list[dt.date]:
    """Return :func:`date_range`'s dates, at most ``HISTORY_DATES`` (1,000) of them.

    A longer range is refused with how many dates it holds and the longer
    steps that give few enough; *written* names the range in the message
    (default: ``the range START..END/EVERY``).

    Raises:
        ValueError: as :func:`date_range`, or the range holds too many dates.

    """
    days = date_range(start, end, every)
    most = _dates.HISTORY_DATES
    if len(days) <= most:
        return days
    longer = [
        f"{step} ({_count(n)})"
        for step in EVERY[EVERY.index(every) + 1 :]
        if (n := len(date_range(start, end, step))) <= most
    ]
    hint = f", or step by {' or '.join(longer)}" if longer else ""
    if written is None:
        written = f"the range {days[0]}..{as_date(end)}/{every}"
    raise _too_many(written, len(days), f"shorten the range{hint}")


def _too_many(written: str, count: int, remedy: str) -> ValueError:
    """Return the error of *written* holding *count* dates, more than one run checks."""
    msg = (
        f"{written} holds {_count(count)}, more than the {_dates.HISTORY_DATES:,} "
        f"one run checks: {remedy}"
    )
    return ValueError(msg)


def _count(dates: int) -> str:
    """Return ``"1 date"``, ``"1,409 dates"``."""
    return f"{dates:,} date" if dates == 1 else f"{dates:,} dates"


def range_parts(value: str) -> tuple[str, str, str]:
    """Return START, END and EVERY of ``START..END/EVERY``, as written.

    ``/EVERY`` may be left out: ``month``.

    Raises:
        ValueError: the text is not such a range.

    """
    m = _RANGE.fullmatch(value.strip())
    if m is None:
        msg = (
            "expected START..END/EVERY like 2026-01-01..2026-12-01/month "
            f"(EVERY: {', '.join(EVERY)}), got {value!r}"
        )
        raise ValueError(msg)
    return m.group("start"), m.group("end"), m.group("every") or "month"


def parse_range(value: str) -> list[dt.date]:
    """Return the dates of ``START..END/EVERY`` (``2026-01-01..2026-12-01/month``).

    ``/EVERY`` (``week``, ``month`` or ``quarter``) may be left out: monthly.
    At most ``HISTORY_DATES`` (1,000), as :func:`range_dates` says.

    Raises:
        ValueError: the text is not such a range, or it holds too many dates.

    """
    return range_dates(*range_parts(value), written=repr(value))


class _Lines:
    """The lines of findings in their files, found once for every date."""

    def __init__(self, engagements: Sequence[Engagement]) -> None:
        self.engagements = engagements
        self.known: dict[tuple[str, str, str], int] = {}

    def key(self, finding: Finding) -> tuple[str, str, str] | None:
        if finding.source is None:
            return None
        return (finding.engagement, finding.source, finding.path)

    def locate(self, report: Report) -> Report:
        """Return *report* with the lines of its findings, looking up only new ones."""
        filled: dict[int, Finding] = {}
        for i, f in enumerate(report.findings):
            key = self.key(f)
            if f.line is None and key is not None and key in self.known:
                filled[i] = attrs.evolve(f, line=self.known[key])
        if filled:
            report = _replaced(report, filled)
        report = io.locate_findings(report, self.engagements)
        for f in report.findings:
            key = self.key(f)
            if f.line is not None and key is not None:
                self.known.setdefault(key, f.line)
        return report


def _replaced(report: Report, by_index: dict[int, Finding]) -> Report:
    """Return *report* with some findings replaced, in its engagements' lists too."""
    old = report.findings
    new = tuple(by_index.get(i, f) for i, f in enumerate(old))
    swap = {id(old[i]): f for i, f in by_index.items()}
    results = tuple(
        attrs.evolve(r, findings=tuple(swap.get(id(f), f) for f in r.findings))
        if any(id(f) in swap for f in r.findings)
        else r
        for r in report.engagements
    )
    return attrs.evolve(report, findings=new, engagements=results)


def _given_dates(
    dates: Iterable[dt.date | str] | None,
    start: dt.date | str | None,
    end: dt.date | str | None,
    every: str | None,
) -> list[dt.date]:
    if dates is not None:
        if start is not None or end is not None:
            msg = "give either dates or start and end, not both"
            raise TypeError(msg)
        if every is not None:
            msg = (
                f"every= steps a range from start= to end=, not dates= (got "
                f"every={every!r} with dates=): give start and end, or leave "
                "every out"
            )
            raise TypeError(msg)
        given: object = dates  # callers without type checks pass one date
        if isinstance(given, (str, dt.date)):
            hint = f"for one date, dates=[{given!r}]"
            m = _RANGE.fullmatch(given.strip()) if isinstance(given, str) else None
            if m is not None:
                hint = (
                    f"for a range, start={m['start']!r}, end={m['end']!r}, "
                    f"every={m['every'] or 'month'!r}"
                )
            msg = f"dates must be a list of dates, got {given!r} ({hint})"
            raise TypeError(msg)
        days = sorted({as_date(d) for d in dates})
        if len(days) > _dates.HISTORY_DATES:
            raise _too_many("dates=", len(days), "give fewer")
    elif start is None or end is None:
        msg = "history() needs dates, or start and end"
        raise TypeError(msg)
    else:
        days = range_dates(start, end, "month" if every is None else every)
    if not days:
        msg = "history() needs at least one date"
        raise ValueError(msg)
    return days


def history(  # noqa: PLR0913 - the dates three ways, and check()'s options
    engagements: Engagement | Iterable[Engagement],
    *,
    dates: Iterable[dt.date | str] | None = None,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    every: str | None = None,
    config: Config | None = None,
    rules: Iterable[Rule] | None = None,
    errors: Iterable[Issue] = (),
) -> History:
    """Check *engagements* at several dates and return their :class:`History`.

    Give the dates as *dates* (in any order; each is checked once, in date order),
    or as a range from *start* to *end*, both included, *every* ``"week"``,
    ``"month"`` (when left out) or ``"quarter"``. *config*, *rules* and
    *errors* are as for :func:`outsourcekit.check`, and each date's report equals
    ``outsourcekit.check(engagements, as_of=date, ...)``; the rules, the
    configuration and the lines of the findings are found once for all dates.

    Raises:
        TypeError: neither *dates* nor *start* and *end* are given, or both
            are, or *dates* is one date rather than a list, or *every* is
            given with *dates* (it steps a range only); or another
            argument is not what it takes, as for :func:`outsourcekit.check`.
        ValueError: a date is not a date, the range is empty or backwards,
            or there are more than 1,000 dates (the message says how many,
            and which longer *every* gives few enough).
        ConfigError: as :func:`outsourcekit.check`.

    """
    days = _given_dates(dates, start, end, every)
    return checked_at(engagements, days, config=config, rules=rules, errors=errors)


def checked_at(  # noqa: PLR0913 - check()'s options, and the progress
    engagements: Engagement | Iterable[Engagement],
    days: Sequence[dt.date],
    *,
    config: Config | None = None,
    rules: Iterable[Rule] | None = None,
    errors: Iterable[Issue] = (),
    checked: Callable[[int, dt.date], object] | None = None,
) -> History:
    """Check *engagements* at *days* (sorted, none twice) as :func:`history` does.

    *checked*, when given, is called after each date with how many dates are
    checked so far and the date: ``check --history`` shows it as progress.
    """
    require_engagements(engagements, "history")
    require_config(config)
    engs = (engagements,) if isinstance(engagements, Engagement) else tuple(engagements)
    chosen = tuple(plugins.get_rules()) if rules is None else _explicit(rules)
    if config is not None:
        config = with_waivers(config)
    issues = load_errors(errors)
    lines = _Lines(engs)
    reports = []
    for day in days:
        report = engine.check(
            engs, rules=chosen, as_of=day, config=config, errors=issues
        )
        reports.append(ready(lines.locate(report)))
        if checked is not None:
            checked(len(reports), day)
    return History(reports=tuple(reports), engagements=engs)


def _oldest_first(reports: Iterable[Report]) -> tuple[Report, ...]:
    """Return *reports* (in any order) oldest first, as a history holds them.

    Raises:
        TypeError: an item is no report.
        ValueError: two reports are of one date.

    """
    given = tuple(reports)
    items: tuple[object, ...] = given  # callers without type checks pass anything
    for i, item in enumerate(items):
        if not isinstance(item, Report):
            msg = (
                "History() takes reports (as outsourcekit.check() returns), "
                f"got {_shown(item)} at index {i}"
            )
            raise TypeError(msg)
    order = sorted(range(len(given)), key=lambda i: given[i].as_of)
    for before, after in itertools.pairwise(order):
        if given[before].as_of == given[after].as_of:
            first, second = sorted((before, after))
            msg = (
                f"a history holds one report per date: reports {first} and "
                f"{second} are both as of {given[after].as_of.isoformat()}"
            )
            raise ValueError(msg)
    return tuple(given[i] for i in order)


def _worst(report: Report, count: int) -> list[tuple[str, int]]:
    ranked = sorted(report.engagements, key=lambda e: (e.score, e.id))
    return [(e.id, e.score) for e in ranked[:count]]


@attrs.frozen(kw_only=True, repr=False)
class History:
    """The reports of the same engagements at several dates, oldest first.

    Iterate it for the reports, index it by position or by date
    (``history[dt.date(2026, 6, 1)]``), slice it for the history of some
    dates (``history[-3:]``), and read ``dates``. The frames and the
    plot need the ``notebook`` extra; :meth:`trend` and the notebook table do not.

    Made of reports (``History(reports=...)``, such as reports read back
    from files), it holds them oldest first whatever their order; two
    reports of one date are a ValueError, anything but a report a TypeError.
    """

    reports: tuple[Report, ...] = attrs.field(converter=_oldest_first)
    engagements: tuple[Engagement, ...] = attrs.field(default=(), eq=False, repr=False)

    @property
    def dates(self) -> list[dt.date]:
        """The dates checked, oldest first."""
        return [r.as_of for r in self.reports]

    def __len__(self) -> int:
        """Return the number of dates."""
        return len(self.reports)

    def __iter__(self) -> Iterator[Report]:
        """Iterate over the reports, oldest first."""
        return iter(self.reports)

    @overload
    def __getitem__(self, key: int | dt.date | str) -> Report: ...

    @overload
    def __getitem__(self, key: slice) -> History: ...

    def __getitem__(self, key: int | dt.date | str | slice) -> Report | History:
        """Return the report at this position or of this date; a slice's history.

        A position is any integer (numpy's too: what :func:`operator.index`
        takes).

        Raises:
            IndexError: no date is at the position.
            KeyError: the history has no report of the date.
            ValueError: the key is no position, date or slice.

        """
        if isinstance(key, slice):
            return self._slice(key)
        if not isinstance(key, (str, dt.date)) and hasattr(key, "__index__"):
            position = operator.index(key)
            if not -len(self.reports) <= position < len(self.reports):
                msg = (
                    f"no report at position {position} of this history "
                    f"({plural(len(self.reports), 'date')}: {_span(self.dates)})"
                )
                raise IndexError(msg)
            return self.reports[position]
        day = as_date(key)
        for report in self.reports:
            if report.as_of == day:
                return report
        msg = f"no report of {day} in this history (dates: {_span(self.dates)})"
        raise KeyError(msg)

    def _slice(self, key: slice) -> History:
        """Return the history of the dates *key* takes, oldest first as here.

        Raises ValueError for a slice stepping backwards, or holding no date:
        a history holds one date at least, oldest first.
        """
        if key.step is not None and key.step < 1:
            msg = (
                "a slice of a history steps forward: its dates stay oldest first "
                f"(got step {key.step})"
            )
            raise ValueError(msg)
        reports = self.reports[key]
        if not reports:
            shown = ":".join(
                "" if part is None else str(part) for part in (key.start, key.stop)
            )
            msg = (
                f"the slice {shown} holds no date of this history "
                f"(dates: {_span(self.dates)})"
            )
            raise ValueError(msg)
        return attrs.evolve(self, reports=reports)

    def trend(self, worst: int = WORST) -> list[dict[str, Any]]:
        """Return one row per date: as_of, score, unwaived findings by severity, worst.

        ``worst`` lists the *worst* engagements of the date as (id, score) pairs,
        the lowest score first (0: none).

        Raises:
            TypeError: *worst* is no whole number.
            ValueError: *worst* is negative.

        """
        worst = check_count("worst", worst, optional=False)
        rows = []
        for r in self.reports:
            summary = r.summary
            rows.append(
                {
                    "as_of": r.as_of,
                    "score": summary["score"],
                    "findings": summary["findings"],
                    **{s: summary["by_severity"].get(s, 0) for s in _SEVERITIES_DOWN},
                    "waived": summary["waived"],
                    "worst": _worst(r, worst),
                }
            )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Return the history as JSON data: each date's report under ``history``."""
        return {
            "outsourcekit": __version__,
            "dates": [d.isoformat() for d in self.dates],
            "history": [r.to_dict() for r in self.reports],
        }

    def scores_frame(self) -> pd.DataFrame:
        """Return one row per (as_of, engagement) with its scores (``notebook`` extra).

        See :func:`outsourcekit.notebook.history_scores_frame`.
        """
        from .notebook import history_scores_frame  # noqa: PLC0415 - heavy, lazy

        return history_scores_frame(self)

    def portfolio_frame(self) -> pd.DataFrame:
        """Return one row per as_of: portfolio score, findings by severity and category.

        See :func:`outsourcekit.notebook.history_portfolio_frame`.
        """
        from .notebook import history_portfolio_frame  # noqa: PLC0415 - heavy, lazy

        return history_portfolio_frame(self)

    def findings_frame(self) -> pd.DataFrame:
        """Return one row per finding and date (``notebook`` extra).

        See :func:`outsourcekit.notebook.history_findings_frame`.
        """
        from .notebook import history_findings_frame  # noqa: PLC0415 - heavy, lazy

        return history_findings_frame(self)

    def plot(self, *, worst: int = WORST) -> Figure:
        """Return a figure of the portfolio score and the *worst* engagements over time.

        See :func:`outsourcekit.notebook.plot_history`.

        Raises:
            MissingExtraError: matplotlib is not installed.
            TypeError: *worst* is no whole number.
            ValueError: *worst* is negative.

        """
        from .notebook import plot_history  # noqa: PLC0415 - heavy, lazy

        return plot_history(self, worst=worst)

    def _engagement_count(self) -> int:
        """Return how many engagements were checked: those given, else the reports'."""
        if self.engagements:
            return len(self.engagements)
        return len({e.id for r in self.reports for e in r.engagements})

    def __repr__(self) -> str:
        """Describe the history in one line: dates, size and the score's way."""
        scores = [r.portfolio_score for r in self.reports]
        # One date has a score, not a way from one to another.
        way = " -> ".join(
            "n/a" if s is None else f"{s:g}" for s in scores[:1] + scores[1:][-1:]
        )
        return (
            f"<History {plural(len(self.reports), 'date')} {_span(self.dates)}, "
            f"{plural(self._engagement_count(), 'engagement')}, score {way}>"
        )

    def _repr_html_(self) -> str:
        """Show the trend table; with errors, a column counting them at each date."""
        errors = [
            len(r.errors) + len(r.rule_errors) + len(r.plugin_errors)
            for r in self.reports
        ]
        counted = any(errors)
        rows = [
            (
                text(row["as_of"]),
                text(None) if row["score"] is None else f"{row['score']:g}",
                *(text(row[s]) for s in _SEVERITIES_DOWN),
                text(row["waived"]),
                text(", ".join(f"{i} ({s})" for i, s in row["worst"])),
                *((text(n),) if counted else ()),
            )
            for row, n in zip(self.trend(), errors, strict=True)
        ]
        head = title(
            f"Health of {plural(self._engagement_count(), 'engagement')} at "
            f"{plural(len(self.reports), 'date')}, {text(_span(self.dates))}"
        )
        headers = (
            "as of",
            "score",
            *_SEVERITIES_DOWN,
            "waived",
            "worst engagements",
            *(("errors",) if counted else ()),
        )
        numeric = [*range(1, 6), *((7,) if counted else ())]
        parts = [head, table(headers, rows, numeric=numeric)]
        if counted:
            parts.append(
                "<p>Not everything was checked: the reports hold the errors of "
                "their dates (<code>history[date].errors</code>, "
                "<code>.rule_errors</code>, <code>.plugin_errors</code>).</p>"
            )
        return wrap(*parts)


def _span(dates: Sequence[dt.date]) -> str:
    if not dates:
        return "none"
    if len(dates) == 1:
        return dates[0].isoformat()
    return f"{dates[0].isoformat()} to {dates[-1].isoformat()}"


def trend_text(history: History, *, worst: int = WORST) -> str:
    """Return the trend table as text: one line per date, as ``check --history`` prints.

    Columns: the date, the portfolio score, unwaived findings by severity, the
    waived ones and the *worst* engagements with their scores.

    Raises:
        TypeError: *worst* is no whole number.
        ValueError: *worst* is negative.

    """
    headers = ("as of", "score", *_SEVERITIES_DOWN, "waived", "worst engagements")
    rows = [
        (
            row["as_of"].isoformat(),
            "-" if row["score"] is None else f"{row['score']:g}",
            *(str(row[s]) for s in _SEVERITIES_DOWN),
            str(row["waived"]),
            ", ".join(f"{i} ({s})" for i, s in row["worst"]),
        )
        for row in history.trend(worst)
    ]
    widths = [max(len(r[i]) for r in (headers, *rows)) for i in range(len(headers))]
    lines = []
    for row in (headers, *rows):
        cells = [
            cell.ljust(w) if i in {0, len(row) - 1} else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
