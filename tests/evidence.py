"""A finding made to hold given evidence, for the tests of evidence values."""

from __future__ import annotations

from outsourcekit.engine import Finding, Severity


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
