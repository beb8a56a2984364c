"""Checking in worker processes: the command line's ``--jobs``.

The parent hands out files; each worker process reads its own files a chunk
of engagements at a time, checks each chunk as a part
(:func:`outsourcekit.engine.check_part`), finds the lines of its findings and
sends the part back. The parent combines the parts in the order of the files,
so that the report (and a sink's stream of findings) is the same whatever the
number of workers and whichever finishes first: the report of one process.
A worker never waits on the parent: it holds its next file while it checks
one, and sends its parts from a thread of its own while it goes on checking,
since the parent reads a part only when its turn comes.

Workers are started with ``spawn`` everywhere, so they import the package and
load the plugins themselves; only files, configuration and parts cross between
processes. A worker says which plugins failed to load in it, and which rules
it has, as it starts: a plugin that cannot be imported there (though it can
here) is a plugin error of the report, and the check runs without its rules
(or fails, naming it, when the configuration needs them). A rule whose facts or
evidence cannot be pickled is a rule error of that rule (found only when a
part fails to pickle); the rest of its part is sent.
A worker that dies (killed, out of memory, a crash in native code)
has its file given to a fresh worker once more; if that one dies too, the
report says which file was not fully checked (:class:`NotChecked`, among the
load errors), and the other files are still checked. The check failed there,
as it fails in one process (the command exits with status 3). A
``KeyboardInterrupt`` raised in a worker (which ignores Ctrl-C: code raised
it) stops the run, as it stops one process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import queue
import signal
import threading
import traceback
import warnings
from collections import deque
from multiprocessing import connection, get_context
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from . import engine, plugins
from ._api import ReadySink, iter_load, locate_lines, ready
from ._dates import as_date
from ._gc import rare_full_collections
from ._jsonl import is_json_lines
from .config import with_waivers
from .engine import CHUNK_SIZE, Config, ConfigError, Part, Report, ReportSink
from .engine._split import sendable
from .io import (
    IdPlaces,
    LoadIssue,
    duplicate_id_issue,
    is_duplicate_id_issue,
    record_unloaded,
    same_portfolio,
)
from .model import Engagement, Origin

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from multiprocessing.context import SpawnProcess

    from .engine import Issue, PluginError, Rule

__all__ = [
    "Checked",
    "NotChecked",
    "Placed",
    "Reading",
    "Unique",
    "Unloaded",
    "WorkerPluginError",
    "as_read",
    "check_files",
    "in_one_order",
    "worker_count",
]

#: How many files the parent hands out beyond the oldest unfinished one, per
#: worker: a bound on the parts it holds waiting for an earlier file.
AHEAD = 3
#: A JSON Lines file larger than this (bytes, about 1,500 engagements of
#: realistic size) is shared among workers in parts of at most this size.
PART_BYTES = 8 * 1024 * 1024
#: How many messages a worker keeps ready while the parent is busy.
QUEUED = 2
#: How many files a worker is given at a time: the one it checks, and the next.
GIVEN = 2


class WorkerPluginError(RuntimeError):
    """The worker processes cannot check with the rules of this process.

    A plugin imports here but not in a worker (or registers other rules
    there), and the configuration needs its rules, or the workers disagree.
    """


#: What a worker says as it starts: the plugins that failed to load in it,
#: and the codes of its rules.
_Loaded = tuple[tuple["PluginError", ...], tuple[str, ...]]


@attrs.frozen(kw_only=True)
class NotChecked(LoadIssue):
    """A file (or part of one) that a worker process could not check to its end.

    It names the file among the load errors, but the file did load: the check
    failed there (a worker died, or raised), as a check fails in one process,
    and the command exits with status 3, not 2.
    """


#: An engagement that did not load but has an id, as a worker reads it (see
#: :func:`outsourcekit.io.record_unloaded`): a line of a JSON Lines file, or
#: the first engagement with its id in any other file. It comes as the number of
#: its file's engagements before it, the number of its file's load errors
#: before it (its own included), and an engagement of its id alone, at its
#: place.
Unloaded = tuple[int, int, Engagement]


class Unique:
    """Drops from parts the engagements whose id an earlier part has.

    Each is reported in :attr:`issues` as :func:`outsourcekit.load_all`
    reports a duplicate id (where both are written), in the order the parts
    and their engagements come; :attr:`places` holds, for each, its
    engagement's place in its part (from 0), to put it among the load errors
    of the part's file. The first engagement with the id stays.

    The engagements that did not load (:data:`Unloaded`), given with the
    part they were read with, keep their ids too, as one process reads them:
    one whose id was read before, and the first engagement with an id that
    only those had before (which stays), are reported in :attr:`told`, each
    with its place among its file's engagements and load errors (None: after
    all those of its place). A file that is no JSON Lines tells those of its
    own engagements itself.
    """

    def __init__(self) -> None:
        """Start with no id seen."""
        self.first: dict[str, Origin | None] = {}
        self.issues: list[Issue] = []
        self.places: list[int] = []
        #: The first place of each id that an engagement which did not load has.
        self.named: dict[str, Origin | None] = {}
        self.told: list[tuple[int, int | None, Issue]] = []
        #: Where the engagement of each of :attr:`told` was read.
        self.told_from: list[Origin | None] = []
        #: Where the ids of the files read to place duplicates are.
        self.id_places = IdPlaces()

    def parts(self, parts: Iterable[Part]) -> Iterator[Part]:
        """Yield *parts*, each without the engagements whose id came before."""
        for part in parts:
            yield self(part)

    def __call__(
        self, part: Part, unloaded: Sequence[Unloaded] = (), start: int = 0
    ) -> Part:
        """Return *part* without the engagements whose id an earlier part has.

        *unloaded* are the engagements that did not load read with it, placed
        among its file's engagements, of which *start* came before the part.
        """
        first = self.first
        named = self.named
        twice = []
        pending = iter(unloaded)
        bad = next(pending, None)
        for place, (eid, origin, _) in enumerate(part.entries):
            while bad is not None and bad[0] <= start + place:
                self.unloaded(bad)
                bad = next(pending, None)
            if eid not in first:
                first[eid] = origin
                if named and eid in named and not same_portfolio(origin, named[eid]):
                    # Only what did not load had it before.
                    issue = _duplicate(eid, origin, named[eid], self.id_places)
                    self.told.append((start + place, None, issue))
                    self.told_from.append(origin)
                continue
            twice.append(eid)
            self.places.append(place)
            self.issues.append(
                _duplicate(
                    eid,
                    origin,
                    named[eid] if eid in named else first[eid],
                    self.id_places,
                )
            )
        while bad is not None:
            self.unloaded(bad)
            bad = next(pending, None)
        return part.without(twice) if twice else part

    def unloaded(self, unloaded: Unloaded) -> None:
        """Note the id of an engagement that did not load: a duplicate if read."""
        place, after, bad = unloaded
        eid = bad.id
        if eid in self.named:
            there = self.named[eid]
        elif eid in self.first:
            there = self.named[eid] = self.first[eid]
        else:
            self.named[eid] = bad.origin
            return
        self.told.append(
            (place, after, _duplicate(eid, bad.origin, there, self.id_places))
        )
        self.told_from.append(bad.origin)


def _duplicate(
    eid: str, here: Origin | None, there: Origin | None, places: IdPlaces
) -> LoadIssue:
    """Return the load error of id *eid* read at *here*, read at *there* before.

    *places* keeps where the ids of the files read for it are, for the next.
    """
    return duplicate_id_issue(
        Engagement(id=eid, origin=here), Engagement(id=eid, origin=there), places
    )


def worker_count(jobs: int) -> int:
    """Return how many workers ``--jobs`` *jobs* means: 0 is one per usable core.

    Raise ValueError for a negative number.
    """
    if jobs < 0:
        msg = f"--jobs must be 0 (one per core) or more (got {jobs})"
        raise ValueError(msg)
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@attrs.define
class Reading:
    """How far the workers are through the files, for a progress line.

    As an :class:`~outsourcekit.io.EngagementStream` says it: the size of all
    the files (None until the check starts), and that of the files (and parts
    of JSON Lines files) checked to their end so far, in whichever order the
    workers finish them.
    """

    bytes_total: int | None = None
    bytes_read: int = 0


@attrs.frozen(kw_only=True)
class Checked:
    """What :func:`check_files` gives: the report, and titles for the text format."""

    report: Report
    #: Each engagement's title by id (when asked for; empty otherwise).
    titles: dict[str, str]


@attrs.frozen(kw_only=True)
class _Setup:
    """What every worker is given once: how to check."""

    as_of: dt.date
    config: Config | None
    chunk_size: int
    titles: bool
    #: Whether the findings' lines are found (:func:`check_files`).
    lines: bool = True


@attrs.frozen(kw_only=True)
class _Task:
    """One file (or part of a JSON Lines file) to check, and its place in order."""

    index: int
    path: str
    #: The byte range of a part of a JSON Lines file, or None: the whole file.
    part: tuple[int, int | None] | None = None
    #: How many bytes it reads (0 for a file that cannot be read).
    size: int = 0

    @property
    def name(self) -> str:
        """How messages name what the task reads."""
        if self.part is None:
            return self.path
        start, stop = self.part
        return f"{self.path} (bytes {start} to {'the end' if stop is None else stop})"


def _tasks(files: Sequence[str | os.PathLike[str]], size: int) -> list[_Task]:
    """Return the tasks of *files*: JSON Lines files cut in parts of *size* bytes."""
    tasks: list[_Task] = []
    for file in files:
        path = os.fspath(file)
        try:
            total = os.stat(path).st_size  # noqa: PTH116 - a str path is at hand
        except OSError:
            total = 0
        if total <= size or not is_json_lines(path):
            tasks.append(_Task(index=len(tasks), path=path, size=total))
            continue
        cuts = [total * i // -(-total // size) for i in range(-(-total // size))]
        for start, stop in zip(cuts, [*cuts[1:], None], strict=True):
            read = (total if stop is None else stop) - start
            tasks.append(
                _Task(index=len(tasks), path=path, part=(start, stop), size=read)
            )
    return tasks


def check_files(  # noqa: PLR0913
    files: Sequence[str | os.PathLike[str]],
    *,
    jobs: int,
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    sink: ReportSink | None = None,
    chunk_size: int = CHUNK_SIZE,
    titles: bool = False,
    progress: Callable[[int], object] | None = None,
    reading: Reading | None = None,
    lines: bool = True,
) -> Checked:
    """Load and check *files* in *jobs* worker processes (0: one per core).

    The report equals :func:`outsourcekit.check` of :func:`outsourcekit.load_all`
    of the files (load errors carried in), with the registered rules: the same
    findings with their lines, scores, errors, in the same order. With a
    *sink*, findings go to it file after file (see
    :class:`~outsourcekit.engine.ReportSink`) and the report holds none: the
    report of :func:`outsourcekit.check_stream` of
    :func:`outsourcekit.iter_load` of the files, its errors in that order. With
    *titles*, the engagements' titles come back too (the text format shows
    them). *progress* is called with the number of engagements checked so far;
    *reading*, if given, keeps how many bytes of the files are checked so far.
    Without *lines*, the findings' lines are not found (nothing prints them).

    Raise :class:`~outsourcekit.ConfigError` for a bad configuration, before
    any worker starts.
    """
    rules = plugins.get_rules()
    if config is not None:
        config = with_waivers(config)
    (config or Config()).resolve(rules)  # a bad configuration fails here, first
    day = dt.date.today() if as_of is None else as_date(as_of)  # noqa: DTZ011 - local
    setup = _Setup(
        as_of=day, config=config, chunk_size=chunk_size, titles=titles, lines=lines
    )
    tasks = _tasks(files, PART_BYTES)
    workers = min(worker_count(jobs), max(len(tasks), 1))
    pool = _Pool(setup, tasks, workers, reading=reading)
    ready_sink = None if sink is None else ReadySink(sink)
    errors = _Errors(pool, streamed=sink is not None)
    try:
        loaded = pool.start()
        if loaded is not None:
            rules = _agreed(rules, loaded, config)
        report = engine.combine(
            errors.parts(pool.parts(progress)),
            rules=rules,
            config=config,
            as_of=day,
            errors=errors.ordered(),
            sink=ready_sink,
            locate=locate_lines if lines else None,
        )
    except BaseException:
        # Ctrl-C, or the sink or progress raised: no part will be read any
        # more, and a worker sending one would wait for that until stopped.
        pool.abort()
        raise
    finally:
        pool.close()
    if ready_sink is not None and ready_sink.report is not None:
        report = ready_sink.report
    else:
        report = ready(report)
    titled = {eid: title for eid, title in pool.titles.items() if title}
    return Checked(report=report, titles=titled)


def _agreed(rules: list[Rule], loaded: _Loaded, config: Config | None) -> list[Rule]:
    """Return the rules the workers check with: this process's, or fewer.

    The plugins that failed in the workers alone are recorded as plugin
    errors (the run fails); their rules do not run. Raise
    :class:`WorkerPluginError` when the workers have rules this process does
    not, or lack rules without a failure to say why, or the configuration
    needs the rules they lack.
    """
    failures, codes = loaded
    own = plugins.plugin_errors()
    new = [f for f in failures if f not in own]
    there = set(codes)
    for failure in new:
        theirs = [r.code for r in rules if r.plugin == failure.plugin]
        ran = [c for c in theirs if c in there]
        note = (
            ""
            if ran or not theirs
            else (
                f"; its rules ({_codes(theirs)}) did not run: check without --jobs "
                "to run them"
            )
        )
        plugins.record_error(failure.plugin, _in_worker(failure.message) + note)
    if codes == tuple(r.code for r in rules):
        return rules
    kept = [r for r in rules if r.code in there]
    missing = [r.code for r in rules if r.code not in there]
    extra = sorted(there - {r.code for r in rules})
    named = "; ".join(f"plugin {f.plugin!r} {_in_worker(f.message)}" for f in new)
    if extra or not new:
        what = (
            f"have rules this process does not ({_codes(extra)})"
            if extra
            else f"lack rules this process has ({_codes(missing)})"
        )
        msg = f"the worker processes {what}{'; ' if named else ''}{named}"
        raise WorkerPluginError(f"{msg}; check without --jobs")
    try:
        (config or Config()).resolve(kept)
    except ConfigError as exc:
        msg = (
            f"{named}; without its rules ({_codes(missing)}) the configuration "
            f"fails ({exc}); check without --jobs"
        )
        raise WorkerPluginError(msg) from None
    return kept


def _in_worker(message: str) -> str:
    """Return a plugin's failure *message* as one of a worker process."""
    head = "cannot be imported"
    if message.startswith(head):
        return f"{head} in a worker process{message[len(head) :]}"
    return f"in a worker process: {message}"


def _codes(codes: Sequence[str]) -> str:
    shown = ", ".join(codes[:6])
    return f"{shown} and {len(codes) - 6} more" if len(codes) > 6 else shown


class _Worker:
    """One worker process, its end of the pipe, and the file it is checking."""

    def __init__(self, setup: _Setup) -> None:
        context = get_context("spawn")
        here, there = context.Pipe()
        self.connection = here
        self.process: SpawnProcess = context.Process(
            target=_work, args=(setup, there), daemon=True
        )
        self.process.start()
        there.close()
        #: The tasks given and not done yet, in order: the first is being
        #: checked, the next waits in the pipe so that the worker never idles
        #: until this process hands it one.
        self.tasks: deque[_Task] = deque()
        self.dead = False
        #: Whether the worker said it started, its plugins loaded (one that
        #: dies before that cannot start at all).
        self.heard = False

    def give(self, task: _Task) -> None:
        """Send *task* to the worker."""
        self.tasks.append(task)
        self.connection.send(task)

    def stop(self) -> None:
        """Stop the worker: ask it to, then end it if it lingers."""
        if not self.dead:
            with contextlib.suppress(OSError):
                self.connection.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.connection.close()


class _Pool:
    """Hands files to workers and gives back their parts in the files' order."""

    def __init__(
        self,
        setup: _Setup,
        tasks: Sequence[_Task],
        size: int,
        *,
        reading: Reading | None = None,
    ) -> None:
        self.setup = setup
        self.tasks = list(tasks)
        self.todo: deque[_Task] = deque(tasks)
        self.size = size
        self.workers: list[_Worker] = []
        #: Parts received, by file and chunk, until their turn comes.
        self.waiting: dict[int, dict[int, Part]] = {}
        #: For each file checked to its end (or given up): how many chunks.
        self.chunks: dict[int, int] = {}
        #: For each file: how many engagements its parts hold, by chunk.
        self.sizes: dict[int, dict[int, int]] = {}
        #: For each file done: its load errors, in the order read.
        self.issues: dict[int, list[Issue]] = {}
        #: For each file done: where each load error was read, as the number
        #: of the file's engagements read (and kept) before it.
        self.places: dict[int, list[int]] = {}
        #: For each file checked: the plugins that had failed in its worker by
        #: then, recorded here as the file's turn comes (a worker's failures
        #: fail the run as one process's would, in the files' order).
        self.failures: dict[int, tuple[PluginError, ...]] = {}
        self.tries: dict[int, int] = {}
        #: Each engagement's title (None: none) by id, of the first
        #: engagement with the id in the files' order: the one kept.
        self.titles: dict[str, str | None] = {}
        #: The titles of the parts waiting, by file and chunk.
        self.waiting_titles: dict[tuple[int, int], dict[str, str | None]] = {}
        #: The engagements that did not load read with the parts waiting, by
        #: file and chunk; and, for each file done, those after its last part.
        self.waiting_unloaded: dict[tuple[int, int], tuple[Unloaded, ...]] = {}
        self.trailing: dict[int, tuple[Unloaded, ...]] = {}
        self.next_task = 0
        self.next_chunk = 0
        #: How many workers in a row died before they answered.
        self.mute = 0
        #: What the first worker to start said of its plugins and rules.
        self.loaded: _Loaded | None = None
        #: How many bytes of the files are checked so far.
        self.reading = Reading() if reading is None else reading
        self.reading.bytes_total = sum(task.size for task in self.tasks)

    def start(self) -> _Loaded | None:
        """Start the workers; return what the first to start said it loaded.

        None when there is nothing to check (no worker starts).
        """
        if not self.tasks:
            return None
        self.workers = [_Worker(self.setup) for _ in range(self.size)]
        self.fill()
        while self.loaded is None:
            self.receive()
        return self.loaded

    def parts(
        self, progress: Callable[[int], object] | None
    ) -> Iterator[tuple[int, Part, tuple[Unloaded, ...]]]:
        """Run the workers; yield every part, in the order of files and chunks.

        Each comes with the index of its file (its task), and the engagements
        that did not load read with it.
        """
        if self.tasks and not self.workers:
            self.workers = [_Worker(self.setup) for _ in range(self.size)]
        done = 0
        while True:
            for index, part, unloaded in self.in_order():
                done += len(part)
                if progress is not None:
                    progress(done)
                yield index, part, unloaded
                # Between parts, take what the workers have sent meanwhile and
                # give the idle ones their next file: a worker sending a part
                # waits until this process reads it, and must not wait while
                # the parts before it are written out.
                self.fill()
                self.receive(timeout=0)
            if self.next_task >= len(self.tasks):
                return
            self.fill()
            self.receive()

    def in_order(self) -> Iterator[tuple[int, Part, tuple[Unloaded, ...]]]:
        """Yield the parts that are next in order, as long as they are there."""
        while self.next_task < len(self.tasks):
            part = self.waiting.get(self.next_task, {}).pop(self.next_chunk, None)
            if part is not None:
                key = (self.next_task, self.next_chunk)
                titles = self.waiting_titles.pop(key, {})
                for eid, title in titles.items():
                    self.titles.setdefault(eid, title)
                unloaded = self.waiting_unloaded.pop(key, ())
                self.next_chunk += 1
                yield self.next_task, part, unloaded
            elif self.chunks.get(self.next_task) == self.next_chunk:
                for chunk in self.waiting.pop(self.next_task, {}):  # a file lost
                    self.waiting_titles.pop((self.next_task, chunk), None)
                    self.waiting_unloaded.pop((self.next_task, chunk), None)
                for failure in self.failures.pop(self.next_task, ()):
                    plugins.record_error(failure.plugin, failure.message)
                self.next_task += 1
                self.next_chunk = 0
            else:
                return

    def fill(self) -> None:
        """Give each worker up to :data:`GIVEN` files, not far ahead of the order.

        A worker that died since it was last heard from cannot be given a file
        (its pipe is broken): it is replaced, as when it is seen to die.
        """
        for worker in list(self.workers):
            while len(worker.tasks) < GIVEN and self.todo:
                if self.todo[0].index >= self.next_task + AHEAD * self.size:
                    return
                try:
                    worker.give(self.todo.popleft())
                except OSError:
                    self.died(worker)
                    break

    def receive(self, timeout: float | None = None) -> None:
        """Wait for messages from the workers, or for one to die, and handle them.

        With a *timeout*, wait no longer than that (0: take only what is
        there already).
        """
        busy = [w for w in self.workers if w.tasks]
        if not busy:
            if timeout is not None:
                return
            # Cannot happen: the oldest unfinished file is always out.
            msg = "no file is being checked, yet the report is not complete"
            raise RuntimeError(msg)
        by_connection = {w.connection: w for w in busy}
        by_sentinel = {w.process.sentinel: w for w in busy}
        for item in connection.wait([*by_connection, *by_sentinel], timeout):
            if isinstance(item, int):
                worker = by_sentinel[item]
                if not worker.dead and not worker.connection.poll():
                    self.died(worker)
                continue
            worker = by_connection[cast("connection.Connection", item)]
            if worker.dead:
                continue
            try:
                message = worker.connection.recv()
            except (EOFError, OSError):
                self.died(worker)
                continue
            worker.heard = True
            self.handle(worker, message)

    def handle(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        """Keep a part, or close a file: checked, or failed."""
        kind, index = message[0], message[1]
        if kind == "ready":  # started: any death from now on is a file's doing
            self.started(message[2])
            return
        if kind == "interrupted":  # raised by code: one process would stop
            raise KeyboardInterrupt
        if kind == "part":
            _, _, chunk, part, titles, unloaded = message
            if chunk >= self.next_chunk or index != self.next_task:
                self.waiting.setdefault(index, {})[chunk] = part
                if titles:
                    self.waiting_titles[index, chunk] = titles
                if unloaded:
                    self.waiting_unloaded[index, chunk] = unloaded
            self.sizes.setdefault(index, {})[chunk] = len(part)
            return
        worker.tasks.popleft()
        if kind == "done":
            _, _, count, issues, places, failures, unloaded = message
            self.chunks[index] = count
            self.reading.bytes_read += self.tasks[index].size
            self.issues[index] = list(issues)
            self.places[index] = list(places)
            self.failures[index] = failures
            if unloaded:
                self.trailing[index] = unloaded
        else:
            self.lost(index, f"checking it failed: {message[2]}")

    def started(self, loaded: _Loaded) -> None:
        """Take what a worker loaded; raise if it differs from the first's.

        Every part must be made with the same rules: a worker whose plugins
        fail otherwise than the first's (a plugin that imports only at times)
        cannot take part.
        """
        if self.loaded is None:
            self.loaded = loaded
            return
        if loaded == self.loaded:
            return
        failures = [f for f in loaded[0] if f not in self.loaded[0]]
        named = "; ".join(
            f"plugin {f.plugin!r} {_in_worker(f.message)}" for f in failures
        )
        msg = (
            "the worker processes do not load the same plugins and rules"
            f"{': ' if named else ''}{named}; check without --jobs"
        )
        raise WorkerPluginError(msg)

    def died(self, worker: _Worker) -> None:
        """Replace a worker that died; give its file once more, or report it.

        The files it was given after that one, not started, go to the fresh
        worker as they are.
        """
        worker.dead = True
        task = worker.tasks.popleft() if worker.tasks else None
        queued = list(worker.tasks)
        worker.process.join()
        code = worker.process.exitcode
        worker.connection.close()
        self.workers.remove(worker)
        self.mute = 0 if worker.heard else self.mute + 1
        if self.mute >= 2:
            msg = (
                "the worker processes stop as they start "
                f"({_exit(code)}; their error is printed above)"
            )
            raise RuntimeError(msg)
        fresh = _Worker(self.setup)
        self.workers.append(fresh)
        if task is None:  # pragma: no cover - an idle worker is not waited on
            return
        tries = self.tries[task.index] = self.tries.get(task.index, 0) + 1
        if tries < 2:
            fresh.give(task)
        else:
            self.lost(task.index, f"its worker process stopped twice ({_exit(code)})")
        for waiting in queued:
            fresh.give(waiting)

    def lost(self, index: int, why: str) -> None:
        """Record that file *index* was not fully checked, and why.

        The chunks received in a row from its start stay in the report.
        """
        sizes = self.sizes.get(index, {})
        count = 0
        while count in sizes:
            count += 1
        self.chunks[index] = count
        checked = sum(sizes[c] for c in range(count))
        task = self.tasks[index]
        path = task.path
        if task.part is not None:
            why = f"{why}, reading {task.name}"
        message = (
            f"not fully checked: {why}; the engagements after the first "
            f"{checked} are not in the report"
            if count
            else f"not checked: {why}"
        )
        self.issues[index] = [
            NotChecked(source=path, line=None, column=None, path="", message=message)
        ]
        self.places[index] = [0]
        self.reading.bytes_read += task.size

    def abort(self) -> None:
        """End every worker at once, whatever it is doing (the run was stopped)."""
        for worker in self.workers:
            worker.dead = True
            worker.process.terminate()

    def close(self) -> None:
        """Stop every worker."""
        for worker in self.workers:
            worker.stop()
        self.workers = []


class _Errors:
    """Drops the ids parts have again, and orders every load error as one process.

    A worker reads its file with :func:`outsourcekit.iter_load`, which reports
    an id the file has twice; an id another file has too is found here
    (:class:`Unique`), and its error is put where one process reads it. Whole,
    the errors come as :func:`outsourcekit.load_all` gives them: every file's
    own, in the files' order, then each id written again, in the order the
    engagements are read. Streamed (*streamed*), as
    :func:`outsourcekit.iter_load` gives them: each file's where it is read.
    """

    def __init__(self, pool: _Pool, *, streamed: bool) -> None:
        self.pool = pool
        self.streamed = streamed
        self.unique = Unique()
        #: For each file: how many engagements its parts held so far.
        self.read: dict[int, int] = {}
        #: For each file: the ids it has after another file, each with its
        #: place among the file's engagements.
        self.again: dict[int, list[tuple[int, Issue]]] = {}
        #: For each file: the ids told by engagements that did not load (see
        #: :class:`Unique`), each placed among its engagements and errors.
        self.told: dict[int, list[tuple[int, int | None, Issue]]] = {}
        #: How many files the engagements that did not load after their last
        #: part were taken of.
        self.through = 0

    def parts(
        self, parts: Iterable[tuple[int, Part, Sequence[Unloaded]]]
    ) -> Iterator[Part]:
        """Yield *parts* (each with its file's index) without the ids seen before.

        Each comes with the engagements that did not load read with it.
        """
        unique = self.unique
        for index, part, unloaded in parts:
            self.trailing(index)
            told = len(unique.issues)
            early = len(unique.told)
            start = self.read.get(index, 0)
            kept = unique(part, unloaded, start)
            self.read[index] = start + len(part)
            if len(unique.told) > early:
                self.told.setdefault(index, []).extend(unique.told[early:])
            if len(unique.issues) > told:
                self.again.setdefault(index, []).extend(
                    (start + place, issue)
                    for place, issue in zip(
                        unique.places[told:], unique.issues[told:], strict=True
                    )
                )
            yield kept

    def trailing(self, index: int) -> None:
        """Take the engagements that did not load after each file's last part.

        Those of the files before file *index*, every part of which is in.
        """
        unique = self.unique
        while self.through < index:
            unloaded = self.pool.trailing.pop(self.through, ())
            if unloaded:
                early = len(unique.told)
                for bad in unloaded:
                    unique.unloaded(bad)
                self.told.setdefault(self.through, []).extend(unique.told[early:])
            self.through += 1

    def ordered(self) -> Iterator[Issue]:
        """Yield every load error in one process's order (once all parts are in)."""
        pool = self.pool
        self.trailing(len(pool.tasks))
        yield from in_one_order(
            (
                as_read(
                    pool.issues.get(index, []),
                    pool.places.get(index, []),
                    self.again.get(index, []),
                    self.told.get(index, []),
                )
                for index in range(len(pool.tasks))
            ),
            streamed=self.streamed,
            firsts=self.unique.named,
        )


def as_read(
    issues: Sequence[Issue],
    places: Sequence[int],
    again: Sequence[tuple[int, Issue]],
    told: Sequence[tuple[int, int | None, Issue]] = (),
) -> list[Issue]:
    """Return a file's load errors with the ids it has after another file, as read.

    *issues* are the file's own load errors, each read after as many of its
    engagements as *places* says (missing places: 0); *again*, the errors of
    the engagements whose id another file had before, each with its place
    among the file's engagements (from 0); *told*, the errors of ids told by
    engagements that did not load (see :class:`Unique`), each with its place among
    the file's engagements and the number of its own errors before it (None:
    all those of its place).
    """
    end = len(issues)
    placed = [
        (place, at, 1, issue)
        for at, (place, issue) in enumerate(
            zip(
                [*places[: len(issues)], *[0] * (len(issues) - len(places))],
                issues,
                strict=True,
            )
        )
    ]
    placed += [
        (place, end if after is None else after, 0 if after is not None else 2, issue)
        for place, after, issue in told
    ]
    placed += [(place, end, 2, issue) for place, issue in again]
    placed.sort(key=lambda item: item[:3])  # stable: as read, at one place
    return [issue for *_, issue in placed]


def in_one_order(
    groups: Iterable[Sequence[Issue]],
    *,
    streamed: bool,
    firsts: Mapping[str, Origin | None] | None = None,
) -> Iterator[Issue]:
    """Yield the load errors of files read one after another, as one process.

    *groups* holds each file's errors as read (:func:`as_read`). Whole, as
    :func:`outsourcekit.load_all` gives them: every file's own, then each id
    read before, in the order read; *streamed*, as
    :func:`outsourcekit.iter_load` gives them: as read. An id read a third
    time names the first place, as its second time does (a file tells an id
    it has twice by its own first place, which may have been another's id).
    *firsts* holds the first place of the ids that an engagement that did
    not load has (:attr:`Unique.named`), which may come before every error
    of the id: each of those names it.
    """
    named: dict[object, str] = {}
    places = IdPlaces()
    twice: list[Issue] = []
    for group in groups:
        for issue in group:
            if not is_duplicate_id_issue(issue):
                yield issue
                continue
            eid = issue.value
            there = firsts.get(eid) if firsts and eid not in named else None
            if there is not None:  # None: not a file's (a dict's), or not known
                named[eid] = _duplicate(eid, None, there, places).message
            first = named.setdefault(eid, issue.message)
            again = (
                issue if first == issue.message else attrs.evolve(issue, message=first)
            )
            if streamed:
                yield again
            else:
                twice.append(again)
    yield from twice


def _exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def _work(setup: _Setup, pipe: connection.Connection) -> None:
    """Check the files the parent sends, a chunk at a time, until it sends None.

    Plugins' failures go to the parent with each file checked, which reports
    them; they are not printed here as warnings too.
    """
    warnings.filterwarnings("ignore", category=plugins.OutsourcekitPluginWarning)
    # Ctrl-C is the command's to handle: it ends the workers itself, so that
    # no worker prints a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sender = _Sender(pipe)
    with rare_full_collections():
        _serve(setup, pipe, sender)
    sender.close()  # not after an exception: the parent may no longer read


class _Sender:
    """Sends a worker's messages to the parent from a thread of its own.

    The parent reads a part when its turn comes, after writing out the parts
    before it; a worker that sent its parts itself would wait for that, idle.
    Messages are pickled as they are given and sent in that order; at most
    :data:`QUEUED` wait, beyond which :meth:`send` waits too (memory stays
    bounded). Once a send fails (the parent is gone), :meth:`send` raises
    ``OSError``.
    """

    def __init__(self, pipe: connection.Connection) -> None:
        self.pipe = pipe
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED)
        self.failed: OSError | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def send(
        self,
        message: tuple[Any, ...],
        repair: Callable[[tuple[Any, ...]], tuple[Any, ...]] | None = None,
    ) -> None:
        """Send *message* once those before it are sent.

        If *message* cannot be pickled, *repair* (if given) returns what to
        send instead.
        """
        if self.failed is not None:
            raise self.failed
        # As bytes of their own: a view of the pickler's buffer must not
        # outlive it (Python 3.13 refuses to free a buffer still viewed).
        try:
            data = bytes(_ForkingPickler.dumps(message))
        except Exception:
            if repair is None:
                raise
            data = bytes(_ForkingPickler.dumps(repair(message)))
        self.queue.put(data)

    def close(self) -> None:
        """Send what waits, then stop the thread."""
        self.queue.put(None)
        self.thread.join()

    def _run(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.failed is None:
                try:
                    self.pipe.send_bytes(data)
                except OSError as exc:
                    # Without its traceback, which holds this frame and so
                    # this sender in a cycle.
                    self.failed = exc.with_traceback(None)


def _serve(setup: _Setup, pipe: connection.Connection, sender: _Sender) -> None:
    """Answer the parent's tasks until it sends None (see :func:`_work`)."""
    rules = plugins.get_rules()
    loaded = plugins.plugin_errors()
    sender.send(("ready", None, (loaded, tuple(r.code for r in rules))))
    while True:
        try:
            task = pipe.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        try:
            count, issues, places, bad = _check_task(setup, task, rules, sender)
        except KeyboardInterrupt:  # not Ctrl-C, which is ignored: code raised it
            sender.send(("interrupted", task.index))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            sender.send(("failed", task.index, text))
        else:
            # The failures to load went with "ready"; these came since.
            failures = plugins.plugin_errors()[len(loaded) :]
            sender.send(("done", task.index, count, issues, places, failures, bad))


def _check_task(
    setup: _Setup,
    task: _Task,
    rules: Sequence[engine.Rule],
    sender: _Sender,
) -> tuple[int, tuple[Issue, ...], tuple[int, ...], tuple[Unloaded, ...]]:
    """Check one file chunk by chunk, sending each part.

    Return how many chunks, the file's load errors, where each was read
    (see :class:`Placed`), and the engagements that did not load after its
    last part. Those read with a part go with it: the parent judges their ids.
    """
    count = 0
    engagements, issues, unloaded = _read(task, setup.config)
    placed = Placed(engagements, issues)
    for chunk in _chunks(iter(placed), setup.chunk_size):
        part = engine.check_part(
            chunk, rules=rules, as_of=setup.as_of, config=setup.config
        )
        if setup.lines:
            part = _located(part, chunk)
        titles = {e.id: e.title for e in chunk} if setup.titles else {}
        read = tuple(unloaded)
        unloaded.clear()
        sender.send(("part", task.index, count, part, titles, read), _sendable)
        count += 1
    found = tuple(issues())
    return count, found, placed.placing(len(found)), tuple(unloaded)


class Placed:
    """Gives a file's engagements, noting where each of its load errors is read.

    The place of an error is the number of engagements given before it: one
    process reading every file puts an id another file had before there.
    """

    def __init__(
        self,
        engagements: Iterator[Engagement],
        issues: Callable[[], Sequence[Issue]],
    ) -> None:
        self.engagements = engagements
        self.issues = issues
        #: The place of each load error found so far.
        self.places: list[int] = []
        #: How many engagements were given so far.
        self.count = 0

    def __iter__(self) -> Iterator[Engagement]:
        """Yield the engagements, placing the errors found before each."""
        for engagement in self.engagements:
            self._place()
            self.count += 1
            yield engagement
        self._place()

    def placing(self, found: int) -> tuple[int, ...]:
        """Return the places of the first *found* errors (the later ones: last)."""
        self._place()
        return tuple(self.places[:found]) + (self.count,) * (found - len(self.places))

    def _place(self) -> None:
        found = len(self.issues())
        self.places.extend([self.count] * (found - len(self.places)))


def _sendable(message: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return a part's message without the facts and evidence that do not pickle."""
    kind, index, chunk, part, titles, unloaded = message
    return (kind, index, chunk, sendable(part), titles, unloaded)


def _read(
    task: _Task, config: Config | None
) -> tuple[Iterator[Engagement], Callable[[], Sequence[Issue]], list[Unloaded]]:
    """Return the engagements of a task as read, and its load errors once read.

    The file (or the part of it) is streamed, a JSON Lines file a line at a
    time, with the configuration's ``import-root``. Last comes the list the
    engagements that do not load are added to as they are read, for the
    parent to judge their ids (see :func:`outsourcekit.io.record_unloaded`).
    """
    root = None if config is None else config.import_root
    stream = iter_load([Path(task.path)], import_root=root, part=task.part)
    unloaded = record_unloaded(stream)
    return iter(stream), lambda: stream.issues, unloaded


def _chunks(engagements: Iterator[Engagement], size: int) -> Iterator[list[Engagement]]:
    while chunk := list(itertools.islice(engagements, size)):
        yield chunk


def _located(part: Part, chunk: Sequence[engine.Engagement]) -> Part:
    """Return *part* with the lines of its findings (waiting ones too)."""
    batch = [*part.findings, *(f for f, _ in part.pending)]
    if not batch:
        return part
    locate_lines(batch, chunk)
    return part
