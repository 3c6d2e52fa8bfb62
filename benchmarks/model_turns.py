"""Model calls and tokens per turn when a model listens and speaks, against a recorded server.

Replays tests/recordings/listener-llamacpp-interview.json through the real client: the model reads
each answer and, in the same structured call, phrases the reply the offline reading leads to; only
when its reading changes that reply is the reply phrased by a second, streamed call. Turns that
only ask for facts or the time are read offline and said as written, at no cost.

Run: .venv/bin/python benchmarks/model_turns.py
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from interviewer.listening.model_reader import ModelListener
from interviewer.llm.health import ServerHealth
from interviewer.llm.protocol import LLMClient, Message, Usage
from interviewer.practice.interview import InterviewSession
from interviewer.rubric.loader import load_rubrics
from interviewer.voice.guarded import GuardedVoice
from interviewer.voice.llm_voice import LLMVoice

ROOT = Path(__file__).parents[1]
RECORDING = ROOT / "tests" / "recordings" / "listener-llamacpp-interview.json"
QUESTION = "fraud-detection"
TURNS = (
    "How many transactions do we see a day?",
    "I'd train gradient boosting and test it by splitting the transactions at random, eighty-twenty.",
    "Fair point: one burst would sit on both sides of the split, so I'd test on a later month instead.",
    "How much time do I have left?",
    "For features I'd compare each amount with the customer's own history and count transactions in the last hour.",
)


class Counting:
    """An LLMClient that counts the calls and tokens of each turn."""

    def __init__(self, client: LLMClient) -> None:
        self.client, self.calls, self.usage = client, 0, Usage(input_tokens=0, output_tokens=0)
        self._streams: list[Any] = []

    @property
    def model(self) -> str:
        return self.client.model

    def complete(self, messages: Sequence[Message], **options: Any) -> Any:
        self.calls += 1
        reply = self.client.complete(messages, **options)
        self.usage += reply.usage
        return reply

    def stream(self, messages: Sequence[Message], **options: Any) -> Any:
        self.calls += 1
        stream = self.client.stream(messages, **options)
        self._streams.append(stream)
        return stream

    def structured(self, messages: Sequence[Message], schema: Any, **options: Any) -> Any:
        self.calls += 1
        reply = self.client.structured(messages, schema, **options)
        self.usage += reply.usage
        return reply

    def take(self) -> tuple[int, Usage]:
        """This turn's calls and tokens, and start counting the next."""
        usage = self.usage
        for stream in self._streams:
            usage += stream.usage
        counted = (self.calls, usage)
        self.calls, self.usage, self._streams = 0, Usage(input_tokens=0, output_tokens=0), []
        return counted


def play(client: LLMClient) -> Iterator[str]:
    """The scripted interview, yielding one printable line per turn."""
    rubric = load_rubrics([ROOT / "rubrics"]).rubrics[QUESTION]
    counting = Counting(client)
    health = ServerHealth(probe=lambda: None)
    clock = iter(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m) for m in range(100))
    session = InterviewSession(rubric, GuardedVoice(LLMVoice(counting), health), lambda: next(clock),
                               listener=ModelListener(counting, health))
    list(session.open())
    counting.take()
    for turn in TURNS:
        said = list(session.reply(turn))[-1]
        calls, usage = counting.take()
        yield f"{calls} call(s), {usage.input_tokens:>5} in {usage.output_tokens:>4} out | C: {turn}\n{'':38}I: {said}"


def main() -> None:
    from interviewer.openai_api.recording import recorded_client

    with recorded_client(RECORDING) as client:
        for line in play(client):
            print(line)


if __name__ == "__main__":
    main()
