"""The rule engine: rules, findings, the context rules run in, and checking.

The engine reads no files: :mod:`outsourcekit.config` reads configuration,
central waiver files and saved reports into the data the engine takes.
"""

from typing import Any

from . import _deprecated
from ._check import UnsplittableRuleError, check
from ._config import Config
from ._context import Context
from ._errors import ConfigError
from ._facts import PortfolioFact
from ._finding import Finding
from ._report import (
    CategoryStatistics,
    EngagementResult,
    FindingCounts,
    Issue,
    PluginError,
    PluginVersion,
    Report,
    ReportDiff,
    RuleError,
    RuleStatistics,
    SkippedFile,
    Statistics,
)
from ._rule import (
    FactsFunction,
    InputsFunction,
    Option,
    Rule,
    RuleFunction,
    Scope,
    Severity,
    UnknownRuleError,
    find_rule,
    rule,
    rules_named,
)
from ._split import (
    CHUNK_SIZE,
    Locate,
    Part,
    ReportSink,
    check_part,
    check_stream,
    combine,
)
from ._waivers import CentralWaiver, waiver_matches

#: What a user or a plugin author needs: rules and their context, checking, the
#: report and its parts. Everything else is internal to the engine.
__all__ = [
    "CHUNK_SIZE",
    "CategoryStatistics",
    "CentralWaiver",
    "Config",
    "ConfigError",
    "Context",
    "EngagementResult",
    "FactsFunction",
    "Finding",
    "FindingCounts",
    "InputsFunction",
    "Issue",
    "Locate",
    "Option",
    "Part",
    "PluginError",
    "PluginVersion",
    "PortfolioFact",
    "Report",
    "ReportDiff",
    "ReportSink",
    "Rule",
    "RuleError",
    "RuleFunction",
    "RuleStatistics",
    "Scope",
    "Severity",
    "SkippedFile",
    "Statistics",
    "UnknownRuleError",
    "UnsplittableRuleError",
    "check",
    "check_part",
    "check_stream",
    "combine",
    "find_rule",
    "rule",
    "rules_named",
    "waiver_matches",
]


def __getattr__(name: str) -> Any:
    """Give the names that moved to :mod:`outsourcekit.config`, with a warning."""
    if name in _deprecated.MOVED:
        return _deprecated.moved(name)
    msg = f"module 'outsourcekit.engine' has no attribute {name!r}"
    raise AttributeError(msg)
