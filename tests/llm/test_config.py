"""LLM settings: offline by default, local servers without a key, the key never shown."""

from __future__ import annotations

import argparse

import pytest

from interviewer.llm.config import LLMSettings, add_cli_arguments, settings_from_args
from interviewer.llm.errors import LLMConfigError

KEY = "sk-proj-abcdefghijklmnop0123456789"


def test_no_key_and_no_base_url_runs_offline():
    settings = LLMSettings.from_env({})

    assert not settings.is_configured
    assert settings.model == "gpt-4o-mini"


def test_a_base_url_without_a_key_is_a_local_server():
    settings = LLMSettings.from_env(
        {"OPENAI_BASE_URL": "http://localhost:11434/v1/", "INTERVIEWER_MODEL": "llama3.1:8b"}
    )

    assert settings.is_configured
    assert settings.api_key is None
    assert settings.base_url == "http://localhost:11434/v1"
    assert not settings.is_openai
    assert settings.model == "llama3.1:8b"


def test_a_key_alone_means_openai():
    settings = LLMSettings.from_env({"OPENAI_API_KEY": KEY})

    assert settings.is_configured and settings.is_openai
    assert settings.effective_base_url == "https://api.openai.com/v1"


def test_empty_variables_count_as_unset():
    settings = LLMSettings.from_env({"OPENAI_API_KEY": "", "OPENAI_BASE_URL": "  ", "INTERVIEWER_MODEL": ""})

    assert not settings.is_configured and settings.model == "gpt-4o-mini"


def test_offline_wins_over_a_configured_server():
    settings = LLMSettings.from_env({"OPENAI_API_KEY": KEY, "INTERVIEWER_OFFLINE": "1"})

    assert not settings.is_configured


def test_the_grader_model_is_separate_and_defaults_to_the_interviewer_model():
    both = LLMSettings.from_env(
        {"OPENAI_API_KEY": KEY, "INTERVIEWER_MODEL": "gpt-4o-mini", "INTERVIEWER_GRADER_MODEL": "gpt-4.1"}
    )
    one = LLMSettings.from_env({"OPENAI_API_KEY": KEY, "INTERVIEWER_MODEL": "gpt-4o-mini"})

    assert both.for_grader().model == "gpt-4.1" and both.model == "gpt-4o-mini"
    assert one.for_grader().model == "gpt-4o-mini"


def test_numbers_are_read_from_the_environment():
    settings = LLMSettings.from_env(
        {
            "INTERVIEWER_LLM_TIMEOUT": "120",
            "INTERVIEWER_CONTEXT_WINDOW": "4096",
            "INTERVIEWER_PRICE_INPUT_PER_MTOK": "0.5",
        }
    )

    assert (settings.timeout_seconds, settings.context_window, settings.price_input_per_mtok) == (120.0, 4096, 0.5)


def test_the_key_never_appears_in_repr_str_or_json():
    settings = LLMSettings.from_env({"OPENAI_API_KEY": KEY})

    assert KEY not in repr(settings)
    assert KEY not in str(settings)
    assert KEY not in settings.model_dump_json()
    assert settings.api_key is not None and settings.api_key.get_secret_value() == KEY


def test_a_bad_value_names_the_variable():
    with pytest.raises(LLMConfigError, match="INTERVIEWER_LLM_TIMEOUT='soon'"):
        LLMSettings.from_env({"INTERVIEWER_LLM_TIMEOUT": "soon"})


def test_a_base_url_that_is_not_a_url_is_explained():
    with pytest.raises(LLMConfigError, match=r"OPENAI_BASE_URL=.*http"):
        LLMSettings.from_env({"OPENAI_BASE_URL": "localhost:8080"})


def test_a_bad_yes_no_value_is_explained():
    with pytest.raises(LLMConfigError, match="INTERVIEWER_OFFLINE='maybe'"):
        LLMSettings.from_env({"INTERVIEWER_OFFLINE": "maybe"})


def test_cli_flags_override_the_environment():
    parser = argparse.ArgumentParser()
    add_cli_arguments(parser)
    args = parser.parse_args(["--model", "qwen2.5:7b", "--base-url", "http://gpu-box:8000/v1", "--llm-timeout", "90"])

    settings = settings_from_args(
        args, {"INTERVIEWER_MODEL": "llama3.1:8b", "OPENAI_BASE_URL": "http://localhost:11434/v1"}
    )

    assert (settings.model, settings.base_url, settings.timeout_seconds) == (
        "qwen2.5:7b",
        "http://gpu-box:8000/v1",
        90.0,
    )


def test_absent_cli_flags_leave_the_environment_alone():
    parser = argparse.ArgumentParser()
    add_cli_arguments(parser)

    settings = settings_from_args(
        parser.parse_args([]), {"INTERVIEWER_MODEL": "llama3.1:8b", "INTERVIEWER_OFFLINE": "1"}
    )

    assert settings.model == "llama3.1:8b" and settings.offline


def test_there_is_no_api_key_flag():
    parser = argparse.ArgumentParser()
    add_cli_arguments(parser)

    with pytest.raises(SystemExit):
        parser.parse_args(["--api-key", KEY])
