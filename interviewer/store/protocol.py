"""What the app asks of a session store, whatever keeps the data (SQLite, memory, later PostgreSQL).

Every session and loop run belongs to an owner, an opaque string such as "local" (this machine's
user) or "browser:<hex>". The store checks ownership itself: reading, saving or deleting another
owner's row fails exactly as for an id that does not exist, and listings only show the owners asked
for. Sessions name the rubric snapshot they run on, so editing or breaking a rubric file never
changes (or strands) an interview already under way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store.records import Attempt, LoopRun, SessionSummary, StoredSession


@runtime_checkable
class SessionStore(Protocol):
    def create(self, owner: str, state: InterviewState, rubric_ref: str | None, *, loop_run: str | None = None) -> str:
        """Save a new session; returns its id (uuid4 hex).

        `rubric_ref` must be a kept snapshot of the state's rubric (SnapshotNotFound, ValueError);
        `loop_run` one of the owner's loop runs (SessionNotFound).
        """
        ...

    def save(
        self,
        owner: str,
        session_id: str,
        state: InterviewState,
        *,
        scorecard: Scorecard | None = None,
        delivery: DeliveryMetrics | None = None,
    ) -> None:
        """Replace the session's state (after every turn). A scorecard or delivery given replaces the
        stored one; None keeps it. Refuses (ValueError) a state for another question."""
        ...

    def load(self, owner: str, session_id: str) -> StoredSession:
        """Raises SessionNotFound, or CorruptSession when the row no longer reads back."""
        ...

    def list_sessions(
        self, owners: Sequence[str], *, limit: int = 50, question_id: str | None = None
    ) -> list[SessionSummary]:
        """The owners' sessions, most recently started first; unreadable rows are skipped and logged."""
        ...

    def attempts(self, owners: Sequence[str], question_id: str) -> list[Attempt]:
        """Scorecards of the owners' scored sessions of one question, oldest first."""
        ...

    def latest_unfinished(self, owners: Sequence[str], question_id: str | None = None) -> StoredSession | None:
        """The owners' most recently saved session that was not scored, to offer resuming it."""
        ...

    def delete(self, owner: str, session_id: str) -> bool:
        """Forget a session; returns whether the owner had one with this id."""
        ...

    def forget(self, owner: str) -> int:
        """Forget all the owner's sessions and loops at once; returns how many sessions there were."""
        ...

    def keep_rubric(self, rubric: Rubric) -> str:
        """Snapshot the rubric as sessions will use it; returns its ref (a hash of its content).

        Idempotent, and cheap for a rubric already kept."""
        ...

    def rubric(self, ref: str) -> Rubric:
        """Raises SnapshotNotFound, or CorruptSession when the snapshot no longer reads back."""
        ...

    def create_loop(self, owner: str, run: LoopRun) -> str:
        """Save a new loop run; returns its id (uuid4 hex)."""
        ...

    def save_loop(self, owner: str, run_id: str, run: LoopRun) -> None:
        """Replace the loop run (after every turn); refuses (ValueError) a run of another loop."""
        ...

    def load_loop(self, owner: str, run_id: str) -> LoopRun:
        """Raises SessionNotFound, or CorruptSession when the row no longer reads back."""
        ...

    def secret(self, name: str) -> str:
        """A random secret made at first use, then the same for every process sharing the storage."""
        ...
