"""Fixtures for the command line's tests: the installed script, plugins, files."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

import pytest
from cli_support import BROKEN, GOOD, script
from click.testing import CliRunner

from outsourcekit import plugins
from outsourcekit.cli import cli


@pytest.fixture(autouse=True)
def hermetic(monkeypatch, tmp_path):
    """Run in an empty folder, with no installed plugin and no colour settings."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    monkeypatch.delenv("NO_COLOR", raising=False)
    plugins.reset()
    yield
    plugins.reset()


@pytest.fixture
def run(tmp_path):
    """Run the installed command in a subprocess; return the completed process."""

    def run(*args: object, env: dict[str, str] | None = None, cwd=None):
        environment = {**os.environ, plugins.ENV_LOAD_PLUGINS: "", **(env or {})}
        environment.pop("NO_COLOR", None)
        return subprocess.run(  # noqa: S603 - our own console script
            [*script(), *map(str, args)],
            capture_output=True,
            text=True,
            env=environment,
            cwd=cwd or tmp_path,
            timeout=300,
            check=False,
        )

    return run


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every click version."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


@pytest.fixture
def invoke():
    """Run the command line in this process with click's test runner."""

    def invoke(*args: object, **kwargs):
        return _runner().invoke(cli, [str(a) for a in args], **kwargs)

    return invoke


@pytest.fixture
def site(tmp_path, monkeypatch):
    """Install fake distributions declaring outsourcekit plugins; return env vars.

    ``site(name=source, ...)`` writes a module per plugin and a dist-info folder
    with the entry points; the returned environment puts them on PYTHONPATH and
    lets exactly those plugins load, in a subprocess as in this process.
    """
    folder = tmp_path / "site"
    folder.mkdir()
    modules: list[str] = []

    def install(**sources: str) -> dict[str, str]:
        for name, source in sources.items():
            info = folder / f"outsourcekit_{name}-1.0.dist-info"
            info.mkdir()
            (info / "METADATA").write_text(
                f"Metadata-Version: 2.1\nName: outsourcekit-{name}\nVersion: 1.0\n",
                encoding="utf-8",
            )
            (info / "entry_points.txt").write_text(
                f"[outsourcekit]\n{name} = {name}_plugin\n", encoding="utf-8"
            )
            (folder / f"{name}_plugin.py").write_text(source, encoding="utf-8")
            modules.append(f"{name}_plugin")
        env = {
            "PYTHONPATH": os.pathsep.join(
                [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            plugins.ENV_LOAD_PLUGINS: ",".join(sources),
        }
        monkeypatch.syspath_prepend(str(folder))
        monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, env[plugins.ENV_LOAD_PLUGINS])
        plugins.reset()
        return env

    yield install
    for name in modules:
        sys.modules.pop(name, None)


@pytest.fixture
def mixed_dir(tmp_path):
    """A folder with one engagement that loads and one that does not."""
    folder = tmp_path / "engagements"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return folder
