"""Waivers: accepted findings, from engagements and from a central waiver file."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from outsourcekit.model import Engagement, Waiver

from ._errors import ConfigError
from ._files import read_data
from ._names import suggest

if TYPE_CHECKING:
    from ._finding import Finding

__all__ = [
    "CentralWaiver",
    "WaiverIndex",
    "apply_waivers",
    "load_waiver_file",
    "parse_waivers",
    "waiver_matches",
]

_WAIVER_KEYS = ("engagement", "rule", "path", "reason", "until", "approved_by")
_GLOB_CHARS = frozenset("*?[")


@attrs.frozen(kw_only=True)
class CentralWaiver:
    """A waiver kept apart from the engagements: a waiver plus whose it is.

    ``engagement`` is an engagement id or an ``fnmatch`` glob of ids
    (``acme-*``), matched case-sensitively.
    """

    engagement: str
    waiver: Waiver

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


class WaiverIndex:
    """The waivers that concern each engagement of one run, looked up by id.

    An engagement's own waivers come first, then the central file's in file order.
    """

    __slots__ = ("_as_of", "_cache", "_exact", "_globs", "_own", "_usable")

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
        self._exact: dict[str, list[Waiver]] = {}
        self._globs: list[CentralWaiver] = []
        for entry in central:
            if entry.is_glob:
                self._globs.append(entry)
            else:
                self._exact.setdefault(entry.engagement, []).append(entry.waiver)
        self._cache: dict[str, tuple[Waiver, ...]] = {}
        self._usable: dict[str, tuple[Waiver, ...]] = {}

    def waivers(self, engagement_id: str) -> tuple[Waiver, ...]:
        """Every waiver that concerns the engagement, usable or not."""
        found = self._cache.get(engagement_id)
        if found is None:
            found = (
                *self._own.get(engagement_id, ()),
                *self._exact.get(engagement_id, ()),
                *(g.waiver for g in self._globs if g.concerns(engagement_id)),
            )
            self._cache[engagement_id] = found
        return found

    def __call__(self, engagement: Engagement) -> tuple[Waiver, ...]:
        """Every waiver that concerns *engagement* (the form `Context` asks for)."""
        return self.waivers(engagement.id)

    def usable(self, engagement_id: str) -> tuple[Waiver, ...]:
        """Return the waivers of the engagement that can apply (reasoned, unexpired)."""
        found = self._usable.get(engagement_id)
        if found is None:
            found = tuple(
                w for w in self.waivers(engagement_id) if _usable(w, self._as_of)
            )
            self._usable[engagement_id] = found
        return found

    def may_apply(self) -> bool:
        """Whether any waiver at all exists in this run."""
        return bool(self._own or self._exact or self._globs)


def apply_waivers(findings: list[Finding], index: WaiverIndex) -> list[Finding]:
    """Return *findings* with ``waived`` set where a usable waiver names them.

    The first matching waiver wins; findings no waiver names are kept as they are.
    """
    if not index.may_apply():
        return findings
    out: list[Finding] = []
    append = out.append
    usable = index.usable
    for finding in findings:
        for waiver in usable(finding.engagement):
            if waiver_matches(waiver, finding):
                finding = attrs.evolve(finding, waived=waiver.reason)  # noqa: PLW2901
                break
        append(finding)
    return out


def load_waiver_file(path: str | Path) -> tuple[CentralWaiver, ...]:
    """Read a central waiver file (YAML, JSON or TOML).

    The file holds a list of waivers, or a mapping whose ``waivers`` key does;
    each waiver is like an engagement's plus ``engagement`` (an id or a glob).
    Raise :class:`ConfigError` naming the file, the entry and the key otherwise.
    """
    path = Path(path)
    return parse_waivers(read_data(path), source=str(path))


def parse_waivers(
    data: object, *, source: str | None = None
) -> tuple[CentralWaiver, ...]:
    """Turn a central waiver file's data into waivers (see :func:`load_waiver_file`)."""
    entries = data
    if isinstance(data, Mapping):
        unknown = sorted(str(k) for k in data if k not in {"waivers", "outsourcekit"})
        if unknown:
            raise ConfigError(
                f"unknown key {unknown[0]!r} in a waiver file (expected 'waivers')",
                source=source,
                key=unknown[0],
                suggestion=suggest(unknown[0], ["waivers"]),
            )
        entries = data.get("waivers", [])
    if data is None:
        entries = []
    if not isinstance(entries, list):
        msg = f"must hold a list of waivers (got {type(entries).__name__})"
        raise ConfigError(msg, source=source, key="waivers")
    return tuple(
        _central(entry, f"waivers[{i}]", source) for i, entry in enumerate(entries)
    )


def _central(entry: object, key: str, source: str | None) -> CentralWaiver:
    if not isinstance(entry, Mapping):
        msg = f"a waiver must be a mapping (got {type(entry).__name__})"
        raise ConfigError(msg, source=source, key=key)
    fields: dict[str, Any] = {}
    extensions: dict[str, Any] = {}
    for name, value in entry.items():
        name = str(name)  # noqa: PLW2901
        if name.startswith("x-"):
            extensions[name] = value
        elif name not in _WAIVER_KEYS:
            raise ConfigError(
                f"unknown key {name!r} in a waiver",
                source=source,
                key=f"{key}.{name}",
                suggestion=suggest(name, _WAIVER_KEYS),
            )
        elif value is not None:
            fields[name] = _field(name, value, f"{key}.{name}", source)
    for required in ("engagement", "rule"):
        if required not in fields:
            msg = f"a central waiver needs {required!r} (got keys {sorted(entry)})"
            raise ConfigError(msg, source=source, key=key)
    engagement = fields.pop("engagement")
    return CentralWaiver(
        engagement=engagement, waiver=Waiver(**fields, extensions=extensions)
    )


def _field(name: str, value: object, key: str, source: str | None) -> object:
    if name == "until":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        msg = f"must be a date like 2026-12-31 (got {value!r})"
        raise ConfigError(msg, source=source, key=key)
    if not isinstance(value, str):
        msg = f"must be a string (got {value!r} that is a {type(value).__name__})"
        raise ConfigError(msg, source=source, key=key)
    return value
