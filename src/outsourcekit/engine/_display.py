"""HTML and text of findings, reports and rules, as notebooks show them.

Standard library only, like the engagement's display it builds on
(``outsourcekit.model._display``): a report shows as tables in Jupyter
without pandas. Every value is escaped; nothing is loaded from elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, SupportsIndex, overload

from outsourcekit._shorten import plural as _plural
from outsourcekit.model._display import engagement_html as _engagement_facts_html
from outsourcekit.model._display import facts as _facts
from outsourcekit.model._display import number as _number
from outsourcekit.model._display import one_line as _one_line
from outsourcekit.model._display import path_html as _path_html
from outsourcekit.model._display import sort_text, writable
from outsourcekit.model._display import table as _table
from outsourcekit.model._display import text as _text
from outsourcekit.model._display import title as _title
from outsourcekit.model._display import wrap as _wrap

from ._errors import shown as _shown
from ._evidence import json_data
from ._frames import (
    SEVERITY_ORDER,
    categories,
    require_engagement,
    require_report,
    rule_list,
    rules_to_pandas,
)
from ._rule import _DERIVED, Rule

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

    from outsourcekit.model import Engagement

    from ._finding import Finding
    from ._report import EngagementResult, Report, ReportDiff
    from ._rule import Severity

__all__ = [
    "DEFAULT_ENGAGEMENTS",
    "DEFAULT_ERRORS",
    "DEFAULT_ROWS",
    "RuleCatalogue",
    "check_count",
    "diff_html",
    "diff_repr",
    "engagement_html",
    "finding_html",
    "finding_repr",
    "report_html",
    "report_repr",
    "result_html",
    "result_repr",
    "rules_html",
    "rules_repr",
]

#: How many findings a report's or an engagement's HTML lists by default.
DEFAULT_ROWS: Final = 200
#: How many engagements a report's HTML lists by default, as many as the
#: portfolio charts draw: a row per engagement of a large portfolio would put
#: megabytes into every notebook that shows the report.
DEFAULT_ENGAGEMENTS: Final = 50
#: How many load errors a report's HTML lists, and as many rule errors and
#: plugin errors: a portfolio of broken files would otherwise put a line per
#: error into every notebook that shows the report.
DEFAULT_ERRORS: Final = 50
_SEVERITIES_DOWN: Final = tuple(reversed(SEVERITY_ORDER))


def _severity(severity: Severity | str) -> str:
    word = str(severity)
    return f'<span class="osk-{_text(word)}">{_text(word)}</span>'


def _findings_table(
    findings: Sequence[Finding],
    max_rows: int | None,
    *,
    engagement: bool = True,
    all_in: str = "<code>report_to_pandas(report)</code>",
    baseline: Callable[[Finding], str | None] | None = None,
) -> str:
    """Return findings as a table, the engagement's column only if *engagement*.

    Below at most *max_rows* rows, the rest are counted; *all_in* says where
    they all are. *baseline*, for a report compared with one, gives each
    finding's state against it (``new`` or ``unchanged``), a last column.
    """
    shown = findings if max_rows is None else findings[:max_rows]
    rows = [
        (
            *((_text(f.engagement),) if engagement else ()),
            _severity(f.severity),
            f"{_text(f.rule)} {_text(f.slug)}",
            _text(f.category),
            _text(f.path),
            f'{_text(f.message)}<div class="osk-muted">Fix: {_text(f.fix)}</div>',
            _path_html(f.source, f.line),
            "" if f.waived is None else _text(f.waived),
            *(() if baseline is None else (_text(baseline(f)),)),
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
        *(() if baseline is None else ("baseline",)),
    )
    classes = ["osk-waived" if f.waived is not None else "" for f in shown]
    table = _table(headers, rows, row_classes=classes)
    return table + _left_out(len(findings) - len(shown), "finding", all_in)


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


def _report_counts(report: Report) -> tuple[Counter[str], int]:
    """Count *report*'s unwaived findings by severity word, and its waived ones.

    A streamed report is counted from what went to its sink.
    """
    counts = report.counts
    return (
        Counter(error=counts.error, warning=counts.warning, info=counts.info),
        counts.waived,
    )


#: What a streamed report says in place of its findings.
_STREAMED: Final = (
    "<p>The findings went to a sink (<code>check_stream</code>): this report "
    "holds their counts and the scores, not the findings.</p>"
)


#: What an engagement's display says in place of its findings, of a streamed
#: report.
_STREAMED_ENGAGEMENT: Final = (
    "<p>The findings went to a sink (<code>check_stream</code>): this report "
    "holds the engagement's score, not its findings.</p>"
)


def _error_counts(report: Report) -> list[str]:
    """Return how many load, rule and plugin errors *report* has, those it has."""
    counts = (
        (len(report.errors), "load error"),
        (len(report.rule_errors), "rule error"),
        (len(report.plugin_errors), "plugin error"),
    )
    return [_plural(n, what) for n, what in counts if n]


def _and(items: Sequence[str]) -> str:
    """Return *items* as a phrase: ``a``, ``a and b``, ``a, b and c``."""
    return " and ".join(filter(None, (", ".join(items[:-1]), *items[-1:])))


def report_repr(report: Report) -> str:
    """Return a one-line description of *report*: date, size, score and counts.

    The counts of load, rule and plugin errors follow, when there are any.
    """
    counts, waived = _report_counts(report)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in _SEVERITIES_DOWN if counts[s])
    total = sum(counts.values())
    score = report.portfolio_score
    text = (
        f"<Report as of {report.as_of.isoformat()}: "
        f"{_plural(len(report.engagements), 'engagement')}, score "
        f"{'n/a' if score is None else _number(score)}, {_plural(total, 'finding')}"
    )
    if by_severity:
        text += f" ({by_severity})"
    text += f", {waived} waived"
    text += "".join(f", {errors}" for errors in _error_counts(report))
    return text + (">" if report.streamed is None else ", findings streamed>")


def result_repr(result: EngagementResult) -> str:
    """Return a one-line description of an engagement's result: score and counts.

    The findings are counted, never listed: an engagement of thousands of
    findings shows in one line. Of a report whose findings went to a sink, it
    says so in place of the counts.
    """
    eid = _one_line(result.id)  # a report read back names any text
    if result.streamed:
        return f"<EngagementResult {eid}: score {result.score}, findings streamed>"
    counts, waived = _counts(result.findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in _SEVERITIES_DOWN if counts[s])
    text = (
        f"<EngagementResult {eid}: score {result.score}, "
        f"{_plural(sum(counts.values()), 'finding')}"
    )
    if by_severity:
        text += f" ({by_severity})"
    return text + f", {waived} waived>"


def result_html(
    result: EngagementResult, *, max_rows: int | None = DEFAULT_ROWS
) -> str:
    """Return an engagement's result as HTML: score, category scores, findings.

    At most *max_rows* findings are listed (None: all of them), the rest
    counted. Of a report whose findings went to a sink (``check_stream``), a
    note says so in place of the findings. Every value is escaped.

    Raises:
        TypeError: *max_rows* is neither a whole number nor None.
        ValueError: *max_rows* is negative.

    """
    max_rows = check_count("max_rows", max_rows)
    source = f"<p>{_path_html(result.source)}</p>" if result.source else ""
    head = _title(f"<strong>{_text(result.id)}</strong>: score {result.score}")
    if result.streamed:
        parts = [head, source, _STREAMED_ENGAGEMENT]
        if result.categories:
            parts.append(_scores_table(result.categories))
        return _wrap(*parts)
    counts, waived = _counts(result.findings)
    parts = [
        head,
        f"<p>Findings: {_severity_summary(counts)}; {waived} waived."
        + (f" {_path_html(result.source)}" if result.source else "")
        + "</p>",
    ]
    if result.categories:
        parts.append(_scores_table(result.categories))
    if result.findings:
        parts.append(
            _findings_table(
                result.findings,
                max_rows,
                engagement=False,
                all_in="<code>result.findings</code>",
            )
        )
    return _wrap(*parts)


def _engagements_table(
    report: Report, max_engagements: int | None, *, counted: bool
) -> str:
    """Return the engagements' table: at most *max_engagements*, in the report's order.

    With *counted*, each row has the engagement's findings by severity and its
    waived ones (a streamed report holds no findings to count). The engagements
    left out are counted below the table.
    """
    results = report.engagements
    shown = results if max_engagements is None else results[:max_engagements]
    rows = []
    for e in shown:
        if counted:
            n, w = _counts(e.findings)
            counts: tuple[str, ...] = (*(str(n[s]) for s in _SEVERITIES_DOWN), str(w))
        else:
            counts = ()
        rows.append(
            (
                _text(e.id),
                f"<strong>{e.score}</strong>",
                *counts,
                _path_html(e.source),
            )
        )
    headers = (
        ("engagement", "score", *_SEVERITIES_DOWN, "waived", "source")
        if counted
        else ("engagement", "score", "source")
    )
    table = _table(headers, rows, numeric=range(1, 6 if counted else 2))
    left = len(results) - len(shown)
    if left > 0:
        table += (
            f'<p class="osk-muted">{_plural(left, "more engagement")} not shown; '
            "<code>scores_frame(report)</code> has them all, and "
            "<code>report_html(report, max_engagements=None)</code> lists them "
            "all here.</p>"
        )
    return table


def report_html(
    report: Report,
    *,
    max_rows: int | None = DEFAULT_ROWS,
    max_engagements: int | None = DEFAULT_ENGAGEMENTS,
) -> str:
    """Return *report* as HTML: scores, counts by severity and category, findings.

    At most *max_engagements* engagements are listed, in the report's order,
    and at most *max_rows* findings (None: all of them); those left out are
    counted. Load, rule and plugin errors follow when there are any, at most
    50 of each, the rest counted. Every value is escaped.

    Raises:
        TypeError: *report* is no report (engagements not yet checked), or
            *max_rows* or *max_engagements* is neither a whole number nor None.
        ValueError: *max_rows* or *max_engagements* is negative.

    """
    require_report(report, "report_html")
    max_rows = check_count("max_rows", max_rows)
    max_engagements = check_count("max_engagements", max_engagements)
    counts, waived = _report_counts(report)
    score = report.portfolio_score
    head = _title(
        f"outsourcekit report as of {_text(report.as_of)}: "
        f"{_plural(len(report.engagements), 'engagement')}, portfolio score "
        f"{'n/a' if score is None else _number(score)}"
    )
    errors = _error_counts(report)
    unchecked = (
        f" Not everything was checked: {_and(errors)}, listed below." if errors else ""
    )
    summary = (
        f"<p>{_plural(sum(counts.values()), 'finding')}: "
        f"{_severity_summary(counts)}; "
        f"{waived} waived.{unchecked}</p>"
    )
    if report.streamed is not None:
        scores = _engagements_table(report, max_engagements, counted=False)
        parts = [head, summary, _STREAMED, _title("Engagements"), scores]
        parts.extend(_errors_html(report))
        return _wrap(*parts)
    by_category: dict[str, Counter[str]] = {c: Counter() for c in categories(report)}
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
    category_table = _table(
        ("category", *_SEVERITIES_DOWN, "total"),
        category_rows,
        numeric=range(1, 5),
    )
    parts = [
        head,
        summary,
        _title("Findings by category (unwaived)"),
        category_table,
        _title("Engagements"),
        _engagements_table(report, max_engagements, counted=True),
        _title("Findings"),
        _findings_table(
            report.findings,
            max_rows,
            baseline=None if report.baseline is None else report.baseline_state,
        )
        if report.findings
        else "<p>No findings.</p>",
    ]
    parts.extend(_errors_html(report))
    return _wrap(*parts)


@overload
def check_count(
    name: str, value: object, *, least: int = 0, optional: Literal[True] = True
) -> int | None: ...


@overload
def check_count(
    name: str, value: object, *, least: int = 0, optional: Literal[False]
) -> int: ...


def check_count(
    name: str, value: object, *, least: int = 0, optional: bool = True
) -> int | None:
    """Return a number of things to show, the argument *name*, as an int.

    Any integer type is taken (numpy's too: what :func:`operator.index` takes).

    Raises:
        TypeError: *value* is no whole number (True and False are none), nor
            None when *optional*.
        ValueError: *value* is less than *least*.

    """
    if value is None and optional:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError  # noqa: TRY301 - refused as no index is
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        wanted = "a whole number or None" if optional else "a whole number"
        msg = f"{name} must be {wanted} (got {_shown(value)})"
        raise TypeError(msg) from None
    if number < least:
        msg = f"{name} must be at least {least} (got {number!r})"
        raise ValueError(msg)
    return number


def diff_repr(diff: ReportDiff) -> str:
    """Return a one-line description of *diff*: its dates and counts."""
    dates = ""
    if diff.as_of is not None:
        dates += f" as of {diff.as_of.isoformat()}"
    if diff.baseline_as_of is not None:
        dates += f" against {diff.baseline_as_of.isoformat()}"
    return (
        f"<ReportDiff{dates}: {len(diff.new)} new, {len(diff.fixed)} fixed, "
        f"{len(diff.unchanged)} unchanged>"
    )


def diff_html(diff: ReportDiff, *, max_rows: int | None = DEFAULT_ROWS) -> str:
    """Return *diff* as HTML: its dates and counts, the new and the fixed findings.

    The new and the fixed findings are tables of at most *max_rows* rows each
    (None: all of them), those left out counted; the unchanged findings are
    only counted. Every value is escaped.

    Raises:
        TypeError: *diff* is no comparison (a report), or *max_rows* is
            neither a whole number nor None.
        ValueError: *max_rows* is negative.

    """
    _require(diff, "diff_html", "ReportDiff", ("new", "fixed", "unchanged"))
    max_rows = check_count("max_rows", max_rows)
    dates = ""
    if diff.as_of is not None:
        dates += f" as of {_text(diff.as_of)}"
    if diff.baseline_as_of is not None:
        dates += f" against the baseline of {_text(diff.baseline_as_of)}"
    counts, _ = _counts(diff.new)
    parts = [
        _title(
            f"outsourcekit comparison{dates}: {len(diff.new)} new, "
            f"{len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged"
        ),
        (
            f"<p>New findings: {_severity_summary(counts)}. "
            f"{_plural(len(diff.unchanged), 'finding')} unchanged, not listed "
            "(<code>diff.unchanged</code>).</p>"
        ),
    ]
    for name, findings in (("new", diff.new), ("fixed", diff.fixed)):
        parts.append(_title(f"{name.capitalize()} findings"))
        parts.append(
            _findings_table(findings, max_rows, all_in=f"<code>diff.{name}</code>")
            if findings
            else f"<p>No {name} findings.</p>"
        )
    return _wrap(*parts)


def _left_out(left: int, what: str, where: str) -> str:
    """Return the note under a list that leaves *left* items out ("" for none).

    *what* names one item (``load error``); *where* is what has them all,
    already HTML.
    """
    if left <= 0:
        return ""
    return (
        f'<p class="osk-muted">{_plural(left, f"more {what}")} not shown; '
        f"{where} has them all.</p>"
    )


def _errors_html(report: Report) -> list[str]:
    """Return the report's load, rule and plugin errors as HTML, under titles.

    Each list shows its first ``DEFAULT_ERRORS``; the rest are counted
    under it, with the attribute that has them all.
    """
    parts = []
    cap = DEFAULT_ERRORS
    if report.errors:
        shown = report.errors[:cap]
        items = "".join(f"<li>{_text(_issue_text(e))}</li>" for e in shown)
        left = _left_out(
            len(report.errors) - len(shown), "load error", "<code>report.errors</code>"
        )
        parts += [_title("Load errors"), f"<ul>{items}</ul>{left}"]
    if report.rule_errors:
        rule_errors = report.rule_errors[:cap]
        rows = [
            (_text(e.rule), _text(e.engagement), _text(e.type), _text(e.message))
            for e in rule_errors
        ]
        left = _left_out(
            len(report.rule_errors) - len(rule_errors),
            "rule error",
            "<code>report.rule_errors</code>",
        )
        parts += [
            _title("Rule errors"),
            _table(("rule", "engagement", "type", "message"), rows) + left,
        ]
    if report.plugin_errors:
        plugin_errors = report.plugin_errors[:cap]
        plugins = [(_text(e.plugin), _text(e.message)) for e in plugin_errors]
        left = _left_out(
            len(report.plugin_errors) - len(plugin_errors),
            "plugin error",
            "<code>report.plugin_errors</code>",
        )
        parts += [
            _title("Plugin errors"),
            _table(("plugin", "message"), plugins) + left,
        ]
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


def _require(value: object, what: str, kind: str, holds: Sequence[str]) -> None:
    """Raise TypeError unless *value* holds what a *kind* holds, naming *what*.

    The classes import this module (to show themselves), so an object is known
    by what it holds. A report and a list of findings, given instead, are told
    what to do.
    """
    if all(hasattr(value, name) for name in holds):
        return
    hint = ""
    if (
        isinstance(value, (list, tuple))
        and value
        and all(hasattr(v, "severity") for v in value)
    ):
        hint = (
            ": show one finding (report.findings[0]), or them all with "
            "report_html(report)"
        )
    elif kind == "ReportDiff" and hasattr(value, "findings"):
        hint = ": compare with a baseline, report.diff(baseline)"
    msg = f"{what}() expects a {kind}, got {_shown(value)}{hint}"
    raise TypeError(msg)


def finding_repr(finding: Finding) -> str:
    """Return a one-line description of *finding*: rule, severity, where, message.

    The evidence is left out (``repr()`` has it); line breaks and control
    characters show escaped (a report read back names any text).
    """
    state = str(finding.severity) + ("" if finding.waived is None else ", waived")
    return (
        f"<Finding {_one_line(finding.rule)} {_one_line(finding.slug)} ({state}) "
        f"{_one_line(finding.engagement)} {_one_line(finding.path)}: "
        f"{_one_line(finding.message)}>"
    )


def finding_html(finding: Finding) -> str:
    """Return one finding as HTML: rule, severity, where, message, fix, evidence.

    Raises:
        TypeError: *finding* is no finding (a list of them, a report).

    """
    _require(finding, "finding_html", "Finding", ("rule", "severity", "evidence"))
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
            ("location", _path_html(finding.source, finding.line)),
            ("message", _text(finding.message)),
            ("fix", _text(finding.fix)),
            ("evidence", evidence),
            ("waived", "" if finding.waived is None else _text(finding.waived)),
        ]
    )
    return _wrap(head, facts)


#: The containers evidence holds, frozen (see ``frozen_evidence``).
_LISTS: Final = (list, tuple, set, frozenset)


def _plain(value: object) -> object:
    """Write an evidence value as a person reads it, nothing nested lost.

    Dates are ISO text and a list of plain values is joined with commas; a
    mapping, an empty list, or a list holding lists, mappings, text with a
    comma, empty text, nulls or yes-and-no values is the JSON text the JSON
    output writes (structure, quotes and all), which tells ``[]`` from
    ``[""]`` and ``null`` from ``"None"``. A whole number of more digits than
    Python writes out is rounded, in scientific notation.
    """
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return writable(value)
    if isinstance(value, _LISTS):
        sets = isinstance(value, (set, frozenset))
        items = sorted(value, key=sort_text) if sets else value
        if items and not any(_nested(v) for v in items):
            return ", ".join(str(_plain(v)) for v in items)
    elif not isinstance(value, Mapping):
        return value
    return json.dumps(json_data(value), ensure_ascii=False)


def _nested(item: object) -> bool:
    """Whether a list holding *item* would read ambiguously joined with commas."""
    if item is None or isinstance(item, (bool, Mapping, *_LISTS)):
        return True
    return isinstance(item, str) and (not item or "," in item)


def engagement_html(
    engagement: Engagement,
    report: Report | None = None,
    *,
    max_rows: int | None = DEFAULT_ROWS,
) -> str:
    """Return *engagement* as HTML: its key facts, and its verdict in *report*.

    With a report, the engagement's score, category scores and findings (at most
    *max_rows*, None: all) follow its facts, and a KPI's latest measurement is
    the latest known at the report's as_of, as the rules take it; of a report
    whose findings went to a sink (``check_stream``), the score and category
    scores, and a note that the findings are not held. Every value is escaped.

    Raises:
        TypeError: *engagement* is no engagement (its result in a report, an
            id), *report* no report, or *max_rows* neither a whole number nor
            None.
        ValueError: *max_rows* is negative.

    """
    require_engagement(engagement, "engagement_html")
    if report is not None:
        require_report(report, "engagement_html")
    max_rows = check_count("max_rows", max_rows)
    parts = []
    if report is not None:
        result = report.by_engagement.get(engagement.id)
        if result is None:
            when = _text(report.as_of)
            parts.append(f'<p class="osk-muted">Not in the report as of {when}.</p>')
        elif report.streamed is not None:
            parts.append(
                f"<p>Score <strong>{result.score}</strong> as of "
                f"{_text(report.as_of)}.</p>{_STREAMED_ENGAGEMENT}"
            )
            parts.append(_scores_table(result.categories))
        else:
            counts, waived = _counts(result.findings)
            parts.append(
                f"<p>Score <strong>{result.score}</strong> as of "
                f"{_text(report.as_of)}; findings: {_severity_summary(counts)}; "
                f"{waived} waived.</p>"
            )
            parts.append(_scores_table(result.categories))
            if result.findings:
                table = _findings_table(result.findings, max_rows, engagement=False)
                parts.append(table)
    as_of = None if report is None else report.as_of
    return _engagement_facts_html(engagement, *parts, as_of=as_of)


def _scores_table(scores: Mapping[str, int]) -> str:
    """Return an engagement's category scores as a table of one row."""
    return _table(
        tuple(scores),
        [tuple(str(v) for v in scores.values())],
        numeric=range(len(scores)),
    )


def rules_html(rules: Iterable[Rule]) -> str:
    """Return rules as an HTML table: code, slug, title, category, severity, options.

    Raises:
        TypeError: *rules* is no list of rules (one rule, a code).

    """
    items = rule_list(rules, "rules_html")
    rows = [
        (
            _text(r.code),
            _text(r.slug),
            _text(r.title),
            _text(r.category),
            _severity(r.severity),
            _text(
                ", ".join(
                    f"{k}={_DERIVED if o.default is None else o.to_config(o.default)}"
                    for k, o in sorted(r.options.items())
                )
            ),
            _text(r.plugin) if r.plugin else "",
        )
        for r in items
    ]
    table = _table(
        ("code", "slug", "title", "category", "severity", "options", "plugin"), rows
    )
    return _wrap(_title(_plural(len(items), "rule")), table)


def rules_repr(rules: Sequence[Rule]) -> str:
    """Return a one-line description of the rule catalogue *rules*: its counts."""
    categories = len({r.category for r in rules})
    named = f"{categories} category" if categories == 1 else f"{categories} categories"
    return f"<RuleCatalogue: {_plural(len(rules), 'rule')} in {named}>"


class RuleCatalogue(list[Rule]):
    """A list of rules that shows as a table in a notebook.

    It is a plain :class:`list` otherwise; :meth:`to_pandas` gives one row per
    rule. A slice of it (``rules()[:5]``) is a catalogue too; one item a rule.
    """

    __slots__ = ()

    @overload
    def __getitem__(self, index: SupportsIndex, /) -> Rule: ...

    @overload
    def __getitem__(self, index: slice, /) -> RuleCatalogue: ...

    def __getitem__(self, index: SupportsIndex | slice, /) -> Rule | RuleCatalogue:
        """Return the rule at *index*, or the catalogue of the rules a slice takes."""
        if isinstance(index, slice):
            return RuleCatalogue(super().__getitem__(index))
        return super().__getitem__(index)

    def _repr_html_(self) -> str:
        return rules_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show one line where IPython shows text; ``repr()`` lists the rules.

        A notebook keeps that text beside the table: the ``repr()`` of every
        rule, their documentation included, is a hundred kilobytes.
        """
        del cycle  # the catalogue holds rules, never itself
        printer.text(rules_repr(self))

    def to_pandas(self) -> pd.DataFrame:
        """Return one row per rule (needs the ``notebook`` extra)."""
        return rules_to_pandas(self)
