"""Benchmark: plan extraction throughput and peak memory (issue 2).

Runs the whole pure pipeline (furniture → normalise (OpenCC) → outline → targets → tasks) on each sample plan
and on all samples concatenated ×N (≈ 2 MB of UTF-8), one core. The baseline, measured in the same run, is one
pass of a trivial regex that finds every number in the same text: the cost of merely looking at the text.
Usage: python benchmarks/bench_extract.py [--small]
"""

from __future__ import annotations

import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from gongfu.plans.furniture import furniture_ranges
from gongfu.plans.outline import parse_outline
from gongfu.plans.targets import extract_targets
from gongfu.plans.tasks import extract_tasks
from gongfu.text import normalise

PLANS = Path(__file__).resolve().parents[1] / "tests" / "data" / "plans"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def pipeline(original: str) -> int:
    norm = normalise(original, drop=furniture_ranges(original))
    sections = parse_outline(norm.text)
    targets = extract_targets(norm.text, sections=sections, horizon=2025)
    extract_tasks(norm.text, sections, targets)
    return len(targets)


def timed(fn, *args, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    small = "--small" in sys.argv
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(PLANS.glob("*.txt"))}
    pipeline(next(iter(texts.values())))  # warm caches (OpenCC dictionaries, regex compilation)
    print(f"{'document':55} {'chars':>9} {'MB':>6} {'s':>7} {'MB/s':>7} {'targets':>7}")
    for name, text in texts.items():
        mb = len(text.encode()) / 1e6
        t = timed(pipeline, text)
        print(f"{name:55} {len(text):9d} {mb:6.2f} {t:7.3f} {mb / t:7.2f} {pipeline(text):7d}")
    big = "\n".join(texts.values()) * (1 if small else 8)
    mb = len(big.encode()) / 1e6
    t = timed(pipeline, big, repeat=1 if small else 3)
    tracemalloc.start()  # a separate run: tracing slows Python several-fold, so it is not timed
    pipeline(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    floor = timed(lambda s: sum(1 for _ in NUMBER.finditer(s)), big)
    print(f"\nall samples ×{1 if small else 8}: {len(big):,} chars, {mb:.2f} MB UTF-8")
    print(f"  extraction      {t:7.3f} s  {mb / t:6.2f} MB/s  {len(big) / t:,.0f} chars/s  (aim ≥ 2 MB/s)")
    print(f"  baseline regex  {floor:7.3f} s  {mb / floor:6.2f} MB/s  (one pass finding numbers)")
    print(f"  ratio extraction/baseline time: {t / floor:.1f}×")
    print(f"  peak traced memory during extraction: {peak / 1e6:.0f} MB (aim < 200 MB)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"  peak resident memory of the whole process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
