"""The PostgreSQL database under the store: a connection pool, retries, and errors without the password.

Every call borrows a pooled connection and runs in one transaction, committed before it returns.
A connection lost to a server restart or a network blip fails the call; calls that are safe to
repeat are tried again a few times with a short backoff before the store gives up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

from interviewer.store.errors import StoreError, StoreUnavailable
from interviewer.store.location import APP_NAME, DB_ENV
from interviewer.store.postgres_schema import SCHEMA_VERSION, NewerSchema, migrate

log = logging.getLogger(__name__)

T = TypeVar("T")
Conn = psycopg.Connection[DictRow]  # rows read by column name, as rows.py wants them
Work = Callable[[Conn], T]

_FIX = (
    "check that the PostgreSQL server is running and reachable and that the URL's user, password and "
    f"database are right, or set {DB_ENV} to another URL or to a SQLite file path"
)


class Redactor:
    """Replaces the DSN's password wherever it shows up, so no message or log line carries it."""

    def __init__(self, dsn: str) -> None:
        found = {urlsplit(dsn).password or ""}
        try:
            found.add(str(conninfo_to_dict(dsn).get("password") or ""))
        except psycopg.Error:
            pass  # connecting will report the malformed DSN; the URL's password is still known
        found.discard("")
        self._secrets = sorted(found | {quote(s, safe="") for s in found}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


class Database:
    def __init__(
        self, dsn: str, origin: str, *, pool_size: int, timeout: float, retries: int, backoff: float
    ) -> None:
        """See PostgresStore."""
        self.redact = Redactor(dsn)
        self.where, self.origin = self.redact(dsn), origin
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        # libpq takes whole seconds and treats 1 as 2.
        connect: dict[str, Any] = {"connect_timeout": max(2, round(timeout)), "application_name": APP_NAME}
        self.migrated_from = self._migrate(dsn, connect)
        self._pool: ConnectionPool[Conn] = ConnectionPool(
            dsn,
            connection_class=Conn,
            kwargs={**connect, "autocommit": True, "row_factory": dict_row},
            min_size=1,
            max_size=pool_size,
            configure=_utc,
            # A connection the server dropped while idle is replaced before use, so even calls
            # that are not retried survive a restart.
            check=ConnectionPool.check_connection,
            timeout=timeout,
            # The pool's reconnection backs off (1, 2, 4 s...) until it gives up; a short give-up
            # time keeps that wait short, so the store is back soon after the server is.
            reconnect_timeout=2 * timeout,
            name=APP_NAME,
            open=True,
        )

    def _migrate(self, dsn: str, connect: dict[str, Any]) -> int:
        try:
            with psycopg.connect(dsn, autocommit=True, **connect) as conn:
                return migrate(conn)
        except NewerSchema as newer:
            raise StoreUnavailable(
                f"the session database {self.where} ({self.origin}) has schema version {newer.found}, newer than "
                f"this app understands ({SCHEMA_VERSION}); upgrade the app, or set {DB_ENV} to another database"
            ) from None
        except psycopg.Error as error:
            raise self.unavailable("cannot open it", error) from None

    def run(self, what: str, work: Work[T], *, retry: bool = True) -> T:
        """`work` in one transaction on a pooled connection; `retry` only when doing it twice is harmless."""
        attempt, attempts = 1, 1 + (self.retries if retry else 0)
        while True:
            try:
                with self._pool.connection() as conn, conn.transaction():
                    return work(conn)
            except psycopg.OperationalError as error:
                if attempt == attempts:
                    raise self.unavailable(f"cannot {what} (tried {attempt} time(s))", error) from None
                log.warning("session database %s: cannot %s, trying again: %s", self.where, what, self._line(error))
                time.sleep(self.backoff * 2 ** (attempt - 1))
                attempt += 1
            except psycopg.Error as error:
                raise StoreError(f"cannot {what} in the session database {self.where}: {self._line(error)}") from None

    def unavailable(self, what: str, error: Exception) -> StoreUnavailable:
        return StoreUnavailable(
            f"cannot use the session database {self.where} ({self.origin}): {what}: {self._line(error)}; {_FIX}"
        )

    def _line(self, error: Exception) -> str:
        # libpq's messages run over several lines (a hint, one line per address tried): keep one line.
        lines = (line.strip().rstrip(".") for line in str(error).splitlines())
        return self.redact(". ".join(line for line in lines if line))

    def close(self) -> None:
        self._pool.close()


def _utc(conn: Conn) -> None:
    # Timestamps read back in UTC, as the SQLite store gives them.
    conn.execute("SET TIME ZONE 'UTC'")
