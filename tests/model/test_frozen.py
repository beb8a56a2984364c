"""Tests of frozen plain data: x- values and evidence, as immutable as the model."""

from __future__ import annotations

import array
import collections
import copy
import datetime as dt
import math
import pickle
import types

import pytest

import outsourcekit as ok
from evidence import with_evidence
from outsourcekit.engine import rule
from outsourcekit.model import Engagement, Selection, Task, Vendor, Vetting
from outsourcekit.model._engagement import MAX_NESTING
from outsourcekit.model._frozen import freeze

AS_OF = dt.date(2026, 11, 22)


class TestExtensions:
    def test_defaults_are_not_shared(self):
        """A portfolio's x- defaults are each engagement's own, read-only."""
        a, b = ok.loads("defaults: {x-d: {l: [1]}}\nengagements: [{id: a}, {id: b}]\n")

        with pytest.raises(AttributeError):
            a.extensions["x-d"]["l"].append(99)  # a tuple
        with pytest.raises(TypeError, match=r"^this mapping is read-only: build a"):
            a.extensions["x-d"]["m"] = 1
        with pytest.raises(TypeError, match=r"^this mapping is read-only"):
            a.extensions["x-e"] = object()
        assert {"x-d": {"l": (1,)}} == a.extensions == b.extensions
        assert a.extensions["x-d"] is not b.extensions["x-d"]

    def test_the_callers_data_is_copied(self):
        """from_dict keeps no reference to the caller's lists and dicts."""
        data = {"id": "c", "x-d": [1], "vendor": {"x-v": {"k": [2]}}}
        engagement = ok.from_dict(data)
        data["x-d"].append(2)
        data["vendor"]["x-v"]["k"].append(3)

        assert {"x-d": (1,)} == engagement.extensions
        assert {"x-v": {"k": (2,)}} == engagement.vendor.extensions

    def test_written_back_as_given(self):
        """Frozen in the model, x- values are written as the file had them."""
        text = "id: a\nx-d:\n  l:\n  - 1\n  - b:\n    - true\n    - null\n"
        engagement = ok.loads(text)

        assert ok.dumps(engagement, "yaml").endswith(text)
        assert {"l": [1, {"b": [True, None]}]} == ok.to_dict(engagement)["x-d"]
        assert engagement == ok.loads(ok.dumps(engagement, "json"), "json")

    def test_hashes_and_pickles(self):
        """An engagement with x- values pickles, copies and hashes."""
        engagement = ok.loads("id: a\nx-d: {l: [1, {m: n}]}\n")

        assert engagement == pickle.loads(pickle.dumps(engagement))  # noqa: S301
        assert engagement == copy.deepcopy(engagement)
        assert isinstance(hash(engagement), int)

    def test_nan_equal_after_pickling_and_copying(self):
        """An engagement holding NaN equals its pickled and its deep copies."""
        engagement = ok.loads(
            "id: a\nx-limit: .nan\nx-d: {l: [1, .nan, {m: .nan}]}\n"
            "vendor: {name: v, x-v: [.nan]}\n"
        )
        pickled = pickle.loads(pickle.dumps(engagement))  # noqa: S301 - own data

        assert engagement == pickled
        assert engagement == copy.deepcopy(engagement)
        assert engagement == copy.deepcopy(pickled)
        assert (math.nan, math.nan, math.nan, math.nan) == (
            pickled.extensions["x-limit"],
            pickled.extensions["x-d"]["l"][1],
            pickled.extensions["x-d"]["l"][2]["m"],
            pickled.vendor.extensions["x-v"][0],
        )

    def test_nesting_is_limited(self):
        """x- values nest at most MAX_NESTING levels: what every format writes back."""
        deep = 1
        for _ in range(MAX_NESTING):
            deep = [deep]
        ok.dumps(Engagement(id="a", extensions={"x-a": deep}), "yaml")

        with pytest.raises(
            ValueError, match=r"^x- values nest at most 100 levels \(deeper at x-a\["
        ):
            Engagement(id="a", extensions={"x-a": [deep]})
        text = '{"id": "a", "x-a": ' + "[" * 150 + "]" * 150 + "}"
        with pytest.raises(ok.LoadError) as info:
            ok.loads(text, "json")
        (issue,) = info.value.issues
        assert (issue.path, issue.line) == ("x-a", 1)
        assert issue.message.startswith("x- values nest at most 100 levels")


class TestLists:
    @pytest.mark.parametrize(
        "build",
        [
            lambda: Vendor(regions_served="GB"),
            lambda: Vendor(industries_served="retail"),
            lambda: Task(name="t", checklist="abc"),
            lambda: Selection(criteria={"price": 1}),
        ],
    )
    def test_text_is_no_list(self, build):
        """Text where a list belongs is refused, not split into its letters."""
        with pytest.raises(TypeError, match=r"^'[a-z_]+' must be a list \(got "):
            build()

    def test_lists_and_iterables_are_kept(self):
        """Any iterable of items is a list."""
        assert ("GB", "IE") == Vendor(regions_served=["GB", "IE"]).regions_served
        assert ("a", "b") == Task(name="t", checklist=iter(["a", "b"])).checklist

    def test_items_say_what_they_must_be(self):
        """A wrong item says what items are, in words."""
        with pytest.raises(
            TypeError,
            match=r"^'regions_served' must be text \(got 1 that is a whole number\)\.$",
        ):
            Vendor(regions_served=[1])


class TestCounts:
    @pytest.mark.parametrize("count", ["testimonials", "case_studies"])
    def test_counts_are_whole(self, count):
        """A count is a whole number, as a file must write it."""
        with pytest.raises(
            TypeError, match=rf"^'{count}' must be a whole number \(got 2\.5 that is"
        ):
            Vetting(**{count: 2.5})
        assert 2 == getattr(Vetting(**{count: 2}), count)

    def test_quotes_compared_are_whole(self):
        with pytest.raises(TypeError, match=r"must be a whole number \(got 1\.5"):
            Selection(quotes_compared=1.5)


@rule(
    code="TST701",
    slug="reused-evidence",
    title="t",
    category="governance",
    severity="info",
    fix="f",
)
def reuses_its_evidence(engagement, ctx):
    del engagement  # the findings are about it, their evidence is the point
    evidence = {"n": 0, "seen": []}
    for i in range(3):
        evidence["n"] = i
        evidence["seen"].append(i)
        yield ctx.finding(f"item {i}", path=f"tasks[{i}]", evidence=evidence)


class TestEvidence:
    def test_each_finding_keeps_its_own(self):
        """A rule reusing its dict for each finding does not change the earlier ones."""
        report = ok.check(
            ok.from_dict({"id": "a"}), rules=[reuses_its_evidence], as_of=AS_OF
        )

        assert [
            {"n": 0, "seen": (0,)},
            {"n": 1, "seen": (0, 1)},
            {"n": 2, "seen": (0, 1, 2)},
        ] == [f.evidence for f in report.findings]

    def test_read_only_and_hashable(self):
        """Evidence cannot be changed after the fact; findings hash, as sets need."""
        (finding, *_) = ok.check(
            ok.from_dict({"id": "a"}), rules=[reuses_its_evidence], as_of=AS_OF
        ).findings

        with pytest.raises(TypeError, match=r"^this mapping is read-only"):
            finding.evidence["n"] = 9
        assert finding in set(
            ok.check(
                ok.from_dict({"id": "a"}), rules=[reuses_its_evidence], as_of=AS_OF
            ).findings
        )

    def test_given_to_the_finding_is_copied(self):
        evidence = {"days": [3]}
        finding = with_evidence(evidence)
        evidence["days"].append(4)

        assert {"days": (3,)} == finding.evidence

    def test_sets_frozen_too(self):
        """A set in evidence is frozen: the finding hashes, and keeps it as given."""
        seen = {2, 1}
        evidence = {"seen": seen, "deeper": [{"ids": {"b", "a"}}]}
        finding = with_evidence(evidence)
        seen.add(3)

        assert (frozenset({1, 2}), frozenset({"a", "b"})) == (
            finding.evidence["seen"],
            finding.evidence["deeper"][0]["ids"],
        )
        assert hash(finding) == hash(pickle.loads(pickle.dumps(finding)))  # noqa: S301
        assert {"seen": [1, 2], "deeper": [{"ids": ["a", "b"]}]} == (
            finding.to_dict()["evidence"]
        )

    def test_sets_frozen_however_deep(self):
        """A set nested deeper than Python's recursion allows is frozen as well.

        Evidence nests at most MAX_NESTING levels (every output writes it):
        a set that deep in evidence is frozen as freeze() freezes it deeper.
        """
        for levels, frozen in [
            (5000, lambda data: freeze(data, sets=True)),
            (MAX_NESTING - 2, lambda data: with_evidence(data).evidence),
        ]:
            deep: object = {"ids": {1}}
            for _ in range(levels):
                deep = [deep]
            inner = frozen({"deep": deep})["deep"]
            while isinstance(inner, tuple):
                (inner,) = inner

            assert (frozenset, {1}) == (type(inner["ids"]), inner["ids"])

    def test_other_containers_frozen_too(self):
        """Mappings, sequences and byte arrays of other types are frozen as well.

        A rule may hand over a read-only view, a deque, a list subclass or a
        bytearray: the finding still hashes, and keeps them as they were given.
        """
        inner = {"x": [1]}
        given = {
            "view": types.MappingProxyType(inner),
            "chain": collections.ChainMap({"y": [2]}),
            "user": collections.UserDict({"z": [3]}),
            "queue": collections.deque([[4]]),
            "listed": type("Listed", (list,), {})([5, [6]]),
            "raw": bytearray(b"ab"),
        }
        finding = with_evidence(given)
        inner["x"].append(9)
        given["raw"].append(ord("c"))

        assert {
            "view": {"x": (1,)},
            "chain": {"y": (2,)},
            "user": {"z": (3,)},
            "queue": ((4,),),
            "listed": (5, (6,)),
            "raw": b"ab",
        } == finding.evidence
        assert hash(finding) == hash(pickle.loads(pickle.dumps(finding)))  # noqa: S301
        assert {"x": [1]} == finding.to_dict()["evidence"]["view"]

    def test_list_like_containers_and_views_frozen(self):
        """A UserList, an array and a dict's views are frozen as tuples.

        They change with what they came from (a view with its dict): the
        finding keeps what they held when it was made, and still hashes.
        """
        source = {"a": [1], "b": [2]}
        given = {
            "user": collections.UserList([[3]]),
            "numbers": array.array("i", [4, 5]),
            "keys": source.keys(),
            "values": source.values(),
            "items": source.items(),
        }
        finding = with_evidence(given)
        source["a"].append(9)
        source["c"] = [6]
        given["user"][0].append(9)

        assert {
            "user": ((3,),),
            "numbers": (4, 5),
            "keys": ("a", "b"),
            "values": ((1,), (2,)),
            "items": (("a", (1,)), ("b", (2,))),
        } == finding.evidence
        assert hash(finding) == hash(pickle.loads(pickle.dumps(finding)))  # noqa: S301
        assert [["a", [1]], ["b", [2]]] == finding.to_dict()["evidence"]["items"]

    def test_sets_in_x_values_still_refused(self):
        """x- values stay plain data: a set there is refused, shown as given."""
        with pytest.raises(
            TypeError, match=r"\(got \{1, 2\} that is a set at x-ids\)\.$"
        ):
            Engagement(id="a", extensions={"x-ids": {1, 2}})


class TestReports:
    def test_a_report_pickles_and_copies(self):
        """A report crosses to another process (pickled) and deep-copies."""
        report = ok.check(ok.load(ok.examples_path()), as_of=AS_OF)
        baseline = report.with_baseline(report)

        for made in (report, baseline):
            back = pickle.loads(pickle.dumps(made))  # noqa: S301 - own data
            assert back.findings == made.findings
            assert back.engagements == made.engagements
            assert copy.deepcopy(made).findings == made.findings
        assert dict(report.engagements[0].categories)
