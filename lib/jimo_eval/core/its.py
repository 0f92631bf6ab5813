"""Interrupted time series of monthly closings around the platform launch.

Segmented quasi-Poisson regression (Lopez Bernal, Cummins & Gasparrini, Int J Epidemiol
2017;46(1):348–355):

    log E[closings_t] = log(FTE_t) + b0 + b1·t + b2·after_t + b3·months_since_launch_t + seasonality

FTE enters as exposure (offset), so the model is of closings per inspector-month. ``exp(b2)`` is the
step change in the rate at launch, ``exp(b3)`` the change in its monthly trend. Seasonality is two
harmonic pairs (12- and 6-month cycles) when at least 24 months are available, none otherwise.
Time is counted in calendar months (``t`` is the number of months since the first month of the
series), so a month left out — a month without a staffing row — shifts nothing: it is named in
``months_missing`` and the fit uses the months that remain.

Inference (why not the textbook choices, measured by simulation on the reports' design — 36 months,
24 before and 12 after launch, seasonality, FTE exposure, ~100–150 closings a month; see
docs/assumptions-and-caveats.md):

* The coefficients are the quasi-Poisson ones (they match R's ``glm(family = quasipoisson)``).
* Their variance allows AR(1) correlation between months: the Pearson residuals are taken to have
  correlation ``ρ^|months apart|`` and variance φ, and Var(b) = φ·B·Xw'R(ρ)Xw·B with
  B = (Xw'Xw)⁻¹ and Xw = √μ·X (the IRLS-weighted design). ρ is the lag-1 autocorrelation of the
  Pearson residuals corrected for the bias that fitting the regression puts into it: ρ solves
  E_ρ[r̂₁] = r̂₁, where E_ρ[r̂₁] = tr(MAMR(ρ)) / tr(MR(ρ)) is exact for Gaussian errors given the
  design (M = I − Xw·B·Xw', A the lag-1 pairs); φ = Σr² / tr(MR(ρ)). ρ is kept in [−0.9, 0.95].
  Newey–West (HAC) standard errors were tried first and undercover badly at 36 months (the step
  and slope regressors make the residual-based long-run variance biased low).
* Intervals use Student's t with Satterthwaite degrees of freedom that count the uncertainty of the
  estimated scale (n − k) and of ρ̂ (Var ρ̂ ≈ (1 − ρ̂²)/pairs, through the bias correction).
* Diagnostic: an exact test of positive lag-1 autocorrelation of the Pearson residuals (the GLM
  analogue of the Durbin–Watson bounds-free test): under independence r = M·e, and
  P(r'Ar / r'r ≥ observed) is computed from the eigenvalues of M(A − observed·I)M by Imhof's
  formula. Ljung–Box and Breusch–Godfrey on these residuals reject far more often than their
  nominal 5% on independent series (the regression's residuals are negatively autocorrelated by
  construction), so they are not used.

Assumptions: no other change at the same date, a log-linear underlying trend, and month-to-month
correlation that AR(1) describes well enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import integrate, optimize
from scipy import stats as scipy_stats

from jimo_eval.core.stats import CONFIDENCE, Estimate, rounded

MIN_MONTHS_EACH_SIDE = 3  # Cochrane EPOC minimum for an interrupted time series
MIN_MONTHS_FOR_SEASONALITY = 24
AUTOCORRELATION_BOUNDS = (-0.9, 0.95)
MIN_LAG_PAIRS = 6  # fewer pairs of consecutive months: ρ is not estimated (taken as 0), no test
INFERENCE = (
    "quasi-Poisson GLM coefficients; variance allowing AR(1) correlation of the Pearson residuals "
    "(lag-1 autocorrelation corrected for the regression's bias); t intervals with Satterthwaite df"
)
AUTOCORRELATION_TEST = (
    "exact test of positive lag-1 autocorrelation of the Pearson residuals given the design "
    "(Durbin–Watson type, Imhof's formula), one-sided"
)


@dataclass(frozen=True)
class _Inference:
    """The variance of the coefficients at ρ̂ and what the t degrees of freedom need."""

    covariance: np.ndarray
    covariance_slope: np.ndarray  # d covariance / dρ at ρ̂
    rho_variance: float
    residual_df: int

    def df(self, contrast: np.ndarray) -> float:
        """Satterthwaite degrees of freedom of contrast'·b: ν = 2 / Var(log of its estimated variance)."""
        variance = float(contrast @ self.covariance @ contrast)
        if variance <= 0:
            return float(self.residual_df)
        slope = float(contrast @ self.covariance_slope @ contrast) / variance
        nu = 2 / (2 / self.residual_df + slope**2 * self.rho_variance)
        return float(min(max(nu, 1.0), self.residual_df))

    def interval(self, log_value: float, contrast: np.ndarray) -> tuple[float, float]:
        se = float(np.sqrt(max(contrast @ self.covariance @ contrast, 0.0)))
        q = float(scipy_stats.t.ppf(1 - (1 - CONFIDENCE) / 2, self.df(contrast)))
        with np.errstate(over="ignore"):  # a limit beyond floating point is unbounded (None in metrics)
            return float(np.exp(log_value - q * se)), float(np.exp(log_value + q * se))


@dataclass(frozen=True)
class ItsResult:
    level_change: float
    level_ci: tuple[float, float]
    slope_change: float
    slope_ci: tuple[float, float]
    pre_trend: float
    dispersion: float
    autocorrelation: float
    autocorrelation_p: float | None
    level_df: float
    months_before: int
    months_after: int
    seasonal_harmonics: int
    months_missing: tuple[str, ...]
    fitted: pd.Series  # modelled closings per inspector-month, every month of the series
    counterfactual: pd.Series  # the same without the launch terms
    params: pd.Series = field(repr=False)
    design: pd.DataFrame = field(repr=False)  # the months fitted
    exposure: pd.Series = field(repr=False)
    inference: _Inference = field(repr=False)

    def metrics(self) -> dict:
        return {
            "level_change": rounded(self.level_change),
            "level_ci": [rounded(v) for v in self.level_ci],
            "slope_change_per_month": rounded(self.slope_change),
            "slope_ci": [rounded(v) for v in self.slope_ci],
            "dispersion": rounded(self.dispersion, 3),
            "autocorrelation_lag1": rounded(self.autocorrelation, 3),
            "autocorrelation_p": rounded(self.autocorrelation_p),
            "autocorrelation_test": AUTOCORRELATION_TEST,
            "inference": INFERENCE,
            "level_t_df": rounded(self.level_df, 1),
            "months_before": self.months_before,
            "months_after": self.months_after,
            "months_missing": list(self.months_missing),
            "seasonal_harmonics": self.seasonal_harmonics,
        }

    def effect_over(self, months) -> Estimate | None:
        """The modelled gain over ``months``: closings expected with the launch terms ÷ without them,
        summed over those of ``months`` that were fitted (weights: their FTE), with a 95% interval
        (delta method on the log scale, t with Satterthwaite df). None when none of them was fitted."""
        rows = self.design.index.isin(pd.PeriodIndex(months, freq="M"))
        if not rows.any():
            return None
        with_launch = self.design[rows].to_numpy(float)
        without = self.design[rows].assign(after=0.0, months_since=0.0).to_numpy(float)
        beta = self.params.to_numpy(float)
        exposure = self.exposure[rows].to_numpy(float)
        expected, expected_without = exposure * np.exp(with_launch @ beta), exposure * np.exp(without @ beta)
        log_ratio = float(np.log(expected.sum()) - np.log(expected_without.sum()))
        gradient = (
            expected @ with_launch / expected.sum() - expected_without @ without / expected_without.sum()
        )
        low, high = self.inference.interval(log_ratio, gradient)
        return Estimate(float(np.exp(log_ratio)), low, high)


def design_matrix(months: pd.PeriodIndex, launch: str) -> pd.DataFrame:
    """Regressors by calendar month: ``time`` counts months since the first of ``months``, so a
    month missing from ``months`` leaves a gap instead of shifting the months after it."""
    months = pd.PeriodIndex(months, freq="M")
    launch_month = pd.Timestamp(launch).to_period("M")
    ordinal = months.asi8
    t = (ordinal - ordinal[0]).astype(float) if len(months) else np.zeros(0)
    after = np.asarray(months >= launch_month, dtype=float)
    months_since = np.maximum(ordinal - launch_month.ordinal, 0).astype(float) * after
    design = pd.DataFrame({"const": 1.0, "time": t, "after": after, "months_since": months_since})
    if len(months) >= MIN_MONTHS_FOR_SEASONALITY:
        angle = 2 * np.pi * np.asarray(months.month, dtype=float) / 12
        for k in (1, 2):
            design[f"sin{k}"] = np.sin(k * angle)
            design[f"cos{k}"] = np.cos(k * angle)
    design.index = months
    return design


def fit_interrupted_time_series(monthly: pd.DataFrame, launch: str):
    """Fit the model to a monthly series with ``closed`` and ``inspectors`` indexed by calendar month:
    (result, None), or (None, {"min_months", "months_before", "months_after"}) when the series is too
    short. Months without ``inspectors`` are left out and named in ``months_missing``."""
    series = monthly.sort_index()
    missing = tuple(str(m) for m in series.index[series["inspectors"].isna()])
    fitted_months = series.dropna(subset=["inspectors"])
    launch_month = pd.Timestamp(launch).to_period("M")
    before = int((fitted_months.index < launch_month).sum())
    after = int((fitted_months.index >= launch_month).sum())
    if before < MIN_MONTHS_EACH_SIDE or after < MIN_MONTHS_EACH_SIDE:
        return None, {"min_months": MIN_MONTHS_EACH_SIDE, "months_before": before, "months_after": after}
    full_design = design_matrix(series.index, launch)  # calendar time from the series' first month
    design = full_design.loc[fitted_months.index]
    if len(fitted_months) < MIN_MONTHS_FOR_SEASONALITY:  # harmonics only with enough fitted months
        design = design[["const", "time", "after", "months_since"]]
        full_design = full_design[design.columns]
    exposure = fitted_months["inspectors"].astype(float)
    model = sm.GLM(
        fitted_months["closed"].to_numpy(float),
        design,
        family=sm.families.Poisson(),
        exposure=exposure.to_numpy(),
    )
    fit = model.fit(scale="X2")
    rho, p_value, inference = _ar1_inference(fit, design)
    beta = fit.params
    level_contrast = (design.columns == "after").astype(float)
    slope_contrast = (design.columns == "months_since").astype(float)
    no_launch = full_design.assign(after=0.0, months_since=0.0)
    return ItsResult(
        level_change=float(np.exp(beta["after"])),
        level_ci=inference.interval(float(beta["after"]), level_contrast),
        slope_change=float(np.exp(beta["months_since"])),
        slope_ci=inference.interval(float(beta["months_since"]), slope_contrast),
        pre_trend=float(np.exp(beta["time"])),
        dispersion=float(fit.scale),
        autocorrelation=rho,
        autocorrelation_p=p_value,
        level_df=inference.df(level_contrast),
        months_before=before,
        months_after=after,
        seasonal_harmonics=sum(c.startswith("sin") for c in design.columns),
        months_missing=missing,
        fitted=pd.Series(np.exp(full_design.to_numpy(float) @ beta.to_numpy()), index=series.index),
        counterfactual=pd.Series(np.exp(no_launch.to_numpy(float) @ beta.to_numpy()), index=series.index),
        params=beta,
        design=design,
        exposure=exposure,
        inference=inference,
    ), None


class Ar1Residuals:
    """The Pearson residuals of a Poisson-family GLM fit with their lag-1 structure in calendar months:
    the pieces of the AR(1)-allowing variance, the bias-corrected ρ̂ and the exact test (module doc)."""

    def __init__(self, fit, design: pd.DataFrame):
        mu = np.asarray(fit.mu, float)
        self.resid = np.asarray(fit.resid_pearson, float)
        self.weighted = design.to_numpy(float) * np.sqrt(mu)[:, None]  # Xw = √μ·X
        self.bread = np.linalg.inv(self.weighted.T @ self.weighted)
        n = len(self.resid)
        self.maker = np.eye(n) - self.weighted @ self.bread @ self.weighted.T  # M: residuals = M·errors
        ordinal = pd.PeriodIndex(design.index, freq="M").asi8
        self.apart = np.abs(ordinal[:, None] - ordinal[None, :]).astype(float)
        self.pairs = int((self.apart == 1).sum() // 2)
        self.lag1 = (self.apart == 1) / 2.0  # r'·lag1·r = Σ r_t·r_(t−1) over months one month apart
        self.total = float(self.resid @ self.resid)
        self.observed_lag1 = (
            float(self.resid @ self.lag1 @ self.resid) / self.total if self.total > 0 else 0.0
        )
        self._lag1_made = self.maker @ self.lag1 @ self.maker

    def correlation(self, rho: float) -> np.ndarray:
        return np.power(rho, self.apart)

    def covariance(self, rho: float) -> np.ndarray:
        """φ(ρ)·B·Xw'R(ρ)Xw·B with φ(ρ) = Σr² / tr(M·R(ρ)); at ρ = 0 the quasi-Poisson covariance."""
        corr = self.correlation(rho)
        scale = self.total / np.trace(self.maker @ corr)
        return scale * self.bread @ self.weighted.T @ corr @ self.weighted @ self.bread

    def expected_lag1(self, rho: float) -> float:
        """E[r'·lag1·r] / E[r'r] for errors with correlation R(ρ): tr(M·lag1·M·R) / tr(M·R)."""
        corr = self.correlation(rho)
        return float(np.trace(self._lag1_made @ corr) / np.trace(self.maker @ corr))

    def estimate_rho(self) -> float:
        low, high = AUTOCORRELATION_BOUNDS
        if self.observed_lag1 <= self.expected_lag1(low):
            return low
        if self.observed_lag1 >= self.expected_lag1(high):
            return high
        return float(
            optimize.brentq(lambda r: self.expected_lag1(r) - self.observed_lag1, low, high, xtol=1e-10)
        )

    def p_value(self) -> float:
        """P(r'·lag1·r / r'r ≥ observed) for independent Gaussian errors given the design (Imhof)."""
        n = len(self.resid)
        return _imhof_upper(
            np.linalg.eigvalsh(self.maker @ (self.lag1 - self.observed_lag1 * np.eye(n)) @ self.maker)
        )


def _ar1_inference(fit, design: pd.DataFrame) -> tuple[float, float | None, _Inference]:
    """ρ̂, the exact one-sided p-value of the lag-1 autocorrelation under independence, and the
    AR(1)-allowing covariance with what its Satterthwaite degrees of freedom need."""
    resid = Ar1Residuals(fit, design)
    n, k = resid.weighted.shape
    if resid.pairs < MIN_LAG_PAIRS or resid.total <= 0:
        covariance = resid.covariance(0.0) if resid.total > 0 else np.zeros((k, k))
        return 0.0, None, _Inference(covariance, np.zeros((k, k)), 0.0, n - k)
    rho = resid.estimate_rho()
    low, high = AUTOCORRELATION_BOUNDS
    up, down = min(rho + 1e-4, high), max(rho - 1e-4, low)
    covariance_slope = (resid.covariance(up) - resid.covariance(down)) / (up - down)
    up, down = min(rho + 1e-2, high), max(rho - 1e-2, low)
    bias_slope = (resid.expected_lag1(up) - resid.expected_lag1(down)) / (up - down)
    rho_variance = (1 - rho**2) / resid.pairs / max(bias_slope, 1e-6) ** 2
    return rho, resid.p_value(), _Inference(resid.covariance(rho), covariance_slope, rho_variance, n - k)


def _imhof_upper(eigenvalues: np.ndarray) -> float:
    """P(Σ λ_i·z_i² > 0) for independent standard normal z_i (Imhof 1961, Biometrika 48:419–426)."""
    lam = eigenvalues[np.abs(eigenvalues) > 1e-12 * max(np.abs(eigenvalues).max(), 1e-300)]
    if not len(lam):
        return 1.0
    if (lam <= 0).all():
        return 0.0
    if (lam >= 0).all():
        return 1.0

    def integrand(u: float) -> float:
        theta = 0.5 * np.sum(np.arctan(lam * u))
        rho = np.prod((1 + (lam * u) ** 2) ** 0.25)
        return float(np.sin(theta) / (u * rho))

    value, _ = integrate.quad(integrand, 0, np.inf, limit=200)
    return float(min(max(0.5 + value / np.pi, 0.0), 1.0))
