"""Rubric files: the format, the loader with precise errors, the JSON Schema and the bank."""

from interviewer.rubric.bank import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.rubric.loader import LoadResult, RubricProblem, load_rubric_file, load_rubrics
from interviewer.rubric.models import Criterion, Rubric
from interviewer.rubric.schema import SCHEMA_HEADER, rubric_schema_json

__all__ = [
    "DEFAULT_RUBRICS_DIR", "Criterion", "LoadResult", "Rubric", "RubricBank", "RubricProblem",
    "SCHEMA_HEADER", "load_rubric_file", "load_rubrics", "rubric_schema_json",
]
