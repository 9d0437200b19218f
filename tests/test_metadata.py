"""Plan metadata: title, issuer, date, region name and period, from real pages and synthetic snippets."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongfu.plans.furniture import furniture_ranges
from gongfu.plans.metadata import place_from_slogans, place_from_title, read_meta
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "plans"


def meta_of(name: str):
    original = (DATA / name).read_text("utf-8")
    return read_meta(original, normalise(original, drop=furniture_ranges(original)).text)


def test_county_plan_from_its_web_page():
    m = meta_of("jiangshan-2021-2025-common-prosperity-action-plan.txt")
    assert m.title == "江山市跨越式高质量发展推进共同富裕示范区建设行动计划(2021—2025年)"
    assert m.date == "2021-10-16"  # the date line under the title
    assert m.region_name == "江山"
    assert (m.period_start, m.period_end) == (2021, 2025)
    assert m.region_code is None


def test_traditional_news_page_gives_simplified_metadata():
    m = meta_of("jiaxing-2021-common-prosperity-action-plan.txt")
    assert m.title == "嘉兴深化城乡统筹 推动高质量发展 建设共同富裕示范区的典范城市行动方案"
    assert m.date == "2021-09-09"
    assert m.region_name == "嘉兴"
    # no period in the title: "到2025年" in a plan issued in 2021
    assert (m.period_start, m.period_end) == (2021, 2025)


def test_portal_metadata_table_gives_issuer_and_date():
    m = meta_of("taizhou-2021-2025-common-prosperity-action-plan.txt")
    assert m.title == "台州高质量发展建设共同富裕先行市行动方案(2021-2025年)"
    assert m.issuer == "区发改局"
    assert m.date == "2022-05-30"
    assert m.region_name == "台州"
    assert (m.period_start, m.period_end) == (2021, 2025)


def test_party_decision_names_its_issuer_in_the_title():
    m = meta_of("jiaxing-2019-municipal-governance-decision.txt")
    assert m.issuer == "中共嘉兴市委"
    assert m.date == "2019-12-30"  # (2019年12月30日…全体会议通过)
    assert m.region_name == "嘉兴"


def test_excerpt_without_title_finds_its_place_from_slogans():
    m = meta_of("xiuzhou-party-congress-report-excerpt.txt")
    assert m.title == ""
    assert m.region_name == "秀洲"
    assert m.date is None


def test_signature_lines_give_issuer_and_date():
    text = (
        "某某县共同富裕示范区建设实施方案\n一、总体要求\n到2025年,全县居民人均可支配收入达到6万元。\n"
        "中共某某县委 某某县人民政府\n2021年11月5日\n"
    )
    m = read_meta(text, text)
    assert m.issuer == "中共某某县委 某某县人民政府"
    assert m.date == "2021-11-05"
    assert m.region_name == "某某"
    assert m.period_end == 2025


def test_printed_by_sentence_gives_issuer():
    text = "湖州市人民政府办公厅关于印发湖州市推进共同富裕实施方案的通知\n各区县人民政府:\n现将方案印发。\n"
    m = read_meta(text, text)
    assert m.issuer == "湖州市人民政府办公厅"
    assert m.title.startswith("湖州市人民政府办公厅关于印发")
    assert m.region_name == "湖州"


def test_five_year_plan_name_gives_the_period():
    text = "某区共同富裕行动计划\n为推进共同富裕,特制定“十四五”时期行动计划如下。\n"
    m = read_meta(text, text)
    assert (m.period_start, m.period_end) == (2021, 2025)
    text15 = "某区共同富裕行动计划\n为推进共同富裕,特制定“十五五”规划如下。\n"
    assert read_meta(text15, text15).period_start == 2026


def test_period_named_in_a_quoted_document_is_not_the_plans_own():
    text = "某市行动方案\n贯彻《浙江高质量发展建设共同富裕示范区实施方案(2021-2025年)》,到2035年基本实现。\n"
    m = read_meta(text, text)
    assert m.period_end == 2035


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("江山市跨越式高质量发展推进共同富裕示范区建设行动计划(2021—2025年)", "江山"),
        ("台州高质量发展建设共同富裕先行市行动方案(2021-2025年)", "台州"),
        ("中共嘉兴市委关于认真学习贯彻党的十九届四中全会精神 争当市域治理现代化排头兵的决定", "嘉兴"),
        ("秀洲区推进共同富裕行动方案", "秀洲"),
        ("关于推进共同富裕的实施意见", ""),
    ],
)
def test_place_from_title(title, place):
    assert place_from_title(title) == place


def test_slogans_need_two_different_prefixes_and_skip_common_nouns():
    assert place_from_slogans("建设美丽乡村、幸福乡村、平安乡村。") == ""
    assert place_from_slogans("打造美丽江山。") == ""
    assert place_from_slogans("打造美丽江山,建设平安江山,推进清廉江山建设。") == "江山"
