"""The range of dates outsourcekit reads, and why no rule fails at its edges.

Every date of an engagement file, every ``as_of`` and every ``--as-of`` lies
from 1900-01-01 to 2999-12-31; dates outside are refused where they come in, so
that every rule can compute with every date it is given, a long cadence or
duration added.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import outsourcekit as ok
from outsourcekit import _dates, engine, io, plugins
from outsourcekit._dates import as_date
from outsourcekit.cli import cli
from outsourcekit.examples import examples_path
from outsourcekit.model import (
    Cadence,
    CheckIn,
    Duration,
    Engagement,
    Review,
    ValueParseError,
)

FIRST = dt.date(1900, 1, 1)
LAST = dt.date(2999, 12, 31)
RANGE = "from 1900-01-01 to 2999-12-31"
EXAMPLES = sorted(
    p
    for p in Path(examples_path()).iterdir()
    if p.suffix in {".yaml", ".json", ".toml"}
)
FORMATS = {".yaml": "yaml", ".json": "json", ".toml": "toml"}
_DAY = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: Cadences and durations as long as a file may write them.
LONG_SPANS = textwrap.dedent(
    """\
    id: long-spans
    title: Long spans
    status: active
    start: {day}
    client: {{timezone: Pacific/Kiritimati, working_hours: "Mon-Sun 00:00-23:59"}}
    vendor: {{name: Far, timezone: Etc/GMT+12, working_hours: "Mon-Sun 00:00-23:59"}}
    tasks:
      - {{name: a, due: every 9999 months}}
      - {{name: b, due: "FREQ=YEARLY;INTERVAL=9999"}}
      - {{name: c, due: every 9999 years}}
    deliverables:
      - {{name: d, due: every 9999 weeks}}
    performance: {{status_reports: "FREQ=MONTHLY;INTERVAL=9999;BYMONTHDAY=31"}}
    communication:
      channels: [{{name: Mail, kind: email}}]
      response_time: 100000 days
      check_ins: every 9999 days
      check_in_length: 14285w
      feedback: "DTSTART:{compact}T235959\\nFREQ=YEARLY;INTERVAL=999"
    kpis:
      - name: k
        target: 1
        measured: every 9999 months
        measurements: [{{at: "{day}T23:59:59-12:00", value: 1}}]
    milestones:
      - name: m
        due: {day}
        updates: [{{at: "{day}T00:00+14:00"}}]
    check_ins: [{{at: "{day}T12:00Z"}}]
    reviews: [{{on: {day}, outcome: continue}}]
    """
)

#: An active engagement whose every cadence is the one given.
LONG_PERIODS = textwrap.dedent(
    """\
    id: long-periods
    status: active
    start: {day}
    hours_per_week: 1
    client: {{timezone: Europe/London, working_hours: "Mon-Fri 09:00-17:00"}}
    vendor: {{name: V, timezone: Asia/Manila, working_hours: "Mon-Fri 09:00-17:00"}}
    tasks: [{{name: a, due: "{cadence}"}}]
    performance: {{status_reports: "{cadence}"}}
    communication:
      check_ins: "{cadence}"
      feedback: "{cadence}"
    kpis: [{{name: k, target: 1, measured: "{cadence}"}}]
    """
)


def moved(text: str, day: dt.date) -> str:
    """Return *text* with every date written in it moved to *day*."""
    return _DAY.sub(day.isoformat(), text)


def issue_of(text: str, fmt: str = "yaml") -> io.LoadIssue:
    """Return the one issue of the LoadError that loading *text* raises."""
    with pytest.raises(io.LoadError) as info:
        io.loads(text, fmt, source=f"e.{fmt}")
    (issue,) = info.value.issues
    return issue


def failures(report: ok.Report) -> list[str]:
    """Return the rule errors of *report*, each as rule, engagement and message."""
    return [f"{e.rule} {e.engagement}: {e.message}" for e in report.rule_errors]


class TestRange:
    def test_constants(self):
        """The range is 1900-01-01 to 2999-12-31, as its text says."""
        assert (FIRST, LAST, "1900-01-01 to 2999-12-31") == (
            _dates.FIRST_DATE,
            _dates.LAST_DATE,
            _dates.DATE_RANGE,
        )

    @pytest.mark.parametrize("value", [FIRST, LAST, "1900-01-01", "2999-12-31"])
    def test_edges_read(self, value):
        """The first and the last day of the range are dates."""
        assert as_date(value) in {FIRST, LAST}

    @pytest.mark.parametrize(
        "value",
        ["1899-12-31", "3000-01-01", "0001-01-01", "9999-12-31", dt.date.max],
    )
    def test_outside_refused(self, value):
        """A calendar date outside the range is refused, naming the range."""
        with pytest.raises(ValueError, match=f"expected a date {RANGE}, got"):
            as_date(value)

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (
                "2027-02-29",
                (
                    "expected a date like 2026-11-22, got '2027-02-29' "
                    "(day is out of range for month)"
                ),
            ),
            (
                "2026-13-01",
                (
                    "expected a date like 2026-11-22, got '2026-13-01' "
                    "(month must be in 1..12)"
                ),
            ),
            ("2026-11-3x", "expected a date like 2026-11-22, got '2026-11-3x'"),
            ("22/11/2026", "expected a date like 2026-11-22, got '22/11/2026'"),
        ],
    )
    def test_off_the_calendar_says_why(self, value, message):
        """A date written YYYY-MM-DD but not on the calendar says what is wrong."""
        with pytest.raises(ValueError, match="expected a date like") as info:
            as_date(value)

        assert message == str(info.value)


class TestFiles:
    @pytest.mark.parametrize(
        ("fmt", "text", "line"),
        [
            ("yaml", "id: a\nstart: 9999-12-31\n", 2),
            ("json", '{\n  "id": "a",\n  "start": "9999-12-31"\n}\n', 3),
            ("toml", 'id = "a"\n\nstart = 9999-12-31\n', 3),
        ],
    )
    def test_far_future_start(self, fmt, text, line):
        """A start in year 9999 is a load error naming its line, value and the range."""
        issue = issue_of(text, fmt)

        assert (f"e.{fmt}", line, "start") == (issue.source, issue.line, issue.path)
        assert issue.message.startswith(f"expected a date {RANGE}, got ")
        assert "9999-12-31" in issue.message

    @pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01"])
    def test_just_outside(self, day):
        """A date a day outside the range is refused as much as year 1."""
        issue = issue_of(f"id: a\nend: {day}\n")

        assert f"end: expected a date {RANGE}, got '{day}'" == (
            f"{issue.path}: {issue.message}"
        )

    @pytest.mark.parametrize(
        ("data", "path"),
        [
            ({"vendor": {"trial": {"completed_on": "0999-01-01"}}}, "vendor.trial"),
            ({"tasks": [{"due": "3001-01-01"}]}, "tasks[0].due"),
            ({"agreements": [{"expires": "9999-12-31"}]}, "agreements[0].expires"),
            ({"access": [{"granted_on": "1000-01-01"}]}, "access[0].granted_on"),
            ({"waivers": [{"rule": "OSK101", "until": "9999-12-31"}]}, "waivers[0]"),
            ({"reviews": [{"on": "0001-01-01"}]}, "reviews[0].on"),
        ],
    )
    def test_every_date_field(self, data, path):
        """Dates are bounded in every part of an engagement."""
        with pytest.raises(io.LoadError) as info:
            io.from_dict({"id": "a", **data})
        (issue,) = info.value.issues

        assert issue.path.startswith(path)
        assert f"a date {RANGE}" in issue.message

    @pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00Z"])
    def test_date_times(self, value):
        """A date-time outside the range is refused, naming its path and line."""
        issue = issue_of(f"id: a\ncheck_ins:\n  - at: {value}\n")

        assert ("check_ins[0].at", 3) == (issue.path, issue.line)
        assert f"expected a date-time {RANGE}, got '{value}'" == issue.message

    def test_date_time_in_range_at_any_offset(self):
        """The range bounds the date written, whatever the offset makes of it in UTC."""
        text = (
            "id: a\ncheck_ins:\n  - at: 2999-12-31T23:00-12:00\n"
            "  - at: 1900-01-01T00:00+14:00\n"
        )

        assert 2 == len(io.loads(text).check_ins)

    def test_toml_date_time(self):
        """A TOML date-time, read as a date-time object, is bounded too."""
        issue = issue_of('id = "a"\n[[check_ins]]\nat = 9999-12-31T10:00:00Z\n', "toml")

        assert ("check_ins[0].at", 3) == (issue.path, issue.line)
        assert issue.message.startswith(f"expected a date-time {RANGE}, got ")

    def test_edges_round_trip(self):
        """Engagements dated on either end of the range dump and load back."""
        for day in (FIRST, LAST):
            for fmt in ("yaml", "json", "toml"):
                first = io.loads(moved(EXAMPLES[-1].read_text("utf-8"), day))
                assert first == io.loads(io.dumps(first, fmt), fmt)

    def test_good_file_beside(self, tmp_path):
        """A file with a date out of range does not stop its neighbours loading."""
        (tmp_path / "a.yaml").write_text("id: a\nstart: 2026-01-05\n", "utf-8")
        (tmp_path / "b.yaml").write_text("id: b\nstart: 9999-01-05\n", "utf-8")

        with pytest.raises(io.LoadError) as info:
            io.load(tmp_path)

        assert ["a"] == [e.id for e in info.value.loaded]
        assert [2] == [issue.line for issue in info.value.issues]


class TestSpans:
    @pytest.mark.parametrize(
        ("cadence", "hint"),
        [
            ("DTSTART:00010101T000000 FREQ=DAILY", "DTSTART 0001-01-01"),
            ("DTSTART:99991231T000000 FREQ=DAILY", "DTSTART 9999-12-31"),
            ("FREQ=DAILY;UNTIL=99991231", "UNTIL 9999-12-31"),
        ],
    )
    def test_cadence_dates(self, cadence, hint):
        """A cadence's DTSTART and UNTIL lie in the range like every other date."""
        with pytest.raises(ValueParseError, match=f"{hint} is outside the range"):
            Cadence.parse(cadence)

    def test_cadence_dates_at_edges(self):
        """A DTSTART on the first day and an UNTIL on the last are read."""
        cadence = Cadence.parse("DTSTART:19000101T000000 FREQ=YEARLY;UNTIL=29991231")

        assert "FREQ=YEARLY;UNTIL=29991231" in str(cadence)

    @pytest.mark.parametrize("text", ["every 1000001 weeks", f"every {'9' * 30} days"])
    def test_interval(self, text):
        """`every N` takes N up to 1,000,000, as an RRULE's INTERVAL does."""
        with pytest.raises(ValueParseError, match="every N goes up to 1,000,000, got"):
            Cadence.parse(text)

        assert "every 1000000 years" == str(Cadence.parse("every 1000000 years"))

    def test_long_period(self):
        """A cadence repeating every eight years counts its occurrences."""
        cadence = Cadence.parse("every 417 weeks")
        anchor = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)

        assert 2 == cadence.count(anchor, anchor, anchor + dt.timedelta(days=4000))

    @pytest.mark.parametrize(
        "text", ["100001 days", "14286w", "P100000DT1S", "9" * 30 + "h"]
    )
    def test_long_duration(self, text):
        """A duration longer than 100,000 days is refused."""
        with pytest.raises(ValueParseError) as info:
            Duration.parse(text)

        assert str(info.value).endswith(
            f"got {text!r} (over the limit of 100,000 days)"
        )

    @pytest.mark.parametrize("text", ["100000d", "P100000D", "2400000h"])
    def test_longest_duration(self, text):
        """A duration of exactly 100,000 days is read."""
        assert dt.timedelta(days=100_000) == Duration.parse(text).timedelta


class TestModel:
    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda: Engagement(id="a", start=dt.date(9999, 12, 31)), "start"),
            (lambda: CheckIn(at=dt.datetime(1, 1, 1, 9)), "at"),
            (lambda: Review(on=dt.date(3000, 1, 1)), "on"),
        ],
    )
    def test_outside_refused(self, build, field):
        """Model objects built in Python hold dates in the range, as files do."""
        with pytest.raises(ValueError, match=f"'{field}' must be a date {RANGE}"):
            build()

    def test_edges(self):
        """Dates on either end of the range are taken."""
        built = Engagement(id="a", start=FIRST, end=LAST)

        assert (FIRST, LAST) == (built.start, built.end)


class TestAsOf:
    @pytest.mark.parametrize(
        "value", ["9999-12-31", "0001-01-01", dt.date(3000, 1, 1), dt.date(1, 1, 1)]
    )
    def test_outside_refused(self, value):
        """An as_of outside the range is a ValueError naming the range."""
        with pytest.raises(ValueError, match=f"as_of must be a date {RANGE}"):
            engine.check([], as_of=value, rules=[])

    def test_not_a_date_still_type_error(self):
        """An as_of that is no date at all stays a TypeError."""
        with pytest.raises(TypeError, match="as_of must be a date like 2026-11-22"):
            engine.check([], as_of="soon", rules=[])

    def test_history_range(self):
        """A history starting before the range is refused before any check runs."""
        with pytest.raises(ValueError, match=f"expected a date {RANGE}"):
            ok.history([], start="0001-01-01", end="1900-03-01")


class TestRulesAtEdges:
    @pytest.mark.parametrize("as_of", [FIRST, LAST], ids=str)
    def test_examples(self, as_of):
        """The bundled examples check at both ends of the range with no rule error."""
        report = ok.check(ok.load(examples_path()), as_of=as_of)

        assert [] == failures(report)

    @pytest.mark.parametrize("day", [FIRST, LAST], ids=str)
    @pytest.mark.parametrize("as_of", [FIRST, LAST], ids=str)
    @pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
    def test_examples_moved(self, example, day, as_of):
        """Every date of an example moved to an end of the range breaks no rule."""
        text = moved(example.read_text("utf-8"), day)
        loaded = io.loads(text, FORMATS[example.suffix], source=example.name)

        assert [] == failures(ok.check(loaded, as_of=as_of))

    @pytest.mark.parametrize("day", [FIRST, LAST], ids=str)
    @pytest.mark.parametrize("as_of", [FIRST, LAST], ids=str)
    def test_long_spans(self, day, as_of):
        """The longest cadences and durations, at either end, break no rule."""
        text = LONG_SPANS.format(day=day, compact=day.strftime("%Y%m%d"))

        assert [] == failures(ok.check(io.loads(text), as_of=as_of))

    @pytest.mark.parametrize(
        "cadence",
        [
            "every 36525 hours",
            "every 417 weeks",
            "every 2920 days",
            "FREQ=HOURLY;INTERVAL=70080;BYMINUTE=0",
            "FREQ=WEEKLY;INTERVAL=417;BYDAY=MO,TH;BYHOUR=10",
        ],
    )
    @pytest.mark.parametrize("as_of", [FIRST, dt.date(2026, 6, 1), LAST], ids=str)
    def test_long_periods(self, cadence, as_of):
        """Cadences repeating every few years break no rule, at any date."""
        text = LONG_PERIODS.format(cadence=cadence, day=as_of)

        assert [] == failures(ok.check(io.loads(text), as_of=as_of))


@pytest.fixture
def invoke(monkeypatch, tmp_path):
    """Run the command line in this process, in an empty folder, with no plugin."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args))

    yield invoke
    plugins.reset()


class TestCommandLine:
    @pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "3000-01-01"])
    def test_as_of_outside(self, invoke, value):
        """--as-of outside the range is a usage error naming the range."""
        result = invoke("check", "--examples", "--as-of", value)

        assert 2 == result.exit_code
        assert f"expected a date {RANGE}, got '{value}'" in result.output

    @pytest.mark.parametrize("value", ["1900-01-01", "2999-12-31"])
    def test_as_of_edges(self, invoke, value):
        """--as-of at either end gives a report with no rule error."""
        result = invoke("check", "--examples", "--as-of", value, "--quiet")

        assert result.exit_code in {0, 1}, result.output
        assert "error: rule" not in result.output

    def test_history_outside(self, invoke):
        """--history starting before the range is a usage error naming the range."""
        result = invoke(
            "check", "--examples", "--history", "0001-01-01..2026-01-01/month"
        )

        assert 2 == result.exit_code
        assert f"expected a date {RANGE}, got '0001-01-01'" in result.output

    def test_file_date_outside(self, invoke, tmp_path):
        """A file with a start in year 9999 is a located load error, exit status 2."""
        path = tmp_path / "e.yaml"
        path.write_text("id: e\ntitle: T\nstart: 9999-12-31\n", "utf-8")

        result = invoke("check", str(path), "--as-of", "2026-01-05")

        assert 2 == result.exit_code
        assert (
            f"e.yaml:3:8: start: expected a date {RANGE}, got '9999-12-31'"
            in result.output
        )


class TestNumpyDates:
    """numpy's datetime64, as a pandas frame's column holds dates, is a date."""

    @pytest.fixture
    def np(self):
        return pytest.importorskip("numpy")

    @pytest.mark.parametrize(
        "value", ["2026-11-22", "2026-11-22T23:59:59.999999999", "2026-11-22T00:00"]
    )
    def test_read(self, np, value):
        """A datetime64 of any unit gives its day."""
        assert as_date(np.datetime64(value)) == dt.date(2026, 11, 22)

    @pytest.mark.parametrize("value", ["NaT", "20000-01-01", "-0001-01-01"])
    def test_not_a_date_refused(self, np, value):
        """NaT, and a day numpy holds but Python cannot, are refused clearly."""
        with pytest.raises(ValueError, match="expected a date like 2026-11-22, got"):
            as_date(np.datetime64(value, "D"))

    def test_pandas_nat_refused(self):
        """pandas' NaT, a date-time of no date, is refused as not a date."""
        pd = pytest.importorskip("pandas")
        with pytest.raises(
            ValueError, match="expected a date like 2026-11-22, got NaT"
        ):
            as_date(pd.NaT)
        assert dt.date(2026, 11, 22) == as_date(pd.Timestamp("2026-11-22 13:00"))

    def test_outside_range_refused(self, np):
        """A datetime64 outside the range is refused as the range says."""
        expected = f"expected a date {RANGE}, got '1899-12-31'"
        with pytest.raises(ValueError, match=expected):
            as_date(np.datetime64("1899-12-31"))

    def test_check_as_of(self, np):
        """ok.check takes as_of as a frame's column holds it."""
        engagement = ok.from_dict({"id": "a", "start": "2026-01-05"})
        day = np.datetime64("2026-11-22")
        assert ok.check(engagement, as_of=day).as_of == dt.date(2026, 11, 22)

    @pytest.mark.usefixtures("np")
    def test_history_looked_up_by_a_frame_date(self):
        """A history's report is looked up by a date of its own frame."""
        pytest.importorskip("pandas")
        engagements = ok.load(examples_path())
        history = ok.history(engagements, dates=["2026-10-01", "2026-11-01"])
        day = history.portfolio_frame().as_of.values[-1]
        assert history[day].as_of == dt.date(2026, 11, 1)
