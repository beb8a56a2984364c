"""Tests of evidence values in every output: repr, to_dict, the formats, displays."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys

import pytest
from rules_for_tests import bare, no_owner

from evidence import with_evidence
from outsourcekit import check, plugins
from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import jsonl as jsonl_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.engine import Report, rule
from outsourcekit.engine._display import finding_html
from outsourcekit.engine._report import ReportDataError
from outsourcekit.model._engagement import MAX_NESTING

AS_OF = dt.date(2026, 11, 22)
#: A whole number of more digits than Python writes out (4300 by default).
HUGE = 10**5000 + 7


def written_evidence(name, finding):
    """Return the evidence format *name* writes for *finding*, read back."""
    report = Report(as_of=AS_OF, findings=(finding,), engagements=())
    formats = {
        "csv": csv_format,
        "json": json_format,
        "jsonl": jsonl_format,
        "sarif": sarif_format,
    }
    text = formats[name].EXPORTER(report)
    if name == "csv":
        (row,) = csv.DictReader(io.StringIO(text))
        return json.loads(row["evidence"])
    if name == "jsonl":
        return json.loads(text.splitlines()[0])["evidence"]
    data = json.loads(text)
    if name == "sarif":
        return data["runs"][0]["results"][0]["properties"]["evidence"]
    return data["findings"][0]["evidence"]


class TestLongWholeNumbers:
    def test_to_dict(self):
        """A whole number too long to write out is text in scientific notation."""
        finding = with_evidence({"n": HUGE, "deep": [-HUGE], "small": 7})

        assert {
            "n": "1.000000e+5000",
            "deep": ["-1.000000e+5000"],
            "small": 7,
        } == finding.to_dict()["evidence"]

    @pytest.mark.parametrize("name", ["json", "jsonl", "sarif", "csv"])
    def test_formats(self, name):
        """Every machine-readable format writes it as to_dict() gives it."""
        finding = with_evidence({"n": HUGE, "ok": 1})

        assert {"n": "1.000000e+5000", "ok": 1} == written_evidence(name, finding)

    def test_repr(self):
        """The finding's repr shows it rounded, as every display does."""
        finding = with_evidence({"n": HUGE, "deep": (HUGE, {"m": HUGE})})

        assert (
            "evidence={'n': 1.000000e+5000, 'deep': (1.000000e+5000, "
            "{'m': 1.000000e+5000})}" in repr(finding)
        )

    def test_html(self):
        """The finding's display shows it rounded."""
        markup = finding_html(with_evidence({"n": HUGE, "ns": [HUGE, 2]}))

        assert "n: 1.000000e+5000; ns: 1.000000e+5000, 2" in markup

    def test_as_long_as_python_writes_them(self):
        """A whole number Python writes out, however long, is written exactly."""
        finding = with_evidence({"n": 10**4000})

        assert 10**4000 == finding.to_dict()["evidence"]["n"]

    def test_the_limit_python_is_given(self):
        """Where the limit on digits is raised, the number is written exactly."""
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            data = with_evidence({"n": HUGE}).to_dict()
        finally:
            sys.set_int_max_str_digits(old)

        assert HUGE == data["evidence"]["n"]

    def test_rounded_to_seven_digits(self):
        """The text has seven significant digits, rounded, and the right exponent."""
        numbers = [
            10**5000 - 1,
            123456789 * 10**4992,
            -(999999949 * 10**4995),
            2**20000,
        ]

        assert [
            "1.000000e+5000",
            "1.234568e+5000",
            "-9.999999e+5003",
            "3.980277e+6020",
        ] == [with_evidence({"n": n}).to_dict()["evidence"]["n"] for n in numbers]


class TestNumpyAndPandasValues:
    """numpy's and pandas' values in evidence are the plain Python values."""

    @pytest.fixture
    def np(self):
        """numpy, part of the notebook extra."""
        return pytest.importorskip("numpy")

    @pytest.fixture
    def pd(self):
        """pandas, part of the notebook extra."""
        return pytest.importorskip("pandas")

    def test_in_sets_and_as_keys(self, np):
        """Items of a set and keys of a mapping become Python's values too."""
        evidence = with_evidence(
            {"seen": {np.int64(1), np.float64(2.5)}, "by": {np.int64(4): "x"}}
        ).evidence

        assert [float, int] == sorted(
            (type(v) for v in evidence["seen"]), key=lambda t: t.__name__
        )
        assert [int] == [type(k) for k in evidence["by"]]
        assert {"seen": [1, 2.5], "by": {"4": "x"}} == json.loads(
            json.dumps(with_evidence(evidence).to_dict()["evidence"])
        )

    def test_scalars(self, np):
        """Numbers, truth values and text become int, float, bool and str."""
        evidence = with_evidence(
            {
                "count": np.int64(3),
                "small": np.uint8(7),
                "ratio": np.float64(0.5),
                "single": np.float32(0.25),
                "ok": np.bool_(True),
                "name": np.str_("a"),
            }
        ).evidence

        assert {
            "count": (int, 3),
            "small": (int, 7),
            "ratio": (float, 0.5),
            "single": (float, 0.25),
            "ok": (bool, True),
            "name": (str, "a"),
        } == {k: (type(v), v) for k, v in evidence.items()}

    def test_dates_and_durations(self, np):
        """datetime64 becomes a date or a datetime, timedelta64 a timedelta."""
        evidence = with_evidence(
            {
                "day": np.datetime64("2026-01-05"),
                "at": np.datetime64("2026-01-05T10:30:00"),
                "fine": np.datetime64("2026-01-05T10:30:00.123456789"),
                "gap": np.timedelta64(3, "D"),
                "short": np.timedelta64(1500, "ms"),
                "fine_gap": np.timedelta64(90_000_000_000, "ns"),
            }
        ).evidence

        assert {
            "day": dt.date(2026, 1, 5),
            "at": dt.datetime(2026, 1, 5, 10, 30),
            "fine": dt.datetime(2026, 1, 5, 10, 30, 0, 123456),
            "gap": dt.timedelta(days=3),
            "short": dt.timedelta(seconds=1.5),
            "fine_gap": dt.timedelta(seconds=90),
        } == evidence
        assert dt.date is type(evidence["day"])

    def test_missing_values(self, np, pd):
        """NaT and pandas' NA are None, a NaN the one NaN: written as null."""
        finding = with_evidence(
            {
                "day": np.datetime64("NaT", "D"),
                "gap": np.timedelta64("NaT", "s"),
                "stamp": pd.NaT,
                "na": pd.NA,
                "nan": np.float64("nan"),
            }
        )

        assert [None, None, None, None, math.nan] == [
            finding.evidence[k] for k in ("day", "gap", "stamp", "na", "nan")
        ]
        assert (
            dict.fromkeys(("day", "gap", "stamp", "na", "nan"))
            == (finding.to_dict()["evidence"])
        )

    def test_beyond_pythons_dates(self, np):
        """A datetime64 Python's dates cannot hold is its ISO text, not a number."""
        evidence = with_evidence(
            {"late": np.datetime64("12026-01-05"), "months": np.timedelta64(3, "M")}
        ).evidence

        assert {"late": "12026-01-05", "months": "3 months"} == evidence

    def test_arrays(self, np):
        """An array is a tuple of plain values, nested arrays tuples of tuples."""
        evidence = with_evidence(
            {
                "ids": np.array([1, 2]),
                "grid": np.array([[0.5, 1.0], [2.0, 3.0]]),
                "days": np.array(["2026-01-05", "NaT"], dtype="datetime64[ns]"),
                "one": np.array(4),
            }
        ).evidence

        assert {
            "ids": (1, 2),
            "grid": ((0.5, 1.0), (2.0, 3.0)),
            "days": (dt.datetime(2026, 1, 5), None),
            "one": 4,
        } == evidence
        assert int is type(evidence["ids"][0])

    def test_pandas_values(self, pd):
        """A Timestamp is a datetime and a Timedelta a timedelta, of Python's own."""
        evidence = with_evidence(
            {"at": pd.Timestamp("2026-01-05 10:30"), "gap": pd.Timedelta(hours=2)}
        ).evidence

        assert (dt.datetime, dt.timedelta) == (
            type(evidence["at"]),
            type(evidence["gap"]),
        )
        assert {
            "at": dt.datetime(2026, 1, 5, 10, 30),
            "gap": dt.timedelta(hours=2),
        } == evidence

    @pytest.mark.parametrize("name", ["json", "jsonl", "sarif", "csv"])
    def test_formats(self, np, name):
        """Every format writes them as it writes Python's own values."""
        finding = with_evidence(
            {
                "count": np.int64(3),
                "ok": np.bool_(False),
                "day": np.datetime64("2026-01-05"),
                "ids": np.array([1, 2]),
            }
        )

        assert {
            "count": 3,
            "ok": False,
            "day": "2026-01-05",
            "ids": [1, 2],
        } == written_evidence(name, finding)

    def test_display(self, np):
        """The finding's display and repr show them as Python's own values."""
        finding = with_evidence(
            {"count": np.int64(3), "day": np.datetime64("2026-01-05")}
        )

        assert "count: 3; day: 2026-01-05" in finding_html(finding)
        assert "evidence={'count': 3, 'day': datetime.date(2026, 1, 5)}" in repr(
            finding
        )

    def test_pandas_containers(self, pd):
        """A Series or an Index is a tuple of its values, a DataFrame one of its rows.

        Not its printed text: the finding hashes, and every format writes
        the values.
        """
        finding = with_evidence(
            {
                "late": pd.Series([3, 5], index=["a", "b"]),
                "days": pd.Series(pd.to_datetime(["2026-01-05", None])),
                "ids": pd.Index(["x", "y"]),
                "rows": pd.DataFrame({"id": ["a", "b"], "n": [1, 2]}),
            }
        )

        assert {
            "late": (3, 5),
            "days": (dt.datetime(2026, 1, 5), None),
            "ids": ("x", "y"),
            "rows": ({"id": "a", "n": 1}, {"id": "b", "n": 2}),
        } == finding.evidence
        assert int is type(finding.evidence["late"][0])
        assert hash(finding) == hash(with_evidence(dict(finding.evidence)))
        assert [{"id": "a", "n": 1}, {"id": "b", "n": 2}] == written_evidence(
            "json", finding
        )["rows"]


class TestLongWholeNumbersInSets:
    def test_everywhere(self):
        """A set holding one is sorted by the text it is written as."""
        finding = with_evidence({"ids": {HUGE, 2}})

        assert ["1.000000e+5000", 2] == finding.to_dict()["evidence"]["ids"]
        assert "ids: 1.000000e+5000, 2" in finding_html(finding)
        assert "1.000000e+5000" in repr(finding)


def nested(levels, inner=1):
    """Return *inner* in *levels* lists, one in the other."""
    value = inner
    for _ in range(levels):
        value = [value]
    return value


class TestDeepEvidence:
    def test_as_deep_as_allowed_in_every_output(self):
        """Evidence nested MAX_NESTING levels deep is written by every output."""
        finding = with_evidence({"d": nested(MAX_NESTING), "s": [{1, 2}]})
        report = Report(as_of=AS_OF, findings=(finding,), engagements=())

        for name in ["json", "jsonl", "sarif", "csv"]:
            assert nested(MAX_NESTING) == written_evidence(name, finding)["d"]
        for exporter in plugins.get_exporters():
            assert exporter(report)
        assert "'d': ((((" in repr(finding)
        assert "d: [[[[" in finding_html(finding)
        assert nested(MAX_NESTING) == finding.to_dict()["evidence"]["d"]

    @pytest.mark.parametrize("levels", [MAX_NESTING + 1, 5000])
    def test_deeper_is_refused_where_the_finding_is_made(self, levels):
        """No finding holds evidence no output could write, however deep."""
        with pytest.raises(
            ValueError,
            match=(
                r"^rule TST701: evidence values nest at most 100 levels "
                r"\(evidence 'd' is deeper\)$"
            ),
        ):
            with_evidence({"ok": 1, "d": nested(levels)})

    def test_deeper_in_mappings_and_sets_is_refused(self):
        """Levels of mappings and of sets count as levels of lists do."""
        inner: object = 1
        for _ in range(MAX_NESTING - 2):
            inner = (inner,)
        allowed = {"ids": frozenset({inner})}
        deeper = {"ids": frozenset({(inner,)})}

        assert allowed == with_evidence({"d": allowed}).evidence["d"]
        with pytest.raises(ValueError, match=r"\(evidence 'd' is deeper\)$"):
            with_evidence({"d": deeper})

    def test_a_rule_making_it_fails_alone(self):
        """ctx.finding refuses it: a rule error, the other rules' findings kept."""

        @rule(
            code="TST092",
            slug="deep",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )
        def deep(_engagement, ctx):
            yield ctx.finding("shallow", path="x", evidence={"d": [1]})
            yield ctx.finding("m", path="y", evidence={"d": nested(5000)})

        report = check([bare("a"), bare("b")], as_of=AS_OF, rules=[deep, no_owner])

        assert [("a", "TST001", "owner"), ("b", "TST001", "owner")] == [
            (f.engagement, f.rule, f.path) for f in report.findings
        ]
        assert [
            (
                "TST092",
                eng,
                "ValueError",
                (
                    "rule TST092: evidence values nest at most 100 levels "
                    "(evidence 'd' is deeper)"
                ),
            )
            for eng in ["a", "b"]
        ] == [(e.rule, e.engagement, e.type, e.message) for e in report.rule_errors]
        for exporter in plugins.get_exporters():
            assert exporter(report)

    def test_a_saved_report_holding_it_is_refused(self):
        """Reading back a report whose evidence is too deep names where it is."""
        data = Report(
            as_of=AS_OF, findings=(with_evidence({"d": [1]}),), engagements=()
        ).to_dict()
        data["findings"][0]["evidence"] = {"d": nested(MAX_NESTING + 1)}

        with pytest.raises(ReportDataError) as caught:
            Report.from_dict(data)

        assert "findings[0].evidence" in str(caught.value)
        assert "evidence values nest at most 100 levels" in str(caught.value)
