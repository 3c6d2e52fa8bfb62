"""The database schema and its migrations, versioned with PRAGMA user_version.

To change the schema, append a migration; never edit one that has shipped. Each runs in the
same transaction as the version bump, so a crash leaves the file at the old version.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from interviewer.store.common import iso

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]


def _v1_sessions(conn: sqlite3.Connection) -> None:
    # The summary columns duplicate parts of the JSON so the history list needs no JSON parsing
    # and stays cheap; they are rewritten with the JSON on every save.
    conn.execute(
        """
        CREATE TABLE sessions (
            id             TEXT PRIMARY KEY,
            question_id    TEXT NOT NULL,
            rubric_version INTEGER NOT NULL,
            phase          TEXT NOT NULL,
            turns          INTEGER NOT NULL,
            started_at     TEXT NOT NULL,
            created_at     TEXT NOT NULL,
            updated_at     TEXT NOT NULL,
            finished_at    TEXT,
            score          REAL,
            band           TEXT,
            state_json     TEXT NOT NULL,
            scorecard_json TEXT,
            delivery_json  TEXT
        )
        """
    )
    conn.execute("CREATE INDEX sessions_by_start ON sessions (started_at)")
    conn.execute("CREATE INDEX sessions_by_question ON sessions (question_id, started_at)")
    conn.execute("CREATE INDEX sessions_by_update ON sessions (phase, updated_at)")


def _v2_loops(conn: sqlite3.Connection) -> None:
    # Where a candidate is in an interview loop; each question is also a row of `sessions`.
    conn.execute(
        """
        CREATE TABLE loops (
            id            TEXT PRIMARY KEY,
            loop_id       TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            progress_json TEXT NOT NULL
        )
        """
    )


def _v3_owners_snapshots_runs(conn: sqlite3.Connection) -> None:
    # Rows written before owners existed belong to the machine's own user.
    for column in ("owner TEXT NOT NULL DEFAULT 'local'", "rubric_ref TEXT", "loop_run TEXT"):
        conn.execute(f"ALTER TABLE sessions ADD COLUMN {column}")
    conn.execute("CREATE INDEX sessions_by_owner ON sessions (owner, started_at)")
    conn.execute(
        """
        CREATE TABLE rubric_snapshots (
            ref         TEXT PRIMARY KEY,
            question_id TEXT NOT NULL,
            version     INTEGER NOT NULL,
            title       TEXT NOT NULL,
            rubric_json TEXT NOT NULL,
            created_at  TEXT NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE loop_runs (
            id         TEXT PRIMARY KEY,
            owner      TEXT NOT NULL,
            loop_id    TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            run_json   TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE TABLE secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL)")
    for row in conn.execute("SELECT id, loop_id, created_at, updated_at, progress_json FROM loops ORDER BY rowid").fetchall():
        _v2_loop_to_run(conn, *row)
    conn.execute("DROP TABLE loops")


def _v2_loop_to_run(
    conn: sqlite3.Connection, run_id: str, loop_id: str, created_at: str, updated_at: str, progress_json: str
) -> None:
    """A v2 loop (full copies of its sessions' states) as a loop run naming its sessions' rows."""
    conn.execute("SAVEPOINT v2_loop")  # a loop that fails half-way leaves no trace in `sessions`
    try:
        progress = json.loads(progress_json)
        session_ids = [_v2_session_row(conn, state, run_id, created_at, updated_at) for state in progress["states"]]
        run = {
            "loop_id": loop_id,
            "loop_version": progress["loop_version"],
            "title": loop_id,  # titles, roles and time budgets were not stored in v2
            "role": "",
            "questions": [{"question_id": q, "title": q, "minutes": 1.0, "rubric_ref": None} for q in progress["question_ids"]],
            "session_ids": session_ids,
            "ended": bool(progress.get("ended", False)),
        }
    except (ValueError, KeyError, TypeError) as error:
        # One bad row must not block the upgrade of the others.
        log.warning("dropping unreadable loop run %r while upgrading the database: %s", run_id, error)
        conn.execute("ROLLBACK TO v2_loop")
    else:
        conn.execute(
            "INSERT INTO loop_runs (id, owner, loop_id, created_at, updated_at, run_json) VALUES (?, 'local', ?, ?, ?, ?)",
            (run_id, loop_id, created_at, updated_at, json.dumps(run)),
        )
    conn.execute("RELEASE v2_loop")


def _v2_session_row(conn: sqlite3.Connection, state: dict[str, Any], run_id: str, created_at: str, updated_at: str) -> str:
    # v2 matched a loop's states to their session rows by timestamp; this is the last time.
    started_at = iso(datetime.fromisoformat(state["started_at"]))
    row = conn.execute(
        "SELECT id FROM sessions WHERE question_id = ? AND started_at = ? AND loop_run IS NULL ORDER BY rowid LIMIT 1",
        (state["question_id"], started_at),
    ).fetchone()
    if row is not None:
        conn.execute("UPDATE sessions SET loop_run = ? WHERE id = ?", (run_id, row[0]))
        return str(row[0])
    # The app stopped between saving the loop and creating its question's row: keep the loop's copy.
    session_id = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO sessions (id, question_id, rubric_version, phase, turns, started_at, created_at, updated_at, "
        "finished_at, state_json, loop_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (session_id, state["question_id"], state["rubric_version"], state["phase"], len(state["turns"]), started_at,
         created_at, updated_at, updated_at if state["phase"] == "scored" else None, json.dumps(state), run_id),
    )
    return session_id


# MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_v1_sessions, _v2_loops, _v3_owners_snapshots_runs)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchema(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database up to the latest schema; returns the version it was at.

    `conn` must be in autocommit mode (isolation_level=None): this function owns the transaction.
    """
    # IMMEDIATE takes the write lock before reading the version, so two processes starting at
    # once cannot both run the same migration.
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute("PRAGMA user_version").fetchone()[0]
        if found > len(migrations):
            raise NewerSchema(found)
        for version in range(found, len(migrations)):
            migrations[version](conn)
        if found != len(migrations):
            conn.execute(f"PRAGMA user_version = {len(migrations):d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
