"""Exports are written when asked, each request in its own folder, and old folders are cleared."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from interviewer.practice.exports import Exports

from .conftest import ALICE, last


def test_turns_write_no_files_and_a_request_writes_three(service, tmp_path: Path):
    exports = Exports(service.store, service.snapshots, root=tmp_path / "exports")
    (tmp_path / "exports").mkdir()
    practice = last(service.start(ALICE, "uber-eta"))
    for text in ("I'd frame it as regression on minutes to pickup.", "I'd validate on later weeks."):
        practice = last(service.answer(practice, text))
    assert list((tmp_path / "exports").iterdir()) == []

    files = exports.files(last(service.end(practice)))
    assert sorted(files) == ["html", "json", "md"]
    assert len({path.parent for path in files.values()}) == 1
    assert json.loads(files["json"].read_text(encoding="utf-8"))["scored"] is True
    again = exports.files(practice)
    assert again["md"].parent != files["md"].parent  # two requests never share a folder


def test_folders_older_than_the_limit_are_removed_at_the_next_request(service, tmp_path: Path):
    exports = Exports(service.store, service.snapshots, root=tmp_path, keep_seconds=60)
    practice = last(service.end(last(service.start(ALICE, "uber-eta"))))
    old = exports.files(practice)["md"].parent
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    fresh = exports.files(practice)["md"].parent
    assert not old.exists() and fresh.exists()


def test_a_finished_loop_exports_every_question_in_one_document(service, tmp_path: Path):
    exports = Exports(service.store, service.snapshots, root=tmp_path)
    practice = last(service.start_loop(ALICE, "ml-engineer-screen"))
    practice = last(service.answer(practice, "I'd frame it as binary classification of each order."))
    practice = last(service.next_question(practice))
    practice = last(service.answer(practice, "Bias is error from too simple a model."))
    files = exports.files(last(service.end(practice)))
    assert files["md"].name.startswith("ml-engineer-screen")
    document = json.loads(files["json"].read_text(encoding="utf-8"))
    assert document["schema"] == "ml-mock-interviewer/loop-export"
    assert [q["state"]["question_id"] for q in document["questions"]] == ["pizza-no-shows", "ml-fundamentals-bias-variance"]
    markdown = files["md"].read_text(encoding="utf-8")
    assert "Question 1 of 6" in markdown and "Question 2 of 6" in markdown and "skipped, counts as 0" in markdown
    assert "Bias is error from too simple a model." in files["html"].read_text(encoding="utf-8")
