"""The dashboard over TestClient: sign-in with CSRF, overview, plan highlighting, upload report, scope."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gongfu.web.app import create_app
from web_seed import COUNTY_A, COUNTY_B, PASSWORD, obs_csv, seed


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    form = client.get("/login")
    return client.post("/login", data={"username": name, "password": password, "csrf_token": csrf_of(form.text)},
                       follow_redirects=False)  # fmt: skip


@pytest.fixture
def web(db, db_url):
    ids = seed(db)
    with TestClient(create_app(db_url)) as client:
        client.ids = ids  # type: ignore[attr-defined]
        yield client
        client.app.state.db.engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_redirect_to_login_when_signed_out(web) -> None:
    r = web.get("/plans", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/plans"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_login_without_csrf_token_is_refused(web) -> None:
    web.get("/login")
    r = web.post("/login", data={"username": "county_a", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text


def test_login_overview_and_logout(web) -> None:
    assert login(web, "county_a").status_code == 303
    page = web.get("/")
    assert page.status_code == 200 and "预警矩阵" in page.text and "城乡居民收入倍差" in page.text
    assert "南湖区" not in page.text  # county B is outside county A's scope
    r = web.post("/logout", data={"csrf_token": "wrong"})
    assert r.status_code == 403
    r = web.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert web.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_shows_a_chinese_message(web) -> None:
    r = login(web, "county_a", "wrong-password")
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_city_overview_has_both_counties_in_the_matrix(web) -> None:
    login(web, "city")
    page = web.get("/")
    assert "秀洲区" in page.text and "南湖区" in page.text


def test_plan_page_highlights_the_target_and_links_to_its_row(web) -> None:
    login(web, "county_a")
    ids = web.ids["a"]
    page = web.get(f"/plans/{ids['plan_id']}").text
    tid = ids["target_id"]
    assert f'id="span-{tid}" href="#target-{tid}">城乡居民收入倍差缩小到1.90以内</a>' in page
    assert f'<tr id="target-{tid}">' in page
    assert web.get(f"/plans/{web.ids['b']['plan_id']}").status_code == 404


def test_indicator_page_links_every_point_to_its_source(web) -> None:
    login(web, "county_a")
    page = web.get(f"/indicator/urban_rural_income_ratio?region={COUNTY_A}").text
    for oid in web.ids["a"]["observations"]:
        assert f'href="/observations/{oid}"' in page
    src = web.get(f"/observations/{web.ids['a']['observations'][0]}").text
    assert "synthetic.csv，第2行" in src
    assert web.get(f"/indicator/urban_rural_income_ratio?region={COUNTY_B}").status_code == 403


def test_upload_page_reports_rows_and_stores_nothing(web) -> None:
    login(web, "reporter_a")
    form = web.get("/upload")
    body = obs_csv(
        [(COUNTY_A, "城乡居民收入倍差", "1.9", "2024"), (COUNTY_A, "城乡居民收入倍差", "abc", "2024x")]
    )
    r = web.post("/upload", data={"csrf_token": csrf_of(form.text)}, files={"file": ("bad.csv", body, "text/csv")},
                 headers={"HX-Request": "true"})  # fmt: skip
    assert r.status_code == 200 and 'id="upload-errors"' in r.text and "<td>3</td>" in r.text
    assert "<html" not in r.text  # an htmx fragment
    good = obs_csv([(COUNTY_A, "城乡居民收入倍差", "1.9", "2024")])
    r = web.post(
        "/upload", data={"csrf_token": csrf_of(form.text)}, files={"file": ("ok.csv", good, "text/csv")}
    )
    assert r.status_code == 200 and "导入成功" in r.text and "新增 1 条" in r.text


def test_audit_page_for_admins_only(web) -> None:
    login(web, "county_a")
    assert web.get("/audit").status_code == 403
    web.cookies.clear()
    login(web, "admin")
    assert "user.add" in web.get("/audit").text
