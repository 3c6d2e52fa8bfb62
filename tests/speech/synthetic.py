"""Audio built with numpy, so the expected metrics are known exactly."""

from __future__ import annotations

import numpy as np

RATE = 16_000


def tone(seconds: float, amplitude: float = 0.3, frequency: float = 220.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    # A vowel-like tone: a fundamental with two harmonics.
    wave = (
        np.sin(2 * np.pi * frequency * t)
        + 0.5 * np.sin(4 * np.pi * frequency * t)
        + 0.25 * np.sin(6 * np.pi * frequency * t)
    )
    return (amplitude * wave / 1.75).astype(np.float32)


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


def noise(seconds: float, level_dbfs: float, rate: int = RATE, seed: int = 0) -> np.ndarray:
    rms = 10 ** (level_dbfs / 20)
    return np.random.default_rng(seed).normal(0.0, rms, round(seconds * rate)).astype(np.float32)


def join(*parts: np.ndarray) -> np.ndarray:
    return np.concatenate(parts).astype(np.float32)
