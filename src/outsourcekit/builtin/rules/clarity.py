"""Clarity rules: objectives, deliverables, standards, deadlines and instructions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.engine import Rule, rule
from outsourcekit.model import Cadence

from ._common import (
    any_stated,
    explained,
    given,
    item_path,
    item_paths,
    missing,
    unstated,
    unstated_list,
    unstated_note,
)

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
    "no_task_checklist",
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
    That the engagement has at least one objective under `objectives`. An
    absent key and an empty list are the same: no objectives. An entry whose
    `statement` is absent, blank or a placeholder (`TBD`, `n/a`, `-`, `TODO`,
    ...) does not count as an objective, and the message says so when that is
    the reason.

    Changed in catalogue 1.1: an objective whose statement is a placeholder no
    longer counts.

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
    objectives = engagement.objectives
    if any(not missing(o.statement) for o in objectives):
        return
    message = "No objectives are stated"
    if len(objectives) == 1:
        statement = objectives[0].statement
        note = unstated_note(statement)
        message += (
            ": the only objective has no statement"
            if note is None
            else f": the only objective's statement is {note}"
        )
    elif objectives:
        message += f": none of the {len(objectives)} objectives has a statement"
        shown = [
            f"`{o.statement.strip()}`"
            for o in objectives
            if o.statement is not None and o.statement.strip()
        ]
        if shown:
            message += f" (placeholders: {', '.join(shown)})"
    evidence: dict[str, object] = {"objectives": 0}
    if objectives:
        evidence["statements"] = [o.statement for o in objectives]
    yield ctx.finding(message, path="objectives", evidence=evidence)


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
    Every objective: each must name a `kpi` or a `due` date. A `kpi` counts
    only when it names a KPI of the engagement (an entry of `kpis` with that
    `name`); a KPI that is not defined, or a placeholder such as `TBD`, counts
    as none, and the message names it. One finding is reported per objective
    that has neither, at that objective's path (`objectives[0]`,
    `objectives[1]`, ...). Entries whose `statement` is absent or a placeholder
    are not objectives and are left to OSK101.

    Changed in catalogue 1.1: a `kpi` naming no KPI of the engagement counts
    as none, and placeholders count as absent.

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
    defined = {k.name.strip() for k in engagement.kpis if given(k.name)}
    for i, objective in enumerate(engagement.objectives):
        statement = objective.statement
        if objective.due is not None or not given(statement):
            continue
        kpi = objective.kpi
        if given(kpi) and kpi.strip() in defined:
            continue
        what = f'Objective "{statement.strip()}"'
        evidence: dict[str, object] = {"statement": statement, "kpi": kpi, "due": None}
        if given(kpi):
            message = (
                f'{what} has no due date and its KPI "{kpi.strip()}" is not a KPI '
                "of the engagement"
            )
            evidence["kpis"] = sorted(defined)
        else:
            message = explained(
                f"{what} has neither a KPI nor a due date",
                unstated("its KPI", kpi),
            )
        yield ctx.finding(message, path=f"objectives[{i}]", evidence=evidence)


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
    `description` or `acceptance` criteria. A blank or placeholder description
    (`TBD`, `n/a`, ...) counts as none, and acceptance criteria that are all
    placeholders count as no criteria. An engagement without deliverables gets
    one finding at `deliverables`; else each unspecified deliverable gets one
    at its own path (`deliverables[Monthly P&L]`).

    Changed in catalogue 1.1: placeholders count as absent.

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
    for i, deliverable in enumerate(deliverables):
        if not missing(deliverable.description) or any_stated(deliverable.acceptance):
            continue
        path = item_path("deliverables", deliverables, i)
        what = _label("Deliverable", deliverable.name, path)
        yield ctx.finding(
            explained(
                f"{what} has neither a description nor acceptance criteria",
                unstated("its description", deliverable.description),
                unstated_list("its acceptance", deliverable.acceptance),
            ),
            path=path,
            evidence={
                "deliverable": deliverable.name,
                "description": deliverable.description,
                "acceptance": list(deliverable.acceptance),
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
    Entries that are placeholders (`TBD`, `n/a`, ...) state nothing, so a list
    of placeholders counts as empty and the message says so.

    Changed in catalogue 1.1: placeholders count as absent.

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
    criteria = () if quality is None else quality.criteria
    if any_stated(criteria):
        return
    deliverables = engagement.deliverables
    if any(any_stated(d.acceptance) for d in deliverables):
        return
    paths = item_paths("deliverables", deliverables) if deliverables else []
    yield ctx.finding(
        explained(
            "No quality criteria are stated and no deliverable has acceptance criteria",
            unstated_list("`quality.criteria`", criteria),
            *(
                unstated_list(f"`{path}.acceptance`", d.acceptance)
                for d, path in zip(deliverables, paths, strict=True)
            ),
        ),
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
    key, fires; a blank or placeholder delivery (`TBD`, `n/a`, ...) counts as
    none.

    Changed in catalogue 1.1: placeholders count as absent.

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
    delivery = None if performance is None else performance.delivery
    if performance is not None and (
        not missing(delivery) or performance.status_reports is not None
    ):
        return
    message = (
        "No performance standard is stated: neither how work is delivered nor how "
        "often status is reported"
    )
    note = unstated("`performance.delivery`", delivery)
    if note is not None:
        message += f" ({note})"
    yield ctx.finding(
        message,
        path="performance",
        evidence={"delivery": delivery, "status_reports": None},
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
        for i, task in enumerate(tasks):
            if task.due is None:
                path = item_path("tasks", tasks, i)
                what = _label("Task", task.name, path)
                yield ctx.finding(
                    f"{what} has no due date and the engagement has no end",
                    path=f"{path}.due",
                    evidence={"task": task.name, "due": None, "end": None},
                )
    deliverables = engagement.deliverables
    if deliverables:
        for i, deliverable in enumerate(deliverables):
            if deliverable.due is None:
                path = item_path("deliverables", deliverables, i)
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
    reference to a manual). A blank value or a placeholder (`TBD`, `TODO`,
    `later`, ...) counts as none. One finding per task without them, at
    `tasks[<name>].instructions`.

    Changed in catalogue 1.1: placeholders count as absent.

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
    for i, task in enumerate(tasks):
        if missing(task.instructions):
            path = item_path("tasks", tasks, i)
            what = _label("Task", task.name, path)
            yield ctx.finding(
                explained(
                    f"{what} has no written instructions",
                    unstated("its instructions", task.instructions, "are"),
                ),
                path=f"{path}.instructions",
                evidence={"task": task.name, "instructions": task.instructions},
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
    reference to a document. An absent or blank value fires, and so does a
    placeholder (`TBD`, `n/a`, `later`, ...).

    Changed in catalogue 1.1: placeholders count as absent.

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
    if missing(engagement.vision):
        yield ctx.finding(
            explained(
                "No written business vision is shared with the vendor",
                unstated("the vision", engagement.vision),
            ),
            path="vision",
            evidence={"vision": engagement.vision},
        )


@rule(
    code="OSK109",
    slug="no-task-checklist",
    title="Task without a checklist",
    category="clarity",
    severity="info",
    sources=("C",),
    fix="Write a checklist of the steps the task takes and put it in the task's "
    "`checklist`.",
)
def no_task_checklist(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Flag a critical or recurring task that comes without a checklist.

    ## What it checks
    Every task marked `critical: true` or recurring (its `due` is a cadence
    such as `monthly` or `weekdays`, not a date): each must have a
    `checklist`, the list of steps the vendor works through. An absent or
    empty list fires, and so does a list made only of placeholders (`TBD`,
    `n/a`, ...). One finding per such task, at `tasks[<name>].checklist`.
    Other tasks are not judged: a one-off, non-critical task may do with its
    instructions alone.

    New in catalogue 1.1.

    ## Why it matters
    Work that is repeated or that the business cannot afford to get wrong is
    where a written list of steps pays off: drafting task checklists and
    sharing them with the outside team lets each person see what done looks
    like and lets the client see where the work stands (Source C).

    ## How to fix
    List the steps of the task, in order, under its `checklist`, and share the
    same list with the vendor.

    ## Example
    Fails (as of 2026-11-22):
    ```yaml
    id: acme-bookkeeping
    tasks:
      - name: Reconcile bank feeds
        instructions: docs/bookkeeping-manual.md
        due: monthly
    ```
    Passes:
    ```yaml
    id: acme-bookkeeping
    tasks:
      - name: Reconcile bank feeds
        instructions: docs/bookkeeping-manual.md
        due: monthly
        checklist: [Import feeds, Match invoices, Flag unknowns]
    ```
    """
    tasks = engagement.tasks
    if not tasks:
        return
    for i, task in enumerate(tasks):
        recurring = isinstance(task.due, Cadence)
        if not (task.critical is True or recurring) or any_stated(task.checklist):
            continue
        path = item_path("tasks", tasks, i)
        why = []
        if task.critical is True:
            why.append("is critical")
        if recurring:
            why.append(f"recurs ({task.due})")
        what = _label("Task", task.name, path)
        yield ctx.finding(
            explained(
                f"{what} {' and '.join(why)} but has no checklist",
                unstated_list("its checklist", task.checklist),
            ),
            path=f"{path}.checklist",
            evidence={
                "task": task.name,
                "critical": task.critical is True,
                "due": None if task.due is None else str(task.due),
                "checklist": list(task.checklist),
            },
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
    no_task_checklist,
)
