"""Score the target extractor on every labelled document, per document, per genre, and leave-one-genre-out.

Each document goes through the whole product pipeline (`read_plan`: reader → furniture → normalise →
metadata → document time model → outline → targets) with no hint from the caller (no horizon, no region),
then is scored by the project's scorer (tests/data/score_targets.py, strict and detection F1).

Documents: tests/data/plans + tests/data/gold (the four labelled samples), tests/data/unseen (older passages)
and tests/data/corpus (provincial work reports labelled independently, when present).

Leave-one-genre-out: the extractor's only learned component is the clause classifier (past record vs goal,
`gongfu.plans.extract.pastgoal`); for each genre it is retrained without that genre's documents and the genre
is scored with that model. The rules were written while looking at the action plans, the party-congress
sample, the unseen passages and the work-report genre as described in GUIDELINES.md; they are therefore
*not* independent of any genre, and the leave-one-genre-out figure measures the learned part only.

Usage: python benchmarks/score_corpus.py [--misses] [--no-logo]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def scorer():
    spec = importlib.util.spec_from_file_location("score_targets", DATA / "score_targets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def genre_of(stem: str) -> str:
    """The genre a labelled document belongs to, for the per-genre table (by its file name)."""
    if "news" in stem:
        return "news"
    if "party-congress" in stem:
        return "party-congress"
    if "14th-fyp" in stem and "government-work-report" in stem and "targets" not in stem:
        return "outline"
    if "main-indicators" in stem:
        return "outline"
    if "government-work-report" in stem:
        return "work-report"
    return "action-plan"


def documents() -> list[tuple[str, Path, Path]]:
    """(stem, text file, gold file) of every labelled document present."""
    out = []
    for gold in sorted((DATA / "gold").glob("*.jsonl")):
        out.append((gold.stem, DATA / "plans" / f"{gold.stem}.txt", gold))
    for folder in (DATA / "unseen", DATA / "corpus"):
        for gold in sorted(folder.glob("*.jsonl")):
            text = gold.with_suffix(".txt")
            if text.exists():
                out.append((gold.stem, text, gold))
    return out


def predictions(path: Path, model=None) -> list[dict]:
    from gongfu.plans.service import read_plan

    plan = read_plan(path)
    return [t.to_json() for t in plan.targets]


def pooled(rows: list[dict]) -> tuple[float, float, int, int]:
    gold = sum(r["gold"] for r in rows)
    pred = sum(r["pred"] for r in rows)
    matched = sum(r["matched"] for r in rows)
    strict = sum(r["strict_hits"] for r in rows)

    def f1(h: int) -> float:
        p, r = (h / pred if pred else 0.0), (h / gold if gold else 0.0)
        return round(2 * p * r / (p + r), 4) if p + r else 0.0

    return f1(strict), f1(matched), gold, pred


def score_all(model_for=None, show_misses: bool = False) -> dict[str, dict]:
    sc = scorer()
    out: dict[str, dict] = {}
    for stem, text_path, gold_path in documents():
        text = text_path.read_text(encoding="utf-8")
        gold = sc.load_jsonl(str(gold_path))
        model = model_for(genre_of(stem)) if model_for else None
        r = sc.score(text, gold, predictions(text_path, model))
        r["strict_hits"] = round(r["strict_f1"] * (r["gold"] + r["pred"]) / 2)
        r["genre"] = genre_of(stem)
        out[stem] = r
        if show_misses:
            for s in r["missed"]:
                print(f"  {stem}: missed {s}")
            for s in r["spurious"]:
                print(f"  {stem}: spurious {s}")
            for e in r["field_errors"]:
                print(f"  {stem}: wrong {e['field']} gold={e['gold']!r} pred={e['pred']!r} in {e['span']}")
    return out


def main() -> int:
    show = "--misses" in sys.argv
    scores = score_all(show_misses=show)
    print(f"{'document':62} {'genre':15} {'gold':>5} {'pred':>5} {'strict':>7} {'detect':>7}")
    for stem, r in scores.items():
        print(
            f"{stem:62} {r['genre']:15} {r['gold']:5d} {r['pred']:5d} {r['strict_f1']:7.3f} {r['detect_f1']:7.3f}"
        )
    genres = sorted({r["genre"] for r in scores.values()})
    print(f"\n{'genre':20} {'docs':>4} {'gold':>5} {'pred':>5} {'strict':>7} {'detect':>7}")
    for g in genres:
        rows = [r for r in scores.values() if r["genre"] == g]
        s, d, gold, pred = pooled(rows)
        print(f"{g:20} {len(rows):4d} {gold:5d} {pred:5d} {s:7.3f} {d:7.3f}")
    s, d, gold, pred = pooled(list(scores.values()))
    print(f"{'pooled':20} {len(scores):4d} {gold:5d} {pred:5d} {s:7.3f} {d:7.3f}")
    try:
        from gongfu.plans.extract import pastgoal
    except ImportError:
        print("\nleave-one-genre-out: no learned component")
        return 0
    docs = documents()
    print("\nleave-one-genre-out (clause classifier retrained without the genre's documents):")
    for g in genres:
        held = {stem for stem, _, _ in docs if genre_of(stem) == g}
        model = pastgoal.train(exclude=held)
        out = score_all(model_for=lambda genre, m=model, g=g: m if genre == g else None)
        rows = [r for stem, r in out.items() if stem in held]
        s, d, gold, _ = pooled(rows)
        print(f"  {g:20} strict {s:7.3f} detect {d:7.3f} ({len(rows)} documents, {gold} gold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
