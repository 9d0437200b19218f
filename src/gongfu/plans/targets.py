"""Find every explicit numeric target (指标) of a plan in its normalised text.

Pure functions: `extract_targets` reads running text (and target tables a page flattened into text);
`targets_from_table` reads a 指标表 given as rows of cells. Offsets are into the normalised text; the
caller maps them back to the original with `NormalisedText.span_to_original`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from gongfu.model import Section, Target
from gongfu.plans.doctime import DocTime
from gongfu.plans.extract.clauses import sentence_targets
from gongfu.plans.extract.lexicon import REVIEW_OPENER_RE, REVIEW_TITLE_RE
from gongfu.plans.extract.phrases import year_at
from gongfu.plans.extract.records import Found
from gongfu.plans.extract.sentences import sentences
from gongfu.plans.extract.tables import flattened_table_targets, targets_from_table
from gongfu.plans.extract.tense import Candidate, _SentenceCache, candidate_features, default_judge

__all__ = ["extract_targets", "targets_from_table"]

_FULL_STOPS = "。;;!?!?\n"
_SENTENCE_ENDS = "。!?!?\n"
_DIGIT_RE = re.compile(r"[\d一二两三四五六七八九十百千万]")
# A heading line: an outline marker, short, no full stop (一、“十三五”发展回顾…, (二)主要目标, 第三章 …).
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|第[一二三四五六七八九十]{1,3}[章节部])[^。\n]{0,40}$"
)


def _review_ranges(text: str) -> list[tuple[int, int]]:
    """Paragraphs that report the record: those opening with 这五年/五年来/“十三五”时期 …, and every line
    under a heading titled as a review (回顾, 成就 …) up to the next heading."""
    out: list[tuple[int, int]] = []
    pos, under_review = 0, False
    for line in text.split("\n"):
        end = pos + len(line)
        if _HEADING_RE.match(line):
            under_review = bool(REVIEW_TITLE_RE.search(line))
        elif under_review or REVIEW_OPENER_RE.match(line):
            out.append((pos, end))
        pos = end + 1
    return out


_SENTENCE_END_RE = re.compile(f"[{_SENTENCE_ENDS}]")


def _sentence_ends(text: str) -> list[int]:
    """Offsets of every full stop and line break of `text`, for `_carried_year`."""
    return [m.start() for m in _SENTENCE_END_RE.finditer(text)]


def _carried_year(
    text: str, a: int, horizon: int | None, first: int | None, report: int | None, ends: list[int]
) -> int | None:
    """The year an earlier ;-clause of the same sentence named (建议2011年…目标为:A;B;C): it holds for B and C.

    `ends` are the offsets of the text's full stops (`_sentence_ends`): one bisection finds where the
    sentence holding `a` began."""
    lo = max(0, a - 2000)  # a sentence is shorter than this: bound the search
    k = bisect_right(ends, a - 1) - 1
    start = max(ends[k] + 1 if k >= 0 else 0, lo)
    if start >= a or ":" not in text[start:a]:
        return horizon  # only the year of a clause that introduces the list (…目标为:) carries
    year, past = year_at(text[start:a], a - start, horizon, first, report)
    return horizon if past else year


def _section_of(sections: list[Section], starts: list[int], at: int) -> Section | None:
    """The innermost section whose [start, end) holds `at`.

    Sections nest and are sorted by start, so the innermost container is the latest-starting section that
    still holds `at`: walk back from the last one starting at or before `at` (usually one step).
    """
    for k in range(bisect_right(starts, at) - 1, -1, -1):
        if at < sections[k].end:
            return sections[k]
    return None


def _in_review(review: list[Section], at: int) -> bool:
    return any(sec.start <= at < sec.end for sec in review)


def extract_targets(
    text: str,
    *,
    sections: list[Section] | None = None,
    horizon: int | None = None,
    time: DocTime | None = None,
    judge=None,
) -> list[Target]:
    """All targets stated in `text` (normalised plan text), in text order.

    `horizon` is the plan's end year, the default target year; `sections` give each target its
    outline path, and sections titled as a review (回顾, 成就 …) yield no targets. With the document's
    time model `time`, each figure's default year is its part's (else the document's horizon), and past
    the parts that review the past yield no targets; elsewhere past versus goal is decided by `judge`
    (`plans.extract.tense`; the shipped model by default) over every candidate, with the tense rules'
    verdict (a record word, a past word, a table row of a past year) among its features.
    """
    if time is not None:
        secs = sorted(sections or [], key=lambda s: s.start)
        return _judged_targets(text, secs=secs, time=time, judge=judge or default_judge())
    secs = sorted(sections or [], key=lambda s: s.start)
    starts = [s.start for s in secs]
    # without a time model, sections titled as a review and paragraphs opening as one are the record
    review_secs = [s for s in secs if REVIEW_TITLE_RE.search(s.title)]
    table_targets, table_ranges = flattened_table_targets(text, horizon=horizon)
    out: list[Target] = []
    for t in table_targets:
        sec = _section_of(secs, starts, t.start) if secs else None
        t.section = sec.path if sec else None
        out.append(t)
    review = _review_ranges(text)
    table_starts = [ta for ta, _ in table_ranges]
    review_starts = [ra for ra, _ in review]
    ends = _sentence_ends(text)
    for a, b in sentences(text):
        at = bisect_right(review_starts, a) - 1
        t_at = bisect_right(table_starts, a) - 1
        if (t_at >= 0 and a < table_ranges[t_at][1]) or (at >= 0 and a < review[at][1]):
            continue
        if not _DIGIT_RE.search(text, a, b):
            continue  # no figure, no target
        cut = b < len(text) and text[b] not in _FULL_STOPS
        carried = _carried_year(text, a, horizon, None, None, ends)
        for f in sentence_targets(text[a:b], horizon=carried, cut=cut):
            start = a + f.start
            if review_secs and _in_review(review_secs, start):
                continue
            sec = _section_of(secs, starts, start) if secs else None
            out.append(_target(f, a, sec))
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _judged_targets(text: str, *, secs: list[Section], time: DocTime, judge) -> list[Target]:
    """Every candidate figure with its features, then the judge's choice (see `extract_targets`)."""
    horizon, first, report = time.horizon, time.first_year, time.report_year
    starts = [s.start for s in secs]
    # a judge being trained sees the review parts' figures too: they teach it what a rejected one looks like
    reviews = getattr(judge, "reads_reviews", False)
    table_targets, table_ranges = flattened_table_targets(text, horizon=None)
    cands: list[Candidate] = []
    for t in table_targets:
        sec = _section_of(secs, starts, t.start) if secs else None
        t.section = sec.path if sec else None
        year, past = time.year_at(t.start)
        t.year = (horizon if past else year) if t.year is None else t.year
        line_a = text.rfind("\n", 0, t.start) + 1
        line_b = text.find("\n", t.end)
        line_b = len(text) if line_b < 0 else line_b
        why = "table_past" if past else ""
        cands.append(Candidate(t, why, candidate_features(text, line_a, line_b, t.start, time, why)))
    table_starts = [ta for ta, _ in table_ranges]
    cache = _SentenceCache()
    ends = _sentence_ends(text)
    for a, b in sentences(text):
        t_at = bisect_right(table_starts, a) - 1
        if t_at >= 0 and a < table_ranges[t_at][1]:
            continue
        if not _DIGIT_RE.search(text, a, b):
            continue  # no figure, no target
        default, past = time.year_at(a)
        if past and not reviews:
            # a review part is the record: of the 1,208 figures of review parts in the labelled documents
            # not one is a target, and reading them would double the cost of a work report
            continue
        cut = b < len(text) and text[b] not in _FULL_STOPS
        forward = time.forward_at(a)
        default = horizon if past else default
        carried = _carried_year(text, a, default, first, report, ends)
        for f in sentence_targets(
            text[a:b],
            horizon=carried,
            cut=cut,
            first=first,
            report_year=report,
            forward=forward,
            rejected=True,
        ):
            start = a + f.start
            sec = _section_of(secs, starts, start) if secs else None
            t = _target(f, a, sec)
            why = "review_part" if past else f.rejected
            cands.append(Candidate(t, why, candidate_features(text, a, b, start, time, why, cache)))
    out = judge.select(cands)
    out.sort(key=lambda t: (t.start, t.end))
    return out


def _target(f: Found, a: int, sec: Section | None) -> Target:
    """The target of a figure found in the sentence starting at `a`, offsets into the whole text."""
    return Target(
        indicator=f.indicator,
        value=f.value,
        unit=f.unit,
        comparator=f.comparator,
        year=f.year,
        ambition=f.ambition,
        value2=f.value2,
        baseline=f.baseline,
        section=sec.path if sec else None,
        start=a + f.start,
        end=a + f.end,
        qualifier=f.qualifier,
        damaged=f.damaged,
    )
