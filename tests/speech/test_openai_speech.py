"""The OpenAI-compatible speech backends against respx-mocked endpoints: request shape, auth,
timings, and every failure mapped to the project's LLM errors, unreadable replies included."""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
import respx
from pydantic import SecretStr

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import (
    AuthenticationFailed,
    BadRequest,
    EndpointNotFound,
    LLMConfigError,
    LLMError,
    ModelNotFound,
    RateLimited,
    RealClientForbidden,
    RequestTimedOut,
    ServerError,
    ServerUnreachable,
    SpeechEndpointNotFound,
    SpeechModelNotFound,
    UnplayableAudio,
    UnreadableReply,
)
from interviewer.openai_api.audio import MAX_SPEECH_CHARS, OpenAISynthesizer, OpenAITranscriber, split_for_speech
from interviewer.openai_api.sdk import NO_KEY_PLACEHOLDER
from interviewer.speech.audio import read_wav, wav_bytes
from interviewer.speech.protocol import expecting
from speech.synthetic import tone

BASE_URL = "http://speech.test/v1"
AUDIO = np.round(tone(1.0, rate=24_000) * 32767).astype(np.int16)
VERBOSE = {
    "task": "transcribe",
    "language": "english",
    "duration": 1.0,
    "text": " I would use a time split.",
    "words": [
        {"word": "I", "start": 0.0, "end": 0.1},
        {"word": "would", "start": 0.1, "end": 0.3},
        {"word": "use", "start": 0.3, "end": 0.45},
        {"word": "a", "start": 0.45, "end": 0.5},
        {"word": "time", "start": 0.5, "end": 0.7},
        {"word": "split.", "start": 0.7, "end": 1.0},
    ],
    "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 1.0, "text": " I would use a time split."}],
}

pytestmark = pytest.mark.allow_llm_client


def settings(*, key: str | None = None, retries: int = 0) -> LLMSettings:
    return LLMSettings(base_url=BASE_URL, api_key=SecretStr(key) if key else None, max_retries=retries)


@pytest.fixture
def server() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


_OPENED: list[OpenAITranscriber | OpenAISynthesizer] = []


def transcriber(config: LLMSettings | None = None, **options: Any) -> OpenAITranscriber:
    """A transcriber on httpx, which respx intercepts (the SDK's default httpx2 it would not)."""
    client = OpenAITranscriber(config or settings(), http_client=httpx.Client(), **options)
    _OPENED.append(client)
    return client


def synthesizer(config: LLMSettings | None = None, **options: Any) -> OpenAISynthesizer:
    client = OpenAISynthesizer(config or settings(), http_client=httpx.Client(), **options)
    _OPENED.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def form_fields(request: httpx.Request) -> dict[str, list[bytes]]:
    """The multipart form of a request: field name -> values (file contents for files)."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    fields: dict[str, list[bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        fields.setdefault(str(name), []).append(payload)
    return fields


def speech_wav(samples: np.ndarray = AUDIO, rate: int = 24_000) -> httpx.Response:
    return httpx.Response(200, content=wav_bytes(samples, rate), headers={"content-type": "audio/wav"})


# --- transcription ---------------------------------------------------------------------------


def test_transcription_posts_the_audio_as_wav_and_reads_word_timings(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").respond(json=VERBOSE)
    transcript = transcriber(settings()).transcribe(AUDIO, 24_000)

    request = route.calls.last.request
    fields = form_fields(request)
    assert fields["model"] == [b"whisper-1"]
    assert fields["response_format"] == [b"verbose_json"]
    assert fields["language"] == [b"en"]
    assert fields["timestamp_granularities[]"] == [b"word", b"segment"]
    rate, uploaded = read_wav(fields["file"][0])
    assert rate == 24_000
    np.testing.assert_array_equal(uploaded, AUDIO)
    assert 'filename="answer.wav"' in request.content.decode("latin-1")

    assert transcript.text == "I would use a time split."
    assert [w.word for w in transcript.words] == ["I", "would", "use", "a", "time", "split."]
    assert transcript.words[-1].end == 1.0
    assert transcript.segments[0].text == "I would use a time split."
    assert (transcript.language, transcript.model, transcript.duration_seconds) == ("en", "whisper-1", 1.0)


def test_the_questions_terms_go_as_the_prompt_and_no_prompt_is_sent_without_them(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").respond(json=VERBOSE)
    plain = transcriber(settings())
    expecting(plain, ["LightGBM", "PR AUC"]).transcribe(AUDIO, 24_000)
    assert form_fields(route.calls.last.request)["prompt"] == [b"LightGBM, PR AUC."]
    plain.transcribe(AUDIO, 24_000)
    assert "prompt" not in form_fields(route.calls.last.request)


def test_the_key_is_sent_and_a_local_server_gets_the_placeholder(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").respond(json={"text": "ok"})
    transcriber(settings(key="sk-test-123")).transcribe(AUDIO, 24_000)
    assert route.calls.last.request.headers["authorization"] == "Bearer sk-test-123"
    transcriber(settings()).transcribe(AUDIO, 24_000)
    assert route.calls.last.request.headers["authorization"] == f"Bearer {NO_KEY_PLACEHOLDER}"


def test_the_model_comes_from_the_environment(server: respx.MockRouter, monkeypatch: pytest.MonkeyPatch) -> None:
    route = server.post("/audio/transcriptions").respond(json={"text": "ok"})
    monkeypatch.setenv("INTERVIEWER_STT_MODEL", "Systran/faster-whisper-small")
    transcriber(settings()).transcribe(AUDIO, 24_000)
    assert form_fields(route.calls.last.request)["model"] == [b"Systran/faster-whisper-small"]


def test_a_server_refusing_verbose_json_is_asked_for_json_from_then_on(server: respx.MockRouter) -> None:
    refusal = {
        "error": {
            "message": "response_format 'verbose_json' is not compatible with gpt-4o-transcribe",
            "type": "invalid_request_error",
        }
    }
    route = server.post("/audio/transcriptions").mock(
        side_effect=[
            httpx.Response(400, json=refusal),
            httpx.Response(200, json={"text": "First."}),
            httpx.Response(200, json={"text": "Second."}),
        ]
    )
    stt = transcriber(settings(), model="gpt-4o-transcribe")
    assert stt.transcribe(AUDIO, 24_000).text == "First."
    assert stt.transcribe(AUDIO, 24_000).words == []
    formats = [form_fields(call.request)["response_format"] for call in route.calls]
    assert formats == [[b"verbose_json"], [b"json"], [b"json"]]
    assert "timestamp_granularities[]" not in form_fields(route.calls.last.request)


def test_a_plain_text_answer_is_the_transcript(server: respx.MockRouter) -> None:
    server.post("/audio/transcriptions").respond(text="  hello there\n", headers={"content-type": "text/plain"})
    assert transcriber(settings()).transcribe(AUDIO, 24_000).text == "hello there"


def test_empty_audio_is_not_sent(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").respond(json={"text": "?"})
    assert transcriber(settings()).transcribe(np.zeros(0, dtype=np.int16), 16_000).text == ""
    assert not route.called


def test_a_reply_without_text_is_an_error_that_says_so(server: respx.MockRouter) -> None:
    server.post("/audio/transcriptions").respond(json={"object": "list", "data": []})
    with pytest.raises(UnreadableReply, match=r"transcription is not in the expected shape \(text: Field required"):
        transcriber(settings()).transcribe(AUDIO, 24_000)


@pytest.mark.parametrize(
    ("response", "error_type", "message"),
    [
        (
            httpx.Response(401, json={"error": {"message": "Incorrect API key provided"}}),
            AuthenticationFailed,
            "Incorrect API key",
        ),
        (httpx.Response(404, text="404 page not found"), SpeechEndpointNotFound, "no /audio/transcriptions endpoint"),
        (
            httpx.Response(404, json={"error": {"message": "The model `whisper-9` does not exist"}}),
            SpeechModelNotFound,
            "INTERVIEWER_STT_MODEL",
        ),
        (
            httpx.Response(413, json={"error": {"message": "Maximum content size limit exceeded"}}),
            BadRequest,
            "HTTP 413",
        ),
        (httpx.Response(500, json={"error": "decoder crashed"}), ServerError, "decoder crashed"),
        (
            httpx.Response(429, json={"error": {"message": "Rate limit reached"}}, headers={"retry-after": "120"}),
            RateLimited,
            "wait 120 s",
        ),
    ],
)
def test_http_failures_become_llm_errors(
    server: respx.MockRouter, response: httpx.Response, error_type: type[LLMError], message: str
) -> None:
    server.post("/audio/transcriptions").mock(return_value=response)
    with pytest.raises(error_type, match=message):
        transcriber(settings()).transcribe(AUDIO, 24_000)


def test_speech_specific_errors_are_still_the_generic_ones() -> None:
    # Code that catches the LLM errors (the UI's fallback) catches these too.
    assert issubclass(SpeechEndpointNotFound, EndpointNotFound)
    assert issubclass(SpeechModelNotFound, ModelNotFound)


def test_connection_failures_and_timeouts_become_llm_errors(server: respx.MockRouter) -> None:
    server.post("/audio/transcriptions").mock(side_effect=httpx.ConnectError("Connection refused"))
    with pytest.raises(ServerUnreachable, match="Connection refused"):
        transcriber(settings()).transcribe(AUDIO, 24_000)
    server.post("/audio/transcriptions").mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(RequestTimedOut, match="did not answer within 60 s"):
        transcriber(settings()).transcribe(AUDIO, 24_000)


def test_server_errors_are_retried_with_backoff_then_reported(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").mock(return_value=httpx.Response(503, text="overloaded"))
    sleeps = Sleeps()
    with pytest.raises(ServerError, match="HTTP 503 on 3 attempt"):
        transcriber(settings(retries=2), sleep=sleeps).transcribe(AUDIO, 24_000)
    assert route.call_count == 3
    assert len(sleeps) == 2 and sleeps[0] < sleeps[1]


def test_a_short_retry_after_is_honoured(server: respx.MockRouter) -> None:
    server.post("/audio/transcriptions").mock(
        side_effect=[httpx.Response(429, headers={"retry-after-ms": "250"}), httpx.Response(200, json={"text": "ok"})]
    )
    sleeps = Sleeps()
    assert transcriber(settings(retries=1), sleep=sleeps).transcribe(AUDIO, 24_000).text == "ok"
    assert sleeps == [0.25]


def test_client_errors_are_not_retried(server: respx.MockRouter) -> None:
    route = server.post("/audio/transcriptions").respond(401)
    with pytest.raises(AuthenticationFailed):
        transcriber(settings(retries=2), sleep=Sleeps()).transcribe(AUDIO, 24_000)
    assert route.call_count == 1


JSON_TYPE = {"content-type": "application/json"}
SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Proxy login</body></html>"


class _Broken(httpx.SyncByteStream):
    """A body whose connection drops after its first bytes."""

    def __iter__(self) -> Iterator[bytes]:
        yield b'{"text": "I would'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, content=b'{"text": "I would', headers=JSON_TYPE), "body is not JSON"),
        (httpx.Response(200, content=b'{"text": "caf\xe9"}', headers=JSON_TYPE), "not UTF-8"),
        (httpx.Response(200, content=b"\xff\xfe\x00garbage", headers={"content-type": "text/plain"}), "not UTF-8"),
        (httpx.Response(200, content=SIGN_IN_PAGE, headers={"content-type": "text/html"}), "web page"),
        (httpx.Response(200, content=SIGN_IN_PAGE, headers={"content-type": "text/plain"}), "web page"),
        (httpx.Response(200, json={"text": None}), r"text: Input should be a valid string"),
        (httpx.Response(200, json="I would use a time split."), "not in the expected shape"),
        (httpx.Response(200, json=["I would"]), "not in the expected shape"),
        (httpx.Response(200, json={"text": "ok", "words": "I would"}), r"words: Input should be a valid list"),
    ],
    ids=[
        "invalid-json", "not-utf8-json", "not-utf8-text", "html", "html-as-text",
        "text-null", "a-string", "a-list", "words-string",
    ],
)
def test_a_transcription_reply_that_cannot_be_read_is_unreadable(
    server: respx.MockRouter, response: httpx.Response, message: str
) -> None:
    server.post("/audio/transcriptions").mock(return_value=response)
    with pytest.raises(UnreadableReply, match=message) as caught:
        transcriber().transcribe(AUDIO, 24_000)
    assert "OPENAI_BASE_URL" in str(caught.value)
    assert caught.value.public == "the language-model server sent a reply that could not be read"


def test_odd_timings_are_left_out_and_the_transcript_kept(server: respx.MockRouter) -> None:
    words = [
        {"word": "I", "start": 0.0, "end": 0.1},
        {"word": "would", "start": "soon", "end": 0.3},
        {"word": "  ", "start": 0.3, "end": 0.4},
        "use",
        {"word": "it.", "start": -0.01, "end": 0.5},
    ]
    server.post("/audio/transcriptions").respond(json={"text": "I would use it.", "words": words, "segments": [None]})
    transcript = transcriber().transcribe(AUDIO, 24_000)
    assert transcript.text == "I would use it."
    assert [(w.word, w.start) for w in transcript.words] == [("I", 0.0), ("it.", 0.0)]
    assert transcript.segments == []


def test_a_connection_dropped_mid_reply_is_server_unreachable(server: respx.MockRouter) -> None:
    server.post("/audio/transcriptions").mock(return_value=httpx.Response(200, headers=JSON_TYPE, stream=_Broken()))
    with pytest.raises(ServerUnreachable):
        transcriber().transcribe(AUDIO, 24_000)
    server.post("/audio/speech").mock(return_value=httpx.Response(200, stream=_Broken()))
    with pytest.raises(ServerUnreachable):
        synthesizer().synthesize("Hello.")


# --- speech ----------------------------------------------------------------------------------


def test_speech_posts_json_and_reads_the_wav(server: respx.MockRouter) -> None:
    route = server.post("/audio/speech").mock(return_value=speech_wav())
    rate, samples = synthesizer(settings(key="sk-x")).synthesize("**Good.** Tell me about [drift](https://x.y).")
    request = route.calls.last.request
    assert json.loads(request.content) == {
        "model": "tts-1",
        "input": "Good. Tell me about drift.",
        "voice": "alloy",
        "response_format": "wav",
    }
    assert request.headers["authorization"] == "Bearer sk-x"
    assert rate == 24_000
    np.testing.assert_array_equal(samples, AUDIO)


def test_speech_sends_the_plain_form_not_espeaks_spellings(server: respx.MockRouter) -> None:
    route = server.post("/audio/speech").mock(return_value=speech_wav())
    synthesizer(settings()).synthesize("On the A/B test, AUC was 0.82, p95 was 100ms and SHAP helped.")
    assert json.loads(route.calls.last.request.content)["input"] == (
        "On the A B test, AUC was zero point eight two, p ninety-five was one hundred milliseconds and SHAP helped."
    )


def test_speech_model_and_voice_come_from_the_environment(
    server: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    route = server.post("/audio/speech").mock(return_value=speech_wav())
    monkeypatch.setenv("INTERVIEWER_TTS_MODEL", "kokoro")
    monkeypatch.setenv("INTERVIEWER_TTS_VOICE", "af_sky")
    synthesizer(settings()).synthesize("Hello.")
    body = json.loads(route.calls.last.request.content)
    assert (body["model"], body["voice"]) == ("kokoro", "af_sky")
    assert route.calls.last.request.headers["authorization"] == f"Bearer {NO_KEY_PLACEHOLDER}"


def test_long_replies_are_spoken_in_several_requests_and_joined(server: respx.MockRouter) -> None:
    route = server.post("/audio/speech").mock(return_value=speech_wav(AUDIO[:100]))
    sentence = "This sentence is part of a very long reply. " * 150
    _rate, samples = synthesizer(settings()).synthesize(sentence)
    inputs = [json.loads(call.request.content)["input"] for call in route.calls]
    assert len(inputs) == 2 and all(len(i) <= MAX_SPEECH_CHARS for i in inputs)
    assert " ".join(inputs) == sentence.strip()
    assert samples.size == 200


def test_blank_text_needs_no_request(server: respx.MockRouter) -> None:
    route = server.post("/audio/speech").mock(return_value=speech_wav())
    _rate, samples = synthesizer(settings()).synthesize("  \n ")
    assert samples.size == 0 and samples.dtype == np.int16
    assert not route.called


def test_audio_that_is_not_wav_is_an_llm_error(server: respx.MockRouter) -> None:
    server.post("/audio/speech").respond(content=b"ID3\x03\x00mp3...", headers={"content-type": "audio/mpeg"})
    with pytest.raises(UnplayableAudio, match="not WAV"):
        synthesizer(settings()).synthesize("Hello.")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(200, content=b'{"audio": ', headers=JSON_TYPE), "application/json, not audio"),
        (httpx.Response(200, json={"choices": None}), "application/json, not audio"),
        (httpx.Response(200, content=b'{"x": "\xe9\xff"}', headers=JSON_TYPE), "application/json, not audio"),
        (httpx.Response(200, content=SIGN_IN_PAGE, headers={"content-type": "text/html"}), "web page"),
        (httpx.Response(200, content=SIGN_IN_PAGE), "web page"),
        (httpx.Response(200, text="Service temporarily moved", headers={"content-type": "text/plain"}), "text/plain"),
    ],
    ids=["invalid-json", "json", "not-utf8-json", "html", "unlabelled-html", "text"],
)
def test_a_speech_reply_that_is_not_audio_is_unreadable(
    server: respx.MockRouter, response: httpx.Response, message: str
) -> None:
    server.post("/audio/speech").mock(return_value=response)
    with pytest.raises(UnreadableReply, match=message) as caught:
        synthesizer().synthesize("Hello.")
    assert not isinstance(caught.value, UnplayableAudio)


def test_bytes_that_are_not_wav_are_unplayable(server: respx.MockRouter) -> None:
    server.post("/audio/speech").respond(content=b"\xff\xfe\x00\x81 not a wave", headers={"content-type": "audio/wav"})
    with pytest.raises(UnplayableAudio, match="not WAV") as caught:
        synthesizer().synthesize("Hello.")
    assert caught.value.public == "the speech server sent audio that could not be played"


def test_a_sample_rate_that_changes_mid_reply_is_unplayable(server: respx.MockRouter) -> None:
    server.post("/audio/speech").mock(side_effect=[speech_wav(AUDIO[:100]), speech_wav(AUDIO[:100], rate=16_000)])
    with pytest.raises(UnplayableAudio, match="24000 -> 16000 Hz"):
        synthesizer().synthesize("This sentence is part of a very long reply. " * 150)


def test_speech_failures_name_the_speech_endpoint(server: respx.MockRouter) -> None:
    server.post("/audio/speech").respond(404, json={"detail": "Not Found"})
    with pytest.raises(SpeechEndpointNotFound, match=r"no /audio/speech endpoint .*INTERVIEWER_SPEECH"):
        synthesizer(settings()).synthesize("Hello.")
    server.post("/audio/speech").respond(405, text="Method Not Allowed")
    with pytest.raises(SpeechEndpointNotFound, match=r"no /audio/speech endpoint \(HTTP 405\)"):
        synthesizer(settings()).synthesize("Hello.")


def test_a_key_the_server_echoes_stays_out_of_the_error(server: respx.MockRouter) -> None:
    key = "speech-secret-key-42"
    server.post("/audio/speech").respond(401, json={"error": {"message": f"Bad key {key}, see https://x.test/keys"}})
    with pytest.raises(AuthenticationFailed) as caught:
        synthesizer(settings(key=key)).synthesize("Hello.")
    assert key not in str(caught.value) and "Bad key <redacted>, see [server]" in str(caught.value)
    assert key not in caught.value.public and "http" not in caught.value.public


def test_split_for_speech_cuts_an_overlong_sentence_at_spaces() -> None:
    parts = split_for_speech("word " * 30, limit=40)
    assert all(len(p) <= 40 for p in parts)
    assert " ".join(parts).split() == ["word"] * 30


# --- construction ----------------------------------------------------------------------------


def test_a_server_must_be_configured() -> None:
    with pytest.raises(LLMConfigError, match="No server is configured for speech"):
        OpenAITranscriber(LLMSettings())
    with pytest.raises(LLMConfigError):
        OpenAISynthesizer(LLMSettings(base_url=BASE_URL, offline=True))


@pytest.mark.usefixtures("_forbid_real_clients")
def test_tests_that_did_not_opt_in_cannot_build_one() -> None:
    with pytest.raises(RealClientForbidden):
        transcriber(settings())
    with pytest.raises(RealClientForbidden):
        synthesizer(settings())


@pytest.fixture
def _forbid_real_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    # This module opts in as a whole; restore what conftest.py sets for every other test.
    from interviewer.llm.config import FORBID_REAL_CLIENT_ENV

    monkeypatch.setenv(FORBID_REAL_CLIENT_ENV, "no real clients in this test")
