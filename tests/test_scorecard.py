import json
import subprocess
import sys

import pytest

from jimo_eval.build import scorecard, trend
from jimo_eval.build.html_export import external_resources
from jimo_eval.core.status import CLAIMS, INCONCLUSIVE, Figure, ScorecardRow, Status, Unit, Verdicts
from jimo_eval.core.workdays import LABOUR_INSPECTION_DAYS
from jimo_eval.programmes import PROGRAMMES, Programme
from jimo_eval.programmes.greenspace import scorecard as greenspace_scorecard
from jimo_eval.programmes.resolution import schema as resolution_schema
from jimo_eval.programmes.resolution import scorecard as resolution_scorecard
from jimo_eval.programmes.throughput import scorecard as throughput_scorecard


def metrics(quarter: str, verdict: str, ratio: float) -> dict:
    return {
        "quarter": quarter,
        "throughput": {
            "ratio": ratio, "ci_low": ratio - 0.1, "ci_high": ratio + 0.1, "claimed_ratio": 1.35,
            "claim_verdict": verdict, "platform_share": 0.95, "platform_share_ci": [0.93, 0.97],
        },
    }  # fmt: skip


def test_front_page_lists_every_built_quarter_newest_first(tmp_path):
    """reports/index.html: the newest scorecard in short, the trend's link, every quarter with its
    throughput headline (tests/test_trend.py: marks, releases and the trend page itself)."""
    for quarter, verdict, ratio in [("2023Q1", "consistent", 1.3), ("2023Q2", "overstated", 1.05)]:
        (tmp_path / quarter).mkdir()
        (tmp_path / quarter / "metrics.json").write_text(json.dumps(metrics(quarter, verdict, ratio)))
    (tmp_path / "scratch").mkdir()  # a folder without metrics.json is not a quarter
    (tmp_path / "2022Q4").mkdir()  # built without the throughput report: no headline
    (tmp_path / "2022Q4" / "metrics.json").write_text(json.dumps({"quarter": "2022Q4"}))
    page = trend.write_front_page(tmp_path, "en").read_text(encoding="utf-8")
    quarters = page[page.index("Quarters</h2>") :]
    assert quarters.index('href="2023Q2/index.html"') < quarters.index('href="2023Q1/index.html"')
    assert quarters.index('href="2023Q1/index.html"') < quarters.index('href="2022Q4/index.html"')
    assert '2022Q4</a></td><td>—</td><td class="status na"></td>' in quarters
    assert "scratch" not in page
    assert '<td class="status bad">overstated</td>' in quarters
    assert '<td class="status ok">consistent with the data</td>' in quarters
    assert "×1.05 (95% CI 0.95–1.15)" in quarters
    # The newest quarter's scorecard in short, from its figures, and the link to the trend.
    assert 'Latest scorecard: <a href="2023Q2/index.html">2023Q2</a></h2>' in page
    assert (
        '<td>×1.05 (95% CI 0.95–1.15)</td><td class="status bad"><span class="shape bad">▲</span> overstated'
        in page
    )
    assert '<a href="trend.html">Every figure from 2022Q4 to 2023Q2, charts and tables</a>' in page
    assert external_resources(page) == []


def test_throughput_rows_format_and_status():
    section = metrics("2023Q2", "overstated", 1.05)["throughput"]
    rows = throughput_scorecard.rows(section, "zh")
    assert rows[0] == ScorecardRow(
        "办案效率（每人月结案数之比）",
        "×1.05 (95% 置信区间 0.95–1.15)",
        "×1.35",
        "高于数据支持的水平（夸大）",
        Status.BAD,
        Figure("quarter_on_year_earlier", 1.05, Unit.RATIO, section["ci_low"], section["ci_high"], 1.35),
    )
    assert rows[1].value == "95.0% (95% 置信区间 93.0%–97.0%)"
    assert scorecard.programme_rows(PROGRAMMES.get("throughput"), {"quarter": "2023Q2"}, "zh") == []


def test_bold_from_i18n_sentences_and_everything_else_escaped():
    assert scorecard.markdown_to_html("a **b** <c>") == "a <strong>b</strong> &lt;c&gt;"


def resolution(p, period, baseline) -> dict:
    return {
        "resolution": {
            "logrank_p": p, "median_days_period": period, "median_days_baseline": baseline,
            "median_ci_period": [None if period is None else period - 1, None],
            "share_within_sla_period": 0.98, "share_within_sla_baseline": 0.9,
            "sla_working_days": LABOUR_INSPECTION_DAYS,
        }
    }  # fmt: skip


def test_resolution_change_needs_a_significant_log_rank_test():
    assert resolution_schema.change(resolution(0.001, 17.6, 29.1)["resolution"]) == "faster"
    assert resolution_schema.change(resolution(0.001, 35.0, 29.1)["resolution"]) == "slower"
    assert resolution_schema.change(resolution(0.2, 17.6, 29.1)["resolution"]) == "no_clear_change"
    assert resolution_schema.change(resolution(0.001, None, 29.1)["resolution"]) == "no_clear_change"


def test_resolution_rows_show_median_ci_and_baseline():
    rows = resolution_scorecard.rows(resolution(0.001, 17.6, 29.1)["resolution"], "en")
    assert rows[0] == ScorecardRow(
        "Median time to close (days)", "17.6 (95% CI 16.6–not reached)", "Baseline 29.1", "faster", Status.OK,
        Figure("median_days", 17.6, Unit.DAYS, 16.6, None, 29.1),
    )  # fmt: skip
    assert rows[1].figure == Figure("share_within_limit", 0.98, Unit.SHARE, reference=0.9)
    assert (rows[1].value, rows[1].target) == ("98.0%", "Baseline 90.0%")
    assert rows[1].metric == f"Share closed within {LABOUR_INSPECTION_DAYS} working days"  # the code's limit
    slower = resolution_scorecard.rows(resolution(0.001, 35.0, 29.1)["resolution"], "en")[0]
    assert (slower.status_text, slower.status) == ("slower", Status.BAD)
    unclear = resolution_scorecard.rows(resolution(0.2, 17.6, 29.1)["resolution"], "en")[0]
    assert (unclear.status_text, unclear.status) == ("no clear change", Status.NA)


def test_greenspace_rows_against_targets():
    section = {
        "pocket_parks_built": 44, "pocket_parks_target": 70, "rate_per_year": 11.333,
        "projected_target_year": 2026,
        "target_year": 2025, "on_track": False, "green_land_ratio": 0.4061, "green_land_ratio_target": 0.41,
        "park_green_per_capita_m2": 14.6, "park_green_per_capita_target_m2": 15.0, "coverage_500m": 0.8399,
        "national_coverage": 0.8, "p_reach_target": 0.325,
    }  # fmt: skip
    rows = greenspace_scorecard.rows(section, "en")
    assert cells(rows[0]) == ("44", "70", "not yet met", Status.BAD)
    assert cells(rows[1]) == (
        "11.3/yr → 2026; P(target met in time) 32%",
        "2025",
        "uncertain whether the target is reached in time",
        Status.NA,
    )
    # Metrics written before p_reach_target existed: the pace, and no verdict.
    older = {key: value for key, value in section.items() if key != "p_reach_target"}
    assert cells(greenspace_scorecard.rows(older, "en")[1]) == (
        "11.3/yr → 2026",
        "2025",
        "",
        Status.NA,
    )
    assert cells(rows[2]) == ("40.6%", "41.0%", "not yet met", Status.BAD)
    assert cells(rows[3]) == ("14.6 m²", "15.0 m²", "not yet met", Status.BAD)
    assert cells(rows[4]) == ("84.0%", "GB 55014-2021 ≥ 80.0%", "met", Status.OK)
    section["coverage_500m"] = None
    assert cells(greenspace_scorecard.rows(section, "en")[4]) == (
        "—",
        "GB 55014-2021 ≥ 80.0%",
        "",
        Status.NA,
    )


def cells(row: ScorecardRow) -> tuple:
    """A row as the page shows it, after its metric's name: value, claim or target, status, its Status."""
    return (row.value, row.target, row.status_text, row.status)


def test_one_status_vocabulary():
    assert [status.value for status in Status] == ["ok", "bad", "na"]  # the CSS classes of the page
    assert CLAIMS.status(INCONCLUSIVE) is Status.NA and CLAIMS.status("overstated") is Status.BAD
    assert CLAIMS.status(None) is Status.NA  # no verdict
    with pytest.raises(KeyError, match="unknown verdict 'maybe'"):
        CLAIMS.status("maybe")
    with pytest.raises(ValueError, match="'late' is declared twice"):
        Verdicts(ok=("late",), bad=("late",))


def test_every_programme_has_scorecard_rows_from_a_light_module():
    for programme in PROGRAMMES:
        rows = programme.scorecard_rows
        assert rows is not None and rows.__module__ == f"{programme.package}.scorecard"


def test_the_scorecard_takes_rows_only_from_the_registry(tmp_path):
    """An example programme registered with its own rows function: its rows appear on the page, after
    the others, with the CSS class of their Status; no view module is looked for."""

    def rows(section, lang):
        return [ScorecardRow("Example <b>", str(section["value"]), "≥ 1", "met", Status.OK)]

    metrics = {
        "quarter": "2023Q2", "period": {"start": "2023-04-01", "end": "2023-06-30"},
        "baseline": {"start": "2022-04-01", "end": "2022-06-30"}, "as_of": "2023-06-30",
        "reports": {}, "skipped": {}, "example": {"value": 2},
    }  # fmt: skip
    PROGRAMMES.register(Programme("example", "title.example", ("cases",), scorecard_rows=rows))
    try:
        scorecard.write_quarter_scorecard(tmp_path / "index.html", metrics, {"lang": "en"})
    finally:
        PROGRAMMES.unregister("example")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<tr><td>Example &lt;b&gt;</td><td>2</td><td>≥ 1</td><td class="status ok">met</td></tr>' in page


def test_the_scorecard_imports_no_view_module_nor_scipy_or_matplotlib():
    """Rows come from light modules: importing the scorecard (and writing it) needs none of the view
    modules, SciPy, statsmodels or matplotlib (it used to import them all, in a thread of its own)."""
    code = (
        "import sys, jimo_eval.build.scorecard\n"
        "heavy = ('matplotlib', 'scipy', 'statsmodels')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.endswith('_view')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
