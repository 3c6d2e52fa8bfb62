"""Rubric files: the format, the loader with precise errors, the JSON Schemas and the bank.

Three kinds of file: questions (rubrics/*.yaml), quick-fire sets of short theory questions
(rubrics/quickfire/*.yaml, each question expanded to an ordinary rubric) and interview loops
(rubrics/loops/*.yaml, several questions in a row).
"""

from interviewer.rubric.bank import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.rubric.loader import (
    KINDS,
    Kind,
    LoadResult,
    RubricProblem,
    kind_of,
    load_rubric_file,
    load_rubrics,
)
from interviewer.rubric.loops import Loop, LoopStep
from interviewer.rubric.models import Criterion, Rubric
from interviewer.rubric.quickfire import (
    QuickFireQuestion,
    QuickFireSet,
    expand,
    expand_question,
)
from interviewer.rubric.schema import (
    SCHEMA_FILES,
    SCHEMA_HEADER,
    rubric_schema_json,
    schema_json,
)

__all__ = [
    "DEFAULT_RUBRICS_DIR",
    "KINDS",
    "SCHEMA_FILES",
    "SCHEMA_HEADER",
    "Criterion",
    "Kind",
    "LoadResult",
    "Loop",
    "LoopStep",
    "QuickFireQuestion",
    "QuickFireSet",
    "Rubric",
    "RubricBank",
    "RubricProblem",
    "expand",
    "expand_question",
    "kind_of",
    "load_rubric_file",
    "load_rubrics",
    "rubric_schema_json",
    "schema_json",
]
