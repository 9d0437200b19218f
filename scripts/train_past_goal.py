"""Train the past-versus-goal judge (`gongfu.plans.extract.tense`) on the labelled documents.

Every labelled document (tests/data: the four samples, the unseen passages, the corpus) is read by the
product pipeline with a judge that keeps every candidate; a candidate is a positive example when the
scorer's matching (same value, overlapping place) pairs it with a gold target. A logistic regression
(scikit-learn, L-BFGS, fixed order of documents and features: the same data gives the same model) is
fitted and written as JSON weights to src/gongfu/plans/extract/data/past_goal.json.

Usage: python scripts/train_past_goal.py [--check]   (--check: print the in-sample figure, write nothing)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gold_scoring import genre_of, labelled_documents, pooled, scorer  # noqa: E402
from gongfu.plans.extract.tense import MODEL_PATH, Harvest, PastGoalJudge  # noqa: E402
from gongfu.plans.reading import read_plan  # noqa: E402

C = 1.0  # inverse regularisation strength
# The rules' verdict and the part's scope enter with value PRIOR instead of 1: their weights cost the L2
# penalty 1/PRIOR² as much, so the model follows the rules unless the text features say otherwise often
# enough. With 1, a genre whose review parts the training genres lack is read as goals (work reports held
# out: strict F1 0.45 instead of 0.94).
PRIOR = 10.0
_PRIOR_FEATURES = ("rule=", "scope=")


def _scale(feature: str) -> float:
    return PRIOR if feature.startswith(_PRIOR_FEATURES) else 1.0


def harvest() -> list[dict]:
    """Per labelled document: its stem, genre, text, gold rows and candidates (json row, features, label)."""
    sc = scorer()
    docs = []
    for stem, text_path, gold_path in labelled_documents():
        h = Harvest()
        read_plan(text_path, judge=h)
        text = text_path.read_text(encoding="utf-8")
        gold = sc.load_jsonl(str(gold_path))
        rows = [c.target.to_json() for c in h.candidates]
        labels = _matched(sc, text, gold, rows)
        cands = [
            (row, c.features, labels[i]) for i, (row, c) in enumerate(zip(rows, h.candidates, strict=True))
        ]
        docs.append({"stem": stem, "genre": genre_of(stem), "text": text, "gold": gold, "cands": cands})
    return docs


def _matched(sc, text: str, gold: list[dict], pred: list[dict]) -> list[bool]:
    """Which predictions the scorer's matching pairs with a gold target (its own greedy rule)."""
    gtaken: dict[str, int] = {}
    ptaken: dict[str, int] = {}
    gloc = [sc.locate(text, g, gtaken) for g in gold]
    ploc = [sc.locate(text, p, ptaken) for p in pred]
    used: set[int] = set()
    for gi, g in enumerate(gold):
        if gloc[gi] is None:
            continue
        gs, ge = gloc[gi]
        best, best_overlap = None, -(10**9)
        for pi, p in enumerate(pred):
            if pi in used or ploc[pi] is None or not sc.same_value(g.get("value"), p.get("value")):
                continue
            ps, pe = ploc[pi]
            if ps < ge + sc.SLACK and pe > gs - sc.SLACK:
                overlap = min(ge, pe) - max(gs, ps)
                if overlap > best_overlap:
                    best, best_overlap = pi, overlap
        if best is not None:
            used.add(best)
    return [i in used for i in range(len(pred))]


def fit(docs: list[dict]) -> PastGoalJudge:
    """A judge fitted on the candidates of `docs` (deterministic)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [{f: _scale(f) for f in feats} for d in docs for _, feats, _ in d["cands"]]
    y = [int(label) for d in docs for _, _, label in d["cands"]]
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000)
    model.fit(vec.fit_transform(X), y)
    weights = {
        name: round(float(w) * _scale(name), 4)  # the weight of a binary feature, as the judge applies it
        for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)
        if abs(w * _scale(name)) >= 1e-3
    }
    return PastGoalJudge(weights, round(float(model.intercept_[0]), 4))


def score(docs: list[dict], judge) -> dict[str, dict]:
    """Scorer results per document when `judge` chooses among the candidates."""
    sc = scorer()
    out = {}
    for d in docs:
        pred = [row for row, feats, _ in d["cands"] if judge.score(feats) >= 0]
        r = sc.score(d["text"], d["gold"], pred)
        r["strict_hits"] = round(r["strict_f1"] * (r["gold"] + r["pred"]) / 2)
        r["genre"] = d["genre"]
        out[d["stem"]] = r
    return out


def main() -> int:
    docs = harvest()
    judge = fit(docs)
    s, d, gold, pred = pooled(score(docs, judge).values())
    n = sum(len(x["cands"]) for x in docs)
    print(f"{len(docs)} documents, {n} candidates, {len(judge.weights)} weights")
    print(f"in-sample: strict F1 {s:.3f}  detection F1 {d:.3f}  gold {gold}  predicted {pred}")
    if "--check" not in sys.argv:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        data = {"bias": judge.bias, "C": C, "prior": PRIOR, "weights": dict(sorted(judge.weights.items()))}
        MODEL_PATH.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
