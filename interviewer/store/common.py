"""Rules every store backend shares, so they all answer alike."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.store.errors import SessionNotFound
from interviewer.store.records import LoopRun


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    # One fixed-width UTC form, so that ORDER BY on a text column is chronological.
    return utc(moment).isoformat(timespec="microseconds")


def rubric_json(rubric: Rubric) -> str:
    # By alias: the level descriptors are keyed "0".."3" in the file format, and only read back that way.
    return rubric.model_dump_json(by_alias=True)


def snapshot_ref(rubric: Rubric) -> str:
    """A content hash: the same rubric always gets the same ref, an edited one a new ref."""
    return hashlib.sha256(rubric_json(rubric).encode()).hexdigest()[:32]


def check_owner(owner: str) -> None:
    if not isinstance(owner, str) or not owner:
        raise ValueError(f"an owner must be a non-empty string, not {owner!r}")


def owner_list(owners: Sequence[str]) -> list[str]:
    # A bare string is a Sequence too: "local" would silently mean the owners "l", "o", "c", ...
    if isinstance(owners, str):
        raise TypeError(f"owners must be a list of owners, not the string {owners!r}")
    return list(owners)


def session_not_found(session_id: str, where: object) -> SessionNotFound:
    # The same words whether the id is missing or someone else's: no oracle for guessed ids.
    return SessionNotFound(f"no session '{session_id}' in {where}")


def loop_not_found(run_id: str, where: object) -> SessionNotFound:
    return SessionNotFound(f"no loop run '{run_id}' in {where}")


def check_scorecard(state: InterviewState, scorecard: Scorecard | None) -> None:
    if scorecard is not None and scorecard.question_id != state.question_id:
        raise ValueError(
            f"the scorecard is for question '{scorecard.question_id}' but the state is for '{state.question_id}'"
        )


def check_same_question(session_id: str, stored: str, state: InterviewState) -> None:
    if stored != state.question_id:
        raise ValueError(
            f"session '{session_id}' is an interview on '{stored}'; refusing to overwrite it "
            f"with a state for '{state.question_id}'"
        )


def check_snapshot_fits(ref: str, question_id: str, version: int, state: InterviewState) -> None:
    if (question_id, version) != (state.question_id, state.rubric_version):
        raise ValueError(
            f"rubric snapshot '{ref}' is version {version} of '{question_id}', but the state is "
            f"an interview on version {state.rubric_version} of '{state.question_id}'"
        )


def check_same_loop(run_id: str, stored: str, run: LoopRun) -> None:
    if stored != run.loop_id:
        raise ValueError(
            f"loop run '{run_id}' is a run of '{stored}'; refusing to overwrite it with a run of '{run.loop_id}'"
        )
