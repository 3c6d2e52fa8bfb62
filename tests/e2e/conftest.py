"""A real app on a free port and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page

from interviewer.rubric import DEFAULT_RUBRICS_DIR

from .interview_page import open_app, pick_question, start

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    assert path, "Chromium is missing: run scripts/install-browser.sh (make test does it)"
    return path


@contextmanager
def light_app(db: Path) -> Iterator[str]:
    """The app on a free port with its sessions (and any accounts) in `db`; yields its URL."""
    from interviewer.llm.config import LLMSettings
    from interviewer.practice.setup import PracticeApp
    from interviewer.ui.app import launch

    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        # Embedding all ~7,000 rubric phrases at launch would compete with the browser for both
        # cores; load the model only, and let the few graded questions embed on first use.
        patch.setattr(PracticeApp, "warm_up", lambda app: app.service.graders.offline.warm_up([]))
        # Offline whatever the shell holds: module fixtures run before the one clearing OPENAI_*.
        app = launch(DEFAULT_RUBRICS_DIR, port=port, block=False, db_path=db, settings=LLMSettings.from_env({}))
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    with light_app(tmp_path_factory.mktemp("db") / "sessions.sqlite3") as url:
        yield url


@pytest.fixture(scope="module")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch_browser(playwright, chromium_path: str, extra_flags: list[str] | None = None):
    return playwright.chromium.launch(executable_path=chromium_path, args=[*CHROMIUM_FLAGS, *(extra_flags or [])])


@contextmanager
def interview_with_microphone(playwright, chromium_path: str, url: str, question: str, wav: Path,
                              loop: bool = False, mute: bool = True) -> Iterator[Page]:
    """A browser whose fake microphone plays `wav` (once, or over and over), on `question`, started."""
    flags = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}{'' if loop else '%noloop'}",
             "--autoplay-policy=no-user-gesture-required"]
    browser = launch_browser(playwright, chromium_path, flags)
    context = browser.new_context(permissions=["microphone"], viewport={"width": 1280, "height": 1400})
    try:
        page = context.new_page()
        open_app(page, url)
        pick_question(page, question)
        start(page, mute=mute)
        yield page
    finally:
        context.close()
        browser.close()


@pytest.fixture
def page(playwright_instance, chromium_path, tmp_path: Path):
    browser = launch_browser(playwright_instance, chromium_path)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1400})
    yield context.new_page()
    context.close()
    browser.close()
