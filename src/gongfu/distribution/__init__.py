"""Income distribution from household microdata: Gini, Theil T/L with decomposition, quantile shares,
middle-income and low-income shares, urban/rural and max/min ratios, with bootstrap CIs.

`measures` holds the one definition of each measure; the engines (`engine_memory`, `engine_duckdb`,
`engine_spark`) reduce a file to the same sufficient statistics; `service` runs them and makes observations.
"""

from gongfu.distribution.measures import (
    MeasureConfig,
    band_share,
    gini,
    lorenz_share,
    low_income,
    theil_by_group,
    theil_l,
    theil_t,
    weighted_median,
)
from gongfu.distribution.spec import Columns, Rules

__all__ = [
    "Columns",
    "MeasureConfig",
    "Rules",
    "band_share",
    "gini",
    "lorenz_share",
    "low_income",
    "theil_by_group",
    "theil_l",
    "theil_t",
    "weighted_median",
]
