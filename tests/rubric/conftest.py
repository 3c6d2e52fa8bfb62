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
