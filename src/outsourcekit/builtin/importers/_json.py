"""What the importers of JSON files share: reading objects that hold each key once.

A key written twice is refused while the text is read (:func:`unique_keys`, a
cheap ``object_pairs_hook``); only then is :func:`outsourcekit.io.json_duplicates`
asked where each one is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KeyTwiceError", "unique_keys"]


class KeyTwiceError(ValueError):
    """An object of the text has a key twice."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key written twice."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise KeyTwiceError
    return result
