"""Facts from other systems: reading the files an engagement names under ``imports:``.

The reading layer knows no plugins: what reads a file of another system is
handed in as an :class:`Importers` catalogue (``outsourcekit.load`` hands in
the registered importers). This module finds and checks the files an
engagement imports, has them read, validates what each importer returns as
the converter validates a file, and merges the facts into the engagement's
own data (format.md, "Facts from other systems").

Problems are returned as :class:`Problem` records rather than raised: those
about an ``imports:`` entry are located by the caller in the engagement's own
file, those about an imported file carry its name and line.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import functools
import os
import pathlib
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from ._convert import (
    FieldError,
    Path,
    describe_value,
    iter_errors,
    make_converter,
)
from ._source import Location, Parsed, format_path
from ._suggest import did_you_mean
from .model import (
    CheckIn,
    Engagement,
    Import,
    Measurement,
    ProgressUpdate,
    Review,
    TimeZone,
    ValueParseError,
)
from .model._engagement import ConstraintError

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "HEAD_CHARS",
    "ImportContext",
    "ImportReader",
    "ImportedData",
    "Importers",
    "Problem",
    "ProblemData",
    "converter",
    "explain",
    "imported_parsed",
    "merge_fragment",
    "read_head",
    "too_deep",
]

#: How many characters of a file an importer's sniff is given (64 KiB).
HEAD_CHARS: Final = 64 * 1024
#: How deeply the data an importer returns may nest.
_MAX_DEPTH: Final = 100
_IMPORTS: Final = "imports"
#: The option of importers that takes the client's time zone.
_TIMEZONE: Final = "timezone"
_VERSION_KEY: Final = "outsourcekit"
#: The id given to a fragment to validate it alone, when the engagement has none.
_PLACEHOLDER_ID: Final = "imported"


# -- What the loader needs of importers ------------------------------------------------


class ProblemData(Protocol):
    """A problem an importer found in its file (``plugins.ImportProblem``)."""

    @property
    def message(self) -> str:
        """What is wrong, and what was expected."""
        ...

    @property
    def line(self) -> int | None:
        """The 1-based line of the file, if known."""
        ...

    @property
    def column(self) -> int | None:
        """The 1-based column, if known."""
        ...

    @property
    def where(self) -> str:
        """The importer's own name of the item."""
        ...


class ImportedData(Protocol):
    """What an importer read (``outsourcekit.plugins.Imported``)."""

    @property
    def data(self) -> Any:
        """Plain data in the file format's terms."""
        ...

    @property
    def lines(self) -> Mapping[Path, int]:
        """The line of paths inside ``data``."""
        ...

    @property
    def where(self) -> Mapping[Path, str]:
        """The importer's own name of paths inside ``data``."""
        ...

    @property
    def problems(self) -> Sequence[ProblemData]:
        """What could not be read."""
        ...


class ImportReader(Protocol):
    """One importer as the loader uses it."""

    @property
    def name(self) -> str:
        """The importer's name, for messages."""
        ...

    def prepare(
        self, options: Mapping[str, object]
    ) -> tuple[dict[str, Any], Sequence[tuple[str, str]]]:
        """Return every option's value, and the problems of *options*.

        Each problem is the option's name and a message.
        """
        ...

    def takes(self, option: str) -> bool:
        """Whether the importer has an option called *option*."""
        ...

    def read(
        self, path: pathlib.Path, options: Mapping[str, Any]
    ) -> ImportedData | Sequence[Engagement] | None:
        """Read *path*: its data, a version 1 importer's engagements, or None.

        None means the importer failed; the failure is recorded elsewhere (as
        its plugin's error).
        """
        ...


class Importers(Protocol):
    """The importers the loader may use: by name, and for a file."""

    def names(self) -> Sequence[str]:
        """Return the names of every importer, for suggestions."""
        ...

    def named(self, name: str) -> ImportReader | None:
        """Return the importer called *name*, or None."""
        ...

    def for_file(
        self, path: pathlib.Path, head: str | None, *, claimed_only: bool = False
    ) -> ImportReader | None:
        """Return the importer of a file: by suffix, and by *head* where they sniff.

        With *claimed_only*, only an importer whose sniff recognises *head*.
        """
        ...

    def sniffs(self, path: pathlib.Path) -> bool:
        """Whether an importer of *path*'s suffix looks at content to decide."""
        ...


# -- Problems --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Problem:
    """A problem found importing: in the engagement's own file, or an imported one.

    With ``source`` unset (``own`` true), ``steps`` are the place in the
    engagement's data to locate it at (its key, if ``at_key``); else
    ``source``, ``line`` and ``column`` locate it in the imported file and
    ``path`` is the engagement path (``imports[0]``).
    """

    message: str
    own: bool = False
    steps: Path = ()
    at_key: bool = False
    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""
    expected: str | None = None
    value: Any = attrs.field(default=None, eq=False)


def explain(error: BaseException | str) -> tuple[str, str | None, Any]:
    """Return an error's message, what was expected and the value found."""
    if isinstance(error, str):
        return error, None, None
    if isinstance(error, FieldError):
        return error.message, error.expected, error.value
    args = error.args
    message = str(args[0]) if args else type(error).__name__
    value = args[-1] if len(args) >= 3 else None
    if isinstance(error, ConstraintError):
        expected = error.expected
        return f"expected {expected}, got {describe_value(value)}", expected, value
    return message, None, value


@functools.cache
def converter(*, detailed: bool) -> cattrs.Converter:
    """Return the converter of the reading layer (one of each kind, built once)."""
    return make_converter(detailed_validation=detailed)


# -- Imported data as a parsed file ----------------------------------------------


def imported_parsed(imported: ImportedData, source: str) -> Parsed:
    """Return an importer's data as if parsed from its file, located by its lines.

    A path without a line of its own is located at its nearest parent's.
    """
    given: Mapping[Any, object] = imported.lines  # a plugin's: checked here
    locations = {
        tuple(path): Location(line=line)
        for path, line in given.items()
        if isinstance(path, tuple) and type(line) is int
    }
    return Parsed(data=imported.data, source=source, locations=locations)


def describe_where(where: Mapping[Path, str]) -> Callable[[Path], str]:
    """Return a function giving the importer's name of a path (nearest parent's)."""

    def name_of(steps: Path) -> str:
        for end in range(len(steps), -1, -1):
            found = where.get(tuple(steps[:end]))
            if found:
                return found
        return ""

    return name_of


def too_deep(data: object, limit: int = _MAX_DEPTH) -> bool:
    """Whether *data* nests mappings and lists deeper than *limit* levels."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, (list, tuple)):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def read_head(path: pathlib.Path) -> str:
    """Return the first :data:`HEAD_CHARS` characters of a file, as UTF-8 (lenient).

    A file that starts with the byte-order mark of UTF-32 or UTF-16 is read in
    that encoding, so that the importer of what it holds recognises it (and
    says what is wrong with it, if it reads UTF-8 only). A file that cannot be
    read gives the empty string: reading it properly reports why.
    """
    try:
        with path.open("rb") as file:
            raw = file.read(HEAD_CHARS * 4)
    except OSError:
        return ""
    encoding = next((e for m, e in _WIDE_MARKS if raw.startswith(m)), "utf-8")
    return raw.decode(encoding, errors="replace").removeprefix("\ufeff")[:HEAD_CHARS]


#: The byte-order marks of UTF-32 and UTF-16, and the codec that reads each
#: (UTF-32's first: UTF-16's little-endian mark starts UTF-32's).
_WIDE_MARKS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# -- Merging --------------------------------------------------------------------------

#: Log lists by (where they are, key): concatenated, not replaced, when merging.
_LOGS: Final[Mapping[tuple[str, str], type]] = {
    ("", "check_ins"): CheckIn,
    ("", "reviews"): Review,
    ("kpi", "measurements"): Measurement,
    ("milestone", "updates"): ProgressUpdate,
}
#: Lists of named items that hold log lists: their items are merged by name.
_NAMED: Final[Mapping[tuple[str, str], str]] = {
    ("", "kpis"): "kpi",
    ("", "milestones"): "milestone",
}


def merge_fragment(
    own: Mapping[str, Any],
    fragment: Mapping[str, Any],
    level: str = "",
    zone: dt.tzinfo | None = None,
) -> dict[str, Any]:
    """Merge an imported *fragment* under an engagement's *own* data.

    As ``defaults:`` merge: the engagement's own values win (a null one counts
    as absent), mappings merge recursively, and a list replaces the
    fragment's, except the log lists (``check_ins``, ``reviews``, a KPI's
    ``measurements``, a milestone's ``updates``), which are concatenated, own
    entries first, an imported entry identical to one already there kept
    once; and ``kpis`` and ``milestones``, whose items are merged by ``name``
    where the name is unique on both sides (any other imported item is added
    after the engagement's, none lost).

    Entries are identical when they are once loaded, a date-time without an
    offset read in the client's time zone (*zone*; at the top, the merged
    engagement's, UTC when it names none), as the engagement reads it:
    ``2026-01-12T10:00`` of a London client is ``2026-01-12T10:00+00:00``,
    and the one written first, the engagement's own, is kept.
    """
    if not level:
        zone = _client_zone(own, fragment)
    result: dict[str, Any] = {}
    for key, value in own.items():
        under = fragment.get(key)
        if value is None or under is None:
            result[key] = under if value is None and key in fragment else value
            continue
        log = _LOGS.get((level, key))
        named = _NAMED.get((level, key))
        if log is not None and isinstance(value, list) and isinstance(under, list):
            result[key] = _concat(value, under, log, zone)
        elif named is not None and isinstance(value, list) and isinstance(under, list):
            result[key] = _by_name(value, under, named, zone)
        elif isinstance(value, dict) and isinstance(under, dict):
            result[key] = merge_fragment(value, under, "inner", zone)
        else:
            result[key] = value
    for key, value in fragment.items():
        if key not in result:
            result[key] = value
    return result


def _client_zone_name(item: Mapping[str, Any]) -> str | None:
    """Return the client's time zone as *item* writes it, if it names one."""
    client = item.get("client")
    named = client.get("timezone") if isinstance(client, Mapping) else None
    if isinstance(named, TimeZone):
        return named.text
    if not isinstance(named, str):
        return None
    try:
        return TimeZone.parse(named).text
    except ValueParseError:
        return None


def _client_zone(
    own: Mapping[str, Any], fragment: Mapping[str, Any]
) -> dt.tzinfo | None:
    """Return the time zone of the merged engagement's client: UTC when none is named.

    The engagement's own wins, as in the merge. None when the zone named is
    none: its date-times are then compared as written.
    """
    for data in (own, fragment):
        client = data.get("client")
        named = (
            client.get("timezone")
            if isinstance(client, Mapping)
            else getattr(client, "timezone", None)
        )
        if isinstance(named, TimeZone):
            return named.tzinfo
        if isinstance(named, str):
            try:
                return TimeZone.parse(named).tzinfo
            except ValueParseError:
                return None
        if named is not None:
            return None
    return dt.timezone.utc


def _concat(
    own: list[Any], imported: list[Any], kind: type, zone: dt.tzinfo | None
) -> list[Any]:
    """Return *own* then the entries of *imported* not identical to one before."""
    seen = _Seen()
    for item in own:
        seen.add(_identity(item, kind, zone))
    result = list(own)
    for item in imported:
        key = _identity(item, kind, zone)
        if key not in seen:
            seen.add(key)
            result.append(item)
    return result


class _Seen:
    """The identities of the entries kept so far, each found in constant time.

    An entry that loads is identified by a value that can be hashed; one that
    does not load is its plain data, which cannot: those few are kept in a list.
    """

    def __init__(self) -> None:
        self.hashed: set[object] = set()
        self.other: list[object] = []

    def __contains__(self, key: object) -> bool:
        try:
            return key in self.hashed
        except TypeError:
            return key in self.other

    def add(self, key: object) -> None:
        try:
            self.hashed.add(key)
        except TypeError:
            self.other.append(key)


def _identity(item: object, kind: type, zone: dt.tzinfo | None) -> object:
    """Return what makes a log entry the same as another: its value, as loaded.

    Its date-times without an offset are in *zone*, so that they equal the same
    moments written with one; with no *zone*, they are compared as written.
    """
    try:
        entry: object = converter(detailed=False).structure(item, kind)
    except Exception:  # noqa: BLE001 -- an entry that does not load compares as written
        return item
    loaded = type(entry)
    if zone is None or not attrs.has(loaded):
        return entry
    return tuple(
        (field.name, _in_zone(getattr(entry, field.name), zone))
        for field in attrs.fields(loaded)
        if field.eq
    )


def _in_zone(value: object, zone: dt.tzinfo) -> object:
    """Return a date-time without an offset as the moment it is in *zone*."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value


def _by_name(
    own: list[Any], imported: list[Any], level: str, zone: dt.tzinfo | None = None
) -> list[Any]:
    """Merge items of *imported* into *own* by ``name``; add the others after.

    An imported item merges into the engagement's item of its name only when
    that name is unique on both sides: with two of a name on either side, which
    is which cannot be told, and every imported item of that name is added as
    an item of its own. An added item identical to one of *own* (what a dumped
    engagement holds of its imports) is kept once, each of *own* standing for
    one imported item; the imported items never collapse among themselves.
    Date-times without an offset in their logs are in *zone*, the client's.
    """
    result = list(own)
    own_names = _name_counts(own)
    imported_names = _name_counts(imported)
    index: dict[str, int] = {}
    for position, item in enumerate(own):
        name = _name_of(item)
        if name is not None and own_names[name] == 1 and isinstance(item, dict):
            index[name] = position
    free = list(range(len(own)))
    for item in imported:
        name = _name_of(item)
        at = None if name is None else index.get(name)
        if at is not None and name is not None and imported_names[name] == 1:
            result[at] = merge_fragment(result[at], item, level, zone)
            continue
        same = next((p for p in free if own[p] == item), None)
        if same is not None:
            free.remove(same)
        else:
            result.append(item)
    return result


def _name_of(item: object) -> str | None:
    """Return the ``name`` of a list item, if it has one as text."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else None


def _name_counts(items: list[Any]) -> dict[str, int]:
    """Return how many of *items* have each name."""
    counts: dict[str, int] = {}
    for item in items:
        name = _name_of(item)
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
    return counts


# -- Reading the imports of one engagement --------------------------------------------


@attrs.frozen
class _Read:
    """One imported file's result, kept for the other engagements naming it."""

    data: Any
    problems: tuple[Problem, ...]
    parsed: Parsed | None
    where: Callable[[Path], str] | None


class ImportContext:
    """Reads the imports of the engagements of one file (or text).

    *importers* find the importer of each file; *folder* is the folder import
    paths are relative to (the engagement file's, or the working directory
    for text); *root* widens the folders imported files may be in
    (``import-root``). Files read are remembered for the other engagements
    naming them with the same importer and options.
    """

    def __init__(
        self,
        importers: Importers | None,
        folder: pathlib.Path,
        *,
        root: pathlib.Path | None = None,
        refusal: Callable[[pathlib.Path], str | None] | None = None,
    ) -> None:
        """Read imports relative to *folder*, allowed below it or below *root*."""
        self.importers = importers
        self.folder = folder
        self.roots = [p for p in (folder, root) if p is not None]
        self.refusal = refusal
        self.cache: dict[tuple[str, str, str], _Read] = {}

    def apply(
        self,
        item: Mapping[str, Any],
        *,
        own_ok: bool,
        skip: Collection[int] = (),
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Return *item* with the facts of each of its imports merged in, and problems.

        *own_ok* says the engagement's own data loads: only then is each merge
        checked as a whole (an imported ``end`` before the own ``start``). An
        import with a problem contributes nothing; the others still do. The
        entries at the indexes in *skip* (refused already) are not read, and
        are left out of the ``imports`` list, which otherwise stays in the data.
        """
        entries = item.get(_IMPORTS)
        current = dict(item)
        problems: list[Problem] = []
        if not isinstance(entries, list):
            return current, problems
        if skip:
            current[_IMPORTS] = [e for i, e in enumerate(entries) if i not in skip]
        own_id = item.get("id")
        for index, raw in enumerate(entries):
            entry = None if index in skip else _entry(raw)
            if entry is None:
                continue  # the converter reports what is wrong with it
            fragment, found = self._fragment(
                index, entry, own_id, _client_zone_name(item)
            )
            problems.extend(found)
            if fragment is None:
                continue
            merged = merge_fragment(current, fragment)
            if own_ok:
                clash = _clash(merged, index, self._display(entry))
                if clash:
                    problems.extend(clash)
                    continue
            current = merged
        return current, problems

    # -- one import --------------------------------------------------------------

    def _fragment(
        self, index: int, entry: Import, own_id: object, zone: str | None
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """Return the facts import *index* gives, validated, or None; and problems.

        *zone* is the client's time zone, the importer's ``timezone`` option
        when the entry gives none.
        """
        at: Path = (_IMPORTS, index)
        path, problem = self._resolve(entry, at)
        if problem is not None:
            return None, [problem]
        assert path is not None  # noqa: S101 -- _resolve gives one or the other
        reader, problems = self._reader(entry, path, at)
        if reader is None:
            return None, problems
        options: Mapping[str, object] = entry.options
        if zone is not None and _TIMEZONE not in options and reader.takes(_TIMEZONE):
            options = {**options, _TIMEZONE: zone}
        values, option_problems = reader.prepare(options)
        if option_problems:
            return None, [
                Problem(
                    message=message,
                    own=True,
                    steps=(*at, "options", name),
                    at_key=True,
                )
                for name, message in option_problems
            ]
        key = (os.fspath(path), reader.name, repr(sorted(values.items())))
        read = self.cache.get(key)
        if read is None:
            read = self.cache[key] = self._read(reader, path, values, entry, at)
        return self._checked(read, index, entry, own_id)

    def _display(self, entry: Import) -> str:
        """Return the imported file's name as messages show it."""
        return os.path.normpath(os.fspath(self.folder / entry.path))

    def _missing_folder(self, entry: Import) -> str | None:
        """Return the first missing folder that a `..` of *entry*'s path leaves.

        The system follows each step of a path as written, so ``sub/../x.json``
        names no file when ``sub`` is missing, though ``x.json`` exists: the
        path as messages show it otherwise (normalised) would hide why.
        """
        parts = pathlib.PurePath(entry.path).parts
        folder = self.folder
        for index, part in enumerate(parts[:-1]):
            following = parts[index + 1]
            folder = folder / part
            if following == ".." and part != ".." and not folder.is_dir():
                return os.fspath(pathlib.PurePath(*parts[: index + 1]))
        return None

    def _resolve(
        self, entry: Import, at: Path
    ) -> tuple[pathlib.Path | None, Problem | None]:
        """Return the imported file, or the problem with its path."""
        shown = entry.path
        joined = self.folder / entry.path

        def refused(message: str) -> tuple[None, Problem]:
            return None, Problem(message=message, own=True, steps=(*at, "path"))

        try:
            real = joined.resolve()
        except (OSError, RuntimeError) as error:  # a loop of symbolic links
            return refused(f"cannot follow the import path {shown!r}: {error}")
        roots = [root.resolve() for root in self.roots]
        if not any(_inside(real, root) for root in roots):
            return refused(
                f"the import path {shown!r} leads outside "
                f"{os.fspath(roots[0])} (to {os.fspath(real)}), through `..` or a "
                "symbolic link: an engagement may import only files in its own "
                "folder and below it, or below the configuration's `import-root`"
            )
        problem = self._file_problem(entry, joined)
        if problem is not None:
            return refused(problem)
        return joined, None

    def _file_problem(self, entry: Import, joined: pathlib.Path) -> str | None:
        """Return why the file of *entry*, at *joined*, is not read, or None."""
        try:
            if not joined.exists():
                missing = self._missing_folder(entry)
                if missing is not None:
                    return (
                        f"no such file: {entry.path}: the folder {missing}, which "
                        "`..` leaves, does not exist"
                    )
                return f"no such file: {self._display(entry)}"
            refusal = None if self.refusal is None else self.refusal(joined)
        except OSError as error:  # a name too long, a folder that cannot be read
            reason = error.strerror or str(error)
            return f"cannot follow the import path {entry.path!r}: {reason}"
        return None if refusal is None else f"{self._display(entry)}: {refusal}"

    def _reader(
        self, entry: Import, path: pathlib.Path, at: Path
    ) -> tuple[ImportReader | None, list[Problem]]:
        """Return the importer of *entry*: named, else found for the file."""
        importers = self.importers
        if entry.importer is not None:
            reader = None if importers is None else importers.named(entry.importer)
            if reader is None:
                names = [] if importers is None else list(importers.names())
                listed = ", ".join(sorted(names)) or "none is installed"
                hint = did_you_mean(entry.importer, names)
                message = f"unknown importer {entry.importer!r}{hint} ({listed})"
                problem = Problem(message=message, own=True, steps=(*at, "importer"))
                return None, [problem]
            return reader, []
        reader = None
        if importers is not None:
            head = read_head(path) if importers.sniffs(path) else None
            reader = importers.for_file(path, head)
        if reader is None:
            message = (
                f"no importer reads {self._display(entry)}: name one with "
                "`importer:` (outsourcekit plugins lists them)"
            )
            return None, [Problem(message=message, own=True, steps=(*at, "path"))]
        return reader, []

    def _read(
        self,
        reader: ImportReader,
        path: pathlib.Path,
        values: Mapping[str, Any],
        entry: Import,
        at: Path,
    ) -> _Read:
        """Run the importer on *path*; keep its data and the file's problems."""
        source = self._display(entry)
        label = format_path(at)
        result = reader.read(path, values)
        if result is None:
            return _Read(None, (), None, None)
        if isinstance(result, Sequence):
            message = (
                f"importer {reader.name!r} gives whole engagements (a version 1 "
                "importer), which cannot be merged under `imports:`"
            )
            problem = Problem(message=message, own=True, steps=(*at, "importer"))
            return _Read(None, (problem,), None, None)
        return _kept(result, source, label, reader.name)

    def _checked(
        self, read: _Read, index: int, entry: Import, own_id: object
    ) -> tuple[dict[str, Any] | None, list[Problem]]:
        """Return the facts of *read* if they load as part of an engagement."""
        label = format_path((_IMPORTS, index))
        return _validated(read, label, self._display(entry), own_id)


def _kept(result: ImportedData, source: str, label: str, name: str) -> _Read:
    """Return what an importer read as kept: its data, and its problems located."""
    name_of = describe_where(result.where)
    problems = [
        Problem(
            message=_with_where(p.where, p.message),
            source=source,
            line=p.line,
            column=p.column,
            path=label,
        )
        for p in result.problems
    ]
    data = result.data
    if too_deep(data):
        problems.append(
            Problem(
                message=f"the data importer {name!r} read is nested "
                f"deeper than {_MAX_DEPTH} levels",
                source=source,
                path=label,
            )
        )
        data = None
    parsed = imported_parsed(result, source) if data is not None else None
    return _Read(data, tuple(problems), parsed, name_of)


def fragment_problems(
    imported: ImportedData, source: str, name: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Return the facts of what an importer read, validated alone, and its problems.

    The facts are None when they do not load (what loads of them is kept
    otherwise); the problems are the importer's and the data's, located in
    the file *source* by the importer's lines.
    """
    return _validated(_kept(imported, source, "", name), "", source, None)


@attrs.define
class _Failures:
    """Problems of imported data, located in the imported file.

    *prefix* is where the data checked lies in what the importer read (the one
    engagement of a portfolio, say).
    """

    read: _Read
    label: str
    source: str
    prefix: Path = ()
    problems: list[Problem] = attrs.Factory(list)

    def __call__(self, steps: Path, error: BaseException | str) -> None:
        """Record the problem *error* of the value at *steps*."""
        read = self.read
        at = self.prefix + tuple(steps)
        message, expected, value = explain(error)
        name_of = read.where or describe_where({})
        for part in (format_path(at, read.data), name_of(at)):
            if part:
                message = f"{part}: {message}"
        location = read.parsed.locate(at) if read.parsed is not None else Location()
        self.problems.append(
            Problem(
                message=message,
                source=self.source,
                line=location.line,
                column=location.column,
                path=self.label,
                expected=expected,
                value=value,
            )
        )


def _validated(
    read: _Read, label: str, source: str, own_id: object
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Return the facts of *read* that load as part of an engagement, and problems.

    Items of the data with a problem are left out; None when nothing is left.
    """
    data = read.data
    if data is None or read.parsed is None:
        return None, list(read.problems)
    prefix: Path = ()
    if own_id is not None:
        data, prefix = _one_engagement(data)
    fail = _Failures(read, label, source, prefix, list(read.problems))
    fragment = _fragment_of(data, fail)
    if fragment is None:
        return None, fail.problems
    wrong = _errors({**fragment, "id": _valid_id(own_id)})
    for steps, leaf in wrong:
        fail(steps, leaf)
    if wrong:
        fragment = _pruned(fragment, [steps for steps, _ in wrong])
        if fragment is not None and _errors({**fragment, "id": _valid_id(own_id)}):
            fragment = None
    return fragment, fail.problems


def _errors(data: dict[str, Any]) -> list[tuple[Path, BaseException]]:
    """Return every problem of *data* as an engagement, with its path."""
    structure = converter(detailed=True).get_structure_hook(Engagement)
    try:
        structure(data, Engagement)
    except Exception as error:  # noqa: BLE001 -- every error becomes a problem
        return list(iter_errors(error))
    return []


def _pruned(data: dict[str, Any], wrong: Sequence[Path]) -> dict[str, Any] | None:
    """Return *data* without what is wrong: each list item holding a problem.

    A problem outside any list item takes out its key. None when the problem
    is the data as a whole.
    """
    drop: set[Path] = set()
    for steps in wrong:
        cut = max((i for i, s in enumerate(steps) if isinstance(s, int)), default=None)
        drop.add(tuple(steps if cut is None else steps[: cut + 1]))
    if () in drop:
        return None
    result = copy.deepcopy(data)
    for steps in sorted(drop, key=_sort_key, reverse=True):
        parent: Any = result
        for step in steps[:-1]:
            parent = _child(parent, step)
        last = steps[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
    return result


def _sort_key(steps: Path) -> tuple[tuple[int, str | int], ...]:
    """Order paths so that, reversed, later list items and deeper paths go first."""
    return tuple((0, s) if isinstance(s, int) else (1, s) for s in steps)


def _child(value: Any, step: str | int) -> Any:
    if isinstance(value, dict):
        return value.get(step)
    if isinstance(value, list) and isinstance(step, int) and step < len(value):
        return value[step]
    return None


def _with_where(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _inside(path: pathlib.Path, root: pathlib.Path) -> bool:
    return path == root or root in path.parents


def _entry(raw: object) -> Import | None:
    """Return an ``imports:`` entry as an :class:`Import`, None if it is not one."""
    try:
        entry: Import = converter(detailed=False).structure(raw, Import)
    except Exception:  # noqa: BLE001 -- the engagement's own check reports it
        return None
    return entry


def _valid_id(own_id: object) -> str:
    """Return the engagement's id if it is one, else a placeholder."""
    if isinstance(own_id, str) and own_id:
        try:
            Engagement(id=own_id)
        except (TypeError, ValueError):
            return _PLACEHOLDER_ID
        return own_id
    return _PLACEHOLDER_ID


_FRAGMENT_EXPECTED: Final = (
    "a mapping of facts to merge into the engagement (a partial engagement)"
)


def _under(defaults: Mapping[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
    """Return *item* with *defaults* merged under it, as a portfolio merges them."""
    result = dict(defaults)
    for key, value in item.items():
        default = result.get(key)
        if isinstance(default, dict) and isinstance(value, dict):
            result[key] = _under(default, value)
        else:
            result[key] = value
    return result


def _one_engagement(data: object) -> tuple[object, Path]:
    """Return the one engagement a portfolio holds, with its path, else *data*.

    An import whose file describes exactly one whole engagement (an OCDS package
    of one contract, say) gives that engagement's facts; its ``defaults:`` are
    merged under it as in a file.
    """
    portfolio_keys = {"engagements", "defaults", _VERSION_KEY}
    if not isinstance(data, dict) or set(data) - portfolio_keys:
        return data, ()
    items = data.get("engagements")
    if not (isinstance(items, list) and len(items) == 1 and isinstance(items[0], dict)):
        return data, ()
    defaults = data.get("defaults")
    item: dict[str, Any] = items[0]
    if isinstance(defaults, dict):
        item = _under(defaults, item)
    return item, ("engagements", 0)


def _fragment_of(
    data: object, fail: Callable[[Path, BaseException | str], None]
) -> dict[str, Any] | None:
    """Return *data* as a fragment of one engagement, or None, failing why."""
    if not isinstance(data, dict):
        fail((), FieldError.expecting(_FRAGMENT_EXPECTED, data))
        return None
    if "engagements" in data:
        items = data["engagements"]
        count = len(items) if isinstance(items, list) else 0
        if not count:
            fail(
                ("engagements",),
                "the file holds no engagement, so it gives no facts to merge",
            )
            return None
        fail(
            ("engagements",),
            f"the file holds {count} engagements, not the facts of one: import "
            "a file of one engagement, or load this file on its own rather than "
            "under `imports:`",
        )
        return None
    fragment = dict(data)
    if _IMPORTS in fragment:
        fail((_IMPORTS,), "imported facts cannot import further files")
        return None
    version = fragment.pop(_VERSION_KEY, 1)
    if not (type(version) is int and version == 1):
        fail((_VERSION_KEY,), f"expected the format version 1, got {version!r}")
        return None
    # A whole engagement read from another system names itself by that
    # system's id (an OCDS ocid, say): imported, its facts are the naming
    # engagement's, under that engagement's own id.
    fragment.pop("id", None)
    return fragment


def _clash(merged: dict[str, Any], index: int, source: str) -> list[Problem]:
    """Return what is wrong with the merged engagement, blamed on import *index*.

    The engagement's own data and the fragment each load alone; together they
    may not (an imported ``end`` before the own ``start``).
    """
    if _loads(merged):
        return []
    detailed = converter(detailed=True).get_structure_hook(Engagement)
    try:
        detailed(merged, Engagement)
    except Exception as error:  # noqa: BLE001 -- every error becomes a problem
        return [
            _clash_problem(steps, leaf, merged, index, source)
            for steps, leaf in iter_errors(error)
        ]
    return []


def _loads(data: dict[str, Any]) -> bool:
    """Whether *data* loads as an engagement."""
    structure = converter(detailed=False).get_structure_hook(Engagement)
    try:
        structure(data, Engagement)
    except Exception:  # noqa: BLE001 -- any problem means it does not
        return False
    return True


def _clash_problem(
    steps: Path, error: BaseException, merged: dict[str, Any], index: int, where: str
) -> Problem:
    message, expected, value = explain(error)
    text = format_path(steps, merged)
    if text:
        message = f"{text}: {message}"
    return Problem(
        message=f"{message} (with the facts of {where}, which are left out)",
        own=True,
        steps=(_IMPORTS, index),
        expected=expected,
        value=value,
    )
