"""Time the numpy MiniLM embedder: load, single vs batched sentences, short phrases, a graded answer.

Run: .venv/bin/python benchmarks/embeddings.py   (grader target: a 10-sentence answer well under 300 ms)
"""
from __future__ import annotations

import os
import statistics
import time

from interviewer.grading.embeddings import SentenceEmbedder

CANDIDATE = [  # typical answer sentences, 15-30 words each
    "I would start by clarifying the business goal, which is to reduce churn among paying subscribers over the next quarter.",
    "The label is whether a subscriber cancels within thirty days of the prediction date, so we avoid leaking future events.",
    "For features I would use tenure, plan type, recent usage trends, support tickets and payment failures from the last months.",
    "I would split the data by time, training on older weeks and validating on the most recent ones to mimic production.",
    "A gradient boosted tree model is a strong baseline here because the data is tabular and has mixed feature types.",
    "Since churners are only about five percent of users, I would look at precision and recall rather than plain accuracy.",
    "The decision threshold should come from the retention team's budget, for example how many customers they can call weekly.",
    "I would calibrate the predicted probabilities so that the expected savings from an intervention can be estimated correctly.",
    "Before launch we could run an A/B test where only the treatment group receives retention offers based on the model.",
    "In production I would monitor feature drift, the score distribution and the realised churn rate among contacted users.",
    "If the model degrades, a scheduled weekly retraining job on a rolling window of recent data is a simple first fix.",
    "Explainability matters for the account managers, so I would show the top contributing features for each high-risk customer.",
    "We must make sure that features such as cancellation page visits are not recorded after the label is determined.",
    "Cold-start users with little history need a fallback, perhaps a simpler model that uses only signup information.",
    "Latency is not critical because scores can be computed in a nightly batch job and written to the CRM system.",
    "Finally I would estimate the return on investment by comparing retained revenue with the cost of the offers made.",
]
PHRASES = [f"{w} {n}".strip() for w in ("time split", "data leakage", "class imbalance", "calibration", "drift monitoring",
                                "A/B test", "baseline model", "feature store", "threshold tuning", "retraining")
           for n in ("", "risk", "check", "plan", "strategy")][:50]


def best_ms(fn, repeats: int = 7) -> float:
    """Median wall time in ms over a few runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    loaded = SentenceEmbedder()  # includes the sha256 check of the 90 MB weights file
    print(f"load (incl. sha256 check): {(time.perf_counter() - start) * 1000:.0f} ms   [cpus: {os.cpu_count()}]")
    model = SentenceEmbedder(model_dir=loaded.model_dir, cache_size=0)  # no cache: measure real compute
    words = [len(s.split()) for s in CANDIDATE]
    print(f"candidate sentences: {len(CANDIDATE)}, {min(words)}-{max(words)} words")
    single = best_ms(lambda: [model.embed([s]) for s in CANDIDATE], repeats=3) / len(CANDIDATE)
    print(f"single, one call per sentence: {single:.1f} ms/sentence")
    batched = best_ms(lambda: model.embed(CANDIDATE))
    print(f"batched, 16 in one call: {batched / len(CANDIDATE):.1f} ms/sentence ({batched:.0f} ms total)")
    print(f"50 short phrases in one call: {best_ms(lambda: model.embed(PHRASES)):.0f} ms")
    print(f"10-sentence answer in one call: {best_ms(lambda: model.embed(CANDIDATE[:10])):.0f} ms (target < 300 ms)")
    loaded.embed(CANDIDATE)
    print(f"10-sentence answer, cached: {best_ms(lambda: loaded.embed(CANDIDATE[:10])):.2f} ms")


if __name__ == "__main__":
    main()
