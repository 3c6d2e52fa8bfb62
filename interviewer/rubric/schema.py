"""The JSON Schema of a rubric file, for editors (yaml-language-server) and the coach's view."""

from __future__ import annotations

import json

from interviewer.rubric.models import Rubric

SCHEMA_HEADER = "# yaml-language-server: $schema=schema.json"


def rubric_schema_json() -> str:
    schema = Rubric.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Interview question rubric"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
