from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from interviewer.engine.loop_state import LoopProgress
from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.session import InterviewSession
from interviewer.store import (
    DB_ENV,
    SCHEMA_VERSION,
    CorruptSession,
    SessionNotFound,
    SessionStore,
    StoreUnavailable,
    criterion_progress,
    migrate,
)

from support import START, SteppingClock

from .interviews import ANSWERS, opened, played, reply

Scored = Callable[..., tuple[InterviewState, Scorecard]]


def test_round_trip_keeps_state_scorecard_delivery_and_times(store: SessionStore, scored: Scored) -> None:
    state, card = scored()
    session_id = store.create(state)
    store.save(session_id, state, scorecard=card, delivery={"words_per_minute": 141.5, "filler_words": 6})

    stored = store.load(session_id)

    assert len(session_id) == 32 and int(session_id, 16) >= 0
    assert stored.id == session_id
    assert stored.state == state
    assert stored.scorecard == card
    assert stored.delivery == {"words_per_minute": 141.5, "filler_words": 6}
    assert stored.finished
    assert stored.created_at < stored.updated_at
    assert stored.finished_at == stored.created_at  # the state was already scored when created


def test_every_turn_survives_a_restart_and_the_interview_continues(
    db_path: Path, rubric: Rubric, grader
) -> None:
    # The reference: the same interview, never interrupted.
    uninterrupted = played(rubric)

    clock = SteppingClock()
    session = InterviewSession(rubric, clock=clock)
    for _ in session.open():
        pass
    session_id = SessionStore(db_path).create(session.state)
    for text in ANSWERS:
        # A new process each turn: nothing survives but the file.
        store = SessionStore(db_path)
        resumed = store.load(session_id)
        assert resumed.state == session.state
        session = InterviewSession(rubric, clock=clock, state=resumed.state)
        if session.finished:
            break
        reply(session, text)
        store.save(session_id, session.state)
    state = session.end()
    SessionStore(db_path).save(session_id, state, scorecard=grader.grade_session(state, rubric))

    final = SessionStore(db_path).load(session_id)
    assert final.state == uninterrupted
    assert [t.text for t in final.state.turns] == [t.text for t in uninterrupted.turns]
    assert final.scorecard is not None and final.scorecard.score == grader.grade_session(uninterrupted, rubric).score


def test_save_replaces_the_state_and_keeps_an_earlier_scorecard_when_given_none(
    store: SessionStore, scored: Scored
) -> None:
    state, card = scored()
    session_id = store.create(state)
    store.save(session_id, state, scorecard=card, delivery={"words_per_minute": 120})
    store.save(session_id, state)

    stored = store.load(session_id)
    assert stored.scorecard == card
    assert stored.delivery == {"words_per_minute": 120}


def test_listing_is_newest_first_with_summary_columns(store: SessionStore, rubric: Rubric, scored: Scored) -> None:
    old_state, old_card = scored(start=START)
    old = store.create(old_state)
    store.save(old, old_state, scorecard=old_card)
    newest = store.create(opened(rubric, START + timedelta(days=2)).state)
    middle = store.create(opened(rubric, START + timedelta(days=1)).state)

    listed = store.list_sessions()

    assert [s.id for s in listed] == [newest, middle, old]
    assert [s.phase for s in listed] == ["intro", "intro", "scored"]
    assert listed[2].score == old_card.score and listed[2].band == old_card.band
    assert listed[2].question_id == "uber-eta" and listed[2].turns == len(old_state.turns)
    assert listed[0].score is None and listed[0].band is None
    assert [s.id for s in store.list_sessions(limit=2)] == [newest, middle]
    assert store.list_sessions(limit=0) == []
    assert store.list_sessions(question_id="fraud-detection") == []


def test_attempts_are_the_scored_sessions_of_one_question_oldest_first(
    store: SessionStore, bank: RubricBank, rubric: Rubric, scored: Scored
) -> None:
    ids = []
    for day, answers in ((3, ANSWERS), (1, ANSWERS[:2])):
        state, card = scored(start=START + timedelta(days=day), answers=answers)
        ids.append(store.create(state))
        store.save(ids[-1], state, scorecard=card)
    store.create(opened(rubric, START + timedelta(days=2)).state)  # unfinished: not an attempt
    fraud = bank.get("fraud-detection")
    other_state, other_card = scored(rubric=fraud, answers=["I would use a gradient boosted model."])
    store.save(store.create(other_state), other_state, scorecard=other_card)

    attempts = store.attempts("uber-eta")

    assert [a.session_id for a in attempts] == [ids[1], ids[0]]
    assert all(a.scorecard.question_id == "uber-eta" for a in attempts)
    assert attempts[0].started_at < attempts[1].started_at
    progress = criterion_progress(attempts)
    assert set(progress) == {c.id for c in rubric.criteria}
    assert [level for _, level in progress["baseline-and-model"]] == [
        next(r.level for r in a.scorecard.criteria if r.id == "baseline-and-model") for a in attempts
    ]
    assert len(store.attempts("fraud-detection")) == 1
    assert store.attempts("no-such-question") == []


def test_latest_unfinished_is_the_most_recently_saved_unscored_session(
    store: SessionStore, rubric: Rubric, scored: Scored
) -> None:
    assert store.latest_unfinished() is None
    first = opened(rubric, START)
    first_id = store.create(first.state)
    second_id = store.create(opened(rubric, START + timedelta(hours=1)).state)
    assert store.latest_unfinished().id == second_id

    reply(first, "How much data do we have?")
    store.save(first_id, first.state)  # the older interview is the one the candidate came back to
    latest = store.latest_unfinished()
    assert latest is not None and latest.id == first_id and latest.state == first.state

    state, card = scored(start=START + timedelta(hours=2))
    store.save(store.create(state), state, scorecard=card)
    assert store.latest_unfinished().id == first_id
    assert store.latest_unfinished(question_id="fraud-detection") is None


def test_a_corrupt_row_is_skipped_and_logged_never_fatal(
    store: SessionStore, db_path: Path, rubric: Rubric, scored: Scored, caplog: pytest.LogCaptureFixture
) -> None:
    good = store.create(opened(rubric, START).state)
    bad_columns = store.create(opened(rubric, START + timedelta(hours=1)).state)
    state, card = scored(start=START + timedelta(hours=2))
    bad_card = store.create(state)
    store.save(bad_card, state, scorecard=card)
    bad_json = store.create(opened(rubric, START + timedelta(hours=3)).state)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sessions SET state_json = '{\"question_id\": ' WHERE id = ?", (bad_json,))
        conn.execute("UPDATE sessions SET band = 'superb', started_at = 'yesterday' WHERE id = ?", (bad_columns,))
        conn.execute("UPDATE sessions SET scorecard_json = '[1, 2' WHERE id = ?", (bad_card,))
    conn.close()

    with caplog.at_level(logging.WARNING, logger="interviewer.store"):
        listed = store.list_sessions()
        latest = store.latest_unfinished()
        attempts = store.attempts("uber-eta")

    assert [s.id for s in listed] == [good]
    # The newest unfinished row does not parse; the next one has broken summary columns but an
    # intact state, so it still resumes.
    assert latest is not None and latest.id == bad_columns
    assert attempts == []
    skipped = " ".join(r.getMessage() for r in caplog.records)
    assert bad_json in skipped and bad_columns in skipped and bad_card in skipped
    assert all("\n" not in r.getMessage() for r in caplog.records)
    with pytest.raises(CorruptSession, match=bad_json):
        store.load(bad_json)


def test_threads_saving_at_once_lose_nothing(db_path: Path, rubric: Rubric) -> None:
    store = SessionStore(db_path)
    shared_state = opened(rubric).state
    shared = store.create(shared_state)
    barrier = threading.Barrier(8)

    def interview(worker: int) -> tuple[str, InterviewState]:
        session = opened(rubric, START + timedelta(minutes=worker))
        session_id = store.create(session.state)
        barrier.wait()
        for text in ANSWERS[:3]:
            reply(session, text)
            store.save(session_id, session.state, delivery={"worker": worker})
            store.save(shared, shared_state)
            store.list_sessions(limit=5)
        return session_id, session.state

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(interview, range(8)))

    for worker, (session_id, state) in enumerate(results):
        stored = store.load(session_id)
        assert stored.state == state and stored.delivery == {"worker": worker}
    assert store.load(shared).state == shared_state
    assert len(store.list_sessions(limit=100)) == 9


def test_an_empty_file_is_migrated_to_the_current_schema(db_path: Path, rubric: Rubric) -> None:
    db_path.touch()

    store = SessionStore(db_path)

    assert store.migrated_from == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    session_id = store.create(opened(rubric).state)
    reopened = SessionStore(db_path)
    assert reopened.migrated_from == SCHEMA_VERSION
    assert reopened.load(session_id).state.question_id == "uber-eta"


def test_migrations_run_in_order_once_and_a_failing_one_leaves_the_old_version(db_path: Path) -> None:
    SessionStore(db_path)
    calls = []

    def add_notes(conn: sqlite3.Connection) -> None:
        calls.append("notes")
        conn.execute("ALTER TABLE sessions ADD COLUMN notes TEXT")

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE sessions ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

    from interviewer.store.schema import MIGRATIONS

    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        assert migrate(conn, (*MIGRATIONS, add_notes)) == SCHEMA_VERSION
        assert migrate(conn, (*MIGRATIONS, add_notes)) == SCHEMA_VERSION + 1
        assert calls == ["notes"]
        with pytest.raises(RuntimeError):
            migrate(conn, (*MIGRATIONS, add_notes, broken))
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        assert "notes" in columns and "half_done" not in columns
    finally:
        conn.close()


def test_a_new_database_is_private_to_its_owner(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "new-folder" / "sessions.sqlite3"
    store = SessionStore(path)
    # While another connection is open, SQLite keeps the -wal file, created with the database's mode.
    other = sqlite3.connect(path)
    try:
        other.execute("SELECT count(*) FROM sessions").fetchone()
        store.create(opened(rubric).state)
        assert (tmp_path / "new-folder" / "sessions.sqlite3-wal").stat().st_mode & 0o777 == 0o600
    finally:
        other.close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_database_from_a_newer_app_is_refused(db_path: Path) -> None:
    SessionStore(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreUnavailable, match=rf"schema version {SCHEMA_VERSION + 5}.*upgrade the app"):
        SessionStore(db_path)


def test_a_file_that_is_not_a_database_is_named_with_the_way_out(db_path: Path) -> None:
    db_path.write_bytes(b"this is my shopping list, not SQLite" * 100)
    with pytest.raises(StoreUnavailable) as error:
        SessionStore(db_path)
    assert str(db_path) in str(error.value) and DB_ENV in str(error.value)
    assert "not a readable SQLite database" in str(error.value)


def test_an_unwritable_path_names_the_path_and_the_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(DB_ENV, str(blocker / "sessions.sqlite3"))

    with pytest.raises(StoreUnavailable) as error:
        SessionStore()

    message = str(error.value)
    assert str(blocker / "sessions.sqlite3") in message
    assert f"${DB_ENV}" in message and f"Set {DB_ENV}" in message


@pytest.mark.parametrize("path", [":memory:", "file::memory:?cache=shared"])
def test_an_in_memory_database_is_refused_because_each_call_opens_a_new_connection(path: str) -> None:
    with pytest.raises(StoreUnavailable, match=DB_ENV):
        SessionStore(path)


def test_save_checks_what_it_is_given(store: SessionStore, rubric: Rubric, bank: RubricBank, scored: Scored) -> None:
    state = opened(rubric).state
    with pytest.raises(SessionNotFound, match="no session 'nope'"):
        store.save("nope", state)
    with pytest.raises(SessionNotFound):
        store.load("nope")

    session_id = store.create(state)
    fraud_state = opened(bank.get("fraud-detection")).state
    with pytest.raises(ValueError, match="refusing to overwrite"):
        store.save(session_id, fraud_state)
    _, card = scored()
    with pytest.raises(ValueError, match="scorecard is for question 'uber-eta'"):
        store.save(session_id, fraud_state, scorecard=card)
    with pytest.raises(TypeError, match="delivery metrics must map names to numbers"):
        store.save(session_id, state, delivery={"fillers": ["um", "uh"]})  # type: ignore[dict-item]

    store.save(session_id, state, delivery={"words_per_minute": float("nan"), "pauses": 3})
    assert store.load(session_id).delivery == {"pauses": 3}
    assert store.load(session_id).state == state


def test_delete_forgets_a_session(store: SessionStore, rubric: Rubric) -> None:
    session_id = store.create(opened(rubric).state)
    assert store.delete(session_id) is True
    assert store.delete(session_id) is False
    assert store.list_sessions() == []


def test_loop_progress_round_trips_and_updates_in_place(tmp_path):
    store = SessionStore(tmp_path / "loops.sqlite3")
    progress = LoopProgress(loop_id="ml-engineer-screen", loop_version=1, question_ids=["uber-eta", "fraud-detection"])
    run_id = store.save_loop(progress)
    ended = progress.model_copy(update={"ended": True})
    assert store.save_loop(ended, run_id) == run_id
    assert SessionStore(tmp_path / "loops.sqlite3").load_loop(run_id) == ended
    with pytest.raises(SessionNotFound):
        store.load_loop("no-such-run")


def test_a_version_1_database_gains_the_loops_table(tmp_path):
    from interviewer.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path, isolation_level=None) as conn:
        migrate(conn, MIGRATIONS[:1])
    store = SessionStore(path)
    assert store.migrated_from == 1
    assert store.load_loop(store.save_loop(LoopProgress(loop_id="x", loop_version=1, question_ids=["a"]))).loop_id == "x"
