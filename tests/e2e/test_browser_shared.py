"""The app shared by several people, in real browsers: a restart keeps everyone's interview, two
browsers never see each other's sessions, and typed Markdown stays inert text."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from .conftest import free_port, launch_browser
from .interview_page import SLOW, answer, bot_messages, open_app, pick_question, start

UBER = "Uber driver ETA at ride request"
FRAUD = "Bank card fraud detection with SMS approve/deny"
FIRST = "I'd frame it as regression on minutes to pickup, computed at request time."


def serve(port: int, db: Path) -> subprocess.Popen:
    """The app in its own process, as `interviewer serve` runs it."""
    command = [sys.executable, "-m", "interviewer.cli", "serve", "--port", str(port), "--db", str(db)]
    server = subprocess.Popen(command, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the app exited before serving"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    raise TimeoutError("the app did not serve within 120 s")


def stop(server: subprocess.Popen) -> None:
    server.kill()  # no clean shutdown: as if the machine lost the process
    server.wait(timeout=30)


def test_a_restart_resumes_the_interview_on_reload(playwright_instance, chromium_path, tmp_path):
    port, db = free_port(), tmp_path / "sessions.sqlite3"
    url = f"http://127.0.0.1:{port}/"
    browser = launch_browser(playwright_instance, chromium_path)
    page = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    server = serve(port, db)
    try:
        open_app(page, url)
        pick_question(page, UBER)
        start(page)
        answer(page, FIRST)
        turns = bot_messages(page).count()
        stop(server)
        server = serve(port, db)
        page.reload(wait_until="load")
        expect(page.locator("#chat")).to_contain_text("regression on minutes to pickup", timeout=SLOW)
        expect(bot_messages(page)).to_have_count(turns, timeout=SLOW)
        expect(page.locator("#question-picker input")).to_have_value(UBER + " (case-study, medium, 40 min)", timeout=SLOW)
        assert answer(page, "For features I'd use live segment speeds and the time of day.")
    finally:
        stop(server)
        browser.close()


def test_two_browsers_never_see_each_others_sessions(playwright_instance, chromium_path, app_url):
    browser = launch_browser(playwright_instance, chromium_path)
    alice, bob = (browser.new_context(viewport={"width": 1280, "height": 1400}).new_page() for _ in range(2))
    try:
        open_app(alice, app_url)
        pick_question(alice, FRAUD)
        start(alice)
        answer(alice, "I'd treat it as imbalanced binary classification, scored at authorisation time.")

        open_app(bob, app_url)
        expect(bob.locator("#timer")).to_contain_text("Pick a question")  # nothing resumed
        expect(bob.locator("#chat")).not_to_contain_text("imbalanced binary classification")
        bob.get_by_role("tab", name="History").click()
        bob.locator("#history-refresh").click()
        expect(bob.locator("#history-table")).not_to_contain_text("fraud", ignore_case=True, timeout=SLOW)

        alice.get_by_role("tab", name="History").click()
        alice.locator("#history-refresh").click()
        expect(alice.locator("#history-table")).to_contain_text("fraud", ignore_case=True, timeout=SLOW)
    finally:
        browser.close()


class Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        Counter.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tracker():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Counter.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_typed_markdown_and_html_stay_text_and_fetch_nothing(page, app_url, tracker):
    typed = f"See ![chart]({tracker}/pixel.png) and [my notes]({tracker}/notes) <img src='{tracker}/tag.png'> **bold**"
    open_app(page, app_url)
    pick_question(page, UBER)
    start(page)
    answer(page, typed)
    mine = page.locator("#chat .message-row.user-row").last
    expect(mine).to_have_text(typed)
    assert mine.locator("img, a").count() == 0
    page.get_by_role("tab", name="History").click()
    page.locator("#history-refresh").click()
    page.locator("#history-table").get_by_text(UBER).filter(visible=True).first.click()
    expect(page.locator("#history-chat")).to_contain_text("**bold**", timeout=SLOW)
    assert page.locator("#history-chat img, #history-chat a").count() == 0
    page.wait_for_timeout(500)
    assert Counter.hits == []
