"""Scrubbing: text from a server loses keys, tokens and URLs before it is logged or shown."""

from __future__ import annotations

import pytest

from interviewer.llm.scrub import redact_secrets, scrub

KEY = "my-own-local-key-1234"


def test_the_configured_key_is_removed_wherever_it_stands():
    text = f"Incorrect API key provided: {KEY}. The key {KEY}was rejected."

    assert scrub(text, [KEY]) == "Incorrect API key provided: <redacted>. The key <redacted>was rejected."


@pytest.mark.parametrize(
    "token",
    ["sk-proj-abcdefghijklmnop0123456789", "sk-abc1**************************xyz9", "sk-live-0123456789abcdef"],
)
def test_anything_shaped_like_an_openai_key_is_removed_even_when_not_configured(token):
    assert "sk-" + "<redacted>" in scrub(f"key {token} is invalid", [])
    assert token not in scrub(f"key {token} is invalid", [])


def test_bearer_tokens_are_removed():
    text = 'header was "Authorization: Bearer abc.def-123"'

    assert scrub(text, []) == 'header was "Authorization: Bearer <redacted>"'


def test_urls_become_server():
    text = "See https://platform.openai.com/account/api-keys or http://user:pw@proxy.local:8080/login?token=x."

    assert scrub(text, []) == "See [server] or [server]."


def test_ordinary_words_survive():
    text = "the task-scheduler and sk-learn are fine; so is a bearer of news"

    assert scrub(text, ["", "  ", "abc"]) == "the task-scheduler and sk-learn are fine; so is a bearer of news"


def test_a_secret_containing_another_is_removed_whole():
    assert redact_secrets("key=abcdef-longer", ["abcdef", "abcdef-longer"]) == "key=<redacted>"


def test_redaction_keeps_urls_for_recordings():
    assert redact_secrets("see http://localhost:8080/v1", []) == "see http://localhost:8080/v1"
