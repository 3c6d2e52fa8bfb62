"""Which voice speaks: the LLM when a server is configured (held to deadlines), else the built-in templates."""

from __future__ import annotations

from interviewer.llm.config import LLMSettings
from interviewer.openai_api.connect import connect
from interviewer.llm.health import ServerHealth
from interviewer.voice.guarded import GuardedVoice
from interviewer.voice.llm_voice import LLMVoice
from interviewer.voice.protocol import Voice
from interviewer.voice.templates import TemplateVoice


def choose_voice(settings: LLMSettings, health: ServerHealth | None = None) -> Voice:
    client = connect(settings, purpose="interviewer")
    if client is None:
        return TemplateVoice()
    return GuardedVoice(LLMVoice(client), health or ServerHealth.of(client), settings.first_words_seconds)
