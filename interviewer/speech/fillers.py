"""Counting filler words in a transcript, by a rule a candidate can check by reading it.

Two kinds of filler:

- Hesitation sounds are always fillers: "um" (umm, uhm), "uh" (uhh), "er" (err), "erm", "ah"
  (ahh) and "hmm" (hm, mm, mmm).
- Discourse markers are fillers only when the transcript sets them off with punctuation:
  "like", "you know", "I mean", "sort of", "kind of", "basically", "actually", "literally"
  count when a comma (or ; ... or a dash) follows them, or when a comma precedes them and the
  sentence ends right after. So "it's, like, slow", "Basically, we..." and "..., you know."
  count; "features like pickup time", "I like it", "a kind of model" and "what I mean is"
  do not. Telling the filler "like" from the verb or preposition needs grammar that this
  deterministic rule does not have; it undercounts rather than flag a sentence that is fine.
  The punctuation comes from the recogniser: Whisper writes these commas reliably.
"""

from __future__ import annotations

import itertools
import re

HESITATIONS: dict[str, re.Pattern[str]] = {
    "um": re.compile(r"u+h?m+"),
    "uh": re.compile(r"u+h+"),
    "er": re.compile(r"e+r+"),
    "erm": re.compile(r"e+r+m+"),
    "ah": re.compile(r"a+h+"),
    "hmm": re.compile(r"h+m+|m{2,}"),
}
DISCOURSE_MARKERS = ("like", "you know", "i mean", "sort of", "kind of", "basically", "actually", "literally")
FILLER_TERMS = (*HESITATIONS, *DISCOURSE_MARKERS)

# Escapes for the typographic apostrophe (U+2019), ellipsis (U+2026) and dashes (U+2014, U+2013).
_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019\-][a-z0-9]+)*")
_SET_OFF_AFTER = re.compile(r"\s*(?:,|;|\.\.\.|\u2026|\u2014|\u2013|\s-\s)")
_SENTENCE_END_AFTER = re.compile(r"\s*(?:[.?!]|$)")
_COMMA_BEFORE = re.compile(r",\s*$")


def words(text: str) -> list[str]:
    """Spoken words, lower case: "don't", "two-tower" and "100" are one word each."""
    return _TOKEN.findall(text.lower())


def count_fillers(text: str) -> dict[str, int]:
    """Filler term -> times it occurs, for the terms that occur, in FILLER_TERMS order."""
    lowered = text.lower()
    tokens = list(_TOKEN.finditer(lowered))
    counts = dict.fromkeys(FILLER_TERMS, 0)
    phrases = [tuple(marker.split()) for marker in DISCOURSE_MARKERS]
    for index, token in enumerate(tokens):
        hesitation = _hesitation(token.group())
        if hesitation:
            counts[hesitation] += 1
            continue
        for marker, phrase in zip(DISCOURSE_MARKERS, phrases, strict=True):
            span = _match_phrase(lowered, tokens, index, phrase)
            if span is not None and _set_off(lowered, *span):
                counts[marker] += 1
                break
    return {term: n for term, n in counts.items() if n}


def _hesitation(token: str) -> str | None:
    for term, pattern in HESITATIONS.items():
        if pattern.fullmatch(token):
            return term
    return None


def _match_phrase(
    text: str, tokens: list[re.Match[str]], index: int, phrase: tuple[str, ...]
) -> tuple[int, int] | None:
    """(start, end) in `text` when the tokens from `index` spell `phrase` with only spaces between."""
    if index + len(phrase) > len(tokens):
        return None
    run = tokens[index : index + len(phrase)]
    if [t.group() for t in run] != list(phrase):
        return None
    for left, right in itertools.pairwise(run):
        if text[left.end() : right.start()].strip():
            return None
    return run[0].start(), run[-1].end()


def _set_off(text: str, start: int, end: int) -> bool:
    after = text[end:]
    if _SET_OFF_AFTER.match(after):
        return True
    return bool(_COMMA_BEFORE.search(text[:start]) and _SENTENCE_END_AFTER.match(after))
