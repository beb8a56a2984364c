"""Mutated engagement files: the readers answer with a LoadError or load, never crash.

Each example mutates the text of a bundled example at random (characters
replaced, inserted or deleted, lines doubled or dropped) in YAML, JSON and
TOML. Bounded to run in seconds; set ``OUTSOURCEKIT_FUZZ_EXAMPLES`` for a
longer run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcekit import io
from outsourcekit.examples import examples_path

EXAMPLES = sorted(
    p
    for p in Path(examples_path()).iterdir()
    if p.suffix in {".yaml", ".json", ".toml"}
)
FORMATS = {".yaml": "yaml", ".json": "json", ".toml": "toml"}
RUNS = int(os.environ.get("OUTSOURCEKIT_FUZZ_EXAMPLES", "25"))

#: Characters that matter to the three syntaxes, and some that matter to none.
_SYNTAX = ":-[]{}\",'#&*!|>%@`=.\n\t \\"
_NOISE = st.sampled_from([*_SYNTAX, "\x00", "\x85", "\u2028", "\ud800", "é"])


@st.composite
def mutants(draw: st.DrawFn, text: str) -> str:
    """Return *text* with a few random edits."""
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True)
        kind = draw(st.sampled_from(["replace", "insert", "delete", "double", "drop"]))
        if kind in {"double", "drop"} and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines[i : i + 1] = [lines[i]] * 2 if kind == "double" else []
            text = "".join(lines)
            continue
        at = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        else:
            noise = draw(st.text(_NOISE, min_size=1, max_size=5))
            end = at + (len(noise) if kind == "replace" else 0)
            text = text[:at] + noise + text[end:]
    return text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@settings(
    max_examples=RUNS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutants_load_or_say_why(example, data):
    """A mutated file loads, or is refused with a LoadError; nothing else escapes."""
    fmt = FORMATS[example.suffix]
    text = data.draw(mutants(example.read_text(encoding="utf-8")))

    try:
        loaded = io.loads(text, fmt, source=example.name)
    except io.LoadError:
        return
    engagements = loaded if isinstance(loaded, list) else [loaded]
    if fmt != "toml":
        again = io.loads(io.dumps(engagements, fmt), fmt)
        assert engagements == (again if isinstance(again, list) else [again])
