"""What the voice endpoints must hold against a stranger calling them directly: the microphone
stream (`listen`), the spoken turn (`voice_turn`, `hands_free_turn`) and the interviewer's voice
(`speak_last_turn`) give nobody anything of another owner's answer, audio or chat, whatever the
caller knows (Alice's practice key, even her owner id and practice put in the state slots), and
malformed audio gets a clear message or nothing while everyone else carries on.

Whisper stays unloaded: the recogniser here tells speakers apart by loudness (Alice speaks up, the
stranger speaks softly) and writes down what each of them says, and the interviewer's voice is
seconds of silence per sentence that counts what it was asked to say. Resampling and voice
activity (Silero, bundled with faster-whisper and small) are the app's own, so an answer is cut
and heard as in use; Piper says the two answers once per module.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np
import pytest

from interviewer.practice import setup
from interviewer.practice.records import Practice
from interviewer.speech.protocol import Transcript
from interviewer.ui import live_answers
from interviewer.ui.interview_events import SPOKEN

from .conftest import Server, Tab, final, named, start_server, store, text_of, unchanged

QUESTION = "uber-eta"
ALICE_SAYS = "Alice's secret plan is code word bluebird."
STRANGER_SAYS = "Mallory asks what Alice said."
SECRET_WORD = "bluebird"
VOICE_SECONDS = 4.0  # of the interviewer's voice per sentence: long enough to still be playing

pytestmark = [
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning"),
    # pydub looks for ffprobe before it reads a file that is not a WAV; there is none, and none is needed.
    pytest.mark.filterwarnings("ignore:Couldn't find ffprobe or avprobe:RuntimeWarning"),
]


class Ear:
    """A recogniser for two speakers: a loud utterance is Alice's, a soft one the stranger's."""

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        return Transcript(text=ALICE_SAYS if float(np.abs(audio).max()) > 0.5 else STRANGER_SAYS)


class Voice:
    """The interviewer's voice: silence for each sentence, and a list of every sentence it said."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        self.said.append(text)
        return 16_000, np.zeros(round(VOICE_SECONDS * 16_000), np.int16)


@pytest.fixture(scope="module")
def voice() -> Voice:
    return Voice()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, voice: Voice) -> Iterator[Server]:
    """The app with the two fakes as its speech (this module's tabs are served by this one)."""
    root = tmp_path_factory.mktemp("voice-app")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(setup, "_speech", lambda settings: lambda: (Ear(), voice))
        running = start_server(root, root / "sessions.sqlite3")
    try:
        yield running
    finally:
        running.close()


@dataclass(frozen=True)
class Recording:
    rate: int
    samples: np.ndarray  # int16, mono

    @property
    def seconds(self) -> float:
        return self.samples.size / self.rate

    def wavs(self, seconds: float = 1.0) -> list[bytes]:
        """The recording as the microphone sends it: a WAV file per piece."""
        step = round(seconds * self.rate)
        return [wav(self.samples[i : i + step].tobytes(), self.rate) for i in range(0, self.samples.size, step)]


@dataclass(frozen=True)
class Answers:
    alice: Recording  # loud: heard as ALICE_SAYS
    stranger: Recording  # soft: heard as STRANGER_SAYS


@pytest.fixture(scope="module")
def answers() -> Answers:
    from interviewer.speech.piper_tts import PiperSynthesizer

    piper = PiperSynthesizer(variation=0)

    def said(text: str, peak: float) -> Recording:
        rate, speech = piper.synthesize(text)
        loud = speech.astype(np.float32) * (peak * 32767 / np.abs(speech).max())
        # Enough silence after that the running transcript is sent back before the recording ends.
        before, after = np.zeros(rate // 2, np.float32), np.zeros(rate * 5 // 2, np.float32)
        return Recording(rate, np.round(np.concatenate([before, loud, after])).astype(np.int16))

    return Answers(
        alice=said("I would predict the minutes to pickup with boosted trees on live traffic.", 0.95),
        stranger=said("Tell me what Alice said.", 0.12),
    )


# The microphone's stream, over plain HTTP as the page sends it (gradio_client cannot stream input)


def wav(frames: bytes, rate: int, channels: int = 1, bits: int = 16, kind: int = 1) -> bytes:
    """A WAV file with whatever header it is given (the `wave` module refuses odd ones)."""
    block = channels * bits // 8
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(frames), b"WAVE", b"fmt ", 16, kind, channels,
                         rate, (rate * block) & 0xFFFFFFFF, block, bits, b"data", len(frames))
    return header + frames


@dataclass(frozen=True)
class File:
    """A file to upload under its own name (bytes alone are uploaded as a WAV)."""

    name: str
    content: bytes


def upload(tab: Tab, file: File) -> dict[str, Any]:
    form = [("files", (file.name, file.content, "application/octet-stream"))]
    sent = httpx.post(f"{tab.server.url}gradio_api/upload", files=form)
    sent.raise_for_status()
    return {"path": sent.json()[0], "meta": {"_type": "gradio.FileData"}}


@dataclass
class Heard:
    """What one run of the microphone's stream sent back."""

    texts: list[str] = field(default_factory=list)  # every value "What I heard" was set to
    barge: bool = False  # the interviewer's voice was told to stop
    turn_over: bool = False  # a hands-free answer was ended
    warnings: list[str] = field(default_factory=list)
    failed: bool = False  # the run ended in an error

    @property
    def text(self) -> str:
        return self.texts[-1] if self.texts else ""


def listen(tab: Tab, chunks: list[Any], hands_free: bool = False, state: tuple[Any, Any] = (None, None)) -> Heard:
    """Stream `chunks` to /listen in the tab's session, one after another as each is answered: WAV
    bytes and files are uploaded first, anything else is sent as it is. `state` fills the owner and
    practice slots, which the page leaves empty and a caller may fill with anything."""
    url, session = tab.server.url, tab.client.session_hash
    fn_index = next(e.fn_index for e in tab.client.endpoints.values() if getattr(e, "api_name", None) == "/listen")
    payloads = [upload(tab, File("audio.wav", c)) if isinstance(c, bytes) else upload(tab, c) if isinstance(c, File) else c
                for c in chunks]

    def body(payload: Any) -> dict[str, Any]:
        return {"data": [payload, *state, hands_free], "fn_index": fn_index, "session_hash": session,
                "event_data": None, "trigger_id": None}

    joined = httpx.post(f"{url}gradio_api/queue/join", json=body(payloads[0]))
    joined.raise_for_status()
    event_id, rest, heard = joined.json()["event_id"], iter(payloads[1:]), Heard()
    with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session}, timeout=60) as events:
        for line in events.iter_lines():
            message = json.loads(line[5:]) if line.startswith("data:") else {}
            if message.get("event_id") != event_id:
                continue
            if message["msg"] == "log" and message["level"] == "warning":
                heard.warnings.append(message["log"])
            elif message["msg"] == "process_streaming":
                text, barge, turn_over = message["output"]["data"]
                heard.texts += [text] if isinstance(text, str) else []
                heard.barge |= not unchanged(barge)
                heard.turn_over |= not unchanged(turn_over)
                following = next(rest, None)
                if following is None:
                    httpx.post(f"{url}gradio_api/stream/{event_id}/close").raise_for_status()
                else:
                    httpx.post(f"{url}gradio_api/stream/{event_id}", json=body(following)).raise_for_status()
            elif message["msg"] == "process_completed":
                heard.failed = not message["success"]
                return heard
    raise AssertionError("/listen never completed")


# The other voice endpoints, and what is stored


def spoken(tab: Tab, api_name: str) -> list[dict[str, Any]]:
    """Every update of /voice_turn (Stop pressed) or /hands_free_turn (a pause ended the answer)."""
    job = tab.client.submit(api_name=api_name)
    job.result(timeout=60)
    return [named(out, SPOKEN) for out in job.outputs()]


def speak(tab: Tab) -> list[Any]:
    """Every sentence /speak_last_turn sends to the page's player."""
    job = tab.client.submit(api_name="/speak_last_turn")
    job.result(timeout=60)
    return [value for value in job.outputs() if value]


def started(server: Server) -> Tab:
    tab = Tab(server)
    tab.start(QUESTION)
    return tab


def forged(server: Server, tab: Tab) -> tuple[str, dict[str, Any]]:
    """The strongest forgery of the state slots: the tab's owner id and its practice as kept."""
    kept = store(server).load(tab.owner, tab.kept["practice"])
    practice = Practice(owner=tab.owner, session_id=kept.id, rubric_ref=kept.rubric_ref, state=kept.state)
    return tab.owner, practice.model_dump(mode="json")


def turns(server: Server, tab: Tab) -> list[tuple[str, str]]:
    return [(turn.role, turn.text) for turn in store(server).load(tab.owner, tab.kept["practice"]).state.turns]


def shows_nothing_of(updates: Any, tab: Tab) -> bool:
    """Nothing of the tab's answer, or its session's id, anywhere in what a caller received."""
    sent = json.dumps(updates)
    return SECRET_WORD not in sent and tab.kept["practice"] not in sent


# Tests


def test_the_microphone_gives_a_stranger_nothing_of_alices_open_answer(server: Server, answers: Answers) -> None:
    alice = started(server)
    before = turns(server, alice)
    assert listen(alice, answers.alice.wavs()).text == ALICE_SAYS  # her answer is open, heard so far

    stranger = Tab(server, {"practice": alice.kept["practice"]})  # her own secret, Alice's key
    assert listen(stranger, answers.stranger.wavs(), hands_free=True) == Heard()
    # Her owner id and practice in the state slots, and her own recording: were it added to her
    # answer, she would be heard twice.
    assert listen(stranger, answers.alice.wavs(), hands_free=True, state=forged(server, alice)) == Heard()
    assert turns(server, alice) == before

    updates = spoken(alice, "/voice_turn")
    assert final(updates, "heard") == ALICE_SAYS  # Stop takes her answer, and hers only
    kept = store(server).load(alice.owner, alice.kept["practice"])
    assert [(t.role, t.text) for t in kept.state.turns[: len(before) + 1]] == [*before, ("candidate", ALICE_SAYS)]
    assert len(kept.state.turns) == len(before) + 2  # and the interviewer's reply
    assert kept.delivery is not None and kept.delivery.duration_seconds == pytest.approx(answers.alice.seconds, abs=0.1)


def test_two_people_speaking_at_once_each_hear_only_themselves(server: Server, answers: Answers) -> None:
    alice, stranger = started(server), started(server)
    pieces = answers.alice.wavs()
    first = listen(alice, pieces[:2])  # Alice is mid-sentence
    theirs = listen(stranger, answers.stranger.wavs())
    rest = listen(alice, pieces[2:])
    assert theirs.texts and set(theirs.texts) == {STRANGER_SAYS}
    assert rest.texts and set(first.texts + rest.texts) == {ALICE_SAYS}

    assert final(spoken(stranger, "/voice_turn"), "heard") == STRANGER_SAYS
    assert turns(server, stranger)[1] == ("candidate", STRANGER_SAYS)
    assert len(turns(server, alice)) == 1  # the stranger's turn went to her own session
    assert final(spoken(alice, "/voice_turn"), "heard") == ALICE_SAYS
    assert turns(server, alice)[1] == ("candidate", ALICE_SAYS)


def test_a_stranger_cannot_take_alices_spoken_answer(server: Server, answers: Answers) -> None:
    alice = started(server)
    listen(alice, answers.alice.wavs())  # an answer open, not yet taken
    before = turns(server, alice)

    knows_key = Tab(server, {"practice": alice.kept["practice"]})
    own_interview = started(server)
    own_before = turns(server, own_interview)
    for stranger in (knows_key, own_interview):
        for api_name in ("/voice_turn", "/hands_free_turn"):  # Stop pressed; a pause ended the answer
            updates = spoken(stranger, api_name)
            assert updates and all(unchanged(u["chat"]) and unchanged(u["heard"]) for u in updates), updates
            assert shows_nothing_of(updates, alice)
            reply = stranger.raw(api_name, *forged(server, alice), False)  # Alice's owner and practice as state
            assert reply["success"] and shows_nothing_of(reply, alice)
    assert turns(server, alice) == before
    assert turns(server, own_interview) == own_before

    updates = spoken(alice, "/hands_free_turn")  # still there for Alice to take
    assert final(updates, "heard") == ALICE_SAYS
    assert ALICE_SAYS in [text_of(m) for m in final(updates, "chat")]
    assert turns(server, alice)[: len(before) + 1] == [*before, ("candidate", ALICE_SAYS)]


def test_a_stranger_cannot_hear_alices_interviewer(server: Server, voice: Voice) -> None:
    alice = started(server)
    key, before = alice.kept["practice"], turns(server, alice)
    sentences = speak(alice)
    assert sentences and all(s["line"] == f"{key}:1" and s["url"].startswith("data:audio/wav;base64,") for s in sentences)
    said = len(voice.said)

    knows_key = Tab(server, {"practice": key})
    assert speak(knows_key) == []
    reply = knows_key.raw("/speak_last_turn", *forged(server, alice))  # Alice's owner and practice as state
    assert reply["success"] and "data:audio" not in json.dumps(reply) and key not in json.dumps(reply)
    assert len(voice.said) == said  # not one of Alice's lines was even spoken for the stranger

    own_interview = started(server)
    theirs = speak(own_interview)
    assert theirs and {s["line"] for s in theirs} == {f"{own_interview.kept['practice']}:1"}
    assert turns(server, alice) == before


def test_alices_interviewer_speaking_does_not_reach_a_stranger(server: Server, answers: Answers) -> None:
    """Barge-in follows each owner's own voice: a stranger speaking while Alice's interviewer talks
    neither stops it nor learns that it is talking."""
    alice, stranger = started(server), started(server)
    assert speak(alice)  # Alice's interviewer is talking now
    assert not listen(stranger, answers.alice.wavs()).barge
    assert listen(alice, answers.alice.wavs()).barge  # Alice speaking over her own does stop it


def malformed() -> list[Any]:
    """(id, chunk, what the sender must get: "error", "nothing", or a warning containing the text)."""
    pcm = (np.sin(np.arange(4000) / 5) * 8000).astype(np.int16).tobytes()
    cases = [
        ("not-audio", b"\x89PNG\r\n\x1a\n" + bytes(200), "error"),
        ("text-file", File("notes.txt", b"I am not a recording."), "error"),
        ("cut-short-header", wav(pcm, 16_000)[:30], "error"),
        ("float-samples", wav(np.zeros(400, np.float32).tobytes(), 16_000, bits=32, kind=3), "error"),
        ("no-samples", wav(b"", 16_000), "nothing"),
        ("two-hundred-channels", wav(pcm, 16_000, channels=200), "nothing"),
        ("eight-bit", wav(bytes(range(256)) * 16, 16_000, bits=8), "warning:sample type"),
        ("one-hertz", wav(pcm[:800], 1), "warning:1 Hz"),  # 400 samples: 400 s of audio at 16 kHz
        ("zero-hertz", wav(pcm, 0), "warning:0 Hz"),
        ("four-gigahertz", wav(pcm, 4_000_000_000), "warning:4,000,000,000 Hz"),
        ("a-string", "hello", "error"),
        ("a-number", 42, "error"),
        ("ragged-samples", [[1, 2], [3]], "error"),
        ("samples-as-json", {"sample_rate": 16_000, "data": [[0.1, 0.2], [0.3]]}, "error"),
        ("a-server-file", {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}, "error"),
    ]
    return [pytest.param(chunk, expected, id=name) for name, chunk, expected in cases]


@pytest.fixture(scope="module")
def sender(server: Server) -> Tab:
    """Someone with an interview of her own, so the audio she sends is read."""
    return started(server)


@pytest.mark.parametrize(("chunk", "expected"), malformed())
def test_malformed_audio_gets_a_clear_message_or_nothing(server: Server, sender: Tab, chunk: Any, expected: str) -> None:
    spoken(sender, "/voice_turn")  # Stop: whatever an earlier case left open is taken
    before = turns(server, sender)
    got = listen(sender, [chunk], hands_free=True)
    assert got.texts == [] and not got.barge and not got.turn_over
    if expected == "error":
        assert got.failed and got.warnings == []
    elif expected == "nothing":
        assert not got.failed and got.warnings == []
    else:
        assert not got.failed and len(got.warnings) == 1 and expected.removeprefix("warning:") in got.warnings[0]
    assert "root:" not in json.dumps(got.__dict__)  # no server file read back
    spoken(sender, "/voice_turn")
    assert turns(server, sender) == before


def test_alice_carries_on_while_a_stranger_sends_malformed_audio(server: Server, answers: Answers) -> None:
    alice, stranger = started(server), started(server)
    pieces = answers.alice.wavs()
    listen(alice, pieces[:2])
    for case in malformed():
        assert listen(stranger, [case.values[0]]).texts == []
    assert listen(alice, pieces[2:]).text == ALICE_SAYS
    assert final(spoken(alice, "/voice_turn"), "heard") == ALICE_SAYS
    assert turns(server, alice)[1] == ("candidate", ALICE_SAYS)
    # Nor is the stranger's own answer spoiled: after Stop, her next one is heard.
    spoken(stranger, "/voice_turn")
    again = listen(stranger, answers.stranger.wavs())
    assert set(again.texts) == {STRANGER_SAYS} and again.warnings == [] and not again.failed
    assert len(turns(server, stranger)) == 1


def test_one_long_chunk_is_cut_to_an_answers_limit(server: Server, answers: Answers, monkeypatch: pytest.MonkeyPatch) -> None:
    """However much audio one chunk carries, an answer keeps at most MAX_SECONDS of it."""
    monkeypatch.setattr(live_answers, "MAX_SECONDS", 2.0)
    sender = started(server)
    whole = answers.alice
    assert whole.seconds > 4
    assert listen(sender, [wav(whole.samples.tobytes(), whole.rate)]).failed is False
    assert final(spoken(sender, "/voice_turn"), "heard") == ALICE_SAYS
    delivery = store(server).load(sender.owner, sender.kept["practice"]).delivery
    assert delivery is not None and delivery.duration_seconds == pytest.approx(2.0, abs=0.05)
