"""Benchmark (not a test): the closed loop on PostgreSQL. All cases here are SYNTHETIC.

    python benchmarks/bench_cases.py                     # 1,000,000 stored cases, 50 users, 20 s
    python benchmarks/bench_cases.py --rows 100000 --seconds 10

1. Sustained intake: batches of 50 requests through `intake_many` (validation, classification with the
   trained model when one is found, routing, working-day deadline, repeat check, audit), requests/second.
2. Dispatcher queue: `--rows` cases bulk-loaded with COPY over Zhejiang's towns, then `--users` threads call
   `queue()` as town-, county- and city-scoped dispatchers for `--seconds`; p50/p95 latency and throughput.
Runs in a fresh schema that is dropped afterwards. The load generator shares the machine's cores.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

PG = os.environ.get("GONGFU_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TEXTS = ["小区楼下餐馆油烟扰民", "道路破损坑洼影响通行", "学校周边交通拥堵", "医保报销进度咨询", "工资被拖欠三个月",
         "垃圾清运不及时", "公交线路调整诉求", "景区门票价格投诉"]  # fmt: skip


def towns(n: int = 400) -> list[str]:
    from gongfu.regions import load

    reg = load()
    out = []
    for city in reg.children("330000"):
        for county in reg.children(city.code):
            out += [t.code for t in reg.children(county.code)]
    return out[:n]


def bulk_load(conninfo: str, schema: str, rows: int, places: list[str]) -> float:
    t0 = time.perf_counter()
    rnd = random.Random(1)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    states = ["received"] * 1 + ["dispatched", "signed", "handling"] + ["archived"] * 16
    cols = ("channel,kind,category,category_source,model_version,department,title,description,region_code,county_code,village,"
            "grid,address,contact_masked,contact_protected,contact_key,urgency,status,level,unit,unit_region,"
            "unit_place,received_at,due_at,due_estimated,working_days,closing_note,callback_note,reopen_count,"
            "attachments,created_by,updated_at,version")  # fmt: skip
    with psycopg.connect(conninfo) as conn, conn.cursor() as cur:
        cur.execute(f'set search_path to "{schema}"')
        with cur.copy(f"COPY cases ({cols}) FROM STDIN") as cp:
            for i in range(rows):
                town = places[i % len(places)]
                t = base + timedelta(minutes=i * 0.5)
                due = t + timedelta(days=14)
                cp.write_row(("12345", "诉求", "城乡建设", "given", "", "住房和城乡建设局", "", rnd.choice(TEXTS),
                              town, town[:6], "", f"G{i % 20:02d}", "", "", "", "", "normal", rnd.choice(states), "town",
                              "乡镇（街道）基层治理综合信息指挥室", town, "", t, due, False, 10, "", "", 0, "[]",
                              "bench", t, 1))  # fmt: skip
        cur.execute("analyze cases")
        conn.commit()
    return time.perf_counter() - t0


def bench_intake(db, seconds: float) -> tuple[int, float, bool]:
    from gongfu.cases.actor import operator
    from gongfu.cases.classify import load_model
    from gongfu.cases.intake import CaseDraft, intake_many
    from gongfu.errors import NotFound

    try:
        clf = load_model()
    except NotFound:
        clf = None
    actor, rnd, n = operator("bench"), random.Random(2), 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        drafts = [CaseDraft(rnd.choice(TEXTS) + f"（合成{n + k}）", "330402007", grid=f"G{k % 9}",
                            contact=f"138{rnd.randrange(10**8):08d}", channel="12345") for k in range(50)]  # fmt: skip
        n += len(intake_many(db, actor, drafts, classifier=clf).ids)
    return n, time.perf_counter() - t0, clf is not None


def bench_queue(db, users: int, seconds: float, roots: list[str]) -> list[float]:
    from gongfu.cases.actor import CaseActor
    from gongfu.cases.queries import queue
    from gongfu.regions import load

    reg = load()
    lat: list[float] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        root = roots[i % len(roots)]
        actor = CaseActor(
            f"u{i}", frozenset({"dispatcher"}), root, lambda c, r=root: bool(c) and reg.is_within(c, r)
        )
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            queue(db, actor, limit=50)
            mine.append(time.perf_counter() - t)
        with lock:
            lat.extend(mine)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return lat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    a = ap.parse_args()
    from cryptography.fernet import Fernet

    os.environ.setdefault("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    from gongfu.store.db import open_db

    conninfo = PG.replace("postgresql+psycopg://", "postgresql://")
    schema = f"bench_cases_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'create schema "{schema}"')
    try:
        db = open_db(f"{PG}?options=-csearch_path%3D{schema}")
        n, secs, with_model = bench_intake(db, min(a.seconds, 20))
        print(f"intake: {n} requests in {secs:.1f} s = {n / secs:.1f} req/s "
              f"({'with' if with_model else 'WITHOUT (no trained model found)'} classification)")  # fmt: skip
        places = towns()
        print(f"bulk load: {a.rows} synthetic cases in {bulk_load(conninfo, schema, a.rows, places):.1f} s")
        counties = sorted({p[:6] for p in places})
        roots = places[:20] + counties[:20] + ["330100", "330200", "330300", "330400"] + ["330000"] * 6
        lat = sorted(bench_queue(db, a.users, a.seconds, roots))
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        print(f"queue: {len(lat)} calls by {a.users} users in {a.seconds:.0f} s = {len(lat) / a.seconds:.1f}/s; "
              f"p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, max {lat[-1] * 1000:.1f} ms, "
              f"mean {statistics.mean(lat) * 1000:.1f} ms")  # fmt: skip
        db.engine.dispose()
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'drop schema "{schema}" cascade')


if __name__ == "__main__":
    main()
