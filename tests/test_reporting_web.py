"""The cascade and reporting API and pages: scope, roles, states as HTTP statuses; pages render. Synthetic."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cascade_seed import CITY, NAMES, add_plan, add_users, sheet
from gongfu.reporting import add_member
from gongfu.web.app import create_app
from gongfu.work.access import operator_scope
from web_seed import token

COUNTY = "330411"
USERS = {
    "city": ("analyst", CITY),
    "county": ("analyst", COUNTY),
    "other": ("analyst", "330402"),
    "rep": ("reporter", COUNTY),
    "boss": ("reporter", COUNTY),
}


@pytest.fixture
def client(db, db_url):
    [target] = add_plan(db, CITY, [("地区生产总值", "gdp", ">=", 7000.0, "亿元")])
    add_users(db, USERS)
    add_member(db, operator_scope(COUNTY), "rep", region=COUNTY, unit="区统计局", duty="reporter")
    add_member(db, operator_scope(COUNTY), "boss", region=COUNTY, unit="区统计局", duty="approver")
    with TestClient(create_app(db_url)) as c:
        c.target = target  # type: ignore[attr-defined]
        yield c


def test_cascade_over_the_api(client, tmp_path):
    city, other = token(client, "city"), token(client, "other")
    bad = sheet(tmp_path / "bad.xlsx", [("杭州市", "地区生产总值", 5, 2025, "")])
    r = client.post(
        "/api/v1/cascade/import",
        headers=city,
        data={"region": CITY},
        files={"file": ("bad.xlsx", bad.read_bytes())},
    )
    assert r.status_code == 422 and r.json()["problems"][0]["row"] == 3
    good = sheet(tmp_path / "s.xlsx", [(n, "地区生产总值", 1000, 2025, "") for n in NAMES])
    r = client.post(
        "/api/v1/cascade/import",
        headers=city,
        data={"region": CITY},
        files={"file": ("s.xlsx", good.read_bytes())},
    )
    assert r.status_code == 201 and len(r.json()["links"]) == 7
    view = client.get(f"/api/v1/cascade/{client.target}", headers=city).json()
    assert view["verdict"]["status"] == "consistent" and view["verdict"]["aggregate"] == 7000
    assert (
        client.get(f"/api/v1/cascade/{client.target}", headers=other).status_code == 404
    )  # a county does not see the city
    r = client.post(
        f"/api/v1/cascade/{client.target}/children", headers=city, json={"region": "秀洲区", "value": 500}
    )
    assert r.status_code == 409  # already set: never silently replaced
    r = client.post(
        f"/api/v1/cascade/{client.target}/children",
        headers=city,
        json={"region": "秀洲区", "value": 500, "replace": True},
    )
    assert r.status_code == 201
    assert client.get("/api/v1/cascade", headers=city).json()["items"][0]["status"] == "short"  # 6500 < 7000


def test_reporting_over_the_api(client, tmp_path):
    city, county, rep, boss = (token(client, n) for n in ("city", "county", "rep", "boss"))
    good = sheet(tmp_path / "s.xlsx", [(n, "地区生产总值", 1000, 2025, "") for n in NAMES])
    client.post(
        "/api/v1/cascade/import",
        headers=city,
        data={"region": CITY},
        files={"file": ("s.xlsx", good.read_bytes())},
    )
    rows = client.get(
        "/api/v1/reporting/requests", headers=city, params={"region": CITY, "year": 2025, "children": True}
    ).json()["items"]
    assert {r["region"] for r in rows} == {
        CITY,
        "330402",
        COUNTY,
        "330421",
        "330424",
        "330481",
        "330482",
        "330483",
    }
    assert (
        client.post(
            "/api/v1/reporting/requests", headers=rep, json={"region": COUNTY, "year": 2025}
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/reporting/requests", headers=city, json={"region": CITY, "year": 2025, "children": True}
        ).json()["added"]
        == 8
    )
    form = client.post(
        "/api/v1/reporting/forms", headers=rep, json={"region": COUNTY, "unit": "区统计局", "period": "2025"}
    ).json()
    item = form["items"][0]["item"]
    assert form["moves"] == ["save", "submit"]
    r = client.post(
        f"/api/v1/reporting/forms/{form['form']}/submit", headers=rep, json={"version": form["version"]}
    )
    assert r.status_code == 422 and r.json()["problems"][0]["code"] == "missing"
    v = client.post(
        f"/api/v1/reporting/forms/{form['form']}/save",
        headers=rep,
        json={"version": form["version"], "entries": [{"item": item, "value": "980"}]},
    ).json()
    v = client.post(
        f"/api/v1/reporting/forms/{form['form']}/submit", headers=rep, json={"version": v["version"]}
    ).json()
    assert (
        client.post(
            f"/api/v1/reporting/forms/{form['form']}/approve", headers=county, json={"version": v["version"]}
        ).status_code
        == 403
    )
    r = client.post(
        f"/api/v1/reporting/forms/{form['form']}/return",
        headers=boss,
        json={"version": v["version"], "reason": ""},
    )
    assert r.status_code == 400
    v = client.post(
        f"/api/v1/reporting/forms/{form['form']}/approve", headers=boss, json={"version": v["version"]}
    ).json()
    stale = client.post(
        f"/api/v1/reporting/forms/{form['form']}/approve", headers=county, json={"version": v["version"] - 1}
    )
    assert stale.status_code == 409
    v = client.post(
        f"/api/v1/reporting/forms/{form['form']}/approve", headers=county, json={"version": v["version"]}
    ).json()
    assert v["state"] == "approved" and v["added"] == 1
    t = client.get("/api/v1/reporting/timeliness", headers=city, params={"region": CITY, "year": 2025}).json()
    assert {u["unit"]: u["late"] + u["on_time"] for u in t["units"]}["区统计局"] >= 1
    assert client.get("/api/v1/reporting/mine", headers=boss).json()["units"][0]["unit"] == "区统计局"


def test_pages_render_and_ask_for_a_login(client):
    assert client.get("/cascade", follow_redirects=False).status_code == 303
    r = client.post(
        "/login",
        data={
            "username": "city",
            "password": "synthetic-pass-1",
            "next": "/cascade",
            "csrf_token": _login_csrf(client),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    for path in (
        "/cascade",
        f"/cascade/{client.target}",
        "/reporting",
        f"/reporting/timeliness?region={CITY}&year=2025",
    ):
        page = client.get(path)
        assert page.status_code == 200 and "<script>" not in page.text, path  # no inline scripts (CSP)


def _login_csrf(client) -> str:
    import re

    html = client.get("/login").text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_units_supervision_page_lists_its_overdue_data(client, db):
    from gongfu.reporting import issue, needed
    from gongfu.store.work_tables import UnitRow

    issue(db, operator_scope(CITY), needed(db, operator_scope(CITY), CITY, 2025))  # due 2026-01-10: past
    with db.session() as s:
        unit = UnitRow(region_code=CITY, name="市统计局")
        s.add(unit)
        s.flush()
        unit_id = unit.id
    r = client.post(
        "/login",
        data={
            "username": "city",
            "password": "synthetic-pass-1",
            "next": "/",
            "csrf_token": _login_csrf(client),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get(f"/work/units/{unit_id}")
    assert page.status_code == 200
    owed = page.text[page.text.index('id="owed"') :]
    assert "2025年" in owed and "地区生产总值" in owed and "未填报" in owed
