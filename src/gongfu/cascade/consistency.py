"""Whether children's targets reach their parent's (指标分解的一致性), by the indicator's nature.

- total (总量): the children's sum must reach the parent's target (≥ when higher is better, ≤ when lower).
  Short of it, the children below their fair share are named: the parent × their weight share when weights
  (e.g. base-year figures) are known, else an even share.
- rate, per_capita (比率、人均): the weighted mean (population or base) must reach the parent's target. Without
  weights it is still decided when every child is on one side of the parent (a mean lies between its min
  and max); otherwise the verdict is unknown and the children without weights are named.
- floor (底线): every child must hold the parent's floor; each one that does not is named.
- ratio (倍差等比值): not aggregated; each child is compared with the parent and those worse are listed.

Plain functions over plain data; every intermediate value is kept for the explanation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

EPS = 1e-9

STATUS_ZH = {
    "consistent": "分解一致",
    "short": "分解不足",
    "unknown": "无法判定",
    "not_aggregated": "不汇总，逐一比较",
}


@dataclass(frozen=True)
class Child:
    region: str
    name: str
    target: float | None  # in the catalog unit; None when the child has no target yet
    weight: float | None = None


@dataclass
class ChildVerdict:
    region: str
    name: str
    target: float | None
    share: float | None = None  # a total's fair share of the parent
    gap: float | None = None  # how far from the share / the parent, in the better direction (> 0: short)
    ok: bool | None = None


@dataclass
class Verdict:
    nature: str
    direction: str
    parent: float
    aggregate: float | None
    status: str
    shortfall: float | None  # > 0: how much the aggregate (or the worst child) misses the parent by
    weighted: bool
    children: list[ChildVerdict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # child regions without a target
    message: str = ""

    @property
    def short_children(self) -> list[ChildVerdict]:
        return [c for c in self.children if c.ok is False]

    def to_json(self) -> dict:
        return {**asdict(self), "status_zh": STATUS_ZH[self.status]}


def better_or_equal(a: float, b: float, direction: str) -> bool:
    """a is at least as good as b (lower is better for `lower`)."""
    return a <= b + EPS * max(1.0, abs(b)) if direction == "lower" else a >= b - EPS * max(1.0, abs(b))


def _gap(value: float, reference: float, direction: str) -> float:
    """How far `value` falls short of `reference` (positive = short), in the better direction."""
    return value - reference if direction == "lower" else reference - value


def aggregate(nature: str, values: list[float], weights: list[float | None] | None = None) -> float | None:
    """The children's aggregate of one nature: a sum, a weighted mean, a min; None for a ratio."""
    if not values:
        return None
    if nature == "total":
        return sum(values)
    if nature in ("rate", "per_capita"):
        if weights is not None and all(w is not None and w > 0 for w in weights):
            ws = [float(w) for w in weights if w is not None]
            return sum(v * w for v, w in zip(values, ws, strict=True)) / sum(ws)
        return None
    return None


def _worst(values: list[float], direction: str) -> float:
    return max(values) if direction == "lower" else min(values)


def check(nature: str, direction: str, parent: float, children: list[Child], *, unit: str = "") -> Verdict:
    """The consistency verdict of a cascade (see the module docstring for the rules)."""
    given = [c for c in children if c.target is not None]
    missing = [c.name for c in children if c.target is None]
    if direction == "band":
        nature = "ratio"
    if nature == "total":
        v = _total(direction, parent, given)
    elif nature in ("rate", "per_capita"):
        v = _mean(nature, direction, parent, given)
    elif nature == "floor":
        v = _floor(direction, parent, given)
    else:
        v = _ratio(direction, parent, given)
    v.missing = missing
    if missing and v.status == "consistent" and nature != "total":
        v.status = "unknown"  # a child without a target cannot be said to hold
    if missing and nature == "total" and v.status != "consistent":
        v.status = "short"
    v.message = _message(v, unit)
    return v


def _total(direction: str, parent: float, given: list[Child]) -> Verdict:
    total = sum(c.target for c in given if c.target is not None)
    weights = [c.weight for c in given]
    weighted = bool(given) and all(w is not None and w > 0 for w in weights)
    wsum = sum(w for w in weights if w) if weighted else 0.0
    rows = []
    for c in given:
        assert c.target is not None
        share = parent * (c.weight or 0) / wsum if weighted else parent / len(given)
        gap = _gap(c.target, share, direction)
        rows.append(ChildVerdict(c.region, c.name, c.target, share, gap, gap <= EPS * max(1.0, abs(share))))
    ok = bool(given) and better_or_equal(total, parent, direction)
    shortfall = max(0.0, _gap(total, parent, direction)) if given else abs(parent)
    if ok:  # enough overall: no child is to blame
        for r in rows:
            r.ok = True
    return Verdict(
        "total",
        direction,
        parent,
        total if given else None,
        "consistent" if ok else "short",
        shortfall,
        weighted,
        rows,
    )


def _against_parent(direction: str, parent: float, given: list[Child]) -> list[ChildVerdict]:
    """Each child compared with the parent's own value (a mean's, a floor's or a ratio's rule)."""
    rows = []
    for c in given:
        assert c.target is not None
        gap = _gap(c.target, parent, direction)
        rows.append(
            ChildVerdict(c.region, c.name, c.target, None, gap, better_or_equal(c.target, parent, direction))
        )
    return rows


def _mean(nature: str, direction: str, parent: float, given: list[Child]) -> Verdict:
    rows = _against_parent(direction, parent, given)
    values = [c.target for c in given if c.target is not None]
    agg = aggregate(nature, values, [c.weight for c in given])
    weighted = agg is not None
    if not given:
        return Verdict(nature, direction, parent, None, "short", None, False, rows)
    if agg is not None:
        ok = better_or_equal(agg, parent, direction)
        shortfall = max(0.0, _gap(agg, parent, direction))
        if ok:
            for r in rows:
                r.ok = True  # a child below the parent is balanced by the others: not to blame
        return Verdict(nature, direction, parent, agg, "consistent" if ok else "short", shortfall, True, rows)
    if all(r.ok for r in rows):
        return Verdict(nature, direction, parent, None, "consistent", 0.0, weighted, rows)
    if not any(r.ok for r in rows):
        worst = min(r.gap or 0.0 for r in rows)  # the mean misses by at least the best child's gap
        return Verdict(nature, direction, parent, None, "short", worst, weighted, rows)
    return Verdict(nature, direction, parent, None, "unknown", None, weighted, rows)


def _floor(direction: str, parent: float, given: list[Child]) -> Verdict:
    rows = _against_parent(direction, parent, given)
    values = [c.target for c in given if c.target is not None]
    worst = _worst(values, direction) if values else None
    ok = bool(rows) and all(r.ok for r in rows)
    shortfall = max([r.gap or 0.0 for r in rows if not r.ok], default=0.0) if rows else None
    return Verdict("floor", direction, parent, worst, "consistent" if ok else "short", shortfall, False, rows)


def _ratio(direction: str, parent: float, given: list[Child]) -> Verdict:
    rows = _against_parent(direction, parent, given)
    return Verdict("ratio", direction, parent, None, "not_aggregated", None, False, rows)


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _message(v: Verdict, unit: str) -> str:
    """One Chinese sentence: the verdict, by how much, and which children."""
    u = unit or ""
    d = "个百分点" if u == "%" else u  # a difference of percentages is in percentage points
    short = "、".join(f"{c.name}（差{_fmt(c.gap or 0)}{d}）" for c in v.short_children)
    miss = f"；未分解：{'、'.join(v.missing)}" if v.missing else ""
    if v.nature == "ratio":
        head = "比值类指标不汇总，逐一与上级目标比较"
        return head + (f"；劣于上级目标：{short}" if short else "；各地均不劣于上级目标") + miss
    what = {
        "total": "下级目标合计",
        "rate": "下级目标加权平均",
        "per_capita": "下级目标加权平均",
        "floor": "下级目标最差值",
    }[v.nature]
    agg = f"{what}{_fmt(v.aggregate)}{u}，" if v.aggregate is not None else ""
    if v.status == "consistent":
        return f"{agg}达到上级目标{_fmt(v.parent)}{u}" + miss
    if v.status == "unknown":
        return (
            f"缺少权重，无法判定加权平均是否达到上级目标{_fmt(v.parent)}{u}；低于上级目标：{short or '无'}"
            + miss
        )
    by = f"差{_fmt(v.shortfall)}{d}" if v.shortfall is not None else "无法达到"
    return (
        f"{agg}未达到上级目标{_fmt(v.parent)}{u}，{by}；" + (f"拖后：{short}" if short else "拖后：无") + miss
    )
