"""The rubrics the app serves, loaded from a folder and reloadable without a restart.

`rubrics` holds every question the engine can run: the question files and each quick-fire
question expanded (id `<set id>-<question id>`). The sets and loops themselves are there too,
for pickers and for running a loop.
"""

from __future__ import annotations

from pathlib import Path

from interviewer.rubric.loader import LoadResult, RubricProblem, load_rubrics
from interviewer.rubric.loops import Loop, loop_minutes, loop_question_ids
from interviewer.rubric.models import Rubric
from interviewer.rubric.quickfire import QuickFireSet

DEFAULT_RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"


class RubricBank:
    def __init__(self, directory: Path = DEFAULT_RUBRICS_DIR) -> None:
        self.directory = directory
        self._loaded = LoadResult()
        self.reload()

    def reload(self) -> list[RubricProblem]:
        """Read every file again; the valid ones replace the previous set, problems are kept for display."""
        self._loaded = load_rubrics([self.directory])
        return self.problems

    @property
    def rubrics(self) -> dict[str, Rubric]:
        return self._loaded.rubrics

    @property
    def quick_fire_sets(self) -> dict[str, QuickFireSet]:
        return self._loaded.quick_fire_sets

    @property
    def loops(self) -> dict[str, Loop]:
        """Only loops whose every step names an existing question or set."""
        return self._loaded.loops

    @property
    def problems(self) -> list[RubricProblem]:
        return self._loaded.problems

    @property
    def files(self) -> list[Path]:
        return self._loaded.files

    def problems_in(self, path: Path) -> list[RubricProblem]:
        return self._loaded.problems_in(path)

    def path_of(self, file_id: str) -> Path:
        """The file that holds a question (a quick-fire question's is its set's file), a set or a loop."""
        for paths in (self._loaded.paths, self._loaded.set_paths, self._loaded.loop_paths):
            if file_id in paths:
                return paths[file_id]
        raise KeyError(file_id)

    def get(self, rubric_id: str) -> Rubric:
        try:
            return self.rubrics[rubric_id]
        except KeyError:
            known = ", ".join(sorted(self.rubrics)) or "none loaded"
            raise KeyError(f"no question with id '{rubric_id}' (known: {known})") from None

    def loop(self, loop_id: str) -> Loop:
        try:
            return self.loops[loop_id]
        except KeyError:
            known = ", ".join(sorted(self.loops)) or "none loaded"
            raise KeyError(f"no loop with id '{loop_id}' (known: {known})") from None

    def loop_questions(self, loop_id: str) -> list[Rubric]:
        """The questions of a loop, in the order they are asked, quick-fire steps expanded."""
        return [self.rubrics[question_id] for question_id in loop_question_ids(self.loop(loop_id), self.quick_fire_sets)]

    def loop_minutes(self, loop_id: str) -> float:
        return loop_minutes(self.loop_questions(loop_id))
