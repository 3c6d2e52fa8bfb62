"""How long a candidate waits for the interviewer's first words when the language-model server
misbehaves: one that accepts connections and never answers, and one that answers a byte every
two seconds. The practice service runs with its real OpenAI-compatible client pointed at each,
and the default settings (60 s per request, 4 s for the first words).

Target: the first words of every turn within 5 s; after the first failure the built-in voice
speaks at once while a background probe waits for the server. Printed, not asserted.
Run: .venv/bin/python benchmarks/hung_server.py [turns]
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from interviewer.llm.config import LLMSettings
from interviewer.practice.records import Practice, Step
from interviewer.practice.setup import open_practice

RUBRICS = Path(__file__).resolve().parents[1] / "rubrics"
ANSWERS = [
    "I'd frame it as regression on minutes to pickup, made at request time.",
    "As a baseline I'd take the routing engine estimate and learn a correction on top of it.",
    "Features: live segment speeds, time of day, weather and events near the pickup.",
    "I'd validate on later weeks than I train on and report MAE against the baseline.",
]


def hang(conn: socket.socket) -> None:
    """Read the request, then say nothing until the client gives up."""
    conn.recv(65536)
    time.sleep(600)


def trickle(conn: socket.socket) -> None:
    """Start a streamed reply, then send one byte every two seconds."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n")
    for _ in range(300):
        conn.sendall(b"1\r\n:\r\n")
        time.sleep(2)


def serve(behaviour: Callable[[socket.socket], None]) -> int:
    listener = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=behaviour, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def first_words(steps: Iterator[Step]) -> tuple[float, Practice]:
    """Seconds until the interviewer's first words are on the page, and the practice after the turn."""
    start, seen, practice = time.perf_counter(), None, None
    for step in steps:
        practice, turns = step.practice, step.practice.state.turns
        if seen is None and (step.speaking or (turns and turns[-1].role == "interviewer")):
            seen = time.perf_counter() - start
    assert practice is not None
    return seen if seen is not None else float("nan"), practice


def run(label: str, behaviour: Callable[[socket.socket], None], turns: int) -> None:
    settings = LLMSettings(base_url=f"http://127.0.0.1:{serve(behaviour)}/v1", model="hung-model")
    service = open_practice(RUBRICS, settings, save=False, with_speech=False).service
    seconds, practice = first_words(service.start("bench", "uber-eta"))
    waits = [("opening", seconds)]
    for number, text in enumerate((ANSWERS * turns)[:turns], start=1):
        seconds, practice = first_words(service.answer(practice, text))
        waits.append((f"turn {number}", seconds))
    start = time.perf_counter()
    card = next(step.practice.scorecard for step in service.end(practice) if step.practice.scorecard)
    offline = time.perf_counter() - start
    print(f"{label}: " + ", ".join(f"{name} {s:.2f} s" for name, s in waits))
    print(f"  worst wait for first words: {max(s for _, s in waits):.2f} s (target <= 5 s); "
          f"offline scorecard {offline * 1000:.0f} ms after End ({card.score:g}/100)")


def main(turns: int = 4) -> None:
    print(f"[cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}]")
    run("server that never answers", hang, turns)
    run("server that sends a byte every 2 s", trickle, turns)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:2]))
