"""The Interview tab: pick a question, talk or type, get follow-ups, end with a scorecard.

Every handler rebuilds an InterviewSession from the state kept in gr.State, lets the engine
decide, and saves the state to SQLite before returning, so a refresh or restart loses nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import BaseModel, ConfigDict, Field

from interviewer.engine.state import InterviewState
from interviewer.export.files import write_export
from interviewer.grading.scorecard import Scorecard
from interviewer.rubric import Rubric
from interviewer.engine.loop_state import LoopProgress
from interviewer.grading.loop_scorecard import LoopScorecard
from interviewer.loop_session import LoopSession
from interviewer.session import InterviewSession
from interviewer.speech.metrics import DeliveryMetrics
from interviewer.store import SessionNotFound, StoreError
from interviewer.ui.context import AppContext
from interviewer.ui.scorecard_view import loop_scorecard_html, scorecard_html
from interviewer.ui.views import chat_messages, question_choices, timer_text

HINT_REQUEST = "Could I have a hint?"
LOOP_KEY = "loop:"  # the browser's key names a loop run rather than a single session
CATEGORIES = ["All", "case-study", "system-design", "applied-modeling", "recommendation", "theory", "coding"]
DIFFICULTIES = ["All", "easy", "medium", "hard"]


class Live(BaseModel):
    """What one browser tab holds between events; deep-copyable, no clients."""

    model_config = ConfigDict(extra="forbid")

    session_id: str
    state: InterviewState
    scorecard: Scorecard | None = None
    delivery: dict[str, float] | None = Field(default=None, description="Speech delivery metrics so far.")
    loop: LoopProgress | None = Field(default=None, description="Set while the session is part of a loop.")
    loop_card: LoopScorecard | None = None
    loop_run_id: str | None = Field(default=None, description="The loop's row in the store, so a refresh resumes it.")


ADDITIVE = ("answers", "duration_seconds", "talk_seconds", "word_count", "filler_count", "long_pause_count")


def add_delivery(so_far: dict[str, float] | None, answer: DeliveryMetrics) -> dict[str, float]:
    """Session delivery figures after one more spoken answer: counts add up, rates are recomputed."""
    latest = answer.model_dump()
    totals = {key: (so_far or {}).get(key, 0) + latest[key] for key in ADDITIVE}
    minutes = totals["talk_seconds"] / 60
    totals["words_per_minute"] = round(totals["word_count"] / minutes, 1) if minutes else 0.0
    totals["fillers_per_minute"] = round(totals["filler_count"] / minutes, 1) if minutes else 0.0
    totals["longest_pause_seconds"] = max((so_far or {}).get("longest_pause_seconds", 0), latest["longest_pause_seconds"])
    return totals


def build_interview_tab(ctx: AppContext, session_key: gr.BrowserState) -> dict[str, Any]:
    live = gr.State(None)
    with gr.Row():
        category = gr.Dropdown(CATEGORIES, value="All", label="Category", scale=1)
        difficulty = gr.Dropdown(DIFFICULTIES, value="All", label="Difficulty", scale=1)
        picker = gr.Dropdown(label="Question", elem_id="question-picker", scale=3)
        draw = gr.Button("Random question", scale=0, elem_id="random-btn")
        start = gr.Button("Start", variant="primary", scale=0, elem_id="start-btn")
    with gr.Row():
        loop_picker = gr.Dropdown(label="...or a full interview loop", elem_id="loop-picker", scale=4)
        start_loop = gr.Button("Start loop", scale=0, elem_id="start-loop-btn")
        next_question = gr.Button("Next question", scale=0, elem_id="next-btn")
    clock = gr.Markdown(timer_text(None, None, datetime.now(UTC)), elem_id="timer")
    chat = gr.Chatbot(label="Interview", elem_id="chat", height=420)
    with gr.Row():
        answer = gr.Textbox(placeholder="Type your answer, or ask a clarifying question…", show_label=False, scale=5, elem_id="answer-box")
        send = gr.Button("Send", variant="primary", scale=0, elem_id="send-btn")
    with gr.Row():
        mic = gr.Audio(sources=["microphone"], type="numpy", label="Answer by voice", elem_id="mic", scale=3)
        with gr.Column(scale=2):
            heard = gr.Textbox(label="What I heard", interactive=False, elem_id="heard")
            mute = gr.Checkbox(label="Mute the interviewer's voice", value=False, elem_id="mute")
    speaker = gr.Audio(label="Interviewer", autoplay=True, interactive=False, elem_id="speaker")
    with gr.Row():
        hint = gr.Button("Hint", elem_id="hint-btn")
        end = gr.Button("End and score", variant="stop", elem_id="end-btn")
    scorecard = gr.HTML(elem_id="scorecard")
    with gr.Row():
        download_md = gr.DownloadButton("Markdown", visible=False, elem_id="download-md")
        download_json = gr.DownloadButton("JSON", visible=False, elem_id="download-json")
        download_html = gr.DownloadButton("HTML", visible=False, elem_id="download-html")
    ticker = gr.Timer(1.0)

    def rubric_of(current: Live | None) -> Rubric | None:
        return ctx.bank.rubrics.get(current.state.question_id) if current else None

    def refresh_picker(cat: str, diff: str):
        choices = question_choices(list(ctx.bank.rubrics.values()), cat, diff)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def draw_random(cat: str, diff: str):
        choices = question_choices(list(ctx.bank.rubrics.values()), cat, diff)
        return gr.update(value=random.choice(choices)[1] if choices else None)

    def downloads(current: Live | None) -> list[Any]:
        """Fresh files after every turn, so each download button works on the first click."""
        if current is None or (rubric := rubric_of(current)) is None:
            return [gr.update(visible=False)] * 3
        folder = Path(ctx.store.path).parent / "exports" / current.session_id
        folder.mkdir(parents=True, exist_ok=True)
        return [
            gr.update(value=str(write_export(fmt, current.state, rubric, current.scorecard, current.delivery, directory=folder)), visible=True)
            for fmt in ("md", "json", "html")
        ]

    def view(current: Live | None, pending: str | None = None) -> tuple:
        """The outputs every handler refreshes; the speaker is cleared until the new turn is spoken."""
        rubric = rubric_of(current)
        if current and current.loop_card:
            card = loop_scorecard_html(current.loop_card)
        elif current and current.scorecard and rubric and not current.loop:
            card = scorecard_html(current.scorecard, rubric, current.delivery)
        else:
            card = ""
        if current and current.loop:
            messages = loop_chat(current, pending)
        else:
            messages = chat_messages(current.state if current else None, pending)
        return current, messages, timer_text(current.state if current else None, rubric, datetime.now(UTC)), card, None

    def loop_chat(current: Live, pending: str | None) -> list[dict[str, str]]:
        """Every question of the loop so far, each introduced by its number and title."""
        messages, states, total = [], current.loop.states, len(current.loop.question_ids)
        for number, state in enumerate(states, start=1):
            rubric = ctx.bank.rubrics.get(state.question_id)
            title = rubric.title if rubric else state.question_id
            messages.append({"role": "assistant", "content": f"**Question {number} of {total}: {title}**"})
            messages += chat_messages(state, pending if number == len(states) else None)
        return messages

    outputs = [live, chat, clock, scorecard, speaker]
    download_buttons = [download_md, download_json, download_html]

    def save(current: Live) -> Live:
        try:
            ctx.store.save(current.session_id, current.state, current.scorecard, current.delivery)
            if current.loop and current.loop_run_id:
                ctx.store.save_loop(current.loop, current.loop_run_id)
        except StoreError as error:  # the session stays in the page; say so rather than lose the turn
            gr.Warning(f"Could not save this turn: {error}")
        return current

    def start_interview(question_id: str | None):
        if not question_id or question_id not in ctx.bank.rubrics:
            gr.Warning("Pick a question first.")
            yield (*view(None), None, *downloads(None))
            return
        session = InterviewSession(ctx.bank.get(question_id), voice=ctx.voice)
        for spoken in session.open():
            yield (*view(None, spoken), gr.update(), *[gr.update()] * 3)
        current = Live(session_id=ctx.store.create(session.state), state=session.state)
        yield (*view(current), current.session_id, *downloads(current))

    def speak_last_turn(current: Live | None, muted: bool):
        """The interviewer's last words as audio; a separate event, so the next answer never waits for it."""
        if muted or current is None or not current.state.turns or current.state.turns[-1].role != "interviewer":
            return None
        try:
            return ctx.speech[1].synthesize(current.state.turns[-1].text)
        except Exception as error:  # speech is an extra: the text turn stands without it
            gr.Warning(f"Could not speak the reply: {error}")
            return None

    def take_turn(
        text: str, current: Live | None, muted: bool, delivery: dict[str, float] | None = None, typed: bool = False
    ) -> Iterator[tuple]:
        text = (text or "").strip()
        if current is None or current.state.phase == "scored" or not text:
            if current is None:
                gr.Warning("Press Start to begin an interview.")
            yield (*view(current), gr.update(), *[gr.update()] * 3)  # the typed text stays in the box
            return
        updates = loop_turn(current, lambda run: run.reply(text), delivery) if current.loop else reply(text, current, delivery)
        yield from box_emptied_once(updates) if typed else updates

    def reply(text: str, current: Live, delivery: dict[str, float] | None) -> Iterator[tuple]:
        session = InterviewSession(rubric_of(current), voice=ctx.voice, state=current.state)
        spoken = ""
        for spoken in session.reply(text):
            yield (*view(current.model_copy(update={"state": session.state}), spoken), gr.update(), *[gr.update()] * 3)
        current = current.model_copy(update={"state": session.state, "delivery": delivery or current.delivery})
        if session.finished:
            current = current.model_copy(update={"scorecard": ctx.grader.grade_session(session.state, session.rubric)})
        save(current)
        yield (*view(current), gr.update(), *downloads(current))

    def box_emptied_once(updates: Iterator[tuple]) -> Iterator[tuple]:
        """The first update of a typed turn empties the answer box; later ones leave it alone, so the
        end of a slow turn cannot wipe what the candidate has started typing meanwhile."""
        box = len(outputs)
        for index, update in enumerate(updates):
            yield (*update[:box], "" if index == 0 else gr.update(), *update[box + 1 :])

    def typed_turn(text: str, current: Live | None, muted: bool) -> Iterator[tuple]:
        yield from take_turn(text, current, muted, typed=True)

    def end_interview(current: Live | None):
        if current is None or current.loop_card or (current.state.phase == "scored" and current.scorecard and not current.loop):
            return (*view(current), *downloads(current))
        if current.loop:
            run = loop_run(current)
            run.end()
            current = finish_loop(current, run)
            return (*view(current), *downloads(current))
        session = InterviewSession(rubric_of(current), voice=ctx.voice, state=current.state)
        state = session.end()
        current = current.model_copy(update={"state": state, "scorecard": ctx.grader.grade_session(state, session.rubric)})
        save(current)
        return (*view(current), *downloads(current))

    def voice_turn(audio, current: Live | None, muted: bool):
        if audio is None or current is None:
            yield (*view(current), gr.update(), *[gr.update()] * 3, gr.update())
            return
        from interviewer.speech import measure_delivery

        rate, samples = audio
        transcript = ctx.speech[0].transcribe(samples, rate)
        delivery = add_delivery(current.delivery, measure_delivery(transcript, samples, rate))
        for update in take_turn(transcript.text, current, muted, delivery):
            yield (*update, transcript.text)

    def resume(key: str | None):
        """On page load: reopen this browser's interview where it was."""
        if not key:
            return (*view(None), *downloads(None))
        try:
            current = resume_loop(key.removeprefix(LOOP_KEY)) if key.startswith(LOOP_KEY) else resume_session(key)
        except (SessionNotFound, StoreError, KeyError, ValueError):  # gone, unreadable, or its loop changed
            return (*view(None), *downloads(None))
        return (*view(current), *downloads(current))

    def resume_session(session_id: str) -> Live:
        stored = ctx.store.load(session_id)
        return Live(session_id=stored.id, state=stored.state, scorecard=stored.scorecard, delivery=stored.delivery)

    def resume_loop(run_id: str) -> Live:
        progress = ctx.store.load_loop(run_id)
        state = progress.states[-1]
        summary = next(s for s in ctx.store.list_sessions(limit=500, question_id=state.question_id) if s.started_at == state.started_at)
        current = resume_session(summary.id).model_copy(update={"loop": progress, "loop_run_id": run_id})
        return current.model_copy(update={"loop_card": loop_run(current).grade(ctx.grader)}) if progress.ended else current

    def loop_run(current: Live) -> LoopSession:
        loop_id = current.loop.loop_id
        return LoopSession(ctx.bank.loop(loop_id), ctx.bank.loop_questions(loop_id), voice=ctx.voice, progress=current.loop)

    def follow(current: Live, run: LoopSession) -> Live:
        """The Live for the loop's current question, saved; a newly opened question gets its own stored session."""
        state, session_id = run.current.state, current.session_id
        if state.started_at != current.state.started_at:  # the loop moved on to a new question
            if current.state.phase != "scored":  # the last one was closed by 'Next question': keep it graded
                closed = next(s for s in run.progress.states if s.started_at == current.state.started_at)
                rubric = ctx.bank.rubrics[closed.question_id]
                save(current.model_copy(update={"state": closed, "scorecard": ctx.grader.grade_session(closed, rubric)}))
            session_id = ctx.store.create(state)
        card = ctx.grader.grade_session(state, run.rubric) if state.phase == "scored" else None
        update = {"session_id": session_id, "state": state, "scorecard": card, "loop": run.progress}
        return save(current.model_copy(update=update))

    def finish_loop(current: Live, run: LoopSession) -> Live:
        return follow(current, run).model_copy(update={"loop_card": run.grade(ctx.grader)})

    def loop_turn(current: Live, step, delivery: dict[str, float] | None = None) -> Iterator[tuple]:
        """A turn inside a loop: the reply, then, when the question has closed, the next question's opening."""
        run = loop_run(current)
        for spoken in step(run):
            streaming = current.model_copy(update={"loop": run.progress, "state": run.current.state})
            yield (*view(streaming, spoken), gr.update(), *[gr.update()] * 3)
        current = follow(current.model_copy(update={"delivery": delivery or current.delivery}), run)
        if run.question_finished and not run.finished:
            for spoken in run.next_question():
                yield (*view(current.model_copy(update={"loop": run.progress}), spoken), gr.update(), *[gr.update()] * 3)
            if not run.finished:
                current = follow(current, run)
        if run.finished:
            current = finish_loop(current, run)
        yield (*view(current), gr.update(), *downloads(current))

    def start_loop_interview(loop_id: str | None):
        if not loop_id or loop_id not in ctx.bank.loops:
            gr.Warning("Pick a loop first.")
            yield (*view(None), None, *downloads(None))
            return
        run = LoopSession(ctx.bank.loop(loop_id), ctx.bank.loop_questions(loop_id), voice=ctx.voice)
        for spoken in run.open():
            yield (*view(None, spoken), gr.update(), *[gr.update()] * 3)
        state = run.current.state
        run_id = ctx.store.save_loop(run.progress)
        current = Live(session_id=ctx.store.create(state), state=state, loop=run.progress, loop_run_id=run_id)
        yield (*view(current), LOOP_KEY + run_id, *downloads(current))

    def skip_to_next(current: Live | None, muted: bool):
        if current is None or not current.loop or current.loop_card:
            gr.Info("'Next question' moves on inside an interview loop.")
            yield (*view(current), gr.update(), *[gr.update()] * 3)
            return
        yield from loop_turn(current, lambda run: run.next_question())

    def ask_hint(current: Live | None, muted: bool):
        yield from take_turn(HINT_REQUEST, current, muted)

    category.change(refresh_picker, [category, difficulty], picker)
    difficulty.change(refresh_picker, [category, difficulty], picker)
    draw.click(draw_random, [category, difficulty], picker)
    turn_outputs = [*outputs, answer, *download_buttons]
    # An answer sent while the last turn is still finishing waits for it ("once" would drop it).
    events = [
        start.click(start_interview, [picker], [*outputs, session_key, *download_buttons]),
        send.click(typed_turn, [answer, live, mute], turn_outputs, trigger_mode="always_last", api_name="take_turn"),
        answer.submit(typed_turn, [answer, live, mute], turn_outputs, trigger_mode="always_last"),
        hint.click(ask_hint, [live, mute], turn_outputs),
        mic.stop_recording(voice_turn, [mic, live, mute], [*turn_outputs, heard]),
        start_loop.click(start_loop_interview, [loop_picker], [*outputs, session_key, *download_buttons]),
        next_question.click(skip_to_next, [live, mute], turn_outputs),
    ]
    for event in events:
        event.then(speak_last_turn, [live, mute], speaker)
    end.click(end_interview, [live], [*outputs, *download_buttons])
    ticker.tick(lambda current: timer_text(current.state if current else None, rubric_of(current), datetime.now(UTC)), live, clock)
    return {"loop_picker": loop_picker, "picker": picker, "category": category, "difficulty": difficulty, "resume": (resume, [session_key], [*outputs, *download_buttons])}
