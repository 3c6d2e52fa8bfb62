"""Reading a turn with a language model: the same structured Reading as the offline reader, checked
against the turn and the rubric, with the offline reading whenever the model cannot be used.

The model reads only what wording rules read poorly: turns with an answer in them. A turn that
only asks for the facts, the time, a repeat or a hint is read offline, so it costs no model call.
In the same call the model phrases the reply the engine will most likely make (`say`), so a turn
whose reading does not change that reply costs one call in all.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable

from pydantic import Field, ValidationError

from interviewer.listening.lexicon import LEXICON
from interviewer.listening.offline_reader import read_turn
from interviewer.listening.reading import Heard, Reading, Record
from interviewer.llm.errors import LLMError
from interviewer.llm.health import ServerHealth
from interviewer.llm.protocol import LLMClient, Message, Usage
from interviewer.prompts import CANDIDATE_BLOCK, as_data, render_prompt
from interviewer.rubric.models import Rubric

READING_SECONDS = 4.0  # the reading comes before any word of the reply: it must be quick
MAX_READING_TOKENS = 600
NOTHING_TO_SAY = "Leave `say` empty."


class ModelReply(Record):
    """What the model returns: its reading first, then the words it was asked to phrase."""

    reading: Reading
    say: str = Field(default="", description="The interviewer's next turn, when asked for; else empty.")


class ReadingTooSlow(LLMError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"The language model took longer than {seconds:g} s to read the turn; read offline instead.")


class ModelListener:
    def __init__(self, client: LLMClient, health: ServerHealth, seconds: float = READING_SECONDS) -> None:
        self.client, self.health, self.seconds = client, health, seconds
        self.name = f"llm:{client.model}"
        self.usage: list[Usage] = []  # one entry per model reading, for the benchmark and the logs

    def read(self, text: str, rubric: Rubric, asked: str | None, say: str | None = None) -> Heard:
        offline = read_turn(text, rubric)
        if not offline.said or not self.health.available():
            return Heard(reading=offline)
        try:
            reply = _within(self.seconds, lambda: self._ask(text, rubric, asked, say))
        except (LLMError, ValidationError, ValueError) as error:
            if getattr(error, "server_fault", True):
                self.health.failed(error)
            return Heard(reading=offline)
        self.health.succeeded()
        return Heard(reading=checked(reply.reading, text, rubric, offline), line=reply.say.strip() if say else None)

    def _ask(self, text: str, rubric: Rubric, asked: str | None, say: str | None) -> ModelReply:
        system = render_prompt(
            "listener", title=rubric.title, prompt=rubric.prompt, asked=asked or rubric.prompt,
            facts=_listed((f.id, "; ".join(f.cues)) for f in rubric.facts),
            red_flags=_listed((f.id, f.claim) for f in rubric.red_flags),
            techniques=_listed([(t.id, t.name) for t in rubric.techniques] + [(t.id, t.name) for t in LEXICON]),
            say=render_prompt("listener_say", instruction=say) if say else NOTHING_TO_SAY,
        )
        turn = Message.user(f"<{CANDIDATE_BLOCK}>{as_data(text)}</{CANDIDATE_BLOCK}>")
        reply = self.client.structured([Message.system(system), turn], ModelReply, max_tokens=MAX_READING_TOKENS,
                                       temperature=0.0)
        self.usage.append(reply.usage)
        return reply.value


def checked(reading: Reading, text: str, rubric: Rubric, offline: Reading) -> Reading:
    """The model's reading with everything it could not know dropped: ids not in the rubric, and
    quotes that are not the candidate's words. Whether the turn asks for the end or a hint, and
    what it tells the interviewer to do, stay as the offline reader read them: a model misled by
    the turn must not end an interview or let an instruction through."""
    facts = {f.id for f in rubric.facts}
    flags = {f.id for f in rubric.red_flags}
    names = {t.id: t.name for t in (*LEXICON, *rubric.techniques)}
    said = [s for s in reading.said if _in_turn(s, text)]
    return reading.model_copy(update={
        "said": said or offline.said,
        "questions": [q.model_copy(update={"fact_id": q.fact_id if q.fact_id in facts else None}) for q in reading.questions],
        "claims": [c for c in reading.claims if c.red_flag_id in flags and _in_turn(c.quote, text)],
        "techniques": [t.model_copy(update={"name": names[t.technique_id]}) for t in reading.techniques
                       if t.technique_id in names and _in_turn(t.quote, text)],
        "instruction": offline.instruction,
        "done": offline.done,
        "wants_hint": offline.wants_hint,
    })


def _in_turn(quote: str, text: str) -> bool:
    return bool(quote.strip()) and _squeezed(quote) in _squeezed(text)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _listed(items) -> str:  # type: ignore[no-untyped-def]
    lines = [f"- {item_id}: {about}" for item_id, about in items]
    return "\n".join(lines) or "(none)"


def _within(seconds: float, ask: Callable[[], ModelReply]) -> ModelReply:
    """The model's reading, or ReadingTooSlow: a hung server must not hold the turn."""
    result: queue.Queue[object] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            result.put(ask())
        except BaseException as error:  # noqa: BLE001 - handed to the waiting turn
            result.put(error)

    threading.Thread(target=run, name="llm-listener", daemon=True).start()
    try:
        item = result.get(timeout=seconds)
    except queue.Empty:
        raise ReadingTooSlow(seconds) from None
    if isinstance(item, BaseException):
        raise item
    return item  # type: ignore[return-value]
