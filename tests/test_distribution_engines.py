"""The three engines (numpy, DuckDB, Spark local mode) give the same measures, and apply the same rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from gongfu.distribution import engine_duckdb, engine_memory
from gongfu.distribution.measures import MeasureConfig, finish
from gongfu.distribution.spec import Columns, Rules
from gongfu.errors import InputError

CFG = MeasureConfig()
STRICT = Rules()
COLS = Columns("income", "weight", "persons", ("urban_rural", "county"), "county")


def _spark_reason() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    if shutil.which("java") is None:
        return "java is not on PATH (Spark needs Java 17)"
    return None


needs_spark = pytest.mark.skipif(
    _spark_reason() is not None, reason=f"Spark tests skipped: {_spark_reason()}"
)


def synthetic_households(n: int, seed: int, float_weights: bool) -> pl.DataFrame:
    """Small synthetic microdata with ties (incomes rounded to 100 元) and an exact-half median."""
    rng = np.random.default_rng(seed)
    persons = rng.integers(1, 5, n)
    pc = np.round(rng.lognormal(10.6, 0.6, n), -2)
    weight = rng.uniform(0.5, 3.0, n) if float_weights else rng.integers(1, 4, n).astype(float)
    return pl.DataFrame(
        {
            "income": pc * persons,
            "weight": weight,
            "persons": persons,
            "urban_rural": rng.choice(["城镇", "农村"], n, p=[0.7, 0.3]),
            "county": rng.choice(["330102", "330105", "330106", "330110"], n),
        }
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("distribution")
    out = {}
    for name, n, seed, fw in (("int", 3000, 1, False), ("float", 2500, 2, True)):
        df = synthetic_households(n, seed, fw)
        out[name] = d / f"synthetic_households_{name}.parquet"
        df.write_parquet(out[name])
        if name == "int":
            out["csv"] = d / "synthetic_households_int.csv"
            df.write_csv(out["csv"])
    bad = synthetic_households(400, 3, False).with_columns(
        pl.when(pl.int_range(pl.len()) % 50 == 7).then(-100.0).otherwise(pl.col("income")).alias("income"),
        pl.when(pl.int_range(pl.len()) % 90 == 3).then(None).otherwise(pl.col("weight")).alias("weight"),
    )
    out["bad"] = d / "synthetic_households_bad.parquet"
    bad.write_parquet(out["bad"])
    return out


@pytest.fixture(scope="session")
def spark():
    reason = _spark_reason()
    if reason:
        pytest.skip(reason)
    from gongfu.distribution.engine_spark import session

    s = session("local[2]", app_name="gongfu-tests")
    s.sparkContext.setLogLevel("ERROR")
    s.conf.set("spark.sql.shuffle.partitions", "2")
    yield s
    s.stop()


def memory(path: Path, rules: Rules = STRICT, columns: Columns = COLS) -> dict[str, float]:
    prep = engine_memory.prepare(engine_memory.read_frame(path, columns), columns, rules, CFG, str(path))
    return finish(engine_memory.stats(prep, CFG), CFG)


def duck(path: Path, rules: Rules = STRICT, columns: Columns = COLS) -> dict[str, float]:
    """DuckDB reading, the in-memory kernel sorting (the records fit the memory budget)."""
    assert engine_duckdb.prepared(path, columns, rules, CFG) is not None
    return finish(engine_duckdb.compute(path, columns, rules, CFG)[0], CFG)


def streamed(path: Path, rules: Rules = STRICT, columns: Columns = COLS) -> dict[str, float]:
    """DuckDB sorting, streamed through the ordered kernel (the path of files larger than memory)."""
    return finish(engine_duckdb.streamed(path, columns, rules, CFG)[0], CFG)


def test_duckdb_takes_the_streamed_path_past_its_memory_budget(files, monkeypatch) -> None:
    assert engine_duckdb._bytes("3GB") == 3 * 10**9 and engine_duckdb._bytes("512MiB") == 512 << 20
    monkeypatch.setattr(engine_duckdb, "DEFAULT_BUDGET", 300_000)  # 3000 records × 120 bytes: too many
    assert engine_duckdb.prepared(files["int"], COLS, STRICT, CFG) is None
    stats, report = engine_duckdb.compute(files["int"], COLS, STRICT, CFG)
    assert report.used == 3000
    assert_agree(memory(files["int"]), finish(stats, CFG))


def assert_agree(a: dict[str, float], b: dict[str, float]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        assert b[k] == pytest.approx(a[k], rel=1e-9, abs=1e-12), k


@pytest.mark.parametrize("name", ["int", "float", "csv"])
@pytest.mark.parametrize("engine", [duck, streamed])
def test_duckdb_agrees_with_memory_to_1e9(files, name, engine) -> None:
    a, b = memory(files[name]), engine(files[name])
    assert_agree(a, b)
    assert "urban_rural_income_ratio@urban_rural" in a and "urban_rural_income_ratio@county" not in a


def test_group_medians_average_at_an_exact_half_in_every_engine(tmp_path) -> None:
    # County A: 100..400 one person each → F(200) = ½ exactly → 250; county B: 100 and 300 weight 2 → 200.
    path = tmp_path / "synthetic_exact_half.csv"
    pl.DataFrame(
        {
            "income": [100.0, 200.0, 300.0, 400.0, 100.0, 300.0],
            "weight": [1.0, 1.0, 1.0, 1.0, 2.0, 2.0],
            "county": ["A", "A", "A", "A", "B", "B"],
        }
    ).write_csv(path)
    cols = Columns("income", "weight", None, ("county",))
    a = memory(path, columns=cols)
    assert (a["median@county=A"], a["median@county=B"]) == (250.0, 200.0)
    assert a["group_median_max_min_ratio@county"] == 1.25
    assert_agree(a, duck(path, columns=cols))
    assert_agree(a, streamed(path, columns=cols))


def test_rules_drop_and_clip_give_the_same_in_memory_and_duckdb(files) -> None:
    for rules in (Rules("drop", "drop"), Rules("drop", "clip", 1.0)):
        assert_agree(memory(files["bad"], rules), duck(files["bad"], rules))
        assert_agree(memory(files["bad"], rules), streamed(files["bad"], rules))
    prep = engine_memory.prepare(
        engine_memory.read_frame(files["bad"], COLS), COLS, Rules("drop", "drop"), CFG
    )
    _, report = engine_duckdb.compute(files["bad"], COLS, Rules("drop", "drop"), CFG)
    assert (prep.report.dropped_invalid, prep.report.dropped_nonpositive) == (5, 8)
    assert (report.dropped_invalid, report.dropped_nonpositive, report.used) == (5, 8, prep.report.used)


@pytest.mark.parametrize("compute", [memory, duck, streamed])
def test_missing_weight_is_an_error_by_default(files, compute) -> None:
    with pytest.raises(InputError, match="5 条记录权重缺失或不为正"):
        compute(files["bad"])


@pytest.mark.parametrize("compute", [memory, duck, streamed])
def test_nonpositive_income_is_an_error_by_default(files, compute) -> None:
    with pytest.raises(InputError, match="人均收入 ≤ 0"):
        compute(files["bad"], Rules("drop", "error"))


@pytest.mark.parametrize("compute", [memory, duck, streamed])
def test_unknown_column_is_an_input_error(files, compute) -> None:
    with pytest.raises(InputError):
        compute(files["int"], columns=Columns("no_such_column"))


@needs_spark
def test_spark_local_mode_agrees_with_memory_to_1e9(files, spark) -> None:
    from gongfu.distribution import engine_spark

    # Ties, integer weights and exact-half cumulative weights: the hardest case for running sums.
    stats, _ = engine_spark.compute(files["int"], COLS, Rules(), CFG, spark=spark, partitions=3)
    assert_agree(memory(files["int"]), finish(stats, CFG))


@needs_spark
def test_spark_applies_the_same_rules(files, spark) -> None:
    from gongfu.distribution import engine_spark

    rules = Rules("drop", "clip", 1.0)
    stats, report = engine_spark.compute(files["bad"], COLS, rules, CFG, spark=spark, partitions=2)
    assert_agree(memory(files["bad"], rules), finish(stats, CFG))
    assert (report.dropped_invalid, report.clipped) == (5, 8)
    with pytest.raises(InputError, match="权重缺失或不为正"):
        engine_spark.compute(files["bad"], COLS, Rules(), CFG, spark=spark)


def _cis(path: Path, engine: str, **kw) -> dict[str, tuple[float, float] | None]:
    from gongfu.distribution.service import measure_file

    run = measure_file(path, COLS, engine=engine, replicates=12, seed=5, **kw)
    assert "B=12, seed=5" in run.ci_note and run.params["replicates"] == 12
    return {m.key: m.ci for m in run.measures}


def assert_same_cis(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    assert sum(v is not None for v in a.values()) > 20
    for k in a:
        assert (a[k] is None) == (b[k] is None), k
        if a[k] is not None:
            assert b[k] == pytest.approx(a[k], rel=1e-12, abs=1e-12), k


@pytest.mark.parametrize("name", ["int", "csv"])
def test_duckdb_bootstrap_intervals_equal_the_memory_engines_for_the_same_seed(
    files, name, monkeypatch
) -> None:
    base = _cis(files[name], "memory")
    assert_same_cis(base, _cis(files[name], "duckdb"))
    monkeypatch.setattr(engine_duckdb, "DEFAULT_BUDGET", 0)  # streamed, then the sorted records
    assert_same_cis(base, _cis(files[name], "duckdb"))
    other = _cis(files[name], "memory") | {}
    assert other == base  # same seed, same intervals; ties broken by file order in both engines


@needs_spark
def test_spark_bootstrap_intervals_equal_the_memory_engines_for_the_same_seed(files, spark) -> None:
    """Spark hands the same cleaned records in the same order, so the replicates are the same draws."""
    from gongfu.distribution import engine_spark
    from gongfu.distribution.bootstrap import bootstrap_ci

    path = files["int"]
    mem = engine_memory.prepare(engine_memory.read_frame(path, COLS), COLS, STRICT, CFG, str(path))
    spk = engine_spark.sorted_records(path, COLS, STRICT, CFG, spark=spark)
    for name in ("y", "pw", "strata"):
        np.testing.assert_array_equal(getattr(spk, name), getattr(mem, name))
    np.testing.assert_array_equal(spk.sorted_("hw"), mem.sorted_("hw"))
    np.testing.assert_array_equal(spk.sorted_("flags"), mem.sorted_("flags"))
    assert {c: (n, list(k)) for c, (n, k) in spk.groups.items()} == {
        c: (n, list(k)) for c, (n, k) in mem.groups.items()
    }

    def cis(prep):
        return bootstrap_ci(lambda c: finish(engine_memory.stats(prep, CFG, c), CFG), prep.n,
                            strata=prep.strata, replicates=8, seed=5)  # fmt: skip

    assert_same_cis({k: v[:2] for k, v in cis(mem).items()}, {k: v[:2] for k, v in cis(spk).items()})
