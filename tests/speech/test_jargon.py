"""ML terms put back after transcription, and everyday words left alone."""

from __future__ import annotations

import re

import pytest
import yaml

from interviewer.rubric import DEFAULT_RUBRICS_DIR
from interviewer.speech.jargon import Vocabulary, correct, terms_in

ADS = Vocabulary.of((DEFAULT_RUBRICS_DIR / "ad-bidding.yaml").read_text(encoding="utf-8"))
NLP = Vocabulary.of("Fine-tune BERT on the support tickets; a BERT model reads each ticket's text.")


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("We trained like GBM on the rides.", "We trained LightGBM on the rides."),
        ("Then X-She boost on the same features.", "Then XGBoost on the same features."),
        ("I'd look at the rock auc on a later month.", "I'd look at the ROC AUC on a later month."),
        ("Embeddings from word to vec.", "Embeddings from word2vec."),
        ("Use the BM 25 score as a feature.", "Use the BM25 score as a feature."),
    ],
)
def test_common_ml_terms_are_put_back(heard, meant):
    assert correct(heard) == meant


def test_the_question_s_own_terms_are_put_back_more_readily():
    heard = "We predict TCTR and multiply by the bit to get the expected value."
    assert correct(heard) == "We predict TCTR and multiply by the bit to get the expected value."
    assert correct(heard, ADS) == "We predict pCTR and multiply by the bid to get the expected value."


def test_an_everyday_word_becomes_a_term_only_beside_words_the_question_uses_with_it():
    assert correct("We fine-tuned a bird model on the tickets.", NLP) == "We fine-tuned a BERT model on the tickets."
    assert correct("A bird flew past the window.", NLP) == "A bird flew past the window."
    assert correct("We fine-tuned a bird model on the tickets.") == "We fine-tuned a bird model on the tickets."


@pytest.mark.parametrize(
    "sentence",
    [
        "I'd wait a bit before retraining.",
        "The auction logs are a bit messy, so I'd clean them first.",
        "We could start with a light model and a handful of rules.",
        "Store it in a table and read it back per video.",
        "We had 25 features and 3 models.",
        "The CTR went up and the AUC stayed flat.",
    ],
)
def test_everyday_words_and_right_terms_are_left_alone(sentence):
    assert correct(sentence, ADS) == sentence


def test_no_typed_answer_in_the_bank_is_changed_by_its_own_question_s_vocabulary():
    changed = []
    for path in sorted(DEFAULT_RUBRICS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        vocabulary = Vocabulary.of(text)
        for example in yaml.load(text, Loader=yaml.CSafeLoader).get("examples") or []:
            answer = example["answer"]
            if _words(correct(answer, vocabulary)) != _words(answer):
                changed.append(path.stem)
    assert changed == []


def test_a_question_s_terms_include_its_jargon():
    assert {"pCTR", "bid", "eCPM", "LightGBM"} <= set(terms_in("Rank by pCTR times bid (eCPM); LightGBM first."))


def _words(text: str) -> list[str]:
    """The words, ignoring how a term is written ("auc" and "AUC", "BM 25" and "BM25")."""
    return re.findall(r"[a-z0-9]+", re.sub(r"[\s/-]+", "", text.lower()))


def test_a_term_is_not_heard_across_punctuation_but_letters_said_one_by_one_are_joined():
    cache = Vocabulary.of("Keep the features in Redis; Redis serves them in a millisecond.")
    assert correct("Right, so the features go in a cache.", cache) == "Right, so the features go in a cache."
    assert correct("We train light, G, B, M, and look at the rock, A, U, C.") == "We train LightGBM, and look at the ROC AUC."


def test_an_everyday_word_spelled_like_a_term_is_left_as_said():
    assert correct("That outage was the spark for the whole project.") == "That outage was the spark for the whole project."


def test_a_question_gives_its_terms_once_each_and_no_identifiers_or_everyday_looking_words():
    vocabulary = Vocabulary.of(
        "Report PR AUC and BM25 (bm25), compare GPUs with the GPU budget; 003_24a9708096c645db, item_ID. "
        "Prophet, Spark and log loss."
    )
    assert {"Prophet", "Spark"} <= vocabulary.terms  # still put back after transcription
    assert vocabulary.hints() == ["AUC", "BM25", "GPU", "log loss", "PR AUC"]
