"""Whether a sentence uses the ideas it names or only names them.

A sentence reasons when it says why, what for, at what cost, compares, or ties an idea to a
figure. An answer that names many of the rubric's ideas and reasons in none of its sentences is a
catalogue of terms, however fluent ("A, B, C and D are key considerations").
"""

from __future__ import annotations

import re

_REASONING = re.compile(
    r"\b(because|since|so that|so|which means|that means|means|otherwise|rather than|instead|unless|if|but|"
    r"though|although|trade-?offs?|at the cost of|to avoid|in order to|that way|whereas|given|therefore|"
    r"depends on|compared? (with|to|against)|versus|vs|more than|less than|better than|worse than|until|"
    r"for example|for instance|e\.g)\b",
    re.IGNORECASE,
)
# A quantity, not a digit inside a name ("F1", "L2", "GPT-4").
_FIGURE = re.compile(r"(?<![a-z0-9-])\d[\d.,:]*(?![a-z])", re.IGNORECASE)
MIN_SEPARATORS = 2  # three items: "A, B and C"


def figures(text: str) -> set[str]:
    """The digit runs of the quantities in a text: "0.5" gives 0 and 5, as its transcript would."""
    return {run for figure in _FIGURE.findall(text) for run in re.findall(r"\d+", figure)}


def reasons(sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """True when the sentence says why, what for, at what cost, or ties an idea to a figure of its
    own; repeating a figure of the question ("an AUC of 0.5") is not one."""
    return bool(_REASONING.search(sentence)) or bool(figures(sentence) - given)


def enumerates(sentence: str) -> bool:
    """Three or more items strung together: "A, B and C" (the "and"s survive lost punctuation)."""
    lowered = f" {sentence.lower()} "
    return sentence.count(",") + lowered.count(" and ") + lowered.count(" or ") >= MIN_SEPARATORS
