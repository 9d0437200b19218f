"""The work API and pages on SQLite and PostgreSQL: scope, conflicts (409), evidence, the finding loop with
roles, policy search, and the dashboard pages (synthetic data)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongfu.web.app import create_app
from gongfu.work import service
from gongfu.work.web import install
from web_seed import CITY, COUNTY_A, COUNTY_B, PASSWORD, add_users, token
from work_seed import PDF, scope, synthetic_xlsx


@pytest.fixture
def api(db, db_url, tmp_path: Path):
    add_users(db)
    for region in (COUNTY_A, COUNTY_B):
        service.import_excel(db, scope("analyst", region), synthetic_xlsx(tmp_path / f"s-{region}.xlsx", 3),
                             kind="key_tasks", region=region, year=2024)  # fmt: skip
    app = create_app(db_url)
    install(app)
    with TestClient(app) as client:
        yield client
        client.app.state.db.engine.dispose()


def test_board_is_scoped(api) -> None:
    a = api.get("/api/v1/work/board?as_of=2024-07-15", headers=token(api, "county_a")).json()
    city = api.get("/api/v1/work/board?as_of=2024-07-15", headers=token(api, "city")).json()
    assert a["total"] == 3 and {t["region_code"] for t in a["tasks"]} == {COUNTY_A}
    assert city["total"] == 6 and city["counts"]["滞后"] >= 2
    r = api.get(f"/api/v1/work/tasks?region={COUNTY_B}", headers=token(api, "county_a"))
    assert r.status_code == 403
    b_task = api.get("/api/v1/work/tasks", headers=token(api, "county_b")).json()["items"][0]["id"]
    assert api.get(f"/api/v1/work/tasks/{b_task}", headers=token(api, "county_a")).status_code == 404
    over = api.get("/api/v1/work/tasks?overdue=true&as_of=2024-07-15", headers=token(api, "city")).json()[
        "items"
    ]
    assert len(over) == 4 and all(t["overdue"] for t in over)


def test_second_editor_gets_409_and_nothing_is_lost(api) -> None:
    h1, h2 = token(api, "county_a"), token(api, "city")
    t = api.get("/api/v1/work/tasks", headers=h1).json()["items"][0]
    r1 = api.patch(
        f"/api/v1/work/tasks/{t['id']}", headers=h1, json={"version": t["version"], "person": "张三（合成）"}
    )
    assert r1.status_code == 200 and r1.json()["version"] == t["version"] + 1
    r2 = api.patch(
        f"/api/v1/work/tasks/{t['id']}", headers=h2, json={"version": t["version"], "person": "李四（合成）"}
    )
    assert r2.status_code == 409 and "county_a" in r2.json()["detail"]
    assert api.get(f"/api/v1/work/tasks/{t['id']}", headers=h1).json()["person"] == "张三（合成）"


def test_report_with_evidence_and_checkoff_by_the_city(api) -> None:
    h = token(api, "reporter_a")
    tid = api.get("/api/v1/work/tasks", headers=h).json()["items"][0]["id"]
    bad = api.post(f"/api/v1/work/tasks/{tid}/reports", headers=h, data={"percent": "100"},
                   files=[("files", ("synthetic.pdf", b"GIF89a not a pdf", "application/pdf"))])  # fmt: skip
    assert bad.status_code == 400 and "not an accepted evidence type" in bad.json()["detail"]
    ok = api.post(f"/api/v1/work/tasks/{tid}/reports", headers=h, data={"percent": "100", "narrative": "合成"},
                  files=[("files", ("synthetic.pdf", PDF, "application/pdf"))])  # fmt: skip
    assert ok.status_code == 201 and ok.json()["evidence"][0]["size"] == len(PDF)
    assert api.post(f"/api/v1/work/tasks/{tid}/checkoff", headers=token(api, "county_a")).status_code == 403
    r = api.post(f"/api/v1/work/tasks/{tid}/checkoff", headers=token(api, "city"))
    assert r.status_code == 200
    assert api.get(f"/api/v1/work/tasks/{tid}", headers=h).json()["status"] == "已销号"


def test_finding_loop_over_the_api_with_roles_and_audit(api) -> None:
    city, unit = token(api, "city"), token(api, "reporter_a")
    tid = api.get("/api/v1/work/tasks", headers=unit).json()["items"][0]["id"]
    r = api.post("/api/v1/work/findings", headers=unit, json={"title": "合成问题", "task_id": tid})
    assert r.status_code == 403  # a reporter does not open findings
    fid = api.post("/api/v1/work/findings", headers=city, json={"title": "合成问题", "task_id": tid,
                                                             "deadline": "2024-09-30"}).json()["id"]  # fmt: skip
    r = api.post(f"/api/v1/work/findings/{fid}/move", headers=unit, json={"to": "assigned"})
    assert r.status_code == 400 and "角色 reporter 可转到: 无" in r.json()["detail"]
    for who, to in [(city, "assigned"), (unit, "rectifying"), (unit, "submitted"), (city, "verified"),
                    (city, "closed")]:  # fmt: skip
        r = api.post(f"/api/v1/work/findings/{fid}/move", headers=who, json={"to": to})
        assert r.status_code == 200, r.text
    history = api.get(f"/api/v1/work/findings/{fid}", headers=city).json()["history"]
    assert [e["action"] for e in history] == ["finding.add"] + ["finding.move"] * 5
    audit = api.get("/api/v1/audit", headers=token(api, "admin")).json()["items"]
    assert sum(1 for e in audit if e["action"] == "finding.move" and e["object_id"] == str(fid)) == 5


def test_policy_search_and_indicator_view(api) -> None:
    h = token(api, "city")
    p = api.post("/api/v1/work/policies", headers=h, json={"title": "关于促进农民增收的若干意见（合成）",
                                                         "region": CITY, "text": "拓宽农民增收渠道。"})  # fmt: skip
    assert p.status_code == 201
    tid = api.get("/api/v1/work/tasks", headers=h).json()["items"][0]["id"]
    api.post(f"/api/v1/work/policies/{p.json()['id']}/links", headers=h,
             json={"task_ids": [tid], "indicators": ["urban_rural_income_ratio"]})  # fmt: skip
    found = api.get("/api/v1/work/policies", params={"q": "农民增收"}, headers=h).json()["items"]
    assert [x["id"] for x in found] == [p.json()["id"]]
    assert api.get("/api/v1/work/policies", params={"q": "量子计算"}, headers=h).json()["items"] == []
    got = api.get("/api/v1/work/indicators/urban_rural_income_ratio", headers=h).json()
    assert [t["id"] for t in got["tasks"]] == [tid] and got["policies"][0]["title"].startswith("关于促进")


def _login(client: TestClient, name: str) -> None:
    form = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_render_scoped_and_move_a_finding_by_form(api) -> None:
    assert api.get("/work", follow_redirects=False).status_code == 303
    _login(api, "city")
    board = api.get("/work?as_of=2024-07-15")
    assert board.status_code == 200 and "任务看板" in board.text and "合成任务1" in board.text
    tid = api.get("/api/v1/work/tasks", headers=token(api, "city")).json()["items"][0]["id"]
    unit_id = api.get(f"/api/v1/work/tasks/{tid}", headers=token(api, "city")).json()["lead_unit_id"]
    assert "责任清单" in api.get(f"/work/units/{unit_id}").text
    gantt = api.get("/work/gantt").text
    assert gantt.count('class="bar"') == 6 and "合成任务3" in gantt
    api.post(
        "/api/v1/work/findings", headers=token(api, "city"), json={"title": "合成页面问题", "task_id": tid}
    )
    page = api.get("/work/findings")
    assert "合成页面问题" in page.text and "转为已交办" in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    fid = int(re.search(r'data-finding="(\d+)"', page.text).group(1))
    r = api.post(f"/work/findings/{fid}/move", data={"to": "assigned", "version": "1", "csrf_token": csrf},
                 follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "已交办" in api.get("/work/findings").text
    from datetime import timedelta

    from gongfu import clock

    before = api.get(f"/work/findings?as_of={clock.today() - timedelta(days=1)}").text  # raised today
    assert "合成页面问题" not in before and 'id="findings-as-of"' in before
    then = api.get(
        f"/api/v1/work/findings?as_of={clock.today() - timedelta(days=1)}", headers=token(api, "city")
    )
    assert then.status_code == 200 and then.json()["items"] == []
    forged = api.post(f"/work/findings/{fid}/move", data={"to": "closed", "version": "2", "csrf_token": "x"})
    assert forged.status_code == 403
    assert "没有找到" in api.get("/work/policies?q=量子计算").text
