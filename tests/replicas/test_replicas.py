"""Candidates reach replicas through nginx: spread by a cookie, kept on one replica for Gradio's
queue, and moved to another when theirs dies, resuming from the shared database with nothing lost.

nginx's access log names the replica that served each request, so no assertion holds by luck.
"""

from __future__ import annotations

import re
import time

import httpx

from replicas.conftest import ROUTE_COOKIE, served_for, stored_answers, through_proxy
from ui.conftest import Tab, final, text_of

QUESTION = "uber-eta"
ANSWERS = [
    "What exactly are we predicting, the ETA to pickup or the whole trip?",
    "I'd frame it as a regression on minutes until the driver reaches the pickup, made at request time.",
    "As a baseline I'd take the routing engine estimate and train gradient boosted trees on its residual.",
]


def candidate_lines(chat: list[dict]) -> list[str]:
    return [text_of(message) for message in chat if message["role"] == "user"]


def logged(classroom, route: str, since: int = 0, settle: float = 5.0):
    """The route's requests in the access log; a stream is logged once it has closed."""
    deadline = time.monotonic() + settle
    while not (found := served_for(classroom, route, since)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_visitors_are_spread_over_replicas_and_each_stays_on_its_own(classroom):
    replicas = {replica.address for replica in classroom.replicas}
    routes = {}
    for _ in range(24):
        first = httpx.get(f"{classroom.url}config")
        routes[first.cookies[ROUTE_COOKIE]] = first.headers["X-Interviewer-Replica"]
    assert set(routes.values()) == replicas  # 1 in 2**23 to fail by chance if routing were random
    for route, replica in list(routes.items())[:6]:
        again = {httpx.get(classroom.url, cookies={ROUTE_COOKIE: route}).headers["X-Interviewer-Replica"] for _ in range(4)}
        assert again == {replica}


def test_sign_in_attempts_from_one_address_are_slowed_after_a_classful(classroom):
    site = (classroom.folder / "site.conf").read_text()
    burst = int(re.search(r"zone=interviewer_sign_in burst=(\d+)", site)[1])
    rate = int(re.search(r"zone=interviewer_sign_in:\S+ rate=(\d+)r/s", site)[1])
    started = time.monotonic()
    with httpx.Client(base_url=classroom.url) as browser:
        codes = [browser.post("login", data={"username": f"guess{i}", "password": "x" * 12}).status_code
                 for i in range(burst + 50)]
        page = browser.get("").status_code
    # The burst lets a class behind one address in at once; beyond it, `rate` a second, and nginx
    # answers the others itself.
    let_through = burst + rate * (time.monotonic() - started) + 1
    assert 429 not in codes[:burst] and 429 in codes and len(codes) - codes.count(429) <= let_through and page == 200
    assert sum(s.path.startswith("/login") and s.status != 429 for s in classroom.served()) <= let_through


def test_a_candidate_whose_replica_is_killed_reloads_and_carries_on_on_the_other(classroom):
    server = through_proxy(classroom)
    tab = Tab(server)
    route = tab.client.cookies[ROUTE_COOKIE]  # gradio_client keeps the cookie nginx set on /config
    tab.start(QUESTION)
    session_id = tab.kept["practice"]
    for answer in ANSWERS[:2]:
        tab.send(answer)
    before = logged(classroom, route)
    assert {"/gradio_api/queue/join", "/gradio_api/queue/data"} <= {s.path.split("?")[0] for s in before}
    [theirs] = {s.replica for s in before}  # every request of the tab, the event streams included
    [other] = {replica.address for replica in classroom.replicas} - {theirs}

    classroom.kill(theirs)
    since = len(classroom.served())
    reloaded = Tab(server, kept=tab.kept, cookies={ROUTE_COOKIE: route})  # the same browser, reloading
    assert candidate_lines(final(reloaded.resumed, "chat")) == ANSWERS[:2]
    reloaded.send(ANSWERS[2])

    after = logged(classroom, route, since)
    assert after and {s.replica for s in after} == {other}
    assert any(theirs in s.upstreams for s in after)  # nginx tried the dead replica first, then moved on
    assert stored_answers(classroom.db, reloaded.owner, session_id) == ANSWERS
