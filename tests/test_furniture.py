"""Page furniture: web debris is found and dropped, plan text never is."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from gongfu.plans.furniture import furniture_ranges
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "plans"


def read(name: str) -> str:
    return (DATA / name).read_text("utf-8")


def dropped(text: str) -> list[str]:
    return [text[a:b] for a, b in furniture_ranges(text)]


def kept(text: str) -> str:
    return normalise(text, drop=furniture_ranges(text)).text


def test_ranges_are_sorted_and_disjoint():
    text = read("jiaxing-2021-common-prosperity-action-plan.txt")
    ranges = furniture_ranges(text)
    assert ranges == sorted(ranges)
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(ranges))


def test_html_tag_debris_lines_go_even_behind_a_list_number():
    text = read("jiaxing-2021-common-prosperity-action-plan.txt")
    out = kept(text)
    assert "<dd" not in out and "noscript" not in out and "<th" not in out
    # the debris "1. <dd ...>" must not leave a false "1." marker behind
    assert not out.lstrip().startswith("1.")


def test_traditional_news_header_breadcrumb_and_share_footer_go():
    text = read("jiaxing-2021-common-prosperity-action-plan.txt")
    out = kept(text)
    for junk in ("门户网站", "当前的位置", "分享到", "二维码", "相关阅读", "责编"):
        assert junk not in out
    assert "嘉兴深化城乡统筹 推动高质量发展 建设共同富裕示范区的典范城市行动方案" in out
    assert "三、保障措施" in out
    assert out.rstrip().endswith("走共建共治共享的共同富裕之路。")


def test_government_portal_metadata_table_goes_but_title_stays():
    text = read("taizhou-2021-2025-common-prosperity-action-plan.txt")
    out = kept(text)
    for junk in ("索引号", "发布机构", "成文日期", "公开范围", "|"):
        assert junk not in out
    assert out.lstrip().startswith("台州高质量发展建设共同富裕先行市行动方案(2021-2025年)")


def test_breadcrumb_and_source_lines_go_from_a_county_page():
    text = read("jiangshan-2021-2025-common-prosperity-action-plan.txt")
    assert dropped(text) == [
        "您所在的位置:首页 > 示范创新 > 江山市跨越式高质量发展推进共同富裕示范区建设行动计划(2021—...\n",
        "信息来源:江山市人民政府网站",
    ]


def test_clean_document_loses_nothing():
    text = read("jiaxing-2019-municipal-governance-decision.txt")
    assert furniture_ranges(text) == []


@pytest.mark.parametrize(
    "name",
    [
        "jiangshan-2021-2025-common-prosperity-action-plan.txt",
        "jiaxing-2021-common-prosperity-action-plan.txt",
        "taizhou-2021-2025-common-prosperity-action-plan.txt",
        "xiuzhou-party-congress-report-excerpt.txt",
    ],
)
def test_no_sentence_of_the_plan_body_is_dropped(name):
    text = read(name)
    for part in dropped(text):
        # plan sentences end in 。; furniture never contains a whole one
        assert "。" not in part, part


def test_collapsed_page_furniture_is_found_inside_one_line():
    body = "一、总体要求 到2025年,居民人均可支配收入达到7.8万元。二、重点任务 1.做强产业。"
    text = (
        "您当前的位置:首页 > 政务公开 > 规划计划 "
        "索引号: | 001008/2022-1 | 发布机构: | 市发改委 | 成文日期: | 2022-05-30 | "
        f"某市共同富裕行动方案 【打印本页】【关闭窗口】 分享到:微信 微博 {body} "
        "版权所有:某市人民政府 主办单位:某市人民政府办公室 浙ICP备12345678号"
    )
    assert "\n" not in text
    out = kept(text)
    for junk in ("位置", "政务公开", "索引号", "发布机构", "打印", "关闭", "分享", "版权", "主办", "ICP"):
        assert junk not in out
    assert body in out
    assert "某市共同富裕行动方案" in out


def test_body_words_that_resemble_furniture_stay_in_long_lines():
    line = (
        "二、拓宽资金来源。鼓励社会资本参与,由市政府主办单位协调各方,形成多元投入格局,确保项目落地见效,"
        "推动形成可复制可推广的经验做法,不断提高群众获得感幸福感安全感,为全省大局作出更大贡献,建设共同富裕示范区。"
    )
    assert kept(line + "\n") == line + "\n"
