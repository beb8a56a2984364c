"""Tests for the clarity rules (OSK101-OSK109)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest

import outsourcekit as ok
from outsourcekit.builtin.rules import clarity
from outsourcekit.model import (
    KPI,
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
    from pathlib import Path

    from outsourcekit.engine import Report, Rule

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

    def test_placeholder_statement_is_no_objective(self):
        """An objective whose statement is a placeholder does not count, and says so."""
        eng = Engagement(
            id="x", objectives=[Objective(statement="TBD", due=dt.date(2026, 12, 31))]
        )

        (f,) = run_rule(clarity.no_objectives, eng, as_of=AS_OF)

        assert (
            "No objectives are stated: the only objective's statement is a "
            "placeholder (`TBD`)" == f.message
        )
        assert {"objectives": 0, "statements": ("TBD",)} == f.evidence

    def test_objective_without_statement(self):
        """An entry with a KPI but no statement is not an objective."""
        eng = Engagement(id="x", objectives=[Objective(kpi="close-time")])

        (f,) = run_rule(clarity.no_objectives, eng, as_of=AS_OF)

        assert "No objectives are stated: the only objective has no statement" == (
            f.message
        )

    def test_several_entries_without_statements(self):
        """Several entries without a real statement are counted, placeholders shown."""
        eng = Engagement(
            id="x",
            objectives=[
                Objective(statement="n/a"),
                Objective(statement="  "),
                Objective(statement="To do."),
            ],
        )

        (f,) = run_rule(clarity.no_objectives, eng, as_of=AS_OF)

        assert (
            "No objectives are stated: none of the 3 objectives has a statement "
            "(placeholders: `n/a`, `To do.`)" == f.message
        )

    def test_one_real_statement_is_enough(self):
        """Placeholders beside one real objective do not fire."""
        eng = Engagement(
            id="x",
            objectives=[Objective(statement="TBD"), Objective(statement="Close fast")],
        )

        assert [] == run_rule(clarity.no_objectives, eng, as_of=AS_OF)


class TestOSK102:
    def test_fires_on_each_unmeasurable_objective(self):
        """Each objective without KPI and due date is reported at its index."""
        eng = Engagement(
            id="x",
            objectives=[
                Objective(statement="Close the books", due=dt.date(2026, 12, 31)),
                Objective(statement="Keep things tidy"),
                Objective(statement="Stay lean", kpi="TBD"),
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
                (
                    'Objective "Stay lean" has neither a KPI nor a due date: its KPI '
                    "is a placeholder (`TBD`)"
                ),
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
            Objective(
                statement="Close fast", kpi="no-such-kpi", due=dt.date(2026, 3, 31)
            ),
        ],
    )
    def test_kpi_or_due_is_enough(self, objective):
        """A KPI of the engagement or a due date makes an objective measurable."""
        eng = Engagement(
            id="x", objectives=[objective], kpis=[KPI(name="close-time", target=5)]
        )

        assert [] == run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)

    def test_no_objectives_is_not_this_rules(self):
        """Without objectives there is nothing to measure (that is OSK101)."""
        assert [] == run_rule(
            clarity.unmeasurable_objective, Engagement(id="x"), as_of=AS_OF
        )

    def test_dangling_kpi_counts_as_none(self):
        """A `kpi` that names no KPI of the engagement is named in the message."""
        eng = Engagement(
            id="x",
            objectives=[Objective(statement="Close fast", kpi="close-time")],
            kpis=[KPI(name="accuracy")],
        )

        (f,) = run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)

        assert ("OSK102", "objectives[0]") == (f.rule, f.path)
        assert (
            'Objective "Close fast" has no due date and its KPI "close-time" is not '
            "a KPI of the engagement" == f.message
        )
        assert {
            "statement": "Close fast",
            "kpi": "close-time",
            "due": None,
            "kpis": ("accuracy",),
        } == f.evidence

    def test_dangling_kpi_with_due_date_passes(self):
        """A due date alone makes the objective measurable."""
        eng = Engagement(
            id="x",
            objectives=[
                Objective(statement="Close", kpi="gone", due=dt.date(2026, 12, 31))
            ],
        )

        assert [] == run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)

    @pytest.mark.parametrize("statement", [None, "TBD", " "])
    def test_entries_without_statement_are_left_to_osk101(self, statement):
        """An entry whose statement is absent or a placeholder is no objective here."""
        eng = Engagement(id="x", objectives=[Objective(statement=statement)])

        assert [] == run_rule(clarity.unmeasurable_objective, eng, as_of=AS_OF)


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
        assert {"deliverable": "Ledger", "description": "  ", "acceptance": ()} == (
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

    def test_placeholders_specify_nothing(self):
        """A placeholder description and placeholder criteria count as absent."""
        eng = Engagement(
            id="x",
            deliverables=[
                Deliverable(name="P&L", description="TBD", acceptance=["tbd", "?"])
            ],
        )

        (f,) = run_rule(clarity.no_deliverable_spec, eng, as_of=AS_OF)

        assert (
            'Deliverable "P&L" has neither a description nor acceptance criteria: '
            "its description is a placeholder (`TBD`) and its acceptance lists only "
            "placeholders (`tbd`, `?`)" == f.message
        )
        assert {
            "deliverable": "P&L",
            "description": "TBD",
            "acceptance": ("tbd", "?"),
        } == f.evidence

    def test_one_real_criterion_specifies(self):
        """One real acceptance criterion among placeholders is a specification."""
        eng = Engagement(
            id="x",
            deliverables=[Deliverable(name="P&L", acceptance=["n/a", "Ties to bank"])],
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

    def test_placeholder_criteria_are_no_standard(self):
        """Criteria `["tbd"]` and placeholder acceptance state no standard."""
        eng = Engagement(
            id="x",
            quality=QualityStandard(criteria=["tbd"]),
            deliverables=[Deliverable(name="P&L", acceptance=["N/A"])],
        )

        (f,) = run_rule(clarity.no_quality_standard, eng, as_of=AS_OF)

        assert (
            "No quality criteria are stated and no deliverable has acceptance "
            "criteria: `quality.criteria` lists only a placeholder (`tbd`) and "
            "`deliverables[P&L].acceptance` lists only a placeholder (`N/A`)"
            == f.message
        )


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

    def test_placeholder_delivery(self):
        """A placeholder delivery is no standard, and the message says so."""
        eng = Engagement(id="x", performance=PerformanceStandard(delivery="later"))

        (f,) = run_rule(clarity.no_performance_standard, eng, as_of=AS_OF)

        assert (
            "No performance standard is stated: neither how work is delivered nor how "
            "often status is reported (`performance.delivery` is a placeholder "
            "(`later`))" == f.message
        )
        assert {"delivery": "later", "status_reports": None} == f.evidence


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
        assert {"task": "Payroll", "instructions": ""} == findings[0].evidence

    def test_passes_with_instructions(self):
        """Tasks with instructions pass."""
        eng = Engagement(id="x", tasks=[Task(name="Payroll", instructions="See wiki")])

        assert [] == run_rule(clarity.no_instructions, eng, as_of=AS_OF)

    def test_placeholder_instructions(self):
        """Placeholder instructions count as none, and the message says so."""
        eng = Engagement(id="x", tasks=[Task(name="Payroll", instructions="TODO")])

        (f,) = run_rule(clarity.no_instructions, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" has no written instructions: its instructions are a '
            "placeholder (`TODO`)" == f.message
        )


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

    @pytest.mark.parametrize("vision", ["n/a", "N/A.", "TBD", "none", "-"])
    def test_placeholder_vision(self, vision):
        """A placeholder vision is no vision, and the message shows it."""
        eng = Engagement(id="x", vision=vision)

        (f,) = run_rule(clarity.no_written_vision, eng, as_of=AS_OF)

        assert (
            "No written business vision is shared with the vendor: the vision is a "
            f"placeholder (`{vision}`)" == f.message
        )
        assert {"vision": vision} == f.evidence


class TestOSK109:
    def test_fires_on_critical_task(self):
        """A critical task without a checklist fires at its checklist."""
        eng = Engagement(
            id="x",
            tasks=[Task(name="Payroll", critical=True, due=dt.date(2026, 1, 31))],
        )

        (f,) = run_rule(clarity.no_task_checklist, eng, as_of=AS_OF)

        assert ("OSK109", "tasks[Payroll].checklist", "info") == (
            f.rule,
            f.path,
            f.severity.value,
        )
        assert 'Task "Payroll" is critical but has no checklist' == f.message
        assert {
            "task": "Payroll",
            "critical": True,
            "due": "2026-01-31",
            "checklist": (),
        } == f.evidence

    def test_fires_on_recurring_task(self):
        """A task whose `due` is a cadence recurs and needs a checklist."""
        eng = Engagement(
            id="x", tasks=[Task(name="Close", due=Cadence.parse("monthly"))]
        )

        (f,) = run_rule(clarity.no_task_checklist, eng, as_of=AS_OF)

        assert 'Task "Close" recurs (monthly) but has no checklist' == f.message

    def test_critical_and_recurring(self):
        """Both reasons are named."""
        eng = Engagement(
            id="x", tasks=[Task(critical=True, due=Cadence.parse("weekdays"))]
        )

        (f,) = run_rule(clarity.no_task_checklist, eng, as_of=AS_OF)

        assert (
            "The task at tasks[0] is critical and recurs (weekdays) but has no "
            "checklist" == f.message
        )

    def test_placeholder_checklist(self):
        """A checklist of placeholders is empty, and the message says so."""
        eng = Engagement(
            id="x", tasks=[Task(name="Payroll", critical=True, checklist=["TBD"])]
        )

        (f,) = run_rule(clarity.no_task_checklist, eng, as_of=AS_OF)

        assert (
            'Task "Payroll" is critical but has no checklist: its checklist lists '
            "only a placeholder (`TBD`)" == f.message
        )

    @pytest.mark.parametrize(
        "task",
        [
            Task(name="Payroll", critical=True, checklist=["Import hours", "TBD"]),
            Task(name="Logo", critical=False, due=dt.date(2026, 12, 1)),
            Task(name="Logo"),
        ],
    )
    def test_passes(self, task):
        """A real checklist passes; one-off, non-critical tasks are not judged."""
        eng = Engagement(id="x", tasks=[task])

        assert [] == run_rule(clarity.no_task_checklist, eng, as_of=AS_OF)


class TestItemPathsReadBack:
    """A name that would not read back as its item's name gives the item's index."""

    TASKS = """\
id: x
tasks:
  - name: Reconcile
    instructions: docs/manual.md
  - name: "0"
  - name: "a[b]"
  - name: ""
"""

    def check(self, tmp_path: Path, text: str, *codes: str) -> Report:
        """Check the YAML *text*, written to a file, with the rules *codes*."""
        file = tmp_path / "x.yaml"
        file.write_text(text, encoding="utf-8")
        return ok.check(ok.load(file), as_of=AS_OF, config=ok.Config(select=codes))

    def test_each_task_at_its_own_path_and_line(self, tmp_path):
        """Tasks `0`, `a[b]` and `` are indexed, each finding at its task's line."""
        report = self.check(tmp_path, self.TASKS, "OSK106", "OSK107")

        assert [
            ("OSK106", "tasks[1].due", 5),
            ("OSK106", "tasks[2].due", 6),
            ("OSK106", "tasks[3].due", 7),
            ("OSK106", "tasks[Reconcile].due", 3),
            ("OSK107", "tasks[1].instructions", 5),
            ("OSK107", "tasks[2].instructions", 6),
            ("OSK107", "tasks[3].instructions", 7),
        ] == [(f.rule, f.path, f.line) for f in report.findings]
        assert [
            'Task "0" has no due date and the engagement has no end',
            'Task "a[b]" has no due date and the engagement has no end',
            'Task "" has no due date and the engagement has no end',
            'Task "Reconcile" has no due date and the engagement has no end',
            'Task "0" has no written instructions',
            'Task "a[b]" has no written instructions',
            'Task "" has no written instructions',
        ] == [f.message for f in report.findings]

    def test_a_waiver_at_a_finding_path_waives_that_finding(self, tmp_path):
        """A waiver at `tasks[1].due`, the path of task `0`, waives only that task."""
        waiver = """\
waivers:
  - rule: OSK106
    path: tasks[1].due
    reason: Done whenever the bank asks.
"""

        report = self.check(tmp_path, self.TASKS + waiver, "OSK106")

        assert [
            ("tasks[1].due", 5, "Done whenever the bank asks."),
            ("tasks[2].due", 6, None),
            ("tasks[3].due", 7, None),
            ("tasks[Reconcile].due", 3, None),
        ] == [(f.path, f.line, f.waived) for f in report.findings]

    def test_deliverables_and_checklists(self, tmp_path):
        """OSK103 and OSK109 write the same paths as the others."""
        text = """\
id: x
tasks:
  - name: "7"
    critical: true
  - name: "[x]"
    critical: true
deliverables:
  - name: "01"
  - name: Report
"""

        report = self.check(tmp_path, text, "OSK103", "OSK109")

        assert [
            ("OSK103", "deliverables[0]", 8),
            ("OSK103", "deliverables[Report]", 9),
            ("OSK109", "tasks[0].checklist", 3),
            ("OSK109", "tasks[1].checklist", 5),
        ] == [(f.rule, f.path, f.line) for f in report.findings]
        assert [
            'Deliverable "01" has neither a description nor acceptance criteria',
            'Deliverable "Report" has neither a description nor acceptance criteria',
            'Task "7" is critical but has no checklist',
            'Task "[x]" is critical but has no checklist',
        ] == [f.message for f in report.findings]

    def test_quality_message_names_readable_paths(self):
        """OSK104's message writes each deliverable's path as findings do."""
        eng = Engagement(
            id="x",
            deliverables=[
                Deliverable(name="0", acceptance=["TBD"]),
                Deliverable(name="a]", acceptance=["n/a"]),
            ],
        )

        (f,) = run_rule(clarity.no_quality_standard, eng, as_of=AS_OF)

        assert (
            "No quality criteria are stated and no deliverable has acceptance "
            "criteria: `deliverables[0].acceptance` lists only a placeholder "
            "(`TBD`) and `deliverables[1].acceptance` lists only a placeholder "
            "(`n/a`)" == f.message
        )
