"""Every LLM error has a public sentence: short, with no URL, no server text and no key."""

from __future__ import annotations

import inspect
import re

import pytest

from interviewer.llm import errors
from interviewer.llm.errors import LLMError

ERROR_CLASSES = sorted(
    (c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, LLMError)), key=lambda c: c.__name__
)


def test_the_base_class_has_a_generic_sentence():
    assert LLMError("anything at http://llm.test/v1 with sk-abcdefghijklmnop0123").public == (
        "the language-model server could not be used"
    )


@pytest.mark.parametrize("error_class", [c for c in ERROR_CLASSES if c is not LLMError], ids=lambda c: c.__name__)
def test_each_error_says_its_own_public_sentence(error_class):
    assert "public" in vars(error_class), f"{error_class.__name__} inherits its public sentence"
    assert error_class.public != LLMError.public


@pytest.mark.parametrize("error_class", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_public_sentences_are_short_and_hold_nothing_from_a_server(error_class):
    public = error_class.public

    assert 10 < len(public) <= 80
    assert not re.search(r"https?://|sk-|bearer|\{|OPENAI_|INTERVIEWER_", public, re.IGNORECASE)
    assert public[0].islower() and not public.endswith("."), "a clause, to fit into the app's own sentences"


def test_public_does_not_change_with_what_the_server_said():
    error = errors.AuthenticationFailed("http://llm.test/v1", 401, "Incorrect API key: sk-abcdefghijklmnop0123")

    assert error.public == "the language-model server rejected the API key"
