"""The region registry: look up, name and scope-check regions by their codes.

Codes are six-digit GB/T 2260 codes for provinces, prefectures and counties, and nine-digit
统计用区划代码 for towns (see `gongfu.regions.build`). `Registry.is_within` is the project's one
scope check. The data is built by `make setup` into `data/regions.csv.gz`; `data/changes.csv`
(old_code, new_code, date, note) is merged on load: an old code still listed ends its validity on
that date, and a code no longer listed points to its successor in the NotFound message.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gongfu.errors import AmbiguousName, GongfuError, NotFound
from gongfu.text import to_simplified

DATA_DIR = Path(__file__).parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv.gz"
CHANGES_FILE = DATA_DIR / "changes.csv"
LEVELS = ("province", "city", "county", "town")
LEVEL_NAMES = {"province": "省级", "city": "地级", "county": "县级", "town": "乡级"}
# Longest first, so 街道办事处 is cut before 街道 and 自治县 before 县.
NAME_SUFFIXES = (
    "街道办事处", "自治区", "自治州", "自治县", "街道", "地区", "省", "市", "区", "县", "镇", "乡",
)  # fmt: skip
SHOWN_CANDIDATES = 10


class RegionDataMissing(GongfuError):
    """The region data file has not been built."""

    exit_code = 6


class RegionNotFound(NotFound):
    """No region with this code or name."""


class AmbiguousRegion(AmbiguousName):
    """A name that matches several regions; `candidates` lists them."""

    def __init__(self, message: str, candidates: list[Region]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class Region:
    """One region. `valid_from`/`valid_to` are ISO dates or years ('2023'); empty `valid_to` = still valid."""

    code: str
    name: str
    level: str  # province | city | county | town
    parent: str | None
    valid_from: str
    valid_to: str
    source: str


@dataclass(frozen=True, slots=True)
class Change:
    """A code replaced by another on a date (撤并, 更名, 代码变更)."""

    old_code: str
    new_code: str
    date: str
    note: str


def stem(name: str) -> str:
    """The name without its administrative suffix (秀洲区 → 秀洲); the whole name if nothing would be left."""
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def normalise_code(code: str) -> str:
    """A code as stored: 2- and 4-digit prefixes padded (33 → 330000), a 12-digit NBS code cut to 9 or 6."""
    code = code.strip()
    if len(code) in (2, 4):
        return code.ljust(6, "0")
    if len(code) == 12 and code.endswith("000"):
        return code[:6] if code[6:] == "000000" else code[:9]
    return code


class Registry:
    """All regions, indexed by code, parent and name. Build one with `load()`."""

    def __init__(self, regions: list[Region], changes: list[Change] | None = None) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[Region]] = defaultdict(list)
        self._by_name: dict[str, list[Region]] = defaultdict(list)
        self._by_stem: dict[str, list[Region]] = defaultdict(list)
        self._successors: dict[str, list[Change]] = defaultdict(list)
        ended = {c.old_code: c.date for c in changes or []}
        for r in regions:
            if r.code in ended and not r.valid_to:
                r = Region(r.code, r.name, r.level, r.parent, r.valid_from, ended[r.code], r.source)
            self._by_code[r.code] = r
            if r.parent:
                self._children[r.parent].append(r)
            self._by_name[r.name].append(r)
            self._by_stem[stem(r.name)].append(r)
        for c in changes or []:
            self._successors[c.old_code].append(c)

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._by_code

    def get(self, code: str) -> Region:
        """The region with this code; RegionNotFound (naming the successor if the code was replaced)."""
        region = self._by_code.get(normalise_code(code))
        if region is not None:
            return region
        moved = self._successors.get(normalise_code(code))
        if moved:
            new = ", ".join(f"{c.new_code} ({c.date}{' ' + c.note if c.note else ''})" for c in moved)
            raise RegionNotFound(f"region code {code!r} is no longer valid; replaced by {new}")
        raise RegionNotFound(f"no region with code {code!r}")

    def children(self, code: str) -> list[Region]:
        """The regions directly under this one, by code."""
        return sorted(self._children.get(self.get(code).code, []), key=lambda r: r.code)

    def ancestors(self, code: str) -> list[Region]:
        """The regions above this one, province first (not including the region itself)."""
        chain = []
        region = self.get(code)
        while region.parent:
            region = self._by_code[region.parent]
            chain.append(region)
        return chain[::-1]

    def is_within(self, code: str, ancestor: str) -> bool:
        """Whether `code` lies in the subtree of `ancestor` (a region is within itself). THE scope check."""
        target = self.get(ancestor).code
        region: Region | None = self.get(code)
        while region is not None:
            if region.code == target:
                return True
            region = self._by_code.get(region.parent) if region.parent else None
        return False

    def full_name(self, code: str) -> str:
        """The names from the province down, joined: 浙江省嘉兴市秀洲区."""
        return "".join(r.name for r in [*self.ancestors(code), self.get(code)])

    def find(self, name: str, *, within: str | None = None) -> list[Region]:
        """Regions named `name`, largest first: exact names, else names whose stem is `name` (秀洲 → 秀洲区),
        else names whose stem is the stem of `name` (秀洲县 → 秀洲区).

        Traditional script is accepted (秀洲區 → 秀洲区); `within` limits the search to a subtree.
        """
        name = to_simplified(name.strip())
        scope = self.get(within).code if within else None

        def keep(found: list[Region]) -> list[Region]:
            inside = [r for r in found if scope is None or self.is_within(r.code, scope)]
            return sorted(inside, key=lambda r: (LEVELS.index(r.level), r.code))

        return (
            keep(self._by_name.get(name, []))
            or keep(self._by_stem.get(name, []))
            or keep(self._by_stem.get(stem(name), []))
        )

    def resolve(
        self, name_or_code: str, *, within: str | None = None, prefer: str | None = "330000"
    ) -> Region:
        """One region for a code or a name; AmbiguousRegion unless the name narrows to one.

        A name stands for the largest regions that bear it (余杭 is 余杭区, not its 余杭街道), and narrows
        when there is one of them, one within `within`, or else one within `prefer`.
        """
        text = name_or_code.strip()
        if text.isdigit():
            region = self.get(text)
            if within and not self.is_within(region.code, within):
                raise RegionNotFound(
                    f"region {region.code} {region.name} is not within {self.describe(within)}"
                )
            return region
        found = self.find(text, within=within)
        if not found:
            where = f" within {self.describe(within)}" if within else ""
            raise RegionNotFound(f"no region named {text!r}{where}")
        largest = [r for r in found if r.level == found[0].level]
        if len(largest) == 1:
            return largest[0]
        if prefer:
            preferred = [r for r in largest if self.is_within(r.code, prefer)]
            if len(preferred) == 1:
                return preferred[0]
        raise AmbiguousRegion(self.ambiguity_message(text, found), found)

    def describe(self, code: str) -> str:
        """'320106 鼓楼区 (江苏省南京市)': the code, the name and where it lies."""
        region = self.get(code)
        parent = f" ({self.full_name(region.parent)})" if region.parent else ""
        return f"{region.code} {region.name}{parent}"

    def ambiguity_message(self, name: str, candidates: list[Region]) -> str:
        shown = ", ".join(self.describe(r.code) for r in candidates[:SHOWN_CANDIDATES])
        more = len(candidates) - SHOWN_CANDIDATES
        tail = f", and {more} more" if more > 0 else ""
        return f"{name!r} is ambiguous: {shown}{tail}; give the code or --within"


def read_regions(path: Path) -> list[Region]:
    """The rows of a regions.csv.gz file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)  # header, see gongfu.regions.build.COLUMNS
        return [
            Region(code, name, level, parent or None, vf, vt, src)
            for code, name, level, parent, vf, vt, src in reader
        ]


def read_changes(path: Path) -> list[Change]:
    """The rows of a changes.csv file; none if it does not exist."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Change(row["old_code"], row["new_code"], row["date"], row.get("note") or "")
            for row in csv.DictReader(fh)
        ]


def load(path: Path | None = None, changes: Path | None = None) -> Registry:
    """The registry from the built data file (cached: loaded once per process for the same paths)."""
    return _load(path or REGIONS_FILE, changes or CHANGES_FILE)


@lru_cache(maxsize=4)
def _load(path: Path, changes: Path) -> Registry:
    if not path.is_file():
        raise RegionDataMissing(f"region data not built; run `make setup` (missing {path})")
    return Registry(read_regions(path), read_changes(changes))
