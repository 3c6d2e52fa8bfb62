"""Delivery metrics on audio whose answer is known (tones and silences) and on known transcripts."""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.speech.metrics import (
    DeliveryMetrics,
    Pause,
    combine_delivery,
    frame_levels_db,
    measure_delivery,
    voiced_spans,
)
from interviewer.speech.protocol import Transcript, Word
from speech.synthetic import RATE, join, noise, silence, tone

FRAME = 0.03  # the detector's resolution: a frame that holds any speech is voiced, so each edge may move out by one


def test_a_full_scale_sine_is_minus_3_dbfs_and_silence_is_far_below() -> None:
    t = np.arange(RATE) / RATE
    levels = frame_levels_db(np.sin(2 * np.pi * 1000 * t), RATE)
    assert levels[:-1] == pytest.approx(-3.01, abs=0.05)  # the last frame is zero-padded
    assert frame_levels_db(silence(0.3), RATE).max() < -150


def test_talk_time_pauses_and_duration_from_tones_and_silences() -> None:
    audio = join(tone(1.0), silence(2.5), tone(1.0), silence(0.5), tone(1.0))
    metrics = measure_delivery("one two three four five six seven eight", audio, RATE)

    assert metrics.duration_seconds == pytest.approx(6.0)
    assert metrics.talk_seconds == pytest.approx(3.0, abs=3 * FRAME)
    assert metrics.start_delay_seconds == pytest.approx(0.0, abs=FRAME)
    # The 2.5 s silence is a long pause; the 0.5 s one is not.
    assert metrics.long_pause_count == 1
    (pause,) = metrics.long_pauses
    assert pause.start_seconds == pytest.approx(1.0, abs=FRAME)
    assert pause.end_seconds == pytest.approx(3.5, abs=FRAME)
    assert metrics.longest_pause_seconds == pytest.approx(2.5, abs=2 * FRAME)
    assert metrics.pause_source == "audio"
    assert metrics.words_per_minute == pytest.approx(8 * 60 / 3.0, rel=0.03)


def test_silence_before_the_first_word_is_the_start_delay_not_a_pause() -> None:
    metrics = measure_delivery("hello there", join(silence(3.0), tone(1.0), silence(4.0)), RATE)
    assert metrics.start_delay_seconds == pytest.approx(3.0, abs=FRAME)
    assert metrics.long_pauses == []  # the trailing silence is not inside the answer either
    assert metrics.talk_seconds == pytest.approx(1.0, abs=2 * FRAME)


def test_gaps_shorter_than_300_ms_are_talk_and_clicks_are_not() -> None:
    spans = voiced_spans(join(tone(1.0), silence(0.2), tone(1.0), silence(1.0), tone(0.03), silence(1.0)), RATE)
    assert len(spans) == 1
    assert spans[0][0] == pytest.approx(0.0, abs=FRAME)
    assert spans[0][1] == pytest.approx(2.2, abs=FRAME)


def test_the_threshold_follows_the_speaker_level_above_a_floor() -> None:
    # A quiet speaker (about -35 dBFS) over a -65 dBFS noise floor: the speech is found, the noise is not.
    quiet = join(tone(1.0, amplitude=0.025), silence(2.5), tone(1.0, amplitude=0.025)) + noise(4.5, -65)
    metrics = measure_delivery("a b c d", quiet, RATE)
    assert metrics.talk_seconds == pytest.approx(2.0, abs=2 * FRAME)
    assert metrics.long_pause_count == 1
    # Noise alone never counts as talk, however it is scaled relative to itself.
    assert measure_delivery("", noise(3.0, -55), RATE).talk_seconds == 0.0


def test_integer_and_stereo_audio_give_the_same_answer_as_float_mono() -> None:
    audio = join(tone(1.0), silence(2.5), tone(1.0))
    as_int16 = np.round(audio * 32767).astype(np.int16)
    stereo = np.stack([as_int16, as_int16], axis=1)
    expected = measure_delivery("a b", audio, RATE)
    assert measure_delivery("a b", as_int16, RATE) == expected
    assert measure_delivery("a b", stereo, RATE) == expected


def test_silence_only_has_no_rates() -> None:
    metrics = measure_delivery("", silence(2.0), RATE)
    assert metrics.talk_seconds == 0.0
    assert metrics.words_per_minute is None
    assert metrics.fillers_per_minute is None
    assert metrics.start_delay_seconds == pytest.approx(2.0)


def test_fillers_and_rates_come_from_the_transcript_over_talk_time() -> None:
    text = "Um, so, like, I would start with a baseline, uh, and then tune it."  # 14 words, 3 fillers
    metrics = measure_delivery(text, join(silence(1.0), tone(6.0), silence(1.0)), RATE)
    assert metrics.word_count == 14
    assert metrics.fillers == {"um": 1, "uh": 1, "like": 1}
    assert metrics.filler_count == 3
    assert metrics.fillers_per_minute == pytest.approx(30.0, rel=0.02)
    assert metrics.words_per_minute == pytest.approx(140.0, rel=0.02)


def _timed(*words: tuple[str, float, float]) -> list[Word]:
    return [Word(word=w, start=s, end=e) for w, s, e in words]


def test_without_audio_pauses_and_talk_time_come_from_word_timings() -> None:
    transcript = Transcript(
        text="I would, um, use a time split.",
        words=_timed(
            ("I", 0.5, 0.6),
            ("would,", 0.65, 0.9),
            ("um,", 1.0, 1.3),
            ("use", 3.8, 4.0),
            ("a", 4.05, 4.1),
            ("time", 4.15, 4.4),
            ("split.", 4.45, 4.9),
        ),
        duration_seconds=5.5,
    )
    metrics = measure_delivery(transcript)
    assert metrics.pause_source == "word_timings"
    assert metrics.duration_seconds == 5.5
    assert metrics.start_delay_seconds == 0.5
    assert metrics.long_pauses == [Pause(start_seconds=1.3, end_seconds=3.8)]
    assert metrics.talk_seconds == pytest.approx((1.3 - 0.5) + (4.9 - 3.8))
    assert metrics.fillers == {"um": 1}


def test_a_bare_text_gives_counts_but_no_timing() -> None:
    metrics = measure_delivery("You know, it's, like, fine.")
    assert metrics.pause_source == "none"
    assert (metrics.word_count, metrics.filler_count) == (5, 2)
    assert metrics.words_per_minute is None


def test_session_totals_add_counts_and_recompute_rates() -> None:
    first = measure_delivery("um one two three", join(tone(1.0), silence(2.5), tone(1.0)), RATE)
    second = measure_delivery("four five, like, six", join(tone(2.0), silence(3.0), tone(1.0)), RATE)
    total = combine_delivery([first, second])

    assert total.answers == 2
    assert total.word_count == 8
    assert total.fillers == {"um": 1, "like": 1}
    assert total.talk_seconds == pytest.approx(first.talk_seconds + second.talk_seconds)
    assert total.duration_seconds == pytest.approx(10.5)
    # A rate over all the talk, not the mean of the two answers' rates.
    assert total.words_per_minute == pytest.approx(8 * 60 / total.talk_seconds, abs=0.1)
    assert [p.answer for p in total.long_pauses] == [0, 1]
    assert total.longest_pause_seconds == pytest.approx(3.0, abs=2 * FRAME)
    # Totals combine further, keeping answer numbers in order.
    again = combine_delivery([total, first])
    assert again.answers == 3
    assert [p.answer for p in again.long_pauses] == [0, 1, 2]


def test_session_totals_of_nothing_and_of_mixed_sources() -> None:
    empty = combine_delivery([])
    assert (empty.answers, empty.word_count, empty.pause_source, empty.words_per_minute) == (0, 0, "none", None)
    mixed = combine_delivery([measure_delivery("a"), measure_delivery("b", tone(1.0), RATE)])
    assert mixed.pause_source == "mixed"


def test_metrics_serialise_with_their_rates_and_read_back() -> None:
    metrics = measure_delivery("um, a b c", join(tone(1.0), silence(2.5), tone(1.0)), RATE)
    dumped = metrics.model_dump(mode="json")
    assert dumped["words_per_minute"] == metrics.words_per_minute
    assert dumped["long_pause_count"] == 1
    assert DeliveryMetrics.model_validate(dumped) == metrics
    assert DeliveryMetrics.model_validate_json(metrics.model_dump_json()) == metrics
    schema = DeliveryMetrics.model_json_schema(mode="serialization")
    assert "words_per_minute" in schema["properties"]


def test_measure_delivery_needs_the_sample_rate_with_audio() -> None:
    with pytest.raises(ValueError, match="sample_rate"):
        measure_delivery("a", tone(1.0))
