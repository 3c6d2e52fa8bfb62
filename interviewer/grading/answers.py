"""Files of labelled candidate answers (the form of the team's dev and held-out sets)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field


class LabelledAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    question: str
    text: str
    level: int | None = Field(default=None, ge=1, le=4, description="Expert level: 1 poor ... 4 strong.")
    kind: Literal["plain", "stuffed", "injection", "offtopic"] = "plain"


def load_answers(path: Path) -> list[LabelledAnswer]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a top-level 'answers:' list of {{id, question, text}} entries")
    return [LabelledAnswer.model_validate(item) for item in items]
