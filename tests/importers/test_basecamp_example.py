"""The example importer plugin of examples/plugin-basecamp, loaded as a plugin."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path

import pytest

import outsourcekit as ok
from outsourcekit import plugins

EXAMPLE = Path(__file__).parents[2] / "examples" / "plugin-basecamp"


@pytest.fixture
def basecamp(monkeypatch):
    """The example's module registered as a plugin, as its entry point would."""
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    module = importlib.import_module("outsourcekit_basecamp")
    plugins.register(module, name="basecamp")
    yield module
    plugins.reset()
    sys.modules.pop("outsourcekit_basecamp", None)


@pytest.mark.usefixtures("basecamp")
class TestBasecampExample:
    def test_sample_engagement(self):
        """The sample engagement loads its tasks and milestones from the export."""
        with pytest.raises(ok.LoadError) as info:
            ok.load(EXAMPLE / "sample" / "acme.yaml")

        (engagement,) = info.value.loaded
        assert (["Reconcile bank feeds"], [dt.date(2026, 2, 4)]) == (
            [t.name for t in engagement.tasks],
            [m.done_on for m in engagement.milestones],
        )
        (issue,) = info.value.issues
        assert (str(EXAMPLE / "sample" / "todos.json"), 30, "imports[0]") == (
            issue.source,
            issue.line,
            issue.path,
        )
        assert issue.message.startswith(
            f"engagement acme-bookkeeping ({EXAMPLE / 'sample' / 'acme.yaml'}): "
            "to-do 'Year-end pack': tasks[Year-end pack]"
        )

    def test_registered(self):
        """The importer is registered under its plugin, and chosen by content."""
        export = EXAMPLE / "sample" / "todos.json"
        importer = plugins.importer_for(export, export.read_text(encoding="utf-8"))

        assert ("basecamp", "basecamp") == (importer.name, importer.plugin)

    def test_entry_point_declared(self):
        """The package declares the `outsourcekit` entry point of its module."""
        text = (EXAMPLE / "pyproject.toml").read_text(encoding="utf-8")

        assert (
            '[project.entry-points.outsourcekit]\nbasecamp = "outsourcekit_basecamp"'
            in (text)
        )
