"""Shared parameter types: bounded, so that no input can reach the database in a form it refuses."""

from typing import Annotated

from fastapi import Path, Query

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
ERRORS = {
    400: {"description": "Bad input"},
    401: {"description": "Not signed in"},
    403: {"description": "Outside your region scope or role"},
    404: {"description": "Not found (or outside your scope)"},
    422: {"description": "Validation failed; `problems` lists every row"},
}
