"""What the Interview tab's components do: thin handlers over the practice service.

Handlers turn the service's steps into updates keyed by component; they never grade, save or
write files themselves. Every handler is also a public HTTP endpoint, so none trusts its
arguments: the owner comes from server-side state, and the service checks it on every call.
"""

from __future__ import annotations

import random
from functools import partial, wraps
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import gradio as gr

from interviewer.practice.records import Practice, PracticeError, Step
from interviewer.practice.setup import PracticeApp
from interviewer.ui.interview_tab import InterviewView
from interviewer.ui.render import chat_messages, clock_html, question_choices
from interviewer.ui.scorecard_view import loop_scorecard_html, scorecard_html

Updates = dict[Any, Any]
# What a turn may change, in the order API callers see the outputs.
TURN = ("practice", "chat", "clock", "scorecard", "next_question", "answer", "heard",
        "download_md", "download_json", "download_html", "confirm", "confirm_text", "wanted", "picker", "loop_picker")


class InterviewEvents:
    def __init__(self, app: PracticeApp, view: InterviewView, owner: gr.State, browser: gr.BrowserState) -> None:
        self.app, self.view, self.owner, self.browser = app, view, owner, browser

    # Rendering

    def show(self, practice: Practice | None, speaking: str | None = None) -> Updates:
        view = self.view
        rubric = self.app.service.rubric(practice) if practice else None
        return {
            view.practice: practice,
            view.chat: chat_messages(practice, speaking),
            view.clock: clock_html(practice.state if practice else None, rubric, datetime.now(UTC)),
            view.scorecard: self._card(practice),
            view.next_question: gr.update(visible=bool(practice and practice.loop and not practice.over)),
        }

    def _card(self, practice: Practice | None) -> str:
        if practice is None:
            return ""
        if practice.loop is not None:
            return loop_scorecard_html(practice.loop.scorecard) if practice.loop.scorecard else ""
        if practice.scorecard is None or not practice.over:
            return ""
        return scorecard_html(practice.scorecard, self.app.service.rubric(practice), practice.delivery)

    def downloads(self, practice: Practice | None) -> Updates:
        """Files are written once the practice is scored, and offered then; never mid-interview."""
        if practice is None or not practice.scored:
            return {button: gr.update(visible=False, value=None) for button in self.view.downloads.values()}
        files = self.app.exports.files(practice)
        return {button: gr.update(visible=True, value=str(files[fmt])) for fmt, button in self.view.downloads.items()}

    def stream(self, steps: Iterator[Step], *, typed: bool = False) -> Iterator[Updates]:
        """The service's steps as page updates; the final one offers the downloads when scored."""
        practice = None
        try:
            for index, step in enumerate(steps):
                practice = step.practice
                update = self.show(practice, step.speaking)
                if step.heard is not None:
                    update[self.view.heard] = step.heard
                if typed and index == 0:  # only once the turn is stored; later updates leave the box alone
                    update[self.view.answer] = ""
                if step.notice:
                    gr.Warning(step.notice)
                yield update
        except PracticeError as error:
            gr.Warning(str(error))
            return
        if practice is not None:
            yield self.downloads(practice)

    # Starting

    def request_start(self, owner: str, current: Practice | None, wanted_id: str | None, *, kind: str) -> Iterator[Updates]:
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
        yield from self._start(owner, kind, wanted_id)

    def confirmed(self, owner: str, current: Practice | None, wanted: tuple[str, str] | None) -> Iterator[Updates]:
        yield {self.view.confirm: gr.update(visible=False), self.view.wanted: None}
        if current is not None:
            for _ in self.stream(self.app.service.end(current)):
                pass  # ended and scored: it stays in History
        if wanted:
            yield from self._start(owner, *wanted)

    def _start(self, owner: str, kind: str, wanted_id: str) -> Iterator[Updates]:
        service = self.app.service
        steps = service.start(owner, wanted_id) if kind == "question" else service.start_loop(owner, wanted_id)
        yield {self.view.heard: "", **self.downloads(None)}
        yield from self.stream(steps)

    # Turns

    def typed(self, text: str, current: Practice | None) -> Iterator[Updates]:
        if current is None:
            gr.Warning("Press Start to begin an interview.")
            return
        yield from self.stream(self.app.service.answer(current, text or ""), typed=True)

    def spoken(self, audio: tuple[int, Any] | None, current: Practice | None) -> Iterator[Updates]:
        if audio is None or current is None:
            return
        rate, samples = audio
        yield from self.stream(self.app.service.hear(current, samples, rate))

    def hint(self, current: Practice | None) -> Iterator[Updates]:
        if current is not None:
            yield from self.stream(self.app.service.hint(current))

    def next_question(self, current: Practice | None) -> Iterator[Updates]:
        if current is None or current.loop is None:
            gr.Info("'Next question' moves on inside an interview loop.")
            return
        yield from self.stream(self.app.service.next_question(current))

    def end(self, current: Practice | None) -> Iterator[Updates]:
        if current is not None:
            yield from self.stream(self.app.service.end(current))

    def resume(self, owner: str, kept: dict[str, Any] | None) -> Iterator[Updates]:
        """On page load: reopen this browser's practice where it was, with its question picked."""
        key = (kept or {}).get("practice")
        if not owner or not isinstance(key, str) or not key:
            return
        practice = None
        for update in self.stream(self.app.service.resume(owner, key)):
            practice = update.get(self.view.practice, practice)
            yield update
        if practice is not None:
            yield self._picked(practice)

    def _picked(self, practice: Practice) -> Updates:
        if practice.loop is not None:
            return {self.view.loop_picker: gr.update(value=practice.loop.loop_id)}
        return {self.view.picker: gr.update(value=practice.state.question_id)}

    def speak_last_turn(self, current: Practice | None, muted: bool) -> Any:
        """The interviewer's last words as audio: a separate event, so the next answer never waits for it."""
        if muted or current is None or not current.state.turns or current.state.turns[-1].role != "interviewer":
            return None
        try:
            return self.app.service.speak(current.state.turns[-1].text)
        except Exception:  # noqa: BLE001 - speech is an extra: the text turn stands without it
            gr.Warning("The interviewer's voice is not available just now; the reply is in the chat.")
            return None

    # The browser's own memory: which practice to resume, and whether it is muted

    def remember(self, kept: dict[str, Any] | None, current: Practice | None, muted: bool) -> dict[str, Any]:
        return {**(kept or {}), "practice": current.key if current else None, "muted": bool(muted)}

    # Pickers

    def refresh_picker(self, category: str, difficulty: str) -> Updates:
        choices = question_choices(list(self.app.bank.rubrics.values()), category, difficulty)
        return {self.view.picker: gr.update(choices=choices, value=choices[0][1] if choices else None)}

    def draw(self, category: str, difficulty: str) -> Updates:
        choices = question_choices(list(self.app.bank.rubrics.values()), category, difficulty)
        return {self.view.picker: gr.update(value=random.choice(choices)[1] if choices else None)}


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
            yield {untouched: gr.update()}

    return wrapped


def _markdown_safe(text: str) -> str:
    """A coach-written title inside Markdown: its own syntax characters shown as typed."""
    return "".join("\\" + ch if ch in "\\`*_[]()#<>!|" else ch for ch in text)


def wire_interview(events: InterviewEvents) -> None:
    view, owner, browser = events.view, events.owner, events.browser
    turn = view.outputs(*TURN)
    remember = dict(fn=events.remember, inputs=[browser, view.practice, view.mute], outputs=browser, api_name="remember")
    speak = dict(fn=events.speak_last_turn, inputs=[view.practice, view.mute], outputs=view.speaker,
                 api_name="speak_last_turn")

    def chained(event: Any) -> None:
        event.then(**remember).then(**speak)

    view.category.change(events.refresh_picker, [view.category, view.difficulty], view.picker)
    view.difficulty.change(events.refresh_picker, [view.category, view.difficulty], view.picker)
    view.draw.click(events.draw, [view.category, view.difficulty], view.picker)
    start_question, start_loop = (never_empty(partial(events.request_start, kind=kind), view.chat) for kind in ("question", "loop"))
    chained(view.start.click(start_question, [owner, view.practice, view.picker], turn, api_name="start_interview"))
    chained(view.start_loop.click(start_loop, [owner, view.practice, view.loop_picker], turn, api_name="start_loop_interview"))
    chained(view.confirm_go.click(never_empty(events.confirmed, view.chat), [owner, view.practice, view.wanted], turn, api_name="confirm_start"))
    view.confirm_stay.click(lambda: {view.confirm: gr.update(visible=False), view.wanted: None}, None,
                            [view.confirm, view.wanted], api_name="keep_going")
    # An answer sent while the last turn is still finishing waits for it ("once" would drop it).
    for trigger, name in ((view.send.click, "take_turn"), (view.answer.submit, None)):
        chained(trigger(never_empty(events.typed, view.chat), [view.answer, view.practice], turn, trigger_mode="always_last", api_name=name))
    chained(view.hint.click(never_empty(events.hint, view.chat), [view.practice], turn, api_name="ask_hint"))
    chained(view.next_question.click(never_empty(events.next_question, view.chat), [view.practice], turn, api_name="skip_to_next"))
    chained(view.end.click(never_empty(events.end, view.chat), [view.practice], turn, api_name="end_interview"))
    chained(view.mic.stop_recording(never_empty(events.spoken, view.chat), [view.mic, view.practice], turn, api_name="voice_turn"))
    view.mute.change(**remember)
