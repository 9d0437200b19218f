"""The REST API on SQLite and PostgreSQL: sign-in, reads, uploads, errors as JSON, audit (synthetic data)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gongfu.access.throttle import limits
from gongfu.web.app import create_app
from web_seed import CITY, COUNTY_A, COUNTY_B, PASSWORD, obs_csv, seed, token


@pytest.fixture
def api(db, db_url):
    ids = seed(db)
    with TestClient(create_app(db_url)) as client:
        client.ids = ids  # type: ignore[attr-defined]
        yield client
        client.app.state.db.engine.dispose()


def test_openapi_lists_the_resources(api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for p in ("/api/v1/auth/token", "/api/v1/regions", "/api/v1/plans", "/api/v1/plans/{plan_id}", "/api/v1/targets",
              "/api/v1/observations", "/api/v1/evaluation", "/api/v1/index", "/api/v1/audit"):  # fmt: skip
        assert p in paths


def test_no_token_is_401_json_and_wrong_password_too(api) -> None:
    r = api.get("/api/v1/plans")
    assert (
        r.status_code == 401 and r.headers["www-authenticate"] == "Bearer" and "token" in r.json()["detail"]
    )
    r = api.post("/api/v1/auth/token", data={"username": "county_a", "password": "nope-nope"})
    assert r.status_code == 401 and r.json()["detail"] == "wrong user name or password"


def test_lockout_is_423_then_even_right_password_fails(api) -> None:
    for _ in range(limits().account):
        assert (
            api.post("/api/v1/auth/token", data={"username": "viewer_a", "password": "x" * 9}).status_code
            == 401
        )
    r = api.post("/api/v1/auth/token", data={"username": "viewer_a", "password": PASSWORD})
    assert r.status_code == 423


def test_logout_revokes_the_token(api) -> None:
    h = token(api, "county_a")
    assert api.get("/api/v1/auth/me", headers=h).json()["region_code"] == COUNTY_A
    assert api.post("/api/v1/auth/logout", headers=h).status_code == 204
    assert api.get("/api/v1/auth/me", headers=h).status_code == 401


def test_county_user_sees_only_its_own_plans_city_user_sees_its_counties(api) -> None:
    a = {p["region_code"] for p in api.get("/api/v1/plans", headers=token(api, "county_a")).json()["items"]}
    city = {p["region_code"] for p in api.get("/api/v1/plans", headers=token(api, "city")).json()["items"]}
    assert a == {COUNTY_A} and city == {COUNTY_A, COUNTY_B}
    kids = {
        r["code"] for r in api.get(f"/api/v1/regions/{CITY}", headers=token(api, "city")).json()["children"]
    }
    assert {COUNTY_A, COUNTY_B} <= kids


def test_plan_shows_text_targets_and_highlight_segments(api) -> None:
    ids = api.ids["a"]
    plan = api.get(f"/api/v1/plans/{ids['plan_id']}", headers=token(api, "county_a")).json()
    [t] = plan["targets"]
    assert plan["text"][t["start"] : t["end"]] == t["span"] == "城乡居民收入倍差缩小到1.90以内"
    marked = [s for s in plan["segments"] if s["target_id"] == ids["target_id"]]
    assert [s["text"] for s in marked] == [t["span"]]
    assert "".join(s["text"] for s in plan["segments"]) == plan["text"]


def test_upload_stores_all_rows_and_audits_old_to_new(api) -> None:
    h = token(api, "reporter_a")
    body = obs_csv(
        [(COUNTY_A, "城乡居民收入倍差", "1.92", "2023"), (COUNTY_A, "城乡居民收入倍差", "1.91", "2024")]
    )
    r = api.post("/api/v1/observations", headers=h, files={"file": ("synthetic.csv", body, "text/csv")})
    assert r.status_code == 201, r.text
    assert (r.json()["added"], r.json()["revised"]) == (1, 1)
    series = api.get(f"/api/v1/observations?region={COUNTY_A}", headers=h).json()["items"]
    assert [(o["year"], o["value"]) for o in series][-2:] == [(2023, 1.92), (2024, 1.91)]
    events = api.get("/api/v1/audit?action=observations.import", headers=token(api, "admin")).json()["items"]
    [e] = [x for x in events if x["actor"] == "reporter_a"]  # the seed's own imports are events too
    key = f"urban_rural_income_ratio|{COUNTY_A}|2023"
    assert e["actor"] == "reporter_a" and e["old"] == {key: 1.93} and e["new"]["values"] == {key: 1.92}


def test_upload_with_a_bad_row_stores_nothing_and_lists_rows(api) -> None:
    h = token(api, "reporter_a")
    body = obs_csv(
        [(COUNTY_A, "城乡居民收入倍差", "1.90", "2024"), (COUNTY_A, "不存在的指标", "abc", "2024")]
    )
    r = api.post("/api/v1/observations", headers=h, files={"file": ("bad.csv", body, "text/csv")})
    assert r.status_code == 422
    assert {p["row"] for p in r.json()["problems"]} == {3}
    years = [o["year"] for o in api.get(f"/api/v1/observations?region={COUNTY_A}", headers=h).json()["items"]]
    assert 2024 not in years


def test_viewer_may_read_but_not_upload(api) -> None:
    h = token(api, "viewer_a")
    assert api.get("/api/v1/plans", headers=h).status_code == 200
    body = obs_csv([(COUNTY_A, "城乡居民收入倍差", "1.90", "2024")])
    r = api.post("/api/v1/observations", headers=h, files={"file": ("x.csv", body, "text/csv")})
    assert r.status_code == 403 and "observations.write" in r.json()["detail"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/plans/abc", 422),
        ("/api/v1/plans/99999999999999999999", 422),
        ("/api/v1/plans/424242", 404),
        ("/api/v1/targets?region=没有这个地方", 404),
        ("/api/v1/targets?region=%00", 422),
        ("/api/v1/evaluation?year=1800", 422),
        ("/api/v1/index?weights=random", 422),
    ],
)
def test_bad_input_is_a_json_4xx_never_500(api, path: str, status: int) -> None:
    r = api.get(path, headers=token(api, "city"))
    assert r.status_code == status and r.json()["detail"]


def test_upload_of_wrong_kind_or_empty_file_is_400(api) -> None:
    h = token(api, "reporter_a")
    assert (
        api.post("/api/v1/observations", headers=h, files={"file": ("x.exe", b"MZ", "x")}).status_code == 400
    )
    assert (
        api.post("/api/v1/observations", headers=h, files={"file": ("x.csv", b"", "text/csv")}).status_code
        == 400
    )


def test_plan_upload_extracts_targets_and_is_audited(api) -> None:
    text = "嘉兴市秀洲区共同富裕行动方案（合成）\n到2025年，全区居民人均可支配收入达到8万元。\n".encode()
    r = api.post("/api/v1/plans", headers=token(api, "county_a"), files={"file": ("p.txt", text, "text/plain")},
                 data={"region": COUNTY_A})  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["region_code"] == COUNTY_A and r.json()["targets"] >= 1
    [e] = api.get("/api/v1/audit?action=plan.ingest", headers=token(api, "admin")).json()["items"]
    assert e["object_id"] == str(r.json()["plan_id"]) and e["actor"] == "county_a"


def test_evaluation_is_scoped_and_city_sees_children(api) -> None:
    a = api.get("/api/v1/evaluation", headers=token(api, "county_a")).json()["items"]
    assert {r["region"] for r in a} == {COUNTY_A}
    [rec] = a
    assert rec["colour"] in {"green", "yellow", "orange", "red", "grey"}
    assert [o["year"] for o in rec["observations"]] == [2020, 2021, 2022, 2023]
    city = api.get(f"/api/v1/evaluation?region={CITY}&children=true", headers=token(api, "city")).json()[
        "items"
    ]
    assert {r["region"] for r in city} == {COUNTY_A, COUNTY_B}


def test_audit_is_for_admins_only(api) -> None:
    assert api.get("/api/v1/audit", headers=token(api, "county_a")).status_code == 403
    events = api.get("/api/v1/audit", headers=token(api, "admin")).json()["items"]
    assert {e["action"] for e in events} >= {"user.add"}


def test_serve_command_takes_host_and_port() -> None:
    import typer
    from typer.testing import CliRunner

    from gongfu.cli.serve import register

    app = typer.Typer()
    register(app)

    @app.command("noop")
    def _noop() -> None:  # a second command, so typer keeps `serve` as a subcommand
        pass

    out = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "--host" in out and "--port" in out


def _yearbook() -> bytes:
    """A yearbook-shaped sheet: a merged title, a 单位：万元 line, 指标 merged over two header rows beside a
    merged 年份 over the years, and a closing note (synthetic figures)."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (["秀洲区主要经济指标（2021—2022年）", None, None], ["单位：万元", None, None], ["指标", "年份", None],
                [None, "2021年", "2022年"], ["地区生产总值", 9876500, 10234500], ["注：合成数据。", None, None]):  # fmt: skip
        ws.append(row)
    for cells in ("A1:C1", "A2:C2", "A3:A4", "B3:C3"):
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_yearbook_upload_takes_its_mapping_file(api) -> None:
    h = token(api, "reporter_a")
    book = ("synthetic-yearbook.xlsx", _yearbook(), XLSX)
    refused = api.post("/api/v1/observations", headers=h, files={"file": book})
    assert refused.status_code == 422 and refused.json()["problems"]  # no 地区 without the mapping
    mapping = f'region = "{COUNTY_A}"\n[indicators]\n"地区生产总值" = "gdp"\n'.encode()
    r = api.post("/api/v1/observations", headers=h,
                 files={"file": book, "mapping": ("秀洲.toml", mapping, "application/toml")})  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["added"] == 2
    series = api.get(f"/api/v1/observations?region={COUNTY_A}&indicator=gdp", headers=h).json()["items"]
    assert {(o["year"], o["value"], o["unit"]) for o in series} >= {
        (2021, 987.65, "亿元"),
        (2022, 1023.45, "亿元"),
    }
    wrong = api.post("/api/v1/observations", headers=h,
                     files={"file": book, "mapping": ("map.json", b"{}", "application/json")})  # fmt: skip
    assert wrong.status_code == 400 and ".toml" in wrong.text
