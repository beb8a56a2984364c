"""Enumerations of the engagement file format: lower-case words, one class each."""

from __future__ import annotations

import enum

from outsourcekit._shorten import short_repr

__all__ = [
    "AgreementKind",
    "Area",
    "ChannelKind",
    "Direction",
    "Experience",
    "ReviewOutcome",
    "SecurityReview",
    "Side",
    "Status",
    "TrialStatus",
    "VendorKind",
]


class _Choice(str, enum.Enum):
    """An enumeration whose values are the words written in engagement files.

    A member is the word it stands for: ``Status.ACTIVE == "active"``, it
    hashes like the word and ``str()`` gives the word. Members have no order
    (``<`` is refused, with words too: text would compare alphabetically).
    """

    def __str__(self) -> str:
        return str(self.value)

    def __lt__(self, other: object) -> bool:
        raise _unordered(self, other)

    def __le__(self, other: object) -> bool:
        raise _unordered(self, other)

    def __gt__(self, other: object) -> bool:
        raise _unordered(self, other)

    def __ge__(self, other: object) -> bool:
        raise _unordered(self, other)

    @classmethod
    def choices(cls) -> tuple[str, ...]:
        """Return the allowed words, in declaration order."""
        return tuple(str(m.value) for m in cls)


def _unordered(member: _Choice, other: object) -> TypeError:
    """Return the error of ordering *member*, whose enumeration has no order."""
    shown = other.value if isinstance(other, _Choice) else other
    return TypeError(
        f"{type(member).__name__} has no order: {member.value!r} and "
        f"{short_repr(shown, 40)} cannot be compared by size"
    )


class Status(_Choice):
    """Where an engagement stands in its life."""

    PROPOSED = "proposed"
    TRIAL = "trial"
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class Experience(_Choice):
    """How much outsourcing the client has done before."""

    FIRST = "first"
    SOME = "some"
    EXPERIENCED = "experienced"


class VendorKind(_Choice):
    """What kind of outside partner does the work."""

    FREELANCER = "freelancer"
    AGENCY = "agency"
    BPO = "bpo"


class SecurityReview(_Choice):
    """The outcome of a review of the vendor's security practices."""

    NONE = "none"
    PASSED = "passed"
    FAILED = "failed"


class TrialStatus(_Choice):
    """The state of a trial project with the vendor."""

    NONE = "none"
    PLANNED = "planned"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class Area(_Choice):
    """The area of work a task belongs to."""

    ADMIN = "admin"
    DATA_ENTRY = "data-entry"
    SOCIAL_MEDIA = "social-media"
    IT = "it"
    SOFTWARE = "software"
    CUSTOMER_SUPPORT = "customer-support"
    FINANCE = "finance"
    HR = "hr"
    RESEARCH = "research"
    MARKETING = "marketing"
    OTHER = "other"


class AgreementKind(_Choice):
    """The kind of a written agreement."""

    CONTRACT = "contract"
    MSA = "msa"
    SOW = "sow"
    SLA = "sla"
    NDA = "nda"
    DPA = "dpa"


class ChannelKind(_Choice):
    """The kind of a communication channel."""

    EMAIL = "email"
    CHAT = "chat"
    VIDEO = "video"
    PHONE = "phone"
    PM_TOOL = "pm-tool"
    OTHER = "other"


class Direction(_Choice):
    """Which way a KPI's value is better."""

    LOWER = "lower"
    HIGHER = "higher"


class Side(_Choice):
    """Which party did something."""

    CLIENT = "client"
    VENDOR = "vendor"


class ReviewOutcome(_Choice):
    """The decision taken at a review of the relationship."""

    CONTINUE = "continue"
    ADJUST = "adjust"
    TERMINATE = "terminate"
