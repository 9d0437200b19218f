"""The grassroots closed loop (网格连心·分级分类全处理): citizen requests from intake to archive.

Pure logic (working-day deadlines, states, routing, escalation, warnings, measures) lives in small modules
here; `service` stores and moves cases; `classify` learns the category from the text.
"""
