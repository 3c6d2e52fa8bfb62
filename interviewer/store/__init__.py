"""Interviews saved turn by turn, so a closed tab or a restart never loses a session.

    store = open_store(None)                      # $INTERVIEWER_DB (a file, or postgresql://...) or the user's data directory
    ref = store.keep_rubric(rubric)               # the rubric as this session will use it
    session_id = store.create("local", state, ref)
    store.save("local", session_id, state)        # after every turn: the whole state, one transaction
    store.save("local", session_id, state, scorecard=card, delivery=metrics)
    store.load("local", session_id).state         # resume; another owner gets SessionNotFound

MemoryStore keeps the same data in memory only (practice --no-save, tests); PostgresStore keeps it
in PostgreSQL, for replicas sharing one history.
"""

from __future__ import annotations

import os
from pathlib import Path

from interviewer.store.errors import CorruptSession, SessionNotFound, SnapshotNotFound, StoreError, StoreUnavailable
from interviewer.store.location import APP_NAME, DB_ENV, DB_FILE_NAME, default_db_path, is_postgres_url
from interviewer.store.memory_store import MemoryStore
from interviewer.store.protocol import SessionStore
from interviewer.store.records import (
    Attempt,
    LoopQuestion,
    LoopRun,
    SessionSummary,
    StoredSession,
    criterion_progress,
)
from interviewer.store.schema import SCHEMA_VERSION, migrate
from interviewer.store.sqlite_store import SqliteStore


def open_store(path: str | Path | None = None) -> SessionStore:
    """The store at `path`, else at $INTERVIEWER_DB, else SQLite in the user's data directory.

    A postgresql:// or postgres:// URL opens PostgresStore; anything else is a SQLite file.
    """
    if is_postgres_url(path):
        return _postgres(str(path), "the URL given to open_store")
    if path is None and is_postgres_url(os.environ.get(DB_ENV)):
        return _postgres(os.environ[DB_ENV], f"${DB_ENV}")
    return SqliteStore(path)


def _postgres(url: str, origin: str) -> SessionStore:
    # Imported here: SQLite users never load the PostgreSQL driver.
    from interviewer.store.postgres_store import PostgresStore

    return PostgresStore(url, origin=origin)


__all__ = [
    "APP_NAME",
    "DB_ENV",
    "DB_FILE_NAME",
    "SCHEMA_VERSION",
    "Attempt",
    "CorruptSession",
    "LoopQuestion",
    "LoopRun",
    "MemoryStore",
    "SessionNotFound",
    "SessionStore",
    "SessionSummary",
    "SnapshotNotFound",
    "SqliteStore",
    "StoreError",
    "StoreUnavailable",
    "StoredSession",
    "criterion_progress",
    "default_db_path",
    "migrate",
    "open_store",
]
