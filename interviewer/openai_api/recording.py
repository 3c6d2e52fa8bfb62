"""Record real exchanges with an LLM server into JSON files, and replay them strictly.

Recording and replay happen at the HTTP layer (an httpx transport under the real
`OpenAICompatibleClient`), so a replayed test exercises the same parsing, fallbacks and
error handling as production. Replay checks every request against the recording in order
(method, path, and the body's shape) and fails on requests that were not recorded and on
recorded turns that were never requested.

Files hold no secrets: only whitelisted headers are kept (never Authorization), and the API
key, `sk-...` tokens and bearer tokens are scrubbed from bodies.
"""

from __future__ import annotations

import json
import os
import re
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interviewer.llm.config import LLMSettings
from interviewer.llm.scrub import redact_secrets

if TYPE_CHECKING:
    from interviewer.openai_api.chat import OpenAICompatibleClient

RECORD_ENV = "INTERVIEWER_RECORD"
MatchMode = Literal["shape", "exact"]

# Only these headers are stored: a whitelist, so a new auth header can never slip through.
KEPT_REQUEST_HEADERS = frozenset({"content-type", "accept"})
KEPT_RESPONSE_HEADERS = frozenset({"content-type", "retry-after", "retry-after-ms", "x-should-retry"})


class RecordingError(Exception):
    """A recording is missing, unreadable, or cannot be made with the current settings."""


class ReplayMismatch(AssertionError):
    """The code under test asked something the recording does not hold. An AssertionError,
    so that neither the SDK nor the app's LLMError fallbacks swallow it."""


class RecordedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: str = Field(description="HTTP method, e.g. POST.")
    path: str = Field(description="URL path, e.g. /v1/chat/completions.")
    headers: dict[str, str] = Field(default_factory=dict, description="Whitelisted headers only.")
    body: Any = Field(default=None, description="The JSON body sent, secrets scrubbed.")


class RecordedResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: int = Field(ge=100, le=599)
    headers: dict[str, str] = Field(default_factory=dict, description="Whitelisted headers only.")
    body: Any = Field(default=None, description="A JSON body.")
    events: list[Any] | None = Field(
        default=None, description="Server-sent events: each `data:` payload as JSON, or the string '[DONE]'."
    )
    text: str | None = Field(default=None, description="A body that is not JSON, as text.")

    @model_validator(mode="after")
    def _one_body(self) -> RecordedResponse:
        given = [name for name in ("body", "events", "text") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(f"a response has one of body, events or text, not {' and '.join(given)}")
        return self

    def to_httpx(self, request: httpx.Request | None = None) -> httpx.Response:
        headers = dict(self.headers)
        if self.events is not None:
            content = "".join(f"data: {_event_data(e)}\n\n" for e in self.events).encode()
            headers.setdefault("content-type", "text/event-stream")
        elif self.body is not None:
            content = json.dumps(self.body).encode()
            headers.setdefault("content-type", "application/json")
        else:
            content = (self.text or "").encode()
        return httpx.Response(self.status, headers=headers, content=content, request=request)


class Interaction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: RecordedRequest
    response: RecordedResponse


class Cassette(BaseModel):
    """One recording file: the exchanges of one test, in order."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    description: str = Field(default="", description="What was recorded, against which server.")
    base_url: str = Field(description="The server's base URL at recording time (replay reuses it).")
    model: str = Field(description="The model asked at recording time.")
    interactions: list[Interaction] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Cassette:
        if not path.exists():
            raise RecordingError(
                f"No recording at {path}. Record it against a server with "
                f"{RECORD_ENV}=1 and OPENAI_BASE_URL (and OPENAI_API_KEY if needed) set."
            )
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except ValidationError as error:
            raise RecordingError(f"{path} is not a valid recording: {error}") from None

    def save(self, path: Path) -> None:
        data = self.model_dump(mode="json")
        for interaction in data["interactions"]:
            # Leave out the body kinds a response does not have; nulls *inside* bodies stay.
            for part in ("request", "response"):
                for key in ("body", "events", "text"):
                    if key in interaction[part] and interaction[part][key] is None:
                        del interaction[part][key]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def request_shape(method: str, path: str, body: Any) -> dict[str, Any]:
    """What replay compares by default: enough to catch a changed call sequence, without
    failing every time a prompt's wording is edited."""
    shape: dict[str, Any] = {"method": method.upper(), "path": path}
    if isinstance(body, dict):
        response_format = body.get("response_format")
        shape.update(
            model=body.get("model"),
            keys=sorted(body),
            roles=[m.get("role") for m in body.get("messages", []) if isinstance(m, dict)],
            stream=bool(body.get("stream", False)),
            response_format=response_format.get("type") if isinstance(response_format, dict) else None,
        )
    return shape


class ReplayTransport(httpx.BaseTransport):
    """Answers requests from a cassette, in order, checking each against the recording."""

    def __init__(self, cassette: Cassette, *, source: str, match: MatchMode = "shape") -> None:
        self._pending: deque[tuple[int, Interaction]] = deque(enumerate(cassette.interactions, start=1))
        self._source = source
        self._match = match
        self._total = len(cassette.interactions)
        self.failure: str | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.failure:
            raise ReplayMismatch(self.failure)  # stay failed: later requests would mislead
        body = _json_or_none(request.content)
        if not self._pending:
            self._fail(
                f"{self._source}: request {request.method} {request.url.path} was not recorded "
                f"(the recording has {self._total} turn(s), all used). Re-record with {RECORD_ENV}=1."
            )
        number, expected = self._pending.popleft()
        problem = self._compare(expected.request, request.method, request.url.path, body)
        if problem:
            self._fail(
                f"{self._source}, turn {number}: {problem}. Re-record with {RECORD_ENV}=1 if the change is intended."
            )
        return expected.response.to_httpx(request)

    def assert_complete(self) -> None:
        if self.failure:
            raise ReplayMismatch(self.failure)
        if self._pending:
            unused = ", ".join(f"{n} ({i.request.method} {i.request.path})" for n, i in self._pending)
            raise ReplayMismatch(
                f"{self._source}: {len(self._pending)} recorded turn(s) were never requested: {unused}. "
                "The code made fewer calls than when it was recorded."
            )

    def _compare(self, expected: RecordedRequest, method: str, path: str, body: Any) -> str | None:
        want = request_shape(expected.method, expected.path, expected.body)
        got = request_shape(method, path, body)
        if want != got:
            diffs = [
                f"{k}: recorded {want.get(k)!r}, now {got.get(k)!r}"
                for k in sorted(set(want) | set(got))
                if want.get(k) != got.get(k)
            ]
            return "the request differs from the recording: " + "; ".join(diffs)
        if self._match == "exact" and _scrub(body, ()) != expected.body:
            return "the request body differs from the recording (exact match asked)"
        return None

    def _fail(self, message: str) -> NoReturn:
        self.failure = message
        raise ReplayMismatch(message)


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to a real transport and keeps a scrubbed copy of each exchange."""

    def __init__(self, inner: httpx.BaseTransport, *, secrets: Sequence[str] = ()) -> None:
        self._inner = inner
        self._secrets = tuple(secrets)
        self.interactions: list[Interaction] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        # Read whole, streams included: recording is rare and the replay streams it again.
        try:
            raw = response.read()
        finally:
            response.close()
        self.interactions.append(
            Interaction(
                request=RecordedRequest(
                    method=request.method,
                    path=request.url.path,
                    headers=_kept(request.headers, KEPT_REQUEST_HEADERS),
                    body=_scrub(_json_or_none(request.content), self._secrets),
                ),
                response=_recorded_response(response, raw, self._secrets),
            )
        )
        # The body is already decoded: drop the headers that would make httpx decode it again.
        headers = [
            (k, v)
            for k, v in response.headers.multi_items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, content=raw, request=request)

    def cassette(self, *, base_url: str, model: str, description: str = "") -> Cassette:
        return Cassette(description=description, base_url=base_url, model=model, interactions=self.interactions)


def record_mode_enabled(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get(RECORD_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


@contextmanager
def recorded_client(
    path: Path,
    *,
    record: bool = False,
    settings: LLMSettings | None = None,
    match: MatchMode = "shape",
    description: str = "",
) -> Iterator[OpenAICompatibleClient]:
    """A real `OpenAICompatibleClient` whose HTTP goes to a recording.

    Replay (default): answers come from `path`; on a clean exit every turn must have been used.
    Record: requests go to the server in `settings`, and `path` is (re)written on a clean exit.
    """
    from interviewer.openai_api.chat import OpenAICompatibleClient
    from interviewer.openai_api.policy import RetryPolicy

    if record:
        if settings is None or not settings.is_configured:
            raise RecordingError(
                f"{RECORD_ENV}=1 records against a real server, but none is configured: set "
                "OPENAI_BASE_URL (and OPENAI_API_KEY if the server needs one)."
            )
        key = settings.api_key.get_secret_value() if settings.api_key else ""
        recorder = RecordingTransport(httpx.HTTPTransport(), secrets=[key])
        with OpenAICompatibleClient(settings, http_client=httpx.Client(transport=recorder)) as client:
            yield client
        recorder.cassette(base_url=settings.effective_base_url, model=client.model, description=description).save(path)
        return

    cassette = Cassette.load(path)
    replay = ReplayTransport(cassette, source=str(path), match=match)
    replay_settings = LLMSettings(base_url=cassette.base_url, model=cassette.model)
    # No sleeping between recorded retries: replay must be fast.
    with OpenAICompatibleClient(
        replay_settings, http_client=httpx.Client(transport=replay), retry=RetryPolicy(), sleep=lambda _: None
    ) as client:
        yield client
    replay.assert_complete()


def _recorded_response(response: httpx.Response, raw: bytes, secrets: Sequence[str]) -> RecordedResponse:
    headers = _kept(response.headers, KEPT_RESPONSE_HEADERS)
    text = redact_secrets(raw.decode("utf-8", errors="replace"), secrets)
    if "text/event-stream" in response.headers.get("content-type", ""):
        return RecordedResponse(status=response.status_code, headers=headers, events=_sse_events(text))
    body = _json_or_none(text.encode())
    if body is not None:
        return RecordedResponse(status=response.status_code, headers=headers, body=body)
    return RecordedResponse(status=response.status_code, headers=headers, text=text or None)


def _sse_events(text: str) -> list[Any]:
    events: list[Any] = []
    for block in re.split(r"\r?\n\r?\n", text):
        data = "\n".join(line[5:].lstrip() for line in block.splitlines() if line.startswith("data:"))
        if data:
            events.append(data if data == "[DONE]" else _json_or_text(data))
    return events


def _event_data(event: Any) -> str:
    return event if isinstance(event, str) else json.dumps(event)


def _kept(headers: httpx.Headers, allowed: frozenset[str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items() if k.lower() in allowed}


def _json_or_none(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _json_or_text(data: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError:
        return data


def _scrub(value: Any, secrets: Sequence[str]) -> Any:
    """Redact secrets anywhere in a JSON value (a prompt might quote a key by accident)."""
    if value is None:
        return None
    return json.loads(redact_secrets(json.dumps(value), secrets))
