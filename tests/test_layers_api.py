"""The seams between layers: facades, moved paths and the shared helpers."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import sys

import pytest

import outsourcekit as ok
from outsourcekit import engine, plugins
from outsourcekit._dates import as_date
from outsourcekit._gc import collector_paused
from outsourcekit._suggest import did_you_mean, suggest


class TestFacades:
    def test_engine_check_needs_rules(self):
        """The engine runs only rules it is handed: no rules argument is an error."""
        with pytest.raises(TypeError, match="rules"):
            engine.check([ok.from_dict({"id": "a"})])  # type: ignore[call-arg]

    def test_check_gathers_registered_rules(self):
        """ok.check runs the registered catalogue when given no rules."""
        report = ok.check(ok.from_dict({"id": "a"}), as_of="2026-11-22")

        assert {r.code for r in plugins.get_rules()} == {r.code for r in report.rules}

    def test_explain(self):
        """ok.explain reads the registered rule's documentation."""
        assert ok.explain("missing-nda").startswith("OSK601 missing-nda")

    def test_public_plugin_classes(self):
        """Exporter and Importer are the plugin layer's classes, also at the top."""
        assert (plugins.Exporter, plugins.Importer) == (ok.Exporter, ok.Importer)


class TestMovedPaths:
    @pytest.mark.parametrize(
        ("module", "name", "new"),
        [
            ("outsourcekit.exporters", "Exporter", "outsourcekit.plugins"),
            ("outsourcekit.importers", "Importer", "outsourcekit.plugins"),
            ("outsourcekit.importers", "importer_for", "outsourcekit.plugins"),
            (
                "outsourcekit.importers.tabular",
                "read_csv",
                "outsourcekit.builtin.importers.tabular",
            ),
        ],
    )
    def test_old_paths_warn_and_work(self, module, name, new):
        """An old import path still gives the same object, with a warning."""
        for loaded in [m for m in sys.modules if m.startswith(module)]:
            del sys.modules[loaded]

        with pytest.warns(DeprecationWarning, match=f"{module} is deprecated"):
            old = importlib.import_module(module)

        assert getattr(importlib.import_module(new), name) is getattr(old, name)

    def test_rules_stays_a_function(self):
        """ok.rules is the catalogue function, whatever was imported before."""
        importlib.import_module("outsourcekit.builtin.rules")

        assert callable(ok.rules)
        assert 0 < len(ok.rules())


class TestAsDate:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2026-11-22", dt.date(2026, 11, 22)),
            (dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
            (dt.datetime(2026, 1, 5, 23, 59), dt.date(2026, 1, 5)),
        ],
    )
    def test_dates(self, value, expected):
        """Dates, date-times and ISO calendar dates read as dates."""
        assert expected == as_date(value)

    @pytest.mark.parametrize("value", ["20261122", "2026-W47-7", "22/11/2026", 5, None])
    def test_refused(self, value):
        """Other forms are refused on every Python, naming what was given."""
        with pytest.raises(ValueError, match="expected a date like 2026-11-22, got"):
            as_date(value)


class TestCollectorPaused:
    def test_restores_state(self):
        """Nested pauses leave the collector as the outermost found it."""
        was = gc.isenabled()
        try:
            gc.enable()
            with collector_paused():
                with collector_paused():
                    inner = gc.isenabled()
                middle = gc.isenabled()

            assert (False, False, True) == (inner, middle, gc.isenabled())
        finally:
            if not was:
                gc.disable()

    def test_batch_of_thousands_skips_young_generations(self):
        """Some ten thousand objects made in a pause join the oldest generation.

        A check of a few thousand engagements makes about as many findings:
        left to the young generations, they would be scanned twice more by the
        next collections, a quarter of the check's own time.
        """
        if gc.get_freeze_count():
            pytest.skip("objects frozen earlier in this process: pauses leave them be")
        with collector_paused():
            made = [[i] for i in range(15_000)]
        oldest = {id(obj) for obj in gc.get_objects(generation=2)}

        assert (True, True) == (id(made[0]) in oldest, id(made[-1]) in oldest)


class TestSuggest:
    def test_case_folded(self):
        """A name differing only in case suggests the registered spelling."""
        assert "OSK601" == suggest("osk601", ["OSK601", "OSK602"])

    def test_cutoff(self):
        """A stricter cutoff refuses looser matches."""
        assert ("Asia/Manila", None) == (
            suggest("Asia/Manilla", ["Asia/Manila"]),
            suggest("Manila", ["Asia/Manila"], cutoff=0.9),
        )

    def test_hint(self):
        """The hint names the closest choice, or nothing."""
        assert (" (did you mean 'objectives'?)", "") == (
            did_you_mean("objectivs", ["objectives", "owner"]),
            did_you_mean("zzz", ["objectives"]),
        )
