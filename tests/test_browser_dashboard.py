"""The dashboard in headless Chromium (Debian's `chromium`, driven by Playwright): sign in, overview,
drill down to a source sentence, upload with an error. Screenshots go to test-artifacts/.

Every request outside the loopback server is blocked and counted: the page must need no CDN.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import ARGS, CHROMIUM, NEEDS_CHROMIUM, local_page, serve, shot
from web_seed import CITY, COUNTY_A, PASSWORD, obs_csv, seed

VENDOR = Path(__file__).resolve().parent.parent / "src/gongfu/web/static/vendor/echarts.min.js"
pytestmark = [NEEDS_CHROMIUM, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from gongfu.store.db import open_db
    from gongfu.web.app import create_app

    assert VENDOR.is_file(), f"{VENDOR} missing: run `make setup` (copies ECharts from node_modules)"
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'gongfu.db'}"
    db = open_db(url)
    ids = seed(db)
    db.engine.dispose()
    with serve(create_app(url)) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    base, _ = server
    with local_page(browser, base) as (pg, _errors):
        yield pg


def sign_in(pg, base: str, name: str) -> None:
    pg.goto(f"{base}/login")
    pg.fill("input[name=username]", name)
    pg.fill("input[name=password]", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(f"{base}/")


def test_login_and_overview(page, server) -> None:
    base, _ = server
    page.goto(f"{base}/")
    assert "/login" in page.url
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("#login-error")
    shot(page, "login-error")
    sign_in(page, base, "city")
    matrix = page.locator("#warning-matrix")
    assert "秀洲区" in matrix.inner_text() and "南湖区" in matrix.inner_text()
    assert page.locator("#warning-matrix a.cell").count() == 2
    assert page.locator("#ranking tbody tr").count() == 2
    page.wait_for_selector("#radar canvas")  # ECharts, served from the package's static files
    shot(page, "overview-city")


def test_drill_down_to_source_sentence_and_source_row(page, server) -> None:
    base, ids = server
    sign_in(page, base, "county_a")
    page.click("#warning-matrix a.cell")
    page.wait_for_selector("[id^=trend-] canvas")
    assert f"region={COUNTY_A}" in page.url
    shot(page, "indicator-trend")
    page.click(f"#target-source-{ids['a']['target_id']}")
    page.wait_for_url(f"**/plans/{ids['a']['plan_id']}#target-{ids['a']['target_id']}")
    row = page.locator(f"#target-{ids['a']['target_id']}")
    assert "城乡居民收入倍差" in row.inner_text()
    span = page.locator(f"#span-{ids['a']['target_id']}")
    assert span.inner_text() == "城乡居民收入倍差缩小到1.90以内"
    shot(page, "plan-highlight")
    page.go_back()
    page.click("a.source-link >> nth=0")
    assert "synthetic.csv，第2行" in page.inner_text("#source-file")
    shot(page, "observation-source")


def test_upload_with_an_error_shows_the_row_report(page, server, tmp_path) -> None:
    base, _ = server
    sign_in(page, base, "reporter_a")
    page.goto(f"{base}/upload")
    bad = tmp_path / "synthetic-bad.csv"
    bad.write_bytes(
        obs_csv([(COUNTY_A, "城乡居民收入倍差", "1.9", "2024"), (CITY, "城乡居民收入倍差", "abc", "2024")])
    )
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('上传并校验')")
    report = page.wait_for_selector("#upload-errors")
    text = report.inner_text()
    assert "未导入任何数据" in text and "3" in text
    assert page.url.endswith("/upload")  # htmx swapped the report in place
    shot(page, "upload-error")


def test_cockpit_map_colours_counties_and_drills_down(page, server) -> None:
    base, _ = server
    sign_in(page, base, "city")
    page.goto(f"{base}/cockpit?region={CITY}")
    page.wait_for_selector("#cockpit-map canvas")  # the county map, from the vendored boundaries
    assert page.locator(".tile.none").count() >= 1  # counties without a plan: hatched, still shown
    shot(page, "cockpit-city")
    page.emulate_media(media="print")
    shot(page, "cockpit-city-print")
    page.emulate_media(media="screen")
    page.goto(f"{base}/cockpit?region={COUNTY_A}")
    assert "秀洲区" in page.inner_text("h1")


def test_province_cockpit_maps_the_cities_and_drills_down_to_one(page, server) -> None:
    base, _ = server
    sign_in(page, base, "admin")
    page.goto(f"{base}/cockpit?region=330000")
    page.wait_for_selector("#cockpit-map canvas")  # the cities' map, built at vendor time
    assert page.evaluate("echarts.getMap('浙江').geoJSON.features.length") == 11
    assert page.locator(".tile.none").count() == 10  # only 嘉兴市 has plans: the other ten are hatched
    shot(page, "cockpit-province")
    page.click(".map-modes button[data-mode=index]")
    assert page.get_attribute("#cockpit-map", "data-mode") == "index"
    shot(page, "cockpit-province-index")
    box = page.evaluate("""() => {  // a point inside 嘉兴市 (120.75°E, 30.75°N), in page pixels
        const el = document.getElementById('cockpit-map');
        const p = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [120.75, 30.75]);
        const r = el.getBoundingClientRect();
        return [r.left + p[0], r.top + p[1]];
    }""")
    page.mouse.click(*box)
    page.wait_for_url(f"**/cockpit?region={CITY}")
    assert "嘉兴市" in page.inner_text("h1")
