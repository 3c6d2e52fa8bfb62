"""The rubrics the app serves, loaded from a folder and reloadable without a restart."""

from __future__ import annotations

from pathlib import Path

from interviewer.rubric.loader import LoadResult, RubricProblem, load_rubrics
from interviewer.rubric.models import Rubric

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
    def problems(self) -> list[RubricProblem]:
        return self._loaded.problems

    @property
    def files(self) -> list[Path]:
        return self._loaded.files

    def problems_in(self, path: Path) -> list[RubricProblem]:
        return self._loaded.problems_in(path)

    def path_of(self, rubric_id: str) -> Path:
        return self._loaded.paths[rubric_id]

    def get(self, rubric_id: str) -> Rubric:
        try:
            return self.rubrics[rubric_id]
        except KeyError:
            known = ", ".join(sorted(self.rubrics)) or "none loaded"
            raise KeyError(f"no question with id '{rubric_id}' (known: {known})") from None
