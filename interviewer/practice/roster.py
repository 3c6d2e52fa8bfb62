"""A class's accounts together with their sessions: what `interviewer users` changes.

Sessions belong to an account's name. Removing an account keeps them unless asked (the coach's
record of the class), so adding the same name again gives them back; both commands say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.accounts import Account, AccountNotFound, Accounts
from interviewer.accounts.records import account_name
from interviewer.practice.owners import account_owner
from interviewer.store.protocol import SessionStore

EVERY_SESSION = 1_000_000  # list_sessions wants a limit


@dataclass(frozen=True)
class Removed:
    name: str
    sessions: int  # the account's sessions: deleted, or still in the database
    deleted: bool


class Roster:
    def __init__(self, store: SessionStore, accounts: Accounts) -> None:
        self.store, self.accounts = store, accounts

    def sessions_of(self, name: str) -> int:
        return len(self.store.list_sessions([account_owner(account_name(name))], limit=EVERY_SESSION))

    def add(self, name: str, role: str, password: str) -> tuple[Account, int]:
        """The new account, and how many sessions an earlier account of that name left to it."""
        account = self.accounts.add(name, role, password)
        return account, self.sessions_of(account.name)

    def remove(self, name: str, delete_sessions: bool) -> Removed:
        """Remove the account, and its sessions too when asked. Deleting the sessions of an account
        already removed is allowed: that is how a coach deletes them later."""
        name = account_name(name)
        if delete_sessions:
            deleted = self.store.forget(account_owner(name))
            try:
                self.accounts.remove(name)
            except AccountNotFound:
                if not deleted:
                    raise
            return Removed(name, deleted, deleted=True)
        self.accounts.remove(name)
        return Removed(name, self.sessions_of(name), deleted=False)
