"""Moved to `gongfu.access.scope`; this re-export stays for one release."""

from gongfu.access.scope import OutOfScopeRows, Scope

__all__ = ["OutOfScopeRows", "Scope"]
