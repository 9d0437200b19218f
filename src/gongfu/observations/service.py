"""Storing observations: all-or-nothing imports, revisions that supersede and keep history.

A figure is never overwritten. A new value for the same indicator, region and period is a new row; the row
it replaces points to it (`superseded_by`). Vintages rank estimate < preliminary < final < revised, so a late
preliminary figure does not displace a final one: it is kept in the history, already superseded.

A file is imported once: a file whose SHA-256 an earlier import already has changes nothing (re-importing an
old file must not undo the corrections imported after it); the summary names the earlier import.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gongfu import clock, progress
from gongfu.errors import InputError, NotFound, Problem, ValidationFailed
from gongfu.model import ObservationDraft
from gongfu.observations.validate import DRAFT_FIELDS, draft_tuple
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


# The drafts of one import, staged in a temporary table of the import's own transaction (gone with it): the
# store then works set-wise — duplicates found by GROUP BY, new figures copied by one INSERT … SELECT — and
# holds in memory only a chunk at a time, whatever the file's size.
_STAGE = "observations_stage"
_FIELDS = DRAFT_FIELDS
_STAGE_COLS = ("seq", "vrank", "okey", "dkey", *_FIELDS)
_STAGE_DDL = (
    f"CREATE TEMPORARY TABLE {_STAGE} (seq INTEGER NOT NULL, vrank INTEGER NOT NULL, okey TEXT NOT NULL,"
    " dkey TEXT NOT NULL, indicator_code TEXT NOT NULL, region_code TEXT NOT NULL, year INTEGER NOT NULL,"
    " period TEXT NOT NULL, value FLOAT NOT NULL, unit TEXT NOT NULL, original_value FLOAT, original_unit TEXT"
    " NOT NULL, vintage TEXT NOT NULL, note TEXT NOT NULL, source TEXT NOT NULL, source_row INTEGER,"
    " source_text TEXT NOT NULL, source_url TEXT NOT NULL, path_b INTEGER NOT NULL DEFAULT 0)"
)
# Rows a time when the store reads staged rows back (revisions, keys given more than once).
PAGE = 20_000
_SAME_KEY = (
    "o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.year = s.year"
    " AND o.period = s.period AND o.superseded_by IS NULL"
)


def _stage_tuple(seq: int, t: tuple) -> tuple:
    """A `DRAFT_FIELDS` tuple as a staged row: its order, vintage rank, key, and key for duplicates."""
    key = f"{t[0]}\x1f{t[1]}\x1f{t[2]}\x1f{t[3]}"
    return (seq, VINTAGE_RANK.get(t[8], 2), key, f"{key}\x1f{t[8]}\x1f{t[9]}", *t)


class _Stage:
    """The temporary table on the session's connection: created empty, filled in bulk (COPY on PostgreSQL,
    executemany on SQLite), dropped at the end."""

    def __init__(self, s: Session) -> None:
        self.conn = s.connection()
        self.pg = self.conn.dialect.name == "postgresql"
        self.n = 0
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_STAGE}")
        self.conn.exec_driver_sql(_STAGE_DDL + (" ON COMMIT DROP" if self.pg else ""))

    def add(self, drafts: list[tuple]) -> None:
        rows = [_stage_tuple(seq, t) for seq, t in enumerate(drafts, start=self.n)]
        self.n += len(rows)
        if not rows:
            return
        cols = ", ".join(_STAGE_COLS)
        if self.pg:
            raw = self.conn.connection.driver_connection
            with raw.cursor() as cur, cur.copy(f"COPY {_STAGE} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join("?" * len(_STAGE_COLS))
            self.conn.exec_driver_sql(f"INSERT INTO {_STAGE} ({cols}) VALUES ({marks})", rows)

    def index(self) -> None:
        self.conn.exec_driver_sql(f"CREATE INDEX ix_{_STAGE}_okey ON {_STAGE} (okey, vrank, seq)")
        self.conn.exec_driver_sql(f"CREATE INDEX ix_{_STAGE}_dkey ON {_STAGE} (dkey, seq)")

    def drop(self) -> None:
        self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_STAGE}")

    def merge_duplicates(self) -> list[Problem]:
        """Rows stating the same figure twice are merged into the first (its note names both); rows stating
        different figures are problems — as `validate.merge_duplicates` does, over the whole file."""
        from gongfu.observations.validate import merge_duplicates

        q = text(
            f"SELECT seq, dkey, {', '.join(_FIELDS)} FROM {_STAGE} WHERE dkey IN"
            f" (SELECT dkey FROM {_STAGE} GROUP BY dkey HAVING count(*) > 1) ORDER BY dkey, seq"
        )
        problems: list[Problem] = []
        groups: dict[str, list] = {}
        for r in self.conn.execute(q):
            groups.setdefault(r.dkey, []).append(r)
        gone: list[int] = []
        for rows in groups.values():
            kept, found = merge_duplicates([_draft(r) for r in rows])
            problems += found
            gone += [r.seq for r in rows[1:]]
            if kept[0].note != rows[0].note:
                self.conn.execute(
                    text(f"UPDATE {_STAGE} SET note = :note WHERE seq = :seq"),
                    {"note": kept[0].note, "seq": rows[0].seq},
                )
        for start in range(0, len(gone), PAGE):
            self.conn.execute(
                text(f"DELETE FROM {_STAGE} WHERE seq IN :seqs").bindparams(
                    bindparam("seqs", expanding=True)
                ),
                {"seqs": gone[start : start + PAGE]},
            )
        self.n -= len(gone)
        return problems

    def regions(self) -> list[str]:
        return sorted(self.conn.scalars(text(f"SELECT DISTINCT region_code FROM {_STAGE}")))


def _draft(r) -> ObservationDraft:
    return ObservationDraft(
        indicator=r.indicator_code, region=r.region_code, year=r.year, value=r.value, unit=r.unit,
        source=r.source, source_row=r.source_row, source_text=r.source_text, period=r.period,
        original_value=r.original_value, original_unit=r.original_unit, source_url=r.source_url,
        vintage=r.vintage, note=r.note,
    )  # fmt: skip


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
    unchanged and `already_imported_as` names the earlier import. Drafts with the same key are taken in
    vintage order, then in the order given (a later one revises an earlier one)."""
    return store_chunks(
        db,
        [([draft_tuple(d) for d in drafts], [])],
        source=source,
        sha256=sha256,
        kind=kind,
        by=by,
        merge=False,
    )


def store_chunks(
    db: Database,
    chunks: Iterable[tuple[list[tuple], list[Problem]]],
    *,
    source: str,
    sha256: str = "",
    kind: str = "file",
    by: str = "",
    merge: bool = True,
) -> ImportSummary:
    """Store a file's drafts (`validate.DRAFT_FIELDS` tuples), given chunk by chunk with the problems found
    in each, in one transaction.
    Any problem (or, with `merge`, two rows stating different figures for one key) raises ValidationFailed
    listing all of them, and nothing is stored.

    Set-wise: the drafts are staged in bulk; a figure whose key has no current value and appears once is
    copied by one INSERT … SELECT; the rest (revisions, late vintages, keys given twice) are decided key by
    key in pages of staged rows, in vintage order then file order."""
    summary = ImportSummary(None, source)
    now = clock.utcnow()
    from gongfu.evaluation import materialise

    with db.session() as s:
        stamp_before, _ = materialise.input_stamp(s)
        stage = _Stage(s)
        try:
            problems: list[Problem] = []
            for drafts, found in chunks:
                problems += found
                stage.add(drafts)
            stage.index()
            if merge:
                problems += stage.merge_duplicates()
            if problems:
                raise ValidationFailed(source, sorted(problems, key=lambda p: (p.row or 0, p.code)))
            progress.report("storing", 0, stage.n)
            if sha256 and kind == "file":
                earlier = s.scalar(
                    select(ImportRow.id)
                    .where(ImportRow.sha256 == sha256, ImportRow.kind == "file")
                    .order_by(ImportRow.id)
                    .limit(1)
                )
                if earlier is not None:
                    summary.already_imported_as = earlier
                    summary.unchanged = stage.n  # nothing is written but the stage
                    return summary
            imp = ImportRow(source=source, sha256=sha256, kind=kind, rows=stage.n, imported_by=by)
            s.add(imp)
            s.flush()
            summary.import_id = imp.id
            old_values, new_values = _store_staged(stage.conn, imp.id, by, now, summary)
            progress.report("storing", stage.n, stage.n)
            if summary.rows == summary.unchanged:
                imp.rows = 0
            else:
                regions = stage.regions()
                _audit(s, summary, regions, by, kind, old_values, new_values)
                # the stored evaluation of the regions touched, in this same transaction
                materialise.refresh(s, regions, stamp_before)
        finally:
            if not stage.pg:  # PostgreSQL drops it with the transaction (ON COMMIT DROP, or the rollback)
                with contextlib.suppress(SQLAlchemyError):  # a broken connection: the error below says why
                    stage.drop()
    return summary


def _store_staged(
    conn, import_id: int, by: str, now: datetime, summary: ImportSummary
) -> tuple[dict[str, float], dict[str, float]]:
    """Write the staged drafts; returns the revised values (old, new) for the audit."""
    obs = ObservationRow.__table__
    # Keys given more than once, or with a current figure, are decided key by key; the rest are new figures.
    conn.execute(
        text(
            f"UPDATE {_STAGE} SET path_b = 1 WHERE okey IN (SELECT okey FROM {_STAGE} GROUP BY okey"
            f" HAVING count(*) > 1) OR EXISTS (SELECT 1 FROM observations o WHERE"
            f" {_SAME_KEY.replace('s.', _STAGE + '.')})"
        )
    )
    consts = [
        bindparam("imp", import_id),
        bindparam("by", by),
        bindparam("now", now, type_=obs.c.imported_at.type),
    ]
    cols = ", ".join(_FIELDS)
    added = conn.execute(
        text(
            f"INSERT INTO observations (import_id, imported_by, imported_at, {cols})"
            f" SELECT :imp, :by, :now, {cols} FROM {_STAGE} WHERE path_b = 0 ORDER BY seq"
        ).bindparams(*consts)
    ).rowcount
    summary.added += added
    old_values: dict[str, float] = {}
    new_values: dict[str, float] = {}
    after = ""
    while True:
        page = conn.execute(
            text(
                f"SELECT s.okey, {', '.join('s.' + c for c in _FIELDS)}, o.id AS cur_id, o.value AS cur_value,"
                f" o.vintage AS cur_vintage FROM {_STAGE} s LEFT JOIN observations o ON {_SAME_KEY}"
                f" AND o.import_id <> :imp WHERE s.path_b = 1 AND s.okey > :after"
                f" ORDER BY s.okey, s.vrank, s.seq LIMIT {PAGE}"
            ),
            {"imp": import_id, "after": after},
        ).all()
        if not page:
            break
        if len(page) == PAGE:
            last = page[-1].okey
            if page[0].okey == last:  # one key with a page of rows or more: that key whole
                page = conn.execute(
                    text(
                        f"SELECT s.okey, {', '.join('s.' + c for c in _FIELDS)}, o.id AS cur_id, o.value AS"
                        f" cur_value, o.vintage AS cur_vintage FROM {_STAGE} s LEFT JOIN observations o ON"
                        f" {_SAME_KEY} AND o.import_id <> :imp WHERE s.path_b = 1 AND s.okey = :key"
                        f" ORDER BY s.vrank, s.seq"
                    ),
                    {"imp": import_id, "key": last},
                ).all()
            else:  # the last key may go on in the next page
                page = [r for r in page if r.okey != last]
        after = page[-1].okey
        _store_page(conn, obs, page, import_id, by, now, summary, old_values, new_values)
    return old_values, new_values


def _store_page(conn, obs, page, import_id, by, now, summary, old_values, new_values) -> None:
    """Decide the staged rows of whole keys (vintage order, then file order) against each key's current
    figure: new, revision, late history or unchanged; insert the new rows and link the superseded ones."""
    new_rows: list[dict] = []
    links: list[tuple] = []  # (superseded, superseding), each an existing id or ("new", position)
    cur: tuple | None = None
    key = None
    for r in page:
        if r.okey != key:
            key = r.okey
            cur = (r.cur_id, r.cur_value, r.cur_vintage) if r.cur_id is not None else None
        if cur is not None and _same(cur[1], r.value) and cur[2] == r.vintage:
            summary.unchanged += 1
            continue
        me = ("new", len(new_rows))
        new_rows.append({**{c: getattr(r, c) for c in _FIELDS}, "import_id": import_id, "imported_by": by,
                         "imported_at": now, "superseded_by": None, "superseded_at": None})  # fmt: skip
        if cur is None:
            summary.added += 1
            cur = (me, r.value, r.vintage)
        elif VINTAGE_RANK.get(r.vintage, 2) < VINTAGE_RANK.get(cur[2], 2):
            links.append((me, cur[0]))
            summary.kept_as_history += 1
        else:
            label = f"{r.indicator_code}|{r.region_code}|{r.year}{r.period}"
            old_values[label], new_values[label] = cur[1], r.value
            links.append((cur[0], me))
            cur = (me, r.value, r.vintage)
            summary.revised += 1
    if not new_rows:
        return
    ids = list(
        conn.execute(obs.insert().returning(obs.c.id, sort_by_parameter_order=True), new_rows).scalars()
    )
    if links:
        ref = lambda x: ids[x[1]] if isinstance(x, tuple) else x  # noqa: E731
        conn.execute(
            update(obs)
            .where(obs.c.id == bindparam("old_id"))
            .values(superseded_by=bindparam("new_id"), superseded_at=bindparam("at")),
            [{"old_id": ref(old), "new_id": ref(new), "at": now} for old, new in links],
        )


def _audit(
    s: Session,
    summary: ImportSummary,
    regions: list[str],
    by: str,
    kind: str,
    old_values: dict[str, float],
    new_values: dict[str, float],
) -> None:
    """The import as one audit event, in the import's own transaction: counts, regions, revised values."""
    from gongfu.access import audit
    from gongfu.regions import load

    counts = {"added": summary.added, "revised": summary.revised, "unchanged": summary.unchanged,
              "kept_as_history": summary.kept_as_history}  # fmt: skip
    audit.record(
        s, by or "unknown", "observations.import" if kind == "file" else "observations.compute", "import",
        summary.import_id, region=load().common_ancestor(regions) if regions else None, regions=regions,
        old=old_values or None, new={"source": summary.source, **counts, "regions": regions, "values": new_values},
    )  # fmt: skip


def save_drafts(
    db_url: str | None, drafts: list[ObservationDraft], *, source_label: str, by: str = ""
) -> int:
    """Store computed figures (e.g. distribution measures); returns how many rows changed."""
    s = store_drafts(open_db(db_url), drafts, source=source_label, kind="computation", by=by)
    return s.added + s.revised


def import_file(
    db: Database,
    path: Path,
    *,
    mapping: Path | None = None,
    by: str = "",
) -> ImportSummary:
    """Read, validate and store an observation file, streamed in chunks (bounded memory); a file with any
    problem stores nothing. Progress goes to `gongfu.progress` listeners: "checking" with the rows read and
    validated so far, then "storing" once the file is read and the rows are being written."""
    from gongfu.observations.reader import stream_observations

    path = Path(path)
    if not path.is_file():
        raise InputError("文件不存在", file=str(path))
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(2**20):
            sha.update(block)
    chunks = stream_observations(path, mapping=mapping)
    return store_chunks(db, chunks, source=path.name, sha256=sha.hexdigest(), by=by)


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
