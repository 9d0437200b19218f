"""Provenance as a person reads it: "file.csv 第36行（final）" and the quoted source text, never raw JSON."""

from __future__ import annotations

import json
import re

from gongfu.labels import vintage_zh
from gongfu.reports.data import StatSource

_KV = re.compile(r"(\w+)=(\{.*?\}|\[.*?\]|[^;]+)")
KEY_ZH = {"engine": "引擎", "sha256": "输入文件摘要", "params": "参数", "inputs": "输入"}


def _value(v: str) -> str:
    v = v.strip()
    try:
        parsed = json.loads(v)
    except ValueError:
        return v[:16] + "…" if re.fullmatch(r"[0-9a-f]{32,}", v) else v
    if isinstance(parsed, dict):
        return "，".join(f"{k}={x}" for k, x in parsed.items())
    if isinstance(parsed, list):
        return "、".join(str(x) for x in parsed)
    return str(parsed)


def quote(text: str) -> str:
    """The source text; `key=value; …` and JSON written out as words (a computation's record)."""
    text = (text or "").strip()
    if not text:
        return ""
    if text[:1] in "{[":
        return _value(text)
    pairs = _KV.findall(text) if "=" in text and ";" in text else []
    if pairs:
        return "；".join(f"{KEY_ZH.get(k, k)}：{_value(v)}" for k, v in pairs)
    return text


def where(o: StatSource) -> str:
    """File and row (and vintage): "zhejiang-sourced-observations.csv 第36行（final）"."""
    place = o.source or "—"
    if o.source_row is not None:
        place += f" 第{o.source_row}行"
    if o.vintage:
        place += f"（{vintage_zh(o.vintage)}）"
    return place


def quote_and_link(o: StatSource) -> str:
    return "　".join(x for x in (quote(o.source_text), o.source_url) if x)
