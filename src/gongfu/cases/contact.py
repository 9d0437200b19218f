"""Reporter contacts: stored encrypted (Fernet), shown masked, matched by a keyed hash for repeats.

The key comes from $GONGFU_CONTACT_KEY (a Fernet key) or a key file created on first use in the user's
data directory (mode 0600). Losing the key makes stored contacts unreadable; masks and hashes survive.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from functools import lru_cache
from pathlib import Path

KEY_ENV = "GONGFU_CONTACT_KEY"
_PHONE = re.compile(r"^\+?\d[\d\- ]{6,}\d$")


def mask(contact: str) -> str:
    """138****5678 for a phone number; 张** for a name; a***@example.cn for an e-mail."""
    c = contact.strip()
    if not c:
        return ""
    if _PHONE.match(c):
        digits = re.sub(r"\D", "", c)
        return (
            digits[:3] + "*" * max(0, len(digits) - 7) + digits[-4:]
            if len(digits) >= 8
            else "*" * len(digits)
        )
    if "@" in c:
        user, _, domain = c.partition("@")
        return f"{user[:1]}***@{domain}"
    return c[:1] + "*" * min(4, max(1, len(c) - 1))


def _key_file() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("gongfu")) / "contact.key"


@lru_cache(maxsize=4)
def _key(env_value: str | None) -> bytes:
    from cryptography.fernet import Fernet

    if env_value:
        return env_value.encode()
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    return path.read_bytes().strip()


def key() -> bytes:
    from gongfu.settings import settings

    secret = settings().contact_key
    return _key(secret.get_secret_value() if secret else None)


def protect(contact: str, secret: bytes | None = None) -> str:
    """Encrypted contact; `secret` is `key()` read once by a caller protecting many."""
    from cryptography.fernet import Fernet

    return Fernet(secret or key()).encrypt(contact.strip().encode()).decode() if contact.strip() else ""


def reveal(token: str) -> str:
    from cryptography.fernet import Fernet

    return Fernet(key()).decrypt(token.encode()).decode() if token else ""


def fingerprint(contact: str, secret: bytes | None = None) -> str:
    """A keyed hash: the same reporter gives the same value; the value does not reveal the contact."""
    c = re.sub(r"[\s\-]", "", contact.strip())
    return hmac.new(secret or key(), c.encode(), hashlib.sha256).hexdigest()[:32] if c else ""
