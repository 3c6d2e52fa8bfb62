"""A practice service over the real rubric bank, an in-memory store and the offline voice and grader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
import shutil

import pytest

from support import SteppingClock

from interviewer.grading.offline import OfflineGrader
from interviewer.grading.select import Graders
from interviewer.practice.records import Practice, Step
from interviewer.practice.service import PracticeService
from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.store import MemoryStore

ALICE, BOB = "browser:alice", "browser:bob"


@pytest.fixture(scope="session")
def grader() -> OfflineGrader:
    return OfflineGrader()


@pytest.fixture
def rubrics_dir(tmp_path: Path) -> Path:
    """A copy of the bank, so a test can break a file."""
    return Path(shutil.copytree(DEFAULT_RUBRICS_DIR, tmp_path / "rubrics"))


@pytest.fixture
def make_service(grader: OfflineGrader) -> Callable[..., PracticeService]:
    def make(bank: RubricBank | None = None, **options) -> PracticeService:
        options.setdefault("graders", Graders(grader))
        options.setdefault("clock", SteppingClock())
        return PracticeService(bank or RubricBank(), options.pop("store", None) or MemoryStore(), **options)

    return make


@pytest.fixture
def service(make_service) -> PracticeService:
    return make_service()


def last(steps: Iterator[Step]) -> Practice:
    """Run a call to the end; the practice as it finally stands."""
    final = None
    for final in steps:
        pass
    assert final is not None, "the call yielded no step"
    return final.practice


def said(practice: Practice) -> list[str]:
    return [f"{t.role}: {t.text}" for t in practice.state.turns]
