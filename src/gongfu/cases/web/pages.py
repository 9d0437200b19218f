"""Dashboard pages of the loop (调度队列、单位待办、区域分布、预警、月度指标, one case with its moves)."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from gongfu.cases import report
from gongfu.cases.measures import SATISFACTION_ZH
from gongfu.cases.moves import move
from gongfu.cases.queries import breakdown, get_case, inbox, queue, warnings_board
from gongfu.cases.routing import LEVEL_ZH
from gongfu.cases.states import MOVES, STATE_ZH
from gongfu.cases.web.common import actor_of, children
from gongfu.labels import CASE_WARNING_ZH
from gongfu.web.api.params import Id
from gongfu.web.auth import PageAuth, User, get_db, page_auth
from gongfu.web.templating import render_with, templates_for

HERE = FsPath(__file__).parent
templates = templates_for(HERE / "templates", STATE_ZH=STATE_ZH, LEVEL_ZH=LEVEL_ZH, MOVES=MOVES,
                          SATISFACTION_ZH=SATISFACTION_ZH, COLOUR_ZH={**CASE_WARNING_ZH, None: ""})  # fmt: skip
router = APIRouter(include_in_schema=False)
Auth = Annotated[PageAuth, Depends(page_auth)]


def _render(request: Request, name: str, auth: PageAuth, **ctx) -> Response:
    return render_with(templates, request, name, auth, **ctx)


@router.get("/cases")
def queue_page(request: Request, auth: User) -> Response:
    items = queue(get_db(request), actor_of(auth.scope), limit=200)
    return _render(request, "cases_list.html", auth, title="调度队列（待分派）", items=items)


@router.get("/cases/inbox")
def inbox_page(request: Request, auth: User) -> Response:
    items = inbox(get_db(request), actor_of(auth.scope), limit=200)
    return _render(request, "cases_list.html", auth, title="单位待办", items=items)


@router.get("/cases/warnings")
def warnings_page(request: Request, auth: User) -> Response:
    items = warnings_board(get_db(request), actor_of(auth.scope), limit=300)
    return _render(request, "cases_list.html", auth, title="红橙黄预警", items=items)


@router.get("/cases/regions")
def regions_page(request: Request, auth: User) -> Response:
    reg = request.app.state.registry
    root = auth.scope.root
    rows = breakdown(get_db(request), actor_of(auth.scope), root, children(request, root))
    for r in rows:
        r["name"] = reg.get(r["region_code"]).name
    return _render(request, "cases_regions.html", auth, title=f"区域分布 · {reg.get(root).name}", rows=rows)


@router.get("/cases/measures")
def measures_page(request: Request, auth: User) -> Response:
    ms = report.compute(get_db(request), actor_of(auth.scope), registry=request.app.state.registry)
    return _render(request, "cases_measures.html", auth, title="月度指标", measures=ms[-500:])


@router.get("/cases/{case_id}")
def case_page(request: Request, auth: User, case_id: Id) -> Response:
    return _render(request, "cases_detail.html", auth, title=f"诉求 {case_id}",
                   case=get_case(get_db(request), actor_of(auth.scope), case_id))  # fmt: skip


@router.post("/cases/{case_id}/move")
def case_move(
    request: Request,
    auth: User,
    case_id: Id,
    action: Annotated[str, Form(max_length=20)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    unit: Annotated[str, Form(max_length=100)] = "",
    level: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    satisfaction: Annotated[str, Form(max_length=15)] = "",
    version: Annotated[int | None, Form(ge=1)] = None,
) -> Response:
    move(get_db(request), actor_of(auth.scope), case_id, action, unit=unit or None, level=level or None,
         reason=reason, note=note, satisfaction=satisfaction or None, version=version)  # fmt: skip
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
