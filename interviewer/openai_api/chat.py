"""The OpenAI-compatible chat client: an `LLMClient` over /chat/completions.

Works with OpenAI and with local servers (Ollama, vLLM, llama.cpp, LM Studio). Requests go
through `policy.HttpPolicy`, the same retries and error mapping as the speech endpoints; a
llama.cpp 500 for an unsupported response format is not retried but answered with the next format.
Replies are read strictly (`chat_replies`, `replies`): whatever a server sends, every failure is
an `LLMError`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from interviewer.llm.config import LLMSettings, require_server
from interviewer.llm.errors import (
    BadRequest,
    InvalidStructuredOutput,
    Refused,
    ServerError,
    Truncated,
    UnreadableReply,
)
from interviewer.llm.protocol import Completion, FinishReason, Message, Structured, TextStream, Usage
from interviewer.llm.structured_output import REPAIR_PROMPT, describe_errors, parse_structured, with_schema_instruction
from interviewer.llm.tokens import count_message_tokens, count_tokens
from interviewer.openai_api.chat_replies import ChatReply, ReplyUsage, StreamedReply, chat_chunk, chat_reply
from interviewer.openai_api.policy import Endpoint, HttpPolicy, RetryPolicy
from interviewer.openai_api.replies import WEB_PAGE, HttpReply, SseEvents, content_type, is_web_page
from interviewer.openai_api.sdk import sdk_client

if TYPE_CHECKING:
    import httpx

T = TypeVar("T", bound=BaseModel)

ServerMode = Literal["json_schema", "json_object", "text"]
STRUCTURED_MODES: tuple[ServerMode, ...] = ("json_schema", "json_object", "text")

# Statuses with which servers reject a response_format they do not support: llama.cpp answers
# 500 to json_schema, others 400 or 422. With a format attempt they mean "try the next format",
# so they are not retried.
FORMAT_REJECTION_STATUSES = frozenset({400, 422, 500, 501})

_KNOWN_FINISH: dict[str, FinishReason] = {
    "stop": "stop",
    "length": "length",
    "content_filter": "content_filter",
    "tool_calls": "tool_calls",
    "function_call": "function_call",
    "max_tokens": "length",  # some local servers' spelling
    "eos": "stop",
}


class OpenAICompatibleClient:
    """An `LLMClient` for any server that speaks OpenAI's chat completions API."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        model: str | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        require_server(settings, "No LLM server is configured", "Without one the app runs offline.")
        self._settings = settings
        self._model = model or settings.model
        self._endpoint = Endpoint(path="/chat/completions", model=self._model)
        self._policy = HttpPolicy(settings, retry=retry, sleep=sleep)
        self._sdk = sdk_client(settings, http_client)
        # Learned per client, so one server's quirks cost one failed request, not one per call.
        self._rejected_modes: set[ServerMode] = set()
        self._stream_usage_supported = True

    @property
    def model(self) -> str:
        return self._model

    def __repr__(self) -> str:
        return f"OpenAICompatibleClient(model={self._model!r}, base_url={self._settings.effective_base_url!r})"

    def close(self) -> None:
        self._sdk.close()

    def __enter__(self) -> OpenAICompatibleClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the protocol -------------------------------------------------------------------------

    def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> Completion:
        response = self._send(self._params(messages, max_tokens, temperature))
        choice = response.choices[0]
        if choice.finish_reason == "content_filter" or (choice.message.refusal and not choice.message.content):
            raise Refused(self._model, choice.message.refusal or "content filter")
        text = choice.message.content or ""
        return Completion(
            text=text,
            usage=self._usage(response.usage, messages, text),
            model=response.model or self._model,
            finish_reason=_finish_reason(choice.finish_reason),
        )

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> TextStream:
        # The request is sent now, not on first iteration, so a wrong key or a dead server
        # raises here, before the caller has shown the user anything.
        params = {**self._params(messages, max_tokens, temperature), "stream": True}
        if self._stream_usage_supported:
            try:
                reply = self._open_stream({**params, "stream_options": {"include_usage": True}})
            except BadRequest as error:
                if "stream_options" not in error.message:
                    raise
                self._stream_usage_supported = False  # older servers reject the option itself
                reply = self._open_stream(params)
        else:
            reply = self._open_stream(params)
        return TextStream(self._read_stream(reply, messages), on_close=reply.close)

    def structured(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Structured[T]:
        modes = [mode for mode in STRUCTURED_MODES if mode not in self._rejected_modes]
        rejected: list[ServerMode] = []
        for mode in modes:
            request = with_schema_instruction(messages, schema) if mode != "json_schema" else list(messages)
            params = {**self._params(request, max_tokens, temperature), **_response_format(schema, mode)}
            try:
                response = self._send(params, give_up_on=FORMAT_REJECTION_STATUSES if mode != "text" else frozenset())
            except (BadRequest, ServerError) as error:
                if mode == "text" or error.status not in FORMAT_REJECTION_STATUSES:
                    raise
                rejected.append(mode)
                continue
            # Only now is it clear the rejections were about the format, not the request.
            self._rejected_modes.update(rejected)
            return self._validate_with_repair(response, request, params, schema, mode, max_tokens)
        raise AssertionError("unreachable: the text mode either returns or raises")

    # -- structured output --------------------------------------------------------------------

    def _validate_with_repair(
        self,
        response: ChatReply,
        request: list[Message],
        params: dict[str, Any],
        schema: type[T],
        mode: ServerMode,
        max_tokens: int | None,
    ) -> Structured[T]:
        text, usage = self._structured_reply(response, request, max_tokens)
        try:
            value = parse_structured(text, schema)
            return Structured[schema](value=value, usage=usage, model=response.model or self._model, mode=mode)  # type: ignore[valid-type]
        except (ValidationError, ValueError) as error:
            problems = describe_errors(error)
        # One repair: show the model its own reply and what was wrong with it.
        repair = [*request, Message.assistant(text), Message.user(REPAIR_PROMPT.format(errors=problems))]
        response = self._send({**params, "messages": _wire_messages(repair)})
        text, repair_usage = self._structured_reply(response, repair, max_tokens)
        usage = usage + repair_usage
        try:
            value = parse_structured(text, schema)
        except (ValidationError, ValueError) as error:
            raise InvalidStructuredOutput(self._model, schema.__name__, describe_errors(error)) from None
        return Structured[schema](  # type: ignore[valid-type]
            value=value, usage=usage, model=response.model or self._model, mode=mode, repaired=True
        )

    def _structured_reply(
        self, response: ChatReply, request: Sequence[Message], max_tokens: int | None
    ) -> tuple[str, Usage]:
        choice = response.choices[0]
        if choice.message.refusal or choice.finish_reason == "content_filter":
            raise Refused(self._model, choice.message.refusal or "content filter")
        if choice.finish_reason == "length":
            # Half a JSON object is never repaired into a guess: fail closed.
            raise Truncated(self._model, max_tokens)
        text = choice.message.content or ""
        return text, self._usage(response.usage, request, text)

    # -- streaming ----------------------------------------------------------------------------

    def _read_stream(self, reply: HttpReply, messages: Sequence[Message]) -> Generator[str, None, Completion]:
        events, heard = SseEvents(reply, self._policy), StreamedReply(model=self._model)
        try:
            for payload in events:
                added = heard.add(chat_chunk(payload, self._policy))
                if added:
                    yield added
        finally:
            reply.close()
        # Servers end with [DONE] or at least a finish reason: with neither, the reply was cut off.
        if not events.finished and heard.finish_reason is None:
            raise UnreadableReply(self._policy.base_url, _unfinished(reply, heard.chunks))
        if heard.finish_reason == "content_filter" or (heard.refusal and not heard.parts):
            raise Refused(self._model, "".join(heard.refusal) or "content filter")
        text = "".join(heard.parts)
        return Completion(
            text=text,
            usage=self._usage(heard.usage, messages, text),
            model=heard.model,
            finish_reason=_finish_reason(heard.finish_reason),
        )

    # -- transport, retries and errors --------------------------------------------------------

    def _params(self, messages: Sequence[Message], max_tokens: int | None, temperature: float | None) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self._model, "messages": _wire_messages(messages)}
        if max_tokens is not None:
            # OpenAI's reasoning models only accept the newer name; many local servers only the old.
            params["max_completion_tokens" if self._settings.is_openai else "max_tokens"] = max_tokens
        if temperature is not None:
            params["temperature"] = temperature
        return params

    def _send(self, params: dict[str, Any], *, give_up_on: frozenset[int] = frozenset()) -> ChatReply:
        return chat_reply(self._post(params, give_up_on).http_response, self._policy)

    def _open_stream(self, params: dict[str, Any]) -> HttpReply:
        reply = self._post(params, frozenset()).http_response
        if is_web_page(reply):  # said now, by its label, before the caller shows anything
            reply.close()
            raise UnreadableReply(self._policy.base_url, WEB_PAGE)
        return reply

    def _post(self, params: dict[str, Any], give_up_on: frozenset[int]) -> Any:
        # The raw response, read by `chat_replies`: the SDK's parser would accept a web page.
        return self._policy.send(
            lambda: self._sdk.chat.completions.with_raw_response.create(**params), self._endpoint, give_up_on=give_up_on
        )

    def _usage(self, usage: ReplyUsage | None, messages: Sequence[Message], text: str) -> Usage:
        if usage is not None and usage.prompt_tokens is not None and usage.completion_tokens is not None:
            return Usage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens)
        # Some servers (and most when streaming) report nothing: count locally, and say so.
        return Usage(
            input_tokens=count_message_tokens(messages, self._model),
            output_tokens=count_tokens(text, self._model),
            estimated=True,
        )


def _response_format(schema: type[BaseModel], mode: ServerMode) -> dict[str, Any]:
    if mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    if mode == "text":
        return {}
    try:
        from openai.lib._pydantic import to_strict_json_schema

        json_schema, strict = to_strict_json_schema(schema), True
    except (ImportError, TypeError, ValueError):
        json_schema, strict = schema.model_json_schema(), False
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64]
    return {
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": json_schema, "strict": strict},
        }
    }


def _wire_messages(messages: Iterable[Message]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in messages]


def _unfinished(reply: HttpReply, chunks: int) -> str:
    if chunks:
        return f"the stream ended after {chunks} event(s), before the reply was complete"
    return f"the stream held no events (its content type was {content_type(reply) or 'not given'})"


def _finish_reason(raw: str | None) -> FinishReason | None:
    return _KNOWN_FINISH.get(raw) if raw else None
