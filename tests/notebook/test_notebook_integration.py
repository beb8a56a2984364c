"""Tests that the public objects show themselves through the notebook module."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import outsourcekit
from outsourcekit import check
from outsourcekit import notebook as nb
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.examples import examples_path
from outsourcekit.io import load_all

AS_OF = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def engagements():
    """The bundled example portfolio."""
    return load_all([examples_path()])


@pytest.fixture(scope="module")
def report(engagements):
    """The example portfolio checked by the built-in rules as of 2026-11-22."""
    return check(engagements, as_of=AS_OF, rules=BUILTIN_RULES)


class TestDisplays:
    def test_engagement(self, engagements):
        """An engagement shows its key facts."""
        engagement = engagements[0]

        assert nb.engagement_html(engagement) == engagement._repr_html_()

    def test_finding(self, report):
        """A finding shows itself as a small table."""
        finding = report.findings[0]

        assert nb.finding_html(finding) == finding._repr_html_()

    def test_report(self, report):
        """A report shows scores, counts and findings, and reads well as text."""
        assert nb.report_html(report) == report._repr_html_()
        assert nb.report_repr(report) == repr(report)

    def test_rule_catalogue(self):
        """The rule catalogue shows as a table."""
        catalogue = outsourcekit.rules()

        assert isinstance(catalogue, nb.RuleCatalogue)
        assert nb.rules_html(catalogue) == catalogue._repr_html_()


class TestFrames:
    def test_report_to_pandas(self, report):
        """Report.to_pandas() is report_to_pandas()."""
        pd.testing.assert_frame_equal(nb.report_to_pandas(report), report.to_pandas())

    def test_scores_frame(self, report):
        """Report.scores_frame() is scores_frame()."""
        pd.testing.assert_frame_equal(nb.scores_frame(report), report.scores_frame())

    def test_to_pandas(self, engagements):
        """outsourcekit.to_pandas() is engagements_to_pandas()."""
        pd.testing.assert_frame_equal(
            nb.engagements_to_pandas(engagements, as_of=AS_OF),
            outsourcekit.to_pandas(engagements, as_of=AS_OF),
        )
