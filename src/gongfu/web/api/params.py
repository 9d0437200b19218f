"""Shared parameter types: bounded, so that no input can reach the database in a form it refuses."""

from typing import Annotated

from fastapi import Path, Query, Request

from gongfu.store.paging import DEFAULT_LIMIT, MAX_LIMIT, Page
from gongfu.web.api.models import ProblemDetails

API_PREFIX = "/api/v1"

MAX_ID = 2**31 - 1
RegionCode = Annotated[
    str, Path(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f]+$", description="地区代码或名称")
]
RegionQuery = Annotated[
    str | None, Query(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f]+$", description="地区代码或名称")
]
IndicatorQuery = Annotated[
    str | None, Query(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f]+$", description="指标目录代码")
]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Year = Annotated[int | None, Query(ge=1949, le=2100, description="评价年份 (默认: 最新)")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="每页条数")]
Offset = Annotated[int, Query(ge=0, le=10**7, description="跳过的条数")]
DEFAULT = DEFAULT_LIMIT


def _problem(description: str) -> dict:
    return {
        "model": ProblemDetails,
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
    }


ERRORS = {
    400: _problem("请求有误"),
    401: _problem("未登录"),
    403: _problem("不在您的管辖范围或角色权限内"),
    404: _problem("未找到（或不在您的管辖范围内）"),
    422: _problem("数据校验未通过；`problems` 逐行列出"),
}


def page_body(request: Request, page: Page) -> dict:
    """The page as the API answers it, with the URL of the next page (same query, next offset)."""
    after = page.next_offset
    nxt = str(request.url.include_query_params(offset=after, limit=page.limit)) if after is not None else None
    body = {"items": page.items, "total": page.total, "limit": page.limit, "offset": page.offset, "next": nxt}
    return {**page.extra, **body}
