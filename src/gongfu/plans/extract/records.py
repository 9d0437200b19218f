"""What the clause reader passes around: a sentence with its bracket-masked twin, and a found target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Found:
    """A target found in a sentence, offsets relative to the sentence."""

    indicator: str
    value: float
    value2: float | None
    unit: str
    comparator: str
    year: int | None
    ambition: str
    start: int
    end: int
    qualifier: str
    damaged: bool
    baseline: float | None = None
    rejected: str = ""  # why the tense rules set it aside (record, past_word …), when asked for every one
    rejected: str = ""  # why the tense rules set it aside (record, past_word), when asked for every candidate


@dataclass
class Sentence:
    s: str
    masked: str
    horizon: int | None
    cut: bool  # cut off by a damaged page: it did not end with 。;!? or a line break
    first: int | None = None  # the first year of the document's own time (earlier years are the past)
    report_year: int | None = None  # the year the document calls 今年
