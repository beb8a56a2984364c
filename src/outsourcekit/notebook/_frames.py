"""pandas DataFrames of reports, rules and engagements' key facts."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - evaluated by the API docs
from collections.abc import Iterable  # noqa: TC003 - evaluated by the API docs
from typing import TYPE_CHECKING, Any, Final

from outsourcekit._dates import as_date
from outsourcekit.engine import Report, Rule
from outsourcekit.engine import _frames as engine_frames
from outsourcekit.engine._errors import shown
from outsourcekit.model import Engagement  # noqa: TC001 - evaluated by the API docs

if TYPE_CHECKING:
    import pandas as pd

    from outsourcekit._history import History
    from outsourcekit.engine import Finding

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "engagements_to_pandas",
    "history_findings_frame",
    "history_portfolio_frame",
    "history_scores_frame",
    "planned_check_ins",
    "report_to_pandas",
    "rules_to_pandas",
    "scores_frame",
]

#: The columns of :func:`engagements_to_pandas`, in order.
ENGAGEMENT_COLUMNS: Final = (
    "engagement",
    "title",
    "status",
    "owner",
    "client",
    "client_timezone",
    "vendor",
    "vendor_kind",
    "vendor_timezone",
    "start",
    "end",
    "areas",
    "tasks",
    "critical_tasks",
    "kpi_count",
    "agreements",
    "has_nda",
    "confidential",
    "personal_data",
    "check_ins",
    "check_ins_per_week",
    "source",
    "id",
)
_TEXT: Final = frozenset(
    {
        "engagement",
        "id",
        "title",
        "owner",
        "client",
        "client_timezone",
        "vendor",
        "vendor_kind",
        "vendor_timezone",
        "areas",
        "check_ins",
        "source",
    }
)
_COUNTS: Final = frozenset(
    {"tasks", "critical_tasks", "kpi_count", "agreements", "check_ins_per_week"}
)


def report_to_pandas(
    report: Report, engagements: Engagement | Iterable[Engagement] | None = None
) -> pd.DataFrame:
    """Return one row per finding of *report*, waived ones included, in its order.

    Columns (:data:`FINDING_COLUMNS`): ``engagement`` (the id, the key the
    engagement frame shares), ``title``, ``vendor``, ``client`` (the parties'
    names), ``rule``, ``slug``, ``path``, ``message``, ``fix``, ``source`` and
    ``waived`` (the waiver's reason, else missing) are strings; ``status`` is
    the engagement's status, an ordered categorical (proposed < trial < active
    < paused < ended); ``category`` is an ordered categorical over every
    category of the report, alphabetical; ``severity`` is an ordered
    categorical (info < warning < error), so ``df[df.severity >= "warning"]``
    works; ``line`` is a nullable integer; ``evidence`` holds dicts of plain
    data nested as in the JSON output (mappings dicts, lists and sets lists,
    copies the caller may change; dates stay dates); ``as_of``
    is the report's date as a datetime64 column. A report compared with a
    baseline has a last column ``baseline``, a categorical of ``new`` and
    ``unchanged``. ``title``, ``vendor``, ``client`` and ``status`` come from
    *engagements* (the engagements checked, or the one engagement) and are
    missing without them. The same frame as ``report.to_pandas(engagements)``.

    Raises:
        MissingExtraError: pandas is not installed.
        TypeError: *report* is no report (engagements not yet checked).
        ValueError: the report's findings went to a sink (``check_stream``).

    """
    return engine_frames.report_to_pandas(report, engagements)


def scores_frame(report: Report) -> pd.DataFrame:
    """Return one row per engagement: ``engagement``, ``score``, category scores.

    There is one nullable-integer column per category (sorted), missing where a
    category was not scored for an engagement; a category named as a column
    before it (a plugin's ``score``) has its column named ``score (category)``.
    Rows are in the report's order.
    The same frame as ``report.scores_frame()``.

    Raises:
        MissingExtraError: pandas is not installed.
        TypeError: *report* is no report (engagements not yet checked).

    """
    return engine_frames.scores_frame(report)


def rules_to_pandas(rules: Iterable[Rule]) -> pd.DataFrame:
    """Return one row per rule: code, slug, title, category, severity, fix, plugin.

    ``severity`` is the same ordered categorical as in :func:`report_to_pandas`;
    ``options`` holds each rule's option defaults as a dict.

    Raises:
        MissingExtraError: pandas is not installed.
        TypeError: *rules* is no list of rules (one rule, a code).

    """
    return engine_frames.rules_to_pandas(rules)


def planned_check_ins(
    engagement: Engagement,
    week_of: dt.date | str,
    *,
    as_of: dt.date | str | None = None,
) -> int | None:
    """Return the check-ins planned in the ISO week containing *week_of*, in full.

    The cadence is anchored as the rules anchor it: 00:00 of ``start`` in the
    client's time zone, else of *as_of*, else of *week_of*. None when no
    check-ins are planned. Dates may be ``YYYY-MM-DD`` text. See
    :meth:`outsourcekit.model.Engagement.planned_check_ins`.

    Raises:
        TypeError: *engagement* is no engagement (its result in a report, an
            id).
        ValueError: a date is not one.

    """
    engine_frames.require_engagement(engagement, "planned_check_ins")
    day = None if as_of is None else as_date(as_of)
    return engagement.planned_check_ins(as_date(week_of), as_of=day)


def _per_week(engagement: Engagement, as_of: dt.date | None) -> int | None:
    """Return the check-ins planned in the week OSK301 starts from, if any."""
    week = engagement.start if as_of is None else engagement.plan_start(as_of)
    if week is None:
        return None
    return engagement.planned_check_ins(week, as_of=as_of)


def _word(value: object) -> str | None:
    return None if value is None else str(value)


def _row(e: Engagement, as_of: dt.date | None) -> dict[str, Any]:
    client, vendor, data = e.client, e.vendor, e.data
    return {
        "engagement": e.id,
        "title": e.title,
        "status": _word(e.status),
        "owner": e.owner,
        "client": None if client is None else client.name,
        "client_timezone": None if client is None else _word(client.timezone),
        "vendor": None if vendor is None else vendor.name,
        "vendor_kind": None if vendor is None else _word(vendor.kind),
        "vendor_timezone": None if vendor is None else _word(vendor.timezone),
        "start": e.start,
        "end": e.end,
        "areas": ", ".join(sorted({str(t.area) for t in e.tasks if t.area})) or None,
        "tasks": len(e.tasks),
        "critical_tasks": sum(1 for t in e.tasks if t.critical),
        "kpi_count": len(e.kpis),
        "agreements": len(e.agreements),
        "has_nda": bool(e.signed_ndas(as_of)),
        "confidential": None if data is None else data.confidential,
        "personal_data": None if data is None else data.personal_data,
        "check_ins": _word(e.check_in_cadence),
        "check_ins_per_week": _per_week(e, as_of),
        "source": e.source,
        "id": e.id,
    }


def engagements_to_pandas(
    engagements: Engagement | Iterable[Engagement],
    *,
    as_of: dt.date | str | None = None,
) -> pd.DataFrame:
    """Return one row per engagement with its key facts, for portfolio analysis.

    Columns (:data:`ENGAGEMENT_COLUMNS`): text columns ``engagement`` (the id,
    the key findings frames share, so ``findings.merge(engagements,
    on="engagement")`` joins them), ``title``, ``owner``, ``client``,
    ``client_timezone``, ``vendor`` (its name), ``vendor_kind``,
    ``vendor_timezone``, ``areas`` (the tasks' areas, sorted,
    comma-separated), ``check_ins`` (the planned cadence as written) and
    ``source``; ``start`` and ``end`` as datetime64; nullable integers
    ``tasks``, ``critical_tasks``, ``kpi_count``, ``agreements`` and
    ``check_ins_per_week``; ``has_nda`` (a signed NDA, or an MSA or contract with
    confidentiality clauses, signed on or before *as_of* when given) as a
    boolean; ``confidential`` and ``personal_data`` as nullable booleans
    (missing where the file does not say); ``status`` as an ordered
    categorical (proposed < trial < active < paused < ended). The last column,
    ``id``, repeats ``engagement`` for code written before the key was renamed;
    it is deprecated and will be removed in 2.0.

    ``check_ins_per_week`` counts the planned check-ins in the ISO week
    containing *as_of* (or ``start``, if later), as the micromanagement rule
    does; without *as_of*, in the week containing ``start``; missing when no
    check-ins are planned or no week can be chosen. *as_of* may be
    ``YYYY-MM-DD`` text.

    Raises:
        MissingExtraError: pandas is not installed.
        TypeError: *engagements* are no engagements (text, a path, a mapping).
        ValueError: *as_of* is not a date.

    """
    engine_frames.require("pandas", "engagements_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    day = None if as_of is None else as_date(as_of)

    items = engine_frames.engagement_list(engagements, "engagements_to_pandas")
    rows: dict[str, list[Any]] = {name: [] for name in ENGAGEMENT_COLUMNS}
    for e in items:
        for name, value in _row(e, day).items():
            rows[name].append(value)
    columns: dict[str, Any] = {}
    for name in ENGAGEMENT_COLUMNS:
        cells: list[Any] = rows[name]
        if name in _TEXT:
            columns[name] = engine_frames.strings(pd, cells)
        elif name in _COUNTS:
            columns[name] = pd.array(cells, dtype="Int64")
        elif name in {"start", "end"}:
            columns[name] = engine_frames.dates(pd, cells)
        elif name == "status":
            columns[name] = engine_frames.statuses(pd, cells)
        elif name == "has_nda":
            columns[name] = pd.array(cells, dtype=bool)
        else:
            columns[name] = pd.array(cells, dtype="boolean")
    return pd.DataFrame(columns, columns=list(ENGAGEMENT_COLUMNS))


def require_history(value: object, what: str) -> None:
    """Raise TypeError unless *value* is a history, naming the function *what*.

    A history is known by what it holds (``_history`` imports this module when
    its frames are asked for). A report is refused saying how to make a history.
    """
    if hasattr(value, "reports") and hasattr(value, "dates"):
        return
    report = all(hasattr(value, name) for name in ("as_of", "engagements"))
    hint = ": check at several dates with outsourcekit.history()" if report else ""
    msg = f"{what}() expects a History, got {shown(value)}{hint}"
    raise TypeError(msg)


def history_scores_frame(history: History) -> pd.DataFrame:
    """Return one row per (as_of, engagement) of *history*, with its scores.

    Columns: ``as_of`` (datetime64), ``engagement``, ``vendor``, ``client``
    (strings), ``score`` and one nullable-integer column per category scored
    at any date (sorted); a category named as a column before it (a plugin's
    ``vendor``) has its column named ``vendor (category)``.
    ``History.scores_frame()``.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    require_history(history, "history_scores_frame")
    engine_frames.require("pandas", "History.scores_frame()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    known = engine_frames.engagement_facts(history.engagements)
    nothing = (None, None, None, None)
    scored = sorted({c for r in history for e in r.engagements for c in e.categories})
    rows = [(r.as_of, e) for r in history for e in r.engagements]
    data: dict[str, Any] = {
        "as_of": engine_frames.dates(pd, [day for day, _ in rows]),
        "engagement": engine_frames.strings(pd, [e.id for _, e in rows]),
        "vendor": engine_frames.strings(
            pd, [known.get(e.id, nothing)[1] for _, e in rows]
        ),
        "client": engine_frames.strings(
            pd, [known.get(e.id, nothing)[2] for _, e in rows]
        ),
        "score": pd.array([e.score for _, e in rows], dtype="Int64"),
    }
    for category, column in engine_frames.category_columns(data, scored).items():
        data[column] = pd.array(
            [e.categories.get(category) for _, e in rows], dtype="Int64"
        )
    return pd.DataFrame(data, columns=list(data))


def history_portfolio_frame(history: History) -> pd.DataFrame:
    """Return one row per as_of of *history*: the portfolio's score and findings.

    Columns: ``as_of`` (datetime64), ``engagements``, ``score`` (the portfolio
    score, a float), ``findings`` and ``waived`` (counts), then the unwaived
    findings by severity (``error``, ``warning``, ``info``) and by category
    (one column per category with findings at any date, sorted; a category
    named as a column before it, such as a plugin's ``error``, has its column
    named ``error (category)``). ``History.portfolio_frame()``.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    require_history(history, "history_portfolio_frame")
    engine_frames.require("pandas", "History.portfolio_frame()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    reports = list(history)
    found = sorted({f.category for r in reports for f in r.findings})
    severities = tuple(reversed(engine_frames.SEVERITY_ORDER))
    data: dict[str, Any] = {
        "as_of": engine_frames.dates(pd, [r.as_of for r in reports]),
        "engagements": pd.array([len(r.engagements) for r in reports], dtype="Int64"),
        "score": pd.array([r.portfolio_score for r in reports], dtype="Float64"),
    }
    fixed = (*data, "findings", "waived", *severities)
    columns = engine_frames.category_columns(fixed, found)
    counts: dict[str, list[int]] = {
        name: [] for name in (*fixed[len(data) :], *columns.values())
    }
    for r in reports:
        tally = dict.fromkeys(counts, 0)
        for f in r.findings:
            if f.waived is not None:
                tally["waived"] += 1
                continue
            tally["findings"] += 1
            tally[f.severity.value] += 1
            tally[columns[f.category]] += 1
        for name, n in tally.items():
            counts[name].append(n)
    for name, values in counts.items():
        data[name] = pd.array(values, dtype="Int64")
    return pd.DataFrame(data, columns=list(data))


def history_findings_frame(history: History) -> pd.DataFrame:
    """Return one row per finding and date of *history*, dates oldest first.

    The columns of :func:`report_to_pandas`, the engagement's title, vendor,
    client and status filled in, ``as_of`` telling the dates apart; the
    ``category`` categorical spans every date's categories.
    ``History.findings_frame()``.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    require_history(history, "history_findings_frame")
    engine_frames.require("pandas", "History.findings_frame()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    findings: list[Finding] = []
    days: list[dt.date] = []
    every: set[str] = set()
    for r in history:
        held = engine_frames.held_findings(r, "History.findings_frame()")
        findings.extend(held)
        days.extend([r.as_of] * len(held))
        every.update(engine_frames.categories(r))
    known = engine_frames.engagement_facts(history.engagements)
    return engine_frames.findings_frame(pd, findings, days, sorted(every), known)
