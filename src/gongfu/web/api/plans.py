"""Plans (upload a document, list, show with text and targets) and their targets."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.models import Page, Plan, PlanStored, PlanSummary, Target
from gongfu.web.api.params import DEFAULT, ERRORS, Id, IndicatorQuery, Limit, Offset, RegionQuery, page_body
from gongfu.web.auth import api_scope, get_db
from gongfu.web.uploads import import_upload

router = APIRouter(tags=["plans"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


@router.get("/plans", response_model=Page[PlanSummary])
def list_plans(request: Request, scope: ScopeDep, limit: Limit = DEFAULT, offset: Offset = 0) -> dict:
    return page_body(request, service.plans(get_db(request), scope, limit=limit, offset=offset))


@router.post("/plans", status_code=201, response_model=PlanStored)
async def upload_plan(
    request: Request,
    scope: ScopeDep,
    file: Annotated[UploadFile, File(description="方案文件 (.txt .html .docx .pdf)")],
    region: Annotated[str | None, Form(max_length=40)] = None,
) -> dict:
    """Store a plan document; its targets are extracted on the way in (a large one as a background job, 202)."""
    return await import_upload(request, scope.actor, file, service.PLAN_SUFFIXES, "plan",
                               lambda up: service.ingest_plan(get_db(request), scope, up, region or None))  # fmt: skip


@router.get("/plans/{plan_id}", response_model=Plan)
def get_plan(request: Request, scope: ScopeDep, plan_id: Id) -> dict:
    """The plan with its original text, outline, targets and the text cut at every target span."""
    return service.plan(get_db(request), scope, plan_id)


@router.get("/targets", response_model=Page[Target])
def list_targets(
    request: Request,
    scope: ScopeDep,
    region: RegionQuery = None,
    indicator: IndicatorQuery = None,
    plan_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Limit = DEFAULT,
    offset: Offset = 0,
) -> dict:
    page = service.targets(
        get_db(request),
        scope,
        region=region,
        indicator=indicator,
        plan_id=plan_id,
        limit=limit,
        offset=offset,
    )
    return page_body(request, page)


@router.get("/targets/{target_id}", response_model=Target)
def get_target(request: Request, scope: ScopeDep, target_id: Id) -> dict:
    return service.target(get_db(request), scope, target_id)
