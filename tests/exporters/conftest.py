"""Fixtures for the exporters' tests: reports with every kind of content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from export_support import examples_report, mixed_report

from outsourcekit import plugins

if TYPE_CHECKING:
    from outsourcekit.engine import Report


@pytest.fixture(autouse=True)
def hermetic_plugins(monkeypatch):
    """Load no installed plugin, afresh for each test."""
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def mixed() -> Report:
    """A report with errors, warnings, info, a waiver, and every kind of error."""
    return mixed_report()


@pytest.fixture(scope="session")
def examples() -> Report:
    """The bundled example portfolio, checked with the built-in rules."""
    return examples_report()
