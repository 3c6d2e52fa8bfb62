"""Test-wide rules: no test reaches an LLM server, and LLM settings never leak in from the shell.

- Every test runs with the LLM environment variables (OPENAI_API_KEY, OPENAI_BASE_URL,
  INTERVIEWER_MODEL, ...) removed, so the app under test is offline unless the test says
  otherwise, on a developer's machine exactly as in CI.
- Building a real `OpenAICompatibleClient` raises unless the test is marked
  `@pytest.mark.allow_llm_client` (and then injects a fake transport: respx or
  httpx.MockTransport) or uses the `llm_recording` fixture.
- Fixtures: `scripted_llm` (a ScriptedLLM that must be used up) and `llm_recording`
  (record/replay against tests/recordings/; INTERVIEWER_RECORD=1 records).
- `cheap_password_hashes`: account tests opt in with `pytestmark = pytest.mark.usefixtures(...)`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from interviewer.llm.config import ENV_VARS, FORBID_REAL_CLIENT_ENV, LLMSettings
from interviewer.store.postgres_store import PostgresStore
from support.postgres import Cluster, start_cluster

# pytester: the LLM tests check that these fixtures fail tests they should fail.
pytest_plugins = ["pytester"]

RECORDINGS_DIR = Path(__file__).parent / "recordings"
ALLOW_LLM_CLIENT = "allow_llm_client"

# Read by the SDK itself as well as by our settings: none may leak in from the shell.
_LLM_ENV_VARS = frozenset({*ENV_VARS.values(), "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_CUSTOM_HEADERS"})
_RECORD_ENV = "INTERVIEWER_RECORD"
_ORIGINAL_LLM_ENV = pytest.StashKey[dict[str, str]]()
_CALL_FAILED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{ALLOW_LLM_CLIENT}: the test may build a real OpenAI-compatible client; it must inject a "
        "fake transport (respx, httpx.MockTransport), as no test reaches the network",
    )
    # Kept for record mode, which is the one time tests talk to a real, configured server.
    config.stash[_ORIGINAL_LLM_ENV] = {k: v for k, v in os.environ.items() if k in _LLM_ENV_VARS or k == _RECORD_ENV}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        # Fixtures read this at teardown: a failed test must not also save a recording or
        # complain about unused replies, which would only hide the real failure.
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _offline_llm_by_default(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _LLM_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    if request.node.get_closest_marker(ALLOW_LLM_CLIENT) is None:
        monkeypatch.setenv(
            FORBID_REAL_CLIENT_ENV,
            f"{request.node.nodeid} tried to build a real LLM client, and tests never reach a "
            "server. Use ScriptedLLM/FunctionLLM (interviewer.llm.fakes), the llm_recording "
            f"fixture, or mark the test @pytest.mark.{ALLOW_LLM_CLIENT} and inject a fake "
            "transport (respx or httpx.MockTransport).",
        )


@pytest.fixture
def allow_llm_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixture form of the opt-in, for fixtures that build clients themselves."""
    monkeypatch.delenv(FORBID_REAL_CLIENT_ENV, raising=False)


@pytest.fixture
def scripted_llm(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Factory for ScriptedLLM doubles; at the end of a passing test every reply must be used."""
    from interviewer.llm.fakes import ScriptedLLM

    made: list[ScriptedLLM] = []

    def make(*replies: Any, model: str = "scripted") -> ScriptedLLM:
        llm = ScriptedLLM(replies, model=model)
        made.append(llm)
        return llm

    yield make
    if not request.node.stash.get(_CALL_FAILED, False):
        for llm in made:
            llm.assert_all_used()


@pytest.fixture
def llm_recording(request: pytest.FixtureRequest, allow_llm_client: None) -> Iterator[Callable[..., Any]]:
    """Factory: `llm_recording("name")` gives a real OpenAICompatibleClient wired to
    tests/recordings/name.json. Replays by default, strictly; with INTERVIEWER_RECORD=1 and a
    configured server it records instead and rewrites the file when the test passes."""
    from interviewer.openai_api.recording import record_mode_enabled, recorded_client

    original_env = request.config.stash[_ORIGINAL_LLM_ENV]
    record = record_mode_enabled(original_env)
    settings = LLMSettings.from_env(original_env) if record else None
    stack = contextlib.ExitStack()

    def open_recording(name: str, *, match: str = "shape", description: str = "") -> Any:
        path = RECORDINGS_DIR / f"{name}.json"
        return stack.enter_context(
            recorded_client(path, record=record, settings=settings, match=match, description=description)  # type: ignore[arg-type]
        )

    yield open_recording
    if request.node.stash.get(_CALL_FAILED, False):
        # Unwind with an exception so recordings are neither checked for completeness nor saved.
        failed = _TestFailed()
        stack.__exit__(type(failed), failed, None)
    else:
        stack.close()


class _TestFailed(Exception):
    pass


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A PostgreSQL server of our own for the whole test session."""
    with pytest.MonkeyPatch.context() as env:
        # libpq reads PGSSLMODE, PGOPTIONS, ... from the shell: none may change what the tests connect to.
        for name in [name for name in os.environ if name.startswith("PG")]:
            env.delenv(name)
        cluster = start_cluster()
        yield cluster
        cluster.remove()


@pytest.fixture
def pg_url(postgres: Cluster) -> str:
    """The server's URL with a fresh, empty schema first on the search path: each test starts from nothing."""
    return postgres.url(postgres.new_schema())


@pytest.fixture
def pg_open() -> Iterator[Callable[..., PostgresStore]]:
    """Opens PostgresStores and closes their pools when the test ends."""
    opened: list[PostgresStore] = []

    def open_one(url: str, **options: object) -> PostgresStore:
        store = PostgresStore(url, **options)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture(scope="module")
def cheap_password_hashes() -> Iterator[None]:
    """Argon2id at 1 MiB and one pass instead of 64 MiB and three, for the module (its module fixtures
    add accounts too): account tests hash dozens of times. tests/accounts/test_password_hashes.py
    checks the parameters the app really uses."""
    from argon2 import PasswordHasher

    from interviewer.accounts import passwords

    cheap = PasswordHasher(memory_cost=1024, time_cost=1, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap)
        patch.setattr(passwords, "_DECOY", cheap.hash("a decoy"))  # an unknown name costs as little
        yield
