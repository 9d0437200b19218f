"""Access: users, roles, password hashing, lock-out, session and API tokens, and the audit trail.

The CLI (`gongfu user`) and the web front call these functions; neither holds access logic of its own.
"""

from gongfu.access.audit import list_events, record
from gongfu.access.roles import ROLES, allowed, require_permission
from gongfu.access.tokens import AuthFailed, LockedOut, authenticate, issue_token, resolve_token, revoke_token
from gongfu.access.users import Principal, add_user, disable_user, get_user, list_users, set_password

__all__ = [
    "ROLES",
    "AuthFailed",
    "LockedOut",
    "Principal",
    "add_user",
    "allowed",
    "authenticate",
    "disable_user",
    "get_user",
    "issue_token",
    "list_events",
    "list_users",
    "record",
    "require_permission",
    "resolve_token",
    "revoke_token",
    "set_password",
]
