"""The `openai` SDK client, built the same way for chat and for audio."""

from __future__ import annotations

from typing import TYPE_CHECKING

from openai import OpenAI

from interviewer.llm.config import LLMSettings

if TYPE_CHECKING:
    import httpx

# Sent to local servers that need no key: the SDK insists on one, and they ignore it.
NO_KEY_PLACEHOLDER = "no-key-needed"


def sdk_client(settings: LLMSettings, http_client: httpx.Client | None = None) -> OpenAI:
    """An SDK client for the configured server. Its own retries are off: `policy.HttpPolicy`
    retries every call the same way. Tests pass an `httpx.Client` so respx sees the requests."""
    key = settings.api_key.get_secret_value() if settings.api_key else NO_KEY_PLACEHOLDER
    return OpenAI(
        api_key=key,
        base_url=settings.effective_base_url,
        timeout=settings.timeout_seconds,
        max_retries=0,
        http_client=http_client,  # type: ignore[arg-type]  # the SDK accepts httpx and httpx2 clients
    )
