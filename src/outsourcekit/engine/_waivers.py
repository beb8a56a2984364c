"""Waivers: accepted findings, from engagements and from a central waiver file.

The engine reads no files: a central waiver file is read by
:func:`outsourcekit.config.read_waivers` into :class:`CentralWaiver` entries.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - evaluated by the API docs
import fnmatch
from collections.abc import Iterable, Mapping, Sequence  # noqa: TC003 - evaluated by the API docs
from typing import TYPE_CHECKING, Literal, TypeAlias

import attrs

from outsourcekit.model import Engagement, Waiver

if TYPE_CHECKING:
    from ._finding import Finding

__all__ = [
    "CentralWaiver",
    "WaiverIndex",
    "apply_waivers",
    "waiver_matches",
]

_GLOB_CHARS = frozenset("*?[")


@attrs.frozen(kw_only=True)
class CentralWaiver:
    """A waiver kept apart from the engagements: a waiver plus whose it is.

    ``engagement`` is an engagement id or an ``fnmatch`` glob of ids
    (``acme-*``), matched case-sensitively. ``source``, ``key`` and ``line`` say
    where the entry's rule is written (``waivers.yaml``, ``waivers[2].rule``, 9),
    for messages, and ``entry_line`` where the entry starts (8), where the
    findings about the entry (OSK901, OSK902, OSK905) are placed; they are
    None for an entry made in Python, and not compared.
    """

    engagement: str
    waiver: Waiver
    source: str | None = attrs.field(default=None, eq=False)
    key: str | None = attrs.field(default=None, eq=False)
    line: int | None = attrs.field(default=None, eq=False)
    entry_line: int | None = attrs.field(default=None, eq=False)

    @property
    def is_glob(self) -> bool:
        """Whether ``engagement`` is a glob rather than one id."""
        return not _GLOB_CHARS.isdisjoint(self.engagement)

    def concerns(self, engagement_id: str) -> bool:
        """Return whether the waiver is about the engagement with this id."""
        if self.is_glob:
            return fnmatch.fnmatchcase(engagement_id, self.engagement)
        return engagement_id == self.engagement


def waiver_matches(waiver: Waiver, finding: Finding) -> bool:
    """Return whether *waiver* names *finding*: its rule (code or slug) and its path.

    Whether the waiver is usable (has a reason, is not expired) is not asked here.
    """
    name = waiver.rule
    if name not in {finding.rule, finding.slug} and name.upper() != finding.rule:
        return False
    return waiver.path is None or waiver.path == finding.path


def _usable(waiver: Waiver, as_of: dt.date) -> bool:
    return waiver.has_reason and not waiver.is_expired(as_of)


#: A usable waiver and where it is kept, as ``Finding.waived_in`` says it:
#: ``"engagement"`` (the engagement's own ``waivers:``) or ``"central"``.
_Placed: TypeAlias = tuple[Waiver, Literal["engagement", "central"]]


class WaiverIndex:
    """The waivers that concern each engagement of one run, looked up by id.

    An engagement's own waivers come first, then the central file's in file order.
    """

    __slots__ = (
        "_as_of",
        "_cache",
        "_central",
        "_exact",
        "_globs",
        "_own",
        "_placed",
        "_sizes",
        "_usable",
    )

    def __init__(
        self,
        engagements: Iterable[Engagement],
        central: Sequence[CentralWaiver] = (),
        *,
        as_of: dt.date,
    ) -> None:
        self._as_of = as_of
        self._own: dict[str, tuple[Waiver, ...]] = {
            e.id: e.waivers for e in engagements if e.waivers
        }
        # Each entry with its place in the file; globs by the fixed text they
        # start with, so that an id is matched only against those it starts
        # with, however many globs the file has.
        self._exact: dict[str, list[tuple[int, CentralWaiver]]] = {}
        self._globs: dict[str, list[tuple[int, CentralWaiver]]] = {}
        for order, entry in enumerate(central):
            if entry.is_glob:
                start = _fixed_start(entry.engagement)
                self._globs.setdefault(start, []).append((order, entry))
            else:
                self._exact.setdefault(entry.engagement, []).append((order, entry))
        self._sizes = sorted({len(start) for start in self._globs})
        self._central: dict[str, tuple[CentralWaiver, ...]] = {}
        self._cache: dict[str, tuple[Waiver, ...]] = {}
        self._usable: dict[str, tuple[Waiver, ...]] = {}
        self._placed: dict[str, tuple[_Placed, ...]] = {}

    @classmethod
    def from_own(
        cls,
        own: Mapping[str, tuple[Waiver, ...]],
        central: Sequence[CentralWaiver] = (),
        *,
        as_of: dt.date,
    ) -> WaiverIndex:
        """Return the index of engagements' own waivers given by id, and *central*."""
        index = cls((), central, as_of=as_of)
        index._own = {k: v for k, v in own.items() if v}
        return index

    def waivers(self, engagement_id: str) -> tuple[Waiver, ...]:
        """Every waiver that concerns the engagement, usable or not."""
        found = self._cache.get(engagement_id)
        if found is None:
            found = (
                *self._own.get(engagement_id, ()),
                *(e.waiver for e in self.central(engagement_id)),
            )
            self._cache[engagement_id] = found
        return found

    def central(self, engagement_id: str) -> tuple[CentralWaiver, ...]:
        """Return the central file's entries that concern the engagement.

        In file order, whether an entry names the id or a glob, as
        :meth:`waivers` gives their waivers after the engagement's own.
        """
        found = self._central.get(engagement_id)
        if found is None:
            matched = list(self._exact.get(engagement_id, ()))
            for size in self._sizes:
                if size > len(engagement_id):
                    break
                for order, entry in self._globs.get(engagement_id[:size], ()):
                    if fnmatch.fnmatchcase(engagement_id, entry.engagement):
                        matched.append((order, entry))
            matched.sort(key=_order)
            found = tuple(entry for _, entry in matched)
            self._central[engagement_id] = found
        return found

    def __call__(self, engagement: Engagement) -> tuple[Waiver, ...]:
        """Every waiver that concerns *engagement* (the form `Context` asks for)."""
        return self.waivers(engagement.id)

    def usable(self, engagement_id: str) -> tuple[Waiver, ...]:
        """Return the waivers of the engagement that can apply (reasoned, unexpired)."""
        found = self._usable.get(engagement_id)
        if found is None:
            found = tuple(w for w, _ in self.placed(engagement_id))
            self._usable[engagement_id] = found
        return found

    def placed(self, engagement_id: str) -> tuple[_Placed, ...]:
        """Return the usable waivers of the engagement, each with where it is kept.

        In :meth:`usable`'s order, each as (waiver, ``"engagement"`` or
        ``"central"``): the engagement's own, then the central file's.
        """
        found = self._placed.get(engagement_id)
        if found is None:
            as_of = self._as_of
            own = len(self._own.get(engagement_id, ()))
            placed: list[_Placed] = []
            for i, w in enumerate(self.waivers(engagement_id)):
                if _usable(w, as_of):
                    placed.append((w, "engagement" if i < own else "central"))
            found = self._placed[engagement_id] = tuple(placed)
        return found

    def may_apply(self) -> bool:
        """Whether any waiver at all exists in this run."""
        return bool(self._own or self._exact or self._globs)


def _fixed_start(glob: str) -> str:
    """Return the text every id a glob matches starts with: up to its first ``*?[``."""
    for at, char in enumerate(glob):
        if char in _GLOB_CHARS:
            return glob[:at]
    return glob


def _order(placed: tuple[int, CentralWaiver]) -> int:
    return placed[0]


def apply_waivers(findings: list[Finding], index: WaiverIndex) -> list[Finding]:
    """Return *findings* with ``waived`` set where a usable waiver names them.

    The first matching waiver wins: ``waived`` is its reason, and ``waived_in``
    where it is kept (``"engagement"`` or ``"central"``). Findings no waiver
    names are kept as they are.
    """
    if not index.may_apply():
        return findings
    out: list[Finding] = []
    append = out.append
    placed = index.placed
    for finding in findings:
        for waiver, where in placed(finding.engagement):
            if waiver_matches(waiver, finding):
                finding = attrs.evolve(  # noqa: PLW2901
                    finding, waived=waiver.reason, waived_in=where
                )
                break
        append(finding)
    return out
