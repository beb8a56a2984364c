"""Fixtures for the engine's tests: hermetic plugins."""

from __future__ import annotations

import pytest

from outsourcekit import plugins


@pytest.fixture(autouse=True)
def hermetic_plugins(monkeypatch):
    """Load no plugin but the test's own, afresh for each test."""
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", ())
    plugins.reset()
    yield
    plugins.reset()
