"""Tests of waivers: from engagements and from a central waiver file."""

from __future__ import annotations

import datetime as dt

import pytest
from rules_for_tests import AS_OF, BASIC, bare, no_owner, waiver

from outsourcekit import check, engine
from outsourcekit.engine import CentralWaiver, Config, ConfigError
from outsourcekit.engine import _waivers as waivers_module
from outsourcekit.engine._waivers import WaiverIndex
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


def central(engagement, rule, reason="ok", until=None, **where):
    return CentralWaiver(
        engagement=engagement,
        waiver=Waiver(rule=rule, reason=reason, until=until),
        **where,
    )


class TestCentralWaivers:
    def test_glob(self):
        """A central waiver applies to the ids matching its glob."""
        config = Config(central_waivers=[central("acme-*", "TST001", "Shared pool")])
        engs = [bare("acme-books"), bare("acme-it"), bare("globex")]

        report = check(engs, as_of=AS_OF, config=config, rules=[no_owner])

        assert [
            ("acme-books", "TST001", "Shared pool"),
            ("acme-it", "TST001", "Shared pool"),
            ("globex", "TST001", None),
        ] == waived(report)

    def test_exact_id_and_expiry(self):
        """An exact id matches only that engagement, and `until` is honoured."""
        config = Config(
            central_waivers=[
                central("a", "TST001", "ok", dt.date(2026, 12, 31)),
                central("b", "TST001", "old", dt.date(2026, 1, 1)),
            ]
        )

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

    def test_file_order_whether_glob_or_id(self):
        """Of two central waivers that match, the first in the file wins."""
        config = Config(
            central_waivers=[
                central("acme-*", "TST001", "the glob, written first"),
                central("acme-books", "TST001", "the id, written second"),
                central("acme-it", "TST001", "the id, written first"),
                central("acme-i*", "TST001", "the glob, written second"),
            ]
        )
        engs = [bare("acme-books"), bare("acme-it")]

        report = check(engs, as_of=AS_OF, config=config, rules=[no_owner])

        assert [
            ("acme-books", "TST001", "the glob, written first"),
            ("acme-it", "TST001", "the glob, written first"),
        ] == waived(report)
        index = WaiverIndex(engs, config.central_waivers, as_of=AS_OF)
        assert [
            "the glob, written first",
            "the id, written first",
            "the glob, written second",
        ] == [e.waiver.reason for e in index.central("acme-it")]

    def test_globs_that_cannot_match_are_not_tried(self, monkeypatch):
        """An id is matched only against globs whose fixed start it has."""
        entries = [central(f"client{i}-*", "TST001") for i in range(200)]
        index = WaiverIndex([], [*entries, central("*-7", "TST001")], as_of=AS_OF)
        tried = []
        real = waivers_module.fnmatch.fnmatchcase

        def counting(name, pattern):
            tried.append(pattern)
            return real(name, pattern)

        monkeypatch.setattr(waivers_module.fnmatch, "fnmatchcase", counting)

        found = index.central("client12-7")

        assert (["client12-*", "*-7"], ["client12-*", "*-7"]) == (
            [e.engagement for e in found],
            sorted(tried, key=["client12-*", "*-7"].index),
        )

    def test_by_slug(self):
        """A central waiver may name the rule by its slug."""
        config = Config(central_waivers=[central("a", "no-owner-here", "slug")])

        report = check(bare("a"), as_of=AS_OF, config=config, rules=[no_owner])

        assert [("a", "TST001", "slug")] == waived(report)

    def test_engagement_waivers_come_first(self):
        """The engagement's own waiver wins over the central one."""
        eng = bare("a", waivers=[waiver("TST001", "own")])
        config = Config(central_waivers=[central("a", "TST001", "central")])

        report = check(eng, as_of=AS_OF, config=config, rules=[no_owner])

        assert [("a", "TST001", "own")] == waived(report)

    def test_unknown_rule(self):
        """A central waiver naming no rule is a configuration error where it is."""
        entry = central("a", "no-owner", source="w.yaml", key="waivers[0].rule", line=3)
        config = Config(central_waivers=[entry])

        with pytest.raises(ConfigError) as info:
            check(bare("a"), as_of=AS_OF, config=config, rules=BASIC)

        assert (
            "w.yaml:3: waivers[0].rule: no rule has the code or slug 'no-owner' "
            "(did you mean 'no-owner-here'?)"
        ) == str(info.value)
        assert ("w.yaml", 3, "no-owner-here") == (
            info.value.source,
            info.value.line,
            info.value.suggestion,
        )

    def test_unknown_rule_made_in_python(self):
        """A central waiver made in Python is named by its place in the list."""
        config = Config(central_waivers=[central("a", "TST001"), central("a", "X9")])

        with pytest.raises(
            ConfigError,
            match=r"^central_waivers\[1\]\.rule: no rule has the code or slug 'X9'$",
        ):
            check(bare("a"), as_of=AS_OF, config=config, rules=BASIC)

    def test_code_in_lower_case(self):
        """A rule code is known whatever its case, as waivers match it."""
        config = Config(central_waivers=[central("a", "tst001", "lower")])

        report = check(bare("a"), as_of=AS_OF, config=config, rules=[no_owner])

        assert [("a", "TST001", "lower")] == waived(report)

    def test_entries_are_central_waivers(self):
        """central_waivers holds CentralWaiver entries only."""
        with pytest.raises(
            ConfigError, match=r"central_waivers\[0\]: must hold CentralWaiver"
        ):
            Config(central_waivers=[{"engagement": "a", "rule": "TST001"}])

    def test_where_is_not_compared(self):
        """Where an entry was read is for messages, not part of its value."""
        assert central("a", "TST001") == central(
            "a", "TST001", source="w.yaml", key="waivers[0].rule", line=2
        )

    def test_engine_reads_no_waiver_file(self, tmp_path):
        """The engine refuses a waiver file it is handed unread, naming the readers."""
        path = tmp_path / "w.yaml"
        path.write_text("- {engagement: a, rule: TST001, reason: r}\n", "utf-8")

        with pytest.raises(
            ConfigError, match=r"is not read: the engine reads no files"
        ):
            engine.check(
                bare("a"), as_of=AS_OF, config=Config(waivers=path), rules=[no_owner]
            )

    def test_facade_reads_the_waiver_file(self, tmp_path):
        """outsourcekit.check reads the waiver file a configuration names."""
        path = tmp_path / "w.yaml"
        path.write_text("- {engagement: a, rule: TST001, reason: r}\n", "utf-8")

        report = check(
            bare("a"), as_of=AS_OF, config=Config(waivers=path), rules=[no_owner]
        )

        assert [("a", "TST001", "r")] == waived(report)

    def test_load_waivers_is_deprecated(self):
        """Config.load_waivers() still gives the entries, naming the new place."""
        entries = (central("a", "TST001"),)

        with pytest.warns(DeprecationWarning, match=r"Config\.central_waivers"):
            found = Config(central_waivers=entries).load_waivers()

        assert entries == found


class TestPlaceholderReason:
    @pytest.mark.parametrize("reason", ["TBD", "n/a", " - ", "todo."])
    def test_placeholder_reason_does_not_apply(self, reason):
        """A waiver whose reason is a placeholder waives nothing, as OSK902 says."""
        eng = bare("a", waivers=[Waiver(rule="TST001", reason=reason)])

        report = check(eng, as_of=AS_OF, rules=[no_owner])

        assert [("a", "TST001", None)] == waived(report)


class TestWhereTheWaiverIsKept:
    def test_own_and_central(self):
        """A finding records whether its waiver is the engagement's own or central."""
        engs = [bare("a", waivers=[waiver("TST001", "own")]), bare("b"), bare("c")]
        config = Config(central_waivers=[central("b", "TST001", "central")])

        report = check(engs, as_of=AS_OF, config=config, rules=[no_owner])

        assert [
            ("a", "own", "engagement"),
            ("b", "central", "central"),
            ("c", None, None),
        ] == [(f.engagement, f.waived, f.waived_in) for f in report.findings]

    def test_own_waiver_comes_first(self):
        """When both apply, the engagement's own waiver is the one recorded."""
        eng = bare("a", waivers=[waiver("TST001", "own")])
        config = Config(central_waivers=[central("a", "TST001", "central")])

        report = check(eng, as_of=AS_OF, config=config, rules=[no_owner])

        assert [("own", "engagement")] == [
            (f.waived, f.waived_in) for f in report.findings
        ]

    def test_central_after_an_unusable_own_waiver(self):
        """An expired own waiver leaves the finding to the central one."""
        day_before = AS_OF - dt.timedelta(days=1)
        eng = bare("a", waivers=[waiver("TST001", "old", until=day_before)])
        config = Config(central_waivers=[central("a", "TST001", "central")])

        report = check(eng, as_of=AS_OF, config=config, rules=[no_owner])

        assert [("central", "central")] == [
            (f.waived, f.waived_in) for f in report.findings
        ]

    def test_not_in_the_document(self):
        """waived_in is not part of the JSON document, nor of a finding's equality."""
        eng = bare("a", waivers=[waiver("TST001", "own")])
        report = check(eng, as_of=AS_OF, rules=[no_owner])

        back = engine.Report.from_dict(report.to_dict())

        assert "waived_in" not in report.to_dict()["findings"][0]
        assert [None] == [f.waived_in for f in back.findings]
        assert back.findings == report.findings
