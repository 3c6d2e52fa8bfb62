"""Record/replay: strict replay, secret-free recordings, and recordings that match the SDK's types."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from pydantic import BaseModel, ConfigDict, Field

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import ModelNotFound
from interviewer.llm.protocol import Message
from interviewer.openai_api.recording import (
    Cassette,
    RecordedRequest,
    RecordedResponse,
    RecordingError,
    RecordingTransport,
    ReplayMismatch,
    ReplayTransport,
    recorded_client,
)

RECORDINGS = Path(__file__).parents[1] / "recordings"
ALL_RECORDINGS = sorted(RECORDINGS.glob("*.json"))
INTERVIEWER = (
    "You are a calm, concise interviewer for a machine learning system design interview. "
    "Answer clarifying questions from the scenario's facts only."
)
QUESTION = (
    "Before I design anything: is the ETA the one shown before the rider books, "
    "or the one we keep updating during the trip?"
)
GRADER = [
    Message.system(
        "You grade one criterion of a mock ML interview. Quote the candidate's own words as evidence. "
        "Score from 0 (absent) to 4 (strong)."
    ),
    Message.user(
        "Criterion: latency and serving constraints.\n<transcript>\nCandidate: We need predictions in under 100 ms "
        "at p99, so I'd precompute driver features every 30 seconds and keep a gradient boosted model in memory.\n"
        "</transcript>"
    ),
]


class CriterionScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(description="The criterion graded.")
    score: int = Field(ge=0, le=4, description="0 (absent) to 4 (strong).")
    evidence: str = Field(description="A quote from the candidate.")


# -- the recordings themselves ----------------------------------------------------------------


def test_there_are_recordings():
    assert len(ALL_RECORDINGS) >= 10


@pytest.mark.parametrize("path", ALL_RECORDINGS, ids=lambda p: p.stem)
def test_every_recorded_body_validates_against_the_sdks_own_types(path):
    cassette = Cassette.load(path)

    for interaction in cassette.interactions:
        response = interaction.response
        if response.events is not None:
            assert response.events[-1] == "[DONE]"
            for event in response.events[:-1]:
                ChatCompletionChunk.model_validate(event)
        elif response.status == 200:
            ChatCompletion.model_validate(response.body)
        else:
            error = response.body.get("error", response.body)  # vLLM puts it at the top level
            assert isinstance(error["message"], str) and error["message"]


@pytest.mark.parametrize("path", ALL_RECORDINGS, ids=lambda p: p.stem)
def test_no_recording_holds_a_secret(path):
    text = path.read_text(encoding="utf-8")

    assert '"authorization"' not in text.lower()  # as a header key; the word may be in a prompt (card authorization)
    assert "Bearer" not in text
    for interaction in Cassette.load(path).interactions:
        assert set(interaction.request.headers) <= {"accept", "content-type"}


def test_the_sdk_types_reject_a_body_that_is_not_a_chat_completion():
    # Guards the test above: validation must be able to fail.
    with pytest.raises(ValueError):
        ChatCompletion.model_validate({"id": "x", "object": "chat.completion", "choices": []})


# -- replay through the real client -----------------------------------------------------------


def test_replays_a_plain_chat_exactly(llm_recording):
    llm = llm_recording("llamacpp_chat", match="exact")

    completion = llm.complete([Message.system(INTERVIEWER), Message.user(QUESTION)], max_tokens=200, temperature=0.3)

    assert completion.text.startswith("The ETA shown before the rider books.")
    assert completion.usage.input_tokens == 71


def test_replays_a_stream(llm_recording):
    llm = llm_recording("openai_stream", match="exact")

    stream = llm.stream([Message.system(INTERVIEWER), Message.user(QUESTION)])

    assert "".join(stream) == "Good question. It is the ETA shown before the rider books."
    assert stream.usage.output_tokens == 13


def test_replays_the_structured_fallback_request_for_request(llm_recording):
    llm = llm_recording("llamacpp_structured_fallback", match="exact")

    result = llm.structured(GRADER, CriterionScore)

    assert result.mode == "json_object"
    assert result.value.evidence.startswith("We need predictions in under 100 ms")


def test_replays_the_structured_repair_request_for_request(llm_recording):
    llm = llm_recording("ollama_structured_repair", match="exact")

    result = llm.structured(GRADER, CriterionScore)

    assert result.repaired and result.value.score == 3


def test_replays_a_recorded_error(llm_recording):
    llm = llm_recording("ollama_model_not_found")

    with pytest.raises(ModelNotFound, match=r"llama3\.2:1b"):
        llm.complete([Message.user(QUESTION)])


# -- strictness -------------------------------------------------------------------------------


def _cassette(*bodies: dict) -> Cassette:
    ok = {
        "id": "c",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}],
    }
    return Cassette(
        base_url="http://llm.test/v1",
        model="m",
        interactions=[
            {
                "request": RecordedRequest(method="POST", path="/v1/chat/completions", body=body),
                "response": RecordedResponse(status=200, body=ok),
            }
            for body in bodies
        ],
    )


def _write(tmp_path: Path, cassette: Cassette) -> Path:
    path = tmp_path / "case.json"
    cassette.save(path)
    return path


USER_ONLY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
WITH_SYSTEM = {"model": "m", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}]}


def test_replay_fails_when_requests_come_in_another_order(tmp_path, allow_llm_client):
    path = _write(tmp_path, _cassette(WITH_SYSTEM, USER_ONLY))

    expected = r"turn 1: .*roles: recorded \['system', 'user'\], now \['user'\]"
    with pytest.raises(ReplayMismatch, match=expected), recorded_client(path) as llm:
        llm.complete([Message.user("hi")])


def test_replay_fails_on_unused_turns(tmp_path, allow_llm_client):
    path = _write(tmp_path, _cassette(USER_ONLY, USER_ONLY))

    expected = r"1 recorded turn\(s\) were never requested: 2"
    with pytest.raises(ReplayMismatch, match=expected), recorded_client(path) as llm:
        llm.complete([Message.user("hi")])


def test_replay_fails_on_a_request_that_was_not_recorded(tmp_path, allow_llm_client):
    path = _write(tmp_path, _cassette(USER_ONLY))

    # Even if the code under test swallowed the error, the end-of-test check reports it.
    with pytest.raises(ReplayMismatch, match="was not recorded"), recorded_client(path) as llm:
        llm.complete([Message.user("hi")])
        with pytest.raises(ReplayMismatch, match="was not recorded"):
            llm.complete([Message.user("again")])


def test_shape_matching_tolerates_reworded_prompts_but_exact_does_not(tmp_path, allow_llm_client):
    path = _write(tmp_path, _cassette(USER_ONLY))

    with recorded_client(path) as llm:
        assert llm.complete([Message.user("a reworded prompt")]).text == "ok"

    with pytest.raises(ReplayMismatch, match="exact"), recorded_client(path, match="exact") as llm:
        llm.complete([Message.user("a reworded prompt")])


def test_a_missing_recording_says_how_to_record_it(tmp_path, allow_llm_client):
    with pytest.raises(RecordingError, match="INTERVIEWER_RECORD=1"), recorded_client(tmp_path / "nope.json"):
        pass


def test_record_mode_without_a_server_fails_clearly(tmp_path, allow_llm_client):
    with (
        pytest.raises(RecordingError, match="OPENAI_BASE_URL"),
        recorded_client(tmp_path / "new.json", record=True, settings=LLMSettings()),
    ):
        pass


def test_llm_recording_fixture_fails_a_test_that_leaves_turns_unused(pytester: pytest.Pytester):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    (pytester.path / "recordings").mkdir()
    _cassette(USER_ONLY, USER_ONLY).save(pytester.path / "recordings" / "two_turns.json")
    pytester.makepyfile(
        """
        from interviewer.llm.protocol import Message

        def test_asks_once(llm_recording):
            llm = llm_recording("two_turns")
            assert llm.complete([Message.user("hi")]).text == "ok"
        """
    )

    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 recorded turn(s) were never requested*"])


def test_a_failing_test_neither_checks_nor_saves_its_recording(pytester: pytest.Pytester):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    recordings = pytester.path / "recordings"
    recordings.mkdir()
    (recordings / "two_turns.json").write_text((RECORDINGS / "openai_rate_limited_then_ok.json").read_text())
    pytester.makepyfile(
        """
        def test_fails_first(llm_recording):
            llm_recording("two_turns")
            assert False, "the real failure"
        """
    )

    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")

    result.assert_outcomes(failed=1, errors=0)  # no second, misleading error about unused turns
    result.stdout.no_fnmatch_line("*never requested*")


# -- recording --------------------------------------------------------------------------------


def _fake_server(request: httpx.Request) -> httpx.Response:
    """Stands in for a real server; echoes the key in its error, as OpenAI does."""
    key = request.headers["authorization"].removeprefix("Bearer ")
    if json.loads(request.content)["messages"][-1]["content"] == "fail":
        return httpx.Response(
            401,
            headers={"set-cookie": "session=abc", "x-request-id": "req_1"},
            json={"error": {"message": f"Incorrect API key provided: {key}.", "code": "invalid_api_key"}},
        )
    body = {
        "id": "c",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hello"}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
    }
    return httpx.Response(200, headers={"openai-organization": "org-secret"}, json=body)


SECRET = "sk-live-0123456789abcdefghijklmnop"


def test_recording_strips_auth_headers_and_keys(tmp_path, allow_llm_client):
    from interviewer.llm.errors import AuthenticationFailed
    from interviewer.openai_api.chat import OpenAICompatibleClient

    recorder = RecordingTransport(httpx.MockTransport(_fake_server), secrets=[SECRET])
    settings = LLMSettings(api_key=SECRET, base_url="http://llm.test/v1", model="m")
    with OpenAICompatibleClient(settings, http_client=httpx.Client(transport=recorder)) as llm:
        assert llm.complete([Message.user("hi")]).text == "hello"
        with pytest.raises(AuthenticationFailed):
            llm.complete([Message.user("fail")])
    path = tmp_path / "recorded.json"
    recorder.cassette(base_url=settings.effective_base_url, model="m").save(path)

    text = path.read_text()
    assert SECRET not in text
    assert "sk-live" not in text
    assert '"authorization"' not in text.lower()  # as a header key; the word may be in a prompt (card authorization)
    assert "org-secret" not in text and "session=abc" not in text
    saved = Cassette.load(path)
    assert saved.interactions[1].response.body["error"]["message"] == "Incorrect API key provided: <redacted>."
    assert saved.interactions[0].request.headers == {"accept": "application/json", "content-type": "application/json"}


def test_a_recording_replays_what_was_recorded(tmp_path, allow_llm_client):
    from interviewer.openai_api.chat import OpenAICompatibleClient

    recorder = RecordingTransport(httpx.MockTransport(_fake_server))
    settings = LLMSettings(base_url="http://llm.test/v1", model="m")
    with OpenAICompatibleClient(settings, http_client=httpx.Client(transport=recorder)) as llm:
        recorded = llm.complete([Message.user("hi")])
    path = tmp_path / "round_trip.json"
    recorder.cassette(base_url=settings.effective_base_url, model="m").save(path)

    with recorded_client(path, match="exact") as llm:
        replayed = llm.complete([Message.user("hi")])

    assert replayed == recorded


def test_streams_are_recorded_as_events(allow_llm_client):
    from interviewer.openai_api.chat import OpenAICompatibleClient

    events = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}],
        }
        for word in ("a", " b")
    ]
    sse = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    inner = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"}, text=sse)
    )
    recorder = RecordingTransport(inner)
    with OpenAICompatibleClient(
        LLMSettings(base_url="http://llm.test/v1", model="m"), http_client=httpx.Client(transport=recorder)
    ) as llm:
        assert "".join(llm.stream([Message.user("hi")])) == "a b"

    assert recorder.interactions[0].response.events == [*events, "[DONE]"]


def test_replay_is_built_on_a_transport_that_can_be_used_directly():
    transport = ReplayTransport(_cassette(USER_ONLY), source="inline")
    client = httpx.Client(transport=transport, base_url="http://llm.test")

    response = client.post("/v1/chat/completions", json=USER_ONLY)

    assert response.json()["choices"][0]["message"]["content"] == "ok"
    transport.assert_complete()
