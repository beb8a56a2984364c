"""Notebook support: HTML displays, pandas DataFrames and matplotlib figures.

The HTML functions need nothing beyond the standard library; they live beside
what they show, in ``outsourcekit.model`` and ``outsourcekit.engine``, whose
``_repr_html_`` methods call them, so that engagements, findings, reports,
comparisons with a baseline and the rule catalogue show as tables in Jupyter.
The DataFrame and plot functions need the ``notebook`` extra
(``pip install "outsourcekit[notebook]"``): pandas and matplotlib are imported
inside them, never when this package is. Plots are
:class:`matplotlib.figure.Figure` objects made without pyplot, so they touch no
global state and never open a window.
"""

from typing import Final

from outsourcekit.engine import _frames as _engine_frames
from outsourcekit.engine._display import (
    RuleCatalogue,
    diff_html,
    engagement_html,
    finding_html,
    report_html,
    report_repr,
    rules_html,
)
from outsourcekit.engine._frames import MissingExtraError

from . import _frames, _plots
from ._frames import (
    engagements_to_pandas,
    history_findings_frame,
    history_portfolio_frame,
    history_scores_frame,
    planned_check_ins,
    report_to_pandas,
    rules_to_pandas,
    scores_frame,
)
from ._plots import (
    plot_check_ins,
    plot_findings,
    plot_heatmap,
    plot_history,
    plot_kpi,
    plot_ranking,
    plot_scores,
)

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "EXTRA",
    "FINDING_COLUMNS",
    "PALETTE",
    "SEVERITY_ORDER",
    "MissingExtraError",
    "RuleCatalogue",
    "diff_html",
    "engagement_html",
    "engagements_to_pandas",
    "finding_html",
    "history_findings_frame",
    "history_portfolio_frame",
    "history_scores_frame",
    "planned_check_ins",
    "plot_check_ins",
    "plot_findings",
    "plot_heatmap",
    "plot_history",
    "plot_kpi",
    "plot_ranking",
    "plot_scores",
    "report_html",
    "report_repr",
    "report_to_pandas",
    "rules_html",
    "rules_to_pandas",
    "scores_frame",
]

#: How to install what the DataFrame and plot functions need.
EXTRA: Final = _engine_frames.EXTRA
#: Severities from the least to the most serious, the order of the severity dtype.
SEVERITY_ORDER: Final = _engine_frames.SEVERITY_ORDER
#: The columns of :func:`report_to_pandas`, in order.
FINDING_COLUMNS: Final = _engine_frames.FINDING_COLUMNS
#: The columns of :func:`engagements_to_pandas`, in order.
ENGAGEMENT_COLUMNS: Final = _frames.ENGAGEMENT_COLUMNS
#: The colours of the package's charts, by name. ``error``, ``warning`` and
#: ``info`` colour the severities, ``primary`` the main series and ``good`` a
#: healthy score.
PALETTE: Final = _plots.PALETTE
