"""The database schema and its migrations, versioned with PRAGMA user_version.

To change the schema, append a migration; never edit one that has shipped. Each runs in the
same transaction as the version bump, so a crash leaves the file at the old version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

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


# MIGRATIONS[n] takes a database from user_version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_v1_sessions, _v2_loops)
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
