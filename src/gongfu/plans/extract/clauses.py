"""Turn the figures of one sentence into targets: indicator, comparator, ambition, year, span.

The sentence is the scope of 力争/确保; its figures are read left to right. A figure followed by another
figure in the same clause without a separator is part of the indicator's name (其中10亿元以上项目20个) or a
baseline (从5.5万元提高到7.8万元); the others are targets. Lists pair up (A、B分别达到x、y; A、B、C 3个100%).
"""

from __future__ import annotations

import re
from dataclasses import replace

from gongfu.plans.extract.figure_rules import accept_bare, change_verb, comparator, unit_and_damage, upgrades
from gongfu.plans.extract.figures import Figure, find_figures
from gongfu.plans.extract.lexicon import (
    ACTION_ONLY_RE,
    ACTION_PREFIX_RE,
    DEFINITION_RE,
    ELIMINATE_RE,
    NAME_TAIL_RE,
    NEW_COUNT_PREFIX_RE,
    PAST_RE,
    PREPOSITION_RE,
    RECORD_RE,
    SCOPE_RE,
    STRUCTURE_NOUN_RE,
)
from gongfu.plans.extract.lists import (
    MULTIPLIER_RE,
    coverage_list,
    enumeration,
    multiplied,
    pair_lists,
    shared_rate,
)
from gongfu.plans.extract.phrases import (
    SEP_RE,
    ambition_at,
    clean_indicator,
    comparator_verb,
    lead_len,
    split_items,
    year_at,
)
from gongfu.plans.extract.records import Found, Sentence
from gongfu.plans.extract.sentences import mask_brackets
from gongfu.plans.extract.units import COUNT_UNITS, unit_base

_CLAUSE_SEP_RE = re.compile(r"[,,;;::]")
_CONJ_RE = re.compile(r"以及|且|和|及|并|或|与")
_BASELINE_GAP_RE = re.compile(
    r"^\s*的?\s*(?:[提增降下减上升扩缩][高长加低降少升大小]?)?\s*(?:到|至)\s*(?:\d{4}年)?的?\s*$"
)
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_ALLOCATE_RE = re.compile(r"(?:左右)?(?:安排|确定|设定)")
_FROM_CUT_RE = re.compile(r"(?:分别)?(?:从|由)(?:目前|现在|现有|当前)?的?\d.*$")
_LIST_FIG = r"\d+(?:,\d{3})*(?:\.\d+)?\s*[^\d、,;。和与及]{0,6}?"
# 分别从A、B提高到C、D: the list after 从/由 is the starting points.
_FROM_LIST_RE = re.compile(
    rf"(?:从|由)(?P<a>{_LIST_FIG}(?:(?:、|和|与|及){_LIST_FIG})+)\s*"
    r"(?:[提增降下减上扩缩跃][高长加低降少升大小]?|跃升|提升|增加|提高)(?:到|至)"
)
_BASELINE_FROM_RE = re.compile(r"(?:由|从)(?:\d{4}年(?:底|末)?的?)?\s*$")
_WS_RE = re.compile(r"\s+")
_POST_STOP_RE = re.compile(r"[,,;;::、\d]|以及|和|及|与|且")
_ATTRIBUTE_UNITS = frozenset({"年", "岁", "天"})  # 3岁以下婴幼儿…, 不低于10年的使用权: a group or a term
_RANK_NAME_RE = re.compile(r"(?:世界|全球|中国|全国|民营企业|服务业)$")
# After a Chinese-numeral count of livelihood projects (十件民生实事, 十个项目为2023年度…民生实事项目): the noun.
_PROJECTS_NAME_RE = re.compile(r"(?:项目为[^。,;]{0,24}?)?(?P<name>[^。,;\d]{0,12}?民生实事(?:项目)?)")
_LIST_JOINERS = ("、", "和", "及", "与", "以及")  # between the values of a list: 80%、90% / 9万元和5万元


def _is_modifier(sent: Sentence, f: Figure, nxt: Figure) -> bool:
    """`f` names the thing measured by `nxt` (其中10亿元以上项目20个) when nothing separates them."""
    gap = sent.masked[f.after : nxt.start]
    return not SEP_RE.search(gap) and not _CONJ_RE.search(gap) and "(" not in gap


def _main_figures(sent: Sentence, figs: list[Figure]) -> tuple[list[Figure], dict[int, float]]:
    """The figures that are targets' values, and baselines (从X提高到Y) keyed by the target figure's start."""
    s = sent.s
    definitions = [(m.start(), m.end()) for m in DEFINITION_RE.finditer(s)]
    mains: list[Figure] = []
    baselines: dict[int, float] = {}
    list_baselines = [(m.start("a"), m.end("a")) for m in _FROM_LIST_RE.finditer(s)]
    for i, f in enumerate(figs):
        nxt = figs[i + 1] if i + 1 < len(figs) else None
        if any(a <= f.start < b for a, b in list_baselines):
            continue  # 分别从A、B提高到C、D: A and B are where the two start
        if nxt is not None and f.unit != "年一遇" and not f.rank and _is_modifier(sent, f, nxt):
            if _BASELINE_GAP_RE.match(s[f.after : nxt.start]) and "从" in s[max(0, f.start - 12) : f.start]:
                baselines[nxt.start] = f.value
            continue
        if any(a <= f.start < b for a, b in definitions) or _in_aside(s, f.start):
            continue
        if NAME_TAIL_RE.match(s[f.after :]):
            continue
        if unit_base(f.unit) in ("项", "个") and STRUCTURE_NOUN_RE.match(s[f.after :]):
            continue  # 提出30项重点任务, 6个方面: the document's own structure
        mains.append(f)
    return mains, baselines


def _segment_start(sent: Sentence, prev_end: int, at: int) -> tuple[int, int]:
    """(segment start, clause start) for a figure at `at`: where its own words begin."""
    m = sent.masked
    clause = max((x.end() for x in _CLAUSE_SEP_RE.finditer(m, 0, at)), default=0)
    seps = list(SEP_RE.finditer(m, prev_end, at))
    if seps and "分别" in m[seps[-1].end() : at]:
        # a list of indicators runs up to 分别 (A、B分别达到x、y): keep it whole
        start = seps[0].end() if prev_end else 0
    elif seps:
        start = seps[-1].end()
    else:
        # two figures joined by 和/且 (1所…和10所…); not a list of indicators before 分别
        conj = _CONJ_RE.search(m, prev_end, at) if prev_end and "分别" not in m[prev_end:at] else None
        start = conj.end() if conj else prev_end
    return max(start, clause), clause


def _post_text(sent: Sentence, f: Figure) -> tuple[str, int]:
    """The noun phrase after a figure up to the clause end (the thing counted in 打造3个…中心)."""
    m = _POST_STOP_RE.search(sent.masked, f.after)
    end = m.start() if m else len(sent.s)
    raw = sent.s[f.after : end]
    text = raw.strip().lstrip("的")
    if _ALLOCATE_RE.fullmatch(text):
        return "", f.after  # 按增长6%安排: the allocation verb closes the clause
    return text, end - (len(raw) - len(raw.rstrip()))


def sentence_targets(
    s: str,
    *,
    horizon: int | None,
    cut: bool = False,
    first: int | None = None,
    report_year: int | None = None,
    forward: bool = False,
    rejected: bool = False,
) -> list[Found]:
    """All targets of sentence `s` (offsets relative to `s`).

    With `rejected`, the figures the tense rules set aside (a record word in the sentence or the clause, a
    past word before them) are returned too, each with its reason in `Found.rejected`, for the
    past-versus-goal judge (`plans.extract.tense`) to decide. The others are the same either way.
    """
    figs = find_figures(s)
    if not figs:
        return []
    masked = mask_brackets(s)
    for m in _FROM_LIST_RE.finditer(s):  # the starting points of 分别从A、B… are no list of indicators
        a, b = m.span("a")
        masked = masked[:a] + re.sub(r"[、和与及]", "_", masked[a:b]) + masked[b:]
    sent = Sentence(s, masked, horizon, cut, first, report_year)
    mains, baselines = _main_figures(sent, figs)
    record = [(m.start(), m.end()) for m in RECORD_RE.finditer(s)]
    past_at = min((m.start() for m in PAST_RE.finditer(s)), default=len(s) + 1)
    whole = bool(record) and not forward  # 比上年, 同比, “十三五”期间 …: the sentence reports the record
    # in a part about the future (this year, the coming period) a record word voids its own clause only
    # (粮食产量1300亿斤以上、力争比去年实现更多增长)
    record_clauses = [_clause_of(s, a, b) for a, b in record]
    kept = [] if whole else _read_figures(sent, mains, baselines, record_clauses, past_at)
    if not rejected or not (record or past_at <= len(s)):
        return kept
    have = {(t.start, t.end, t.value) for t in kept}
    for t in _read_figures(sent, mains, baselines, [], len(s) + 1):
        if (t.start, t.end, t.value) not in have:
            in_record = any(a < t.end <= b for a, b in record_clauses)  # the figure ends the target's span
            t.rejected = "record" if whole else "record_clause" if in_record else "past_word"
            kept.append(t)
    return kept


def _read_figures(
    sent: Sentence,
    mains: list[Figure],
    baselines: dict[int, float],
    record_clauses: list[tuple[int, int]],
    past_at: int,
) -> list[Found]:
    """Read the main figures left to right (a figure's reading depends on the one before it)."""
    out: list[Found] = []
    prev_end = 0
    prev: Found | None = None
    for f in mains:
        if f.start >= past_at:
            break
        if any(a <= f.start < b for a, b in record_clauses):
            continue
        found = _figure_target(sent, f, prev_end, prev)
        if found is None:
            prev = None if prev is not None and sent.s[prev_end : f.start].strip() in _LIST_JOINERS else prev
            prev_end = f.after
            continue
        prev_end = f.after
        found_list = found if isinstance(found, list) else [found]
        for t in found_list:
            t.baseline = baselines.get(f.start)
            if t.baseline is not None and "从" in t.indicator:
                t.indicator = t.indicator[: t.indicator.index("从")]  # 居民收入从5.5万元提高到7.8万元
        out.extend(found_list)
        prev = found_list[-1]
    return pair_lists(sent, out)


_RECORD_SEP_RE = re.compile(r"[,;:、]")


def _in_aside(s: str, at: int) -> bool:
    """A figure inside an open bracket before it (…步道30条(每条5公里…): a detail, not a goal."""
    opened = s.rfind("(", 0, at)
    return opened >= 0 and s.rfind(")", opened, at) < 0 and at - opened <= 12


def _clause_of(s: str, a: int, b: int) -> tuple[int, int]:
    """The clause (between ,;:、 separators) around s[a:b]."""
    start = max((m.end() for m in _RECORD_SEP_RE.finditer(s, 0, a)), default=0)
    m = _RECORD_SEP_RE.search(s, b)
    return start, m.start() if m else len(s)


def _figure_target(
    sent: Sentence, f: Figure, prev_end: int, prev: Found | None
) -> Found | list[Found] | None:
    s = sent.s
    year, past = year_at(s, f.start, sent.horizon, sent.first, sent.report_year)
    if past:
        return None
    seg_start, clause_start = _segment_start(sent, prev_end, f.start)
    pre = s[seg_start : f.start]
    lead = lead_len(pre)
    pre_clean = pre[lead:]
    ambition = ambition_at(s, f.start)
    unit, damaged = f.unit, False

    if f.chinese and (name := _PROJECTS_NAME_RE.match(s, f.end)):  # 这十件民生实事: the count names its noun
        indicator = name.group("name").removeprefix("年度").removeprefix("年")  # 2023年度…
        return Found(indicator, f.value, None, f.unit, "==", year, ambition, f.start, name.end(), "", False)
    if f.striving and prev is not None:  # the 争4 of 保5争4
        return Found(prev.indicator, f.value, None, "", "<=", year, "striving", prev.start, f.end, "", False)
    # A value list continues (…分别达到80%、90%): nothing but the separator since the last figure.
    if prev is not None and s[prev_end : f.start].strip() in _LIST_JOINERS:
        return Found(
            prev.indicator,
            f.value,
            f.value2,
            _WS_RE.sub("", unit),
            "",
            year,
            ambition,
            prev.start,
            f.end,
            f.hedge,
            False,
        )
    if PREPOSITION_RE.search(pre_clean.rstrip(" 约")) and f.unit != "年一遇":
        return None
    clause = s[clause_start : f.start]
    if (
        clause.rstrip().endswith("共")
        and "、" in clause
        and comparator_verb(clause) is None
        and not ACTION_PREFIX_RE.match(clean_indicator(clause))
    ):
        return None  # 上海青浦、江苏吴江、浙江嘉善共2413平方公里: the size of what is listed
    if _BASELINE_FROM_RE.search(pre_clean):
        return None  # 覆盖率由29.5%… : a starting point whose target the page lost
    if f.bare and not f.chinese and not accept_bare(sent, f, pre):
        return None
    post, post_end = _post_text(sent, f)
    if post and f.unit in _ATTRIBUTE_UNITS:
        return None
    verb = comparator_verb(pre_clean)
    change = change_verb(pre_clean, f.unit)
    head = pre_clean
    if change is not None and (verb is None or change.start() <= verb.start()):
        head = pre_clean[: change.start()]
        if not clean_indicator(head):
            head = pre_clean[change.end() : verb.start() if verb and verb.start() >= change.end() else None]
    elif verb is not None:
        head = pre_clean[: verb.start()]
    indicator = clean_indicator(_FROM_CUT_RE.sub("", head))
    if f.rank:
        indicator = indicator.removesuffix("保")  # 地区生产总值保5争4
    if f.unit == "强" and _RANK_NAME_RE.search(indicator):
        return None  # 世界500强 is a name
    start = seg_start + lead
    end = f.end
    has_post = bool(post) and bool(_HAN_RE.search(post)) and bool(f.unit or f.chinese or f.hedge)
    action = ACTION_PREFIX_RE.match(indicator)
    is_list_count = has_post and enumeration(sent, clause_start, f)
    if is_list_count and not ACTION_PREFIX_RE.match(clean_indicator(s[clause_start : f.start])):
        return None  # …、醉美碗窑风行线6条乡村休闲游精品线路: the count of a list, not a goal
    figure_first = has_post and (
        not indicator
        or ACTION_ONLY_RE.fullmatch(indicator)
        or indicator.endswith("等")
        or SCOPE_RE.fullmatch(indicator)
        or PREPOSITION_RE.fullmatch(indicator)
        or is_list_count
        or (action is not None and unit_base(f.unit) in COUNT_UNITS)
        or (change is not None and not change.group("per"))
        or (change is None and upgrades(pre_clean, f.unit))
    )
    if figure_first:
        prefix = NEW_COUNT_PREFIX_RE.match(indicator)
        indicator = (prefix.group(0) if prefix else "") + clean_indicator(post)
        end = post_end
        change = None
    elif action is not None and has_post and "全覆盖" not in post and action.end() < len(indicator):
        indicator = indicator[action.end() :] + clean_indicator(post)  # 建成王江泾镇5万吨/日工业污水处理厂
    eliminate = ELIMINATE_RE.search(indicator)
    if indicator and not figure_first and ((has_post and "全覆盖" in post) or eliminate):
        # a threshold everyone must pass: name(threshold and coverage as written), as the gold labels do
        name = indicator[eliminate.end() :] if eliminate else indicator
        detail = (indicator[: eliminate.end()] if eliminate else "") + s[f.start : f.after] + post
        indicator = f"{name}({_WS_RE.sub('', detail)})"
    inherited = False
    if indicator.startswith("占") and prev is not None:
        indicator, start = prev.indicator + indicator, prev.start  # …支出13.6亿元,占GDP比重达到2.8%
    if not indicator and prev is not None:
        indicator, start, inherited = prev.indicator, prev.start, True
    if not indicator:
        indicator = clean_indicator(pre) or clean_indicator(post)
    if not indicator:
        return None

    cmp = comparator(f, pre_clean, verb, change)
    if inherited and prev is not None and verb is None and change is None and not f.hedge_cmp:
        cmp = prev.comparator  # …达到9000亿元以上、力争1万亿元
    unit, damaged = unit_and_damage(sent, f, indicator)
    found = Found(indicator, f.value, f.value2, unit, cmp, year, ambition, start, end, f.hedge, damaged)
    items = multiplied(sent, clause_start, seg_start, pre) or shared_rate(
        sent, found, clause_start, seg_start
    )
    if items is None and unit in ("%", "‰") and "”“" in head:
        items = split_items(s, sent.masked, start, seg_start + lead + len(head), quotes=True)
        items = items if len(items) > 1 else None
    if not items:
        if not has_post or "全覆盖" not in post:
            return found
        return coverage_list(sent, found, clause_start, prev)
    mult = MULTIPLIER_RE.search(pre)
    if mult and mult.group("verb"):
        found.comparator = ">="
    return [replace(found, indicator=text, start=off) for off, text in items]
