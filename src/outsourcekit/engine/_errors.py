"""The configuration error: a bad key, rule, option or value, with a suggestion."""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(ValueError):
    """Configuration (or a central waiver file) names something unknown or invalid.

    The parts are kept as data: ``source`` (the file, or None), ``key`` (the dotted
    key, like ``rules.micromanagement.max-per-week``), ``problem`` (what was
    expected and what was received) and ``suggestion`` (the closest known name,
    or None).
    """

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        key: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = source
        self.key = key
        self.suggestion = suggestion
        where = ": ".join(part for part in (source, key) if part)
        hint = "" if suggestion is None else f" (did you mean {suggestion!r}?)"
        text = f"{problem}{hint}"
        super().__init__(f"{where}: {text}" if where else text)
