"""Which scenario fact answers a clarifying question: the one whose cues the question covers best."""

from __future__ import annotations

from interviewer.matching.text import content_stems
from interviewer.rubric.models import Fact

MIN_FACT_MATCH = 0.5  # share of a cue's content words the question must use
# The words of asking itself ("how many", "I'd like to know"): they say nothing about which fact.
ASKING_WORDS = frozenset(content_stems(
    "many much know like tell wonder want need understand i'd i'm we'd we're what's it's what which who how when where why"
))


def best_fact(facts: list[Fact], question: str) -> Fact | None:
    """The fact whose cues best cover `question`; None when nothing fits well enough."""
    asked = set(content_stems(question)) - ASKING_WORDS
    best: Fact | None = None
    best_key = (0.0, 0)
    for fact in facts:
        for cue in fact.cues:
            wanted = set(content_stems(cue)) - ASKING_WORDS
            shared = len(wanted & asked)
            key = (shared / len(wanted) if wanted else 0.0, shared)
            # One shared word of a longer cue ("team" of "review team") is a coincidence, not a match.
            enough = shared >= min(2, len(wanted))
            if enough and key[0] >= MIN_FACT_MATCH and key > best_key:  # strict: earlier facts win ties
                best, best_key = fact, key
    return best
