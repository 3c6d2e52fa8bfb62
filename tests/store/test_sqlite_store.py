"""What is particular to the SQLite store: the file, its schema and migrations, locking, bad rows."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from interviewer.engine.state import InterviewState
from interviewer.engine.transitions import end_interview
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store import (
    DB_ENV,
    SCHEMA_VERSION,
    CorruptSession,
    LoopRun,
    SqliteStore,
    StoreError,
    StoreUnavailable,
    migrate,
)
from interviewer.store.common import iso
from interviewer.store.schema import MIGRATIONS

from support import START, SteppingClock

from .interviews import ANSWERS, opened, played, reply

Scored = Callable[..., tuple[InterviewState, Scorecard]]


def test_every_turn_survives_a_restart_and_the_interview_continues(
    db_path: Path, rubric: Rubric, grader: OfflineGrader
) -> None:
    uninterrupted = played(rubric)  # the reference: the same interview, never interrupted

    clock = SteppingClock()
    first = SqliteStore(db_path)
    state = opened(rubric, clock=clock)
    session_id = first.create("local", state, first.keep_rubric(rubric))
    for text in ANSWERS:
        # A new process each turn: nothing survives but the file, the rubric included.
        store = SqliteStore(db_path)
        resumed = store.load("local", session_id)
        assert resumed.state == state
        if resumed.finished:
            break
        state = reply(resumed.state, store.rubric(resumed.rubric_ref), text, clock)
        store.save("local", session_id, state)
    state = end_interview(state)
    SqliteStore(db_path).save("local", session_id, state, scorecard=grader.grade_session(state, rubric))

    final = SqliteStore(db_path).load("local", session_id)
    assert final.state == uninterrupted
    assert final.scorecard is not None and final.scorecard.score == grader.grade_session(uninterrupted, rubric).score


def test_a_corrupt_row_is_skipped_and_logged_never_fatal(
    sqlite_store: SqliteStore, db_path: Path, rubric: Rubric, scored: Scored, caplog: pytest.LogCaptureFixture
) -> None:
    store = sqlite_store
    good = store.create("local", opened(rubric, START), None)
    bad_columns = store.create("local", opened(rubric, START + timedelta(hours=1)), None)
    state, card = scored(start=START + timedelta(hours=2))
    bad_card = store.create("local", state, None)
    store.save("local", bad_card, state, scorecard=card)
    bad_json = store.create("local", opened(rubric, START + timedelta(hours=3)), None)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sessions SET state_json = '{\"question_id\": ' WHERE id = ?", (bad_json,))
        conn.execute("UPDATE sessions SET band = 'superb', started_at = 'yesterday' WHERE id = ?", (bad_columns,))
        conn.execute("UPDATE sessions SET scorecard_json = '[1, 2' WHERE id = ?", (bad_card,))
    conn.close()

    with caplog.at_level(logging.WARNING, logger="interviewer.store"):
        listed = store.list_sessions(["local"])
        latest = store.latest_unfinished(["local"])
        attempts = store.attempts(["local"], "uber-eta")

    assert [s.id for s in listed] == [good]
    # The newest unfinished row does not parse; the next one has broken summary columns but an
    # intact state, so it still resumes.
    assert latest is not None and latest.id == bad_columns
    assert attempts == []
    skipped = " ".join(r.getMessage() for r in caplog.records)
    assert bad_json in skipped and bad_columns in skipped and bad_card in skipped
    assert all("\n" not in r.getMessage() for r in caplog.records)
    with pytest.raises(CorruptSession, match=bad_json):
        store.load("local", bad_json)


def test_a_corrupt_snapshot_or_loop_run_names_itself(
    sqlite_store: SqliteStore, db_path: Path, rubric: Rubric, bank: RubricBank
) -> None:
    ref = sqlite_store.keep_rubric(rubric)
    loop = bank.loop("ml-engineer-screen")
    run_id = sqlite_store.create_loop(
        "local", LoopRun(loop_id=loop.id, loop_version=loop.version, title=loop.title, role=loop.role, questions=[])
    )
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE rubric_snapshots SET rubric_json = '{}'")
        conn.execute("UPDATE loop_runs SET run_json = '{\"loop_id\": 3}'")
    conn.close()

    with pytest.raises(CorruptSession, match=f"rubric snapshot '{ref}' in {db_path}"):
        sqlite_store.rubric(ref)
    with pytest.raises(CorruptSession, match=f"loop run '{run_id}' in {db_path}"):
        sqlite_store.load_loop("local", run_id)


def test_delivery_written_as_plain_figures_by_the_old_version_still_reads(
    sqlite_store: SqliteStore, db_path: Path, rubric: Rubric, delivery: DeliveryMetrics, caplog: pytest.LogCaptureFixture
) -> None:
    old_dict = store_with_delivery(sqlite_store, db_path, rubric, {
        "answers": 2, "duration_seconds": 61.5, "talk_seconds": 48.0, "word_count": 112, "filler_count": 3,
        "long_pause_count": 1, "words_per_minute": 140.0, "fillers_per_minute": 3.8, "longest_pause_seconds": 2.5,
    })
    too_little = store_with_delivery(sqlite_store, db_path, rubric, {"words_per_minute": 141.5, "filler_words": 6})
    not_json = store_with_delivery(sqlite_store, db_path, rubric, "{not json")
    current = store_with_delivery(sqlite_store, db_path, rubric, delivery.model_dump(mode="json"))

    with caplog.at_level(logging.WARNING, logger="interviewer.store"):
        converted = sqlite_store.load("local", old_dict).delivery
        assert sqlite_store.load("local", too_little).delivery is None
        assert sqlite_store.load("local", not_json).delivery is None
    assert sqlite_store.load("local", current).delivery == delivery

    assert converted == DeliveryMetrics(
        answers=2, duration_seconds=61.5, talk_seconds=48.0, word_count=112, filler_count=3, pause_source="none"
    )
    assert converted.words_per_minute == 140.0  # recomputed from the figures carried over
    dropped = " ".join(r.getMessage() for r in caplog.records)
    assert too_little in dropped and not_json in dropped and old_dict not in dropped


def store_with_delivery(store: SqliteStore, db_path: Path, rubric: Rubric, delivery: object) -> str:
    session_id = store.create("local", opened(rubric), None)
    text = delivery if isinstance(delivery, str) else json.dumps(delivery)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sessions SET delivery_json = ? WHERE id = ?", (text, session_id))
    conn.close()
    return session_id


def test_threads_saving_at_once_lose_nothing(db_path: Path, rubric: Rubric, delivery: DeliveryMetrics) -> None:
    store = SqliteStore(db_path)
    shared_state = opened(rubric)
    shared = store.create("local", shared_state, None)
    barrier = threading.Barrier(8)

    def interview(worker: int) -> tuple[str, InterviewState]:
        clock = SteppingClock(start=START + timedelta(minutes=worker))
        state = opened(rubric, clock=clock)
        session_id = store.create(f"browser:{worker}", state, None)
        barrier.wait()
        for text in ANSWERS[:3]:
            state = reply(state, rubric, text, clock)
            store.save(f"browser:{worker}", session_id, state, delivery=delivery.model_copy(update={"answers": worker}))
            store.save("local", shared, shared_state)
            store.list_sessions(["local"], limit=5)
        return session_id, state

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(interview, range(8)))

    for worker, (session_id, state) in enumerate(results):
        stored = store.load(f"browser:{worker}", session_id)
        assert stored.state == state and stored.delivery is not None and stored.delivery.answers == worker
    assert store.load("local", shared).state == shared_state
    assert len(store.list_sessions([f"browser:{w}" for w in range(8)], limit=100)) == 8


def test_a_locked_database_says_so_and_names_the_file(db_path: Path, rubric: Rubric) -> None:
    store = SqliteStore(db_path, busy_timeout=0.1)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process mid-write
        with pytest.raises(StoreError, match=rf"{db_path} stayed locked for 0.1s .*try again"):
            store.create("local", opened(rubric), None)
    finally:
        other.close()
    assert store.create("local", opened(rubric), None)


# The file and its schema


def test_an_empty_file_is_migrated_to_the_current_schema(db_path: Path, rubric: Rubric) -> None:
    db_path.touch()

    store = SqliteStore(db_path)

    assert store.migrated_from == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    session_id = store.create("local", opened(rubric), None)
    reopened = SqliteStore(db_path)
    assert reopened.migrated_from == SCHEMA_VERSION
    assert reopened.load("local", session_id).state.question_id == "uber-eta"


def test_migrations_run_in_order_once_and_a_failing_one_leaves_the_old_version(db_path: Path) -> None:
    SqliteStore(db_path)
    calls = []

    def add_notes(conn: sqlite3.Connection) -> None:
        calls.append("notes")
        conn.execute("ALTER TABLE sessions ADD COLUMN notes TEXT")

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE sessions ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

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
    store = SqliteStore(path)
    # While another connection is open, SQLite keeps the -wal file, created with the database's mode.
    other = sqlite3.connect(path)
    try:
        other.execute("SELECT count(*) FROM sessions").fetchone()
        store.create("local", opened(rubric), None)
        assert (tmp_path / "new-folder" / "sessions.sqlite3-wal").stat().st_mode & 0o777 == 0o600
    finally:
        other.close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_database_from_a_newer_app_is_refused(db_path: Path) -> None:
    SqliteStore(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreUnavailable, match=rf"{db_path} has schema version {SCHEMA_VERSION + 5}.*upgrade the app"):
        SqliteStore(db_path)


def test_a_file_that_is_not_a_database_is_named_with_the_way_out(db_path: Path) -> None:
    db_path.write_bytes(b"this is my shopping list, not SQLite" * 100)
    with pytest.raises(StoreUnavailable) as error:
        SqliteStore(db_path)
    assert str(db_path) in str(error.value) and DB_ENV in str(error.value)
    assert "not a readable SQLite database" in str(error.value)


def test_an_unwritable_path_names_the_path_and_the_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(DB_ENV, str(blocker / "sessions.sqlite3"))

    with pytest.raises(StoreUnavailable) as error:
        SqliteStore()

    message = str(error.value)
    assert str(blocker / "sessions.sqlite3") in message
    assert f"${DB_ENV}" in message and f"Set {DB_ENV}" in message


@pytest.mark.parametrize("path", [":memory:", "file::memory:?cache=shared"])
def test_an_in_memory_database_is_refused_because_each_call_opens_a_new_connection(path: str) -> None:
    with pytest.raises(StoreUnavailable, match=DB_ENV):
        SqliteStore(path)


# Upgrading older files


def old_database(path: Path, version: int) -> sqlite3.Connection:
    """A file as an older app left it: its migrations only."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:version])
    return conn


def insert_v1_session(conn: sqlite3.Connection, state: InterviewState, scorecard: Scorecard | None = None) -> str:
    """A session row as the v1 and v2 apps wrote it."""
    session_id = f"{len(conn.execute('SELECT id FROM sessions').fetchall()):032x}"
    saved = iso(state.started_at + timedelta(minutes=5))
    conn.execute(
        "INSERT INTO sessions (id, question_id, rubric_version, phase, turns, started_at, created_at, updated_at, "
        "finished_at, score, band, state_json, scorecard_json, delivery_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (session_id, state.question_id, state.rubric_version, state.phase, len(state.turns), iso(state.started_at),
         iso(state.started_at), saved, saved if state.phase == "scored" else None, scorecard and scorecard.score,
         scorecard and scorecard.band, state.model_dump_json(), scorecard and scorecard.model_dump_json(),
         json.dumps({"answers": 1, "duration_seconds": 20.0, "talk_seconds": 15.0, "word_count": 40, "filler_count": 1,
                     "words_per_minute": 160.0})),
    )
    return session_id


def test_a_version_1_database_keeps_its_sessions_for_the_local_owner(db_path: Path, rubric: Rubric, scored: Scored) -> None:
    state, card = scored()
    with old_database(db_path, 1) as conn:
        session_id = insert_v1_session(conn, state, card)
    conn.close()

    store = SqliteStore(db_path)

    assert store.migrated_from == 1
    stored = store.load("local", session_id)
    assert (stored.state, stored.scorecard, stored.rubric_ref, stored.loop_run) == (state, card, None, None)
    assert stored.delivery is not None and stored.delivery.word_count == 40
    assert [a.session_id for a in store.attempts(["local"], "uber-eta")] == [session_id]
    assert store.list_sessions(["browser:ab"]) == []


def test_a_version_2_loop_becomes_a_loop_run_naming_its_session_rows(
    db_path: Path, bank: RubricBank, scored: Scored, caplog: pytest.LogCaptureFixture
) -> None:
    questions = bank.loop_questions("ml-engineer-screen")
    first, _ = scored(rubric=questions[0], answers=["I would start from a baseline."])
    current = opened(questions[1], START + timedelta(minutes=30))
    lone = opened(questions[0], START + timedelta(days=1))  # not in any loop
    orphan = opened(questions[0], START + timedelta(days=2))  # its row was never written (the app stopped)
    with old_database(db_path, 2) as conn:
        first_id, current_id = insert_v1_session(conn, first), insert_v1_session(conn, current)
        lone_id = insert_v1_session(conn, lone)
        insert_v2_loop(conn, "run-1", [q.id for q in questions], [first, current])
        insert_v2_loop(conn, "run-2", [q.id for q in questions], [orphan], ended=True)
        conn.execute("INSERT INTO loops VALUES ('run-3', 'ml-engineer-screen', 'x', 'x', '{\"states\": [1]}')")
    conn.close()

    with caplog.at_level(logging.WARNING, logger="interviewer.store"):
        store = SqliteStore(db_path)

    assert store.migrated_from == 2
    run = store.load_loop("local", "run-1")
    assert run.session_ids == [first_id, current_id] and run.current_session_id == current_id
    assert (run.loop_id, run.loop_version, run.ended, run.scorecard) == ("ml-engineer-screen", 1, False, None)
    assert [(q.question_id, q.title, q.minutes, q.rubric_ref) for q in run.questions] == [
        (q.id, q.id, 1.0, None) for q in questions
    ]
    assert store.load("local", current_id).loop_run == "run-1"
    assert store.load("local", current_id).state == current
    assert store.load("local", lone_id).loop_run is None

    recovered = store.load_loop("local", "run-2")
    assert recovered.ended and len(recovered.session_ids) == 1
    assert store.load("local", recovered.session_ids[0]).state == orphan
    assert store.load("local", recovered.session_ids[0]).loop_run == "run-2"

    assert "run-3" in " ".join(r.getMessage() for r in caplog.records)
    with sqlite3.connect(db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert conn.execute("SELECT count(*) FROM loop_runs").fetchone()[0] == 2
    conn.close()
    assert "loops" not in tables and {"loop_runs", "rubric_snapshots", "secrets"} <= tables
    assert len(store.list_sessions(["local"])) == 4


def insert_v2_loop(
    conn: sqlite3.Connection, run_id: str, question_ids: list[str], states: list[InterviewState], ended: bool = False
) -> None:
    """A loop row as the v2 app wrote it: full copies of its sessions' states."""
    progress = {
        "loop_id": "ml-engineer-screen", "loop_version": 1, "question_ids": question_ids,
        "states": [s.model_dump(mode="json") for s in states], "ended": ended,
    }
    stamp = iso(START)
    conn.execute(
        "INSERT INTO loops (id, loop_id, created_at, updated_at, progress_json) VALUES (?, ?, ?, ?, ?)",
        (run_id, "ml-engineer-screen", stamp, stamp, json.dumps(progress)),
    )
