"""Green-space metrics on park lists small enough to count by hand.

Reference values: Garwood intervals and great-circle distances were computed independently in
R 4.2.2 (``poisson.test(k)$conf.int``; haversine written out in base R with R = 6,371,008.8 m).
Negative-binomial figures of the projection come from ``nb_pmf`` below, the formula written out with
``math.lgamma`` (not SciPy); tests/test_greenspace_projection.py checks the predictive distribution.
"""

import math

import numpy as np
import pandas as pd
import pytest

from jimo_eval.inputs import load
from jimo_eval.params import load_params
from jimo_eval.programmes.greenspace import metrics as G

PARK_HEADER = "park_id,name,kind,area_m2,completed_on,mode,lon,lat"
CITY_HEADER = "year,urban_population,built_up_area_km2,green_land_area_km2,park_green_area_km2"
METRES_PER_DEGREE = math.pi * G.EARTH_RADIUS_M / 180  # 111,195.08 m along a meridian
PARK_LON, PARK_LAT = 120.45, 36.39  # a point in Jimo's urban area
DAY = "2023-05-31"  # report day: its end is 2023-06-01 00:00
# From the end of 2023-05-31 to the end of 2025-12-31: 214 days left in 2023 (Jun 30 + Jul 31 + Aug 31
# + Sep 30 + Oct 31 + Nov 30 + Dec 31) + 366 (2024) + 365 (2025) = 945 days = 945 / 365.25 years.
YEARS_LEFT_2025 = 945 / 365.25  # 2.587269


def nb_pmf(y: int, recent: int, years: float, window: float = 3) -> float:
    """P(Y = y) for Y ~ NB(n = recent + ½, p = window / (window + years)), written out."""
    n, p = recent + 0.5, window / (window + years)
    return math.exp(
        math.lgamma(y + n) - math.lgamma(n) - math.lgamma(y + 1) + n * math.log(p) + y * math.log1p(-p)
    )


def nb_quantile(q: float, recent: int, years: float) -> int:
    """Smallest y with P(Y ≤ y) ≥ q."""
    y, total = 0, nb_pmf(0, recent, years)
    while total < q:
        y += 1
        total += nb_pmf(y, recent, years)
    return y


def nb_at_least(y: int, recent: int, years: float) -> float:
    """P(Y ≥ y)."""
    return 1 - sum(nb_pmf(i, recent, years) for i in range(y))


def write(path, header, rows):
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def parks_from(tmp_path):
    """Parks through the real loader, so dtypes (string, datetime64, NaT) are those of a report."""

    def parks(rows: list[str]) -> pd.DataFrame:
        return load(write(tmp_path / "parks.csv", PARK_HEADER, rows), "parks")

    return parks


def pocket_rows(prefix: str, days: list[str], area: float = 1000, mode: str = "new") -> list[str]:
    row = "{prefix}{i},{prefix} park {i},pocket,{area},{day},{mode},{lon},{lat}"
    return [
        row.format(prefix=prefix, i=i, area=area, day=day, mode=mode, lon=PARK_LON, lat=PARK_LAT)
        for i, day in enumerate(days)
    ]


def test_built_by_honours_end_of_day_planned_parks_and_kind(parks_from):
    parks = parks_from(
        [
            f"A,a,pocket,500,2023-05-31,new,{PARK_LON},{PARK_LAT}",  # on the day: built
            f"B,b,pocket,500,2023-06-01,new,{PARK_LON},{PARK_LAT}",  # the next day: not yet
            f"C,c,pocket,500,,new,{PARK_LON},{PARK_LAT}",  # planned (NaT): never built
            f"D,d,comprehensive,50000,2020-01-01,upgrade,{PARK_LON},{PARK_LAT}",
        ]
    )
    assert list(G.built_by(parks, DAY)["park_id"]) == ["A", "D"]
    # A Timestamp with a time of day still means the whole day.
    assert list(G.built_by(parks, pd.Timestamp("2023-05-31 08:00"))["park_id"]) == ["A", "D"]
    assert list(G.built_by(parks, DAY, kind="pocket")["park_id"]) == ["A"]
    assert list(G.built_by(parks, "2019-12-31")["park_id"]) == []


def test_city_year_takes_latest_year_not_after_day(tmp_path):
    rows = ["2021,1,10,4,1", "2023,1,10,4,1", "2022,1,10,4,1"]
    city = load(write(tmp_path / "city.csv", CITY_HEADER, rows), "city")
    assert G.city_year(city, "2023-05-31")["year"] == 2023  # same year counts
    assert G.city_year(city, "2022-12-31")["year"] == 2022
    assert G.city_year(city, "2030-01-01")["year"] == 2023
    assert G.city_year(city, "2020-12-31") is None  # every row is later


def test_green_land_ratio_and_per_capita_by_hand():
    row = pd.Series(
        {
            "urban_population": 400_000.0,
            "built_up_area_km2": 100.0,
            "green_land_area_km2": 41.0,
            "park_green_area_km2": 6.0,
        }
    )
    assert G.green_land_ratio(row) == pytest.approx(0.41)  # 41.0 / 100.0, a fraction
    # 6.0 km² = 6,000,000 m² for 400,000 people = 15 m² each: exactly the 2025 target.
    assert G.park_green_per_capita_m2(row) == pytest.approx(15.0)


def test_haversine_known_distances():
    # One degree of latitude along a meridian is πR/180 = 111,195.08 m for R = 6,371,008.8 m.
    assert G.haversine_m(120.0, 36.0, 120.0, 37.0) == pytest.approx(111_195.08, abs=0.01)
    # Qingdao (36.0671 N, 120.3826 E) to Jimo (36.3893 N, 120.4473 E): 36,294.04 m (R 4.2.2, same R).
    qingdao_to_jimo = G.haversine_m(120.3826, 36.0671, 120.4473, 36.3893)
    assert qingdao_to_jimo == pytest.approx(36_294.04, abs=0.01)
    assert G.haversine_m(120.4473, 36.3893, 120.3826, 36.0671) == pytest.approx(qingdao_to_jimo)
    assert G.haversine_m(PARK_LON, PARK_LAT, PARK_LON, PARK_LAT) == 0.0
    # Vectorised: a column of 2 points against a row of 3 gives a 2 × 3 matrix.
    matrix = G.haversine_m(np.array([[120.0], [121.0]]), 36.0, np.array([120.0, 121.0, 122.0]), 36.0)
    assert matrix.shape == (2, 3)
    assert matrix[0, 0] == matrix[1, 1] == 0.0
    assert matrix[0, 1] == pytest.approx(matrix[1, 2])  # one degree of longitude at the same latitude


def residents(offsets_m: list[float], population: list[float]) -> pd.DataFrame:
    """Residential points due north of the park, ``offset`` metres along the meridian."""
    lats = [PARK_LAT + offset / METRES_PER_DEGREE for offset in offsets_m]
    return pd.DataFrame({"lon": PARK_LON, "lat": lats, "population": population})


def test_coverage_population_weighted_within_radius():
    park = pd.DataFrame({"lon": [PARK_LON], "lat": [PARK_LAT]})
    homes = residents([400, 600], [3, 1])
    # 500 m: the point 400 m away (3 people) is covered, the one 600 m away (1) is not: 3 / 4.
    assert G.coverage_share(homes, park, 500) == pytest.approx(0.75)
    assert G.coverage_share(homes, park, 300) == 0.0  # neither is within 300 m
    # "Any park": a second park 100 m from the far point covers it as well: 4 / 4.
    two_parks = pd.DataFrame({"lon": [PARK_LON] * 2, "lat": [PARK_LAT, PARK_LAT + 700 / METRES_PER_DEGREE]})
    assert G.coverage_share(homes, two_parks, 500) == pytest.approx(1.0)
    assert G.coverage_share(homes, park.iloc[:0], 500) == 0.0  # residents but no park built


def test_coverage_unknown_without_residents():
    park = pd.DataFrame({"lon": [PARK_LON], "lat": [PARK_LAT]})
    assert G.coverage_share(None, park) is None
    assert G.coverage_share(residents([], []), park) is None
    assert G.coverage_share(residents([100], [0]), park) is None  # nobody lives there


def test_coverage_same_result_block_by_block(monkeypatch):
    parks = pd.DataFrame({"lon": [PARK_LON] * 3, "lat": [PARK_LAT + k * 0.01 for k in range(3)]})
    homes = residents([100 * k for k in range(40)], list(range(1, 41)))
    whole = G.coverage_share(homes, parks, 500)
    monkeypatch.setattr(G, "_DISTANCES_PER_BLOCK", 7)  # blocks of 7 // 3 = 2 residential points
    assert G.coverage_share(homes, parks, 500) == whole


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [  # R 4.2.2: poisson.test(k)$conf.int
        (0, 0.0, 3.688879),
        (1, 0.02531781, 5.571643),
        (10, 4.795389, 18.390356),
        (28, 18.605797, 40.467796),
        (30, 20.240874, 42.826865),
    ],
)
def test_poisson_exact_interval_matches_r(count, low, high):
    assert G.poisson_exact_interval(count) == pytest.approx((low, high), abs=1e-6)


def test_projection_fast_pace_on_track(parks_from):
    # 21 pocket parks before the 3-year window (the last on 2020-05-31, just outside (2020-05-31,
    # 2023-05-31]) and 30 inside it (the first on 2020-06-01, the last on the day itself): 51 built.
    before = ["2019-05-01"] * 20 + ["2020-05-31"]
    inside = ["2020-06-01"] + ["2021-09-01"] * 14 + ["2022-09-01"] * 14 + ["2023-05-31"]
    rows = pocket_rows("P", before + inside)
    rows += pocket_rows("L", ["2023-06-01"])  # completed after the day: neither built nor recent
    rows += pocket_rows("N", [""])  # planned
    rows += [f"C1,comprehensive,comprehensive,80000,2022-01-01,new,{PARK_LON},{PARK_LAT}"]  # not pocket
    projection = G.project_pocket_parks(parks_from(rows), DAY, 70, 2025)
    assert (projection.built, projection.recent_completions) == (51, 30)
    assert projection.rate_per_year == 10.0  # 30 / 3
    # Garwood for 30: [20.240874, 42.826865] / 3 years
    assert projection.rate_ci == pytest.approx((20.240874 / 3, 42.826865 / 3), abs=1e-6)
    assert projection.years_left == pytest.approx(YEARS_LEFT_2025)  # 2.587269
    assert projection.projected == pytest.approx(51 + 10 * YEARS_LEFT_2025)  # 76.87 ≥ 70
    # Future completions NB(30.5, 3 / 5.587269): 2.5% and 97.5% quantiles 14 and 41 parks. (The former
    # band, 51 + Garwood × 2.587269 = 68.46–87.93, was the expected count's interval.)
    assert (nb_quantile(0.025, 30, YEARS_LEFT_2025), nb_quantile(0.975, 30, YEARS_LEFT_2025)) == (14, 41)
    assert projection.projected_band == (51 + 14, 51 + 41)
    # P(at least 19 more) = 0.8732: on track (≥ 0.8), and the median reaches 70.
    assert projection.p_reach_target == pytest.approx(nb_at_least(19, 30, YEARS_LEFT_2025), abs=1e-9)
    assert projection.p_reach_target == pytest.approx(0.873192, abs=1e-6)
    assert projection.on_track and projection.verdict == G.ON_TRACK
    assert projection.needed_rate_per_year == pytest.approx(19 / YEARS_LEFT_2025)  # 7.344 a year
    # (70 − 51) / 10 = 1.9 years = 693.975 days after 2023-06-01 00:00: 2025-04-24 23:24.
    assert projection.projected_target_year == 2025


def test_projection_slow_pace_misses_target_year(parks_from):
    # 26 early + 15 in the window = 41 built; 5 a year; 41 + 5 × 2.587269 = 53.94 < 70 by 2025.
    rows = pocket_rows("P", ["2018-03-01"] * 26 + ["2022-03-01"] * 15)
    projection = G.project_pocket_parks(parks_from(rows), DAY, 70, 2025)
    assert (projection.built, projection.rate_per_year) == (41, 5.0)
    assert projection.projected == pytest.approx(41 + 5 * YEARS_LEFT_2025)
    assert not projection.on_track
    # P(at least 29 more | NB(15.5, 3 / 5.587269)) = 0.0054: off track.
    assert projection.p_reach_target == pytest.approx(nb_at_least(29, 15, YEARS_LEFT_2025), abs=1e-9)
    assert projection.verdict == G.OFF_TRACK
    assert projection.needed_rate_per_year == pytest.approx(29 / YEARS_LEFT_2025)  # 11.209 a year
    # 29 / 5 = 5.8 years = 2,118.45 days after 2023-06-01: 2029-03-19.
    assert projection.projected_target_year == 2029


def test_projection_without_recent_completions_never_arrives(parks_from):
    rows = pocket_rows("P", ["2019-05-01"] * 40)  # all before the window
    projection = G.project_pocket_parks(parks_from(rows), DAY, 70, 2025)
    assert (projection.built, projection.recent_completions, projection.rate_per_year) == (40, 0, 0.0)
    assert projection.rate_ci == pytest.approx((0.0, 3.688879 / 3), abs=1e-6)  # Garwood for 0
    assert projection.projected == 40
    assert not projection.on_track
    assert projection.projected_target_year is None
    # Zero in 3 years does not prove a zero pace: NB(½, 3 / 5.587269) still allows a few, never 30.
    assert projection.projected_band == (40, 40 + nb_quantile(0.975, 0, YEARS_LEFT_2025)) == (40, 43)
    assert 0 < projection.p_reach_target < 1e-10
    assert projection.verdict == G.OFF_TRACK
    assert projection.needed_rate_per_year == pytest.approx(30 / YEARS_LEFT_2025)  # 11.595 a year


def test_projection_target_already_reached(parks_from):
    rows = pocket_rows("P", ["2019-05-01"] * 65 + ["2022-05-01"] * 5)  # 70 built
    projection = G.project_pocket_parks(parks_from(rows), DAY, 70, 2025)
    assert projection.on_track
    assert projection.p_reach_target == 1.0 and projection.verdict == G.ON_TRACK
    assert projection.projected_band[0] == 70  # parks built stay built
    assert projection.projected_target_year == 2023  # the year of the day
    assert projection.needed_rate_per_year == 0.0


def test_projection_after_target_year_has_no_time_left(parks_from):
    rows = pocket_rows("P", ["2022-05-01"] * 60)
    projection = G.project_pocket_parks(parks_from(rows), DAY, 70, 2022)  # deadline already passed
    assert projection.years_left == 0.0
    assert projection.projected == 60  # no time to add anything
    assert projection.projected_band == (60, 60)
    assert not projection.on_track
    assert projection.p_reach_target == 0.0 and projection.verdict == G.OFF_TRACK
    late_but_done = G.project_pocket_parks(parks_from(rows), DAY, 60, 2022)  # reached, deadline past
    assert late_but_done.p_reach_target == 1.0 and late_but_done.on_track
    assert projection.needed_rate_per_year is None  # no finite pace reaches 70 in zero time
    # 20 a year: (70 − 60) / 20 = 0.5 years after 2023-06-01 is 2023-11-30.
    assert projection.projected_target_year == 2023


def test_completions_by_year_fills_empty_years(parks_from):
    rows = pocket_rows("P", ["2019-05-01", "2019-07-01", "2021-03-01", ""])
    rows += [f"C1,c,comprehensive,80000,2020-01-01,new,{PARK_LON},{PARK_LAT}"]
    parks = parks_from(rows)
    pocket = G.completions_by_year(parks, "pocket")
    assert pocket.to_dict("list") == {
        "year": [2019, 2020, 2021],
        "completed": [2, 0, 1],
        "cumulative": [2, 2, 3],
    }
    every = G.completions_by_year(parks)
    assert every.to_dict("list") == {
        "year": [2019, 2020, 2021],
        "completed": [2, 1, 1],
        "cumulative": [2, 3, 4],
    }
    assert list(G.completions_by_year(parks, "other").columns) == ["year", "completed", "cumulative"]


def test_mix_by_mode_counts_and_sums_area(parks_from):
    rows = pocket_rows("U", ["2022-01-01"] * 2, area=750, mode="upgrade")  # 2 parks, 1,500 m²
    rows += pocket_rows("S", ["2022-01-01"], area=300, mode="social")  # 1 park, 300 m²
    rows += [f"C1,c,comprehensive,2000,2022-01-01,new,{PARK_LON},{PARK_LAT}"]  # 1 park, 2,000 m²
    mix = G.mix_by_mode(parks_from(rows))
    assert mix.to_dict("list") == {
        "mode": ["upgrade", "new", "social"],
        "parks": [2, 1, 1],
        "area_m2": [1500.0, 2000.0, 300.0],
    }


def test_pocket_parks_outside_size_bounds_inclusive(parks_from):
    rows = [
        f"A,a,pocket,399,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # 1 m² short: flagged
        f"B,b,pocket,400,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # the lower bound itself: fine
        f"C,c,pocket,10000,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # the upper bound itself: fine
        f"D,d,pocket,10001,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # 1 m² over: flagged
        f"E,e,comprehensive,50000,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # not a pocket park
    ]
    flagged = G.pocket_parks_outside_size(parks_from(rows))
    assert flagged.to_dict("list") == {
        "park_id": ["A", "D"],
        "name": ["a", "d"],
        "name_en": [None, None],  # an optional column the file does not have
        "area_m2": [399.0, 10001.0],
        "issue": ["below 400 m²", "above 10,000 m²"],
    }


def test_the_english_report_names_a_flagged_park_by_name_en_and_otherwise_by_its_name(tmp_path):
    from types import SimpleNamespace

    from jimo_eval.programmes.greenspace import view

    header = "park_id,name,name_en,kind,area_m2,completed_on,mode,lon,lat"
    rows = [
        f"A,御园小区北口袋公园,Yuyuan Estate North Pocket Park,pocket,399,2022-01-01,new,{PARK_LON},"
        f"{PARK_LAT}",
        f"D,滨河小区北口袋公园, ,pocket,10001,2022-01-01,new,{PARK_LON},{PARK_LAT}",  # no English name
    ]
    flagged = G.pocket_parks_outside_size(load(write(tmp_path / "parks.csv", header, rows), "parks"))
    result = SimpleNamespace(outside_size=flagged)
    english = view.size_flags_table(result, "en").data
    assert "Yuyuan Estate North Pocket Park" in english and "御园小区北口袋公园" not in english
    assert "滨河小区北口袋公园" in english  # the Chinese name, not a blank
    chinese = view.size_flags_table(result, "zh").data
    assert "御园小区北口袋公园" in chinese and "Yuyuan" not in chinese


REQUIRED_KEYS = {
    "pocket_parks_built", "pocket_parks_target", "green_land_ratio", "park_green_per_capita_m2", "on_track",
    "projected_target_year", "coverage_500m",
}  # fmt: skip
EXTRA_KEYS = {
    "comprehensive_parks_built", "city_year", "green_land_ratio_target", "park_green_per_capita_target_m2",
    "national_park_green_per_capita_m2", "national_coverage", "coverage_300m", "rate_per_year", "rate_ci",
    "projected_count", "projected_band", "needed_rate_per_year", "target_year", "pocket_parks_outside_size",
    "p_reach_target",
}  # fmt: skip


def test_evaluate_uses_earlier_of_period_end_and_as_of(parks_from, tmp_path):
    # Period 2023Q2 ends 2023-06-30, as_of 2023-05-31 is earlier: the park of 2023-06-15 is not built.
    rows = pocket_rows("P", ["2019-05-01"] * 21 + ["2021-09-01"] * 30)  # 51 built, 30 recent
    rows += pocket_rows("Late", ["2023-06-15"])
    rows += pocket_rows("Tiny", ["2022-01-01"], area=350)  # a 52nd pocket park, too small, recent
    rows += [f"C{i},c,comprehensive,80000,2015-01-01,new,{PARK_LON},{PARK_LAT}" for i in range(11)]
    city_rows = ["2022,400000,100,41,6", "2024,500000,120,60,9"]  # 2024 is after the day
    city = load(write(tmp_path / "city.csv", CITY_HEADER, city_rows), "city")
    params = load_params(overrides={"quarter": "2023Q2", "as_of": DAY})
    result = G.evaluate_greenspace(parks_from(rows), city, residents([400, 600], [3, 1]), params)
    metrics = result.metrics()
    assert set(metrics) == REQUIRED_KEYS | EXTRA_KEYS
    assert result.day == pd.Timestamp(DAY)
    assert metrics["pocket_parks_built"] == 52
    assert metrics["comprehensive_parks_built"] == 11
    assert (metrics["pocket_parks_target"], metrics["target_year"]) == (70, 2025)
    assert metrics["rate_per_year"] == pytest.approx(31 / 3, abs=1e-3)  # 30 + Tiny in the window
    assert metrics["on_track"]  # 52 + 10.333 × 2.587269 = 78.74
    assert metrics["projected_count"] == pytest.approx(52 + 31 / 3 * YEARS_LEFT_2025, abs=0.005)
    assert metrics["needed_rate_per_year"] == pytest.approx(18 / YEARS_LEFT_2025, abs=1e-3)  # 6.957
    # 18 / (31/3) = 1.742 years after 2023-06-01: early 2025.
    assert metrics["projected_target_year"] == 2025
    assert metrics["city_year"] == 2022
    assert (metrics["green_land_ratio"], metrics["park_green_per_capita_m2"]) == (0.41, 15.0)
    assert (metrics["green_land_ratio_target"], metrics["park_green_per_capita_target_m2"]) == (0.41, 15.0)
    assert (metrics["national_park_green_per_capita_m2"], metrics["national_coverage"]) == (8.0, 0.8)
    assert (metrics["coverage_500m"], metrics["coverage_300m"]) == (0.75, 0.0)  # every park is at one spot
    assert metrics["pocket_parks_outside_size"] == 1
    assert list(result.outside_size["park_id"]) == ["Tiny0"]
    assert len(metrics["rate_ci"]) == len(metrics["projected_band"]) == 2
    # The prediction interval in whole parks: 52 + NB(31.5, 3 / 5.587269) quantiles 15 and 42; p = 0.9243.
    assert metrics["projected_band"] == [52 + 15, 52 + 42]
    assert metrics["p_reach_target"] == pytest.approx(nb_at_least(18, 31, YEARS_LEFT_2025), abs=1e-4)


def test_evaluate_leaves_unknowns_empty(parks_from, tmp_path):
    city = load(write(tmp_path / "city.csv", CITY_HEADER, ["2024,500000,120,60,9"]), "city")  # after the day
    params = load_params(overrides={"quarter": "2023Q2", "as_of": DAY})
    metrics = G.evaluate_greenspace(
        parks_from(pocket_rows("P", ["2019-05-01"])), city, None, params
    ).metrics()
    assert metrics["city_year"] is None
    assert metrics["green_land_ratio"] is None and metrics["park_green_per_capita_m2"] is None
    assert metrics["coverage_500m"] is None and metrics["coverage_300m"] is None
    assert metrics["projected_target_year"] is None  # nothing completed in the last 3 years
