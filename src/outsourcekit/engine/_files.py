"""Reading the engine's own files (configuration, central waivers) as plain data."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from ._errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_data", "toml_loads"]

SUFFIXES = (".toml", ".yaml", ".yml", ".json")


def toml_loads(text: str) -> dict[str, Any]:
    """Parse TOML text (tomllib on Python 3.11+, tomli before)."""
    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415 - only needed when a TOML file is read
    else:  # pragma: no cover - exercised on Python 3.10
        import tomli as tomllib  # noqa: PLC0415

    return tomllib.loads(text)


def read_data(path: Path) -> object:
    """Return the data of a TOML, YAML or JSON file, chosen by its suffix.

    Raise :class:`ConfigError` naming the file when it cannot be read or parsed.
    """
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        msg = f"must be a .toml, .yaml, .yml or .json file (got {path.name!r})"
        raise ConfigError(msg, source=source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror}", source=source) from exc
    try:
        if suffix == ".toml":
            return toml_loads(text)
        if suffix == ".json":
            return json.loads(text)
    except ValueError as exc:  # tomllib's and json's errors are ValueErrors
        kind = suffix[1:].upper()
        raise ConfigError(f"is not valid {kind}: {exc}", source=source) from exc
    return _yaml_loads(text, source)


def _yaml_loads(text: str, source: str) -> object:
    import yaml  # noqa: PLC0415 - only needed when a YAML file is read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ConfigError(f"is not valid YAML: {exc}", source=source) from exc
