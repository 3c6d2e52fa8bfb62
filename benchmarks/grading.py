"""Grader agreement with an expert on a labelled answer file, and offline grading time.

Usage: python benchmarks/grading.py [-v] [ANSWERS.yaml ...]   (default: both development sets in ../shared/eval)
Prints, per set, Spearman (score vs expert level), quadratic-weighted kappa (band vs level), exact
band agreement and the confusion table, how many adversarial answers land in no-hire, how far a
score moves when the transcript loses its punctuation, and the grading time per answer.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from interviewer.grading.answers import load_answers
from interviewer.grading.embeddings import default_embedder
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.scorecard import BANDS
from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank

DEFAULT_ANSWERS = DEFAULT_RUBRICS_DIR.parents[1] / "shared" / "eval" / "dev_answers.yaml"


def spearman(a: list[float], b: list[float]) -> float:
    ranks = [np.argsort(np.argsort(x, kind="stable"), kind="stable").astype(float) for x in (a, b)]
    # average ranks for ties
    for values, rank in zip((a, b), ranks):
        for value in set(values):
            where = [i for i, v in enumerate(values) if v == value]
            rank[where] = rank[where].mean()
    return float(np.corrcoef(ranks[0], ranks[1])[0, 1])


def quadratic_kappa(a: list[int], b: list[int], categories: int = 4) -> float:
    observed = np.zeros((categories, categories))
    for x, y in zip(a, b):
        observed[x, y] += 1
    expected = np.outer(observed.sum(1), observed.sum(0)) / len(a)
    weights = np.array([[(i - j) ** 2 for j in range(categories)] for i in range(categories)]) / (categories - 1) ** 2
    return float(1 - (weights * observed).sum() / (weights * expected).sum())


DEV_SETS = [DEFAULT_ANSWERS, DEFAULT_ANSWERS.with_name("dev_answers_v2.yaml")]
_PUNCTUATION = re.compile(r"[.,;:!?\n]+")


def unpunctuated(text: str) -> str:
    """A transcript as a speech recogniser without punctuation gives it: one run of words."""
    return re.sub(r"\s+", " ", _PUNCTUATION.sub(" ", text)).strip()


def evaluate(path: Path, grader: OfflineGrader, bank: RubricBank, verbose: bool) -> None:
    answers = load_answers(path)
    scores, bands, levels, timings, adversarial, drift, spoken_adversarial = [], [], [], [], [], [], []
    for answer in answers:
        rubric = bank.get(answer.question)
        started = time.perf_counter()
        card = grader.grade(rubric, answer.text)
        timings.append(1000 * (time.perf_counter() - started))
        spoken = grader.grade(rubric, unpunctuated(answer.text))
        if answer.kind == "plain":
            drift.append(abs(spoken.score - card.score))
        else:
            spoken_adversarial.append(spoken.band == "no-hire")
        scores.append(card.score)
        bands.append(BANDS.index(card.band))
        levels.append(answer.level - 1)
        if answer.kind != "plain":
            adversarial.append((answer, card))
        if verbose:
            print(f"{answer.id:14} {answer.kind:9} expert {answer.level}  score {card.score:5.1f}  {card.band}")

    print(f"\n== {path.name}: {len(answers)} answers")
    print(f"spearman(score, expert level): {spearman(scores, levels):.3f}   (target >= 0.85)")
    print(f"quadratic kappa(band, expert level): {quadratic_kappa(bands, levels):.3f}   (target >= 0.80)")
    print(f"exact band agreement: {sum(b == l for b, l in zip(bands, levels))}/{len(levels)}")
    print("confusion (rows: expert level 1-4, columns: " + ", ".join(BANDS) + ")")
    for level in range(4):
        row = [sum(1 for b, l in zip(bands, levels) if l == level and b == band) for band in range(4)]
        print(f"  level {level + 1}: " + " ".join(f"{n:3d}" for n in row))
    for kind in ("stuffed", "injection", "offtopic"):
        of_kind = [card for answer, card in adversarial if answer.kind == kind]
        print(f"{kind} answers in no-hire: {sum(c.band == 'no-hire' for c in of_kind)}/{len(of_kind)}")
    in_no_hire = sum(card.band == "no-hire" for _, card in adversarial)
    print(f"adversarial answers in no-hire: {in_no_hire}/{len(adversarial)}   (target: all)")
    print(f"score change without punctuation: median {statistics.median(drift):.1f}, max {max(drift):.1f} points"
          " over plain answers   (target: at most 5)")
    print(f"adversarial answers in no-hire without punctuation: {sum(spoken_adversarial)}/{len(spoken_adversarial)}")
    p95 = float(np.percentile(timings, 95))
    print(f"grading time per answer: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms   (target p95 < 300 ms)")


def main() -> None:
    verbose = "-v" in sys.argv[1:]
    paths = [Path(a) for a in sys.argv[1:] if a != "-v"] or [p for p in DEV_SETS if p.exists()]
    bank = RubricBank()
    started = time.perf_counter()
    grader = OfflineGrader(default_embedder())
    grader.warm_up(bank.rubrics.values())
    print(f"model load and warm-up: {1000 * (time.perf_counter() - started):.0f} ms")
    for path in paths:
        evaluate(path, grader, bank, verbose)


if __name__ == "__main__":
    main()
