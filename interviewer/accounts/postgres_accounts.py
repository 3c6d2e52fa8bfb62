"""Accounts in the sessions' PostgreSQL database, in a table of their own, through the store's
pool: every replica signs in against the same accounts and shares their lockouts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from interviewer.accounts.records import Account, AccountExists
from interviewer.store.postgres_db import Conn, Database

_TABLE = """
CREATE TABLE IF NOT EXISTS accounts (
    name           TEXT PRIMARY KEY,
    role           TEXT NOT NULL CHECK (role IN ('candidate', 'coach')),
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    last_failed_at TIMESTAMPTZ
)
"""
_SIGN_INS = """
CREATE TABLE IF NOT EXISTS sign_ins (
    token_hash   TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    signed_in_at TIMESTAMPTZ NOT NULL
)
"""
# Replicas starting together would race on CREATE TABLE IF NOT EXISTS: one at a time.
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('interviewer accounts table'))"


class PostgresAccounts:
    def __init__(self, database: Database) -> None:
        self._db = database
        self._db.run("create the accounts tables",
                     lambda conn: [conn.execute(_LOCK), conn.execute(_TABLE), conn.execute(_SIGN_INS)])

    def add(self, account: Account) -> None:
        row = (account.name, account.role, account.password_hash, account.created_at)
        added = self._write("add an account", "INSERT INTO accounts (name, role, password_hash, created_at) "
                            "VALUES (%s, %s, %s, %s) ON CONFLICT (name) DO NOTHING", row, retry=False)
        if not added:
            raise AccountExists(f"an account named {account.name!r} already exists")

    def get(self, name: str) -> Account | None:
        row = self._db.run("read an account", lambda conn: conn.execute(
            "SELECT * FROM accounts WHERE name = %s", (name,)).fetchone())
        return _account(row) if row else None

    def all(self) -> list[Account]:
        rows = self._db.run("list accounts", lambda conn: conn.execute("SELECT * FROM accounts ORDER BY name").fetchall())
        return [_account(row) for row in rows]

    def count(self) -> int:
        return int(self._db.run("count accounts", lambda conn: conn.execute(
            "SELECT COUNT(*) AS n FROM accounts").fetchone()["n"]))  # type: ignore[index]

    def set_password(self, name: str, password_hash: str) -> bool:
        return self._write("set a password", "UPDATE accounts SET password_hash = %s, failed_logins = 0, "
                           "last_failed_at = NULL WHERE name = %s", (password_hash, name))

    def remove(self, name: str) -> bool:
        def remove(conn: Conn) -> bool:
            conn.execute("DELETE FROM sign_ins WHERE name = %s", (name,))
            return conn.execute("DELETE FROM accounts WHERE name = %s", (name,)).rowcount > 0

        return self._db.run("remove an account", remove, retry=False)

    def failed(self, name: str, at: datetime) -> None:
        # One statement: concurrent wrong passwords on several replicas each count. Not retried:
        # a lost reply must not count one wrong password twice.
        self._write("count a wrong password", "UPDATE accounts SET failed_logins = failed_logins + 1, "
                    "last_failed_at = %s WHERE name = %s", (at, name), retry=False)

    def succeeded(self, name: str) -> None:
        self._write("clear wrong passwords", "UPDATE accounts SET failed_logins = 0, last_failed_at = NULL "
                    "WHERE name = %s AND failed_logins > 0", (name,))

    def keep_sign_in(self, token_hash: str, name: str, at: datetime, forget_before: datetime) -> None:
        def keep(conn: Conn) -> None:
            conn.execute("DELETE FROM sign_ins WHERE signed_in_at < %s", (forget_before,))
            conn.execute("INSERT INTO sign_ins (token_hash, name, signed_in_at) VALUES (%s, %s, %s) "
                         "ON CONFLICT (token_hash) DO UPDATE SET name = EXCLUDED.name, signed_in_at = EXCLUDED.signed_in_at",
                         (token_hash, name, at))

        self._db.run("keep a sign-in", keep)

    def signed_in_as(self, token_hash: str, since: datetime) -> str | None:
        row = self._db.run("read a sign-in", lambda conn: conn.execute(
            "SELECT name FROM sign_ins WHERE token_hash = %s AND signed_in_at >= %s", (token_hash, since)).fetchone())
        return row["name"] if row else None

    def end_sign_ins(self, name: str | None = None, token_hash: str | None = None) -> None:
        self._write("end sign-ins", "DELETE FROM sign_ins WHERE name = %s OR token_hash = %s", (name, token_hash))

    def _write(self, what: str, sql: str, values: tuple[Any, ...], *, retry: bool = True) -> bool:
        def write(conn: Conn) -> bool:
            return conn.execute(sql, values).rowcount > 0

        return self._db.run(what, write, retry=retry)


def _account(row: dict[str, Any]) -> Account:
    return Account(
        name=row["name"], role=row["role"], password_hash=row["password_hash"], created_at=row["created_at"],
        failed_logins=row["failed_logins"], last_failed_at=row["last_failed_at"],
    )
