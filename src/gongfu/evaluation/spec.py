"""The input of an evaluation: one target spec plus its observed (year, value) series, as plain data.

A caller that reads a `Target` row and its observations from the store builds the input with
`TargetSpec.from_target(target, baseline_year=plan.period_start - 1, direction=catalog.direction, ...)`
and a list of `(year, value)` pairs (revisions already resolved, one value per year).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gongfu.errors import InputError

if TYPE_CHECKING:
    from gongfu.model import Target

Direction = Literal["higher", "lower", "band"]
RateBasis = Literal["annual", "cumulative"]
Series = Sequence[tuple[int, float]]

LEVEL_COMPARATORS = (">=", "<=", "==")
GROWTH_COMPARATORS = ("increase", "decrease")
DIRECTIONS = ("higher", "lower", "band")
# Units whose values are shares or rates: growth of such a quantity is measured as a linear change,
# because a compound rate of a percentage is neither meaningful nor defined around zero.
SHARE_UNITS = frozenset({"%", "％", "‰", "百分点", "percent", "pp"})


@dataclass(frozen=True)
class TargetSpec:
    """One target, as the evaluation needs it.

    - `comparator`: ">=", "<=", "==" (reach the level), "range" (band `value`..`value2`),
      "increase" / "decrease" (a growth rate of the observed level series, in percent: 6 means 6 %).
    - `year`: the target year; `baseline_year`: the plan's base year (typically period_start − 1).
    - `baseline`: the plan's stated baseline if any (`None` → the observation at `baseline_year` is used).
    - `direction`: from the catalog ("higher", "lower", "band"); `None` → inferred from the comparator.
    - `growing_level`: a level that grows geometrically (income, GDP): geometric trajectory and a
      log-linear forecast.
    - `rate_basis`: for increase/decrease, "annual" (年均增长6%) or "cumulative" (累计下降13.5%).
    - `indicator`, `region`: carried through to the result for the caller's bookkeeping.
    """

    comparator: str
    value: float
    year: int
    value2: float | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    direction: str | None = None
    growing_level: bool = False
    unit: str = ""
    rate_basis: str = "annual"
    indicator: str = ""
    region: str = ""

    def __post_init__(self) -> None:
        if self.comparator not in (*LEVEL_COMPARATORS, "range", *GROWTH_COMPARATORS):
            raise InputError(f"unknown comparator {self.comparator!r}", row=self.indicator or None)
        if self.comparator == "range" and self.value2 is None:
            raise InputError("a range target needs value2 (the upper bound)", row=self.indicator or None)
        if self.direction is not None and self.direction not in DIRECTIONS:
            raise InputError(f"unknown direction {self.direction!r}", row=self.indicator or None)
        if self.rate_basis not in ("annual", "cumulative"):
            raise InputError(f"unknown rate basis {self.rate_basis!r}", row=self.indicator or None)

    @property
    def is_share(self) -> bool:
        return self.unit.strip() in SHARE_UNITS

    @property
    def band(self) -> tuple[float, float]:
        """(low, high) of a range target, whichever order the plan wrote them in."""
        hi = self.value if self.value2 is None else self.value2
        return (min(self.value, hi), max(self.value, hi))

    @classmethod
    def from_target(
        cls,
        target: Target,
        *,
        baseline_year: int | None,
        direction: str | None = None,
        growing_level: bool = False,
        region: str = "",
        default_year: int | None = None,
    ) -> TargetSpec:
        """Build a spec from the shared `Target` record; `default_year` stands in when the plan gave none."""
        year = target.year if target.year is not None else default_year
        if year is None:
            raise InputError("the target has no year and no default year was given", row=target.indicator)
        basis = "cumulative" if "累计" in (target.qualifier or "") else "annual"
        return cls(
            comparator=target.comparator,
            value=target.value,
            value2=target.value2,
            year=year,
            baseline=target.baseline,
            baseline_year=baseline_year,
            direction=direction,
            growing_level=growing_level,
            unit=target.unit,
            rate_basis=basis,
            indicator=target.indicator,
            region=region,
        )


def resolve_direction(spec: TargetSpec, baseline: float | None = None) -> tuple[str, str | None]:
    """The direction used for the maths, and a note when the catalog's direction was overruled.

    The comparator says what "met" means, so it wins for >=, <=, range, increase and decrease.
    "==" means reaching a level: the direction is from the baseline (the plan's, else `baseline`,
    the observed one) towards the target, else the catalog's, else higher-is-better (coverage 100%).
    """
    c = spec.comparator
    implied = {">=": "higher", "<=": "lower", "range": "band", "increase": "higher", "decrease": "lower"}
    if c in implied:
        d = implied[c]
        note = None
        if spec.direction is not None and spec.direction != d and c != "range":
            note = f"目录方向{spec.direction}与比较符{c}不一致, 按比较符计"
        return d, note
    b = spec.baseline if spec.baseline is not None else baseline
    if b is not None and b != spec.value:
        return ("higher" if spec.value > b else "lower"), None
    if spec.direction in ("higher", "lower"):
        return spec.direction, None
    return "higher", None


def clean_series(series: Iterable[tuple[int, float]], as_of: int | None = None) -> list[tuple[int, float]]:
    """Sorted (year, value) pairs up to `as_of`, NaN/None dropped; a repeated year is an input error."""
    out: dict[int, float] = {}
    for year, value in series:
        if value is None or value != value:  # None or NaN: no observation
            continue
        y = int(year)
        if as_of is not None and y > as_of:
            continue
        if y in out:
            raise InputError(f"two observations for year {y}; resolve revisions before evaluating")
        out[y] = float(value)
    return sorted(out.items())
