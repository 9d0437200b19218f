"""Find a plan's outline (一、 / (一) / 1. / (1) / ① / 一是 / —— bullets) in its normalised text.

Markers are accepted by where they stand (line start, after a sentence, after a space in a page whose
lines were collapsed) and by sequence plausibility (二 follows 一; 1. restarts under a new chapter), which
rejects look-alikes such as "1.5万", "2025年" or list items inside a sentence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from gongfu.model import Section

_CN_NUM = "一二三四五六七八九十"
# The leading look-ahead names every character a marker can start with: the regex engine then skips the
# other positions of the text at once (several times faster on a long document, same matches).
_MARKERS = re.compile(
    rf"(?=[{_CN_NUM}(\d①-⑳—])(?:"
    rf"(?P<cn>[{_CN_NUM}]{{1,3}})、"
    rf"|\((?P<cnp>[{_CN_NUM}]{{1,3}})\)"
    r"|(?<![\d.])(?P<num>\d{1,2})[.、](?![ \t]*\d)"
    r"|\((?P<nump>\d{1,2})\)"
    r"|(?P<circ>[①-⑳])"
    rf"|(?P<shi>[{_CN_NUM}]{{1,3}})是"
    r"|(?P<dash>——)(?=[\u4e00-\u9fff“\"])"
    r")"
)
# Canonical order of marker kinds (GB/T 9704 order, then the 一是 and —— item styles).
KINDS = ("cn", "cnp", "num", "nump", "circ", "shi", "dash")
_STRONG, _MEDIUM, _WEAK = 3, 2, 1
_SENTENCE_END = "。;:!?"
_TITLE_MAX = 40


@dataclass
class _Marker:
    kind: str
    number: int
    start: int
    end: int  # just after the marker
    strength: int


def cn_number(s: str) -> int:
    """Value of a Chinese numeral up to 99 (一 → 1, 十二 → 12, 二十三 → 23); 0 if not one."""
    d = {c: i + 1 for i, c in enumerate(_CN_NUM)}
    if not s or any(c not in d for c in s):
        return 0
    if "十" not in s:
        return d[s] if len(s) == 1 else 0
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return 0
    return (d[tens] if tens else 1) * 10 + (d[ones] if ones else 0)


def _context(text: str, i: int) -> int:
    """How strongly the position before a marker says "a new item starts here" (0: it does not)."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] == "\n":
        return _STRONG
    if text[j] in _SENTENCE_END or (text[j] in '”"' and j > 0 and text[j - 1] in _SENTENCE_END):
        return _MEDIUM
    return _WEAK if j < i - 1 else 0


def _looks_like_heading(text: str, end: int) -> bool:
    """A short phrase closed by 。 or a line break follows: the usual shape of a numbered heading."""
    m = re.match(r"\s*[^。\n]{1,45}(?:[。\n:]|$)", text[end : end + 60])
    return m is not None


def _candidates(text: str) -> list[_Marker]:
    out = []
    for m in _MARKERS.finditer(text):
        kind = m.lastgroup or ""
        strength = _context(text, m.start())
        if strength == 0 or (kind in ("shi", "circ") and strength < _MEDIUM):
            continue
        g = m.group(kind)
        if kind in ("cn", "cnp", "shi"):
            n = cn_number(g)
        elif kind == "circ":
            n = ord(g) - ord("①") + 1
        elif kind == "dash":
            n = 0
        else:
            n = int(g)
        if kind != "dash" and n == 0:
            continue
        out.append(_Marker(kind, n, m.start(), m.end(), strength))
    return out


def _plausible(text: str, mk: _Marker, last: int | None, restarted: bool) -> bool:
    """Does this marker continue (or properly restart) its kind's numbering?"""
    n = mk.number
    if mk.kind == "dash":
        return True
    if last is None:
        # an excerpt may open in the middle of a list, e.g. at (三), where the marker opens a line
        # or a heading-like sentence
        return (
            n == 1 or mk.strength == _STRONG or (mk.strength == _MEDIUM and _looks_like_heading(text, mk.end))
        )
    if n == last + 1:
        return True
    if n == 1 and (restarted or mk.strength == _STRONG or mk.kind == "shi"):
        return True
    # damaged pages lose items (13. then 16.): accept a short gap when a heading follows
    return last + 1 < n <= last + 3 and _looks_like_heading(text, mk.end)


def _accepted(text: str) -> list[_Marker]:
    last: dict[str, int | None] = dict.fromkeys(KINDS)
    last_pos: dict[str, int] = dict.fromkeys(KINDS, -1)
    out: list[_Marker] = []
    candidates = _candidates(text)
    # a dash after a mere space is a bullet only in a page that has dash bullets in clear places
    # (a collapsed page where a damaged figure ends the previous bullet: "到 3.3 ——在收入分配…")
    clear_dashes = any(c.kind == "dash" and c.strength >= _MEDIUM for c in candidates)
    for mk in candidates:
        if mk.kind == "dash" and mk.strength < _MEDIUM and not clear_dashes:
            continue
        rank = KINDS.index(mk.kind)
        # a higher kind accepted since this kind's last item means a new parent: numbering may restart
        restarted = any(last_pos[k] > last_pos[mk.kind] for k in KINDS[:rank])
        if not _plausible(text, mk, last[mk.kind], restarted):
            continue
        out.append(mk)
        last[mk.kind] = mk.number
        last_pos[mk.kind] = mk.start
        for k in KINDS[rank + 1 :]:
            if k in ("shi", "dash"):
                last[k] = None  # 一是 and —— series belong to their item and restart with it
    return out


def _title(text: str, mk: _Marker, limit: int) -> str:
    i = mk.end
    while i < len(text) and text[i] in " \t":
        i += 1
    stops = "。\n;!?:" + (",," if mk.kind in ("shi", "dash") else "")
    j = i
    limit = min(limit, i + 200)
    while j < limit and text[j] not in stops:
        # in a collapsed page a heading ends where a space separates it from the next Han text
        if (
            text[j] == " "
            and j > i
            and j + 1 < len(text)
            and _word_end(text[j - 1])
            and _word_start(text[j + 1])
        ):
            break
        j += 1
    return text[i:j].strip()[:_TITLE_MAX]


def _word_end(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in '”"’)》'


def _word_start(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in '“"‘(《'


def _path_label(mk: _Marker, marker: str, dash_count: int) -> str:
    if mk.kind == "dash":
        return f"——{dash_count}"
    if mk.kind in ("cn", "num"):
        return marker[:-1]
    return marker


def parse_outline(text: str) -> list[Section]:
    """The outline of a plan's normalised text, in document order, with levels 1.. by marker kind."""
    markers = _accepted(text)
    present = [k for k in KINDS if any(m.kind == k for m in markers)]
    level_of = {k: i + 1 for i, k in enumerate(present)}
    levels = [level_of[m.kind] for m in markers]
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []  # (level, path label)
    dash_counts: dict[tuple[str, ...], int] = {}
    for i, mk in enumerate(markers):
        level = levels[i]
        end = len(text)
        for j in range(i + 1, len(markers)):
            if levels[j] <= level:
                end = markers[j].start
                break
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = tuple(p for _, p in stack)
        if mk.kind == "dash":
            dash_counts[parent] = dash_counts.get(parent, 0) + 1
        marker = text[mk.start : mk.end]
        label = _path_label(mk, marker, dash_counts.get(parent, 0))
        stack.append((level, label))
        sections.append(
            Section(
                marker=marker,
                title=_title(text, mk, markers[i + 1].start if i + 1 < len(markers) else len(text)),
                level=level,
                start=mk.start,
                end=end,
                path="/".join(p for _, p in stack),
            )
        )
    return sections


def marker_kind(marker: str) -> str:
    """The kind ("cn", "cnp", "num", "nump", "circ", "shi", "dash") of a section's marker."""
    if marker.strip() == "——":
        return "dash"  # the pattern looks ahead at the bullet's text, which a bare marker lacks
    m = _MARKERS.fullmatch(marker.strip())
    return (m.lastgroup or "") if m else ""


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing `offset` (sections as returned by `parse_outline`)."""
    starts = [s.start for s in sections]
    # sections nest properly, so the first one containing the offset, scanning back, is the innermost
    for i in range(bisect.bisect_right(starts, offset) - 1, -1, -1):
        s = sections[i]
        if offset < s.end:
            return s
    return None
