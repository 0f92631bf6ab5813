"""Parks and green space in Jimo's urban area, against the published targets and national floors.

Definitions (the contract every report uses):
    built by a day            = ``completed_on`` on or before that day (empty ``completed_on`` = planned);
    green-land ratio          = green_land_area_km2 ÷ built_up_area_km2, a fraction (0.41, not 41);
    park green per capita     = park_green_area_km2 × 10⁶ ÷ urban_population, in m² per person;
    service-radius coverage   = share of residential population whose great-circle distance to the
                                location of at least one built park (any kind) is ≤ the radius;
    pocket-park pace          = pocket parks completed in the last ``RECENT_YEARS`` years ÷ ``RECENT_YEARS``,
                                projected linearly to the end of the target year;
    count reached by the end  = built + future completions, a Poisson count whose rate is only known from
    of the target year          the recent completions: negative binomial (``future_completions``), which
                                gives the 95% prediction interval and ``p_reach_target``.

The city-wide figures come from the latest ``city`` row whose year is not after the report day, the
report day being the period end or ``as_of``, whichever is earlier.

Published targets (district news report, May 2023): 70 pocket parks in the urban area (11 comprehensive
parks and 40+ pocket parks built by then, 30 more planned), green-land ratio 41% and park green space
15 m² per person by 2025. National floors: GB 55014-2021 (园林绿化工程项目规范). Pocket-park size:
MOHURD notice of 2022 on building pocket parks (住房和城乡建设部办公厅关于推动"口袋公园"建设的通知).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import chi2, nbinom

from jimo_eval.core.stats import CONFIDENCE, rounded
from jimo_eval.core.subgroups import empty_subgroup, records, with_empty_subgroups

# The pace verdict (on track when P(target reached in time) ≥ ON_TRACK_P, …), its words and the keys of
# the metrics are declared in greenspace_schema, which the scorecard reads too (light); re-exported here.
from jimo_eval.programmes.greenspace.schema import OFF_TRACK as OFF_TRACK
from jimo_eval.programmes.greenspace.schema import OFF_TRACK_P as OFF_TRACK_P
from jimo_eval.programmes.greenspace.schema import ON_TRACK as ON_TRACK
from jimo_eval.programmes.greenspace.schema import ON_TRACK_P as ON_TRACK_P
from jimo_eval.programmes.greenspace.schema import SERVICE_RADII_M as SERVICE_RADII_M
from jimo_eval.programmes.greenspace.schema import UNCERTAIN as UNCERTAIN
from jimo_eval.programmes.greenspace.schema import GreenspaceMetrics, pace_verdict

# GB 55014-2021: park green space per person above 8.0 m², park service-radius coverage above 80%. The
# reports set the coverage floor against the population-weighted share of ``coverage_share``.
NATIONAL_PARK_GREEN_PER_CAPITA_M2 = 8.0
NATIONAL_COVERAGE = 0.80
# MOHURD 2022: pocket parks are open, small green spaces of 400–10,000 m² (bounds inclusive).
POCKET_PARK_MIN_M2 = 400
POCKET_PARK_MAX_M2 = 10_000
# IUGG mean Earth radius R₁ = (2a + b) / 3; the spherical error is < 0.5% at city scale.
EARTH_RADIUS_M = 6_371_008.8
# Years of completions the pace is measured over: long enough to smooth one campaign year, short
# enough to reflect the current programme.
RECENT_YEARS = 3
DAYS_PER_YEAR = 365.25
# Prior on the pace λ (parks a year) behind the predictive distribution: Jeffreys, π(λ) ∝ λ^(−1/2), i.e. a
# Gamma of shape ½ and rate 0. Its 95% prediction intervals cover the count actually reached 95.5–97%
# of the time for true paces of 5–20 a year, 1–3 years ahead (tests/test_greenspace_projection.py).
PACE_PRIOR_SHAPE = 0.5
POCKET, COMPREHENSIVE = "pocket", "comprehensive"
KNOWN_MODES = ("upgrade", "new", "social")
BELOW_MIN, ABOVE_MAX = "below 400 m²", "above 10,000 m²"
# Residential points per distance block in ``coverage_share``: bounds the block to ~1M distances (8 MB)
# whatever the number of parks.
_DISTANCES_PER_BLOCK = 1_000_000


def end_of_day(day) -> pd.Timestamp:
    """The first moment after ``day``: a date-only day includes all of its hours."""
    return pd.Timestamp(day).normalize() + pd.Timedelta(days=1)


def built_by(parks: pd.DataFrame, day, kind: str | None = None) -> pd.DataFrame:
    """Parks with ``completed_on`` on or before ``day`` (any time that day), optionally of one kind.

    Planned parks (``completed_on`` empty) are never built: NaT compares false.
    """
    built = parks[parks["completed_on"] < end_of_day(day)]
    if kind is not None:
        built = built[built["kind"] == kind]
    return built


def city_year(city: pd.DataFrame, day) -> pd.Series | None:
    """The ``city`` row of the latest year not after ``day``'s year; None when every row is later."""
    known = city[city["year"] <= pd.Timestamp(day).year]
    if known.empty:
        return None
    return known.loc[known["year"].idxmax()]


def green_land_ratio(row: pd.Series) -> float:
    """Green-land area ÷ built-up area, as a fraction (target 0.41)."""
    return float(row["green_land_area_km2"]) / float(row["built_up_area_km2"])


def park_green_per_capita_m2(row: pd.Series) -> float:
    """Park green area in m² (km² × 10⁶) per urban resident (target 15, national floor 8.0)."""
    return float(row["park_green_area_km2"]) * 1e6 / float(row["urban_population"])


def haversine_m(lon1, lat1, lon2, lat2):
    """Great-circle distance in metres on a sphere of radius ``EARTH_RADIUS_M``; inputs in degrees.

    Arguments broadcast like numpy arrays (e.g. a column against a row gives a distance matrix). The
    haversine form stays accurate for the short distances that matter here, where the spherical law
    of cosines loses digits.
    """
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(value, dtype=float)) for value in (lon1, lat1, lon2, lat2)
    )
    half_chord = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    # Rounding can push the haversine a hair above 1 for antipodal points; arcsin would return NaN.
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(half_chord, 1.0)))


def coverage_share(
    residential: pd.DataFrame | None, parks: pd.DataFrame, radius_m: float = 500
) -> float | None:
    """Population-weighted share of residential points within ``radius_m`` of any park in ``parks``.

    Distance is from the residential point to the park's location (one point per park), so a large
    park is treated as reachable only from its centre: a conservative reading of the service radius.
    Pass the parks built by the report day. None when there are no residential data or no one lives
    in them; 0.0 when there are residents but no parks.
    """
    if residential is None or residential.empty:
        return None
    population = residential["population"].to_numpy(dtype=float)
    total = population.sum()
    if total <= 0:
        return None
    if parks.empty:
        return 0.0
    park_lon = parks["lon"].to_numpy(dtype=float)[np.newaxis, :]
    park_lat = parks["lat"].to_numpy(dtype=float)[np.newaxis, :]
    home_lon = residential["lon"].to_numpy(dtype=float)
    home_lat = residential["lat"].to_numpy(dtype=float)
    covered = np.zeros(len(residential), dtype=bool)
    block = max(1, _DISTANCES_PER_BLOCK // park_lon.shape[1])
    for start in range(0, len(residential), block):
        rows = slice(start, start + block)
        distances = haversine_m(home_lon[rows, np.newaxis], home_lat[rows, np.newaxis], park_lon, park_lat)
        covered[rows] = (distances <= radius_m).any(axis=1)
    return float(population[covered].sum() / total)


def poisson_exact_interval(count: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Garwood 1936) interval for a Poisson mean from one observed ``count``.

    low = χ²(α/2; 2k) / 2 (0 when k = 0), high = χ²(1 − α/2; 2k + 2) / 2: the means at which seeing
    ≥ k, respectively ≤ k, events has probability α/2. Same as R's ``poisson.test(k)$conf.int``.
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. Biometrika 28, 437–442.
    """
    alpha = 1 - confidence
    low = 0.0 if count == 0 else chi2.ppf(alpha / 2, 2 * count) / 2
    high = chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(low), float(high)


def future_completions(recent: int, years: float, window_years: float = RECENT_YEARS):
    """Predictive distribution of the pocket parks completed in the next ``years`` years (a frozen
    ``scipy.stats.nbinom``), from ``recent`` = k completed in the last T = ``window_years`` years.

    Model: completions are a Poisson process of constant rate λ a year, the model of the pace and its
    Garwood interval. λ is only known through k ~ Poisson(λT): with the Jeffreys prior
    π(λ) ∝ λ^(−1/2) (``PACE_PRIOR_SHAPE`` = ½) the posterior is λ ~ Gamma(shape k + ½, rate T), and the
    count Y in the next t = ``years`` years, Poisson(λt) given λ, is negative binomial:

        P(Y = y) = Γ(y + k + ½) / (Γ(k + ½) · y!) · pᵏ⁺½ · (1 − p)ʸ,   p = T / (T + t),

    ``nbinom(n=k + ½, p=T/(T + t))``, of mean (k + ½)·t/T and variance (k + ½)·t·(T + t)/T²: the Poisson
    variance of the future count plus the uncertainty of its rate. Only t > 0 makes sense here.
    """
    return nbinom(recent + PACE_PRIOR_SHAPE, window_years / (window_years + years))


def prediction_interval(
    built: int, recent: int, years: float, confidence: float = CONFIDENCE
) -> tuple[int, int]:
    """Equal-tailed prediction interval for the count built ``years`` years from now: built + the
    α/2 and 1 − α/2 quantiles of ``future_completions`` (each tail outside it holds at most α/2 of the
    predictive probability). (built, built) when no time is left."""
    if years <= 0:
        return built, built
    alpha = 1 - confidence
    low, high = future_completions(recent, years).ppf([alpha / 2, 1 - alpha / 2])
    return built + int(low), built + int(high)


def reach_probability(built: int, recent: int, years: float, target: int) -> float:
    """P(built + future completions ≥ target) under ``future_completions``: 1 once the target is
    reached, 0 when it is not and no time is left."""
    missing = target - built
    if missing <= 0:
        return 1.0
    if years <= 0:
        return 0.0
    return float(future_completions(recent, years).sf(missing - 1))


@dataclass(frozen=True)
class Projection:
    """Pocket parks built by ``day`` and where the recent pace takes them by the end of ``target_year``.

    Time is counted from the end of ``day`` to the end of 31 December of ``target_year``, in years of
    365.25 days. ``projected`` continues the observed pace; ``projected_band`` and ``p_reach_target``
    come from the predictive distribution of the count that will be reached (``future_completions``).
    """

    day: pd.Timestamp
    built: int
    target: int
    target_year: int
    recent_completions: int  # completed_on in (day − RECENT_YEARS years, day]
    rate_per_year: float  # recent_completions / RECENT_YEARS
    rate_ci: tuple[float, float]  # the pace's Garwood 95% interval: on recent_completions, per year
    years_left: float
    projected: float  # built + rate_per_year × years_left
    # 95% prediction interval for the count built by the end of target_year (integers; see
    # ``prediction_interval``). Not an interval for the expected count: it covers the count reached.
    projected_band: tuple[int, int]
    # (target − built) / years_left; 0 once the target is reached; None when no time is left and the
    # target is not reached (no finite pace would do).
    needed_rate_per_year: float | None
    # The median of the predictive distribution of the count built by the end of target_year reaches
    # the target; the same as p_reach_target > ½. Kept for metrics.json readers: the reports print the
    # three-way ``verdict`` with p_reach_target instead.
    on_track: bool
    # Calendar year in which built + rate × t reaches the target; day's year when already reached;
    # None when the recent pace is zero and the target is not reached.
    projected_target_year: int | None
    # P(count built by the end of target_year ≥ target), from the same predictive distribution.
    p_reach_target: float

    @property
    def verdict(self) -> str:
        """``ON_TRACK`` / ``UNCERTAIN`` / ``OFF_TRACK`` by ``p_reach_target`` (see ``pace_verdict``)."""
        return pace_verdict(self.p_reach_target)


def project_pocket_parks(parks: pd.DataFrame, day, target_count: float, target_year: float) -> Projection:
    """Pocket parks built, projected at the pace of the last ``RECENT_YEARS`` years, with the
    prediction interval and probability of reaching the target from ``future_completions``."""
    day = pd.Timestamp(day).normalize()
    now = end_of_day(day)
    pocket = built_by(parks, day, POCKET)
    built = len(pocket)
    target, target_year = int(target_count), int(target_year)
    window_start = now - pd.DateOffset(years=RECENT_YEARS)
    recent = int((pocket["completed_on"] >= window_start).sum())
    rate = recent / RECENT_YEARS
    count_low, count_high = poisson_exact_interval(recent)
    rate_ci = (count_low / RECENT_YEARS, count_high / RECENT_YEARS)
    target_end = pd.Timestamp(year=target_year + 1, month=1, day=1)
    years_left = max(0.0, (target_end - now) / pd.Timedelta(days=1) / DAYS_PER_YEAR)
    missing = target - built
    if missing <= 0:
        needed, reach_year = 0.0, day.year
    else:
        needed = missing / years_left if years_left > 0 else None
        reach_year = _year_reached(now, missing / rate) if rate > 0 else None
    p_reach = reach_probability(built, recent, years_left, target)
    return Projection(
        day=day,
        built=built,
        target=target,
        target_year=target_year,
        recent_completions=recent,
        rate_per_year=rate,
        rate_ci=rate_ci,
        years_left=years_left,
        projected=built + rate * years_left,
        projected_band=prediction_interval(built, recent, years_left),
        needed_rate_per_year=needed,
        on_track=p_reach > 0.5,
        projected_target_year=reach_year,
        p_reach_target=p_reach,
    )


def _year_reached(now: pd.Timestamp, years: float) -> int:
    """Calendar year of the moment ``years`` after ``now``; a moment at midnight of 1 January closes
    the previous year, as the target year's deadline does."""
    moment = now + pd.Timedelta(days=years * DAYS_PER_YEAR)
    return (moment - pd.Timedelta(microseconds=1)).year


def completions_by_year(parks: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """Parks completed per calendar year (years without completions kept as 0) and the running total.

    Planned parks are left out; pass ``built_by(parks, day)`` to stop the count at the report day.
    """
    done = parks[parks["completed_on"].notna()]
    if kind is not None:
        done = done[done["kind"] == kind]
    if done.empty:
        return pd.DataFrame({column: pd.Series(dtype=int) for column in ("year", "completed", "cumulative")})
    counts = done["completed_on"].dt.year.value_counts()
    years = range(int(counts.index.min()), int(counts.index.max()) + 1)
    completed = counts.reindex(years, fill_value=0).to_numpy(dtype=int)
    return pd.DataFrame({"year": list(years), "completed": completed, "cumulative": completed.cumsum()})


def mix_by_mode(parks_built: pd.DataFrame) -> pd.DataFrame:
    """Parks and their total area by how they were built: upgrade, new, social, then any other mode."""
    grouped = parks_built.groupby("mode", sort=False)["area_m2"].agg(parks="size", area_m2="sum")
    order = [mode for mode in KNOWN_MODES if mode in grouped.index]
    order += sorted(mode for mode in grouped.index if mode not in KNOWN_MODES)
    mix = grouped.reindex(order).reset_index()
    return mix.astype({"parks": int, "area_m2": float})


def pocket_parks_outside_size(parks_built: pd.DataFrame) -> pd.DataFrame:
    """Pocket parks smaller than 400 m² or larger than 10,000 m² (the bounds themselves pass)."""
    pocket = parks_built[parks_built["kind"] == POCKET]
    area = pocket["area_m2"]
    flagged = pocket[(area < POCKET_PARK_MIN_M2) | (area > POCKET_PARK_MAX_M2)]
    issue = np.where(flagged["area_m2"] < POCKET_PARK_MIN_M2, BELOW_MIN, ABOVE_MAX)
    shown = [column for column in ("park_id", "name", "name_en", "area_m2") if column in flagged]
    return flagged[shown].assign(issue=issue).reset_index(drop=True)


@dataclass(frozen=True)
class GreenspaceResult:
    day: pd.Timestamp
    built: pd.DataFrame  # every park built by ``day``, any kind (for the map)
    projection: Projection
    comprehensive_parks_built: int
    city_row: pd.Series | None
    targets: dict
    coverage_300m: float | None
    coverage_500m: float | None
    by_year: pd.DataFrame  # pocket parks completed per year up to ``day``
    mix: pd.DataFrame
    outside_size: pd.DataFrame
    residential: pd.DataFrame | None = None  # for the map
    empty_subgroups: list[dict] = field(default_factory=list)

    @property
    def green_land_ratio(self) -> float | None:
        return None if self.city_row is None else green_land_ratio(self.city_row)

    @property
    def park_green_per_capita_m2(self) -> float | None:
        return None if self.city_row is None else park_green_per_capita_m2(self.city_row)

    def metrics(self) -> GreenspaceMetrics:
        """The ``greenspace`` section of metrics.json. Ratios and shares are fractions.

        ``projected_band`` is the 95% prediction interval for the count of pocket parks built by the end
        of ``target_year`` (whole parks); ``rate_ci`` the 95% interval of the pace; ``p_reach_target``
        the probability that the count built by then reaches the target, ``on_track`` whether the median
        of that count does (``Projection``).
        """
        return with_empty_subgroups(self._figures(), self.empty_subgroups)

    def _figures(self) -> GreenspaceMetrics:
        projection = self.projection
        return {
            "pocket_parks_built": projection.built,
            "pocket_parks_target": projection.target,
            "green_land_ratio": rounded(self.green_land_ratio),
            "park_green_per_capita_m2": rounded(self.park_green_per_capita_m2, 2),
            "on_track": bool(projection.on_track),
            "projected_target_year": projection.projected_target_year,
            "coverage_500m": rounded(self.coverage_500m),
            "comprehensive_parks_built": self.comprehensive_parks_built,
            "city_year": None if self.city_row is None else int(self.city_row["year"]),
            "green_land_ratio_target": rounded(self.targets["green_land_ratio"]),
            "park_green_per_capita_target_m2": rounded(self.targets["park_green_per_capita_m2"], 2),
            "national_park_green_per_capita_m2": NATIONAL_PARK_GREEN_PER_CAPITA_M2,
            "national_coverage": NATIONAL_COVERAGE,
            "coverage_300m": rounded(self.coverage_300m),
            "rate_per_year": rounded(projection.rate_per_year, 3),
            "rate_ci": [rounded(bound, 3) for bound in projection.rate_ci],
            "projected_count": rounded(projection.projected, 2),
            "projected_band": [int(bound) for bound in projection.projected_band],
            "needed_rate_per_year": rounded(projection.needed_rate_per_year, 3),
            "target_year": projection.target_year,
            "pocket_parks_outside_size": len(self.outside_size),
            "p_reach_target": rounded(projection.p_reach_target),
        }


def evaluate_greenspace(
    parks: pd.DataFrame, city: pd.DataFrame, residential: pd.DataFrame | None, params: dict
) -> GreenspaceResult:
    """All green-space figures of one report, from validated inputs and resolved params."""
    day = min(pd.Timestamp(params["period"]["end"]), pd.Timestamp(params["as_of"])).normalize()
    targets = params["targets"]
    built = built_by(parks, day)
    small, large = SERVICE_RADII_M
    return GreenspaceResult(
        day=day,
        built=built,
        projection=project_pocket_parks(parks, day, targets["pocket_parks"], targets["year"]),
        comprehensive_parks_built=int((built["kind"] == COMPREHENSIVE).sum()),
        city_row=city_year(city, day),
        targets=dict(targets),
        coverage_300m=coverage_share(residential, built, small),
        coverage_500m=coverage_share(residential, built, large),
        by_year=completions_by_year(built, POCKET),
        mix=mix_by_mode(built[built["kind"] == POCKET]),
        outside_size=pocket_parks_outside_size(built),
        residential=residential,
        empty_subgroups=records(
            empty_subgroup(built, "kind", POCKET, "pocket_parks_built", "built"),
            empty_subgroup(built, "kind", COMPREHENSIVE, "comprehensive_parks_built", "built"),
        ),
    )
