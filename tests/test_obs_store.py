"""Observations in the store: revisions supersede and keep history; a failing import stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gongfu.model import ObservationDraft
from gongfu.observations.service import current_series, history, store_drafts
from gongfu.store.tables import ImportRow, ObservationRow


def gdp(value: float, year: int = 2020, vintage: str = "", row: int = 2) -> ObservationDraft:
    # 嘉兴 2020 GDP: 5509.52 亿元 preliminary, 5563.58 亿元 final (the real sample figures)
    return ObservationDraft(
        indicator="gdp",
        region="330400",
        year=year,
        value=value,
        unit="亿元",
        source="sample.csv",
        source_row=row,
        vintage=vintage,
    )


def test_final_figure_supersedes_preliminary_and_history_keeps_both(db) -> None:
    store_drafts(db, [gdp(5509.52, vintage="preliminary")], source="a.csv")
    summary = store_drafts(db, [gdp(5563.58, vintage="final")], source="b.csv")
    assert (summary.added, summary.revised) == (0, 1)
    series = current_series(db, "gdp", "330400")
    assert [r.value for r in series] == [5563.58]
    rows = history(db, indicator="gdp", region="330400")
    assert len(rows) == 2
    old = next(r for r in rows if r.vintage == "preliminary")
    assert old.superseded_by == series[0].id and old.superseded_at is not None


def test_late_preliminary_does_not_displace_final(db) -> None:
    store_drafts(db, [gdp(5563.58, vintage="final")], source="b.csv")
    summary = store_drafts(db, [gdp(5509.52, vintage="preliminary")], source="a.csv")
    assert summary.kept_as_history == 1
    assert [r.value for r in current_series(db, "gdp", "330400")] == [5563.58]


def test_both_vintages_in_one_import_end_with_the_final_current(db) -> None:
    store_drafts(
        db,
        [gdp(5563.58, vintage="final", row=3), gdp(5509.52, vintage="preliminary", row=2)],
        source="both.csv",
    )
    assert [r.value for r in current_series(db, "gdp", "330400")] == [5563.58]


def test_reimport_of_the_same_figures_changes_nothing(db) -> None:
    store_drafts(db, [gdp(5563.58), gdp(6388.38, 2021)], source="a.csv")
    summary = store_drafts(db, [gdp(5563.58), gdp(6388.38, 2021)], source="a.csv")
    assert (summary.added, summary.revised, summary.unchanged) == (0, 0, 2)
    assert len(history(db, indicator="gdp")) == 2


def test_failing_import_stores_nothing_and_keeps_what_was_there(db) -> None:
    store_drafts(db, [gdp(5563.58)], source="good.csv")
    bad = gdp(6388.38, 2021)
    bad.value = None  # type: ignore[assignment]  # the database refuses a missing value
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        store_drafts(db, [gdp(5600.0), bad], source="bad.csv")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ObservationRow)) == 1
        assert s.scalar(select(func.count()).select_from(ImportRow)) == 1
    assert [r.value for r in current_series(db, "gdp", "330400")] == [5563.58]


def test_reimporting_an_old_file_does_not_undo_a_correction(db, tmp_path) -> None:
    from gongfu.observations.service import import_file

    header = "region_code,indicator,value,unit,year\n"
    old = tmp_path / "old.csv"
    old.write_text(header + "330400,地区生产总值,5509.52,亿元,2020\n", encoding="utf-8")
    rev = tmp_path / "rev.csv"
    rev.write_text(header + "330400,地区生产总值,5563.58,亿元,2020\n", encoding="utf-8")
    first = import_file(db, old)
    assert import_file(db, rev).revised == 1
    again = import_file(db, old)
    assert again.already_imported_as == first.import_id
    assert (again.added, again.revised, again.unchanged, again.import_id) == (0, 0, 1, None)
    assert [r.value for r in current_series(db, "gdp", "330400")] == [5563.58]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportRow)) == 2


def test_every_import_that_writes_is_one_audit_event_with_old_and_new(db) -> None:
    from gongfu.access.audit import list_events

    store_drafts(db, [gdp(5509.52, vintage="preliminary")], source="a.csv", by="cli:analyst")
    store_drafts(db, [gdp(5563.58, vintage="final")], source="b.csv", by="cli:analyst")
    store_drafts(db, [gdp(5563.58, vintage="final")], source="b2.csv", by="cli:analyst")  # nothing new
    events = list_events(db, action="observations.import")
    assert len(events) == 2
    latest = events[0]
    assert latest.actor == "cli:analyst" and latest.region_code == "330400"
    assert latest.old == {"gdp|330400|2020": 5509.52} and latest.new["values"] == {"gdp|330400|2020": 5563.58}
