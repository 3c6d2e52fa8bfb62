"""The project's own LLM errors: each says what went wrong and what the user can do about it.

Callers catch `LLMError` to fall back to the offline interviewer or grader. Test-harness
failures (an exhausted script, a replay mismatch) deliberately do *not* derive from it, so
fallback code can never swallow them and hide a broken test.
"""

from __future__ import annotations


class LLMError(Exception):
    """Base class. `str(error)` is a complete, user-facing sentence with a fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LLMConfigError(LLMError):
    """A setting (environment variable or CLI flag) has a value that cannot work."""


class AuthenticationFailed(LLMError):
    """The server rejected the credentials (HTTP 401/403)."""

    def __init__(self, base_url: str, status: int, detail: str = "") -> None:
        super().__init__(
            f"The server at {base_url} rejected the API key (HTTP {status}){_detail(detail)}. "
            "Check OPENAI_API_KEY; for a local server that needs no key, unset OPENAI_API_KEY "
            "and set only OPENAI_BASE_URL."
        )


class ServerUnreachable(LLMError):
    """No connection could be made, or it broke mid-reply."""

    def __init__(self, base_url: str, detail: str = "") -> None:
        super().__init__(
            f"Could not reach the LLM server at {base_url}{_detail(detail)}. "
            "Check that the server is running and that OPENAI_BASE_URL is right "
            "(most servers expect it to end in /v1, e.g. http://localhost:11434/v1 for Ollama), "
            "or unset it to run offline."
        )


class EndpointNotFound(LLMError):
    """HTTP 404 that is not about the model: usually a base URL without /v1."""

    def __init__(self, base_url: str, detail: str = "") -> None:
        super().__init__(
            f"The server at {base_url} has no chat completions endpoint (HTTP 404){_detail(detail)}. "
            "Check OPENAI_BASE_URL: most OpenAI-compatible servers expect it to end in /v1."
        )


class ModelNotFound(LLMError):
    """The server does not serve the requested model."""

    def __init__(self, model: str, base_url: str, detail: str = "") -> None:
        self.model = model
        super().__init__(
            f"The server at {base_url} does not serve the model {model!r}{_detail(detail)}. "
            "Set INTERVIEWER_MODEL (or --model) to a model it serves: list them at "
            f"{base_url.rstrip('/')}/models, or for Ollama run `ollama pull {model}`."
        )


class RateLimited(LLMError):
    """HTTP 429 after every retry, or a quota that retrying cannot fix."""

    def __init__(self, base_url: str, attempts: int, detail: str = "", retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        wait = f" The server asks to wait {retry_after:g} s." if retry_after else ""
        super().__init__(
            f"The server at {base_url} is rate limiting requests (HTTP 429, {attempts} attempt(s))"
            f"{_detail(detail)}.{wait} Wait a minute and try again, use a model with a higher "
            "limit, or check the account's quota and billing."
        )


class ContextTooLong(LLMError):
    """The prompt does not fit the model's context window."""

    def __init__(self, model: str, detail: str = "") -> None:
        self.model = model
        super().__init__(
            f"The conversation is too long for the context window of {model!r}{_detail(detail)}. "
            "Set INTERVIEWER_CONTEXT_WINDOW to the window the server really uses (local servers "
            "often run with less than the model supports, e.g. Ollama's num_ctx), raise it on the "
            "server, or use a model with a larger window."
        )


class RequestTimedOut(LLMError):
    """No reply within the timeout, after every retry."""

    def __init__(self, base_url: str, timeout: float, attempts: int) -> None:
        super().__init__(
            f"The LLM server at {base_url} did not answer within {timeout:g} s "
            f"({attempts} attempt(s)). A slow local model may need a longer timeout: set "
            "INTERVIEWER_LLM_TIMEOUT (seconds), or use a smaller model."
        )


class ServerError(LLMError):
    """The server failed (5xx) on every attempt."""

    def __init__(self, base_url: str, status: int, attempts: int, detail: str = "") -> None:
        self.status = status
        super().__init__(
            f"The LLM server at {base_url} failed with HTTP {status} on {attempts} attempt(s)"
            f"{_detail(detail)}. Check the server's logs; the interview can continue offline."
        )


class BadRequest(LLMError):
    """The server refused the request for a reason no other error covers."""

    def __init__(self, base_url: str, status: int, detail: str = "") -> None:
        self.status = status
        super().__init__(
            f"The LLM server at {base_url} refused the request (HTTP {status}){_detail(detail)}. "
            "The server may not support a parameter the interviewer sends; check its logs, "
            "or try another model or server."
        )


class Refused(LLMError):
    """The model declined to answer."""

    def __init__(self, model: str, refusal: str = "") -> None:
        self.refusal = refusal
        super().__init__(
            f"The model {model!r} declined to answer{_detail(refusal)}. No result was made up; "
            "rephrase the request or use another model."
        )


class Truncated(LLMError):
    """The reply hit the output token limit before it was complete."""

    def __init__(self, model: str, max_tokens: int | None) -> None:
        limit = f" of {max_tokens} tokens" if max_tokens else ""
        super().__init__(
            f"The reply of {model!r} was cut off at the output limit{limit}, so it is incomplete "
            "and was not used. Raise the output limit or ask for a shorter answer."
        )


class InvalidStructuredOutput(LLMError):
    """The reply never validated against the requested schema, even after a repair attempt."""

    def __init__(self, model: str, schema_name: str, errors: str) -> None:
        self.errors = errors
        super().__init__(
            f"The model {model!r} did not return a valid {schema_name} even after being shown its "
            f"errors: {errors}. No result was made up; a larger or instruction-tuned model "
            "usually fixes this."
        )


class RealClientForbidden(RuntimeError):
    """A test built a real LLM client without opting in (see tests/conftest.py)."""


def _detail(detail: str) -> str:
    """Append the server's own words, shortened: they often name the exact problem."""
    detail = " ".join(detail.split())
    if not detail:
        return ""
    if len(detail) > 300:
        detail = detail[:297] + "..."
    return f": {detail}"
