"""Voice in a real browser with a fake microphone: hands-free turns ended by a pause, a thinking
pause that does not end one, barge-in, and a two-minute answer that arrives whole."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np
import pytest
import yaml
from playwright.sync_api import expect

from interviewer.speech import PiperSynthesizer

from .conftest import interview_with_microphone
from .interview_page import SLOW, bot_messages

UBER = "Uber driver ETA at ride request"
LONG_ANSWERS = yaml.safe_load((Path(__file__).parents[2] / "benchmarks" / "speech_set.yaml").read_text())["long_answers"]


@pytest.fixture(scope="module")
def voice() -> PiperSynthesizer:
    return PiperSynthesizer(variation=0, sentence_pause_seconds=0.5)


def recording(path: Path, voice: PiperSynthesizer, *parts: str | float) -> Path:
    """A WAV for the fake microphone: text is spoken, a number is that many seconds of silence."""
    rate = voice.sample_rate
    audio = [np.zeros(round(p * rate), np.int16) if isinstance(p, float) else voice.synthesize(p)[1] for p in parts]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.concatenate(audio).tobytes())
    return path


def candidate_messages(page):
    return page.locator("#chat .message-row.user-row")


def hands_free(page) -> None:
    page.locator("#hands-free input[type=checkbox]").check()
    expect(page.locator("#mic").get_by_role("button", name="Stop")).to_be_visible(timeout=SLOW)


def test_a_pause_ends_a_hands_free_answer(playwright_instance, chromium_path, app_url, voice, tmp_path):
    wav = recording(tmp_path / "a.wav", voice, 1.0, "I would predict the time to pickup with gradient boosting on traffic features.", 8.0)
    with interview_with_microphone(playwright_instance, chromium_path, app_url, UBER, wav) as page:
        before = bot_messages(page).count()
        hands_free(page)  # no button pressed after this: the pause ends the turn
        expect(candidate_messages(page)).to_have_count(1, timeout=SLOW)
        expect(candidate_messages(page).last).to_contain_text("traffic", ignore_case=True)
        expect(bot_messages(page)).to_have_count(before + 1, timeout=SLOW)


def test_a_thinking_pause_does_not_end_the_answer(playwright_instance, chromium_path, app_url, voice, tmp_path):
    wav = recording(tmp_path / "b.wav", voice, 1.0, "I would frame it as regression on the minutes to pickup, and", 2.5,
                    "then I would validate on later weeks than I train on.", 8.0)
    with interview_with_microphone(playwright_instance, chromium_path, app_url, UBER, wav) as page:
        hands_free(page)
        expect(candidate_messages(page)).to_have_count(1, timeout=SLOW)
        said = candidate_messages(page).last.inner_text().lower()
        assert "regression" in said and "later weeks" in said, said  # one answer, across the pause
        page.wait_for_timeout(3000)
        expect(candidate_messages(page)).to_have_count(1)


def test_speaking_over_the_interviewer_stops_its_voice(playwright_instance, chromium_path, app_url, voice, tmp_path):
    wav = recording(tmp_path / "c.wav", voice, 0.5, "Sorry, can I ask how much data we have?", 8.0)
    # Unmuted: the opening question is read aloud, sentence by sentence.
    with interview_with_microphone(playwright_instance, chromium_path, app_url, UBER, wav, mute=False) as page:
        page.wait_for_function("() => window.interviewerVoice && window.interviewerVoice.playing()", timeout=SLOW)
        hands_free(page)  # the candidate starts talking half a second later
        page.wait_for_function("() => window.interviewerVoice.stops > 0 && !window.interviewerVoice.playing()",
                               timeout=15_000)
        expect(candidate_messages(page)).to_have_count(1, timeout=SLOW)  # and what they said is their turn
        expect(candidate_messages(page).last).to_contain_text("data")


def test_a_two_minute_answer_arrives_whole(playwright_instance, chromium_path, app_url, voice, tmp_path):
    said = [a["text"] for a in LONG_ANSWERS if a["id"] in ("product-search-90s", "model-staleness-30s")]
    wav = recording(tmp_path / "d.wav", voice, 1.0, *said, 1.5)
    with wave.open(str(wav)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert seconds > 110
    with interview_with_microphone(playwright_instance, chromium_path, app_url, UBER, wav) as page:
        mic = page.locator("#mic")
        mic.get_by_role("button", name="Record").click()
        page.wait_for_timeout(round(seconds * 1000) + 500)
        mic.get_by_role("button", name="Stop").click()
        expect(candidate_messages(page)).to_have_count(1, timeout=SLOW)
        heard = words(candidate_messages(page).last.inner_text())
        expected = words(" ".join(said))
        assert len(set(expected) & set(heard)) >= 0.9 * len(set(expected))
        assert len(heard) >= 0.9 * len(expected)  # nothing lost along the way
        tail = " ".join(words(said[-1])[-6:])
        assert tail in " ".join(heard) or len(set(words(said[-1])[-6:]) & set(heard)) >= 4  # the end too


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())
