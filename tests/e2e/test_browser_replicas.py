"""A real browser through nginx to two replicas of a class with accounts: when the replica holding
the page is SIGKILLed, a reload lands on the other, where the candidate is still signed in and the
interview resumes from the shared database."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from deploy.class_set import ClassSet
from interviewer.accounts import Accounts, account_store_for
from interviewer.store import open_store
from replicas.conftest import LIGHT_REPLICA, ROUTE_COOKIE, offline_env, served_for, stored_answers
from ui.conftest import free_port

from .interview_page import SLOW, answer, pick_question, sign_in, start

UBER = "Uber driver ETA at ride request"
PASSWORD = "correct horse battery"
ANSWERS = [
    "I'd frame it as regression on minutes to pickup, computed at request time.",
    "For features I'd use live segment speeds, time of day, weather and events near the pickup.",
    "I'd validate on later weeks than I train on and report mean absolute error.",
]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory, postgres) -> Iterator[ClassSet]:
    url = postgres.url(postgres.new_schema())
    store = open_store(url)
    Accounts(account_store_for(store)).add("alice", "candidate", PASSWORD)  # before the replicas read them
    store.close()
    running = ClassSet(url, tmp_path_factory.mktemp("class"), free_port(), [free_port(), free_port()],
                       serve=[sys.executable, str(LIGHT_REPLICA)], env=offline_env())
    with running:
        yield running


def replicas_of(classroom: ClassSet, route: str, since: int = 0) -> set[str]:
    return {s.replica for s in served_for(classroom, route, since)}


def test_a_reload_after_the_replica_dies_resumes_on_the_other_still_signed_in(page, classroom):
    sign_in(page, classroom.url, "alice", PASSWORD)
    expect(page.locator("#start-btn")).to_be_visible(timeout=SLOW)
    pick_question(page, UBER)
    start(page)
    for text in ANSWERS[:2]:
        answer(page, text)
    route = next(c["value"] for c in page.context.cookies() if c["name"] == ROUTE_COOKIE)
    [theirs] = replicas_of(classroom, route)  # the page, its uploads and its event streams: one replica
    [other] = {replica.address for replica in classroom.replicas} - {theirs}

    classroom.kill(theirs)
    since = len(classroom.served())
    page.reload(wait_until="load")
    for text in ANSWERS[:2]:  # no sign-in page: the other replica knows her sign-in
        expect(page.locator("#chat")).to_contain_text(text, timeout=SLOW)
    answer(page, ANSWERS[2])
    assert replicas_of(classroom, route, since) == {other}
    assert stored_answers(classroom.db) == ANSWERS
