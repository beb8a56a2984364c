"""Walking a folder: the loaders and the command line read the same files."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest

import outsourcekit as ok
from outsourcekit import _discover, io
from outsourcekit._discover import discover
from outsourcekit.config import find_config
from outsourcekit.engine import Config

AS_OF = dt.date(2026, 11, 22)


def ids_of_every_walk(folder: str, config: Config | None = None) -> list[list[str]]:
    """Return the ids each way of loading reads from *folder*: all must agree."""
    stream = ok.iter_load([folder], config=config)
    streamed = [e.id for e in stream]
    assert [] == list(stream.issues)
    return [
        [e.id for e in ok.load(folder, config=config)],
        [e.id for e in ok.load_all([folder], config=config)],
        streamed,
    ]


@pytest.fixture
def folder(write):
    """Engagement files, and beside them every kind of file a walk passes over."""
    write("engagements/a.yaml", "id: a\n")
    write("engagements/clients/b.json", '{"id": "b"}\n')
    write("engagements/pyproject.toml", '[tool.outsourcekit]\nselect = ["OSK6"]\n')
    write("engagements/package.json", '{"name": "site", "version": "1.0.0"}\n')
    write("engagements/.github/workflows/ci.yaml", "on: push\njobs: {}\n")
    write("engagements/.drafts/hidden.yaml", "id: hidden\n")
    write("engagements/node_modules/pkg/n.yaml", "id: n\n")
    write("engagements/venv/pyvenv.cfg", "home = /usr/bin\n")
    write("engagements/venv/v.yaml", "id: v\n")
    write("engagements/list.yaml", "- id: l\n")
    report = ok.check(ok.load("engagements/a.yaml"), as_of=AS_OF)
    write("engagements/base.json", json.dumps(report.to_dict()))
    write("engagements/schema.json", json.dumps(ok.schema()))
    return "engagements"


class TestOneWalk:
    def test_only_engagement_files_are_read(self, folder):
        """Other files, hidden folders, packages and environments are passed over."""
        assert [["a", "b"]] * 3 == ids_of_every_walk(folder)

    def test_the_command_line_reads_the_same_files(self, folder):
        """The command line's walk finds the files the loaders read."""
        assert [
            pathlib.Path("engagements/a.yaml"),
            pathlib.Path("engagements/clients/b.json"),
        ] == list(discover([folder]).files)

    def test_report_in_the_folder(self, write):
        """A report saved into the folder checked is not read back as engagements."""
        write("engagements/a.yaml", "id: a\n")
        report = ok.check(ok.load("engagements"), as_of=AS_OF)
        write("engagements/base.json", json.dumps(report.to_dict()))

        assert [["a"]] * 3 == ids_of_every_walk("engagements")

    def test_file_named_is_read(self, folder):
        """A file named explicitly is read whatever it holds."""
        with pytest.raises(ok.LoadError) as info:
            ok.load_all([f"{folder}/a.yaml", f"{folder}/pyproject.toml"])

        assert (
            "engagements/pyproject.toml:1:1: id: missing required key `id` (text)\n"
            "engagements/pyproject.toml:1:2: tool: unknown key `tool` (keys of your "
            "own must start with `x-`)"
        ) == str(info.value)

    def test_configuration_passes_over_its_files(self, write):
        """With a configuration, its exclude globs and its own files are passed over."""
        write(
            "outsourcekit.toml",
            'exclude = ["engagements/drafts"]\nwaivers = "engagements/waivers.yaml"\n',
        )
        write("engagements/a.yaml", "id: a\n")
        write("engagements/drafts/d.yaml", "id: d\n")
        write(
            "engagements/waivers.yaml",
            "waivers:\n  - {engagement: a, rule: OSK101, reason: ok}\n",
        )

        assert [["a"]] * 3 == ids_of_every_walk("engagements", find_config())

    def test_configuration_made_in_code(self, write):
        """A configuration made in code matches its globs from the working directory."""
        write("engagements/a.yaml", "id: a\n")
        write("engagements/archive/old.yaml", "id: old\n")

        config = Config(exclude=["engagements/archive/*"])

        assert [["a"]] * 3 == ids_of_every_walk("engagements", config)

    @pytest.mark.parametrize("call", [ok.load, ok.load_all, ok.iter_load])
    def test_config_must_be_a_configuration(self, call, write):
        """Anything but a Config is refused, as check refuses it."""
        write("engagements/a.yaml", "id: a\n")

        with pytest.raises(TypeError) as info:
            call("engagements", config={"exclude": ["drafts"]})

        assert (
            "config must be an outsourcekit.Config (Config.from_mapping() reads a "
            "mapping), got a dict"
        ) == str(info.value)


class TestReadOnce:
    """A walk reads each engagement file once, and a stream starts at once."""

    def test_an_engagement_file_is_not_read_to_tell_what_it_is(
        self, folder, monkeypatch
    ):
        """Only the files that do not load are read again, to tell why."""
        asked = []

        def reason(path):
            asked.append(path.name)
            return _discover.content_reason(path)

        monkeypatch.setattr(io, "content_reason", reason)

        assert ["a", "b"] == [e.id for e in ok.load(folder)]
        assert [e.id for e in ok.iter_load([folder])] == ["a", "b"]
        not_engagements = ["base.json", "list.yaml", "package.json", "pyproject.toml"]
        assert sorted(2 * [*not_engagements, "schema.json"]) == sorted(asked)

    def test_a_stream_yields_before_reading_the_next_file(self, write, monkeypatch):
        """iter_load gives a folder's first engagement having read one file."""
        for name in "abc":
            write(f"many/{name}.yaml", f"id: {name}\n")
        read = []
        real = io._read_walked

        def counted(path, *args, **kwargs):
            read.append(path.name)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(io, "_read_walked", counted)
        stream = iter(ok.iter_load(["many"]))

        assert ("a", ["a.yaml"]) == (next(stream).id, read)


class TestWalkSettings:
    def test_globs_from_the_working_directory(self, write):
        """A walk without a root matches its globs from the working directory."""
        write("eng/a.yaml", "id: a\n")
        write("eng/drafts/d.yaml", "id: d\n")

        assert ["a"] == [
            e.id for e in io.load("eng", walk=io.Walk(exclude=["eng/drafts/*"]))
        ]

    def test_one_glob_as_text(self, write):
        """One glob given as text is that glob, not its characters."""
        write("eng/a.yaml", "id: a\n")
        write("eng/drafts/d.yaml", "id: d\n")

        assert ("eng/drafts/*",) == io.Walk(exclude="eng/drafts/*").exclude
        assert ["a"] == [e.id for e in io.load("eng", walk=io.Walk(exclude="drafts"))]
