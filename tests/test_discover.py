"""Finding engagement files while walking folders: links, exclude globs, empty files."""

from __future__ import annotations

import json
import os
import pathlib
from glob import escape as glob_escape

import pytest

import outsourcekit as ok
from os_calls import replace_call
from outsourcekit._discover import discover, is_excluded

pytestmark = pytest.mark.skipif(
    os.name == "nt", reason="symbolic links need privileges on Windows"
)


def reasons(found) -> dict[str, str]:
    """Return the files and folders passed over, with why."""
    return {s.path: s.reason for s in found.skipped}


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with an engagement in ``e/``, and a secret beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "a1.yaml").write_text("id: a1\n", encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "db.yaml").write_text(
        "data: {password: czNjcjN0}\n", encoding="utf-8"
    )
    return tmp_path


class TestLinks:
    @pytest.mark.usefixtures("repo")
    def test_link_to_its_own_folder_walked_once(self):
        """A link back to the folder walked is passed over, not walked again."""
        pathlib.Path("e/self").symlink_to(".")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/self": "a link to a folder read already: e"} == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_links_that_double_the_walk_end(self):
        """Two links to the folder, each doubling the walk, still end at once."""
        pathlib.Path("e/self").symlink_to(".")
        pathlib.Path("e/current").symlink_to(".")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {
            "e/current": "a link to a folder read already: e",
            "e/self": "a link to a folder read already: e",
        } == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_link_to_a_parent_folder(self):
        """A link up to the parent of a subfolder is not walked again."""
        pathlib.Path("e/team-a").mkdir()
        pathlib.Path("e/team-a/loop").symlink_to("..")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/team-a/loop": "a link to a folder read already: e"} == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_folder_reached_again_after_a_link(self):
        """A folder read through a link first is not read again by its own name."""
        pathlib.Path("e/2026").mkdir()
        pathlib.Path("e/2026/b.yaml").write_text("id: b\n", encoding="utf-8")
        pathlib.Path("e/0-current").symlink_to("2026")

        found = discover(["e"])

        assert [pathlib.Path("e/0-current/b.yaml"), pathlib.Path("e/a1.yaml")] == list(
            found.files
        )
        assert {"e/2026": "a folder read already, as e/0-current"} == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_link_to_a_folder_outside(self):
        """A link to a folder outside the one named is not followed."""
        pathlib.Path("e/vendor-docs").symlink_to("../secrets")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/vendor-docs": "a link to a folder outside e"} == reasons(found)

    def test_link_to_a_file_outside(self, repo):
        """A link to a file outside the folder named is not read."""
        pathlib.Path("e/db.yaml").symlink_to(repo / "secrets" / "db.yaml")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/db.yaml": "a link to a file outside e"} == reasons(found)

    def test_outside_the_current_directory(self, repo, monkeypatch):
        """Walking the working directory names it in the reason."""
        monkeypatch.chdir(repo / "e")
        pathlib.Path("db.yaml").symlink_to("../secrets/db.yaml")

        found = discover([pathlib.Path()])

        assert [pathlib.Path("a1.yaml")] == list(found.files)
        assert {"db.yaml": "a link to a file outside the current directory"} == (
            reasons(found)
        )

    def test_link_inside_followed(self, repo):
        """Links to files and folders inside the folder named are followed."""
        pathlib.Path("e/shared").mkdir()
        pathlib.Path("e/shared/b.yaml").write_text("id: b\n", encoding="utf-8")
        pathlib.Path("e/team").mkdir()
        pathlib.Path("e/team/b.yaml").symlink_to("../shared/b.yaml")
        pathlib.Path("e/team/docs").symlink_to(repo / "e" / "shared")

        pathlib.Path("e/team/c.yaml").symlink_to("../shared/c.yaml")
        pathlib.Path("e/shared/c.yaml").write_text("id: c\n", encoding="utf-8")

        found = discover([repo / "e"])

        assert [
            repo / "e/a1.yaml",
            repo / "e/shared/b.yaml",
            repo / "e/shared/c.yaml",
        ] == list(found.files)
        assert {
            os.fspath(repo / "e/team/b.yaml"): (
                f"the same file as {repo / 'e/shared/b.yaml'}"
            ),
            os.fspath(repo / "e/team/c.yaml"): (
                f"the same file as {repo / 'e/shared/c.yaml'}"
            ),
            os.fspath(repo / "e/team/docs"): (
                f"a link to a folder read already: {repo / 'e/shared'}"
            ),
        } == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_link_named_is_read(self):
        """A link the user names is read as given: the folder it leads to is walked."""
        pathlib.Path("e/vendor-docs").symlink_to("../secrets")
        pathlib.Path("e/db.yaml").symlink_to("../secrets/db.yaml")

        assert [pathlib.Path("e/vendor-docs/db.yaml")] == list(
            discover(["e/vendor-docs"]).files
        )
        assert [pathlib.Path("e/db.yaml")] == list(discover(["e/db.yaml"]).files)

    @pytest.mark.usefixtures("repo")
    def test_broken_links_listed(self):
        """A link to nothing, or a loop of links, found walking is listed as skipped."""
        pathlib.Path("e/moved.yaml").symlink_to("../shared/moved.yaml")
        pathlib.Path("e/loop-a").symlink_to("loop-b")
        pathlib.Path("e/loop-b").symlink_to("loop-a")
        pathlib.Path("e/README.md").symlink_to("../docs/README.md")

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {
            "e/loop-a": "a link that cannot be followed: Too many levels of "
            "symbolic links",
            "e/loop-b": "a link that cannot be followed: Too many levels of "
            "symbolic links",
            "e/moved.yaml": "a link to nothing: ../shared/moved.yaml",
        } == reasons(found)

    @pytest.mark.usefixtures("repo")
    def test_same_file_named_twice_read_once(self):
        """A file named by two names, one a link, is listed once, by the first."""
        pathlib.Path("e/same.yaml").symlink_to("a1.yaml")

        found = discover(["e/same.yaml", "e/a1.yaml", "e"])

        assert [pathlib.Path("e/same.yaml")] == list(found.files)
        assert {} == reasons(found)


class TestExcludeGlobs:
    @pytest.mark.parametrize(
        ("path", "glob", "matched"),
        [
            ("drafts/a.yaml", "drafts/*.yaml", True),
            ("clients/drafts/real.yaml", "drafts/*.yaml", False),
            ("x/archive/2024/x.yaml", "archive/*/x.yaml", False),
            ("engagements/archive/2024", "engagements/archive/*", True),
            ("engagements/archive/2024/a.yaml", "engagements/archive/*", True),
            ("drafts/a.yaml", "./drafts/*.yaml", True),
            ("drafts/a.yaml", "**/drafts/*.yaml", True),
            ("clients/drafts/a.yaml", "**/drafts/*.yaml", True),
            ("a/b/drafts/a.yaml", "**/drafts/*.yaml", True),
            ("clients/a.yaml", "**/drafts/*.yaml", False),
            ("archive/x.yaml", "archive/**/x.yaml", True),
            ("archive/2024/q1/x.yaml", "archive/**/x.yaml", True),
            ("old/archive/2024/x.yaml", "archive/**/x.yaml", False),
            ("clients/drafts", "drafts", True),
        ],
    )
    def test_from_the_root(self, tmp_path, path, glob, matched):
        """A glob with / matches the path from the root's start; **/ any folders."""
        assert matched == (is_excluded(tmp_path / path, [glob], tmp_path) is not None)

    @pytest.mark.parametrize(
        ("path", "glob", "matched"),
        [
            ("eng/archive/a.yaml", "../eng/archive/*", True),
            ("eng/archive", "../eng/archive", True),
            ("eng/archive/a.yaml", "./../eng/**/a.yaml", True),
            ("eng/archive/a.yaml", "../cfg/../eng/archive/a.yaml", True),
            ("eng/live/a.yaml", "../eng/archive/*", False),
            ("eng/archive/a.yaml", "*/archive/*", False),
            ("eng/archive/a.yaml", "**/archive/*", False),
            ("cfg/archive/a.yaml", "../eng/archive/*", False),
            ("cfg/archive/a.yaml", "archive//*", True),
            ("cfg/archive/a.yaml", "../cfg/archive/*", True),
            ("cfg/archive", "../cfg/archive", True),
            ("cfg/live/a.yaml", "../cfg/archive/*", False),
            ("cfg/archive/a.yaml", "../*/archive/*", True),
            ("eng/archive/a.yaml", "../*/archive/*", True),
            ("eng/archive/a.yaml", "../eng/../cfg/archive/*", False),
            ("cfg/archive/a.yaml", "../eng/../cfg/archive/*", True),
        ],
    )
    def test_leading_out_of_the_root(self, tmp_path, path, glob, matched):
        """A glob leads out of the root with ../, as a path from there does.

        Nothing else reaches outside: `*` and `**/` match folders below the
        root only.
        """
        root = tmp_path / "cfg"

        assert matched == (is_excluded(tmp_path / path, [glob], root) is not None)

    @pytest.mark.parametrize("root", ["cfg", None])
    def test_absolute(self, tmp_path, root):
        """An absolute glob matches the absolute path, wherever the root is."""
        glob = f"{glob_escape(tmp_path.as_posix())}/eng/archive/*"
        base = None if root is None else tmp_path / root

        assert is_excluded(tmp_path / "eng/archive/a.yaml", [glob], base) == glob
        assert is_excluded(tmp_path / "eng/live/a.yaml", [glob], base) is None

    @pytest.mark.parametrize(
        ("path", "matched"),
        [("eng/archive/a.yaml", True), ("cfg/eng/archive/a.yaml", False)],
    )
    def test_leading_out_and_back_by_name(self, tmp_path, path, matched):
        """A glob going up past the root and down by names leads where a path does."""
        glob = f"../../{glob_escape(tmp_path.name)}/eng/archive/*"
        root = tmp_path / "cfg"

        assert matched == (is_excluded(tmp_path / path, [glob], root) is not None)

    def test_leading_above_the_top_folder(self, tmp_path):
        """`..` at the top folder stays there, as it does in a path."""
        ups = "../" * (len(tmp_path.parts) + 2)
        glob = f"{ups}{glob_escape(tmp_path.as_posix().lstrip('/'))}/eng/*"

        assert is_excluded(tmp_path / "eng/a.yaml", [glob], tmp_path / "cfg") == glob

    @pytest.mark.parametrize(
        "written",
        [
            "{tmp}/cfg/../eng/archive/*",
            "{tmp}//eng/./archive/*",
            "/{tmp}/eng/archive/*",
        ],
    )
    def test_absolute_read_as_a_path(self, tmp_path, written):
        """An absolute glob with `..`, `.` or `//` matches the path it leads to."""
        glob = written.format(tmp=glob_escape(tmp_path.as_posix()))

        assert is_excluded(tmp_path / "eng/archive/a.yaml", [glob], None) == glob
        assert is_excluded(tmp_path / "eng/live/a.yaml", [glob], None) is None

    def test_leading_out_when_walking(self, tmp_path):
        """A configuration beside the folder walked excludes in it with ../."""
        for folder in ("eng/archive", "eng/live", "cfg"):
            (tmp_path / folder).mkdir(parents=True)
        for folder in ("eng/archive", "eng/live"):
            (tmp_path / folder / "a.yaml").write_text("id: a\n", encoding="utf-8")

        found = discover(
            [tmp_path / "eng"], exclude=["../eng/archive"], root=tmp_path / "cfg"
        )

        assert [tmp_path / "eng/live/a.yaml"] == list(found.files)
        excluded = os.fspath(tmp_path / "eng/archive")
        assert {excluded: "excluded by '../eng/archive'"} == reasons(found)

    def test_deeper_folder_of_the_same_name_read(self, tmp_path):
        """`drafts/*.yaml` passes over the top drafts folder's files only."""
        for folder in ("drafts", "clients/drafts"):
            (tmp_path / folder).mkdir(parents=True)
            (tmp_path / folder / "a.yaml").write_text("id: a\n", encoding="utf-8")

        found = discover([tmp_path], exclude=["drafts/*.yaml"], root=tmp_path)

        assert [tmp_path / "clients/drafts/a.yaml"] == list(found.files)
        excluded = os.fspath(tmp_path / "drafts/a.yaml")
        assert {excluded: "excluded by 'drafts/*.yaml'"} == reasons(found)


class TestReports:
    def test_report_naming_undecodable_file_passed_over(self, tmp_path):
        """A report whose file names hold surrogate escapes is a report still."""
        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
        report = {"findings": [{"source": "a\udcffb.yaml"}], "summary": {}}
        (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")

        found = discover([tmp_path])

        assert [tmp_path / "a.yaml"] == list(found.files)
        assert {
            os.fspath(tmp_path / "report.json"): "a report outsourcekit wrote"
        } == reasons(found)

    def test_history_report_passed_over(self, tmp_path):
        """A report of --history --format json is a report outsourcekit wrote."""
        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")
        engagements = ok.load_all([tmp_path / "a.yaml"])
        history = ok.history(engagements, dates=["2026-01-01", "2026-02-01"])
        (tmp_path / "trend.json").write_text(
            json.dumps(history.to_dict()), encoding="utf-8"
        )

        found = discover([tmp_path])

        assert [tmp_path / "a.yaml"] == list(found.files)
        assert {
            os.fspath(tmp_path / "trend.json"): "a report outsourcekit wrote"
        } == reasons(found)


class TestEmptyFiles:
    @pytest.mark.parametrize("text", ["", "  \n\t\n", "\ufeff\n"])
    def test_empty_json_passed_over(self, tmp_path, text):
        """An empty JSON file found while walking is passed over as empty."""
        (tmp_path / "gl-code-quality.json").write_text(text, encoding="utf-8")
        (tmp_path / "a.yaml").write_text("id: a\n", encoding="utf-8")

        found = discover([tmp_path])

        assert [tmp_path / "a.yaml"] == list(found.files)
        assert {os.fspath(tmp_path / "gl-code-quality.json"): "empty"} == reasons(found)

    def test_empty_json_named_is_read(self, tmp_path):
        """An empty JSON file named explicitly is read, so that loading reports it."""
        (tmp_path / "empty.json").write_text("", encoding="utf-8")

        found = discover([tmp_path / "empty.json"])

        assert [tmp_path / "empty.json"] == list(found.files)


def deny(monkeypatch, folder: pathlib.Path, *, listing: bool) -> None:
    """Make what is in *folder* unreadable, as for a user without permission.

    Nothing below *folder* can be looked at (its mode lacks ``x``); with
    *listing*, the folder cannot be listed either (mode ``000``). Made by
    refusing the calls, so that it holds for the superuser too.
    """
    inside = os.path.abspath(folder) + os.sep  # noqa: PTH100
    real_stat, real_lstat = os.stat, os.lstat
    real_listdir, real_scandir = os.listdir, os.scandir

    def refused(path) -> bool:
        return os.path.abspath(os.fspath(path)).startswith(inside)  # noqa: PTH100

    def denied(path) -> PermissionError:
        return PermissionError(13, "Permission denied", os.fspath(path))

    def stat(path, *args, **kwargs):
        if refused(path):
            raise denied(path)
        return real_stat(path, *args, **kwargs)

    def lstat(path, *args, **kwargs):
        if refused(path):
            raise denied(path)
        return real_lstat(path, *args, **kwargs)

    def listed(real):
        def listing_of(path=".", *args, **kwargs):
            if listing and refused(os.path.join(path, "x")):  # noqa: PTH118
                raise denied(path)
            return real(path, *args, **kwargs)

        return listing_of

    replace_call(monkeypatch, "stat", stat)
    replace_call(monkeypatch, "lstat", lstat)
    replace_call(monkeypatch, "listdir", listed(real_listdir))
    replace_call(monkeypatch, "scandir", listed(real_scandir))


class TestUnreadable:
    def test_link_out_to_what_cannot_be_looked_at(self, repo, monkeypatch):
        """A link out of the named folder is passed over, even to a shut folder."""
        shut = repo / "shut"
        shut.mkdir()
        (shut / "b.yaml").write_text("id: b\n", encoding="utf-8")
        (repo / "e" / "b.yaml").symlink_to(shut / "b.yaml")
        deny(monkeypatch, shut, listing=False)
        inside, denied_stat = str(shut) + os.sep, os.stat

        def stat(path, *args, **kwargs):
            # Followed, the link leads where nothing can be looked at.
            followed = kwargs.get("follow_symlinks", True)
            if followed and os.path.realpath(path).startswith(inside):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return denied_stat(path, *args, **kwargs)

        replace_call(monkeypatch, "stat", stat)

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/b.yaml": "a link to a file outside e"} == reasons(found)

    def test_folder_that_cannot_be_listed(self, repo, monkeypatch):
        """A folder that cannot be listed is passed over with why; the rest is read."""
        (repo / "e" / "locked").mkdir()
        (repo / "e" / "locked" / "b.yaml").write_text("id: b\n", encoding="utf-8")
        deny(monkeypatch, repo / "e" / "locked", listing=True)

        found = discover(["e"])

        assert [pathlib.Path("e/a1.yaml")] == list(found.files)
        assert {"e/locked": "cannot be read: Permission denied"} == reasons(found)

    def test_folder_whose_entries_cannot_be_looked_at(self, repo, monkeypatch):
        """In a folder listed but not searchable, engagement files are read.

        Reading them reports why they cannot be; a folder or a file of no
        engagement suffix is passed over, saying why.
        """
        shut = repo / "e" / "shut"
        (shut / "sub").mkdir(parents=True)
        (shut / "b.yaml").write_text("id: b\n", encoding="utf-8")
        (shut / "notes.md").write_text("notes\n", encoding="utf-8")
        deny(monkeypatch, shut, listing=False)

        found = discover(["e"], exclude=["drafts"])

        assert [pathlib.Path("e/a1.yaml"), pathlib.Path("e/shut/b.yaml")] == list(
            found.files
        )
        assert {
            "e/shut/notes.md": "cannot be read: Permission denied",
            "e/shut/sub": "cannot be read: Permission denied",
        } == reasons(found)
