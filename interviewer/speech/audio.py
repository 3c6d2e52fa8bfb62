"""Audio as the rest of the app hands it over: numpy arrays of any common dtype and layout, and WAV bytes.

Gradio's microphone gives `(sample_rate, array)` with int16 samples, mono `(n,)` or
`(n, channels)`; servers answer with WAV files whose headers streaming writers leave unfinished.
Everything here is numpy and the standard library, so the metrics and the HTTP backends work
without the local models installed.
"""

from __future__ import annotations

import io
import struct
import wave

import numpy as np

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
_MAX_CHANNELS = 8  # more "channels" than this means the array is (channels, samples) the other way round


class AudioFormatError(ValueError):
    """Bytes or an array that are not audio this module can read."""


def to_mono_float32(audio: np.ndarray) -> np.ndarray:
    """Samples in [-1, 1] as float32, one channel (the mean of all channels)."""
    samples = np.asarray(audio)
    if samples.ndim == 2:
        if samples.shape[1] > _MAX_CHANNELS and samples.shape[0] <= _MAX_CHANNELS:
            samples = samples.T
        samples = samples.astype(np.float32).mean(axis=1) if samples.shape[1] > 1 else samples[:, 0]
        # Integer input was averaged as float above: scale as the original integer type.
        return _scale(samples, np.asarray(audio).dtype)
    if samples.ndim != 1:
        raise AudioFormatError(f"expected audio of shape (samples,) or (samples, channels), got {samples.shape}")
    return _scale(samples, samples.dtype)


def _scale(samples: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype == np.int16:
        return (samples.astype(np.float32) / 32768.0).astype(np.float32)
    if dtype == np.int32:
        return (samples.astype(np.float64) / 2147483648.0).astype(np.float32)
    if dtype == np.uint8:
        return ((samples.astype(np.float32) - 128.0) / 128.0).astype(np.float32)
    if np.issubdtype(dtype, np.floating):
        return np.clip(samples.astype(np.float32), -1.0, 1.0)
    raise AudioFormatError(f"unsupported sample type {dtype}: use int16, int32, uint8 or float samples")


def to_int16(audio: np.ndarray) -> np.ndarray:
    """Mono 16-bit PCM samples, the format the synthesizers return and WAV files carry."""
    if audio.dtype == np.int16 and audio.ndim == 1:
        return audio
    return np.round(to_mono_float32(audio) * 32767.0).astype(np.int16)


def duration_seconds(audio: np.ndarray, sample_rate: int) -> float:
    samples = np.asarray(audio)
    if samples.ndim == 2 and samples.shape[1] > _MAX_CHANNELS and samples.shape[0] <= _MAX_CHANNELS:
        return samples.shape[1] / sample_rate
    return samples.shape[0] / sample_rate if samples.ndim else 0.0


def wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """A mono 16-bit PCM WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(int(sample_rate))
        out.writeframes(to_int16(audio).tobytes())
    return buffer.getvalue()


def read_wav(data: bytes) -> tuple[int, np.ndarray]:
    """`(sample_rate, mono int16 samples)` from a WAV file: PCM 8/16/24/32-bit or 32/64-bit float.

    Not `wave`: it rejects float WAVs, and OpenAI streams its WAVs with placeholder sizes
    (0xFFFFFFFF) in the RIFF and data headers, so sizes are trusted only as far as the bytes go.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        start = data[:16]
        raise AudioFormatError(f"not a WAV file (it starts with {start!r}); ask the server for response_format 'wav'")
    position, fmt = 12, None
    while position + 8 <= len(data):
        chunk_id, size = data[position : position + 4], struct.unpack("<I", data[position + 4 : position + 8])[0]
        body_start = position + 8
        body = data[body_start : body_start + size]
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(body)
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioFormatError("WAV file has its data before its format chunk")
            tag, rate, bits, channels = fmt
            return rate, _decode_samples(body, tag, bits, channels)
        position = body_start + size + (size & 1)
    raise AudioFormatError("WAV file has no data chunk")


def _parse_fmt(body: bytes) -> tuple[int, int, int, int]:
    """(format tag, sample rate, bits per sample, channels)."""
    if len(body) < 16:
        raise AudioFormatError("WAV format chunk is too short")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack("<H", body[24:26])[0]  # the first two bytes of the sub-format GUID
    if tag not in (_PCM, _FLOAT):
        raise AudioFormatError(f"WAV encoding {tag} is not supported: only PCM and float samples are")
    if channels < 1 or rate < 1:
        raise AudioFormatError(f"WAV header says {channels} channels at {rate} Hz")
    return tag, rate, bits, channels


def _decode_samples(body: bytes, tag: int, bits: int, channels: int) -> np.ndarray:
    width = bits // 8
    frame = width * channels
    body = body[: len(body) - len(body) % frame]  # a stream cut mid-frame
    if tag == _FLOAT and bits in (32, 64):
        samples = np.frombuffer(body, dtype="<f4" if bits == 32 else "<f8").astype(np.float32)
    elif tag == _PCM and bits == 8:
        samples = np.frombuffer(body, dtype=np.uint8)
    elif tag == _PCM and bits == 16:
        samples = np.frombuffer(body, dtype="<i2").astype(np.int16)
    elif tag == _PCM and bits == 24:
        raw = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        samples = (np.where(value >= 1 << 23, value - (1 << 24), value) << 8).astype(np.int32)
    elif tag == _PCM and bits == 32:
        samples = np.frombuffer(body, dtype="<i4").astype(np.int32)
    else:
        raise AudioFormatError(f"WAV files with {bits}-bit samples are not supported")
    if channels > 1:
        samples = samples.reshape(-1, channels)
    return to_int16(samples)
