"""Tests for the converter between plain data and the model."""

from __future__ import annotations

import datetime as dt

import attrs
import cattrs
import pytest
from cattrs.errors import ClassValidationError
from hypothesis import given
from hypothesis import strategies as st

from outsourcekit._convert import (
    FieldError,
    MissingKeyError,
    UnknownKeyError,
    describe_value,
    file_fields,
    is_model_class,
    iter_errors,
    make_converter,
    plain_constructor,
)
from outsourcekit._source import count_keys
from outsourcekit.model import (
    KPI,
    AccessGrant,
    Cadence,
    CheckIn,
    CommunicationPlan,
    Deliverable,
    Duration,
    Engagement,
    Measurement,
    Origin,
    Selection,
    ServiceLevel,
    Status,
    Task,
    TimeZone,
    Vendor,
    Vetting,
)
from strategies import engagements, model_objects

FAST = make_converter()
DETAILED = make_converter(detailed_validation=True)
BOTH = pytest.mark.parametrize("conv", [FAST, DETAILED], ids=["fast", "detailed"])


def errors_of(data, cls=Engagement):
    """Return ``(path, message)`` of every error the detailed converter finds."""
    with pytest.raises(ClassValidationError) as info:
        DETAILED.structure(data, cls)
    return [
        (path, getattr(error, "message", error.args[0]))
        for path, error in iter_errors(info.value)
    ]


def error_of(data, cls=Engagement):
    """Return the one error the fast converter raises for *data*."""
    with pytest.raises((FieldError, TypeError, ValueError)) as info:
        FAST.structure(data, cls)
    return info.value


class TestDates:
    @BOTH
    def test_iso_date(self, conv):
        """An ISO 8601 date is read as a date."""
        eng = conv.structure({"id": "a", "start": "2026-03-01"}, Engagement)

        assert dt.date(2026, 3, 1) == eng.start

    @BOTH
    def test_date_object(self, conv):
        """A date object, as TOML or Python code gives, is taken as it is."""
        eng = conv.structure({"id": "a", "start": dt.date(2026, 3, 1)}, Engagement)

        assert dt.date(2026, 3, 1) == eng.start

    @pytest.mark.parametrize(
        ("value", "detail"),
        [
            ("03/01/2026", "got '03/01/2026'"),
            ("2026-3-1", "got '2026-3-1'"),
            ("2026-03-01T09:00", "got '2026-03-01T09:00'"),
            (20260301, "got 20260301 (a number)"),
            (dt.datetime(2026, 3, 1, 9), "got 2026-03-01T09:00:00 (a date-time)"),
        ],
    )
    def test_rejected(self, value, detail):
        """Ambiguous or non-ISO dates, numbers and date-times are refused."""
        error = error_of({"id": "a", "start": value})

        expected = f"expected a date in ISO 8601 form, like 2026-03-01, {detail}"
        assert expected == error.message

    def test_impossible_date(self):
        """A well-formed but impossible date says what is wrong with it."""
        error = error_of({"id": "a", "start": "2026-02-30"})

        assert (
            "expected a date in ISO 8601 form, like 2026-03-01, got '2026-02-30' "
            "(day is out of range for month)"
        ) == error.message

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2026-03-02T09:00", dt.datetime(2026, 3, 2, 9)),
            ("2026-03-02 09:00", dt.datetime(2026, 3, 2, 9)),
            ("2026-03-02T09:00:30.5", dt.datetime(2026, 3, 2, 9, 0, 30, 500000)),
            (
                "2026-03-02T09:00+08:00",
                dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            ),
            ("2026-03-02T09:00Z", dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)),
            ("2026-03-02", dt.date(2026, 3, 2)),
        ],
    )
    @BOTH
    def test_date_or_datetime(self, conv, text, expected):
        """Fields that take a date or a date-time read either, offsets included."""
        check_in = conv.structure({"at": text}, CheckIn)

        assert (expected, type(expected)) == (check_in.at, type(check_in.at))

    def test_bad_datetime(self):
        """A date-time that is not ISO 8601 names both accepted forms."""
        error = error_of({"at": "2 March 2026 9am"}, CheckIn)

        assert (
            "expected a date or date-time in ISO 8601 form, like 2026-03-01 or "
            "2026-03-01T09:00, got '2 March 2026 9am'"
        ) == error.message

    @BOTH
    def test_due_date_or_cadence(self, conv):
        """A task is due on a date or recurs on a cadence."""
        once = conv.structure({"due": "2026-01-31"}, Task)
        recurring = conv.structure({"due": "monthly"}, Task)

        assert (dt.date(2026, 1, 31), Cadence.parse("monthly")) == (
            once.due,
            recurring.due,
        )

    def test_due_bad_date_is_a_date_error(self):
        """A due value shaped like a date is judged as a date, not as a cadence."""
        error = error_of({"due": "2026-13-45"}, Deliverable)

        assert (
            "expected a date in ISO 8601 form, like 2026-03-01, got '2026-13-45' "
            "(month must be in 1..12)"
        ) == error.message


class TestScalars:
    def test_enum_by_value(self):
        """Enumerations are read from their lower-case words."""
        eng = FAST.structure({"id": "a", "status": "active"}, Engagement)

        assert Status.ACTIVE is eng.status

    def test_enum_lists_choices(self):
        """A wrong word lists the allowed ones and suggests the closest."""
        error = error_of({"id": "a", "status": "actve"})

        assert (
            "expected one of proposed | trial | active | paused | ended, got 'actve' "
            "(did you mean `active`?)"
        ) == error.message
        assert ("one of proposed | trial | active | paused | ended", "actve") == (
            error.expected,
            error.value,
        )

    def test_enum_not_text(self):
        """A number where a word is expected lists the words, without a guess."""
        error = error_of({"id": "a", "status": 1})

        assert (
            "expected one of proposed | trial | active | paused | ended, got 1 "
            "(a number)"
        ) == error.message

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (True, "true (a boolean)"),
            ("5", "'5'"),
            (float("nan"), "nan (not a finite number)"),
        ],
    )
    def test_numbers_strict(self, value, shown):
        """Booleans, numeric text and NaN are not numbers."""
        error = error_of({"id": "a", "hours_per_week": value})

        assert f"expected a number, got {shown}" == error.message

    def test_whole_number_from_float(self):
        """A count written as 3.0 is the whole number 3; 2.5 is refused."""
        vetting = FAST.structure({"testimonials": 3.0}, Vetting)
        error = error_of({"testimonials": 2.5}, Vetting)

        assert (3, int) == (vetting.testimonials, type(vetting.testimonials))
        assert "expected a whole number, got 2.5 (a number)" == error.message

    @pytest.mark.parametrize("value", ["yes", "on", 1])
    def test_booleans_strict(self, value):
        """Only true and false are booleans: "yes", "on" and 1 are not."""
        error = error_of({"core": value}, Task)

        assert f"expected true or false, got {describe_value(value)}" == error.message

    def test_text_strict(self):
        """A number where text is expected is an error."""
        error = error_of({"id": "a", "title": 2024})

        assert "expected text, got 2024 (a number)" == error.message

    @pytest.mark.parametrize("cls", [Engagement, Vendor])
    def test_ids_from_numbers(self, cls):
        """An id written as a number, as YAML reads ``id: 2024``, is its digits."""
        obj = FAST.structure({"id": 2024}, cls)

        assert "2024" == obj.id

    def test_id_pattern(self):
        """An engagement id keeps to letters, digits, '.', '_' and '-'."""
        error = error_of({"id": "a b"})

        assert "'id' must be letters, digits, '.', '_' or '-' (got 'a b')." == str(
            error.args[0]
        )

    def test_text_or_number(self):
        """A service level's target is text or a number, kept as written."""
        levels = [FAST.structure({"target": t}, ServiceLevel) for t in ("24h", 99.5, 3)]

        assert ["24h", 99.5, 3] == [level.target for level in levels]

    def test_value_types(self):
        """Cadences, durations and time zones are read from their text."""
        plan = FAST.structure(
            {"check_ins": "weekly", "response_time": "24h"}, CommunicationPlan
        )

        assert (Cadence.parse("weekly"), Duration.parse("24h")) == (
            plan.check_ins,
            plan.response_time,
        )

    def test_value_type_error(self):
        """A bad cadence says what was expected and what was found."""
        error = error_of({"check_ins": "every blue moon"}, CommunicationPlan)

        assert error.message.startswith("expected a cadence such as")
        assert error.message.endswith(", got 'every blue moon'")
        assert "every blue moon" == error.value

    def test_value_type_not_text(self):
        """A number where a time zone is expected names the time zone forms."""
        error = error_of({"timezone": 8}, Vendor)

        assert (
            "expected a time zone, like `Asia/Manila` or `+08:00`, got 8 (a number)"
        ) == error.message

    def test_value_objects_pass(self):
        """Objects of the value types, as Python code builds them, are kept."""
        zone = TimeZone.parse("Asia/Manila")

        assert zone is FAST.structure({"timezone": zone}, Vendor).timezone


class TestLists:
    @BOTH
    def test_tuples(self, conv):
        """Lists become tuples."""
        task = conv.structure({"checklist": ["a", "b"]}, Task)

        assert ("a", "b") == task.checklist

    def test_text_is_no_list(self):
        """A string is not taken for a list of its letters."""
        error = error_of({"checklist": "abc"}, Task)

        assert "expected a list, got 'abc'" == error.message

    def test_wrong_item(self):
        """A wrong item in a list is found by its index."""
        assert [(("checklist", 1), "expected text, got 42 (a number)")] == errors_of(
            {"checklist": ["a", 42]}, Task
        )

    def test_optional_list(self):
        """An empty list differs from an absent one where the model says so."""
        absent = FAST.structure({}, Vendor)
        empty = FAST.structure({"regions_served": []}, Vendor)

        assert (None, ()) == (absent.regions_served, empty.regions_served)


class TestMappings:
    @BOTH
    def test_extensions(self, conv):
        """Keys starting with x- are kept in ``extensions``, at every level."""
        eng = conv.structure(
            {"id": "a", "x-crm": "48213", "tasks": [{"name": "t", "x-ref": [1]}]},
            Engagement,
        )

        assert ({"x-crm": "48213"}, {"x-ref": (1,)}) == (
            eng.extensions,
            eng.tasks[0].extensions,
        )

    def test_unknown_key_suggests(self):
        """An unknown key is named with the closest known key."""
        error = error_of({"id": "a", "objectvies": []})

        assert isinstance(error, UnknownKeyError)
        assert (
            "unknown key `objectvies`: did you mean `objectives`?",
            "objectives",
        ) == (error.message, error.suggestion)

    def test_unknown_key_without_suggestion(self):
        """An unknown key unlike any other says how to add keys of one's own."""
        error = error_of({"id": "a", "zzz": 1})

        assert (
            "unknown key `zzz` (keys of your own must start with `x-`)"
        ) == error.message

    @BOTH
    def test_null_is_absent(self, conv):
        """A null value is the same as leaving the key out."""
        explicit = conv.structure(
            {"id": "a", "title": None, "tasks": None, "vendor": None}, Engagement
        )

        assert Engagement(id="a") == explicit

    def test_required_null(self):
        """A required key that is null or absent is reported as missing."""
        assert [
            (
                ("at",),
                (
                    "missing required key `at` (a date or date-time in ISO 8601 "
                    "form, like 2026-03-01 or 2026-03-01T09:00)"
                ),
            ),
        ] == errors_of({"at": None, "value": 1}, Measurement)

    def test_not_a_mapping(self):
        """A list where a mapping is expected says so."""
        error = error_of({"id": "a", "vendor": ["x"]})

        assert "expected a mapping, got a list (['x'])" == error.message

    def test_origin_is_no_key(self):
        """``origin`` and ``extensions`` are not keys of the file."""
        error = error_of({"id": "a", "origin": "x"})

        assert (
            "unknown key `origin` (keys of your own must start with `x-`)"
        ) == error.message

    def test_origin_is_no_key_detailed(self):
        """Neither are they on the detailed path, where any x- key is kept."""
        data = {"id": "a", "origin": None, "extensions": {}, "x- origin": 1}

        assert [
            (
                ("origin",),
                "unknown key `origin` (keys of your own must start with `x-`)",
            ),
            (
                ("extensions",),
                "unknown key `extensions` (keys of your own must start with `x-`)",
            ),
        ] == errors_of(data)
        assert {"x- origin": 1} == FAST.structure(
            {"id": "a", "x- origin": 1}, Engagement
        ).extensions

    @BOTH
    def test_unknown_key_null(self, conv):
        """An unknown key is refused even when its value is null."""
        with pytest.raises((UnknownKeyError, ClassValidationError)) as info:
            conv.structure({"id": "a", "zzz": None}, Engagement)

        assert ["unknown key `zzz` (keys of your own must start with `x-`)"] == [
            error.message for _, error in iter_errors(info.value)
        ]


class TestDetailed:
    def test_all_errors_with_paths(self):
        """The detailed converter reports every bad value with its path."""
        data = {
            "id": "a",
            "status": "actve",
            "start": "2026-13-45",
            "objectvies": [],
            "kpis": [
                {"name": "k", "measurements": [{"at": "2026-01-01", "value": "5"}]}
            ],
        }

        found = errors_of(data)

        assert [
            ("status",),
            ("start",),
            ("objectvies",),
            ("kpis", 0, "measurements", 0, "value"),
        ] == [path for path, _ in found]

    def test_checks_across_fields_still_run(self):
        """A check across fields runs even when another field is bad."""
        found = errors_of(
            {"id": "a", "start": "2026-02-01", "end": "2026-01-01", "title": 1}
        )

        assert [
            (("title",), "expected text, got 1 (a number)"),
            (
                ("end",),
                "'end' must be on or after 'start' 2026-02-01 (got 2026-01-01).",
            ),
        ] == found

    def test_validators_per_field(self):
        """Each failing validator is reported on its own field."""
        found = errors_of({"testimonials": -1, "case_studies": -2}, Vetting)

        assert [("testimonials",), ("case_studies",)] == [path for path, _ in found]

    def test_missing_key_error(self):
        """A missing key carries its name and what it takes."""
        error = MissingKeyError("on", "a date")

        assert ("on", "missing required key `on` (a date)") == (
            error.key,
            error.message,
        )


class TestFastPath:
    def test_validators_run(self):
        """Validators that check values, not types, run on the fast path too."""
        error = error_of({"testimonials": -1}, Vetting)

        assert "'testimonials' must be zero or more (got -1)." == error.args[0]

    @pytest.mark.parametrize(
        ("cls", "data", "name", "number"),
        [
            (Vetting, {"years_experience": -0.5}, "'years_experience'", -0.5),
            (Selection, {"quotes_compared": -2}, "'quotes_compared'", -2),
            (Engagement, {"id": "a", "hours_per_week": -1}, "'hours_per_week'", -1),
        ],
    )
    def test_below_minimum(self, cls, data, name, number):
        """A number below its field's minimum is refused on the fast path."""
        message = f"{name} must be zero or more (got {number})."

        assert message == error_of(data, cls).args[0]

    @given(st.integers(-3, 3) | st.floats(-3, 3))
    def test_minimum_same_on_both_paths(self, number):
        """Both converters accept and refuse the same numbers, zero included."""

        def outcome(conv):
            try:
                data = {"years_experience": number}
                return conv.structure(data, Vetting).years_experience
            except (ClassValidationError, ValueError) as error:
                return type(error).__name__

        fast, detailed = outcome(FAST), outcome(DETAILED)

        assert (fast, detailed) == (
            (number, number)
            if number >= 0
            else ("ConstraintError", "ClassValidationError")
        )

    def test_huge_whole_numbers(self):
        """Whole numbers beyond any float are numbers on every path."""
        huge = 10**400
        data = {"id": "a", "hours_per_week": huge}

        assert (huge, huge, huge) == (
            FAST.structure(data, Engagement).hours_per_week,
            DETAILED.structure(data, Engagement).hours_per_week,
            Engagement(id="a", hours_per_week=huge).hours_per_week,
        )

    def test_boolean_is_no_number(self):
        """A boolean is refused where a number is expected, on the fast path too."""
        error = error_of({"at": "2026-01-05", "value": True}, Measurement)

        assert "expected a number, got true (a boolean)" == str(error)

    def test_post_init_runs(self):
        """Checks across fields run on the fast path too."""
        error = error_of(
            {"system": "Xero", "granted_on": "2026-02-01", "revoked_on": "2026-01-01"},
            AccessGrant,
        )

        assert "revoked_on" == error.args[1]

    @given(engagements())
    def test_same_as_init(self, engagement):
        """Both converters build exactly what the classes' own constructors build."""
        data = FAST.unstructure(engagement)

        fast = FAST.structure(data, Engagement)
        detailed = DETAILED.structure(data, Engagement)

        assert engagement == fast == detailed
        assert attrs.asdict(engagement) == attrs.asdict(fast)

    @given(model_objects(KPI))
    def test_fields_all_set(self, kpi):
        """Objects built on the fast path have every field set, defaults included."""
        built = FAST.structure(FAST.unstructure(kpi), KPI)

        assert [getattr(kpi, a.name) for a in attrs.fields(KPI)] == [
            getattr(built, a.name) for a in attrs.fields(KPI)
        ]

    @given(engagements())
    def test_objects_of_the_model_classes(self, engagement):
        """Every object built on the fast path is of its model class itself."""
        built = FAST.structure(FAST.unstructure(engagement), Engagement)

        assert [type(o) for o in model_objects_in(engagement)] == [
            type(o) for o in model_objects_in(built)
        ]

    @given(engagements())
    def test_keys_counted(self, engagement):
        """Given a tally, the fast hook counts every key of the data it reads."""
        data = FAST.unstructure(engagement)
        keys = count_keys(data)
        tally: list[int] = []

        FAST.get_structure_hook(Engagement)(data, Engagement, None, tally)

        assert keys == sum(tally)

    def test_bad_id_refused(self):
        """An id of other letters is refused on the fast path as by ``__init__``."""
        with pytest.raises(ValueError, match="letters") as init:
            Engagement(id="a b")

        assert init.value.args == error_of({"id": "a b"}).args


def model_objects_in(obj):
    """Return *obj* and every model object inside it, depth first."""
    found = [obj]
    for attribute in attrs.fields(type(obj)):
        value = getattr(obj, attribute.name)
        for item in value if isinstance(value, tuple) else (value,):
            if attrs.has(type(item)):
                found.extend(model_objects_in(item))
    return found


class TestPlainConstructor:
    def test_same_as_init(self):
        """Objects made without ``__init__`` equal those made with it."""
        make = plain_constructor(Origin)

        made = make("p.json", 2, None, None)

        assert (Origin(source="p.json", index=2), Origin) == (made, type(made))
        assert Origin(line=4) == make(source=None, index=None, line=4, row=None)

    def test_checked_classes_refused(self):
        """A class that checks its fields is made by its ``__init__`` only."""
        with pytest.raises(TypeError, match="CheckIn is built by its __init__ only"):
            plain_constructor(CheckIn)


class TestUnstructure:
    def test_tidy(self):
        """Defaults are left out; dates and value types become text; enums words."""
        eng = Engagement(
            id="a",
            status=Status.ACTIVE,
            start=dt.date(2026, 1, 5),
            tasks=[Task(name="t", due=Cadence.parse("monthly"))],
            extensions={"x-crm": 1},
        )

        assert {
            "id": "a",
            "status": "active",
            "start": "2026-01-05",
            "tasks": [{"name": "t", "due": "monthly"}],
            "x-crm": 1,
        } == FAST.unstructure(eng)

    def test_datetimes(self):
        """Date-times are written to the minute unless they have seconds."""
        short = CheckIn(at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc))
        long = CheckIn(at=dt.datetime(2026, 3, 2, 9, 0, 5))

        assert ["2026-03-02T09:00+00:00", "2026-03-02T09:00:05"] == [
            FAST.unstructure(short)["at"],
            FAST.unstructure(long)["at"],
        ]

    @given(engagements())
    def test_keys_in_field_order(self, engagement):
        """Keys follow the model's fields in order, then the x- keys."""

        def check(obj, data):
            if isinstance(obj, tuple):
                for item, written in zip(obj, data, strict=True):
                    check(item, written)
            elif is_model_class(type(obj)):
                names = [name for name in file_fields(type(obj)) if name in data]
                assert [*names, *obj.extensions] == list(data)
                for name in names:
                    check(getattr(obj, name), data[name])

        check(engagement, FAST.unstructure(engagement))

    def test_extensions_copied(self):
        """Changing the written data does not change the engagement."""
        eng = Engagement(id="a", extensions={"x-tags": ["a"]})
        data = FAST.unstructure(eng)

        data["x-tags"].append("b")

        assert {"x-tags": ("a",)} == eng.extensions


class TestDescribe:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, "null"),
            (False, "false (a boolean)"),
            (1.5, "1.5 (a number)"),
            ("x", "'x'"),
            (dt.date(2026, 1, 2), "2026-01-02 (a date)"),
            (dt.datetime(2026, 1, 2, 9, 30), "2026-01-02T09:30:00 (a date-time)"),
            ({"a": 1}, "a mapping ({'a': 1})"),
            ("y" * 80, repr("y" * 80)[:57] + "..."),
        ],
    )
    def test_values(self, value, expected):
        """Values are shown as a file's author would recognise them."""
        assert expected == describe_value(value)


class TestConverter:
    def test_is_cattrs(self):
        """The converter is a cattrs converter that others can extend."""
        assert isinstance(make_converter(), cattrs.Converter)


@attrs.frozen(kw_only=True)
class Tagged:
    """A model-like class with a pre-init step, built by its own ``__init__``."""

    name: str | None = None
    extensions: dict = attrs.field(factory=dict)

    def __attrs_pre_init__(self):
        """Do nothing; its presence is what matters."""


class TestOtherClasses:
    def test_pre_init_class(self):
        """Classes with a pre-init step are built by their ``__init__``."""
        built = FAST.structure({"name": "a", "x-k": 1}, Tagged)

        assert Tagged(name="a", extensions={"x-k": 1}) == built

    def test_pre_init_unknown_key(self):
        """Such classes refuse unknown keys too."""
        with pytest.raises(UnknownKeyError, match="did you mean `name`"):
            FAST.structure({"nme": "a"}, Tagged)

    def test_pre_init_detailed(self):
        """The detailed converter reports every problem of such classes."""
        assert [
            (("name",), "expected text, got 1 (a number)"),
            (("nme",), "unknown key `nme`: did you mean `name`?"),
        ] == errors_of({"name": 1, "nme": "a"}, Tagged)
