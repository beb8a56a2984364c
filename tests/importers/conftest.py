"""Fixtures for the importer tests: the fake importers registered, files written."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from importer_support import READS, FakePlugin

from outsourcekit import plugins


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """The fake importers registered, no installed plugin, in an empty folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    READS.clear()
    plugins.register(FakePlugin(), name="fake-plugin")
    yield
    plugins.reset()


@pytest.fixture
def write(tmp_path, monkeypatch):
    """Return a function writing dedented text (or JSON of data) to a file.

    The working directory is the temporary directory, and the path returned
    is relative to it, so that sources are short: ``a.yaml``.
    """
    monkeypatch.chdir(tmp_path)

    def write_file(name: str, content: object) -> Path:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            text = textwrap.dedent(content).lstrip("\n")
        else:
            text = json.dumps(content, indent=1)
        path.write_text(text, encoding="utf-8")
        return path

    return write_file
