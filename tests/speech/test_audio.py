"""Audio conversions and WAV reading, including the WAV shapes servers really send; text made speakable."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from interviewer.speech.audio import AudioFormatError, read_wav, to_int16, to_mono_float32, wav_bytes
from interviewer.speech.speakable import speakable
from speech.synthetic import tone


def test_int16_round_trips_through_a_wav_file() -> None:
    samples = to_int16(tone(0.5))
    rate, back = read_wav(wav_bytes(samples, 16_000))
    assert rate == 16_000
    assert back.dtype == np.int16
    np.testing.assert_array_equal(back, samples)


@pytest.mark.parametrize(
    ("audio", "expected"),
    [
        (np.array([0, 16384, -32768], dtype=np.int16), [0.0, 0.5, -1.0]),
        (np.array([128, 192, 0], dtype=np.uint8), [0.0, 0.5, -1.0]),
        (np.array([0, 1 << 30, -(1 << 31)], dtype=np.int32), [0.0, 0.5, -1.0]),
        (np.array([0.0, 0.5, -2.0], dtype=np.float64), [0.0, 0.5, -1.0]),  # clipped
        (np.array([[0, 0], [16384, 0], [-32768, -32768]], dtype=np.int16), [0.0, 0.25, -1.0]),  # (n, channels)
        (
            np.array([[0, 16384, -32768] + [0] * 9, [0, 0, -32768] + [0] * 9], dtype=np.int16),
            [0.0, 0.25, -1.0] + [0.0] * 9,
        ),  # (channels, n)
    ],
)
def test_any_common_layout_becomes_mono_float(audio: np.ndarray, expected: list[float]) -> None:
    mono = to_mono_float32(audio)
    assert mono.dtype == np.float32
    np.testing.assert_allclose(mono, expected, atol=1e-6)


def _riff(fmt: bytes, data: bytes, *, streamed: bool = False) -> bytes:
    size = 0xFFFFFFFF if streamed else 4 + 8 + len(fmt) + 8 + len(data)
    data_size = 0xFFFFFFFF if streamed else len(data)
    return (
        b"RIFF"
        + struct.pack("<I", size)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
        + data
    )


def test_a_streamed_wav_with_placeholder_sizes_is_read_to_the_end() -> None:
    # OpenAI's /audio/speech streams WAV with 0xFFFFFFFF sizes; `wave` would choke or stop early.
    samples = np.array([0, 1000, -1000, 32767], dtype=np.int16)
    fmt = struct.pack("<HHIIHH", 1, 1, 24_000, 48_000, 2, 16)
    rate, back = read_wav(_riff(fmt, samples.tobytes(), streamed=True))
    assert rate == 24_000
    np.testing.assert_array_equal(back, samples)


def test_float_and_stereo_wavs_become_mono_int16() -> None:
    stereo = np.array([[0.5, 0.5], [-0.5, -0.5], [1.0, 0.0]], dtype="<f4")
    fmt = struct.pack("<HHIIHH", 3, 2, 22_050, 22_050 * 8, 8, 32)
    rate, back = read_wav(_riff(fmt, stereo.tobytes()))
    assert rate == 22_050
    np.testing.assert_array_equal(back, [16384, -16384, 16384])


def test_24_bit_pcm_is_read() -> None:
    values = [0, 1 << 22, -(1 << 23)]  # 0, half scale, minus full scale
    data = b"".join(v.to_bytes(3, "little", signed=True) for v in values)
    fmt = struct.pack("<HHIIHH", 1, 1, 16_000, 48_000, 3, 24)
    _, back = read_wav(_riff(fmt, data))
    np.testing.assert_array_equal(back, [0, 16384, -32767])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ID3\x04mp3 data here", "not a WAV file"),
        (_riff(struct.pack("<HHIIHH", 85, 1, 16_000, 2_000, 1, 0), b""), "encoding 85"),
        (b"RIFF\x10\x00\x00\x00WAVEjunk\x00\x00\x00\x00", "no data chunk"),
    ],
)
def test_unreadable_audio_says_why(data: bytes, message: str) -> None:
    with pytest.raises(AudioFormatError, match=message):
        read_wav(data)


def test_speakable_drops_markdown_but_keeps_the_words() -> None:
    text = (
        "## Next step\n"
        "**Good.** Now, think about [data leakage](https://example.com/leak) and `p95` latency:\n"
        "- time-based split\n"
        "- calibration\n"
        "See https://example.com for more."
    )
    assert speakable(text) == (
        "Next step. Good. Now, think about data leakage and p ninety-five latency: time-based split. calibration. See for more."
    )
    assert speakable("   ") == ""
