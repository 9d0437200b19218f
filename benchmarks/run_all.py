"""`make bench`: run every benchmark (bench_*.py) and scoring (score_*.py) script in this folder, one after
another, and say which failed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    args = sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")) + sorted(HERE.glob("score_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        # scripts take their own options; --small goes only to those that know it
        own = [a for a in args if a != "--small" or "--small" in script.read_text(encoding="utf-8")]
        if subprocess.run([sys.executable, str(script), *own]).returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
