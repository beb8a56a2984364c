"""Findings: what a rule reports about one engagement."""

from __future__ import annotations

from collections.abc import Mapping  # noqa: TC003 - evaluated by the API docs
from typing import Any, Literal, TypeAlias

import attrs

from outsourcekit.model._engagement import MAX_NESTING
from outsourcekit.model._frozen import EMPTY, FrozenDict, frozen_mapping

from ._display import finding_html, finding_repr
from ._evidence import json_data as _plain
from ._rule import Severity

__all__ = ["Finding", "sort_findings"]

#: Where the waiver that accepted a finding is kept (``Finding.waived_in``).
_WaiverPlace: TypeAlias = Literal["engagement", "central"]

#: The evidence of a finding that has none: one shared, read-only empty mapping.
NO_EVIDENCE: Mapping[str, Any] = EMPTY


def frozen_evidence(
    evidence: Mapping[str, Any] | None, rule: str | None = None
) -> Mapping[str, Any]:
    """Return *evidence* as a finding holds it: a frozen copy, NO_EVIDENCE if none.

    Copied, so that a rule reusing its dict for the next finding does not
    change this one; frozen all the way down (mappings as read-only mappings,
    lists as tuples, sets as frozensets), so that the finding is as immutable
    as its other fields, and hashes. The JSON output is the same: a set or
    frozenset is written as a list of its items, sorted.

    Evidence that holds itself raises ValueError, and so does a value nested
    more than :data:`MAX_NESTING` levels deep (as an engagement's ``x-``
    values), naming the finding's *rule*: every output writes evidence, and
    none could write it.
    """
    if evidence is None or not evidence:
        return NO_EVIDENCE
    try:
        frozen = frozen_mapping(evidence, sets=True)
    except ValueError:
        msg = "the evidence holds itself"
        raise ValueError(msg) from None
    for key, value in frozen.items():
        kind = type(value)  # frozen: exactly one of these if a container
        if (kind is tuple or kind is FrozenDict or kind is frozenset) and _deeper_than(
            value, MAX_NESTING
        ):
            shown = repr(key) if len(repr(key)) <= 60 else f"{repr(key)[:60]}..."
            msg = (
                f"rule {rule}: evidence values nest at most {MAX_NESTING} levels "
                f"(evidence {shown} is deeper)"
            )
            raise ValueError(msg)
    return frozen


#: The containers frozen evidence holds (see :func:`frozen_evidence`).
_NESTED = (dict, tuple, frozenset)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether the frozen evidence *value* nests more than *limit* levels deep."""
    level = [value]  # the containers one level down, from *value* (level 1)
    for _ in range(limit):
        level = [
            inner
            for item in level
            for inner in (item.values() if isinstance(item, dict) else item)
            if isinstance(inner, _NESTED)
        ]
        if not level:
            return False
    return True


def _evidence_of(evidence: Mapping[str, Any] | None, finding: Any) -> Mapping[str, Any]:
    """Return *evidence* frozen for *finding*, its rule named in an error."""
    return frozen_evidence(evidence, finding.rule)


def severity_of(value: Severity | str) -> Severity:
    """Return the severity *value* is or names (``"error"``); ValueError if none."""
    return value if type(value) is Severity else Severity.parse(value)


_ERROR = Severity.ERROR
_WARNING = Severity.WARNING


class _FindingLayout:
    """The memory layout of a finding: one slot per field (see :class:`NewFinding`).

    :class:`Finding` takes its slots from here rather than making its own.
    """

    __slots__ = (
        "__weakref__",
        "category",
        "engagement",
        "evidence",
        "fix",
        "line",
        "message",
        "path",
        "rule",
        "severity",
        "slug",
        "source",
        "waived",
        "waived_in",
    )

    # The fields' types, for the type checker (the slots hold them).
    rule: str
    slug: str
    category: str
    severity: Severity
    engagement: str
    path: str
    message: str
    fix: str
    evidence: Mapping[str, Any]
    source: str | None
    line: int | None
    waived: str | None
    waived_in: _WaiverPlace | None


@attrs.frozen(kw_only=True)
class Finding(_FindingLayout):
    """One fact a rule reports about one engagement, with why and how to fix it.

    ``path`` is where in the engagement the fact lies (``agreements``,
    ``kpis[close-time].target``); ``source`` and ``line`` locate that path in the
    engagement's file, when it came from one; ``waived`` is the reason of the
    waiver that accepted the finding, or None.

    ``severity`` may be given by name (``"error"``).

    ``waived_in`` says where that waiver is kept: ``"engagement"`` (the
    engagement's own ``waivers:`` list, in the checked file itself) or
    ``"central"`` (a central waiver file); None when the finding is not waived
    or the place is not known. It is not part of the JSON document (nor
    compared): a finding read back from a saved report has None.
    """

    rule: str
    slug: str
    category: str
    severity: Severity = attrs.field(converter=severity_of)
    engagement: str
    path: str
    message: str
    fix: str
    evidence: Mapping[str, Any] = attrs.field(
        default=NO_EVIDENCE,
        converter=attrs.Converter(_evidence_of, takes_self=True),  # type: ignore[misc]
    )
    source: str | None = None
    line: int | None = None
    waived: str | None = None
    waived_in: Literal["engagement", "central"] | None = attrs.field(
        default=None, eq=False
    )

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of a finding across runs, as (rule code, engagement, path)."""
        return (self.rule, self.engagement, self.path)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Return the key of the report's order.

        The order is engagement, severity (errors first), code, path and message.
        """
        severity = self.severity
        # Identity tests: the hot path of sorting, cheaper than hashing the enum.
        order = -2 if severity is _ERROR else -1 if severity is _WARNING else 0
        return (
            self.engagement,
            order,
            self.rule,
            self.path,
            self.message,
        )

    def _repr_html_(self) -> str:
        return finding_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show one line where IPython shows text; ``repr()`` stays in full.

        A notebook keeps that text: ``repr()`` of every finding of a list,
        evidence included, would put hundreds of kilobytes into it.
        """
        del cycle  # a finding never holds itself
        printer.text(finding_repr(self))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the finding, for worker processes."""
        evidence = self.evidence
        plain = None if evidence is NO_EVIDENCE else evidence
        return (
            _unpickle,
            (
                (
                    self.rule,
                    self.slug,
                    self.category,
                    self.severity,
                    self.engagement,
                    self.path,
                    self.message,
                    self.fix,
                    plain,
                    self.source,
                    self.line,
                    self.waived,
                    self.waived_in,
                ),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as the JSON output's plain data, keys in fixed order."""
        return {
            "rule": self.rule,
            "slug": self.slug,
            "category": self.category,
            "severity": self.severity.value,
            "engagement": self.engagement,
            "path": self.path,
            "source": self.source,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
            "evidence": _plain(self.evidence),
            "waived": self.waived,
        }


def _unpickle(fields: tuple[Any, ...]) -> Finding:
    """Rebuild a pickled finding (see ``Finding.__reduce__``)."""
    (
        rule,
        slug,
        category,
        severity,
        engagement,
        path,
        message,
        fix,
        evidence,
        source,
        line,
        waived,
        waived_in,
    ) = fields
    # The fast way, as the engine makes findings: a worker process's findings
    # are all unpickled by the parent, and this is most of its share of the work.
    return new_finding(
        rule,
        slug,
        category,
        severity,
        engagement,
        path,
        message,
        fix,
        NO_EVIDENCE if evidence is None else evidence,
        source,
        line,
        waived,
        waived_in,
    )


class NewFinding(_FindingLayout):
    """A finding being made: the same slots as Finding, not frozen (for the engine).

    :func:`new_finding` (and ``Context.finding``) makes one, ``NewFinding()``,
    fills it in with plain attribute stores, then makes it a :class:`Finding`
    by assigning its class, which Python allows because neither class adds
    anything to the layout they share. That costs a fifth of the frozen
    ``__init__``, which must set each field with ``object.__setattr__``; the
    finding is the same in every respect.
    """

    __slots__ = ()


def new_finding(  # noqa: PLR0913, PLR0917 - a finding's fields, as the engine has them
    rule: str,
    slug: str,
    category: str,
    severity: Severity | str,
    engagement: str,
    path: str,
    message: str,
    fix: str,
    evidence: Mapping[str, Any],
    source: str | None,
    line: int | None = None,
    waived: str | None = None,
    waived_in: _WaiverPlace | None = None,
) -> Finding:
    """Return ``Finding(rule=rule, ...)``, made the fast way (see :class:`NewFinding`).

    For the engine, which makes one for each fact a rule reports. Finding has
    no validators or post-init step that this would skip, and its converters
    are applied here: *severity* may be given by name, and *evidence* is
    frozen unless it is already (the engine's is). A function filling in a
    ``NewFinding()`` rather than an ``__init__``: calling a class whose
    ``__init__`` is written in Python costs a good part of the work.
    """
    finding = NewFinding()
    finding.rule = rule
    finding.slug = slug
    finding.category = category
    finding.severity = severity if type(severity) is Severity else severity_of(severity)
    finding.engagement = engagement
    finding.path = path
    finding.message = message
    finding.fix = fix
    finding.evidence = (
        evidence if type(evidence) is FrozenDict else frozen_evidence(evidence, rule)
    )
    finding.source = source
    finding.line = line
    finding.waived = waived
    finding.waived_in = waived_in
    finding.__class__ = Finding  # type: ignore[assignment]
    return finding  # type: ignore[return-value]


def sort_findings(findings: list[Finding]) -> None:
    """Sort findings in place in the report's order (see :meth:`Finding.sort_key`)."""
    findings.sort(key=Finding.sort_key)
