"""Keep requests inside the context window, and account for tokens and cost per session."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import ContextTooLong
from interviewer.llm.protocol import Completion, LLMClient, Message, Structured, TextStream, Usage
from interviewer.llm.tokens import TOKENS_REPLY_PRIMING, context_window_for, count_message_tokens, count_tokens

T = TypeVar("T", bound=BaseModel)


class FittedPrompt(BaseModel):
    """The messages to send, after trimming, and what it cost to make them fit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    messages: list[Message] = Field(description="The messages to send, in order.")
    prompt_tokens: int = Field(description="Estimated prompt tokens of `messages`.")
    dropped: int = Field(description="How many of the oldest turns were left out.")


class TokenBudget(BaseModel):
    """Fits a conversation into a model's context window by dropping the oldest turns.

    System messages and the last message (the current question) are never dropped.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(min_length=1, description="Model whose tokenizer and window apply.")
    context_window: int = Field(gt=0, description="Tokens the model accepts, prompt plus reply.")
    max_output_tokens: int = Field(default=1024, gt=0, description="Tokens kept free for the reply.")
    margin: float = Field(
        default=0.05,
        ge=0,
        lt=0.5,
        description="Share of the window kept free because tiktoken only estimates a local model's tokenizer.",
    )

    @classmethod
    def for_settings(cls, settings: LLMSettings, *, max_output_tokens: int = 1024) -> TokenBudget:
        window = settings.context_window or context_window_for(settings.model)
        return cls(model=settings.model, context_window=window, max_output_tokens=max_output_tokens)

    @property
    def prompt_limit(self) -> int:
        return self.context_window - self.max_output_tokens - int(self.context_window * self.margin)

    def fit(self, messages: Sequence[Message]) -> FittedPrompt:
        if not messages:
            return FittedPrompt(messages=[], prompt_tokens=TOKENS_REPLY_PRIMING, dropped=0)
        costs = [count_message_tokens([m], self.model) - TOKENS_REPLY_PRIMING for m in messages]
        last = len(messages) - 1
        pinned = {i for i, m in enumerate(messages) if m.role == "system"} | {last}
        droppable = [i for i in range(len(messages)) if i not in pinned]  # oldest first
        kept = set(range(len(messages)))
        total = sum(costs) + TOKENS_REPLY_PRIMING

        dropped = 0
        while total > self.prompt_limit and droppable:
            total -= costs[droppable[0]]
            kept.discard(droppable.pop(0))
            dropped += 1
            # Many chat templates (llama.cpp, Mistral) reject a history whose first turn after
            # the system prompt is the assistant's: drop whole exchanges, not half of one.
            while droppable and messages[droppable[0]].role == "assistant":
                total -= costs[droppable[0]]
                kept.discard(droppable.pop(0))
                dropped += 1

        if total > self.prompt_limit:
            raise ContextTooLong(
                self.model,
                f"the system prompt and the current question alone need about {total} tokens, "
                f"but only {self.prompt_limit} fit after keeping {self.max_output_tokens} for the reply",
            )
        return FittedPrompt(
            messages=[m for i, m in enumerate(messages) if i in kept], prompt_tokens=total, dropped=dropped
        )


class BudgetedLLM:
    """An `LLMClient` that trims every request to fit the context window before sending it.

    `connect()` wraps the real client in one, so no caller can forget the budget.
    """

    def __init__(self, inner: LLMClient, budget: TokenBudget) -> None:
        self._inner = inner
        self._budget = budget

    @property
    def model(self) -> str:
        return self._inner.model

    @property
    def budget(self) -> TokenBudget:
        return self._budget

    def __repr__(self) -> str:
        return f"BudgetedLLM({self._inner!r}, context_window={self._budget.context_window})"

    def complete(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> Completion:
        fitted = self._fit(messages, max_tokens)
        return self._inner.complete(fitted, max_tokens=max_tokens, temperature=temperature)

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int | None = None, temperature: float | None = None
    ) -> TextStream:
        fitted = self._fit(messages, max_tokens)
        return self._inner.stream(fitted, max_tokens=max_tokens, temperature=temperature)

    def structured(
        self,
        messages: Sequence[Message],
        schema: type[T],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> Structured[T]:
        # Servers without json_schema get the schema spelled out in the prompt: keep room for it.
        schema_tokens = count_tokens(json.dumps(schema.model_json_schema()), self.model)
        fitted = self._fit(messages, max_tokens, extra=schema_tokens)
        return self._inner.structured(fitted, schema, max_tokens=max_tokens, temperature=temperature)

    def _fit(self, messages: Sequence[Message], max_tokens: int | None, extra: int = 0) -> list[Message]:
        reserve = max(max_tokens or 0, self._budget.max_output_tokens) + extra
        budget = self._budget.model_copy(update={"max_output_tokens": reserve})
        return budget.fit(messages).messages


class Prices(BaseModel):
    """USD per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input_per_mtok: float = Field(ge=0, description="USD per million input tokens.")
    output_per_mtok: float = Field(ge=0, description="USD per million output tokens.")

    def cost(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok) / 1_000_000


FREE = Prices(input_per_mtok=0, output_per_mtok=0)

# OpenAI list prices (standard tier, USD per million tokens) when this table was written;
# they change, so INTERVIEWER_PRICE_*_PER_MTOK override them. Longest prefix wins.
OPENAI_PRICES: dict[str, Prices] = {
    "gpt-5": Prices(input_per_mtok=1.25, output_per_mtok=10.00),
    "gpt-5-mini": Prices(input_per_mtok=0.25, output_per_mtok=2.00),
    "gpt-5-nano": Prices(input_per_mtok=0.05, output_per_mtok=0.40),
    "gpt-4.1": Prices(input_per_mtok=2.00, output_per_mtok=8.00),
    "gpt-4.1-mini": Prices(input_per_mtok=0.40, output_per_mtok=1.60),
    "gpt-4.1-nano": Prices(input_per_mtok=0.10, output_per_mtok=0.40),
    "gpt-4o": Prices(input_per_mtok=2.50, output_per_mtok=10.00),
    "gpt-4o-mini": Prices(input_per_mtok=0.15, output_per_mtok=0.60),
    "o3": Prices(input_per_mtok=2.00, output_per_mtok=8.00),
    "o4-mini": Prices(input_per_mtok=1.10, output_per_mtok=4.40),
    "gpt-3.5-turbo": Prices(input_per_mtok=0.50, output_per_mtok=1.50),
}


class PriceBook(BaseModel):
    """Prices per model for one configured server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    by_prefix: dict[str, Prices] = Field(default_factory=dict, description="Prices by model-name prefix.")
    default: Prices | None = Field(default=None, description="Prices for any other model; None means unknown.")

    @classmethod
    def for_settings(cls, settings: LLMSettings) -> PriceBook:
        if settings.price_input_per_mtok is not None or settings.price_output_per_mtok is not None:
            configured = Prices(
                input_per_mtok=settings.price_input_per_mtok or 0.0,
                output_per_mtok=settings.price_output_per_mtok or 0.0,
            )
            return cls(default=configured)
        if not settings.is_openai:
            return cls(default=FREE)  # local and self-hosted servers cost nothing per token
        return cls(by_prefix=OPENAI_PRICES)

    def prices_for(self, model: str) -> Prices | None:
        matches = [prefix for prefix in self.by_prefix if model.startswith(prefix)]
        return self.by_prefix[max(matches, key=len)] if matches else self.default


class ModelUsage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    calls: int = Field(default=0, ge=0)
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    estimated: bool = Field(default=False, description="True when any count was estimated locally.")


class SessionUsage(BaseModel):
    """Tokens used in one interview session, per model. Immutable: `record` returns a new one,
    so it can live in the serialisable session state."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    by_model: dict[str, ModelUsage] = Field(default_factory=dict)

    def record(self, model: str, usage: Usage) -> SessionUsage:
        before = self.by_model.get(model, ModelUsage())
        after = ModelUsage(
            calls=before.calls + 1,
            input_tokens=before.input_tokens + usage.input_tokens,
            output_tokens=before.output_tokens + usage.output_tokens,
            estimated=before.estimated or usage.estimated,
        )
        return SessionUsage(by_model={**self.by_model, model: after})

    @property
    def input_tokens(self) -> int:
        return sum(u.input_tokens for u in self.by_model.values())

    @property
    def output_tokens(self) -> int:
        return sum(u.output_tokens for u in self.by_model.values())

    @property
    def calls(self) -> int:
        return sum(u.calls for u in self.by_model.values())

    @property
    def estimated(self) -> bool:
        return any(u.estimated for u in self.by_model.values())

    def cost_usd(self, prices: PriceBook) -> float | None:
        """Estimated cost in USD, or None when a model's price is unknown."""
        total = 0.0
        for model, usage in self.by_model.items():
            model_prices = prices.prices_for(model)
            if model_prices is None:
                return None
            total += model_prices.cost(usage.input_tokens, usage.output_tokens)
        return total

    def summary(self, prices: PriceBook) -> str:
        """One line for the UI, e.g. '1,200 tokens in, 300 out over 4 calls; about $0.0004'."""
        text = f"{self.input_tokens:,} tokens in, {self.output_tokens:,} out over {self.calls} call(s)"
        if self.estimated:
            text += " (partly estimated)"
        cost = self.cost_usd(prices)
        return text + ("; cost unknown for this model" if cost is None else f"; about ${cost:.4f}")
