"""The session store on SQLite: one row per interview, the whole state rewritten after every turn.

A row that no longer parses is skipped by the listing calls and logged, so one bad row cannot
take the history page down.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store.common import (
    check_owner,
    check_same_loop,
    check_same_question,
    check_scorecard,
    check_snapshot_fits,
    iso,
    loop_not_found,
    new_id,
    owner_list,
    rubric_json,
    session_not_found,
    snapshot_ref,
    utc_now,
)
from interviewer.store.errors import CorruptSession, SnapshotNotFound
from interviewer.store.records import Attempt, LoopRun, SessionSummary, StoredSession
from interviewer.store.rows import ROW_ERRORS, attempt, readable, short, stored_session, summary
from interviewer.store.sqlite_db import Database

_SUMMARY_COLUMNS = (
    "s.id, s.question_id, s.rubric_ref, s.rubric_version, s.phase, s.turns, s.started_at, s.updated_at, "
    "s.finished_at, s.score, s.band, s.state_json, s.scorecard_json, r.title"
)


class SqliteStore:
    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        busy_timeout: float = 10.0,
    ) -> None:
        """Open (creating and migrating if needed) the database at `path`.

        Without `path`: $INTERVIEWER_DB, else sessions.sqlite3 in the user's data directory.
        Raises StoreUnavailable, naming the file and how to choose another, when it cannot be used.
        """
        self._db = Database(path, busy_timeout)
        self.path, self.migrated_from, self.clock = self._db.path, self._db.migrated_from, clock
        self._kept: set[str] = set()  # snapshot refs known to be written: keep_rubric runs every session
        self._secrets: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    # Sessions

    def create(self, owner: str, state: InterviewState, rubric_ref: str | None, *, loop_run: str | None = None) -> str:
        check_owner(owner)
        session_id, now = new_id(), iso(self.clock())
        with self._db.transaction() as conn:
            if rubric_ref is not None:
                self._check_snapshot(conn, rubric_ref, state)
            if loop_run is not None and not conn.execute(
                "SELECT 1 FROM loop_runs WHERE id = ? AND owner = ?", (loop_run, owner)
            ).fetchone():
                raise loop_not_found(loop_run, self.path)
            conn.execute(
                "INSERT INTO sessions (id, owner, question_id, rubric_version, rubric_ref, loop_run, phase, turns, "
                "started_at, created_at, updated_at, finished_at, state_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, owner, state.question_id, state.rubric_version, rubric_ref, loop_run, state.phase,
                 len(state.turns), iso(state.started_at), now, now, now if state.phase == "scored" else None,
                 state.model_dump_json()),
            )
        return session_id

    def save(
        self,
        owner: str,
        session_id: str,
        state: InterviewState,
        *,
        scorecard: Scorecard | None = None,
        delivery: DeliveryMetrics | None = None,
    ) -> None:
        check_scorecard(state, scorecard)
        now = iso(self.clock())
        with self._db.transaction() as conn:
            row = conn.execute(
                "SELECT question_id FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)
            ).fetchone()
            if row is None:
                raise session_not_found(session_id, self.path)
            check_same_question(session_id, row[0], state)
            conn.execute(
                """
                UPDATE sessions SET
                    rubric_version = ?, phase = ?, turns = ?, started_at = ?, updated_at = ?,
                    finished_at = CASE WHEN ? = 'scored' THEN COALESCE(finished_at, ?) ELSE NULL END,
                    state_json = ?,
                    scorecard_json = COALESCE(?, scorecard_json),
                    score = COALESCE(?, score),
                    band = COALESCE(?, band),
                    delivery_json = COALESCE(?, delivery_json)
                WHERE id = ? AND owner = ?
                """,
                (
                    state.rubric_version, state.phase, len(state.turns), iso(state.started_at), now,
                    state.phase, now,
                    state.model_dump_json(),
                    scorecard.model_dump_json() if scorecard else None,
                    scorecard.score if scorecard else None,
                    scorecard.band if scorecard else None,
                    delivery.model_dump_json() if delivery else None,
                    session_id, owner,
                ),
            )

    def load(self, owner: str, session_id: str) -> StoredSession:
        with self._db.connection() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).fetchone()
        if row is None:
            raise session_not_found(session_id, self.path)
        try:
            return stored_session(row, self.path)
        except ROW_ERRORS as error:
            raise CorruptSession(f"session '{session_id}' in {self.path} cannot be read: {short(error)}") from error

    def list_sessions(
        self, owners: Sequence[str], *, limit: int = 50, question_id: str | None = None
    ) -> list[SessionSummary]:
        owned, params = _owned_by(owner_list(owners), "s.owner")
        if question_id is not None:
            owned, params = owned + " AND s.question_id = ?", [*params, question_id]
        if limit <= 0:
            return []
        query = (
            f"SELECT {_SUMMARY_COLUMNS} FROM sessions s LEFT JOIN rubric_snapshots r ON r.ref = s.rubric_ref "
            f"WHERE {owned} ORDER BY s.started_at DESC, s.rowid DESC"
        )
        with self._db.connection() as conn:
            return list(islice(readable(conn.execute(query, params), summary, self.path), limit))

    def attempts(self, owners: Sequence[str], question_id: str) -> list[Attempt]:
        owned, params = _owned_by(owner_list(owners))
        with self._db.connection() as conn:
            rows = conn.execute(
                "SELECT id, started_at, finished_at, scorecard_json FROM sessions "
                f"WHERE {owned} AND question_id = ? AND phase = 'scored' AND scorecard_json IS NOT NULL "
                "ORDER BY started_at, rowid",
                [*params, question_id],
            )
            return list(readable(rows, attempt, self.path))

    def latest_unfinished(self, owners: Sequence[str], question_id: str | None = None) -> StoredSession | None:
        owned, params = _owned_by(owner_list(owners))
        if question_id is not None:
            owned, params = owned + " AND question_id = ?", [*params, question_id]
        query = f"SELECT * FROM sessions WHERE {owned} AND phase != 'scored' ORDER BY updated_at DESC, rowid DESC"
        with self._db.connection() as conn:
            rows = conn.execute(query, params)
            return next(readable(rows, lambda row: stored_session(row, self.path), self.path), None)

    def delete(self, owner: str, session_id: str) -> bool:
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).rowcount > 0

    def forget(self, owner: str) -> int:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM loop_runs WHERE owner = ?", (owner,))
            return conn.execute("DELETE FROM sessions WHERE owner = ?", (owner,)).rowcount

    # Rubric snapshots

    def keep_rubric(self, rubric: Rubric) -> str:
        ref = snapshot_ref(rubric)
        if ref not in self._kept:
            with self._db.transaction() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO rubric_snapshots (ref, question_id, version, title, rubric_json, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (ref, rubric.id, rubric.version, rubric.title, rubric_json(rubric), iso(self.clock())),
                )
            self._kept.add(ref)
        return ref

    def rubric(self, ref: str) -> Rubric:
        with self._db.connection() as conn:
            row = conn.execute("SELECT rubric_json FROM rubric_snapshots WHERE ref = ?", (ref,)).fetchone()
        if row is None:
            raise SnapshotNotFound(f"no rubric snapshot '{ref}' in {self.path}")
        try:
            return Rubric.model_validate_json(row[0])
        except ROW_ERRORS as error:
            raise CorruptSession(f"rubric snapshot '{ref}' in {self.path} cannot be read: {short(error)}") from error

    # Loop runs

    def create_loop(self, owner: str, run: LoopRun) -> str:
        check_owner(owner)
        run_id, now = new_id(), iso(self.clock())
        with self._db.transaction() as conn:
            conn.execute(
                "INSERT INTO loop_runs (id, owner, loop_id, created_at, updated_at, run_json) VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, owner, run.loop_id, now, now, run.model_dump_json()),
            )
        return run_id

    def save_loop(self, owner: str, run_id: str, run: LoopRun) -> None:
        now = iso(self.clock())
        with self._db.transaction() as conn:
            row = conn.execute("SELECT loop_id FROM loop_runs WHERE id = ? AND owner = ?", (run_id, owner)).fetchone()
            if row is None:
                raise loop_not_found(run_id, self.path)
            check_same_loop(run_id, row[0], run)
            conn.execute(
                "UPDATE loop_runs SET updated_at = ?, run_json = ? WHERE id = ? AND owner = ?",
                (now, run.model_dump_json(), run_id, owner),
            )

    def load_loop(self, owner: str, run_id: str) -> LoopRun:
        with self._db.connection() as conn:
            row = conn.execute("SELECT run_json FROM loop_runs WHERE id = ? AND owner = ?", (run_id, owner)).fetchone()
        if row is None:
            raise loop_not_found(run_id, self.path)
        try:
            return LoopRun.model_validate_json(row[0])
        except ROW_ERRORS as error:
            raise CorruptSession(f"loop run '{run_id}' in {self.path} cannot be read: {short(error)}") from error

    # Secrets

    def secret(self, name: str) -> str:
        if name not in self._secrets:
            with self._db.transaction() as conn:
                # Whoever inserts first wins; every process then reads the same value.
                conn.execute(
                    "INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES (?, ?, ?)",
                    (name, secrets.token_urlsafe(32), iso(self.clock())),
                )
                self._secrets[name] = conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0]
        return self._secrets[name]

    # Plumbing

    def _check_snapshot(self, conn: sqlite3.Connection, ref: str, state: InterviewState) -> None:
        row = conn.execute("SELECT question_id, version FROM rubric_snapshots WHERE ref = ?", (ref,)).fetchone()
        if row is None:
            raise SnapshotNotFound(f"no rubric snapshot '{ref}' in {self.path}")
        check_snapshot_fits(ref, row["question_id"], row["version"], state)


def _owned_by(owners: list[str], column: str = "owner") -> tuple[str, list[Any]]:
    # No owners match nothing (IN () is not SQL).
    if not owners:
        return "0", []
    return f"{column} IN ({', '.join('?' * len(owners))})", list(owners)
