"""The one report-specific error: a converter or font the report needs is not installed."""

from __future__ import annotations

from gongfu.errors import MissingPart


class ToolMissing(MissingPart):
    """A tool or font the chosen report format needs is missing; the message says what to install."""
