"""The plugin hooks: markers and one documented specification per hook.

Built-in rules, exporters and importers are registered through these same hooks
as third-party ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .engine import Report, Rule
    from .model import Engagement
    from .plugins import Exporter, Importer

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name, which is also the entry-point group plugins declare.
PROJECT_NAME = "outsourcekit"

#: Marks a function as a hook specification (used by outsourcekit itself).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a plugin's function as the implementation of a hook.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def outsourcekit_register_rules() -> Iterable[Rule]:  # type: ignore[empty-body]
    """Return the rules this plugin adds.

    Each item is a :class:`outsourcekit.Rule`, as made by the
    :func:`outsourcekit.rule` decorator. Codes and slugs must be unique across all
    plugins: a clash is an error naming both plugins.
    """


@hookspec
def outsourcekit_register_exporters() -> Iterable[Exporter]:  # type: ignore[empty-body]
    """Return the exporters this plugin adds: report formats for ``--format``.

    Each item is an :class:`outsourcekit.plugins.Exporter`: a name, a file
    suffix and a function from a report to text or bytes.
    """


@hookspec
def outsourcekit_register_importers() -> Iterable[Importer]:  # type: ignore[empty-body]
    """Return the importers this plugin adds: readers of other systems' files.

    Each item is an :class:`outsourcekit.plugins.Importer`, which reads a file
    of another system (a spreadsheet, a calendar export) into engagement data
    in the file format's own terms, an :class:`outsourcekit.plugins.Imported`:
    whole engagements, or facts to merge into the engagement that names the
    file under ``imports:``. The loader checks its options and its data as it
    checks a file's, and reports its problems as located load errors.
    """


@hookspec
def outsourcekit_engagement_loaded(engagement: Engagement) -> Engagement | None:
    """Inspect or change an engagement just after it was loaded.

    Return a changed engagement (for example with :func:`attrs.evolve`) or None to
    leave it as it is. Implementations run in turn, each seeing the previous one's
    result. The id stays: ids were checked unique as the files loaded, so a
    changed id is recorded as the plugin's error and the change is not taken.
    """


@hookspec
def outsourcekit_report_ready(report: Report) -> None:
    """Act on a finished report: notify, store or post it elsewhere.

    The return value is ignored; an exception is recorded as a plugin error.
    """
