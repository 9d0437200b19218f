"""The stored (materialised) evaluation, on both databases: written with its inputs, for the regions they
touch only, caught up when inputs change another way, and equal to the evaluation computed on demand."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select

from gongfu.errors import InputError
from gongfu.evaluation import materialise, thresholds
from gongfu.evaluation.service import evaluate_region, records_for, regions_in_scope
from gongfu.observations.service import import_file
from gongfu.plans.service import ingest
from gongfu.store.evaluation_tables import LATEST, EvaluationRecordRow
from gongfu.store.tables import ImportRow, ObservationRow

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "tests" / "data" / "plans"
OBS = ROOT / "src" / "gongfu" / "data" / "demo" / "zhejiang-sourced-observations.csv"
JIAXING, TAIZHOU = "330400", "331000"


@pytest.fixture
def loaded(db, tmp_path):
    ingest(
        db,
        [
            PLANS / "jiaxing-2021-common-prosperity-action-plan.txt",
            PLANS / "taizhou-2021-2025-common-prosperity-action-plan.txt",
        ],
    )
    import_file(db, _sourced(tmp_path))
    return db


def _sourced(tmp_path: Path) -> Path:
    """The sourced demo figures whose source link is a web address (the importer takes no other)."""
    import csv

    with OBS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keep = [r for r in rows if not r["source_url"] or r["source_url"].startswith(("http://", "https://"))]
    out = tmp_path / "sourced.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(keep)
    return out


def _stored(db, region: str) -> dict[tuple[int, int], tuple[int, str]]:
    """(target, as_of) → (row id, payload) of the stored records of one region."""
    with db.session() as s:
        q = select(EvaluationRecordRow).where(EvaluationRecordRow.region_code == region)
        return {(r.target_id, r.as_of): (r.id, r.payload) for r in s.scalars(q)}


def _gdp_csv(tmp_path: Path, value: float) -> Path:
    p = tmp_path / f"jiaxing-gdp-{value}.csv"
    p.write_text(
        f"region_code,indicator,value,unit,year,vintage\n{JIAXING},地区生产总值,{value},亿元,2024,revised\n"
    )
    return p


def test_records_are_stored_with_their_inputs_and_equal_the_on_demand_evaluation(loaded) -> None:
    assert _stored(loaded, JIAXING) and _stored(loaded, TAIZHOU)
    assert materialise.stamp(loaded)["current"]
    regions = regions_in_scope("330000", children=True)
    with loaded.session() as s:
        fresh = records_for(s, regions, None)
        as_of = records_for(s, regions, 2022)
    assert evaluate_region(loaded, "330000", children=True) == fresh
    assert evaluate_region(loaded, "330000", children=True, year=2022) == as_of
    kinds = {(k[1] == LATEST) for k in _stored(loaded, JIAXING)}
    assert kinds == {True, False}  # the latest evaluation and as-of years


def test_an_import_refreshes_only_the_regions_it_touches_in_its_own_transaction(loaded, tmp_path) -> None:
    before_jx, before_tz = _stored(loaded, JIAXING), _stored(loaded, TAIZHOU)
    import_file(loaded, _gdp_csv(tmp_path, 7600.0))
    after_jx, after_tz = _stored(loaded, JIAXING), _stored(loaded, TAIZHOU)
    assert after_tz == before_tz  # untouched region: the very same rows
    assert set(after_jx) == set(before_jx) and after_jx != before_jx
    assert materialise.stamp(loaded)["current"]  # no reader needed to catch up
    gdp = next(
        r for r in evaluate_region(loaded, JIAXING) if r["indicator_code"] == "gdp" and r["target"] == 9000
    )
    assert gdp["latest"] == pytest.approx(7600.0)


def test_a_failed_import_leaves_the_stored_evaluation_as_it_was(loaded, tmp_path) -> None:
    before = _stored(loaded, JIAXING)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"region_code,indicator,value,unit,year\n{JIAXING},地区生产总值,不是数字,亿元,2024\n")
    with pytest.raises(InputError):
        import_file(loaded, bad)
    assert _stored(loaded, JIAXING) == before


def test_inputs_changed_another_way_are_caught_up_by_the_next_reader(loaded) -> None:
    with loaded.session() as s:  # a direct load, bypassing the import service
        imp = s.execute(
            insert(ImportRow).values(source="direct.sql", kind="file", rows=1).returning(ImportRow.id)
        )
        s.execute(
            insert(ObservationRow).values(
                import_id=imp.scalar_one(), indicator_code="gdp", region_code=JIAXING, year=2025,
                value=9100.0, unit="亿元", source="direct.sql",
            )
        )  # fmt: skip
    assert not materialise.stamp(loaded)["current"]
    gdp = next(
        r for r in evaluate_region(loaded, JIAXING) if r["indicator_code"] == "gdp" and r["target"] == 9000
    )
    assert gdp["latest_year"] == 2025 and gdp["colour"] == "green"
    assert materialise.stamp(loaded)["current"]


def test_new_thresholds_make_the_stored_records_stale(loaded, tmp_path, monkeypatch) -> None:
    strict = tmp_path / "thresholds.toml"
    strict.write_text("[progress_ratio]\ngreen = 50.0\nyellow = 40.0\norange = 30.0\n")
    by_ratio = [r for r in evaluate_region(loaded, JIAXING) if r.get("colour_code", "").startswith("ratio_")]
    assert by_ratio and not any("50.00" in r["colour_reason"] for r in by_ratio)
    monkeypatch.setenv("GONGFU_THRESHOLDS", str(strict))
    thresholds.cache_clear()
    try:
        assert not materialise.stamp(loaded)["current"]
        records = {r["target_id"]: r for r in evaluate_region(loaded, JIAXING)}
        assert materialise.stamp(loaded)["current"]
        for r in by_ratio:  # the same targets, judged against the new thresholds
            assert records[r["target_id"]]["colour_code"] != "ratio_green"
            assert "0.95" not in records[r["target_id"]]["colour_reason"]
    finally:
        monkeypatch.delenv("GONGFU_THRESHOLDS")
        thresholds.cache_clear()
