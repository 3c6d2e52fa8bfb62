"""Stemming from many threads at once, as Gradio's workers do under a class's load."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from interviewer.matching import text


def test_words_stem_correctly_from_many_threads_at_once():
    words = [f"{base}{suffix}" for base in ("predict", "regress", "classif", "featur", "monitor", "leakag")
             for suffix in ("ing", "ed", "ions", "ation", "ers", "ly", "ness", "ize", "izing", "izations")]
    expected = {word: text._STEMMER.stemWord(word) for word in words}
    text.stem.cache_clear()  # every call below reaches the stemmer itself
    with ThreadPoolExecutor(max_workers=16) as pool:
        for _ in range(20):
            text.stem.cache_clear()
            assert list(pool.map(text.stem, words * 4)) == [expected[w] for w in words * 4]
