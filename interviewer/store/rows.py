"""Reading stored rows back into records, the same way for every SQL backend.

A row is anything indexable by column name (sqlite3.Row, a psycopg dict row); its timestamps may
be ISO text or datetimes, as pydantic reads both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from interviewer.engine.state import InterviewState
from interviewer.grading.scorecard import Scorecard
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store.delivery import read_delivery
from interviewer.store.records import Attempt, SessionSummary, StoredSession

log = logging.getLogger(__name__)

Row = Mapping[str, Any]
T = TypeVar("T")

# What a row that no longer parses raises.
ROW_ERRORS = (ValidationError, ValueError, TypeError, KeyError)


def stored_session(row: Row, where: object) -> StoredSession:
    return StoredSession(
        id=row["id"],
        owner=row["owner"],
        state=InterviewState.model_validate_json(row["state_json"]),
        rubric_ref=row["rubric_ref"],
        loop_run=row["loop_run"],
        scorecard=Scorecard.model_validate_json(row["scorecard_json"]) if row["scorecard_json"] else None,
        delivery=_delivery(row, where),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
    )


def _delivery(row: Row, where: object) -> DeliveryMetrics | None:
    if not row["delivery_json"]:
        return None
    delivery = read_delivery(row["delivery_json"])
    if delivery is None:
        # Delivery is a side figure: losing it must not cost the candidate the session.
        log.warning("dropping delivery figures of session %r in %s that no longer read", row["id"], where)
    return delivery


def summary(row: Row) -> SessionSummary:
    # Parse the JSON too: a session listed is a session that opens.
    InterviewState.model_validate_json(row["state_json"])
    if row["scorecard_json"]:
        Scorecard.model_validate_json(row["scorecard_json"])
    return SessionSummary(
        id=row["id"],
        question_id=row["question_id"],
        title=row["title"],
        rubric_ref=row["rubric_ref"],
        rubric_version=row["rubric_version"],
        phase=row["phase"],
        turns=row["turns"],
        started_at=row["started_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        score=row["score"],
        band=row["band"],
    )


def attempt(row: Row) -> Attempt:
    return Attempt(
        session_id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        scorecard=Scorecard.model_validate_json(row["scorecard_json"]),
    )


def readable(rows: Iterable[Row], read: Callable[[Row], T], where: object) -> Iterator[T]:
    """Each row read, in order, lazily; a row that no longer parses is logged and skipped."""
    for row in rows:
        try:
            yield read(row)
        except ROW_ERRORS as error:
            skip(row, error, where)


def skip(row: Row, error: Exception, where: object) -> None:
    log.warning("skipping unreadable session %r in %s: %s", row["id"], where, short(error))


def short(error: Exception) -> str:
    # One log line per skipped row, however verbose the validation error.
    text = " | ".join(line.strip() for line in str(error).splitlines() if "errors.pydantic.dev" not in line)
    return text if len(text) <= 300 else text[:300] + "..."
