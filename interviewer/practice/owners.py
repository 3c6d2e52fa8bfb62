"""Who owns a practice: a signed-in account, or else each browser, proving it with a secret it keeps;
the terminal is the local user.

The store keeps a hash of the browser's secret, never the secret itself, so reading the
database (or a log) does not let anyone act as that browser.
"""

from __future__ import annotations

import hashlib
import re
import secrets

LOCAL_OWNER = "local"  # sessions held in the terminal, and those saved before owners existed
_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def new_browser_secret() -> str:
    return secrets.token_urlsafe(32)


def browser_owner(secret: object) -> str | None:
    """The owner id for a browser's secret, or None when the value is not a secret this app made."""
    if not isinstance(secret, str) or not _SECRET.match(secret):
        return None
    return "browser:" + hashlib.sha256(secret.encode()).hexdigest()[:40]


def account_owner(name: str) -> str:
    """The owner id of a signed-in account's sessions (its name is checked and lower case)."""
    return "user:" + name
