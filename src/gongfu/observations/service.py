"""Storing observations: all-or-nothing imports, revisions that supersede and keep history.

A figure is never overwritten. A new value for the same indicator, region and period is a new row; the row
it replaces points to it (`superseded_by`). Vintages rank estimate < preliminary < final < revised, so a late
preliminary figure does not displace a final one: it is kept in the history, already superseded.

A file is imported once: a file whose SHA-256 an earlier import already has changes nothing (re-importing an
old file must not undo the corrections imported after it); the summary names the earlier import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongfu import clock, progress
from gongfu.errors import NotFound
from gongfu.model import ObservationDraft
from gongfu.store.db import Database, open_db
from gongfu.store.tables import ImportRow, ObservationRow

VINTAGE_RANK = {"estimate": 0, "preliminary": 1, "": 2, "final": 3, "revised": 4}


@dataclass
class ImportSummary:
    import_id: int | None
    source: str
    added: int = 0  # new figures (no earlier value)
    revised: int = 0  # figures that superseded an earlier value
    unchanged: int = 0  # the same value was already stored
    kept_as_history: int = 0  # an older vintage arriving late: stored, already superseded
    already_imported_as: int | None = None  # the same file (SHA-256) was imported before, by this import

    @property
    def rows(self) -> int:
        return self.added + self.revised + self.unchanged + self.kept_as_history


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def store_drafts(
    db: Database,
    drafts: list[ObservationDraft],
    *,
    source: str,
    sha256: str = "",
    kind: str = "file",
    by: str = "",
) -> ImportSummary:
    """Store drafts in one transaction; any failure stores nothing.

    A file (`kind="file"` with its `sha256`) already imported stores nothing at all: every draft counts as
    unchanged and `already_imported_as` names the earlier import."""
    summary = ImportSummary(None, source)
    now = clock.utcnow()
    ordered = sorted(drafts, key=lambda d: VINTAGE_RANK.get(d.vintage, 2))
    from gongfu.evaluation import materialise

    with db.session() as s:
        stamp_before, _ = materialise.input_stamp(s)
        if sha256 and kind == "file":
            earlier = s.scalar(
                select(ImportRow.id)
                .where(ImportRow.sha256 == sha256, ImportRow.kind == "file")
                .order_by(ImportRow.id)
                .limit(1)
            )
            if earlier is not None:
                summary.already_imported_as = earlier
                summary.unchanged = len(drafts)
                return summary
        imp = ImportRow(source=source, sha256=sha256, kind=kind, rows=len(drafts), imported_by=by)
        s.add(imp)
        s.flush()
        summary.import_id = imp.id
        new_rows, links, old_values, new_values = _plan_rows(s, ordered, summary)
        ids = _insert_rows(s, new_rows, imp.id, by, now, want_ids=bool(links))
        if links:  # (superseded, superseding), each an existing id or ("new", position in new_rows)
            ref = lambda r: ids[r[1]] if isinstance(r, tuple) else r  # noqa: E731
            s.execute(
                update(ObservationRow),
                [{"id": ref(old), "superseded_by": ref(new), "superseded_at": now} for old, new in links],
            )
        if summary.rows == summary.unchanged:
            imp.rows = 0
        else:
            _audit(s, summary, drafts, by, kind, old_values, new_values)
            # the stored evaluation of the regions touched, in this same transaction
            materialise.refresh(s, {d.region for d in drafts}, stamp_before)
    return summary


def _audit(
    s: Session,
    summary: ImportSummary,
    drafts: list[ObservationDraft],
    by: str,
    kind: str,
    old_values: dict[str, float],
    new_values: dict[str, float],
) -> None:
    """The import as one audit event, in the import's own transaction: counts, regions, revised values."""
    from gongfu.access import audit
    from gongfu.regions import load

    regions = sorted({d.region for d in drafts})
    counts = {"added": summary.added, "revised": summary.revised, "unchanged": summary.unchanged,
              "kept_as_history": summary.kept_as_history}  # fmt: skip
    audit.record(
        s, by or "unknown", "observations.import" if kind == "file" else "observations.compute", "import",
        summary.import_id, region=load().common_ancestor(regions) if regions else None, regions=regions,
        old=old_values or None, new={"source": summary.source, **counts, "regions": regions, "values": new_values},
    )  # fmt: skip


def _plan_rows(
    s: Session, ordered: list[ObservationDraft], summary: ImportSummary
) -> tuple[list[ObservationDraft], list[tuple], dict[str, float], dict[str, float]]:
    """Decide, draft by draft, what each becomes (new, revision, late history, unchanged) without writing:
    the drafts to insert, the supersede links between rows, and the revised values for the audit.

    A key's current row is (id, value, vintage) when stored, or the position of its draft in the rows to
    insert (a plain int: no tuple per row of a million-row file)."""
    current: dict[tuple, tuple | int] = _current_rows(s, ordered)
    new_rows: list[ObservationDraft] = []
    links: list[tuple] = []
    old_values: dict[str, float] = {}
    new_values: dict[str, float] = {}
    for d in ordered:
        key = (d.indicator, d.region, d.year, d.period)
        found = current.get(key)
        cur = found if not isinstance(found, int) else (("new", found), new_rows[found].value,
                                                        new_rows[found].vintage)  # fmt: skip
        if cur is not None and _same(cur[1], d.value) and cur[2] == d.vintage:
            summary.unchanged += 1
            continue
        me = len(new_rows)
        new_rows.append(d)
        if cur is None:
            summary.added += 1
            current[key] = me
        elif VINTAGE_RANK.get(d.vintage, 2) < VINTAGE_RANK.get(cur[2], 2):
            links.append((("new", me), cur[0]))
            summary.kept_as_history += 1
        else:
            label = f"{d.indicator}|{d.region}|{d.year}{d.period}"
            old_values[label], new_values[label] = cur[1], d.value
            links.append((cur[0], ("new", me)))
            current[key] = me
            summary.revised += 1
    return new_rows, links, old_values, new_values


# Rows per executemany call: bounded memory for the driver's batches (psycopg pipelines them, sqlite3
# loops in C).
INSERT_BATCH = 10_000


def _insert_rows(s: Session, drafts: list[ObservationDraft], import_id: int, by: str, now: datetime, *,
                 want_ids: bool) -> list[int]:  # fmt: skip
    """Insert in bulk (executemany, no per-row round trip), in order, one batch of row dicts at a time;
    with `want_ids` the new ids in the same order, read back by import (ids grow in insertion order within
    the import's transaction)."""
    if not drafts:
        return []
    conn = s.connection()
    table = ObservationRow.__table__
    for start in range(0, len(drafts), INSERT_BATCH):
        batch = [_row(d, import_id, by, now) for d in drafts[start : start + INSERT_BATCH]]
        conn.execute(table.insert(), batch)
        progress.report("storing", start + len(batch), len(drafts))
    if not want_ids:
        return []
    q = select(ObservationRow.id).where(ObservationRow.import_id == import_id).order_by(ObservationRow.id)
    return list(s.scalars(q))


def _current_rows(s: Session, drafts: list[ObservationDraft]) -> dict[tuple, tuple]:
    """(id, value, vintage) of the current row of every key the drafts touch, one query per indicator."""
    out: dict[tuple, tuple] = {}
    regions_by_indicator: dict[str, set[str]] = {}
    for d in drafts:
        regions_by_indicator.setdefault(d.indicator, set()).add(d.region)
    o = ObservationRow
    for indicator, regions in regions_by_indicator.items():
        q = select(o.id, o.indicator_code, o.region_code, o.year, o.period, o.value, o.vintage).where(
            o.indicator_code == indicator, o.region_code.in_(sorted(regions)), o.superseded_by.is_(None)
        )
        for r in s.execute(q):
            out[(r.indicator_code, r.region_code, r.year, r.period)] = (r.id, r.value, r.vintage)
    return out


def _row(d: ObservationDraft, import_id: int, by: str, now: datetime) -> dict:
    return {
        "import_id": import_id,
        "indicator_code": d.indicator,
        "region_code": d.region,
        "year": d.year,
        "period": d.period,
        "value": d.value,
        "unit": d.unit,
        "original_value": d.original_value,
        "original_unit": d.original_unit,
        "vintage": d.vintage,
        "note": d.note,
        "source": d.source,
        "source_row": d.source_row,
        "source_text": d.source_text,
        "source_url": d.source_url,
        "imported_by": by,
        "imported_at": now,
        "superseded_by": None,
        "superseded_at": None,
    }


def save_drafts(
    db_url: str | None, drafts: list[ObservationDraft], *, source_label: str, by: str = ""
) -> int:
    """Store computed figures (e.g. distribution measures); returns how many rows changed."""
    s = store_drafts(open_db(db_url), drafts, source=source_label, kind="computation", by=by)
    return s.added + s.revised


def import_file(db: Database, path: Path, *, mapping: Path | None = None, by: str = "") -> ImportSummary:
    """Read, validate and store an observation file; a file with any problem stores nothing."""
    from gongfu.observations.reader import read_observations

    drafts = read_observations(path, mapping=mapping)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return store_drafts(db, drafts, source=path.name, sha256=sha, by=by)


def indicator_code(name_or_code: str) -> str:
    """The catalog code for an indicator given by code, name or alias (地区生产总值, GDP, gdp)."""
    from gongfu.catalog.catalog import load_catalog

    found = load_catalog().lookup(name_or_code)
    if found is None:
        raise NotFound(f"指标库中没有“{name_or_code}”（可用指标代码、名称或别名，见 gongfu catalog）")
    return found.code


def current_series(db: Database, indicator: str, region: str) -> list[ObservationRow]:
    """The current (not superseded) annual figures, oldest first."""
    with db.session() as s:
        q = select(ObservationRow).where(
            ObservationRow.indicator_code == indicator,
            ObservationRow.region_code == region,
            ObservationRow.period == "",
            ObservationRow.superseded_by.is_(None),
        )
        return list(s.scalars(q.order_by(ObservationRow.year)))


def history(db: Database, *, indicator: str | None = None, region: str | None = None) -> list[ObservationRow]:
    """Every stored figure, current and superseded, for the filters given."""
    with db.session() as s:
        q = select(ObservationRow)
        if indicator:
            q = q.where(ObservationRow.indicator_code == indicator)
        if region:
            q = q.where(ObservationRow.region_code == region)
        return list(
            s.scalars(
                q.order_by(
                    ObservationRow.indicator_code,
                    ObservationRow.region_code,
                    ObservationRow.year,
                    ObservationRow.id,
                )
            )
        )


def observation_json(o: ObservationRow) -> dict:
    """A stored figure with its provenance: the one JSON shape of an observation (API, dashboard, reports)."""
    return {
        "id": o.id,
        "indicator_code": o.indicator_code,
        "region_code": o.region_code,
        "year": o.year,
        "period": o.period,
        "value": o.value,
        "unit": o.unit,
        "original_value": o.original_value,
        "original_unit": o.original_unit,
        "vintage": o.vintage,
        "note": o.note,
        "source": o.source,
        "source_row": o.source_row,
        "source_text": o.source_text,
        "source_url": o.source_url,
        "import_id": o.import_id,
        "imported_at": o.imported_at.isoformat() if o.imported_at else None,
        "imported_by": o.imported_by,
        "superseded_by": o.superseded_by,
    }
