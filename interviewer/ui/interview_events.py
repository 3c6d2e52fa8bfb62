"""What the Interview tab's components do: thin handlers over the practice service.

Handlers turn the service's steps into updates keyed by component; they never grade, save or
write files themselves. Every handler is also a public HTTP endpoint, so none trusts its
arguments: the owner comes from server-side state, and the service checks it on every call.

Each event lists only the outputs it may change, and every update sets them all: Gradio
rebuilds the configuration of any output an update leaves out (milliseconds for a chat), which
under a class's load was most of a turn's cost. What changes rarely follows in events of its
own, triggered by a change of server-side state rather than after every turn: the controls (Next
question, the downloads) when the practice's phase changes, the interviewer's voice when there
is a new line to speak and the candidate has not muted it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial, wraps
from typing import Any

import gradio as gr

from interviewer.practice.records import Practice, PracticeError, Step
from interviewer.practice.setup import PracticeApp
from interviewer.speech.turns import TurnTaking
from interviewer.ui.access import Access
from interviewer.ui.interview_tab import InterviewView
from interviewer.ui.live_answers import LiveAnswers
from interviewer.ui.render import chat_messages, clock_html, question_choices
from interviewer.ui.scorecard_view import loop_scorecard_html, scorecard_html
from interviewer.ui.voice_player import STOP_VOICE, SWITCH_MIC, sentence_value

Updates = dict[Any, Any]
# The outputs of each kind of event, in the order API callers see them (gr.State ones hidden).
TURN = ("practice", "phase", "chat", "clock", "scorecard")
TYPED = (*TURN, "answer")
SPOKEN = (*TURN, "heard")
START = (*SPOKEN, "confirm", "confirm_text", "wanted")
RESUME = (*TURN, "picker", "loop_picker")
LOST_PAGE = "This page lost its place on the server (it restarted, or another one took over): reload the page to carry on where you were."
CONTROLS = ("next_question", "download_md", "download_json", "download_html")


def phase_of(practice: Practice | None) -> tuple[Any, ...] | None:
    """What the controls depend on: which practice, whether it is over, and which scorecard it has."""
    if practice is None:
        return None
    card = practice.loop.scorecard if practice.loop else practice.scorecard
    return practice.key, practice.over, card.grader if card and practice.over else None


class InterviewEvents:
    def __init__(self, app: PracticeApp, view: InterviewView, owner: gr.State, browser: gr.BrowserState) -> None:
        self.app, self.view, self.owner, self.browser = app, view, owner, browser
        self.live = LiveAnswers()
        self.turns = TurnTaking.from_env()

    # Rendering

    def show(self, practice: Practice | None, speaking: str | None = None) -> Updates:
        view = self.view
        rubric = self.app.service.rubric(practice) if practice else None
        return {
            view.practice: practice,
            view.phase: phase_of(practice),
            view.chat: chat_messages(practice, speaking),
            view.clock: clock_html(practice.state if practice else None, rubric, datetime.now(UTC)),
            view.scorecard: self._card(practice),
        }

    def _card(self, practice: Practice | None) -> str:
        if practice is None:
            return ""
        if practice.loop is not None:
            return loop_scorecard_html(practice.loop.scorecard) if practice.loop.scorecard else ""
        if practice.scorecard is None or not practice.over:
            return ""
        return scorecard_html(practice.scorecard, self.app.service.rubric(practice), practice.delivery)

    def controls(self, practice: Practice | None) -> Updates:
        """Next question while a loop is open; the downloads once scored, written now."""
        view = self.view
        update = {view.next_question: gr.update(visible=bool(practice and practice.loop and not practice.over))}
        if practice is None or not practice.scored:
            return update | {button: gr.update(visible=False, value=None) for button in view.downloads.values()}
        files = self.app.exports.files(practice)
        return update | {button: gr.update(visible=True, value=str(files[fmt])) for fmt, button in view.downloads.items()}

    def stream(
        self, steps: Iterator[Step], muted: bool, *, typed: bool = False, also: Updates | None = None
    ) -> Iterator[Updates]:
        """The service's steps as page updates; `also` joins the first update."""
        try:
            for index, step in enumerate(steps):
                update = self.show(step.practice, step.speaking)
                if not muted and step.speaking is None and (line := last_line(step.practice)):
                    update[self.view.to_speak] = line
                if step.heard is not None:
                    update[self.view.heard] = step.heard
                if index == 0:
                    update |= also or {}
                    if typed:  # only once the turn is stored; later updates leave the box alone
                        update[self.view.answer] = ""
                if step.notice:
                    gr.Warning(step.notice)
                yield update
        except PracticeError as error:
            gr.Warning(str(error))

    # Starting

    def request_start(
        self, owner: str, current: Practice | None, wanted_id: str | None, muted: bool, *, kind: str
    ) -> Iterator[Updates]:
        if not wanted_id:
            gr.Warning("Pick a question first." if kind == "question" else "Pick a loop first.")
            return
        if current is not None and not current.over:
            title = self.app.service.rubric(current).title
            yield {
                self.view.confirm: gr.update(visible=True),
                self.view.confirm_text: f"You are in the middle of **{_markdown_safe(title)}**. Start anew?",
                self.view.wanted: (kind, wanted_id),
            }
            return
        yield from self._start(owner, kind, wanted_id, muted)

    def confirmed(
        self, owner: str, current: Practice | None, wanted: tuple[str, str] | None, muted: bool
    ) -> Iterator[Updates]:
        if current is not None:
            for _ in self.stream(self.app.service.end(current), muted=True):
                pass  # ended and scored: it stays in History
        if wanted:
            yield from self._start(owner, *wanted, muted)

    def _start(self, owner: str, kind: str, wanted_id: str, muted: bool) -> Iterator[Updates]:
        service = self.app.service
        steps = service.start(owner, wanted_id) if kind == "question" else service.start_loop(owner, wanted_id)
        hidden = {self.view.confirm: gr.update(visible=False), self.view.confirm_text: "", self.view.wanted: None}
        yield from self.stream(steps, muted, also={self.view.heard: "", **hidden})

    # Turns

    def typed(self, text: str, owner: str | None, current: Practice | None, muted: bool) -> Iterator[Updates]:
        if not owner:  # this server never saw the page load: it restarted, or a replica took over
            gr.Warning(LOST_PAGE)
            return
        if current is None:
            gr.Warning("Press Start to begin an interview.")
            return
        yield from self.stream(self.app.service.answer(current, text or ""), muted, typed=True)

    def listening(self, chunk: tuple[int, Any] | None, owner: str, current: Practice | None, hands_free: bool) -> Updates:
        """A quarter second of microphone, transcribed as it comes. Speaking over the interviewer
        stops its voice; in hands-free, a long enough pause ends the answer. Must stay quick:
        Gradio keeps only the latest chunk while a call runs."""
        view = self.view
        update: Updates = {view.heard: gr.skip(), view.barge: gr.skip(), view.turn_over: gr.skip()}
        if chunk is None or current is None or not owner or not current.answerable:
            return update
        key = (owner, current.key)
        try:
            live = self.live.feed(key, partial(self.app.service.listen, current), chunk[1], chunk[0])
        except (PracticeError, ValueError) as error:
            gr.Warning(str(error))
            return update
        if live.text:
            update[view.heard] = live.text
        if live.speaking and self.live.voice_playing(owner):
            self.live.voice_stopped(owner)
            update[view.barge] = time.monotonic()
        if hands_free and live.heard_speech and self.turns.over(live.said_so_far(), live.silence):
            self.live.end(key)
            update[view.turn_over] = time.monotonic()
        return update

    def spoken(self, owner: str, current: Practice | None, muted: bool) -> Iterator[Updates]:
        """The answer just spoken becomes the turn: on Stop, or when a hands-free pause ended it."""
        if current is None or not owner:
            return
        live = self.live.take((owner, current.key))
        if live is not None:
            yield from self.stream(self.app.service.heard(current, live), muted)

    def hint(self, current: Practice | None, muted: bool) -> Iterator[Updates]:
        if current is not None:
            yield from self.stream(self.app.service.hint(current), muted)

    def next_question(self, current: Practice | None, muted: bool) -> Iterator[Updates]:
        if current is None or current.loop is None:
            gr.Info("'Next question' moves on inside an interview loop.")
            return
        yield from self.stream(self.app.service.next_question(current), muted)

    def end(self, current: Practice | None, muted: bool) -> Iterator[Updates]:
        if current is not None:
            yield from self.stream(self.app.service.end(current), muted)

    def resume(self, owner: str, kept: dict[str, Any] | None) -> Iterator[Updates]:
        """On page load: reopen this browser's practice where it was, with its question picked."""
        key = (kept or {}).get("practice")
        if not owner or not isinstance(key, str) or not key:
            return
        for update in self.stream(self.app.service.resume(owner, key), muted=True):
            practice = update[self.view.practice]
            yield update | {self.view.picker: gr.skip(), self.view.loop_picker: gr.skip()} | self._picked(practice)

    def _picked(self, practice: Practice) -> Updates:
        if practice.loop is not None:
            return {self.view.loop_picker: gr.update(value=practice.loop.loop_id)}
        return {self.view.picker: gr.update(value=practice.state.question_id)}

    def speak_last_turn(self, owner: str, current: Practice | None) -> Iterator[Any]:
        """The interviewer's last words, a sentence at a time: a separate event, so the next answer
        never waits for it, and one that barge-in can cancel."""
        line = last_line(current)
        if line is None:
            return
        try:
            for seq, (rate, samples) in enumerate(self.app.service.speak(current.state.turns[-1].text)):
                self.live.voice_plays(owner or "", samples.size / rate)
                yield sentence_value(f"{line[0]}:{line[1]}", seq, rate, samples)
        except Exception:  # noqa: BLE001 - speech is an extra: the text turn stands without it
            gr.Warning("The interviewer's voice is not available just now; the reply is in the chat.")

    def remember(self, kept: dict[str, Any] | None, current: Practice | None, muted: bool) -> dict[str, Any]:
        """What the browser keeps: its secret, which practice to resume, and whether it is muted. With
        no practice on the page (the Mute box set while a reload is still resuming) the kept one stays."""
        kept = kept or {}
        return {**kept, "practice": current.key if current else kept.get("practice"), "muted": bool(muted)}

    # Pickers

    def refresh_picker(self, category: str, difficulty: str) -> Updates:
        choices = question_choices(list(self.app.bank.rubrics.values()), category, difficulty)
        return {self.view.picker: gr.update(choices=choices, value=choices[0][1] if choices else None)}

    def draw(self, category: str, difficulty: str) -> Updates:
        choices = question_choices(list(self.app.bank.rubrics.values()), category, difficulty)
        return {self.view.picker: gr.update(value=random.choice(choices)[1] if choices else None)}


def last_line(practice: Practice | None) -> tuple[str, int] | None:
    """Which interviewer line is the latest, when the practice ends with one: (session, turn number)."""
    if practice is None or not practice.state.turns or practice.state.turns[-1].role != "interviewer":
        return None
    return practice.session_id, len(practice.state.turns)


def never_empty(handler: Callable[..., Iterator[Updates]], untouched: Any) -> Callable[..., Iterator[Updates]]:
    """A handler that yields nothing would make Gradio set every output to None (wiping the
    chat and the answer box); this one yields an update that changes nothing instead."""

    @wraps(handler)
    def wrapped(*args: Any, **kwargs: Any) -> Iterator[Updates]:
        updated = False
        for update in handler(*args, **kwargs):
            updated = True
            yield update
        if not updated:
            yield {untouched: gr.skip()}

    return wrapped


def at_once(handler: Callable[..., Iterator[Updates]]) -> Callable[..., Updates]:
    """The handler as a plain function returning its updates merged: for when nothing streams (the
    built-in voice replies at once), since Gradio runs a generator in two more steps than a function."""

    @wraps(handler)
    def merged(*args: Any, **kwargs: Any) -> Updates:
        result: Updates = {}
        for update in handler(*args, **kwargs):
            result |= update
        return result

    return merged


def _markdown_safe(text: str) -> str:
    """A coach-written title inside Markdown: its own syntax characters shown as typed."""
    return "".join("\\" + ch if ch in "\\`*_[]()#<>!|" else ch for ch in text)


def wire_interview(events: InterviewEvents, streams: bool, access: Access) -> None:
    """`streams`: whether replies come in parts (a model's voice), to be shown as they grow."""
    view, owner, browser = events.view, events.owner, events.browser

    def mine(handler: Callable[..., Any], inputs: list[Any]) -> Callable[..., Any]:
        return access.own_page_only(handler, inputs, (owner, view.practice))

    remember_inputs = [browser, view.practice, view.mute]
    remember = dict(fn=mine(events.remember, remember_inputs), inputs=remember_inputs, outputs=browser, api_name="remember")

    def on(trigger: Any, handler: Callable[..., Iterator[Updates]], inputs: list[Any], outputs: tuple[str, ...],
           name: str | None, stream: bool = streams, **options: Any) -> Any:
        handler = never_empty(handler, view.practice)
        inputs = [*inputs, view.mute]
        return trigger(mine(handler if stream else at_once(handler), inputs), inputs, view.outputs(*outputs, "to_speak"),
                       api_name=name, **options)

    view.category.change(events.refresh_picker, [view.category, view.difficulty], view.picker)
    view.difficulty.change(events.refresh_picker, [view.category, view.difficulty], view.picker)
    view.draw.click(events.draw, [view.category, view.difficulty], view.picker)
    view.loop_picker.change(lambda chosen: gr.update(visible=bool(chosen)), view.loop_picker, view.start_loop)
    for button, picker, kind, name in ((view.start, view.picker, "question", "start_interview"),
                                       (view.start_loop, view.loop_picker, "loop", "start_loop_interview")):
        on(button.click, partial(events.request_start, kind=kind), [owner, view.practice, picker], START, name).then(**remember)
    on(view.confirm_go.click, events.confirmed, [owner, view.practice, view.wanted], START, "confirm_start").then(**remember)
    view.confirm_stay.click(lambda: {view.confirm: gr.update(visible=False), view.wanted: None}, None,
                            [view.confirm, view.wanted], api_name="keep_going")
    # An answer sent while the last turn is still finishing waits for it ("once" would drop it).
    for trigger, name in ((view.send.click, "take_turn"), (view.answer.submit, None)):
        on(trigger, events.typed, [view.answer, owner, view.practice], TYPED, name, trigger_mode="always_last")
    on(view.hint.click, events.hint, [view.practice], TURN, "ask_hint")
    on(view.next_question.click, events.next_question, [view.practice], TURN, "skip_to_next")
    on(view.end.click, events.end, [view.practice], TURN, "end_interview")
    # The microphone streams while it records; a second tab's stream must not wait for this one.
    listen_inputs = [view.mic, owner, view.practice, view.hands_free]
    view.mic.stream(mine(events.listening, listen_inputs), listen_inputs,
                    view.outputs("heard", "barge", "turn_over"), stream_every=0.25, time_limit=None,
                    concurrency_limit=None, api_name="listen", show_progress="hidden")
    # What was heard shows as soon as it is known, before the reply.
    on(view.mic.stop_recording, events.spoken, [owner, view.practice], SPOKEN, "voice_turn", stream=True)
    on(view.turn_over.change, events.spoken, [owner, view.practice], SPOKEN, "hands_free_turn", stream=True)
    view.hands_free.change(None, view.hands_free, None, js=SWITCH_MIC)
    view.phase.change(mine(events.controls, [view.practice]), view.practice, view.outputs(*CONTROLS), api_name="controls")
    speaking = view.to_speak.change(mine(events.speak_last_turn, [owner, view.practice]), [owner, view.practice],
                                    view.speaker, api_name="speak_last_turn")
    view.barge.change(None, view.barge, None, js=STOP_VOICE, cancels=[speaking])
    view.mute.change(**remember)
