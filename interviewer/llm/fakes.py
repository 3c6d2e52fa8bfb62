"""Protocol-level test doubles: `ScriptedLLM` (queued replies) and `FunctionLLM` (a function).

Both record every call and satisfy `LLMClient`, so engine and grader tests need no network,
no HTTP mocking and no `openai`. A reply can be:

- a `str`: the text (for `structured`, parsed and validated like a real reply);
- a `dict` or a pydantic model: a structured value (for `complete`/`stream`, its JSON);
- a `Reply`: text plus explicit stream chunks, usage or finish reason;
- an `Exception` instance: raised, e.g. `RateLimited(...)` to test a fallback path.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.llm.errors import InvalidStructuredOutput, Truncated
from interviewer.llm.protocol import Completion, FinishReason, Message, Structured, TextStream, Usage
from interviewer.llm.structured_output import describe_errors, parse_structured

T = TypeVar("T", bound=BaseModel)

CallKind = Literal["complete", "stream", "structured"]


class Reply(BaseModel):
    """A scripted reply with more detail than a bare string."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(description="The whole reply.")
    chunks: list[str] | None = Field(default=None, description="How `stream` splits it; by words when unset.")
    usage: Usage | None = Field(default=None, description="Usage to report; a word count when unset.")
    finish_reason: FinishReason = Field(default="stop", description="'length' makes `structured` raise Truncated.")


Answer = str | dict[str, Any] | BaseModel | Reply
ScriptedReply = Answer | Exception


class LLMCall(BaseModel):
    """One request a double received, for assertions."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    kind: CallKind
    messages: list[Message]
    schema_type: type[BaseModel] | None = Field(default=None, description="The model asked for by `structured`.")
    max_tokens: int | None = None
    temperature: float | None = None

    @property
    def last_message(self) -> str:
        return self.messages[-1].content if self.messages else ""

    @property
    def system_prompt(self) -> str:
        return "\n\n".join(m.content for m in self.messages if m.role == "system")


class ScriptExhausted(AssertionError):
    """A test asked a double for more replies than it scripted. An AssertionError, not an
    LLMError, so fallback code in the app cannot swallow it."""


class _RecordingDouble:
    """Shared behaviour: record the call, get a reply, shape it for the method called."""

    def __init__(self, model: str) -> None:
        self._model = model
        self.calls: list[LLMCall] = []

    @property
    def model(self) -> str:
        return self._model

    def _reply_for(self, call: LLMCall) -> ScriptedReply:
        raise NotImplementedError

    def _next(self, kind: CallKind, messages: Sequence[Message], **details: Any) -> tuple[Answer, LLMCall]:
        call = LLMCall(kind=kind, messages=list(messages), **details)
        self.calls.append(call)
        reply = self._reply_for(call)
        if isinstance(reply, Exception):
            raise reply
        return reply, call

    def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> Completion:
        reply, call = self._next("complete", messages, max_tokens=max_tokens, temperature=temperature)
        return self._completion(reply, call)

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> TextStream:
        reply, call = self._next("stream", messages, max_tokens=max_tokens, temperature=temperature)
        completion = self._completion(reply, call)
        chunks = (
            reply.chunks if isinstance(reply, Reply) and reply.chunks is not None else _split_words(completion.text)
        )
        return TextStream(_replay_chunks(chunks, completion))

    def structured(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Structured[T]:
        reply, call = self._next(
            "structured", messages, schema_type=schema, max_tokens=max_tokens, temperature=temperature
        )
        if isinstance(reply, BaseModel) and not isinstance(reply, Reply):
            if not isinstance(reply, schema):
                scripted, asked = type(reply).__name__, schema.__name__
                raise AssertionError(
                    f"{type(self).__name__} was scripted a {scripted}, but the code asked for a {asked}"
                )
            value = reply
        else:
            if isinstance(reply, Reply) and reply.finish_reason == "length":
                raise Truncated(self._model, max_tokens)
            text = reply.text if isinstance(reply, Reply) else reply if isinstance(reply, str) else json.dumps(reply)
            try:
                value = parse_structured(text, schema)
            except (ValidationError, ValueError) as error:
                # Like the real client after its repair attempt: fail closed, never guess.
                raise InvalidStructuredOutput(self._model, schema.__name__, describe_errors(error)) from None
        usage = reply.usage if isinstance(reply, Reply) and reply.usage else _word_usage(call, value.model_dump_json())
        return Structured[schema](value=value, usage=usage, model=self._model, mode="scripted")  # type: ignore[valid-type]

    def _completion(self, reply: Answer, call: LLMCall) -> Completion:
        if isinstance(reply, Reply):
            usage = reply.usage or _word_usage(call, reply.text)
            return Completion(text=reply.text, usage=usage, model=self._model, finish_reason=reply.finish_reason)
        if isinstance(reply, BaseModel):
            text = reply.model_dump_json()
        elif isinstance(reply, dict):
            text = json.dumps(reply)
        else:
            text = reply
        return Completion(text=text, usage=_word_usage(call, text), model=self._model)


class ScriptedLLM(_RecordingDouble):
    """Answers each call with the next scripted reply; raises ScriptExhausted past the end.

    >>> llm = ScriptedLLM(["What latency budget do you have in mind?"])
    >>> llm.complete([Message.user("Design a fraud detector")]).text
    'What latency budget do you have in mind?'
    """

    def __init__(self, replies: Iterable[ScriptedReply] = (), *, model: str = "scripted") -> None:
        super().__init__(model)
        self._script: deque[ScriptedReply] = deque(replies)

    def add(self, *replies: ScriptedReply) -> None:
        self._script.extend(replies)

    @property
    def remaining(self) -> int:
        return len(self._script)

    def assert_all_used(self) -> None:
        """Fail when scripted replies were never asked for: the code did less than the test expected."""
        if self._script:
            raise AssertionError(
                f"{len(self._script)} scripted reply(ies) were never used: {list(self._script)!r:.300}"
            )

    def _reply_for(self, call: LLMCall) -> ScriptedReply:
        if not self._script:
            raise ScriptExhausted(
                f"ScriptedLLM has no reply left for call {len(self.calls)} ({call.kind}); "
                f"its last message was {call.last_message[:200]!r}. Script one more reply."
            )
        return self._script.popleft()


class FunctionLLM(_RecordingDouble):
    """Answers each call with `respond(call)`: for replies that depend on the prompt."""

    def __init__(self, respond: Callable[[LLMCall], ScriptedReply], *, model: str = "function") -> None:
        super().__init__(model)
        self._respond = respond

    def _reply_for(self, call: LLMCall) -> ScriptedReply:
        return self._respond(call)


def _replay_chunks(chunks: list[str], completion: Completion) -> Generator[str, None, Completion]:
    yield from chunks
    return completion


def _split_words(text: str) -> list[str]:
    """Chunks like a server's: each word with the space before it, so they join back exactly."""
    words = text.split(" ")
    return [words[0], *(" " + w for w in words[1:])] if text else []


def _word_usage(call: LLMCall, text: str) -> Usage:
    # Words, not tiktoken: doubles stay instant and deterministic; marked as an estimate.
    return Usage(
        input_tokens=sum(len(m.content.split()) for m in call.messages),
        output_tokens=len(text.split()),
        estimated=True,
    )
