"""The typefaces of GB/T 9704-2012 and what this machine has instead.

Official documents are set in 仿宋_GB2312 (body), 小标宋 (titles), 黑体 and 楷体 (headings). These are
commercial fonts; where fontconfig does not list them, a free font of the same metrics is used (every CJK
face sets a character on a one-em square, so lines and pages break the same), and `substitutions()` says
which, so the caller can tell the user.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

# role → (the names offices use, in order of preference) and the free fallback (fonts-noto-cjk).
ROLES: dict[str, tuple[tuple[str, ...], str]] = {
    "body": (("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong"), "Noto Serif CJK SC"),
    "title": (("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋"), "Noto Serif CJK SC"),
    "hei": (("黑体", "SimHei", "STHeiti"), "Noto Sans CJK SC"),
    "kai": (
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN"),
        "Noto Serif CJK SC",
    ),
    "song": (("宋体", "SimSun", "STSong"), "Noto Serif CJK SC"),
}
ROLE_ZH = {"body": "仿宋_GB2312", "title": "小标宋", "hei": "黑体", "kai": "楷体_GB2312", "song": "宋体"}
LATIN = "Times New Roman"


@lru_cache(maxsize=1)
def installed() -> frozenset[str]:
    """Every family name fontconfig knows (empty when fc-list is missing)."""
    if shutil.which("fc-list") is None:
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


@dataclass(frozen=True)
class Face:
    role: str
    family: str  # the name written into the document
    substituted: bool  # True when the official face is missing and `family` stands in for it


@lru_cache(maxsize=8)
def face(role: str) -> Face:
    wanted, fallback = ROLES[role]
    have = installed()
    for name in wanted:
        if name in have:
            return Face(role, name, False)
    return Face(role, fallback, True)


def substitutions() -> list[str]:
    """One line per official face this machine lacks, e.g. "仿宋_GB2312 → Noto Serif CJK SC"."""
    return [f"{ROLE_ZH[r]} → {f.family}" for r in ROLES if (f := face(r)).substituted]


__all__ = ["LATIN", "Face", "face", "installed", "substitutions"]
