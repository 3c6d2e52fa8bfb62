"""Interviews saved turn by turn in SQLite, so a closed tab or a restart never loses a session.

    store = SessionStore()                # $INTERVIEWER_DB or the user's data directory
    session_id = store.create(state)
    store.save(session_id, state)         # after every turn: the whole state, one transaction
    store.save(session_id, state, scorecard=card, delivery={"words_per_minute": 142.0})
    store.load(session_id).state          # resume
"""

from interviewer.store.location import APP_NAME, DB_ENV, DB_FILE_NAME, default_db_path
from interviewer.store.records import (
    Attempt,
    CorruptSession,
    SessionNotFound,
    SessionSummary,
    StoredSession,
    StoreError,
    StoreUnavailable,
    criterion_progress,
)
from interviewer.store.schema import SCHEMA_VERSION, migrate
from interviewer.store.sqlite_store import SessionStore

__all__ = [
    "APP_NAME",
    "DB_ENV",
    "DB_FILE_NAME",
    "SCHEMA_VERSION",
    "Attempt",
    "CorruptSession",
    "SessionNotFound",
    "SessionStore",
    "SessionSummary",
    "StoreError",
    "StoreUnavailable",
    "StoredSession",
    "criterion_progress",
    "default_db_path",
    "migrate",
]
