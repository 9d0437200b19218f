"""Tiered routing (网格 → 村社区 → 乡镇街道 → 县级部门) by category × kind × region rules kept as data.

A rule field `*` matches anything; `region` is a code prefix (`3304` = every region under 嘉兴市). Of the
matching rules the most specific wins: longest region prefix, then kind, then category, then urgency
(so 矛盾纠纷 go to 司法局 whatever their subject category).
Units of the grid, village and town levels sit in the town's region code; county units in the county's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gongfu.errors import InputError

RULES_DIR = Path(__file__).with_name("rules")
LEVELS = ("grid", "village", "town", "county")
LEVEL_ZH = {"grid": "网格", "village": "村（社区）", "town": "乡镇（街道）", "county": "县级部门"}
KINDS = ("诉求", "社情民意", "矛盾纠纷", "隐患")
URGENCIES = ("normal", "high", "urgent")
URGENCY_ZH = {"normal": "一般", "high": "加急", "urgent": "特急"}


@dataclass(frozen=True)
class Place:
    """Where a case is: the registry codes it sits in and the finer places below the registry."""

    county_code: str
    town_code: str | None = None  # 9-digit 乡级 code when known
    village: str = ""  # 12-digit 村级 code or the village/community name
    grid: str = ""  # grid id, free text under the town (e.g. "G07" or "南湖-03")

    def has(self, level: str) -> bool:
        return {
            "grid": bool(self.grid and self.town_code),
            "village": bool(self.village and self.town_code),
            "town": self.town_code is not None,
            "county": True,
        }[level]


@dataclass(frozen=True)
class Unit:
    level: str
    name: str
    region_code: str
    place: str = ""  # the grid or village the unit answers for

    @property
    def label(self) -> str:
        return f"{self.place} {self.name}".strip() if self.place else self.name


@dataclass(frozen=True)
class Rules:
    entry: tuple[dict[str, str], ...]
    units: tuple[dict[str, str], ...]
    deadlines: tuple[dict[str, str], ...]


def _read(path: Path, required: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]
    for i, r in enumerate(rows, start=2):
        missing = [c for c in required if not r.get(c)]
        if missing:
            raise InputError(f"missing {', '.join(missing)}", file=path.name, row=i)
        if "level" in r and r["level"] not in LEVELS:
            raise InputError(
                f"unknown level {r['level']!r}; one of {', '.join(LEVELS)}", file=path.name, row=i
            )
    return tuple(rows)


@lru_cache(maxsize=8)
def load_rules(directory: Path = RULES_DIR) -> Rules:
    return Rules(
        _read(directory / "entry.csv", ("kind", "category", "urgency", "region", "level")),
        _read(directory / "units.csv", ("kind", "category", "region", "level", "unit")),
        _read(directory / "deadlines.csv", ("kind", "category", "urgency", "working_days")),
    )


def _matches(rule: dict[str, str], kind: str, category: str, urgency: str, region: str) -> bool:
    return (
        rule.get("kind", "*") in ("*", kind)
        and rule.get("category", "*") in ("*", category)
        and rule.get("urgency", "*") in ("*", urgency)
        and (rule.get("region", "*") == "*" or region.startswith(rule["region"]))
    )


def _specificity(rule: dict[str, str]) -> tuple[int, int, int, int]:
    region = rule.get("region", "*")
    return (
        0 if region == "*" else len(region),
        rule.get("kind", "*") != "*",
        rule.get("category", "*") != "*",
        rule.get("urgency", "*") != "*",
    )


def best(
    rows: tuple[dict[str, str], ...], kind: str, category: str, urgency: str, region: str
) -> dict | None:
    hits = [r for r in rows if _matches(r, kind, category, urgency, region)]
    return max(hits, key=_specificity, default=None)


def unit_at(rules: Rules, level: str, kind: str, category: str, place: Place) -> Unit:
    region = place.town_code or place.county_code
    rows = tuple(r for r in rules.units if r["level"] == level)
    rule = best(rows, kind, category, "*", region)
    if rule is None:
        raise InputError(f"no routing rule gives a {LEVEL_ZH[level]} unit for {kind}/{category} in {region}")
    if level == "county":
        return Unit(level, rule["unit"], place.county_code)
    where = {"grid": place.grid, "village": place.village}.get(level, "")
    return Unit(level, rule["unit"], place.town_code or place.county_code, where)


def route(rules: Rules, kind: str, category: str, urgency: str, place: Place) -> Unit:
    """The first unit for a new case: the entry level the rules name, or the nearest level above it."""
    region = place.town_code or place.county_code
    rule = best(rules.entry, kind, category, urgency, region)
    level = rule["level"] if rule else "town"
    for candidate in LEVELS[LEVELS.index(level) :]:
        if place.has(candidate):
            return unit_at(rules, candidate, kind, category, place)
    raise AssertionError("the county level always exists")


def escalate(rules: Rules, unit: Unit, kind: str, category: str, place: Place) -> Unit | None:
    """The unit one level up (skipping levels the place lacks); None at the county level."""
    for candidate in LEVELS[LEVELS.index(unit.level) + 1 :]:
        if place.has(candidate):
            return unit_at(rules, candidate, kind, category, place)
    return None


def department(rules: Rules, kind: str, category: str, place: Place) -> str:
    """The county department responsible for the category (责任部门)."""
    return unit_at(rules, "county", kind, category, place).name


def working_days(rules: Rules, kind: str, category: str, urgency: str, region: str = "") -> int:
    rule = best(rules.deadlines, kind, category, urgency, region)
    if rule is None:
        raise InputError(f"no deadline rule for {kind}/{category}/{urgency}")
    return int(rule["working_days"])


def escalated_days(days: int) -> int:
    """The window a unit gets after an escalation: half the original, at least one working day."""
    return max(1, (days + 1) // 2)
