"""Who issues a document: the office named in settings, else the region's 共同富裕示范区建设领导小组办公室
(共富办), the body that runs the action plans at every level in Zhejiang; and its short form for 文号."""

from __future__ import annotations

from gongfu.settings import settings

SUFFIXES = ("自治县", "地区", "新区", "省", "市", "县", "区", "镇", "乡", "街道")


def office_name(region_name: str) -> str:
    """$GONGFU_OFFICE_NAME, else “<region>共同富裕示范区建设领导小组办公室”."""
    return settings().office_name or f"{region_name}共同富裕示范区建设领导小组办公室"


def short_name(region_name: str) -> str:
    """江山市 → 江山, 浙江省 → 浙; a name of two characters keeps its suffix (城区 stays 城区)."""
    if region_name.endswith("省"):
        return region_name[:1]
    for s in SUFFIXES:
        if region_name.endswith(s) and len(region_name) - len(s) >= 2:
            return region_name[: -len(s)]
    return region_name


def doc_number(region_name: str, kind: str, year: int, serial: int) -> str:
    """发文字号 (GB/T 9704 7.2.4): 机关代字 + 〔年份〕 + 序号 without leading zeros, e.g. 江山共富办督〔2026〕3号.
    $GONGFU_DOC_PREFIX replaces the 机关代字."""
    prefix = settings().doc_prefix or f"{short_name(region_name)}共富办{kind}"
    return f"{prefix}〔{year}〕{serial}号"
