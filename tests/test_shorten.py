"""Tests of values shown in messages: cut to a length, marked where cut."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

import outsourcekit as ok
from outsourcekit._shorten import short_repr
from outsourcekit.model import Engagement


class TestShortRepr:
    def test_short_value_as_is(self):
        """A value whose repr fits is shown whole."""
        assert "'abc'" == short_repr("abc", 5)

    def test_long_value_cut_with_a_mark(self):
        """A longer one keeps its start and ends with an ellipsis, within the width."""
        shown = short_repr("x" * 100)

        assert ("'" + "x" * 58 + "…", 60) == (shown, len(shown))

    def test_width(self):
        """The width is the shown text's, the mark included."""
        assert "[1, …" == short_repr([1, 2, 3], 5)


class TestMessages:
    def test_long_path_given_as_engagements(self):
        """A long path in a message is cut with a mark, not cut off silently."""
        path = PurePosixPath("/work/" + "deep/" * 20 + "examples")

        with pytest.raises(TypeError) as raised:
            ok.check(path)

        assert (
            "check() expects Engagement objects (one, or an iterable of them), "
            "got PurePosixPath('/work/deep/deep/deep/deep/deep/deep/deep/"
            "dee… (a PurePosixPath): read files with outsourcekit.load()"
        ) == str(raised.value)

    def test_long_value_of_a_field(self):
        """The model's messages mark a long value they cut."""
        with pytest.raises(TypeError) as raised:
            Engagement(id="a", title=["t" * 100])

        assert str(raised.value).startswith(
            "'title' must be text (got ['" + "t" * 57 + "… that is a list)."
        )
