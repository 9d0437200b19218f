"""Data reporting (数据填报): requests, forms and their moves, timeliness. Thin wrappers over
`gongfu.reporting`; a refused move is 403 (role, level) or 409 (state, stale version)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from gongfu import reporting
from gongfu.access.scope import Scope
from gongfu.reporting.periods import parse_period_id, type_of
from gongfu.store.paging import page_list
from gongfu.web.api.models import Page, Record
from gongfu.web.api.params import DEFAULT, ERRORS, Id, Limit, Offset, page_body
from gongfu.web.auth import api_scope, get_db

router = APIRouter(prefix="/reporting", tags=["reporting"], responses=ERRORS)
ScopeDep = Annotated[Scope, Depends(api_scope)]
RegionQ = Annotated[str, Query(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f]+$")]
YearQ = Annotated[int, Query(ge=1949, le=2100)]


class Issue(BaseModel):
    region: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=1949, le=2100)
    children: bool = False
    chain: list[Literal["unit", "region", "parent"]] = Field(
        default=["unit", "region"], min_length=1, max_length=3
    )


class OpenForm(BaseModel):
    region: str = Field(min_length=1, max_length=40)
    unit: str = Field(min_length=1, max_length=200)
    period: str = Field(min_length=4, max_length=6, description="2026 | 2026Q1 | 202603")


class Entry(BaseModel):
    item: int = Field(ge=1, le=2**31 - 1)
    value: str | None = Field(None, max_length=40)
    note: str = Field("", max_length=300)
    reason: str = Field("", max_length=300)


class Save(BaseModel):
    version: int = Field(ge=1, le=2**31 - 1)
    entries: list[Entry] = Field(max_length=500)


class Move(BaseModel):
    version: int = Field(ge=1, le=2**31 - 1)
    reason: str = Field("", max_length=1000)


@router.get("/requests", response_model=Page[Record])
def requests(request: Request, scope: ScopeDep, region: RegionQ, year: YearQ, children: bool = False,
             limit: Limit = DEFAULT, offset: Offset = 0) -> dict:  # fmt: skip
    """Every target with no figure for the year: region, indicator, year, period, responsible_unit, due."""
    found = reporting.needed(get_db(request), scope, region, year, children=children)
    return page_body(request, page_list(found, limit, offset))


@router.post("/requests", status_code=201, response_model=Record)
def issue(request: Request, scope: ScopeDep, body: Issue) -> dict:
    """Store the year's requests (with the approval chain) so units can open their forms."""
    db = get_db(request)
    rows = reporting.needed(db, scope, body.region, body.year, children=body.children)
    return reporting.issue(db, scope, rows, chain=tuple(body.chain))


@router.get("/mine", response_model=Record)
def mine(request: Request, scope: ScopeDep) -> dict:
    """The units the user reports or approves for, with their periods, and the forms awaiting the user."""
    return reporting.my_forms(get_db(request), scope)


@router.post("/forms", status_code=201, response_model=Record)
def open_form(request: Request, scope: ScopeDep, body: OpenForm) -> dict:
    year, period = parse_period_id(body.period)
    ptype = type_of(period)
    fid = reporting.open_form(
        get_db(request),
        scope,
        region=body.region,
        unit=body.unit,
        year=year,
        period=period,
        period_type=ptype,
    )
    return reporting.form_view(get_db(request), scope, fid)


@router.get("/forms/{form_id}", response_model=Record)
def form(request: Request, scope: ScopeDep, form_id: Id) -> dict:
    """A form: its figures with unit, last period's value and target, its state, steps and the user's moves."""
    return reporting.form_view(get_db(request), scope, form_id)


@router.post("/forms/{form_id}/save", response_model=Record)
def save(request: Request, scope: ScopeDep, form_id: Id, body: Save) -> dict:
    entries = [e.model_dump() for e in body.entries]
    return reporting.save(get_db(request), scope, form_id, entries, version=body.version)


@router.post("/forms/{form_id}/{action}", response_model=Record)
def move(request: Request, scope: ScopeDep, form_id: Id,
         action: Literal["submit", "withdraw", "approve", "return", "revise"], body: Move) -> dict:  # fmt: skip
    """One move of the state machine (return needs a reason)."""
    db = get_db(request)
    if action == "return":
        return reporting.return_form(db, scope, form_id, body.reason, version=body.version)
    fn = {
        "submit": reporting.submit,
        "withdraw": reporting.withdraw,
        "approve": reporting.approve,
        "revise": reporting.revise,
    }[action]
    return fn(db, scope, form_id, version=body.version)


@router.get("/timeliness", response_model=Record)
def timeliness(request: Request, scope: ScopeDep, region: RegionQ, year: YearQ) -> dict:
    """On time / late / missing per unit and period, completeness and timeliness rates, overdue requests."""
    return reporting.timeliness(get_db(request), scope, region, year)
