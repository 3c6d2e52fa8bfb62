"""Load rubric files and explain every problem in words a coach can act on.

Three kinds of file live under rubrics/, told apart by their folder: questions (any folder),
quick-fire sets (quickfire/) and interview loops (loops/). A broken file never stops the
others from loading: problems are collected, not raised.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from interviewer.rubric.checks import (
    Finding,
    cross_field_problems,
    loop_reference_problems,
    quick_fire_problems,
)
from interviewer.rubric.loops import Loop
from interviewer.rubric.models import Rubric
from interviewer.rubric.quickfire import QuickFireSet, expand
from interviewer.rubric.yaml_source import YamlDocument, parse_yaml

RUBRIC_SUFFIXES = (".yaml", ".yml")
# Every reload reads every file; the biggest real rubric is about 50 KiB, so this leaves room and bounds the CPU cost.
MAX_RUBRIC_BYTES = 256 * 1024
Kind = Literal["question", "quick-fire", "loop"]
KINDS: tuple[Kind, ...] = ("question", "quick-fire", "loop")
RubricFile = Rubric | QuickFireSet | Loop
MODELS: dict[Kind, type[RubricFile]] = {"question": Rubric, "quick-fire": QuickFireSet, "loop": Loop}
# The folder a file sits in decides its kind; anything outside these folders is a question.
FOLDERS: dict[str, Kind] = {"quickfire": "quick-fire", "loops": "loop"}
_STARTERS: dict[Kind, str] = {
    "question": "start from an existing rubric: it holds 'id:', 'title:' and the other keys",
    "quick-fire": "start from an existing quick-fire set in rubrics/quickfire/: it holds 'id:', 'title:' and 'questions:'",
    "loop": "start from an existing loop in rubrics/loops/: it holds 'id:', 'title:' and 'steps:'",
}


def kind_of(path: Path) -> Kind:
    return FOLDERS.get(path.parent.name, "question")


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
    rubrics: dict[str, Rubric] = field(default_factory=dict)  # with every quick-fire question expanded
    paths: dict[str, Path] = field(default_factory=dict)  # a quick-fire question's path is its set's file
    files: list[Path] = field(default_factory=list)
    problems: list[RubricProblem] = field(default_factory=list)
    quick_fire_sets: dict[str, QuickFireSet] = field(default_factory=dict)
    set_paths: dict[str, Path] = field(default_factory=dict)
    loops: dict[str, Loop] = field(default_factory=dict)
    loop_paths: dict[str, Path] = field(default_factory=dict)

    def problems_in(self, path: Path) -> list[RubricProblem]:
        return [p for p in self.problems if p.file == display_path(path)]


def display_path(path: Path) -> str:
    try:  # a link is named as itself, not as its target
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def rubric_files(paths: Iterable[Path]) -> list[tuple[Path, Path | None]]:
    """The rubric files named by `paths`, each with the folder it must stay in: files as given (no
    folder), folders searched recursively, including the links out of them for `_load` to refuse."""
    found: list[tuple[Path, Path | None]] = []
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            found.extend((p, root) for p in _folder_files(path, root))
        else:
            found.append((path, None))
    return found


def _folder_files(folder: Path, root: Path) -> Iterator[Path]:
    """Rubric files under `folder` in sorted order. Linked folders are never entered: one inside `root`
    is walked at its target anyway (and may loop), one outside is yielded to be refused."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:  # an unreadable folder is skipped, as rglob did
        return
    for entry in entries:
        if entry.is_dir() and entry.is_symlink():
            if not _within(entry.resolve(), [root]):
                yield entry
        elif entry.is_dir():
            yield from _folder_files(entry, root)
        elif entry.suffix in RUBRIC_SUFFIXES and entry.is_file():
            yield entry


def load_rubrics(paths: Iterable[Path]) -> LoadResult:
    paths = list(paths)
    result = LoadResult()
    documents: dict[Path, YamlDocument] = {}
    for path, root in rubric_files(paths):
        result.files.append(path)
        loaded = _load(path, kind_of(path), root)
        result.problems.extend(loaded.problems)
        if loaded.document is not None:
            documents[path] = loaded.document
        if isinstance(loaded.model, Rubric):
            _add_rubric(result, loaded.model, path)
        elif isinstance(loaded.model, QuickFireSet):
            _add_quick_fire_set(result, loaded.model, path, loaded.document)
        elif isinstance(loaded.model, Loop):
            _add_loop(result, loaded.model, path)
    scanned = [p.resolve() for p in paths if p.is_dir()]
    _check_loop_references(result, documents, scanned)
    return result


def _add_rubric(result: LoadResult, rubric: Rubric, path: Path) -> None:
    if rubric.id in result.rubrics:
        result.problems.append(
            RubricProblem(
                display_path(path), "id", f"id '{rubric.id}' is already used by {display_path(result.paths[rubric.id])}",
                "give every question its own id and file name",
            )
        )
        return
    result.rubrics[rubric.id] = rubric
    result.paths[rubric.id] = path


def _add_quick_fire_set(result: LoadResult, quick_fire: QuickFireSet, path: Path, document: YamlDocument | None) -> None:
    name = display_path(path)
    if quick_fire.id in result.quick_fire_sets:
        used = display_path(result.set_paths[quick_fire.id])
        result.problems.append(RubricProblem(name, "id", f"id '{quick_fire.id}' is already used by {used}",
                                             "give every quick-fire set its own id and file name"))
        return
    rubrics = expand(quick_fire)
    clashes = [
        _problem(name, document, ("questions", index, "id"),
                 f"the question's full id '{rubric.id}' is already used by {display_path(result.paths[rubric.id])}",
                 "rename this question or the set, or the other question")
        for index, rubric in enumerate(rubrics) if rubric.id in result.rubrics
    ]
    if clashes:  # like any file with a problem, the set is left out whole
        result.problems.extend(clashes)
        return
    result.quick_fire_sets[quick_fire.id] = quick_fire
    result.set_paths[quick_fire.id] = path
    for rubric in rubrics:
        _add_rubric(result, rubric, path)


def _add_loop(result: LoadResult, loop: Loop, path: Path) -> None:
    if loop.id in result.loops:
        result.problems.append(RubricProblem(display_path(path), "id", f"id '{loop.id}' is already used by {display_path(result.loop_paths[loop.id])}",
                                             "give every loop its own id and file name"))
        return
    result.loops[loop.id] = loop
    result.loop_paths[loop.id] = path


def _check_loop_references(result: LoadResult, documents: dict[Path, YamlDocument], scanned: list[Path]) -> None:
    """Every question and set a loop names must exist; a loop with a dangling step is left out.

    A loop checked without its bank (`rubrics validate rubrics/loops/x.yaml`) is checked against
    the bank it belongs to, the folder above loops/.
    """
    banks: dict[Path, LoadResult] = {}
    broken = _broken_ids(result)
    for loop_id, loop in list(result.loops.items()):
        path = result.loop_paths[loop_id]
        findings: list[Finding] = loop_reference_problems(loop, result.rubrics, result.quick_fire_sets, broken)
        root = path.parent.parent
        if findings and path.parent.name in FOLDERS and not _within(root.resolve(), scanned):
            if root not in banks:
                banks[root] = load_rubrics([root])
            bank = banks[root]
            findings = loop_reference_problems(
                loop, {**bank.rubrics, **result.rubrics}, {**bank.quick_fire_sets, **result.quick_fire_sets},
                {**_broken_ids(bank), **broken},
            )
        if findings:
            name = display_path(path)
            result.problems.extend(_problem(name, documents.get(path), loc, message, fix) for loc, message, fix in findings)
            del result.loops[loop_id], result.loop_paths[loop_id]


def _broken_ids(result: LoadResult) -> dict[str, str]:
    """Ids (file names) of question and quick-fire files that did not load, with their paths."""
    loaded = {*result.paths.values(), *result.set_paths.values()}
    broken = {p.file for p in result.problems}
    return {
        path.stem: display_path(path) for path in result.files
        if kind_of(path) != "loop" and path not in loaded and display_path(path) in broken
    }


def _within(folder: Path, scanned: list[Path]) -> bool:
    return any(folder == top or top in folder.parents for top in scanned)


@dataclass
class _Loaded:
    model: RubricFile | None
    problems: list[RubricProblem]
    document: YamlDocument | None = None


def load_rubric_file(path: Path, kind: Kind | None = None) -> tuple[RubricFile | None, list[RubricProblem]]:
    """The question, quick-fire set or loop in `path` (None when it has any problem) and every problem
    found in it. The kind follows the folder (quickfire/, loops/, anything else) unless given.

    References from a loop to other files are checked by `load_rubrics`, which sees them all."""
    loaded = _load(path, kind or kind_of(path))
    return loaded.model, loaded.problems


def _load(path: Path, kind: Kind, root: Path | None = None) -> _Loaded:
    """`root`: the resolved folder being loaded, which the file may not lead out of by a link."""
    name = display_path(path)
    if root is not None and not _within(path.resolve(), [root]):
        return _Loaded(None, [_link_out_problem(name, path)])
    if not path.is_file():
        return _Loaded(None, [RubricProblem(name, "", "no such file", "check the path")])
    if path.suffix not in RUBRIC_SUFFIXES:
        return _Loaded(None, [RubricProblem(name, "", "not a YAML file", "rubric files end in .yaml")])
    if (size := path.stat().st_size) > MAX_RUBRIC_BYTES:
        return _Loaded(None, [RubricProblem(name, "", f"the file is {size:,} bytes, more than the {MAX_RUBRIC_BYTES:,} allowed",
                                            "split the file or remove long pasted text")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return _Loaded(None, [RubricProblem(name, "", f"cannot be read ({error})", "save it as UTF-8 text")])
    try:
        document = parse_yaml(text)
    except yaml.YAMLError as error:
        return _Loaded(None, [_syntax_problem(name, error)])
    problems = [_duplicate_key_problem(name, key, mark, first) for key, mark, first in document.duplicate_keys]
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else f"a {_kind(document.data)}, not a mapping of keys"
        return _Loaded(None, [*problems, RubricProblem(name, "", f"the file is {what}", _STARTERS[kind])], document)
    problems.extend(_file_name_problems(name, path, document))
    model = MODELS[kind]
    try:
        loaded = model.model_validate(document.data)
    except ValidationError as error:
        problems.extend(_problem(name, document, e["loc"], *_explain(e, model)) for e in error.errors())
        return _Loaded(None, problems, document)
    problems.extend(_problem(name, document, loc, message, fix) for loc, message, fix in _cross_field(loaded))
    return _Loaded(None if problems else loaded, problems, document)


def _link_out_problem(name: str, path: Path) -> RubricProblem:
    what = "folder" if path.is_dir() else "file"
    return RubricProblem(name, "", f"is a link to a {what} outside the rubric folder", f"copy the {what} into the rubric folder instead")


def _cross_field(loaded: RubricFile) -> list[Finding]:
    if isinstance(loaded, Rubric):
        return cross_field_problems(loaded)
    if isinstance(loaded, QuickFireSet):
        return quick_fire_problems(loaded)
    return []


def _problem(name: str, document: YamlDocument | None, loc: tuple[Any, ...], message: str, fix: str) -> RubricProblem:
    line, column = (document.position(loc) if document else None) or (None, None)
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


def _explain(error: Any, root: type[BaseModel] = Rubric) -> tuple[str, str]:
    """Turn one pydantic error into (what is wrong, how to fix it)."""
    kind, loc, ctx, value = error["type"], error["loc"], error.get("ctx", {}), error.get("input")
    if "fix" in ctx:  # our own checks inside the models say how to fix what they reject
        return error["msg"], ctx["fix"]
    model, info = _field_at(loc, root)
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
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} items, at most {ctx.get('max_length')} allowed", f"keep the most important ones{described}"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{error['msg'].replace('Input should be', 'must be')} (got {value})", f"change the number{described}"
    return error["msg"], "compare with the schema.json beside the file, or with an existing file of the same kind"


def _field_at(loc: tuple[Any, ...], root: type[BaseModel]) -> tuple[type[BaseModel] | None, FieldInfo | None]:
    """The model that holds the last key of `loc`, and that key's field, when they exist."""
    model: type[BaseModel] | None = root
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
