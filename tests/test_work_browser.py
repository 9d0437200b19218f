"""The task board in headless Chromium: sign in, board by list and unit, drill to a unit, move a finding.

Synthetic data. Every request outside the loopback server is blocked: the pages need no CDN.
"""

from __future__ import annotations

import pytest

from browser_support import ARGS, CHROMIUM, NEEDS_CHROMIUM, local_page, serve, shot
from web_seed import COUNTY_A, PASSWORD, add_users
from work_seed import scope, synthetic_xlsx

pytestmark = [NEEDS_CHROMIUM, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the Python package) not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from gongfu.store.db import open_db
    from gongfu.web.app import create_app
    from gongfu.work import finding_service, service
    from gongfu.work.web import install

    tmp = tmp_path_factory.mktemp("work-browser")
    url = f"sqlite:///{tmp / 'gongfu.db'}"
    db = open_db(url)
    add_users(db)
    out = service.import_excel(db, scope("analyst", COUNTY_A), synthetic_xlsx(tmp / "s.xlsx", 5),
                               kind="key_tasks", region=COUNTY_A, year=2024)  # fmt: skip
    finding_service.add_finding(
        db, scope("analyst", COUNTY_A), title="合成督查问题", task_id=out["task_ids"][0]
    )
    db.engine.dispose()
    app = create_app(url)
    install(app)
    with serve(app) as base:
        yield base


def test_task_board_unit_view_and_finding_move(server) -> None:
    base = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with local_page(browser, base) as (page, _errors):
            page.goto(f"{base}/login?next=/work")
            page.fill("input[name=username]", "city")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/work")
            page.goto(f"{base}/work?as_of=2024-07-15")
            assert page.locator("#tasks tbody tr[data-task]").count() == 5
            first = page.locator("#tasks tbody tr[data-task]").first
            assert first.locator("[data-status]").inner_text() == "滞后"  # worst first
            assert "区发改局" in page.locator("#units").inner_text()
            shot(page, "work-board")
            page.select_option("select[name=list]", "reform")  # filter by list: none of that kind
            page.wait_for_url("**list=reform**")
            assert page.locator("#tasks tbody tr[data-task]").count() == 0
            page.goto(f"{base}/work?as_of=2024-07-15")
            page.click("#units a:has-text('区发改局')")
            page.wait_for_url("**/work/units/**")
            assert "责任清单" in page.inner_text("h1")
            page.goto(f"{base}/work/findings")
            page.click("button:has-text('转为已交办')")
            page.wait_for_url("**/work/findings?message=**")
            assert "已交办" in page.locator("#findings").inner_text()
            shot(page, "work-findings")
        browser.close()
