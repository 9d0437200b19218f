"""Read a plan document into an `ExtractedPlan`: the whole extraction pipeline, with no database.

reader → furniture → normalise → metadata → region guess → outline → document time model → targets →
tasks. `gongfu plan extract` runs this alone (no SQLAlchemy is imported on its way); `plans.service` stores
what it returns.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from gongfu.errors import InputError
from gongfu.model import ExtractedPlan
from gongfu.plans.doctime import document_time
from gongfu.plans.furniture import furniture_ranges
from gongfu.plans.metadata import read_meta
from gongfu.plans.outline import parse_outline
from gongfu.plans.readers import read_document
from gongfu.plans.region_guess import resolve_region
from gongfu.plans.targets import extract_targets
from gongfu.plans.tasks import extract_tasks
from gongfu.text import normalise, to_simplified

__all__ = ["read_plan", "sentence_of"]

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def read_plan(path: Path, *, region: str | None = None, judge=None) -> ExtractedPlan:
    """Read, normalise and extract one plan document. Pure apart from reading the file.

    Offsets in the result point into the original text (the file as decoded), in its own script. The
    region is a guess that never blocks (`region_guess`); what could not be settled is in `warnings`.
    `judge` decides past versus goal (`plans.extract.tense`; the shipped model when None).
    """
    doc = read_document(path)
    simple = to_simplified(doc.original)  # once: furniture and normalisation both read it
    norm = normalise(doc.original, drop=furniture_ranges(doc.original, simple), simplified=simple)
    if not norm.text.strip():
        raise InputError("no text found in the document", file=doc.file_name)
    meta = read_meta(doc.original, norm.text)
    guess = resolve_region(region, meta, norm.text)
    meta.region_code, meta.region_name = guess.code, guess.name or meta.region_name
    meta.title = " ".join(meta.title.split())  # titles broken over lines by a web page read as one line
    sections = parse_outline(norm.text)
    time = document_time(norm.text, meta, sections, head=simple[:1500])
    meta.period_start, meta.period_end = time.period
    meta.title = meta.title or Path(doc.file_name).stem  # a document without a title is named by its file
    # The readers write every table into the text as " | "-separated lines, so target tables (指标表) are
    # read there, with offsets like any sentence; `doc.tables` stays available to other consumers.
    targets = extract_targets(norm.text, sections=sections, time=time, judge=judge)
    tasks = extract_tasks(norm.text, sections, targets)

    def span(a: int, b: int) -> tuple[int, int]:
        return norm.span_to_original(a, b)

    sections = [
        dataclasses.replace(s, start=span(s.start, s.end)[0], end=span(s.start, s.end)[1]) for s in sections
    ]
    for t in targets:
        t.start, t.end = span(t.start, t.end)
    for k in tasks:
        k.start, k.end = span(k.start, k.end)
    return ExtractedPlan(
        file_name=doc.file_name,
        sha256=doc.sha256,
        original=doc.original,
        text=norm.text,
        script=norm.script,
        encoding=doc.encoding,
        meta=meta,
        sections=sections,
        targets=targets,
        tasks=tasks,
        warnings=guess.warnings,
        summary=f"{doc.file_name}: {time.describe()}  地区: {meta.region_code or '未定'}  "
        f"指标 {len(targets)} 个、任务 {len(tasks)} 项",
    )


def sentence_of(text: str, start: int, end: int) -> str:
    """The sentence (or table line) around [start, end) in `text`."""
    a = start
    while a > 0 and not _SENTENCE_END.match(text[a - 1]):
        a -= 1
        if start - a > 400:
            break
    m = _SENTENCE_END.search(text, end)
    b = m.end() if m and m.start() - end < 400 else min(len(text), end + 400)
    return text[a:b].strip()
