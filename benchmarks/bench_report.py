"""Benchmark: the annual report of a city with 11 child regions (南京市 320100), all four formats.

    python benchmarks/bench_report.py            # 12 regions × 28 targets × 5 years, --children
    python benchmarks/bench_report.py --keep DIR # also keep the four files in DIR
    python benchmarks/bench_report.py --json     # one JSON object as the last line

Not a test. Every plan, target and figure here is SYNTHETIC (seeded random numbers), not statistics.
The budget is 10 s for all four formats (build once, charts once, then docx, xlsx, html, pdf). Measured
in the same run, end to end through the CLI (process start included in both):
- the new way: one `gongfu report --format docx,xlsx,html,pdf` (one evaluation, one build, charts once);
- the old way, the baseline: one `gongfu report --format F` per format (each run evaluates again).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from gongfu.catalog.catalog import load_catalog
from gongfu.model import ObservationDraft
from gongfu.observations.service import store_drafts
from gongfu.regions import load as load_regions
from gongfu.store.db import Database, open_db
from gongfu.store.tables import PlanRow, TargetRow

CITY = "320100"
PER_DIMENSION = 4
YEARS = range(2020, 2025)
BUDGET_S = 10.0


def seed_synthetic(
    db: Database, city: str = CITY, seed: int = 0, per_dimension: int = PER_DIMENSION
) -> list[str]:
    """A SYNTHETIC plan per region (the city and its current children) with targets and 2020–2024 series."""
    rng = np.random.default_rng(seed)
    reg = load_regions()
    regions = [city] + [r.code for r in reg.children(city) if not r.valid_to]
    indicators = [
        i
        for inds in load_catalog().by_dimension().values()
        for i in inds[:per_dimension]
        if i.direction != "band"
    ]
    drafts = []
    for n, code in enumerate(regions):
        name = reg.get(code).name
        text = f"（合成数据）{name}共同富裕行动方案（2021—2025年）。"
        plan = PlanRow(
            sha256=f"synthetic-report-{code}".ljust(64, "0"), file_name=f"synthetic-plan-{code}.txt", kind="txt",
            encoding="utf-8", script="simplified", title=f"{name}共同富裕行动方案（合成）", region_code=code,
            region_name=name, period_start=2021, period_end=2025, original_text=text, normalised_text=text,
        )  # fmt: skip
        for k, ind in enumerate(indicators):
            base = float(rng.uniform(10, 1000))
            sign = -1.0 if ind.direction == "lower" else 1.0
            goal = base * (1 + sign * float(rng.uniform(0.05, 0.3)))
            drift = float(rng.normal(0.03, 0.04))
            sentence = f"（合成）到2025年，{ind.name}达到{goal:.2f}{ind.unit}。"
            plan.targets.append(
                TargetRow(
                    position=k,
                    indicator=ind.name,
                    indicator_code=ind.code,
                    region_code=code,
                    value=round(goal, 2),
                    unit=ind.unit,
                    comparator="<=" if sign < 0 else ">=",
                    year=2025,
                    ambition="binding",
                    baseline=round(base, 2),
                    start=0,
                    end=len(text),
                    span=sentence,
                    sentence=sentence,
                )
            )
            for j, y in enumerate(YEARS):
                v = base * float(np.exp(sign * drift * j)) * (1 + float(rng.normal(0, 0.01)))
                drafts.append(
                    ObservationDraft(
                        indicator=ind.code,
                        region=code,
                        year=y,
                        value=round(v, 3),
                        unit=ind.unit,
                        source="synthetic-report-observations.csv",
                        source_row=len(drafts) + 2,
                        source_text=f"synthetic {ind.code} {code} {y}",
                    )
                )
        with db.session() as s:
            s.add(plan)
        if n == 0:
            for code_, v in (("gini", 0.31), ("theil_t", 0.16), ("bottom20_share", 8.4), ("s80_s20", 4.6)):
                drafts.append(
                    ObservationDraft(
                        indicator=code_,
                        region=code,
                        year=2024,
                        value=v,
                        unit="%" if "share" in code_ else "",
                        source="synthetic-microdata.parquet (gini computation)",
                        source_text="synthetic",
                    )
                )
    store_drafts(db, drafts, source="synthetic-report-observations.csv", by="bench")
    return regions


def _cli(db_url: str, out: Path, fmt: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `gongfu report` run (a fresh process, as a user runs it)."""
    cmd = [str(Path(sys.executable).with_name("gongfu")), "--db", db_url, "report", "-r", CITY, "-y", "2024",
           "--children", "--format", fmt, "--out", str(out)]  # fmt: skip
    t, c = time.perf_counter(), _child_cpu()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"gongfu report --format {fmt} failed:\n{res.stderr[-2000:]}")
    return time.perf_counter() - t, _child_cpu() - c


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", type=Path, help="write the reports into this folder")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()
    from gongfu.reports import FORMATS, build_report, write_report
    from gongfu.reports.charts import render_all

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench-report.db"
        db = open_db(url)
        t0 = time.perf_counter()
        regions = seed_synthetic(db)
        print(f"seeded SYNTHETIC data: {len(regions)} regions ({len(regions) - 1} children of {CITY}) "
              f"in {time.perf_counter() - t0:.2f} s")  # fmt: skip
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        times: dict[str, float] = {}
        start, cpu = time.perf_counter(), time.process_time()
        data = build_report(db, CITY, 2024, children=True)
        times["build"] = time.perf_counter() - start
        t = time.perf_counter()
        charts = render_all(data)
        times["charts"] = time.perf_counter() - t
        for fmt in FORMATS:
            t = time.perf_counter()
            path = write_report(data, fmt, out / f"report-{CITY}.{fmt}", charts)
            times[fmt] = time.perf_counter() - t
            print(f"  {fmt:5s} {times[fmt]:6.2f} s  {path.stat().st_size / 1024:8.0f} KiB")
        total, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"  build {times['build']:6.2f} s ({len(data.records)} own targets, "
              f"{len(data.child_records)} child targets, {len(data.stats)} statistics rows)")  # fmt: skip
        print(f"  charts {times['charts']:5.2f} s ({len(charts)} charts)")
        print(f"in process: {total:.2f} s wall, {cpu:.2f} s CPU, for all four formats")
        db.engine.dispose()
        one, one_cpu = _cli(url, out / "cli", ",".join(FORMATS))
        each = {fmt: _cli(url, out / "cli-each", fmt) for fmt in FORMATS}
        old, old_cpu = sum(v[0] for v in each.values()), sum(v[1] for v in each.values())
        print(f"CLI, one run --format {','.join(FORMATS)}: {one:.2f} s wall, {one_cpu:.2f} s CPU "
              f"(budget {BUDGET_S:.0f} s wall: {'OK' if one < BUDGET_S else 'OVER BUDGET'})")  # fmt: skip
        print(f"CLI, old way, one run per format: {old:.2f} s wall, {old_cpu:.2f} s CPU "
              f"({', '.join(f'{k} {v[0]:.2f}/{v[1]:.2f}' for k, v in each.items())} wall/CPU); "
              f"one run takes {one_cpu / old_cpu:.2f}x the CPU")  # fmt: skip
    if args.json:
        print(json.dumps({"formats": list(FORMATS), "one_run_s": one, "one_run_cpu_s": one_cpu,
                          "run_per_format_s": old, "run_per_format_cpu_s": old_cpu,
                          "in_process_s": total, "in_process_cpu_s": cpu}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
