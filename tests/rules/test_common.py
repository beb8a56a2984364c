"""Tests for the helpers the built-in rules share (placeholders, names, words)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st

from outsourcekit.builtin.rules._common import (
    PLACEHOLDERS,
    any_stated,
    client_name,
    explained,
    given,
    is_placeholder,
    item_path,
    item_paths,
    missing,
    monday,
    number_word,
    placeholders_note,
    plural,
    says_nothing,
    stated,
    unstated,
    unstated_list,
    unstated_note,
    vendor_label,
    vendor_name,
)
from outsourcekit.io import format_path
from outsourcekit.model import Party, Task, Vendor

#: Texts near the placeholders: cased, padded, punctuated, blank, and real text.
_TEXTS = st.one_of(
    st.text(),
    st.sampled_from(sorted(PLACEHOLDERS)).flatmap(
        lambda w: st.tuples(
            st.sampled_from(["", " ", "\t", "  "]),
            st.sampled_from([w, w.upper(), w.title()]),
            st.sampled_from(["", ".", "!?", " .", "\u3002", " "]),
        ).map("".join)
    ),
    st.sampled_from(["", " ", "...", "Import feeds", "TBD later", "n/a."]),
)


class TestPlaceholders:
    def test_the_list_of_rules_md(self):
        """The placeholders are exactly those rules.md lists."""
        assert {
            "tbd",
            "tba",
            "todo",
            "to do",
            "n/a",
            "na",
            "none",
            "-",
            "--",
            "?",
            "xxx",
            "placeholder",
            "later",
        } == set(PLACEHOLDERS)

    @pytest.mark.parametrize("word", sorted(PLACEHOLDERS))
    def test_every_word_in_any_case(self, word):
        """Each placeholder says nothing, in lower, upper and title case."""
        assert [True, True, True] == [
            is_placeholder(word),
            is_placeholder(word.upper()),
            is_placeholder(word.title()),
        ]

    @pytest.mark.parametrize(
        "text",
        ["", " ", "\t\n", " TBD ", "TBD.", "tbd!", "TODO:", "n/a.", "To do...", "?!"],
    )
    def test_blanks_and_trailing_punctuation(self, text):
        """Empty, blank, and placeholders with blanks or trailing punctuation."""
        assert is_placeholder(text)

    @pytest.mark.parametrize(
        "text",
        [
            "TBD by legal",
            "Dana Reyes",
            "docs/exit.md",
            "(TBD)",
            "to-do",
            "n.a.",
            "nothing yet",
            "Nat",
            "x",
        ],
    )
    def test_real_text(self, text):
        """Text that states something, even short, is not a placeholder."""
        assert not is_placeholder(text)

    def test_missing_and_given(self):
        """Absent, blank and placeholder texts are missing; the rest is given."""
        texts = [None, "", "  ", "TBD", "Monthly, net 15"]

        assert [True, True, True, True, False] == [missing(t) for t in texts]
        assert [False, False, False, False, True] == [given(t) for t in texts]

    @hypothesis_given(st.text())
    def test_given_is_not_missing(self, text):
        """given() is the opposite of missing() for every text."""
        assert given(text) is not missing(text)

    @hypothesis_given(_TEXTS)
    def test_says_nothing_is_is_placeholder(self, text):
        """The remembered answer is is_placeholder's, asked first or again."""
        assert [is_placeholder(text)] * 2 == [says_nothing(text), says_nothing(text)]

    def test_says_nothing_remembers_a_bounded_number_of_texts(self):
        """The cache of answers has a fixed size, so it cannot grow without end."""
        assert 8192 == says_nothing.cache_info().maxsize

    @hypothesis_given(st.one_of(st.none(), st.lists(_TEXTS, max_size=5)))
    def test_any_stated_is_stated(self, texts):
        """any_stated() says whether stated() keeps an entry."""
        assert bool(stated(texts)) is any_stated(texts)

    def test_stated_drops_placeholders(self):
        """A list keeps what it states; a list of placeholders is empty."""
        assert ("Import feeds", "Match") == stated(["Import feeds", "TBD", "Match"])
        assert () == stated(["tbd", "n/a", " "])
        assert () == stated(None)


class TestItemPaths:
    def test_unique_names_and_the_rest(self):
        """Unique names make the path; a repeated or absent name gives the index."""
        tasks = [Task(name="a"), Task(name="b"), Task(), Task(name="b"), Task(name="c")]

        assert [
            "tasks[a]",
            "tasks[1]",
            "tasks[2]",
            "tasks[3]",
            "tasks[c]",
        ] == item_paths("tasks", tasks)

    def test_names_that_do_not_read_back(self):
        """A name that reads as an index, is empty or holds brackets gives the index."""
        tasks = [Task(name=n) for n in ["Reconcile", "0", "a[b]", "", "]", "12"]]

        assert [
            "tasks[Reconcile]",
            "tasks[1]",
            "tasks[2]",
            "tasks[3]",
            "tasks[4]",
            "tasks[5]",
        ] == item_paths("tasks", tasks)
        assert "tasks[1]" == item_path("tasks", tasks, 1)

    @hypothesis_given(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=3),
                st.sampled_from(["", "0", "01", "a", "a[b]", "[", "]", "a.b", " "]),
            ),
            max_size=8,
        )
    )
    def test_as_format_path_writes(self, names):
        """The rules' paths are format_path's for the same items, as plain data."""
        tasks = [Task(name=n) for n in names]
        data = {"tasks": [{} if n is None else {"name": n} for n in names]}

        expected = [format_path(("tasks", i), data) for i in range(len(names))]

        assert expected == item_paths("tasks", tasks)
        assert expected == [item_path("tasks", tasks, i) for i in range(len(tasks))]
        assert [
            f"data.file_sharing{path[len('tasks') :]}" for path in expected
        ] == item_paths("data.file_sharing", tasks)

    @hypothesis_given(
        st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "0"]))),
    )
    def test_item_paths_is_item_path(self, names):
        """The paths of a whole list are each item's path asked on its own."""
        tasks = [Task(name=n) for n in names]

        assert [item_path("tasks", tasks, i) for i in range(len(tasks))] == item_paths(
            "tasks", tasks
        )


class TestNotes:
    def test_unstated_note(self):
        """A placeholder is shown trimmed; absent, blank and real texts give None."""
        assert [
            "a placeholder (`TBD`)",
            None,
            None,
            None,
        ] == [unstated_note(t) for t in (" TBD ", None, "  ", "docs/exit.md")]

    def test_placeholders_note(self):
        """A list of placeholders is shown; blanks are left out of it."""
        assert [
            "only a placeholder (`tbd`)",
            "only placeholders (`tbd`, `-`)",
            None,
            None,
            None,
        ] == [
            placeholders_note(texts)
            for texts in (["tbd"], ["tbd", " ", "-"], [" "], [], ["tbd", "Real"])
        ]

    def test_explained(self):
        """Notes follow the message after a colon, joined by "and"; None is left out."""
        assert "No vision" == explained("No vision", None)
        assert "No vision: the vision is a placeholder (`n/a`)" == explained(
            "No vision", unstated("the vision", "n/a")
        )
        assert "X: a lists only a placeholder (`?`) and b is a placeholder (`-`)" == (
            explained("X", unstated_list("a", ["?"]), None, unstated("b", "-"))
        )

    def test_verb(self):
        """A plural subject takes its own verb."""
        assert "its instructions are a placeholder (`TODO`)" == unstated(
            "its instructions", "TODO", "are"
        )


class TestNames:
    def test_vendor(self):
        """The vendor is named by its name, else its id; placeholders are unknown."""
        assert [
            "LedgerPros",
            "ledgerpros",
            "ledgerpros",
            "the vendor",
            "the vendor",
        ] == [
            vendor_name(v)
            for v in (
                Vendor(name="LedgerPros", id="ledgerpros"),
                Vendor(id="ledgerpros"),
                Vendor(name="TBD", id="ledgerpros"),
                Vendor(),
                None,
            )
        ]

    def test_vendor_label(self):
        """At the start of a sentence the vendor is "Vendor X" or "The vendor"."""
        assert ["Vendor LedgerPros", "The vendor"] == [
            vendor_label(Vendor(name="LedgerPros")),
            vendor_label(None),
        ]

    def test_client(self):
        """The client is named by its name, else "the client"."""
        assert ["Acme Ltd", "the client", "the client"] == [
            client_name(Party(name="Acme Ltd")),
            client_name(Party(name="n/a")),
            client_name(None),
        ]


class TestWords:
    def test_plural(self):
        """One thing is singular; others take an s or the given plural."""
        assert ["1 day", "2 days", "0 days", "3 check-ins", "2 criteria"] == [
            plural(1, "day"),
            plural(2, "day"),
            plural(0, "day"),
            plural(3, "check-in"),
            plural(2, "criterion", "criteria"),
        ]

    def test_number_word(self):
        """Counts up to ten are words, larger ones digits."""
        assert ["two", "three", "ten", "11"] == [number_word(n) for n in (2, 3, 10, 11)]

    @hypothesis_given(st.dates())
    def test_monday(self, day):
        """The Monday of a date's ISO week is a Monday at most six days before."""
        first = monday(day)

        assert (0, True) == (first.weekday(), 0 <= (day - first).days <= 6)

    def test_monday_of_a_sunday(self):
        """A Sunday belongs to the week that began six days earlier."""
        assert dt.date(2026, 11, 16) == monday(dt.date(2026, 11, 22))
