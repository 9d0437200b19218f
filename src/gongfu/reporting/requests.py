"""Data requests (数据需求): for every target with no figure for a period, who owes it and by when.

The responsible unit comes from, in order: a mapping file (指标 → 责任单位, optionally per 地区, with 周期
and 期限), the lead unit of the plan task that carries the target, the lead unit of a work-list task
linked to the indicator, else the region's statistics bureau (marked `default`, so nobody mistakes it for
an assignment). `issue` stores the requests so the units' reporting forms can be opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from gongfu.access import audit
from gongfu.access.scope import Scope
from gongfu.catalog.catalog import load_catalog
from gongfu.errors import InputError
from gongfu.evaluation.service import regions_in_scope
from gongfu.reporting import periods as P
from gongfu.store.db import Database
from gongfu.store.reporting_tables import DataRequestRow
from gongfu.store.tables import ObservationRow, PlanRow, TargetRow, TaskRow

LEVELS = ("unit", "region", "parent")  # unit approver → analyst of the target's region → of the region above
DEFAULT_CHAIN = ("unit", "region")
MAPPING_COLUMNS = {
    "indicator": ("指标", "指标代码", "indicator"),
    "unit": ("责任单位", "牵头单位", "报送单位", "unit"),
    "region": ("地区", "区划代码", "region"),
    "period_type": ("周期", "报送周期", "period_type"),
    "due_days": ("期限", "报送期限（天）", "due_days"),
}


@dataclass(frozen=True)
class Rule:
    unit: str
    period_type: str | None = None
    due_days: int | None = None


def read_mapping(path: Path, scope: Scope) -> dict[tuple[str, str | None], Rule]:
    """{(indicator code, region code or None): rule} from a mapping file; every bad row is a problem."""
    from gongfu.cascade.sheet import read_rows
    from gongfu.errors import Problem, ValidationFailed

    catalog, problems, out = load_catalog(), [], {}
    for n, r in read_rows(path, path.read_bytes(), MAPPING_COLUMNS, ("indicator", "unit")):
        ind = catalog.lookup(r["indicator"])
        if ind is None:
            problems.append(Problem("indicator", f"指标库中没有“{r['indicator']}”", n, "指标"))
            continue
        try:
            region = scope.registry.resolve(r["region"]).code if r["region"] else None
            ptype = P.period_type(r["period_type"]) if r["period_type"] else None
            due = int(r["due_days"]) if r["due_days"] else None
        except (InputError, ValueError, LookupError) as exc:
            problems.append(Problem("value", str(exc), n))
            continue
        out[(ind.code, region)] = Rule(r["unit"], ptype, due)
    if problems:
        raise ValidationFailed(path.name, problems)
    return out


def default_unit(scope: Scope, region: str) -> str:
    r = scope.registry.get(region)
    prefix = {"province": "省", "city": "市"}.get(r.level) or (r.name[-1] if r.level == "county" else "")
    return f"{prefix}统计局" if r.level in ("province", "city", "county") else f"{r.name}统计站"


def _task_units(db: Database, targets: list[TargetRow]) -> dict[int, str]:
    """target id → the lead unit of the plan task that carries it, else of a linked work-list task."""
    from gongfu.store.work_tables import TaskIndicatorRow, UnitRow, WorkTaskRow

    out: dict[int, str] = {}
    with db.session() as s:
        plan_ids = sorted({t.plan_id for t in targets})
        tasks = list(s.scalars(select(TaskRow).where(TaskRow.plan_id.in_(plan_ids)))) if plan_ids else []
        by_plan: dict[int, list[TaskRow]] = {}
        for task in tasks:
            by_plan.setdefault(task.plan_id, []).append(task)
        for t in targets:
            for task in by_plan.get(t.plan_id, []):
                if t.position in (task.target_positions or []) and task.lead_units:
                    out[t.id] = task.lead_units[0]
                    break
        q = (
            select(
                TaskIndicatorRow.target_id,
                TaskIndicatorRow.indicator_code,
                WorkTaskRow.region_code,
                UnitRow.name,
            )
            .join(WorkTaskRow, WorkTaskRow.id == TaskIndicatorRow.task_id)
            .join(UnitRow, UnitRow.id == WorkTaskRow.lead_unit_id)
        )
        work = list(s.execute(q))
    for t in targets:
        if t.id in out:
            continue
        for target_id, code, region, unit in work:
            if target_id == t.id or (code == t.indicator_code and region == t.region_code):
                out[t.id] = unit
                break
    return out


def needed(
    db: Database,
    scope: Scope,
    region: str,
    year: int,
    *,
    children: bool = False,
    mapping: Path | None = None,
    period_type: str = "year",
    due_days: int = 10,
) -> list[dict]:
    """One row per figure owed: every catalog-matched target of the region (and sub-regions) lacking a
    current figure for a period of `year`, with its responsible unit and due day."""
    catalog = load_catalog()
    root = scope.region(region).code
    regions = [c for c in regions_in_scope(root, children=children) if scope.sees(c)]
    rules = read_mapping(mapping, scope) if mapping else {}
    with db.session() as s:
        targets = list(
            s.scalars(
                select(TargetRow)
                .join(PlanRow, PlanRow.id == TargetRow.plan_id)
                .where(TargetRow.region_code.in_(regions), TargetRow.indicator_code.is_not(None))
                .order_by(TargetRow.region_code, TargetRow.id)
            )
        )
        have = {
            (o.indicator_code, o.region_code, o.period)
            for o in s.scalars(
                select(ObservationRow).where(
                    ObservationRow.region_code.in_(regions),
                    ObservationRow.year == year,
                    ObservationRow.superseded_by.is_(None),
                    ObservationRow.vintage != "synthetic",
                )
            )
        }
        issued = {
            (r.indicator_code, r.region_code, r.period_type): r
            for r in s.scalars(
                select(DataRequestRow).where(
                    DataRequestRow.region_code.in_(regions), DataRequestRow.year == year
                )
            )
        }
    leads = _task_units(db, targets)
    rows, seen = [], set()
    for t in targets:
        key = (t.indicator_code, t.region_code)
        if key in seen or t.indicator_code not in catalog:
            continue
        seen.add(key)
        ind = catalog.get(t.indicator_code or "")
        rule = rules.get((ind.code, t.region_code)) or rules.get((ind.code, None))
        ptype = (rule.period_type if rule and rule.period_type else None) or period_type
        days = rule.due_days if rule and rule.due_days is not None else due_days
        unit, source = (
            (rule.unit, "mapping")
            if rule
            else (
                (leads[t.id], "task")
                if t.id in leads
                else (default_unit(scope, t.region_code or ""), "default")
            )
        )
        req = issued.get((ind.code, t.region_code, ptype))
        if req is not None:
            unit, source, days = req.unit_name, req.unit_source, req.due_days
        for period in P.periods(ptype, year):
            if (ind.code, t.region_code, period) in have:
                continue
            rows.append(
                {
                    "region": t.region_code,
                    "region_name": scope.registry.get(t.region_code or "").name,
                    "indicator": ind.code,
                    "indicator_name": ind.name,
                    "measure_unit": ind.unit,
                    "year": year,
                    "period": P.period_id(year, period),
                    "period_label": P.label(year, period),
                    "period_type": ptype,
                    "responsible_unit": unit,
                    "unit_source": source,
                    "due": P.due_date(year, period, days).isoformat(),
                    "due_days": days,
                    "target_id": t.id,
                    "target": t.value,
                    "target_unit": t.unit,
                    "target_year": t.year,
                    "request_id": req.id if req is not None else None,
                }
            )
    return rows


def issue(db: Database, scope: Scope, rows: list[dict], *, chain: tuple[str, ...] = DEFAULT_CHAIN) -> dict:
    """Store the requests of `rows` (one per indicator, region, year and period type); ones already issued
    are kept as they are."""
    scope.need("plans.write")
    bad = [lv for lv in chain if lv not in LEVELS]
    if bad or not chain:
        raise InputError(
            f"审核层级须为 {'/'.join(LEVELS)} 中的一项或几项，收到：{','.join(chain) or '（空）'}"
        )
    added = kept = 0
    with db.session() as s:
        done: set[tuple] = set()
        for r in rows:
            key = (r["indicator"], r["region"], r["year"], r["period_type"])
            if key in done:
                continue
            done.add(key)
            scope.region(r["region"])
            exists = s.scalar(
                select(DataRequestRow).where(
                    DataRequestRow.indicator_code == key[0],
                    DataRequestRow.region_code == key[1],
                    DataRequestRow.year == key[2],
                    DataRequestRow.period_type == key[3],
                )
            )
            if exists is not None:
                kept += 1
                continue
            s.add(
                DataRequestRow(
                    indicator_code=key[0],
                    region_code=key[1],
                    year=key[2],
                    period_type=key[3],
                    unit_name=r["responsible_unit"],
                    unit_source=r["unit_source"],
                    due_days=r["due_days"],
                    chain=list(chain),
                    target_id=r["target_id"],
                    created_by=scope.actor,
                )
            )
            added += 1
        if added:
            audit.record(
                s,
                scope.actor,
                "reporting.issue",
                "data_requests",
                "",
                region=scope.root,
                new={"added": added, "kept": kept, "chain": list(chain)},
            )
    return {"added": added, "kept": kept}
