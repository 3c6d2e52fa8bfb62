"""A class through nginx: simulated candidates on two app replicas, one SIGKILLed halfway.

Each candidate arrives through the proxy (nginx gives it a route cookie), starts an interview
and types a few answers with short pauses. When half of all answers have been acknowledged, the
first replica is SIGKILLed. A candidate whose turn fails, or comes back without the answer in
the chat, reloads (same cookies, same localStorage) and resumes; an answer the resumed chat
does not show is typed again.

Printed: turn latency p50/p95 before and after the kill (acknowledged turns), the errors the
candidates met, how many reloaded, and turns lost: acknowledged (the chat showed the answer)
yet absent from the database at the end.

With --accounts every candidate has an account and signs in through nginx first (Gradio's sign-in
page); after the kill, the reload must find them still signed in on the other replica, or they
give up. The sign-in's latency is printed too.

Offline. The replicas share a throwaway PostgreSQL cluster of their own (as deploy/run-class.sh
starts one), or a SQLite file with --db sqlite, or the database --db names (a file or a URL).
Run: .venv/bin/python benchmarks/class_load.py [--candidates 100] [--answers 4] [--db postgres] [--accounts]
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
from interviewer.accounts import Accounts, account_store_for  # noqa: E402
from interviewer.practice.owners import account_owner, browser_owner  # noqa: E402
from interviewer.store import open_store  # noqa: E402

QUESTION = "uber-eta"
ARRIVALS = 10.0  # seconds over which the class arrives
THINK = (1.0, 3.0)  # seconds between a reply and the next answer
ATTEMPTS = 3  # tries at one answer before a candidate gives up
PASSWORD = "a class benchmark password"


def said(chat: object) -> list[str]:
    """The candidate's lines in a chat value (Gradio 6 sends content as a list of blocks)."""
    messages = chat if isinstance(chat, list) else []
    texts = [m["content"] if isinstance(m["content"], str) else "".join(b.get("text", "") for b in m["content"])
             for m in messages if m.get("role") == "user"]
    return texts


@dataclass
class Candidate:
    url: str
    name: str | None = None  # the account, with --accounts
    signing_in: float = 0.0  # seconds
    acknowledged: list[str] = field(default_factory=list)
    turns: list[tuple[float, float]] = field(default_factory=list)  # (when it finished, seconds)
    errors: int = 0
    reloads: int = 0
    gave_up: str = ""
    kept: dict = field(default_factory=dict)
    route: str = ""  # nginx's cookie: which replica it hashes to

    def attend(self, arrival: float, answers: list[str], tick: threading.Semaphore, rng: random.Random) -> None:
        time.sleep(arrival)
        try:
            tab = self.begin(BrowserTab(self.url, cookies=self.sign_in() if self.name else None))
            self.route = tab.http.cookies.get("interviewer_route", "")
            for text in answers:
                time.sleep(rng.uniform(*THINK))
                tab = self.answer(tab, text)
                tick.release()
            self.kept = tab.kept
            tab.close()
        except Exception as error:  # noqa: BLE001 - counted and printed, the class goes on
            self.gave_up = f"{type(error).__name__}: {error}"

    def sign_in(self) -> httpx.Cookies:
        """Gradio's sign-in form, through nginx: the cookies a browser keeps after it."""
        started = time.perf_counter()
        with httpx.Client(base_url=self.url, timeout=120) as browser:
            browser.post("login", data={"username": self.name, "password": PASSWORD}).raise_for_status()
            self.signing_in = time.perf_counter() - started
            return browser.cookies

    @property
    def owner(self) -> str:
        return account_owner(self.name) if self.name else browser_owner(self.kept["owner"])  # type: ignore[return-value]

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
        state = store.load(candidate.owner, candidate.kept["practice"]).state
        stored = Counter(turn.text for turn in state.turns if turn.role == "candidate")
        lost += sum((Counter(candidate.acknowledged) - stored).values())
        doubled += sum(count - 1 for count in stored.values() if count > 1)
    return lost, doubled


def add_accounts(db: str, names: list[str]) -> None:
    """Before the replicas start: they read whether accounts exist once, at launch."""
    store = open_store(db)
    accounts = Accounts(account_store_for(store))
    for name in names:
        accounts.add(name, "candidate", PASSWORD)
    getattr(store, "close", lambda: None)()


def main(candidates: int, answers: int, db: str, with_accounts: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="interviewer-class-bench-") as folder, ExitStack() as stack:
        Path(folder).chmod(0o755)  # reachable by the postgres user the cluster runs as under root
        if db == "postgres":
            db = stack.enter_context(LocalPostgres(Path(folder) / "postgres")).url
        elif db == "sqlite":
            db = str(Path(folder) / "sessions.sqlite3")
        print(f"database: {db}")
        names = [f"candidate{i:03d}" for i in range(candidates)] if with_accounts else [None] * candidates
        if with_accounts:
            add_accounts(db, names)  # type: ignore[arg-type]
        ports = [free_port(), free_port()]
        started = time.perf_counter()
        with ClassSet(db, Path(folder), free_port(), ports, env=offline_env(db)) as classroom:
            print(f"2 replicas and nginx serving: {time.perf_counter() - started:.1f} s")
            for replica in classroom.replicas:
                wait_until_idle(replica.process.pid)  # the grader's warm-up: what a class gets after it
            print(f"both replicas warmed up: {time.perf_counter() - started:.1f} s")
            everyone = drive(classroom, names, answers)
        lost, doubled = lost_turns(db, everyone)
        print(f"turns lost (acknowledged, not in the database): {lost}; answers stored twice: {doubled}")


def drive(classroom: ClassSet, names: list[str | None], answers: int) -> list[Candidate]:
    """The class, start to end, with the first replica SIGKILLed halfway; prints what they met."""
    rng = random.Random(7)
    candidates = len(names)
    everyone = [Candidate(classroom.url, name) for name in names]
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
    moved = [c for c in everyone if routes.get(c.route) == victim and any(at >= killed_at for at, _ in c.turns)]
    print(f"candidates of the killed replica who answered after the kill (on the other): {len(moved)}")
    turns = [(at, seconds) for c in everyone for at, seconds in c.turns]
    print(describe("  turn, before the kill", [s for at, s in turns if at < killed_at]))
    print(describe("  turn, after the kill", [s for at, s in turns if at >= killed_at]))
    print(describe("  turn, all", [s for _, s in turns]))
    if any(c.name for c in everyone):
        print(describe("  sign-in", [c.signing_in for c in everyone if c.signing_in]))
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
    parser.add_argument("--accounts", action="store_true", help="every candidate signs in first")
    options = parser.parse_args()
    main(options.candidates, options.answers, options.db, options.accounts)
