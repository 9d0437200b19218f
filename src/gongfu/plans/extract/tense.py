"""Past versus goal: a small learned judge that decides which candidate figures are targets.

The tense rules (the document's time model, record words such as 比上年, past words such as 已完成) propose;
every candidate, including those the rules set aside, carries features: the rules' verdict and its reason,
its part's time scope and cue, tense markers of its sentence, the years it names against the report year,
character bigrams of the sentence opening and of the words before the figure, and its place in the
document. A logistic model trained with scikit-learn on the labelled corpus
(`scripts/train_past_goal.py`) weighs them; it ships as JSON inside the package (`data/past_goal.json`)
and is applied here in plain Python, so reading a plan neither imports scikit-learn nor downloads anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from gongfu.model import Target
from gongfu.plans.doctime import DocTime

__all__ = ["Candidate", "Harvest", "PastGoalJudge", "candidate_features", "default_judge"]

MODEL_PATH = Path(__file__).resolve().parent / "data" / "past_goal.json"

# Tense and intent markers of a sentence: words of the record and words of a goal.
# The look-ahead names every first character, so the engine skips the other positions at once.
_MARKER_RE = re.compile(
    r"(?=[完实达增比同上力争确今明将预年累新已了突目要计全截过以来到提跃控不左居位排])"
    r"(?:(?P<wancheng>完成)|(?P<shixian>实现)|(?P<dadao>达到|达)|(?P<zengzhang>增长)|(?P<shangnian>比上年|同比|上年)"
    r"|(?P<lizheng>力争|争取)|(?P<queba>确保)|(?P<jinnian>今年)|(?P<mingnian>明年)|(?P<jiang>将)"
    r"|(?P<yuji>预计)|(?P<nianjun>年均)|(?P<leiji>累计)|(?P<xinzeng>新增)|(?P<yi>已)|(?P<le>了)"
    r"|(?P<tupo>突破)|(?P<mubiao>目标)|(?P<yao>要)|(?P<jihua>计划)|(?P<quannian>全年)|(?P<jiezhi>截至|截止)"
    r"|(?P<guoqu>过去|以来|来)|(?P<daonian>到(?:19|20)\d{2}年)|(?P<tigao>提高到|提升到|增加到|跃升)"
    r"|(?P<kongzhi>控制在)|(?P<buxia>不低于|不少于|以上|左右)|(?P<chuyu>居|位列|排名)|(?P<yu>预期))"
)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?")
_OPENING = 8
_LEFT = 12


@dataclass
class Candidate:
    """A figure the rules read as a target, with why they would set it aside ("" when they keep it)."""

    target: Target
    rejected: str
    features: list[str] = field(default_factory=list)


def _bigrams(prefix: str, s: str) -> list[str]:
    s = _DIGITS_RE.sub("0", s)
    return [prefix + s[i : i + 2] for i in range(len(s) - 1)]


class _SentenceCache:
    """Sentence-level features, computed once per sentence however many figures it holds."""

    def __init__(self) -> None:
        self.key: tuple[int, int] | None = None
        self.value: list[str] = []


def candidate_features(
    text: str, a: int, b: int, at: int, time: DocTime, rejected: str, cache: _SentenceCache | None = None
) -> list[str]:
    """Features of the candidate figure at `at` in sentence text[a:b] of a document with time model `time`."""
    if cache is not None and cache.key == (a, b):
        sentence = cache.value
    else:
        sentence = _sentence_features(text, a, b, time)
        if cache is not None:
            cache.key, cache.value = (a, b), sentence
    part = time.part_at(at)
    out = [f"rule={rejected or 'kept'}", f"scope={part.scope if part else 'nopart'}"]
    if rejected:  # shared by every reason, so a reason rare in training still weighs as a rejection
        out.append("rule=rejected")
    if part is not None and part.cue:
        out.append("cue=" + _DIGITS_RE.sub("0", part.cue)[:6])
    out += _bigrams("l:", text[max(a, at - _LEFT) : at])
    out.append(f"pos={min(4, 5 * at // max(1, len(text)))}")
    return sentence + out


def _sentence_features(text: str, a: int, b: int, time: DocTime) -> list[str]:
    s = text[a:b]
    out = _bigrams("o:", s[:_OPENING])
    out += sorted({"m:" + (m.lastgroup or "") for m in _MARKER_RE.finditer(s)})
    report = time.report_year
    for m in _YEAR_RE.finditer(s):
        y = int(m.group(1))
        if report is None:
            out.append("y:noreport")
        else:
            out.append("y:past" if y < report else "y:this" if y == report else "y:future")
    if "|" in s:
        out.append("table")
    return out


class PastGoalJudge:
    """A linear model over candidate features: keep a candidate when its score is at least 0."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> PastGoalJudge | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["weights"], data["bias"])

    def score(self, features: list[str]) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) for f in features)

    def select(self, candidates: list[Candidate]) -> list[Target]:
        return [c.target for c in candidates if self.score(c.features) >= 0]


class Harvest:
    """A judge that keeps every candidate and remembers them all (to train or score the judge); it is shown
    the figures of review parts too, which reading a plan otherwise skips."""

    reads_reviews = True

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []

    def select(self, candidates: list[Candidate]) -> list[Target]:
        self.candidates.extend(candidates)
        return [c.target for c in candidates]


class RulesOnly:
    """The tense rules alone: keep what they keep (no model shipped, or asked for)."""

    def select(self, candidates: list[Candidate]) -> list[Target]:
        return [c.target for c in candidates if not c.rejected]


@lru_cache(maxsize=1)
def default_judge() -> PastGoalJudge | RulesOnly:
    """The judge shipped with the package, else the rules alone."""
    return PastGoalJudge.load() or RulesOnly()
