"""The SYNTHETIC parks, city and residential reference data: published calibration, geography,
coverage, determinism, contract.

Checks read the written CSV text where the contract is about the file, and recompute distances with
their own haversine rather than through the generator's.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import read_text_csv

from jimo_eval.core.paths import REFERENCE_DATA_DIR
from jimo_eval.inputs import load
from jimo_eval.programmes.greenspace import synthetic as synthetic_parks

MAY_2023 = "2023-05-31"
AS_OF = "2023-12-31"
BOX = {"lon": (120.40, 120.52), "lat": (36.35, 36.44)}
EARTH_RADIUS_M = 6_371_008.8
FILES = ("parks.csv", "city.csv", "residential.csv", "SYNTHETIC_PARKS.md")
PARK_HEADER = "park_id,name,name_en,kind,area_m2,completed_on,mode,lon,lat,street,planned_on"
CITY_HEADER = "year,urban_population,built_up_area_km2,green_land_area_km2,park_green_area_km2"
STREETS = {"通济街道", "环秀街道", "潮海街道", "北安街道", "龙山街道", "蓝村街道"}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    synthetic_parks.write_parks_reference(out)
    return out


@pytest.fixture(scope="module")
def parks(written) -> pd.DataFrame:
    return read_text_csv(written / "parks.csv")


@pytest.fixture(scope="module")
def city(written) -> pd.DataFrame:
    table = read_text_csv(written / "city.csv")
    return table.astype({"year": int, "urban_population": int}).astype(
        {c: float for c in CITY_HEADER.split(",")[2:]}
    )


@pytest.fixture(scope="module")
def residential(written) -> pd.DataFrame:
    return read_text_csv(written / "residential.csv").astype({"lon": float, "lat": float, "population": int})


def haversine(lon1, lat1, lon2, lat2):
    """Great-circle metres, written out from the formula (not the generator's helper)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = phi2 - phi1, np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h))


def covered_share(parks: pd.DataFrame, residential: pd.DataFrame, on: str, radius_m: float) -> float:
    built = parks[(parks["completed_on"] != "") & (parks["completed_on"] <= on)]
    lon, lat = built["lon"].astype(float).to_numpy(), built["lat"].astype(float).to_numpy()
    rlon, rlat = residential["lon"].to_numpy()[:, None], residential["lat"].to_numpy()[:, None]
    nearest = haversine(rlon, rlat, lon[None, :], lat[None, :]).min(axis=1)
    population = residential["population"].to_numpy()
    return population[nearest <= radius_m].sum() / population.sum()


def built_by(parks: pd.DataFrame, day: str) -> pd.DataFrame:
    return parks[(parks["completed_on"] != "") & (parks["completed_on"] <= day)]


# --- published calibration -----------------------------------------------------------------------


def test_haversine_helper_agrees_with_a_known_distance():
    # One degree of latitude on the mean sphere: R·π/180.
    assert haversine(120.0, 36.0, 120.0, 37.0) == pytest.approx(EARTH_RADIUS_M * math.pi / 180)


def test_parks_built_by_may_2023_match_the_report(parks):
    built = built_by(parks, MAY_2023)
    assert (built["kind"] == "comprehensive").sum() == 11
    pocket = built[built["kind"] == "pocket"]
    assert len(pocket) == 40
    assert (pocket["mode"] == "upgrade").sum() == 16
    assert 21 <= (pocket["mode"] == "social").sum() <= 24
    assert set(pocket["mode"]) == {"upgrade", "social", "new"}


def test_seventy_pocket_parks_with_thirty_not_built_by_may_2023(parks):
    pocket = parks[parks["kind"] == "pocket"]
    assert len(pocket) == 70
    not_built = pocket[(pocket["completed_on"] == "") | (pocket["completed_on"] > MAY_2023)]
    assert len(not_built) == 30
    later = pocket[pocket["completed_on"].between("2023-06-01", AS_OF)]
    assert len(later) == 4
    assert later["completed_on"].str[5:7].astype(int).between(7, 9).any()  # 2023Q3 sees progress
    assert later["completed_on"].str[5:7].astype(int).between(10, 12).any()  # and 2023Q4
    planned = pocket[pocket["completed_on"] == ""]
    assert len(planned) == 26
    assert planned["planned_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert planned["planned_on"].between("2024-01-01", "2025-12-31").all()
    assert (pocket.loc[pocket["completed_on"] != "", "planned_on"] == "").all()


def test_pocket_parks_accelerate_and_comprehensive_ones_span_years(parks):
    pocket = built_by(parks, MAY_2023).query("kind == 'pocket'")
    per_year = pocket["completed_on"].str[:4].value_counts().sort_index()
    assert per_year.to_dict() == {"2019": 4, "2020": 6, "2021": 9, "2022": 12, "2023": 9}
    big = parks[parks["kind"] == "comprehensive"]
    assert len(big) == 12
    assert big["completed_on"].min() >= "2005-01-01"
    assert big["completed_on"].str[:4].nunique() >= 8


def test_named_parks_from_the_report(parks):
    quanyue = parks[parks["name"] == "泉悦公园"].iloc[0]
    assert quanyue["kind"] == "comprehensive" and quanyue["completed_on"] == "2023-06-20"
    assert float(quanyue["lon"]) < 120.43  # in the west
    for name in ("御园小区北口袋公园", "潮海中学南游园"):
        park = parks[parks["name"] == name].iloc[0]
        assert park["mode"] == "upgrade" and park["kind"] == "pocket"
        assert "" < park["completed_on"] <= MAY_2023
    assert parks.loc[parks["name"] == "潮海中学南游园", "street"].iloc[0] == "潮海街道"


# --- contract and geography ----------------------------------------------------------------------


def test_ids_names_and_columns(written, parks):
    assert (written / "parks.csv").read_text(encoding="utf-8").split("\n")[0] == PARK_HEADER
    assert parks["park_id"].is_unique and parks["name"].is_unique
    assert parks["park_id"].str.fullmatch(r"P\d{3}").all()
    assert parks["name"].str.fullmatch(r"[\u4e00-\u9fff]+").all()
    assert parks["name"].str.contains("公园|游园|植物园").all()
    # Every park has an English name, its own, in Latin letters (name_en: English reports show it).
    assert parks["name_en"].is_unique and parks["name_en"].str.fullmatch(r"[A-Za-z0-9 .'-]+").all()
    assert parks.set_index("name").loc["泉悦公园", "name_en"] == "Quanyue Park"
    assert set(parks["kind"]) == {"comprehensive", "pocket"}
    assert set(parks["mode"]) <= {"upgrade", "new", "social"}
    assert set(parks["street"]) == STREETS
    assert parks["area_m2"].str.fullmatch(r"\d+\.\d").all()
    for column in ("lon", "lat"):
        assert parks[column].str.fullmatch(r"\d+\.\d{6}").all()
    dated = parks["completed_on"] != ""
    assert parks.loc[dated, "completed_on"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert (parks.loc[dated, "completed_on"] <= AS_OF).all()


def test_coordinates_inside_the_urban_area(parks, residential):
    for frame in (parks.astype({"lon": float, "lat": float}), residential):
        assert frame["lon"].between(*BOX["lon"]).all()
        assert frame["lat"].between(*BOX["lat"]).all()


def test_comprehensive_parks_are_spread_out(parks):
    big = parks[parks["kind"] == "comprehensive"].astype({"lon": float, "lat": float})
    lon, lat = big["lon"].to_numpy(), big["lat"].to_numpy()
    distance = haversine(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    np.fill_diagonal(distance, np.inf)
    assert distance.min() >= 1_500


def test_areas_pocket_mostly_small_with_outliers_each_side(parks):
    area = parks["area_m2"].astype(float)
    pocket = area[parks["kind"] == "pocket"]
    inside = pocket.between(400, 10_000)
    assert inside.mean() >= 0.9
    assert (pocket < 400).sum() >= 1 and (pocket > 10_000).sum() >= 1
    assert (~inside).sum() <= 4
    assert area[parks["kind"] == "comprehensive"].between(30_000, 600_000).all()


def test_city_ratios_rise_towards_but_below_the_targets(city):
    assert city["year"].tolist() == list(range(2018, 2024))
    assert (city["green_land_area_km2"] <= city["built_up_area_km2"]).all()
    ratio = city["green_land_area_km2"] / city["built_up_area_km2"]
    per_capita = city["park_green_area_km2"] * 1e6 / city["urban_population"]
    assert ratio.is_monotonic_increasing and per_capita.is_monotonic_increasing
    assert 0.380 <= ratio.iloc[0] <= 0.390 and 0.403 <= ratio.iloc[-1] < 0.41
    assert 13.0 <= per_capita.iloc[0] <= 13.4 and 14.4 <= per_capita.iloc[-1] < 15
    growth = city["urban_population"].pct_change().dropna()
    assert growth.between(0.003, 0.02).all()
    assert 590_000 <= city["urban_population"].iloc[0] <= 650_000
    assert city["built_up_area_km2"].between(90, 100).all()
    assert city["built_up_area_km2"].is_monotonic_increasing


def test_city_figures_agree_with_synthetic_md_and_the_park_register(written, city, parks):
    text = (written / "SYNTHETIC_PARKS.md").read_text(encoding="utf-8")
    for _, row in city.iterrows():
        per_capita = row["park_green_area_km2"] * 1e6 / row["urban_population"]
        ratio = row["green_land_area_km2"] / row["built_up_area_km2"]
        assert f"| {int(row['year'])} | {int(row['urban_population']):,} |" in text
        assert f"| {ratio:.2%} | {row['park_green_area_km2']:.2f} | {per_capita:.2f} |" in text
        # Park green space holds at least the parks of the register built by that year's end.
        register = built_by(parks, f"{int(row['year'])}-12-31")["area_m2"].astype(float).sum()
        assert register <= row["park_green_area_km2"] * 1e6


def test_residential_population_adds_up_to_the_2023_urban_population(residential, city):
    total = residential["population"].sum()
    assert abs(total / city["urban_population"].iloc[-1] - 1) <= 0.02
    assert 2_500 <= len(residential) <= 3_500
    assert residential["population"].between(20, 1_500).all()


def test_residential_density_is_clustered_not_uniform(residential):
    cells = pd.crosstab(
        pd.cut(residential["lon"], np.linspace(*BOX["lon"], 7)),
        pd.cut(residential["lat"], np.linspace(*BOX["lat"], 7)),
        values=residential["population"],
        aggfunc="sum",
    ).fillna(0)
    shares = np.sort(cells.to_numpy().ravel())[::-1] / residential["population"].sum()
    assert shares[:9].sum() >= 0.5  # the densest quarter of the cells hold half the people or more


def test_coverage_at_the_cut_off_is_in_the_designed_range(parks, residential):
    assert 0.80 <= covered_share(parks, residential, AS_OF, 500) <= 0.88
    assert 0.50 <= covered_share(parks, residential, AS_OF, 300) <= 0.60


def test_coverage_grows_as_parks_are_built(parks, residential):
    may = covered_share(parks, residential, MAY_2023, 500)
    cut_off = covered_share(parks, residential, AS_OF, 500)
    everything = parks.assign(
        completed_on=parks["completed_on"].where(parks["completed_on"] != "", "2025-12-31")
    )
    assert may < cut_off < covered_share(everything, residential, "2025-12-31", 500)


def test_files_load_through_the_project_contracts(written):
    assert len(load(written / "parks.csv", "parks")) == 82
    assert load(written / "city.csv", "city")["year"].tolist() == list(range(2018, 2024))
    assert len(load(written / "residential.csv", "residential")) == 3_000


# --- determinism ----------------------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(written, tmp_path):
    synthetic_parks.write_parks_reference(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (written / name).read_bytes(), name


def test_different_seed_writes_different_data(written, tmp_path):
    synthetic_parks.write_parks_reference(tmp_path, seed=synthetic_parks.DEFAULT_SEED + 1)
    for name in ("parks.csv", "residential.csv"):
        assert (tmp_path / name).read_bytes() != (written / name).read_bytes(), name


def test_committed_reference_files_are_current(written):
    # Regenerate with `python -m jimo_eval.programmes.greenspace.synthetic --out data/reference`.
    for name in FILES:
        committed = REFERENCE_DATA_DIR / name
        assert committed.read_bytes() == (written / name).read_bytes(), f"{committed} is stale"


def test_files_are_utf8_without_bom_with_lf_endings(written):
    for name in FILES:
        raw = (written / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in raw
        assert raw.endswith(b"\n")
        raw.decode("utf-8")
    assert (written / "city.csv").read_text(encoding="utf-8").split("\n")[0] == CITY_HEADER


def test_synthetic_md_says_what_the_data_are(written):
    text = (written / "SYNTHETIC_PARKS.md").read_text(encoding="utf-8")
    for phrase in (
        "SYNTHETIC",
        "python -m jimo_eval.programmes.greenspace.synthetic --out data/reference",
        "70 − 30 = 40",
    ):
        assert phrase in text
    assert str(synthetic_parks.DEFAULT_SEED) in text


# --- API ------------------------------------------------------------------------------------------


def test_returned_frames_have_the_documented_types():
    parks, city, residential = synthetic_parks.generate_parks(seed=3)
    assert tuple(parks.columns) == synthetic_parks.PARK_COLUMNS
    assert tuple(city.columns) == synthetic_parks.CITY_COLUMNS
    assert tuple(residential.columns) == synthetic_parks.RESIDENTIAL_COLUMNS
    for column in ("completed_on", "planned_on"):
        assert str(parks[column].dtype) == "datetime64[ns]"
    assert str(residential["population"].dtype) == "int64"
    assert residential["population"].sum() == city["urban_population"].iloc[-1]
    # Calibrated counts hold for any seed.
    built = parks[parks["completed_on"] <= pd.Timestamp(MAY_2023)]
    assert (built["kind"] == "pocket").sum() == 40 and (built["kind"] == "comprehensive").sum() == 11


def test_cli_writes_the_four_files(tmp_path):
    assert synthetic_parks.main(["--out", str(tmp_path), "--seed", "1"]) == 0
    assert all((tmp_path / name).stat().st_size > 0 for name in FILES)
