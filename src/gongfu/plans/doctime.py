"""The document's time and structure, computed once per document and used by every target.

A plan-family document (行动方案, 五年规划纲要, 政府工作报告, 党代会报告, 决定/意见, or news about one) has a
genre, an issue date, a report year (the year a work report plans: its 今年) and a plan period. Its parts
each have a time scope: the review of the past, this year, next year, a five-year period (十四五 → 2025,
十五五 → 2030), the long range (2035, 本世纪中叶) or none. A target takes the nearest explicit year of its
sentence, else its part's year, else the document's horizon (gold/GUIDELINES.md, "Documents beyond action
plans"). Figures of a review part are the record, not targets.

Scopes are read from headings and from the opening words of paragraphs; a paragraph without a cue of its own
continues the scope of the paragraph before it, and a top-level heading starts afresh.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from gongfu.model import PlanMeta, Section

REVIEW, THIS_YEAR, NEXT_YEAR, PERIOD, LONG, NONE = (
    "review",
    "this_year",
    "next_year",
    "period",
    "long",
    "none",
)
SCOPE_ZH = {
    REVIEW: "回顾(往年)",
    THIS_YEAR: "今年",
    NEXT_YEAR: "明年",
    PERIOD: "五年规划期",
    LONG: "远景",
    NONE: "未定",
}
_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

# Cue words of a time scope, in a heading or at the opening of a paragraph (or before a figure).
_FIVE = r"(?:“|\")?(?:十(?P<fy>[一二三四五六七八九])五)(?:”|\")?(?P<fyq>末|中期|时期|期间|规划|以来)"
CUE_RE = re.compile(
    rf"(?P<five>{_FIVE})"
    r"|(?P<jin>今年|本年度)|(?P<ming>明年)"
    r"|(?P<review>回顾|过去一年|过去五年|一年来|五年来|这五年|这一年|近五年|发展成就|取得的成就|工作成效|发展基础|初步统计|"
    r"名词解释)"
    r"|(?P<y>(?:19|20)\d{2})年(?P<yq>是|以来|工作回顾|主要工作|[,,]|全年|全省|全市|全县|全区|我省|我市|我县|我区)?"
    r"|(?P<long>二〇三五年|二○三五年|本世纪中叶|21世纪中叶)"
    r"|(?P<yearly>民生实事|主要预期目标)"
)
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}[章部分篇])(?P<title>[^。\n]{0,60})$"
)
_ITEM_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}是|——|[●■◆▲·•]|[①-⑳]|\d{1,2}[.、](?!\d)|\(\d{1,2}\))"
)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_AHEAD_RE = re.compile(r"(?:未来|今后)五年")
_SUB_HEADING_RE = re.compile(r"^\s*\([一二三四五六七八九十]{1,3}\)[^。\n]{0,40}$")
_OPENING = 24  # a paragraph's cue must stand within its first characters
_DOC_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")
_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2})年[^\n。]{0,30}政府工作报告")
_SESSION_RE = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日在[^\n。]{0,40}(?:代表大会|会议)")
_REVIEW_HEAD_RE = re.compile(r"((?:19|20)\d{2})年(?:工作)?回顾")
_YEAR_IS_RE = re.compile(r"(?:^|\n)\s*((?:19|20)\d{2})年是")
# An annual document names its year: 2023年度…民生实事项目, 市政府2025年重点工作清单, 2024年工作要点.
_ANNUAL_RE = re.compile(
    r"((?:19|20)\d{2})年度|((?:19|20)\d{2})年[^\n。,]{0,12}(?:民生实事|重点工作|工作要点|工作清单|工作计划|主要预期目标|主要目标)"
)
# 今年…奋力实现“十五五”良好开局 / 今年是“十四五”收官之年: the year 今年 is, from the five-year period.
_PERIOD_YEAR_RE = re.compile(
    r"今年[^\n]{0,600}?十(?P<fy>[一二三四五六七八九])五”?(?:规划)?(?:的)?(?:(?P<start>良好开局|开好局|开局|起步|起好步)|(?P<end>收官))"
)
# 到2027年具体目标: / 今后五年的主要目标是: a paragraph that opens the goals of a year (or of no year).
_GOAL_INTRO_RE = re.compile(r"到((?:19|20)\d{2})年(?:的)?(?:具体|主要|发展|奋斗|总体)?目标(?:是|为)?[:：]")

_GENRES = (
    ("work_report", re.compile(r"政府工作报告|向大会报告(?:政府)?工作")),
    ("party_congress", re.compile(r"代表大会上的报告|党代会|中国共产党[^\n。]{0,20}代表大会|党代表大会")),
    ("outline", re.compile(r"规划纲要|五年规划|规划(?:和|暨)[^\n]{0,12}远景目标")),
    ("action_plan", re.compile(r"行动方案|实施方案|行动计划|工作方案|工作要点|三年计划")),
    ("decision", re.compile(r"决定|实施意见|指导意见|意见")),
)
_NEWS_RE = re.compile(r"新华社|记者|讯\s|电\s|日电|日讯|原标题|原標題|发布会|据了解|日前|^\s*date\s", re.M)
GENRE_ZH = {
    "work_report": "政府工作报告",
    "party_congress": "党代会报告",
    "outline": "五年规划纲要",
    "action_plan": "行动/实施方案",
    "decision": "决定/意见",
    "other": "其他",
}


@dataclass
class Part:
    """A stretch of the normalised text with one time scope."""

    start: int
    end: int
    scope: str
    year: int | None
    cue: str  # the words that decided the scope ("" when inherited from the heading or the document)


@dataclass
class DocTime:
    genre: str
    news: bool
    issue_date: str | None
    report_year: int | None
    period: tuple[int | None, int | None]
    horizon: int | None  # the document's own default target year
    first_year: int | None = None  # years before it are the past
    parts: list[Part] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def part_at(self, at: int) -> Part | None:
        if len(self._starts) != len(self.parts):
            self._starts = [p.start for p in self.parts]
        i = bisect_right(self._starts, at) - 1
        return self.parts[i] if i >= 0 and at < self.parts[i].end else None

    def year_at(self, at: int) -> tuple[int | None, bool]:
        """(default year, in a review) for a figure at offset `at`: its part's, else the document's."""
        part = self.part_at(at)
        if part is None or part.scope == NONE:
            return self.horizon, False
        return part.year, part.scope == REVIEW

    def forward_at(self, at: int) -> bool:
        """Whether the part at `at` speaks of the future (this year, next year, a coming period)."""
        part = self.part_at(at)
        return part is not None and part.scope in (THIS_YEAR, NEXT_YEAR, PERIOD, LONG)

    def describe(self) -> str:
        """One line in Chinese: genre, report year and period, as `plan show` prints it."""
        genre = GENRE_ZH.get(self.genre, self.genre) + ("(新闻报道)" if self.news else "")
        a, b = self.period
        period = f"{a or '?'}—{b or '?'}" if a or b else "—"
        return (
            f"体裁: {genre}  报告年份: {self.report_year or '—'}  规划期: {period}  "
            f"默认目标年: {self.horizon or '—'}"
        )

    def scope_label(self, at: int) -> str:
        part = self.part_at(at)
        if part is None or part.scope == NONE:
            return f"{SCOPE_ZH[NONE]} → {self.horizon or '—'}"
        return f"{SCOPE_ZH[part.scope]} → {part.year or '—'}" + (f" ({part.cue})" if part.cue else "")


def five_year_end(digit: str, qualifier: str | None = "") -> int:
    """十四五 → 2025 (its end), 十四五中期 → 2023, 十五五 → 2030."""
    n = 10 + _CN_DIGIT[digit]
    end = 2005 + 5 * (n - 10)
    return end - 2 if qualifier == "中期" else end


def cue_scope(m: re.Match[str], report_year: int | None) -> tuple[str, int | None]:
    """The scope and year a cue word gives, in a document whose 今年 is `report_year`."""
    kind = m.lastgroup
    if m.group("five"):
        end = five_year_end(m.group("fy"), m.group("fyq"))
        if m.group("fyq") == "以来" or (report_year is not None and end < report_year):
            return REVIEW, None
        return PERIOD, end
    if m.group("jin"):
        return THIS_YEAR, report_year
    if m.group("ming"):
        return NEXT_YEAR, report_year + 1 if report_year else None
    if m.group("review"):
        return REVIEW, None
    if m.group("y"):
        y = int(m.group("y"))
        if report_year is not None and y < report_year and m.group("yq") != "以来":
            return REVIEW, None
        return (THIS_YEAR if y == report_year else PERIOD), y
    if m.group("long"):
        return LONG, None if "世纪" in m.group("long") else 2035
    if kind == "yearly" and report_year is not None:
        return THIS_YEAR, report_year
    return NONE, None


def _genre(title: str, head: str) -> tuple[str, bool]:
    news = bool(_NEWS_RE.search(head[:400])) and not title.endswith(("报告", "方案", "纲要", "计划", "意见"))
    for source in (title, head[:600]):
        for name, rx in _GENRES:
            if rx.search(source):
                return name, news
    return "other", news


def _report_year(text: str, meta: PlanMeta, head: str) -> int | None:
    """The year the document calls 今年: its title's or session's year, the year after the one it reviews,
    the year its own words reveal (今年…“十五五”开局), its labelled date, the year of an annual list, else
    the first date at its top."""
    top = _URL_RE.sub(" ", head + "\n" + text[:1500])  # a date inside a web address dates the page copy
    for rx in (_TITLE_YEAR_RE, _SESSION_RE):
        if m := rx.search(top):
            return int(m.group(1))
    if m := _REVIEW_HEAD_RE.search(text[:20000]):
        return int(m.group(1)) + 1
    if m := _PERIOD_YEAR_RE.search(text[:20000]):
        return five_year_end(m.group("fy")) - (4 if m.group("start") else 0)
    if meta.date:
        return int(meta.date[:4])
    if m := _ANNUAL_RE.search(top):
        return int(m.group(1) or m.group(2))
    if m := _DOC_DATE_RE.search(_URL_RE.sub(" ", text[:300])):
        return int(m.group(1))
    if m := _YEAR_IS_RE.search(text[:2000]):
        return int(m.group(1))
    return None


def _cue(s: str, report_year: int | None, *, heading: bool) -> tuple[str, int | None, str] | None:
    """The scope a heading (anywhere in it) or a paragraph opening (its first words) states."""
    window = s if heading else s[:_OPENING]
    found = [m for m in CUE_RE.finditer(window)]
    if not found:
        return None
    scopes = [(cue_scope(m, report_year), m.group(0)) for m in found]
    if heading:
        forward = [x for x in scopes if x[0][0] not in (REVIEW, NONE)]
        reviews = [x for x in scopes if x[0][0] == REVIEW]
        # "“十四五”时期发展成就和“十五五”时期主要目标任务": the forward part wins, paragraphs then decide
        pick = forward[-1] if forward and not (reviews and "回顾" in s) else (reviews or forward or [None])[0]
        if pick is None:
            return None
        (scope, year), word = pick
        return scope, year, word
    m = found[0]
    if m.group("y") and not m.group("yq") and (m.start() > 1 or re.match(r"\s*\d{1,2}\s*月", s[m.end() :])):
        return None  # a year in passing, or a date (2025年05月11日), not the time the paragraph speaks of
    if m.group("yearly"):
        return None  # 民生实事 in a paragraph names a topic, not a time
    seps = [i for i, ch in enumerate(s[: m.start()]) if ch in ",;:。!?"]
    if seps and s[seps[-1]] in ",;:" and not (m.group("jin") or m.group("ming")):
        # …社会事业上,力争到“十四五”末,…: a period inside a sentence dates that sentence only (今年 after
        # 李强指, still speaks for the paragraph)
        return None
    (scope, year), word = scopes[0]
    return (scope, year, word) if scope != NONE else None


def document_time(
    text: str, meta: PlanMeta, sections: list[Section] | None = None, *, head: str = ""
) -> DocTime:
    """The time model of a document from its normalised text and metadata.

    `head` is the opening of the original text (Simplified), page furniture included: a page's own title
    line (市2023年政府工作报告) may say what the furniture step removed.
    """
    top = head + "\n" + text[:600]
    genre, news = _genre(meta.title, top)
    report_year = _report_year(text, meta, head)
    start, end = meta.period_start, meta.period_end
    title_period = bool(re.search(r"(?:19|20)\d{2}\s*[-—–~至]|十[一二三四五六七八九]五", meta.title))
    annual = genre == "work_report" or (
        not title_period
        and genre not in ("outline", "party_congress")
        and bool(_YEAR_IS_RE.search(text[:2000]) or _ANNUAL_RE.search(top))
    )
    if not title_period and (genre == "party_congress" or (genre == "other" and _AHEAD_RE.search(top))):
        end = None  # its 今后五年 has no year (GUIDELINES); a 到2027年目标 paragraph names one
    horizon = report_year if annual and report_year else end
    if annual and report_year and not title_period:
        start = end = report_year
    first = report_year if annual else (start or (end - 4 if end else None))
    doc = DocTime(genre, news, meta.date, report_year, (start, end), horizon, first)
    doc.parts = _parts(text, report_year)
    return doc


def _parts(text: str, report_year: int | None) -> list[Part]:
    parts: list[Part] = []
    pos = 0
    running: tuple[str, int | None, str] | None = None
    # the scope in force where a series of items (一是…, 二是…, ●…) began: an item's own time word holds
    # for that item (and what continues it), not for its siblings
    series: tuple[str, int | None, str] | None = None
    for line in text.split("\n"):
        end = pos + len(line)
        if m := _HEADING_RE.match(line):
            running = series = _cue(m.group("title"), report_year, heading=True)
        elif _SUB_HEADING_RE.match(line):
            # a sub-heading names a topic (…民生实事…) inside its part; it sets a scope only where none is
            if running is None or running[0] == NONE:
                running = _cue(line, report_year, heading=True) or running
            series = running
        elif line.strip() and "|" not in line:  # table rows carry their years in their columns
            own = _cue(line.strip(), report_year, heading=False)
            if intro := _GOAL_INTRO_RE.search(line):  # …到2027年具体目标: the goals that follow
                own = (PERIOD, int(intro.group(1)), intro.group(0))
            if _ITEM_RE.match(line):
                running = own or series
            else:
                running = series = own or running
        if running is not None:
            scope, year, cue = running
            if parts and parts[-1].end >= pos - 1 and (parts[-1].scope, parts[-1].year) == (scope, year):
                parts[-1].end = end
            else:
                parts.append(Part(pos, end, scope, year, cue))
        pos = end + 1
    return parts


def outline_scopes(original: str, meta: PlanMeta) -> tuple[str, dict[int, str]]:
    """For a stored plan: the document line (`describe`) and, by each section's start offset in the
    original text, the scope label of that section (what `gongfu plan show --outline` prints)."""
    from gongfu.plans.furniture import furniture_ranges
    from gongfu.plans.outline import parse_outline
    from gongfu.text import normalise

    norm = normalise(original, drop=furniture_ranges(original))
    sections = parse_outline(norm.text)
    doc = document_time(norm.text, meta, sections)
    labels = {norm.span_to_original(s.start, s.end)[0]: doc.scope_label(s.start) for s in sections}
    return doc.describe(), labels
