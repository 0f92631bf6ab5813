"""The trend page (reports/trend.html, build.trend) and the front page (reports/index.html): from small
metrics.json files written by hand, every figure of every quarter in the table view, gaps with their
marker, [p]/[r], what the charts draw, identical bytes, both languages, nothing external; one build test
that `make all`'s path writes both pages."""

from __future__ import annotations

import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jimo_eval.build import trend
from jimo_eval.build.html_export import external_resources

QUARTERS = ("2023Q1", "2023Q2", "2023Q3")


def record(programme: str, key: str, value, *, unit: str = "count", **fields) -> dict:
    """A figure as build.figures writes it into metrics.json."""
    shown = fields.pop("shown", None)
    return {
        "programme": programme,
        "key": key,
        "label": fields.pop("label", f"{programme} {key}"),
        "shown": shown if shown is not None else ("—" if value is None else str(value)),
        "value": value,
        "low": fields.pop("low", None),
        "high": fields.pop("high", None),
        "reference": fields.pop("reference", None),
        "unit": unit,
        "status": fields.pop("status", "na"),
        "verdict": fields.pop("verdict", ""),
        "marker": fields.pop("marker", None),
        "marks": fields.pop("marks", []),
        "released": fields.pop("released", None),
        **fields,
    }


def write_quarter(reports: Path, quarter: str, figures: list[dict], **metrics) -> Path:
    folder = reports / quarter
    folder.mkdir(parents=True)
    content = {"quarter": quarter, "lang": "en", "figures": figures, **metrics}
    (folder / "metrics.json").write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return folder


def ratio(quarter_value: float, **fields) -> dict:
    return record(
        "throughput", "gain", quarter_value, unit="ratio", label="Throughput gain",
        shown=f"×{quarter_value:.2f} (95% CI {quarter_value - 0.1:.2f}–{quarter_value + 0.1:.2f})",
        low=quarter_value - 0.1, high=quarter_value + 0.1, reference=1.35, status="ok",
        verdict="consistent with the data", **fields,
    )  # fmt: skip


@pytest.fixture
def reports(tmp_path) -> Path:
    """Three quarters: a ratio with its interval every quarter; a share with a target, absent from
    2023Q2's scorecard and suppressed [c] in 2023Q3; a figure of a programme no registry knows; 2023Q3
    provisional, its ratio revised since its release."""
    folder = tmp_path / "reports"
    park = "greenspace"
    write_quarter(folder, "2023Q1", [
        ratio(1.2),
        record(park, "coverage", 0.71, unit="share", shown="71.0%", reference=0.8, status="bad",
               verdict="not yet met", label="Park within 500 m"),
        record("zz_plugin", "visits", 40, label="Plugin visits"),
    ])  # fmt: skip
    write_quarter(folder, "2023Q2", [ratio(1.3), record("zz_plugin", "visits", 45, label="Plugin visits")])
    write_quarter(folder, "2023Q3", [
        ratio(1.4, marks=["[p]", "[r]"], released={"value": 1.38, "shown": "×1.38 (released)"}),
        record(park, "coverage", None, unit="share", marker="[c]", reference=0.8, marks=["[p]"],
               label="Park within 500 m"),
        record("zz_plugin", "visits", 50, label="Plugin visits", marks=["[p]"]),
    ], revisions={"provisional": True, "revised": 1})  # fmt: skip
    (folder / "scratch").mkdir()  # no metrics.json: not a quarter
    return folder


class Tables(HTMLParser):
    """The rows (cell texts) of the table of each panel, by the panel's id; every img src."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.panels: dict[str, list[list[str]]] = {}
        self.images: list[str] = []
        self._panel = self._row = self._cell = None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self._panel = self.panels.setdefault(attrs["id"], [])
        elif tag == "img":
            self.images.append(attrs["src"])
        elif tag == "tr" and self._panel is not None:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row:
            self._panel.append(self._row)
            self._row = None
        elif tag == "figure":
            self._panel = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_every_figure_of_every_quarter_is_in_the_table_view_with_its_shown_value(reports):
    page = trend.write_trend(reports, "en").read_text(encoding="utf-8")
    tables = Tables(page)
    assert list(tables.panels) == ["throughput-gain", "greenspace-coverage", "zz_plugin-visits"]
    assert len(tables.images) == 3 and all(src.startswith("data:image/png;base64,") for src in tables.images)
    # quarter, value as shown, interval, claim or target, status, marks
    assert tables.panels["throughput-gain"] == [
        ["2023Q1", "×1.20 (95% CI 1.10–1.30)", "×1.10 – ×1.30", "×1.35", "● consistent with the data", ""],
        ["2023Q2", "×1.30 (95% CI 1.20–1.40)", "×1.20 – ×1.40", "×1.35", "● consistent with the data", ""],
        ["2023Q3", "×1.40 (95% CI 1.30–1.50)", "×1.30 – ×1.50", "×1.35", "● consistent with the data",
         "[p] [r] (released as ×1.38 (released))"],
    ]  # fmt: skip
    # Absent from 2023Q2's scorecard: not available [x]; suppressed in 2023Q3: its own marker [c].
    assert tables.panels["greenspace-coverage"] == [
        ["2023Q1", "71.0%", "—", "80.0%", "▲ not yet met", ""],
        ["2023Q2", "[x]", "—", "—", "◇ no verdict", ""],
        ["2023Q3", "[c]", "—", "80.0%", "◇ no verdict", "[p]"],
    ]
    assert [row[1] for row in tables.panels["zz_plugin-visits"]] == ["40", "45", "50"]
    # The legend says what the markers on the page mean, [p] and [r] included; the programme's section
    # has its title (its name, for a programme no registry knows).
    for words in ("[c] confidential", "[x] not available", "[p] provisional", "[r] revised"):
        assert words in page
    assert '<h2 id="zz_plugin">zz_plugin</h2>' in page
    assert "2023Q1 to 2023Q3, 3 quarter(s)" in page


def test_the_charts_draw_the_value_band_reference_status_and_gaps(reports):
    quarters = trend.trend_quarters(trend.built_quarters(reports, "en"))
    assert [quarter.quarter for quarter in quarters] == list(QUARTERS)
    gain, coverage, _ = trend.panels(quarters)
    drawn = trend.series(gain, quarters)
    assert drawn.ticks == ["2023Q1", "2023Q2", "2023Q3\n[p] [r]"]
    assert drawn.value == [1.2, 1.3, 1.4]
    assert drawn.low == pytest.approx([1.1, 1.2, 1.3]) and drawn.high == pytest.approx([1.3, 1.4, 1.5])
    assert drawn.reference == [1.35, 1.35, 1.35]
    assert drawn.status == ["ok", "ok", "ok"] and drawn.gap == [None, None, None]
    drawn = trend.series(coverage, quarters)
    assert drawn.value == [0.71, None, None]
    assert drawn.reference == [0.8, None, 0.8]
    assert drawn.status == ["bad", None, None]  # no point where there is no value
    assert drawn.gap == [None, "[x]", "[c]"]
    assert drawn.ticks[2] == "2023Q3\n[p]"
    png = trend.panel_png(drawn, coverage.unit, "en")
    assert png.startswith(b"\x89PNG") and b"Software" not in png and b"matplotlib" not in png.lower()
    assert trend.panel_png(drawn, coverage.unit, "en") == png


def test_quarters_are_named_under_a_chart_without_overlapping():
    quarters = [f"{year}Q{q}" for year in (2022, 2023, 2024) for q in (1, 2, 3, 4)]
    assert trend.quarter_labels(quarters[:8]) == quarters[:8]
    labels = trend.quarter_labels(quarters[:12])  # every second, the newest named
    assert labels[-1] == "2024Q4" and labels[-2] == "" and len([label for label in labels if label]) == 6
    assert trend.quarter_labels(quarters[:9])[::2] == quarters[:9][::2]


def test_numbers_are_written_by_their_unit():
    assert trend.formatted("ratio", 1.4, "en") == "×1.40"
    assert trend.formatted("share", 0.7125, "en") == "71.2%"
    assert trend.formatted("points", -0.274, "zh") == "-27.4 个百分点"
    assert trend.formatted("yuan", 252000, "en") == "252,000 yuan"
    assert trend.formatted("days", 16.01, "en") == "16.0" and trend.formatted("days", 0, "en") == "0"
    assert trend.formatted("m2", 14.6, "en") == "14.6 m²"
    assert trend.formatted("count", 12, "en") == "12" and trend.formatted("count", None, "en") == "—"
    # Axis labels carry just the digits that tell the ticks apart.
    assert [trend.tick("ratio", v, 0.05, "en") for v in (1.3, 1.35)] == ["×1.30", "×1.35"]
    assert (
        trend.tick("share", 0.25, 0.25, "en") == "25%" and trend.tick("share", 0.925, 0.025, "en") == "92.5%"
    )
    assert [trend.tick("points", v, 0.5, "en") for v in (-0.5, 0.0, 0.5)] == ["-50 pp", "0 pp", "+50 pp"]
    assert trend.tick("yuan", 2_750_000, 50_000, "zh") == "275 万"


def test_the_same_metrics_give_the_same_bytes(reports, tmp_path):
    first = trend.write_trend(reports, "en").read_bytes()
    index = trend.write_front_page(reports, "en").read_bytes()
    copy = shutil.copytree(reports, tmp_path / "elsewhere" / "reports")
    (copy / "trend.html").unlink()
    assert trend.write_trend(copy, "en").read_bytes() == first
    assert trend.write_trend(reports, "en").read_bytes() == first
    assert trend.write_front_page(reports, "en").read_bytes() == index


@pytest.mark.parametrize(
    ("lang", "title", "html_lang"),
    [("zh", "各项指标的季度走势", "zh-CN"), ("en", "Every figure, quarter by quarter", "en")],
)
def test_both_pages_in_either_language_and_self_contained(reports, lang, title, html_lang):
    page = trend.write_trend(reports, lang).read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page
    assert f'<html lang="{html_lang}">' in page
    index = trend.write_front_page(reports, lang).read_text(encoding="utf-8")
    assert f'<html lang="{html_lang}">' in index
    assert {"zh": "最新一季记分卡：", "en": "Latest scorecard: "}[lang] in index  # the language's colon
    assert external_resources(page) == [] and external_resources(index) == []
    assert "@font-face" in page and "@font-face" in index


def test_front_page_lists_quarters_newest_first_links_the_trend_and_the_releases(reports, tmp_path):
    releases = tmp_path / "releases"
    for release_id in ("2026-01-05-1", "2026-02-01-1"):
        (releases / "2023Q2" / release_id).mkdir(parents=True)
        (releases / "2023Q2" / release_id / "index.html").write_text("")
        manifest = {"published_on": release_id[:10]}
        (releases / "2023Q2" / f"{release_id}.json").write_text(json.dumps(manifest), encoding="utf-8")
    (releases / "2023Q2" / "2026-03-01-1").mkdir()  # no manifest: a publication under way, not listed
    params = {"quarter": "2023Q2", "revisions": {"releases": str(releases)}}
    (reports / "2023Q2" / "params.yaml").write_text(json.dumps(params), encoding="utf-8")
    page = trend.write_front_page(reports, "en").read_text(encoding="utf-8")
    links = [page.index(f'<a href="{quarter}/index.html">{quarter}</a>') for quarter in reversed(QUARTERS)]
    assert links == sorted(links)
    assert page.index('href="2023Q3/index.html">2023Q3</a> [p] [r]') < page.index('href="2023Q1/index.html"')
    assert "scratch" not in page
    # The trend, linked from the front page, over the quarters it covers.
    assert '<a href="trend.html">Every figure from 2023Q1 to 2023Q3, charts and tables</a>' in page
    # The releases of 2023Q2, newest first, each linked to its folder's index.html; the others have none.
    newest = Path(os.path.relpath(releases / "2023Q2" / "2026-02-01-1" / "index.html", reports)).as_posix()
    assert f'<a href="{newest}">2026-02-01-1</a> (2026-02-01)<br><a href=' in page
    assert "2026-01-05-1</a> (2026-01-05)" in page and "2026-03-01-1" not in page
    assert page.count("not released") == 2
    # The newest scorecard in short: each figure's value with its marks, and its status.
    latest = page[page.index("Latest scorecard") : page.index("Quarters</h2>")]
    assert 'Latest scorecard: <a href="2023Q3/index.html">2023Q3</a> [p] [r]</h2>' in latest
    assert "<td>Throughput gain</td><td>×1.40 (95% CI 1.30–1.50) [p] [r]</td>" in latest
    assert "<td>Park within 500 m</td><td>[c] [p]</td>" in latest
    assert '<td class="status ok"><span class="shape ok">●</span> consistent with the data</td>' in latest
    assert "[c] confidential" in page and "[p] provisional" in page


def test_a_quarter_built_in_the_other_language_is_read_again_in_the_pages_language(tmp_path):
    """Figures of a build in Chinese show in English from their sections (today's scorecard rows), the
    marks its build gave kept; a quarter built before metrics.json held figures is read likewise."""
    section = {
        "ratio": 1.3, "ci_low": 1.2, "ci_high": 1.4, "claimed_ratio": 1.35, "claim_verdict": "consistent",
        "platform_share": 0.95, "platform_share_ci": [0.93, 0.97],
    }  # fmt: skip
    zh = record("throughput", "quarter_on_year_earlier", 1.3, unit="ratio", label="办案效率", marks=["[p]"])
    write_quarter(tmp_path, "2023Q1", [zh], lang="zh", throughput=section)
    write_quarter(tmp_path, "2023Q2", [], throughput=section)
    del_figures = json.loads((tmp_path / "2023Q2" / "metrics.json").read_text(encoding="utf-8"))
    del del_figures["figures"]
    (tmp_path / "2023Q2" / "metrics.json").write_text(json.dumps(del_figures), encoding="utf-8")
    first, second = trend.built_quarters(tmp_path, "en")
    assert first.records[0]["label"] == "Case-handling throughput (rate ratio)"
    assert first.records[0]["marks"] == ["[p]"] and second.records[0]["marks"] == []
    assert [r["key"] for r in second.records] == [r["key"] for r in first.records]


def test_no_quarter_built_yet(tmp_path):
    page = trend.write_trend(tmp_path, "en").read_text(encoding="utf-8")
    assert "No quarter has been built yet." in page and "<figure" not in page
    index = trend.write_front_page(tmp_path, "en").read_text(encoding="utf-8")
    assert "No quarter has been built yet." in index


def test_make_all_writes_the_trend_and_the_front_page(reference_build, tmp_path, monkeypatch):
    """build_all, as `make all` runs it, into a reports folder holding a second quarter already built
    (the reference build's metrics.json, as 2023Q1): both pages cover both quarters."""
    from jimo_eval.build import pipeline

    reports = tmp_path / "reports"
    shutil.copytree(reference_build["out"], reports / "2023Q2")
    earlier = json.loads((reports / "2023Q2" / "metrics.json").read_text(encoding="utf-8"))
    earlier["quarter"] = "2023Q1"
    (reports / "2023Q1").mkdir()
    (reports / "2023Q1" / "metrics.json").write_text(
        json.dumps(earlier, ensure_ascii=False), encoding="utf-8"
    )
    monkeypatch.setattr(pipeline, "REPORTS_DIR", reports)
    params = reference_build["params"]
    results = pipeline.build_all([params])
    assert results[0].built == []  # every notebook reused: only the pages are new
    page = (reports / "trend.html").read_text(encoding="utf-8")
    tables = Tables(page)
    figures = earlier["figures"]
    assert list(tables.panels) == [f"{f['programme']}-{f['key']}" for f in figures]
    for figure in figures:
        rows = tables.panels[f"{figure['programme']}-{figure['key']}"]
        assert [row[0] for row in rows] == ["2023Q1", "2023Q2"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert '<a href="trend.html">' in index and index.index("2023Q2/index.html") < index.index(
        "2023Q1/index.html"
    )
    assert f'<html lang="{"zh-CN" if params["lang"] == "zh" else "en"}">' in page


def test_a_panel_drawn_before_is_read_back_from_the_cache(tmp_path, monkeypatch):
    """Most panels are the same from one build to the next: their PNG is kept (core/cache.py), keyed by
    the numbers, the drawing code, matplotlib and the font."""
    from jimo_eval.core import cache

    monkeypatch.setattr(cache, "CACHE_DIR", tmp_path / "cache")
    drawn = trend.Series(
        ["2023Q1", "2023Q2"], [1.2, 1.4], [1.1, 1.3], [1.3, 1.5], [1.35, 1.35], ["ok", "bad"], [None, None]
    )
    first = trend.panel_png(drawn, "ratio", "en")
    assert first.startswith(b"\x89PNG") and first == trend._panel_png(drawn, "ratio", "en")
    (stored,) = (tmp_path / "cache" / "trend-charts").iterdir()
    stored.write_bytes(b"marker")
    assert trend.panel_png(drawn, "ratio", "en") == b"marker"  # read back, not drawn again
    other = trend.Series(
        ["2023Q1", "2023Q2"], [1.2, 1.5], [1.1, 1.3], [1.3, 1.5], [1.35, 1.35], ["ok", "bad"], [None, None]
    )
    assert trend.panel_png(other, "ratio", "en").startswith(b"\x89PNG")  # other numbers, another entry
