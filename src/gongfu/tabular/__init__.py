"""The one reader of the tables gongfu takes (observations, yearbooks, hotline exports, classifier data,
task lists, weights): CSV or XLSX, any Chinese encoding, title rows and `单位：…` lines, merged header
cells, header aliases from a declared `Schema`, formula cells reported, zip bombs refused.

    table = read_table(path, Schema((Column("region", ("地区", "region"), required=True), ...)))
    table.columns["region"], table.rows  # [(row number, cells)], table.unit, table.unknown
"""

from gongfu.tabular.decode import decode
from gongfu.tabular.grid import Grid, read_grid
from gongfu.tabular.schema import YEAR_HEADER, Column, Schema, header_key
from gongfu.tabular.table import Table, locate, read_table
from gongfu.tabular.zipguard import check_zip

__all__ = [
    "YEAR_HEADER",
    "Column",
    "Grid",
    "Schema",
    "Table",
    "check_zip",
    "decode",
    "header_key",
    "locate",
    "read_grid",
    "read_table",
]
