"""The registry of responsible units (责任单位): departments and lower-level governments of a region."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.errors import InputError
from gongfu.store.work_tables import UnitRow

_GOVERNMENT = re.compile(r"(政府|镇|乡|街道|办事处|管委会|[县区市]委)$|^各(县|区|镇|乡|街道)")


def unit_kind(name: str) -> str:
    """department | government: 各镇(街道), X镇人民政府 are governments, 发改局 a department."""
    return "government" if _GOVERNMENT.search(re.sub(r"[（(][^）)]*[）)]$", "", name)) else "department"


def clean_name(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    if not name or len(name) > 200:
        raise InputError(f"invalid unit name {name!r} (1–200 characters)")
    return name


def unit(s: Session, region_code: str, name: str, cache: dict | None = None) -> UnitRow:
    """The unit of this name in this region, created on first use."""
    name = clean_name(name)
    key = (region_code, name)
    if cache is not None and key in cache:
        return cache[key]
    row = s.scalar(select(UnitRow).where(UnitRow.region_code == region_code, UnitRow.name == name))
    if row is None:
        row = UnitRow(region_code=region_code, name=name, kind=unit_kind(name))
        s.add(row)
        s.flush()
    if cache is not None:
        cache[key] = row
    return row


def unit_json(u: UnitRow) -> dict:
    return {"id": u.id, "name": u.name, "region_code": u.region_code, "kind": u.kind}
