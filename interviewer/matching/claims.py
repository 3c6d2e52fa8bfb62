"""Red-flag claims: a rubric's wrong claim made in a sentence, unless the sentence rejects it.

Shared by the grader (a claim costs points) and the listener (a claim is challenged at once).
"""

from __future__ import annotations

import re

from interviewer.matching.evidence import Sentence
from interviewer.matching.text import all_stems, find_exact, phrase_stems
from interviewer.rubric.models import RedFlag

# Words near a red-flag phrase that show the candidate rejects the claim rather than makes it.
_REJECTED_BEFORE = frozenset(all_stems(
    "not never no avoid instead rather than without nor don't doesn't didn't wouldn't shouldn't isn't aren't "
    "wasn't weren't can't won't hasn't haven't"
))
_REJECTED_AFTER = frozenset(all_stems("misleading misleads leak leaks wrong bad fails overstates inflates useless meaningless"))
NEGATION_WINDOW = 4


# Where a candidate takes back what they just said: "a random split. Actually, no, a time split".
# Not a bare "No," or "I mean": an answer to a yes/no question, or a filler, takes nothing back.
CORRECTION = re.compile(
    r"^\s*(actually|wait|hmm,? no|correction|scratch that|let me correct|on second thought)\b"
    r"|\b(no,? )?actually\b|\bno,? wait\b|\bscratch that\b|\bon second thought\b|\bor rather\b",
    re.IGNORECASE,
)


def claim_in(flag: RedFlag, sentences: list[Sentence], back: set[str] | None = None) -> str | None:
    """The first sentence that makes the claim of `flag` and does not take it back, or None.
    `back`: what was taken back, when worked out over more text than `sentences`."""
    back = taken_back([s.text for s in sentences]) if back is None else back
    for sentence in sentences:
        claimed = [p for p in flag.phrases if makes_claim(p, sentence.every)]
        if claimed and not _withdrawn(sentence.text, claimed, back):
            return sentence.text
    return None


def taken_back(texts: list[str]) -> set[str]:
    """What the candidate took back: the sentence before a correction, or the words before the
    correction in a sentence that corrects itself ("a random split, no wait, a time split")."""
    back = set()
    for index, text in enumerate(texts):
        match = CORRECTION.search(text)
        if match is None:
            continue
        if match.start() > 0:
            back.add(text[: match.start()])
        elif index > 0:
            back.add(texts[index - 1])
    return back


def _withdrawn(text: str, phrases: list[str], back: set[str]) -> bool:
    """The claim sits in what was taken back: the whole sentence, or its words before the correction."""
    return any(
        part == text or (text.startswith(part) and any(makes_claim(p, Sentence.of(part).every) for p in phrases))
        for part in back
    )


def makes_claim(phrase: str, stems: list[str]) -> bool:
    """True when `phrase` occurs in the sentence and nothing next to it rejects it."""
    start = find_exact(phrase, stems)
    if start < 0:
        return False
    end = start + len(phrase_stems(phrase)[1])
    before, after = stems[max(0, start - NEGATION_WINDOW) : start], stems[end : end + NEGATION_WINDOW]
    return not (_REJECTED_BEFORE.intersection(before) or _REJECTED_AFTER.intersection(after))


def negated(phrase: str, stems: list[str]) -> bool:
    """True when a negation comes just before the first word of `phrase` in the same clause
    ("I wouldn't use a neural net"; not "I'm not sure, but maybe a neural net")."""
    content, every = phrase_stems(phrase)
    first = (content or every)[:1]
    positions = [i for i, s in enumerate(stems) if first and s == first[0]]
    return bool(positions) and all(_REJECTED_BEFORE.intersection(_clause_before(stems, i)) for i in positions)


def _clause_before(stems: list[str], index: int) -> list[str]:
    window = stems[max(0, index - NEGATION_WINDOW) : index]
    cut = max((i for i, s in enumerate(window) if s in _CLAUSE_BREAKS), default=-1)
    return window[cut + 1 :]


_CLAUSE_BREAKS = frozenset(all_stems("but though however although yet"))
