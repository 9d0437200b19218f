"""红/橙/黄 warnings on open cases, from time left, severity and repeat requests from the same place.

The thresholds live in `rules/warnings.toml`; `warn()` returns every input it used, so a colour can be
explained (“剩余 20% 时限；同一网格同类诉求 30 天内第 3 次”).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gongfu.cases.routing import RULES_DIR
from gongfu.labels import CASE_WARNING_ZH

COLOURS = ("red", "orange", "yellow")
COLOUR_ZH = CASE_WARNING_ZH


@lru_cache(maxsize=8)
def load_thresholds(directory: Path = RULES_DIR) -> dict:
    return tomllib.loads((directory / "warnings.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class WarningInput:
    days_allowed: int  # working days the current unit was given
    days_left: int  # working days left (0 on the last day)
    overdue: bool
    kind: str
    urgency: str
    repeats: int  # earlier requests from the same place and category in the window


@dataclass(frozen=True)
class Warning:
    colour: str  # red | orange | yellow | none
    reasons: tuple[str, ...] = field(default_factory=tuple)
    share_left: float = 1.0

    @property
    def zh(self) -> str:
        return COLOUR_ZH[self.colour]


def warn(w: WarningInput, thresholds: dict | None = None) -> Warning:
    t = thresholds or load_thresholds()
    share = 0.0 if w.overdue else w.days_left / max(1, w.days_allowed)
    found: dict[str, list[str]] = {c: [] for c in COLOURS}
    red, orange, yellow = t["red"], t["orange"], t["yellow"]
    if w.overdue and red.get("overdue", True):
        found["red"].append("已超期")
    if w.urgency == "urgent" and not w.overdue and w.days_left <= red.get("urgent_days_left", 0):
        found["red"].append("特急件到期当日")
    for colour, rule in (("red", red), ("orange", orange), ("yellow", yellow)):
        if "repeats" in rule and w.repeats >= rule["repeats"]:
            found[colour].append(f"同一地点同类诉求重复{w.repeats}次")
        if colour != "red" and not w.overdue and share <= rule.get("share_left", -1):
            found[colour].append(f"剩余时限{share:.0%}")
        if w.kind in rule.get("severe_kinds", ()):
            found[colour].append(f"{w.kind}类")
        if w.urgency in rule.get("severe_urgencies", ()):
            found[colour].append({"urgent": "特急件", "high": "加急件"}.get(w.urgency, w.urgency))
    for colour in COLOURS:
        if found[colour]:
            return Warning(colour, tuple(found[colour]), share)
    return Warning("none", (), share)
