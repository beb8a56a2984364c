"""The importer contract: `Importer` version 2, its options, and version 1 importers."""

from __future__ import annotations

import pytest
from importer_support import BOARD, FAKE

import outsourcekit as ok
from outsourcekit import hookimpl, plugins
from outsourcekit.engine import Option
from outsourcekit.io import check_imported
from outsourcekit.model import Engagement
from outsourcekit.plugins import (
    Imported,
    Importer,
    ImporterOptionError,
    ImportProblem,
    find_importer,
    importer_for,
)


def v2(path, options):
    return Imported(data={"title": path.name, "x-options": dict(options)})


def v1(path):
    return [Engagement(id=path.stem)]


class TestVersion:
    def test_function_of_path_and_options(self):
        """A function of (path, options) is a version 2 importer's."""
        assert 2 == Importer(name="a", suffixes=".a", func=v2).version

    def test_function_of_path(self):
        """A function of the path alone is a version 1 importer's."""
        assert 1 == Importer(name="a", suffixes=".a", func=v1).version

    def test_second_argument_with_default(self):
        """A second argument with a default is not the options: version 1."""

        def read(path, encoding="utf-8"):
            return [Engagement(id=path.stem + encoding)]

        assert 1 == Importer(name="a", suffixes=".a", func=read).version


class TestOptions:
    def test_defaults_filled_in(self):
        """Every option is given, with its default where none is set."""
        assert {"who": ("@a.com",), "strict": False, "limit": 10} == (
            FAKE.check_options({"who": ["@a.com"]})
        )

    def test_list_option_from_text(self):
        """A list option takes one string of comma-separated items."""
        assert ("@a.com", "b@c.ph") == FAKE.check_options({"who": "@a.com, b@c.ph,"})[
            "who"
        ]

    def test_kebab_and_snake_case(self):
        """`-` and `_` in option names are alike, as for rule options."""
        importer = Importer(
            name="a", suffixes=".a", func=v2, options={"done_lists": ()}
        )

        assert {"done_lists": ("Done",)} == importer.check_options(
            {"done-lists": ["Done"]}
        )

    def test_unknown_option_suggests(self):
        """An unknown option is an error naming the closest one and listing all."""
        with pytest.raises(ImporterOptionError) as info:
            FAKE.check_options({"whom": ["x"], "limit": "many"})

        assert [
            (
                "whom",
                (
                    "importer 'fake' has no option 'whom' (did you mean 'who'?) "
                    "(options: limit, strict, who)"
                ),
            ),
            (
                "limit",
                "option 'limit' must be a whole number (got 'many' that is text)",
            ),
        ] == list(info.value.problems)

    def test_list_of_non_strings(self):
        """A list option refuses items that are not strings."""
        with pytest.raises(ImporterOptionError, match="must be a list of texts"):
            FAKE.check_options({"who": [1, 2]})

    def test_from_text(self):
        """Command-line text becomes the option's type; bad text is left to refuse."""
        assert {"strict": True, "limit": 3, "who": "a,b", "x": "1"} == (
            FAKE.options_from_text(
                {"strict": "yes", "limit": "3", "who": "a,b", "x": "1"}
            )
        )
        assert {"limit": "3.5"} == FAKE.options_from_text({"limit": "3.5"})

    def test_plain_defaults_become_options(self):
        """A plain default stands for an option of its type."""
        importer = Importer(name="a", suffixes=".a", func=v2, options={"n": 2})

        assert Option(default=2) == importer.options["n"]


class TestImportedIsChecked:
    @pytest.mark.parametrize(
        ("make", "kind", "message"),
        [
            (
                lambda: Imported(problems=["a string problem"]),
                TypeError,
                (
                    "Imported.problems holds ImportProblem objects, got 'a string "
                    "problem' (a str)"
                ),
            ),
            (
                lambda: Imported(lines={(): -7}),
                ValueError,
                (
                    "Imported.lines: the line of () must be a whole number, 1 or "
                    "more, got -7"
                ),
            ),
            (
                lambda: Imported(lines={"start": 3}),
                TypeError,
                (
                    "Imported.lines: a path is a tuple of keys and indexes, got "
                    "'start' (a str)"
                ),
            ),
            (
                lambda: ImportProblem(message="m", line=0),
                ValueError,
                (
                    "ImportProblem.line must be a whole number, 1 or more, or None, "
                    "got 0"
                ),
            ),
            (
                lambda: ImportProblem(message=None),
                TypeError,
                "ImportProblem.message must be text, got None (a NoneType)",
            ),
        ],
    )
    def test_what_no_loader_could_read_is_refused(self, make, kind, message):
        """Malformed results are refused where the importer builds them, by name."""
        with pytest.raises(kind) as caught:
            make()

        assert message == str(caught.value)

    def test_a_malformed_result_is_the_importers_failure(self, tmp_path):
        """The loader reports the importer that built one; the other files load."""

        def bad(_path, _options):
            return Imported(data={"id": "w-1"}, problems=["a string problem"])

        plugins.reset()
        importer = Importer(name="bad", suffixes=".bad", func=bad)
        plugins.register(_Registers(importer), name="acme-bad")
        try:
            (tmp_path / "a.bad").write_text("x", encoding="utf-8")
            (tmp_path / "b.yaml").write_text("id: b\n", encoding="utf-8")

            with pytest.warns(plugins.OutsourcekitPluginWarning):
                loaded = ok.load_all([tmp_path / "a.bad", tmp_path / "b.yaml"])
            errors = plugins.plugin_errors()
        finally:
            plugins.reset()

        assert ["b"] == [e.id for e in loaded]
        ((plugin, message),) = [(e.plugin, e.message) for e in errors]
        assert "acme-bad" == plugin
        assert message.startswith(
            "importer 'bad' raised TypeError: Imported.problems holds ImportProblem "
            "objects, got 'a string problem' (a str)"
        )


class _Registers:
    def __init__(self, importer):
        self.importer = importer

    @hookimpl
    def outsourcekit_register_importers(self):
        return [self.importer]


class TestRead:
    def test_read_checks_options_and_result(self, tmp_path):
        """read() gives the function every option and returns its data."""
        importer = Importer(
            name="a",
            suffixes=".a",
            func=v2,
            options={"who": Option(default=(), type=tuple)},
        )

        imported = importer.read(tmp_path / "x.a", {"who": "@a.com"})

        assert {"title": "x.a", "x-options": {"who": ("@a.com",)}} == imported.data

    def test_read_refuses_other_results(self, tmp_path):
        """A function returning anything but Imported is a TypeError naming it."""
        importer = Importer(name="a", suffixes=".a", func=lambda _p, _o: {"id": "a"})

        with pytest.raises(
            TypeError, match=r"returned \{'id': 'a'\} \(a dict\) instead"
        ):
            importer.read(tmp_path / "x.a")

    def test_version_2_is_not_called(self, tmp_path):
        """Calling a version 2 importer says to read() it or to load the file."""
        with pytest.raises(TypeError, match=r"importer.read\(path\) returns its data"):
            FAKE(tmp_path / "x.fake")

    def test_version_1_is_called_with_a_warning(self, tmp_path):
        """A version 1 importer still gives engagements, with a deprecation warning."""
        importer = Importer(name="old", suffixes=".old", func=v1)

        with pytest.warns(DeprecationWarning, match="importer 'old' .* deprecated"):
            assert [Engagement(id="x")] == importer(tmp_path / "x.old")

    def test_version_1_has_no_data(self, tmp_path):
        """read() refuses a version 1 importer: it gives engagements."""
        importer = Importer(name="old", suffixes=".old", func=v1)

        with pytest.raises(TypeError, match="is a version 1 importer"):
            importer.read(tmp_path / "x.old")


class Old:
    """A plugin with a version 1 importer."""

    @hookimpl
    def outsourcekit_register_importers(self):
        return [Importer(name="old", suffixes=".old", func=v1)]


@pytest.mark.usefixtures("fake")
class TestFinding:
    def test_by_suffix(self):
        """The importer of a file is found by its suffix."""
        assert (FAKE, None) == (importer_for("a.FAKE"), importer_for("a.txt"))

    def test_by_content(self):
        """An importer that sniffs is chosen only when it recognises the content."""
        assert (BOARD, None) == (
            importer_for("b.json", '{"board": []}'),
            importer_for("b.json", '{"id": "a"}'),
        )

    def test_sniff_that_raises(self):
        """A sniff that raises is its plugin's error and recognises nothing."""

        def sniff(_head):
            raise KeyError("oops")

        class Sniffs:
            @hookimpl
            def outsourcekit_register_importers(self):
                return [Importer(name="z", suffixes=".z", func=v2, sniff=sniff)]

        plugins.register(Sniffs(), name="sniffs")

        with pytest.warns(
            plugins.OutsourcekitPluginWarning, match="sniff raised KeyError"
        ):
            assert importer_for("a.z", "{}") is None

    def test_by_name(self):
        """find_importer() finds an importer by name."""
        assert (FAKE, None) == (find_importer("fake"), find_importer("nope"))

    def test_version_1_still_loads(self, tmp_path):
        """A version 1 importer's engagements load, with a deprecation warning."""
        plugins.register(Old(), name="old")
        (tmp_path / "team.old").write_text("", encoding="utf-8")

        with pytest.warns(DeprecationWarning, match="takes the path alone"):
            assert [Engagement(id="team")] == ok.load("team.old")


class TestCheckImported:
    def test_clean_fragment(self, tmp_path):
        """Facts that load give no issue."""
        imported = Imported(data={"check_ins": [{"at": "2026-03-02", "by": "client"}]})

        assert [] == check_imported(imported, tmp_path / "a.fake")

    def test_problems_and_bad_values(self):
        """The importer's problems and the values that do not load, located."""
        imported = Imported(
            data={"check_ins": [{"at": "2026-31-02"}]},
            lines={("check_ins", 0): 7},
            where={("check_ins", 0): 'event "x@y"'},
            problems=[ImportProblem(message="no start", line=3, where='event "z"')],
        )

        issues = check_imported(imported, "cal.ics")

        assert [
            ("cal.ics", 3, 'event "z": no start'),
            (
                "cal.ics",
                7,
                (
                    'event "x@y": check_ins[0].at: expected a date or date-time in '
                    "ISO 8601 form, like 2026-03-01 or 2026-03-01T09:00, got "
                    "'2026-31-02' (month must be in 1..12)"
                ),
            ),
        ] == [(i.source, i.line, i.message) for i in issues]

    def test_engagements(self):
        """Whole engagements are checked as a file's, with their paths."""
        imported = Imported(
            data={"engagements": [{"id": "a", "status": "busy"}]},
            lines={("engagements", 0): 2},
        )

        (issue,) = check_imported(imported, "p.csv", importer="csv")

        assert ("p.csv", 2, "status") == (issue.source, issue.line, issue.path)
        assert issue.message.startswith("expected one of proposed | trial")
