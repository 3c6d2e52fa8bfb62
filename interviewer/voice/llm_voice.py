"""The LLM voice: the model phrases the engine's question, grounded in what the candidate just said.

What must be exact is not the model's to phrase: the opening question and the scenario's facts
are said as the rubric writes them (as are repeats, time left and the close). The model phrases
the main beat only, and sees only the instruction for it and the conversation, with the
candidate's words delimited as data. A line that drifts from the intended move (too long, no
question when one is due, or about something else) is replaced by the built-in line.
"""

from __future__ import annotations

from collections.abc import Iterator

from interviewer.engine.state import Beat, InterviewState, Move
from interviewer.llm.errors import LLMError
from interviewer.llm.protocol import LLMClient, Message
from interviewer.matching.text import content_stems
from interviewer.prompts import CANDIDATE_BLOCK, as_data, render_prompt
from interviewer.rubric.models import Rubric
from interviewer.voice.templates import render_beat, short_quote

MAX_TURN_CHARS = 700  # three spoken sentences, generously; more means the model went off script
MIN_TURN_CHARS = 8
MAX_TURN_TOKENS = 220
MIN_SHARED = 0.3  # share of the intended question's content words a phrasing must keep
PHRASED = frozenset({"probe", "deepen", "dig", "challenge", "narrow", "rephrase", "steer-back", "move-along", "hint"})


class UnusableReply(LLMError):
    """The model answered, but with nothing usable as a spoken turn."""


class OffScript(LLMError):
    """The model's line drifted from the move; the built-in line is said instead, without telling
    the candidate anything failed (the server is fine)."""

    server_fault = False


# What the model is told to do for each kind of move; {ask} is the question the engine chose.
_INSTRUCTIONS = {
    "challenge": "The candidate said: \"{quote}\". Question that claim, without saying what is wrong with it, by "
                 "asking in your own words: {ask}",
    "dig": "The candidate mentioned {technique}. Ask about that choice, in your own words: {ask}",
    "narrow": "The candidate is stuck. Reassure them in a few words, then ask this smaller question: {ask}",
    "rephrase": "The candidate did not follow your last question. Come at it from another angle with this one: {ask}",
    "steer-back": "The candidate drifted off the topic. Bring them back politely, then ask: {ask}",
    "move-along": "Say that you need to move on to {phase}, then ask: {ask}",
    "hint": "Give this hint, and nothing more: {hint}",
}
_FOLLOW_UP = ("Say back in a few words what the candidate just said (only if they said something), then ask this "
              "follow-up in your own words without hinting at the answer: {ask}")


def instruction(beat: Beat, rubric: Rubric) -> str:
    """What the interviewer must say next, in words for the model."""
    hint = rubric.criterion(beat.criterion_id).hint if beat.kind == "hint" else None
    return _INSTRUCTIONS.get(beat.kind, _FOLLOW_UP).format(
        ask=beat.follow_up, quote=short_quote(beat.quote or ""), technique=beat.technique, phase=beat.phase_name,
        hint=hint,
    )


def conversation(state: InterviewState) -> list[Message]:
    return [
        Message.assistant(t.text) if t.role == "interviewer"
        else Message.user(f"<{CANDIDATE_BLOCK}>{as_data(t.text)}</{CANDIDATE_BLOCK}>")
        for t in state.turns
    ]


class LLMVoice:
    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.name = f"llm:{client.model}"

    def speak(self, move: Move, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        turn = sum(t.role == "interviewer" for t in state.turns)
        phrased = phrasing_for(move, rubric) is not None
        # The model says back what the candidate said itself; everything else before it is exact.
        before = [beat for beat in move.before if beat.kind != "acknowledge"]
        exact = [render_beat(beat, rubric, turn) for beat in (before if phrased else move.beats)]
        said = " ".join(line for line in exact if line)
        if not phrased:
            yield said
            return
        if said:
            yield said + " "
        if move.phrased is not None:  # written by the model as it read the turn: no second call
            _check_line(move.phrased, move, rubric)
            yield move.phrased
            return
        yield from self._phrase(move, state, rubric)

    def _phrase(self, beat: Beat, state: InterviewState, rubric: Rubric) -> Iterator[str]:
        system = render_prompt("interviewer", title=rubric.title, instruction=instruction(beat, rubric))
        messages = [Message.system(system), *conversation(state)]
        spoken = ""
        for chunk in self.client.stream(messages, max_tokens=MAX_TURN_TOKENS, temperature=0.4):
            spoken += chunk
            if len(spoken) > MAX_TURN_CHARS:
                raise UnusableReply("The model's turn ran far longer than a spoken turn; using the built-in voice.")
            yield chunk
        _check_line(spoken, beat, rubric)


def phrasing_for(move: Move, rubric: Rubric) -> str | None:
    """The instruction a model phrases `move` from, or None when the move is said as written."""
    if move.kind not in PHRASED or (move.kind == "hint" and not move.criterion_id):
        return None
    return instruction(move, rubric)


def _check_line(spoken: str, beat: Beat, rubric: Rubric) -> None:
    if not spoken.strip():
        raise UnusableReply("The model returned an empty turn; using the built-in voice.")
    if len(spoken) > MAX_TURN_CHARS:
        raise UnusableReply("The model's turn ran far longer than a spoken turn; using the built-in voice.")
    drift = drifted(spoken, beat, rubric)
    if drift:
        raise OffScript(f"The model's line drifted from the move ({drift}); the built-in line was said instead.")


def drifted(text: str, beat: Beat, rubric: Rubric) -> str | None:
    """Why a model's line does not do what the beat asks, or None when it does."""
    if len(text.strip()) < MIN_TURN_CHARS:
        return "too short"
    if beat.kind != "hint" and "?" not in text:
        return "no question"
    intended = beat.follow_up if beat.kind != "hint" else rubric.criterion(beat.criterion_id).hint
    wanted = set(content_stems(intended or ""))
    if wanted and len(wanted & set(content_stems(text))) < MIN_SHARED * len(wanted):
        return "about something else"
    return None
