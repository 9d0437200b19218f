"""Dashboard pages of the work system (/work): task board, a unit's accountability view, the timeline,
the findings queue (with the moves open to the user), and policy search. Same services as the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from gongfu.web import pages as web_pages
from gongfu.web.auth import CSRF_FIELD, PageAuth, check_csrf, get_db, page_auth
from gongfu.work import finding_service as fs
from gongfu.work import policy, query
from gongfu.work.exports import COLOURS
from gongfu.work.findings import STATE_NAMES
from gongfu.work.service import LIST_KINDS

HERE = FsPath(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
# Our templates first, then the dashboard's (for base.html), with the dashboard's filters and globals.
templates.env.loader = ChoiceLoader([FileSystemLoader(HERE / "templates"), web_pages.templates.env.loader])
templates.env.filters.update(web_pages.templates.env.filters)
templates.env.globals.update(web_pages.templates.env.globals)
templates.env.globals.update(STATUS_COLOURS=COLOURS, STATE_NAMES=STATE_NAMES, LIST_KINDS=LIST_KINDS)
router = APIRouter(prefix="/work", include_in_schema=False)
Auth = Annotated[PageAuth, Depends(page_auth)]
RegionQ = Annotated[str | None, Query(max_length=40)]
KindQ = Annotated[str | None, Query(alias="list", max_length=20)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def render(request: Request, name: str, auth: PageAuth, **ctx) -> HTMLResponse:
    user = auth.scope.principal if auth.scope else None
    return templates.TemplateResponse(request, name, {"user": user, "csrf": auth.csrf, "csrf_field": CSRF_FIELD,
                                                      "allowed": web_pages.allowed, **ctx})  # fmt: skip


def _here(auth: PageAuth, region: str | None) -> dict:
    from gongfu.web import service

    scope = auth.scope
    assert scope is not None
    return service.region(scope, region or scope.root)


@router.get("")
def board(request: Request, auth: Auth, region: RegionQ = None, kind: KindQ = None,
          as_of: Annotated[date | None, Query()] = None) -> Response:  # fmt: skip
    if auth.scope is None:
        return web_pages.to_login(request)
    here = _here(auth, region)
    data = query.board(get_db(request), auth.scope, here["code"], as_of=as_of, kind=kind or None, limit=1000)
    return render(request, "work/board.html", auth, region=here, board=data, kind=kind or "")


@router.get("/tasks/{task_id}")
def task(request: Request, auth: Auth, task_id: Id) -> Response:
    if auth.scope is None:
        return web_pages.to_login(request)
    return render(request, "work/task.html", auth, task=query.task(get_db(request), auth.scope, task_id))


@router.get("/units/{unit_id}")
def unit(request: Request, auth: Auth, unit_id: Id) -> Response:
    if auth.scope is None:
        return web_pages.to_login(request)
    from gongfu.reporting.views import overdue_for_unit  # the unit's overdue data requests (数据填报)

    view = query.unit_view(get_db(request), auth.scope, unit_id)
    owed = overdue_for_unit(get_db(request), auth.scope, view["unit"]["region_code"], view["unit"]["name"])
    return render(request, "work/unit.html", auth, view=view, owed=owed)


@router.get("/gantt")
def gantt(request: Request, auth: Auth, region: RegionQ = None, kind: KindQ = None) -> Response:
    if auth.scope is None:
        return web_pages.to_login(request)
    here = _here(auth, region)
    data = query.gantt(get_db(request), auth.scope, here["code"], kind=kind or None)
    starts = [date.fromisoformat(t["start"]) for t in data["tasks"]]
    dues = [date.fromisoformat(t["due"]) for t in data["tasks"]]
    lo, hi = (min(starts), max(dues)) if starts else (query.today(), query.today())
    span = max(1, (hi - lo).days)

    def pos(d: str) -> float:
        return round(100 * (date.fromisoformat(d) - lo).days / span, 2)

    bars = [{**t, "left": pos(t["start"]), "width": max(0.5, pos(t["due"]) - pos(t["start"])),
             "marks": [{**m, "at": pos(m["due_date"])} for m in t["milestones"]]} for t in data["tasks"]]  # fmt: skip
    return render(request, "work/gantt.html", auth, region=here, bars=bars, lo=lo, hi=hi,
                  today=pos(query.today().isoformat()) if lo <= query.today() <= hi else None)  # fmt: skip


@router.get("/findings")
def findings(request: Request, auth: Auth, region: RegionQ = None,
             state: Annotated[str | None, Query(max_length=20)] = None, message: str | None = None) -> Response:  # fmt: skip
    if auth.scope is None:
        return web_pages.to_login(request)
    here = _here(auth, region)
    rows = fs.findings(get_db(request), auth.scope, here["code"], state=state or None)
    return render(request, "work/findings.html", auth, region=here, findings=rows, state=state or "",
                  message=message)  # fmt: skip


@router.post("/findings/{finding_id}/move")
def move(request: Request, auth: Auth, finding_id: Id, to: Annotated[str, Form(max_length=20)],
         version: Annotated[int, Form(ge=1)], csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:  # fmt: skip
    if auth.scope is None:
        return web_pages.to_login(request)
    check_csrf(auth.csrf, csrf_token)
    fs.move_finding(get_db(request), auth.scope, finding_id, to, version=version)
    return RedirectResponse(
        f"/work/findings?message=督查问题{finding_id}已转为{STATE_NAMES[to]}", status_code=303
    )


@router.get("/policies")
def policies(request: Request, auth: Auth, q: Annotated[str | None, Query(max_length=200)] = None,
             region: RegionQ = None) -> Response:  # fmt: skip
    if auth.scope is None:
        return web_pages.to_login(request)
    here = _here(auth, region)
    db = get_db(request)
    rows = policy.search(db, auth.scope, q, region=here["code"]) if q and q.strip() else policy.policies(
        db, auth.scope, here["code"])  # fmt: skip
    return render(request, "work/policies.html", auth, region=here, policies=rows, q=q or "")
