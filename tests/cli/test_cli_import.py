"""`outsourcekit import` with an importer whose data is not plain data."""

from __future__ import annotations

import textwrap

import pytest
from cli_support import AS_OF


def importer(*lines: str) -> str:
    """The source of a plugin whose importer ``odd`` of ``.odd`` runs *lines*."""
    body = textwrap.indent("\n".join(lines), " " * 4)
    return (
        textwrap.dedent(
            """\
            from outsourcekit.plugins import Imported, Importer
            from outsourcekit.hookspecs import hookimpl

            @hookimpl
            def outsourcekit_register_importers():
                return [Importer(name="odd", suffixes=".odd", func=read)]

            def read(path, options):
            """
        )
        + body
        + "\n"
    )


SELF = ("d = {}", 'd["x-self"] = d')
SELF_ENGAGEMENT = ('d = {"id": "a"}', 'd["x-self"] = d')
DEEP = (
    "d = top = {}",
    "for _ in range(5000):",
    '    d["x-n"] = {}',
    '    d = d["x-n"]',
    "d = top",
)
TOO_DEEP = "nested deeper than 100 levels"


@pytest.fixture
def team(tmp_path):
    """The file the importer ``odd`` reads."""
    (tmp_path / "team.odd").write_text("x", encoding="utf-8")


class TestDataThatCannotBeWritten:
    @pytest.mark.parametrize(
        "lines", [SELF, SELF_ENGAGEMENT, DEEP], ids=["itself", "engagement", "deep"]
    )
    def test_too_deep_is_a_load_error(self, run, site, tmp_path, lines):
        """Data holding itself, or nested too deep, is a load error: no traceback."""
        env = site(odd=importer(*lines, "return Imported(data=d)"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        done = run("import", "team.odd", env=env)

        assert (2, "") == (done.returncode, done.stdout)
        assert "Traceback" not in done.stderr
        assert (
            f"error: team.odd: the data importer 'odd' read is {TOO_DEEP}\n"
        ) in done.stderr
        assert (
            "error: team.odd: importer 'odd' (plugin odd) read data that cannot be "
            f"written: it is {TOO_DEEP}\n"
        ) in done.stderr

    def test_too_deep_as_check_reports_it(self, run, site, tmp_path):
        """`import` reports the same load error as `check` of that file."""
        env = site(odd=importer(*DEEP, "return Imported(data=d)"))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")
        (tmp_path / "a.yaml").write_text(
            "id: a\nimports:\n  - path: team.odd\n", encoding="utf-8"
        )

        imported = run("import", "team.odd", env=env)
        checked = run("check", "a.yaml", "--as-of", AS_OF, "--exit-zero", env=env)

        assert 2 == imported.returncode == checked.returncode
        assert (
            "team.odd: imports[0]: engagement a (a.yaml): the data importer 'odd' "
            f"read is {TOO_DEEP}"
        ) in checked.stderr
        assert f"team.odd: the data importer 'odd' read is {TOO_DEEP}" in (
            imported.stderr
        )

    @pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
    @pytest.mark.parametrize(
        ("data", "shown"),
        [
            ('{"x-tags": {1, 2}}', "x-tags is {1, 2} (a set)"),
            ('{"id": "a", "x-tags": {1, 2}}', "x-tags is {1, 2} (a set)"),
            ('{"x-o": {1: "a"}}', "x-o is {1: 'a'} (a dict)"),
        ],
    )
    @pytest.mark.usefixtures("team")
    def test_not_plain_names_the_importer(self, invoke, site, fmt, data, shown):
        """Data that is no plain data names the importer, never --format; exit 2.

        The problems the loader finds in it are printed too, as `check` prints
        them.
        """
        site(odd=importer(f"return Imported(data={data})"))

        result = invoke("import", "team.odd", "--format", fmt)

        assert (2, "") == (result.exit_code, result.stdout)
        assert "--format" not in result.stderr
        lines = result.stderr.splitlines()
        assert lines[0].startswith("error: team.odd: x-")
        assert "x- values must be plain data" in lines[0]
        assert (
            "error: team.odd: importer 'odd' (plugin odd) read data that cannot be "
            f"written: {shown}, which is no plain data"
        ) in result.stderr

    def test_object_names_the_importer(self, invoke, site, tmp_path):
        """An object of no plain kind is named with its importer and plugin."""
        site(odd=importer('return Imported(data={"x-o": object()})'))
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        result = invoke("import", "team.odd")

        assert 2 == result.exit_code
        assert (
            "importer 'odd' (plugin odd) read data that cannot be written: x-o is "
            "<object object at"
        ) in result.stderr

    def test_format_problem_after_load_errors(self, invoke, site, tmp_path):
        """What one format cannot hold names --format, after the data's problems."""
        site(
            odd=importer(
                'return Imported(data={"check_ins": [{"at": "soon"}], "x-a": None})'
            )
        )
        (tmp_path / "team.odd").write_text("x", encoding="utf-8")

        result = invoke("import", "team.odd", "--format", "toml")

        assert (2, "") == (result.exit_code, result.stdout)
        lines = result.stderr.splitlines()
        assert lines[0].startswith("error: team.odd: check_ins[0].at: expected a date")
        assert lines[-1] == (
            "error: --format toml: cannot write the data as TOML: x-a is null, and "
            "TOML has no null (write it as YAML or JSON)"
        )
