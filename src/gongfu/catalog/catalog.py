"""The indicator catalog: the canonical list of indicators (指标库), shipped as `indicators.csv`.

Each row is one real indicator with a stable snake_case code, its Chinese name, aliases (the wordings plans
and statistical sources use), the catalog unit every observation is converted to, whether higher or lower
is better, the dimension of the common-prosperity indicator system, and where the statistic is defined.
`Catalog.lookup` is exact (after light spelling normalisation); fuzzy matching lives in `matcher.py`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from gongfu.errors import NotFound
from gongfu.text import to_simplified

__all__ = [
    "DIMENSIONS",
    "DIRECTIONS",
    "KINDS",
    "NATURES",
    "Catalog",
    "Indicator",
    "indicator_key",
    "load_catalog",
]

DIMENSIONS: tuple[str, ...] = (
    "经济高质量发展",
    "收入分配",
    "公共服务优质共享",
    "城乡区域协调",
    "精神文明",
    "生态文明",
    "社会治理",
)
DIRECTIONS: tuple[str, ...] = ("higher", "lower", "band")
KINDS: tuple[str, ...] = ("level", "share", "ratio", "rate", "count", "growth")
# How a parent's target relates to its children's (指标分解): totals add up, rates and per-capita figures
# are weighted means (by `weight_by` where known), floors hold for each child, ratios are not aggregated.
NATURES: tuple[str, ...] = ("total", "rate", "per_capita", "floor", "ratio")


@dataclass(frozen=True)
class Indicator:
    """One catalog entry (see the module docstring for the meaning of the fields)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    direction: str  # higher | lower | band
    dimension: str
    growing_level: bool  # a level that grows over time like income or GDP (geometric trajectory)
    kind: str  # level | share | ratio | rate | count | growth
    definition: str
    source: str
    nature: str = "total"  # total | rate | per_capita | floor | ratio (see NATURES)
    weight_by: str = ""  # catalog code of the weight for a mean (resident_population, gdp …), "" if unknown

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


_BRACKETS = str.maketrans(
    {"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}
)
_QUOTES = re.compile(r"[“”‘’\"'「」『』《》〈〉]")
_BAND = re.compile(r"(\d+(?:\.\d+)?)\s*万?\s*[-~—–－至到]+\s*(\d+(?:\.\d+)?)\s*万")


def indicator_key(s: str) -> str:
    """Spelling-insensitive key of an indicator wording: Simplified, half-width, no spaces or quotes,
    one bracket style, ASCII lower-cased, income bands written "10-50万" ("10万~50万" and "10—50万" alike)."""
    s = to_simplified(s).translate(_BRACKETS)
    s = _QUOTES.sub("", s)
    s = re.sub(r"\s+", "", s).lower()
    return _BAND.sub(r"\1-\2万", s)


def _row_to_indicator(row: dict[str, str]) -> Indicator:
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return Indicator(
        code=row["code"].strip(),
        name=row["name"].strip(),
        aliases=aliases,
        unit=(row.get("unit") or "").strip(),
        direction=row["direction"].strip(),
        dimension=row["dimension"].strip(),
        growing_level=row["growing_level"].strip().lower() == "true",
        kind=row["kind"].strip(),
        definition=(row.get("definition") or "").strip(),
        source=(row.get("source") or "").strip(),
        nature=(row.get("nature") or "").strip() or "total",
        weight_by=(row.get("weight_by") or "").strip(),
    )


class Catalog:
    """The indicators by code, with exact lookup by code, name or alias."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self._by_code: dict[str, Indicator] = {}
        self._by_key: dict[str, str] = {}
        for ind in indicators:
            if ind.code in self._by_code:
                raise ValueError(f"duplicate indicator code {ind.code!r}")
            self._by_code[ind.code] = ind
        # Names win over aliases, so an alias can never shadow another indicator's own name.
        for ind in indicators:
            self._by_key.setdefault(indicator_key(ind.name), ind.code)
        for ind in indicators:
            for alias in ind.aliases:
                self._by_key.setdefault(indicator_key(alias), ind.code)

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Indicator:
        """The indicator with this code; NotFound if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound(f"指标代码不存在: {code!r}") from None

    def lookup(self, name_or_code_or_alias: str) -> Indicator | None:
        """The indicator whose code, name or alias is exactly this wording (spelling-insensitive), or None."""
        s = (name_or_code_or_alias or "").strip()
        if s in self._by_code:
            return self._by_code[s]
        code = self._by_key.get(indicator_key(s))
        return self._by_code[code] if code else None

    def all(self) -> list[Indicator]:
        """Every indicator, in file order."""
        return list(self._by_code.values())

    def by_dimension(self) -> dict[str, list[Indicator]]:
        """Indicators grouped by dimension, in the order of `DIMENSIONS` (then any others)."""
        out: dict[str, list[Indicator]] = {d: [] for d in DIMENSIONS}
        for ind in self._by_code.values():
            out.setdefault(ind.dimension, []).append(ind)
        return {d: v for d, v in out.items() if v}

    def keys(self) -> dict[str, str]:
        """Every normalised name/alias key → code (for the matcher)."""
        return dict(self._by_key)


def read_catalog_csv(text: str) -> Catalog:
    """Parse catalog CSV text (the format of `indicators.csv`)."""
    rows = csv.DictReader(text.splitlines())
    return Catalog([_row_to_indicator(r) for r in rows if (r.get("code") or "").strip()])


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The catalog shipped with the package (read once, then cached)."""
    text = resources.files("gongfu.catalog").joinpath("indicators.csv").read_text(encoding="utf-8")
    return read_catalog_csv(text)
