"""The Class tab's numbers: candidates only, and criteria averaged over the class, weakest first."""

from __future__ import annotations

from types import SimpleNamespace

from interviewer.accounts import Accounts, MemoryAccounts
from interviewer.practice.class_view import ClassView

PASSWORD = "correct horse battery"


def criterion(name: str, level: int) -> SimpleNamespace:
    return SimpleNamespace(name=name, level=level)


class FakeStore:
    """Two candidates' scored sessions of one question; the coach's own session must not count."""

    sessions = {"user:alice": [SimpleNamespace(question_id="q", phase="scored")],
                "user:bob": [SimpleNamespace(question_id="q", phase="scored"), SimpleNamespace(question_id="r", phase="asking")],
                "user:carol": [SimpleNamespace(question_id="q", phase="scored")]}
    cards = {"user:alice": [criterion("Framing", 3), criterion("Metrics", 1)],
             "user:bob": [criterion("Framing", 2), criterion("Metrics", 0)],
             "user:carol": [criterion("Framing", 0), criterion("Metrics", 0)]}

    def list_sessions(self, owners, limit=50):  # type: ignore[no-untyped-def]
        return [s for owner in owners for s in self.sessions[owner]]

    def attempts(self, owners, question_id):  # type: ignore[no-untyped-def]
        return [SimpleNamespace(scorecard=SimpleNamespace(criteria=self.cards[o])) for o in owners if question_id == "q"]


def test_the_class_is_its_candidates_and_its_weakest_criterion_comes_first() -> None:
    accounts = Accounts(MemoryAccounts())
    for name, role in (("bob", "candidate"), ("alice", "candidate"), ("carol", "coach")):
        accounts.add(name, role, PASSWORD)
    view = ClassView(FakeStore(), accounts)  # type: ignore[arg-type]
    found = view.sessions()
    assert [s.candidate for s in found] == ["alice", "bob", "bob"]
    weakest = view.weakest(found)
    assert [(a.criterion, a.average, a.sessions) for a in weakest] == [("Metrics", 0.5, 2), ("Framing", 2.5, 2)]
