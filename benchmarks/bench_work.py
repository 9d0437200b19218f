"""Benchmark (not a test): the work system at province size — 11 cities, 90 counties, 20,000 tasks,
200,000 progress reports. All data here is SYNTHETIC (generated tasks, units and reports).

    python benchmarks/bench_work.py                        # SQLite file in a temp dir
    python benchmarks/bench_work.py --db postgres          # PostgreSQL at $GONGFU_TEST_POSTGRES (fresh schema)
    python benchmarks/bench_work.py --tasks 2000 --reports 20000 --repeat 5

Measures, through the service functions the API and pages call: the task board (province, a city, a
county) and the overdue query, p50/p95 over --repeat runs each; and the battle-map (.xlsx) export time
for the whole province.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import bindparam, insert, update

PG = os.environ.get("GONGFU_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
UNITS = [
    "发改局",
    "经信局",
    "财政局",
    "人社局",
    "农业农村局",
    "住建局",
    "统计局",
    "教育局",
    "卫健局",
    "民政局",
]


def regions() -> tuple[list[str], list[str]]:
    from gongfu.regions import load

    reg = load()
    cities = [c.code for c in reg.children("330000")]
    counties = [c.code for city in cities for c in reg.children(city) if c.level == "county"]
    return cities, counties


def load_data(db, n_tasks: int, n_reports: int, seed: int = 7) -> None:
    from gongfu.store.work_tables import ReportRow, UnitRow, WorkListRow, WorkTaskRow

    rnd = random.Random(seed)
    cities, counties = regions()
    places = cities + counties
    year = 2024
    with db.session() as s:
        s.execute(insert(WorkListRow), [
            {"id": i + 1, "kind": "key_tasks", "name": f"{year}年重点任务清单（合成）", "region_code": code, "year": year,
             "created_by": "bench"} for i, code in enumerate(places)])  # fmt: skip
        units = [{"id": k + 1, "region_code": code, "name": f"合成{name}", "kind": "department"}
                 for k, (code, name) in enumerate((c, n) for c in places for n in UNITS)]  # fmt: skip
        s.execute(insert(UnitRow), units)
        tasks = []
        for i in range(n_tasks):
            p = rnd.randrange(len(places))
            due = date(year, 1, 1) + timedelta(days=rnd.randrange(60, 720))
            tasks.append({"id": i + 1, "list_id": p + 1, "region_code": places[p], "seq": str(i + 1),
                          "title": f"合成任务{i + 1}", "group_name": "", "lead_unit_id": p * len(UNITS) + rnd.randrange(len(UNITS)) + 1,
                          "person": "", "start_date": date(year, 1, 1), "due_date": due, "due_text": "", "percent": 0.0,
                          "source": "synthetic", "created_by": "bench", "updated_by": "bench", "version": 1})  # fmt: skip
        for i in range(0, n_tasks, 5000):
            s.execute(insert(WorkTaskRow), tasks[i : i + 5000])
        latest: dict[int, tuple[date, float]] = {}
        reports = []
        for _ in range(n_reports):
            tid = rnd.randrange(n_tasks) + 1
            day = date(year, 1, 1) + timedelta(days=rnd.randrange(0, 560))
            pct = float(min(100, rnd.randrange(0, 110)))
            reports.append(
                {
                    "task_id": tid,
                    "reported_on": day,
                    "percent": pct,
                    "narrative": "合成",
                    "created_by": "bench",
                }
            )
            if tid not in latest or day >= latest[tid][0]:
                latest[tid] = (day, pct)
        for i in range(0, n_reports, 10000):
            s.execute(insert(ReportRow), reports[i : i + 10000])
        s.connection().execute(
            update(WorkTaskRow.__table__).where(WorkTaskRow.__table__.c.id == bindparam("tid"))
            .values(percent=bindparam("pct"), last_report_on=bindparam("day")),
            [{"tid": t, "pct": p, "day": d} for t, (d, p) in latest.items()])  # fmt: skip


def timed(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    runs.sort()
    p95 = runs[min(len(runs) - 1, max(0, round(0.95 * len(runs)) - 1))]
    return statistics.median(runs), p95


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="sqlite", help="sqlite | postgres | a database URL")
    ap.add_argument("--tasks", type=int, default=20_000)
    ap.add_argument("--reports", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    from gongfu.store.db import open_db
    from gongfu.work import query
    from gongfu.work.access import operator_scope
    from gongfu.work.exports import battle_map

    tmp = Path(tempfile.mkdtemp(prefix="gongfu-bench-work-"))
    schema = None
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
    elif args.db == "postgres":
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
            c.execute(f'create schema "{schema}"')
        url = f"{PG}?options=-csearch_path%3D{schema}"
    else:
        url = args.db
    try:
        db = open_db(url)
        t0 = time.perf_counter()
        load_data(db, args.tasks, args.reports)
        print(f"loaded {args.tasks} tasks, {args.reports} reports (SYNTHETIC) on {db.engine.dialect.name} "
              f"in {time.perf_counter() - t0:.1f}s")  # fmt: skip
        cities, counties = regions()
        province = operator_scope("330000", "bench")
        as_of = date(2025, 3, 31)
        cases = {
            "board province (500 shown)": lambda: query.board(db, province, "330000", as_of=as_of),
            "board city": lambda: query.board(db, province, cities[0], as_of=as_of),
            "board county": lambda: query.board(db, province, counties[0], as_of=as_of),
            "overdue province": lambda: query.tasks(db, province, "330000", overdue=True, as_of=as_of),
            "overdue county": lambda: query.tasks(db, province, counties[0], overdue=True, as_of=as_of),
        }
        print(f"{'case':32} {'p50 ms':>9} {'p95 ms':>9}")
        for name, fn in cases.items():
            fn()  # warm caches (region subtree, jinja-free)
            p50, p95 = timed(fn, args.repeat)
            print(f"{name:32} {p50 * 1000:9.1f} {p95 * 1000:9.1f}")
        n = len(query.tasks(db, province, "330000", overdue=True, as_of=as_of, limit=10**9))
        print(f"(overdue tasks in the province on {as_of}: {n})")
        t0 = time.perf_counter()
        rows = battle_map(db, province, "330000", 2025, tmp / "battle-map.xlsx", as_of=as_of)
        size = (tmp / "battle-map.xlsx").stat().st_size
        print(
            f"battle map: {rows} tasks × 12 months in {time.perf_counter() - t0:.1f}s ({size / 1e6:.1f} MB)"
        )
        db.engine.dispose()
    finally:
        if schema:
            import psycopg

            with psycopg.connect(PG.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
                c.execute(f'drop schema "{schema}" cascade')


if __name__ == "__main__":
    main()
