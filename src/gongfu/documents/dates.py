"""Dates as documents write them: 2026年12月1日 (GB/T 9704-2012 7.3.5.3) — the house formatter's."""

from gongfu.fmt import date_zh

__all__ = ["date_zh"]
