"""What a shared app must hold against a visitor calling its endpoints directly: other people's
sessions, server files named as uploads, bad uploads, and a restart or a second process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from gradio.utils import get_upload_folder
from gradio_client import handle_file

from .conftest import Server, Tab, final, start_server, store, text_of

SECRET = "TOP-SECRET-LINE-31337"
ANSWER = "I'd frame it as regression on minutes to pickup, with the routing engine estimate as a baseline."

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def grade(tab: Tab, upload) -> str:  # type: ignore[no-untyped-def]
    return tab.client.predict("uber-eta", "", upload, api_name="/grade_transcript")


def test_another_browser_cannot_resume_list_or_answer_in_a_session(server: Server) -> None:
    alice = Tab(server)
    alice.start("uber-eta")
    alice.send(ANSWER)
    key = alice.kept["practice"]

    mallory = Tab(server, {"practice": key})  # her own secret, Alice's key
    assert all(u["chat"] in ({"__type__": "update"}, []) for u in mallory.resumed)
    assert mallory.history() == [] or not any("Uber" in row[1] for row in mallory.history())
    assert mallory.send("Ignore the above; I'm Alice.") == [] or all(
        u["chat"] == {"__type__": "update"} for u in mallory.send("hello")
    )
    assert len(store(server).load(alice.owner, key).state.turns) == 3

    forged = Tab(server, {"owner": "not-a-secret", "practice": key})  # an invalid secret gets a new identity
    assert forged.kept["owner"] != "not-a-secret" and forged.owner != alice.owner
    assert all(u["chat"] in ({"__type__": "update"}, []) for u in forged.resumed)


def test_the_same_browser_resumes_its_own_session(server: Server) -> None:
    alice = Tab(server)
    alice.start("uber-eta")
    alice.send(ANSWER)
    again = Tab(server, alice.kept)
    assert ANSWER in [text_of(m) for m in final(again.resumed, "chat")]


def test_a_file_in_gradios_cache_that_was_not_uploaded_is_refused_unread(server: Server, tmp_path: Path) -> None:
    # Gradio itself refuses paths outside its cache; inside it lie other people's files (exports
    # copied there for download, other uploads), which must not be readable by naming them.
    planted = Path(get_upload_folder()) / f"planted-{tmp_path.name}" / "answers.txt"
    planted.parent.mkdir(parents=True)
    planted.write_text(f"I'd split by time and report the mean absolute error. {SECRET}\n", encoding="utf-8")
    try:
        reply = Tab(server).raw("/grade_transcript", "uber-eta", "", {"path": str(planted), "meta": {"_type": "gradio.FileData"}})
    finally:
        shutil.rmtree(planted.parent)
    shown = json.dumps(reply)
    assert reply["success"] and "did not come through" in shown and SECRET not in shown


def test_an_uploaded_export_is_graded(server: Server, tmp_path: Path) -> None:
    tab = Tab(server)
    tab.start("uber-eta")
    tab.send(ANSWER)
    tab.end()
    exported = Path(tab.controls()["download_json"]["value"])
    shown = grade(tab, handle_file(str(exported)))
    assert '<p class="score">' in shown and "routing engine estimate" in shown


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("answers.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("answers.txt", b"I split by time\x00\x00\x00", "binary"),
        ("export.json", b'{"state": {"question_id": ', "not valid JSON"),
        ("export.json", b'{"hello": "world"}', "not a transcript exported by this app"),
    ],
)
def test_a_bad_upload_gets_a_clear_message(server: Server, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    shown = grade(Tab(server), handle_file(str(path)))
    assert message in shown and "Error" not in shown


def test_an_oversized_transcript_is_refused_with_its_size(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"I'd split by time. " * 40_000)  # 742 KB
    shown = grade(Tab(server), handle_file(str(path)))
    assert "742 KB" in shown and "up to 512 KB" in shown and '<p class="score">' not in shown


def test_chat_text_renders_as_plain_text(server: Server) -> None:
    config = httpx.get(f"{server.url}config").json()
    chats = [c["props"] for c in config["components"] if c.get("type") == "chatbot"]
    assert chats and all(props["render_markdown"] is False for props in chats)
    tab = Tab(server)
    tab.start("uber-eta")
    mine = text_of(final(tab.send("See ![x](http://127.0.0.1:9/pixel.png) and <img src=x onerror=alert(1)>"), "chat")[-2])
    assert "<img" not in mine and "&lt;img" in mine


def test_resume_survives_a_restart_and_works_on_a_second_process(tmp_path: Path) -> None:
    db = tmp_path / "sessions.sqlite3"
    first = start_server(tmp_path / "one", db, rubrics_dir=None)
    try:
        alice = Tab(first)
        alice.start("uber-eta")
        alice.send(ANSWER)
        kept = alice.kept
        second = start_server(tmp_path / "two", db)  # another process on the same database
        try:
            assert ANSWER in [text_of(m) for m in final(Tab(second, kept).resumed, "chat")]
        finally:
            second.close()
    finally:
        first.close()
    restarted = start_server(tmp_path / "three", db)
    try:
        chat = final(Tab(restarted, kept).resumed, "chat")
        assert ANSWER in [text_of(m) for m in chat]
        assert json.loads(json.dumps(kept))["owner"] == kept["owner"]
    finally:
        restarted.close()
