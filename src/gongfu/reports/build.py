"""Gather a `ReportData` from the services: evaluation, composite index, distribution measures, regions.

Pure assembly: no formatting and no numbers of its own. Every figure comes from `evaluate_region`,
`composite_index` or a stored observation, and is given a source reference (P… plan sentence, S…
statistics row) that the appendix resolves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from gongfu import clock
from gongfu.catalog.catalog import load_catalog
from gongfu.errors import NotFound
from gongfu.evaluation.service import colour_counts, evaluate_region
from gongfu.observations.service import history, observation_json
from gongfu.plans.service import list_plans
from gongfu.regions import load as load_regions
from gongfu.reports.data import (
    SEVERITY,
    Chapter,
    ChildSummary,
    Composite,
    Measure,
    PlanSource,
    ReportData,
    SentenceSource,
    StatSource,
)
from gongfu.store.db import Database


def _timeliness(db: Database, code: str, year: int, today: date | None) -> dict:
    """Per unit and period: on time / late / missing, read with a read-only scope rooted at the region."""
    from gongfu.access.scope import Scope
    from gongfu.access.users import Principal
    from gongfu.reporting import timeliness

    return timeliness(db, Scope(Principal(0, "report", "viewer", code)), code, year, as_of=today)


DISTRIBUTION_CODES = (
    "gini",
    "theil_t",
    "theil_l",
    "bottom20_share",
    "top20_share",
    "s80_s20",
    "palma_ratio",
    "middle_income_share_10_50",
    "middle_income_share_20_60",
    "low_income_share",
    "urban_rural_income_ratio",
    "county_income_max_min_ratio",
)
LAGGING = ("red", "orange", "yellow")


class _Sources:
    """Hands out one reference per plan, target sentence and observation, in order of first use."""

    def __init__(self, plans: dict[int, dict]) -> None:
        self._plan_rows = plans
        self.plans: dict[int, PlanSource] = {}
        self.sentences: dict[int, SentenceSource] = {}
        self.stats: dict[int, StatSource] = {}

    def plan(self, plan_id: int) -> str:
        if plan_id not in self.plans:
            p = self._plan_rows.get(plan_id, {})
            self.plans[plan_id] = PlanSource(
                f"方案{len(self.plans) + 1}",
                plan_id,
                p.get("title") or p.get("file_name", ""),
                p.get("region_name", ""),
                p.get("period", ""),
                p.get("file_name", ""),
            )
        return self.plans[plan_id].ref

    def sentence(self, r: dict) -> str:
        if r["target_id"] not in self.sentences:
            ref = f"P{len(self.sentences) + 1}"
            self.sentences[r["target_id"]] = SentenceSource(
                ref, r["target_id"], self.plan(r["plan_id"]), r["region_name"], r["indicator"], r["sentence"]
            )
        return self.sentences[r["target_id"]].ref

    def stat(self, o: dict, region_name: str, indicator_name: str) -> str:
        oid = o["id"]
        if oid not in self.stats:
            self.stats[oid] = StatSource(
                f"S{len(self.stats) + 1}",
                oid,
                region_name,
                indicator_name,
                o["year"],
                o["value"],
                o["unit"],
                o["source"],
                o["source_row"],
                o["source_url"] or "",
                o["source_text"] or "",
                o["vintage"] or "",
            )
        return self.stats[oid].ref


def _with_refs(r: dict, src: _Sources) -> dict:
    """A copy of the record with `refs` (plan sentence + the latest value's row) and `obs_refs` (all rows)."""
    obs_refs = [src.stat(o, r["region_name"], r["indicator_name"]) for o in r["observations"]]
    refs = [src.sentence(r)]
    latest = [
        ref for o, ref in zip(r["observations"], obs_refs, strict=True) if o["year"] == r.get("latest_year")
    ]
    refs += latest[-1:]
    return {**r, "refs": refs, "obs_refs": obs_refs, "plan_ref": src.plan(r["plan_id"])}


def _child_refs(r: dict, src: _Sources) -> dict:
    """A child region's record cites its plan only: the comparison chapter shows counts, not figures,
    and the xlsx lists each child target with its sentence and the file and row of its latest value."""
    plan_ref = src.plan(r["plan_id"])
    return {**r, "refs": [plan_ref], "obs_refs": [], "plan_ref": plan_ref}


def _lag_key(r: dict) -> tuple[int, float]:
    pr = r.get("progress_ratio")
    if pr is None and r.get("attainment") is not None and r.get("time_progress") is not None:
        pr = r["attainment"] - r["time_progress"]
    return SEVERITY.get(r["colour"], 9), pr if pr is not None else 0.0


def lagging(records: list[dict]) -> list[dict]:
    """Evaluable, unmet targets coloured red, orange or yellow: most severe first, then lowest progress."""
    lag = [r for r in records if r.get("evaluable") and r["colour"] in LAGGING and not r.get("achieved")]
    return sorted(lag, key=_lag_key)


def ranked(
    db: Database, root: str, codes: list[str], *, children: bool, year: int | None, weights: str
) -> dict[str, dict] | None:
    """The composite index of exactly `codes` (peers of one level), ranked among themselves.

    `root` bounds the evaluation read (one query for every peer below it).
    """
    from gongfu.evaluation.service import peer_index

    result = peer_index(db, codes, year=year, weights=weights, within=root if children else None)
    return {r["region"]: r for r in result.get("regions", []) if r.get("index") is not None}


def region_composite(db: Database, code: str, year: int | None, weights: str) -> Composite:
    reg = load_regions()
    me = reg.get(code)
    if me.parent:
        peers = [r.code for r in reg.children(me.parent) if r.level == me.level and not r.valid_to]
        rows = ranked(db, me.parent, peers, children=True, year=year, weights=weights)
    else:
        rows = ranked(db, code, [code], children=False, year=year, weights=weights)
    if rows is None:
        return Composite(False, "综合指数: 暂无（综合指数服务尚未提供）", scheme=weights)
    mine = rows.get(code)
    if mine is None:
        return Composite(False, "综合指数: 暂无（缺少可评价的指标）", peers=len(rows), scheme=weights)
    return Composite(
        True,
        index=mine["index"],
        rank=mine.get("rank"),
        peers=len(rows),
        rank_min=mine.get("min_rank"),
        rank_max=mine.get("max_rank"),
        scheme=weights,
        dimensions=dict(mine.get("dimensions") or {}),
    )


def _measures(db: Database, code: str, region_name: str, as_of: int | None, src: _Sources) -> list[Measure]:
    catalog = load_catalog()
    out = []
    for m in DISTRIBUTION_CODES:
        rows = [
            o
            for o in history(db, indicator=m, region=code)
            if o.superseded_by is None and not o.period and (as_of is None or o.year <= as_of)
        ]
        if not rows:
            continue
        o = max(rows, key=lambda o: (o.year, o.id))
        ind = catalog.lookup(m)
        name = ind.name if ind else m
        ref = src.stat(
            observation_json(o),
            region_name,
            name,
        )
        out.append(Measure(m, name, region_name, o.year, o.value, o.unit, ref))
    return out


def _children(
    db: Database, code: str, records: list[dict], year: int | None, weights: str
) -> tuple[list[ChildSummary], str]:
    reg = load_regions()
    kids = [r for r in reg.children(code) if not r.valid_to]
    by_child: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        for k in kids:
            if r["region"] == k.code or reg.is_within(r["region"], k.code):
                by_child[k.code].append(r)
                break
    comp = ranked(db, code, [k.code for k in kids], children=True, year=year, weights=weights)
    note = "" if comp is not None else "综合指数: 暂无（综合指数服务尚未提供）"
    out = []
    for k in kids:
        rs = by_child.get(k.code, [])
        att = [r["attainment"] for r in rs if r.get("attainment") is not None]
        c = (comp or {}).get(k.code, {})
        plan_refs = sorted({r["plan_ref"] for r in rs}, key=lambda s: int(s.removeprefix("方案")))
        out.append(
            ChildSummary(
                k.code,
                k.name,
                len(rs),
                colour_counts(rs),
                sum(att) / len(att) if att else None,
                c.get("index"),
                c.get("rank"),
                plan_refs,
            )
        )
    return out, note


def build_report(
    db: Database,
    region: str,
    year: int | None = None,
    *,
    children: bool = False,
    weights: str = "equal",
    today: date | None = None,
) -> ReportData:
    """Everything the annual evaluation report shows, for `region` as of `year` (None: latest data)."""
    reg = load_regions()
    code = reg.get(region).code
    records = evaluate_region(db, code, year=year, children=children)
    if not records:  # an empty report handed in as if it were one is worse than none
        where = "及其下辖地区" if children else ""
        raise NotFound(
            f"{reg.full_name(code)}（{code}）{where}没有已导入的行动方案目标，未生成报告；"
            f"先用 `gongfu plan ingest` 导入该地区的方案"
            + ("" if children else "，或加 --children 汇总下辖地区")
        )
    plans = {p["id"]: p for p in list_plans(db)}
    src = _Sources(plans)
    own = [_with_refs(r, src) for r in records if r["region"] == code]
    others = [_child_refs(r, src) for r in records if r["region"] != code]
    chapters: dict[str, list[dict]] = defaultdict(list)
    for r in own:
        chapters[r["dimension"]].append(r)
    latest_years = [r["latest_year"] for r in own if r.get("latest_year")]
    report_year = year or (max(latest_years) if latest_years else (today or clock.today()).year)
    name = reg.get(code).name
    measures = _measures(db, code, name, year, src)
    kids, kids_note = _children(db, code, others, year, weights) if children else (None, "")
    return ReportData(
        region=code,
        region_name=name,
        full_name=reg.full_name(code),
        year=report_year,
        as_of=year,
        generated_on=(today or clock.today()).isoformat(),
        weights=weights,
        records=own,
        counts=colour_counts(own),
        composite=region_composite(db, code, year, weights),
        chapters=[Chapter(d, chapters[d]) for d in sorted(chapters, key=lambda d: d == "未归类")],
        lagging=lagging(own),
        measures=measures,
        children=kids,
        child_records=others,
        child_composite_note=kids_note,
        plans=list(src.plans.values()),
        sentences=list(src.sentences.values()),
        stats=list(src.stats.values()),
        timeliness=_timeliness(db, code, report_year, today),
    )
