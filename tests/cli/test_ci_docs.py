"""The CI examples of the documentation, run in the repository they describe."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from cli_support import AS_OF, CLEAN, example

from outsourcekit.examples import examples_path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def yaml_blocks(page: str) -> list[object]:
    """Return the YAML code blocks of a documentation page, parsed."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [
        yaml.safe_load(block)
        for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    ]


def commands(page: str) -> list[str]:
    """Return the `outsourcekit check` commands of the page's CI examples."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"^\s*-\s*(run:\s*)?", "", line).split("#")[0].strip()
            if command.startswith("outsourcekit check"):
                found.append(command)
    return found


@pytest.fixture
def ci_repo(tmp_path, monkeypatch):
    """A repository as the CI page describes it: engagements, and a checkout.

    The checkout of outsourcekit in ``outsourcekit/`` holds the example
    portfolio twice, as the project's own repository does.
    """
    shutil.copytree(examples_path(), tmp_path / "outsourcekit/examples/engagements")
    shutil.copytree(
        examples_path(), tmp_path / "outsourcekit/src/outsourcekit/data/examples"
    )
    (tmp_path / "engagements").mkdir()
    shutil.copy(example(CLEAN), tmp_path / "engagements" / CLEAN)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "command", [*commands("ci.md"), *commands("cli.md")], ids=lambda c: c[:60]
)
def test_ci_commands_check_the_engagements(invoke, ci_repo, command):
    """Each CI example checks the engagement files, not outsourcekit's own."""
    args = shlex.split(command)[2:]
    result = invoke("check", *args, "--as-of", AS_OF, "--output", "run.json")
    report = json.loads((ci_repo / "run.json").read_text(encoding="utf-8"))

    assert 0 == result.exit_code, result.stderr
    assert [f"engagements/{CLEAN}"] == [e["source"] for e in report["engagements"]]


def test_ci_commands_found():
    """The pages show the GitHub and the GitLab commands."""
    assert len(commands("ci.md")) == 2
    assert len(commands("cli.md")) == 1


def test_github_permissions_for_the_sarif_upload():
    """A workflow uploading SARIF grants what upload-sarif needs, private repos too."""
    workflows = [
        block
        for block in yaml_blocks("ci.md")
        if isinstance(block, dict) and "jobs" in block
    ]

    assert workflows
    for workflow in workflows:
        assert {
            "contents": "read",
            "security-events": "write",
            "actions": "read",
        } == workflow["permissions"]
