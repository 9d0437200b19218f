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
            f"unsupported file type {path.suffix or '(none)'!r}; expected .txt, .html, .htm, .docx or .pdf",
            file=name,
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:  # checked before reading, so a huge file costs nothing
            raise InputError(
                f"file too large: {size / 1e6:.1f} MB; a plan may be at most {max_bytes / 1e6:g} MB",
                file=name,
            )
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror or e}", file=name) from None
    if not data.strip():
        raise InputError("empty file", file=name)
    digest = hashlib.sha256(data).hexdigest()
    tables: list[list[list[str]]] = []
    if kind == "txt":
        text, encoding = decode_text(data, name)
    elif kind == "html":
        html, encoding = decode_text(data, name, declared=_declared_charset(data))
        text, tables = html_to_text(html)
    elif kind == "docx":
        text, tables = _read_docx(data, name)
        encoding = "utf-8"
    else:
        text = _read_pdf(data, name)
        encoding = "pdf"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("no text found in the document", file=name)
    return RawDocument(text, encoding, kind, digest, name, tables)


# --- plain text -------------------------------------------------------------------------------------


def _common_han_share(s: str) -> float:
    """Share of Han characters that are in GB2312 level 1 or Big5 常用字 (the everyday characters).

    A wrong legacy decoding still "succeeds" (GB18030 accepts almost any bytes) but yields rare
    characters, so this share tells the right codec apart without a frequency list.
    """
    han = common = 0
    for ch in s:
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        han += 1
        try:
            b = ch.encode("gb2312")
            if 0xB0A1 <= int.from_bytes(b, "big") <= 0xD7F9:
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            b = ch.encode("big5")
            if 0xA440 <= int.from_bytes(b, "big") <= 0xC67E:
                common += 1
        except UnicodeEncodeError:
            pass
    return common / han if han else 0.0


def _plausible_share(s: str) -> float:
    """Share of characters ordinary Chinese text is made of (Han, ASCII, CJK and full-width punctuation)."""
    ok = sum(
        1
        for ch in s
        if "\u4e00" <= ch <= "\u9fff"
        or " " <= ch <= "~"
        or ch in "\n\r\t"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f"
    )
    return ok / len(s) if s else 0.0


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: its ASCII characters leave NULs in every other byte."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            s = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_share(s[:5000]) >= 0.95:
            return s, enc
    return None


def _looks_binary(text: str) -> bool:
    bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return bad > max(2, len(text[:20000]) // 200)


def decode_text(data: bytes, name: str, *, declared: str | None = None) -> tuple[str, str]:
    """Decode text bytes: BOM, then strict UTF-8, then UTF-16 by NUL pattern, then GB18030 vs Big5."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc, name)
            except UnicodeDecodeError:
                raise InputError(f"text is not valid {enc} despite its byte-order mark", file=name) from None
    if u16 := _utf16_without_bom(data):
        return _checked(*u16, name)
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes), not text", file=name)
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, int, str, str]] = []
    order = ["gb18030", "big5", "cp950"]
    if declared and declared in order:
        order.remove(declared)
        order.insert(0, declared)
    for rank, enc in enumerate(order):
        try:
            s = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_common_han_share(s), -rank, enc, s))
    if not candidates:
        raise InputError("cannot decode text: not UTF-8, GB18030, Big5 or UTF-16", file=name)
    _, _, enc, s = max(candidates)
    return _checked(s, enc, name)


def _checked(text: str, encoding: str, name: str) -> tuple[str, str]:
    if _looks_binary(text):
        raise InputError("binary file (control characters), not text", file=name)
    return text, encoding


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    cs = m.group(1).decode("ascii").lower()
    return {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5"}.get(cs)


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
            f"damaged .docx (cannot open it as a Word document: {type(e).__name__})", file=name
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
        raise InputError("encrypted PDF; remove the password first", file=name) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as e:
        raise InputError(f"damaged PDF ({type(e).__name__})", file=name) from None
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise InputError("no text layer; OCR is not supported", file=name)
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
