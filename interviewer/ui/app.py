"""The web app: Interview, History, Coach and Class tabs over one PracticeApp.

With accounts, everyone signs in through Gradio's own sign-in, and their account is the owner of
their sessions. Without, each browser proves who it is with a secret it keeps (gr.BrowserState,
sealed with a secret the database holds, so a restarted app or a second process on the same
database reads it). Either way the owner id is worked out on the server and kept in gr.State,
which callers cannot set (see ui/access.py).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

# Gradio phones home for analytics and version checks; the app must run with no network.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# After every event Gradio rebuilds its monitoring summary, a pandas table of up to 10,000 past
# events: the cost of each turn grew with the app's uptime. Summarise once per 1,000 events.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")

import gradio as gr  # noqa: E402

from interviewer.llm.config import LLMSettings  # noqa: E402
from interviewer.practice.limits import MAX_REQUEST_UPLOAD_BYTES  # noqa: E402
from interviewer.practice.records import PracticeError  # noqa: E402
from interviewer.practice.setup import PracticeApp, open_practice  # noqa: E402
from interviewer.rubric import RubricBank  # noqa: E402
from interviewer.ui.access import SIGN_IN_MESSAGE, Access  # noqa: E402
from interviewer.ui.class_tab import build_class_tab  # noqa: E402
from interviewer.ui.coach_tab import build_coach_tab  # noqa: E402
from interviewer.ui.history_tab import build_history_tab  # noqa: E402
from interviewer.ui.interview_events import RESUME, InterviewEvents, never_empty, wire_interview  # noqa: E402
from interviewer.ui.interview_tab import build_interview_tab  # noqa: E402
from interviewer.ui.render import CLOCK_SCRIPT, question_choices  # noqa: E402
from interviewer.ui.shared_sign_ins import share_sign_ins  # noqa: E402

TITLE = "ML mock interviewer"
SIGN_IN_COOKIE = "sign-in cookie id"  # the shared secret naming the sign-in cookie on every replica
BROWSER_KEY = "interviewer"  # the browser's localStorage entry
CACHE_CLEANUP = (1800, 3600)  # every 30 min, delete served files older than an hour


def problems_markdown(bank: RubricBank, coach: bool = True) -> str:
    """The banner over the page; only those who have the Coach tab are sent to it."""
    if not bank.problems:
        return ""
    count = len(bank.problems)
    where = " (see the Coach tab)" if coach else ""
    return f"⚠ {count} problem{'s' if count != 1 else ''} in the rubric files{where}; the other questions are available."


def build_app(app: PracticeApp, signed_in: bool = False) -> gr.Blocks:
    """`signed_in`: launched with accounts, behind Gradio's sign-in."""
    access = Access(app, signed_in)
    with gr.Blocks(title=TITLE, delete_cache=CACHE_CLEANUP) as blocks:
        gr.Markdown(f"# {TITLE}\nCase studies and ML system design, with follow-ups, a clock and a scorecard.")
        status = gr.Markdown(elem_id="rubric-status")
        browser = gr.BrowserState({}, storage_key=BROWSER_KEY, secret=app.browser_secret())
        owner = gr.State(None)
        with gr.Tab("Interview", id="interview"):
            view = build_interview_tab()
        with gr.Tab("History", id="history"):
            history = build_history_tab(app, owner, access)
        with gr.Tab("Coach", id="coach", visible=not signed_in) as coach_tab:
            coach = build_coach_tab(app, blocks, view.picker, access)
        with gr.Tab("Class", id="class", visible=False) as class_tab:
            class_view = build_class_tab(app, access)
        events = InterviewEvents(app, view, owner, browser)
        wire_interview(events, app.service.streams, access)

        def pickers(kept: dict[str, Any], request: gr.Request) -> dict[Any, Any]:
            choices = question_choices(list(app.bank.rubrics.values()), None, None)
            loops = [(f"{loop.title} ({loop.role}, {app.bank.loop_minutes(loop.id):g} min)", loop.id)
                     for loop in app.bank.loops.values()]
            return {
                view.picker: gr.update(choices=choices, value=choices[0][1] if choices else None),
                view.loop_picker: gr.update(choices=loops, value=None),
                view.mute: bool(kept.get("muted")),
                status: problems_markdown(app.bank, access.is_coach(request)),
            }

        loaded = blocks.load(access.identify, browser, [browser, owner], api_name="identify")
        loaded = loaded.then(pickers, browser, [view.picker, view.loop_picker, view.mute, status], api_name="initial_picker")
        resume = access.own_page_only(never_empty(events.resume, view.practice), [owner], [owner])
        loaded = loaded.then(resume, [owner, browser], view.outputs(*RESUME), api_name="resume")
        loaded = loaded.then(*history.refresh).then(access.coach_tabs, None, [coach_tab, class_tab], api_name="roles")
        loaded.then(*coach.refresh).then(*class_view.refresh)
    return blocks


def launch(
    rubrics_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7860,
    block: bool = True,
    db_path: str | Path | None = None,
    settings: LLMSettings | None = None,
    local_history: bool = False,
) -> gr.Blocks:
    app = open_practice(rubrics_dir, settings or LLMSettings.from_env(), db=db_path, local_history=local_history)
    # Accounts are read once: added to a running single-user app, they take effect at its next start.
    signed_in = app.accounts.exist()
    if signed_in and local_history:
        raise PracticeError("--local-history shows the terminal's sessions to everyone; it cannot be used with accounts "
                            "(see `interviewer users list`).")
    # Load the grading model and embed every rubric phrase now, not when the first candidate ends.
    threading.Thread(target=app.warm_up, name="grader-warm-up", daemon=True).start()
    blocks = build_app(app, signed_in)
    blocks.queue(default_concurrency_limit=8)
    sign_in = dict(auth=Access(app, signed_in).sign_in, auth_message=SIGN_IN_MESSAGE) if signed_in else {}
    blocks.launch(server_name=host, server_port=port, prevent_thread_lock=True, footer_links=[],
                  head=CLOCK_SCRIPT, max_file_size=MAX_REQUEST_UPLOAD_BYTES, **sign_in)
    if signed_in:
        share_sign_ins(blocks, app.accounts, app.store.secret(SIGN_IN_COOKIE))
    if block:
        blocks.block_thread()
    return blocks
