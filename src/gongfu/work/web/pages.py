"""Dashboard pages of the work system (/work): task board, a unit's accountability view, the timeline,
the findings queue (with the moves open to the user), and policy search. Same services as the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gongfu.web.auth import PageAuth, User, get_db, page_auth
from gongfu.web.templating import render_with, templates_for
from gongfu.work import finding_service as fs
from gongfu.work import policy, query
from gongfu.work.exports import COLOURS
from gongfu.work.findings import STATE_NAMES
from gongfu.work.service import LIST_KINDS

HERE = FsPath(__file__).parent
templates = templates_for(
    HERE / "templates", STATUS_COLOURS=COLOURS, STATE_NAMES=STATE_NAMES, LIST_KINDS=LIST_KINDS
)
router = APIRouter(prefix="/work", include_in_schema=False)
Auth = Annotated[PageAuth, Depends(page_auth)]
RegionQ = Annotated[str | None, Query(max_length=40)]
KindQ = Annotated[str | None, Query(alias="list", max_length=20)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def render(request: Request, name: str, auth: PageAuth, **ctx) -> HTMLResponse:
    return render_with(templates, request, name, auth, **ctx)


def _here(auth: PageAuth, region: str | None) -> dict:
    from gongfu.web import service

    scope = auth.scope
    assert scope is not None
    return service.region(scope, region or scope.root)


@router.get("")
def board(request: Request, auth: User, region: RegionQ = None, kind: KindQ = None,
          as_of: Annotated[date | None, Query()] = None) -> Response:  # fmt: skip
    here = _here(auth, region)
    data = query.board(get_db(request), auth.scope, here["code"], as_of=as_of, kind=kind or None, limit=1000)
    return render(request, "work/board.html", auth, region=here, board=data, kind=kind or "")


@router.get("/tasks/{task_id}")
def task(
    request: Request, auth: User, task_id: Id, as_of: Annotated[date | None, Query()] = None
) -> Response:
    return render(
        request, "work/task.html", auth, task=query.task(get_db(request), auth.scope, task_id, as_of=as_of)
    )


@router.get("/units/{unit_id}")
def unit(request: Request, auth: User, unit_id: Id) -> Response:
    from gongfu.reporting.views import overdue_for_unit  # the unit's overdue data requests (数据填报)

    view = query.unit_view(get_db(request), auth.scope, unit_id)
    owed = overdue_for_unit(get_db(request), auth.scope, view["unit"]["region_code"], view["unit"]["name"])
    return render(request, "work/unit.html", auth, view=view, owed=owed)


@router.get("/gantt")
def gantt(request: Request, auth: User, region: RegionQ = None, kind: KindQ = None) -> Response:
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
def findings(request: Request, auth: User, region: RegionQ = None,
             state: Annotated[str | None, Query(max_length=20)] = None, message: str | None = None,
             as_of: Annotated[date | None, Query()] = None) -> Response:  # fmt: skip
    here = _here(auth, region)
    rows = fs.findings(get_db(request), auth.scope, here["code"], state=state or None, as_of=as_of)
    return render(request, "work/findings.html", auth, region=here, findings=rows, state=state or "",
                  message=message, as_of=as_of)  # fmt: skip


@router.post("/findings/{finding_id}/move")
def move(request: Request, auth: User, finding_id: Id, to: Annotated[str, Form(max_length=20)],
         version: Annotated[int, Form(ge=1)], csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:  # fmt: skip
    fs.move_finding(get_db(request), auth.scope, finding_id, to, version=version)
    return RedirectResponse(
        f"/work/findings?message=督查问题{finding_id}已转为{STATE_NAMES[to]}", status_code=303
    )


@router.get("/policies")
def policies(request: Request, auth: User, q: Annotated[str | None, Query(max_length=200)] = None,
             region: RegionQ = None) -> Response:  # fmt: skip
    here = _here(auth, region)
    db = get_db(request)
    rows = policy.search(db, auth.scope, q, region=here["code"]) if q and q.strip() else policy.policies(
        db, auth.scope, here["code"])  # fmt: skip
    return render(request, "work/policies.html", auth, region=here, policies=rows, q=q or "")
