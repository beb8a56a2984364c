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
            ("portfolio.csv", True),
            ("README.md", False),
            ("script.py", False),
        ],
    )
    def test_files(self, name, runs):
        """The hook runs when an engagement, imported or configuration file changes."""
        import re

        assert runs == bool(re.search(str(shipped_hook()["files"]), name))


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
        assert "1 file skipped while walking directories" in done.stdout
