"""Whole interviews in a real browser: typed, spoken through a fake microphone, and refreshed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from .conftest import interview_with_microphone
from .interview_page import SLOW, answer, bot_messages, open_app, pick_question, start

UBER = "Uber driver ETA at ride request"
ANSWERS = [
    "I'd frame it as regression on minutes to pickup, computed at request time, with the routing engine estimate as the baseline.",
    "For features I'd use live segment speeds, time of day, weather and events near the pickup.",
    "<script>alert(1)</script> I'd validate on later weeks than I train on and report mean absolute error.",
]


def test_whole_offline_interview_with_follow_ups_scorecard_and_downloads(page, app_url, tmp_path):
    open_app(page, app_url)
    pick_question(page, UBER)
    start(page)
    expect(bot_messages(page).first).to_contain_text("predicts how long that driver will take")
    replies = [answer(page, text) for text in ANSWERS]
    assert any(reply.strip().endswith("?") for reply in replies), replies  # the interviewer probed
    expect(page.locator("#chat")).to_contain_text("<script>alert(1)</script>")  # shown as text

    page.locator("#end-btn").click()
    card = page.locator("#scorecard")
    expect(card.locator(".score")).to_be_visible(timeout=SLOW)
    expect(card).to_contain_text("Level per criterion")
    expect(card).to_contain_text(re.compile(r"A level \d answer:"))

    downloaded = {}
    for fmt in ("md", "json", "html"):
        with page.expect_download(timeout=SLOW) as info:
            page.locator(f"#download-{fmt}").click()
        path = tmp_path / f"export.{fmt}"
        info.value.save_as(path)
        downloaded[fmt] = path.read_text(encoding="utf-8")
    document = json.loads(downloaded["json"])
    assert (document["rubric"]["id"], document["rubric"]["version"]) == ("uber-eta", 1)
    assert "I'd validate on later weeks" in downloaded["md"] and "<script>" not in downloaded["md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in downloaded["html"] and "<script>" not in downloaded["html"]
    assert document["scorecard"]["question_id"] == "uber-eta"


def test_refresh_mid_interview_keeps_the_session(page, app_url):
    open_app(page, app_url)
    pick_question(page, UBER)
    start(page)
    answer(page, ANSWERS[0])
    turns_before = bot_messages(page).count()
    page.reload(wait_until="load")
    expect(page.locator("#chat")).to_contain_text("regression on minutes to pickup", timeout=SLOW)
    expect(bot_messages(page)).to_have_count(turns_before, timeout=SLOW)
    expect(page.locator("#timer")).to_contain_text("Discussion", timeout=SLOW)
    reply = answer(page, ANSWERS[1])  # and the interview goes on
    assert reply


@pytest.fixture(scope="module")
def spoken_answer(tmp_path_factory) -> Path:
    """A WAV of a spoken answer, made with the offline voice, for Chromium's fake microphone.
    Without variation: piper's default noise makes every take different, and some are misheard."""
    import wave

    from interviewer.speech import PiperSynthesizer

    rate, samples = PiperSynthesizer(variation=0).synthesize("I would predict the time to pickup with gradient boosting on traffic features.")
    silence = np.zeros(rate, dtype=np.int16)
    path = tmp_path_factory.mktemp("audio") / "answer.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.concatenate([silence, samples, silence]).tobytes())
    return path


def test_spoken_answer_is_transcribed_into_the_chat(playwright_instance, chromium_path, app_url, spoken_answer):
    with interview_with_microphone(playwright_instance, chromium_path, app_url, UBER, spoken_answer, loop=True) as page:
        before = bot_messages(page).count()
        mic = page.locator("#mic")
        mic.get_by_role("button", name="Record").click()
        page.wait_for_timeout(7000)  # the clip is about five seconds long
        mic.get_by_role("button", name="Stop").click()
        spoken = page.locator("#chat .message-row.user-row").last
        expect(spoken).to_contain_text("traffic", ignore_case=True, timeout=SLOW)  # "Traffic" under load
        expect(bot_messages(page)).to_have_count(before + 1, timeout=SLOW)
        heard = page.locator("#heard textarea").input_value()
        assert spoken.inner_text().strip() == heard.strip()  # what was heard is the answer, word for word
        # Words, not spellings: one CI run heard "gradient boosting" as "Grady at boosting".
        assert {"predict", "boosting", "traffic"} <= set(heard.lower().replace(".", "").split()), heard
