"""The rule engine: rules, findings, the context rules run in, and checking."""

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
    Report,
    ReportDiff,
    RuleError,
    RuleStatistics,
    SavedIssue,
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
from ._waivers import CentralWaiver, load_waiver_file, waiver_matches

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
    "Statistics",
    "UnknownRuleError",
    "check",
    "engagement_score",
    "find_rule",
    "load_waiver_file",
    "portfolio_score",
    "rule",
    "split_sections",
    "waiver_matches",
]
