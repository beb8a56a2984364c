"""Tests of evidence values in every output: repr, to_dict, the formats, displays."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys

import pytest

from outsourcekit.builtin.exporters import csv as csv_format
from outsourcekit.builtin.exporters import json as json_format
from outsourcekit.builtin.exporters import jsonl as jsonl_format
from outsourcekit.builtin.exporters import sarif as sarif_format
from outsourcekit.engine import Finding, Report, Severity
from outsourcekit.engine._display import finding_html

AS_OF = dt.date(2026, 11, 22)
#: A whole number of more digits than Python writes out (4300 by default).
HUGE = 10**5000 + 7


def with_evidence(evidence):
    """Return a finding holding *evidence*."""
    return Finding(
        rule="TST701",
        slug="s",
        category="governance",
        severity=Severity.INFO,
        engagement="a",
        path="",
        message="m",
        fix="f",
        evidence=evidence,
    )


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
