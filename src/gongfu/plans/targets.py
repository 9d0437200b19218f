"""Find every explicit numeric target (指标) of a plan in its normalised text.

Pure functions: `extract_targets` reads running text (and target tables a page flattened into text);
`targets_from_table` reads a 指标表 given as rows of cells. Offsets are into the normalised text; the
caller maps them back to the original with `NormalisedText.span_to_original`.
"""

from __future__ import annotations

from bisect import bisect_right

from gongfu.model import Section, Target
from gongfu.plans.extract.clauses import sentence_targets
from gongfu.plans.extract.lexicon import REVIEW_TITLE_RE
from gongfu.plans.extract.sentences import sentences
from gongfu.plans.extract.tables import flattened_table_targets, targets_from_table

__all__ = ["extract_targets", "targets_from_table"]

_FULL_STOPS = "。;;!?!?\n"


def _section_of(sections: list[Section], starts: list[int], at: int) -> Section | None:
    """The innermost section whose [start, end) holds `at`."""
    best: Section | None = None
    for sec in sections[: bisect_right(starts, at)]:
        if sec.start <= at < sec.end and (best is None or sec.level >= best.level):
            best = sec
    return best


def _in_review(sections: list[Section], starts: list[int], at: int) -> bool:
    return any(
        sec.start <= at < sec.end and REVIEW_TITLE_RE.search(sec.title)
        for sec in sections[: bisect_right(starts, at)]
    )


def extract_targets(
    text: str, *, sections: list[Section] | None = None, horizon: int | None = None
) -> list[Target]:
    """All targets stated in `text` (normalised plan text), in text order.

    `horizon` is the plan's end year, the default target year; `sections` give each target its
    outline path, and sections titled as a review (回顾, 成就 …) yield no targets.
    """
    secs = sorted(sections or [], key=lambda s: s.start)
    starts = [s.start for s in secs]
    table_targets, table_ranges = flattened_table_targets(text, horizon=horizon)
    out: list[Target] = list(table_targets)
    for a, b in sentences(text):
        if any(ta <= a < tb for ta, tb in table_ranges):
            continue
        cut = b < len(text) and text[b] not in _FULL_STOPS
        for f in sentence_targets(text[a:b], horizon=horizon, cut=cut):
            start, end = a + f.start, a + f.end
            if secs and _in_review(secs, starts, start):
                continue
            sec = _section_of(secs, starts, start) if secs else None
            out.append(
                Target(
                    indicator=f.indicator,
                    value=f.value,
                    unit=f.unit,
                    comparator=f.comparator,
                    year=f.year,
                    ambition=f.ambition,
                    value2=f.value2,
                    baseline=f.baseline,
                    section=sec.path if sec else None,
                    start=start,
                    end=end,
                    qualifier=f.qualifier,
                    damaged=f.damaged,
                )
            )
    out.sort(key=lambda t: (t.start, t.end))
    return out
