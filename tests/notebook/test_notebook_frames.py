"""Tests of the DataFrames: findings, scores, engagements and rules."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit import check, history
from outsourcekit import notebook as nb
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine import rule
from outsourcekit.examples import examples_path
from outsourcekit.io import load_all, loads
from outsourcekit.model import (
    Agreement,
    AgreementKind,
    Area,
    Cadence,
    CommunicationPlan,
    DataHandling,
    Engagement,
    Party,
    Status,
    Task,
    TimeZone,
)

AS_OF = dt.date(2026, 11, 22)
TEXT = pd.StringDtype()


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio."""
    return load_all([examples_path()])


@pytest.fixture(scope="module")
def report(engagements):
    """The example portfolio checked by the built-in rules as of 2026-11-22."""
    return check(engagements, as_of=AS_OF, rules=BUILTIN_RULES)


def json_like(value):
    """*value* with its dates as ISO text, as ``Finding.to_dict()`` writes them."""
    if isinstance(value, dict):
        return {k: json_like(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_like(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def nulls(values):
    """Values as a list, with pandas' missing values as None."""
    return [None if pd.api.types.is_scalar(v) and pd.isna(v) else v for v in values]


class TestReportToPandas:
    def test_shape(self, report):
        """One row per finding, waived ones included, with the documented columns."""
        frame = nb.report_to_pandas(report)

        assert list(nb.FINDING_COLUMNS) == list(frame.columns)
        assert len(report.findings) == len(frame)

    def test_baseline_column(self, engagements, report):
        """Against a baseline, a last column says new or unchanged, as CSV does."""
        older = check(
            engagements, as_of=AS_OF - dt.timedelta(days=60), rules=BUILTIN_RULES
        )
        compared = report.with_baseline(older)

        frame = nb.report_to_pandas(compared)

        assert [*nb.FINDING_COLUMNS, "baseline"] == list(frame.columns)
        assert ["new", "unchanged"] == list(frame.baseline.cat.categories)
        states = [compared.baseline_state(f) for f in compared.findings]
        assert states == frame.baseline.tolist()
        assert {"new", "unchanged"} == set(states)

    def test_dtypes(self, report):
        """Text is string, category categorical, severity ordered, line Int64."""
        frame = nb.report_to_pandas(report)
        dtypes = frame.dtypes

        assert all(
            TEXT == dtypes[c]
            for c in (
                "engagement",
                "rule",
                "slug",
                "path",
                "message",
                "fix",
                "source",
                "waived",
            )
        )
        assert pd.Int64Dtype() == dtypes["line"]
        assert pd.api.types.is_object_dtype(dtypes["evidence"])
        assert pd.api.types.is_datetime64_dtype(dtypes["as_of"])
        assert ["info", "warning", "error"] == list(dtypes["severity"].categories)
        assert dtypes["severity"].ordered
        assert sorted({c for e in report.engagements for c in e.categories}) == list(
            dtypes["category"].categories
        )

    def test_values(self, report):
        """Each row holds its finding's values, in the report's order."""
        frame = nb.report_to_pandas(report)

        for column in (
            "engagement",
            "rule",
            "slug",
            "category",
            "path",
            "message",
            "source",
            "line",
            "waived",
        ):
            assert [getattr(f, column) for f in report.findings] == nulls(
                frame[column]
            ), column
        assert [f.severity.value for f in report.findings] == list(frame["severity"])
        assert [f.to_dict()["evidence"] for f in report.findings] == [
            json_like(e) for e in frame["evidence"]
        ]
        assert {pd.Timestamp(AS_OF)} == set(frame["as_of"])

    def test_one_engagement(self, engagements, report):
        """One engagement names its own findings, as check() takes one."""
        engagement = next(e for e in engagements if e.id == "prairie-lane-va")
        one = check(engagement, as_of=AS_OF, rules=BUILTIN_RULES)

        frames = [
            nb.report_to_pandas(one, engagement),
            one.to_pandas(engagement),
            nb.report_to_pandas(report, engagement),
        ]

        assert len(one.findings) > 0
        assert [len(one.findings)] * 2 == [len(frame) for frame in frames[:2]]
        for frame in frames[:2]:
            assert {engagement.title} == set(frame["title"])
            assert {engagement.vendor.name} == set(frame["vendor"])
            assert {str(engagement.status)} == set(frame["status"])
        named = frames[2][frames[2].engagement == engagement.id]
        others = frames[2][frames[2].engagement != engagement.id]
        assert len(one.findings) == len(named)
        assert [engagement.title] * len(named) == list(named["title"])
        assert len(report.findings) - len(named) == others["title"].isna().sum()

    def test_severity_order(self, report):
        """Severities compare in their order, so filters by level work."""
        frame = nb.report_to_pandas(report)

        assert sum(1 for f in report.findings if f.severity.rank >= 1) == len(
            frame[frame.severity >= "warning"]
        )

    def test_empty(self):
        """A report without findings gives no rows but the same columns and dtypes."""
        full = nb.report_to_pandas(
            check([Engagement(id="a")], as_of=AS_OF, rules=BUILTIN_RULES)
        )
        empty = nb.report_to_pandas(check([], as_of=AS_OF, rules=BUILTIN_RULES))

        assert 0 == len(empty)
        assert list(full.columns) == list(empty.columns)
        assert [str(t) for t in full.dtypes.drop(["category"])] == [
            str(t) for t in empty.dtypes.drop(["category"])
        ]

    def test_collector_paused(self, report):
        """The frame of many findings is built with no cyclic collection, then resumed.

        Each finding's evidence is a new dict: left running, the collector
        would scan every live object again and again while the frame is made.
        """
        many = attrs.evolve(report, findings=report.findings * 40)
        collections = []

        def seen(phase, info):
            if phase == "start":
                collections.append(info["generation"])

        was = gc.isenabled()
        gc.enable()
        gc.callbacks.append(seen)
        try:
            frame = nb.report_to_pandas(many)
            running = gc.isenabled()
        finally:
            gc.callbacks.remove(seen)
            if not was:
                gc.disable()

        assert ([], True) == (collections, running)
        assert len(many.findings) == len(frame)

    def test_nested_evidence(self):
        """Evidence is plain data all the way down, as the JSON output nests it.

        Mappings are dicts and lists lists (sets sorted), each a copy the
        analyst may change, so that ``pd.json_normalize`` spreads nested
        mappings into columns; values stay Python's (a date is a date).
        """

        @rule(
            code="TST801",
            slug="nested",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def nested(_engagement, ctx):
            yield ctx.finding(
                "m",
                evidence={
                    "per": {"ids": {"b", "a"}, "on": dt.date(2026, 1, 5)},
                    "grid": [[1, 2], [3]],
                    "count": np.int64(4),
                },
            )

        report = check([Engagement(id="a")], as_of=AS_OF, rules=[nested])
        (evidence,) = nb.report_to_pandas(report)["evidence"]
        evidence["per"]["ids"].append("c")

        assert {
            "per": {"ids": ["a", "b", "c"], "on": dt.date(2026, 1, 5)},
            "grid": [[1, 2], [3]],
            "count": 4,
        } == evidence
        assert (dict, list, int) == tuple(
            type(evidence[k]) for k in ("per", "grid", "count")
        )
        assert ["grid", "count", "per.ids", "per.on"] == list(
            pd.json_normalize([evidence]).columns
        )
        assert {"ids": ("a", "b")} != report.findings[0].evidence["per"]

    def test_whole_number_too_long_to_write(self):
        """A whole number too long to write is its text, as the JSON output has it.

        So the frame still shows.
        """

        @rule(
            code="TST802",
            slug="huge",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def huge(_engagement, ctx):
            yield ctx.finding("m", evidence={"n": 10**5000, "few": [2]})

        frame = nb.report_to_pandas(
            check([Engagement(id="a")], as_of=AS_OF, rules=[huge])
        )

        assert [{"n": "1.000000e+5000", "few": [2]}] == list(frame["evidence"])
        assert "1.000000e+5000" in frame.to_string()


class TestScoresFrame:
    def test_rows(self, report):
        """One row per engagement with its id and score, in the report's order."""
        frame = nb.scores_frame(report)

        assert [e.id for e in report.engagements] == list(frame["engagement"])
        assert [e.score for e in report.engagements] == list(frame["score"])

    def test_categories(self, report):
        """One nullable integer column per category holds the category scores."""
        frame = nb.scores_frame(report)
        categories = sorted({c for e in report.engagements for c in e.categories})

        assert ["engagement", "score", *categories] == list(frame.columns)
        for category in categories:
            assert pd.Int64Dtype() == frame[category].dtype
            assert [e.categories[category] for e in report.engagements] == list(
                frame[category]
            )

    @pytest.mark.parametrize("category", ["engagement", "score"])
    def test_category_named_as_a_column(self, category):
        """A category named as a fixed column keeps both, its own marked."""
        frame = nb.scores_frame(check([bare()], as_of=AS_OF, rules=[named(category)]))

        assert ["engagement", "score", f"{category} (category)"] == list(frame.columns)
        assert ["a", 94, 94] == list(frame.iloc[0])


def bare(**fields):
    return Engagement(id=fields.pop("id", "a"), **fields)


def named(category):
    """A rule of the *category* that fires once per engagement, a warning."""

    @rule(
        code="TST950",
        slug="in-category",
        title="In a category",
        category=category,
        severity="warning",
        fix="Nothing to fix.",
    )
    def in_category(_engagement, ctx):
        yield ctx.finding("Found.", path="id")

    return in_category


def nda(signed_on, kind=AgreementKind.NDA, **fields):
    return Agreement(kind=kind, signed_on=signed_on, **fields)


class TestEngagementsToPandas:
    def test_shape(self, engagements):
        """One row per engagement with the documented columns."""
        frame = nb.engagements_to_pandas(engagements, as_of=AS_OF)

        assert list(nb.ENGAGEMENT_COLUMNS) == list(frame.columns)
        assert [e.id for e in engagements] == list(frame["engagement"])

    def test_dtypes(self, engagements):
        """Dates are datetime64, counts Int64, yes-or-no columns booleans."""
        dtypes = nb.engagements_to_pandas(engagements).dtypes

        assert pd.api.types.is_datetime64_dtype(dtypes["start"])
        assert pd.api.types.is_datetime64_dtype(dtypes["end"])
        assert all(
            pd.Int64Dtype() == dtypes[c]
            for c in (
                "tasks",
                "critical_tasks",
                "kpi_count",
                "agreements",
                "check_ins_per_week",
            )
        )
        assert np.dtype(bool) == dtypes["has_nda"]
        assert pd.BooleanDtype() == dtypes["confidential"]
        assert TEXT == dtypes["vendor"]

    def test_values(self, engagements):
        """Columns hold the engagements' facts."""
        frame = nb.engagements_to_pandas(engagements).set_index("engagement")

        for e in engagements:
            row = frame.loc[e.id]
            assert (e.vendor.name if e.vendor else None) == nulls([row["vendor"]])[0]
            assert len(e.kpis) == row["kpi_count"]
            assert sum(1 for t in e.tasks if t.critical) == row["critical_tasks"]
            assert (pd.Timestamp(e.start) if e.start else None) == nulls(
                [row["start"]]
            )[0]

    def test_one(self):
        """A single engagement gives one row."""
        assert 1 == len(nb.engagements_to_pandas(bare()))

    @pytest.mark.parametrize(
        ("engagements", "got"),
        [
            (
                "engagements/",
                r"'engagements/' \(text\): read files with outsourcekit\.load\(\)$",
            ),
            ({"id": "a"}, r"\{'id': 'a'\} \(a mapping\): make an engagement of"),
            ([bare(), 3], r"3 \(a whole number\) at index 1$"),
            (None, r"None$"),
        ],
    )
    def test_no_engagements(self, engagements, got):
        """What holds no engagements is refused, saying what to give instead."""
        with pytest.raises(
            TypeError,
            match=r"^engagements_to_pandas\(\) expects Engagement objects \(one, or "
            rf"an iterable of them\), got {got}",
        ):
            nb.engagements_to_pandas(engagements)

    def test_unknown_facts(self):
        """Facts the engagement does not state are missing values."""
        row = nulls(nb.engagements_to_pandas([bare()]).iloc[0])

        expected = dict.fromkeys(nb.ENGAGEMENT_COLUMNS)
        expected.update(
            engagement="a",
            id="a",
            tasks=0,
            critical_tasks=0,
            kpi_count=0,
            agreements=0,
            has_nda=False,
        )
        assert expected == dict(zip(nb.ENGAGEMENT_COLUMNS, row, strict=False))

    def test_areas(self):
        """Areas are the tasks' areas, each once, sorted and comma-separated."""
        engagement = bare(
            tasks=[
                Task(area=Area.IT),
                Task(area=Area.FINANCE),
                Task(area=Area.IT),
                Task(),
            ]
        )

        assert "finance, it" == nb.engagements_to_pandas(engagement)["areas"][0]

    @pytest.mark.parametrize(
        ("agreements", "as_of", "expected"),
        [
            ((nda(dt.date(2026, 1, 1)),), None, True),
            ((nda(None),), None, False),
            ((nda(dt.date(2026, 1, 1), kind=AgreementKind.MSA),), None, False),
            (
                (
                    nda(
                        dt.date(2026, 1, 1),
                        kind=AgreementKind.MSA,
                        confidentiality=True,
                    ),
                ),
                None,
                True,
            ),
            (
                (
                    nda(
                        dt.date(2026, 1, 1),
                        kind=AgreementKind.SOW,
                        confidentiality=True,
                    ),
                ),
                None,
                False,
            ),
            ((nda(dt.date(2026, 12, 1)),), AS_OF, False),
            ((nda(dt.date(2026, 11, 22)),), AS_OF, True),
            ((nda(dt.date(2020, 1, 1), expires=dt.date(2021, 1, 1)),), AS_OF, True),
        ],
    )
    def test_has_nda(self, agreements, as_of, expected):
        """A signed NDA, or an MSA or contract with confidentiality, counts."""
        frame = nb.engagements_to_pandas(bare(agreements=agreements), as_of=as_of)

        assert expected == frame["has_nda"][0]

    def test_confidential(self):
        """Confidential and personal data are yes, no or unknown."""
        frame = nb.engagements_to_pandas(
            [
                bare(id="a", data=DataHandling(confidential=True, personal_data=False)),
                bare(id="b", data=DataHandling()),
            ]
        )

        assert [True, None] == nulls(frame["confidential"])
        assert [False, None] == nulls(frame["personal_data"])


def planned(text, start=None, tz=None):
    return bare(
        start=start,
        client=Party(timezone=TimeZone.parse(tz)) if tz else None,
        communication=CommunicationPlan(check_ins=Cadence.parse(text)),
    )


class TestCheckInsPerWeek:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("daily", 7),
            ("weekdays", 5),
            ("twice a week", 2),
            ("monthly", 0),
            ("weekly", 1),
        ],
    )
    def test_cadence(self, text, expected):
        """A week of the cadence counts the events of that ISO week in full."""
        engagement = planned(text, start=dt.date(2026, 11, 2))

        frame = nb.engagements_to_pandas(engagement, as_of=dt.date(2026, 11, 18))

        assert expected == frame["check_ins_per_week"][0]

    def test_dates_as_text(self):
        """Dates may be given as text, as check() takes them; bad text is refused."""
        engagement = planned("daily", start=dt.date(2026, 11, 2))

        frame = nb.engagements_to_pandas(engagement, as_of="2026-11-18")

        assert 7 == frame["check_ins_per_week"][0]
        assert 7 == nb.planned_check_ins(engagement, "2026-11-18", as_of="2026-11-18")
        with pytest.raises(ValueError, match=r"expected a date like 2026-11-22"):
            nb.engagements_to_pandas(engagement, as_of="18/11/2026")

    def test_week_of_start(self):
        """Without as_of, the week containing start is counted, from start on."""
        engagement = planned("daily", start=dt.date(2026, 11, 19))

        assert 4 == nb.engagements_to_pandas(engagement)["check_ins_per_week"][0]

    def test_later_start(self):
        """When start is after as_of, its week is counted, as the rule does."""
        engagement = planned("daily", start=dt.date(2026, 12, 2))

        frame = nb.engagements_to_pandas(engagement, as_of=AS_OF)

        assert 5 == frame["check_ins_per_week"][0]

    def test_no_week(self):
        """Without start or as_of no week can be chosen: the count is missing."""
        frame = nb.engagements_to_pandas(planned("daily"))

        assert [None] == nulls(frame["check_ins_per_week"])

    def test_matches_function(self, engagements):
        """The column gives planned_check_ins of as_of's week (or start's)."""
        frame = nb.engagements_to_pandas(engagements, as_of=AS_OF)

        expected = [
            nb.planned_check_ins(e, max(AS_OF, e.start or AS_OF), as_of=AS_OF)
            for e in engagements
        ]
        assert expected == nulls(frame["check_ins_per_week"])

    @given(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    def test_weekdays_any_week(self, day):
        """`weekdays` plans 5 check-ins in every full week after the start."""
        engagement = planned("weekdays", start=dt.date(2019, 12, 30), tz="Asia/Manila")

        assert 5 == nb.planned_check_ins(engagement, day)

    def test_none_planned(self):
        """planned_check_ins is None without planned check-ins."""
        assert nb.planned_check_ins(bare(status=Status.ACTIVE), AS_OF) is None


class TestRulesToPandas:
    def test_rows(self):
        """One row per rule with its code, severity and option defaults."""
        frame = nb.rules_to_pandas(BUILTIN_RULES)

        assert [r.code for r in BUILTIN_RULES] == list(frame["code"])
        assert [r.defaults for r in BUILTIN_RULES] == list(frame["options"])
        assert frame["severity"].dtype.ordered

    def test_catalogue(self):
        """A RuleCatalogue gives the same frame."""
        expected = nb.rules_to_pandas(BUILTIN_RULES)

        actual = nb.RuleCatalogue(BUILTIN_RULES).to_pandas()

        pd.testing.assert_frame_equal(expected, actual)

    def test_catalogue_slice(self):
        """A slice of the catalogue (``outsourcekit.rules()[:3]``) gives its frame."""
        expected = nb.rules_to_pandas(BUILTIN_RULES[:3])

        actual = nb.RuleCatalogue(BUILTIN_RULES)[:3].to_pandas()

        pd.testing.assert_frame_equal(expected, actual)


class TestFileNameNotUtf8:
    """Frames of engagements read from a file whose name is not UTF-8.

    Python holds such a name with half a surrogate pair for each byte that is
    not UTF-8 (``caf\\udce9.yaml``), which pandas' Arrow-backed text refuses.
    """

    SOURCE = os.fsdecode(b"caf\xe9.yaml")

    @pytest.fixture
    def engagement(self):
        """An engagement read from ``caf\\xe9.yaml``, owner and vision missing."""
        return loads("id: cafe\ntitle: Caf\n", format="yaml", source=self.SOURCE)

    @pytest.mark.parametrize(
        "frame",
        [
            lambda e: nb.report_to_pandas(check(e, as_of=AS_OF), e),
            nb.engagements_to_pandas,
            lambda e: history(e, dates=[AS_OF]).findings_frame(),
        ],
        ids=["findings", "engagements", "history"],
    )
    def test_source_kept(self, engagement, frame):
        """The ``source`` column names the file as Python does, a text column."""
        got = frame(engagement)

        assert len(got) > 0
        assert {self.SOURCE} == set(got["source"])
        assert pd.api.types.is_string_dtype(got["source"].dtype)
        assert isinstance(got["source"].dtype, pd.StringDtype)
        assert ["cafe"] == list(got["engagement"].unique())

    def test_other_columns_unchanged(self, engagement):
        """Only a column holding such a name differs in its storage."""
        got = nb.report_to_pandas(check(engagement, as_of=AS_OF), engagement)

        assert TEXT == got["engagement"].dtype
        assert TEXT == got["message"].dtype


class TestWhatIsNoReport:
    @pytest.mark.parametrize(
        "show",
        [
            nb.report_html,
            nb.report_to_pandas,
            nb.scores_frame,
            nb.plot_heatmap,
            nb.plot_ranking,
            nb.plot_findings,
            nb.plot_scores,
        ],
    )
    def test_engagements(self, engagements, show):
        """Engagements not yet checked are refused, saying to check them."""
        with pytest.raises(TypeError) as info:
            show(engagements)

        assert str(info.value).startswith(
            f"{show.__name__}() expects a Report, got [Engagement("
        )
        assert str(info.value).endswith(
            "(a list): check the engagements first, "
            "report = outsourcekit.check(engagements)"
        )

    def test_history(self, engagements):
        """A history is refused, saying how to pick one date's report."""
        year = history(engagements[:2], dates=["2026-06-01", "2026-11-22"])

        with pytest.raises(TypeError) as info:
            nb.plot_ranking(year)

        assert (
            "plot_ranking() expects a Report, got <History 2 dates 2026-06-01 to "
            "2026-11-22, 2 engagements, s… (a History): pick one date's "
            "report, as history[-1]"
        ) == str(info.value)

    def test_nothing(self):
        """None is refused, naming the function."""
        with pytest.raises(TypeError) as info:
            nb.report_html(None)

        assert "report_html() expects a Report, got None" == str(info.value)


class TestWhatIsNoEngagement:
    @pytest.mark.parametrize(
        "show",
        [
            nb.engagement_html,
            lambda e, _: nb.plot_kpi(e, "accuracy"),
            lambda e, _: nb.plot_check_ins(e, AS_OF),
            lambda e, _: nb.planned_check_ins(e, AS_OF),
        ],
        ids=["engagement_html", "plot_kpi", "plot_check_ins", "planned_check_ins"],
    )
    def test_result(self, report, show, request):
        """An engagement's result in a report is refused, saying what to give."""
        what = request.node.callspec.id
        result = report.engagements[0]

        with pytest.raises(TypeError) as info:
            show(result, report)

        assert str(info.value).startswith(
            f"{what}() expects an Engagement, got <EngagementResult "
        )
        assert str(info.value).endswith(
            "(an EngagementResult): that is its result in the report; give the "
            "engagement, as loaded"
        )

    def test_id(self, report):
        """An engagement's id is refused, saying to load the engagement."""
        with pytest.raises(TypeError) as info:
            nb.engagement_html("wl-order-entry", report)

        assert (
            "engagement_html() expects an Engagement, got 'wl-order-entry' (text): "
            "read files with outsourcekit.load()"
        ) == str(info.value)

    def test_report_first(self, engagements, report):
        """The report comes second: a report first is refused."""
        with pytest.raises(TypeError) as info:
            nb.engagement_html(report, engagements[0])

        assert str(info.value).startswith(
            "engagement_html() expects an Engagement, got <Report as of 2026-11-22"
        )


class TestWhatIsNoHistory:
    @pytest.mark.parametrize(
        "show",
        [
            nb.history_scores_frame,
            nb.history_portfolio_frame,
            nb.history_findings_frame,
            nb.plot_history,
        ],
    )
    def test_report(self, report, show):
        """A report is refused, saying to make a history."""
        with pytest.raises(TypeError) as info:
            show(report)

        assert str(info.value).startswith(
            f"{show.__name__}() expects a History, got <Report as of 2026-11-22"
        )
        assert str(info.value).endswith(
            "(a Report): check at several dates with outsourcekit.history()"
        )


class TestWhatIsNoRules:
    @pytest.mark.parametrize("show", [nb.rules_html, nb.rules_to_pandas])
    def test_one_rule(self, show):
        """One rule is refused, saying to put it in a list."""
        with pytest.raises(TypeError) as info:
            show(BUILTIN_RULES[0])

        assert (
            f"{show.__name__}() expects a list of Rule objects, got one rule "
            f"({BUILTIN_RULES[0].code}): put it in a list"
        ) == str(info.value)

    @pytest.mark.parametrize("show", [nb.rules_html, nb.rules_to_pandas])
    @pytest.mark.parametrize(
        ("rules", "got"), [("OSK601", "'OSK601' (text)"), ([3], "3 (a whole number)")]
    )
    def test_no_rules(self, show, rules, got):
        """Text, or a list holding what is no rule, is refused, naming it."""
        with pytest.raises(TypeError) as info:
            show(rules)

        assert str(info.value).startswith(
            f"{show.__name__}() expects a list of Rule objects, got {got}"
        )


class TestWithoutPandas:
    @pytest.fixture(autouse=True)
    def no_pandas(self, monkeypatch):
        """Make `import pandas` fail as when it is not installed."""
        monkeypatch.setitem(sys.modules, "pandas", None)

    @pytest.mark.parametrize(
        "name",
        [
            "report_to_pandas",
            "scores_frame",
            "engagements_to_pandas",
            "rules_to_pandas",
        ],
    )
    def test_says_how_to_install(self, report, name):
        """Each function raises an ImportError that says how to install the extra."""
        argument = {"engagements_to_pandas": [], "rules_to_pandas": BUILTIN_RULES}
        with pytest.raises(ImportError) as info:
            getattr(nb, name)(argument.get(name, report))

        assert (
            f"{name}() needs pandas, which is not installed: install the notebook "
            'extra with pip install "outsourcekit[notebook]"'
        ) == str(info.value)
        assert isinstance(info.value, nb.MissingExtraError)
        assert ("pandas", f"{name}()") == (info.value.package, info.value.feature)
        assert "pandas" == info.value.name
