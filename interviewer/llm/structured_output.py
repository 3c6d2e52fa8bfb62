"""Turning a model's text into a validated pydantic object, shared by the client and the fakes."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from interviewer.llm.protocol import Message

T = TypeVar("T", bound=BaseModel)

SCHEMA_INSTRUCTION = (
    "Reply with only a JSON object, with no prose and no code fences, that validates against "
    "this JSON Schema:\n{schema}"
)

REPAIR_PROMPT = (
    "Your previous reply could not be used: {errors}. "
    "Reply again with only the corrected JSON object, with no other text."
)

_FENCED = re.compile(r"```(?:json)?\s*(.*?)\s*```", flags=re.DOTALL)


def parse_structured(text: str, schema: type[T]) -> T:
    """Validate a reply as `schema`, tolerating code fences and prose around one JSON object.

    Raises ValueError when there is no JSON object, ValidationError when it does not fit.
    """
    candidate = text.strip()
    fenced = _FENCED.fullmatch(candidate)
    if fenced:
        candidate = fenced.group(1)
    try:
        data = json.loads(candidate)
    except json.JSONDecodeError:
        # Small local models like to say "Here is the JSON:" first.
        start, end = candidate.find("{"), candidate.rfind("}")
        if start < 0 or end <= start:
            raise ValueError("the reply contains no JSON object") from None
        try:
            data = json.loads(candidate[start : end + 1])
        except json.JSONDecodeError as error:
            raise ValueError(f"the reply is not valid JSON ({error.msg} at character {error.pos})") from None
    return schema.model_validate(data)


def describe_errors(error: Exception) -> str:
    """Validation errors in a form a model (and a person) can act on."""
    if isinstance(error, ValidationError):
        items = [f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in error.errors()]
        return "; ".join(items[:10])
    return str(error)


def with_schema_instruction(messages: Sequence[Message], schema: type[BaseModel]) -> list[Message]:
    """Tell the model the schema in words, for servers that cannot take it as a response format."""
    instruction = SCHEMA_INSTRUCTION.format(schema=json.dumps(schema.model_json_schema(), separators=(",", ":")))
    # Merged into the first system message: several chat templates accept only one, at the start.
    if messages and messages[0].role == "system":
        return [Message.system(f"{messages[0].content}\n\n{instruction}"), *messages[1:]]
    return [Message.system(instruction), *messages]
