"""What every store backend promises, run against each of them: SQLite, memory and PostgreSQL.

Tests only use the SessionStore protocol, plus `reopen`: a new store object on the same data
(a new process, for SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from interviewer.engine.state import InterviewState
from interviewer.practice.loop import loop_scorecard
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store import (
    LoopQuestion,
    LoopRun,
    MemoryStore,
    SessionNotFound,
    SessionStore,
    SnapshotNotFound,
    SqliteStore,
    criterion_progress,
)

from support import START, SteppingClock

from .interviews import ANSWERS, opened, reply

Scored = Callable[..., tuple[InterviewState, Scorecard]]
Reopen = Callable[[], SessionStore]
LOOP_ID = "ml-engineer-screen"


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> Reopen:
    clock = SteppingClock(timedelta(seconds=1), START)  # shared, so time only moves on across reopenings
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "sessions.sqlite3", clock=clock)
    if request.param == "postgres":
        url, pg_open = request.getfixturevalue("pg_url"), request.getfixturevalue("pg_open")
        return lambda: pg_open(url, clock=clock)
    memory = MemoryStore(clock=clock)
    return lambda: memory


@pytest.fixture
def store(reopen: Reopen) -> SessionStore:
    return reopen()


def new_run(store: SessionStore, bank: RubricBank) -> LoopRun:
    loop = bank.loop(LOOP_ID)
    questions = [
        LoopQuestion(question_id=r.id, title=r.title, minutes=r.duration_minutes, rubric_ref=store.keep_rubric(r))
        for r in bank.loop_questions(LOOP_ID)
    ]
    return LoopRun(loop_id=loop.id, loop_version=loop.version, title=loop.title, role=loop.role, questions=questions)


# Sessions


def test_a_session_round_trips_with_everything_it_holds(
    store: SessionStore, rubric: Rubric, scored: Scored, delivery: DeliveryMetrics
) -> None:
    assert isinstance(store, SessionStore)
    state, card = scored()
    ref = store.keep_rubric(rubric)
    session_id = store.create("alice", state, ref)
    store.save("alice", session_id, state, scorecard=card, delivery=delivery)

    stored = store.load("alice", session_id)

    assert len(session_id) == 32 and int(session_id, 16) >= 0
    assert (stored.id, stored.owner, stored.rubric_ref, stored.loop_run) == (session_id, "alice", ref, None)
    assert stored.state == state
    assert stored.scorecard == card
    assert stored.delivery == delivery
    assert stored.finished
    assert stored.created_at < stored.updated_at
    assert stored.finished_at == stored.created_at  # the state was already scored when created


def test_save_replaces_the_state_and_none_keeps_the_scorecard_and_delivery(
    store: SessionStore, rubric: Rubric, scored: Scored, delivery: DeliveryMetrics
) -> None:
    state, card = scored()
    session_id = store.create("alice", opened(rubric), None)
    store.save("alice", session_id, state, scorecard=card, delivery=delivery)
    store.save("alice", session_id, state)

    stored = store.load("alice", session_id)
    assert stored.state == state and stored.scorecard == card and stored.delivery == delivery


def test_save_refuses_what_does_not_fit(store: SessionStore, rubric: Rubric, bank: RubricBank, scored: Scored) -> None:
    state = opened(rubric)
    with pytest.raises(SessionNotFound, match="no session 'nope'"):
        store.save("alice", "nope", state)
    with pytest.raises(SessionNotFound, match="no session 'nope'"):
        store.load("alice", "nope")

    session_id = store.create("alice", state, None)
    fraud_state = opened(bank.get("fraud-detection"))
    with pytest.raises(ValueError, match="refusing to overwrite"):
        store.save("alice", session_id, fraud_state)
    _, card = scored()
    with pytest.raises(ValueError, match="scorecard is for question 'uber-eta'"):
        store.save("alice", session_id, fraud_state, scorecard=card)
    assert store.load("alice", session_id).state == state


def test_create_checks_the_owner_snapshot_and_loop_run(store: SessionStore, rubric: Rubric, bank: RubricBank) -> None:
    state = opened(rubric)
    with pytest.raises(ValueError, match="owner"):
        store.create("", state, None)
    with pytest.raises(SnapshotNotFound):
        store.create("alice", state, "0" * 32)
    with pytest.raises(ValueError, match="rubric snapshot .* of 'fraud-detection'"):
        store.create("alice", state, store.keep_rubric(bank.get("fraud-detection")))
    run_id = store.create_loop("alice", new_run(store, bank))
    with pytest.raises(SessionNotFound, match="no loop run"):
        store.create("bob", state, None, loop_run=run_id)
    with pytest.raises(SessionNotFound, match="no loop run"):
        store.create("alice", state, None, loop_run="no-such-run")
    assert store.list_sessions(["alice", "bob"]) == []


def test_callers_get_copies_and_cannot_change_what_is_stored(store: SessionStore, rubric: Rubric, bank: RubricBank) -> None:
    state = opened(rubric)
    session_id = store.create("alice", state, None)
    state.hints_given.append("changed after create")
    loaded = store.load("alice", session_id)
    loaded.state.turns.clear()
    assert store.load("alice", session_id).state.hints_given == []
    assert store.load("alice", session_id).state.turns

    run = new_run(store, bank)
    run_id = store.create_loop("alice", run)
    run.session_ids.append(session_id)
    store.load_loop("alice", run_id).session_ids.append("changed after load")
    assert store.load_loop("alice", run_id).session_ids == []


def test_delete_forgets_a_session(store: SessionStore, rubric: Rubric) -> None:
    session_id = store.create("alice", opened(rubric), None)
    assert store.delete("alice", session_id) is True
    assert store.delete("alice", session_id) is False
    assert store.list_sessions(["alice"]) == []
    with pytest.raises(SessionNotFound):
        store.load("alice", session_id)


def test_forget_removes_every_session_and_loop_of_one_owner_only(store: SessionStore, rubric: Rubric, bank: RubricBank) -> None:
    run_id = store.create_loop("alice", new_run(store, bank))
    store.create("alice", opened(rubric), None, loop_run=run_id)
    store.create("alice", opened(rubric), None)
    kept = store.create("bob", opened(rubric), None)
    assert store.forget("alice") == 2
    assert store.list_sessions(["alice"]) == [] and [s.id for s in store.list_sessions(["bob"])] == [kept]
    with pytest.raises(SessionNotFound):
        store.load_loop("alice", run_id)
    assert store.forget("alice") == 0


# Ownership


def refusals(store: SessionStore, owner: str, session_id: str, state: InterviewState) -> list[object]:
    """What `owner` gets for each way of reaching a session."""
    seen: list[object] = []
    for attempt in (lambda: store.load(owner, session_id), lambda: store.save(owner, session_id, state)):
        with pytest.raises(SessionNotFound) as error:
            attempt()
        seen.append((type(error.value), str(error.value)))
    seen.append(store.delete(owner, session_id))
    return seen


def test_another_owners_session_is_refused_exactly_like_a_missing_one(store: SessionStore, rubric: Rubric) -> None:
    state = opened(rubric)
    session_id = store.create("alice", state, None)
    changed = reply(state, rubric, "How much data do we have?", SteppingClock(start=START + timedelta(hours=1)))

    by_bob = refusals(store, "bob", session_id, changed)
    assert store.load("alice", session_id).state == state  # bob's save and delete did nothing
    store.delete("alice", session_id)

    assert refusals(store, "bob", session_id, changed) == by_bob
    assert refusals(store, "alice", session_id, changed) == by_bob
    assert by_bob[-1] is False


def test_listings_only_show_the_owners_asked_for(store: SessionStore, rubric: Rubric, scored: Scored) -> None:
    state, card = scored()
    alice_scored = store.create("alice", state, None)
    store.save("alice", alice_scored, state, scorecard=card)
    alice_open = store.create("alice", opened(rubric, START + timedelta(hours=1)), None)
    bob_open = store.create("bob", opened(rubric, START + timedelta(hours=2)), None)

    assert [s.id for s in store.list_sessions(["alice"])] == [alice_open, alice_scored]
    assert [s.id for s in store.list_sessions(["bob"])] == [bob_open]
    assert [s.id for s in store.list_sessions(["alice", "bob"])] == [bob_open, alice_open, alice_scored]
    assert store.list_sessions([]) == [] and store.list_sessions(["carol"]) == []
    assert [a.session_id for a in store.attempts(["alice", "bob"], "uber-eta")] == [alice_scored]
    assert store.attempts(["bob"], "uber-eta") == []
    assert store.latest_unfinished(["alice"]).id == alice_open
    assert store.latest_unfinished(["alice", "bob"]).id == bob_open
    assert store.latest_unfinished(["carol"]) is None
    with pytest.raises(TypeError, match="list of owners"):
        store.list_sessions("alice")


def test_another_owners_loop_run_is_refused_exactly_like_a_missing_one(store: SessionStore, bank: RubricBank) -> None:
    run = new_run(store, bank)
    run_id = store.create_loop("alice", run)
    ended = run.model_copy(update={"ended": True})

    def refused(owner: str, some_id: str) -> list[str]:
        seen = []
        for attempt in (lambda: store.load_loop(owner, some_id), lambda: store.save_loop(owner, some_id, ended)):
            with pytest.raises(SessionNotFound) as error:
                attempt()
            seen.append(str(error.value).replace(some_id, "<id>"))
        return seen

    assert refused("bob", run_id) == refused("alice", "f" * 32)
    assert store.load_loop("alice", run_id) == run


# Rubric snapshots


def test_a_rubric_snapshot_is_kept_by_content_and_survives_reopening(reopen: Reopen, rubric: Rubric) -> None:
    store = reopen()
    ref = store.keep_rubric(rubric)
    assert store.keep_rubric(rubric) == ref and len(ref) == 32
    edited = rubric.model_copy(update={"title": "Pickup ETA, edited"})
    edited_ref = store.keep_rubric(edited)
    assert edited_ref != ref

    later = reopen()
    assert later.keep_rubric(rubric) == ref
    assert later.rubric(ref) == rubric
    assert later.rubric(edited_ref) == edited
    with pytest.raises(SnapshotNotFound, match="no rubric snapshot"):
        later.rubric("0" * 32)


def test_summaries_carry_the_snapshot_title(store: SessionStore, rubric: Rubric) -> None:
    ref = store.keep_rubric(rubric.model_copy(update={"title": "ETA as asked that day"}))
    with_snapshot = store.create("alice", opened(rubric), ref)
    without = store.create("alice", opened(rubric, START + timedelta(hours=1)), None)

    listed = {s.id: s for s in store.list_sessions(["alice"])}

    assert (listed[with_snapshot].title, listed[with_snapshot].rubric_ref) == ("ETA as asked that day", ref)
    assert (listed[without].title, listed[without].rubric_ref) == (None, None)


# Loop runs


def test_a_loop_run_round_trips_and_updates_in_place(
    reopen: Reopen, bank: RubricBank, rubric: Rubric, grader: OfflineGrader
) -> None:
    store = reopen()
    run = new_run(store, bank)
    assert run.index == -1 and run.current_session_id is None
    run_id = store.create_loop("alice", run)
    assert store.load_loop("alice", run_id) == run

    first = bank.loop_questions(LOOP_ID)[0]
    state = opened(first)
    session_id = store.create("alice", state, run.questions[0].rubric_ref, loop_run=run_id)
    card = loop_scorecard(run, [(state, grader.grade_session(state, first))], grader.name)
    ended = run.model_copy(update={"session_ids": [session_id], "ended": True, "scorecard": card})
    store.save_loop("alice", run_id, ended)

    loaded = reopen().load_loop("alice", run_id)
    assert loaded == ended
    assert loaded.index == 0 and loaded.current_session_id == session_id
    assert store.load("alice", session_id).loop_run == run_id
    with pytest.raises(ValueError, match="refusing to overwrite"):
        store.save_loop("alice", run_id, run.model_copy(update={"loop_id": "data-scientist-screen"}))


# Secrets


def test_a_secret_is_made_once_then_shared_by_every_store_object_and_thread(reopen: Reopen) -> None:
    reopen()  # the database exists before the threads race for the secret
    with ThreadPoolExecutor(max_workers=8) as pool:
        values = set(pool.map(lambda _: reopen().secret("browser-key"), range(16)))

    assert len(values) == 1
    value = values.pop()
    assert len(value) >= 43  # token_urlsafe(32)
    assert reopen().secret("browser-key") == value
    assert reopen().secret("another") != value


# Listing


def test_listing_is_newest_first_with_summary_columns_and_a_limit(store: SessionStore, rubric: Rubric, scored: Scored) -> None:
    old_state, old_card = scored(start=START)
    old = store.create("local", old_state, None)
    store.save("local", old, old_state, scorecard=old_card)
    newest = store.create("local", opened(rubric, START + timedelta(days=2)), None)
    middle = store.create("local", opened(rubric, START + timedelta(days=1)), None)
    same_start = store.create("local", opened(rubric, START + timedelta(days=1)), None)  # ties: the later row first

    listed = store.list_sessions(["local"])

    assert [s.id for s in listed] == [newest, same_start, middle, old]
    assert [s.phase for s in listed] == ["intro", "intro", "intro", "scored"]
    assert listed[3].score == old_card.score and listed[3].band == old_card.band
    assert listed[3].question_id == "uber-eta" and listed[3].turns == len(old_state.turns)
    assert listed[3].finished_at is not None and listed[0].finished_at is None
    assert listed[0].score is None and listed[0].band is None
    assert [s.id for s in store.list_sessions(["local"], limit=2)] == [newest, same_start]
    assert store.list_sessions(["local"], limit=0) == []
    assert store.list_sessions(["local"], question_id="fraud-detection") == []
    assert len(store.list_sessions(["local"], question_id="uber-eta")) == 4


def test_attempts_are_the_scored_sessions_of_one_question_oldest_first(
    store: SessionStore, bank: RubricBank, rubric: Rubric, scored: Scored
) -> None:
    ids = []
    for day, answers in ((3, ANSWERS), (1, ANSWERS[:2])):
        state, card = scored(start=START + timedelta(days=day), answers=answers)
        ids.append(store.create("local", state, None))
        store.save("local", ids[-1], state, scorecard=card)
    store.create("local", opened(rubric, START + timedelta(days=2)), None)  # unfinished: not an attempt
    unscored, _ = scored(start=START + timedelta(days=4))
    store.create("local", unscored, None)  # ended but never given a scorecard: not an attempt
    fraud = bank.get("fraud-detection")
    other_state, other_card = scored(rubric=fraud, answers=["I would use a gradient boosted model."])
    store.save("local", store.create("local", other_state, None), other_state, scorecard=other_card)

    attempts = store.attempts(["local"], "uber-eta")

    assert [a.session_id for a in attempts] == [ids[1], ids[0]]
    assert all(a.scorecard.question_id == "uber-eta" for a in attempts)
    assert attempts[0].started_at < attempts[1].started_at
    progress = criterion_progress(attempts)
    assert set(progress) == {c.id for c in rubric.criteria}
    assert [level for _, level in progress["baseline-and-model"]] == [
        next(r.level for r in a.scorecard.criteria if r.id == "baseline-and-model") for a in attempts
    ]
    assert len(store.attempts(["local"], "fraud-detection")) == 1
    assert store.attempts(["local"], "no-such-question") == []


def test_latest_unfinished_is_the_most_recently_saved_unscored_session(
    store: SessionStore, rubric: Rubric, scored: Scored
) -> None:
    assert store.latest_unfinished(["local"]) is None
    clock = SteppingClock(start=START)
    first = opened(rubric, clock=clock)
    first_id = store.create("local", first, None)
    second_id = store.create("local", opened(rubric, START + timedelta(hours=1)), None)
    assert store.latest_unfinished(["local"]).id == second_id

    first = reply(first, rubric, "How much data do we have?", clock)
    store.save("local", first_id, first)  # the older interview is the one the candidate came back to
    latest = store.latest_unfinished(["local"])
    assert latest is not None and latest.id == first_id and latest.state == first

    state, card = scored(start=START + timedelta(hours=2))
    store.save("local", store.create("local", state, None), state, scorecard=card)
    assert store.latest_unfinished(["local"]).id == first_id
    assert store.latest_unfinished(["local"], question_id="fraud-detection") is None
