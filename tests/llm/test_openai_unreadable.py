"""An HTTP 200 that is not an OpenAI-compatible reply, and streams that break: every one is an
LLMError (the app falls back to offline on those alone), never a crash."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from pydantic import BaseModel

from interviewer.llm.errors import RequestTimedOut, ServerError, ServerUnreachable, UnreadableReply
from interviewer.llm.protocol import Message

pytestmark = pytest.mark.allow_llm_client

QUESTION = [Message.user("Is the ETA the one shown before booking?")]
JSON_TYPE = {"content-type": "application/json"}
SSE = {"content-type": "text/event-stream"}
SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Proxy login</body></html>"
CHUNK = (
    b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"Half"},"finish_reason":null}]}\n\n'
)
LAST_CHUNK = (
    b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
)


class Verdict(BaseModel):
    score: int


CALLS: dict[str, Callable[..., object]] = {
    "complete": lambda client: client.complete(QUESTION),
    "structured": lambda client: client.structured(QUESTION, Verdict),
    "stream": lambda client: "".join(client.stream(QUESTION)),
}

UNREADABLE_BODIES = {
    "invalid-json": (httpx.Response(200, content=b'{"choices": [{"mess', headers=JSON_TYPE), "body is not JSON"),
    "not-utf8": (httpx.Response(200, content=b'{"choices": "caf\xe9\xff"}', headers=JSON_TYPE), "not UTF-8"),
    "html": (httpx.Response(200, content=SIGN_IN_PAGE, headers={"content-type": "text/html; charset=utf-8"}), "page"),
    "html-as-json": (httpx.Response(200, content=SIGN_IN_PAGE, headers=JSON_TYPE), "web page"),
    "no-choices": (httpx.Response(200, json={"id": "x", "object": "chat.completion"}), "choices: Field required"),
    "choices-null": (httpx.Response(200, json={"choices": None}), "choices: Input should be a valid list"),
    "choices-empty": (httpx.Response(200, json={"choices": []}), "choices: List should have at least 1 item"),
    "a-string": (httpx.Response(200, json="Hello from the proxy"), "not in the expected shape"),
    "choice-a-string": (httpx.Response(200, json={"choices": ["a"]}), "choices.0"),
    "content-a-number": (
        httpx.Response(200, json={"choices": [{"message": {"content": 5}}]}),
        "choices.0.message.content: Input should be a valid string",
    ),
}


def _unreadable_calls() -> Iterator[object]:
    for call in ("complete", "structured"):
        for name, (response, message) in UNREADABLE_BODIES.items():
            yield pytest.param(call, response, message, id=f"{call}-{name}")


@pytest.mark.parametrize(("call", "response", "message"), list(_unreadable_calls()))
def test_a_200_that_is_not_a_chat_completion_is_unreadable(server, make_client, call, response, message, sleeps):
    route = server.post("/chat/completions").mock(return_value=response)

    with pytest.raises(UnreadableReply, match=message) as caught:
        CALLS[call](make_client())

    assert "http://llm.test/v1" in str(caught.value) and "OPENAI_BASE_URL" in str(caught.value)
    assert caught.value.public == "the language-model server sent a reply that could not be read"
    assert route.call_count == 1 and sleeps == []  # asking again would get the same page


def test_a_stream_answered_with_a_web_page_fails_before_the_first_chunk(server, make_client):
    server.post("/chat/completions").mock(
        return_value=httpx.Response(200, content=SIGN_IN_PAGE, headers={"content-type": "text/html"})
    )

    with pytest.raises(UnreadableReply, match="web page"):
        make_client().stream(QUESTION)


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        (b"hello\nthis is not\nserver-sent events\n\n", SSE, r"no events \(its content type was text/event-stream\)"),
        (b"data: not json\n\n", SSE, "an event of the stream is not JSON"),
        (b"data: {\"choices\": \"abc\"}\n\n", SSE, "choices: Input should be a valid list"),
        (b"data: \"caf\xe9\"\n\n", SSE, "a line of the stream is not UTF-8"),
        (SIGN_IN_PAGE, {"content-type": "text/event-stream"}, "web page"),
        (b'{"choices": [{"message": {"content": "whole"}}]}', JSON_TYPE, r"held no events \(.*application/json"),
        (b"", SSE, "held no events"),
    ],
    ids=["garbage-lines", "data-not-json", "chunk-of-another-shape", "not-utf8", "html-as-sse", "json-as-sse", "empty"],
)
def test_a_stream_that_is_not_server_sent_events_is_unreadable(server, make_client, body, headers, message):
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=headers, content=body))

    with pytest.raises(UnreadableReply, match=message):
        "".join(make_client().stream(QUESTION))


def test_a_stream_that_ends_mid_event_is_unreadable_after_what_it_said(server, make_client):
    body = CHUNK + b'data: {"id":"c","object":"chat.completion.chunk","choi'
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=SSE, content=body))

    stream = make_client().stream(QUESTION)
    assert next(stream) == "Half"
    with pytest.raises(UnreadableReply, match="ended in the middle of an event"):
        next(stream)


def test_a_stream_that_stops_between_events_without_finishing_is_unreadable(server, make_client):
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=SSE, content=CHUNK))

    with pytest.raises(UnreadableReply, match=r"ended after 1 event\(s\), before the reply was complete"):
        "".join(make_client().stream(QUESTION))


@pytest.mark.parametrize(
    "body",
    [CHUNK + LAST_CHUNK, CHUNK + b"data: [DONE]\n\n", CHUNK + LAST_CHUNK + b": keep-alive\n\ndata: [DONE]"],
    ids=["finish-without-done", "done-without-finish", "done-without-blank-line"],
)
def test_a_stream_ending_with_done_or_a_finish_reason_is_complete(server, make_client, body):
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=SSE, content=body))

    assert "".join(make_client().stream(QUESTION)) == "Half"


@pytest.mark.parametrize(
    "event",
    [
        b'data: {"error": {"message": "CUDA out of memory", "code": 500}}\n\n',
        b'error: {"code": 500, "message": "CUDA out of memory", "type": "server_error"}\n\n',
    ],
    ids=["openai-style", "llama.cpp-style"],
)
def test_an_error_event_in_a_stream_is_a_server_error(server, make_client, event):
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=SSE, content=CHUNK + event))

    with pytest.raises(ServerError, match="failed mid-reply: CUDA out of memory") as caught:
        "".join(make_client().stream(QUESTION))

    assert caught.value.status is None


class _DropsAfterOneChunk(httpx.SyncByteStream):
    def __init__(self, error: Exception) -> None:
        self.error = error

    def __iter__(self) -> Iterator[bytes]:
        yield CHUNK
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.RemoteProtocolError("peer closed connection without sending complete message body"), ServerUnreachable),
        (httpx.ReadError("[Errno 104] Connection reset by peer"), ServerUnreachable),
        (httpx.ReadTimeout("timed out"), RequestTimedOut),
    ],
    ids=["closed", "reset", "timeout"],
)
def test_a_connection_dropped_mid_stream_is_an_llm_error(server, make_client, error, expected):
    server.post("/chat/completions").mock(
        return_value=httpx.Response(200, headers=SSE, stream=_DropsAfterOneChunk(error))
    )

    stream = make_client().stream(QUESTION)
    assert next(stream) == "Half"
    with pytest.raises(expected):
        next(stream)


def test_a_connection_dropped_mid_body_is_retried_then_unreachable(server, make_client, sleeps):
    class Drops(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'{"choices": [{"mess'
            raise httpx.RemoteProtocolError("peer closed connection")

    route = server.post("/chat/completions").mock(
        side_effect=lambda request: httpx.Response(200, headers=JSON_TYPE, stream=Drops())
    )

    with pytest.raises(ServerUnreachable, match="peer closed connection"):
        make_client().complete(QUESTION)

    assert route.call_count == 3
