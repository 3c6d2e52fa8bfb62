"""The session store in memory: for `interviewer practice --no-save` and for tests.

It behaves like the SQLite store (same ownership rules, orderings and errors) but forgets
everything when the process ends. Everything going in or out is copied, so a caller changing
a state it saved or loaded never changes what is stored.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Sequence
from datetime import datetime

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
    session_not_found,
    snapshot_ref,
    utc,
    utc_now,
)
from interviewer.store.errors import SnapshotNotFound
from interviewer.store.records import Attempt, LoopRun, SessionSummary, StoredSession

WHERE = "the in-memory store"


class MemoryStore:
    def __init__(self, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        # Insertion order breaks ties between equal times, as SQLite's rowid does.
        self._sessions: dict[str, StoredSession] = {}
        self._snapshots: dict[str, Rubric] = {}
        self._runs: dict[str, tuple[str, LoopRun]] = {}
        self._secrets: dict[str, str] = {}

    # Sessions

    def create(self, owner: str, state: InterviewState, rubric_ref: str | None, *, loop_run: str | None = None) -> str:
        check_owner(owner)
        now = utc(self.clock())
        with self._lock:
            if rubric_ref is not None:
                snapshot = self._snapshot(rubric_ref)
                check_snapshot_fits(rubric_ref, snapshot.id, snapshot.version, state)
            if loop_run is not None:
                self._run(owner, loop_run)
            session_id = new_id()
            self._sessions[session_id] = StoredSession(
                id=session_id, owner=owner, state=state.model_copy(deep=True), rubric_ref=rubric_ref,
                loop_run=loop_run, created_at=now, updated_at=now, finished_at=now if state.phase == "scored" else None,
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
        now = utc(self.clock())
        with self._lock:
            stored = self._session(owner, session_id)
            check_same_question(session_id, stored.state.question_id, state)
            self._sessions[session_id] = stored.model_copy(
                update={
                    "state": state.model_copy(deep=True),
                    "scorecard": scorecard.model_copy(deep=True) if scorecard else stored.scorecard,
                    "delivery": delivery.model_copy(deep=True) if delivery else stored.delivery,
                    "updated_at": now,
                    "finished_at": (stored.finished_at or now) if state.phase == "scored" else None,
                }
            )

    def load(self, owner: str, session_id: str) -> StoredSession:
        with self._lock:
            return self._session(owner, session_id).model_copy(deep=True)

    def list_sessions(
        self, owners: Sequence[str], *, limit: int = 50, question_id: str | None = None
    ) -> list[SessionSummary]:
        owned = set(owner_list(owners))
        if limit <= 0:
            return []
        with self._lock:
            rows = [
                (utc(s.state.started_at), order, s)
                for order, s in enumerate(self._sessions.values())
                if s.owner in owned and question_id in (None, s.state.question_id)
            ]
            rows.sort(key=lambda row: row[:2], reverse=True)
            return [self._summary(s) for *_, s in rows[:limit]]

    def attempts(self, owners: Sequence[str], question_id: str) -> list[Attempt]:
        owned = set(owner_list(owners))
        with self._lock:
            rows = [
                (utc(s.state.started_at), order, s)
                for order, s in enumerate(self._sessions.values())
                if s.owner in owned and s.state.question_id == question_id and s.finished
            ]
            rows.sort(key=lambda row: row[:2])
            return [
                Attempt(session_id=s.id, started_at=started, finished_at=s.finished_at, scorecard=s.scorecard.model_copy(deep=True))
                for started, _, s in rows
                if s.scorecard is not None
            ]

    def latest_unfinished(self, owners: Sequence[str], question_id: str | None = None) -> StoredSession | None:
        owned = set(owner_list(owners))
        with self._lock:
            rows = [
                (s.updated_at, order, s)
                for order, s in enumerate(self._sessions.values())
                if s.owner in owned and not s.finished and question_id in (None, s.state.question_id)
            ]
            return max(rows, key=lambda row: row[:2])[2].model_copy(deep=True) if rows else None

    def delete(self, owner: str, session_id: str) -> bool:
        with self._lock:
            stored = self._sessions.get(session_id)
            if stored is None or stored.owner != owner:
                return False
            del self._sessions[session_id]
            return True

    def forget(self, owner: str) -> int:
        with self._lock:
            self._runs = {key: run for key, run in self._runs.items() if run[0] != owner}
            kept = {key: stored for key, stored in self._sessions.items() if stored.owner != owner}
            forgotten, self._sessions = len(self._sessions) - len(kept), kept
            return forgotten

    # Rubric snapshots

    def keep_rubric(self, rubric: Rubric) -> str:
        ref = snapshot_ref(rubric)
        with self._lock:
            if ref not in self._snapshots:
                self._snapshots[ref] = rubric.model_copy(deep=True)
        return ref

    def rubric(self, ref: str) -> Rubric:
        with self._lock:
            return self._snapshot(ref).model_copy(deep=True)

    # Loop runs

    def create_loop(self, owner: str, run: LoopRun) -> str:
        check_owner(owner)
        run_id = new_id()
        with self._lock:
            self._runs[run_id] = (owner, run.model_copy(deep=True))
        return run_id

    def save_loop(self, owner: str, run_id: str, run: LoopRun) -> None:
        with self._lock:
            check_same_loop(run_id, self._run(owner, run_id).loop_id, run)
            self._runs[run_id] = (owner, run.model_copy(deep=True))

    def load_loop(self, owner: str, run_id: str) -> LoopRun:
        with self._lock:
            return self._run(owner, run_id).model_copy(deep=True)

    # Secrets

    def secret(self, name: str) -> str:
        with self._lock:
            return self._secrets.setdefault(name, secrets.token_urlsafe(32))

    # Lookups, called with the lock held

    def _session(self, owner: str, session_id: str) -> StoredSession:
        stored = self._sessions.get(session_id)
        if stored is None or stored.owner != owner:
            raise session_not_found(session_id, WHERE)
        return stored

    def _run(self, owner: str, run_id: str) -> LoopRun:
        owned = self._runs.get(run_id)
        if owned is None or owned[0] != owner:
            raise loop_not_found(run_id, WHERE)
        return owned[1]

    def _snapshot(self, ref: str) -> Rubric:
        if ref not in self._snapshots:
            raise SnapshotNotFound(f"no rubric snapshot '{ref}' in {WHERE}")
        return self._snapshots[ref]

    def _summary(self, stored: StoredSession) -> SessionSummary:
        state, card = stored.state, stored.scorecard
        snapshot = self._snapshots.get(stored.rubric_ref) if stored.rubric_ref else None
        return SessionSummary(
            id=stored.id,
            question_id=state.question_id,
            title=snapshot.title if snapshot else None,
            rubric_ref=stored.rubric_ref,
            rubric_version=state.rubric_version,
            phase=state.phase,
            turns=len(state.turns),
            started_at=utc(state.started_at),
            updated_at=stored.updated_at,
            finished_at=stored.finished_at,
            score=card.score if card else None,
            band=card.band if card else None,
        )
