"""Safe names and links: what may be stored and shown of a name or URL that came from outside.

A display name is NFC-normalised, stripped of control, format and bidi characters (CR/LF, NUL, U+202E …)
and cut to a limit, keeping its suffix; the original is kept only as data. A link is only ever http or
https. Every function takes any string, of any length and any code points, and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

NAME_LIMIT = 120  # characters of a shown file name (the stored original may be longer)
URL_LIMIT = 1000  # the observations.source_url column
_BIDI = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c")


def _visible(ch: str) -> bool:
    if ch in _BIDI:
        return False
    cat = unicodedata.category(ch)
    return not (cat.startswith("C") or cat in ("Zl", "Zp"))  # Cc Cf Cs Co Cn, line/paragraph separators


def clean_text(text: str, limit: int = NAME_LIMIT) -> str:
    """One line of text safe to store and show: NFC, no control/bidi characters, spaces collapsed, cut."""
    text = unicodedata.normalize("NFC", text[: limit * 8])
    out = "".join(ch if _visible(ch) else " " for ch in text)
    return " ".join(out.split())[:limit]


def display_name(file_name: str, limit: int = NAME_LIMIT) -> str:
    """A client's file name as it may be shown: its last path part, cleaned, cut keeping the suffix.

    `evil\u202egpj.pdf` becomes `evil gpj.pdf`; a 1,000-character name keeps its start and its suffix.
    """
    raw = file_name or ""
    base = PureWindowsPath(PurePosixPath(raw).name).name  # both separators: C:\\x\\a.pdf and ../a.pdf
    name = clean_text(base, limit * 8).strip(". ")
    suffix = suffix_of(name)
    if len(name) > limit:
        keep = max(limit - len(suffix) - 1, 1)
        name = name[:keep] + "…" + suffix
    return name


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_IGNORED_IN_HREF = re.compile(r"[\x00-\x20\x7f]")


def foreign_scheme(text: str | None) -> bool:
    """True when the text names a URL scheme other than http(s) (`javascript:`, `data:`, ` JaVaScRiPt:` …), as a
    browser would read it in a link after dropping blanks and control characters. A plain description with no
    scheme ("国家统计局年鉴第3章") is not a link at all: it is kept and shown as text."""
    if not text:
        return False
    bare = _IGNORED_IN_HREF.sub("", text)
    m = _SCHEME.match(bare)
    return bool(m) and m.group(0).lower() not in ("http:", "https:")


def suffix_of(name: str) -> str:
    """The lower-case extension with its dot ('.xlsx'), or '' when there is none or it is implausible."""
    dot = name.rfind(".")
    if dot <= 0:
        return ""
    suffix = name[dot:].lower()
    return suffix if 2 <= len(suffix) <= 10 and suffix[1:].isascii() and suffix[1:].isalnum() else ""


def web_url(text: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL with a host, else None (javascript:, data:, relative …)."""
    if not text:
        return None
    url = text.strip()
    if len(url) > URL_LIMIT or any(not _visible(ch) or ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
