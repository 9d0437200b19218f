"""Read what a plan says about itself: title, issuer, date, region name and plan period.

Labelled fields (发布机构, 成文日期) are read from the original text because furniture stripping drops the
portal's metadata table from the normalised text; the title and the prose are read from the normalised
text. Every string returned is in Simplified script. `region_code` is left to the caller, which resolves
`region_name` with the region registry.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from gongfu.model import PlanMeta
from gongfu.text.normalise import to_simplified

_DOC_WORDS = r"通知|行动方案|行动计划|实施方案|工作方案|实施意见|规划纲要|规划|纲要|意见|决定|方案|计划|报告"
_TITLE_LINE = re.compile(rf"(?:{_DOC_WORDS})(?:\s*[(（][^()（）]{{0,20}}[)）])?\s*$")
_TITLE_INLINE = re.compile(
    rf"[\u4e00-\u9fff“”\"0-9]{{4,60}}?(?:{_DOC_WORDS})(?:[(（]\d{{4}}\s*[-—–~至]+\s*\d{{4}}年?[)）])?"
)
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?"
_LABELLED_DATE = re.compile(rf"(?:成文日期|发文日期|印发日期|发布日期|发布时间)\s*[::]?\s*\|?\s*{_DATE}")
_LABELLED_ISSUER = re.compile(r"发布机构\s*[::]?\s*\|?\s*([^|\n]{2,40}?)\s*(?:\||\n|$)")
_ORG = r"(?:中共[\u4e00-\u9fff]{2,12}?委(?:员会)?|[\u4e00-\u9fff]{2,12}?人民政府(?:办公室|办公厅)?)"
_ISSUER_LINE = re.compile(rf"^\s*({_ORG}(?:\s*[、 ]\s*{_ORG})*)\s*$", re.MULTILINE)
_ISSUER_PRINTED = re.compile(rf"({_ORG}(?:\s*[、 ]?\s*{_ORG})*)\s*(?:关于)?印发")
_ISSUER_TITLE = re.compile(rf"^({_ORG}(?:\s*[、 ]?\s*{_ORG})*)\s*关于")
_RANGE = re.compile(r"(20\d{2})\s*(?:年)?\s*[-—–~至]+\s*(20\d{2})\s*年?")
_FIVE_YEAR = re.compile(r"“?(十[一二三四五六七八九])五”?\s*(?:时期|期间|规划|末|”)")
_BY_YEAR = re.compile(r"到\s*(20\d{2})\s*年")
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Where a place name in a title ends: an administrative suffix, or the first word of the plan's subject.
_PLACE_END = re.compile(
    r"(?:市|县|区)?(?:委|人民政府)?(?:办公厅|办公室)?(?:关于|深化|推动|推进|高质量|共同富裕|跨越式|加快|建设|打造|奋力|争创|全面|"
    r"扎实|率先|实施|行动|“十四五”|十四五|国民经济|争当|坚持|促进|做好|在)"
)
# Slogans such as 美丽秀洲 / 平安江山 / 清廉台州 name the place when the title is missing.
_SLOGAN = re.compile(
    r"(?:美丽|幸福|平安|法治|清廉|健康|数字|文化|乐业|活力|智慧|人文|多彩|善治|和美|学在|安居|品质|创新|开放)"
    r"([\u4e00-\u9fff]{2})(?=[^\u4e00-\u9fff]|建设|样板|工程|品牌)"
)
# fmt: off
_COMMON_NOUNS = frozenset((
    "乡村", "城镇", "城市", "家园", "河湖", "经济", "中国", "浙江", "社会", "生活",
    "乡镇", "社区", "产业", "建设", "环境", "生态", "校园", "医院", "庭院", "村庄",
    "街道", "企业", "机关", "单位", "工程", "行动", "示范", "先行", "城区", "县城",
    "交通", "服务", "治理", "文明", "发展", "改革", "政府", "家庭", "工作", "大脑",
))
# fmt: on


def _iso(y: str, m: str, d: str) -> str | None:
    mi, di = int(m), int(d)
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{int(y):04d}-{mi:02d}-{di:02d}"


def _find_title(text: str) -> tuple[str, int]:
    """The title and the offset just after it, from the first lines of the normalised text."""
    pos = 0
    for n, line in enumerate(text[:3000].split("\n")):
        s = line.strip()
        if 6 <= len(s) <= 90 and "。" not in s and _TITLE_LINE.search(s):
            return " ".join(s.split()), pos + len(line)
        pos += len(line) + 1
        if n > 12:
            break
    # a page collapsed into one line: the title opens the text, before its first sentence ends
    first = text[:600].split("。", 1)[0]
    m = _TITLE_INLINE.search(first)
    if m and m.start() < 200:
        return m.group(0), m.end()
    return "", 0


def _find_date(original_s: str, text: str, title_end: int) -> str | None:
    if m := _LABELLED_DATE.search(original_s[:5000]):
        return _iso(*m.groups())
    window = text[title_end : title_end + 300] if title_end else ""
    for m in re.finditer(_DATE, window):
        line_start = window.rfind("\n", 0, m.start()) + 1
        line_end = window.find("\n", m.end())
        line = window[line_start : line_end if line_end >= 0 else len(window)].strip()
        if len(line) <= 60 or line.startswith("("):
            return _iso(*m.groups())
    tail = text[-300:]
    for m in re.finditer(rf"^\s*{_DATE}\s*$", tail, re.MULTILINE):
        return _iso(*m.groups())
    return None


def _find_issuer(original_s: str, text: str, title: str) -> str:
    if m := _LABELLED_ISSUER.search(original_s[:5000]):
        return m.group(1).strip()
    if m := _ISSUER_TITLE.search(title):
        return " ".join(m.group(1).split())
    head, tail = text[:1500], text[-600:]
    for part in (tail, head):
        if m := _ISSUER_LINE.search(part):
            return " ".join(m.group(1).split())
    if m := _ISSUER_PRINTED.search(text[:3000]):
        return " ".join(m.group(1).split())
    return ""


def place_from_title(title: str) -> str:
    """The place a title is about: the words before its subject ("江山市跨越式…" → "江山")."""
    t = re.sub(r"^中共|^中国共产党", "", title.strip())
    m = _PLACE_END.search(t)
    if not m or m.start() < 2:
        return ""
    name = t[: m.start()]
    name = re.sub(r"(?:市|县|区|省)$", "", name)  # "江山市" when the suffix was not caught above
    return name if 2 <= len(name) <= 6 and re.fullmatch(r"[\u4e00-\u9fff]+", name) else ""


def place_from_slogans(text: str) -> str:
    """The place named by the most different slogans (美丽X, 平安X, 清廉X …), at least two of them."""
    prefixes: dict[str, set[str]] = defaultdict(set)
    for m in _SLOGAN.finditer(text):
        name = m.group(1)
        if name not in _COMMON_NOUNS:
            prefixes[name].add(text[m.start() : m.start(1)])
    best = max(prefixes.items(), key=lambda kv: len(kv[1]), default=None)
    return best[0] if best and len(best[1]) >= 2 else ""


def _find_period(title: str, text: str) -> tuple[int | None, int | None]:
    # a plan's own period, not one quoted from a document named in 《》
    head = re.sub(r"《[^》]{0,120}》", "", text[:3000])
    for source in (title, head):
        if m := _RANGE.search(source):
            a, b = int(m.group(1)), int(m.group(2))
            if a < b <= a + 15:
                return a, b
    for source in (title, head):
        if m := _FIVE_YEAR.search(source):
            n = 10 + _CN_DIGIT[m.group(1)[1]]
            start = 2001 + 5 * (n - 10)  # 十五 (the 10th plan) began in 2001
            return start, start + 4
    years = Counter(int(y) for y in _BY_YEAR.findall(text))
    if years:
        return None, years.most_common(1)[0][0]
    return None, None


def read_meta(original: str, text: str) -> PlanMeta:
    """Title, issuer, ISO date, region name and period of a plan (original text and normalised text)."""
    original_s = to_simplified(original[:6000])
    title, title_end = _find_title(text)
    issuer = _find_issuer(original_s, text, title)
    region = place_from_title(title) or place_from_title(issuer) or place_from_slogans(text)
    start, end = _find_period(title, text)
    date = _find_date(original_s, text, title_end)
    if start is None and end is not None and date and 0 < end - int(date[:4]) <= 10:
        start = int(date[:4])  # "到2025年" in a plan issued in 2021: the plan runs 2021–2025
    return PlanMeta(
        title=title,
        issuer=issuer,
        date=date,
        region_name=region,
        period_start=start,
        period_end=end,
    )
