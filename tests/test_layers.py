"""The package layering: which parts of `interviewer` may import which, read from the source.

Lower layers never reach up: text matching sits below both the engine and the grader, the
practice service sits over everything the front ends need, and the Gradio handlers only lay
out, wire and render (no grading, saving or export writing in interviewer/ui).
"""

from __future__ import annotations

import ast
from pathlib import Path

import interviewer

PACKAGE = Path(interviewer.__file__).parent
BELOW_PRACTICE = {
    "rubric", "llm", "prompts", "matching", "listening", "engine", "voice", "grading", "speech", "openai_api", "store",
    "export", "accounts",
}
ALLOWED: dict[str, set[str]] = {
    "rubric": set(),
    "llm": set(),
    "prompts": set(),
    "matching": {"rubric"},
    "listening": {"rubric", "matching", "llm", "prompts"},
    "engine": {"rubric", "matching", "listening"},
    "voice": {"engine", "rubric", "matching", "llm", "prompts", "openai_api"},
    "grading": {"engine", "rubric", "matching", "llm", "prompts", "openai_api"},
    "openai_api": {"llm", "speech"},
    "speech": {"llm"},
    "store": {"engine", "grading", "rubric", "speech", "listening"},
    "export": {"engine", "grading", "rubric", "speech"},
    "accounts": {"store"},
    "practice": BELOW_PRACTICE,
    "ui": {"practice", "rubric", "engine", "grading", "export", "speech", "llm", "listening"},
    "cli": {"practice", "rubric", "grading", "llm", "ui", "accounts"},
}
# Module exceptions: choosing the speech backends composes the offline models with the server's.
ALSO_ALLOWED = {"speech/select.py": {"openai_api"}}
# The UI may show scorecards and read settings, but not grade, store, write files or speak.
UI_FORBIDDEN = (
    "interviewer.store", "interviewer.voice", "interviewer.openai_api", "interviewer.grading.offline",
    "interviewer.grading.llm_grader", "interviewer.grading.select", "interviewer.grading.embeddings",
    "interviewer.export.files", "interviewer.export.loop", "interviewer.speech.select",
)


def layer_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """Every `interviewer.*` module a file imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name for name in names if name.startswith("interviewer.")}


def test_every_package_imports_only_the_layers_below_it():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        layer = layer_of(path)
        if layer == "__init__":
            continue
        for name in imported(path):
            target = name.split(".")[1]
            extra = ALSO_ALLOWED.get(str(path.relative_to(PACKAGE)), set())
            if target != layer and target not in ALLOWED[layer] | extra:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_every_package_has_a_layer():
    packages = {layer_of(p) for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert packages == set(ALLOWED)


def test_the_ui_neither_grades_nor_saves_nor_writes_files():
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "ui").rglob("*.py"))
        for name in imported(path)
        if name.startswith(UI_FORBIDDEN)
    ]
    assert wrong == []
