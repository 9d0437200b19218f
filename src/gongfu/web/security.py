"""Security headers on every answer, HTTPS-only cookies behind HTTPS, and the API docs from our own files.

    Content-Security-Policy   scripts only from this server (no inline script, no CDN), no framing
    X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy no-referrer
    Cache-Control no-store    on every answer but the static files (so no signed-in page is cached)
    HSTS, `Secure` cookies    when served over HTTPS: `GONGFU_HTTPS=1`, or a request that arrives as https
                              (uvicorn --proxy-headers behind a TLS proxy)

`install(app)` adds the import jobs and the Swagger UI (/docs) and ReDoc (/redoc) pages, whose scripts
`gongfu.web.vendor` copies from npm at setup; `wrap(app)` the request-size limit (`gongfu.web.uploads.BodyLimit`)
and these headers, around everything.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gongfu.settings import settings

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # ECharts and Swagger UI set element styles
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",  # ReDoc's search worker
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))  # fmt: skip
HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def behind_https() -> bool:
    """The deployment setting: `GONGFU_HTTPS=1` when users reach the server over HTTPS only."""
    return settings().https


class SecurityHeaders:
    def __init__(self, app: ASGIApp, https: bool | None = None) -> None:
        self.app = app
        self.https = behind_https() if https is None else https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self.https or scope.get("scheme") == "https"
        static = scope["path"].startswith("/static/")

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                headers += [h for h in HEADERS if h[0] not in present]
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                if https:
                    headers.append(HSTS)
                    headers = [_secure(k, v) for k, v in headers]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)


def _secure(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return name, value + b"; Secure"
    return name, value


# path -> (element id, vendored script, vendored stylesheet or ""): each page is started by /static/api-docs.js
DOCS = {
    "/docs": ("swagger-ui", "swagger-ui-bundle.js", "swagger-ui.css"),
    "/redoc": ("redoc", "redoc.standalone.js", ""),
}


def docs_page(title: str, element: str, script: str, css: str) -> HTMLResponse:
    link = f'<link rel="stylesheet" href="/static/vendor/{css}">' if css else ""
    return HTMLResponse(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>{link}</head>'
        f'<body><div id="{element}" data-openapi="/openapi.json"></div>'
        f'<script src="/static/vendor/{script}"></script><script src="/static/api-docs.js"></script></body></html>'
    )


def docs_pages(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc (ReDoc) from /static/vendor; FastAPI's own pages would load a CDN."""
    for path, (element, script, css) in DOCS.items():
        app.add_api_route(path, _show(docs_page(f"{app.title} — API", element, script, css)), methods=["GET"],
                          include_in_schema=False)  # fmt: skip


def _show(page: HTMLResponse):
    def show() -> HTMLResponse:
        return page

    return show


def install(app: FastAPI) -> None:
    """The import jobs and the self-hosted API docs (call once in `create_app`, before the catch-all routes)."""
    from gongfu.web import jobs

    app.state.jobs = jobs.Jobs()
    app.include_router(jobs.router())
    app.include_router(jobs.page_router())
    docs_pages(app)


def wrap(app: FastAPI) -> None:
    """The request-size limit and the security headers (call once in `create_app`, after every other
    middleware is added)."""
    from gongfu.web.uploads import BodyLimit

    app.add_middleware(BodyLimit)  # added after the body readers (CSRF, form charset): it runs before them
    # The headers go around the whole stack, outside Starlette's ServerErrorMiddleware too, so every answer
    # carries them: a page, a 403 of the CSRF check, a 400 of the charset check, a 413, a 423, a 500.
    build = app.build_middleware_stack
    https = behind_https()
    app.build_middleware_stack = lambda: SecurityHeaders(build(), https)  # type: ignore[method-assign]
