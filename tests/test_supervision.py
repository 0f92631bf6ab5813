"""Supervision metrics on a feedback log small enough to count by hand, and its input contract.

The fixture (as of 2023-06-30; claims window 2023-01-01…2023-05-31; period 2023-04-01…2023-06-30):

    id  raised            source        channel dept forwarded         resolved          typical people
    A1  2023-03-10 09:00  member        M01     D1   2023-03-11 09:00  2023-04-10 09:00  true    2
    A2  2023-04-01 10:00  project_site  KP001   D2   2023-05-31 23:00  2023-06-05 10:00  false
    A3  2023-04-02 10:00  window        W01     D2   2023-06-01 00:00  (open)            false
    A4  2023-05-31 12:00  hotline               D2                     2023-05-31 23:59  true    1
    A5  2023-06-15 10:00  window        W01     D1                     2023-07-02 10:00  false   (after as_of)
    A6  2023-07-01 10:00  qr_code               D1                                       false   (later)
    A7  2023-02-01 10:00  qr_code               D1                     2023-06-01 00:00  true    3
    A8  2023-04-20 10:00  member                D3                     2023-04-25 10:00  false
"""

import math

import pandas as pd
import pytest
from conftest import write_csv

from jimo_eval.build.scorecard import programme_rows
from jimo_eval.core.periods import Window
from jimo_eval.core.status import Status
from jimo_eval.inputs import ContractError, load
from jimo_eval.params import load_params
from jimo_eval.programmes import PROGRAMMES
from jimo_eval.programmes.supervision import metrics as S
from jimo_eval.programmes.supervision import view
from jimo_eval.programmes.supervision.scorecard import rows as scorecard_rows

HEADER = (
    "item_id,raised_at,source,channel_id,department,forwarded_at,resolved_at,typical_case,people_dealt_with"
)
ROWS = [
    "A1,2023-03-10 09:00,member,M01,D1,2023-03-11 09:00,2023-04-10 09:00,true,2",
    "A2,2023-04-01 10:00,project_site,KP001,D2,2023-05-31 23:00,2023-06-05 10:00,false,",
    "A3,2023-04-02 10:00,window,W01,D2,2023-06-01 00:00,,false,",
    "A4,2023-05-31 12:00,hotline,,D2,,2023-05-31 23:59,true,1",
    "A5,2023-06-15 10:00,window,W01,D1,,2023-07-02 10:00,false,",
    "A6,2023-07-01 10:00,qr_code,,D1,,,false,",
    "A7,2023-02-01 10:00,qr_code,,D1,,2023-06-01 00:00,true,3",
    "A8,2023-04-20 10:00,member,,D3,,2023-04-25 10:00,false,",
]
AS_OF = "2023-06-30"
CLAIMS_WINDOW = {"start": "2023-01-01", "end": "2023-05-31"}


@pytest.fixture
def feedback(tmp_path) -> pd.DataFrame:
    return load(write_csv(tmp_path / "feedback.csv", HEADER, ROWS), "feedback")


def params(min_count: int = 2, **overrides) -> dict:
    return load_params(
        overrides={"quarter": "2023Q2", "disclosure": {"min_count": min_count}, "lang": "zh", **overrides}
    )


@pytest.fixture
def result(feedback) -> S.SupervisionResult:
    return S.evaluate_supervision(feedback, params())


# --- published figures -----------------------------------------------------------------------------


def test_published_counts_by_hand(feedback):
    known = S.known_at(feedback, AS_OF)
    counts = S.published_counts(known, Window.from_params(CLAIMS_WINDOW, AS_OF))
    # Resolved in Jan–May: A1 (04-10), A8 (04-25), A4 (05-31 23:59); A7 (06-01 00:00), A2 (06-05) after.
    # Forwarded in Jan–May: A1, A2 (05-31 23:00); A3 (06-01 00:00) is after → departments D1, D2.
    # Typical and resolved in the window: A1, A4 → 2 cases, 2 + 1 = 3 people (A7's 3 fall outside).
    assert counts == {
        "problems_resolved": 3,
        "items_forwarded": 2,
        "departments_forwarded": 2,
        "typical_cases": 2,
        "people_dealt_with": 3,
    }


@pytest.mark.parametrize(
    ("key", "computed", "claimed", "matches"),
    [
        ("problems_resolved", 30, 30, False),  # "30余" is more than 30
        ("problems_resolved", 31, 30, True),
        ("problems_resolved", 39, 30, True),
        ("problems_resolved", 40, 30, False),  # that would be "40"
        ("problems_resolved", 250, 200, True),  # "200余": 201–299
        ("problems_resolved", 300, 200, False),
        ("items_forwarded", 17, 17, True),
        ("items_forwarded", 18, 17, False),
        ("people_dealt_with", 11, 12, False),
    ],
)
def test_claim_matches(key, computed, claimed, matches):
    assert S.claim_matches(key, computed, claimed) is matches


def test_checks_against_the_published_figures(result):
    # Claims are the defaults (30余, 17, 15, 10, 12); the fixture's counts (3, 2, 2, 2, 3) all differ.
    assert [(c.key, c.computed, c.claimed, c.verdict) for c in result.checks] == [
        ("problems_resolved", 3, 30, S.DIFFERS),
        ("items_forwarded", 2, 17, S.DIFFERS),
        ("departments_forwarded", 2, 15, S.DIFFERS),
        ("typical_cases", 2, 10, S.DIFFERS),
        ("people_dealt_with", 3, 12, S.DIFFERS),
    ]


def test_figures_are_not_checked_before_the_window_ends(feedback):
    result = S.evaluate_supervision(feedback, params(as_of="2023-05-30"))
    assert {(c.computed, c.verdict) for c in result.checks} == {(None, S.INSUFFICIENT_DATA)}
    assert result.metrics()["claims_window"] == CLAIMS_WINDOW  # stated as published, not clipped


def test_later_events_are_unknown_at_the_cut_off(feedback):
    known = S.known_at(feedback, AS_OF)
    assert "A6" not in set(known["item_id"])  # raised 07-01
    assert known.set_index("item_id").loc["A5", "resolved_at"] is pd.NaT  # resolved 07-02
    assert known.set_index("item_id").loc["A3", "forwarded_at"] == pd.Timestamp("2023-06-01")


# --- funnel ----------------------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson (1927) score interval, written out from the closed form (Newcombe 1998, method 3)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_funnel_of_the_period_by_hand(result):
    # Raised in Apr–Jun and known: A2, A3, A4, A5, A8 → 5. Forwarded by 06-30: A2, A3 → 2.
    # Resolved by 06-30: A2 (06-05), A4 (05-31), A8 (04-25) → 3; A5's (07-02) is after the cut-off.
    funnel = result.funnels["period"]
    assert (funnel.raised, funnel.forwarded, funnel.resolved) == (5, 2, 3)
    share = funnel.resolved_share
    assert share.value == 0.6
    assert (share.low, share.high) == pytest.approx(wilson(3, 5), abs=1e-9)
    # By hand: z² = 3.8415, centre (0.6 + 0.3841) / 1.7683 = 0.5566, half 1.96 × 0.2940 / 1.7683 = 0.3258
    assert (share.low, share.high) == pytest.approx((0.2307, 0.8824), abs=1e-4)


def test_funnel_of_the_claims_window_by_hand(result):
    # Raised in Jan–May: A1, A2, A3, A4, A7, A8 → 6; forwarded by 06-30: A1, A2, A3 → 3;
    # resolved by 06-30: A1, A2, A4, A7, A8 → 5.
    funnel = result.funnels["claims_window"]
    assert (funnel.raised, funnel.forwarded, funnel.resolved) == (6, 3, 5)


def test_empty_funnel_has_no_shares():
    funnel = S.Funnel(0, 0, 0)
    assert funnel.resolved_share.value is None and funnel.forwarded_share.low is None


# --- resolution times ------------------------------------------------------------------------------


def test_kaplan_meier_of_the_period_by_hand(result):
    # Durations (days): A4 0.4993 (12:00 → 23:59, resolved), A8 5 (resolved), A5 15.583 (open: 06-15
    # 10:00 → end of 06-30), A2 65 (resolved), A3 89.583 (open). KM: S(0.4993) = 4/5, S(5) = 4/5 × 3/4
    # = 3/5, S(65) = 3/5 × 1/2 = 3/10 → median 65 (first time S ≤ 0.5). Resolved only: median of
    # {0.4993, 5, 65} = 5, the naive (biased) median.
    times = result.times
    assert (times.n, times.resolved) == (5, 3)
    assert times.km.survival_at(1) == pytest.approx(0.8)
    assert times.km.survival_at(5) == pytest.approx(0.6)
    assert times.km.survival_at(65) == pytest.approx(0.3)
    assert times.km.median == pytest.approx(65)
    assert times.naive_median == pytest.approx(5)


def test_times_by_source_merge_small_groups(result):
    # min_count 2: window has A3, A5 (both open → no median); project_site (A2), member (A8) and
    # hotline (A4) are small and merged: "other" = {0.4993, 5, 65}, all resolved: S(0.4993) = 2/3,
    # S(5) = 1/3 → median 5.
    table = result.groups["source"]
    assert list(table["group"]) == ["window", S.OTHER]
    window, other = table.iloc[0], table.iloc[1]
    assert (window["items"], window["open"]) == (2, 2) and pd.isna(window["median_days"])  # not reached
    assert (other["items"], other["open"]) == (3, 0)
    assert other["median_days"] == pytest.approx(5)


def test_times_by_department(result):
    # D2: A4 resolved at 0.4993 (S = 2/3), A2 at 65 (S = 1/3), A3 open at 89.583 → median 65.
    # D1 (A5) and D3 (A8) are small → other: A8 resolved at 5 (S = 1/2 exactly), A5 open at 15.583,
    # no later drop → median 5 (R survival: the time itself when the curve never goes below 1/2).
    table = result.groups["department"].set_index("group")
    assert table.loc["D2", "median_days"] == pytest.approx(65)
    assert table.loc[S.OTHER, "median_days"] == pytest.approx(5)


def test_the_english_report_names_departments_by_department_en_and_otherwise_by_their_name(tmp_path):
    """department_en, optional: D2 has it on one of its rows (another left blank), D1 and D3 none."""
    english = {"A2": "Department Two", "A3": " "}
    rows = [f"{row},{english.get(row.split(',')[0], '')}" for row in ROWS]
    loaded = load(write_csv(tmp_path / "feedback.csv", HEADER + ",department_en", rows), "feedback")
    result = S.evaluate_supervision(loaded, params())
    assert result.departments_en == {"D2": "Department Two"}
    english_table = view.group_table(result, "department", "en").data
    assert ">Department Two<" in english_table and ">D2<" not in english_table
    assert ">D2<" in view.group_table(result, "department", "zh").data
    plain = S.evaluate_supervision(load(write_csv(tmp_path / "f.csv", HEADER, ROWS), "feedback"), params())
    assert plain.departments_en == {} and ">D2<" in view.group_table(plain, "department", "en").data


def test_group_still_small_after_merging_is_withheld(feedback):
    table = S.evaluate_supervision(feedback, params(min_count=3)).groups["source"]
    # window has 2 < 3 and the others 1 each: everything merges into other (5 items).
    assert list(table["group"]) == [S.OTHER] and table.iloc[0]["items"] == 5
    table = S.evaluate_supervision(feedback, params(min_count=6)).groups["source"]
    assert table.iloc[0]["items"] is None and table.iloc[0]["median_days"] is None


def test_empty_period_gives_no_times(feedback):
    result = S.evaluate_supervision(feedback, params(quarter="2022Q2"))
    assert result.times.km is None and result.groups["source"].empty
    assert result.metrics()["median_days_period"] is None


# --- channel usage ---------------------------------------------------------------------------------


def test_channel_usage_by_hand(result):
    # Period cohort A2 (KP001), A3 (W01), A4 (hotline: no channels), A5 (W01), A8 (member, no id).
    usage = result.usage.set_index("source")
    assert usage.loc["window", ["used", "of", "items", "without_id"]].tolist() == [1, 18, 2, 0]
    assert usage.loc["project_site", ["used", "of"]].tolist() == [1, 160]
    assert usage.loc["member", ["used", "of", "items", "without_id"]].tolist() == [0, 48, 1, 1]
    assert usage.loc["monitoring_point", ["used", "items"]].tolist() == [0, 0]
    assert usage.loc["window", "share"] == pytest.approx(1 / 18)


# --- metrics.json and scorecard ----------------------------------------------------------------------


def test_metrics_are_json_ready(result):
    import json

    metrics = json.loads(json.dumps(result.metrics(), allow_nan=False))
    assert metrics["published"]["people_dealt_with"] == {"computed": 3, "claimed": 12, "verdict": "differs"}
    assert metrics["funnel"]["period"]["resolved_share"] == 0.6
    assert metrics["median_days_period"] == 65 and metrics["naive_median_days_period"] == 5
    assert metrics["open_at_as_of_period"] == 2
    assert metrics["channel_usage"]["window"] == {"used": 1, "of": 18, "share": round(1 / 18, 4)}


def test_scorecard_rows(result):
    metrics = result.metrics()
    rows = scorecard_rows(metrics, "en")
    assert [row.metric for row in rows[:5]] == [
        "Problems resolved",
        "Items forwarded",
        "Departments forwarded to",
        "Typical cases investigated",
        "People dealt with",
    ]
    first = rows[0]
    assert (first.value, first.target, first.status_text, first.status) == (
        "3",
        "30-odd (more than 30)",
        "differs",
        Status.BAD,
    )
    assert rows[5].value.startswith("65.0 (95% CI") and rows[5].status is Status.NA
    assert "Windows 1/18" in rows[6].value.replace("“Cannot-get-it-done” w", "W")
    metrics["published"]["items_forwarded"]["verdict"] = "match"
    forwarded = scorecard_rows(metrics, "zh")[1]
    assert (forwarded.status_text, forwarded.status) == ("相符", Status.OK)
    metrics["published"]["items_forwarded"]["verdict"] = "insufficient_data"
    assert scorecard_rows(metrics, "zh")[1].status is Status.NA
    assert programme_rows(PROGRAMMES.get("supervision"), {}, "zh") == []


# --- contract --------------------------------------------------------------------------------------


def test_contract_lists_every_broken_rule(tmp_path):
    rows = [
        "B1,2023-04-01 10:00,member,M01,D1,2023-03-31 10:00,,false,",  # forwarded before raised
        "B2,2023-04-01 10:00,fax,,D1,,2023-03-01 10:00,false,",  # unknown source, resolved before raised
        "B2,2023-04-01 10:00,hotline,,,2023-04-02 10:00,,false,-1",  # duplicate id, no dept, negative
        "B4,2023-04-01 10:00,hotline,,D1,,,maybe,1.5",  # not a boolean, not a whole number
    ]
    path = write_csv(tmp_path / "feedback.csv", HEADER, rows)
    with pytest.raises(ContractError) as error:
        load(path, "feedback")
    message = error.value.text("en")
    for expected in (
        "column 'forwarded_at' breaks rule 'forwarded_at ≥ raised_at' — 1 row(s): line 2 (B1)",
        "column 'resolved_at' breaks rule 'resolved_at ≥ raised_at' — 1 row(s): line 3 (B2)",
        "column 'source' breaks rule 'one of member | monitoring_point | project_site | qr_code | hotline",
        "column 'item_id' breaks rule 'must be unique' — 2 row(s): line 3 (B2), line 4 (B2)",
        "column 'department' breaks rule 'department not empty when forwarded_at is set' — 1 row(s): line 4",
        "column 'people_dealt_with' breaks rule 'must be ≥ 0' — 1 row(s): line 4 (B2)",
        "column 'people_dealt_with' breaks rule 'a whole number' — 1 row(s): line 5 (B4)",
        "column 'typical_case' breaks rule 'must be true/false' — 1 row(s): line 5 (B4)",
    ):
        assert expected in message


def test_dates_after_the_export_break_the_contract(tmp_path):
    path = write_csv(
        tmp_path / "feedback.csv", HEADER, ["C1,2023-12-30 10:00,hotline,,D1,,2024-01-06 09:00,,"]
    )
    with pytest.raises(ContractError, match="resolved_at' breaks rule 'not after extracted_on"):
        load(path, "feedback", extracted_on="2024-01-05", lang="en")


def test_chinese_headers_and_personal_columns_dropped(tmp_path):
    header = "问题编号,反映时间,来源,渠道编号,责任部门,转办时间,办结时间,问题类别,典型问题,处理人数,"
    header += "反映人,联系电话,问题描述"
    row = "D1,2023-04-01 10:00,window,W03,区行政审批服务局,,2023-04-03 10:00,approval_delay,,,"
    row += "张三丰,13912345678,审批拖了三个月一直没有答复"
    loaded = load(write_csv(tmp_path / "feedback.csv", header, [row]), "feedback")
    assert list(loaded.columns) == [
        "item_id", "raised_at", "source", "channel_id", "department", "department_en", "forwarded_at",
        "resolved_at", "category", "typical_case", "people_dealt_with",
    ]  # fmt: skip
    assert "张三丰" not in loaded.to_csv() and "13912345678" not in loaded.to_csv()
    # Empty typical_case reads as false, empty people_dealt_with as 0 (contract).
    assert not loaded.loc[0, "typical_case"] and loaded["typical_case"].dtype == bool
    assert loaded.loc[0, "people_dealt_with"] == 0


# --- the committed notebook --------------------------------------------------------------------------


def test_notebook_publishes_the_reproduced_figures_for_2023q2(tmp_path):
    """Plain papermill on the committed notebook and the reference data (one slow test)."""
    import subprocess
    import sys
    from pathlib import Path

    from jimo_eval.build.pipeline import published_metrics
    from jimo_eval.core.paths import REPO_ROOT

    executed = tmp_path / "supervision.ipynb"
    papermill = Path(sys.executable).with_name("papermill")
    completed = subprocess.run(
        [str(papermill), "-f", "params/defaults.yaml", "-f", "params/2023Q2.yaml",
         "notebooks/supervision.ipynb", str(executed), "--no-progress-bar"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    section = published_metrics(executed)["supervision"]
    claims = load_params().get("claims")["supervision"]
    published = section["published"]
    assert {key: item["verdict"] for key, item in published.items()} == dict.fromkeys(
        S.PUBLISHED_COUNTS, "match"
    )
    for key in S.PUBLISHED_COUNTS[1:]:
        assert published[key]["computed"] == claims[key]
    assert claims["problems_resolved"] < published["problems_resolved"]["computed"] < 40
    assert section["channel_usage"]["member"]["of"] == 48 and section["items_period"] > 0
