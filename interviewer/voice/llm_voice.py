"""The LLM voice: the model phrases the engine's move, and is told nothing the move does not need.

It never sees the levels, the concepts or the model answer, so it cannot leak them; it sees
only the instruction for this turn (a follow-up, a fact, a hint) and the conversation so far,
with the candidate's words delimited as data.
"""

from __future__ import annotations

from collections.abc import Iterator

from interviewer.engine.state import InterviewState, Move
from interviewer.llm.errors import LLMError
from interviewer.llm.protocol import LLMClient, Message
from interviewer.prompts import CANDIDATE_BLOCK, as_data, render_prompt
from interviewer.rubric.models import Rubric

MAX_TURN_CHARS = 700  # three spoken sentences, generously; more means the model went off script
MAX_TURN_TOKENS = 220


class UnusableReply(LLMError):
    """The model answered, but with nothing usable as a spoken turn."""


def instruction(move: Move, rubric: Rubric) -> str:
    """What the interviewer must say next, in words for the model."""
    if move.kind == "open":
        return f"Open the interview by presenting this question, keeping all its content: {rubric.prompt}"
    if move.kind == "answer-fact":
        fact = next(f for f in rubric.facts if f.id == move.fact_id)
        return f"Answer the candidate's question using only this information: {fact.answer}"
    if move.kind == "ask-assumption":
        return "You have no information about what the candidate asked. Say so, and ask them to state an assumption and carry on."
    if move.kind == "probe":
        return f"Acknowledge briefly, then ask this follow-up in your own words without hinting at the answer: {move.follow_up}"
    if move.kind == "move-along":
        return f"Say that you need to move on to {move.phase_name}, then ask: {move.follow_up}"
    if move.kind == "hint":
        return f"Give this hint, and nothing more: {rubric.criterion(move.criterion_id).hint}"
    if move.kind == "no-hint":
        return "Decline to give another hint, and suggest they go deeper on the part they feel is weakest."
    if move.kind == "wrap-up":
        return "Say you are nearly done and ask whether they would add or change anything before you wrap up."
    if move.kind == "time-up":
        return "Say that time is up and ask for a one-sentence summary of their approach."
    return "Thank the candidate, end the interview, and say their scorecard is ready."


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
        system = render_prompt("interviewer", title=rubric.title, instruction=instruction(move, rubric))
        spoken = ""
        for chunk in self.client.stream([Message.system(system), *conversation(state)], max_tokens=MAX_TURN_TOKENS, temperature=0.4):
            spoken += chunk
            if len(spoken) > MAX_TURN_CHARS:
                raise UnusableReply("The model's turn ran far longer than a spoken turn; using the built-in voice.")
            yield chunk
        if not spoken.strip():
            raise UnusableReply("The model returned an empty turn; using the built-in voice.")
