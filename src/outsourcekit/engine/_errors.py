"""The configuration error: a bad key, rule, option or value, with a suggestion.

And how errors of the engine's callers name the kind of a value they were given.
"""

from __future__ import annotations

from outsourcekit._shorten import kind_of, short_repr

__all__ = ["ConfigError", "kind_of", "shown"]


class ConfigError(ValueError):
    """Configuration (or a central waiver file) names something unknown or invalid.

    The parts are kept as data: ``source`` (the file, or None), ``line`` and
    ``column`` (1-based, where known), ``key`` (the dotted key, like
    ``rules.micromanagement.max-per-week``), ``flag`` (the command-line flag the
    value came from, like ``--select``, or None), ``problem`` (what was expected
    and what was received) and ``suggestion`` (the closest known name, or None).

    The message starts with where the value was given: ``outsourcekit.toml:3:
    fail-on: ...`` for a file, ``--select: ...`` for a flag.
    """

    def __init__(  # noqa: PLR0913 - each part is kept as data
        self,
        problem: str,
        *,
        source: str | None = None,
        key: str | None = None,
        suggestion: str | None = None,
        line: int | None = None,
        column: int | None = None,
        flag: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.key = key
        self.suggestion = suggestion
        self.line = line
        self.column = column
        self.flag = flag
        hint = "" if suggestion is None else f" (did you mean {suggestion!r}?)"
        text = f"{problem}{hint}"
        if flag is not None:
            super().__init__(f"{flag}: {text}")
            return
        position = source
        if source is not None and line is not None:
            position = f"{source}:{line}"
        where = ": ".join(part for part in (position, key) if part)
        super().__init__(f"{where}: {text}" if where else text)


#: What values of the common kinds are called, in plain words.
_WORDS = {
    str: "text",
    bytes: "bytes",
    int: "a whole number",
    float: "a number",
    list: "a list",
    tuple: "a list",
    dict: "a mapping",
    set: "a set",
}


def shown(value: object) -> str:
    """Return *value* as an error message shows what it got: ``3 (a whole number)``.

    None, True and False show as themselves; anything else with what it is.
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    word = _WORDS.get(type(value)) or kind_of(value)
    return f"{short_repr(value)} ({word})"
