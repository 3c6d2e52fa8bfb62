"""LLM settings from environment variables and CLI flags.

With neither OPENAI_API_KEY nor OPENAI_BASE_URL the app runs offline. A base URL without a
key is a local server (Ollama, vLLM, llama.cpp, LM Studio). The key is a `SecretStr`, so
neither `repr`, `str` nor a JSON dump of the settings ever shows it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from interviewer.llm.errors import LLMConfigError, RealClientForbidden

OPENAI_BASE_URL = "https://api.openai.com/v1"

# When set (tests/conftest.py sets it), building a real client raises RealClientForbidden with
# the variable's value as the message. An environment variable, not a flag in a module, so
# that it also guards an app a test starts in a subprocess.
FORBID_REAL_CLIENT_ENV = "INTERVIEWER_FORBID_REAL_LLM_CLIENT"
DEFAULT_MODEL = "gpt-4o-mini"

# Setting name -> environment variable. Also the order the README documents them in.
ENV_VARS: dict[str, str] = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "INTERVIEWER_MODEL",
    "grader_model": "INTERVIEWER_GRADER_MODEL",
    "offline": "INTERVIEWER_OFFLINE",
    "timeout_seconds": "INTERVIEWER_LLM_TIMEOUT",
    "first_words_seconds": "INTERVIEWER_FIRST_WORDS_TIMEOUT",
    "max_retries": "INTERVIEWER_LLM_MAX_RETRIES",
    "context_window": "INTERVIEWER_CONTEXT_WINDOW",
    "price_input_per_mtok": "INTERVIEWER_PRICE_INPUT_PER_MTOK",
    "price_output_per_mtok": "INTERVIEWER_PRICE_OUTPUT_PER_MTOK",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class LLMSettings(BaseModel):
    """How to reach a language model. Build with `LLMSettings.from_env()`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    api_key: SecretStr | None = Field(default=None, description="API key; never printed.")
    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint ending in /v1; None means OpenAI itself."
    )
    model: str = Field(default=DEFAULT_MODEL, min_length=1, description="Model for the interviewer's voice.")
    grader_model: str | None = Field(default=None, description="Model for grading; the interviewer's model when unset.")
    offline: bool = Field(default=False, description="Force offline mode even when a server is configured.")
    timeout_seconds: float = Field(default=60.0, gt=0, description="Seconds to wait for each request.")
    first_words_seconds: float = Field(
        default=4.0, gt=0, description="Seconds a turn waits for the model's first words before the built-in voice speaks."
    )
    max_retries: int = Field(default=2, ge=0, le=10, description="Retries on 408/409/429/5xx and lost connections.")
    context_window: int | None = Field(
        default=None, gt=0, description="Context window in tokens; guessed from the model name when unset."
    )
    price_input_per_mtok: float | None = Field(
        default=None, ge=0, description="USD per million input tokens; built-in table or zero when unset."
    )
    price_output_per_mtok: float | None = Field(
        default=None, ge=0, description="USD per million output tokens; built-in table or zero when unset."
    )

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL such as http://localhost:8080/v1")
        return value.rstrip("/")

    @field_validator("api_key")
    @classmethod
    def _blank_key_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value().strip() else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> LLMSettings:
        """Read the environment, then apply overrides (CLI flags); None overrides are ignored.

        Empty variables count as unset, as docker-compose and .env files often leave them.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in ENV_VARS.items():
            raw = environ.get(var, "").strip()
            if raw:
                values[name] = _parse(name, var, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as error:
            raise LLMConfigError(_explain(error)) from None

    @property
    def is_configured(self) -> bool:
        """True when a server should be used: a key or a base URL, and not forced offline."""
        return not self.offline and (self.api_key is not None or self.base_url is not None)

    @property
    def effective_base_url(self) -> str:
        return self.base_url or OPENAI_BASE_URL

    @property
    def is_openai(self) -> bool:
        """True for OpenAI's own API, whose prices are known; local servers cost nothing."""
        return urlsplit(self.effective_base_url).hostname == "api.openai.com"

    @property
    def effective_grader_model(self) -> str:
        return self.grader_model or self.model

    def for_grader(self) -> LLMSettings:
        """The same server, asking the grader model."""
        return self.model_copy(update={"model": self.effective_grader_model})


def require_server(settings: LLMSettings, missing: str, offline_fallback: str) -> None:
    """Raise before any real client is built: in tests without an explicit opt-in, or with no server."""
    forbidden = os.environ.get(FORBID_REAL_CLIENT_ENV)
    if forbidden:
        raise RealClientForbidden(forbidden)
    if not settings.is_configured:
        raise LLMConfigError(
            f"{missing}: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a local server "
            f"(and unset INTERVIEWER_OFFLINE). {offline_fallback}"
        )


def add_cli_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the LLM flags to a CLI. There is deliberately no --api-key: a key on the command
    line is visible to every user of the machine in `ps`; use OPENAI_API_KEY."""
    group = parser.add_argument_group("language model (all optional; offline without a server)")
    group.add_argument("--base-url", help="OpenAI-compatible server URL ending in /v1 [OPENAI_BASE_URL]")
    group.add_argument("--model", help=f"model for the interviewer [INTERVIEWER_MODEL, default {DEFAULT_MODEL}]")
    group.add_argument("--grader-model", help="model for grading [INTERVIEWER_GRADER_MODEL]")
    group.add_argument("--offline", action="store_true", default=None, help="ignore any configured server")
    group.add_argument(
        "--llm-timeout", type=float, dest="timeout_seconds", help="seconds per request [INTERVIEWER_LLM_TIMEOUT]"
    )
    group.add_argument("--context-window", type=int, help="model context window in tokens [INTERVIEWER_CONTEXT_WINDOW]")


def settings_from_args(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> LLMSettings:
    """Settings from the environment, with the flags `add_cli_arguments` added taking precedence."""
    names = ("base_url", "model", "grader_model", "offline", "timeout_seconds", "context_window")
    return LLMSettings.from_env(environ, **{name: getattr(args, name, None) for name in names})


def _parse(name: str, var: str, raw: str) -> Any:
    field = LLMSettings.model_fields[name]
    if field.annotation in (bool, "bool"):
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise LLMConfigError(f"{var}={raw!r} is not a yes/no value; use 1 or 0.")
    return raw  # pydantic converts numbers; _explain names the variable if it cannot


def _explain(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "?"
        var = ENV_VARS.get(name, name)
        # Never echo the key back, even when it is the invalid value.
        shown = "" if name == "api_key" else f"={item.get('input')!r}"
        lines.append(f"{var}{shown}: {item['msg']}")
    return "Invalid LLM settings: " + "; ".join(lines) + ". Fix or unset these variables (or flags)."
