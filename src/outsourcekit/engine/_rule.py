"""Rules as data: the `@rule` decorator, `Rule`, `Option` and `Severity`."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
import math
import numbers
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal, SupportsIndex

import attrs

from outsourcekit._shorten import short_repr
from outsourcekit.model import Duration, ValueParseError

from ._errors import kind_of
from ._names import did_you_mean, suggest

if TYPE_CHECKING:
    import builtins

    from outsourcekit.model import Engagement

    from ._context import Context
    from ._finding import Finding

__all__ = [
    "DOC_SECTIONS",
    "FactsFunction",
    "InputsFunction",
    "Option",
    "Rule",
    "RuleFunction",
    "Scope",
    "Severity",
    "UnknownRuleError",
    "find_rule",
    "rule",
]

CODE_PATTERN = re.compile(r"[A-Z]+[0-9]+")
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: How an option whose default is None shows its default: the rule derives the
#: value when configuration sets none. No configuration value is written so.
_DERIVED = "(derived)"

#: The sections every rule's documentation has, in order.
DOC_SECTIONS = ("What it checks", "Why it matters", "How to fix", "Example")

#: A rule's function: it receives an engagement (or, for portfolio rules, every
#: engagement of the run) and a context, and yields findings.
RuleFunction = Callable[[Any, "Context"], Iterable["Finding"]]
Scope = Literal["engagement", "portfolio", "findings"]
#: A portfolio rule's facts function: from one engagement and the context, the
#: small, picklable value the rule decides from (None: nothing to contribute).
FactsFunction = Callable[["Engagement", "Context"], Any]
#: A findings rule's inputs function: from one of its findings, the codes or
#: slugs of the rules whose findings it judged (None: it cannot tell).
InputsFunction = Callable[["Finding"], "Iterable[str] | None"]


class Severity(str, enum.Enum):
    """How serious a finding is; ordered ``info < warning < error``.

    A severity is the word it stands for: ``Severity.ERROR == "error"``, it
    hashes like the word (so a mapping keyed by words finds it) and ``str()``
    gives the word. Severities order among themselves only: comparing one with
    a word by ``<`` is refused (:meth:`parse` reads the word first).
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= _rank_of(other)

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Return the severity named *value*, a lower-case word.

        Raises:
            ValueError: *value* names no severity; the message lists the
                choices and names the one a close word (``WARNING``) means.

        """
        if isinstance(value, Severity):
            return value
        try:
            return cls(value)
        except ValueError:
            words = [s.value for s in cls]
            given: object = value  # callers without type checks pass anything
            meant = did_you_mean(given, words) if isinstance(given, str) else ""
            msg = f"severity must be one of {', '.join(words)} (got {value!r}){meant}"
            raise ValueError(msg) from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


def _rank_of(other: object) -> int:
    """Return the rank of *other*, a severity; TypeError for anything else.

    A word is refused rather than compared as text: alphabetically,
    ``"error" < "info"``, the wrong way round for severities.
    """
    if isinstance(other, Severity):
        return _RANK[other]
    hint = ""
    if isinstance(other, str):
        hint = f": compare with Severity.parse({short_repr(str(other), 40)})"
    msg = (
        "severities order only among themselves (info < warning < error), "
        f"not with {short_repr(other, 40)}{hint}"
    )
    raise TypeError(msg)


@attrs.frozen(kw_only=True)
class Option:
    """A rule or importer option: a typed default that configuration may change.

    The type is that of the default unless given; an int default also accepts
    nothing but ints, a float default accepts ints and floats. An option of
    ``type=tuple`` takes a list of strings, or one string of comma-separated
    items (``"@acme.co.uk, @ledgerpros.ph"``), and its value is a tuple of
    strings.

    An option whose default is a :class:`datetime.timedelta` (or of
    ``type=datetime.timedelta``) is a duration: it takes a duration written as
    the file format writes one (``"2h"``, ``"90m"``, ``"1h30m"``, ``"2d"``,
    ``"PT1H30M"``), a :class:`~outsourcekit.model.Duration` or a
    :class:`datetime.timedelta`, and its value is a :class:`datetime.timedelta`.
    A number is refused (a number needs a unit), and so are business days,
    whose length depends on the calendar. Its ``minimum`` and ``maximum``, if
    given, are timedeltas too.

    The ``minimum`` and ``maximum`` of any other option are real numbers (an
    int, a float, a :class:`~decimal.Decimal`, a :class:`~fractions.Fraction`);
    a bound of another kind is refused when the option is made.
    """

    default: Any
    help: str = ""
    type: type = attrs.field()
    minimum: float | numbers.Real | Decimal | dt.timedelta | None = None
    maximum: float | numbers.Real | Decimal | dt.timedelta | None = None

    @type.default  # noqa: A003 - `type` below is the builtin
    def _type_of_default(self) -> builtins.type:
        return type(self.default)

    def __attrs_post_init__(self) -> None:
        """Check the bounds: durations for a duration option, else real numbers."""
        duration = self.type is dt.timedelta
        for which, bound in (("minimum", self.minimum), ("maximum", self.maximum)):
            if bound is None:
                continue
            if duration:
                if isinstance(bound, dt.timedelta):
                    continue
                msg = (
                    f"the {which} of a duration option must be a datetime.timedelta "
                    f"(got {bound!r})"
                )
            elif _is_number(bound) and not _is_nan(bound):
                continue
            else:
                why = (
                    ", not a duration"
                    if isinstance(bound, dt.timedelta)
                    else ", not NaN"
                    if _is_number(bound)
                    else ""
                )
                msg = (
                    f"the {which} of an option of type {self.type.__name__} must be "
                    f"a number{why} (got {bound!r})"
                )
            raise TypeError(msg)

    def validate(self, name: str, value: object) -> object:
        """Return *value* if it suits this option; raise ValueError naming *name*.

        A duration option returns a :class:`datetime.timedelta`, whatever it
        was given as.
        """
        expected = self.type
        if expected is tuple:
            return _strings(name, value)
        if expected is dt.timedelta:
            return self._duration(name, value)
        ok = isinstance(value, expected) and not (
            isinstance(value, bool) and expected is not bool
        )
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            msg = (
                f"option {name!r} must be {_type_word(expected)} "
                f"(got {short_repr(value)} that is {_value_word(value)})"
            )
            raise ValueError(msg)
        if isinstance(value, (int, float)):
            if isinstance(value, float) and not math.isfinite(value):
                msg = f"option {name!r} must be a finite number (got {value!r})"
                raise ValueError(msg)
            # Any: a Fraction or Decimal compares with ints and floats.
            low: Any = self.minimum
            high: Any = self.maximum
            if _is_number(low) and value < low:
                shown = short_repr(value)
                msg = f"option {name!r} must be at least {low} (got {shown})"
                raise ValueError(msg)
            if _is_number(high) and value > high:
                shown = short_repr(value)
                msg = f"option {name!r} must be at most {high} (got {shown})"
                raise ValueError(msg)
        return value

    def _duration(self, name: str, value: object) -> dt.timedelta:
        """Return the duration option *name*'s *value* as a timedelta (see validate)."""
        if isinstance(value, dt.timedelta):
            delta, shown = value, _duration_text(value)
        else:
            delta, problem = _read_duration(value)
            shown = short_repr(value) if isinstance(value, str) else str(value)
            if problem is not None:
                msg = f"option {name!r} must be {_type_word(dt.timedelta)} ({problem})"
                raise ValueError(msg)
        low, high = self.minimum, self.maximum
        if isinstance(low, dt.timedelta) and delta < low:
            msg = (
                f"option {name!r} must be at least {_duration_text(low)} (got {shown})"
            )
            raise ValueError(msg)
        if isinstance(high, dt.timedelta) and delta > high:
            msg = (
                f"option {name!r} must be at most {_duration_text(high)} (got {shown})"
            )
            raise ValueError(msg)
        return delta

    def to_config(self, value: object) -> object:
        """Return *value*, a value of this option, as configuration writes it.

        A duration is its text (``"2h"``, ``"1h30m"``), which :meth:`validate`
        reads back; other values are returned as they are. So the result is
        plain data for JSON, TOML and YAML.
        """
        if isinstance(value, dt.timedelta):
            return _duration_text(value)
        return value

    def config_text(self, value: object) -> str:
        """Return *value* as TOML configuration writes it: ``"2h"``, ``5``, ``true``."""
        return _option_text(self.to_config(value))

    def default_text(self) -> str:
        """Return the default as configuration writes it, or ``(derived)`` if None.

        A default of None means that the rule works the value out when
        configuration sets none (its help says how, as OSK703's `max-days`
        does); ``(derived)`` is no value a configuration could write.
        ``outsourcekit explain`` and the rule reference show defaults so.
        """
        if self.default is None:
            return _DERIVED
        return self.config_text(self.default)


def _is_number(value: object) -> bool:
    """Whether *value* is a real number (an int, float, Decimal, Fraction), not a bool.

    :class:`~decimal.Decimal` is no :class:`numbers.Real`, yet compares with
    ints and floats as one.
    """
    return isinstance(value, (numbers.Real, Decimal)) and not isinstance(value, bool)


def _is_nan(value: object) -> bool:
    """Whether *value* is a NaN, which no number is above or below."""
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, numbers.Real) and math.isnan(value)


def _duration_text(value: dt.timedelta) -> str:
    """Write a duration as the file format does: ``2h``, ``1h30m``, ``2d``, ``45s``.

    Days, hours, minutes and seconds (with their fraction) that are not zero, in
    that order; ``0h`` for no time at all. The text reads back to *value*
    (:class:`~outsourcekit.model.Duration`) unless *value* is negative, which the
    file format cannot write: it is shown with a leading ``-``.
    """
    if value < dt.timedelta(0):
        return "-" + _duration_text(-value)
    micros = value // dt.timedelta(microseconds=1)
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        count, micros = divmod(micros, size * 1_000_000)
        if count:
            parts.append(f"{count}{unit}")
    if micros:
        seconds, fraction = divmod(micros, 1_000_000)
        decimals = f"{fraction:06d}".rstrip("0")
        parts.append(f"{seconds}.{decimals}s" if decimals else f"{seconds}s")
    return "".join(parts) or "0h"


def _read_duration(value: object) -> tuple[dt.timedelta, str | None]:
    """Return the timedelta *value* (text or a Duration) gives, and what is wrong.

    The second item is None when *value* is a fixed duration, else the
    parenthesis of an option's message: what was given and why it is refused.
    """
    if isinstance(value, str):
        try:
            value = Duration.parse(value)
        except ValueParseError as error:
            hint = "" if error.hint is None else f"; {error.hint}"
            return dt.timedelta(0), f"got {short_repr(error.text)}{hint}"
    if isinstance(value, Duration):
        if value.business_days is not None:
            return dt.timedelta(0), (
                f"got {short_repr(value.text)}; business days are no fixed length of "
                "time: use hours, days or weeks"
            )
        return value.timedelta, None
    problem = f"got {short_repr(value)} that is {_value_word(value)}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        problem += "; a number needs a unit"
    return dt.timedelta(0), problem


def _type_word(t: type) -> str:
    return {
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        str: "text",
        tuple: "a list of texts",
        dt.timedelta: "a duration such as 2h, 90m or PT1H30M",
    }.get(t, t.__name__)


def _value_word(value: object) -> str:
    """Return what *value* is, as the model's errors say: ``a whole number``."""
    return {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "text",
        list: "a list",
        tuple: "a list",
        dict: "a mapping",
        type(None): "null",
        dt.timedelta: "a duration",
    }.get(type(value)) or kind_of(value)


def _strings(name: str, value: object) -> tuple[str, ...]:
    """Return the strings of a list option: a list, or one comma-separated string."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    msg = (
        f"option {name!r} must be {_type_word(tuple)} "
        f"(got {short_repr(value)} that is {_value_word(value)})"
    )
    raise ValueError(msg)


def _check_code(_inst: Rule, _attribute: attrs.Attribute[Any], value: str) -> None:
    if not CODE_PATTERN.fullmatch(value):
        msg = (
            "rule code must be upper-case letters then digits, like 'ACME001' "
            f"(got {value!r})"
        )
        raise ValueError(msg)


def _check_slug(_inst: Rule, _attribute: attrs.Attribute[Any], value: str) -> None:
    if not SLUG_PATTERN.fullmatch(value):
        msg = (
            "rule slug must be lower-case words joined by '-', like 'no-escalation' "
            f"(got {value!r})"
        )
        raise ValueError(msg)


def _severity(value: str | Severity) -> Severity:
    return Severity.parse(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _options(value: Mapping[str, Any] | None) -> Mapping[str, Option]:
    if value is None:
        return {}
    return {
        k: o if isinstance(o, Option) else Option(default=o) for k, o in value.items()
    }


@attrs.frozen(kw_only=True)
class Rule:
    """One check: its metadata, its options, its documentation and its function.

    Rules are made with :func:`rule`. ``scope`` says what the function receives:
    ``"engagement"`` (one engagement at a time), ``"portfolio"`` (every engagement
    of the run, once) or ``"findings"`` (one engagement at a time, after the other
    rules ran, with their findings in ``ctx.findings``).
    """

    code: str = attrs.field(validator=_check_code)
    slug: str = attrs.field(validator=_check_slug)
    title: str
    category: str = attrs.field(validator=_check_slug)
    severity: Severity = attrs.field(converter=_severity)
    fix: str
    func: RuleFunction = attrs.field(repr=False, eq=False)
    options: Mapping[str, Option] = attrs.field(factory=dict, converter=_options)
    doc: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    scope: Scope = "engagement"
    plugin: str | None = attrs.field(default=None, eq=False)
    #: For a portfolio rule: the function giving each engagement's fact, so that
    #: the rule decides from facts (and a portfolio checked in parts is judged
    #: as a whole); None for a rule that receives every engagement.
    facts: FactsFunction | None = attrs.field(default=None, eq=False, repr=False)
    #: For a findings rule: the function giving, of one of its findings, the
    #: rules whose findings it judged, so that a baseline compares the finding
    #: where those rules ran; None for a rule that judges every rule's.
    inputs: InputsFunction | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.scope not in {"engagement", "portfolio", "findings"}:
            msg = (
                "rule scope must be engagement, portfolio or findings "
                f"(got {self.scope!r})"
            )
            raise ValueError(msg)
        if self.facts is not None and self.scope != "portfolio":
            msg = (
                f"rule {self.code} has facts but scope {self.scope!r}: only a "
                "portfolio rule decides from facts (give scope='portfolio')"
            )
            raise ValueError(msg)
        inputs: object = self.inputs
        if inputs is not None and self.scope != "findings":
            msg = (
                f"rule {self.code} has inputs but scope {self.scope!r}: only a "
                "findings rule judges other rules' findings (give scope='findings')"
            )
            raise ValueError(msg)
        if inputs is not None and not callable(inputs):
            msg = (
                f"rule {self.code}: inputs must be a function of one finding "
                f"(got {short_repr(inputs)})"
            )
            raise TypeError(msg)
        facts: object = self.facts
        if facts is not None and not callable(facts):
            msg = (
                f"rule {self.code}: facts must be a function of (engagement, ctx) "
                f"(got {short_repr(facts)})"
            )
            raise TypeError(msg)

    @property
    def splits(self) -> bool:
        """Whether the rule gives the same findings however the portfolio is split.

        Engagement and findings rules do; a portfolio rule does when it decides
        from facts (``facts=``), not from every engagement at once.
        """
        return self.scope != "portfolio" or self.facts is not None

    @property
    def defaults(self) -> dict[str, Any]:
        """The options' default values."""
        return {name: o.default for name, o in self.options.items()}

    def sections(self) -> dict[str, str]:
        """Split the documentation into its ``DOC_SECTIONS`` (missing ones absent)."""
        return split_sections(self.doc)

    def with_plugin(self, plugin: str) -> Rule:
        """Return a copy that records the plugin that registered it."""
        return attrs.evolve(self, plugin=plugin)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        """Pickle a rule made at the top of a module by its name there.

        Worker processes (Dask's included) then import the rule, instead of
        receiving its function's code, and apply what differs (a severity set
        by configuration, the plugin that registered it); a rule made
        elsewhere is pickled as it is. So is one of the main script or a
        notebook (``__main__``): another process has a main of its own, and
        ``cloudpickle`` (which Dask uses) sends its function's code.
        """
        func = self.func
        module = sys.modules.get(getattr(func, "__module__", None) or "")
        name = getattr(func, "__qualname__", "")
        found = None if module is None else getattr(module, name, None)
        if (
            module is None
            or module.__name__ in _MAIN_MODULES
            or not isinstance(found, Rule)
            or found.func is not func
            or found.facts is not self.facts
            or found.inputs is not self.inputs
        ):
            return super().__reduce_ex__(protocol)
        changes = {
            field.name: getattr(self, field.name)
            for field in attrs.fields(Rule)
            if field.name not in {"func", "facts", "inputs"}
            and getattr(self, field.name) != getattr(found, field.name)
        }
        return (_named_rule, (module.__name__, name, changes))

    def option_name(self, name: str) -> str | None:
        """Return the rule's own spelling of option *name*, or None if it has none.

        Configuration writes options in kebab-case (``max-per-week``); a rule may
        declare them either way, so ``-`` and ``_`` are treated alike.
        """
        if name in self.options:
            return name
        wanted = name.replace("_", "-")
        for own in self.options:
            if own.replace("_", "-") == wanted:
                return own
        return None

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show one line where IPython shows text; ``repr()`` stays in full.

        A notebook keeps that text: with the documentation, ``repr()`` of a
        list of every rule is a hundred kilobytes.
        """
        del cycle  # a rule never holds itself
        printer.text(
            f"<Rule {self.code} {self.slug}: {self.category}, {self.severity}>"
        )

    def explain(self) -> str:
        """Return the rule's documentation as ``outsourcekit explain`` shows it.

        It gives the title, code, slug, category, severity and options with their
        defaults, then the documentation's sections, then the fix.
        """
        lines = [
            f"{self.code} {self.slug}: {self.title}",
            "",
            f"Category: {self.category}",
            f"Severity: {self.severity.value}",
        ]
        if self.plugin is not None:
            lines.append(f"Plugin: {self.plugin}")
        if self.sources:
            lines.append(f"Sources: {', '.join(self.sources)}")
        if self.options:
            lines.append("Options:")
            for name, option in sorted(self.options.items()):
                text = f"  {name} = {option.default_text()}"
                if option.help:
                    text += f"  ({option.help})"
                lines.append(text)
        else:
            lines.append("Options: none")
        sections = self.sections()
        if sections:
            for title in DOC_SECTIONS:
                if title in sections:
                    lines += ["", title, "-" * len(title), sections[title]]
        elif self.doc.strip():
            lines += ["", self.doc.strip()]
        lines += ["", f"Fix: {self.fix}"]
        return "\n".join(lines) + "\n"

    def __call__(
        self, target: Engagement | Sequence[Engagement], ctx: Context
    ) -> Iterable[Finding]:
        """Run the rule's function.

        A portfolio rule with facts is given the engagements: their facts are
        gathered (in engagement-id order) and its function decides from them.
        """
        if self.facts is not None:
            from ._facts import gather_facts  # noqa: PLC0415 - avoids an import cycle

            return self.func(gather_facts(self, target, ctx), ctx)
        return self.func(target, ctx)


#: The names the main script goes by: another process's are its own.
_MAIN_MODULES: Final = frozenset({"__main__", "__mp_main__"})


def _named_rule(module: str, name: str, changes: Mapping[str, Any]) -> Rule:
    """Return the rule *name* of *module* with *changes* (``Rule.__reduce_ex__``)."""
    found: Rule = getattr(importlib.import_module(module), name)
    return attrs.evolve(found, **changes) if changes else found


def _option_text(value: object) -> str:
    """Return an option value as configuration writes it (TOML-like)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


class UnknownRuleError(LookupError):
    """No rule has the code or slug asked for.

    ``name`` is what was asked for and ``suggestion`` the closest known code or
    slug (or None).
    """

    def __init__(self, name: str, suggestion: str | None) -> None:
        self.name = name
        self.suggestion = suggestion
        hint = "" if suggestion is None else f" (did you mean {suggestion!r}?)"
        super().__init__(f"no rule has the code or slug {short_repr(name)}{hint}")


def find_rule(name: str, rules: Iterable[Rule]) -> Rule:
    """Return the rule whose code or slug is *name* (codes ignore case).

    Raise :class:`UnknownRuleError`, suggesting the closest name, when none is;
    TypeError when *name* is no text.
    """
    given: object = name  # callers without type checks pass anything
    if not isinstance(given, str):
        msg = (
            f"a rule is named by its code or slug (text), got {short_repr(given, 40)} "
            f"({kind_of(given)})"
        )
        raise TypeError(msg)
    candidates = tuple(rules)
    for candidate in candidates:
        if name in {candidate.code, candidate.slug} or name.upper() == candidate.code:
            return candidate
    names = [n for r in candidates for n in (r.code, r.slug)]
    raise UnknownRuleError(name, suggest(name, names))


#: How many rules of a code prefix or a category :func:`rules_named` names.
_NAMED_RULES: Final = 10


def rules_named(name: str, rules: Iterable[Rule]) -> str | None:
    """Return what *name* is when it names several rules, and which, else None.

    *name* is a code prefix or a category, case ignored: ``"a category, of
    OSK601 and OSK602"``; more than ten rules are counted (``"a code prefix,
    of 65 rules (outsourcekit rules lists them)"``). Where one rule is asked
    for, the closest code would mislead: the others are meant too.
    """
    candidates = tuple(rules)
    folded = name.casefold()
    prefixed = [
        r.code for r in candidates if folded and r.code.casefold().startswith(folded)
    ]
    in_category = [r.code for r in candidates if r.category.casefold() == folded]
    if prefixed:
        what, codes = "a code prefix", prefixed
    elif in_category:
        what, codes = "a category", in_category
    else:
        return None
    if len(codes) > _NAMED_RULES:
        of = f"{len(codes)} rules (outsourcekit rules lists them)"
    else:
        of = ", ".join(codes[:-1]) + f" and {codes[-1]}" if len(codes) > 1 else codes[0]
    return f"{what}, of {of}"


_HEADING = re.compile(r"^(#+\s*)?(?P<title>[A-Z][A-Za-z ]+?)\s*:?\s*$")


def split_sections(doc: str) -> dict[str, str]:
    """Split a rule's documentation into its sections by their headings.

    A heading is one of ``DOC_SECTIONS`` alone on a line, optionally as a Markdown
    heading (``## Why it matters``) or followed by a colon.
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines():
        m = _HEADING.match(line.strip())
        if m and m.group("title") in DOC_SECTIONS:
            current = sections.setdefault(m.group("title"), [])
            continue
        if current is not None:
            current.append(line)
    return {k: "\n".join(v).strip("\n") for k, v in sections.items()}


def rule(  # noqa: PLR0913
    *,
    code: str,
    slug: str,
    title: str,
    category: str,
    severity: str | Severity,
    fix: str,
    options: Mapping[str, Any] | None = None,
    doc: str | None = None,
    sources: Iterable[str] = (),
    scope: Scope = "engagement",
    facts: FactsFunction | None = None,
    inputs: InputsFunction | None = None,
) -> Callable[[RuleFunction], Rule]:
    """Make a :class:`Rule` of the decorated function.

    The function's docstring is the rule's documentation unless *doc* is given.
    *options* maps option names to defaults or :class:`Option` objects.

    *facts* (portfolio rules only) is a function of ``(engagement, ctx)``
    returning the small, picklable value the rule needs of each engagement, or
    None when the engagement contributes nothing. The decorated function then
    receives, instead of the engagements, their facts as a sequence of
    :class:`~outsourcekit.engine.PortfolioFact` ``(engagement, value)`` pairs in
    engagement-id order, and names the engagement of each finding by id
    (``ctx.finding(..., engagement=fact.engagement)``). Such a rule gives the
    same findings however the portfolio is split into parts (``--jobs``,
    :func:`~outsourcekit.engine.check_stream`, Dask): parts send facts, not
    engagements.

    *inputs* (findings rules only) is a function of one of the rule's
    findings returning the codes or slugs of the rules whose findings it
    judged (OSK905: the rule its waiver names), or None when it cannot tell.
    Compared with a baseline (:meth:`~outsourcekit.Report.diff`), a
    finding of the rule is fixed only where those rules ran; without
    *inputs*, only where every rule ran.
    """

    def decorate(func: RuleFunction) -> Rule:
        text = doc if doc is not None else inspect.getdoc(func) or ""
        return Rule(
            code=code,
            slug=slug,
            title=title,
            category=category,
            severity=Severity.parse(severity),
            fix=fix,
            func=func,
            options=_options(options),
            doc=text,
            sources=tuple(sources),
            scope=scope,
            facts=facts,
            inputs=inputs,
        )

    return decorate
