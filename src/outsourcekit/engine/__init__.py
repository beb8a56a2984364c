"""The rule engine: rules, findings, the context rules run in, and checking.

The engine reads no files: :mod:`outsourcekit.config` reads configuration,
central waiver files and saved reports into the data the engine takes.
"""

from typing import Any

from . import _deprecated
from ._check import check
from ._config import FAIL_ON, Config, Plan, RulePlan
from ._context import Context
from ._errors import ConfigError
from ._finding import Finding
from ._report import (
    REPORT_FORMAT,
    CategoryStatistics,
    EngagementResult,
    Issue,
    PluginError,
    PluginVersion,
    Report,
    ReportDiff,
    RuleError,
    RuleStatistics,
    SavedIssue,
    SkippedFile,
    Statistics,
)
from ._rule import (
    DOC_SECTIONS,
    Option,
    Rule,
    RuleFunction,
    Scope,
    Severity,
    UnknownRuleError,
    find_rule,
    rule,
    split_sections,
)
from ._scoring import MAX_SCORE, PENALTIES, engagement_score, portfolio_score
from ._waivers import CentralWaiver, waiver_matches

__all__ = [
    "DOC_SECTIONS",
    "FAIL_ON",
    "MAX_SCORE",
    "PENALTIES",
    "REPORT_FORMAT",
    "CategoryStatistics",
    "CentralWaiver",
    "Config",
    "ConfigError",
    "Context",
    "EngagementResult",
    "Finding",
    "Issue",
    "Option",
    "Plan",
    "PluginError",
    "PluginVersion",
    "Report",
    "ReportDiff",
    "Rule",
    "RuleError",
    "RuleFunction",
    "RulePlan",
    "RuleStatistics",
    "SavedIssue",
    "Scope",
    "Severity",
    "SkippedFile",
    "Statistics",
    "UnknownRuleError",
    "check",
    "engagement_score",
    "find_rule",
    "portfolio_score",
    "rule",
    "split_sections",
    "waiver_matches",
]


def __getattr__(name: str) -> Any:
    """Give the names that moved to :mod:`outsourcekit.config`, with a warning."""
    if name in _deprecated.MOVED:
        return _deprecated.moved(name)
    msg = f"module 'outsourcekit.engine' has no attribute {name!r}"
    raise AttributeError(msg)
