"""The project's own LLM errors: each says what went wrong and what the user can do about it.

Callers catch `LLMError` to fall back to the offline interviewer or grader. Test-harness
failures (an exhausted script, a replay mismatch) deliberately do *not* derive from it, so
fallback code can never swallow them and hide a broken test.

Two texts per error: `str(error)` is for the operator (it names the server and the setting to
fix, and quotes the server's own words with secrets scrubbed out); `error.public` is one short
sentence with no URL, no server text and no key, safe to show a candidate or keep in a scorecard.
"""

from __future__ import annotations


class LLMError(Exception):
    """Base class. `str(error)` is a complete sentence with a fix, for whoever runs the app."""

    public: str = "the language-model server could not be used"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LLMConfigError(LLMError):
    """A setting (environment variable or CLI flag) has a value that cannot work."""

    public = "the language-model settings are not valid"


class AuthenticationFailed(LLMError):
    """The server rejected the credentials (HTTP 401/403)."""

    public = "the language-model server rejected the API key"

    def __init__(self, base_url: str, status: int, detail: str = "") -> None:
        super().__init__(
            f"The server at {base_url} rejected the API key (HTTP {status}){_detail(detail)}. "
            "Check OPENAI_API_KEY; for a local server that needs no key, unset OPENAI_API_KEY "
            "and set only OPENAI_BASE_URL."
        )


class ServerUnreachable(LLMError):
    """No connection could be made, or it broke mid-reply."""

    public = "the language-model server could not be reached"

    def __init__(self, base_url: str, detail: str = "") -> None:
        super().__init__(
            f"Could not reach the LLM server at {base_url}{_detail(detail)}. "
            "Check that the server is running and that OPENAI_BASE_URL is right "
            "(most servers expect it to end in /v1, e.g. http://localhost:11434/v1 for Ollama), "
            "or unset it to run offline."
        )


class EndpointNotFound(LLMError):
    """HTTP 404 that is not about the model: usually a base URL without /v1."""

    public = "the language-model server's address is not set up correctly"

    def __init__(self, base_url: str, detail: str = "", status: int = 404) -> None:
        super().__init__(
            f"The server at {base_url} has no chat completions endpoint (HTTP {status}){_detail(detail)}. "
            "Check OPENAI_BASE_URL: most OpenAI-compatible servers expect it to end in /v1."
        )


class ModelNotFound(LLMError):
    """The server does not serve the requested model."""

    public = "the language-model server does not serve the chosen model"

    def __init__(self, model: str, base_url: str, detail: str = "") -> None:
        self.model = model
        super().__init__(
            f"The server at {base_url} does not serve the model {model!r}{_detail(detail)}. "
            "Set INTERVIEWER_MODEL (or --model) to a model it serves: list them at "
            f"{base_url.rstrip('/')}/models, or for Ollama run `ollama pull {model}`."
        )


class RateLimited(LLMError):
    """HTTP 429 after every retry, or a quota that retrying cannot fix."""

    public = "the language-model server is limiting requests; try again in a minute"

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

    public = "the conversation is too long for the language model"

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

    public = "the language-model server did not answer in time"

    def __init__(self, base_url: str, timeout: float, attempts: int) -> None:
        super().__init__(
            f"The LLM server at {base_url} did not answer within {timeout:g} s "
            f"({attempts} attempt(s)). A slow local model may need a longer timeout: set "
            "INTERVIEWER_LLM_TIMEOUT (seconds), or use a smaller model."
        )


class ServerError(LLMError):
    """The server failed (5xx) on every attempt, or reported an error in the middle of a stream."""

    public = "the language-model server failed"

    def __init__(self, base_url: str, status: int | None, attempts: int, detail: str = "") -> None:
        self.status = status
        failure = f"failed with HTTP {status} on {attempts} attempt(s)" if status else "failed mid-reply"
        super().__init__(
            f"The LLM server at {base_url} {failure}{_detail(detail)}. "
            "Check the server's logs; the interview can continue offline."
        )


class BadRequest(LLMError):
    """The server refused the request for a reason no other error covers."""

    public = "the language-model server refused the request"

    def __init__(self, base_url: str, status: int, detail: str = "") -> None:
        self.status = status
        super().__init__(
            f"The LLM server at {base_url} refused the request (HTTP {status}){_detail(detail)}. "
            "The server may not support a parameter the interviewer sends; check its logs, "
            "or try another model or server."
        )


class Refused(LLMError):
    """The model declined to answer."""

    public = "the language model declined to answer"

    def __init__(self, model: str, refusal: str = "") -> None:
        self.refusal = refusal
        super().__init__(
            f"The model {model!r} declined to answer{_detail(refusal)}. No result was made up; "
            "rephrase the request or use another model."
        )


class Truncated(LLMError):
    """The reply hit the output token limit before it was complete."""

    public = "the language model's reply was cut off"

    def __init__(self, model: str, max_tokens: int | None) -> None:
        limit = f" of {max_tokens} tokens" if max_tokens else ""
        super().__init__(
            f"The reply of {model!r} was cut off at the output limit{limit}, so it is incomplete "
            "and was not used. Raise the output limit or ask for a shorter answer."
        )


class InvalidStructuredOutput(LLMError):
    """The reply never validated against the requested schema, even after a repair attempt."""

    public = "the language model's reply did not have the expected form"

    def __init__(self, model: str, schema_name: str, errors: str) -> None:
        self.errors = errors
        super().__init__(
            f"The model {model!r} did not return a valid {schema_name} even after being shown its "
            f"errors: {errors}. No result was made up; a larger or instruction-tuned model "
            "usually fixes this."
        )


class UnreadableReply(LLMError):
    """HTTP 200, but not an OpenAI-compatible reply: a web page, broken JSON, a cut-off stream..."""

    public = "the language-model server sent a reply that could not be read"

    def __init__(self, base_url: str, detail: str = "") -> None:
        super().__init__(
            f"The server at {base_url} sent something that is not an OpenAI-compatible reply{_detail(detail)}. "
            "Check that OPENAI_BASE_URL points at the API itself and ends in /v1 (e.g. "
            "http://localhost:11434/v1 for Ollama), not at a web page or a proxy's sign-in page."
        )


class UnplayableAudio(UnreadableReply):
    """The speech endpoint answered with audio the app cannot play (it asks for WAV)."""

    public = "the speech server sent audio that could not be played"

    def __init__(self, base_url: str, detail: str = "") -> None:
        LLMError.__init__(
            self,
            f"The server at {base_url} answered /audio/speech with audio that is not WAV{_detail(detail)}. "
            "It may ignore response_format; use a server that can return WAV, or the offline voice.",
        )


class SpeechEndpointNotFound(EndpointNotFound):
    """HTTP 404 or 405 for an audio endpoint: the server has no speech API, or the base URL lacks /v1."""

    public = "the server offers no speech service"

    def __init__(self, base_url: str, endpoint: str, detail: str = "", status: int = 404) -> None:
        LLMError.__init__(
            self,
            f"The server at {base_url} has no {endpoint} endpoint (HTTP {status}){_detail(detail)}. "
            "Many local servers (Ollama, llama.cpp) serve no audio API: unset INTERVIEWER_SPEECH to use "
            "the offline speech models, or check that OPENAI_BASE_URL ends in /v1.",
        )


class SpeechModelNotFound(ModelNotFound):
    """The server does not serve the requested speech model."""

    public = "the server does not serve the chosen speech model"

    def __init__(self, model: str, base_url: str, variable: str, detail: str = "") -> None:
        self.model = model
        LLMError.__init__(
            self,
            f"The server at {base_url} does not serve the speech model {model!r}{_detail(detail)}. "
            f"Set {variable} to a model it serves, or unset INTERVIEWER_SPEECH to use the offline speech models.",
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
