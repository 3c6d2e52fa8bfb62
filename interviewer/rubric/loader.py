"""Load rubric files and explain every problem in words a coach can act on.

A broken file never stops the others from loading: problems are collected, not raised.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from interviewer.rubric.checks import cross_field_problems
from interviewer.rubric.models import Rubric
from interviewer.rubric.yaml_source import YamlDocument, parse_yaml

RUBRIC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class RubricProblem:
    file: str
    location: str
    message: str
    fix: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"
        place = f" {self.location}:" if self.location else ""
        return f"{where}:{place} {self.message}. Fix: {self.fix}."


@dataclass
class LoadResult:
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[RubricProblem] = field(default_factory=list)

    def problems_in(self, path: Path) -> list[RubricProblem]:
        return [p for p in self.problems if p.file == display_path(path)]


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def rubric_files(paths: Iterable[Path]) -> list[Path]:
    """The rubric files named by `paths`: files as given, folders searched recursively."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RUBRIC_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return found


def load_rubrics(paths: Iterable[Path]) -> LoadResult:
    result = LoadResult()
    for path in rubric_files(paths):
        result.files.append(path)
        rubric, problems = load_rubric_file(path)
        result.problems.extend(problems)
        if rubric is None:
            continue
        if rubric.id in result.rubrics:
            result.problems.append(
                RubricProblem(
                    display_path(path), "id", f"id '{rubric.id}' is already used by {display_path(result.paths[rubric.id])}",
                    "give every question its own id and file name",
                )
            )
            continue
        result.rubrics[rubric.id] = rubric
        result.paths[rubric.id] = path
    return result


def load_rubric_file(path: Path) -> tuple[Rubric | None, list[RubricProblem]]:
    """The rubric in `path` (None when it has any problem) and every problem found in it."""
    name = display_path(path)
    if not path.is_file():
        return None, [RubricProblem(name, "", "no such file", "check the path")]
    if path.suffix not in RUBRIC_SUFFIXES:
        return None, [RubricProblem(name, "", "not a YAML file", "rubric files end in .yaml")]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [RubricProblem(name, "", f"cannot be read ({error})", "save it as UTF-8 text")]
    try:
        document = parse_yaml(text)
    except yaml.YAMLError as error:
        return None, [_syntax_problem(name, error)]
    problems = [_duplicate_key_problem(name, key, mark, first) for key, mark, first in document.duplicate_keys]
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"a {_kind(document.data)}, not a mapping of keys"
        return None, [*problems, RubricProblem(name, "", f"the file is {what}", "start from an existing rubric: it holds 'id:', 'title:' and the other keys")]
    problems.extend(_file_name_problems(name, path, document))
    try:
        rubric = Rubric.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_problem(name, document, e["loc"], *_explain(e)) for e in error.errors())
        return None, problems
    problems.extend(_problem(name, document, loc, message, fix) for loc, message, fix in cross_field_problems(rubric))
    return (None if problems else rubric), problems


def _problem(name: str, document: YamlDocument, loc: tuple[Any, ...], message: str, fix: str) -> RubricProblem:
    line, column = document.position(loc) or (None, None)
    return RubricProblem(name, _location(loc), message, fix, line, column)


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _syntax_problem(name: str, error: yaml.YAMLError) -> RubricProblem:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    fix = "check the indentation and quoting on that line (values containing ': ' or starting with a quote need quotes)"
    return RubricProblem(name, "", f"YAML syntax error: {problem}", fix, line, column)


def _duplicate_key_problem(name: str, key: str, mark: yaml.Mark, first: yaml.Mark) -> RubricProblem:
    return RubricProblem(
        name, key, f"key '{key}' appears twice (first on line {first.line + 1})",
        "keep one of them; YAML would silently use the last", mark.line + 1, mark.column + 1,
    )


def _file_name_problems(name: str, path: Path, document: YamlDocument) -> list[RubricProblem]:
    rubric_id = document.data.get("id")
    if isinstance(rubric_id, str) and rubric_id != path.stem:
        return [_problem(name, document, ("id",), f"id '{rubric_id}' does not match the file name '{path.name}'",
                         f"rename the file to {rubric_id}.yaml or set id to '{path.stem}'")]
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false value ({value})"
    if isinstance(value, (int, float)):
        return f"number ({value})"
    if isinstance(value, str):
        return f"text ('{value[:40]}')"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping of keys"
    return "empty value" if value is None else type(value).__name__


def _explain(error: Any) -> tuple[str, str]:
    """Turn one pydantic error into (what is wrong, how to fix it)."""
    kind, loc, ctx, value = error["type"], error["loc"], error.get("ctx", {}), error.get("input")
    model, info = _field_at(loc)
    described = f" ({info.description})" if info and info.description else ""
    if kind == "missing":
        return f"missing required key '{loc[-1]}'", f"add '{loc[-1]}:'{described}"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown key '{loc[-1]}'", f"{hint}remove it or use one of: {', '.join(allowed)}"
    if kind == "string_type":
        quote = "YAML reads yes/no/on/off/true/false and bare numbers as values, not text: put it in quotes"
        return f"expected text, got a {_kind(value)}", quote
    if kind in ("int_type", "int_parsing", "int_from_float", "float_type", "float_parsing"):
        return f"expected a number, got a {_kind(value)}", f"write a plain number{described}"
    if kind == "list_type":
        return f"expected a list, got a {_kind(value)}", "write each item on its own line starting with '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping of keys, got a {_kind(value)}", "write 'key: value' lines indented under it"
    if kind == "literal_error":
        return f"'{value}' is not allowed", f"use one of: {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a valid id", "use lowercase letters, digits and single hyphens, e.g. uber-eta"
    if kind in ("string_too_short", "too_short"):
        need = ctx.get("min_length", 1)
        if kind == "string_too_short":
            return "is empty", f"write the text{described}"
        return f"needs at least {need} item{'s' if need != 1 else ''}", f"add items{described}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{error['msg'].replace('Input should be', 'must be')} (got {value})", f"change the number{described}"
    return error["msg"], "compare with rubrics/schema.json or an existing rubric"


def _field_at(loc: tuple[Any, ...]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model that holds the last key of `loc`, and that key's field, when they exist."""
    model: type[BaseModel] | None = Rubric
    info: FieldInfo | None = None
    for position, part in enumerate(loc):
        if isinstance(part, int) or model is None:
            continue
        info = _field_named(model, str(part))
        if position == len(loc) - 1:
            return model, info
        model = _model_in(info.annotation) if info else None
    return model, info


def _field_named(model: type[BaseModel], key: str) -> FieldInfo | None:
    return next((f for name, f in model.model_fields.items() if key in (name, f.alias)), None)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_model_in, typing.get_args(annotation))), None)


def _allowed_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]
