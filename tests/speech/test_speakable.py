"""Text made speakable: Markdown goes, and ML shorthand is written the way an engineer says it, so
piper's espeak does not read "A/B" as "A slash B" or "AUC" as "awk"."""

from __future__ import annotations

import re

import pytest

from interviewer.speech.numbers import (
    LARGEST,
    fraction_words,
    integer_words,
    number_words,
    ordinal_words,
    year_words,
)
from interviewer.speech.speakable import speakable


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (20, "twenty"),
        (95, "ninety-five"),
        (100, "one hundred"),
        (105, "one hundred five"),
        (999, "nine hundred ninety-nine"),
        (1000, "one thousand"),
        (1200, "one thousand two hundred"),
        (10_000, "ten thousand"),
        (100_001, "one hundred thousand one"),
        (1_000_000, "one million"),
        (2_500_000_000, "two billion five hundred million"),
        (999_999_999_999, "nine hundred ninety-nine billion nine hundred ninety-nine million "
                          "nine hundred ninety-nine thousand nine hundred ninety-nine"),
        (-5, "minus five"),
    ],
)
def test_integer_words(number: int, expected: str) -> None:
    assert integer_words(number) == expected


def test_figures_past_the_largest_are_read_digit_by_digit() -> None:
    assert integer_words(LARGEST + 1) == " ".join(["one"] + ["zero"] * 15)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("0.82", "zero point eight two"),
        ("1.5", "one point five"),
        ("10,000", "ten thousand"),
        ("1,234.05", "one thousand two hundred thirty-four point zero five"),
        ("007", "zero zero seven"),
    ],
)
def test_number_words(written: str, expected: str) -> None:
    assert number_words(written) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "first"), (2, "second"), (3, "third"), (5, "fifth"), (8, "eighth"), (9, "ninth"), (12, "twelfth"),
     (20, "twentieth"), (21, "twenty-first"), (50, "fiftieth"), (100, "one hundredth"), (112, "one hundred twelfth")],
)
def test_ordinal_words(number: int, expected: str) -> None:
    assert ordinal_words(number) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, "twenty twenty-four"), (1999, "nineteen ninety-nine"), (2000, "two thousand"),
     (2005, "two thousand five"), (1905, "nineteen oh-five"), (1900, "nineteen hundred"), (2010, "twenty ten")],
)
def test_year_words(year: int, expected: str) -> None:
    assert year_words(year) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [((1, 2), "one half"), ((3, 4), "three quarters"), ((2, 3), "two thirds"), ((1, 1000), "one in a thousand"),
     ((1, 20), "one in twenty"), ((7, 10), "seven out of ten")],
)
def test_fraction_words(fraction: tuple[int, int], expected: str) -> None:
    assert fraction_words(*fraction) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Letters around a slash, spelled; espeak reads an "A" after the first letter as the article.
        ("We ran an A/B test.", "We ran an A-B test."),
        ("Start with an A/A test.", "Start with an A-eigh test."),
        ("Check I/O.", "Check I-O."),
        # Percentiles.
        ("p95 latency", "p ninety-five latency."),
        ("P99 is high", "P-ninety-nine is high."),
        ("p99.9 matters", "p ninety-nine point nine matters."),
        # Units, attached or spaced; singular only for exactly one.
        ("100 ms", "one hundred milliseconds."),
        ("100ms", "one hundred milliseconds."),
        ("1 ms", "one millisecond."),
        ("1.5 s", "one point five seconds."),
        ("200 µs", "two hundred microseconds."),
        ("10 GB", "ten gigabytes."),
        ("2TB", "two terabytes."),
        ("5 min", "five minutes."),
        ("3 h", "three hours."),
        ("3 hrs", "three hours."),
        ("a 2pp lift", "a two percentage points lift."),
        ("the 1990s", "the nineteen nineties."),
        # Scales written onto a number, and grouped digits.
        ("10k", "ten thousand."),
        ("1.5k", "one point five thousand."),
        ("1M users", "one million users."),
        ("2B parameters", "two billion parameters."),
        ("10,000 rows", "ten thousand rows."),
        # Percent, decimals, money.
        ("3%", "three percent."),
        ("0.82", "zero point eight two."),
        ("$5", "five dollars."),
        ("$1", "one dollar."),
        ("€10", "ten euros."),
        ("£3", "three pounds."),
        ("$1.50", "one dollar and fifty cents."),
        ("$0.05", "five cents."),
        ("$5M", "five million dollars."),
        ("$10k", "ten thousand dollars."),
        # Multipliers, approximations, ranges, signs.
        ("2x faster", "two times faster."),
        ("1.5x", "one point five times."),
        ("~200", "about two hundred."),
        ("~ 200 ms", "about two hundred milliseconds."),
        ("3-5 days", "three to five days."),
        ("5–10ms", "five to ten milliseconds."),
        ("10-20%", "ten to twenty percent."),
        ("a -5% drop", "a minus five percent drop."),
        ("+3% lift", "plus three percent lift."),
        ("p<0.05", "p less than zero point zero five."),
        ("x >= 3", "x at least three."),
        ("from 2019-2024", "from twenty nineteen to twenty twenty-four."),
        ("#1 priority", "number one priority."),
        # Slashed numbers: fractions when the top is smaller, else a split said as its numbers.
        ("1/1000", "one in a thousand."),
        ("1/3", "one third."),
        ("24/7", "twenty-four seven."),
        ("an 80/10/10 split", "an eighty ten ten split."),
        # Abbreviations.
        ("e.g. churn", "for example churn."),
        ("E.g. churn", "For example churn."),
        ("i.e. churn", "that is churn."),
        ("recall vs. precision", "recall versus precision."),
        ("recall vs precision", "recall versus precision."),
        ("I wrote it in VS Code.", "I wrote it in V-S Code."),
        ("lists, sets, etc. Then maps.", "lists, sets, and so on. Then maps."),
        ("lists, sets, etc.", "lists, sets, and so on."),
        ("lists, etc. and maps", "lists, and so on and maps."),
        # Spelled acronyms.
        ("AUC", "A-U-C."),
        ("NDCG", "N-D-C-G."),
        ("SQL", "S-Q-L."),
        ("GPU", "G-P-U."),
        ("CTR", "C-T-R."),
        ("API", "A-P-I."),
        ("ETA", "E-T-eigh."),
        ("QPS and RPS", "Q-P-S and R-P-S."),
        ("MAE and RMSE", "M-eigh-E and R-M-S-E."),
        ("KPI", "K-P-I."),
        ("GPUs", "G-P-U's."),
        # Acronyms said as words.
        ("ROC AUC", "rock A-U-C."),
        ("BERT-based", "bert-based."),
        ("SHAP, LIME, SMOTE", "shap, lime, smote."),
        ("CUPED", "cupid."),
        ("LoRA and RAG", "lora and rag."),
        ("ONNX", "onyx."),
        ("FAISS", "face."),
        # Mixed forms.
        ("pCTR", "p C-T-R."),
        ("XGBoost", "X-G Boost."),
        ("LightGBM", "Light G-B-M."),
        ("MLOps", "M-L Ops."),
        ("F1 score", "F-one score."),
        ("k-NN", "k-N-N."),
        ("t-SNE", "tee-snee."),
        ("TF-IDF", "T-F-I-D-F."),
        ("BM25", "B-M twenty-five."),
        ("word2vec", "word to vec."),
        ("Q3", "Q-three."),
        ("A100", "A-one hundred."),
        ("GPT-4", "G-P-T-four."),
        # Ordinals.
        ("1st", "first."),
        ("2nd", "second."),
        ("3rd", "third."),
        ("the 50th percentile", "the fiftieth percentile."),
        # Years, and four digits that are a quantity.
        ("In 2024 we shipped.", "In twenty twenty-four we shipped."),
        ("since 1999", "since nineteen ninety-nine."),
        ("2024 ms", "two thousand twenty-four milliseconds."),
        ("2024%", "two thousand twenty-four percent."),
        ("5000 rows", "five thousand rows."),
        # Standalone units.
        ("latency in ms", "latency in milliseconds."),
        ("storage in GB and TB", "storage in gigabytes and terabytes."),
        # The full example.
        (
            "We ran an A/B test and p95 latency was 100 ms at 10k QPS, AUC 0.82.",
            "We ran an A-B test and p ninety-five latency was one hundred milliseconds at ten thousand Q-P-S, "
            "A-U-C zero point eight two.",
        ),
    ],
)
def test_ml_shorthand_is_written_as_said(text: str, expected: str) -> None:
    assert speakable(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd use a model.",
        "Start with a simple baseline, then add features.",
        "A model is only as good as its labels.",
        "Plan A is fine.",
        "Do NOT leak the labels.",
        "A p-value tells you little about effect size.",
        "Use a time-based split!",
        "Is the data 3D?",
        "What would you change?",
        "It was x-axis against y-axis.",
        "Where is the 10m mark?",
    ],
)
def test_ordinary_sentences_are_unchanged(text: str) -> None:
    assert speakable(text) == text


def test_a_number_ending_a_sentence_keeps_the_full_stop() -> None:
    assert speakable("The score was 10. Then it fell to 0.5.") == "The score was ten. Then it fell to zero point five."


def test_markdown_is_still_stripped_before_the_words_are_written_out() -> None:
    text = "## Metrics\n**AUC** of `0.82` at [p95](https://example.com) 100ms\n- e.g. NDCG@10\n- 3-5 days"
    assert speakable(text) == (
        "Metrics. A-U-C of zero point eight two at p ninety-five one hundred milliseconds. "
        "for example N-D-C-G@ten. three to five days."
    )


# --- the plain form, for a neural voice -------------------------------------------------------

# What only espeak needs: hyphen-joined letters ("A-U-C", "F-one"), its "eigh" for an A, and respellings.
_ESPEAK_SPELLING = re.compile(r"(?<![\w-])[A-Z](?:-(?:[A-Z]|eigh|[a-z]+))+(?!\w)|\beigh\b")
_RESPELLINGS = ("rock", "cupid", "onyx", "face", "jason", "yamel", "you-map", "tee-snee", "row-as", "Q-lora", "M-O-E")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ROC AUC was 0.82 and NDCG@10 rose.", "ROC AUC was zero point eight two and NDCG@ten rose."),
        ("SHAP, LIME and SMOTE.", "SHAP, LIME and SMOTE."),
        ("We used CUPED on the A/B test.", "We used CUPED on the A B test."),
        ("MAE and RMSE on GPUs.", "MAE and RMSE on GPUs."),
        ("Index with FAISS, export to ONNX, log JSON.", "Index with FAISS, export to ONNX, log JSON."),
        ("XGBoost, LightGBM and MLOps.", "XGBoost, LightGBM and MLOps."),
        ("Fine-tune BERT with LoRA or QLoRA for RAG.", "Fine-tune BERT with LoRA or QLoRA for RAG."),
        ("Plot t-SNE and UMAP of the MoE.", "Plot t-SNE and UMAP of the MoE."),
        ("k-NN over TF-IDF and pCTR.", "k-NN over TF-IDF and pCTR."),
        ("The F1 score on an A100.", "The F one score on an A one hundred."),
        ("Use GPT-4 in VS Code, ETA Q3.", "Use GPT-four in VS Code, ETA Q three."),
        ("Do NOT leak the labels.", "Do NOT leak the labels."),
    ],
)
def test_the_plain_form_leaves_acronyms_as_written(text: str, expected: str) -> None:
    plain = speakable(text, for_espeak=False)
    assert plain == expected
    assert not _ESPEAK_SPELLING.search(plain)
    assert not any(re.search(rf"\b{re.escape(word)}\b", plain) for word in _RESPELLINGS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We ran an A/B test.", "We ran an A B test."),
        ("p95 latency", "p ninety-five latency."),
        ("100 ms", "one hundred milliseconds."),
        ("100ms", "one hundred milliseconds."),
        ("latency in ms", "latency in milliseconds."),
        ("10k", "ten thousand."),
        ("3%", "three percent."),
        ("$5", "five dollars."),
        ("$1.50", "one dollar and fifty cents."),
        ("the 50th percentile", "the fiftieth percentile."),
        ("i.e. churn", "that is churn."),
        ("e.g. churn", "for example churn."),
        ("recall vs. precision", "recall versus precision."),
        ("24/7", "twenty-four seven."),
        ("1/1000", "one in a thousand."),
        ("2x faster", "two times faster."),
        ("~200", "about two hundred."),
        ("3-5 days", "three to five days."),
        ("p<0.05", "p less than zero point zero five."),
        ("In 2024 we shipped.", "In twenty twenty-four we shipped."),
        ("word2vec", "word to vec."),
    ],
)
def test_the_plain_form_still_writes_out_the_shorthand(text: str, expected: str) -> None:
    assert speakable(text, for_espeak=False) == expected


def test_the_plain_form_strips_markdown_too() -> None:
    text = "## Metrics\n**AUC** of `0.82` at [p95](https://example.com) 100ms\n- e.g. NDCG@10\n- 3-5 days"
    assert speakable(text, for_espeak=False) == (
        "Metrics. AUC of zero point eight two at p ninety-five one hundred milliseconds. "
        "for example NDCG@ten. three to five days."
    )


def test_espeak_is_the_default_target() -> None:
    text = "We ran an A/B test and p95 latency was 100 ms at 10k QPS, AUC 0.82, F1 up, SHAP and CUPED."
    assert speakable(text) == speakable(text, for_espeak=True) == (
        "We ran an A-B test and p ninety-five latency was one hundred milliseconds at ten thousand Q-P-S, "
        "A-U-C zero point eight two, F-one up, shap and cupid."
    )
    assert _ESPEAK_SPELLING.search(speakable(text))  # the check above would catch them
