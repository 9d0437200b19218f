"""Evaluation (评价体系): attainment, trajectory and 时序进度, progress ratio, forecast, traffic lights,
and the composite index — plain functions over plain data, no database or files.

One target: `evaluate(TargetSpec(...), [(year, value), ...])` → `Evaluation`.
Many targets: `evaluate_many(specs, series)` or `evaluate_frame(targets_df, observations_df)` → polars frame.
Regions: `composite_index(rows, weights="equal" | "expert" | "entropy")`, then `rank_sensitivity(result)`.
"""

from gongfu.evaluation.batch import evaluate_frame, evaluate_many, observations_frame, targets_frame
from gongfu.evaluation.composite import (
    CompositeResult,
    composite_index,
    dimension_scores,
    entropy_weights,
    rank_desc,
    rank_sensitivity,
    read_weights_csv,
    scheme_weights,
)
from gongfu.evaluation.evaluate import Evaluation, evaluate
from gongfu.evaluation.progress import RATIO_LIMIT
from gongfu.evaluation.spec import TargetSpec, clean_series, resolve_direction
from gongfu.evaluation.warnings import Thresholds, thresholds
from gongfu.vocab import COLOURS

__all__ = [
    "COLOURS",
    "RATIO_LIMIT",
    "CompositeResult",
    "Evaluation",
    "TargetSpec",
    "Thresholds",
    "clean_series",
    "composite_index",
    "dimension_scores",
    "entropy_weights",
    "evaluate",
    "evaluate_frame",
    "evaluate_many",
    "observations_frame",
    "rank_desc",
    "rank_sensitivity",
    "read_weights_csv",
    "resolve_direction",
    "scheme_weights",
    "targets_frame",
    "thresholds",
]
