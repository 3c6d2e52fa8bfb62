"""A real app on 127.0.0.1 and gradio_client tabs, each a browser with its own secret.

gradio_client keeps gr.State per Client, so one Client is one browser tab. `Tab` runs the page's
load events as a browser does (who am I, fill the pickers, resume what I kept) and names the
outputs of the interview handlers, which API callers receive in order (gr.State hidden).
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from gradio_client import Client

from interviewer.llm.config import LLMSettings
from interviewer.practice.owners import browser_owner
from interviewer.rubric import DEFAULT_RUBRICS_DIR, RubricBank
from interviewer.store import SqliteStore
from interviewer.ui.interview_events import CONTROLS, RESUME, SPOKEN, START, TURN, TYPED

# API callers do not receive gr.State values, buttons or layout rows.
HIDDEN = {"practice", "phase", "wanted", "next_question", "confirm"}
OUTPUTS = {"/start_interview": START, "/start_loop_interview": START, "/confirm_start": START,
           "/resume": RESUME, "/controls": CONTROLS, "/take_turn": TYPED, "/voice_turn": SPOKEN}


def shown(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name not in HIDDEN]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    rubrics_dir: Path
    db_path: Path
    downloads: Path
    close: Callable[[], None]
    bank: RubricBank = field(init=False)

    def __post_init__(self) -> None:
        self.bank = RubricBank(self.rubrics_dir)


def start_server(root: Path, db_path: Path, rubrics_dir: Path | None = None, **options: Any) -> Server:
    from interviewer.practice.setup import PracticeApp
    from interviewer.ui.app import launch

    rubrics = rubrics_dir or root / "rubrics"
    if not rubrics.exists():
        shutil.copytree(DEFAULT_RUBRICS_DIR, rubrics)
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        # The launch-time warm-up embeds all ~7,000 rubric phrases: 20 s or more of both cores,
        # measured by benchmarks/app.py. Here only the model loads; graded questions embed on first use.
        patch.setattr(PracticeApp, "warm_up", lambda app: app.service.graders.offline.warm_up([]))
        # Explicit offline settings: module fixtures are built before the per-test fixture that
        # clears LLM variables from the environment.
        app = launch(rubrics, host="127.0.0.1", port=port, block=False, db_path=db_path,
                     settings=LLMSettings.from_env({}), **options)
    return Server(f"http://127.0.0.1:{port}/", rubrics, db_path, root / "downloads", app.close)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("app")
    running = start_server(root, root / "sessions.sqlite3")
    try:
        yield running
    finally:
        running.close()


def named(outputs: tuple | list, names: tuple[str, ...]) -> dict[str, Any]:
    """An interview handler's outputs by component name."""
    return dict(zip(shown(names), outputs if isinstance(outputs, (tuple, list)) else [outputs], strict=True))


class Tab:
    """A browser tab: what it keeps in localStorage, and its gradio session."""

    def __init__(self, server: Server, kept: dict[str, Any] | None = None, auth: tuple[str, str] | None = None,
                 cookies: dict[str, str] | None = None) -> None:
        """`auth`: sign in with this name and password first (an app with accounts). `cookies`: what
        the browser kept, e.g. the route a reverse proxy gave it (gradio_client sends them all)."""
        self.server = server
        self.client = Client(server.url, verbose=False, download_files=str(server.downloads), auth=auth,
                             httpx_kwargs={"cookies": cookies or {}})
        self.kept = self.client.predict(kept or {}, api_name="/identify")
        self.client.predict(self.kept, api_name="/initial_picker")
        self.resumed = self.run("/resume", self.kept)
        if auth is None:  # with accounts, the Coach tab's rubric list is for coaches only
            self.client.predict(api_name="/refresh")

    @property
    def owner(self) -> str:
        owner = browser_owner(self.kept["owner"])
        assert owner is not None
        return owner

    def run(self, api_name: str, *args: Any) -> list[dict[str, Any]]:
        """Every update an interview handler yields, by component name (the last is what the page shows)."""
        job = self.client.submit(*args, api_name=api_name)
        job.result(timeout=90)
        return [named(out, OUTPUTS.get(api_name, TURN)) for out in job.outputs()]

    def controls(self) -> dict[str, Any]:
        """What the page's phase-change event shows: Next question and the downloads."""
        return self.run("/controls")[-1]

    def remember(self) -> dict[str, Any]:
        """What the page's follow-up event writes to localStorage after a turn."""
        self.kept = self.client.predict(self.kept, False, api_name="/remember")
        return self.kept

    def start(self, question: str) -> list[dict[str, Any]]:
        updates = self.run("/start_interview", question)
        self.remember()
        return updates

    def send(self, text: str) -> list[dict[str, Any]]:
        return self.run("/take_turn", text)

    def end(self) -> list[dict[str, Any]]:
        return self.run("/end_interview")

    def raw(self, api_name: str, *data: Any) -> dict[str, Any]:
        """Call an endpoint over plain HTTP in this tab's session, as any visitor can, with no help
        from gradio_client (which would upload a local file rather than send its path)."""
        fn_index = next(e.fn_index for e in self.client.endpoints.values() if getattr(e, "api_name", None) == api_name)
        url, session = self.server.url, self.client.session_hash
        payload = {"data": list(data), "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
        httpx.post(f"{url}gradio_api/queue/join", json=payload).raise_for_status()
        with httpx.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session}, timeout=90) as events:
            for line in events.iter_lines():
                message = json.loads(line[5:]) if line.startswith("data:") else {}
                if message.get("msg") == "process_completed":
                    return message
        raise AssertionError(f"{api_name} never completed")

    def history(self) -> list[list[str]]:
        table = self.client.predict(api_name="/history_refresh")
        return table["data"]


@pytest.fixture
def tab(server: Server) -> Callable[..., Tab]:
    return lambda kept=None: Tab(server, kept)


def store(server: Server) -> SqliteStore:
    return SqliteStore(server.db_path)


def text_of(message: dict[str, Any]) -> str:
    """Gradio 6 sends a chat message's content as a list of blocks."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(block.get("text", "") for block in content)


def unchanged(value: Any) -> bool:
    """An update that leaves its component as it was (Gradio's `gr.update()` with nothing in it)."""
    return isinstance(value, dict) and value.get("__type__") == "update" and "value" not in value and "visible" not in value


def final(updates: list[dict[str, Any]], name: str) -> Any:
    """The last value a handler gave a component (updates that leave it alone skipped)."""
    values = [u[name] for u in updates if not unchanged(u[name])]
    assert values, f"no update set {name}"
    return values[-1]
