"""Synthetic work-system data for the work tests (not real tasks, units or figures).

County A is 秀洲区 (330411), county B is 南湖区 (330402), both in 嘉兴市 (330400).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from gongfu.access.scope import Scope
from gongfu.access.users import Principal
from gongfu.regions import load
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow, TaskRow

COUNTY_A, COUNTY_B, CITY, PROVINCE = "330411", "330402", "330400", "330000"
PDF = b"%PDF-1.4 synthetic evidence\n"


def scope(role: str, region: str, name: str | None = None) -> Scope:
    return Scope(Principal(0, name or f"{role}@{region}", role, region), load())


def synthetic_xlsx(path: Path, n: int = 3, *, year: int = 2024) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"{year}年重点任务清单（合成数据）"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "任务", "牵头单位", "配合单位", "完成时限", "年度目标"])
    for i in range(1, n + 1):
        ws.append([i, f"合成任务{i}", "区发改局" if i % 2 else "区经信局", "区财政局、区统计局",
                   f"{year}年{3 * i}月底前" if i <= 4 else f"{year}年底", f"目标{i}"])  # fmt: skip
    wb.save(path)
    return path


PLAN_TEXT = (
    "（合成）二、主要任务\n1.提高居民收入。到2025年，城乡居民收入倍差缩小到1.90以内。"
    "（牵头单位：区发改局；配合单位：区人社局）\n"
)


def add_plan_with_task(db: Database, region: str = COUNTY_A) -> int:
    span = "城乡居民收入倍差缩小到1.90以内"
    start = PLAN_TEXT.index("1.提高")
    with db.session() as s:
        plan = PlanRow(
            sha256=f"synthetic-work-{region}".ljust(64, "0"), file_name="synthetic-plan.txt", kind="txt",
            encoding="utf-8", script="simplified", title="某区共同富裕行动方案（合成）", region_code=region,
            region_name="某区", period_start=2021, period_end=2025, original_text=PLAN_TEXT,
            normalised_text=PLAN_TEXT,
        )  # fmt: skip
        plan.targets = [TargetRow(
            position=0, indicator="城乡居民收入倍差", indicator_code="urban_rural_income_ratio",
            region_code=region, value=1.9, unit="", comparator="<=", year=2025, ambition="binding",
            start=PLAN_TEXT.index(span), end=PLAN_TEXT.index(span) + len(span), span=span, sentence=span,
        )]  # fmt: skip
        plan.tasks = [TaskRow(position=0, section="二/1", title="提高居民收入", text=PLAN_TEXT[start:],
                              start=start, end=len(PLAN_TEXT) - 1, lead_units=["区发改局"],
                              co_units=["区人社局"], target_positions=[0])]  # fmt: skip
        s.add(plan)
        s.flush()
        return plan.id
