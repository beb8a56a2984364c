"""Finding the engagement files among the paths a user names.

A file named explicitly is always an engagement file. A directory is walked in
sorted order, and a file found there is read only when its content says it is
an engagement file (format.md, "Files"): its suffix is one of the file format's,
its top level is a mapping holding a key of the file format (``outsourcekit``,
``id``, ``engagements``, ``defaults`` or any other key of an engagement), and it
is not a report outsourcekit wrote (``findings`` and ``summary`` at the top)
nor a JSON Schema (``$schema`` naming a draft, as ``outsourcekit schema``
writes).
A JSON Lines file (``.jsonl``, ``.ndjson``) is a portfolio when its first line
that is not blank holds an engagement: only that line is read.
Hidden folders, ``node_modules``, virtual environments, outsourcekit's own
files (configuration, waivers, baseline: the same files by any path, links
included) and whatever the ``exclude`` globs match are passed over; each file
or folder passed over is listed with why.
A symbolic link found while walking is followed only when it leads inside the
folder named (after resolving every link), and no folder is walked twice, so
that a link can neither loop nor make a run read files from elsewhere on the
machine (format.md keeps ``imports:`` inside the same bounds). A file reached
by two names is read once, by the first; a link that cannot be followed (to
nothing, or in a loop) and what cannot be looked at (no permission) are
listed with why.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import posixpath
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from ._jsonl import EMPTY, UNREADABLE, first_value, is_json_lines
from ._source import SourceSyntaxError, detect_format, parse
from .model import Engagement, file_fields

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "Discovery",
    "Skipped",
    "Walk",
    "content_reason",
    "discover",
    "is_excluded",
    "is_json_schema",
    "lacks_own_keys",
]

#: Folders of version control, passed over without being listed.
_VCS: Final = frozenset({".git", ".hg", ".svn", ".jj", ".bzr"})
#: Folders of installed packages, passed over.
_PACKAGES: Final = frozenset({"node_modules", "__pycache__", "site-packages"})
#: The top-level keys that make a file an engagement file, besides an engagement's.
_FILE_KEYS: Final = frozenset({"outsourcekit", "engagements", "defaults", "imports"})
#: The top-level keys only an engagement file has, of all files that share a key
#: with one (a Taskfile's ``tasks``, a Jekyll ``_config.yml``'s ``title``).
_OWN_KEYS: Final = frozenset({"id", "outsourcekit", "engagements", "defaults"})


@attrs.frozen
class Skipped:
    """A file or folder passed over while walking a directory, and why."""

    path: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """Return the entry as the JSON report's ``skipped`` lists it."""
        return {"path": self.path, "reason": self.reason}


def _texts(values: str | Iterable[str]) -> tuple[str, ...]:
    """Return the globs *values* names: one glob given as text is one."""
    return (values,) if isinstance(values, str) else tuple(values)


def _paths(values: Iterable[str | os.PathLike[str]]) -> tuple[Path, ...]:
    return tuple(Path(p) for p in values)


@attrs.frozen
class Walk:
    """What a walk passes over besides what the file format says (format.md).

    The configuration's ``exclude`` globs (a list, or one glob as text),
    matched from *root* (the configuration's folder; None for the working
    directory when the walk is made), and outsourcekit's own files: the
    configuration, the waiver file and the baseline. The default passes over
    nothing more. :func:`outsourcekit.load` makes one from its ``config``.
    """

    exclude: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    root: Path | None = None
    own_files: tuple[Path, ...] = attrs.field(default=(), converter=_paths)


@attrs.frozen
class Discovery:
    """What to read, in order, and what was passed over."""

    files: tuple[Path, ...]
    skipped: tuple[Skipped, ...]


@functools.cache
def _engagement_keys() -> frozenset[str]:
    return _FILE_KEYS | frozenset(file_fields(Engagement))


def _is_venv(folder: Path) -> bool:
    try:
        return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()
    except OSError:  # a folder that cannot be read: walking it says so
        return False


#: What following a link to nothing, or a loop of links, fails with.
_BROKEN: Final = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP})


def _kind(entry: Path) -> str | OSError | None:
    """Return ``folder`` or ``file`` for what *entry* is, links followed.

    None for what is neither: a FIFO, a device. The error when it cannot be
    looked at: a link to nothing or a loop of links, or a folder without
    search permission (which :func:`pathlib.Path.is_dir` would raise).
    """
    try:
        mode = entry.stat().st_mode
    except OSError as error:
        return error
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else None


def is_excluded(path: Path, globs: Sequence[str], root: Path | None) -> str | None:
    """Return the glob of *globs* that matches *path*, or None.

    A glob without ``/`` matches a file or folder name anywhere (``drafts``,
    ``*.draft.yaml``); one with ``/`` matches the whole path relative to *root*,
    the folder of the configuration or the working directory, from its start
    (``archive/2024/*`` matches ``archive/2024/x.yaml``, never
    ``old/archive/2024/x.yaml``), as written or with links resolved, so that
    a link to a folder does not lead around a glob. There ``*`` and ``?``
    match ``/`` too, as :func:`fnmatch.fnmatchcase` does, and ``**/`` matches
    any number of folders, none included (``**/drafts/*.yaml`` matches
    ``drafts/a.yaml`` and ``clients/drafts/a.yaml``). A glob leads out of
    *root* as a path does, with ``../`` (``../engagements/archive``), and an
    absolute glob matches the absolute path; both are read as paths are,
    without following links (``../ci/archive`` for a *root* named ``ci`` is
    ``archive``, ``/srv/ci/../engagements`` is ``/srv/engagements``). Nothing
    else matches a path outside *root*: ``*`` and ``**/`` match below the
    folder the glob's ``../`` lead to.
    """
    name = path.name
    places: _Places | None = None  # found for the first glob with /
    for glob in globs:
        pattern = glob.strip().rstrip("/")
        if not pattern:
            continue
        if "/" not in pattern:
            if fnmatch.fnmatchcase(name, pattern):
                return glob
            continue
        if places is None:
            places = _places(path, root)
        if os.path.isabs(pattern):  # noqa: PTH117 - a glob, no path
            normal = _normal_absolute(pattern)
            if any(_path_matches(p, normal) for p in places.absolute):
                return glob
        elif any(_relative_matches(p, pattern) for p in places.relative):
            return glob
    return None


class _Relative(NamedTuple):
    """A path relative to a root: how many ``..`` it starts with, and the rest.

    ``rest`` is ``.`` for the root itself, empty for a folder above it;
    ``root`` holds the names of the root's folders, from the top.
    """

    up: int
    rest: str
    root: tuple[str, ...]


def _relative_matches(place: _Relative, pattern: str) -> bool:
    """Whether the path at *place* matches the relative *pattern*.

    The pattern leads out of the root by its leading ``..`` (``a//b``,
    ``./a`` and ``a/../b`` lead where ``a/b``, ``a`` and ``b`` do; above the
    top folder, ``..`` stays there), and the rest matches the path from the
    folder they lead to, as :func:`_path_matches` says: so ``../ci/a`` for a
    root named ``ci`` matches ``a``, and no ``*`` leads further out.
    """
    up_pattern, rest_pattern = _normal_pattern(pattern)
    up = min(up_pattern, len(place.root))
    if place.up > up:
        return False
    if place.up == up:
        return _path_matches(place.rest, rest_pattern)
    below = place.root[len(place.root) - up : len(place.root) - place.up]
    rest = "/".join((*below, place.rest) if place.rest not in {"", "."} else below)
    return _path_matches(rest, rest_pattern)


@functools.lru_cache(maxsize=256)
def _normal_pattern(pattern: str) -> tuple[int, str]:
    """Return how many ``..`` the relative *pattern* starts with, and the rest."""
    return _leading_up(posixpath.normpath(pattern))


@functools.lru_cache(maxsize=256)
def _normal_absolute(pattern: str) -> str:
    """Return the absolute *pattern* without ``.``, ``..`` and doubled ``/``.

    ``//`` starting it leads where ``/`` does on POSIX, where
    :func:`posixpath.normpath` keeps it.
    """
    normal = posixpath.normpath(pattern)
    if os.sep == "/" and normal.startswith("//"):
        return "/" + normal.lstrip("/")
    return normal


def _leading_up(relative: str) -> tuple[int, str]:
    """Return how many ``..`` the normal path *relative* starts with, and the rest."""
    parts = relative.split("/")
    up = 0
    while up < len(parts) and parts[up] == "..":
        up += 1
    return up, "/".join(parts[up:])


@functools.lru_cache(maxsize=16)
def _folder_names(folder: str) -> tuple[str, ...]:
    """Return the names of the absolute *folder*'s folders, from the top."""
    return Path(folder).parts[1:]


@attrs.frozen
class _Places:
    """Where a path is: absolute, and relative to the root, each written two ways.

    Each is the path as written and with links resolved (the same once).
    """

    absolute: tuple[str, ...]
    relative: tuple[_Relative, ...]


def _places(path: Path, root: Path | None) -> _Places:
    """Return *path* absolute, and relative to *root*: as written, and resolved.

    So that a glob excludes the same files whichever way a walk reaches them,
    through a link to the folder or not.
    """
    absolute: list[str] = []
    relative: list[_Relative] = []
    here = os.path.abspath(path)  # noqa: PTH100
    real = os.path.realpath(path)
    for where in (here, real):
        written = _posix(where)
        if written not in absolute:
            absolute.append(written)
    if root is not None:
        for where, base in (
            (here, os.path.abspath(root)),  # noqa: PTH100
            (real, os.path.realpath(root)),
        ):
            try:
                up, rest = _leading_up(_posix(os.path.relpath(where, base)))
            except ValueError:  # pragma: no cover - another drive, on Windows
                continue
            place = _Relative(up=up, rest=rest, root=_folder_names(base))
            if place not in relative:
                relative.append(place)
    return _Places(absolute=tuple(absolute), relative=tuple(relative))


def _posix(path: str) -> str:
    """Return the system's *path* with ``/`` between its parts, as globs write it."""
    return path if os.sep == "/" else Path(path).as_posix()


def _path_matches(relative: str, pattern: str) -> bool:
    """Whether the path *relative* matches *pattern* from its start to its end.

    A ``**/`` starting a part of *pattern* matches any number of folders: none
    (the ``**/`` left out), or some (read as ``*/``).
    """
    at = _globstar(pattern)
    if at < 0:
        return fnmatch.fnmatchcase(relative, pattern)
    head, tail = pattern[:at], pattern[at + 3 :]
    return _path_matches(relative, head + tail) or _path_matches(
        relative, f"{head}*/{tail}"
    )


def _globstar(pattern: str) -> int:
    """Return where the first ``**/`` that starts a part of *pattern* is, or -1."""
    at = pattern.find("**/")
    while at > 0 and pattern[at - 1] != "/":
        at = pattern.find("**/", at + 1)
    return at


def content_reason(path: Path) -> str | None:  # noqa: C901, PLR0911 - one per reason
    """Return why a file found while walking is not an engagement file, or None.

    A file that cannot be read or parsed is read anyway, so that its problem is
    reported rather than hidden.
    """
    if is_json_lines(path):
        return _lines_reason(path)
    fmt = detect_format(path)
    if fmt is None:
        return "not a .yaml, .yml, .json or .toml file"
    try:
        text = path.read_text(encoding="utf-8")
        if not text.lstrip("\ufeff").strip():
            return "empty"  # JSON has no empty document, but such a file holds nothing
        data = parse(text, fmt, source=os.fspath(path), locations=False).data
    except SourceSyntaxError as error:
        # A report naming a file whose name is not UTF-8 holds the escapes
        # json.dumps writes for it (\udcff), which no engagement may hold.
        if isinstance(error.data, dict) and _is_report(error.data):
            return "a report outsourcekit wrote"
        return None
    except (OSError, UnicodeDecodeError, RecursionError):
        return None
    if data is None:
        return "empty"
    if not isinstance(data, dict):
        return "not an engagement file: its top level is not a mapping"
    if _is_report(data):
        return "a report outsourcekit wrote"
    if is_json_schema(data):
        return "a JSON Schema"
    if not _engagement_keys().intersection(map(str, data)):
        return "not an engagement file: no key of the file format at the top"
    return None


def lacks_own_keys(path: Path) -> bool:
    """Whether the file *path* is a mapping with none of an engagement file's own keys.

    Those are ``id``, ``outsourcekit``, ``engagements`` and ``defaults``, at
    its top (on a JSON Lines file's first line): a file found walking that
    fails to load and has none of them may well be another tool's file with
    a key an engagement also has. False when the file cannot be read, or
    its text is no mapping.
    """
    data: object
    if is_json_lines(path):
        data = first_value(path)
    else:
        fmt = detect_format(path)
        if fmt is None:
            return False
        try:
            text = path.read_text(encoding="utf-8")
            data = parse(text, fmt, source=os.fspath(path), locations=False).data
        except SourceSyntaxError as error:
            data = error.data
        except (OSError, UnicodeDecodeError, RecursionError):
            return False
    return isinstance(data, dict) and not _OWN_KEYS.intersection(map(str, data))


def _is_report(data: dict[Any, Any]) -> bool:
    """Whether *data* is a report outsourcekit wrote.

    A report has ``findings`` and ``summary`` at the top; the report of a
    ``--history`` check has each date's report under ``history``, with the
    ``dates``.
    """
    return ("findings" in data and "summary" in data) or (
        "history" in data and "dates" in data
    )


def is_json_schema(data: dict[Any, Any]) -> bool:
    """Whether *data* is a JSON Schema: ``$schema`` names a JSON Schema draft.

    Such as the schemas ``outsourcekit schema`` writes, which hold ``title``.
    An engagement file naming its schema for an editor names that file instead.
    """
    meta = data.get("$schema")
    return isinstance(meta, str) and "json-schema.org/" in meta


#: The keys of a finding on a line of the ``jsonl`` report format.
_FINDING_KEYS: Final = frozenset({"rule", "engagement", "message"})
#: The keys of the other lines of that format.
_REPORT_LINE_KEYS: Final = frozenset({"error", "rule_error", "plugin_error", "summary"})


def _lines_reason(path: Path) -> str | None:
    """Return why a JSON Lines file found while walking is not a portfolio, or None.

    Only its first line that is not blank is read; a file that cannot be read
    is read anyway, so that its problem is reported.
    """
    first = first_value(path)
    if first is UNREADABLE:
        return None
    if first is EMPTY:
        return "empty"
    if not isinstance(first, dict):
        return "not an engagement file: its first line is not a JSON object"
    keys = set(map(str, first))
    if keys >= _FINDING_KEYS or keys & _REPORT_LINE_KEYS:
        return "a report outsourcekit wrote"
    if not _engagement_keys().intersection(keys):
        return "not an engagement file: no key of the file format on its first line"
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    """Return the file at *path*, links followed, by device and inode; None if none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


class _Walker:
    def __init__(
        self,
        exclude: Sequence[str],
        root: Path | None,
        own: Iterable[Path],
        *,
        content: bool = True,
    ) -> None:
        self.exclude = tuple(exclude)
        self.root = root
        self.content = content
        #: outsourcekit's own files, by device and inode: the same file by
        #: any path (through a link to its folder, say) is passed over.
        self.own = {i for i in map(_identity, own) if i is not None}
        self.files: list[Path] = []
        #: The places in ``files`` of the files named, not found walking.
        self.named: set[int] = set()
        self.skipped: list[Skipped] = []
        #: The folder the user named, as named and resolved, while walking it.
        self.top = Path()
        self.top_real = Path()
        #: The folders walked below ``top``, by device and inode, with their path.
        self.walked: dict[tuple[int, int], Path] = {}

    def skip(self, path: Path, reason: str) -> None:
        self.skipped.append(Skipped(os.fspath(path), reason))

    def folder_reason(self, folder: Path) -> str | None:
        name = folder.name
        glob = is_excluded(folder, self.exclude, self.root)
        if glob is not None:
            return f"excluded by {glob!r}"
        if name.startswith("."):
            return "hidden folder"
        if name in _PACKAGES:
            return "installed packages"
        if _is_venv(folder):
            return "virtual environment"
        return None

    def file_reason(self, file: Path) -> str | None:
        glob = is_excluded(file, self.exclude, self.root)
        if glob is not None:
            return f"excluded by {glob!r}"
        if file.name.startswith("."):
            return "hidden file"
        if self.own and _identity(file) in self.own:
            return "outsourcekit's own file (configuration, waivers or baseline)"
        if self.content:
            return content_reason(file)
        return _lines_reason(file) if is_json_lines(file) else None

    def link_reason(self, entry: Path, kind: str) -> str | None:
        """Return why a symbolic link *entry* is not followed, or None.

        A link is followed only when what it leads to, every link resolved,
        lies inside the folder the user named.
        """
        if not entry.is_symlink():
            return None
        target = entry.resolve()
        if target != self.top_real and self.top_real not in target.parents:
            named = "the current directory" if self.top == Path() else self.top
            return f"a link to a {kind} outside {named}"
        return None

    def guarded_link_reason(self, entry: Path) -> str | None:
        """Return :meth:`link_reason` of *entry*, a file that cannot be looked at.

        A link out of the named folder is passed over even when what it
        leads to cannot be looked at; None where the link cannot be read.
        """
        try:
            return self.link_reason(entry, "file")
        except (OSError, RuntimeError):  # RuntimeError: a loop, before 3.13
            return None

    def walk_top(self, folder: Path) -> None:
        """Walk *folder*, a folder the user named, as it is named."""
        self.top = folder
        self.top_real = folder.resolve()
        self.walked = {}
        self.walk(folder)

    def walk(self, folder: Path) -> None:
        try:
            info = folder.stat()
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as error:
            self.skip(folder, f"cannot be read: {error.strerror or error}")
            return
        self.walked[info.st_dev, info.st_ino] = folder
        for entry in entries:
            kind = _kind(entry)
            if isinstance(kind, OSError) and kind.errno in _BROKEN:
                self.broken(entry, kind)
            elif isinstance(kind, OSError):
                self.unknown(entry, kind)
            elif kind == "folder":
                self.folder(entry)
            elif kind == "file":
                self.file(entry)

    def folder(self, entry: Path) -> None:
        """Walk the folder *entry* found walking, or pass it over with why."""
        if entry.name in _VCS:
            return
        reason = self.link_reason(entry, "folder") or self.folder_reason(entry)
        if reason is None:
            reason = self.walked_reason(entry)
        if reason is None:
            self.walk(entry)
        else:
            self.skip(entry, reason)

    def file(self, entry: Path) -> None:
        """Take the file *entry* found walking, or pass it over with why."""
        if detect_format(entry) is None and not is_json_lines(entry):
            return  # README.md, scripts, images: never candidates
        reason = self.link_reason(entry, "file") or self.file_reason(entry)
        if reason is None:
            self.files.append(entry)
        else:
            self.skip(entry, reason)

    def broken(self, entry: Path, error: OSError) -> None:
        """Pass over *entry*, a link that cannot be followed, saying why.

        A link to nothing (what it names moved, say) or a loop of links may
        stand where an engagement file was meant to be: it is listed, never
        passed over without a word; one of another suffix (``README.md``)
        is passed over as its file would be, one of none may have been a
        folder. An entry gone since the folder was listed is no link, and is
        left alone.
        """
        if entry.suffix and detect_format(entry) is None and not is_json_lines(entry):
            return
        try:
            target = os.fspath(entry.readlink())
        except OSError:
            return
        glob = is_excluded(entry, self.exclude, self.root)
        if glob is not None:
            self.skip(entry, f"excluded by {glob!r}")
        elif error.errno == errno.ELOOP:
            reason = error.strerror or str(error)
            self.skip(entry, f"a link that cannot be followed: {reason}")
        else:
            self.skip(entry, f"a link to nothing: {target}")

    def unknown(self, entry: Path, error: OSError) -> None:
        """Take *entry*, which cannot be looked at: a file or a folder, unknown.

        One with the suffix of an engagement file is read, as a file that
        cannot be read is, so that reading it reports why; anything else,
        which may be a folder, is passed over with why. Version control
        folders and what the ``exclude`` globs match are passed over as ever.
        """
        if entry.name in _VCS:
            return
        glob = is_excluded(entry, self.exclude, self.root)
        if glob is not None:
            self.skip(entry, f"excluded by {glob!r}")
        elif (detect_format(entry) is not None or is_json_lines(entry)) and (
            not entry.name.startswith(".")
        ):
            reason = self.guarded_link_reason(entry)
            if reason is None:
                self.files.append(entry)
            else:
                self.skip(entry, reason)
        else:
            self.skip(entry, f"cannot be read: {error.strerror or error}")

    def walked_reason(self, folder: Path) -> str | None:
        """Return why *folder* is not walked again, or None when it is new."""
        try:
            info = folder.stat()
        except OSError:
            return None  # walking it reports why it cannot be read
        first = self.walked.get((info.st_dev, info.st_ino))
        if first is None:
            return None
        if folder.is_symlink():
            return f"a link to a folder read already: {os.fspath(first)}"
        return f"a folder read already, as {os.fspath(first)}"


def discover(
    paths: Iterable[str | os.PathLike[str]],
    *,
    exclude: Sequence[str] = (),
    root: str | os.PathLike[str] | None = None,
    own_files: Iterable[str | os.PathLike[str]] = (),
    content: bool = True,
) -> Discovery:
    """Return the engagement files among *paths*, and what was passed over.

    A path that is a file (or does not exist, so that loading reports it) is
    kept as it is; a directory is walked. *exclude* globs are matched as
    :func:`is_excluded` says, relative to *root*; *own_files* (the
    configuration, the waiver file, the baseline) are never read while walking.
    Files are listed once each, in the order found: a file reached again by
    another name (through a link) is passed over as the same file.

    Without *content*, a file found walking is not read to tell whether it is
    an engagement file (a JSON Lines file's first line is): the caller reads
    it anyway, and asks :func:`content_reason` only of one that does not load.
    """
    base = None if root is None else Path(os.path.abspath(root))  # noqa: PTH100
    walker = _Walker(exclude, base, (Path(p) for p in own_files), content=content)
    for given in paths:
        path = Path(given)
        try:
            folder = path.is_dir()
        except OSError:  # a name too long, say: reading the path says why
            folder = False
        if folder:
            walker.walk_top(path)
        else:
            walker.files.append(path)
            walker.named.add(len(walker.files) - 1)
    listed: set[str] = set()
    first: dict[str, Path] = {}  # by the file's real path, links resolved
    files = []
    for index, file in enumerate(walker.files):
        absolute = os.path.abspath(file)  # noqa: PTH100
        if absolute in listed:
            continue  # the same file by the same name: listed once
        listed.add(absolute)
        real = os.path.realpath(file)
        if real in first:
            # The same file by another name, through a link: read once, as
            # loading does, whichever process reads it; listed if walked.
            if index not in walker.named:
                walker.skip(file, f"the same file as {os.fspath(first[real])}")
            continue
        first[real] = file
        files.append(file)
    return Discovery(files=tuple(files), skipped=tuple(walker.skipped))
