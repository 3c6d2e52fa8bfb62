"""What the Coach tab does: the rubric files' health, reload, each rubric's examples against the
grader, and grading a pasted or uploaded transcript."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from interviewer.grading.calibration import EXPECTED_EXACT, agreement
from interviewer.grading.protocol import Grader
from interviewer.grading.scorecard import Scorecard
from interviewer.practice.limits import MAX_GRADED_CHARS, cut
from interviewer.practice.records import PracticeError
from interviewer.practice.transcripts import answers_from_upload
from interviewer.rubric.bank import RubricBank
from interviewer.rubric.models import Rubric


@dataclass(frozen=True)
class FileStatus:
    name: str
    problems: list[str]


@dataclass(frozen=True)
class ExampleCheck:
    example: str
    criterion: str
    coach: int
    grader: int

    @property
    def agreement(self) -> str:
        gap = abs(self.coach - self.grader)
        return "yes" if gap == 0 else "within one" if gap == 1 else "NO"


def examples_summary(checks: list[ExampleCheck]) -> str:
    """Agreement over all the checks, as the calibrate command prints it."""
    result = agreement("all examples", [(c.grader, c.coach) for c in checks])
    below = " (below 3/4 exact)" if result.exact_share < EXPECTED_EXACT else ""
    return result.line().split(": ", 1)[1] + below


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class GradedTranscript:
    rubric: Rubric
    scorecard: Scorecard
    notice: str | None


class Coach:
    def __init__(self, bank: RubricBank, grader: Grader) -> None:
        self.bank, self.grader = bank, grader
        self._lock = threading.Lock()

    def files(self) -> list[FileStatus]:
        return [FileStatus(path.name, [str(p) for p in self.bank.problems_in(path)]) for path in self.bank.files]

    def reload(self) -> None:
        """Read the rubric folder again; interviews in progress keep the rubric they started with."""
        with self._lock:
            self.bank.reload()

    def source(self, file_id: str) -> str:
        try:
            return self.bank.path_of(file_id).read_text(encoding="utf-8")
        except (KeyError, OSError):
            return ""

    def check_examples(self, rubric_id: str) -> list[ExampleCheck]:
        rubric = self._rubric(rubric_id)
        checks = []
        for example in rubric.examples:
            card = self.grader.grade(rubric, example.answer)
            checks += [ExampleCheck(example.id, r.id, example.expected_levels[r.id], r.level) for r in card.criteria]
        return checks

    def grade(self, rubric_id: str, pasted: str, upload: Upload | None = None) -> GradedTranscript:
        rubric = self._rubric(rubric_id)
        text = answers_from_upload(upload.data, upload.name, rubric.id) if upload else pasted or ""
        if not text.strip():
            raise PracticeError("Paste or upload a transcript first.")
        kept = cut(text.strip(), MAX_GRADED_CHARS, "The transcript")
        return GradedTranscript(rubric, self.grader.grade(rubric, kept.text), kept.notice)

    def _rubric(self, rubric_id: str) -> Rubric:
        try:
            return self.bank.get(rubric_id)
        except KeyError:
            raise PracticeError("Pick a rubric.") from None

