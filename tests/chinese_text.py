"""Find English words and raw codes in text meant for Chinese readers (pages, documents, CLI output).

A word is a run of ASCII letters; what may appear is an allow-list of proper nouns and abbreviations
(GDP, R&D, PM2.5 …), file names and URLs, machine-readable problem codes in brackets (`[bad-year]`,
shown beside their Chinese message like the API's `code`), and unit symbols.
"""

from __future__ import annotations

import re

ALLOWED = {
    # proper nouns and abbreviations used in Chinese statistical writing
    "GDP", "R", "D", "PM", "CPI", "PPI", "AQI", "ICU", "GNI", "PPP", "5G", "AI", "IT", "ID", "CO", "SO", "NO",
    "SHA", "sha", "gongfu", "GB", "T", "Theil", "Gini", "Atkinson", "Palma", "Kuznets", "TOML", "Excel", "Word",
    "PDF", "pdf", "xlsx", "docx", "csv", "CSV", "XLSX", "DOCX", "HTML", "html", "json", "JSON", "jsonl", "UTF",
    "GBK", "GB18030", "ASCII", "URL", "API", "CLI", "ECharts", "PostgreSQL", "SQLite", "Fernet", "E", "N",
    # unit symbols
    "km", "kg", "kWh", "kW", "MW", "GW", "m", "t", "h", "ha", "mg", "g", "L", "TEU", "cm", "mm", "Mbps",
    "Gbps", "M", "K",
}  # fmt: skip
_STRIP = (
    re.compile(r"https?://[A-Za-z0-9._~:/?#@!$&'*+;=%-]+"),  # URLs
    re.compile(r"\[[a-z][a-z0-9_-]*\]"),  # problem codes beside their message
    re.compile(
        r"[A-Za-z0-9_.-]+\.(?:csv|xlsx|xls|docx|txt|html|pdf|json|jsonl|toml|db|gz|joblib|png|parquet)\b",
        re.I,
    ),
    re.compile(r"\b[0-9a-f]{12,}\b"),  # hashes
    re.compile(r"--[a-z][a-z-]*"),  # option names quoted in hints (--region)
    re.compile(r"\bGONGFU_[A-Z_]+\b"),  # setting names
    re.compile(r"\b[PST]\d+\b"),  # the report's own citation ids (P3: a plan sentence, S5: a statistic)
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[.&][A-Za-z0-9]+)*")


def foreign_words(text: str, extra: set[str] = frozenset()) -> list[str]:
    """The English words and raw codes in `text` that the allow-list does not excuse, in order."""
    for pattern in _STRIP:
        text = pattern.sub(" ", text)
    found = []
    for w in _WORD.findall(text):
        parts = re.split(r"[.&]", w)
        if all(p in ALLOWED or p in extra or p.isdigit() or re.fullmatch(r"\d+[A-Za-z]?", p) for p in parts):
            continue
        if w in ALLOWED or w in extra:
            continue
        found.append(w)
    return found
