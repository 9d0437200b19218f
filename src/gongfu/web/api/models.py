"""The response bodies of the API, one model per record type, so the OpenAPI document declares each.

One JSON shape per record: a target is `Target` wherever it appears (a list, a plan, one target); an
observation is `Observation` (a list, one figure, the figures under an evaluation record). Records of the
work system and the grassroots loop declare the fields clients rely on and may carry more
(`extra="allow"`): their services own the rest.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Open(BaseModel):
    """A record whose service may add fields beyond the declared ones."""

    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[T]):
    """Every list: one page of `items`, the `total` in scope, and the URL of the `next` page (or null)."""

    items: list[T]
    total: int = Field(ge=0)
    limit: int = Field(ge=0)
    offset: int = Field(ge=0)
    next: str | None = None


# ---- errors (RFC 9457) ---------------------------------------------------------------------------------


class ProblemItem(Model):
    code: str
    message: str
    row: int | None = None
    column: str | None = None


class ProblemDetails(Model):
    """`application/problem+json`: `code` for machines, `title`/`detail` in Chinese, and row problems."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    problems: list[ProblemItem] = Field(default_factory=list)


# ---- regions, plans, targets ---------------------------------------------------------------------------


class Region(Model):
    code: str
    name: str
    level: str
    parent: str | None
    full_name: str


class RegionDetail(Region):
    children: list[Region]


class PlanSummary(Model):
    id: int
    title: str
    region_code: str | None
    region_name: str
    period: str
    issued_on: str | None
    targets: int
    file_name: str
    script: str
    version: int = 1
    superseded_by: int | None = None


class Target(Model):
    id: int
    plan_id: int
    position: int
    indicator: str
    indicator_code: str | None
    region_code: str | None
    comparator: str
    value: float
    value2: float | None
    unit: str
    year: int | None
    ambition: str
    baseline: float | None
    section: str | None
    start: int
    end: int
    span: str
    sentence: str
    damaged: bool


class Section(Model):
    path: str
    marker: str
    title: str
    level: int
    start: int


class Segment(Model):
    text: str
    target_id: int | None


class Plan(Model):
    id: int
    title: str
    issuer: str
    issued_on: str | None
    region_code: str | None
    region_name: str
    period_start: int | None
    period_end: int | None
    file_name: str
    script: str
    sha256: str
    text: str
    targets: list[Target]
    sections: list[Section]
    segments: list[Segment]


class PlanStored(Model):
    plan_id: int
    created: bool
    title: str
    region_code: str | None
    targets: int
    tasks: int
    file_name: str


# ---- observations --------------------------------------------------------------------------------------


class Observation(Model):
    id: int
    indicator_code: str
    region_code: str
    year: int
    period: str | None
    value: float
    unit: str
    original_value: float | None
    original_unit: str | None
    vintage: str | None
    note: str | None
    source: str
    source_row: int | None
    source_text: str | None
    source_url: str | None
    import_id: int | None
    imported_at: str | None
    imported_by: str | None
    superseded_by: int | None


class ImportRef(Model):
    id: int
    source: str
    sha256: str | None
    kind: str | None


class ObservationDetail(Observation):
    import_: ImportRef | None = Field(alias="import", serialization_alias="import")

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class ImportSummary(Model):
    import_id: int | None
    file: str
    rows: int
    added: int
    revised: int
    unchanged: int
    kept_as_history: int
    already_imported_as: int | None = None


# ---- evaluation and index ------------------------------------------------------------------------------


class EvaluationRecord(Open):
    """One target's evaluation: attainment, trajectory, progress ratio, forecast, colour and why, sources."""

    target_id: int
    plan_id: int
    indicator: str
    indicator_code: str | None
    indicator_name: str
    dimension: str
    region: str | None
    region_name: str
    ambition: str
    colour: str
    colour_reason: str | None = None
    attainment: float | None = None
    year: int | None = None
    observations: list[Observation]


class IndexRegion(Model):
    region: str
    region_name: str
    level: str
    index: float | None
    rank: int | None
    rank_range: list[int | None]
    indicators: int
    targets: int
    coverage: float | None
    dimensions: dict[str, float | None]


class IndexResult(Model):
    """The composite index of peers of one level, ranked among themselves."""

    weights_scheme: str
    dimensions: list[str]
    weights: list[float]
    regions: list[IndexRegion]
    note: str | None = None


# ---- audit ---------------------------------------------------------------------------------------------


class AuditEvent(Model):
    id: int
    at: str | None
    actor: str
    action: str
    object_type: str
    object_id: str
    region_code: str | None
    regions: list[str] = Field(default_factory=list, description="every region the event touched")
    old: Any
    new: Any


# ---- the work system and the grassroots loop -----------------------------------------------------------


class Record(Open):
    """A result of a move or a write (ids, versions, counts) as the room's service gives it."""


class Task(Open):
    id: int
    title: str
    region_code: str
    status: str | None = None
    version: int | None = None


class TaskBoard(Open):
    region_code: str
    as_of: str
    total: int


class Unit(Open):
    id: int
    name: str
    region_code: str


class Gantt(Open):
    pass


class Finding(Open):
    id: int
    title: str
    state: str


class Policy(Open):
    id: int
    title: str
    region_code: str


class IndicatorLinks(Open):
    pass


class Case(Open):
    """A citizen request: Open311 GeoReport v2 fields plus ours."""

    service_request_id: str
    id: int
    status: str
    gongfu_status: str
    region_code: str


class CaseService(Model):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class CaseCreated(Model):
    service_request_id: str
    service_notice: str
    account_id: str | None


class CaseBreakdown(Open):
    region_code: str
    total: int


class CaseMeasure(Open):
    indicator: str
    unit: str
