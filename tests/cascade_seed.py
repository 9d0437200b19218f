"""Synthetic plans, targets, 分解表 and figures for the cascade and reporting tests (not real figures).

The city is 嘉兴市 (330400) with its seven counties; the numbers are invented so the sums and means can be
computed by hand.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from gongfu.access import add_user
from gongfu.access.scope import Scope
from gongfu.access.users import Principal
from gongfu.model import ObservationDraft
from gongfu.observations.service import store_drafts
from gongfu.regions import load
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow

CITY = "330400"
COUNTIES = ["330402", "330411", "330421", "330424", "330481", "330482", "330483"]
NAMES = ["南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"]
PASSWORD = "synthetic-pass-1"
# (indicator, catalog code, comparator, value, unit)
CITY_TARGETS = [
    ("地区生产总值", "gdp", ">=", 7000.0, "亿元"),
    ("居民人均可支配收入", "per_capita_disposable_income", ">=", 80000.0, "元"),
    ("城乡居民收入倍差", "urban_rural_income_ratio", "<=", 1.6, ""),
    ("基本养老保险参保率", "basic_pension_coverage", ">=", 99.0, "%"),
]


def scope(role: str, region: str, name: str | None = None) -> Scope:
    return Scope(Principal(0, name or f"{role}@{region}", role, region), load())


def add_plan(
    db: Database, region: str, targets: list[tuple], *, year: int = 2025, title: str = ""
) -> list[int]:
    """A synthetic plan of `region` with these targets; returns the target ids in order."""
    text = (
        "（合成）" + "。".join(f"{name}{cmp}{value:g}{unit}" for name, _, cmp, value, unit in targets) + "。"
    )
    with db.session() as s:
        plan = PlanRow(
            sha256=f"synthetic-cascade-{region}-{title}".ljust(64, "0")[:64],
            file_name=f"synthetic-{region}.txt",
            kind="txt",
            encoding="utf-8",
            script="simplified",
            title=title or f"{region}行动方案（合成）",
            region_code=region,
            region_name=load().get(region).name,
            period_start=2021,
            period_end=year,
            original_text=text,
            normalised_text=text,
        )
        for i, (name, code, cmp, value, unit) in enumerate(targets):
            start = text.index(name)
            plan.targets.append(
                TargetRow(
                    position=i,
                    indicator=name,
                    indicator_code=code,
                    region_code=region,
                    value=value,
                    unit=unit,
                    comparator=cmp,
                    year=year,
                    ambition="binding",
                    start=start,
                    end=start + len(name),
                    span=name,
                    sentence=name,
                )
            )
        s.add(plan)
        s.flush()
        return [t.id for t in plan.targets]


def sheet(path: Path, rows: list[tuple], *, title: str = "2025年地区生产总值分解表（合成）") -> Path:
    """A 分解表 with a title row above the header, as offices write them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["地区", "指标", "目标值", "年份", "备注"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def figures(
    db: Database,
    indicator: str,
    values: dict[str, float],
    year: int,
    unit: str,
    *,
    source: str = "synthetic.csv",
) -> None:
    drafts = [
        ObservationDraft(
            indicator=indicator, region=r, year=year, value=v, unit=unit, source=source, source_row=i + 2
        )
        for i, (r, v) in enumerate(values.items())
    ]
    store_drafts(db, drafts, source=source, by="test")


def add_users(db: Database, users: dict[str, tuple[str, str]]) -> None:
    for name, (role, region) in users.items():
        add_user(db, name, role=role, region=region, password=PASSWORD, by="test")
