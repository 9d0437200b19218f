"""The report's data: plain dataclasses that `build.py` fills and every writer (docx, xlsx, html) reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongfu.labels import COLOUR_ZH
from gongfu.vocab import COLOURS, SEVERITY

__all__ = ["COLOURS", "COLOUR_ZH", "SEVERITY", "ReportData"]


@dataclass
class PlanSource:
    """A plan document cited by the report (附录: 方案)."""

    ref: str  # "方案1"
    plan_id: int
    title: str
    region_name: str
    period: str
    file_name: str


@dataclass
class SentenceSource:
    """The plan sentence a target was read from (附录: 方案原文)."""

    ref: str  # "P1"
    target_id: int
    plan_ref: str
    region_name: str
    indicator: str
    sentence: str


@dataclass
class StatSource:
    """One stored statistics row (附录: 统计数据)."""

    ref: str  # "S1"
    observation_id: int
    region_name: str
    indicator_name: str
    year: int
    value: float
    unit: str
    source: str
    source_row: int | None
    source_url: str
    source_text: str
    vintage: str


@dataclass
class Chapter:
    """One dimension (维度) of the plan: its targets, in plan order."""

    dimension: str
    records: list[dict]


@dataclass
class Composite:
    """The region's composite index among its peers, or why there is none."""

    available: bool
    note: str = ""
    index: float | None = None
    rank: int | None = None
    peers: int = 0  # regions ranked
    rank_min: int | None = None
    rank_max: int | None = None
    scheme: str = "equal"
    dimensions: dict[str, float | None] = field(default_factory=dict)


@dataclass
class ChildSummary:
    """One child region in the comparison chapter."""

    region: str
    region_name: str
    targets: int
    counts: dict[str, int]
    mean_attainment: float | None
    index: float | None
    rank: int | None
    refs: list[str]  # plan refs


@dataclass
class Measure:
    """A stored distribution measure (基尼系数, 泰尔指数 …), current value."""

    code: str
    name: str
    region_name: str
    year: int
    value: float
    unit: str
    ref: str  # stat ref


@dataclass
class ReportData:
    region: str
    region_name: str
    full_name: str
    year: int
    as_of: int | None  # the --year given to the evaluation (None = latest data)
    generated_on: str
    weights: str
    records: list[dict]  # the region's own targets, each with "refs"
    counts: dict[str, int]
    composite: Composite
    chapters: list[Chapter]
    lagging: list[dict]  # most lagging first
    measures: list[Measure]
    children: list[ChildSummary] | None
    child_records: list[dict]
    child_composite_note: str
    plans: list[PlanSource]
    sentences: list[SentenceSource]
    stats: list[StatSource]
    # `gongfu.reporting.timeliness` for the region and year: per unit and period on time / late / missing
    timeliness: dict = field(default_factory=lambda: {"reports": [], "units": [], "as_of": None})

    @property
    def title(self) -> str:
        return f"{self.region_name}{self.year}年度共同富裕综合评价报告"

    @property
    def top_lagging(self) -> list[dict]:
        return self.lagging[:3]

    @property
    def evaluable(self) -> int:
        """Targets with a stored value to evaluate against (an evaluable target without data is grey)."""
        return sum(1 for r in self.records if r.get("evaluable") and r.get("latest") is not None)
