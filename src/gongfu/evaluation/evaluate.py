"""One target and its observed series → one `Evaluation` record that keeps every intermediate value,
so that a colour on a dashboard can be explained figure by figure.

Conventions:
- the *base* (b0, y0) of growth, time progress, the trajectory and the progress ratio is the baseline at
  the plan's base year (the plan's stated figure, else the observation in that year), else the first
  observation (`base_source` says which);
- attainment uses the baseline only when there is one (DESIGN.md: without one it is x/t or t/x);
- `target_level` is the level the series must reach by the target year: the target itself, the band edge
  nearest the base, or for a growth target b0·(1 + rate)^(T − y0) (annual) / b0·(1 + rate) (cumulative);
- every gap (`gap`, `forecast_gap`) is in the series' unit, signed so that positive = still to go;
- growth figures follow `method`: "cagr" (fractions per year) or "linear" (units per year).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from gongfu.evaluation.attainment import (
    band_attainment,
    clip01,
    level_attainment,
    meets_band,
    meets_level,
    meets_rate,
    rate_attainment,
)
from gongfu.evaluation.forecast import time_weighted_fit, trend_of
from gongfu.evaluation.progress import cagr, progress_ratio
from gongfu.evaluation.spec import GROWTH_COMPARATORS, Series, TargetSpec, clean_series, resolve_direction
from gongfu.evaluation.trajectory import expected_value, time_progress
from gongfu.evaluation.warnings import Thresholds, classify, reason_text, thresholds

SIGN = {"higher": 1.0, "lower": -1.0, "band": 0.0}


@dataclass
class Evaluation:
    """Everything computed for one target; `to_dict()` gives it as JSON-ready plain data."""

    indicator: str
    region: str
    comparator: str
    direction: str
    target: float
    target2: float | None
    target_year: int
    unit: str
    as_of: int | None
    baseline: float | None
    baseline_year: int | None
    baseline_source: str | None  # "plan" | "observed" | None
    base_value: float | None  # b0 of growth and trajectory
    base_year: int | None
    base_source: str | None  # "baseline" | "first_observation" | None
    target_level: float | None
    latest: float | None
    latest_year: int | None
    n_obs: int
    n_points: int
    attainment: float | None
    attainment_raw: float | None
    attainment_basis: str | None  # "baseline" | "ratio" | "band" | "rate"
    target_rate: float | None  # growth targets: percent per year (annual) or in total (cumulative), signed
    realised_rate: float | None  # growth targets: realised, same basis as target_rate
    trajectory: str | None  # "linear" | "geometric"
    expected: float | None
    time_progress: float | None
    gap: float | None
    method: str | None  # progress-ratio method: "cagr" | "linear"
    historic_growth: float | None
    required_total_growth: float | None
    required_growth: float | None
    progress_ratio: float | None
    forecast: float | None
    forecast_method: str | None
    forecast_gap: float | None
    trend: str | None
    trend_slope: float | None
    achieved: bool
    achieved_ever: bool
    colour: str
    colour_code: str
    colour_reason: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = None  # JSON has no NaN/inf
        return d


def _observed_base(spec: TargetSpec, obs: dict[int, float]) -> tuple[float | None, str | None]:
    if spec.baseline is not None:
        return spec.baseline, "plan"
    if spec.baseline_year is not None and spec.baseline_year in obs:
        return obs[spec.baseline_year], "observed"
    return None, None


def _realised_rate(x: float, year: int, b0: float | None, y0: int | None, cumulative: bool) -> float | None:
    if b0 is None or y0 is None or b0 <= 0 or x <= 0:
        return None
    if cumulative:
        return (x / b0 - 1.0) * 100.0
    return cagr(x, b0, year - y0) * 100.0 if year > y0 else None


def _target_level(spec: TargetSpec, b0: float | None, y0: int | None) -> tuple[float | None, float]:
    """(level to reach by the target year, sign of the good direction towards it)."""
    c = spec.comparator
    if c == "range":
        lo, hi = spec.band
        if b0 is None or lo <= b0 <= hi:
            return None, 0.0
        return (lo, 1.0) if b0 < lo else (hi, -1.0)
    if c in GROWTH_COMPARATORS:
        rate = (spec.value if c == "increase" else -spec.value) / 100.0
        if b0 is None or y0 is None or 1.0 + rate <= 0:
            return None, SIGN["higher" if c == "increase" else "lower"]
        n = 1 if spec.rate_basis == "cumulative" else spec.year - y0
        return b0 * (1.0 + rate) ** n, SIGN["higher" if c == "increase" else "lower"]
    return spec.value, 0.0


def evaluate(
    spec: TargetSpec, series: Series, as_of: int | None = None, th: Thresholds | None = None
) -> Evaluation:
    """Evaluate one target against its observed series up to `as_of` (default: all observations)."""
    th = th or thresholds()
    obs = clean_series(series, as_of)
    by_year = dict(obs)
    years = [y for y, _ in obs]
    values = [v for _, v in obs]
    latest_year, latest = obs[-1] if obs else (None, None)
    baseline, baseline_source = _observed_base(spec, by_year)
    direction, note = resolve_direction(spec, baseline)
    notes = [note] if note else []
    c = spec.comparator
    growth = c in GROWTH_COMPARATORS
    cumulative = growth and spec.rate_basis == "cumulative"

    if baseline is not None and spec.baseline_year is not None:
        b0, y0, base_source = baseline, spec.baseline_year, "baseline"
    elif obs:
        (y0, b0), base_source = obs[0], "first_observation"
    else:
        b0 = y0 = base_source = None
    t_level, sign = _target_level(spec, b0, y0)
    if c in (">=", "<=", "=="):
        sign = SIGN[direction]

    target_rate = realised_rate = None
    attainment_raw = basis = None
    achieved = achieved_ever = False
    if growth:
        target_rate = spec.value if c == "increase" else -spec.value
    if latest is not None:
        if growth:
            realised_rate = _realised_rate(latest, latest_year, b0, y0, cumulative)

        def met(x: float, year: int) -> bool:
            if c == "range":
                return meets_band(x, *spec.band)
            if growth:
                return meets_rate(_realised_rate(x, year, b0, y0, cumulative), target_rate, direction)
            return meets_level(x, spec.value, direction)

        achieved = met(latest, latest_year)
        achieved_ever = not achieved and any(met(v, y) for y, v in obs[:-1])
        if c == "range":
            attainment_raw = band_attainment(latest, *spec.band, baseline)
            lo, hi = spec.band
            basis = "baseline" if baseline is not None and not lo <= baseline <= hi else "band"
        elif growth:
            attainment_raw, basis = rate_attainment(realised_rate, target_rate, achieved), "rate"
        else:
            attainment_raw, basis = level_attainment(latest, spec.value, baseline, direction)

    tp = time_progress(latest_year, y0, spec.year) if latest_year is not None and y0 is not None else None
    expected = trajectory = None
    if tp is not None and b0 is not None and t_level is not None:
        expected, trajectory = expected_value(b0, t_level, tp, geometric=spec.growing_level or growth)

    gap = prog = None
    if latest is not None:
        gap = _gap(spec, latest, t_level, sign)
        if b0 is not None and t_level is not None:
            prog = progress_ratio(
                b0, y0, latest, latest_year, t_level, spec.year, sign, is_share=spec.is_share and not growth
            )

    fit = time_weighted_fit(years, values, log=spec.growing_level or growth)
    fc = fit.at(spec.year) if fit is not None else None
    if fc is not None and not math.isfinite(fc):
        fc = None
    forecast_gap = _gap(spec, fc, t_level, sign) if fc is not None else None

    n_points = len(obs)
    if (
        baseline_source == "plan"
        and spec.baseline_year is not None
        and spec.baseline_year not in by_year
        and latest_year is not None
        and spec.baseline_year < latest_year
    ):
        n_points += 1
    overdue = latest_year is not None and (
        latest_year >= spec.year or (as_of is not None and as_of > spec.year)
    )
    ratio = prog.ratio if prog is not None else None
    colour, code, proxy = classify(
        n_obs=len(obs),
        n_points=n_points,
        achieved=achieved,
        overdue=overdue,
        ratio=ratio,
        attainment_raw=attainment_raw,
        attainment_basis=basis,
        time_progress=tp,
        th=th,
    )
    proxy_ratio = attainment_raw / tp if proxy else ratio
    reason = reason_text(
        code,
        ratio=proxy_ratio,
        proxy=proxy,
        attainment_raw=attainment_raw,
        time_progress=tp,
        target_year=spec.year,
        n_points=n_points,
        th=th,
    )
    return Evaluation(
        indicator=spec.indicator,
        region=spec.region,
        comparator=c,
        direction=direction,
        target=spec.value,
        target2=spec.value2,
        target_year=spec.year,
        unit=spec.unit,
        as_of=as_of,
        baseline=baseline,
        baseline_year=spec.baseline_year,
        baseline_source=baseline_source,
        base_value=b0,
        base_year=y0,
        base_source=base_source,
        target_level=t_level,
        latest=latest,
        latest_year=latest_year,
        n_obs=len(obs),
        n_points=n_points,
        attainment=clip01(attainment_raw),
        attainment_raw=attainment_raw,
        attainment_basis=basis,
        target_rate=target_rate,
        realised_rate=realised_rate,
        trajectory=trajectory,
        expected=expected,
        time_progress=tp,
        gap=gap,
        method=prog.method if prog else None,
        historic_growth=prog.historic_growth if prog else None,
        required_total_growth=prog.required_total_growth if prog else None,
        required_growth=prog.required_growth if prog else None,
        progress_ratio=ratio,
        forecast=fc,
        forecast_method=fit.method if fit else None,
        forecast_gap=forecast_gap,
        trend=trend_of(fit, th.flat_tolerance),
        trend_slope=fit.slope if fit else None,
        achieved=achieved,
        achieved_ever=achieved_ever,
        colour=colour,
        colour_code=code,
        colour_reason=reason,
        notes=notes,
    )


def _gap(spec: TargetSpec, x: float, t_level: float | None, sign: float) -> float | None:
    """Distance still to go from x to the target, in the series' unit (0 inside a band)."""
    if spec.comparator == "range":
        lo, hi = spec.band
        return lo - x if x < lo else (x - hi if x > hi else 0.0)
    if t_level is None:
        return None
    return sign * (t_level - x)
