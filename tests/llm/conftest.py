"""Fixtures for HTTP-level tests of the OpenAI-compatible client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from interviewer.llm.config import LLMSettings
from interviewer.openai_api.recording import Cassette

RECORDINGS = Path(__file__).parents[1] / "recordings"
BASE_URL = "http://llm.test/v1"


@pytest.fixture
def recorded() -> Callable[[str], list[httpx.Response]]:
    """`recorded(name)`: the responses of tests/recordings/name.json, in order, for respx."""

    def responses(name: str) -> list[httpx.Response]:
        return [i.response.to_httpx() for i in Cassette.load(RECORDINGS / f"{name}.json").interactions]

    return responses


@pytest.fixture
def sleeps() -> list[float]:
    """Every backoff the client asked for, instead of sleeping."""
    return []


@pytest.fixture
def server() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def make_client(allow_llm_client: None, sleeps: list[float]) -> Iterator[Callable[..., Any]]:
    from interviewer.openai_api.chat import OpenAICompatibleClient
    from interviewer.openai_api.policy import RetryPolicy

    clients: list[OpenAICompatibleClient] = []

    def make(**settings: Any) -> OpenAICompatibleClient:
        settings.setdefault("base_url", BASE_URL)
        settings.setdefault("model", "test-model")
        # httpx (not the SDK's default httpx2) so respx sees the requests; jitter off so
        # the backoff schedule can be asserted exactly.
        client = OpenAICompatibleClient(
            LLMSettings(**settings),
            http_client=httpx.Client(),
            retry=RetryPolicy(max_retries=settings.get("max_retries", 2), jitter=0),
            sleep=sleeps.append,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
