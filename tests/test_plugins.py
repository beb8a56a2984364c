"""Tests of the plugin system: loading, failures, conflicts, typed wrappers, docs."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

import outsourcekit
from outsourcekit import check, hookspecs, plugins
from outsourcekit.engine import Config, UnknownRuleError, rule
from outsourcekit.hookspecs import hookimpl
from outsourcekit.model import Engagement, Status, Waiver
from outsourcekit.plugins import (
    Exporter,
    Importer,
    OutsourcekitPluginWarning,
    PluginConflictError,
    importer_for,
)

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 11, 22)
BUILTINS = plugins.DEFAULT_PLUGINS
HOOKS = sorted(n for n in vars(hookspecs) if n.startswith("outsourcekit_"))


def rule_module(
    code: str, slug: str, *, hook: str = "outsourcekit_register_rules"
) -> str:
    """The source of a plugin module that registers one rule."""
    return textwrap.dedent(
        f"""
        from outsourcekit.engine import rule
        from outsourcekit.hookspecs import hookimpl

        @rule(code="{code}", slug="{slug}", title="t", category="governance",
              severity="info", fix="f")
        def the_rule(engagement, ctx):
            yield ctx.finding("{slug} fired", path="id")

        @hookimpl
        def {hook}():
            return [the_rule]
        """
    )


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    """Every test builds its own plugin manager, from the built-ins only by default."""
    monkeypatch.delenv(plugins.ENV_LOAD_PLUGINS, raising=False)
    monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", ())
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where tests install fake distributions with entry points."""
    modules: list[str] = []

    def install(dist: str, version: str = "1.0", **entry_points: str) -> None:
        info = tmp_path / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n",
            encoding="utf-8",
        )
        lines = [f"{name} = {name}_plugin" for name in entry_points]
        (info / "entry_points.txt").write_text(
            "[outsourcekit]\n" + "\n".join(lines) + "\n", encoding="utf-8"
        )
        for name, source in entry_points.items():
            (tmp_path / f"{name}_plugin.py").write_text(source, encoding="utf-8")
            modules.append(f"{name}_plugin")

    monkeypatch.syspath_prepend(str(tmp_path))
    yield install
    for name in modules:
        sys.modules.pop(name, None)


def ours(names):
    """Keep the names of the plugins the tests made (an environment may have others)."""
    return sorted(
        n for n in names if n in {"good", "other", "broken", "dup", "typo", "acme"}
    )


class TestManager:
    def test_not_built_at_import(self):
        """Importing outsourcekit.plugins loads no plugin."""
        code = "import outsourcekit.plugins as p; print(p._registry is None)"
        out = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )

        assert "True" == out.stdout.strip()

    def test_cached(self):
        """The manager is built once and reused until reset."""
        first = plugins.get_plugin_manager()
        again = plugins.get_plugin_manager()
        plugins.reset()

        assert (True, False) == (first is again, first is plugins.get_plugin_manager())

    def test_defaults_registered_by_module_name(self, monkeypatch):
        """The built-in modules are plugins named after themselves."""
        monkeypatch.setattr(
            plugins, "DEFAULT_PLUGINS", ("outsourcekit.builtin.importers",)
        )

        pm = plugins.get_plugin_manager()

        assert sys.modules["outsourcekit.builtin.importers"] is pm.get_plugin(
            "outsourcekit.builtin.importers"
        )

    def test_default_plugins_are_the_builtins(self):
        """The built-in rules, exporters and importers are the default plugins."""
        assert (
            "outsourcekit.builtin.rules",
            "outsourcekit.builtin.exporters",
            "outsourcekit.builtin.importers",
        ) == BUILTINS

    def test_builtins_load(self, monkeypatch):
        """The built-in plugins register the catalogue and the formats."""
        monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", BUILTINS)
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")

        infos = [i for i in plugins.plugin_info() if i.builtin]

        assert sorted(BUILTINS) == [i.name for i in infos]
        assert all(
            r.plugin == "outsourcekit.builtin.rules" for r in plugins.get_rules()
        )
        assert all(
            e.plugin == "outsourcekit.builtin.exporters"
            for e in plugins.get_exporters()
        )


class TestEntryPoints:
    def test_loaded_with_name_and_version(self, site):
        """An installed entry point's rules are registered under its name."""
        site("outsourcekit-good", "2.3", good=rule_module("GOOD001", "good-rule"))

        found = [(r.code, r.plugin) for r in plugins.get_rules() if r.code == "GOOD001"]
        info = {i.name: i for i in plugins.plugin_info()}["good"]

        assert [("GOOD001", "good")] == found
        assert (
            "outsourcekit-good",
            "2.3",
            ("GOOD001",),
            ("outsourcekit_register_rules",),
        ) == (
            info.distribution,
            info.version,
            info.rules,
            info.hooks,
        )

    def test_import_failure_is_reported_and_others_load(self, site):
        """A plugin that raises at import is named in a warning; the rest still load."""
        site("outsourcekit-broken", broken='raise RuntimeError("half-installed")')
        site("outsourcekit-good", good=rule_module("GOOD001", "good-rule"))

        with pytest.warns(
            OutsourcekitPluginWarning,
            match=(
                r"plugin 'broken': cannot be imported \(broken_plugin\): "
                "RuntimeError: half-installed"
            ),
        ):
            codes = [r.code for r in plugins.get_rules()]

        assert "GOOD001" in codes
        assert [
            (
                "broken",
                "cannot be imported (broken_plugin): RuntimeError: half-installed",
            )
        ] == [
            (e.plugin, e.message)
            for e in plugins.plugin_errors()
            if e.plugin == "broken"
        ]
        assert (
            "cannot be imported"
            in {i.name: i for i in plugins.plugin_info()}["broken"].error
        )

    def test_load_errors_reach_reports(self, site):
        """A check reports the plugins that failed to load."""
        site("outsourcekit-broken", broken="import no_such_module_here")

        with pytest.warns(OutsourcekitPluginWarning):
            report = check([Engagement(id="a")], as_of=AS_OF)

        assert ["broken"] == [e.plugin for e in report.plugin_errors]

    def test_duplicate_code_names_both_plugins(self, site):
        """Two plugins registering one code is an error naming both."""
        site("outsourcekit-good", good=rule_module("GOOD001", "good-rule"))
        site("outsourcekit-dup", dup=rule_module("GOOD001", "another-rule"))

        with pytest.raises(PluginConflictError) as info:
            plugins.get_rules()

        assert (
            "rule code 'GOOD001' is registered twice: "
            "by plugin 'dup' and by plugin 'good'" == str(info.value)
        )
        assert ("dup", "good") == info.value.plugins

    def test_duplicate_slug_names_both_plugins(self, site):
        """Two plugins registering one slug is an error naming both."""
        site("outsourcekit-good", good=rule_module("GOOD001", "same-slug"))
        site("outsourcekit-other", other=rule_module("OTHER001", "same-slug"))

        with pytest.raises(
            PluginConflictError,
            match=(
                "rule slug 'same-slug' is registered twice: "
                "by plugin 'good' and by plugin 'other'"
            ),
        ):
            plugins.get_rules()

    def test_plugins_command_names_a_clash(self, site):
        """`outsourcekit plugins` lists the plugins and says what clashes, exit 3."""
        from click.testing import CliRunner

        from outsourcekit.cli import cli

        site("outsourcekit-good", good=rule_module("GOOD001", "same-slug"))
        site("outsourcekit-other", other=rule_module("OTHER001", "same-slug"))

        result = CliRunner().invoke(cli, ["plugins"])

        assert 3 == result.exit_code
        assert "good 1.0" in result.output
        assert (
            "error: rule slug 'same-slug' is registered twice: by plugin 'good' and "
            "by plugin 'other'"
        ) in result.output

    def test_plugins_command_names_a_hook_returning_no_list(self, site):
        """`outsourcekit plugins` names a hook that returned no list, exit 3."""
        from click.testing import CliRunner

        from outsourcekit.cli import cli

        site(
            "outsourcekit-good",
            good=textwrap.dedent(
                """
                from outsourcekit.hookspecs import hookimpl

                @hookimpl
                def outsourcekit_register_exporters():
                    return 5
                """
            ),
        )

        result = CliRunner().invoke(cli, ["plugins"])

        assert 3 == result.exit_code
        assert (
            "  error: outsourcekit_register_exporters returned 5 instead of a list "
            "of exporters\n"
        ) in result.output

    def test_unknown_hook_is_reported(self, site):
        """A misspelt hook is a plugin error suggesting the right one."""
        site(
            "outsourcekit-typo",
            typo=rule_module("TYPO001", "typo", hook="outsourcekit_register_rule"),
        )

        with pytest.warns(
            OutsourcekitPluginWarning,
            match="did you mean 'outsourcekit_register_rules'",
        ):
            plugins.get_plugin_manager()

        assert ["typo"] == [e.plugin for e in plugins.plugin_errors()]


class TestLoadPluginsVariable:
    def test_empty_loads_none(self, site, monkeypatch):
        """OUTSOURCEKIT_LOAD_PLUGINS='' loads no installed plugin."""
        site("outsourcekit-good", good=rule_module("GOOD001", "good-rule"))
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")

        assert [] == ours(i.name for i in plugins.plugin_info())

    def test_named_ones_load(self, site, monkeypatch):
        """Only the named plugins load, by entry-point or distribution name."""
        site("outsourcekit-good", good=rule_module("GOOD001", "good-rule"))
        site("outsourcekit-other", other=rule_module("OTHER001", "other-rule"))
        site("outsourcekit-broken", broken="raise ImportError('never imported')")
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "good, Outsourcekit_Other")

        assert ["good", "other"] == ours(i.name for i in plugins.plugin_info())

    def test_unset_loads_all(self, site):
        """Without the variable every installed plugin loads."""
        site("outsourcekit-good", good=rule_module("GOOD001", "good-rule"))
        site("outsourcekit-other", other=rule_module("OTHER001", "other-rule"))

        assert ["good", "other"] == ours(i.name for i in plugins.plugin_info())

    def test_missing_named_plugin(self, monkeypatch):
        """A named plugin that is not installed is reported."""
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "nowhere")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match="'nowhere': is named in OUTSOURCEKIT_LOAD_PLUGINS but is not",
        ):
            plugins.get_plugin_manager()

    @pytest.mark.parametrize("named", ["b_ok", "B-Ok", "b.ok"])
    def test_entry_point_names_normalised(self, site, monkeypatch, named):
        """An entry point named with '_' loads however the variable spells it."""
        site("outsourcekit-under", b_ok=rule_module("UNDER001", "under-rule"))
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, named)

        infos = {i.name: i for i in plugins.plugin_info()}

        assert (("UNDER001",), None, ()) == (
            infos["b_ok"].rules,
            infos["b_ok"].error,
            plugins.plugin_errors(),
        )

    def test_missing_named_plugin_as_written(self, monkeypatch):
        """A named plugin that is not installed is named as the variable spells it."""
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, " Nowhere_Else ,nowhere-else")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match="plugin 'Nowhere_Else': is named in OUTSOURCEKIT_LOAD_PLUGINS but",
        ):
            plugins.get_plugin_manager()

        assert [
            (
                "Nowhere_Else",
                "is named in OUTSOURCEKIT_LOAD_PLUGINS but is not installed",
            )
        ] == [(e.plugin, e.message) for e in plugins.plugin_errors()]


@rule(
    code="MINE001", slug="mine", title="t", category="clarity", severity="info", fix="f"
)
def mine(_engagement, _ctx):
    """Mine."""
    return ()


@rule(
    code="AAA001", slug="first", title="t", category="clarity", severity="info", fix="f"
)
def first(_engagement, _ctx):
    """First."""
    return ()


class Registers:
    """An in-process plugin with a rule, an exporter and an importer."""

    @hookimpl
    def outsourcekit_register_rules(self):
        return [mine]

    @hookimpl
    def outsourcekit_register_exporters(self):
        return [Exporter(name="lines", suffix=".txt", func=lambda _report: "x\n")]

    @hookimpl
    def outsourcekit_register_importers(self):
        return [
            Importer(
                name="calendar",
                suffixes=[".ics"],
                func=lambda path: [Engagement(id=path.stem)],
            ),
            Importer(
                name="calendar-archive", suffixes=".ics.gz", func=lambda _path: []
            ),
        ]


class TestTypedWrappers:
    def test_everything_records_its_plugin(self):
        """Rules, exporters and importers come back with their plugin's name."""
        plugins.register(Registers(), name="mine")

        assert (
            [("MINE001", "mine")],
            [("lines", "mine")],
            [("calendar", "mine"), ("calendar-archive", "mine")],
        ) == (
            [(r.code, r.plugin) for r in plugins.get_rules()],
            [(e.name, e.plugin) for e in plugins.get_exporters()],
            [(i.name, i.plugin) for i in plugins.get_importers()],
        )

    def test_sorted(self):
        """Rules come back sorted by code whatever the registration order."""

        class Late:
            @hookimpl
            def outsourcekit_register_rules(self):
                return [first]

        plugins.register(Registers(), name="mine")
        plugins.register(Late(), name="late")

        assert ["AAA001", "MINE001"] == [r.code for r in plugins.get_rules()]

    def test_not_a_rule(self):
        """An item that is not a rule is reported and skipped."""

        class Sloppy:
            @hookimpl
            def outsourcekit_register_rules(self):
                return ["OSK000"]

        plugins.register(Registers(), name="mine")
        plugins.register(Sloppy(), name="sloppy")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match=r"returned 'OSK000' \(a str\) instead of a Rule",
        ):
            codes = [r.code for r in plugins.get_rules()]

        assert ["MINE001"] == codes

    def test_not_a_rule_named_with_its_article(self):
        """The kind of an item that is not a rule reads as English: an int."""

        class Sloppy:
            @hookimpl
            def outsourcekit_register_rules(self):
                return [42]

        plugins.register(Sloppy(), name="sloppy")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match=r"returned 42 \(an int\) instead of a Rule",
        ):
            plugins.get_rules()

    def test_hook_that_raises(self):
        """A registration hook that raises is reported; other plugins still count."""

        class Raises:
            @hookimpl
            def outsourcekit_register_rules(self):
                raise LookupError("no config")

        plugins.register(Registers(), name="mine")
        plugins.register(Raises(), name="raises")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match="outsourcekit_register_rules raised LookupError: no config",
        ):
            codes = [r.code for r in plugins.get_rules()]

        assert (["MINE001"], ["raises"]) == (
            codes,
            [e.plugin for e in plugins.plugin_errors()],
        )

    @pytest.mark.parametrize(
        ("hook", "registered"),
        [
            (
                "outsourcekit_register_rules",
                lambda: [r.code for r in plugins.get_rules()],
            ),
            (
                "outsourcekit_register_exporters",
                lambda: [e.name for e in plugins.get_exporters()],
            ),
            (
                "outsourcekit_register_importers",
                lambda: [i.name for i in plugins.get_importers()],
            ),
        ],
    )
    def test_generator_hook_that_raises(self, hook, registered):
        """A hook that raises while its items are read is the plugin's error only."""

        def raising(_self):
            yield from ()
            raise RuntimeError("rule table missing")

        plugins.register(Registers(), name="mine")
        plugins.register(type("Raises", (), {hook: hookimpl(raising)})(), name="raises")
        message = f"{hook} raised RuntimeError: rule table missing"

        with pytest.warns(OutsourcekitPluginWarning, match=message):
            names = registered()
        infos = {i.name: i for i in plugins.plugin_info()}
        report = check([Engagement(id="a")], as_of=AS_OF)

        assert names
        assert [("raises", message)] == [
            (e.plugin, e.message) for e in plugins.plugin_errors()
        ]
        assert (message, ["MINE001"]) == (
            infos["raises"].error,
            [r.code for r in report.rules],
        )
        assert [("raises", message)] == [
            (e.plugin, e.message) for e in report.plugin_errors
        ]

    @pytest.mark.parametrize("what", ["exporter", "importer"])
    def test_plugin_info_with_a_hook_returning_no_list(self, what):
        """plugin_info() names a hook that returned no list; the others count."""
        hook = f"outsourcekit_register_{what}s"

        def five(_self):
            return 5

        plugins.register(Registers(), name="mine")
        plugins.register(type("Five", (), {hook: hookimpl(five)})(), name="five")

        with pytest.warns(OutsourcekitPluginWarning):
            infos = {i.name: i for i in plugins.plugin_info()}

        assert (
            f"{hook} returned 5 instead of a list of {what}s",
            (),
            ("lines",),
        ) == (
            infos["five"].error,
            getattr(infos["five"], f"{what}s"),
            infos["mine"].exporters,
        )

    @pytest.mark.parametrize("what", ["rule", "exporter"])
    @pytest.mark.parametrize(
        ("returned", "shown"),
        [("OSK000", "'OSK000' (a str)"), ({"OSK000": 1}, "{'OSK000': 1} (a dict)")],
    )
    def test_hook_returning_text_or_a_mapping(self, what, returned, shown):
        """Text or a mapping is no list of items: one error, not one per key."""
        hook = f"outsourcekit_register_{what}s"

        def text(_self):
            return returned

        plugins.register(type("Text", (), {hook: hookimpl(text)})(), name="text")

        with pytest.warns(OutsourcekitPluginWarning):
            infos = {i.name: i for i in plugins.plugin_info()}

        assert f"{hook} returned {shown} instead of a list of {what}s" == (
            infos["text"].error
        )
        assert [f"{hook} returned {shown} instead of a list of {what}s"] == [
            e.message for e in plugins.plugin_errors()
        ]

    @pytest.mark.parametrize(
        ("what", "kind"), [("exporter", "an Exporter"), ("importer", "an Importer")]
    )
    def test_hook_returning_a_stray_item(self, what, kind):
        """An item of another kind is named with the kind expected, as English."""
        hook = f"outsourcekit_register_{what}s"

        def stray(_self):
            return [5]

        plugins.register(type("Stray", (), {hook: hookimpl(stray)})(), name="stray")

        with pytest.warns(OutsourcekitPluginWarning):
            getattr(plugins, f"get_{what}s")()

        assert [("stray", f"{hook} returned 5 (an int) instead of {kind}")] == [
            (e.plugin, e.message) for e in plugins.plugin_errors()
        ]

    def test_importer_for(self, tmp_path):
        """The importer with the longest matching suffix reads a file."""
        plugins.register(Registers(), name="mine")

        assert ("calendar", "calendar-archive", None) == (
            importer_for(tmp_path / "Team.ICS").name,
            importer_for("team.ics.gz").name,
            importer_for("team.csv"),
        )
        with pytest.warns(DeprecationWarning, match="takes the path alone"):
            engagements = importer_for("team.ics")(tmp_path / "team.ics")
        assert [Engagement(id="team")] == engagements

    def test_importer_needs_a_suffix(self):
        """An importer names the files it reads."""
        with pytest.raises(
            ValueError, match="importer 'x' must name at least one file suffix"
        ):
            Importer(name="x", suffixes=[], func=lambda _path: [])


class TestExplain:
    def test_known(self):
        """explain() gives a registered rule's documentation."""
        plugins.register(Registers(), name="mine")

        assert outsourcekit.explain("mine").startswith("MINE001 mine: t\n")

    def test_unknown(self):
        """An unknown name suggests the closest rule."""
        plugins.register(Registers(), name="mine")

        with pytest.raises(UnknownRuleError, match="did you mean 'MINE001'"):
            outsourcekit.explain("MINE01")


class TestEngagementLoaded:
    def test_chain(self):
        """Each implementation sees the previous one's engagement; None keeps it."""

        class Title:
            @hookimpl
            def outsourcekit_engagement_loaded(self, engagement):
                return engagement.__class__(
                    id=engagement.id, title="titled", owner=engagement.owner
                )

        class Owner:
            @hookimpl
            def outsourcekit_engagement_loaded(self, engagement):
                return engagement.__class__(
                    id=engagement.id, title=engagement.title, owner="Dana"
                )

        class Nothing:
            @hookimpl
            def outsourcekit_engagement_loaded(self):
                return None

        for plugin in (Title(), Owner(), Nothing()):
            plugins.register(plugin)

        assert Engagement(
            id="a", title="titled", owner="Dana"
        ) == plugins.engagement_loaded(Engagement(id="a"))

    def test_wrong_return(self):
        """Returning something else is a plugin error; the engagement is kept."""

        class Wrong:
            @hookimpl
            def outsourcekit_engagement_loaded(self):
                return {"id": "b"}

        plugins.register(Wrong(), name="wrong")

        with pytest.warns(
            OutsourcekitPluginWarning, match="instead of an Engagement or None"
        ):
            loaded = plugins.engagement_loaded(Engagement(id="a"))

        assert Engagement(id="a") == loaded

    def test_wrong_return_named_with_its_article(self):
        """The kind of what was returned reads as English: an int."""

        class Wrong:
            @hookimpl
            def outsourcekit_engagement_loaded(self):
                return 7

        plugins.register(Wrong(), name="wrong")

        with pytest.warns(
            OutsourcekitPluginWarning,
            match=r"returned 7 \(an int\) instead of an Engagement or None",
        ):
            plugins.engagement_loaded(Engagement(id="a"))


class TestHookDocs:
    def test_every_hook_is_documented(self):
        """docs/hooks.md documents every hook specification, and no other."""
        text = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
        documented = sorted(
            re.findall(r"autofunction\}? *outsourcekit\.hookspecs\.(\w+)", text)
        )

        assert HOOKS == documented

    def test_every_hook_has_a_docstring(self):
        """Each hook specification explains itself."""
        assert [] == [
            n for n in HOOKS if not (getattr(hookspecs, n).__doc__ or "").strip()
        ]

    def test_hooks_are_specifications(self):
        """Every documented hook is one the manager knows."""
        pm = plugins.get_plugin_manager()

        assert HOOKS == sorted(
            n for n in vars(pm.hook) if n.startswith("outsourcekit_")
        )


# -- the example plugin, really installed ------------------------------------------


@pytest.fixture(scope="session")
def acme_site(tmp_path_factory):
    """examples/plugin-acme installed with pip into a folder of its own."""
    target = tmp_path_factory.mktemp("acme-site")
    subprocess.run(  # noqa: S603 - our own interpreter and pip
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(ROOT / "examples" / "plugin-acme"),
        ],
        check=True,
        capture_output=True,
    )
    return target


@pytest.fixture
def acme(acme_site, monkeypatch):
    """The installed example plugin on sys.path, loaded by its entry point."""
    monkeypatch.syspath_prepend(str(acme_site))
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "acme")
    yield
    sys.modules.pop("outsourcekit_acme", None)


@pytest.mark.usefixtures("acme")
class TestExamplePlugin:
    ACTIVE: ClassVar = {"status": Status.ACTIVE, "start": dt.date(2026, 1, 5)}

    def test_installed_distribution(self):
        """The package installs an `outsourcekit` entry point named acme."""
        points = importlib.metadata.entry_points(group="outsourcekit")

        assert [("acme", "outsourcekit_acme", "outsourcekit-acme")] == [
            (p.name, p.value, p.dist.name) for p in points if p.name == "acme"
        ]

    def test_rule_registered(self):
        """ACME001 is among the rules, from plugin acme."""
        assert [("ACME001", "missing-cost-center", "acme")] == [
            (r.code, r.slug, r.plugin)
            for r in plugins.get_rules()
            if r.code.startswith("ACME")
        ]

    def test_findings_in_report(self):
        """Its findings appear in a check of the registered rules."""
        engs = [
            Engagement(id="a", **self.ACTIVE),
            Engagement(
                id="b", extensions={"x-acme-cost-center": "CC-1"}, **self.ACTIVE
            ),
        ]

        report = check(engs, as_of=AS_OF, config=Config(select=["ACME001"]))

        assert [("a", "ACME001", "x-acme-cost-center")] == [
            (f.engagement, f.rule, f.path) for f in report.findings
        ]

    def test_selectable_and_ignorable(self):
        """ACME001 is selected and ignored like a built-in rule."""
        eng = Engagement(id="a", **self.ACTIVE)

        ignored = check(
            eng,
            as_of=AS_OF,
            config=Config(select=["ACME"], ignore=["missing-cost-center"]),
        )

        assert [] == [f.rule for f in ignored.findings]

    def test_waivable(self):
        """A waiver by slug accepts its finding."""
        waiver = Waiver(rule="missing-cost-center", reason="Internal project")
        eng = Engagement(id="a", waivers=[waiver], **self.ACTIVE)

        report = check(eng, as_of=AS_OF, config=Config(select=["ACME001"]))

        assert ["Internal project"] == [f.waived for f in report.findings]

    def test_exporter(self):
        """The tsv exporter is registered and writes one line per finding."""
        (tsv,) = [e for e in plugins.get_exporters() if e.name == "tsv"]
        report = check(
            Engagement(id="a", **self.ACTIVE),
            as_of=AS_OF,
            config=Config(select=["ACME001"]),
        )

        lines = tsv.func(report).splitlines()

        assert ("acme", ".tsv") == (tsv.plugin, tsv.suffix)
        assert [
            "engagement\trule\tslug\tseverity\tpath\tline\tmessage\twaived",
            (
                "a\tACME001\tmissing-cost-center\twarning\tx-acme-cost-center\t\t"
                "The engagement is active but has no cost center in "
                "'x-acme-cost-center'\t"
            ),
        ] == lines

    def test_listed_in_plugin_info(self):
        """`outsourcekit plugins` data shows it with its version and registrations."""
        info = {i.name: i for i in plugins.plugin_info()}["acme"]

        assert ("outsourcekit-acme", "1.0.0", ("ACME001",), ("tsv",), None) == (
            info.distribution,
            info.version,
            info.rules,
            info.exporters,
            info.error,
        )
