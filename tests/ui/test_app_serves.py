"""The app starts on a real port and lists the bank, broken files included."""

from __future__ import annotations

import shutil
import socket

import httpx
import pytest

from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def bank_dir(tmp_path):
    shutil.copytree(DEFAULT_RUBRICS_DIR, tmp_path / "rubrics")
    (tmp_path / "rubrics" / "broken.yaml").write_text("id: broken\ntitle: [\n")
    return tmp_path / "rubrics"


def test_bank_lists_valid_questions_and_reports_broken_files(bank_dir):
    from interviewer.ui.app import bank_rows, problems_markdown

    bank = RubricBank(bank_dir)
    ids = [row[0] for row in bank_rows(bank)]
    assert {"uber-eta", "youtube-recommendations", "fraud-detection"} <= set(ids)
    assert "broken" not in ids
    text = problems_markdown(bank)
    assert "1 problem in" in text and "broken.yaml:3:1: YAML syntax error" in text


def test_app_serves_its_page(bank_dir):
    from interviewer.ui.app import launch

    port = free_port()
    app = launch(bank_dir, port=port, block=False)
    try:
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
        assert page.status_code == 200
        assert "<!doctype html>" in page.text.lower()
        config = httpx.get(f"http://127.0.0.1:{port}/config", timeout=30).json()
        assert config["title"] == "ML mock interviewer"
        elem_ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
        assert {"question-bank", "coach-reload"} <= elem_ids
    finally:
        app.close()
