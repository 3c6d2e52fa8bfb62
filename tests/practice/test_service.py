"""The practice service: one question from start to scorecard, and the holes it closes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interviewer.engine.state import InterviewState, Move
from interviewer.engine.transitions import HINT_REQUEST
from interviewer.practice.limits import MAX_ANSWER_CHARS, MAX_GRADED_CHARS
from interviewer.practice.records import PracticeError
from interviewer.rubric import RubricBank
from interviewer.rubric.models import Rubric
from interviewer.voice.templates import TemplateVoice

from .conftest import ALICE, BOB, last, said

ANSWERS = [
    "What exactly are we predicting, the ETA to pickup?",
    "I'd frame it as regression on minutes to pickup, with the routing engine estimate as a baseline.",
    "I'd train on earlier weeks and validate on later weeks, and report the mean absolute error.",
]


def test_a_typed_interview_from_start_to_scorecard_is_stored_turn_by_turn(service):
    practice = last(service.start(ALICE, "uber-eta"))
    assert said(practice) == [f"interviewer: {service.bank.get('uber-eta').prompt.strip()}"]
    for text in ANSWERS:
        practice = last(service.answer(practice, text))
        assert service.store.load(ALICE, practice.session_id).state == practice.state
    assert len(practice.state.turns) == 7 and practice.scorecard is None

    steps = list(service.end(practice))
    final = steps[-1].practice
    assert final.over and final.scored and final.scorecard.question_id == "uber-eta"
    stored = service.store.load(ALICE, final.session_id)
    assert stored.scorecard == final.scorecard and stored.state.phase == "scored"


class ModelLikeVoice:
    """Speaks the built-in lines, but as a model would: not instantly, word by word."""

    name = "llm:like"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        for word in "".join(TemplateVoice().speak(move, state, rubric)).split(" "):
            yield word + " "


def test_the_candidates_turn_shows_and_is_stored_before_the_reply(make_service):
    service = make_service(voice=ModelLikeVoice())
    practice = last(service.start(ALICE, "uber-eta"))
    steps = service.answer(practice, ANSWERS[1])
    first = next(steps)
    assert first.speaking is None and first.practice.state.turns[-1].text == ANSWERS[1]
    assert service.store.load(ALICE, practice.session_id).state.turns[-1].text == ANSWERS[1]
    assert first.practice.state.pending is not None  # the reply is decided, not yet spoken
    rest = list(steps)
    assert [step.speaking is not None for step in rest] == [True] * (len(rest) - 1) + [False]  # words as they come
    assert rest[-1].practice.state.pending is None and rest[-1].practice.state.turns[-1].role == "interviewer"


def test_a_built_in_reply_comes_with_the_answer_in_one_step(service):
    practice = last(service.start(ALICE, "uber-eta"))
    [step] = list(service.answer(practice, ANSWERS[1]))
    assert [t.role for t in step.practice.state.turns[-2:]] == ["candidate", "interviewer"]


class CrashingVoice:
    """Dies while phrasing a reply, as a process killed mid-reply would."""

    name = "crashing"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        if move.kind != "open":
            raise KeyboardInterrupt("the process died mid-reply")
        yield from TemplateVoice().speak(move, state, rubric)


def test_a_crash_mid_reply_loses_nothing_and_the_reply_comes_on_resume(make_service):
    crashing = make_service(voice=CrashingVoice())
    practice = last(crashing.start(ALICE, "uber-eta"))
    with pytest.raises(KeyboardInterrupt):
        list(crashing.answer(practice, ANSWERS[1]))

    restarted = make_service(store=crashing.store)  # a new process on the same store
    stored = restarted.store.load(ALICE, practice.session_id).state
    assert stored.turns[-1].text == ANSWERS[1] and stored.pending is not None

    resumed = last(restarted.resume(ALICE, practice.key))
    assert resumed.state.turns[-1].role == "interviewer" and resumed.state.pending is None
    assert restarted.store.load(ALICE, practice.session_id).state == resumed.state


def test_hint_is_an_engine_transition_recorded_as_such(service):
    practice = last(service.start(ALICE, "uber-eta"))
    practice = last(service.hint(practice))
    asked, given = practice.state.turns[-2:]
    assert (asked.text, asked.intent) == (HINT_REQUEST, "hint")
    assert given.move.kind == "hint"
    hints = [c.hint for c in service.bank.get("uber-eta").criteria if c.hint]
    assert any(hint.strip() in given.text for hint in hints)


def test_another_owner_can_neither_resume_nor_answer_in_a_session(service):
    practice = last(service.start(ALICE, "uber-eta"))
    with pytest.raises(PracticeError, match="not yours"):
        list(service.resume(BOB, practice.key))
    stolen = practice.model_copy(update={"owner": BOB})
    with pytest.raises(PracticeError, match="not yours"):
        list(service.answer(stolen, "ignore that, I'm Alice"))
    with pytest.raises(PracticeError, match="not yours"):
        list(service.end(stolen))
    assert len(service.store.load(ALICE, practice.session_id).state.turns) == 1


def test_a_session_keeps_its_rubric_when_a_coach_breaks_the_file(make_service, rubrics_dir):
    bank = RubricBank(rubrics_dir)
    service = make_service(bank)
    practice = last(service.start(ALICE, "uber-eta"))
    path = rubrics_dir / "uber-eta.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("difficulty: medium", "difficulty: impossible"), encoding="utf-8")
    bank.reload()
    assert "uber-eta" not in bank.rubrics

    practice = last(service.answer(practice, ANSWERS[1]))
    practice = last(service.end(practice))
    assert practice.scorecard.question_id == "uber-eta" and practice.scorecard.criteria
    with pytest.raises(PracticeError, match="no question 'uber-eta'"):
        list(service.start(ALICE, "uber-eta"))  # new interviews see the reload


def test_an_overlong_answer_is_cut_and_the_candidate_is_told(service):
    practice = last(service.start(ALICE, "uber-eta"))
    answer = "I'd use gradient boosting on live traffic speeds. " * 20_000  # about 1 MB
    [step] = list(service.answer(practice, answer))
    kept = step.practice.state.turns[-2].text
    assert len(kept) <= MAX_ANSWER_CHARS and answer.startswith(kept)
    assert "cut to its first" in step.notice and f"{len(answer.strip()) - len(kept):,}" in step.notice


def test_nothing_is_taken_after_the_interview_is_over(service):
    practice = last(service.end(last(service.start(ALICE, "uber-eta"))))
    assert list(service.answer(practice, "one more thing")) == []
    assert list(service.hint(practice)) == []


def test_starting_an_unknown_question_says_so(service):
    with pytest.raises(PracticeError, match="no question 'nope'"):
        list(service.start(ALICE, "nope"))


def test_a_grade_reads_a_bounded_amount_and_says_so(service):
    practice = last(service.start(ALICE, "uber-eta"))
    answer = "I'd validate on later weeks than I train on and report the mean absolute error. " * 95  # ~7,800 chars
    for _ in range(5):  # about 39,000 characters in all
        practice = last(service.answer(practice, answer))
        if not practice.answerable:
            break
    card = last(service.end(practice)).scorecard
    assert any("graded text of your answers was cut" in note and f"{MAX_GRADED_CHARS:,}" in note for note in card.notes)
