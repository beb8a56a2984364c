"""An outsourcekit importer of Basecamp to-do lists: tasks and milestones.

Basecamp 3 gives the to-dos of a to-do list as a JSON array
(``GET /buckets/{project}/todolists/{list}/todos.json``, with
``?completed=true`` for the completed ones; save both into one array). The
importer reads such a file into an engagement fragment:

* each active, open to-do becomes a task: its ``content`` the name, its
  ``due_on`` the due date, its description (HTML) the instructions;
* each active, completed to-do becomes a milestone, done on the day it was
  completed, in the time zone of the ``timezone`` option;
* archived and trashed to-dos are left out, and so are to-dos of other lists
  when the ``lists`` option names some.

Each task and milestone is located at its to-do's line in the file and named
by its title, so that a load error points at it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import zoneinfo
from typing import TYPE_CHECKING, Any

from outsourcekit import hookimpl
from outsourcekit.engine import Option
from outsourcekit.io import MAX_DEPTH
from outsourcekit.plugins import Imported, Importer, ImportProblem

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["BASECAMP_IMPORTER", "is_todo_list", "read_todos"]

_BLOCK = re.compile(r"<(?:br|/div|/p|/li|/h[1-6])\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_TODO_TYPE = re.compile(r'"type"\s*:\s*"Todo"')


def is_todo_list(head: str) -> bool:
    """Whether *head*, the start of a ``.json`` file, is a Basecamp to-do array."""
    return head.lstrip("\ufeff \t\r\n").startswith("[") and bool(
        _TODO_TYPE.search(head)
    )


def _text(description: object) -> str | None:
    """Return a to-do's HTML description as plain text, None if it is empty."""
    if not isinstance(description, str):
        return None
    plain = _TAG.sub("", _BLOCK.sub(" ", description))
    text = _SPACE.sub(" ", html.unescape(plain)).strip()
    return text or None


def _line_of(text: str, todo_id: object) -> int | None:
    """Return the line where the to-do with *todo_id* starts, if it is found."""
    match = re.search(rf'"id"\s*:\s*{re.escape(str(todo_id))}\b', text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def _depth(value: object, level: int = 0) -> int:
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def read_todos(path: Path, options: Mapping[str, Any]) -> Imported:
    """Read a Basecamp to-do array into tasks and milestones."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        todos = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        message = f"not a Basecamp to-do export: {error}"
        return Imported(problems=[ImportProblem(message=message)])
    if not isinstance(todos, list) or _depth(todos) > MAX_DEPTH:
        message = "not a Basecamp to-do export: expected a JSON array of to-dos"
        return Imported(problems=[ImportProblem(message=message, line=1)])
    problems: list[ImportProblem] = []
    try:
        zone = zoneinfo.ZoneInfo(options["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        message = f"unknown time zone {options['timezone']!r}: dates are read in UTC"
        problems.append(ImportProblem(message=message))
        zone = zoneinfo.ZoneInfo("UTC")
    data: dict[str, list[dict[str, Any]]] = {"tasks": [], "milestones": []}
    lines: dict[tuple[str | int, ...], int] = {}
    where: dict[tuple[str | int, ...], str] = {}
    wanted = set(options["lists"])
    for todo in todos:
        if not isinstance(todo, dict) or todo.get("status") != "active":
            continue
        parent = todo.get("parent") or {}
        if wanted and parent.get("title") not in wanted:
            continue
        line = _line_of(text, todo.get("id"))
        key, item, problem = _item(todo, zone)
        if problem is not None:
            problems.append(
                ImportProblem(
                    message=problem, line=line, where=f"to-do {item['name']!r}"
                )
            )
        at = (key, len(data[key]))
        data[key].append(item)
        if line is not None:
            lines[at] = line
        where[at] = f"to-do {item['name']!r}"
    return Imported(
        data={k: v for k, v in data.items() if v},
        lines=lines,
        where=where,
        problems=problems,
    )


def _item(
    todo: dict[str, Any], zone: dt.tzinfo
) -> tuple[str, dict[str, Any], str | None]:
    """Return where a to-do goes, as what, and what is wrong with it if anything."""
    item: dict[str, Any] = {"name": todo.get("content") or todo.get("title")}
    if todo.get("due_on"):
        item["due"] = todo["due_on"]
    problem = None
    if todo.get("completed"):
        key = "milestones"
        done = (todo.get("completion") or {}).get("created_at")
        try:
            moment = dt.datetime.fromisoformat(str(done).replace("Z", "+00:00"))
        except ValueError:
            problem = f"the completion time {done!r} is not a date-time"
        else:
            item["done_on"] = moment.astimezone(zone).date().isoformat()
    else:
        key = "tasks"
        instructions = _text(todo.get("description"))
        if instructions:
            item["instructions"] = instructions
    item["x-basecamp-id"] = todo.get("id")
    return key, item, problem


BASECAMP_IMPORTER = Importer(
    name="basecamp",
    suffixes=(".json",),
    func=read_todos,
    sniff=is_todo_list,
    options={
        "lists": Option(
            default=(),
            type=tuple,
            help="Only the to-dos of these to-do lists (default: every list).",
        ),
        "timezone": Option(
            default="UTC",
            help="The time zone in which completion times become dates: the "
            "client's, such as Europe/London.",
        ),
    },
    description="Basecamp to-do lists (JSON): tasks and milestones",
)


@hookimpl
def outsourcekit_register_importers() -> list[Importer]:
    """Register the Basecamp importer."""
    return [BASECAMP_IMPORTER]
