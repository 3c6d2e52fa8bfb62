"""Which voice speaks: the LLM when a server is configured, else the built-in templates."""

from __future__ import annotations

from interviewer.llm.config import LLMSettings
from interviewer.llm.connect import connect
from interviewer.session import Voice
from interviewer.voice.llm_voice import LLMVoice
from interviewer.voice.templates import TemplateVoice


def choose_voice(settings: LLMSettings) -> Voice:
    client = connect(settings, purpose="interviewer")
    return LLMVoice(client) if client else TemplateVoice()
