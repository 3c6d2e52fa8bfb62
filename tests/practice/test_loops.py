"""Loops through the practice service: questions in turn, each its own stored session, one combined scorecard."""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.practice.loop import NEXT_QUESTION
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.speech.piper_tts import PiperSynthesizer
from interviewer.speech.protocol import Transcript
from interviewer.voice.templates import CLOSE, WRAP_UP

from .conftest import ALICE, BOB, last

LOOP_ID = "ml-engineer-screen"
BIAS = ("Bias is systematic error from a model that is too simple, which underfits. Variance is sensitivity "
        "to the training data. More complex models have lower bias and higher variance.")


def test_questions_come_in_order_each_in_its_own_session(service):
    questions = service.bank.loop_questions(LOOP_ID)
    practice = last(service.start_loop(ALICE, LOOP_ID))
    assert practice.loop.index == 0 and practice.state.turns[-1].text == questions[0].prompt.strip()
    practice = last(service.next_question(practice))  # the case study is left unanswered
    assert practice.loop.index == 1 and practice.earlier[0].phase == "scored"
    assert last(service.answer(practice, BIAS)).state.turns[-1].text.endswith("wrap up?")
    practice = last(service.answer(last(service.answer(practice, BIAS)), "No, that's all."))
    first_lines = [t.text for t in practice.earlier[-1].turns if t.role == "interviewer"]
    assert first_lines[-1] == NEXT_QUESTION  # a natural close hands over...
    assert practice.loop.index == 2 and practice.state.turns[-1].text == questions[2].prompt.strip()  # ...to the next
    ids = practice.loop.session_ids
    assert len(ids) == len(set(ids)) == 3
    assert [service.store.load(ALICE, i).state.question_id for i in ids] == [q.id for q in questions[:3]]


def test_the_last_question_closes_the_loop_with_a_combined_scorecard(service):
    practice = last(service.start_loop(ALICE, LOOP_ID))
    while practice.loop.index < len(practice.loop.questions) - 1:
        practice = last(service.next_question(practice))
    practice = last(service.answer(practice, "F1 is the harmonic mean of precision and recall."))
    practice = last(service.answer(practice, "That's all."))
    assert practice.state.turns[-1].text == WRAP_UP
    practice = last(service.answer(practice, "No."))
    assert practice.earlier and [t.text for t in practice.state.turns][-1] == CLOSE  # the last: no hand-over
    card = practice.loop.scorecard
    assert practice.over and practice.loop.ended and card is not None
    assert [s.skipped for s in card.steps] == [True] * (len(card.steps) - 1) + [False]
    assert list(service.answer(practice, "more")) == [] and list(service.next_question(practice)) == []


def test_ending_early_grades_what_was_answered_and_skips_the_rest(service):
    practice = last(service.start_loop(ALICE, LOOP_ID))
    practice = last(service.answer(practice, "I'd frame it as binary classification of each order at order time."))
    practice = last(service.end(practice))
    card = practice.loop.scorecard
    assert [s.skipped for s in card.steps] == [False] + [True] * 5
    assert card.steps[0].score > 0
    assert card.score == pytest.approx(round(card.steps[0].score * 35 / 50, 1), abs=0.1)
    assert service.store.load(ALICE, practice.session_id).scorecard == card.steps[0].scorecard


def test_a_loop_resumes_by_its_key_with_every_question_so_far(make_service, service):
    practice = last(service.start_loop(ALICE, LOOP_ID))
    practice = last(service.answer(practice, "I'd predict no-shows with gradient boosting on order history."))
    practice = last(service.next_question(practice))
    practice = last(service.answer(practice, "Bias means underfitting."))

    resumed = last(make_service(store=service.store).resume(ALICE, practice.key))
    assert resumed.loop == practice.loop and resumed.state == practice.state
    assert [s.question_id for s in resumed.earlier] == [practice.earlier[0].question_id]
    assert resumed.earlier[0].turns == practice.earlier[0].turns
    with pytest.raises(Exception, match="not yours"):
        list(service.resume(BOB, practice.key))


class HeardTranscriber:
    def transcribe(self, audio, sample_rate: int) -> Transcript:
        return Transcript(text="Bias is error from too simple a model.", duration_seconds=len(audio) / sample_rate)


class SilentSynthesizer:
    def synthesize(self, text: str) -> tuple[int, np.ndarray]:
        return 16_000, np.zeros(0, dtype=np.int16)


def test_delivery_is_per_question_and_does_not_carry_over(make_service):
    service = make_service(speech=lambda: (HeardTranscriber(), SilentSynthesizer()))
    practice = last(service.start_loop(ALICE, LOOP_ID))
    rate, audio = PiperSynthesizer(variation=0).synthesize("Bias is error from too simple a model.")
    steps = list(service.hear(practice, audio, rate))
    assert steps[0].heard == "Bias is error from too simple a model." and steps[0].speaking is None
    practice = steps[-1].practice
    assert isinstance(practice.delivery, DeliveryMetrics) and practice.delivery.answers == 1
    practice = last(service.hear(practice, audio, rate))
    assert practice.delivery.answers == 2
    practice = last(service.next_question(practice))
    assert practice.delivery is None
    assert service.store.load(ALICE, practice.loop.session_ids[0]).delivery.answers == 2


def test_a_loop_stopped_between_two_questions_opens_the_next_on_resume(make_service, service):
    practice = last(service.start_loop(ALICE, LOOP_ID))
    practice = last(service.answer(practice, "I'd frame it as binary classification of each order."))
    closed = service._close(practice)  # as if the process died right after closing the question
    assert list(service.answer(closed, "more")) == []  # nothing is taken between two questions

    resumed = last(make_service(store=service.store).resume(ALICE, practice.key))
    assert resumed.loop.index == 1 and resumed.state.phase == "intro"
    assert resumed.earlier[0].phase == "scored" and service.store.load(ALICE, practice.session_id).scorecard is not None
