"""A matplotlib figure that shows itself in notebooks; imported only to plot."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = ["NotebookFigure"]


class NotebookFigure(Figure):
    """A :class:`~matplotlib.figure.Figure` that a notebook shows as a PNG image.

    Figures made without pyplot have no backend that Jupyter knows, so they
    would show as text; this one renders itself, with no ``%matplotlib`` line.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png")
        return buffer.getvalue()
