"""Tests of waivers: from engagements and from a central waiver file."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rules_for_tests import AS_OF, BASIC, bare, no_owner, waiver

from outsourcekit.engine import (
    CentralWaiver,
    Config,
    ConfigError,
    check,
    load_waiver_file,
)
from outsourcekit.engine._waivers import parse_waivers
from outsourcekit.model import Waiver


def waived(report):
    return [(f.engagement, f.rule, f.waived) for f in report.findings]


class TestEngagementWaivers:
    def test_applied_by_code(self):
        """A waiver naming the rule's code sets the finding's `waived` to its reason."""
        eng = bare("a", waivers=[waiver("TST001", "Owner joins in May")])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", "Owner joins in May")] == waived(report)

    def test_applied_by_slug(self):
        """A waiver may name the rule by its slug."""
        eng = bare("a", waivers=[waiver("no-owner-here")])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", "Accepted")] == waived(report)

    def test_expired(self):
        """A waiver whose `until` is before as_of no longer applies."""
        eng = bare("a", waivers=[waiver("TST001", until=AS_OF - dt.timedelta(days=1))])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", None)] == waived(report)

    def test_until_as_of_still_applies(self):
        """A waiver is in force on its `until` day."""
        eng = bare("a", waivers=[waiver("TST001", until=AS_OF)])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", "Accepted")] == waived(report)

    @pytest.mark.parametrize("reason", [None, "", "   "])
    def test_without_reason(self, reason):
        """A waiver without a reason (or a blank one) does not apply."""
        eng = bare("a", waivers=[waiver("TST001", reason)])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", None)] == waived(report)

    def test_path_specific(self):
        """A waiver with a path waives only the finding at that path."""
        eng = bare(
            "a", waivers=[waiver("TST001", path="owner"), waiver("TST002", path="nope")]
        )

        report = check(eng, as_of=AS_OF, rules=BASIC)

        assert [
            ("a", "TST002", None),
            ("a", "TST001", "Accepted"),
            ("a", "TST003", None),
        ] == waived(report)

    def test_only_its_engagement(self):
        """An engagement's waiver does not touch another engagement's findings."""
        engs = [bare("a", waivers=[waiver("TST001")]), bare("b")]

        report = check(engs, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", "Accepted"), ("b", "TST001", None)] == waived(report)

    def test_first_matching_waiver_wins(self):
        """Of two matching waivers, the first one's reason is recorded."""
        eng = bare("a", waivers=[waiver("TST001", "first"), waiver("TST001", "second")])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", "first")] == waived(report)


class TestCentralWaivers:
    def write(self, tmp_path, name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_yaml_list_with_glob(self, tmp_path):
        """A central YAML list applies to ids matching each entry's glob."""
        self.write(
            tmp_path,
            "waivers.yaml",
            "- engagement: acme-*\n  rule: TST001\n  reason: Shared owner pool\n",
        )
        config = Config(waivers=tmp_path / "waivers.yaml")
        engs = [bare("acme-books"), bare("acme-it"), bare("globex")]

        report = check(engs, as_of=AS_OF, config=config, rules=[no_owner])

        assert [
            ("acme-books", "TST001", "Shared owner pool"),
            ("acme-it", "TST001", "Shared owner pool"),
            ("globex", "TST001", None),
        ] == waived(report)

    def test_exact_id_and_expiry(self, tmp_path):
        """An exact id matches only that engagement, and `until` is honoured."""
        data = {
            "waivers": [
                {
                    "engagement": "a",
                    "rule": "TST001",
                    "reason": "ok",
                    "until": "2026-12-31",
                },
                {
                    "engagement": "b",
                    "rule": "TST001",
                    "reason": "old",
                    "until": "2026-01-01",
                },
            ]
        }
        path = self.write(tmp_path, "waivers.json", json.dumps(data))
        config = Config(waivers=path)

        report = check(
            [bare("a"), bare("b"), bare("c")],
            as_of=AS_OF,
            config=config,
            rules=[no_owner],
        )

        assert [
            ("a", "TST001", "ok"),
            ("b", "TST001", None),
            ("c", "TST001", None),
        ] == waived(report)

    def test_toml(self, tmp_path):
        """A TOML file holds its waivers in a `waivers` array of tables."""
        path = self.write(
            tmp_path,
            "waivers.toml",
            '[[waivers]]\nengagement = "a"\nrule = "no-owner-here"\nreason = "ok"\n'
            "until = 2026-12-31\n",
        )

        assert (
            CentralWaiver(
                engagement="a",
                waiver=Waiver(
                    rule="no-owner-here", reason="ok", until=dt.date(2026, 12, 31)
                ),
            ),
        ) == load_waiver_file(path)

    def test_engagement_waivers_come_first(self, tmp_path):
        """The engagement's own waiver wins over the central file's."""
        path = self.write(
            tmp_path, "w.yaml", "- {engagement: a, rule: TST001, reason: central}\n"
        )
        eng = bare("a", waivers=[waiver("TST001", "own")])

        report = check(eng, as_of=AS_OF, config=Config(waivers=path), rules=[no_owner])

        assert [("a", "TST001", "own")] == waived(report)

    def test_relative_to_config_file(self, tmp_path):
        """`waivers` in a configuration file is relative to that file."""
        (tmp_path / "conf").mkdir()
        self.write(
            tmp_path / "conf", "w.yaml", "- {engagement: a, rule: TST001, reason: r}\n"
        )
        cfg = self.write(tmp_path / "conf", "outsourcekit.toml", 'waivers = "w.yaml"\n')

        config = Config.from_file(cfg)

        assert tmp_path / "conf" / "w.yaml" == config.waivers
        assert [("a", "TST001", "r")] == waived(
            check(bare("a"), as_of=AS_OF, config=config, rules=[no_owner])
        )

    def test_unknown_key(self):
        """An unknown key in a waiver names the entry and suggests the key."""
        with pytest.raises(ConfigError) as info:
            parse_waivers(
                [{"engagement": "a", "rule": "X1", "reson": "r"}], source="w.yaml"
            )

        assert (
            "w.yaml: waivers[0].reson: unknown key 'reson' in a waiver "
            "(did you mean 'reason'?)" == str(info.value)
        )

    def test_missing_engagement(self):
        """A central waiver must say whose it is."""
        with pytest.raises(
            ConfigError, match=r"waivers\[1\]: a central waiver needs 'engagement'"
        ):
            parse_waivers([{"engagement": "a", "rule": "X1"}, {"rule": "X1"}])

    def test_bad_until(self):
        """`until` must be a date."""
        with pytest.raises(
            ConfigError,
            match=r"waivers\[0\].until: must be a date like 2026-12-31 \(got 'soon'\)",
        ):
            parse_waivers([{"engagement": "a", "rule": "X1", "until": "soon"}])

    def test_not_text(self):
        """A reason that is not text names its type."""
        with pytest.raises(
            ConfigError, match=r"reason: must be a string \(got False that is a bool\)"
        ):
            parse_waivers([{"engagement": "a", "rule": "X1", "reason": False}])

    def test_not_a_list(self):
        """The file holds a list of waivers."""
        with pytest.raises(
            ConfigError, match=r"must hold a list of waivers \(got str\)"
        ):
            parse_waivers({"waivers": "all"})

    def test_extensions_are_kept(self):
        """x- keys of a central waiver are kept as the waiver's extensions."""
        (entry,) = parse_waivers(
            [{"engagement": "a", "rule": "X1", "x-ticket": "OPS-1"}]
        )

        assert {"x-ticket": "OPS-1"} == entry.waiver.extensions

    def test_unreadable_file(self, tmp_path):
        """A missing waiver file fails the check naming the file."""
        config = Config(waivers=tmp_path / "missing.yaml")

        with pytest.raises(ConfigError, match=r"missing\.yaml: cannot be read"):
            check(bare(), as_of=AS_OF, config=config, rules=[no_owner])

    def test_invalid_yaml(self, tmp_path):
        """A file that does not parse names the file and the format."""
        path = self.write(tmp_path, "w.yaml", "- [unclosed\n")

        with pytest.raises(ConfigError, match=r"w\.yaml: is not valid YAML"):
            load_waiver_file(path)
