"""Charts for the reports: matplotlib's object API (no pyplot state), PNG, the shipped CJK font.

A view shows a chart through :func:`chart`: the figure with its alt text and caption, and the frame of
published numbers it plots. The report gets an HTML ``<figure>``: the PNG with the alt text (in the
report's language, built by the view from the same numbers it plots: the kind of chart, what is plotted,
the main message with its figures), a visible caption numbered in the report ("图 2：…" / "Figure 2: …"),
and under it the link to its data as CSV (core/downloads.py). Series differ by line style or marker as
well as colour, so that no meaning rests on colour alone.
"""

from __future__ import annotations

import base64
import io
from html import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import Image  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from jimo_eval.core import downloads  # noqa: E402
from jimo_eval.core.fonts import use_cjk_font_in_matplotlib  # noqa: E402
from jimo_eval.core.i18n import number, text  # noqa: E402

# Reports embed PNG, but a chart saved as SVG (an evaluator's export) must be byte-stable too:
# matplotlib salts SVG element ids with a random UUID unless this is set.
matplotlib.rcParams["svg.hashsalt"] = "jimo-eval"

WIDTH, HEIGHT = 8.0, 3.6
# Each at least 3:1 against the white ground (WCAG 1.4.11, non-text contrast; tests/test_accessibility.py).
COLOURS = {"observed": "#1f5f8b", "fitted": "#c96d00", "counterfactual": "#7f7f7f", "launch": "#b22222"}
# A line that only helps reading (the 50% line of a survival chart) and a bar's pale fill, which its
# outline in COLOURS["observed"] makes visible.
GUIDE, BAR_FILL = "#767676", "#b7d3e6"
# Line styles as an alt text names them.
LINES_TEXT = {"--": "line.dashed", "-": "line.solid"}


def new_figure(height: float = HEIGHT) -> tuple[Figure, object]:
    use_cjk_font_in_matplotlib()
    figure = Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    return figure, axes


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG; no software/date metadata, so the bytes depend only on the data."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def as_png(figure: Figure) -> Image:
    """The figure as a bare embedded PNG (no alt text, caption or data: reports use :func:`chart`)."""
    return Image(data=png_bytes(figure), format="png")


def chart(figure: Figure, lang: str, *, alt: str, caption: str, data: pd.DataFrame) -> downloads.Published:
    """A chart for the report: ``figure`` as a PNG with the alt text ``alt``, the caption "图 n：caption"
    / "Figure n: caption" numbered in the report, and under it the link to ``data`` as CSV. ``data`` holds
    the published numbers the chart plots, as the report shows them (formatted by core/i18n.py, withheld
    ones as their symbols), never the rows of an input; its data also go out as ``TABLE_MIME``."""
    if not alt.strip() or not caption.strip():
        raise ValueError("a chart needs its alt text and its caption")
    number, file_name = downloads.next_number(downloads.FIGURE)
    columns, rows = downloads.shown_cells(downloads.render(data))
    image = base64.b64encode(png_bytes(figure)).decode("ascii")
    shown_caption = text("figure.caption", lang, number=number, caption=caption)
    html = (
        '<figure class="jimo-figure">\n'
        f'<img src="data:image/png;base64,{image}" alt="{escape(alt)}">\n'
        f"<figcaption>{escape(shown_caption)}</figcaption>\n"
        "</figure>\n" + downloads.link(columns, rows, file_name, lang)
    )
    record = downloads.published(downloads.FIGURE, number, file_name, caption, columns, rows)
    return downloads.Published(html, {**record, "alt": alt})


def survival_at(curve: pd.DataFrame, days) -> pd.DataFrame:
    """A Kaplan–Meier curve (``time``, ``survival``, ``ci_low``, ``ci_high``) read at ``days``: the step
    in force on each day, none (NaN) after its last time, where the curve is not defined. A chart's data
    give the curve so, at round days, never its steps (each step is one case's closing time)."""
    days = np.asarray(list(days), dtype=float)
    times = curve["time"].to_numpy()
    at = np.searchsorted(times, days, side="right") - 1
    picked = curve.iloc[np.clip(at, 0, None)][["survival", "ci_low", "ci_high"]].reset_index(drop=True)
    picked[days > times.max()] = np.nan
    picked.insert(0, "day", days.astype(int))
    return picked


def monthly_rate_chart(monthly: pd.DataFrame, launch: str, lang: str, its=None) -> Figure:
    """Closings per inspector-month by month, the launch marked, the ITS fit and projection if any."""
    figure, axes = new_figure()
    months = monthly.index.to_timestamp()
    axes.plot(
        months,
        monthly["rate"],
        marker="o",
        ms=3,
        color=COLOURS["observed"],
        label=text("label.observed", lang),
    )
    if its is not None:
        axes.plot(months, its.fitted.to_numpy(), color=COLOURS["fitted"], label=text("label.fitted", lang))
        after = its.counterfactual.index >= pd.Timestamp(launch).to_period("M")
        axes.plot(
            months[after],
            its.counterfactual[after].to_numpy(),
            ls="--",
            color=COLOURS["counterfactual"],
            label=text("label.counterfactual", lang),
        )
    data_lines = list(axes.lines)
    axes.axvline(pd.Timestamp(launch), color=COLOURS["launch"], lw=1.2)
    # The launch's label hangs from the top of the axes beside its line, in axes coordinates.
    label = axes.annotate(
        text("label.launch", lang),
        (pd.Timestamp(launch), 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -2),
        textcoords="offset points",
        va="top",
        color=COLOURS["launch"],
    )
    axes.set_ylabel(text("label.rate", lang))
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    axes.set_title(text("chart.monthly_title", lang), loc="left")
    axes.legend(frameon=False, loc="lower left", fontsize=8)
    keep_clear_of(label, data_lines)
    return figure


LABEL_GAP_POINTS = 4  # between a label and the highest data under it (a marker is 1.5 points wide)


def keep_clear_of(label, lines, attempts: int = 4) -> None:
    """Raise the top of the y axis until no part of ``lines`` (their points and the segments between
    them) comes within LABEL_GAP_POINTS of ``label``, a text placed in axes coordinates, as the renderer
    lays the figure out: the label stays where it is and the data move down. Measured again after each
    change, since the constrained layout may resize the axes."""
    axes, figure = label.axes, label.figure
    for _ in range(attempts):
        figure.draw_without_rendering()
        box = label.get_window_extent()
        limit = box.y0 - LABEL_GAP_POINTS * figure.dpi / 72
        highest = highest_under(lines, box.x0, box.x1)
        if highest is None or highest <= limit:
            return
        to_data = axes.transData.inverted()
        bottom, top = axes.get_ylim()
        # Aimed a pixel lower than the limit, so that rounding cannot leave the data a hair above it.
        (_, at_limit), (_, at_highest) = to_data.transform([(box.x0, limit - 1), (box.x0, highest)])
        axes.set_ylim(bottom, bottom + (top - bottom) * (at_highest - bottom) / (at_limit - bottom))
    raise RuntimeError(f"could not keep the label {label.get_text()!r} clear of the data")


def highest_under(lines, left: float, right: float) -> float | None:
    """The highest point, in display coordinates, of ``lines`` between ``left`` and ``right`` (display
    x): their points there and where their segments cross the two edges; None when none passes."""
    heights = []
    for line in lines:
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) == 0:
            continue
        xy = xy[np.argsort(xy[:, 0], kind="stable")]
        x, y = xy[:, 0], xy[:, 1]
        inside = (x >= left) & (x <= right)
        heights += list(y[inside])
        for edge in (left, right):
            if x.min() <= edge <= x.max():
                heights.append(float(np.interp(edge, x, y)))
    return max(heights) if heights else None


def ratio_chart(ratio, claimed: float, lang: str) -> Figure:
    """The rate ratio and its interval on one axis with the claimed ratio and 'no change' marked."""
    figure, axes = new_figure(height=1.9)
    if ratio.value is not None:
        axes.errorbar(
            [ratio.value],
            [0],
            xerr=[[ratio.value - ratio.low], [ratio.high - ratio.value]],
            fmt="o",
            color=COLOURS["observed"],
            capsize=6,
        )
    axes.axvline(
        claimed,
        color=COLOURS["launch"],
        ls="--",
        label=text("chart.claimed_line", lang, claimed=number(claimed, 2)),
    )
    axes.axvline(1.0, color=COLOURS["counterfactual"], ls=":", label=text("chart.no_change", lang))
    axes.set_yticks([])
    axes.set_xlabel(text("label.ratio", lang))
    axes.set_title(text("chart.ratio_title", lang), loc="left")
    axes.legend(frameon=False, loc="upper left", fontsize=8, ncols=2)
    return figure


def survival_chart(curves: dict[str, pd.DataFrame], lang: str, horizon_days: float | None = None) -> Figure:
    """Kaplan–Meier curves (share still open) with their 95% bands, one per cohort, medians marked."""
    figure, axes = new_figure(height=3.8)
    for (label, curve), (colour, style) in zip(curves.items(), survival_lines(len(curves)), strict=False):
        axes.step(curve["time"], curve["survival"], where="post", color=colour, ls=style, label=label)
        axes.fill_between(
            curve["time"], curve["ci_low"], curve["ci_high"], step="post", color=colour, alpha=0.15
        )
    axes.axhline(0.5, color=GUIDE, lw=0.8, ls=":")
    axes.set_ylim(0, 1.02)
    if horizon_days:
        axes.set_xlim(0, horizon_days)
    axes.set_xlabel(text("res.label.days", lang))
    axes.set_ylabel(text("res.label.share_open", lang))
    axes.set_title(text("res.chart.km_title", lang), loc="left")
    axes.legend(frameon=False, fontsize=8)
    return figure


def survival_lines(count: int) -> list[tuple[str, str]]:
    """The colour and line style of each of ``count`` Kaplan–Meier curves: with two, the earlier cohort
    grey and dashed, the later blue and solid (told apart by line style as well as colour); one, solid."""
    lines = [(COLOURS["counterfactual"], "--"), (COLOURS["observed"], "-")]
    return lines[max(len(lines) - count, 0) :]


def trajectory_chart(by_year: pd.DataFrame, projection, lang: str, recent_years: int) -> Figure:
    """Cumulative pocket parks by year, the target line, and the projection at the pace of the last
    ``recent_years`` years with its 95% band."""
    figure, axes = new_figure()
    axes.bar(
        by_year["year"],
        by_year["completed"],
        color=BAR_FILL,
        edgecolor=COLOURS["observed"],
        linewidth=0.8,
        label=text("gs.label.completed", lang),
    )
    axes.plot(
        by_year["year"],
        by_year["cumulative"],
        marker="o",
        color=COLOURS["observed"],
        label=text("gs.label.cumulative", lang),
    )
    start_year = pd.Timestamp(projection.day).year + pd.Timestamp(projection.day).dayofyear / 365.25
    end_year = projection.target_year + 1
    axes.plot(
        [start_year, end_year],
        [projection.built, projection.projected],
        ls="--",
        color=COLOURS["fitted"],
        label=text("gs.label.projection", lang, years=recent_years),
    )
    axes.fill_between(
        [start_year, end_year],
        [projection.built, projection.projected_band[0]],
        [projection.built, projection.projected_band[1]],
        color=COLOURS["fitted"],
        alpha=0.2,
    )
    axes.axhline(
        projection.target,
        color=COLOURS["launch"],
        ls=":",
        label=text("gs.label.target_line", lang, target=projection.target),
    )
    axes.set_title(text("gs.chart.trajectory", lang), loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper left")
    return figure


def park_map(parks: pd.DataFrame, residential: pd.DataFrame | None, lang: str, radii_m) -> Figure:
    """Built parks on a local equirectangular projection (metres), sized by area, with service circles
    of the two ``radii_m``.

    Drawn from coordinates alone: no map tiles, so nothing is fetched when the report is built or read.
    """
    figure = Figure(figsize=(WIDTH, WIDTH * 0.8), dpi=100, layout="constrained")
    use_cjk_font_in_matplotlib()
    axes = figure.add_subplot()
    origin_lon, origin_lat = parks["lon"].mean(), parks["lat"].mean()
    to_x, to_y = _local_metres(origin_lon, origin_lat)
    if residential is not None and len(residential):
        axes.scatter(to_x(residential["lon"]), to_y(residential["lat"]), s=2, color="#8c8c8c",
                     label=text("gs.kind.residential", lang), zorder=1)  # fmt: skip
    for radius, alpha in zip(sorted(radii_m), (0.10, 0.05), strict=False):
        for x, y in zip(to_x(parks["lon"]), to_y(parks["lat"]), strict=True):
            axes.add_patch(Circle((x, y), radius, color="#2e7d32", alpha=alpha, lw=0, zorder=2))
    # Comprehensive parks as squares, pocket parks as circles: told apart by shape as well as colour.
    for kind, key, colour, shape in (
        ("comprehensive", "gs.kind.comprehensive", "#1b5e20", "s"),
        ("pocket", "gs.kind.pocket", "#43a047", "o"),
    ):
        chosen = parks[parks["kind"] == kind]
        axes.scatter(to_x(chosen["lon"]), to_y(chosen["lat"]), s=np.sqrt(chosen["area_m2"]) / 3, color=colour,
                     marker=shape, edgecolor="white", lw=0.5, label=text(key, lang), zorder=3)  # fmt: skip
    axes.set_aspect("equal")
    axes.set_xlabel("km")
    axes.xaxis.set_major_formatter(lambda v, _: f"{v / 1000:.0f}")
    axes.yaxis.set_major_formatter(lambda v, _: f"{v / 1000:.0f}")
    near, far = sorted(radii_m)
    axes.set_title(text("gs.chart.map", lang, near=near, far=far), loc="left")
    axes.legend(frameon=False, fontsize=8, loc="upper right", markerscale=0.6)
    return figure


def _local_metres(origin_lon: float, origin_lat: float):
    """Degrees → metres east/north of an origin; accurate to well under 1% across a district."""
    metres_per_degree = np.pi * 6_371_008.8 / 180
    scale_x = metres_per_degree * np.cos(np.radians(origin_lat))
    return (lambda lon: (np.asarray(lon) - origin_lon) * scale_x), (
        lambda lat: (np.asarray(lat) - origin_lat) * metres_per_degree
    )
