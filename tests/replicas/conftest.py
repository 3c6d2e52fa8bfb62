"""Two app replicas sharing one SQLite file behind nginx, as deploy/run-class.sh starts them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.class_set import ClassSet, Served, find_nginx
from interviewer.llm.config import ENV_VARS
from interviewer.rubric import DEFAULT_RUBRICS_DIR
from ui.conftest import Server, free_port

LIGHT_REPLICA = Path(__file__).with_name("light_replica.py")
ROUTE_COOKIE = "interviewer_route"


def offline_env() -> dict[str, str]:
    """The replicas' environment: no language-model server, so turns are the built-in interviewer's."""
    return {k: v for k, v in os.environ.items() if k not in {*ENV_VARS.values(), "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"}}


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassSet]:
    try:
        find_nginx()
    except Exception as error:  # noqa: BLE001 - make test installs it; say how rather than erroring deep down
        pytest.fail(str(error))
    folder = tmp_path_factory.mktemp("class")
    running = ClassSet(str(folder / "sessions.sqlite3"), folder, free_port(), [free_port(), free_port()],
                       serve=[sys.executable, str(LIGHT_REPLICA)], env=offline_env())
    with running:
        yield running


def through_proxy(classroom: ClassSet) -> Server:
    """The proxy as the UI tests' Server, so their Tab drives candidates through it."""
    folder = Path(classroom.folder)
    return Server(classroom.url, DEFAULT_RUBRICS_DIR, Path(classroom.db), folder / "downloads", classroom.stop)


def served_for(classroom: ClassSet, route: str, since: int = 0) -> list[Served]:
    return [s for s in classroom.served()[since:] if s.route == route]
