"""Evaluation of a region's targets, and the composite index with ranking."""

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from gongfu.access.scope import Scope
from gongfu.store.paging import Page, page_list
from gongfu.web import evaluation as ev
from gongfu.web.api.models import EvaluationRecord, IndexResult
from gongfu.web.api.models import Page as PageModel
from gongfu.web.api.params import DEFAULT, ERRORS, Limit, Offset, RegionQuery, Year, page_body
from gongfu.web.auth import api_scope, get_db

router = APIRouter(tags=["evaluation"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]


@router.get("/evaluation", response_model=PageModel[EvaluationRecord])
def evaluation(
    request: Request,
    scope: ScopeDep,
    region: RegionQuery = None,
    year: Year = None,
    children: bool = False,
    limit: Limit = DEFAULT,
    offset: Offset = 0,
) -> dict | Response:
    """One record per target: attainment, trajectory, progress ratio, forecast, colour and why, sources."""
    db, here = get_db(request), region or scope.root
    stored = ev.stored_page(db, scope, here, year=year, children=children, limit=limit, offset=offset)
    if stored is None:  # an as-of year not stored: computed now
        records = ev.evaluation(db, scope, here, year=year, children=children)
        return page_body(request, page_list(records, limit, offset))
    # The stored payloads are the records' JSON already: one page of them, counted and cut in SQL, is
    # answered as it is, not parsed and serialised again (tests check it is what the model declares).
    total, payloads = stored
    body = page_body(request, Page([], total, limit, offset))
    rest = json.dumps({k: v for k, v in body.items() if k != "items"}, ensure_ascii=False)
    return Response(f'{{"items":[{",".join(payloads)}],{rest[1:]}', media_type="application/json")


@router.get("/index", response_model=IndexResult)
def index(
    request: Request,
    scope: ScopeDep,
    regions: Annotated[
        str | None, Query(max_length=2000, pattern=r"^[^\x00-\x1f]+$", description="逗号分隔的地区代码")
    ] = None,
    parent: RegionQuery = None,
    region: RegionQuery = None,
    year: Year = None,
    weights: Annotated[str, Query(pattern="^(equal|entropy)$")] = "equal",
) -> dict:
    """Composite index and rank of `regions` (comma-separated), or of the peers below `parent` (`region`):
    the ranking of `gongfu index`; a region outside your scope is a 403, as for `/evaluation`."""
    codes = [c.strip() for c in regions.split(",") if c.strip()] if regions else None
    return ev.index(
        get_db(request), scope, regions=codes, parent=parent or region, year=year, weights=weights
    )
