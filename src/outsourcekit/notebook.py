"""Notebook support: HTML displays, pandas DataFrames and matplotlib figures.

The HTML functions need nothing beyond the standard library; the model's and the
engine's ``_repr_html_`` methods call them, so that engagements, findings,
reports and the rule catalogue show as tables in Jupyter. The DataFrame and plot
functions need the ``notebook`` extra (``pip install "outsourcekit[notebook]"``):
pandas and matplotlib are imported inside them, never when this module is.
Plots are :class:`matplotlib.figure.Figure` objects made without pyplot, so they
touch no global state and never open a window.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence  # noqa: TC003 - evaluated by the API docs
from typing import TYPE_CHECKING, Any, Final, cast

from .engine import Finding, Report, Rule, Severity
from .engine._names import did_you_mean
from .model import KPI, Cadence, Engagement

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "EXTRA",
    "FINDING_COLUMNS",
    "SEVERITY_ORDER",
    "MissingExtraError",
    "RuleCatalogue",
    "engagement_html",
    "engagements_to_pandas",
    "finding_html",
    "planned_check_ins",
    "plot_check_ins",
    "plot_findings",
    "plot_kpi",
    "plot_scores",
    "report_html",
    "report_repr",
    "report_to_pandas",
    "rules_html",
    "rules_to_pandas",
    "scores_frame",
]

#: How to install what the DataFrame and plot functions need.
EXTRA: Final = 'pip install "outsourcekit[notebook]"'
#: Severities from the least to the most serious, the order of the severity dtype.
SEVERITY_ORDER: Final = ("info", "warning", "error")
#: The columns of :func:`report_to_pandas`, in order.
FINDING_COLUMNS: Final = (
    "engagement",
    "rule",
    "slug",
    "category",
    "severity",
    "path",
    "message",
    "fix",
    "source",
    "line",
    "waived",
    "evidence",
    "as_of",
)
#: The columns of :func:`engagements_to_pandas`, in order.
ENGAGEMENT_COLUMNS: Final = (
    "id",
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
)

_SEVERITIES_DOWN: Final = tuple(reversed(SEVERITY_ORDER))
_COLOURS: Final = {"error": "#c62828", "warning": "#ef8f00", "info": "#1e88e5"}
_DEFAULT_ROWS: Final = 200
_UTC: Final = dt.timezone.utc
_WEEK: Final = dt.timedelta(weeks=1)


class MissingExtraError(ImportError):
    """A notebook feature needs a package of the ``notebook`` extra that is missing.

    ``feature`` names what was asked for and ``package`` the missing package;
    the message says how to install the extra.
    """

    def __init__(self, feature: str, package: str) -> None:
        """Name the *feature* asked for and the missing *package*."""
        self.feature = feature
        self.package = package
        super().__init__(
            f"{feature} needs {package}, which is not installed: install the "
            f"notebook extra with {EXTRA}",
            name=package,
        )


def _require(package: str, feature: str) -> None:
    """Import *package* or raise :class:`MissingExtraError` naming *feature*."""
    try:
        importlib.import_module(package)
    except ImportError as exc:
        raise MissingExtraError(feature, package) from exc


# -- HTML ------------------------------------------------------------------------

_STYLE: Final = (
    "<style>"
    ".osk{font-size:0.9em;line-height:1.4}"
    ".osk table{border-collapse:collapse;margin:0.2em 0 0.8em 0}"
    ".osk th,.osk td{padding:0.15em 0.6em;text-align:left;vertical-align:top;"
    "border-bottom:1px solid rgba(128,128,128,0.3)}"
    ".osk td.num,.osk th.num{text-align:right}"
    ".osk .osk-title{font-weight:bold;margin:0.4em 0 0.2em 0}"
    ".osk .osk-error{color:#c62828;font-weight:bold}"
    ".osk .osk-warning{color:#b26a00;font-weight:bold}"
    ".osk .osk-info{color:#1565c0}"
    ".osk tr.osk-waived{opacity:0.6}"
    ".osk .osk-muted{opacity:0.7}"
    "</style>"
)


def _text(value: object) -> str:
    """Return *value* escaped for HTML; None (unknown) is an en dash."""
    if value is None:
        return "\u2013"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return html.escape(value.isoformat())
    return html.escape(str(value), quote=True)


def _severity(severity: Severity | str) -> str:
    word = str(severity)
    return f'<span class="osk-{_text(word)}">{_text(word)}</span>'


def _title(text: str) -> str:
    return f'<div class="osk-title">{text}</div>'


def _wrap(*parts: str) -> str:
    return '<div class="osk">' + _STYLE + "".join(parts) + "</div>"


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    row_classes: Iterable[str] | None = None,
) -> str:
    """Return an HTML table; headers are escaped here, cells must be already."""
    right = set(numeric)

    def cell(tag: str, index: int, content: str) -> str:
        cls = ' class="num"' if index in right else ""
        return f"<{tag}{cls}>{content}</{tag}>"

    head = "".join(cell("th", i, _text(h)) for i, h in enumerate(headers))
    classes = iter(row_classes) if row_classes is not None else None
    body = []
    for row in rows:
        cls = next(classes, "") if classes is not None else ""
        attr = f' class="{cls}"' if cls else ""
        cells = "".join(cell("td", i, c) for i, c in enumerate(row))
        body.append(f"<tr{attr}>{cells}</tr>")
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _facts(rows: Iterable[tuple[str, str]]) -> str:
    """Return a two-column table of facts, leaving out the empty ones."""
    body = "".join(
        f"<tr><th>{_text(name)}</th><td>{value}</td></tr>"
        for name, value in rows
        if value
    )
    return f"<table><tbody>{body}</tbody></table>"


def _location(finding: Finding) -> str:
    if finding.source is None:
        return ""
    if finding.line is None:
        return finding.source
    return f"{finding.source}:{finding.line}"


def _findings_table(
    findings: Sequence[Finding], max_rows: int | None, *, engagement: bool = True
) -> str:
    """Return findings as a table, the engagement's column only if *engagement*."""
    shown = findings if max_rows is None else findings[:max_rows]
    rows = [
        (
            *((_text(f.engagement),) if engagement else ()),
            _severity(f.severity),
            f"{_text(f.rule)} {_text(f.slug)}",
            _text(f.category),
            _text(f.path),
            f'{_text(f.message)}<div class="osk-muted">Fix: {_text(f.fix)}</div>',
            _text(_location(f)),
            "" if f.waived is None else _text(f.waived),
        )
        for f in shown
    ]
    headers = (
        *(("engagement",) if engagement else ()),
        "severity",
        "rule",
        "category",
        "path",
        "finding",
        "location",
        "waived",
    )
    classes = ["osk-waived" if f.waived is not None else "" for f in shown]
    table = _table(headers, rows, row_classes=classes)
    left = len(findings) - len(shown)
    if left > 0:
        table += (
            f'<p class="osk-muted">{left} more findings not shown; '
            "<code>report_to_pandas(report)</code> has them all.</p>"
        )
    return table


def _counts(findings: Iterable[Finding]) -> tuple[Counter[str], int]:
    """Count unwaived findings by severity word; return them and the waived count."""
    counts: Counter[str] = Counter()
    waived = 0
    for f in findings:
        if f.waived is None:
            counts[f.severity.value] += 1
        else:
            waived += 1
    return counts, waived


def _severity_summary(counts: Mapping[str, int]) -> str:
    parts = [f"{counts[s]} {_severity(s)}" for s in _SEVERITIES_DOWN if counts.get(s)]
    return ", ".join(parts) if parts else "none"


def report_repr(report: Report) -> str:
    """Return a one-line description of *report*: date, size, score and counts."""
    counts, waived = _counts(report.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in _SEVERITIES_DOWN if counts[s])
    total = sum(counts.values())
    score = report.portfolio_score
    text = (
        f"<Report as of {report.as_of.isoformat()}: "
        f"{len(report.engagements)} engagements, score "
        f"{'n/a' if score is None else score}, {total} findings"
    )
    if by_severity:
        text += f" ({by_severity})"
    return text + f", {waived} waived>"


def _categories(report: Report) -> list[str]:
    """Every category the report knows: those scored and those with findings."""
    found = {c for e in report.engagements for c in e.categories}
    found.update(f.category for f in report.findings)
    return sorted(found)


def report_html(report: Report, *, max_rows: int | None = _DEFAULT_ROWS) -> str:
    """Return *report* as HTML: scores, counts by severity and category, findings.

    At most *max_rows* findings are listed (None: all of them). Load, rule and
    plugin errors follow when there are any. Every value is escaped.
    """
    counts, waived = _counts(report.findings)
    score = report.portfolio_score
    head = _title(
        f"outsourcekit report as of {_text(report.as_of)}: "
        f"{len(report.engagements)} engagements, portfolio score "
        f"{'n/a' if score is None else _text(score)}"
    )
    summary = (
        f"<p>{sum(counts.values())} findings: {_severity_summary(counts)}; "
        f"{waived} waived.</p>"
    )
    by_category: dict[str, Counter[str]] = {c: Counter() for c in _categories(report)}
    for f in report.findings:
        if f.waived is None:
            by_category[f.category][f.severity.value] += 1
    category_rows = [
        (
            _text(c),
            *(str(n[s]) for s in _SEVERITIES_DOWN),
            str(sum(n.values())),
        )
        for c, n in by_category.items()
    ]
    category_rows.append(
        (
            "<strong>all</strong>",
            *(str(counts[s]) for s in _SEVERITIES_DOWN),
            str(sum(counts.values())),
        )
    )
    categories = _table(
        ("category", *_SEVERITIES_DOWN, "total"),
        category_rows,
        numeric=range(1, 5),
    )
    engagement_rows = []
    for e in report.engagements:
        n, w = _counts(e.findings)
        engagement_rows.append(
            (
                _text(e.id),
                f"<strong>{e.score}</strong>",
                *(str(n[s]) for s in _SEVERITIES_DOWN),
                str(w),
                _text(e.source),
            )
        )
    engagements = _table(
        ("engagement", "score", *_SEVERITIES_DOWN, "waived", "source"),
        engagement_rows,
        numeric=range(1, 6),
    )
    parts = [
        head,
        summary,
        _title("Findings by category (unwaived)"),
        categories,
        _title("Engagements"),
        engagements,
        _title("Findings"),
        _findings_table(report.findings, max_rows)
        if report.findings
        else "<p>No findings.</p>",
    ]
    parts.extend(_errors_html(report))
    return _wrap(*parts)


def _errors_html(report: Report) -> list[str]:
    parts = []
    if report.errors:
        items = "".join(f"<li>{_text(_issue_text(e))}</li>" for e in report.errors)
        parts += [_title("Load errors"), f"<ul>{items}</ul>"]
    if report.rule_errors:
        rows = [
            (_text(e.rule), _text(e.engagement), _text(e.type), _text(e.message))
            for e in report.rule_errors
        ]
        parts += [
            _title("Rule errors"),
            _table(("rule", "engagement", "type", "message"), rows),
        ]
    if report.plugin_errors:
        plugins = [(_text(e.plugin), _text(e.message)) for e in report.plugin_errors]
        parts += [_title("Plugin errors"), _table(("plugin", "message"), plugins)]
    return parts


def _issue_text(issue: object) -> str:
    to_dict = getattr(issue, "to_dict", None)
    data: Mapping[str, Any] = to_dict() if callable(to_dict) else {}
    where = data.get("source") or "<string>"
    if data.get("line") is not None:
        where += f":{data['line']}"
    path = data.get("path")
    message = data.get("message", str(issue))
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def finding_html(finding: Finding) -> str:
    """Return one finding as HTML: rule, severity, where, message, fix, evidence."""
    head = _title(
        f"{_severity(finding.severity)} {_text(finding.rule)} "
        f'{_text(finding.slug)} <span class="osk-muted">'
        f"({_text(finding.category)})</span>"
    )
    evidence = "; ".join(
        f"{_text(k)}: {_text(_plain(v))}" for k, v in finding.evidence.items()
    )
    facts = _facts(
        [
            ("engagement", _text(finding.engagement)),
            ("path", _text(finding.path) if finding.path else ""),
            ("location", _text(_location(finding)) if finding.source else ""),
            ("message", _text(finding.message)),
            ("fix", _text(finding.fix)),
            ("evidence", evidence),
            ("waived", "" if finding.waived is None else _text(finding.waived)),
        ]
    )
    return _wrap(head, facts)


def _plain(value: object) -> object:
    """Write evidence values as a person reads them (dates ISO, lists joined)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(_plain(v)) for v in items)
    return value


def _party(name: str | None, *details: object) -> str:
    known = [str(d) for d in details if d is not None]
    if name is None and not known:
        return ""
    text = _text(name)
    if known:
        text += f" ({_text(', '.join(known))})"
    return text


def _agreements_text(engagement: Engagement) -> str:
    items = []
    for a in engagement.agreements:
        text = str(a.kind) if a.kind is not None else "agreement"
        text += f" signed {a.signed_on}" if a.signed_on is not None else " unsigned"
        if a.expires is not None:
            text += f", expires {a.expires}"
        items.append(text)
    return _text("; ".join(items)) if items else ""


def _kpi_text(kpi: KPI) -> str:
    text = kpi.name or "unnamed KPI"
    details = []
    if kpi.target is not None:
        details.append(f"target {kpi.target:g}")
    if kpi.direction is not None:
        details.append(f"{kpi.direction} is better")
    if kpi.unit is not None:
        details.append(kpi.unit)
    if kpi.measurements:
        last = max(kpi.measurements, key=lambda m: _sort_key(m.at))
        details.append(f"latest {last.value:g} on {_day(last.at)}")
    if details:
        text += f" ({', '.join(details)})"
    return text


def _day(value: dt.date) -> str:
    return value.isoformat() if not isinstance(value, dt.datetime) else str(value)


def _sort_key(value: dt.date) -> tuple[dt.date, dt.time]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time().replace(tzinfo=None)
    return value, dt.time()


def _data_text(engagement: Engagement) -> str:
    data = engagement.data
    if data is None:
        return ""
    parts = []
    if data.confidential is not None:
        parts.append("confidential" if data.confidential else "not confidential")
    if data.personal_data is not None:
        parts.append("personal data" if data.personal_data else "no personal data")
    if data.shared_since is not None:
        parts.append(f"shared since {data.shared_since}")
    return _text(", ".join(parts))


def _tasks_text(engagement: Engagement) -> str:
    tasks = engagement.tasks
    if not tasks:
        return ""
    critical = sum(1 for t in tasks if t.critical)
    areas = sorted({str(t.area) for t in tasks if t.area is not None})
    text = f"{len(tasks)} ({critical} critical)"
    if areas:
        text += f": {', '.join(areas)}"
    return _text(text)


def _engagement_facts(engagement: Engagement) -> list[tuple[str, str]]:
    client = engagement.client
    vendor = engagement.vendor
    comm = engagement.communication
    return [
        ("status", _text(engagement.status) if engagement.status else ""),
        ("start", _text(engagement.start) if engagement.start else ""),
        ("end", _text(engagement.end) if engagement.end else ""),
        ("owner", _text(engagement.owner) if engagement.owner else ""),
        (
            "client",
            ""
            if client is None
            else _party(client.name, client.timezone, client.working_hours),
        ),
        (
            "vendor",
            ""
            if vendor is None
            else _party(
                vendor.name, vendor.kind, vendor.timezone, vendor.working_hours
            ),
        ),
        (
            "hours per week",
            ""
            if engagement.hours_per_week is None
            else _text(f"{engagement.hours_per_week:g}"),
        ),
        ("tasks", _tasks_text(engagement)),
        (
            "objectives",
            str(len(engagement.objectives)) if engagement.objectives else "",
        ),
        (
            "deliverables",
            str(len(engagement.deliverables)) if engagement.deliverables else "",
        ),
        ("agreements", _agreements_text(engagement)),
        (
            "check-ins",
            "" if comm is None or comm.check_ins is None else _text(comm.check_ins),
        ),
        ("KPIs", _text("; ".join(_kpi_text(k) for k in engagement.kpis))),
        ("data", _data_text(engagement)),
        ("source", _text(engagement.source) if engagement.source else ""),
    ]


def engagement_html(
    engagement: Engagement,
    report: Report | None = None,
    *,
    max_rows: int | None = _DEFAULT_ROWS,
) -> str:
    """Return *engagement* as HTML: its key facts, and its verdict in *report*.

    With a report, the engagement's score, category scores and findings (at most
    *max_rows*, None: all) follow its facts. Every value is escaped.
    """
    head = f"<strong>{_text(engagement.id)}</strong>"
    if engagement.title:
        head += f": {_text(engagement.title)}"
    parts = [_title(head), _facts(_engagement_facts(engagement))]
    if report is not None:
        result = report.by_engagement.get(engagement.id)
        if result is None:
            when = _text(report.as_of)
            parts.append(f'<p class="osk-muted">Not in the report as of {when}.</p>')
        else:
            counts, waived = _counts(result.findings)
            parts.append(
                f"<p>Score <strong>{result.score}</strong> as of "
                f"{_text(report.as_of)}; findings: {_severity_summary(counts)}; "
                f"{waived} waived.</p>"
            )
            parts.append(
                _table(
                    tuple(result.categories),
                    [tuple(str(v) for v in result.categories.values())],
                    numeric=range(len(result.categories)),
                )
            )
            if result.findings:
                table = _findings_table(result.findings, max_rows, engagement=False)
                parts.append(table)
    return _wrap(*parts)


def rules_html(rules: Iterable[Rule]) -> str:
    """Return rules as an HTML table: code, slug, title, category, severity, options."""
    items = list(rules)
    rows = [
        (
            _text(r.code),
            _text(r.slug),
            _text(r.title),
            _text(r.category),
            _severity(r.severity),
            _text(", ".join(f"{k}={v}" for k, v in sorted(r.defaults.items()))),
            _text(r.plugin) if r.plugin else "",
        )
        for r in items
    ]
    table = _table(
        ("code", "slug", "title", "category", "severity", "options", "plugin"), rows
    )
    return _wrap(_title(f"{len(items)} rules"), table)


class RuleCatalogue(list[Rule]):
    """A list of rules that shows as a table in a notebook.

    It is a plain :class:`list` otherwise; :meth:`to_pandas` gives one row per
    rule.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return rules_html(self)

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per rule (needs the ``notebook`` extra)."""
        return rules_to_pandas(self)


# -- DataFrames ------------------------------------------------------------------


def _string(pd: Any, values: Sequence[object]) -> Any:
    return pd.array(values, dtype="string")


def _dates(pd: Any, values: Sequence[dt.date | None]) -> Any:
    """Return dates as a datetime64 array in seconds (any year, unlike nanoseconds)."""
    import numpy as np  # noqa: PLC0415 - installed with pandas

    days = np.array(values, dtype="datetime64[D]")
    return pd.array(days.astype("datetime64[s]"))


def report_to_pandas(report: Report) -> pd.DataFrame:
    """Return one row per finding of *report*, waived ones included, in its order.

    Columns (:data:`FINDING_COLUMNS`): ``engagement``, ``rule``, ``slug``,
    ``path``, ``message``, ``fix``, ``source`` and ``waived`` (the waiver's
    reason, else missing) are strings; ``category`` is categorical over every
    category of the report; ``severity`` is an ordered categorical (info <
    warning < error), so ``df[df.severity >= "warning"]`` works; ``line`` is a
    nullable integer; ``evidence`` holds dicts; ``as_of`` is the report's date as
    a datetime64 column.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    _require("pandas", "report_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    findings = report.findings

    def column(name: str) -> list[Any]:
        return [getattr(f, name) for f in findings]

    return pd.DataFrame(
        {
            "engagement": _string(pd, column("engagement")),
            "rule": _string(pd, column("rule")),
            "slug": _string(pd, column("slug")),
            "category": pd.Categorical(
                column("category"), categories=_categories(report)
            ),
            "severity": pd.Categorical(
                [f.severity.value for f in findings],
                categories=SEVERITY_ORDER,
                ordered=True,
            ),
            "path": _string(pd, column("path")),
            "message": _string(pd, column("message")),
            "fix": _string(pd, column("fix")),
            "source": _string(pd, column("source")),
            "line": pd.array(column("line"), dtype="Int64"),
            "waived": _string(pd, column("waived")),
            "evidence": pd.Series(
                [dict(f.evidence) for f in findings], dtype=object
            ).array,
            "as_of": _dates(pd, [report.as_of] * len(findings)),
        },
        columns=list(FINDING_COLUMNS),
    )


def scores_frame(report: Report) -> pd.DataFrame:
    """Return one row per engagement: ``engagement``, ``score``, category scores.

    There is one nullable-integer column per category (sorted), missing where a
    category was not scored for an engagement; rows are in the report's order.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    _require("pandas", "scores_frame()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    results = report.engagements
    categories = sorted({c for e in results for c in e.categories})
    data: dict[str, Any] = {
        "engagement": _string(pd, [e.id for e in results]),
        "score": pd.array([e.score for e in results], dtype="Int64"),
    }
    for category in categories:
        data[category] = pd.array(
            [e.categories.get(category) for e in results], dtype="Int64"
        )
    return pd.DataFrame(data, columns=["engagement", "score", *categories])


def _zone(engagement: Engagement) -> dt.tzinfo:
    """Return the client's time zone, UTC when unknown (as the rules read it)."""
    tz = engagement.timezone
    return _UTC if tz is None else tz.tzinfo


def _midnight(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _check_in_cadence(engagement: Engagement) -> Cadence | None:
    comm = engagement.communication
    return None if comm is None else comm.check_ins


def planned_check_ins(
    engagement: Engagement, week_of: dt.date, *, as_of: dt.date | None = None
) -> int | None:
    """Return the check-ins planned in the ISO week containing *week_of*, in full.

    The cadence is anchored as the rules anchor it: 00:00 of ``start`` in the
    client's time zone, else of *as_of*, else of *week_of*. None when no
    check-ins are planned.
    """
    cadence = _check_in_cadence(engagement)
    if cadence is None:
        return None
    tz = _zone(engagement)
    anchor_day = engagement.start or as_of or week_of
    return cadence.per_week(_midnight(anchor_day, tz), week_of)


def _has_signed_nda(engagement: Engagement, as_of: dt.date | None) -> bool:
    return any(
        a.counts_as_nda
        and a.signed_on is not None
        and (as_of is None or a.is_signed(as_of))
        for a in engagement.agreements
    )


def _week_for(engagement: Engagement, as_of: dt.date | None) -> dt.date | None:
    """Return the day whose week OSK301 starts from: as_of, or a later start."""
    start = engagement.start
    if as_of is None:
        return start
    if start is not None and start > as_of:
        return start
    return as_of


def engagements_to_pandas(
    engagements: Engagement | Iterable[Engagement], *, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Return one row per engagement with its key facts, for portfolio analysis.

    Columns (:data:`ENGAGEMENT_COLUMNS`): text columns ``id``, ``title``,
    ``status``, ``owner``, ``client``, ``client_timezone``, ``vendor`` (its
    name), ``vendor_kind``, ``vendor_timezone``, ``areas`` (the tasks' areas,
    sorted, comma-separated), ``check_ins`` (the planned cadence as written) and
    ``source``; ``start`` and ``end`` as datetime64; nullable integers
    ``tasks``, ``critical_tasks``, ``kpi_count``, ``agreements`` and
    ``check_ins_per_week``; ``has_nda`` (a signed NDA, or an MSA or contract with
    confidentiality clauses, signed on or before *as_of* when given) as a
    boolean; ``confidential`` and ``personal_data`` as nullable booleans
    (missing where the file does not say).

    ``check_ins_per_week`` counts the planned check-ins in the ISO week
    containing *as_of* (or ``start``, if later), as the micromanagement rule
    does; without *as_of*, in the week containing ``start``; missing when no
    check-ins are planned or no week can be chosen.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    _require("pandas", "engagements_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    items = [engagements] if isinstance(engagements, Engagement) else list(engagements)
    rows: dict[str, list[Any]] = {name: [] for name in ENGAGEMENT_COLUMNS}
    for e in items:
        client, vendor = e.client, e.vendor
        cadence = _check_in_cadence(e)
        week = _week_for(e, as_of)
        per_week = None
        if cadence is not None and week is not None:
            per_week = planned_check_ins(e, week, as_of=as_of)
        data = e.data
        values = {
            "id": e.id,
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
            "areas": ", ".join(sorted({str(t.area) for t in e.tasks if t.area}))
            or None,
            "tasks": len(e.tasks),
            "critical_tasks": sum(1 for t in e.tasks if t.critical),
            "kpi_count": len(e.kpis),
            "agreements": len(e.agreements),
            "has_nda": _has_signed_nda(e, as_of),
            "confidential": None if data is None else data.confidential,
            "personal_data": None if data is None else data.personal_data,
            "check_ins": _word(cadence),
            "check_ins_per_week": per_week,
            "source": e.source,
        }
        for name, value in values.items():
            rows[name].append(value)
    text = (
        "id",
        "title",
        "status",
        "owner",
        "client",
        "client_timezone",
        "vendor",
        "vendor_kind",
        "vendor_timezone",
        "areas",
        "check_ins",
        "source",
    )
    counts = (
        "tasks",
        "critical_tasks",
        "kpi_count",
        "agreements",
        "check_ins_per_week",
    )
    columns: dict[str, Any] = {}
    for name in ENGAGEMENT_COLUMNS:
        cells: list[Any] = rows[name]
        if name in text:
            columns[name] = _string(pd, cells)
        elif name in counts:
            columns[name] = pd.array(cells, dtype="Int64")
        elif name in {"start", "end"}:
            columns[name] = _dates(pd, cells)
        elif name == "has_nda":
            columns[name] = pd.array(cells, dtype=bool)
        else:
            columns[name] = pd.array(cells, dtype="boolean")
    return pd.DataFrame(columns, columns=list(ENGAGEMENT_COLUMNS))


def _word(value: object) -> str | None:
    return None if value is None else str(value)


def rules_to_pandas(rules: Iterable[Rule]) -> pd.DataFrame:
    """Return one row per rule: code, slug, title, category, severity, fix, plugin.

    ``severity`` is the same ordered categorical as in :func:`report_to_pandas`;
    ``options`` holds each rule's option defaults as a dict.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    _require("pandas", "rules_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    items = list(rules)
    return pd.DataFrame(
        {
            "code": _string(pd, [r.code for r in items]),
            "slug": _string(pd, [r.slug for r in items]),
            "title": _string(pd, [r.title for r in items]),
            "category": _string(pd, [r.category for r in items]),
            "severity": pd.Categorical(
                [r.severity.value for r in items],
                categories=SEVERITY_ORDER,
                ordered=True,
            ),
            "fix": _string(pd, [r.fix for r in items]),
            "options": pd.Series([r.defaults for r in items], dtype=object).array,
            "plugin": _string(pd, [r.plugin for r in items]),
        }
    )


# -- plots -----------------------------------------------------------------------


def _figure(feature: str, width: float = 8.0, height: float = 4.5) -> Figure:
    """Return a new figure, shown as an image in notebooks, without pyplot."""
    _require("matplotlib", feature)
    from ._figure import NotebookFigure  # noqa: PLC0415 - the notebook extra

    return NotebookFigure(figsize=(width, height), layout="constrained")


def _whole_numbers(ax: Axes) -> None:
    """Put ticks of the y axis on whole numbers only: the axis counts things."""
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - the notebook extra

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _nothing(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def plot_findings(report: Report) -> Figure:
    """Return a figure of unwaived findings per category, stacked by severity.

    One bar per category of the report and severity (errors at the bottom, then
    warnings, then infos), so ``ax.patches`` holds three bars per category.

    Raises:
        MissingExtraError: matplotlib is not installed.

    """
    fig = _figure("plot_findings()")
    ax = fig.add_subplot()
    categories = _categories(report)
    counts = {c: Counter[str]() for c in categories}
    for f in report.findings:
        if f.waived is None:
            counts[f.category][f.severity.value] += 1
    positions = list(range(len(categories)))
    bottom = [0] * len(categories)
    for severity in _SEVERITIES_DOWN:
        heights = [counts[c][severity] for c in categories]
        ax.bar(
            positions,
            heights,
            bottom=bottom,
            label=severity,
            color=_COLOURS[severity],
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=False)]
    ax.set_xticks(positions, categories, rotation=30, ha="right")
    ax.set_ylabel("unwaived findings")
    ax.set_title(f"Findings by category and severity, as of {report.as_of}")
    if categories:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
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
        ValueError: *bins* is less than 1.

    """
    if bins < 1:
        msg = f"bins must be at least 1 (got {bins!r})"
        raise ValueError(msg)
    fig = _figure("plot_scores()")
    ax = fig.add_subplot()
    scores = [e.score for e in report.engagements]
    edges = [100 * i / bins for i in range(bins + 1)]
    ax.hist(scores, bins=edges, color="#5c6bc0", edgecolor="white")
    mean = report.portfolio_score
    if mean is not None:
        ax.axvline(mean, color="#c62828", linestyle="--", label=f"portfolio {mean}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        _nothing(ax, "no engagements in this report")
    ax.set_xlim(0, 100)
    ax.set_xlabel("health score")
    ax.set_ylabel("engagements")
    ax.set_title(f"Health scores of {len(scores)} engagements, as of {report.as_of}")
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


def _wall_clock(value: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Return a date or date-time as a naive wall-clock time in the client's zone."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(tz).replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


def _known(value: dt.date, as_of: dt.date | None, tz: dt.tzinfo) -> bool:
    """Whether a fact dated *value* is known at *as_of* (as the rules decide)."""
    if as_of is None:
        return True
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        return moment <= _midnight(as_of, tz)
    return value <= as_of


def plot_kpi(
    engagement: Engagement, kpi_name: str, as_of: dt.date | None = None
) -> Figure:
    """Return a figure of a KPI's measurements over time against its target.

    Measurements after *as_of* are left out, as the rules ignore them. The
    measurements are one line (with markers) and the target, when set, a
    second, horizontal one.

    Raises:
        KeyError: the engagement has no KPI named *kpi_name* (the message
            suggests the closest name).
        MissingExtraError: matplotlib is not installed.

    """
    kpi = _find_kpi(engagement, kpi_name)
    fig = _figure("plot_kpi()")
    ax = fig.add_subplot()
    tz = _zone(engagement)
    points = sorted(
        (_wall_clock(m.at, tz), m.value)
        for m in kpi.measurements
        if _known(m.at, as_of, tz)
    )
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
    if kpi.target is not None:
        better = f", {kpi.direction} is better" if kpi.direction is not None else ""
        ax.axhline(
            kpi.target,
            color="#2e7d32",
            linestyle="--",
            label=f"target {kpi.target:g}{better}",
        )
    if points or kpi.target is not None:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_ylabel(kpi.unit or kpi_name)
    when = f", as of {as_of}" if as_of is not None else ""
    ax.set_title(f"{engagement.id}: KPI {kpi_name}{when}")
    fig.autofmt_xdate()
    return fig


def _logged_per_week(
    engagement: Engagement, as_of: dt.date, mondays: Sequence[dt.date]
) -> list[int]:
    """Count logged check-ins known at *as_of* in each week starting on *mondays*."""
    tz = _zone(engagement)
    counts: Counter[dt.date] = Counter()
    for entry in engagement.check_ins:
        if not _known(entry.at, as_of, tz):
            continue
        at = entry.at
        if isinstance(at, dt.datetime):
            moment = at if at.tzinfo is not None else at.replace(tzinfo=tz)
            day = moment.astimezone(tz).date()
        else:
            day = at
        counts[_monday(day)] += 1
    return [counts[m] for m in mondays]


def plot_check_ins(
    engagement: Engagement,
    as_of: dt.date,
    *,
    weeks: int = 12,
    max_per_week: int = 5,
) -> Figure:
    """Return a figure of check-ins per ISO week against the micromanagement limit.

    The figure spans *weeks* ISO weeks, the week containing *as_of* in the
    middle (``weeks // 2`` weeks before it). Each week has two bars, planned
    check-ins (from ``communication.check_ins``, counted in full as the rules
    count them) and logged ones known at *as_of*, so ``ax.patches`` holds
    ``2 * weeks`` bars; a horizontal line marks *max_per_week* and a vertical one
    the week of *as_of*. Weeks are Monday to Sunday in the client's time zone.

    Raises:
        MissingExtraError: matplotlib is not installed.
        ValueError: *weeks* is less than 1.

    """
    if weeks < 1:
        msg = f"weeks must be at least 1 (got {weeks!r})"
        raise ValueError(msg)
    fig = _figure("plot_check_ins()")
    ax = fig.add_subplot()
    current = _monday(as_of)
    first = current - (weeks // 2) * _WEEK
    mondays = [first + k * _WEEK for k in range(weeks)]
    cadence = _check_in_cadence(engagement)
    if cadence is None:
        planned = [0] * weeks
    else:
        anchor = _midnight(engagement.start or as_of, _zone(engagement))
        planned = [cadence.per_week(anchor, m) for m in mondays]
    logged = _logged_per_week(engagement, as_of, mondays)
    positions = list(range(weeks))
    width = 0.4
    ax.bar(
        [p - width / 2 for p in positions],
        planned,
        width=width,
        color="#3949ab",
        label=f"planned ({cadence})" if cadence is not None else "planned (none)",
    )
    ax.bar(
        [p + width / 2 for p in positions],
        logged,
        width=width,
        color="#90a4ae",
        label="logged",
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
    ax.set_title(f"{engagement.id}: check-ins per ISO week")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _whole_numbers(ax)
    return fig
