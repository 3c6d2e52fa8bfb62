"""The filler rule: hesitation sounds always count, discourse markers only when set off by punctuation."""

from __future__ import annotations

import pytest

from interviewer.speech.fillers import FILLER_TERMS, count_fillers, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Um, I would, uh, start with a baseline.", {"um": 1, "uh": 1}),
        ("Umm... uhh, erm, er, ahh, hmm, mm.", {"um": 1, "uh": 1, "erm": 1, "er": 1, "ah": 1, "hmm": 2}),
        ("Uhm, so", {"um": 1}),
        # "like" as a filler is set off by commas; as a verb or preposition it is not.
        ("It's, like, really slow.", {"like": 1}),
        ("Like, the model would overfit.", {"like": 1}),
        ("I'd use features like pickup time and traffic.", {}),
        ("I like gradient boosted trees.", {}),
        ("It was like... fine.", {"like": 1}),
        # Phrases: set off by a comma after them, or by a comma before and the sentence end after.
        ("So basically, I mean, the latency budget is tight.", {"i mean": 1, "basically": 1}),
        ("The budget is tight, you know.", {"you know": 1}),
        ("Do you know the base rate?", {}),
        ("That's what I mean by drift.", {}),
        ("It's a kind of model that ranks.", {}),
        ("It's, sort of, a ranking problem.", {"sort of": 1}),
        ("Actually, no. It actually matters.", {"actually": 1}),
        ("It's literally, literally the same.", {"literally": 1}),
        # Words that merely contain a filler are not fillers.
        ("Umbrella, mum, summer, error, hummus.", {}),
        ("", {}),
    ],
)
def test_count_fillers(text: str, expected: dict[str, int]) -> None:
    assert count_fillers(text) == expected


def test_counts_are_case_insensitive_and_in_a_stable_order() -> None:
    counts = count_fillers("YOU KNOW, it's, LIKE, fine. Um, uh, um.")
    assert counts == {"um": 2, "uh": 1, "like": 1, "you know": 1}
    assert list(counts) == [t for t in FILLER_TERMS if t in counts]


def test_words_keep_contractions_hyphens_and_numbers_whole() -> None:
    assert words("Don't use a two-tower model for 100 users, um.") == [
        "don't",
        "use",
        "a",
        "two-tower",
        "model",
        "for",
        "100",
        "users",
        "um",
    ]
