"""What the chat client reads of a chat completion and of a stream chunk.

Only the fields the client uses, each typed, so that JSON of another shape is an
`UnreadableReply` at once rather than an AttributeError later. Deliberately looser than the
SDK's own types, which local servers do not always match: any finish_reason string ("eos",
"max_tokens"), and no `id`, `created` or `object` required.
"""

from __future__ import annotations

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


def chat_reply(reply: HttpReply, policy: HttpPolicy) -> ChatReply:
    return validated(ChatReply, reply_json(reply, policy), policy, "the chat completion")


def chat_chunk(payload: object, policy: HttpPolicy) -> ChatChunk:
    return validated(ChatChunk, payload, policy, "an event of the stream")
