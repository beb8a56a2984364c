"""The built-in catalogue as a whole: completeness, documentation and examples."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from outsourcekit import Config, check
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.engine._rule import DOC_SECTIONS
from outsourcekit.examples import examples_path
from outsourcekit.io import load_all, loads

if TYPE_CHECKING:
    from outsourcekit.engine import Rule

AS_OF = dt.date(2026, 11, 22)

#: The catalogue of rules.md: code, slug, category, default severity.
CATALOGUE = [
    ("OSK101", "no-objectives", "clarity", "error"),
    ("OSK102", "unmeasurable-objective", "clarity", "warning"),
    ("OSK103", "no-deliverable-spec", "clarity", "error"),
    ("OSK104", "no-quality-standard", "clarity", "warning"),
    ("OSK105", "no-performance-standard", "clarity", "warning"),
    ("OSK106", "missing-deadline", "clarity", "warning"),
    ("OSK107", "no-instructions", "clarity", "warning"),
    ("OSK108", "no-written-vision", "clarity", "info"),
    ("OSK109", "no-task-checklist", "clarity", "info"),
    ("OSK201", "unvetted-vendor", "partner", "error"),
    ("OSK202", "no-trial-project", "partner", "warning"),
    ("OSK203", "cost-only-selection", "partner", "warning"),
    ("OSK204", "critical-work-first", "partner", "warning"),
    ("OSK205", "region-inexperience", "partner", "info"),
    ("OSK206", "failed-trial-continued", "partner", "error"),
    ("OSK207", "single-quote", "partner", "info"),
    ("OSK301", "micromanagement", "oversight", "warning"),
    ("OSK302", "micromanagement-in-practice", "oversight", "warning"),
    ("OSK303", "no-check-ins", "oversight", "warning"),
    ("OSK304", "infrequent-check-ins", "oversight", "info"),
    ("OSK305", "no-feedback", "oversight", "info"),
    ("OSK306", "meeting-load", "oversight", "warning"),
    ("OSK401", "no-communication-plan", "communication", "error"),
    ("OSK402", "no-response-time", "communication", "warning"),
    ("OSK403", "email-only", "communication", "info"),
    ("OSK404", "no-pm-tool", "communication", "info"),
    ("OSK405", "silent-milestone", "communication", "warning"),
    ("OSK406", "no-escalation-path", "communication", "info"),
    ("OSK407", "no-milestones", "communication", "info"),
    ("OSK501", "no-working-overlap", "time-zones", "warning"),
    ("OSK502", "unknown-working-hours", "time-zones", "info"),
    ("OSK503", "meeting-outside-hours", "time-zones", "warning"),
    ("OSK601", "missing-nda", "confidentiality", "error"),
    ("OSK602", "nda-after-sharing", "confidentiality", "warning"),
    ("OSK603", "nda-expired", "confidentiality", "error"),
    ("OSK604", "insecure-sharing", "confidentiality", "warning"),
    ("OSK605", "no-security-review", "confidentiality", "warning"),
    ("OSK606", "missing-dpa", "confidentiality", "error"),
    ("OSK607", "access-not-revoked", "confidentiality", "error"),
    ("OSK608", "data-handling-unknown", "confidentiality", "info"),
    ("OSK701", "no-kpis", "performance", "error"),
    ("OSK702", "kpi-without-target", "performance", "warning"),
    ("OSK703", "kpi-not-measured", "performance", "warning"),
    ("OSK704", "kpi-target-missed", "performance", "warning"),
    ("OSK705", "no-recent-review", "performance", "warning"),
    ("OSK706", "termination-ignored", "performance", "warning"),
    ("OSK801", "no-written-agreement", "agreement", "error"),
    ("OSK802", "unsigned-agreement", "agreement", "error"),
    ("OSK803", "no-payment-terms", "agreement", "warning"),
    ("OSK804", "no-service-levels", "agreement", "info"),
    ("OSK805", "agreement-expired", "agreement", "error"),
    ("OSK806", "no-termination-terms", "agreement", "info"),
    ("OSK807", "work-before-agreement", "agreement", "warning"),
    ("OSK808", "agreement-expiring", "agreement", "info"),
    ("OSK809", "one-sided-signature", "agreement", "warning"),
    ("OSK810", "no-agreement-copy", "agreement", "info"),
    ("OSK901", "waiver-expired", "governance", "warning"),
    ("OSK902", "waiver-without-reason", "governance", "error"),
    ("OSK903", "vendor-concentration", "governance", "info"),
    ("OSK904", "core-work-outsourced", "governance", "info"),
    ("OSK905", "unused-waiver", "governance", "info"),
    ("OSK906", "no-owner", "governance", "warning"),
    ("OSK907", "no-exit-plan", "governance", "warning"),
    ("OSK908", "stale-status", "governance", "warning"),
    ("OSK909", "unknown-waiver-rule", "governance", "warning"),
]

#: The changed conditions rules.md lists for catalogue 1.1 (besides placeholders),
#: by rule: words the rule's "Changed in catalogue 1.1" line must say.
CHANGED_IN_1_1 = [
    ("OSK102", "a `kpi` naming no KPI of the engagement counts as none"),
    ("OSK302", "only check-ins called by the client count"),
    ("OSK502", "one finding per engagement"),
    ("OSK601", "personal data makes the rule apply"),
    ("OSK603", "personal data makes the rule apply"),
    ("OSK604", "personal data makes the rule apply, and makes its findings errors"),
    ("OSK605", "personal data makes the rule apply"),
    ("OSK608", "silent when personal data is shared"),
    ("OSK802", "only engagements in force are judged"),
    ("OSK805", "only engagements in force are judged"),
    ("OSK808", "only engagements in force are judged"),
    ("OSK808", "silent when the engagement ends on or before the agreement expires"),
    ("OSK907", "a warning (it was info)"),
]
_CHANGED = re.compile(
    r"^Changed in catalogue 1\.1: (.*?)(?:\n\n|\Z)", re.MULTILINE | re.DOTALL
)

_NEW = re.compile(r"^New in catalogue 1\.1", re.MULTILINE)

_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
_AS_OF = re.compile(r"^# as_of: (\d{4}-\d{2}-\d{2})")

BY_CODE = {r.code: r for r in BUILTIN_RULES}


def _examples(rule: Rule) -> list[str]:
    return _YAML_BLOCK.findall(rule.sections().get("Example", ""))


def _codes_on(text: str) -> set[str]:
    m = _AS_OF.match(text)
    as_of = dt.date.fromisoformat(m.group(1)) if m else AS_OF
    engagement = loads(text, format="yaml")
    report = check([engagement], as_of=as_of, rules=BUILTIN_RULES)
    return {f.rule for f in report.findings}


class TestCatalogue:
    def test_matches_the_specification(self):
        """The built-in rules are exactly those of rules.md, in catalogue order."""
        actual = [(r.code, r.slug, r.category, r.severity.value) for r in BUILTIN_RULES]

        assert actual == CATALOGUE

    @pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
    def test_documented(self, rule):
        """Every rule has a title, a fix and its four documentation sections."""
        sections = rule.sections()

        assert rule.title
        assert rule.fix
        assert list(DOC_SECTIONS) == [s for s in DOC_SECTIONS if sections.get(s)]
        assert rule.doc.splitlines()[0].strip()

    @pytest.mark.parametrize(("code", "words"), CHANGED_IN_1_1)
    def test_changes_in_1_1_documented(self, code, words):
        """Each changed condition of catalogue 1.1 is a line of its rule's docs."""
        doc = BY_CODE[code].sections().get("What it checks", "")
        (line,) = _CHANGED.findall(doc)

        assert words in " ".join(line.split())

    @pytest.mark.parametrize(
        "rule",
        [r for r in BUILTIN_RULES if "placeholder" in r.sections()["What it checks"]],
        ids=lambda r: r.code,
    )
    def test_placeholder_change_documented(self, rule):
        """A rule that treats placeholders as absent says it changed in 1.1."""
        doc = rule.sections()["What it checks"]
        (line,) = _CHANGED.findall(doc) or _NEW.findall(doc)

        assert "New in catalogue 1.1" == line or "placeholder" in line

    @pytest.mark.parametrize("rule", BUILTIN_RULES, ids=lambda r: r.code)
    def test_examples(self, rule):
        """The documented failing example fires the rule; the passing one does not."""
        failing, passing = _examples(rule)

        assert rule.code in _codes_on(failing)
        assert rule.code not in _codes_on(passing)


@pytest.fixture(scope="module")
def example_report():
    return check(load_all([examples_path()]), as_of=AS_OF, rules=BUILTIN_RULES)


def _reference_module():
    """Import the Sphinx extension that generates the rule reference page."""
    path = Path(__file__).parents[2] / "docs" / "_ext" / "rules_reference.py"
    spec = importlib.util.spec_from_file_location("rules_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestReference:
    def test_every_rule_has_a_section(self):
        """The generated reference has one section and one table row per rule."""
        text = _reference_module().render_rules()

        assert [f"### {r.code} `{r.slug}`" for r in BUILTIN_RULES] == re.findall(
            r"^### OSK\d+ `[a-z-]+`", text, re.MULTILINE
        )
        assert len(BUILTIN_RULES) == len(
            re.findall(r"^\| OSK\d+ \|", text, re.MULTILINE)
        )

    def test_options_as_configuration_writes_them(self):
        """An option's default is shown as configuration writes it: "2h"."""
        text = _reference_module().render_rules()

        assert (
            '| `min-overlap` | `"2h"` | How long the parties\' working days must '
            "overlap, a duration such as 2h, 90m or 1h30m. |"
        ) in text
        assert "| `max-per-week` | `5` |" in text

    def test_derived_default(self):
        """An option the rule derives when unset shows as explain shows it."""
        text = _reference_module().render_rules()

        assert (
            "| `max-days` | (derived) | days a KPI may go unmeasured; unset: exactly "
            "twice the longest gap of its `measured` cadence, else 60 |"
        ) in text

    def test_counts_the_catalogue(self):
        """The page states how many rules the catalogue has."""
        text = _reference_module().render_catalogue()

        assert text.startswith(f"The catalogue has {len(CATALOGUE)} rules.")


class TestBundledExamples:
    @pytest.mark.parametrize("code", sorted(BY_CODE))
    def test_every_rule_fires_somewhere(self, example_report, code):
        """Each rule fires in at least one bundled example engagement."""
        assert code in {f.rule for f in example_report.findings}

    def test_clean_examples(self, example_report):
        """At least two bundled examples are clean: no finding, score 100."""
        clean = [e.id for e in example_report.engagements if not e.findings]

        assert len(clean) >= 2
        assert all(example_report.score(i) == 100 for i in clean)

    def test_no_rule_errors(self, example_report):
        """No rule raises on the bundled examples."""
        assert tuple(example_report.rule_errors) == ()


#: Every whole-number option of a built-in rule, as (code, option).
WHOLE_NUMBER_OPTIONS = [
    (r.code, name.replace("_", "-"))
    for r in BUILTIN_RULES
    for name, option in r.options.items()
    if option.type is int
]


class TestLargeOptions:
    @pytest.mark.parametrize(("code", "option"), WHOLE_NUMBER_OPTIONS)
    def test_any_whole_number_is_taken(self, code, option):
        """An option has no maximum: a huge one (a limit never reached) runs."""
        report = check(
            load_all([examples_path()]),
            as_of=AS_OF,
            rules=BUILTIN_RULES,
            config=Config(select=[code], rules={code: {option: 10**20}}),
        )

        assert () == tuple(report.rule_errors)
