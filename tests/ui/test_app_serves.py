"""The app starts on a real port, serves its page with the contract's element ids, and
reports broken rubric files without losing the valid ones."""

from __future__ import annotations

import shutil
import socket

import httpx
import pytest

from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank

CONTRACT_IDS = {
    "question-picker", "start-btn", "chat", "answer-box", "send-btn", "mic", "hint-btn", "end-btn",
    "scorecard", "download-md", "download-json", "download-html", "history-table", "coach-reload",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def bank_dir(tmp_path):
    shutil.copytree(DEFAULT_RUBRICS_DIR, tmp_path / "rubrics")
    (tmp_path / "rubrics" / "broken.yaml").write_text("id: broken\ntitle: [\n")
    return tmp_path / "rubrics"


def test_broken_rubric_is_reported_and_the_rest_load(bank_dir):
    from interviewer.ui.app import problems_markdown

    bank = RubricBank(bank_dir)
    assert {"uber-eta", "youtube-recommendations", "fraud-detection"} <= set(bank.rubrics)
    assert "broken" not in bank.rubrics
    assert problems_markdown(bank) == "⚠ 1 problem in the rubric files (see the Coach tab); the other questions are available."
    # A candidate has no Coach tab to look in.
    assert problems_markdown(bank, coach=False) == "⚠ 1 problem in the rubric files; the other questions are available."


def test_app_serves_its_page_with_the_contract_ids(bank_dir, tmp_path):
    from interviewer.ui.app import launch
    from interviewer.practice.setup import PracticeApp

    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PracticeApp, "warm_up", lambda app: None)  # this test never grades
        app = launch(bank_dir, port=port, block=False, db_path=tmp_path / "sessions.sqlite3")
    try:
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200
        config = httpx.get(f"http://127.0.0.1:{port}/config", timeout=30).json()
        assert config["title"] == "ML mock interviewer"
        elem_ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert CONTRACT_IDS <= elem_ids
    finally:
        app.close()
