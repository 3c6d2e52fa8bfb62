"""What only the PostgreSQL store has to get right: choosing it, migrating once, and faults.

The contract tests (test_store_contract.py) already run every SessionStore promise on it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import psycopg
import pytest

from interviewer.rubric.models import Rubric
from interviewer.store import DB_ENV, SessionNotFound, SqliteStore, StoreUnavailable, open_store
from interviewer.store.postgres_schema import SCHEMA_VERSION, migrate
from interviewer.store.postgres_store import PostgresStore

import support.postgres
from support.postgres import Cluster, start_cluster

from .interviews import opened

Open = Callable[..., PostgresStore]
T = TypeVar("T")


def admin_sql(cluster: Cluster, schema: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(cluster.admin(), autocommit=True) as conn:
        conn.execute(f"SET search_path = {schema}")
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def schema_of(url: str) -> str:
    return url.rpartition("%3D")[2]


def eventually(call: Callable[[], T], seconds: float = 15.0) -> T:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call()
        except StoreUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def server_down(cluster: Cluster) -> Iterator[None]:
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()


def test_without_the_server_binaries_the_tests_fail_and_say_how_to_install_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support.postgres, "server_bindir", lambda: None)
    with pytest.raises(pytest.fail.Exception, match="run scripts/install-postgres.sh"):
        start_cluster()


# Choosing the backend


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_open_store_picks_postgres_for_a_url_given_or_in_the_environment(
    scheme: str, pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = pg_url.replace("postgresql://", f"{scheme}://", 1)
    monkeypatch.setenv(DB_ENV, url)
    opened_stores = [open_store(url), open_store(None)]
    for store in opened_stores:
        if isinstance(store, PostgresStore):
            store.close()

    assert [type(s) for s in opened_stores] == [PostgresStore, PostgresStore]
    assert [getattr(s, "origin") for s in opened_stores] == ["the URL given to open_store", "$INTERVIEWER_DB"]
    # A path given wins over the environment, as for SQLite.
    assert isinstance(open_store(str(tmp_path / "s.sqlite3")), SqliteStore)


# Migrations


def test_two_replicas_starting_together_migrate_once(pg_url: str, postgres: Cluster) -> None:
    ran: list[str] = []

    def slow_v1(conn: psycopg.Connection) -> None:
        ran.append(threading.current_thread().name)
        time.sleep(0.3)  # wide open for a second replica, were it not for the lock
        conn.execute("CREATE TABLE only_once (x integer)")  # fails if run twice

    def replica(found: list[int]) -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            found.append(migrate(conn, (slow_v1,)))

    found: list[int] = []
    threads = [threading.Thread(target=replica, args=(found,), name=f"replica-{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ran) == 1 and sorted(found) == [0, 1]
    assert admin_sql(postgres, schema_of(pg_url), "SELECT version FROM interviewer_schema") == [(1,)]


def test_stores_opening_at_once_on_an_empty_database_all_work(pg_url: str, pg_open: Open, rubric: Rubric) -> None:
    stores: list[PostgresStore] = []
    threads = [threading.Thread(target=lambda: stores.append(pg_open(pg_url))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(s.migrated_from for s in stores) == [0, SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION]
    session_id = stores[0].create("alice", opened(rubric), None)
    assert all(s.load("alice", session_id).id == session_id for s in stores)


def test_a_database_from_a_newer_app_is_refused(pg_url: str, pg_open: Open, postgres: Cluster) -> None:
    pg_open(pg_url)
    admin_sql(postgres, schema_of(pg_url), f"UPDATE interviewer_schema SET version = {SCHEMA_VERSION + 1}")

    with pytest.raises(StoreUnavailable, match=f"schema version {SCHEMA_VERSION + 1}, newer than this app") as error:
        pg_open(pg_url)
    assert "upgrade the app" in str(error.value) and postgres.password not in str(error.value)


# Writes


def test_a_saved_turn_is_committed_when_save_returns(
    pg_url: str, pg_open: Open, postgres: Cluster, rubric: Rubric
) -> None:
    store = pg_open(pg_url)
    session_id = store.create("alice", opened(rubric), None)
    state = opened(rubric)
    store.save("alice", session_id, state.model_copy(update={"hints_given": ["seen elsewhere"]}))

    # Another connection, outside the store's pool, already sees it.
    rows = admin_sql(postgres, schema_of(pg_url), f"SELECT state_json FROM sessions WHERE id = '{session_id}'")
    assert "seen elsewhere" in str(rows[0][0])


# Faults


def test_connections_the_server_dropped_are_replaced_without_the_caller_noticing(
    pg_url: str, pg_open: Open, postgres: Cluster, rubric: Rubric
) -> None:
    store = pg_open(pg_url)
    session_id = store.create("alice", opened(rubric), None)
    killed = admin_sql(
        postgres, "public",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'ml-mock-interviewer' AND pid <> pg_backend_pid()",
    )
    assert killed  # the pool's connections were really cut

    assert store.load("alice", session_id).id == session_id
    assert store.delete("alice", session_id) is True


def test_a_call_during_a_server_restart_is_retried_until_the_server_is_back(
    pg_url: str, pg_open: Open, postgres: Cluster, rubric: Rubric, caplog: pytest.LogCaptureFixture
) -> None:
    store = pg_open(pg_url, timeout=0.5, retries=6, backoff=0.2)
    session_id = store.create("alice", opened(rubric), None)
    postgres.stop()
    # Down for longer than one wait for a connection, so the pool alone cannot hide the outage.
    threading.Timer(1.5, postgres.start).start()

    with caplog.at_level(logging.WARNING, logger="interviewer.store"):
        assert store.load("alice", session_id).id == session_id

    assert "trying again" in caplog.text  # it did fail first: the retry is what saved it


def test_a_server_that_stays_down_gives_store_unavailable_without_the_password(
    pg_url: str, pg_open: Open, postgres: Cluster, rubric: Rubric, caplog: pytest.LogCaptureFixture
) -> None:
    store = pg_open(pg_url, timeout=0.5, retries=2, backoff=0.05)
    session_id = store.create("alice", opened(rubric), None)

    with caplog.at_level(logging.DEBUG), server_down(postgres):
        with pytest.raises(StoreUnavailable) as loading:
            store.load("alice", session_id)
        with pytest.raises(StoreUnavailable) as deleting:
            store.delete("alice", session_id)

    message = str(loading.value)
    assert "cannot load a session (tried 3 time(s))" in message
    assert f"postgresql://postgres:***@127.0.0.1:{postgres.port}/postgres" in message
    assert "check that the PostgreSQL server is running" in message
    assert "tried 1 time(s)" in str(deleting.value)  # a delete is never repeated
    assert "\n" not in message
    everything = message + str(deleting.value) + caplog.text
    assert postgres.password not in everything
    assert loading.value.__cause__ is None and loading.value.__suppress_context__
    # Back up, the same store works again once its pool has reconnected.
    assert eventually(lambda: store.load("alice", session_id).id) == session_id


@pytest.mark.parametrize("problem", ["wrong password", "nobody listening"])
def test_a_bad_url_at_start_is_one_clear_line_without_the_password(
    problem: str, postgres: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "Sup3r-secret-" + problem.replace(" ", "-")
    url = postgres.url(password=password)
    if problem == "nobody listening":
        url = url.replace(f":{postgres.port}/", f":{postgres.port + 1}/")
    monkeypatch.setenv(DB_ENV, url)

    with pytest.raises(StoreUnavailable) as error:
        open_store(None)

    message = str(error.value)
    assert password not in message and "\n" not in message
    assert message.startswith("cannot use the session database postgresql://postgres:***@127.0.0.1:")
    assert "($INTERVIEWER_DB): cannot open it: " in message
    assert ("password authentication failed" if problem == "wrong password" else "refused") in message
    assert f"set {DB_ENV} to another URL" in message


def test_another_owners_session_is_missing_on_postgres_too(pg_url: str, pg_open: Open, rubric: Rubric) -> None:
    store = pg_open(pg_url)
    session_id = store.create("alice", opened(rubric), None)
    with pytest.raises(SessionNotFound, match=r"no session '\w+' in postgresql://postgres:\*\*\*@"):
        store.load("bob", session_id)
