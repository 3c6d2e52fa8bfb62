"""A browser tab as the benchmarks drive one: one kept-alive HTTP connection per tab and Gradio's
queue protocol (join an event, read its messages from the session's event stream), so the
figures measure the app, not the overhead of a heavy client library.

Like the page, the tab also runs the events that follow an event: its `.then` chain, and the
change events of server-side state the event changed (the controls, the interviewer's voice).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx


class BrowserTab:
    def __init__(self, url: str, muted: bool = True, kept: dict[str, Any] | None = None,
                 cookies: httpx.Cookies | None = None) -> None:
        """`kept` and `cookies`: what the browser held before a reload (its localStorage entry and
        cookies such as a reverse proxy's route); the client's cookie jar keeps new ones."""
        self.http = httpx.Client(base_url=url, timeout=120, cookies=cookies)
        config = self.http.get("/config").json()
        self.states = {c["id"] for c in config["components"] if c.get("type") == "state"}
        self.events = {d["id"]: d for d in config["dependencies"]}
        self.by_name = {d["api_name"]: d["id"] for d in config["dependencies"] if d.get("api_name")}
        self.kinds = kinds = {c["id"]: c.get("type") for c in config["components"]}
        self.session = secrets.token_hex(8)
        # What the page holds for inputs that follow-up events read: the browser's memory, the mute box.
        self.page: dict[int, Any] = {i: muted for i, kind in kinds.items() if kind == "checkbox"}
        self.browser_id = next(i for i, kind in kinds.items() if kind == "browserstate")
        self.page[self.browser_id] = self.call("identify", kept or {})[0]
        self.call("initial_picker", self.page[self.browser_id])

    @property
    def kept(self) -> dict[str, Any]:
        """What the browser keeps in localStorage: its secret and the practice to resume."""
        return self.page[self.browser_id]

    def call(self, api_name: str, *data: Any) -> list[Any]:
        """Run one event with `data` for its visible inputs, then what follows it; returns its outputs."""
        return self._run(self.by_name[api_name], list(data))

    def shown(self, api_name: str, outputs: list[Any], kind: str) -> Any:
        """The value an event's outputs gave its first component of `kind`, e.g. "chatbot"."""
        ids = self.events[self.by_name[api_name]]["outputs"]  # states included, sent as None
        return next(value for i, value in zip(ids, outputs) if self.kinds[i] == kind)

    def _run(self, event_id: int, data: list[Any]) -> list[Any]:
        event = self.events[event_id]
        given = iter(data)
        inputs = [None if i in self.states else next(given) for i in event["inputs"]]
        outputs, changed = self._join(event_id, inputs)
        visible = [i for i in event["outputs"] if i not in self.states]
        self.page |= {i: value for i, value in zip(visible, outputs) if i == self.browser_id}
        for follow in self.events.values():
            after = follow.get("trigger_after") == event_id
            if after or any([target, "change"] in follow["targets"] for target in changed):
                self._run(follow["id"], [self.page.get(i) for i in follow["inputs"] if i not in self.states])
        return outputs

    def _join(self, event_id: int, inputs: list[Any]) -> tuple[list[Any], set[int]]:
        body = {"data": inputs, "fn_index": event_id, "session_hash": self.session, "event_data": None, "trigger_id": None}
        self.http.post("/gradio_api/queue/join", json=body).raise_for_status()
        changed: set[int] = set()
        with self.http.stream("GET", "/gradio_api/queue/data", params={"session_hash": self.session}) as events:
            for line in events.iter_lines():
                message = json.loads(line[5:]) if line.startswith("data:") else {}
                changed.update((message.get("output") or {}).get("changed_state_ids") or [])
                if message.get("msg") == "process_completed":
                    if message.get("success"):
                        return message["output"]["data"], changed
                    if (message.get("output") or {}).get("visible") is False:
                        return [], changed  # a quiet refusal (a candidate's page loading the coach tabs): the page shows nothing
                    raise RuntimeError(f"event {event_id} failed: {message.get('output')}")
        raise RuntimeError(f"event {event_id}: the event stream ended early")

    def close(self) -> None:
        self.http.close()
