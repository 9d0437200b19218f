"""Text features: character n-grams of the subject and of the message, and jieba word n-grams.

The subject (留言主题) is the densest signal, so it gets a vectorizer of its own; the body is cut to its
first `MAX_BODY` characters, which loses nothing measurable and keeps long petitions from dominating.
"""

from __future__ import annotations

import re

from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

MAX_BODY = 400
_SPACE = re.compile(r"\s+")
_jieba_ready = False


def compose(subject: str, body: str) -> str:
    return _SPACE.sub("", f"{subject}。{body[:MAX_BODY]}")


def words(text: str) -> list[str]:
    """jieba words without punctuation-only tokens (module-level so a saved model can be loaded)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        jieba.setLogLevel(60)
        _jieba_ready = True
    return [w for w in jieba.lcut(text) if w.strip() and not _PUNCT.fullmatch(w)]


_PUNCT = re.compile(r"[\W_]+")


class MessageFeatures:
    """Fit on (subject, body) pairs; transform to one sparse matrix (subject chars | text chars | words)."""

    def __init__(self) -> None:
        self.subject = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        self.text = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        self.words = TfidfVectorizer(
            tokenizer=words,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=2,
        )

    def _parts(self, subjects: list[str], bodies: list[str]) -> tuple[list[str], list[str]]:
        texts = [compose(s, b) for s, b in zip(subjects, bodies, strict=True)]
        return [s or t[:60] for s, t in zip(subjects, texts, strict=True)], texts

    def fit_transform(self, subjects: list[str], bodies: list[str]) -> csr_matrix:
        subj, texts = self._parts(subjects, bodies)
        return hstack(
            [
                self.subject.fit_transform(subj),
                self.text.fit_transform(texts),
                self.words.fit_transform(texts),
            ]
        ).tocsr()

    def transform(self, subjects: list[str], bodies: list[str]) -> csr_matrix:
        subj, texts = self._parts(subjects, bodies)
        return hstack(
            [self.subject.transform(subj), self.text.transform(texts), self.words.transform(texts)]
        ).tocsr()
