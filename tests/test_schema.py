"""Tests for the JSON Schema of the engagement file format."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import pathlib
import re
import types

import jsonschema
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from jsonschema.exceptions import best_match

import outsourcekit
from outsourcekit import io
from outsourcekit._schema import SCHEMA_ID, schema
from outsourcekit._source import detect_format, parse
from outsourcekit.cli import STARTER_DAY, starter
from outsourcekit.model import Cadence, Duration, Status, TimeZone, WorkingHours
from strategies import (
    cadence_texts,
    duration_texts,
    engagements,
    portfolios,
    time_zone_texts,
    working_hours_texts,
)

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


def loads_ok(text, fmt="yaml"):
    """Return whether the loader reads *text*."""
    try:
        outsourcekit.loads(text, fmt)
    except (outsourcekit.LoadError, ValueError):
        return False
    return True


def reads(data):
    """Return whether the loader reads *data*, one engagement as plain data."""
    try:
        outsourcekit.from_dict(data)
    except (outsourcekit.LoadError, ValueError, TypeError):
        return False
    return True


def yaml_errors(text):
    """Return the schema's errors for YAML *text*, as the loader parses it."""
    return errors(parse(text, "yaml").data)


def best(data):
    """Return the error jsonschema picks as the most relevant for *data*."""
    error = best_match(VALIDATOR.iter_errors(data))
    return None if error is None else error.message


class TestNull:
    def test_empty_defaults(self):
        """`defaults:` left empty is null, which the loader reads as absent."""
        text = "defaults:\nengagements: [{id: a}]\n"

        assert (True, []) == (loads_ok(text), yaml_errors(text))

    @pytest.mark.parametrize(
        "text",
        [
            "engagements: null\n",
            "engagements: [null]\n",
            "outsourcekit: null\nengagements: []\n",
            "id: a\noutsourcekit: null\n",
            "id: a\ntasks: [null]\n",
            "id: a\ntasks: [{name: t, checklist: [null]}]\n",
        ],
    )
    def test_refused_nulls(self, text):
        """Where the loader refuses null, so does the schema."""
        assert (False, True) == (loads_ok(text), bool(yaml_errors(text)))


@st.composite
def date_texts(draw):
    """Dates in the form YYYY-MM-DD, some out of range or off the calendar."""
    year = draw(st.one_of(st.integers(0, 9999), st.integers(1895, 1905)))
    year = draw(st.sampled_from([year, 2999, 3000, 1899, 1900]))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    return f"{year:04d}-{month:02d}-{day:02d}"


@st.composite
def datetime_texts(draw):
    """Date-times in the loader's shape, some of their parts out of range."""
    day = draw(st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.dates()))
    text = day.isoformat() + draw(st.sampled_from(["T", " "]))
    text += f"{draw(st.integers(0, 25)):02d}:{draw(st.integers(0, 61)):02d}"
    if draw(st.booleans()):
        text += f":{draw(st.integers(0, 61)):02d}"
        if draw(st.booleans()):
            text += "." + draw(st.text("0123456789", min_size=1, max_size=7))
    offset = draw(st.sampled_from(["", "Z", "+", "-"]))
    if offset in "+-" and offset:
        minutes = draw(st.integers(0, 99))
        offset += f"{draw(st.integers(0, 25)):02d}:{minutes:02d}"
    return text + offset


class TestDates:
    @pytest.mark.parametrize(
        "data",
        [
            {"start": "9999-12-31"},
            {"start": "0001-01-01"},
            {"start": "3000-01-01"},
            {"start": "1899-12-31"},
            {"tasks": [{"due": "3000-03-01"}]},
            {"check_ins": [{"at": "3000-01-01T09:00"}]},
            {"check_ins": [{"at": "2026-01-01T25:00"}]},
            {"check_ins": [{"at": "2026-01-01T09:60"}]},
            {"check_ins": [{"at": "2026-01-01T09:00:60"}]},
            {"check_ins": [{"at": "2026-01-01T09:00+24:00"}]},
            {"check_ins": [{"at": "2026-13-01T09:00"}]},
        ],
    )
    def test_out_of_range(self, data):
        """Dates and times the loader refuses as out of range, the schema refuses."""
        data = {"id": "a", **data}

        assert (False, True) == (reads(data), bool(errors(data)))

    @pytest.mark.parametrize(
        "at",
        [
            "1900-01-01",
            "2999-12-31",
            "2026-03-01T09:00",
            "2026-03-01 09:00",
            "2026-03-01T09:00:30",
            "2026-03-01T09:00:30.5",
            "2026-03-01T09:00:30.123456",
            "2026-03-01T09:00Z",
            "2026-03-01T09:00-05:30",
            "2026-03-01T23:59:59+23:59",
            "2999-12-31T23:59",
        ],
    )
    def test_forms_read(self, at):
        """Every form the loader reads passes: seconds, fractions, offsets, space."""
        data = {"id": "a", "check_ins": [{"at": at}]}

        assert (True, []) == (reads(data), errors(data))

    @given(date_texts())
    @example("2999-12-31")
    @example("1900-01-01")
    def test_dates_as_loader(self, text):
        """A date passes the schema exactly when the loader reads it.

        The one difference is a day off the calendar (2026-02-30), which only
        validators asserting formats refuse.
        """
        data = {"id": "a", "start": text}
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            on_calendar = False
        else:
            on_calendar = True

        assert reads(data) == (not errors(data) and on_calendar)

    @given(datetime_texts())
    @example("2026-03-01T09:00+05:60")
    @example("2026-03-01T09:00+22:99")
    @example("2026-03-01T09:00+23:60")
    @example("2026-03-01T24:00")
    def test_datetimes_as_loader(self, text):
        """A date-time passes the schema exactly when the loader reads it.

        The schema lets 24:00 pass, which later Pythons may read as midnight.
        """
        data = {"id": "a", "check_ins": [{"at": text}]}
        loaded, valid = reads(data), not errors(data)

        if loaded:
            assert valid
        elif re.search(r"[T ]24:00", text) is None:
            assert not valid


class TestLineEnd:
    @pytest.mark.parametrize(
        "data",
        [
            {"id": "a\n"},
            {"id": "a", "start": "2026-03-01\n"},
            {"id": "a", "check_ins": [{"at": "2026-03-01T09:00\n"}]},
            {"id": "a", "check_ins": [{"at": "2026-03-01T09:00+08:00\n"}]},
        ],
    )
    def test_text_after_a_line_end(self, data):
        """A value the loader refuses for the line end after it, the schema refuses.

        Python's ``$`` also matches before a final line end; ECMA-262's does not.
        """
        assert (False, True) == (reads(data), bool(errors(data)))


class TestRoot:
    @pytest.mark.parametrize(
        ("data", "key"),
        [
            ({"engagments": [{"id": "a"}]}, "engagments"),
            ({"id": "a", "titel": "x"}, "titel"),
            ({"engagements": [{"id": "a", "titel": "x"}]}, "titel"),
            ({"defualts": {}, "engagements": []}, "defualts"),
        ],
    )
    def test_typo_named(self, data, key):
        """The most relevant error of a misspelt key is about the key."""
        message = best(data)

        assert "is not valid under any" not in message
        assert repr(key) in message

    def test_portfolio_by_engagements(self):
        """A mapping with `engagements` is a portfolio, as for the loader."""
        assert "'id' is a required property" in best({"title": "x"})
        assert best({"engagements": [{}]}) == "'id' is a required property"

    def test_not_a_mapping(self):
        """A file that is no mapping is refused."""
        assert errors([{"id": "a"}])
        assert errors("a")


class TestValueTypes:
    @pytest.mark.parametrize(
        "data",
        [
            {"communication": {"response_time": "weekly"}},
            {"communication": {"response_time": "24"}},
            {"communication": {"check_in_length": ""}},
            {"client": {"timezone": "24h"}},
            {"client": {"timezone": ""}},
            {"vendor": {"working_hours": "9-5"}},
            {"vendor": {"working_hours": "09:00-17:00; "}},
            {"tasks": [{"due": "2026-03-01T09:00"}]},
            {"tasks": [{"due": "2026-3-1"}]},
            {"deliverables": [{"due": ""}]},
            {"kpis": [{"measured": ""}]},
            {"communication": {"check_ins": "   "}},
            {"imports": [{"path": ""}]},
            {"imports": [{"path": "  "}]},
            {"imports": [{"path": "/etc/passwd"}]},
            {"imports": [{"path": "\\\\server\\share\\x.ics"}]},
            {"imports": [{"path": "C:\\x"}]},
            {"imports": [{"path": "~/x.ics"}]},
            {"imports": [{"path": "https://x/y.ics"}]},
        ],
    )
    def test_refused(self, data):
        """Text the loader refuses for a value type, the schema refuses."""
        data = {"id": "a", **data}

        assert (False, True) == (reads(data), bool(errors(data)))

    @pytest.mark.parametrize(
        "data",
        [
            {"communication": {"response_time": "\u0663h"}},  # an Arabic-Indic 3
            {"communication": {"check_ins": "wee\u212aly"}},  # a Kelvin sign k
            {"client": {"timezone": " UTC+8"}},
            {"client": {"timezone": "gmt-3"}},
            {"client": {"working_hours": "Mon-Fri 09:00-12:00;13:00-17:00"}},
            {"client": {"working_hours": "Sun-Thu: 22:00 - 06:00"}},
            {"tasks": [{"due": "2X weekly"}, {"due": " 3  times a week"}]},
            {"tasks": [{"due": "DTSTART:20260105T090000Z RRULE:FREQ=WEEKLY"}]},
            {"communication": {"response_time": "1h 30m", "check_in_length": "pt30m"}},
            {"imports": [{"path": "calendars/a.ics"}, {"path": "./b.json"}]},
        ],
    )
    def test_read(self, data):
        """Unusual forms the loader reads pass, non-ASCII ones included."""
        data = {"id": "a", **data}

        assert (True, []) == (reads(data), errors(data))

    @pytest.mark.parametrize(
        ("cls", "texts"),
        [
            (Cadence, cadence_texts()),
            (Duration, duration_texts()),
            (TimeZone, time_zone_texts()),
            (WorkingHours, working_hours_texts()),
        ],
        ids=lambda x: getattr(x, "__name__", ""),
    )
    def test_what_loader_reads_passes(self, cls, texts):
        """Whatever text a value type reads, generated or fuzzed, the schema passes."""
        validator = jsonschema.Draft202012Validator(_VALUE_SCHEMA[cls])
        noise = st.text(
            st.sampled_from(" \t09:-;,.ahdmswkxtPTHFREQ=O/+_\u2013\u0663\u212a"),
            max_size=16,
        )

        @given(st.one_of(texts, noise))
        def check(text):
            try:
                cls.parse(text)
            except ValueError:
                return
            assert [] == [e.message for e in validator.iter_errors(text)]

        check()

    def test_examples_read(self):
        """The examples offered for completion are read by the loader."""
        kinds = {"Cadence": Cadence, "Duration": Duration}
        kinds |= {"TimeZone": TimeZone, "WorkingHours": WorkingHours}
        for cls in kinds.values():
            for text in _VALUE_SCHEMA[cls]["examples"]:
                cls.parse(text)


def _value_schemas():
    props = schema()["$defs"]
    return {
        Cadence: props["KPI"]["properties"]["measured"],
        Duration: props["CommunicationPlan"]["properties"]["response_time"],
        TimeZone: props["Party"]["properties"]["timezone"],
        WorkingHours: props["Party"]["properties"]["working_hours"],
    }


_VALUE_SCHEMA = _value_schemas()


class TestHovers:
    def test_titles(self):
        """Every definition has a title, the heading of an editor's hover."""
        defs = schema()["$defs"]

        assert [] == [name for name, d in defs.items() if not d.get("title")]
        assert len({d["title"] for d in defs.values()}) == len(defs)

    def test_descriptions(self):
        """Every key of every definition says what it means."""
        defs = schema()["$defs"]
        missing = [
            f"{name}.{key}"
            for name, d in defs.items()
            for key, prop in d["properties"].items()
            if not prop.get("description")
        ]

        assert [] == missing

    def test_field_specific(self):
        """Keys of the same type say what they mean, not only their type."""
        defs = schema()["$defs"]
        agreement = defs["Agreement"]["properties"]
        dates = [
            agreement[k]["description"] for k in ("signed_on", "effective", "expires")
        ]

        assert len(set(dates)) == 3
        assert "last day" in agreement["expires"]["description"]
        assert "YYYY-MM-DD" in agreement["expires"]["description"]
        assert "unknown" in defs["Channel"]["properties"]["secure"]["description"]
        assert (
            "24h"
            in (defs["CommunicationPlan"]["properties"]["response_time"]["description"])
        )


class TestFiles:
    @given(engagements(nulls=False), st.sampled_from(["yaml", "json", "toml"]))
    def test_dumps_valid_in_every_format(self, engagement, fmt):
        """What the library writes in each format, read back as text, is valid."""
        text = io.dumps(engagement, fmt)

        assert [] == errors(parse(text, fmt).data)

    @given(engagements())
    def test_yaml_dumps_valid(self, engagement):
        """YAML the library writes, nulls included, is valid."""
        assert [] == errors(parse(io.dumps(engagement, "yaml"), "yaml").data)

    def test_starter_valid(self):
        """`outsourcekit init`'s starter is valid, as written and filled in."""
        text = starter("demo", "e.yaml", dt.date.fromisoformat(STARTER_DAY))
        key = re.compile(r"^# (?=\s*(?:[a-z_]+:|- ))")
        filled = "\n".join(key.sub("", line) for line in text.splitlines()) + "\n"

        assert ([], []) == (yaml_errors(text), yaml_errors(filled))
        assert loads_ok(filled)

    def test_portfolio_examples(self):
        """The bundled portfolio is read as a portfolio and is valid."""
        portfolios_found = [
            p
            for p in example_files()
            if "engagements" in parse(p.read_text("utf-8"), detect_format(p)).data
        ]

        assert portfolios_found


def _docs_extension():
    path = ROOT / "docs" / "_ext" / "schema_file.py"
    spec = importlib.util.spec_from_file_location("schema_file", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestPublished:
    def test_written_where_id_points(self, tmp_path):
        """The docs build writes the schema at the path of its `$id`."""
        ext = _docs_extension()
        app = types.SimpleNamespace(
            outdir=str(tmp_path), builder=types.SimpleNamespace(format="html")
        )

        ext.write_schema(app, None)

        written = tmp_path / SCHEMA_ID.split("/en/latest/", 1)[1]
        assert schema() == json.loads(written.read_text("utf-8"))

    def test_not_written_on_failure_or_other_builders(self, tmp_path):
        """A failed build, or one that is not HTML, gets no schema file."""
        ext = _docs_extension()
        html = types.SimpleNamespace(format="html")
        text = types.SimpleNamespace(format="text")

        failed = types.SimpleNamespace(outdir=str(tmp_path), builder=html)
        other = types.SimpleNamespace(outdir=str(tmp_path), builder=text)

        ext.write_schema(failed, RuntimeError())
        ext.write_schema(other, None)

        assert [] == list(tmp_path.iterdir())

    def test_registered(self):
        """The extension hooks the writer to the end of the build."""
        ext = _docs_extension()
        connected = []
        app = types.SimpleNamespace(connect=lambda e, f: connected.append((e, f)))

        meta = ext.setup(app)

        assert [("build-finished", ext.write_schema)] == connected
        assert meta["parallel_read_safe"]
