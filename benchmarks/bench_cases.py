"""Benchmark (not a test): the closed loop on PostgreSQL. All cases here are SYNTHETIC.

    python benchmarks/bench_cases.py                     # 1,000,000 stored cases, 50 users, 20 s
    python benchmarks/bench_cases.py --rows 100000 --seconds 10
    python benchmarks/bench_cases.py --csv-only --json   # only the CSV intake figures, JSON last line

0. Intake of `--csv-rows` (1,000) requests from a 12345-export CSV (`read_export` + `intake_many`, as
   `gongfu cases import` does) with classification by a model loaded once per process (cached), on
   SQLite and on PostgreSQL, requests/second; the baseline, measured in the same run, is the old way —
   one `cases intake` per request, each loading the model anew. The model is trained here on the
   labelled messages in /work/shared/data (or `--train FILE`) unless $GONGFU_CASE_MODEL names one.

1. Sustained intake: batches of 50 requests through `intake_many` (validation, classification with the
   trained model when one is found, routing, working-day deadline, repeat check, audit), requests/second.
2. Dispatcher queue: `--rows` cases bulk-loaded with COPY over Zhejiang's towns, then `--users` threads call
   `queue()` as town-, county- and city-scoped dispatchers for `--seconds`; p50/p95 latency and throughput.
Runs in a fresh schema that is dropped afterwards. The load generator shares the machine's cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

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


TRAIN = Path("/work/shared/data/citizen-messages-train.csv")


def model_path(tmp: Path, train: Path) -> Path:
    """$GONGFU_CASE_MODEL, else a model trained now on `train` (the labelled citizen messages)."""
    from gongfu.cases.classify import read_labelled, train_model

    if os.environ.get("GONGFU_CASE_MODEL"):
        return Path(os.environ["GONGFU_CASE_MODEL"])
    if not train.exists():
        raise SystemExit(f"no labelled messages at {train}: pass --train FILE or set GONGFU_CASE_MODEL")
    t = time.perf_counter()
    path = train_model(read_labelled(train), source=train.name).save(tmp / "case-classifier.joblib")
    print(f"trained a classifier on {train.name} in {time.perf_counter() - t:.1f} s")
    return path


def write_csv(path: Path, n: int) -> Path:
    """A SYNTHETIC 12345 export: n requests across Zhejiang's towns, with ticket numbers and phones."""
    rnd, places = random.Random(3), towns()
    base = datetime(2025, 3, 1, 8, 0)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单编号", "诉求内容", "区划代码", "联系电话", "受理时间"])
        for i in range(n):
            w.writerow([f"SYN{i:06d}", rnd.choice(TEXTS) + f"（合成{i}）", places[i % len(places)],
                        f"139{rnd.randrange(10**8):08d}", (base + timedelta(minutes=3 * i)).strftime("%Y-%m-%d %H:%M:%S")])  # fmt: skip
    return path


def bench_csv_intake(db, csv_path: Path, model: Path) -> tuple[int, float, float]:
    """(requests, seconds for read + classify + store, seconds of which loading the cached model)."""
    from gongfu.cases.actor import operator
    from gongfu.cases.classify import load_model
    from gongfu.cases.hotline import read_export
    from gongfu.cases.intake import intake_many

    t0 = time.perf_counter()
    clf = load_model(model)  # the process's cached model: loaded on the first call only
    t1, c1 = time.perf_counter(), time.process_time()
    drafts = read_export(csv_path, channel="12345")
    res = intake_many(db, operator("bench"), drafts, classifier=clf, source=csv_path.name)
    assert len(res.ids) == len(drafts)
    print(f"  read + classify + store after the model is loaded: {time.perf_counter() - t1:.2f} s wall,"
          f" {time.process_time() - c1:.2f} CPU-s of this process")  # fmt: skip
    return len(res.ids), time.perf_counter() - t0, t1 - t0


def bench_one_per_call(db, model: Path, calls: int = 3) -> float:
    """The old way: one request per `cases intake` run, each run loading the model anew (seconds/request)."""
    from gongfu.cases.actor import operator
    from gongfu.cases.classify.model import _read
    from gongfu.cases.intake import CaseDraft, intake_many

    t0 = time.perf_counter()
    for k in range(calls):
        clf = _read(model)  # what every CLI process did: unpickle the model
        intake_many(db, operator("bench"), [CaseDraft(f"道路破损坑洼影响通行（合成单件{k}）", "330402007")],
                    classifier=clf)  # fmt: skip
    return (time.perf_counter() - t0) / calls


def csv_figures(n: int, train: Path) -> dict:
    from gongfu.store.db import open_db

    out: dict = {"csv_rows": n}
    with tempfile.TemporaryDirectory(prefix="gongfu-bench-cases-") as d:
        tmp = Path(d)
        model = model_path(tmp, train)
        csv_path = write_csv(tmp / "synthetic-12345-export.csv", n)
        conninfo = PG.replace("postgresql+psycopg://", "postgresql://")
        schema = f"bench_intake_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'create schema "{schema}"')
        try:
            dbs = {"sqlite": open_db(f"sqlite:///{tmp / 'cases.db'}"),
                   "postgresql": open_db(f"{PG}?options=-csearch_path%3D{schema}")}  # fmt: skip
            per_call = bench_one_per_call(dbs["sqlite"], model)
            out["one_per_call_req_s"] = 1.0 / per_call
            print(f"old way, one `cases intake` per request (model loaded each time): {per_call:.2f} s/request "
                  f"= {1.0 / per_call:.2f} req/s")  # fmt: skip
            for name, db in dbs.items():
                k, secs, load = bench_csv_intake(db, csv_path, model)
                rate = k / secs
                out[f"{name}_req_s"] = rate
                print(f"{name}: {k} requests from CSV with classification in {secs:.2f} s = {rate:.0f} req/s "
                      f"(model load {load:.2f} s; target >= 200 req/s: {'OK' if rate >= 200 else 'MISSED'}; "
                      f"{rate * per_call:.0f}x the old way)")  # fmt: skip
                db.engine.dispose()
        finally:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f'drop schema "{schema}" cascade')
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--csv-rows", type=int, default=1000)
    ap.add_argument("--train", type=Path, default=TRAIN, help="labelled messages to train the model on")
    ap.add_argument("--csv-only", action="store_true", help="only the CSV intake figures")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    a = ap.parse_args()
    from cryptography.fernet import Fernet

    os.environ.setdefault("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    figures = csv_figures(a.csv_rows, a.train)
    if not a.csv_only:
        figures |= queue_figures(a)
    if a.json:
        print(json.dumps(figures))


def queue_figures(a) -> dict:
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
    return {"sustained_intake_req_s": n / secs, "queue_p50_ms": p(0.5), "queue_p95_ms": p(0.95)}


if __name__ == "__main__":
    main()
