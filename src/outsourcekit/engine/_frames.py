"""pandas DataFrames of reports and rules, for the ``notebook`` extra.

pandas is imported inside the functions, never when this module is; without it
they raise :class:`MissingExtraError`, which says how to install the extra.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from outsourcekit._gc import collector_paused
from outsourcekit.model import Engagement
from outsourcekit.model._display import sort_text, writable
from outsourcekit.model._frozen import FrozenDict

from ._errors import shown
from ._rule import Rule

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

    from ._finding import Finding
    from ._report import Report

__all__ = [
    "BASELINE_STATES",
    "EXTRA",
    "FINDING_COLUMNS",
    "SEVERITY_ORDER",
    "STATUS_ORDER",
    "MissingExtraError",
    "categories",
    "category_columns",
    "dates",
    "engagement_facts",
    "engagement_list",
    "evidence_cell",
    "findings_frame",
    "held_findings",
    "report_to_pandas",
    "require",
    "require_engagement",
    "require_report",
    "rule_list",
    "rules_to_pandas",
    "scores_frame",
    "strings",
]

#: How to install what the DataFrame and plot functions need.
EXTRA: Final = 'pip install "outsourcekit[notebook]"'
#: Severities from the least to the most serious, the order of the severity dtype.
SEVERITY_ORDER: Final = ("info", "warning", "error")
#: Engagement statuses in the order of an engagement's life, the status dtype's.
STATUS_ORDER: Final = ("proposed", "trial", "active", "paused", "ended")
#: A finding against a baseline, the categories of the ``baseline`` column.
BASELINE_STATES: Final = ("new", "unchanged")
#: The columns of :func:`report_to_pandas`, in order (and ``baseline`` last,
#: for a report compared with a baseline).
FINDING_COLUMNS: Final = (
    "engagement",
    "title",
    "vendor",
    "client",
    "status",
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


def require(package: str, feature: str) -> None:
    """Import *package* or raise :class:`MissingExtraError` naming *feature*."""
    try:
        importlib.import_module(package)
    except ImportError as exc:
        raise MissingExtraError(feature, package) from exc


def strings(pd: Any, values: Sequence[object]) -> Any:
    """Return *values* as a pandas ``string`` array (None is missing).

    Text holding half a surrogate pair (the name of a file that is not UTF-8,
    as Python holds it) is kept as it is, in a ``string`` array stored as
    Python's text: the Arrow storage pandas picks when pyarrow is installed
    takes UTF-8 only.
    """
    try:
        return pd.array(values, dtype="string")
    except UnicodeEncodeError:
        return pd.array(values, dtype=pd.StringDtype("python"))


def dates(pd: Any, values: Sequence[dt.date | None]) -> Any:
    """Return dates as a datetime64 array in seconds (any year, unlike nanoseconds).

    Each distinct date is converted once: a findings frame repeats a few.
    """
    import numpy as np  # noqa: PLC0415 - installed with pandas

    distinct = {value: i for i, value in enumerate(dict.fromkeys(values))}
    days = np.array(list(distinct), dtype="datetime64[D]")
    at = np.fromiter(
        map(distinct.__getitem__, values), dtype=np.intp, count=len(values)
    )
    return pd.array(days[at].astype("datetime64[s]"))


def categories(report: Report) -> list[str]:
    """Every category the report knows: those scored and those with findings."""
    found = {c for e in report.engagements for c in e.categories}
    found.update(f.category for f in report.findings)
    return sorted(found)


def category_columns(fixed: Iterable[str], names: Iterable[str]) -> dict[str, str]:
    """Return the column of each category of *names*, by category.

    A category's column is named as the category, unless a *fixed* column of the
    frame has that name (a plugin's category ``vendor``, ``score`` or ``error``):
    then it is ``NAME (category)``, so that neither hides the other. No category
    is named so, a category being a slug.
    """
    taken = set(fixed)
    return {c: f"{c} (category)" if c in taken else c for c in names}


def _name(party: object) -> str | None:
    return None if party is None else getattr(party, "name", None)


def engagement_facts(
    engagements: Engagement | Iterable[Engagement] | None, what: str = "to_pandas"
) -> dict[str, tuple[str | None, str | None, str | None, str | None]]:
    """Return each engagement's (title, vendor, client, status) by id.

    *engagements* may be one engagement, as :func:`outsourcekit.check` takes it.
    Anything but engagements is a TypeError naming the function *what*, as
    :func:`outsourcekit.check` words it.
    """
    if engagements is None:
        return {}
    return {
        e.id: (
            e.title,
            _name(e.vendor),
            _name(e.client),
            None if e.status is None else str(e.status),
        )
        for e in engagement_list(engagements, what)
    }


def engagement_list(
    engagements: Engagement | Iterable[Engagement], what: str
) -> list[Engagement]:
    """Return *engagements* (one engagement, or an iterable of them) as a list.

    Anything but engagements is a TypeError naming the function *what*, as
    :func:`outsourcekit.check` words it: text or a path, iterated, would give
    characters, and a mapping its keys.
    """
    given: object = engagements  # callers without type checks pass anything
    if isinstance(given, Engagement):
        return [given]
    if isinstance(given, (str, bytes, os.PathLike)):
        raise _not_engagements(what, given, ": read files with outsourcekit.load()")
    if isinstance(given, Mapping):
        hint = ": make an engagement of data with outsourcekit.from_dict()"
        raise _not_engagements(what, given, hint)
    if not isinstance(given, Iterable):
        raise _not_engagements(what, given, "")
    out = list(given)
    for i, e in enumerate(out):
        if not isinstance(e, Engagement):
            raise _not_engagements(what, e, f" at index {i}")
    return out


#: What every report holds, and no engagement, list or history does.
_REPORT_HOLDS: Final = ("as_of", "engagements", "findings", "streamed")


def require_report(value: object, what: str) -> None:
    """Raise TypeError unless *value* is a report, naming the function *what*.

    A report is known by what it holds (``_report`` imports this module, so
    not by its class). Engagements (one, or a list of them) are refused saying
    to check them first: the report is what :func:`outsourcekit.check`
    returns; a history saying how to pick one of its reports.
    """
    if all(hasattr(value, name) for name in _REPORT_HOLDS):
        return
    items = value if isinstance(value, (list, tuple)) else (value,)
    hint = ""
    if items and all(isinstance(e, Engagement) for e in items):
        hint = ": check the engagements first, report = outsourcekit.check(engagements)"
    elif hasattr(value, "reports"):
        hint = ": pick one date's report, as history[-1]"
    msg = f"{what}() expects a Report, got {shown(value)}{hint}"
    raise TypeError(msg)


#: What an engagement's result in a report holds, and no engagement does.
_RESULT_HOLDS: Final = ("score", "categories", "findings")


def require_engagement(value: object, what: str) -> None:
    """Raise TypeError unless *value* is an engagement, naming the function *what*.

    An engagement's result in a report (``report.engagements`` holds them) and
    an id or a path are refused, saying what to give instead.
    """
    if isinstance(value, Engagement):
        return
    hint = ""
    if isinstance(value, (str, bytes, os.PathLike)):
        hint = ": read files with outsourcekit.load()"
    elif all(hasattr(value, name) for name in _RESULT_HOLDS):
        hint = ": that is its result in the report; give the engagement, as loaded"
    msg = f"{what}() expects an Engagement, got {shown(value)}{hint}"
    raise TypeError(msg)


def rule_list(rules: Iterable[Rule], what: str) -> list[Rule]:
    """Return *rules* as a list; TypeError naming the function *what* otherwise.

    One rule is refused saying to put it in a list, and so are text (a rule's
    code), a mapping and a list holding something else, naming it.
    """
    given: object = rules  # callers without type checks pass anything
    start = f"{what}() expects a list of Rule objects, got"
    if isinstance(given, Rule):
        msg = f"{start} one rule ({given.code}): put it in a list"
        raise TypeError(msg)
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
        msg = f"{start} {shown(given)}"
        raise TypeError(msg)
    out = list(given)
    for i, r in enumerate(out):
        if not isinstance(r, Rule):
            msg = f"{start} {shown(r)} at index {i}"
            raise TypeError(msg)
    return out


def _not_engagements(what: str, value: object, hint: str) -> TypeError:
    msg = (
        f"{what}() expects Engagement objects (one, or an iterable of them), "
        f"got {shown(value)}{hint}"
    )
    return TypeError(msg)


def statuses(pd: Any, values: Sequence[str | None]) -> Any:
    """Return engagement statuses as an ordered categorical (proposed < ... < ended)."""
    return pd.Categorical(values, categories=STATUS_ORDER, ordered=True)


def held_findings(report: Report, what: str) -> tuple[Finding, ...]:
    """Return *report*'s findings for *what*.

    Raise ValueError when they went to a sink (``check_stream``) instead.
    """
    report._holding(what)  # noqa: SLF001 - the engine's own check
    return report.findings


def report_to_pandas(
    report: Report, engagements: Engagement | Iterable[Engagement] | None = None
) -> pd.DataFrame:
    """Return one row per finding of *report*, waived ones included, in its order.

    ``Report.to_pandas()`` and ``outsourcekit.notebook.report_to_pandas()``,
    which documents the columns (:data:`FINDING_COLUMNS`). The engagement's
    ``title``, ``vendor``, ``client`` and ``status`` come from *engagements*
    (one engagement or several), and are missing without them.

    Raises:
        MissingExtraError: pandas is not installed.
        ValueError: the report's findings went to a sink (``check_stream``).

    """
    require_report(report, "report_to_pandas")
    require("pandas", "report_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    findings = held_findings(report, "report_to_pandas()")
    frame = findings_frame(
        pd,
        findings,
        [report.as_of] * len(findings),
        categories(report),
        engagement_facts(engagements),
    )
    if report.baseline is not None:
        # Against a baseline, as the CSV output's last column says it.
        frame["baseline"] = pd.Categorical(
            [report.baseline_state(f) for f in findings], categories=BASELINE_STATES
        )
    return frame


def findings_frame(
    pandas: Any,
    findings: Sequence[Finding],
    as_of: Sequence[dt.date],
    every_category: Sequence[str],
    known: Mapping[str, tuple[str | None, str | None, str | None, str | None]],
) -> pd.DataFrame:
    """Return the frame of :func:`report_to_pandas` of *findings*, in their order.

    *pandas* is the pandas module; *as_of* holds each finding's date;
    *every_category* the categories of the ``category`` dtype; *known* each
    engagement's facts by id (:func:`engagement_facts`). One frame is built at
    once, however many reports the findings come from.
    """
    with collector_paused():  # a cell of evidence per finding: many new objects
        return _findings_frame(pandas, findings, as_of, every_category, known)


def _findings_frame(
    pandas: Any,
    findings: Sequence[Finding],
    as_of: Sequence[dt.date],
    every_category: Sequence[str],
    known: Mapping[str, tuple[str | None, str | None, str | None, str | None]],
) -> pd.DataFrame:
    ids = [f.engagement for f in findings]
    nothing = (None, None, None, None)
    about = [known.get(i, nothing) for i in ids] if known else [nothing] * len(ids)

    frame: pd.DataFrame = pandas.DataFrame(
        {
            "engagement": strings(pandas, ids),
            "title": strings(pandas, [a[0] for a in about]),
            "vendor": strings(pandas, [a[1] for a in about]),
            "client": strings(pandas, [a[2] for a in about]),
            "status": statuses(pandas, [a[3] for a in about]),
            "rule": strings(pandas, [f.rule for f in findings]),
            "slug": strings(pandas, [f.slug for f in findings]),
            "category": _categorical(
                pandas, [f.category for f in findings], every_category
            ),
            "severity": _categorical(
                pandas, [f.severity for f in findings], SEVERITY_ORDER
            ),
            "path": strings(pandas, [f.path for f in findings]),
            "message": strings(pandas, [f.message for f in findings]),
            "fix": strings(pandas, [f.fix for f in findings]),
            "source": strings(pandas, [f.source for f in findings]),
            "line": pandas.array([f.line for f in findings], dtype="Int64"),
            "waived": strings(pandas, [f.waived for f in findings]),
            "evidence": pandas.Series(
                [_evidence(f.evidence) for f in findings], dtype=object
            ).array,
            "as_of": dates(pandas, as_of),
        },
        columns=list(FINDING_COLUMNS),
    )
    return frame


def _categorical(pandas: Any, values: Sequence[Any], names: Sequence[str]) -> Any:
    """Return *values* as an ordered categorical over *names*, others missing.

    A severity is its word, so severities take the categories of their words.
    """
    index = {name: i for i, name in enumerate(names)}
    codes = [index.get(v, -1) for v in values]
    return pandas.Categorical.from_codes(codes, categories=list(names), ordered=True)


#: The types of evidence values a frame's cell holds as they are: not
#: containers, and no whole number (which may be too long to write).
_KEPT: Final = frozenset(
    {str, float, bool, type(None), dt.date, dt.datetime, dt.time, dt.timedelta}
)


def evidence_cell(value: Any) -> Any:
    """Return evidence as a frame's cell holds it: plain data, as JSON nests it.

    A copy the analyst may change: mappings are dicts and lists, tuples and
    sets lists (a set sorted, as the JSON output writes it), however deep;
    values stay Python's (a date is a date, a NaN a NaN), but a whole number
    of more digits than Python writes out, which is its text as in
    ``Finding.to_dict()``.
    """
    kind = type(value)
    if kind in _KEPT:
        return value
    if kind is int:
        return writable(value)
    if kind is FrozenDict or kind is dict:  # evidence as findings hold it, first
        return {
            k: v if type(v) in _KEPT else evidence_cell(v) for k, v in value.items()
        }
    if kind is tuple or kind is list:
        return [v if type(v) in _KEPT else evidence_cell(v) for v in value]
    return _other_cell(value)


def _other_cell(value: object) -> Any:
    """Return :func:`evidence_cell` of a value of any other type."""
    if isinstance(value, int) and not isinstance(value, bool):
        return writable(value)
    if isinstance(value, Mapping):
        return {k: evidence_cell(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [evidence_cell(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return [evidence_cell(v) for v in sorted(value, key=sort_text)]
    return value


def _evidence(evidence: Mapping[str, Any]) -> Any:
    """Return :func:`evidence_cell` of *evidence*; nested too deep, a dict of it."""
    try:
        return evidence_cell(evidence)
    except RecursionError:
        return dict(evidence)


def scores_frame(report: Report) -> pd.DataFrame:
    """Return one row per engagement: ``engagement``, ``score``, category scores.

    ``Report.scores_frame()`` and ``outsourcekit.notebook.scores_frame()``,
    which documents the columns.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    require_report(report, "scores_frame")
    require("pandas", "scores_frame()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    results = report.engagements
    scored = sorted({c for e in results for c in e.categories})
    data: dict[str, Any] = {
        "engagement": strings(pd, [e.id for e in results]),
        "score": pd.array([e.score for e in results], dtype="Int64"),
    }
    for category, column in category_columns(data, scored).items():
        data[column] = pd.array(
            [e.categories.get(category) for e in results], dtype="Int64"
        )
    return pd.DataFrame(data, columns=list(data))


def rules_to_pandas(rules: Iterable[Rule]) -> pd.DataFrame:
    """Return one row per rule: code, slug, title, category, severity, fix, plugin.

    ``RuleCatalogue.to_pandas()`` and ``outsourcekit.notebook.rules_to_pandas()``,
    which documents the columns.

    Raises:
        MissingExtraError: pandas is not installed.

    """
    items = rule_list(rules, "rules_to_pandas")
    require("pandas", "rules_to_pandas()")
    import pandas as pd  # noqa: PLC0415 - the notebook extra, imported when used

    return pd.DataFrame(
        {
            "code": strings(pd, [r.code for r in items]),
            "slug": strings(pd, [r.slug for r in items]),
            "title": strings(pd, [r.title for r in items]),
            "category": strings(pd, [r.category for r in items]),
            "severity": pd.Categorical(
                [r.severity.value for r in items],
                categories=SEVERITY_ORDER,
                ordered=True,
            ),
            "fix": strings(pd, [r.fix for r in items]),
            "options": pd.Series([r.defaults for r in items], dtype=object).array,
            "plugin": strings(pd, [r.plugin for r in items]),
        }
    )
