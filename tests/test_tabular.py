"""The one table reader: encodings, a real yearbook layout (title, 单位 line, merged two-row header, notes),
schema aliases and unknown headers, formula cells, and the zip-bomb guard."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from gongfu.errors import InputError
from gongfu.observations.reader import read_observations_result
from gongfu.tabular import Column, Schema, check_zip, decode, read_table

SCHEMA = Schema((Column("indicator", ("指标", "indicator"), required=True),), years=True)


def synthetic_yearbook(path: Path) -> Path:
    """A sheet laid out as statistical yearbooks are: a merged title, a 单位 line, 指标 merged over two
    header rows beside a merged 年份 over the years, and a closing note."""
    wb = Workbook()
    ws = wb.active
    ws.append(["嘉兴市主要经济指标（2020—2022年）", None, None, None])
    ws.append(["单位：万元", None, None, None])
    ws.append(["指标", "年份", None, None])
    ws.append([None, "2020年", "2021年", "2022年"])
    ws.append(["全市生产总值", 55096000, 63883800, 67394500])
    ws.append(["一般公共预算收入", 5982000, 6841000, 7095000])
    ws.append(["注：生产总值按当年价格计算。", None, None, None])
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:D2")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:D3")
    wb.save(path)
    return path


def test_yearbook_title_unit_line_and_merged_header(tmp_path: Path) -> None:
    t = read_table(synthetic_yearbook(tmp_path / "synthetic-yearbook.xlsx"), SCHEMA)
    assert t.title == "嘉兴市主要经济指标（2020—2022年）"
    assert t.unit == "万元"
    assert t.header == ["指标", "2020年", "2021年", "2022年"] and t.header_row == 4
    assert [n for n, _ in t.rows] == [5, 6]
    assert t.notes == ["注：生产总值按当年价格计算。"]


def test_yearbook_with_mapping_imports_in_the_catalog_unit(tmp_path: Path) -> None:
    """Before the one reader, this workbook failed with a misleading 缺少“地区”列 even with --mapping."""
    book = synthetic_yearbook(tmp_path / "synthetic-yearbook.xlsx")
    mapping = tmp_path / "jiaxing.toml"
    mapping.write_text(
        'region = "嘉兴市"\n[indicators]\n"全市生产总值" = "gdp"\n"一般公共预算收入" = "general_budget_revenue"\n',
        encoding="utf-8",
    )
    result = read_observations_result(book, mapping=mapping)
    assert result.layout == "wide" and len(result.drafts) == 6
    gdp = {d.year: d for d in result.drafts if d.indicator == "gdp"}
    assert gdp[2022].region == "330400" and gdp[2022].unit == "亿元" and gdp[2022].original_unit == "万元"
    assert gdp[2022].value == pytest.approx(6739.45) and gdp[2022].source_row == 5


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_chinese_csv_in_any_common_encoding(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / f"synthetic-{encoding}.csv"
    f.write_bytes("指标,2021年\n全市生产总值,6388.38\n".encode(encoding))
    t = read_table(f, SCHEMA)
    assert t.header == ["指标", "2021年"] and t.rows == [(2, ["全市生产总值", "6388.38"])]


def test_binary_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="二进制"):
        decode(bytes(range(256)) * 8, "x.csv")


def test_unknown_headers_are_listed_and_aliases_match(tmp_path: Path) -> None:
    f = tmp_path / "synthetic.csv"
    f.write_text("工单编号,所属镇街,满意度\n1,南湖街道,满意\n", encoding="utf-8")
    schema = Schema((Column("id", ("工单编号",)), Column("town", ("镇街", "所属镇街"))))
    t = read_table(f, schema)
    assert t.columns == {"id": 0, "town": 1} and t.unknown == ["满意度"]


def test_uncalculated_formula_cells_are_reported(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["指标", "2021年"])
    wb.active.append(["全市生产总值", "=1+2"])
    wb.save(tmp_path / "f.xlsx")
    t = read_table(tmp_path / "f.xlsx", SCHEMA)
    [p] = t.formula_problems()
    assert (p.row, p.code, p.column) == (2, "formula", "2021年") and "=1+2" in p.message


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (8 * 2**20)})  # 8 MiB of zeros, ~8 KiB compressed
    with pytest.raises(InputError, match="压缩"):
        check_zip(bomb, "bomb.xlsx")
    monkeypatch.setenv("GONGFU_ZIP_MAX_RATIO", "100000")
    monkeypatch.setenv("GONGFU_ZIP_MAX_BYTES", str(2**20))
    with pytest.raises(InputError, match="解压后过大"):
        check_zip(bomb, "bomb.xlsx")
    monkeypatch.setenv("GONGFU_ZIP_MAX_BYTES", str(2**30))
    monkeypatch.setenv("GONGFU_ZIP_MAX_ENTRIES", "3")
    with pytest.raises(InputError, match="文件过多"):
        check_zip(_zip({f"{i}.xml": b"x" for i in range(5)}), "many.xlsx")


def test_a_lying_header_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An entry declaring 10 bytes that inflates to 1 MiB: zipfile stops at the declared size and fails its
    CRC, so the file is refused as damaged; nothing past the declared size is ever inflated."""
    data = bytearray(_zip({"xl/workbook.xml": b"0" * 2**20}))
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")  # the central directory's uncompressed size
    monkeypatch.setenv("GONGFU_ZIP_MAX_RATIO", "100000")
    check_zip(bytes(data), "liar.xlsx")  # declared sizes are small; the inflate stops at the CRC error
    (tmp_path / "liar.xlsx").write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"liar\.xlsx"):
        read_table(tmp_path / "liar.xlsx")


def test_docx_zip_bomb_is_refused_by_the_plan_reader(tmp_path: Path) -> None:
    from gongfu.plans.readers import read_document

    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b" " * (16 * 2**20)}))
    with pytest.raises(InputError, match="压缩炸弹"):
        read_document(bomb)


@pytest.mark.parametrize(
    "data",
    [
        "一、总体要求\n城乡居民收入倍差缩小到1.55以内。\n".encode("gb18030"),
        "一、總體要求\n城鄉居民收入倍差縮小到1.55以內。\n".encode("big5"),
        "一、总体要求\n".encode("utf-16-le"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50,
    ],
)
def test_plan_text_files_and_tables_share_one_decoder(tmp_path: Path, data: bytes) -> None:
    from gongfu.plans.readers import read_document

    (tmp_path / "synthetic.txt").write_bytes(data)
    try:
        expected: tuple[str, str] | str = decode(data, "synthetic.txt")
    except InputError as e:
        expected = e.reason
    try:
        doc = read_document(tmp_path / "synthetic.txt")
        got: tuple[str, str] | str = (doc.original, doc.encoding)
    except InputError as e:
        got = e.reason
    assert got == expected
