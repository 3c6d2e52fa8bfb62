"""An account of a class: who signs in, as what, and how many wrong passwords in a row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Role = Literal["candidate", "coach"]
ROLES: tuple[Role, ...] = ("candidate", "coach")
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class Account:
    name: str  # lower case: names are compared without case
    role: Role
    password_hash: str  # argon2id, in its own encoded form (parameters and salt included)
    created_at: datetime
    failed_logins: int = 0  # wrong passwords since the last right one
    last_failed_at: datetime | None = None


class AccountError(Exception):
    """A request about accounts that cannot be done; the message says why and what to do."""


class AccountExists(AccountError):
    pass


class AccountNotFound(AccountError):
    pass


def account_name(name: str) -> str:
    """The name as stored: lower case, checked. Names become owner ids and appear in URLs and logs."""
    folded = name.strip().lower()
    if not NAME.match(folded):
        raise AccountError(
            f"{name!r} is not a valid account name: use 1 to 40 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return folded
