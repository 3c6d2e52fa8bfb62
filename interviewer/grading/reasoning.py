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
_FIGURE = re.compile(r"\d")
MIN_SEPARATORS = 2  # three items: "A, B and C"


def reasons(sentence: str) -> bool:
    return bool(_REASONING.search(sentence) or _FIGURE.search(sentence))


def enumerates(sentence: str) -> bool:
    """Three or more items strung together: "A, B and C" (the "and"s survive lost punctuation)."""
    lowered = f" {sentence.lower()} "
    return sentence.count(",") + lowered.count(" and ") + lowered.count(" or ") >= MIN_SEPARATORS
