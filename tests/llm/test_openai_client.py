"""HTTP-level tests of the OpenAI-compatible client, with respx and recorded response bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

from interviewer.llm.errors import (
    AuthenticationFailed,
    BadRequest,
    ContextTooLong,
    EndpointNotFound,
    InvalidStructuredOutput,
    ModelNotFound,
    RateLimited,
    Refused,
    RequestTimedOut,
    ServerError,
    ServerUnreachable,
    Truncated,
)
from interviewer.openai_api.sdk import NO_KEY_PLACEHOLDER
from interviewer.llm.protocol import Message
from interviewer.llm.tokens import count_message_tokens, count_tokens

pytestmark = pytest.mark.allow_llm_client

BASE_URL = "http://llm.test/v1"  # as in conftest.py
SSE = {"content-type": "text/event-stream"}
QUESTION = [Message.system("You are an interviewer."), Message.user("Is the ETA the one shown before booking?")]
TRANSCRIPT = [Message.system("Grade one criterion."), Message.user("Candidate: under 100 ms at p99.")]


class CriterionScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(description="The criterion graded.")
    score: int = Field(ge=0, le=4, description="0 (absent) to 4 (strong).")
    evidence: str = Field(description="A quote from the candidate.")


def chat(content: str, *, finish: str = "stop") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "test-model",
            "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 10, "total_tokens": 30},
        },
    )


def sent(route) -> list[dict]:
    return [json.loads(call.request.content) for call in route.calls]


# -- plain completions ------------------------------------------------------------------------


def test_plain_completion_returns_text_usage_and_model(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("llamacpp_chat"))
    client = make_client(api_key="sk-test-key", model="qwen2.5-3b-instruct")

    completion = client.complete(QUESTION, max_tokens=200, temperature=0.3)

    assert completion.text.startswith("The ETA shown before the rider books.")
    assert (completion.usage.input_tokens, completion.usage.output_tokens, completion.usage.estimated) == (
        71,
        31,
        False,
    )
    assert completion.model == "qwen2.5-3b-instruct"
    assert completion.finish_reason == "stop"
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer sk-test-key"
    assert sent(route)[0] == {
        "model": "qwen2.5-3b-instruct",
        "messages": [
            {"role": "system", "content": "You are an interviewer."},
            {"role": "user", "content": "Is the ETA the one shown before booking?"},
        ],
        "max_tokens": 200,
        "temperature": 0.3,
    }


def test_openai_itself_gets_max_completion_tokens(make_client):
    import respx

    with respx.mock(base_url="https://api.openai.com/v1") as openai_server:
        route = openai_server.post("/chat/completions").mock(return_value=chat("ok"))
        make_client(base_url="https://api.openai.com/v1", api_key="sk-test").complete(QUESTION, max_tokens=50)

    body = sent(route)[0]
    assert body["max_completion_tokens"] == 50 and "max_tokens" not in body


def test_a_local_server_needs_no_key(server, make_client):
    route = server.post("/chat/completions").mock(return_value=chat("ok"))

    assert make_client().complete(QUESTION).text == "ok"
    assert route.calls.last.request.headers["authorization"] == f"Bearer {NO_KEY_PLACEHOLDER}"


def test_a_cut_off_plain_reply_is_returned_marked_truncated(server, make_client):
    server.post("/chat/completions").mock(return_value=chat("We could start with", finish="length"))

    completion = make_client().complete(QUESTION, max_tokens=5)

    assert completion.truncated and completion.text == "We could start with"


def test_a_server_without_usage_gets_an_estimate(server, make_client):
    body = chat("Fine.").json()
    del body["usage"]
    server.post("/chat/completions").mock(return_value=httpx.Response(200, json=body))

    usage = make_client().complete(QUESTION).usage

    assert usage.estimated
    assert usage.input_tokens == count_message_tokens(QUESTION, "test-model")
    assert usage.output_tokens == count_tokens("Fine.", "test-model")


# -- streaming --------------------------------------------------------------------------------


def test_stream_yields_every_chunk_and_the_servers_usage(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("openai_stream"))

    stream = make_client(model="gpt-4o-mini").stream(QUESTION)
    chunks = list(stream)

    assert "".join(chunks) == "Good question. It is the ETA shown before the rider books."
    assert len(chunks) == 13  # the empty role-only first delta is not a chunk
    assert (stream.usage.input_tokens, stream.usage.output_tokens, stream.usage.estimated) == (58, 13, False)
    assert stream.completion.finish_reason == "stop"
    assert stream.completion.model == "gpt-4o-mini-2024-07-18"
    assert sent(route)[0]["stream"] is True
    assert sent(route)[0]["stream_options"] == {"include_usage": True}


def test_stream_from_a_server_that_sends_no_usage_is_estimated(server, make_client, recorded):
    server.post("/chat/completions").mock(side_effect=recorded("ollama_stream_no_usage"))

    stream = make_client(model="llama3.1:8b").stream(QUESTION)
    text = "".join(stream)

    assert text == "It's the estimate shown before booking."
    assert stream.usage.estimated
    assert stream.usage.output_tokens == count_tokens(text, "llama3.1:8b")
    assert stream.usage.input_tokens == count_message_tokens(QUESTION, "llama3.1:8b")


def test_usage_is_not_available_before_the_stream_ends(server, make_client, recorded):
    server.post("/chat/completions").mock(side_effect=recorded("openai_stream"))

    stream = make_client().stream(QUESTION)
    next(stream)

    with pytest.raises(RuntimeError, match="read to the end"):
        _ = stream.usage
    assert stream.read_all().usage.output_tokens == 13


def test_stream_is_sent_again_without_stream_options_when_the_server_rejects_them(server, make_client, recorded):
    rejection = httpx.Response(
        400, json={"error": {"message": "Unrecognized request argument supplied: stream_options"}}
    )
    route = server.post("/chat/completions").mock(side_effect=[rejection, *recorded("ollama_stream_no_usage")])

    text = "".join(make_client().stream(QUESTION))

    assert text == "It's the estimate shown before booking."
    assert ["stream_options" in body for body in sent(route)] == [True, False]


class _BrokenStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield (
            b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",'
            b'"choices":[{"index":0,"delta":{"content":"Half"},"finish_reason":null}]}\n\n'
        )
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def test_a_stream_that_breaks_off_raises_server_unreachable(server, make_client):
    server.post("/chat/completions").mock(return_value=httpx.Response(200, headers=SSE, stream=_BrokenStream()))

    stream = make_client().stream(QUESTION)
    assert next(stream) == "Half"
    with pytest.raises(ServerUnreachable, match="broke off"):
        next(stream)


class _TrackedStream(httpx.SyncByteStream):
    """An SSE body that remembers whether the client released it."""

    def __init__(self, body: bytes) -> None:
        self.body, self.closed = body, False

    def __iter__(self) -> Iterator[bytes]:
        yield self.body

    def close(self) -> None:
        self.closed = True


def test_closing_a_stream_early_releases_the_connection(server, make_client, recorded):
    body = recorded("openai_stream")[0].content
    bodies = [_TrackedStream(body), _TrackedStream(body)]
    server.post("/chat/completions").mock(side_effect=[httpx.Response(200, headers=SSE, stream=b) for b in bodies])

    with make_client().stream(QUESTION) as stream:
        first = next(stream)
    with make_client().stream(QUESTION):
        pass  # never iterated: the response must still be released

    assert first == "Good"
    assert [b.closed for b in bodies] == [True, True]


def test_a_failing_stream_raises_before_any_chunk(server, make_client, recorded):
    server.post("/chat/completions").mock(side_effect=recorded("openai_invalid_key"))

    with pytest.raises(AuthenticationFailed):
        make_client().stream(QUESTION)


# -- retries, timeouts and errors -------------------------------------------------------------


def test_429_is_retried_after_the_servers_retry_after(server, make_client, recorded, sleeps):
    route = server.post("/chat/completions").mock(side_effect=recorded("openai_rate_limited_then_ok"))

    completion = make_client().complete(QUESTION)

    assert completion.text == "Let's start with the data you would need."
    assert route.call_count == 2
    assert sleeps == [1.0]


def test_500_is_retried_with_backoff(server, make_client, recorded, sleeps):
    route = server.post("/chat/completions").mock(side_effect=recorded("llamacpp_server_error_then_ok"))

    completion = make_client().complete(QUESTION)

    assert completion.text.startswith("The ETA shown")
    assert route.call_count == 2
    assert sleeps == [0.5]


def test_retries_back_off_exponentially_then_give_up(server, make_client, sleeps):
    route = server.post("/chat/completions").mock(return_value=httpx.Response(503, text="Service Unavailable"))

    with pytest.raises(ServerError, match="HTTP 503 on 4 attempt") as caught:
        make_client(max_retries=3).complete(QUESTION)

    assert route.call_count == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert "check the server's logs" in str(caught.value).lower()


@pytest.mark.parametrize("status", [408, 409])
def test_timeout_and_conflict_statuses_are_retried(server, make_client, status):
    route = server.post("/chat/completions").mock(side_effect=[httpx.Response(status), chat("ok")])

    assert make_client().complete(QUESTION).text == "ok"
    assert route.call_count == 2


def test_rate_limit_that_persists_becomes_rate_limited(server, make_client, recorded, sleeps):
    limited = recorded("openai_rate_limited_then_ok")[0]
    route = server.post("/chat/completions").mock(side_effect=[limited, limited, limited])

    with pytest.raises(RateLimited, match="Wait a minute") as caught:
        make_client().complete(QUESTION)

    assert route.call_count == 3
    assert caught.value.retry_after == 1.0


def test_a_long_retry_after_is_reported_not_waited_for(server, make_client, sleeps):
    limited = httpx.Response(429, headers={"retry-after": "3600"}, json={"error": {"message": "Try again in 1h"}})
    route = server.post("/chat/completions").mock(return_value=limited)

    with pytest.raises(RateLimited, match="wait 3600 s"):
        make_client().complete(QUESTION)

    assert route.call_count == 1 and sleeps == []


def test_an_exhausted_quota_is_not_retried(server, make_client, sleeps):
    quota = httpx.Response(
        429, json={"error": {"message": "You exceeded your current quota", "code": "insufficient_quota"}}
    )
    route = server.post("/chat/completions").mock(return_value=quota)

    with pytest.raises(RateLimited, match="quota"):
        make_client().complete(QUESTION)

    assert route.call_count == 1


def test_a_timeout_is_retried_then_reported(server, make_client, sleeps):
    route = server.post("/chat/completions").mock(side_effect=httpx.ReadTimeout("timed out"))

    with pytest.raises(RequestTimedOut, match="INTERVIEWER_LLM_TIMEOUT") as caught:
        make_client(timeout_seconds=7).complete(QUESTION)

    assert route.call_count == 3
    assert sleeps == [0.5, 1.0]
    assert "7 s" in str(caught.value)
    assert route.calls.last.request.extensions["timeout"]["read"] == 7


def test_a_timeout_then_an_answer_succeeds(server, make_client):
    server.post("/chat/completions").mock(side_effect=[httpx.ConnectTimeout("timed out"), chat("ok")])

    assert make_client().complete(QUESTION).text == "ok"


def test_an_unreachable_server_says_to_check_the_base_url(server, make_client):
    server.post("/chat/completions").mock(side_effect=httpx.ConnectError("[Errno 111] Connection refused"))

    with pytest.raises(ServerUnreachable, match="OPENAI_BASE_URL") as caught:
        make_client().complete(QUESTION)

    assert BASE_URL in str(caught.value)


def test_a_wrong_key_is_not_retried_and_says_which_variable_to_fix(server, make_client, recorded, sleeps):
    route = server.post("/chat/completions").mock(side_effect=recorded("openai_invalid_key"))

    with pytest.raises(AuthenticationFailed, match="OPENAI_API_KEY") as caught:
        make_client(api_key="sk-wrong-key-0123456789").complete(QUESTION)

    assert route.call_count == 1 and sleeps == []
    assert "sk-wrong-key-0123456789" not in str(caught.value)


def test_an_unknown_model_names_the_model_and_how_to_get_it(server, make_client, recorded):
    server.post("/chat/completions").mock(side_effect=recorded("ollama_model_not_found"))

    with pytest.raises(ModelNotFound, match="INTERVIEWER_MODEL") as caught:
        make_client(model="llama3.2:1b").complete(QUESTION)

    assert "ollama pull llama3.2:1b" in str(caught.value)


def test_a_404_that_is_not_about_the_model_points_at_the_base_url(server, make_client):
    server.post("/chat/completions").mock(return_value=httpx.Response(404, text="404 page not found"))

    with pytest.raises(EndpointNotFound, match="end in /v1"):
        make_client().complete(QUESTION)


def test_a_prompt_too_long_for_the_window_is_context_too_long(server, make_client, recorded):
    server.post("/chat/completions").mock(side_effect=recorded("vllm_context_too_long"))

    with pytest.raises(ContextTooLong, match="INTERVIEWER_CONTEXT_WINDOW") as caught:
        make_client(model="Qwen/Qwen2.5-7B-Instruct").complete(QUESTION)

    assert "maximum context length is 4096" in str(caught.value)


# -- structured output ------------------------------------------------------------------------


def test_json_schema_is_used_when_the_server_accepts_it(server, make_client):
    reply = '{"criterion": "latency", "score": 3, "evidence": "under 100 ms at p99"}'
    route = server.post("/chat/completions").mock(return_value=chat(reply))

    result = make_client().structured(TRANSCRIPT, CriterionScore)

    assert result.value == CriterionScore(criterion="latency", score=3, evidence="under 100 ms at p99")
    assert result.mode == "json_schema" and not result.repaired
    response_format = sent(route)[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["strict"] is True
    assert response_format["json_schema"]["schema"]["required"] == ["criterion", "score", "evidence"]


def test_json_schema_rejected_with_500_falls_back_to_json_object_without_retrying(
    server, make_client, recorded, sleeps
):
    route = server.post("/chat/completions").mock(side_effect=recorded("llamacpp_structured_fallback"))
    client = make_client(model="qwen2.5-3b-instruct")

    result = client.structured(TRANSCRIPT, CriterionScore)

    assert result.mode == "json_object"
    assert result.value.score == 3
    assert [body.get("response_format", {}).get("type") for body in sent(route)] == ["json_schema", "json_object"]
    assert sleeps == []  # a format rejection is not a transient failure
    assert '"required":["criterion","score","evidence"]' in sent(route)[1]["messages"][0]["content"]
    assert sent(route)[1]["messages"][0]["content"].startswith("Grade one criterion.")

    # The rejection is remembered: the next structured call goes straight to json_object.
    route.side_effect = None
    route.return_value = chat('{"criterion": "c", "score": 1, "evidence": "e"}')
    assert client.structured(TRANSCRIPT, CriterionScore).mode == "json_object"
    assert sent(route)[-1]["response_format"] == {"type": "json_object"}


def test_both_json_formats_rejected_falls_back_to_plain_text(server, make_client):
    rejected = httpx.Response(400, json={"error": {"message": "response_format is not supported"}})
    prose = 'Sure! Here is the JSON:\n{"criterion": "latency", "score": 2, "evidence": "p99"}\nHope this helps.'
    route = server.post("/chat/completions").mock(side_effect=[rejected, rejected, chat(prose)])

    result = make_client().structured(TRANSCRIPT, CriterionScore)

    assert result.mode == "text" and result.value.score == 2
    assert [body.get("response_format", {}).get("type") for body in sent(route)] == ["json_schema", "json_object", None]
    assert "JSON Schema" in sent(route)[2]["messages"][0]["content"]


def test_malformed_output_is_repaired_once_with_the_validation_errors(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("ollama_structured_repair"))

    result = make_client(model="llama3.2:3b").structured(TRANSCRIPT, CriterionScore)

    assert result.repaired and result.value.score == 3
    assert (result.usage.input_tokens, result.usage.output_tokens) == (188 + 262, 29 + 41)
    repair = sent(route)[1]["messages"]
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert json.loads(repair[2]["content"])["score"] == "high"  # the model sees its own reply
    assert "score: Input should be a valid integer" in repair[3]["content"]


def test_output_that_never_validates_fails_closed(server, make_client):
    route = server.post("/chat/completions").mock(
        side_effect=[chat('{"criterion": "latency", "score": 9}'), chat("I think the score is 3.")]
    )

    with pytest.raises(InvalidStructuredOutput, match="CriterionScore") as caught:
        make_client().structured(TRANSCRIPT, CriterionScore)

    assert route.call_count == 2  # one attempt, one repair, no more
    assert "no JSON object" in caught.value.errors


def test_a_refusal_fails_closed_without_a_repair_attempt(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("openai_refusal"))

    with pytest.raises(Refused, match="can't help with that"):
        make_client().structured(TRANSCRIPT, CriterionScore)

    assert route.call_count == 1


def test_a_truncated_structured_reply_fails_closed(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("vllm_truncated"))

    with pytest.raises(Truncated, match="24 tokens"):
        make_client().structured(TRANSCRIPT, CriterionScore, max_tokens=24)

    assert route.call_count == 1


def test_a_context_error_during_structured_output_is_not_mistaken_for_a_format_rejection(server, make_client, recorded):
    route = server.post("/chat/completions").mock(side_effect=recorded("vllm_context_too_long"))

    with pytest.raises(ContextTooLong):
        make_client().structured(TRANSCRIPT, CriterionScore)

    assert route.call_count == 1


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, {"error": {"message": "The model `gpt-9` does not exist", "code": "model_not_found"}}, ModelNotFound),
        (404, {"object": "error", "message": "The model `llama-3` does not exist.", "code": 404}, ModelNotFound),
        (400, {"error": "No models loaded. Please load a model in the developer page first."}, ModelNotFound),
        (400, {"error": {"message": "Unrecognized request argument supplied: top_k"}}, BadRequest),
        (403, {"error": {"message": "Project does not have access"}}, AuthenticationFailed),
        (
            400,
            {
                "error": {
                    "code": 400,
                    "message": "the request exceeds the available context size, try increasing it",
                    "type": "exceed_context_size_error",
                }
            },
            ContextTooLong,
        ),
    ],
)
def test_server_errors_map_to_the_projects_errors(server, make_client, status, body, error):
    server.post("/chat/completions").mock(return_value=httpx.Response(status, json=body))

    with pytest.raises(error):
        make_client().complete(QUESTION)


# -- secrets in what the server says ----------------------------------------------------------

KEY = "local-secret-key-42"


@pytest.mark.parametrize(
    ("status", "error_type"), [(400, BadRequest), (401, AuthenticationFailed), (500, ServerError)]
)
def test_a_server_echoing_the_key_does_not_put_it_into_the_error(server, make_client, status, error_type):
    echo = (
        f"Invalid key {KEY} (sent as 'Authorization: Bearer {KEY}'); did you mean sk-proj-abcdefghijklmnop0123? "
        "See https://llm.test/docs?token=abc"
    )
    server.post("/chat/completions").mock(return_value=httpx.Response(status, json={"error": {"message": echo}}))

    with pytest.raises(error_type) as caught:
        make_client(api_key=KEY, max_retries=0).complete(QUESTION)

    error = caught.value
    for text in (str(error), error.public):
        assert KEY not in text and "sk-proj" not in text and "token=abc" not in text
    assert "Invalid key <redacted>" in str(error)
    assert "http" not in error.public and "llm.test" not in error.public
    # The SDK's own error quotes the server too: it is not chained on, so no traceback shows it.
    assert error.__cause__ is None and error.__suppress_context__


def test_a_key_in_a_plain_text_error_page_is_scrubbed_too(server, make_client):
    server.post("/chat/completions").mock(return_value=httpx.Response(403, text=f"<h1>Forbidden</h1> key={KEY}"))

    with pytest.raises(AuthenticationFailed) as caught:
        make_client(api_key=KEY).complete(QUESTION)

    assert KEY not in str(caught.value)


def test_a_405_points_at_the_base_url(server, make_client):
    server.post("/chat/completions").mock(return_value=httpx.Response(405, text="Method Not Allowed"))

    with pytest.raises(EndpointNotFound, match=r"HTTP 405.*end in /v1"):
        make_client().complete(QUESTION)
