"""The JSON Schemas of the three kinds of rubric file, for editors (yaml-language-server) and the coach's view.

Each folder holds the schema of its files: rubrics/schema.json (questions),
rubrics/quickfire/schema.json and rubrics/loops/schema.json.
"""

from __future__ import annotations

import json
from pathlib import PurePath

from interviewer.rubric.loader import MODELS, Kind

SCHEMA_HEADER = "# yaml-language-server: $schema=schema.json"
TITLES: dict[Kind, str] = {
    "question": "Interview question rubric",
    "quick-fire": "Quick-fire question set",
    "loop": "Interview loop",
}
# Where each kind's schema is committed, relative to the rubrics folder.
SCHEMA_FILES: dict[Kind, PurePath] = {
    "question": PurePath("schema.json"),
    "quick-fire": PurePath("quickfire/schema.json"),
    "loop": PurePath("loops/schema.json"),
}


def schema_json(kind: Kind = "question") -> str:
    schema = MODELS[kind].model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = TITLES[kind]
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def rubric_schema_json() -> str:
    return schema_json("question")
