"""Tests of rule lookup, options, option names and a rule's text documentation."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from rules_for_tests import AS_OF, BASIC, no_vision

from outsourcekit.engine import (
    Config,
    Option,
    Severity,
    UnknownRuleError,
    check,
    find_rule,
    rule,
)
from outsourcekit.engine._rule import _duration_text
from outsourcekit.model import Duration, Engagement
from outsourcekit.model._values import MAX_DURATION


@rule(
    code="DOC001",
    slug="documented",
    title="A documented rule",
    category="clarity",
    severity="warning",
    fix="Do the thing.",
    options={"max-days": Option(default=30, help="days allowed"), "strict": False},
    sources=["B1"],
)
def documented(_engagement, _ctx):
    """Checks a thing.

    ## What it checks
    The thing.

    ## Why it matters
    Things matter.

    ## How to fix
    Do it.

    ## Example
    `thing: yes`
    """
    return ()


class TestFindRule:
    @pytest.mark.parametrize("name", ["TST003", "tst003", "no-vision-here"])
    def test_by_code_or_slug(self, name):
        """A rule is found by code (any case) or slug."""
        assert no_vision is find_rule(name, BASIC)

    def test_unknown(self):
        """An unknown name suggests the closest code or slug."""
        with pytest.raises(UnknownRuleError) as info:
            find_rule("no-vison", BASIC)

        assert (
            "no rule has the code or slug 'no-vison' (did you mean 'no-vision-here'?)",
            "no-vision-here",
        ) == (
            str(info.value),
            info.value.suggestion,
        )


class TestOptionName:
    @pytest.mark.parametrize(
        ("asked", "own"),
        [("max-days", "max-days"), ("max_days", "max-days"), ("maxdays", None)],
    )
    def test_spellings(self, asked, own):
        """Kebab and snake spellings name the same option."""
        assert own == documented.option_name(asked)


class TestNumberOption:
    @pytest.mark.parametrize(
        ("option", "given", "message"),
        [
            (
                Option(default=2.0, minimum=Decimal(1)),
                0.5,
                "option 'x' must be at least 1 (got 0.5)",
            ),
            (
                Option(default=2.0, minimum=Fraction(1, 2)),
                0.25,
                "option 'x' must be at least 1/2 (got 0.25)",
            ),
            (
                Option(default=2, maximum=Decimal("2.5")),
                3,
                "option 'x' must be at most 2.5 (got 3)",
            ),
            (
                Option(default=2.0, maximum=Fraction(5, 2)),
                3,
                "option 'x' must be at most 5/2 (got 3.0)",
            ),
        ],
    )
    def test_bounds_of_any_real_number(self, option, given, message):
        """A Decimal or Fraction bound applies as an int or float one does."""
        with pytest.raises(ValueError, match=r"^option 'x' must be ") as info:
            option.validate("x", given)

        assert message == str(info.value)
        assert 2 == option.validate("x", 2)

    @pytest.mark.parametrize(
        ("bound", "message"),
        [
            ("1", "the minimum of an option of type float must be a number (got '1')"),
            (
                True,
                "the minimum of an option of type float must be a number (got True)",
            ),
            (
                float("nan"),
                (
                    "the minimum of an option of type float must be a number, not "
                    "NaN (got nan)"
                ),
            ),
            (
                Decimal("NaN"),
                (
                    "the minimum of an option of type float must be a number, not "
                    "NaN (got Decimal('NaN'))"
                ),
            ),
        ],
    )
    def test_bounds_that_are_no_number(self, bound, message):
        """A bound that is no number, or no number any value is above, is refused."""
        with pytest.raises(TypeError) as info:
            Option(default=2.0, minimum=bound)

        assert message == str(info.value)


#: A duration option: at least 15 minutes, at most a week.
WINDOW = Option(
    default=dt.timedelta(hours=2),
    help="How long to wait.",
    minimum=dt.timedelta(minutes=15),
    maximum=dt.timedelta(weeks=1),
)


class TestDurationOption:
    def test_type(self):
        """An option whose default is a timedelta is a duration option."""
        assert dt.timedelta is WINDOW.type

    @pytest.mark.parametrize(
        ("given", "value"),
        [
            ("2h", dt.timedelta(hours=2)),
            ("90m", dt.timedelta(minutes=90)),
            ("1h30m", dt.timedelta(minutes=90)),
            ("PT1H30M", dt.timedelta(minutes=90)),
            ("2d", dt.timedelta(days=2)),
            ("1w", dt.timedelta(weeks=1)),
            ("15 minutes", dt.timedelta(minutes=15)),
            (Duration.parse("3h"), dt.timedelta(hours=3)),
            (dt.timedelta(hours=5), dt.timedelta(hours=5)),
        ],
    )
    def test_takes_durations(self, given, value):
        """Text as the file format writes durations, a Duration or a timedelta."""
        assert value == WINDOW.validate("window", given)

    @pytest.mark.parametrize(
        ("given", "problem"),
        [
            (2, "got 2 that is a whole number; a number needs a unit"),
            (True, "got True that is true or false"),
            ("2", "got '2'; a number needs a unit"),
            ("two hours", "got 'two hours'"),
            (
                "1 month",
                "got '1 month'; months and years vary in length: use days or weeks",
            ),
            (
                "2 business days",
                (
                    "got '2 business days'; business days are no fixed length of "
                    "time: use hours, days or weeks"
                ),
            ),
            (
                Duration.parse("1 business day"),
                (
                    "got '1 business day'; business days are no fixed length of "
                    "time: use hours, days or weeks"
                ),
            ),
            (["2h"], "got ['2h'] that is a list"),
            (None, "got None that is null"),
        ],
    )
    def test_refuses_what_is_no_fixed_duration(self, given, problem):
        """Numbers, business days and other values are refused, saying why."""
        with pytest.raises(ValueError, match=r"^option 'window' must be ") as info:
            WINDOW.validate("window", given)

        assert (
            f"option 'window' must be a duration such as 2h, 90m or PT1H30M ({problem})"
            == str(info.value)
        )

    @pytest.mark.parametrize(
        ("given", "message"),
        [
            ("10m", "option 'window' must be at least 15m (got '10m')"),
            (
                dt.timedelta(minutes=-5),
                "option 'window' must be at least 15m (got -5m)",
            ),
            ("8d", "option 'window' must be at most 7d (got '8d')"),
            (
                dt.timedelta(days=7, seconds=1),
                "option 'window' must be at most 7d (got 7d1s)",
            ),
        ],
    )
    def test_bounds(self, given, message):
        """minimum and maximum are durations too; the limits themselves are allowed."""
        with pytest.raises(ValueError, match=r"^option 'window' must be ") as info:
            WINDOW.validate("window", given)

        assert message == str(info.value)
        assert dt.timedelta(minutes=15) == WINDOW.validate("window", "15m")
        assert dt.timedelta(weeks=1) == WINDOW.validate("window", "P7D")

    def test_bounds_of_another_kind(self):
        """A duration option's bounds are timedeltas; a number option's are not."""
        with pytest.raises(TypeError) as duration:
            Option(default=dt.timedelta(hours=2), minimum=0)
        with pytest.raises(TypeError) as number:
            Option(default=2, maximum=dt.timedelta(hours=2))

        assert (
            "the minimum of a duration option must be a datetime.timedelta (got 0)",
            (
                "the maximum of an option of type int must be a number, not a "
                "duration (got datetime.timedelta(seconds=7200))"
            ),
        ) == (str(duration.value), str(number.value))

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (dt.timedelta(hours=2), "2h"),
            (dt.timedelta(minutes=90), "1h30m"),
            (dt.timedelta(minutes=45), "45m"),
            (dt.timedelta(days=2), "2d"),
            (dt.timedelta(days=1, hours=6), "1d6h"),
            (dt.timedelta(seconds=90.25), "1m30.25s"),
            (dt.timedelta(0), "0h"),
            (dt.timedelta(minutes=-30), "-30m"),
        ],
    )
    def test_written_as_configuration_writes_it(self, value, text):
        """A duration shows as the file format writes it, for TOML, JSON and YAML."""
        option = Option(default=value)

        assert (text, f'"{text}"') == (
            option.to_config(value),
            option.config_text(value),
        )

    def test_other_values_as_they_are(self):
        """to_config leaves other values alone; config_text writes them for TOML."""
        assert (5, "5", "true", '"x"') == (
            Option(default=5).to_config(5),
            Option(default=5).config_text(5),
            Option(default=True).config_text(True),
            Option(default="x").config_text("x"),
        )

    @given(st.timedeltas(min_value=dt.timedelta(0), max_value=MAX_DURATION))
    def test_text_reads_back(self, value):
        """The text of a duration reads back as the same duration."""
        assert value == Duration.parse(_duration_text(value)).timedelta

    def test_explain_and_checks(self):
        """explain shows the duration's text; a check gets the timedelta."""
        seen = []

        @rule(
            code="DUR001",
            slug="waits",
            title="Waits",
            category="clarity",
            severity="info",
            fix="f",
            options={"window": WINDOW},
        )
        def waits(_engagement, ctx):
            seen.append(ctx.options["window"])
            return ()

        check(
            Engagement(id="a"),
            as_of=AS_OF,
            rules=[waits],
            config=Config(rules={"waits": {"window": "PT45M"}}),
        )

        assert [dt.timedelta(minutes=45)] == seen
        assert '  window = "2h"  (How long to wait.)\n' in waits.explain()


class TestExplain:
    def test_text(self):
        """The text gives metadata, options with defaults, the sections and the fix."""
        assert (
            "DOC001 documented: A documented rule\n"
            "\n"
            "Category: clarity\n"
            "Severity: warning\n"
            "Sources: B1\n"
            "Options:\n"
            "  max-days = 30  (days allowed)\n"
            "  strict = false\n"
            "\n"
            "What it checks\n--------------\nThe thing.\n"
            "\n"
            "Why it matters\n--------------\nThings matter.\n"
            "\n"
            "How to fix\n----------\nDo it.\n"
            "\n"
            "Example\n-------\n`thing: yes`\n"
            "\n"
            "Fix: Do the thing.\n"
        ) == documented.explain()

    def test_derived_default(self):
        """An option without a default shows `(derived)`, which no one can write."""

        @rule(
            code="DOC002",
            slug="derives",
            title="Derives its limit",
            category="clarity",
            severity="info",
            fix="f",
            options={"limit": Option(default=None, type=int, help="unset: from x")},
        )
        def derives(_engagement, _ctx):
            return ()

        assert "Options:\n  limit = (derived)  (unset: from x)\n" in derives.explain()
        assert "(derived)" == derives.options["limit"].default_text()
        assert "30" == documented.options["max-days"].default_text()

    def test_plugin_and_plain_doc(self):
        """A rule without sections shows its whole docstring, and its plugin."""
        text = no_vision.with_plugin("acme").explain()

        assert "Plugin: acme\n" in text
        assert "\nFires without a vision at least `min-length` long.\n" in text
        assert "  min-length = 1  (shortest useful vision)\n" in text


class TestPickling:
    def test_a_rule_of_the_main_script_travels_by_value(self, monkeypatch):
        """A rule made in a notebook or script is sent with its code, not by name.

        Another process (a Dask worker) has a ``__main__`` of its own, without
        the rule: by name, it could not be found there.
        """
        cloudpickle = pytest.importorskip("cloudpickle")
        main = sys.modules["__main__"]

        def in_main(engagement, ctx):
            if not engagement.title:
                yield ctx.finding("No title", path="title")

        in_main.__module__ = "__main__"
        in_main.__qualname__ = "in_main"
        made = rule(
            code="TST990",
            slug="main-title",
            title="t",
            category="clarity",
            severity="info",
            fix="f",
        )(in_main)
        monkeypatch.setattr(main, "in_main", made, raising=False)

        sent = cloudpickle.dumps(made)
        back = pickle.loads(sent)  # noqa: S301 - own data

        assert b"_named_rule" not in sent
        assert ["No title"] == [
            f.message
            for f in check(Engagement(id="a"), as_of=AS_OF, rules=[back]).findings
        ]

    def test_a_rule_of_a_module_travels_by_name(self):
        """A rule made at the top of a module is sent as its name there."""
        assert b"_named_rule" in pickle.dumps(no_vision)
        assert pickle.loads(pickle.dumps(no_vision)) == no_vision  # noqa: S301


class TestSeverity:
    def test_equals_its_word(self):
        """A severity equals the word it stands for, and no other."""
        assert [True, True, True] == [s == s.value for s in Severity]
        assert Severity.ERROR == "error"
        assert "error" == Severity.ERROR
        assert Severity.ERROR != "warning"
        assert Severity.ERROR != "ERROR"
        assert Severity.WARNING != Severity.ERROR

    def test_findings_filtered_by_word(self):
        """Findings are picked by their severity's word."""
        report = check(Engagement(id="a"), as_of=AS_OF, rules=BASIC)

        assert ["TST002"] == [f.rule for f in report.findings if f.severity == "error"]
        assert ["TST001", "TST003"] == sorted(
            f.rule for f in report.findings if f.severity in {"warning", "info"}
        )

    def test_hashes_as_its_word(self):
        """A severity hashes as its word: mappings keyed either way find it."""
        by_word = {"error": 15, "warning": 6, "info": 2}
        by_severity = {Severity.ERROR: 15, Severity.WARNING: 6, Severity.INFO: 2}

        assert [hash(s.value) for s in Severity] == [hash(s) for s in Severity]
        assert [2, 6, 15] == [by_word[s] for s in Severity]
        assert [15, 6, 2] == [by_severity[w] for w in ("error", "warning", "info")]
        assert {"error"} == {Severity.ERROR, "error"}

    def test_orders_among_severities(self):
        """Severities keep their order, info < warning < error."""
        info, warning, error = Severity.INFO, Severity.WARNING, Severity.ERROR

        assert [info, warning, error] == sorted([error, info, warning])
        assert (True, True, True, True) == (
            info < warning,
            error > warning,
            warning <= Severity.WARNING,
            error >= info,
        )
        assert not error < info

    @pytest.mark.parametrize(
        "compare",
        [
            lambda s: s < "info",
            lambda s: s <= "info",
            lambda s: "info" > s,
            lambda s: "info" >= s,
        ],
    )
    def test_refuses_to_order_with_a_word(self, compare):
        """A word is no severity to order by: as text, "error" < "info"."""
        with pytest.raises(
            TypeError,
            match=r"^severities order only among themselves "
            r"\(info < warning < error\), not with 'info': "
            r"compare with Severity\.parse\('info'\)$",
        ):
            compare(Severity.ERROR)

    def test_refuses_to_order_with_anything_else(self):
        """A severity orders with nothing but severities."""
        with pytest.raises(
            TypeError,
            match=r"^severities order only among themselves "
            r"\(info < warning < error\), not with 2$",
        ):
            Severity.ERROR > 2  # noqa: B015 - the comparison raises

    def test_text_and_identity(self):
        """str() and formatting give the word; parsing gives the member itself."""
        assert ["info", "warning", "error"] == [str(s) for s in Severity]
        assert "[  error]" == f"[{Severity.ERROR:>7}]"
        assert "<Severity.ERROR: 'error'>" == repr(Severity.ERROR)
        assert Severity.parse("error") is Severity.ERROR
        assert Severity("warning") is Severity.WARNING

    def test_dumps_as_its_word(self):
        """JSON and YAML write a severity as its word."""
        assert '["info", "warning", "error"]' == json.dumps(list(Severity))
        finding = check(Engagement(id="a"), as_of=AS_OF, rules=BASIC).findings[0]
        assert "severity: error\n" in yaml.safe_dump(finding.to_dict())
        assert str is type(finding.to_dict()["severity"])

    def test_pickles_as_itself(self):
        """A pickled severity (a finding's, sent by a worker) is the same member."""
        report = check(Engagement(id="a"), as_of=AS_OF, rules=BASIC)
        back = pickle.loads(pickle.dumps(report.findings))  # noqa: S301 - own data

        assert list(Severity) == [
            pickle.loads(pickle.dumps(s))  # noqa: S301 - own data
            for s in Severity
        ]
        assert all(
            a.severity is b.severity for a, b in zip(back, report.findings, strict=True)
        )
