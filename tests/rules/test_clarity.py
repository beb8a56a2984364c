"""Tests for the clarity rules (OSK101-OSK108)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest

from outsourcekit.builtin.rules import clarity
from outsourcekit.model import (
    Cadence,
    Deliverable,
    Engagement,
    Objective,
    PerformanceStandard,
    QualityStandard,
    Task,
)
from outsourcekit.testing import run_rule

if TYPE_CHECKING:
    from outsourcekit.engine import Rule

AS_OF = dt.date(2026, 11, 22)
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
_AS_OF_LINE = re.compile(r"#\s*as_of:\s*(\d{4}-\d{2}-\d{2})")


def examples(rule: Rule) -> tuple[dt.date, str, str]:
    """Return the as_of and the failing and passing YAML of a rule's docstring."""
    failing, passing = _BLOCK.findall(rule.sections()["Example"])
    m = _AS_OF_LINE.match(failing)
    as_of = dt.date.fromisoformat(m.group(1)) if m else AS_OF
    return as_of, failing, passing


class TestOSK101:
    def test_fires_without_objectives(self):
        """An engagement without objectives gets one finding at `objectives`."""
        (f,) = run_rule(clarity.no_objectives, Engagement(id="x"), as_of=AS_OF)

        assert ("OSK101", "objectives") == (f.rule, f.path)
        assert "No objectives are stated" == f.message
        assert {"objectives": 0} == f.evidence

    def test_passes_with_an_objective(self):
        """One objective is enough."""
        eng = Engagement(id="x", objectives=[Objective(statement="Close the books")])

        assert [] == run_rule(clarity.no_objectives, eng, as_of=AS_OF)


class TestOSK102:
    def test_fires_on_each_unmeasurable_objective(self):
        """Each objective without KPI and due date is reported at its index."""
        eng = Engagement(
            id="x",
            objectives=[
                Objective(statement="Close the books", due=dt.date(2026, 12, 31)),
                Objective(statement="Keep things tidy"),
                Objective(),
            ],
        )

        findings = run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)

        assert [
            (
                "objectives[1]",
                'Objective "Keep things tidy" has neither a KPI nor a due date',
            ),
            (
                "objectives[2]",
                "The objective at objectives[2] has neither a KPI nor a due date",
            ),
        ] == [(f.path, f.message) for f in findings]
        assert {"statement": "Keep things tidy", "kpi": None, "due": None} == findings[
            0
        ].evidence

    @pytest.mark.parametrize(
        "objective",
        [
            Objective(statement="Close fast", kpi="close-time"),
            Objective(statement="Close fast", due=dt.date(2026, 3, 31)),
        ],
    )
    def test_kpi_or_due_is_enough(self, objective):
        """A KPI or a due date makes an objective measurable."""
        eng = Engagement(id="x", objectives=[objective])

        assert [] == run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)

    def test_no_objectives_is_not_this_rules(self):
        """Without objectives there is nothing to measure (that is OSK101)."""
        assert [] == run_rule(
            clarity.unmeasurable_objective, Engagement(id="x"), as_of=AS_OF
        )


class TestOSK103:
    def test_fires_without_deliverables(self):
        """No deliverables at all is one finding at `deliverables`."""
        (f,) = run_rule(clarity.no_deliverable_spec, Engagement(id="x"), as_of=AS_OF)

        assert ("OSK103", "deliverables") == (f.rule, f.path)
        assert "No deliverables are specified" == f.message
        assert {"deliverables": 0} == f.evidence

    def test_fires_on_unspecified_deliverable(self):
        """A deliverable with neither description nor acceptance is reported by name."""
        eng = Engagement(
            id="x",
            deliverables=[
                Deliverable(name="Monthly P&L", description="P&L in our template"),
                Deliverable(name="Ledger", description="  "),
            ],
        )

        (f,) = run_rule(clarity.no_deliverable_spec, eng, as_of=AS_OF)

        assert "deliverables[Ledger]" == f.path
        assert (
            'Deliverable "Ledger" has neither a description nor acceptance criteria'
            == f.message
        )
        assert {"deliverable": "Ledger", "description": "  ", "acceptance": []} == (
            f.evidence
        )

    def test_duplicate_names_use_indexes(self):
        """Items whose names are not unique are addressed by index."""
        eng = Engagement(
            id="x",
            deliverables=[Deliverable(name="Report"), Deliverable(name="Report")],
        )

        findings = run_rule(clarity.no_deliverable_spec, eng, as_of=AS_OF)

        assert ["deliverables[0]", "deliverables[1]"] == [f.path for f in findings]

    def test_acceptance_alone_specifies(self):
        """Acceptance criteria alone are a specification."""
        eng = Engagement(
            id="x", deliverables=[Deliverable(name="P&L", acceptance=["Ties to bank"])]
        )

        assert [] == run_rule(clarity.no_deliverable_spec, eng, as_of=AS_OF)


class TestOSK104:
    def test_fires_without_criteria_or_acceptance(self):
        """Neither quality criteria nor acceptance criteria fires at `quality`."""
        eng = Engagement(
            id="x",
            quality=QualityStandard(reviewer="Finance lead"),
            deliverables=[Deliverable(name="P&L", description="P&L")],
        )

        (f,) = run_rule(clarity.no_quality_standard, eng, as_of=AS_OF)

        assert ("OSK104", "quality") == (f.rule, f.path)
        assert (
            "No quality criteria are stated and no deliverable has acceptance criteria"
            == f.message
        )
        assert {"quality_criteria": 0, "deliverables_with_acceptance": 0} == f.evidence

    @pytest.mark.parametrize(
        "eng",
        [
            Engagement(id="x", quality=QualityStandard(criteria=["No errors"])),
            Engagement(id="x", deliverables=[Deliverable(acceptance=["Ties out"])]),
        ],
    )
    def test_either_standard_is_enough(self, eng):
        """Quality criteria or one deliverable's acceptance criteria satisfy it."""
        assert [] == run_rule(clarity.no_quality_standard, eng, as_of=AS_OF)


class TestOSK105:
    @pytest.mark.parametrize(
        "performance", [None, PerformanceStandard(), PerformanceStandard(delivery=" ")]
    )
    def test_fires_without_delivery_or_reports(self, performance):
        """An absent or empty performance standard fires at `performance`."""
        eng = Engagement(id="x", performance=performance)

        (f,) = run_rule(clarity.no_performance_standard, eng, as_of=AS_OF)

        assert ("OSK105", "performance") == (f.rule, f.path)
        assert (
            "No performance standard is stated: neither how work is delivered nor how "
            "often status is reported" == f.message
        )

    @pytest.mark.parametrize(
        "performance",
        [
            PerformanceStandard(delivery="Shared drive"),
            PerformanceStandard(status_reports=Cadence.parse("weekly")),
        ],
    )
    def test_delivery_or_reports_is_enough(self, performance):
        """Either a delivery or a status-report cadence is a performance standard."""
        eng = Engagement(id="x", performance=performance)

        assert [] == run_rule(clarity.no_performance_standard, eng, as_of=AS_OF)


class TestOSK106:
    def test_fires_per_item_without_due(self):
        """Tasks and deliverables without `due` in an open-ended engagement fire."""
        eng = Engagement(
            id="x",
            start=dt.date(2026, 1, 5),
            tasks=[
                Task(name="Reconcile bank feeds"),
                Task(name="Payroll", due=Cadence.parse("monthly")),
            ],
            deliverables=[Deliverable(name="Monthly P&L")],
        )

        findings = run_rule(clarity.missing_deadline, eng, as_of=AS_OF)

        assert ["tasks[Reconcile bank feeds].due", "deliverables[Monthly P&L].due"] == [
            f.path for f in findings
        ]
        assert [
            'Task "Reconcile bank feeds" has no due date and the engagement has no end',
            'Deliverable "Monthly P&L" has no due date and the engagement has no end',
        ] == [f.message for f in findings]
        assert {"task": "Reconcile bank feeds", "due": None, "end": None} == findings[
            0
        ].evidence

    def test_end_bounds_the_work(self):
        """An engagement with an end date needs no item deadlines."""
        eng = Engagement(
            id="x",
            start=dt.date(2026, 1, 5),
            end=dt.date(2026, 12, 31),
            tasks=[Task(name="Reconcile bank feeds")],
        )

        assert [] == run_rule(clarity.missing_deadline, eng, as_of=AS_OF)

    def test_due_date_fixes(self):
        """A due date on the item fixes it."""
        eng = Engagement(id="x", tasks=[Task(name="Close", due=dt.date(2026, 1, 31))])

        assert [] == run_rule(clarity.missing_deadline, eng, as_of=AS_OF)


class TestOSK107:
    def test_fires_per_task_without_instructions(self):
        """Each task without instructions is reported at its instructions path."""
        eng = Engagement(
            id="x",
            tasks=[
                Task(name="Reconcile bank feeds", instructions="docs/manual.md"),
                Task(name="Payroll", instructions=""),
                Task(),
            ],
        )

        findings = run_rule(clarity.no_instructions, eng, as_of=AS_OF)

        assert [
            (
                "tasks[Payroll].instructions",
                'Task "Payroll" has no written instructions',
            ),
            (
                "tasks[2].instructions",
                "The task at tasks[2] has no written instructions",
            ),
        ] == [(f.path, f.message) for f in findings]
        assert {"task": "Payroll", "instructions": None} == findings[0].evidence

    def test_passes_with_instructions(self):
        """Tasks with instructions pass."""
        eng = Engagement(id="x", tasks=[Task(name="Payroll", instructions="See wiki")])

        assert [] == run_rule(clarity.no_instructions, eng, as_of=AS_OF)


class TestOSK108:
    @pytest.mark.parametrize("vision", [None, "", "   "])
    def test_fires_without_vision(self, vision):
        """An absent or blank vision fires at `vision`."""
        (f,) = run_rule(
            clarity.no_written_vision, Engagement(id="x", vision=vision), as_of=AS_OF
        )

        assert ("OSK108", "vision", "info") == (f.rule, f.path, f.severity.value)
        assert "No written business vision is shared with the vendor" == f.message

    def test_passes_with_vision(self):
        """A vision reference passes."""
        eng = Engagement(id="x", vision="docs/vision.md")

        assert [] == run_rule(clarity.no_written_vision, eng, as_of=AS_OF)
