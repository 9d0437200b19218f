"""Bad plan input through the real command: one line naming the file and the reason, non-zero, nothing stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def gongfu(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongfu", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}
        | {k: v for k, v in os.environ.items() if k == "PYTHONPATH"},  # a worktree's sources
    )


def minimal_pdf_without_text() -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = b"0 0 m 100 100 l S"
    objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


CASES = {
    "empty.txt": (b"", "文件为空"),
    "binary.txt": (bytes(range(256)) * 40, ""),
    "truncated.docx": (b"PK\x03\x04\x14\x00\x00\x00 not really a zip", ""),
    "scan.pdf": (minimal_pdf_without_text(), "PDF没有文字层（不支持OCR识别）"),
    "plan.xyz": (b"hello", ""),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_plan_file_is_one_clear_line_and_stores_nothing(tmp_path: Path, name: str) -> None:
    data, reason = CASES[name]
    (tmp_path / name).write_bytes(data)
    r = gongfu("plan", "ingest", name, cwd=tmp_path)
    assert r.returncode != 0
    err = r.stderr.strip()
    assert name in err and "Traceback" not in err
    assert len(err.splitlines()) <= 2  # one message (Rich may wrap a long line once)
    assert reason in err
    listed = gongfu("plan", "list", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stdout.strip() == "[]"


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: 200 MB without writing 200 MB
        fh.seek(200 * 1024 * 1024 - 1)
        fh.write(b"\0")
    r = gongfu("plan", "extract", "huge.txt", cwd=tmp_path)
    assert r.returncode != 0 and "huge.txt" in r.stderr and "文件过大" in r.stderr


def test_hostile_html_yields_text_without_script(tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    page.write_text(
        "<html><head><script>alert('x');document.write('恶意')</script></head><body onload='steal()'>"
        "<nav>首页 > 政务公开</nav><h1>江山市共同富裕行动方案(2021—2025年)</h1>"
        "<p>到2025年,居民人均可支配收入达到7.5万元。</p><div>分享到: 微信 微博</div></body></html>",
        encoding="utf-8",
    )
    r = gongfu("plan", "extract", "plan.html", "--format", "csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "7.5" in r.stdout and "恶意" not in r.stdout and "alert" not in r.stdout


def test_debug_flag_shows_the_trace(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    r = gongfu("--debug", "plan", "ingest", "empty.txt", cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" in r.stderr
