"""Packaged model files: joined and checked into the cache, rebuilt when damaged, never half-visible;
a user's own model folder or voice is checked for the files the runtimes would otherwise download."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from interviewer.speech.model_files import (
    PIPER_VOICE_ENV,
    WHISPER_MODEL_ENV,
    SpeechModelError,
    assemble,
    piper_voice_files,
    whisper_model_dir,
)

FIX = "pip install the-model-package"


@pytest.fixture
def split_model(tmp_path: Path) -> tuple[dict[str, list[Path]], dict[str, str]]:
    """A two-part 'model.bin' and a config, as the PyPI packages ship them."""
    first, second, config = tmp_path / "p1.part1", tmp_path / "p2.part2", tmp_path / "config.json"
    first.write_bytes(b"first half|")
    second.write_bytes(b"second half")
    config.write_text('{"ok": true}')
    expected = {
        "model.bin": hashlib.sha256(b"first half|second half").hexdigest(),
        "config.json": hashlib.sha256(b'{"ok": true}').hexdigest(),
    }
    return {"model.bin": [first, second], "config.json": [config]}, expected


def test_parts_are_joined_in_order_and_checked(tmp_path: Path, split_model) -> None:
    parts, expected = split_model
    target = assemble(parts, tmp_path / "cache" / "model", expected, FIX)
    assert (target / "model.bin").read_bytes() == b"first half|second half"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model"]  # no staging folder left behind
    # A second call finds the intact copy and leaves it as it is.
    mtime = (target / "model.bin").stat().st_mtime_ns
    assert assemble(parts, target, expected, FIX) == target
    assert (target / "model.bin").stat().st_mtime_ns == mtime


def test_a_damaged_cache_is_rebuilt_from_the_packages(tmp_path: Path, split_model) -> None:
    parts, expected = split_model
    target = assemble(parts, tmp_path / "model", expected, FIX)
    (target / "model.bin").write_bytes(b"bit rot")
    assemble(parts, target, expected, FIX)
    assert (target / "model.bin").read_bytes() == b"first half|second half"


def test_a_corrupted_package_fails_with_the_fix_and_leaves_no_model(tmp_path: Path, split_model) -> None:
    parts, expected = split_model
    parts["model.bin"][1].write_bytes(b"second half, truncated")
    with pytest.raises(
        SpeechModelError, match=r"model\.bin is corrupted: sha256 .* expected .* Fix: pip install"
    ) as error:
        assemble(parts, tmp_path / "cache" / "model", expected, FIX)
    assert expected["model.bin"] in str(error.value)
    assert list((tmp_path / "cache").iterdir()) == []


def test_whisper_model_env_must_be_a_complete_folder(tmp_path: Path) -> None:
    # faster-whisper would take a wrong path for a model name and download it: refuse instead.
    with pytest.raises(SpeechModelError, match=f"{WHISPER_MODEL_ENV}='.*nowhere' is not a folder"):
        whisper_model_dir({WHISPER_MODEL_ENV: str(tmp_path / "nowhere")})
    (tmp_path / "model.bin").write_bytes(b"x")
    (tmp_path / "config.json").write_text("{}")
    # ... and without tokenizer.json it would download a tokenizer.
    with pytest.raises(SpeechModelError, match=r"lacks tokenizer\.json"):
        whisper_model_dir({WHISPER_MODEL_ENV: str(tmp_path)})
    (tmp_path / "tokenizer.json").write_text("{}")
    assert whisper_model_dir({WHISPER_MODEL_ENV: str(tmp_path)}) == tmp_path


def test_piper_voice_env_needs_an_onnx_with_its_config(tmp_path: Path) -> None:
    voice = tmp_path / "en_GB-alan-medium.onnx"
    with pytest.raises(SpeechModelError, match="is not a piper voice file"):
        piper_voice_files({PIPER_VOICE_ENV: str(voice)})
    voice.write_bytes(b"onnx")
    with pytest.raises(SpeechModelError, match=r"has no config en_GB-alan-medium\.onnx\.json beside it"):
        piper_voice_files({PIPER_VOICE_ENV: str(voice)})
    config = tmp_path / "en_GB-alan-medium.onnx.json"
    config.write_text("{}")
    assert piper_voice_files({PIPER_VOICE_ENV: str(voice)}) == (voice, config)
