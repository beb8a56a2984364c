"""The JSON Lines format: one finding per line, written as the check finds them.

For very large portfolios: each line is one JSON object, so a reader (``jq``,
a log shipper, ``pandas.read_json(lines=True)``) takes the file a line at a
time, and a check streamed to it (:func:`outsourcekit.check_stream`) writes
each finding as soon as its chunk of engagements is checked.

The lines are, in order:

* every finding, waived ones included: the object of the JSON report's
  ``findings`` list (with ``baseline`` against a baseline);
* every load error as ``{"error": {...}}``, every rule error as
  ``{"rule_error": {...}}`` and every plugin error as
  ``{"plugin_error": {...}}``, each the object of the JSON report's list;
* last, the report's own keys: ``outsourcekit``, ``format``, ``as_of``,
  ``plugins``, ``skipped`` and ``summary``, as in the JSON report.

Only the last line has ``summary``, and it is always written: a file without
it is from a run that did not finish. Engagements' scores are not written
(the ``json`` format has them).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import IO, TYPE_CHECKING, Any, Final

from outsourcekit.engine import Report
from outsourcekit.plugins import Exporter

from ._escape import json_safe, json_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from outsourcekit.engine import Finding, Rule

__all__ = ["EXPORTER", "JsonLinesSink", "export"]

_HEAD_KEYS = ("outsourcekit", "format", "as_of")

#: The types JSON writes as they are, exactly these (not their subclasses).
#: The values written as they are (floats apart: NaN and the infinities are not).
_SCALARS: Final = frozenset({str, int, bool, type(None)})
#: The types ``Finding.to_dict()`` writes as ISO text (exactly these).
_ISO: Final = frozenset({dt.date, dt.datetime, dt.time})
#: How many rules' (or fixes') texts :class:`_LineMaker` keeps, at most.
_KEPT = 4096


def _is_plain(value: object) -> bool:
    """Tell whether :data:`_ENCODE` writes *value* as ``Finding.to_dict()`` does.

    That is: exactly str, int, float, bool and None, dates, times and
    durations, in lists and tuples, and in dicts with text keys (a finding's
    evidence is frozen: a read-only dict of such values, its lists tuples,
    and no other kind of dict). Any other evidence (sets, mappings of other
    kinds, keys that are not text) is turned into JSON data by
    ``Finding.to_dict()`` first.
    """
    kind = type(value)
    if kind in _SCALARS or kind in _ISO or kind is dt.timedelta:
        return True
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    if kind is dict or isinstance(value, dict):
        for key, item in value.items():  # type: ignore[attr-defined]
            if type(key) is not str or (
                type(item) not in _SCALARS and not _is_plain(item)
            ):
                return False
        return True
    if kind is tuple or kind is list:
        return all(map(_is_plain, value))  # type: ignore[call-overload]
    return False


def _iso(value: object) -> object:
    """Return a date or time as ISO text and a duration as seconds, as findings do."""
    if type(value) in _ISO:
        return value.isoformat()  # type: ignore[attr-defined]
    if type(value) is dt.timedelta:
        return value.total_seconds()
    msg = f"{type(value).__name__} is not JSON data"
    raise TypeError(msg)


def _encoder() -> Callable[[object], str]:
    """Return what writes plain evidence (see :func:`_is_plain`) on one line.

    The ``json`` module's C encoder, made once rather than on every call as
    ``json.dumps`` does; without it, a ``json.JSONEncoder``. No check for
    cycles: :func:`_is_plain` has walked the value (a cycle raises there).
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return json.JSONEncoder(ensure_ascii=False, default=_iso).encode
    encode = make(None, _iso, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


#: Writes plain evidence on one line as :func:`json_text` does (before escaping).
_ENCODE: Final = _encoder()


class _LineMaker:
    """Writes findings as JSON Lines, the bytes ``json_text(finding_dict(f))`` gives.

    The line of a finding is mostly its rule's: code, slug, category,
    severity and fix repeat on every finding of the rule. They are encoded
    once per rule (and fix), and a line is those texts joined with the
    finding's own values, each encoded as the ``json`` module encodes it.
    A finding whose values are not of the types this expects (text where
    text is due, a whole number or None for the line) is written by
    ``json_text(context.finding_dict(f))`` itself, so every line is the one
    the JSON form of the report gives.
    """

    def __init__(self, context: Report) -> None:
        """Write the findings as *context* (its ``baseline`` states) says."""
        self.context = context
        #: (code, slug, category, fix) -> (severity, the line up to the
        #: engagement's value, the line from the fix up to the evidence's).
        self.rules: dict[tuple[Any, ...], tuple[Any, str, str]] = {}

    def rule(self, f: Finding) -> tuple[Any, str, str]:
        """Return *f*'s severity and its rule's parts of the line."""
        key = (f.rule, f.slug, f.category, f.fix)
        known = self.rules.get(key)
        severity = f.severity
        # Severities are compared by identity: cheaper than hashing the enum.
        if known is None or known[0] is not severity:
            if any(type(text) is not str for text in (*key, severity.value)):
                raise TypeError(key)
            if len(self.rules) >= _KEPT:
                self.rules.clear()
            head = (
                f'{{"rule": {encode_basestring(f.rule)}, '
                f'"slug": {encode_basestring(f.slug)}, '
                f'"category": {encode_basestring(f.category)}, '
                f'"severity": {encode_basestring(severity.value)}, "engagement": '
            )
            fix = f', "fix": {encode_basestring(f.fix)}, "evidence": '
            known = self.rules[key] = (severity, head, fix)
        return known

    def line(self, f: Finding) -> str:
        """Return *f*'s line, its line break included."""
        try:
            return self._fast(f)
        except (AttributeError, TypeError, ValueError, RecursionError):
            return json_text(self.context.finding_dict(f)) + "\n"

    def _fast(self, f: Finding) -> str:
        _, head, fix = self.rule(f)
        number = f.line
        if number is None:
            shown = "null"
        elif type(number) is int:
            shown = str(number)
        else:
            raise TypeError(number)
        source = f.source
        evidence = f.evidence
        if not evidence and isinstance(evidence, Mapping):
            data = "{}"
        else:
            data = _ENCODE(evidence if _is_plain(evidence) else f.to_dict()["evidence"])
        waived = f.waived
        end = "null" if waived is None else encode_basestring(waived)
        context = self.context
        if context.baseline is not None:
            state = context.baseline_state(f)
            end += ', "baseline": ' + (
                "null" if state is None else encode_basestring(state)
            )
        where = "null" if source is None else encode_basestring(source)
        return json_safe(
            f"{head}{encode_basestring(f.engagement)}, "
            f'"path": {encode_basestring(f.path)}, "source": {where}, '
            f'"line": {shown}, "message": {encode_basestring(f.message)}'
            f'{fix}{data}, "waived": {end}}}\n'
        )

    def lines(self, findings: Iterable[Finding]) -> list[str]:
        """Return the lines of *findings*, in order."""
        return [self.line(f) for f in findings]


def _finding_lines(context: Report, findings: Iterable[Finding]) -> list[str]:
    """Return the lines of *findings*: ``json_text(context.finding_dict(f))`` each."""
    return _LineMaker(context).lines(findings)


def _closing_lines(report: Report) -> Iterator[str]:
    """Yield the lines after the findings: errors, then the report's own keys."""
    for issue in report.errors:
        yield json_text({"error": dict(issue.to_dict())}) + "\n"
    for error in report.rule_errors:
        yield json_text({"rule_error": error.to_dict()}) + "\n"
    for plugin_error in report.plugin_errors:
        yield json_text({"plugin_error": plugin_error.to_dict()}) + "\n"
    empty = Report(as_of=report.as_of, findings=(), engagements=()).to_dict()
    last: dict[str, Any] = {key: empty[key] for key in _HEAD_KEYS}
    last["plugins"] = [p.to_dict() for p in report.plugins]
    last["skipped"] = [s.to_dict() for s in report.skipped]
    last["summary"] = report.summary
    yield json_text(last) + "\n"


def export(report: Report) -> str:
    """Return the report as JSON Lines: findings, errors, then the summary line."""
    lines = [*_finding_lines(report, report.findings), *_closing_lines(report)]
    return "".join(lines)


class JsonLinesSink:
    """Writes the JSON Lines format to a file while the check runs.

    Each batch of findings is written and flushed as it comes, so that a
    reader following the file sees the findings as they are found; the
    errors and the summary line follow at the end. *context* answers for each
    finding against the baseline (see :class:`~outsourcekit.plugins.Exporter`).
    """

    def __init__(self, file: IO[str], context: Report) -> None:
        """Write to *file*, marking findings as *context* says."""
        self.file = file
        self.context = context
        self.maker = _LineMaker(context)

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Start the report: nothing is written before the first finding."""

    def findings(self, batch: Sequence[Finding]) -> None:
        """Write one line per finding of *batch*, and flush them."""
        self.file.write("".join(self.maker.lines(batch)))
        self.file.flush()

    def end(self, report: Report) -> None:
        """Write the errors and the summary line."""
        self.file.writelines(_closing_lines(report))
        self.file.flush()


#: The ``jsonl`` format.
EXPORTER = Exporter(
    "jsonl",
    ".jsonl",
    export,
    "One finding per line, written as found; errors and the summary last "
    "(for very large portfolios).",
    stream=JsonLinesSink,
)
