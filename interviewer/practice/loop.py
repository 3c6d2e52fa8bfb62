"""How a loop moves between its questions: the voice hands over instead of saying goodbye, and
the loop's scorecard is combined from the questions' own."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from interviewer.engine.state import InterviewState, Move
from interviewer.grading.loop_scorecard import LoopScorecard, answered, combine, step_result
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.store.records import LoopRun
from interviewer.voice.protocol import Voice

NEXT_QUESTION = "Thanks. Let's move on to the next question."


class BetweenQuestionsVoice:
    """Speaks like the voice it wraps, except that closing a question that is not the loop's last
    hands over to the next one instead of announcing the end of the interview."""

    def __init__(self, voice: Voice, more_to_come: bool) -> None:
        self.voice, self.more_to_come, self.name = voice, more_to_come, voice.name

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        if move.kind == "close" and self.more_to_come:
            yield NEXT_QUESTION
        else:
            yield from self.voice.speak(move, state, rubric)


def loop_scorecard(run: LoopRun, held: Sequence[tuple[InterviewState, Scorecard | None]], grader: str) -> LoopScorecard:
    """`held`: the state and scorecard of each question opened, in order; the rest count as skipped (0)."""
    steps = []
    for index, question in enumerate(run.questions):
        state, card = held[index] if index < len(held) else (None, None)
        steps.append(step_result(question.question_id, question.title, question.minutes, card if answered(state) else None))
    return combine(run.loop_id, run.loop_version, run.title, run.role, steps, grader)
