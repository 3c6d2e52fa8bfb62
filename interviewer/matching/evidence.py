"""Lexical evidence: which rubric phrases a candidate's sentences mention.

Shared by the live coverage of the interview engine and by the offline grader, so the
interviewer probes exactly what the grader would not credit.
"""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.matching.guards import is_term_list
from interviewer.rubric.models import Criterion
from interviewer.matching.text import all_stems, content_stems, find_exact, phrase_in, phrase_stems


@dataclass(frozen=True)
class Sentence:
    text: str
    content: list[str]  # stems of content words, for forgiving concept matching
    every: list[str]  # stems of every word, for phrases that must match as written
    is_list: bool

    @classmethod
    def of(cls, text: str) -> Sentence:
        return cls(text, content_stems(text), all_stems(text), is_term_list(text))


def mentions(phrase: str, sentence: Sentence) -> bool:
    # Without its stopwords 'watched for' would shrink to 'watch'; such phrases match as written.
    content, every = phrase_stems(phrase)
    if len(content) < 2 and len(every) > 1:
        return find_exact(phrase, sentence.every) >= 0
    return phrase_in(phrase, sentence.content)


@dataclass(frozen=True)
class ConceptHit:
    concept: str
    sentence: str
    phrase: str  # the rubric phrase the sentence used


def concept_hits(criterion: Criterion, sentences: list[Sentence]) -> list[ConceptHit]:
    """The first sentence that mentions each concept of `criterion`, for the concepts mentioned."""
    hits = []
    for concept in criterion.concepts:
        for sentence in sentences:
            phrase = next((p for p in concept.phrases if mentions(p, sentence)), None)
            if phrase is not None:
                hits.append(ConceptHit(concept.name, sentence.text, phrase))
                break
    return hits
