"""Which attributes of the model classes are keys of the file format."""

from __future__ import annotations

import typing
from typing import Any, Final

import attrs

__all__ = ["NOT_IN_FILE", "file_fields", "is_model_class"]

#: Attributes of model classes that no file writes: where an engagement was
#: read from, and the ``x-`` keys (written as themselves, not under this name).
NOT_IN_FILE: Final = frozenset({"origin", "extensions"})


def is_model_class(tp: Any) -> bool:
    """Return whether *tp* is a model class read from a mapping with ``x-`` keys."""
    return (
        isinstance(tp, type) and attrs.has(tp) and "extensions" in attrs.fields_dict(tp)
    )


def file_fields(cls: type) -> dict[str, Any]:
    """Return the keys a model class takes in a file, with their resolved types.

    For importers and tools that map other data onto the file format:
    ``file_fields(Agreement)`` names every key an agreement may have.
    """
    hints = typing.get_type_hints(cls)
    return {
        a.name: hints[a.name] for a in attrs.fields(cls) if a.name not in NOT_IN_FILE
    }
