"""Plan outline: chapter structure of the sample plans, collapsed pages, and false markers rejected."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongfu.plans.furniture import furniture_ranges
from gongfu.plans.outline import cn_number, marker_kind, parse_outline, section_at
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "plans"


def norm_text(name: str) -> str:
    original = (DATA / name).read_text("utf-8")
    return normalise(original, drop=furniture_ranges(original)).text


def levels(sections) -> Counter:
    return Counter(s.level for s in sections)


def collapse(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


# Counts read off the files by eye: chapters 一…, items (一)…, 1.…, 一是…, —— bullets.
SAMPLES = {
    "jiangshan-2021-2025-common-prosperity-action-plan.txt": {1: 9, 2: 32, 3: 77, 4: 6},
    "jiaxing-2021-common-prosperity-action-plan.txt": {1: 3, 2: 10, 3: 44, 4: 12},
    "taizhou-2021-2025-common-prosperity-action-plan.txt": {1: 11, 2: 44, 3: 7},
    "jiaxing-2019-municipal-governance-decision.txt": {1: 8, 2: 2, 3: 34},
    "xiuzhou-party-congress-report-excerpt.txt": {1: 3},
}


@pytest.mark.parametrize(("name", "expected"), SAMPLES.items())
def test_sample_plan_outline_has_the_real_chapter_structure(name, expected):
    assert dict(levels(parse_outline(norm_text(name)))) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_outline_survives_lines_collapsed_into_one(name):
    text = norm_text(name)
    lines = parse_outline(text)
    flat = parse_outline(collapse(text))
    assert [s.path for s in flat] == [s.path for s in lines]
    assert [s.title for s in flat] == [s.title for s in lines]


def test_jiangshan_paths_titles_and_ends():
    text = norm_text("jiangshan-2021-2025-common-prosperity-action-plan.txt")
    secs = parse_outline(text)
    top = [s for s in secs if s.level == 1]
    assert [s.marker for s in top] == [f"{c}、" for c in "一二三四五六七八九"]
    assert top[0].title == "全面细化发展目标"
    # items are numbered 1…32 straight through the chapters
    items = [s for s in secs if s.level == 2]
    assert [s.path.split("/")[-1] for s in items] == [str(i) for i in range(1, 33)]
    first = items[0]
    assert first.path == "二/1"
    assert first.title == "深化“融衢接杭”融入区域一体化格局"
    assert first.end == items[1].start
    parts = [s for s in secs if s.path.startswith("二/1/")]
    assert [s.path for s in parts] == ["二/1/一是", "二/1/二是", "二/1/三是"]
    assert parts[-1].end == items[1].start
    assert top[-1].end == len(text)
    assert [s.path for s in secs if s.level == 4][:2] == ["一/——1", "一/——2"]


def test_jiaxing_items_restart_under_the_safeguards_chapter():
    secs = parse_outline(norm_text("jiaxing-2021-common-prosperity-action-plan.txt"))
    assert [s.path for s in secs if s.level == 3][-6:] == [
        "二/(八)/39",
        "三/1",
        "三/2",
        "三/3",
        "三/4",
        "三/5",
    ]
    assert next(s for s in secs if s.path == "二/(三)").title == "深入实施富民增收行动,打造均衡富庶发展先行地"


def test_damaged_page_keeps_items_after_lost_numbers():
    # the taizhou page lost items 14, 15, 27 and 28 with the text around them
    secs = parse_outline(norm_text("taizhou-2021-2025-common-prosperity-action-plan.txt"))
    numbers = [int(s.path.split("/")[-1]) for s in secs if s.level == 2]
    assert numbers == [n for n in range(1, 49) if n not in (14, 15, 27, 28)]
    chapter = next(s for s in secs if s.path == "三")
    assert chapter.title == "做强现代产业造富"
    assert next(s for s in secs if s.path == "五/16").title == "完善创新要素参与分配机制"


def test_excerpt_may_open_in_the_middle_of_a_list():
    secs = parse_outline(norm_text("xiuzhou-party-congress-report-excerpt.txt"))
    assert [s.path for s in secs] == ["(三)", "(四)", "(五)"]
    assert secs[0].title == "着力打造美丽秀洲,全力开展生态环境提升大行动"


def test_false_markers_inside_sentences_are_rejected():
    text = (
        "一、发展目标\n"
        "到2025年,地区生产总值达到1.5万亿元。其中1、2、3产比例优化,新增2.5万人。\n"
        "二、重点任务\n"
        "1.做强产业。推动一二三产融合,占比达到 3. 5左右。7.引进项目。\n"
        "2.扩大投资。确保统一是根本要求。\n"
    )
    secs = parse_outline(text)
    assert [s.path for s in secs] == ["一", "二", "二/1", "二/2"]
    assert secs[2].title == "做强产业"


def test_levels_follow_marker_kinds_that_are_present():
    text = (
        "一、总体要求\n(一)指导思想。坚持。\n(二)目标。到2025年。\n二、任务\n(一)产业。一是强链。二是补链。\n"
    )
    secs = parse_outline(text)
    assert [(s.path, s.level) for s in secs] == [
        ("一", 1), ("一/(一)", 2), ("一/(二)", 2), ("二", 1), ("二/(一)", 2),
        ("二/(一)/一是", 3), ("二/(一)/二是", 3),
    ]  # fmt: skip
    assert secs[5].title == "强链"


def test_parenthesised_and_circled_numbers():
    text = "一、任务\n1.产业\n(1)制造业。①智能化;②绿色化。\n(2)服务业。\n2.投资\n"
    secs = parse_outline(text)
    assert [s.path for s in secs] == [
        "一",
        "一/1",
        "一/1/(1)",
        "一/1/(1)/①",
        "一/1/(1)/②",
        "一/1/(2)",
        "一/2",
    ]
    assert [s.level for s in secs] == [1, 2, 3, 4, 4, 3, 2]


def test_long_heading_is_trimmed_to_forty_characters():
    text = "一、" + "推进共同富裕" * 10 + "\n二、任务\n"
    assert len(parse_outline(text)[0].title) == 40


def test_section_at_returns_the_innermost_section():
    text = norm_text("jiangshan-2021-2025-common-prosperity-action-plan.txt")
    secs = parse_outline(text)
    i = text.index("突出交通先导")
    assert section_at(secs, i).path == "二/1/一是"
    assert section_at(secs, text.index("深化“融衢接杭”融入区域")).path == "二/1"
    assert section_at(secs, 0) is None  # the title and preamble are outside every section
    assert section_at([], 10) is None


def test_marker_kind():
    kinds = [marker_kind(m) for m in ["一、", "(三)", "12.", "3、", "(2)", "②", "二是", "——"]]
    assert kinds == ["cn", "cnp", "num", "num", "nump", "circ", "shi", "dash"]


@given(st.integers(min_value=1, max_value=99))
def test_cn_number_reads_every_numeral_up_to_99(n):
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    s = ("" if tens < 2 else digits[tens - 1]) + ("十" if tens else "") + (digits[ones - 1] if ones else "")
    assert cn_number(s) == n


@given(st.text(alphabet="一二三、()1234.。是——\n 万年到达", max_size=200))
def test_sections_always_nest_inside_the_text(text):
    secs = parse_outline(text)
    for s in secs:
        assert 0 <= s.start < s.end <= len(text)
        assert text.startswith(s.marker, s.start)
    for a, b in itertools.pairwise(secs):
        assert a.start < b.start
        # properly nested: b is inside a, or starts at or after a's end
        assert b.end <= a.end or b.start >= a.end
