"""One clock in China Standard Time and one settings object read from GONGFU_ variables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gongfu import clock, fmt
from gongfu.errors import InputError

# 23:30 UTC on 1 December is 07:30 on 2 December in Beijing.
BEFORE_EIGHT = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)


def test_today_is_the_beijing_date_before_eight_in_the_morning() -> None:
    with clock.frozen(BEFORE_EIGHT):
        assert clock.today() == date(2026, 12, 2)
        assert clock.now().utcoffset().total_seconds() == 8 * 3600


def test_the_work_system_dates_by_the_beijing_day() -> None:
    from gongfu.work.query import today

    with clock.frozen(BEFORE_EIGHT):
        assert today() == date(2026, 12, 2)


def test_a_report_made_at_seven_thirty_is_dated_today(tmp_path) -> None:
    from gongfu.plans.service import ingest
    from gongfu.reports import build_report
    from gongfu.store.db import open_db

    db = open_db(f"sqlite:///{tmp_path / 'r.db'}")
    ingest(db, [Path(__file__).parent / "data/plans/jiaxing-2021-common-prosperity-action-plan.txt"])
    with clock.frozen(BEFORE_EIGHT):
        data = build_report(db, "330400", 2024)
    assert data.generated_on == "2026-12-02"
    assert fmt.date_zh(data.generated_on) == "2026年12月2日"
    db.engine.dispose()


def test_times_are_shown_in_beijing_time_with_the_zone() -> None:
    assert fmt.datetime_zh(BEFORE_EIGHT) == "2026年12月2日 07:30（北京时间）"
    assert fmt.datetime_zh("2026-12-01T23:30:00") == "2026年12月2日 07:30（北京时间）"  # stored naive UTC


def test_years_and_dates_format() -> None:
    assert fmt.year(2020) == "2020" and fmt.year(2020.0) == "2020"
    assert fmt.date_zh(date(2026, 12, 1)) == "2026年12月1日"
    assert fmt.num(9000) == "9,000.0" and fmt.pct(0.5837) == "58.4%"
    assert fmt.target_text("==", 5, unit="%") == "=5.00 %"
    assert fmt.target_text("range", 60, 70, "%", 2025) == "60.00–70.00 %（2025年）"
    assert fmt.target_text("increase", 5, unit="%") == "年均增长5.00 %"


def test_settings_read_the_gongfu_variables(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from gongfu.settings import settings
    from gongfu.store.db import resolve_url

    monkeypatch.setenv("GONGFU_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("GONGFU_CLI_REGION", "330400")
    monkeypatch.setenv("GONGFU_ZIP_MAX_ENTRIES", "12")
    s = settings()
    assert (s.cli_region, s.zip_max_entries) == ("330400", 12)
    assert resolve_url() == "postgresql+psycopg://u@h/db"


def test_cli_region_has_no_built_in_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongfu.cli.acting import default_region

    monkeypatch.delenv("GONGFU_CLI_REGION", raising=False)
    with pytest.raises(InputError, match="GONGFU_CLI_REGION"):
        default_region()
    monkeypatch.setenv("GONGFU_CLI_REGION", "330100")
    assert default_region() == "330100"


def test_the_postgresql_pool_is_sized_by_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongfu.store.db import _make_engine

    monkeypatch.setenv("GONGFU_DB_POOL_SIZE", "7")
    monkeypatch.setenv("GONGFU_DB_POOL_OVERFLOW", "3")
    engine = _make_engine("postgresql+psycopg://u@127.0.0.1:1/none")  # no connection is opened
    assert (engine.pool.size(), engine.pool._max_overflow) == (7, 3)
    monkeypatch.delenv("GONGFU_DB_POOL_SIZE")
    assert _make_engine("postgresql+psycopg://u@127.0.0.1:1/none").pool.size() == 20
