"""Where a case is. The registry stops at towns (9-digit 乡级 codes), so villages and grids are kept below it:

* `region_code` — the finest registry code: a town (9 digits) or a county (6 digits); scope checks use it.
* `village` — a 12-digit 统计用区划代码 (must start with the town code) or the village/community name.
* `grid` — the grid's own id (free text, e.g. "G07" or "南湖-03"), unique within its town.
"""

from __future__ import annotations

import re

from gongfu.cases.routing import Place
from gongfu.errors import GongfuError, InputError
from gongfu.regions import Registry

_VILLAGE_CODE = re.compile(r"^\d{12}$")


def resolve_place(registry: Registry, region: str, village: str = "", grid: str = "") -> Place:
    """A Place from a region code or name and the finer parts; InputError says what is wrong."""
    village, grid = village.strip(), grid.strip()
    if not region.strip() and _VILLAGE_CODE.match(village):
        region = village[:9]
    r = registry.resolve(region.strip())
    if r.level == "town":
        town, county = r.code, r.parent or r.code[:6]
    elif r.level == "county":
        town, county = None, r.code
        if village or grid:
            raise InputError(f"村（社区）或网格须在乡镇（街道）之下：请给出 {r.name} 下的乡镇代码")
    else:
        raise InputError(
            f"诉求须落到县级或乡镇级区划，{r.name} 是{'省级' if r.level == 'province' else '地级'}"
        )
    if _VILLAGE_CODE.match(village) and town and not village.startswith(town):
        raise InputError(f"村级代码 {village} 不在乡镇 {town} 之下")
    if len(village) > 60 or len(grid) > 60:
        raise InputError("村（社区）或网格标识过长（最多60字）")
    return Place(county, town, village, grid)


def county_of(registry: Registry, code: str) -> str:
    """The county-level region (6-digit code) a stored case region (a town or a county) lies in."""
    try:
        r = registry.get(code)
    except GongfuError:
        return code[:6]
    if r.level == "town":
        return r.parent or r.code[:6]
    return r.code
