"""The built-in rule catalogue, registered through the public plugin hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from outsourcekit.hookspecs import hookimpl

from . import (
    agreement,
    clarity,
    communication,
    confidentiality,
    governance,
    oversight,
    partner,
    performance,
    timezones,
)

if TYPE_CHECKING:
    from outsourcekit.engine import Rule

__all__ = ["BUILTIN_RULES", "outsourcekit_register_rules"]

#: Every built-in rule, in catalogue order.
BUILTIN_RULES: tuple[Rule, ...] = (
    *clarity.RULES,
    *partner.RULES,
    *oversight.RULES,
    *communication.RULES,
    *timezones.RULES,
    *confidentiality.RULES,
    *performance.RULES,
    *agreement.RULES,
    *governance.RULES,
)


@hookimpl
def outsourcekit_register_rules() -> tuple[Rule, ...]:
    """Register the built-in catalogue."""
    return BUILTIN_RULES
