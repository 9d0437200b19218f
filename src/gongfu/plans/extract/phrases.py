"""Small readers of clause text: the governing verb, the indicator words, list items, ambition and year."""

from __future__ import annotations

import re

from gongfu.plans.extract.lexicon import AMBITION_RE, INNER_RE, LEAD_RE, TRAIL_RE, VERB_RE, YEAR_RE

SEP_RE = re.compile(r"[,,;;::、]")
# A verb is part of the indicator's name when a name word follows it (文明好习惯养成实现率, 达标率).
NAME_WORD_RE = re.compile(r"率|比重|比例|占比|数|量|面积|水平|能力|规模|总额|收入|指数|系数|值")
_LIST_SPLIT_RE = re.compile(r"、|以及|和|与|及")
_QUOTE_SPLIT_RE = re.compile(r"”(?=“)|\"(?=\")")
_ITEM_LEAD_RE = re.compile(r"^(?:落实|实现|确保|推进|推动|优化|完善|联动|加快)")
_WS_RE = re.compile(r"\s+")
# The opening of a list of goals (今年发展主要预期目标是…): not part of the first indicator.
_GOAL_INTRO_RE = re.compile(r"^.*?(?:目标|指标)(?:是|为|有)")
_PAST_YEAR_BEFORE = ("比", "较", "从", "以", "自", "与", "—", "-", "~")
_NO_YEAR_RE = re.compile(r"(?:本|21|二十一)世纪中叶")  # 到本世纪中叶: a horizon with no year


def comparator_verb(pre: str) -> re.Match[str] | None:
    """The comparator verb governing a figure that follows `pre`.

    The first verb whose gap to the figure holds no name word; a gap ending in 的 is an object of
    comparison (超过全省平均水平的70%) and does not count as a name.
    """
    for m in VERB_RE.finditer(pre):
        gap = pre[m.end() :]
        if gap.rstrip().endswith("的") or not NAME_WORD_RE.search(gap):
            return m
    return None


def lead_len(s: str) -> int:
    m = LEAD_RE.match(s)
    return m.end() if m else 0


_PINYIN_RE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")  # 乡(xiāng)村: a repost's glosses


def clean_indicator(s: str) -> str:
    """Indicator words without ambition words, leading function words, trailing adverbs and spaces."""
    s = _PINYIN_RE.sub("", INNER_RE.sub("", s))
    s = _WS_RE.sub("", s)
    s = _GOAL_INTRO_RE.sub("", s)
    s = LEAD_RE.sub("", s)
    s = TRAIL_RE.sub("", s)
    if s.count("“") != s.count("”"):  # a quote cut by the clause edge
        s = s.strip("“”")
    if s.count('"') % 2:
        s = s.strip('"')
    return s


def split_items(s: str, masked: str, a: int, b: int, *, quotes: bool = False) -> list[tuple[int, str]]:
    """Split s[a:b] into list items (at 、/和/与/及, or between adjacent quoted names when `quotes`)."""
    splitter = _QUOTE_SPLIT_RE if quotes else _LIST_SPLIT_RE
    pieces: list[tuple[int, int]] = []
    pos = a
    for m in splitter.finditer(masked, a, b):
        if quotes:
            pieces.append((pos, m.end()))
            pos = m.end()
        else:
            pieces.append((pos, m.start()))
            pos = m.end()
    pieces.append((pos, b))
    items: list[tuple[int, str]] = []
    for x, y in pieces:
        text = s[x:y]
        lead = lead_len(text)
        clean = clean_indicator(text)
        am = _ITEM_LEAD_RE.match(clean)
        if am:
            clean = clean[am.end() :]
            lead += text[lead:].find(clean[:1]) if clean else 0
        if clean:
            items.append((x + lead, clean))
    return items


_CLAUSE_END_RE = re.compile(r"[,;:、]")
_BETTER_RE = re.compile(r"[^,;:、]{0,4}?更(?:好|优|多|大|高|快)")
_DIGIT_RE = re.compile(r"\d|[一二两三四五六七八九十百千万]+(?:个|项|家|条|倍|番)")


def ambition_at(s: str, at: int) -> str:
    """'striving' after 力争/争取 in the sentence, unless a later 确保 comes before `at`.

    A 争取更好结果 / 争取更优水平 after a figure (its clause holds no figure of its own) hedges that figure
    upward; it makes neither that figure nor the later ones striving.
    """
    amb = "binding"
    for m in AMBITION_RE.finditer(s, 0, at):
        end = _CLAUSE_END_RE.search(s, m.end())
        clause_end = end.start() if end else len(s)
        if _BETTER_RE.match(s, m.end()) and not _DIGIT_RE.search(s, m.end(), clause_end):
            continue
        amb = m.lastgroup or "binding"
    return amb


def year_at(
    s: str, at: int, horizon: int | None, first: int | None = None, report_year: int | None = None
) -> tuple[int | None, bool]:
    """(target year, is_past) from the last year or time word named before `at`.

    A year before `first` (the first year of the document's own time; the plan period's by default) is
    the past. Time words (今年, 明年, “十五五”, 到本世纪中叶 …) resolve through `doctime.cue_scope`.
    """
    from gongfu.plans.doctime import CUE_RE, LONG, NEXT_YEAR, PERIOD, THIS_YEAR, cue_scope

    year, past = horizon, False
    if first is None:
        first = horizon - 4 if horizon else None
    years, cues, vagues = _time_marks(s)
    if any(m.start() < at < m.end() for m in (*years, *cues)):  # a mark `at` cuts: read up to `at` only
        years, cues = list(YEAR_RE.finditer(s, 0, at)), list(CUE_RE.finditer(s, 0, at))
        cues = [m for m in cues if not m.group("y")]
    years = [m for m in years if m.end() <= at]
    marks = [(m.start(), "y", m) for m in years]
    marks += [(m.start(), "cue", m) for m in cues if m.end() <= at]
    for _, kind, m in sorted(marks, key=lambda x: x[0]):
        if kind == "cue":
            scope, y = cue_scope(m, report_year)
            if scope == PERIOD and first is not None and y is not None and y < first:
                past = True  # “十三五”时期: a period already over
            elif scope in (THIS_YEAR, NEXT_YEAR, PERIOD, LONG) and (y is not None or scope == LONG):
                year, past = y, False
            elif scope in (THIS_YEAR, NEXT_YEAR) and report_year is None and "今年" in m.group(0):
                year, past = None, False  # a 今年 whose year the document never reveals
            continue
        y = int(m.group("y"))
        if s[max(0, m.start() - 1) : m.start()] in _PAST_YEAR_BEFORE:
            continue
        if s[m.end() : m.end() + 1] in ("—", "-", "至", "~") or s.startswith("远景", m.end()):
            continue  # a period such as 2021—2025年, or the name of a goal (2035年远景目标)
        if first is not None and y < first:
            past = not m.group("to")
        else:
            year, past = y, False
    vague = max((m.start() for m in vagues if m.end() <= at), default=-1)
    if vague >= 0 and not any(m.start() > vague for m in years):
        return None, False
    return year, past


_marks_of: list = [None, None]  # the last sentence read and its time marks


def _time_marks(s: str) -> tuple[list[re.Match[str]], list[re.Match[str]], list[re.Match[str]]]:
    """Years, time words and year-less horizons of `s`, found once for all the figures of a sentence
    (`year_at` runs for each figure: scanning the sentence again each time is quadratic in its figures)."""
    from gongfu.plans.doctime import CUE_RE

    if _marks_of[0] is not s:
        cues = [m for m in CUE_RE.finditer(s) if not m.group("y")]
        _marks_of[:] = [s, (list(YEAR_RE.finditer(s)), cues, list(_NO_YEAR_RE.finditer(s)))]
    return _marks_of[1]
