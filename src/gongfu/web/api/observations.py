"""Observations: list a region's figures, show one with its source, upload a file (all rows or none)."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from gongfu.access.scope import Scope
from gongfu.web import service
from gongfu.web.api.models import ImportSummary, Observation, ObservationDetail, Page
from gongfu.web.api.params import DEFAULT, ERRORS, Id, IndicatorQuery, Limit, Offset, page_body
from gongfu.web.auth import api_scope, get_db
from gongfu.web.uploads import import_upload, read_mapping

router = APIRouter(prefix="/observations", tags=["observations"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


@router.get("", response_model=Page[Observation])
def list_observations(
    request: Request,
    scope: ScopeDep,
    region: Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f]+$")],
    indicator: IndicatorQuery = None,
    history: bool = False,
    limit: Limit = DEFAULT,
    offset: Offset = 0,
) -> dict:
    """Current figures of a region (with `history`, superseded ones too)."""
    page = service.observations(
        get_db(request), scope, region=region, indicator=indicator, include_history=history,
        limit=limit, offset=offset,
    )  # fmt: skip
    return page_body(request, page)


@router.get("/{observation_id}", response_model=ObservationDetail)
def get_observation(request: Request, scope: ScopeDep, observation_id: Id) -> dict:
    return service.observation(get_db(request), scope, observation_id)


@router.post("", status_code=201, response_model=ImportSummary)
async def upload_observations(
    request: Request,
    scope: ScopeDep,
    file: Annotated[UploadFile, File(description="统计数据文件 (.csv .xlsx)")],
    mapping: Annotated[
        UploadFile | None, File(description="年鉴宽表的映射文件 (.toml .csv)，同 gongfu obs import --mapping")
    ] = None,
) -> dict:
    """Validate and import a file: any problem (listed by row in `problems`) and nothing is stored. A yearbook
    workbook (wide layout: title row, 单位 line, merged headers) comes with its `mapping` file."""
    mapped = await read_mapping(mapping)
    return await import_upload(request, scope.actor, file, service.OBS_SUFFIXES, "observations",
                               lambda up: service.upload_observations(get_db(request), scope, up, mapped))  # fmt: skip
