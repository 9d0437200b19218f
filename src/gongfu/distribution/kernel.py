"""The ordered kernel: every statistic that needs income order, from records fed in ascending order.

One pass over the sorted records gives the Lorenz area, the crossing records of every quantile share, and
each group's median crossings (and, when the logs are given, each group's moment sums): the order is paid
for once and reused by every quantile measure, group median and bootstrap replicate. The records may come
in one array (the memory engine) or in many consecutive chunks (the DuckDB engine streaming its sort);
running totals carry across chunks.

The Lorenz area Σ wᵢ (2Cᵢ − wᵢyᵢ), Cᵢ the cumulative Σwy, is taken per chunk from the cumulative weight Fᵢ
alone: Σ wᵢCᵢ = Σ wⱼyⱼ (W − Fⱼ + wⱼ), so one running sum serves the area and the crossings. A group's
median crossings come from its weight totals per block of records and one short running sum inside the
block that crosses; its moment sums are dot products of its masked weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gongfu.distribution.measures import Crossing, MomentSums, median_targets

SMALL_GROUPS = 4  # up to this many labels, groups are masks over the sorted records; beyond, a partition


@dataclass
class _Grouping:
    k: int
    targets: np.ndarray  # (k, 2) cumulative-weight targets of the median crossings
    carry: np.ndarray  # (k,) group weight fed so far
    lo_hi: np.ndarray  # (k, 2) incomes at the crossings (nan until found)
    sums: np.ndarray  # (k, 4) W, S, Σwy·ln y, Σw·ln y (only with logs)
    last: np.ndarray  # (k,) income of the group's last record fed


@dataclass
class Ordered:
    """Running statistics over records in ascending income order.

    `total_w` and `group_w` (per grouping, the weight of each label code) fix the crossing targets and must
    be known before the first chunk; a grouping given only by its number of labels takes its weights from
    the data, which must then come in one chunk.
    """

    total_w: float
    points: tuple[float, ...]
    group_w: dict[str, np.ndarray | int] = field(default_factory=dict)
    fed_w: float = 0.0
    fed_wy: float = 0.0
    area: float = 0.0
    found: dict[float, Crossing] = field(default_factory=dict)
    last_y: float = float("nan")
    theil: np.ndarray = field(default_factory=lambda: np.zeros(2))  # Σwy·ln y, Σw·ln y (with logs)
    groupings: dict[str, _Grouping] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for col, gw in self.group_w.items():
            k = gw if isinstance(gw, int) else len(gw)
            targets = np.full((k, 2), np.nan)
            if not isinstance(gw, int):
                targets[:] = [median_targets(float(w)) for w in gw]
            self.groupings[col] = _Grouping(
                k, targets, np.zeros(k), np.full((k, 2), np.nan), np.zeros((k, 4)), np.full(k, np.nan)
            )

    def feed(
        self,
        y: np.ndarray,
        pw: np.ndarray,
        codes: dict[str, np.ndarray] | None = None,
        lny: np.ndarray | None = None,
    ) -> None:
        """The next records in income order: incomes, person weights, label codes per grouping."""
        if len(y) == 0:
            return
        cw = np.cumsum(pw)
        wy = np.multiply(pw, y)
        w_c, s_c = float(cw[-1]), float(wy.sum())
        self.area += 2.0 * w_c * s_c - 2.0 * float(wy @ cw) + float(pw @ wy) + 2.0 * self.fed_wy * w_c
        ylny = None
        if lny is not None:
            ylny = np.multiply(y, lny)
            self.theil += (float(pw @ ylny), float(pw @ lny))
        cw += self.fed_w
        todo = [p for p in self.points if p not in self.found and p * self.total_w <= cw[-1]]
        if todo:
            idx = np.searchsorted(cw, [p * self.total_w for p in todo], side="left")
            before = _prefix_sums(wy, idx)
            for p, i, b in zip(todo, idx, before, strict=True):
                self.found[p] = Crossing(float(cw[i] - pw[i]), self.fed_wy + b, float(y[i]))
        del cw
        for col, g in self.groupings.items():
            _feed_group(g, y, pw, wy, (codes or {})[col], lny, ylny)
        self.fed_w += w_c
        self.fed_wy += s_c
        self.last_y = float(y[-1])

    def crossings(self) -> dict[float, Crossing]:
        """Every point's crossing; a target a hair above the total by rounding is the last record."""
        last = Crossing(self.fed_w, self.fed_wy, self.last_y)
        return {p: self.found.get(p, last) for p in self.points}

    def medians(self, col: str) -> np.ndarray:
        """(k, 2) incomes at each label's median crossings (a target a hair above: the last record)."""
        g = self.groupings[col]
        return np.where(np.isnan(g.lo_hi), g.last[:, None], g.lo_hi)


def _prefix_sums(wy: np.ndarray, idx: np.ndarray) -> list[float]:
    """Σ wy[:i] for each i, in one pass over the array (segments between sorted indices)."""
    order = np.argsort(idx)
    out = np.empty(len(idx))
    acc, start = 0.0, 0
    for j in order:
        i = int(idx[j])
        acc += float(wy[start:i].sum())
        start = i
        out[j] = acc
    return out.tolist()


def _feed_group(g: _Grouping, y, pw, wy, codes: np.ndarray, lny, ylny) -> None:
    if g.k <= SMALL_GROUPS:
        buf = np.empty_like(pw)
        starts = np.arange(0, len(pw), BLOCK)
        for j in range(g.k):
            mask = np.equal(codes, j)
            np.multiply(pw, mask, out=buf)
            ends = np.cumsum(np.add.reduceat(buf, starts))  # the group's weight at each block's end
            ends += g.carry[j]
            if np.isnan(g.targets[j, 0]):
                g.targets[j] = median_targets(float(ends[-1]))
            if ends[-1] > g.carry[j]:  # records of this label here
                g.last[j] = y[len(y) - 1 - int(np.argmax(mask[::-1]))]
                for t in range(2):
                    if np.isnan(g.lo_hi[j, t]) and g.targets[j, t] <= ends[-1]:
                        i = _block_cross(buf, ends, float(g.carry[j]), float(g.targets[j, t]), mask)
                        if i is not None:
                            g.lo_hi[j, t] = y[i]
            if lny is not None:
                g.sums[j] += (
                    float(ends[-1] - g.carry[j]),
                    float(buf @ y),
                    float(buf @ ylny),
                    float(buf @ lny),
                )
            g.carry[j] = float(ends[-1])
        return
    by = np.argsort(codes, kind="stable")  # records of each label, still in income order
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=g.k))])
    pw_s, y_s = pw[by], y[by]
    lny_s = lny[by] if lny is not None else None
    for j in range(g.k):
        a, b = int(bounds[j]), int(bounds[j + 1])
        if a == b:
            continue
        cw = np.cumsum(pw_s[a:b])
        if np.isnan(g.targets[j, 0]):
            g.targets[j] = median_targets(float(cw[-1]))
        cw += g.carry[j]
        _cross(g, j, cw, y_s[a:b])
        if lny_s is not None:
            wy_g = pw_s[a:b] * y_s[a:b]
            g.sums[j] += (float(cw[-1] - g.carry[j]), float(wy_g.sum()), float(wy_g @ lny_s[a:b]),
                          float(pw_s[a:b] @ lny_s[a:b]))  # fmt: skip
        g.carry[j] = float(cw[-1])


def _cross(g: _Grouping, j: int, cw: np.ndarray, y: np.ndarray) -> None:
    if cw[-1] <= g.carry[j]:
        return  # no record of this label here
    g.last[j] = y[int(np.searchsorted(cw, cw[-1], side="left"))]
    for t in range(2):
        if np.isnan(g.lo_hi[j, t]) and g.targets[j, t] <= cw[-1]:
            i = int(np.searchsorted(cw, g.targets[j, t], side="left"))
            g.lo_hi[j, t] = y[min(i, len(y) - 1)]


BLOCK = 1 << 14


def _block_cross(buf: np.ndarray, ends: np.ndarray, carry: float, target: float, mask: np.ndarray):
    """The first record of the label whose cumulative weight reaches `target`: the block from the
    block totals, then a running sum inside it (continued into the next blocks should rounding between
    the two sums call for it). None when the chunk ends first."""
    blk = int(np.searchsorted(ends, target, side="left"))
    prefix = float(ends[blk - 1]) if blk else carry
    n = len(buf)
    while blk * BLOCK < n:
        seg = buf[blk * BLOCK : (blk + 1) * BLOCK]
        c = np.cumsum(seg)
        c += prefix
        i = int(np.searchsorted(c, target, side="left"))
        if i < len(seg):
            i += blk * BLOCK
            return i if mask[i] else i + int(np.argmax(mask[i:]))
        prefix, blk = float(c[-1]), blk + 1
    return None


def group_sums(g: np.ndarray) -> list[MomentSums]:
    return [MomentSums(*(float(v) for v in row)) for row in g]
