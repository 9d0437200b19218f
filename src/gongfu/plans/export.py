"""Write a plan's extracted targets and tasks as JSON lines, CSV or an Excel workbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from gongfu.labels import AMBITION_ZH
from gongfu.model import ExtractedPlan, Target
from gongfu.plans.reading import sentence_of

TARGET_HEADERS_ZH = {
    "indicator": "指标",
    "value": "目标值",
    "value2": "目标值上限",
    "unit": "单位",
    "comparator": "比较",
    "year": "目标年份",
    "ambition": "约束性",
    "baseline": "基期值",
    "section": "章节",
    "start": "起始位置",
    "end": "结束位置",
    "qualifier": "限定词",
    "damaged": "文本受损",
}


def target_records(plan: ExtractedPlan) -> list[dict]:
    """One dict per target with exactly the JSON fields (offsets into the original text)."""
    return [t.to_json() for t in plan.targets]


def to_jsonl(plan: ExtractedPlan) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in target_records(plan))


def _source(plan: ExtractedPlan, t: Target) -> tuple[str, str]:
    if t.end <= t.start:
        return "", ""
    return plan.original[t.start : t.end], sentence_of(plan.original, t.start, t.end)


def to_csv(plan: ExtractedPlan) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([*Target.JSON_FIELDS, "span", "sentence"])
    for t in plan.targets:
        rec = t.to_json()
        w.writerow([*(rec[k] if rec[k] is not None else "" for k in Target.JSON_FIELDS), *_source(plan, t)])
    return buf.getvalue()


def write_xlsx(plan: ExtractedPlan, out: Path) -> None:
    """A workbook with a 指标 (targets) sheet and a 任务 (tasks) sheet, each row with its source text."""
    from gongfu import clock
    from gongfu.documents import sheets

    wb = sheets.workbook()
    head = [TARGET_HEADERS_ZH[k] for k in Target.JSON_FIELDS] + ["原文片段", "来源句子"]
    rows = []
    for t in plan.targets:
        rec = t.to_json()
        rec["ambition"] = AMBITION_ZH.get(t.ambition, t.ambition)
        rec["damaged"] = "是" if t.damaged else ""
        rows.append([*(rec[k] for k in Target.JSON_FIELDS), *_source(plan, t)])
    org = plan.meta.issuer or plan.meta.region_name or ""
    title = plan.meta.title or plan.file_name
    sheets.table_sheet(wb, "指标 targets", f"{title}·目标指标", head, rows, unit="见“单位”列", org=org,
                       on=clock.today(), widths=[28, 10, 10, 10, 8, 9, 9, 9, 14, 9, 9, 9, 8, 30, 60],
                       wrap=[len(head) - 1, len(head)])  # fmt: skip
    tasks = [
        [i, k.section, k.title, "、".join(k.lead_units), "、".join(k.co_units),
         ",".join(str(j + 1) for j in k.target_indexes), k.text]
        for i, k in enumerate(plan.tasks, 1)
    ]  # fmt: skip
    sheets.table_sheet(wb, "任务 tasks", f"{title}·重点任务",
                       ["序号", "章节", "标题", "牵头单位", "配合单位", "包含指标序号", "任务原文"], tasks,
                       unit="项", org=org, on=clock.today(), widths=[6, 14, 30, 24, 24, 12, 80], wrap=[7])  # fmt: skip
    wb.save(out)
