"""Cascading targets (指标分解): child targets set by hand, imported from a 分解表, or linked from a child
region's own plan, and the cascade view with its consistency verdict.

A child target is a `targets` row like any other, so the evaluation service judges it: a hand-set or
imported one belongs to a cascade document (a `plans` row of kind "cascade" whose text is the table as read,
so its span points at the row it came from); a linked one stays in the child's own plan.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.access import audit
from gongfu.access.scope import Scope
from gongfu.errors import AmbiguousName, ConflictError, InputError, NotFound, Problem, ValidationFailed
from gongfu.store.db import Database
from gongfu.store.reporting_tables import CascadeLinkRow
from gongfu.store.tables import PlanRow, TargetRow

WRITE = "plans.write"
CHILD_LEVELS = {"province": ("city",), "city": ("county",), "county": ("town",), "town": ("village",)}


def _parent(s: Session, scope: Scope, target_id: int) -> tuple[TargetRow, PlanRow]:
    row = s.get(TargetRow, target_id)
    if row is None or not scope.sees(row.region_code):
        raise NotFound(f"没有编号为{target_id}的目标（或不在您的地区范围内）")
    if not row.indicator_code:
        raise InputError(f"目标{target_id}“{row.indicator}”未匹配到指标目录，无法分解")
    return row, s.get(PlanRow, row.plan_id)  # type: ignore[return-value]


def _check_child(scope: Scope, parent: TargetRow, region: str) -> str:
    """The child's region code: strictly below the parent's region and inside the user's scope."""
    reg = scope.registry
    code = reg.resolve(region).code
    if code == parent.region_code or not reg.is_within(code, parent.region_code or ""):
        raise InputError(f"{reg.describe(code)}不在{reg.describe(parent.region_code or '')}之下")
    scope.region(code)
    return code


def _line(scope: Scope, parent: TargetRow, region: str, value: float, note: str, row: int | None) -> str:
    where = f"第{row}行：" if row is not None else ""
    name = scope.registry.get(region).name
    tail = f"（{note}）" if note else ""
    return f"{where}{name} {parent.indicator} {parent.comparator} {value:g}{parent.unit} {parent.year or ''}年{tail}"


def _doc(
    s: Session, *, sha: str, file_name: str, title: str, parent_plan: PlanRow, region: str, by: str
) -> PlanRow:
    doc = s.scalar(select(PlanRow).where(PlanRow.sha256 == sha))
    if doc is None:
        doc = PlanRow(
            sha256=sha,
            file_name=file_name,
            kind="cascade",
            encoding="utf-8",
            script="simplified",
            title=title,
            issuer="",
            region_code=region,
            region_name=parent_plan.region_name,
            period_start=parent_plan.period_start,
            period_end=parent_plan.period_end,
            original_text="",
            normalised_text="",
            ingested_by=by,
        )
        s.add(doc)
        s.flush()
    return doc


def _add_child(
    s: Session,
    doc: PlanRow,
    parent: TargetRow,
    region: str,
    value: float,
    line: str,
    baseline: float | None = None,
) -> TargetRow:
    start = len(doc.original_text)
    doc.original_text = doc.normalised_text = doc.original_text + line + "\n"
    position = len(doc.targets)
    child = TargetRow(
        plan_id=doc.id,
        position=position,
        indicator=parent.indicator,
        indicator_code=parent.indicator_code,
        region_code=region,
        value=value,
        value2=None,
        unit=parent.unit,
        comparator=parent.comparator,
        year=parent.year,
        ambition=parent.ambition,
        baseline=baseline,
        section=None,
        start=start,
        end=start + len(line),
        qualifier=parent.qualifier,
        span=line,
        sentence=line,
    )
    doc.targets.append(child)
    s.flush()
    return child


def _link(s: Session, **fields: object) -> None:
    """Record a child target of a parent target (one per child region)."""
    s.add(CascadeLinkRow(**fields))


def _existing(s: Session, parent_id: int, region: str) -> CascadeLinkRow | None:
    return s.scalar(
        select(CascadeLinkRow).where(
            CascadeLinkRow.parent_target_id == parent_id, CascadeLinkRow.region_code == region
        )
    )


def set_child(
    db: Database,
    scope: Scope,
    target_id: int,
    region: str,
    value: float,
    *,
    note: str = "",
    replace: bool = False,
) -> dict:
    """Set one child target by hand; an existing child of that region is changed only with `replace`."""
    scope.need(WRITE)
    with db.session() as s:
        parent, plan = _parent(s, scope, target_id)
        code = _check_child(scope, parent, region)
        link = _existing(s, parent.id, code)
        if link is not None:
            child = s.get(TargetRow, link.child_target_id)
            assert child is not None
            if not replace:
                raise ConflictError(
                    f"{scope.registry.describe(code)}已有分解目标 {child.value:g}{child.unit}（用 --replace 修改）"
                )
            old = child.value
            if old == value and link.note == note:  # the same value again: nothing to change or record
                return {
                    "parent": parent.id,
                    "child": child.id,
                    "region": code,
                    "value": value,
                    "changed_from": None,
                }
            child.value = value
            link.note, link.origin = note, "manual"
            audit.record(
                s,
                scope.actor,
                "cascade.change",
                "target",
                child.id,
                region=code,
                old={"value": old},
                new={"value": value, "parent": parent.id, "note": note},
            )
            return {
                "parent": parent.id,
                "child": child.id,
                "region": code,
                "value": value,
                "changed_from": old,
            }
        sha = hashlib.sha256(f"cascade-manual:{parent.id}".encode()).hexdigest()
        doc = _doc(
            s,
            sha=sha,
            file_name=f"指标分解（手工）-目标{parent.id}",
            title=f"{parent.indicator}指标分解（手工）",
            parent_plan=plan,
            region=parent.region_code or "",
            by=scope.actor,
        )
        child = _add_child(s, doc, parent, code, value, _line(scope, parent, code, value, note, None))
        _link(
            s,
            parent_target_id=parent.id,
            child_target_id=child.id,
            region_code=code,
            origin="manual",
            note=note,
            source="manual",
            created_by=scope.actor,
        )
        audit.record(
            s,
            scope.actor,
            "cascade.set",
            "target",
            child.id,
            region=code,
            new={"value": value, "parent": parent.id, "note": note},
        )
        return {"parent": parent.id, "child": child.id, "region": code, "value": value, "changed_from": None}


def _parent_for(s: Session, region: str, code: str, year: int | None) -> list[TargetRow]:
    q = (
        select(TargetRow)
        .join(PlanRow, PlanRow.id == TargetRow.plan_id)
        .where(TargetRow.region_code == region, TargetRow.indicator_code == code, PlanRow.kind != "cascade")
    )
    rows = list(s.scalars(q.order_by(TargetRow.id)))
    if year is not None:
        rows = [r for r in rows if r.year == year]
    binding = [r for r in rows if r.ambition != "striving"]
    return binding or rows


def import_sheet(
    db: Database,
    scope: Scope,
    path: Path,
    *,
    region: str,
    target_id: int | None = None,
    content: bytes | None = None,
) -> dict:
    """Import a 分解表 for the targets of `region`: every row valid, or nothing is stored (all problems listed).

    Each row's parent is `target_id` when given, else the region's target with the row's catalog indicator
    and year. Values are in the parent target's unit as written."""
    from gongfu.cascade.sheet import read_sheet
    from gongfu.catalog.catalog import load_catalog

    scope.need(WRITE)
    content = path.read_bytes() if content is None else content
    rows = read_sheet(path, content)
    if not rows:
        raise InputError("分解表没有数据行", file=path.name)
    catalog, reg = load_catalog(), scope.registry
    root = scope.region(region).code
    sha = hashlib.sha256(content).hexdigest()
    with db.session() as s:  # the same file again changes nothing (as for observation files)
        earlier = s.scalar(select(PlanRow).where(PlanRow.sha256 == sha))
        if earlier is not None:
            ids = [t.id for t in earlier.targets]
            parents = sorted(
                set(
                    s.scalars(
                        select(CascadeLinkRow.parent_target_id).where(CascadeLinkRow.child_target_id.in_(ids))
                    )
                )
            )
            return {
                "document": earlier.id,
                "file": path.name,
                "links": [],
                "parents": parents,
                "already_imported_as": earlier.id,
            }
    problems: list[Problem] = []
    planned: list[tuple[TargetRow, str, float, str, int, float | None]] = []
    seen: set[tuple[int, str]] = set()
    with db.session() as s:
        for r in rows:
            bad = len(problems)

            def problem(code: str, msg: str, col: str, r=r) -> None:
                problems.append(Problem(code, msg, r.row, col))

            ind = catalog.lookup(r.indicator)
            if ind is None:
                problem("indicator", f"指标库中没有“{r.indicator}”", "指标")
            try:
                value = float(r.value.replace(",", ""))
            except ValueError:
                problem("value", f"目标值“{r.value}”不是数字", "目标值")
            baseline = None
            if r.baseline:
                try:
                    baseline = float(r.baseline.replace(",", ""))
                except ValueError:
                    problem("baseline", f"基期值“{r.baseline}”不是数字", "基期值")
            year = None
            if r.year:
                try:
                    year = int(float(r.year.rstrip("年")))
                except ValueError:
                    problem("year", f"年份“{r.year}”不是年份", "年份")
            try:
                child = reg.resolve(r.region).code
                if child == root or not reg.is_within(child, root):
                    problem("region", f"{reg.describe(child)}不在{reg.describe(root)}之下", "地区")
                elif not scope.sees(child):
                    problem("scope", f"{reg.describe(child)}不在您的地区范围内", "地区")
            except (InputError, NotFound, AmbiguousName) as exc:
                problem("region", f"无法识别地区“{r.region}”：{exc}", "地区")
            if len(problems) > bad or ind is None:
                continue
            if target_id is not None:
                parent, _ = _parent(s, scope, target_id)
                if parent.indicator_code != ind.code:
                    problem(
                        "indicator",
                        f"指标“{r.indicator}”与目标{target_id}的指标“{parent.indicator}”不同",
                        "指标",
                    )
                    continue
                if year is not None and parent.year is not None and year != parent.year:
                    problem("year", f"年份{year}与目标{target_id}的年份{parent.year}不同", "年份")
                    continue
            else:
                found = _parent_for(s, root, ind.code, year)
                if len(found) != 1:
                    what = "没有" if not found else f"有{len(found)}个"
                    problem(
                        "parent",
                        f"{reg.describe(root)}{what}{year or ''}年“{ind.name}”目标（可用 --target 指定）",
                        "指标",
                    )
                    continue
                parent = found[0]
            if (parent.id, child) in seen:
                problem("duplicate", f"{reg.describe(child)}的“{ind.name}”重复", "地区")
                continue
            seen.add((parent.id, child))
            if _existing(s, parent.id, child) is not None:
                problem("exists", f"{reg.describe(child)}已有该目标的分解值（先删除或手工修改）", "地区")
                continue
            planned.append((parent, child, value, r.note, r.row, baseline))
        if problems:
            raise ValidationFailed(path.name, problems)
        first_plan = s.get(PlanRow, planned[0][0].plan_id)
        assert first_plan is not None
        doc = _doc(
            s,
            sha=sha,
            file_name=path.name,
            title=f"{path.stem}（指标分解表）",
            parent_plan=first_plan,
            region=root,
            by=scope.actor,
        )
        links = []
        for parent, child, value, note, row, baseline in planned:
            t = _add_child(
                s, doc, parent, child, value, _line(scope, parent, child, value, note, row), baseline
            )
            _link(
                s,
                parent_target_id=parent.id,
                child_target_id=t.id,
                region_code=child,
                origin="sheet",
                note=note,
                source=f"{path.name}:{row}",
                created_by=scope.actor,
            )
            links.append({"parent": parent.id, "child": t.id, "region": child, "value": value, "row": row})
        audit.record(
            s,
            scope.actor,
            "cascade.import",
            "plan",
            doc.id,
            region=root,
            new={"file": path.name, "rows": len(links), "parents": sorted({p.id for p, *_ in planned})},
        )
        return {
            "already_imported_as": None,
            "document": doc.id,
            "file": path.name,
            "links": links,
            "parents": sorted({p.id for p, *_ in planned}),
        }


def link_plans(db: Database, scope: Scope, region: str) -> list[dict]:
    """Link each target of `region` to the same catalog indicator and year in its child regions' own plans."""
    scope.need(WRITE)
    reg = scope.registry
    root = scope.region(region).code
    kids = [
        k.code
        for k in reg.children(root)
        if k.level in CHILD_LEVELS.get(reg.get(root).level, ()) and scope.sees(k.code)
    ]
    out = []
    with db.session() as s:
        parents = list(
            s.scalars(
                select(TargetRow)
                .join(PlanRow, PlanRow.id == TargetRow.plan_id)
                .where(
                    TargetRow.region_code == root,
                    TargetRow.indicator_code.is_not(None),
                    PlanRow.kind != "cascade",
                )
                .order_by(TargetRow.id)
            )
        )
        for parent in parents:
            for kid in kids:
                if _existing(s, parent.id, kid) is not None:
                    continue
                found = [
                    t
                    for t in _parent_for(s, kid, parent.indicator_code or "", parent.year)
                    if t.ambition == parent.ambition or parent.ambition != "striving"
                ]
                if not found:
                    continue
                child = found[0]
                _link(
                    s,
                    parent_target_id=parent.id,
                    child_target_id=child.id,
                    region_code=kid,
                    origin="plan",
                    source=f"plan:{child.plan_id}",
                    created_by=scope.actor,
                )
                audit.record(
                    s,
                    scope.actor,
                    "cascade.link",
                    "target",
                    child.id,
                    region=kid,
                    new={"parent": parent.id, "plan": child.plan_id},
                )
                out.append({"parent": parent.id, "child": child.id, "region": kid, "plan": child.plan_id})
    return out
