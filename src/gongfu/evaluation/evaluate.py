"""One target and its observed series → one `Evaluation` record that keeps every intermediate value,
so that a colour on a dashboard can be explained figure by figure.

There is one engine: `batch.evaluate_frame` (vectorised over many targets). `evaluate` is the same engine
asked about one target, so the single-target answer is the batch answer, bit for bit.

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

from gongfu.evaluation.spec import Series, TargetSpec, clean_series
from gongfu.evaluation.warnings import Thresholds


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
    progress_ratio: float | None  # None when undefined or ill-conditioned (then `ratio_flag` says why)
    ratio_flag: str | None
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
    trajectory_path: list[dict] = field(default_factory=list)  # [{"year", "value"}], base year → target year

    def to_dict(self) -> dict:
        d = asdict(self)
        for k, v in d.items():
            if isinstance(v, float) and not math.isfinite(v):
                d[k] = None  # JSON has no NaN/inf
        return d


def evaluate(
    spec: TargetSpec, series: Series, as_of: int | None = None, th: Thresholds | None = None
) -> Evaluation:
    """Evaluate one target against its observed series up to `as_of` (default: all observations)."""
    from gongfu.evaluation.batch import evaluate_many

    clean_series(series, as_of)  # a repeated year is the caller's error, named as such
    row = evaluate_many([spec], [series], as_of=as_of, th=th).row(0, named=True)
    row.pop("id")
    return Evaluation(**row)
