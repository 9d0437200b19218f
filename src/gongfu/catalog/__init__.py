"""The indicator catalog (指标库) and the matcher from plan wording to catalog codes."""

from gongfu.catalog.catalog import Catalog, Indicator, indicator_key, load_catalog
from gongfu.catalog.matcher import Match, match

__all__ = ["Catalog", "Indicator", "Match", "indicator_key", "load_catalog", "match"]
