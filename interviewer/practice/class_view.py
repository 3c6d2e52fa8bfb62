"""What a coach sees of a class: every candidate's sessions, and the criteria the class is weakest on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from interviewer.accounts import Accounts
from interviewer.practice.history import HISTORY_LIMIT
from interviewer.practice.owners import account_owner
from interviewer.practice.records import PracticeError
from interviewer.store.errors import StoreError
from interviewer.store.protocol import SessionStore
from interviewer.store.records import SessionSummary


@dataclass(frozen=True)
class CandidateSession:
    candidate: str
    session: SessionSummary


@dataclass(frozen=True)
class CriterionAverage:
    criterion: str  # the name the scorecards show; criteria of the same name on several questions count together
    average: float  # mean level, 0 to 3
    sessions: int  # scored sessions that graded it


class ClassView:
    def __init__(self, store: SessionStore, accounts: Accounts) -> None:
        self.store, self.accounts = store, accounts

    def candidates(self) -> list[str]:
        return [account.name for account in self.accounts.all() if account.role == "candidate"]

    def sessions(self) -> list[CandidateSession]:
        """Each candidate's sessions, candidates by name, each one's most recent first."""
        try:
            return [CandidateSession(name, summary) for name in self.candidates()
                    for summary in self.store.list_sessions([account_owner(name)], limit=HISTORY_LIMIT)]
        except StoreError as error:
            raise PracticeError("The class's sessions cannot be read just now; try again.") from error

    def weakest(self, sessions: list[CandidateSession]) -> list[CriterionAverage]:
        """Average level per criterion over the class's scored sessions, weakest first."""
        owners = sorted({account_owner(s.candidate) for s in sessions})
        questions = sorted({s.session.question_id for s in sessions if s.session.phase == "scored"})
        levels: dict[str, list[int]] = defaultdict(list)
        try:
            for question in questions:
                for attempt in self.store.attempts(owners, question):
                    for result in attempt.scorecard.criteria:
                        levels[result.name].append(result.level)
        except StoreError as error:
            raise PracticeError("The class's scores cannot be read just now; try again.") from error
        averages = [CriterionAverage(name, sum(found) / len(found), len(found)) for name, found in levels.items()]
        return sorted(averages, key=lambda a: (a.average, a.criterion))
