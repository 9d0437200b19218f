"""Reading labelled and unlabelled message files (CSV or XLSX) into texts, labels and row keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gongfu.errors import InputError

TEXT_COLUMNS = (
    "subject",
    "body",
    "text",
    "title",
    "description",
    "content",
    "留言主题",
    "留言详情",
    "诉求内容",
)
SUBJECT_COLUMNS = ("subject", "title", "留言主题", "标题")
BODY_COLUMNS = ("body", "text", "description", "content", "留言详情", "诉求内容", "内容")
KEY_COLUMNS = ("row_index", "id")


@dataclass
class LabelledSet:
    """Messages as (subject, body) pairs with their labels and the key each row is reported under."""

    subjects: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    keys: list[tuple[str, str]] = field(default_factory=list)  # ("row_index", "17") or ("id", "24")

    def __len__(self) -> int:
        return len(self.subjects)

    def groups(self) -> list[str]:
        """A group per distinct message body (subject when no body): reposts must not straddle a split."""
        return [b if b else s for s, b in zip(self.subjects, self.bodies, strict=True)]

    def subset(self, idx: list[int] | range) -> LabelledSet:
        return LabelledSet(
            [self.subjects[i] for i in idx],
            [self.bodies[i] for i in idx],
            [self.labels[i] for i in idx] if self.labels else [],
            [self.keys[i] for i in idx],
        )


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file (any encoding, via the one table reader) keyed by header."""
    from gongfu.tabular import read_table

    table = read_table(Path(path))
    return [
        {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(table.header)}
        for _, cells in table.rows
    ]


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def _read(path: Path, label_col: str | None) -> LabelledSet:
    rows = _rows(path)
    columns = list(rows[0].keys()) if rows else []
    subject_col, body_col = _pick(columns, SUBJECT_COLUMNS), _pick(columns, BODY_COLUMNS)
    if subject_col is None and body_col is None:
        raise InputError(f"no text column; expected one of {', '.join(TEXT_COLUMNS)}", file=str(path))
    if label_col is not None and label_col not in columns:
        raise InputError(f"no label column {label_col!r} (columns: {', '.join(columns)})", file=str(path))
    key_col = _pick(columns, KEY_COLUMNS)
    out = LabelledSet()
    for i, r in enumerate(rows):
        subject = (r.get(subject_col) or "").strip() if subject_col else ""
        body = (r.get(body_col) or "").strip() if body_col else ""
        out.subjects.append(subject)
        out.bodies.append(body)
        key = (
            (key_col, (r.get(key_col) or "").strip()) if key_col and r.get(key_col) else ("row_index", str(i))
        )
        out.keys.append(key)
        if label_col is not None:
            label = (r.get(label_col) or "").strip()
            if not label:
                raise InputError("empty label", file=str(path), row=i + 2)
            out.labels.append(label)
    return out


def read_labelled(path: Path, label_col: str = "label") -> LabelledSet:
    """A labelled file: text columns (subject/body, or text) and a label column."""
    data = _read(path, label_col)
    if len(set(data.labels)) < 2:
        raise InputError("a labelled set needs at least two categories", file=str(path))
    return data


def read_unlabelled(path: Path) -> LabelledSet:
    """Messages to classify; rows are reported by `row_index` or `id` when the file has one."""
    return _read(path, None)
