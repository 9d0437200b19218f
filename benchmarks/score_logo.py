"""Leave-one-genre-out strict F1 of target extraction: the past-versus-goal judge retrained without a genre.

Every labelled document is read once by the product pipeline, keeping every candidate figure with its
features (`scripts/train_past_goal.py`). For each genre, the judge is fitted on the candidates of all other
genres and the held-out genre is scored with the project's scorer (tests/data/score_targets.py). Printed
per genre: the rules alone (the tense rules' own verdict), the held-out judge (leave-one-genre-out) and
the judge trained on everything (in-sample, what ships); then the figures pooled over all documents.

What is held out is the learned part only: the rules that propose candidates and read each clause were
written while reading every genre here, so the held-out figure measures how the judge generalises, not
how the clause rules would on a genre no one has read.

Usage: python benchmarks/score_logo.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from train_past_goal import fit, harvest, score  # noqa: E402

from gold_scoring import GENRES, pooled  # noqa: E402


class _Rules:
    """The tense rules' verdict alone, as a judge: keep a candidate they did not set aside."""

    def score(self, features: list[str]) -> float:
        return 1.0 if "rule=kept" in features else -1.0


def main() -> int:
    docs = harvest()
    everything = fit(docs)
    rules = score(docs, _Rules())
    inside = score(docs, everything)
    held: dict[str, dict] = {}
    print(f"{'genre':16} {'docs':>4} {'gold':>5}  {'rules':>6} {'LOGO':>6} {'in-sample':>9}  (strict F1)")
    for g in GENRES:
        test = [d for d in docs if d["genre"] == g]
        if not test:
            continue
        judge = fit([d for d in docs if d["genre"] != g])
        out = score(test, judge)
        held.update(out)
        row = [pooled(r[d["stem"]] for d in test)[0] for r in (rules, out, inside)]
        gold = sum(len(d["gold"]) for d in test)
        print(f"{g:16} {len(test):4d} {gold:5d}  {row[0]:6.3f} {row[1]:6.3f} {row[2]:9.3f}")
    figures = [pooled(r.values()) for r in (rules, held, inside)]
    rules_f, held_f, inside_f = (f[0] for f in figures)
    print(f"{'pooled':16} {len(docs):4d} {figures[0][2]:5d}  {rules_f:6.3f} {held_f:6.3f} {inside_f:9.3f}")
    print("\nsamples (tests/data/gold) and corpus (tests/data/corpus), shipped judge, strict F1:")
    for name, folder in (("samples", ROOT / "tests/data/gold"), ("corpus", ROOT / "tests/data/corpus")):
        stems = {p.stem for p in folder.glob("*.jsonl")}
        s, d, gold, pred = pooled(r for stem, r in inside.items() if stem in stems)
        print(f"  {name:8} strict {s:.3f}  detection {d:.3f}  gold {gold}  predicted {pred}")
    print(
        "\nheld out: the learned judge only; the clause rules were written while reading every genre above."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
