"""The engine's old ways of reading files, kept working for a while (deprecated).

The engine reads no files: :mod:`outsourcekit.config` reads configuration, central
waiver files and saved reports. The names below are what the engine offered
before; each warns with :class:`DeprecationWarning`, naming the new place, and
hands the work to :mod:`outsourcekit.config`, which sits above the engine. That
module is looked up by name only when an old name is called, as the package's
lazy top-level names are, so nothing of the engine imports it and the engine
works without it. This module, and that lookup, go with these names.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import os

    from ._config import Config
    from ._report import Report
    from ._waivers import CentralWaiver

__all__ = [
    "MOVED",
    "NEW_PLACE",
    "config_discover",
    "config_from_file",
    "load_report",
    "load_waivers",
    "moved",
]

#: The module that reads files now.
NEW_PLACE = "outsourcekit.config"
#: Module attributes of :mod:`outsourcekit.engine` that moved to :data:`NEW_PLACE`:
#: old name, new name.
MOVED = {"load_waiver_file": "read_waivers"}


def _new(name: str) -> Any:
    """Return the function *name* of :data:`NEW_PLACE`, looked up when called."""
    return getattr(importlib.import_module(NEW_PLACE), name)


def _warn(old: str, new: str, stacklevel: int) -> None:
    warnings.warn(
        f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=stacklevel + 1
    )


def moved(name: str) -> Any:
    """Return what the engine's module attribute *name* became, warning."""
    new = MOVED[name]
    _warn(f"outsourcekit.engine.{name}", f"{NEW_PLACE}.{new}", 3)
    return _new(new)


def config_from_file(path: str | os.PathLike[str]) -> Config:
    """``Config.from_file``: read a configuration file."""
    _warn("Config.from_file()", f"{NEW_PLACE}.read_config()", 3)
    config: Config = _new("read_config")(path)
    return config


def config_discover(start_dir: str | os.PathLike[str] | None) -> Config:
    """``Config.discover``: find the configuration of a folder."""
    _warn("Config.discover()", f"{NEW_PLACE}.find_config()", 3)
    config: Config = _new("find_config")(start_dir)
    return config


def load_waivers(config: Config) -> tuple[CentralWaiver, ...]:
    """``Config.load_waivers``: the central waivers, read if need be."""
    _warn(
        "Config.load_waivers()",
        f"Config.central_waivers, or {NEW_PLACE}.read_waivers()",
        3,
    )
    if config.central_waivers is not None:
        return config.central_waivers
    return () if config.waivers is None else _read(config)


def _read(config: Config) -> tuple[CentralWaiver, ...]:
    entries: tuple[CentralWaiver, ...] = _new("read_waivers")(config.waivers)
    return entries


def load_report(path: str | os.PathLike[str], old: str) -> Report:
    """``Report.load`` and ``Report.diff(path)``: read a saved JSON report."""
    _warn(old, f"{NEW_PLACE}.read_report()", 3)
    report: Report = _new("read_report")(path)
    return report
