"""The app's handlers through gradio_client, as a browser (or anyone else) calls them.

One launch serves the module, over a copy of the repo's rubrics and a SQLite file in tmp_path.
The interviewer's voice (Piper) is tested in tests/speech; these tabs never ask for it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gradio_client import Client

from interviewer.export.common import band_label
from interviewer.ui import interview_events

from .conftest import Server, Tab, final, store, text_of, unchanged

QUESTION = "uber-eta"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ANSWERS = [
    "What exactly are we predicting, the ETA to pickup?",
    "I'd use gradient boosted trees on the route distance and live traffic speeds.",
    "I would train on earlier weeks and test on the most recent weeks, and report the mean absolute error.",
]
FORMATS = ("md", "json", "html")

# Raised inside gradio 6.31's own Dataframe code under pandas 3, not by the app.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def interviewer_lines(chat: list[dict[str, Any]]) -> list[str]:
    return [text_of(m) for m in chat if m["role"] == "assistant"]


def downloads(tab: Tab) -> dict[str, Path]:
    """The files the download buttons offer now (the page shows them when the practice's phase changes)."""
    controls = tab.controls()
    buttons = {fmt: controls[f"download_{fmt}"] for fmt in FORMATS}
    assert all(b.get("visible") for b in buttons.values()), buttons
    return {fmt: Path(b["value"]) for fmt, b in buttons.items()}


@dataclass
class Played:
    tab: Tab
    session_id: str
    started: list[dict[str, Any]]
    answers: list[list[dict[str, Any]]]
    hint: list[dict[str, Any]]
    ended: list[dict[str, Any]]
    turns_saved: list[int]


@pytest.fixture(scope="module")
def played(server: Server) -> Played:
    """One candidate's whole interview on uber-eta: start, three answers, a hint, end."""
    tab = Tab(server)
    started = tab.start(QUESTION)
    session_id = tab.kept["practice"]
    saved = [len(store(server).load(tab.owner, session_id).state.turns)]
    answers = []
    for answer in ANSWERS:
        answers.append(tab.send(answer))
        saved.append(len(store(server).load(tab.owner, session_id).state.turns))
    hint = tab.run("/ask_hint")
    saved.append(len(store(server).load(tab.owner, session_id).state.turns))
    ended = tab.end()
    saved.append(len(store(server).load(tab.owner, session_id).state.turns))
    return Played(tab, session_id, started, answers, hint, ended, saved)


def test_a_typed_turn_empties_the_box_once_and_a_hint_leaves_it_alone(played: Played) -> None:
    for updates in played.answers:
        boxes = [u["answer"] for u in updates]
        assert boxes[0] == "" and all(unchanged(box) for box in boxes[1:]), boxes
    assert all("answer" not in u for u in played.hint)  # a hint's event does not touch the box


def test_a_built_in_reply_comes_with_the_answer_in_one_update(played: Played) -> None:
    [update] = played.answers[1]
    assert text_of(update["chat"][-2]) == ANSWERS[1] and [m["role"] for m in update["chat"][-2:]] == ["user", "assistant"]


def test_an_answer_typed_before_start_stays_in_the_box(server: Server) -> None:
    updates = Tab(server).send("I'd frame it as regression.")
    assert all(unchanged(u["answer"]) and unchanged(u["chat"]) for u in updates)


def test_the_interviewer_opens_with_the_prompt(server: Server, played: Played) -> None:
    chat = final(played.started, "chat")
    assert [m["role"] for m in chat] == ["assistant"]
    assert text_of(chat[0]) == server.bank.get(QUESTION).prompt.strip()
    assert "Time 0:0" in final(played.started, "clock") and "Introduction" in final(played.started, "clock")


def test_answers_get_clarifications_and_a_follow_up_question(server: Server, played: Played) -> None:
    rubric = server.bank.get(QUESTION)
    chat = final(played.answers[-1], "chat")
    assert [m["role"] for m in chat] == ["assistant"] + ["user", "assistant"] * len(ANSWERS)
    assert [text_of(m) for m in chat if m["role"] == "user"] == ANSWERS
    replies = interviewer_lines(chat)[1:]
    assert replies[0] == next(f.answer for f in rubric.facts if f.id == "prediction-target").strip()
    follow_ups = [q for c in rubric.criteria for q in c.follow_ups]
    assert any(q in reply for reply in replies[1:] for q in follow_ups), replies


def test_hint_gives_the_rubrics_hint(server: Server, played: Played) -> None:
    chat = final(played.hint, "chat")
    assert text_of(chat[-2]) == "(asked for a hint)"
    hints = [c.hint for c in server.bank.get(QUESTION).criteria if c.hint]
    assert any(hint.strip() in text_of(chat[-1]) for hint in hints), text_of(chat[-1])


def test_every_turn_is_saved_before_the_handler_returns(played: Played) -> None:
    # The prompt, then a candidate line and a reply per answer and for the hint; ending adds none.
    assert played.turns_saved == [1, 3, 5, 7, 9, 9]


def test_end_shows_a_scorecard_with_score_and_band(server: Server, played: Played) -> None:
    stored = store(server).load(played.tab.owner, played.session_id)
    assert stored.finished and stored.scorecard is not None
    card = final(played.ended, "scorecard")
    assert f'<p class="score">{stored.scorecard.score:.0f}<small>/100</small>' in card
    assert f'<span class="band">{band_label(stored.scorecard.band)}</span>' in card
    assert all(criterion.name in card for criterion in server.bank.get(QUESTION).criteria)
    assert "Scored" in final(played.ended, "clock")


def test_downloads_are_offered_once_scored_and_hold_the_session(server: Server, played: Played) -> None:
    unscored = Tab(server)
    unscored.start(QUESTION)
    assert all(unscored.controls()[f"download_{fmt}"]["visible"] is False for fmt in FORMATS)
    files = downloads(played.tab)
    for fmt, path in files.items():
        assert path.suffix == f".{fmt}" and path.name.startswith(QUESTION)
        content = path.read_text(encoding="utf-8")
        assert "trees on the route distance" in content
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    assert document["rubric"]["id"] == QUESTION and document["scored"] is True
    assert re.search(r"min, 3 answers\b", files["md"].read_text(encoding="utf-8"))  # the hint is not counted


def test_history_lists_the_owners_session_without_ids(played: Played) -> None:
    stored = store(played.tab.server).load(played.tab.owner, played.session_id)
    rows = played.tab.history()
    title = played.tab.server.bank.get(QUESTION).title
    assert [title, f"{stored.scorecard.score:.0f}", band_label(stored.scorecard.band), "scored"] in [r[1:] for r in rows]
    assert not any(played.session_id in cell for row in rows for cell in row)


def test_a_typed_script_tag_is_shown_as_text_everywhere(server: Server) -> None:
    tab = Tab(server)
    tab.start(QUESTION)
    answer = f"I would report the mean absolute error {SCRIPT} and the p90 error, sliced by neighborhood."
    mine = text_of(final(tab.send(answer), "chat")[-2])
    assert ESCAPED_SCRIPT in mine and SCRIPT not in mine
    assert store(server).load(tab.owner, tab.kept["practice"]).state.turns[-2].text == answer  # stored as typed

    ended = tab.end()
    assert SCRIPT not in final(ended, "scorecard") and ESCAPED_SCRIPT in final(ended, "scorecard")
    for fmt, path in downloads(tab).items():
        content = path.read_text(encoding="utf-8")
        assert SCRIPT not in content and "alert(1)" in content, fmt


def test_start_during_an_interview_asks_first_and_keeps_it(server: Server) -> None:
    tab = Tab(server)
    tab.start(QUESTION)
    tab.send(ANSWERS[1])
    first = tab.kept["practice"]
    asked = tab.run("/start_interview", "fraud-detection")
    assert "Uber driver ETA" in final(asked, "confirm_text")
    assert all(unchanged(u["chat"]) for u in asked)  # nothing discarded yet

    switched = tab.run("/confirm_start")
    assert text_of(final(switched, "chat")[0]) == server.bank.get("fraud-detection").prompt.strip()
    assert store(server).load(tab.owner, first).scorecard is not None  # the first was ended and scored


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
    tab = Tab(server)
    try:
        files, coach_picker, question_picker = tab.client.predict(api_name="/reload_bank")
        ids = {choice[1] for choice in question_picker["choices"]}
        assert "uber-eta-coach-copy" in ids and "auc-broken" not in ids
        assert set(server.bank.rubrics) <= ids
        rows = {row[0]: row for row in files["data"]}
        assert rows["uber-eta-coach-copy.yaml"][1] == "valid" and rows["auc-broken.yaml"][1] == "1 problem"
        assert "difficulty: 'impossible' is not allowed" in rows["auc-broken.yaml"][2] and ":6:" in rows["auc-broken.yaml"][2]
        started = tab.start("uber-eta-coach-copy")
        assert text_of(final(started, "chat")[0]) == server.bank.get(QUESTION).prompt.strip()
    finally:
        (folder / "uber-eta-coach-copy.yaml").unlink()
        (folder / "auc-broken.yaml").unlink()
        tab.client.predict(api_name="/reload_bank")


def test_a_running_interview_survives_its_rubric_being_broken_and_reloaded(server: Server) -> None:
    tab = Tab(server)
    tab.start(QUESTION)
    path = server.rubrics_dir / "uber-eta.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("difficulty: medium", "difficulty: impossible"), encoding="utf-8")
    try:
        tab.client.predict(api_name="/reload_bank")
        reply = final(tab.send(ANSWERS[1]), "chat")
        assert text_of(reply[-1]).endswith("?")
        assert '<p class="score">' in final(tab.end(), "scorecard")
    finally:
        path.write_text(original, encoding="utf-8")
        tab.client.predict(api_name="/reload_bank")


def test_run_examples_compares_coach_and_grader_levels(server: Server) -> None:
    rubric = server.bank.get(QUESTION)
    table = Tab(server).client.predict(QUESTION, api_name="/run_examples")
    assert table["headers"] == ["example", "criterion", "coach", "grader", "agrees"]
    *rows, summary = table["data"]
    assert len(rows) == len(rubric.examples) * len(rubric.criteria)
    expected = {(e.id, c): str(level) for e in rubric.examples for c, level in e.expected_levels.items()}
    for example_id, criterion_id, coach, grader, agrees in rows:
        assert coach == expected[(example_id, criterion_id)]
        assert agrees == {0: "yes", 1: "within one"}.get(abs(int(coach) - int(grader)), "NO")
    exact = sum(agrees == "yes" for *_, agrees in rows)
    assert summary[0] == "all examples" and summary[4].startswith(f"exact {exact}/{len(rows)} ")


def test_grading_a_pasted_transcript_gives_a_scorecard(server: Server) -> None:
    rubric = server.bank.get(QUESTION)
    strong = next(e for e in rubric.examples if e.id == "strong-answer").answer
    card = Tab(server).client.predict(QUESTION, strong, None, api_name="/grade_transcript")
    assert '<p class="score">' in card and "Model answer outline" in card
    assert all(criterion.name in card for criterion in rubric.criteria)


def test_grading_without_a_transcript_asks_for_one(server: Server) -> None:
    assert "Paste or upload a transcript first." in Tab(server).client.predict(QUESTION, "  ", None, api_name="/grade_transcript")


def test_a_loop_runs_its_questions_in_turn_and_ends_with_a_combined_scorecard(server: Server) -> None:
    tab = Tab(server)
    loop = server.bank.loop("ml-engineer-screen")
    questions = server.bank.loop_questions(loop.id)
    started = tab.run("/start_loop_interview", loop.id)
    first_chat = final(started, "chat")
    assert text_of(first_chat[0]) == f"Question 1 of {len(questions)}: {questions[0].title}"
    assert text_of(first_chat[1]) == questions[0].prompt.strip()

    tab.send("I'd predict no-shows with gradient boosting on order history, payment method and time of day.")
    chat = final(tab.run("/skip_to_next"), "chat")
    assert text_of(chat[-2]) == f"Question 2 of {len(questions)}: {questions[1].title}"
    assert text_of(chat[-1]) == questions[1].prompt.strip()
    tab.send("Bias is systematic error from too simple a model; variance is sensitivity to the training sample.")

    ended = tab.end()
    card = final(ended, "scorecard")
    assert loop.title in card and f"2 of {len(questions)} questions answered" in card and "skipped (0)" in card
    document = json.loads(downloads(tab)["json"].read_text(encoding="utf-8"))
    assert document["loop"]["id"] == loop.id and len(document["questions"]) == 2


def test_a_loop_resumes_after_a_refresh_with_its_loop_picked(server: Server) -> None:
    tab = Tab(server)
    tab.run("/start_loop_interview", "data-scientist-screen")
    kept = tab.remember()
    assert kept["practice"].startswith("loop:")
    tab.send("I'd check the class balance first: 90% accuracy may be what always predicting the majority gives.")
    tab.run("/skip_to_next")
    refreshed = Tab(server, tab.remember())  # a new tab holding only what the browser kept
    chat = final(refreshed.resumed, "chat")
    headers = [text_of(m) for m in chat if text_of(m).startswith("Question ")]
    assert [h.split(":")[0] for h in headers] == ["Question 1 of 6", "Question 2 of 6"]
    assert final(refreshed.resumed, "loop_picker")["value"] == "data-scientist-screen"
    reply = final(refreshed.send("I'd look at the retention curves of users by friend count."), "chat")
    assert reply[-2]["role"] == "user" and "retention curves" in text_of(reply[-2])


def test_a_refresh_picks_the_resumed_question(server: Server) -> None:
    tab = Tab(server)
    tab.start("fraud-detection")
    refreshed = Tab(server, tab.kept)
    assert final(refreshed.resumed, "picker")["value"] == "fraud-detection"
    assert len(final(refreshed.resumed, "chat")) == 1


def test_a_reload_keeps_the_interview_when_the_mute_box_is_remembered_before_it_resumes(server: Server) -> None:
    tab = Tab(server)
    tab.start("uber-eta")
    tab.send("I'd predict minutes to pickup from the routing estimate and the traffic.")
    kept = tab.remember()
    reloaded = Client(server.url, verbose=False)
    identified = reloaded.predict(kept, api_name="/identify")
    muted = reloaded.predict(identified, True, api_name="/remember")  # the Mute box, set as the page loads
    assert muted["practice"] == kept["practice"] and muted["muted"] is True
    again = Tab(server, muted)  # the second reload still resumes the interview
    assert any("routing estimate" in text_of(m) for m in final(again.resumed, "chat"))


def test_an_answer_from_a_page_this_server_never_loaded_says_to_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(interview_events.gr, "Warning", warned.append)
    events = object.__new__(interview_events.InterviewEvents)  # neither branch touches the app
    assert list(events.typed("my answer", None, None, False)) == []  # a replica that took over
    assert list(events.typed("my answer", "browser:abc", None, False)) == []  # signed in, nothing started
    assert warned == [interview_events.LOST_PAGE, "Press Start to begin an interview."]
    assert "reload the page" in interview_events.LOST_PAGE
