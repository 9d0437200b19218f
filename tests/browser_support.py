"""Shared by the browser tests: Debian's Chromium driven by Playwright, an app served on a free loopback
port, and pages that may fetch nothing from outside that server."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
NEEDS_CHROMIUM = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason="chromium not installed (apt-get install chromium)"
)


@contextmanager
def serve(app) -> Iterator[str]:
    """Run the ASGI app with uvicorn in a thread on a free port; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(5)


@contextmanager
def local_page(browser, base: str):
    """A page whose requests outside `base` are refused; yields (page, JavaScript errors) and, on leaving,
    fails if the page tried to fetch from outside or raised errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()
    assert outside == [], f"the page tried to fetch from outside: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
