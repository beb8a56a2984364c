"""Tests for the JSON Schema of the engagement file format."""

from __future__ import annotations

import json
import pathlib

import jsonschema
import pytest
from hypothesis import given

from outsourcekit import io
from outsourcekit._schema import schema
from outsourcekit._source import detect_format, parse
from outsourcekit.model import Status
from strategies import engagements, portfolios

VALIDATOR = jsonschema.Draft202012Validator(schema())

ROOT = pathlib.Path(__file__).parent.parent


def example_files():
    """Return the repository's example engagement files, sorted."""
    suffixes = {".yaml", ".yml", ".json", ".toml"}
    folder = ROOT / "examples" / "engagements"
    return sorted(p for p in folder.rglob("*") if p.suffix in suffixes)


def errors(data):
    """Return the messages of the schema's errors for *data*."""
    return [error.message for error in VALIDATOR.iter_errors(data)]


def deep_errors(data, validator=VALIDATOR):
    """Return the messages of every error for *data*, the alternatives' included."""
    found = []
    pending = list(validator.iter_errors(data))
    while pending:
        error = pending.pop()
        found.append(error.message)
        pending.extend(error.context or ())
    return found


class TestSchema:
    def test_valid_schema(self):
        """The schema is a valid draft 2020-12 schema."""
        jsonschema.Draft202012Validator.check_schema(schema())

    def test_serialisable(self):
        """The schema is plain JSON data, the same on every call."""
        assert json.dumps(schema(), sort_keys=True) == json.dumps(
            json.loads(json.dumps(schema())), sort_keys=True
        )

    @pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
    def test_examples_valid(self, path):
        """Every example file, as read from its text, is valid."""
        data = parse(path.read_text(encoding="utf-8"), detect_format(path)).data

        assert [] == errors(data)

    def test_unknown_key(self):
        """A misspelt key fails, as it does on load."""
        assert any(
            "'objectvies' does not match" in m
            for m in deep_errors({"id": "a", "objectvies": []})
        )

    def test_unknown_nested_key(self):
        """A misspelt key deep inside fails too."""
        data = {"id": "a", "vendor": {"vetting": {"refs_checked": True}}}

        assert any("'refs_checked' does not match" in m for m in deep_errors(data))

    def test_extension_keys(self):
        """Keys starting with x- are allowed at every level of an engagement."""
        assert [] == errors({"id": "a", "x-a": 1, "client": {"x-b": [None]}})

    def test_enums(self):
        """Enumerations list their words."""
        status = schema()["$defs"]["Engagement"]["properties"]["status"]

        assert [*Status.choices(), None] == status["enum"]

    def test_required(self):
        """An engagement needs an id; a measurement a date and a value."""
        kpi = {"id": "a", "kpis": [{"name": "k", "measurements": [{"value": 1}]}]}

        assert errors({"title": "no id"})
        assert errors(kpi)

    def test_wrong_types(self):
        """Types are checked: text, numbers, dates and lists."""
        for data in (
            {"id": "a", "title": 1},
            {"id": "a", "hours_per_week": "20"},
            {"id": "a", "start": "03/01/2026"},
            {"id": "a", "tasks": {"name": "t"}},
            {"id": "a", "vendor": {"vetting": {"testimonials": -1}}},
        ):
            assert errors(data), data

    def test_dates_are_calendar_dates(self):
        """Validators that assert formats refuse a date that is not on the calendar."""
        checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        strict = jsonschema.Draft202012Validator(schema(), format_checker=checker)

        bad = deep_errors({"id": "a", "start": "2026-13-45"}, strict)

        assert "'2026-13-45' is not a 'date'" in bad
        assert [] == deep_errors({"id": "a", "start": "2026-12-31"}, strict)

    def test_null_allowed(self):
        """Null is allowed where the loader reads it as absent."""
        assert [] == errors({"id": "a", "title": None, "tasks": None, "status": None})

    def test_portfolio(self):
        """A portfolio with defaults is valid; defaults cannot hold an id."""
        good = {
            "outsourcekit": 1,
            "defaults": {"client": {"name": "Acme"}},
            "engagements": [{"id": "a"}],
        }
        bad = {"defaults": {"id": "x"}, "engagements": []}

        assert ([], True) == (errors(good), bool(errors(bad)))

    def test_version(self):
        """Only version 1 is valid."""
        assert errors({"outsourcekit": 2, "id": "a"})

    @given(engagements())
    def test_dumps_valid(self, engagement):
        """Whatever the library writes, the schema accepts."""
        assert [] == errors(io.to_dict(engagement))

    @given(portfolios(max_size=2))
    def test_portfolio_dumps_valid(self, engagements):
        """Portfolios the library writes are valid too."""
        assert [] == errors(json.loads(io.dumps(engagements, "json")))
