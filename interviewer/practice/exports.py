"""Scored transcripts written to files when asked, for downloads: never on every turn, and cleared as they age.

Each request gets a fresh folder under one private temporary folder, so two candidates' files
never meet, and folders older than an hour are removed at the next request.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from interviewer.export.files import ExportFormat, export_filename, write_export
from interviewer.export.loop import LoopPart, loop_html, loop_json, loop_markdown
from interviewer.practice.records import Practice
from interviewer.practice.snapshots import Snapshots
from interviewer.store.protocol import SessionStore

FORMATS: tuple[ExportFormat, ...] = ("md", "json", "html")
KEEP_SECONDS = 3600.0
LOOP_WRITERS = {"md": loop_markdown, "json": loop_json, "html": loop_html}


class Exports:
    def __init__(self, store: SessionStore, snapshots: Snapshots, root: Path | None = None, keep_seconds: float = KEEP_SECONDS) -> None:
        self.store, self.snapshots, self.keep_seconds = store, snapshots, keep_seconds
        self.root = root or Path(tempfile.mkdtemp(prefix="interviewer-exports-"))

    def files(self, practice: Practice) -> dict[ExportFormat, Path]:
        """The practice as Markdown, JSON and HTML files; a loop as one document of all its questions."""
        self._clear_old()
        folder = Path(tempfile.mkdtemp(dir=self.root))
        if practice.loop is not None and practice.loop.scorecard is not None:
            return self._loop_files(practice, folder)
        rubric = self.snapshots.rubric(practice)
        return {
            fmt: write_export(fmt, practice.state, rubric, practice.scorecard, practice.delivery, directory=folder)
            for fmt in FORMATS
        }

    def _loop_files(self, practice: Practice, folder: Path) -> dict[ExportFormat, Path]:
        run = practice.loop
        assert run is not None and run.scorecard is not None
        parts = []
        for session_id, question in zip(run.session_ids, run.questions):
            stored = self.store.load(practice.owner, session_id)
            rubric = self.snapshots.by_ref(question.rubric_ref, question.question_id)
            parts.append(LoopPart(stored.state, rubric, stored.scorecard, stored.delivery))
        started = parts[0].state if parts else practice.state
        paths = {}
        for fmt in FORMATS:
            path = folder / export_filename(started, fmt).replace(started.question_id, run.loop_id, 1)
            path.write_text(LOOP_WRITERS[fmt](run.scorecard, parts), encoding="utf-8")
            paths[fmt] = path
        return paths

    def _clear_old(self) -> None:
        cutoff = time.time() - self.keep_seconds
        for folder in self.root.iterdir():
            if folder.is_dir() and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
