"""The words a question's recogniser should hear right: its jargon, and what goes with each term."""

from __future__ import annotations

from functools import lru_cache

from interviewer.rubric.models import Rubric
from interviewer.speech.jargon import Vocabulary


def question_vocabulary(rubric: Rubric) -> Vocabulary:
    return _vocabulary(rubric.id, rubric.version, rubric.model_dump_json())


@lru_cache(maxsize=128)
def _vocabulary(question_id: str, version: int, text: str) -> Vocabulary:
    """Per question and version: a coach's reload with a new text makes a new vocabulary."""
    return Vocabulary.of(text)
