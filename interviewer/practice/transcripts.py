"""Reading back a transcript for the coach's grader: pasted text, a text file, or a JSON export
(one question's, as the app and `interviewer practice --transcript-out` write it, or a loop's).

Uploads are bytes the candidate or coach sent; nothing here opens a path.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from interviewer.engine.state import InterviewState
from interviewer.export.json_document import SCHEMA_NAME
from interviewer.export.loop import LOOP_SCHEMA_NAME
from interviewer.grading.offline import answers_in
from interviewer.practice.limits import MAX_UPLOAD_BYTES
from interviewer.practice.records import PracticeError

TEXT_SUFFIXES = (".txt", ".md", ".json")


def answers_from_upload(data: bytes, name: str, question_id: str) -> str:
    """The candidate's words in an uploaded file, for grading against `question_id`."""
    if not name.lower().endswith(TEXT_SUFFIXES):
        raise PracticeError(f"'{name}' is not a transcript: upload a .txt or .md file, or a JSON export from this app.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PracticeError(
            f"'{name}' is {len(data) / 1024:,.0f} KB; transcripts up to {MAX_UPLOAD_BYTES // 1024} KB are accepted. "
            "Upload the candidate's answers only."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PracticeError(f"'{name}' is not a text file (it is binary, or not UTF-8): save it as UTF-8 text.") from None
    if "\x00" in text:
        raise PracticeError(f"'{name}' is a binary file, not a transcript: upload text, Markdown or a JSON export.")
    if name.lower().endswith(".json"):
        return answers_from_json(text, name, question_id)
    return text


def answers_from_json(text: str, name: str, question_id: str) -> str:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PracticeError(f"'{name}' is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).") from None
    if isinstance(document, dict) and document.get("schema") == LOOP_SCHEMA_NAME:
        return _loop_answers(document, name, question_id)
    return answers_in(_session_state(document, name, question_id))


def _session_state(document: Any, name: str, question_id: str) -> InterviewState:
    # "state" is the export's key; "session" the key of files written before the one format.
    raw = document.get("state") or document.get("session") if isinstance(document, dict) else None
    if not isinstance(raw, dict):
        raise PracticeError(f"'{name}' is JSON but not a transcript exported by this app ({SCHEMA_NAME}).")
    try:
        state = InterviewState.model_validate(raw)
    except ValidationError as error:
        raise PracticeError(f"'{name}' looks like an export but its session does not read back: {error.error_count()} problem(s).") from None
    if state.question_id != question_id:
        raise PracticeError(
            f"'{name}' is an interview on '{state.question_id}', not '{question_id}': pick that rubric to grade it."
        )
    return state


def _loop_answers(document: dict[str, Any], name: str, question_id: str) -> str:
    questions = document.get("questions")
    if not isinstance(questions, list):
        raise PracticeError(f"'{name}' is a loop export without its questions.")
    held = [q.get("state", {}).get("question_id") for q in questions if isinstance(q, dict) and isinstance(q.get("state"), dict)]
    if question_id not in held:
        raise PracticeError(f"'{name}' holds no answers to '{question_id}'; it holds: {', '.join(map(str, held)) or 'none'}.")
    return answers_in(_session_state(questions[held.index(question_id)], name, question_id))
