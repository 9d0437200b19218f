"""Plan document readers: encodings, HTML, docx, PDF, and the refusal of bad input."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from gongfu.errors import InputError
from gongfu.plans.readers import RawDocument, read_document

DATA = Path(__file__).parent / "data" / "plans"

SIMPLIFIED = "一、总体要求\n到2025年,全市居民人均可支配收入达到7.8万元,城乡居民收入倍差缩小到1.55以内。\n"
TRADITIONAL = "一、總體要求\n到2025年,全市居民人均可支配收入達到7.8萬元,城鄉居民收入倍差縮小到1.55以內。\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "utf-16", "utf-16"),
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
    ],
)
def test_text_file_encodings_are_detected(tmp_path, text, codec, expected):
    doc = read_document(write(tmp_path, "synthetic-plan.txt", text.encode(codec)))
    assert doc.original == text
    assert doc.encoding == expected
    assert doc.kind == "txt"


def test_big5_file_is_not_mistaken_for_gbk(tmp_path):
    # Big5 bytes also decode (wrongly) as GB18030; the common-character share must pick Big5
    sample = (DATA / "jiaxing-2021-common-prosperity-action-plan.txt").read_text("utf-8")
    para = next(line.strip() for line in sample.splitlines() if len(line.strip()) > 200 and "?" not in line)
    para = para.encode("big5", errors="ignore").decode("big5")
    doc = read_document(write(tmp_path, "synthetic-big5.txt", para.encode("big5")))
    assert doc.encoding == "big5"
    assert doc.original == para


def test_gb18030_real_plan_round_trips(tmp_path):
    text = (DATA / "jiangshan-2021-2025-common-prosperity-action-plan.txt").read_text("utf-8")
    doc = read_document(write(tmp_path, "jiangshan-gb18030.txt", text.encode("gb18030")))
    assert doc.encoding == "gb18030"
    assert doc.original == text


def test_crlf_line_ends_become_newlines(tmp_path):
    doc = read_document(write(tmp_path, "synthetic-crlf.txt", "第一行\r\n第二行\r\n".encode()))
    assert doc.original == "第一行\n第二行\n"


def test_sha256_is_of_the_file_bytes(tmp_path):
    data = SIMPLIFIED.encode("gb18030")
    doc = read_document(write(tmp_path, "synthetic.txt", data))
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.file_name == "synthetic.txt"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b"  \n\n ", "文件为空"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "二进制"),
        ("notes.xyz", b"hello", "不支持的文件类型"),
        ("noext", b"hello", "不支持的文件类型"),
    ],
)
def test_bad_input_is_refused_with_a_reason(tmp_path, name, data, reason):
    with pytest.raises(InputError) as e:
        read_document(write(tmp_path, name, data))
    assert reason in e.value.reason
    assert e.value.file == name
    assert "\n" not in e.value.message


def test_file_too_large_is_refused_before_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:
        f.truncate(200_000_000)  # sparse: no disk used, and never read
    with pytest.raises(InputError) as e:
        read_document(p)
    assert e.value.reason == "文件过大：200.0 MB，方案文件最大 20 MB"


def test_missing_file_or_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="无法读取文件"):
        read_document(tmp_path / "absent.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(InputError, match="无法读取文件"):
        read_document(tmp_path / "folder.txt")


def test_html_page_with_nothing_but_scripts_has_no_text(tmp_path):
    html = "<html><head><script>var a = 1;</script></head><body><nav>首页</nav></body></html>".encode()
    with pytest.raises(InputError, match="文档中没有文字"):
        read_document(write(tmp_path, "synthetic-empty.html", html))


# --- HTML --------------------------------------------------------------------------------------------

HOSTILE_HTML = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>站点</title>
<script>document.write('<p>注入</p>'); alert(1)</script><style>p{color:red}</style></head>
<body onload="steal()"><header><a href="/">首页</a> 网站导航</header>
<nav><a href="#">政务公开</a></nav>
<div class="breadcrumb">您当前的位置:首页 &gt; 正文</div>
<article id="printContent"><h1>某市共同富裕行动方案</h1>
<p onclick="evil()">一、总体要求</p><p>到2025年,居民人均可支配收入达到<b>7.8</b>万元。<br>二、重点任务</p>
<img src=x onerror="alert(2)"><iframe src="http://evil.example/"></iframe>
<table><tr><th>指标</th><th>2025年目标</th></tr><tr><td>城乡居民收入倍差</td><td>1.55</td></tr></table>
<div style="display: none">隐藏的垃圾文字</div>
<div class="bdsharebuttonbox">分享到 微信 微博</div></article>
<footer>版权所有 某市人民政府</footer></body></html>"""


def test_html_keeps_blocks_and_tables_and_drops_page_chrome(tmp_path):
    doc = read_document(write(tmp_path, "synthetic-page.html", HOSTILE_HTML.encode("gb18030")))
    assert doc.kind == "html"
    lines = doc.original.splitlines()
    assert lines[:4] == [
        "某市共同富裕行动方案",
        "一、总体要求",
        "到2025年,居民人均可支配收入达到7.8万元。",
        "二、重点任务",
    ]
    assert "指标 | 2025年目标" in lines
    assert doc.tables == [[["指标", "2025年目标"], ["城乡居民收入倍差", "1.55"]]]
    for junk in (
        "注入",
        "alert",
        "color:red",
        "网站导航",
        "政务公开",
        "隐藏",
        "分享到",
        "版权所有",
        "steal",
        "您当前",
    ):
        assert junk not in doc.original


def test_html_layout_table_keeps_its_paragraphs(tmp_path):
    long_para = "坚持以人民为中心的发展思想," * 30
    html = f"<table><tr><td><p>一、总体要求</p><p>{long_para}</p></td></tr></table>"
    doc = read_document(write(tmp_path, "synthetic-layout.htm", html.encode()))
    assert doc.original.splitlines() == ["一、总体要求", long_para]
    assert doc.tables == []


def test_deeply_nested_html_is_read_quickly(tmp_path):
    n = 200_000
    html = "<div>" * n + "<p>一、总体要求</p>" + "</div>" * n
    start = time.perf_counter()
    doc = read_document(write(tmp_path, "synthetic-deep.html", html.encode()))
    assert time.perf_counter() - start < 5
    assert doc.original == "一、总体要求"


# --- docx ---------------------------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("某县共同富裕行动计划(2021-2025年)")
    d.add_paragraph("一、主要指标")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["指标表", "单位", "2025年"], ["居民人均可支配收入", "万元", "7.8"], ["森林覆盖率", "%", "69.9"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("二、重点任务")
    d.save(path)
    return path


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    doc = read_document(make_docx(tmp_path / "synthetic-plan.docx"))
    assert doc.kind == "docx"
    assert doc.original.splitlines() == [
        "某县共同富裕行动计划(2021-2025年)",
        "一、主要指标",
        "指标表 | 单位 | 2025年",
        "居民人均可支配收入 | 万元 | 7.8",
        "森林覆盖率 | % | 69.9",
        "二、重点任务",
    ]
    assert doc.tables == [
        [["指标表", "单位", "2025年"], ["居民人均可支配收入", "万元", "7.8"], ["森林覆盖率", "%", "69.9"]]
    ]


def test_merged_docx_cells_are_read_once(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "主要指标"
    for c, v in enumerate(["GDP", "亿元", "450"]):
        t.cell(1, c).text = v
    d.save(tmp_path / "synthetic-merged.docx")
    doc = read_document(tmp_path / "synthetic-merged.docx")
    assert doc.tables == [[["主要指标"], ["GDP", "亿元", "450"]]]


def test_truncated_docx_is_refused(tmp_path):
    good = make_docx(tmp_path / "good.docx").read_bytes()
    with pytest.raises(InputError, match=r"已损坏的 \.docx"):
        read_document(write(tmp_path, "truncated.docx", good[: len(good) // 2]))
    with pytest.raises(InputError, match=r"已损坏的 \.docx"):
        read_document(write(tmp_path, "text-named-docx.docx", "这不是Word文件".encode()))


# --- PDF ----------------------------------------------------------------------------------------------


def minimal_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is `content` (Helvetica available as /F1)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_text_layer_is_read(tmp_path):
    pdf = minimal_pdf(b"BT /F1 12 Tf 20 100 Td (GDP growth 5.5 percent by 2025) Tj ET")
    doc = read_document(write(tmp_path, "synthetic-text.pdf", pdf))
    assert isinstance(doc, RawDocument)
    assert doc.kind == "pdf"
    assert doc.original.strip() == "GDP growth 5.5 percent by 2025"


def test_pdf_without_text_layer_is_refused(tmp_path):
    pdf = minimal_pdf(b"0 0 1 rg 10 10 100 100 re f")  # a filled rectangle, like a scanned page: no text
    with pytest.raises(InputError) as e:
        read_document(write(tmp_path, "synthetic-scan.pdf", pdf))
    assert e.value.reason == "PDF没有文字层（不支持OCR识别）"


@pytest.mark.parametrize("data", [b"not a pdf at all", minimal_pdf(b"BT ET")[:150]])
def test_damaged_pdf_is_refused(tmp_path, data):
    with pytest.raises(InputError, match="已损坏的PDF"):
        read_document(write(tmp_path, "synthetic-broken.pdf", data))


def test_sample_plans_read_as_utf8():
    for p in sorted(DATA.glob("*.txt")):
        doc = read_document(p)
        assert doc.encoding == "utf-8"
        assert len(doc.original) > 2000


def test_pdf_text_layer_lines_wrapped_at_the_page_edge_are_joined() -> None:
    from gongfu.plans.readers import join_wrapped_lines

    layer = (
        "一、主要目标\n"
        "到2025年，全市居民人均可支配收入达到7.8万元，城乡居民收入倍差缩小到1.6以内，山区县项\n"
        "目区建设取得明显成效，全市新增城镇就业人数达到五万人以上，城镇调查失业率控制在5\n"
        "%以内。\n"
        "二、重点任务\n"
        "（一）推进共同富裕示范区建设，打造一批标志性成果，促进全体人民共同富裕取得实质进展。\n"
        "（二）短的一行\n"
    )
    joined = join_wrapped_lines(layer)
    assert "山区县项目区建设" in joined and "控制在5%以内。" in joined  # names and units no longer broken
    assert "\n二、重点任务\n（一）推进" in joined  # headings and outline items stay on their own lines
    assert joined.count("\n") == layer.count("\n") - 2


def test_docx_body_after_an_information_source_paragraph_is_kept(tmp_path) -> None:
    from docx import Document

    d = Document()
    d.add_paragraph("某县共同富裕行动方案")
    d.add_paragraph("信息来源：某县人民政府办公室")
    d.add_paragraph("一、主要目标")
    d.add_paragraph("居民人均可支配收入达到7.8万元")
    d.add_paragraph("城乡居民收入倍差缩小到1.6以内")
    path = tmp_path / "plan.docx"
    d.save(path)
    from gongfu.plans.furniture import furniture_ranges
    from gongfu.text import normalise

    doc = read_document(path)
    text = normalise(doc.original, drop=furniture_ranges(doc.original)).text
    assert "居民人均可支配收入达到7.8万元" in text and "信息来源" not in text
