"""What a distribution run reads and how it treats bad records: the input spec every engine shares.

Rules for records (documented choices, never a silent NaN):
- `invalid`: a missing income, weight, persons, group or stratum, a weight ≤ 0 or persons ≤ 0 —
  "error" (default) stops with the count and the first record; "drop" leaves such records out.
- `nonpositive`: per-capita income ≤ 0, which Theil L and the logs cannot take — "error" (default);
  "drop" leaves the records out of every measure; "clip" raises the per-capita income to `floor` for the
  inequality measures and ratios, while bands and the low-income count use the income as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gongfu.errors import InputError

Invalid = Literal["error", "drop"]
Nonpositive = Literal["error", "drop", "clip"]


@dataclass(frozen=True)
class Columns:
    """Column names in the microdata file. `income` is the household's annual disposable income (元);
    with `persons`, per-capita income = income / persons and each person counts (weight × persons);
    without it every record is one person and income is per capita as well as per household."""

    income: str
    weight: str | None = None
    persons: str | None = None
    groups: tuple[str, ...] = ()
    strata: str | None = None

    def used(self) -> list[str]:
        cols = [self.income, self.weight, self.persons, *self.groups, self.strata]
        out: list[str] = []
        for c in cols:
            if c and c not in out:
                out.append(c)
        return out


@dataclass(frozen=True)
class Rules:
    invalid: Invalid = "error"
    nonpositive: Nonpositive = "error"
    floor: float = 1.0

    def __post_init__(self) -> None:
        if self.invalid not in ("error", "drop"):
            raise InputError(f"未知的无效记录规则: {self.invalid} (可选 error, drop)")
        if self.nonpositive not in ("error", "drop", "clip"):
            raise InputError(f"未知的非正收入规则: {self.nonpositive} (可选 error, drop, clip)")
        if self.floor <= 0:
            raise InputError(f"clip 下限须为正: {self.floor}")


@dataclass
class Report:
    """What cleaning did, kept with the results for provenance."""

    records: int = 0
    used: int = 0
    dropped_invalid: int = 0
    dropped_nonpositive: int = 0
    clipped: int = 0
    notes: list[str] = field(default_factory=list)


def invalid_error(what: str, count: int, first_row: int | None, file: str | None) -> InputError:
    where = f"第一条在记录 {first_row}" if first_row is not None else ""
    return InputError(
        f"{count} 条记录{what}{('，' + where) if where else ''}；可用 --invalid drop 剔除",
        file=file,
    )


def nonpositive_error(count: int, first_row: int | None, file: str | None) -> InputError:
    where = f"，第一条在记录 {first_row}" if first_row is not None else ""
    return InputError(
        f"{count} 条记录人均收入 ≤ 0{where}；泰尔指数L需要正收入，可用 --nonpositive drop 或 clip",
        file=file,
    )
