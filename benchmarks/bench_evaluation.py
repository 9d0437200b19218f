"""Benchmark: vectorised evaluation (gongfu.evaluation.batch) against a row-by-row loop of the scalar
`evaluate`, on SYNTHETIC data, in the same run; checks that both agree.

    python benchmarks/bench_evaluation.py            # 1,000 regions × 100 targets × 10 years
    python benchmarks/bench_evaluation.py --small    # 100 regions × 20 targets × 10 years

Not a test. Every figure and series here is synthetic (seeded random numbers), not statistics.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections import defaultdict

import numpy as np
import polars as pl

from gongfu.catalog.catalog import DIMENSIONS as CATALOG_DIMENSIONS
from gongfu.evaluation import (
    TargetSpec,
    composite_index,
    evaluate,
    evaluate_frame,
    observations_frame,
    rank_sensitivity,
    targets_frame,
)

DIMENSIONS = list(CATALOG_DIMENSIONS)


def synthetic(regions: int, targets: int, years: int, seed: int):
    """Seeded synthetic targets and series: a drifting level per (region, indicator) with noise."""
    rng = np.random.default_rng(seed)
    first = 2024 - years
    kinds = rng.choice([">=", "<=", "==", "range", "increase"], size=targets, p=[0.45, 0.25, 0.1, 0.05, 0.15])
    growing = rng.random(targets) < 0.3
    dims = [DIMENSIONS[i % len(DIMENSIONS)] for i in range(targets)]
    specs, series, keys = [], [], []
    for r in range(regions):
        for k in range(targets):
            comp = str(kinds[k])
            base = float(rng.uniform(10, 100))
            drift = float(rng.normal(0.03, 0.04))
            sign = -1.0 if comp == "<=" else 1.0
            vals = base * np.exp(sign * drift * (np.arange(years) - (2020 - first)))
            vals = vals * (1 + rng.normal(0, 0.01, years))
            obs = [(first + i, float(v)) for i, v in enumerate(vals) if rng.random() > 0.05]
            if comp == "increase":
                spec = TargetSpec(
                    comp, float(rng.uniform(3, 8)), 2025, baseline_year=2020, growing_level=True
                )
            elif comp == "range":
                spec = TargetSpec(comp, base * 1.05, 2025, value2=base * 1.15, baseline_year=2020, unit="%")
            else:
                goal = base * (1 + sign * float(rng.uniform(0.05, 0.3)))
                spec = TargetSpec(
                    comp,
                    goal,
                    2025,
                    baseline=base if rng.random() < 0.7 else None,
                    baseline_year=2020,
                    growing_level=bool(growing[k]),
                )
            specs.append(spec)
            series.append(obs)
            keys.append((f"R{r:04d}", f"I{k:03d}", dims[k]))
    return specs, series, keys


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def loop_composite(rows: list[tuple[str, str, str, float | None]]) -> dict[str, float]:
    """A straightforward equal-weight composite: mean within dimension, then mean of dimensions."""
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for region, _ind, dim, a in rows:
        if a is not None:
            acc[region][dim].append(a)
    out = {}
    for region, dims in acc.items():
        means = [sum(v) / len(v) for v in dims.values()]
        out[region] = sum(means) / len(means)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="100 regions × 20 targets")
    ap.add_argument("--seed", type=int, default=20250101)
    args = ap.parse_args()
    regions, targets, years = (100, 20, 10) if args.small else (1000, 100, 10)
    n = regions * targets
    print(
        f"SYNTHETIC data: {regions} regions × {targets} targets × {years} years = {n:,} targets"
        f" (seed {args.seed})"
    )
    t0 = time.perf_counter()
    specs, series, keys = synthetic(regions, targets, years, args.seed)
    print(f"  generated in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    tf, of = targets_frame(specs), observations_frame(series)
    t_frames = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch = evaluate_frame(tf, of)
    t_eval = time.perf_counter() - t0
    t0 = time.perf_counter()
    comp_rows = pl.DataFrame(
        {
            "region": [k[0] for k in keys],
            "indicator": [k[1] for k in keys],
            "dimension": [k[2] for k in keys],
            "attainment": batch["attainment"],
        }
    )
    result = composite_index(comp_rows, weights="entropy")
    equal = composite_index(comp_rows, weights="equal")
    sens = rank_sensitivity(result, n=200, seed=1)
    t_comp = time.perf_counter() - t0
    rss_batch = peak_rss_mb()
    t_batch = t_eval + t_comp
    print(
        f"batch:  frames {t_frames:.2f} s (input building, not counted) | evaluate {t_eval:.2f} s"
        f" | composite + sensitivity (200 draws) {t_comp:.2f} s | total {t_batch:.2f} s"
    )
    print(f"        peak RSS so far {rss_batch:.0f} MB")

    t0 = time.perf_counter()
    scalar = [evaluate(s, o).to_dict() for s, o in zip(specs, series, strict=True)]
    t_loop_eval = time.perf_counter() - t0
    t0 = time.perf_counter()
    loop_index = loop_composite([(*k, d["attainment"]) for k, d in zip(keys, scalar, strict=True)])
    t_loop_comp = time.perf_counter() - t0
    t_loop = t_loop_eval + t_loop_comp
    print(
        f"loop:   evaluate {t_loop_eval:.2f} s | equal-weight composite {t_loop_comp:.2f} s"
        f" | total {t_loop:.2f} s"
    )
    print(f"ratio (loop / batch): evaluate {t_loop_eval / t_eval:.1f}×, overall {t_loop / t_batch:.1f}×")

    bad = 0
    for d, row in zip(scalar, batch.iter_rows(named=True), strict=True):
        for key in ("attainment", "progress_ratio", "expected", "forecast", "colour", "achieved", "trend"):
            a, b = d[key], row[key]
            same = (a == b) or (
                isinstance(a, float) and b is not None and math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)
            )
            bad += not same
    idx = dict(zip(equal.regions, equal.index, strict=True))
    comp_bad = sum(not math.isclose(idx[r], v, rel_tol=1e-9) for r, v in loop_index.items())
    colours = batch["colour"].value_counts().sort("colour")
    print(
        f"agreement: {bad} differing values over {n:,} targets × 7 fields;"
        f" composite: {comp_bad} regions differ"
    )
    print("colours (synthetic):", dict(zip(colours["colour"], colours["count"], strict=True)))
    moved = (sens["max_rank"] - sens["min_rank"]).mean()
    print(f"rank sensitivity: mean (max − min) rank over 200 Dirichlet draws + 2 schemes = {moved:.1f}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    if bad or comp_bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
