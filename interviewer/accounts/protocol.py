"""What sign-in asks of the account storage, whatever keeps it (SQLite, memory, later PostgreSQL).

Failure counts live in the storage, not in the process, so every app process on one database
shares each account's lockout.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from interviewer.accounts.records import Account


@runtime_checkable
class AccountStore(Protocol):
    def add(self, account: Account) -> None:
        """Raises AccountExists when the name is taken."""
        ...

    def get(self, name: str) -> Account | None: ...

    def all(self) -> list[Account]:
        """Every account, by name."""
        ...

    def count(self) -> int: ...

    def set_password(self, name: str, password_hash: str) -> bool:
        """Replace the hash and clear the failure count; returns whether the account exists."""
        ...

    def remove(self, name: str) -> bool:
        """Returns whether the account existed."""
        ...

    def failed(self, name: str, at: datetime) -> None:
        """Count one more wrong password, atomically (several processes may count at once)."""
        ...

    def succeeded(self, name: str) -> None:
        """A right password: the failure count starts again from zero."""
        ...
