"""Accounts of a class: candidates and coaches who sign in, their password hashes and lockouts.

    accounts = Accounts(account_store_for(session_store))   # the same database as the sessions
    accounts.add("alice", "candidate", password)
    accounts.sign_in("alice", password)                     # False when wrong, unknown or locked
"""

from __future__ import annotations

from interviewer.accounts.memory_accounts import MemoryAccounts
from interviewer.accounts.protocol import AccountStore
from interviewer.accounts.records import ROLES, Account, AccountError, AccountExists, AccountNotFound, Role
from interviewer.accounts.service import Accounts
from interviewer.accounts.sqlite_accounts import SqliteAccounts
from interviewer.store import SessionStore, SqliteStore


def account_store_for(sessions: SessionStore) -> AccountStore:
    """Accounts kept where the sessions are: the same SQLite file or PostgreSQL database, or memory
    beside a MemoryStore."""
    if isinstance(sessions, SqliteStore):
        return SqliteAccounts(sessions.path)
    from interviewer.store.postgres_store import PostgresStore  # psycopg only when PostgreSQL is used

    if isinstance(sessions, PostgresStore):
        from interviewer.accounts.postgres_accounts import PostgresAccounts

        return PostgresAccounts(sessions.database)
    return MemoryAccounts()


__all__ = [
    "ROLES", "Account", "AccountError", "AccountExists", "AccountNotFound", "AccountStore", "Accounts",
    "MemoryAccounts", "Role", "SqliteAccounts", "account_store_for",
]
