import json

from jimo_eval import scorecard
from jimo_eval.html_export import external_resources


def metrics(quarter: str, verdict: str, ratio: float) -> dict:
    return {
        "quarter": quarter,
        "throughput": {
            "ratio": ratio, "ci_low": ratio - 0.1, "ci_high": ratio + 0.1, "claimed_ratio": 1.35,
            "claim_verdict": verdict, "platform_share": 0.95, "platform_share_ci": [0.93, 0.97],
        },
    }  # fmt: skip


def test_quarters_index_lists_every_built_quarter_newest_first(tmp_path):
    for quarter, verdict, ratio in [("2023Q1", "consistent", 1.3), ("2023Q2", "overstated", 1.05)]:
        (tmp_path / quarter).mkdir()
        (tmp_path / quarter / "metrics.json").write_text(json.dumps(metrics(quarter, verdict, ratio)))
    (tmp_path / "scratch").mkdir()  # a folder without metrics.json is not a quarter
    page = scorecard.write_quarters_index(tmp_path, "en").read_text(encoding="utf-8")
    assert page.index('href="2023Q2/index.html"') < page.index('href="2023Q1/index.html"')
    assert "scratch" not in page
    assert '<td class="status bad">overstated</td>' in page
    assert '<td class="status ok">consistent with the data</td>' in page
    assert "×1.05 (95% CI 0.95–1.15)" in page
    assert external_resources(page) == []


def test_throughput_rows_format_and_status():
    rows = scorecard.throughput_rows(metrics("2023Q2", "overstated", 1.05), "zh")
    assert rows[0][1:] == ("×1.05 (95% 置信区间 0.95–1.15)", "×1.35", "高于数据支持的水平（夸大）", "bad")
    assert rows[1][1] == "95.0% (95% 置信区间 93.0%–97.0%)"
    assert scorecard.throughput_rows({"quarter": "2023Q2"}, "zh") == []


def test_bold_from_i18n_sentences_and_everything_else_escaped():
    assert scorecard.markdown_to_html("a **b** <c>") == "a <strong>b</strong> &lt;c&gt;"


def resolution(p, period, baseline) -> dict:
    return {
        "resolution": {
            "logrank_p": p, "median_days_period": period, "median_days_baseline": baseline,
            "median_ci_period": [None if period is None else period - 1, None],
            "share_within_sla_period": 0.98, "share_within_sla_baseline": 0.9,
        }
    }  # fmt: skip


def test_resolution_change_needs_a_significant_log_rank_test():
    assert scorecard.resolution_change(resolution(0.001, 17.6, 29.1)["resolution"]) == "faster"
    assert scorecard.resolution_change(resolution(0.001, 35.0, 29.1)["resolution"]) == "slower"
    assert scorecard.resolution_change(resolution(0.2, 17.6, 29.1)["resolution"]) == "no_clear_change"
    assert scorecard.resolution_change(resolution(0.001, None, 29.1)["resolution"]) == "no_clear_change"


def test_resolution_rows_show_median_ci_and_baseline():
    rows = scorecard.resolution_rows(resolution(0.001, 17.6, 29.1), "en")
    assert rows[0] == (
        "Median time to close (days)", "17.6 (95% CI 16.6–not reached)", "Baseline 29.1", "faster", "ok",
    )  # fmt: skip
    assert rows[1][1:3] == ("98.0%", "Baseline 90.0%")


def test_greenspace_rows_against_targets():
    section = {
        "pocket_parks_built": 44, "pocket_parks_target": 70, "rate_per_year": 11.333,
        "projected_target_year": 2026,
        "target_year": 2025, "on_track": False, "green_land_ratio": 0.4061, "green_land_ratio_target": 0.41,
        "park_green_per_capita_m2": 14.6, "park_green_per_capita_target_m2": 15.0, "coverage_500m": 0.8399,
        "national_coverage": 0.8, "p_reach_target": 0.325,
    }  # fmt: skip
    rows = scorecard.greenspace_rows({"greenspace": section}, "en")
    assert rows[0][1:] == ("44", "70", "not yet met", "bad")
    assert rows[1][1:] == (
        "11.3/yr → 2026; P(target met in time) 32%",
        "2025",
        "uncertain whether the target is reached in time",
        "na",
    )
    # Metrics written before p_reach_target existed: the pace, and no verdict.
    older = {key: value for key, value in section.items() if key != "p_reach_target"}
    assert scorecard.greenspace_rows({"greenspace": older}, "en")[1][1:] == (
        "11.3/yr → 2026",
        "2025",
        "",
        "na",
    )
    assert rows[2][1:] == ("40.6%", "41.0%", "not yet met", "bad")
    assert rows[3][1:] == ("14.6 m²", "15.0 m²", "not yet met", "bad")
    assert rows[4][1:] == ("84.0%", "GB 55014-2021 ≥ 80.0%", "met", "ok")
    section["coverage_500m"] = None
    assert scorecard.greenspace_rows({"greenspace": section}, "en")[4][1:] == (
        "—",
        "GB 55014-2021 ≥ 80.0%",
        "",
        "na",
    )
