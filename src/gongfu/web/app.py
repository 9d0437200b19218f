"""The application factory: `create_app(db_url)` wires the API, the dashboard and the error mapping."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError

from gongfu.errors import GongfuError
from gongfu.regions import load
from gongfu.store.db import open_db
from gongfu.web.errors import body_of, status_of

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
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _error_handlers(app)
    return app


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/api")


def _error_handlers(app: FastAPI) -> None:
    from gongfu.web import pages

    @app.exception_handler(GongfuError)
    async def gongfu_error(request: Request, exc: GongfuError):
        status = status_of(exc)
        if _wants_page(request):
            return pages.error_page(request, status, exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body_of(exc), status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = [
            {"code": e.get("type", "invalid"), "message": e.get("msg", ""), "row": None,
             "column": ".".join(str(p) for p in e.get("loc", ()))}
            for e in exc.errors()
        ]  # fmt: skip
        detail = "; ".join(f"{p['column']}: {p['message']}" for p in problems)
        return JSONResponse({"detail": f"invalid request: {detail}", "problems": problems}, status_code=422)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception):
        # an id or number the database cannot hold (e.g. task_id 2**63): bad input, not a server error
        return JSONResponse({"detail": "a number in the request is out of range"}, status_code=400)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError):
        log.error("database error: %s", str(exc).splitlines()[0])
        return JSONResponse({"detail": "the database refused the request or is unavailable"}, status_code=503)
