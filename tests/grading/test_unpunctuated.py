"""A transcript without punctuation reads as sentences and scores much as the punctuated one."""

import re
from pathlib import Path

from interviewer.grading.offline import OfflineGrader
from interviewer.matching.guards import is_term_list
from interviewer.matching.text import MAX_RUN_WORDS, content_stems, phrase_in, sentences
from interviewer.rubric.loader import load_rubrics

FRAUD = load_rubrics([Path(__file__).parents[2] / "rubrics"]).rubrics["fraud-detection"]
ANSWER = (
    "I'd frame it as scoring each transaction at authorization time, because the SMS hold only works before the "
    "money moves. Fraud is about one in a thousand, so accuracy is useless and I'd look at precision and recall "
    "at the alert budget. Labels come from chargebacks and customer disputes, which arrive weeks later, so I'd "
    "train only on mature periods. I'd test on a later month rather than a random split, since fraud patterns "
    "drift. For features I'd compare the amount with the customer's own history and count transactions in the "
    "last hour on the card."
)


def unpunctuated(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.,;:!?]", " ", text)).strip().lower()


def test_a_long_run_of_words_is_cut_into_clauses():
    run = unpunctuated(ANSWER)
    parts = sentences(run)
    assert len(run.split()) > MAX_RUN_WORDS
    assert len(parts) >= 4
    assert all(len(p.split()) <= MAX_RUN_WORDS for p in parts)
    assert " ".join(parts) == run  # nothing lost or reordered


def test_a_punctuated_sentence_is_left_whole():
    long_sentence = "First, " + ", ".join(["the model reads the amount and the merchant"] * 6) + "."
    assert sentences(long_sentence) == [long_sentence]


def test_terms_that_lost_their_commas_are_still_a_list():
    assert is_term_list("label maturity chargebacks velocity geographic jump gradient boosting class weights shap")
    assert not is_term_list("i'd train only on mature periods because the labels arrive weeks later")


def test_ideas_developed_over_several_sentences_still_count_without_punctuation():
    grader = OfflineGrader()
    with_marks, without = grader.grade(FRAUD, ANSWER), grader.grade(FRAUD, unpunctuated(ANSWER))
    developed = {c.id for c in with_marks.criteria if c.level == 3}
    assert developed  # the punctuated answer develops at least one criterion fully
    assert developed <= {c.id for c in without.criteria if c.level == 3}
    assert abs(with_marks.score - without.score) <= 5


def test_a_phrase_matches_in_its_own_order_or_side_by_side():
    assert phrase_in("split by time", content_stems("we split the rides by their time"))
    assert phrase_in("split by time", content_stems("a time-based split"))


def test_a_phrase_does_not_match_across_two_thoughts_run_together():
    # "which listings are missing" is not said here: "missing" ends one thought, "listings" is in the next.
    run = content_stems("drop the rows with missing values we have 100 000 listings")
    assert not phrase_in("which listings are missing", run)
    assert phrase_in("which listings are missing", content_stems("check which listings are missing"))
