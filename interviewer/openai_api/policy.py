"""The one HTTP policy for every call to an OpenAI-compatible server, chat and audio alike.

When to retry and how long to wait, and how each failure becomes one of the project's
`LLMError`s. Retries are ours, not the SDK's (its client is built with `max_retries=0`), so they
are the same for every endpoint, the waits are injectable in tests, and a status that means
"try another response format" can be left unretried. Whatever the server said goes into an
error only after `scrub()`: a server may echo the API key, and these messages are logged.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from typing import TypeVar

import httpx
import httpx2
import openai
from pydantic import BaseModel, ConfigDict, Field

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import (
    AuthenticationFailed,
    BadRequest,
    ContextTooLong,
    EndpointNotFound,
    LLMError,
    ModelNotFound,
    RateLimited,
    RequestTimedOut,
    ServerError,
    ServerUnreachable,
    SpeechEndpointNotFound,
    SpeechModelNotFound,
    UnreadableReply,
)
from interviewer.llm.scrub import scrub

T = TypeVar("T")

# Worth another try: the server timed out, clashed, is rate limiting, or failed (and every 5xx).
RETRYABLE_STATUSES = frozenset({408, 409, 429})

# What a broken stream raises: httpx in tests (respx), httpx2 under the SDK by default.
TIMEOUTS = (httpx.TimeoutException, httpx2.TimeoutException)
TRANSPORT_ERRORS = (httpx.RequestError, httpx2.RequestError)

_CONTEXT_TOO_LONG = re.compile(
    r"context[ _](length|window|size)|maximum context|too many tokens|prompt is too long|exceeds? the available context"
)
_CONTEXT_CODES = frozenset({"context_length_exceeded", "exceed_context_size_error"})
_MODEL_MISSING = re.compile(
    r"model\b.*\b(not found|does not exist|is not available|not loaded)|unknown model|no such model"
    r"|no models? loaded|model_not_found"
)


class RetryPolicy(BaseModel):
    """Exponential backoff with jitter; honours a short Retry-After from the server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_retries: int = Field(default=2, ge=0, description="Retries after the first attempt.")
    initial_delay: float = Field(default=0.5, ge=0, description="Seconds before the first retry.")
    max_delay: float = Field(default=8.0, ge=0, description="Longest wait between attempts.")
    jitter: float = Field(default=0.25, ge=0, le=1, description="Share of each delay that is randomised.")
    max_retry_after: float = Field(
        default=30.0, ge=0, description="A longer Retry-After is not waited for: the user is told instead."
    )

    def delay(self, retry_index: int, retry_after: float | None = None) -> float | None:
        """Seconds to wait before retry number `retry_index` (0-based), or None to give up."""
        if retry_after is not None:
            return retry_after if retry_after <= self.max_retry_after else None
        base = min(self.initial_delay * 2.0**retry_index, self.max_delay)
        # Jitter spreads the retries of several replicas that failed together.
        return base * (1 - self.jitter * random.random())


class Endpoint(BaseModel):
    """What a call asks of the server, so that its failure can name what to fix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="The endpoint under the base URL, e.g. /chat/completions.")
    model: str = Field(description="The model asked for.")
    model_variable: str | None = Field(
        default=None,
        description="For a speech endpoint, the variable that names its model; its errors point there "
        "and offer the offline speech models. None for chat.",
    )


class HttpPolicy:
    """Sends a call with retries, and turns whatever goes wrong into an `LLMError`."""

    def __init__(
        self, settings: LLMSettings, *, retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.base_url = settings.effective_base_url
        self._timeout = settings.timeout_seconds
        self._retry = retry or RetryPolicy(max_retries=settings.max_retries)
        self._sleep = sleep
        self._secrets = (settings.api_key.get_secret_value(),) if settings.api_key else ()

    def send(self, call: Callable[[], T], endpoint: Endpoint, *, give_up_on: frozenset[int] = frozenset()) -> T:
        """`call()`'s result, retried on transient failures; statuses in `give_up_on` are not retried."""
        attempts = 0
        while True:
            attempts += 1
            try:
                return call()
            except openai.OpenAIError as error:
                wait = self._wait(error, attempts, give_up_on)
                if wait is None:
                    # Not chained: the SDK's error text quotes the server, which may quote the key.
                    raise self.failure(error, endpoint, attempts) from None
            self._sleep(wait)

    def failure(self, error: openai.OpenAIError, endpoint: Endpoint, attempts: int) -> LLMError:
        """The project's error for an SDK error, after `attempts` attempts."""
        if isinstance(error, openai.APITimeoutError):
            return RequestTimedOut(self.base_url, self._timeout, attempts)
        if isinstance(error, openai.APIConnectionError):  # the SDK wraps httpx's and httpx2's errors
            return ServerUnreachable(self.base_url, self.scrub(str(error.__cause__ or error)))
        if isinstance(error, openai.APIStatusError):
            return self._status_failure(error, endpoint, attempts)
        return UnreadableReply(self.base_url, self.scrub(str(error)))

    def stream_error(self, body: object) -> ServerError:
        """The error for an error event inside a stream (`data: {"error": ...}`, or llama.cpp's `error:`)."""
        return ServerError(self.base_url, None, 1, self.scrub(words_in(body, "an error event without a message")))

    def broken_stream(self, error: Exception) -> LLMError:
        """The error for a stream that failed after it began; it is not retried, as part of the
        reply may already be on the screen."""
        if isinstance(error, TIMEOUTS):
            return RequestTimedOut(self.base_url, self._timeout, 1)
        what = str(error) or type(error).__name__
        return ServerUnreachable(self.base_url, self.scrub(f"the stream broke off: {what}"))

    def scrub(self, text: str) -> str:
        """Server text without the API key, tokens or URLs, fit to go into an error message."""
        return scrub(text, self._secrets)

    def _wait(self, error: openai.OpenAIError, attempts: int, give_up_on: frozenset[int]) -> float | None:
        if attempts > self._retry.max_retries:
            return None
        if isinstance(error, openai.APIConnectionError):  # timeouts included
            return self._retry.delay(attempts - 1)
        if not isinstance(error, openai.APIStatusError):
            return None
        status = error.status_code
        if status in give_up_on or not (status in RETRYABLE_STATUSES or status >= 500):
            return None
        if error.code == "insufficient_quota":
            return None  # waiting does not add credit
        return self._retry.delay(attempts - 1, retry_after(error.response.headers))

    def _status_failure(self, error: openai.APIStatusError, endpoint: Endpoint, attempts: int) -> LLMError:
        status, detail = error.status_code, self.scrub(words_in(error.body, ""))
        lowered = f"{error.code or ''} {detail}".lower()
        if status in (401, 403):
            return AuthenticationFailed(self.base_url, status, detail)
        if status == 429:
            return RateLimited(self.base_url, attempts, detail, retry_after(error.response.headers))
        if _CONTEXT_TOO_LONG.search(lowered) or error.code in _CONTEXT_CODES:
            return ContextTooLong(endpoint.model, detail)
        if error.code == "model_not_found" or (status in (400, 404) and _MODEL_MISSING.search(lowered)):
            return self._model_missing(endpoint, detail)
        if status in (404, 405):
            if endpoint.model_variable:
                return SpeechEndpointNotFound(self.base_url, endpoint.path, detail, status)
            return EndpointNotFound(self.base_url, detail, status)
        if status >= 500:
            return ServerError(self.base_url, status, attempts, detail)
        return BadRequest(self.base_url, status, detail)

    def _model_missing(self, endpoint: Endpoint, detail: str) -> ModelNotFound:
        if endpoint.model_variable:
            return SpeechModelNotFound(endpoint.model, self.base_url, endpoint.model_variable, detail)
        return ModelNotFound(endpoint.model, self.base_url, detail)


def words_in(body: object, fallback: str) -> str:
    """The server's own explanation in an error body, in the shapes OpenAI, vLLM, llama.cpp,
    Ollama and FastAPI use, or `fallback` when the body holds none."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
        return json.dumps(body)[:300]
    if isinstance(body, str) and body.strip():
        return body
    return fallback


def retry_after(headers: httpx.Headers | httpx2.Headers) -> float | None:
    """Seconds the server asks to wait (retry-after-ms or retry-after), or None."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue  # an HTTP date: fall back to our own backoff
    return None
