"""Transcribing while the candidate speaks: where utterances are cut, that audio arriving in any
pieces gives the same pieces as the whole file, and that the joined transcript keeps its timings."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from interviewer.speech.live import LiveTranscript, Resampler, transcribe_recording
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Segment, Transcript, Word
from interviewer.speech.vad import (
    HARD_MAX_SECONDS,
    RATE,
    WINDOW_SECONDS,
    SpeechProbabilities,
    Utterance,
    utterances,
)

SENTENCES = [
    "I would start from the label, the actual arrival time of each trip.",
    "Then I'd split by time and train gradient boosted trees.",
    "Finally I'd watch the error per city after launch.",
]


def windows(seconds: float) -> int:
    return round(seconds / WINDOW_SECONDS)


def speech(seconds: float) -> list[float]:
    return [0.9] * windows(seconds)


def quiet(seconds: float) -> list[float]:
    return [0.05] * windows(seconds)


def test_a_pause_ends_an_utterance_and_a_short_gap_does_not():
    probabilities = quiet(0.5) + speech(2) + quiet(0.2) + speech(1) + quiet(0.8) + speech(1.5) + quiet(1)
    found = utterances(probabilities, final=True)
    assert len(found) == 2
    assert found[0].start == windows(0.5)
    assert found[0].end == len(quiet(0.5) + speech(2) + quiet(0.2) + speech(1))  # the 0.2 s gap stayed inside


def test_the_utterance_still_spoken_waits_until_the_audio_ends():
    probabilities = speech(2) + quiet(1) + speech(1)
    assert len(utterances(probabilities, final=False)) == 1
    assert len(utterances(probabilities, final=True)) == 2


def test_closed_utterances_never_change_as_audio_arrives():
    probabilities = speech(3) + quiet(0.7) + speech(9) + quiet(0.25) + speech(4) + quiet(0.6) + speech(2)
    final = utterances(probabilities, final=True)
    for size in range(0, len(probabilities), 7):
        closed = utterances(probabilities[:size], final=False)
        assert closed == final[: len(closed)]


def test_a_long_utterance_ends_at_a_breath_and_an_endless_one_is_cut():
    breathing = utterances(speech(9) + quiet(0.25) + speech(3), final=True)
    assert [u.end - u.start for u in breathing][0] == windows(9)
    endless = utterances(speech(HARD_MAX_SECONDS * 2.5), final=True)
    assert len(endless) >= 3
    assert all(u.end - u.start <= windows(HARD_MAX_SECONDS) for u in endless)
    assert [u.start for u in endless[1:]] == [u.end for u in endless[:-1]]  # nothing dropped


class RecordingTranscriber:
    """Says which piece it was given: piece N of length L seconds becomes 'pieceN' with one word."""

    def __init__(self) -> None:
        self.pieces: list[np.ndarray] = []

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        assert sample_rate == RATE
        self.pieces.append(audio)
        name = f"piece{len(self.pieces)}"
        word = Word(word=name, start=0.3, end=0.6)
        return Transcript(text=name, words=[word], segments=[Segment(text=name, start=0.3, end=0.6)])


@pytest.fixture(scope="module")
def answer() -> tuple[int, np.ndarray]:
    """Three spoken sentences with a second of silence after each: three utterances."""
    voice = PiperSynthesizer(variation=0)
    rate = voice.sample_rate
    gap = np.zeros(rate, dtype=np.int16)
    parts = [part for sentence in SENTENCES for part in (voice.synthesize(sentence)[1], gap)]
    return rate, np.concatenate(parts)


def test_a_spoken_answer_is_cut_at_its_pauses(answer):
    rate, samples = answer
    fake = RecordingTranscriber()
    transcript = transcribe_recording(fake, samples, rate)
    assert transcript.text == "piece1 piece2 piece3"
    assert transcript.duration_seconds == pytest.approx(samples.size / rate, abs=0.05)
    starts = [w.start for w in transcript.words]
    assert starts == sorted(starts) and starts[1] > 2  # timings moved to the answer's clock


def test_audio_in_any_pieces_gives_the_pieces_of_the_whole(answer):
    rate, samples = answer
    whole, streamed = RecordingTranscriber(), RecordingTranscriber()
    transcribe_recording(whole, samples, rate)
    live = LiveTranscript(streamed)
    for start in range(0, samples.size, 7919):  # odd-sized pieces, as a browser sends them
        live.feed(samples[start : start + 7919], rate)
    live.finish()
    assert len(streamed.pieces) == len(whole.pieces) == 3
    assert all(np.array_equal(a, b) for a, b in zip(whole.pieces, streamed.pieces))


def test_the_running_transcript_grows_before_the_answer_ends(answer):
    rate, samples = answer
    live = LiveTranscript(RecordingTranscriber())
    live.feed(samples[: samples.size * 2 // 3], rate)  # two sentences and their pauses
    deadline = time.monotonic() + 10
    while live.text != "piece1 piece2" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live.text == "piece1 piece2"
    live.feed(samples[samples.size * 2 // 3 :], rate)
    assert live.finish().text == "piece1 piece2 piece3"


def test_the_sample_rate_cannot_change_within_an_answer():
    live = LiveTranscript(RecordingTranscriber())
    live.feed(np.zeros(4800, dtype=np.int16), 48_000)
    with pytest.raises(ValueError, match="sample rate changed"):
        live.feed(np.zeros(1600, dtype=np.int16), 16_000)


def test_an_empty_piece_is_taken_in_stride():
    live = LiveTranscript(RecordingTranscriber())
    live.feed(np.zeros(0, dtype=np.int16), 48_000)
    live.feed(np.zeros(4800, dtype=np.int16), 48_000)
    assert live.finish().text == ""


def test_silence_gives_an_empty_transcript():
    assert transcribe_recording(RecordingTranscriber(), np.zeros(48_000, dtype=np.int16), 48_000).text == ""


def test_resampling_in_pieces_gives_the_samples_of_the_whole():
    noise = np.random.default_rng(0).normal(0, 0.1, 48_000 * 2).astype(np.float32)
    whole = Resampler(48_000)
    expected = np.concatenate([whole(noise), whole(None)])
    pieces = Resampler(48_000)
    got = np.concatenate([pieces(noise[i : i + 1234]) for i in range(0, noise.size, 1234)] + [pieces(None)])
    assert np.array_equal(expected, got)


def test_speech_probabilities_do_not_depend_on_how_audio_arrives(answer):
    rate, samples = answer
    audio = Resampler(rate)(samples.astype(np.float32) / 32768)
    whole, pieces = SpeechProbabilities(), SpeechProbabilities()
    whole.feed(audio)
    for start in range(0, audio.size, 1000):
        pieces.feed(audio[start : start + 1000])
    assert whole.values == pieces.values
    assert max(whole.values) > 0.9 and min(whole.values) < 0.1


def test_an_utterance_is_padded_within_the_audio():
    assert Utterance(0, 10).samples(100_000) == (0, 10 * 512 + round(0.2 * RATE))
    assert Utterance(100, 195).samples(195 * 512) == (100 * 512 - round(0.2 * RATE), 195 * 512)


def test_an_utterance_is_guessed_at_a_breath_and_the_guess_kept_when_the_answer_stops(answer):
    rate, samples = answer
    first = samples[: round(rate * 3.5)]  # the first sentence; its second of silence cut short
    fake = RecordingTranscriber()
    live = LiveTranscript(fake)
    live.feed(first[: first.size - round(rate * 0.2)], rate)
    live.feed(np.zeros(round(rate * 0.3), dtype=np.int16), rate)  # a breath: not yet a pause
    deadline = time.monotonic() + 10
    while not fake.pieces and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(fake.pieces) == 1  # guessed before the utterance closed
    assert live.finish().text == "piece1"
    assert len(fake.pieces) == 1  # and not transcribed again



class GatedTranscriber(RecordingTranscriber):
    """A recogniser still busy with the first utterance until `gate` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def transcribe(self, audio: np.ndarray, sample_rate: int) -> Transcript:
        self.gate.wait(10)
        return super().transcribe(audio, sample_rate)


def test_a_breath_while_the_recogniser_is_busy_queues_a_guess_and_a_newer_breath_replaces_it(answer):
    rate, samples = answer
    sentence = samples[round(rate * 3.5) : round(rate * 6.2)]  # the second sentence, without its pause
    breath = np.zeros(round(rate * 0.3), dtype=np.int16)
    fake = GatedTranscriber()
    live = LiveTranscript(fake)
    live.feed(samples[: round(rate * 3.5)], rate)  # the first sentence and its pause: with the recogniser
    live.feed(sentence[: sentence.size // 2], rate)
    live.feed(breath, rate)  # a guess of the half sentence, queued
    live.feed(sentence[sentence.size // 2 :], rate)
    live.feed(breath, rate)  # a guess of the whole sentence replaces it
    fake.gate.set()
    deadline = time.monotonic() + 10
    while len(fake.pieces) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(fake.pieces) == 2  # the guess ran without waiting for Stop
    assert live.finish().text == "piece1 piece2"
    assert len(fake.pieces) == 2  # the half-sentence guess was dropped, the last one kept
    assert fake.pieces[1].size / RATE > 0.7 * sentence.size / rate  # the whole sentence, not its first half


def test_delivery_figures_are_those_of_the_whole_answer_when_it_comes_in_pieces(answer):
    """Pauses, talk time and pace from the live path equal those of the recording read at once."""
    from interviewer.speech.metrics import measure_delivery

    rate, samples = answer
    thinking = np.concatenate([samples[: samples.size // 3], np.zeros(rate * 3, np.int16), samples[samples.size // 3 :]])
    live = LiveTranscript(RecordingTranscriber())
    for start in range(0, thinking.size, rate // 4):
        live.feed(thinking[start : start + rate // 4], rate)
    pieced = measure_delivery(live.finish(), live.audio, RATE)
    whole = measure_delivery(transcribe_recording(RecordingTranscriber(), thinking, rate), thinking, rate)
    assert pieced.long_pause_count == whole.long_pause_count >= 1
    assert pieced.long_pauses[0].start_seconds == pytest.approx(whole.long_pauses[0].start_seconds, abs=0.1)
    assert pieced.talk_seconds == pytest.approx(whole.talk_seconds, abs=0.2)
    assert pieced.word_count == whole.word_count >= 3
