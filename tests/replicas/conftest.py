"""Two app replicas sharing one PostgreSQL database behind nginx, as deploy/run-class.sh starts them.

The database is only a parameter: a SQLite path in `classroom` works as well (one machine).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from deploy.class_set import ClassSet, Served
from interviewer.llm.config import ENV_VARS
from interviewer.rubric import DEFAULT_RUBRICS_DIR
from interviewer.store import open_store
from ui.conftest import Server, free_port

LIGHT_REPLICA = Path(__file__).with_name("light_replica.py")
ROUTE_COOKIE = "interviewer_route"


def offline_env() -> dict[str, str]:
    """The replicas' environment: no language-model server, so turns are the built-in interviewer's."""
    return {k: v for k, v in os.environ.items() if k not in {*ENV_VARS.values(), "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"}}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory, postgres) -> Iterator[ClassSet]:
    """Without nginx, starting fails saying how to install it (make test does)."""
    folder = tmp_path_factory.mktemp("class")
    running = ClassSet(postgres.url(postgres.new_schema()), folder, free_port(), [free_port(), free_port()],
                       serve=[sys.executable, str(LIGHT_REPLICA)], env=offline_env())
    with running:
        yield running


def through_proxy(classroom: ClassSet) -> Server:
    """The proxy as the UI tests' Server, so their Tab drives candidates through it."""
    return Server(classroom.url, DEFAULT_RUBRICS_DIR, classroom.db, classroom.folder / "downloads", classroom.stop)  # type: ignore[arg-type]


def served_for(classroom: ClassSet, route: str, since: int = 0) -> list[Served]:
    return [s for s in classroom.served()[since:] if s.route == route]


def stored_answers(db: str, owner: str | None = None, session_id: str | None = None) -> list[str]:
    """The candidate's turns the database holds, in the given session or else in its only one."""
    if owner is None or session_id is None:
        connect = psycopg.connect if db.startswith("postgres") else sqlite3.connect
        with closing(connect(db)) as conn:
            [(owner, session_id)] = conn.execute("SELECT owner, id FROM sessions").fetchall()
    store = open_store(db)
    try:
        return [turn.text for turn in store.load(owner, session_id).state.turns if turn.role == "candidate"]
    finally:
        getattr(store, "close", lambda: None)()
