"""REST API of the work system (/api/v1/work): thin wrappers over the work services, scoped by the token."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from gongfu.access.scope import Scope
from gongfu.store.paging import page_list
from gongfu.web.api.models import Finding, Gantt, IndicatorLinks, Page, Policy, Record, Task, TaskBoard, Unit
from gongfu.web.api.params import API_PREFIX, DEFAULT, ERRORS, Id, Limit, Offset, RegionQuery, page_body
from gongfu.web.auth import api_scope, get_db
from gongfu.web.forms import refuse_unknown_fields
from gongfu.web.uploads import read_files, received
from gongfu.work import finding_service as fs
from gongfu.work import policy, query, service

router = APIRouter(prefix=f"{API_PREFIX}/work", tags=["work"], responses={**ERRORS, 409: {**ERRORS[400], "description": "冲突"}},
                   dependencies=[Depends(refuse_unknown_fields)])  # fmt: skip
ScopeDep = Annotated[Scope, Depends(api_scope)]
AsOf = Annotated[date | None, Query(description="评估日期 (默认: 今天)")]
Kind = Annotated[
    str | None, Query(alias="list", max_length=20, description="key_tasks | breakthrough | reform")
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(scope: Scope, region: str | None) -> str:
    return region or scope.root


@router.get("/board", response_model=TaskBoard)
def board(request: Request, scope: ScopeDep, region: RegionQuery = None, as_of: AsOf = None, kind: Kind = None,
          unit: Annotated[int | None, Query(ge=1)] = None, limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict:  # fmt: skip
    """The task board: counts by status, by list and by lead unit; the worst tasks first."""
    return query.board(get_db(request), scope, _region(scope, region), as_of=as_of, kind=kind, unit_id=unit,
                       limit=limit)  # fmt: skip


@router.get("/tasks", response_model=Page[Task])
def tasks(request: Request, scope: ScopeDep, region: RegionQuery = None, as_of: AsOf = None,
          overdue: bool = False, kind: Kind = None, status: Annotated[str | None, Query(max_length=10)] = None,
          limit: Limit = DEFAULT, offset: Offset = 0) -> dict:  # fmt: skip
    found = query.tasks(get_db(request), scope, _region(scope, region), as_of=as_of, overdue=overdue, kind=kind,
                        status=status, limit=10**9)  # fmt: skip
    return page_body(request, page_list(found, limit, offset))


@router.get("/tasks/{task_id}", response_model=Task)
def task(request: Request, scope: ScopeDep, task_id: Id, as_of: AsOf = None) -> dict:
    return query.task(get_db(request), scope, task_id, as_of=as_of)


class TaskEdit(BaseModel):
    version: int = Field(ge=1, description="The version you read; a newer one in the store is a 409")
    title: str | None = Field(None, max_length=2000)
    person: str | None = Field(None, max_length=100)
    seq: str | None = Field(None, max_length=40)
    due_date: date | None = None
    lead_unit: str | None = Field(None, max_length=200)
    co_units: list[str] | None = None


@router.patch("/tasks/{task_id}", response_model=Record)
def edit_task(request: Request, scope: ScopeDep, task_id: Id, body: TaskEdit) -> dict:
    """Edit a task with optimistic concurrency: 409 when someone changed it after you read it."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    return service.update_task(get_db(request), scope, task_id, body.version, changes)


@router.post("/tasks/{task_id}/reports", status_code=201, response_model=Record)
async def report(request: Request, scope: ScopeDep, task_id: Id,
                 percent: Annotated[float, Form(ge=0, le=100)], narrative: Annotated[str, Form(max_length=5000)] = "",
                 on: Annotated[date | None, Form()] = None, version: Annotated[int | None, Form(ge=1)] = None,
                 files: Annotated[list[UploadFile] | None, File(description="佐证材料")] = None) -> dict:  # fmt: skip
    """A progress report with evidence files (type read from the content, SHA-256 and size stored)."""
    content = await read_files(files)
    return await run_in_threadpool(service.report, get_db(request), scope, task_id, percent=percent,
                                   narrative=narrative, on=on, files=content, version=version)  # fmt: skip


@router.post("/tasks/{task_id}/checkoff", response_model=Record)
def checkoff(
    request: Request, scope: ScopeDep, task_id: Id, version: Annotated[int | None, Query(ge=1)] = None
) -> dict:
    """销号 by a higher level: 403 for the task's own level, 400 without evidence or unfinished."""
    return service.check_off(get_db(request), scope, task_id, version=version)


@router.post("/lists/import", status_code=201, response_model=Record)
async def import_list(request: Request, scope: ScopeDep, file: Annotated[UploadFile, File()],
                      kind: Annotated[str, Form(max_length=20)], region: Annotated[str, Form(max_length=40)],
                      year: Annotated[int, Form(ge=2000, le=2100)]) -> dict:  # fmt: skip
    """Import an Excel task list; 422 with every problem (row numbers) and nothing stored."""
    async with received(file, (".xlsx",)) as up:
        return await run_in_threadpool(service.import_excel, get_db(request), scope, up.path, kind=kind,
                                       region=region, year=year, file_name=up.name)  # fmt: skip


@router.get("/units", response_model=Page[Unit])
def units(request: Request, scope: ScopeDep, region: RegionQuery = None, limit: Limit = DEFAULT,
          offset: Offset = 0) -> dict:  # fmt: skip
    return page_body(
        request, page_list(query.units(get_db(request), scope, _region(scope, region)), limit, offset)
    )


@router.get("/units/{unit_id}", response_model=Record)
def unit(request: Request, scope: ScopeDep, unit_id: Id, as_of: AsOf = None) -> dict:
    """A unit's accountability view: tasks led, tasks co-operated on, open findings."""
    return query.unit_view(get_db(request), scope, unit_id, as_of=as_of)


@router.get("/gantt", response_model=Gantt)
def gantt(request: Request, scope: ScopeDep, region: RegionQuery = None, kind: Kind = None) -> dict:
    return query.gantt(get_db(request), scope, _region(scope, region), kind=kind)


@router.get("/findings", response_model=Page[Finding])
def findings(request: Request, scope: ScopeDep, region: RegionQuery = None,
             state: Annotated[str | None, Query(max_length=20)] = None,
             open_only: Annotated[bool, Query(alias="open")] = False, as_of: AsOf = None, limit: Limit = DEFAULT,
             offset: Offset = 0) -> dict:  # fmt: skip
    return page_body(request, fs.findings_page(get_db(request), scope, _region(scope, region), state=state,
                                               open_only=open_only, as_of=as_of, limit=limit,
                                               offset=offset))  # fmt: skip


class FindingIn(BaseModel):
    title: str = Field(min_length=1, max_length=500)
    task_id: int | None = Field(None, ge=1)
    unit: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=40)
    deadline: date | None = None
    detail: str = Field("", max_length=5000)


@router.post("/findings", status_code=201, response_model=Finding)
def add_finding(request: Request, scope: ScopeDep, body: FindingIn) -> dict:
    return fs.add_finding(get_db(request), scope, title=body.title, region=body.region, task_id=body.task_id,
                          unit_name=body.unit, deadline=body.deadline, detail=body.detail)  # fmt: skip


@router.get("/findings/{finding_id}", response_model=Finding)
def finding(request: Request, scope: ScopeDep, finding_id: Id) -> dict:
    return fs.finding(get_db(request), scope, finding_id)


class Move(BaseModel):
    to: str = Field(max_length=20)
    version: int | None = Field(None, ge=1)
    note: str = Field("", max_length=2000)


@router.post("/findings/{finding_id}/move", response_model=Record)
def move(request: Request, scope: ScopeDep, finding_id: Id, body: Move) -> dict:
    """Move a finding; 400 naming the allowed states when the move or the role is not allowed."""
    return fs.move_finding(get_db(request), scope, finding_id, body.to, version=body.version, note=body.note)


@router.get("/policies", response_model=Page[Policy])
def policies(request: Request, scope: ScopeDep, region: RegionQuery = None,
             q: Annotated[str | None, Query(min_length=1, max_length=200)] = None, limit: Limit = DEFAULT,
             offset: Offset = 0) -> dict:  # fmt: skip
    """The policies of a region subtree, or those matching `q` (Chinese full text)."""
    db = get_db(request)
    found = policy.search(db, scope, q, region=region, limit=10**6) if q else policy.policies(
        db, scope, _region(scope, region))  # fmt: skip
    return page_body(request, page_list(found, limit, offset))


class PolicyIn(BaseModel):
    title: str = Field("", max_length=500)
    region: str = Field(max_length=40)
    tier: str = Field("N", pattern="^(1|N)$")
    text: str = Field("", max_length=2_000_000)
    doc_no: str = Field("", max_length=100)
    issuer: str = Field("", max_length=300)
    issued_on: date | None = None
    parent_id: int | None = Field(None, ge=1)
    plan_id: int | None = Field(None, ge=1)


@router.post("/policies", status_code=201, response_model=Policy)
def add_policy(request: Request, scope: ScopeDep, body: PolicyIn) -> dict:
    return policy.add_policy(get_db(request), scope, **body.model_dump())


class Links(BaseModel):
    task_ids: list[int] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)


@router.post("/policies/{policy_id}/links", response_model=Record)
def link_policy(request: Request, scope: ScopeDep, policy_id: Id, body: Links) -> dict:
    return policy.link(get_db(request), scope, policy_id, task_ids=body.task_ids, indicators=body.indicators)


@router.get("/indicators/{code}", response_model=IndicatorLinks)
def indicator(
    request: Request,
    scope: ScopeDep,
    code: Annotated[str, PathParam(min_length=1, max_length=80)],
    region: RegionQuery = None,
) -> dict:
    """From an indicator: its tasks, their units, and its policies."""
    return query.indicator_links(get_db(request), scope, code, _region(scope, region))


@router.get(
    "/battle-map.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "挂图作战表 (.xlsx)"}},
)
def battle_map(request: Request, scope: ScopeDep, region: RegionQuery = None,
               year: Annotated[int | None, Query(ge=2000, le=2100)] = None, as_of: AsOf = None) -> Response:  # fmt: skip
    """The 挂图作战表 as an Excel file."""
    import tempfile
    from pathlib import Path

    from gongfu.work.exports import battle_map as write

    day = as_of or query.today()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "battle-map.xlsx"
        write(get_db(request), scope, _region(scope, region), year or day.year, out, as_of=day)
        data = out.read_bytes()
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="battle-map.xlsx"'})  # fmt: skip
