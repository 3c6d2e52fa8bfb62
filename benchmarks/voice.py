"""Time the offline voice loop: model loads, then end of the candidate's recording -> interviewer audio ready.

One turn = transcribe a 5-second answer (faster-whisper, Whisper base int8, 2 threads)
+ the engine's reply (InterviewSession on the uber-eta rubric, offline template voice)
+ synthesize the reply (piper, en_US-joe-medium). "First audio" is when the reply's first
sentence is ready, which a streaming player could start on; "all audio" is the whole reply.

Run: .venv/bin/python benchmarks/voice.py [runs]   (target: all audio under 2 s on 2 cores)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import deque
from collections.abc import Iterable

import numpy as np

from interviewer.rubric.bank import RubricBank
from interviewer.practice.interview import InterviewSession
from interviewer.speech import PiperSynthesizer, WhisperTranscriber, measure_delivery

ANSWER = "I would predict the arrival time with gradient boosted trees on recent trip data."  # 14 words
CLIP_SECONDS = 5.0


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile: with a handful of runs, the slowest one."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def last(chunks: Iterable[str]) -> str:
    """The session yields its reply as it grows: the last value is the whole reply."""
    return deque(chunks, maxlen=1).pop()


def main(runs: int = 5) -> None:
    print(f"[cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}]")
    stt, tts = WhisperTranscriber(), PiperSynthesizer()

    start = time.perf_counter()
    tts.load()
    print(f"piper voice load (incl. sha256 check): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    stt.load()
    print(f"whisper model load (incl. join/sha256 check of the cache): {time.perf_counter() - start:.2f} s")

    rate, speech = tts.synthesize(ANSWER)
    samples = round(CLIP_SECONDS * rate)
    clip = np.zeros(samples, dtype=np.int16)
    clip[: min(samples, speech.size)] = speech[:samples]
    print(f"clip: {CLIP_SECONDS:.0f} s at {rate} Hz ({speech.size / rate:.2f} s of speech, padded/trimmed)")

    start = time.perf_counter()
    stt.transcribe(clip, rate)  # the first call also loads the VAD model and warms up CTranslate2
    print(f"first transcription (warm-up): {time.perf_counter() - start:.2f} s")

    rubric = RubricBank().get("uber-eta")
    totals: list[float] = []
    firsts: list[float] = []
    stages: dict[str, list[float]] = {"transcribe": [], "engine": [], "synthesize": []}
    for _ in range(runs):
        session = InterviewSession(rubric)
        last(session.open())
        t0 = time.perf_counter()
        transcript = stt.transcribe(clip, rate)
        t1 = time.perf_counter()
        reply = last(session.reply(transcript.text))
        t2 = time.perf_counter()
        first_audio = None
        audio = []
        for _, chunk in tts.stream(reply):
            first_audio = first_audio or time.perf_counter()
            audio.append(chunk)
        t3 = time.perf_counter()
        totals.append(t3 - t0)
        firsts.append((first_audio or t3) - t0)
        for name, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            stages[name].append(seconds)

    reply_seconds = sum(a.size for a in audio) / tts.sample_rate
    print(f"heard: {transcript.text!r}")
    print(f"reply: {reply!r} ({len(reply.split())} words, {reply_seconds:.1f} s of audio)")
    delivery = measure_delivery(transcript, clip, rate)
    print(f"delivery of the clip: {delivery.words_per_minute} wpm over {delivery.talk_seconds} s of talk")
    for name, values in stages.items():
        print(f"  {name:<11} median {statistics.median(values):.2f} s")
    print(f"first audio ready: median {statistics.median(firsts):.2f} s, p95 {p95(firsts):.2f} s")
    print(
        f"all audio ready:   median {statistics.median(totals):.2f} s, p95 {p95(totals):.2f} s "
        f"over {runs} runs (target < 2 s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
