"""Benchmark (not a test): importing a province's statistics — one long CSV of SYNTHETIC observations
(default 526,750 rows: 1,075 regions × 70 catalog indicators × 7 years) — into SQLite and PostgreSQL,
through `gongfu.observations.service.import_file` (read, validate, store, refresh the stored evaluation).

    python benchmarks/bench_import.py                  # both databases, 526,750 rows
    python benchmarks/bench_import.py --rows 50000 --db sqlite
    python benchmarks/bench_import.py --json           # … and one JSON object as the last line

Each import runs in a fresh child process, so its peak memory (ru_maxrss) is its own; the baseline in the
same run is reading the same file with polars (`read_csv`), the floor of any import of it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG = os.environ.get("GONGFU_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def write_csv(path: Path, rows: int, seed: int = 7) -> int:
    """A long-format observation CSV of about `rows` rows (regions × 70 indicators × 7 years)."""
    import numpy as np

    from gongfu.catalog.catalog import load_catalog
    from gongfu.regions import load

    reg = load()
    codes = [r.code for c in reg.children("330000") for r in [c, *reg.children(c.code)]]
    towns = [t.code for c in codes for t in reg.children(c) if t.level == "town"]
    regions = [*codes, *towns][: max(1, rows // (70 * 7))]
    inds = [i for i in load_catalog()._by_code.values() if i.kind != "growth"][:70]
    rng = np.random.default_rng(seed)
    n = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("region_code,indicator,value,unit,year\n")
        for code in regions:
            for ind in inds:
                base = float(
                    rng.uniform(5, 60) if ind.kind == "share" or ind.unit == "岁" else rng.uniform(10, 1000)
                )
                for k, year in enumerate(range(2017, 2024)):
                    f.write(f"{code},{ind.code},{base * (1 + 0.03 * k):.4f},{ind.unit},{year}\n")
                    n += 1
    return n


def child(url: str, csv: str) -> dict:
    from gongfu.observations.service import import_file
    from gongfu.store.db import open_db

    db = open_db(url)
    t0, c0 = time.perf_counter(), time.process_time()
    summary = import_file(db, Path(csv))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db.engine.dispose()
    return {"rows": summary.rows, "added": summary.added, "wall_s": wall, "cpu_s": cpu, "peak_mb": peak}


def floor(csv: str) -> float:
    import polars as pl

    t0 = time.perf_counter()
    pl.read_csv(csv)
    return time.perf_counter() - t0


def python_floor(path: str) -> float:
    """CPU seconds for Python's csv module to read and split every row of the file: the floor of any
    import that looks at each row in Python (as validation does)."""
    import csv

    c0 = time.process_time()
    with open(path, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f):
            pass
    return time.process_time() - c0


def run_child(url: str, csv: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, csv], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"import failed on {url.split(':')[0]}:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=526_750)
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "province-observations.csv"
        n = write_csv(csv, args.rows)
        read_s = floor(str(csv))
        csv_cpu = python_floor(str(csv))
        print(
            f"SYNTHETIC CSV: {n:,} rows, {csv.stat().st_size / 2**20:.0f} MB; polars read_csv {read_s:.2f} s;"
            f" Python csv.reader over it {csv_cpu:.2f} CPU-s"
        )
        if args.db in ("sqlite", "both"):
            results["sqlite"] = run_child(f"sqlite:///{tmp}/bench.db", str(csv))
        if args.db in ("postgres", "both"):
            import psycopg

            schema = f"bench_{uuid.uuid4().hex[:10]}"
            conninfo = PG.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'create schema "{schema}"')
            try:
                results["postgres"] = run_child(f"{PG}?options=-csearch_path%3D{schema}", str(csv))
            finally:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f'drop schema "{schema}" cascade')
    for name, r in results.items():
        print(
            f"{name:9s} {r['rows']:,} rows in {r['wall_s']:.1f} s wall ({r['cpu_s']:.1f} CPU-s):"
            f" {r['rows'] / r['wall_s']:,.0f} rows/s (target ≥ 20,000), peak {r['peak_mb']:.0f} MB"
            f" (target < 500); polars read of the file {read_s:.2f} s; {r['rows'] / r['cpu_s']:,.0f} rows per"
            f" CPU-s of this process = {r['cpu_s'] / csv_cpu:.1f}x the csv.reader floor ({csv_cpu:.2f} CPU-s)"
        )
    if args.json:
        print(json.dumps({"rows": n, "read_floor_s": read_s, "csv_reader_cpu_s": csv_cpu, **results}))


if __name__ == "__main__":
    main()
