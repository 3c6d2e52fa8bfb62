"""Prompt templates from `prompts/`: Markdown with {named} placeholders, rendered strictly.

Candidate text only ever fills a placeholder inside a delimited block, and any copy of the
closing delimiter inside it is neutralised, so it cannot end the block and speak as instructions.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
CANDIDATE_BLOCK = "candidate_words"


@lru_cache(maxsize=None)
def _template(name: str) -> str:
    return (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def render_prompt(name: str, **values: str) -> str:
    template = _template(name)
    missing = placeholders(template) - values.keys()
    if missing:
        raise KeyError(f"prompt '{name}' needs values for: {', '.join(sorted(missing))}")
    return template.format(**values)


_BLOCK_TAG = re.compile(rf"<(\s*/?)\s*{CANDIDATE_BLOCK}\s*>", re.IGNORECASE)


def as_data(text: str) -> str:
    """Candidate text made safe to place between <candidate_words> tags: any spelling of the tag
    inside it is broken up, so it cannot close the block early."""
    return _BLOCK_TAG.sub(lambda m: f"‹{m.group(1).strip()}{CANDIDATE_BLOCK}›", text)
