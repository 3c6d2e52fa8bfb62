"""Spoken answers, offline, on this machine: the wait after the candidate stops, word error rate
on long answers, and ML jargon heard right.

The answers and sentences (`speech_set.yaml`) are read by the offline voice (piper, without
variation, half a second between sentences) and heard back by Whisper base through the app's
path: utterance by utterance as they are spoken, then ML terms put back.

- Wait: the answer is fed as a microphone would send it, in half-second pieces. All but its last
  10 seconds go in at once and are transcribed first (live, the recogniser keeps up: see the
  real-time factor printed); the last 10 seconds arrive in real time. The wait runs from the
  last piece (the candidate stops) to the interviewer's first sentence of audio: the rest of the
  transcript, the engine's reply and the voice's first sentence.
- WER: words, ignoring case and punctuation, digits read as words, letters as letters.
- Jargon: share of the terms written as engineers write them: as Whisper heard them, put back
  with the common ML lexicon alone, and the app's way, where Whisper is told the terms of the
  question the sentence belongs to (`question`) and the question's vocabulary puts terms back;
  and how often an everyday word was turned into a term.

Run: .venv/bin/python benchmarks/speech.py [runs]   (targets: wait p95 <= 1.5 s, jargon >= 90%)
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from collections import deque
from functools import partial
from pathlib import Path

import numpy as np
import yaml

from interviewer.practice.interview import InterviewSession
from interviewer.rubric.bank import RubricBank
from interviewer.speech import PiperSynthesizer, WhisperTranscriber
from interviewer.practice.vocabulary import question_vocabulary
from interviewer.speech.jargon import correct
from interviewer.speech.live import LiveTranscript, transcribe_recording
from interviewer.speech.numbers import integer_words

SET = yaml.safe_load((Path(__file__).parent / "speech_set.yaml").read_text(encoding="utf-8"))
PIECE_SECONDS = 0.5
REAL_TIME_SECONDS = 10.0
STOP_SILENCE_SECONDS = 0.3  # between the last word and the click on Stop


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def spoken_words(text: str) -> list[str]:
    """Words as said: '90%' -> ninety percent, 'NDCG' -> n d c g, 'BM25' -> b m twenty five."""
    text = text.replace("%", " percent ")
    text = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", text)
    said = []
    for token in re.findall(r"[A-Za-z']+|\d+", text):
        if token.isdigit():
            said += integer_words(int(token)).replace("-", " ").split()
        elif token.isupper() and len(token) > 1:
            said += list(token.lower())
        else:
            said.append(token.lower().replace("'", ""))
    return said


def wer(reference: str, heard: str) -> float:
    ref, hyp = spoken_words(reference), spoken_words(heard)
    row = list(range(len(hyp) + 1))
    for i, want in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, got in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (want != got))
    return row[-1] / max(1, len(ref))


def plain(text: str) -> str:
    """Lower-case words only; "@" read as "at" ("recall@k" is written "recall at k" too)."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("@", " at "))) + " "


def written(term: str, text: str) -> bool:
    """`term` as written, capitals included ("the spark for" is no "Spark")."""
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) is not None


def terms_heard(terms: list[str], transcript: str) -> int:
    """How many of the expected term occurrences the transcript has, longest terms first."""
    left, found = plain(transcript), 0
    for term in sorted(terms, key=len, reverse=True):
        if plain(term) in left:
            found += 1
            left = left.replace(plain(term), " ", 1)
    return found


def wait_after_stop(stt, tts, rubric, rate: int, audio: np.ndarray) -> tuple[float, str]:
    session = InterviewSession(rubric)
    deque(session.open(), maxlen=1)
    vocabulary = question_vocabulary(rubric)  # as the app listens: the question's terms expected
    live = LiveTranscript(stt.with_terms(vocabulary.hints()), partial(correct, vocabulary=vocabulary))
    piece = round(PIECE_SECONDS * rate)
    real_time_from = max(0, audio.size - round(REAL_TIME_SECONDS * rate))
    live.feed(audio[:real_time_from], rate)
    while live.busy:
        time.sleep(0.05)
    for start in range(real_time_from, audio.size, piece):
        live.feed(audio[start : start + piece], rate)
        time.sleep(PIECE_SECONDS)
    stopped = time.perf_counter()
    transcript = live.finish()
    reply = deque(session.reply(transcript.text), maxlen=1).pop()
    next(iter(tts.stream(reply)))
    return time.perf_counter() - stopped, transcript.text


def main(runs: int = 3) -> None:
    print(f"[cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}]")
    stt, tts = WhisperTranscriber(), PiperSynthesizer(variation=0.0, sentence_pause_seconds=0.5)
    stt.load()
    tts.load()
    long_answers(stt, tts, runs)
    jargon(stt, tts)


def long_answers(stt: WhisperTranscriber, tts: PiperSynthesizer, runs: int) -> None:
    rubric = RubricBank().get("uber-eta")
    silence = np.zeros(round(STOP_SILENCE_SECONDS * tts.sample_rate), dtype=np.int16)
    print("== long answers: the wait after the candidate stops, and word error rate")
    for answer in SET["long_answers"]:
        rate, audio = tts.synthesize(answer["text"])
        audio = np.concatenate([audio, silence])
        start = time.perf_counter()
        transcript = transcribe_recording(stt, audio, rate)
        factor = (time.perf_counter() - start) / (audio.size / rate)
        waits = [wait_after_stop(stt, tts, rubric, rate, audio)[0] for _ in range(runs)]
        print(f"  {audio.size / rate:5.0f} s answer: wait median {statistics.median(waits):.2f} s, "
              f"p95 {p95(waits):.2f} s over {runs} runs (target <= 1.5 s); "
              f"WER {wer(answer['text'], transcript.text):.1%}; real-time factor {factor:.2f}")


def jargon(stt: WhisperTranscriber, tts: PiperSynthesizer) -> None:
    print("== jargon: ML terms heard right")
    bank = RubricBank()
    counts = {"heard by Whisper": [0, 0], "common ML lexicon": [0, 0], "the app: question's terms": [0, 0]}
    over = {"common ML lexicon": 0, "the app: question's terms": 0}
    for sentence in SET["jargon"]:
        rate, audio = tts.synthesize(sentence["say"])
        raw = transcribe_recording(stt, audio, rate).text
        vocabulary = question_vocabulary(bank.get(sentence["question"]))
        expecting = stt.with_terms(vocabulary.hints())
        versions = {
            "heard by Whisper": raw,
            "common ML lexicon": correct(raw),
            "the app: question's terms": transcribe_recording(expecting, audio, rate, partial(correct, vocabulary=vocabulary)).text,
        }
        for name, text in versions.items():
            counts[name][0] += terms_heard(sentence.get("terms", []), text)
            counts[name][1] += len(sentence.get("terms", []))
            if name in over and any(written(t, text) and not written(t, raw) for t in sentence.get("not", [])):
                over[name] += 1  # an everyday word was made a term
    everyday = sum(1 for s in SET["jargon"] if s.get("not"))
    for name, (right, total) in counts.items():
        extra = f"; everyday words turned into a term in {over[name]} of {everyday} sentences" if name in over else ""
        print(f"  {name:<28} {right}/{total} terms right ({right / total:.0%}){extra}")
    print("  (target >= 90%, about 70% before the correction)")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
