"""Interviews saved turn by turn, so a closed tab or a restart never loses a session.

    store = open_store(None)                      # SQLite at $INTERVIEWER_DB or the user's data directory
    ref = store.keep_rubric(rubric)               # the rubric as this session will use it
    session_id = store.create("local", state, ref)
    store.save("local", session_id, state)        # after every turn: the whole state, one transaction
    store.save("local", session_id, state, scorecard=card, delivery=metrics)
    store.load("local", session_id).state         # resume; another owner gets SessionNotFound

MemoryStore keeps the same data in memory only (practice --no-save, tests).
"""

from __future__ import annotations

from pathlib import Path

from interviewer.store.errors import CorruptSession, SessionNotFound, SnapshotNotFound, StoreError, StoreUnavailable
from interviewer.store.location import APP_NAME, DB_ENV, DB_FILE_NAME, default_db_path
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
    """The SQLite store at `path`, else at $INTERVIEWER_DB, else in the user's data directory."""
    return SqliteStore(path)


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
