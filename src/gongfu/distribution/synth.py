"""Synthetic household microdata for demos and benchmarks — not survey data, and labelled so.

Per-capita income is lognormal within urban and rural groups (with a county factor), scaled so the
person-weighted group means match the given ones; the common log-spread is found by bisection so that the
overall Gini matches the given one. The Parquet file carries `gongfu.synthetic = true` in its metadata
and its name must contain "synthetic".
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from gongfu.distribution.measures import gini
from gongfu.errors import InputError


@dataclass(frozen=True)
class SynthSpec:
    households: int = 100_000
    urban_mean: float = 74_997.0  # 元 per person and year (Zhejiang 2023 order of magnitude)
    rural_mean: float = 40_311.0
    urban_share: float = 0.74  # share of households that are urban
    gini: float = 0.30
    counties: int = 20
    county_spread: float = 0.10  # log-sd of the county factor
    seed: int = 0

    def check(self) -> None:
        if self.households < 10:
            raise InputError(f"户数至少为 10: {self.households}")
        if not 0.0 < self.gini < 0.9:
            raise InputError(f"基尼系数须在 0 与 0.9 之间: {self.gini}")
        if self.urban_mean <= 0 or self.rural_mean <= 0:
            raise InputError("城镇、农村人均收入须为正")
        if not 0.0 < self.urban_share < 1.0:
            raise InputError(f"城镇户比例须在 0 与 1 之间: {self.urban_share}")
        if self.counties < 1:
            raise InputError("县数至少为 1")


def _draw(spec: SynthSpec, n: int, sigma: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    urban = rng.random(n) < spec.urban_share
    persons = rng.choice(np.array([1, 2, 3, 4, 5, 6], dtype=np.int8), n, p=[0.15, 0.3, 0.3, 0.15, 0.07, 0.03])
    county = rng.integers(0, spec.counties, n)
    factors = np.exp(np.random.default_rng(spec.seed + 7).normal(0.0, spec.county_spread, spec.counties))
    z = rng.standard_normal(n)
    log_pc = sigma * z - 0.5 * sigma * sigma + np.log(factors[county])
    pc = np.exp(log_pc)
    weight = rng.uniform(50.0, 150.0, n)
    pw = weight * persons
    for mask, mean in ((urban, spec.urban_mean), (~urban, spec.rural_mean)):
        if mask.any():  # person-weighted group mean exactly as given
            pc[mask] *= mean * pw[mask].sum() / (pw[mask] * pc[mask]).sum()
    return {"urban": urban, "persons": persons, "county": county, "pc": pc, "weight": weight}


def calibrate_sigma(spec: SynthSpec, sample: int = 100_000) -> float:
    """The within-group log-sd giving the target overall Gini (bisection on a seeded sample)."""
    lo, hi = 0.01, 3.0
    n = min(sample, max(spec.households, 20_000))
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        d = _draw(spec, n, mid, np.random.default_rng(spec.seed + 1))
        g = gini(d["pc"], d["weight"] * d["persons"])
        lo, hi = (mid, hi) if g < spec.gini else (lo, mid)
    return 0.5 * (lo + hi)


def write(spec: SynthSpec, out: str | Path, *, chunk: int = 2_000_000, on_chunk=None) -> Path:
    """Write synthetic households to Parquet: household_id, county, urban_rural, persons, income, weight."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    spec.check()
    out = Path(out)
    if "synthetic" not in out.name.lower():
        raise InputError("合成数据的文件名须含 synthetic", file=str(out))
    if out.suffix.lower() != ".parquet":
        raise InputError("合成数据写为 Parquet (.parquet)", file=str(out))
    sigma = calibrate_sigma(spec)
    meta = {"gongfu.synthetic": "true", "gongfu.synth_spec": json.dumps(asdict(spec) | {"sigma": sigma})}
    rng = np.random.default_rng(spec.seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    counties = pa.array([f"C{i:03d}" for i in range(spec.counties)])
    urban_rural = pa.array(["农村", "城镇"])
    writer = None
    try:
        for start in range(0, spec.households, chunk):
            n = min(chunk, spec.households - start)
            d = _draw(spec, n, sigma, rng)
            table = pa.table(
                {
                    "household_id": np.arange(start, start + n, dtype=np.int64),
                    "county": pa.DictionaryArray.from_arrays(d["county"].astype(np.int32), counties),
                    "urban_rural": pa.DictionaryArray.from_arrays(d["urban"].astype(np.int8), urban_rural),
                    "persons": d["persons"],
                    "income": np.round(d["pc"] * d["persons"], 2),
                    "weight": d["weight"],
                }
            )
            if writer is None:
                writer = pq.ParquetWriter(out, table.schema.with_metadata(meta))
            writer.write_table(table.replace_schema_metadata(meta))
            if on_chunk is not None:
                on_chunk(n)
    finally:
        if writer is not None:
            writer.close()
    return out
