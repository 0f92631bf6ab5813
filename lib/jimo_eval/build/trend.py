"""The trend page, reports/trend.html: every scorecard figure of every programme across all built quarters,
one small chart per figure (the value, its 95% interval as a band, the claim or target as a dashed line,
the status of each quarter by the shape of its point, a missing value as a gap with its GSS marker) and
under each chart a table of the same numbers. Built from the quarters' metrics.json alone (no notebook
runs) by ``make report`` and ``make all`` (pipeline.write_quarters_index), with the front page that links
it, reports/index.html (``write_front_page``): the newest scorecard in short, every quarter and its releases.

The page is self-contained like every report: the charts are PNG data URIs whose bytes depend only on the
numbers (no software or date metadata), the font is the embedded subset, every value from metrics.json is
escaped by the template (autoescape). Colour is never the only carrier of meaning: each status has its own
marker shape, and the tables say everything in words.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from jimo_eval.build.figures import by_key, quarter_figures
from jimo_eval.build.releases import Release, releases_folder, releases_of
from jimo_eval.build.scorecard import _page, _render, _synthetic_banner, programme_rows, report_title
from jimo_eval.core import i18n
from jimo_eval.core.cache import cached
from jimo_eval.core.i18n import text, texts
from jimo_eval.core.markers import MARKERS, MARKERS_TEXT
from jimo_eval.core.markers import legend as markers_legend
from jimo_eval.core.paths import RELEASES_DIR
from jimo_eval.core.status import NOT_AVAILABLE, PROVISIONAL, REVISED, ScorecardRow, Status, Unit
from jimo_eval.programmes import PROGRAMMES

TREND_FILE = "trend.html"
NO_HEADLINE = ScorecardRow("", "—", "", "", Status.NA)  # a quarter built without the throughput report

# Each status by a shape of its own (the HTML symbol and the matplotlib marker), a colour, and its words.
STATUSES = ("ok", "bad", "na")
SHAPES = {"ok": ("●", "o"), "bad": ("▲", "^"), "na": ("◇", "D")}
STATUS_COLOURS = {"ok": "#1b6e20", "bad": "#b22222", "na": "#666666"}
STATUS_TEXT = {"ok": "trend.status.ok", "bad": "trend.status.bad", "na": "trend.status.na"}
LEGEND_TEXT = {"ok": "trend.legend.ok", "bad": "trend.legend.bad", "na": "trend.legend.na"}
# The words of templates/trend.html.j2 and quarters.html.j2, by the name the templates use.
WORDS = {
    "legend": "trend.legend",
    "band": "trend.legend.band",
    "reference": "trend.legend.reference",
    "line": "trend.legend.line",
    "gap": "trend.legend.gap",
    "contents": "trend.contents",
    "front": "trend.front_page",
    "quarter": "label.quarter",
    "value": "label.value",
    "interval": "trend.interval",
    "claim_or_target": "label.claim_or_target",
    "status": "label.status",
    "marks": "trend.marks",
    "metric": "label.metric",
    "latest_scorecard": "trend.latest_scorecard",
    "trend": "trend.heading",
    "quarters": "trend.quarters",
    "releases": "trend.releases",
    "not_released": "trend.not_released",
    "empty": "trend.empty",
}

# The charts: one small figure per panel, shown at WIDTH_PX CSS pixels, drawn at DPI for sharp screens.
FIGURE_SIZE = (4.4, 2.0)  # inches
DPI = 150
# The axes' place in the figure (left, bottom, width, height), fixed: a layout engine would cost about as
# much as the drawing itself; the left margin holds the widest tick label ("2.76 million").
AXES_BOX = (0.17, 0.2, 0.8, 0.74)
WIDTH_PX = 440
LABELLED = 8  # quarters named under a chart at most: more would overlap
# The line and the reference at least 3:1 against white (WCAG 1.4.11; tests/test_accessibility.py).
LINE, BAND, REFERENCE, GAP = "#1f5f8b", "#1f5f8b", "#c96d00", "#f0f0f0"


@dataclass(frozen=True)
class Quarter:
    """A built quarter: the folder under reports/ holding it, its metrics.json, its figures in the
    page's language (build.figures records, with the marks its build gave them)."""

    folder: str
    metrics: dict[str, Any]
    records: list[dict[str, Any]]

    @property
    def quarter(self) -> str:
        return self.metrics["quarter"]

    @property
    def marks(self) -> list[str]:
        """[p] when the quarter is provisional, [r] when a figure of it is revised since its release."""
        revisions = self.metrics.get("revisions") or {}
        return [PROVISIONAL] * bool(revisions.get("provisional")) + [REVISED] * bool(revisions.get("revised"))


@dataclass(frozen=True)
class Panel:
    """One figure across the quarters: ``records`` has one entry per quarter of the page (None: the
    quarter's scorecard does not have that figure)."""

    programme: str
    key: str
    label: str
    unit: str
    records: list[dict[str, Any] | None]

    @property
    def anchor(self) -> str:
        return f"{self.programme}-{self.key}"


@dataclass(frozen=True)
class Series:
    """What a panel's chart draws, one entry per quarter (x = 0, 1, …): the value (None: a gap), the
    interval, the claim or target, the status of the point, the marker shown in a gap."""

    ticks: list[str]
    value: list[float | None]
    low: list[float | None]
    high: list[float | None]
    reference: list[float | None]
    status: list[str | None]
    gap: list[str | None]


def built_quarters(reports_dir: Path, lang: str) -> list[Quarter]:
    """Every folder of ``reports_dir`` holding a metrics.json, oldest quarter first (a quarter's own
    folder, reports/<quarter>/, before any other folder holding the same quarter)."""
    found = []
    for path in reports_dir.glob("*/metrics.json"):
        metrics = json.loads(path.read_text(encoding="utf-8"))
        folder = path.parent.name
        found.append(Quarter(folder, metrics, quarter_records(metrics, lang)))
    return sorted(found, key=lambda q: (q.quarter, q.folder != q.quarter, q.folder))


def quarter_records(metrics: Mapping[str, Any], lang: str) -> list[dict[str, Any]]:
    """A quarter's figures in ``lang``: the ``figures`` its build wrote when they are in that language;
    else the same read again from its sections by today's scorecard rows (a build of the other language,
    or made before metrics.json held figures), keeping the marks and released values its build gave."""
    published = metrics.get("figures")
    if published is not None and metrics.get("lang") == lang:
        return published
    records = quarter_figures(metrics, lang)
    if not records:
        return list(published or [])
    recorded = by_key(published or [])
    for record in records:
        if (before := recorded.get((record["programme"], record["key"]))) is not None:
            record["marks"], record["released"] = before["marks"], before["released"]
    return records


def trend_quarters(quarters: list[Quarter]) -> list[Quarter]:
    """One build per quarter, oldest first: its own folder's when there is one."""
    chosen: dict[str, Quarter] = {}
    for quarter in quarters:
        chosen.setdefault(quarter.quarter, quarter)
    return list(chosen.values())


def panels(quarters: list[Quarter]) -> list[Panel]:
    """One panel per figure any quarter has, in the scorecard's order: programmes in the registry's
    order (others after, by name), a programme's figures in the order of its newest scorecard."""
    rank = {programme.name: index for index, programme in enumerate(PROGRAMMES)}
    seen: dict[tuple[str, str], dict[str, Any]] = {}  # (programme, key) → its newest record
    for quarter in reversed(quarters):
        for record in quarter.records:
            seen.setdefault((record["programme"], record["key"]), record)
    position = {key: index for index, key in enumerate(seen)}
    ordered = sorted(seen, key=lambda key: (rank.get(key[0], len(rank)), key[0], position[key]))
    keyed = [by_key(quarter.records) for quarter in quarters]
    return [
        Panel(*key, seen[key]["label"], seen[key]["unit"], [records.get(key) for records in keyed])
        for key in ordered
    ]


def series(panel: Panel, quarters: list[Quarter]) -> Series:
    """The numbers a panel's chart draws."""
    drawn = Series([], [], [], [], [], [], [])
    for quarter, record in zip(quarters, panel.records, strict=True):
        record = record or {}
        value = _number(record.get("value"))
        drawn.ticks.append("\n".join([quarter.quarter, " ".join(record.get("marks") or [])]).strip())
        drawn.value.append(value)
        drawn.low.append(_number(record.get("low")))
        drawn.high.append(_number(record.get("high")))
        drawn.reference.append(_number(record.get("reference")))
        drawn.status.append(None if value is None else _status(record))
        drawn.gap.append(None if value is not None else record.get("marker") or NOT_AVAILABLE)
    return drawn


def _status(record: Mapping[str, Any]) -> str:
    return record["status"] if record.get("status") in STATUSES else "na"


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


# --- numbers in words ------------------------------------------------------------------------------------


def formatted(unit: str, value: float | None, lang: str) -> str:
    """A number of a figure of ``unit`` as the tables write it ("—" for none)."""
    if value is None:
        return "—"
    if unit == Unit.RATIO.value:
        return i18n.ratio(value)
    if unit == Unit.SHARE.value:
        return i18n.percent(value)
    if unit == Unit.POINTS.value:
        return i18n.points(value, lang)
    if unit == Unit.YUAN.value:
        return i18n.yuan(value, lang)
    if unit == Unit.DAYS.value:
        return i18n.as_written(value) if float(value).is_integer() else i18n.number(value, 1)
    if unit == Unit.SQUARE_METRES.value:
        return i18n.area(value, 0 if float(value).is_integer() else 1)
    if unit == Unit.YEAR.value:
        return f"{value:.0f}"
    return i18n.as_written(value) if float(value).is_integer() else i18n.number(value, 2)


def tick(unit: str, value: float, step: float, lang: str) -> str:
    """An axis label of ``unit``, with the digits that tell ticks ``step`` apart."""
    scale = 100 if unit in (Unit.SHARE.value, Unit.POINTS.value) else 1
    digits = 0
    while digits < 4 and abs(round(step * scale, digits) - step * scale) > 1e-9 * max(1.0, step * scale):
        digits += 1
    shown = f"{value * scale:,.{digits}f}"
    if unit == Unit.RATIO.value:
        return f"×{shown}"
    if unit == Unit.SHARE.value:
        return f"{shown}%"
    if unit == Unit.POINTS.value:
        signed = f"{value * scale:+,.{digits}f}" if round(value * scale, digits) else f"{0:.{digits}f}"
        return signed + i18n.STYLES[lang].points_name
    if unit == Unit.YUAN.value:
        return i18n.in_words(round(value, 6), lang)
    if unit == Unit.SQUARE_METRES.value:
        return f"{shown} m²"
    if unit == Unit.YEAR.value:
        return f"{value:.0f}"
    return shown


# --- the charts ------------------------------------------------------------------------------------------


def panel_png(drawn: Series, unit: str, lang: str) -> bytes:
    """A panel's chart as PNG bytes that depend only on the numbers, the drawing code, matplotlib and the
    font: kept between builds (core/cache.py), since most panels are the same from one build to the next."""
    import matplotlib

    from jimo_eval.core.fonts import FONT_PATH

    numbers = repr((drawn, unit, lang)).encode()
    key = (numbers, Path(__file__).read_bytes(), matplotlib.__version__.encode(), FONT_PATH.read_bytes())
    return cached("trend-charts", key, lambda: _panel_png(drawn, unit, lang), ".png")


def _panel_png(drawn: Series, unit: str, lang: str) -> bytes:
    """A panel's chart as PNG bytes that depend only on the numbers (no software or date metadata)."""
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import Formatter, MaxNLocator

    from jimo_eval.core.fonts import use_cjk_font_in_matplotlib

    class UnitFormatter(Formatter):
        step = 0.0

        def set_locs(self, locs):  # the ticks about to be labelled
            self.step = abs(locs[1] - locs[0]) if len(locs) > 1 else 0.0

        def __call__(self, value, pos=None):
            return tick(unit, value, self.step or abs(value), lang)

    use_cjk_font_in_matplotlib()
    figure = Figure(figsize=FIGURE_SIZE, dpi=DPI)
    axes = figure.add_axes(AXES_BOX)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    x = np.arange(len(drawn.ticks), dtype=float)

    def array(values):
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    value, low, high, reference = map(array, (drawn.value, drawn.low, drawn.high, drawn.reference))
    for position, marker in enumerate(drawn.gap):
        if marker is not None:
            axes.axvspan(position - 0.5, position + 0.5, color=GAP, lw=0, zorder=0)
            axes.annotate(marker, (position, 0.04), xycoords=("data", "axes fraction"), ha="center",
                          va="bottom", fontsize=7, color="#444444", parse_math=False)  # fmt: skip
    interval = ~np.isnan(low) & ~np.isnan(high) & ~np.isnan(value)
    if interval.any():
        axes.fill_between(x, np.where(interval, low, np.nan), np.where(interval, high, np.nan),
                          color=BAND, alpha=0.18, lw=0, zorder=1)  # fmt: skip
        axes.vlines(x[interval], low[interval], high[interval], color=BAND, lw=1, alpha=0.55, zorder=1)
    claimed = ~np.isnan(reference)
    if claimed.any():
        axes.hlines(reference[claimed], x[claimed] - 0.5, x[claimed] + 0.5, colors=REFERENCE,
                    linestyles=(0, (4, 2)), lw=1.3, zorder=2)  # fmt: skip
    axes.plot(x, value, color=LINE, lw=1.4, zorder=3)
    for status in STATUSES:
        chosen = np.array([s == status for s in drawn.status], dtype=bool)
        if chosen.any():
            colour, hollow = STATUS_COLOURS[status], status == "na"
            axes.scatter(x[chosen], value[chosen], marker=SHAPES[status][1], s=34, zorder=4, linewidths=1.2,
                         facecolors="white" if hollow else colour, edgecolors=colour)  # fmt: skip
    axes.set_xlim(-0.5, len(x) - 0.5)
    # Quarters and marks are text from metrics.json: drawn as they are, never parsed as mathtext ("$…$").
    axes.set_xticks(x, quarter_labels(drawn.ticks), fontsize=7, parse_math=False)
    axes.tick_params(axis="y", labelsize=7)
    if np.isnan(np.concatenate([value, low, high, reference])).all():
        axes.set_yticks([])
    else:
        whole = unit in (Unit.COUNT.value, Unit.YUAN.value, Unit.YEAR.value)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], integer=whole))
        axes.yaxis.set_major_formatter(UnitFormatter())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def quarter_labels(ticks: list[str]) -> list[str]:
    """The labels under a chart: every quarter up to LABELLED of them; beyond, every k-th counted back
    from the newest, so that they never overlap (the others keep their tick, unnamed)."""
    every = math.ceil(len(ticks) / LABELLED)
    return [label if (len(ticks) - 1 - i) % every == 0 else "" for i, label in enumerate(ticks)]


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# --- the pages -------------------------------------------------------------------------------------------


def status_words(status: str, lang: str) -> str:
    return text(STATUS_TEXT.get(status, STATUS_TEXT["na"]), lang)


def cell(record: Mapping[str, Any] | None, lang: str) -> dict[str, Any]:
    """A figure of one quarter as the pages write it: the value as the scorecard showed it (its marker
    first when it has no value; [x] when the quarter's scorecard does not have the figure), the status by
    shape and words (the verdict; the status's words when the row only informs), the marks, and the
    released value of a revised figure."""
    record = record or {"value": None, "marker": NOT_AVAILABLE, "shown": "", "status": "na", "marks": []}
    shown = record.get("shown") or ""
    if _number(record.get("value")) is None:
        marker = record.get("marker") or NOT_AVAILABLE
        shown = marker if shown in ("", "—", marker) else f"{marker} {shown}"
    status = _status(record)
    marks = list(record.get("marks") or [])
    released = record.get("released") or {}
    return {
        "shown": shown,
        "status": status,
        "symbol": SHAPES[status][0],
        "words": record.get("verdict") or status_words(status, lang),
        "marks": marks,
        "released": text("trend.released", lang, shown=released.get("shown") or "—")
        if REVISED in marks and released
        else "",
    }


def table_rows(panel: Panel, quarters: list[Quarter], lang: str) -> list[dict[str, Any]]:
    """The table under a panel, a row per quarter: the cell, the interval, the claim or target."""
    rows = []
    for quarter, record in zip(quarters, panel.records, strict=True):
        low, high = _number((record or {}).get("low")), _number((record or {}).get("high"))
        rows.append(
            {
                "quarter": quarter.quarter,
                **cell(record, lang),
                "interval": "—"
                if low is None or high is None
                else f"{formatted(panel.unit, low, lang)} – {formatted(panel.unit, high, lang)}",
                "reference": formatted(panel.unit, _number((record or {}).get("reference")), lang),
            }
        )
    return rows


def legend(lang: str, codes: set[str]) -> dict[str, Any]:
    """The legend's statuses (shape, colour class, words) and the meaning of each GSS symbol used."""
    return {
        "statuses": [
            {"status": status, "symbol": SHAPES[status][0], "words": text(LEGEND_TEXT[status], lang)}
            for status in STATUSES
        ],
        "marks": [
            {"code": code, "words": text(MARKERS_TEXT[code], lang)} for code in MARKERS if code in codes
        ],
    }


def write_trend(reports_dir: Path, lang: str) -> Path:
    """reports/trend.html from every quarter's metrics.json under ``reports_dir``, in ``lang``."""
    quarters = trend_quarters(built_quarters(reports_dir, lang))
    found = panels(quarters)
    codes: set[str] = set()
    sections: dict[str, dict[str, Any]] = {}
    for panel in found:
        drawn = series(panel, quarters)
        rows = table_rows(panel, quarters, lang)
        codes |= {marker for marker in drawn.gap if marker} | {m for row in rows for m in row["marks"]}
        section = sections.setdefault(
            panel.programme,
            {"anchor": panel.programme, "title": report_title(panel.programme, lang), "panels": []},
        )
        section["panels"].append(
            {
                "anchor": panel.anchor,
                "label": panel.label,
                "png": data_uri(panel_png(drawn, panel.unit, lang)),
                "rows": rows,
            }
        )
    title = text("trend.title", lang)
    span = (
        text("trend.span", lang, first=quarters[0].quarter, last=quarters[-1].quarter, count=len(quarters))
        if quarters
        else text("trend.empty", lang)
    )
    body = _render(
        "trend.html.j2",
        title=title,
        span=span,
        banner=_synthetic_banner(quarters[-1].metrics, lang) if quarters else "",
        words=texts(WORDS, lang),
        colon=i18n.STYLES[lang].colon,
        legend=legend(lang, codes),
        sections=list(sections.values()),
        width=WIDTH_PX,
        height=round(WIDTH_PX * FIGURE_SIZE[1] / FIGURE_SIZE[0]),
    )
    path = reports_dir / TREND_FILE
    path.write_text(_page(title, lang, body, TREND_CSS), encoding="utf-8")
    return path


def write_front_page(reports_dir: Path, lang: str) -> Path:
    """reports/index.html, the front page: the link to the trend of every figure (trend.html), the newest
    quarter's scorecard in short (each figure's value with its marks, and its status), and every folder
    holding a metrics.json, newest quarter first, with its throughput headline, its marks ([p]
    provisional, [r] revised) and its releases (build.releases), each linked."""
    quarters = built_quarters(reports_dir, lang)
    throughput = PROGRAMMES.get("throughput")
    rows = [
        {
            "folder": quarter.folder,
            "quarter": quarter.quarter,
            "marks": quarter.marks,
            "headline": (programme_rows(throughput, quarter.metrics, lang)[:1] or [NO_HEADLINE])[0],
            "releases": quarter_releases(reports_dir, quarter),
        }
        for quarter in reversed(quarters)
    ]
    built = trend_quarters(quarters)
    latest = built[-1] if built else None
    summary = (
        [{"label": record["label"], **cell(record, lang)} for record in latest.records] if latest else []
    )
    marked = [mark for row in rows + summary for mark in row["marks"]] + [row["shown"] for row in summary]
    codes = {code for code in MARKERS if any(code in item for item in marked)}
    title = text("title.all_quarters", lang)
    body = _render(
        "quarters.html.j2",
        title=title,
        banner=_synthetic_banner(latest.metrics, lang) if latest else "",
        words=texts(WORDS, lang),
        colon=i18n.STYLES[lang].colon,
        latest=latest and {"folder": latest.folder, "quarter": latest.quarter, "marks": latest.marks},
        summary=summary,
        trend_link=text("trend.link", lang, first=built[0].quarter, last=built[-1].quarter) if built else "",
        trend_file=TREND_FILE,
        header=[text(key, lang) for key in ("label.quarter", "label.throughput_metric", "label.status")],
        rows=rows,
        symbols=markers_legend(codes, lang),
    )
    index = reports_dir / "index.html"
    index.write_text(_page(title, lang, body, TREND_CSS), encoding="utf-8")
    return index


def quarter_releases(reports_dir: Path, quarter: Quarter) -> list[dict[str, str]]:
    """The releases of a quarter, newest first, each with a link relative to ``reports_dir`` to its
    index.html: from the releases folder the quarter's params.yaml names, else releases/."""
    return [
        {
            "id": release.release_id,
            "date": release.published_on,
            "href": quote(Path(os.path.relpath(release.folder / "index.html", reports_dir)).as_posix()),
        }
        for release in reversed(_releases(reports_dir / quarter.folder, quarter.quarter))
    ]


def _releases(folder: Path, quarter: str) -> list[Release]:
    params_file = folder / "params.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8")) if params_file.is_file() else None
    revisions = params.get("revisions") if isinstance(params, dict) else None
    named = isinstance(revisions, dict) and revisions.get("releases")
    return releases_of(quarter, releases_folder(params) if named else RELEASES_DIR)


TREND_CSS = f"""
nav.trend-contents a {{ margin-right: .8rem; }}
ul.trend-legend {{ list-style: none; padding: 0; columns: 2 18rem; font-size: .9rem; }}
.swatch {{ display: inline-block; width: 1.6rem; height: .7rem; vertical-align: middle;
  margin-right: .3rem; }}
.swatch.band {{ background: {BAND}; opacity: .3; }}
.swatch.line {{ height: 0; border-top: 2px solid {LINE}; }}
.swatch.reference {{ height: 0; border-top: 2px dashed {REFERENCE}; }}
.shape.ok {{ color: {STATUS_COLOURS["ok"]}; }}
.shape.bad {{ color: {STATUS_COLOURS["bad"]}; }}
.shape.na {{ color: {STATUS_COLOURS["na"]}; }}
div.trend-grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax({WIDTH_PX}px, 1fr));
  gap: 1rem 1.5rem; }}
figure.trend-panel {{ margin: 0 0 1rem; }}
figure.trend-panel figcaption {{ font-weight: 600; margin-bottom: .3rem; }}
table.trend {{ border-collapse: collapse; width: 100%; font-size: .8rem; line-height: 1.4; }}
table.trend th, table.trend td {{ border-bottom: 1px solid #ddd; padding: .2rem .35rem; text-align: left; }}
"""
