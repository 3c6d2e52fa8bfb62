"""The one interface the rest of the app uses to talk to a language model.

Everything here is plain data or a small wrapper: no network, no `openai` import. The real
client (`interviewer/openai_api/chat.py`) and the test doubles (`fakes.py`) both satisfy `LLMClient`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from types import TracebackType
from typing import Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant"]

# Why the model stopped; None when a server does not say (some streaming servers).
FinishReason = Literal["stop", "length", "content_filter", "tool_calls", "function_call"]

# How a structured reply was obtained, strongest first; "scripted" is for test doubles.
StructuredMode = Literal["json_schema", "json_object", "text", "scripted"]

T = TypeVar("T", bound=BaseModel)


class Message(BaseModel):
    """One chat message. Content is plain text: callers normalise UI-specific shapes first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role = Field(description="Who speaks: the system prompt, the candidate, or the model.")
    content: str = Field(description="The text of the message.")

    @classmethod
    def system(cls, content: str) -> Message:
        return cls(role="system", content=content)

    @classmethod
    def user(cls, content: str) -> Message:
        return cls(role="user", content=content)

    @classmethod
    def assistant(cls, content: str) -> Message:
        return cls(role="assistant", content=content)


class Usage(BaseModel):
    """Tokens one call consumed. `estimated` is True when counted locally, not by the server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input_tokens: int = Field(ge=0, description="Prompt tokens sent to the model.")
    output_tokens: int = Field(ge=0, description="Tokens the model generated.")
    estimated: bool = Field(
        default=False,
        description="True when the server reported no usage and the numbers were counted with tiktoken.",
    )

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            estimated=self.estimated or other.estimated,
        )


ZERO_USAGE = Usage(input_tokens=0, output_tokens=0)


class Completion(BaseModel):
    """The result of a plain (or fully consumed streamed) completion."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(description="The model's reply.")
    usage: Usage = Field(description="Tokens in and out for this call.")
    model: str = Field(description="The model that answered, as the server names it.")
    finish_reason: FinishReason | None = Field(
        default="stop", description="Why generation stopped; 'length' means the reply was cut off."
    )

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


class Structured(BaseModel, Generic[T]):
    """A validated structured reply: `value` is an instance of the requested pydantic model."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: T = Field(description="The reply, validated against the requested model.")
    usage: Usage = Field(description="Tokens for every request this answer took, repairs included.")
    model: str = Field(description="The model that answered.")
    mode: StructuredMode = Field(description="Which response format produced the reply.")
    repaired: bool = Field(default=False, description="True when a repair request was needed.")


class TextStream(Iterator[str]):
    """An iterator of text chunks; once exhausted, `completion` holds the text and usage.

    Wraps a generator that yields chunks and *returns* the final `Completion`, so the real
    client and the fakes share the same behaviour, including `close()` on early exit.
    """

    def __init__(self, chunks: Generator[str, None, Completion], on_close: Callable[[], None] | None = None) -> None:
        self._chunks = chunks
        self._on_close = on_close
        self._completion: Completion | None = None

    def __iter__(self) -> TextStream:
        return self

    def __next__(self) -> str:
        try:
            return next(self._chunks)
        except StopIteration as stop:
            self._completion = stop.value
            raise

    @property
    def done(self) -> bool:
        return self._completion is not None

    @property
    def completion(self) -> Completion:
        if self._completion is None:
            # Usage is only known at the end of a stream: asking earlier is a caller bug.
            raise RuntimeError("The stream has not been read to the end yet; iterate it fully first.")
        return self._completion

    @property
    def usage(self) -> Usage:
        return self.completion.usage

    @property
    def text(self) -> str:
        return self.completion.text

    def read_all(self) -> Completion:
        """Consume the rest of the stream and return the completion."""
        for _ in self:
            pass
        return self.completion

    def close(self) -> None:
        """Stop early and release the connection (also when the stream was never iterated)."""
        self._chunks.close()
        if self._on_close is not None:
            self._on_close()

    def __enter__(self) -> TextStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@runtime_checkable
class LLMClient(Protocol):
    """What the engine, voice and grader need from a language model, and nothing more."""

    @property
    def model(self) -> str:
        """The model this client asks (used for token counting and prices)."""
        ...

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Completion:
        """Return the whole reply at once."""
        ...

    def stream(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> TextStream:
        """Return the reply as text chunks; usage is on the stream once it is exhausted."""
        ...

    def structured(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Structured[T]:
        """Return a reply validated as `schema`, or raise: never an unvalidated result."""
        ...
