"""The outsourcekit_engagement_loaded hook runs on every loaded engagement."""

from __future__ import annotations

import attrs
import pytest

from outsourcekit import hookimpl, loads, plugins


@pytest.fixture
def fresh_plugins():
    plugins.reset()
    yield
    plugins.reset()


class OwnerFromCrm:
    """A plugin that fills the owner from an integrator's x- key."""

    @hookimpl
    def outsourcekit_engagement_loaded(self, engagement):
        crm = engagement.extensions.get("x-owner")
        if crm is None:
            return None
        return attrs.evolve(engagement, owner=crm)


@pytest.mark.usefixtures("fresh_plugins")
class TestEngagementLoaded:
    def test_changed_engagement_is_returned(self):
        """An implementation's changed engagement is what load returns."""
        plugins.register(OwnerFromCrm(), name="crm")

        eng = loads('id: a\nx-owner: "Dana Reyes"\n', format="yaml")

        assert "Dana Reyes" == eng.owner

    def test_none_keeps_engagement(self):
        """An implementation returning None leaves the engagement as loaded."""
        plugins.register(OwnerFromCrm(), name="crm")

        eng = loads("id: a\n", format="yaml")

        assert eng.owner is None

    def test_an_id_is_kept(self):
        """A changed id is not taken: it could clash with another engagement's.

        Ids are checked unique as the files load; a hook sees one engagement
        at a time. The change is a plugin error, and the rest of the hook's
        work on other engagements still applies.
        """

        class Renamer:
            @hookimpl
            def outsourcekit_engagement_loaded(self, engagement):
                return attrs.evolve(engagement, id="same", owner="Dana")

        plugins.register(Renamer(), name="renamer")

        with pytest.warns(plugins.OutsourcekitPluginWarning, match="changed the id"):
            engs = loads("engagements: [{id: a}, {id: b}]\n", format="yaml")

        assert [("a", None), ("b", None)] == [(e.id, e.owner) for e in engs]
        said = (
            "outsourcekit_engagement_loaded changed the id {!r} to 'same'; an "
            "engagement keeps its id (the change is not taken)"
        )
        assert [("renamer", said.format(i)) for i in "ab"] == [
            (e.plugin, e.message) for e in plugins.plugin_errors()
        ]

    def test_without_plugins(self):
        """Without implementations the engagement is loaded unchanged."""
        eng = loads('id: a\nx-owner: "Dana Reyes"\n', format="yaml")

        assert eng.owner is None


class CountingPlugin:
    """A plugin that counts how often it saw each engagement."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def outsourcekit_engagement_loaded(self, engagement):
        self.seen.append(engagement.id)


@pytest.mark.usefixtures("fresh_plugins")
class TestImportedFiles:
    def test_csv_through_load_all(self, tmp_path):
        """A .csv file goes through the csv importer; the hook runs once per row."""
        from outsourcekit import LoadError, load_all

        counter = CountingPlugin()
        plugins.register(counter, name="counter")
        sheet = tmp_path / "p.csv"
        sheet.write_text(
            "id,start,nda_signed_on\n"
            "acme-books,2026-01-05,2025-12-01\n"
            "acme-payroll,2026-05-04,2026-31-04\n",
            encoding="utf-8",
        )

        with pytest.raises(LoadError) as ei:
            load_all([sheet])

        assert ["acme-books"] == [e.id for e in ei.value.loaded]
        assert ["acme-books"] == counter.seen
        assert [(str(sheet), 3)] == [(i.source, i.line) for i in ei.value.issues]

    def test_unknown_suffix(self, tmp_path):
        """A file no reader knows is one issue naming its suffix."""
        from outsourcekit import LoadError, load_all

        notes = tmp_path / "notes.txt"
        notes.write_text("hello", encoding="utf-8")

        with pytest.raises(LoadError, match=r"unknown file type '\.txt'"):
            load_all([notes])
