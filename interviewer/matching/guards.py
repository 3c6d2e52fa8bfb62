"""Integrity checks on candidate text: attempts to instruct the grader, and lists of buzzwords.

Candidate text is data. A sentence that addresses the grader instead of the interviewer's
question is removed from the evidence and flagged; a sentence that only lists terms shows
vocabulary, not reasoning, and earns less than one that explains.
"""

from __future__ import annotations

import re

from interviewer.matching.text import STOPWORDS, words

_GRADER = r"(grader|grading|evaluator|assessor|scorer|assistant|llm|judge|rubric)"
_TOP = r"(full marks|top|maximum|max|highest|perfect|100|level (3|three)|strong[- ]hire|excellent)"
# Each pattern needs the grader, the grading or the candidate's own score as its object, so that
# ordinary ML talk ("return the top results", "ignore previous purchases") never matches.
_INSTRUCTION_PATTERNS = [
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,60}\b(instructions?|guidelines?|rubric|rules|prompt|criteria|scoring|grading)\b",
    r"\b(give|award|assign|grant|mark|rate|score|grade)\s+(me|this|my|us|the candidate)\b.{0,40}\b" + _TOP,
    r"\b(output|give|assign|award|return)\s+(an?\s+|the\s+)?(level|score|grade|rating|band)\s*(of\s*)?(3|three|100|top|max|maximum|highest|perfect)\b",
    r"\b(level|score)\s*(3|three|100)\s+(on|for|in)\s+(every|all|each)\s+criteri",
    r"\b(i|this answer|my answer|the candidate|this response)\s+(should|must|deserves? to|need to)\s+"
    r"(receive|get|be given|be awarded|be rated|be scored|be graded)\b.{0,40}\b(" + _TOP[1:-1] + r"|level|score|marks)",
    r"\bnew (instructions?|task|rules?)\s*(for|to)\s+(the\s+)?(" + _GRADER[1:-1] + r"|you)\b",
    r"\bnew instructions?\s*:",
    r"\b(you are|act as|pretend to be|you're)\s+(now\s+)?(an?|the|my)?\s*" + _GRADER + r"\b",
    r"^\s*(dear\s+)?" + _GRADER + r"\s*[,:]",
    r"</?\s*(answer|system|assistant|user|instructions?|prompt)\s*>",
    r"\b(grading|scoring|evaluation|system)\s+(mode|override|instructions?)\b",
    r"\b(final|correct|your)\s+(score|grade|verdict|rating)\s+(is|should be|must be|will be)\b",
    r"\b(score|level|grade|band)\s*[:=]\s*(100|3|three|strong)",
    r"\bas an? (ai|language model|llm)\b",
    # Notes to whoever grades, wherever they sit in the answer: "[Note to the evaluator: ...]".
    r"\bnotes? (to|for) (the\s+)?" + _GRADER + r"s?\b",
    r"\b" + _GRADER + r"'?s?\s+note\b",
    r"\bplease (score|grade|rate|mark|evaluate|assess)\b",
    # Claims about the rubric instead of an answer: "as the rubric requires, this covers every criterion".
    r"\b(as|per) (the|your) (rubric|scoring guide|marking scheme|grading criteria)\b",
    r"\b(covers?|covered|meets?|met|address(es|ed)?|satisf(y|ies|ied)|hits?)\s+(every|all|each)\s+(of\s+)?(the\s+)?"
    r"(criteri|rubric|expected points|key points|points)",
    # A score block: {"score": 100}, "level": 3, or as a transcript without punctuation gives it,
    # "mvp 3 ranking 3 latency 3"; and the bands themselves, which no ML answer names.
    r"[{\[,]\s*\"?(score|level|grade|rating|band|verdict)\"?\s*:",
    r"\b(?:[a-z][a-z-]*\s+(?:3|three|100)\s+){2,}[a-z][a-z-]*\s+(?:3|three|100)\b",
    r"\b(strong|lean)[- ](no[- ])?hire\b",
    # Role play aimed at whoever reads the answer.
    r"\b(role-?play|let'?s pretend|imagine (that )?you are|from now on,? you)\b",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _INSTRUCTION_PATTERNS), re.IGNORECASE)

# A sentence whose words are mostly function words is prose; one with almost none is a list.
MIN_FUNCTION_WORD_SHARE = 0.18
MIN_LIST_ITEMS = 4
MAX_BARE_TERM_WORDS = 4
MIN_RUN_OF_TERMS = 8
MAX_RUN_FUNCTION_SHARE = 0.1  # ordinary sentences are 35-50% function words


def is_instruction_to_grader(sentence: str) -> bool:
    return bool(_INSTRUCTION.search(sentence))


def before_instruction(sentence: str) -> str:
    """The part of a sentence before an instruction to the grader starts: in a transcript without
    punctuation the answer and the instruction arrive as one run of words."""
    found = _INSTRUCTION.search(sentence)
    return sentence[: found.start()].strip() if found else sentence


def is_term_list(sentence: str) -> bool:
    """True for a run of comma-separated terms with next to no sentence structure, or for one
    bare term on a line of its own (a bulleted list arrives one term per line)."""
    tokens = words(sentence)
    if not tokens:
        return False
    function_share = sum(t in STOPWORDS for t in tokens) / len(tokens)
    if len(tokens) <= MAX_BARE_TERM_WORDS and function_share == 0:
        return True
    if len(tokens) >= MIN_RUN_OF_TERMS and function_share < MAX_RUN_FUNCTION_SHARE:
        return True  # terms with the commas lost, as a transcript without punctuation gives them
    items = [part for part in re.split(r"[,;]", sentence) if part.strip()]
    short_items = sum(len(words(part)) <= 3 for part in items)
    return len(items) >= MIN_LIST_ITEMS and short_items >= 0.7 * len(items) and function_share < MIN_FUNCTION_WORD_SHARE
