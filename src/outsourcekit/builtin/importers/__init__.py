"""The built-in importers, registered through the public importer hook."""

from __future__ import annotations

from outsourcekit.hookspecs import hookimpl
from outsourcekit.plugins import Importer  # noqa: TC001 - the hook returns them

from .ics import ICS_IMPORTER
from .ocds import OCDS_IMPORTER
from .tabular import CSV_IMPORTER
from .trello import TRELLO_IMPORTER

__all__ = ["outsourcekit_register_importers"]


@hookimpl
def outsourcekit_register_importers() -> tuple[Importer, ...]:
    """Register the built-in importers, through the hook plugins use."""
    return (CSV_IMPORTER, ICS_IMPORTER, OCDS_IMPORTER, TRELLO_IMPORTER)
