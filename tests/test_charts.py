"""Chart labels clear of the data (#19 item 7): the platform launch's label ("平台上线" / "Platform
launch") hangs from the top of the monthly chart beside its line, and the y axis leaves it room, so no
line passes through it, whatever the data. Checked with matplotlib's own renderer: the label's drawn box
against every plotted line (its points and the segments between them), independently of how
charts.keep_clear_of measures."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.path import Path as LinePath

from jimo_eval.core import charts
from jimo_eval.core.i18n import text


def monthly(rates: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"rate": rates}, index=pd.period_range("2022-01", periods=len(rates), freq="M"))


def drawn(figure):
    """The launch label and the data lines (not the launch's own vertical line), after a full draw."""
    axes = figure.axes[0]
    FigureCanvasAgg(figure).draw()  # the renderer a PNG is drawn with
    (label,) = [
        child
        for child in axes.texts
        if child.get_text() in {text("label.launch", "zh"), text("label.launch", "en")}
    ]
    lines = [line for line in axes.lines if len(np.unique(line.get_xdata())) > 1]
    return axes, label, lines


def crossing(label, lines) -> list[str]:
    """The lines whose drawn path meets the label's drawn box."""
    box = label.get_window_extent(label.figure.canvas.get_renderer())  # as drawn last
    found = []
    for line in lines:
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) and LinePath(xy).intersects_bbox(box, filled=False):
            found.append(line.get_label())
    return found


# Before the launch (2023-01) a low rate; from it on the highest, flat: a line right under the top of the
# axes where the label hangs. And a peak in the very month after the launch, beside the label.
PLATEAU = [1.0] * 12 + [3.0] * 12
PEAK = [1.0] * 12 + [1.5, 4.0] + [1.5] * 10


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("rates", [PLATEAU, PEAK], ids=["plateau", "peak"])
def test_the_launch_label_never_meets_the_data(rates, lang):
    figure = charts.monthly_rate_chart(monthly(rates), "2023-01-01", lang)
    axes, label, lines = drawn(figure)
    assert lines and crossing(label, lines) == []
    box, frame = label.get_window_extent(), axes.get_window_extent()
    assert frame.y1 - 2 * figure.dpi / 72 >= box.y1 >= frame.y1 - 20 * figure.dpi / 72  # at the top, inside
    assert axes.get_ylim()[0] == 0 and axes.get_ylim()[1] >= max(rates)


def test_the_check_sees_a_label_on_a_line():
    figure = charts.monthly_rate_chart(monthly(PLATEAU), "2023-01-01", "en")
    axes, label, lines = drawn(figure)
    axes.set_ylim(0, 3.05)  # the plateau moved up to the label's height
    figure.canvas.draw()
    assert crossing(label, lines) == [text("label.observed", "en")]


def test_highest_under_reads_points_and_segments_across_the_edges():
    figure = charts.monthly_rate_chart(monthly(PEAK), "2023-01-01", "en")
    _, label, lines = drawn(figure)
    (observed,) = lines
    xy = observed.get_transform().transform(observed.get_xydata())
    left, right = xy[12, 0] + 1, xy[13, 0] - 1  # between two points: only the segment passes
    middle = (xy[12, 1] + xy[13, 1]) / 2
    assert min(xy[12, 1], xy[13, 1]) < charts.highest_under(lines, left, right) < max(xy[12, 1], xy[13, 1])
    assert charts.highest_under(lines, (left + right) / 2 - 0.01, (left + right) / 2 + 0.01) == pytest.approx(
        middle, abs=0.5
    )
    assert charts.highest_under(lines, xy[-1, 0] + 10, xy[-1, 0] + 20) is None
