"""Importing speed: a large Trello board, OCDS package and calendar against parsing.

Builds, in a temporary folder, files of the size a long-running engagement's
systems export:

* a Trello board of COUNT cards (about 40 MB for the default 8,000), written
  as Trello writes its exports (one line), with its lists, labels, members,
  custom fields, checklists and four actions a card (created, moved, two
  comments);
* an OCDS release package of COUNT / 4 contracting processes, each of the
  six releases of the standard's fictional example (planning to
  implementation);
* a calendar of COUNT / 20 weekly series, each with five cancelled and five
  moved meetings, and five times as many single meetings.

Then times, interleaved, with the garbage collector paused and in CPU time,
medians of REPEATS runs, each importer's ``read`` (the work of ``outsourcekit
import FILE`` and of an engagement's ``imports:``) against the parsing of the
same file: :func:`json.loads` for JSON files, ``icalendar.Calendar.from_ical``
for the calendar; the targets are in :data:`TARGETS`. Then the command
``outsourcekit import FILE`` on the board, in a subprocess, its start-up
included, against ``json.loads`` in this process.

Usage: python benchmarks/bench_import.py [--count N] [--repeats R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_load_check import timed
from bench_yaml import medians

from outsourcekit import plugins

#: At most how many times the parsing of its file each importer's read takes.
TARGETS = {"trello": 5.0, "ocds": 10.0, "ics": 8.0}
BOARD_ID = "65a1f0c2e4b0a1b2c3d4e5f0"
LISTS = ["Backlog", "To do", "In progress", "Waiting on client", "✅ Done", "Old"]
NAMES = ["Dana Reyes", "Maria Santos", "Tom Okafor", "Li Wei", "Ana Lima"]
COLOURS = ["green", "yellow", "orange", "red", "purple", "blue", "sky", "lime"]


def trello_id(kind: int, n: int) -> str:
    """Return a made-up Trello id (24 hex digits) for item *n* of a kind."""
    return f"65a1f0c2{kind:04x}{n:012x}"


def stamp(day: int, minute: int = 0) -> str:
    """Return Trello's UTC date-time *day* days and *minute* minutes into 2026."""
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
        days=day % 700, minutes=minute
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def member(n: int) -> dict:
    """Return member *n* of the board."""
    name = f"{NAMES[n % len(NAMES)]} {n}"
    return {
        "id": trello_id(2, n),
        "fullName": name,
        "username": name.lower().replace(" ", ""),
        "initials": "".join(w[0] for w in name.split()[:2]),
        "avatarHash": None,
        "memberType": "normal",
        "confirmed": True,
    }


def label(n: int) -> dict:
    """Return label *n* of the board."""
    return {
        "id": trello_id(3, n),
        "idBoard": BOARD_ID,
        "name": f"Area {n}" if n % 4 else "",
        "color": COLOURS[n % len(COLOURS)],
    }


def card(n: int, lists: int, members: int, labels: int) -> dict:
    """Return card *n*, in one of the board's lists, with labels and fields."""
    list_id = trello_id(1, n % lists)
    own = [label(n % labels), label((n * 7 + 1) % labels)]
    return {
        "id": trello_id(4, n),
        "address": None,
        "badges": {
            "attachments": n % 3,
            "checkItems": 5 if n % 2 else 0,
            "checkItemsChecked": 2 if n % 2 else 0,
            "comments": 2,
            "description": True,
            "due": stamp(n, 17 * 60) if n % 3 else None,
            "dueComplete": n % 5 == 0,
            "start": None,
        },
        "checkItemStates": None,
        "closed": n % 17 == 0,
        "dateLastActivity": stamp(n + 3, 9 * 60),
        "desc": f"Card {n}: see the manual, section {n % 40}. " * (1 + n % 4),
        "descData": None,
        "due": stamp(n, 17 * 60) if n % 3 else None,
        "dueComplete": n % 5 == 0,
        "dueReminder": None,
        "email": None,
        "idBoard": BOARD_ID,
        "idChecklists": [trello_id(5, n)] if n % 2 else [],
        "idLabels": [lab["id"] for lab in own],
        "idList": list_id,
        "idMembers": [trello_id(2, n % members), trello_id(2, (n + 3) % members)],
        "idMembersVoted": [],
        "idShort": n + 1,
        "labels": own,
        "manualCoverAttachment": False,
        "name": f"Task number {n} of the monthly close",
        "pos": 16384 * (n + 1),
        "shortLink": f"c{n:07d}",
        "shortUrl": f"https://trello.com/c/c{n:07d}",
        "start": None,
        "subscribed": False,
        "url": f"https://trello.com/c/c{n:07d}/{n + 1}-task-number-{n}",
        "customFieldItems": [
            {
                "id": trello_id(8, n),
                "idCustomField": trello_id(7, n % 3),
                "idModel": trello_id(4, n),
                "modelType": "card",
                "value": {"text": f"PO-{n:06d}"},
            }
        ],
        "attachments": [],
    }


def checklist(n: int) -> dict:
    """Return the checklist of card *n*, with five items out of order."""
    return {
        "id": trello_id(5, n),
        "name": "Steps",
        "idCard": trello_id(4, n),
        "pos": 16384,
        "idBoard": BOARD_ID,
        "creationMethod": None,
        "checkItems": [
            {
                "idChecklist": trello_id(5, n),
                "state": "complete" if i < 2 else "incomplete",
                "id": trello_id(6, n * 8 + i),
                "name": f"Step {i} of card {n}",
                "nameData": None,
                "pos": 16384 * (5 - i),
                "due": None,
                "idMember": None,
            }
            for i in range(5)
        ],
    }


def action(n: int, kind: int, lists: int, members: int) -> dict:
    """Return action *kind* of card *n*: created, moved, or one of two comments."""
    who = member((n + kind) % members)
    card_ref = {
        "id": trello_id(4, n),
        "name": f"Task number {n} of the monthly close",
        "idShort": n + 1,
        "shortLink": f"c{n:07d}",
    }
    board_ref = {"id": BOARD_ID, "name": "Acme Ltd bookkeeping", "shortLink": "Ak3m"}
    here = {"id": trello_id(1, n % lists), "name": LISTS[n % lists]}
    data: dict = {"card": card_ref, "board": board_ref}
    if kind == 0:
        data["list"] = {"id": trello_id(1, 0), "name": LISTS[0]}
        kind_name = "createCard"
    elif kind == 1:
        data["listBefore"] = {"id": trello_id(1, 0), "name": LISTS[0]}
        data["listAfter"] = here
        data["old"] = {"idList": trello_id(1, 0)}
        kind_name = "updateCard"
    else:
        data["text"] = f"Comment {kind - 1} on card {n}: done, see the sheet."
        data["list"] = here
        kind_name = "commentCard"
    return {
        "id": trello_id(9, n * 4 + kind),
        "idMemberCreator": who["id"],
        "data": data,
        "type": kind_name,
        "date": stamp(n, 60 * kind),
        "appCreator": None,
        "limits": {},
        "memberCreator": {
            k: who[k] for k in ("id", "fullName", "username", "initials", "avatarHash")
        },
    }


def board_data(count: int) -> dict:
    """Return a Trello board export of *count* cards."""
    lists, members, labels = len(LISTS), 40, 24
    return {
        "id": BOARD_ID,
        "name": "Acme Ltd bookkeeping",
        "desc": "Monthly bookkeeping handed to LedgerPros.",
        "closed": False,
        "idOrganization": trello_id(0, 9),
        "prefs": {"permissionLevel": "private", "background": "blue"},
        "labelNames": dict.fromkeys(COLOURS, ""),
        "url": "https://trello.com/b/Ak3mE9xQ/acme-ltd-bookkeeping",
        "shortUrl": "https://trello.com/b/Ak3mE9xQ",
        # An export writes its actions first, newest first.
        "actions": [
            action(n, kind, lists, members)
            for n in reversed(range(count))
            for kind in (3, 2, 1, 0)
        ],
        "cards": [card(n, lists, members, labels) for n in range(count)],
        "labels": [label(n) for n in range(labels)],
        "lists": [
            {
                "id": trello_id(1, n),
                "name": name,
                "closed": name == "Old",
                "pos": 16384 * (n + 1),
                "idBoard": BOARD_ID,
            }
            for n, name in enumerate(LISTS)
        ],
        "members": [member(n) for n in range(members)],
        "checklists": [checklist(n) for n in range(1, count, 2)],
        "customFields": [
            {
                "id": trello_id(7, n),
                "idModel": BOARD_ID,
                "modelType": "board",
                "name": f"Field {n}",
                "type": "text",
                "pos": 16384 * (n + 1),
            }
            for n in range(3)
        ],
        "memberships": [],
        "pluginData": [],
    }


def ocds_package(count: int) -> dict:
    """Return a release package of *count* processes, each of five releases.

    The releases of a process are those of the standard's fictional example
    (planning, tender, award, contract, implementation), with new ids.
    """
    template = json.loads(
        (
            Path(__file__).parents[1] / "tests/data/ocds/fictional-1.1-releases.json"
        ).read_text(encoding="utf-8")
    )
    old = template["releases"][0]["ocid"]
    text = json.dumps(template["releases"])
    releases = []
    for n in range(count):
        releases.extend(json.loads(text.replace(old, f"ocds-213czf-{n:06d}")))
    return {**template, "releases": releases}


def calendar_text(count: int) -> str:
    """Return a calendar of *count* series with exceptions and 5 x *count* meetings."""
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "X-WR-TIMEZONE:Europe/London",
    ]
    people = [
        "ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana@acme.co.uk",
        "ATTENDEE;CN=Maria Santos;PARTSTAT=ACCEPTED:mailto:maria@ledgerpros.ph",
    ]
    start = dt.datetime(2025, 1, 6, 10)

    def at(moment: dt.datetime) -> str:
        return f"TZID=Europe/London:{moment:%Y%m%dT%H%M%S}"

    for n in range(count):
        first = start + dt.timedelta(days=n % 5, hours=n % 7)
        uid = f"UID:series-{n}@google.com"
        rule = "UNTIL=20261231T235959Z" if n % 2 else "COUNT=80"
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART;{at(first)}",
            f"DTEND;{at(first + dt.timedelta(minutes=30))}",
            f"RRULE:FREQ=WEEKLY;{rule}",
            *(f"EXDATE;{at(first + dt.timedelta(weeks=3 + 7 * k))}" for k in range(5)),
            uid,
            *people,
            "X-GOOGLE-CONFERENCE:https://meet.google.com/kyj-sict-zbe",
            f"SUMMARY:Weekly sync {n}",
            "END:VEVENT",
        ]
        for k in range(5):
            moved = first + dt.timedelta(weeks=5 + 7 * k)
            lines += [
                "BEGIN:VEVENT",
                f"DTSTART;{at(moved + dt.timedelta(hours=1))}",
                f"DTEND;{at(moved + dt.timedelta(hours=1, minutes=30))}",
                uid,
                f"RECURRENCE-ID;{at(moved)}",
                *people,
                f"SUMMARY:Weekly sync {n} (moved)",
                "END:VEVENT",
            ]
    for n in range(5 * count):
        when = start + dt.timedelta(days=n % 600, hours=n % 8)
        lines += [
            "BEGIN:VEVENT",
            f"DTSTART;{at(when)}",
            f"DTEND;{at(when + dt.timedelta(hours=1))}",
            f"UID:meeting-{n}@google.com",
            *people,
            f"SUMMARY:Review {n}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR", ""])


def compare(name: str, path: Path, parse, options: dict, repeats: int) -> float:
    """Print the importer's read of *path* against *parse*; return the ratio."""
    importer = next(i for i in plugins.get_importers() if i.name == name)
    checked = importer.check_options(options)
    imported = importer.read(path, checked)
    assert not imported.problems, imported.problems[:3]
    found = medians(
        {"parse": parse, "read": lambda: importer.read(path, checked)}, repeats
    )
    ratio = found["read"] / found["parse"]
    target = TARGETS[name]
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"  {name:6s} {path.stat().st_size / 1e6:5.1f} MB: parse "
        f"{found['parse'] * 1e3:6.0f} ms, read {found['read'] * 1e3:6.0f} ms: "
        f"{ratio:.1f}x (target <= {target:.0f}x): {verdict}"
    )
    return ratio


def command_line(path: Path, repeats: int) -> None:
    """Print ``outsourcekit import`` on the board against ``json.loads`` of it."""
    found = shutil.which("outsourcekit")
    command = [found] if found else [sys.executable, "-m", "outsourcekit"]
    cpu = []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [*command, "import", str(path), "--format", "json"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    text = path.read_text(encoding="utf-8")
    baseline = statistics.median(timed(lambda: json.loads(text)) for _ in range(3))
    seconds = statistics.median(cpu)
    print(
        f"  outsourcekit import (JSON out, start-up included): {seconds:.2f} s CPU, "
        f"{seconds / baseline:.1f}x json.loads"
    )


def main() -> None:
    """Write the files, then time each importer against parsing them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8_000)
    parser.add_argument("--repeats", type=int, default=5)
    args, _ = parser.parse_known_args()
    import icalendar  # noqa: PLC0415 - the extra `calendar`

    with tempfile.TemporaryDirectory() as folder:
        board = Path(folder) / "board.json"
        board.write_text(
            json.dumps(board_data(args.count), ensure_ascii=False), encoding="utf-8"
        )
        package = Path(folder) / "package.json"
        package.write_text(json.dumps(ocds_package(args.count // 4)), "utf-8")
        calendar = Path(folder) / "calendar.ics"
        calendar.write_bytes(calendar_text(args.count // 20).encode("utf-8"))
        print(f"medians of {args.repeats} runs, CPU time, collector paused")
        board_text = board.read_text(encoding="utf-8")
        package_text = package.read_text(encoding="utf-8")
        calendar_bytes = calendar.read_bytes()
        ratios = {
            "trello": compare(
                "trello", board, lambda: json.loads(board_text), {}, args.repeats
            ),
            "ocds": compare(
                "ocds", package, lambda: json.loads(package_text), {}, args.repeats
            ),
            "ics": compare(
                "ics",
                calendar,
                lambda: icalendar.Calendar.from_ical(calendar_bytes),
                {"client": "@acme.co.uk", "vendor": "@ledgerpros.ph"},
                args.repeats,
            ),
        }
        command_line(board, min(args.repeats, 3))
    print(", ".join(f"{name} {ratio:.1f}x" for name, ratio in ratios.items()))


if __name__ == "__main__":
    main()
