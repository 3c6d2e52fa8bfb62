"""What the chat client reads of a chat completion and of a stream chunk.

Only the fields the client uses, each typed, so that JSON of another shape is an
`UnreadableReply` at once rather than an AttributeError later. Deliberately looser than the
SDK's own types, which local servers do not always match: any finish_reason string ("eos",
"max_tokens"), and no `id`, `created` or `object` required.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from interviewer.openai_api.policy import HttpPolicy
from interviewer.openai_api.replies import HttpReply, ServerData, reply_json, validated


class ReplyUsage(ServerData):
    """Tokens as the server counted them; a missing count means "count locally"."""

    prompt_tokens: int | None = Field(default=None, ge=0)
    completion_tokens: int | None = Field(default=None, ge=0)


class ReplyMessage(ServerData):
    content: str | None = None
    refusal: str | None = None


class ReplyChoice(ServerData):
    finish_reason: str | None = None
    message: ReplyMessage


class ChatReply(ServerData):
    """A whole chat completion."""

    model: str | None = None
    choices: list[ReplyChoice] = Field(min_length=1, description="The first choice is the reply.")
    usage: ReplyUsage | None = None


class ChunkDelta(ServerData):
    content: str | None = None
    refusal: str | None = None


class ChunkChoice(ServerData):
    index: int = 0
    finish_reason: str | None = None
    delta: ChunkDelta | None = None


class ChatChunk(ServerData):
    """One event of a streamed chat completion; the last may hold only `usage`."""

    model: str | None = None
    choices: list[ChunkChoice] | None = None
    usage: ReplyUsage | None = None


@dataclass
class StreamedReply:
    """What a stream has said so far: the first choice's text and refusal, and how it ended."""

    model: str
    parts: list[str] = field(default_factory=list)
    refusal: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    usage: ReplyUsage | None = None
    chunks: int = 0

    def add(self, chunk: ChatChunk) -> str:
        """Take in one chunk; returns the text it adds ("" for none)."""
        self.chunks += 1
        self.model, self.usage = chunk.model or self.model, chunk.usage or self.usage
        added = ""
        for choice in chunk.choices or ():
            if choice.index != 0:
                continue
            self.finish_reason = choice.finish_reason or self.finish_reason
            delta = choice.delta or ChunkDelta()
            if delta.refusal:
                self.refusal.append(delta.refusal)
            if delta.content:
                self.parts.append(delta.content)
                added += delta.content
        return added


def chat_reply(reply: HttpReply, policy: HttpPolicy) -> ChatReply:
    return validated(ChatReply, reply_json(reply, policy), policy, "the chat completion")


def chat_chunk(payload: object, policy: HttpPolicy) -> ChatChunk:
    return validated(ChatChunk, payload, policy, "an event of the stream")
