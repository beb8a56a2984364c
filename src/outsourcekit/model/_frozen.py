"""Plain data that cannot change: what frozen objects hold of mappings and lists.

An engagement's ``x-`` values and a finding's evidence are plain data that came
from a file or a caller. Held as they came, they could be changed after the
fact, through the object or through whoever else holds them (the caller's
dict, a portfolio's ``defaults:`` shared by its engagements). Frozen, a copy
is taken once: mappings become :class:`FrozenDict` and lists tuples, so
that the object is as immutable as its other fields, hashes and pickles.
Writing it to a file thaws it back (:func:`thaw`). A finding's evidence,
which is no file's data, may hold more: frozen with ``sets=True``, sets become
frozensets, other mappings (a read-only view, a ``ChainMap``) frozen mappings,
other sequences (a deque, a list subclass, a ``UserList``, an array, a dict's
views) tuples and byte arrays bytes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import deque
from collections.abc import Mapping, MappingView, MutableSequence
from typing import Any, Final, NoReturn, TypeVar

from ._display import long_number

__all__ = ["EMPTY", "FrozenDict", "freeze", "frozen_mapping", "thaw"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenDict(dict[_K, _V]):
    """A mapping that refuses every change; equal to a dict with the same items.

    A subclass of :class:`dict`, so that JSON and TOML writers, ``dict(...)``
    and ``isinstance(value, dict)`` take it as they take a dict. Hashable when
    its values are (frozen values are, unless they hold objects that are not).
    """

    __slots__ = ()

    def _read_only(self, *_args: object, **_kwargs: object) -> NoReturn:
        msg = (
            "this mapping is read-only: build a new object with the changed "
            "value (outsourcekit.evolve) instead"
        )
        raise TypeError(msg)

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        """Show the mapping as a dict shows; a whole number too long to write, rounded.

        Python writes no whole number of more digits than
        ``sys.get_int_max_str_digits()``: such a number shows in scientific
        notation (``1.000000e+5000``), as the displays show it.
        """
        try:
            return dict.__repr__(self)
        except ValueError:
            return _repr(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the mapping where IPython shows text, as IPython shows a dict.

        That is its ``repr()``, of the first items only when it has more than
        IPython shows of a dict (1,000 unless changed): a notebook keeps that
        text, and the results of a report of 20,000 engagements by id would
        put megabytes into it.
        """
        del cycle  # a frozen mapping never holds itself
        limit = getattr(printer, "max_seq_length", 0)
        if not limit or len(self) <= limit:
            printer.text(repr(self))
            return
        first = FrozenDict(itertools.islice(self.items(), limit))
        printer.text(f"{repr(first)[:-1]}, ...}}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt by frozen_mapping, so that a NaN read back from a pickle is
        # the one NaN again (pickle makes a new float of each).
        return (frozen_mapping, (dict(self),))

    def __copy__(self) -> FrozenDict[_K, _V]:
        return self

    def __deepcopy__(self, _memo: object) -> FrozenDict[_K, _V]:
        return self


#: The empty frozen mapping, shared.
EMPTY: FrozenDict[Any, Any] = FrozenDict()


def frozen_mapping(
    value: Mapping[_K, Any], *, sets: bool = False
) -> FrozenDict[_K, Any]:
    """Return a frozen copy of the mapping *value* (:func:`freeze`); empty: EMPTY."""
    if type(value) is FrozenDict:
        return value
    if not value:
        return EMPTY
    scalars = _KEPT
    # Most values are text, numbers and dates, kept as they are without a call
    # (NaN, the one value not equal to itself, is made the one NaN by freeze).
    return FrozenDict(
        {
            (k if type(k) is str else _key(k, sets)): (
                v if type(v) in scalars and v == v else freeze(v, sets=sets)  # noqa: PLR0124
            )
            for k, v in value.items()
        }
    )


#: The values :func:`freeze` returns as they are, tested first by their type.
_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})

#: The values :func:`freeze` returns as they are in every case, with the
#: same answer whether it is asked or not: the scalars, and dates, times and
#: durations (immutable; no container, no NaN), tested by their exact type.
_KEPT: frozenset[type] = _SCALARS | {dt.date, dt.datetime, dt.time, dt.timedelta}


def freeze(value: Any, *, sets: bool = False) -> Any:
    """Return a frozen copy of *value*: the dicts and lists in it frozen, deeply.

    With *sets*, its sets become frozensets too (else they are kept, for the
    model to refuse as no file's data).

    Other values are returned as they are, except that every NaN becomes
    :data:`math.nan`: NaN equals nothing, not even itself, but the one NaN is
    the same object everywhere, so that data read twice (or written and read
    back) compares equal. A :class:`FrozenDict` is taken as frozen through and
    through, as :func:`freeze` makes them. Data nested
    deeper than Python's recursion allows is frozen all the same; data that
    holds itself raises ``ValueError``.
    """
    try:
        return _freeze(value, sets)
    except RecursionError:
        return _freeze_deep(value, sets)


def _freeze(value: Any, sets: bool) -> Any:
    kind = type(value)
    kept = _KEPT
    # Text keys and kept values are taken without a call, as most are.
    if kind is dict or (kind is not FrozenDict and isinstance(value, dict)):
        return FrozenDict(
            {
                (k if type(k) is str else _key(k, sets)): (
                    v if type(v) in kept and v == v else _freeze(v, sets)  # noqa: PLR0124
                )
                for k, v in value.items()
            }
        )
    if kind is list or kind is tuple:
        return tuple(
            [
                v if type(v) in kept and v == v else _freeze(v, sets)  # noqa: PLR0124
                for v in value
            ]
        )
    if sets and _other_container(value):
        if isinstance(value, Mapping):
            return FrozenDict(
                {_key(k, sets): _freeze(v, sets) for k, v in value.items()}
            )
        return tuple([_freeze(v, sets) for v in value])
    return _leaf(value, sets)


def _key(key: Any, sets: bool) -> Any:
    """Return the mapping key *key* frozen: text as it is, else as :func:`_leaf`."""
    return key if type(key) is str else _leaf(key, sets)


#: Sequences of other types that evidence may hold, frozen as tuples with
#: ``sets=True``: list and tuple subclasses, a deque, a ``UserList`` or an
#: array, and a dict's views (its keys, values or items as they are now).
_SEQUENCES = (list, tuple, deque, MutableSequence, MappingView)


def _other_container(value: Any) -> bool:
    """Whether *value* is another mapping or sequence of :data:`_SEQUENCES`.

    A byte array is no such sequence: it is frozen as bytes (:func:`_leaf`).
    """
    kind = type(value)
    return (
        kind not in _SCALARS
        and kind is not FrozenDict
        and not isinstance(value, bytearray)
        and isinstance(value, (Mapping, *_SEQUENCES))
    )


def _leaf(value: Any, sets: bool = False) -> Any:
    """Return *value*, a NaN as the one NaN (:data:`math.nan`), a set (*sets*) frozen.

    A set's items are hashable, and so frozen already, save for NaN. With
    *sets* (evidence), numpy's and pandas' values are Python's own
    (:func:`_python_value`).
    """
    kind = type(value)
    if kind is float and value != value:  # noqa: PLR0124 -- NaN
        return math.nan
    if not sets or kind in _SCALARS:
        return value
    if kind.__module__.partition(".")[0] in _FOREIGN:
        plain = _python_value(value)
        if plain is not value:
            return _freeze(plain, sets)
    if isinstance(value, set):
        return frozenset([_leaf(v, sets) for v in value])
    if isinstance(value, bytearray):
        return bytes(value)
    return value


#: The packages whose values evidence holds as Python's own values.
_FOREIGN: Final = frozenset({"numpy", "pandas"})


def _python_value(value: Any) -> Any:
    """Return the Python value of a numpy or pandas *value*; others as they are.

    A number, truth value or text of numpy is Python's (``np.int64(3)`` is
    ``3``); a ``datetime64`` is a date (a day or coarser) or a datetime, to
    the microsecond; a ``timedelta64`` a timedelta, to the microsecond; one
    that Python's cannot hold (a year past 9999) is its ISO text, and so is
    a duration in months or years (no fixed length). An array is a list of
    its items' values (one of no dimension, its value), and so is a pandas
    ``Series`` or ``Index``; a ``DataFrame`` is a list of its rows, each a
    mapping of column to value; a ``Timestamp`` is a datetime, a
    ``Timedelta`` a timedelta; NaT and pandas' NA are None.
    numpy is not imported here: a value of it is known by its type.
    """
    kind = type(value)
    if kind.__module__.startswith("pandas"):
        return _pandas_value(value)
    name = kind.__name__
    if name == "ndarray":
        return value[()] if value.ndim == 0 else list(value)
    if not callable(getattr(value, "item", None)):
        return value
    if name in {"datetime64", "timedelta64"}:
        return _numpy_time(value)
    plain = value.item()
    if type(plain).__module__ == "numpy":  # a long double: no Python number holds it
        return float(value) if isinstance(value, float) else str(value)
    return plain


def _pandas_value(value: Any) -> Any:
    """Return a pandas value as Python's: see :func:`_python_value`."""
    name = type(value).__name__
    if name in {"NaTType", "NAType"}:
        return None
    if name == "Series" or name.endswith("Index"):
        return list(value)
    if name == "DataFrame":
        return value.to_dict("records")
    if name == "Timestamp":
        return value.to_pydatetime(warn=False)
    if name == "Timedelta":
        return value.to_pytimedelta()
    return value


def _numpy_time(value: Any) -> Any:
    """Return a numpy ``datetime64`` or ``timedelta64`` as Python's date or duration."""
    if value != value:  # noqa: PLR0124 -- NaT
        return None
    if value.dtype.str[-3:] in {"[Y]", "[M]"} and type(value).__name__ != "datetime64":
        return str(value)  # years and months are no fixed duration
    plain = value.item()
    if isinstance(plain, int):
        # Finer than microseconds (an int of them), or beyond Python's types.
        unit = "M8[us]" if type(value).__name__ == "datetime64" else "m8[us]"
        try:
            plain = value.astype(unit).item()
        except (TypeError, ValueError, OverflowError):
            return str(value)
    return str(value) if isinstance(plain, int) else plain


def _thawed(value: Any, sets: bool) -> bool:
    """Whether :func:`freeze` makes a container of its own of *value*."""
    kind = type(value)
    if kind is list or kind is tuple:
        return True
    if kind is FrozenDict or kind in _SCALARS:
        return False
    return isinstance(value, dict) or (sets and _other_container(value))


def _freeze_deep(value: Any, sets: bool) -> Any:
    """Return :func:`freeze` of *value*, nested however deep, without recursion."""
    if not _thawed(value, sets):
        return _leaf(value, sets)
    # Each open container: itself, what is left of its items, those frozen so far.
    stack: list[tuple[Any, Any, list[tuple[Any, Any]]]] = []
    open_ids: set[int] = set()

    def enter(container: Any) -> None:
        if id(container) in open_ids:
            msg = "the data holds itself"
            raise ValueError(msg)
        open_ids.add(id(container))
        items = (
            container.items()
            if isinstance(container, Mapping)
            else enumerate(container)
        )
        stack.append((container, iter(items), []))

    enter(value)
    frozen: Any = None
    while stack:
        container, items, done = stack[-1]
        for key, item in items:
            if _thawed(item, sets):
                done.append((key, None))
                enter(item)
                break
            done.append((key, _leaf(item, sets)))
        else:
            stack.pop()
            open_ids.discard(id(container))
            frozen = (
                FrozenDict([(_key(k, sets), v) for k, v in done])
                if isinstance(container, Mapping)
                else tuple(item for _, item in done)
            )
            if stack:
                parent = stack[-1][2]
                parent[-1] = (parent[-1][0], frozen)
    return frozen


def _repr(value: object) -> str:
    """Return ``repr(value)``, whole numbers too long to write rounded in it."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return repr(value)
        except ValueError:
            return long_number(value)
    if isinstance(value, dict):
        items = ", ".join(f"{_repr(k)}: {_repr(v)}" for k, v in value.items())
        return f"{{{items}}}"
    if type(value) is tuple:
        items = ", ".join(_repr(v) for v in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    if type(value) is frozenset and value:
        return f"frozenset({{{', '.join(_repr(v) for v in value)}}})"
    return repr(value)


def thaw(value: Any) -> Any:
    """Return *value* as plain data again: mappings as dicts, tuples as lists.

    The result is a copy that its caller may change.
    """
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value
