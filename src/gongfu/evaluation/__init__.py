"""Evaluation (评价体系): attainment, trajectory and 时序进度, progress ratio, forecast, traffic lights,
and the composite index — plain functions over plain data, no database or files.

One target: `evaluate(TargetSpec(...), [(year, value), ...])` → `Evaluation`.
Many targets: `evaluate_many(specs, series)` or `evaluate_frame(targets_df, observations_df)` → polars frame.
Regions: `composite_index(rows, weights="equal" | "expert" | "entropy")`, then `rank_sensitivity(result)`.
"""

from gongfu.evaluation.attainment import band_attainment, clip01, level_attainment, meets_band, meets_level
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
from gongfu.evaluation.forecast import Fit, time_weighted_fit, trend_of
from gongfu.evaluation.progress import Progress, cagr, progress_ratio
from gongfu.evaluation.spec import TargetSpec, clean_series, resolve_direction
from gongfu.evaluation.trajectory import expected_value, time_progress
from gongfu.evaluation.warnings import Thresholds, classify, reason_text, thresholds
from gongfu.vocab import COLOURS

__all__ = [
    "COLOURS",
    "CompositeResult",
    "Evaluation",
    "Fit",
    "Progress",
    "TargetSpec",
    "Thresholds",
    "band_attainment",
    "cagr",
    "classify",
    "clean_series",
    "clip01",
    "composite_index",
    "dimension_scores",
    "entropy_weights",
    "evaluate",
    "evaluate_frame",
    "evaluate_many",
    "expected_value",
    "level_attainment",
    "meets_band",
    "meets_level",
    "observations_frame",
    "progress_ratio",
    "rank_desc",
    "rank_sensitivity",
    "read_weights_csv",
    "reason_text",
    "resolve_direction",
    "scheme_weights",
    "targets_frame",
    "thresholds",
    "time_progress",
    "time_weighted_fit",
    "trend_of",
]
