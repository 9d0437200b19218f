"""Benchmark: the evaluation engine (gongfu.evaluation.batch) on SYNTHETIC data, in CPU time, against the
floor of one numpy sort of 10 M float64 measured in the same run; checks that a sample of targets
evaluated one by one (`evaluate`, the single-target call) gives the batch's records bit for bit.

    python benchmarks/bench_evaluation.py            # 1,000 regions × 100 targets × 10 years
    python benchmarks/bench_evaluation.py --small    # 100 regions × 20 targets × 10 years
    python benchmarks/bench_evaluation.py --json     # … and one JSON object as the last line

CPU time is `time.process_time` (all threads of this process), the median of three runs, so that a loaded
machine slows both sides alike. Not a test. Every figure and series here is synthetic (seeded random
numbers), not statistics.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import sys
import time
from collections import defaultdict

import numpy as np
import polars as pl

from gongfu.catalog.catalog import DIMENSIONS as CATALOG_DIMENSIONS
from gongfu.evaluation import (
    Evaluation,
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


def cpu_median(fn, runs: int = 3) -> tuple[float, object]:
    """Median CPU seconds of `fn()` over `runs` runs, and its last result."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def sort_floor(seed: int) -> float:
    """Median CPU seconds of one numpy sort of 10 M float64 (lognormal, like incomes)."""
    incomes = np.random.default_rng(seed).lognormal(10, 0.8, 10_000_000)
    return cpu_median(lambda: np.sort(incomes))[0]


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="100 regions × 20 targets")
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--sample", type=int, default=1000, help="targets checked one by one against the batch")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()
    regions, targets, years = (100, 20, 10) if args.small else (1000, 100, 10)
    n = regions * targets
    print(
        f"SYNTHETIC data: {regions} regions × {targets} targets × {years} years = {n:,} targets"
        f" (seed {args.seed})"
    )
    t0 = time.perf_counter()
    specs, series, keys = synthetic(regions, targets, years, args.seed)
    tf, of = targets_frame(specs), observations_frame(series)
    print(f"  generated in {time.perf_counter() - t0:.1f} s (input building, not counted)")

    sort_cpu = sort_floor(args.seed)
    eval_cpu, batch = cpu_median(lambda: evaluate_frame(tf, of))
    print(f"floor:    one numpy sort of 10 M float64   {sort_cpu:.3f} CPU-s (median of 3)")
    print(f"evaluate: {n:,} targets                   {eval_cpu:.3f} CPU-s (median of 3)")
    print(f"ratio:    {eval_cpu / sort_cpu:.2f}× the sort (target ≤ 2×)")

    t0 = time.process_time()
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
    print(f"composite (entropy + equal) + sensitivity (200 draws): {time.process_time() - t0:.2f} CPU-s")

    rng = np.random.default_rng(args.seed + 1)
    sample = sorted(rng.choice(n, size=min(args.sample, n), replace=False).tolist())
    bad = 0
    rows = batch.to_dicts()
    for i in sample:
        single = evaluate(specs[i], series[i]).to_dict()
        bad += sum(not _same(v, rows[i][k]) for k, v in single.items())
    sample_rows = [(*keys[i], rows[i]["attainment"]) for i in range(n)]
    loop_index = loop_composite(sample_rows)
    idx = dict(zip(equal.regions, equal.index, strict=True))
    comp_bad = sum(not math.isclose(idx[r], v, rel_tol=1e-9) for r, v in loop_index.items())
    print(
        f"agreement: {bad} differing values in {len(sample):,} targets evaluated one by one"
        f" (all {len(Evaluation.__dataclass_fields__)} fields, exact); composite: {comp_bad} regions differ"
        " from a plain loop"
    )
    colours = batch["colour"].value_counts().sort("colour")
    print("colours (synthetic):", dict(zip(colours["colour"], colours["count"], strict=True)))
    moved = (sens["max_rank"] - sens["min_rank"]).mean()
    print(f"rank sensitivity: mean (max − min) rank over 200 Dirichlet draws + 2 schemes = {moved:.1f}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    if args.json:
        print(json.dumps({"targets": n, "evaluate_cpu_s": eval_cpu, "sort_floor_cpu_s": sort_cpu}))
    if bad or comp_bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
