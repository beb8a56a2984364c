"""The ``outsourcekit`` command line: check, import, rules, explain, init, schema.

Also ``plugins``, which lists the plugins and what each registers.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import io
import json
import os
import re
import shutil
import signal
import sys
import textwrap
import threading
import traceback
import warnings
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple, NoReturn, TextIO, cast

import click

from ._dates import HISTORY_DATES
from ._shorten import plural, raised_text
from ._version import __version__

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from ._history import History
    from ._jobs import Reading
    from .engine import (
        Config,
        ConfigError,
        Finding,
        FindingCounts,
        Issue,
        Report,
        ReportDiff,
        ReportSink,
        Rule,
        SkippedFile,
        Statistics,
        UnknownRuleError,
    )
    from .io import EngagementStream, LoadIssue
    from .model import Engagement
    from .plugins import Exporter, Importer

__all__ = ["STARTER", "CliError", "ExitStatus", "cli", "main"]


class ExitStatus(enum.IntEnum):
    """What ``outsourcekit`` exits with; where several apply, the highest wins."""

    #: No unwaived finding at or above ``--fail-on`` (outside the baseline).
    OK = 0
    #: Some unwaived finding at or above ``--fail-on`` remains.
    FINDINGS = 1
    #: A usage, configuration or load error.
    ERROR = 2
    #: A rule, an exporter or a plugin failed.
    FAILURE = 3


class CliError(click.ClickException):
    """A problem the command reports in one message, exiting with *status*."""

    def __init__(self, message: str, status: ExitStatus = ExitStatus.ERROR) -> None:
        """Keep the message and the exit status."""
        super().__init__(message)
        # click declares `exit_code` on the class; each error carries its own.
        vars(self)["exit_code"] = int(status)


#: A check running longer than this (seconds) shows a progress line on a
#: terminal's stderr.
PROGRESS_DELAY = 1.0
#: A format's name before the file; read in any case, so that ``JSON:x.json`` is
#: an unknown format as ``--format JSON`` is, not a file of that name.
_FORMAT_PREFIX = re.compile(
    r"(?P<format>[a-z][a-z0-9_-]+):(?P<file>.+)", re.DOTALL | re.IGNORECASE
)
_FORMAT_ONLY = re.compile(r"(?P<format>[a-z][a-z0-9_-]+):", re.IGNORECASE)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class _Choice(click.Choice):  # type: ignore[type-arg] # generic from click 8.2 only
    """One of some names; a value that is none of them names the closest.

    *meant*, when given, says which choice a value probably meant (None: no
    guess), instead of the closest spelling.
    """

    def __init__(
        self,
        choices: Sequence[str],
        meant: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(choices)
        self.meant = meant

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        """Return the choice *value* names; else fail, suggesting the closest."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            from ._suggest import suggest  # noqa: PLC0415

            text = str(value)
            meant = (
                suggest(text, [str(c) for c in self.choices])
                if self.meant is None
                else self.meant(text)
            )
            if meant is None:
                raise
            message = error.message.removesuffix(".")
            self.fail(f"{message} (did you mean {meant!r}?)", param, ctx)


def _fail_on_meant(value: str) -> str | None:
    """Return the ``--fail-on`` level *value* probably meant, as configuration does."""
    from .engine._config import fail_on_meant  # noqa: PLC0415 - imported when needed

    return fail_on_meant(value)


class _NamedPath(click.Path):
    """A path that names a file or folder: an empty one is refused.

    ``Path("")`` is ``.``: an unset shell variable (``check "$FILES"``) would
    otherwise check, read or write in the working directory.
    """

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        """Return the path *value* names; fail for an empty one."""
        if isinstance(value, str) and not value:
            self.fail("an empty path names no file or folder", param, ctx)
        return super().convert(value, param, ctx)


class _InputPath(_NamedPath):
    """A PATH to check: a folder must be readable, a file is read when checked.

    A file that cannot be read is a load error of that file, reported with
    the others' findings (interfaces.md: one file's load errors do not stop
    the others from being checked); a folder that cannot be read is refused
    at once, since nothing below it can be found.
    """

    def __init__(self) -> None:
        super().__init__(readable=False, path_type=Path)

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        """Return the path *value* names; fail for a folder that cannot be read."""
        path = super().convert(value, param, ctx)
        try:
            folder = os.path.isdir(path)  # noqa: PTH112
        except (OSError, ValueError):  # a name too long: loading says why
            folder = False
        if folder and not os.access(path, os.R_OK | os.X_OK):
            self.fail(f"Folder {os.fspath(value)!r} is not readable.", param, ctx)
        return path


#: A file a flag names (``--config``, ``--baseline``): click does not look at
#: it, so that reading it says what is wrong in the tool's words, as for every
#: other file (``--baseline x.json: cannot be read: Permission denied``).
_FLAG_FILE: Final = _NamedPath(readable=False, path_type=Path)


def _version(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.version_option(
        __version__,
        "--version",
        prog_name="outsourcekit",
        message="%(prog)s %(version)s",
    )(func)


def _debug_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--debug",
        is_flag=True,
        help="Show tracebacks of errors.",
    )(func)


def _fail(message: str, status: ExitStatus, *, debug: bool) -> NoReturn:
    """Raise a :class:`CliError`; with *debug*, print the traceback first."""
    if debug and sys.exc_info()[0] is not None:
        traceback.print_exc()
    raise CliError(message, status)


def _check_failed(exc: Exception, *, debug: bool) -> NoReturn:
    """Exit as a check that *exc* stopped: its message, and the status it means.

    A configuration error is a usage error (2); a conflict between plugins,
    or anything else a check raises, a failure (3), never "findings".
    """
    from .engine import ConfigError  # noqa: PLC0415
    from .plugins import PluginConflictError  # noqa: PLC0415

    if isinstance(exc, ConfigError):
        _fail(_config_message(exc), ExitStatus.ERROR, debug=debug)
    if isinstance(exc, PluginConflictError):
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)
    _fail(
        f"the check failed: {raised_text(exc)}",
        ExitStatus.FAILURE,
        debug=debug,
    )


def _err(message: str, *, lines: bool = False) -> None:
    r"""Print *message* on stderr, its characters that drive terminals shown escaped.

    A message names what files hold (keys, file names, a rule's words): a line
    feed, carriage return, ESC or U+202E in them would otherwise start a
    forged line (``::error::`` to a CI runner) or recolour the terminal. They
    show as ``\n``, ``\r``, ``\x1b`` and ``\u202e``, as in the ``text``
    format. With *lines* (a traceback) its own line breaks are kept.
    """
    from .builtin.exporters._escape import visible  # noqa: PLC0415

    shown = (
        "\n".join(visible(line) for line in message.split("\n"))
        if lines
        else visible(message)
    )
    click.echo(shown, err=True)


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _colored(stream: TextIO, choice: str = "auto") -> bool:
    """Whether to colour what goes to *stream*.

    ``--color always`` or ``never`` decides; with ``auto``, a non-empty
    ``NO_COLOR`` turns colour off, a non-empty ``FORCE_COLOR`` (CI logs) turns
    it on, and otherwise a terminal gets colour.
    """
    if choice != "auto":
        return choice == "always"
    if _no_color():
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return _is_tty(stream)


#: The exit status of a run interrupted by Ctrl-C (SIGINT), as shells report it.
INTERRUPTED = 130
#: The exit status of a run whose stdout its reader closed (``| head``): 128 +
#: SIGPIPE, as shells report a command that SIGPIPE ended.
CLOSED = 141
#: The exit status of a run ended by SIGTERM (``kill``, ``timeout``, a CI job
#: cancelled): 128 + SIGTERM, as shells report it.
TERMINATED = 143
#: The exit status of a run ended by SIGHUP (its terminal closed, an ssh
#: session dropped): 128 + SIGHUP, as shells report it.
HUNG_UP = 129


class _Terminated(KeyboardInterrupt):
    """SIGTERM ended the run: it stops as on Ctrl-C, workers and outputs alike."""

    #: What stderr says, and the exit status.
    said = "terminated"
    status = TERMINATED


class _HungUp(_Terminated):
    """SIGHUP ended the run: it stops as SIGTERM stops it."""

    said = "hangup"
    status = HUNG_UP


def _terminate(signum: int, _frame: object) -> None:
    if signum == getattr(signal, "SIGHUP", None):
        raise _HungUp
    raise _Terminated


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """Let SIGTERM and SIGHUP end the command as Ctrl-C does, while it runs.

    Without this, either kills the process where it stands: ``--jobs``
    workers check on, orphaned, and a streamed ``--output`` leaves its
    hidden part file behind. Only the main thread can take signals. A
    signal ignored when the command starts (``nohup``) stays ignored; SIGHUP
    is left alone where the platform has none (Windows).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken: dict[int, Any] = {}
    try:
        for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is None or signal.getsignal(signum) == signal.SIG_IGN:
                continue
            taken[signum] = signal.signal(signum, _terminate)
        yield
    finally:
        for signum, previous in taken.items():
            signal.signal(signum, signal.SIG_DFL if previous is None else previous)


class _StdoutClosed(BaseException):
    """The reader of stdout closed it: the run stops at once.

    Raised where a format writing stdout met the broken pipe. Not an
    :class:`Exception`, so that no handler of a failure (a format's, the
    check's) takes it for one: it ends the run as Ctrl-C does, workers and
    all.
    """


#: The errors of writing a file that is open (stdout): the files a command
#: opens itself report their own, naming the file.
_WRITE_ERRORS: Final = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
)


class _StdoutFull(_StdoutClosed):
    """Stdout cannot be written (a full disk): the run stops, with status 2.

    Raised by :class:`_StdoutWriter` where writing stdout met one of
    :data:`_WRITE_ERRORS`, so that a streamed check ends as it does when a
    whole report cannot be written, not as a format that failed.
    """

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


def _closed(status: int = CLOSED) -> click.exceptions.Exit:
    """Return the exit of a run whose stdout was closed: 141, printing nothing.

    What stdout still holds would be reported as a broken pipe when Python
    exits; it goes to :data:`os.devnull` instead, as Python's documentation
    recommends (https://docs.python.org/3/library/signal.html#note-on-sigpipe).
    A stdout that cannot be written otherwise (a full disk) exits with *status*.
    """
    _to_devnull(sys.stdout)
    return click.exceptions.Exit(status)


def _to_devnull(stream: TextIO) -> None:
    """Let what *stream* still holds go to :data:`os.devnull`: none reads it."""
    with contextlib.suppress(OSError, ValueError):  # a stream with no descriptor
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)


def _ended(signalled: _Terminated) -> click.exceptions.Exit:
    """Return the exit of a run that a signal ended, saying so on stderr.

    A terminal that hung up takes nothing more: what stdout or stderr cannot
    write goes to :data:`os.devnull`, so that the status stays the signal's,
    not that of output that failed.
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # pythonw
            continue
        try:
            if stream is sys.stderr:
                _err(signalled.said)
            stream.flush()
        except (OSError, ValueError):
            _to_devnull(stream)
    return click.exceptions.Exit(signalled.status)


class _Group(click.Group):
    """The commands: a run interrupted by Ctrl-C says so and exits with 130.

    Not 1, which says that findings remain: a script or CI step that reads the
    status must not mistake an interrupted check for a finished one. A run
    whose stdout its reader closes (``outsourcekit rules | head -1``) stops
    there and exits with 141, silent, as commands that SIGPIPE ends do.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:  # --help or --version
            raise _closed() from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            try:
                with _terminated_as_interrupted():
                    return super().invoke(ctx)
            except _Terminated as signalled:
                raise _ended(signalled) from None
            finally:  # what stdout holds is written before the status is given
                if sys.stdout is not None:
                    sys.stdout.flush()
        except KeyboardInterrupt:
            _err("interrupted")
            raise click.exceptions.Exit(INTERRUPTED) from None
        except _StdoutFull as full:
            exc = full.error
            _err(f"Error: the output cannot be written: {exc.strerror or exc}")
            raise _closed(ExitStatus.ERROR) from exc
        except (BrokenPipeError, _StdoutClosed):
            raise _closed() from None
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise
            _err(f"Error: the output cannot be written: {exc.strerror or exc}")
            raise _closed(ExitStatus.ERROR) from exc


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@_version
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Lint outsourcing engagements: typed files, a catalogue of rules, scores.

    Start with `outsourcekit check --examples`, which checks the bundled
    example portfolio, `outsourcekit check` in a folder of engagement files,
    or `outsourcekit init` to write a starter engagement file.
    """
    # Plugin failures are reported by the commands, with an exit status of 3,
    # rather than as warnings (matched by text: the plugin registry loads later).
    ctx.with_resource(warnings.catch_warnings())
    warnings.filterwarnings(
        "ignore", message="outsourcekit plugin ", category=UserWarning
    )


# -- check --------------------------------------------------------------------------


def _as_of(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> dt.date | None:
    """Parse ``--as-of`` as an ISO date."""
    from ._dates import as_date  # noqa: PLC0415

    if value is None:
        return None
    try:
        return as_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _history_dates(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> list[dt.date] | None:
    """Parse ``--history START..END/EVERY`` into its dates, at most HISTORY_DATES."""
    from ._history import parse_range  # noqa: PLC0415

    if value is None:
        return None
    try:
        return parse_range(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _dates(count: int) -> str:
    """Return ``"1 date"``, ``"1,044 dates"``."""
    return f"{count:,} date" if count == 1 else f"{count:,} dates"


#: The formats ``check --history`` writes: the trend table, or one report a date.
_HISTORY_FORMATS: Final = ("text", "json")


def _history_usage(  # noqa: PLR0913 - one parameter per option it cannot honour
    fmt: str,
    outputs: Sequence[str],
    targets: Sequence[tuple[Exporter, str]],
    *,
    as_of: dt.date | None,
    baseline: Path | None,
    new_only: bool,
    statistics: bool,
    jobs: int,
) -> None:
    """Refuse, before the run, what ``check --history`` cannot honour."""
    if as_of is not None:
        msg = "--history and --as-of cannot be given together"
        raise click.UsageError(msg)
    if fmt not in _HISTORY_FORMATS:
        msg = f"--history writes the text or json format, not {fmt!r}"
        raise click.UsageError(msg)
    for value, (exporter, _) in zip(outputs, targets, strict=True):
        if exporter.name not in _HISTORY_FORMATS:
            msg = (
                f"--output {value!r}: --history writes the text or json format, "
                f"not {exporter.name!r}"
            )
            raise click.UsageError(msg)
    given = [
        flag
        for flag, on in (
            ("--baseline", baseline is not None),
            ("--new-only", new_only),
            ("--statistics", statistics),
            ("--jobs", jobs != 1),
        )
        if on
    ]
    if given:
        msg = f"--history cannot be given with {' or '.join(given)}"
        raise click.UsageError(msg)


def _check_history(  # noqa: PLR0913 - one parameter per option
    selection: _Selection,
    dates: list[dt.date],
    stdout: Exporter,
    targets: Sequence[tuple[Exporter, str]],
    *,
    config: Config,
    exit_zero: bool,
    quiet: bool,
    debug: bool,
    examples_root: Path | None = None,
    to_stdout: bool = True,
) -> NoReturn:
    """Check the files at every date, print the trend table (or JSON) and exit.

    Each date's report is the one ``check --as-of`` makes of that date.
    Each ``--output`` gets the trend table (text) or the reports (json) too;
    without *to_stdout*, only they do.
    The exit status is the one ``check --as-of`` gives for the latest date
    (0 with *exit_zero*), raised to 2 or 3 when any date had load, rule or
    plugin errors, or an output could not be written.
    """
    import attrs  # noqa: PLC0415

    from ._history import trend_text  # noqa: PLC0415

    progress = _Progress(quiet=quiet)
    engagements, issues = _load(selection.files, progress, config.import_root)
    found = _history_of(engagements, issues, dates, progress, config, debug=debug)
    progress.done()
    reports = [_annotate(r, selection, config=config, base=None) for r in found]
    if examples_root is not None:
        reports = [_relabel(r, examples_root, "examples") for r in reports]
    found = attrs.evolve(found, reports=tuple(reports))

    rendered: dict[str, str] = {}

    def render(exporter: Exporter) -> Callable[[Report], str]:
        """Return the history in *exporter*'s format (text or json), made once."""
        name = exporter.name

        def text(_report: Report) -> str:
            if name not in rendered:
                rendered[name] = (
                    json.dumps(found.to_dict(), indent=2, ensure_ascii=False) + "\n"
                    if name == "json"
                    else trend_text(found)
                )
            return rendered[name]

        return text

    latest = found.reports[-1]
    writer = _Writer(latest)
    statuses = [writer.write(stdout, "-", render(stdout))] if to_stdout else []
    statuses += [
        writer.write(exporter, target, render(exporter)) for exporter, target in targets
    ]
    _history_problems(
        found,
        debug=debug,
        loads=stdout.name != "json",
        hints=_exclude_hints(latest.errors, selection, config),
    )
    statuses += [
        s
        for r in found
        for s in _status(r, None, config.fail_on)
        if s != ExitStatus.FINDINGS
    ]
    if latest.failed(config.fail_on) and not exit_zero:
        statuses.append(ExitStatus.FINDINGS)
    sys.exit(int(max(statuses)))


def _history_of(  # noqa: PLR0913 - the check's inputs, and how it shows
    engagements: Sequence[Engagement],
    issues: Sequence[LoadIssue],
    dates: Sequence[dt.date],
    progress: _Progress,
    config: Config,
    *,
    debug: bool,
) -> History:
    """Check *engagements* at *dates*, showing how many dates are done so far.

    A configuration problem (an unknown rule in ``--select``) is a usage
    error, and a check that fails unexpectedly exits 3, as for one date;
    the progress line is cleared first, and when the run is interrupted.
    """
    from ._history import checked_at  # noqa: PLC0415

    total = len(dates)
    progress.show(
        f"Checking {plural(len(engagements), 'engagement')} at {_dates(total)}..."
    )
    started = progress.elapsed()

    def checked(done: int, day: dt.date) -> None:
        seconds = progress.elapsed() - started
        left = seconds * (total - done) / done
        progress.update(
            f"Checked {done:,} of {_dates(total)} ({day.isoformat()}), "
            f"about {_duration(left)} left"
        )

    try:
        try:
            return checked_at(
                engagements, dates, config=config, errors=issues, checked=checked
            )
        except BaseException:  # Ctrl-C too: the message goes on a line of its own
            progress.done()
            raise
    except Exception as exc:  # noqa: BLE001 - a failed check is never "findings"
        _check_failed(exc, debug=debug)


def _history_problems(
    found: History,
    *,
    debug: bool,
    loads: bool,
    hints: Mapping[str, str] | None = None,
) -> None:
    """Print the load, rule and plugin errors of every date to stderr, once each.

    Load and plugin errors are the same at every date. A rule that failed
    is named with the dates it failed at: it may fail at some dates only.
    *hints* (by file) follow the last load error of their file.
    """
    latest = found.reports[-1]
    if loads:
        _load_errors(latest.errors, hints or {})
    failed: dict[tuple[str, str | None, str, str], list[tuple[dt.date, str | None]]]
    failed = {}
    for report in found:
        for e in report.rule_errors:
            key = (e.rule, e.engagement, e.type, e.message)
            failed.setdefault(key, []).append((report.as_of, e.traceback))
    for (rule, engagement, kind, message), times in failed.items():
        where = "the portfolio" if engagement is None else f"engagement {engagement}"
        when = f"as of {times[0][0]}"
        if len(times) > 1:
            when += f" to {times[-1][0]} ({len(times)} of {len(found)} dates)"
        _err(f"error: rule {rule} failed on {where} {when}: {kind}: {message}")
        if debug and times[0][1]:
            _err(times[0][1].rstrip(), lines=True)
    for p in latest.plugin_errors:
        _err(f"error: plugin {p.plugin!r}: {p.message}")


_RULE_NAMES = "rule codes, code prefixes, categories or slugs"


def _names(
    values: Sequence[str], flag: str, named: str = _RULE_NAMES
) -> list[str] | None:
    """Split repeated, comma-separated options (``--select a,b --select c``).

    A value that names nothing (``--select ''``) is the flag's error: read as
    no flag, it would run what the user meant to narrow or widen.
    """
    names = []
    for value in values:
        parts = [n.strip() for n in value.split(",") if n.strip()]
        if not parts:
            msg = f"{flag}: {value!r} names nothing; give {named}, separated by commas"
            raise CliError(msg)
        names += parts
    return names or None


def _exporters(*, debug: bool) -> dict[str, Exporter]:
    from .plugins import PluginConflictError, get_exporters  # noqa: PLC0415

    try:
        return {e.name: e for e in get_exporters()}
    except PluginConflictError as exc:
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)


def _unknown_format(name: str, exporters: dict[str, Exporter], flag: str) -> CliError:
    """Return *flag*'s error (``--format``, ``--output 'x:f'``) naming no format."""
    from ._suggest import did_you_mean  # noqa: PLC0415

    choices = ", ".join(sorted(exporters))
    return CliError(
        f"{flag}: unknown format {name!r}{did_you_mean(name, exporters)} "
        f"(formats: {choices})"
    )


def _output(
    value: str, exporters: dict[str, Exporter], default: Exporter
) -> tuple[Exporter, str]:
    """Parse ``--output [FORMAT:]FILE`` into the exporter and the file (``-``: stdout).

    Without a format the file's suffix chooses it, the longest matching suffix
    winning; a file without a suffix (``/dev/null``, ``-``) gets *default*, the
    ``--format``. A one-letter prefix is a Windows drive, not a format.
    """
    m = _FORMAT_PREFIX.fullmatch(value)
    if m is not None:
        name = m.group("format")
        if name not in exporters:
            raise _unknown_format(name, exporters, f"--output {value!r}")
        return exporters[name], m.group("file")
    lowered = value.lower()
    matches = [
        (len(suffix), e.name, e)
        for e in exporters.values()
        for suffix in e.suffixes
        if lowered.endswith(suffix.lower())
    ]
    if matches:
        return max(matches, key=lambda m: m[:2])[2], value
    if not Path(value).suffix:
        return default, value
    known = ", ".join(
        f"{suffix} ({name})"
        for suffix, name in sorted(
            (s, e.name) for e in exporters.values() for s in e.suffixes
        )
    )
    msg = (
        f"--output {value!r}: cannot tell the format from the file name; "
        f"write FORMAT:FILE or use a known suffix: {known}"
    )
    raise CliError(msg)


def _names_folder(path: str) -> bool:
    """Return whether *path* names a folder: one that exists, or ends in a slash.

    A path that cannot be looked at (a name too long) names no folder: writing
    the file says why it cannot be.
    """
    slashes = tuple(s for s in (os.sep, os.altsep) if s)
    try:
        return path.endswith(slashes) or Path(path).is_dir()
    except OSError:
        return False


def _targets(
    outputs: Sequence[str], exporters: dict[str, Exporter], default: Exporter
) -> list[tuple[Exporter, str]]:
    """Parse every ``--output`` before the run: a usage error stops it at once.

    ``FORMAT:`` without a file, ``:FILE`` without a format (``./:FILE`` names
    such a file), two outputs naming the same file (also through
    a link, or as ``./x`` and ``x``), and stdout named twice are usage errors:
    stdout (``-``) gets the ``--format``, so ``-o -`` in that format names it
    again, and ``-o FORMAT:-`` adds another format once.
    """
    targets: list[tuple[Exporter, str]] = []
    seen: dict[object, str] = {}
    for value in outputs:
        if _FORMAT_ONLY.fullmatch(value) or not value:
            msg = f"--output {value!r}: names no file; write FORMAT:FILE"
            raise CliError(msg)
        if value == ":":
            msg = f"--output {value!r}: names no format and no file; write FORMAT:FILE"
            raise CliError(msg)
        if value.startswith(":"):
            msg = (
                f"--output {value!r}: names no format before ':'; write "
                f"FORMAT:FILE, or ./{value} for a file of that name"
            )
            raise CliError(msg)
        exporter, target = _output(value, exporters, default)
        if target != "-" and _names_folder(target):
            msg = f"--output {value!r}: names a folder; name a file in it"
            raise CliError(msg)
        if target == "-":
            if exporter.name == default.name:
                msg = (
                    f"--output {value!r}: stdout already gets the {default.name} "
                    f"report (--format {default.name}); name each output once"
                )
                raise CliError(msg)
            if "-" in seen:
                msg = (
                    f"--output {value!r}: stdout is already named by "
                    f"--output {seen['-']!r}; name each output once"
                )
                raise CliError(msg)
            seen["-"] = value
        else:
            keys = _identity(target)
            named = next((seen[k] for k in keys if k in seen), None)
            if named is not None:
                msg = (
                    f"--output {value!r}: the file is already named by "
                    f"--output {named!r}; name each file once"
                )
                raise CliError(msg)
            seen.update(dict.fromkeys(keys, value))
        targets.append((exporter, target))
    return targets


def _identity(path: str | os.PathLike[str]) -> set[object]:
    """Return what makes *path* one file: its real path, and its inode if it exists.

    Two names of one file (a link, ``./x`` and ``x``, a hard link) share one.
    """
    keys: set[object] = {os.path.normcase(os.path.realpath(path))}
    try:
        info = os.stat(path)  # noqa: PTH116 - str or Path alike
    except OSError:
        return keys
    keys.add((info.st_dev, info.st_ino))
    return keys


def _overwrites_input(
    outputs: Sequence[str],
    targets: Sequence[tuple[Exporter, str]],
    files: Sequence[Path],
    config: Config,
) -> None:
    """Refuse an ``--output`` that is a file read, before any is opened.

    Writing the report there would destroy the engagements (a streamed check
    would even truncate the file before reading it), the configuration file or
    its central waiver file.
    """
    written: list[tuple[str, os.stat_result]] = []
    for value, (_, target) in zip(outputs, targets, strict=True):
        if target != "-":
            try:
                written.append((value, os.stat(target)))  # noqa: PTH116
            except OSError:
                continue  # not there yet: no file checked
    if not written:
        return
    for file, what in _inputs(files, config):
        try:
            info = file.stat()
        except OSError:
            continue
        for value, output in written:
            if os.path.samestat(info, output):  # a link or another name too
                msg = (
                    f"--output {value!r}: would overwrite {file}, {what}; write "
                    "the report to another file"
                )
                raise CliError(msg)


def _inputs(files: Sequence[Path], config: Config) -> Iterator[tuple[Path, str]]:
    """Yield each file a check reads, with what it is: engagements, then settings."""
    for file in files:
        yield file, "one of the files checked"
    if config.source is not None:
        yield _shown_path(Path(config.source)), "the configuration file"
    if config.waivers is not None:
        yield _shown_path(config.waivers), "the central waiver file"


def _config(  # noqa: PLR0913 - one parameter per flag
    config_file: Path | None,
    *,
    select: list[str] | None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None,
    fail_on: str | None,
    debug: bool,
    own: bool = True,
) -> Config:
    """Read the configuration and apply the flags.

    Without *own* (``--examples`` without ``--config``), the project's files
    are not read: the bundled examples are checked with the defaults.
    """
    from .config import (  # noqa: PLC0415
        _checked_import_root,
        apply_flags,
        find_config,
        read_config,
    )
    from .engine import Config, ConfigError  # noqa: PLC0415

    try:
        if config_file is not None:
            config = _checked_import_root(read_config(config_file))
        else:
            config = _checked_import_root(find_config() if own else Config())
        config = _shown_waivers(
            apply_flags(
                config,
                select=select,
                extend_select=extend_select,
                ignore=ignore,
                fail_on=fail_on,
            )
        )
    except ConfigError as exc:
        message = _config_message(exc)
        if _of_the_file(exc, config_file):
            message = f"--config {message}"
        _fail(message, ExitStatus.ERROR, debug=debug)
    _runs_a_rule(config, debug=debug)
    return config


def _of_the_file(error: ConfigError, config_file: Path | None) -> bool:
    """Whether *error* is about the ``--config`` file as a whole (it cannot be read).

    Such a problem is the flag's, as ``--baseline``'s are; a problem at a
    line of the file is the file's.
    """
    return (
        config_file is not None
        and error.source == os.fspath(config_file)
        and error.line is None
        and error.key is None
    )


def _runs_a_rule(config: Config, *, debug: bool) -> None:
    """Refuse a selection that leaves no rule to run, naming what made it.

    A check that runs no rule reports every engagement healthy: the
    selection is a usage error, named by its flags or by its settings' lines.
    A selection that names no known rule is left to the check to report.
    """
    from .engine import ConfigError  # noqa: PLC0415
    from .plugins import PluginConflictError  # noqa: PLC0415

    found = _rules(debug=debug)
    try:
        if not found or config.resolve(found).rules:
            return
    except (ConfigError, PluginConflictError):
        return
    flags = config.flags
    given = {
        "select": config.select,
        "extend-select": config.extend_select or None,
        "ignore": config.ignore or None,
    }
    parts = []
    for key, values in given.items():
        if values is None:
            continue
        flag = flags.get(key)
        if flag is not None:
            parts.append(f"{flag} {','.join(values)}")
        elif "select" not in flags and config.source is not None:
            where = str(_shown_path(Path(config.source)))
            line = config.lines.get(config.key_prefix + key)
            parts.append(f"{key} ({where}{'' if line is None else f':{line}'})")
    _fail(
        f"no rule is left to run by {' and '.join(parts) or 'the selection'}: "
        "select more rules or ignore fewer",
        ExitStatus.ERROR,
        debug=debug,
    )


def _shown_waivers(config: Config) -> Config:
    """Return *config* with its central waiver file named as engagement files are.

    Relative to the working directory when below it: the findings about its
    entries (OSK901, OSK902, OSK905) name that file, as ``waivers.yaml:3``.
    """
    import attrs  # noqa: PLC0415

    entries = config.central_waivers
    if not entries:
        return config
    shown = tuple(
        attrs.evolve(e, source=os.fspath(_shown_path(Path(e.source))))
        if e.source is not None
        else e
        for e in entries
    )
    return attrs.evolve(config, central_waivers=shown)


def _config_message(error: ConfigError) -> str:
    """Say where a configuration problem is: its file and line, or its flag.

    A file found below the working directory is named relative to it, as
    engagement files are.
    """
    from .engine import ConfigError  # noqa: PLC0415

    if error.flag is not None:
        return str(error)
    if error.source is not None:
        shown = str(_shown_path(Path(error.source)))
        if shown == error.source:
            return str(error)
        return str(
            ConfigError(
                error.problem,
                source=shown,
                key=error.key,
                suggestion=error.suggestion,
                line=error.line,
                column=error.column,
            )
        )
    return f"configuration: {error}"


def _baseline(path: Path | None, *, debug: bool) -> Report | None:
    if path is None:
        return None
    from .config import read_report  # noqa: PLC0415

    try:
        return read_report(path)
    except OSError as exc:
        _fail(
            f"--baseline {path}: cannot be read: {exc.strerror}",
            ExitStatus.ERROR,
            debug=debug,
        )
    except ValueError as exc:
        if _whole_file(exc, path):
            # The flag's problem, as an unreadable --config file's is.
            _fail(f"--baseline {exc}", ExitStatus.ERROR, debug=debug)
        _fail(f"--baseline: {exc}{_baseline_hint(exc)}", ExitStatus.ERROR, debug=debug)


def _whole_file(error: ValueError, path: Path) -> bool:
    """Whether *error* is about the report file *path* as a whole (a folder, say)."""
    from .engine._report import ReportDataError  # noqa: PLC0415

    return (
        isinstance(error, ReportDataError)
        and error.source == os.fspath(path)
        and error.line is None
        and not error.path
    )


def _baseline_hint(error: ValueError) -> str:
    """Return what to add to a baseline's problem: which format is read, or nothing.

    A file whose text is no report document at all (another format, text
    that is not JSON) is told which one ``--baseline`` reads; a file that
    cannot be read (no line in it named) or a report with one wrong value
    (located at its path in the document) is not.
    """
    from .engine._report import ReportDataError  # noqa: PLC0415

    if not isinstance(error, ReportDataError) or error.line is None or error.path:
        return ""
    return (
        "; --baseline reads a report saved in the json or jsonl format "
        "(--output baseline.json)"
    )


class _Progress:
    """A status line on stderr, for a check that runs longer than *delay* seconds.

    Shown only on a terminal, and never with ``--quiet``: a run that ends
    sooner shows nothing, and :meth:`done` clears the line before the report.
    """

    def __init__(self, *, quiet: bool = False, delay: float = PROGRESS_DELAY) -> None:
        import threading  # noqa: PLC0415
        import time  # noqa: PLC0415

        self.stream = sys.stderr
        self.enabled = not quiet and _is_tty(self.stream)
        self.clock = time.monotonic
        self.started = self.clock()
        self.delay = delay
        self.shown = False
        self.over = False
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.timers = threading.Timer

    def elapsed(self) -> float:
        """Return the seconds since the run started."""
        return self.clock() - self.started

    def show(self, text: str) -> None:
        """Show *text* as the step under way: now, or once the delay is over."""
        if not self.enabled:
            return
        self._cancel()
        wait = self.delay - self.elapsed()
        if wait <= 0:
            self._write(text)
        else:
            self.timer = self.timers(wait, self._write, (text,))
            self.timer.daemon = True
            self.timer.start()

    def update(self, text: str) -> None:
        """Show *text*, how far the run is, if the delay is over (else nothing)."""
        if self.enabled and self.elapsed() >= self.delay:
            self._cancel()
            self._write(text)

    def _write(self, text: str) -> None:
        # Within one line of the terminal: a line that wraps is not cleared whole.
        width = shutil.get_terminal_size().columns - 1
        if len(text) > width:
            text = text[: max(width - 3, 0)] + "..."
        with self.lock:
            if self.over:
                return
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
            self.shown = True

    def _cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def done(self) -> None:
        """Clear the line, if it was shown; nothing shows after this."""
        self._cancel()
        with self.lock:
            self.over = True
            if self.shown:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.shown = False


def _load(
    files: Sequence[Path], progress: _Progress, import_root: Path | None = None
) -> tuple[list[Engagement], tuple[LoadIssue, ...]]:
    from ._api import load_all  # noqa: PLC0415
    from .io import LoadError  # noqa: PLC0415

    progress.show(f"Loading {plural(len(files), 'file')}...")
    try:
        return load_all(files, import_root=import_root), ()
    except LoadError as exc:
        return exc.loaded, exc.issues


def _shown_path(path: Path) -> Path:
    """Return *path* relative to the working directory when it is below it.

    A ``..`` goes with the folder before it (``a/sub/../x`` is ``a/x``, as
    ``./a/x`` is) where that names the same file: not after a link, whose
    ``..`` is above the folder it leads to.
    """
    cwd = Path.cwd()
    if ".." in path.parts:
        path = _same_or(Path(os.path.normpath(path)), path)
        if path.parts[:1] == ("..",):  # above the working directory, then below?
            inside = _same_or(Path(os.path.normpath(cwd / path)), path)
            if inside.is_relative_to(cwd):
                path = inside
    if not path.is_absolute():
        return path
    try:
        return path.relative_to(cwd)
    except ValueError:
        return path


def _same_or(shorter: Path, path: Path) -> Path:
    """Return *shorter* if it names the file *path* names, else *path*."""
    try:
        return shorter if shorter.samefile(path) else path
    except OSError:  # either is missing: they cannot be told the same
        return path


def _make_folders(path: Path) -> None:
    """Create the missing folders above *path*.

    Raise :class:`OSError` whose ``strerror`` says why they cannot be: a file
    standing where a folder must be is named (``f is a file, not a folder``),
    rather than the system's "File exists".
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        for folder in reversed(path.parents):  # the outermost first
            if folder.exists() and not folder.is_dir():
                reason = f"{folder} is a file, not a folder"
                raise NotADirectoryError(errno.ENOTDIR, reason) from exc
        raise


class _Staged:
    """An ``--output`` file written beside its target, moved over it when complete.

    Until :meth:`commit`, the content goes to a new hidden file in the
    target's folder (``.r.sarif.1a2b3c4d.part``), so that the target holds
    either the previous run's report or this run's whole one, never a part.
    A link is followed, as writing the file would; a target that exists but
    is no regular file (``/dev/null``, a FIFO) is written directly, and one
    naming a file the process has open (``/dev/stdout``, ``/dev/fd/3``) is
    written through it, where it stands (at its end after ``>>``). Raise
    :class:`OSError` when the file cannot be made.
    """

    def __init__(self, target: Path, *, binary: bool = False) -> None:
        from ._descriptors import (  # noqa: PLC0415
            flush_streams,
            open_descriptor,
            temporary_name,
        )

        self.temporary: Path | None = None
        self.file: IO[Any]
        descriptor = open_descriptor(target)
        if descriptor is not None:  # /dev/stdout: written where it stands
            flush_streams(descriptor)
            self.target = target
            self.file = (
                os.fdopen(os.dup(descriptor), "wb")
                if binary
                else os.fdopen(os.dup(descriptor), "w", encoding="utf-8", newline="")
            )
            return
        self.target = target.resolve() if target.is_symlink() else target
        if self.target.exists() and not self.target.is_file():
            self.file = (
                self.target.open("wb")
                if binary
                else self.target.open("w", encoding="utf-8", newline="")
            )
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        while True:
            temporary = self.target.with_name(temporary_name(self.target.name))
            try:
                descriptor = os.open(temporary, flags, 0o666)
            except FileExistsError:  # pragma: no cover - 32 random bits taken
                continue
            break
        self.temporary = temporary
        self.file = (
            os.fdopen(descriptor, "wb")
            if binary
            else os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        )

    def commit(self) -> None:
        """Close the file and put it in the target's place; OSError if it cannot."""
        try:
            self.file.close()
            if self.temporary is not None:
                self.temporary.replace(self.target)
                self.temporary = None
        finally:
            self.discard()

    def discard(self) -> None:
        """Close and remove what was written; the target stays as it was."""
        with contextlib.suppress(OSError):  # what is unwritten is thrown away anyway
            self.file.close()
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def _remove_stale(target: str) -> None:
    """Remove the file *target* an earlier run wrote, as this run's failed.

    A report left from an earlier run would pass for this run's. Only a file
    (or a link) is removed: never a folder, a device or a FIFO.
    """
    from ._descriptors import open_descriptor  # noqa: PLC0415

    path = Path(target)
    if open_descriptor(path) is not None:  # /dev/stdout: what it holds is not ours
        return
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError:
        pass


def _relabel(report: Report, root: Path, label: str) -> Report:
    """Return *report* with the files below *root* named from *label* instead.

    The bundled examples live deep in the installed package; they are shown
    as ``examples/...`` in every format.
    """
    import attrs  # noqa: PLC0415

    prefix = os.fspath(root) + os.sep

    def name(source: str | None) -> str | None:
        if source is None or not source.startswith(prefix):
            return source
        return label + "/" + Path(source[len(prefix) :]).as_posix()

    findings = {id(f): attrs.evolve(f, source=name(f.source)) for f in report.findings}
    engagements = tuple(
        attrs.evolve(
            e,
            source=name(e.source),
            findings=tuple(
                findings.get(id(f)) or attrs.evolve(f, source=name(f.source))
                for f in e.findings
            ),
        )
        for e in report.engagements
    )
    errors = tuple(
        attrs.evolve(cast("Any", e), source=name(e.to_dict().get("source")))
        if attrs.has(type(e))
        else e
        for e in report.errors
    )
    return attrs.evolve(
        report,
        findings=tuple(findings[id(f)] for f in report.findings),
        engagements=engagements,
        errors=errors,
    )


class _Selection:
    """What ``check`` reads: the files found, what was passed over, and labels."""

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        config: Config,
        exclude: Sequence[str],
        own_files: Sequence[Path],
        relative: bool = True,
    ) -> None:
        """Find the files; with *relative*, name those below the cwd from it."""
        from ._discover import discover  # noqa: PLC0415

        root = Path(config.source).parent if config.source else Path.cwd()
        found = discover(
            paths,
            exclude=(*config.exclude, *exclude),
            root=root,
            own_files=own_files,
        )
        shown = _shown_path if relative else Path
        claimed = _claimed(found.files, paths)
        self.paths = list(paths)
        self.root = root
        kept = [f for f in found.files if f not in claimed]
        self.files = [shown(f) for f in kept]
        named = {os.path.abspath(p) for p in paths}  # noqa: PTH100
        #: The files found walking (not named), as their load errors name them.
        self.walked = {
            os.fspath(shown(f))
            for f in kept
            if os.path.abspath(f) not in named  # noqa: PTH100
        }
        self.skipped = [(shown(Path(s.path)), s.reason) for s in found.skipped]
        self.skipped += [
            (shown(f), f"{_CLAIMED} (importer {name}): read where imports: name it")
            for f, name in claimed.items()
        ]


_CLAIMED = "a file of another system"


def _claimed(files: Sequence[Path], given: Sequence[Path]) -> dict[Path, str]:
    """Return the files found walking that an importer recognises as its own.

    A Trello board export is ``.json`` like an engagement file: it is read
    where an engagement imports it, not as an engagement. Files named
    explicitly are always read.
    """
    from ._imports import read_head  # noqa: PLC0415
    from .plugins import PluginConflictError, get_importers, importer_for  # noqa: PLC0415

    try:
        sniffers = [i for i in get_importers() if i.sniff is not None]
    except PluginConflictError:
        return {}
    named = {os.path.abspath(p) for p in given}  # noqa: PTH100
    out: dict[Path, str] = {}
    for file in files:
        if os.path.abspath(file) in named or not any(  # noqa: PTH100
            i.accepts(file) for i in sniffers
        ):
            continue
        importer = importer_for(file, read_head(file))
        if importer is not None and importer.sniff is not None:
            out[file] = importer.name
    return out


def _status(
    report: Report, diff: ReportDiff | None, fail_on: str
) -> tuple[ExitStatus, ...]:
    statuses = [ExitStatus.OK]
    failed = diff.failed(fail_on) if diff is not None else report.failed(fail_on)
    if failed:
        statuses.append(ExitStatus.FINDINGS)
    if report.errors:
        statuses.append(ExitStatus.ERROR)
    if report.rule_errors or report.plugin_errors or _not_checked(report):
        statuses.append(ExitStatus.FAILURE)
    return tuple(statuses)


def _not_checked(report: Report) -> bool:
    """Whether a worker process could not check a file: the check failed there."""
    if not report.errors:
        return False
    from ._jobs import NotChecked  # noqa: PLC0415

    return any(isinstance(issue, NotChecked) for issue in report.errors)


def _problems(
    report: Report,
    *,
    debug: bool,
    loads: bool,
    hints: Mapping[str, str] | None = None,
) -> None:
    """Print load (when *loads*), rule and plugin errors to stderr.

    *hints* (by file) follow the last load error of their file.
    """
    if loads:
        _load_errors(report.errors, hints or {})
    for e in report.rule_errors:
        where = (
            "the portfolio" if e.engagement is None else f"engagement {e.engagement}"
        )
        _err(f"error: rule {e.rule} failed on {where}: {e.type}: {e.message}")
        if debug and e.traceback:
            _err(e.traceback.rstrip(), lines=True)
    for p in report.plugin_errors:
        _err(f"error: plugin {p.plugin!r}: {p.message}")


def _source(issue: Issue) -> str | None:
    """Return the file *issue* is about, or None."""
    source = issue.to_dict().get("source")
    return source if isinstance(source, str) else None


def _load_errors(issues: Sequence[Issue], hints: Mapping[str, str]) -> None:
    """Print *issues* to stderr, each file's hint after its last one."""
    sources = [_source(issue) for issue in issues]
    last = {source: i for i, source in enumerate(sources)}
    for i, (issue, source) in enumerate(zip(issues, sources, strict=True)):
        _err(f"error: {issue}")
        hint = None if source is None else hints.get(source)
        if hint is not None and last[source] == i:
            _err(hint)


def _exclude_hints(
    issues: Sequence[Issue], selection: _Selection, config: Config
) -> dict[str, str]:
    """Return, by file, how to leave out a walked file that may be no engagement file.

    A file found walking that fails to load and has none of an engagement
    file's own keys at its top (``id``, ``outsourcekit``, ``engagements``,
    ``defaults``) is likely another tool's file sharing a key with one, such
    as a Taskfile's ``tasks``: the hint shows the ``exclude`` setting and
    the ``--exclude`` flag that leave it out.
    """
    from ._discover import lacks_own_keys  # noqa: PLC0415

    hints: dict[str, str] = {}
    for source in dict.fromkeys(map(_source, issues)):
        if source is None or source not in selection.walked:
            continue
        if lacks_own_keys(Path(source)):
            hints[source] = _exclude_hint(source, selection.root, config)
    return hints


def _exclude_hint(source: str, root: Path, config: Config) -> str:
    """Return the hint that shows how to leave the file *source* out of a walk.

    The glob is the file's path from *root*, where ``exclude`` globs are
    matched from (leading out of it with ``../`` when the file lies outside;
    the file's name alone on another drive), its glob characters escaped and
    each byte that is no UTF-8 matched by ``?``; the setting is written in the
    configuration's own format, added to its ``exclude`` when it has one.
    """
    try:
        relative = Path(os.path.relpath(source, root))
    except ValueError:  # pragma: no cover - another drive, on Windows
        relative = Path(Path(source).name)
    glob = _GLOB_CHARACTERS.sub(r"[\g<0>]", relative.as_posix())
    # A byte of the name that is no UTF-8 has no text a setting can write.
    glob = _LONE_SURROGATE.sub("?", glob)
    quoted = json.dumps(glob, ensure_ascii=False)
    where = "the configuration (outsourcekit.toml)"
    suffix = ".toml"
    if config.source is not None:
        file = Path(config.source)
        suffix = file.suffix.lower()
        where = str(_shown_path(file))
        if file.name == "pyproject.toml":
            where = f"[tool.outsourcekit] in {where}"
    if config.exclude:
        setting = f"add {quoted} to `exclude` in {where}"
    else:
        written = {".json": f'"exclude": [{quoted}]', ".yaml": f"exclude: [{quoted}]"}
        line = written.get(suffix.replace(".yml", ".yaml"), f"exclude = [{quoted}]")
        setting = f"add `{line}` to {where}"
    flag = "" if "," in glob else f" or run with `--exclude {_command_word(glob)}`"
    return f"hint: if {source} is not an engagement file, leave it out: {setting}{flag}"


#: What a glob reads as a pattern; each is written ``[*]`` to match itself.
_GLOB_CHARACTERS: Final = re.compile(r"[*?\[]")
#: What Python holds for each byte of a file name that is no UTF-8.
_LONE_SURROGATE: Final = re.compile("[\udc80-\udcff]")


def _columns(
    rows: Sequence[Sequence[str]], least: Sequence[int], *, right: int = 0
) -> list[str]:
    """Return *rows* as lines of columns separated by a space, the header first.

    Each column is as wide as its widest cell, and at least its *least*
    width; the last *right* columns (numbers) are aligned right.
    """
    widths = [max(w, *(len(row[i]) for row in rows)) for i, w in enumerate(least)]
    first = len(widths) - right
    return [
        " ".join(
            cell.rjust(width) if i >= first else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def statistics_text(statistics: Statistics) -> str:
    """Return a run's statistics as text: per rule, per category, and in total.

    A plugin rule's long code, slug or category widens its column.
    """
    lines = _columns(
        [
            ("rule", "slug", "category", "findings", "waived", "errors", "ms"),
            *(
                (
                    s.rule,
                    s.slug,
                    s.category,
                    str(s.findings),
                    str(s.waived),
                    str(s.errors),
                    f"{s.seconds * 1000:.2f}",
                )
                for s in statistics.rules
            ),
        ],
        (8, 30, 16, 8, 6, 6, 9),
        right=4,
    )
    lines.append("")
    lines += _columns(
        [
            ("category", "rules", "findings", "waived", "errors", "ms"),
            *(
                (
                    c.category,
                    str(c.rules),
                    str(c.findings),
                    str(c.waived),
                    str(c.errors),
                    f"{c.seconds * 1000:.2f}",
                )
                for c in statistics.by_category().values()
            ),
        ],
        (16, 5, 8, 6, 6, 9),
        right=5,
    )
    findings = sum(s.findings for s in statistics.rules)
    waived = sum(s.waived for s in statistics.rules)
    errors = sum(s.errors for s in statistics.rules)
    lines += [
        "",
        (
            f"{plural(len(statistics.rules), 'rule')}, "
            f"{plural(findings, 'finding')}, {waived} waived, "
            f"{plural(errors, 'error')}; "
            f"the check took {statistics.seconds * 1000:.1f} ms"
        ),
    ]
    return "\n".join(lines) + "\n"


#: What an exporter that raised gave (None is what one may wrongly return).
_FAILED: Final = object()


class _Writer:
    """Writes one report in several formats, rendering each format once.

    *renderers* render some formats the command's way rather than with the
    exporter's own function (the text format with the engagements' titles).
    """

    def __init__(
        self,
        report: Report,
        renderers: Mapping[str, Callable[[Report], str | bytes]] | None = None,
    ) -> None:
        self.report = report
        self.renderers = dict(renderers or {})
        self.rendered: dict[str, str | bytes | None] = {}

    def render(
        self, exporter: Exporter, custom: Callable[[Report], str | bytes] | None
    ) -> str | bytes | None:
        """Return the report in this format, or None when the exporter failed."""
        if custom is None and exporter.name in self.rendered:
            return self.rendered[exporter.name]
        origin = f" (plugin {exporter.plugin})" if exporter.plugin else ""
        produce: Callable[[Report], object] = (
            custom or self.renderers.get(exporter.name) or exporter.func
        )
        data: object
        try:
            data = produce(self.report)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - a plugin's exporter may fail any way
            failure = raised_text(exc)
            _err(f"error: format {exporter.name!r}{origin} failed: {failure}")
            data = _FAILED
        if data is not _FAILED and not isinstance(data, (str, bytes)):
            from ._shorten import kind_of, short_repr  # noqa: PLC0415

            _err(
                f"error: format {exporter.name!r}{origin} failed: it returned "
                f"{short_repr(data)} ({kind_of(data)}) instead of text or bytes"
            )
        text = data if isinstance(data, (str, bytes)) else None
        if custom is None:
            self.rendered[exporter.name] = text
        return text

    def write(
        self,
        exporter: Exporter,
        target: str,
        custom: Callable[[Report], str | bytes] | None = None,
        *,
        color: bool = False,
    ) -> ExitStatus:
        """Write the report in one format to *target* (``-``: stdout).

        Return the status this adds: OK, FAILURE when the exporter raised, or
        ERROR when the file cannot be written. The file is replaced only by a
        whole report (:class:`_Staged`); when this format fails, the file an
        earlier run wrote there is removed, as it would pass for this run's.
        """
        data = self.render(exporter, custom)
        if data is None:
            if target != "-":
                _remove_stale(target)
            return ExitStatus.FAILURE
        if target == "-":
            click.echo(data, nl=False, color=color)
            return ExitStatus.OK
        path = Path(target)
        staged = None
        try:
            _make_folders(path)
            staged = _Staged(path, binary=True)
            staged.file.write(data if isinstance(data, bytes) else data.encode())
            staged.commit()
        except OSError as exc:
            if staged is not None:
                staged.discard()
            _err(f"error: --output {target}: cannot be written: {exc.strerror}")
            _remove_stale(target)
            return ExitStatus.ERROR
        except BaseException:
            if staged is not None:
                staged.discard()
            raise
        return ExitStatus.OK


class _CheckCommand(click.Command):
    """``check``, whose help lists every format, plugins' included."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from .plugins import PluginConflictError, get_exporters  # noqa: PLC0415

        try:
            exporters = get_exporters()
        except PluginConflictError:  # reported when the check runs
            exporters = []
        rows = []
        for e in exporters:
            origin = (
                ""
                if e.plugin in {None, "outsourcekit.builtin.exporters"}
                else (f" (plugin {e.plugin})")
            )
            rows.append((e.name, f"{e.description}{origin}"))
        if rows:
            with formatter.section("Formats"):
                formatter.write_dl(rows)
        super().format_epilog(ctx, formatter)


@cli.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=_InputPath())
@click.option(
    "--examples",
    is_flag=True,
    help="Check the bundled example portfolio (with the default configuration "
    "unless --config is given).",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    default="text",
    show_default=True,
    metavar="FORMAT",
    help="Format of the report on stdout: one of the formats listed below.",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="[FORMAT:]FILE",
    help="Also write the report to FILE, in FORMAT or the one its suffix names "
    "(.json, .sarif, .html, ...; no suffix: the --format); missing folders are "
    "created. Repeatable.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="X,...",
    help="Run only these rules: codes, code prefixes, categories or slugs.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="X,...",
    help="Run these rules too, besides the selected ones (named as for --select).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="X,...",
    help="Do not run these rules (named as for --select).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB,...",
    help="Never read these files or folders while walking directories, besides "
    "the configuration's exclude (drafts, archive/*.yaml).",
)
@click.option(
    "--as-of",
    metavar="DATE",
    callback=_as_of,
    help="The date to check for (default: today), e.g. 2026-11-22; from "
    "1900-01-01 to 2999-12-31.",
)
@click.option(
    "--history",
    metavar="START..END/EVERY",
    callback=_history_dates,
    help="Check at every date of a range (EVERY: week, month or quarter), e.g. "
    "2026-01-01..2026-12-01/month, and print the trend; json: one report per date. "
    f"At most {HISTORY_DATES:,} dates.",
)
@click.option(
    "--fail-on",
    type=_Choice(["info", "warning", "error", "never"], meant=_fail_on_meant),
    help="Exit with 1 when an unwaived finding at or above this severity remains "
    "[default: error, or the configuration's].",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit with 0 even when findings fail the run (errors still exit 2 or 3).",
)
@click.option(
    "--config",
    "config_file",
    type=_FLAG_FILE,
    help="Read this configuration file instead of outsourcekit.toml or pyproject.toml.",
)
@click.option(
    "--baseline",
    type=_FLAG_FILE,
    help="A JSON (or JSON Lines) report of an earlier run: findings it has are "
    "marked unchanged in every format, and only the others fail the run.",
)
@click.option(
    "--new-only",
    is_flag=True,
    help="Leave out the findings the --baseline already has.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print counts per rule and category with each rule's time.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    metavar="N",
    help="Check in N worker processes (0: one per core), each reading its own "
    "files; the report is the one of a single process.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Show no progress, and of the text report only the summary line; "
    "other formats are printed in full.",
)
@click.option(
    "--color",
    type=_Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report: auto colours a terminal (FORCE_COLOR forces "
    "it, NO_COLOR turns it off).",
)
@_debug_option
@_version
def check(  # noqa: C901, PLR0913, PLR0917 - one parameter per option
    paths: tuple[Path, ...],
    examples: bool,
    fmt: str,
    outputs: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    as_of: dt.date | None,
    history: list[dt.date] | None,
    fail_on: str | None,
    exit_zero: bool,
    config_file: Path | None,
    baseline: Path | None,
    new_only: bool,
    statistics: bool,
    jobs: int,
    quiet: bool,
    color: str,
    debug: bool,
) -> None:
    """Check engagement files and directories.

    With no PATH, check the configuration's `paths`, else the current
    directory. Walking a directory reads only engagement files (a top-level
    mapping with a key of the file format) and lists the others as skipped;
    a file named explicitly is always read.

    Exit status: 0 when no unwaived finding at or above --fail-on remains
    (outside the --baseline), 1 when one does, 2 for usage, configuration or
    load errors, 3 when a rule, an exporter or a plugin failed; the highest
    applies.
    """
    if examples and paths:
        msg = "--examples checks the bundled examples: give no PATH with it"
        raise CliError(msg)
    if new_only and baseline is None:
        raise CliError("--new-only needs --baseline FILE")
    _require_working_directory()
    exporters = _exporters(debug=debug)
    if fmt not in exporters:
        raise _unknown_format(fmt, exporters, "--format")
    targets = _targets(outputs, exporters, exporters[fmt])
    if history is not None:
        _history_usage(
            fmt,
            outputs,
            targets,
            as_of=as_of,
            baseline=baseline,
            new_only=new_only,
            statistics=statistics,
            jobs=jobs,
        )
    config = _config(
        config_file,
        select=_names(select, "--select"),
        extend_select=_names(extend_select, "--extend-select"),
        ignore=_names(ignore, "--ignore"),
        fail_on=fail_on,
        debug=debug,
        own=not examples,
    )
    base = _baseline(baseline, debug=debug)

    examples_root = _examples_root(debug=debug) if examples else None
    given = _given(paths, config, examples_root)
    own_files = [
        Path(p) for p in (config.source, config.waivers, baseline) if p is not None
    ]
    selection = _Selection(
        given,
        config=config,
        exclude=_names(exclude, "--exclude", "globs") or (),
        own_files=own_files,
        relative=examples_root is None,
    )
    _overwrites_input(outputs, targets, selection.files, config)
    # With no engagement file, the message on stderr is what the text format
    # says on stdout; every other format, and every --output, gets the empty
    # report, so that the CI steps reading it find it.
    to_stdout = bool(selection.files) or fmt != "text"
    if not selection.files:
        _nothing_found(given, selection)
    if history is not None:
        _check_history(
            selection,
            history,
            exporters[fmt],
            targets,
            config=config,
            exit_zero=exit_zero,
            quiet=quiet,
            debug=debug,
            examples_root=examples_root,
            to_stdout=to_stdout,
        )
    lines = _lines_wanted(fmt, targets, quiet=quiet)
    if examples_root is None:  # large inputs: checked streamed
        _check_streamed(
            selection,
            exporters[fmt],
            targets,
            _Options(
                fmt, as_of, config, base, new_only, exit_zero, statistics, jobs, lines
            ),
            quiet=quiet,
            color=color,
            debug=debug,
        )

    progress = _Progress(quiet=quiet)
    report, titles = _check_files(
        selection.files,
        jobs,
        progress,
        as_of=as_of,
        config=config,
        lines=lines,
        debug=debug,
    )
    progress.done()
    report = _annotate(report, selection, config=config, base=base)
    if examples_root is not None:
        report = _relabel(report, examples_root, "examples")
    diff = None if base is None else report.diff(base)

    statuses = list(_status(report, diff, config.fail_on))
    if exit_zero and ExitStatus.FINDINGS in statuses:
        statuses.remove(ExitStatus.FINDINGS)
    if new_only:
        report = report.new_only()
    statuses += _write_report(
        report,
        exporters[fmt] if to_stdout else None,
        targets,
        titles=titles,
        diff=diff,
        quiet=quiet,
        color=color,
    )
    _problems(
        report,
        debug=debug,
        loads=fmt not in _ERRORS_INSIDE,
        hints=_exclude_hints(report.errors, selection, config),
    )
    if statistics:
        click.echo(statistics_text(report.statistics), nl=False, err=fmt != "text")
    sys.exit(int(max(statuses)))


def _require_working_directory() -> None:
    """Fail, saying why, when the working directory is gone (removed under the shell).

    Configuration is searched from it and files are named from it.
    """
    try:
        os.getcwd()  # noqa: PTH109 - the system's own question
    except OSError as exc:
        msg = (
            f"the working directory cannot be read ({exc.strerror or exc}): "
            "run outsourcekit from a folder that exists"
        )
        raise CliError(msg) from None


def _lines_wanted(
    fmt: str, targets: Sequence[tuple[Exporter, str]], *, quiet: bool
) -> bool:
    """Whether the findings' lines are to be found: whether anything shows them.

    Every format prints the findings but the text format with ``--quiet``,
    which prints the summary alone; a plugin that sees the report
    (``outsourcekit_report_ready``) may keep or post it, with its findings.
    """
    from .plugins import reports_seen  # noqa: PLC0415

    return bool(targets) or not (fmt == "text" and quiet) or reports_seen()


def _nothing_found(given: Sequence[Path], selection: _Selection) -> None:
    """Say on stderr that no engagement file was found where *given* says."""
    where = ", ".join(
        "the current directory" if p == Path() else str(_shown_path(p)) for p in given
    )
    skipped = len(selection.skipped)  # files and folders: paths
    passed = f" ({plural(skipped, 'path')} skipped)" if skipped else ""
    _err(
        f"No engagement files found in {where}{passed}. Name files or folders, "
        "set `paths` in the configuration, or try the bundled examples: "
        "outsourcekit check --examples"
    )


def _write_report(  # noqa: PLR0913 - one parameter per option
    report: Report,
    stdout: Exporter | None,
    targets: Sequence[tuple[Exporter, str]],
    *,
    titles: dict[str, str],
    diff: ReportDiff | None,
    quiet: bool,
    color: str,
) -> list[ExitStatus]:
    """Write *report* to stdout in the ``--format``, then to every ``--output``.

    The text format is the command's wherever it goes: with the engagements'
    titles and the baseline's verdict. On stdout it is coloured as ``--color``
    says (and ``--quiet`` cuts the ``--format``'s to the summary); a text file
    is the same report uncoloured, at the usual width, with the errors that
    stdout leaves to stderr. With *stdout* None, nothing goes to stdout but
    the ``--output`` files to it (``-o csv:-``). Return the statuses the
    writing adds.
    """
    colored = _colored(sys.stdout, color)
    in_file = _text_renderer(
        color=False,
        titles=titles,
        diff=diff,
        quiet=False,
        problems=True,
        terminal=False,
    )
    writer = _Writer(report, {"text": in_file})
    statuses = []
    first = [] if stdout is None else [(stdout, "-")]
    for index, (exporter, target) in enumerate([*first, *targets]):
        if exporter.name == "text" and target == "-":
            shown = _text_renderer(
                color=colored,
                titles=titles,
                diff=diff,
                quiet=quiet and index == 0 and stdout is not None,
            )
            statuses.append(writer.write(exporter, target, shown, color=colored))
        else:
            statuses.append(writer.write(exporter, target))
    return statuses


def _examples_root(*, debug: bool) -> Path:
    from .examples import examples_path  # noqa: PLC0415

    try:
        return Path(examples_path())
    except FileNotFoundError as exc:
        _fail(str(exc), ExitStatus.ERROR, debug=debug)


def _given(
    paths: Sequence[Path], config: Config, examples_root: Path | None
) -> list[Path]:
    """Return what to read: PATHs, the examples, configured paths or the cwd."""
    if examples_root is not None:
        return [examples_root]
    if paths:
        return list(paths)
    if config.paths:
        from .config import _checked_paths  # noqa: PLC0415
        from .engine import ConfigError  # noqa: PLC0415

        try:
            return [_shown_path(p) for p in _checked_paths(config)]
        except ConfigError as exc:
            raise CliError(_config_message(exc)) from None
    return [Path()]


def _annotate(
    report: Report, selection: _Selection, *, config: Config, base: Report | None
) -> Report:
    """Add to *report* what the run knows: skipped files, verdict, baseline."""
    import attrs  # noqa: PLC0415

    from .engine import SkippedFile  # noqa: PLC0415

    report = attrs.evolve(
        report,
        skipped=tuple(
            SkippedFile(path=path.as_posix(), reason=reason)
            for path, reason in selection.skipped
        ),
        fail_on=config.fail_on,
    )
    return report if base is None else report.with_baseline(base)


def _text_renderer(  # noqa: PLR0913 - each is a choice of the text format
    *,
    color: bool,
    titles: dict[str, str],
    diff: ReportDiff | None,
    quiet: bool,
    problems: bool = False,
    terminal: bool = True,
) -> Callable[[Report], str]:
    """Return the text format as the command shows it: titles, the baseline's verdict.

    For the *terminal* (stdout), wrapped to its width when stdout is one, else
    (a file) to the usual width; with *problems*, the load, rule and plugin
    errors too (a file has no stderr).
    """
    from .builtin.exporters.text import WIDTH, render  # noqa: PLC0415

    width = WIDTH
    if terminal and _is_tty(sys.stdout):
        width = min(max(shutil.get_terminal_size((WIDTH, 24)).columns, 60), 120)

    def text(report: Report) -> str:
        return render(
            report,
            color=color,
            titles=titles,
            diff=diff,
            quiet=quiet,
            problems=problems,
            width=width,
        )

    return text


def _run(  # noqa: PLR0913 - the check's arguments, and how it runs
    engagements: list[Engagement],
    issues: Sequence[LoadIssue],
    *,
    as_of: dt.date | None,
    config: Config,
    lines: bool,
    debug: bool,
) -> Report:
    from ._api import checked  # noqa: PLC0415

    try:
        return checked(
            engagements,
            as_of=as_of,
            config=config,
            rules=None,
            errors=issues,
            lines=lines,
        )
    except Exception as exc:  # noqa: BLE001 - a failed check is never "findings"
        _check_failed(exc, debug=debug)


def _check_files(  # noqa: PLR0913
    files: Sequence[Path],
    jobs: int,
    progress: _Progress,
    *,
    as_of: dt.date | None,
    config: Config,
    lines: bool,
    debug: bool,
) -> tuple[Report, dict[str, str]]:
    """Load and check *files*, in *jobs* worker processes; report and titles.

    The findings' lines are found only with *lines* (:func:`_lines_wanted`).
    """
    if jobs == 1:
        engagements, issues = _load(files, progress, config.import_root)
        progress.show(f"Checking {len(engagements)} engagements...")
        report = _run(
            engagements, issues, as_of=as_of, config=config, lines=lines, debug=debug
        )
        return report, {e.id: e.title for e in engagements if e.title}
    from ._jobs import check_files  # noqa: PLC0415

    progress.show(f"Checking {len(files)} files in worker processes...")
    try:
        checked = check_files(
            files, jobs=jobs, as_of=as_of, config=config, titles=True, lines=lines
        )
    except Exception as exc:  # noqa: BLE001 - a failed check is never "findings"
        _check_failed(exc, debug=debug)
    return checked.report, checked.titles


# -- check, streamed ----------------------------------------------------------------

#: Engagement files together at least this large (bytes, about 3,000 engagements
#: of realistic size) are checked streamed when every format asked for can be
#: written so: above it, holding the whole report takes more memory than a chunk.
STREAM_BYTES = 16 * 1024 * 1024
#: The formats that carry the load errors themselves: not printed on stderr too.
_ERRORS_INSIDE = frozenset({"json", "jsonl"})


def _streams(
    stdout: Exporter | None,
    targets: Sequence[tuple[Exporter, str]],
    selection: _Selection,
) -> bool:
    """Whether to check streamed: every format streams, and the input is large.

    A streamed check holds a chunk of engagements at a time, and writes the
    findings in the order the engagements are read (the portfolio rules'
    last) rather than by engagement id; so small inputs, whose reports are
    read by people, keep the whole report's order (as ``--jobs`` gives it).
    *stdout* is None when only the text summary goes there (``--quiet``).
    """
    formats = [exporter for exporter, _ in targets]
    if stdout is not None:
        formats.append(stdout)
    if any(exporter.stream is None for exporter in formats):
        return False
    return sum(map(_size, selection.files)) >= STREAM_BYTES


def _size(file: Path) -> int:
    try:
        return file.stat().st_size
    except OSError:
        return 0


class _Marks(Mapping[tuple[str, str, str], str]):
    """Each finding's state against a baseline, decided a batch at a time.

    The report's ``baseline`` while a check streams: :meth:`mark` decides the
    states of a batch's findings as :meth:`Report.with_baseline` does for the
    whole report, and counts what the baseline verdict needs: new findings by
    severity, and how many of the baseline's are still found. Findings are
    counted as :meth:`Report.diff` counts them: each of the baseline's
    accounts for one finding of its key at most, the first found.
    """

    def __init__(self, baseline: Report) -> None:
        self.old = Counter(f.key for f in baseline.findings if f.waived is None)
        self.known = frozenset(f.key for f in baseline.findings)
        self.states: dict[tuple[str, str, str], str] = {}
        #: The unwaived findings found so far, by key.
        self.seen: Counter[tuple[str, str, str]] = Counter()
        self.new: dict[str, int] = {"error": 0, "warning": 0, "info": 0}

    def mark(self, batch: Sequence[Finding]) -> None:
        """Decide the states of *batch*, the findings the formats are given next."""
        states: dict[tuple[str, str, str], str] = {}
        for f in batch:
            key = f.key
            if f.waived is None:
                self.seen[key] += 1
                if self.seen[key] > self.old[key]:
                    states[key] = "new"
                    self.new[f.severity.value] += 1
                elif states.get(key) != "new":
                    states[key] = "unchanged"
            else:
                states.setdefault(key, "unchanged" if key in self.known else "new")
        self.states = states

    def fixed(self, baseline: Report, report: Report) -> int:
        """Return how many of the baseline's findings were not found again.

        Only those *report*'s check could find again count, as for
        :meth:`Report.diff`: of engagements it checked and rules that ran.
        """
        from .engine._report import comparable  # noqa: PLC0415

        before = [f for f in baseline.findings if f.waived is None]
        old = Counter(f.key for f in comparable(report, before))
        return sum(max(n - self.seen[key], 0) for key, n in old.items())

    def failed(self, fail_on: str) -> bool:
        """Whether a new finding is at or above *fail_on*."""
        from .engine import FindingCounts  # noqa: PLC0415

        return FindingCounts(**self.new).at_or_above(fail_on) > 0

    def __getitem__(self, key: tuple[str, str, str]) -> str:
        return self.states[key]

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        return iter(self.states)

    def __len__(self) -> int:
        return len(self.states)


class _Tee:
    """The text file one format of a streamed check writes: all its outputs.

    The format is rendered once and written to each output. An ``--output``
    file that cannot be written is left out alone (:meth:`_Output.drop`): the
    format's other outputs go on, as they would for a whole report.

    A format with one output is its file besides: any other attribute
    (``isatty()``, ``name``) is that file's. With several outputs there is no
    one file to answer, and any other attribute is an :class:`AttributeError`
    that says so.
    """

    def __init__(self, output: _Output) -> None:
        self.output = output

    def __getattr__(self, name: str) -> Any:
        output: _Output | None = self.__dict__.get("output")
        if output is None or name.startswith("__"):
            raise AttributeError(name)
        if len(output.files) == 1:
            return getattr(output.files[0], name)
        msg = (
            f"format {output.exporter.name!r} is written to several outputs at "
            f"once: its file has only write, writelines and flush, not {name!r}"
        )
        raise AttributeError(msg)

    def write(self, text: str) -> int:
        self._each(lambda file: file.write(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        self.write("".join(lines))

    def flush(self) -> None:
        self._each(lambda file: file.flush())

    def _each(self, call: Callable[[TextIO], object]) -> None:
        output = self.output
        for index, file in enumerate(output.files):
            if index in output.dropped:
                continue
            if output.staged[index] is None:  # stdout: its failure is the format's
                call(file)
                continue
            try:
                call(file)
            except OSError as exc:
                output.drop(index, exc)


class _Output:
    """One format of a streamed check: its sink, and the files it writes.

    A file that cannot be written is reported, and the status it adds
    (ERROR) goes to *statuses*.
    """

    def __init__(self, exporter: Exporter, statuses: list[ExitStatus]) -> None:
        self.exporter = exporter
        self.statuses = statuses
        self.targets: list[str] = []
        self.files: list[TextIO] = []
        self.staged: list[_Staged | None] = []
        self.dropped: set[int] = set()
        self.sink: ReportSink | None = None

    def add(self, target: str, file: TextIO, staged: _Staged | None) -> None:
        """Write this format to *target* too, through *file*."""
        self.targets.append(target)
        self.files.append(file)
        self.staged.append(staged)

    def file(self) -> TextIO:
        """Return the file the format writes: stdout alone, or all its outputs."""
        if self.staged == [None]:
            return self.files[0]
        return cast("TextIO", _Tee(self))

    @property
    def written(self) -> bool:
        """Whether an output of this format is still being written."""
        return len(self.dropped) < len(self.files)

    def drop(self, index: int, exc: OSError) -> None:
        """Leave out the file at *index*, which cannot be written; say why."""
        target, staged = self.targets[index], self.staged[index]
        self.dropped.add(index)
        _err(f"error: --output {target}: cannot be written: {exc.strerror}")
        if staged is not None:
            staged.discard()
        _remove_stale(target)
        self.statuses.append(ExitStatus.ERROR)

    def close(self, *, failed: bool = False, stale: bool = False) -> None:
        """Put the files written in their targets' places; report those that fail.

        With *failed*, what was written is removed instead and the targets
        are left as they were; with *stale* too (the format failed), the
        files earlier runs left there are removed, as they would pass for
        this run's. Stdout, whose reader closed it or that cannot be
        written, stops the run (:class:`_StdoutClosed`), unless *failed*
        already.
        """
        for index, (target, file, staged) in enumerate(
            zip(self.targets, self.files, self.staged, strict=True)
        ):
            if index in self.dropped:
                continue
            if staged is None:
                _flush_stdout(file, failed=failed)
                continue
            if failed:
                staged.discard()
                if stale:
                    _remove_stale(target)
                continue
            try:
                staged.commit()
            except OSError as exc:
                self.drop(index, exc)


def _flush_stdout(file: TextIO, *, failed: bool) -> None:
    """Flush stdout, which a streamed format writes; with *failed*, come what may.

    Its reader closed it, or it cannot be written (a full disk):
    :class:`_StdoutClosed`, as :class:`_StdoutWriter` raises it.
    """
    try:
        file.flush()
    except _StdoutClosed:
        if not failed:
            raise


class _StdoutWriter:
    """Stdout as a streamed format writes it: a failure to write it stops the run.

    Its reader closed it: :class:`_StdoutClosed`; it cannot be written (a
    full disk): :class:`_StdoutFull`, as when a whole report is printed.
    Only stdout's own writes are told so: a format's other failures (its
    temporary file on a full disk) stay the format's. Any other attribute
    (``isatty()``) is stdout's.
    """

    def __init__(self, file: TextIO) -> None:
        self.file = file

    def __getattr__(self, name: str) -> Any:
        file: TextIO | None = self.__dict__.get("file")
        if file is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(file, name)

    def write(self, text: str) -> int:
        try:
            return self.file.write(text)
        except OSError as exc:
            raise _stdout_failure(exc) from None

    def writelines(self, lines: Iterable[str]) -> None:
        try:
            self.file.writelines(lines)
        except OSError as exc:
            raise _stdout_failure(exc) from None

    def flush(self) -> None:
        try:
            self.file.flush()
        except OSError as exc:
            raise _stdout_failure(exc) from None


def _stdout_failure(exc: OSError) -> BaseException:
    """Return what stops the run when writing stdout raised *exc*, else *exc*."""
    if isinstance(exc, BrokenPipeError):
        return _StdoutClosed()
    if exc.errno in _WRITE_ERRORS:
        return _StdoutFull(exc)
    return exc


class _Stream:
    """The formats a streamed check writes, fed together as one sink.

    Each format is written by its exporter's streaming form, once for all
    the outputs in that format. Findings are marked against the baseline
    before the formats see them, and with ``--new-only`` those the baseline
    has are left out (and out of the summary's counts). A format that fails
    is reported, its files removed, and the others go on.
    """

    def __init__(
        self,
        stdout: Exporter | None,
        targets: Sequence[tuple[Exporter, str]],
        *,
        base: Report | None,
        new_only: bool,
    ) -> None:
        self.outputs = [(stdout, "-")] if stdout is not None else []
        self.outputs += list(targets)
        self.base = base
        self.new_only = new_only and base is not None
        self.marks = None if base is None else _Marks(base)
        self.formats: list[_Output] = []
        self.statuses: list[ExitStatus] = []
        self.skipped: tuple[SkippedFile, ...] = ()
        self.fail_on = "error"
        self.counts: FindingCounts | None = None
        self.report: Report | None = None

    def open(
        self, as_of: dt.date | None, config: Config, selection: _Selection
    ) -> None:
        """Open every output and make each format's sink, before the check starts."""
        import datetime as dt  # noqa: PLC0415

        from .engine import FindingCounts, Report, SkippedFile  # noqa: PLC0415

        self.fail_on = config.fail_on
        self.skipped = tuple(
            SkippedFile(path=path.as_posix(), reason=reason)
            for path, reason in selection.skipped
        )
        if self.new_only:
            self.counts = FindingCounts()
        context = Report(
            as_of=as_of or dt.date.today(),  # noqa: DTZ011 - as the check's
            findings=(),
            engagements=(),
            fail_on=config.fail_on,
            baseline=self.marks,
        )
        by_name: dict[str, _Output] = {}
        for exporter, target in self.outputs:
            if target == "-":
                file, staged = cast("TextIO", _StdoutWriter(sys.stdout)), None
            else:
                staged = self._file(target)
                if staged is None:
                    continue
                file = cast("TextIO", staged.file)
            output = by_name.setdefault(exporter.name, _Output(exporter, self.statuses))
            output.add(target, file, staged)
        for output in by_name.values():
            self._start(output, context)

    def _start(self, output: _Output, context: Report) -> None:
        """Make the sink of one format; an exporter that fails is reported."""
        stream = output.exporter.stream
        if stream is None:  # pragma: no cover - _streams() asked
            return
        try:
            output.sink = stream(output.file(), context)
        except Exception as exc:  # noqa: BLE001 - a plugin's exporter may fail any way
            self._failed(output, exc)
            return
        if output.written:
            self.formats.append(output)

    def _file(self, target: str) -> _Staged | None:
        path = Path(target)
        try:
            _make_folders(path)
            return _Staged(path)
        except OSError as exc:
            _err(f"error: --output {target}: cannot be written: {exc.strerror}")
            _remove_stale(target)
            self.statuses.append(ExitStatus.ERROR)
            return None

    def _failed(self, output: _Output, exc: BaseException) -> None:
        """Report a format that failed, and remove what it and earlier runs wrote."""
        exporter = output.exporter
        origin = f" (plugin {exporter.plugin})" if exporter.plugin else ""
        _err(f"error: format {exporter.name!r}{origin} failed: {raised_text(exc)}")
        self.statuses.append(ExitStatus.FAILURE)
        output.close(failed=True, stale=True)

    def _each(self, call: Callable[[ReportSink], object]) -> None:
        """Call every format's sink; one that raises is dropped, the others go on.

        A format none of whose files can be written any more is dropped too.
        One writing stdout, whose reader closed it or that cannot be written,
        stops the run (:class:`_StdoutClosed`, raised by :class:`_StdoutWriter`).
        """
        kept = []
        for output in self.formats:
            try:
                call(cast("ReportSink", output.sink))
            except (KeyboardInterrupt, _StdoutClosed):  # noqa: PERF203 - each format fails alone
                raise
            except BrokenPipeError as exc:
                if "-" in output.targets:  # its reader closed stdout: the run stops
                    raise _StdoutClosed from None
                self._failed(output, exc)
            except BaseException as exc:  # noqa: BLE001 - each format fails alone
                self._failed(output, exc)
            else:
                if output.written:
                    kept.append(output)
        self.formats = kept

    def begin(self, as_of: dt.date, rules: Sequence[Rule]) -> None:
        """Begin every format's report."""
        self._each(lambda sink: sink.begin(as_of, rules))

    def findings(self, batch: Sequence[Finding]) -> None:
        """Mark a batch against the baseline and hand it to every format."""
        if self.marks is not None:
            self.marks.mark(batch)
            if self.new_only:
                states = self.marks.states
                batch = [f for f in batch if states.get(f.key) != "unchanged"]
        if self.counts is not None:
            self.counts += type(self.counts).of(batch)
        if batch:
            self._each(lambda sink: sink.findings(batch))

    def end(self, report: Report) -> None:
        """End every format's report with what the command line knows."""
        import attrs  # noqa: PLC0415

        report = attrs.evolve(
            report, skipped=self.skipped, fail_on=self.fail_on, baseline=self.marks
        )
        if self.counts is not None:
            report = attrs.evolve(report, streamed=self.counts)
        self.report = report
        self._each(lambda sink: sink.end(report))

    def close(self, *, failed: bool = False) -> None:
        """Put the files written in place; with *failed* (the check), discard them.

        A check that failed made no report: what it wrote is removed and the
        files of earlier runs are left as they were. So is a check whose
        stdout its reader closed (stdout, first, is flushed before any file
        is put in place).
        """
        try:
            for output in self.formats:
                output.close(failed=failed)
        except _StdoutClosed:
            for output in self.formats:
                output.close(failed=True)
            raise
        finally:
            self.formats = []


class _Options(NamedTuple):
    """What ``check`` was asked for, as a streamed check needs it."""

    fmt: str
    as_of: dt.date | None
    config: Config
    base: Report | None
    new_only: bool
    exit_zero: bool
    statistics: bool
    jobs: int = 1
    #: Whether the findings' lines are found (:func:`_lines_wanted`).
    lines: bool = True


def _check_streamed(  # noqa: PLR0913 - one parameter per option
    selection: _Selection,
    stdout: Exporter,
    targets: Sequence[tuple[Exporter, str]],
    options: _Options,
    *,
    quiet: bool,
    color: str,
    debug: bool,
) -> None:
    """Check *selection* streamed and exit, when it is large and the formats allow.

    Returns (having done nothing) otherwise. Streamed, the engagements are
    read a chunk at a time (a JSON Lines file a line at a time) and each
    chunk's findings are written as it is checked; the text summary
    (``--quiet``), the errors and ``--statistics`` follow at the end.
    """
    shown = None if options.fmt == "text" and quiet else stdout
    if not _streams(shown, targets, selection):
        return
    outputs = _Stream(shown, targets, base=options.base, new_only=options.new_only)
    # Findings streamed to the terminal show how far the check is themselves;
    # a status line between them would be cut into them.
    progress = _Progress(quiet=quiet or (shown is not None and _is_tty(sys.stdout)))
    report = _run_streamed(selection, outputs, progress, options, debug=debug)
    statuses = [ExitStatus.OK, *outputs.statuses]
    statuses += _streamed_status(report, outputs, options)
    if options.fmt == "text":
        from .builtin.exporters.text import summary  # noqa: PLC0415

        marks, base = outputs.marks, options.base
        against = None
        if marks is not None and base is not None:
            against = (sum(marks.new.values()), marks.fixed(base, report))
        colored = _colored(sys.stdout, color)
        text = summary(report, color=colored, against=against)
        click.echo(text, nl=False, color=colored)
    _problems(
        report,
        debug=debug,
        loads=options.fmt not in _ERRORS_INSIDE,
        hints=_exclude_hints(report.errors, selection, options.config),
    )
    if options.statistics:
        text = statistics_text(report.statistics)
        click.echo(text, nl=False, err=options.fmt != "text")
    sys.exit(int(max(statuses)))


def _run_streamed(
    selection: _Selection,
    outputs: _Stream,
    progress: _Progress,
    options: _Options,
    *,
    debug: bool,
) -> Report:
    """Read and check *selection* into *outputs*; return the report without findings."""
    from ._api import checked_stream, iter_load  # noqa: PLC0415

    config = options.config
    stream = iter_load(selection.files, import_root=config.import_root)
    # How much of the input is read: the stream's, or the worker processes'.
    reading: EngagementStream | Reading = stream
    outputs.open(options.as_of, config, selection)
    progress.show(f"Reading {_files_text(len(selection.files))}...")

    def advance(done: int) -> None:
        progress.update(_progress_text(done, reading, progress.elapsed()))

    def finish(*, failed: bool) -> None:
        stream.close()
        progress.done()
        outputs.close(failed=failed)  # what a failed check wrote is no report

    try:
        if options.jobs == 1:
            report = checked_stream(
                stream,
                sink=outputs,
                as_of=options.as_of,
                config=config,
                rules=None,
                progress=advance,
                lines=options.lines,
            )
        else:  # worker processes send the same findings, in the same order
            from ._jobs import Reading, check_files  # noqa: PLC0415

            reading = Reading()
            report = check_files(
                selection.files,
                jobs=options.jobs,
                as_of=options.as_of,
                config=config,
                sink=outputs,
                progress=advance,
                reading=reading,
                lines=options.lines,
            ).report
    except Exception as exc:  # noqa: BLE001 - a failed check is never "findings"
        finish(failed=True)
        _check_failed(exc, debug=debug)
    except BaseException:
        finish(failed=True)
        raise
    finish(failed=False)
    return outputs.report or report


def _streamed_status(
    report: Report, outputs: _Stream, options: _Options
) -> list[ExitStatus]:
    """Return the statuses a streamed check adds: findings, load, rule errors."""
    fail_on = options.config.fail_on
    marks = outputs.marks
    failed = report.failed(fail_on) if marks is None else marks.failed(fail_on)
    statuses = []
    if failed and not options.exit_zero:
        statuses.append(ExitStatus.FINDINGS)
    if report.errors:
        statuses.append(ExitStatus.ERROR)
    if report.rule_errors or report.plugin_errors or _not_checked(report):
        statuses.append(ExitStatus.FAILURE)
    return statuses


def _files_text(count: int) -> str:
    return "1 file" if count == 1 else f"{count:,} files"


def _progress_text(
    done: int, reading: EngagementStream | Reading, seconds: float
) -> str:
    """Say how far a streamed check is: engagements checked, rate, time left.

    *reading* says how many bytes of the input are read (with ``--jobs``:
    checked in the worker processes) of how many.
    """
    rate = done / seconds if seconds > 0 else 0.0
    text = f"Checked {done:,} engagements ({rate:,.0f}/s)"
    total, read = reading.bytes_total, reading.bytes_read
    if total and 0 < read <= total:
        left = seconds * (total - read) / read
        text += f", {read * 100 // total}% read, about {_duration(left)} left"
    return text


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


# -- rules and explain ----------------------------------------------------------------


def _rules(*, debug: bool) -> list[Rule]:
    from .plugins import PluginConflictError, get_rules  # noqa: PLC0415

    try:
        return get_rules()
    except PluginConflictError as exc:
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)


def _plugin_status() -> ExitStatus:
    """Print plugins' failures so far to stderr; FAILURE if there were any."""
    from .plugins import plugin_errors  # noqa: PLC0415

    errors = plugin_errors()
    for p in errors:
        _err(f"error: plugin {p.plugin!r}: {p.message}")
    return ExitStatus.FAILURE if errors else ExitStatus.OK


def rule_data(rule: Rule) -> dict[str, Any]:
    """Return a rule's metadata as ``outsourcekit rules --format json`` gives it.

    Options map to their defaults as configuration writes them (a duration as
    its text, ``"2h"``); a default the rule derives when configuration sets
    none is None (``null`` in JSON).
    """
    return {
        "code": rule.code,
        "slug": rule.slug,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity.value,
        "fix": rule.fix,
        "options": {
            name.replace("_", "-"): option.to_config(option.default)
            for name, option in sorted(rule.options.items())
        },
        "sources": list(rule.sources),
        "scope": rule.scope,
        "plugin": rule.plugin,
    }


def _rules_text(rules: Sequence[Rule]) -> str:
    """Return the catalogue as a table; long codes or categories widen their column."""
    lines = _columns(
        [
            ("code", "slug", "severity", "category"),
            *((r.code, r.slug, r.severity.value, r.category) for r in rules),
        ],
        (8, 4, 8, 16),
    )
    from .builtin.exporters._escape import visible  # noqa: PLC0415

    lines[0] += " title"
    for index, r in enumerate(rules, start=1):
        lines[index] += f" {visible(r.title)}"  # one line, whatever a plugin wrote
        if r.plugin not in {None, "outsourcekit.builtin.rules"}:
            lines[index] += f"  (plugin {visible(r.plugin)})"
    lines.append(
        f"\n{plural(len(rules), 'rule')}; `outsourcekit explain CODE` tells more."
    )
    return "\n".join(lines) + "\n"


def _rules_markdown(rules: Sequence[Rule]) -> str:
    from .builtin.exporters.markdown import escape  # noqa: PLC0415

    lines = [
        "| code | slug | severity | category | title | plugin |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r.code}` | `{r.slug}` | {r.severity.value} | {escape(r.category)} | "
        f"{escape(r.title)} | {escape(r.plugin or '')} |"
        for r in rules
    ]
    return "\n".join(lines) + "\n"


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=_Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="How to print the catalogue.",
)
@_debug_option
@_version
def rules(fmt: str, debug: bool) -> None:
    """List every rule, built-in and plugins': code, slug, severity, category."""
    found = _rules(debug=debug)
    if fmt == "json":
        text = json.dumps([rule_data(r) for r in found], indent=2) + "\n"
    elif fmt == "markdown":
        text = _rules_markdown(found)
    else:
        text = _rules_text(found)
    click.echo(text, nl=False)
    sys.exit(int(_plugin_status()))


@cli.command()
@click.argument("rule")
@_debug_option
@_version
def explain(rule: str, debug: bool) -> None:
    """Show one rule's documentation; RULE is its code (OSK601) or slug."""
    from .engine import UnknownRuleError, find_rule  # noqa: PLC0415

    found = _rules(debug=debug)
    try:
        chosen = find_rule(rule.strip(), found)
    except UnknownRuleError as exc:
        status = _plugin_status()
        _fail(_several_rules(exc, found), max(ExitStatus.ERROR, status), debug=debug)
    click.echo(_with_source_names(chosen.explain()), nl=False)
    sys.exit(int(_plugin_status()))


def _several_rules(error: UnknownRuleError, rules: Sequence[Rule]) -> str:
    """Say that ``explain`` got a code prefix or a category, naming its rules.

    A name that is neither keeps the error's own message and suggestion: a
    prefix would otherwise suggest one of its codes as if the others were not.
    """
    from .engine._rule import rules_named  # noqa: PLC0415

    what = rules_named(error.name, rules)
    if what is None:
        return str(error)
    return (
        f"no rule has the code or slug {error.name!r}: it is {what}; "
        "explain one of them"
    )


def _with_source_names(text: str) -> str:
    """Return a rule's documentation with its ``Sources:`` line spelt out."""
    from ._sources import source_name  # noqa: PLC0415

    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("Sources: "):
            codes = line.removeprefix("Sources: ").split(", ")
            lines[index : index + 1] = ["Sources:"] + [
                f"  {source_name(code)}" for code in codes
            ]
            break
    return "\n".join(lines)


# -- init and schema -------------------------------------------------------------------

#: The starter engagement file ``outsourcekit init`` writes; ``{id}``, ``{file}``
#: and ``{schema}`` are filled in, and its dates are moved to count from the day
#: it is written (see :func:`starter`): they are written here for a starter
#: written on ``STARTER_DAY``. It shows every key the built-in rules check:
#: uncommented, it gives no finding on the day it is written (tests/cli check
#: this).
STARTER = """\
# yaml-language-server: $schema={schema}
# An outsourcing engagement, described for outsourcekit.
#
# Only `id` is required: run `outsourcekit check {file}` now and each finding
# says what to fill in next, and why. Uncomment and complete the sections below
# as you go; `outsourcekit explain CODE` tells more about any finding. The first
# line points editors at the JSON Schema for completion: write it with
# `outsourcekit schema --output {schema}`.
#
# Placeholders such as TBD, n/a, - or TODO count as not written: leave a key
# commented out until you can fill it in for real.
outsourcekit: 1
id: {id}                      # unique among your engagements: letters, digits, . _ -
title: Describe the work in one line
status: proposed              # proposed | trial | active | paused | ended
# start: 2026-01-05
# end: 2026-12-31
# owner: Your name            # who is accountable for this relationship
# hours_per_week: 10
# vision: A few sentences on where the business is going, shared with the vendor
# exit_plan: How critical work comes back in-house or moves to another vendor

# client:
#   name: Your company
#   timezone: Europe/London
#   working_hours: "Mon-Fri 09:00-17:30"
#   region: GB
#   industry: retail
#   outsourcing_experience: some    # first | some | experienced

# vendor:
#   name: The vendor
#   kind: agency                    # freelancer | agency | bpo
#   timezone: Europe/Lisbon
#   working_hours: "Mon-Fri 09:00-18:00"
#   regions_served: [GB, PT]
#   industries_served: [retail]
#   vetting:
#     references_checked: true
#     testimonials: 3
#     case_studies: 2
#     security_review: passed       # none | passed | failed
#   selection:
#     criteria: [experience, references, cost]   # why this vendor was chosen
#     quotes_compared: 3            # how many vendors' quotes were compared
#   trial:
#     status: completed             # none | planned | running | completed | failed
#     completed_on: 2025-12-19

# tasks:
#   - name: What the vendor does
#     area: admin                   # admin | data-entry | social-media | it | software
#                                   # customer-support | finance | hr | research
#                                   # marketing | other
#     core: false                   # is it the heart of your business?
#     critical: false               # would its failure stop the business?
#     instructions: Where the written instructions are
#     due: weekly                   # a date, or a cadence for recurring work
#     checklist: [First step, Second step, How you know it is done]

# objectives:
#   - statement: The outcome the engagement must achieve, with a number and a date
#     kpi: on-time-delivery         # a KPI below that measures it, or a due date
#     due: 2026-12-31

# deliverables:
#   - name: What is handed over
#     description: What it contains and in which form
#     due: monthly                  # a date, or a cadence
#     acceptance: [How you decide it is done]

# quality:
#   criteria: [What good work looks like, in checkable terms]
#   reviewer: Who checks it

# performance:
#   delivery: Where and how finished work is delivered
#   status_reports: weekly

# agreements:                       # contract | msa | sow | sla | nda | dpa
#   - kind: nda
#     signed_on: 2026-01-02
#     signed_by: [Your company, The vendor]    # both parties
#     expires: 2028-01-01
#     document: contracts/nda.pdf              # where the signed copy is kept
#   - kind: contract
#     signed_on: 2026-01-02
#     signed_by: [Your company, The vendor]
#     effective: 2026-01-05
#     document: contracts/contract.pdf
#     payment_terms: Monthly, net 15
#     termination: 30 days notice
#     service_levels:
#       - {{name: response-time, target: 24h}}

# communication:
#   channels:
#     - {{name: Email, kind: email}}
#     - {{name: Shared chat, kind: chat, secure: true}}
#     - {{name: Trello, kind: pm-tool, secure: true}}
#   response_time: 24h
#   check_ins: weekly
#   check_in_length: 30m
#   feedback: monthly
#   escalation: Who the vendor turns to when stuck, and after how long

# data:
#   confidential: true              # is sensitive information shared?
#   personal_data: false            # customers' or staff's personal data?
#   shared_since: 2026-01-05
#   file_sharing:
#     - {{name: SharePoint, secure: true}}

# access:                           # systems the vendor can use; revoke at the end
#   - {{system: Accounting software, granted_on: 2026-01-05}}

# kpis:
#   - name: on-time-delivery
#     unit: percent
#     target: 95
#     direction: higher             # lower | higher
#     measured: monthly
#     measurements:
#       - {{at: 2026-02-02, value: 96}}

# milestones:
#   - name: First month delivered and reviewed
#     due: 2026-02-06
#     done_on: 2026-02-04

# check_ins:                        # held check-ins, as they happen
#   - {{at: 2026-02-03T10:00, by: client}}

# reviews:                          # the periodic review of the engagement
#   - {{on: 2026-02-10, outcome: continue, score: 4, notes: What was decided}}

# A finding you accept on purpose can be waived, with the reason and until when:
# see `waivers` in the documentation of the file format.
"""

#: The day the dates of ``STARTER`` are written for (its ``start``), in ISO form.
STARTER_DAY: Final = "2026-01-05"
#: A date of ``STARTER`` (also the date of a date-time).
_STARTER_DATE = re.compile(r"(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])")

#: The schema file the starter's first line names, written by ``schema --output``.
STARTER_SCHEMA = "outsourcekit.schema.json"


def starter(engagement_id: str, file: str | Path, day: dt.date) -> str:
    """Return the starter file ``init`` writes on *day*, for *engagement_id*.

    Each date of ``STARTER`` is moved by as many days as *day* is after
    ``STARTER_DAY``, so that the engagement starts on *day*: filled in, the
    starter gives no finding on the day it is written.
    """
    import datetime as dt  # noqa: PLC0415

    shift = day - dt.date.fromisoformat(STARTER_DAY)

    def moved(match: re.Match[str]) -> str:
        year, month, date = map(int, match.groups())
        return (dt.date(year, month, date) + shift).isoformat()

    template = _STARTER_DATE.sub(moved, STARTER)
    text = template.format(
        id=_yaml_scalar(engagement_id), file=_command_word(file), schema=STARTER_SCHEMA
    )
    # The commands of the comment are run where init was: the schema goes
    # beside the file, where its first line looks for it.
    here = f"`outsourcekit schema --output {STARTER_SCHEMA}`"
    return text.replace(here, f"`{_schema_command(file)}`", 1)


def _schema_command(file: str | Path) -> str:
    """Return the command that writes the schema beside *file*, for its editors."""
    beside = Path(file).parent / STARTER_SCHEMA
    return f"outsourcekit schema --output {_command_word(beside)}"


def _yaml_scalar(text: str) -> str:
    """Return *text* as YAML reads it back as this text: quoted if ``true``, ``1e3``."""
    import yaml  # noqa: PLC0415

    from ._source import YamlDumper  # noqa: PLC0415

    dumped: str = yaml.dump({"id": text}, Dumper=YamlDumper, width=1_000)
    return dumped.removeprefix("id: ").removesuffix("\n")


def _command_word(word: str | os.PathLike[str]) -> str:
    """Return *word* (a path) quoted as one word of a command in this platform's shell.

    A command printed for the user to paste must name a path with spaces or
    quotes as the shell reads it: quoted for a POSIX shell, or as Windows
    programs split their command line there. A plain word stays as it is,
    but that a path starting with a dash is named from the current folder
    (``./-x.yaml``), so that it reads as no option.
    """
    text = os.fspath(word)
    if text.startswith("-"):
        text = os.path.join(os.curdir, text)  # noqa: PTH118 - text, not a Path
    if sys.platform == "win32":
        import subprocess  # noqa: PLC0415

        return subprocess.list2cmdline([text])
    if _UNSHOWN.search(text):
        return _ansi_c_quoted(text)
    import shlex  # noqa: PLC0415

    return shlex.quote(text)


#: What no terminal shows as it is: control characters (C0, DEL, C1), the
#: line and paragraph separators, the bidirectional controls, and the lone
#: surrogates that stand for the bytes of a name that are no UTF-8.
_UNSHOWN: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


def _ansi_c_quoted(text: str) -> str:
    r"""Return *text* as a ``$'...'`` word, which bash, zsh and ksh read back.

    Each byte of the name that is not printable ASCII is written ``\xNN``, so
    that the word shows as it is and names the very bytes, those of a name
    that are no UTF-8 included; ``\`` and ``'`` are escaped.
    """
    out = []
    for byte in os.fsencode(text):
        char = chr(byte)
        if char in "\\'":
            out.append(f"\\{char}")
        elif 0x20 <= byte < 0x7F:  # printable ASCII
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "$'" + "".join(out) + "'"


def _starter_id(path: Path) -> str:
    stem = _ID_UNSAFE.sub("-", path.stem).strip("-.")
    return stem or "my-engagement"


#: The file ``init`` writes when given no PATH, or a folder.
STARTER_FILE: Final = "engagement.yaml"


def _init_path(given: str) -> Path:
    """Return the file ``init`` writes for PATH *given*: inside it, if a folder."""
    return Path(given) / STARTER_FILE if _names_folder(given) else Path(given)


@cli.command()
@click.argument("path", required=False, default=STARTER_FILE, type=_NamedPath())
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@_version
def init(path: str, force: bool) -> None:
    """Write a commented starter engagement file (default: engagement.yaml).

    PATH may be a folder: the file is written inside it. The file loads as
    it is; `outsourcekit check` on it then lists what to fill in.
    """
    file = _init_path(path)
    if not file.suffix and file.name.lower() in {".yaml", ".yml"}:
        such = file.with_name(f"engagement{file.name}")
        msg = (
            f"init writes YAML: PATH {str(file)!r} has no name before the suffix; "
            f"give one, such as {str(such)!r}"
        )
        raise CliError(msg)
    if file.suffix.lower() not in {".yaml", ".yml"}:
        msg = f"init writes YAML: PATH must end in .yaml or .yml (got {str(file)!r})"
        raise CliError(msg)
    import datetime as dt  # noqa: PLC0415

    today = dt.date.today()  # noqa: DTZ011 - the day on the user's calendar
    text = starter(_starter_id(file), file, today)
    try:
        _make_folders(file)
    except OSError as exc:
        raise CliError(f"{file}: cannot be written: {exc.strerror}") from exc
    # A file name of bytes that are no UTF-8 (which POSIX file systems keep)
    # is written escaped in the comments that name it.
    try:
        with file.open(
            "w" if force else "x", encoding="utf-8", errors="backslashreplace"
        ) as f:
            f.write(text)
    except FileExistsError:
        msg = f"{file} already exists; use --force to overwrite it"
        raise CliError(msg) from None
    except OSError as exc:
        raise CliError(f"{file}: cannot be written: {exc.strerror}") from exc
    from .builtin.exporters._escape import visible  # noqa: PLC0415

    click.echo(
        f"Wrote {visible(os.fspath(file))}. Next: outsourcekit check "
        f"{_command_word(file)}\n"
        f"For completion in your editor: {_schema_command(file)}"
    )


@cli.command()
@click.option(
    "--report",
    is_flag=True,
    help="Print the JSON Schema of the JSON report (check --format json) instead.",
)
@click.option(
    "-o",
    "--output",
    type=_NamedPath(),
    help="Write the schema to this file (missing folders are created) instead of "
    f"printing it (- prints it); the starter of `init` names {STARTER_SCHEMA}.",
)
@_version
def schema(report: bool, output: str | None) -> None:
    """Print or write the JSON Schema of the engagement file format, for editors."""
    if report:
        from .builtin.exporters.json import report_schema  # noqa: PLC0415

        data = report_schema()
    else:
        from ._schema import schema as make_schema  # noqa: PLC0415

        data = make_schema()
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    if _names_folder(output):
        such = "" if report else f", such as {Path(output) / STARTER_SCHEMA}"
        raise CliError(f"--output {output!r}: names a folder; name a file in it{such}")
    file = Path(output)
    if not _replaceable_schema(file):
        msg = (
            f"{file} already exists and holds no JSON Schema: write the schema to "
            "another file, or remove this one first"
        )
        raise CliError(msg)
    try:
        _make_folders(file)
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{file}: cannot be written: {exc.strerror}") from exc
    click.echo(f"Wrote {file}.")


#: The largest file ``schema --output`` reads to tell whether it holds a JSON
#: Schema, which it may replace: the schema is some 60 KB, plugins' keys
#: included; a larger file (a portfolio named by mistake) is kept unread.
SCHEMA_BYTES = 16 * 1024 * 1024


def _replaceable_schema(path: Path) -> bool:
    """Whether ``schema --output`` may write *path*: new, empty or a JSON Schema.

    Regenerating the schema replaces the earlier one; a configuration or an
    engagement file named by mistake is kept, and so is another tool's JSON
    file that names its schema (``"$schema"`` naming no JSON Schema draft),
    or a file larger than :data:`SCHEMA_BYTES`, which is not read.
    """
    from ._discover import is_json_schema  # noqa: PLC0415

    try:
        if not path.is_file() or path.stat().st_size == 0:
            return True
        if path.stat().st_size > SCHEMA_BYTES:
            return False
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        try:
            return not path.exists()
        except OSError:  # cannot be looked at (a name too long): writing says why
            return True
    return isinstance(data, dict) and is_json_schema(data)


# -- import ---------------------------------------------------------------------------


def _chosen_importer(path: Path, name: str | None, *, debug: bool) -> Importer:
    """Return the importer named *name*, else the one that reads *path*."""
    from ._imports import read_head  # noqa: PLC0415
    from ._suggest import did_you_mean  # noqa: PLC0415
    from .plugins import PluginConflictError, get_importers, importer_for  # noqa: PLC0415

    try:
        importers = get_importers()
    except PluginConflictError as exc:
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)
    names = [i.name for i in importers]
    listed = ", ".join(names) or "none is installed"
    if name is not None:
        found = next((i for i in importers if i.name == name), None)
        if found is None:
            hint = did_you_mean(name, names)
            raise CliError(f"--importer: unknown importer {name!r}{hint} ({listed})")
        return found
    try:
        head = read_head(path) if path.is_file() else None
    except OSError:  # a name too long, say: the importer's read says why
        head = None
    found = importer_for(path, head)
    if found is None:
        raise CliError(
            f"{path}: no importer reads this file: name one with --importer ({listed})"
        )
    return found


def _option_values(importer: Importer, given: Sequence[str]) -> dict[str, Any]:
    """Return the importer's options from ``--option KEY=VALUE`` flags, checked."""
    from .plugins import ImporterOptionError  # noqa: PLC0415

    pairs: dict[str, str] = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            msg = f"--option {item!r}: expected KEY=VALUE, like client=@acme.co.uk"
            raise CliError(msg)
        # An unknown name is told as such by options_from_text, given twice or not.
        key = key.strip()
        name = importer.option_name(key) or key
        if name not in pairs or name not in importer.options:
            pairs[name] = value
        elif importer.options[name].type is tuple:
            # A list option given again adds its items, as commas would.
            pairs[name] = f"{pairs[name]},{value}"
        else:
            msg = (
                f"--option {name}: given twice ({pairs[name]!r} and {value!r}): "
                "expected one value"
            )
            raise CliError(msg)
    try:
        return importer.check_options(importer.options_from_text(pairs))
    except ImporterOptionError as exc:
        raise CliError(
            "\n".join(f"--option {name}: {message}" for name, message in exc.problems)
        ) from None


def _imported_text(
    data: object, shown: object, fmt: str, importer: Importer, file: Path
) -> tuple[str | None, str | None]:
    """Return *shown* in *fmt*, or None and why an importer's *data* cannot be written.

    *shown* is the part of *data* to print, None for nothing. Data that is no
    plain data (a set, an object, a mapping with a number for a key) or that
    nests without end (it holds itself) is the importer's problem, named with
    its plugin, wherever it is in *data*; a value one format cannot hold
    (TOML's null) is the ``--format``'s.
    """
    from .io import dumps_data, unwritable_data  # noqa: PLC0415

    problem = unwritable_data(data)
    if problem is not None:
        origin = f" (plugin {importer.plugin})" if importer.plugin else ""
        return None, (
            f"{file}: importer {importer.name!r}{origin} read data that cannot "
            f"be written: {problem}"
        )
    if shown is None:
        return None, None
    try:
        return dumps_data(shown, fmt), None
    except ValueError as exc:
        return None, f"--format {fmt}: {exc}"


def _shown_data(
    data: Any, loaded: Sequence[Engagement] | None, *, problems: bool
) -> Any:
    """Return what `import` prints of an importer's *data*, None for nothing.

    Facts to merge (*loaded* is None) are printed whole. Of engagements, those
    that load (*loaded*): of a portfolio, the items whose engagement loaded,
    with its version and ``defaults`` (a key a portfolio may not hold is left
    out, as it does not load). Nothing is printed when nothing loads and there
    are *problems*.
    """
    if loaded is None:
        return data if data or not problems else None
    if not loaded and problems:
        return None
    items = data.get("engagements") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return data
    from .io import _PORTFOLIO_KEYS  # noqa: PLC0415

    kept = {e.origin.index for e in loaded if e.origin is not None}
    shown = {key: value for key, value in data.items() if key in _PORTFOLIO_KEYS}
    return {**shown, "engagements": [d for i, d in enumerate(items) if i in kept]}


def _require_readable(file: Path, *, debug: bool) -> None:
    """Exit naming *file*'s problem when `import` cannot read it (missing, a folder)."""
    from .io import file_refusal  # noqa: PLC0415

    try:
        refusal = file_refusal(file)
    except FileNotFoundError:
        refusal = "no such file"
    except OSError as exc:
        refusal = f"cannot read the file: {exc.strerror or exc}"
    if refusal is not None:
        _fail(f"{file}: {refusal}", ExitStatus.ERROR, debug=debug)


@cli.command(name="import")
@click.argument("file", type=_NamedPath(path_type=Path))
@click.option(
    "--importer",
    "importer_name",
    metavar="NAME",
    help="The importer to read FILE with (default: the one for its suffix or "
    "content; `outsourcekit plugins` lists them).",
)
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="An option of the importer; a list option takes items separated by "
    "commas (--option client=@acme.co.uk,@acme.com), or given again adds "
    "items. Repeat for several.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=_Choice(["yaml", "json", "toml"]),
    default="yaml",
    show_default=True,
    help="The file format to print in.",
)
@_debug_option
@_version
def import_(
    file: Path,
    importer_name: str | None,
    options: tuple[str, ...],
    fmt: str,
    debug: bool,
) -> None:
    """Show what an importer reads from a file of another system.

    Prints the facts (or engagements) it reads, in the engagement file
    format, ready to paste into an engagement or to name under `imports:`.
    Problems with the file are printed on stderr as load errors, as check
    prints them; data no file can hold (nested without end, or no plain
    data) is not printed, and the importer is named.

    Exit status: 0 when the file reads without problems, 2 for usage or load
    errors (the facts, or the engagements that load, are printed all the
    same; of engagements that share an id, the first) or data that cannot be
    written, 3 when the importer failed.
    """
    from ._api import _Reader  # noqa: PLC0415
    from .io import _imported_engagements  # noqa: PLC0415

    # A flag's problem is named first; a file that is not there, or is a
    # folder, is named so before any importer is looked for by its suffix.
    named = values = None
    if importer_name is not None:
        named = _chosen_importer(file, importer_name, debug=debug)
        values = _option_values(named, options)
    _require_readable(file, debug=debug)
    importer = named or _chosen_importer(file, None, debug=debug)
    if values is None:
        values = _option_values(importer, options)
    result = _Reader(importer).read(file, values)
    if result is None:
        sys.exit(int(max(ExitStatus.ERROR, _plugin_status())))
    if isinstance(result, list):
        from .io import dumps  # noqa: PLC0415

        try:
            click.echo(dumps(result, fmt), nl=False)
        except ValueError as exc:
            _fail(f"--format {fmt}: {exc}", ExitStatus.ERROR, debug=debug)
        sys.exit(int(_plugin_status()))
    loaded, issues = _imported_engagements(result, os.fspath(file), importer.name)
    shown = _shown_data(result.data, loaded, problems=bool(issues))
    text, problem = _imported_text(result.data, shown, fmt, importer, file)
    if text is not None:
        click.echo(text, nl=False)
    for issue in issues:
        _err(f"error: {issue}")
    if problem is not None:
        _err(f"error: {problem}")
    status = ExitStatus.ERROR if issues or problem is not None else ExitStatus.OK
    sys.exit(int(max(status, _plugin_status())))


# -- plugins --------------------------------------------------------------------------


def _importer_lines(importer: Importer) -> Iterator[str]:
    """Describe one importer: its suffixes, extra, description and options."""
    facts = ", ".join(importer.suffixes)
    if importer.extra:
        facts += f"; extra {importer.extra}"
    line = f"    {importer.name} ({facts})"
    if importer.description:
        line += f": {importer.description}"
    yield textwrap.fill(line, width=88, subsequent_indent="      ")
    for name, option in sorted(importer.options.items()):
        default = option.to_config(option.default)
        shown = ", ".join(default) if isinstance(default, tuple) else default
        text = f"      --option {name}=...: {option.help or 'no description'}"
        text += f" (default: {shown!r})" if shown not in {"", None} else ""
        yield textwrap.fill(text, width=88, subsequent_indent="        ")


def _importers_by_plugin() -> dict[str, list[Importer]]:
    """Return the registered importers by plugin; none when two share a name."""
    from .plugins import PluginConflictError, get_importers  # noqa: PLC0415

    out: dict[str, list[Importer]] = {}
    try:
        importers = get_importers()
    except PluginConflictError:
        return out
    for importer in importers:
        out.setdefault(importer.plugin or "", []).append(importer)
    return out


def _importer_data(importer: Importer) -> dict[str, Any]:
    """Return an importer as ``outsourcekit plugins --format json`` shows it."""
    return {
        "name": importer.name,
        "suffixes": list(importer.suffixes),
        "description": importer.description,
        "extra": importer.extra,
        "options": {
            name: {
                "default": (
                    list(o.default)
                    if isinstance(o.default, tuple)
                    else o.to_config(o.default)
                ),
                "type": o.type.__name__,
                "help": o.help,
            }
            for name, o in sorted(importer.options.items())
        },
    }


def _plugins_text(
    infos: Sequence[Any], importers: dict[str, list[Importer]] | None = None
) -> Iterator[str]:
    for info in infos:
        version = info.version or "version unknown"
        origin = "built in" if info.builtin else (info.distribution or "not loaded")
        yield f"{info.name} {version} ({origin})"
        for label, names in (
            ("rules", info.rules),
            ("exporters", info.exporters),
            ("importers", info.importers),
            ("hooks", info.hooks),
        ):
            if names:
                yield textwrap.fill(
                    ", ".join(names),
                    width=88,
                    initial_indent=f"  {label} ({len(names)}): ",
                    subsequent_indent="    ",
                    break_on_hyphens=False,
                )
            if label == "importers":
                for importer in (importers or {}).get(info.name, ()):
                    yield from _importer_lines(importer)
        if info.error:
            yield f"  error: {info.error}"


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=_Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the plugins.",
)
@_version
def plugins(fmt: str) -> None:
    """List the plugins: version, what each registers, and any load error."""
    from .plugins import plugin_errors, plugin_info  # noqa: PLC0415

    # Gathering the rules first records what a check would report: a plugin's
    # rule with the reserved OSK prefix is that plugin's error.
    clashes = _clashes()
    infos = plugin_info()
    importers = _importers_by_plugin()
    if fmt == "json":
        data = [
            {
                **i.to_dict(),
                "importer_details": [
                    _importer_data(imp) for imp in importers.get(i.name, ())
                ],
            }
            for i in infos
        ]
        click.echo(json.dumps(data, indent=2))
    else:
        for line in _plugins_text(infos, importers):
            click.echo(line)
    errors = plugin_errors()
    for p in errors:
        if not any(i.name == p.plugin and i.error == p.message for i in infos):
            _err(f"error: plugin {p.plugin!r}: {p.message}")
    for clash in clashes:
        _err(f"error: {clash}")
    sys.exit(int(ExitStatus.FAILURE if errors or clashes else ExitStatus.OK))


def _clashes() -> list[str]:
    """Return the names two plugins register, which stop every check."""
    from .plugins import (  # noqa: PLC0415
        PluginConflictError,
        get_exporters,
        get_importers,
        get_rules,
    )

    def clash(gather: Callable[[], object]) -> str | None:
        try:
            gather()
        except PluginConflictError as error:
            return str(error)
        return None

    return [c for g in (get_rules, get_exporters, get_importers) if (c := clash(g))]


class _WholeWrites(io.RawIOBase):
    """The file of an unbuffered stdout, each write given to it whole.

    Unbuffered (``python -u``, ``PYTHONUNBUFFERED``), stdout hands its text
    straight to the file, and drops what a write leaves over: a pipe whose
    reader leaves during a write larger than it holds takes part of it,
    without an error, so a report cut short would end the run as if read.
    Here the rest is written again, which fails as the pipe is gone.
    """

    def __init__(self, raw: io.RawIOBase) -> None:
        super().__init__()
        self.raw = raw

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.raw.fileno()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def write(self, data: Any) -> int:
        """Write all of *data*; a file full for now (non-blocking) is waited on."""
        import time  # noqa: PLC0415

        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            written = self.raw.write(view[done:])
            if written is None:  # a non-blocking file that takes nothing yet
                time.sleep(0.01)
                continue
            done += written
        return done


@contextlib.contextmanager
def _whole_stdout() -> Iterator[None]:
    """Let an unbuffered stdout write all it is given, while the command runs.

    Its text goes to the file through :class:`_WholeWrites`, at once as
    before, in the same encoding. A buffered stdout (the default) is left
    as it is: its buffer writes the rest itself.
    """
    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if not isinstance(stdout, io.TextIOWrapper) or not isinstance(raw, io.RawIOBase):
        yield
        return
    whole = io.TextIOWrapper(
        cast("IO[bytes]", _WholeWrites(raw)),
        encoding=stdout.encoding,
        errors=stdout.errors,
        newline="\n",
        line_buffering=stdout.line_buffering,
        write_through=True,
    )
    sys.stdout = whole
    try:
        yield
    finally:
        if sys.stdout is whole:
            sys.stdout = stdout
        with contextlib.suppress(OSError, ValueError):  # the file holds nothing
            whole.detach()


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line with *argv* (default: the process's arguments).

    An unexpected exception prints its traceback and exits with 3, so that a
    crash is never mistaken for a run that merely found something. Text that
    the output's encoding cannot hold (a CJK title on a Latin-1 console) is
    written escaped (``\u696d``) rather than failing the run. An unbuffered
    stdout writes each text whole (:func:`_whole_stdout`).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        with _whole_stdout():
            args = None if argv is None else list(argv)
            cli.main(args=args, prog_name="outsourcekit")
    except Exception:  # noqa: BLE001 - click re-raises what it does not handle
        traceback.print_exc()
        sys.exit(int(ExitStatus.FAILURE))
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode
