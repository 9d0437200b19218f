"""The shared vocabulary: plain dataclasses that every room (plans, observations, evaluation) speaks.

Offsets in these records are character offsets. The extractor works on the *normalised* text
(Simplified script, half-width digits); `gongfu.plans.service` maps them back into the original text
before anything is stored or printed, so a stored `start`/`end` always points into the original file text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongfu.vocab import Ambition, Comparator


@dataclass(frozen=True)
class Section:
    """A node of a plan's outline (一、 / (一) / 1. / (1) / 一是 / —— bullet)."""

    marker: str  # the marker as written, e.g. "一、", "(二)", "3.", "一是", "——"
    title: str  # the heading text after the marker (up to the first 。 or the line end)
    level: int  # 1 = top level
    start: int  # offset of the marker
    end: int  # offset where the section (with its children) ends
    path: str  # e.g. "二/(三)/4": markers without punctuation, joined by "/"


@dataclass
class Target:
    """One explicit numeric target of a plan (指标), field meanings as in gold/GUIDELINES.md."""

    indicator: str
    value: float
    unit: str
    comparator: Comparator | str
    year: int | None
    ambition: Ambition | str = Ambition.BINDING
    value2: float | None = None
    baseline: float | None = None
    section: str | None = None
    start: int = 0
    end: int = 0
    qualifier: str = ""
    damaged: bool = False

    JSON_FIELDS = (
        "indicator",
        "value",
        "value2",
        "unit",
        "comparator",
        "year",
        "ambition",
        "baseline",
        "section",
        "start",
        "end",
        "qualifier",
        "damaged",
    )

    def to_json(self) -> dict:
        # every field is a scalar (str, number, bool, None or a str enum), so no deep copy as asdict makes
        return {k: getattr(self, k) for k in self.JSON_FIELDS}


@dataclass
class Task:
    """A task item of a plan's outline, with the units named as responsible for it."""

    section: str  # outline path
    text: str
    start: int
    end: int
    title: str = ""
    lead_units: list[str] = field(default_factory=list)  # 牵头单位 / 责任单位
    co_units: list[str] = field(default_factory=list)  # 配合单位
    target_indexes: list[int] = field(default_factory=list)  # positions in the plan's target list


@dataclass
class PlanMeta:
    """What the document says about itself."""

    title: str = ""
    issuer: str = ""
    date: str | None = None  # ISO date of issue (成文日期 / 发布日期) when found
    region_name: str = ""
    region_code: str | None = None
    period_start: int | None = None
    period_end: int | None = None


@dataclass
class ExtractedPlan:
    """Everything read from one plan document; offsets are into `original`."""

    file_name: str
    sha256: str
    original: str
    text: str  # normalised text
    script: str  # "simplified" | "traditional" | "mixed"
    encoding: str
    meta: PlanMeta
    sections: list[Section]
    targets: list[Target]
    tasks: list[Task]
    # what the reader could not settle (region …), and one line of what it found, both in Chinese
    warnings: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass(slots=True)  # a million-row import holds a million of these: no per-object dict
class ObservationDraft:
    """An observed (or computed) figure on its way into the store, already in the catalog unit.

    `source` says where it came from: a file with its row, or a computation with its inputs.
    """

    indicator: str  # catalog code
    region: str  # GB/T 2260 code
    year: int
    value: float
    unit: str  # the catalog unit after conversion
    source: str  # file name, URL or computation name
    source_row: int | None = None  # 1-based row in the source file, header = row 1
    source_text: str = ""  # verbatim quote or the raw cell text
    period: str = ""  # "" for a year; "M03", "Q1" for sub-annual periods
    original_value: float | None = None  # the value as the source states it, before conversion
    original_unit: str = ""
    source_url: str = ""  # the publication the figure was read from, when the file names one
    vintage: str = ""  # "" | "preliminary" | "final" | "revised" | "estimate" (初步核算/最终核实/修订/预计)
    note: str = ""  # e.g. 口径 remarks such as 管理口径
