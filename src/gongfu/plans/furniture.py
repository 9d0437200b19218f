"""Find page furniture in a plan's text: web-page debris that is not part of the plan.

Furniture is HTML tag debris, breadcrumbs (您当前的位置), share widgets (分享到), footers (版权所有,
主办单位, ICP备), the government-portal metadata table (索引号 | 发布机构 | 成文日期) and print/close links.
`furniture_ranges` returns ranges of the original text for `gongfu.text.normalise(original, drop=...)`;
it works on line-structured text and on pages whose lines were collapsed into one long line.
"""

from __future__ import annotations

import re

from gongfu.text.normalise import to_simplified

# A line this short that names one of these is furniture as a whole.
_SHORT_LINE = 100
_LINE_WORDS = re.compile(
    r"(?:您|当前|所在|现在)\S{0,3}位置|分享到|分享至|扫一扫|二维码|打印本页|关闭窗口|【打印】|【关闭】|返回顶部"
    r"|字号[::]|【字体|加入收藏|预计阅读|浏览次数|阅读次数|点击数[::]|访问量[::]|相关阅读|相关新闻|相关链接|相关文章|责任编辑"
    r"|版权所有|主办单位|承办单位|联合主办|ICP备|网站标识码|公网安备|网站地图|技术支持[::]"
    r"|索引号|发布机构|成文日期|公开方式|公开范围|文件编号[::]|主题分类|组配分类"
    r"|^\s*(?:信息|文章|稿件)?来源[::]|第\d+/\d+页|第\d+页\s*共\d+页|上一篇|下一篇",
    re.IGNORECASE,
)
# Lines that open the trailing block of a news page (everything after them is site furniture).
_TAIL_OPENERS = re.compile(
    r"分享到|相关阅读|相关新闻|相关链接|相关文章|二维码|^\s*(?:信息|文章|稿件)?来源[::]"
)

_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>\n]{0,500}>|&(?:nbsp|amp|lt|gt|quot|#\d+);", re.DOTALL)
_META_LABELS = (
    r"索引号|文件编号|文号|发布机构|成文日期|发布日期|公开方式|公开范围|主题分类|组配分类|体裁分类|有效性"
)
_META_TABLE = re.compile(rf"(?:(?:{_META_LABELS})\s*[::]?\s*\|[^|\n]{{0,60}}\|[ \t|]*)+")
_BREADCRUMB = re.compile(
    r"(?:您|当前|所在|现在)\S{0,3}位置\s*[::]?\s*(?:[^\s>»>。|]{1,30}\s*[>»>]+\s*){1,8}[^\s>»>。|]{0,40}"
)
_INLINE = re.compile(
    r"分享到[::]?\s*(?:(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ|朋友圈|人人网|豆瓣|复制链接|更多)\s*)*"
    r"|【?(?:打印本页|关闭窗口|打印|关闭|返回顶部)】|打印本页|关闭窗口|返回顶部"
    r"|【?字[体号][::]\s*大\s*中\s*小】?"
)
# Inline footers are recognised by their label form, so body prose such as "由…主办单位协调" stays.
_FOOTER = re.compile(
    r"版权所有|Copyright|©|(?:主办|承办)单位\s*[::]|ICP备\s*\d|网站标识码\s*[::]?\s*\d|公网安备\s*\d", re.I
)
_EDGE_PIPES = re.compile(r"^[ \t]*\|[ \t|]*|[ \t]*\|[ \t|]*$", re.MULTILINE)


def _is_tag_debris(line: str) -> bool:
    """A line of HTML tags, maybe behind a list number ("1. <dd id=..."), with no text of its own."""
    if not _TAG.search(line):
        return False
    rest = _TAG.sub("", line)
    return re.fullmatch(r"[\s\d.、|]*", rest) is not None


def _is_furniture_line(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _is_tag_debris(s) or re.fullmatch(r"[\s|]+", s):
        return True
    return len(s) <= _SHORT_LINE and _LINE_WORDS.search(s) is not None


def _tail_start(lines: list[tuple[int, int, str]], dropped: set[int]) -> int | None:
    """Index of the first line of a trailing block of site furniture, if the page ends with one."""
    start = None
    for i in range(len(lines) - 1, -1, -1):
        s = lines[i][2].strip()
        if not s or i in dropped:
            if i in dropped and _TAIL_OPENERS.search(s):
                start = i
            continue
        # short lines without a full stop inside the tail are site slogans and link labels
        if len(s) <= 40 and "。" not in s:
            continue
        break
    return start


_TAIL_MAX = 300  # characters of kept text a trailing furniture block may hold (links, slogans, editor)


def _body_after(lines: list[tuple[int, int, str]], dropped: set[int], tail: int) -> bool:
    """Whether the lines after a tail opener (信息来源：…) are the document's body rather than site debris:
    the opener stands in the first half of the text, or more than a few lines of text follow it."""
    if lines and lines[tail][0] < lines[-1][1] / 2:
        return True
    kept = sum(len(lines[i][2].strip()) for i in range(tail + 1, len(lines)) if i not in dropped)
    return kept > _TAIL_MAX


# Each inline pattern with the characters one of its matches must contain.
_INLINE_RXS = (
    (_TAG, ("<", "&")),
    (_META_TABLE, ("|",)),
    (_BREADCRUMB, ("位置",)),
    (_INLINE, ("分享", "打印", "关闭", "返回顶部", "字")),
    (_EDGE_PIPES, ("|",)),
)
_FOOTER_NEEDLES = (
    "版权",
    "Copyright",
    "copyright",
    "COPYRIGHT",
    "©",
    "主办",
    "承办",
    "ICP",
    "网站标识码",
    "公网安备",
)


def _any_of(needles: tuple[str, ...]) -> re.Pattern[str]:
    """One search for 'the line holds one of these strings' (faster than a loop of `in` tests)."""
    return re.compile("|".join(map(re.escape, needles)))


_INLINE_LOOKS = tuple((rx, _any_of(needles)) for rx, needles in _INLINE_RXS)
_FOOTER_LOOK = _any_of(_FOOTER_NEEDLES)


def _inline_ranges(line: str, base: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for rx, look in _INLINE_LOOKS:
        if look.search(line):  # a cheap look first: most lines of a plan hold none of these
            out.extend((base + m.start(), base + m.end()) for m in rx.finditer(line) if m.end() > m.start())
    if not _FOOTER_LOOK.search(line):
        return out
    for m in _FOOTER.finditer(line):
        rest = line[m.start() :]
        if len(rest) < 400 and "。" not in rest:
            out.append((base + m.start(), base + len(line)))  # the page footer runs to the end
            break
        tail = re.match(r"[::]?\s*[^\s。,,;;]{0,40}", line[m.end() :])
        out.append((base + m.start(), base + m.end() + (tail.end() if tail else 0)))
    return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def furniture_ranges(text: str, simple: str | None = None) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) ranges of `text` that are page furniture, not plan text.

    `simple` is `to_simplified(text)` when the caller has it already (it is the costly step)."""
    if simple is None:
        simple = to_simplified(text)  # same length, so offsets carry over; matches Traditional pages too
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in simple.splitlines(keepends=True):
        lines.append((pos, pos + len(raw), raw.rstrip("\r\n")))
        pos += len(raw)
    ranges: list[tuple[int, int]] = []
    dropped: set[int] = set()
    for i, (a, b, line) in enumerate(lines):
        if _is_furniture_line(line):
            dropped.add(i)
            ranges.append((a, b))
        else:
            ranges.extend(_inline_ranges(line, a))
    tail = _tail_start(lines, dropped)
    if tail is not None and not _body_after(lines, dropped, tail):
        ranges.append((lines[tail][0], len(text)))
    return _merge(ranges)
