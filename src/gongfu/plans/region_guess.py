"""The plan's region as a document-level guess that never blocks extraction.

Candidates are read from the title, the issuer and the opening lines (a place name followed by its
administrative suffix or an issuing body: 江山市, 浙江省人民政府, 北京市市长), and each is resolved only
against the region registry, accepting a name only when it is unambiguous at the level its suffix states
(省 → province, 市 → city or county-level city, 县/区 → county). A name the registry does not know, or knows
several times over, gives no region and a warning, never an error. An explicit `--region` is resolved
strictly (it is the user's input), and a contradiction with the document's own region is a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongfu.model import PlanMeta

# A place name with its suffix, at a word start: 浙江省, 江山市, 秀洲区, 嘉善县 (2–6 Han characters before it).
_PLACE_RE = re.compile(r"([\u4e00-\u9fff]{2,6}?)(省|自治区|市|自治州|地区|盟|县|自治县|区|旗)")
_LEVELS = {
    "省": ("province",),
    "自治区": ("province", "county"),
    "市": ("province", "city", "county"),
    "自治州": ("city",),
    "地区": ("city",),
    "盟": ("city",),
    "县": ("county",),
    "自治县": ("county",),
    "区": ("county",),
    "旗": ("county",),
}
# Words that precede a place in a title and are not part of it.
_LEAD_RE = re.compile(r"^(?:中共|中国共产党|关于|印发|\d{4}年|[“”\"《》()]+)+")
_NOT_PLACES = frozenset(
    {"示范区", "先行区", "开发区", "新区", "城区", "市区", "地区", "社区", "园区", "景区", "街区"}
)


@dataclass
class RegionGuess:
    code: str | None
    name: str
    warnings: list[str] = field(default_factory=list)


def _candidates(meta: PlanMeta, text: str) -> list[list[tuple[str, str]]]:
    """Runs of adjacent place names (嘉兴市秀洲区 → [嘉兴市, 秀洲区]) in order of trust: the title, the
    issuer, the opening lines, then the name the metadata reader found (without suffix)."""
    out: list[list[tuple[str, str]]] = []
    # the opening lines that read as a title, an issuer or a byline: short, no sentence, no figure
    head = "\n".join(
        line
        for line in text[:800].split("\n")[:12]
        if len(line.strip()) <= 40 and not re.search(r"[。,，;；%]|\d(?!\d*年)", line)
    )
    for source in (meta.title, meta.issuer, head):
        src = _LEAD_RE.sub("", source or "")
        last_end = -1
        for m in _PLACE_RE.finditer(src):
            name = m.group(0)
            if name in _NOT_PLACES or m.group(1).endswith(("大会", "人民", "政府", "全")):
                continue
            if m.start() == last_end and out:
                out[-1].append((name, m.group(2)))
            else:
                out.append([(name, m.group(2))])
            last_end = m.end()
    if meta.region_name:
        out.append([(meta.region_name, "")])
    return out


def _one(registry, name: str, suffix: str, within: str | None):
    found = registry.find(name, within=within)
    levels = _LEVELS.get(suffix)
    if levels:
        found = [r for r in found if r.level in levels]
    largest = [r for r in found if r.level == found[0].level] if found else []
    return largest[0] if len(largest) == 1 else None


def guess_region(meta: PlanMeta, text: str) -> RegionGuess:
    """The region the document is about, or None with a warning; never raises for the document's words."""
    from gongfu.regions.registry import load_for_names

    runs = _candidates(meta, text)
    if not runs:
        return RegionGuess(None, "", ["文档未写明所属地区，地区留空；导入时可用 --region 指定"])
    registry = load_for_names([name for run in runs for name, _ in run])
    tried: list[str] = []
    for run in runs:
        best = None
        for name, suffix in run:
            tried.append(name)
            region = _one(registry, name, suffix, best.code if best else None)
            if region is None and best is None:
                break
            best = region or best
        if best is not None:
            return RegionGuess(best.code, best.name)
    if not tried:
        return RegionGuess(None, "", ["文档未写明所属地区，地区留空；导入时可用 --region 指定"])
    names = "、".join(dict.fromkeys(tried[:3]))
    return RegionGuess(
        None, meta.region_name, [f"无法从“{names}”确定方案所属地区（地区库中没有或不唯一），地区留空"]
    )


def resolve_region(explicit: str | None, meta: PlanMeta, text: str) -> RegionGuess:
    """`--region` when given (strict: an unknown or ambiguous name is an error), else the document's guess.

    A `--region` that contradicts the region the document names is kept (it is the user's decision) with
    a warning that says both.
    """
    guess = guess_region(meta, text)
    if not explicit:
        return guess
    from gongfu.regions import load

    registry = load()
    region = registry.resolve(explicit, prefer=None)
    warnings: list[str] = []
    if guess.code and guess.code != region.code and not registry.is_within(region.code, guess.code):
        warnings.append(
            f"--region {registry.describe(region.code)} 与文档自身的地区 {registry.describe(guess.code)} "
            "不一致；按 --region 存储"
        )
    return RegionGuess(region.code, region.name, warnings)
