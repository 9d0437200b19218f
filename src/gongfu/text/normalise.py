"""Normalise plan text (drop page furniture, full-width → half-width, Traditional → Simplified).

Every normalised character maps back to one original offset, so a target found in the normalised text
is reported with offsets and a span of the file as the user has it (in its own script).
Character conversions are kept one-to-one; only dropped ranges (furniture) shift offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

# Full-width ASCII variants and the ideographic space → their ASCII forms (one character each).
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALF[0x3000] = 0x20
_HALF[0xA0] = 0x20
# Runs of those characters: translating only the runs is several times faster than str.translate over a
# whole document (which looks every character up in the table).
_FULL_RUN = re.compile("[\uff01-\uff5e\u3000\xa0]+")


# The full-width punctuation of every Chinese sentence: str.replace passes (in C) take these out first, so
# the regex pass is left with the rare rest (each comma would otherwise be a run of its own).
_COMMON = tuple(chr(cp) for cp in (0xFF0C, 0xFF1A, 0xFF1B, 0xFF08, 0xFF09, 0xFF01, 0xFF1F, 0xFF05, 0x3000))


def _half_width(s: str) -> str:
    for ch in _COMMON:
        if ch in s:
            s = s.replace(ch, chr(_HALF[ord(ch)]))
    return _FULL_RUN.sub(lambda m: m[0].translate(_HALF), s)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Every CJK character that t2s changes on its own: text without any is left as it is (fast path)."""
    block = "".join(chr(cp) for cp in range(0x3400, 0xA000))
    conv = _t2s().convert
    out: set[str] = set()
    for i in range(0, len(block), 4096):
        part = block[i : i + 4096]
        done = conv(part)
        if len(done) == len(part):
            out.update(a for a, b in zip(part, done, strict=True) if a != b)
        else:
            out.update(ch for ch in part if conv(ch) != ch)
    return frozenset(out)


def _convert_same_length(s: str) -> str:
    """t2s conversion that never changes length: fall back line by line, then char by char."""
    if _traditional_chars().isdisjoint(s):
        return s
    conv = _t2s().convert
    out = conv(s)
    if len(out) == len(s):
        return out
    parts = []
    for line in s.splitlines(keepends=True):
        c = conv(line)
        if len(c) != len(line):
            c = "".join(x if len(x := conv(ch)) == 1 else ch for ch in line)
        parts.append(c)
    return "".join(parts)


def to_simplified(s: str) -> str:
    """Simplified-script, half-width form of a short string (names, labels, indicator wording)."""
    return _convert_same_length(_half_width(s))


_HAN_RUN = re.compile("[\u4e00-\u9fff]+")
_CHUNK = 256


def detect_script(original: str, simplified: str) -> str:
    """'traditional', 'mixed' or 'simplified', by the share of Han characters t2s changed."""
    if original == simplified:
        return "simplified"
    # a long sample decides; the whole of a 20 MB file would cost a second of pure Python
    n = min(len(original), len(simplified), 300_000)
    a_all, b_all = original[:n], simplified[:n]
    han = sum(map(len, _HAN_RUN.findall(a_all)))
    changed = 0
    for i in range(0, n, _CHUNK):  # compare characters only in the chunks that differ
        a, b = a_all[i : i + _CHUNK], b_all[i : i + _CHUNK]
        if a != b:
            changed += sum(1 for x, y in zip(a, b, strict=True) if x != y and "\u4e00" <= x <= "\u9fff")
    if han == 0:
        return "simplified"
    share = changed / han
    if share > 0.04:
        return "traditional"
    if share > 0.004:
        return "mixed"
    return "simplified"


@dataclass
class NormalisedText:
    """Normalised text plus the piecewise map back into `original`."""

    original: str
    text: str
    script: str
    _norm_starts: list[int]
    _orig_starts: list[int]

    def to_original(self, i: int) -> int:
        """Original offset of normalised offset `i` (an end offset maps to just after its character)."""
        if i <= 0:
            return self._orig_starts[0] + i if self._orig_starts else i
        k = bisect.bisect_right(self._norm_starts, i - 1) - 1
        return self._orig_starts[k] + (i - 1 - self._norm_starts[k]) + 1

    def start_to_original(self, i: int) -> int:
        k = bisect.bisect_right(self._norm_starts, i) - 1
        if k < 0:
            return i
        return self._orig_starts[k] + (i - self._norm_starts[k])

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.start_to_original(start)
            return s, s
        return self.start_to_original(start), self.to_original(end)


def normalise(
    original: str, drop: list[tuple[int, int]] | None = None, *, simplified: str | None = None
) -> NormalisedText:
    """Build the normalised text, leaving out the `drop` ranges of `original` (page furniture).

    `simplified` is `to_simplified(original)` when the caller has it already: the kept pieces are then
    cut from it instead of converting the text a second time (the conversion keeps every length)."""
    keep: list[tuple[int, int]] = []
    pos = 0
    for a, b in sorted(drop or []):
        if a > pos:
            keep.append((pos, a))
        pos = max(pos, b)
    if pos < len(original) or not keep:
        keep.append((pos, len(original)))
    pieces: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    n = 0
    for a, b in keep:
        if b <= a and keep != [(a, b)]:
            continue
        norm_starts.append(n)
        orig_starts.append(a)
        pieces.append(original[a:b])
        n += b - a
    kept = "".join(pieces)
    half = _half_width(kept)
    if simplified is not None and len(simplified) == len(original):
        text = "".join(simplified[a : a + (b - a)] for a, b in keep if b > a or keep == [(a, b)])
    else:
        text = _convert_same_length(half)
    return NormalisedText(original, text, detect_script(half, text), norm_starts, orig_starts)
