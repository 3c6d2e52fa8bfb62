from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

LEVELS = {0: "Not mentioned.", 1: "Mentioned in passing.", 2: "Explained correctly.", 3: "Explained with trade-offs."}

MINIMAL_RUBRIC: dict[str, Any] = {
    "id": "toy-question",
    "title": "A toy question",
    "category": "case-study",
    "difficulty": "easy",
    "duration_minutes": 20,
    "prompt": "How would you predict tomorrow's weather?",
    "sources": [{"file": "000_seed.txt", "question": "1. Predict the weather."}],
    "facts": [{"id": "data", "cues": ["what data"], "answer": "Ten years of hourly readings."}],
    "criteria": [
        {
            "id": "framing",
            "name": "Framing",
            "weight": 2,
            "description": "States the target and horizon.",
            "levels": dict(LEVELS),
            "concepts": [{"name": "target", "phrases": ["predict temperature"]}],
            "follow_ups": ["What exactly are you predicting?"],
        },
        {
            "id": "metrics",
            "name": "Metrics",
            "weight": 1,
            "description": "Chooses a metric.",
            "levels": dict(LEVELS),
            "concepts": [{"name": "error metric", "phrases": ["mean absolute error", "mae"]}],
            "follow_ups": ["How would you measure success?"],
            "hint": "Think about how wrong a forecast can be.",
        },
    ],
    "model_answer": ["Frame it as regression.", "Use MAE."],
    "examples": [{"id": "good", "answer": "I'd predict temperature and use MAE.", "expected_levels": {"framing": 2, "metrics": 2}}],
}

WriteRubric = Callable[..., Path]


@pytest.fixture
def rubric_data() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL_RUBRIC)


@pytest.fixture
def write_rubric(tmp_path: Path) -> WriteRubric:
    def write(data: dict[str, Any] | str, name: str = "toy-question.yaml", folder: Path = tmp_path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _quick_fire_question(question_id: str) -> dict[str, Any]:
    return {
        "id": question_id,
        "prompt": f"Explain {question_id}.",
        "key_points": [
            {"name": "first idea", "phrases": ["systematic error"]},
            {"name": "second idea", "phrases": ["training sample"]},
            {"name": "third idea", "phrases": ["held out data"]},
        ],
        "follow_up": "What else matters?",
        "model_answer": ["The first idea.", "The second idea."],
        "examples": [
            {"answer": "It is a systematic error. It changes with the training sample.", "level": 2},
            {"answer": "No idea.", "level": 0},
        ],
    }


MINIMAL_QUICK_FIRE: dict[str, Any] = {
    "id": "toy-set",
    "title": "Toy set",
    "difficulty": "easy",
    "sources": [{"file": "000_seed.txt", "question": "2. What is bias?"}],
    "questions": [_quick_fire_question("bias"), _quick_fire_question("variance")],
}

MINIMAL_LOOP: dict[str, Any] = {
    "id": "toy-loop",
    "title": "Toy loop",
    "role": "ML engineer",
    "description": "A question, then the toy set.",
    "steps": [{"question": "toy-question"}, {"quick_fire": "toy-set", "count": 1}],
}


@pytest.fixture
def quick_fire_data() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL_QUICK_FIRE)


@pytest.fixture
def loop_data() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL_LOOP)


@pytest.fixture
def write_bank(tmp_path: Path, write_rubric: WriteRubric, rubric_data, quick_fire_data, loop_data) -> Callable[..., Path]:
    """A bank folder holding the toy question, the toy set and the toy loop, each changeable first."""

    def write(question: dict[str, Any] | None = None, quick_fire: dict[str, Any] | None = None,
              loop: dict[str, Any] | None = None) -> Path:
        root = tmp_path / "bank"
        write_rubric(question or rubric_data, folder=root)
        write_rubric(quick_fire or quick_fire_data, name="toy-set.yaml", folder=root / "quickfire")
        write_rubric(loop or loop_data, name="toy-loop.yaml", folder=root / "loops")
        return root

    return write
