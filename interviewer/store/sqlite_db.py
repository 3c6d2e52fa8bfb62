"""The SQLite file under the store: where it is, opening it privately, and errors that say how to fix them.

Each thread keeps one connection and reuses it (opening one costs more than a turn's query), so
Gradio's worker threads (and several app processes on one machine) share a database without a
lock of ours: SQLite serialises the writers, and in WAL mode readers never wait for them.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from interviewer.store.errors import StoreError, StoreUnavailable
from interviewer.store.location import DB_ENV, default_db_path
from interviewer.store.schema import SCHEMA_VERSION, NewerSchema, migrate

log = logging.getLogger(__name__)


class Database:
    def __init__(self, path: str | os.PathLike[str] | None, busy_timeout: float) -> None:
        """See SqliteStore."""
        if path is not None:
            self.path, self.origin = Path(path).expanduser(), "the path given to SqliteStore"
        elif os.environ.get(DB_ENV):
            self.path, self.origin = default_db_path(), f"${DB_ENV}"
        else:
            self.path, self.origin = default_db_path(), "the default location"
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        if str(self.path) in ("", ":memory:") or str(self.path).startswith("file:"):
            # Each thread opens its own connection, so an in-memory database would not be shared.
            raise StoreUnavailable(
                f"the session store needs a file path, not {str(self.path)!r} ({self.origin}); "
                f"set {DB_ENV} to a file such as /tmp/interviewer.sqlite3"
            )
        self._create_private_file()
        with self.connection() as conn:
            # WAL is a property of the file: set once here, every later connection inherits it.
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.warning("%s: journal mode is %s, not WAL (a network file system?); saves will be slower", self.path, mode)
            try:
                self.migrated_from = migrate(conn)
            except NewerSchema as newer:
                raise StoreUnavailable(
                    f"the session database {self.path} has schema version {newer.found}, newer than this "
                    f"app understands ({SCHEMA_VERSION}); upgrade the app, or set {DB_ENV} to another file"
                ) from None

    def _create_private_file(self) -> None:
        # Transcripts are personal: a new database (and the -wal/-shm files SQLite derives from
        # it) is readable by its owner only, even on a machine shared by a class.
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise self.unavailable(f"cannot create the folder {self.path.parent}: {error.strerror or error}") from error
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        except OSError as error:
            raise self.unavailable(f"cannot create the file: {error.strerror or error}") from error

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = getattr(self._local, "conn", None) or self._open()
        try:
            yield conn
        except sqlite3.Error as error:
            self._drop(conn)  # a connection that failed may be in any state: the next call opens afresh
            raise self._translate(error) from error

    def _open(self) -> sqlite3.Connection:
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in transaction()).
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            # In WAL mode NORMAL survives an app crash; only a power cut may lose the last turns.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise self._translate(error) from error
        self._local.conn = conn
        return conn

    def _drop(self, conn: sqlite3.Connection) -> None:
        self._local.conn = None
        conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as conn:
            # IMMEDIATE: take the write lock up front, so a busy database waits (busy_timeout)
            # instead of failing halfway through with a lock upgrade error.
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _translate(self, error: sqlite3.Error) -> StoreError:
        message = str(error)
        if "locked" in message or "busy" in message:
            return StoreError(
                f"the session database {self.path} stayed locked for {self.busy_timeout:g}s "
                f"by another thread or process; try again"
            )
        if "not a database" in message or "malformed" in message:
            return self.unavailable(
                f"it is not a readable SQLite database ({message}); move the file aside to start a new history"
            )
        return self.unavailable(message)

    def unavailable(self, reason: str) -> StoreUnavailable:
        return StoreUnavailable(
            f"cannot use the session database {self.path} ({self.origin}): {reason}. "
            f"Set {DB_ENV} to a writable file path, e.g. {DB_ENV}=~/interviewer-sessions.sqlite3"
        )
