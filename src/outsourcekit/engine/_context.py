"""The context a rule runs in: as_of, options, the portfolio and helpers."""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - evaluated by the API docs
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from outsourcekit.model import Engagement, TimeZone, Waiver

from ._errors import shown
from ._finding import NO_EVIDENCE, Finding, NewFinding, frozen_evidence, severity_of
from ._rule import Rule, Severity
from ._waivers import CentralWaiver, WaiverIndex

__all__ = ["Context"]


class Context:
    """What a rule knows besides the engagement: the date, its options, the portfolio.

    The engine makes one context per rule and run and points it at each
    engagement in turn; rules build findings with :meth:`finding`. ``options``
    are the rule's options after configuration, ``severity`` its severity after
    overrides, ``portfolio`` every engagement of the run, ``engagement`` the one
    being checked and ``findings`` (for rules of scope ``"findings"``) what the
    other rules found on it.
    """

    rule: Rule
    as_of: dt.date
    options: Mapping[str, Any]
    portfolio: Sequence[Engagement]
    severity: Severity
    engagement: Engagement | None
    findings: Sequence[Finding]

    __slots__ = (
        "_known",
        "_selected",
        "_source_of",
        "_unless",
        "_waivers",
        "as_of",
        "engagement",
        "findings",
        "options",
        "portfolio",
        "rule",
        "severity",
    )

    def __init__(  # noqa: PLR0913
        self,
        *,
        rule: Rule,
        as_of: dt.date,
        options: Mapping[str, Any] | None = None,
        portfolio: Sequence[Engagement] = (),
        severity: Severity | None = None,
        waivers: Callable[[Engagement], Sequence[Waiver]] | None = None,
        selected: Callable[[str], bool] | None = None,
        known: Sequence[Rule] | None = None,
        source_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self.rule = rule
        self.as_of = as_of
        self.options = rule.defaults if options is None else dict(options)
        self.portfolio = portfolio
        self.severity = rule.severity if severity is None else severity
        self.engagement = None
        self.findings = ()
        self._waivers = waivers
        self._selected = selected
        self._known = None if known is None else tuple(known)
        self._source_of = source_of
        #: The findings made with ``unless=``, by identity, with their waiver.
        self._unless: dict[int, tuple[Finding, Waiver]] = {}

    def finding(  # noqa: PLR0913 - the finding's fields, and where it is
        self,
        message: str,
        *,
        path: str = "",
        evidence: Mapping[str, Any] | None = None,
        engagement: Engagement | str | None = None,
        unless: Waiver | None = None,
        at: tuple[str | None, int | None] | None = None,
    ) -> Finding:
        """Return a finding of this rule about the current (or given) engagement.

        The finding names the engagement's file as its ``source``; its ``line``
        is left unknown, to be found in that file once the rules have run
        (:func:`outsourcekit.check` does), so that no rule waits on reading.
        A finding about something written elsewhere gives its place as *at*,
        ``(source, line)``: a rule about an entry of the central waiver file
        gives the entry's (:meth:`central_waivers`), ``(None, None)`` for an
        entry made in Python. Such a finding keeps that place.

        *engagement* names the engagement the finding is about: for a
        portfolio rule (scope ``"portfolio"``) an engagement of the check or,
        deciding from facts, an engagement's id; a rule of scope
        ``"engagement"`` or ``"findings"`` reports only on the engagement it
        is checking, so it may leave *engagement* out (naming that same
        engagement, or its id, is allowed). Such a rule sees one engagement
        at a time, and in a split check (``--jobs``,
        :func:`~outsourcekit.check_stream`) the others may be in another
        part: a rule about several engagements is a portfolio rule with
        ``facts=``, which gives the same findings however the check is split.

        *unless* (rules of scope ``"findings"`` only) is a waiver: the finding
        is kept only if no finding of the engagement by another rule matches
        the waiver (``outsourcekit.engine.waiver_matches``), those in
        ``ctx.findings`` and those a portfolio rule makes once every part of a
        split check is in. It is how a rule about waivers stays exact when the
        portfolio is checked in parts.

        Raise TypeError when *message* or *path* is not text, *evidence* not
        a mapping or *unless* not a waiver, and ValueError when no engagement
        is named or known, a rule of scope
        ``"engagement"`` or ``"findings"`` names another engagement than the
        one it checks, a portfolio rule names one not in the check, or
        *unless* is given to a rule of another scope.
        """
        rule = self.rule
        # Exact types first: the check for every finding a rule makes.
        if type(message) is not str or type(path) is not str:
            _require_text(rule, message, path)
        if evidence is not None and type(evidence) is not dict:
            _require_mapping(rule, evidence)
        current = self.engagement
        if engagement is None and current is not None:
            # The usual: the engagement being checked.
            origin = current.origin
            eid, source = current.id, None if origin is None else origin.source
        else:
            eng = self._named(current, engagement)
            if isinstance(eng, str):
                eid, source = eng, self._source(eng)
            else:
                origin = eng.origin
                eid, source = eng.id, None if origin is None else origin.source
        line = None
        if at is not None:
            source, line = at
        # Made as new_finding makes it, written out here: this runs for every
        # finding a rule makes, and a call more costs a tenth of it.
        severity = self.severity
        finding = NewFinding()
        finding.rule = rule.code
        finding.slug = rule.slug
        finding.category = rule.category
        finding.severity = (
            severity if type(severity) is Severity else severity_of(severity)
        )
        finding.engagement = eid
        finding.path = path
        finding.message = message
        finding.fix = rule.fix
        finding.evidence = (
            NO_EVIDENCE if evidence is None else frozen_evidence(evidence, rule.code)
        )
        finding.source = source
        finding.line = line
        finding.waived = None
        finding.waived_in = None
        finding.__class__ = Finding  # type: ignore[assignment]
        if unless is not None:
            _require_waiver(rule, unless)
            if rule.scope != "findings":
                msg = (
                    f"rule {rule.code}: only a rule of scope 'findings' makes a "
                    f"finding with unless= (this one's scope is {rule.scope!r})"
                )
                raise ValueError(msg)
            self._unless[id(finding)] = (finding, unless)  # type: ignore[assignment]
        return finding  # type: ignore[return-value]

    def _named(
        self, current: Engagement | None, engagement: Engagement | str | None
    ) -> Engagement | str:
        """Return the engagement a finding is about: *engagement*, else *current*.

        Raise ValueError when neither is given, or when a rule of scope
        ``"engagement"`` or ``"findings"`` names another than *current*.
        """
        eng = current if engagement is None else engagement
        if eng is None:
            msg = "a portfolio rule must name the engagement of each finding"
            raise ValueError(msg)
        scoped = self.rule.scope != "portfolio"
        if current is not None and eng is not current and scoped:
            eng = self._checked(current, eng)
        return eng

    def _checked(self, current: Engagement, named: Engagement | str) -> Engagement:
        """Return *current* when *named* is it (or its id); else raise ValueError.

        A rule of scope ``"engagement"`` or ``"findings"`` reports only on the
        engagement it checks, in every kind of run: one that named another
        would find it in one process and not where the check is split.
        """
        eid = named if isinstance(named, str) else named.id
        if eid == current.id:
            return current
        rule = self.rule
        msg = (
            f"rule {rule.code} (scope {rule.scope!r}) names engagement {eid!r} "
            f"while checking engagement {current.id!r}: a rule of this scope "
            "reports only on the engagement it checks; a rule about several "
            "engagements is a portfolio rule (scope='portfolio' with facts=)"
        )
        raise ValueError(msg)

    def _source(self, engagement: str) -> str | None:
        """Return the file of the engagement with id *engagement* in this check."""
        if self._source_of is None:
            found = next((e for e in self.portfolio if e.id == engagement), None)
            if found is not None:
                return None if found.origin is None else found.origin.source
        else:
            try:
                return self._source_of(engagement)
            except KeyError:
                pass
        msg = (
            f"rule {self.rule.code} names engagement {engagement!r}, "
            "which is not in this check"
        )
        raise ValueError(msg)

    def take_unless(self) -> dict[int, tuple[Finding, Waiver]]:
        """Return and forget the findings made with ``unless=`` (for the engine)."""
        made = self._unless
        if made:
            self._unless = {}
        return made

    # -- time helpers -----------------------------------------------------------
    # Thin calls of the engagement's own time methods (Engagement.local_timezone,
    # at_midnight, moment, is_known, local_date, cadence_anchor), which the rules
    # and the notebook call too, so that each reading of a date exists once.

    @staticmethod
    def timezone(engagement: Engagement) -> TimeZone:
        """Return the client's time zone, UTC when unknown."""
        return engagement.local_timezone

    def at_midnight(self, day: dt.date, engagement: Engagement) -> dt.datetime:
        """00:00 of *day* in the client's time zone."""
        return engagement.at_midnight(day)

    def as_of_datetime(self, engagement: Engagement) -> dt.datetime:
        """``as_of`` as a moment: 00:00 of that date in the client's time zone."""
        return engagement.at_midnight(self.as_of)

    def anchor(self, engagement: Engagement) -> dt.datetime:
        """Where cadences without DTSTART start: 00:00 of `start`, else of as_of."""
        return engagement.cadence_anchor(self.as_of)

    def moment(self, value: dt.date, engagement: Engagement) -> dt.datetime:
        """Return a date or date-time of the engagement as an aware moment.

        A date is 00:00 of that day and a date-time without an offset is read, in
        the client's time zone.
        """
        return engagement.moment(value)

    def happened(self, value: dt.date, engagement: Engagement) -> bool:
        """Return whether a fact dated *value* is known at as_of (later ones aren't)."""
        return engagement.is_known(value, self.as_of)

    def local_date(self, value: dt.date, engagement: Engagement) -> dt.date:
        """Return the calendar date of a date or date-time in the client's time zone."""
        return engagement.local_date(value)

    # -- run helpers ------------------------------------------------------------

    def waivers(self, engagement: Engagement) -> Sequence[Waiver]:
        """Return the waivers of *engagement*: its own and the central file's."""
        if self._waivers is None:
            return engagement.waivers
        return self._waivers(engagement)

    def central_waivers(self, engagement: Engagement) -> Sequence[CentralWaiver]:
        """Return the central waiver file's entries that concern *engagement*.

        Their waivers are the last of :meth:`waivers`, in this order, after
        the engagement's own; each entry says where it is written. Empty when
        the check has no central waiver file, or when the context was made
        with waivers of its own.
        """
        index = self._waivers
        if isinstance(index, WaiverIndex):
            return index.central(engagement.id)
        return ()

    def is_selected(self, rule: str) -> bool:
        """Whether the rule named *rule* (code or slug) runs in this check."""
        if self._selected is None:
            return True
        return self._selected(rule)

    def known_rules(self) -> tuple[Rule, ...] | None:
        """Return every rule this check was handed, selected or not.

        None when the context was made without them (a rule run on its own, as
        by :func:`outsourcekit.testing.run_rule`). With
        :func:`outsourcekit.engine.find_rule` it tells whether a name (a
        waiver's rule, say) is a rule at all, and suggests the closest one.
        """
        return self._known


def _require_text(rule: Rule, message: object, path: object) -> None:
    """Raise TypeError unless *message* and *path* are text (str subclasses too)."""
    for what, value in (("the message", message), ("path=", path)):
        if not isinstance(value, str):
            msg = (
                f"rule {rule.code}: ctx.finding() takes {what} as text, "
                f"got {shown(value)}"
            )
            raise TypeError(msg)


def _require_mapping(rule: Rule, evidence: object) -> None:
    """Raise TypeError unless *evidence* is a mapping (of names to plain data)."""
    if not isinstance(evidence, Mapping):
        msg = (
            f"rule {rule.code}: ctx.finding() takes evidence= as a mapping of "
            f"names to values, got {shown(evidence)}"
        )
        raise TypeError(msg)


def _require_waiver(rule: Rule, unless: object) -> None:
    """Raise TypeError unless *unless* is a waiver."""
    if not isinstance(unless, Waiver):
        msg = (
            f"rule {rule.code}: unless= takes a waiver (outsourcekit.model.Waiver), "
            f"got {shown(unless)}"
        )
        raise TypeError(msg)
