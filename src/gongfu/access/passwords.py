"""Password hashing with argon2id (OWASP minimum parameters: 19 MiB, 2 passes, 1 lane), and the policy.

The policy: at least 10 characters, not the user name (nor it reversed), not one character repeated, not in
the shipped list of common passwords (`data/common-passwords.txt`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from gongfu.errors import InputError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 10
MAX_LENGTH = 200  # argon2 takes any length; a bound keeps a megabyte "password" from being hashed
COMMON = Path(__file__).with_name("data") / "common-passwords.txt"
# Verified against when the user does not exist, so a missing name costs as long as a wrong password.
_DUMMY = _hasher.hash("not-a-password-of-anyone")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().casefold() for ln in lines if ln.strip() and not ln.startswith("#"))


def check_policy(password: str, user_name: str = "") -> None:
    """InputError naming the rule a new password breaks; nothing when it is acceptable."""
    if len(password) < MIN_LENGTH:
        raise InputError(f"password too short: at least {MIN_LENGTH} characters (密码至少 {MIN_LENGTH} 位)")
    if len(password) > MAX_LENGTH:
        raise InputError(f"password too long: at most {MAX_LENGTH} characters (密码至多 {MAX_LENGTH} 位)")
    folded = password.strip().casefold()
    name = user_name.strip().casefold()
    if name and folded in (name, name[::-1]):
        raise InputError("the password may not be the user name (密码不能与用户名相同)")
    if len(set(folded)) <= 1:
        raise InputError("the password may not be one character repeated (密码不能是同一字符重复)")
    if folded in common_passwords():
        raise InputError("this password is too common; choose another (密码过于常见，请另选)")


def hash_password(password: str, user_name: str = "") -> str:
    check_policy(password, user_name)
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        password = password[:MAX_LENGTH] + "\x00"  # never equal to a stored password, still costs a check
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
