"""The protocol-level doubles behave like the real client and fail loudly when misused."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from interviewer.llm.errors import InvalidStructuredOutput, LLMError, RateLimited, Truncated
from interviewer.llm.fakes import FunctionLLM, LLMCall, Reply, ScriptedLLM, ScriptExhausted
from interviewer.llm.protocol import LLMClient, Message, Usage

ASK = [Message.system("You are an interviewer."), Message.user("Design fraud detection for a bank.")]


class Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criterion: str
    question: str


def test_doubles_satisfy_the_protocol():
    assert isinstance(ScriptedLLM(), LLMClient)
    assert isinstance(FunctionLLM(lambda call: "x"), LLMClient)


def test_scripted_replies_come_back_in_order_and_every_call_is_recorded():
    llm = ScriptedLLM(["What is the fraud rate?", "And the latency budget?"])

    first = llm.complete(ASK, max_tokens=100)
    second = llm.complete([*ASK, Message.assistant(first.text), Message.user("About 0.1%.")], temperature=0.2)

    assert [first.text, second.text] == ["What is the fraud rate?", "And the latency budget?"]
    assert [(c.kind, c.max_tokens, c.temperature) for c in llm.calls] == [
        ("complete", 100, None),
        ("complete", None, 0.2),
    ]
    assert llm.calls[1].last_message == "About 0.1%."
    assert llm.calls[0].system_prompt == "You are an interviewer."
    assert llm.remaining == 0


def test_asking_more_than_scripted_raises_script_exhausted_naming_the_call():
    llm = ScriptedLLM(["only one"])
    llm.complete(ASK)

    with pytest.raises(ScriptExhausted, match=r"call 2 .*Design fraud detection"):
        llm.complete(ASK)


def test_script_exhausted_is_not_an_llm_error_so_fallbacks_cannot_swallow_it():
    assert not issubclass(ScriptExhausted, LLMError)
    assert issubclass(ScriptExhausted, AssertionError)


def test_unused_replies_fail_assert_all_used():
    llm = ScriptedLLM(["used", "never asked for"])
    llm.complete(ASK)

    with pytest.raises(AssertionError, match="1 scripted reply"):
        llm.assert_all_used()


def test_a_scripted_exception_is_raised_for_that_call():
    llm = ScriptedLLM([RateLimited("http://x", 3), "recovered"])

    with pytest.raises(RateLimited):
        llm.complete(ASK)
    assert llm.complete(ASK).text == "recovered"


def test_stream_splits_into_word_chunks_that_join_back_exactly():
    stream = ScriptedLLM(["Let's talk about  labels first."]).stream(ASK)

    chunks = list(stream)

    assert len(chunks) > 1
    assert "".join(chunks) == "Let's talk about  labels first."
    assert stream.completion.text == "Let's talk about  labels first."
    assert stream.usage.estimated


def test_a_reply_can_set_chunks_usage_and_finish_reason():
    usage = Usage(input_tokens=100, output_tokens=7)
    llm = ScriptedLLM([Reply(text="Hello there", chunks=["Hel", "lo there"], usage=usage, finish_reason="length")])

    stream = llm.stream(ASK)

    assert list(stream) == ["Hel", "lo there"]
    assert stream.usage == usage
    assert stream.completion.truncated


def test_structured_accepts_a_model_a_dict_or_json_text():
    probe = Probe(criterion="labels", question="How do you get labels?")
    llm = ScriptedLLM(
        [probe, {"criterion": "latency", "question": "What p99?"}, '```json\n{"criterion": "c", "question": "q"}\n```']
    )

    values = [llm.structured(ASK, Probe).value for _ in range(3)]

    assert values == [probe, Probe(criterion="latency", question="What p99?"), Probe(criterion="c", question="q")]
    assert llm.calls[0].schema_type is Probe
    assert all(c.kind == "structured" for c in llm.calls)


def test_structured_output_that_does_not_validate_fails_closed():
    llm = ScriptedLLM([{"criterion": "labels"}])

    with pytest.raises(InvalidStructuredOutput, match="question"):
        llm.structured(ASK, Probe)


def test_structured_with_a_reply_cut_off_raises_truncated():
    llm = ScriptedLLM([Reply(text='{"criterion": "lab', finish_reason="length")])

    with pytest.raises(Truncated):
        llm.structured(ASK, Probe, max_tokens=10)


def test_scripting_the_wrong_model_type_is_a_test_bug():
    class Other(BaseModel):
        x: int

    with pytest.raises(AssertionError, match="scripted a Other, but the code asked for a Probe"):
        ScriptedLLM([Other(x=1)]).structured(ASK, Probe)


def test_complete_on_a_structured_reply_returns_its_json():
    text = ScriptedLLM([Probe(criterion="c", question="q")]).complete(ASK).text

    assert Probe.model_validate_json(text) == Probe(criterion="c", question="q")


def test_function_llm_answers_from_the_prompt():
    def interviewer(call: LLMCall) -> str:
        return "Good, what else?" if "precision" in call.last_message else "Which metric?"

    llm = FunctionLLM(interviewer)

    assert llm.complete([Message.user("I'd use accuracy")]).text == "Which metric?"
    assert llm.complete([Message.user("precision at k")]).text == "Good, what else?"
    assert len(llm.calls) == 2


def test_function_llm_serves_structured_and_stream_calls():
    llm = FunctionLLM(lambda call: {"criterion": "c", "question": "q"} if call.schema_type else "one two")

    assert llm.structured(ASK, Probe).value.question == "q"
    assert list(llm.stream(ASK)) == ["one", " two"]


def test_usage_is_reported_for_every_call():
    llm = ScriptedLLM(["three word reply", {"criterion": "c", "question": "q"}])

    assert llm.complete([Message.user("one two")]).usage == Usage(input_tokens=2, output_tokens=3, estimated=True)
    assert llm.structured([Message.user("x")], Probe).usage.input_tokens == 1


def test_scripted_llm_fixture_fails_a_test_that_leaves_replies_unused(pytester: pytest.Pytester):
    pytester.makeconftest((pytester_conftest()).read_text())
    pytester.makepyfile(
        """
        from interviewer.llm.protocol import Message

        def test_leaves_one(scripted_llm):
            llm = scripted_llm("asked", "never asked")
            llm.complete([Message.user("hi")])
        """
    )

    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*1 scripted reply(ies) were never used*"])


def pytester_conftest():
    from pathlib import Path

    return Path(__file__).parents[1] / "conftest.py"
