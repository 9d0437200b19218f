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


# ---- whole documents through the product pipeline (read_plan: no horizon, no region given) --------------

GENRES = ("action-plan", "party-congress", "work-report", "news", "outline")


def genre_of(stem: str) -> str:
    """The genre of a labelled document, for per-genre and leave-one-genre-out figures (by file name)."""
    if "news" in stem:
        return "news"
    if "party-congress" in stem:
        return "party-congress"
    if "main-indicators" in stem or stem == "national-2021-government-work-report-14th-fyp":
        return "outline"
    if "government-work-report" in stem:
        return "work-report"
    return "action-plan"


def labelled_documents() -> list[tuple[str, Path, Path]]:
    """(stem, text file, gold file) of every labelled document present: the four samples, the unseen
    passages and the independently labelled corpus (tests/data/corpus, when present)."""
    out = [(g.stem, DATA / "plans" / f"{g.stem}.txt", g) for g in sorted((DATA / "gold").glob("*.jsonl"))]
    for folder in (DATA / "unseen", DATA / "corpus"):
        out += [(g.stem, g.with_suffix(".txt"), g) for g in sorted(folder.glob("*.jsonl"))]
    return [d for d in out if d[1].exists()]


def predict_file(path: Path, **options) -> list[dict]:
    """Targets of a document file as the product reads it (`read_plan`), in the scorer's format."""
    from gongfu.plans.service import read_plan

    return [t.to_json() for t in read_plan(path, **options).targets]


def score_documents(docs=None, **options) -> dict[str, dict]:
    """Scorer results per document, each with its genre and its number of strict hits."""
    sc = scorer()
    out = {}
    for stem, text_path, gold_path in docs or labelled_documents():
        text = text_path.read_text(encoding="utf-8")
        r = sc.score(text, sc.load_jsonl(str(gold_path)), predict_file(text_path, **options))
        r["strict_hits"] = round(r["strict_f1"] * (r["gold"] + r["pred"]) / 2)
        r["genre"] = genre_of(stem)
        out[stem] = r
    return out


def pooled(rows) -> tuple[float, float, int, int]:
    """(strict F1, detection F1, gold, predictions) pooled over scorer results."""
    rows = list(rows)
    gold = sum(r["gold"] for r in rows)
    pred = sum(r["pred"] for r in rows)

    def f1(hits: int) -> float:
        p, r = (hits / pred if pred else 0.0), (hits / gold if gold else 0.0)
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    return f1(sum(r["strict_hits"] for r in rows)), f1(sum(r["matched"] for r in rows)), gold, pred
