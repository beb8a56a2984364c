"""Tests of the frames' keys and the pivot recipes of the notebooks page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import outsourcekit as ok
from outsourcekit import notebook as nb

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio."""
    return ok.load(ok.examples_path())


@pytest.fixture(scope="module")
def findings(engagements):
    """The example portfolio's findings, with the engagements' facts."""
    return ok.check(engagements, as_of=AS_OF).to_pandas(engagements)


class TestKeys:
    def test_findings_carry_engagement_facts(self, engagements, findings):
        """Each finding names its engagement's title, vendor, client and status."""
        by_id = {e.id: e for e in engagements}
        row = findings.iloc[0]
        engagement = by_id[row["engagement"]]

        assert engagement.title == row["title"]
        assert engagement.vendor.name == row["vendor"]
        assert engagement.client.name == row["client"]
        assert str(engagement.status) == row["status"]

    def test_without_engagements(self, engagements):
        """Without the engagements, their facts are missing values."""
        frame = ok.check(engagements, as_of=AS_OF).to_pandas()

        assert frame["vendor"].isna().all()
        assert frame["status"].isna().all()

    def test_shared_key(self, engagements, findings):
        """Findings and engagements join on the engagement column."""
        facts = nb.engagements_to_pandas(engagements)
        joined = findings.merge(facts[["engagement", "vendor_kind"]], on="engagement")

        assert len(findings) == len(joined)
        assert list(facts["engagement"]) == list(facts["id"])

    def test_ordered_categoricals(self, findings):
        """Category, severity and status are ordered categoricals."""
        assert findings["category"].cat.ordered
        assert ["info", "warning", "error"] == list(findings["severity"].cat.categories)
        expected = ["proposed", "trial", "active", "paused", "ended"]
        assert expected == list(findings["status"].cat.categories)


class TestPivots:
    def test_vendor_by_category(self, findings):
        """Vendor by category counts each unwaived finding once, categories in order."""
        open_findings = findings[findings.waived.isna()]
        table = open_findings.pivot_table(
            index="vendor",
            columns="category",
            values="rule",
            aggfunc="count",
            fill_value=0,
            observed=False,
        )

        assert len(open_findings) == table.to_numpy().sum()
        assert sorted(table.columns) == list(table.columns)

    def test_severity_by_month(self, engagements):
        """Severity by month over a year of checks has the severities in order."""
        year = ok.history(engagements, start="2026-01-01", end="2026-12-01")
        frame = year.findings_frame()
        frame = frame[frame.waived.isna()]
        table = frame.pivot_table(
            index=frame.as_of.dt.strftime("%Y-%m"),
            columns="severity",
            values="rule",
            aggfunc="count",
            fill_value=0,
            observed=False,
        )

        assert ["info", "warning", "error"] == list(table.columns)
        assert 12 == len(table)
        portfolio = year.portfolio_frame()
        assert list(portfolio["error"]) == list(table["error"])
        assert pd.api.types.is_datetime64_dtype(frame["as_of"])
