"""A class through nginx: simulated candidates on two app replicas, one SIGKILLed halfway.

Each candidate arrives through the proxy (nginx gives it a route cookie), starts an interview
and types a few answers with short pauses. When half of all answers have been acknowledged, the
first replica is SIGKILLed. A candidate whose turn fails, or comes back without the answer in
the chat, reloads (same cookies, same localStorage) and resumes; an answer the resumed chat
does not show is typed again.

Printed: turn latency p50/p95 before and after the kill (acknowledged turns), the errors the
candidates met, how many reloaded, and turns lost: acknowledged (the chat showed the answer)
yet absent from the database at the end.

Offline. The replicas share a throwaway PostgreSQL cluster of their own (as deploy/run-class.sh
starts one), or a SQLite file with --db sqlite, or the database --db names (a file or a URL).
Run: .venv/bin/python benchmarks/class_load.py [--candidates 100] [--answers 4] [--db postgres]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app import SCRIPT, describe, free_port, offline_env, wait_until_idle
from browser_tab import BrowserTab

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # deploy/ lives beside benchmarks/
from deploy.class_set import ClassSet  # noqa: E402
from deploy.local_postgres import LocalPostgres  # noqa: E402
from interviewer.practice.owners import browser_owner  # noqa: E402
from interviewer.store import open_store  # noqa: E402

QUESTION = "uber-eta"
ARRIVALS = 10.0  # seconds over which the class arrives
THINK = (1.0, 3.0)  # seconds between a reply and the next answer
ATTEMPTS = 3  # tries at one answer before a candidate gives up


def said(chat: object) -> list[str]:
    """The candidate's lines in a chat value (Gradio 6 sends content as a list of blocks)."""
    messages = chat if isinstance(chat, list) else []
    texts = [m["content"] if isinstance(m["content"], str) else "".join(b.get("text", "") for b in m["content"])
             for m in messages if m.get("role") == "user"]
    return texts


@dataclass
class Candidate:
    url: str
    acknowledged: list[str] = field(default_factory=list)
    turns: list[tuple[float, float]] = field(default_factory=list)  # (when it finished, seconds)
    errors: int = 0
    reloads: int = 0
    gave_up: str = ""
    kept: dict = field(default_factory=dict)

    def attend(self, arrival: float, answers: list[str], tick: threading.Semaphore, rng: random.Random) -> None:
        time.sleep(arrival)
        try:
            tab = self.begin(BrowserTab(self.url))
            for text in answers:
                time.sleep(rng.uniform(*THINK))
                tab = self.answer(tab, text)
                tick.release()
            self.kept = tab.kept
            tab.close()
        except Exception as error:  # noqa: BLE001 - counted and printed, the class goes on
            self.gave_up = f"{type(error).__name__}: {error}"

    def begin(self, tab: BrowserTab) -> BrowserTab:
        """Start the interview; a start cut off by the kill is started again after a reload."""
        for _ in range(ATTEMPTS):
            try:
                tab.call("start_interview", QUESTION, True)
                return tab
            except (httpx.HTTPError, RuntimeError):
                self.errors += 1
                tab, _ = self.reload(tab)
        raise RuntimeError(f"no interview after {ATTEMPTS} tries at starting one")

    def answer(self, tab: BrowserTab, text: str) -> BrowserTab:
        for _ in range(ATTEMPTS):
            started = time.perf_counter()
            try:
                if text in said(tab.shown("take_turn", tab.call("take_turn", text, True), "chatbot")):
                    self.turns.append((time.monotonic(), time.perf_counter() - started))
                    self.acknowledged.append(text)
                    return tab
            except (httpx.HTTPError, RuntimeError):
                pass  # the replica died under the turn, or the stream broke
            self.errors += 1
            tab, shown = self.reload(tab)
            if text in shown:  # it was saved before the replica died: the resumed chat shows it
                self.acknowledged.append(text)
                return tab
        raise RuntimeError(f"no reply to an answer after {ATTEMPTS} tries")

    def reload(self, tab: BrowserTab) -> tuple[BrowserTab, list[str]]:
        self.reloads += 1
        kept, cookies = tab.kept, tab.http.cookies
        tab.close()
        fresh = BrowserTab(self.url, kept=kept, cookies=cookies)
        return fresh, said(fresh.shown("resume", fresh.call("resume", kept), "chatbot"))


def lost_turns(db: str, candidates: list[Candidate]) -> tuple[int, int]:
    """Acknowledged answers the database lacks, and answers it holds twice."""
    store, lost, doubled = open_store(db), 0, 0
    for candidate in candidates:
        if not candidate.kept.get("practice"):
            lost += len(candidate.acknowledged)
            continue
        state = store.load(browser_owner(candidate.kept["owner"]), candidate.kept["practice"]).state
        stored = Counter(turn.text for turn in state.turns if turn.role == "candidate")
        lost += sum((Counter(candidate.acknowledged) - stored).values())
        doubled += sum(count - 1 for count in stored.values() if count > 1)
    return lost, doubled


def main(candidates: int, answers: int, db: str) -> None:
    with tempfile.TemporaryDirectory(prefix="interviewer-class-bench-") as folder, ExitStack() as stack:
        Path(folder).chmod(0o755)  # reachable by the postgres user the cluster runs as under root
        if db == "postgres":
            db = stack.enter_context(LocalPostgres(Path(folder) / "postgres")).url
        elif db == "sqlite":
            db = str(Path(folder) / "sessions.sqlite3")
        print(f"database: {db}")
        ports = [free_port(), free_port()]
        started = time.perf_counter()
        with ClassSet(db, Path(folder), free_port(), ports, env=offline_env(db)) as classroom:
            print(f"2 replicas and nginx serving: {time.perf_counter() - started:.1f} s")
            for replica in classroom.replicas:
                wait_until_idle(replica.process.pid)  # the grader's warm-up: what a class gets after it
            print(f"both replicas warmed up: {time.perf_counter() - started:.1f} s")
            everyone = drive(classroom, candidates, answers)
        lost, doubled = lost_turns(db, everyone)
        print(f"turns lost (acknowledged, not in the database): {lost}; answers stored twice: {doubled}")


def drive(classroom: ClassSet, candidates: int, answers: int) -> list[Candidate]:
    """The class, start to end, with the first replica SIGKILLed halfway; prints what they met."""
    rng = random.Random(7)
    everyone = [Candidate(classroom.url) for _ in range(candidates)]
    tick = threading.Semaphore(0)
    texts = SCRIPT[3:3 + answers]
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=candidates) as pool:
        for i, candidate in enumerate(everyone):
            pool.submit(candidate.attend, ARRIVALS * i / candidates, texts, tick, random.Random(rng.random()))
        for _ in range(candidates * answers // 2):
            if not tick.acquire(timeout=120):
                break  # candidates are giving up: kill now rather than wait for ever
        victim = classroom.replicas[0].address
        routes = {s.route: s.replica for s in classroom.served() if "queue/join" in s.path}
        killed_at = time.monotonic()
        classroom.kill(victim)
        print(f"SIGKILLed {victim} after {time.perf_counter() - began:.1f} s, half the answers in; it served "
              f"{sum(r == victim for r in routes.values())} of {len(routes)} candidates")
    print(f"{candidates} candidates, {answers} typed answers each: {time.perf_counter() - began:.1f} s")
    turns = [(at, seconds) for c in everyone for at, seconds in c.turns]
    print(describe("  turn, before the kill", [s for at, s in turns if at < killed_at]))
    print(describe("  turn, after the kill", [s for at, s in turns if at >= killed_at]))
    print(describe("  turn, all", [s for _, s in turns]))
    gave_up = [c.gave_up for c in everyone if c.gave_up]
    print(f"errors seen by candidates: {sum(c.errors for c in everyone)}; candidates who reloaded and resumed: "
          f"{sum(c.reloads > 0 for c in everyone)} ({sum(c.reloads for c in everyone)} reloads); gave up: {len(gave_up)}"
          + (f" (first: {gave_up[0]})" if gave_up else ""))
    print(f"answers acknowledged: {sum(len(c.acknowledged) for c in everyone)} of {candidates * answers}")
    return everyone


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--answers", type=int, default=4)
    parser.add_argument("--db", default="postgres", help="postgres (a throwaway cluster), sqlite (a throwaway "
                        "file), or a SQLite file or postgresql:// URL to use")
    options = parser.parse_args()
    main(options.candidates, options.answers, options.db)
