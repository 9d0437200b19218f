"""Benchmark: plan extraction throughput and peak memory (issues 2 and 11).

1. Runs the whole pure pipeline (furniture → normalise (OpenCC) → outline → targets → tasks) on each sample
   plan and on all samples concatenated ×N (≈ 2 MB of UTF-8), one core. The baseline, measured in the same
   run, is one pass of a trivial regex that finds every number in the same text.
2. The whole process: `gongfu plan extract` run as a child process on a 3 MB document made of the labelled
   documents (tests/data/plans, tests/data/corpus) repeated, and on a one-line document; the CPU time
   (user + sys of the child) gives MB of text per CPU-second, the one-line run the fixed cost of starting
   Python, importing and loading the region registry. Peak resident memory of the child is printed.
3. Linearity: the in-process pipeline (`read_plan`) at 0.75, 1.5 and 3 MB; CPU seconds per MB should not grow.
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
        t0 = time.process_time()  # CPU time: the machine is shared, wall time measures the neighbours
        fn(*args)
        best = min(best, time.process_time() - t0)
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


def _document(size: int) -> str:
    root = PLANS.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(PLANS.glob("*.txt"))]
    one = "\n".join(texts)
    doc = "\n".join([one] * (size // len(one.encode()) + 1))
    return doc.encode()[:size].decode("utf-8", "ignore")


def _child_cpu(path: Path) -> tuple[float, float]:
    """CPU seconds (user + sys) and peak RSS (MB) of `gongfu plan extract PATH` run as a child process."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    exe = Path(sys.executable).with_name("gongfu")
    subprocess.run([str(exe), "plan", "extract", str(path), "-o", str(path.with_suffix(".jsonl"))],
                   check=True, capture_output=True)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_maxrss / 1024


def whole_process(small: bool) -> None:
    import tempfile

    from gongfu.plans.reading import read_plan

    size = 300_000 if small else 3_000_000
    with tempfile.TemporaryDirectory() as tmp:
        big, tiny = Path(tmp) / "big.txt", Path(tmp) / "tiny.txt"
        big.write_text(_document(size), encoding="utf-8")
        tiny.write_text("到2025年,居民人均可支配收入达到7.8万元。\n", encoding="utf-8")
        fixed, _ = _child_cpu(tiny)
        cpu, rss = _child_cpu(big)
        mb = size / 1e6
        print(f"\nwhole process `gongfu plan extract` on a {mb:.1f} MB document (child CPU time):")
        print(
            f"  {cpu:6.2f} CPU-s  {mb / cpu:5.2f} MB per CPU-second  (aim ≥ 2)  peak RSS {rss:.0f} MB (aim < 200)"
        )
        print(
            f"  fixed cost (a one-line document): {fixed:.2f} CPU-s; per MB beyond it: {(cpu - fixed) / mb:.2f} CPU-s"
        )
        print("\nlinearity of the pipeline (read_plan in this process, CPU seconds per MB):")
        read_plan(tiny)  # warm: imports, OpenCC dictionaries, region registry
        for part in (0.25, 0.5, 1.0):
            p = Path(tmp) / f"part{part}.txt"
            p.write_text(_document(int(size * part)), encoding="utf-8")
            t0 = time.process_time()
            read_plan(p)
            t = time.process_time() - t0
            print(f"  {size * part / 1e6:5.2f} MB  {t:6.2f} CPU-s  {t / (size * part / 1e6):5.2f} CPU-s/MB")


if __name__ == "__main__":
    main()
    whole_process("--small" in sys.argv)
