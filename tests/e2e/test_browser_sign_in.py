"""A class in real browsers: Gradio's sign-in page, a candidate's page without the coach tabs, and a
coach who finds the candidate's session in the Class tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from interviewer.accounts import Accounts, SqliteAccounts

from .conftest import launch_browser, light_app
from .interview_page import SLOW, answer, pick_question, sign_in, start

PASSWORD = "correct horse battery"
UBER = "Uber driver ETA at ride request"

pytestmark = pytest.mark.usefixtures("cheap_password_hashes")


@pytest.fixture(scope="module")
def class_url(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("db") / "sessions.sqlite3"
    accounts = Accounts(SqliteAccounts(db))
    accounts.add("alice", "candidate", PASSWORD)
    accounts.add("carol", "coach", PASSWORD)
    with light_app(db) as url:
        yield url


@pytest.fixture
def browser_for(playwright_instance, chromium_path):  # type: ignore[no-untyped-def]
    """Pages in browsers of their own (no shared cookies), closed after the test."""
    browsers = []

    def new_page() -> Page:
        browsers.append(launch_browser(playwright_instance, chromium_path))
        return browsers[-1].new_context(viewport={"width": 1280, "height": 1400}).new_page()

    yield new_page
    for browser in browsers:
        browser.close()


def test_a_candidate_signs_in_and_a_coach_sees_her_session(page: Page, class_url: str, browser_for) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, class_url, "alice", "not her password")
    expect(page.get_by_text("Incorrect Credentials")).to_be_visible(timeout=SLOW)
    sign_in(page, class_url, "alice", PASSWORD)
    expect(page.locator("#start-btn")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("tab", name="History")).to_be_visible()
    expect(page.get_by_role("tab", name="Coach")).to_have_count(0)
    expect(page.get_by_role("tab", name="Class")).to_have_count(0)
    pick_question(page, UBER)
    start(page)
    answer(page, "I'd frame it as regression on minutes to pickup.")

    coach = browser_for()
    sign_in(coach, class_url, "carol", PASSWORD)
    expect(coach.get_by_role("tab", name="Coach")).to_be_visible(timeout=SLOW)
    coach.get_by_role("tab", name="Class").click()
    coach.locator("#class-refresh").click()
    expect(coach.locator("#class-sessions")).to_contain_text("alice", timeout=SLOW)
    expect(coach.locator("#class-sessions")).to_contain_text(UBER)
