"""Accounts in the sessions' SQLite file, in a table of their own.

The table is created idempotently rather than by a step of the session schema's migrations, so the
session store's backends and this one change independently.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime

from interviewer.accounts.records import Account, AccountExists
from interviewer.store.common import iso
from interviewer.store.sqlite_db import Database

_TABLE = """
CREATE TABLE IF NOT EXISTS accounts (
    name           TEXT PRIMARY KEY,
    role           TEXT NOT NULL CHECK (role IN ('candidate', 'coach')),
    password_hash  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    last_failed_at TEXT
)
"""
_SIGN_INS = """
CREATE TABLE IF NOT EXISTS sign_ins (
    token_hash   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    signed_in_at TEXT NOT NULL
)
"""


class SqliteAccounts:
    def __init__(self, path: str | os.PathLike[str] | None, busy_timeout: float = 10.0) -> None:
        self._db = Database(path, busy_timeout)
        with self._db.connection() as conn:
            conn.execute(_TABLE)
            conn.execute(_SIGN_INS)

    def add(self, account: Account) -> None:
        row = (account.name, account.role, account.password_hash, iso(account.created_at))
        added = self._write("INSERT INTO accounts (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (name) DO NOTHING", row)
        if not added:
            raise AccountExists(f"an account named {account.name!r} already exists")

    def get(self, name: str) -> Account | None:
        with self._db.connection() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE name = ?", (name,)).fetchone()
        return _account(row) if row else None

    def all(self) -> list[Account]:
        with self._db.connection() as conn:
            return [_account(row) for row in conn.execute("SELECT * FROM accounts ORDER BY name")]

    def count(self) -> int:
        with self._db.connection() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0])

    def set_password(self, name: str, password_hash: str) -> bool:
        return self._write(
            "UPDATE accounts SET password_hash = ?, failed_logins = 0, last_failed_at = NULL WHERE name = ?",
            (password_hash, name),
        )

    def remove(self, name: str) -> bool:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM sign_ins WHERE name = ?", (name,))
            return conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount > 0

    def failed(self, name: str, at: datetime) -> None:
        # One statement: concurrent wrong passwords on several processes each count.
        self._write("UPDATE accounts SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE name = ?",
                    (iso(at), name))

    def succeeded(self, name: str) -> None:
        self._write("UPDATE accounts SET failed_logins = 0, last_failed_at = NULL WHERE name = ? AND failed_logins > 0",
                    (name,))

    def keep_sign_in(self, token_hash: str, name: str, at: datetime, forget_before: datetime) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM sign_ins WHERE signed_in_at < ?", (iso(forget_before),))
            conn.execute("INSERT OR REPLACE INTO sign_ins (token_hash, name, signed_in_at) VALUES (?, ?, ?)",
                         (token_hash, name, iso(at)))

    def signed_in_as(self, token_hash: str, since: datetime) -> str | None:
        with self._db.connection() as conn:
            row = conn.execute("SELECT name FROM sign_ins WHERE token_hash = ? AND signed_in_at >= ?",
                               (token_hash, iso(since))).fetchone()
        return row["name"] if row else None

    def end_sign_ins(self, name: str | None = None, token_hash: str | None = None) -> None:
        self._write("DELETE FROM sign_ins WHERE name = ? OR token_hash = ?", (name, token_hash))

    def _write(self, sql: str, values: tuple[object, ...]) -> bool:
        with self._db.transaction() as conn:
            return conn.execute(sql, values).rowcount > 0


def _account(row: sqlite3.Row) -> Account:
    failed_at = row["last_failed_at"]
    return Account(
        name=row["name"], role=row["role"], password_hash=row["password_hash"],
        created_at=datetime.fromisoformat(row["created_at"]), failed_logins=row["failed_logins"],
        last_failed_at=datetime.fromisoformat(failed_at) if failed_at else None,
    )
