"""Hostile uploads against a real server process: zip bombs as a plan (.docx), as observations (.xlsx) and as a
task list (.xlsx). Each is refused with a clear message, and the server's peak resident memory (VmHWM, read
from /proc) stays under 1 GiB; it answers normally afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from gongfu.store.db import open_db
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


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def test_zip_bombs_are_refused_and_the_server_stays_under_1_gib(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bombs.db'}"
    add_users(open_db(url))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"import uvicorn; from gongfu.web.app import create_app; uvicorn.run(create_app({url!r}), host='127.0.0.1', port={port}, log_level='warning')"
    server = subprocess.Popen([sys.executable, "-c", code])
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=300) as c:
            for _ in range(1200):  # the server process imports the app and loads the region data first
                assert server.poll() is None, "the server process ended"
                try:
                    c.get("/login")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            h = token(c, "city")
            before = _peak_rss(server.pid)
            docx, xlsx = docx_bomb(tmp_path / "方案.docx"), xlsx_bomb(tmp_path / "数据.xlsx")
            assert docx.stat().st_size < 16 * 1024 * 1024 and xlsx.stat().st_size < 16 * 1024 * 1024
            answers = [
                c.post("/api/v1/plans", headers=h, files={"file": (docx.name, docx.read_bytes())}),
                c.post("/api/v1/observations", headers=h, files={"file": (xlsx.name, xlsx.read_bytes())}),
                c.post(
                    "/api/v1/work/lists/import",
                    headers=h,
                    files={"file": ("清单.xlsx", xlsx.read_bytes())},
                    data={"kind": "key_tasks", "region": "330400", "year": "2025"},
                ),
            ]
            for r in answers:
                assert r.status_code == 400 and "压缩" in r.json()["detail"], r.text
            assert c.get("/api/v1/auth/me", headers=h).status_code == 200  # still serving
            peak = _peak_rss(server.pid)
        print(f"server peak RSS: {before / 2**20:.0f} MiB before the bombs, {peak / 2**20:.0f} MiB after")
        assert peak < GiB
    finally:
        server.terminate()
        server.wait(20)
