"""Tests for how the JSON Lines format writes findings: as the JSON report does.

The format writes each finding from its rule's texts, encoded once, and the
finding's own values; these tests hold it to ``json_text(finding_dict(f))``,
the line the JSON report's data gives, for every kind of value.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from collections import OrderedDict
from types import MappingProxyType

import attrs
import pytest
from export_support import AS_OF

from outsourcekit import plugins
from outsourcekit.builtin.exporters import jsonl as jsonl_format
from outsourcekit.builtin.exporters._escape import json_text
from outsourcekit.engine import Finding, Report, Severity


class Color(enum.Enum):
    """An enum without a JSON form of its own: written as its ``str()``."""

    RED = "red"


class Key(str, enum.Enum):
    """A text enum used as a key: written as its ``str()``, not its value."""

    A = "a"


def finding(**changes):
    """A finding with plain values, changed as given."""
    base = Finding(
        rule="OSK999",
        slug="test-rule",
        category="clarity",
        severity=Severity.WARNING,
        engagement="alpha",
        path="objectives[0]",
        message='Objective "x" has no KPI',
        fix="Give it a KPI.",
        evidence={"kpi": None, "count": 3, "ratio": 0.5, "ok": True},
        source="engagements/alpha.yaml",
        line=7,
    )
    return attrs.evolve(base, **changes)


#: Findings whose values take every path of the writer.
FINDINGS = [
    finding(),
    finding(evidence={}),
    finding(evidence=MappingProxyType({})),
    finding(source=None, line=None),
    finding(waived="accepted until the migration ends"),
    finding(severity=Severity.ERROR),
    finding(fix="Another fix for the same rule."),
    finding(evidence={"due": dt.date(2026, 1, 2), "at": dt.datetime(2026, 1, 2, 3, 4)}),
    finding(evidence={"time": dt.time(9, 30), "gap": dt.timedelta(days=2)}),
    finding(evidence={"nested": [{"on": dt.date(2026, 5, 1)}, [1, 2.5, None]]}),
    finding(evidence={"set": {"b", "a"}, "tuple": (1, 2), "frozen": frozenset({3})}),
    finding(evidence={1: "int key", 1.5: "float key", None: "none"}),
    finding(evidence={"a": {True: "bool key", False: "other"}}),
    finding(evidence={Key.A: "enum key", "color": Color.RED}),
    finding(evidence=OrderedDict([("z", 1), ("a", 2)])),
    finding(evidence=MappingProxyType({"inner": {2: dt.date(2026, 1, 1)}})),
    finding(evidence={"nan": float("nan"), "inf": float("inf"), "big": 10**30}),
    finding(message="line\nbreak \u2028 sep \u202e bidi \x1b esc \x85 nel"),
    finding(engagement="caf\u00e9-\u6771\u4eac", path="tasks[\u00e9]"),
    finding(evidence={"text": "\ud800 lone surrogate", "\u202ekey": 1}),
    finding(line=True),
    finding(message=42),
    finding(path=None),
]


def expected(context, findings):
    """The lines the JSON report's data gives."""
    return "".join(json_text(context.finding_dict(f)) + "\n" for f in findings)


def written(context, findings):
    """What the streaming form writes for *findings*, in two batches."""
    out = io.StringIO(newline="")
    sink = jsonl_format.EXPORTER.stream(out, context)
    sink.begin(AS_OF, ())
    half = len(findings) // 2
    sink.findings(findings[:half])
    sink.findings(findings[half:])
    return out.getvalue()


class TestFindingLines:
    @pytest.mark.parametrize("index", range(len(FINDINGS)))
    def test_each_line_is_the_json_reports_object(self, index):
        """Each finding's line is ``json_text`` of its JSON report object, exactly."""
        context = Report(as_of=AS_OF, findings=(), engagements=())
        one = [FINDINGS[index]]

        assert expected(context, one) == written(context, one)

    def test_all_together_in_both_forms(self):
        """The streamed and the whole-report forms write the same finding lines."""
        context = Report(as_of=AS_OF, findings=tuple(FINDINGS), engagements=())
        lines = expected(context, FINDINGS)

        assert lines == written(context, FINDINGS)
        assert jsonl_format.export(context).startswith(lines)

    def test_against_a_baseline(self):
        """Against a baseline each line ends with the finding's state, as in JSON."""
        findings = (finding(), finding(engagement="beta"), finding(waived="ok"))
        report = Report(as_of=AS_OF, findings=findings, engagements=())
        base = Report(as_of=AS_OF, findings=findings[:1], engagements=())
        marked = report.with_baseline(base)
        text = written(marked, list(findings))

        assert expected(marked, findings) == text
        assert ["unchanged", "new", "unchanged"] == [
            json.loads(line)["baseline"] for line in text.splitlines()
        ]

    def test_a_severity_changed_by_configuration(self):
        """A rule's findings at another severity are written with that severity."""
        context = Report(as_of=AS_OF, findings=(), engagements=())
        findings = [finding(), finding(severity=Severity.INFO), finding()]
        text = written(context, findings)

        assert expected(context, findings) == text
        assert ["warning", "info", "warning"] == [
            json.loads(line)["severity"] for line in text.splitlines()
        ]

    def test_frozen_evidence_is_written_without_its_json_data(self, monkeypatch):
        """Evidence of text, numbers, dates, lists and mappings, as a finding
        holds it (frozen: read-only mappings, tuples), is encoded as it is,
        without being turned into JSON data first: the line of most findings."""
        findings = [
            finding(),
            finding(evidence={"due": dt.date(2026, 1, 2), "days": 3}),
            finding(evidence={"nested": [{"on": dt.date(2026, 5, 1)}, [1, 2.5, None]]}),
        ]
        context = Report(as_of=AS_OF, findings=(), engagements=())
        lines = expected(context, findings)

        def refuse(_finding):
            raise AssertionError("evidence turned into JSON data")

        monkeypatch.setattr(Finding, "to_dict", refuse)

        assert lines == written(context, findings)

    def test_cyclic_evidence_is_refused_with_the_finding(self):
        """Evidence that holds itself is refused where the finding is made.

        Not later, in one exporter or another: a rule yielding it fails as a
        rule does, on its engagement.
        """
        loop: dict[str, object] = {}
        loop["self"] = loop

        with pytest.raises(ValueError, match=r"^the evidence holds itself$"):
            finding(evidence=loop)


class NumpyLike(float):
    """A float of another type, as numpy's float64 is."""


@pytest.mark.parametrize("name", ["json", "jsonl", "sarif", "csv"])
def test_numbers_json_has_none_for_are_null(name):
    """NaN and the infinities in evidence are written as null: the output parses."""
    nan = float("nan")
    evidence = {
        "nan": nan,
        "inf": float("inf"),
        "deep": [{"low": -float("inf")}, NumpyLike(nan)],
        "ok": 0.5,
    }
    found = finding(evidence=evidence)
    report = Report(as_of=AS_OF, findings=(found,), engagements=())
    exporter = next(e for e in plugins.get_exporters() if e.name == name)

    text = exporter(report)

    def refuse(constant):
        raise AssertionError(constant)

    if name == "csv":
        (row,) = csv.DictReader(io.StringIO(text))
        written = json.loads(row["evidence"], parse_constant=refuse)
    else:
        lines = text.splitlines() if name == "jsonl" else [text]
        data = [json.loads(line, parse_constant=refuse) for line in lines]
        written = (
            data[0]["evidence"]
            if name == "jsonl"
            else data[0]["findings"][0]["evidence"]
            if name == "json"
            else data[0]["runs"][0]["results"][0]["properties"]["evidence"]
        )
    assert {"nan": None, "inf": None, "deep": [{"low": None}, None], "ok": 0.5} == (
        written
    )
