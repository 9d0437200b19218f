"""The evaluation engine: many targets at once, vectorised over numpy arrays (`evaluate.evaluate` is this
engine asked about one target).

Input is two polars frames — targets (one row per target, columns as `TargetSpec` fields plus `id` and an
optional `as_of`) and observations (`id`, `year`, `value`) — which `targets_frame` / `observations_frame`
build from specs and series. The observations are laid out as a dense (targets × years) matrix with NaN
for a missing year; every rule of the scalar path then becomes a masked array expression. The result has
one row per target with the columns of `Evaluation.to_dict()` (plus `id`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl
import pyarrow as pa

from gongfu.errors import InputError
from gongfu.evaluation import attainment as att
from gongfu.evaluation import trajectory as tj
from gongfu.evaluation.evaluate import Evaluation
from gongfu.evaluation.forecast import FIT_METHODS, TRENDS, time_weighted_fit_rows
from gongfu.evaluation.progress import ILL_CONDITIONED, METHODS, progress_ratio, realised_rate
from gongfu.evaluation.spec import SHARE_UNITS, Series, TargetSpec
from gongfu.evaluation.warnings import CODES, REASON_COLOUR, Thresholds, classify, reason_texts, thresholds

nan = np.nan
COMPARATORS = (">=", "<=", "==", "range", "increase", "decrease")
_, _, EQUAL, RANGE, INCREASE, DECREASE = range(6)
DIRECTIONS = ("higher", "lower", "band")
HIGHER, LOWER, BAND = range(3)
BASES = ("baseline", "ratio", "band", "rate")
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


# Column helpers work on numpy and plain lists for small frames: each polars expression costs a few
# milliseconds of set-up, which would make the single-target call slow; large frames use polars.
_SMALL = 5000


def _f(df: pl.DataFrame, col: str) -> np.ndarray:
    return np.asarray(df[col].to_numpy(), dtype=float)  # nulls become NaN


def _codes(df: pl.DataFrame, col: str, vocab: Sequence[str]) -> np.ndarray:
    """A text column as indices into `vocab` (-1 where missing or not in it)."""
    if col not in df.columns:
        return np.full(df.height, -1)
    if df.height > _SMALL:
        codes = df[col].cast(pl.Utf8).replace_strict(list(vocab), range(len(vocab)), default=-1)
        return codes.cast(pl.Int64).to_numpy()
    index = {v: i for i, v in enumerate(vocab)}
    return np.array([index.get(v, -1) for v in df[col].to_list()], dtype=np.int64)


def _label(idx: np.ndarray, vocab: Sequence[str]) -> pl.Series:
    """Indices into `vocab` as a text column (null where -1)."""
    if len(idx) > _SMALL:
        s = pl.Series(np.asarray(idx, dtype=np.int64))
        return s.replace_strict(range(len(vocab)), list(vocab), default=None, return_dtype=pl.Utf8)
    return pl.Series(np.array([*vocab, None], dtype=object)[idx].tolist(), dtype=pl.Utf8)


def _text(df: pl.DataFrame, col: str) -> pl.Series:
    """An input text column passed through ("" where missing)."""
    if col not in df.columns:
        return pl.Series(col, [""] * df.height, dtype=pl.Utf8)
    s = df[col]
    return s.fill_null("") if s.null_count() else s


def _dense(targets: pl.DataFrame, obs: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(years, Y): Y[i, j] is target i's value in years[j], NaN when not observed."""
    ids = targets["id"].to_numpy()
    vals = _f(obs, "value")
    known = ~np.isnan(vals)
    if not known.any():
        return np.array([0.0]), np.full((targets.height, 1), nan)
    oid, vals = obs["id"].to_numpy()[known], vals[known]
    if np.array_equal(ids, np.arange(len(ids))):  # the usual layout: id = position
        rows = np.where((oid >= 0) & (oid < len(ids)), oid, -1)
    else:
        order = np.argsort(ids, kind="stable")
        at = np.clip(np.searchsorted(ids, oid, sorter=order), 0, len(ids) - 1)
        rows = np.where(ids[order[at]] == oid, order[at], -1)
    keep = rows >= 0
    rows, yr = rows[keep], obs["year"].to_numpy()[known][keep]
    y_min, y_max = int(yr.min()), int(yr.max())
    years = np.arange(y_min, y_max + 1, dtype=float)
    cell = rows * len(years) + (yr - y_min)
    if np.bincount(cell, minlength=targets.height * len(years)).max() > 1:
        raise InputError("two observations for the same target and year; resolve revisions first")
    dense = np.full((targets.height, len(years)), nan)
    dense.flat[cell] = vals[keep]
    return years, dense


def _pick(a: np.ndarray, idx: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, a[np.arange(a.shape[0]), idx], nan)


def _gap(x, t, sign, is_range, lo, hi):
    """Distance still to go from x to the target, in the series' unit (0 inside a band)."""
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
    comp = _codes(targets, "comparator", COMPARATORS)
    value, value2 = _f(targets, "value"), _f(targets, "value2")
    tyear = _f(targets, "year")
    plan_b, by = _f(targets, "baseline"), _f(targets, "baseline_year")
    cat_dir = _codes(targets, "direction", DIRECTIONS)
    growing = np.array([bool(g) for g in targets["growing_level"].to_list()], dtype=bool)
    as_of = _f(targets, "as_of") if "as_of" in targets.columns else np.full(n, nan)
    is_range = comp == RANGE
    is_inc, is_dec = comp == INCREASE, comp == DECREASE
    growth = is_inc | is_dec
    cumulative = growth & (_codes(targets, "rate_basis", ("cumulative",)) == 0)
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
    bsrc = np.where(has_plan, 0, np.where(obs_at_by, 1, -1))  # BASELINE_SOURCES

    # Direction (spec.resolve_direction): the comparator's, else for "==" from the baseline towards the
    # target, else the catalog's, else higher-is-better.
    eq_dir = np.where(
        ~np.isnan(baseline) & (baseline != value),
        np.where(value > baseline, HIGHER, LOWER),
        np.where((cat_dir == HIGHER) | (cat_dir == LOWER), cat_dir, HIGHER),
    )
    implied = np.array([HIGHER, LOWER, -1, BAND, HIGHER, LOWER])[np.maximum(comp, 0)]
    direction = np.where(comp == EQUAL, eq_dir, implied)
    conflict = ~is_range & (comp != EQUAL) & (cat_dir >= 0) & (cat_dir != direction)
    higher = direction == HIGHER

    # Base (b0, y0) and the level to reach.
    use_bl = ~np.isnan(baseline) & ~np.isnan(by)
    b0 = np.where(use_bl, baseline, first_v)
    y0 = np.where(use_bl, by, first_y)
    base_source = np.where(use_bl, 0, np.where(has, 1, -1))  # BASE_SOURCES
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
    met = np.where(
        is_range[:, None],
        att.meets_band(Y, lo[:, None], hi[:, None]),
        att.meets_level(Y, value[:, None], higher[:, None]),
    )
    g = np.flatnonzero(growth)  # growth targets are met on the realised rate, cell by cell
    if len(g):
        R = realised_rate(Y[g], years[None, :], b0[g, None], y0[g, None], cumulative[g, None])
        met[g] = att.meets_rate(R, target_rate[g, None], higher[g, None])
    met &= M
    achieved = has & met[np.arange(n), last]
    earlier = met & (np.arange(ny)[None, :] != last[:, None])
    achieved_ever = ~achieved & earlier.any(axis=1)

    # Attainment.
    realised = np.where(growth & has, realised_rate(latest, ly, b0, y0, cumulative), nan)
    x = latest
    lvl_att, use_b = att.level_attainment(x, value, baseline, higher)
    band_att = att.band_attainment(x, lo, hi, baseline)
    rate_att = att.rate_attainment(realised, target_rate, achieved)
    att_raw = np.where(has, np.select([is_range, growth], [band_att, rate_att], lvl_att), nan)
    band_basis = np.where(~np.isnan(baseline) & ((baseline < lo) | (baseline > hi)), 0, 2)
    basis = np.where(has, np.select([is_range, growth, use_b], [band_basis, 3, 0], 1), -1)  # BASES

    # Time progress, trajectory, gap.
    tp = np.where(has & ~np.isnan(y0), tj.time_progress(ly, y0, tyear), nan)
    geo = tj.is_geometric(growing | growth, b0, t_level)
    ok_exp = ~np.isnan(tp) & ~np.isnan(b0) & ~np.isnan(t_level)
    expected = np.where(ok_exp, tj.expected(b0, t_level, tp, geo), nan)
    trajectory = np.where(ok_exp, geo.astype(int), -1)  # tj.KINDS
    gap = np.where(has, _gap(x, t_level, sign, is_range, lo, hi), nan)

    # Progress ratio.
    share = (
        np.array([(u or "").strip() in SHARE_UNITS for u in targets["unit"].to_list()], dtype=bool) & ~growth
    )
    ok_p = has & ~np.isnan(b0) & ~np.isnan(t_level)
    prog = progress_ratio(b0, y0, x, ly, t_level, tyear, sign, share, ok_p)

    fc, slope, fmethod, trend = time_weighted_fit_rows(
        years, Y, M, n_obs, first_y, growing | growth, tyear, th
    )
    fgap = np.where(np.isnan(fc), nan, _gap(fc, t_level, sign, is_range, lo, hi))

    by_obs = obs_at_by
    n_points = n_obs + ((bsrc == 0) & ~np.isnan(by) & ~by_obs & has & (by < ly)).astype(int)
    overdue = has & ((ly >= tyear) | (~np.isnan(as_of) & (as_of > tyear)))
    rule, proxy, shown = classify(n_obs, n_points, achieved, overdue, prog.ratio, att_raw, basis, tp, th)
    reasons = reason_texts(rule, shown, proxy, att_raw, tp, tyear, n_points, th)
    at = np.flatnonzero(conflict)
    texts = [
        f"目录方向{DIRECTIONS[d]}与比较符{COMPARATORS[c]}{_NOTE_END}"
        for d, c in zip(cat_dir[at].tolist(), comp[at].tolist(), strict=True)
    ]
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[at + 1] = 1
    notes = pl.Series(
        "notes",
        pa.ListArray.from_arrays(pa.array(np.cumsum(offsets, dtype=np.int32)), pa.array(texts, pa.string())),
        dtype=pl.List(pl.Utf8),
    )

    # JSON has no NaN or infinity: both become null, as in Evaluation.to_dict().
    f = lambda a: pl.Series(np.where(np.isfinite(a), a, nan), dtype=pl.Float64, nan_to_null=True)  # noqa: E731
    i = lambda a: pl.Series(np.where(np.isnan(a), 0, a).astype(np.int64)).set(pl.Series(np.isnan(a)), None)  # noqa: E731
    out = {
        "id": targets["id"],
        "indicator": _text(targets, "indicator"),
        "region": _text(targets, "region"),
        "comparator": _text(targets, "comparator"),
        "direction": _label(direction, DIRECTIONS),
        "target": f(value),
        "target2": f(value2),
        "target_year": i(tyear),
        "unit": _text(targets, "unit"),
        "as_of": i(as_of),
        "baseline": f(baseline),
        "baseline_year": i(by),
        "baseline_source": _label(bsrc, ("plan", "observed")),
        "base_value": f(b0),
        "base_year": i(y0),
        "base_source": _label(base_source, ("baseline", "first_observation")),
        "target_level": f(t_level),
        "latest": f(latest),
        "latest_year": i(ly),
        "n_obs": pl.Series(n_obs, dtype=pl.Int64),
        "n_points": pl.Series(n_points, dtype=pl.Int64),
        "attainment": f(np.clip(att_raw, 0.0, 1.0)),
        "attainment_raw": f(att_raw),
        "attainment_basis": _label(basis, BASES),
        "target_rate": f(target_rate),
        "realised_rate": f(realised),
        "trajectory": _label(trajectory, tj.KINDS),
        "expected": f(expected),
        "time_progress": f(tp),
        "gap": f(gap),
        "method": _label(prog.method, METHODS),
        "historic_growth": f(prog.historic_growth),
        "required_total_growth": f(prog.required_total_growth),
        "required_growth": f(prog.required_growth),
        "progress_ratio": f(prog.ratio),
        "ratio_flag": _label(prog.flag, (ILL_CONDITIONED,)),
        "forecast": f(fc),
        "forecast_method": _label(fmethod, FIT_METHODS),
        "forecast_gap": f(fgap),
        "trend": _label(trend, TRENDS),
        "trend_slope": f(slope),
        "achieved": pl.Series(achieved, dtype=pl.Boolean),
        "achieved_ever": pl.Series(achieved_ever, dtype=pl.Boolean),
        "colour": _label(rule, tuple(REASON_COLOUR[c] for c in CODES)),
        "colour_code": _label(rule, CODES),
        "colour_reason": pl.Series(reasons, dtype=pl.Utf8),
        "notes": notes,
        "trajectory_path": tj.paths(b0, y0, t_level, tyear, geo),
    }
    assert list(out)[1:] == [k for k in Evaluation.__dataclass_fields__], (
        "batch columns drifted from Evaluation"
    )
    return pl.DataFrame(out)
