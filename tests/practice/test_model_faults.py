"""A failing language model never costs a turn or a session: deadlines on the voice, a resting
period after a failure, and the offline scorecard first with the model's refinement after it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from interviewer.engine.state import InterviewState, Move
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.select import Graders
from interviewer.llm.errors import ServerError
from interviewer.llm.fakes import FunctionLLM, LLMCall
from interviewer.llm.health import ServerHealth
from interviewer.practice.interview import FALLBACK_NOTICE
from interviewer.rubric.models import Rubric
from interviewer.voice.guarded import GuardedVoice

from .conftest import ALICE, last

KEY = "sk-test-SECRET-0123456789abcdef"


class HungVoice:
    """A model voice whose server never sends a word (until released)."""

    name = "llm:hung"

    def __init__(self) -> None:
        self.release, self.calls = threading.Event(), 0

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        self.calls += 1
        self.release.wait(timeout=30)
        yield "too late"


class TricklingVoice:
    """First words at once, then one word every half second, for ever."""

    name = "llm:trickle"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        yield "Let me"
        while True:
            time.sleep(0.5)
            yield " think"


class Probe:
    def __init__(self) -> None:
        self.up, self.calls = False, 0

    def __call__(self) -> None:
        self.calls += 1
        if not self.up:
            raise ServerError("http://llm.test/v1", 503, 1)


def wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()


def test_a_hung_server_costs_the_first_words_deadline_then_none_until_it_answers_again(make_service):
    hung, probe = HungVoice(), Probe()
    health = ServerHealth(probe, probe_interval=0.0)
    service = make_service(voice=GuardedVoice(hung, health, first_words_seconds=0.3))
    try:
        started = time.monotonic()
        practice = last(service.start(ALICE, "uber-eta"))
        assert time.monotonic() - started < 2
        rubric = service.bank.get("uber-eta")
        assert practice.state.turns[-1].text == f"{FALLBACK_NOTICE} {rubric.prompt.strip()}"

        started = time.monotonic()
        practice = last(service.answer(practice, "I'd frame it as regression on minutes to pickup."))
        assert time.monotonic() - started < 0.3 and hung.calls == 1  # the resting server was not asked
        assert FALLBACK_NOTICE not in practice.state.turns[-1].text  # told once
        wait_for(lambda: probe.calls >= 1)  # probed in the background, not in the turn

        probe.up = True
        wait_for(health.available)
        hung.release.set()
        last(service.answer(practice, "Features: live traffic speeds."))
        assert hung.calls == 2  # back to the model
    finally:
        hung.release.set()


def test_a_trickling_server_is_cut_off_at_the_turn_deadline(make_service):
    health = ServerHealth(Probe(), probe_interval=60)
    service = make_service(voice=GuardedVoice(TricklingVoice(), health, first_words_seconds=0.5, turn_seconds=1.0))
    started = time.monotonic()
    steps = list(service.start(ALICE, "uber-eta"))
    assert time.monotonic() - started < 3
    assert any(step.speaking == "Let me" for step in steps)  # the first words were shown...
    assert steps[-1].practice.state.turns[-1].text.endswith(service.bank.get("uber-eta").prompt.strip())  # ...then replaced


def verdict_for(rubric: Rubric, quote: str):
    def reply(call: LLMCall) -> dict:
        criteria = [
            {"criterion_id": c.id, "reasoning": "Explained with a reason.", "quotes": [quote], "level": 2}
            for c in rubric.criteria
        ]
        return {"criteria": criteria, "instruction_attempt": False}

    return reply


def test_the_offline_scorecard_comes_first_and_the_models_refines_it(make_service, grader):
    service = make_service()
    rubric = service.bank.get("uber-eta")
    answer = "I'd frame it as regression on minutes to pickup, with the routing engine estimate as a baseline."
    llm = FunctionLLM(verdict_for(rubric, answer), model="judge")
    service.graders = Graders(grader, LLMGrader(llm, grader))
    practice = last(service.answer(last(service.start(ALICE, "uber-eta")), answer))

    offline, refined = [step.practice.scorecard for step in service.end(practice) if step.practice.scorecard]
    assert offline.grader == grader.name and refined.grader == "llm:judge"
    assert service.store.load(ALICE, practice.session_id).scorecard == refined
    assert llm.calls[0].max_tokens is not None  # the grader bounds the model's output


def test_a_failing_grader_model_leaves_a_note_without_the_key_or_the_server(make_service, grader):
    service = make_service()

    def fail(call: LLMCall) -> Exception:
        return ServerError("http://10.1.2.3:8000/v1", 500, 3, f"invalid key {KEY} for org")

    service.graders = Graders(grader, LLMGrader(FunctionLLM(fail), grader))
    practice = last(service.answer(last(service.start(ALICE, "uber-eta")), "I'd use gradient boosting."))
    final = last(service.end(practice))
    note = " ".join(final.scorecard.notes)
    assert "offline grade" in note and KEY not in note and "10.1.2.3" not in note
    assert KEY not in service.store.load(ALICE, practice.session_id).model_dump_json()
