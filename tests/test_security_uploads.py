"""Bounded uploads and names: request and file limits, hostile file names, http(s)-only links, no existence
oracle on plan re-upload, and large imports in the background while the server keeps answering."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from gongfu.store.db import open_db
from gongfu.text.names import clean_text, display_name, foreign_scheme, web_url
from gongfu.web import uploads
from gongfu.web.app import create_app
from web_seed import COUNTY_A, COUNTY_B, add_users, token

CSV_HEAD = "region_code,indicator,value,unit,year,source_url,source_quote\n"


@pytest.fixture
def api(db_url: str):
    add_users(open_db(db_url))
    app = create_app(db_url)
    with TestClient(app) as client:
        yield client
    app.state.db.engine.dispose()


def _items(r) -> list:
    """The rows of a list answer, paged ({"items": …}) or plain."""
    body = r.json()
    return body["items"] if isinstance(body, dict) else body


def _csv(rows: list[str]) -> bytes:
    return (CSV_HEAD + "".join(r + "\n" for r in rows)).encode()


ONE_ROW = f"{COUNTY_A},全体居民人均可支配收入,61000,元,2023,https://tjj.example.gov.cn/2024/1.html,合成"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a" * 300 + ".csv", "a" * 115 + "….csv"),  # 300 bytes answered 500 before (File name too long)
        ("数" * 120 + ".csv", "数" * 115 + "….csv"),  # 360 UTF-8 bytes
        ("evil\u202egpj.csv", "evil gpj.csv"),  # a right-to-left override shown as the name it is
        ("line\r\nbreak\x00.csv", "line%0D%0Abreak%00.csv"),  # the client percent-encodes these (WHATWG)
        ("tab\tand\x7fdel.csv", "tab%09and del.csv"),  # DEL (not encoded by the client) is dropped
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\x\\统计.csv", "统计.csv"),
    ],
)
def test_hostile_file_names_are_stored_clean_and_never_a_500(api, raw: str, shown: str) -> None:
    r = api.post(
        "/api/v1/observations", headers=token(api, "county_a"), files={"file": (raw, _csv([ONE_ROW]))}
    )
    assert r.status_code == 201, r.text
    assert r.json()["file"] == shown
    events = _items(api.get("/api/audit", headers=token(api, "admin")))
    assert [e["new"]["source"] for e in events if e["action"] == "observations.import"] == [shown]


def test_names_of_any_length_and_byte_are_cleaned_not_refused() -> None:
    every = "".join(chr(c) for c in range(0, 0x3000, 7)) + "\udcff\U0010ffff"
    for text in ("", every, every * 50, "\x00" * 1000, "\u202e" * 10 + ".xlsx"):
        name = display_name(text)
        assert len(name) <= 120 and clean_text(name) == name
        assert not any(ch in name for ch in "\r\n\x00\u202e/\\")


def test_a_file_over_its_limit_is_413_while_it_is_copied(api) -> None:
    big = _csv([ONE_ROW]) + b"#" * (uploads.FILE_LIMIT + 10)
    r = api.post("/api/v1/observations", headers=token(api, "county_a"), files={"file": ("big.csv", big)})
    assert r.status_code == 413 and "20 MB" in r.json()["detail"]


def test_a_request_over_its_endpoints_total_is_413_even_when_each_file_is_small(api) -> None:
    h = token(api, "reporter_a")
    pdf = b"%PDF-1.4 synthetic\n" + b"0" * (2 * 1024 * 1024)
    files = [("files", (f"evidence{i}.pdf", pdf)) for i in range(21)]  # 21 × 2 MB > 41 MB for one request
    r = api.post("/api/work/tasks/1/reports", headers=h, data={"percent": "50"}, files=files)
    assert r.status_code == 413 and "请求过大" in r.json()["detail"]
    small = api.post("/api/auth/token", data={"username": "x", "password": "y" * (2 * 1024 * 1024)})
    assert small.status_code == 413  # a sign-in form is not a place for megabytes


def test_javascript_source_urls_are_refused_and_text_sources_are_not_links(api) -> None:
    h = token(api, "county_a")
    bad = ONE_ROW.replace("https://tjj.example.gov.cn/2024/1.html", "javascript:alert(document.cookie)")
    r = api.post("/api/v1/observations", headers=h, files={"file": ("x.csv", _csv([bad]))})
    assert r.status_code == 422 and [p["code"] for p in r.json()["problems"]] == ["bad_url"]
    for url in ("javascript:alert(1)", "JaVaScRiPt:x", "data:text/html,x", "//evil.example", "/relative",
                "http://", "https://ok.example/\u202e", "vbscript:x", " javascript:x"):  # fmt: skip
        assert web_url(url) is None, url
    assert web_url("https://tjj.zj.gov.cn/a?b=1") == "https://tjj.zj.gov.cn/a?b=1"
    for scheme in ("javascript:x", " Java\tScript:x", "data:x", "vbscript:x", "file:///etc/passwd"):
        assert foreign_scheme(scheme), scheme
    for text in ("https://a.example/", "浙江统计年鉴2024", "GitHub copy of the report"):
        assert not foreign_scheme(text), text  # a description is kept, and shown as text


def test_the_observation_page_links_only_http_sources(db_url: str) -> None:
    from gongfu.model import ObservationDraft
    from gongfu.observations.service import store_drafts

    db = open_db(db_url)
    add_users(db)
    draft = ObservationDraft(indicator="urban_rural_income_ratio", region=COUNTY_A, year=2023, value=1.8,
                             unit="", source="old.csv", source_row=2, source_text="合成",
                             source_url="javascript:alert(1)")  # fmt: skip
    oid = store_drafts(db, [draft], source="old.csv", sha256="0" * 64, by="test").import_id
    with TestClient(create_app(db_url)) as web:
        form = web.get("/login")
        csrf = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        web.post("/login", data={"username": "county_a", "password": "synthetic-pass-1", "csrf_token": csrf})
        obs = web.get(f"/api/v1/observations?region={COUNTY_A}", headers=token(web, "county_a")).json()
        page = web.get(f"/observations/{obs['items'][0]['id']}")
    assert oid and page.status_code == 200 and "javascript:alert(1)" in page.text
    assert 'href="javascript:' not in page.text


def test_reuploading_another_regions_plan_answers_as_a_new_document(api, tmp_path) -> None:
    text = "某县共同富裕行动方案（合成）\n到2025年，城乡居民收入倍差缩小到1.90以内。\n".encode()
    a = api.post("/api/v1/plans", headers=token(api, "county_a"), files={"file": ("p.txt", text)})
    b = api.post("/api/v1/plans", headers=token(api, "county_b"), files={"file": ("p.txt", text)})
    fresh = api.post("/api/v1/plans", headers=token(api, "county_b"),
                     files={"file": ("q.txt", text.replace(b"1.90", b"1.80"))})  # fmt: skip
    assert a.status_code == b.status_code == fresh.status_code == 201
    assert b.json()["created"] is True and b.json()["region_code"] == COUNTY_B
    assert b.json().keys() == fresh.json().keys()
    again = api.post("/api/v1/plans", headers=token(api, "county_b"), files={"file": ("p.txt", text)})
    assert again.json()["created"] is False and again.json()["plan_id"] == b.json()["plan_id"]


def _big_csv(min_bytes: int) -> tuple[bytes, int]:
    from gongfu.regions import load

    reg = load()
    towns = [t.code for c in reg.children("330400") for t in reg.children(c.code)]
    rows = []
    quote = (
        "合成数据，仅供测试" * 100
    )  # long quotes: over the job threshold with few rows, so the test is quick
    for ind in ("全体居民人均可支配收入",):
        for town in towns:
            for year in range(1990, 2026):
                rows.append(
                    f"{town},{ind},{30000 + year},元,{year},https://tjj.example.gov.cn/{year}.html,{quote}"
                )
    body = _csv(rows)
    assert len(body) > min_bytes
    return body, len(rows)


def test_a_large_import_runs_as_a_job_and_the_server_keeps_answering(db_url: str) -> None:
    """Ordering, not timing: /api/auth/me is answered while the import is still running."""
    from browser_support import serve
    from gongfu.settings import settings

    add_users(open_db(db_url))
    body, n = _big_csv(settings().import_job_bytes)
    app = create_app(db_url)
    with serve(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        h = token(client, "admin")
        r = client.post("/api/v1/observations", headers=h, files={"file": ("大文件.csv", io.BytesIO(body))})
        assert r.status_code == 202, r.text
        status_url = r.json()["status_url"]
        me = client.get("/api/v1/auth/me", headers=h)
        answered_at = datetime.now(UTC)  # same machine, same clock as the server's job record
        assert me.status_code == 200
        for _ in range(600):
            job = client.get(status_url, headers=h).json()
            if job["state"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert job["state"] == "done" and job["status"] == 201, job
        assert answered_at < datetime.fromisoformat(
            job["finished_at"]
        )  # /me answered before the import ended
        assert job["result"]["rows"] == n and job["result"]["added"] == n
        assert client.get(status_url, headers=token(client, "county_a")).status_code == 404  # not theirs
    app.state.jobs.shutdown()
    app.state.db.engine.dispose()


def test_county_b_does_not_see_county_a_in_the_audit_but_each_county_sees_a_two_county_import(api) -> None:
    rows = [ONE_ROW, ONE_ROW.replace(COUNTY_A, COUNTY_B)]
    r = api.post("/api/v1/observations", headers=token(api, "city"), files={"file": ("two.csv", _csv(rows))})
    assert r.status_code == 201, r.text
    from gongfu.access import add_user

    db = api.app.state.db
    add_user(db, "admin_a", role="admin", region=COUNTY_A, password="synthetic-pass-1", by="test")
    add_user(db, "admin_b", role="admin", region=COUNTY_B, password="synthetic-pass-1", by="test")
    for name, region in (("admin_a", COUNTY_A), ("admin_b", COUNTY_B)):
        events = _items(api.get("/api/audit", headers=token(api, name)))
        [imp] = [e for e in events if e["action"] == "observations.import"]
        assert region in imp["regions"] and imp["region_code"] == "330400"
