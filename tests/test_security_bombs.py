"""Hostile uploads against a real server process, each with the server's peak resident memory (VmHWM from /proc,
reset before each upload): zip bombs as a plan (.docx), as observations (.xlsx) and as a task list (.xlsx) are
refused with a clear message; twenty 19 MB evidence files in one request are refused while they arrive; a large
observation workbook is imported as a job showing its rows, in memory growing far slower than 1 KiB a row. The
server answers normally after each."""

from __future__ import annotations

import select
import socket
import zipfile
from pathlib import Path

import httpx
import pytest

from gongfu.store.db import open_db
from upload_support import MiB, observation_workbook, peak_rss, reset_peak, rss, server_process, wait_for_job
from web_seed import add_users, token

GiB = 1024**3
INFLATED = (
    1 * GiB
)  # each bomb's main XML part: 1 GiB of repetitive markup, a few MB compressed (level 1: quick to build)

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc for the RSS")


def _bomb(path: Path, parts: dict[str, str], big_part: str, opening: str, unit: str) -> Path:
    """An Office zip whose `big_part` inflates to INFLATED bytes; written in chunks (never in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        with zf.open(big_part, "w", force_zip64=True) as f:
            f.write(opening.encode())
            block = (unit * ((1 << 20) // len(unit))).encode()
            written = 0
            while written < INFLATED:
                f.write(block)
                written += len(block)
    return path


def docx_bomb(path: Path) -> Path:
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')  # fmt: skip
    return _bomb(path, {"[Content_Types].xml": ct}, "word/document.xml",
                 '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>',
                 "<w:p><w:r><w:t>到2025年，城乡居民收入倍差缩小到1.90以内。</w:t></w:r></w:p>")  # fmt: skip


def xlsx_bomb(path: Path) -> Path:
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/></Types>')  # fmt: skip
    wb = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
          '<sheet name="Sheet1" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
          'officeDocument/2006/relationships"/></sheets></workbook>')  # fmt: skip
    return _bomb(path, {"[Content_Types].xml": ct, "xl/workbook.xml": wb}, "xl/worksheets/sheet1.xml",
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
                 '<row><c t="inlineStr"><is><t>全体居民人均可支配收入</t></is></c><c><v>61000</v></c></row>')  # fmt: skip


def _stream(base: str, path: str, headers: dict[str, str], parts, limit: int) -> tuple[int, int]:
    """POST a multipart body sent in chunks (Transfer-Encoding: chunked, so no declared size to refuse it by)
    until the server answers or `limit` bytes are sent; (the status, bytes sent)."""
    host, port = base.removeprefix("http://").split(":")
    sent = 0
    with socket.create_connection((host, int(port)), timeout=120) as sock:
        head = [f"POST {path} HTTP/1.1", f"Host: {host}", "Transfer-Encoding: chunked",
                "Content-Type: multipart/form-data; boundary=BOUNDARY", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for chunk in parts:
            if select.select([sock], [], [], 0)[0] or sent > limit:
                break  # the server has answered (or closed): stop sending
            try:
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except OSError:
                break
            sent += len(chunk)
        answer = b""
        while b"\r\n" not in answer and (more := sock.recv(65536)):
            answer += more
    return int(answer.split(b" ", 2)[1]), sent


def _evidence(files: int, size: int):
    """The multipart body of one progress report with `files` PDF files of `size` bytes each, in 1 MiB chunks."""
    yield b'--BOUNDARY\r\nContent-Disposition: form-data; name="percent"\r\n\r\n50\r\n'
    block = b"0" * MiB
    for i in range(files):
        yield (f'--BOUNDARY\r\nContent-Disposition: form-data; name="files"; filename="evidence{i}.pdf"\r\n'
               "Content-Type: application/pdf\r\n\r\n%PDF-1.4 synthetic\n").encode()  # fmt: skip
        for _ in range(size // MiB):
            yield block
        yield b"\r\n"
    yield b"--BOUNDARY--\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bombs') / 'bombs.db'}"
    add_users(open_db(url))
    # every observation upload goes the job's way, however small, as a large one would
    with (
        server_process(url, {"GONGFU_IMPORT_JOB_BYTES": "0"}) as (base, pid),
        httpx.Client(base_url=base, timeout=300) as client,
    ):
        yield client, pid, token(client, "city")


def test_zip_bombs_are_refused_and_each_keeps_the_server_under_1_gib(server, tmp_path: Path) -> None:
    c, pid, h = server
    docx, xlsx = docx_bomb(tmp_path / "方案.docx"), xlsx_bomb(tmp_path / "数据.xlsx")
    assert docx.stat().st_size < 16 * MiB and xlsx.stat().st_size < 16 * MiB
    uploads = {
        "plan .docx": ("/api/v1/plans", docx, {}),
        "observation .xlsx": ("/api/v1/observations", xlsx, {}),
        "task list .xlsx": ("/api/v1/work/lists/import", xlsx, {"kind": "key_tasks", "region": "330400",
                                                                  "year": "2025"}),
    }  # fmt: skip
    peaks = {}
    for what, (path, bomb, data) in uploads.items():
        reset_peak(pid)
        r = c.post(path, headers=h, files={"file": (bomb.name, bomb.read_bytes())}, data=data)
        if r.status_code == 202:  # the observation upload is a job: its end carries the refusal
            r = wait_for_job(c, r.json()["status_url"], h)
            assert r["state"] == "failed" and r["status"] == 400 and "压缩" in r["error"]["detail"], r
        else:
            assert r.status_code == 400 and "压缩" in r.json()["detail"], (what, r.text)
        peaks[what] = peak_rss(pid)
        assert c.get("/api/v1/auth/me", headers=h).status_code == 200  # still serving
    print({k: f"{v / MiB:.0f} MiB" for k, v in peaks.items()})
    assert all(p < GiB for p in peaks.values()), peaks


def test_twenty_evidence_files_of_19_mb_are_refused_while_they_arrive(server) -> None:
    c, pid, h = server
    reporter = token(c, "reporter_a")
    before = rss(pid)
    reset_peak(pid)
    status, sent = _stream(c.base_url.__str__().rstrip("/"), "/api/v1/work/tasks/1/reports", reporter,
                           _evidence(20, 19 * MiB), 380 * MiB)  # fmt: skip
    growth = peak_rss(pid) - before
    print(f"evidence flood: 413 after {sent / MiB:.0f} MiB sent; server grew {growth / MiB:.0f} MiB")
    assert (
        status == 413 and sent < 100 * MiB
    )  # refused near the endpoint's limit (2 files' worth), not at 380
    assert growth < 100 * MiB and c.get("/api/v1/auth/me", headers=h).status_code == 200


ROWS = 30_000


def test_a_large_workbook_imports_as_a_job_with_row_progress_in_bounded_memory(
    server, tmp_path: Path
) -> None:
    """The million-row upload at 30,000 rows: a job whose status shows rows, read by the streaming reader. The
    server's growth, constant costs (openpyxl's import, first-use caches) included, stays under 2 KiB a row:
    the whole-workbook reader with its per-row insert dicts took about 4 KiB a row to read and check alone
    (measured at 50,000 rows: 193 MB). The million is measured by benchmarks/bench_upload_memory.py."""
    c, pid, _ = server
    book = tmp_path / "观测.xlsx"
    assert observation_workbook(book, ROWS) == ROWS
    admin = token(c, "admin")  # the rows span the province
    before = rss(pid)
    reset_peak(pid)
    r = c.post("/api/v1/observations", headers=admin, files={"file": (book.name, book.read_bytes())})
    assert r.status_code == 202, r.text
    seen: list[dict] = []
    job = wait_for_job(c, r.json()["status_url"], admin, seen)
    growth = peak_rss(pid) - before
    assert job["state"] == "done" and job["result"]["added"] == ROWS, job
    assert job["progress"] == {"phase": "storing", "phase_zh": "写入数据库", "rows": ROWS, "total": ROWS}
    order = ["reading", "checking", "storing"]
    shown = [
        (order.index(j["progress"]["phase"]), j["progress"]["rows"]) for j in seen if j["progress"]["phase"]
    ]
    assert shown == sorted(shown)  # phases in order, rows only growing within each
    print(f"{ROWS:,} rows: server grew {growth / MiB:.0f} MiB ({growth / ROWS:.0f} bytes a row)")
    assert growth / ROWS < 2048, growth
