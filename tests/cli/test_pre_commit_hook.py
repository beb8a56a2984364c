"""The pre-commit hook: the repository's ``.pre-commit-hooks.yaml``, run for real.

``pre-commit try-repo`` runs the hook on a temporary git repository. The hook
is ``language: python``, which makes pre-commit build and install outsourcekit
with pip, from the network; so that the test runs offline, it runs a copy of
the hook with ``language: system`` (the outsourcekit this test runs with, on
PATH), every other key as shipped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_support import CLEAN, example

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None,
        reason="pre-commit is not installed (it is in the tests dependency group)",
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def git(folder: Path, *args: str) -> None:
    """Run git in *folder*, quietly, as a throwaway identity."""
    subprocess.run(  # noqa: S603 - a fixed git command on a test folder
        [  # noqa: S607
            "git",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "user.name=test",
            *args,
        ],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def shipped_hook() -> dict[str, object]:
    """Return the one hook of the repository's .pre-commit-hooks.yaml."""
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert 1 == len(hooks)
    return hooks[0]


class TestHookFile:
    def test_checks_the_whole_portfolio_once(self):
        """The hook gets no file names and never runs in parallel batches."""
        hook = shipped_hook()

        assert {
            "id": "outsourcekit",
            "entry": "outsourcekit check",
            "language": "python",
            "pass_filenames": False,
            "require_serial": True,
        } == {
            k: hook[k]
            for k in ("id", "entry", "language", "pass_filenames", "require_serial")
        }

    @pytest.mark.parametrize(
        ("name", "runs"),
        [
            ("a.yaml", True),
            ("a.yml", True),
            ("a.json", True),
            ("pyproject.toml", True),
            ("portfolio.jsonl", True),
            ("portfolio.ndjson", True),
            ("calendars/team.ics", True),
            ("calendars/team.ical", True),
            ("calendars/team.icalendar", True),
            ("calendars/TEAM.ICS", True),
            ("portfolio.csv", True),
            ("README.md", False),
            ("script.py", False),
        ],
    )
    def test_files(self, name, runs):
        """The hook runs when an engagement, imported or configuration file changes."""
        import re

        assert runs == bool(re.search(str(shipped_hook()["files"]), name))

    def test_files_cover_every_builtin_importer(self):
        """`files` takes every suffix a built-in importer reads."""
        from outsourcekit.plugins import get_importers

        suffixes = {
            suffix
            for importer in get_importers()
            if importer.plugin is None or importer.plugin.startswith("outsourcekit.")
            for suffix in importer.suffixes
        }

        assert {".ics", ".ical", ".icalendar", ".csv", ".json"} <= suffixes
        files = str(shipped_hook()["files"])
        assert [] == [s for s in sorted(suffixes) if not re.search(files, s)]

    def test_runs_on_every_commit(self):
        """The hook runs whatever the commit changes, deleted files included."""
        assert shipped_hook()["always_run"] is True


def try_repo(tmp_path: Path, work: Path) -> subprocess.CompletedProcess[str]:
    """Run the shipped hook (as ``language: system``) with ``pre-commit try-repo``."""
    hooks_repo = tmp_path / "hooks"
    if not hooks_repo.exists():
        hooks_repo.mkdir()
        hook = {**shipped_hook(), "language": "system"}
        (hooks_repo / ".pre-commit-hooks.yaml").write_text(
            yaml.safe_dump([hook]), encoding="utf-8"
        )
        git(hooks_repo, "init", "-q")
        git(hooks_repo, "add", "-A")
        git(hooks_repo, "commit", "-q", "-m", "hook")
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PIP_NO_INDEX": "1",
    }
    return subprocess.run(  # noqa: S603 - pre-commit on a test repository
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hooks_repo),
            "outsourcekit",
            "--verbose",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


class TestTryRepo:
    def test_runs_on_a_repository(self, tmp_path):
        """pre-commit try-repo runs the hook once over every engagement file."""
        hooks_repo = tmp_path / "hooks"
        hooks_repo.mkdir()
        hook = {**shipped_hook(), "language": "system"}
        (hooks_repo / ".pre-commit-hooks.yaml").write_text(
            yaml.safe_dump([hook]), encoding="utf-8"
        )
        git(hooks_repo, "init", "-q")
        git(hooks_repo, "add", "-A")
        git(hooks_repo, "commit", "-q", "-m", "hook")
        work = tmp_path / "work"
        for folder, name in (
            ("support", CLEAN),
            ("sales", "kiln-street-wholesale-portal.toml"),
        ):
            (work / folder).mkdir(parents=True)
            shutil.copy(example(name), work / folder / name)
        (work / "package.json").write_text('{"name": "site"}\n', encoding="utf-8")
        git(work, "init", "-q")
        git(work, "add", "-A")
        env = {
            **os.environ,
            "PATH": os.pathsep.join(
                [str(Path(sys.executable).parent), os.environ["PATH"]]
            ),
            "PRE_COMMIT_HOME": str(tmp_path / "cache"),
            "PIP_NO_INDEX": "1",
        }

        done = subprocess.run(  # noqa: S603 - pre-commit on a test repository
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(hooks_repo),
                "outsourcekit",
                "--all-files",
                "--verbose",
            ],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

        assert 0 == done.returncode, done.stdout + done.stderr
        assert 1 == done.stdout.count("2 engagements, 0 findings, 0 waived")
        assert "1 path skipped while walking directories" in done.stdout

    @pytest.mark.parametrize(
        "deleted", ["engagements/b.yaml", "calendars/team.ical", "README.md"]
    )
    def test_runs_when_a_commit_only_deletes(self, tmp_path, deleted):
        """A commit that only deletes a file still runs the hook on what is left."""
        work = tmp_path / "work"
        (work / "engagements").mkdir(parents=True)
        (work / "calendars").mkdir()
        shutil.copy(example(CLEAN), work / "engagements" / CLEAN)
        (work / "engagements" / "b.yaml").write_text("id: b\n", encoding="utf-8")
        (work / "calendars" / "team.ical").write_text("", encoding="utf-8")
        (work / "README.md").write_text("# Engagements\n", encoding="utf-8")
        git(work, "init", "-q")
        git(work, "add", "-A")
        git(work, "commit", "-q", "-m", "engagements")
        git(work, "rm", "-q", deleted)

        done = try_repo(tmp_path, work)

        assert "Skipped" not in done.stdout, done.stdout + done.stderr
        assert "- hook id: outsourcekit" in done.stdout
        assert re.search(r"^[12] engagements?, ", done.stdout, re.MULTILINE)
