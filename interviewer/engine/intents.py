"""Reading a candidate's turn: is it a question, an answer, a request for a hint, or the end?"""

from __future__ import annotations

import re

from interviewer.matching.questions import question_sentences
from interviewer.matching.text import content_stems, words
from interviewer.rubric.models import Fact

_DONE = re.compile(
    r"^\s*/end\s*$|\b(i'?m|i am|we'?re) (done|finished)\b|\bthat'?s (all|it|everything)\b|\bnothing (more|else)\b"
    r"|\blet'?s (wrap|stop|end)\b|\bno,? (i think )?that'?s (it|all)\b",
    re.IGNORECASE,
)
_HINT = re.compile(r"\bhint\b|\bi'?m stuck\b|\bnot sure (where|how) to (start|go)\b|\b(a )?pointer\b|\bnudge\b", re.IGNORECASE)
MIN_FACT_MATCH = 0.5


def classify(text: str) -> str:
    count = len(words(text))
    if count <= 12 and _DONE.search(text):
        return "done"
    if count <= 14 and _HINT.search(text):
        return "hint"
    if question_sentences(text):
        return "question"
    return "answer"



def best_fact(facts: list[Fact], questions: list[str]) -> Fact | None:
    """The fact whose cues best cover what was asked; None when nothing fits well enough."""
    asked = set(content_stems(" ".join(questions)))
    best: Fact | None = None
    best_key = (0.0, 0)
    for fact in facts:
        for cue in fact.cues:
            wanted = set(content_stems(cue))
            shared = len(wanted & asked)
            key = (shared / len(wanted) if wanted else 0.0, shared)
            if key[0] >= MIN_FACT_MATCH and key > best_key:  # strict: earlier facts win ties
                best, best_key = fact, key
    return best
