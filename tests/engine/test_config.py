"""Tests of configuration: reading, discovery, merging and resolving against rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_for_tests import BASIC, fragile, many_findings, no_owner, no_vision

from outsourcekit.engine import Config, ConfigError, Severity

RULES = (*BASIC, fragile, many_findings)


def selected(config: Config) -> list[str]:
    return [p.rule.code for p in config.resolve(RULES).rules]


class TestFromMapping:
    def test_keys(self):
        """Every documented key is read, kebab-case in files."""
        config = Config.from_mapping(
            {
                "select": ["OSK1", "clarity"],
                "ignore": ["OSK108"],
                "fail-on": "warning",
                "severity": {"no-pm-tool": "warning"},
                "rules": {"micromanagement": {"max-per-week": 5}},
            }
        )

        assert (
            Config(
                select=("OSK1", "clarity"),
                ignore=("OSK108",),
                fail_on="warning",
                severity={"no-pm-tool": Severity.WARNING},
                rules={"micromanagement": {"max-per-week": 5}},
            )
            == config
        )

    def test_single_name(self):
        """A single name may stand for a list of one."""
        assert ("clarity",) == Config.from_mapping({"select": "clarity"}).select

    def test_unknown_key(self):
        """An unknown key names the file, the key and the closest key."""
        with pytest.raises(ConfigError) as info:
            Config.from_mapping({"fail_on": "error"}, source="outsourcekit.toml")

        assert (
            "outsourcekit.toml: fail_on: unknown key 'fail_on' "
            "(did you mean 'fail-on'?)" == str(info.value)
        )
        assert ("fail_on", "fail-on") == (info.value.key, info.value.suggestion)

    def test_bad_fail_on(self):
        """fail-on names its choices and the closest one."""
        with pytest.raises(
            ConfigError,
            match=(
                r"fail-on: must be one of info, warning, error, never \(got 'eror'\) "
                r"\(did you mean 'error'\?\)"
            ),
        ):
            Config.from_mapping({"fail-on": "eror"})

    def test_bad_severity(self):
        """A severity override must be a severity."""
        with pytest.raises(
            ConfigError,
            match=r"severity.no-pm-tool: must be one of error, warning, info \(got",
        ):
            Config.from_mapping({"severity": {"no-pm-tool": "warn"}})

    def test_bad_select(self):
        """select holds names."""
        with pytest.raises(
            ConfigError, match=r"select: must be a list of rule codes.*\(got \[1\]\)"
        ):
            Config.from_mapping({"select": [1]})

    def test_bad_rules_table(self):
        """Each rule's options form a table."""
        with pytest.raises(
            ConfigError,
            match=r"rules.micromanagement: must be a table of options \(got 5\)",
        ):
            Config.from_mapping({"rules": {"micromanagement": 5}})

    def test_key_prefix_in_messages(self):
        """Keys of pyproject.toml are named with their table."""
        with pytest.raises(
            ConfigError, match=r"^pyproject.toml: tool.outsourcekit.selct: unknown key"
        ):
            Config.from_mapping(
                {"selct": []}, source="pyproject.toml", key_prefix="tool.outsourcekit."
            )

    def test_direct_construction_is_validated(self):
        """Config(...) checks its values as well."""
        with pytest.raises(ConfigError, match="fail-on: must be one of"):
            Config(fail_on="sometimes")


class TestFiles:
    def test_outsourcekit_toml(self, tmp_path):
        """outsourcekit.toml holds the keys at top level."""
        path = tmp_path / "outsourcekit.toml"
        path.write_text('select = ["clarity"]\nfail-on = "info"\n', encoding="utf-8")

        config = Config.from_file(path)

        assert (("clarity",), "info", str(path)) == (
            config.select,
            config.fail_on,
            config.source,
        )

    def test_pyproject(self, tmp_path):
        """pyproject.toml is read from [tool.outsourcekit]."""
        path = tmp_path / "pyproject.toml"
        path.write_text(
            '[project]\nname = "x"\n[tool.outsourcekit]\nignore = ["OSK108"]\n'
            "[tool.outsourcekit.rules.micromanagement]\nmax-per-week = 3\n",
            encoding="utf-8",
        )

        config = Config.from_file(path)

        assert (("OSK108",), {"micromanagement": {"max-per-week": 3}}) == (
            config.ignore,
            config.rules,
        )

    def test_pyproject_without_table(self, tmp_path):
        """A pyproject.toml given explicitly must have the table."""
        path = tmp_path / "pyproject.toml"
        path.write_text('[project]\nname = "x"\n', encoding="utf-8")

        with pytest.raises(
            ConfigError, match=r"pyproject\.toml: has no \[tool\.outsourcekit\] table"
        ):
            Config.from_file(path)

    def test_yaml(self, tmp_path):
        """A YAML file may hold the configuration too."""
        path = tmp_path / "checks.yaml"
        path.write_text("select: [clarity]\n", encoding="utf-8")

        assert ("clarity",) == Config.from_file(path).select

    def test_invalid_toml(self, tmp_path):
        """A file that does not parse names itself."""
        path = tmp_path / "outsourcekit.toml"
        path.write_text("select = [\n", encoding="utf-8")

        with pytest.raises(ConfigError, match=r"outsourcekit\.toml: is not valid TOML"):
            Config.from_file(path)

    def test_other_suffix(self, tmp_path):
        """Only TOML, YAML and JSON files are configuration."""
        with pytest.raises(
            ConfigError,
            match=r"must be a .toml, .yaml, .yml or .json file \(got 'setup.cfg'\)",
        ):
            Config.from_file(tmp_path / "setup.cfg")


class TestDiscover:
    def test_upward(self, tmp_path):
        """The nearest outsourcekit.toml above the start folder wins."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "warning"\n', encoding="utf-8"
        )
        deep = tmp_path / "a" / "b"
        deep.mkdir(parents=True)

        config = Config.discover(deep)

        assert ("warning", str(tmp_path.resolve() / "outsourcekit.toml")) == (
            config.fail_on,
            config.source,
        )

    def test_outsourcekit_toml_before_pyproject(self, tmp_path):
        """In one folder, outsourcekit.toml wins over pyproject.toml."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "info"\n', encoding="utf-8"
        )
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nfail-on = "warning"\n', encoding="utf-8"
        )

        assert "info" == Config.discover(tmp_path).fail_on

    def test_pyproject_without_table_is_skipped(self, tmp_path):
        """A pyproject.toml without the table does not stop the search."""
        (tmp_path / "pyproject.toml").write_text(
            '[tool.outsourcekit]\nfail-on = "never"\n', encoding="utf-8"
        )
        inner = tmp_path / "inner"
        inner.mkdir()
        (inner / "pyproject.toml").write_text(
            '[project]\nname = "x"\n', encoding="utf-8"
        )

        assert "never" == Config.discover(inner).fail_on

    def test_nothing_found(self, tmp_path, monkeypatch):
        """Without any configuration file the default configuration applies."""
        monkeypatch.setattr(Path, "is_file", lambda _self: False)

        assert Config() == Config.discover(tmp_path)

    def test_working_directory(self, tmp_path, monkeypatch):
        """Without a start folder the search starts in the working directory."""
        (tmp_path / "outsourcekit.toml").write_text(
            'ignore = ["x"]\n', encoding="utf-8"
        )
        monkeypatch.chdir(tmp_path)

        assert ("x",) == Config.discover().ignore

    def test_relative_waivers(self, tmp_path):
        """A discovered file's waivers path is relative to that file."""
        (tmp_path / "outsourcekit.toml").write_text(
            'waivers = "w.yaml"\n', encoding="utf-8"
        )
        deep = tmp_path / "a"
        deep.mkdir()

        assert tmp_path.resolve() / "w.yaml" == Config.discover(deep).waivers


class TestMerge:
    def test_overrides_replace(self):
        """Given overrides replace; None leaves the file's value."""
        config = Config(select=["clarity"], fail_on="warning")

        merged = config.merge(select=["OSK1"], fail_on=None, ignore=["OSK108"])

        assert Config(select=["OSK1"], ignore=["OSK108"], fail_on="warning") == merged

    def test_tables_merge(self):
        """Severity and options merge rule by rule and option by option."""
        config = Config(severity={"a": "info"}, rules={"r": {"x": 1, "y": 2}})

        merged = config.merge(severity={"b": "error"}, rules={"r": {"y": 3}})

        assert ({"a": Severity.INFO, "b": Severity.ERROR}, {"r": {"x": 1, "y": 3}}) == (
            merged.severity,
            merged.rules,
        )

    def test_unknown_override(self):
        """A misspelt override is a TypeError with a suggestion."""
        with pytest.raises(
            TypeError, match="unknown setting 'failon' \\(did you mean 'fail_on'\\?\\)"
        ):
            Config().merge(failon="error")


class TestResolve:
    def test_everything_by_default(self):
        """Without select every rule runs, ordered by code."""
        assert ["TST001", "TST002", "TST003", "TST004", "TST006"] == selected(Config())

    @pytest.mark.parametrize(
        ("select", "expected"),
        [
            (["TST001"], ["TST001"]),
            (["tst002"], ["TST002"]),
            (["TST00"], ["TST001", "TST002", "TST003", "TST004", "TST006"]),
            (["clarity"], ["TST002", "TST003", "TST004"]),
            (["no-vision-here", "fragile"], ["TST003", "TST004"]),
        ],
    )
    def test_select_forms(self, select, expected):
        """select takes codes, code prefixes, categories and slugs."""
        assert expected == selected(Config(select=select))

    def test_ignore_after_select(self):
        """ignore removes from the selection."""
        assert ["TST002", "TST004"] == selected(
            Config(select=["clarity"], ignore=["no-vision-here"])
        )

    def test_unknown_selector(self):
        """An unknown name suggests the closest code, slug or category."""
        config = Config(ignore=["clarty"], source="outsourcekit.toml")

        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        assert (
            "outsourcekit.toml: ignore: no rule has the code, code prefix, category or "
            "slug "
            "'clarty' (did you mean 'clarity'?)"
        ) == str(info.value)

    def test_severity_by_code_or_slug(self):
        """Severity overrides are keyed by code or slug."""
        plan = Config(
            severity={"TST001": "error", "no-vision-here": "warning"}
        ).resolve(BASIC)

        assert [Severity.ERROR, Severity.ERROR, Severity.WARNING] == [
            p.severity for p in plan.rules
        ]

    def test_options_validated_and_merged(self):
        """Options replace defaults; kebab and snake spellings are alike."""
        plan = Config(rules={"TST003": {"min_length": 4}}).resolve([no_vision])

        assert {"min-length": 4} == plan.rules[0].options

    def test_unknown_option(self):
        """An unknown option lists the rule's options and the closest."""
        config = Config(rules={"no-vision-here": {"min-lenght": 4}})

        with pytest.raises(ConfigError) as info:
            config.resolve([no_vision])

        assert (
            "rules.no-vision-here.min-lenght: rule TST003 (no-vision-here) has no "
            "option "
            "'min-lenght' (options: min-length) (did you mean 'min-length'?)"
        ) == str(info.value)

    def test_wrong_option_type(self):
        """An option value of the wrong type names what was expected."""
        config = Config(rules={"TST003": {"min-length": "long"}})

        with pytest.raises(
            ConfigError,
            match=(
                r"rules.TST003.min-length: option 'min-length' must be a whole number "
                r"\(got 'long' that is a str\)"
            ),
        ):
            config.resolve([no_vision])

    def test_unknown_rule_in_options(self):
        """Options for a rule that does not exist are an error."""
        with pytest.raises(
            ConfigError,
            match=(
                r"rules.no-vison-here: no rule has the code or slug 'no-vison-here' "
                r"\(did you mean 'no-vision-here'\?\)"
            ),
        ):
            Config(rules={"no-vison-here": {}}).resolve(BASIC)

    def test_rule_named_both_ways(self):
        """Naming one rule by code and by slug is an error."""
        config = Config(
            rules={"TST003": {"min-length": 2}, "no-vision-here": {"min-length": 3}}
        )

        with pytest.raises(
            ConfigError,
            match="names rule TST003 twice, as 'TST003' and as 'no-vision-here'",
        ):
            config.resolve(BASIC)

    def test_severity_named_both_ways(self):
        """Overriding one rule's severity twice is an error."""
        config = Config(severity={"TST001": "info", "no-owner-here": "error"})

        with pytest.raises(
            ConfigError, match=r"severity\.no-owner-here: names rule TST001 twice"
        ):
            config.resolve(BASIC)

    def test_duplicate_rules(self):
        """Two rules given with one code cannot be resolved."""
        with pytest.raises(ValueError, match="two rules are named 'TST001'"):
            Config().resolve([no_owner, no_owner.with_plugin("other")])

    def test_is_selected(self):
        """The plan answers whether a code or slug runs."""
        plan = Config(select=["TST001"]).resolve(BASIC)

        assert (True, True, False) == (
            plan.is_selected("TST001"),
            plan.is_selected("no-owner-here"),
            plan.is_selected("TST002"),
        )
