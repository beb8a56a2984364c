"""Acme's outsourcekit plugin: the cost-center rule and the TSV report format."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.engine import Context, Finding, Report, rule
from outsourcekit.hookspecs import hookimpl
from outsourcekit.plugins import Exporter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from outsourcekit.model import Engagement

__all__ = ["export_tsv", "missing_cost_center"]

COLUMNS = (
    "engagement",
    "rule",
    "slug",
    "severity",
    "path",
    "line",
    "message",
    "waived",
)


@rule(
    code="ACME001",
    slug="missing-cost-center",
    title="Active engagement without a cost center",
    category="governance",
    severity="warning",
    fix="Add the finance team's cost center as `x-acme-cost-center: CC-1234`.",
    options={"key": "x-acme-cost-center"},
)
def missing_cost_center(engagement: Engagement, ctx: Context) -> Iterator[Finding]:
    """Acme charges every engagement to a cost center.

    ## What it checks
    An active engagement has no cost center in its `x-acme-cost-center` key (the
    option `key` names another), or only a blank one.

    ## Why it matters
    Finance books vendor invoices against the cost center; without one, the
    invoices of the engagement land in a suspense account and nobody owns the
    spend.

    ## How to fix
    Ask finance for the cost center and add it to the engagement file.

    ## Example
    Failing: `id: acme-bookkeeping` with `status: active` and no
    `x-acme-cost-center`. Passing: the same with `x-acme-cost-center: CC-4711`.
    """
    if not engagement.is_active(ctx.as_of):
        return
    key = ctx.options["key"]
    value = engagement.extensions.get(key)
    if value is None or not str(value).strip():
        yield ctx.finding(
            f"The engagement is active but has no cost center in {key!r}",
            path=key,
            evidence={"key": key, "value": value},
        )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split())


def export_tsv(report: Report) -> str:
    """Return the report's findings as tab-separated values with a header line."""
    lines = ["\t".join(COLUMNS)]
    for finding in report.findings:
        row = finding.to_dict()
        lines.append("\t".join(_cell(row[column]) for column in COLUMNS))
    return "\n".join(lines) + "\n"


@hookimpl
def outsourcekit_register_rules() -> list[object]:
    """Register Acme's rules."""
    return [missing_cost_center]


@hookimpl
def outsourcekit_register_exporters() -> list[Exporter]:
    """Register the TSV report format."""
    return [
        Exporter(
            name="tsv",
            suffix=".tsv",
            func=export_tsv,
            description="Findings as tab-separated values, one per line",
        )
    ]
