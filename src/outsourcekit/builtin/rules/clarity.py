"""Clarity rules: objectives, deliverables, standards, deadlines and instructions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.engine import Rule, rule

from ._common import blank, item_paths

if TYPE_CHECKING:
    from collections.abc import Iterator

    from outsourcekit.engine import Context, Finding
    from outsourcekit.model import Engagement

__all__ = [
    "RULES",
    "missing_deadline",
    "no_deliverable_spec",
    "no_instructions",
    "no_objectives",
    "no_performance_standard",
    "no_quality_standard",
    "no_written_vision",
    "unmeasurable_objective",
]


def _label(kind: str, name: str | None, path: str) -> str:
    """How a message names a list item: by its name, else by its path."""
    return f'{kind} "{name}"' if name is not None else f"The {kind.lower()} at {path}"


@rule(
    code="OSK101",
    slug="no-objectives",
    title="No objectives",
    category="clarity",
    severity="error",
    sources=("B1", "A"),
    fix="Write down what the engagement must achieve, each objective with a KPI or "
    "a due date.",
)
def no_objectives(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that states no objectives.

    ## What it checks
    That the engagement has at least one entry under `objectives`. An absent key
    and an empty list are the same: no objectives.

    ## Why it matters
    Handing work out without saying what it is for is the first mistake in the
    list of common outsourcing errors (Source B, mistake 1): the vendor guesses,
    and the client is disappointed by results nobody asked for. Delegation starts
    with the client knowing its own goal and expectations before looking for
    help (Source A).

    ## How to fix
    Add `objectives`, each a short statement of an outcome, measured by a KPI
    (`kpi`) or bounded by a date (`due`).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    objectives:
      - statement: Close the books by the 5th business day of each month
        due: 2026-12-31
    ```
    """
    if not engagement.objectives:
        yield ctx.finding(
            "No objectives are stated",
            path="objectives",
            evidence={"objectives": 0},
        )


@rule(
    code="OSK102",
    slug="unmeasurable-objective",
    title="Objective that cannot be measured",
    category="clarity",
    severity="warning",
    sources=("B1", "B7"),
    fix="Give the objective a KPI that measures it or a date by which it is met.",
)
def unmeasurable_objective(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an objective that has neither a KPI nor a due date.

    ## What it checks
    Every entry of `objectives`: each must name a `kpi` or a `due` date. One
    finding is reported per objective that has neither, at that objective's
    path (`objectives[0]`, `objectives[1]`, ...).

    ## Why it matters
    An objective without a measure or a deadline cannot be judged met or
    missed, so it does not really set an expectation (Source B, mistake 1).
    Without a yardstick nobody can later tell whether the relationship delivers
    value (Source B, mistake 7).

    ## How to fix
    Link the objective to a KPI of the engagement with `kpi`, or give the date
    by which it must be reached with `due` (or both).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    objectives:
      - statement: Keep the books in good order
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    objectives:
      - statement: Keep the books in good order
        kpi: close-time
    kpis:
      - name: close-time
        target: 5
        direction: lower
    ```
    """
    for i, objective in enumerate(engagement.objectives):
        if objective.kpi is None and objective.due is None:
            path = f"objectives[{i}]"
            what = (
                f'Objective "{objective.statement}"'
                if objective.statement is not None
                else f"The objective at {path}"
            )
            yield ctx.finding(
                f"{what} has neither a KPI nor a due date",
                path=path,
                evidence={"statement": objective.statement, "kpi": None, "due": None},
            )


@rule(
    code="OSK103",
    slug="no-deliverable-spec",
    title="No deliverable specification",
    category="clarity",
    severity="error",
    sources=("D", "B1"),
    fix="Specify each deliverable: describe what is to be delivered and list the "
    "criteria it must meet to be accepted.",
)
def no_deliverable_spec(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement without deliverables, or a deliverable left unspecified.

    ## What it checks
    That `deliverables` is not empty, and that each deliverable has a
    `description` or `acceptance` criteria (a blank description counts as none).
    An engagement without deliverables gets one finding at `deliverables`; else
    each unspecified deliverable gets one at its own path
    (`deliverables[Monthly P&L]`).

    ## Why it matters
    A deliverable specification is the blueprint of the work: what is to be
    built or handed over, in enough detail to build it. Without it, what comes
    back is a gamble (Source D). Scope and deliverables belong in writing before
    the work starts (Source B, mistake 1).

    ## How to fix
    List what the vendor delivers under `deliverables`, each with a
    `description` of the result and, better still, `acceptance` criteria.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    deliverables:
      - name: Monthly P&L
        due: monthly
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    deliverables:
      - name: Monthly P&L
        due: monthly
        description: Profit and loss statement in the client's template
        acceptance: [Ties to bank balances]
    ```
    """
    deliverables = engagement.deliverables
    if not deliverables:
        yield ctx.finding(
            "No deliverables are specified",
            path="deliverables",
            evidence={"deliverables": 0},
        )
        return
    paths = item_paths("deliverables", deliverables)
    for deliverable, path in zip(deliverables, paths, strict=True):
        if blank(deliverable.description) and not deliverable.acceptance:
            what = _label("Deliverable", deliverable.name, path)
            yield ctx.finding(
                f"{what} has neither a description nor acceptance criteria",
                path=path,
                evidence={
                    "deliverable": deliverable.name,
                    "description": deliverable.description,
                    "acceptance": [],
                },
            )


@rule(
    code="OSK104",
    slug="no-quality-standard",
    title="No quality standard",
    category="clarity",
    severity="warning",
    sources=("D",),
    fix="State how delivered work is judged: quality criteria, or acceptance "
    "criteria on the deliverables.",
)
def no_quality_standard(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that never says how delivered work is judged.

    ## What it checks
    That there is at least one entry in `quality.criteria` or at least one
    deliverable with `acceptance` criteria. Either one is a quality standard.

    ## Why it matters
    A quality standard tells the vendor how its work will be evaluated. It is
    the element most often missing when outsourcing goes wrong: the client
    assumes its expectations are obvious and is let down (Source D).

    ## How to fix
    Add `quality.criteria` (and who checks, `quality.reviewer`), or give the
    deliverables `acceptance` criteria.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    deliverables:
      - name: Monthly P&L
        description: Profit and loss statement in the client's template
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    deliverables:
      - name: Monthly P&L
        description: Profit and loss statement in the client's template
    quality:
      criteria: [No unreconciled items older than 30 days]
      reviewer: Finance lead
    ```
    """
    quality = engagement.quality
    if quality is not None and quality.criteria:
        return
    if any(d.acceptance for d in engagement.deliverables):
        return
    yield ctx.finding(
        "No quality criteria are stated and no deliverable has acceptance criteria",
        path="quality",
        evidence={"quality_criteria": 0, "deliverables_with_acceptance": 0},
    )


@rule(
    code="OSK105",
    slug="no-performance-standard",
    title="No performance standard",
    category="clarity",
    severity="warning",
    sources=("D",),
    fix="Say how and where work is delivered, and how often the vendor reports "
    "its status.",
)
def no_performance_standard(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement that does not say how work is delivered or reported.

    ## What it checks
    That `performance` states a `delivery` (how and where work is handed over)
    or a `status_reports` cadence. An absent `performance`, or one with neither
    key (or a blank delivery), fires.

    ## Why it matters
    The performance standard sets expectations on delivery: when it happens,
    how, and, for longer work, what status reporting the client expects.
    Leaving it unsaid is one of the three gaps behind most disappointing
    outsourcing (Source D).

    ## How to fix
    Add `performance.delivery` (for example the shared folder or tool the work
    goes to) and `performance.status_reports` (a cadence such as `weekly`).

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    performance:
      delivery: Shared drive folder /acme/close
      status_reports: weekly
    ```
    """
    performance = engagement.performance
    if performance is not None and (
        not blank(performance.delivery) or performance.status_reports is not None
    ):
        return
    yield ctx.finding(
        "No performance standard is stated: neither how work is delivered nor how "
        "often status is reported",
        path="performance",
        evidence={"delivery": None, "status_reports": None},
    )


@rule(
    code="OSK106",
    slug="missing-deadline",
    title="Missing deadline",
    category="clarity",
    severity="warning",
    sources=("B1", "E"),
    fix="Give the task or deliverable a due date or a cadence, or give the "
    "engagement an end date.",
)
def missing_deadline(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a task or deliverable without a due date in an open-ended engagement.

    ## What it checks
    When the engagement has no `end`, that every task and every deliverable has
    a `due` (a date, or a cadence such as `monthly` for recurring work). One
    finding per item without one, at its `due` path
    (`tasks[Reconcile bank feeds].due`). An engagement with an `end` bounds all
    of its work, so this rule is then silent.

    ## Why it matters
    Deadlines belong to the scope agreed before work starts (Source B, mistake
    1), and specific deadlines leave fewer questions for both sides (Source E).
    Work without a date and inside an engagement without an end can drift
    forever.

    ## How to fix
    Set `due` on the task or deliverable: a date, or a cadence for recurring
    work. Alternatively give the engagement an `end`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    tasks:
      - name: Reconcile bank feeds
        instructions: docs/bookkeeping-manual.md
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    start: 2026-01-05
    tasks:
      - name: Reconcile bank feeds
        instructions: docs/bookkeeping-manual.md
        due: monthly
    ```
    """
    if engagement.end is not None:
        return
    tasks = engagement.tasks
    if tasks:
        for task, path in zip(tasks, item_paths("tasks", tasks), strict=True):
            if task.due is None:
                what = _label("Task", task.name, path)
                yield ctx.finding(
                    f"{what} has no due date and the engagement has no end",
                    path=f"{path}.due",
                    evidence={"task": task.name, "due": None, "end": None},
                )
    deliverables = engagement.deliverables
    if deliverables:
        paths = item_paths("deliverables", deliverables)
        for deliverable, path in zip(deliverables, paths, strict=True):
            if deliverable.due is None:
                what = _label("Deliverable", deliverable.name, path)
                yield ctx.finding(
                    f"{what} has no due date and the engagement has no end",
                    path=f"{path}.due",
                    evidence={
                        "deliverable": deliverable.name,
                        "due": None,
                        "end": None,
                    },
                )


@rule(
    code="OSK107",
    slug="no-instructions",
    title="Task without instructions",
    category="clarity",
    severity="warning",
    sources=("A", "E"),
    fix="Write instructions for the task (a manual, a checklist document or a "
    "link to one) and reference them in `instructions`.",
)
def no_instructions(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a task handed over without written instructions.

    ## What it checks
    Every entry of `tasks`: each must have `instructions` (the text itself or a
    reference to a manual). A blank value counts as none. One finding per task
    without them, at `tasks[<name>].instructions`.

    ## Why it matters
    Good delegation begins with a short, clear manual the vendor can read and
    follow (Source A). Explicit instructions leave fewer questions and fewer
    misunderstandings, even about things that seem obvious (Source E).

    ## How to fix
    Write the instructions down and put them, or where to find them, in the
    task's `instructions`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    tasks:
      - name: Reconcile bank feeds
        due: monthly
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    tasks:
      - name: Reconcile bank feeds
        due: monthly
        instructions: docs/bookkeeping-manual.md
    ```
    """
    tasks = engagement.tasks
    if not tasks:
        return
    for task, path in zip(tasks, item_paths("tasks", tasks), strict=True):
        if blank(task.instructions):
            what = _label("Task", task.name, path)
            yield ctx.finding(
                f"{what} has no written instructions",
                path=f"{path}.instructions",
                evidence={"task": task.name, "instructions": None},
            )


@rule(
    code="OSK108",
    slug="no-written-vision",
    title="No written vision",
    category="clarity",
    severity="info",
    sources=("C",),
    fix="Write a short summary of the business vision, share it with the vendor "
    "and reference it in `vision`.",
)
def no_written_vision(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag an engagement with no written business vision shared with the vendor.

    ## What it checks
    That `vision` holds a summary of the client's business vision, as text or a
    reference to a document. An absent or blank value fires.

    ## Why it matters
    An outside team works towards the client's goals only if it knows where the
    business is heading; a written summary of the vision, shared with everyone
    involved, keeps them pulling in the same direction (Source C).

    ## How to fix
    Write the vision down in a few paragraphs, share it with the vendor and put
    the text or its location in `vision`.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    title: Monthly bookkeeping for Acme Ltd
    vision: docs/acme-vision.md
    ```
    """
    if blank(engagement.vision):
        yield ctx.finding(
            "No written business vision is shared with the vendor",
            path="vision",
            evidence={"vision": None},
        )


#: The clarity rules, in catalogue order.
RULES: tuple[Rule, ...] = (
    no_objectives,
    unmeasurable_objective,
    no_deliverable_spec,
    no_quality_standard,
    no_performance_standard,
    missing_deadline,
    no_instructions,
    no_written_vision,
)
