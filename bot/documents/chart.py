"""The quarterly review's picture: visits per class and month, and spend against budget per class.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global figure state, no display
needed on a server) in the shipped Noto Sans CJK, so Chinese labels render on any machine. The
words come in already translated (``ChartText``); this module only draws.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.documents.fonts import FONT_PATH
from bot.documents.review import Review

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# One colour per class, A to D, the same in both panels.
_COLOURS = ("#c0392b", "#e67e22", "#2980b9", "#7f8c8d")
_BUDGET, _SPENT = "#bdc3c7", "#27ae60"


@dataclass(frozen=True)
class ChartText:
    title: str
    visits_title: str
    money_title: str
    budget: str
    spent: str
    months: tuple[str, str, str]
    classes: tuple[str, ...]  # the legend label of each class, in the review's class order
    no_money: str  # said in the money panel when no debrief of the quarter recorded any


def review_chart(review: Review, text: ChartText, dpi: int = 110) -> bytes:
    """A PNG of two panels side by side."""
    out = io.BytesIO()
    review_figure(review, text, dpi).savefig(out, format="png")
    return out.getvalue()


def review_figure(review: Review, text: ChartText, dpi: int = 110) -> Figure:
    """The chart as a matplotlib figure: visits per class and month, money per class."""
    # matplotlib (26 MB resident) is loaded with the first chart, not by every start of the bot.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(FONT_PATH))
    figure = Figure(figsize=(10, 4.2), dpi=dpi)
    FigureCanvasAgg(figure)
    visits, money = figure.subplots(1, 2)
    class_ids = list(review.classes)

    width = 0.8 / max(len(class_ids), 1)
    for index, class_id in enumerate(class_ids):
        offsets = [month + (index - (len(class_ids) - 1) / 2) * width for month in range(3)]
        visits.bar(offsets, review.classes[class_id].visits, width, label=text.classes[index],
                   color=_COLOURS[index % len(_COLOURS)])
    visits.set_xticks(range(3), text.months, fontproperties=font)
    visits.set_title(text.visits_title, fontproperties=font)
    visits.yaxis.get_major_locator().set_params(integer=True)
    visits.legend(prop=font, fontsize=8)

    positions = range(len(class_ids))
    money.bar([p - 0.2 for p in positions], [review.classes[c].budget for c in class_ids], 0.4,
              label=text.budget, color=_BUDGET)
    money.bar([p + 0.2 for p in positions], [review.classes[c].spent for c in class_ids], 0.4,
              label=text.spent, color=_SPENT)
    money.set_xticks(list(positions), list(text.classes), fontproperties=font)
    money.set_title(text.money_title, fontproperties=font)
    # Money is never negative; with nothing recorded matplotlib would centre the axis on zero.
    money.set_ylim(bottom=0)
    visits.set_ylim(bottom=0)
    if any(figures.budget or figures.spent for figures in review.classes.values()):
        money.legend(prop=font, fontsize=8)
    else:
        # Nothing to draw: matplotlib would label an empty axis 0 to 0.05; say so instead.
        money.set_ylim(0, 1)
        money.set_yticks([])
        money.text(0.5, 0.5, text.no_money, transform=money.transAxes, ha="center", va="center",
                   fontproperties=font, color="#7f8c8d", wrap=True)

    for axes in (visits, money):
        axes.spines[["top", "right"]].set_visible(False)
    figure.suptitle(text.title, fontproperties=font, fontsize=14)
    figure.tight_layout()
    return figure
