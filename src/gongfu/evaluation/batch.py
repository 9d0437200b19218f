"""Many targets at once: the same maths as `evaluate.evaluate`, vectorised over numpy arrays.

Input is two polars frames — targets (one row per target, columns as `TargetSpec` fields plus `id` and an
optional `as_of`) and observations (`id`, `year`, `value`) — which `targets_frame` / `observations_frame`
build from specs and series. The observations are laid out as a dense (targets × years) matrix with NaN
for a missing year; every rule of the scalar path then becomes a masked array expression. The result has
one row per target with the columns of `Evaluation.to_dict()` (plus `id`); tests hold it equal to the
scalar path on random inputs, which is how the two implementations check each other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from gongfu.errors import InputError
from gongfu.evaluation.attainment import MEET_RTOL
from gongfu.evaluation.evaluate import Evaluation
from gongfu.evaluation.forecast import time_weighted_fit_rows
from gongfu.evaluation.spec import SHARE_UNITS, Series, TargetSpec
from gongfu.evaluation.warnings import REASON_COLOUR, Thresholds, classify_arrays, reason_text, thresholds

nan = np.nan
_NOTE_END = "不一致, 按比较符计"  # as spec.resolve_direction words it
SPEC_COLUMNS = [
    "comparator",
    "value",
    "value2",
    "year",
    "baseline",
    "baseline_year",
    "direction",
    "growing_level",
    "unit",
    "rate_basis",
    "indicator",
    "region",
]


def targets_frame(
    specs: Sequence[TargetSpec], as_of: int | Sequence[int | None] | None = None
) -> pl.DataFrame:
    """A targets frame (id = position in `specs`) from specs; `as_of` for all, or one per spec."""
    cols = {k: [getattr(s, k) for s in specs] for k in SPEC_COLUMNS}
    asof = list(as_of) if isinstance(as_of, Sequence) else [as_of] * len(specs)
    schema = {
        "value": pl.Float64,
        "value2": pl.Float64,
        "baseline": pl.Float64,
        "year": pl.Int64,
        "baseline_year": pl.Int64,
        "as_of": pl.Int64,
        "direction": pl.Utf8,
    }
    return pl.DataFrame({"id": list(range(len(specs))), **cols, "as_of": asof}, schema_overrides=schema)


def observations_frame(series: Sequence[Series]) -> pl.DataFrame:
    """An observations frame (id = position in `series`) from (year, value) lists."""
    ids = [i for i, s in enumerate(series) for _ in s]
    years = [int(y) for s in series for y, _ in s]
    values = [None if v is None else float(v) for s in series for _, v in s]
    return pl.DataFrame(
        {"id": ids, "year": years, "value": values},
        schema={"id": pl.Int64, "year": pl.Int64, "value": pl.Float64},
    )


def evaluate_many(
    specs: Sequence[TargetSpec],
    series: Sequence[Series],
    as_of: int | None = None,
    th: Thresholds | None = None,
) -> pl.DataFrame:
    """Evaluate `specs[i]` against `series[i]` for every i, vectorised."""
    return evaluate_frame(targets_frame(specs, as_of), observations_frame(series), th)


def _f(df: pl.DataFrame, col: str) -> np.ndarray:
    return df[col].cast(pl.Float64).fill_null(nan).to_numpy().astype(float)


def _s(df: pl.DataFrame, col: str, default: str = "") -> np.ndarray:
    if col not in df.columns:
        return np.full(df.height, default, dtype=object)
    return df[col].cast(pl.Utf8).fill_null(default).to_numpy().astype(object)


def _dense(targets: pl.DataFrame, obs: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(years, Y): Y[i, j] is target i's value in years[j], NaN when not observed."""
    pos = dict(zip(targets["id"].to_list(), range(targets.height), strict=True))
    obs = obs.filter(pl.col("value").is_not_null() & pl.col("value").is_not_nan())
    if obs.is_empty():
        return np.array([0.0]), np.full((targets.height, 1), nan)
    if obs.select(pl.struct("id", "year").is_duplicated().any()).item():
        raise InputError("two observations for the same target and year; resolve revisions first")
    rows = obs["id"].replace_strict(pos, default=-1, return_dtype=pl.Int64).to_numpy()
    keep = rows >= 0
    yr = obs["year"].to_numpy()[keep]
    y_min, y_max = int(yr.min()), int(yr.max())
    years = np.arange(y_min, y_max + 1, dtype=float)
    dense = np.full((targets.height, len(years)), nan)
    dense[rows[keep], yr - y_min] = obs["value"].to_numpy()[keep]
    return years, dense


def _pick(a: np.ndarray, idx: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, a[np.arange(a.shape[0]), idx], nan)


def _meets_level(x, t, higher):
    tol = MEET_RTOL * np.maximum(1.0, np.abs(t))
    return np.where(higher, x >= t - tol, x <= t + tol)


def _meets_band(x, lo, hi):
    return (lo - MEET_RTOL * np.maximum(1.0, np.abs(lo)) <= x) & (
        x <= hi + MEET_RTOL * np.maximum(1.0, np.abs(hi))
    )


def _realised(x, year, b0, y0, cumulative):
    """Realised growth in percent (annual CAGR or cumulative change); NaN where undefined."""
    ok = (b0 > 0) & (x > 0) & ~np.isnan(y0)
    annual = np.where(ok & (year > y0), ((x / b0) ** (1.0 / (year - y0)) - 1.0) * 100.0, nan)
    cum = np.where(ok, (x / b0 - 1.0) * 100.0, nan)
    return np.where(cumulative, cum, annual)


def _gap(x, t, sign, is_range, lo, hi):
    band = np.where(x < lo, lo - x, np.where(x > hi, x - hi, 0.0))
    return np.where(is_range, np.where(np.isnan(x), nan, band), sign * (t - x))


def evaluate_frame(
    targets: pl.DataFrame, observations: pl.DataFrame, th: Thresholds | None = None
) -> pl.DataFrame:
    """Evaluate every target row against its observations; one output row per target, same order."""
    th = th or thresholds()
    with np.errstate(all="ignore"):
        return _evaluate(targets, observations, th)


def _evaluate(targets: pl.DataFrame, observations: pl.DataFrame, th: Thresholds) -> pl.DataFrame:
    n = targets.height
    comp = _s(targets, "comparator")
    value, value2 = _f(targets, "value"), _f(targets, "value2")
    tyear = _f(targets, "year")
    plan_b, by = _f(targets, "baseline"), _f(targets, "baseline_year")
    cat_dir = _s(targets, "direction")
    growing = targets["growing_level"].fill_null(False).to_numpy().astype(bool)
    unit = _s(targets, "unit")
    as_of = _f(targets, "as_of") if "as_of" in targets.columns else np.full(n, nan)
    is_range = comp == "range"
    is_inc, is_dec = comp == "increase", comp == "decrease"
    growth = is_inc | is_dec
    cumulative = growth & (_s(targets, "rate_basis", "annual") == "cumulative")
    lo, hi = np.fmin(value, np.where(np.isnan(value2), value, value2)), np.fmax(value, value2)

    years, Y = _dense(targets, observations)
    ny = len(years)
    M = ~np.isnan(Y) & ((years[None, :] <= as_of[:, None]) | np.isnan(as_of)[:, None])
    Y = np.where(M, Y, nan)
    n_obs = M.sum(axis=1)
    has = n_obs > 0
    last = ny - 1 - np.argmax(M[:, ::-1], axis=1)
    first = np.argmax(M, axis=1)
    latest, ly = _pick(Y, last, has), np.where(has, years[last], nan)
    first_v, first_y = _pick(Y, first, has), np.where(has, years[first], nan)

    # Baseline: the plan's, else the observation in the base year.
    col = np.where(np.isnan(by), -1, by - years[0]).astype(int)
    in_grid = (col >= 0) & (col < ny)
    colc = np.clip(col, 0, ny - 1)
    obs_at_by = in_grid & M[np.arange(n), colc]
    obs_b = np.where(obs_at_by, Y[np.arange(n), colc], nan)
    has_plan = ~np.isnan(plan_b)
    baseline = np.where(has_plan, plan_b, obs_b)
    bsrc = np.where(has_plan, "plan", np.where(obs_at_by, "observed", None)).astype(object)

    # Direction (spec.resolve_direction).
    eq_dir = np.where(
        ~np.isnan(baseline) & (baseline != value),
        np.where(value > baseline, "higher", "lower"),
        np.where(np.isin(cat_dir, ["higher", "lower"]), cat_dir, "higher"),
    )
    direction = np.select(
        [comp == ">=", comp == "<=", is_range, is_inc, is_dec],
        ["higher", "lower", "band", "higher", "lower"],
        eq_dir,
    ).astype(object)
    conflict = np.isin(comp, [">=", "<=", "increase", "decrease"]) & (cat_dir != "") & (cat_dir != direction)
    higher = direction == "higher"

    # Base (b0, y0) and the level to reach.
    use_bl = ~np.isnan(baseline) & ~np.isnan(by)
    b0 = np.where(use_bl, baseline, first_v)
    y0 = np.where(use_bl, by, first_y)
    base_source = np.where(use_bl, "baseline", np.where(has, "first_observation", None)).astype(object)
    rate = np.where(is_inc, value, -value) / 100.0
    nper = np.where(cumulative, 1.0, tyear - y0)
    t_growth = np.where(np.isnan(b0) | np.isnan(y0) | (1.0 + rate <= 0), nan, b0 * (1.0 + rate) ** nper)
    inside = np.isnan(b0) | ((lo <= b0) & (b0 <= hi))
    t_range = np.where(inside, nan, np.where(b0 < lo, lo, hi))
    sign_range = np.where(inside, 0.0, np.where(b0 < lo, 1.0, -1.0))
    t_level = np.select([is_range, growth], [t_range, t_growth], value)
    sign = np.where(is_range, sign_range, np.where(higher, 1.0, -1.0))
    target_rate = np.where(growth, np.where(is_inc, value, -value), nan)

    # Met / achieved, per cell, then at the latest year and before it.
    R = _realised(Y, years[None, :], b0[:, None], y0[:, None], cumulative[:, None])
    tr = target_rate[:, None]
    rate_met = ~np.isnan(R) & np.where(
        higher[:, None],
        tr - MEET_RTOL * np.maximum(1.0, np.abs(tr)) <= R,
        tr + MEET_RTOL * np.maximum(1.0, np.abs(tr)) >= R,
    )
    met = (
        np.select(
            [is_range[:, None], growth[:, None]],
            [_meets_band(Y, lo[:, None], hi[:, None]), rate_met],
            _meets_level(Y, value[:, None], higher[:, None]),
        )
        & M
    )
    achieved = has & met[np.arange(n), last]
    earlier = met & (np.arange(ny)[None, :] != last[:, None])
    achieved_ever = ~achieved & earlier.any(axis=1)

    # Attainment.
    realised = np.where(growth & has, _realised(latest, ly, b0, y0, cumulative), nan)
    x = latest
    use_b = ~np.isnan(baseline) & ((value - baseline) * np.where(higher, 1.0, -1.0) > 0)
    ratio_att = np.where(
        higher,
        np.where(value > 0, x / value, nan),
        np.where(x > 0, value / x, np.where(_meets_level(x, value, False), 1.0, nan)),
    )
    lvl_att = np.where(use_b, (x - baseline) / (value - baseline), ratio_att)
    dist = np.where(x < lo, lo - x, x - hi)
    width = hi - lo
    scale = np.where(
        ~np.isnan(baseline) & (baseline < lo),
        lo - baseline,
        np.where(
            ~np.isnan(baseline) & (baseline > hi),
            baseline - hi,
            np.where(width > 0, width, np.where(lo != 0, np.abs(lo), 1.0)),
        ),
    )
    band_att = np.where(_meets_band(x, lo, hi), 1.0, 1.0 - dist / scale)
    rate_att = np.where(target_rate == 0, np.where(achieved, 1.0, nan), realised / target_rate)
    rate_att = np.where(np.isnan(realised), nan, rate_att)
    att_raw = np.where(has, np.select([is_range, growth], [band_att, rate_att], lvl_att), nan)
    band_basis = np.where(~np.isnan(baseline) & ((baseline < lo) | (baseline > hi)), "baseline", "band")
    basis = np.select([is_range, growth, use_b], [band_basis, "rate", "baseline"], "ratio").astype(object)
    basis = np.where(has, basis, None)

    # Time progress, trajectory, gap.
    period = tyear - y0
    tp = np.where(has & ~np.isnan(y0) & (period > 0), np.clip((ly - y0) / period, 0.0, 1.0), nan)
    geo = (growing | growth) & (b0 > 0) & (t_level > 0)
    ok_exp = ~np.isnan(tp) & ~np.isnan(b0) & ~np.isnan(t_level)
    expected = np.where(ok_exp, np.where(geo, b0 * (t_level / b0) ** tp, b0 + (t_level - b0) * tp), nan)
    trajectory = np.where(ok_exp, np.where(geo, "geometric", "linear"), None).astype(object)
    gap = np.where(has, _gap(x, t_level, sign, is_range, lo, hi), nan)

    # Progress ratio.
    share = np.isin(np.array([u.strip() for u in unit], dtype=object), list(SHARE_UNITS)) & ~growth
    ok_p = has & ~np.isnan(b0) & ~np.isnan(t_level)
    cagr_m = ~share & (b0 > 0) & (x > 0) & (t_level > 0)
    elapsed, left = ly - y0, tyear - ly

    def grow(v, b, k):
        return np.where(k > 0, np.where(cagr_m, (v / b) ** (1.0 / k) - 1.0, (v - b) / k), nan)

    historic = np.where(ok_p, grow(x, b0, elapsed), nan)
    req_total = np.where(ok_p, grow(t_level, b0, period), nan)
    req_now = np.where(ok_p, grow(t_level, x, left), nan)
    pr = np.where(
        ~np.isnan(historic) & ~np.isnan(req_total) & (req_total != 0) & (sign != 0),
        sign * historic / np.abs(req_total),
        nan,
    )
    method = np.where(ok_p, np.where(cagr_m, "cagr", "linear"), None).astype(object)

    fit = time_weighted_fit_rows(years, Y, M, n_obs, first_y, growing | growth, tyear, th)
    fc, slope, fmethod, trend = fit
    fgap = np.where(np.isnan(fc), nan, _gap(fc, t_level, sign, is_range, lo, hi))

    by_obs = obs_at_by
    n_points = n_obs + ((bsrc == "plan") & ~np.isnan(by) & ~by_obs & has & (by < ly)).astype(int)
    overdue = has & ((ly >= tyear) | (~np.isnan(as_of) & (as_of > tyear)))
    code, proxy = classify_arrays(n_obs, n_points, achieved, overdue, pr, att_raw, basis, tp, th)
    shown = np.where(proxy, att_raw / tp, pr)
    reasons = [
        reason_text(
            c,
            ratio=_opt(r),
            proxy=bool(p),
            attainment_raw=_opt(a),
            time_progress=_opt(t),
            target_year=int(ty),
            n_points=int(k),
            th=th,
        )
        for c, r, p, a, t, ty, k in zip(code, shown, proxy, att_raw, tp, tyear, n_points, strict=True)
    ]
    note = pl.Series(
        np.where(
            conflict, "目录方向" + cat_dir.astype(str) + "与比较符" + comp.astype(str) + _NOTE_END, None
        ).tolist(),
        dtype=pl.Utf8,
    )
    notes = pl.select(
        pl.when(note.is_null()).then(pl.lit([], dtype=pl.List(pl.Utf8))).otherwise(pl.concat_list(note))
    ).to_series()

    # JSON has no NaN or infinity: both become null, as in Evaluation.to_dict().
    f = lambda a: pl.Series(np.where(np.isfinite(a), a, nan), dtype=pl.Float64).fill_nan(None)  # noqa: E731
    i = lambda a: pl.Series(a, dtype=pl.Float64).fill_nan(None).cast(pl.Int64)  # noqa: E731
    s = lambda a: pl.Series(list(a), dtype=pl.Utf8)  # noqa: E731
    out = {
        "id": targets["id"],
        "indicator": s(_s(targets, "indicator")),
        "region": s(_s(targets, "region")),
        "comparator": s(comp),
        "direction": s(direction),
        "target": f(value),
        "target2": f(value2),
        "target_year": i(tyear),
        "unit": s(unit),
        "as_of": i(as_of),
        "baseline": f(baseline),
        "baseline_year": i(by),
        "baseline_source": s(bsrc),
        "base_value": f(b0),
        "base_year": i(y0),
        "base_source": s(base_source),
        "target_level": f(t_level),
        "latest": f(latest),
        "latest_year": i(ly),
        "n_obs": pl.Series(n_obs, dtype=pl.Int64),
        "n_points": pl.Series(n_points, dtype=pl.Int64),
        "attainment": f(np.clip(att_raw, 0.0, 1.0)),
        "attainment_raw": f(att_raw),
        "attainment_basis": s(basis),
        "target_rate": f(target_rate),
        "realised_rate": f(realised),
        "trajectory": s(trajectory),
        "expected": f(expected),
        "time_progress": f(tp),
        "gap": f(gap),
        "method": s(method),
        "historic_growth": f(historic),
        "required_total_growth": f(req_total),
        "required_growth": f(req_now),
        "progress_ratio": f(pr),
        "forecast": f(fc),
        "forecast_method": s(fmethod),
        "forecast_gap": f(fgap),
        "trend": s(trend),
        "trend_slope": f(slope),
        "achieved": pl.Series(achieved, dtype=pl.Boolean),
        "achieved_ever": pl.Series(achieved_ever, dtype=pl.Boolean),
        "colour": s(REASON_COLOUR[c] for c in code),
        "colour_code": s(code),
        "colour_reason": s(reasons),
        "notes": notes,
    }
    assert list(out)[1:] == [k for k in Evaluation.__dataclass_fields__], (
        "batch columns drifted from Evaluation"
    )
    return pl.DataFrame(out)


def _opt(v: float) -> float | None:
    return None if np.isnan(v) else float(v)
