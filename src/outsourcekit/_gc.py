"""The one pause of Python's cyclic garbage collector, for bulk work."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["collector_paused"]

#: How many new objects make a batch large enough to skip the young generations.
MANY_OBJECTS: Final = 100_000


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
    what was made joins the oldest generation directly (``gc.freeze()`` then
    ``gc.unfreeze()``) instead of being scanned by the young generations' next
    collections; this is skipped when the program keeps objects frozen itself.
    Nested pauses leave the collector as the outermost found it.

    A context manager, used ``with collector_paused(): ...``; entered once per
    line of a JSON Lines file, so a plain class rather than a generator.
    """
    return _Pause()
