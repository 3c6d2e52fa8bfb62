"""Token budgets: trimming to the context window, and per-session usage and cost."""

from __future__ import annotations

import pytest

from interviewer.llm.budget import FREE, PriceBook, Prices, SessionUsage, TokenBudget
from interviewer.llm.config import LLMSettings
from interviewer.llm.errors import ContextTooLong
from interviewer.llm.protocol import Message, Usage
from interviewer.llm.tokens import count_message_tokens

SYSTEM = Message.system("You are the interviewer for: design a fraud detector for card payments.")


def conversation(turns: int) -> list[Message]:
    messages = [SYSTEM]
    for i in range(turns):
        messages.append(Message.user(f"Answer {i}: " + "we would log transactions and label chargebacks " * 5))
        messages.append(Message.assistant(f"Follow-up {i}: " + "how would you handle delayed labels " * 5))
    messages.append(Message.user("Current question: how do you pick the decision threshold?"))
    return messages


def budget(window: int, reserve: int = 100) -> TokenBudget:
    return TokenBudget(model="gpt-4o", context_window=window, max_output_tokens=reserve, margin=0)


def test_a_conversation_that_fits_is_sent_whole():
    messages = conversation(3)

    fitted = budget(10_000).fit(messages)

    assert fitted.messages == messages and fitted.dropped == 0
    assert fitted.prompt_tokens == count_message_tokens(messages, "gpt-4o")


def test_the_oldest_turns_go_first_and_the_system_prompt_and_current_question_stay():
    messages = conversation(6)
    full = count_message_tokens(messages, "gpt-4o")

    fitted = budget(full // 2 + 100).fit(messages)

    assert fitted.dropped > 0
    assert fitted.messages[0] == SYSTEM
    assert fitted.messages[-1] == messages[-1]
    assert fitted.messages[1:] == messages[len(messages) - len(fitted.messages) + 1 :]  # a suffix: the newest turns
    assert fitted.prompt_tokens == count_message_tokens(fitted.messages, "gpt-4o") <= full // 2


def test_every_request_stays_under_the_window_as_the_conversation_grows():
    window, reserve = 600, 150
    for turns in range(0, 15):
        fitted = budget(window, reserve).fit(conversation(turns))
        assert count_message_tokens(fitted.messages, "gpt-4o") + reserve <= window


def test_trimming_never_leaves_the_assistant_speaking_first():
    messages = conversation(6)
    full = count_message_tokens(messages, "gpt-4o")

    for window in range(200, full + 200, 37):
        fitted = budget(window).fit(messages)
        assert fitted.messages[1].role == "user", window


def test_when_even_the_pinned_messages_do_not_fit_it_says_so_before_sending():
    with pytest.raises(ContextTooLong, match="INTERVIEWER_CONTEXT_WINDOW"):
        budget(120, reserve=100).fit(conversation(2))


def test_the_margin_keeps_room_for_tokenizer_differences():
    assert TokenBudget(model="m", context_window=10_000, max_output_tokens=1_000, margin=0.05).prompt_limit == 8_500


def test_budget_for_settings_uses_the_configured_window_or_the_models():
    configured = LLMSettings(base_url="http://localhost:11434/v1", model="llama3.1:8b", context_window=4_096)
    guessed = LLMSettings(base_url="http://localhost:11434/v1", model="llama3.1:8b")

    assert TokenBudget.for_settings(configured).context_window == 4_096
    assert TokenBudget.for_settings(guessed).context_window == 131_072


def test_session_usage_adds_up_per_model():
    usage = SessionUsage()
    usage = usage.record("gpt-4o-mini", Usage(input_tokens=1_000, output_tokens=200))
    usage = usage.record("gpt-4o-mini", Usage(input_tokens=500, output_tokens=100, estimated=True))
    usage = usage.record("gpt-4.1", Usage(input_tokens=2_000, output_tokens=400))

    assert (usage.input_tokens, usage.output_tokens, usage.calls) == (3_500, 700, 3)
    assert usage.by_model["gpt-4o-mini"].calls == 2
    assert usage.estimated


def test_session_usage_is_immutable_and_serialisable():
    before = SessionUsage()
    after = before.record("m", Usage(input_tokens=1, output_tokens=1))

    assert before.calls == 0 and after.calls == 1
    assert SessionUsage.model_validate_json(after.model_dump_json()) == after


def test_openai_cost_uses_the_price_table():
    prices = PriceBook.for_settings(LLMSettings(api_key="sk-test"))
    usage = SessionUsage().record("gpt-4o-mini-2024-07-18", Usage(input_tokens=1_000_000, output_tokens=1_000_000))

    assert usage.cost_usd(prices) == pytest.approx(0.15 + 0.60)
    assert "about $0.7500" in usage.summary(prices)


def test_local_servers_cost_nothing():
    prices = PriceBook.for_settings(LLMSettings(base_url="http://localhost:8080/v1"))
    usage = SessionUsage().record("qwen2.5-3b-instruct", Usage(input_tokens=50_000, output_tokens=9_000))

    assert prices.prices_for("anything") == FREE
    assert usage.cost_usd(prices) == 0.0


def test_configured_prices_win():
    settings = LLMSettings(base_url="https://api.together.xyz/v1", price_input_per_mtok=0.2, price_output_per_mtok=0.6)
    usage = SessionUsage().record("meta-llama/Llama-3.3-70B", Usage(input_tokens=2_000_000, output_tokens=500_000))

    assert usage.cost_usd(PriceBook.for_settings(settings)) == pytest.approx(0.4 + 0.3)


def test_an_unknown_openai_model_has_unknown_cost_rather_than_zero():
    prices = PriceBook.for_settings(LLMSettings(api_key="sk-test"))
    usage = SessionUsage().record("some-new-model", Usage(input_tokens=10, output_tokens=10))

    assert usage.cost_usd(prices) is None
    assert "cost unknown" in usage.summary(prices)


def test_prices_per_million():
    assert Prices(input_per_mtok=2.5, output_per_mtok=10).cost(200_000, 50_000) == pytest.approx(0.5 + 0.5)


def test_budgeted_llm_trims_before_the_inner_client_sees_the_messages():
    from interviewer.llm.budget import BudgetedLLM
    from interviewer.llm.fakes import ScriptedLLM

    inner = ScriptedLLM(["ok", "ok"], model="gpt-4o")
    messages = conversation(8)
    llm = BudgetedLLM(inner, budget(count_message_tokens(messages, "gpt-4o") // 2))

    llm.complete(messages)
    llm.complete(messages[:3])

    trimmed, short = inner.calls[0].messages, inner.calls[1].messages
    assert len(trimmed) < len(messages) and trimmed[0] == SYSTEM and trimmed[-1] == messages[-1]
    assert short == messages[:3]


def test_budgeted_llm_keeps_room_for_a_larger_max_tokens_and_for_the_schema():
    from pydantic import BaseModel, Field

    from interviewer.llm.budget import BudgetedLLM
    from interviewer.llm.fakes import ScriptedLLM

    class Grade(BaseModel):
        rationale: str = Field(description="Why this score, citing the transcript in detail. " * 20)
        score: int

    messages = conversation(4)
    window = count_message_tokens(messages, "gpt-4o") + 100
    inner = ScriptedLLM(["ok", "ok", {"rationale": "r", "score": 1}], model="gpt-4o")
    llm = BudgetedLLM(inner, budget(window, reserve=100))

    llm.complete(messages)
    llm.complete(messages, max_tokens=400)
    llm.structured(messages, Grade)

    sizes = [len(call.messages) for call in inner.calls]
    assert sizes[0] == len(messages)
    assert sizes[1] < len(messages)  # 400 tokens kept for the reply
    assert sizes[2] < len(messages)  # the schema's tokens kept for the prompt


def test_budgeted_llm_refuses_before_sending_what_cannot_fit():
    from interviewer.llm.budget import BudgetedLLM
    from interviewer.llm.fakes import ScriptedLLM

    inner = ScriptedLLM(["never sent"], model="gpt-4o")

    with pytest.raises(ContextTooLong):
        BudgetedLLM(inner, budget(120, reserve=100)).complete(conversation(1))
    assert inner.calls == []
