"""End to end in headless Chromium: a city analyst cascades a target to its counties from an Excel 分解表,
sees the verdict, issues the data requests; a county unit's reporter fills in and submits the form; the
unit's approver and the county analyst approve; the figure reaches the evaluation and the cascade view.

Synthetic data. Every request outside the loopback server is blocked: the pages need no CDN.
"""

from __future__ import annotations

import pytest

from browser_support import ARGS, CHROMIUM, NEEDS_CHROMIUM, local_page, serve, shot
from cascade_seed import CITY, NAMES, PASSWORD, add_plan, add_users, sheet

pytestmark = [NEEDS_CHROMIUM, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) not installed")
COUNTY = "330411"  # 秀洲区
USERS = {
    "city": ("analyst", CITY),
    "county": ("analyst", COUNTY),
    "rep": ("reporter", COUNTY),
    "boss": ("reporter", COUNTY),
}
GDP = [900, 800, 1000, 700, 1400, 1100, 1200]  # 7100 ≥ 7000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from gongfu.reporting import add_member
    from gongfu.store.db import open_db
    from gongfu.web.app import create_app
    from gongfu.work.access import operator_scope

    tmp = tmp_path_factory.mktemp("reporting-browser")
    url = f"sqlite:///{tmp / 'gongfu.db'}"
    db = open_db(url)
    [target] = add_plan(db, CITY, [("地区生产总值", "gdp", ">=", 7000.0, "亿元")])
    add_users(db, USERS)
    add_member(db, operator_scope(COUNTY), "rep", region=COUNTY, unit="区统计局", duty="reporter")
    add_member(db, operator_scope(COUNTY), "boss", region=COUNTY, unit="区统计局", duty="approver")
    rows = [(n, "地区生产总值", v, 2025, "合成", v - 100) for n, v in zip(NAMES, GDP, strict=True)]
    path = sheet(tmp / "synthetic-分解表.xlsx", rows)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb.active["F2"] = "基期值"
    wb.save(path)
    db.engine.dispose()
    with serve(create_app(url)) as base:
        yield base, path, target


def login(page, base: str, name: str, next_: str) -> None:
    page.goto(f"{base}/login?next={next_}")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{next_}")


def test_cascade_report_approve_twice_into_the_evaluation(server) -> None:
    base, path, target = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with local_page(browser, base) as (page, _errors):  # the city analyst cascades and issues requests
            login(page, base, "city", "/cascade")
            page.set_input_files("#cascade-import input[type=file]", str(path))
            page.click("#cascade-import button")
            page.wait_for_url(f"{base}/cascade/{target}?message=**")
            assert "分解一致" in page.inner_text("#verdict") and "下级目标合计7,100亿元" in page.inner_text(
                "#verdict"
            )
            assert page.locator("#children tbody tr").count() == 7
            shot(page, "cascade-verdict")
            page.goto(f"{base}/cascade")
            page.fill("#issue-requests input[name=year]", "2025")
            page.click("#issue-requests button")
            page.wait_for_url("**/cascade?message=**")
            assert "已下发2025年数据需求" in page.inner_text("#message")
        with local_page(browser, base) as (page, _errors):  # the unit's reporter fills in and submits
            login(page, base, "rep", "/reporting")
            page.click("#units tr[data-period='2025'] button")
            page.wait_for_url("**/reporting/forms/*")
            form_url = page.url
            page.fill("#items tr[data-indicator=gdp] input.value", "760")
            page.fill("#items tr[data-indicator=gdp] input[name^=note_]", "合成：快报")
            page.click("button[value=save]")
            page.wait_for_url("**message=**")
            assert "草稿" in page.inner_text("#state")
            page.click("button[value=submit]")
            page.wait_for_url("**message=**")
            assert page.inner_text("#state") == "已报送"
            assert page.locator("button[value=approve]").count() == 0  # the reporter cannot approve
            shot(page, "report-form-submitted")
        for approver, state in (("boss", "已报送"), ("county", "已审核入库")):  # two levels
            with local_page(browser, base) as (page, _errors):
                login(page, base, approver, "/reporting")
                page.click("#waiting a")
                page.wait_for_url(form_url)
                page.click("button[value=approve]")
                page.wait_for_url("**message=**")
                assert page.inner_text("#state") == state
        with local_page(browser, base) as (page, _errors):  # the figure is in the evaluation and the cascade
            login(page, base, "city", f"/cascade/{target}")
            row = page.locator("#children tr[data-region='330411']")
            assert "760" in row.inner_text() and "2025" in row.inner_text()
            assert row.locator(".badge").count() == 1 and row.locator(".badge.grey").count() == 0
            shot(page, "cascade-after-reporting")
            page.goto(f"{base}/reporting/timeliness?region={CITY}&year=2025")
            assert "区统计局" in page.inner_text("#units")
        browser.close()
