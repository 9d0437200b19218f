"""The region registry: look up, name and scope-check regions by their codes.

Codes are six-digit GB/T 2260 codes for provinces, prefectures and counties, and nine-digit
统计用区划代码 for towns (see `gongfu.regions.build`). `Registry.is_within` is the project's one
scope check. The data is built by `make setup` into `data/regions.csv.gz`, retired codes included
(with `valid_to`); `data/changes.csv` (old_code, new_code, date, note) names their successors and is
merged on load: an old code still listed ends its validity on that date, and a code no longer listed
points to its successor in the NotFound message. Names resolve to current regions first.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gongfu.errors import AmbiguousName, MissingPart, NotFound
from gongfu.text import to_simplified

DATA_DIR = Path(__file__).parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv.gz"
CHANGES_FILE = DATA_DIR / "changes.csv"
LEVELS = ("province", "city", "county", "town")
LEVEL_NAMES = {"province": "省级", "city": "地级", "county": "县级", "town": "乡级"}
# Longest first, so 街道办事处 is cut before 街道 and 自治县 before 县.
NAME_SUFFIXES = (
    "街道办事处", "自治区", "自治州", "自治县", "自治旗", "街道", "地区", "苏木",
    "省", "市", "区", "县", "旗", "盟", "镇", "乡",
)  # fmt: skip
# A name = a non-empty stem + one suffix; the lazy stem makes the longest suffix win.
_NAME = re.compile(f"(.+?)({'|'.join(NAME_SUFFIXES)})")
SHOWN_CANDIDATES = 10
SHOWN_SUGGESTIONS = 5


class RegionDataMissing(MissingPart):
    """The region data file has not been built."""


class RegionNotFound(NotFound):
    """No region with this code or name; `suggestions` are the closest regions, if any."""

    def __init__(self, message: str, suggestions: list[Region] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


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

    @property
    def retired(self) -> bool:
        """Whether the code is no longer in use (已撤销): it has an end of validity."""
        return bool(self.valid_to)


@dataclass(frozen=True, slots=True)
class Change:
    """A code replaced by another on a date (撤并, 更名, 代码变更)."""

    old_code: str
    new_code: str
    date: str
    note: str


def stem(name: str) -> str:
    """The name without its administrative suffix (秀洲区 → 秀洲); the whole name if nothing would be left."""
    m = _NAME.fullmatch(name)
    return m.group(1) if m else name


def level_suffix(name: str) -> str:
    """The administrative suffix a name ends in ('' if none); 街道办事处 counts as 街道."""
    m = _NAME.fullmatch(name)
    return ("街道" if m.group(2) == "街道办事处" else m.group(2)) if m else ""


def normalise_code(code: str) -> str:
    """A code as stored: 2- and 4-digit prefixes padded (33 → 330000), a 12-digit NBS code cut to 9 or 6."""
    code = code.strip()
    if len(code) in (2, 4):
        return code.ljust(6, "0")
    if len(code) == 12 and code.endswith("000"):
        return code[:6] if code[6:] == "000000" else code[:9]
    return code


class _NameIndex:
    """Regions by exact name and by stem."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        self.by_stem: dict[str, list[Region]] = defaultdict(list)

    def add(self, r: Region) -> None:
        self.by_name[r.name].append(r)
        self.by_stem[stem(r.name)].append(r)


class Registry:
    """All regions, current and retired, indexed by code, parent and name. Build one with `load()`."""

    def __init__(self, regions: list[Region], changes: list[Change] | None = None) -> None:
        self._by_code: dict[str, Region] = {}
        self._children: dict[str, list[Region]] = defaultdict(list)
        self._current = _NameIndex()
        self._retired = _NameIndex()
        self._successors: dict[str, list[Change]] = defaultdict(list)
        ended = {c.old_code: c.date for c in changes or []}
        for r in regions:
            if r.code in ended and not r.valid_to:
                r = Region(r.code, r.name, r.level, r.parent, r.valid_from, ended[r.code], r.source)
            self._by_code[r.code] = r
            if r.parent:
                self._children[r.parent].append(r)
            (self._retired if r.retired else self._current).add(r)
        for c in changes or []:
            self._successors[c.old_code].append(c)

    def __len__(self) -> int:
        return len(self._by_code)

    def codes(self) -> list[str]:
        """Every code, current and retired, in code order."""
        return sorted(self._by_code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._by_code

    def get(self, code: str) -> Region:
        """The region with this code, retired ones included; RegionNotFound (naming the successor if the
        code was replaced but is not in the data)."""
        region = self._by_code.get(normalise_code(code))
        if region is not None:
            return region
        moved = self._successors.get(normalise_code(code))
        if moved:
            raise RegionNotFound(f"地区代码“{code}”已停用，接替代码：{self._changes_text(moved)}")
        raise RegionNotFound(f"没有代码为“{code}”的地区")

    def successors(self, code: str) -> list[Change]:
        """The changes that replaced this code (empty for a current code or one retired without successor)."""
        return list(self._successors.get(normalise_code(code), []))

    def current_successor(self, code: str) -> Region | None:
        """The current region a retired code leads to, following successions (None if it leads nowhere)."""
        seen: set[str] = set()
        code = normalise_code(code)
        while code not in seen:
            seen.add(code)
            region = self._by_code.get(code)
            if region is not None and not region.retired:
                return region if len(seen) > 1 else None
            moved = self._successors.get(code)
            if not moved or len(moved) > 1:
                return None
            code = moved[0].new_code
        return None

    def children(self, code: str) -> list[Region]:
        """The regions directly under this one, by code: the current ones (all, for a retired region)."""
        region = self.get(code)
        kids = self._children.get(region.code, [])
        if not region.retired:
            kids = [k for k in kids if not k.retired]
        return sorted(kids, key=lambda r: r.code)

    def ancestors(self, code: str) -> list[Region]:
        """The regions above this one, province first (not including the region itself)."""
        chain = []
        region = self.get(code)
        while region.parent:
            region = self._by_code[region.parent]
            chain.append(region)
        return chain[::-1]

    def subtree(self, code: str) -> set[str]:
        """The codes of the region and of every region below it, retired ones included: exactly the codes
        `c` with `is_within(c, code)`, found by walking down the tree once."""
        root = self.get(code).code
        out, stack = {root}, [root]
        while stack:
            for kid in self._children.get(stack.pop(), []):
                if kid.code not in out:
                    out.add(kid.code)
                    stack.append(kid.code)
        return out

    def is_within(self, code: str, ancestor: str) -> bool:
        """Whether `code` lies in the subtree of `ancestor` (a region is within itself). THE scope check."""
        target = self.get(ancestor).code
        region: Region | None = self.get(code)
        while region is not None:
            if region.code == target:
                return True
            region = self._by_code.get(region.parent) if region.parent else None
        return False

    def common_ancestor(self, codes: list[str]) -> str | None:
        """The smallest region containing every one of `codes` (itself when there is one code)."""
        chains = [[*(a.code for a in self.ancestors(c)), self.get(c).code] for c in codes]
        common = None
        for level in zip(*chains, strict=False):
            if len(set(level)) != 1:
                break
            common = level[0]
        return common

    def full_name(self, code: str) -> str:
        """The names from the province down, joined: 浙江省嘉兴市秀洲区."""
        return "".join(r.name for r in [*self.ancestors(code), self.get(code)])

    def find(self, name: str, *, within: str | None = None) -> list[Region]:
        """Regions named `name`, largest first: exact names, else names whose stem is `name` (秀洲 → 秀洲区),
        else names with the same stem AND the same level suffix (秀洲區 → 秀洲区, but 火星市 ≠ 火星街道).

        Current regions first; retired ones (临安市) only when no current region matches. Traditional
        script is accepted (秀洲區 → 秀洲区); `within` limits the search to a subtree.
        """
        name = to_simplified(name.strip())
        suffix = level_suffix(name)
        keep = self._keeper(within)
        for index in (self._current, self._retired):
            found = (
                keep(index.by_name.get(name, []))
                or keep(index.by_stem.get(name, []))
                or keep([r for r in index.by_stem.get(stem(name), []) if level_suffix(r.name) == suffix])
            )
            if found:
                return found
        return []

    def suggest(self, name: str, *, within: str | None = None) -> list[Region]:
        """The closest regions to a name that matched nothing (是否要找): same stem whatever the suffix,
        else similar stems; current regions first, at most SHOWN_SUGGESTIONS."""
        wanted = stem(to_simplified(name.strip()))
        keep = self._keeper(within)
        found = keep(self._current.by_stem.get(wanted, [])) or keep(self._retired.by_stem.get(wanted, []))
        if not found:
            close = difflib.get_close_matches(wanted, self._current.by_stem.keys(), n=SHOWN_SUGGESTIONS)
            found = keep([r for s in close for r in self._current.by_stem[s]])
        return found[:SHOWN_SUGGESTIONS]

    def name_not_found(self, name: str, *, within: str | None = None) -> RegionNotFound:
        """The error for a name that matches nothing, with the closest names (是否要找) when there are any."""
        where = f"（在 {self.describe(within)} 范围内）" if within else ""
        suggestions = self.suggest(name, within=within)
        hint = f"；是否要找：{'、'.join(self.describe(r.code) for r in suggestions)}" if suggestions else ""
        return RegionNotFound(f"没有名为“{name.strip()}”的地区{where}{hint}", suggestions)

    def resolve(
        self,
        name_or_code: str,
        *,
        within: str | None = None,
        prefer: str | None = "330000",
        within_option: str | None = None,
    ) -> Region:
        """One region for a code or a name; AmbiguousRegion unless the name narrows to one.

        A code gives its region even if retired (330185 临安市 in a 2015 yearbook). A name stands for the
        largest current regions that bear it (余杭 is 余杭区, not its 余杭街道), and narrows when there is
        one of them, one within `within`, or else one within `prefer`. `within_option` is the command's
        option that narrows a name (e.g. '--within'); the ambiguity message suggests it only if given.
        """
        text = name_or_code.strip()
        if text.isdigit():
            region = self.get(text)
            if within and not self.is_within(region.code, within):
                raise RegionNotFound(f"地区 {region.code} {region.name} 不在 {self.describe(within)} 范围内")
            return region
        found = self.find(text, within=within)
        if not found:
            raise self.name_not_found(text, within=within)
        largest = [r for r in found if r.level == found[0].level]
        if len(largest) == 1:
            return largest[0]
        if prefer:
            preferred = [r for r in largest if self.is_within(r.code, prefer)]
            if len(preferred) == 1:
                return preferred[0]
        raise AmbiguousRegion(self.ambiguity_message(text, found, within_option=within_option), found)

    def describe(self, code: str) -> str:
        """'320106 鼓楼区 (江苏省南京市)': the code, the name and where it lies."""
        region = self.get(code)
        parent = f" ({self.full_name(region.parent)})" if region.parent else ""
        return f"{region.code} {region.name}{parent}"

    def ambiguity_message(
        self, name: str, candidates: list[Region], *, within_option: str | None = None
    ) -> str:
        """'名称“鼓楼”有歧义：…；请改用区划代码'; names `within_option` as a way out only when given."""
        shown = "、".join(self.describe(r.code) for r in candidates[:SHOWN_CANDIDATES])
        more = len(candidates) - SHOWN_CANDIDATES
        tail = f" 等 {len(candidates)} 个" if more > 0 else ""
        how = f"，或用 {within_option} 限定上级地区" if within_option else ""
        return f"名称“{name}”有歧义：{shown}{tail}；请改用区划代码{how}"

    def _keeper(self, within: str | None):
        scope = self.get(within).code if within else None

        def keep(found: list[Region]) -> list[Region]:
            inside = [r for r in found if scope is None or self.is_within(r.code, scope)]
            return sorted(inside, key=lambda r: (LEVELS.index(r.level), r.code))

        return keep

    def _changes_text(self, changes: list[Change]) -> str:
        def one(c: Change) -> str:
            new = self._by_code.get(c.new_code)
            what = f"{c.new_code} {new.name}" if new else c.new_code
            when = "，".join(x for x in (c.date, c.note) if x)
            return f"{what}（{when}）" if when else what

        return "、".join(one(c) for c in changes)


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


def load_for_names(names: list[str], path: Path | None = None) -> Registry:
    """A registry that answers `find` for these names exactly as the full one would, built quickly.

    It holds every province, city and county (so `within`, `is_within` and ancestors work) and only the
    towns whose row contains one of the names' stems (a superset of the towns `find` can return for them).
    Used by the document-level region guess, which asks about a handful of names.
    """
    path = path or REGIONS_FILE
    if not path.is_file():
        raise RegionDataMissing(f"地区数据尚未生成，请运行 `make setup`（缺少 {path}）")
    stems = {stem(to_simplified(n.strip())) for n in names if n.strip()}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        data = fh.read()
    lines = data.splitlines()[1:]  # header, see gongfu.regions.build.COLUMNS
    matched: set[str] = set()  # the lines holding a stem: one search of the whole file, not one per line
    for m in re.finditer("|".join(map(re.escape, sorted(stems))) or "(?!)", data):
        matched.add(data[data.rfind("\n", 0, m.start()) + 1 : data.find("\n", m.end()) % (len(data) + 1)])
    keep = [ln for ln in lines if ",town," not in ln or ln in matched]
    regions = [
        Region(code, name, level, parent or None, vf, vt, src)
        for code, name, level, parent, vf, vt, src in csv.reader(keep)
    ]
    return Registry(regions, read_changes(CHANGES_FILE))


@lru_cache(maxsize=4)
def _load(path: Path, changes: Path) -> Registry:
    if not path.is_file():
        raise RegionDataMissing(f"地区数据尚未生成，请运行 `make setup`（缺少 {path}）")
    return Registry(read_regions(path), read_changes(changes))
