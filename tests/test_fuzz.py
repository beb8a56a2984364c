"""Mutated engagement files: refused with a LoadError, or loaded and checked in full.

Each example mutates the text of a bundled example, in its own format and
dumped in the other two, at random: characters replaced, inserted or deleted,
lines doubled or dropped, numbers, durations and cadences made huge, one date
or all of them moved to the ends of the range of dates outsourcekit reads and
beyond. A mutant either is refused with a :class:`~outsourcekit.io.LoadError`
or loads, dumps and loads back equal in every format (TOML refuses a whole
number beyond its 64 bits, naming it), and checks with no rule
error at both ends of the range and at a date between; on the command line,
beside a good file, it gives exit status 0, 1 or 2, no traceback, and a report
that still holds the good file.

Bounded to run in seconds; set ``OUTSOURCEKIT_FUZZ_EXAMPLES`` (examples per
source, 12 by default) for a longer run.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from outsourcekit import engine, io, plugins
from outsourcekit._dates import FIRST_DATE, LAST_DATE
from outsourcekit.builtin.rules import BUILTIN_RULES
from outsourcekit.cli import cli
from outsourcekit.examples import examples_path

if TYPE_CHECKING:
    from outsourcekit.model import Engagement

FORMATS = {".yaml": "yaml", ".json": "json", ".toml": "toml"}
EXAMPLES = sorted(p for p in Path(examples_path()).iterdir() if p.suffix in FORMATS)
RUNS = int(os.environ.get("OUTSOURCEKIT_FUZZ_EXAMPLES", "12"))
#: Command-line runs per example: each checks two files, so fewer of them.
CLI_RUNS = max(2, RUNS // 4)
SETTINGS = settings(
    max_examples=RUNS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _sources() -> list[tuple[str, str, str]]:
    """Return each example as (name, format, text): as written, and dumped."""
    out = []
    for path in EXAMPLES:
        own = FORMATS[path.suffix]
        text = path.read_text(encoding="utf-8")
        loaded = io.loads(text, own)
        for fmt in FORMATS.values():
            written = text if fmt == own else io.dumps(loaded, fmt)
            out.append((f"{path.stem}.{fmt}", fmt, written))
    return out


SOURCES = _sources()
#: Each example as written, in its own format.
OWN_SOURCES = [
    (path.name, FORMATS[path.suffix], path.read_text(encoding="utf-8"))
    for path in EXAMPLES
]

#: Characters that matter to the three syntaxes, and some that matter to none.
_SYNTAX = ":-[]{}\",'#&*!|>%@`=.\n\t \\"
_NOISE = st.sampled_from([*_SYNTAX, "\x00", "\x85", "\u2028", "\ud800", "é"])
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]+")
#: The numbers of durations and of cadences' intervals.
_SPAN = re.compile(
    r"(?<=every )[0-9]+|(?<=INTERVAL=)[0-9]+|(?<=PT)[0-9]+"
    r"|\b[0-9]+(?= ?(?:h|m|d|w|days?|hours?|weeks?|minutes?|business days?)\b)"
)
_CADENCE = re.compile(r"\b(?:daily|weekly|fortnightly|monthly|quarterly|yearly)\b")
#: Dates at the ends of the range and beyond, as a date's text is replaced.
_EDGE_DAYS = st.sampled_from(
    ["0001-01-01", "1899-12-31", "1900-01-01", "2999-12-31", "3000-01-01", "9999-12-31"]
)
_DAYS = _EDGE_DAYS | st.dates(FIRST_DATE, LAST_DATE).map(dt.date.isoformat)
#: Numbers at and past the limits of cadences, durations and dates.
_NUMBERS = st.sampled_from(
    ["0", "1", "9999", "14285", "14286", "100000", "1000000", "1000001", "9" * 30]
)
_LONG_CADENCES = st.builds(
    "every {} {}s".format,
    _NUMBERS,
    st.sampled_from(["hour", "day", "week", "month", "year"]),
)
#: Edits of the text: of its syntax, and of its values only.
SYNTAX_KINDS = ("replace", "insert", "delete", "double", "drop")
VALUE_KINDS = ("date", "dates", "number", "span", "cadence")
#: The dates every mutant that loads is checked at, besides one drawn between.
EDGES = (FIRST_DATE, LAST_DATE)


def _swap(draw: st.DrawFn, text: str, pattern: re.Pattern[str], new: str) -> str:
    """Return *text* with one match of *pattern*, drawn, replaced by *new*."""
    found = list(pattern.finditer(text))
    if not found:
        return text
    match = found[draw(st.integers(0, len(found) - 1))]
    return text[: match.start()] + new + text[match.end() :]


def _value_edit(draw: st.DrawFn, text: str, kind: str) -> str:
    """Return *text* with one of its values changed, keeping its syntax."""
    if kind == "date":
        return _swap(draw, text, _DAY, draw(_DAYS))
    if kind == "dates":  # all of them, so that their order holds
        return _DAY.sub(draw(_DAYS), text)
    if kind == "number":
        return _swap(draw, text, _DIGITS, draw(_NUMBERS))
    if kind == "span":
        return _swap(draw, text, _SPAN, draw(_NUMBERS))
    return _swap(draw, text, _CADENCE, draw(_LONG_CADENCES))


def _syntax_edit(draw: st.DrawFn, text: str, kind: str) -> str:
    """Return *text* with characters or lines changed."""
    lines = text.splitlines(keepends=True)
    if kind in {"double", "drop"} and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines[i : i + 1] = [lines[i]] * 2 if kind == "double" else []
        return "".join(lines)
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    if kind == "delete":
        return text[:at] + text[at + draw(st.integers(1, 20)) :]
    noise = draw(st.text(_NOISE, min_size=1, max_size=5))
    end = at + (len(noise) if kind == "replace" else 0)
    return text[:at] + noise + text[end:]


@st.composite
def mutants(
    draw: st.DrawFn, text: str, kinds: tuple[str, ...] = SYNTAX_KINDS + VALUE_KINDS
) -> str:
    """Return *text* with one to four random edits of the *kinds* given."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(kinds))
        if kind in VALUE_KINDS:
            text = _value_edit(draw, text, kind)
        else:
            text = _syntax_edit(draw, text, kind)
    return text


def load_or_none(text: str, fmt: str, source: str) -> list[Engagement] | None:
    """Return the engagements of *text*, or None when it is refused with a LoadError."""
    try:
        loaded = io.loads(text, fmt, source=source)
    except io.LoadError as error:
        refused = error
    else:
        event("loaded")
        return loaded if isinstance(loaded, list) else [loaded]
    event("refused")
    assert refused.issues, "a LoadError lists its issues"
    return None


def rule_errors(engagements: list[Engagement], as_of: dt.date) -> list[str]:
    """Return the rule errors of checking *engagements* with the built-in rules."""
    report = engine.check(engagements, rules=BUILTIN_RULES, as_of=as_of)
    return [
        f"{e.rule} on {e.engagement}: {e.type}: {e.message}" for e in report.rule_errors
    ]


@pytest.fixture(scope="module", autouse=True)
def _no_plugins():
    """Run the command line with the built-in plugins only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(plugins.ENV_LOAD_PLUGINS, "")
        plugins.reset()
        yield
    plugins.reset()


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every click version."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


_IDS = [name for name, _, _ in SOURCES]
_OWN_IDS = [name for name, _, _ in OWN_SOURCES]


#: What a TOML dump says of a whole number beyond TOML's 64 bits, which the
#: other formats hold (a number made huge).
_NO_TOML_NUMBER = (
    r"^cannot write engagement '[^']*' as TOML: \S+ is -?[0-9]+, a whole number "
    r"TOML cannot hold \("
)


def _beyond_toml(data: object) -> bool:
    """Whether *data* holds a whole number beyond TOML's 64 bits."""
    if isinstance(data, dict):
        return any(_beyond_toml(value) for value in data.values())
    if isinstance(data, list):
        return any(_beyond_toml(value) for value in data)
    return type(data) is int and not -(2**63) <= data < 2**63


def assert_sound(engagements: list[Engagement], data: st.DataObject) -> None:
    """Assert that *engagements* round trip in every format and check cleanly.

    TOML refuses, naming it, a whole number beyond its 64 bits.
    """
    for fmt in FORMATS.values():
        if fmt == "toml" and _beyond_toml([io.to_dict(e) for e in engagements]):
            with pytest.raises(ValueError, match=_NO_TOML_NUMBER):
                io.dumps(engagements, fmt)
            event("too large for TOML")
            continue
        text = io.dumps(engagements, fmt)
        again = io.loads(text, fmt)
        assert engagements == (again if isinstance(again, list) else [again])
    between = data.draw(st.dates(FIRST_DATE, LAST_DATE), label="as_of")
    for as_of in (*EDGES, between):
        assert [] == rule_errors(engagements, as_of), as_of


class TestMutants:
    @pytest.mark.parametrize(("name", "fmt", "text"), SOURCES, ids=_IDS)
    @SETTINGS
    @given(data=st.data())
    def test_any_edit(self, name, fmt, text, data):
        """A mutant is refused with a LoadError, or round trips and checks cleanly."""
        mutant = data.draw(mutants(text), label="mutant")

        engagements = load_or_none(mutant, fmt, name)

        if engagements is not None:
            assert_sound(engagements, data)

    @pytest.mark.parametrize(("name", "fmt", "text"), OWN_SOURCES, ids=_OWN_IDS)
    @SETTINGS
    @given(data=st.data())
    def test_value_edits(self, name, fmt, text, data):
        """Dates and spans at and past their limits check cleanly, or are refused."""
        mutant = data.draw(mutants(text, VALUE_KINDS), label="mutant")

        engagements = load_or_none(mutant, fmt, name)

        if engagements is not None:
            assert_sound(engagements, data)


class TestCommandLine:
    @pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
    @settings(SETTINGS, max_examples=CLI_RUNS)
    @given(data=st.data())
    def test_beside_a_good_file(self, example, data):
        """Beside a good file, a mutant gives exit status 0, 1 or 2 and no traceback."""
        mutant = data.draw(mutants(example.read_text(encoding="utf-8")))
        as_of = data.draw(st.sampled_from(EDGES) | st.dates(FIRST_DATE, LAST_DATE))

        with tempfile.TemporaryDirectory() as folder:
            bad, good = Path(folder) / example.name, Path(folder) / "zz-good.yaml"
            # Half a surrogate pair is written as the bytes it stands for.
            bad.write_bytes(mutant.encode("utf-8", "surrogatepass"))
            good.write_text("id: zz-good\ntitle: Good\n", encoding="utf-8")
            result = _runner().invoke(
                cli, ["check", str(bad), str(good), "--as-of", str(as_of), "-f", "json"]
            )

        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert result.exit_code in {0, 1, 2}, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        report = json.loads(result.stdout)
        assert "zz-good" in [e["id"] for e in report["engagements"]]
        refused = [e for e in report["errors"] if example.name in (e["source"] or "")]
        assert (result.exit_code == 2) == bool(refused), report["errors"]
