"""Reading what a server sent back, strictly.

An HTTP 200 is not yet a reply: behind a wrong OPENAI_BASE_URL or a proxy it can be a sign-in
page, broken JSON, bytes that are not text, JSON of another shape, or a stream cut off in the
middle. The SDK hands such bodies on as strings or half-built objects; these readers turn each
into an `UnreadableReply` instead, which callers catch like every other `LLMError`.

The bodies are read here rather than by the SDK's parser for that reason: the SDK builds its
types without validating them (so a missing `choices` only fails later, as an AttributeError),
and its stream reader cannot tell a stream that finished from one that was cut off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from interviewer.llm.errors import UnreadableReply
from interviewer.llm.structured_output import describe_errors
from interviewer.openai_api.policy import TRANSPORT_ERRORS, HttpPolicy

M = TypeVar("M", bound=BaseModel)

DONE = "[DONE]"
WEB_PAGE = "it sent a web page (HTML), not an API reply"
_HTML_START = re.compile(rb"\s*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)


class ServerData(BaseModel):
    """Base of the models of what a server sends. Unlike the project's own models, fields we do
    not read are ignored (not forbidden), so a server adding one breaks nothing."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class HttpReply(Protocol):
    """What is read of a response: httpx's (in tests) and httpx2's (under the SDK) alike."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def content(self) -> bytes: ...

    def iter_bytes(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


def content_type(reply: HttpReply) -> str:
    """The media type alone, lower case: "application/json" for "application/json; charset=utf-8"."""
    return reply.headers.get("content-type", "").split(";")[0].strip().lower()


def is_json_type(kind: str) -> bool:
    return kind == "application/json" or kind.endswith("+json")


def is_web_page(reply: HttpReply, start: bytes = b"") -> bool:
    """An HTML page, however it is labelled: a proxy's sign-in page is the usual one."""
    return content_type(reply) == "text/html" or bool(_HTML_START.match(start))


def reject_web_page(reply: HttpReply, start: bytes, policy: HttpPolicy) -> None:
    if is_web_page(reply, start):
        raise UnreadableReply(policy.base_url, WEB_PAGE)


def reply_text(reply: HttpReply, policy: HttpPolicy) -> str:
    """The body as text. OpenAI's API speaks UTF-8 only, so other bytes mean another server."""
    reject_web_page(reply, reply.content[:200], policy)
    try:
        return reply.content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableReply(policy.base_url, f"the body is not UTF-8 text (byte {error.start})") from None


def reply_json(reply: HttpReply, policy: HttpPolicy) -> Any:
    return parse_json(reply_text(reply, policy), policy, "the body")


def parse_json(text: str, policy: HttpPolicy, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableReply(policy.base_url, f"{what} is not JSON ({error.msg} at character {error.pos})") from None


def validated(model: type[M], data: Any, policy: HttpPolicy, what: str) -> M:
    """`data` as `model`, or UnreadableReply naming what did not fit (never the values themselves)."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = describe_errors(error)
        raise UnreadableReply(policy.base_url, f"{what} is not in the expected shape ({problems})") from None


class SseEvents:
    """The JSON payload of each event of a server-sent-event stream, up to `data: [DONE]`.

    Iterate once; then `finished` says whether the stream ended with [DONE]. Raises an error
    event as a ServerError, a broken connection as the policy says, and UnreadableReply for a
    web page, a line that is not UTF-8, a payload that is not JSON, or a stream that ends in the
    middle of an event.
    """

    def __init__(self, reply: HttpReply, policy: HttpPolicy) -> None:
        self._reply, self._policy = reply, policy
        self.finished = False

    def __iter__(self) -> Iterator[Any]:
        data: list[str] = []  # the data lines of the event being read
        try:
            for line in _lines(self._reply, self._policy):
                if line:
                    self._take(line, data)
                    continue
                payload, data = "\n".join(data), []  # a blank line ends an event
                if payload == DONE:
                    self.finished = True
                    return
                if payload:
                    yield _event_payload(payload, self._policy)
        except TRANSPORT_ERRORS as error:
            raise self._policy.broken_stream(error) from None
        tail = "\n".join(data)
        if tail and tail != DONE:
            raise UnreadableReply(self._policy.base_url, "the stream ended in the middle of an event")
        self.finished = tail == DONE

    def _take(self, line: str, data: list[str]) -> None:
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value.removeprefix(" "))
        elif field == "error":  # llama.cpp's way of failing mid-stream
            raise self._policy.stream_error(parse_json(value, self._policy, "an error event of the stream"))
        # Comments (":" keep-alives), event:, id: and retry: carry nothing for us.


def _lines(reply: HttpReply, policy: HttpPolicy) -> Iterator[str]:
    """Lines of the body, decoded one by one, strictly; the last one even without its newline."""
    pending, first = b"", True
    for chunk in reply.iter_bytes():
        if first and chunk:
            reject_web_page(reply, chunk[:200], policy)
            first = False
        *complete, pending = (pending + chunk).split(b"\n")
        yield from (_decoded(raw, policy) for raw in complete)
    if pending:
        yield _decoded(pending, policy)


def _decoded(raw: bytes, policy: HttpPolicy) -> str:
    try:
        return raw.removesuffix(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableReply(policy.base_url, "a line of the stream is not UTF-8 text") from None


def _event_payload(payload: str, policy: HttpPolicy) -> Any:
    value = parse_json(payload, policy, "an event of the stream")
    if isinstance(value, dict) and value.get("error"):
        raise policy.stream_error(value["error"])
    return value

