"""Tests of the Trello importer: board exports into tasks and milestones."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import outsourcekit as ok
from outsourcekit import plugins
from outsourcekit.builtin.importers.trello import (
    DONE_LIST_NAMES,
    OPTIONS,
    TRELLO_IMPORTER,
    is_board,
    read_board,
)
from outsourcekit.io import LoadError
from outsourcekit.plugins import ImporterOptionError, ImportProblem

DATA = Path(__file__).parents[1] / "data" / "trello"
BOARD = DATA / "board.json"
REST_BOARD = DATA / "rest-board.json"

BANK = "65a1f0c2e4b0a1b2c3d40400"
CHASE = "65a1f0c2e4b0a1b2c3d40401"
VAT = "65a1f0c2e4b0a1b2c3d40402"
JAN = "65a1f0c2e4b0a1b2c3d40405"
CALL = "65a1f0c2e4b0a1b2c3d40406"
OPENING = "65a1f0c2e4b0a1b2c3d40407"


def board() -> dict:
    """A fresh copy of the fixture board, to change for one test."""
    return json.loads(BOARD.read_text(encoding="utf-8"))


def card_of(data: dict, card_id: str) -> dict:
    return next(c for c in data["cards"] if c["id"] == card_id)


def write_board(tmp_path, data, name="board.json", *, compact=False) -> Path:
    """Write *data* as a board export: indented, or on one line as Trello does."""
    path = tmp_path / name
    text = (
        json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if compact
        else json.dumps(data, ensure_ascii=False, indent=2)
    )
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, *, after: str | None = None) -> int:
    """The 1-based line of the first *needle* in the file (after *after*, if given)."""
    text = path.read_text(encoding="utf-8")
    start = 0 if after is None else text.index(after)
    return text.count("\n", 0, text.index(needle, start)) + 1


def card_line(path: Path, card_id: str, needle: str | None = None) -> int:
    """The line of a card's ``id`` in the file's ``cards`` (or of *needle* after it)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f'"id": "{card_id}"', text.index('"cards": ['))
    at = start if needle is None else text.index(needle, start)
    return text.count("\n", 0, at) + 1


def names(imported, kind):
    return [item["name"] for item in imported.data.get(kind, [])]


class TestRecognising:
    """``is_board`` tells a board export from other JSON by its first characters."""

    def test_whole_export(self):
        """A whole board export is recognised."""
        assert is_board(BOARD.read_text(encoding="utf-8"))

    def test_start_of_a_large_export(self):
        """The start of an export, cut inside its actions, is recognised."""
        compact = json.dumps(board(), ensure_ascii=False, separators=(",", ":"))
        head = compact[:2000]
        assert '"cards"' not in head
        assert is_board(head)

    def test_start_that_is_no_json_yet(self):
        """A start cut mid-value still shows a board's keys and arrays."""
        head = '{"id": "x", "labelNames": {"green": ""}, "actions": [{"id": "a", "da'
        assert is_board(head)
        assert not is_board('{"id": "x", "actions": [{"id": "a", "da')

    def test_byte_order_mark(self):
        """A byte-order mark and white space before the object are allowed."""
        assert is_board("\ufeff \n" + REST_BOARD.read_text(encoding="utf-8"))

    @pytest.mark.parametrize(
        "text",
        [
            '{"id": "acme", "tasks": [{"name": "Reconcile"}]}',
            '{"uri": "x", "releases": [{"ocid": "ocds-1", "tag": ["contract"]}]}',
            '{"cards": [], "lists": []}',
            '[{"cards": [], "lists": [], "idOrganization": null}]',
            '{"name": "package", "version": "1.0.0", "prefs": {}}',
            "cards, lists, labelNames",
            "",
            "[" * 100_000,
            '{"labelNames": {}, "x": ' + "[" * 100_000,
        ],
        ids=[
            "engagement",
            "ocds",
            "no-board-keys",
            "array",
            "package",
            "not-json",
            "empty",
            "deep-array",
            "deep-object",
        ],
    )
    def test_other_json(self, text):
        """Engagements, OCDS packages, other JSON and non-JSON are not boards."""
        assert not is_board(text)


class TestTasks:
    """Open cards of lists that are not done lists become tasks."""

    def test_cards_become_tasks_in_board_order(self):
        """Tasks come by list position, then card position, as the board shows."""
        imported = read_board(BOARD, {})
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
            "Prepare VAT return",
        ]
        assert imported.problems == ()

    def test_task_with_everything(self):
        """Name, due date, description, checklists and Trello's extras are read."""
        task = read_board(BOARD, {}).data["tasks"][1]
        assert task == {
            "name": "Reconcile bank feeds",
            "due": "2026-01-31",
            "instructions": "Follow the bookkeeping manual: "
            "docs/bookkeeping-manual.md\n\nAsk Dana before writing anything off.",
            "checklist": [
                "Import feeds",
                "Match invoices",
                "Flag unknowns",
                "Lock the period",
            ],
            "x-trello-list": "In progress",
            "x-trello-labels": ["Finance", "red"],
            "x-trello-url": "https://trello.com/c/Bnk4Fd2x",
        }

    def test_task_with_little(self):
        """A card with no due date, description or checklist is a bare task."""
        task = read_board(BOARD, {}).data["tasks"][0]
        assert task == {
            "name": "Chase unpaid invoices",
            "x-trello-list": "Backlog",
            "x-trello-labels": ["red"],
            "x-trello-url": "https://trello.com/c/Chs5Inv3",
        }

    def test_due_marked_complete(self):
        """A due date marked complete is kept as ``x-trello-due-complete``."""
        task = read_board(BOARD, {}).data["tasks"][2]
        assert task["x-trello-due-complete"] is True
        assert "x-trello-due-complete" not in read_board(BOARD, {}).data["tasks"][1]

    def test_checklists_within_cards(self):
        """Checklists given inside each card, as the REST API can, are read too."""
        imported = read_board(REST_BOARD, {})
        assert imported.data["tasks"] == [
            {
                "name": "Write the About page",
                "due": "2026-03-02",
                "checklist": ["Draft", "Review with client"],
                "x-trello-list": "To Do",
            }
        ]

    def test_blank_checklist_items_are_left_out(self, tmp_path):
        """A checklist item without a name is no step of the task."""
        data = board()
        data["checklists"][1]["checkItems"][0]["name"] = "  "
        data["checklists"][1]["checkItems"].append({"id": "x", "pos": 1})
        task = read_board(write_board(tmp_path, data), {}).data["tasks"][1]
        assert task["checklist"] == ["Import feeds", "Flag unknowns", "Lock the period"]

    def test_comments_on_tasks_are_not_read(self):
        """A task has no log of updates: comments on its card are not imported."""
        task = read_board(BOARD, {}).data["tasks"][1]
        assert "updates" not in task
        assert "live now" not in json.dumps(read_board(BOARD, {}).data)


class TestLeftOut:
    """Archived cards and the cards of archived lists are not imported."""

    def test_archived_cards(self):
        """Archived cards, in a task list or a done list, are left out."""
        imported = read_board(BOARD, {})
        everything = names(imported, "tasks") + names(imported, "milestones")
        assert "Set up payroll export" not in everything
        assert "Draft engagement letter" not in everything

    def test_archived_list(self):
        """The open cards of an archived list are left out, without a problem."""
        imported = read_board(BOARD, {})
        assert "Migrate to new chart of accounts" not in names(imported, "tasks")
        assert imported.problems == ()

    def test_empty_board(self, tmp_path):
        """A board without cards gives an empty fragment and no problem."""
        data = board()
        data["cards"] = []
        imported = read_board(write_board(tmp_path, data), {})
        assert (imported.data, imported.problems) == ({}, ())


class TestMilestones:
    """Cards of done lists become milestones, done when they got there."""

    def test_done_cards(self):
        """The done list's open cards are milestones, in the list's order."""
        assert names(read_board(BOARD, {}), "milestones") == [
            "January books closed",
            "Onboarding call held",
            "Opening balances imported",
        ]

    def test_moved_card(self):
        """``done_on`` is the day of the latest move into the done list."""
        milestone = read_board(BOARD, {}).data["milestones"][0]
        assert milestone == {
            "name": "January books closed",
            "due": "2026-02-05",
            "done_on": "2026-02-04",
            "updates": [
                {
                    "at": "2026-01-28T07:05:00+00:00",
                    "note": "Two accounts left to reconcile.",
                    "x-trello-author": "Maria Santos",
                },
                {
                    "at": "2026-02-03T16:45:12+00:00",
                    "note": "Waiting on the Amex statement before we can close.",
                    "x-trello-author": "Dana Reyes",
                },
            ],
            "x-trello-list": "✅ Done",
            "x-trello-labels": ["Finance"],
            "x-trello-url": "https://trello.com/c/JnB0oks1",
        }

    def test_card_created_in_the_done_list(self):
        """A card created right in the done list is done on the day it was made."""
        milestone = read_board(BOARD, {}).data["milestones"][1]
        assert milestone["done_on"] == "2026-01-06"
        assert "x-trello-done-on-estimated" not in milestone

    def test_no_action_says_when(self):
        """Without an action, the last activity is ``done_on``, marked estimated."""
        milestone = read_board(BOARD, {}).data["milestones"][2]
        assert milestone["done_on"] == "2026-01-12"
        assert milestone["x-trello-done-on-estimated"] is True

    def test_nothing_says_when(self, tmp_path):
        """A done card with neither action nor last activity has no ``done_on``."""
        data = board()
        del card_of(data, OPENING)["dateLastActivity"]
        milestone = read_board(write_board(tmp_path, data), {}).data["milestones"][2]
        assert "done_on" not in milestone

    def test_moves_into_other_lists_do_not_count(self, tmp_path):
        """Only a move into the card's own done list says when it was done."""
        data = board()
        for action in data["actions"]:
            if action["type"] == "updateCard" and "listAfter" in action["data"]:
                action["data"]["listAfter"]["id"] = "65a1f0c2e4b0a1b2c3d40100"
        milestone = read_board(write_board(tmp_path, data), {}).data["milestones"][0]
        assert milestone["done_on"] == "2026-02-04"
        assert milestone["x-trello-done-on-estimated"] is True

    def test_author_from_members(self, tmp_path):
        """A comment without its writer's details is signed from the board's members."""
        data = board()
        for action in data["actions"]:
            action.pop("memberCreator")
        milestone = read_board(write_board(tmp_path, data), {}).data["milestones"][0]
        assert [u["x-trello-author"] for u in milestone["updates"]] == [
            "Maria Santos",
            "Dana Reyes",
        ]

    def test_comment_without_author(self, tmp_path):
        """A comment nobody can be named for is an update without an author."""
        data = board()
        for action in data["actions"]:
            action.pop("memberCreator")
        data["members"] = []
        milestone = read_board(write_board(tmp_path, data), {}).data["milestones"][0]
        assert [sorted(u) for u in milestone["updates"]] == [["at", "note"]] * 2

    def test_blank_comments(self, tmp_path):
        """A comment of white space is no update."""
        data = board()
        for action in data["actions"]:
            if action["type"] == "commentCard":
                action["data"]["text"] = " \n"
        milestone = read_board(write_board(tmp_path, data), {}).data["milestones"][0]
        assert "updates" not in milestone

    @pytest.mark.parametrize(
        "name",
        ["Done", "DONE!", "✅ Done", "Completed 🎉", "finished.", "Complete", "done "],
    )
    def test_default_done_lists(self, tmp_path, name):
        """Lists named Done, Complete, Completed or Finished are done lists."""
        data = board()
        data["lists"][1]["name"] = name
        imported = read_board(write_board(tmp_path, data), {})
        assert "Reconcile bank feeds" in names(imported, "milestones")

    @pytest.mark.parametrize(
        "name", ["Not done yet", "Done criteria", "Doing", "Ready for review"]
    )
    def test_other_lists(self, tmp_path, name):
        """Other names, even with one of those words in them, are not done lists."""
        data = board()
        data["lists"][1]["name"] = name
        imported = read_board(write_board(tmp_path, data), {})
        assert "Reconcile bank feeds" in names(imported, "tasks")

    def test_done_list_names(self):
        """The default done lists' names are the four documented words."""
        assert frozenset({"done", "complete", "completed", "finished"}) == (
            DONE_LIST_NAMES
        )


class TestOptions:
    """Options choose the lists, the labels and the time zone of dates."""

    def test_done_lists(self):
        """Named done lists replace the default ones; case and emoji aside."""
        imported = read_board(BOARD, {"done-lists": ("waiting on CLIENT",)})
        assert names(imported, "milestones") == ["Prepare VAT return"]
        assert "January books closed" in names(imported, "tasks")
        vat = imported.data["milestones"][0]
        assert vat["done_on"] == "2026-02-06"
        assert vat["x-trello-done-on-estimated"] is True
        assert "x-trello-due-complete" not in vat

    def test_unknown_done_list(self):
        """A done list the board lacks is a problem naming its lists; the rest reads."""
        imported = read_board(BOARD, {"done-lists": ("Donee", "✅ Done")})
        assert imported.problems == (
            ImportProblem(
                message="option 'done-lists' names the list 'Donee', which the "
                "board does not have (did you mean '✅ Done'?); its lists are "
                "'Backlog', 'In progress', 'Old sprint', 'Waiting on client', "
                "'✅ Done'"
            ),
        )
        assert len(imported.data["milestones"]) == 3

    def test_lists(self):
        """``lists`` restricts the tasks to the cards of those lists."""
        imported = read_board(BOARD, {"lists": ("Backlog",)})
        assert names(imported, "tasks") == ["Chase unpaid invoices"]
        assert len(imported.data["milestones"]) == 3

    def test_unknown_list(self):
        """A list the board lacks is a problem with a suggestion."""
        imported = read_board(BOARD, {"lists": ("backlg",)})
        assert imported.problems[0].message.startswith(
            "option 'lists' names the list 'backlg', which the board does not have "
            "(did you mean 'Backlog'?)"
        )
        assert "tasks" not in imported.data

    def test_labels(self):
        """``labels`` keeps the cards with one of them (a colour for unnamed ones)."""
        imported = read_board(BOARD, {"labels": ("finance",)})
        assert names(imported, "tasks") == ["Reconcile bank feeds"]
        assert names(imported, "milestones") == ["January books closed"]
        imported = read_board(BOARD, {"labels": ("Red",)})
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
        ]

    def test_unknown_label(self):
        """A label the board lacks is a problem listing its labels."""
        imported = read_board(BOARD, {"labels": ("Finanse",)})
        assert imported.problems == (
            ImportProblem(
                message="option 'labels' names the label 'Finanse', which the "
                "board does not have (did you mean 'Finance'?); its labels are "
                "'Finance', 'Payroll', 'red'"
            ),
        )

    @pytest.mark.parametrize(
        ("zone", "due", "comment"),
        [
            ("UTC", "2026-02-06", "2026-01-28T07:05:00+00:00"),
            ("Asia/Manila", "2026-02-07", "2026-01-28T15:05:00+08:00"),
            ("America/New_York", "2026-02-06", "2026-01-28T02:05:00-05:00"),
            ("+08:00", "2026-02-07", "2026-01-28T15:05:00+08:00"),
        ],
    )
    def test_timezone(self, zone, due, comment):
        """Trello's UTC date-times become dates and times in the option's zone."""
        imported = read_board(BOARD, {"timezone": zone})
        assert imported.data["tasks"][2]["due"] == due
        assert imported.data["milestones"][0]["updates"][0]["at"] == comment

    def test_unknown_timezone(self):
        """A zone that is none is one problem, and nothing is read with it."""
        imported = read_board(BOARD, {"timezone": "Europe/Londn"})
        assert imported.data == {}
        assert imported.problems == (
            ImportProblem(
                message="option 'timezone': expected an IANA time zone name such "
                'as "Asia/Manila" or a UTC offset such as "+08:00", got '
                "'Europe/Londn' (did you mean 'Europe/London'?)"
            ),
        )

    def test_unknown_timezone_is_the_option_check(self):
        """The importer's own option check refuses a zone that is none."""
        with pytest.raises(ImporterOptionError) as raised:
            TRELLO_IMPORTER.check_options(
                {"timezone": "Europe/Londn", "labels": 3, "timezon": "UTC"}
            )
        assert [name for name, _ in raised.value.problems] == [
            "timezone",
            "labels",
            "timezon",
        ]
        assert raised.value.problems[0][1].endswith(
            "got 'Europe/Londn' (did you mean 'Europe/London'?)"
        )

    def test_option_problems_together(self):
        """Called directly, every problem of the options is reported at once."""
        imported = read_board(BOARD, {"timezone": "Mars/Base", "lists": 3, "x": 1})
        assert imported.data == {}
        assert [p.message[:34] for p in imported.problems] == [
            "importer 'trello' has no option 'x",
            "option 'lists' must be a list of t",
            "option 'timezone': expected an IAN",
        ]

    def test_unknown_option(self):
        """Called directly, an option it does not take is one problem."""
        imported = read_board(BOARD, {"done_list": ("Done",)})
        assert imported.problems == (
            ImportProblem(
                message="importer 'trello' has no option 'done_list' "
                "(did you mean 'done-lists'?)"
            ),
        )

    def test_wrong_option_type(self):
        """Called directly, an option of the wrong type is one problem."""
        imported = read_board(BOARD, {"lists": 3})
        assert imported.problems == (
            ImportProblem(
                message="option 'lists' must be a list of texts "
                "(got 3 that is a whole number)"
            ),
        )

    def test_comma_separated_names(self):
        """One text of comma-separated names is several names, as on the CLI."""
        imported = TRELLO_IMPORTER.read(BOARD, {"lists": "Backlog, In progress"})
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
        ]

    def test_loader_check(self):
        """The importer's own check refuses an unknown option with a suggestion."""
        with pytest.raises(ImporterOptionError, match=r"did you mean 'labels'\?"):
            TRELLO_IMPORTER.check_options({"label": "Finance"})


class TestLocations:
    """Every task and milestone is located at its card in the export."""

    def test_cards(self):
        """A task or milestone is at its card's ``id``, named by name and id."""
        imported = read_board(BOARD, {})
        assert imported.lines["tasks", 1] == card_line(BOARD, BANK)
        assert imported.where["tasks", 1] == f'card "Reconcile bank feeds" ({BANK})'
        assert imported.lines["milestones", 0] == card_line(BOARD, JAN)
        assert imported.where["milestones", 0] == (
            f'card "January books closed" ({JAN})'
        )

    def test_values(self):
        """A value is at its own key of the card, or of the checklist item."""
        imported = read_board(BOARD, {})
        # The card's own key, not the one of its badges, which are indented more.
        assert imported.lines["tasks", 1, "due"] == (
            card_line(BOARD, BANK, '\n      "due": "2026-01-31') + 1
        )
        assert imported.lines["tasks", 1, "instructions"] == card_line(
            BOARD, BANK, '"desc": "Follow'
        )
        assert imported.lines["tasks", 1, "checklist", 0] == line_of(
            BOARD, '"name": "Import feeds"'
        )
        assert imported.lines["tasks", 1, "checklist", 3] == line_of(
            BOARD, '"name": "Lock the period"'
        )

    def test_actions(self):
        """``done_on`` and each update are at the action they come from."""
        imported = read_board(BOARD, {})
        move = '"id": "65a1f0c2e4b0a1b2c3d40702"'
        assert imported.lines["milestones", 0, "done_on"] == line_of(
            BOARD, '"date"', after=move
        )
        assert imported.where["milestones", 0, "done_on"] == (
            'action 65a1f0c2e4b0a1b2c3d40702 (updateCard): card moved to list "✅ Done"'
        )
        assert imported.lines["milestones", 0, "updates", 0] == line_of(
            BOARD, '"id": "65a1f0c2e4b0a1b2c3d40707"'
        )
        assert imported.where["milestones", 0, "updates", 0] == (
            f'comment 65a1f0c2e4b0a1b2c3d40707 on card "January books closed" ({JAN})'
        )

    def test_estimated_done_on(self):
        """An estimated ``done_on`` is at the card's last activity."""
        imported = read_board(BOARD, {})
        assert imported.lines["milestones", 2, "done_on"] == card_line(
            BOARD, OPENING, '"dateLastActivity"'
        )

    def test_one_line_export(self, tmp_path):
        """In an export on one line, as Trello writes it, problems give a column."""
        data = board()
        card_of(data, VAT)["due"] = "next Friday"
        path = write_board(tmp_path, data, compact=True)
        imported = read_board(path, {})
        assert set(imported.lines.values()) == {1}
        (problem,) = imported.problems
        text = path.read_text(encoding="utf-8")
        due = text.index('"due":"next Friday"')
        assert (problem.line, problem.column) == (1, due + 1)

    @pytest.mark.parametrize("compact", [False, True], ids=["indented", "one-line"])
    def test_key_among_look_alikes(self, tmp_path, compact):
        """A card's key is found past text, numbers and keys that look like it.

        Before the card's ``due``: its badges' ``due``, a description quoting
        ``"due":``, a position that is not a number JSON has (``NaN``); the key
        itself written with an escape.
        """
        data = board()
        card = card_of(data, VAT)
        card["desc"] = 'Written "due": soon, in the notes'
        card["pos"] = float("nan")
        card["due"] = "next Friday"
        path = write_board(tmp_path, data, compact=compact)
        written = '"due":"next Friday"' if compact else '"due": "next Friday"'
        text = path.read_text(encoding="utf-8").replace(
            written, written.replace('"due"', '"d\\u0075e"')
        )
        path.write_text(text, encoding="utf-8")
        at = text.index('"d\\u0075e"')
        (problem,) = read_board(path, {}).problems
        assert (problem.line, problem.column) == (
            text.count("\n", 0, at) + 1,
            at - text.rfind("\n", 0, at),
        )

    def test_checklist_items_of_a_one_line_checklist(self, tmp_path):
        """In an export whose checklists are each on one line, steps are there."""
        data = board()
        path = tmp_path / "board.json"
        # Each checklist on a line of its own, the rest indented.
        text = json.dumps(
            {k: v for k, v in data.items() if k != "checklists"},
            ensure_ascii=False,
            indent=2,
        )
        items = ",\n".join(
            json.dumps(c, ensure_ascii=False) for c in data["checklists"]
        )
        text = text[: text.rindex("}")] + f',\n"checklists": [\n{items}\n]\n}}'
        path.write_text(text, encoding="utf-8")
        imported = read_board(path, {})
        assert imported.lines["tasks", 1, "checklist", 0] == line_of(
            path, "Import feeds"
        )
        assert imported.lines["tasks", 1, "checklist", 3] == line_of(
            path, "Lock the period"
        )


class TestProblems:
    """What cannot be read is a problem located in the file; the rest is read."""

    def test_malformed_due(self, tmp_path):
        """A card with a malformed due date is a problem; the other cards read."""
        data = board()
        card_of(data, BANK)["due"] = "31/01/2026"
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        assert imported.problems == (
            ImportProblem(
                message="due: expected a date-time like 2026-01-31T17:00:00.000Z, "
                "got '31/01/2026'",
                line=line_of(path, '"due": "31/01/2026"'),
                column=7,
                where=f'card "Reconcile bank feeds" ({BANK})',
            ),
        )
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Prepare VAT return",
        ]
        assert len(imported.data["milestones"]) == 3

    @pytest.mark.parametrize(
        ("change", "message", "needle"),
        [
            (
                lambda d: card_of(d, BANK).update(closed="true"),
                "closed: expected true or false, got 'true'",
                '"closed": "true"',
            ),
            (
                lambda d: card_of(d, BANK).update(desc=5),
                "desc: expected the card's description as text, got a number (5)",
                '"desc": 5',
            ),
            (
                lambda d: card_of(d, BANK).update(labels="x"),
                "labels: expected an array of labels, got 'x'",
                '"labels": "x"',
            ),
            (
                lambda d: card_of(d, BANK).update(labels=[5]),
                "labels[0]: expected a label (an object), got a number (5)",
                '"labels": [',
            ),
            (
                lambda d: d["checklists"][1].update(checkItems="x"),
                "checkItems: expected an array of checklist items, got 'x'",
                '"checkItems": "x"',
            ),
            (
                lambda d: d["checklists"][1].update(checkItems=[{"name": "A"}, 1]),
                (
                    "checkItems[1]: expected a checklist item (an object), "
                    "got a number (1)"
                ),
                "      1\n",
            ),
            (
                lambda d: d["checklists"][1].update(checkItems=[{"name": 5}]),
                "checkItems[0].name: expected text, got a number (5)",
                '"name": 5',
            ),
        ],
    )
    def test_values_of_another_kind(self, tmp_path, change, message, needle):
        """A card's value of the wrong kind is a problem at it; the rest is read."""
        data = board()
        change(data)
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        (problem,) = imported.problems
        assert (problem.message, problem.line, problem.where) == (
            message,
            card_line(path, BANK, needle)
            if "labels" in needle
            else line_of(path, needle),
            f'card "Reconcile bank feeds" ({BANK})',
        )
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Prepare VAT return",
        ]
        assert len(imported.data["milestones"]) == 3

    def test_values_of_another_kind_with_labels_chosen(self, tmp_path):
        """Labels of another kind are a problem when cards are chosen by label too."""
        data = board()
        card_of(data, BANK)["labels"] = {"name": "Finance"}
        imported = read_board(write_board(tmp_path, data), {"labels": ("Finance",)})
        assert [p.message for p in imported.problems] == [
            "labels: expected an array of labels, got an object"
        ]
        assert names(imported, "milestones") == ["January books closed"]

    def test_list_closed_of_another_kind(self, tmp_path):
        """A list whose ``closed`` is no true or false is a problem; its cards too."""
        data = board()
        data["lists"][1]["closed"] = "false"
        path = write_board(tmp_path, data)
        problem, card = sorted(
            read_board(path, {}).problems, key=lambda p: p.message.startswith("card")
        )
        assert (problem.message, problem.line) == (
            "list: expected true or false in `closed`, got 'false'",
            line_of(path, '"closed": "false"'),
        )
        assert "which the export does not hold" in card.message

    def test_checklist_of_another_kind(self, tmp_path):
        """A checklist that is no object is a problem at it."""
        data = board()
        data["checklists"].append("x")
        imported = read_board(write_board(tmp_path, data), {})
        assert [p.message for p in imported.problems] == [
            "checklist: expected an object, got text ('x')"
        ]

    @pytest.mark.parametrize(
        ("due", "expected"),
        [
            ("2026-01-31", "2026-01-31"),
            ("2026-01-31T17:00:00", "2026-01-31"),
            ("2026-01-31T23:30:00.000+00:00", "2026-01-31"),
            ("2026-01-31T23:30:00-05:00", "2026-02-01"),
        ],
    )
    def test_other_due_forms(self, tmp_path, due, expected):
        """A date, and date-times with or without an offset, are read."""
        data = board()
        card_of(data, BANK)["due"] = due
        imported = read_board(write_board(tmp_path, data), {})
        assert imported.data["tasks"][1]["due"] == expected

    @pytest.mark.parametrize(
        ("due", "zone"),
        [
            ("9999-12-31T23:59:59.999Z", "Asia/Tokyo"),
            ("0001-01-01T00:00:00.000Z", "Europe/London"),
            ("1899-12-31", "UTC"),
            ("3000-01-01T00:00:00.000Z", "UTC"),
        ],
    )
    def test_due_outside_the_range_of_dates(self, tmp_path, due, zone):
        """A due date outside the file format's range is a problem, in every zone."""
        data = board()
        card_of(data, BANK)["due"] = due
        imported = read_board(write_board(tmp_path, data), {"timezone": zone})
        (problem,) = imported.problems
        assert problem.message == (
            f"due: expected a date from 1900-01-01 to 2999-12-31, got {due!r}"
        )
        assert len(imported.data["tasks"]) == 2

    @pytest.mark.parametrize(
        "due",
        [
            20260131,
            True,
            {"date": "2026-01-31"},
            "",
            "20260131",
            "2026-02-30T10:00:00.000Z",
            "2026-01-31T17:00:00.1Z",
            "31/01/2026",
        ],
    )
    def test_due_of_another_kind(self, tmp_path, due):
        """A due date that is no ISO date-time is a problem, on every Python."""
        data = board()
        card_of(data, BANK)["due"] = due
        imported = read_board(write_board(tmp_path, data), {})
        (problem,) = imported.problems
        assert problem.message.startswith("due: expected a date-time like ")

    def test_malformed_comment_date(self, tmp_path):
        """A comment with a malformed date is a problem; its milestone still reads."""
        data = board()
        comment = next(a for a in data["actions"] if a["id"].endswith("0707"))
        comment["date"] = "yesterday"
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        (problem,) = imported.problems
        assert problem.message == (
            "date: expected a date-time like 2026-01-31T17:00:00.000Z, got 'yesterday'"
        )
        assert problem.line == line_of(path, '"date": "yesterday"')
        assert problem.where == "action 65a1f0c2e4b0a1b2c3d40707 (commentCard)"
        assert len(imported.data["milestones"][0]["updates"]) == 1

    def test_malformed_move_date(self, tmp_path):
        """A move with a malformed date is a problem; an earlier move counts."""
        data = board()
        move = next(a for a in data["actions"] if a["id"].endswith("0702"))
        move["date"] = None
        imported = read_board(write_board(tmp_path, data), {})
        assert [p.where for p in imported.problems] == [
            "action 65a1f0c2e4b0a1b2c3d40702 (updateCard)"
        ]
        assert imported.data["milestones"][0]["done_on"] == "2026-02-01"

    def test_malformed_last_activity(self, tmp_path):
        """A done card whose only date is malformed is a problem and left out."""
        data = board()
        card_of(data, OPENING)["dateLastActivity"] = "soon"
        imported = read_board(write_board(tmp_path, data), {})
        (problem,) = imported.problems
        assert problem.message.startswith("dateLastActivity: expected a date-time")
        assert "Opening balances imported" not in names(imported, "milestones")

    @pytest.mark.parametrize("name", [None, "", "   ", 7])
    def test_card_without_name(self, tmp_path, name):
        """A card without a name is a problem at the card, named by its id."""
        data = board()
        card_of(data, CHASE)["name"] = name
        path = write_board(tmp_path, data)
        (problem,) = read_board(path, {}).problems
        assert problem.message.startswith("name: expected the card's name, got ")
        assert problem.where.endswith(f"({CHASE})")

    def test_card_in_unknown_list(self, tmp_path):
        """A card of a list the export does not hold is a problem."""
        data = board()
        card_of(data, CHASE)["idList"] = "ffffffffffffffffffffffff"
        path = write_board(tmp_path, data)
        (problem,) = read_board(path, {}).problems
        assert problem.message == (
            "card is in the list 'ffffffffffffffffffffffff', which the export "
            "does not hold"
        )
        assert problem.line == line_of(path, '"idList": "ffff')

    def test_card_without_list(self, tmp_path):
        """A card without ``idList`` is a problem."""
        data = board()
        del card_of(data, CHASE)["idList"]
        (problem,) = read_board(write_board(tmp_path, data), {}).problems
        assert (
            problem.message == "card has no list: expected text in `idList`, got null"
        )

    def test_card_id_repeated(self, tmp_path):
        """A card repeating an earlier card's id is a problem at its id; it is left out.

        The first card of the id in the file is read, even when the board
        shows the repeat first (it is in an earlier list).
        """
        data = board()
        repeat = {**card_of(data, BANK), "name": "Bank feeds again"}
        repeat["idList"] = data["lists"][0]["id"]  # Backlog, shown first
        data["cards"].append(repeat)
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        first = card_line(path, BANK)
        text = path.read_text(encoding="utf-8")
        second = text.count("\n", 0, text.rindex(f'"id": "{BANK}"')) + 1
        assert imported.problems == (
            ImportProblem(
                message=f"duplicate card id {BANK!r}: a card's id may appear once "
                f"in `cards`, it is first at line {first}, column 7 "
                f'(card "Reconcile bank feeds"); this card is left out',
                line=second,
                column=7,
                where=f'card "Bank feeds again" ({BANK})',
            ),
        )
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
            "Prepare VAT return",
        ]

    def test_card_id_repeated_by_an_archived_card(self, tmp_path):
        """An archived card repeating an id is a problem too, on a one-line export."""
        data = board()
        data["cards"].append({**card_of(data, CHASE), "closed": True})
        path = write_board(tmp_path, data, compact=True)
        text = path.read_text(encoding="utf-8")
        first = text.index(f'"id":"{CHASE}"', text.index('"cards":[')) + 1
        imported = read_board(path, {})
        assert [(p.line, p.column, p.message) for p in imported.problems] == [
            (
                1,
                text.rindex(f'"id":"{CHASE}"') + 1,
                (
                    f"duplicate card id {CHASE!r}: a card's id may appear once in "
                    f"`cards`, it is first at line 1, column {first} "
                    '(card "Chase unpaid invoices"); this card is left out'
                ),
            )
        ]
        assert names(imported, "tasks") == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
            "Prepare VAT return",
        ]

    def test_card_that_is_no_object(self, tmp_path):
        """An item of ``cards`` that is no object is a problem at its place."""
        data = board()
        data["cards"].insert(1, "Reconcile")
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        (problem,) = imported.problems
        assert problem.message == "card: expected an object, got text ('Reconcile')"
        assert problem.line == line_of(path, '"Reconcile",')
        assert len(imported.data["tasks"]) == 3

    def test_malformed_list(self, tmp_path):
        """A list without a name is a problem; its cards are then unknown."""
        data = board()
        del data["lists"][0]["name"]
        problems = read_board(write_board(tmp_path, data), {}).problems
        assert [p.message for p in problems] == [  # the cards come first in the file
            (
                "card is in the list '65a1f0c2e4b0a1b2c3d40100', which the export "
                "does not hold"
            ),
            "list: expected text in `name`, got null",
        ]

    def test_arrays_of_another_kind(self, tmp_path):
        """A top-level part that is no array is a problem at its key; the rest reads."""
        data = board()
        data["checklists"] = {"daily": []}
        path = write_board(tmp_path, data)
        imported = read_board(path, {})
        assert imported.problems == (
            ImportProblem(
                message="`checklists`: expected an array, got an object",
                line=line_of(path, '"checklists": {'),
                column=3,
            ),
        )
        assert "checklist" not in imported.data["tasks"][1]

    def test_cards_of_another_kind(self, tmp_path):
        """``cards`` that are no array are one problem, however often looked at."""
        data = board()
        data["cards"] = None
        imported = read_board(write_board(tmp_path, data), {"labels": ("Finance",)})
        assert [p.message for p in imported.problems] == [
            "`cards`: expected an array, got null"
        ]
        assert imported.data == {}

    def test_lone_surrogate(self, tmp_path):
        """Text with half a surrogate pair is a problem of that card alone."""
        text = BOARD.read_text(encoding="utf-8").replace(
            '"name": "Chase unpaid invoices"', '"name": "Chase \\ud800 invoices"'
        )
        path = tmp_path / "board.json"
        path.write_text(text, encoding="utf-8")
        imported = read_board(path, {})
        (problem,) = imported.problems
        assert problem.message.startswith("name: holds half of a surrogate pair")
        assert problem.line == line_of(path, "Chase \\ud800")
        assert len(imported.data["tasks"]) == 2

    @pytest.mark.parametrize("where", ["lists", "cards", "checklists"])
    @pytest.mark.parametrize("sign", [1, -1])
    def test_position_too_large_for_a_float(self, tmp_path, where, sign):
        """A ``pos`` too large for a float puts its item last or first; no error."""
        data = board()
        data[where][0]["pos"] = sign * 10**400
        imported = read_board(write_board(tmp_path, data), {})
        assert imported.problems == ()
        assert sorted(names(imported, "tasks")) == sorted(
            names(read_board(BOARD, {}), "tasks")
        )

    def test_card_position_too_large_goes_last(self, tmp_path):
        """Of cards of one list, one whose ``pos`` is huge comes after the others."""
        data = board()
        for card in data["cards"]:
            card["idList"] = data["lists"][0]["id"]
        card_of(data, CHASE)["pos"] = 10**400
        card_of(data, BANK)["pos"] = -(10**400)
        tasks = names(read_board(write_board(tmp_path, data), {}), "tasks")
        assert (tasks[0], tasks[-1]) == (
            "Reconcile bank feeds",
            "Chase unpaid invoices",
        )

    def test_byte_order_mark(self, tmp_path):
        """A byte-order mark before the export is ignored."""
        path = tmp_path / "board.json"
        path.write_bytes(b"\xef\xbb\xbf" + BOARD.read_bytes())
        imported = read_board(path, {})
        assert imported.problems == ()
        assert imported.lines["tasks", 1] == card_line(BOARD, BANK)


EXPECTED = (
    "expected a Trello board export: a JSON object with `cards` and `lists` "
    "(the board's menu: Print, export and share, then Export as JSON)"
)


class TestProblemOrder:
    """Problems come in the order of the file, not of the board's display."""

    def test_in_the_order_of_the_file(self, tmp_path):
        """Cards the board shows first but the file writes later come later."""
        data = board()
        vat, bank, chase = card_of(data, VAT), card_of(data, BANK), card_of(data, CHASE)
        vat["due"], chase["due"] = "soon", "later"
        data["cards"] = [vat, bank, chase] + [
            c for c in data["cards"] if c not in (vat, bank, chase)
        ]
        data["checklists"][0]["checkItems"] = "x"
        path = write_board(tmp_path, data, compact=True)
        problems = read_board(path, {"done-lists": ("Dne",)}).problems
        text = path.read_text(encoding="utf-8")
        places = sorted(
            (1, text.index(needle) + 1)
            for needle in ('"due":"soon"', '"due":"later"', '"checkItems":"x"')
        )
        assert [(p.line, p.column) for p in problems] == [(None, None), *places]
        assert problems[0].message.startswith("option 'done-lists' names the list")


class TestNotABoard:
    """A file that is not a board export is one problem, and no data."""

    @pytest.mark.parametrize(
        ("text", "message", "line", "column"),
        [
            (
                '{"cards": [}',
                f"invalid JSON: Expecting value; {EXPECTED}",
                1,
                12,
            ),
            (
                "",
                f"invalid JSON: Expecting value; {EXPECTED}",
                1,
                1,
            ),
            (
                "[1, 2]",
                f"{EXPECTED}, got an array",
                1,
                None,
            ),
            (
                '{"id": "acme", "cards": []}',
                f"{EXPECTED}; this object has no `lists`",
                1,
                None,
            ),
            (
                "[" * 100_000 + "]" * 100_000,
                "invalid JSON: nested too deeply to be read",
                None,
                None,
            ),
            (
                '{"cards": [], "lists": [], "n": ' + "9" * 5000 + "}",
                "invalid JSON: a number has more than 4,300 digits",
                1,
                33,
            ),
            (
                '{"cards": [{"name": "a\x00b"}], "lists": []}',
                (
                    "invalid JSON: control character U+0000 in a string: JSON "
                    f"writes it escaped, as \\u0000; {EXPECTED}"
                ),
                1,
                23,
            ),
            (
                '{"cards": [{"name": "abc',
                f"invalid JSON: Unterminated string; {EXPECTED}",
                1,
                21,
            ),
        ],
        ids=[
            "broken",
            "empty",
            "array",
            "no-lists",
            "deep",
            "long-number",
            "control-character",
            "unterminated-string",
        ],
    )
    def test_content(self, tmp_path, text, message, line, column):
        """Broken JSON, JSON of another shape, and JSON too deep to read."""
        path = tmp_path / "board.json"
        path.write_text(text, encoding="utf-8")
        imported = read_board(path, {})
        assert imported.data == {}
        assert imported.problems == (
            ImportProblem(message=message, line=line, column=column),
        )

    def test_long_number_names_the_limit_in_force(self, tmp_path):
        """A number too long is told against the limit Python holds to now."""
        path = tmp_path / "board.json"
        path.write_text(
            '{"cards": [], "lists": [], "n": ' + "9" * 2000 + "}", encoding="utf-8"
        )
        before = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(1000)
        try:
            imported = read_board(path, {})
        finally:
            sys.set_int_max_str_digits(before)
        assert imported.problems == (
            ImportProblem(
                message="invalid JSON: a number has more than 1,000 digits",
                line=1,
                column=33,
            ),
        )

    def test_key_written_twice(self, tmp_path):
        """A key written twice is a problem at the second, naming the first.

        A board whose second `cards` is empty does not silently import nothing.
        """
        path = tmp_path / "board.json"
        text = BOARD.read_text(encoding="utf-8").rstrip()
        path.write_text(text[:-1].rstrip() + ',\n  "cards": []\n}\n', "utf-8")
        first = line_of(path, '"cards"')
        last = len(path.read_text(encoding="utf-8").splitlines()) - 1
        imported = read_board(path, {})
        assert imported.data == {}
        assert imported.problems == (
            ImportProblem(
                message="duplicate key `cards`: a key may appear once in an object, "
                f"it is first at line {first}, column 3",
                line=last,
                column=3,
                where="cards",
            ),
        )

    def test_key_written_twice_in_a_card(self, tmp_path):
        """A card's key written twice is a problem too, with the card's path."""
        path = write_board(tmp_path, board(), compact=True)
        text = path.read_text(encoding="utf-8")
        at = text.index('"desc":', text.index(f'"id":"{CHASE}"'))
        path.write_text(text[:at] + '"desc":"Other",' + text[at:], "utf-8")
        (problem,) = read_board(path, {}).problems
        assert problem == ImportProblem(
            message="duplicate key `desc`: a key may appear once in an object, "
            f"it is first at line 1, column {at + 1}",
            line=1,
            column=at + len('"desc":"Other",') + 1,
            where="cards[Chase unpaid invoices].desc",
        )

    def test_key_written_twice_in_broken_json(self, tmp_path):
        """JSON broken after a key written twice is told as broken JSON."""
        path = tmp_path / "board.json"
        path.write_text('{"cards": [], "cards": [}', encoding="utf-8")
        assert read_board(path, {}).problems == (
            ImportProblem(
                message=f"invalid JSON: Expecting value; {EXPECTED}",
                line=1,
                column=25,
            ),
        )

    def test_not_utf8(self, tmp_path):
        """Bytes that are not UTF-8 are a problem at their line and column."""
        path = tmp_path / "board.json"
        path.write_bytes(b'{\n  "name": "Caf\xe9"\n}')
        assert read_board(path, {}).problems == (
            ImportProblem(
                message="expected UTF-8 text, got byte 0xe9", line=2, column=15
            ),
        )

    @pytest.mark.parametrize(
        ("encoding", "name"),
        [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")],
    )
    def test_wide_encoding(self, tmp_path, encoding, name):
        """An export saved as UTF-16 or UTF-32, with its byte-order mark, is named."""
        path = tmp_path / "board.json"
        text = BOARD.read_text(encoding="utf-8")
        path.write_bytes(("\ufeff" + text).encode(encoding))
        assert read_board(path, {}).problems == (
            ImportProblem(
                message=f"expected UTF-8 text, got {name} (the file starts with "
                f"the byte-order mark of {name}): save the export as UTF-8, in "
                "which JSON files are exchanged",
                line=1,
                column=1,
            ),
        )

    def test_unreadable(self, tmp_path):
        """A file that cannot be read is a problem saying why."""
        (problem,) = read_board(tmp_path / "missing.json", {}).problems
        assert problem.message == "cannot read the file: No such file or directory"
        (problem,) = read_board(tmp_path, {}).problems
        assert problem.message.startswith("cannot read the file: ")


class TestImporter:
    """The importer is registered like every other and loads as the format says."""

    def test_registered(self):
        """``trello`` is a built-in importer of ``.json`` files that sniffs them."""
        plugins.reset()
        found = {i.name: i for i in plugins.get_importers()}
        importer = found["trello"]
        assert importer == TRELLO_IMPORTER
        assert importer.plugin == "outsourcekit.builtin.importers"
        assert importer.suffixes == (".json",)
        assert importer.version == 2
        assert importer.extra is None
        assert importer.sniff is is_board
        assert set(importer.options) == {"done-lists", "lists", "labels", "timezone"}
        assert dict(importer.options) == dict(OPTIONS)

    def test_recognises_its_files(self):
        """Its sniff claims board exports and leaves engagements alone."""
        assert TRELLO_IMPORTER.recognises(BOARD.read_text(encoding="utf-8")[:65536])
        assert not TRELLO_IMPORTER.recognises('{"id": "acme"}')

    def test_options_are_documented(self):
        """Every option has help text for ``outsourcekit plugins`` and the docs."""
        assert all(option.help for option in OPTIONS.values())

    def test_fragment_loads(self):
        """What it reads loads as part of an engagement, facts intact."""
        data = read_board(BOARD, {"timezone": "Europe/London"}).data
        engagement = ok.from_dict({"id": "acme", **data})
        task = engagement.tasks[1]
        assert task.name == "Reconcile bank feeds"
        assert task.due == dt.date(2026, 1, 31)
        assert task.checklist[0] == "Import feeds"
        assert task.extensions["x-trello-list"] == "In progress"
        milestone = engagement.milestones[0]
        assert milestone.done_on == dt.date(2026, 2, 4)
        assert milestone.updates[1].at == dt.datetime(
            2026, 2, 3, 16, 45, 12, tzinfo=dt.timezone.utc
        )

    def test_signature(self):
        """The function takes the path and the options, as version 2 importers do."""
        assert list(inspect.signature(read_board).parameters) == ["path", "options"]


ENGAGEMENT = textwrap.dedent(
    """\
    id: acme-bookkeeping
    status: active
    start: 2026-01-05
    client: {name: Acme Ltd, timezone: Europe/London}
    vendor: {name: LedgerPros, timezone: Asia/Manila}
    milestones:
      - name: January books closed
        updates:
          - {at: 2026-01-20, note: Agreed the close checklist}
    imports:
      - path: board.json
        importer: trello
        options: {timezone: Europe/London, done-lists: "✅ Done"}
    """
)


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout, on every click version."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # pragma: no cover - click 8.1
    return CliRunner()


def _has_import_command() -> bool:
    from outsourcekit.cli import cli

    return "import" in getattr(cli, "commands", {})


#: ``outsourcekit import`` comes with the loader's support of importers.
needs_import_command = pytest.mark.skipif(
    not _has_import_command(), reason="the `outsourcekit import` command is missing"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with an engagement importing the fixture board; no plugins."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(plugins.ENV_LOAD_PLUGINS, "")
    plugins.reset()
    (tmp_path / "board.json").write_bytes(BOARD.read_bytes())
    (tmp_path / "acme.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    yield tmp_path
    plugins.reset()


class TestEndToEnd:
    """Through ``imports:``, ``outsourcekit check`` and ``outsourcekit import``."""

    @pytest.mark.usefixtures("project")
    def test_load(self):
        """An engagement importing a board has its tasks and milestones."""
        engagement = ok.load("acme.yaml")
        assert [t.name for t in engagement.tasks] == [
            "Chase unpaid invoices",
            "Reconcile bank feeds",
            "Prepare VAT return",
        ]
        milestone = engagement.milestones[0]
        assert milestone.name == "January books closed"
        assert milestone.done_on == dt.date(2026, 2, 4)
        assert [u.note for u in milestone.updates] == [
            "Agreed the close checklist",
            "Two accounts left to reconcile.",
            "Waiting on the Amex statement before we can close.",
        ]

    @pytest.mark.usefixtures("project")
    def test_check(self):
        """A check of it runs the rules on the imported facts."""
        report = ok.check(ok.load("acme.yaml"), as_of=dt.date(2026, 2, 10))
        paths = {f.path for f in report.findings}
        assert "tasks[Chase unpaid invoices].due" in paths

    def test_problem_is_a_load_error(self, project):
        """A malformed card is a load error naming the board, its line and the card."""
        data = board()
        card_of(data, BANK)["due"] = "31/01/2026"
        path = write_board(project, data)
        with pytest.raises(LoadError) as raised:
            ok.load("acme.yaml")
        message = str(raised.value)
        assert f"board.json:{line_of(path, '31/01/2026')}" in message
        assert f'card "Reconcile bank feeds" ({BANK}): due: expected a date-time' in (
            message
        )

    @pytest.mark.usefixtures("project")
    def test_cli_check(self):
        """``outsourcekit check`` reads the import and exits by its findings."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli, ["check", "acme.yaml", "--as-of", "2026-02-10", "--format", "json"]
        )
        report = json.loads(result.stdout)
        assert report["errors"] == []
        assert result.exit_code == 1

    @needs_import_command
    @pytest.mark.usefixtures("project")
    def test_cli_import(self):
        """``outsourcekit import`` shows what the importer reads, in the format."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli,
            [
                "import",
                "board.json",
                "--importer",
                "trello",
                "--option",
                "timezone=Asia/Manila",
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["tasks"][2]["due"] == "2026-02-07"
        assert data["milestones"][0]["done_on"] == "2026-02-04"

    def test_bad_timezone_is_located_at_the_option(self, project):
        """A zone that is none is a load error at the option, with the others."""
        (project / "tz.yaml").write_text(
            "id: tz\n"
            "imports:\n"
            "  - path: board.json\n"
            "    options:\n"
            "      timezone: Europe/Londn\n"
            "      labels: 3\n",
            encoding="utf-8",
        )
        with pytest.raises(LoadError) as raised:
            ok.load("tz.yaml")
        assert [(i.source, i.line, i.path) for i in raised.value.issues] == [
            ("tz.yaml", 5, "imports[0].options.timezone"),
            ("tz.yaml", 6, "imports[0].options.labels"),
        ]
        assert "(did you mean 'Europe/London'?)" in raised.value.issues[0].message

    @needs_import_command
    @pytest.mark.usefixtures("project")
    def test_cli_import_bad_timezone(self):
        """A zone that is none is a usage error of ``--option``."""
        from outsourcekit.cli import cli

        result = _runner().invoke(
            cli, ["import", "board.json", "--option", "timezone=Mars/Base"]
        )
        assert result.exit_code == 2
        assert result.stderr.startswith(
            "Error: --option timezone: option 'timezone': expected an IANA time zone"
        )
        assert "board.json" not in result.stderr

    @needs_import_command
    def test_cli_import_problem(self, project):
        """A problem of the board is a load error of ``outsourcekit import``."""
        from outsourcekit.cli import cli

        data = board()
        card_of(data, BANK)["due"] = "31/01/2026"
        write_board(project, data)
        result = _runner().invoke(cli, ["import", "board.json", "--importer", "trello"])
        assert result.exit_code == 2
        assert "board.json:" in result.stderr
        assert "due: expected a date-time like 2026-01-31T17:00:00.000Z" in (
            result.stderr
        )

    def test_utf16_board_is_recognised(self, project):
        """An export saved as UTF-16 is recognised, and its problem says so.

        Both under ``imports:`` and for ``outsourcekit import`` without
        ``--importer``: the board is not taken for a file no importer reads.
        """
        from outsourcekit.cli import cli

        text = BOARD.read_text(encoding="utf-8")
        (project / "board.json").write_bytes(("\ufeff" + text).encode("utf-16-le"))
        expected = (
            "board.json:1:1: imports[0]: engagement acme-bookkeeping (acme.yaml): "
            "expected UTF-8 text, got UTF-16 (the file starts with the byte-order "
            "mark of UTF-16): save the export as UTF-8, in which JSON files are "
            "exchanged"
        )
        with pytest.raises(LoadError) as raised:
            ok.load("acme.yaml")
        assert [expected] == [str(issue) for issue in raised.value.issues]
        (project / "plain.yaml").write_text(
            "id: plain\nimports:\n  - path: board.json\n", encoding="utf-8"
        )
        with pytest.raises(LoadError) as raised:
            ok.load("plain.yaml")
        assert [
            expected.replace("acme-bookkeeping (acme.yaml)", "plain (plain.yaml)")
        ] == [str(issue) for issue in raised.value.issues]
        result = _runner().invoke(cli, ["import", "board.json"])
        assert (2, "") == (result.exit_code, result.stdout)
        assert "board.json:1:1: expected UTF-8 text, got UTF-16" in result.stderr


class TestClientZone:
    """Under ``imports:``, ``timezone`` is the engagement's client's unless given."""

    @staticmethod
    def write_late_board(folder):
        """Write ``b.json``: a board of one card, due at 23:30 UTC on 31 January."""
        cards = [
            {"id": "c1", "name": "Late", "idList": "t", "due": "2026-01-31T23:30:00Z"}
        ]
        data = {"prefs": {}, "lists": [{"id": "t", "name": "To do"}], "cards": cards}
        write_board(folder, data, "b.json")

    def due_of(self, project, client, options=""):
        self.write_late_board(project)
        (project / "e.yaml").write_text(
            f"id: e\n{client}imports: [{{path: b.json{options}}}]\n",
            encoding="utf-8",
        )
        (task,) = ok.load("e.yaml").tasks
        return task.due

    def test_client_zone(self, project):
        """A Tokyo client's card due at 23:30 UTC is due the next day, in Tokyo."""
        due = self.due_of(project, "client: {timezone: Asia/Tokyo}\n")
        assert due == dt.date(2026, 2, 1)

    def test_option_wins(self, project):
        """A ``timezone`` given as the import's option wins over the client's."""
        due = self.due_of(
            project,
            "client: {timezone: Asia/Tokyo}\n",
            ", options: {timezone: UTC}",
        )
        assert due == dt.date(2026, 1, 31)

    def test_defaults_client_zone(self, project):
        """The client's zone may come from a portfolio's ``defaults:``."""
        self.write_late_board(project)
        (project / "p.yaml").write_text(
            "defaults: {client: {timezone: Australia/Sydney}}\n"
            "engagements:\n  - id: e\n    imports: [{path: b.json}]\n",
            encoding="utf-8",
        )
        (engagement,) = ok.load("p.yaml")
        assert engagement.tasks[0].due == dt.date(2026, 2, 1)

    @pytest.mark.usefixtures("fake")
    def test_zone_of_the_engagement_not_of_an_import(self, tmp_path):
        """The zone is the one the engagement writes, whatever an import gives.

        An import before the board giving the client a zone does not make
        the board read in it: the order of imports changes nothing.
        """
        self.write_late_board(tmp_path)
        (tmp_path / "zone.fake").write_text(
            json.dumps({"data": {"client": {"timezone": "Asia/Tokyo"}}}),
            encoding="utf-8",
        )
        (tmp_path / "e.yaml").write_text(
            "id: e\nimports: [{path: zone.fake}, {path: b.json, importer: trello}]\n",
            encoding="utf-8",
        )
        engagement = ok.load("e.yaml")
        assert str(engagement.client.timezone) == "Asia/Tokyo"
        assert engagement.tasks[0].due == dt.date(2026, 1, 31)

    def test_without_client_zone(self, project):
        """Without a client's zone, Trello's UTC dates stay UTC's."""
        assert self.due_of(project, "") == dt.date(2026, 1, 31)

    def test_client_zone_that_is_none(self, project):
        """A client's zone that names none is the engagement's error alone."""
        with pytest.raises(LoadError) as info:
            self.due_of(project, "client: {timezone: Europe/Londn}\n")
        assert [(i.path, i.line) for i in info.value.issues] == [("client.timezone", 2)]


class TestMergingCards:
    """Cards merged into an engagement that names some of them itself."""

    def test_namesake_cards_are_all_kept(self, project):
        """Two done cards of one name stay two milestones beside the own one."""
        cards = [
            {"id": "c1", "name": "Monthly close", "idList": "d", "due": "2026-01-05"},
            {"id": "c2", "name": "Monthly close", "idList": "d", "due": "2026-02-05"},
        ]
        data = {"prefs": {}, "lists": [{"id": "d", "name": "Done"}], "cards": cards}
        write_board(project, data, "b.json", compact=True)
        (project / "e.yaml").write_text(
            "id: e\nmilestones: [{name: Monthly close}]\nimports: [{path: b.json}]\n",
            encoding="utf-8",
        )
        engagement = ok.load("e.yaml")
        assert [(m.name, m.due) for m in engagement.milestones] == [
            ("Monthly close", None),
            ("Monthly close", dt.date(2026, 1, 5)),
            ("Monthly close", dt.date(2026, 2, 5)),
        ]

    def test_card_merges_into_its_unique_namesake(self, project):
        """One card named like one own milestone fills what the milestone leaves out."""
        cards = [{"id": "c1", "name": "Close", "idList": "d", "due": "2026-01-05"}]
        data = {"prefs": {}, "lists": [{"id": "d", "name": "Done"}], "cards": cards}
        write_board(project, data, "b.json")
        (project / "e.yaml").write_text(
            "id: e\nmilestones: [{name: Close, done_on: 2026-01-04}]\n"
            "imports: [{path: b.json}]\n",
            encoding="utf-8",
        )
        (milestone,) = ok.load("e.yaml").milestones
        assert (milestone.due, milestone.done_on) == (
            dt.date(2026, 1, 5),
            dt.date(2026, 1, 4),
        )
