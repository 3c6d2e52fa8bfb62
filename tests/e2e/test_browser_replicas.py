"""A real browser through nginx to two replicas: when the replica holding the page is SIGKILLed,
a reload lands on the other, which resumes the interview from the shared database."""

from __future__ import annotations

from playwright.sync_api import expect

from replicas.conftest import ROUTE_COOKIE, classroom, served_for, stored_answers  # noqa: F401 - classroom is a fixture
from .interview_page import SLOW, answer, open_app, pick_question, start

UBER = "Uber driver ETA at ride request"
ANSWERS = [
    "I'd frame it as regression on minutes to pickup, computed at request time.",
    "For features I'd use live segment speeds, time of day, weather and events near the pickup.",
    "I'd validate on later weeks than I train on and report mean absolute error.",
]


def replicas_of(classroom, route: str, since: int = 0) -> set[str]:  # noqa: F811
    return {s.replica for s in served_for(classroom, route, since)}


def test_a_reload_after_the_replica_dies_resumes_on_the_other(page, classroom):  # noqa: F811
    open_app(page, classroom.url)
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
    for text in ANSWERS[:2]:
        expect(page.locator("#chat")).to_contain_text(text, timeout=SLOW)
    answer(page, ANSWERS[2])
    assert replicas_of(classroom, route, since) == {other}
    assert stored_answers(classroom.db) == ANSWERS

