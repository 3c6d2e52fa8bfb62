"""What sign-in asks of the account storage, whatever keeps it (SQLite, PostgreSQL, memory).

Failure counts and sign-ins live in the storage, not in the process, so every app process on one
database shares each account's lockout, and a sign-in made on one holds on the others.
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
        """Remove the account and end its sign-ins; returns whether it existed."""
        ...

    def failed(self, name: str, at: datetime) -> None:
        """Count one more wrong password, atomically (several processes may count at once)."""
        ...

    def succeeded(self, name: str) -> None:
        """A right password: the failure count starts again from zero."""
        ...

    def keep_sign_in(self, token_hash: str, name: str, at: datetime, forget_before: datetime) -> None:
        """Record a sign-in (by its token's hash), and forget those made before `forget_before`."""
        ...

    def signed_in_as(self, token_hash: str, since: datetime) -> str | None:
        """The name the token signed in as, if it did so at `since` or later."""
        ...

    def end_sign_ins(self, name: str | None = None, token_hash: str | None = None) -> None:
        """End every sign-in of `name`, or the one of `token_hash`."""
        ...
