"""Integrity checks on candidate text: attempts to instruct the grader, and lists of buzzwords.

Candidate text is data. A sentence that addresses the grader instead of the interviewer's
question is removed from the evidence and flagged; a sentence that only lists terms shows
vocabulary, not reasoning, and earns less than one that explains.
"""

from __future__ import annotations

import re

from interviewer.text import STOPWORDS, words

_GRADER = r"(grader|grading|evaluator|assessor|scorer|scoring|assistant|ai|model|llm|system|rubric|judge)"
_INSTRUCTION_PATTERNS = [
    r"\b(ignore|disregard|forget|override|bypass|drop)\b.{0,60}\b(instruction|guideline|rubric|rule|prompt|criteri|scoring|grading|previous|above)",
    r"\b(give|award|assign|grant|output|return|mark|rate|score|grade)\b.{0,40}\b(full marks|top|maximum|max|highest|perfect|100|level 3|level three|strong[- ]hire|every criterion|all criteria)",
    r"\b(should|must|will|deserve to|need to)\s+(receive|get|be given|be awarded|be rated|be scored|be graded)\b",
    r"\bnew (instruction|instructions|task|rule|rules)\b",
    r"\b(you are|act as|pretend to be|you're)\s+(now\s+)?(an?|the|my)?\s*" + _GRADER + r"\b",
    r"^\s*(dear\s+)?" + _GRADER + r"\s*[,:]",
    r"</?\s*(answer|system|assistant|user|instructions?|prompt)\s*>",
    r"\b(system|developer)\s+(prompt|message)\b",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS), re.IGNORECASE)

# A sentence whose words are mostly function words is prose; one with almost none is a list.
MIN_FUNCTION_WORD_SHARE = 0.18
MIN_LIST_ITEMS = 4


def is_instruction_to_grader(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def is_term_list(sentence: str) -> bool:
    """True for a run of comma-separated terms with next to no sentence structure."""
    tokens = words(sentence)
    if not tokens:
        return False
    items = [part for part in re.split(r"[,;]", sentence) if part.strip()]
    function_share = sum(t in STOPWORDS for t in tokens) / len(tokens)
    short_items = sum(len(words(part)) <= 3 for part in items)
    return len(items) >= MIN_LIST_ITEMS and short_items >= 0.7 * len(items) and function_share < MIN_FUNCTION_WORD_SHARE
