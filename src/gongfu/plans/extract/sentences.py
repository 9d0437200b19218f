"""Split normalised plan text into sentences (the scope of 力争) and find quoted names inside them."""

from __future__ import annotations

import re
from collections.abc import Iterator

# 。;!? and line breaks end a sentence; so do the 破折号 bullets (——) and, in pages that collapsed their
# lines, an outline marker standing after a space (" 16.完善…", " 七、促进…").
_BOUNDARY_RE = re.compile(
    r"(?=[。;;!?!?\n—\s])"  # every first character: the engine skips the other positions at once
    r"(?:[。;;!?!?\n]+|——+|\s+(?=(?:\d{1,2}\s?\.(?!\d)|[一二三四五六七八九十]{1,3}、)\s*[\u4e00-\u9fff]))"
)
_QUOTE_RE = re.compile(
    r"(?=[“\"《‘])(?:“[^“”\n]{0,40}?”|\"[^\"\n]{0,40}?\"|《[^《》\n]{0,60}?》|‘[^‘’\n]{0,30}?’)"
)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank sentence, the end excluding its closing punctuation."""
    pos = 0
    for m in _BOUNDARY_RE.finditer(text):
        if m.start() > pos and not text[pos : m.start()].isspace():
            yield pos, m.start()
        pos = m.end()
    if pos < len(text) and not text[pos:].isspace():
        yield pos, len(text)


def quoted_ranges(sentence: str) -> list[tuple[int, int]]:
    """Ranges (relative to the sentence) of quoted names and titles: “五水共治”, "1+3+2", 《…》."""
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(sentence)]


def in_ranges(i: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a < i < b for a, b in ranges)


_OPEN = {"(": ")", "[": "]", "“": "”", "《": "》"}  # text is normalised: brackets are half-width


def mask_brackets(s: str) -> str:
    """`s` with everything inside brackets and quotes replaced by '_' (same length).

    Separator searches run on the masked text, so 县(市、区) or “碧水绕镇、村” do not split a clause.
    """
    out = list(s)
    stack: list[str] = []
    in_ascii_quote = False
    for i, ch in enumerate(s):
        if ch == '"':
            in_ascii_quote = not in_ascii_quote
            continue
        if ch in _OPEN:
            stack.append(_OPEN[ch])
            continue
        if stack and ch == stack[-1]:
            stack.pop()
            continue
        if (stack or in_ascii_quote) and ch in ",,;;::、和与及且并":
            out[i] = "_"
    if stack or in_ascii_quote:  # an unclosed bracket (a damaged page): mask nothing
        return s
    return "".join(out)
