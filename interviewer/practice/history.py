"""A candidate's past sessions: the list, one reopened, and their progress per criterion."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.practice.records import PracticeError
from interviewer.practice.snapshots import Snapshots
from interviewer.rubric.models import Rubric
from interviewer.store.protocol import SessionStore
from interviewer.store.errors import SessionNotFound, StoreError
from interviewer.store.records import SessionSummary, StoredSession

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class ProgressPoint:
    attempt: int  # 1 for the first scored attempt at the question
    criterion: str  # the criterion's name, as the scorecard shows it
    level: int


@dataclass(frozen=True)
class PastSession:
    stored: StoredSession
    rubric: Rubric
    progress: list[ProgressPoint]


class History:
    def __init__(self, store: SessionStore, snapshots: Snapshots, shared_owners: tuple[str, ...] = ()) -> None:
        """`shared_owners`: owners whose sessions every browser also sees (the terminal's, on a single-user app)."""
        self.store, self.snapshots, self.shared_owners = store, snapshots, shared_owners

    def owners(self, owner: str) -> list[str]:
        return [owner, *(o for o in self.shared_owners if o != owner)]

    def sessions(self, owner: str) -> list[SessionSummary]:
        try:
            return self.store.list_sessions(self.owners(owner), limit=HISTORY_LIMIT)
        except StoreError as error:
            raise PracticeError("Your past sessions cannot be read just now; try again.") from error

    def open(self, owner: str, session_id: str) -> PastSession:
        for candidate in self.owners(owner):
            try:
                stored = self.store.load(candidate, session_id)
            except SessionNotFound:
                continue
            rubric = self.snapshots.by_ref(stored.rubric_ref, stored.state.question_id)
            return PastSession(stored, rubric, self.progress(owner, stored.state.question_id))
        raise PracticeError("That session is not in your history.")

    def progress(self, owner: str, question_id: str) -> list[ProgressPoint]:
        """The level reached per criterion at each scored attempt at a question, oldest first."""
        attempts = self.store.attempts(self.owners(owner), question_id)
        return [
            ProgressPoint(number, result.name, result.level)
            for number, attempt in enumerate(attempts, start=1)
            for result in attempt.scorecard.criteria
        ]
