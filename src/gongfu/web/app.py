"""The application factory: `create_app(db_url)` wires the API, the dashboard and the error mapping."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongfu.errors import GongfuError
from gongfu.regions import load
from gongfu.store.db import open_db
from gongfu.web.api import API_PREFIX
from gongfu.web.auth import SignInRequired
from gongfu.web.csrf import CSRFMiddleware
from gongfu.web.errors import PROBLEM_JSON, TITLES, problem, problem_of, retry_after, status_of
from gongfu.web.forms import FormCharset

STATIC = Path(__file__).with_name("static")
log = logging.getLogger("gongfu.web")


def create_app(db_url: str | None = None) -> FastAPI:
    """The web app over the database at `db_url` (default: $GONGFU_DATABASE_URL or ./gongfu.db)."""
    from gongfu.web import pages
    from gongfu.web.api import router as api_router

    app = FastAPI(
        title="gongfu 共富监测评价",
        version="0.1.0",
        description="Plans, targets, observations, evaluation and composite index, filtered by region scope.",
        docs_url=None,  # /docs and /redoc come from gongfu.web.security, with scripts from /static
        redoc_url=None,
    )
    app.state.db = open_db(db_url)  # refuses an unmigrated database, naming the fix
    app.state.registry = load()
    app.include_router(api_router)
    app.include_router(pages.router)
    # The work system (工作体系) and the grassroots loop (网格连心) bring their own routers and templates.
    from gongfu.cases.web import router as cases_router
    from gongfu.work.web import install as install_work

    install_work(app)
    app.include_router(cases_router)
    from gongfu.web import reporting_pages  # 指标分解 and 数据填报 pages

    app.include_router(reporting_pages.router)
    from gongfu.web import cockpit  # 全局一屏掌控

    app.include_router(cockpit.router)
    from gongfu.web import users_pages  # 用户管理 for admins

    app.include_router(users_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _error_handlers(app)
    from gongfu.web import security

    security.install(app)  # import jobs, self-hosted API docs
    _legacy_redirect(app)  # after every router: it answers only for paths no route took
    # Middleware, innermost first (the last added runs first): the CSRF check and the charset fix read a
    # form's body, so the size limit runs before them; the security headers wrap everything, even the
    # framework's own 500 answer (`security.wrap`).
    app.add_middleware(CSRFMiddleware)  # every dashboard form carries its session's token
    app.add_middleware(FormCharset)  # urlencoded bodies of raw UTF-8 bytes read as UTF-8, not Latin-1
    security.wrap(app)  # request size limits, then the headers around everything
    return app


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api")


def _problem(status: int, code: str, detail: str, problems=None, headers=None) -> JSONResponse:
    return JSONResponse(problem(status, code, detail, problems), status_code=status, headers=headers,
                        media_type=PROBLEM_JSON)  # fmt: skip


HTTP_DETAILS = {
    400: "请求体无法解析（表单或上传数据格式不对）",
    404: "没有这个接口",
    405: "该接口不支持这种请求方法",
    413: "请求体过大",
}


def _legacy_redirect(app: FastAPI) -> None:
    """The paths before /api/v1 answer 308 (method and body kept) to their /api/v1 place, for one release."""

    @app.api_route(
        "/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
    async def legacy(request: Request, rest: str) -> Response:
        if rest == "v1" or rest.startswith("v1/"):
            return _problem(404, "not_found", f"没有这个接口：{request.url.path}")
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{API_PREFIX}/{rest}{query}", status_code=308)


def _error_handlers(app: FastAPI) -> None:
    from gongfu.web import pages

    @app.exception_handler(GongfuError)
    async def gongfu_error(request: Request, exc: GongfuError):
        status = status_of(exc)
        if _wants_page(request):
            page = pages.error_page(request, status, exc)
            page.headers.update(retry_after(exc) or {})
            return page
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else retry_after(exc)
        body = problem_of(exc)
        return _problem(status, body["code"], body["detail"], body["problems"], headers)

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired):
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # the framework's own refusals (unparsable body, unknown path, wrong method) as problems too
        if _wants_page(request):
            return await http_exception_handler(request, exc)
        detail = HTTP_DETAILS.get(exc.status_code, TITLES.get(exc.status_code, "请求有误"))
        return _problem(exc.status_code, f"http_{exc.status_code}", detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = [
            {"code": e.get("type", "invalid"), "message": e.get("msg", ""), "row": None,
             "column": ".".join(str(p) for p in e.get("loc", ()))}
            for e in exc.errors()
        ]  # fmt: skip
        detail = "；".join(f"{p['column']}：{p['message']}" for p in problems)
        return _problem(422, "invalid_request", f"请求参数不合要求：{detail}", problems)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception):
        # an id or number the database cannot hold (e.g. task_id 2**63): bad input, not a server error
        return _problem(400, "out_of_range", "请求中的数字超出范围")

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError):
        log.error("database error: %s", str(exc).splitlines()[0])
        detail = "数据库暂时无法访问（连接中断或拒绝了请求），请稍后重试；数据未被修改"
        return _problem(503, "database_unavailable", detail, headers={"Retry-After": "5"})
