"""Hostile and large uploads against a real server process: the server started on a free port, its resident
memory read from /proc (VmRSS now, VmHWM the peak since the last reset), and a large SYNTHETIC observation
workbook written straight as sheet XML (a million rows in seconds; openpyxl would take minutes).

Used by tests/test_security_bombs.py and benchmarks/bench_upload_memory.py.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

import httpx

MiB = 1024 * 1024
HEADER = ("region_code", "indicator", "value", "unit", "year")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for process {pid}")


def rss(pid: int) -> int:
    """The process's resident memory now, in bytes."""
    return _status(pid, "VmRSS")


def peak_rss(pid: int) -> int:
    """The process's peak resident memory since it started or since `reset_peak`, in bytes."""
    return _status(pid, "VmHWM")


def reset_peak(pid: int) -> bool:
    """Start the peak afresh (Linux: `5` to /proc/PID/clear_refs); False when the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return peak_rss(pid) <= rss(pid) + MiB


@contextmanager
def server_process(db_url: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """A uvicorn server of `create_app(db_url)` in its own process: (base URL, pid), stopped afterwards."""
    import os

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = ("import uvicorn; from gongfu.web.app import create_app; "
            f"uvicorn.run(create_app({db_url!r}), host='127.0.0.1', port={port}, log_level='warning')")  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5) as c:
            for _ in range(3000):  # the process imports the app and loads the region data first
                assert proc.poll() is None, "the server process ended"
                try:
                    c.get("/login")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(30)


def wait_for_job(client: httpx.Client, url: str, headers: dict, seen: list[dict] | None = None,
                 timeout: float = 3600, busy: list[str] | None = None, every: float = 0.05) -> dict:  # fmt: skip
    """Poll a job's status until it ends; every status seen is appended to `seen`. A 503 (on SQLite, a reader
    can time out while a large import's transaction holds the file) is counted in `busy` and asked again; so is,
    when `busy` is given, a dropped connection."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            r = client.get(url, headers=headers)
        except httpx.TransportError as exc:  # a kept-alive connection the loaded server closed: ask again
            if busy is None or len(busy) > 100:
                raise
            busy.append(f"{type(exc).__name__}: {exc}")
            time.sleep(every)
            continue
        if r.status_code == 503:
            if busy is not None:
                busy.append(r.json()["detail"])
            continue
        job = r.json()
        if seen is not None:
            seen.append(job)
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(every)


def observation_workbook(path: Path, rows: int) -> int:
    """A long-layout SYNTHETIC observation .xlsx of `rows` data rows (Zhejiang's regions × 70 catalog
    indicators × the years 2010–2023, every key once) with shared strings and a <dimension>, as Excel writes.
    Returns the number of rows written."""
    from gongfu.catalog.catalog import load_catalog
    from gongfu.regions import load

    reg = load()
    codes = [r.code for c in reg.children("330000") for r in [c, *reg.children(c.code)]]
    towns = [t.code for c in codes for t in reg.children(c) if t.level == "town"]
    inds = [i for i in load_catalog()._by_code.values() if i.kind != "growth"][:70]
    years = range(2010, 2024)
    regions = [*codes, *towns][: max(1, -(-rows // (len(inds) * len(years))))]
    strings = list(dict.fromkeys([*HEADER, *(i.code for i in inds), *(i.unit for i in inds), *regions]))
    at = {s: k for k, s in enumerate(strings)}
    n = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">'
                    f'<dimension ref="A1:E{rows + 1}"/><sheetData>'.encode())  # fmt: skip
            f.write(
                b'<row r="1">' + b"".join(f'<c t="s"><v>{k}</v></c>'.encode() for k in range(5)) + b"</row>"
            )
            buf: list[str] = []
            for code in regions:
                for ind in inds:
                    base = 10.0 + (sum(map(ord, code + ind.code)) % 50)
                    for k, year in enumerate(years):
                        if n == rows:
                            break
                        n += 1
                        buf.append(f'<row r="{n + 1}"><c t="s"><v>{at[code]}</v></c><c t="s"><v>{at[ind.code]}'
                                   f'</v></c><c><v>{base * (1 + 0.03 * k):.4f}</v></c><c t="s"><v>{at[ind.unit]}'
                                   f'</v></c><c><v>{year}</v></c></row>')  # fmt: skip
                        if len(buf) == 10_000:
                            f.write("".join(buf).encode())
                            buf = []
            f.write("".join(buf).encode() + b"</sheetData></worksheet>")
        sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        zf.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_NS}" '
                    f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>')  # fmt: skip
        zf.writestr("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types">'
                    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    f'<Default Extension="xml" ContentType="application/xml"/>'
                    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>')  # fmt: skip
        zf.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">'
                    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="{_REL}">'
                    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
        zf.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships '
                    f'xmlns="{_PKG}/relationships"><Relationship Id="rId1" Type="{_REL}/worksheet" '
                    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_REL}/sharedStrings" '
                    'Target="sharedStrings.xml"/></Relationships>'.replace("{_REL}", _REL))  # fmt: skip
    return n
