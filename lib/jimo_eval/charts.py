"""Charts for the reports: matplotlib's object API (no pyplot state), PNG, the shipped CJK font."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import pandas as pd  # noqa: E402
from IPython.display import Image  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .fonts import use_cjk_font_in_matplotlib  # noqa: E402
from .i18n import text  # noqa: E402

WIDTH, HEIGHT = 8.0, 3.6
COLOURS = {"observed": "#1f5f8b", "fitted": "#e07b00", "counterfactual": "#7f7f7f", "launch": "#b22222"}


def new_figure(height: float = HEIGHT) -> tuple[Figure, object]:
    use_cjk_font_in_matplotlib()
    figure = Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    return figure, axes


def as_png(figure: Figure) -> Image:
    """The figure as an embedded PNG; no software/date metadata, so the bytes depend only on the data."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return Image(data=buffer.getvalue(), format="png")


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
    axes.axvline(pd.Timestamp(launch), color=COLOURS["launch"], lw=1.2)
    axes.annotate(
        text("label.launch", lang),
        (pd.Timestamp(launch), 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        color=COLOURS["launch"],
    )
    axes.set_ylabel(text("label.rate", lang))
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    axes.set_title(text("chart.monthly_title", lang), loc="left")
    axes.legend(frameon=False, loc="lower left", fontsize=8)
    return figure


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
        label=text("chart.claimed_line", lang, claimed=f"{claimed:.2f}"),
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
    colours = [COLOURS["counterfactual"], COLOURS["observed"]]
    for (label, curve), colour in zip(curves.items(), colours, strict=False):
        axes.step(curve["time"], curve["survival"], where="post", color=colour, label=label)
        axes.fill_between(
            curve["time"], curve["ci_low"], curve["ci_high"], step="post", color=colour, alpha=0.15
        )
    axes.axhline(0.5, color="#999999", lw=0.8, ls=":")
    axes.set_ylim(0, 1.02)
    if horizon_days:
        axes.set_xlim(0, horizon_days)
    axes.set_xlabel(text("res.label.days", lang))
    axes.set_ylabel(text("res.label.share_open", lang))
    axes.set_title(text("res.chart.km_title", lang), loc="left")
    axes.legend(frameon=False, fontsize=8)
    return figure
