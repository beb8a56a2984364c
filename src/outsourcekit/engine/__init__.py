"""The rule engine: rules, findings, the context rules run in, and checking."""

from ._context import Context
from ._finding import Finding
from ._rule import DOC_SECTIONS, Option, Rule, Severity, rule, split_sections

__all__ = [
    "DOC_SECTIONS",
    "Context",
    "Finding",
    "Option",
    "Rule",
    "Severity",
    "rule",
    "split_sections",
]
