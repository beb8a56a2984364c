"""Checking portfolios on a Dask cluster (extra ``dask``).

:func:`check` takes a ``dask.bag`` of file paths or of engagement dicts, or a
``dask.dataframe`` of rows (one engagement a row, read as the tabular importer
reads them: :func:`outsourcekit.builtin.importers.tabular.from_records`). Each
partition is read and checked where it lives, on a worker, as one part of the
portfolio (:func:`outsourcekit.engine.check_part`); only the parts (findings,
verdicts and the portfolio rules' facts) travel back, and the portfolio rules
decide once all are in. The report is the one a single process gives, portfolio
rules included.

Dask runs on its default scheduler: a ``distributed.Client`` made before the
call (``Client("tcp://scheduler:8786")``, or ``Client(LocalCluster())``) sends
the work to that cluster. Workers need outsourcekit (and the plugins whose
rules run) installed, and paths in a bag must be readable by the workers.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import os
import pickle
from collections import Counter, deque
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
from ._dates import as_date
from ._gc import rare_full_collections
from ._jobs import Unique
from .config import with_waivers
from .engine import CHUNK_SIZE, Config, Issue, Part, Report, ReportSink, Rule
from .engine._split import sendable
from .io import LoadError, duplicate_id_issue
from .model import Engagement

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
    ``from_records``; rows are numbered within their partition, and load
    errors name the partition).

    The report equals :func:`outsourcekit.check` over the same engagements:
    findings (with their lines), scores, summary and load errors, however the
    collection is partitioned. *as_of*, *config* and *rules* are as there;
    the rules (default: the registered ones) are sent to the workers. With a
    *sink* (see :class:`~outsourcekit.engine.ReportSink`) findings go to it
    partition after partition as they come back, and the report holds none.

    Raise ImportError when Dask is not installed, TypeError for a collection
    of another kind, :class:`~outsourcekit.ConfigError` for a bad
    configuration (before anything runs on the cluster).
    """
    dask = _dask()
    chosen = tuple(plugins.get_rules() if rules is None else rules)
    if config is not None:
        config = with_waivers(config)
    (config or Config()).resolve(chosen)  # a bad configuration fails here, first
    day = dt.date.today() if as_of is None else as_date(as_of)  # noqa: DTZ011 - local
    setup = _Setup(
        rules=chosen,
        as_of=day,
        config=config,
        chunk_size=chunk_size,
        mapping=None if mapping is None else dict(mapping),
        defaults=None if defaults is None else dict(defaults),
        source=source,
    )
    tasks = _tasks(dask, collection, setup)
    unique = Unique()
    issues: list[tuple[int | None, Issue]] = []
    ready_sink = None if sink is None else ReadySink(sink)
    report = engine.combine(
        unique.parts(_computed(dask, tasks, issues)),
        rules=chosen,
        config=config,
        as_of=day,
        errors=_later(issues, len(tasks), unique),
        sink=ready_sink,
        locate=_remote_locate(dask),
    )
    if ready_sink is not None and ready_sink.report is not None:
        return ready_sink.report
    return ready(report)


def _tasks(dask: Any, collection: Any, setup: _Setup) -> list[Any]:
    """Return one delayed check per partition of *collection*."""
    delayed = dask.delayed
    # One node of the graph holds the setup (the rules among it): it is
    # tokenized and sent once, not with every partition.
    shared = delayed(setup, pure=True)
    if isinstance(collection, dask.bag.Bag):
        return [
            delayed(_check_items, pure=True)(partition, shared)
            for partition in collection.to_delayed()
        ]
    try:
        import dask.dataframe as dd  # noqa: PLC0415 - heavy, and optional
    except ImportError as exc:
        raise ImportError(_MISSING_EXTRA) from exc
    if isinstance(collection, dd.DataFrame):
        frame: Any = collection
        return [
            delayed(_check_rows, pure=True)(partition, shared, index)
            for index, partition in enumerate(frame.to_delayed())
        ]
    msg = (
        "outsourcekit.dask.check() takes a dask.bag.Bag (of paths or engagement "
        "dicts) or a dask.dataframe.DataFrame of rows "
        f"(got a {type(collection).__name__})"
    )
    raise TypeError(msg)


#: What one partition gives back: its parts, and its load errors (with the
#: partition's index for the rows of a dataframe, whose numbers restart).
_Result = tuple[list[Part], list[tuple[int | None, Issue]]]


def _computed(
    dask: Any, tasks: Sequence[Any], issues: list[tuple[int | None, Issue]]
) -> Iterator[Part]:
    """Yield the parts of every partition in order, a few partitions ahead.

    On a distributed cluster, twice as many partitions as it has worker
    threads are in flight, a new one sent as each is taken, so that workers
    stay busy while the parts are combined; on Dask's local schedulers, that
    many are computed at a time.
    """
    client = _client()
    results = _local(dask, tasks) if client is None else _remote(client, tasks)
    for parts, found in results:
        issues.extend(found)
        yield from parts


def _client() -> Any:
    """Return the current ``distributed`` client, or None."""
    try:
        from distributed import get_client  # noqa: PLC0415 - optional

        return get_client()
    except (ImportError, ValueError):
        return None


def _local(dask: Any, tasks: Sequence[Any]) -> Iterator[_Result]:
    ahead = 2 * max(1, int(dask.config.get("num_workers", None) or os.cpu_count() or 1))
    for first in range(0, len(tasks), ahead):
        yield from dask.compute(*tasks[first : first + ahead])


def _remote(client: Any, tasks: Sequence[Any]) -> Iterator[_Result]:
    threads: dict[str, int] = client.nthreads()
    ahead = 2 * max(1, sum(threads.values()))
    waiting = iter(tasks)
    flying = deque(client.compute(t) for t in itertools.islice(waiting, ahead))
    while flying:
        future = flying.popleft()
        result: _Result = future.result()
        future.release()
        following = next(waiting, None)
        if following is not None:
            flying.append(client.compute(following))
        yield result


def _later(
    issues: list[tuple[int | None, Issue]], partitions: int, unique: Unique
) -> Iterator[Issue]:
    """Yield the partitions' load errors, then the duplicate ids (once all are in).

    A dataframe's row is named by its partition; a problem every partition
    reports alike (one with the columns) is reported once.
    """
    seen: Counter[str] = Counter(
        repr(issue.to_dict()) for index, issue in issues if index is not None
    )
    told: set[str] = set()
    for index, issue in issues:
        if index is None:
            yield issue
            continue
        key = repr(issue.to_dict())
        if seen[key] < partitions:
            yield _in_partition(issue, index)
        elif key not in told:
            told.add(key)
            yield issue
    yield from unique.issues


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


def _check_items(items: Iterable[object], setup: _Setup) -> _Result:
    """Read and check one partition of a bag: paths or engagement dicts."""
    issues: list[Issue] = []
    parts = _parts(_items(items, issues), setup)
    return parts, [(None, issue) for issue in issues]


def _items(items: Iterable[object], issues: list[Issue]) -> Iterator[Engagement]:
    """Yield the engagements of a bag's items, in order; collect load errors.

    An id seen before in the partition is a load error, as in one file.
    """
    first: dict[str, Engagement] = {}
    for engagement in _read(items, issues):
        seen = first.get(engagement.id)
        if seen is None:
            first[engagement.id] = engagement
            yield engagement
        else:
            issues.append(duplicate_id_issue(engagement, seen))


def _read(items: Iterable[object], issues: list[Issue]) -> Iterator[Engagement]:
    for item in items:
        if isinstance(item, (str, os.PathLike)):
            with iter_load(item) as stream:
                yield from stream
            issues.extend(stream.issues)
        elif isinstance(item, Mapping):
            try:
                yield from_dict(item)
            except LoadError as exc:
                issues.extend(exc.issues)
        elif isinstance(item, Engagement):
            yield item
        else:
            msg = (
                "a bag checked by outsourcekit.dask holds paths or engagement "
                f"dicts (got {item!r:.60}, a {type(item).__name__})"
            )
            raise TypeError(msg)


def _check_rows(frame: Any, setup: _Setup, index: int) -> _Result:
    """Read and check one partition of a dataframe: a pandas DataFrame of rows."""
    from .builtin.importers.tabular import from_records  # noqa: PLC0415

    records = frame.to_dict("records")
    issues: list[tuple[int | None, Issue]] = []
    try:
        engagements = from_records(
            records, setup.mapping, source=setup.source, defaults=setup.defaults
        )
    except LoadError as exc:
        engagements = list(exc.loaded)
        issues.extend((index, issue) for issue in exc.issues)
    return _parts(iter(engagements), setup), issues


def _in_partition(issue: Issue, index: int) -> Issue:
    """Return *issue* naming the partition its row is in."""
    path = getattr(issue, "path", None)
    if attrs.has(type(issue)) and isinstance(path, str) and path.startswith("row "):
        evolved: Issue = attrs.evolve(issue, path=f"partition {index}, {path}")  # type: ignore[misc]
        return evolved
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
