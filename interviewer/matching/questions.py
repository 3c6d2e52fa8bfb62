"""Which sentences of a turn ask something, with or without a question mark."""

from __future__ import annotations

import re

from interviewer.matching.text import sentences, words

_QUESTION_START = re.compile(
    r"^(what|how|which|who|when|where|why|is|are|do|does|did|can|could|should|would|will|may|might|have|has)\b",
    re.IGNORECASE,
)


def question_sentences(text: str) -> list[str]:
    """Sentences that ask something, whether or not they end with a question mark."""
    asked = [s for s in sentences(text) if s.endswith("?") or (_QUESTION_START.match(s) and len(words(s)) <= 20)]
    return [s for s in asked if len(words(s)) <= 40]
