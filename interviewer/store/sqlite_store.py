"""The session store on SQLite: one row per interview, the whole state rewritten after every turn.

Every call opens its own short-lived connection, so Gradio's worker threads (and several app
replicas on one machine) can share a store without a lock: SQLite serialises the writers, and in
WAL mode readers never wait for them. A row that no longer parses is skipped by the listing
calls and logged, so one bad row cannot take the history page down.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from interviewer.engine.loop_state import LoopProgress
from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.store.location import DB_ENV, default_db_path
from interviewer.store.records import (
    Attempt,
    CorruptSession,
    Delivery,
    SessionNotFound,
    SessionSummary,
    StoredSession,
    StoreError,
    StoreUnavailable,
)
from interviewer.store.schema import SCHEMA_VERSION, NewerSchema, migrate

log = logging.getLogger(__name__)

_SUMMARY_COLUMNS = (
    "id, question_id, rubric_version, phase, turns, started_at, updated_at, finished_at, score, band, "
    "state_json, scorecard_json"
)
_ROW_ERRORS = (ValidationError, ValueError, TypeError, KeyError)


def utc_now() -> datetime:
    return datetime.now(UTC)


class SessionStore:
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
        if path is not None:
            self.path, self._origin = Path(path).expanduser(), "the path given to SessionStore"
        elif os.environ.get(DB_ENV):
            self.path, self._origin = default_db_path(), f"${DB_ENV}"
        else:
            self.path, self._origin = default_db_path(), "the default location"
        self.clock = clock
        self.busy_timeout = busy_timeout
        if str(self.path) in ("", ":memory:") or str(self.path).startswith("file:"):
            # Each call opens a fresh connection, so an in-memory database would vanish between calls.
            raise StoreUnavailable(
                f"the session store needs a file path, not {str(self.path)!r} ({self._origin}); "
                f"set {DB_ENV} to a file such as /tmp/interviewer.sqlite3"
            )
        self._create_private_file()
        with self._connection() as conn:
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

    def __repr__(self) -> str:
        return f"SessionStore({str(self.path)!r})"

    # Writing

    def create(self, state: InterviewState) -> str:
        """Save a new session; returns its id (uuid4 hex)."""
        session_id = uuid.uuid4().hex
        now = _iso(self.clock())
        finished = now if state.phase == "scored" else None
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO sessions (id, question_id, rubric_version, phase, turns, started_at, created_at, "
                "updated_at, finished_at, state_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, state.question_id, state.rubric_version, state.phase, len(state.turns),
                 _iso(state.started_at), now, now, finished, state.model_dump_json()),
            )
        return session_id

    def save(
        self,
        session_id: str,
        state: InterviewState,
        scorecard: Scorecard | None = None,
        delivery: Mapping[str, float | int] | None = None,
    ) -> None:
        """Replace the session's state (call after every turn). A scorecard or delivery metrics
        given replace the stored ones; None keeps what is stored."""
        if scorecard is not None and scorecard.question_id != state.question_id:
            raise ValueError(
                f"the scorecard is for question '{scorecard.question_id}' but the state is for '{state.question_id}'"
            )
        delivery_json = None if delivery is None else json.dumps(_clean_delivery(delivery))
        now = _iso(self.clock())
        with self._transaction() as conn:
            row = conn.execute("SELECT question_id FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(f"no session '{session_id}' in {self.path}")
            if row[0] != state.question_id:
                raise ValueError(
                    f"session '{session_id}' is an interview on '{row[0]}'; refusing to overwrite it "
                    f"with a state for '{state.question_id}'"
                )
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
                WHERE id = ?
                """,
                (
                    state.rubric_version, state.phase, len(state.turns), _iso(state.started_at), now,
                    state.phase, now,
                    state.model_dump_json(),
                    scorecard.model_dump_json() if scorecard else None,
                    scorecard.score if scorecard else None,
                    scorecard.band if scorecard else None,
                    delivery_json,
                    session_id,
                ),
            )

    def save_loop(self, progress: LoopProgress, run_id: str | None = None) -> str:
        """Save where a loop is (after every turn); returns the run's id, new when `run_id` is None."""
        run_id = run_id or uuid.uuid4().hex
        now = _iso(self.clock())
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO loops (id, loop_id, created_at, updated_at, progress_json) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, progress_json = excluded.progress_json",
                (run_id, progress.loop_id, now, now, progress.model_dump_json()),
            )
        return run_id

    def load_loop(self, run_id: str) -> LoopProgress:
        with self._connection() as conn:
            row = conn.execute("SELECT progress_json FROM loops WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no loop run '{run_id}' in {self.path}")
        try:
            return LoopProgress.model_validate_json(row[0])
        except _ROW_ERRORS as error:
            raise CorruptSession(f"loop run '{run_id}' in {self.path} cannot be read: {error}") from error

    def delete(self, session_id: str) -> bool:
        """Forget a session; returns whether there was one."""
        with self._transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0

    # Reading

    def load(self, session_id: str) -> StoredSession:
        with self._connection() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"no session '{session_id}' in {self.path}")
        try:
            return _stored_session(row)
        except _ROW_ERRORS as error:
            raise CorruptSession(f"session '{session_id}' in {self.path} cannot be read: {error}") from error

    def list_sessions(self, limit: int = 50, question_id: str | None = None) -> list[SessionSummary]:
        """The most recently started sessions first; rows that do not read back are skipped and logged."""
        query = f"SELECT {_SUMMARY_COLUMNS} FROM sessions"
        params: tuple[Any, ...] = ()
        if question_id is not None:
            query, params = query + " WHERE question_id = ?", (question_id,)
        summaries: list[SessionSummary] = []
        if limit <= 0:
            return summaries
        with self._connection() as conn:
            for row in conn.execute(query + " ORDER BY started_at DESC, rowid DESC", params):
                try:
                    summaries.append(_summary(row))
                except _ROW_ERRORS as error:
                    self._skip(row, error)
                    continue
                if len(summaries) >= limit:
                    break
        return summaries

    def attempts(self, question_id: str) -> list[Attempt]:
        """Scorecards of the finished sessions of one question, oldest first (progress over time)."""
        attempts: list[Attempt] = []
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, started_at, finished_at, scorecard_json FROM sessions "
                "WHERE question_id = ? AND phase = 'scored' AND scorecard_json IS NOT NULL "
                "ORDER BY started_at, rowid",
                (question_id,),
            )
            for row in rows:
                try:
                    attempts.append(
                        Attempt(
                            session_id=row["id"],
                            started_at=row["started_at"],
                            finished_at=row["finished_at"],
                            scorecard=Scorecard.model_validate_json(row["scorecard_json"]),
                        )
                    )
                except _ROW_ERRORS as error:
                    self._skip(row, error)
        return attempts

    def latest_unfinished(self, question_id: str | None = None) -> StoredSession | None:
        """The most recently active session that was not scored, to offer resuming it."""
        query = "SELECT * FROM sessions WHERE phase != 'scored'"
        params: tuple[Any, ...] = ()
        if question_id is not None:
            query, params = query + " AND question_id = ?", (question_id,)
        with self._connection() as conn:
            for row in conn.execute(query + " ORDER BY updated_at DESC, rowid DESC", params):
                try:
                    return _stored_session(row)
                except _ROW_ERRORS as error:
                    self._skip(row, error)
        return None

    # Plumbing

    def _create_private_file(self) -> None:
        # Transcripts are personal: a new database (and the -wal/-shm files SQLite derives from
        # it) is readable by its owner only, even on a machine shared by a class.
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise self._unavailable(f"cannot create the folder {self.path.parent}: {error.strerror or error}") from error
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        except OSError as error:
            raise self._unavailable(f"cannot create the file: {error.strerror or error}") from error

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE in _transaction).
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise self._translate(error) from error
        conn.row_factory = sqlite3.Row
        try:
            # In WAL mode NORMAL survives an app crash; only a power cut may lose the last turns.
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        except sqlite3.Error as error:
            raise self._translate(error) from error
        finally:
            conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as conn:
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
            return self._unavailable(
                f"it is not a readable SQLite database ({message}); move the file aside to start a new history"
            )
        return self._unavailable(message)

    def _unavailable(self, reason: str) -> StoreUnavailable:
        return StoreUnavailable(
            f"cannot use the session database {self.path} ({self._origin}): {reason}. "
            f"Set {DB_ENV} to a writable file path, e.g. {DB_ENV}=~/interviewer-sessions.sqlite3"
        )

    def _skip(self, row: sqlite3.Row, error: Exception) -> None:
        log.warning("skipping unreadable session %r in %s: %s", row["id"], self.path, _short(error))


def _stored_session(row: sqlite3.Row) -> StoredSession:
    return StoredSession(
        id=row["id"],
        state=InterviewState.model_validate_json(row["state_json"]),
        scorecard=Scorecard.model_validate_json(row["scorecard_json"]) if row["scorecard_json"] else None,
        delivery=json.loads(row["delivery_json"]) if row["delivery_json"] else None,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
    )


def _summary(row: sqlite3.Row) -> SessionSummary:
    # Parse the JSON too: a session listed is a session that opens.
    InterviewState.model_validate_json(row["state_json"])
    if row["scorecard_json"]:
        Scorecard.model_validate_json(row["scorecard_json"])
    return SessionSummary(
        id=row["id"],
        question_id=row["question_id"],
        rubric_version=row["rubric_version"],
        phase=row["phase"],
        turns=row["turns"],
        started_at=row["started_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        score=row["score"],
        band=row["band"],
    )


def _iso(moment: datetime) -> str:
    # One fixed-width UTC form, so that ORDER BY on the text column is chronological.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _clean_delivery(delivery: Mapping[str, float | int]) -> Delivery:
    cleaned: Delivery = {}
    for name, value in delivery.items():
        if not isinstance(name, str) or isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(
                f"delivery metrics must map names to numbers; got {name!r}: {value!r} ({type(value).__name__})"
            )
        # NaN and infinity are not JSON; a metric with no value (e.g. no speech yet) is left out.
        if isinstance(value, float) and not math.isfinite(value):
            continue
        cleaned[name] = value
    return cleaned


def _short(error: Exception) -> str:
    # One log line per skipped row, however verbose the validation error.
    text = " | ".join(line.strip() for line in str(error).splitlines() if "errors.pydantic.dev" not in line)
    return text if len(text) <= 300 else text[:300] + "..."
