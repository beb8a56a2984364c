"""The ``outsourcekit`` command line: check, rules, explain, init, schema, plugins."""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import re
import sys
import textwrap
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from ._version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from .engine import Config, Report, ReportDiff, Rule, Statistics
    from .io import LoadIssue
    from .model import Engagement
    from .plugins import Exporter

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


#: More engagements than this show a progress line on a terminal's stderr.
PROGRESS_THRESHOLD = 300
_FORMAT_PREFIX = re.compile(r"(?P<format>[a-z][a-z0-9_-]+):(?P<file>.+)", re.DOTALL)
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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


def _err(message: str) -> None:
    click.echo(message, err=True)


def _no_color() -> bool:
    return bool(os.environ.get("NO_COLOR"))


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def _colored(stream: TextIO) -> bool:
    """Whether to colour what goes to *stream*: a terminal, and no ``NO_COLOR``."""
    return _is_tty(stream) and not _no_color()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_version
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Lint outsourcing engagements: typed files, a catalogue of rules, scores.

    Start with `outsourcekit check`, which checks the bundled example
    portfolio, or `outsourcekit init` to write a starter engagement file.
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
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"expected a date like 2026-11-22, got {value!r}"
        raise click.BadParameter(msg) from None


def _names(values: Sequence[str]) -> list[str] | None:
    """Split repeated, comma-separated options (``--select a,b --select c``)."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    return names or None


def _exporters(*, debug: bool) -> dict[str, Exporter]:
    from .plugins import PluginConflictError, get_exporters  # noqa: PLC0415

    try:
        return {e.name: e for e in get_exporters()}
    except PluginConflictError as exc:
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)


def _unknown_format(name: str, exporters: dict[str, Exporter]) -> CliError:
    from .engine._names import did_you_mean  # noqa: PLC0415

    choices = ", ".join(sorted(exporters))
    return CliError(
        f"unknown format {name!r}{did_you_mean(name, exporters)} (formats: {choices})"
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
            raise _unknown_format(name, exporters)
        return exporters[name], m.group("file")
    lowered = value.lower()
    matches = [
        e for e in exporters.values() if e.suffix and lowered.endswith(e.suffix.lower())
    ]
    if matches:
        return max(matches, key=lambda e: (len(e.suffix), e.name)), value
    if not Path(value).suffix:
        return default, value
    known = ", ".join(
        f"{e.suffix} ({e.name})"
        for e in sorted(exporters.values(), key=lambda e: e.suffix)
        if e.suffix
    )
    msg = (
        f"--output {value!r}: cannot tell the format from the file name; "
        f"write FORMAT:FILE or use a known suffix: {known}"
    )
    raise CliError(msg)


def _config(
    config_file: Path | None,
    *,
    select: list[str] | None,
    ignore: list[str] | None,
    fail_on: str | None,
    debug: bool,
) -> Config:
    from .engine import Config, ConfigError  # noqa: PLC0415

    try:
        config = (
            Config.discover() if config_file is None else Config.from_file(config_file)
        )
        return config.merge(select=select, ignore=ignore, fail_on=fail_on)
    except ConfigError as exc:
        _fail(f"configuration: {exc}", ExitStatus.ERROR, debug=debug)


def _baseline(path: Path | None, *, debug: bool) -> Report | None:
    if path is None:
        return None
    from .engine import Report  # noqa: PLC0415

    try:
        return Report.load(path)
    except OSError as exc:
        _fail(
            f"--baseline {path}: cannot be read: {exc.strerror}",
            ExitStatus.ERROR,
            debug=debug,
        )
    except ValueError as exc:
        _fail(f"--baseline: {exc}", ExitStatus.ERROR, debug=debug)


class _Progress:
    """A status line on stderr, shown only on a terminal and for large runs."""

    def __init__(self) -> None:
        self.stream = sys.stderr
        self.enabled = _is_tty(self.stream)
        self.shown = False

    def show(self, text: str, count: int) -> None:
        if self.enabled and count > PROGRESS_THRESHOLD:
            self.stream.write(f"\r\x1b[K{text}")
            self.stream.flush()
            self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _count_files(paths: Iterable[Path]) -> int:
    suffixes = {".yaml", ".yml", ".json", ".toml"}
    count = 0
    for path in paths:
        if path.is_dir():
            count += sum(1 for p in path.rglob("*") if p.suffix.lower() in suffixes)
        else:
            count += 1
    return count


def _load(
    paths: Sequence[Path], progress: _Progress
) -> tuple[list[Engagement], tuple[LoadIssue, ...]]:
    from ._api import load_all  # noqa: PLC0415
    from .io import LoadError  # noqa: PLC0415

    if progress.enabled:
        files = _count_files(paths)
        progress.show(f"Loading {files} files...", files)
    try:
        return load_all(paths), ()
    except LoadError as exc:
        return exc.loaded, exc.issues


def _default_paths() -> list[Path]:
    from .examples import examples_path  # noqa: PLC0415

    return [Path(examples_path())]


def _status(
    report: Report, diff: ReportDiff | None, fail_on: str
) -> tuple[ExitStatus, ...]:
    statuses = [ExitStatus.OK]
    failed = diff.failed(fail_on) if diff is not None else report.failed(fail_on)
    if failed:
        statuses.append(ExitStatus.FINDINGS)
    if report.errors:
        statuses.append(ExitStatus.ERROR)
    if report.rule_errors or report.plugin_errors:
        statuses.append(ExitStatus.FAILURE)
    return tuple(statuses)


def _problems(report: Report, *, debug: bool, loads: bool) -> None:
    """Print load (when *loads*), rule and plugin errors to stderr."""
    if loads:
        for issue in report.errors:
            _err(f"error: {issue}")
    for e in report.rule_errors:
        where = (
            "the portfolio" if e.engagement is None else f"engagement {e.engagement}"
        )
        _err(f"error: rule {e.rule} failed on {where}: {e.type}: {e.message}")
        if debug and e.traceback:
            _err(e.traceback.rstrip())
    for p in report.plugin_errors:
        _err(f"error: plugin {p.plugin!r}: {p.message}")


def statistics_text(statistics: Statistics) -> str:
    """Return a run's statistics as text: per rule, per category, and in total."""
    lines = [
        (
            f"{'rule':<8} {'slug':<30} {'category':<16} "
            f"{'findings':>8} {'waived':>6} {'errors':>6} {'ms':>9}"
        )
    ]
    lines += [
        f"{s.rule:<8} {s.slug:<30} {s.category:<16} "
        f"{s.findings:>8} {s.waived:>6} {s.errors:>6} {s.seconds * 1000:>9.2f}"
        for s in statistics.rules
    ]
    lines += [
        "",
        (
            f"{'category':<16} {'rules':>5} {'findings':>8} {'waived':>6} "
            f"{'errors':>6} {'ms':>9}"
        ),
    ]
    categories = statistics.by_category().values()
    lines += [
        f"{c.category:<16} {c.rules:>5} {c.findings:>8} {c.waived:>6} "
        f"{c.errors:>6} {c.seconds * 1000:>9.2f}"
        for c in categories
    ]
    findings = sum(s.findings for s in statistics.rules)
    waived = sum(s.waived for s in statistics.rules)
    errors = sum(s.errors for s in statistics.rules)
    lines += [
        "",
        (
            f"{len(statistics.rules)} rules, {findings} findings, {waived} waived, "
            f"{errors} errors; the check took {statistics.seconds * 1000:.1f} ms"
        ),
    ]
    return "\n".join(lines) + "\n"


class _Writer:
    """Writes one report in several formats, rendering each format once."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.rendered: dict[str, str | bytes | None] = {}

    def render(
        self, exporter: Exporter, custom: Callable[[Report], str | bytes] | None
    ) -> str | bytes | None:
        """Return the report in this format, or None when the exporter failed."""
        if custom is None and exporter.name in self.rendered:
            return self.rendered[exporter.name]
        try:
            data: str | bytes | None = (custom or exporter.func)(self.report)
        except Exception as exc:  # noqa: BLE001 - a plugin's exporter may fail any way
            origin = f" (plugin {exporter.plugin})" if exporter.plugin else ""
            failure = f"{type(exc).__name__}: {exc}"
            _err(f"error: format {exporter.name!r}{origin} failed: {failure}")
            data = None
        if custom is None:
            self.rendered[exporter.name] = data
        return data

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
        ERROR when the file cannot be written.
        """
        data = self.render(exporter, custom)
        if data is None:
            return ExitStatus.FAILURE
        if target == "-":
            click.echo(data, nl=False, color=color)
            return ExitStatus.OK
        path = Path(target)
        try:
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                with path.open("w", encoding="utf-8", newline="") as f:
                    f.write(data)
        except OSError as exc:
            _err(f"error: --output {target}: cannot be written: {exc.strerror}")
            return ExitStatus.ERROR
        return ExitStatus.OK


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-f",
    "--format",
    "fmt",
    default="text",
    show_default=True,
    metavar="FORMAT",
    help="Format of the report on stdout: text, json, markdown, html, csv, sarif, "
    "junit, or one a plugin adds.",
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="[FORMAT:]FILE",
    help="Also write the report to FILE, in FORMAT or the one its suffix names "
    "(.json, .sarif, .html, ...; no suffix: the --format). Repeatable.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="X,...",
    help="Run only these rules: codes, code prefixes, categories or slugs.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="X,...",
    help="Do not run these rules (named as for --select).",
)
@click.option(
    "--as-of",
    metavar="DATE",
    callback=_as_of,
    help="The date to check for (default: today), e.g. 2026-11-22.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["info", "warning", "error", "never"]),
    help="Exit with 1 when an unwaived finding at or above this severity remains "
    "[default: error, or the configuration's].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this configuration file instead of outsourcekit.toml or pyproject.toml.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A JSON report of an earlier run: only findings it lacks fail the run.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print counts per rule and category with each rule's time.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line.")
@_debug_option
@_version
def check(  # noqa: PLR0913, PLR0917 - one parameter per option, as click passes them
    paths: tuple[Path, ...],
    fmt: str,
    outputs: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    as_of: dt.date | None,
    fail_on: str | None,
    config_file: Path | None,
    baseline: Path | None,
    statistics: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Check engagement files and directories (default: the bundled examples).

    Exit status: 0 when no unwaived finding at or above --fail-on remains
    (outside the --baseline), 1 when one does, 2 for usage, configuration or
    load errors, 3 when a rule, an exporter or a plugin failed; the highest
    applies.
    """
    config = _config(
        config_file,
        select=_names(select),
        ignore=_names(ignore),
        fail_on=fail_on,
        debug=debug,
    )
    exporters = _exporters(debug=debug)
    if fmt not in exporters:
        raise _unknown_format(fmt, exporters)
    targets = [_output(value, exporters, exporters[fmt]) for value in outputs]
    base = _baseline(baseline, debug=debug)

    progress = _Progress()
    given = list(paths) or _default_paths()
    engagements, issues = _load(given, progress)
    progress.show(f"Checking {len(engagements)} engagements...", len(engagements))
    report = _run(engagements, issues, as_of=as_of, config=config, debug=debug)
    progress.done()
    diff = None if base is None else report.diff(base)

    statuses = list(_status(report, diff, config.fail_on))
    if not engagements and not issues:
        _err(f"warning: no engagement files in {', '.join(map(str, given))}")
    writer = _Writer(report)
    if fmt == "text":
        color = _colored(sys.stdout)
        titles = {e.id: e.title for e in engagements if e.title}
        render = _text_renderer(color=color, titles=titles, diff=diff, quiet=quiet)
        statuses.append(writer.write(exporters[fmt], "-", render, color=color))
    else:
        statuses.append(writer.write(exporters[fmt], "-"))
    statuses += [writer.write(exporter, target) for exporter, target in targets]
    _problems(report, debug=debug, loads=fmt != "json")
    if statistics:
        click.echo(statistics_text(report.statistics), nl=False, err=fmt != "text")
    sys.exit(int(max(statuses)))


def _text_renderer(
    *,
    color: bool,
    titles: dict[str, str],
    diff: ReportDiff | None,
    quiet: bool,
) -> Callable[[Report], str]:
    from .builtin.exporters.text import render  # noqa: PLC0415

    def text(report: Report) -> str:
        return render(
            report, color=color, titles=titles, diff=diff, quiet=quiet, problems=False
        )

    return text


def _run(
    engagements: list[Engagement],
    issues: Sequence[LoadIssue],
    *,
    as_of: dt.date | None,
    config: Config,
    debug: bool,
) -> Report:
    from ._api import check  # noqa: PLC0415
    from .engine import ConfigError  # noqa: PLC0415
    from .plugins import PluginConflictError  # noqa: PLC0415

    try:
        return check(engagements, as_of=as_of, config=config, errors=issues)
    except ConfigError as exc:
        _fail(f"configuration: {exc}", ExitStatus.ERROR, debug=debug)
    except PluginConflictError as exc:
        _fail(str(exc), ExitStatus.FAILURE, debug=debug)
    except Exception as exc:  # noqa: BLE001 - a failed check is never "findings"
        _fail(
            f"the check failed: {type(exc).__name__}: {exc}",
            ExitStatus.FAILURE,
            debug=debug,
        )


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
    """Return a rule's metadata as ``outsourcekit rules --format json`` gives it."""
    return {
        "code": rule.code,
        "slug": rule.slug,
        "title": rule.title,
        "category": rule.category,
        "severity": rule.severity.value,
        "fix": rule.fix,
        "options": {
            name.replace("_", "-"): option.default
            for name, option in sorted(rule.options.items())
        },
        "sources": list(rule.sources),
        "scope": rule.scope,
        "plugin": rule.plugin,
    }


def _rules_text(rules: Sequence[Rule]) -> str:
    width = max((len(r.slug) for r in rules), default=4)
    lines = [f"{'code':<8} {'slug':<{width}} {'severity':<8} {'category':<16} title"]
    for r in rules:
        line = (
            f"{r.code:<8} {r.slug:<{width}} {r.severity.value:<8} "
            f"{r.category:<16} {r.title}"
        )
        if r.plugin not in {None, "outsourcekit.builtin.rules"}:
            line += f"  (plugin {r.plugin})"
        lines.append(line)
    lines.append(f"\n{len(rules)} rules; `outsourcekit explain CODE` tells more.")
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
    type=click.Choice(["text", "json", "markdown"]),
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
        chosen = find_rule(rule, found)
    except UnknownRuleError as exc:
        status = _plugin_status()
        _fail(str(exc), max(ExitStatus.ERROR, status), debug=debug)
    click.echo(chosen.explain(), nl=False)
    sys.exit(int(_plugin_status()))


# -- init and schema -------------------------------------------------------------------

#: The starter engagement file ``outsourcekit init`` writes; ``{id}`` is filled in.
STARTER = """\
# An outsourcing engagement, described for outsourcekit.
#
# Only `id` is required: run `outsourcekit check {file}` now and each finding
# says what to fill in next, and why. Uncomment and complete the sections below
# as you go; `outsourcekit explain CODE` tells more about any finding, and
# `outsourcekit schema` gives a JSON Schema for editor completion.
outsourcekit: 1
id: {id}                      # unique among your engagements: letters, digits, . _ -
title: Describe the work in one line
status: proposed              # proposed | trial | active | paused | ended
# start: 2026-01-05
# end: 2026-12-31
# owner: Your name            # who is accountable for this relationship
# vision: A few sentences on where the business is going, shared with the vendor

# client:
#   name: Your company
#   timezone: Europe/London
#   working_hours: "09:00-17:30"
#   outsourcing_experience: first   # first | some | experienced

# vendor:
#   name: The vendor
#   kind: freelancer                # freelancer | agency | bpo
#   timezone: Asia/Manila
#   working_hours: "08:00-17:00"
#   vetting:
#     references_checked: true
#     security_review: none         # none | passed | failed
#   trial:
#     status: planned               # none | planned | running | completed | failed

# tasks:
#   - name: What the vendor does
#     area: admin                   # admin | data-entry | social-media | it | software
#                                   # customer-support | finance | hr | research
#                                   # marketing | other
#     critical: false
#     instructions: Where the written instructions are
#     due: weekly

# objectives:
#   - statement: The outcome the engagement must achieve
#     due: 2026-06-30

# deliverables:
#   - name: What is handed over
#     description: What it contains and in which form
#     acceptance: [How you decide it is done]

# agreements:
#   - kind: contract                # contract | msa | sow | sla | nda | dpa
#     signed_on: 2026-01-02
#     payment_terms: Monthly, net 15
#     termination: 30 days notice

# communication:
#   channels:
#     - {{name: Email, kind: email}}
#     - {{name: Trello, kind: pm-tool}}
#   response_time: 24h
#   check_ins: weekly
#   feedback: monthly
#   escalation: Who the vendor turns to when stuck, and after how long

# data:
#   confidential: false             # is sensitive information shared?
#   personal_data: false

# kpis:
#   - name: on-time-delivery
#     unit: percent
#     target: 95
#     direction: higher             # lower | higher
#     measured: monthly
"""


def _starter_id(path: Path) -> str:
    stem = _ID_UNSAFE.sub("-", path.stem).strip("-.")
    return stem or "my-engagement"


@cli.command()
@click.argument(
    "path",
    required=False,
    default="engagement.yaml",
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@_version
def init(path: Path, force: bool) -> None:
    """Write a commented starter engagement file (default: engagement.yaml).

    The file loads as it is; `outsourcekit check` on it then lists what to
    fill in.
    """
    if path.suffix.lower() not in {".yaml", ".yml"}:
        msg = f"init writes YAML: PATH must end in .yaml or .yml (got {str(path)!r})"
        raise CliError(msg)
    text = STARTER.format(id=_starter_id(path), file=path)
    try:
        with path.open("w" if force else "x", encoding="utf-8") as f:
            f.write(text)
    except FileExistsError:
        msg = f"{path} already exists; use --force to overwrite it"
        raise CliError(msg) from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be written: {exc.strerror}") from exc
    click.echo(f"Wrote {path}. Next: outsourcekit check {path}")


@cli.command()
@click.option(
    "--report",
    is_flag=True,
    help="Print the JSON Schema of the JSON report (check --format json) instead.",
)
@_version
def schema(report: bool) -> None:
    """Print the JSON Schema of the engagement file format, for editors."""
    if report:
        from .builtin.exporters.json import report_schema  # noqa: PLC0415

        data = report_schema()
    else:
        from ._schema import schema as make_schema  # noqa: PLC0415

        data = make_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# -- plugins --------------------------------------------------------------------------


def _plugins_text(infos: Sequence[Any]) -> Iterator[str]:
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
        if info.error:
            yield f"  error: {info.error}"


@cli.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the plugins.",
)
@_version
def plugins(fmt: str) -> None:
    """List the plugins: version, what each registers, and any load error."""
    from .plugins import plugin_errors, plugin_info  # noqa: PLC0415

    infos = plugin_info()
    if fmt == "json":
        click.echo(json.dumps([i.to_dict() for i in infos], indent=2))
    else:
        for line in _plugins_text(infos):
            click.echo(line)
    errors = plugin_errors()
    for p in errors:
        if not any(i.name == p.plugin and i.error == p.message for i in infos):
            _err(f"error: plugin {p.plugin!r}: {p.message}")
    sys.exit(int(ExitStatus.FAILURE if errors else ExitStatus.OK))


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line with *argv* (default: the process's arguments).

    An unexpected exception prints its traceback and exits with 3, so that a
    crash is never mistaken for a run that merely found something.
    """
    try:
        cli.main(args=None if argv is None else list(argv), prog_name="outsourcekit")
    except Exception:  # noqa: BLE001 - click re-raises what it does not handle
        traceback.print_exc()
        sys.exit(int(ExitStatus.FAILURE))
    sys.exit(0)  # pragma: no cover - click exits itself in standalone mode
