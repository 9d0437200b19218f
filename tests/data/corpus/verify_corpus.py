#!/usr/bin/env python3
"""Check the corpus gold .jsonl files against their source texts.

Every `<stem>.jsonl` in this folder is checked against `<stem>.txt` in the same folder.
Checks, per line:
  * the line parses as JSON and has exactly the nine fields of GUIDELINES.md, in order;
  * field types / allowed values (comparator, ambition, damaged, year, value2 iff range);
  * `span` is a verbatim substring of the source text;
  * `value` is written inside `span` as a whole number token (7.8 -> "7.8", 450.0 -> "450";
    "45" does not match inside "456"), except for the Chinese-numeral targets listed per file
    in CHINESE_NUMERALS;
  * `value2` is written inside `span`;
  * `indicator` is Simplified Chinese (only if the `opencc` package is importable).
Also reports spans that occur more than once in the source (informational).
Exit status 1 if any check fails.
"""

import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ["indicator", "value", "value2", "unit", "comparator", "year", "ambition", "span", "damaged"]
COMPARATORS = {">=", "<=", "==", "range", "increase", "decrease"}
AMBITIONS = {"binding", "striving"}
# Per file: value written as a Chinese numeral in the span: (value, substring that must be in span)
CHINESE_NUMERALS = {
    "beijing-2026-government-work-report": {
        (1.0, "千亿级投资规模"),
    },
    "shanghai-2026-government-work-report": {
        (2.0, "翻一番"),
    },
    "hunan-2026-government-work-report": {
        (10.0, "全国前十"),
    },
    "hangzhou-2020-livelihood-projects-news": {
        (10.0, "十件民生实事"),
    },
    "jiaxing-2023-livelihood-projects-news-traditional": {
        (10.0, "十個項目"),
    },
    "jinhua-2023-government-work-report-excerpt": {
        (1000.0, "突破千亿元"),
    },
}


def fmt(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def main():
    try:
        import opencc  # optional

        t2s = opencc.OpenCC("t2s")
    except Exception:
        t2s = None
    bad = 0
    stems = sorted(os.path.basename(p)[:-6] for p in glob.glob(os.path.join(HERE, "*.jsonl")))
    for stem in stems:
        txt = os.path.join(HERE, stem + ".txt")
        if not os.path.exists(txt):
            print(f"FAIL {stem}.jsonl: no source {stem}.txt")
            bad += 1
            continue
        with open(txt, encoding="utf-8") as fh:
            src = fh.read()
        exceptions = CHINESE_NUMERALS.get(stem, set())
        n = 0
        with open(os.path.join(HERE, stem + ".jsonl"), encoding="utf-8") as fh:
            lines = fh.readlines()
        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            n += 1
            where = f"{stem}.jsonl:{i}"
            try:
                r = json.loads(line)
            except Exception as e:
                print(f"FAIL {where}: JSON does not parse: {e}")
                bad += 1
                continue
            errs = []
            if list(r.keys()) != FIELDS:
                errs.append(f"fields {list(r.keys())}")
            if not isinstance(r.get("indicator"), str) or not r["indicator"]:
                errs.append("indicator empty")
            if not isinstance(r.get("value"), float):
                errs.append("value not float")
            if r.get("comparator") not in COMPARATORS:
                errs.append(f"comparator {r.get('comparator')!r}")
            if (r.get("comparator") == "range") != (r.get("value2") is not None):
                errs.append("value2 must be set iff comparator is range")
            if r.get("value2") is not None and not isinstance(r["value2"], float):
                errs.append("value2 not float")
            if r.get("ambition") not in AMBITIONS:
                errs.append(f"ambition {r.get('ambition')!r}")
            if not isinstance(r.get("damaged"), bool):
                errs.append("damaged not bool")
            y = r.get("year")
            if y is not None and (not isinstance(y, int) or isinstance(y, bool) or not 2000 <= y <= 2100):
                errs.append("year not int in 2000..2100 / null")
            if not isinstance(r.get("unit"), str):
                errs.append("unit not str")
            span = r.get("span", "")
            if not isinstance(span, str) or not span:
                errs.append("span empty")
            elif span not in src:
                errs.append(f"span not in source: {span!r}")
            else:
                c = src.count(span)
                if c > 1:
                    print(f"note {where}: span occurs {c}x in source: {span}")
            v = r.get("value")
            if isinstance(v, float) and isinstance(span, str):
                written = re.search(r"(?<![0-9.])" + re.escape(fmt(v)) + r"(?![0-9]|\.[0-9])", span)
                ok = bool(written) or any(abs(v - cv) < 1e-9 and s in span for cv, s in exceptions)
                if not ok:
                    errs.append(f"value {fmt(v)} not written in span")
                elif not written:
                    print(f"note {where}: value {v} given for a Chinese numeral in span {span!r}")
            v2 = r.get("value2")
            if (
                isinstance(v2, float)
                and isinstance(span, str)
                and not re.search(r"(?<![0-9.])" + re.escape(fmt(v2)) + r"(?![0-9]|\.[0-9])", span)
            ):
                errs.append(f"value2 {fmt(v2)} not in span")
            if t2s is not None and t2s.convert(r.get("indicator", "")) != r.get("indicator", ""):
                errs.append(f"indicator not Simplified: {r['indicator']} -> {t2s.convert(r['indicator'])}")
            for e in errs:
                print(f"FAIL {where}: {e}")
            bad += bool(errs)
        print(f"{stem}.jsonl: {n} records")
    if t2s is None:
        print("(opencc not installed: Simplified-indicator check skipped)")
    print("ALL OK" if not bad else f"{bad} failing line(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
