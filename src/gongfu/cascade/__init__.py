"""Targets cascaded down the region tree (指标分解): child targets and the consistency of their sum or mean."""

from gongfu.cascade.consistency import Child, Verdict, check
from gongfu.cascade.service import import_sheet, link_plans, set_child
from gongfu.cascade.view import cascade_view, cascades, cascades_page

__all__ = [
    "Child",
    "Verdict",
    "cascade_view",
    "cascades",
    "cascades_page",
    "check",
    "import_sheet",
    "link_plans",
    "set_child",
]
