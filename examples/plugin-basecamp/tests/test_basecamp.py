"""Tests of the Basecamp importer: its data, and that the data loads."""

from __future__ import annotations

import json
from pathlib import Path

from outsourcekit_basecamp import BASECAMP_IMPORTER, is_todo_list

from outsourcekit.io import check_imported

SAMPLE = Path(__file__).parents[1] / "sample" / "todos.json"


def test_recognises_exports():
    """A JSON array of to-dos is a Basecamp export; an engagement is not."""
    assert is_todo_list(SAMPLE.read_text(encoding="utf-8"))
    assert not is_todo_list('{"id": "acme", "type": "Todo"}')


def test_tasks_and_milestones():
    """Open to-dos are tasks, completed ones milestones; trashed ones are left out."""
    imported = BASECAMP_IMPORTER.read(SAMPLE, {"timezone": "Europe/London"})

    assert ["Reconcile bank feeds", "Year-end pack"] == [
        t["name"] for t in imported.data["tasks"]
    ]
    (milestone,) = imported.data["milestones"]
    assert ("January books closed", "2026-02-05", "2026-02-04") == (
        milestone["name"],
        milestone["due"],
        milestone["done_on"],
    )
    assert "Follow the bookkeeping manual." == imported.data["tasks"][0]["instructions"]


def test_located_problems():
    """A to-do whose due date is not one is a load error at its line, by title."""
    imported = BASECAMP_IMPORTER.read(SAMPLE)

    (issue,) = check_imported(imported, SAMPLE, importer="basecamp")

    assert 30 == issue.line
    assert issue.message.startswith("to-do 'Year-end pack': tasks[Year-end pack].due:")


def test_not_an_export(tmp_path):
    """A file that is not a to-do array is one problem, and no data."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"id": "acme"}), encoding="utf-8")

    imported = BASECAMP_IMPORTER.read(path)

    assert ({}, ["not a Basecamp to-do export: expected a JSON array of to-dos"]) == (
        imported.data,
        [p.message for p in imported.problems],
    )
