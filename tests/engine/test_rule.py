"""Tests of rule lookup, option names and a rule's text documentation."""

from __future__ import annotations

import pickle
import sys

import pytest
from rules_for_tests import AS_OF, BASIC, no_vision

from outsourcekit.engine import Option, UnknownRuleError, check, find_rule, rule
from outsourcekit.model import Engagement


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
