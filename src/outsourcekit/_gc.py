"""How outsourcekit tunes Python's cyclic garbage collector for bulk work."""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

__all__ = ["FULL_COLLECTION_EVERY", "collector_paused", "rare_full_collections"]

#: How many new objects make a batch large enough to skip the young generations:
#: more than the young generations hold between two of their collections
#: (700 x 10 by default), as the findings of a check of a few thousand
#: engagements are. One engagement read from a line or a mapping makes far
#: fewer.
MANY_OBJECTS: Final = 10_000


class _Pause:
    """The context of :func:`collector_paused`: a class, cheap to enter per item."""

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if gc.get_count()[0] > MANY_OBJECTS and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if self.enabled:
            gc.enable()


def collector_paused() -> _Pause:
    """Pause the cyclic garbage collector while many long-lived objects are made.

    Engagements, findings and results are not cyclic garbage, but each batch of
    new objects makes the collector rescan every live one; for a large
    portfolio that rescanning costs more than the work. After a large batch,
    every object of the young generations (what was made, and whatever else
    the program had there) joins the oldest generation directly
    (``gc.freeze()`` then ``gc.unfreeze()``) instead of being scanned by the
    young generations' next collections: cyclic garbage among them is then
    collected by the next full collection, not the next young one. This is
    skipped when the program keeps objects frozen itself.
    Nested pauses leave the collector as the outermost found it.

    A context manager, used ``with collector_paused(): ...``; entered once per
    line of a JSON Lines file, so a plain class rather than a generator.
    """
    return _Pause()


#: How many collections of the middle generation, at least, come between two
#: full collections while a check streams (Python's default: 10).
FULL_COLLECTION_EVERY = 1000


class _FullCollections:
    """Counts who asked for rare full collections, to restore the thresholds once."""

    lock = threading.Lock()
    depth = 0
    before: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def rare_full_collections() -> Iterator[None]:
    """Make the cyclic garbage collector's full collections rare for a while.

    A streamed check reads chunk after chunk of engagements: each chunk's
    objects live long enough to reach the oldest generation, and Python
    collects that generation (scanning every object held, the chunk's
    included) each time it has grown by a quarter, several times per chunk:
    a fifth of a streamed check's time. Here a full collection waits for at
    least :data:`FULL_COLLECTION_EVERY` collections of the middle generation
    (about one per 50,000 engagements checked); cyclic garbage is still
    collected in the younger generations as usual. The thresholds are
    restored when the last of nested or concurrent uses ends.
    """
    state = _FullCollections
    with state.lock:
        if not state.depth:
            state.before = gc.get_threshold()
            young, middle, full = state.before
            gc.set_threshold(young, middle, max(full, FULL_COLLECTION_EVERY))
        state.depth += 1
    try:
        yield
    finally:
        with state.lock:
            state.depth -= 1
            if not state.depth:
                gc.set_threshold(*state.before)
