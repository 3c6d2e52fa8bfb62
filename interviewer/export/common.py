"""What every export format shows the same way: labels, times, checks."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from interviewer.engine.state import InterviewState, Turn
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric.models import Rubric
from interviewer.speech.metrics import DeliveryMetrics

EXPORT_SCHEMA_VERSION = 1
ROLE_LABELS = {"interviewer": "Interviewer", "candidate": "Candidate"}
Delivery = DeliveryMetrics


def delivery_figures(delivery: DeliveryMetrics) -> dict[str, float | int | None]:
    """The delivery figures a person reads, in the order they are shown."""
    return {
        "spoken_answers": delivery.answers,
        "words_per_minute": delivery.words_per_minute,
        "fillers_per_minute": delivery.fillers_per_minute,
        "long_pauses": delivery.long_pause_count,
        "longest_pause_seconds": delivery.longest_pause_seconds,
        "talk_seconds": delivery.talk_seconds,
    }


def utc_now() -> datetime:
    return datetime.now(UTC)


def check_matches(state: InterviewState, rubric: Rubric, scorecard: Scorecard | None) -> None:
    if rubric.id != state.question_id:
        raise ValueError(f"the rubric is '{rubric.id}' but the session is an interview on '{state.question_id}'")
    if scorecard is not None and scorecard.question_id != state.question_id:
        raise ValueError(
            f"the scorecard is for '{scorecard.question_id}' but the session is an interview on '{state.question_id}'"
        )


def graded_version(state: InterviewState, scorecard: Scorecard | None) -> int:
    return scorecard.rubric_version if scorecard is not None else state.rubric_version


def version_note(state: InterviewState, rubric: Rubric, scorecard: Scorecard | None) -> str | None:
    """Said when the rubric shown (model answer, prompt) is not the one the session was graded with."""
    version = graded_version(state, scorecard)
    if version == rubric.version:
        return None
    verb = "graded" if scorecard is not None else "held"
    return (
        f"This interview was {verb} against version {version} of the rubric; "
        f"the question and model answer shown are from version {rubric.version}."
    )


def when(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def elapsed(state: InterviewState, turn: Turn) -> str:
    """Time into the interview, as a transcript timestamp (mm:ss, or h:mm:ss)."""
    seconds = max(0, int((turn.at - state.started_at).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def duration_minutes(state: InterviewState) -> float:
    if not state.turns:
        return 0.0
    return max(0.0, (state.turns[-1].at - state.started_at).total_seconds() / 60)


def session_line(state: InterviewState) -> str:
    # Hint requests and "I'm done" are turns, not answers.
    candidate_turns = sum(1 for t in state.turns if t.role == "candidate" and t.intent in ("answer", "question", None))
    return (
        f"Started {when(state.started_at)}, {duration_minutes(state):.0f} min, "
        f"{candidate_turns} answer{'s' if candidate_turns != 1 else ''}"
    )


def metric_label(name: str) -> str:
    words = name.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def metric_value(value: float | None) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def band_label(band: str) -> str:
    return band.replace("-", " ")


def level_text(level: int) -> str:
    return f"{level} of 3"
