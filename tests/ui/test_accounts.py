"""A class behind Gradio's sign-in: candidates see only their own sessions through every endpoint,
coaches alone reach the Coach and Class tabs, and wrong passwords lock an account on every process."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from types import SimpleNamespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from interviewer.accounts import Accounts, SqliteAccounts
from interviewer.accounts.service import FREE_FAILURES
from interviewer.practice.records import PracticeError
from interviewer.store import SqliteStore
from interviewer.ui.access import REFUSED, Access

from .conftest import Server, Tab, final, start_server, text_of

PASSWORD = "correct horse battery"
SECRET = "ALICE-PRIVATE-31337"
ANSWER = f"I'd frame it as regression on minutes to pickup with a time-based split. {SECRET}"
# A candidate's rubric list stays empty, so Gradio itself refuses a rubric id; None reaches the handler.
COACH_ONLY = [("/grade_transcript", (None, ANSWER, None)), ("/run_examples", (None,)),
              ("/reload_bank", ()), ("/show_source", (None,)), ("/refresh", ()), ("/class_view", ())]

pytestmark = [pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"), pytest.mark.usefixtures("cheap_password_hashes")]


def add_accounts(db: Path, **roles: str) -> Accounts:
    accounts = Accounts(SqliteAccounts(db))
    for name, role in roles.items():
        accounts.add(name, role, PASSWORD)
    return accounts


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("class")
    db = root / "sessions.sqlite3"
    add_accounts(db, alice="candidate", bob="candidate", carol="coach", dave="candidate", erin="candidate")
    running = start_server(root, db)
    try:
        yield running
    finally:
        running.close()


def signed_in(server: Server, name: str, kept: dict[str, Any] | None = None) -> Tab:
    return Tab(server, kept, auth=(name, PASSWORD))


def sign_in(server: Server, name: str, password: str) -> int:
    return httpx.post(f"{server.url}login", data={"username": name, "password": password}).status_code


def refused(tab: Tab, api_name: str, *args: Any) -> str:
    with pytest.raises(AppError) as error:
        tab.client.predict(*args, api_name=api_name)
    return str(error.value)


@pytest.fixture(scope="module")
def alice_scored(classroom: Server) -> Tab:
    alice = signed_in(classroom, "alice")
    alice.start("uber-eta")
    alice.send(ANSWER)
    alice.end()
    return alice


def test_without_accounts_nobody_signs_in(server: Server) -> None:
    assert httpx.get(f"{server.url}config").status_code == 200
    assert httpx.get(f"{server.url}gradio_api/login_check").status_code == 200


def test_with_accounts_nothing_is_served_before_signing_in(classroom: Server) -> None:
    assert httpx.get(f"{classroom.url}config").status_code == 401
    assert httpx.get(f"{classroom.url}gradio_api/info").status_code == 401
    assert sign_in(classroom, "alice", "not her password") == 400
    assert sign_in(classroom, "nobody", PASSWORD) == 400
    assert sign_in(classroom, "alice", PASSWORD) == 200


def test_a_candidate_keeps_her_sessions_under_her_account(classroom: Server, alice_scored: Tab) -> None:
    assert [s.question_id for s in SqliteStore(classroom.db_path).list_sessions(["user:alice"])][-1] == "uber-eta"
    assert any("Uber" in row[1] for row in alice_scored.history())
    again = signed_in(classroom, "ALICE")  # another browser, same account: the same history
    assert any("Uber" in row[1] for row in again.history())


def test_another_candidate_reaches_none_of_her_sessions(classroom: Server, alice_scored: Tab) -> None:
    alice = signed_in(classroom, "alice")
    alice.start("uber-eta")
    alice.send(ANSWER)  # one open, one scored
    key = alice.kept["practice"]
    bob = signed_in(classroom, "bob", {"practice": key, "owner": "x" * 43})  # her key, a forged browser secret
    seen = [json.dumps(bob.resumed, default=str), json.dumps(bob.history())]
    for api_name in ("/take_turn", "/voice_turn", "/ask_hint", "/end_interview"):
        seen.append(json.dumps(bob.run(api_name, *(("hello",) if api_name == "/take_turn" else ())), default=str))
    seen.append(json.dumps(bob.controls(), default=str))
    seen.append(json.dumps(list(bob.client.submit(api_name="/speak_last_turn")), default=str))
    assert not any(SECRET in shown or "Uber" in shown for shown in seen)
    assert bob.history() == []
    assert ANSWER in [text_of(m) for m in final(signed_in(classroom, "alice", alice.kept).resumed, "chat")]


def test_her_open_page_stays_hers_even_to_someone_who_learns_its_id(classroom: Server) -> None:
    """Gradio keys a page's state by an id its client picks; signed in as bob, that id gives nothing."""
    alice = signed_in(classroom, "alice")
    alice.start("uber-eta")
    alice.send(ANSWER)
    bob = signed_in(classroom, "bob")
    bob.client.session_hash = alice.client.session_hash
    calls = [("/take_turn", ("hello",)), ("/ask_hint", ()), ("/skip_to_next", ()), ("/end_interview", ()),
             ("/voice_turn", ()), ("/controls", ()), ("/history_refresh", ()), ("/speak_last_turn", ()),
             ("/remember", (alice.kept, False)), ("/resume", (alice.kept,)), ("/start_interview", ("uber-eta",))]
    for api_name, args in calls:
        said = refused(bob, api_name, *args)
        assert "another sign-in" in said and SECRET not in said, api_name
    chat = [text_of(m) for m in final(signed_in(classroom, "alice", alice.kept).resumed, "chat")]
    assert ANSWER in chat and "hello" not in chat
    stored = SqliteStore(classroom.db_path).load("user:alice", alice.kept["practice"])
    assert stored.state.phase != "scored" and not stored.state.hints_given


@pytest.mark.parametrize(("api_name", "args"), COACH_ONLY)
def test_a_candidate_is_refused_every_coach_endpoint(classroom: Server, alice_scored: Tab, api_name: str, args: tuple) -> None:
    bob = signed_in(classroom, "bob")
    said = refused(bob, api_name, *args)
    assert REFUSED in said and SECRET not in said


def test_the_page_hides_the_coach_tabs_until_a_coach_signs_in(classroom: Server) -> None:
    with httpx.Client(base_url=classroom.url) as browser:
        browser.post("login", data={"username": "bob", "password": PASSWORD}).raise_for_status()
        config = browser.get("config").json()
    tabs = {c["props"]["label"]: c["props"].get("visible") for c in config["components"] if c.get("type") == "tabitem"}
    assert tabs["Interview"] is not False and tabs["Coach"] is False and tabs["Class"] is False
    accounts = add_accounts(Path(classroom.db_path).with_name("roles.sqlite3"), bob="candidate", carol="coach")
    access = Access(SimpleNamespace(accounts=accounts), signed_in=True)  # type: ignore[arg-type]
    shown = {name: access.coach_tabs(SimpleNamespace(username=name)) for name in ("bob", "carol", "gone")}  # type: ignore[arg-type]
    assert [[update["visible"] for update in shown[name]] for name in ("bob", "carol", "gone")] == [
        [False, False], [True, True], [False, False]]
    alone = Access(SimpleNamespace(accounts=accounts), signed_in=False)  # type: ignore[arg-type]
    assert [update["visible"] for update in alone.coach_tabs(SimpleNamespace(username=None))] == [True, False]  # type: ignore[arg-type]


def test_a_coach_sees_the_class(classroom: Server, alice_scored: Tab) -> None:
    bob = signed_in(classroom, "bob")
    bob.start("uber-eta")
    bob.send("I'd use a gradient boosted model.")
    bob.end()
    carol = signed_in(classroom, "carol")
    carol.client.predict(api_name="/refresh")  # the page fills the Coach tab's rubric list on load
    criteria, sessions = carol.client.predict(api_name="/class_view")
    candidates = {row[0] for row in sessions["data"]}
    assert {"alice", "bob"} <= candidates and "carol" not in candidates
    levels = [float(row[1]) for row in criteria["data"]]
    assert levels and levels == sorted(levels)
    assert "<p class=\"score\">" in carol.client.predict("uber-eta", ANSWER, None, api_name="/grade_transcript")


def test_a_removed_account_opens_nothing_with_its_old_sign_in(classroom: Server) -> None:
    erin = signed_in(classroom, "erin")
    erin.start("uber-eta")
    cookies = dict(erin.client.cookies)
    assert httpx.get(f"{classroom.url}config", cookies=cookies).status_code == 200
    Accounts(SqliteAccounts(classroom.db_path)).remove("erin")
    assert sign_in(classroom, "erin", PASSWORD) == 400
    # Her sign-in ended with the account: the page she has open, and any reload, are refused.
    assert httpx.get(f"{classroom.url}config", cookies=cookies).status_code == 401
    with pytest.raises(httpx.HTTPStatusError, match="401"):
        erin.run("/end_interview")


def test_wrong_passwords_lock_the_account_on_every_process(classroom: Server, tmp_path: Path) -> None:
    for _ in range(FREE_FAILURES):
        assert sign_in(classroom, "dave", "not the password") == 400
    assert sign_in(classroom, "dave", PASSWORD) == 400  # locked, even with the right password
    second = start_server(tmp_path, classroom.db_path)  # another replica on the same database
    try:
        assert sign_in(second, "dave", PASSWORD) == 400
        Accounts(SqliteAccounts(classroom.db_path)).reset("dave", PASSWORD)  # the coach lifts it
        assert sign_in(second, "dave", PASSWORD) == 200
    finally:
        second.close()


def test_a_sign_in_holds_on_another_process_on_the_same_database(classroom: Server, tmp_path: Path) -> None:
    """What a failover to another replica needs: the candidate's cookie still signs her in there."""
    second = start_server(tmp_path, classroom.db_path)
    try:
        with httpx.Client(base_url=classroom.url) as first_browser:
            first_browser.post("login", data={"username": "alice", "password": PASSWORD}).raise_for_status()
            cookies = dict(first_browser.cookies)
        [token] = {value for name, value in cookies.items() if name.startswith("access-token-")}  # and -unsecure-
        with closing(sqlite3.connect(classroom.db_path)) as db:
            kept = [row[0] for row in db.execute("SELECT token_hash FROM sign_ins")]
        assert hashlib.sha256(token.encode()).hexdigest() in kept and token not in kept  # a hash, never the token
        before = len(SqliteStore(classroom.db_path).list_sessions(["user:alice"]))
        with httpx.Client(base_url=second.url, cookies=cookies) as moved:
            assert moved.get("config").status_code == 200
            page = Client(second.url, verbose=False, httpx_kwargs={"cookies": cookies})
            page.predict(page.predict({}, api_name="/identify"), api_name="/initial_picker")
            page.submit("uber-eta", api_name="/start_interview").result(timeout=90)
            assert len(SqliteStore(classroom.db_path).list_sessions(["user:alice"])) == before + 1
            Accounts(SqliteAccounts(classroom.db_path)).reset("alice", PASSWORD)  # ends her sign-ins everywhere
            assert moved.get("config").status_code == 401
    finally:
        second.close()


def test_local_history_is_refused_with_accounts(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    add_accounts(db, alice="candidate")
    with pytest.raises(PracticeError, match="local-history"):
        start_server(tmp_path, db, local_history=True)
