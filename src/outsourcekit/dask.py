"""Checking portfolios on a Dask cluster (extra ``dask``).

:func:`check` takes a ``dask.bag`` of file paths or of engagement dicts, or a
``dask.dataframe`` of rows (one engagement a row, read as the tabular importer
reads them: :func:`outsourcekit.builtin.importers.tabular.from_records`). Each
partition is read and checked where it lives, on a worker, as one part of the
portfolio (:func:`outsourcekit.engine.check_part`); only the parts (findings,
verdicts and the portfolio rules' facts) travel back, and the portfolio rules
decide once all are in. The report is the one a single process gives, portfolio
rules included. A partition that cannot be checked (its worker dies, or the
check raises there) is named among the load errors (``not checked: ...``, as
with ``--jobs``), and every other one is checked (with Dask's local
schedulers, no ``distributed`` client, a process that dies stops the check).

Dask runs on its default scheduler: a ``distributed.Client`` made before the
call (``Client("tcp://scheduler:8786")``, or ``Client(LocalCluster())``) sends
the work to that cluster. Workers need outsourcekit (and the plugins whose
rules run) installed, and paths in a bag must be readable by the workers.
"""

from __future__ import annotations

import bisect
import datetime as dt  # noqa: TC003 - evaluated by the API docs
import functools
import importlib
import itertools
import os
import pickle
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from . import engine, plugins
from ._api import (
    ReadySink,
    from_dict,
    iter_load,
    locate_lines,
    ready,
)
from ._gc import rare_full_collections
from ._jobs import NotChecked, Placed, Unique, Unloaded, as_read, in_one_order
from ._shorten import raised_text
from .config import with_waivers
from .engine import (
    CHUNK_SIZE,
    Config,
    Issue,
    Part,
    PluginError,
    Report,
    ReportSink,
    Rule,
)
from .engine._check import _as_of, _explicit, plan_of
from .engine._errors import kind_of, shown
from .engine._split import require_chunk_size, sendable
from .io import (
    IdPlaces,
    LoadError,
    LoadIssue,
    _readable_id,
    duplicate_id_issue,
    record_unloaded,
)
from .model import Engagement, Origin

__all__ = ["check"]

_MISSING_EXTRA = (
    "outsourcekit.dask needs Dask: pip install 'outsourcekit[dask]' "
    "(dask[bag,dataframe] and distributed)"
)


def _dask() -> Any:
    """Import and return :mod:`dask`, or raise ImportError naming the extra."""
    try:
        import dask  # noqa: PLC0415 - heavy, and optional
        import dask.bag  # noqa: PLC0415
    except ImportError as exc:
        raise ImportError(_MISSING_EXTRA) from exc
    return dask


@attrs.frozen(kw_only=True)
class _Setup:
    """What every partition is checked with (sent to the workers)."""

    rules: tuple[Rule, ...]
    as_of: dt.date
    config: Config | None
    chunk_size: int
    mapping: Mapping[str, str | None] | None = None
    defaults: Mapping[str, Any] | None = None
    source: str | None = None


def check(  # noqa: PLR0913
    collection: Any,
    *,
    as_of: dt.date | str | None = None,
    config: Config | None = None,
    rules: Iterable[Rule] | None = None,
    sink: ReportSink | None = None,
    mapping: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, Any] | None = None,
    source: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Report:
    """Check the engagements of a Dask collection on Dask's scheduler.

    *collection* is a ``dask.bag.Bag`` whose items are file or folder paths
    (read by the workers, as ``outsourcekit.iter_load`` reads them) or
    engagement dicts (as :func:`outsourcekit.from_dict` takes them), or a
    ``dask.dataframe.DataFrame`` whose rows are engagements in the tabular
    importer's columns (*mapping*, *defaults* and *source* are passed to
    ``from_records``; they are for a dataframe only).

    The report equals :func:`outsourcekit.check` over the same engagements:
    findings (with their lines), scores, summary and load errors, however the
    collection is partitioned. A load error names where it is: a file's, its
    file and line; a dict's, its partition and its place there (``partition 0,
    item 3 (id `acme`), status``; an item neither a path nor a dict is one
    too); a row's, its partition and its row there
    (``partition 2, row 5, column start``). An id that a dict or a row which
    did not load shares with another (before or after it, in any partition)
    is a duplicate too, naming both places, as ``load_all`` tells a file's.
    A row with an id an earlier row has is told alike whether both are in one
    partition or not (``partition 1, row 2 (id `a`), id: duplicate id `a`:
    ids must be unique, it is also at partition 0, row 1 (id `a`)``), after
    every row's own errors, as ``load_all`` tells ids read again.
    A problem with a dataframe's columns is told once. *as_of*, *config* and
    *rules* are as there; the rules (default: the registered ones) are sent
    to the workers. With a *sink* (see
    :class:`~outsourcekit.engine.ReportSink`) findings go to it partition
    after partition as they come back, and the report holds none.
    Each partition is checked *chunk_size* engagements at a time, as by
    :func:`outsourcekit.check_stream`.

    A partition that cannot be checked (its worker dies each time the
    scheduler tries it, and once more alone: killed, out of memory, a crash;
    or checking it raises, a ``KeyboardInterrupt`` raised by a rule included)
    is not in the report: a load error (:class:`~outsourcekit.LoadIssue`,
    its message starting ``not checked:`` as with ``--jobs``) names each of its
    items (a path, ``partition 1, item 2 (id `acme`)``, or a dataframe's
    ``partition 3, rows 1 to 500``) and why, in the partition's place among
    the load errors. Every other partition is checked, and the portfolio rules
    decide from those.

    The check waits on the cluster as ``dask.compute`` does, with no bound of
    its own: a partition may take as long as checking it takes. A cluster
    left with no worker (each stopped, none restarted) is waited on until
    one joins, unless Dask's ``distributed.scheduler.no-workers-timeout`` is
    set on the scheduler: a partition waiting that long is then not checked,
    a load error saying so (``NoWorkerError``), and the check ends.

    Every argument is checked before anything runs on the cluster. Raise
    ImportError when Dask is not installed; TypeError for a collection of
    another kind, and as :func:`outsourcekit.check` and
    :func:`outsourcekit.check_stream` do for an *as_of* that is no date, a
    *config* that is no :class:`~outsourcekit.Config`, *rules* that are no
    rules, a *sink* without the methods of a sink or a *chunk_size* that is no
    whole number; ValueError for an *as_of* outside the dates outsourcekit
    reads or a *chunk_size* below 1; :class:`~outsourcekit.ConfigError` for a
    bad configuration; TypeError or ValueError as ``from_records`` for a bad
    *mapping* or *defaults*, TypeError for a *source* that is no text, and
    TypeError for *mapping*, *defaults* or *source* given with a bag.
    """
    dask = _dask()
    if config is not None:
        config = with_waivers(config)
    ready_sink = None if sink is None else ReadySink(sink)
    require_chunk_size(chunk_size)
    day = _as_of(as_of)
    chosen = _explicit(plugins.get_rules() if rules is None else rules)
    plan_of(config, chosen)  # a bad configuration fails here, before any work
    _check_options(dask, collection, mapping=mapping, defaults=defaults, source=source)
    setup = _Setup(
        rules=chosen,
        as_of=day,
        config=config,
        chunk_size=chunk_size,
        mapping=None if mapping is None else dict(mapping),
        defaults=None if defaults is None else dict(defaults),
        source=source,
    )
    _require_sendable(dask, setup)
    tasks = _tasks(dask, collection, setup)
    rows = not _is_bag(dask, collection)
    gathered = _Gathered(source if rows else None)
    results = _named(
        dask,
        [partition for _, partition, _ in tasks],
        _computed(dask, tasks),
        rows=rows,
    )
    report = engine.combine(
        gathered.parts(results),
        rules=chosen,
        config=config,
        as_of=day,
        errors=gathered.errors(),
        sink=ready_sink,
        locate=_remote_locate(dask),
    )
    if ready_sink is not None and ready_sink.report is not None:
        return ready_sink.report
    return ready(report)


def _require_sendable(dask: Any, setup: _Setup) -> None:
    """Raise TypeError naming a rule that cannot be sent to the workers.

    Only where the scheduler sends the work to other processes (a
    ``distributed`` client, Dask's process scheduler), and so before any of
    it runs; a rule that fails there would otherwise stop the whole check
    with the pickler's error, naming no rule.
    """
    if _client() is None and dask.config.get("scheduler", None) not in {
        "processes",
        "multiprocessing",
    }:
        return
    dumps = importlib.import_module("cloudpickle").dumps
    if _pickle_error(dumps, setup) is None:
        return
    for rule in setup.rules:
        exc = _pickle_error(dumps, rule)
        if exc is not None:
            msg = (
                f"rule {rule.code} cannot be sent to the Dask workers: "
                f"{raised_text(exc)}; a rule checked on a "
                "cluster must pickle (its function and what that refers to)"
            )
            raise TypeError(msg)


def _pickle_error(dumps: Callable[[object], bytes], value: object) -> Exception | None:
    """Return the error of pickling *value* with *dumps*, None if it pickles."""
    try:
        dumps(value)
    except Exception as exc:  # noqa: BLE001 - any failure of the pickler
        return exc
    return None


def _is_bag(dask: Any, collection: Any) -> bool:
    """Whether *collection* is a bag (else a dataframe); TypeError for neither."""
    if isinstance(collection, dask.bag.Bag):
        return True
    try:
        import dask.dataframe as dd  # noqa: PLC0415 - heavy, and optional
    except ImportError as exc:
        raise ImportError(_MISSING_EXTRA) from exc
    if isinstance(collection, dd.DataFrame):
        return False
    msg = (
        "outsourcekit.dask.check() takes a dask.bag.Bag (of paths or engagement "
        "dicts) or a dask.dataframe.DataFrame of rows "
        f"(got {kind_of(collection)})"
    )
    raise TypeError(msg)


def _check_options(
    dask: Any,
    collection: Any,
    *,
    mapping: object,
    defaults: object,
    source: object,
) -> None:
    """Raise what ``from_records`` would for the options of a dataframe's rows.

    A bag takes none of them; a dataframe's columns are read with *mapping* as
    its rows will be, so that a target that names no place fails here.
    """
    from .builtin.importers.tabular import _check_defaults, _plan  # noqa: PLC0415

    if _is_bag(dask, collection):
        given = {"mapping": mapping, "defaults": defaults, "source": source}
        name = next((n for n, v in given.items() if v is not None), None)
        if name is not None:
            msg = (
                f"{name} is for the rows of a dask.dataframe.DataFrame: a bag's "
                "items are read as they are"
            )
            raise TypeError(msg)
        return
    if source is not None and not isinstance(source, str):
        msg = (
            "source: expected text naming where the rows come from, such as "
            f"'crm', got {source!r}"
        )
        raise TypeError(msg)
    if mapping is not None and not isinstance(mapping, Mapping):
        msg = (
            "mapping: expected a mapping of column to target, such as "
            f"{{'Engagement ID': 'id'}}, got {mapping!r}"
        )
        raise TypeError(msg)
    _check_defaults(defaults)
    _plan(list(collection.columns), mapping)


#: A partition's delayed check, the partition, and what makes the same check
#: under another key (to try it again).
_Task = tuple[Any, Any, Callable[[], Any]]


def _tasks(dask: Any, collection: Any, setup: _Setup) -> list[_Task]:
    """Return the delayed check of each partition of *collection* (see _Task)."""
    delayed = dask.delayed
    # One node of the graph holds the setup (the rules among it): it is
    # tokenized and sent once, not with every partition.
    shared = delayed(setup, pure=True)
    rows = not _is_bag(dask, collection)
    checking = delayed(_check, pure=True)
    tasks: list[_Task] = []
    for index, partition in enumerate(collection.to_delayed()):
        check = checking(partition, shared, index, rows)
        again = functools.partial(
            checking,
            partition,
            shared,
            index,
            rows,
            dask_key_name=f"{check.key}-again",
        )
        tasks.append((check, partition, again))
    return tasks


@attrs.frozen(kw_only=True)
class _Result:
    """What one partition gives back (from a worker)."""

    #: The partition's number, from 0.
    index: int
    parts: list[Part]
    #: Its load errors, each naming where it is (a row or item: its partition).
    issues: list[Issue]
    #: Where each load error was read: after how many of the partition's
    #: engagements (none: at its start).
    places: tuple[int, ...] = ()
    #: A dataframe's problems with its columns, alike in every partition.
    header: list[Issue] = attrs.field(factory=list)
    #: The place in the partition (from 1) of each engagement read from a
    #: dict or a dataframe's row, by id: to name both places of an id a later
    #: partition has too.
    items: dict[str, int] = attrs.field(factory=dict)
    #: Whether the places of :attr:`items` are a dataframe's rows.
    rows: bool = False
    #: Where each engagement of the parts, in order, and each load error was
    #: read (see :class:`_Files`).
    files: tuple[_From, ...] = ()
    issue_files: tuple[_From, ...] = ()
    #: The engagements that did not load but have an id, placed among the
    #: partition's engagements and load errors, and where each was read: the
    #: parts are combined judging their ids (see ``Unique``).
    unloaded: tuple[Unloaded, ...] = ()
    unloaded_files: tuple[_From, ...] = ()
    #: The place in the partition (from 1) of the dict each of
    #: :attr:`unloaded` was read from (None: a file's engagement, or a row's,
    #: whose origin names its row).
    unloaded_items: tuple[int | None, ...] = ()
    #: Why the partition could not be checked (None: it was); it has no parts.
    failed: str | None = None
    #: The plugins' failures while it was read and checked (a hook's, an
    #: importer's): recorded where the report is made, as in one process.
    plugin_errors: tuple[PluginError, ...] = ()


class _Gathered:
    """The partitions' results, as they come: their parts, then their load errors.

    An id an earlier partition has is dropped and reported (as
    :class:`~outsourcekit._jobs.Unique` does), naming the partition and item
    of an engagement read from a dict; so is an id a dict or a row that did
    not load has, before or after the one that did, in any partition. A
    problem with a dataframe's columns is told once. The load errors come as
    :func:`outsourcekit.load_all` gives them, however the collection is
    partitioned: every partition's own, then each id read again, in the
    order read. *source* names where a dataframe's rows come from.
    """

    def __init__(self, source: str | None = None) -> None:
        self.source = source
        self.unique = Unique()
        self.told: set[str] = set()
        #: The files read so far (their real paths): read again, dropped.
        self.files: set[str] = set()
        #: The partition and item (or row) of each id first read, loaded or
        #: not, from a dict (or a row); an id first read from a file is not in.
        self.firsts: dict[str, tuple[int, int]] = {}
        #: Each partition's load errors: its columns', then its own as read
        #: (and where each was read), and the ids it has after an earlier
        #: partition (and their places), and the ids its engagements that did
        #: not load tell (see ``Unique``).
        self.partitions: list[
            tuple[
                list[Issue],
                list[Issue],
                tuple[int, ...],
                list[tuple[int, Issue]],
                list[tuple[int, int | None, Issue]],
            ]
        ] = []

    def parts(self, results: Iterable[_Result]) -> Iterator[Part]:
        """Yield the parts of *results*, keeping their load errors."""
        for result in results:
            for failure in result.plugin_errors:
                plugins.record_error(failure.plugin, failure.message)
            header = []
            for issue in result.header:
                key = repr(issue.to_dict())
                if key not in self.told:
                    self.told.add(key)
                    header.append(issue)
            drop, issues, places, unloaded, numbers = self._read_again(result)
            again: list[tuple[int, Issue]] = []
            told: list[tuple[int, int | None, Issue]] = []
            self.partitions.append((header, issues, places, again, told))
            items = {
                (place, after): number
                for (place, after, _), number in zip(unloaded, numbers, strict=True)
                if number is not None
            }
            read = 0
            given = 0
            for part in result.parts:
                if drop:
                    ids = [
                        eid
                        for at, (eid, _, _) in enumerate(part.entries, start=given)
                        if at in drop
                    ]
                    given += len(part)
                    part = part.without(ids)  # noqa: PLW2901 - the part kept
                end = bisect.bisect_left(
                    [at for at, _, _ in unloaded], read + len(part)
                )
                yield self._unique(
                    part, result, (again, told), read, (unloaded[:end], items)
                )
                unloaded = unloaded[end:]
                read += len(part)
            if unloaded:
                self._note_firsts(result, [], read, (unloaded, items))
                early = len(self.unique.told)
                for bad in unloaded:
                    self.unique.unloaded(bad)
                told.extend(self._named(early, result, items))

    def _read_again(
        self, result: _Result
    ) -> tuple[
        set[int], list[Issue], tuple[int, ...], list[Unloaded], list[int | None]
    ]:
        """Return what of *result* was read from files read before, and the rest.

        A file an earlier partition, or an earlier item of this one, read is
        read once by one process: the places (among the partition's
        engagements) of those of its engagements to drop, and the load
        errors without its own, each with its place among the engagements
        kept; last, its engagements that did not load, placed among those
        kept, and the dict or row each was read from (None: a file).
        """
        unloaded = list(result.unloaded)
        numbers = list(result.unloaded_items)
        tags = {t for t in (*result.files, *result.issue_files) if t is not None}
        if not tags:
            return set(), result.issues, result.places, unloaded, numbers
        first: dict[str, int] = {}
        for number, real in sorted(tags):
            first.setdefault(real, number)
        again = {
            (number, real)
            for number, real in tags
            if real in self.files or first[real] < number
        }
        self.files.update(first)
        if not again:
            return set(), result.issues, result.places, unloaded, numbers
        drop = {at for at, tag in enumerate(result.files) if tag in again}
        dropped = sorted(drop)
        gone = [at for at, tag in enumerate(result.issue_files) if tag in again]
        kept_unloaded = [
            (
                (
                    place - bisect.bisect_left(dropped, place),
                    after - bisect.bisect_left(gone, after),
                    bad,
                ),
                number,
            )
            for (place, after, bad), tag, number in zip(
                result.unloaded, result.unloaded_files, numbers, strict=True
            )
            if tag not in again
        ]
        places = [*result.places, *[0] * (len(result.issues) - len(result.places))]
        kept = [
            (issue, place - bisect.bisect_left(dropped, place))
            for issue, place, tag in zip(
                result.issues, places, result.issue_files, strict=True
            )
            if tag not in again
        ]
        return (
            drop,
            [i for i, _ in kept],
            tuple(p for _, p in kept),
            [u for u, _ in kept_unloaded],
            [n for _, n in kept_unloaded],
        )

    def _unique(
        self,
        part: Part,
        result: _Result,
        errors: tuple[list[tuple[int, Issue]], list[tuple[int, int | None, Issue]]],
        read: int,
        unloaded: tuple[Sequence[Unloaded], Mapping[tuple[int, int], int]],
    ) -> Part:
        """Return *part* without the ids read before, adding their errors to *errors*.

        *read* is how many engagements of the partition came before the part;
        *unloaded*, the engagements that did not load read with it, and the
        dict or row of those read from one (by their places). The errors of
        ids read before go to the first of *errors*, those these tell to the
        second (see ``Unique``).
        """
        again, lined = errors
        bad, items = unloaded
        unique = self.unique
        told = len(unique.issues)
        early = len(unique.told)
        self._note_firsts(result, part.ids, read, unloaded)
        kept = unique(part, bad, read)
        lined.extend(self._named(early, result, items))
        for at in range(told, len(unique.issues)):
            issue = unique.issues[at]
            eid = getattr(issue, "value", None)
            if isinstance(eid, str):
                number = result.items.get(eid)
                here = None if number is None else (result.index, number)
                issue = _named_duplicate(
                    issue, eid, here, self.firsts.get(eid), _noun(result)
                )
            again.append((read + unique.places[at], issue))
        return kept

    def _note_firsts(
        self,
        result: _Result,
        ids: Sequence[str],
        read: int,
        unloaded: tuple[Sequence[Unloaded], Mapping[tuple[int, int], int]],
    ) -> None:
        """Note the dicts and rows where ids of a part and its *unloaded* are first.

        *ids* are the part's, of which *read* of the partition came before;
        taken in the order read, each engagement that did not load before
        the engagement at its place, as ``Unique`` takes them. An id read
        before (from a file too) is not noted again.
        """
        bad, items = unloaded
        if not result.rows and not result.items and not items:  # a file's only
            return
        read_in_order: Iterable[tuple[str, int | None]] = (
            (eid, result.items.get(eid)) for eid in ids
        )
        if bad:
            read_in_order = [
                (eid, number)
                for *_, eid, number in sorted(
                    [
                        (
                            place,
                            0,
                            at,
                            engagement.id,
                            _number(engagement.origin, place, after, items),
                        )
                        for at, (place, after, engagement) in enumerate(bad)
                    ]
                    + [
                        (read + at, 1, at, eid, result.items.get(eid))
                        for at, eid in enumerate(ids)
                    ]
                )
            ]
        unique = self.unique
        seen: set[str] = set()
        for eid, number in read_in_order:
            if eid in seen or eid in unique.first or eid in unique.named:
                continue
            seen.add(eid)
            if number is not None:
                self.firsts[eid] = (result.index, number)

    def _named(
        self,
        early: int,
        result: _Result,
        items: Mapping[tuple[int, int], int],
    ) -> Iterator[tuple[int, int | None, Issue]]:
        """Return the errors engagements that did not load tell, naming dicts.

        Those are the ones told from the *early*-th on. An engagement of a
        dict or row (one that loaded after one that did not, or one that did
        not load: *items* holds the dict of those, by their places; a row's
        origin names its row) is named by its partition and item (or row);
        an id first read from a dict or row, by that one's.
        """
        unique = self.unique
        for (place, after, issue), origin in zip(
            unique.told[early:], unique.told_from[early:], strict=True
        ):
            eid = getattr(issue, "value", None)
            if isinstance(eid, str):
                number = (
                    result.items.get(eid)
                    if after is None
                    else _number(origin, place, after, items)
                )
                here = None if number is None else (result.index, number)
                if (
                    here is not None
                    and after is not None
                    and isinstance(issue, LoadIssue)
                ):
                    # Its own errors name where it came from; this one too.
                    issue = attrs.evolve(issue, source=self.source)  # noqa: PLW2901
                issue = _named_duplicate(  # noqa: PLW2901
                    issue, eid, here, self.firsts.get(eid), _noun(result)
                )
            yield place, after, issue

    def errors(self) -> Iterator[Issue]:
        """Yield the load errors in the order of one process (once all are in)."""
        # Taken once all are in: an id first read from a dict or a row is
        # named by its place, as its errors name it already, not by a file's.
        firsts = {
            eid: origin
            for eid, origin in self.unique.named.items()
            if eid not in self.firsts
        }
        yield from in_one_order(
            (
                [*header, *as_read(issues, places, again, told)]
                for header, issues, places, again, told in self.partitions
            ),
            streamed=False,
            firsts=firsts,
        )


def _number(
    origin: Origin | None,
    place: int,
    after: int,
    items: Mapping[tuple[int, int], int],
) -> int | None:
    """Return the dict or row of an engagement that did not load (None: a file's).

    A row's *origin* names it; a dict's is in *items*, by its *place* among
    the partition's engagements and *after* its load errors.
    """
    if origin is not None and origin.row is not None:
        return origin.row
    return items.get((place, after))


def _computed(dask: Any, tasks: Sequence[_Task]) -> Iterator[_Result]:
    """Yield the result of every partition in order, a few partitions ahead.

    On a distributed cluster, twice as many partitions as it has worker
    threads are in flight, a new one sent as each is taken, so that workers
    stay busy while the parts are combined; on Dask's local schedulers, that
    many are computed at a time. A partition that could not be checked comes
    as a result that says why (:attr:`_Result.failed`).
    """
    client = _client()
    return _local(dask, tasks) if client is None else _remote(client, tasks)


def _client() -> Any:
    """Return the current ``distributed`` client, or None."""
    try:
        from distributed import get_client  # noqa: PLC0415 - optional

        return get_client()
    except (ImportError, ValueError):
        return None


def _local(dask: Any, tasks: Sequence[_Task]) -> Iterator[_Result]:
    ahead = 2 * max(1, int(dask.config.get("num_workers", None) or os.cpu_count() or 1))
    for first in range(0, len(tasks), ahead):
        yield from dask.compute(
            *[check for check, _, _ in tasks[first : first + ahead]]
        )


def _remote(client: Any, tasks: Sequence[_Task]) -> Iterator[_Result]:
    """Yield the result of every partition, in order (see :func:`_computed`).

    A partition whose workers died (``KilledWorker``, after the scheduler
    tried it on ``distributed.scheduler.allowed-failures`` more) may only
    have been waiting on the workers another partition stopped: it is tried
    once more, alone, once the others in flight are done.
    """
    from distributed import KilledWorker, wait  # noqa: PLC0415 - optional

    threads: dict[str, int] = client.nthreads()
    ahead = 2 * max(1, sum(threads.values()))
    waiting = iter(enumerate(tasks))
    flying = deque(
        (index, client.compute(task[0]))
        for index, task in itertools.islice(waiting, ahead)
    )
    try:
        while flying:
            index, future = flying.popleft()
            failure = future.exception()
            if isinstance(failure, KilledWorker):
                wait([f for _, f in flying])  # type: ignore[no-untyped-call]
                # Forgotten first, and what it was made from with it, so that
                # the check again reads the partition afresh.
                client.cancel([future])
                future = client.compute(tasks[index][2]())
                failure = future.exception()
            result: _Result = (
                future.result()  # raises if it was cancelled
                if failure is None
                else _Result(index=index, parts=[], issues=[], failed=_why(failure))
            )
            future.release()
            following = next(waiting, None)
            if following is not None:
                flying.append((following[0], client.compute(following[1][0])))
            yield result
    finally:
        if flying:  # stopped (Ctrl-C, a sink that raised): the rest is not wanted
            client.cancel([f for _, f in flying])


def _why(failure: BaseException) -> str:
    """Say why a partition could not be checked: *failure* stopped it."""
    if type(failure).__name__ == "KilledWorker":
        return "its Dask worker died on each try (KilledWorker; see the workers' logs)"
    text = "".join(traceback.format_exception_only(type(failure), failure)).strip()
    return f"checking it failed: {text}"


#: How many times the items of a partition not checked are asked for.
_NAMING_TRIES = 3


def _named(
    dask: Any, partitions: Sequence[Any], results: Iterable[_Result], *, rows: bool
) -> Iterator[_Result]:
    """Yield *results*, those of partitions not checked naming their items.

    The items of a partition not checked (a dataframe's *rows*, or a bag's)
    are named on the cluster (only the names come back); when that fails
    too, the partition alone is named.
    """
    for result in results:
        if result.failed is None:
            yield result
            continue
        index = result.index
        task = dask.delayed(_names, pure=True)(partitions[index], index, rows)
        names: list[tuple[str | None, str]] = [(None, f"partition {index}")]
        # A cluster that just lost a worker may fail a task while it starts
        # another: tried again before the partition is named alone.
        for _ in range(_NAMING_TRIES):
            try:
                names = dask.compute(task)[0]
            except Exception:  # noqa: BLE001, S112 - its items cannot be read
                continue
            break
        message = f"not checked: {result.failed}"
        issues: list[Issue] = [
            NotChecked(
                source=source, line=None, column=None, path=path, message=message
            )
            for source, path in names
        ]
        yield attrs.evolve(result, issues=issues)


def _remote_locate(
    dask: Any,
) -> Callable[
    [Sequence[engine.Finding], Sequence[Engagement]], Sequence[engine.Finding]
]:
    """Return a locate that finds the lines on the cluster, where the files are."""

    def locate(
        findings: Sequence[engine.Finding], engagements: Sequence[Engagement]
    ) -> Sequence[engine.Finding]:
        task = dask.delayed(_locate_there, pure=True)(list(findings), list(engagements))
        located: Sequence[engine.Finding] = dask.compute(task)[0]
        return located

    return locate


def _locate_there(
    findings: list[engine.Finding], engagements: list[Engagement]
) -> list[engine.Finding]:
    """Find the lines of *findings* (run on a worker)."""
    return list(locate_lines(findings, engagements))


# -- on the workers ----------------------------------------------------------------


def _check(partition: Any, setup: _Setup, index: int, rows: bool) -> _Result:
    """Read and check partition *index*: a dataframe's *rows*, or a bag's items.

    What stops the check (an exception, ``KeyboardInterrupt`` or
    ``SystemExit`` raised by a rule or a plugin) makes a result that says so,
    instead of failing the whole check or stopping the worker. In the main
    thread (Dask's synchronous scheduler) a ``KeyboardInterrupt`` may be the
    user's Ctrl-C: it stops the check, as in one process.
    """
    with plugins.collecting_errors() as failures:
        try:
            if rows:
                result = _check_rows(partition, setup, index)
            else:
                result = _check_items(partition, setup, index)
        except KeyboardInterrupt as exc:
            if threading.current_thread() is threading.main_thread():
                raise
            result = _Result(index=index, parts=[], issues=[], failed=_why(exc))
        except BaseException as exc:  # noqa: BLE001 - the partition's failure is data
            result = _Result(index=index, parts=[], issues=[], failed=_why(exc))
    if failures:
        result = attrs.evolve(result, plugin_errors=tuple(failures))
    return result


def _names(partition: Any, index: int, rows: bool) -> list[tuple[str | None, str]]:
    """Name the items of partition *index*: the source and path of each.

    A path is named by itself; a dict, an engagement or another item by its
    partition and place (and its id); a dataframe's rows at once, by their
    partition and numbers.
    """
    if rows:
        count = len(partition)
        if not count:
            return []
        numbers = "row 1" if count == 1 else f"rows 1 to {count}"
        return [(None, f"partition {index}, {numbers}")]
    names: list[tuple[str | None, str]] = []
    for number, item in enumerate(partition, start=1):
        if isinstance(item, (str, os.PathLike)):
            names.append((os.fspath(item), ""))
            continue
        eid: object = None
        if isinstance(item, Engagement):
            eid = item.id
        elif isinstance(item, Mapping):
            try:
                eid = item.get("id")
            except Exception:  # noqa: BLE001 - named without its id
                eid = None
        names.append((None, _item_place(index, number, eid)))
    return names


def _check_items(items: Iterable[object], setup: _Setup, index: int) -> _Result:
    """Read and check partition *index* of a bag: paths or engagement dicts."""
    issues: list[Issue] = []
    places: dict[str, int] = {}
    files = _Files()
    read = Placed(_items(items, index, issues, places, files), lambda: issues)
    parts = _parts(iter(read), setup)
    return _Result(
        index=index,
        parts=parts,
        issues=issues,
        places=read.placing(len(issues)),
        items=places,
        files=tuple(files.engagements),
        issue_files=files.of_issues(issues),
        unloaded=tuple(files.not_loaded),
        unloaded_files=tuple(files.not_loaded_files),
        unloaded_items=tuple(files.not_loaded_items),
    )


#: Where an engagement or a load error of a bag was read: the number of its
#: item in the partition (from 1) and its file's real path; None for those of
#: dicts, and for errors of no file read (a path that names none).
_From = tuple[int, str] | None


class _Files:
    """Notes the file each engagement and load error of a partition came from.

    A file named twice (by two paths of the bag, or a path and its folder)
    is read once by :func:`outsourcekit.iter_load`; partitions each read
    their own items, so the second reading is dropped where the partitions
    are combined (:class:`_Gathered`). What did not load but has an id, a
    file's engagement or a dict, is noted too, for its id to be judged there.
    """

    def __init__(self) -> None:
        #: Where each engagement given was read, in order.
        self.engagements: list[_From] = []
        #: Where each load error was read, by its place among the errors.
        self.issues: dict[int, _From] = {}
        #: Each place made, made once: one object for the engagements of a
        #: file, which pickles once.
        self.made: dict[tuple[int, str], tuple[int, str]] = {}
        #: The engagements that did not load but have an id, placed among the
        #: partition's engagements and load errors, and where each was read.
        self.not_loaded: list[Unloaded] = []
        self.not_loaded_files: list[_From] = []
        #: The item of each of :attr:`not_loaded` read from a dict (None: a file's).
        self.not_loaded_items: list[int | None] = []

    def of(self, number: int | None, source: str | None) -> _From:
        """Return where item *number* read *source* (None: no file, or a dict)."""
        if number is None or source is None:
            return None
        made = self.made.get((number, source))
        if made is None:
            made = self.made[number, source] = (number, os.path.realpath(source))
        return made

    def read(self, issues: Sequence[Issue], start: int, number: int | None) -> None:
        """Note where the errors of item *number* from *start* on were read.

        An error without a line names a path that is no file (it is
        reported again, as ``iter_load`` reports it, when named again).
        """
        for at in range(start, len(issues)):
            issue = issues[at]
            if isinstance(issue, LoadIssue) and issue.line is not None:
                self.issues[at] = self.of(number, issue.source)

    def unloaded(self, unloaded: list[Unloaded], shift: int, number: int) -> None:
        """Take what did not load that a stream of item *number* kept, emptying it.

        Their places among the stream's errors are *shift* fewer than among
        the partition's; among its engagements, they come after those given.
        """
        for _, after, bad in unloaded:
            self.not_loaded.append((len(self.engagements), after + shift, bad))
            origin = bad.origin
            source = None if origin is None else origin.source
            self.not_loaded_files.append(self.of(number, source))
            self.not_loaded_items.append(None)
        unloaded.clear()

    def unloaded_dict(self, number: int, eid: str, errors: int) -> None:
        """Note dict *number*, which did not load but has id *eid*.

        It comes after the engagements given so far, and after *errors* load
        errors of the partition (its own included).
        """
        self.not_loaded.append((len(self.engagements), errors, Engagement(id=eid)))
        self.not_loaded_files.append(None)
        self.not_loaded_items.append(number)

    def of_issues(self, issues: Sequence[Issue]) -> tuple[_From, ...]:
        """Return where each of *issues* was read."""
        return tuple(self.issues.get(at) for at in range(len(issues)))


def _items(
    items: Iterable[object],
    index: int,
    issues: list[Issue],
    places: dict[str, int],
    files: _Files,
) -> Iterator[Engagement]:
    """Yield the engagements of a bag's items, in order; collect load errors.

    An id seen before in the partition is a load error, as in one file. The
    place of each engagement given read from a dict goes into *places*;
    the file each engagement and error of a path came from, into *files*.
    """
    first: dict[str, Engagement] = {}
    id_places = IdPlaces()
    for number, engagement, item in _read(items, index, issues, files):
        eid = engagement.id
        seen = first.get(eid)
        if seen is None:
            first[eid] = engagement
            if number is not None:
                places[eid] = number
            origin = engagement.origin
            files.engagements.append(
                files.of(item, None if origin is None else origin.source)
            )
            yield engagement
            continue
        issue = duplicate_id_issue(engagement, seen, id_places)
        here = None if number is None else (index, number)
        there = places.get(eid)
        issues.append(
            _named_duplicate(
                issue, eid, here, None if there is None else (index, there)
            )
        )
        files.read(issues, len(issues) - 1, item)


#: What each item of a bag is expected to be.
_ITEM = "a file path or an engagement dict"


def _read(
    items: Iterable[object], index: int, issues: list[Issue], files: _Files
) -> Iterator[tuple[int | None, Engagement, int | None]]:
    """Yield each engagement of *items*, with the number of its item.

    The number comes first for a dict's, last for a path's. A dict's load
    errors name its partition, its item and its id; an item of another kind
    is a load error naming its partition and place. A file's are added as
    they are read, and noted in *files*.
    """
    for number, item in enumerate(items, start=1):
        if isinstance(item, (str, os.PathLike)):
            taken = 0
            with iter_load(item) as stream:
                unloaded = record_unloaded(stream)
                for engagement in stream:
                    start = len(issues)
                    issues.extend(stream.issues[taken:])
                    files.read(issues, start, number)
                    files.unloaded(unloaded, start - taken, number)
                    taken = len(stream.issues)
                    yield None, engagement, number
            start = len(issues)
            issues.extend(stream.issues[taken:])
            files.read(issues, start, number)
            files.unloaded(unloaded, start - taken, number)
        elif isinstance(item, Mapping):
            try:
                yield number, from_dict(item), None
            except LoadError as exc:
                place = _item_place(index, number, item.get("id"))
                issues.extend(_placed(issue, place) for issue in exc.issues)
                eid = _readable_id(item)
                if eid is not None:  # still its id: judged with the others
                    files.unloaded_dict(number, eid, len(issues))
        elif isinstance(item, Engagement):
            yield None, item, None
        else:  # a load error, as a dict that is no engagement: the rest is checked
            issues.append(
                LoadIssue(
                    source=None,
                    line=None,
                    column=None,
                    path=_item_place(index, number, None),
                    message=f"expected {_ITEM}, got {shown(item)}",
                    expected=_ITEM,
                )
            )


def _check_rows(frame: Any, setup: _Setup, index: int) -> _Result:
    """Read and check partition *index* of a dataframe: a pandas DataFrame of rows.

    The problems with the columns (``from_records`` reports them first) are
    kept apart, to be told once; each row's names the partition.
    """
    from .builtin.importers.tabular import _read_records  # noqa: PLC0415

    records = frame.to_dict("records")
    # The ids of rows that do not load, and of rows that load with an id a
    # row before them has, are judged where the partitions are combined, this
    # one's as any other's: the errors are the same however the frame is
    # partitioned.
    unloaded: list[tuple[int, int, int, str]] = []
    reader = _read_records(
        records,
        setup.mapping,
        source=setup.source,
        defaults=setup.defaults,
        unloaded=unloaded,
    )
    issues: list[Issue] = []
    header: list[Issue] = []
    told = 0
    if reader.issues:
        told = len(_column_issues(list(frame.columns), setup))
        header.extend(reader.issues[:told])
        issues.extend(
            _placed(issue, f"partition {index}") for issue in reader.issues[told:]
        )
    engagements = reader.loaded
    return _Result(
        index=index,
        parts=_parts(iter(engagements), setup),
        issues=issues,
        header=header,
        items={e.id: row for e, row in zip(engagements, reader.rows, strict=True)},
        rows=True,
        unloaded=tuple(
            (
                before,
                errors - told,
                Engagement(id=eid, origin=Origin(source=setup.source, row=row)),
            )
            for before, errors, row, eid in unloaded
        ),
        unloaded_files=(None,) * len(unloaded),
        unloaded_items=(None,) * len(unloaded),
    )


def _column_issues(columns: list[str], setup: _Setup) -> list[LoadIssue]:
    """Return the problems ``from_records`` finds with *columns*, before any row."""
    from .builtin.importers.tabular import (  # noqa: PLC0415
        _id_missing,
        _plan,
        _Reader,
        _unknown_issues,
    )

    targets, unknown = _plan(columns, setup.mapping)
    reader = _Reader(targets, setup.source, setup.defaults, lines=False)
    _unknown_issues(reader, unknown)
    _id_missing(reader)
    return reader.issues


def _noun(result: _Result) -> str:
    """Return what the places of *result*'s engagements are: items or rows."""
    return "row" if result.rows else "item"


def _item_place(index: int, number: int, eid: object, noun: str = "item") -> str:
    """Name item (or row) *number* of partition *index*, and its id if it has one."""
    place = f"partition {index}, {noun} {number}"
    if isinstance(eid, str) and eid:
        return f"{place} (id `{eid}`)"
    return place


def _placed(issue: Issue, place: str) -> Issue:
    """Return *issue* with *place* before its path."""
    if not isinstance(issue, LoadIssue):  # pragma: no cover - readers give LoadIssue
        return issue
    return attrs.evolve(issue, path=f"{place}, {issue.path}" if issue.path else place)


def _named_duplicate(
    issue: Issue,
    eid: str,
    here: tuple[int, int] | None,
    there: tuple[int, int] | None,
    noun: str = "item",
) -> Issue:
    """Return the load error of an id read twice, naming each dict's place.

    *here* and *there* are the partition and item (or, *noun* ``"row"``, the
    row of a dataframe) of the second and of the first engagement with the
    id, when they were read from a dict or a row (None: read from a file,
    whose place the error already names). The place of the second is where
    its id is, instead of the row its engagement names (a partition's own).
    """
    if here is not None and isinstance(issue, LoadIssue):
        issue = attrs.evolve(issue, path=f"{_item_place(*here, eid, noun)}, id")
    if there is not None and isinstance(issue, LoadIssue):
        issue = attrs.evolve(
            issue,
            message=f"duplicate id `{eid}`: ids must be unique, it is also at "
            f"{_item_place(*there, eid, noun)}",
        )
    return issue


class _Parts(list[Part]):
    """A partition's parts, which pickle (to travel back) as far as they can.

    A rule whose facts or evidence cannot be pickled becomes a rule error of
    that rule, as with ``--jobs`` (see ``outsourcekit.engine._split.sendable``),
    instead of failing the whole check. Left on the machine (Dask's threads),
    nothing is pickled.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the parts now, each without what does not pickle if need be."""
        dumps: Callable[[object], bytes]
        try:  # as Dask pickles: functions made in a notebook travel too
            dumps = importlib.import_module("cloudpickle").dumps
        except ImportError:  # pragma: no cover - Dask depends on cloudpickle
            dumps = pickle.dumps
        try:
            data = dumps(list(self))
        except Exception:  # noqa: BLE001 - any failure: find which rule's
            data = dumps([sendable(part, dumps) for part in self])
        return (pickle.loads, (data,))


def _parts(engagements: Iterator[Engagement], setup: _Setup) -> list[Part]:
    """Check *engagements* a chunk at a time; each chunk's part, lines found."""
    parts = _Parts()
    with rare_full_collections():
        while True:
            chunk = list(itertools.islice(engagements, setup.chunk_size))
            if not chunk:
                return parts
            part = engine.check_part(
                chunk, rules=setup.rules, as_of=setup.as_of, config=setup.config
            )
            batch = [*part.findings, *(f for f, _ in part.pending)]
            if batch:
                locate_lines(batch, chunk)
            parts.append(part)
