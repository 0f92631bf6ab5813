"""SYNTHETIC reference data for the green-space report: parks, city statistics, residential blocks.

Real park registers, land-use statistics and population grids are not published at this detail, so
the reports, notebooks and tests run on data generated here and calibrated to the figures in the
district news report of May 2023 (section 城市更新更美):

* built in the urban area by the end of May 2023: 11 comprehensive parks (综合性公园) and 40-odd
  pocket parks (口袋公园), among them 16 upgrades of old green space (既有绿地改造升级, e.g.
  御园小区北, 潮海中学南) and 20-odd built with social investment (撬动社会投资);
* 30 more pocket parks planned, to reach 70; targets: green-land ratio 41 %, park green space
  15 m² per person.

"40-odd built" and "30 more to reach 70" pin the count at exactly 40 pocket parks by 2023-05-31;
the 30 planned ones carry a planned completion date, and ``POCKET_2023H2`` of them are completed in
the second half of 2023 (before the data cut-off ``AS_OF``). 泉悦公园, the large park in the west
that the report says is due in June 2023, is the 12th comprehensive park.

Residential blocks are placed so that the share of population within 500 m of a park built by the
cut-off is ``COVERAGE_500_TARGET`` (a block is either near a built pocket park, as the report
says pocket parks are sited next to housing, or spread around its sub-district centre; the mix is
chosen to hit the target). Planned pocket parks fill gaps, away from the built ones.

Every park name apart from 泉悦公园, 御园小区北 and 潮海中学南 (named in the report) is made up;
coordinates, areas, dates and all statistics are invented, only roughly shaped like Jimo.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jimo_eval.core.synthetic import DEFAULT_SEED, reference_cli, write_reference_files

DATE_FORMAT = "%Y-%m-%d"
AS_OF = pd.Timestamp("2023-12-31")
MAY_2023 = pd.Timestamp("2023-05-31")
PARK_COLUMNS = (
    "park_id",
    "name",
    "name_en",
    "kind",
    "area_m2",
    "completed_on",
    "mode",
    "lon",
    "lat",
    "street",
    "planned_on",
)
CITY_COLUMNS = (
    "year",
    "urban_population",
    "built_up_area_km2",
    "green_land_area_km2",
    "park_green_area_km2",
)
RESIDENTIAL_COLUMNS = ("lon", "lat", "population")

# Published calibration targets (district news report, May 2023).
COMPREHENSIVE_BY_MAY_2023 = 11
POCKET_BY_MAY_2023 = 40  # "40余处" built and "再建成30个 … 达到70个": 70 − 30 = 40
UPGRADES_BY_MAY_2023 = 16
SOCIAL_BY_MAY_2023 = 21  # "20余处"
POCKET_PLANNED_AT_MAY_2023 = 30
POCKET_TARGET = 70
GREEN_LAND_RATIO_TARGET = 0.41
PARK_GREEN_PER_CAPITA_TARGET = 15.0

# Completion pace of pocket parks (accelerating), by year; 2023 means Jan–May.
POCKET_BUILT_PER_YEAR = {2019: 4, 2020: 6, 2021: 9, 2022: 12, 2023: 9}
# Planned pocket parks completed after May 2023 and before the cut-off, by quarter.
POCKET_2023H2 = {"2023Q3": 2, "2023Q4": 2}
COMPREHENSIVE_YEARS = (2005, 2022)  # the 11 comprehensive parks built by May 2023
QUANYUE = {
    "name": "泉悦公园",
    "completed_on": "2023-06-20",
    "street": "蓝村街道",
    "lon": 120.412,
    "lat": 36.372,
}
FIXED_UPGRADES = {"御园小区北口袋公园": "环秀街道", "潮海中学南游园": "潮海街道"}
PLANNED_MONTHS = ("2024-01", "2025-12")  # planned_on of those still planned at the cut-off

# Area (m²): pocket parks mostly 400–10,000, with a few outliers; comprehensive 30,000–600,000.
POCKET_AREA_RANGE = (400.0, 10_000.0)
POCKET_AREA_MEDIAN = {"upgrade": 1_800.0, "new": 2_600.0, "social": 3_400.0}
POCKET_AREA_SIGMA = 0.65
POCKET_AREA_OUTLIERS = ((320.0, 390.0), (11_000.0, 13_000.0), (10_200.0, 10_900.0))
COMPREHENSIVE_AREA_RANGE = (40_000.0, 450_000.0)
QUANYUE_AREA_RANGE = (300_000.0, 520_000.0)

# The urban area (WGS84) and its sub-districts (街道): approximate centres and population shares.
BOX = {"lon": (120.40, 120.52), "lat": (36.35, 36.44)}
MARGIN_DEG = 0.004
STREETS = {
    "环秀街道": (120.462, 36.392, 0.24),
    "通济街道": (120.440, 36.383, 0.22),
    "潮海街道": (120.493, 36.386, 0.20),
    "北安街道": (120.471, 36.421, 0.15),
    "龙山街道": (120.433, 36.418, 0.11),
    "蓝村街道": (120.418, 36.364, 0.08),
}
EARTH_RADIUS_M = 6_371_008.8
POCKET_SPREAD_M = 1_250.0  # built pocket parks around their sub-district centre
POCKET_MIN_SPACING_M = 380.0
PLANNED_MIN_FROM_BUILT_M = 600.0
COMPREHENSIVE_MIN_SPACING_M = 1_700.0

# Residential blocks.
BLOCKS = 3_000
BLOCK_POPULATION = (20, 1_500)
BLOCK_POPULATION_MEDIAN, BLOCK_POPULATION_SIGMA = 160.0, 0.75
BACKGROUND_SPREAD_M = 1_500.0  # blocks around their sub-district centre
NEAR_PARK_SPREAD_M = 210.0  # blocks next to a pocket park (Gaussian offsets)
NEAR_PARK_MIN_M = 40.0
COVERAGE_500_TARGET = 0.84

# City statistics: population ~1 %/yr, green-land ratio and park green per capita creeping up to
# just below the targets.
CITY_YEARS = (2018, 2023)
POPULATION_2018 = 610_000
POPULATION_GROWTH, POPULATION_GROWTH_SD = 0.010, 0.002
BUILT_UP_2018_KM2 = 93.2
BUILT_UP_GROWTH_KM2 = (0.4, 1.0)
GREEN_RATIO = (0.385, 0.406)
PARK_GREEN_PER_CAPITA = (13.2, 14.6)

# Made-up place names for pocket parks (roads, estates, schools); no person's name.
PLACES = (
    "福瑞小区",
    "嘉禾苑",
    "锦绣家园",
    "金水花园",
    "和泰苑",
    "翠湖小区",
    "文峰小区",
    "康乐花园",
    "华府小区",
    "龙泉小区",
    "东关社区",
    "西关社区",
    "南阁社区",
    "北阁社区",
    "新兴路",
    "振华街",
    "文化路",
    "鹤山路",
    "蓝鳌路",
    "烟青路",
    "长江路",
    "黄河路",
    "淮涉河",
    "墨水河",
    "实验小学",
    "第二中学",
    "第三小学",
    "职业学校",
    "人民医院",
    "汽车站",
    "老城墙",
    "商业街",
    "体育场",
    "图书馆",
    "工业园",
    "科技园",
    "农贸市场",
    "古城",
    "滨河小区",
    "书香苑",
)
DIRECTIONS = ("东", "西", "南", "北")
POCKET_SUFFIXES = ("口袋公园", "口袋公园", "游园", "小游园", "街角公园")
# The parks' names in English (name_en), as a ledger kept for English reports would give them: a pocket
# park's from its place, direction and kind; the others' as they are.
PLACES_EN = dict(
    zip(
        PLACES,
        (
            "Furui Estate", "Jiahe Court", "Jinxiu Homes", "Jinshui Garden", "Hetai Court", "Cuihu Estate",
            "Wenfeng Estate", "Kangle Garden", "Huafu Estate", "Longquan Estate", "Dongguan Community",
            "Xiguan Community", "Nange Community", "Beige Community", "Xinxing Road", "Zhenhua Street",
            "Wenhua Road", "Heshan Road", "Lan'ao Road", "Yanqing Road", "Changjiang Road", "Huanghe Road",
            "Huaishe River", "Moshui River", "Experimental Primary School", "No. 2 Middle School",
            "No. 3 Primary School", "Vocational School", "People's Hospital", "Bus Station", "Old City Wall",
            "Commercial Street", "Stadium", "Library", "Industrial Park", "Science Park", "Farmers' Market",
            "Old Town", "Binhe Estate", "Shuxiang Court",
        ),
        strict=True,
    )
)  # fmt: skip
DIRECTIONS_EN = {"东": "East", "西": "West", "南": "South", "北": "North"}
POCKET_SUFFIXES_EN = {
    "口袋公园": "Pocket Park",
    "游园": "Garden",
    "小游园": "Small Garden",
    "街角公园": "Corner Park",
}
# Made-up names of the comprehensive parks, not tied to a sub-district (they are placed at random).
COMPREHENSIVE_NAMES = (
    "墨水河滨河公园",
    "城市体育公园",
    "森林公园",
    "湿地公园",
    "古城文化公园",
    "鹤山路公园",
    "龙泉河公园",
    "蓝鳌路生态公园",
    "新城公园",
    "中央公园",
    "植物园",
)
NAMES_EN = {
    "墨水河滨河公园": "Moshui Riverside Park",
    "城市体育公园": "City Sports Park",
    "森林公园": "Forest Park",
    "湿地公园": "Wetland Park",
    "古城文化公园": "Old Town Culture Park",
    "鹤山路公园": "Heshan Road Park",
    "龙泉河公园": "Longquan River Park",
    "蓝鳌路生态公园": "Lan'ao Road Ecological Park",
    "新城公园": "New Town Park",
    "中央公园": "Central Park",
    "植物园": "Botanical Garden",
    "泉悦公园": "Quanyue Park",
    "御园小区北口袋公园": "Yuyuan Estate North Pocket Park",
    "潮海中学南游园": "Chaohai Middle School South Garden",
}


def name_en(name: str) -> str:
    """A made-up park name in English: a comprehensive park's, Quanyue's and the two upgrades' from
    NAMES_EN, a pocket park's from its place, direction and kind."""
    if name in NAMES_EN:
        return NAMES_EN[name]
    place = next(place for place in PLACES if name.startswith(place))
    direction, kind = name[len(place)], name[len(place) + 1 :]
    return f"{PLACES_EN[place]} {DIRECTIONS_EN[direction]} {POCKET_SUFFIXES_EN[kind]}"


def generate_parks(*, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """SYNTHETIC parks, city statistics and residential blocks for Jimo's urban area.

    Returns ``(parks, city, residential)``:

    * ``parks`` (``PARK_COLUMNS``), sorted by park_id: park_id/name/name_en/kind/mode/street ``str``;
      area_m2 ``float64`` (one decimal); completed_on and planned_on ``datetime64[ns]`` (NaT when
      empty: completed_on for planned parks, planned_on for built ones); lon/lat ``float64``
      (six decimals).
    * ``city`` (``CITY_COLUMNS``), one row per year 2018..2023: year and urban_population
      ``int64``; the areas ``float64`` km² (two decimals).
    * ``residential`` (``RESIDENTIAL_COLUMNS``): lon/lat ``float64`` (six decimals), population
      ``int64``; the populations add up to the 2023 urban population.

    ``write_parks_reference`` formats them for the files.
    """
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    city = _city(rngs[0])
    parks = _park_register(rngs[1])
    _place_comprehensive(rngs[2], parks)
    _place_built_pockets(rngs[3], parks)
    population = _block_population(rngs[4], int(city["urban_population"].iloc[-1]))
    background = _around_centres(rngs[4], _block_streets(rngs[4], BLOCKS), BACKGROUND_SPREAD_M)
    background = _outside_comprehensive(background, parks)
    _place_planned_pockets(rngs[5], parks, background, population)
    residential = _residential(rngs[5], parks, population, background)
    return _finish_parks(parks), city, residential


def write_parks_reference(out_dir, *, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate with ``seed``; write parks.csv, city.csv, residential.csv and SYNTHETIC_PARKS.md
    byte-stably (UTF-8 without BOM, "\\n" line ends, fixed decimals)."""
    parks, city, residential = generate_parks(seed=seed)
    tables = {
        "parks": _format_parks(parks),
        "city": _format_city(city),
        "residential": _format_residential(residential),
    }
    md_text = _synthetic_md(parks, city, residential, seed)
    return write_reference_files(out_dir, tables, "SYNTHETIC_PARKS.md", md_text)


def main(argv=None) -> int:
    return reference_cli(
        argv,
        prog="python -m jimo_eval.programmes.greenspace.synthetic",
        description="Write the SYNTHETIC parks, city and residential tables and SYNTHETIC_PARKS.md.",
        writer=write_parks_reference,
    )


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres (broadcasting), mean Earth radius ``EARTH_RADIUS_M``."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def coverage(parks: pd.DataFrame, residential: pd.DataFrame, radius_m: float, on=AS_OF) -> float:
    """Share of residential population within ``radius_m`` of a park (its point) built by ``on``."""
    built = parks[parks["completed_on"].notna() & (parks["completed_on"] <= pd.Timestamp(on))]
    return _covered_share(built, residential, radius_m)


def _covered_share(sites: pd.DataFrame, residential: pd.DataFrame, radius_m: float) -> float:
    nearest = _nearest_m(residential["lon"], residential["lat"], sites["lon"], sites["lat"])
    population = residential["population"].to_numpy(dtype=float)
    return float(population[nearest <= radius_m].sum() / population.sum())


def _nearest_m(lon, lat, site_lon, site_lat) -> np.ndarray:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    distance = haversine_m(
        lon[:, None], lat[:, None], np.asarray(site_lon)[None, :], np.asarray(site_lat)[None, :]
    )
    return distance.min(axis=1)


# --- the park register: kinds, dates, modes, areas, names -----------------------------------------


def _park_register(rng) -> pd.DataFrame:
    comprehensive = _comprehensive_register(rng)
    pockets = _pocket_register(rng)
    return pd.concat([comprehensive, pockets], ignore_index=True)


def _comprehensive_register(rng) -> pd.DataFrame:
    first, last = COMPREHENSIVE_YEARS
    years = np.sort(rng.choice(np.arange(first, last + 1), COMPREHENSIVE_BY_MAY_2023, replace=False))
    dates = [_dates_in(rng, 1, f"{year}-01-01", f"{year}-12-31")[0] for year in years]
    low, high = np.log(COMPREHENSIVE_AREA_RANGE)
    areas = np.exp(rng.uniform(low, high, COMPREHENSIVE_BY_MAY_2023))
    names = list(rng.permutation(COMPREHENSIVE_NAMES))
    quanyue_area = rng.uniform(*QUANYUE_AREA_RANGE)
    return pd.DataFrame(
        {
            "name": [*names, QUANYUE["name"]],
            "kind": "comprehensive",
            "area_m2": [*areas, quanyue_area],
            "completed_on": pd.to_datetime([*dates, pd.Timestamp(QUANYUE["completed_on"])]),
            "mode": "new",
            "planned_on": pd.NaT,
        }
    )


def _pocket_register(rng) -> pd.DataFrame:
    """70 pocket parks: 40 built by May 2023 (16 upgrades, 21 social, the rest new), 30 planned then,
    of which ``POCKET_2023H2`` are completed by the cut-off."""
    built = []
    for year, count in POCKET_BUILT_PER_YEAR.items():
        end = MAY_2023 if year == MAY_2023.year else pd.Timestamp(f"{year}-12-31")
        built += _dates_in(rng, count, f"{year}-01-01", end)
    assert len(built) == POCKET_BY_MAY_2023
    new = POCKET_BY_MAY_2023 - UPGRADES_BY_MAY_2023 - SOCIAL_BY_MAY_2023
    modes = rng.permutation(
        ["upgrade"] * UPGRADES_BY_MAY_2023 + ["social"] * SOCIAL_BY_MAY_2023 + ["new"] * new
    )
    later = []
    for quarter, count in POCKET_2023H2.items():
        period = pd.Period(quarter, "Q")
        later += _dates_in(rng, count, period.start_time, period.end_time.normalize())
    planned = POCKET_PLANNED_AT_MAY_2023 - len(later)
    first, last = (pd.Period(month, "M") for month in PLANNED_MONTHS)
    months = np.sort(rng.integers(0, (last - first).n + 1, planned))
    planned_on = [(first + int(m)).end_time.normalize() for m in months]
    later_modes = rng.choice(["new", "social", "upgrade"], POCKET_PLANNED_AT_MAY_2023, p=[0.45, 0.35, 0.20])
    frame = pd.DataFrame(
        {
            "kind": "pocket",
            "completed_on": pd.to_datetime([*built, *later, *[pd.NaT] * planned]),
            "mode": [*modes, *later_modes],
            "planned_on": pd.to_datetime([*[pd.NaT] * (len(built) + len(later)), *planned_on]),
        }
    )
    frame["area_m2"] = _pocket_areas(rng, frame["mode"].to_numpy())
    frame["name"] = _pocket_names(rng, frame["mode"].to_numpy(), frame["completed_on"])
    return frame


def _dates_in(rng, count: int, start, end) -> list[pd.Timestamp]:
    """``count`` sorted dates in [start, end], fewer in the winter months (construction season)."""
    days = pd.date_range(start, end, freq="D")
    weights = np.array([0.3, 0.3, 0.7, 1.0, 1.2, 1.2, 1.0, 1.0, 1.3, 1.3, 1.0, 0.8])[days.month - 1]
    picks = np.sort(rng.choice(days.size, count, replace=False, p=weights / weights.sum()))
    return list(days[picks])


def _pocket_areas(rng, modes: np.ndarray) -> np.ndarray:
    median = np.array([POCKET_AREA_MEDIAN[mode] for mode in modes])
    areas = median * np.exp(POCKET_AREA_SIGMA * rng.standard_normal(modes.size))
    low, high = POCKET_AREA_RANGE
    while (outside := (areas < low) | (areas > high)).any():
        redraw = median[outside] * np.exp(POCKET_AREA_SIGMA * rng.standard_normal(int(outside.sum())))
        areas[outside] = redraw
    # A few outliers, so size checks have something to find (a corner plot, two large ones).
    for i, bounds in zip(
        rng.choice(modes.size, len(POCKET_AREA_OUTLIERS), replace=False), POCKET_AREA_OUTLIERS, strict=True
    ):
        areas[i] = rng.uniform(*bounds)
    return areas


def _pocket_names(rng, modes: np.ndarray, completed_on: pd.Series) -> list[str]:
    """Unique made-up names; the two upgrades named in the report go to the first upgrades built."""
    combos = [(place, direction) for place in PLACES for direction in DIRECTIONS]
    picks = rng.choice(len(combos), modes.size, replace=False)
    suffixes = rng.choice(POCKET_SUFFIXES, modes.size)
    names = [f"{combos[p][0]}{combos[p][1]}{suffix}" for p, suffix in zip(picks, suffixes, strict=True)]
    upgrades = [i for i in np.argsort(completed_on.to_numpy(), kind="stable") if modes[i] == "upgrade"]
    for i, fixed in zip(upgrades, FIXED_UPGRADES, strict=False):
        names[i] = fixed
    assert len(set(names)) == len(names)
    return names


# --- places -----------------------------------------------------------------------------------------


def _metres_to_degrees(lat: float) -> tuple[float, float]:
    """Degrees of longitude and latitude per metre at ``lat``."""
    per_lat = 180 / (np.pi * EARTH_RADIUS_M)
    return per_lat / np.cos(np.radians(lat)), per_lat


def _in_box(lon, lat, margin: float = MARGIN_DEG) -> np.ndarray:
    (lon_low, lon_high), (lat_low, lat_high) = BOX["lon"], BOX["lat"]
    lon, lat = np.asarray(lon), np.asarray(lat)
    return (
        (lon >= lon_low + margin)
        & (lon <= lon_high - margin)
        & (lat >= lat_low + margin)
        & (lat <= lat_high - margin)
    )


def _nearest_street(lon, lat) -> np.ndarray:
    names = list(STREETS)
    centres = np.array([STREETS[name][:2] for name in names])
    distance = haversine_m(
        np.asarray(lon)[:, None], np.asarray(lat)[:, None], centres[None, :, 0], centres[None, :, 1]
    )
    return np.array(names)[distance.argmin(axis=1)]


def _gaussian_around(rng, lon: float, lat: float, spread_m: float) -> tuple[float, float]:
    """One point around (lon, lat) with Gaussian offsets, redrawn until inside the box."""
    lon_per_m, lat_per_m = _metres_to_degrees(lat)
    while True:
        dx, dy = spread_m * rng.standard_normal(2)
        point = (lon + dx * lon_per_m, lat + dy * lat_per_m)
        if _in_box(*point):
            return point


def _place_comprehensive(rng, parks: pd.DataFrame) -> None:
    """Spread out over the urban area, at least ``COMPREHENSIVE_MIN_SPACING_M`` apart; 泉悦 in the west."""
    rows = np.flatnonzero(parks["kind"] == "comprehensive")
    lon, lat = np.full(rows.size, np.nan), np.full(rows.size, np.nan)
    quanyue = parks.loc[rows, "name"].to_numpy() == QUANYUE["name"]
    lon[quanyue], lat[quanyue] = QUANYUE["lon"], QUANYUE["lat"]
    (lon_low, lon_high), (lat_low, lat_high) = BOX["lon"], BOX["lat"]
    for i in np.flatnonzero(~quanyue):
        while True:
            x = rng.uniform(lon_low + 2 * MARGIN_DEG, lon_high - 2 * MARGIN_DEG)
            y = rng.uniform(lat_low + 2 * MARGIN_DEG, lat_high - 2 * MARGIN_DEG)
            placed = ~np.isnan(lon)
            if (haversine_m(x, y, lon[placed], lat[placed]) >= COMPREHENSIVE_MIN_SPACING_M).all():
                lon[i], lat[i] = x, y
                break
    parks.loc[rows, "lon"], parks.loc[rows, "lat"] = lon, lat
    parks.loc[rows, "street"] = _nearest_street(lon, lat)
    parks.loc[rows[quanyue], "street"] = QUANYUE["street"]


def _place_built_pockets(rng, parks: pd.DataFrame) -> None:
    """Pocket parks built by May 2023: around sub-district centres (by population share), spaced."""
    rows = np.flatnonzero((parks["kind"] == "pocket") & (parks["completed_on"] <= MAY_2023))
    names = list(STREETS)
    shares = np.array([STREETS[name][2] for name in names])
    taken_lon, taken_lat = [], []
    for row in rows:
        fixed = FIXED_UPGRADES.get(parks.at[row, "name"])
        street = fixed or names[rng.choice(len(names), p=shares / shares.sum())]
        spread = POCKET_SPREAD_M / 3 if fixed else POCKET_SPREAD_M
        while True:
            x, y = _gaussian_around(rng, *STREETS[street][:2], spread)
            spaced = not taken_lon or haversine_m(x, y, taken_lon, taken_lat).min() >= POCKET_MIN_SPACING_M
            if spaced and _clear_of_comprehensive(parks, x, y):
                break
        taken_lon.append(x)
        taken_lat.append(y)
        parks.loc[row, ["lon", "lat"]] = x, y
        parks.loc[row, "street"] = street if fixed else _nearest_street([x], [y])[0]


def _clear_of_comprehensive(parks: pd.DataFrame, lon: float, lat: float) -> bool:
    """Not inside (a disc of the area of) a comprehensive park, with ``POCKET_MIN_SPACING_M`` to spare."""
    big = parks[parks["kind"] == "comprehensive"]
    radius = np.sqrt(big["area_m2"].to_numpy(dtype=float) / np.pi)
    distance = haversine_m(lon, lat, big["lon"].to_numpy(dtype=float), big["lat"].to_numpy(dtype=float))
    return bool((distance >= radius + POCKET_MIN_SPACING_M).all())


def _place_planned_pockets(rng, parks, background: pd.DataFrame, population: np.ndarray) -> None:
    """Pocket parks planned in May 2023 fill gaps: at population-weighted housing sites at least
    ``PLANNED_MIN_FROM_BUILT_M`` from the pocket parks built by then (and spaced among themselves)."""
    rows = np.flatnonzero((parks["kind"] == "pocket") & ~(parks["completed_on"] <= MAY_2023))
    built = parks[(parks["kind"] == "pocket") & (parks["completed_on"] <= MAY_2023)]
    far = (
        _nearest_m(background["lon"], background["lat"], built["lon"], built["lat"])
        >= PLANNED_MIN_FROM_BUILT_M
    )
    candidates = np.flatnonzero(far)
    weights = population[candidates] / population[candidates].sum()
    taken_lon, taken_lat = list(built["lon"]), list(built["lat"])
    lon_per_m, lat_per_m = _metres_to_degrees(36.4)
    for row in rows:
        while True:
            site = candidates[rng.choice(candidates.size, p=weights)]
            dx, dy = 60.0 * rng.standard_normal(2)
            x = background.at[site, "lon"] + dx * lon_per_m
            y = background.at[site, "lat"] + dy * lat_per_m
            spacing = haversine_m(x, y, taken_lon, taken_lat).min()
            spaced = spacing >= max(POCKET_MIN_SPACING_M, 0.8 * PLANNED_MIN_FROM_BUILT_M)
            if spaced and _in_box(x, y) and _clear_of_comprehensive(parks, x, y):
                break
        taken_lon.append(x)
        taken_lat.append(y)
        parks.loc[row, ["lon", "lat"]] = x, y
        parks.loc[row, "street"] = _nearest_street([x], [y])[0]


# --- residential blocks -----------------------------------------------------------------------------


def _block_population(rng, total: int) -> np.ndarray:
    """Integers in ``BLOCK_POPULATION`` adding up to ``total`` exactly."""
    low, high = BLOCK_POPULATION
    raw = BLOCK_POPULATION_MEDIAN * np.exp(BLOCK_POPULATION_SIGMA * rng.standard_normal(BLOCKS))
    population = np.clip(np.rint(raw * total / raw.sum()), low, high).astype(np.int64)
    while (gap := total - int(population.sum())) != 0:
        room = population < high if gap > 0 else population > low
        pick = rng.choice(np.flatnonzero(room), min(abs(gap), int(room.sum())), replace=False)
        population[pick] += np.sign(gap)
    return population


def _block_streets(rng, n: int) -> np.ndarray:
    names = list(STREETS)
    shares = np.array([STREETS[name][2] for name in names])
    return np.array(names)[rng.choice(len(names), n, p=shares / shares.sum())]


def _around_centres(rng, streets: np.ndarray, spread_m: float) -> pd.DataFrame:
    points = [_gaussian_around(rng, *STREETS[street][:2], spread_m) for street in streets]
    return pd.DataFrame(points, columns=["lon", "lat"])


def _outside_comprehensive(blocks: pd.DataFrame, parks: pd.DataFrame) -> pd.DataFrame:
    """Move blocks that would sit inside a comprehensive park (a disc of its area) to its edge."""
    blocks = blocks.copy()
    for _, park in parks[parks["kind"] == "comprehensive"].iterrows():
        radius = np.sqrt(park["area_m2"] / np.pi)
        distance = haversine_m(blocks["lon"], blocks["lat"], park["lon"], park["lat"])
        inside = distance < radius + 30
        scale = (radius + 30) / np.maximum(distance[inside], 1.0)
        blocks.loc[inside, "lon"] = park["lon"] + (blocks.loc[inside, "lon"] - park["lon"]) * scale
        blocks.loc[inside, "lat"] = park["lat"] + (blocks.loc[inside, "lat"] - park["lat"]) * scale
    return blocks


def _residential(rng, parks: pd.DataFrame, population: np.ndarray, background: pd.DataFrame) -> pd.DataFrame:
    """Each block is next to a pocket park built by the cut-off or at its background place; the share
    of blocks next to a park is chosen so 500 m coverage at the cut-off is ``COVERAGE_500_TARGET``."""
    built = parks[parks["completed_on"].notna() & (parks["completed_on"] <= AS_OF)]
    pockets = built[built["kind"] == "pocket"].reset_index(drop=True)
    anchor = rng.integers(0, len(pockets), BLOCKS)
    near = pd.DataFrame(
        [_near(rng, pockets.at[a, "lon"], pockets.at[a, "lat"]) for a in anchor], columns=["lon", "lat"]
    )
    near = _outside_comprehensive(near, parks)
    background, near = background.round(6), near.round(6)
    u = rng.random(BLOCKS)
    covered = {
        name: _nearest_m(frame["lon"], frame["lat"], built["lon"].round(6), built["lat"].round(6)) <= 500
        for name, frame in (("near", near), ("background", background))
    }
    grid = np.linspace(0, 1, 1001)
    shares = [
        population[np.where(u < f, covered["near"], covered["background"])].sum() / population.sum()
        for f in grid
    ]
    f = grid[int(np.argmin(np.abs(np.array(shares) - COVERAGE_500_TARGET)))]
    chosen = u < f
    blocks = pd.DataFrame(
        {
            "lon": np.where(chosen, near["lon"], background["lon"]),
            "lat": np.where(chosen, near["lat"], background["lat"]),
            "population": population,
        }
    )
    return blocks.sort_values(["lon", "lat"], kind="stable").reset_index(drop=True)


def _near(rng, lon: float, lat: float) -> tuple[float, float]:
    lon_per_m, lat_per_m = _metres_to_degrees(lat)
    while True:
        dx, dy = NEAR_PARK_SPREAD_M * rng.standard_normal(2)
        if np.hypot(dx, dy) >= NEAR_PARK_MIN_M and _in_box(lon + dx * lon_per_m, lat + dy * lat_per_m, 0.0):
            return lon + dx * lon_per_m, lat + dy * lat_per_m


# --- city statistics --------------------------------------------------------------------------------


def _city(rng) -> pd.DataFrame:
    first, last = CITY_YEARS
    years = np.arange(first, last + 1)
    growth = 1 + POPULATION_GROWTH + POPULATION_GROWTH_SD * rng.standard_normal(years.size - 1)
    population = np.rint(POPULATION_2018 * np.concatenate([[1.0], np.cumprod(growth)]) / 100) * 100
    built_up = BUILT_UP_2018_KM2 + np.concatenate(
        [[0.0], np.cumsum(rng.uniform(*BUILT_UP_GROWTH_KM2, years.size - 1))]
    )
    ratio = _rising_path(rng, *GREEN_RATIO, years.size)
    per_capita = _rising_path(rng, *PARK_GREEN_PER_CAPITA, years.size)
    return pd.DataFrame(
        {
            "year": years.astype(np.int64),
            "urban_population": population.astype(np.int64),
            "built_up_area_km2": np.round(built_up, 2),
            "green_land_area_km2": np.round(ratio * built_up, 2),
            "park_green_area_km2": np.round(per_capita * population / 1e6, 2),
        }
    )


def _rising_path(rng, start: float, end: float, n: int) -> np.ndarray:
    """From ``start`` to ``end`` in ``n`` steps, each step up by a random share of the rise."""
    steps = rng.dirichlet(np.full(n - 1, 6.0))
    return start + (end - start) * np.concatenate([[0.0], np.cumsum(steps)])


# --- output -----------------------------------------------------------------------------------------


def _finish_parks(parks: pd.DataFrame) -> pd.DataFrame:
    """Ids in order of completion (planned ones last, by planned date); rounded as in the file."""
    order = parks.assign(_key=parks["completed_on"].fillna(parks["planned_on"] + pd.Timedelta(days=36_500)))
    parks = order.sort_values(["_key", "kind"], kind="stable").drop(columns="_key").reset_index(drop=True)
    parks["park_id"] = [f"P{i:03d}" for i in range(1, len(parks) + 1)]
    parks["area_m2"] = parks["area_m2"].astype(float).round(1)
    parks["lon"] = parks["lon"].astype(float).round(6)
    parks["lat"] = parks["lat"].astype(float).round(6)
    parks["name_en"] = [name_en(name) for name in parks["name"]]
    for column in ("park_id", "name", "name_en", "kind", "mode", "street"):
        parks[column] = parks[column].astype(str)
    for column in ("completed_on", "planned_on"):
        parks[column] = parks[column].astype("datetime64[ns]")
    return parks[list(PARK_COLUMNS)]


def _format_parks(parks: pd.DataFrame) -> pd.DataFrame:
    out = parks[list(PARK_COLUMNS)].copy()
    for column in ("completed_on", "planned_on"):
        out[column] = out[column].dt.strftime(DATE_FORMAT).fillna("")
    out["area_m2"] = out["area_m2"].map("{:.1f}".format)
    for column in ("lon", "lat"):
        out[column] = out[column].map("{:.6f}".format)
    return out


def _format_city(city: pd.DataFrame) -> pd.DataFrame:
    out = city[list(CITY_COLUMNS)].copy()
    for column in ("built_up_area_km2", "green_land_area_km2", "park_green_area_km2"):
        out[column] = out[column].map("{:.2f}".format)
    return out


def _format_residential(residential: pd.DataFrame) -> pd.DataFrame:
    out = residential[list(RESIDENTIAL_COLUMNS)].copy()
    for column in ("lon", "lat"):
        out[column] = out[column].map("{:.6f}".format)
    return out


def _synthetic_md(parks: pd.DataFrame, city: pd.DataFrame, residential: pd.DataFrame, seed: int) -> str:
    pocket = parks[parks["kind"] == "pocket"]
    by_may = pocket[pocket["completed_on"] <= MAY_2023]
    later = pocket[(pocket["completed_on"] > MAY_2023) & (pocket["completed_on"] <= AS_OF)]
    planned = pocket[pocket["completed_on"].isna()]
    big = parks[parks["kind"] == "comprehensive"]
    big_by_may = big[big["completed_on"] <= MAY_2023]
    modes = by_may["mode"].value_counts()
    area = pocket["area_m2"]
    low, high = POCKET_AREA_RANGE
    lines = [
        "# SYNTHETIC reference data — parks, city statistics, residential blocks (not real)",
        "",
        "**Everything in `parks.csv`, `city.csv` and `residential.csv` is synthetic.** They were made up",
        "by a seeded random generator, only roughly shaped like Jimo's urban area: no row is a surveyed",
        "park, a published statistic or a real residential block. Park names are invented (any match",
        f"with a real place is chance), except {QUANYUE['name']} and the upgrades "
        f"{'、'.join(FIXED_UPGRADES)}, which",
        "the district news report names; their areas, dates and positions here are invented too.",
        "Coordinates are WGS84 degrees; do not use them to find anything.",
        "",
        "## How it is made",
        "",
        "`python -m jimo_eval.programmes.greenspace.synthetic --out data/reference`, code in",
        f"`lib/jimo_eval/programmes/greenspace/synthetic.py`, seed `{seed}`.",
        "The same seed gives byte-identical files.",
        "",
        "## What it is calibrated to (district news report, May 2023, 城市更新更美)",
        "",
        f"- Built by {MAY_2023:%Y-%m-%d}: exactly {COMPREHENSIVE_BY_MAY_2023} comprehensive parks "
        "(综合性公园) and",
        f"  exactly {POCKET_BY_MAY_2023} pocket parks (口袋公园); among those pocket parks exactly "
        f"{UPGRADES_BY_MAY_2023} upgrades of old",
        f"  green space (mode `upgrade`) and {SOCIAL_BY_MAY_2023} built with social investment (`social`, "
        '"20余处"); the rest `new`.',
        f'- "40余处" built and "再建成30个 … 达到70个": the report\'s own arithmetic, '
        f"{POCKET_TARGET} − {POCKET_PLANNED_AT_MAY_2023} = {POCKET_BY_MAY_2023},",
        f'  pins the built count at {POCKET_BY_MAY_2023} ("40-odd" read as 40), so the file holds '
        f"{POCKET_TARGET} pocket parks: {POCKET_BY_MAY_2023} built",
        f"  by {MAY_2023:%Y-%m-%d} and {POCKET_PLANNED_AT_MAY_2023} planned then. Of the planned ones, "
        f"{sum(POCKET_2023H2.values())} are completed in 2023H2 (so the",
        "  2023Q3/Q4 reports see progress; their `planned_on` is empty, as for every built park); the",
        f"  other {POCKET_PLANNED_AT_MAY_2023 - sum(POCKET_2023H2.values())} are still planned at the "
        f"cut-off {AS_OF:%Y-%m-%d}, with `planned_on` from {PLANNED_MONTHS[0]} to {PLANNED_MONTHS[1]}.",
        f"- {QUANYUE['name']} (a large park in the west, due June 2023) is the 12th comprehensive park, "
        f"completed {QUANYUE['completed_on']}.",
        f"- Targets: green-land ratio {GREEN_LAND_RATIO_TARGET:.0%}, park green space "
        f"{PARK_GREEN_PER_CAPITA_TARGET:g} m² per person;",
        "  `city.csv` approaches both and reaches neither by 2023.",
        "",
        "## Assumptions (not published)",
        "",
        "- Pocket parks completed per year (accelerating): "
        + ", ".join(
            f"{year}{' Jan–May' if year == MAY_2023.year else ''}: {n}"
            for year, n in POCKET_BUILT_PER_YEAR.items()
        )
        + f"; comprehensive parks {COMPREHENSIVE_YEARS[0]}–{COMPREHENSIVE_YEARS[1]}.",
        f"- Pocket parks mostly {low:,.0f}–{high:,.0f} m² (log-normal by mode: upgrades smallest, social",
        f"  largest), with {len(POCKET_AREA_OUTLIERS)} outliers outside that range; comprehensive parks "
        f"{COMPREHENSIVE_AREA_RANGE[0]:,.0f}–{COMPREHENSIVE_AREA_RANGE[1]:,.0f} m²",
        f"  ({QUANYUE['name']} {QUANYUE_AREA_RANGE[0]:,.0f}–{QUANYUE_AREA_RANGE[1]:,.0f} m²).",
        f"- Urban area lon {BOX['lon'][0]:.2f}–{BOX['lon'][1]:.2f}, "
        f"lat {BOX['lat'][0]:.2f}–{BOX['lat'][1]:.2f}; "
        "six sub-districts (街道) with approximate",
        "  centres and population shares: "
        + ", ".join(f"{name} {share:.0%}" for name, (_, _, share) in STREETS.items())
        + ".",
        "- Comprehensive parks are spread out at random (at least "
        f"{COMPREHENSIVE_MIN_SPACING_M / 1000:.1f} km apart); pocket parks built by May 2023",
        "  cluster around the sub-district centres; planned ones fill gaps, at housing at least "
        f"{PLANNED_MIN_FROM_BUILT_M:.0f} m from",
        "  the pocket parks built by then. No pocket park lies inside a comprehensive park.",
        f"- {BLOCKS:,} residential blocks, {BLOCK_POPULATION[0]}–{BLOCK_POPULATION[1]:,} people each, adding "
        "up to the 2023 urban population. Each",
        "  block lies either next to a pocket park built by the cut-off or around its sub-district centre;",
        f"  the mix is chosen so that {COVERAGE_500_TARGET:.0%} of the population is within 500 m of a "
        "park built by the cut-off.",
        "- Urban population +1 %/year; green-land ratio "
        f"{GREEN_RATIO[0]:.1%} → {GREEN_RATIO[1]:.1%} and park green space {PARK_GREEN_PER_CAPITA[0]:g} → "
        f"{PARK_GREEN_PER_CAPITA[1]:g} m²",
        "  per person from 2018 to 2023, rising every year.",
        "",
        "## Realised figures in these files",
        "",
        f"- {len(parks)} parks: {len(big)} comprehensive ({len(big_by_may)} by {MAY_2023:%Y-%m-%d}), "
        f"{len(pocket)} pocket: {len(by_may)} by {MAY_2023:%Y-%m-%d}",
        f"  ({modes.get('upgrade', 0)} upgrade, {modes.get('social', 0)} social, {modes.get('new', 0)} new), "
        f"{len(later)} completed {_span(later['completed_on'])},",
        f"  {len(planned)} planned ({_span(planned['planned_on'])}).",
        f"- Pocket park areas: median {area.median():,.0f} m², "
        f"{area.between(low, high).sum()} of {len(area)} within "
        f"{low:,.0f}–{high:,.0f} m²; outliers "
        + ", ".join(f"{a:,.1f}" for a in sorted(area[~area.between(low, high)]))
        + " m².",
        f"- Comprehensive park areas {big['area_m2'].min():,.0f}–{big['area_m2'].max():,.0f} m².",
        f"- {len(residential):,} residential blocks, {int(residential['population'].sum()):,} people "
        f"({int(residential['population'].min())}–{int(residential['population'].max()):,} per block).",
        "",
        "| completed | comprehensive | pocket |",
        "|---|---:|---:|",
        *_completion_rows(parks),
        "",
        "Share of the residential population within 300 m and 500 m (great-circle distance to a park's",
        "point) of a park built by the date:",
        "",
        "| parks built by | parks | within 300 m | within 500 m |",
        "|---|---:|---:|---:|",
        *_coverage_rows(parks, residential),
        "",
        "| year | urban population | built-up km² | green land km² | green-land ratio | park green km² | "
        "park green m²/person |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *_city_rows(city),
        "",
        "## Known artefacts",
        "",
        "- Coverage is measured to each park's single point, so blocks along the edge of a large park",
        "  count only if within the radius of its centre.",
        "- `park_green_area_km2` counts all park green space (community and strip parks too), so it is",
        "  much larger than the areas in `parks.csv`.",
        "- The sub-district centres are approximate and 蓝村街道 (in reality further west) is drawn",
        "  inside the box; the `street` of a park is the nearest centre, except the two named upgrades.",
        f"- No planned park is overdue at the cut-off: all `planned_on` dates are after {AS_OF:%Y-%m-%d}.",
        "",
    ]
    return "\n".join(lines)


def _span(dates: pd.Series) -> str:
    return f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"


def _completion_rows(parks: pd.DataFrame) -> list[str]:
    built = parks[parks["completed_on"].notna()]
    label = built["completed_on"].dt.year.astype(str)
    label = label.where(
        label != "2023", np.where(built["completed_on"] <= MAY_2023, "2023 Jan–May", "2023 Jun–Dec")
    )
    table = pd.crosstab(label, built["kind"]).reindex(columns=["comprehensive", "pocket"], fill_value=0)
    early = table[table.index < str(min(POCKET_BUILT_PER_YEAR))]
    rows = [
        f"| before {min(POCKET_BUILT_PER_YEAR)} | {early['comprehensive'].sum()} | {early['pocket'].sum()} |"
    ]
    rows += [
        f"| {year} | {row['comprehensive']} | {row['pocket']} |"
        for year, row in table.drop(early.index).iterrows()
    ]
    return rows


def _coverage_rows(parks: pd.DataFrame, residential: pd.DataFrame) -> list[str]:
    everything = parks.assign(completed_on=parks["completed_on"].fillna(parks["planned_on"]))
    cases = [
        (f"{MAY_2023:%Y-%m-%d}", parks, MAY_2023),
        (f"{AS_OF:%Y-%m-%d} (cut-off)", parks, AS_OF),
        (
            f"{everything['completed_on'].max():%Y-%m-%d} (all planned built)",
            everything,
            everything["completed_on"].max(),
        ),
    ]
    rows = []
    for label, table, on in cases:
        count = int((table["completed_on"] <= on).sum())
        shares = [coverage(table, residential, radius, on) for radius in (300, 500)]
        rows.append(f"| {label} | {count} | {shares[0]:.1%} | {shares[1]:.1%} |")
    return rows


def _city_rows(city: pd.DataFrame) -> list[str]:
    rows = []
    for _, row in city.iterrows():
        ratio = row["green_land_area_km2"] / row["built_up_area_km2"]
        per_capita = row["park_green_area_km2"] * 1e6 / row["urban_population"]
        rows.append(
            f"| {int(row['year'])} | {int(row['urban_population']):,} | {row['built_up_area_km2']:.2f} | "
            f"{row['green_land_area_km2']:.2f} | {ratio:.2%} | {row['park_green_area_km2']:.2f} | "
            f"{per_capita:.2f} |"
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
