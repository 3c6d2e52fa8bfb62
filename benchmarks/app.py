"""Time and size the web app as a user meets it, through its HTTP API on loopback.

- start-up: from spawning `python -m interviewer.cli serve` until GET / answers 200;
- the grader's warm-up after that (the app embeds every rubric phrase in a background thread),
  seen from outside as the time until the server process goes idle;
- text turn latency (send an answer, get the interviewer's whole reply) over a scripted
  15-turn uber-eta session (no speech is asked for): once while the warm-up still runs, once
  after it;
- 25 concurrent typed sessions, each a tab that starts an interview and answers 6 times, with
  turn latency p50 and p95 (target: p95 <= 500 ms in one process on a quiet 2-core machine);
- memory (VmRSS of the server process) idle, with one session, and after the concurrent sessions.

Figures are printed, not asserted. Offline: no LLM variables reach the server.
Run: .venv/bin/python benchmarks/app.py [turns] [sessions] [answers]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from browser_tab import BrowserTab

QUESTION = "uber-eta"
SCRIPT = [  # clarifying questions and answers, none of which ends the interview
    "What exactly are we predicting, the ETA to pickup or the whole trip?",
    "How much data do we have, and over what time range?",
    "What is the current system, is there a routing engine baseline?",
    "I'd frame it as a regression on minutes until the driver reaches the pickup, made at request time.",
    "What is the latency budget for the model?",
    "As a baseline I'd take the routing engine estimate and train gradient boosted trees on its residual.",
    "Features: route distance, live segment speeds, historical speeds by hour of week, weather and events.",
    "How clean is the GPS data, are there outliers?",
    "For labels I'd use map-matched GPS arrival and treat cancelled rides as censored.",
    "I'd validate on later weeks than I train on, never a random split, with point-in-time features.",
    "I'd report MAE against the routing baseline and the p90 error, sliced by neighborhood and hour.",
    "Being late costs more than being early, so I might use a quantile loss.",
    "To see if a million rides is enough I'd plot a learning curve over growing subsets.",
    "I'd also count examples per slice: snow days, the airport and the suburbs are thin.",
    "Then an A/B test on cancellation rate, with monitoring for drift and daily retraining.",
]
READY_TIMEOUT = 180.0
IDLE_TIMEOUT = 300.0
IDLE_WINDOW = 1.0
TICKS = os.sysconf("SC_CLK_TCK")


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def cpu_seconds(pid: int) -> float:
    # Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def offline_env(db: str | Path) -> dict[str, str]:
    from interviewer.llm.config import ENV_VARS

    env = {k: v for k, v in os.environ.items() if k not in {*ENV_VARS.values(), "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"}}
    env.update(GRADIO_ANALYTICS_ENABLED="False", INTERVIEWER_DB=str(db), PYTHONUNBUFFERED="1")
    return env


def wait_until_serving(url: str, server: subprocess.Popen) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < READY_TIMEOUT:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode} before serving")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer 200 within {READY_TIMEOUT:.0f} s")


def wait_until_idle(pid: int, busy_share: float = 0.2, window: float = IDLE_WINDOW) -> tuple[float, float]:
    """Seconds until the process uses under busy_share of one core over a window, and its CPU time then."""
    start = time.perf_counter()
    before = cpu_seconds(pid)
    while time.perf_counter() - start < IDLE_TIMEOUT:
        time.sleep(window)
        now = cpu_seconds(pid)
        if now - before < busy_share * window:
            return time.perf_counter() - start - window, now
        before = now
    return float("nan"), cpu_seconds(pid)


def scripted_session(url: str, turns: int) -> tuple[float, list[float]]:
    """Start, then `turns` answers; returns the start latency and each turn's latency."""
    tab = BrowserTab(url)
    started = timed(lambda: tab.call("start_interview", QUESTION, True))
    texts = (SCRIPT * (turns // len(SCRIPT) + 1))[:turns]
    latencies = [timed(lambda text=text: tab.call("take_turn", text, True)) for text in texts]
    tab.close()
    return started, latencies


def concurrent_session(url: str, answers: int, ready: threading.Barrier) -> list[float]:
    """A tab that opens, waits for the others, then starts an interview and answers; its latencies."""
    tab = BrowserTab(url)
    ready.wait()
    latencies = [timed(lambda: tab.call("start_interview", QUESTION, True))]
    latencies += [timed(lambda text=text: tab.call("take_turn", text, True)) for text in SCRIPT[3 : 3 + answers]]
    tab.close()
    return latencies


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def describe(label: str, latencies: list[float]) -> str:
    ms = [s * 1000 for s in latencies]
    if not ms:
        return f"{label}: none"
    return f"{label}: p50 {statistics.median(ms):.0f} ms, p95 {p95(ms):.0f} ms, max {max(ms):.0f} ms (n={len(ms)})"


def main(turns: int = 15, sessions: int = 25, answers: int = 6) -> None:
    print(f"[cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}]")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="interviewer-bench-") as folder:
        db = Path(folder) / "sessions.sqlite3"
        command = [sys.executable, "-m", "interviewer.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(db)]
        log = (Path(folder) / "server.log").open("w")
        spawned = time.perf_counter()
        server = subprocess.Popen(command, env=offline_env(db), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            serving = wait_until_serving(url, server)
            print(f"launch until GET / is 200: {serving:.2f} s  (RSS then {rss_mb(server.pid):.0f} MB)")

            # The warm-up thread has just started: this is what the first candidates after a restart get.
            started, latencies = scripted_session(url, turns)
            print(f"start interview (during warm-up): {started * 1000:.0f} ms")
            print(describe("text turn, during warm-up", latencies))

            _, cpu = wait_until_idle(server.pid)
            busy = time.perf_counter() - IDLE_WINDOW - spawned - serving
            print(f"grader warm-up: server busy until {busy:.0f} s after serving (process CPU time by then: {cpu:.0f} s)")
            print(f"RSS idle after warm-up, 1 session held: {rss_mb(server.pid):.0f} MB "
                  f"(peak so far, VmHWM: {rss_mb(server.pid, 'VmHWM'):.0f} MB)")

            started, latencies = scripted_session(url, turns)
            print(f"start interview: {started * 1000:.0f} ms")
            print(describe("text turn, one session (target p95 <= 100 ms)", latencies))
            print(f"RSS with 1 active session (2 held): {rss_mb(server.pid):.0f} MB")

            ready = threading.Barrier(sessions)
            server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
            burst = time.perf_counter()
            with ThreadPoolExecutor(max_workers=sessions) as pool:
                results = list(pool.map(lambda _: concurrent_session(url, answers, ready), range(sessions)))
            burst = time.perf_counter() - burst
            server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
            events = sessions * (answers + 1)
            print(f"{sessions} concurrent typed sessions (start + {answers} answers each): {burst:.1f} s; CPU per "
                  f"event: server {server_cpu / events * 1000:.0f} ms, the benchmark's clients {client_cpu / events * 1000:.0f} ms")
            print(describe(f"  start, {sessions} concurrent", [r[0] for r in results]))
            turns_seen = [seconds for r in results for seconds in r[1:]]
            print(describe(f"  text turn, {sessions} concurrent (target p95 <= 500 ms)", turns_seen))
            print(f"RSS with {sessions} concurrent sessions: {rss_mb(server.pid):.0f} MB "
                  f"(peak since launch, VmHWM: {rss_mb(server.pid, 'VmHWM'):.0f} MB)")
            print(f"[load average at the end: {os.getloadavg()[0]:.1f}]")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
            log.close()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
