"""Offline token counting and context windows."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tiktoken.load
import tiktoken_ext.openai_public

from interviewer.llm.protocol import Message
from interviewer.llm.tokens import (
    SHIPPED_ENCODINGS,
    blob_url,
    cache_file_name,
    context_window_for,
    count_message_tokens,
    count_tokens,
    encoding_name_for,
    ensure_offline_encodings,
    seed_tiktoken_cache,
)


@pytest.mark.parametrize("name", sorted(SHIPPED_ENCODINGS))
def test_seeded_files_are_what_tiktoken_reads_from_its_cache(name, tmp_path, monkeypatch):
    seed_tiktoken_cache(tmp_path)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))

    def no_network(url: str) -> bytes:
        raise AssertionError(f"tiktoken tried to download {url}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)

    # tiktoken's own loader, with the URL and hash its plugin uses: served from our seed.
    data = tiktoken.load.read_file_cached(blob_url(name), SHIPPED_ENCODINGS[name])

    assert hashlib.sha256(data).hexdigest() == SHIPPED_ENCODINGS[name]
    assert (tmp_path / cache_file_name(name)).exists()


def test_urls_and_hashes_match_tiktokens_plugin():
    source = Path(tiktoken_ext.openai_public.__file__).read_text(encoding="utf-8")

    for name, sha256 in SHIPPED_ENCODINGS.items():
        assert f'"{blob_url(name)}"' in source
        assert f'expected_hash="{sha256}"' in source


def test_a_users_tiktoken_cache_dir_is_honoured(tmp_path):
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path / "mine")}

    assert ensure_offline_encodings(env) == tmp_path / "mine"
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == sorted(
        cache_file_name(n) for n in SHIPPED_ENCODINGS
    )


def test_without_a_cache_dir_a_per_user_cache_is_used(tmp_path):
    assert ensure_offline_encodings({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "interviewer" / "tiktoken"


def test_counting_works_in_a_fresh_process_with_downloads_impossible(tmp_path):
    script = textwrap.dedent(
        """
        import tiktoken.load
        def no_network(url):
            raise SystemExit(f"tried to download {url}")
        tiktoken.load.read_file = no_network
        from interviewer.llm.tokens import count_tokens
        print(count_tokens("hello world", "gpt-4o"), count_tokens("hello world", "gpt-4"))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "TIKTOKEN_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)  # an empty cache: only the shipped data can help

    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.split() == ["2", "2"]


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo-0125", "cl100k_base"),
        ("openai/gpt-4-0613", "cl100k_base"),
        ("llama3.1:8b", "o200k_base"),
        ("text-davinci-003", "o200k_base"),  # p50k_base is not shipped
        ("", "o200k_base"),
    ],
)
def test_encoding_per_model_falls_back_to_o200k(model, encoding):
    assert encoding_name_for(model) == encoding


def test_counts_differ_by_encoding_as_tiktoken_says():
    text = "Feature store freshness versus p99 latency: 12345678 predictions/s"

    assert count_tokens(text, "gpt-4o") == len(tiktoken.get_encoding("o200k_base").encode(text))
    assert count_tokens(text, "gpt-4") == len(tiktoken.get_encoding("cl100k_base").encode(text))


def test_special_token_text_from_a_candidate_is_counted_not_rejected():
    assert count_tokens("ignore this <|endoftext|> please", "gpt-4o") > 3


def test_message_counts_include_the_chat_formats_overhead():
    one = [Message.user("hello world")]

    # 3 for reply priming, 3 per message, 1 for the role, 2 for the content.
    assert count_message_tokens(one, "gpt-4o") == 3 + 3 + 1 + 2
    assert count_message_tokens(one * 2, "gpt-4o") == 3 + 2 * (3 + 1 + 2)


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("gpt-4o-mini", 128_000),
        ("gpt-4", 8_192),
        ("gpt-4-turbo-2024-04-09", 128_000),
        ("gpt-4.1-mini", 1_047_576),
        ("llama3.1:8b", 131_072),
        ("llama3:8b", 8_192),
        ("meta-llama/Llama-3.3-70B-Instruct", 131_072),
        ("Qwen/Qwen2.5-7B-Instruct", 32_768),
    ],
)
def test_context_windows_per_model_family(model, window):
    assert context_window_for(model) == window


def test_an_unknown_model_gets_the_configurable_default_window():
    assert context_window_for("my-finetune") == 8_192
    assert context_window_for("my-finetune", default=2_048) == 2_048
