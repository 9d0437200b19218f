"""Read a plan document (.txt, .html/.htm, .docx, .pdf) into its text and tables, refusing bad input.

This is the only file I/O of plan ingestion; everything downstream works on `RawDocument.original`.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gongfu.errors import InputError
from gongfu.tabular.decode import decode

DocKind = Literal["txt", "html", "docx", "pdf"]
_KINDS: dict[str, DocKind] = {".txt": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass
class RawDocument:
    """A document as read: its text (newlines normalised to \\n), encoding, kind and tables."""

    original: str
    encoding: str
    kind: DocKind
    sha256: str
    file_name: str
    tables: list[list[list[str]]] = field(default_factory=list)


def read_document(path: Path, *, max_bytes: int = 20_000_000) -> RawDocument:
    """Read one plan file; raise `InputError` with a one-line reason for anything we cannot use."""
    path = Path(path)
    name = path.name
    kind = _KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"不支持的文件类型“{path.suffix or '（无扩展名）'}”（支持 .txt、.html、.htm、.docx 与 .pdf）",
            file=name,
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:  # checked before reading, so a huge file costs nothing
            raise InputError(
                f"文件过大：{size / 1e6:.1f} MB，方案文件最大 {max_bytes / 1e6:g} MB",
                file=name,
            )
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件：{e.strerror or e}", file=name) from None
    if not data.strip():
        raise InputError("文件为空", file=name)
    digest = hashlib.sha256(data).hexdigest()
    tables: list[list[list[str]]] = []
    if kind == "txt":
        text, encoding = decode(data, name)
    elif kind == "html":
        html, encoding = decode(data, name)
        text, tables = html_to_text(html)
    elif kind == "docx":
        text, tables = _read_docx(data, name)
        encoding = "utf-8"
    else:
        text = _read_pdf(data, name)
        encoding = "pdf"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("文档中没有文字", file=name)
    return RawDocument(text, encoding, kind, digest, name, tables)


# --- html ------------------------------------------------------------------------------------------

# fmt: off
# Elements whose content is never plan text.
_DROP_TAGS = frozenset((
    "script", "style", "noscript", "template", "head", "nav", "aside", "form", "iframe", "frame",
    "frameset", "object", "embed", "applet", "svg", "math", "canvas", "button", "select", "input",
    "textarea", "menu", "audio", "video", "map",
))
# Widgets named by class or id: share bars, breadcrumbs, QR codes. Not "print": portals often wrap the
# article itself in id="printContent"; their 打印本页 links are left to the furniture step.
_DROP_ATTR = re.compile(r"share|jiathis|social|crumb|qrcode|erweima|toolbar", re.I)
_BLOCK_TAGS = frozenset((
    "address", "article", "blockquote", "body", "center", "dd", "details", "dialog", "dir", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul",
    "caption", "html", "br", "header", "footer",
))
# Tags that do not nest (void, or closed implicitly), left out of the depth count below.
_FLAT_TAGS = frozenset((
    "br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source", "track",
    "embed", "p", "li", "dt", "dd", "tr", "td", "th", "option",
))
# fmt: on
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*?(/?)>")
_MAX_DEPTH = 400


def _flatten_deep_nesting(html: str) -> str:
    """Remove tags nested deeper than _MAX_DEPTH: the HTML parser is quadratic in nesting depth."""
    depth = 0
    out: list[str] = []
    pos = 0
    dropped = False
    for m in _TAG.finditer(html):
        closing, tag, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if tag in _FLAT_TAGS or selfclose:
            continue
        keep = depth < _MAX_DEPTH if not closing else depth <= _MAX_DEPTH
        depth = max(0, depth - 1) if closing else depth + 1
        if not keep:
            out.append(html[pos : m.start()])
            pos = m.end()
            dropped = True
    if not dropped:
        return html
    out.append(html[pos:])
    return "".join(out)


def _dropped(node) -> bool:
    tag = node.tag
    if tag in _DROP_TAGS:
        return True
    attrs = node.attributes
    if "hidden" in attrs or re.search(
        r"display\s*:\s*none|visibility\s*:\s*hidden", attrs.get("style") or "", re.I
    ):
        return True
    if _DROP_ATTR.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
        return True
    if tag in ("header", "footer"):
        # an <article>'s own header holds its title; only page-level headers and footers go
        p = node.parent
        while p is not None and p.tag not in ("article", "main", "html"):
            p = p.parent
        return p is None or p.tag == "html"
    return False


def _clean(s: str) -> str:
    return " ".join(s.split())


def _data_table(node) -> list[list[str]] | None:
    """Rows of cell text for a data table, or None for a layout table (one that holds the page)."""
    if len(node.css("table")) > 1:  # css() includes the node itself
        return None
    rows: list[list[str]] = []
    for tr in node.css("tr"):
        row = [_clean(c.text(deep=True, separator=" ")) for c in tr.iter() if c.tag in ("td", "th")]
        if row:
            rows.append(row)
    if not rows or any(len(c) > 300 for r in rows for c in r):
        return None
    return rows


def html_to_text(html: str) -> tuple[str, list[list[list[str]]]]:
    """Visible text of an HTML page with one line per block element, and its data tables."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_flatten_deep_nesting(html))
    root = tree.body or tree.root
    parts: list[str] = []
    tables: list[list[list[str]]] = []
    # iterative walk: nesting depth must not reach Python's recursion limit
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            parts.append("\n")
            continue
        if tag == "-text":
            parts.append(re.sub(r"\s+", " ", node.text_content or ""))
            continue
        if tag in ("-comment", "!doctype") or tag.startswith("-") or _dropped(node):
            continue
        if tag == "table" and (rows := _data_table(node)) is not None:
            tables.append(rows)
            parts.append("\n" + "\n".join(" | ".join(r) for r in rows) + "\n")
            continue
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
            stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line), tables


# --- docx and pdf -----------------------------------------------------------------------------------


def _cell_rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # python-docx repeats a merged cell once per grid column it spans
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        rows.append(cells)
    return rows


def _read_docx(data: bytes, name: str) -> tuple[str, list[list[list[str]]]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml.etree import XMLSyntaxError

    from gongfu.tabular.zipguard import check_zip

    check_zip(data, name)  # a zip bomb is refused before python-docx parses any XML
    try:
        document = docx.Document(io.BytesIO(data))  # the very bytes that were hashed
        lines: list[str] = []
        tables: list[list[list[str]]] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                rows = _cell_rows(block)
                tables.append(rows)
                lines.extend(" | ".join(r) for r in rows)
            else:
                lines.append(block.text)
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, XMLSyntaxError, EOFError, ValueError) as e:
        raise InputError(
            f"已损坏的 .docx 文件（无法作为Word文档打开：{type(e).__name__}）", file=name
        ) from None
    return "\n".join(lines), tables


def _read_pdf(data: bytes, name: str) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        text = extract_text(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError("PDF已加密，请先去除密码", file=name) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as e:
        raise InputError(f"已损坏的PDF文件（{type(e).__name__}）", file=name) from None
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise InputError("PDF没有文字层（不支持OCR识别）", file=name)
    return join_wrapped_lines(text)


_LINE_END_STOPS = tuple("。！？；：!?;:”」》")
_LINE_START_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]+[章节条部]|——|[①-⑳])"
)


def join_wrapped_lines(text: str) -> str:
    """Join the lines a PDF text layer broke at the page's right edge (目\n区 → 目区, 5\n万 → 5万).

    A line is wrapped when it runs (nearly) to the usual full width of the page's lines and does not end
    a sentence; the next line is then its continuation unless it opens an outline item. Lines of
    Latin words are joined with a space. Paragraph breaks (short lines, blank lines) are kept.
    """
    lines = text.split("\n")
    lengths = sorted(len(x.strip()) for x in lines if x.strip())
    if len(lengths) < 3:
        return text
    width = lengths[int(len(lengths) * 0.9) - 1] if len(lengths) >= 10 else lengths[-1]
    out: list[str] = []
    last = ""  # the last physical line, whose width says whether it was wrapped
    for line in lines:
        p = out[-1].rstrip() if out else ""
        if (
            p
            and line.strip()
            and len(last.strip()) >= 0.85 * width
            and not p.endswith(_LINE_END_STOPS)
            and not _LINE_START_MARKER.match(line)
        ):
            nxt = line.lstrip()[:1]
            sep = " " if p[-1].isascii() and p[-1].isalpha() and nxt.isascii() and nxt.isalpha() else ""
            out[-1] = p + sep + line.strip()
        else:
            out.append(line)
        last = line
    return "\n".join(out)
