"""The session store on PostgreSQL, for several app replicas sharing one history.

The same rows and rules as SqliteStore. Every call is one transaction committed before it
returns; all but delete are safe to repeat (creates insert a pre-drawn id and ignore their own
earlier copy), so a lost connection is retried.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import islice

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
    loop_not_found,
    new_id,
    owner_list,
    rubric_json,
    session_not_found,
    snapshot_ref,
    utc,
    utc_now,
)
from interviewer.store.errors import CorruptSession, SnapshotNotFound
from interviewer.store.postgres_db import Conn, Database
from interviewer.store.records import Attempt, LoopRun, SessionSummary, StoredSession
from interviewer.store.rows import ROW_ERRORS, attempt, readable, short, stored_session, summary

_SUMMARY_COLUMNS = (
    "s.id, s.question_id, s.rubric_ref, s.rubric_version, s.phase, s.turns, s.started_at, s.updated_at, "
    "s.finished_at, s.score, s.band, s.state_json, s.scorecard_json, r.title"
)


class PostgresStore:
    def __init__(
        self,
        dsn: str,
        *,
        origin: str = "the URL given to PostgresStore",
        clock: Callable[[], datetime] = utc_now,
        pool_size: int = 10,
        timeout: float = 5.0,
        retries: int = 2,
        backoff: float = 0.2,
    ) -> None:
        """Connect to `dsn` (postgresql://user:password@host:port/dbname), creating or migrating the tables.

        `timeout`: seconds to wait for a connection; a call that lost its connection is tried
        `retries` more times, `backoff`, 2 x `backoff`, ... seconds apart. Raises StoreUnavailable,
        naming the server (never the password) and how to fix it, when the database cannot be used.
        """
        self._db = Database(dsn, origin, pool_size=pool_size, timeout=timeout, retries=retries, backoff=backoff)
        self.where, self.origin, self.clock = self._db.where, origin, clock  # where: the URL without its password
        self.migrated_from = self._db.migrated_from
        self._kept: set[str] = set()  # snapshot refs known to be written: keep_rubric runs every session
        self._secrets: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"PostgresStore({self.where!r})"

    @property
    def database(self) -> Database:
        """The pool and its retries, for the tables kept beside the sessions' (accounts)."""
        return self._db

    def close(self) -> None:
        self._db.close()

    # Sessions

    def create(self, owner: str, state: InterviewState, rubric_ref: str | None, *, loop_run: str | None = None) -> str:
        check_owner(owner)
        session_id, now = new_id(), self._now()

        def insert(conn: Conn) -> None:
            if rubric_ref is not None:
                self._check_snapshot(conn, rubric_ref, state)
            if loop_run is not None and not conn.execute(
                "SELECT 1 FROM loop_runs WHERE id = %s AND owner = %s", (loop_run, owner)
            ).fetchone():
                raise loop_not_found(loop_run, self.where)
            conn.execute(
                "INSERT INTO sessions (id, owner, question_id, rubric_version, rubric_ref, loop_run, phase, turns, "
                "started_at, created_at, updated_at, finished_at, state_json) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (session_id, owner, state.question_id, state.rubric_version, rubric_ref, loop_run, state.phase,
                 len(state.turns), utc(state.started_at), now, now, now if state.phase == "scored" else None,
                 state.model_dump_json()),
            )

        self._db.run("create a session", insert)
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
        now = self._now()

        def update(conn: Conn) -> None:
            row = conn.execute(
                "SELECT question_id FROM sessions WHERE id = %s AND owner = %s FOR UPDATE", (session_id, owner)
            ).fetchone()
            if row is None:
                raise session_not_found(session_id, self.where)
            check_same_question(session_id, row["question_id"], state)
            conn.execute(
                """
                UPDATE sessions SET
                    rubric_version = %(version)s, phase = %(phase)s, turns = %(turns)s, started_at = %(started)s,
                    updated_at = %(now)s,
                    finished_at = CASE WHEN %(phase)s = 'scored' THEN COALESCE(finished_at, %(now)s) ELSE NULL END,
                    state_json = %(state)s,
                    scorecard_json = COALESCE(%(card)s, scorecard_json),
                    score = COALESCE(%(score)s, score),
                    band = COALESCE(%(band)s, band),
                    delivery_json = COALESCE(%(delivery)s, delivery_json)
                WHERE id = %(id)s AND owner = %(owner)s
                """,
                {
                    "version": state.rubric_version, "phase": state.phase, "turns": len(state.turns),
                    "started": utc(state.started_at), "now": now, "state": state.model_dump_json(),
                    "card": scorecard.model_dump_json() if scorecard else None,
                    "score": scorecard.score if scorecard else None,
                    "band": scorecard.band if scorecard else None,
                    "delivery": delivery.model_dump_json() if delivery else None,
                    "id": session_id, "owner": owner,
                },
            )

        self._db.run("save a session", update)

    def load(self, owner: str, session_id: str) -> StoredSession:
        row = self._db.run(
            "load a session",
            lambda conn: conn.execute(
                "SELECT * FROM sessions WHERE id = %s AND owner = %s", (session_id, owner)
            ).fetchone(),
        )
        if row is None:
            raise session_not_found(session_id, self.where)
        try:
            return stored_session(row, self.where)
        except ROW_ERRORS as error:
            raise CorruptSession(f"session '{session_id}' in {self.where} cannot be read: {short(error)}") from error

    def list_sessions(
        self, owners: Sequence[str], *, limit: int = 50, question_id: str | None = None
    ) -> list[SessionSummary]:
        owners = owner_list(owners)
        if limit <= 0:
            return []
        query = (
            f"SELECT {_SUMMARY_COLUMNS} FROM sessions s LEFT JOIN rubric_snapshots r ON r.ref = s.rubric_ref "
            "WHERE s.owner = ANY(%s) AND (%s::text IS NULL OR s.question_id = %s) ORDER BY s.started_at DESC, s.seq DESC"
        )

        def read(conn: Conn) -> list[SessionSummary]:
            # A server-side cursor: rows are read a page at a time until `limit` of them parse.
            with conn.cursor("list_sessions") as cursor:
                cursor.itersize = limit
                rows = cursor.execute(query, (owners, question_id, question_id))
                return list(islice(readable(rows, summary, self.where), limit))

        return self._db.run("list sessions", read)

    def attempts(self, owners: Sequence[str], question_id: str) -> list[Attempt]:
        rows = self._db.run(
            "read attempts",
            lambda conn: conn.execute(
                "SELECT id, started_at, finished_at, scorecard_json FROM sessions "
                "WHERE owner = ANY(%s) AND question_id = %s AND phase = 'scored' AND scorecard_json IS NOT NULL "
                "ORDER BY started_at, seq",
                (owner_list(owners), question_id),
            ).fetchall(),
        )
        return list(readable(rows, attempt, self.where))

    def latest_unfinished(self, owners: Sequence[str], question_id: str | None = None) -> StoredSession | None:
        owners = owner_list(owners)

        def read(conn: Conn) -> StoredSession | None:
            with conn.cursor("latest_unfinished") as cursor:
                cursor.itersize = 5
                cursor.execute(
                    "SELECT * FROM sessions WHERE owner = ANY(%s) AND (%s::text IS NULL OR question_id = %s) "
                    "AND phase != 'scored' ORDER BY updated_at DESC, seq DESC",
                    (owners, question_id, question_id),
                )
                return next(readable(cursor, lambda row: stored_session(row, self.where), self.where), None)

        return self._db.run("find an unfinished session", read)

    def delete(self, owner: str, session_id: str) -> bool:
        # Not retried: had a lost reply hidden a delete that happened, a retry would answer False.
        return self._db.run(
            "delete a session",
            lambda conn: conn.execute("DELETE FROM sessions WHERE id = %s AND owner = %s", (session_id, owner)).rowcount
            > 0,
            retry=False,
        )

    def forget(self, owner: str) -> int:
        def forget(conn: Conn) -> int:
            conn.execute("DELETE FROM loop_runs WHERE owner = %s", (owner,))
            return conn.execute("DELETE FROM sessions WHERE owner = %s", (owner,)).rowcount

        return self._db.run("forget an owner's sessions", forget, retry=False)  # as delete: a retry would count 0

    # Rubric snapshots

    def keep_rubric(self, rubric: Rubric) -> str:
        ref = snapshot_ref(rubric)
        if ref not in self._kept:
            now = self._now()
            self._db.run(
                "keep a rubric snapshot",
                lambda conn: conn.execute(
                    "INSERT INTO rubric_snapshots (ref, question_id, version, title, rubric_json, created_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (ref) DO NOTHING",
                    (ref, rubric.id, rubric.version, rubric.title, rubric_json(rubric), now),
                ),
            )
            self._kept.add(ref)
        return ref

    def rubric(self, ref: str) -> Rubric:
        row = self._db.run(
            "read a rubric snapshot",
            lambda conn: conn.execute("SELECT rubric_json FROM rubric_snapshots WHERE ref = %s", (ref,)).fetchone(),
        )
        if row is None:
            raise SnapshotNotFound(f"no rubric snapshot '{ref}' in {self.where}")
        try:
            return Rubric.model_validate_json(row["rubric_json"])
        except ROW_ERRORS as error:
            raise CorruptSession(f"rubric snapshot '{ref}' in {self.where} cannot be read: {short(error)}") from error

    # Loop runs

    def create_loop(self, owner: str, run: LoopRun) -> str:
        check_owner(owner)
        run_id, now = new_id(), self._now()
        self._db.run(
            "create a loop run",
            lambda conn: conn.execute(
                "INSERT INTO loop_runs (id, owner, loop_id, created_at, updated_at, run_json) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (run_id, owner, run.loop_id, now, now, run.model_dump_json()),
            ),
        )
        return run_id

    def save_loop(self, owner: str, run_id: str, run: LoopRun) -> None:
        now = self._now()

        def update(conn: Conn) -> None:
            row = conn.execute(
                "SELECT loop_id FROM loop_runs WHERE id = %s AND owner = %s FOR UPDATE", (run_id, owner)
            ).fetchone()
            if row is None:
                raise loop_not_found(run_id, self.where)
            check_same_loop(run_id, row["loop_id"], run)
            conn.execute(
                "UPDATE loop_runs SET updated_at = %s, run_json = %s WHERE id = %s AND owner = %s",
                (now, run.model_dump_json(), run_id, owner),
            )

        self._db.run("save a loop run", update)

    def load_loop(self, owner: str, run_id: str) -> LoopRun:
        row = self._db.run(
            "load a loop run",
            lambda conn: conn.execute(
                "SELECT run_json FROM loop_runs WHERE id = %s AND owner = %s", (run_id, owner)
            ).fetchone(),
        )
        if row is None:
            raise loop_not_found(run_id, self.where)
        try:
            return LoopRun.model_validate_json(row["run_json"])
        except ROW_ERRORS as error:
            raise CorruptSession(f"loop run '{run_id}' in {self.where} cannot be read: {short(error)}") from error

    # Secrets

    def secret(self, name: str) -> str:
        if name not in self._secrets:
            candidate, now = secrets.token_urlsafe(32), self._now()

            def make_or_read(conn: Conn) -> str:
                # Whoever inserts first wins; a racing insert waits for it, then every process reads its value.
                conn.execute(
                    "INSERT INTO secrets (name, value, created_at) VALUES (%s, %s, %s) ON CONFLICT (name) DO NOTHING",
                    (name, candidate, now),
                )
                row = conn.execute("SELECT value FROM secrets WHERE name = %s", (name,)).fetchone()
                assert row is not None  # the insert above made sure of it
                return str(row["value"])

            self._secrets[name] = self._db.run("read a secret", make_or_read)
        return self._secrets[name]

    # Plumbing

    def _now(self) -> datetime:
        return utc(self.clock())

    def _check_snapshot(self, conn: Conn, ref: str, state: InterviewState) -> None:
        row = conn.execute("SELECT question_id, version FROM rubric_snapshots WHERE ref = %s", (ref,)).fetchone()
        if row is None:
            raise SnapshotNotFound(f"no rubric snapshot '{ref}' in {self.where}")
        check_snapshot_fits(ref, row["question_id"], row["version"], state)
