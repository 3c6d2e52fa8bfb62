"""The app's handlers, called through gradio_client against a real server on 127.0.0.1.

One launch serves the whole module, over a copy of the repo's rubrics in tmp_path (the coach
tests write files into it) and a SQLite file there too. Every call passes mute=True: the
interviewer's voice (Piper) is tested in tests/speech, and loading it here would cost seconds.

gradio_client keeps gr.State per Client, so one Client is one browser tab. A browser runs the
page's load events (which fill the question pickers) before anything else; `open_tab` does the
same, since a dropdown rejects a value that is not among its choices.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from interviewer.export.common import band_label
from interviewer.llm.config import LLMSettings
from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.store import SessionStore

QUESTION = "uber-eta"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ANSWERS = [
    "What exactly are we predicting, the ETA to pickup?",
    "I'd use gradient boosted trees on the route distance and live traffic speeds.",
    "I would train on earlier weeks and test on the most recent weeks, and report the mean absolute error.",
]
# Output positions of the interview handlers: [live] state is hidden from the client.
CHAT, CLOCK, SCORECARD, SPEAKER = 0, 1, 2, 3
SESSION_KEY = 4  # start_interview only; the turn handlers' answer box is there
ANSWER_BOX = 4
EXPORT_FORMATS = ("md", "json", "html")

# Raised inside gradio 6.31's own Dataframe code under pandas 3, not by the app.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@dataclass
class Server:
    url: str
    rubrics_dir: Path
    db_path: Path
    downloads: Path
    bank: RubricBank = field(init=False)

    def __post_init__(self) -> None:
        self.bank = RubricBank(self.rubrics_dir)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from interviewer.ui.app import launch
    from interviewer.ui.context import AppContext

    root = tmp_path_factory.mktemp("app")
    shutil.copytree(DEFAULT_RUBRICS_DIR, root / "rubrics")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        # The launch-time warm-up embeds all ~7,000 rubric phrases: 20 s or more of both cores,
        # measured by benchmarks/app.py. Here the thread only loads the model; the few
        # questions the tests grade are embedded on first use.
        patch.setattr(AppContext, "warm_up", lambda ctx: ctx.grader)
        # Explicit offline settings: the module fixture is built before the per-test fixture
        # that clears LLM variables from the environment.
        app = launch(root / "rubrics", host="127.0.0.1", port=port, block=False,
                     db_path=root / "sessions.sqlite3", settings=LLMSettings.from_env({}))
    try:
        yield Server(f"http://127.0.0.1:{port}/", root / "rubrics", root / "sessions.sqlite3", root / "downloads")
    finally:
        app.close()


def open_tab(server: Server) -> Client:
    """A fresh browser tab: its own session, with the page's load events run."""
    client = Client(server.url, verbose=False, download_files=str(server.downloads))
    client.predict(api_name="/initial_picker")
    client.predict(api_name="/refresh")  # the Coach tab's rubric list
    return client


def text_of(message: dict[str, Any]) -> str:
    """Gradio 6 sends a chat message's content as a list of blocks."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(block.get("text", "") for block in content)


def interviewer_lines(chat: list[dict[str, Any]]) -> list[str]:
    return [text_of(m) for m in chat if m["role"] == "assistant"]


def turns_saved(server: Server, session_id: str) -> int:
    return len(SessionStore(server.db_path).load(session_id).state.turns)


def start(client: Client) -> tuple[str, list[tuple]]:
    job = client.submit(QUESTION, True, api_name="/start_interview")
    job.result(timeout=60)
    outputs = job.outputs()
    session_id = next(out[SESSION_KEY] for out in outputs if isinstance(out[SESSION_KEY], str))
    return session_id, outputs


def send(client: Client, text: str) -> list[tuple]:
    """Every value the turn handler yields (the last is what the page ends up showing)."""
    job = client.submit(text, True, api_name="/take_turn")
    job.result(timeout=60)
    return job.outputs()


def download_paths(outputs: tuple) -> dict[str, Path]:
    """The three download buttons are the last outputs; each update carries the fetched file."""
    updates = outputs[-3:]
    assert all(update.get("visible") for update in updates), updates
    return {fmt: Path(update["value"]) for fmt, update in zip(EXPORT_FORMATS, updates, strict=True)}


@dataclass
class PlayedInterview:
    session_id: str
    started: list[tuple]
    answers: list[list[tuple]]
    hint: list[tuple]
    ended: tuple
    turns_after_each_step: list[int]


@pytest.fixture(scope="module")
def played(server: Server) -> PlayedInterview:
    """One candidate's whole interview on uber-eta: start, three answers, a hint, end."""
    client = open_tab(server)
    session_id, started = start(client)
    saved = [turns_saved(server, session_id)]
    answers = []
    for answer in ANSWERS:
        answers.append(send(client, answer))
        saved.append(turns_saved(server, session_id))
    hint_job = client.submit(True, api_name="/ask_hint")
    hint_job.result(timeout=60)
    saved.append(turns_saved(server, session_id))
    ended = client.predict(api_name="/end_interview")
    saved.append(turns_saved(server, session_id))
    return PlayedInterview(session_id, started, answers, hint_job.outputs(), ended, saved)


def test_a_typed_turn_empties_the_box_once_and_a_hint_leaves_it_alone(played: PlayedInterview) -> None:
    # A later "" would wipe what the candidate started typing while a slow turn finished.
    for outputs in played.answers:
        boxes = [out[ANSWER_BOX] for out in outputs]
        assert boxes[0] == "" and all(box == {"__type__": "update"} for box in boxes[1:]), boxes
        assert len(boxes) >= 2  # the reply, then the saved turn with its downloads
    assert all(out[ANSWER_BOX] == {"__type__": "update"} for out in played.hint)


def test_an_answer_typed_before_start_stays_in_the_box(server: Server) -> None:
    outputs = send(open_tab(server), "I'd frame it as regression.")
    assert [out[ANSWER_BOX] for out in outputs] == [{"__type__": "update"}]
    assert outputs[-1][CHAT] == []


def test_the_interviewer_opens_with_the_prompt(server: Server, played: PlayedInterview) -> None:
    chat = played.started[-1][CHAT]
    assert [m["role"] for m in chat] == ["assistant"]
    assert text_of(chat[0]) == server.bank.get(QUESTION).prompt.strip()
    assert played.started[-1][CLOCK].startswith("Time 0:0")


def test_answers_get_clarifications_and_a_follow_up_question(server: Server, played: PlayedInterview) -> None:
    rubric = server.bank.get(QUESTION)
    final_chat = played.answers[-1][-1][CHAT]
    assert [m["role"] for m in final_chat] == ["assistant"] + ["user", "assistant"] * len(ANSWERS)
    assert [text_of(m) for m in final_chat if m["role"] == "user"] == ANSWERS
    replies = interviewer_lines(final_chat)[1:]
    # The clarifying question is answered from the scenario's facts...
    assert replies[0] == next(f.answer for f in rubric.facts if f.id == "prediction-target").strip()
    # ...and the interviewer probes with one of the rubric's follow-up questions.
    follow_ups = [q for c in rubric.criteria for q in c.follow_ups]
    assert any(q in reply for reply in replies[1:] for q in follow_ups), replies


def test_hint_gives_the_rubrics_hint(server: Server, played: PlayedInterview) -> None:
    chat = played.hint[-1][CHAT]
    assert text_of(chat[-2]) == "Could I have a hint?"
    hints = [c.hint for c in server.bank.get(QUESTION).criteria if c.hint]
    assert any(hint.strip() in text_of(chat[-1]) for hint in hints), text_of(chat[-1])


def test_muted_turns_carry_no_audio(played: PlayedInterview) -> None:
    every_output = [*played.started, *(out for turn in played.answers for out in turn), *played.hint, played.ended]
    assert all(out[SPEAKER] is None for out in every_output)


def test_every_turn_is_saved_to_sqlite(played: PlayedInterview) -> None:
    # The prompt, then a candidate line and a reply per answer and for the hint; ending adds none.
    assert played.turns_after_each_step == [1, 3, 5, 7, 9, 9]


def test_end_shows_a_scorecard_with_score_and_band(server: Server, played: PlayedInterview) -> None:
    stored = SessionStore(server.db_path).load(played.session_id)
    assert stored.finished and stored.scorecard is not None
    card = played.ended[SCORECARD]
    assert f'<p class="score">{stored.scorecard.score:.0f}<small>/100</small>' in card
    assert f'<span class="band">{band_label(stored.scorecard.band)}</span>' in card
    for criterion in server.bank.get(QUESTION).criteria:
        assert criterion.name in card
    assert "Time " in played.ended[CLOCK] and "Scored" in played.ended[CLOCK]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_downloads_hold_the_scored_session(played: PlayedInterview, fmt: str) -> None:
    path = download_paths(played.ended)[fmt]
    assert path.suffix == f".{fmt}" and path.name.startswith(QUESTION)
    content = path.read_text(encoding="utf-8")
    assert QUESTION in content
    assert "trees on the route distance" in content  # the candidate's words are in it
    if fmt == "json":
        document = json.loads(content)
        assert document["rubric"]["id"] == QUESTION and document["scored"] is True


def test_downloads_are_offered_after_every_turn(played: PlayedInterview) -> None:
    # A DownloadButton downloads on the second click unless its file is fresh before the click.
    for turn, words in zip(played.answers, ["ETA to pickup", "route distance", "mean absolute error"], strict=True):
        refreshed = next(out for out in turn if out[-1].get("visible"))
        assert words in download_paths(refreshed)["md"].read_text(encoding="utf-8")


def test_history_lists_the_session_with_its_score(server: Server, played: PlayedInterview) -> None:
    stored = SessionStore(server.db_path).load(played.session_id)
    table = open_tab(server).predict(api_name="/history_refresh")
    assert table["headers"] == ["session", "question", "started", "phase", "score", "band"]
    rows = {row[0]: row for row in table["data"]}
    assert rows[played.session_id][1:2] == [QUESTION]
    assert rows[played.session_id][3:] == ["scored", f"{stored.scorecard.score:g}", stored.scorecard.band]


def test_a_typed_script_tag_is_shown_as_text_everywhere(server: Server) -> None:
    client = open_tab(server)
    session_id, _ = start(client)
    answer = f"I would report the mean absolute error {SCRIPT} and the p90 error, sliced by neighborhood."
    chat = send(client, answer)[-1][CHAT]
    mine = text_of(chat[-2])
    assert ESCAPED_SCRIPT in mine and SCRIPT not in mine
    assert SessionStore(server.db_path).load(session_id).state.turns[-2].text == answer  # stored as typed

    ended = client.predict(api_name="/end_interview")
    assert SCRIPT not in ended[SCORECARD]
    assert ESCAPED_SCRIPT in ended[SCORECARD]  # quoted as evidence, as text
    for fmt, path in download_paths(ended).items():
        content = path.read_text(encoding="utf-8")
        assert SCRIPT not in content, fmt
        assert "alert(1)" in content, fmt  # present, but inert


def test_reload_shows_a_new_question_and_reports_a_broken_file(server: Server) -> None:
    folder = server.rubrics_dir
    source = (folder / "uber-eta.yaml").read_text(encoding="utf-8")
    (folder / "uber-eta-coach-copy.yaml").write_text(
        source.replace("id: uber-eta\n", "id: uber-eta-coach-copy\n", 1)
        .replace('title: "Uber driver ETA at ride request"', 'title: "Uber ETA, the coach copy"', 1),
        encoding="utf-8",
    )
    auc = (folder / "auc-half.yaml").read_text(encoding="utf-8")
    (folder / "auc-broken.yaml").write_text(
        auc.replace("id: auc-half\n", "id: auc-broken\n", 1).replace("difficulty: easy", "difficulty: impossible", 1),
        encoding="utf-8",
    )
    client = open_tab(server)
    try:
        files, coach_picker, question_picker = client.predict(api_name="/reload_bank")
        ids = {choice[1] for choice in question_picker["choices"]}
        assert "uber-eta-coach-copy" in ids
        assert "auc-broken" not in ids
        assert set(server.bank.rubrics) <= ids  # every other question still loads
        assert "uber-eta-coach-copy" in {choice[1] for choice in coach_picker["choices"]}

        rows = {row[0]: row for row in files["data"]}
        assert rows["uber-eta-coach-copy.yaml"][1] == "valid"
        assert rows["auc-broken.yaml"][1] == "1 problem"
        assert "difficulty: 'impossible' is not allowed" in rows["auc-broken.yaml"][2]
        assert ":6:" in rows["auc-broken.yaml"][2]  # the line, for the coach to find it

        # The new question can be interviewed on straight away, in the same tab.
        job = client.submit("uber-eta-coach-copy", True, api_name="/start_interview")
        job.result(timeout=60)
        assert text_of(job.outputs()[-1][CHAT][0]) == server.bank.get(QUESTION).prompt.strip()
    finally:
        (folder / "uber-eta-coach-copy.yaml").unlink()
        (folder / "auc-broken.yaml").unlink()
        client.predict(api_name="/reload_bank")


def test_run_examples_compares_coach_and_grader_levels(server: Server) -> None:
    rubric = server.bank.get(QUESTION)
    table = open_tab(server).predict(QUESTION, api_name="/run_examples")
    assert table["headers"] == ["example", "criterion", "coach", "grader", "agrees"]
    rows = table["data"]
    assert len(rows) == len(rubric.examples) * len(rubric.criteria)
    expected = {(e.id, c): str(level) for e in rubric.examples for c, level in e.expected_levels.items()}
    for example_id, criterion_id, coach, grader, agrees in rows:
        assert coach == expected[(example_id, criterion_id)]
        assert grader in {"0", "1", "2", "3"}
        gap = abs(int(coach) - int(grader))
        assert agrees == {0: "yes", 1: "within one"}.get(gap, "NO")


def test_grading_a_pasted_transcript_gives_a_scorecard(server: Server) -> None:
    rubric = server.bank.get(QUESTION)
    strong = next(e for e in rubric.examples if e.id == "strong-answer").answer
    card = open_tab(server).predict(QUESTION, strong, None, api_name="/grade_transcript")
    assert '<p class="score">' in card and "<small>/100</small>" in card
    assert '<span class="band">' in card
    assert "Model answer outline" in card
    assert all(criterion.name in card for criterion in rubric.criteria)


def test_grading_without_a_transcript_asks_for_one(server: Server) -> None:
    assert open_tab(server).predict(QUESTION, "  ", None, api_name="/grade_transcript") == (
        "Paste or upload a transcript first."
    )


def test_a_loop_runs_its_questions_in_turn_and_ends_with_a_combined_scorecard(server: Server) -> None:
    client = open_tab(server)
    loop = server.bank.loop("ml-engineer-screen")
    questions = server.bank.loop_questions(loop.id)
    job = client.submit(loop.id, api_name="/start_loop_interview")
    job.result(timeout=60)
    first_chat = job.outputs()[-1][CHAT]
    assert text_of(first_chat[0]) == f"**Question 1 of {len(questions)}: {questions[0].title}**"
    assert text_of(first_chat[1]) == questions[0].prompt.strip()

    send(client, "I'd predict no-shows with gradient boosting on order history, payment method and time of day.")
    job = client.submit(True, api_name="/skip_to_next")
    job.result(timeout=60)
    chat = job.outputs()[-1][CHAT]
    headers = [text_of(m) for m in chat if text_of(m).startswith("**Question ")]
    assert headers[-1] == f"**Question 2 of {len(questions)}: {questions[1].title}**"
    assert text_of(chat[-1]) == questions[1].prompt.strip()
    send(client, "Bias is systematic error from too simple a model; variance is sensitivity to the training sample.")

    ended = client.predict(api_name="/end_interview")
    card = ended[SCORECARD]
    assert loop.title in card and f"2 of {len(questions)} questions answered" in card
    assert "skipped (0)" in card  # the questions never reached count as zero
    summaries = SessionStore(server.db_path).list_sessions(limit=50)
    loop_sessions = [s for s in summaries if s.question_id in {q.id for q in questions[:2]}]
    assert len(loop_sessions) == 2 and all(s.phase == "scored" and s.score is not None for s in loop_sessions)


def test_a_loop_resumes_after_a_refresh(server: Server) -> None:
    client = open_tab(server)
    loop_id = "data-scientist-screen"
    job = client.submit(loop_id, api_name="/start_loop_interview")
    job.result(timeout=60)
    key = job.outputs()[-1][SESSION_KEY]
    assert key.startswith("loop:")
    send(client, "I'd check the class balance first: 90% accuracy may be what always predicting the majority gives.")
    job = client.submit(True, api_name="/skip_to_next")
    job.result(timeout=60)

    refreshed = open_tab(server)  # a new tab holding only the browser's key
    chat = refreshed.predict(key, api_name="/resume")[CHAT]
    headers = [text_of(m) for m in chat if text_of(m).startswith("**Question ")]
    assert [h.split(":")[0] for h in headers] == ["**Question 1 of 6", "**Question 2 of 6"]
    assert any("90% accuracy may be" in text_of(m) for m in chat if m["role"] == "user")
    reply = send(refreshed, "I'd look at the retention curves of users by friend count.")[-1][CHAT]
    assert reply[-2]["role"] == "user" and "retention curves" in text_of(reply[-2])
