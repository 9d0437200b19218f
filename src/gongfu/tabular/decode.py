"""Bytes of a text file to text: byte-order marks, strict UTF-8, then charset-normalizer among the encodings
Chinese files come in (GB18030 ⊃ GBK ⊃ GB2312, Big5, UTF-16). Binary files are refused, never guessed."""

from __future__ import annotations

import re

from gongfu.errors import InputError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CANDIDATES = ["gb18030", "big5"]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; InputError naming `name` for a binary or undecodable file."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), enc, name)
            except UnicodeDecodeError:
                raise InputError(f"文件有{enc}字节序标记，但内容不是有效的{enc}文本", file=name) from None
    if b"\x00" in data:  # UTF-16 without a byte-order mark, or binary
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return _checked(data.decode(enc), enc, name)
            except (UnicodeDecodeError, InputError):
                continue
        raise InputError("这是二进制文件（含NUL字节），不是文本", file=name)
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None:
        raise InputError("无法识别文本编码（不是UTF-8、GB18030、Big5或UTF-16）", file=name)
    return _checked(str(best), best.encoding, name)


def _checked(text: str, encoding: str, name: str) -> tuple[str, str]:
    sample = text[:20000]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > max(2, len(sample) // 200):
        raise InputError("这是二进制文件（含控制字符），不是文本", file=name)
    return text, encoding
