"""Benchmark (not a test): the server's peak memory while it imports a 1,000,000-row SYNTHETIC observation
.xlsx uploaded over HTTP — the upload that ran 200 s inside its request and peaked at 2 GB (issue 14).

    python benchmarks/bench_upload_memory.py                 # 1,000,000 rows, SQLite
    python benchmarks/bench_upload_memory.py --rows 200000 --json

A real server process (uvicorn, `create_app`) on loopback; the workbook (tests/upload_support.py) is written as
sheet XML with shared strings, as Excel writes it. The upload must answer 202 at once (a background job);
its status is polled until done, recording the row progress it shows. Measured from /proc: the server's
resident memory before the upload and its peak (VmHWM, reset just before the upload) until the job ends;
the bound is 1 GiB. The baseline in the same run: the same server's peak for a one-row upload.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from upload_support import (
    MiB,
    observation_workbook,
    peak_rss,
    reset_peak,
    rss,
    server_process,
    wait_for_job,
)

GiB = 1024 * MiB


def upload(client, headers: dict, pid: int, path: Path) -> dict:
    """Upload `path`; the answer, the job's last status, the phases and rows it showed, and the memory."""
    before = rss(pid)
    reset = reset_peak(pid)
    t0 = time.perf_counter()
    with path.open("rb") as f:
        r = client.post("/api/v1/observations", headers=headers, files={"file": (path.name, f)})
    answered = time.perf_counter() - t0
    seen: list[dict] = []
    busy: list[str] = []
    job = (
        wait_for_job(client, r.json()["status_url"], headers, seen, busy=busy, every=0.5)
        if r.status_code == 202
        else r.json()
    )
    wall = time.perf_counter() - t0
    steps = [(j["progress"]["phase"], j["progress"]["rows"]) for j in seen if j["progress"]["phase"]]
    return {"status": r.status_code, "answered_s": answered, "wall_s": wall, "state": job.get("state"),
            "rows": (job.get("result") or {}).get("rows"), "rss_before_mb": before / MiB,
            "peak_mb": peak_rss(pid) / MiB, "peak_reset": reset, "progress_reports": len(set(steps)),
            "phases": sorted({p for p, _ in steps}), "max_rows_shown": max((n for _, n in steps), default=0), "status_503": len(busy)}  # fmt: skip


def main() -> None:
    import httpx

    from gongfu.store.db import open_db
    from web_seed import add_users, token

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "百万行观测数据.xlsx"
        t0 = time.perf_counter()
        n = observation_workbook(big, args.rows)
        file_mb = big.stat().st_size / MiB
        built = time.perf_counter() - t0
        small = Path(tmp) / "一行.xlsx"
        observation_workbook(small, 1)
        print(f"SYNTHETIC workbook: {n:,} rows, {big.stat().st_size / MiB:.1f} MB, written in {built:.1f} s")
        url = f"sqlite:///{tmp}/bench.db"
        add_users(open_db(url))
        # a one-row file would be imported inline: the job threshold set low so both go the same way
        with (
            server_process(url, {"GONGFU_IMPORT_JOB_BYTES": "0"}) as (base, pid),
            httpx.Client(base_url=base, timeout=3600) as c,
        ):
            h = token(c, "admin")
            baseline = upload(c, h, pid, small)
            result = upload(c, h, pid, big)
    for what, r in (("1 row", baseline), (f"{n:,} rows", result)):
        print(f"{what:>16}: {r['status']} in {r['answered_s']:.2f} s, job {r['state']} after {r['wall_s']:.0f} s, "
              f"{r['rows']} rows; server RSS {r['rss_before_mb']:.0f} MB before, peak {r['peak_mb']:.0f} MB "
              f"(reset: {r['peak_reset']}); progress shown {r['progress_reports']}× "
              f"{'/'.join(r['phases'])} up to {r['max_rows_shown']:,} rows; {r['status_503']} status polls got 503 or a dropped connection")  # fmt: skip
    ok = result["state"] == "done" and result["peak_mb"] * MiB < GiB
    print(
        f"peak for {n:,} rows: {result['peak_mb']:.0f} MB (bound 1024 MB) — {'met' if ok else 'NOT met'}; "
        f"{result['peak_mb'] / baseline['peak_mb']:.2f}× the one-row upload's peak"
    )
    if args.json:
        print(json.dumps({"rows": n, "file_mb": file_mb, "baseline": baseline, "upload": result,
                          "bound_mb": 1024, "met": ok}))  # fmt: skip


if __name__ == "__main__":
    main()
