"""The PostgreSQL schema and its migrations, versioned in the one-row table interviewer_schema.

To change the schema, append a migration; never edit one that has shipped. All of them run in
one transaction with the version bump, under an advisory lock, so replicas starting together
migrate once and a failure leaves the database at the old version.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg

Migration = Callable[[psycopg.Connection], None]

# Any fixed number will do; every process of this app on the database must use the same one.
MIGRATION_LOCK = 0x1E7E57D6


def _v1_tables(conn: psycopg.Connection) -> None:
    # The same tables as SQLite's schema 3. `seq` breaks ties in ordering as SQLite's rowid does;
    # JSON stays text, so a row reads back exactly as written. The summary columns duplicate
    # parts of the JSON so the history list needs no JSON parsing.
    conn.execute(
        """
        CREATE TABLE sessions (
            seq            bigint GENERATED ALWAYS AS IDENTITY,
            id             text PRIMARY KEY,
            owner          text NOT NULL,
            question_id    text NOT NULL,
            rubric_version integer NOT NULL,
            rubric_ref     text,
            loop_run       text,
            phase          text NOT NULL,
            turns          integer NOT NULL,
            started_at     timestamptz NOT NULL,
            created_at     timestamptz NOT NULL,
            updated_at     timestamptz NOT NULL,
            finished_at    timestamptz,
            score          double precision,
            band           text,
            state_json     text NOT NULL,
            scorecard_json text,
            delivery_json  text
        )
        """
    )
    conn.execute("CREATE INDEX sessions_by_owner ON sessions (owner, started_at)")
    conn.execute("CREATE INDEX sessions_by_question ON sessions (owner, question_id, started_at)")
    conn.execute("CREATE INDEX sessions_by_update ON sessions (owner, phase, updated_at)")
    conn.execute(
        """
        CREATE TABLE rubric_snapshots (
            ref         text PRIMARY KEY,
            question_id text NOT NULL,
            version     integer NOT NULL,
            title       text NOT NULL,
            rubric_json text NOT NULL,
            created_at  timestamptz NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE loop_runs (
            id         text PRIMARY KEY,
            owner      text NOT NULL,
            loop_id    text NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            run_json   text NOT NULL
        )
        """
    )
    conn.execute("CREATE TABLE secrets (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL)")


# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_v1_tables,)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchema(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(found)
        self.found = found


def migrate(conn: psycopg.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the database (the first schema on the search path) up to date; returns the version it was at."""
    with conn.transaction():
        # Held until commit: a second replica waits here, then finds the work done.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS interviewer_schema (version integer NOT NULL)")
        row = conn.execute("SELECT version FROM interviewer_schema").fetchone()
        found = row[0] if row else 0
        if found > len(migrations):
            raise NewerSchema(found)
        for version in range(found, len(migrations)):
            migrations[version](conn)
        if row is None:
            conn.execute("INSERT INTO interviewer_schema (version) VALUES (%s)", (len(migrations),))
        elif found != len(migrations):
            conn.execute("UPDATE interviewer_schema SET version = %s", (len(migrations),))
    return found
