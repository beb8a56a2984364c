"""Reading outsourcekit's own files: configuration, central waivers, saved reports.

These files are read like engagement files: as UTF-8 bytes, through the same
parser (YAML 1.2 core schema, JSON, TOML, every value located) and, for waivers,
the same converter. So ``reason: no`` is the text "no" in a waiver file as in
an engagement file, and every problem names the file, the line, the key and
what was expected: ``outsourcekit.toml:3: fail-on: must be one of ...``.

The engine takes what is read here as data: a :class:`~outsourcekit.engine.Config`
(with its central waivers read) and a :class:`~outsourcekit.engine.Report`.

* :func:`read_config` reads ``outsourcekit.toml``, ``pyproject.toml``'s
  ``[tool.outsourcekit]`` table or any TOML, YAML or JSON file given with
  ``--config``; :func:`find_config` finds the one that applies to a folder.
* :func:`read_waivers` reads a central waiver file; :func:`with_waivers` reads
  the one a configuration names.
* :func:`read_report` reads a report saved as JSON or JSON Lines (a ``--baseline``).
* :func:`apply_flags` merges command-line flags into a configuration, so that
  their problems are reported as the flags'.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, cast

import attrs

from ._convert import FieldError, describe_value, iter_errors, make_converter
from ._source import (
    Format,
    Parsed,
    SourceSyntaxError,
    detect_format,
    format_path,
    format_paths,
)
from ._source import parse as parse_text
from ._suggest import suggest
from .engine import CentralWaiver, Config, ConfigError, Report
from .engine._report import ReportDataError
from .io import MAX_FILE_BYTES
from .io import _version_problem as version_problem
from .model import Waiver
from .model._engagement import ConstraintError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import cattrs

    from ._source import Path as DataPath

__all__ = [
    "CONFIG_FILE",
    "PYPROJECT",
    "apply_flags",
    "find_config",
    "read_config",
    "read_report",
    "read_waivers",
    "with_waivers",
]

#: The file that holds only outsourcekit's configuration, keys at top level.
CONFIG_FILE: Final = "outsourcekit.toml"
#: The Python project file, read from its ``[tool.outsourcekit]`` table.
PYPROJECT: Final = "pyproject.toml"

_TABLE: Final[tuple[str, ...]] = ("tool", "outsourcekit")
_TABLE_PREFIX: Final = "tool.outsourcekit."
#: The key of the format version, at the top of a waiver file as of an engagement file.
_VERSION_KEY: Final = "outsourcekit"
#: The keys of a central waiver: an engagement's waiver's, and ``engagement``.
_WAIVER_KEYS: Final = ("engagement", "rule", "path", "reason", "until", "approved_by")
_ENGAGEMENT_EXPECTED: Final = "an engagement id or a glob of ids, like acme-*"
#: What may match an id: its characters (format.md) and those of a glob.
_GLOB_OF_IDS: Final = re.compile(r"[A-Za-z0-9._\-*?\[\]!]+")
#: The flags of ``outsourcekit check`` that set configuration, by setting.
_FLAGS: Final = {
    "select": "--select",
    "extend_select": "--extend-select",
    "ignore": "--ignore",
    "fail_on": "--fail-on",
}


# -- Reading a file --------------------------------------------------------------------


class _Unreadable(Exception):  # noqa: N818 - internal signal, never raised to users
    """A file that gives no data: why, and where in it if known.

    ``path`` is the key or item in the document the problem is at, where the
    reader tells it (half a surrogate pair escaped in a JSON string).
    """

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path


def _read(
    path: Path,
    source: str,
    fmt: Format | None = None,
    *,
    locations: bool = True,
    surrogates: bool = False,
) -> Parsed:
    """Read the file at *path* as located plain data, in *fmt* or its suffix's.

    Without *locations* the data is read at the bare parser's speed, with no
    locations; errors of the text itself are located all the same. With
    *surrogates*, JSON escapes of half a surrogate pair are read as such, as a
    report names a file whose name is not UTF-8.

    Only regular files of at most :data:`~outsourcekit.io.MAX_FILE_BYTES` are
    read (a FIFO or a device would never end); the bytes must be UTF-8. Raise
    :class:`OSError` when the file cannot be read and
    :class:`_Unreadable` when its content gives no data.
    """
    text, fmt = _read_text(path, fmt or detect_format(path))
    try:
        parsed = parse_text(
            text, fmt, source=source, locations=locations, surrogates=surrogates
        )
    except SourceSyntaxError as error:
        issue = error.issue
        raise _Unreadable(issue.message, issue.line, issue.column, issue.path) from None
    except RecursionError:
        raise _Unreadable(
            f"invalid {fmt.upper()}: nested too deeply to be read"
        ) from None
    if parsed.problems:  # a key written twice
        first = parsed.problems[0]
        raise _Unreadable(first.message, first.line, first.column, first.path)
    return parsed


def _read_text(path: Path, fmt: Format | None) -> tuple[str, Format]:
    """Return the text of the file at *path* and its format, as :func:`_read` reads it.

    Raise :class:`OSError` when the file cannot be read and
    :class:`_Unreadable` when it is no regular file of a known format
    (*fmt* None), too large, or not UTF-8.
    """
    wrong_suffix = f"must be a .toml, .yaml, .yml or .json file (got {path.name!r})"
    try:
        info = path.stat()
    except OSError:
        if fmt is None:
            raise _Unreadable(wrong_suffix) from None
        raise
    # A folder is no file whatever its name: `.`, `waivers`, `dir.yaml`.
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("cannot be read: it is not a regular file")
    if fmt is None:
        raise _Unreadable(wrong_suffix)
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    if max(info.st_size, len(raw)) > MAX_FILE_BYTES:
        msg = f"the file is too large: over the limit of {MAX_FILE_BYTES:,} bytes"
        raise _Unreadable(msg)
    try:
        return raw.decode("utf-8"), fmt
    except UnicodeDecodeError as error:
        raise _not_utf8(raw, error.start) from None


def _not_utf8(raw: bytes, bad: int) -> _Unreadable:
    """Return the problem of bytes whose byte at offset *bad* is not UTF-8."""
    before = raw[:bad].removeprefix(b"\xef\xbb\xbf")
    start = before.rfind(b"\n") + 1
    return _Unreadable(
        f"the file is not UTF-8 text: byte 0x{raw[bad]:02x} cannot be read; "
        "save the file as UTF-8",
        before.count(b"\n") + 1,
        len(before[start:].decode("utf-8", errors="replace")) + 1,
    )


def _read_settings(path: Path, source: str, *, waivers: bool = False) -> Parsed:
    """Read a configuration or waiver file; its problems are :class:`ConfigError`.

    With *waivers*, a problem's key is named as a waiver file's are.
    """
    try:
        return _read(path, source)
    except OSError as error:
        msg = f"cannot be read: {error.strerror or error}"
        raise ConfigError(msg, source=source) from error
    except _Unreadable as problem:
        raise _unreadable_error(problem, source, waivers=waivers) from None


def _unreadable_error(
    problem: _Unreadable, source: str, *, waivers: bool = False
) -> ConfigError:
    """Return the error of a file whose text gives no data, at its key and line.

    In a waiver file that is just the list, an entry's key is named under
    ``waivers`` (``waivers[0].until``), as every other problem of it is.
    """
    key = format_path(problem.path)
    if waivers and problem.path and isinstance(problem.path[0], int):
        key = f"waivers{key}"
    return ConfigError(
        problem.message,
        source=source,
        key=key or None,
        line=problem.line,
        column=problem.column,
    )


# -- Configuration ---------------------------------------------------------------------


def read_config(path: str | os.PathLike[str]) -> Config:
    """Read a configuration file, and the central waiver file it names.

    ``pyproject.toml`` is read from its ``[tool.outsourcekit]`` table; any other
    TOML, YAML or JSON file (``outsourcekit.toml``, a ``--config`` file) holds the
    keys at top level. A relative ``waivers`` path is taken from the file's folder.

    Raises:
        ConfigError: the file cannot be read, is not valid, has no such table,
            or holds an unknown key or a wrong value; the error names the file,
            the line and the key, and suggests the closest known name.

    """
    path = Path(path)
    source = os.fspath(path)
    parsed = _read_settings(path, source)
    if path.name == PYPROJECT:
        config = _from_pyproject(parsed, source)
        if config is None:
            msg = "has no [tool.outsourcekit] table"
            raise ConfigError(msg, source=source)
        return config
    data = {} if parsed.data is None else parsed.data
    if not isinstance(data, dict):
        msg = f"must be a table of settings (got {describe_value(data)})"
        raise ConfigError(msg, source=source, line=parsed.locate(()).line)
    tool = data.get("tool")
    if isinstance(tool, dict) and "outsourcekit" in tool:
        msg = (
            "unknown key 'tool': this file holds the settings at its top level; "
            "[tool.outsourcekit] is pyproject.toml's table"
        )
        line = parsed.locate_key(("tool",)).line
        raise ConfigError(msg, source=source, key="tool", line=line)
    return _config(parsed, data, (), source)


def find_config(start_dir: str | os.PathLike[str] | None = None) -> Config:
    """Find and read the configuration for *start_dir* (default: the working folder).

    Searching upward, the first folder with ``outsourcekit.toml``, or with a
    ``pyproject.toml`` that has a ``[tool.outsourcekit]`` table, wins. Without
    either, the default configuration is returned. A file that is a link to
    nothing is an error, not a file passed over: the search would find another
    configuration, or none, without a word.

    Raises:
        ConfigError: as :func:`read_config`.

    """
    start = (Path.cwd() if start_dir is None else Path(start_dir)).resolve()
    for folder in (start, *start.parents):
        own = folder / CONFIG_FILE
        if own.is_file() or own.is_symlink():
            return read_config(own)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() or pyproject.is_symlink():
            source = os.fspath(pyproject)
            config = _from_pyproject(_read_settings(pyproject, source), source)
            if config is not None:
                return config
    return Config()


def _from_pyproject(parsed: Parsed, source: str) -> Config | None:
    """Return the configuration of ``pyproject.toml``'s table, None without one."""
    tool = parsed.data.get("tool") if isinstance(parsed.data, dict) else None
    table = tool.get("outsourcekit") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        msg = f"must be a table (got {describe_value(table)})"
        line = parsed.locate_key(_TABLE).line
        raise ConfigError(msg, source=source, key="tool.outsourcekit", line=line)
    return _config(parsed, table, _TABLE, source)


def _config(
    parsed: Parsed, table: Mapping[str, Any], prefix: DataPath, source: str
) -> Config:
    config = Config.from_mapping(
        table,
        source=source,
        key_prefix=_TABLE_PREFIX if prefix else "",
        lines=_lines(parsed, prefix),
    )
    return with_waivers(config)


def _lines(parsed: Parsed, prefix: DataPath) -> dict[str, int]:
    """Return the line of every key and list item under *prefix*, by dotted key.

    A key is located where it is written, a list item where it starts.
    """
    out: dict[str, int] = {}
    size = len(prefix)
    for steps, location in parsed.locations.items():
        if not steps or steps[:size] != prefix:
            continue
        line = (parsed.key_locations.get(steps) or location).line
        if line is not None:
            out[format_path(steps)] = line
    return out


def with_waivers(config: Config) -> Config:
    """Return *config* with the central waiver file it names read.

    A configuration without ``waivers``, or whose waivers are read already, is
    returned as it is, and so is anything that is no configuration, for the
    check to refuse. :func:`outsourcekit.check` calls this.

    Raises:
        ConfigError: as :func:`read_waivers`; a waiver file that cannot be read
            at all (missing, a folder) is the configuration's error, at the
            line of its ``waivers`` key.

    """
    given: object = config  # callers without type checks pass anything
    if not isinstance(given, Config):
        return config
    if config.waivers is None or config.central_waivers is not None:
        return config
    path = Path(config.waivers)
    source = os.fspath(path)
    try:
        parsed = _read(path, source)
    except OSError as error:
        problem = f"cannot be read: {error.strerror or error}"
        raise _named_file_error(config, "waivers", path, problem) from error
    except _Unreadable as problem:
        if problem.line is None:  # the file as a whole: missing, a folder, ...
            raise _named_file_error(config, "waivers", path, problem.message) from None
        raise _unreadable_error(problem, source, waivers=True) from None
    return attrs.evolve(config, central_waivers=_Waivers(parsed, source).read())


def _named_file_error(
    config: Config, key: str, path: Path, problem: str
) -> ConfigError:
    """Return a problem of the file that the setting *key* names, located at *key*.

    A file the configuration names that cannot be read is the configuration's
    error: it names the configuration file, the line of the key, the key and
    the file as the setting gives it (``outsourcekit.toml:2: waivers:
    nowhere.yaml: cannot be read: ...``). A setting made in Python names the
    file alone.
    """
    name = config.key_prefix + key
    setting = name.partition("[")[0]
    if config.source is None or setting not in config.lines:
        return ConfigError(problem, source=os.fspath(path))
    if name not in config.lines:
        name = setting  # one path written as text, not a list: `paths = "x"`
    return ConfigError(
        f"{_as_written(config, path)}: {problem}",
        source=config.source,
        key=name,
        line=config.lines.get(name),
    )


def _as_written(config: Config, path: Path) -> str:
    """Return *path* as the configuration writes it: from the configuration's folder."""
    try:
        return os.fspath(path.relative_to(Path(config.source or "").parent))
    except ValueError:
        return os.fspath(path)


def _checked_paths(config: Config) -> tuple[Path, ...]:
    """Return the configuration's ``paths``, each checked to exist.

    Raises:
        ConfigError: a path does not exist; the error names the configuration
            file, the line of the path and its key
            (``outsourcekit.toml:2: paths[0]: nothere: no such file or
            directory``).

    """
    for index, path in enumerate(config.paths):
        problem = _not_there(path)
        if problem is not None:
            raise _named_file_error(config, f"paths[{index}]", path, problem)
    return config.paths


def _not_there(path: Path) -> str | None:
    """Return why nothing is at *path* (a link counts), or None if something is."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return "no such file or directory"
    except OSError as error:  # a name too long, say
        return _reason(error)
    return None


def _reason(error: OSError) -> str:
    """Return why a path cannot be looked at, as a message goes on: lower case."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def _checked_import_root(config: Config) -> Config:
    """Return *config*, its ``import-root`` checked to be a folder.

    Raises:
        ConfigError: the ``import-root`` is not there, or is no folder; the
            error names the configuration file, the line and the key
            (``outsourcekit.toml:2: import-root: nothere: no such folder``).

    """
    root = config.import_root
    if root is None:
        return config
    try:
        if root.is_dir():
            return config
    except OSError as error:  # a name too long, say
        raise _named_file_error(config, "import-root", root, _reason(error)) from None
    problem = "not a folder" if os.path.lexists(root) else "no such folder"
    raise _named_file_error(config, "import-root", root, problem)


def apply_flags(
    config: Config,
    *,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: str | None = None,
    extend_select: list[str] | None = None,
) -> Config:
    """Return *config* with the settings of ``outsourcekit check``'s flags.

    As :meth:`Config.merge <outsourcekit.Config.merge>` does, a flag that
    is given (not None) replaces the file's setting; its problems, such as a rule
    no rule has, are then reported as the flag's (``--select: ...``).

    The flags win over the file's selection, as ruff's do: ``--select`` is the
    whole selection, so the file's ``extend-select`` and ``ignore`` no longer
    apply (only the ``--extend-select`` and ``--ignore`` flags change it); and
    the rules ``--extend-select`` names run even when the file's ``ignore``
    names them. The check decides so from the settings' ``flags``, and still
    refuses a name no rule has in the file's settings.
    """
    given = {
        "select": select,
        "extend_select": extend_select,
        "ignore": ignore,
        "fail_on": fail_on,
    }
    merged = config.merge(**given)
    flags = dict(merged.flags)
    for field, value in given.items():
        if value is not None:
            flags[field.replace("_", "-")] = _FLAGS[field]
    return attrs.evolve(merged, flags=flags)


# -- Central waivers -------------------------------------------------------------------


def read_waivers(path: str | os.PathLike[str]) -> tuple[CentralWaiver, ...]:
    """Read a central waiver file (YAML, JSON or TOML).

    The file holds a list of waivers, or a mapping whose ``waivers`` key does.
    Each waiver is read as an engagement's is (the same keys and values, ``x-``
    keys kept) plus ``engagement``, an id or a glob of ids. Each entry records
    where its rule is written, so that a rule no rule has is reported there
    when a check resolves the configuration.

    Raises:
        ConfigError: the file cannot be read or is not valid; the error names
            the file, the line, the key (``waivers[2].until``), what was
            expected and what was found.

    """
    path = Path(path)
    source = os.fspath(path)
    return _Waivers(_read_settings(path, source, waivers=True), source).read()


@functools.cache
def _converter() -> cattrs.Converter:
    """Return the engagement files' converter that reports every problem's path."""
    return make_converter(detailed_validation=True)


class _Waivers:
    """Reads the entries of one central waiver file, raising located errors."""

    def __init__(self, parsed: Parsed, source: str) -> None:
        self.parsed = parsed
        self.source = source
        #: Whether the entries are the file's top-level list (not under a key).
        self.bare = not isinstance(parsed.data, dict)

    def read(self) -> tuple[CentralWaiver, ...]:
        data = self.parsed.data
        if data is None:
            return ()
        entries: object = data
        base: DataPath = ()
        if isinstance(data, dict):
            for key in data:
                if key not in {"waivers", _VERSION_KEY}:
                    self.fail(
                        f"unknown key {key!r} in a waiver file (expected 'waivers')",
                        (key,),
                        at_key=True,
                        suggestion=suggest(key, ["waivers"]),
                    )
            if _VERSION_KEY in data:
                # Read as an engagement file's: an unknown version is an error.
                problem = version_problem(data[_VERSION_KEY])
                if problem is not None:
                    self.fail(problem, (_VERSION_KEY,))
            entries, base = data.get("waivers"), ("waivers",)
            if entries is None:
                return ()
        if not isinstance(entries, list):
            problem = f"must hold a list of waivers (got {describe_value(entries)})"
            self.fail(problem, base)
        # Each entry's rule is named by its path; the list is labelled once.
        rules = format_paths(
            [(*base, index, "rule") for index in range(len(entries))], data
        )
        return tuple(
            self.entry(item, (*base, index), rules[index])
            for index, item in enumerate(entries)
        )

    def entry(self, item: object, steps: DataPath, rule_key: str) -> CentralWaiver:
        """Read the entry *item* at *steps*, whose rule's key is *rule_key*."""
        if not isinstance(item, dict):
            self.fail(f"a waiver must be a mapping (got {describe_value(item)})", steps)
        for key in item:
            if key not in _WAIVER_KEYS and not key.startswith("x-"):
                self.fail(
                    f"unknown key {key!r} in a waiver",
                    (*steps, key),
                    at_key=True,
                    suggestion=suggest(key, _WAIVER_KEYS),
                )
        engagement = self.engagement(item.get("engagement"), steps)
        fields = {k: v for k, v in item.items() if k != "engagement"}
        try:
            waiver = _converter().structure(fields, Waiver)
        except Exception as error:  # noqa: BLE001 - every error is the file's
            where, leaf = next(iter_errors(error))
            self.fail(_problem(leaf), (*steps, *where))
        rule = (*steps, "rule")
        return CentralWaiver(
            engagement=engagement,
            waiver=waiver,
            source=self.source,
            key=self.named(rule_key),
            line=self.parsed.locate(rule).line,
            entry_line=self.parsed.locate(steps).line,
        )

    def engagement(self, value: object, steps: DataPath) -> str:
        """Read ``engagement``: text, or a whole number as ids are read."""
        if value is None:
            self.fail(
                f"missing required key 'engagement' ({_ENGAGEMENT_EXPECTED})", steps
            )
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str) or not value:
            problem = f"expected {_ENGAGEMENT_EXPECTED}, got {describe_value(value)}"
            self.fail(problem, (*steps, "engagement"))
        if not _GLOB_OF_IDS.fullmatch(value):  # a title, say: it would match nothing
            problem = (
                f"expected {_ENGAGEMENT_EXPECTED}, got {describe_value(value)}: an id "
                "holds only letters, digits, '.', '_' and '-', so it matches none"
            )
            self.fail(problem, (*steps, "engagement"))
        return value

    def key(self, steps: DataPath) -> str:
        """Write *steps* as messages name them: ``waivers[2].until``."""
        return self.named(format_path(steps, self.parsed.data))

    def named(self, text: str) -> str:
        """Return the path *text* as messages name it, under ``waivers`` when bare."""
        return f"waivers{text}" if self.bare else text

    def fail(
        self,
        problem: str,
        steps: DataPath,
        *,
        at_key: bool = False,
        suggestion: str | None = None,
    ) -> NoReturn:
        parsed = self.parsed
        location = parsed.locate_key(steps) if at_key else parsed.locate(steps)
        raise ConfigError(
            problem,
            source=self.source,
            key=self.key(steps) or None,
            suggestion=suggestion,
            line=location.line,
            column=location.column,
        )


def _problem(error: BaseException) -> str:
    """Return what the converter says of a value, as an engagement file's issue."""
    if isinstance(error, FieldError):
        return error.message
    if isinstance(error, ConstraintError):
        value = error.args[-1] if len(error.args) >= 3 else None
        return f"expected {error.expected}, got {describe_value(value)}"
    return str(error.args[0]) if error.args else type(error).__name__


# -- Saved reports ---------------------------------------------------------------------


def read_report(path: str | os.PathLike[str]) -> Report:
    """Read a report saved as JSON (``outsourcekit check --format json``).

    The file is read as JSON whatever its suffix. A report saved as JSON
    Lines (``--format jsonl``: one JSON object a line) is read too: its lines
    are the report's findings and errors, then its own keys; it has no
    engagements' scores, and so the report read has no engagements. The
    names of files that are not UTF-8 read back as the report wrote them
    (half a surrogate pair for each byte that is not, as Python holds such a
    name).

    Raises:
        OSError: the file cannot be read.
        ValueError: the file is not a report document of this format
            (a ``ReportDataError``); the error names the file, the line, the
            path in the document (``findings[3].slug``), what was expected and
            what was found.

    """
    path = Path(path)
    source = os.fspath(path)
    try:
        try:
            # Read fast: a report is large, and only one with an error needs
            # locations, which it is read again for.
            parsed = _read(path, source, "json", locations=False, surrogates=True)
        except _Unreadable as problem:
            if not problem.message.startswith("invalid JSON: Extra data"):
                raise
            # More than one JSON value: JSON Lines, if each line is one.
            return _json_lines_report(path, source, problem)
    except _Unreadable as problem:
        raise ReportDataError(
            problem.message,
            path=problem.path,
            source=source,
            line=problem.line,
            column=problem.column,
        ) from None
    try:
        return Report.from_dict(cast("Mapping[str, Any]", parsed.data))
    except ReportDataError as error:
        location = _read(path, source, "json", surrogates=True).locate(error.path)
        raise ReportDataError(
            error.problem,
            path=error.path,
            source=source,
            line=location.line,
            column=location.column,
        ) from None
    except RecursionError:
        raise ReportDataError(
            "invalid JSON: nested too deeply to be read", source=source
        ) from None


#: The lines of a JSON Lines report that are not findings: their one key, and
#: the list of the JSON report that holds them.
_JSON_LINES_ISSUES: Final = {
    "error": "errors",
    "rule_error": "rule_errors",
    "plugin_error": "plugin_errors",
}


def _json_lines_report(path: Path, source: str, first: _Unreadable) -> Report:
    """Read a report saved as JSON Lines: findings and errors, then its own keys.

    Each line is read as the JSON report's item it is, and its problems are
    named at the line, by the keys in it (``report.jsonl:4: slug: must be
    text (got 5)``). *first* is the problem of the file read as one JSON
    document (more than one value in it): raised as it is when the file's
    first line is no JSON value on its own (it is JSON, written wrong).
    """
    text, _ = _read_text(path, "json")
    values = _json_lines(text, source, first)
    last, head = values[-1]
    if not isinstance(head, dict) or "summary" not in head:
        msg = (
            "missing from the last line; a JSON Lines report ends with a line of "
            "the report's own keys (outsourcekit, format, as_of, summary): this "
            "one is from a run that did not finish"
        )
        raise _Unreadable(msg, last, path=("summary",))
    document: dict[str, Any] = {**head, "findings": []}
    lines: dict[str, list[int]] = {"findings": []}
    for key in _JSON_LINES_ISSUES.values():
        document[key], lines[key] = [], []
    for number, value in values[:-1]:
        kind, item = "findings", value
        if isinstance(value, dict) and len(value) == 1:
            (key,) = value
            if key in _JSON_LINES_ISSUES:
                kind, item = _JSON_LINES_ISSUES[key], value[key]
        document[kind].append(item)
        lines[kind].append(number)
    try:
        return Report.from_dict(document)
    except ReportDataError as error:
        where, number = error.path, last
        if len(where) > 1 and where[0] in lines and isinstance(where[1], int):
            number = lines[str(where[0])][where[1]]
            own = {v: k for k, v in _JSON_LINES_ISSUES.items()}.get(str(where[0]))
            where = where[2:] if own is None else (own, *where[2:])
        raise ReportDataError(
            error.problem, path=where, source=source, line=number
        ) from None


def _json_lines(text: str, source: str, first: _Unreadable) -> list[tuple[int, object]]:
    """Return the value of each line of *text* that is not blank, with its number.

    *first* is raised when the first line is not JSON (see
    :func:`_json_lines_report`).
    """
    values: list[tuple[int, object]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" \t\r"):
            continue
        try:
            values.append((number, _json_line(line, source)))
        except _Unreadable as problem:
            if not values and problem.message.startswith("invalid JSON"):
                raise first from None
            problem.line = number
            raise
    return values


def _json_line(line: str, source: str) -> object:
    """Return the value of one line of a JSON Lines report; raise what is not JSON."""
    try:
        parsed = parse_text(
            line, "json", source=source, locations=False, surrogates=True
        )
    except SourceSyntaxError as error:
        issue = error.issue
        raise _Unreadable(issue.message, None, issue.column, issue.path) from None
    except RecursionError:
        raise _Unreadable("invalid JSON: nested too deeply to be read") from None
    if parsed.problems:  # a key written twice
        twice = parsed.problems[0]
        raise _Unreadable(twice.message, None, twice.column, twice.path)
    return parsed.data
