"""Evidence as JSON data: what ``Finding.to_dict()`` and the displays write."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from outsourcekit.model._display import sort_text, writable
from outsourcekit.model._frozen import FrozenDict

__all__ = ["json_data"]


#: Whole numbers below this in size are written out whatever Python's limit
#: of digits (:func:`~outsourcekit.model._display.writable` tells the others).
_HIGH = 2**2000
_LOW = -_HIGH

#: The types JSON takes as they are (exactly these: not their subclasses).
_SCALARS = frozenset({str, int, float, bool, type(None)})
#: The types written as they are in every case, taken without a call.
_AS_THEY_ARE = frozenset({str, bool, type(None)})
#: The types written as their ISO text (exactly these: not their subclasses).
_ISO = frozenset({dt.date, dt.datetime, dt.time})


def _plain(value: object) -> object:
    """Turn evidence values into JSON-able data (dates as ISO text, enums as words).

    A whole number of more digits than Python writes out is text in
    scientific notation (``"1.234568e+5000"``, see
    :func:`~outsourcekit.model._display.long_number`).
    """
    kind = type(value)
    # Plain values, dicts and lists first: nearly all evidence is made of them.
    if kind in _SCALARS:
        if kind is float:
            # JSON has no number for NaN and the infinities: null, as JavaScript has.
            return value if math.isfinite(value) else None  # type: ignore[arg-type]
        if kind is int and not _LOW < value < _HIGH:  # type: ignore[operator]
            return writable(value)  # type: ignore[arg-type]
        return value
    same = _AS_THEY_ARE
    if kind is dict or kind is FrozenDict:
        return {
            k if type(k) is str else str(k): v if type(v) in same else _plain(v)
            for k, v in value.items()  # type: ignore[attr-defined]
        }
    if kind is list or kind is tuple:
        return [v if type(v) in same else _plain(v) for v in value]  # type: ignore[attr-defined]
    # Dates and times, the usual other values, without a call.
    return value.isoformat() if kind in _ISO else _plain_other(value)  # type: ignore[attr-defined]


def _plain_other(value: object) -> object:
    """Turn any other evidence value into JSON-able data (see :func:`_plain`)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        sets = isinstance(value, (set, frozenset))
        items = sorted(value, key=sort_text) if sets else value
        return [_plain(v) for v in items]
    if value is None or isinstance(value, (bool, int, float, str)):
        return _plain_scalar(value)
    iso = getattr(value, "isoformat", None)
    if callable(iso):
        return iso()
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    return str(value)


def _plain_scalar(value: object) -> object:
    """Return a value of a subclass of a JSON type as :func:`_plain` would."""
    if isinstance(value, int) and not isinstance(value, bool):
        return writable(value)
    # A float of another type (numpy's) is no more a JSON number when NaN.
    finite = not isinstance(value, float) or math.isfinite(value)
    return value if finite else None


#: ``json_data(value)``: an evidence value as the JSON output's data.
json_data = _plain
