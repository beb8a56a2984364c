"""Tests of the file format's enumerations: each member is the word it stands for."""

from __future__ import annotations

import json
import pickle

import pytest
import tomli_w

import outsourcekit as ok
from outsourcekit.model import (
    Engagement,
    SecurityReview,
    Status,
    TrialStatus,
    VendorKind,
    _enums,
)

#: Every enumeration of the file format.
ENUMS = tuple(getattr(_enums, name) for name in _enums.__all__)
MEMBERS = [member for enum in ENUMS for member in enum]


@pytest.mark.parametrize("member", MEMBERS, ids=repr)
def test_member_is_its_word(member):
    """Each member equals its word, hashes as it, and shows as it."""
    word = member.value

    assert (True, False, True) == (member == word, member != word, word == member)
    assert hash(word) == hash(member)
    assert {word: 1}[member] == 1
    assert {member: 1}[word] == 1
    assert (word, word) == (str(member), f"{member}")
    assert type(member)(word) is member


def test_engagements_filtered_by_word():
    """Engagements are picked by the word of their status."""
    engagements = [
        ok.from_dict({"id": "a", "status": "active"}),
        ok.from_dict({"id": "b", "status": "ended"}),
        Engagement(id="c", status=Status.ACTIVE),
    ]

    assert ["a", "c"] == [e.id for e in engagements if e.status == "active"]
    assert ["b"] == [e.id for e in engagements if e.status in {"paused", "ended"}]
    assert Status.ACTIVE is engagements[0].status


def test_other_words_differ():
    """A member equals no other word, and no member of another enumeration."""
    assert Status.ACTIVE != "Active"
    assert Status.ACTIVE != Status.ENDED
    assert TrialStatus.FAILED == SecurityReview.FAILED  # both are the word "failed"
    assert TrialStatus.FAILED is not SecurityReview.FAILED


@pytest.mark.parametrize(
    ("compare", "shown"),
    [
        (lambda: Status.ACTIVE < Status.ENDED, "'ended'"),
        (lambda: Status.ACTIVE <= "ended", "'ended'"),
        (lambda: "ended" > Status.ACTIVE, "'ended'"),
        (lambda: Status.ACTIVE >= 3, "3"),
    ],
)
def test_members_have_no_order(compare, shown):
    """Members are not ordered, by each other or as text."""
    with pytest.raises(
        TypeError,
        match=rf"^Status has no order: 'active' and {shown} cannot be compared "
        r"by size$",
    ):
        compare()


def test_pickled_member_is_itself():
    """A member pickles to itself, and so does an engagement holding members."""
    eng = ok.from_dict({"id": "a", "status": "trial", "vendor": {"kind": "agency"}})
    back = pickle.loads(pickle.dumps(eng))  # noqa: S301 - own data

    assert MEMBERS == [pickle.loads(pickle.dumps(m)) for m in MEMBERS]  # noqa: S301
    assert (Status.TRIAL, VendorKind.AGENCY) == (back.status, back.vendor.kind)
    assert back.status is Status.TRIAL
    assert back == eng


def test_read_and_written_as_words():
    """Files read words into members, and write members as plain words."""
    eng = ok.from_dict({"id": "a", "status": "trial", "vendor": {"kind": "agency"}})
    data = ok.to_dict(eng)

    assert Status.TRIAL is eng.status
    assert VendorKind.AGENCY is eng.vendor.kind
    assert {"id": "a", "status": "trial", "vendor": {"kind": "agency"}} == data
    assert (str, str) == (type(data["status"]), type(data["vendor"]["kind"]))
    assert "status: trial\n" in ok.dumps(eng, format="yaml")
    assert '"status": "trial"' in ok.dumps(eng, format="json")
    assert 'status = "trial"' in ok.dumps(eng, format="toml")
    for fmt in ("yaml", "json", "toml"):
        assert eng == ok.loads(ok.dumps(eng, format=fmt), format=fmt)


def test_plain_dumpers_write_the_word():
    """Libraries that dump text write a member as its word."""
    assert '{"status": "active"}' == json.dumps({"status": Status.ACTIVE})
    assert '"active"' == json.dumps(Status.ACTIVE)
    assert 'status = "active"\n' == tomli_w.dumps({"status": Status.ACTIVE})
