"""Cascades (指标分解): a region's broken-down targets, one cascade with its verdict, setting and importing
child targets. Thin wrappers over `gongfu.cascade`."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from gongfu import cascade
from gongfu.access.scope import Scope
from gongfu.web.api.models import Page, Record
from gongfu.web.api.params import DEFAULT, ERRORS, Id, Limit, Offset, RegionQuery, page_body
from gongfu.web.auth import api_scope, get_db
from gongfu.web.service import _check_size, _safe_name

router = APIRouter(prefix="/cascade", tags=["cascade"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


class ChildTarget(BaseModel):
    region: str = Field(min_length=1, max_length=40, description="下级地区代码或名称")
    value: float = Field(allow_inf_nan=False, description="分解目标值（上级目标的单位）")
    note: str = Field("", max_length=300)
    replace: bool = False


@router.get("", response_model=Page[Record])
def list_cascades(request: Request, scope: ScopeDep, region: RegionQuery = None, limit: Limit = DEFAULT,
                  offset: Offset = 0) -> dict:  # fmt: skip
    """The region's targets that have child targets, each with its consistency verdict."""
    found = cascade.cascades_page(get_db(request), scope, region or scope.root, limit=limit, offset=offset)
    return page_body(request, found)


@router.get("/{target_id}", response_model=Record)
def get_cascade(request: Request, scope: ScopeDep, target_id: Id) -> dict:
    """A parent target, its children with attainment and colour, the verdict, the figures aggregated."""
    return cascade.cascade_view(get_db(request), scope, target_id)


@router.post("/{target_id}/children", status_code=201, response_model=Record)
def set_child(request: Request, scope: ScopeDep, target_id: Id, body: ChildTarget) -> dict:
    """Set one child target by hand (an existing one changes only with `replace`)."""
    return cascade.set_child(
        get_db(request), scope, target_id, body.region, body.value, note=body.note, replace=body.replace
    )


@router.post("/import", status_code=201, response_model=Record)
async def import_sheet(
    request: Request,
    scope: ScopeDep,
    file: Annotated[UploadFile, File(description="分解表 (.xlsx .csv)：地区、指标、目标值、年份、备注")],
    region: Annotated[str, Form(min_length=1, max_length=40)],
    target: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> dict:
    """Import a 分解表: every row valid or nothing stored (`problems` lists each row)."""
    content = await file.read()
    _check_size(content)
    name = _safe_name(file.filename or "", (".xlsx", ".csv"))
    return cascade.import_sheet(
        get_db(request), scope, Path(name), region=region, target_id=target, content=content
    )


@router.post("/link", status_code=201, response_model=list[Record])
def link(request: Request, scope: ScopeDep, region: RegionQuery = None) -> list[dict]:
    """Link the region's targets to the same indicator and year in its child regions' own plans."""
    return cascade.link_plans(get_db(request), scope, region or scope.root)
