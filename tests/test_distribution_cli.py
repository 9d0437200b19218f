"""`gongfu distribution synth` and `measure`: synthetic data calibrated as asked, JSON output, --save."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from gongfu.cli import state
from gongfu.cli.distribution import app
from gongfu.distribution import measures as M
from gongfu.distribution.service import measure_file, to_drafts
from gongfu.distribution.spec import Columns
from gongfu.errors import InputError

runner = CliRunner()
COLS = ["--income", "income", "--weight", "weight", "--persons", "persons"]


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "synthetic_households_20k.parquet"
    res = runner.invoke(
        app,
        [
            "synth",
            "--households",
            "20000",
            "--out",
            str(out),
            "--gini",
            "0.35",
            "--urban-mean",
            "70000",
            "--rural-mean",
            "35000",
            "--counties",
            "5",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    return out


def test_synth_is_labelled_synthetic_and_calibrated(synthetic_file) -> None:
    meta = pq.read_schema(synthetic_file).metadata
    assert meta[b"gongfu.synthetic"] == b"true"
    df = pl.read_parquet(synthetic_file)
    assert df.height == 20_000
    pc = (df["income"] / df["persons"]).to_numpy()
    pw = (df["weight"] * df["persons"]).to_numpy()
    assert M.gini(pc, pw) == pytest.approx(0.35, abs=0.01)
    urban = (df["urban_rural"] == "城镇").to_numpy()
    assert (pw[urban] * pc[urban]).sum() / pw[urban].sum() == pytest.approx(70_000, rel=1e-4)
    assert (pw[~urban] * pc[~urban]).sum() / pw[~urban].sum() == pytest.approx(35_000, rel=1e-4)


def test_synth_refuses_a_file_name_without_synthetic(tmp_path) -> None:
    with pytest.raises(InputError, match="synthetic"):
        runner.invoke(
            app,
            ["synth", "--households", "100", "--out", str(tmp_path / "households.parquet")],
            catch_exceptions=False,
        )


def test_measure_json_prints_every_measure_with_its_interval(synthetic_file) -> None:
    res = runner.invoke(
        app,
        [
            "measure",
            str(synthetic_file),
            *COLS,
            "--group",
            "urban_rural",
            "--strata",
            "county",
            "--bootstrap",
            "30",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    values = {m["key"]: m for m in out["measures"]}
    assert out["engine"] == "memory" and len(out["sha256"]) == 64
    gini = values["gini"]
    assert gini["ci_low"] < gini["value"] < gini["ci_high"]
    assert values["urban_rural_income_ratio@urban_rural"]["value"] == pytest.approx(2.0, rel=1e-4)
    assert {"middle_income_share_10_50", "low_income_share", "palma_ratio"} <= values.keys()


def test_measure_table_with_duckdb_engine(synthetic_file) -> None:
    res = runner.invoke(
        app, ["measure", str(synthetic_file), *COLS, "--engine", "duckdb"], catch_exceptions=False
    )
    assert res.exit_code == 0
    assert "基尼系数" in res.output and "duckdb" in res.output


def test_bootstrap_is_reproducible_with_a_seed_and_resamples_within_strata(synthetic_file) -> None:
    from gongfu.distribution.bootstrap import Resampler

    cols = Columns("income", "weight", "persons", (), "county")
    a = measure_file(synthetic_file, cols, replicates=20, seed=7)
    b = measure_file(synthetic_file, cols, replicates=20, seed=7)
    c = measure_file(synthetic_file, cols, replicates=20, seed=8)
    assert [m.ci for m in a.measures] == [m.ci for m in b.measures]
    assert [m.ci for m in a.measures] != [m.ci for m in c.measures]
    strata = pl.read_parquet(synthetic_file)["county"].to_numpy()
    counts = Resampler(len(strata), strata, seed=1).counts()
    for s in set(strata):
        assert counts[strata == s].sum() == (strata == s).sum()


def test_missing_column_is_one_clear_input_error(synthetic_file) -> None:
    with pytest.raises(InputError, match="找不到列"):
        runner.invoke(app, ["measure", str(synthetic_file), "--income", "no_such"], catch_exceptions=False)


def test_drafts_use_catalog_codes_and_carry_provenance(synthetic_file) -> None:
    run = measure_file(
        synthetic_file, Columns("income", "weight", "persons", ("urban_rural", "county")), replicates=0
    )
    drafts = {d.indicator: d for d in to_drafts(run, "330400", 2023)}
    assert {
        "gini",
        "theil_t",
        "theil_l",
        "bottom20_share",
        "bottom40_share",
        "top10_share",
        "top20_share",
        "s80_s20",
        "palma_ratio",
        "middle_income_share_10_50",
        "middle_income_share_20_60",
        "low_income_count",
        "low_income_share",
        "urban_rural_income_ratio",
        "county_income_max_min_ratio",
        "theil_t_between_share",
    } == drafts.keys()
    g = drafts["gini"]
    assert g.value == run.value("gini") and g.unit == "" and drafts["top10_share"].unit == "%"
    assert f"sha256={run.sha256}" in g.source_text and "engine=memory" in g.source_text
    assert drafts["county_income_max_min_ratio"].value == run.value("group_mean_max_min_ratio@county")


def test_save_refuses_synthetic_input_without_the_flag(synthetic_file, tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'gongfu.db'}"
    monkeypatch.setattr(state, "db_url", url)
    args = [
        "measure",
        str(synthetic_file),
        *COLS,
        "--bootstrap",
        "0",
        "--save",
        "--region",
        "嘉兴市",
        "--year",
        "2023",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code != 0 and "synthetic" in str(res.exception)


def test_save_stores_observations(synthetic_file, tmp_path, monkeypatch) -> None:
    from gongfu.observations.service import current_series
    from gongfu.store.db import open_db

    url = f"sqlite:///{tmp_path / 'gongfu.db'}"
    monkeypatch.setattr(state, "db_url", url)
    res = runner.invoke(
        app,
        [
            "measure",
            str(synthetic_file),
            *COLS,
            "--group",
            "urban_rural",
            "--bootstrap",
            "0",
            "--save",
            "--allow-synthetic",
            "--region",
            "嘉兴市",
            "--year",
            "2023",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    db = open_db(url)
    rows = current_series(db, "gini", "330400")
    assert len(rows) == 1 and rows[0].year == 2023 and 0.3 < rows[0].value < 0.4
    assert "sha256=" in rows[0].source_text and rows[0].vintage == "synthetic"
