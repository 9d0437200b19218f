"""The loop's Open311 API and dashboard pages, region-scoped, on both databases (synthetic users and cases)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gongfu.cases.web import router as cases_router
from gongfu.web.app import create_app
from web_seed import PASSWORD, seed, token

TOWN_B = "330402007"  # in county B (南湖区), outside county A


@pytest.fixture(autouse=True)
def _no_model(monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("GONGFU_CONTACT_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv(
        "GONGFU_CASE_MODEL", str(tmp_path / "absent.joblib")
    )  # cases arrive 待分类 unless coded


@pytest.fixture
def web(db, db_url):
    seed(db)
    app = create_app(db_url)
    app.include_router(cases_router)
    with TestClient(app) as client:
        yield client
        client.app.state.db.engine.dispose()


def _post(web, who: str, **form) -> str:
    r = web.post("/api/v1/open311/v2/requests", headers=token(web, who), data={"region": TOWN_B, **form})
    assert r.status_code == 201, r.text
    return r.json()[0]["service_request_id"]


def test_open311_post_get_list_and_states(web):
    cid = _post(
        web, "county_b", description="小区路灯不亮", service_code="城乡建设", phone="13812345678", grid="G01"
    )
    h = token(web, "county_b")
    [one] = web.get(f"/api/v1/open311/v2/requests/{cid}", headers=h).json()
    assert one["status"] == "open" and one["gongfu_status"] == "received" and one["contact"] == "138****5678"
    assert one["agency_responsible"] == "乡镇（街道）基层治理综合信息指挥室"
    assert [
        c["service_request_id"] for c in web.get("/api/v1/open311/v2/requests?status=open", headers=h).json()
    ] == [cid]
    assert web.get("/api/v1/open311/v2/requests?status=closed", headers=h).json() == []
    assert web.get("/api/v1/open311/v2/requests?status=bogus", headers=h).status_code == 400
    r = web.post(f"/api/v1/cases/{cid}/moves", headers=h, json={"action": "dispatch", "version": 1})
    assert r.status_code == 200 and r.json()["to"] == "dispatched"
    stale = web.post(
        f"/api/v1/cases/{cid}/moves", headers=h, json={"action": "reroute", "reason": "x", "version": 1}
    )
    assert stale.status_code == 409
    assert web.get("/api/v1/cases/queue", headers=h).json()["items"] == []
    codes = {s["service_code"] for s in web.get("/api/v1/open311/v2/services", headers=h).json()}
    assert "城乡建设" in codes


def test_scope_and_roles(web):
    cid = _post(web, "county_b", description="工地噪音", service_code="环境保护")
    other = token(web, "county_a")
    assert web.get(f"/api/v1/open311/v2/requests/{cid}", headers=other).status_code == 404
    assert web.get("/api/v1/open311/v2/requests", headers=other).json() == []
    r = web.post("/api/v1/open311/v2/requests", headers=other, data={"region": TOWN_B, "description": "越界"})
    assert r.status_code == 422  # every problem listed, nothing stored
    viewer = token(web, "viewer_a")
    r = web.post("/api/v1/open311/v2/requests", headers=viewer, data={"region": "330411", "description": "x"})
    assert r.status_code == 403
    city = token(web, "city")
    assert [c["service_request_id"] for c in web.get("/api/v1/open311/v2/requests", headers=city).json()] == [
        cid
    ]
    rows = {
        r["region_code"]: r["total"] for r in web.get("/api/v1/cases/breakdown", headers=city).json()["items"]
    }
    assert rows["330402"] == 1 and rows["330411"] == 0


def test_moves_are_audited(web):
    cid = _post(web, "county_b", description="道路破损", service_code="交通运输")
    web.post(f"/api/v1/cases/{cid}/moves", headers=token(web, "county_b"), json={"action": "dispatch"})
    events = web.get("/api/v1/audit", headers=token(web, "admin")).json()["items"]
    actions = [e["action"] for e in events]
    assert "case.intake" in actions and "case.dispatch" in actions


def test_pages_need_sign_in_and_render_in_chinese(web):
    assert web.get("/cases", follow_redirects=False).status_code == 303
    cid = _post(web, "county_b", description="垃圾清运不及时", service_code="环境保护")
    form = web.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    web.post("/login", data={"username": "county_b", "password": PASSWORD, "csrf_token": csrf})
    for path in (
        "/cases",
        "/cases/inbox",
        "/cases/warnings",
        "/cases/regions",
        "/cases/measures",
        f"/cases/{cid}",
    ):
        r = web.get(path)
        assert r.status_code == 200, path
    page = web.get(f"/cases/{cid}").text
    assert "垃圾清运不及时" in page and "分派" in page
    session_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = web.post(
        f"/cases/{cid}/move", data={"action": "dispatch", "csrf_token": "wrong"}, follow_redirects=False
    )
    assert r.status_code == 403
    r = web.post(
        f"/cases/{cid}/move", data={"action": "dispatch", "csrf_token": session_csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    assert "承办记录" in web.get(f"/cases/{cid}").text
