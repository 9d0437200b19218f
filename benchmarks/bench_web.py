"""Benchmark (not a test): the dashboard overview page and the evaluation endpoint under 50 concurrent
users on loopback, with 100 regions × 100 targets on PostgreSQL. All data here is SYNTHETIC.

    python benchmarks/bench_web.py                       # PostgreSQL at $GONGFU_TEST_POSTGRES, 20 s per case
    python benchmarks/bench_web.py --seconds 10 --workers 2
    python benchmarks/bench_web.py --regions 1000        # Zhejiang's cities, counties and towns
    python benchmarks/bench_web.py --json                # … and one JSON object as the last line

After loading, the stored evaluation (evaluation/materialise.py) is brought up to date once, as an import
would; its time is reported. The cases are county_overview, province_overview, county_evaluation
(`GET /api/v1/evaluation` of a county) and province_evaluation (`?region=330000&children=true`), after
a `floor` case measured in the same run: `GET /api/v1/regions` (sign-in check and a tiny answer), what
any request costs on this machine at its load now.

Sets up a fresh schema, loads 100 regions (Zhejiang's 11 cities and 89 of its counties) × 100 catalog
indicators, each with a target and four years of observations, starts `gongfu serve`'s app under uvicorn
in a subprocess, and drives it with an asyncio httpx client. Reports p50/p95 latency and throughput.
The load generator runs on the same machine and competes for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

import httpx
import psycopg
from sqlalchemy import insert

PG = os.environ.get("GONGFU_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "synthetic-bench-1"


def regions_n(n: int) -> list[str]:
    """Zhejiang's 11 cities, then its counties, then its towns, up to n regions (the last is a county)."""
    from gongfu.regions import load

    reg = load()
    cities = reg.children("330000")
    counties = [c for city in cities for c in reg.children(city.code) if c.level == "county"]
    towns = [t for c in counties for t in reg.children(c.code)]
    codes = [c.code for c in cities] + [c.code for c in counties] + [t.code for t in towns]
    county = counties[-1].code
    out = [*[c for c in codes if c != county][: n - 1], county]
    return out


def load_data(url: str, regions: list[str], n_targets: int) -> None:
    from gongfu.access import add_user
    from gongfu.catalog.catalog import load_catalog
    from gongfu.store.db import open_db
    from gongfu.store.tables import ImportRow, ObservationRow, PlanRow, TargetRow

    indicators = [i for i in load_catalog()._by_code.values() if i.direction in ("higher", "lower")][
        :n_targets
    ]
    db = open_db(url)
    add_user(db, "bench_province", role="viewer", region="330000", password=PASSWORD, by="bench")
    add_user(db, "bench_county", role="viewer", region=regions[-1], password=PASSWORD, by="bench")
    with db.session() as s:
        imp = ImportRow(source="synthetic-bench.csv", kind="file", rows=0)
        s.add(imp)
        s.flush()
        targets, obs = [], []
        for k, code in enumerate(regions):
            plan = PlanRow(sha256=uuid.uuid4().hex * 2, file_name=f"synthetic-{code}.txt", kind="txt",
                           encoding="utf-8", script="simplified", title=f"合成方案 {code}", region_code=code,
                           period_start=2021, period_end=2025, original_text="synthetic", normalised_text="synthetic")  # fmt: skip
            s.add(plan)
            s.flush()
            for i, ind in enumerate(indicators):
                up = ind.direction == "higher"
                base = 50.0 + (k + i) % 17
                goal = base * (1.2 if up else 0.8)
                targets.append(dict(plan_id=plan.id, position=i, indicator=ind.name, indicator_code=ind.code,
                                    region_code=code, value=goal, unit=ind.unit, comparator=">=" if up else "<=",
                                    year=2025, ambition="binding", baseline=base, start=0, end=0,
                                    span="synthetic", sentence="synthetic"))  # fmt: skip
                for j, year in enumerate((2020, 2021, 2022, 2023)):
                    step = (goal - base) * (0.15 + 0.05 * ((k * 7 + i) % 5)) * j
                    obs.append(dict(import_id=imp.id, indicator_code=ind.code, region_code=code, year=year,
                                    value=base + step, unit=ind.unit, source="synthetic-bench.csv",
                                    source_row=len(obs) + 2))  # fmt: skip
        s.execute(insert(TargetRow), targets)
        s.execute(insert(ObservationRow), obs)
    print(
        f"loaded {len(regions)} regions × {len(indicators)} targets, {len(obs)} observations", file=sys.stderr
    )
    t0 = time.perf_counter()
    from gongfu.evaluation import materialise

    with db.session() as s:
        written = materialise.refresh(s, None)
    print(f"materialised {written:,} evaluation records in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    db.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def drive(url: str, headers: dict, users: int, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    failures = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=users, max_keepalive_connections=users)
    async with httpx.AsyncClient(headers=headers, timeout=60, limits=limits, follow_redirects=True) as client:

        async def user() -> None:
            nonlocal failures
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    r = await client.get(url)
                    failures += r.status_code != 200
                except httpx.HTTPError:
                    failures += 1
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(users)))
        return latencies, failures, time.perf_counter() - t0


def report(name: str, users: int, lat: list[float], failures: int, wall: float) -> dict:
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    print(f"{name:22s} [{users:3d} users] n={len(lat):5d} fail={failures:3d}  p50={q[49] * 1000:8.1f} ms  "
          f"p95={q[94] * 1000:8.1f} ms  throughput={len(lat) / wall:7.1f} req/s")  # fmt: skip
    return {"name": name, "users": users, "n": len(lat), "failures": failures,
            "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--regions", type=int, default=100)
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    conninfo = PG.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    url = f"{PG}?options=-csearch_path%3D{schema}"
    server = None
    try:
        regions = regions_n(args.regions)
        load_data(url, regions, args.targets)
        port = free_port()
        env = {**os.environ, "GONGFU_DATABASE_URL": url}
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "gongfu.web.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(args.workers), "--log-level", "warning", "--no-access-log"],
            env=env,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        cookies, bearer = {}, {}
        for who in ("bench_province", "bench_county"):
            form = {"username": who, "password": PASSWORD}
            bearer[who] = httpx.post(f"{base}/api/v1/auth/token", data=form).json()["access_token"]
            with httpx.Client(base_url=base) as c:
                import re

                page = c.get("/login").text
                form["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                c.post("/login", data=form)
                cookies[who] = c.cookies["gongfu_session"]
        print(f"{args.users} concurrent users, {args.seconds:.0f} s per case, {args.workers} uvicorn workers, "
              f"{os.cpu_count()} cores shared with the load generator")  # fmt: skip
        print(f"{len(regions)} regions × {args.targets} targets")
        cases = [
            ("floor", "/api/v1/regions", {"Authorization": f"Bearer {bearer['bench_county']}"}),
            ("county_overview", "/", {"Cookie": f"gongfu_session={cookies['bench_county']}"}),
            ("province_overview", "/", {"Cookie": f"gongfu_session={cookies['bench_province']}"}),
            ("county_evaluation", "/api/v1/evaluation", {"Authorization": f"Bearer {bearer['bench_county']}"}),
            ("province_evaluation", "/api/v1/evaluation?region=330000&children=true",
             {"Authorization": f"Bearer {bearer['bench_province']}"}),
        ]  # fmt: skip
        results = []
        for name, path, headers in cases:
            lat, fail, wall = asyncio.run(drive(base + path, headers, 1, 3))
            results.append(report(name, 1, lat, fail, wall))
            lat, fail, wall = asyncio.run(drive(base + path, headers, args.users, args.seconds))
            results.append(report(name, args.users, lat, fail, wall))
        if args.json:
            print(json.dumps({"regions": len(regions), "targets": args.targets, "cases": results}))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()  # workers still draining a queue of slow requests
                server.wait(10)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


if __name__ == "__main__":
    main()
