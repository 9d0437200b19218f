"""Open311 GeoReport v2 (`services`, `requests`: POST, GET one, list with filters) extended with our states,
plus the loop's own endpoints (moves, queue, inbox, warnings, breakdown, measures). All region-scoped."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from pydantic import BaseModel, Field

from gongfu.access.scope import Scope
from gongfu.cases import report, routing
from gongfu.cases.intake import CaseDraft, intake_many
from gongfu.cases.moves import move
from gongfu.cases.queries import (
    Filters,
    breakdown,
    get_case,
    inbox_page,
    list_cases_page,
    queue_page,
    warnings_board,
)
from gongfu.cases.states import MOVES, STATES
from gongfu.cases.web.common import actor_of, children, classifier
from gongfu.errors import InputError
from gongfu.store.paging import page_list
from gongfu.text.names import web_url
from gongfu.web.api.models import Case, CaseBreakdown, CaseCreated, CaseMeasure, CaseService, Page, Record
from gongfu.web.api.params import API_PREFIX, DEFAULT, ERRORS, Id, Limit, Offset, RegionQuery, page_body
from gongfu.web.auth import api_scope, get_db
from gongfu.web.forms import refuse_unknown_fields

router = APIRouter(
    prefix=API_PREFIX, tags=["cases"], responses=ERRORS, dependencies=[Depends(refuse_unknown_fields)]
)
ScopeDep = Annotated[Scope, Depends(api_scope)]
Text = Annotated[str, Form(max_length=5000)]
Short = Annotated[str, Form(max_length=300)]


def _region(scope: Scope, region: str | None) -> str | None:
    return scope.region(region).code if region else None


@router.get("/open311/v2/services", response_model=list[CaseService])
def services(request: Request, scope: ScopeDep) -> list[dict]:
    """One service per category the classifier knows (or the routing rules name)."""
    clf = classifier(request)
    labels = clf.labels if clf else sorted({r["category"] for r in routing.load_rules().units} - {"*"})
    return [{"service_code": c, "service_name": c, "description": f"{c}类诉求", "metadata": False,
             "type": "realtime", "keywords": "", "group": "诉求"} for c in labels]  # fmt: skip


@router.post("/open311/v2/requests", status_code=201, response_model=list[CaseCreated])
def post_request(
    request: Request,
    scope: ScopeDep,
    description: Text,
    region: Annotated[str, Form(max_length=40, description="乡镇或县级区划代码/名称 (扩展)")],
    service_code: Annotated[str | None, Form(max_length=40)] = None,
    address_string: Short = "",
    lat: Annotated[float | None, Form(ge=-90, le=90)] = None,
    long: Annotated[float | None, Form(ge=-180, le=180)] = None,
    phone: Annotated[str, Form(max_length=40)] = "",
    email: Annotated[str, Form(max_length=100)] = "",
    media_url: Annotated[str, Form(max_length=1000)] = "",
    title: Short = "",
    kind: Annotated[str, Form(max_length=10)] = "诉求",
    village: Annotated[str, Form(max_length=60)] = "",
    grid: Annotated[str, Form(max_length=60)] = "",
    urgency: Annotated[Literal["normal", "high", "urgent"], Form()] = "normal",
    channel: Annotated[Literal["grid", "12345", "public", "api"], Form()] = "api",
    external_id: Annotated[str | None, Form(max_length=100)] = None,
) -> list[dict]:
    """Take in a request; without `service_code` the category is predicted from the text."""
    if media_url and web_url(media_url) is None:
        raise InputError("media_url 须是 http:// 或 https:// 开头的网址")
    d = CaseDraft(description, region, title=title, kind=kind, category=service_code, village=village, grid=grid,
                  address=address_string, contact=phone or email, urgency=urgency, channel=channel,
                  external_id=external_id, lat=lat, long=long, attachments=[media_url] if media_url else [])  # fmt: skip
    res = intake_many(get_db(request), actor_of(scope), [d], classifier=classifier(request),
                      registry=request.app.state.registry)  # fmt: skip
    cid = (res.ids or res.existing)[0]
    return [{"service_request_id": str(cid), "service_notice": "已受理", "account_id": None}]


@router.get(
    "/open311/v2/requests",
    response_model=list[Case],
    responses={
        200: {
            "headers": {
                "X-Total-Count": {
                    "description": "在范围内、符合条件的诉求总数",
                    "schema": {"type": "integer"},
                },
                "Link": {
                    "description": '下一页：<url>; rel="next"（无下一页时省略）',
                    "schema": {"type": "string"},
                },
            }
        }
    },
)
def get_requests(
    request: Request,
    response: Response,
    scope: ScopeDep,
    service_code: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[
        str | None, Query(max_length=100, description="open | closed | 我们的状态 (逗号分隔)")
    ] = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    region: RegionQuery = None,
    kind: Annotated[str | None, Query(max_length=10)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> list[dict]:
    """Open311 GeoReport v2 keeps its shape, a bare array of requests, so Open311 clients read it as the
    spec says; `limit`/`offset` are honoured in the database and the page convention's `total` and `next`
    travel as the `X-Total-Count` and `Link: <…>; rel="next"` headers."""
    states = {"open": "received,dispatched,signed,handling", "closed": "closed,visited,archived"}
    st = states.get(status or "", status)
    if st and not set(st.split(",")) <= set(STATES):
        from gongfu.errors import InputError

        raise InputError(f"未知的状态“{status}”，应为 open、closed 或 {'、'.join(STATES)}")
    f = Filters(region=_region(scope, region), status=st, kind=kind, category=service_code, since=start_date,
                until=end_date, limit=limit, offset=offset)  # fmt: skip
    page = list_cases_page(get_db(request), actor_of(scope), f)
    response.headers["X-Total-Count"] = str(page.total)
    if (after := page.next_offset) is not None:
        nxt = request.url.include_query_params(offset=after, limit=page.limit)
        response.headers["Link"] = f'<{nxt}>; rel="next"'
    return page.items


@router.get("/open311/v2/requests/{case_id}", response_model=list[Case])
def get_request(request: Request, scope: ScopeDep, case_id: Id) -> list[dict]:
    """GeoReport returns a one-element list; ours carries the assignments and history too."""
    return [get_case(get_db(request), actor_of(scope), case_id)]


class MoveBody(BaseModel):
    action: Literal[tuple(MOVES)]  # type: ignore[valid-type]
    unit: str | None = Field(None, max_length=100)
    level: Literal["grid", "village", "town", "county"] | None = None
    reason: str = Field("", max_length=2000)
    note: str = Field("", max_length=5000)
    satisfaction: Literal["satisfied", "basic", "dissatisfied"] | None = None
    joint: list[tuple[Literal["grid", "village", "town", "county"], str]] = Field(
        default_factory=list, max_length=20
    )
    version: int | None = Field(None, ge=1)


@router.post("/cases/{case_id}/moves", response_model=Record)
def post_move(request: Request, scope: ScopeDep, case_id: Id, body: MoveBody) -> dict:
    """Move a case one step; `version` guards against a concurrent change (409)."""
    return move(get_db(request), actor_of(scope), case_id, body.action, unit=body.unit, level=body.level,
                reason=body.reason, note=body.note, satisfaction=body.satisfaction, joint=list(body.joint),
                version=body.version)  # fmt: skip


@router.get("/cases/queue", response_model=Page[Case])
def get_queue(request: Request, scope: ScopeDep, region: RegionQuery = None, limit: Limit = DEFAULT,
              offset: Offset = 0) -> dict:  # fmt: skip
    found = queue_page(
        get_db(request), actor_of(scope), region=_region(scope, region), limit=limit, offset=offset
    )
    return page_body(request, found)


@router.get("/cases/inbox", response_model=Page[Case])
def get_inbox(request: Request, scope: ScopeDep, unit: Annotated[str | None, Query(max_length=100)] = None,
              limit: Limit = DEFAULT, offset: Offset = 0) -> dict:  # fmt: skip
    return page_body(
        request, inbox_page(get_db(request), actor_of(scope), unit=unit, limit=limit, offset=offset)
    )


@router.get("/cases/warnings", response_model=Page[Case])
def get_warnings(request: Request, scope: ScopeDep, region: RegionQuery = None, limit: Limit = DEFAULT,
                 offset: Offset = 0) -> dict:  # fmt: skip
    found = warnings_board(get_db(request), actor_of(scope), region=_region(scope, region), limit=10**5)
    return page_body(request, page_list(found, limit, offset))


@router.get("/cases/breakdown", response_model=Page[CaseBreakdown])
def get_breakdown(request: Request, scope: ScopeDep, region: RegionQuery = None, limit: Limit = DEFAULT,
                  offset: Offset = 0) -> dict:  # fmt: skip
    code = _region(scope, region) or scope.root
    found = breakdown(get_db(request), actor_of(scope), code, children(request, code))
    return page_body(request, page_list(found, limit, offset))


@router.get("/cases/measures", response_model=Page[CaseMeasure])
def get_measures(request: Request, scope: ScopeDep, region: RegionQuery = None,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None, limit: Limit = DEFAULT,
                 offset: Offset = 0) -> dict:  # fmt: skip
    ms = report.compute(get_db(request), actor_of(scope), region=_region(scope, region), year=year,
                        registry=request.app.state.registry)  # fmt: skip
    found = [{**m.__dict__, "indicator": m.indicator, "unit": m.unit} for m in ms]
    return page_body(request, page_list(found, limit, offset))
