"""A declared table schema: the columns a reader knows, each with the header names seen in the wild."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongfu.text import to_simplified

_SPACE = re.compile(r"[\s\u3000]+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "：": ":"})


def header_key(text: str) -> str:
    """A header as compared: Simplified script, no spaces or BOM, half-width brackets, lower case."""
    return _SPACE.sub("", to_simplified(str(text)).lstrip("\ufeff")).translate(_BRACKETS).lower()


@dataclass(frozen=True)
class Column:
    """One column: its canonical name, the header names it goes by, and whether a table must have it."""

    name: str
    aliases: tuple[str, ...]
    required: bool = False
    label: str = ""  # how problems name it (default: the first Chinese alias)

    @property
    def shown(self) -> str:
        return self.label or next((a for a in self.aliases if not a.isascii()), self.name)


@dataclass(frozen=True)
class Schema:
    """The columns of a kind of table; `years` says that year headers (2020, 2020年) are known columns."""

    columns: tuple[Column, ...]
    years: bool = False

    def match(self, header: list[str]) -> dict[str, int]:
        """Canonical name → column index for the headers this schema knows (the first alias wins)."""
        keys = [header_key(h) for h in header]
        found: dict[str, int] = {}
        for col in self.columns:
            for alias in col.aliases:
                k = header_key(alias)
                if k in keys:
                    found[col.name] = keys.index(k)
                    break
        return found

    def known(self, cell: str) -> bool:
        k = header_key(cell)
        if self.years and YEAR_HEADER.match(k):
            return True
        return any(k == header_key(a) for col in self.columns for a in col.aliases)

    def unknown(self, header: list[str]) -> list[str]:
        """The non-empty headers no column of this schema knows, in order."""
        return [h for h in header if h.strip() and not self.known(h)]

    def label(self, name: str) -> str:
        return next((c.shown for c in self.columns if c.name == name), name)


YEAR_HEADER = re.compile(r"^(\d{4})\s*年?(?:\(.*\))?$")
