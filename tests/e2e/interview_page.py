"""What a person does on the Interview tab, as Playwright steps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

SLOW = 90_000  # ms: the first turn loads models on a 2-core machine


def bot_messages(page: Page):
    return page.locator("#chat .message-row.bot-row")


def open_app(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    expect(page.locator("#start-btn")).to_be_visible(timeout=SLOW)


def sign_in(page: Page, url: str, name: str, password: str) -> None:
    """Through Gradio's sign-in page."""
    page.goto(url, wait_until="load")
    page.get_by_label("username").fill(name)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def pick_question(page: Page, title: str) -> None:
    field = page.locator("#question-picker input")
    field.click()
    field.fill(title)
    page.get_by_role("option", name=title).first.click()


def start(page: Page, mute: bool = True) -> None:
    if mute:
        page.locator("#mute input[type=checkbox]").check()
    page.locator("#start-btn").click()
    expect(page.locator("#timer")).to_contain_text("Introduction", timeout=SLOW)


def answer(page: Page, text: str) -> str:
    """Send one turn with Enter and return the interviewer's reply."""
    before = bot_messages(page).count()
    box = page.locator("#answer-box textarea")
    box.fill(text)
    box.press("Enter")
    expect(bot_messages(page)).to_have_count(before + 1, timeout=SLOW)
    expect(box).to_have_value("", timeout=SLOW)
    return bot_messages(page).last.inner_text()
