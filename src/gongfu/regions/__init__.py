"""Regions (行政区划): GB/T 2260 codes, names, the region tree and the one scope check `is_within`."""

from gongfu.regions.registry import (
    AmbiguousRegion,
    Change,
    Region,
    RegionDataMissing,
    RegionNotFound,
    Registry,
    load,
)

__all__ = ["AmbiguousRegion", "Change", "Region", "RegionDataMissing", "RegionNotFound", "Registry", "load"]
