"""Departments reporting their figures (数据填报): data requests, reporting forms, approval by level, and the
timeliness and completeness of reports. Approved figures enter the store through the observation service."""

from gongfu.reporting.forms import approve, open_form, return_form, revise, save, submit, withdraw
from gongfu.reporting.members import add_member
from gongfu.reporting.requests import issue, needed
from gongfu.reporting.views import form_view, my_forms, timeliness

__all__ = [
    "add_member",
    "approve",
    "form_view",
    "issue",
    "my_forms",
    "needed",
    "open_form",
    "return_form",
    "revise",
    "save",
    "submit",
    "timeliness",
    "withdraw",
]
