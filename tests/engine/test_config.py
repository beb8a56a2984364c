"""Tests of configuration: reading, discovery, merging and resolving against rules."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from rules_for_tests import BASIC, fragile, many_findings, no_owner, no_vision

from outsourcekit.builtin.rules.governance import vendor_concentration
from outsourcekit.builtin.rules.oversight import micromanagement_in_practice
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

    @pytest.mark.parametrize(
        ("prefix", "where"),
        [
            ("", "rules.micromanagement"),
            ("tool.outsourcekit.", "tool.outsourcekit.rules.micromanagement"),
        ],
    )
    def test_rule_table_at_the_top(self, prefix, where):
        """A table at the top that is no setting points to the rules table.

        A rule's options are set under ``rules``, not beside the settings as
        some tools' sections are.
        """
        with pytest.raises(ConfigError) as info:
            Config.from_mapping(
                {"micromanagement": {"max-per-week": 3}},
                source="pyproject.toml",
                key_prefix=prefix,
            )

        assert (
            f"pyproject.toml: {prefix}micromanagement: unknown key 'micromanagement': "
            f"if it holds a rule's options, they are set under {where}"
        ) == str(info.value)

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

    @pytest.mark.parametrize("value", ["no", "None", "off", False, "false", "0"])
    def test_fail_on_nothing(self, value):
        """A word for "fail on nothing" suggests never, not the closest spelling."""
        with pytest.raises(ConfigError) as info:
            Config.from_mapping({"fail-on": value})

        assert "never" == info.value.suggestion
        assert str(info.value).endswith("(did you mean 'never'?)")

    def test_fail_on_nothing_in_python(self):
        """Config(fail_on=...) suggests the same."""
        with pytest.raises(ConfigError) as info:
            Config(fail_on="none")

        assert "never" == info.value.suggestion

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
            ConfigError,
            match=r"select\[0\]: must be a rule code, code prefix, category or slug "
            r"\(got 1 \(a number\)\)",
        ):
            Config.from_mapping({"select": [1]})

    def test_bad_rules_table(self):
        """Each rule's options form a table."""
        with pytest.raises(
            ConfigError,
            match=(
                r"rules.micromanagement: must be a table of options "
                r"\(got 5 \(a number\)\)"
            ),
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

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            (
                {"select": 3},
                (
                    "select: must be a list of rule codes, prefixes, categories "
                    "or slugs (got 3)"
                ),
            ),
            (
                {"ignore": 0},
                (
                    "ignore: must be a list of rule codes, prefixes, categories "
                    "or slugs (got 0)"
                ),
            ),
            (
                {"extend_select": {"OSK6": True}},
                (
                    "extend-select: must be a list of rule codes, prefixes, "
                    "categories or slugs (got {'OSK6': True})"
                ),
            ),
            (
                {"exclude": [3]},
                (
                    'exclude: must be a list of globs, like "drafts" or '
                    '"archive/*.yaml" (got 3)'
                ),
            ),
            ({"paths": 3}, "paths: must be a list of files or folders (got 3)"),
            (
                {"paths": ["a", None]},
                "paths: must be a list of files or folders (got None)",
            ),
            (
                {"paths": ["a", "b\0c"]},
                (
                    "paths: must be a list of files or folders, which hold no NUL "
                    "character (got 'b\\x00c')"
                ),
            ),
            ({"waivers": 3}, "waivers: must be the path of a waiver file (got 3)"),
            ({"import_root": ""}, "import-root: must be the path of a folder (got '')"),
            (
                {"import_root": "a\0b"},
                (
                    "import-root: must be the path of a folder, which holds no NUL "
                    "character (got 'a\\x00b')"
                ),
            ),
            (
                {"severity": "error"},
                "severity: must be a table of rule = severity (got 'error')",
            ),
            (
                {"rules": ["micromanagement"]},
                "rules: must be a table of rule tables (got ['micromanagement'])",
            ),
            (
                {"central_waivers": 1.5},
                "central_waivers: must hold CentralWaiver entries (got 1.5)",
            ),
        ],
    )
    def test_every_value_is_validated(self, given, message):
        """A value of the wrong kind is refused, naming its key, not left to fail."""
        with pytest.raises(ConfigError) as info:
            Config(**given)

        assert message == str(info.value)

    @pytest.mark.parametrize(
        ("rules", "message"),
        [
            ({1: {}}, "rules.1: no rule has the code or slug '1'"),
            (
                {"no-vision-here": {1: 2}},
                (
                    "rules.no-vision-here.1: rule TST003 (no-vision-here) has no "
                    "option '1' (options: min-length)"
                ),
            ),
        ],
    )
    def test_names_that_are_no_text(self, rules, message):
        """A rule or option named by no text is unknown, as a file's would be."""
        with pytest.raises(ConfigError) as info:
            Config(rules=rules).resolve([no_vision])

        assert message == str(info.value)

    def test_merge_validates_too(self):
        """merge() refuses what Config() refuses."""
        with pytest.raises(ConfigError) as info:
            Config().merge(severity=["OSK601"])

        assert "severity: must be a table of rule = severity (got ['OSK601'])" == str(
            info.value
        )


class TestLines:
    def test_reading_error_has_the_line(self):
        """from_mapping names the line of the key it refuses, from *lines*."""
        with pytest.raises(ConfigError) as info:
            Config.from_mapping(
                {"select": ["OSK1"], "fail-on": "eror"},
                source="outsourcekit.toml",
                lines={"select": 1, "select[0]": 1, "fail-on": 2},
            )

        assert (
            "outsourcekit.toml:2: fail-on: must be one of info, warning, error, "
            "never (got 'eror') (did you mean 'error'?)"
        ) == str(info.value)
        assert 2 == info.value.line

    def test_resolving_error_has_the_item_line(self):
        """A selector no rule has is located at its own list item."""
        config = Config.from_mapping(
            {"ignore": ["clarity", "clarty"]},
            source="pyproject.toml",
            key_prefix="tool.outsourcekit.",
            lines={
                "tool.outsourcekit.ignore": 3,
                "tool.outsourcekit.ignore[0]": 3,
                "tool.outsourcekit.ignore[1]": 4,
            },
        )

        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        assert str(info.value).startswith(
            "pyproject.toml:4: tool.outsourcekit.ignore: no rule has the code"
        )

    def test_option_falls_back_to_its_table(self):
        """An option without a line of its own is located at its rule's table."""
        config = Config.from_mapping(
            {"rules": {"no-vision-here": {"min-lenght": 4}}},
            source="outsourcekit.toml",
            lines={"rules": 5, "rules.no-vision-here": 5},
        )

        with pytest.raises(ConfigError, match=r"^outsourcekit\.toml:5: rules\."):
            config.resolve([no_vision])

    def test_merged_setting_loses_its_lines(self):
        """A setting replaced from Python is no longer located in the file."""
        config = Config.from_mapping(
            {"select": ["clarity"]},
            source="outsourcekit.toml",
            lines={"select": 1, "select[0]": 1},
        ).merge(select=["clarty"])

        with pytest.raises(ConfigError, match=r"^outsourcekit\.toml: select: no rule"):
            config.resolve(RULES)

    def test_flag_errors_name_the_flag(self):
        """A setting given as a flag is the flag's problem, not the file's."""
        config = Config(
            select=["clarty"], source="outsourcekit.toml", flags={"select": "--select"}
        )

        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        assert (
            "--select: no rule has the code, code prefix, category or slug "
            "'clarty' (did you mean 'clarity'?)"
        ) == str(info.value)
        assert ("--select", "select") == (info.value.flag, info.value.key)

    def test_merge_from_python_drops_the_flag(self):
        """A setting merged from Python after a flag is no longer the flag's."""
        config = Config(flags={"fail-on": "--fail-on", "select": "--select"})

        assert {"select": "--select"} == config.merge(fail_on="info").flags


class TestDeprecatedReading:
    def test_from_file(self, tmp_path):
        """Config.from_file() reads the file, naming its new place."""
        path = tmp_path / "outsourcekit.toml"
        path.write_text('select = ["clarity"]\n', encoding="utf-8")

        with pytest.warns(
            DeprecationWarning, match=r"outsourcekit\.config\.read_config"
        ):
            config = Config.from_file(path)

        assert (("clarity",), str(path)) == (config.select, config.source)

    def test_discover(self, tmp_path):
        """Config.discover() finds the file, naming its new place."""
        (tmp_path / "outsourcekit.toml").write_text(
            'fail-on = "warning"\n', encoding="utf-8"
        )

        with pytest.warns(
            DeprecationWarning, match=r"outsourcekit\.config\.find_config"
        ):
            config = Config.discover(tmp_path)

        assert "warning" == config.fail_on


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

    def test_merged_rule_named_the_other_way_replaces(self):
        """A merged severity replaces the file's, by code or by slug alike."""
        config = Config(severity={"no-vision-here": "warning"}).merge(
            severity={"TST003": "error"}
        )

        (plan,) = config.resolve([no_vision]).rules

        assert Severity.ERROR == plan.severity

    def test_merged_options_of_a_rule_named_the_other_way(self):
        """Merged options replace the file's one by one, however the rule is named."""
        options = {"max-per-week": 3, "window-weeks": 8}
        config = Config(rules={"micromanagement-in-practice": options}).merge(
            rules={"OSK302": {"max_per_week": 9}}
        )

        (plan,) = config.resolve([micromanagement_in_practice]).rules

        assert {"max-per-week": 9, "window-weeks": 8} == plan.options

    def test_merged_option_problem_names_its_own_key(self):
        """A wrong option kept from the file is named as the file writes it."""
        config = Config(
            rules={"micromanagement-in-practice": {"window-weeks": 0}},
            source="outsourcekit.toml",
            lines={"rules.micromanagement-in-practice.window-weeks": 4},
        ).merge(rules={"OSK302": {"max-per-week": 9}})

        with pytest.raises(ConfigError) as info:
            config.resolve([micromanagement_in_practice])

        assert str(info.value).startswith(
            "outsourcekit.toml:4: rules.micromanagement-in-practice.window-weeks: "
        )

    def test_one_rule_named_twice_in_one_merge(self):
        """Naming one rule by code and by slug in the same table is still an error."""
        config = Config().merge(severity={"TST003": "error", "no-vision-here": "info"})

        with pytest.raises(ConfigError, match="names rule TST003 twice"):
            config.resolve([no_vision])

    def test_new_waiver_file_is_unread(self):
        """Merging another waiver file drops the entries read from the old one."""
        config = Config(waivers="old.yaml", central_waivers=[])

        merged = config.merge(waivers="new.yaml")

        assert (Path("new.yaml"), None) == (merged.waivers, merged.central_waivers)

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

    @pytest.mark.parametrize(
        ("config", "message"),
        [
            (
                Config(select=["x" * 10_000]),
                (
                    "select: no rule has the code, code prefix, category or slug "
                    f"'{'x' * 58}…"
                ),
            ),
            (
                Config(severity={"x" * 10_000: "info"}),
                f"severity.{'x' * 10_000}: no rule has the code or slug '{'x' * 58}…",
            ),
            (
                Config(rules={"TST003": {"min-length": "x" * 10_000}}),
                (
                    "rules.TST003.min-length: option 'min-length' must be a whole "
                    f"number (got '{'x' * 58}… that is text)"
                ),
            ),
        ],
    )
    def test_long_value_cut(self, config, message):
        """A long name or value is cut in the message, as a file's value is."""
        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        assert message == str(info.value)

    @pytest.mark.parametrize(
        ("given", "written"),
        [
            (
                ["clarity,governance"],
                'each item names one; write ["clarity", "governance"]',
            ),
            ("TST001, TST002", 'each item names one; write ["TST001", "TST002"]'),
            ([" TST00 "], 'write it without spaces, "TST00"'),
            (["TST001,"], 'write it without the comma, "TST001"'),
            ([" TST001 ,"], 'write it without the comma and spaces, "TST001"'),
        ],
    )
    def test_selector_of_several_names(self, given, written):
        """Names run together in one item say how to write them, not a close code.

        The command line splits and trims its flags' values; a file's list
        holds one name an item.
        """
        config = Config.from_mapping({"select": given}, source="outsourcekit.toml")

        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        shown = given if isinstance(given, str) else given[0]
        assert (
            "outsourcekit.toml: select: no rule has the code, code prefix, category "
            f"or slug {shown!r}: {written}"
        ) == str(info.value)

    @pytest.mark.parametrize("table", ["severity", "rules"])
    @pytest.mark.parametrize(
        ("name", "what"),
        [
            ("clarity", "a category, of TST002, TST003 and TST004"),
            ("tst00", "a code prefix, of TST001, TST002, TST003, TST004 and TST006"),
        ],
    )
    def test_table_key_naming_several_rules(self, table, name, what):
        """A category or a code prefix as a key says so, and names its rules.

        Such a key takes one rule; the closest code would mislead.
        """
        value = "info" if table == "severity" else {}
        config = Config(**{table: {name: value}})

        with pytest.raises(ConfigError) as info:
            config.resolve(RULES)

        assert (
            f"{table}.{name}: no rule has the code or slug {name!r}: it is {what}; "
            "name each rule by its code or slug"
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

    def test_severity_as_option(self):
        """A severity among a rule's options points to the severity table."""
        config = Config.from_mapping(
            {"rules": {"no-vision-here": {"severity": "info"}}},
            source="pyproject.toml",
            key_prefix="tool.outsourcekit.",
        )

        with pytest.raises(ConfigError) as info:
            config.resolve([no_vision])

        assert (
            "pyproject.toml: tool.outsourcekit.rules.no-vision-here.severity: rule "
            "TST003 (no-vision-here) has no option 'severity' (options: min-length); "
            "a rule's severity is set under tool.outsourcekit.severity.no-vision-here"
        ) == str(info.value)

    def test_option_named_both_ways(self):
        """Naming one option in kebab-case and in snake_case is an error."""
        config = Config(
            rules={"no-vision-here": {"min-length": 2, "min_length": 30}},
            source="outsourcekit.toml",
            lines={"rules.no-vision-here.min_length": 3},
        )

        with pytest.raises(ConfigError) as info:
            config.resolve([no_vision])

        assert (
            "outsourcekit.toml:3: rules.no-vision-here.min_length: names option "
            "'min-length' of rule TST003 twice, as 'min-length' and as "
            "'min_length'; use one of them"
        ) == str(info.value)

    def test_merged_option_of_another_spelling_replaces(self):
        """A merged option replaces the file's, whichever way either is spelt."""
        config = Config(rules={"no-vision-here": {"min-length": 2}}).merge(
            rules={"no-vision-here": {"min_length": 30}}
        )

        assert {"min-length": 30} == config.resolve([no_vision]).rules[0].options

    def test_wrong_option_type(self):
        """An option value of the wrong type names what was expected."""
        config = Config(rules={"TST003": {"min-length": "long"}})

        with pytest.raises(
            ConfigError,
            match=(
                r"rules.TST003.min-length: option 'min-length' must be a whole number "
                r"\(got 'long' that is text\)"
            ),
        ):
            config.resolve([no_vision])

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
    def test_option_not_finite(self, value):
        """A number option is finite: TOML can write nan and inf, no limit is one."""
        config = Config(rules={"vendor-concentration": {"max-share": value}})

        with pytest.raises(ConfigError) as info:
            config.resolve([*BASIC, vendor_concentration])

        assert (
            "rules.vendor-concentration.max-share: option 'max-share' must be a "
            f"finite number (got {value!r})"
        ) == str(info.value)

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


@pytest.mark.parametrize(("value", "shown"), [([], "a list"), ("select", "a str")])
def test_from_mapping_of_no_mapping(value, shown):
    """Configuration data that is no mapping is a ConfigError naming the file."""
    with pytest.raises(ConfigError) as caught:
        Config.from_mapping(value, source="outsourcekit.toml")

    assert (
        f"outsourcekit.toml: the configuration must be a mapping of keys, got {shown}"
        == str(caught.value)
    )
