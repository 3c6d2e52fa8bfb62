"""The Interview tab's layout: pick a question or a loop, talk or type, get follow-ups, end with a scorecard.

Only components live here; what they do is wired in `interview_events.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from interviewer.ui.render import NO_INTERVIEW
from interviewer.ui.voice_player import PLAYER_JS

CATEGORIES = ["All", "case-study", "system-design", "applied-modeling", "recommendation", "theory", "coding"]
DIFFICULTIES = ["All", "easy", "medium", "hard"]


@dataclass
class InterviewView:
    practice: gr.State
    phase: gr.State  # what the rarely changing controls depend on (see interview_events.phase_of)
    to_speak: gr.State  # the interviewer line to speak next, set only when the voice is not muted
    wanted: gr.State  # a start the candidate asked for while another interview was open
    category: gr.Dropdown
    difficulty: gr.Dropdown
    picker: gr.Dropdown
    draw: gr.Button
    start: gr.Button
    loop_picker: gr.Dropdown
    start_loop: gr.Button
    confirm: gr.Row
    confirm_text: gr.Markdown
    confirm_go: gr.Button
    confirm_stay: gr.Button
    clock: gr.HTML
    chat: gr.Chatbot
    answer: gr.Textbox
    send: gr.Button
    hint: gr.Button
    end: gr.Button
    next_question: gr.Button
    mic: gr.Audio
    hands_free: gr.Checkbox
    heard: gr.Textbox
    mute: gr.Checkbox
    speaker: gr.HTML
    barge: gr.Number  # changes when the candidate speaks over the interviewer: stops the voice
    turn_over: gr.Number  # changes when a hands-free answer ends: takes the turn
    scorecard: gr.HTML
    download_md: gr.DownloadButton
    download_json: gr.DownloadButton
    download_html: gr.DownloadButton

    @property
    def downloads(self) -> dict[str, gr.DownloadButton]:
        return {"md": self.download_md, "json": self.download_json, "html": self.download_html}

    def outputs(self, *names: str) -> list[gr.components.Component]:
        """Components by field name, in the order given (the order API callers see)."""
        return [getattr(self, name) for name in names]


def build_interview_tab() -> InterviewView:
    parts: dict[str, object] = {name: gr.State(None) for name in ("practice", "phase", "to_speak", "wanted")}
    parts |= _pickers()
    parts |= _confirmation()
    parts["clock"] = gr.HTML(f'<p class="clock">{NO_INTERVIEW}</p>', elem_id="timer")
    # Plain text, not Markdown: a typed image link must not make every viewer's browser fetch it.
    parts["chat"] = gr.Chatbot(label="Interview", elem_id="chat", height=420, render_markdown=False)
    parts |= _answering()
    parts |= _voice()
    parts["scorecard"] = gr.HTML(elem_id="scorecard")
    with gr.Row():
        for fmt, label in (("md", "Markdown"), ("json", "JSON"), ("html", "HTML")):
            parts[f"download_{fmt}"] = gr.DownloadButton(label, visible=False, elem_id=f"download-{fmt}")
    return InterviewView(**parts)  # type: ignore[arg-type]


def _pickers() -> dict[str, object]:
    with gr.Row():
        category = gr.Dropdown(CATEGORIES, value="All", label="Category", scale=1)
        difficulty = gr.Dropdown(DIFFICULTIES, value="All", label="Difficulty", scale=1)
        picker = gr.Dropdown(label="Question (category, level, minutes)", elem_id="question-picker", scale=4)
        draw = gr.Button("Random question", scale=0, elem_id="random-btn")
        start = gr.Button("Start", variant="primary", scale=0, elem_id="start-btn")
    with gr.Row():
        loop_picker = gr.Dropdown(label="...or a full interview loop", elem_id="loop-picker", scale=4)
        start_loop = gr.Button("Start loop", scale=0, visible=False, elem_id="start-loop-btn")
    return dict(category=category, difficulty=difficulty, picker=picker, draw=draw, start=start,
                loop_picker=loop_picker, start_loop=start_loop)


def _confirmation() -> dict[str, object]:
    with gr.Row(visible=False, elem_id="confirm-row") as confirm:
        confirm_text = gr.Markdown(elem_id="confirm-text")
        confirm_go = gr.Button("End and score it, then start", variant="stop", scale=0, elem_id="confirm-go")
        confirm_stay = gr.Button("Keep going", scale=0, elem_id="confirm-stay")
    return dict(confirm=confirm, confirm_text=confirm_text, confirm_go=confirm_go, confirm_stay=confirm_stay)


def _answering() -> dict[str, object]:
    with gr.Row():
        answer = gr.Textbox(
            placeholder="Type your answer, or ask a clarifying question…", show_label=False, scale=6, elem_id="answer-box"
        )
        send = gr.Button("Send", variant="primary", scale=0, elem_id="send-btn")
        hint = gr.Button("Hint", scale=0, elem_id="hint-btn")
        end = gr.Button("End and score", variant="stop", scale=0, elem_id="end-btn")
        next_question = gr.Button("Next question", scale=0, visible=False, elem_id="next-btn")
    return dict(answer=answer, send=send, hint=hint, end=end, next_question=next_question)


def _voice() -> dict[str, object]:
    with gr.Row():
        # Streamed while it records, so the answer is transcribed as it is spoken.
        mic = gr.Audio(sources=["microphone"], streaming=True, type="numpy", label="Answer by voice",
                       elem_id="mic", scale=3)
        with gr.Column(scale=2):
            hands_free = gr.Checkbox(label="Hands-free: the microphone stays on and a pause ends your answer",
                                     value=False, elem_id="hands-free")
            heard = gr.Textbox(label="What I heard", interactive=False, elem_id="heard")
            mute = gr.Checkbox(label="Mute the interviewer's voice", value=False, elem_id="mute")
    speaker = gr.HTML(value=None, html_template="<div class='voice'></div>", js_on_load=PLAYER_JS, elem_id="speaker")
    barge = gr.Number(value=0, visible="hidden", elem_id="barge")
    turn_over = gr.Number(value=0, visible="hidden", elem_id="turn-over")
    return dict(mic=mic, hands_free=hands_free, heard=heard, mute=mute, speaker=speaker, barge=barge, turn_over=turn_over)
