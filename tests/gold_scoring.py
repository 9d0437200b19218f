"""Shared by the gold-label tests: the project's scorer (a copy in tests/data) and predictions in its format."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from gongfu.plans.targets import extract_targets
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data"


def scorer():
    spec = importlib.util.spec_from_file_location("score_targets", DATA / "score_targets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(original: str, horizon: int | None) -> list[dict]:
    """Targets of a plan text as the scorer reads them: offsets into the original text."""
    nt = normalise(original)
    rows = []
    for t in extract_targets(nt.text, horizon=horizon):
        row = t.to_json()
        row["start"], row["end"] = (int(x) for x in nt.span_to_original(t.start, t.end))
        rows.append(row)
    return rows
