"""Bytes of a text file to text — the one decoder of gongfu (tables, plan .txt/.html files, hotline exports).

Order: byte-order marks, UTF-16 without a mark (told by its NUL pattern), strict UTF-8, then
charset-normalizer among the encodings Chinese files come in (GB18030 ⊃ GBK ⊃ GB2312, Big5). Binary
files are refused, never guessed. Big5 bytes also decode (wrongly) as GB18030; among the decodings
charset-normalizer accepts, the one made of everyday characters wins, and a charset declared by the
file itself (an HTML `<meta charset>`) breaks a tie.
"""

from __future__ import annotations

import re

from gongfu.errors import InputError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CANDIDATES = ("gb18030", "big5")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_DECLARED = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5", "cp950": "big5"}


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; InputError naming `name` for a binary or undecodable file."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc, name)
            except UnicodeDecodeError:
                raise InputError(f"文件有{enc}字节序标记，但内容不是有效的{enc}文本", file=name) from None
    if b"\x00" in data:  # UTF-16 without a byte-order mark, or binary
        if u16 := _utf16_without_bom(data):
            return _checked(*u16, name)
        raise InputError("这是二进制文件（含NUL字节），不是文本", file=name)
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = [(str(m), m.encoding) for m in from_bytes(data, cp_isolation=list(_CANDIDATES))]
    if not matches:
        raise InputError("无法识别文本编码（不是UTF-8、GB18030、Big5或UTF-16）", file=name)
    declared = _declared_charset(data)
    text, enc = max(matches, key=lambda m: (_common_han_share(m[0]), m[1] == declared))
    return _checked(text, enc, name)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return _DECLARED.get(m.group(1).decode("ascii").lower()) if m else None


def _common_han_share(s: str) -> float:
    """Share of Han characters that are in GB2312 level 1 or Big5 常用字 (the everyday characters).

    A wrong legacy decoding still "succeeds" (GB18030 accepts almost any bytes) but yields rare
    characters, so this share tells the right codec apart without a frequency list.
    """
    han = common = 0
    for ch in s[:20000]:
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        han += 1
        try:
            if 0xB0A1 <= int.from_bytes(ch.encode("gb2312"), "big") <= 0xD7F9:
                common += 1
                continue
        except UnicodeEncodeError:
            pass
        try:
            if 0xA440 <= int.from_bytes(ch.encode("big5"), "big") <= 0xC67E:
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
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            s = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_share(s[:5000]) >= 0.95:
            return s, enc
    return None


def _checked(text: str, encoding: str, name: str) -> tuple[str, str]:
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise InputError("这是二进制文件（含控制字符），不是文本", file=name)
    return text, encoding
